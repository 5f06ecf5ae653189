/*
 * zf_instance_migrate(): a case moved to another version of its process by a
 * compiled migration (migration_int.h). The old case is only read; the new
 * instance is built from nothing and freed on any failure, so a failing call
 * changes nothing.
 */
#include "instance_int.h"
#include "migration_int.h"

#include <stdio.h>
#include <string.h>

typedef struct mig_run {
    const zf_instance *old;
    zf_instance *in;
    const zf_migration *mig;
    const struct zf_definition *from, *to;
    zf_date date;
    zf_error *err;
    zf__log *journal; /* the new instance's, a scratch log (journal off but kept), or
                         NULL */
} mig_run;

static zf_code jnl(mig_run *r, zf_code rc) {
    if (rc == ZF_ENOMEM)
        return zf__error_set(r->err, ZF_ENOMEM, NULL);
    if (rc)
        return zf__error_set(r->err, rc, "journal full");
    return ZF_OK;
}

/* A journal item of the new version (name from the definition by ref). */
static zf_code item(mig_run *r, zf_journal_kind kind, uint16_t ref, zf_date date,
                    const zf_value *v) {
    if (!r->journal)
        return ZF_OK;
    return jnl(r, zf__log_put(r->journal, kind, ref, NULL, NULL, date, v, ZF__TEXT_COPY));
}

/* A journal item naming something of the old version by text. */
static zf_code item_old(mig_run *r, zf_journal_kind kind, const char *name,
                        zf_date date) {
    if (!r->journal)
        return ZF_OK;
    return jnl(r, zf__log_put(r->journal, kind, ZF_NOIDX, name, NULL, date, NULL,
                              ZF__TEXT_COPY));
}

/* ---- the journal ----------------------------------------------------------- */

/* The old journal, every name kept as text: it names the old version's things; and
 * its gaps (steps run with the journal off), before the same entries. */
static zf_code copy_journal(mig_run *r) {
    const zf_instance *old = r->old;
    if (old->journal_on && old->aux && old->aux->ngaps) {
        zf__aux *x = r->in->aux;
        if (!(x->gaps = zf__malloc(old->aux->ngaps * sizeof *x->gaps)))
            return zf__error_set(r->err, ZF_ENOMEM, NULL);
        memcpy(x->gaps, old->aux->gaps, old->aux->ngaps * sizeof *x->gaps);
        x->ngaps = old->aux->ngaps;
    }
    for (size_t i = 0; i < zf_instance_journal_count(old); i++) {
        zf_journal_entry e;
        zf_code rc;
        zf_instance_journal_entry(&e, old, i, NULL);
        rc = e.event ? zf__log_entry_named(r->journal, e.seq, e.date, e.event, e.actor)
                     : zf__log_entry(r->journal, e.seq, e.date, ZF_NOIDX, e.actor);
        if (rc)
            return jnl(r, rc);
        for (size_t j = 0; j < e.nitems; j++) {
            zf_journal_item it;
            zf_instance_journal_item(&it, old, i, j, NULL);
            if ((rc = zf__log_put(
                     r->journal, it.kind, ZF_NOIDX, it.name, it.text, it.date,
                     it.value.type != ZF_TYPE_VOID ? &it.value : NULL, ZF__TEXT_COPY)))
                return jnl(r, rc);
        }
    }
    return ZF_OK;
}

/* ---- states ---------------------------------------------------------------- */

static void activate(const struct zf_definition *d, uint32_t *cfg, uint16_t s) {
    for (; s != ZF_NOIDX && !zf__bit(cfg, s); s = d->states[s].parent)
        zf__bit_set(cfg, s);
}

/* The new configuration: the targets of the old active leaves with their
 * ancestors, completed by default entry (a compound state without an active
 * child enters its initial one, a parallel state every region). */
