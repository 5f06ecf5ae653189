/*
 * bindings/store.i -- the language-neutral SWIG interface of the case store
 * (libzaakflow-store), a module of its own beside the core's: each language
 * file (python/store_py.i, java/store_java.i) declares its typemaps for
 * zf_error (the language's zaakflow exceptions) and %includes this file.
 *
 * Dates cross as day numbers (days since 1970-01-01, ZF_DATE_NONE for none),
 * which the facades turn into datetime.date / java.time.LocalDate. Values of
 * variables and parameters cross as text, parsed by the library as their
 * declared type. Lists and read cases are objects whose rows are read by index.
 */

%{
#include <stdlib.h>
#include <string.h>
#include "zaakflow.h"
#include "zaakflow/store.h"

/* "process version hash" of a stored definition (malloc'd), as add_definition
 * and pick return it; NULL when out of memory. */
static char *zfs_def_ref(const zf_definition *d) {
    const char *v = zf_definition_version(d) ? zf_definition_version(d) : "";
    char *s = (char *)malloc(strlen(zf_definition_id(d)) + strlen(v) + 70);
    if (s)
        sprintf(s, "%s %s %s", zf_definition_id(d), v, zf_definition_hash(d));
    return s;
}

/* The arguments of start and fire, gathered by the facade: variables or event
 * parameters as text, the actor and its roles. */
typedef struct zf_store_args {
    char **names, **texts;
    size_t n, cap;
    char *actor;
    char **roles;
    size_t nroles, caprole;
} zf_store_args;

static int zfs_grow(char ***a, size_t *cap, size_t need) {
    char **n;
    if (need <= *cap)
        return 1;
    n = (char **)realloc(*a, (need * 2) * sizeof *n);
    if (!n)
        return 0;
    *a = n;
    *cap = need * 2;
    return 1;
}

static int zfs_args_add(zf_store_args *a, const char *name, const char *text) {
    size_t cap = a->cap;
    char *nm, *tx;
    if (!zfs_grow(&a->names, &cap, a->n + 1))
        return 0;
    cap = a->cap;
    if (!zfs_grow(&a->texts, &cap, a->n + 1))
        return 0;
    a->cap = cap;
    nm = strdup(name ? name : "");
    tx = strdup(text ? text : "");
    if (!nm || !tx) {
        free(nm);
        free(tx);
        return 0;
    }
    a->names[a->n] = nm;
    a->texts[a->n++] = tx;
    return 1;
}

/* The values as the library takes them (allocated; NULL when none or no memory). */
static zf_param_value *zfs_values(const zf_store_args *a) {
    zf_param_value *v;
    if (!a || !a->n)
        return NULL;
    v = (zf_param_value *)calloc(a->n, sizeof *v);
    if (v)
        for (size_t i = 0; i < a->n; i++) {
            v[i].name = a->names[i];
            v[i].value = zf_value_string(a->texts[i]);
        }
    return v;
}

static zf_code zfs_nomem(zf_error *err) {
    err->code = ZF_ENOMEM;
    strcpy(err->message, "out of memory");
    return ZF_ENOMEM;
}
%}

%include <stdint.i>

%rename("%(strip:[zf_])s") "";
%rename("%(strip:[ZF_])s", %$isenumitem) "";
%rename("%(strip:[ZF_])s", %$isconstant) "";

%ignore ZF_STORE_OPTIONS_INIT;
%ignore zf_store_options;

/* Rows: plain data read through the list that owns them; immutable. */
%nodefaultctor zf_store_step;
%nodefaultctor zf_store_work_result;
%nodefaultctor zf_store_case_info;
%nodefaultctor zf_store_due_item;
%nodefaultctor zf_store_outbox_item;
%nodefaultctor zf_store_journal_entry;
%immutable;
typedef struct zf_store_step {
    int64_t case_id;
    int64_t revision;
    size_t entries;
    size_t expired;
    size_t effects;
    size_t spawned;
} zf_store_step;

typedef struct zf_store_work_result {
    size_t cases;
    size_t expired;
    size_t skipped;
    size_t failed;
    size_t batches;
} zf_store_work_result;

typedef struct zf_store_case_info {
    int64_t id;
    int64_t revision;
    const char *process;
    const char *version;
    const char *hash;
    int32_t started;
    int32_t date;
    const char *active;
    int finished;
    const char *outcome;
    int32_t next_due;
    const char *next_term;
    int64_t parent;
    const char *relation;
} zf_store_case_info;

