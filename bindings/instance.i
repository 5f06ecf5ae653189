/*
 * bindings/instance.i -- case instances, language-neutral. Included by
 * zaakflow.i when <zaakflow.h> includes zaakflow/instance.h.
 *
 * Values cross the boundary as text plus a zf_type: the library parses text
 * given for a variable or parameter of another type ("2026-01-05", "6w",
 * "true", "12.50"), and zf_value_format() writes values back. Each language
 * turns them into its own types. An actor's roles are one space-separated
 * string, so no language needs an array typemap.
 */

%ignore zf_instance_new;
%ignore zf_instance_free;
%ignore zf_instance_definition;
%ignore zf_instance_fire;
%ignore zf_instance_advance;
%ignore zf_instance_date;
%ignore zf_instance_active_count;
%ignore zf_instance_active_id;
%ignore zf_instance_in;
%ignore zf_instance_enabled_events;
%ignore zf_instance_var;
%ignore zf_instance_term_count;
%ignore zf_instance_term;
%ignore zf_instance_term_by_id;
%ignore zf_instance_term_explain;
%ignore zf_instance_next_due;
%ignore zf_instance_next_due_for;
%ignore zf_instance_finished;
%ignore zf_instance_outcome;
%ignore zf_instance_effect_count;
%ignore zf_instance_effect;
%ignore zf_instance_effect_param;
%ignore zf_instance_journal_count;
%ignore zf_instance_journal_entry;
%ignore zf_instance_journal_item;
%ignore zf_instance_timeline;
%ignore zf_instance_snapshot;
%ignore zf_instance_restore;
%ignore zf_instance_pack;
%ignore zf_instance_unpack;
%ignore ZF_PACK_VERSION;
%ignore zf_instance_memory;
%ignore zf_instance_clone;
%ignore zf_instance_can_fire;
%ignore zf_instance_fire_resolved;
%ignore zf_event_call;
%ignore zf_snapshot_info;
%immutable zf_snapshot_summary::process;
%immutable zf_snapshot_summary::version;
%immutable zf_snapshot_summary::hash;
%immutable zf_snapshot_summary::outcome;
%immutable zf_snapshot_summary::next_term;
%ignore zf_actor;
%ignore zf_instance_options;
%ignore ZF_INSTANCE_OPTIONS_INIT;
%ignore zf_param_value::value;
%ignore zf_journal_item::value;
%ignore zf_term_info::suspensions;
%ignore zf_term_info::extensions;
%ignore zf_term_info::length;
%immutable zf_param_value::name;
%immutable zf_term_info::id;
%immutable zf_term_info::title;
%immutable zf_term_info::basis;
%immutable zf_term_info::party;
%immutable zf_effect::to;
%immutable zf_effect::text;
%immutable zf_effect::process;
%immutable zf_effect::relation;
%immutable zf_journal_entry::event;
%immutable zf_journal_entry::actor;
%immutable zf_journal_item::name;
%immutable zf_journal_item::text;

%rename(fire) zf_instance::fire_;
%rename(can_fire) zf_instance::can_fire_;
%rename(advance) zf_instance::advance_;
%rename(date) zf_instance::date_;
%rename(active_count) zf_instance::active_count_;
%rename(active_id) zf_instance::active_id_;
%rename(enabled_events) zf_instance::enabled_events_;
%rename(var) zf_instance::var_;
%rename(term_count) zf_instance::term_count_;
%rename(term_explain) zf_instance::term_explain_;
%rename(next_due) zf_instance::next_due_;
%rename(finished) zf_instance::finished_;
%rename(outcome) zf_instance::outcome_;
%rename(effect_count) zf_instance::effect_count_;
%rename(journal_count) zf_instance::journal_count_;
%rename(timeline) zf_instance::timeline_;
%rename(snapshot) zf_instance::snapshot_;
%rename(pack) zf_instance::pack_;
%rename(memory) zf_instance::memory_;

%{
#define ZFB_MAX_ROLES 32

/* Split "a b c" into at most ZFB_MAX_ROLES pointers into `copy`. */
static size_t zfb_split_roles(const char *roles, char *copy, size_t cap, const char **out)
{
    size_t n = 0;
    char *p;
    if (!roles)
        return 0;
    snprintf(copy, cap, "%s", roles);
    for (p = copy; *p && n < ZFB_MAX_ROLES;) {
        while (*p == ' ' || *p == ',' || *p == '\t')
            *p++ = '\0';
        if (!*p)
            break;
        out[n++] = p;
        while (*p && *p != ' ' && *p != ',' && *p != '\t')
            p++;
    }
    return n;
}

static void zfb_oom(zf_error *err)
{
    if (err && err->code == ZF_OK) {
        err->code = ZF_ENOMEM;
        strcpy(err->message, "out of memory");
    }
}
%}

