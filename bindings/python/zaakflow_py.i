/*
 * bindings/python/zaakflow_py.i -- the Python-only parts of the binding:
 * exceptions instead of zf_code, datetime.date for zf_date, str for
 * durations and buffers. The Pythonic API lives in zaakflow/__init__.py;
 * this module (zaakflow.core) is its low-level layer.
 */
%module(package="zaakflow", docstring="Low-level SWIG layer of zaakflow; use the zaakflow package.", threads="1") core

/* Wrappers keep the GIL (one call at a time through zaakflow.core) unless marked
 * %thread below: those only create new objects from immutable inputs. */
%nothread;

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

/* zaakflow.<name> (a helper of the Python layer), looked up once and kept. NULL with
 * an exception set when the package is not importable. */
static PyObject *zfpy_helper(PyObject **cache, const char *name)
{
    PyObject *mod;
    if (*cache)
        return *cache;
    mod = PyImport_ImportModule("zaakflow");
    if (!mod)
        return NULL;
    *cache = PyObject_GetAttrString(mod, name);
    Py_DECREF(mod);
    return *cache;
}

static int zfpy_datetime_ready(void)
{
    if (!PyDateTimeAPI) {
        PyDateTime_IMPORT;
        if (!PyDateTimeAPI)
            return -1;
    }
    return 0;
}

static int zfpy_ymd(PyObject *o, zf_date *out);

/* A datetime.datetime: its calendar date in Europe/Amsterdam when it is aware
 * (zaakflow._amsterdam_date, through zoneinfo); a naive one is refused with a
 * TypeError that says how to pass a date. `what` names the argument. */
static int zfpy_datetime_date(PyObject *o, zf_date *out, const char *what)
{
    static PyObject *fn;
    PyObject *d;
    int r;
    if (!zfpy_helper(&fn, "_amsterdam_date"))
        return -1;
    d = PyObject_CallFunction(fn, "Os", o, what);
    if (!d)
        return -1;
    if (!PyDate_Check(d) || PyDateTime_Check(d)) {
        Py_DECREF(d);
        PyErr_SetString(PyExc_TypeError, "zaakflow._amsterdam_date() must return a date");
        return -1;
    }
    r = zfpy_ymd(d, out);
    Py_DECREF(d);
    return r;
}

/* A datetime.date (not a datetime) -> zf_date. */
static int zfpy_ymd(PyObject *o, zf_date *out)
{
    zf_error e;
    memset(&e, 0, sizeof e);
    if (zf_date_from_ymd(out, PyDateTime_GET_YEAR(o), PyDateTime_GET_MONTH(o),
                         PyDateTime_GET_DAY(o), &e) != ZF_OK) {
        zfpy_raise(&e);
        return -1;
    }
    return 0;
}

/* A date argument named `what`: a datetime.date, an aware datetime.datetime (its
 * date in Europe/Amsterdam) or "YYYY-MM-DD". None, a naive datetime and anything
 * else raise TypeError naming the argument. Returns 0, or -1 with an exception set. */
static int zfpy_to_date(PyObject *o, zf_date *out, const char *what)
{
    zf_error e;
    memset(&e, 0, sizeof e);
    if (zfpy_datetime_ready() < 0)
        return -1;
    /* datetime is a subclass of date: it goes first. */
    if (PyDateTime_Check(o))
        return zfpy_datetime_date(o, out, what);
    if (PyDate_Check(o))
        return zfpy_ymd(o, out);
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
    PyErr_Format(PyExc_TypeError, "%s must be a datetime.date or 'YYYY-MM-DD', not %.80s",
                 what, o == Py_None ? "None" : Py_TYPE(o)->tp_name);
    return -1;
}

static PyObject *zfpy_from_date(zf_date d)
{
    int y, m, day;
    if (zfpy_datetime_ready() < 0)
        return NULL;
    if (d == ZF_DATE_NONE || !zf_date_valid(d))
        Py_RETURN_NONE;
    zf_date_to_ymd(&y, &m, &day, d);
    return PyDate_FromDate(y, m, day);
}

/* "6w" -> zf_duration; `what` names the argument. */
static int zfpy_to_duration(PyObject *o, zf_duration *out, const char *what)
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
    PyErr_Format(PyExc_TypeError, "%s must be a duration such as '6w', not %.80s", what,
                 o == Py_None ? "None" : Py_TYPE(o)->tp_name);
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
    if (zfpy_to_date($input, &$1, "$1_name") < 0)
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
    if (zfpy_to_duration($input, &$1, "$1_name") < 0)
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

/* ---- Bytes: the compact form of a case (zf_instance_pack/unpack). ---------- */
%typemap(in, numinputs=0) zf_buf *bytes_out (zf_buf tmp) {
    memset(&tmp, 0, sizeof tmp);
    $1 = &tmp;
}
%typemap(argout) zf_buf *bytes_out {
    $result = SWIG_Python_AppendOutput(
        $result, PyBytes_FromStringAndSize($1->ptr ? $1->ptr : "", (Py_ssize_t)$1->size));
}
%typemap(freearg) zf_buf *bytes_out { zf_buf_dispose($1); }
%typemap(in) (const void *data, size_t len) {
    char *p = NULL;
    Py_ssize_t n = 0;
    if (PyBytes_AsStringAndSize($input, &p, &n) < 0)
        SWIG_fail; /* TypeError: bytes expected */
    $1 = p;
    $2 = (size_t)n;
}
%typemap(typecheck, precedence=SWIG_TYPECHECK_STRING) (const void *data, size_t len) {
    $1 = PyBytes_Check($input);
}

/* ---- No argument crashes: None is refused where C wants a string or an object.
 * (SWIG turns None into NULL; the library would take NULL for a string as a crash
 * or a guess.) Parameters that may be NULL are listed after the rule. */
%typemap(check) const char * {
    if (!$1) {
        PyErr_SetString(PyExc_TypeError, "$1_name must be a str, not None");
        SWIG_fail;
    }
}
%typemap(check) const char *actor, const char *roles, const char *hoofdzaak,
    const char *vervolg_op "";
