/*
 * bindings/python/store_py.i -- the case store for Python: the SWIG module
 * zaakflow.storecore (a module of its own, linked with libzaakflow-store) under
 * the hand-written facade zaakflow/store.py (zaakflow.Store).
 *
 *   zf_error *err -> the zaakflow exception of its code (zaakflow._error_from_c)
 *   dates         -> day numbers; the facade makes them datetime.date
 */
%module(package="zaakflow") storecore

%{
#include <string.h>
#include "zaakflow.h"

/* Raise the zaakflow exception for `e`: zaakflow._error_from_c() builds it. */
static void zfs_raise(const zf_error *e)
{
    PyObject *mod, *make = NULL, *exc = NULL;
    const char *msg = e->message[0] ? e->message : zf_strerror(e->code);
    mod = PyImport_ImportModule("zaakflow");
    if (mod) {
        make = PyObject_GetAttrString(mod, "_error_from_c");
        Py_DECREF(mod);
    }
    if (make) {
        exc = PyObject_CallFunction(make, "iNNii", (int)e->code,
                                    PyUnicode_DecodeUTF8(msg, strlen(msg), "replace"),
                                    PyUnicode_DecodeUTF8(e->file, strnlen(e->file, sizeof e->file),
                                                         "replace"),
                                    e->line, e->column);
        Py_DECREF(make);
    }
    if (exc) {
        PyErr_SetObject((PyObject *)Py_TYPE(exc), exc);
        Py_DECREF(exc);
    } else {
        PyErr_Clear();
        PyErr_Format(PyExc_RuntimeError, "zaakflow: %s [%s]", msg, zf_code_name(e->code));
    }
}
%}

%typemap(in, numinputs=0) zf_error *err (zf_error tmp) {
    memset(&tmp, 0, sizeof tmp);
    $1 = &tmp;
}
%typemap(argout) zf_error *err {
    if ($1->code != ZF_OK) {
        zfs_raise($1);
        SWIG_fail;
    }
}
%include "../store.i"