static zf_code map_states(mig_run *r) {
    const struct zf_definition *from = r->from, *to = r->to;
    const uint32_t *ocfg = zf__blk_cfg(r->old);
    uint32_t *cfg = zf__blk_cfg(r->in);
    zf__shdr *h = zf__blk_hdr(r->in);
    zf__bit_set(cfg, 0);
    for (uint16_t s = 1; s < from->nstates; s++) {
        const zf__state *st = &from->states[s];
        uint16_t t;
        if (!zf__bit(ocfg, s) ||
            (st->kind != ZF_STATE_ATOMIC && st->kind != ZF_STATE_FINAL))
            continue;
        t = s < r->mig->nold_states ? r->mig->state_target[s] : ZF_NOIDX;
        if (t == ZF_NOIDX || t >= to->nstates)
            return zf__error_set(r->err, ZF_EINVAL,
                                 "the migration maps state '%s' to no state", st->id);
        activate(to, cfg, t);
    }
    for (uint16_t s = 0; s < to->nstates; s++) {
        const zf__state *st = &to->states[s];
        unsigned nact = 0;
        if (!zf__bit(cfg, s) ||
            (st->kind != ZF_STATE_COMPOUND && st->kind != ZF_STATE_PARALLEL))
            continue;
        for (uint16_t c = (uint16_t)(s + 1); c <= s + st->ndesc;
             c = (uint16_t)(c + to->states[c].ndesc + 1)) {
            if (zf__bit(cfg, c)) {
                nact++;
                continue;
            }
            if (st->kind != ZF_STATE_PARALLEL)
                continue;
            zf__bit_set(cfg, c);
            for (uint32_t k = 0; k < to->states[c].ninit; k++)
                zf__bit_set(cfg, to->state_pool[to->states[c].init_first + k]);
            nact++;
        }
        if (st->kind == ZF_STATE_COMPOUND && nact == 0)
            for (uint32_t k = 0; k < st->ninit; k++)
                zf__bit_set(cfg, to->state_pool[st->init_first + k]);
        else if (st->kind == ZF_STATE_COMPOUND && nact > 1)
            return zf__error_set(r->err, ZF_EINVAL,
                                 "the migration maps the case to more than one child of "
                                 "state '%s'",
                                 s ? st->id : to->id);
    }
    h->final = ZF_NOIDX;
    for (uint16_t s = 0; s < to->nstates; s++) {
        if (!zf__bit(cfg, s))
            continue;
        h->leaf = s;
        if (s && to->states[s].parent == 0 && to->states[s].kind == ZF_STATE_FINAL)
            h->final = s;
    }
    if (zf__blk_hdr(r->old)->final != ZF_NOIDX && h->final == ZF_NOIDX)
        return zf__error_set(r->err, ZF_EREJECTED,
                             "the case is finished, but the migration maps it to states "
                             "that are not final");
    return ZF_OK;
}

static zf_code journal_states(mig_run *r, int entered) {
    const struct zf_definition *d = entered ? r->to : r->from;
    const uint32_t *cfg = zf__blk_cfg(entered ? r->in : r->old);
    zf_code rc;
    for (uint16_t s = 1; s < d->nstates; s++)
        if (zf__bit(cfg, s) &&
            (rc = entered ? item(r, ZF_JOURNAL_ENTERED, s, ZF_DATE_NONE, NULL)
                          : item_old(r, ZF_JOURNAL_LEFT, d->states[s].id, ZF_DATE_NONE)))
            return rc;
    return ZF_OK;
}

/* ---- variables ------------------------------------------------------------- */

/* A value of the old version as a value of new variable v: enumeration values by
 * name, whole euros from an int. */
static zf_code convert(mig_run *r, uint16_t v, zf_value *val) {
    const zf__var *nv = &r->to->vars[v];
    if (val->type == ZF_TYPE_VOID)
        return ZF_OK;
    if (nv->type == ZF_TYPE_MONEY && val->type == ZF_TYPE_INT) {
        val->type = ZF_TYPE_MONEY;
        val->as.i *= 100;
        return ZF_OK;
    }
    if (nv->type == ZF_TYPE_ENUM &&
        (val->type == ZF_TYPE_ENUM || val->type == ZF_TYPE_STRING)) {
        const zf__enum *e = &r->to->enums[nv->enum_id];
        for (uint16_t k = 0; k < e->nvalues; k++)
            if (val->as.s && !strcmp(e->values[k], val->as.s)) {
                val->type = ZF_TYPE_ENUM;
                val->as.s = e->values[k];
                val->enum_index = k;
                return ZF_OK;
            }
        return zf__error_set(r->err, ZF_EEVAL,
                             "'%s' is not a value of enumeration '%s' of variable '%s'",
                             val->as.s ? val->as.s : "", e->id, nv->id);
    }
    if (val->type != nv->type)
        return zf__error_set(r->err, ZF_EEVAL, "variable '%s' is of type %s, got %s",
                             nv->id, zf_type_name(nv->type), zf_type_name(val->type));
    return ZF_OK;
}

