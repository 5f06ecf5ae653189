/*
 * The consistency rules of a restored case: whether a state block filled from
 * outside (a compact snapshot, zf_instance_unpack()) is one the engine could
 * have left, checked against the definition in one call. They are the rules
 * the XML restore (snapshot.c) applies while it reads: a legal SCXML
 * configuration, a final state that is an active top-level final, values of
 * the variables' types, and term records whose status, suspensions and
 * extensions fit and whose cached last day follows from their data. The
 * derived parts of the block (the innermost active state) are set here.
 *
 * Messages name the rule broken; the code is ZF_ESNAPSHOT.
 */
#include "instance_int.h"

#include <stdio.h>

static zf_code bad(zf_error *err, const char *fmt, const char *a, const char *b) {
    char msg[200];
    snprintf(msg, sizeof msg, fmt, a ? a : "", b ? b : "");
    return zf__error_set(err, ZF_ESNAPSHOT, "%s", msg);
}

int zf__config_problem(char *msg, size_t cap, const struct zf_definition *d,
                       const uint32_t *cfg) {
    /* Parents first: a child counted under an inactive parent would mislead. */
    for (uint16_t s = 1; s < d->nstates; s++)
        if (zf__bit(cfg, s) && !zf__bit(cfg, d->states[s].parent)) {
            uint16_t p = d->states[s].parent;
            snprintf(msg, cap, "state '%s' is active but its parent '%s' is not",
                     d->states[s].id, p ? d->states[p].id : d->id);
            return 1;
        }
    for (uint16_t s = 0; s < d->nstates; s++) {
        const zf__state *st = &d->states[s];
        unsigned nact = 0, nchild = 0;
        if (!zf__bit(cfg, s))
            continue;
        for (uint16_t c = (uint16_t)(s + 1); c <= s + st->ndesc;
             c = (uint16_t)(c + d->states[c].ndesc + 1)) {
            nchild++;
            nact += zf__bit(cfg, c);
        }
        if (st->kind == ZF_STATE_COMPOUND && nact != 1) {
            snprintf(msg, cap,
                     "compound state '%s' has %u active children: an active compound "
                     "state has exactly one",
                     s ? st->id : d->id, nact);
            return 1;
        }
        if (st->kind == ZF_STATE_PARALLEL && nact != nchild) {
            snprintf(msg, cap,
                     "parallel state '%s' has %u of its %u regions active: an active "
                     "parallel state has all",
                     st->id, nact, nchild);
            return 1;
        }
    }
    return 0;
}

/* The process active, a legal configuration, nothing beyond the definition's states. */
static zf_code check_config(const zf_instance *in, zf_error *err) {
    const struct zf_definition *d = in->def;
    const uint32_t *cfg = zf__blk_cfg(in);
    char msg[300];
    if (!zf__bit(cfg, 0))
        return bad(err, "the process itself is not active%s%s", NULL, NULL);
    for (unsigned s = d->nstates; s < (unsigned)in->cfg_words * 32; s++)
        if (zf__bit(cfg, s))
            return bad(err, "an active state is not in the definition%s%s", NULL, NULL);
    if (zf__config_problem(msg, sizeof msg, d, cfg))
        return zf__error_set(err, ZF_ESNAPSHOT, "%s", msg);
    return ZF_OK;
}

/* `final` names the active top-level final state, if one is active. */
static zf_code check_final(const zf_instance *in, zf_error *err) {
    const struct zf_definition *d = in->def;
    const uint32_t *cfg = zf__blk_cfg(in);
    uint16_t f = zf__blk_hdr(in)->final;
    if (f != ZF_NOIDX) {
        if (f >= d->nstates || d->states[f].kind != ZF_STATE_FINAL ||
            d->states[f].parent != 0 || !zf__bit(cfg, f))
            return bad(err, "the final state is not an active top-level final state%s%s",
                       NULL, NULL);
        return ZF_OK;
    }
    for (uint16_t s = 1; s < d->nstates; s++)
        if (d->states[s].parent == 0 && d->states[s].kind == ZF_STATE_FINAL &&
            zf__bit(cfg, s))
            return bad(err, "final state '%s' is active but the case is not finished%s",
                       d->states[s].id, NULL);
    return ZF_OK;
}

