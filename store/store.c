/* Opening a store (URL, driver, schema creation and upgrade), transactions
 * and savepoints, running catalogued statements, and the definitions. */
#include "store_int.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#ifdef ZF_TESTING
static long fail_sql_at = -1;
void zf__store_test_fail_sql(long n) {
    fail_sql_at = n;
}
#endif

int zs_store_ok(const zf_store *st) {
    return st && st->magic == ZF__STORE_MAGIC;
}

zf_code zs_bad_store(zf_error *err) {
    return zs_error(err, ZF_EINVAL, "st is NULL or not a store");
}

const char *zf_store_driver(const zf_store *st) {
    return zs_store_ok(st) ? st->drv->name : NULL;
}

int zf_store_has_driver(const char *name) {
    if (!name)
        return 0;
    if (strcmp(name, "sqlite") == 0)
        return 1;
#ifdef ZF_STORE_HAVE_PQ
    if (strcmp(name, "postgresql") == 0)
        return 1;
#endif
    return 0;
}

static zf_code run_sql(zf_store *st, int id, const char *sql, const zs_val *params,
                       size_t nparams, zs_rows *rows, int64_t *changes, zf_error *err) {
#ifdef ZF_TESTING
    if (fail_sql_at >= 0 && fail_sql_at-- == 0)
        return zs_error(err, ZF_EDATABASE, "injected failure of statement %d", id);
#endif
    return st->drv->run(st->conn, id, sql, params, nparams, rows, changes, err);
}

static zf_code exec_sql(zf_store *st, const char *sql, zf_error *err) {
#ifdef ZF_TESTING
    if (fail_sql_at >= 0 && fail_sql_at-- == 0)
        return zs_error(err, ZF_EDATABASE, "injected failure of '%s'", sql);
#endif
    return st->drv->exec(st->conn, sql, err);
}

zf_code zs_run(zf_store *st, zs_sql_id id, const zs_val *params, size_t nparams,
               zs_rows *rows, int64_t *changes, zf_error *err) {
    return run_sql(st, (int)id, st->sql[id], params, nparams, rows, changes, err);
}

/* ---- transactions ---------------------------------------------------------- */

zf_code zs_op_begin(zf_store *st, int write, zf_error *err) {
    zf_code rc;
    if (st->op_depth)
        return zs_error(err, ZF_EINVAL, "an operation is already under way");
    if (st->in_tx)
        rc = exec_sql(st, "SAVEPOINT zf_op", err);
    else
        rc = exec_sql(st, write ? st->drv->t_begin : "BEGIN", err);
    if (rc == ZF_OK)
        st->op_depth = 1;
    return rc;
}

zf_code zs_op_commit(zf_store *st, zf_error *err) {
    zf_code rc = exec_sql(st, st->in_tx ? "RELEASE SAVEPOINT zf_op" : "COMMIT", err);
    if (rc != ZF_OK) {
        zs_op_rollback(st);
        return rc;
    }
    st->op_depth = 0;
    return ZF_OK;
}

void zs_op_rollback(zf_store *st) {
    if (!st->op_depth)
        return;
    /* A failed rollback leaves nothing to do but report the first error. */
    if (st->in_tx)
        st->drv->exec(st->conn, "ROLLBACK TO SAVEPOINT zf_op; RELEASE SAVEPOINT zf_op",
                      NULL);
    else
        st->drv->exec(st->conn, "ROLLBACK", NULL);
    st->op_depth = 0;
}

zf_code zf_store_begin(zf_store *st, zf_error *err) {
    zf_code rc;
    zf_error_clear(err);
    if (!zs_store_ok(st))
        return zs_bad_store(err);
    if (st->in_tx)
        return zs_error(err, ZF_EINVAL, "a transaction is already open");
    if ((rc = exec_sql(st, st->drv->t_begin, err)))
        return rc;
    st->in_tx = 1;
    return ZF_OK;
}

zf_code zf_store_commit(zf_store *st, zf_error *err) {
    zf_code rc;
    zf_error_clear(err);
    if (!zs_store_ok(st))
        return zs_bad_store(err);
    if (!st->in_tx)
        return zs_error(err, ZF_EINVAL, "no transaction is open");
    st->in_tx = 0;
    if ((rc = exec_sql(st, "COMMIT", err)) != ZF_OK)
        st->drv->exec(st->conn, "ROLLBACK", NULL);
    return rc;
}

zf_code zf_store_rollback(zf_store *st, zf_error *err) {
    zf_error_clear(err);
    if (!zs_store_ok(st))
        return zs_bad_store(err);
    if (!st->in_tx)
        return zs_error(err, ZF_EINVAL, "no transaction is open");
    st->in_tx = 0;
    return exec_sql(st, "ROLLBACK", err);
}

int zf_store_in_transaction(const zf_store *st) {
    return zs_store_ok(st) && st->in_tx;
}

