/* Changing cases: start, fire, advance and expire, each one transaction that
 * writes the case row, its journal entries, its due rows, its outbox items and
 * the cases its spawn effects start.
 *
 * A step runs on two instances of the case restored from the same stored
 * form: one with the journal on, which then holds exactly the entries of this
 * step (the journal of the earlier ones is in the journal table), and one with
 * the journal off, whose snapshot is stored. The engine is deterministic, so
 * both end in the same state; the test build checks that they do. */
#include "store_int.h"

#include <stdio.h>
#include <string.h>

/* Spawned cases that spawn cases in turn: a chain this deep is a loop. */
#define MAX_SPAWN_DEPTH 16
/* Retries of a step that found its case changed under it (any revision). */
#define MAX_RETRIES 5

/* ---- a case at work ------------------------------------------------------------ */

typedef struct work {
    zf_instance *j; /* journal on: the entries of this step */
    zf_instance *s; /* journal off: the state stored */
} work;

static void work_free(work *w) {
    zf_instance_free(w->j);
    zf_instance_free(w->s);
    w->j = w->s = NULL;
}

zf_code zs_restore(zf_instance **out, const zf_definition *def, const zs_rows *r,
                   size_t snap_col, int journal, zf_error *err) {
    zf_instance_options o = ZF_INSTANCE_OPTIONS_INIT;
    const zs_val *x = zs_cell(r, 0, snap_col), *c = zs_cell(r, 0, snap_col + 1);
    zf_code rc;
    o.journal = journal;
    *out = NULL;
    /* The compact form restores in a microsecond or two; the XML snapshot is the
       source of truth: a compact form this library cannot read (another format
       version, damage) is passed over, and the next step writes it anew. */
    if (c->kind == ZS_BLOB) {
        zf_error e;
        zf_error_clear(&e);
        if ((rc = zf_instance_unpack(out, def, c->p, c->len, &o, &e)) == ZF_OK)
            return ZF_OK;
        if (rc != ZF_ESNAPSHOT)
            return zs_error(err, rc, "%s", e.message);
    }
    if (x->kind != ZS_TEXT)
        return zs_error(err, ZF_EDATABASE, "the case has no snapshot");
    return zf_instance_restore(out, def, x->p, x->len, &o, err);
}

static zf_code work_restore(work *w, const zf_definition *def, const zs_rows *r,
                            size_t snap_col, zf_error *err) {
    zf_code rc;
    w->j = w->s = NULL;
    if ((rc = zs_restore(&w->j, def, r, snap_col, 1, err)) ||
        (rc = zs_restore(&w->s, def, r, snap_col, 0, err))) {
        work_free(w);
        return rc;
    }
    return ZF_OK;
}

#ifdef ZF_TESTING
/* The length of a snapshot's state: what comes before its journal (or, without
   one, its integrity line). */
static size_t state_len(const zf_buf *b) {
    const char *j = strstr(b->ptr, "\n  <journal"), *i = strstr(b->ptr, "\n  <integrity");
    const char *end = j && (!i || j < i) ? j : i;
    return end ? (size_t)(end - b->ptr) : b->size;
}

/* Both instances of a step must end in the same state: their snapshots agree up
   to the journal, which only one of them has. */
static int same_state(const work *w) {
    zf_buf a = ZF_BUF_INIT, b = ZF_BUF_INIT;
    int same = 1; /* out of memory in the check itself: nothing to compare */
    if (zf_instance_snapshot(&a, w->j, NULL) == ZF_OK &&
        zf_instance_snapshot(&b, w->s, NULL) == ZF_OK)
        same = state_len(&a) == state_len(&b) && memcmp(a.ptr, b.ptr, state_len(&a)) == 0;
    zf_buf_dispose(&a);
    zf_buf_dispose(&b);
    return same;
}
#endif

/* ---- writing a step --------------------------------------------------------------- */

typedef struct summary {
    zf_buf active, snap, compact;
    char date[ZF_DATE_BUFSIZE], due[ZF_DATE_BUFSIZE];
    const char *next_term;
    zs_val v_date, v_due;
} summary;

