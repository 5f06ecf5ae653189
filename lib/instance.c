/*
 * The runtime: case instances executing a compiled definition with the
 * W3C SCXML algorithm (document order, optimal enabled transition set with
 * conflict resolution, exit in reverse document order, entry in document
 * order, done.state events, eventless transitions and internal events run to
 * completion), plus terms (deadlines) as data.
 *
 * Atomicity: every call works on the compact state block in place after
 * copying its used bytes into a working area on its stack (or a buffer
 * allocated at creation for large definitions); a failing call copies them
 * back (see instance_int.h). The journal and the effects are append-only logs
 * rolled back to a mark on failure.
 */
#include "instance_int.h"
#include "expr_op.h"
#include "sha256.h"
#include "term.h"
#include "value.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_QUEUE ZF_INSTANCE_MAX_QUEUE

/* The context of one call: the block being changed (in place) and the current event. */
typedef struct run {
    zf_instance *in;
    const struct zf_definition *d;
    zf__shdr *h;           /* the committed block, changed in place ... */
    uint32_t *cfg;         /* active states */
    uint32_t *vset;        /* which variables are set */
    int64_t *pv;           /* variable payloads (type from the definition) */
    zf__tslot *ts;         /* term slots */
    char *store;           /* string store */
    unsigned char *backup; /* ... after copying its used bytes here (NULL: a query) */
    uint32_t backup_len;
    uint16_t *queue;
    uint32_t *seltr, *set_exit, *set_enter;
    zf_value *wparams; /* parameter slots of the working area */
    zf_error *err;
    uint16_t ev;     /* current event; ZF_NOIDX while eventless */
    uint16_t ext_ev; /* the external event of fire(), whose transitions check roles */
    const zf_value *params; /* parameters of the external event, or NULL */
    zf_date evdate;
    uint32_t roles; /* the actor's roles */
    unsigned microsteps;
    size_t qhead, qlen;
    zf__log *effects; /* pending effects of this call */
    int journal;
    int forbidden;     /* a transition was enabled but the actor lacked its roles */
    int eval_maybe;    /* queries: treat evaluation errors as "maybe" */
    zf__eval_ctx ectx; /* constant parts set by run_bind(), the rest by eval() */
} run;

/* ---- small helpers ---------------------------------------------------- */

static int is_atomic(const zf__state *s) {
    return s->kind == ZF_STATE_ATOMIC || s->kind == ZF_STATE_FINAL;
}

static int active(const run *r, uint16_t s) {
    return zf__bit(r->cfg, s);
}

static int cb_term(void *host, uint16_t t, zf__term_query q, zf_value *out);
static int cb_in(void *host, uint16_t s);
static int cb_var(void *host, uint16_t v, zf_value *out);

/* Bind `r` to the instance's block (in place) and a working area for scratch. */
static ZF__HOT void run_bind(run *r, zf_instance *in, unsigned char *w, zf_error *err) {
    /* Field by field: no memset of the whole context on every call. */
    unsigned char *b = in->blk;
    r->params = NULL;
    r->roles = 0;
    r->microsteps = 0;
    r->qhead = r->qlen = 0;
    r->effects = NULL;
    r->forbidden = r->eval_maybe = 0;
    r->in = in;
    r->d = in->def;
    r->h = (zf__shdr *)b;
    r->cfg = (uint32_t *)(b + in->cfg_off);
    r->vset = (uint32_t *)(b + in->set_off);
    r->pv = (int64_t *)(b + in->vars_off);
    r->ts = (zf__tslot *)(b + in->terms_off);
    r->store = (char *)(b + in->str_off);
    r->backup = NULL;
    r->wparams = (zf_value *)(w + in->w_params);
    r->seltr = (uint32_t *)(w + in->w_seltr);
    r->set_exit = (uint32_t *)(w + in->w_sets);
    r->set_enter = r->set_exit + in->cfg_words;
    r->queue = (uint16_t *)(w + in->w_queue);
    r->err = err;
    r->ev = r->ext_ev = ZF_NOIDX;
    r->evdate = r->h->today;
    r->journal = in->journal_on;
    r->ectx.vars = NULL;
    r->ectx.var = cb_var;
    r->ectx.calendar = r->d->calendar;
    r->ectx.rates = r->d->rates;
    r->ectx.term = cb_term;
    r->ectx.in_state = cb_in;
    r->ectx.host = r;
}

static void term_decode(const zf_instance *in, const zf__tslot *ts, zf__termrec *out);
static inline void var_decode(const zf_instance *in, uint16_t v, int set, int64_t p,
                              const char *store, zf_value *out);
static zf_date reported_end(const zf_instance *in, uint16_t t, const zf__termrec *rec,
                            zf_date today);

/* Variable v of the block. */
static inline void var_get(const run *r, uint16_t v, zf_value *out) {
    var_decode(r->in, v, zf__bit(r->vset, v), r->pv[v], r->store, out);
}

static int cb_var(void *host, uint16_t v, zf_value *out) {
    const run *r = host;
    if (v >= r->d->nvars)
        return -1;
    var_get(r, v, out);
    return 0;
}

static int cb_term(void *host, uint16_t t, zf__term_query q, zf_value *out) {
    const run *r = host;
    const zf__tslot *ts;
    zf__termrec rec;
    if (t >= r->d->nterms)
        return -1;
    ts = &r->ts[t];
    switch (q) {
    case ZF_TQ_END:
        /* While suspended: as if the suspension lasted through today (see
         * zf_term_info.end). */
        if (ts->status == ZF_TERM_IDLE) {
            *out = zf__value_void();
            return 0;
        }
        if (ts->status != ZF_TERM_SUSPENDED) {
            *out = zf__value_date(ts->end); /* the cached end: no open suspension */
            return 0;
        }
        term_decode(r->in, ts, &rec);
        *out = zf__value_date(reported_end(r->in, t, &rec, r->h->today));
        return 0;
    case ZF_TQ_START:
        *out =
            ts->status == ZF_TERM_IDLE ? zf__value_void() : zf__value_date(ts->trigger);
        return 0;
    case ZF_TQ_RUNNING:
        *out = zf__value_bool(ts->status == ZF_TERM_RUNNING ||
                              ts->status == ZF_TERM_SUSPENDED);
        return 0;
    case ZF_TQ_EXPIRED:
        *out = zf__value_bool(ts->status == ZF_TERM_EXPIRED);
        return 0;
    case ZF_TQ_EXTENDED:
        *out = zf__value_bool((ts->counts >> 4) > 0);
        return 0;
    case ZF_TQ_SUSPENDED:
        *out = zf__value_bool(ts->status == ZF_TERM_SUSPENDED);
        return 0;
    }
    return -1;
}

static int cb_in(void *host, uint16_t s) {
    const run *r = host;
    if (s >= r->d->nstates)
        return -1;
    return active(r, s);
}

/* `<enum value> == 'literal'` (or !=) given the value's index and the code after its
 * load (c); 1 with *out set, 0 when the code is of another shape. */
static inline int enum_cmp_fast(int64_t index, const uint8_t *c, zf_value *out) {
    const uint8_t *cmp = c + ZF_OPLEN_ENUM;
    if (c[0] != ZF_OP_ENUM || (cmp[0] != ZF_OP_EQ && cmp[0] != ZF_OP_NE) ||
        cmp[ZF_OPLEN_EQ] != ZF_OP_RET)
        return 0;
    *out =
        zf__value_bool((index == (int64_t)zf__arg_enum_index(c)) == (cmp[0] == ZF_OP_EQ));
    return 1;
}

/* `var <op> int` for an int variable's payload a, given the code after its load (c):
 * a comparison or an addition without overflow. */
static inline int int_op_fast(int64_t a, const uint8_t *c, zf_value *out) {
    const uint8_t *op = c + ZF_OPLEN_INT;
    int64_t b;
    if (c[0] != ZF_OP_INT)
        return 0;
    /* Read the instruction after the operator only when it is one of ours. */
    if (op[0] != ZF_OP_LT && op[0] != ZF_OP_LE && op[0] != ZF_OP_GT &&
        op[0] != ZF_OP_GE && op[0] != ZF_OP_ADD)
        return 0;
    if (op[ZF_OPLEN_LT] != ZF_OP_RET) /* every one of them is as long as LT */
        return 0;
    b = zf__arg_int(c);
    switch (op[0]) {
    case ZF_OP_LT:
        *out = zf__value_bool(a < b);
        return 1;
    case ZF_OP_LE:
        *out = zf__value_bool(a < b);
        return 1;
    case ZF_OP_GT:
        *out = zf__value_bool(a > b);
        return 1;
    case ZF_OP_GE:
        *out = zf__value_bool(a >= b);
        return 1;
    default: /* ZF_OP_ADD */
        if (zf__add_overflow(a, b, &a))
            return 0;
        *out = zf__value_int(ZF_TYPE_INT, a);
        return 1;
    }
}

/*
 * The shapes most guards and assignments have, evaluated without the VM:
 *   true | false | a duration or date | var | event.p | not var | var <cmp> int | var +
 * int | var == 'enum' | event.p == 'enum' (and !=) | running(t) | end(t) | start(t) ...
 * Returns 1 with *out set as the VM would set it; 0: run the VM (any other program,
 * and every error: a variable not set or of another type, an overflow, a term not
 * started). The test build checks every answer against the VM (eval_fast()).
 */
static ZF__HOT int fast_shapes(const run *r, const uint8_t *c, zf_value *out) {
    switch (c[0]) {
    case ZF_OP_PARAM: {
        /* An event parameter itself, or an enumeration parameter compared with a
           literal: copied as the VM would; anything else (unset, other shapes) goes
           to the VM, which also words the errors. */
        const uint8_t *next = c + ZF_OPLEN_PARAM;
        const zf_value *pv = r->params ? &r->params[zf__arg_slot(c)] : NULL;
        if (!pv || pv->type != (zf_type)zf__arg_slot_type(c))
            return 0;
        if (next[0] == ZF_OP_RET) {
            *out = *pv;
            if (out->type != ZF_TYPE_ENUM)
                out->enum_index = 0;
            return 1;
        }
        return pv->type == ZF_TYPE_ENUM && enum_cmp_fast(pv->enum_index, next, out);
    }
    case ZF_OP_DUR: { /* a constant length: length="6w" */
        zf_duration d = {zf__arg_dur_n(c), (zf_unit)zf__arg_dur_unit(c)};
        if (c[ZF_OPLEN_DUR] != ZF_OP_RET)
            return 0;
        *out = zf__value_duration(d);
        return 1;
    }
    case ZF_OP_DATE:
        if (c[ZF_OPLEN_DATE] != ZF_OP_RET)
            return 0;
        *out = zf__value_date((zf_date)zf__arg_date(c));
        return 1;
    case ZF_OP_TRUE:
    case ZF_OP_FALSE:
        if (c[ZF_OPLEN_TRUE] != ZF_OP_RET)
            return 0;
        *out = zf__value_bool(c[0] == ZF_OP_TRUE);
        return 1;
    case ZF_OP_VAR: {
        const uint8_t *next = c + ZF_OPLEN_VAR;
        unsigned vi = zf__arg_slot(c);
        zf_type want = (zf_type)zf__arg_slot_type(c);
        /* Read straight from the block: bool and int payloads are the values. */
        if (vi >= r->d->nvars || r->d->vars[vi].type != want || !zf__bit(r->vset, vi))
            return 0;
        if (next[0] == ZF_OP_RET) { /* the variable itself, of any type */
            var_get(r, (uint16_t)vi, out);
            return 1;
        }
        if (want == ZF_TYPE_ENUM)
            return enum_cmp_fast(r->pv[vi], next, out);
        if (want == ZF_TYPE_BOOL) {
            int neg = next[0] == ZF_OP_NOT;
            if (next[neg ? ZF_OPLEN_NOT : 0] != ZF_OP_RET)
                return 0;
            *out = zf__value_bool((r->pv[vi] != 0) != neg);
            return 1;
        }
        return want == ZF_TYPE_INT && int_op_fast(r->pv[vi], next, out);
    }
    case ZF_OP_TERM: {
        unsigned t = zf__arg_term(c);
        zf__term_query q = (zf__term_query)zf__arg_term_query(c);
        if (c[ZF_OPLEN_TERM] != ZF_OP_RET || t >= r->d->nterms)
            return 0;
        if (q != ZF_TQ_RUNNING) {
            /* end(t), start(t), expired(t), ...: the runtime's answer, as the VM asks
               it; a term not started (no date) goes to the VM for its message. */
            zf_type want =
                q == ZF_TQ_END || q == ZF_TQ_START ? ZF_TYPE_DATE : ZF_TYPE_BOOL;
            return cb_term((void *)r, (uint16_t)t, q, out) == 0 && out->type == want;
        }
        *out = zf__value_bool(r->ts[t].status == ZF_TERM_RUNNING ||
                              r->ts[t].status == ZF_TERM_SUSPENDED);
        return 1;
    }
    default:
        return 0;
    }
}

#ifdef ZF_TESTING
/* The same value: type, the payload of that type, and the enum index. */
static int same_value(const zf_value *a, const zf_value *b) {
    if (a->type != b->type || a->enum_index != b->enum_index)
        return 0;
    switch (a->type) {
    case ZF_TYPE_VOID:
        return 1;
    case ZF_TYPE_BOOL:
        return a->as.b == b->as.b;
    case ZF_TYPE_INT:
    case ZF_TYPE_MONEY:
        return a->as.i == b->as.i;
    case ZF_TYPE_DATE:
        return a->as.date == b->as.date;
    case ZF_TYPE_DURATION:
        return a->as.dur.n == b->as.dur.n && a->as.dur.unit == b->as.dur.unit;
    case ZF_TYPE_STRING:
    case ZF_TYPE_ENUM:
        return a->as.s == b->as.s || (a->as.s && b->as.s && !strcmp(a->as.s, b->as.s));
    }
    return 0;
}

