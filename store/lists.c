/* Reading: a case, lists of cases, journals, the due report, claims of due
 * work and the worker loop, and the outbox. */
#include "store_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef enum list_kind { L_CASES, L_DUE, L_OUTBOX, L_JOURNAL } list_kind;

struct zf_store_list {
    list_kind kind;
    zs_rows rows; /* the strings of the rows point into it */
    size_t n;
    zf_store_case_info *cases;
    zf_store_due_item *due;
    zf_store_outbox_item *outbox;
    zf_store_journal_entry *journal;
    zf_journal_item **items; /* per journal entry */
};

struct zf_store_case {
    zs_rows rows;
    zf_store_case_info info;
    zf_instance *inst;
};

static int64_t limit_of(size_t limit) {
    return limit == 0 || limit > (size_t)INT64_MAX ? INT64_MAX : (int64_t)limit;
}

static void fill_case(zf_store_case_info *ci, const zs_rows *r, size_t row) {
    ci->id = zs_cell_int(r, row, 0);
    ci->revision = zs_cell_int(r, row, 1);
    ci->process = zs_cell_text(r, row, 2);
    ci->version = zs_cell_text(r, row, 3);
    ci->hash = zs_cell_text(r, row, 4);
    ci->started = zs_cell_date(r, row, 5);
    ci->date = zs_cell_date(r, row, 6);
    ci->active = zs_cell_text(r, row, 7);
    ci->finished = zs_cell_int(r, row, 8) != 0;
    ci->outcome = zs_cell_text(r, row, 9);
    ci->next_due = zs_cell_date(r, row, 10);
    ci->next_term = zs_cell_text(r, row, 11);
    ci->parent = zs_cell_int(r, row, 12);
    ci->relation = zs_cell_text(r, row, 13);
}

static void fill_outbox(zf_store_outbox_item *o, const zs_rows *r, size_t row) {
    const char *kind = zs_cell_text(r, row, 4);
    o->id = zs_cell_int(r, row, 0);
    o->case_id = zs_cell_int(r, row, 1);
    o->revision = zs_cell_int(r, row, 2);
    o->key = zs_cell_text(r, row, 3);
    o->kind = kind && strcmp(kind, "spawn") == 0 ? ZF_EFFECT_SPAWN : ZF_EFFECT_NOTIFY;
    o->date = zs_cell_date(r, row, 5);
    o->to = zs_cell_text(r, row, 6);
    o->text = zs_cell_text(r, row, 7);
    o->process = zs_cell_text(r, row, 8);
    o->relation = zs_cell_text(r, row, 9);
    o->spawned = zs_cell_int(r, row, 10);
    o->payload = zs_cell_text(r, row, 11);
    o->status = zs_cell_text(r, row, 12);
    o->attempts = (int)zs_cell_int(r, row, 13);
    o->error = zs_cell_text(r, row, 14);
}

void zf_store_list_free(zf_store_list *l) {
    if (!l)
        return;
    if (l->items)
        for (size_t i = 0; i < l->n; i++)
            zs_free(l->items[i]);
    zs_free(l->items);
    zs_free(l->cases);
    zs_free(l->due);
    zs_free(l->outbox);
    zs_free(l->journal);
    zs_rows_dispose(&l->rows);
    zs_free(l);
}

