/*
 * bindings/python/zaakflow_py.i -- the Python-only parts of the binding:
 * exceptions instead of zf_code, datetime.date for zf_date, str for
 * durations and buffers. The Pythonic API lives in zaakflow/__init__.py;
 * this module (zaakflow.core) is its low-level layer.
 */
%module(package="zaakflow", docstring="Low-level SWIG layer of zaakflow; use the zaakflow package.") core

/* C members named like Python keywords (zf_interval::from) get a leading underscore. */
#pragma SWIG nowarn=314

%begin %{
#define PY_SSIZE_T_CLEAN
%}

%{
#include <Python.h>
#include <datetime.h>
#include "zaakflow.h"

/* Raise the zaakflow exception for `e`: zaakflow._error_from_c() builds it,
 * so the class hierarchy lives in one place (zaakflow/__init__.py). */
static void zfpy_raise(const zf_error *e)
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

/* datetime.date (or "YYYY-MM-DD") -> zf_date. Returns 0, or -1 with an exception set. */
static int zfpy_to_date(PyObject *o, zf_date *out)
{
    zf_error e;
    memset(&e, 0, sizeof e);
    if (!PyDateTimeAPI) {
        PyDateTime_IMPORT;
        if (!PyDateTimeAPI)
            return -1;
    }
    if (o == Py_None) {
        *out = ZF_DATE_NONE;
        return 0;
    }
    if (PyDate_Check(o)) {
        if (zf_date_from_ymd(out, PyDateTime_GET_YEAR(o), PyDateTime_GET_MONTH(o),
                             PyDateTime_GET_DAY(o), &e) != ZF_OK) {
            zfpy_raise(&e);
            return -1;
        }
        return 0;
    }
    if (PyUnicode_Check(o)) {
        const char *s = PyUnicode_AsUTF8(o);
        if (!s)
            return -1;
        if (zf_date_parse(out, s, &e) != ZF_OK) {
            zfpy_raise(&e);
            return -1;
        }
        return 0;
    }
    PyErr_Format(PyExc_TypeError, "expected a datetime.date or 'YYYY-MM-DD', not %.80s",
                 Py_TYPE(o)->tp_name);
    return -1;
}

static PyObject *zfpy_from_date(zf_date d)
{
    int y, m, day;
    if (!PyDateTimeAPI) {
        PyDateTime_IMPORT;
        if (!PyDateTimeAPI)
            return NULL;
    }
    if (d == ZF_DATE_NONE || !zf_date_valid(d))
        Py_RETURN_NONE;
    zf_date_to_ymd(d, &y, &m, &day);
    return PyDate_FromDate(y, m, day);
}

/* "6w" (or a zf_duration object) -> zf_duration. */
static int zfpy_to_duration(PyObject *o, zf_duration *out)
{
    zf_error e;
    memset(&e, 0, sizeof e);
    if (PyUnicode_Check(o)) {
        const char *s = PyUnicode_AsUTF8(o);
        if (!s)
            return -1;
        if (zf_duration_parse(out, s, &e) != ZF_OK) {
            zfpy_raise(&e);
            return -1;
        }
        return 0;
    }
    PyErr_Format(PyExc_TypeError, "expected a duration such as '6w', not %.80s",
                 Py_TYPE(o)->tp_name);
    return -1;
}

static PyObject *zfpy_from_duration(zf_duration d)
{
    char buf[ZF_DURATION_BUFSIZE];
    return PyUnicode_FromString(zf_duration_format(d, buf));
}
%}

/* ---- Errors: a zf_error parameter is filled by the call, then raised. ----- */
%typemap(in, numinputs=0) zf_error *err (zf_error tmp) {
    memset(&tmp, 0, sizeof tmp);
    $1 = &tmp;
}
%typemap(argout) zf_error *err {
    if ($1->code != ZF_OK) {
        zfpy_raise($1);
        SWIG_fail;
    }
}
%typemap(out) zf_code "$result = SWIG_Py_Void();"
/* ... except a zf_code stored in a struct (zf_diagnostic::code), which is data. */
%typemap(out) zf_code code "$result = PyLong_FromLong((long)$1);"
/* zf_code as an argument (strerror, code_name) stays an int. */
%typemap(in) zf_code {
    long v = PyLong_AsLong($input);
    if (v == -1 && PyErr_Occurred())
        SWIG_fail;
    $1 = (zf_code)v;
}
%typemap(typecheck, precedence=SWIG_TYPECHECK_INTEGER) zf_code "$1 = PyLong_Check($input);"
%exception {
    $action
    if (PyErr_Occurred())
        SWIG_fail;
}

/* ---- Dates ---------------------------------------------------------------- */
%typemap(in) zf_date {
    if (zfpy_to_date($input, &$1) < 0)
        SWIG_fail;
}
%typemap(typecheck, precedence=SWIG_TYPECHECK_INTEGER) zf_date {
    $1 = PyDate_Check($input) || PyUnicode_Check($input);
}
%typemap(out) zf_date {
    $result = zfpy_from_date($1);
    if (!$result)
        SWIG_fail;
}
%typemap(in, numinputs=0) zf_date *out (zf_date tmp) {
    tmp = ZF_DATE_NONE;
    $1 = &tmp;
}
%typemap(argout) zf_date *out {
    $result = SWIG_Python_AppendOutput($result, zfpy_from_date(*$1));
}

/* ---- Durations: "6w" in and out. ------------------------------------------ */
%typemap(in) zf_duration {
    if (zfpy_to_duration($input, &$1) < 0)
        SWIG_fail;
}
%typemap(typecheck) zf_duration "$1 = PyUnicode_Check($input);"
%typemap(out) zf_duration {
    $result = zfpy_from_duration($1);
}
%typemap(in, numinputs=0) zf_duration *out (zf_duration tmp) {
    memset(&tmp, 0, sizeof tmp);
    $1 = &tmp;
}
%typemap(argout) zf_duration *out {
    $result = SWIG_Python_AppendOutput($result, zfpy_from_duration(*$1));
}

/* ---- Text buffers: a zf_buf *out parameter becomes the returned str. ------ */
%typemap(in, numinputs=0) zf_buf *out (zf_buf tmp) {
    memset(&tmp, 0, sizeof tmp);
    $1 = &tmp;
}
%typemap(argout) zf_buf *out {
    $result = SWIG_Python_AppendOutput(
        $result, PyUnicode_DecodeUTF8($1->ptr ? $1->ptr : "", $1->size, "replace"));
}
%typemap(freearg) zf_buf *out { zf_buf_dispose($1); }

/* ---- Borrowed results keep their owner alive. ----------------------------- */
%feature("pythonappend") zf_term_result::step %{
    if val is not None:
        val._owner = self
%}
%feature("pythonappend") zf_calendar::why %{
    val._owner = self
%}
%feature("pythonappend") zf_calendar::holiday %{
    val._owner = self
%}
%feature("pythonappend") zf_diagnostic_list::get %{
    if val is not None:
        val._owner = self
%}

/* A case keeps its definition alive, whatever order Python frees them in. */
%feature("pythonappend") zf_instance::zf_instance %{
    self._definition = definition
%}
%feature("pythonappend") instance_restore %{
    if val is not None:
        val._definition = definition
%}

%feature("autodoc", "1");

%include "zaakflow.i"

%pythoncode %{
def _init_datetime():
    import datetime  # noqa: F401  (the C datetime API is loaded lazily)

_init_datetime()
%}