static void value_text(char *buf, size_t cap, zf_code rc, const zf_value *v) {
    if (rc != ZF_OK) {
        snprintf(buf, cap, "error %s", zf_code_name(rc));
        return;
    }
    snprintf(buf, cap, "%s i=%lld b=%d date=%ld dur=%ld/%d s=%s enum=%lld",
             zf_type_name(v->type), (long long)v->as.i, v->as.b, (long)v->as.date,
             (long)v->as.dur.n, (int)v->as.dur.unit,
             (v->type == ZF_TYPE_STRING || v->type == ZF_TYPE_ENUM) && v->as.s ? v->as.s
                                                                               : "-",
             (long long)v->enum_index);
}

/* The fast path's answer is the VM's (SQLite's sqlite3_value_type check in debug
 * builds): run the VM on the same program and context and abort on any difference.
 * It only evaluates: the run is const, the context a copy, the error a scratch one. */
static ZF__COLD void fast_check(const run *r, const zf__program *p,
                                const zf_value *fast) {
    zf__eval_ctx ctx = r->ectx;
    zf_error scratch;
    zf_value slow;
    zf_code rc;
    char a[160], b[160];
    zf_error_clear(&scratch);
    ctx.params = r->params;
    ctx.event_date = r->evdate;
    ctx.today = r->h->today;
    rc = zf__expr_eval(p, &ctx, &slow, &scratch);
    if (rc == ZF_OK && same_value(fast, &slow))
        return;
    value_text(a, sizeof a, ZF_OK, fast);
    value_text(b, sizeof b, rc, &slow);
    fprintf(stderr, "%s:%d: eval_fast and the VM disagree on '%s': fast %s, VM %s\n",
            __FILE__, __LINE__, p->source ? p->source : "?", a, b);
    fflush(stderr);
    abort();
}
#endif

/* fast_shapes() for a program; in the test build checked against the VM. */
static ZF__HOT int eval_fast(const run *r, const zf__program *p, zf_value *out) {
    if (!p->code || p->max_stack > ZF_EXPR_MAX_STACK || !fast_shapes(r, p->code, out))
        return 0;
#ifdef ZF_TESTING
    fast_check(r, p, out);
#endif
    return 1;
}

static zf_code eval(run *r, const zf__program *p, zf_value *out) {
    zf__eval_ctx *c = &r->ectx;
    if (eval_fast(r, p, out))
        return ZF_OK;
    c->params = r->params;
    c->event_date = r->evdate;
    c->today = r->h->today;
    return zf__expr_eval(p, c, out, r->err);
}

/* Evaluate a guard: *ok = 1 when it holds. */
static ZF__HOT zf_code guard(run *r, const zf__transition *t, int *ok) {
    zf_value v;
    zf_code rc;
    if (!t->cond.code) {
        *ok = 1;
        return ZF_OK;
    }
    if (eval_fast(r, &t->cond, &v) && v.type == ZF_TYPE_BOOL) {
        *ok = v.as.b; /* what either path below gives for a bool without an error */
        return ZF_OK;
    }
    if (r->eval_maybe) {
        zf_error scratch;
        zf_error *saved = r->err;
        zf_error_clear(&scratch);
        r->err = &scratch;
        rc = eval(r, &t->cond, &v);
        r->err = saved;
        /* Unknown parameters: the guard may hold once they are given. */
        *ok = rc != ZF_OK || (v.type == ZF_TYPE_BOOL && v.as.b);
        return ZF_OK;
    }
    if ((rc = eval(r, &t->cond, &v)))
        return rc;
    if (v.type != ZF_TYPE_BOOL)
        return zf__error_set(r->err, ZF_EEVAL, "guard '%s' (line %d) is not a bool",
                             t->cond.source ? t->cond.source : "?", t->pos.line);
    *ok = v.as.b;
    return ZF_OK;
}

#define name_cmp zf__name_cmp

static uint32_t actor_roles(const struct zf_definition *d, const zf_actor *actor) {
    uint32_t mask = 0;
    if (!actor)
        return 0;
    for (size_t i = 0; i < actor->nroles; i++) {
        uint16_t k;
        if (!actor->roles || !actor->roles[i])
            continue;
        k = zf__defn_role(d, actor->roles[i]);
        if (k != ZF_NOIDX && k < 32)
            mask |= 1u << k;
    }
    return mask;
}

static void roles_text(const struct zf_definition *d, uint32_t mask, char *buf,
                       size_t cap) {
    size_t n = 0;
    buf[0] = '\0';
    for (unsigned k = 0; k < d->nroles && k < 32; k++) {
        if (!(mask & (1u << k)))
            continue;
        int w = snprintf(buf + n, cap - n, "%s%s", n ? " or " : "", d->roles[k].id);
        if (w < 0 || (size_t)w >= cap - n)
            break;
        n += (size_t)w;
    }
}

/* Innermost active states joined by ", " for messages. */
static void config_text_cfg(const struct zf_definition *d, const uint32_t *cfg, char *buf,
                            size_t cap) {
    size_t n = 0;
    buf[0] = '\0';
    for (uint16_t s = 1; s < d->nstates; s++) {
        if (!zf__bit(cfg, s) || !is_atomic(&d->states[s]))
            continue;
        int w = snprintf(buf + n, cap - n, "%s%s", n ? ", " : "", d->states[s].id);
        if (w < 0 || (size_t)w >= cap - n)
            break;
        n += (size_t)w;
    }
}

static void config_text(const run *r, char *buf, size_t cap) {
    config_text_cfg(r->d, r->cfg, buf, cap);
}

/*
 * Whether fire(ev, date) could take a transition: some running term is due
 * before `date` (time passing may change the configuration), or an active
 * state has a transition on `ev`. When not, the call is rejected without
 * decoding the state.
 */
static ZF__HOT int can_take(const zf_instance *in, uint16_t ev, zf_date date) {
    const struct zf_definition *d = in->def;
    const uint32_t *cfg = zf__blk_cfg(in);
    const zf__tslot *ts = zf__blk_terms(in);
    for (uint16_t t = 0; t < d->nterms; t++)
        if (ts[t].status == ZF_TERM_RUNNING && ts[t].end < date)
            return 2; /* a term is due: time must pass first */
    /* event_states: built by every zf__compile(), over as many words as cfg. */
    const uint32_t *es = d->event_states + (size_t)ev * d->state_words;
    ZF_ASSERT(d->state_words == in->cfg_words);
    for (unsigned wi = 0; wi < in->cfg_words; wi++)
        if (cfg[wi] & es[wi])
            return 1;
    return 0;
}

/* ---- journal and effects ----------------------------------------------- */

static zf_code jnl(run *r, zf_code rc) {
    if (rc == ZF_ENOMEM)
        return zf__error_set(r->err, ZF_ENOMEM, "out of memory (journal)");
    if (rc)
        return zf__error_set(r->err, rc, "journal full");
    return ZF_OK;
}

static ZF__COLD zf_code j_item_add(run *r, zf_journal_kind kind, uint16_t ref,
                                   const char *name, const char *text, zf_date date,
                                   const zf_value *v) {
    return jnl(r, zf__log_put(&r->in->aux->journal, kind, ref, name, text, date, v,
                              ZF__TEXT_STATIC));
}

/* A journal item; `name` and `text` are the definition's strings (kept by pointer).
 * The test inline: with the journal off a step costs no call. */
static inline zf_code j_item(run *r, zf_journal_kind kind, uint16_t ref, const char *name,
                             const char *text, zf_date date, const zf_value *v) {
    return r->journal ? j_item_add(r, kind, ref, name, text, date, v) : ZF_OK;
}

static ZF__COLD zf_code seq_exhausted(run *r) {
    return zf__error_set(r->err, ZF_ELIMIT,
                         "the case has run %lu steps: no further step can be numbered",
                         (unsigned long)r->h->seq);
}

static ZF__COLD zf_code journal_full(run *r) {
    return zf__error_set(r->err, ZF_ELIMIT,
                         "the journal has %lu entries, its limit "
                         "(zf_instance_options.max_journal)",
                         (unsigned long)r->in->max_journal);
}

static inline zf_code j_entry(run *r, uint16_t ev, zf_date date, const char *actor) {
    /* seq numbers every step, journaled or not; it never wraps. */
    if (r->h->seq == UINT32_MAX)
        return seq_exhausted(r);
    r->h->seq++;
    if (!r->journal)
        return ZF_OK;
    if (r->in->aux->journal.nentries >= r->in->max_journal)
        return journal_full(r);
    return jnl(r, zf__log_entry(&r->in->aux->journal, r->h->seq, date, ev, actor));
}

static zf_code ensure_aux(zf_instance *in) {
    if (!in->aux && !(in->aux = zf__aux_new()))
        return ZF_ENOMEM;
    return ZF_OK;
}

static ZF__HOT zf_code effect(run *r, zf_journal_kind kind, const char *name,
                              const char *text, const zf_value *v) {
    zf_code rc;
    if (!r->effects) {
        /* First effect of this instance: the logs are allocated once. */
        if (ensure_aux(r->in))
            return zf__error_set(r->err, ZF_ENOMEM, NULL);
        r->effects = &r->in->aux->effects[!r->in->effcur];
    }
    /* Names and texts of effects are the definition's: kept by pointer. */
    rc = jnl(r, zf__log_put(r->effects, kind, ZF_NOIDX, name, text, r->evdate, v,
                            ZF__TEXT_STATIC));
    if (rc)
        return rc;
    return j_item(r, kind, ZF_NOIDX, name, text, r->evdate, v);
}

/* ---- string store ------------------------------------------------------ */

/* String variables hold offsets into the block's string store. */
static int in_store(const run *r, const char *s) {
    return s && s >= r->store && s < r->store + r->in->str_cap;
}

static int is_string_var(const run *r, uint16_t v) {
    return r->d->vars[v].type == ZF_TYPE_STRING && zf__bit(r->vset, v);
}

/*
 * Pack the strings of live string variables (except `skip`, whose value is
 * about to be replaced) to the front of the store. *pin, when it points into
 * the store, is moved along with the text it points to.
 */
static void compact(run *r, uint16_t skip, const char **pin) {
    const struct zf_definition *d = r->d;
    char *store = r->store;
    uint32_t used = 0;
    /* Repeatedly take the lowest offset not yet moved: O(n^2) over a handful of
     * variables. */
    uint32_t floor_off = 0;
    for (;;) {
        uint32_t best = ZF__NONE32;
        for (uint16_t v = 0; v < d->nvars; v++) {
            if (v == skip || !is_string_var(r, v))
                continue;
            uint32_t off = (uint32_t)r->pv[v];
            if (off >= floor_off && off < best)
                best = off;
        }
        if (pin && in_store(r, *pin)) {
            uint32_t off = (uint32_t)(*pin - store);
            if (off >= floor_off && off < best)
                best = off;
        }
        if (best == ZF__NONE32)
            break;
        size_t len = strlen(store + best) + 1;
        memmove(store + used, store + best, len);
        for (uint16_t v = 0; v < d->nvars; v++)
            if (v != skip && is_string_var(r, v) && r->pv[v] == (int64_t)best)
                r->pv[v] = used;
        if (pin && *pin == store + best)
            *pin = store + used;
        floor_off = best + 1;
        used += (uint32_t)len;
        /* Offsets below floor_off are done; moved text landed at or below them. */
        if (used > floor_off)
            floor_off = used;
    }
    r->h->str_used = used;
}

static zf_code store_string(run *r, uint16_t var, const char *s) {
    zf_instance *in = r->in;
    size_t n = strlen(s) + 1;
    if (n > in->str_cap - r->h->str_used)
        compact(r, var, &s);
    if (n > in->str_cap - r->h->str_used)
        return zf__error_set(r->err, ZF_ELIMIT,
                             "text for variable '%s' does not fit in the string store "
                             "(%u bytes; see zf_instance_options.string_capacity)",
                             in->def->vars[var].id, (unsigned)in->str_cap);
    memmove(r->store + r->h->str_used, s, n);
    zf__bit_set(r->vset, var);
    r->pv[var] = r->h->str_used;
    r->h->str_used += (uint32_t)n;
    return ZF_OK;
}

/* ---- the compact block -------------------------------------------------- */

static inline void var_decode(const zf_instance *in, uint16_t v, int set, int64_t p,
                              const char *store, zf_value *out) {
    const zf__var *vd = &in->def->vars[v];
    out->enum_index = 0;
    out->as.i = 0;
    if (!set) {
        out->type = ZF_TYPE_VOID;
        return;
    }
    out->type = vd->type;
    switch (vd->type) {
    case ZF_TYPE_BOOL:
        out->as.b = (int)p;
        break;
    case ZF_TYPE_INT:
    case ZF_TYPE_MONEY:
        out->as.i = p;
        break;
    case ZF_TYPE_DATE:
        out->as.date = (zf_date)p;
        break;
    case ZF_TYPE_DURATION:
        out->as.dur = zf__dur_unpack((int32_t)p);
        break;
    case ZF_TYPE_STRING:
        out->as.s = store + p;
        break;
    case ZF_TYPE_ENUM:
        out->enum_index = p;
        if (vd->enum_id < in->def->nenums && p >= 0 &&
            p < in->def->enums[vd->enum_id].nvalues)
            out->as.s = in->def->enums[vd->enum_id].values[p];
        break;
    default:
        out->type = ZF_TYPE_VOID;
        break;
    }
}

