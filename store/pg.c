/* The PostgreSQL driver (libpq): many stores on many machines share one
 * database; claims lock rows with FOR UPDATE SKIP LOCKED. Statements are
 * prepared once per connection; parameters go as text (blobs in binary),
 * results come as text.
 *
 * libpq is loaded when the first PostgreSQL store is opened, not linked: with
 * Kerberos, LDAP and TLS behind it, loading it costs a program some 25 ms at
 * start, which every run of the command-line tool would otherwise pay, also
 * for SQLite or for no store at all. */
#include "store_int.h"

#include <dlfcn.h>
#include <libpq-fe.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The libpq functions used, called through pq.<name>. */
#define PQ_FUNCTIONS(X)                                                                  \
    X(PQconnectdb)                                                                       \
    X(PQstatus)                                                                          \
    X(PQerrorMessage)                                                                    \
    X(PQfinish)                                                                          \
    X(PQsetNoticeProcessor)                                                              \
    X(PQexec)                                                                            \
    X(PQresultStatus)                                                                    \
    X(PQresultErrorField)                                                                \
    X(PQresultErrorMessage)                                                              \
    X(PQclear)                                                                           \
    X(PQprepare)                                                                         \
    X(PQexecPrepared)                                                                    \
    X(PQexecParams)                                                                      \
    X(PQnfields)                                                                         \
    X(PQntuples)                                                                         \
    X(PQgetvalue)                                                                        \
    X(PQgetlength)                                                                       \
    X(PQftype)                                                                           \
    X(PQgetisnull)                                                                       \
    X(PQcmdTuples)

#define PQ_FIELD(name) __typeof__(name) *name;
static struct { PQ_FUNCTIONS(PQ_FIELD) } pq;
#undef PQ_FIELD

static pthread_once_t pq_once = PTHREAD_ONCE_INIT;
static const char *pq_missing; /* why libpq could not be loaded, or NULL */

static void pq_load(void) {
    void *h = dlopen(ZF_STORE_LIBPQ, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        pq_missing = dlerror();
        return;
    }
#define PQ_LOAD(name)                                                                    \
    if (!(*(void **)&pq.name = dlsym(h, #name))) {                                       \
        pq_missing = #name " is missing";                                                \
        return;                                                                          \
    }
    PQ_FUNCTIONS(PQ_LOAD)
#undef PQ_LOAD
}

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
                    pg ? pq.PQerrorMessage(pg) : "out of memory");
}

/* SQLSTATE class 40 (serialization failure, deadlock): the transaction lost a
   race with another one; trying again is the answer, as for a revision conflict. */
static zf_code pg_result_fail(PGresult *res, pg_conn *c, zf_error *err) {
    const char *state = res ? pq.PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *msg = res ? pq.PQresultErrorMessage(res) : pq.PQerrorMessage(c->pg);
    zf_code code = state && strncmp(state, "40", 2) == 0 ? ZF_ECONFLICT : ZF_EDATABASE;
    if (!res && pq.PQstatus(c->pg) == CONNECTION_OK)
        code = ZF_ENOMEM;
    zs_error(err, code, "postgresql: %s", msg && *msg ? msg : "unknown error");
    pq.PQclear(res);
    return code;
}

static void pg_close(void *conn) {
    pg_conn *c = conn;
    if (!c)
        return;
    pq.PQfinish(c->pg);
    zs_free(c);
}

static zf_code pg_exec(void *conn, const char *sql, zf_error *err) {
    pg_conn *c = conn;
    PGresult *res = pq.PQexec(c->pg, sql);
    ExecStatusType s = res ? pq.PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK)
        return pg_result_fail(res, c, err);
    pq.PQclear(res);
    return ZF_OK;
}

static zf_code pg_open(void **out, const char *target, zf_error *err) {
    pg_conn *c;
    zf_code rc;
    pthread_once(&pq_once, pq_load);
    if (pq_missing)
        return zs_error(err, ZF_EDATABASE, "postgresql: cannot load libpq: %s",
                        pq_missing);
    if (!(c = zs_calloc(1, sizeof *c)))
        return zs_error(err, ZF_ENOMEM, NULL);
    c->pg = pq.PQconnectdb(target);
    if (!c->pg || pq.PQstatus(c->pg) != CONNECTION_OK) {
        rc = pg_conn_fail(c->pg, err);
        pg_close(c);
        return rc;
    }
    pq.PQsetNoticeProcessor(c->pg, quiet, NULL);
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
            res = pq.PQprepare(c->pg, name, sql, (int)nparams, NULL);
            if (!res || pq.PQresultStatus(res) != PGRES_COMMAND_OK)
                return pg_result_fail(res, c, err);
            pq.PQclear(res);
            c->prepared[id] = 1;
        }
        res = pq.PQexecPrepared(c->pg, name, (int)nparams, vals, lens, fmts, 0);
    } else
        res = pq.PQexecParams(c->pg, sql, (int)nparams, NULL, vals, lens, fmts, 0);
    s = res ? pq.PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK)
        return pg_result_fail(res, c, err);
    if (rows) {
        int nf = pq.PQnfields(res), nt = pq.PQntuples(res);
        zs_rows_begin(rows, (size_t)nf);
        for (int r = 0; r < nt && rc == ZF_OK; r++)
            for (int f = 0; f < nf && rc == ZF_OK; f++) {
                const char *t = pq.PQgetvalue(res, r, f);
                size_t len = (size_t)pq.PQgetlength(res, r, f);
                Oid ty = pq.PQftype(res, f);
                if (pq.PQgetisnull(res, r, f))
                    rc = zs_rows_add(rows, ZS_NULL, 0, NULL, 0);
                else if (ty == PG_INT8 || ty == PG_INT4 || ty == PG_INT2)
                    rc = zs_rows_add(rows, ZS_INT, strtoll(t, NULL, 10), NULL, 0);
                else if (ty == PG_BYTEA)
                    rc = add_bytea(rows, t, len);
                else
                    rc = zs_rows_add(rows, ZS_TEXT, 0, t, len);
            }
        if (rc != ZF_OK) {
            pq.PQclear(res);
            return zs_error(err, rc, NULL);
        }
        zs_rows_seal(rows);
    }
    if (changes) {
        const char *n = pq.PQcmdTuples(res);
        *changes = n && *n ? strtoll(n, NULL, 10) : 0;
    }
    pq.PQclear(res);
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