/* What a step stores must read back (store_int.h). */
zf_code zs_read_back(const zf_buf *snap, const zf_buf *compact, const zf_instance *s,
                     zf_error *err) {
    zf_instance_options o = ZF_INSTANCE_OPTIONS_INIT;
    zf_instance *back = NULL, *fast = NULL;
    zf_buf again = ZF_BUF_INIT;
    const zf_definition *def = zf_instance_definition(s);
    zf_error e;
    zf_code rc;
    o.journal = 0;
    zf_error_clear(&e);
    /* The strict reader accepts only the bytes the writer writes for what it
       read: a snapshot it restores writes itself back. */
    rc = zf_instance_restore(&back, def, snap->ptr, snap->size, &o, &e);
    if (rc == ZF_OK)
        rc = zf_instance_pack(&again, back, &e);
    /* The compact form holds the same case: the same bytes, or (one case can
       pack in two ways, e.g. a kept journal whose last gap is still open, and
       the same read back) the same snapshot. */
    if (rc == ZF_OK && (again.size != compact->size ||
                        memcmp(again.ptr, compact->ptr, again.size) != 0)) {
        zf_buf_clear(&again);
        rc = zf_instance_unpack(&fast, def, compact->ptr, compact->size, &o, &e);
        if (rc == ZF_OK)
            rc = zf_instance_snapshot(&again, fast, &e);
        if (rc == ZF_OK &&
            (again.size != snap->size || memcmp(again.ptr, snap->ptr, again.size) != 0))
            rc = zs_error(&e, ZF_ESNAPSHOT, "its compact form holds another case");
    }
    if (rc == ZF_ENOMEM)
        rc = zs_error(err, ZF_ENOMEM, NULL);
    else if (rc != ZF_OK)
        rc = zs_error(err, ZF_ESNAPSHOT, "the case's snapshot does not read back: %s",
                      e.message);
    zf_instance_free(back);
    zf_instance_free(fast);
    zf_buf_dispose(&again);
    return rc;
}

static zf_code summarise(summary *m, const zf_instance *s, zf_error *err) {
    zf_code rc = ZF_OK;
    zf_date due;
    memset(m, 0, sizeof *m);
    for (size_t i = 0; i < zf_instance_active_count(s) && rc == ZF_OK; i++) {
        if (i)
            rc = zf_buf_put(&m->active, " ", 1);
        if (rc == ZF_OK)
            rc = zf_buf_puts(&m->active, zf_instance_active_id(s, i));
    }
    if (rc == ZF_OK && !m->active.ptr)
        rc = zf_buf_puts(&m->active, "");
    if (rc != ZF_OK)
        return zs_error(err, rc, NULL);
    if ((rc = zf_instance_snapshot(&m->snap, s, err)) ||
        (rc = zf_instance_pack(&m->compact, s, err)) ||
        (rc = zs_read_back(&m->snap, &m->compact, s, err)))
        return rc;
    due = zf_instance_next_due(s, &m->next_term);
    m->v_date = zs_date(zf_instance_date(s), m->date);
    m->v_due = zs_date(due, m->due);
    return ZF_OK;
}

static void summary_dispose(summary *m) {
    zf_buf_dispose(&m->active);
    zf_buf_dispose(&m->snap);
    zf_buf_dispose(&m->compact);
}

