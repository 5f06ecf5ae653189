/*
 * bindings/zaakflow.i -- the language-neutral SWIG interface of zaakflow.
 *
 * Each language file (python/zaakflow_py.i, java/zaakflow_java.i) declares its
 * typemaps for zf_error (exceptions), zf_date (datetime.date / LocalDate),
 * zf_duration and zf_buf (strings), and the `out` parameters, and then
 * %includes this file. Nothing here depends on a target language.
 *
 * Opaque handles get a SWIG-only empty struct body so that %extend can give
 * them constructors and destructors; the C compiler only ever sees pointers.
 *
 * The binding wraps what the umbrella header <zaakflow.h> exports: parts of the
 * library still in progress are enabled by -DZFB_HAVE_<MOD>, which the build
 * passes when include/zaakflow.h includes that module's header.
 */

%{
#include <stdlib.h>
#include <string.h>
#include "zaakflow.h"
%}

#if defined(ZFB_HAVE_DEFINITION)
%{
#include "zaakflow/definition.h"
#define ZFB_HAVE_DEFINITION 1
typedef struct zf_diagnostic_list {
    zf_diagnostics d;
} zf_diagnostic_list;
%}
#endif
#if defined(ZFB_HAVE_INSTANCE)
%{
#include "zaakflow/instance.h"
#define ZFB_HAVE_INSTANCE 1
%}
#endif

%include <stdint.i>

/* zf_date_parse -> date_parse, zf_calendar -> calendar, ZF_ENOMEM -> ENOMEM. */
%rename("%(strip:[zf_])s") "";
%rename("%(strip:[ZF_])s", %$isenumitem) "";
%rename("%(strip:[ZF_])s", %$isconstant) "";

/* ---- Not for bindings: memory hooks, buffers, printf, internals. ---------- */
%ignore zf_allocator;
%ignore zf_set_allocator;
%ignore zf_get_allocator;
%ignore zf_buf;
%ignore zf_buf_dispose;
%ignore zf_buf_clear;
%ignore zf_buf_put;
%ignore zf_buf_puts;
%ignore zf_buf_printf;
%ignore zf_error;          /* becomes an exception in each language */
%ignore zf_error_clear;
%ignore ZF__CODE_END;
%ignore ZF_DATE_NONE;
%ignore ZF_DATE_BUFSIZE;
%ignore ZF_DURATION_BUFSIZE;
%ignore ZF_BUF_INIT;
%ignore ZF_TERM_SPEC_INIT;
%ignore ZF_DIAGNOSTICS_INIT;
%ignore zf_date_to_ymd;    /* dates cross the boundary as the language's date type */
%ignore zf_date_format;
%ignore zf_duration_format;
%ignore zf_term_compute;   /* replaced by term_spec.compute() */
%ignore zf_term_explain;   /* replaced by term_result.explain() */
%ignore zf_calendar_year;  /* replaced by calendar.holiday_count()/holiday() */
%ignore zf_calendar_load;  /* replaced by the calendar(path) constructor */
%ignore zf_calendar_parse;
%ignore zf_calendar_free;
%ignore zf_calendar_is_working_day; /* replaced by calendar.is_working_day()/why() */
%ignore zf_calendar_workdays;
%ignore zf_calendar_id;

/* Values: a tagged union; each language converts it to a native value. */
%ignore zf_value;
%ignore zf_value::as;
%ignore zf_value_as;
%ignore zf_value_void;
%ignore zf_value_bool;
%ignore zf_value_int;
%ignore zf_value_money;
%ignore zf_value_date;
%ignore zf_value_duration;
%ignore zf_value_string;
%ignore zf_value_format;
%ignore zf_value_parse;

