/* The PostgreSQL driver (libpq): many stores on many machines share one
 * database; claims lock rows with FOR UPDATE SKIP LOCKED. Statements are
 * prepared once per connection; parameters go as text (blobs in binary),
 * results come as text. */
#include "store_int.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Type OIDs of pg_type (stable since PostgreSQL 7). */
#define PG_BYTEA 17
#define PG_INT8 20
#define PG_INT2 21
#define PG_INT4 23

#define PG_MAX_PARAMS 32

typedef struct pg_conn {
    PGconn *pg;
    unsigned char prepared[ZS_SQL_COUNT];
} pg_conn;

static void quiet(void *arg, const char *message) {
    (void)arg;
    (void)message;
}

static zf_code pg_conn_fail(PGconn *pg, zf_error *err) {
    return zs_error(err, ZF_EDATABASE, "postgresql: %s",
                    pg ? PQerrorMessage(pg) : "out of memory");
}

/* SQLSTATE class 40 (serialization failure, deadlock): the transaction lost a
   race with another one; trying again is the answer, as for a revision conflict. */
static zf_code pg_result_fail(PGresult *res, pg_conn *c, zf_error *err) {
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *msg = res ? PQresultErrorMessage(res) : PQerrorMessage(c->pg);
    zf_code code = state && strncmp(state, "40", 2) == 0 ? ZF_ECONFLICT : ZF_EDATABASE;
    if (!res && PQstatus(c->pg) == CONNECTION_OK)
        code = ZF_ENOMEM;
    zs_error(err, code, "postgresql: %s", msg && *msg ? msg : "unknown error");
    PQclear(res);
    return code;
}

static void pg_close(void *conn) {
    pg_conn *c = conn;
    if (!c)
        return;
    PQfinish(c->pg);
    zs_free(c);
}

static zf_code pg_exec(void *conn, const char *sql, zf_error *err) {
    pg_conn *c = conn;
    PGresult *res = PQexec(c->pg, sql);
    ExecStatusType s = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK)
        return pg_result_fail(res, c, err);
    PQclear(res);
    return ZF_OK;
}

static zf_code pg_open(void **out, const char *target, zf_error *err) {
    pg_conn *c = zs_calloc(1, sizeof *c);
    zf_code rc;
    if (!c)
        return zs_error(err, ZF_ENOMEM, NULL);
    c->pg = PQconnectdb(target);
    if (!c->pg || PQstatus(c->pg) != CONNECTION_OK) {
        rc = pg_conn_fail(c->pg, err);
        pg_close(c);
        return rc;
    }
    PQsetNoticeProcessor(c->pg, quiet, NULL);
    /* Dates travel as ISO text; the session's zone and style must not change them. */
    if ((rc = pg_exec(c,
                      "SET client_min_messages = warning; SET DateStyle = 'ISO, YMD'; "
                      "SET TIME ZONE 'UTC'",
                      err))) {
        pg_close(c);
        return rc;
    }
    *out = c;
    return ZF_OK;
}

static int hexval(int ch) {
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

/* bytea in text form is "\x" and hex digits (bytea_output = hex, the default
   since 9.0); decode it in place of a copy. */
static zf_code add_bytea(zs_rows *rows, const char *t, size_t len) {
    zf_code rc;
    size_t n;
    char *tmp;
    if (len < 2 || t[0] != '\\' || t[1] != 'x' || (len - 2) % 2)
        return zs_rows_add(rows, ZS_BLOB, 0, t, len);
    n = (len - 2) / 2;
    if (!(tmp = zs_malloc(n + 1)))
        return ZF_ENOMEM;
    for (size_t k = 0; k < n; k++) {
        int hi = hexval((unsigned char)t[2 + 2 * k]),
            lo = hexval((unsigned char)t[3 + 2 * k]);
        tmp[k] = (char)(hi < 0 || lo < 0 ? 0 : hi * 16 + lo);
    }
    rc = zs_rows_add(rows, ZS_BLOB, 0, tmp, n);
    zs_free(tmp);
    return rc;
}

static zf_code pg_run(void *conn, int id, const char *sql, const zs_val *params,
                      size_t nparams, zs_rows *rows, int64_t *changes, zf_error *err) {
    pg_conn *c = conn;
    const char *vals[PG_MAX_PARAMS];
    int lens[PG_MAX_PARAMS], fmts[PG_MAX_PARAMS];
    char ints[PG_MAX_PARAMS][24], name[24];
    PGresult *res;
    ExecStatusType s;
    zf_code rc = ZF_OK;
    if (nparams > PG_MAX_PARAMS)
        return zs_error(err, ZF_EINVAL, "too many parameters");
    for (size_t k = 0; k < nparams; k++) {
        fmts[k] = 0;
        lens[k] = 0;
        switch (params[k].kind) {
        case ZS_INT:
            snprintf(ints[k], sizeof ints[k], "%lld", (long long)params[k].i);
            vals[k] = ints[k];
            break;
        case ZS_TEXT:
            vals[k] = params[k].p;
            break;
        case ZS_BLOB:
            vals[k] = params[k].p;
            lens[k] = (int)params[k].len;
            fmts[k] = 1;
            break;
        default:
            vals[k] = NULL;
        }
    }
    if (id >= 0 && id < ZS_SQL_COUNT) {
        snprintf(name, sizeof name, "zf_%d", id);
        if (!c->prepared[id]) {
            res = PQprepare(c->pg, name, sql, (int)nparams, NULL);
            if (!res || PQresultStatus(res) != PGRES_COMMAND_OK)
                return pg_result_fail(res, c, err);
            PQclear(res);
            c->prepared[id] = 1;
        }
        res = PQexecPrepared(c->pg, name, (int)nparams, vals, lens, fmts, 0);
    } else
        res = PQexecParams(c->pg, sql, (int)nparams, NULL, vals, lens, fmts, 0);
    s = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK)
        return pg_result_fail(res, c, err);
    if (rows) {
        int nf = PQnfields(res), nt = PQntuples(res);
        zs_rows_begin(rows, (size_t)nf);
        for (int r = 0; r < nt && rc == ZF_OK; r++)
            for (int f = 0; f < nf && rc == ZF_OK; f++) {
                const char *t = PQgetvalue(res, r, f);
                size_t len = (size_t)PQgetlength(res, r, f);
                Oid ty = PQftype(res, f);
                if (PQgetisnull(res, r, f))
                    rc = zs_rows_add(rows, ZS_NULL, 0, NULL, 0);
                else if (ty == PG_INT8 || ty == PG_INT4 || ty == PG_INT2)
                    rc = zs_rows_add(rows, ZS_INT, strtoll(t, NULL, 10), NULL, 0);
                else if (ty == PG_BYTEA)
                    rc = add_bytea(rows, t, len);
                else
                    rc = zs_rows_add(rows, ZS_TEXT, 0, t, len);
            }
        if (rc != ZF_OK) {
            PQclear(res);
            return zs_error(err, rc, NULL);
        }
        zs_rows_seal(rows);
    }
    if (changes) {
        const char *n = PQcmdTuples(res);
        *changes = n && *n ? strtoll(n, NULL, 10) : 0;
    }
    PQclear(res);
    return ZF_OK;
}

const zs_driver zs_pg_driver = {
    "postgresql",
    "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
    "BYTEA",
    "DATE",
    "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)",
    "FOR UPDATE SKIP LOCKED",
    "FOR UPDATE OF c",
    "BEGIN",
    1,
    pg_open,
    pg_close,
    pg_exec,
    pg_run,
};