static inline int64_t var_encode(const zf_value *v, const char *store) {
    switch (v->type) {
    case ZF_TYPE_BOOL:
        return v->as.b;
    case ZF_TYPE_INT:
    case ZF_TYPE_MONEY:
        return v->as.i;
    case ZF_TYPE_DATE:
        return v->as.date;
    case ZF_TYPE_DURATION:
        return zf__dur_pack(v->as.dur);
    case ZF_TYPE_STRING:
        return v->as.s - store;
    case ZF_TYPE_ENUM:
        return v->enum_index;
    default:
        return 0;
    }
}

void zf__instance_var_get(const zf_instance *in, uint16_t v, zf_value *out) {
    var_decode(in, v, zf__bit(zf__blk_set(in), v), zf__blk_vars(in)[v], zf__blk_str(in),
               out);
}

/* Non-string values only (strings: zf__instance_store_string). */
void zf__instance_var_put(zf_instance *in, uint16_t v, const zf_value *val) {
    if (val->type == ZF_TYPE_VOID) {
        zf__bit_clr(zf__blk_set(in), v);
        zf__blk_vars(in)[v] = 0;
        return;
    }
    zf__bit_set(zf__blk_set(in), v);
    zf__blk_vars(in)[v] = var_encode(val, zf__blk_str(in));
}

zf_code zf__instance_store_string(zf_instance *in, uint16_t var, const char *s,
                                  zf_error *err) {
    zf__shdr *h = zf__blk_hdr(in);
    size_t n = strlen(s) + 1;
    if (n > in->str_cap - h->str_used)
        return zf__error_set(err, ZF_ELIMIT,
                             "text for variable '%s' does not fit in the string store "
                             "(%u bytes; see zf_instance_options.string_capacity)",
                             in->def->vars[var].id, (unsigned)in->str_cap);
    memmove(zf__blk_str(in) + h->str_used, s, n);
    zf__bit_set(zf__blk_set(in), var);
    zf__blk_vars(in)[var] = h->str_used;
    h->str_used += (uint32_t)n;
    return ZF_OK;
}

static void term_decode(const zf_instance *in, const zf__tslot *ts, zf__termrec *out) {
    out->status = ts->status;
    out->nsusp = ts->counts & 15;
    out->next = (uint8_t)(ts->counts >> 4);
    out->pad = 0;
    out->trigger = ts->trigger;
    out->end = ts->end;
    out->length = ts->length;
    if (ts->x != ZF_NOIDX) {
        const zf__textra *x = &zf__blk_extra(in)[ts->x];
        memcpy(out->susp, x->susp, sizeof x->susp);
        memcpy(out->ext, x->ext, sizeof x->ext);
    }
    /* Without an extras record nsusp = next = 0: the arrays are never read. */
}

static int term_encode(zf_instance *in, zf__tslot *ts, const zf__termrec *rec) {
    if (ts->x == ZF_NOIDX && (rec->nsusp || rec->next))
        return -1;
    ts->status = rec->status;
    ts->counts = (uint8_t)(rec->nsusp | rec->next << 4);
    ts->trigger = rec->trigger;
    ts->end = rec->end;
    ts->length = rec->length;
    if (ts->x != ZF_NOIDX) {
        zf__textra *x = &zf__blk_extra(in)[ts->x];
        memcpy(x->susp, rec->susp, sizeof x->susp);
        memcpy(x->ext, rec->ext, sizeof x->ext);
    }
    return 0;
}

void zf__instance_term_get(const zf_instance *in, uint16_t t, zf__termrec *out) {
    term_decode(in, &zf__blk_terms(in)[t], out);
}

int zf__instance_term_put(zf_instance *in, uint16_t t, const zf__termrec *rec) {
    return term_encode(in, &zf__blk_terms(in)[t], rec);
}

/* ---- values ------------------------------------------------------------ */

/* Whether enumeration value `v` is one of enumeration `enum_id` itself (the
 * definition's string at its index): coerce() would copy it unchanged. */
static inline int enum_of(const struct zf_definition *d, uint16_t enum_id,
                          const zf_value *v) {
    return enum_id < d->nenums && v->enum_index >= 0 &&
           v->enum_index < d->enums[enum_id].nvalues &&
           v->as.s == d->enums[enum_id].values[v->enum_index];
}

/* Whether coerce() would copy `v` unchanged: of `type` itself and, for an
 * enumeration, one of its own values (a string goes to coerce() for its NULL check). */
static inline int as_declared(const struct zf_definition *d, zf_type type,
                              uint16_t enum_id, const zf_value *v) {
    return v->type == type &&
           (v->type == ZF_TYPE_ENUM ? enum_of(d, enum_id, v) : v->type != ZF_TYPE_STRING);
}

/* Text a snapshot cannot hold is refused where it enters (see zf__text_ok()). */
static ZF__COLD zf_code text_refused(const char *what, const char *name, zf_error *err) {
    return zf__error_set(err, ZF_EINVAL,
                         "%s '%s': text must be UTF-8 without control characters other "
                         "than tab, line feed and carriage return",
                         what, name);
}

/* Check and convert a value given for a variable or parameter of `type`. */
static zf_code coerce(const struct zf_definition *d, zf_type type, uint16_t enum_id,
                      const zf_value *v, zf_value *out, const char *what,
                      const char *name, zf_error *err) {
    if (v->type == ZF_TYPE_VOID) {
        *out = *v;
        return ZF_OK;
    }
    if (type == ZF_TYPE_ENUM && (v->type == ZF_TYPE_ENUM || v->type == ZF_TYPE_STRING)) {
        const zf__enum *e = enum_id < d->nenums ? &d->enums[enum_id] : NULL;
        if (!e)
            return zf__error_set(err, ZF_EINVAL, "%s '%s' has no enumeration", what,
                                 name);
        if (v->type == ZF_TYPE_ENUM && enum_of(d, enum_id, v)) {
            *out = *v; /* a value of this very enumeration (the definition's string) */
            return ZF_OK;
        }
        for (uint16_t k = 0; k < e->nvalues; k++) {
            if ((v->as.s && name_cmp(v->as.s, e->values[k]) == 0) ||
                (!v->as.s && v->type == ZF_TYPE_ENUM && v->enum_index == k)) {
                *out = zf__value_void();
                out->type = ZF_TYPE_ENUM;
                out->as.s = e->values[k];
                out->enum_index = k;
                return ZF_OK;
            }
        }
        return zf__error_set(err, ZF_EINVAL, "%s '%s': '%.60s' is not a value of %s",
                             what, name, v->as.s ? v->as.s : "?", e->id);
    }
    if (v->type == type) {
        if (type == ZF_TYPE_STRING && !v->as.s)
            return zf__error_set(err, ZF_EINVAL, "%s '%s': NULL string", what, name);
        if (type == ZF_TYPE_STRING && !zf__text_ok(v->as.s))
            return text_refused(what, name, err);
        *out = *v;
        return ZF_OK;
    }
    if (type == ZF_TYPE_MONEY && v->type == ZF_TYPE_INT) {
        *out = zf__value_int(ZF_TYPE_MONEY, v->as.i);
        return ZF_OK;
    }
    if (v->type == ZF_TYPE_STRING && v->as.s) {
        zf_error e2;
        zf_error_clear(&e2);
        if (zf_value_parse(out, type, v->as.s, &e2) != ZF_OK)
            return zf__error_set(err, ZF_EINVAL, "%s '%s': %s", what, name, e2.message);
        return ZF_OK;
    }
    return zf__error_set(err, ZF_EINVAL, "%s '%s' is of type %s, not %s", what, name,
                         zf_type_name(type), zf_type_name(v->type));
}

static zf_code set_var(run *r, uint16_t var, const zf_value *v) {
    const zf__var *vd = &r->d->vars[var];
    zf_value nv;
    zf_code rc;
    if (as_declared(r->d, vd->type, vd->enum_id, v)) {
        /* Already of the variable's type: coerce() would copy it unchanged. */
        zf__instance_var_put(r->in, var, v);
        return j_item(r, ZF_JOURNAL_ASSIGN, var, NULL, NULL, ZF_DATE_NONE, v);
    }
    if ((rc = coerce(r->d, vd->type, vd->enum_id, v, &nv, "variable", vd->id, r->err))) {
        if (rc == ZF_EINVAL && r->err)
            r->err->code = ZF_EEVAL;
        return rc == ZF_EINVAL ? ZF_EEVAL : rc;
    }
    if (nv.type == ZF_TYPE_STRING) {
        if ((rc = store_string(r, var, nv.as.s)))
            return rc;
    } else
        zf__instance_var_put(r->in, var, &nv);
    if (!r->journal)
        return ZF_OK;
    var_get(r, var, &nv); /* strings: the stored copy */
    return j_item(r, ZF_JOURNAL_ASSIGN, var, NULL, NULL, ZF_DATE_NONE, &nv);
}

/* ---- terms ------------------------------------------------------------- */

zf_code zf__instance_recompute_end(const zf_instance *in, uint16_t t,
                                   const zf__termrec *rec, zf_term_result *res,
                                   zf_date *end, zf_error *err) {
    const zf__termdef *td = &in->def->terms[t];
    zf_term_spec spec = ZF_TERM_SPEC_INIT;
    zf_interval susp[ZF_INSTANCE_MAX_SUSPENSIONS];
    zf_duration ext[ZF_INSTANCE_MAX_EXTENSIONS];
    size_t ns = 0, k;
    spec.trigger = rec->trigger;
    spec.length = zf__dur_unpack(rec->length);
    spec.calendar = td->calendar ? td->calendar : in->def->calendar;
    spec.atw = td->atw;
    for (k = 0; k < rec->nsusp && k < ZF_INSTANCE_MAX_SUSPENSIONS; k++)
        if (rec->susp[k].to != ZF_DATE_NONE) /* an open suspension does not count yet */
            susp[ns++] = rec->susp[k];
    for (k = 0; k < rec->next && k < ZF_INSTANCE_MAX_EXTENSIONS; k++)
        ext[k] = zf__dur_unpack(rec->ext[k]);
    spec.suspensions = susp;
    spec.nsuspensions = ns;
    spec.suspend_rule = td->suspend_rule;
    spec.extensions = ext;
    spec.nextensions = rec->next;
    spec.extend_rule = td->extend_rule;
    if (!res)
        return zf__term_end(end, &spec, err); /* the date without the trace */
    return zf_term_compute(res, &spec, err);
}

/*
 * The end reported while a suspension is open: as if the suspension lasted
 * through `today` (the open interval closed the day after it). Other terms:
 * the cached end.
 */
static zf_date reported_end(const zf_instance *in, uint16_t t, const zf__termrec *rec,
                            zf_date today) {
    zf__termrec tmp;
    zf_date end;
    if (rec->status != ZF_TERM_SUSPENDED || rec->nsusp == 0 ||
        rec->susp[rec->nsusp - 1].to != ZF_DATE_NONE || today == ZF_DATE_NONE)
        return rec->end;
    tmp = *rec;
    tmp.susp[tmp.nsusp - 1].to = today + 1 > tmp.susp[tmp.nsusp - 1].from
                                     ? today + 1
                                     : tmp.susp[tmp.nsusp - 1].from;
    if (zf__instance_recompute_end(in, t, &tmp, NULL, &end, NULL) != ZF_OK)
        return rec->end;
    return end;
}

/* Recompute the cached end of the term in `rec` (a decoded copy of slot t). */
static zf_code term_update_end(run *r, uint16_t t, zf__termrec *rec) {
    return zf__instance_recompute_end(r->in, t, rec, NULL, &rec->end, r->err);
}

static zf_code term_start(run *r, uint16_t t, const zf__program *from) {
    const zf__termdef *td = &r->d->terms[t];
    zf__tslot *ts = &r->ts[t];
    zf_value v;
    zf_code rc;
    zf_date trigger = r->h->today;
    if (!from || !from->code)
        from = &td->from;
    if (from->code) {
        if ((rc = eval(r, from, &v)))
            return rc;
        if (v.type != ZF_TYPE_DATE)
            return zf__error_set(r->err, ZF_EEVAL,
                                 "term '%s': 'from' gives %s, not a date", td->id,
                                 zf_type_name(v.type));
        trigger = v.as.date;
    }
    if (!td->length.code)
        return zf__error_set(r->err, ZF_EEVAL, "term '%s' has no length", td->id);
    if ((rc = eval(r, &td->length, &v)))
        return rc;
    if (v.type != ZF_TYPE_DURATION || v.as.dur.n < 0 || v.as.dur.n > 99999)
        return zf__error_set(r->err, ZF_EEVAL, "term '%s': 'length' is not a duration",
                             td->id);
    int32_t len = zf__dur_pack(v.as.dur);
    /* Restarted with the same trigger and length, no suspensions or extensions:
       the cached end still holds (the calendar computation is the costly part). */
    int same = ts->status != ZF_TERM_IDLE && ts->trigger == trigger &&
               ts->length == len && ts->counts == 0 && ts->end != ZF_DATE_NONE;
    ts->status = ZF_TERM_RUNNING;
    ts->trigger = trigger;
    ts->length = len;
    if (!same) {
        zf__termrec rec;
        ts->counts = 0;
        ts->end = ZF_DATE_NONE;
        term_decode(r->in, ts, &rec);
        if ((rc = term_update_end(r, t, &rec)))
            return rc;
        ts->end = rec.end;
    }
    return j_item(r, ZF_JOURNAL_TERM_STARTED, t, NULL, NULL, ts->end, NULL);
}