static zf_code map_variables(mig_run *r) {
    const zf_migration *m = r->mig;
    zf_code rc;
    for (uint16_t v = 0; v < r->to->nvars; v++) {
        const zf__mvar *mv = &m->vars[v];
        zf_value val;
        if (mv->kind == ZF__MV_NONE)
            continue;
        if (mv->kind == ZF__MV_COPY)
            zf__instance_var_get(r->old, mv->old, &val);
        else if ((rc = zf__instance_eval(&val, r->old, &mv->expr, r->date, r->err)))
            return rc;
        if (val.type == ZF_TYPE_VOID && !mv->journaled)
            continue; /* unset before: the new default stays */
        if ((rc = convert(r, v, &val)))
            return rc;
        if (val.type == ZF_TYPE_STRING) {
            if ((rc = zf__instance_store_string(r->in, v, val.as.s, r->err)))
                return rc;
        } else
            zf__instance_var_put(r->in, v, &val);
        if (mv->journaled) {
            zf__instance_var_get(r->in, v, &val);
            if ((rc = item(r, ZF_JOURNAL_ASSIGN, v, ZF_DATE_NONE, &val)))
                return rc;
        }
    }
    for (uint16_t v = 0; v < r->to->nvars; v++)
        if (r->to->vars[v].required && !zf__bit(zf__blk_set(r->in), v))
            return zf__error_set(r->err, ZF_EINVAL,
                                 "required variable '%s' of the new version has no value",
                                 r->to->vars[v].id);
    return ZF_OK;
}

/* ---- terms ----------------------------------------------------------------- */

static zf_code end_of(mig_run *r, uint16_t t, zf__termrec *rec) {
    if (rec->status == ZF_TERM_IDLE) {
        rec->end = ZF_DATE_NONE;
        return ZF_OK;
    }
    return zf__instance_recompute_end(r->in, t, rec, NULL, &rec->end, r->err);
}

/* Trigger and length of new term t from its rule, on the migrated case. */
static zf_code from_rule(mig_run *r, uint16_t t, zf__termrec *rec, int keep_trigger) {
    const zf__termdef *td = &r->to->terms[t];
    zf_value v;
    zf_code rc;
    if (td->from.code) {
        if ((rc = zf__instance_eval(&v, r->in, &td->from, r->date, r->err)))
            return rc;
        if (v.type != ZF_TYPE_DATE)
            return zf__error_set(r->err, ZF_EEVAL,
                                 "term '%s': 'from' gives %s, not a date", td->id,
                                 zf_type_name(v.type));
        rec->trigger = v.as.date;
    } else if (!keep_trigger)
        rec->trigger = r->date;
    if ((rc = zf__instance_eval(&v, r->in, &td->length, r->date, r->err)))
        return rc;
    if (v.type != ZF_TYPE_DURATION || v.as.dur.n < 0 || v.as.dur.n > 99999)
        return zf__error_set(r->err, ZF_EEVAL, "term '%s': 'length' is not a duration",
                             td->id);
    rec->length = zf__dur_pack(v.as.dur);
    return ZF_OK;
}

static int running(const zf__termrec *rec) {
    return rec->status == ZF_TERM_RUNNING || rec->status == ZF_TERM_SUSPENDED;
}

/* Stop a running term on the migration date (an open suspension ends then). */
static void stop(mig_run *r, zf__termrec *rec) {
    if (rec->status == ZF_TERM_SUSPENDED && rec->nsusp &&
        rec->susp[rec->nsusp - 1].to == ZF_DATE_NONE)
        rec->susp[rec->nsusp - 1].to = r->date > rec->susp[rec->nsusp - 1].from
                                           ? r->date
                                           : rec->susp[rec->nsusp - 1].from;
    rec->status = ZF_TERM_STOPPED;
}

