/*
 * Compilation of a checked model into the immutable tables of lib/defn.h:
 * the arena that owns them, the SCXML transition domains and entry sets,
 * default-entry lists, sorted name indexes and the content hash.
 */
#include "load.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------ */
/* Arena */

struct zf__chunk {
    zf__chunk *next;
    size_t size, used;
    /* data follows, 8-aligned */
};

#define CHUNK_HDR ((sizeof(zf__chunk) + 7) & ~(size_t)7)
#define CHUNK_MIN (32u * 1024u)

void *zf__arena_alloc(zf__arena *a, size_t n) {
    zf__chunk *c = a->head;
    void *p;
    n = (n + 7) & ~(size_t)7;
    if (n == 0)
        n = 8;
    if (!c || c->size - c->used < n) {
        size_t size = n > CHUNK_MIN ? n : CHUNK_MIN;
        c = zf__malloc(CHUNK_HDR + size);
        if (!c)
            return NULL;
        c->size = size;
        c->used = 0;
        /* A big block goes behind the head so the head keeps its free space. */
        if (a->head && n > CHUNK_MIN) {
            c->next = a->head->next;
            a->head->next = c;
        } else {
            c->next = a->head;
            a->head = c;
        }
    }
    p = (char *)c + CHUNK_HDR + c->used;
    c->used += n;
    memset(p, 0, n);
    return p;
}

