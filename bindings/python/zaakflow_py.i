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
#include <structmember.h>
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
    zf_date_to_ymd(&y, &m, &day, d);
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
    return PyUnicode_FromString(zf_duration_format(buf, d));
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

/* ---- The fast path of Case.fire ------------------------------------------
 *
 * zaakflow.Case.fire is a method descriptor made here (PyDescr_NewMethod on
 * the Python class Case), so `case.fire(...)` is one vectorcall straight into
 * C: no bound method, no argument tuple, no zaakflow.core proxy call, no
 * param_list. Arguments are converted on the C stack (dates from the
 * datetime.date fields, strings borrowed as UTF-8), the library is called
 * once, and the result is a lazy EffectList that builds its Effect tuples
 * only when read. The EffectList a Case returned last is reused when nobody
 * else holds it, so a fire whose result is dropped allocates nothing.
 *
 * Parameter values: bool and datetime.date go in typed; int, str and the
 * rest as text (int via str(), others via zaakflow._text()). If the library
 * refuses a typed value (EINVAL), the call is repeated with all values as
 * text, which is what the library accepts for every declared type. Failing
 * calls change nothing, so the repetition is safe.
 */
%{
#define ZFPY_STACK_PARAMS 16

/* Slot offsets of _p (SwigPyObject of the zf_instance), _i (the proxy), _fx
 * (the last EffectList) and _n (the definition's Names) in instances of
 * zaakflow.Case. */
static Py_ssize_t zfpy_off_p = -1, zfpy_off_i = -1, zfpy_off_fx = -1, zfpy_off_n = -1;
static PyObject *zfpy_effects_of; /* zaakflow._effects_of(handle) -> list */
static PyObject *zfpy_text_of;    /* zaakflow._text(value) -> str */

#define ZFPY_SLOT(obj, off) (*(PyObject **)((char *)(obj) + (off)))

/* ---- EffectList: a read-only sequence built on first use. ---------------- */
typedef struct {
    PyObject_HEAD
    PyObject *handle; /* the zaakflow.core.instance proxy while pending */
    PyObject *list;   /* the Effect tuples once built */
} zfpy_effects;

static PyTypeObject zfpy_effects_type;

static PyObject *zfpy_effects_list(zfpy_effects *fx)
{
    if (!fx->list) {
        if (fx->handle && zfpy_effects_of)
            fx->list = PyObject_CallOneArg(zfpy_effects_of, fx->handle);
        else
            fx->list = PyList_New(0);
        if (!fx->list)
            return NULL;
        Py_CLEAR(fx->handle);
    }
    return fx->list;
}

static zfpy_effects *zfpy_effects_new(PyObject *handle)
{
    zfpy_effects *fx = PyObject_GC_New(zfpy_effects, &zfpy_effects_type);
    if (!fx)
        return NULL;
    Py_XINCREF(handle);
    fx->handle = handle;
    fx->list = NULL;
    PyObject_GC_Track(fx);
    return fx;
}

static int zfpy_effects_traverse(zfpy_effects *fx, visitproc visit, void *arg)
{
    Py_VISIT(fx->handle);
    Py_VISIT(fx->list);
    return 0;
}

static int zfpy_effects_clear(zfpy_effects *fx)
{
    Py_CLEAR(fx->handle);
    Py_CLEAR(fx->list);
    return 0;
}

static void zfpy_effects_dealloc(zfpy_effects *fx)
{
    PyObject_GC_UnTrack(fx);
    zfpy_effects_clear(fx);
    PyObject_GC_Del(fx);
}

static Py_ssize_t zfpy_effects_len(PyObject *self)
{
    PyObject *l = zfpy_effects_list((zfpy_effects *)self);
    return l ? PyList_GET_SIZE(l) : -1;
}

static PyObject *zfpy_effects_item(PyObject *self, Py_ssize_t i)
{
    PyObject *l = zfpy_effects_list((zfpy_effects *)self);
    return l ? PySequence_GetItem(l, i) : NULL;
}

static PyObject *zfpy_effects_subscript(PyObject *self, PyObject *key)
{
    PyObject *l = zfpy_effects_list((zfpy_effects *)self);
    return l ? PyObject_GetItem(l, key) : NULL;
}

static int zfpy_effects_contains(PyObject *self, PyObject *v)
{
    PyObject *l = zfpy_effects_list((zfpy_effects *)self);
    return l ? PySequence_Contains(l, v) : -1;
}

static PyObject *zfpy_effects_concat(PyObject *self, PyObject *other)
{
    PyObject *l = zfpy_effects_list((zfpy_effects *)self);
    if (!l)
        return NULL;
    if (PyObject_TypeCheck(other, &zfpy_effects_type)) {
        other = zfpy_effects_list((zfpy_effects *)other);
        if (!other)
            return NULL;
    }
    return PySequence_Concat(l, other);
}

static PyObject *zfpy_effects_iter(PyObject *self)
{
    PyObject *l = zfpy_effects_list((zfpy_effects *)self);
    return l ? PyObject_GetIter(l) : NULL;
}

static PyObject *zfpy_effects_richcompare(PyObject *self, PyObject *other, int op)
{
    PyObject *l = zfpy_effects_list((zfpy_effects *)self);
    if (!l)
        return NULL;
    if (PyObject_TypeCheck(other, &zfpy_effects_type)) {
        other = zfpy_effects_list((zfpy_effects *)other);
        if (!other)
            return NULL;
    }
    return PyObject_RichCompare(l, other, op);
}

static PyObject *zfpy_effects_repr(PyObject *self)
{
    PyObject *l = zfpy_effects_list((zfpy_effects *)self);
    return l ? PyObject_Repr(l) : NULL;
}

/* Unknown attributes (index, count, copy, ...) are the built list's. */
static PyObject *zfpy_effects_getattro(PyObject *self, PyObject *name)
{
    PyObject *r = PyObject_GenericGetAttr(self, name), *l;
    if (r || !PyErr_ExceptionMatches(PyExc_AttributeError))
        return r;
    PyErr_Clear();
    l = zfpy_effects_list((zfpy_effects *)self);
    return l ? PyObject_GetAttr(l, name) : NULL;
}

static PyObject *zfpy_effects_reduce(PyObject *self, PyObject *unused)
{
    PyObject *l = zfpy_effects_list((zfpy_effects *)self);
    return l ? Py_BuildValue("(O(O))", (PyObject *)&PyList_Type, l) : NULL;
}

static PyObject *zfpy_effects_tolist(PyObject *self, PyObject *unused)
{
    PyObject *l = zfpy_effects_list((zfpy_effects *)self);
    return l ? PyList_GetSlice(l, 0, PyList_GET_SIZE(l)) : NULL;
}

static PySequenceMethods zfpy_effects_as_sequence = {
    zfpy_effects_len, zfpy_effects_concat, NULL, zfpy_effects_item, NULL, NULL, NULL,
    zfpy_effects_contains, NULL, NULL,
};

static PyMappingMethods zfpy_effects_as_mapping = {
    zfpy_effects_len, zfpy_effects_subscript, NULL,
};

static PyMethodDef zfpy_effects_methods[] = {
    {"__reduce__", zfpy_effects_reduce, METH_NOARGS, NULL},
    {"tolist", zfpy_effects_tolist, METH_NOARGS, "The effects as a new list."},
    {NULL, NULL, 0, NULL}
};

static PyTypeObject zfpy_effects_type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    "zaakflow.core.EffectList",
    sizeof(zfpy_effects),
};

