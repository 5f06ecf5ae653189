/*
 * Logs of an instance: the journal (audit trail, one entry per processed
 * event) and the effects of the last call. Both are append-only arrays of
 * compact records with their strings in one text arena, so growth is
 * amortised and a failing call rolls back by truncating to a mark.
 */
#include "instance_int.h"
#include "writer.h"

#include <string.h>

static const char *const kind_names[] = {
    "left",          "entered",      "transition",     "term-started",
    "term-stopped",  "term-expired", "term-suspended", "term-resumed",
    "term-extended", "notify",       "spawn",          "spawn-param",
    "log",           "assign",       "migrated",       "term-moved"};

const char *zf_journal_kind_name(zf_journal_kind kind) {
    if ((unsigned)kind < ZF__ARRAY_SIZE(kind_names))
        return kind_names[kind];
    return "unknown";
}

void zf__log_mark(const zf__log *l, zf__logmark *m) {
    m->nentries = l->nentries;
    m->nitems = l->nitems;
    m->ntext = l->ntext;
}

void zf__log_rollback(zf__log *l, const zf__logmark *m) {
    l->nentries = m->nentries;
    l->nitems = m->nitems;
    l->ntext = m->ntext;
}

void zf__log_dispose(zf__log *l) {
    zf__free(l->entries);
    if (!l->items_inline)
        zf__free(l->items);
    if (!l->text_inline)
        zf__free(l->text);
    memset(l, 0, sizeof *l);
}

/* The aux block and, after it, the first items and text of each effects log (an item
 * names its strings by reference: 8 bytes of text each). */
typedef struct aux_block {
    zf__aux aux;
    zf__jitem items[2][ZF__INLINE_EFFECTS];
    char text[2][ZF__INLINE_EFFECTS * 2 * sizeof(const char *)];
} aux_block;

zf__aux *zf__aux_new(void) {
    /* Only the headers are cleared: the inline items and text are written before
       they are read, and untouched bytes cost no memory traffic. */
    aux_block *b = zf__malloc(sizeof *b);
    if (!b)
        return NULL;
    memset(&b->aux, 0, sizeof b->aux);
    for (int k = 0; k < 2; k++) {
        b->aux.effects[k].items = b->items[k];
        b->aux.effects[k].citems = ZF__INLINE_EFFECTS;
        b->aux.effects[k].items_inline = 1;
        b->aux.effects[k].text = b->text[k];
        b->aux.effects[k].ctext = sizeof b->text[k];
        b->aux.effects[k].text_inline = 1;
    }
    return &b->aux;
}

void zf__aux_free(zf__aux *x) {
    if (!x)
        return;
    zf__log_dispose(&x->journal);
    zf__log_dispose(&x->effects[0]);
    zf__log_dispose(&x->effects[1]);
    zf__free(x->cov_pending);
    zf__free(x->gaps);
    zf__free(x->kept);
    zf__free(x->key);
    zf__free(x); /* the aux_block: aux is its first member */
}

/* Copy the used part of `src` into `dst`, whose inline arrays (if any) are set up:
 * what fits stays inline, the rest gets arrays of exactly the used size. On failure
 * `dst` holds what it owns so far (zf__log_dispose() frees it). */
static zf_code log_copy(zf__log *dst, const zf__log *src) {
    if (src->nentries) {
        if (!(dst->entries = zf__malloc(src->nentries * sizeof *dst->entries)))
            return ZF_ENOMEM;
        memcpy(dst->entries, src->entries, src->nentries * sizeof *dst->entries);
        dst->nentries = dst->centries = src->nentries;
    }
    if (src->nitems > dst->citems) {
        zf__jitem *items = zf__malloc(src->nitems * sizeof *items);
        if (!items)
            return ZF_ENOMEM;
        dst->items = items;
        dst->citems = src->nitems;
        dst->items_inline = 0;
    }
    if (src->nitems)
        memcpy(dst->items, src->items, src->nitems * sizeof *dst->items);
    dst->nitems = src->nitems;
    if (src->ntext > dst->ctext) {
        char *text = zf__malloc(src->ntext);
        if (!text)
            return ZF_ENOMEM;
        dst->text = text;
        dst->ctext = src->ntext;
        dst->text_inline = 0;
    }
    if (src->ntext)
        memcpy(dst->text, src->text, src->ntext);
    dst->ntext = src->ntext;
    return ZF_OK;
}

