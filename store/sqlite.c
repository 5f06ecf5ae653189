/* The SQLite driver: an embedded file in WAL mode (readers never block the
 * writer), writers serialised by BEGIN IMMEDIATE, statements prepared once. */
#include "store_int.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

typedef struct sq_conn {
    sqlite3 *db;
    sqlite3_stmt *stmts[ZS_SQL_COUNT];
} sq_conn;

static zf_code sq_fail(sqlite3 *db, int rc, zf_error *err) {
    const char *msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    return zs_error(err, rc == SQLITE_NOMEM ? ZF_ENOMEM : ZF_EDATABASE, "sqlite: %s",
                    msg ? msg : sqlite3_errstr(rc));
}

static void sq_close(void *conn) {
    sq_conn *c = conn;
    if (!c)
        return;
    for (int i = 0; i < ZS_SQL_COUNT; i++)
        sqlite3_finalize(c->stmts[i]);
    sqlite3_close_v2(c->db);
    zs_free(c);
}

static zf_code sq_exec(void *conn, const char *sql, zf_error *err) {
    sq_conn *c = conn;
    int rc = sqlite3_exec(c->db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? ZF_OK : sq_fail(c->db, rc, err);
}

/* sqlite:PATH[?synchronous=full|normal|off]: FULL (the default) syncs the WAL at
   every commit, so a committed step survives a power failure; NORMAL syncs only
   at checkpoints (a power failure may undo the last steps, never corrupt the
   store); OFF leaves it to the operating system. */
static zf_code sq_open(void **out, const char *url, zf_error *err) {
    sq_conn *c;
    zf_code rc;
    int src;
    const char *q = strchr(url, '?'), *sync = "FULL";
    char *target;
    char pragmas[128];
    if (q) {
        if (strcmp(q, "?synchronous=full") == 0)
            sync = "FULL";
        else if (strcmp(q, "?synchronous=normal") == 0)
            sync = "NORMAL";
        else if (strcmp(q, "?synchronous=off") == 0)
            sync = "OFF";
        else
            return zs_error(err, ZF_EINVAL,
                            "sqlite: unknown parameter '%s' (synchronous=full, normal "
                            "or off)",
                            q + 1);
    }
    if (!(target = zs_strndup(url, q ? (size_t)(q - url) : strlen(url))))
        return zs_error(err, ZF_ENOMEM, NULL);
    if (!(c = zs_calloc(1, sizeof *c))) {
        zs_free(target);
        return zs_error(err, ZF_ENOMEM, NULL);
    }
    src = sqlite3_open_v2(target, &c->db,
                          SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                              SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE,
                          NULL);
    if (src != SQLITE_OK) {
        zs_error(err, ZF_EDATABASE, "sqlite: cannot open '%s': %s", target,
                 c->db ? sqlite3_errmsg(c->db) : sqlite3_errstr(src));
        zs_free(target);
        sq_close(c);
        return ZF_EDATABASE;
    }
    zs_free(target);
    /* Writers wait for each other (BEGIN IMMEDIATE) rather than fail at once. */
    sqlite3_busy_timeout(c->db, 60000);
    /* The WAL is checkpointed as it grows, not each time a connection closes:
       a worker or a CLI command is a short process. */
    sqlite3_db_config(c->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
    /* WAL: readers and one writer at a time, without blocking each other. */
    snprintf(pragmas, sizeof pragmas,
             "PRAGMA journal_mode = WAL; PRAGMA synchronous = %s; "
             "PRAGMA foreign_keys = ON;",
             sync);
    if ((rc = sq_exec(c, pragmas, err))) {
        sq_close(c);
        return rc;
    }
    *out = c;
    return ZF_OK;
}

static zf_code sq_bind(sq_conn *c, sqlite3_stmt *s, const zs_val *params, size_t n,
                       zf_error *err) {
    for (size_t k = 0; k < n; k++) {
        int rc, idx = (int)k + 1;
        switch (params[k].kind) {
        case ZS_INT:
            rc = sqlite3_bind_int64(s, idx, params[k].i);
            break;
        case ZS_TEXT:
            rc =
                sqlite3_bind_text(s, idx, params[k].p, (int)params[k].len, SQLITE_STATIC);
            break;
        case ZS_BLOB:
            rc =
                sqlite3_bind_blob(s, idx, params[k].p, (int)params[k].len, SQLITE_STATIC);
            break;
        default:
            rc = sqlite3_bind_null(s, idx);
        }
        if (rc != SQLITE_OK)
            return sq_fail(c->db, rc, err);
    }
    return ZF_OK;
}

static zf_code sq_run(void *conn, int id, const char *sql, const zs_val *params,
                      size_t nparams, zs_rows *rows, int64_t *changes, zf_error *err) {
    sq_conn *c = conn;
    sqlite3_stmt *s = id >= 0 && id < ZS_SQL_COUNT ? c->stmts[id] : NULL;
    zf_code rc = ZF_OK;
    int src;
    if (!s) {
        src = sqlite3_prepare_v3(c->db, sql, -1, id >= 0 ? SQLITE_PREPARE_PERSISTENT : 0,
                                 &s, NULL);
        if (src != SQLITE_OK)
            return sq_fail(c->db, src, err);
        if (id >= 0 && id < ZS_SQL_COUNT)
            c->stmts[id] = s;
    }
    if ((rc = sq_bind(c, s, params, nparams, err)))
        goto done;
    if (rows)
        zs_rows_begin(rows, (size_t)sqlite3_column_count(s));
    while ((src = sqlite3_step(s)) == SQLITE_ROW) {
        if (!rows)
            continue;
        for (int k = 0; k < sqlite3_column_count(s) && rc == ZF_OK; k++) {
            switch (sqlite3_column_type(s, k)) {
            case SQLITE_INTEGER:
            case SQLITE_FLOAT:
                rc = zs_rows_add(rows, ZS_INT, sqlite3_column_int64(s, k), NULL, 0);
                break;
            case SQLITE_TEXT: {
                const char *t = (const char *)sqlite3_column_text(s, k);
                rc = zs_rows_add(rows, ZS_TEXT, 0, t, (size_t)sqlite3_column_bytes(s, k));
                break;
            }
            case SQLITE_BLOB: {
                const char *b = sqlite3_column_blob(s, k);
                rc = zs_rows_add(rows, ZS_BLOB, 0, b, (size_t)sqlite3_column_bytes(s, k));
                break;
            }
            default:
                rc = zs_rows_add(rows, ZS_NULL, 0, NULL, 0);
            }
        }
        if (rc != ZF_OK) {
            zs_error(err, rc, NULL);
            goto done;
        }
    }
    if (src != SQLITE_DONE) {
        rc = sq_fail(c->db, src, err);
        goto done;
    }
    if (rows)
        zs_rows_seal(rows);
    if (changes)
        *changes = sqlite3_changes64(c->db);
done:
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    if (id < 0 || id >= ZS_SQL_COUNT)
        sqlite3_finalize(s);
    return rc;
}

const zs_driver zs_sqlite_driver = {
    "sqlite",
    "INTEGER PRIMARY KEY",
    "BLOB",
    "TEXT",
    "CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER)",
    "",
    "",
    /* Take the write lock at once: a deferred transaction that reads first
       and then writes can fail with SQLITE_BUSY instead of waiting. */
    "BEGIN IMMEDIATE",
    0,
    sq_open,
    sq_close,
    sq_exec,
    sq_run,
};