static int zfpy_effects_ready(void)
{
    PyTypeObject *t = &zfpy_effects_type;
    t->tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC;
#ifdef Py_TPFLAGS_SEQUENCE
    t->tp_flags |= Py_TPFLAGS_SEQUENCE;
#endif
    t->tp_doc = "The effects of one Case.fire() call: a read-only sequence of Effect,\n"
                "built when first read. Compares equal to the list of the same effects.";
    t->tp_dealloc = (destructor)zfpy_effects_dealloc;
    t->tp_traverse = (traverseproc)zfpy_effects_traverse;
    t->tp_clear = (inquiry)zfpy_effects_clear;
    t->tp_as_sequence = &zfpy_effects_as_sequence;
    t->tp_as_mapping = &zfpy_effects_as_mapping;
    t->tp_iter = zfpy_effects_iter;
    t->tp_richcompare = zfpy_effects_richcompare;
    t->tp_repr = zfpy_effects_repr;
    t->tp_getattro = zfpy_effects_getattro;
    t->tp_hash = PyObject_HashNotImplemented;
    t->tp_methods = zfpy_effects_methods;
    return PyType_Ready(t);
}

/* Before the case changes: an EffectList someone still holds is built now,
 * from the effects it stands for, and let go. One only the case holds is
 * reset for reuse (`reuse`) or dropped. */
static int zfpy_settle(PyObject *self, int reuse)
{
    PyObject *fx = ZFPY_SLOT(self, zfpy_off_fx);
    zfpy_effects *e = (zfpy_effects *)fx;
    if (!fx)
        return 0;
    if (reuse && Py_REFCNT(fx) == 1 && Py_IS_TYPE(fx, &zfpy_effects_type)) {
        if (e->list) {
            PyObject *h = ZFPY_SLOT(self, zfpy_off_i);
            Py_CLEAR(e->list);
            Py_XINCREF(h);
            Py_XSETREF(e->handle, h);
        }
        return 0;
    }
    if (Py_REFCNT(fx) > 1 && PyObject_TypeCheck(fx, &zfpy_effects_type)
        && !zfpy_effects_list(e))
        return -1;
    ZFPY_SLOT(self, zfpy_off_fx) = NULL;
    Py_DECREF(fx);
    return 0;
}

/* ---- Case.fire ------------------------------------------------------------ */
static int zfpy_raise_code(zf_code code, const char *msg)
{
    zf_error e;
    memset(&e, 0, sizeof e);
    e.code = code;
    snprintf(e.message, sizeof e.message, "%s", msg);
    zfpy_raise(&e);
    return -1;
}

/* The zf_instance of a Case, or NULL with InvalidArgumentError when closed. */
static zf_instance *zfpy_case_ptr(PyObject *self)
{
    PyObject *p = ZFPY_SLOT(self, zfpy_off_p);
    if (p && SwigPyObject_Check(p) && ((SwigPyObject *)p)->ptr
        && ((SwigPyObject *)p)->ty == SWIGTYPE_p_zf_instance)
        return (zf_instance *)((SwigPyObject *)p)->ptr;
    zfpy_raise_code(ZF_EINVAL, "the case is closed");
    return NULL;
}

/* ---- Seen before ---------------------------------------------------------- */
#define ZFPY_SEEN 64 /* entries per table: 16 sets of 4 */
typedef struct {
    PyObject *key;   /* an immutable object (str, date), held */
    const char *ptr; /* parameter values: the definition's enumeration value, or NULL */
    uint32_t val;    /* what it stands for: a day, an event index, role bits... */
    uint32_t ev;     /* parameters: the event (and values: the parameter) */
} zfpy_name;