/* ---- opening ------------------------------------------------------------------- */

static zf_code schema_version(zf_store *st, int *out, zf_error *err) {
    zs_rows r;
    zf_code rc;
    /* A store without the version table is empty: version 0. Reading it in a
       savepoint keeps a missing table from aborting a PostgreSQL transaction. */
    if ((rc = exec_sql(st, "SAVEPOINT zf_probe", err)))
        return rc;
    zs_rows_init(&r);
    if (run_sql(st, -1, zs_sql_text(ZS_SCHEMA_VERSION), NULL, 0, &r, NULL, NULL) ==
        ZF_OK) {
        *out = r.nrows ? (int)zs_cell_int(&r, 0, 0) : 0;
        zs_rows_dispose(&r);
        return exec_sql(st, "RELEASE SAVEPOINT zf_probe", err);
    }
    zs_rows_dispose(&r);
    *out = 0;
    return exec_sql(st, "ROLLBACK TO SAVEPOINT zf_probe; RELEASE SAVEPOINT zf_probe",
                    err);
}

/* A stored definition's text compiled afresh (not cached), for the upgrades:
   rows written by an older library may be keyed by another hash. */
static zf_code parse_row(zf_definition **out, const zs_rows *r, size_t row,
                         size_t hash_col, size_t xml_col, zf_error *err) {
    const zs_val *x = zs_cell(r, row, xml_col);
    char name[100];
    snprintf(name, sizeof name, "<store: %.64s>", zs_cell_text(r, row, hash_col));
    return zf_definition_parse(out, x->p, x->len, name, NULL, err);
}

/* Version 2 adds the party of a term to the due index: the rows a version 1
   store holds get it from their definitions (zf_definition_term_party()). */
static zf_code fill_party(zf_store *st, zf_error *err) {
    zs_rows defs;
    zf_code rc;
    zs_rows_init(&defs);
    if ((rc = zs_run(st, ZS_DEF_ALL, NULL, 0, &defs, NULL, err)))
        return rc;
    for (size_t h = 0; h < defs.nrows && rc == ZF_OK; h++) {
        zf_definition *def;
        if ((rc = parse_row(&def, &defs, h, 0, 1, err)))
            break;
        for (size_t i = 0; i < zf_definition_term_count(def) && rc == ZF_OK; i++) {
            zs_val p[3];
            if (!zf_definition_term_party(def, i))
                continue;
            p[0] = zs_text(zf_definition_term_party(def, i));
            p[1] = zs_text(zf_definition_term_id(def, i));
            p[2] = zs_text(zs_cell_text(&defs, h, 0));
            rc = zs_run(st, ZS_DUE_SET_PARTY, p, 3, NULL, NULL, err);
        }
        zf_definition_free(def);
    }
    zs_rows_dispose(&defs);
    return rc;
}

/* Write case `id` again with `def` (its definition under its new key): restored
   from its stored form, its snapshot and compact form written anew, which name
   the canonical hash. Neither its revision nor its journal changes: nothing
   happened to the case. */
static zf_code rekey_case(zf_store *st, int64_t id, const zf_definition *def,
                          zf_error *err) {
    zs_rows r;
    zs_val key = zs_int(id), p[4];
    zf_instance *inst = NULL;
    zf_buf snap = ZF_BUF_INIT, compact = ZF_BUF_INIT;
    zf_code rc;
    zs_rows_init(&r);
    if ((rc = zs_run(st, ZS_CASE_LOAD, &key, 1, &r, NULL, err)))
        goto done;
    if (r.nrows != 1) {
        rc = zs_error(err, ZF_EDATABASE, "case %lld vanished", (long long)id);
        goto done;
    }
    if ((rc = zs_restore(&inst, def, &r, ZS_COL_SNAPSHOT, 0, err)) ||
        (rc = zf_instance_snapshot(&snap, inst, err)) ||
        (rc = zf_instance_pack(&compact, inst, err)) ||
        (rc = zs_read_back(&snap, &compact, inst, err)))
        goto done;
    p[0] = zs_text(zf_definition_hash(def));
    p[1] = zs_text(snap.ptr);
    p[2] = zs_blob(compact.ptr, compact.size);
    p[3] = key;
    rc = zs_run(st, ZS_CASE_REKEY, p, 4, NULL, NULL, err);
done:
    if (rc != ZF_OK && rc != ZF_EDATABASE && rc != ZF_ENOMEM) {
        /* Name the case the upgrade could not carry over. */
        char msg[sizeof err->message];
        snprintf(msg, sizeof msg, "%s", err ? err->message : "");
        zf_error_clear(err);
        rc = zs_error(err, ZF_EDATABASE, "case %lld cannot be carried over: %s",
                      (long long)id, msg);
    }
    zf_instance_free(inst);
    zf_buf_dispose(&snap);
    zf_buf_dispose(&compact);
    zs_rows_dispose(&r);
    return rc;
}