/* Term specification: arrays are managed by the methods below. */
%ignore zf_term_spec::version;
%ignore zf_term_spec::trigger;
%ignore zf_term_spec::length;
%ignore zf_term_spec::calendar;
%ignore zf_term_spec::suspensions;
%ignore zf_term_spec::nsuspensions;
%ignore zf_term_spec::extensions;
%ignore zf_term_spec::nextensions;
%ignore zf_term_result::steps;
%ignore zf_term_result::length;
%immutable zf_term_result::first_day;
%immutable zf_term_result::nominal_end;
%immutable zf_term_result::end;
%immutable zf_term_result::suspended_days;
%immutable zf_term_result::atw_applied;
%immutable zf_term_result::nsteps;
%immutable zf_term_result::truncated;
%immutable zf_term_step::kind;
%immutable zf_term_step::date;
%immutable zf_term_step::days;
%immutable zf_term_step::day;
%immutable zf_term_step::note;
%immutable zf_day_info::date;
%immutable zf_day_info::kind;
%immutable zf_day_info::name;
%immutable zf_day_info::basis;

/* %extend methods whose C helper (zf_<type>_<method>) would clash with a library
 * function are written with a trailing underscore and renamed back. */
%rename(id) zf_calendar::id_;
%rename(is_working_day) zf_calendar::is_working_day_;
%rename(workdays) zf_calendar::workdays_;
%rename(id) zf_definition::id_;
%rename(version) zf_definition::version_;
%rename(title) zf_definition::title_;
%rename(basis) zf_definition::basis_;
%rename(hash) zf_definition::hash_;
%rename(state_count) zf_definition::state_count_;
%rename(state_id) zf_definition::state_id_;
%rename(event_count) zf_definition::event_count_;
%rename(event_id) zf_definition::event_id_;
%rename(transition_count) zf_definition::transition_count_;
%rename(var_count) zf_definition::var_count_;
%rename(var_id) zf_definition::var_id_;
%rename(var_type) zf_definition::var_type_;
%rename(term_count) zf_definition::term_count_;
%rename(term_id) zf_definition::term_id_;
%rename(term_party) zf_definition::term_party_;
%rename(role_count) zf_definition::role_count_;
%rename(role_id) zf_definition::role_id_;
%rename(dot) zf_definition::dot_;
%rename(event_index) zf_definition::event_index_;
%rename(event_info) zf_definition::event_info_;
%rename(param_info) zf_definition::param_info_;
%rename(param_enum_value) zf_definition::param_enum_value_;
%rename(event_role) zf_definition::event_role_;

/* Opaque handles: SWIG-only bodies, so %extend can add ctors and dtors. */
%nodefaultctor zf_calendar;
%nodefaultdtor zf_calendar;
struct zf_calendar {};

%newobject zf_term_spec::compute;

%include "zaakflow/common.h"
%include "zaakflow/error.h"
%include "zaakflow/date.h"
%include "zaakflow/calendar.h"
%include "zaakflow/term.h"
%include "zaakflow/value.h"

/* ---- Calendars ------------------------------------------------------------ */
%extend zf_calendar {
    /** Load a calendar XML file (schemas/calendar.xsd) extending "atw" or "none". */
    zf_calendar(const char *path, zf_error *err) {
        zf_calendar *cal = NULL;
        zf_calendar_load(&cal, path, err);
        return cal;
    }
    ~zf_calendar() { zf_calendar_free($self); }
    /** The calendar's identifier, e.g. "atw". */
    const char *id_() { return zf_calendar_id($self); }
    /** 1 for a working day, 0 for a non-working day (see why()). */
    int is_working_day_(zf_date date, zf_error *err) {
        int r = zf_calendar_is_working_day($self, date, NULL);
        if (r < 0) {
            err->code = ZF_ERANGE;
            strcpy(err->message, "date outside the years 1-9999");
        }
        return r;
    }
    /** Why a day is or is not a working day; strings borrowed from the calendar. */
    zf_day_info why(zf_date date, zf_error *err) {
        zf_day_info info;
        memset(&info, 0, sizeof info);
        if (zf_calendar_is_working_day($self, date, &info) < 0) {
            err->code = ZF_ERANGE;
            strcpy(err->message, "date outside the years 1-9999");
        }
        return info;
    }
    /** Number of working days in [from, to]. */
    int32_t workdays_(zf_date from, zf_date to) { return zf_calendar_workdays($self, from, to); }
    /** Number of non-working days of `year` other than plain weekends. */
    int holiday_count(int year, zf_error *err) {
        int n = zf_calendar_year(NULL, 0, $self, year);
        if (n < 0) {
            err->code = ZF_ERANGE;
            strcpy(err->message, "year outside 1-9999");
        }
        return n;
    }
    /** The i-th such day (0-based, date order); strings borrowed from the calendar. */
    zf_day_info holiday(int year, int i, zf_error *err) {
        zf_day_info days[128], info;
        int n = zf_calendar_year(days, 128, $self, year);
        memset(&info, 0, sizeof info);
        if (n < 0 || i < 0 || i >= n || i >= 128) {
            err->code = ZF_ERANGE;
            strcpy(err->message, "no such day in the calendar year");
            return info;
        }
        return days[i];
    }
}