/* Tables of objects seen before, by identity: an object is held while in a
 * table, so it cannot be freed and its address reused for another. They are
 * 4-way set associative: an object is in one of the 4 entries of its set,
 * most recently added first, so a few that hash alike do not push each other
 * out in turn. */
static zfpy_name *zfpy_name_set(zfpy_name *table, PyObject *o, uint32_t ev)
{
    uint64_t h = ((uint64_t)(uintptr_t)o + ev) * 0x9E3779B97F4A7C15u;
    return table + ((size_t)(h >> 60) << 2); /* 16 sets of 4 */
}

static zfpy_name *zfpy_name_find(zfpy_name *set, PyObject *o, uint32_t ev)
{
    for (int k = 0; k < 4; k++)
        if (set[k].key == o && set[k].ev == ev)
            return &set[k];
    return NULL;
}

/* Add an object at the front of its set; the least recently added one goes. */
static void zfpy_name_keep(zfpy_name *set, PyObject *key, uint32_t val, uint32_t ev)
{
    PyObject *gone = set[3].key;
    memmove(set + 1, set, 3 * sizeof *set);
    Py_INCREF(key);
    set[0].key = key;
    set[0].ptr = NULL;
    set[0].val = val;
    set[0].ev = ev;
    Py_XDECREF(gone); /* last: the table is whole whatever its release runs */
}

/* The last datetime.date objects converted: the same object is the same day.
 * A script fires many events with the same few dates. */
static zfpy_name zfpy_dates[ZFPY_SEEN];

/* A date argument: datetime.date (or datetime), an int day number (days since
 * 1970-01-01) or "YYYY-MM-DD". */

static int zfpy_arg_date(PyObject *o, zf_date *out)
{
    zfpy_name *set = zfpy_name_set(zfpy_dates, o, 0), *e = zfpy_name_find(set, o, 0);
    if (e) { /* only datetime.date objects are kept */
        *out = (zf_date)(int32_t)e->val;
        return 0;
    }
    if (PyDate_Check(o)) {
        int y = PyDateTime_GET_YEAR(o), m = PyDateTime_GET_MONTH(o),
            d = PyDateTime_GET_DAY(o);
        /* days from civil (H. Hinnant); datetime.date is always a valid date */
        int yy = y - (m <= 2);
        int era = (yy >= 0 ? yy : yy - 399) / 400;
        int yoe = yy - era * 400;
        int doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
        int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        *out = (zf_date)(era * 146097 + doe - 719468);
        if (PyDate_CheckExact(o))
            zfpy_name_keep(set, o, (uint32_t)(int32_t)*out, 0);
        return 0;
    }
    if (PyLong_Check(o) && !PyBool_Check(o)) {
        long v = PyLong_AsLong(o);
        if (v == -1 && PyErr_Occurred())
            return -1;
        if (v < -719162L || v > 2932896L || !zf_date_valid((zf_date)v))
            return zfpy_raise_code(ZF_ERANGE, "day number outside the years 1-9999");
        *out = (zf_date)v;
        return 0;
    }
    return zfpy_to_date(o, out);
}

/* The UTF-8 text of a str: an ASCII str's own characters (NUL-terminated, as
 * PyUnicode_AsUTF8() would return them) without the call. ZFPY_ASCII_TEXT is
 * CPython's PyUnicode_DATA() for a compact ASCII str, without its tests. */
#define ZFPY_ASCII_TEXT(o) ((const char *)((PyASCIIObject *)(o) + 1))
static const char *zfpy_utf8(PyObject *o)
{
    if (PyUnicode_IS_COMPACT_ASCII(o))
        return ZFPY_ASCII_TEXT(o);
    return PyUnicode_AsUTF8(o);
}

static const char *zfpy_arg_str(PyObject *o, const char *what)
{
    if (PyUnicode_Check(o))
        return zfpy_utf8(o);
    PyErr_Format(PyExc_TypeError, "fire(): %s must be a str, not %.80s", what,
                 Py_TYPE(o)->tp_name);
    return NULL;
}

static int zfpy_is_sep(char c) { return c == ' ' || c == ',' || c == '\t'; }

/* Roles: a str ("a b", "a,b") or a sequence of str. Pointers go to ids[];
 * `copy` holds split text. Returns the count or -1 with an exception set. */
static Py_ssize_t zfpy_arg_roles(PyObject *o, char *copy, size_t cap, const char **ids)
{
    Py_ssize_t n = 0;
    if (!o || o == Py_None)
        return 0;
    if (PyUnicode_Check(o)) {
        Py_ssize_t len;
        const char *s = PyUnicode_AsUTF8AndSize(o, &len);
        if (!s)
            return -1;
        /* No separator (the C library's vector scan): one role, borrow the text. */
        if (!strpbrk(s, " ,\t")) {
            if (len)
                ids[n++] = s;
            return n;
        }
        if ((size_t)len >= cap)
            return zfpy_raise_code(ZF_ELIMIT, "roles text too long");
        memcpy(copy, s, (size_t)len + 1);
        for (char *p = copy; *p;) {
            while (zfpy_is_sep(*p))
                *p++ = '\0';
            if (!*p)
                break;
            if (n == ZFB_MAX_ROLES)
                return zfpy_raise_code(ZF_ELIMIT, "more than 32 roles");
            ids[n++] = p;
            while (*p && !zfpy_is_sep(*p))
                p++;
        }
        return n;
    }
    if (PyTuple_Check(o) || PyList_Check(o)) {
        Py_ssize_t len = PySequence_Fast_GET_SIZE(o);
        PyObject **items = PySequence_Fast_ITEMS(o);
        if (len > ZFB_MAX_ROLES)
            return zfpy_raise_code(ZF_ELIMIT, "more than 32 roles");
        for (Py_ssize_t k = 0; k < len; k++)
            if (!(ids[n++] = zfpy_arg_str(items[k], "a role")))
                return -1;
        return n;
    }
    PyErr_Format(PyExc_TypeError, "fire(): roles must be a str or a sequence of str, not %.80s",
                 Py_TYPE(o)->tp_name);
    return -1;
}