static zf_code map_term(mig_run *r, uint16_t t) {
    const zf__mterm *mt = &r->mig->terms[t];
    const zf__termdef *td = &r->to->terms[t];
    zf__termrec rec, before;
    zf_code rc;
    int active = td->scope == 0 || zf__bit(zf__blk_cfg(r->in), td->scope);
    memset(&rec, 0, sizeof rec);
    rec.status = ZF_TERM_IDLE;
    rec.trigger = rec.end = ZF_DATE_NONE;
    if (mt->old != ZF_NOIDX)
        zf__instance_term_get(r->old, mt->old, &rec);
    before = rec;
    switch ((zf__mterm_kind)mt->kind) {
    case ZF__MT_IDLE:
        return ZF_OK;
    case ZF__MT_KEEP:
        break;
    case ZF__MT_RECOMPUTE:
        if (running(&rec)) {
            if ((rc = from_rule(r, t, &rec, 1)))
                return rc;
        } else if (mt->old == ZF_NOIDX && active && !td->manual) {
            /* A new term of a state the case is in: started as entering it would. */
            if ((rc = from_rule(r, t, &rec, 0)))
                return rc;
            rec.status = ZF_TERM_RUNNING;
        }
        break;
    case ZF__MT_STOP:
        if (running(&rec))
            stop(r, &rec);
        break;
    }
    /* A term does not run in a state the case is no longer in. */
    if (running(&rec) && !active)
        stop(r, &rec);
    if ((rc = end_of(r, t, &rec)))
        return rc;
    if (rec.status == ZF_TERM_EXPIRED && rec.end >= r->date) {
        char a[ZF_DATE_BUFSIZE];
        return zf__error_set(r->err, ZF_EREJECTED,
                             "term '%s' has expired, but under the new version its last "
                             "day would be %s: stop it in the migration",
                             td->id, zf_date_format(a, rec.end));
    }
    if (zf__instance_term_put(r->in, t, &rec))
        return zf__error_set(
            r->err, ZF_EINVAL,
            "term '%s' of the new version cannot hold the suspensions or "
            "extensions of the old term",
            td->id);
    if (rec.status == ZF_TERM_STOPPED && running(&before))
        return item(r, ZF_JOURNAL_TERM_STOPPED, t, r->date, NULL);
    if (running(&rec) && !running(&before))
        return item(r, ZF_JOURNAL_TERM_STARTED, t, rec.end, NULL);
    if (running(&rec) && rec.end != before.end) {
        zf_value was = zf_value_date(before.end);
        return item(r, ZF_JOURNAL_TERM_MOVED, t, rec.end, &was);
    }
    return ZF_OK;
}

/* ---- the whole migration ----------------------------------------------------- */

static zf_code check_args(const zf_instance *inst, const zf_migration *mig,
                          const zf_definition *to, zf_date date, zf_error *err) {
    char a[ZF_DATE_BUFSIZE], b[ZF_DATE_BUFSIZE];
    if (!zf__ok_instance(inst))
        return zf__error_set(err, ZF_EINVAL, "invalid instance");
    if (!zf__ok_migration(mig))
        return zf__error_set(err, ZF_EINVAL, "invalid migration");
    if (!zf__ok_definition(to))
        return zf__error_set(err, ZF_EINVAL, "invalid definition");
    if (strcmp(inst->def->hash, mig->from_hash))
        return zf__error_set(err, ZF_EINVAL,
                             "the case runs on %s %s (hash %.8s…), but the migration is "
                             "from %s %s (hash %.8s…)",
                             inst->def->id, inst->def->version ? inst->def->version : "",
                             inst->def->hash, mig->from_id, mig->from_version,
                             mig->from_hash);
    if (strcmp(to->hash, mig->to_hash))
        return zf__error_set(err, ZF_EINVAL,
                             "to is %s %s (hash %.8s…), but the migration is to %s %s "
                             "(hash %.8s…)",
                             to->id, to->version ? to->version : "", to->hash, mig->to_id,
                             mig->to_version, mig->to_hash);
    if (!zf_date_valid(date))
        return zf__error_set(err, ZF_EINVAL, "invalid migration date");
    if (date < zf__blk_hdr(inst)->today)
        return zf__error_set(
            err, ZF_EINVAL, "migration date %s is before the case date %s",
            zf_date_format(a, date), zf_date_format(b, zf__blk_hdr(inst)->today));
    for (uint16_t t = 0; t < inst->def->nterms; t++) {
        const zf__tslot *ts = &zf__blk_terms(inst)[t];
        if (ts->status == ZF_TERM_RUNNING && ts->end < date)
            return zf__error_set(err, ZF_EREJECTED,
                                 "term '%s' ran out on %s, before the migration date: "
                                 "advance the case to %s first",
                                 inst->def->terms[t].id, zf_date_format(a, ts->end),
                                 zf_date_format(b, date));
    }
    return ZF_OK;
}