static zf_code write_journal(zf_store *st, int64_t id, int64_t rev, const zf_instance *j,
                             zf_store_step *step, zf_error *err) {
    zf_buf items = ZF_BUF_INIT;
    zf_code rc = ZF_OK;
    size_t n = zf_instance_journal_count(j);
    for (size_t i = 0; i < n && rc == ZF_OK; i++) {
        zf_journal_entry e;
        zs_val p[7];
        char dbuf[ZF_DATE_BUFSIZE];
        zf_instance_journal_entry(&e, j, i, NULL);
        zf_buf_clear(&items);
        if ((rc = zs_json_items(&items, j, i))) {
            zs_error(err, rc, NULL);
            break;
        }
        for (size_t k = 0; k < e.nitems; k++) {
            zf_journal_item it;
            if (zf_instance_journal_item(&it, j, i, k, NULL) == ZF_OK &&
                it.kind == ZF_JOURNAL_TERM_EXPIRED)
                step->expired++;
        }
        p[0] = zs_int(id);
        p[1] = zs_int(e.seq);
        p[2] = zs_int(rev);
        p[3] = zs_date(e.date, dbuf);
        p[4] = zs_text(e.event);
        p[5] = zs_text(e.actor);
        p[6] = zs_text(items.ptr);
        rc = zs_run(st, ZS_JOURNAL_INSERT, p, 7, NULL, NULL, err);
        step->entries++;
    }
    zf_buf_dispose(&items);
    return rc;
}

static zf_code write_due(zf_store *st, int64_t id, int fresh, const zf_instance *s,
                         zf_error *err) {
    const zf_definition *def = zf_instance_definition(s);
    zs_val key = zs_int(id);
    zf_code rc = ZF_OK;
    if (!fresh && (rc = zs_run(st, ZS_DUE_DELETE, &key, 1, NULL, NULL, err)))
        return rc;
    if (zf_instance_finished(s))
        return ZF_OK;
    for (size_t i = 0; i < zf_instance_term_count(s) && rc == ZF_OK; i++) {
        zf_term_info ti;
        zs_val p[8];
        char dbuf[ZF_DATE_BUFSIZE];
        /* Only running terms can expire; a suspended one waits for its resumption. */
        if (zf_instance_term(&ti, s, i, NULL) != ZF_OK || ti.status != ZF_TERM_RUNNING)
            continue;
        p[0] = key;
        p[1] = zs_text(ti.id);
        p[2] = zs_int((int64_t)i);
        p[3] = zs_text(zf_definition_id(def));
        p[4] = zs_date(ti.end, dbuf);
        p[5] = zs_text(ti.party); /* who must act: the term's party, if declared */
        p[6] = zs_text(ti.title);
        p[7] = zs_text(ti.basis);
        rc = zs_run(st, ZS_DUE_INSERT, p, 8, NULL, NULL, err);
    }
    return rc;
}

static zf_code start_case(zf_store *st, const zf_definition *def, zf_date date,
                          const zf_param_value *vars, size_t nvars, int64_t parent,
                          const char *relation, int depth, int64_t *id_out,
                          zf_store_step *step, zf_error *err);

/* The payload of an outbox item: the effect as one JSON object. */
static zf_code payload_of(zf_buf *out, const zf_instance *j, size_t i, const zf_effect *e,
                          const char *key, int64_t id, int64_t spawned) {
    zf_code rc = ZF_OK;
    zf_buf tmp = ZF_BUF_INIT;
    char dbuf[ZF_DATE_BUFSIZE];
    rc = zf_buf_puts(out, "{\"kind\":");
    zs_json_string(out, e->kind == ZF_EFFECT_SPAWN ? "spawn" : "notify", &rc);
    if (rc == ZF_OK)
        rc = zf_buf_puts(out, ",\"key\":");
    zs_json_string(out, key, &rc);
    if (rc == ZF_OK)
        rc = zf_buf_printf(out, ",\"case\":%lld,\"date\":", (long long)id);
    zs_json_string(out, zf_date_format(dbuf, e->date), &rc);
    if (e->kind == ZF_EFFECT_NOTIFY) {
        if (rc == ZF_OK)
            rc = zf_buf_puts(out, ",\"to\":");
        zs_json_string(out, e->to, &rc);
        if (rc == ZF_OK)
            rc = zf_buf_puts(out, ",\"text\":");
        zs_json_string(out, e->text, &rc);
    } else {
        if (rc == ZF_OK)
            rc = zf_buf_puts(out, ",\"process\":");
        zs_json_string(out, e->process, &rc);
        if (rc == ZF_OK)
            rc = zf_buf_puts(out, ",\"relation\":");
        zs_json_string(out, e->relation, &rc);
        if (rc == ZF_OK)
            rc = zf_buf_printf(out, ",\"spawned\":%lld,\"params\":{", (long long)spawned);
        for (size_t k = 0; k < e->nparams && rc == ZF_OK; k++) {
            zf_param_value pv;
            if (zf_instance_effect_param(&pv, j, i, k, NULL) != ZF_OK)
                continue;
            if (k)
                rc = zf_buf_put(out, ",", 1);
            zs_json_string(out, pv.name, &rc);
            if (rc == ZF_OK)
                rc = zf_buf_put(out, ":", 1);
            zf_buf_clear(&tmp);
            if (rc == ZF_OK)
                rc = zf_value_format(&tmp, &pv.value, NULL);
            zs_json_string(out, tmp.ptr ? tmp.ptr : "", &rc);
        }
        if (rc == ZF_OK)
            rc = zf_buf_put(out, "}", 1);
    }
    if (rc == ZF_OK)
        rc = zf_buf_put(out, "}", 1);
    zf_buf_dispose(&tmp);
    return rc;
}