/* zf_value_bool(), zf_value_date() and zf_value_string() without a call into the
 * library for each parameter: the struct is public, and these are its values. */
static zf_value zfpy_value(zf_type type)
{
    zf_value v;
    memset(&v, 0, sizeof v);
    v.type = type;
    return v;
}

/* One event parameter: typed (bool, date), as text (str, int, others), or
 * skipped (None: returns 0). `num` is room for the text of an int or date;
 * a str made by zaakflow._text() is kept in *keep. Returns 1, 0 or -1. */
static int zfpy_arg_param(PyObject *o, zf_value *v, char num[32], PyObject **keep)
{
    if (o == Py_None)
        return 0;
    if (PyBool_Check(o)) {
        *v = zfpy_value(ZF_TYPE_BOOL);
        v->as.b = o == Py_True;
        return 1;
    }
    if (PyUnicode_Check(o)) {
        const char *s = zfpy_utf8(o);
        if (!s)
            return -1;
        *v = zfpy_value(ZF_TYPE_STRING);
        v->as.s = s;
        return 1;
    }
    if (PyDate_Check(o)) {
        zf_date d;
        if (zfpy_arg_date(o, &d) < 0)
            return -1;
        *v = zfpy_value(ZF_TYPE_DATE);
        v->as.date = d;
        return 1;
    }
    if (PyLong_CheckExact(o)) {
        int overflow = 0;
        long long x = PyLong_AsLongLongAndOverflow(o, &overflow);
        if (!overflow && !(x == -1 && PyErr_Occurred())) {
            snprintf(num, 32, "%lld", x);
            *v = zfpy_value(ZF_TYPE_STRING);
            v->as.s = num;
            return 1;
        }
        PyErr_Clear();
    }
    if (!zfpy_text_of) {
        PyErr_SetString(PyExc_TypeError, "fire(): unsupported parameter value");
        return -1;
    }
    *keep = PyObject_CallOneArg(zfpy_text_of, o);
    if (!*keep)
        return -1;
    if (!PyUnicode_Check(*keep)) {
        PyErr_SetString(PyExc_TypeError, "zaakflow._text() must return a str");
        return -1;
    }
    *v = zf_value_string(PyUnicode_AsUTF8(*keep));
    return v->as.s ? 1 : -1;
}

/* A typed value as the text the library parses for every declared type. */
static void zfpy_value_as_text(zf_value *v, char num[32])
{
    if (v->type == ZF_TYPE_BOOL)
        *v = zf_value_string(v->as.b ? "true" : "false");
    else if (v->type == ZF_TYPE_DATE) {
        zf_date_format(num, v->as.date);
        *v = zf_value_string(num);
    }
}

/* ---- Names resolved ahead ------------------------------------------------- */
/* zaakflow.core.Names, one per Definition: the event, parameter and role names
 * a script passes, by the identity of their str objects. A str is immutable
 * and held by a strong reference while cached, so the same object is the same
 * name. The first use of a name looks it up in the library
 * (zf_definition_event_index() and friends); later uses cost a pointer test,
 * and fire() goes through zf_instance_fire_resolved(). Anything that does not
 * resolve (an unknown event or parameter, an argument of an unusual type)
 * takes the named path, zf_instance_fire(), which reports it. */
#if defined(__GNUC__)
#define ZFPY_NOINLINE __attribute__((noinline))
#else
#define ZFPY_NOINLINE
#endif

typedef struct {
    PyObject_HEAD
    PyObject *owner; /* the SwigPyObject of the definition: keeps `def` alive */
    const zf_definition *def;
    zfpy_name events[ZFPY_SEEN];
    zfpy_name params[ZFPY_SEEN];
    zfpy_name roles[ZFPY_SEEN];
    zfpy_name values[ZFPY_SEEN]; /* str parameter values: enumeration values resolved */
} zfpy_names;

static PyTypeObject zfpy_names_type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    "zaakflow.core.Names",
    sizeof(zfpy_names),
};

static void zfpy_names_dealloc(zfpy_names *n)
{
    for (size_t k = 0; k < ZFPY_SEEN; k++) {
        Py_XDECREF(n->events[k].key);
        Py_XDECREF(n->params[k].key);
        Py_XDECREF(n->roles[k].key);
        Py_XDECREF(n->values[k].key);
    }
    Py_XDECREF(n->owner);
    PyObject_Free(n);
}

static int zfpy_names_ready(void)
{
    PyTypeObject *t = &zfpy_names_type;
    /* Holds only str and the definition's SwigPyObject: no cycles, no GC. */
    t->tp_flags = Py_TPFLAGS_DEFAULT;
    t->tp_doc = "Names of a definition resolved ahead, for Case.fire().";
    t->tp_dealloc = (destructor)zfpy_names_dealloc;
    return PyType_Ready(t);
}

/* The text of an exact str, or NULL (no exception) for anything else. */
static const char *zfpy_name_text(PyObject *o)
{
    const char *s;
    if (!PyUnicode_CheckExact(o))
        return NULL;
    if (!(s = zfpy_utf8(o)))
        PyErr_Clear(); /* the named path reports it */
    return s;
}