/* Make a list of `kind` from rows (taken over). */
static zf_code make_list(zf_store_list **out, list_kind kind, zs_rows *rows,
                         zf_error *err) {
    zf_store_list *l = zs_calloc(1, sizeof *l);
    size_t n = rows->nrows;
    if (!l) {
        zs_rows_dispose(rows);
        return zs_error(err, ZF_ENOMEM, NULL);
    }
    l->kind = kind;
    l->rows = *rows;
    zs_rows_init(rows);
    l->n = n;
    switch (kind) {
    case L_CASES:
        if (!(l->cases = zs_calloc(n ? n : 1, sizeof *l->cases)))
            goto oom;
        for (size_t i = 0; i < n; i++)
            fill_case(&l->cases[i], &l->rows, i);
        break;
    case L_DUE:
        if (!(l->due = zs_calloc(n ? n : 1, sizeof *l->due)))
            goto oom;
        for (size_t i = 0; i < n; i++) {
            zf_store_due_item *d = &l->due[i];
            d->case_id = zs_cell_int(&l->rows, i, 0);
            d->process = zs_cell_text(&l->rows, i, 1);
            d->term = zs_cell_text(&l->rows, i, 2);
            d->title = zs_cell_text(&l->rows, i, 3);
            d->basis = zs_cell_text(&l->rows, i, 4);
            d->party = zs_cell_text(&l->rows, i, 5);
            d->last_day = zs_cell_date(&l->rows, i, 6);
        }
        break;
    case L_OUTBOX:
        if (!(l->outbox = zs_calloc(n ? n : 1, sizeof *l->outbox)))
            goto oom;
        for (size_t i = 0; i < n; i++)
            fill_outbox(&l->outbox[i], &l->rows, i);
        break;
    case L_JOURNAL:
        if (!(l->journal = zs_calloc(n ? n : 1, sizeof *l->journal)) ||
            !(l->items = zs_calloc(n ? n : 1, sizeof *l->items)))
            goto oom;
        for (size_t i = 0; i < n; i++) {
            zf_store_journal_entry *e = &l->journal[i];
            long k;
            e->case_id = zs_cell_int(&l->rows, i, 0);
            e->revision = zs_cell_int(&l->rows, i, 1);
            e->seq = (uint32_t)zs_cell_int(&l->rows, i, 2);
            e->date = zs_cell_date(&l->rows, i, 3);
            e->event = zs_cell_text(&l->rows, i, 4);
            e->actor = zs_cell_text(&l->rows, i, 5);
            /* The items' strings are unescaped in place, in the list's own rows. */
            k = zs_json_parse_items((char *)zs_cell_text(&l->rows, i, 6), &l->items[i]);
            if (k == -2)
                goto oom;
            if (k < 0) {
                zf_store_list_free(l);
                return zs_error(err, ZF_EDATABASE,
                                "journal entry %u of case %lld is not readable", e->seq,
                                (long long)e->case_id);
            }
            e->nitems = (size_t)k;
        }
        break;
    }
    *out = l;
    return ZF_OK;
oom:
    zf_store_list_free(l);
    return zs_error(err, ZF_ENOMEM, NULL);
}

size_t zf_store_list_count(const zf_store_list *l) {
    return l ? l->n : 0;
}

const zf_store_case_info *zf_store_list_case(const zf_store_list *l, size_t i) {
    return l && l->kind == L_CASES && i < l->n ? &l->cases[i] : NULL;
}

const zf_store_due_item *zf_store_list_due(const zf_store_list *l, size_t i) {
    return l && l->kind == L_DUE && i < l->n ? &l->due[i] : NULL;
}

const zf_store_outbox_item *zf_store_list_outbox(const zf_store_list *l, size_t i) {
    return l && l->kind == L_OUTBOX && i < l->n ? &l->outbox[i] : NULL;
}

const zf_store_journal_entry *zf_store_list_journal(const zf_store_list *l, size_t i) {
    return l && l->kind == L_JOURNAL && i < l->n ? &l->journal[i] : NULL;
}

const zf_journal_item *zf_store_list_journal_item(const zf_store_list *l, size_t i,
                                                  size_t j) {
    if (!l || l->kind != L_JOURNAL || i >= l->n || j >= l->journal[i].nitems)
        return NULL;
    return &l->items[i][j];
}

static zf_code begin_query(zf_store_list **out, zf_store *st, zf_error *err) {
    zf_error_clear(err);
    if (!out)
        return zs_error(err, ZF_EINVAL, "out is NULL");
    *out = NULL;
    if (!zs_store_ok(st))
        return zs_bad_store(err);
    if (st->op_depth)
        return zs_error(err, ZF_EINVAL, "the store is busy with another operation");
    return ZF_OK;
}