/* ---- Terms ---------------------------------------------------------------- */
%extend zf_term_spec {
    /** A term of `length` counted from the day after `trigger` (Awb 6:8), Atw calendar. */
    zf_term_spec(zf_date trigger, zf_duration length) {
        static const zf_term_spec init = ZF_TERM_SPEC_INIT;
        zf_term_spec *s = (zf_term_spec *)malloc(sizeof *s);
        if (s) {
            *s = init;
            s->trigger = trigger;
            s->length = length;
        }
        return s;
    }
    ~zf_term_spec() {
        free((void *)$self->suspensions);
        free((void *)$self->extensions);
        free($self);
    }
    /** Use this calendar (borrowed: keep it alive while the spec lives); NULL = Atw. */
    void set_calendar(const zf_calendar *cal) { $self->calendar = cal; }
    /** Add a suspension from the day after `from` up to `to` (see suspend_rule). */
    void add_suspension(zf_date from, zf_date to, zf_error *err) {
        zf_interval *p = (zf_interval *)realloc((void *)$self->suspensions,
                                                ($self->nsuspensions + 1) * sizeof *p);
        if (!p) {
            err->code = ZF_ENOMEM;
            strcpy(err->message, "out of memory");
            return;
        }
        p[$self->nsuspensions].from = from;
        p[$self->nsuspensions].to = to;
        $self->suspensions = p;
        $self->nsuspensions++;
    }
    /** Add an extension (verdaging), in the order granted. */
    void add_extension(zf_duration by, zf_error *err) {
        zf_duration *p = (zf_duration *)realloc((void *)$self->extensions,
                                                ($self->nextensions + 1) * sizeof *p);
        if (!p) {
            err->code = ZF_ENOMEM;
            strcpy(err->message, "out of memory");
            return;
        }
        p[$self->nextensions] = by;
        $self->extensions = p;
        $self->nextensions++;
    }
    /** Compute the last day of the term; the result is a new object. */
    zf_term_result *compute(zf_error *err) {
        zf_term_result *r = (zf_term_result *)calloc(1, sizeof *r);
        if (!r) {
            err->code = ZF_ENOMEM;
            strcpy(err->message, "out of memory");
            return NULL;
        }
        if (zf_term_compute(r, $self, err) != ZF_OK) {
            free(r);
            return NULL;
        }
        return r;
    }
}

%extend zf_term_result {
    ~zf_term_result() { free($self); }
    /** Step i of the trace (borrowed from the result). */
    const zf_term_step *step(unsigned int i) {
        return i < $self->nsteps && i < ZF_TERM_MAX_STEPS ? &$self->steps[i] : NULL;
    }
    /** The trace as text, one step a line. */
    void explain(zf_buf *out, zf_error *err) { zf_term_explain(out, $self, err); }
    /** The term's length as given. */
    zf_duration length_given() { return $self->length; }
}