/* Version 3 keys definitions by their canonical hash and keeps their validity.
   A row keyed by the SHA-256 of its text (libraries before) gets the canonical
   hash, and so do its cases (written again: their snapshots name the old key,
   which the library reads once more for this very text); two texts of one
   meaning become one row, the first added. */
static zf_code rekey(zf_store *st, zf_error *err) {
    zs_rows defs;
    zf_code rc;
    zs_rows_init(&defs);
    if ((rc = zs_run(st, ZS_DEF_ALL, NULL, 0, &defs, NULL, err)))
        return rc;
    for (size_t h = 0; h < defs.nrows && rc == ZF_OK; h++) {
        const char *old = zs_cell_text(&defs, h, 0);
        zf_definition *def;
        zs_rows ids;
        zs_val p[7];
        char from[ZF_DATE_BUFSIZE], until[ZF_DATE_BUFSIZE];
        if ((rc = parse_row(&def, &defs, h, 0, 1, err)))
            break;
        p[0] = zs_text(zf_definition_title(def));
        p[1] = zs_text(zs_cell_text(&defs, h, 1));
        p[1].len = zs_cell(&defs, h, 1)->len;
        p[2] = zs_date(zf_definition_valid_from(def), from);
        p[3] = zs_date(zf_definition_valid_until(def), until);
        p[4] = zs_text(old);
        if (strcmp(old, zf_definition_hash(def)) == 0) {
            rc = zs_run(st, ZS_DEF_UPDATE, p, 5, NULL, NULL, err);
            zf_definition_free(def);
            continue;
        }
        /* Under the new key (unless a text of the same meaning came first). */
        p[0] = zs_text(zf_definition_hash(def));
        p[1] = zs_text(zf_definition_id(def));
        p[2] = zs_text(zf_definition_version(def) ? zf_definition_version(def) : "");
        p[3] = zs_text(zf_definition_title(def));
        p[4] = zs_text(zs_cell_text(&defs, h, 1));
        p[4].len = zs_cell(&defs, h, 1)->len;
        p[5] = zs_date(zf_definition_valid_from(def), from);
        p[6] = zs_date(zf_definition_valid_until(def), until);
        zs_rows_init(&ids);
        if ((rc = zs_run(st, ZS_DEF_INSERT, p, 7, NULL, NULL, err)) == ZF_OK) {
            p[0] = zs_text(old);
            rc = zs_run(st, ZS_CASES_OF_DEF, p, 1, &ids, NULL, err);
        }
        for (size_t i = 0; i < ids.nrows && rc == ZF_OK; i++)
            rc = rekey_case(st, zs_cell_int(&ids, i, 0), def, err);
        zs_rows_dispose(&ids);
        if (rc == ZF_OK) {
            p[0] = zs_text(old);
            rc = zs_run(st, ZS_DEF_DELETE, p, 1, NULL, NULL, err);
        }
        zf_definition_free(def);
    }
    zs_rows_dispose(&defs);
    return rc;
}

/* Bring the schema from its version to `target` in one transaction, holding
   the write lock (SQLite) or an advisory lock (PostgreSQL), so that stores
   opened at the same time do not both create it. */
static zf_code upgrade(zf_store *st, int target, zf_error *err) {
    int version = 0;
    zf_code rc;
    if ((rc = zs_op_begin(st, 1, err)))
        return rc;
    if (strcmp(st->drv->name, "postgresql") == 0 &&
        (rc = exec_sql(st, "SELECT pg_advisory_xact_lock(2087015741)", err)))
        goto fail;
    if ((rc = schema_version(st, &version, err)))
        goto fail;
    if (version > ZF_STORE_SCHEMA_VERSION) {
        rc = zs_error(err, ZF_EDATABASE,
                      "the store has schema version %d; this library knows up to %d",
                      version, ZF_STORE_SCHEMA_VERSION);
        goto fail;
    }
    for (int v = version + 1; v <= target; v++) {
        char *sql = zs_sql_expand(st->drv, zs_schema_step(v));
        char set[64];
        if (!sql) {
            rc = zs_error(err, ZF_ENOMEM, NULL);
            goto fail;
        }
        rc = exec_sql(st, sql, err);
        zs_free(sql);
        snprintf(set, sizeof set, "UPDATE zf_schema SET version = %d", v);
        if (rc || (v == 2 && (rc = fill_party(st, err))) ||
            (v == 3 && (rc = rekey(st, err))) || (rc = exec_sql(st, set, err)))
            goto fail;
    }
    return zs_op_commit(st, err);
fail:
    zs_op_rollback(st);
    return rc;
}