/* A copy of n bytes through the zaakflow allocator, or NULL. */
static void *copy_of(const void *p, size_t n) {
    void *q = zf__malloc(n);
    if (q)
        memcpy(q, p, n);
    return q;
}

zf__aux *zf__aux_clone(const zf__aux *src, int journal, int effcur) {
    zf__aux *x = zf__aux_new();
    if (!x)
        return NULL;
    /* The journal and the effects of the last call; the other effects log is the
       next call's scratch and the coverage list is empty between calls. Text
       references point into the definition, which the copy shares. */
    if ((journal && log_copy(&x->journal, &src->journal)) ||
        log_copy(&x->effects[effcur], &src->effects[effcur])) {
        zf__aux_free(x);
        return NULL;
    }
    /* The journal's gaps, the journal kept by a restore without it, the host key. */
    if ((src->ngaps && !(x->gaps = copy_of(src->gaps, src->ngaps * sizeof *src->gaps))) ||
        (src->kept && !(x->kept = copy_of(src->kept, src->nkept + 1))) ||
        (src->key && !(x->key = copy_of(src->key, 64)))) {
        zf__aux_free(x);
        return NULL;
    }
    x->ngaps = src->ngaps;
    x->nkept = src->nkept;
    x->kept_tail = src->kept_tail;
    x->kept_seq = src->kept_seq;
    x->kept_tail_from = src->kept_tail_from;
    return x;
}

/* The array `p` of a log grown to hold `need` elements (zf__grow_array()); one inline
 * in the aux block (*fixed) moves to the heap, where it grows from then on. On
 * failure `p` with *cap unchanged. */
static void *log_grow(void *p, size_t *cap, size_t need, size_t elsize, int *fixed) {
    size_t ncap;
    void *np;
    if (!*fixed)
        return zf__grow_array(p, cap, need, 16, elsize);
    if (need <= *cap)
        return p;
    if (!(ncap = zf__grow_cap(*cap, need, 16, elsize)) ||
        !(np = zf__malloc(ncap * elsize)))
        return p;
    memcpy(np, p, *cap * elsize);
    *fixed = 0;
    *cap = ncap;
    return np;
}

/* Room for n more bytes of text. The text's offsets keep their top bit for
 * ZF__TEXT_REF: it stays below 2 GiB. Its recorded capacity stays at most that too
 * (the allocation may be larger), so that "room for n bytes", all zf__log_put()'s
 * inline front asks, also means "within the limit". */
static zf_code text_room(zf__log *l, size_t n) {
    if (l->ctext - l->ntext >= n)
        return ZF_OK;
    if (n >= ZF__TEXT_REF - l->ntext)
        return ZF_ELIMIT;
    l->text = log_grow(l->text, &l->ctext, l->ntext + n, 1, &l->text_inline);
    if (l->ctext > ZF__TEXT_REF)
        l->ctext = ZF__TEXT_REF;
    return l->ctext - l->ntext >= n ? ZF_OK : ZF_ENOMEM;
}

/* Keep `s` in the log's text as `how` says; its offset, or ZF__NONE32 for NULL, into
 * *off. */
static inline zf_code log_string(zf__log *l, const char *s, zf__text_kind how,
                                 uint32_t *off) {
    size_t n;
    zf_code rc;
    if (!s) {
        *off = ZF__NONE32;
        return ZF_OK;
    }
    n = how == ZF__TEXT_STATIC ? sizeof s : strlen(s) + 1;
    if ((rc = text_room(l, n)))
        return rc;
    if (how == ZF__TEXT_STATIC) {
        *off = zf__log_ref_at(l, s);
        return ZF_OK;
    }
    memcpy(l->text + l->ntext, s, n);
    *off = (uint32_t)l->ntext;
    l->ntext += n;
    return ZF_OK;
}