/* Run a query and make a list of its rows. */
static zf_code query(zf_store_list **out, zf_store *st, zs_sql_id id, const zs_val *p,
                     size_t np, list_kind kind, zf_error *err) {
    zs_rows r;
    zf_code rc;
    zs_rows_init(&r);
    if ((rc = zs_run(st, id, p, np, &r, NULL, err))) {
        zs_rows_dispose(&r);
        return rc;
    }
    return make_list(out, kind, &r, err);
}

/* ---- cases ---------------------------------------------------------------------------
 */

zf_code zf_store_read(zf_store_case **out, zf_store *st, int64_t id, zf_error *err) {
    zf_store_case *c;
    const zf_definition *def;
    zs_val key = zs_int(id);
    zf_code rc;
    zf_error_clear(err);
    if (!out)
        return zs_error(err, ZF_EINVAL, "out is NULL");
    *out = NULL;
    if (!zs_store_ok(st))
        return zs_bad_store(err);
    if (!(c = zs_calloc(1, sizeof *c)))
        return zs_error(err, ZF_ENOMEM, NULL);
    zs_rows_init(&c->rows);
    if ((rc = zs_run(st, ZS_CASE_LOAD, &key, 1, &c->rows, NULL, err)))
        goto fail;
    if (c->rows.nrows == 0) {
        rc = zs_error(err, ZF_ENOTFOUND, "no case %lld", (long long)id);
        goto fail;
    }
    fill_case(&c->info, &c->rows, 0);
    if ((rc = zs_definition(&def, st, c->info.hash, err)))
        goto fail;
    if ((rc = zs_restore(&c->inst, def, &c->rows, ZS_COL_SNAPSHOT, 0, err)))
        goto fail;
    *out = c;
    return ZF_OK;
fail:
    zf_store_case_free(c);
    return rc;
}

const zf_store_case_info *zf_store_case_summary(const zf_store_case *c) {
    return c ? &c->info : NULL;
}

const zf_instance *zf_store_case_instance(const zf_store_case *c) {
    return c ? c->inst : NULL;
}

const char *zf_store_case_snapshot(const zf_store_case *c) {
    return c ? zs_cell_text(&c->rows, 0, ZS_COL_SNAPSHOT) : NULL;
}

void zf_store_case_free(zf_store_case *c) {
    if (!c)
        return;
    zf_instance_free(c->inst);
    zs_rows_dispose(&c->rows);
    zs_free(c);
}

zf_code zf_store_cases(zf_store_list **out, zf_store *st, const char *process,
                       zf_store_state which, int64_t after, size_t limit, zf_error *err) {
    zs_val p[5];
    zf_code rc;
    if ((rc = begin_query(out, st, err)))
        return rc;
    if (which != ZF_STORE_ALL && which != ZF_STORE_OPEN && which != ZF_STORE_FINISHED)
        return zs_error(err, ZF_EINVAL, "which is not a zf_store_state");
    p[0] = zs_text(process);
    p[1] = zs_int(which == ZF_STORE_FINISHED ? 1 : 0);
    p[2] = zs_int(which == ZF_STORE_OPEN ? 0 : 1);
    p[3] = zs_int(after);
    p[4] = zs_int(limit_of(limit));
    return query(out, st, ZS_LIST_CASES, p, 5, L_CASES, err);
}

zf_code zf_store_journal(zf_store_list **out, zf_store *st, int64_t id, zf_error *err) {
    zs_val key = zs_int(id);
    zs_rows r;
    zf_code rc;
    if ((rc = begin_query(out, st, err)))
        return rc;
    zs_rows_init(&r);
    rc = zs_run(st, ZS_CASE_EXISTS, &key, 1, &r, NULL, err);
    if (rc == ZF_OK && r.nrows == 0)
        rc = zs_error(err, ZF_ENOTFOUND, "no case %lld", (long long)id);
    zs_rows_dispose(&r);
    if (rc)
        return rc;
    return query(out, st, ZS_LIST_JOURNAL, &key, 1, L_JOURNAL, err);
}