/* Named values given as text: initial variables and event parameters. */
%inline %{
typedef struct zf_param_list {
    zf_param_value *items;
    size_t count;
    size_t capacity;
} zf_param_list;
%}
%ignore zf_param_list::items;
%ignore zf_param_list::capacity;
%immutable zf_param_list::count;

%nodefaultctor zf_instance;
%nodefaultdtor zf_instance;
struct zf_instance {};

%include "zaakflow/instance.h"

%extend zf_param_list {
    zf_param_list() { return (zf_param_list *)calloc(1, sizeof(zf_param_list)); }
    ~zf_param_list() {
        for (size_t i = 0; i < $self->count; i++)
            free((void *)$self->items[i].name);
        free($self->items);
        free($self);
    }
    /** Add `name` = `text`; the library parses the text as the declared type. */
    void add(const char *name, const char *text, zf_error *err) {
        size_t ln = strlen(name), lt = strlen(text);
        char *block;
        if ($self->count == $self->capacity) {
            size_t cap = $self->capacity ? 2 * $self->capacity : 8;
            zf_param_value *p = (zf_param_value *)realloc($self->items, cap * sizeof *p);
            if (!p) {
                zfb_oom(err);
                return;
            }
            $self->items = p;
            $self->capacity = cap;
        }
        block = (char *)malloc(ln + lt + 2);
        if (!block) {
            zfb_oom(err);
            return;
        }
        memcpy(block, name, ln + 1);
        memcpy(block + ln + 1, text, lt + 1);
        $self->items[$self->count].name = block;
        $self->items[$self->count].value = zf_value_string(block + ln + 1);
        $self->count++;
    }
    void clear() {
        for (size_t i = 0; i < $self->count; i++)
            free((void *)$self->items[i].name);
        $self->count = 0;
    }
}

/* A value as (type, text): a param_value's value, a journal item's value. */
%extend zf_param_value {
    int value_type() { return (int)$self->value.type; }
    void value_text(zf_buf *out, zf_error *err) {
        if (zf_value_format(out, &$self->value, NULL) != ZF_OK)
            zfb_oom(err);
    }
}
%extend zf_journal_item {
    int value_type() { return (int)$self->value.type; }
    void value_text(zf_buf *out, zf_error *err) {
        if (zf_value_format(out, &$self->value, NULL) != ZF_OK)
            zfb_oom(err);
    }
}
%extend zf_term_info {
    zf_duration term_length() { return $self->length; }
    size_t suspension_count() { return $self->nsuspensions; }
    zf_date suspension_from(size_t i) {
        return i < $self->nsuspensions && i < ZF_INSTANCE_MAX_SUSPENSIONS
                   ? $self->suspensions[i].from : ZF_DATE_NONE;
    }
    zf_date suspension_to(size_t i) {
        return i < $self->nsuspensions && i < ZF_INSTANCE_MAX_SUSPENSIONS
                   ? $self->suspensions[i].to : ZF_DATE_NONE;
    }
    size_t extension_count() { return $self->nextensions; }
    zf_duration extension(size_t i) {
        zf_duration none = {0, ZF_UNIT_DAY};
        return i < $self->nextensions && i < ZF_INSTANCE_MAX_EXTENSIONS ? $self->extensions[i] : none;
    }
}