const char *zf__log_str(const zf__log *l, uint32_t off) {
    const char *s;
    if (off == ZF__NONE32)
        return NULL;
    if (!(off & ZF__TEXT_REF))
        return l->text + off;
    memcpy(&s, l->text + (off & ~ZF__TEXT_REF), sizeof s);
    return s;
}

zf_code zf__log_entry(zf__log *l, uint32_t seq, zf_date date, uint16_t event,
                      const char *actor) {
    zf__jentry *e;
    uint32_t aoff;
    zf_code rc;
    if (ZF__GROW(l->entries, l->centries, l->nentries + 1, 16))
        return ZF_ENOMEM;
    if ((rc = log_string(l, actor, ZF__TEXT_COPY, &aoff)))
        return rc;
    e = &l->entries[l->nentries++];
    memset(e, 0, sizeof *e);
    e->seq = seq;
    e->date = date;
    e->event = event;
    e->actor = aoff;
    e->event_name = ZF__NONE32;
    e->first = (uint32_t)l->nitems;
    e->nitems = 0;
    return ZF_OK;
}

zf_code zf__log_entry_named(zf__log *l, uint32_t seq, zf_date date, const char *event,
                            const char *actor) {
    uint32_t off;
    zf_code rc;
    size_t n = l->nentries;
    zf__logmark m;
    zf__log_mark(l, &m);
    if ((rc = zf__log_entry(l, seq, date, ZF_NOIDX, actor)))
        return rc;
    if ((rc = log_string(l, event, ZF__TEXT_COPY, &off))) {
        zf__log_rollback(l, &m);
        return rc;
    }
    l->entries[n].event_name = off;
    return ZF_OK;
}

int zf__log_entry_migrated(const zf__log *l, size_t i) {
    const zf__jentry *e = &l->entries[i];
    for (uint32_t k = e->first; k < e->first + e->nitems; k++)
        if (l->items[k].kind == ZF_JOURNAL_MIGRATED)
            return 1;
    return 0;
}

/* The payload of value `v` in item `it`: a STRING's text always copied, an ENUM's
 * name (the definition's or not) as `how` says. */
static zf_code log_value(zf__log *l, zf__jitem *it, const zf_value *v,
                         zf__text_kind how) {
    uint32_t off;
    zf_code rc;
    it->vtype = (uint8_t)v->type;
    switch (v->type) {
    case ZF_TYPE_STRING:
        if ((rc = log_string(l, v->as.s ? v->as.s : "", ZF__TEXT_COPY, &off)))
            return rc;
        it->v = off;
        return ZF_OK;
    case ZF_TYPE_ENUM:
        if ((rc = log_string(l, v->as.s ? v->as.s : "", v->as.s ? how : ZF__TEXT_COPY,
                             &off)))
            return rc;
        it->text = off;
        it->v = v->enum_index;
        return ZF_OK;
    default:
        it->v = zf__log_scalar(v);
        return ZF_OK;
    }
}

zf_code zf__log_put_slow(zf__log *l, zf_journal_kind kind, uint16_t ref, const char *name,
                         const char *text, zf_date date, const zf_value *v,
                         zf__text_kind how) {
    zf__jitem it;
    zf_code rc;
    it.kind = (uint8_t)kind;
    it.vtype = 0;
    it.ref = ref;
    it.date = date;
    it.v = 0;
    if (l->nitems == l->citems) {
        l->items = log_grow(l->items, &l->citems, l->nitems + 1, sizeof *l->items,
                            &l->items_inline);
        if (l->nitems == l->citems)
            return ZF_ENOMEM;
    }
    if ((rc = log_string(l, name, how, &it.name)))
        return rc;
    if ((rc = log_string(l, text, how, &it.text)))
        return rc;
    if (v && (rc = log_value(l, &it, v, how)))
        return rc;
    l->items[l->nitems++] = it;
    if (l->nentries)
        l->entries[l->nentries - 1].nitems++;
    return ZF_OK;
}