/* The effects of the step: outbox items, and the cases spawn effects start. */
static zf_code write_effects(zf_store *st, int64_t id, int64_t rev, const zf_instance *j,
                             int depth, zf_store_step *step, zf_error *err) {
    zf_buf payload = ZF_BUF_INIT;
    zf_param_value *params = NULL;
    zf_code rc = ZF_OK;
    for (size_t i = 0; i < zf_instance_effect_count(j) && rc == ZF_OK; i++) {
        zf_effect e;
        int64_t spawned = 0;
        char key[64], dbuf[ZF_DATE_BUFSIZE];
        zs_val p[11];
        if ((rc = zf_instance_effect(&e, j, i, NULL)))
            break;
        snprintf(key, sizeof key, "%lld/%lld/%zu", (long long)id, (long long)rev, i);
        if (e.kind == ZF_EFFECT_SPAWN) {
            const zf_definition *cdef;
            if (depth >= MAX_SPAWN_DEPTH) {
                rc = zs_error(err, ZF_ELIMIT, "spawned cases nested more than %d deep",
                              MAX_SPAWN_DEPTH);
                break;
            }
            /* The version valid on the day of the spawn (zf_registry_follow()). */
            if ((rc = zs_pick(&cdef, st, e.process, e.date, err))) {
                if (rc == ZF_ENOTFOUND || rc == ZF_ESEMANTIC) {
                    char why[sizeof err->message];
                    snprintf(why, sizeof why, "%s", err ? err->message : "");
                    zf_error_clear(err);
                    rc = zs_error(err, rc, "case %lld spawns a '%s' case: %s",
                                  (long long)id, e.process, why);
                }
                break;
            }
            zs_free(params);
            params = zs_calloc(e.nparams ? e.nparams : 1, sizeof *params);
            if (!params) {
                rc = zs_error(err, ZF_ENOMEM, NULL);
                break;
            }
            for (size_t k = 0; k < e.nparams; k++)
                zf_instance_effect_param(&params[k], j, i, k, NULL);
            if ((rc = start_case(st, cdef, e.date, params, e.nparams, id, e.relation,
                                 depth + 1, &spawned, step, err)))
                break;
            step->spawned++;
        }
        zf_buf_clear(&payload);
        if ((rc = payload_of(&payload, j, i, &e, key, id, spawned))) {
            zs_error(err, rc, NULL);
            break;
        }
        p[0] = zs_int(id);
        p[1] = zs_int(rev);
        p[2] = zs_text(key);
        p[3] = zs_text(e.kind == ZF_EFFECT_SPAWN ? "spawn" : "notify");
        p[4] = zs_date(e.date, dbuf);
        p[5] = zs_text(e.kind == ZF_EFFECT_NOTIFY ? e.to : NULL);
        p[6] = zs_text(e.kind == ZF_EFFECT_NOTIFY ? e.text : NULL);
        p[7] = zs_text(e.kind == ZF_EFFECT_SPAWN ? e.process : NULL);
        p[8] = zs_text(e.kind == ZF_EFFECT_SPAWN ? e.relation : NULL);
        p[9] = spawned ? zs_int(spawned) : zs_null();
        p[10] = zs_text(payload.ptr);
        if ((rc = zs_run(st, ZS_OUTBOX_INSERT, p, 11, NULL, NULL, err)))
            break;
        step->effects++;
    }
    zs_free(params);
    zf_buf_dispose(&payload);
    return rc;
}