static zf_code open_at(zf_store **out, const char *url, const zf_store_options *opts,
                       int target, zf_error *err) {
    zf_store *st;
    const zs_driver *drv = NULL;
    const char *targ = NULL;
    int version = 0;
    zf_code rc;
    zf_error_clear(err);
    if (!out)
        return zs_error(err, ZF_EINVAL, "out is NULL");
    *out = NULL;
    if (!url)
        return zs_error(err, ZF_EINVAL, "url is NULL");
    if (opts && opts->version != ZF_STORE_OPTIONS_VERSION)
        return zs_error(err, ZF_EINVAL, "opts has version %u; this library knows %d",
                        opts->version, ZF_STORE_OPTIONS_VERSION);
    if (strncmp(url, "sqlite:", 7) == 0) {
        drv = &zs_sqlite_driver;
        targ = url + 7;
        if (!*targ)
            return zs_error(err, ZF_EINVAL, "url '%s' names no file", url);
    } else if (strncmp(url, "postgresql://", 13) == 0 ||
               strncmp(url, "postgres://", 11) == 0) {
#ifdef ZF_STORE_HAVE_PQ
        drv = &zs_pg_driver;
        targ = url;
#else
        return zs_error(err, ZF_EINVAL,
                        "this build of zaakflow has no PostgreSQL driver "
                        "(configure --with-postgresql)");
#endif
    } else
        return zs_error(err, ZF_EINVAL,
                        "url '%s' is neither sqlite:PATH nor postgresql://...", url);
    if (!(st = zs_calloc(1, sizeof *st)))
        return zs_error(err, ZF_ENOMEM, NULL);
    st->magic = ZF__STORE_MAGIC;
    st->drv = drv;
    st->lease_ms = opts && opts->lease_ms > 0 ? opts->lease_ms : 300000;
    if (!(st->owner = zs_strdup(opts && opts->owner ? opts->owner : "zaakflow"))) {
        rc = zs_error(err, ZF_ENOMEM, NULL);
        goto fail;
    }
    /* The statements in the driver's dialect, made once: an operation then
       allocates only for its own data. */
    for (int i = 0; i < ZS_SQL_COUNT; i++)
        if (!(st->sql[i] = zs_sql_expand(drv, zs_sql_text((zs_sql_id)i)))) {
            rc = zs_error(err, ZF_ENOMEM, NULL);
            goto fail;
        }
    if ((rc = drv->open(&st->conn, targ, err)))
        goto fail;
    /* Most opens find the schema current and take no lock. */
    if ((rc = zs_op_begin(st, 0, err)))
        goto fail;
    if ((rc = schema_version(st, &version, err))) {
        zs_op_rollback(st);
        goto fail;
    }
    if ((rc = zs_op_commit(st, err)))
        goto fail;
    if (version != target && (rc = upgrade(st, target, err)))
        goto fail;
    *out = st;
    return ZF_OK;
fail:
    zf_store_free(st);
    return rc;
}

zf_code zf_store_open(zf_store **out, const char *url, const zf_store_options *opts,
                      zf_error *err) {
    return open_at(out, url, opts, ZF_STORE_SCHEMA_VERSION, err);
}

#ifdef ZF_TESTING
zf_code zf__store_test_open_at(zf_store **out, const char *url, int version,
                               zf_error *err) {
    return open_at(out, url, NULL, version, err);
}

zf_code zf__store_test_drop(const char *url, zf_error *err) {
    const zs_driver *drv = strncmp(url, "sqlite:", 7) == 0 ? &zs_sqlite_driver : NULL;
    void *conn;
    zf_code rc;
#ifdef ZF_STORE_HAVE_PQ
    if (!drv)
        drv = &zs_pg_driver;
#endif
    if (!drv)
        return zs_error(err, ZF_EINVAL, "no driver for '%s'", url);
    if ((rc = drv->open(&conn, drv == &zs_sqlite_driver ? url + 7 : url, err)))
        return rc;
    rc = drv->exec(conn,
                   "DROP TABLE IF EXISTS zf_outbox, zf_due, zf_journal, zf_cases, "
                   "zf_definitions, zf_schema CASCADE",
                   err);
    drv->close(conn);
    return rc;
}

zf_code zf__store_test_exec(zf_store *st, const char *sql, zf_error *err) {
    return st->drv->exec(st->conn, sql, err);
}