/* Event index of `o`, or -1 when it is not an exact str naming an event; its
 * parameter count in *nparams. */
static int zfpy_names_event(zfpy_names *n, PyObject *o, size_t *nparams)
{
    zfpy_name *set = zfpy_name_set(n->events, o, 0), *e;
    const char *s;
    int i;
    for (e = set; e < set + 4; e++)
        if (e->key == o) {
            *nparams = e->ev; /* in place of an event, an event's entry keeps this */
            return (int)e->val;
        }
    if (!(s = zfpy_name_text(o)) || (i = zf_definition_event_index(n->def, s)) < 0)
        return -1;
    *nparams = zf_definition_param_count(n->def, (size_t)i);
    zfpy_name_keep(set, o, (uint32_t)i, (uint32_t)*nparams);
    return i;
}

/* Parameter index of keyword `o` of event `ev`, or -1. */
static int zfpy_names_param(zfpy_names *n, PyObject *o, uint32_t ev)
{
    zfpy_name *set = zfpy_name_set(n->params, o, ev), *e = zfpy_name_find(set, o, ev);
    const char *s;
    int i;
    if (e)
        return (int)e->val;
    if (!(s = zfpy_name_text(o)) || (i = zf_definition_param_index(n->def, ev, s)) < 0)
        return -1;
    zfpy_name_keep(set, o, (uint32_t)i, ev);
    return i;
}

/* A str value of parameter k of event ev not in the table yet: an enumeration
 * value is kept as the definition's (ptr, val), anything else as text (ptr NULL;
 * the library reads or refuses it). */
static ZFPY_NOINLINE zfpy_name *zfpy_names_value_add(zfpy_name *set, zfpy_names *n,
                                                     PyObject *o, uint32_t ev, uint32_t k)
{
    zf_value v;
    zfpy_name_keep(set, o, 0, ev << 5 | k);
    if (zf_definition_param_value(&v, n->def, ev, k, ZFPY_ASCII_TEXT(o), NULL)
            == ZF_OK
        && v.type == ZF_TYPE_ENUM) {
        set[0].ptr = v.as.s;
        set[0].val = (uint32_t)v.enum_index;
    }
    return set;
}

/* Role bits of a str of role ids ("a", "a b", "a,b") not in the table yet;
 * unknown ids add none. Returns 0 when it does not resolve here (too long,
 * too many roles). */
static ZFPY_NOINLINE int zfpy_names_role_add(zfpy_name *set, zfpy_names *n, PyObject *o,
                                            uint32_t *bits)
{
    char copy[1024];
    const char *s;
    Py_ssize_t len;
    uint32_t b = 0;
    int count = 0;
    if (!PyUnicode_CheckExact(o) || !(s = PyUnicode_AsUTF8AndSize(o, &len))) {
        PyErr_Clear();
        return 0;
    }
    if ((size_t)len >= sizeof copy)
        return 0;
    memcpy(copy, s, (size_t)len + 1);
    for (char *p = copy; *p;) {
        char *id;
        int r;
        while (zfpy_is_sep(*p))
            p++;
        if (!*p)
            break;
        id = p;
        while (*p && !zfpy_is_sep(*p))
            p++;
        if (*p)
            *p++ = '\0';
        if (++count > ZFB_MAX_ROLES)
            return 0;
        if ((r = zf_definition_role_index(n->def, id)) >= 0 && r < 32)
            b |= 1u << r;
    }
    zfpy_name_keep(set, o, b, 0);
    *bits = b;
    return 1;
}

static int zfpy_names_role_str(zfpy_names *n, PyObject *o, uint32_t *bits)
{
    zfpy_name *set = zfpy_name_set(n->roles, o, 0), *e = zfpy_name_find(set, o, 0);
    if (!e)
        return zfpy_names_role_add(set, n, o, bits);
    *bits = e->val;
    return 1;
}

/* Role bits of the roles argument (None, a str or a tuple or list of str);
 * 0 when it does not resolve here. */
static int zfpy_names_roles(zfpy_names *n, PyObject *o, uint32_t *bits)
{
    *bits = 0;
    if (!o || o == Py_None)
        return 1;
    if (PyUnicode_CheckExact(o))
        return zfpy_names_role_str(n, o, bits);
    if (PyTuple_CheckExact(o) || PyList_CheckExact(o)) {
        Py_ssize_t len = PySequence_Fast_GET_SIZE(o);
        PyObject **items = PySequence_Fast_ITEMS(o);
        uint32_t b;
        if (len > ZFB_MAX_ROLES)
            return 0;
        for (Py_ssize_t k = 0; k < len; k++) {
            const char *s = zfpy_name_text(items[k]);
            /* An item is one id: one with a separator names no role. */
            if (!s)
                return 0;
            if (strpbrk(s, " ,\t"))
                continue;
            if (!zfpy_names_role_str(n, items[k], &b))
                return 0;
            *bits |= b;
        }
        return 1;
    }
    return 0;
}

/* names(definition's SwigPyObject) -> Names */
static PyObject *zfpy_names_new(PyObject *self, PyObject *args)
{
    PyObject *o;
    zfpy_names *n;
    if (!PyArg_ParseTuple(args, "O:names", &o))
        return NULL;
    if (!SwigPyObject_Check(o) || !((SwigPyObject *)o)->ptr
        || ((SwigPyObject *)o)->ty != SWIGTYPE_p_zf_definition) {
        PyErr_SetString(PyExc_TypeError, "names() takes the SWIG object of a definition");
        return NULL;
    }
    if (!(n = PyObject_New(zfpy_names, &zfpy_names_type)))
        return NULL;
    memset((char *)n + sizeof(PyObject), 0, sizeof *n - sizeof(PyObject));
    Py_INCREF(o);
    n->owner = o;
    n->def = (const zf_definition *)((SwigPyObject *)o)->ptr;
    return (PyObject *)n;
}