/* ---- Definitions ---------------------------------------------------------- */
#if defined(ZFB_HAVE_DEFINITION)
%ignore zf_diagnostics;
%ignore zf_diagnostics_dispose;
%ignore zf_diagnostics_format;
%ignore zf_validate_files;
%ignore zf_validate_files_ext;
%ignore zf_validate_options;
%ignore ZF_VALIDATE_OPTIONS_INIT;
%ignore ZF_VALIDATE_OPTIONS_VERSION;
%ignore zf_definition_load;
%ignore zf_definition_parse;
%ignore zf_definition_free;
%ignore zf_definition_dot;
%ignore zf_definition_id;
%ignore zf_definition_version;
%ignore zf_definition_title;
%ignore zf_definition_basis;
%ignore zf_definition_hash;
%ignore zf_definition_state_count;
%ignore zf_definition_state_id;
%ignore zf_definition_event_count;
%ignore zf_definition_event_id;
%ignore zf_definition_transition_count;
%ignore zf_definition_var_count;
%ignore zf_definition_var_id;
%ignore zf_definition_var_type;
%ignore zf_definition_term_count;
%ignore zf_definition_term_id;
%ignore zf_definition_term_party;
%ignore zf_definition_role_count;
%ignore zf_definition_role_id;
%ignore zf_definition_event_index;
%ignore zf_definition_param_count;
%ignore zf_definition_param_id;
%ignore zf_definition_param_index;
%ignore zf_definition_role_index;
%ignore zf_definition_param_value;
%ignore zf_definition_event_info;
%ignore zf_definition_param_info;
%ignore zf_definition_param_enum_value;
%ignore zf_definition_event_role;
%immutable zf_event_info::id;
%immutable zf_event_info::title;
%immutable zf_event_info::basis;
%immutable zf_event_info::kind;
%immutable zf_event_info::nroles;
%immutable zf_event_info::nparams;
%immutable zf_event_info::line;
%immutable zf_param_info::id;
%immutable zf_param_info::type;
%immutable zf_param_info::required;
%immutable zf_param_info::enumeration;
%immutable zf_param_info::nvalues;
%immutable zf_diagnostic::severity;
%immutable zf_diagnostic::code;
%immutable zf_diagnostic::check;
%immutable zf_diagnostic::file;
%immutable zf_diagnostic::line;
%immutable zf_diagnostic::column;
%immutable zf_diagnostic::message;

%nodefaultctor zf_definition;
%nodefaultdtor zf_definition;
struct zf_definition {};

/* A list of findings: a SWIG-visible wrapper around zf_diagnostics (defined above). */
typedef struct zf_diagnostic_list {} zf_diagnostic_list;

%include "zaakflow/definition.h"

%extend zf_diagnostic_list {
    zf_diagnostic_list() { return (zf_diagnostic_list *)calloc(1, sizeof(zf_diagnostic_list)); }
    ~zf_diagnostic_list() {
        zf_diagnostics_dispose(&$self->d);
        free($self);
    }
    size_t count() { return $self->d.count; }
    size_t errors() { return $self->d.errors; }
    size_t warnings() { return $self->d.warnings; }
    /** Finding i (borrowed from the list). */
    const zf_diagnostic *get(size_t i) { return i < $self->d.count ? &$self->d.items[i] : NULL; }
    /** "FILE:LINE:COL: error: message [CODE]" lines. */
    void format(zf_buf *out, zf_error *err) {
        if (zf_diagnostics_format(out, &$self->d, NULL) != ZF_OK) {
            err->code = ZF_ENOMEM;
            strcpy(err->message, "out of memory");
        }
    }
}