/*
 * A suspended term that stops has its open suspension closed on the day of the
 * step (as a resumption would: a stopped term keeps no open suspension, and its
 * last day counts the suspension up to that day).
 */
static ZF__COLD zf_code term_stop_suspended(run *r, uint16_t t) {
    zf__tslot *ts = &r->ts[t];
    zf__termrec rec;
    zf_code rc;
    term_decode(r->in, ts, &rec);
    if (rec.nsusp && rec.susp[rec.nsusp - 1].to == ZF_DATE_NONE) {
        zf_interval *iv = &rec.susp[rec.nsusp - 1];
        iv->to = r->evdate > iv->from ? r->evdate : iv->from;
        if ((rc = term_update_end(r, t, &rec)))
            return rc;
    }
    rec.status = ZF_TERM_STOPPED;
    (void)term_encode(r->in, ts, &rec); /* nsusp > 0: it has its extras */
    return j_item(r, ZF_JOURNAL_TERM_STOPPED, t, NULL, NULL, r->h->today, NULL);
}

static ZF__HOT zf_code term_stop(run *r, uint16_t t) {
    zf__tslot *ts = &r->ts[t];
    if (ts->status == ZF_TERM_SUSPENDED)
        return term_stop_suspended(r, t);
    if (ts->status != ZF_TERM_RUNNING)
        return ZF_OK;
    ts->status = ZF_TERM_STOPPED;
    return j_item(r, ZF_JOURNAL_TERM_STOPPED, t, NULL, NULL, r->h->today, NULL);
}

static zf_code term_suspend(run *r, uint16_t t) {
    zf__tslot *ts = &r->ts[t];
    zf__termrec rec;
    if (ts->status != ZF_TERM_RUNNING)
        return ZF_OK; /* nothing to suspend: like SCXML's cancel of an unknown send */
    term_decode(r->in, ts, &rec);
    if (rec.nsusp >= ZF_INSTANCE_MAX_SUSPENSIONS || ts->x == ZF_NOIDX)
        return zf__error_set(r->err, ZF_ELIMIT,
                             "term '%s' cannot be suspended more than %d times",
                             r->d->terms[t].id, ZF_INSTANCE_MAX_SUSPENSIONS);
    rec.susp[rec.nsusp].from = r->evdate;
    rec.susp[rec.nsusp].to = ZF_DATE_NONE;
    rec.nsusp++;
    rec.status = ZF_TERM_SUSPENDED;
    (void)term_encode(r->in, ts, &rec); /* room checked above */
    return j_item(r, ZF_JOURNAL_TERM_SUSPENDED, t, NULL, NULL, r->evdate, NULL);
}

static zf_code term_resume(run *r, uint16_t t) {
    zf__tslot *ts = &r->ts[t];
    zf__termrec rec;
    zf_code rc;
    if (ts->status != ZF_TERM_SUSPENDED)
        return ZF_OK;
    term_decode(r->in, ts, &rec);
    if (rec.nsusp == 0)
        return ZF_OK;
    rec.susp[rec.nsusp - 1].to = r->evdate;
    rec.status = ZF_TERM_RUNNING;
    if ((rc = term_update_end(r, t, &rec)))
        return rc;
    (void)term_encode(r->in, ts, &rec); /* nsusp > 0: it has its extras */
    return j_item(r, ZF_JOURNAL_TERM_RESUMED, t, NULL, NULL, rec.end, NULL);
}

static zf_code term_extend(run *r, uint16_t t, const zf__program *by) {
    zf__tslot *ts = &r->ts[t];
    zf__termrec rec;
    zf_value v;
    zf_code rc;
    char buf[ZF_DURATION_BUFSIZE];
    if (ts->status != ZF_TERM_RUNNING && ts->status != ZF_TERM_SUSPENDED)
        return ZF_OK;
    if ((rc = eval(r, by, &v)))
        return rc;
    if (v.type != ZF_TYPE_DURATION || v.as.dur.n < 0 || v.as.dur.n > 99999)
        return zf__error_set(r->err, ZF_EEVAL, "extension of term '%s' is not a duration",
                             r->d->terms[t].id);
    term_decode(r->in, ts, &rec);
    if (rec.next >= ZF_INSTANCE_MAX_EXTENSIONS || ts->x == ZF_NOIDX)
        return zf__error_set(r->err, ZF_ELIMIT,
                             "term '%s' cannot be extended more than %d times",
                             r->d->terms[t].id, ZF_INSTANCE_MAX_EXTENSIONS);
    rec.ext[rec.next++] = zf__dur_pack(v.as.dur);
    if ((rc = term_update_end(r, t, &rec)))
        return rc;
    (void)term_encode(r->in, ts, &rec); /* room checked above */
    if (!r->journal)
        return ZF_OK;
    /* The text is formatted here: copied into the journal. */
    return jnl(r, zf__log_put(&r->in->aux->journal, ZF_JOURNAL_TERM_EXTENDED, t, NULL,
                              zf_duration_format(buf, v.as.dur), rec.end, NULL,
                              ZF__TEXT_COPY));
}

/* ---- actions ----------------------------------------------------------- */

static zf_code raise_event(run *r, uint16_t ev) {
    if (r->qlen >= MAX_QUEUE)
        return zf__error_set(r->err, ZF_ELIMIT, "more than %d internal events queued",
                             MAX_QUEUE);
    r->queue[(r->qhead + r->qlen) % MAX_QUEUE] = ev;
    r->qlen++;
    return ZF_OK;
}

static zf_code exec_actions_n(run *r, uint32_t first, uint32_t n);

/* Most states and transitions have no actions: skip the call then. */
static inline zf_code exec_actions(run *r, uint32_t first, uint32_t n) {
    return n ? exec_actions_n(r, first, n) : ZF_OK;
}

static zf_code exec_actions_n(run *r, uint32_t first, uint32_t n) {
    zf_code rc = ZF_OK;
    for (uint32_t i = 0; i < n && rc == ZF_OK; i++) {
        const zf__action *a = &r->d->actions[first + i];
        zf_value v;
        switch (a->kind) {
        case ZF_ACT_ASSIGN:
            if ((rc = eval(r, &a->expr, &v)) == ZF_OK)
                rc = set_var(r, a->target, &v);
            break;
        case ZF_ACT_RAISE:
            rc = raise_event(r, a->target);
            break;
        case ZF_ACT_START:
            rc = term_start(r, a->target, &a->expr);
            break;
        case ZF_ACT_STOP:
            rc = term_stop(r, a->target);
            break;
        case ZF_ACT_SUSPEND:
            rc = term_suspend(r, a->target);
            break;
        case ZF_ACT_RESUME:
            rc = term_resume(r, a->target);
            break;
        case ZF_ACT_EXTEND:
            rc = term_extend(r, a->target, &a->expr);
            break;
        case ZF_ACT_NOTIFY:
            rc = effect(r, ZF_JOURNAL_NOTIFY, a->to, a->text, NULL);
            break;
        case ZF_ACT_SPAWN:
            rc = effect(r, ZF_JOURNAL_SPAWN, a->text,
                        a->relation == ZF_REL_DEELZAAK ? "deelzaak" : "vervolg", NULL);
            for (uint16_t k = 0; k < a->nparams && rc == ZF_OK; k++)
                if ((rc = eval(r, &a->params[k].value, &v)) == ZF_OK)
                    rc = effect(r, ZF_JOURNAL_SPAWN_PARAM, a->params[k].name, NULL, &v);
            break;
        case ZF_ACT_LOG:
            rc = j_item(r, ZF_JOURNAL_LOG, ZF_NOIDX, NULL, a->text ? a->text : "",
                        ZF_DATE_NONE, NULL);
            break;
        }
    }
    return rc;
}

/* ---- the statechart ----------------------------------------------------- */

static uint16_t done_event(const struct zf_definition *d, uint16_t state) {
    for (uint16_t e = 0; e < d->nevents; e++)
        if (d->events[e].kind == ZF_EVENT_DONE && d->events[e].source == state)
            return e;
    return ZF_NOIDX;
}

/* SCXML isInFinalState. */
static int in_final(const run *r, uint16_t s) {
    const zf__state *st = &r->d->states[s];
    uint16_t c, end = (uint16_t)(s + st->ndesc);
    if (st->kind == ZF_STATE_COMPOUND) {
        for (c = (uint16_t)(s + 1); c <= end; c += (uint16_t)(r->d->states[c].ndesc + 1))
            if (r->d->states[c].kind == ZF_STATE_FINAL && active(r, c))
                return 1;
        return 0;
    }
    if (st->kind == ZF_STATE_PARALLEL) {
        for (c = (uint16_t)(s + 1); c <= end; c += (uint16_t)(r->d->states[c].ndesc + 1))
            if (!in_final(r, c))
                return 0;
        return 1;
    }
    return 0;
}

static zf_code stop_all_terms(run *r) {
    zf_code rc = ZF_OK;
    for (uint16_t t = 0; t < r->d->nterms && rc == ZF_OK; t++)
        rc = term_stop(r, t);
    return rc;
}

static zf_code start_terms_of(run *r, uint16_t s) {
    zf_code rc = ZF_OK;
    if (!zf__bit(r->d->term_states, s))
        return ZF_OK; /* no term is started on entry of s */
    for (uint16_t t = 0; t < r->d->nterms && rc == ZF_OK; t++)
        if (r->d->terms[t].state == s)
            rc = term_start(r, t, NULL);
    return rc;
}

static ZF__HOT zf_code enter_state(run *r, uint16_t s) {
    const zf__state *st = &r->d->states[s];
    zf_code rc;
    zf__bit_set(r->cfg, s);
    r->h->leaf = s; /* entered after its ancestors: in a flat chart, the innermost */
    if (r->in->cov_states)
        r->in->cov_states[s]++; /* counted even if the call fails: coverage is a hint */
    if ((rc = j_item(r, ZF_JOURNAL_ENTERED, s, NULL, NULL, ZF_DATE_NONE, NULL)) ||
        (zf__bit(r->d->term_states, s) && (rc = start_terms_of(r, s))) ||
        (rc = exec_actions(r, st->entry_first, st->nentry)))
        return rc;
    if (st->kind == ZF_STATE_FINAL) {
        uint16_t p = st->parent, gp;
        if (p == 0 || p == ZF_NOIDX) {
            r->h->final = s;
            return stop_all_terms(r);
        }
        uint16_t e = done_event(r->d, p);
        if (e != ZF_NOIDX && (rc = raise_event(r, e)))
            return rc;
        gp = r->d->states[p].parent;
        if (gp != ZF_NOIDX && r->d->states[gp].kind == ZF_STATE_PARALLEL &&
            in_final(r, gp)) {
            e = done_event(r->d, gp);
            if (e != ZF_NOIDX && (rc = raise_event(r, e)))
                return rc;
        }
    }
    return ZF_OK;
}

static int exit_sets_overlap(const run *r, const zf__transition *a,
                             const zf__transition *b) {
    unsigned lo, hi;
    if (a->target == ZF_NOIDX || b->target == ZF_NOIDX)
        return 0;
    lo = (unsigned)(a->domain > b->domain ? a->domain : b->domain) + 1;
    unsigned ha = a->domain + r->d->states[a->domain].ndesc;
    unsigned hb = b->domain + r->d->states[b->domain].ndesc;
    hi = ha < hb ? ha : hb;
    for (unsigned s = lo; s <= hi; s++)
        if (active(r, (uint16_t)s))
            return 1;
    return 0;
}

/* The active atomic state of a flat chart (kept in the block by enter_state() and
 * exit_state()). */
static inline uint16_t flat_leaf(const run *r) {
    return r->h->leaf;
}

/* The first enabled transition on `ev` of state `a` into *found (ZF__NONE32: none). */
static inline zf_code first_enabled(run *r, uint16_t a, uint16_t ev, uint32_t *found) {
    const struct zf_definition *d = r->d;
    const zf__state *st = &d->states[a];
    zf_code rc;
    *found = ZF__NONE32;
    for (uint32_t k = 0; k < st->ntrans; k++) {
        uint32_t ti = st->trans_first + k;
        const zf__transition *t = &d->trans[ti];
        int ok = 0;
        if (t->event != ev)
            continue;
        if ((rc = guard(r, t, &ok)))
            return rc;
        if (!ok)
            continue;
        if (t->roles && ev == r->ext_ev && ev != ZF_NOIDX && !(t->roles & r->roles)) {
            r->forbidden = 1;
            continue;
        }
        *found = ti;
        return ZF_OK;
    }
    return ZF_OK;
}

/*
 * Transition selection, under the names of the W3C SCXML algorithm (appendix D):
 * selectTransitions / selectEventlessTransitions gather, for every active atomic
 * state in document order, the first enabled transition of it or its nearest
 * ancestor; removeConflictingTransitions then keeps an optimal set. A flat chart
 * (one active chain, compile.c) needs neither the walk nor the conflict removal.
 */

/* The flat chart: the innermost state on the one active chain with an enabled
 * transition wins; nothing can conflict. */
static ZF__HOT zf_code select_flat(run *r, uint16_t ev, const uint32_t *evs, size_t *n) {
    const struct zf_definition *d = r->d;
    zf_code rc;
    for (uint16_t a = flat_leaf(r); a != ZF_NOIDX; a = d->states[a].parent) {
        uint32_t found;
        if (evs && !zf__bit(evs, a))
            continue;
        if ((rc = first_enabled(r, a, ev, &found)))
            return rc;
        if (found != ZF__NONE32) {
            r->seltr[0] = found;
            *n = 1;
            return ZF_OK;
        }
    }
    *n = 0;
    return ZF_OK;
}

/* The first enabled transition of atomic state s or its nearest ancestor with one
 * (ZF__NONE32: none): the inner loop of selectTransitions. */