static PyObject *zfpy_kw_event, *zfpy_kw_date, *zfpy_kw_actor, *zfpy_kw_roles;

/* Which named argument a keyword is: 0 event, 1 date, 2 actor, 3 roles, or -1
 * for an event parameter. A keyword is usually the interned string itself;
 * else it is compared by its text, and only a 4- or 5-character ASCII name can
 * match, so most parameter names cost one length test. */
static int zfpy_kw_slot(PyObject *name)
{
    Py_ssize_t len;
    const char *s;
    if (name == zfpy_kw_event)
        return 0;
    if (name == zfpy_kw_date)
        return 1;
    if (name == zfpy_kw_actor)
        return 2;
    if (name == zfpy_kw_roles)
        return 3;
    len = PyUnicode_GET_LENGTH(name);
    if ((len != 4 && len != 5) || !PyUnicode_IS_ASCII(name))
        return -1;
    s = (const char *)PyUnicode_DATA(name);
    if (len == 4)
        return memcmp(s, "date", 4) ? -1 : 1;
    if (!memcmp(s, "event", 5))
        return 0;
    if (!memcmp(s, "actor", 5))
        return 2;
    if (!memcmp(s, "roles", 5))
        return 3;
    return -1;
}

/* fire() through zf_instance_fire_resolved() when every name resolves in the
 * definition's Names: 1 fired, 0 take the named path, -1 raised. `pk` holds
 * the positions in `kwnames` of the `npk` event parameters. */
static int zfpy_fire_resolved(zfpy_names *names, zf_instance *inst, PyObject *a_event,
                              zf_date date, const char *actor, PyObject *a_roles,
                              PyObject *kwnames, PyObject *const *kwvals,
                              const Py_ssize_t *pk, Py_ssize_t npk)
{
    zf_value vals[ZFPY_STACK_PARAMS];
    char num[ZFPY_STACK_PARAMS][32];
    PyObject *keep[ZFPY_STACK_PARAMS];
    size_t nkeep = 0, nvals;
    int ev, typed = 0, r = 1;
    zf_event_call call;
    zf_error err;
    uint32_t role_bits;
    size_t role_idx[32];

    if ((ev = zfpy_names_event(names, a_event, &nvals)) < 0)
        return 0;
    if (nvals > ZFPY_STACK_PARAMS || npk > (Py_ssize_t)nvals
        || !zfpy_names_roles(names, a_roles, &role_bits))
        return 0;
    call.roles = role_idx;
    call.nroles = 0;
    for (size_t k = 0; role_bits; k++, role_bits >>= 1)
        if (role_bits & 1)
            role_idx[call.nroles++] = k;
    for (size_t k = 0; k < nvals; k++)
        vals[k].type = ZF_TYPE_VOID; /* not given */
    for (Py_ssize_t i = 0; i < npk && r == 1; i++) {
        int k = zfpy_names_param(names, PyTuple_GET_ITEM(kwnames, pk[i]), (uint32_t)ev);
        if (k < 0) {
            r = 0;
            break;
        }
        PyObject *o = kwvals[pk[i]];
        zf_value *v = &vals[k];
        /* zfpy_arg_param() with the usual types inline; an enumeration value
           resolved once per str object. */
        if (PyUnicode_CheckExact(o) && PyUnicode_IS_COMPACT_ASCII(o)) {
            uint32_t key = (uint32_t)ev << 5 | (uint32_t)k; /* k < ZFPY_STACK_PARAMS */
            zfpy_name *set = zfpy_name_set(names->values, o, key),
                      *e = zfpy_name_find(set, o, key);
            if (!e)
                e = zfpy_names_value_add(set, names, o, (uint32_t)ev, (uint32_t)k);
            if (e->ptr) {
                v->type = ZF_TYPE_ENUM;
                v->as.s = e->ptr;
                v->enum_index = e->val;
                typed = 1;
            } else {
                v->type = ZF_TYPE_STRING;
                v->as.s = ZFPY_ASCII_TEXT(o);
                v->enum_index = 0;
            }
            continue;
        }
        keep[nkeep] = NULL;
        if (zfpy_arg_param(o, v, num[k], &keep[nkeep]) < 0)
            r = -1;
        else if (v->type != ZF_TYPE_VOID && v->type != ZF_TYPE_STRING)
            typed = 1;
        if (keep[nkeep])
            nkeep++;
    }
    if (r == 1) {
        call.event = (size_t)ev;
        call.date = date;
        call.actor = actor;
        call.params = vals;
        err.code = ZF_OK;
        err.line = err.column = 0;
        err.file[0] = err.message[0] = '\0';
        if (zf_instance_fire_resolved(inst, &call, &err) != ZF_OK) {
            if (err.code == ZF_EINVAL && typed) {
                for (size_t k = 0; k < nvals; k++)
                    zfpy_value_as_text(&vals[k], num[k]);
                memset(&err, 0, sizeof err);
                zf_instance_fire_resolved(inst, &call, &err);
            }
            if (err.code != ZF_OK) {
                zfpy_raise(&err);
                r = -1;
            }
        }
    }
    for (size_t k = 0; k < nkeep; k++)
        Py_DECREF(keep[k]);
    return r;
}