void zf__log_get_item(const zf_instance *in, const zf__log *l, size_t k,
                      zf_journal_item *out) {
    const zf__jitem *it = &l->items[k];
    const struct zf_definition *d = in->def;
    memset(out, 0, sizeof *out);
    out->kind = (zf_journal_kind)it->kind;
    out->name = zf__log_str(l, it->name);
    out->text = zf__log_str(l, it->text);
    out->date = it->date;
    if (!out->name && it->ref != ZF_NOIDX) {
        switch (it->kind) {
        case ZF_JOURNAL_LEFT:
        case ZF_JOURNAL_ENTERED:
        case ZF_JOURNAL_TRANSITION:
            if (it->ref < d->nstates)
                out->name = d->states[it->ref].id;
            break;
        case ZF_JOURNAL_ASSIGN:
            if (it->ref < d->nvars)
                out->name = d->vars[it->ref].id;
            break;
        case ZF_JOURNAL_NOTIFY:
        case ZF_JOURNAL_SPAWN:
        case ZF_JOURNAL_SPAWN_PARAM:
        case ZF_JOURNAL_LOG:
            break;
        default:
            if (it->ref < d->nterms)
                out->name = d->terms[it->ref].id;
        }
    }
    out->value.type = (zf_type)it->vtype;
    switch (it->vtype) {
    case ZF_TYPE_BOOL:
        out->value.as.b = (int)it->v;
        break;
    case ZF_TYPE_INT:
    case ZF_TYPE_MONEY:
        out->value.as.i = it->v;
        break;
    case ZF_TYPE_DATE:
        out->value.as.date = (zf_date)it->v;
        break;
    case ZF_TYPE_DURATION:
        out->value.as.dur = zf__dur_unpack((int32_t)it->v);
        break;
    case ZF_TYPE_STRING:
        out->value.as.s = zf__log_str(l, (uint32_t)it->v);
        break;
    case ZF_TYPE_ENUM:
        out->value.as.s = out->text;
        out->value.enum_index = it->v;
        out->text = NULL;
        break;
    default:
        break;
    }
}

size_t zf_instance_journal_count(const zf_instance *inst) {
    if (!zf__ok_instance(inst))
        return 0;
    return zf__journal(inst) ? zf__journal(inst)->nentries : 0;
}

zf_code zf_instance_journal_entry(zf_journal_entry *out, const zf_instance *inst,
                                  size_t i, zf_error *err) {
    const zf__jentry *e;
    zf_error_clear(err);
    if (!zf__ok_instance(inst))
        return zf__error_set(err, ZF_EINVAL, "invalid instance");
    if (!out)
        return zf__error_set(err, ZF_EINVAL, "out is NULL");
    if (i >= zf_instance_journal_count(inst))
        return zf__error_set(err, ZF_ENOTFOUND, "no journal entry %zu", i);
    e = &zf__journal(inst)->entries[i];
    out->seq = e->seq;
    out->date = e->date;
    out->event = e->event != ZF_NOIDX ? inst->def->events[e->event].id
                                      : zf__log_str(zf__journal(inst), e->event_name);
    out->actor = zf__log_str(zf__journal(inst), e->actor);
    out->nitems = e->nitems;
    return ZF_OK;
}

zf_code zf_instance_journal_item(zf_journal_item *out, const zf_instance *inst, size_t i,
                                 size_t j, zf_error *err) {
    const zf__jentry *e;
    zf_error_clear(err);
    if (!zf__ok_instance(inst))
        return zf__error_set(err, ZF_EINVAL, "invalid instance");
    if (!out)
        return zf__error_set(err, ZF_EINVAL, "out is NULL");
    if (i >= zf_instance_journal_count(inst))
        return zf__error_set(err, ZF_ENOTFOUND, "no journal entry %zu", i);
    e = &zf__journal(inst)->entries[i];
    if (j >= e->nitems)
        return zf__error_set(err, ZF_ENOTFOUND, "no item %zu in journal entry %zu", j, i);
    zf__log_get_item(inst, zf__journal(inst), e->first + j, out);
    return ZF_OK;
}