typedef struct zf_store_due_item {
    int64_t case_id;
    const char *process;
    const char *term;
    const char *title;
    const char *basis;
    const char *party;
    int32_t last_day;
} zf_store_due_item;

typedef struct zf_store_outbox_item {
    int64_t id;
    int64_t case_id;
    int64_t revision;
    const char *key;
    int kind;
    int32_t date;
    const char *to;
    const char *text;
    const char *process;
    const char *relation;
    int64_t spawned;
    const char *payload;
    const char *status;
    int attempts;
    const char *error;
} zf_store_outbox_item;

typedef struct zf_store_journal_entry {
    int64_t case_id;
    int64_t revision;
    uint32_t seq;
    int32_t date;
    const char *event;
    const char *actor;
    size_t nitems;
} zf_store_journal_entry;
%mutable;


/* The ZF_STORE_* constants the facades use. */
#define ZF_STORE_SCHEMA_VERSION 2
#define ZF_STORE_ANY_REVISION 0
enum zf_store_state { ZF_STORE_ALL = 0, ZF_STORE_OPEN = 1, ZF_STORE_FINISHED = 2 };

/* ---- the arguments of start and fire ------------------------------------------- */
typedef struct zf_store_args {
} zf_store_args;

%extend zf_store_args {
    zf_store_args() {
        return (zf_store_args *)calloc(1, sizeof(zf_store_args));
    }
    ~zf_store_args() {
        for (size_t i = 0; i < $self->n; i++) {
            free($self->names[i]);
            free($self->texts[i]);
        }
        for (size_t i = 0; i < $self->nroles; i++)
            free($self->roles[i]);
        free($self->names);
        free($self->texts);
        free($self->roles);
        free($self->actor);
        free($self);
    }
    /** Add a variable or event parameter: its name and its value as text. */
    void add(const char *name, const char *text, zf_error *err) {
        if (!zfs_args_add($self, name, text))
            zfs_nomem(err);
    }
    /** Who fires: an actor id (journaled) and a role id. */
    void set_actor(const char *id, zf_error *err) {
        free($self->actor);
        $self->actor = id ? strdup(id) : NULL;
        if (id && !$self->actor)
            zfs_nomem(err);
    }
    void add_role(const char *role, zf_error *err) {
        char *r;
        if (!zfs_grow(&$self->roles, &$self->caprole, $self->nroles + 1) ||
            !(r = strdup(role ? role : "")))
            zfs_nomem(err);
        else
            $self->roles[$self->nroles++] = r;
    }
}

/* ---- lists and read cases -------------------------------------------------------- */
%nodefaultctor zf_store_list;
typedef struct zf_store_list {
} zf_store_list;

%rename(count) zf_store_list::count_;
%extend zf_store_list {
    ~zf_store_list() {
        zf_store_list_free($self);
    }
    size_t count_() {
        return zf_store_list_count($self);
    }
    /* Rows (NULL when i is out of range or the list holds another kind): borrowed
     * from the list, which the facades keep alive while they read. */
    const zf_store_case_info *case_at(size_t i) {
        return zf_store_list_case($self, i);
    }
    const zf_store_due_item *due_at(size_t i) {
        return zf_store_list_due($self, i);
    }
    const zf_store_outbox_item *outbox_at(size_t i) {
        return zf_store_list_outbox($self, i);
    }
    const zf_store_journal_entry *journal_at(size_t i) {
        return zf_store_list_journal($self, i);
    }
    /* Item j of journal entry i, its parts one by one. */
    const char *item_kind(size_t i, size_t j) {
        const zf_journal_item *it = zf_store_list_journal_item($self, i, j);
        return it ? zf_journal_kind_name(it->kind) : NULL;
    }
    const char *item_name(size_t i, size_t j) {
        const zf_journal_item *it = zf_store_list_journal_item($self, i, j);
        return it ? it->name : NULL;
    }
    const char *item_text(size_t i, size_t j) {
        const zf_journal_item *it = zf_store_list_journal_item($self, i, j);
        return it ? it->text : NULL;
    }
    int32_t item_date(size_t i, size_t j) {
        const zf_journal_item *it = zf_store_list_journal_item($self, i, j);
        return it ? it->date : ZF_DATE_NONE;
    }
    /** The item's value: its type name ("" when it has none) and its text. */
    const char *item_value_type(size_t i, size_t j) {
        const zf_journal_item *it = zf_store_list_journal_item($self, i, j);
        return it && it->value.type != ZF_TYPE_VOID ? zf_type_name(it->value.type) : "";
    }
    %newobject item_value_text;
    char *item_value_text(size_t i, size_t j) {
        const zf_journal_item *it = zf_store_list_journal_item($self, i, j);
        zf_buf b = ZF_BUF_INIT;
        char *s;
        if (it)
            zf_value_format(&b, &it->value, NULL);
        s = strdup(b.ptr ? b.ptr : "");
        zf_buf_dispose(&b);
        return s;
    }
}