static ZF__HOT zf_code select_from(run *r, uint16_t s, uint16_t ev, const uint32_t *evs,
                                   uint32_t *found) {
    const struct zf_definition *d = r->d;
    zf_code rc;
    *found = ZF__NONE32;
    for (uint16_t a = s; a != ZF_NOIDX; a = d->states[a].parent) {
        if (!evs || zf__bit(evs, a)) {
            if ((rc = first_enabled(r, a, ev, found)))
                return rc;
            if (*found != ZF__NONE32)
                return ZF_OK;
        }
        if (a == 0)
            break;
    }
    return ZF_OK;
}

/* selectTransitions: for each active atomic state in document order (the set bits
 * of the configuration; guards do not change it), its transition, each once. */
static ZF__HOT zf_code select_active(run *r, uint16_t ev, const uint32_t *evs,
                                     size_t *n) {
    const struct zf_definition *d = r->d;
    const uint32_t *cfg = r->cfg;
    uint32_t *sel = r->seltr;
    size_t ns = 0;
    zf_code rc;
    for (unsigned wi = 0; wi < r->in->cfg_words; wi++) {
        for (uint32_t bits = cfg[wi]; bits; bits &= bits - 1) {
            uint16_t s = (uint16_t)(wi * 32 + zf__ctz32(bits));
            uint32_t found;
            size_t k;
            if (s == 0 || !is_atomic(&d->states[s]))
                continue;
            if ((rc = select_from(r, s, ev, evs, &found)))
                return rc;
            if (found == ZF__NONE32)
                continue;
            for (k = 0; k < ns && sel[k] != found; k++)
                ;
            if (k == ns)
                sel[ns++] = found;
        }
    }
    *n = ns;
    return ZF_OK;
}

/* Whether t1 is preempted by a transition of filtered[0..nf): their exit sets
 * intersect and t1's source is not a descendant of the other's. */
static int preempted(const run *r, const zf__transition *t1, const uint32_t *filtered,
                     size_t nf) {
    for (size_t j = 0; j < nf; j++) {
        const zf__transition *t2 = &r->d->trans[filtered[j]];
        if (exit_sets_overlap(r, t1, t2) &&
            !(t1->source != t2->source && zf__defn_within(r->d, t1->source, t2->source)))
            return 1;
    }
    return 0;
}

/* removeConflictingTransitions, in place: sel[0..nf) is the filtered set so far (it
 * never overtakes i). A transition t1 not preempted removes those whose exit sets
 * intersect its own (they are all of ancestors of its source) and joins the set; a
 * preempted t1 changes nothing. */
static size_t remove_conflicting(const run *r, uint32_t *sel, size_t ns) {
    size_t nf = 0;
    for (size_t i = 0; i < ns; i++) {
        uint32_t ti = sel[i];
        const zf__transition *t1 = &r->d->trans[ti];
        size_t w = 0;
        if (preempted(r, t1, sel, nf))
            continue;
        for (size_t j = 0; j < nf; j++)
            if (!exit_sets_overlap(r, t1, &r->d->trans[sel[j]]))
                sel[w++] = sel[j];
        nf = w;
        sel[nf++] = ti;
    }
    return nf;
}

/* The optimal enabled transition set for event `ev` (ZF_NOIDX: eventless) into
 * r->seltr, its size in *n. */
static ZF__HOT zf_code select_transitions(run *r, uint16_t ev, size_t *n) {
    const struct zf_definition *d = r->d;
    zf_code rc;
    /* States with a transition on ev (NULL, eventless: look at every state);
       event_states is built by every zf__compile(), as wide as the configuration. */
    const uint32_t *evs =
        ev != ZF_NOIDX ? d->event_states + (size_t)ev * d->state_words : NULL;
    ZF_ASSERT(d->state_words == r->in->cfg_words);
    if (d->flat)
        return select_flat(r, ev, evs, n);
    if ((rc = select_active(r, ev, evs, n)))
        return rc;
    if (*n > 1)
        *n = remove_conflicting(r, r->seltr, *n);
    return ZF_OK;
}

/* Exit state s: onexit actions, its terms stop, it leaves the configuration. */
static ZF__HOT zf_code exit_state(run *r, uint16_t s) {
    const struct zf_definition *d = r->d;
    const zf__state *st = &d->states[s];
    zf_code rc;
    if ((rc = exec_actions(r, st->exit_first, st->nexit)))
        return rc;
    /* Its terms stop, those with start="manual" too (docs/language.md). */
    if (zf__bit(d->term_states, s)) /* built by every zf__compile() */
        for (uint16_t t = 0; t < d->nterms; t++)
            if (d->terms[t].scope == s && (rc = term_stop(r, t)))
                return rc;
    zf__bit_clr(r->cfg, s);
    r->h->leaf = d->states[s].parent; /* exited after its descendants */
    return j_item(r, ZF_JOURNAL_LEFT, s, NULL, NULL, ZF_DATE_NONE, NULL);
}

/* The content of transition ti: journal, coverage, actions. */
static ZF__HOT zf_code transition_content(run *r, uint32_t ti) {
    zf_instance *in = r->in;
    const zf__transition *t = &r->d->trans[ti];
    zf_code rc;
    if (t->basis || t->title) {
        if ((rc = j_item(r, ZF_JOURNAL_TRANSITION, t->source, NULL,
                         t->basis ? t->basis : t->title, ZF_DATE_NONE, NULL)))
            return rc;
    }
    if (in->cov_trans) {
        zf__aux *x;
        if (ensure_aux(in))
            return zf__error_set(r->err, ZF_ENOMEM, NULL);
        x = in->aux;
        if (ZF__GROW(x->cov_pending, x->ccov_pending, x->ncov_pending + 1, 32))
            return zf__error_set(r->err, ZF_ENOMEM, NULL);
        x->cov_pending[x->ncov_pending++] = ti;
    }
    return exec_actions(r, t->action_first, t->naction);
}

/* microstep() of one transition in a flat chart: exit the chain from the leaf up to
 * the domain, run the content, enter the precomputed entry set (document order). */
static zf_code microstep_flat(run *r, const zf__transition *t, uint16_t leaf) {
    const struct zf_definition *d = r->d;
    zf_code rc;
    if (t->target != ZF_NOIDX)
        for (uint16_t s = leaf; s != t->domain; s = d->states[s].parent)
            if ((rc = exit_state(r, s)))
                return rc;
    if ((rc = transition_content(r, (uint32_t)(t - d->trans))))
        return rc;
    for (uint32_t k = 0; k < t->nentry; k++) {
        uint16_t s = d->state_pool[t->entry_first + k];
        if (active(r, s))
            continue;
        if ((rc = enter_state(r, s)))
            return rc;
        if (r->h->final != ZF_NOIDX)
            break;
    }
    return ZF_OK;
}

static zf_code microstep_run(run *r, size_t nsel) {
    const struct zf_definition *d = r->d;
    zf_instance *in = r->in;
    uint32_t *sel = r->seltr;
    uint32_t *set_exit = r->set_exit, *set_enter = r->set_enter;
    unsigned lo = 0xffff, hi = 0, elo = 0xffff, ehi = 0;
    zf_code rc;
    if (++r->microsteps > ZF_INSTANCE_MAX_MICROSTEPS) {
        char cfg[128];
        config_text(r, cfg, sizeof cfg);
        return zf__error_set(
            r->err, ZF_ELIMIT,
            "more than %d microsteps in one call: eventless transitions or "
            "internal events loop (in state '%s')",
            ZF_INSTANCE_MAX_MICROSTEPS, cfg);
    }
    if (d->flat && nsel == 1) {
        const zf__transition *t = &d->trans[sel[0]];
        uint16_t leaf = flat_leaf(r);
        if (t->target == ZF_NOIDX || zf__defn_within(d, leaf, t->domain))
            return microstep_flat(r, t, leaf);
    }
    if (in->cfg_words == 1)
        set_exit[0] = set_enter[0] = 0;
    else
        memset(set_exit, 0, 2 * (size_t)in->cfg_words * sizeof *set_exit);
    for (size_t i = 0; i < nsel; i++) {
        const zf__transition *t = &d->trans[sel[i]];
        if (t->target == ZF_NOIDX)
            continue;
        unsigned a = (unsigned)t->domain + 1, b = t->domain + d->states[t->domain].ndesc;
        /* The active states in a..b, a word at a time. */
        for (unsigned wi = a >> 5; a <= b && wi <= b >> 5; wi++) {
            uint32_t m = r->cfg[wi];
            if (wi == a >> 5)
                m &= ~0u << (a & 31);
            if (wi == b >> 5 && (b & 31) != 31)
                m &= (1u << ((b & 31) + 1)) - 1;
            if (!m)
                continue;
            set_exit[wi] |= m;
            unsigned first = wi * 32 + zf__ctz32(m);
            unsigned last = wi * 32 + 31 - zf__clz32(m);
            if (first < lo)
                lo = first;
            if (last > hi)
                hi = last;
        }
        for (uint32_t k = 0; k < t->nentry; k++) {
            uint16_t s = d->state_pool[t->entry_first + k];
            zf__bit_set(set_enter, s);
            if (s < elo)
                elo = s;
            if (s > ehi)
                ehi = s;
        }
    }
    /* Exit in reverse document order: descendants before ancestors. */
    if (lo <= hi) {
        for (unsigned wi = (hi >> 5) + 1; wi-- > (lo >> 5);) {
            for (uint32_t bits = set_exit[wi]; bits;) {
                unsigned bit = 31 - zf__clz32(bits);
                unsigned s = wi * 32 + bit;
                bits &= ~(1u << bit);
                if ((rc = exit_state(r, (uint16_t)s)))
                    return rc;
            }
        }
    }
    /* Transition content in the order of the set. */
    for (size_t i = 0; i < nsel; i++)
        if ((rc = transition_content(r, sel[i])))
            return rc;
    /* Enter in document order. */
    if (elo <= ehi) {
        for (unsigned s = elo; s <= ehi; s++) {
            if (!zf__bit(set_enter, s) || active(r, (uint16_t)s))
                continue;
            if ((rc = enter_state(r, (uint16_t)s)))
                return rc;
            if (r->h->final != ZF_NOIDX)
                break;
        }
    }
    return ZF_OK;
}

/* One microstep; in the test build its result is asserted to be a legal
 * configuration with the string store within its capacity. */
static zf_code microstep(run *r, size_t nsel) {
    zf_code rc = microstep_run(r, nsel);
#ifdef ZF_TESTING
    char msg[300];
    if (rc == ZF_OK && zf__config_problem(msg, sizeof msg, r->d, r->cfg))
        zf__assert_fail(__FILE__, __LINE__, msg);
    ZF_ASSERT(r->h->str_used <= r->in->str_cap);
#endif
    return rc;
}

/* Eventless transitions, then internal events, until nothing is enabled. */
static zf_code run_to_completion(run *r) {
    size_t n;
    zf_code rc;
    for (;;) {
        if (r->h->final != ZF_NOIDX)
            return ZF_OK;
        r->ev = ZF_NOIDX;
        n = 0;
        if (r->d->has_eventless && (rc = select_transitions(r, ZF_NOIDX, &n)))
            return rc;
        if (n) {
            if ((rc = microstep(r, n)))
                return rc;
            continue;
        }
        if (!r->qlen)
            return ZF_OK;
        r->ev = r->queue[r->qhead];
        r->qhead = (r->qhead + 1) % MAX_QUEUE;
        r->qlen--;
        r->params = NULL;
        if ((rc = select_transitions(r, r->ev, &n)))
            return rc;
        if (n && (rc = microstep(r, n)))
            return rc;
    }
}

/* Let time pass: expire terms whose last day is before `date`. */
static zf_code do_advance(run *r, zf_date date) {
    const struct zf_definition *d = r->d;
    zf_code rc;
    while (r->h->final == ZF_NOIDX) {
        uint16_t best = ZF_NOIDX;
        for (uint16_t t = 0; t < d->nterms; t++) {
            const zf__tslot *ts = &r->ts[t];
            if (ts->status != ZF_TERM_RUNNING || ts->end >= date)
                continue;
            if (best == ZF_NOIDX || ts->end < r->ts[best].end)
                best = t;
        }
        if (best == ZF_NOIDX)
            break;
        zf__tslot *rec = &r->ts[best];
        zf_date evd = rec->end + 1;
        uint16_t ev = d->terms[best].expiry_event;
        rec->status = ZF_TERM_EXPIRED;
        if (evd > r->h->today)
            r->h->today = evd;
        r->evdate = evd;
        r->params = NULL;
        r->ext_ev = ZF_NOIDX;
        if ((rc = j_entry(r, ev, evd, NULL)) ||
            (rc = j_item(r, ZF_JOURNAL_TERM_EXPIRED, best, NULL, NULL, rec->end, NULL)))
            return rc;
        if (ev != ZF_NOIDX) {
            size_t n;
            r->ev = ev;
            if ((rc = select_transitions(r, ev, &n)))
                return rc;
            if (n && (rc = microstep(r, n)))
                return rc;
        }
        if ((rc = run_to_completion(r)))
            return rc;
    }
    if (date > r->h->today)
        r->h->today = date;
    return ZF_OK;
}

/* ---- call framing ------------------------------------------------------ */

typedef struct frame {
    zf__logmark jmark;
} frame;

/* Working memory of a call: on the stack unless the definition needs more. */
typedef union work {
    unsigned char b[ZF__STACK_WORK];
    uint64_t align_u64;
    zf_value align_value;
} work;

static unsigned char *work_area(const zf_instance *in, work *w) {
    return in->heap_work ? in->heap_work : w->b;
}