static PyObject *zfpy_case_fire(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                                PyObject *kwnames)
{
    PyObject *a_event = NULL, *a_date = NULL, *a_actor = NULL, *a_roles = NULL;
    Py_ssize_t nkw = kwnames ? PyTuple_GET_SIZE(kwnames) : 0, npk = 0;
    Py_ssize_t pk_stack[ZFPY_STACK_PARAMS], *pk = pk_stack;
    zf_param_value pv_stack[ZFPY_STACK_PARAMS], *pv = pv_stack;
    char num_stack[ZFPY_STACK_PARAMS][32], (*num)[32] = num_stack;
    PyObject *keep_stack[ZFPY_STACK_PARAMS], **keep = keep_stack;
    char role_copy[1024];
    const char *role_ids[ZFB_MAX_ROLES];
    size_t np = 0, nkeep = 0;
    int typed = 0;
    PyObject *result = NULL, *fx, *names;
    zf_instance *inst;
    const char *event;
    zf_date date;
    zf_actor actor;
    Py_ssize_t nroles;
    zf_error err;

    if (nargs > 4) {
        PyErr_Format(PyExc_TypeError, "fire() takes at most 4 positional arguments (%zd given)",
                     nargs);
        return NULL;
    }
    a_event = nargs > 0 ? args[0] : NULL;
    a_date = nargs > 1 ? args[1] : NULL;
    a_actor = nargs > 2 ? args[2] : NULL;
    a_roles = nargs > 3 ? args[3] : NULL;
    if (nkw > ZFPY_STACK_PARAMS) {
        pk = (Py_ssize_t *)PyMem_Malloc((size_t)nkw * sizeof *pk);
        pv = (zf_param_value *)PyMem_Malloc((size_t)nkw * sizeof *pv);
        num = (char (*)[32])PyMem_Malloc((size_t)nkw * sizeof *num);
        keep = (PyObject **)PyMem_Malloc((size_t)nkw * sizeof *keep);
        if (!pk || !pv || !num || !keep) {
            PyErr_NoMemory();
            goto out;
        }
    }
    /* The named arguments; the other keywords are the event's parameters. */
    for (Py_ssize_t k = 0; k < nkw; k++) {
        PyObject *name = PyTuple_GET_ITEM(kwnames, k), **slot;
        switch (zfpy_kw_slot(name)) {
        case 0:
            slot = &a_event;
            break;
        case 1:
            slot = &a_date;
            break;
        case 2:
            slot = &a_actor;
            break;
        case 3:
            slot = &a_roles;
            break;
        default:
            pk[npk++] = k;
            continue;
        }
        if (*slot) {
            PyErr_Format(PyExc_TypeError, "fire() got multiple values for argument '%U'",
                         name);
            goto out;
        }
        *slot = args[nargs + k];
    }
    if (!a_event || !a_date) {
        PyErr_Format(PyExc_TypeError, "fire() missing required argument '%s'",
                     a_event ? "date" : "event");
        goto out;
    }
    if (!(inst = zfpy_case_ptr(self)))
        goto out;
    if (zfpy_arg_date(a_date, &date) < 0)
        goto out;
    actor.id = NULL;
    if (a_actor && a_actor != Py_None && !(actor.id = zfpy_arg_str(a_actor, "actor")))
        goto out;
    fx = ZFPY_SLOT(self, zfpy_off_fx);
    /* zfpy_settle(self, 1) for the usual case inline: an EffectList only the
       case holds, not yet built, is reused as it is. */
    if (fx && !(Py_REFCNT(fx) == 1 && Py_IS_TYPE(fx, &zfpy_effects_type)
                && !((zfpy_effects *)fx)->list)
        && zfpy_settle(self, 1) < 0)
        goto out;

    names = zfpy_off_n >= 0 ? ZFPY_SLOT(self, zfpy_off_n) : NULL;
    if (names && Py_IS_TYPE(names, &zfpy_names_type)
        && ((zfpy_names *)names)->def == zf_instance_definition(inst)) {
        int r = zfpy_fire_resolved((zfpy_names *)names, inst, a_event, date, actor.id,
                                   a_roles, kwnames, args + nargs, pk, npk);
        if (r < 0)
            goto out;
        if (r > 0)
            goto fired;
    }

    /* The named path: zf_instance_fire() looks every name up and reports what
       does not resolve. */
    if (!(event = zfpy_arg_str(a_event, "event")))
        goto out;
    if ((nroles = zfpy_arg_roles(a_roles, role_copy, sizeof role_copy, role_ids)) < 0)
        goto out;
    actor.roles = role_ids;
    actor.nroles = (size_t)nroles;
    for (Py_ssize_t i = 0; i < npk; i++) {
        PyObject *name = PyTuple_GET_ITEM(kwnames, pk[i]);
        int r;
        keep[nkeep] = NULL;
        r = zfpy_arg_param(args[nargs + pk[i]], &pv[np].value, num[np], &keep[nkeep]);
        if (keep[nkeep])
            nkeep++;
        if (r < 0)
            goto out;
        if (r == 0)
            continue;
        if (!(pv[np].name = PyUnicode_AsUTF8(name)))
            goto out;
        if (pv[np].value.type != ZF_TYPE_STRING)
            typed = 1;
        np++;
    }
    err.code = ZF_OK;
    err.line = err.column = 0;
    err.file[0] = err.message[0] = '\0';
    if (zf_instance_fire(inst, event, date, &actor, pv, np, &err) != ZF_OK) {
        if (err.code == ZF_EINVAL && typed) {
            for (size_t k = 0; k < np; k++)
                zfpy_value_as_text(&pv[k].value, num[k]);
            memset(&err, 0, sizeof err);
            zf_instance_fire(inst, event, date, &actor, pv, np, &err);
        }
        if (err.code != ZF_OK) {
            zfpy_raise(&err);
            goto out;
        }
    }
fired:
    fx = ZFPY_SLOT(self, zfpy_off_fx);
    if (!fx) {
        fx = (PyObject *)zfpy_effects_new(ZFPY_SLOT(self, zfpy_off_i));
        if (!fx)
            goto out;
        ZFPY_SLOT(self, zfpy_off_fx) = fx;
    }
    Py_INCREF(fx);
    result = fx;
out:
    for (size_t k = 0; k < nkeep; k++)
        Py_DECREF(keep[k]);
    if (pv != pv_stack) {
        PyMem_Free(pk);
        PyMem_Free(pv);
        PyMem_Free(num);
        PyMem_Free(keep);
    }
    return result;
}
%}