%typemap(check) SWIGTYPE *self {
    if (!$1) {
        PyErr_SetString(PyExc_TypeError, "the object is None or was freed");
        SWIG_fail;
    }
}

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

/* A term spec borrows its calendar: keep the calendar alive while the spec lives. */
%feature("pythonappend") zf_term_spec::set_calendar %{
    self._calendar = cal
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

/* New objects from immutable inputs (a definition is read-only and may be shared):
 * these release the GIL while the library works. */
%thread zf_definition::zf_definition;
%thread definition_parse;
%thread validate_files;
%thread zf_instance::zf_instance;
%thread instance_restore;

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
 *
 * Threads. A case is used by one call at a time: each Case has a Guard (below),
 * taken by fire() and by every method of zaakflow.Case that reads or changes
 * the case. A call first converts its arguments (which may run Python code:
 * zaakflow._text(), a time zone), then takes the guard, changes the case with
 * the GIL released -- threads on different cases run in parallel -- and lets
 * the guard go before it raises or runs any Python code again. No Python code
 * runs while a fire() holds the guard: the effects of a call are copied out
 * of the case as plain data (zfpy_effects_raw) and made into Effect objects
 * later, outside.
 */
%{
#include <pythread.h>

#define ZFPY_STACK_PARAMS 16

/* Slot offsets of _p (SwigPyObject of the zf_instance), _i (the proxy), _fx
 * (the last EffectList), _n (the definition's Names) and _g (the Guard) in
 * instances of zaakflow.Case. */
static Py_ssize_t zfpy_off_p = -1, zfpy_off_i = -1, zfpy_off_fx = -1, zfpy_off_n = -1,
                  zfpy_off_g = -1;
static PyObject *zfpy_effects_of; /* zaakflow._effects_from_raw(raw) -> list */
static PyObject *zfpy_text_of;    /* zaakflow._text(value) -> str */

#define ZFPY_SLOT(obj, off) (*(PyObject **)((char *)(obj) + (off)))

/* ---- Guard: one user of a case at a time ----------------------------------
 *
 * A lock whose state changes only while the GIL is held, so taking a free guard
 * costs two stores. A thread that finds it taken releases the GIL and sleeps
 * on `wake` until the user lets it go; it never waits for the guard while
 * holding the GIL, so the user can always get the GIL back to finish. The
 * thread that holds the guard and asks for it again (a finalizer or a
 * callback that uses the case in the middle of a call) gets a RuntimeError
 * instead of a deadlock. */
typedef struct {
    PyObject_HEAD
    int busy;                /* in use */
    int waiters;             /* threads asleep on `wake` */
    PyThreadState *owner;    /* the thread that uses it */
    PyThread_type_lock wake; /* made on first contention; released to wake one */
} zfpy_guard;

static PyTypeObject zfpy_guard_type;

#if defined(__GNUC__)
#define ZFPY_NOINLINE __attribute__((noinline))
#define ZFPY_INLINE inline __attribute__((always_inline))
#else
#define ZFPY_NOINLINE
#define ZFPY_INLINE inline
#endif

static ZFPY_NOINLINE int zfpy_guard_wait(zfpy_guard *g, PyThreadState *me)
{
    if (g->owner == me) {
        PyErr_SetString(PyExc_RuntimeError,
                        "the case is in use by this thread: a callback or finalizer used "
                        "it during another call on it");
        return -1;
    }
    if (!g->wake) {
        if (!(g->wake = PyThread_allocate_lock())) {
            PyErr_NoMemory();
            return -1;
        }
        PyThread_acquire_lock(g->wake, NOWAIT_LOCK); /* taken: sleepers wait on it */
    }
    while (g->busy) {
        g->waiters++;
        Py_BEGIN_ALLOW_THREADS
        PyThread_acquire_lock(g->wake, WAIT_LOCK);
        Py_END_ALLOW_THREADS
        g->waiters--;
    }
    g->busy = 1;
    g->owner = me;
    return 0;
}

/* Take the guard for thread `me` (PyThreadState_Get()): 0, or -1 raised. */
static ZFPY_INLINE int zfpy_guard_take(zfpy_guard *g, PyThreadState *me)
{
    if (g->busy)
        return zfpy_guard_wait(g, me);
    g->busy = 1;
    g->owner = me;
    return 0;
}

static int zfpy_guard_enter(zfpy_guard *g)
{
    return zfpy_guard_take(g, PyThreadState_Get());
}

static ZFPY_INLINE void zfpy_guard_exit(zfpy_guard *g)
{
    g->busy = 0;
    g->owner = NULL;
    if (g->waiters)
        PyThread_release_lock(g->wake);
}

static PyObject *zfpy_guard_new(PyTypeObject *type, PyObject *args, PyObject *kw)
{
    zfpy_guard *g;
    if (PyTuple_GET_SIZE(args) || (kw && PyDict_GET_SIZE(kw))) {
        PyErr_SetString(PyExc_TypeError, "Guard() takes no arguments");
        return NULL;
    }
    if (!(g = (zfpy_guard *)type->tp_alloc(type, 0)))
        return NULL;
    g->busy = g->waiters = 0;
    g->owner = NULL;
    g->wake = NULL;
    return (PyObject *)g;
}

static void zfpy_guard_dealloc(zfpy_guard *g)
{
    if (g->wake)
        PyThread_free_lock(g->wake);
    Py_TYPE(g)->tp_free((PyObject *)g);
}

static PyObject *zfpy_guard_enter_py(PyObject *self, PyObject *unused)
{
    if (zfpy_guard_enter((zfpy_guard *)self) < 0)
        return NULL;
    Py_INCREF(self);
    return self;
}

static PyObject *zfpy_guard_exit_py(PyObject *self, PyObject *args)
{
    zfpy_guard *g = (zfpy_guard *)self;
    if (!g->busy || g->owner != PyThreadState_Get()) {
        PyErr_SetString(PyExc_RuntimeError, "the guard is not held by this thread");
        return NULL;
    }
    zfpy_guard_exit(g);
    Py_RETURN_FALSE;
}

static PyMethodDef zfpy_guard_methods[] = {
    {"__enter__", zfpy_guard_enter_py, METH_NOARGS, "Take the guard (waits without the GIL)."},
    {"__exit__", zfpy_guard_exit_py, METH_VARARGS, "Let the guard go."},
    {NULL, NULL, 0, NULL}
};

static PyTypeObject zfpy_guard_type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    "zaakflow.core.Guard",
    sizeof(zfpy_guard),
};

static int zfpy_guard_ready(void)
{
    PyTypeObject *t = &zfpy_guard_type;
    t->tp_flags = Py_TPFLAGS_DEFAULT;
    t->tp_doc = "One user of a case at a time: `with guard:` (see Case).";
    t->tp_new = zfpy_guard_new;
    t->tp_dealloc = (destructor)zfpy_guard_dealloc;
    t->tp_methods = zfpy_guard_methods;
    return PyType_Ready(t);
}

/* Whether another Python thread may want the GIL while the library works: the
 * interpreter has more than one thread state, i.e. ours has a neighbour in the
 * interpreter's list of them (struct _ts of the non-limited API, which this
 * module is built against: its file name carries the interpreter's ABI tag).
 * Without other threads the GIL stays held (releasing and taking it back costs
 * about 340 instructions, a sixth of a fire); a thread that starts later is
 * seen by the next call. */
static ZFPY_INLINE int zfpy_threads(PyThreadState *ts)
{
    return ts->prev != NULL || ts->next != NULL;
}

/* ---- Effects as plain data ------------------------------------------------ */
/* Text of a value as zf_value_format() writes it, or None for a void value. */
static PyObject *zfpy_value_text(const zf_value *v)
{
    zf_buf b = ZF_BUF_INIT;
    PyObject *r;
    if (v->type == ZF_TYPE_VOID)
        Py_RETURN_NONE;
    if (zf_value_format(&b, v, NULL) != ZF_OK) {
        zf_buf_dispose(&b);
        return PyErr_NoMemory();
    }
    r = PyUnicode_DecodeUTF8(b.ptr ? b.ptr : "", (Py_ssize_t)b.size, "replace");
    zf_buf_dispose(&b);
    return r;
}

static PyObject *zfpy_str_or_none(const char *s)
{
    if (!s)
        Py_RETURN_NONE;
    return PyUnicode_DecodeUTF8(s, (Py_ssize_t)strlen(s), "replace");
}

/* The effects of the last successful call of `inst` as a list of tuples
 * (kind, date, to, text, process, relation, ((name, type, text), ...)): only
 * str, int, date and tuples, so no Python code runs (the caller holds the
 * case's guard). zaakflow._effects_from_raw() makes Effect objects of them. */
static PyObject *zfpy_effects_raw(const zf_instance *inst)
{
    size_t n = zf_instance_effect_count(inst);
    PyObject *out = PyList_New((Py_ssize_t)n);
    if (!out)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        zf_effect e;
        PyObject *ps, *t;
        memset(&e, 0, sizeof e);
        if (zf_instance_effect(&e, inst, i, NULL) != ZF_OK)
            e.nparams = 0;
        if (!(ps = PyTuple_New((Py_ssize_t)e.nparams)))
            goto fail;
        for (size_t j = 0; j < e.nparams; j++) {
            zf_param_value pv;
            memset(&pv, 0, sizeof pv);
            zf_instance_effect_param(&pv, inst, i, j, NULL);
            t = Py_BuildValue("(NiN)", zfpy_str_or_none(pv.name), (int)pv.value.type,
                              zfpy_value_text(&pv.value));
            if (!t) {
                Py_DECREF(ps);
                goto fail;
            }
            PyTuple_SET_ITEM(ps, (Py_ssize_t)j, t);
        }
        t = Py_BuildValue("(iNNNNNN)", (int)e.kind, zfpy_from_date(e.date),
                          zfpy_str_or_none(e.to), zfpy_str_or_none(e.text),
                          zfpy_str_or_none(e.process), zfpy_str_or_none(e.relation), ps);
        if (!t)
            goto fail;
        PyList_SET_ITEM(out, (Py_ssize_t)i, t);
    }
    return out;
fail:
    Py_DECREF(out);
    return NULL;
}