%extend zf_definition {
    /** Load, validate and compile a definition file; findings go to `diags` (may be NULL). */
    zf_definition(const char *path, zf_diagnostic_list *diags, zf_error *err) {
        zf_definition *def = NULL;
        zf_definition_load(&def, path, diags ? &diags->d : NULL, err);
        return def;
    }
    ~zf_definition() { zf_definition_free($self); }
    const char *id_() { return zf_definition_id($self); }
    const char *version_() { return zf_definition_version($self); }
    const char *title_() { return zf_definition_title($self); }
    const char *basis_() { return zf_definition_basis($self); }
    const char *hash_() { return zf_definition_hash($self); }
    size_t state_count_() { return zf_definition_state_count($self); }
    const char *state_id_(size_t i) { return zf_definition_state_id($self, i); }
    size_t event_count_() { return zf_definition_event_count($self); }
    const char *event_id_(size_t i) { return zf_definition_event_id($self, i); }
    size_t transition_count_() { return zf_definition_transition_count($self); }
    size_t var_count_() { return zf_definition_var_count($self); }
    const char *var_id_(size_t i) { return zf_definition_var_id($self, i); }
    int var_type_(size_t i) { return (int)zf_definition_var_type($self, i); }
    size_t term_count_() { return zf_definition_term_count($self); }
    const char *term_id_(size_t i) { return zf_definition_term_id($self, i); }
    /** Who must act before the term's last day, or NULL (none declared). */
    const char *term_party_(size_t i) { return zf_definition_term_party($self, i); }
    size_t role_count_() { return zf_definition_role_count($self); }
    const char *role_id_(size_t i) { return zf_definition_role_id($self, i); }
    /** Graphviz (dot) text of the statechart. */
    void dot_(zf_buf *out, zf_error *err) { zf_definition_dot(out, $self, err); }
    /** Index of event `id`, or -1. */
    int event_index_(const char *id) { return zf_definition_event_index($self, id); }
    /** Event i (zf_definition_event_info()); strings borrowed from the definition. */
    zf_event_info event_info_(size_t i, zf_error *err) {
        zf_event_info e;
        memset(&e, 0, sizeof e);
        zf_definition_event_info(&e, $self, i, err);
        return e;
    }
    /** Parameter i of event `event` (zf_definition_param_info()). */
    zf_param_info param_info_(size_t event, size_t i, zf_error *err) {
        zf_param_info p;
        memset(&p, 0, sizeof p);
        zf_definition_param_info(&p, $self, event, i, err);
        return p;
    }
    /** Id of role k allowed to fire event `event`, or NULL. */
    const char *event_role_(size_t event, size_t k) {
        return zf_definition_event_role($self, event, k);
    }
    /** Value k of the enumeration of parameter i of event `event`, or NULL. */
    const char *param_enum_value_(size_t event, size_t i, size_t k) {
        return zf_definition_param_enum_value($self, event, i, k);
    }
}

%newobject definition_parse;
%inline %{
/** Like the definition(path) constructor, from XML text; `name` stands for the file. */
zf_definition *definition_parse(const char *xml, const char *name,
                                zf_diagnostic_list *diags, zf_error *err) {
    zf_definition *def = NULL;
    zf_definition_parse(&def, xml, strlen(xml), name, diags ? &diags->d : NULL, err);
    return def;
}

/** zf_validate_files_ext() over `paths` joined by newlines: every file's findings, and
 * the cross-process checks, go to `diags`. Findings are not an error; only running
 * out of memory is. `beside`: look for spawned processes beside the files (else only
 * the set given counts, as zf_validate_files()); `strict`: a spawned process found
 * nowhere is an error, not a warning. */
void validate_files_ext(const char *paths, int beside, int strict, zf_diagnostic_list *diags,
                        zf_error *err) {
    zf_validate_options opts = ZF_VALIDATE_OPTIONS_INIT;
    size_t n = 1, k = 0;
    char *copy = strdup(paths);
    const char **v;
    if (!copy) {
        err->code = ZF_ENOMEM;
        snprintf(err->message, sizeof err->message, "out of memory");
        return;
    }
    for (const char *p = copy; *p; p++)
        n += *p == '\n';
    v = (const char **)calloc(n, sizeof *v);
    if (!v) {
        free(copy);
        err->code = ZF_ENOMEM;
        snprintf(err->message, sizeof err->message, "out of memory");
        return;
    }
    for (char *p = copy, *next; p; p = next) {
        next = strchr(p, '\n');
        if (next)
            *next++ = '\0';
        if (*p)
            v[k++] = p;
    }
    opts.beside = beside;
    opts.strict = strict;
    if (zf_validate_files_ext(diags ? &diags->d : NULL, v, k, &opts, err) != ZF_ENOMEM)
        zf_error_clear(err);
    free(v);
    free(copy);
}

/** validate_files_ext() with the set given only, as zf_validate_files(). */
void validate_files(const char *paths, zf_diagnostic_list *diags, zf_error *err) {
    validate_files_ext(paths, 0, 0, diags, err);
}
%}
#endif

#if defined(ZFB_HAVE_INSTANCE)
%include "instance.i"
%include "versions.i"
#endif

#if defined(ZFB_HAVE_ZGW) && defined(ZFB_HAVE_INSTANCE)
%include "zgw.i"
#endif