%extend zf_instance {
    /** Start a case of `definition` (borrowed: keep it alive) on `start` with initial `vars`. */
    zf_instance(const zf_definition *definition, zf_date start, const zf_param_list *vars,
                int journal, zf_error *err) {
        zf_instance *inst = NULL;
        zf_instance_options opts = ZF_INSTANCE_OPTIONS_INIT;
        opts.journal = journal;
        zf_instance_new(&inst, definition, start, vars ? vars->items : NULL,
                        vars ? vars->count : 0, &opts, err);
        return inst;
    }
    ~zf_instance() { zf_instance_free($self); }

    /** Fire `event` dated `date` by `actor` with space-separated `roles`. */
    void fire_(const char *event, zf_date date, const char *actor, const char *roles,
               const zf_param_list *params, zf_error *err) {
        char copy[1024];
        const char *ids[ZFB_MAX_ROLES];
        zf_actor a;
        a.id = actor;
        a.roles = ids;
        a.nroles = zfb_split_roles(roles, copy, sizeof copy, ids);
        zf_instance_fire($self, event, date, &a, params ? params->items : NULL,
                         params ? params->count : 0, err);
    }
    /** fire() as a dry run (zf_instance_can_fire()): ZF_OK when the event would be
     * taken, else the code fire() would give, whose message goes to `out`. */
    int can_fire_(const char *event, zf_date date, const char *actor, const char *roles,
                  const zf_param_list *params, zf_buf *out) {
        char copy[1024];
        const char *ids[ZFB_MAX_ROLES];
        zf_actor a;
        zf_error e;
        memset(&e, 0, sizeof e);
        a.id = actor;
        a.roles = ids;
        a.nroles = zfb_split_roles(roles, copy, sizeof copy, ids);
        if (zf_instance_can_fire($self, event, date, &a, params ? params->items : NULL,
                                 params ? params->count : 0, &e) != ZF_OK)
            zf_buf_puts(out, e.message);
        return (int)e.code;
    }
    void advance_(zf_date date, zf_error *err) { zf_instance_advance($self, date, err); }
    zf_date date_() { return zf_instance_date($self); }
    size_t active_count_() { return zf_instance_active_count($self); }
    const char *active_id_(size_t i) { return zf_instance_active_id($self, i); }
    /** 1 when state `name` is active, 0 when not. */
    int is_active(const char *name, zf_error *err) {
        int r = zf_instance_in($self, name);
        if (r < 0 && err->code == ZF_OK) {
            err->code = ZF_ENOTFOUND;
            snprintf(err->message, sizeof err->message, "no state '%.200s'", name);
        }
        return r;
    }
    /** The events `actor` (with space-separated `roles`) could fire now, one a line. */
    void enabled_events_(const char *actor, const char *roles, zf_buf *out, zf_error *err) {
        char copy[1024];
        const char *ids[ZFB_MAX_ROLES];
        const char *names[256];
        size_t n = 0;
        zf_actor a;
        a.id = actor;
        a.roles = ids;
        a.nroles = zfb_split_roles(roles, copy, sizeof copy, ids);
        if (zf_instance_enabled_events(names, 256, &n, $self, &a, err) != ZF_OK)
            return;
        for (size_t i = 0; i < n && i < 256; i++)
            if (zf_buf_puts(out, names[i]) != ZF_OK || zf_buf_puts(out, "\n") != ZF_OK) {
                zfb_oom(err);
                return;
            }
    }
    /** A variable as a named value (see param_value.value_type/value_text). */
    zf_param_value var_(const char *name, zf_error *err) {
        zf_param_value pv;
        pv.name = NULL;
        pv.value = zf_value_void();
        zf_instance_var(&pv.value, $self, name, err);
        return pv; /* name left NULL: `name` belongs to the caller */
    }
    size_t term_count_() { return zf_instance_term_count($self); }
    zf_term_info term_at(size_t i, zf_error *err) {
        zf_term_info t;
        memset(&t, 0, sizeof t);
        zf_instance_term(&t, $self, i, err);
        return t;
    }
    zf_term_info term_named(const char *id, zf_error *err) {
        zf_term_info t;
        memset(&t, 0, sizeof t);
        zf_instance_term_by_id(&t, $self, id, err);
        return t;
    }
    void term_explain_(const char *id, zf_buf *out, zf_error *err) {
        zf_instance_term_explain(out, $self, id, err);
    }
    /** The earliest last day of a running term, or none. */
    zf_date next_due_() { return zf_instance_next_due($self, NULL); }
    /** The id of the term next_due() reports, or NULL. */
    const char *next_due_term() {
        const char *id = NULL;
        zf_instance_next_due($self, &id);
        return id;
    }
    /** next_due() among the terms `party` must act on (NULL: any term). */
    zf_date due_for(const char *party) {
        return zf_instance_next_due_for($self, party, NULL);
    }
    /** The id of the term due_for(party) reports, or NULL. */
    const char *due_term_for(const char *party) {
        const char *id = NULL;
        zf_instance_next_due_for($self, party, &id);
        return id;
    }
    int finished_() { return zf_instance_finished($self); }
    const char *outcome_() { return zf_instance_outcome($self); }
    size_t effect_count_() { return zf_instance_effect_count($self); }
    zf_effect effect_at(size_t i, zf_error *err) {
        zf_effect e;
        memset(&e, 0, sizeof e);
        if (zf_instance_effect(&e, $self, i, NULL) != ZF_OK && err->code == ZF_OK) {
            err->code = ZF_ENOTFOUND;
            strcpy(err->message, "no such effect");
        }
        return e;
    }
    zf_param_value effect_param_at(size_t i, size_t j, zf_error *err) {
        zf_param_value pv;
        memset(&pv, 0, sizeof pv);
        if (zf_instance_effect_param(&pv, $self, i, j, NULL) != ZF_OK && err->code == ZF_OK) {
            err->code = ZF_ENOTFOUND;
            strcpy(err->message, "no such effect parameter");
        }
        return pv;
    }
    size_t journal_count_() { return zf_instance_journal_count($self); }
    zf_journal_entry journal_entry_at(size_t i, zf_error *err) {
        zf_journal_entry e;
        memset(&e, 0, sizeof e);
        if (zf_instance_journal_entry(&e, $self, i, NULL) != ZF_OK && err->code == ZF_OK) {
            err->code = ZF_ENOTFOUND;
            strcpy(err->message, "no such journal entry");
        }
        return e;
    }
    zf_journal_item journal_item_at(size_t i, size_t j, zf_error *err) {
        zf_journal_item it;
        memset(&it, 0, sizeof it);
        if (zf_instance_journal_item(&it, $self, i, j, NULL) != ZF_OK && err->code == ZF_OK) {
            err->code = ZF_ENOTFOUND;
            strcpy(err->message, "no such journal item");
        }
        return it;
    }
    void timeline_(zf_buf *out, zf_error *err) { zf_instance_timeline(out, $self, err); }
    void snapshot_(zf_buf *out, zf_error *err) { zf_instance_snapshot(out, $self, err); }
    /** The compact form (zf_instance_pack()): bytes, each language's own type. */
    void pack_(zf_buf *bytes_out, zf_error *err) { zf_instance_pack(bytes_out, $self, err); }
    size_t memory_() { return zf_instance_memory($self); }
}