/* The zf_instance of a SwigPyObject, or NULL (no exception). */
static ZFPY_INLINE zf_instance *zfpy_instance_of(PyObject *p)
{
    if (p && SwigPyObject_Check(p) && ((SwigPyObject *)p)->ptr
        && ((SwigPyObject *)p)->ty == SWIGTYPE_p_zf_instance)
        return (zf_instance *)((SwigPyObject *)p)->ptr;
    return NULL;
}

/* ---- EffectList: a read-only sequence built on first use. ----------------
 *
 * While pending it holds the case's SwigPyObject and Guard: the effects it
 * stands for are still the case's. Before the case changes, the caller that
 * holds the guard copies them into `raw` (zfpy_settle); a reader copies them
 * itself, under the guard. */
typedef struct {
    PyObject_HEAD
    PyObject *handle; /* while pending: the case's SwigPyObject (keeps it alive) */
    PyObject *guard;  /* while pending: the case's Guard */
    PyObject *raw;    /* the effects as plain data, once copied */
    PyObject *list;   /* the Effect objects once built */
} zfpy_effects;

static PyTypeObject zfpy_effects_type;

/* Copy a pending list's effects out of the case; the caller holds the guard. */
static int zfpy_effects_capture(zfpy_effects *fx)
{
    zf_instance *inst;
    if (fx->raw || fx->list || !fx->handle)
        return 0;
    inst = zfpy_instance_of(fx->handle);
    fx->raw = inst ? zfpy_effects_raw(inst) : PyList_New(0);
    if (!fx->raw)
        return -1;
    Py_CLEAR(fx->handle);
    Py_CLEAR(fx->guard);
    return 0;
}