/* Start a case and write everything of it (inside an open operation). */
static zf_code start_case(zf_store *st, const zf_definition *def, zf_date date,
                          const zf_param_value *vars, size_t nvars, int64_t parent,
                          const char *relation, int depth, int64_t *id_out,
                          zf_store_step *step, zf_error *err) {
    zf_instance_options oj = ZF_INSTANCE_OPTIONS_INIT, os = ZF_INSTANCE_OPTIONS_INIT;
    work w = {NULL, NULL};
    summary m;
    zs_rows r;
    zs_val p[13];
    char started[ZF_DATE_BUFSIZE];
    int64_t id = 0;
    zf_code rc;
    oj.journal = 1;
    os.journal = 0;
    zs_rows_init(&r);
    memset(&m, 0, sizeof m);
    if ((rc = zf_instance_new(&w.j, def, date, vars, nvars, &oj, err)))
        return rc;
    if ((rc = zf_instance_new(&w.s, def, date, vars, nvars, &os, err)))
        goto done;
#ifdef ZF_TESTING
    if (!same_state(&w)) {
        rc = zs_error(err, ZF_EDATABASE, "the journaled and the stored case differ");
        goto done;
    }
#endif
    if ((rc = summarise(&m, w.s, err)))
        goto done;
    p[0] = zs_text(zf_definition_id(def));
    p[1] = zs_text(zf_definition_hash(def));
    p[2] = zs_date(date, started);
    p[3] = m.v_date;
    p[4] = zs_text(m.active.ptr);
    p[5] = zs_int(zf_instance_finished(w.s));
    p[6] = zs_text(zf_instance_outcome(w.s));
    p[7] = m.v_due;
    p[8] = zs_text(m.next_term);
    p[9] = parent ? zs_int(parent) : zs_null();
    p[10] = zs_text(parent ? relation : NULL);
    p[11] = zs_text(m.snap.ptr);
    p[12] = zs_blob(m.compact.ptr, m.compact.size);
    if ((rc = zs_run(st, ZS_CASE_INSERT, p, 13, &r, NULL, err)))
        goto done;
    if (r.nrows != 1) {
        rc = zs_error(err, ZF_EDATABASE, "the new case got no id");
        goto done;
    }
    id = zs_cell_int(&r, 0, 0);
    if ((rc = write_journal(st, id, 1, w.j, step, err)) ||
        (rc = write_due(st, id, 1, w.s, err)) ||
        (rc = write_effects(st, id, 1, w.j, depth, step, err)))
        goto done;
    *id_out = id;
done:
    zs_rows_dispose(&r);
    summary_dispose(&m);
    work_free(&w);
    return rc;
}

static zf_code check_out(zf_store_step *out, zf_store *st, zf_error *err) {
    zf_error_clear(err);
    if (!out)
        return zs_error(err, ZF_EINVAL, "out is NULL");
    memset(out, 0, sizeof *out);
    if (!zs_store_ok(st))
        return zs_bad_store(err);
    if (st->op_depth)
        return zs_error(err, ZF_EINVAL, "the store is busy with another operation");
    return ZF_OK;
}