/* The bytes of the block a call may change: all but the unused string store. */
static uint32_t block_used(const zf_instance *in) {
    return in->str_off + zf__blk_hdr(in)->str_used;
}

/* Bind `r` to the block and the working area (parameters already bound there) and
 * keep a copy of the block for a rollback. */
static ZF__HOT void begin(zf_instance *in, run *r, frame *f, unsigned char *w,
                          zf_error *err) {
    run_bind(r, in, w, err);
    r->backup = w + in->w_backup;
    r->backup_len = block_used(in);
    memcpy(r->backup, in->blk, r->backup_len);
    if (in->aux) {
        if (in->journal_on)
            zf__log_mark(&in->aux->journal, &f->jmark);
        zf__log_clear(&in->aux->effects[!in->effcur]);
        in->aux->ncov_pending = 0;
        r->effects = &in->aux->effects[!in->effcur];
    }
}

#ifdef ZF_TESTING
/* A log's records within its arrays: every entry's items and every item's text
 * inside what is used, entries from `from` on numbered upwards and up to `seq`. */
static void assert_log(const zf__log *l, size_t from, uint32_t seq) {
    ZF_ASSERT(l->nentries <= l->centries || !l->entries);
    ZF_ASSERT(l->nitems <= l->citems && l->ntext <= l->ctext);
    for (size_t k = from; k < l->nentries; k++) {
        const zf__jentry *e = &l->entries[k];
        ZF_ASSERT(k == 0 || e->seq > l->entries[k - 1].seq);
        ZF_ASSERT(e->seq <= seq);
        ZF_ASSERT(e->first <= l->nitems && e->nitems <= l->nitems - e->first);
        ZF_ASSERT(k == 0 || e->first >= l->entries[k - 1].first);
        ZF_ASSERT(e->actor == ZF__NONE32 || (e->actor & ~ZF__TEXT_REF) < l->ntext);
    }
    for (size_t k = 0; k < l->nitems; k++) {
        const zf__jitem *it = &l->items[k];
        ZF_ASSERT(it->name == ZF__NONE32 || (it->name & ~ZF__TEXT_REF) < l->ntext);
        ZF_ASSERT(it->text == ZF__NONE32 || (it->text & ~ZF__TEXT_REF) < l->ntext);
    }
}

/* After a successful call (test build): the block is one the engine may leave (the
 * rules a restored block is held to: configuration, final state, variables, the
 * string store, every term's status, data and cached last day), the journal's new
 * entries follow its old ones, the effects log is within bounds. */
static ZF__COLD void assert_committed(const zf_instance *in, const run *r,
                                      const frame *f) {
    zf_error e;
    zf_error_clear(&e);
    if (zf__instance_consistent(in, &e) != ZF_OK)
        zf__assert_fail(__FILE__, __LINE__, e.message);
    if (in->aux && in->journal_on)
        assert_log(&in->aux->journal, f->jmark.nentries, zf__blk_hdr(in)->seq);
    if (r->effects)
        assert_log(r->effects, 0, zf__blk_hdr(in)->seq);
}
#endif

static ZF__HOT zf_code finish(zf_instance *in, run *r, frame *f, zf_code rc) {
    if (rc != ZF_OK) {
        /* Put the block back as it was; the string store beyond backup_len was
           unused then and is unused again. */
        memcpy(in->blk, r->backup, r->backup_len);
        if (in->aux) {
            if (in->journal_on)
                zf__log_rollback(&in->aux->journal, &f->jmark);
            in->aux->ncov_pending = 0;
        }
        return rc;
    }
#ifdef ZF_TESTING
    assert_committed(in, r, f);
#endif
    if (in->aux) {
        zf__aux *x = in->aux;
        in->effcur = !in->effcur;
        if (in->cov_trans)
            for (size_t k = 0; k < x->ncov_pending; k++)
                in->cov_trans[x->cov_pending[k]]++;
        x->ncov_pending = 0;
    }
    return ZF_OK;
}

/* ---- creation ---------------------------------------------------------- */

static size_t align8(size_t n) {
    return (n + 7) & ~(size_t)7;
}

zf_code zf__instance_alloc(zf_instance **out, const zf_definition *def,
                           const zf_instance_options *opts, zf_error *err) {
    const struct zf_definition *d = def;
    zf_instance_options o;
    size_t nstr = 0, nx = 0, hdr_sz, total;
    zf_instance *in;
    unsigned char *p;
    *out = NULL;
    if (!zf__ok_definition(def))
        return zf__error_set(err, ZF_EINVAL, "invalid definition");
    zf_code rc = zf__instance_options(&o, opts, err);
    if (rc)
        return rc;
    for (uint16_t v = 0; v < d->nvars; v++)
        if (d->vars[v].type == ZF_TYPE_STRING)
            nstr++;
    /* A record of the extras pool per term a suspend/resume/extend action names. */
    for (uint16_t t = 0; t < d->nterms; t++)
        nx += d->term_extra[t];

    size_t words = ((size_t)d->nstates + 31) / 32;
    size_t swords = ((size_t)d->nvars + 31) / 32;
    size_t str_cap = o.string_capacity ? o.string_capacity : 256 * nstr;
    if (str_cap > 0x7fffffff)
        return zf__error_set(err, ZF_EINVAL, "string capacity too large");

    /* Block layout. */
    size_t cfg_off = sizeof(zf__shdr);
    size_t set_off = cfg_off + words * 4;
    size_t vars_off = align8(set_off + swords * 4);
    size_t terms_off = vars_off + (size_t)d->nvars * sizeof(int64_t);
    size_t x_off = terms_off + (size_t)d->nterms * sizeof(zf__tslot);
    size_t str_off = x_off + nx * sizeof(zf__textra);
    size_t block = align8(str_off + str_cap);

    /* Working-area layout: the rollback copy of the block, then scratch. */
    size_t w_backup = 0;
    size_t w = align8(block);
    size_t w_params = w;
    w = w_params + (size_t)d->max_params * sizeof(zf_value);
    size_t w_seltr = w;
    w += (size_t)d->natomic * sizeof(uint32_t);
    size_t w_sets = w;
    w += 2 * words * sizeof(uint32_t);
    size_t w_queue = w;
    w += MAX_QUEUE * sizeof(uint16_t);
    w = align8(w);
    if (w > 0x7fffffff || block > 0x7fffffff)
        return zf__error_set(err, ZF_ELIMIT, "definition too large for an instance");

    hdr_sz = align8(sizeof(zf_instance));
    total = hdr_sz + block;
    p = zf__calloc(1, total);
    if (!p)
        return zf__error_set(err, ZF_ENOMEM, NULL);
    in = (zf_instance *)p;
    if (w > ZF__STACK_WORK && !(in->heap_work = zf__malloc(w))) {
        zf__free(p);
        return zf__error_set(err, ZF_ENOMEM, NULL);
    }
    if ((o.journal || o.key) && !(in->aux = zf__aux_new())) {
        zf__free(in->heap_work);
        zf__free(p);
        return zf__error_set(err, ZF_ENOMEM, NULL);
    }
    if (o.key) {
        if (!(in->aux->key = zf__malloc(64))) {
            zf__aux_free(in->aux);
            zf__free(in->heap_work);
            zf__free(p);
            return zf__error_set(err, ZF_ENOMEM, NULL);
        }
        zf__hmac_key(in->aux->key, o.key, o.key_len);
    }
    in->magic = ZF__MAGIC_INSTANCE;
    in->def = def;
    in->journal_on = o.journal != 0;
    in->blk = p + hdr_sz;
    in->cfg_off = (uint32_t)cfg_off;
    in->set_off = (uint32_t)set_off;
    in->vars_off = (uint32_t)vars_off;
    in->terms_off = (uint32_t)terms_off;
    in->x_off = (uint32_t)x_off;
    in->str_off = (uint32_t)str_off;
    in->str_cap = (uint32_t)str_cap;
    in->w_backup = (uint32_t)w_backup;
    in->w_params = (uint32_t)w_params;
    in->w_seltr = (uint32_t)w_seltr;
    in->w_sets = (uint32_t)w_sets;
    in->w_queue = (uint32_t)w_queue;
    in->work_size = (uint32_t)w;
    in->cfg_words = (uint16_t)words;
    in->set_words = (uint16_t)swords;
    in->total_size = (uint32_t)total;
    in->max_journal = (uint32_t)o.max_journal;
    in->max_snapshot = (uint32_t)o.max_snapshot;

    /* The committed block starts empty: no state, defaults, idle terms. */
    zf__shdr *h = zf__blk_hdr(in);
    h->today = ZF_DATE_NONE;
    h->final = ZF_NOIDX;
    for (uint16_t v = 0; v < d->nvars; v++)
        if (d->vars[v].has_default && d->vars[v].dflt.type != ZF_TYPE_VOID) {
            if (d->vars[v].dflt.type == ZF_TYPE_STRING) {
                if (zf__instance_store_string(in, v, d->vars[v].dflt.as.s, err)) {
                    *out = in;
                    zf_instance_free(in);
                    *out = NULL;
                    return err ? err->code : ZF_ELIMIT;
                }
            } else
                zf__instance_var_put(in, v, &d->vars[v].dflt);
        }
    zf__tslot *terms = zf__blk_terms(in);
    uint16_t xi = 0;
    for (uint16_t t = 0; t < d->nterms; t++) {
        terms[t].status = ZF_TERM_IDLE;
        terms[t].trigger = terms[t].end = ZF_DATE_NONE;
        terms[t].x = d->term_extra[t] ? xi++ : ZF_NOIDX;
    }
    *out = in;
    return ZF_OK;
}

zf_code zf__instance_options(zf_instance_options *o, const zf_instance_options *opts,
                             zf_error *err) {
    zf_instance_options dflt = ZF_INSTANCE_OPTIONS_INIT;
    *o = dflt;
    if (opts) {
        if (opts->version < 1 || opts->version > ZF_INSTANCE_OPTIONS_VERSION)
            return zf__error_set(err, ZF_EINVAL, "unknown zf_instance_options version %u",
                                 opts->version);
        o->journal = opts->journal;
        o->string_capacity = opts->string_capacity;
        if (opts->version >= 2) {
            o->max_snapshot = opts->max_snapshot;
            o->max_journal = opts->max_journal;
            o->key = opts->key;
            o->key_len = opts->key_len;
        }
    }
    if (!o->max_snapshot)
        o->max_snapshot = ZF_SNAPSHOT_MAX_BYTES;
    if (!o->max_journal)
        o->max_journal = ZF_JOURNAL_MAX_ENTRIES;
    if (o->max_snapshot > UINT32_MAX)
        return zf__error_set(err, ZF_EINVAL, "max_snapshot is larger than 4 GiB - 1");
    if (o->max_journal > UINT32_MAX)
        return zf__error_set(err, ZF_EINVAL, "max_journal is larger than 4294967295");
    if (!o->key && o->key_len)
        return zf__error_set(err, ZF_EINVAL, "key is NULL but key_len is not 0");
    if (o->key && !o->key_len)
        return zf__error_set(err, ZF_EINVAL, "key is empty");
    return ZF_OK;
}

void zf_instance_free(zf_instance *inst) {
    if (!zf__ok_instance(inst))
        return;
    zf__aux_free(inst->aux);
    zf__free(inst->heap_work);
    inst->magic = ZF__MAGIC_DEAD;
    zf__free(inst);
}

zf_code zf_instance_clone(zf_instance **out, const zf_instance *inst, zf_error *err) {
    zf_instance *in;
    size_t hdr_sz = align8(sizeof(zf_instance));
    zf_error_clear(err);
    if (!out)
        return zf__error_set(err, ZF_EINVAL, "out is NULL");
    *out = NULL;
    if (!zf__ok_instance(inst))
        return zf__error_set(err, ZF_EINVAL, "invalid instance");
    /* The header and the committed block are one allocation of plain data: copy it
       and point the copy at its own block. The working area is scratch (only its
       size matters); the logs are copied. */
    if (!(in = zf__malloc(inst->total_size)))
        return zf__error_set(err, ZF_ENOMEM, NULL);
    memcpy(in, inst, inst->total_size);
    in->blk = (unsigned char *)in + hdr_sz;
    in->heap_work = NULL;
    in->aux = NULL;
    in->cov_trans = in->cov_states = NULL; /* the scenario runner's, not the case's */
    if (inst->heap_work && !(in->heap_work = zf__malloc(inst->work_size))) {
        zf__free(in);
        return zf__error_set(err, ZF_ENOMEM, NULL);
    }
    if (inst->aux &&
        !(in->aux = zf__aux_clone(inst->aux, inst->journal_on, inst->effcur))) {
        zf__free(in->heap_work);
        zf__free(in);
        return zf__error_set(err, ZF_ENOMEM, NULL);
    }
    *out = in;
    return ZF_OK;
}