static zf_code run_migration(mig_run *r, const char *actor) {
    const zf_migration *m = r->mig;
    zf__shdr *h = zf__blk_hdr(r->in);
    char pv[600];
    zf_value to;
    zf_code rc;
    if (zf__blk_hdr(r->old)->seq == UINT32_MAX)
        return zf__error_set(
            r->err, ZF_ELIMIT,
            "the case has run %lu steps: no further step can be numbered",
            (unsigned long)UINT32_MAX);
    if (r->journal && r->journal != &r->in->aux->journal) {
        /* journal off: only the migration's entry, kept after the old journal */
    } else if (r->journal && zf_instance_journal_count(r->old) >= r->in->max_journal)
        return zf__error_set(r->err, ZF_ELIMIT,
                             "the journal has %lu entries, its limit "
                             "(zf_instance_options.max_journal)",
                             (unsigned long)r->in->max_journal);
    h->today = r->date;
    h->seq = zf__blk_hdr(r->old)->seq + 1;
    if ((rc = map_states(r)))
        return rc;
    if (r->journal) {
        if ((rc = copy_journal(r)) ||
            (rc = jnl(r, zf__log_entry(r->journal, h->seq, r->date, ZF_NOIDX, actor))) ||
            (rc = journal_states(r, 0)))
            return rc;
        for (uint16_t v = 0; v < m->nold_vars; v++)
            if (m->old_var_dropped[v] &&
                (rc = item_old(r, ZF_JOURNAL_ASSIGN, r->from->vars[v].id, ZF_DATE_NONE)))
                return rc;
        for (uint16_t t = 0; t < m->nold_terms; t++) {
            zf__termrec rec;
            zf__instance_term_get(r->old, t, &rec);
            if (m->old_term_stopped[t] && running(&rec) &&
                (rc =
                     item_old(r, ZF_JOURNAL_TERM_STOPPED, r->from->terms[t].id, r->date)))
                return rc;
        }
        snprintf(pv, sizeof pv, "%s@%s", r->to->id, r->to->version ? r->to->version : "");
        to = zf_value_string(pv);
        snprintf(pv + 300, 300, "%s@%s", r->from->id,
                 r->from->version ? r->from->version : "");
        if ((rc = jnl(r, zf__log_put(r->journal, ZF_JOURNAL_MIGRATED, ZF_NOIDX, pv + 300,
                                     m->basis, ZF_DATE_NONE, &to, ZF__TEXT_COPY))) ||
            (rc = journal_states(r, 1)))
            return rc;
    }
    if ((rc = map_variables(r)))
        return rc;
    for (uint16_t t = 0; t < r->to->nterms; t++)
        if ((rc = map_term(r, t)))
            return rc;
    return ZF_OK;
}

zf_code zf_instance_migrate(zf_instance **out, const zf_instance *inst,
                            const zf_migration *mig, const zf_definition *to,
                            zf_date date, const char *actor, zf_error *err) {
    zf_instance_options opts = ZF_INSTANCE_OPTIONS_INIT;
    mig_run r;
    zf__log scratch;
    size_t nstr = 0;
    zf_code rc;
    zf_error_clear(err);
    if (!out)
        return zf__error_set(err, ZF_EINVAL, "out is NULL");
    *out = NULL;
    if ((rc = check_args(inst, mig, to, date, err)))
        return rc;
    /* The same journal setting and limits; room for the old case's text at least. */
    for (uint16_t v = 0; v < to->nvars; v++)
        nstr += to->vars[v].type == ZF_TYPE_STRING;
    opts.journal = inst->journal_on;
    opts.string_capacity = inst->str_cap > 256 * nstr ? inst->str_cap : 0;
    opts.max_snapshot = inst->max_snapshot;
    opts.max_journal = inst->max_journal;
    memset(&r, 0, sizeof r);
    r.old = inst;
    r.mig = mig;
    r.from = inst->def;
    r.to = to;
    r.date = date;
    r.err = err;
    if ((rc = zf__instance_alloc(&r.in, to, &opts, err)))
        return rc;
    memset(&scratch, 0, sizeof scratch);
    /* The host key (snapshots of the case stay sealed with it) and, with the journal
       off, the journal a restore kept: both go with the case. */
    if (inst->aux && (inst->aux->key || inst->aux->kept) && !r.in->aux &&
        !(r.in->aux = zf__aux_new()))
        rc = zf__error_set(err, ZF_ENOMEM, NULL);
    if (!rc && inst->aux && inst->aux->key) {
        if (!(r.in->aux->key = zf__malloc(64)))
            rc = zf__error_set(err, ZF_ENOMEM, NULL);
        else
            memcpy(r.in->aux->key, inst->aux->key, 64);
    }
    if (r.in->journal_on)
        r.journal = &r.in->aux->journal;
    else if (inst->aux && inst->aux->kept)
        r.journal = &scratch; /* the migration's entry, kept after the old journal */
    if (!rc)
        rc = run_migration(&r, actor);
    if (!rc && r.journal == &scratch &&
        zf__snapshot_keep_entry(r.in, inst, &scratch, scratch.nentries - 1) != ZF_OK)
        rc = zf__error_set(err, ZF_ENOMEM, NULL);
    zf__log_dispose(&scratch);
    if (rc) {
        zf_instance_free(r.in);
        return rc;
    }
    *out = r.in;
    return ZF_OK;
}