zf_code zf_store_start(zf_store_step *out, zf_store *st, const char *process,
                       zf_date date, const zf_param_value *vars, size_t nvars,
                       zf_error *err) {
    const zf_definition *def;
    zf_store_step step;
    zf_code rc;
    if ((rc = check_out(out, st, err)))
        return rc;
    if (!process)
        return zs_error(err, ZF_EINVAL, "process is NULL");
    if (nvars && !vars)
        return zs_error(err, ZF_EINVAL, "vars is NULL");
    if (!zf_date_valid(date))
        return zs_error(err, ZF_EINVAL, "date is not a valid date");
    memset(&step, 0, sizeof step);
    if ((rc = zs_op_begin(st, 1, err)))
        return rc;
    if ((rc = zs_pick(&def, st, process, date, err)) ||
        (rc = start_case(st, def, date, vars, nvars, 0, NULL, 0, &step.case_id, &step,
                         err)) ||
        (rc = zs_op_commit(st, err))) {
        zs_op_rollback(st);
        return rc;
    }
    step.revision = 1;
    *out = step;
    return ZF_OK;
}

/* ---- changing a stored case -----------------------------------------------------------
 */

typedef enum change_kind { CH_FIRE, CH_ADVANCE, CH_EXPIRE } change_kind;

typedef struct change {
    change_kind kind;
    zf_date date; /* fire, advance: the date; expire: until */
    const char *event;
    const zf_actor *actor;
    const zf_param_value *params;
    size_t nparams;
} change;

static zf_code apply(zf_instance *inst, const change *c, zf_error *err) {
    switch (c->kind) {
    case CH_FIRE:
        return zf_instance_fire(inst, c->event, c->date, c->actor, c->params, c->nparams,
                                err);
    case CH_ADVANCE:
        return zf_instance_advance(inst, c->date, err);
    default: {
        /* Expire what is due before `until`, each on the day after its last day,
           and move the case date no further than that. */
        zf_date d;
        int guard = 0;
        while ((d = zf_instance_next_due(inst, NULL)) != ZF_DATE_NONE && d < c->date) {
            zf_date to = d + 1 > zf_instance_date(inst) ? d + 1 : zf_instance_date(inst);
            zf_code rc;
            if (++guard > 100000)
                return zs_error(err, ZF_ELIMIT, "terms keep expiring");
            if ((rc = zf_instance_advance(inst, to, err)))
                return rc;
        }
        return ZF_OK;
    }
    }
}

static int nothing_due(const zs_rows *r, zf_date until) {
    zf_date due = zs_cell_date(r, 0, 10);
    return due == ZF_DATE_NONE || due >= until;
}

/* One attempt: load the case (locked against other writers where the database
   can), check the revision, run the change on it and write the step. */