zf_code zf_instance_new(zf_instance **out, const zf_definition *def, zf_date start,
                        const zf_param_value *vars, size_t nvars,
                        const zf_instance_options *opts, zf_error *err) {
    zf_instance *in;
    run r;
    frame f;
    zf_code rc;
    zf_error_clear(err);
    if (!out)
        return zf__error_set(err, ZF_EINVAL, "out is NULL");
    *out = NULL;
    if (!zf_date_valid(start))
        return zf__error_set(err, ZF_EINVAL, "invalid start date");
    if (nvars && !vars)
        return zf__error_set(err, ZF_EINVAL, "vars is NULL");
    if ((rc = zf__instance_alloc(&in, def, opts, err)))
        return rc;
    const struct zf_definition *d = in->def;
    work wk;
    begin(in, &r, &f, work_area(in, &wk), err);
    r.h->today = start;
    r.evdate = start;
    for (size_t i = 0; i < nvars; i++) {
        uint16_t v = vars[i].name ? zf__defn_var(d, vars[i].name) : ZF_NOIDX;
        zf_value nv;
        if (v == ZF_NOIDX) {
            rc = zf__error_set(err, ZF_ENOTFOUND, "process '%s' has no variable '%s'",
                               d->id, vars[i].name ? vars[i].name : "(null)");
            goto fail;
        }
        if ((rc = coerce(d, d->vars[v].type, d->vars[v].enum_id, &vars[i].value, &nv,
                         "variable", d->vars[v].id, err)))
            goto fail;
        if (nv.type == ZF_TYPE_STRING) {
            if ((rc = store_string(&r, v, nv.as.s)))
                goto fail;
        } else
            zf__instance_var_put(in, v, &nv);
    }
    for (uint16_t v = 0; v < d->nvars; v++) {
        if (d->vars[v].required && !zf__bit(r.vset, v)) {
            rc = zf__error_set(err, ZF_EINVAL, "required variable '%s' is not given",
                               d->vars[v].id);
            goto fail;
        }
    }
    if ((rc = j_entry(&r, ZF_NOIDX, start, NULL)))
        goto fail;
    zf__bit_set(r.cfg, 0);
    if ((rc = start_terms_of(&r, 0)))
        goto fail;
    if ((rc = exec_actions(&r, d->states[0].entry_first, d->states[0].nentry)))
        goto fail;
    for (uint32_t k = 0; k < d->states[0].ninit && r.h->final == ZF_NOIDX; k++) {
        uint16_t s = d->state_pool[d->states[0].init_first + k];
        if (!active(&r, s) && (rc = enter_state(&r, s)))
            goto fail;
    }
    if ((rc = run_to_completion(&r)))
        goto fail;
    finish(in, &r, &f, ZF_OK);
    *out = in;
    return ZF_OK;
fail:
    finish(in, &r, &f, rc);
    zf_instance_free(in);
    return rc;
}

const zf_definition *zf_instance_definition(const zf_instance *inst) {
    return zf__ok_instance(inst) ? inst->def : NULL;
}

/* ---- fire and advance -------------------------------------------------- */

static zf_code check_required(const zf__event *e, const zf_value *slots, zf_error *err) {
    for (uint16_t k = 0; k < e->nparams; k++)
        if (e->params[k].required && slots[k].type == ZF_TYPE_VOID)
            return zf__error_set(err, ZF_EINVAL, "event '%s' needs parameter '%s'", e->id,
                                 e->params[k].id);
    return ZF_OK;
}

/* Parameters by name into the event's slots (in declaration order). */
static zf_code bind_params(zf_instance *in, zf_value *slots, const zf__event *e,
                           const zf_param_value *params, size_t nparams, zf_error *err) {
    const struct zf_definition *d = in->def;
    zf_code rc;
    for (uint16_t k = 0; k < e->nparams; k++)
        slots[k] = zf__value_void();
    for (size_t i = 0; i < nparams; i++) {
        uint16_t k;
        for (k = 0; k < e->nparams; k++)
            if (params[i].name && name_cmp(params[i].name, e->params[k].id) == 0)
                break;
        if (k == e->nparams)
            return zf__error_set(err, ZF_EINVAL, "event '%s' has no parameter '%s'",
                                 e->id, params[i].name ? params[i].name : "(null)");
        if ((rc = coerce(d, e->params[k].type, e->params[k].enum_id, &params[i].value,
                         &slots[k], "parameter", e->params[k].id, err)))
            return rc;
    }
    return check_required(e, slots, err);
}

/* Parameters by index (zf_instance_fire_resolved()) into the event's slots. */
static zf_code bind_values(zf_instance *in, zf_value *slots, const zf__event *e,
                           const zf_value *values, zf_error *err) {
    int missing = 0;
    zf_code rc;
    for (uint16_t k = 0; k < e->nparams; k++) {
        const zf__param *pd = &e->params[k];
        if (!values || values[k].type == ZF_TYPE_VOID) {
            slots[k] = zf__value_void();
            missing |= pd->required;
        } else if (as_declared(in->def, pd->type, pd->enum_id, &values[k])) {
            slots[k] = values[k];
        } else if ((rc = coerce(in->def, pd->type, pd->enum_id, &values[k], &slots[k],
                                "parameter", pd->id, err))) {
            return rc;
        }
    }
    return missing ? check_required(e, slots, err) : ZF_OK;
}

static zf_code date_check_fail(const zf_instance *in, zf_date date, const char *what,
                               zf_error *err);

/* The common case inline; the messages (with their buffers) out of line. */
static inline zf_code date_check(const zf_instance *in, zf_date date, const char *what,
                                 zf_error *err) {
    if (date >= zf__blk_hdr(in)->today && zf_date_valid(date))
        return ZF_OK;
    return date_check_fail(in, date, what, err);
}

static ZF__COLD zf_code date_check_fail(const zf_instance *in, zf_date date,
                                        const char *what, zf_error *err) {
    char a[ZF_DATE_BUFSIZE], b[ZF_DATE_BUFSIZE];
    zf_date today = zf__blk_hdr(in)->today;
    if (!zf_date_valid(date))
        return zf__error_set(err, ZF_EINVAL, "invalid date");
    if (date < today)
        return zf__error_set(err, ZF_EINVAL, "%s dated %s is before the case date %s",
                             what, zf_date_format(a, date), zf_date_format(b, today));
    return ZF_OK;
}

/* What fire refuses before the event's parameters are bound: an internal event,
 * a bad date, a closed case, an actor without the event's role. */
static ZF__HOT zf_code fire_admit(const zf_instance *inst, const zf__event *e,
                                  zf_date date, uint32_t roles, const char *actor,
                                  zf_error *err) {
    const struct zf_definition *d = inst->def;
    zf_code rc;
    if (e->kind != ZF_EVENT_EXTERNAL)
        return zf__error_set(err, ZF_EREJECTED,
                             "event '%s' is internal: only the process itself raises it",
                             e->id);
    /* The actor is journaled: only text a snapshot can hold. */
    if (actor && inst->journal_on && !zf__text_ok(actor))
        return text_refused("actor", "id", err);
    if ((rc = date_check(inst, date, "event", err)))
        return rc;
    if (zf__blk_hdr(inst)->final != ZF_NOIDX)
        return zf__error_set(err, ZF_EREJECTED,
                             "event '%s' is not allowed: the case is closed", e->id);
    if (e->roles && !(e->roles & roles)) {
        char need[128];
        roles_text(d, e->roles, need, sizeof need);
        return zf__error_set(err, ZF_EFORBIDDEN,
                             "event '%s' needs the role %s; actor '%s' lacks it", e->id,
                             need, actor ? actor : "(none)");
    }
    return ZF_OK;
}

/* Why an event with transitions from the active states took none, though the actor
 * had the roles: every such transition's condition is false. Names the conditions as
 * written, with their lines. Only on refusal: the hot path never formats this. */
static ZF__COLD zf_code refused(run *r, uint16_t ev) {
    const struct zf_definition *d = r->d;
    char cfg[160], conds[200];
    size_t n = 0, count = 0, shown = 0;
    config_text(r, cfg, sizeof cfg);
    conds[0] = '\0';
    for (uint16_t s = 1; s < d->nstates; s++) {
        const zf__state *st = &d->states[s];
        if (!active(r, s))
            continue;
        for (uint32_t k = 0; k < st->ntrans; k++) {
            const zf__transition *t = &d->trans[st->trans_first + k];
            int w;
            if (t->event != ev || !t->cond.code)
                continue;
            count++;
            if (n >= sizeof conds - 1)
                continue;
            w = snprintf(conds + n, sizeof conds - n, "%s'%s' (line %d)", n ? ", " : "",
                         t->cond.source ? t->cond.source : "?", t->pos.line);
            if (w < 0 || (size_t)w >= sizeof conds - n) {
                conds[n] = '\0';
                n = sizeof conds - 1; /* full: count the rest only */
                continue;
            }
            n += (size_t)w;
            shown++;
        }
    }
    if (!count)
        return zf__error_set(r->err, ZF_EREJECTED,
                             "event '%s' is not allowed in state '%s'", d->events[ev].id,
                             cfg);
    if (count == 1)
        return zf__error_set(
            r->err, ZF_EREJECTED,
            "event '%s' is not allowed in state '%s': condition %s is false",
            d->events[ev].id, cfg, conds);
    if (shown < count)
        return zf__error_set(
            r->err, ZF_EREJECTED,
            "event '%s' is not allowed in state '%s': conditions %s and %zu "
            "more are false",
            d->events[ev].id, cfg, conds, count - shown);
    return zf__error_set(
        r->err, ZF_EREJECTED,
        "event '%s' is not allowed in state '%s': conditions %s are false",
        d->events[ev].id, cfg, conds);
}

/* The end of a call of fire_run(): committed, or, for a dry run
 * (zf_instance_can_fire()), put back like a failing call whatever its result. */
static ZF__HOT zf_code fire_end(zf_instance *inst, run *r, frame *f, zf_code rc,
                                int dry) {
    if (dry) {
        finish(inst, r, f, ZF_EREJECTED); /* any code but ZF_OK: roll back */
        return rc;
    }
    return finish(inst, r, f, rc);
}

/* The macrostep of an admitted event whose parameters are bound in the work area `w`;
 * with `dry`, everything it did is undone at the end (its result stays). */
static ZF__HOT zf_code fire_run(zf_instance *inst, uint16_t ev, zf_date date,
                                uint32_t roles, const char *actor, unsigned char *w,
                                zf_error *err, int dry) {
    const struct zf_definition *d = inst->def;
    const char *event = d->events[ev].id;
    run r;
    frame f;
    size_t n;
    zf_code rc;
    /* Rejected before any state is touched: no term is due and no active state has a
       transition on the event. */
    int take = can_take(inst, ev, date);
    if (!take) {
        char cfg[160];
        config_text_cfg(d, zf__blk_cfg(inst), cfg, sizeof cfg);
        return zf__error_set(err, ZF_EREJECTED, "event '%s' is not allowed in state '%s'",
                             event, cfg);
    }

    begin(inst, &r, &f, w, err);
    r.roles = roles;
    if (take == 2) {
        if ((rc = do_advance(&r, date)))
            return fire_end(inst, &r, &f, rc, dry);
    } else if (date > r.h->today) {
        r.h->today = date; /* no term is due: do_advance() would only do this */
    }
    if (r.h->final != ZF_NOIDX)
        return fire_end(
            inst, &r, &f,
            zf__error_set(err, ZF_EREJECTED,
                          "event '%s' is not allowed: the case closed when time passed",
                          event),
            dry);
    r.ext_ev = r.ev = ev;
    r.params = r.wparams;
    r.evdate = date;
    r.forbidden = 0;
    if ((rc = j_entry(&r, ev, date, actor)))
        return fire_end(inst, &r, &f, rc, dry);
    if ((rc = select_transitions(&r, ev, &n)))
        return fire_end(inst, &r, &f, rc, dry);
    if (n == 0) {
        if (r.forbidden) {
            char cfg[160];
            config_text(&r, cfg, sizeof cfg);
            rc = zf__error_set(err, ZF_EFORBIDDEN,
                               "event '%s' in state '%s' needs a role actor '%s' lacks",
                               event, cfg, actor ? actor : "(none)");
        } else {
            rc = refused(&r, ev);
        }
        return fire_end(inst, &r, &f, rc, dry);
    }
    if ((rc = microstep(&r, n)))
        return fire_end(inst, &r, &f, rc, dry);
    /* Nothing eventless and nothing queued: run_to_completion() would find nothing. */
    if ((d->has_eventless || r.qlen) && r.h->final == ZF_NOIDX &&
        (rc = run_to_completion(&r)))
        return fire_end(inst, &r, &f, rc, dry);
    return fire_end(inst, &r, &f, ZF_OK, dry);
}

/* zf_instance_fire() and zf_instance_can_fire(). */
static ZF__HOT zf_code fire_named(zf_instance *inst, const char *event, zf_date date,
                                  const zf_actor *actor, const zf_param_value *params,
                                  size_t nparams, zf_error *err, int dry) {
    const struct zf_definition *d;
    const char *who;
    uint16_t ev;
    uint32_t roles;
    work wk;
    unsigned char *w;
    zf_code rc;
    zf__error_reset(err);
    if (!zf__ok_instance(inst))
        return zf__error_set(err, ZF_EINVAL, "invalid instance");
    if (!event)
        return zf__error_set(err, ZF_EINVAL, "event is NULL");
    if (nparams && !params)
        return zf__error_set(err, ZF_EINVAL, "params is NULL");
    d = inst->def;
    ev = zf__defn_event(d, event);
    if (ev == ZF_NOIDX)
        return zf__error_set(err, ZF_ENOTFOUND, "process '%s' has no event '%s'", d->id,
                             event);
    roles = actor_roles(d, actor);
    who = actor ? actor->id : NULL;
    if ((rc = fire_admit(inst, &d->events[ev], date, roles, who, err)))
        return rc;
    w = work_area(inst, &wk);
    if ((rc = bind_params(inst, (zf_value *)(w + inst->w_params), &d->events[ev], params,
                          nparams, err)))
        return rc;
    return fire_run(inst, ev, date, roles, who, w, err, dry);
}

zf_code zf_instance_fire(zf_instance *inst, const char *event, zf_date date,
                         const zf_actor *actor, const zf_param_value *params,
                         size_t nparams, zf_error *err) {
    return fire_named(inst, event, date, actor, params, nparams, err, 0);
}