char *zf__arena_strndup(zf__arena *a, const char *s, size_t n) {
    char *p = zf__arena_alloc(a, n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

char *zf__arena_strdup(zf__arena *a, const char *s) {
    return s ? zf__arena_strndup(a, s, strlen(s)) : NULL;
}

void zf__arena_free(zf__arena *a) {
    zf__chunk *c = a->head;
    while (c) {
        zf__chunk *next = c->next;
        zf__free(c);
        c = next;
    }
    a->head = NULL;
}

/* ------------------------------------------------------------------------ */
/* Entry sets (W3C SCXML, appendix D: computeEntrySet without history) */

/* Whether a is a proper descendant of b. */
static int proper_desc(const zf__model *m, uint16_t a, uint16_t b) {
    return a > b && a <= b + m->states[b].ndesc;
}

static int subtree_marked(const zf__model *m, const uint8_t *in, uint16_t s) {
    for (uint16_t i = s; i <= s + m->states[s].ndesc; i++)
        if (in[i])
            return 1;
    return 0;
}

/* addDescendantStatesToEnter */
static void add_desc(const zf__model *m, uint8_t *in, uint16_t s) {
    const zf__state *st = &m->states[s];
    in[s] = 1;
    if (st->kind == ZF_STATE_COMPOUND) {
        if (st->initial != ZF_NOIDX)
            add_desc(m, in, st->initial);
    } else if (st->kind == ZF_STATE_PARALLEL) {
        for (uint16_t k = (uint16_t)(s + 1); k <= s + st->ndesc;
             k += m->states[k].ndesc + 1)
            if (!subtree_marked(m, in, k))
                add_desc(m, in, k);
    }
}

/* addAncestorStatesToEnter: the proper ancestors of s strictly below `domain`. */
static void add_anc(const zf__model *m, uint8_t *in, uint16_t s, uint16_t domain) {
    for (uint16_t a = m->states[s].parent; a != ZF_NOIDX && a != domain;
         a = m->states[a].parent) {
        in[a] = 1;
        if (m->states[a].kind == ZF_STATE_PARALLEL)
            for (uint16_t k = (uint16_t)(a + 1); k <= a + m->states[a].ndesc;
                 k += m->states[k].ndesc + 1)
                if (!subtree_marked(m, in, k))
                    add_desc(m, in, k);
    }
}

/*
 * The transition domain: the source itself for an internal transition from a
 * compound state to a proper descendant; otherwise the least compound proper
 * ancestor of the source (the root counts) that is a proper ancestor of the
 * target.
 */
static uint16_t domain_of(const zf__model *m, const zf__transition *t) {
    uint16_t a;
    if (t->target == ZF_NOIDX)
        return ZF_NOIDX;
    if (t->internal && m->states[t->source].kind == ZF_STATE_COMPOUND &&
        proper_desc(m, t->target, t->source))
        return t->source;
    for (a = m->states[t->source].parent; a != ZF_NOIDX; a = m->states[a].parent)
        if (m->states[a].kind == ZF_STATE_COMPOUND && proper_desc(m, t->target, a))
            return a;
    return 0;
}

/* Append the marked states above `after` (exclusive) in document order. */
static int flush(zf__model *m, uint8_t *in, int after, uint32_t *first, uint32_t *n) {
    *first = (uint32_t)m->npool;
    *n = 0;
    for (size_t i = 0; i < m->nstates; i++) {
        if (!in[i])
            continue;
        in[i] = 0;
        if ((int)i <= after)
            continue;
        if (ZF__GROW(m->pool, m->apool, m->npool + 1, 256)) {
            memset(in, 0, m->nstates);
            return -1;
        }
        m->pool[m->npool++] = (uint16_t)i;
        (*n)++;
    }
    return 0;
}

zf_code zf__compile_entry_sets(zf__model *m) {
    uint8_t *in = zf__calloc(m->nstates ? m->nstates : 1, 1);
    if (!in)
        return ZF_ENOMEM;
    m->npool = 0;
    for (size_t s = 0; s < m->nstates; s++) {
        zf__state *st = &m->states[s];
        if (st->kind == ZF_STATE_COMPOUND || st->kind == ZF_STATE_PARALLEL) {
            add_desc(m, in, (uint16_t)s);
            if (flush(m, in, (int)s, &st->init_first, &st->ninit) < 0)
                goto nomem;
        } else {
            st->init_first = (uint32_t)m->npool;
            st->ninit = 0;
        }
    }
    for (size_t i = 0; i < m->ntrans; i++) {
        zf__transition *t = &m->trans[i];
        t->domain = domain_of(m, t);
        if (t->domain == ZF_NOIDX) {
            t->entry_first = (uint32_t)m->npool;
            t->nentry = 0;
            continue;
        }
        add_desc(m, in, t->target);
        add_anc(m, in, t->target, t->domain);
        if (flush(m, in, -1, &t->entry_first, &t->nentry) < 0)
            goto nomem;
    }
    zf__free(in);
    return ZF_OK;
nomem:
    zf__free(in);
    return ZF_ENOMEM;
}

/* ------------------------------------------------------------------------ */
/* Name indexes */

/* qsort has no context argument: sort (name, index) pairs instead. */
typedef struct pair {
    const char *name;
    uint16_t idx;
} pair;

static int cmp_pair(const void *a, const void *b) {
    const pair *x = a, *y = b;
    int c = strcmp(x->name ? x->name : "", y->name ? y->name : "");
    return c ? c : (x->idx > y->idx) - (x->idx < y->idx);
}

static uint16_t *name_index(zf__arena *a, const void *table, size_t n, size_t stride) {
    pair *p = zf__malloc((n ? n : 1) * sizeof *p);
    uint16_t *out = zf__arena_alloc(a, (n ? n : 1) * sizeof *out);
    if (!p || !out) {
        zf__free(p);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        /* Every table's first member is its id. */
        p[i].name = *(const char *const *)((const char *)table + i * stride);
        p[i].idx = (uint16_t)i;
    }
    qsort(p, n, sizeof *p, cmp_pair);
    for (size_t i = 0; i < n; i++)
        out[i] = p[i].idx;
    zf__free(p);
    return out;
}

static uint16_t find(const uint16_t *index, size_t n, const void *table, size_t stride,
                     const char *name) {
    size_t lo = 0, hi = n;
    if (!name || !index)
        return ZF_NOIDX;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *id =
            *(const char *const *)((const char *)table + index[mid] * stride);
        int c = strcmp(id ? id : "", name);
        if (c == 0)
            return index[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return ZF_NOIDX;
}

uint16_t zf__defn_state(const struct zf_definition *d, const char *name) {
    return find(d->states_by_name, d->nstates, d->states, sizeof *d->states, name);
}

uint16_t zf__defn_var(const struct zf_definition *d, const char *name) {
    return find(d->vars_by_name, d->nvars, d->vars, sizeof *d->vars, name);
}

uint16_t zf__defn_term(const struct zf_definition *d, const char *name) {
    return find(d->terms_by_name, d->nterms, d->terms, sizeof *d->terms, name);
}

/* ------------------------------------------------------------------------ */
/* The texts journal records take from the definition */

static int cmp_opt(const char *a, const char *b) {
    return a && b ? strcmp(a, b) : (a != NULL) - (b != NULL);
}

int zf__jtext_cmp(const void *pa, const void *pb) {
    const zf__jtext *a = pa, *b = pb;
    int c;
    if (a->kind != b->kind)
        return a->kind < b->kind ? -1 : 1;
    if (a->ref != b->ref)
        return a->ref < b->ref ? -1 : 1;
    if ((c = cmp_opt(a->a, b->a)))
        return c;
    return cmp_opt(a->b, b->b);
}

static zf_code journal_texts(struct zf_definition *d, zf__arena *a) {
    size_t n = 0, cap = d->ntrans + 1;
    zf__jtext *k;
    for (uint32_t i = 0; i < d->nactions; i++)
        cap += 1u + (d->actions[i].kind == ZF_ACT_SPAWN ? d->actions[i].nparams : 0u);
    if (!(k = zf__arena_alloc(a, cap * sizeof *k)))
        return ZF_ENOMEM;
    for (uint32_t t = 0; t < d->ntrans; t++) {
        const zf__transition *tr = &d->trans[t];
        if (tr->basis || tr->title)
            k[n++] = (zf__jtext){ZF_JOURNAL_TRANSITION, tr->source, NULL,
                                 tr->basis ? tr->basis : tr->title};
    }
    for (uint32_t i = 0; i < d->nactions; i++) {
        const zf__action *ac = &d->actions[i];
        switch (ac->kind) {
        case ZF_ACT_NOTIFY:
            k[n++] = (zf__jtext){ZF_JOURNAL_NOTIFY, ZF_NOIDX, ac->to, ac->text};
            break;
        case ZF_ACT_LOG:
            k[n++] =
                (zf__jtext){ZF_JOURNAL_LOG, ZF_NOIDX, NULL, ac->text ? ac->text : ""};
            break;
        case ZF_ACT_SPAWN:
            k[n++] =
                (zf__jtext){ZF_JOURNAL_SPAWN, ZF_NOIDX, ac->text,
                            ac->relation == ZF_REL_DEELZAAK ? "deelzaak" : "vervolg"};
            for (uint16_t p = 0; p < ac->nparams; p++)
                k[n++] = (zf__jtext){ZF_JOURNAL_SPAWN_PARAM, ZF_NOIDX, ac->params[p].name,
                                     NULL};
            break;
        default:
            break;
        }
    }
    qsort(k, n, sizeof *k, zf__jtext_cmp);
    d->jtexts = k;
    d->njtexts = n;
    return ZF_OK;
}

/* The definition */

void zf__defn_destroy(struct zf_definition *d) {
    zf__arena a;
    if (!d)
        return;
    a.head = d->arena;
    d->magic = ZF__MAGIC_DEAD;
    zf__arena_free(&a); /* d itself lives in the arena */
}

zf_code zf__compile(struct zf_definition **out, zf__model *m, const char *file) {
    zf__arena *a = &m->arena;
    struct zf_definition *d;
    uint16_t *pool;

    *out = NULL;
    d = zf__arena_alloc(a, sizeof *d);
    pool = zf__arena_alloc(a, (m->npool ? m->npool : 1) * sizeof *pool);
    if (!d || !pool)
        return ZF_ENOMEM;
    if (m->npool)
        memcpy(pool, m->pool, m->npool * sizeof *pool);
    d->id = m->id;
    d->version = m->version;
    d->title = m->title;
    d->basis = m->basis;
    d->valid_from = m->valid_from;
    d->valid_until = m->valid_until;
    d->file = zf__arena_strdup(a, file ? file : "<string>");
    d->nstates = (uint16_t)m->nstates;
    d->states = m->states;
    d->nevents = (uint16_t)m->nevents;
    d->events = m->events;
    d->nvars = (uint16_t)m->nvars;
    d->vars = m->vars;
    d->nterms = (uint16_t)m->nterms;
    d->terms = m->terms;
    d->nroles = (uint16_t)m->nroles;
    d->roles = m->roles;
    d->nenums = (uint16_t)m->nenums;
    d->enums = m->enums;
    d->nrates = (uint16_t)m->nrates;
    d->rates = m->rates;
    d->ntrans = (uint32_t)m->ntrans;
    d->trans = m->trans;
    d->nactions = (uint32_t)m->nactions;
    d->actions = m->actions;
    d->npool = (uint32_t)m->npool;
    d->state_pool = pool;
    d->calendar = m->calendar;
    d->events_by_name = name_index(a, m->events, m->nevents, sizeof *m->events);
    d->states_by_name = name_index(a, m->states, m->nstates, sizeof *m->states);
    d->vars_by_name = name_index(a, m->vars, m->nvars, sizeof *m->vars);
    d->terms_by_name = name_index(a, m->terms, m->nterms, sizeof *m->terms);
    if (!d->file || !d->events_by_name || !d->states_by_name || !d->vars_by_name ||
        !d->terms_by_name)
        return ZF_ENOMEM;
    d->state_words = (uint16_t)((m->nstates + 31) / 32);
    {
        size_t nw = (size_t)d->state_words * m->nevents;
        uint32_t *es = zf__arena_alloc(a, (nw ? nw : 1) * sizeof *es);
        if (!es)
            return ZF_ENOMEM;
        for (size_t ti = 0; ti < m->ntrans; ti++) {
            const zf__transition *t = &m->trans[ti];
            if (t->event < m->nevents)
                es[(size_t)t->event * d->state_words + t->source / 32] |=
                    1u << (t->source & 31);
        }
        d->event_states = es;
    }
    {
        uint32_t *ts =
            zf__arena_alloc(a, (d->state_words ? d->state_words : 1) * sizeof *ts);
        if (!ts)
            return ZF_ENOMEM;
        /* The declaring state of every term: it starts them on entry (unless manual)
           and stops them on exit (manual ones too). */
        for (size_t t = 0; t < m->nterms; t++)
            if (m->terms[t].scope < m->nstates)
                ts[m->terms[t].scope / 32] |= 1u << (m->terms[t].scope & 31);
        d->term_states = ts;
    }
    {
        uint16_t *ef = zf__arena_alloc(a, 257 * sizeof *ef);
        uint32_t *rf = zf__arena_alloc(a, 256 * sizeof *rf);
        size_t k = 0;
        if (!ef || !rf)
            return ZF_ENOMEM;
        /* events_by_name is sorted by strcmp, i.e. by unsigned first byte first. */
        for (unsigned c = 0; c < 256; c++) {
            ef[c] = (uint16_t)k;
            while (k < m->nevents) {
                const char *id = m->events[d->events_by_name[k]].id;
                if ((unsigned char)(id ? id[0] : 0) != c)
                    break;
                k++;
            }
        }
        ef[256] = (uint16_t)k;
        /* strcmp orders by the first byte first: every event has been counted. */
        ZF_ASSERT(k == m->nevents);
        ZF_ASSERT(m->nroles <= ZF_MAX_ROLES);
        for (size_t i = 0; i < m->nroles && i < ZF_MAX_ROLES; i++)
            if (m->roles[i].id)
                rf[(unsigned char)m->roles[i].id[0]] |= 1u << i;
        d->event_first = ef;
        d->role_first = rf;
    }
    {
        uint8_t *tx = zf__arena_alloc(a, m->nterms ? m->nterms : 1);
        if (!tx)
            return ZF_ENOMEM;
        for (size_t k = 0; k < m->nactions; k++) {
            const zf__action *act = &m->actions[k];
            if ((act->kind == ZF_ACT_SUSPEND || act->kind == ZF_ACT_RESUME ||
                 act->kind == ZF_ACT_EXTEND) &&
                act->target < m->nterms)
                tx[act->target] = 1;
        }
        d->term_extra = tx;
        d->max_params = 0;
        for (size_t e = 0; e < m->nevents; e++)
            if (m->events[e].nparams > d->max_params)
                d->max_params = m->events[e].nparams;
        d->natomic = 0;
        d->flat = 1;
        for (size_t k = 0; k < m->nstates; k++) {
            zf__state_kind kind = m->states[k].kind;
            if (kind == ZF_STATE_ATOMIC || kind == ZF_STATE_FINAL)
                d->natomic++;
            if (kind == ZF_STATE_PARALLEL)
                d->flat = 0;
        }
        if (d->natomic == 0)
            d->natomic = 1;
        d->has_eventless = 0;
        for (size_t ti = 0; ti < m->ntrans; ti++)
            if (m->trans[ti].event == ZF_NOIDX)
                d->has_eventless = 1;
    }
    d->owned_calendars = NULL;
    if (zf__defn_hash(d) != ZF_OK || journal_texts(d, a) != ZF_OK)
        return ZF_ENOMEM;
    /* The arena moves into the definition: the model no longer owns it. */
    d->arena = a->head;
    a->head = NULL;
    d->magic = ZF__MAGIC_DEFINITION;
    *out = d;
    return ZF_OK;
}