zf_code zf__store_test_dump(zf_store *st, zf_buf *out, zf_error *err) {
    static const char *const queries[] = {
        "SELECT version FROM zf_schema",
        "SELECT seq, hash, process, version, title FROM zf_definitions ORDER BY seq",
        "SELECT id, process, hash, revision, started, case_date, active, finished, "
        "outcome, next_due, next_term, parent, relation, snapshot, compact, lease_owner, "
        "CASE WHEN lease_until IS NULL THEN '-' ELSE 'set' END FROM zf_cases ORDER BY id",
        "SELECT case_id, seq, revision, day, event, actor, items FROM zf_journal "
        "ORDER BY case_id, seq",
        "SELECT case_id, term, ord, process, last_day, party, title, basis FROM zf_due "
        "ORDER BY case_id, term",
        "SELECT id, case_id, revision, idem_key, kind, day, addressee, body, process, "
        "relation, spawned, payload, status, attempts, lease_owner, "
        "CASE WHEN lease_until IS NULL THEN '-' ELSE 'set' END, last_error "
        "FROM zf_outbox ORDER BY id",
    };
    zf_code rc = ZF_OK;
    for (size_t q = 0; q < sizeof queries / sizeof queries[0] && rc == ZF_OK; q++) {
        zs_rows r;
        zs_rows_init(&r);
        if ((rc = st->drv->run(st->conn, -1, queries[q], NULL, 0, &r, NULL, err)))
            break;
        rc = zf_buf_printf(out, "-- %s\n", queries[q]);
        for (size_t i = 0; i < r.nrows && rc == ZF_OK; i++) {
            for (size_t k = 0; k < r.ncols && rc == ZF_OK; k++) {
                const zs_val *v = zs_cell(&r, i, k);
                if (v->kind == ZS_INT)
                    rc = zf_buf_printf(out, "%s%lld", k ? "|" : "", (long long)v->i);
                else if (v->kind == ZS_NULL)
                    rc = zf_buf_printf(out, "%sNULL", k ? "|" : "");
                else if (v->kind == ZS_BLOB) {
                    rc = zf_buf_puts(out, k ? "|x" : "x");
                    for (size_t b = 0; b < v->len && rc == ZF_OK; b++)
                        rc = zf_buf_printf(out, "%02x", (unsigned char)v->p[b]);
                } else
                    rc = zf_buf_printf(out, "%s%s", k ? "|" : "", v->p);
            }
            if (rc == ZF_OK)
                rc = zf_buf_puts(out, "\n");
        }
        zs_rows_dispose(&r);
    }
    return rc;
}
#endif

void zf_store_free(zf_store *st) {
    if (!zs_store_ok(st))
        return;
    if (st->conn) {
        if (st->in_tx || st->op_depth)
            st->drv->exec(st->conn, "ROLLBACK", NULL);
        st->drv->close(st->conn);
    }
    for (int i = 0; i < ZS_SQL_COUNT; i++)
        zs_free(st->sql[i]);
    for (size_t i = 0; i < st->ndefs; i++)
        zf_definition_free(st->defs[i].def);
    zs_free(st->defs);
    zs_free(st->owner);
    st->magic = 0;
    zs_free(st);
}

/* ---- definitions ------------------------------------------------------------------ */

static zf_definition *cached(const zf_store *st, const char *hash) {
    for (size_t i = 0; i < st->ndefs; i++)
        if (!st->defs[i].retired && strcmp(st->defs[i].hash, hash) == 0)
            return st->defs[i].def;
    return NULL;
}

/* Room in the cache for one more definition. */
static zf_code reserve(zf_store *st, zf_error *err) {
    if (st->ndefs == st->capdefs) {
        size_t cap = st->capdefs ? st->capdefs * 2 : 8;
        zs_defcache *n = zs_realloc(st->defs, cap * sizeof *n);
        if (!n)
            return zs_error(err, ZF_ENOMEM, NULL);
        st->defs = n;
        st->capdefs = cap;
    }
    return ZF_OK;
}

/* Keep a compiled definition (taking it over); one of the same hash kept before
   is retired (still owned, for whoever borrowed it, but no longer found). */
static zf_code keep(zf_store *st, zf_definition *def, zf_error *err) {
    if (reserve(st, err)) {
        zf_definition_free(def);
        return ZF_ENOMEM;
    }
    for (size_t i = 0; i < st->ndefs; i++)
        if (strcmp(st->defs[i].hash, zf_definition_hash(def)) == 0)
            st->defs[i].retired = 1;
    snprintf(st->defs[st->ndefs].hash, sizeof st->defs[st->ndefs].hash, "%s",
             zf_definition_hash(def));
    st->defs[st->ndefs].retired = 0;
    st->defs[st->ndefs++].def = def;
    return ZF_OK;
}

static int is_hash(const char *s) {
    size_t n = 0;
    for (; s[n]; n++)
        if (!((s[n] >= '0' && s[n] <= '9') || (s[n] >= 'a' && s[n] <= 'f')))
            return 0;
    return n == 64;
}

/* Compile row 0 of a definition query (hash, process, version, xml, ...) and
   keep it, unless kept already. */