/* ---- effects ---------------------------------------------------------- */

/* Effects are NOTIFY and SPAWN items; SPAWN_PARAM items follow their SPAWN. */
static const zf__log *effects(const zf_instance *in) {
    static const zf__log none;
    return in->aux ? &in->aux->effects[in->effcur] : &none;
}

static long effect_item(const zf__log *l, size_t i) {
    size_t k, n = 0;
    for (k = 0; k < l->nitems; k++) {
        if (l->items[k].kind == ZF_JOURNAL_SPAWN_PARAM)
            continue;
        if (n++ == i)
            return (long)k;
    }
    return -1;
}

size_t zf_instance_effect_count(const zf_instance *inst) {
    const zf__log *l;
    size_t k, n = 0;
    if (!zf__ok_instance(inst))
        return 0;
    l = effects(inst);
    for (k = 0; k < l->nitems; k++)
        if (l->items[k].kind != ZF_JOURNAL_SPAWN_PARAM)
            n++;
    return n;
}

zf_code zf_instance_effect(zf_effect *out, const zf_instance *inst, size_t i,
                           zf_error *err) {
    const zf__log *l;
    zf_journal_item it;
    long k;
    size_t m;
    zf_error_clear(err);
    if (!zf__ok_instance(inst))
        return zf__error_set(err, ZF_EINVAL, "invalid instance");
    if (!out)
        return zf__error_set(err, ZF_EINVAL, "out is NULL");
    l = effects(inst);
    if ((k = effect_item(l, i)) < 0)
        return zf__error_set(err, ZF_ENOTFOUND, "no effect %zu", i);
    zf__log_get_item(inst, l, (size_t)k, &it);
    memset(out, 0, sizeof *out);
    out->date = it.date;
    if (it.kind == ZF_JOURNAL_NOTIFY) {
        out->kind = ZF_EFFECT_NOTIFY;
        out->to = it.name;
        out->text = it.text;
    } else {
        out->kind = ZF_EFFECT_SPAWN;
        out->process = it.name;
        out->relation = it.text;
        for (m = (size_t)k + 1;
             m < l->nitems && l->items[m].kind == ZF_JOURNAL_SPAWN_PARAM; m++)
            out->nparams++;
    }
    return ZF_OK;
}

zf_code zf_instance_effect_param(zf_param_value *out, const zf_instance *inst, size_t i,
                                 size_t j, zf_error *err) {
    const zf__log *l;
    zf_journal_item it;
    long k;
    size_t m;
    zf_error_clear(err);
    if (!zf__ok_instance(inst))
        return zf__error_set(err, ZF_EINVAL, "invalid instance");
    if (!out)
        return zf__error_set(err, ZF_EINVAL, "out is NULL");
    l = effects(inst);
    if ((k = effect_item(l, i)) < 0 || l->items[k].kind != ZF_JOURNAL_SPAWN)
        return zf__error_set(err, ZF_ENOTFOUND, "no spawn effect %zu", i);
    m = (size_t)k + 1 + j;
    for (size_t q = (size_t)k + 1; q <= m; q++)
        if (q >= l->nitems || l->items[q].kind != ZF_JOURNAL_SPAWN_PARAM)
            return zf__error_set(err, ZF_ENOTFOUND, "no parameter %zu of effect %zu", j,
                                 i);
    zf__log_get_item(inst, l, m, &it);
    out->name = it.name;
    out->value = it.value;
    return ZF_OK;
}

/* ---- timeline --------------------------------------------------------- */

/* A table with the columns date, event, actor and what happened; an entry takes a
 * row per thing that happened, its date, event and actor on the first. */
typedef struct timeline {
    zf__writer w;
    const zf_instance *inst;
    int width;         /* of the event column: the longest event name, at least 28 */
    const char *label; /* of the entry being written when it has no event, or NULL */
} timeline;