static PyObject *zfpy_effects_list(zfpy_effects *fx)
{
    PyObject *list;
    if (fx->list)
        return fx->list;
    if (fx->handle) {
        zfpy_guard *g = (zfpy_guard *)fx->guard;
        int r;
        Py_INCREF(g);
        if (zfpy_guard_enter(g) < 0) {
            Py_DECREF(g);
            return NULL;
        }
        r = zfpy_effects_capture(fx); /* unless the case did while we waited */
        zfpy_guard_exit(g);
        Py_DECREF(g);
        if (r < 0)
            return NULL;
    }
    if (fx->list) /* built by another thread meanwhile */
        return fx->list;
    if (fx->raw && zfpy_effects_of)
        list = PyObject_CallOneArg(zfpy_effects_of, fx->raw);
    else
        list = PyList_New(0);
    if (!list)
        return NULL;
    if (fx->list) /* ... or while we built ours */
        Py_DECREF(list);
    else
        fx->list = list;
    Py_CLEAR(fx->raw);
    return fx->list;
}

static zfpy_effects *zfpy_effects_new(PyObject *handle, PyObject *guard)
{
    zfpy_effects *fx = PyObject_GC_New(zfpy_effects, &zfpy_effects_type);
    if (!fx)
        return NULL;
    Py_XINCREF(handle);
    Py_XINCREF(guard);
    fx->handle = handle;
    fx->guard = guard;
    fx->raw = NULL;
    fx->list = NULL;
    PyObject_GC_Track(fx);
    return fx;
}

static int zfpy_effects_traverse(zfpy_effects *fx, visitproc visit, void *arg)
{
    Py_VISIT(fx->handle);
    Py_VISIT(fx->guard);
    Py_VISIT(fx->raw);
    Py_VISIT(fx->list);
    return 0;
}