static zf_code change_once(zf_store_step *step, zf_store *st, int64_t id,
                           int64_t revision, const change *c, zf_error *err) {
    zs_rows r;
    zs_val key = zs_int(id);
    work w = {NULL, NULL};
    summary m;
    const zf_definition *def;
    int64_t rev, changes = 0;
    zf_code rc;
    memset(&m, 0, sizeof m);
    zs_rows_init(&r);
    if ((rc = zs_op_begin(st, 1, err)))
        return rc;
    if ((rc = zs_run(st, ZS_CASE_LOCK, &key, 1, &r, NULL, err)))
        goto fail;
    if (r.nrows == 0) {
        rc = zs_error(err, ZF_ENOTFOUND, "no case %lld", (long long)id);
        goto fail;
    }
    rev = zs_cell_int(&r, 0, 1);
    step->case_id = id;
    step->revision = rev;
    if (revision != ZF_STORE_ANY_REVISION && rev != revision) {
        rc = zs_error(err, ZF_ECONFLICT,
                      "case %lld was changed by someone else: it is at revision %lld, "
                      "not %lld",
                      (long long)id, (long long)rev, (long long)revision);
        goto fail;
    }
    if (c->kind == CH_EXPIRE && nothing_due(&r, c->date)) {
        /* Someone else brought it up to date: only give the claim back. */
        zs_val p[2] = {key, zs_text(st->owner)};
        if ((rc = zs_run(st, ZS_CASE_RELEASE, p, 2, NULL, NULL, err)))
            goto fail;
        zs_rows_dispose(&r);
        return zs_op_commit(st, err);
    }
    if ((rc = zs_definition(&def, st, zs_cell_text(&r, 0, 4), err)) ||
        (rc = work_restore(&w, def, &r, ZS_COL_SNAPSHOT, err)))
        goto fail;
    if ((rc = apply(w.j, c, err)))
        goto fail;
    if ((rc = apply(w.s, c, err))) {
        /* The same change on the same state cannot fail on one copy only. */
        goto fail;
    }
#ifdef ZF_TESTING
    if (!same_state(&w)) {
        rc = zs_error(err, ZF_EDATABASE, "the journaled and the stored case differ");
        goto fail;
    }
#endif
    if ((rc = summarise(&m, w.s, err)))
        goto fail;
    {
        zs_val p[10];
        p[0] = m.v_date;
        p[1] = zs_text(m.active.ptr);
        p[2] = zs_int(zf_instance_finished(w.s));
        p[3] = zs_text(zf_instance_outcome(w.s));
        p[4] = m.v_due;
        p[5] = zs_text(m.next_term);
        p[6] = zs_text(m.snap.ptr);
        p[7] = zs_blob(m.compact.ptr, m.compact.size);
        p[8] = key;
        p[9] = zs_int(rev);
        if ((rc = zs_run(st, ZS_CASE_UPDATE, p, 10, NULL, &changes, err)))
            goto fail;
    }
    if (changes != 1) {
        rc = zs_error(err, ZF_ECONFLICT,
                      "case %lld was changed by someone else while it was being changed",
                      (long long)id);
        goto fail;
    }
    step->revision = rev + 1;
    if ((rc = write_journal(st, id, rev + 1, w.j, step, err)) ||
        (rc = write_due(st, id, 0, w.s, err)) ||
        (rc = write_effects(st, id, rev + 1, w.j, 0, step, err)))
        goto fail;
    summary_dispose(&m);
    work_free(&w);
    zs_rows_dispose(&r);
    return zs_op_commit(st, err);
fail:
    zs_op_rollback(st);
    summary_dispose(&m);
    work_free(&w);
    zs_rows_dispose(&r);
    return rc;
}

static zf_code change_case(zf_store_step *out, zf_store *st, int64_t id, int64_t revision,
                           const change *c, zf_error *err) {
    zf_code rc;
    for (int attempt = 0;; attempt++) {
        zf_store_step step;
        memset(&step, 0, sizeof step);
        rc = change_once(&step, st, id, revision, c, err);
        if (rc == ZF_OK) {
            *out = step;
            return ZF_OK;
        }
        /* A change to the case as it is now can simply run again. */
        if (rc != ZF_ECONFLICT || revision != ZF_STORE_ANY_REVISION ||
            attempt + 1 >= MAX_RETRIES)
            return rc;
        zf_error_clear(err);
    }
}

zf_code zf_store_fire(zf_store_step *out, zf_store *st, int64_t id, int64_t revision,
                      const char *event, zf_date date, const zf_actor *actor,
                      const zf_param_value *params, size_t nparams, zf_error *err) {
    change c = {CH_FIRE, date, event, actor, params, nparams};
    zf_code rc;
    if ((rc = check_out(out, st, err)))
        return rc;
    if (!event)
        return zs_error(err, ZF_EINVAL, "event is NULL");
    if (nparams && !params)
        return zs_error(err, ZF_EINVAL, "params is NULL");
    return change_case(out, st, id, revision, &c, err);
}

zf_code zf_store_advance(zf_store_step *out, zf_store *st, int64_t id, int64_t revision,
                         zf_date date, zf_error *err) {
    change c = {CH_ADVANCE, date, NULL, NULL, NULL, 0};
    zf_code rc;
    if ((rc = check_out(out, st, err)))
        return rc;
    return change_case(out, st, id, revision, &c, err);
}

zf_code zf_store_expire(zf_store_step *out, zf_store *st, int64_t id, zf_date until,
                        zf_error *err) {
    change c = {CH_EXPIRE, until, NULL, NULL, NULL, 0};
    zf_code rc;
    if ((rc = check_out(out, st, err)))
        return rc;
    if (!zf_date_valid(until))
        return zs_error(err, ZF_EINVAL, "until is not a valid date");
    return change_case(out, st, id, ZF_STORE_ANY_REVISION, &c, err);
}