/* ---- due work ------------------------------------------------------------------------
 */

zf_code zf_store_due(zf_store_list **out, zf_store *st, zf_date until, const char *party,
                     size_t limit, zf_error *err) {
    char dbuf[ZF_DATE_BUFSIZE];
    zs_val p[4];
    zf_code rc;
    if ((rc = begin_query(out, st, err)))
        return rc;
    if (!zf_date_valid(until))
        return zs_error(err, ZF_EINVAL, "until is not a valid date");
    p[0] = zs_date(until, dbuf);
    p[1] = zs_text(party);
    p[2] = zs_text(party);
    p[3] = zs_int(limit_of(limit));
    return query(out, st, ZS_LIST_DUE, p, 4, L_DUE, err);
}

static int by_due(const void *a, const void *b) {
    const zf_store_case_info *x = a, *y = b;
    if (x->next_due != y->next_due)
        return x->next_due < y->next_due ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

static int by_id(const void *a, const void *b) {
    const zf_store_outbox_item *x = a, *y = b;
    return x->id < y->id ? -1 : x->id > y->id;
}

/* Run a claim (an UPDATE ... RETURNING) in a transaction of its own. */
static zf_code claim(zf_store_list **out, zf_store *st, zs_sql_id id, const zs_val *p,
                     size_t np, list_kind kind, zf_error *err) {
    zf_code rc;
    if ((rc = zs_op_begin(st, 1, err)))
        return rc;
    if ((rc = query(out, st, id, p, np, kind, err)) || (rc = zs_op_commit(st, err))) {
        zs_op_rollback(st);
        zf_store_list_free(*out);
        *out = NULL;
        return rc;
    }
    /* RETURNING gives no order. */
    if (kind == L_CASES)
        qsort((*out)->cases, (*out)->n, sizeof *(*out)->cases, by_due);
    else
        qsort((*out)->outbox, (*out)->n, sizeof *(*out)->outbox, by_id);
    return ZF_OK;
}

zf_code zf_store_claim(zf_store_list **out, zf_store *st, zf_date until, size_t max,
                       zf_error *err) {
    char dbuf[ZF_DATE_BUFSIZE];
    zs_val p[4];
    zf_code rc;
    if ((rc = begin_query(out, st, err)))
        return rc;
    if (st->in_tx)
        return zs_error(err, ZF_EINVAL, "a claim is a transaction of its own");
    if (!zf_date_valid(until))
        return zs_error(err, ZF_EINVAL, "until is not a valid date");
    p[0] = zs_text(st->owner);
    p[1] = zs_int(st->lease_ms);
    p[2] = zs_date(until, dbuf);
    p[3] = zs_int(limit_of(max ? max : 1));
    return claim(out, st, ZS_CLAIM_CASES, p, 4, L_CASES, err);
}

zf_code zf_store_work(zf_store_work_result *out, zf_store *st, zf_date until,
                      size_t batch, zf_error *err) {
    zf_store_work_result res;
    zf_error first;
    int64_t *failed = NULL;
    size_t nfailed = 0;
    zf_code rc = ZF_OK, frc = ZF_OK;
    zf_error_clear(err);
    zf_error_clear(&first);
    if (!out)
        return zs_error(err, ZF_EINVAL, "out is NULL");
    memset(out, 0, sizeof *out);
    memset(&res, 0, sizeof res);
    if (!zs_store_ok(st))
        return zs_bad_store(err);
    for (;;) {
        zf_store_list *l = NULL;
        size_t fresh = 0;
        if ((rc = zf_store_claim(&l, st, until, batch ? batch : 32, err)))
            break;
        res.batches++;
        if (l->n == 0) {
            zf_store_list_free(l);
            break;
        }
        for (size_t i = 0; i < l->n; i++) {
            zf_store_step step;
            zf_error e;
            int seen = 0;
            /* A failed case is claimed again only once its lease has ended; in
               a run that outlasts the lease, leave it alone. */
            for (size_t k = 0; k < nfailed; k++)
                seen |= failed[k] == l->cases[i].id;
            if (seen)
                continue;
            fresh++;
            if (zf_store_expire(&step, st, l->cases[i].id, until, &e) != ZF_OK) {
                int64_t *nf = zs_realloc(failed, (nfailed + 1) * sizeof *nf);
                res.failed++;
                if (frc == ZF_OK) {
                    frc = e.code;
                    first = e;
                }
                if (!nf) {
                    rc = zs_error(err, ZF_ENOMEM, NULL);
                    break;
                }
                failed = nf;
                failed[nfailed++] = l->cases[i].id;
                continue;
            }
            if (step.entries) {
                res.cases++;
                res.expired += step.expired;
            } else
                res.skipped++;
        }
        zf_store_list_free(l);
        if (rc || fresh == 0)
            break;
    }
    zs_free(failed);
    *out = res;
    if (rc)
        return rc;
    if (frc != ZF_OK && err)
        *err = first;
    return frc;
}

/* ---- the outbox
 * ------------------------------------------------------------------------ */

static int status_ok(const char *s) {
    return !s || strcmp(s, "pending") == 0 || strcmp(s, "claimed") == 0 ||
           strcmp(s, "done") == 0;
}

zf_code zf_store_outbox(zf_store_list **out, zf_store *st, const char *status,
                        int64_t case_id, size_t limit, zf_error *err) {
    zs_val p[3];
    zf_code rc;
    if ((rc = begin_query(out, st, err)))
        return rc;
    if (!status_ok(status))
        return zs_error(err, ZF_EINVAL, "status '%s' is not pending, claimed or done",
                        status);
    p[0] = zs_text(status);
    p[1] = case_id ? zs_int(case_id) : zs_null();
    p[2] = zs_int(limit_of(limit));
    return query(out, st, ZS_LIST_OUTBOX, p, 3, L_OUTBOX, err);
}

zf_code zf_store_outbox_claim(zf_store_list **out, zf_store *st, size_t max,
                              zf_error *err) {
    zs_val p[3];
    zf_code rc;
    if ((rc = begin_query(out, st, err)))
        return rc;
    if (st->in_tx)
        return zs_error(err, ZF_EINVAL, "a claim is a transaction of its own");
    p[0] = zs_text(st->owner);
    p[1] = zs_int(st->lease_ms);
    p[2] = zs_int(limit_of(max ? max : 1));
    return claim(out, st, ZS_CLAIM_OUTBOX, p, 3, L_OUTBOX, err);
}

static zf_code outbox_update(zf_store *st, zs_sql_id id, const zs_val *p, size_t np,
                             int64_t item, const char *what, zf_error *err) {
    int64_t changes = 0;
    zf_code rc;
    if (!zs_store_ok(st))
        return zs_bad_store(err);
    if (st->op_depth)
        return zs_error(err, ZF_EINVAL, "the store is busy with another operation");
    if ((rc = zs_op_begin(st, 1, err)))
        return rc;
    if ((rc = zs_run(st, id, p, np, NULL, &changes, err)) == ZF_OK && changes == 0)
        rc = zs_error(err, ZF_ENOTFOUND, "no %soutbox item %lld", what, (long long)item);
    if (rc) {
        zs_op_rollback(st);
        return rc;
    }
    return zs_op_commit(st, err);
}

zf_code zf_store_outbox_ack(zf_store *st, int64_t id, zf_error *err) {
    zs_val p = zs_int(id);
    zf_error_clear(err);
    return outbox_update(st, ZS_OUTBOX_ACK, &p, 1, id, "", err);
}

zf_code zf_store_outbox_release(zf_store *st, int64_t id, const char *reason,
                                zf_error *err) {
    zs_val p[2];
    zf_error_clear(err);
    p[0] = zs_text(reason);
    p[1] = zs_int(id);
    return outbox_update(st, ZS_OUTBOX_RELEASE, p, 2, id, "claimed ", err);
}