static zf_code compile_row(const zf_definition **out, zf_store *st, const zs_rows *r,
                           zf_error *err) {
    zf_definition *def;
    char name[160];
    zf_code rc;
    if ((def = cached(st, zs_cell_text(r, 0, 0)))) {
        *out = def;
        return ZF_OK;
    }
    snprintf(name, sizeof name, "<store: %s %s>", zs_cell_text(r, 0, 1),
             zs_cell_text(r, 0, 2));
    {
        const zs_val *x = zs_cell(r, 0, 3);
        if ((rc = zf_definition_parse(&def, x->p, x->len, name, NULL, err)))
            return rc;
    }
    if (strcmp(zf_definition_hash(def), zs_cell_text(r, 0, 0)) != 0) {
        zf_definition_free(def);
        return zs_error(err, ZF_EDATABASE,
                        "the stored definition %s does not have its hash", name);
    }
    if ((rc = keep(st, def, err)) == ZF_OK)
        *out = def;
    return rc;
}

/* Validity for messages, as the registry writes it: "from 2019-01-01", ... */
static void validity_text(char *buf, size_t cap, zf_date from, zf_date until) {
    char a[ZF_DATE_BUFSIZE], b[ZF_DATE_BUFSIZE];
    if (from == ZF_DATE_NONE && until == ZF_DATE_NONE)
        snprintf(buf, cap, "always");
    else if (until == ZF_DATE_NONE)
        snprintf(buf, cap, "from %s", zf_date_format(a, from));
    else if (from == ZF_DATE_NONE)
        snprintf(buf, cap, "until %s", zf_date_format(b, until));
    else
        snprintf(buf, cap, "%s to %s", zf_date_format(a, from), zf_date_format(b, until));
}

/* The versions of a process (ZS_DEF_VERSIONS: hash, process, version, valid_from,
   valid_until); ZF_ENOTFOUND when there are none. */
static zf_code versions_of(zs_rows *r, zf_store *st, const char *process, zf_error *err) {
    zs_val p = zs_text(process);
    zf_code rc = zs_run(st, ZS_DEF_VERSIONS, &p, 1, r, NULL, err);
    if (rc == ZF_OK && r->nrows == 0)
        rc = zs_error(err, ZF_ENOTFOUND, "the store has no definition of '%s'", process);
    return rc;
}

zf_code zs_definition(const zf_definition **out, zf_store *st, const char *which,
                      zf_error *err) {
    zs_rows r;
    zf_definition *def;
    const char *at = strchr(which, '@');
    zf_code rc;
    zs_rows_init(&r);
    if (is_hash(which)) {
        zs_val p = zs_text(which);
        if ((def = cached(st, which))) {
            *out = def;
            return ZF_OK;
        }
        rc = zs_run(st, ZS_DEF_BY_HASH, &p, 1, &r, NULL, err);
    } else if (at) {
        /* process@version */
        char *process = zs_strndup(which, (size_t)(at - which));
        zs_val p[2];
        if (!process)
            return zs_error(err, ZF_ENOMEM, NULL);
        p[0] = zs_text(process);
        p[1] = zs_text(at + 1);
        rc = zs_run(st, ZS_DEF_BY_VERSION, p, 2, &r, NULL, err);
        zs_free(process);
    } else {
        /* A process id names its only version. */
        if ((rc = versions_of(&r, st, which, err)) == ZF_OK && r.nrows > 1) {
            rc = zs_error(err, ZF_ESEMANTIC,
                          "the store has %zu versions of process '%s': name one "
                          "('%s@%s') or pick one by date",
                          r.nrows, which, which, zs_cell_text(&r, r.nrows - 1, 2));
        }
        if (rc == ZF_OK) {
            zs_val p = zs_text(zs_cell_text(&r, 0, 0));
            zs_rows r1;
            zs_rows_init(&r1);
            rc = zs_run(st, ZS_DEF_BY_HASH, &p, 1, &r1, NULL, err);
            zs_rows_dispose(&r);
            r = r1;
        }
    }
    if (rc == ZF_OK && r.nrows == 0)
        rc = zs_error(err, ZF_ENOTFOUND, "the store has no definition of '%s'", which);
    if (rc == ZF_OK)
        rc = compile_row(out, st, &r, err);
    zs_rows_dispose(&r);
    return rc;
}