static void tl_header(timeline *t) {
    static const char dashes[] =
        "--------------------------------------------------------"
        "------------------------";
    size_t n = zf_instance_journal_count(t->inst);
    t->width = 28;
    for (size_t i = 0; i < n; i++) {
        zf_journal_entry e;
        zf_instance_journal_entry(&e, t->inst, i, NULL);
        if (e.event && (int)strlen(e.event) > t->width && strlen(e.event) < 80)
            t->width = (int)strlen(e.event);
    }
    zf__w_printf(&t->w, "%-10s  %-*s  %-14s  %s\n", "date", t->width, "event", "actor",
                 "what happened");
    zf__w_printf(&t->w, "%-10s  %.*s  %-14s  %s\n", "----------", t->width, dashes,
                 "--------------", "----------------------------------------");
}

/* Begin a row of entry `e`: its date, event and actor if it is the first row. An
 * entry without an event is the start of the case or a migration. */
static void tl_row(timeline *t, const zf_journal_entry *e, int *first) {
    char day[ZF_DATE_BUFSIZE];
    if (*first)
        zf__w_printf(&t->w, "%-10s  %-*s  %-14s  ", zf_date_format(day, e->date),
                     t->width,
                     e->event   ? e->event
                     : t->label ? t->label
                                : "(case started)",
                     e->actor ? e->actor : "");
    else
        zf__w_printf(&t->w, "%-10s  %-*s  %-14s  ", "", t->width, "", "");
    *first = 0;
}

/* The names of the states in entry i's items of `kind`, joined with ", ", after
 * `before`; returns their number. */
static int tl_states(timeline *t, size_t i, const zf_journal_entry *e,
                     zf_journal_kind kind, const char *before) {
    zf_journal_item it;
    int n = 0;
    for (size_t j = 0; j < e->nitems; j++) {
        zf_instance_journal_item(&it, t->inst, i, j, NULL);
        if (it.kind != kind)
            continue;
        zf__w_puts(&t->w, n++ ? ", " : before);
        zf__w_puts(&t->w, it.name);
    }
    return n;
}

/* One row for the states left and entered: "a, b -> c", or "enter c". */
static void tl_step(timeline *t, size_t i, const zf_journal_entry *e, int *first) {
    int any = 0, nleft;
    zf_journal_item it;
    for (size_t j = 0; j < e->nitems && !any; j++) {
        zf_instance_journal_item(&it, t->inst, i, j, NULL);
        any = it.kind == ZF_JOURNAL_LEFT || it.kind == ZF_JOURNAL_ENTERED;
    }
    if (!any)
        return;
    tl_row(t, e, first);
    nleft = tl_states(t, i, e, ZF_JOURNAL_LEFT, "");
    if (nleft)
        zf__w_puts(&t->w, " -> ");
    tl_states(t, i, e, ZF_JOURNAL_ENTERED, nleft ? "" : "enter ");
    zf__w_putc(&t->w, '\n');
}

/* Whether an item takes a row of its own (the states left and entered share one;
 * assignments and a transition without a legal basis take none). */
static int tl_has_row(const zf_journal_item *it) {
    switch (it->kind) {
    case ZF_JOURNAL_TERM_STARTED:
    case ZF_JOURNAL_TERM_STOPPED:
    case ZF_JOURNAL_TERM_EXPIRED:
    case ZF_JOURNAL_TERM_SUSPENDED:
    case ZF_JOURNAL_TERM_RESUMED:
    case ZF_JOURNAL_TERM_EXTENDED:
    case ZF_JOURNAL_NOTIFY:
    case ZF_JOURNAL_SPAWN:
    case ZF_JOURNAL_SPAWN_PARAM:
    case ZF_JOURNAL_LOG:
    case ZF_JOURNAL_MIGRATED:
    case ZF_JOURNAL_TERM_MOVED:
        return 1;
    case ZF_JOURNAL_TRANSITION:
        return it->text != NULL;
    default:
        return 0;
    }
}