%inline %{
/** What snapshot XML is of, read without its definition (zf_snapshot_info()): the
 * digest checked and, with a key (NULL or "": none), the MAC. */
zf_snapshot_summary snapshot_info(const char *xml, const char *key, zf_error *err) {
    zf_snapshot_summary s;
    zf_instance_options opts = ZF_INSTANCE_OPTIONS_INIT;
    memset(&s, 0, sizeof s);
    s.date = s.next_due = ZF_DATE_NONE;
    if (key && *key) {
        opts.key = (const unsigned char *)key;
        opts.key_len = strlen(key);
    }
    if (!xml) {
        err->code = ZF_EINVAL;
        strcpy(err->message, "no snapshot");
        return s;
    }
    zf_snapshot_info(&s, xml, strlen(xml), &opts, err);
    return s;
}
%}

%newobject instance_clone;
%inline %{
/** An exact, independent copy of a case (zf_instance_clone()); same definition. */
zf_instance *instance_clone(const zf_instance *inst, zf_error *err) {
    zf_instance *copy = NULL;
    zf_instance_clone(&copy, inst, err);
    return copy;
}
%}

%newobject instance_restore;
%newobject instance_unpack;
%inline %{
/** Rebuild a case of `definition` (borrowed: keep it alive) from snapshot XML. */
zf_instance *instance_restore(const zf_definition *definition, const char *xml, int journal,
                              zf_error *err) {
    zf_instance *inst = NULL;
    zf_instance_options opts = ZF_INSTANCE_OPTIONS_INIT;
    opts.journal = journal;
    zf_instance_restore(&inst, definition, xml, strlen(xml), &opts, err);
    return inst;
}

/** Rebuild a case of `definition` (borrowed: keep it alive) from its compact form. */
zf_instance *instance_unpack(const zf_definition *definition, const void *data, size_t len,
                             int journal, zf_error *err) {
    zf_instance *inst = NULL;
    zf_instance_options opts = ZF_INSTANCE_OPTIONS_INIT;
    opts.journal = journal;
    zf_instance_unpack(&inst, definition, data, len, &opts, err);
    return inst;
}
%}