static int zfpy_effects_clear(zfpy_effects *fx)
{
    Py_CLEAR(fx->handle);
    Py_CLEAR(fx->guard);
    Py_CLEAR(fx->raw);
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

/* Before the case changes (the caller holds its guard): an EffectList someone
 * else still holds gets its effects copied out and is let go; one only the case
 * holds is reset for reuse (`reuse`) or dropped. No Python code runs: the copy
 * is plain data and the collector waits until it is made. */
static int zfpy_settle(PyObject *self, int reuse)
{
    PyObject *fx = ZFPY_SLOT(self, zfpy_off_fx);
    zfpy_effects *e = (zfpy_effects *)fx;
    if (!fx)
        return 0;
    if (Py_IS_TYPE(fx, &zfpy_effects_type)) {
        if (reuse && Py_REFCNT(fx) == 1) {
            if (!e->handle) { /* built or copied: pending on the case again */
                PyObject *p = ZFPY_SLOT(self, zfpy_off_p), *g = ZFPY_SLOT(self, zfpy_off_g);
                Py_CLEAR(e->list);
                Py_CLEAR(e->raw);
                Py_XINCREF(p);
                Py_XSETREF(e->handle, p);
                Py_XINCREF(g);
                Py_XSETREF(e->guard, g);
            }
            return 0;
        }
        if (Py_REFCNT(fx) > 1) {
            int gc = PyGC_Disable(), r = zfpy_effects_capture(e);
            if (gc)
                PyGC_Enable();
            if (r < 0)
                return -1;
        }
    }
    ZFPY_SLOT(self, zfpy_off_fx) = NULL;
    Py_DECREF(fx);
    return 0;
}

/* ---- Case.fire ------------------------------------------------------------ */
/* The exception zaakflow would raise for `e`, not raised (a new reference). */
static PyObject *zfpy_error_object(const zf_error *e)
{
    static PyObject *make;
    const char *msg = e->message[0] ? e->message : zf_strerror(e->code);
    if (!zfpy_helper(&make, "_error_from_c"))
        return NULL;
    return PyObject_CallFunction(make, "iNNii", (int)e->code,
                                 PyUnicode_DecodeUTF8(msg, strlen(msg), "replace"),
                                 PyUnicode_DecodeUTF8(e->file,
                                                      strnlen(e->file, sizeof e->file),
                                                      "replace"),
                                 e->line, e->column);
}

static int zfpy_raise_code(zf_code code, const char *msg)
{
    zf_error e;
    memset(&e, 0, sizeof e);
    e.code = code;
    snprintf(e.message, sizeof e.message, "%s", msg);
    zfpy_raise(&e);
    return -1;
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

/* A date argument named `what`: a datetime.date, an aware datetime (its date in
 * Europe/Amsterdam), an int day number (days since 1970-01-01) or "YYYY-MM-DD". */
static const char *zfpy_utf8(PyObject *o);

static int zfpy_arg_date(PyObject *o, zf_date *out, PyObject *name)
{
    zfpy_name *set = zfpy_name_set(zfpy_dates, o, 0), *e = zfpy_name_find(set, o, 0);
    if (e) { /* only exact datetime.date objects are kept */
        *out = (zf_date)(int32_t)e->val;
        return 0;
    }
    if (PyDate_CheckExact(o)) {
        int y = PyDateTime_GET_YEAR(o), m = PyDateTime_GET_MONTH(o),
            d = PyDateTime_GET_DAY(o);
        /* days from civil (H. Hinnant); datetime.date is always a valid date */
        int yy = y - (m <= 2);
        int era = (yy >= 0 ? yy : yy - 399) / 400;
        int yoe = yy - era * 400;
        int doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
        int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        *out = (zf_date)(era * 146097 + doe - 719468);
        zfpy_name_keep(set, o, (uint32_t)(int32_t)*out, 0);
        return 0;
    }
    if (PyLong_Check(o) && !PyBool_Check(o)) {
        int overflow = 0;
        long v = PyLong_AsLongAndOverflow(o, &overflow);
        if (v == -1 && PyErr_Occurred())
            return -1;
        if (overflow || v < -719162L || v > 2932896L || !zf_date_valid((zf_date)v))
            return zfpy_raise_code(ZF_ERANGE, "day number outside the years 1-9999");
        *out = (zf_date)v;
        return 0;
    }
    /* datetime, date subclasses, str; else TypeError naming the argument */
    if (name) {
        const char *what = zfpy_utf8(name);
        return what ? zfpy_to_date(o, out, what) : -1;
    }
    return zfpy_to_date(o, out, "date");
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
    PyErr_Format(PyExc_TypeError, "%s must be a str, not %.80s", what,
                 o == Py_None ? "None" : Py_TYPE(o)->tp_name);
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
    PyErr_Format(PyExc_TypeError, "roles must be a str or a sequence of str, not %.80s",
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
static int zfpy_arg_param(PyObject *o, PyObject *name, zf_value *v, char num[32],
                          PyObject **keep)
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
        if (zfpy_arg_date(o, &d, name) < 0)
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
        PyErr_SetString(PyExc_TypeError, "unsupported parameter value");
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

/* ---- One call, its arguments converted ------------------------------------ */
typedef struct {
    zf_date date;
    zf_actor actor; /* id; and the role names on the named path */
    int resolved;   /* 1: `call` is ready for zf_instance_fire_resolved() */
    int typed;      /* a value went in typed (bool, date, enumeration) */
    /* resolved path */
    zf_event_call call;
    size_t nvals;
    size_t role_idx[ZFB_MAX_ROLES];
    zf_value vals[ZFPY_STACK_PARAMS];
    /* named path */
    const char *event;
    const char *role_ids[ZFB_MAX_ROLES];
    char role_copy[1024];
    zf_param_value *pv;
    size_t np;
    /* both: text of ints and dates, str made by zaakflow._text() (held) */
    char (*num)[32];
    PyObject **keep;
    size_t nkeep;
} zfpy_call;

/* The call through zf_instance_fire_resolved() when every name resolves in the
 * definition's Names: 1 ready, 0 take the named path, -1 raised. `pk` holds the
 * positions in `kwnames` of the `npk` event parameters. May run Python code
 * (zaakflow._text()): before the guard is taken. */
static int zfpy_prepare_resolved(zfpy_call *c, zfpy_names *names, PyObject *a_event,
                                 PyObject *a_roles, PyObject *kwnames,
                                 PyObject *const *kwvals, const Py_ssize_t *pk,
                                 Py_ssize_t npk)
{
    int ev;
    uint32_t role_bits;

    if ((ev = zfpy_names_event(names, a_event, &c->nvals)) < 0)
        return 0;
    if (c->nvals > ZFPY_STACK_PARAMS || npk > (Py_ssize_t)c->nvals
        || !zfpy_names_roles(names, a_roles, &role_bits))
        return 0;
    c->call.roles = c->role_idx;
    c->call.nroles = 0;
    for (uint32_t b = role_bits; b; b &= b - 1)
        c->role_idx[c->call.nroles++] = (size_t)__builtin_ctz(b);
    for (size_t k = 0; k < c->nvals; k++)
        c->vals[k].type = ZF_TYPE_VOID; /* not given */
    c->typed = 0;
    for (Py_ssize_t i = 0; i < npk; i++) {
        PyObject *name = PyTuple_GET_ITEM(kwnames, pk[i]);
        int k = zfpy_names_param(names, name, (uint32_t)ev);
        if (k < 0)
            return 0;
        PyObject *o = kwvals[pk[i]];
        zf_value *v = &c->vals[k];
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
                c->typed = 1;
            } else {
                v->type = ZF_TYPE_STRING;
                v->as.s = ZFPY_ASCII_TEXT(o);
                v->enum_index = 0;
            }
            continue;
        }
        c->keep[c->nkeep] = NULL;
        int r = zfpy_arg_param(o, name, v, c->num[k], &c->keep[c->nkeep]);
        if (c->keep[c->nkeep])
            c->nkeep++;
        if (r < 0)
            return -1;
        if (v->type != ZF_TYPE_VOID && v->type != ZF_TYPE_STRING)
            c->typed = 1;
    }
    c->call.event = (size_t)ev;
    c->call.date = c->date;
    c->call.actor = c->actor.id;
    c->call.params = c->vals;
    c->resolved = 1;
    return 1;
}

/* The call through zf_instance_fire() (or zf_instance_can_fire()): names as text;
 * the library looks them up and reports what does not resolve. 0 or -1 raised. */
static int zfpy_prepare_named(zfpy_call *c, PyObject *a_event, PyObject *a_roles,
                              PyObject *kwnames, PyObject *const *kwvals,
                              const Py_ssize_t *pk, Py_ssize_t npk)
{
    Py_ssize_t nroles;
    c->resolved = 0;
    c->typed = 0;
    c->np = 0;
    if (!(c->event = zfpy_arg_str(a_event, "event")))
        return -1;
    if ((nroles = zfpy_arg_roles(a_roles, c->role_copy, sizeof c->role_copy, c->role_ids))
        < 0)
        return -1;
    c->actor.roles = c->role_ids;
    c->actor.nroles = (size_t)nroles;
    for (Py_ssize_t i = 0; i < npk; i++) {
        PyObject *name = PyTuple_GET_ITEM(kwnames, pk[i]);
        zf_param_value *pv = &c->pv[c->np];
        int r;
        c->keep[c->nkeep] = NULL;
        r = zfpy_arg_param(kwvals[pk[i]], name, &pv->value, c->num[c->np],
                           &c->keep[c->nkeep]);
        if (c->keep[c->nkeep])
            c->nkeep++;
        if (r < 0)
            return -1;
        if (r == 0)
            continue;
        if (!(pv->name = PyUnicode_AsUTF8(name)))
            return -1;
        if (pv->value.type != ZF_TYPE_STRING)
            c->typed = 1;
        c->np++;
    }
    return 0;
}

/* The library call: only C data, so it runs without the GIL. A typed value the
 * library refuses (EINVAL) is tried again as text. */
static ZFPY_INLINE zf_code zfpy_run(zfpy_call *c, zf_instance *inst, int dry, zf_error *err)
{
    zf_code rc;
    if (c->resolved) {
        rc = zf_instance_fire_resolved(inst, &c->call, err);
        if (rc == ZF_EINVAL && c->typed) {
            for (size_t k = 0; k < c->nvals; k++)
                zfpy_value_as_text(&c->vals[k], c->num[k]);
            memset(err, 0, sizeof *err);
            rc = zf_instance_fire_resolved(inst, &c->call, err);
        }
        return rc;
    }
    rc = dry ? zf_instance_can_fire(inst, c->event, c->date, &c->actor, c->pv, c->np, err)
             : zf_instance_fire(inst, c->event, c->date, &c->actor, c->pv, c->np, err);
    if (rc == ZF_EINVAL && c->typed) {
        for (size_t k = 0; k < c->np; k++)
            zfpy_value_as_text(&c->pv[k].value, c->num[k]);
        memset(err, 0, sizeof *err);
        rc = dry ? zf_instance_can_fire(inst, c->event, c->date, &c->actor, c->pv, c->np,
                                        err)
                 : zf_instance_fire(inst, c->event, c->date, &c->actor, c->pv, c->np, err);
    }
    return rc;
}

/* fire() (dry 0): the EffectList of the call, or NULL raised. can_fire() (dry 1):
 * None when fire() would take the event, else the exception it would raise (not
 * raised); NULL when the arguments themselves are wrong. */
static PyObject *zfpy_case_call(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                                PyObject *kwnames, int dry)
{
    PyObject *a_event = NULL, *a_date = NULL, *a_actor = NULL, *a_roles = NULL;
    Py_ssize_t nkw = kwnames ? PyTuple_GET_SIZE(kwnames) : 0, npk = 0;
    Py_ssize_t pk_stack[ZFPY_STACK_PARAMS], *pk = pk_stack;
    zf_param_value pv_stack[ZFPY_STACK_PARAMS];
    char num_stack[ZFPY_STACK_PARAMS][32];
    PyObject *keep_stack[2 * ZFPY_STACK_PARAMS];
    PyObject *result = NULL, *fx, *names, *p = NULL, *g = NULL, *fresh = NULL;
    zf_instance *inst;
    zfpy_call c;
    zf_error err;
    zf_code rc;
    PyThreadState *me;
    int held = 0;

    const char *fname = dry ? "can_fire" : "fire";
    c.pv = pv_stack;
    c.num = num_stack;
    c.keep = keep_stack;
    c.nkeep = 0;
    if (nargs > 4) {
        PyErr_Format(PyExc_TypeError, "%s() takes at most 4 positional arguments (%zd given)",
                     fname, nargs);
        return NULL;
    }
    a_event = nargs > 0 ? args[0] : NULL;
    a_date = nargs > 1 ? args[1] : NULL;
    a_actor = nargs > 2 ? args[2] : NULL;
    a_roles = nargs > 3 ? args[3] : NULL;
    if (nkw > ZFPY_STACK_PARAMS) {
        pk = (Py_ssize_t *)PyMem_Malloc((size_t)nkw * sizeof *pk);
        c.pv = (zf_param_value *)PyMem_Malloc((size_t)nkw * sizeof *c.pv);
        c.num = (char (*)[32])PyMem_Malloc((size_t)nkw * sizeof *c.num);
        c.keep = (PyObject **)PyMem_Malloc(2 * (size_t)nkw * sizeof *c.keep);
        if (!pk || !c.pv || !c.num || !c.keep) {
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
            PyErr_Format(PyExc_TypeError, "%s() got multiple values for argument '%U'",
                         fname, name);
            goto out;
        }
        *slot = args[nargs + k];
    }
    if (!a_event || !a_date) {
        PyErr_Format(PyExc_TypeError, "%s() missing required argument '%s'", fname,
                     a_event ? "date" : "event");
        goto out;
    }
    /* The case's SwigPyObject and guard, held for the call: a close() or a
       dropped reference meanwhile cannot free them under us. */
    p = ZFPY_SLOT(self, zfpy_off_p);
    g = ZFPY_SLOT(self, zfpy_off_g);
    if (!(inst = zfpy_instance_of(p)) || !g || !Py_IS_TYPE(g, &zfpy_guard_type)) {
        p = g = NULL;
        zfpy_raise_code(ZF_EINVAL, "the case is closed");
        goto out;
    }
    Py_INCREF(p);
    Py_INCREF(g);
    if (zfpy_arg_date(a_date, &c.date, NULL) < 0)
        goto out;
    c.actor.id = NULL;
    c.actor.roles = NULL;
    c.actor.nroles = 0;
    if (a_actor && a_actor != Py_None && !(c.actor.id = zfpy_arg_str(a_actor, "actor")))
        goto out;

    /* Convert everything before taking the guard: this may run Python code. */
    c.resolved = 0;
    names = zfpy_off_n >= 0 ? ZFPY_SLOT(self, zfpy_off_n) : NULL;
    if (!dry && names && Py_IS_TYPE(names, &zfpy_names_type)
        && ((zfpy_names *)names)->def == zf_instance_definition(inst)) {
        int r = zfpy_prepare_resolved(&c, (zfpy_names *)names, a_event, a_roles, kwnames,
                                      args + nargs, pk, npk);
        if (r < 0)
            goto out;
    }
    if (!c.resolved && zfpy_prepare_named(&c, a_event, a_roles, kwnames, args + nargs, pk,
                                          npk) < 0)
        goto out;
    if (!dry) {
        /* The EffectList to return, made now unless the case's last one will be
           reused (only the case holds it): no allocation, and so no collection,
           while the guard is held. */
        fx = ZFPY_SLOT(self, zfpy_off_fx);
        if ((!fx || Py_REFCNT(fx) > 1 || !Py_IS_TYPE(fx, &zfpy_effects_type))
            && !(fresh = (PyObject *)zfpy_effects_new(p, g)))
            goto out;
    }

    me = PyThreadState_Get();
    if (zfpy_guard_take((zfpy_guard *)g, me) < 0)
        goto out;
    held = 1;
    if (ZFPY_SLOT(self, zfpy_off_p) != p) { /* closed while we waited */
        zfpy_guard_exit((zfpy_guard *)g);
        held = 0;
        zfpy_raise_code(ZF_EINVAL, "the case is closed");
        goto out;
    }
    if (!dry) {
        fx = ZFPY_SLOT(self, zfpy_off_fx);
        /* zfpy_settle(self, 1) for the usual case inline: an EffectList only the
           case holds, not yet built, is reused as it is. */
        if (fx && !(Py_REFCNT(fx) == 1 && Py_IS_TYPE(fx, &zfpy_effects_type)
                    && ((zfpy_effects *)fx)->handle)
            && zfpy_settle(self, 1) < 0)
            goto out;
    }
    err.code = ZF_OK;
    err.line = err.column = 0;
    err.file[0] = err.message[0] = '\0';
    if (zfpy_threads(me)) {
        Py_BEGIN_ALLOW_THREADS
        rc = zfpy_run(&c, inst, dry, &err);
        Py_END_ALLOW_THREADS
    } else {
        rc = zfpy_run(&c, inst, dry, &err);
    }
    if (rc == ZF_OK && !dry) {
        if (!(fx = ZFPY_SLOT(self, zfpy_off_fx))) {
            if (!fresh) { /* another thread took ours in between: rare */
                int gc = PyGC_Disable();
                fresh = (PyObject *)zfpy_effects_new(p, g);
                if (gc)
                    PyGC_Enable();
                if (!fresh)
                    goto out;
            }
            ZFPY_SLOT(self, zfpy_off_fx) = fx = fresh;
            fresh = NULL;
        }
        Py_INCREF(fx);
        result = fx;
    }
    zfpy_guard_exit((zfpy_guard *)g);
    held = 0;
    if (rc != ZF_OK) {
        if (dry)
            result = zfpy_error_object(&err);
        else
            zfpy_raise(&err);
    } else if (dry) {
        Py_INCREF(Py_None);
        result = Py_None;
    }
out:
    if (held)
        zfpy_guard_exit((zfpy_guard *)g);
    Py_XDECREF(fresh);
    for (size_t k = 0; k < c.nkeep; k++)
        Py_DECREF(c.keep[k]);
    Py_XDECREF(p);
    Py_XDECREF(g);
    if (pk != pk_stack) {
        PyMem_Free(pk);
        if (c.pv != pv_stack)
            PyMem_Free(c.pv);
        if (c.num != num_stack)
            PyMem_Free(c.num);
        if (c.keep != keep_stack)
            PyMem_Free(c.keep);
    }
    return result;
}

static PyObject *zfpy_case_fire(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                                PyObject *kwnames)
{
    return zfpy_case_call(self, args, nargs, kwnames, 0);
}

static PyObject *zfpy_case_can_fire(PyObject *self, PyObject *const *args,
                                    Py_ssize_t nargs, PyObject *kwnames)
{
    return zfpy_case_call(self, args, nargs, kwnames, 1);
}
%}

%{
static PyMethodDef zfpy_fire_def = {
    "fire", (PyCFunction)(void (*)(void))zfpy_case_fire, METH_FASTCALL | METH_KEYWORDS,
    "fire($self, event, date, actor=None, roles=(), **params)\n--\n\n"
    "Fire `event` dated `date` by `actor` holding `roles`, with the event's\n"
    "parameters as keywords. Returns the effects of this call (an EffectList,\n"
    "built when read). `date` is a datetime.date, an aware datetime (its date in\n"
    "Europe/Amsterdam), 'YYYY-MM-DD' or a day number (days since 1970-01-01);\n"
    "`roles` a str ('a b') or a sequence of str.\n"
    "Raises RejectedError (not allowed now), ForbiddenError (role missing),\n"
    "NotFoundError (no such event) or InvalidArgumentError (date before the\n"
    "case date, bad or missing parameter); a failing call changes nothing.\n"
    "TypeError for an argument of the wrong type (None for event or date, a\n"
    "naive datetime)."
};

static PyMethodDef zfpy_can_fire_def = {
    "_can_fire", (PyCFunction)(void (*)(void))zfpy_case_can_fire,
    METH_FASTCALL | METH_KEYWORDS,
    "_can_fire($self, event, date, actor=None, roles=(), **params)\n--\n\n"
    "fire() as a dry run: None when it would take the event, else the exception\n"
    "it would raise (not raised). Changes nothing."
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

static int zfpy_set_method(PyObject *cls, PyMethodDef *def)
{
    PyObject *descr = PyDescr_NewMethod((PyTypeObject *)cls, def);
    int r = descr ? PyObject_SetAttrString(cls, def->ml_name, descr) : -1;
    Py_XDECREF(descr);
    return r;
}

/* case_install(Case, effects_from_raw, text): make Case.fire and Case._can_fire
 * the C fast path. */
static PyObject *zfpy_case_install(PyObject *self, PyObject *args)
{
    PyObject *cls, *effects_of, *text;
    if (!PyArg_ParseTuple(args, "O!OO:case_install", &PyType_Type, &cls, &effects_of, &text))
        return NULL;
    if (zfpy_datetime_ready() < 0)
        return NULL;
    if ((zfpy_off_p = zfpy_slot_offset(cls, "_p")) < 0
        || (zfpy_off_i = zfpy_slot_offset(cls, "_i")) < 0
        || (zfpy_off_fx = zfpy_slot_offset(cls, "_fx")) < 0
        || (zfpy_off_n = zfpy_slot_offset(cls, "_n")) < 0
        || (zfpy_off_g = zfpy_slot_offset(cls, "_g")) < 0)
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
    if (zfpy_set_method(cls, &zfpy_fire_def) < 0 || zfpy_set_method(cls, &zfpy_can_fire_def) < 0)
        return NULL;
    Py_RETURN_NONE;
}

/* case_settle(case): the caller holds the case's guard and is about to change
 * the case (advance, close): an EffectList fire() returned and someone still
 * holds gets its effects copied out, and is let go. */
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

static zf_instance *zfpy_open_instance(PyObject *p)
{
    zf_instance *inst = zfpy_instance_of(p);
    if (!inst)
        zfpy_raise_code(ZF_EINVAL, "the case is closed");
    return inst;
}

/* effects_raw(case's SwigPyObject): the effects of its last call as plain data
 * (see zfpy_effects_raw); the caller holds the case's guard. */
static PyObject *zfpy_effects_raw_py(PyObject *self, PyObject *arg)
{
    zf_instance *inst = zfpy_open_instance(arg);
    return inst ? zfpy_effects_raw(inst) : NULL;
}

/* journal_raw(case's SwigPyObject): the journal as a list of
 * (seq, date, event, actor, ((kind, name, text, date, type, value text), ...));
 * the caller holds the case's guard. */
static PyObject *zfpy_journal_raw_py(PyObject *self, PyObject *arg)
{
    zf_instance *inst = zfpy_open_instance(arg);
    size_t n;
    PyObject *out;
    if (!inst)
        return NULL;
    n = zf_instance_journal_count(inst);
    if (!(out = PyList_New((Py_ssize_t)n)))
        return NULL;
    for (size_t i = 0; i < n; i++) {
        zf_journal_entry e;
        PyObject *items, *t;
        memset(&e, 0, sizeof e);
        zf_instance_journal_entry(&e, inst, i, NULL);
        if (!(items = PyTuple_New((Py_ssize_t)e.nitems)))
            goto fail;
        for (size_t j = 0; j < e.nitems; j++) {
            zf_journal_item it;
            memset(&it, 0, sizeof it);
            zf_instance_journal_item(&it, inst, i, j, NULL);
            t = Py_BuildValue("(iNNNiN)", (int)it.kind, zfpy_str_or_none(it.name),
                              zfpy_str_or_none(it.text), zfpy_from_date(it.date),
                              (int)it.value.type, zfpy_value_text(&it.value));
            if (!t) {
                Py_DECREF(items);
                goto fail;
            }
            PyTuple_SET_ITEM(items, (Py_ssize_t)j, t);
        }
        t = Py_BuildValue("(kNNNN)", (unsigned long)e.seq, zfpy_from_date(e.date),
                          zfpy_str_or_none(e.event), zfpy_str_or_none(e.actor), items);
        if (!t)
            goto fail;
        PyList_SET_ITEM(out, (Py_ssize_t)i, t);
    }
    return out;
fail:
    Py_DECREF(out);
    return NULL;
}

/* A text of the case written by `fn` (zf_instance_snapshot, zf_instance_timeline):
 * the case's guard is taken here and the library writes without the GIL, so a
 * thread writing a large snapshot lets the others run. */
typedef zf_code (*zfpy_writer)(zf_buf *out, const zf_instance *inst, zf_error *err);

static PyObject *zfpy_case_text(PyObject *c, zfpy_writer fn)
{
    PyObject *p, *g, *r = NULL;
    zf_instance *inst;
    PyThreadState *me = PyThreadState_Get();
    zf_buf b = ZF_BUF_INIT;
    zf_error err;
    zf_code rc;
    if (!zfpy_case_cls || !PyObject_TypeCheck(c, zfpy_case_cls)) {
        PyErr_Format(PyExc_TypeError, "case must be a zaakflow.Case, not %.80s",
                     c == Py_None ? "None" : Py_TYPE(c)->tp_name);
        return NULL;
    }
    p = ZFPY_SLOT(c, zfpy_off_p);
    g = ZFPY_SLOT(c, zfpy_off_g);
    if (!g || !Py_IS_TYPE(g, &zfpy_guard_type) || !zfpy_instance_of(p)) {
        zfpy_raise_code(ZF_EINVAL, "the case is closed");
        return NULL;
    }
    Py_INCREF(g);
    if (zfpy_guard_take((zfpy_guard *)g, me) < 0) {
        Py_DECREF(g);
        return NULL;
    }
    p = ZFPY_SLOT(c, zfpy_off_p); /* as it is now that the guard is ours */
    if (!(inst = zfpy_instance_of(p))) {
        zfpy_guard_exit((zfpy_guard *)g);
        Py_DECREF(g);
        zfpy_raise_code(ZF_EINVAL, "the case is closed");
        return NULL;
    }
    memset(&err, 0, sizeof err);
    if (zfpy_threads(me)) {
        Py_BEGIN_ALLOW_THREADS
        rc = fn(&b, inst, &err);
        Py_END_ALLOW_THREADS
    } else {
        rc = fn(&b, inst, &err);
    }
    zfpy_guard_exit((zfpy_guard *)g);
    Py_DECREF(g);
    if (rc != ZF_OK)
        zfpy_raise(&err);
    else
        r = PyUnicode_DecodeUTF8(b.ptr ? b.ptr : "", (Py_ssize_t)b.size, "replace");
    zf_buf_dispose(&b);
    return r;
}

static PyObject *zfpy_case_snapshot_py(PyObject *self, PyObject *c)
{
    return zfpy_case_text(c, zf_instance_snapshot);
}

static PyObject *zfpy_case_timeline_py(PyObject *self, PyObject *c)
{
    return zfpy_case_text(c, zf_instance_timeline);
}
%}
%native(case_install) PyObject *zfpy_case_install(PyObject *self, PyObject *args);
%native(case_settle) PyObject *zfpy_case_settle(PyObject *self, PyObject *args);
%native(names) PyObject *zfpy_names_new(PyObject *self, PyObject *args);
%{
static PyMethodDef zfpy_extra_methods[] = {
    {"effects_raw", zfpy_effects_raw_py, METH_O, "Effects of the last call as plain data."},
    {"journal_raw", zfpy_journal_raw_py, METH_O, "The journal as plain data."},
    {"case_snapshot", zfpy_case_snapshot_py, METH_O, "Case.snapshot(), guarded, without the GIL."},
    {"case_timeline", zfpy_case_timeline_py, METH_O, "Case.timeline(), guarded, without the GIL."},
    {NULL, NULL, 0, NULL}
};
%}

%init %{
    if (zfpy_effects_ready() < 0 || zfpy_names_ready() < 0 || zfpy_guard_ready() < 0)
        return NULL;
    Py_INCREF(&zfpy_effects_type);
    if (PyModule_AddObject(m, "EffectList", (PyObject *)&zfpy_effects_type) < 0)
        return NULL;
    Py_INCREF(&zfpy_guard_type);
    if (PyModule_AddObject(m, "Guard", (PyObject *)&zfpy_guard_type) < 0)
        return NULL;
    if (PyModule_AddFunctions(m, zfpy_extra_methods) < 0)
        return NULL;
%}

%pythoncode %{
EffectList = _core.EffectList
Guard = _core.Guard
effects_raw = _core.effects_raw
journal_raw = _core.journal_raw
case_snapshot = _core.case_snapshot
case_timeline = _core.case_timeline
%}