zf_code zs_pick(const zf_definition **out, zf_store *st, const char *process,
                zf_date date, zf_error *err) {
    zs_rows r;
    char list[160] = "", dbuf[ZF_DATE_BUFSIZE];
    size_t nlist = 0, found = 0;
    zf_code rc;
    if (is_hash(process) || strchr(process, '@'))
        return zs_definition(out, st, process, err);
    zs_rows_init(&r);
    if ((rc = versions_of(&r, st, process, err))) {
        zs_rows_dispose(&r);
        return rc;
    }
    /* As zf_registry_pick(): the version whose validity (inclusive; an open side
       runs to the beginning or end of time) holds the date, and only one. */
    for (size_t i = 0; i < r.nrows; i++) {
        zf_date from = zs_cell_date(&r, i, 3), until = zs_cell_date(&r, i, 4);
        char v[64];
        if ((from == ZF_DATE_NONE || date >= from) &&
            (until == ZF_DATE_NONE || date <= until)) {
            if (found++) {
                rc = zs_error(err, ZF_ESEMANTIC,
                              "versions '%s' and '%s' of process '%s' are both valid on "
                              "%s: give them a validity (valid-from, valid-until)",
                              zs_cell_text(&r, 0, 2), zs_cell_text(&r, i, 2), process,
                              zf_date_format(dbuf, date));
                break;
            }
            /* The match goes first. */
            if (i) {
                zs_val *row = &r.v[i * r.ncols], tmp;
                for (size_t k = 0; k < r.ncols; k++) {
                    tmp = r.v[k];
                    r.v[k] = row[k];
                    row[k] = tmp;
                }
            }
            continue;
        }
        validity_text(v, sizeof v, from, until);
        if (nlist < sizeof list)
            nlist += (size_t)snprintf(list + nlist, sizeof list - nlist, "%s%s %s",
                                      nlist ? "; " : "", zs_cell_text(&r, i, 2), v);
    }
    if (rc == ZF_OK && !found)
        rc = zs_error(err, ZF_ENOTFOUND, "no version of process '%s' is valid on %s (%s)",
                      process, zf_date_format(dbuf, date), list);
    if (rc == ZF_OK)
        rc = zs_definition(out, st, zs_cell_text(&r, 0, 0), err);
    zs_rows_dispose(&r);
    return rc;
}

zf_code zf_store_definition(const zf_definition **out, zf_store *st, const char *which,
                            zf_error *err) {
    zf_error_clear(err);
    if (!out)
        return zs_error(err, ZF_EINVAL, "out is NULL");
    *out = NULL;
    if (!zs_store_ok(st))
        return zs_bad_store(err);
    if (!which)
        return zs_error(err, ZF_EINVAL, "which is NULL");
    return zs_definition(out, st, which, err);
}

zf_code zf_store_pick(const zf_definition **out, zf_store *st, const char *process,
                      zf_date date, zf_error *err) {
    zf_error_clear(err);
    if (!out)
        return zs_error(err, ZF_EINVAL, "out is NULL");
    *out = NULL;
    if (!zs_store_ok(st))
        return zs_bad_store(err);
    if (!process)
        return zs_error(err, ZF_EINVAL, "process is NULL");
    if (!zf_date_valid(date))
        return zs_error(err, ZF_EINVAL, "date is not a valid date");
    return zs_pick(out, st, process, date, err);
}

/* Whether `def` may join the stored versions of its process, as
   zf_registry_take() decides: the other versions (compiled afresh) and a copy of
   it in a registry of their own. The same meaning stored already is not an
   "other" version: only its validity may change. */
static zf_code check_versions(zf_store *st, const zf_definition *def, const char *xml,
                              size_t len, const char *name, zf_error *err) {
    zs_rows r;
    zf_registry *reg = NULL;
    zf_definition *copy = NULL;
    zf_code rc;
    zs_rows_init(&r);
    rc = versions_of(&r, st, zf_definition_id(def), err);
    if (rc == ZF_ENOTFOUND) {
        zf_error_clear(err);
        return ZF_OK;
    }
    if (rc == ZF_OK && (rc = zf_registry_new(&reg, err)) == ZF_OK) {
        for (size_t i = 0; i < r.nrows && rc == ZF_OK; i++) {
            zs_val p = zs_text(zs_cell_text(&r, i, 0));
            zs_rows one;
            zf_definition *other = NULL;
            if (strcmp(zs_cell_text(&r, i, 0), zf_definition_hash(def)) == 0)
                continue;
            zs_rows_init(&one);
            if ((rc = zs_run(st, ZS_DEF_BY_HASH, &p, 1, &one, NULL, err)) == ZF_OK &&
                one.nrows == 1) {
                char oname[160];
                const zs_val *x = zs_cell(&one, 0, 3);
                snprintf(oname, sizeof oname, "the store (%s %s)",
                         zs_cell_text(&one, 0, 1), zs_cell_text(&one, 0, 2));
                if ((rc = zf_definition_parse(&other, x->p, x->len, oname, NULL, err)) ==
                        ZF_OK &&
                    (rc = zf_registry_take(NULL, reg, other, err)) != ZF_OK)
                    zf_definition_free(other);
            }
            zs_rows_dispose(&one);
        }
        if (rc == ZF_OK &&
            (rc = zf_definition_parse(&copy, xml, len, name, NULL, err)) == ZF_OK &&
            (rc = zf_registry_take(NULL, reg, copy, err)) != ZF_OK)
            zf_definition_free(copy);
    }
    zf_registry_free(reg);
    zs_rows_dispose(&r);
    return rc;
}