/* Every set variable holds a value of its type; unset ones hold nothing. */
static zf_code check_vars(const zf_instance *in, zf_error *err) {
    const struct zf_definition *d = in->def;
    const uint32_t *set = zf__blk_set(in);
    const int64_t *pv = zf__blk_vars(in);
    const char *store = zf__blk_str(in);
    uint32_t used = zf__blk_hdr(in)->str_used;
    for (unsigned v = d->nvars; v < (unsigned)in->set_words * 32; v++)
        if (zf__bit(set, v))
            return bad(err, "a variable is set that is not in the definition%s%s", NULL,
                       NULL);
    if (used > in->str_cap)
        return bad(err, "the string store is larger than its capacity%s%s", NULL, NULL);
    for (uint16_t v = 0; v < d->nvars; v++) {
        const zf__var *vd = &d->vars[v];
        int64_t p = pv[v];
        int ok = 1;
        if (!zf__bit(set, v)) {
            if (p != 0)
                return bad(err, "unset variable '%s' has a value%s", vd->id, NULL);
            continue;
        }
        switch (vd->type) {
        case ZF_TYPE_BOOL:
            ok = p == 0 || p == 1;
            break;
        case ZF_TYPE_INT:
        case ZF_TYPE_MONEY:
            break;
        case ZF_TYPE_DATE:
            ok = p >= INT32_MIN && p <= INT32_MAX && zf_date_valid((zf_date)p);
            break;
        case ZF_TYPE_DURATION:
            ok = p >= 0 && p <= INT32_MAX && (p >> 2) <= 99999;
            break;
        case ZF_TYPE_ENUM:
            ok = vd->enum_id < d->nenums && p >= 0 && p < d->enums[vd->enum_id].nvalues;
            break;
        case ZF_TYPE_STRING:
            ok = p >= 0 && p < used && memchr(store + p, '\0', used - (size_t)p) != NULL;
            break;
        default:
            ok = 0;
        }
        if (!ok)
            return bad(err, "variable '%s' holds no value of type %s", vd->id,
                       zf_type_name(vd->type));
    }
    return ZF_OK;
}

static int valid_duration(int32_t p) {
    return p >= 0 && (p >> 2) <= 99999;
}

/* One term record: status, dates, suspensions and extensions as the engine leaves
 * them, and the cached last day as its data give it. */