%{
static PyMethodDef zfpy_fire_def = {
    "fire", (PyCFunction)(void (*)(void))zfpy_case_fire, METH_FASTCALL | METH_KEYWORDS,
    "fire($self, event, date, actor=None, roles=(), **params)\n--\n\n"
    "Fire `event` dated `date` by `actor` holding `roles`, with the event's\n"
    "parameters as keywords. Returns the effects of this call (an EffectList,\n"
    "built when read). `date` is a datetime.date, 'YYYY-MM-DD' or a day number\n"
    "(days since 1970-01-01); `roles` a str ('a b') or a sequence of str.\n"
    "Raises RejectedError (not allowed now), ForbiddenError (role missing),\n"
    "NotFoundError (no such event) or InvalidArgumentError (date before the\n"
    "case date, bad or missing parameter); a failing call changes nothing."
};

static PyTypeObject *zfpy_case_cls;

static Py_ssize_t zfpy_slot_offset(PyObject *cls, const char *name)
{
    PyObject *d = PyObject_GetAttrString(cls, name);
    Py_ssize_t off = -1;
    if (!d)
        return -1;
    if (Py_IS_TYPE(d, &PyMemberDescr_Type)) {
        PyMemberDef *m = ((PyMemberDescrObject *)d)->d_member;
        if (m->type == T_OBJECT_EX || m->type == T_OBJECT)
            off = m->offset;
    }
    Py_DECREF(d);
    if (off < 0)
        PyErr_Format(PyExc_TypeError, "%s is not a __slots__ member", name);
    return off;
}

/* case_install(Case, effects_of, text): make Case.fire the C fast path. */
static PyObject *zfpy_case_install(PyObject *self, PyObject *args)
{
    PyObject *cls, *effects_of, *text, *descr;
    if (!PyArg_ParseTuple(args, "O!OO:case_install", &PyType_Type, &cls, &effects_of, &text))
        return NULL;
    if (!PyDateTimeAPI) {
        PyDateTime_IMPORT;
        if (!PyDateTimeAPI)
            return NULL;
    }
    if ((zfpy_off_p = zfpy_slot_offset(cls, "_p")) < 0
        || (zfpy_off_i = zfpy_slot_offset(cls, "_i")) < 0
        || (zfpy_off_fx = zfpy_slot_offset(cls, "_fx")) < 0
        || (zfpy_off_n = zfpy_slot_offset(cls, "_n")) < 0)
        return NULL;
    if (!zfpy_kw_event) {
        zfpy_kw_event = PyUnicode_InternFromString("event");
        zfpy_kw_date = PyUnicode_InternFromString("date");
        zfpy_kw_actor = PyUnicode_InternFromString("actor");
        zfpy_kw_roles = PyUnicode_InternFromString("roles");
        if (!zfpy_kw_event || !zfpy_kw_date || !zfpy_kw_actor || !zfpy_kw_roles)
            return NULL;
    }
    Py_INCREF(effects_of);
    Py_XSETREF(zfpy_effects_of, effects_of);
    Py_INCREF(text);
    Py_XSETREF(zfpy_text_of, text);
    Py_INCREF(cls);
    Py_XSETREF(zfpy_case_cls, (PyTypeObject *)cls);
    descr = PyDescr_NewMethod((PyTypeObject *)cls, &zfpy_fire_def);
    if (!descr || PyObject_SetAttrString(cls, "fire", descr) < 0) {
        Py_XDECREF(descr);
        return NULL;
    }
    Py_DECREF(descr);
    Py_RETURN_NONE;
}

/* case_settle(case): before advance() or close(), build an EffectList that
 * fire() returned and someone still holds, and let it go. */
static PyObject *zfpy_case_settle(PyObject *self, PyObject *args)
{
    PyObject *c;
    if (!PyArg_ParseTuple(args, "O:case_settle", &c))
        return NULL;
    if (!zfpy_case_cls || !PyObject_TypeCheck(c, zfpy_case_cls))
        Py_RETURN_NONE;
    if (zfpy_settle(c, 0) < 0)
        return NULL;
    Py_RETURN_NONE;
}
%}
%native(case_install) PyObject *zfpy_case_install(PyObject *self, PyObject *args);
%native(case_settle) PyObject *zfpy_case_settle(PyObject *self, PyObject *args);
%native(names) PyObject *zfpy_names_new(PyObject *self, PyObject *args);

%init %{
    if (zfpy_effects_ready() < 0 || zfpy_names_ready() < 0)
        return NULL;
    Py_INCREF(&zfpy_effects_type);
    if (PyModule_AddObject(m, "EffectList", (PyObject *)&zfpy_effects_type) < 0)
        return NULL;
%}

%pythoncode %{
EffectList = _core.EffectList
%}