zf_code zf_store_add_definition(const zf_definition **out, zf_store *st, const char *xml,
                                size_t len, const char *name, zf_error *err) {
    zf_definition *def = NULL;
    zs_rows r;
    zs_val p[7];
    zf_code rc;
    char *text = NULL, from[ZF_DATE_BUFSIZE], until[ZF_DATE_BUFSIZE];
    int same = 0, exists = 0;
    zf_error_clear(err);
    if (out)
        *out = NULL;
    if (!zs_store_ok(st))
        return zs_bad_store(err);
    if (!xml)
        return zs_error(err, ZF_EINVAL, "xml is NULL");
    if (st->op_depth)
        return zs_error(err, ZF_EINVAL, "the store is busy with another operation");
    name = name ? name : "<store>";
    if ((rc = zf_definition_parse(&def, xml, len, name, NULL, err)))
        return rc;
    zs_rows_init(&r);
    /* Room to keep it, so that nothing fails once the row is committed. */
    if ((rc = reserve(st, err)) || (rc = zs_op_begin(st, 1, err)))
        goto fail;
    p[0] = zs_text(zf_definition_hash(def));
    if ((rc = zs_run(st, ZS_DEF_BY_HASH, p, 1, &r, NULL, err)))
        goto rollback;
    if (r.nrows == 1) {
        /* Stored already: nothing to do, unless its validity changes (the
           canonical hash leaves it out: a valid-until given to an old version). */
        exists = 1;
        same = zs_cell_date(&r, 0, 4) == zf_definition_valid_from(def) &&
               zs_cell_date(&r, 0, 5) == zf_definition_valid_until(def);
    }
    if (!same) {
        if ((rc = check_versions(st, def, xml, len, name, err)))
            goto rollback;
        /* The text column holds the bytes; the drivers take it NUL-terminated. */
        if (!(text = zs_strndup(xml, len))) {
            rc = zs_error(err, ZF_ENOMEM, NULL);
            goto rollback;
        }
        if (exists) {
            p[0] = zs_text(zf_definition_title(def));
            p[1] = zs_text(text);
            p[1].len = len;
            p[2] = zs_date(zf_definition_valid_from(def), from);
            p[3] = zs_date(zf_definition_valid_until(def), until);
            p[4] = zs_text(zf_definition_hash(def));
            rc = zs_run(st, ZS_DEF_UPDATE, p, 5, NULL, NULL, err);
        } else {
            p[0] = zs_text(zf_definition_hash(def));
            p[1] = zs_text(zf_definition_id(def));
            p[2] = zs_text(zf_definition_version(def) ? zf_definition_version(def) : "");
            p[3] = zs_text(zf_definition_title(def));
            p[4] = zs_text(text);
            p[4].len = len;
            p[5] = zs_date(zf_definition_valid_from(def), from);
            p[6] = zs_date(zf_definition_valid_until(def), until);
            rc = zs_run(st, ZS_DEF_INSERT, p, 7, NULL, NULL, err);
        }
        zs_free(text);
        if (rc)
            goto rollback;
    }
    if ((rc = zs_op_commit(st, err)))
        goto fail;
    zs_rows_dispose(&r);
    if (same && cached(st, zf_definition_hash(def))) {
        if (out)
            *out = cached(st, zf_definition_hash(def));
        zf_definition_free(def);
        return ZF_OK;
    }
    /* Kept (it replaces one of the same meaning compiled before). */
    keep(st, def, err);
    if (out)
        *out = def;
    return ZF_OK;
rollback:
    zs_op_rollback(st);
fail:
    zs_rows_dispose(&r);
    zf_definition_free(def);
    return rc;
}

zf_code zf_store_add_definition_file(const zf_definition **out, zf_store *st,
                                     const char *path, zf_error *err) {
    FILE *f;
    zf_buf b = ZF_BUF_INIT;
    char chunk[8192];
    size_t n;
    zf_code rc = ZF_OK;
    zf_error_clear(err);
    if (out)
        *out = NULL;
    if (!zs_store_ok(st))
        return zs_bad_store(err);
    if (!path)
        return zs_error(err, ZF_EINVAL, "path is NULL");
    if (!(f = fopen(path, "rb")))
        return zs_error(err, ZF_EIO, "cannot open '%s': %s", path, strerror(errno));
    while (rc == ZF_OK && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
        rc = zf_buf_put(&b, chunk, n);
    if (rc == ZF_OK && ferror(f))
        rc = zs_error(err, ZF_EIO, "cannot read '%s'", path);
    fclose(f);
    if (rc == ZF_ENOMEM)
        zs_error(err, rc, NULL);
    if (rc == ZF_OK)
        rc = zf_store_add_definition(out, st, b.ptr ? b.ptr : "", b.size, path, err);
    zf_buf_dispose(&b);
    return rc;
}