static zf_code check_term(const zf_instance *in, uint16_t t, uint16_t x, zf_error *err) {
    const struct zf_definition *d = in->def;
    const char *id = d->terms[t].id;
    const zf__tslot *ts = &zf__blk_terms(in)[t];
    zf__termrec rec;
    zf_date end, today = zf__blk_hdr(in)->today;
    zf_error e2;
    if (ts->x != x)
        return bad(err, "term '%s' has the extras record of another term%s", id, NULL);
    if (x == ZF_NOIDX && ts->counts != 0)
        return bad(err, "term '%s' cannot be suspended or extended in this definition%s",
                   id, NULL);
    if (ts->status > ZF_TERM_EXPIRED)
        return bad(err, "term '%s' has an unknown status%s", id, NULL);
    zf__instance_term_get(in, t, &rec);
    if (rec.status == ZF_TERM_IDLE) {
        if (rec.trigger != ZF_DATE_NONE || rec.end != ZF_DATE_NONE || rec.length != 0 ||
            ts->counts != 0)
            return bad(err, "idle term '%s' has data%s", id, NULL);
        return ZF_OK;
    }
    if (!zf_date_valid(rec.trigger) || !zf_date_valid(rec.end))
        return bad(err, "term '%s' has no valid trigger or last day%s", id, NULL);
    if (!valid_duration(rec.length))
        return bad(err, "term '%s' has no valid length%s", id, NULL);
    if (rec.nsusp > ZF_INSTANCE_MAX_SUSPENSIONS || rec.next > ZF_INSTANCE_MAX_EXTENSIONS)
        return bad(err, "term '%s' has too many suspensions or extensions%s", id, NULL);
    for (unsigned k = 0; k < rec.nsusp; k++) {
        zf_interval iv = rec.susp[k];
        int open = iv.to == ZF_DATE_NONE, last = k + 1 == rec.nsusp;
        if (!zf_date_valid(iv.from) || (!open && !zf_date_valid(iv.to)))
            return bad(err, "a suspension of term '%s' has no valid dates%s", id, NULL);
        if (!open && iv.to < iv.from)
            return bad(err, "suspension of term '%s' ends before it starts%s", id, NULL);
        /* Acts of the case, dated as its events: one after the other, none after the
           case date. */
        if ((k && iv.from < rec.susp[k - 1].to) || iv.from > today ||
            (!open && iv.to > today))
            return bad(err,
                       "the suspensions of term '%s' are not in date order up to the "
                       "case date%s",
                       id, NULL);
        /* Only the last suspension may be open, and only while suspended. */
        if (open && !(last && rec.status == ZF_TERM_SUSPENDED))
            return bad(err, "term '%s' has an open suspension but is not suspended%s", id,
                       NULL);
    }
    if (rec.status == ZF_TERM_SUSPENDED &&
        (rec.nsusp == 0 || rec.susp[rec.nsusp - 1].to != ZF_DATE_NONE))
        return bad(err, "suspended term '%s' has no open suspension%s", id, NULL);
    /* A term expires the day after its last day: an expired term ended before the
       case date (the XML reader's rule too). */
    if (rec.status == ZF_TERM_EXPIRED && rec.end >= today)
        return bad(err,
                   "term '%s' is expired but its last day is not before the case "
                   "date%s",
                   id, NULL);
    for (unsigned k = 0; k < rec.next; k++)
        if (!valid_duration(rec.ext[k]))
            return bad(err, "an extension of term '%s' is no valid duration%s", id, NULL);
    zf_error_clear(&e2);
    if (zf__instance_recompute_end(in, t, &rec, NULL, &end, &e2) != ZF_OK)
        return bad(err, "term '%s': its data cannot be computed: %s", id, e2.message);
    if (end != rec.end)
        return bad(err, "term '%s': its last day does not follow from its data%s", id,
                   NULL);
    return ZF_OK;
}

zf_code zf__instance_consistent(const zf_instance *in, zf_error *err) {
    const struct zf_definition *d = in->def;
    const zf__shdr *h = zf__blk_hdr(in);
    zf_code rc;
    if (!zf_date_valid(h->today))
        return bad(err, "the case date is not a valid date%s%s", NULL, NULL);
    /* zf_instance_new() is step 1. */
    if (h->seq == 0)
        return bad(err, "seq is 0, but starting a case is its first step%s%s", NULL,
                   NULL);
    if ((rc = check_config(in, err)) || (rc = check_final(in, err)) ||
        (rc = check_vars(in, err)))
        return rc;
    /* The extras record of a term is fixed by the definition (term_extra), in term
       order. */
    for (uint16_t t = 0, xi = 0; t < d->nterms; t++) {
        uint16_t x = d->term_extra[t] ? xi++ : ZF_NOIDX;
        if ((rc = check_term(in, t, x, err)))
            return rc;
        /* Closing a case stops every term. */
        if (h->final != ZF_NOIDX && (zf__blk_terms(in)[t].status == ZF_TERM_RUNNING ||
                                     zf__blk_terms(in)[t].status == ZF_TERM_SUSPENDED))
            return bad(err, "the case is closed, but term '%s' is still %s",
                       d->terms[t].id,
                       zf_term_status_name((zf_term_status)zf__blk_terms(in)[t].status));
    }
    return ZF_OK;
}

zf_code zf__instance_check(zf_instance *in, zf_error *err) {
    const struct zf_definition *d = in->def;
    zf__shdr *h = zf__blk_hdr(in);
    zf_code rc;
    if ((rc = zf__instance_consistent(in, err)))
        return rc;
    /* Derived: the innermost active state of a flat chart is the active state with
       the highest index (document pre-order). */
    for (uint16_t s = 0; s < d->nstates; s++)
        if (zf__bit(zf__blk_cfg(in), s))
            h->leaf = s;
    return ZF_OK;
}