%nodefaultctor zf_store_case;
typedef struct zf_store_case {
} zf_store_case;

%rename(summary) zf_store_case::summary_;
%rename(snapshot) zf_store_case::snapshot_;
%extend zf_store_case {
    ~zf_store_case() {
        zf_store_case_free($self);
    }
    const zf_store_case_info *summary_() {
        return zf_store_case_summary($self);
    }
    const char *snapshot_() {
        return zf_store_case_snapshot($self);
    }
}

/* ---- the store --------------------------------------------------------------------- */
%nodefaultctor zf_store;
typedef struct zf_store {
} zf_store;

%newobject zf_store::read_;
%newobject zf_store::cases_;
%newobject zf_store::journal_;
%newobject zf_store::due_;
%newobject zf_store::claim_;
%newobject zf_store::outbox_;
%newobject zf_store::outbox_claim_;
%newobject zf_store::start_;
%newobject zf_store::fire_;
%newobject zf_store::advance_;
%newobject zf_store::expire_;
%newobject zf_store::work_;
%newobject zf_store::add_definition_;
%newobject zf_store::add_definition_file_;
%newobject zf_store::pick_;

%rename(driver) zf_store::driver_;
%rename(begin) zf_store::begin_;
%rename(commit) zf_store::commit_;
%rename(rollback) zf_store::rollback_;
%rename(in_transaction) zf_store::in_transaction_;
%rename(add_definition) zf_store::add_definition_;
%rename(add_definition_file) zf_store::add_definition_file_;
%rename(pick) zf_store::pick_;
%rename(start) zf_store::start_;
%rename(fire) zf_store::fire_;
%rename(advance) zf_store::advance_;
%rename(expire) zf_store::expire_;
%rename(work) zf_store::work_;
%rename(read) zf_store::read_;
%rename(cases) zf_store::cases_;
%rename(journal) zf_store::journal_;
%rename(due) zf_store::due_;
%rename(claim) zf_store::claim_;
%rename(outbox) zf_store::outbox_;
%rename(outbox_claim) zf_store::outbox_claim_;
%rename(outbox_ack) zf_store::outbox_ack_;
%rename(outbox_release) zf_store::outbox_release_;
%extend zf_store {
    /** Open by URL: sqlite:PATH or postgresql://...; lease_ms 0 = the default. */
    zf_store(const char *url, int64_t lease_ms, const char *owner, zf_error *err) {
        zf_store_options o = ZF_STORE_OPTIONS_INIT;
        zf_store *st = NULL;
        o.lease_ms = lease_ms;
        o.owner = owner;
        zf_store_open(&st, url, &o, err);
        return st;
    }
    ~zf_store() {
        zf_store_free($self);
    }
    const char *driver_() {
        return zf_store_driver($self);
    }
    void begin_(zf_error *err) {
        zf_store_begin($self, err);
    }
    void commit_(zf_error *err) {
        zf_store_commit($self, err);
    }
    void rollback_(zf_error *err) {
        zf_store_rollback($self, err);
    }
    int in_transaction_() {
        return zf_store_in_transaction($self);
    }
    /** Keep a definition; returns "PROCESS VERSION HASH". */
    char *add_definition_(const char *xml, const char *name, zf_error *err) {
        const zf_definition *d = NULL;
        if (zf_store_add_definition(&d, $self, xml, xml ? strlen(xml) : 0, name, err))
            return NULL;
        return zfs_def_ref(d);
    }
    char *add_definition_file_(const char *path, zf_error *err) {
        const zf_definition *d = NULL;
        if (zf_store_add_definition_file(&d, $self, path, err))
            return NULL;
        return zfs_def_ref(d);
    }
    /** The version of a process valid on a date: "process version hash". */
    char *pick_(const char *process, int32_t date, zf_error *err) {
        const zf_definition *d = NULL;
        if (zf_store_pick(&d, $self, process, date, err))
            return NULL;
        return zfs_def_ref(d);
    }
    zf_store_step *start_(const char *process, int32_t date, const zf_store_args *args,
                         zf_error *err) {
        zf_store_step *out = (zf_store_step *)calloc(1, sizeof *out);
        zf_param_value *v = zfs_values(args);
        if (!out || (args && args->n && !v)) {
            free(out);
            free(v);
            zfs_nomem(err);
            return NULL;
        }
        if (zf_store_start(out, $self, process, date, v, args ? args->n : 0, err)) {
            free(out);
            out = NULL;
        }
        free(v);
        return out;
    }
    zf_store_step *fire_(int64_t id, int64_t revision, const char *event, int32_t date,
                        const zf_store_args *args, zf_error *err) {
        zf_store_step *out = (zf_store_step *)calloc(1, sizeof *out);
        zf_param_value *v = zfs_values(args);
        zf_actor actor = {NULL, NULL, 0};
        if (!out || (args && args->n && !v)) {
            free(out);
            free(v);
            zfs_nomem(err);
            return NULL;
        }
        if (args) {
            actor.id = args->actor;
            actor.roles = (const char *const *)args->roles;
            actor.nroles = args->nroles;
        }
        if (zf_store_fire(out, $self, id, revision, event, date, &actor, v,
                          args ? args->n : 0, err)) {
            free(out);
            out = NULL;
        }
        free(v);
        return out;
    }
    zf_store_step *advance_(int64_t id, int64_t revision, int32_t date, zf_error *err) {
        zf_store_step *out = (zf_store_step *)calloc(1, sizeof *out);
        if (!out) {
            zfs_nomem(err);
            return NULL;
        }
        if (zf_store_advance(out, $self, id, revision, date, err)) {
            free(out);
            out = NULL;
        }
        return out;
    }
    zf_store_step *expire_(int64_t id, int32_t until, zf_error *err) {
        zf_store_step *out = (zf_store_step *)calloc(1, sizeof *out);
        if (!out) {
            zfs_nomem(err);
            return NULL;
        }
        if (zf_store_expire(out, $self, id, until, err)) {
            free(out);
            out = NULL;
        }
        return out;
    }
    zf_store_work_result *work_(int32_t until, size_t batch, zf_error *err) {
        zf_store_work_result *out = (zf_store_work_result *)calloc(1, sizeof *out);
        if (!out) {
            zfs_nomem(err);
            return NULL;
        }
        if (zf_store_work(out, $self, until, batch, err)) {
            free(out);
            out = NULL;
        }
        return out;
    }
    zf_store_case *read_(int64_t id, zf_error *err) {
        zf_store_case *c = NULL;
        zf_store_read(&c, $self, id, err);
        return c;
    }
    zf_store_list *cases_(const char *process, int which, int64_t after, size_t limit,
                         zf_error *err) {
        zf_store_list *l = NULL;
        zf_store_cases(&l, $self, process, (zf_store_state)which, after, limit, err);
        return l;
    }
    zf_store_list *journal_(int64_t id, zf_error *err) {
        zf_store_list *l = NULL;
        zf_store_journal(&l, $self, id, err);
        return l;
    }
    zf_store_list *due_(int32_t until, const char *party, size_t limit, zf_error *err) {
        zf_store_list *l = NULL;
        zf_store_due(&l, $self, until, party, limit, err);
        return l;
    }
    zf_store_list *claim_(int32_t until, size_t max, zf_error *err) {
        zf_store_list *l = NULL;
        zf_store_claim(&l, $self, until, max, err);
        return l;
    }
    zf_store_list *outbox_(const char *status, int64_t case_id, size_t limit,
                          zf_error *err) {
        zf_store_list *l = NULL;
        zf_store_outbox(&l, $self, status, case_id, limit, err);
        return l;
    }
    zf_store_list *outbox_claim_(size_t max, zf_error *err) {
        zf_store_list *l = NULL;
        zf_store_outbox_claim(&l, $self, max, err);
        return l;
    }
    void outbox_ack_(int64_t id, zf_error *err) {
        zf_store_outbox_ack($self, id, err);
    }
    void outbox_release_(int64_t id, const char *reason, zf_error *err) {
        zf_store_outbox_release($self, id, reason, err);
    }
}

/** Whether this build has the driver ("sqlite", "postgresql"). */
int zf_store_has_driver(const char *name);