/* The row of an item that takes one (tl_has_row). */
static void tl_item(timeline *t, const zf_journal_entry *e, const zf_journal_item *it,
                    int *first) {
    zf__writer *w = &t->w;
    const char *text = it->text ? it->text : "";
    char day[ZF_DATE_BUFSIZE] = "-";
    if (!tl_has_row(it))
        return;
    if (it->date != ZF_DATE_NONE)
        zf_date_format(day, it->date);
    tl_row(t, e, first);
    switch (it->kind) {
    case ZF_JOURNAL_TERM_STARTED:
        zf__w_printf(w, "term %s started, last day %s\n", it->name, day);
        break;
    case ZF_JOURNAL_TERM_STOPPED:
        zf__w_printf(w, "term %s stopped\n", it->name);
        break;
    case ZF_JOURNAL_TERM_EXPIRED:
        zf__w_printf(w, "term %s expired (last day %s)\n", it->name, day);
        break;
    case ZF_JOURNAL_TERM_SUSPENDED:
        zf__w_printf(w, "term %s suspended from %s\n", it->name, day);
        break;
    case ZF_JOURNAL_TERM_RESUMED:
        zf__w_printf(w, "term %s resumed, last day %s\n", it->name, day);
        break;
    case ZF_JOURNAL_TERM_EXTENDED:
        zf__w_printf(w, "term %s extended by %s, last day %s\n", it->name,
                     it->text ? it->text : "?", day);
        break;
    case ZF_JOURNAL_NOTIFY:
        zf__w_printf(w, "notify %s: %s\n", it->name ? it->name : "", text);
        break;
    case ZF_JOURNAL_SPAWN:
        zf__w_printf(w, "spawn %s (%s)\n", it->name, text);
        break;
    case ZF_JOURNAL_SPAWN_PARAM:
        zf__w_printf(w, "  with %s = ", it->name);
        zf__w_value(w, &it->value);
        zf__w_putc(w, '\n');
        break;
    case ZF_JOURNAL_LOG:
        zf__w_printf(w, "log: %s\n", text);
        break;
    case ZF_JOURNAL_MIGRATED:
        zf__w_printf(w, "migrated from %s to %s\n", it->name ? it->name : "?",
                     it->value.type == ZF_TYPE_STRING ? it->value.as.s : "?");
        if (it->text) {
            tl_row(t, e, first);
            zf__w_printf(w, "basis: %s\n", it->text);
        }
        break;
    case ZF_JOURNAL_TERM_MOVED: {
        char was[ZF_DATE_BUFSIZE] = "-";
        if (it->value.type == ZF_TYPE_DATE && it->value.as.date != ZF_DATE_NONE)
            zf_date_format(was, it->value.as.date);
        zf__w_printf(w, "term %s moved, last day %s -> %s\n", it->name, was, day);
        break;
    }
    default: /* ZF_JOURNAL_TRANSITION */
        zf__w_printf(w, "basis: %s\n", text);
    }
}

static void tl_entry(timeline *t, size_t i) {
    zf_journal_entry e;
    zf_journal_item it;
    int first = 1;
    zf_instance_journal_entry(&e, t->inst, i, NULL);
    t->label = zf__log_entry_migrated(zf__journal(t->inst), i) ? "(migrated)" : NULL;
    tl_step(t, i, &e, &first);
    for (size_t j = 0; j < e.nitems; j++) {
        zf_instance_journal_item(&it, t->inst, i, j, NULL);
        tl_item(t, &e, &it, &first);
    }
    if (first) {
        tl_row(t, &e, &first);
        zf__w_puts(&t->w, "(no change)\n");
    }
}

zf_code zf_instance_timeline(zf_buf *out, const zf_instance *inst, zf_error *err) {
    timeline t;
    zf_error_clear(err);
    if (!zf__ok_instance(inst))
        return zf__error_set(err, ZF_EINVAL, "invalid instance");
    if (!out)
        return zf__error_set(err, ZF_EINVAL, "out is NULL");
    t.inst = inst;
    t.label = NULL;
    zf__w_init(&t.w, out);
    tl_header(&t);
    for (size_t i = 0; i < zf_instance_journal_count(inst); i++)
        tl_entry(&t, i);
    return zf__w_finish(&t.w, err);
}