zf_code zf_instance_can_fire(zf_instance *inst, const char *event, zf_date date,
                             const zf_actor *actor, const zf_param_value *params,
                             size_t nparams, zf_error *err) {
    return fire_named(inst, event, date, actor, params, nparams, err, 1);
}

/* Declared with the definition's lookups (definition.h); here, beside the one
 * coerce() that binds parameters, so that a value read ahead is what fire binds. */
zf_code zf_definition_param_value(zf_value *out, const zf_definition *def, size_t event,
                                  size_t i, const char *text, zf_error *err) {
    const zf__param *pd;
    zf_value v;
    zf__error_reset(err);
    if (!zf__ok_definition(def))
        return zf__error_set(err, ZF_EINVAL, "invalid definition");
    if (!text || !out)
        return zf__error_set(err, ZF_EINVAL, "%s is NULL", out ? "text" : "out");
    if (event >= def->nevents || i >= def->events[event].nparams)
        return zf__error_set(err, ZF_EINVAL,
                             "process '%s' has no event %zu parameter %zu", def->id,
                             event, i);
    pd = &def->events[event].params[i];
    v = zf__value_void();
    v.type = ZF_TYPE_STRING;
    v.as.s = text;
    return coerce(def, pd->type, pd->enum_id, &v, out, "parameter", pd->id, err);
}

zf_code zf_instance_fire_resolved(zf_instance *inst, const zf_event_call *call,
                                  zf_error *err) {
    const struct zf_definition *d;
    const zf__event *e;
    uint32_t roles;
    work wk;
    unsigned char *w;
    zf_code rc;
    zf__error_reset(err);
    if (!zf__ok_instance(inst))
        return zf__error_set(err, ZF_EINVAL, "invalid instance");
    if (!call)
        return zf__error_set(err, ZF_EINVAL, "call is NULL");
    d = inst->def;
    if (call->event >= d->nevents)
        return zf__error_set(err, ZF_EINVAL, "process '%s' has no event number %zu",
                             d->id, call->event);
    if (call->nroles && !call->roles)
        return zf__error_set(err, ZF_EINVAL, "call names %zu roles but gives none",
                             call->nroles);
    e = &d->events[call->event];
    /* Indexes beyond the definition's roles name no role. */
    roles = 0;
    for (size_t k = 0; k < call->nroles; k++)
        if (call->roles[k] < d->nroles)
            roles |= UINT32_C(1) << call->roles[k];
    if ((rc = fire_admit(inst, e, call->date, roles, call->actor, err)))
        return rc;
    w = work_area(inst, &wk);
    if ((rc = bind_values(inst, (zf_value *)(w + inst->w_params), e, call->params, err)))
        return rc;
    return fire_run(inst, (uint16_t)call->event, call->date, roles, call->actor, w, err,
                    0);
}

zf_code zf_instance_advance(zf_instance *inst, zf_date date, zf_error *err) {
    run r;
    frame f;
    zf_code rc;
    zf__error_reset(err);
    if (!zf__ok_instance(inst))
        return zf__error_set(err, ZF_EINVAL, "invalid instance");
    if ((rc = date_check(inst, date, "advance", err)))
        return rc;
    work wk;
    begin(inst, &r, &f, work_area(inst, &wk), err);
    return finish(inst, &r, &f, do_advance(&r, date));
}

/* ---- queries ----------------------------------------------------------- */

/* A read-only working view of the committed state (queries that evaluate guards). */
static void run_view(run *r, const zf_instance *in, unsigned char *w) {
    run_bind(r, (zf_instance *)in, w, NULL);
}

zf_code zf__instance_eval(zf_value *out, const zf_instance *in, const zf__program *p,
                          zf_date date, zf_error *err) {
    run r;
    work wk;
    run_view(&r, in, work_area(in, &wk));
    r.err = err;
    r.ectx.params = NULL;
    r.ectx.event_date = date;
    r.ectx.today = date;
    return zf__expr_eval(p, &r.ectx, out, err);
}

zf_date zf_instance_date(const zf_instance *inst) {
    return zf__ok_instance(inst) ? zf__blk_hdr(inst)->today : ZF_DATE_NONE;
}

size_t zf_instance_active_count(const zf_instance *inst) {
    size_t n = 0;
    if (!zf__ok_instance(inst))
        return 0;
    const uint32_t *cfg = zf__blk_cfg(inst);
    for (uint16_t s = 1; s < inst->def->nstates; s++)
        n += zf__bit(cfg, s);
    return n;
}

const char *zf_instance_active_id(const zf_instance *inst, size_t i) {
    if (!zf__ok_instance(inst))
        return NULL;
    const uint32_t *cfg = zf__blk_cfg(inst);
    for (uint16_t s = 1; s < inst->def->nstates; s++)
        if (zf__bit(cfg, s) && i-- == 0)
            return inst->def->states[s].id;
    return NULL;
}

int zf_instance_in(const zf_instance *inst, const char *name) {
    uint16_t s;
    if (!zf__ok_instance(inst) || !name)
        return -1;
    s = zf__defn_state(inst->def, name);
    if (s == ZF_NOIDX)
        return -1;
    return zf__bit(zf__blk_cfg(inst), s);
}

zf_code zf_instance_enabled_events(const char **out, size_t cap, size_t *count,
                                   const zf_instance *inst, const zf_actor *actor,
                                   zf_error *err) {
    run r;
    size_t n = 0;
    zf_error_clear(err);
    if (!zf__ok_instance(inst))
        return zf__error_set(err, ZF_EINVAL, "invalid instance");
    if (cap && !out)
        return zf__error_set(err, ZF_EINVAL, "out is NULL");
    const struct zf_definition *d = inst->def;
    work wk;
    run_view(&r, inst, work_area(inst, &wk));
    r.eval_maybe = 1;
    uint32_t roles = actor_roles(d, actor);
    if (r.h->final == ZF_NOIDX) {
        for (uint16_t e = 0; e < d->nevents; e++) {
            const zf__event *ev = &d->events[e];
            int yes = 0;
            if (ev->kind != ZF_EVENT_EXTERNAL || (ev->roles && !(ev->roles & roles)))
                continue;
            for (uint16_t k = 0; k < ev->nparams; k++)
                r.wparams[k] = zf__value_void();
            r.params = r.wparams;
            r.ev = e;
            for (uint16_t s = 1; s < d->nstates && !yes; s++) {
                const zf__state *st = &d->states[s];
                if (!active(&r, s))
                    continue;
                for (uint32_t k = 0; k < st->ntrans && !yes; k++) {
                    const zf__transition *t = &d->trans[st->trans_first + k];
                    int ok = 0;
                    if (t->event != e || (t->roles && !(t->roles & roles)))
                        continue;
                    guard(&r, t, &ok);
                    yes = ok;
                }
            }
            if (yes) {
                if (n < cap)
                    out[n] = ev->id;
                n++;
            }
        }
    }
    if (count)
        *count = n;
    return ZF_OK;
}

zf_code zf_instance_var(zf_value *out, const zf_instance *inst, const char *name,
                        zf_error *err) {
    uint16_t v;
    zf_error_clear(err);
    if (!zf__ok_instance(inst))
        return zf__error_set(err, ZF_EINVAL, "invalid instance");
    if (!name || !out)
        return zf__error_set(err, ZF_EINVAL, "%s is NULL", out ? "name" : "out");
    v = zf__defn_var(inst->def, name);
    if (v == ZF_NOIDX)
        return zf__error_set(err, ZF_ENOTFOUND, "process '%s' has no variable '%s'",
                             inst->def->id, name);
    zf__instance_var_get(inst, v, out);
    return ZF_OK;
}

const char *zf_term_status_name(zf_term_status status) {
    static const char *const names[] = {"idle", "running", "suspended", "stopped",
                                        "expired"};
    return (unsigned)status < 5 ? names[status] : "unknown";
}

size_t zf_instance_term_count(const zf_instance *inst) {
    return zf__ok_instance(inst) ? inst->def->nterms : 0;
}

zf_code zf_instance_term(zf_term_info *out, const zf_instance *inst, size_t i,
                         zf_error *err) {
    zf__error_reset(err);
    if (!zf__ok_instance(inst) || !out)
        return zf__error_set(err, ZF_EINVAL, "invalid instance");
    if (i >= inst->def->nterms)
        return zf__error_set(err, ZF_ENOTFOUND, "no term %zu", i);
    const zf__termdef *td = &inst->def->terms[i];
    zf__termrec recv, *rec = &recv;
    zf__instance_term_get(inst, (uint16_t)i, &recv);
    memset(out, 0, sizeof *out);
    out->id = td->id;
    out->title = td->title;
    out->basis = td->basis;
    out->party = td->party;
    out->status = (zf_term_status)rec->status;
    out->trigger = rec->trigger;
    out->length = zf__dur_unpack(rec->length);
    out->first_day = out->nominal_end = out->end = ZF_DATE_NONE;
    if (rec->status != ZF_TERM_IDLE) {
        out->first_day = rec->trigger + 1;
        if (zf_date_add(&out->nominal_end, rec->trigger, out->length, NULL) != ZF_OK)
            out->nominal_end = ZF_DATE_NONE;
        out->end = reported_end(inst, (uint16_t)i, rec, zf__blk_hdr(inst)->today);
    }
    out->nsuspensions = rec->nsusp;
    for (size_t k = 0; k < rec->nsusp; k++)
        out->suspensions[k] = rec->susp[k];
    out->nextensions = rec->next;
    for (size_t k = 0; k < rec->next; k++)
        out->extensions[k] = zf__dur_unpack(rec->ext[k]);
    return ZF_OK;
}

zf_code zf_instance_term_by_id(zf_term_info *out, const zf_instance *inst, const char *id,
                               zf_error *err) {
    uint16_t t;
    zf_error_clear(err);
    if (!zf__ok_instance(inst) || !id)
        return zf__error_set(err, ZF_EINVAL, "invalid instance");
    t = zf__defn_term(inst->def, id);
    if (t == ZF_NOIDX)
        return zf__error_set(err, ZF_ENOTFOUND, "process '%s' has no term '%s'",
                             inst->def->id, id);
    return zf_instance_term(out, inst, t, err);
}

zf_code zf_instance_term_explain(zf_buf *out, const zf_instance *inst, const char *id,
                                 zf_error *err) {
    uint16_t t;
    zf_term_result res;
    zf_code rc;
    zf_error_clear(err);
    if (!zf__ok_instance(inst) || !id || !out)
        return zf__error_set(err, ZF_EINVAL, "invalid instance");
    t = zf__defn_term(inst->def, id);
    if (t == ZF_NOIDX)
        return zf__error_set(err, ZF_ENOTFOUND, "process '%s' has no term '%s'",
                             inst->def->id, id);
    zf__termrec recv, *rec = &recv;
    zf__instance_term_get(inst, t, &recv);
    if (rec->status == ZF_TERM_SUSPENDED && rec->nsusp &&
        rec->susp[rec->nsusp - 1].to == ZF_DATE_NONE) {
        /* Explain the reported end: the open suspension lasting through today. */
        zf_date today = zf__blk_hdr(inst)->today, from = rec->susp[rec->nsusp - 1].from;
        rec->susp[rec->nsusp - 1].to = today + 1 > from ? today + 1 : from;
    }
    if (rec->status == ZF_TERM_IDLE)
        return zf__error_set(err, ZF_EREJECTED, "term '%s' has not started", id);
    if ((rc = zf__instance_recompute_end(inst, t, rec, &res, NULL, err)))
        return rc;
    return zf_term_explain(out, &res, err);
}

zf_date zf_instance_next_due(const zf_instance *inst, const char **term) {
    return zf_instance_next_due_for(inst, NULL, term);
}

zf_date zf_instance_next_due_for(const zf_instance *inst, const char *party,
                                 const char **term) {
    zf_date best = ZF_DATE_NONE;
    if (term)
        *term = NULL;
    if (!zf__ok_instance(inst) || zf__blk_hdr(inst)->final != ZF_NOIDX)
        return ZF_DATE_NONE;
    const zf__tslot *terms = zf__blk_terms(inst);
    for (uint16_t t = 0; t < inst->def->nterms; t++) {
        const char *p = inst->def->terms[t].party;
        if (terms[t].status != ZF_TERM_RUNNING)
            continue;
        /* Parties are the library's strings: equal ones are one pointer. */
        if (party && p != party && (!p || strcmp(p, party) != 0))
            continue;
        if (best == ZF_DATE_NONE || terms[t].end < best) {
            best = terms[t].end;
            if (term)
                *term = inst->def->terms[t].id;
        }
    }
    return best;
}

int zf_instance_finished(const zf_instance *inst) {
    return zf__ok_instance(inst) && zf__blk_hdr(inst)->final != ZF_NOIDX;
}

const char *zf_instance_outcome(const zf_instance *inst) {
    uint16_t f;
    if (!zf__ok_instance(inst))
        return NULL;
    f = zf__blk_hdr(inst)->final;
    return f == ZF_NOIDX ? NULL : inst->def->states[f].outcome;
}

size_t zf_instance_memory(const zf_instance *inst) {
    if (!zf__ok_instance(inst))
        return 0;
    /* The header and state block, the working area when it is on the heap, and the
       log headers once allocated (not the journal's or effects' contents). */
    return inst->total_size + (inst->heap_work ? inst->work_size : 0) +
           (inst->aux ? sizeof *inst->aux : 0);
}

void zf__instance_set_coverage(zf_instance *in, uint32_t *trans, uint32_t *states) {
    in->cov_trans = trans;
    in->cov_states = states;
}
