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

/* Version 2 adds the party of a term to the due index: the rows a version 1
   store holds get it from their definitions (zf_definition_term_party()). */
static zf_code fill_party(zf_store *st, zf_error *err) {
    zs_rows hashes;
    zf_code rc;
    zs_rows_init(&hashes);
    if ((rc = zs_run(st, ZS_DEF_HASHES, NULL, 0, &hashes, NULL, err)))
        return rc;
    for (size_t h = 0; h < hashes.nrows && rc == ZF_OK; h++) {
        const zf_definition *def;
        if ((rc = zs_definition(&def, st, zs_cell_text(&hashes, h, 0), err)))
            break;
        for (size_t i = 0; i < zf_definition_term_count(def) && rc == ZF_OK; i++) {
            zs_val p[3];
            if (!zf_definition_term_party(def, i))
                continue;
            p[0] = zs_text(zf_definition_term_party(def, i));
            p[1] = zs_text(zf_definition_term_id(def, i));
            p[2] = zs_text(zf_definition_hash(def));
            rc = zs_run(st, ZS_DUE_SET_PARTY, p, 3, NULL, NULL, err);
        }
    }
    zs_rows_dispose(&hashes);
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
        if (rc || (v == 2 && (rc = fill_party(st, err))) || (rc = exec_sql(st, set, err)))
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
        if (strcmp(st->defs[i].hash, hash) == 0)
            return st->defs[i].def;
    return NULL;
}

/* Keep a compiled definition (taking it over). */
static zf_code keep(zf_store *st, zf_definition *def, zf_error *err) {
    if (st->ndefs == st->capdefs) {
        size_t cap = st->capdefs ? st->capdefs * 2 : 8;
        zs_defcache *n = zs_realloc(st->defs, cap * sizeof *n);
        if (!n) {
            zf_definition_free(def);
            return zs_error(err, ZF_ENOMEM, NULL);
        }
        st->defs = n;
        st->capdefs = cap;
    }
    snprintf(st->defs[st->ndefs].hash, sizeof st->defs[st->ndefs].hash, "%s",
             zf_definition_hash(def));
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

zf_code zs_definition(const zf_definition **out, zf_store *st, const char *which,
                      zf_error *err) {
    zs_rows r;
    zf_definition *def;
    zs_val p = zs_text(which);
    zf_code rc;
    char name[160];
    if (is_hash(which) && (def = cached(st, which))) {
        *out = def;
        return ZF_OK;
    }
    zs_rows_init(&r);
    rc = zs_run(st, is_hash(which) ? ZS_DEF_BY_HASH : ZS_DEF_CURRENT, &p, 1, &r, NULL,
                err);
    if (rc == ZF_OK && r.nrows == 0)
        rc = zs_error(err, ZF_ENOTFOUND, "the store has no definition of '%s'", which);
    if (rc != ZF_OK) {
        zs_rows_dispose(&r);
        return rc;
    }
    if ((def = cached(st, zs_cell_text(&r, 0, 0)))) {
        zs_rows_dispose(&r);
        *out = def;
        return ZF_OK;
    }
    snprintf(name, sizeof name, "<store: %s %s>", zs_cell_text(&r, 0, 1),
             zs_cell_text(&r, 0, 2));
    {
        const zs_val *x = zs_cell(&r, 0, 3);
        rc = zf_definition_parse(&def, x->p, x->len, name, NULL, err);
    }
    if (rc == ZF_OK && strcmp(zf_definition_hash(def), zs_cell_text(&r, 0, 0)) != 0) {
        zf_definition_free(def);
        rc = zs_error(err, ZF_EDATABASE,
                      "the stored definition %s does not have its hash", name);
    }
    zs_rows_dispose(&r);
    if (rc == ZF_OK && (rc = keep(st, def, err)) == ZF_OK)
        *out = def;
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

zf_code zf_store_add_definition(const zf_definition **out, zf_store *st, const char *xml,
                                size_t len, const char *name, zf_error *err) {
    zf_definition *def = NULL;
    zs_val p[5];
    zf_code rc;
    char *text;
    zf_error_clear(err);
    if (out)
        *out = NULL;
    if (!zs_store_ok(st))
        return zs_bad_store(err);
    if (!xml)
        return zs_error(err, ZF_EINVAL, "xml is NULL");
    if ((rc = zf_definition_parse(&def, xml, len, name ? name : "<store>", NULL, err)))
        return rc;
    if (cached(st, zf_definition_hash(def)) == NULL) {
        /* The text column holds the bytes; the drivers take it NUL-terminated. */
        if (!(text = zs_strndup(xml, len))) {
            zf_definition_free(def);
            return zs_error(err, ZF_ENOMEM, NULL);
        }
        p[0] = zs_text(zf_definition_hash(def));
        p[1] = zs_text(zf_definition_id(def));
        p[2] = zs_text(zf_definition_version(def) ? zf_definition_version(def) : "");
        p[3] = zs_text(zf_definition_title(def));
        p[4] = zs_text(text);
        p[4].len = len;
        if ((rc = zs_op_begin(st, 1, err)) == ZF_OK) {
            if ((rc = zs_run(st, ZS_DEF_INSERT, p, 5, NULL, NULL, err)) == ZF_OK)
                rc = zs_op_commit(st, err);
            else
                zs_op_rollback(st);
        }
        zs_free(text);
        if (rc == ZF_OK)
            rc = keep(st, def, err);
        else
            zf_definition_free(def);
        if (rc == ZF_OK && out)
            *out = cached(st, zf_definition_hash(def));
        return rc;
    }
    if (out)
        *out = cached(st, zf_definition_hash(def));
    zf_definition_free(def);
    return ZF_OK;
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
