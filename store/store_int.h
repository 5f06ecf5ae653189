/* Internal declarations of libzaakflow-store: the driver interface, the SQL
 * statements, result rows and the store handle. Built on the public headers of
 * libzaakflow only. */
#ifndef ZS_STORE_INT_H
#define ZS_STORE_INT_H

#include <zaakflow.h>
#include <zaakflow/store.h>

#include <stdarg.h>

/* ---- memory: the installable allocator of libzaakflow ------------------- */
void *zs_malloc(size_t size);
void *zs_calloc(size_t n, size_t size);
void *zs_realloc(void *p, size_t size);
void zs_free(void *p);
char *zs_strdup(const char *s);
char *zs_strndup(const char *s, size_t n);

/* Fill err (the first error wins) and return code. */
zf_code zs_error(zf_error *err, zf_code code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* ---- values and result rows -------------------------------------------- */
typedef enum zs_kind { ZS_NULL = 0, ZS_INT, ZS_TEXT, ZS_BLOB } zs_kind;

/* A parameter or a result value. Text and blobs are borrowed (parameters) or
 * point into the rows' arena (results); text is NUL-terminated. */
typedef struct zs_val {
    zs_kind kind;
    int64_t i;
    const char *p;
    size_t len;
} zs_val;

zs_val zs_int(int64_t i);
zs_val zs_text(const char *s); /* NULL -> ZS_NULL */
zs_val zs_blob(const void *p, size_t len);
zs_val zs_null(void);
/* A date as ISO text in `buf`; ZF_DATE_NONE -> ZS_NULL. */
zs_val zs_date(zf_date d, char buf[ZF_DATE_BUFSIZE]);

/* A materialised result: nrows x ncols values. */
typedef struct zs_rows {
    size_t nrows, ncols;
    zs_val *v; /* row-major */
    size_t nv, vcap;
    char *arena; /* text and blobs, each NUL-terminated */
    size_t alen, acap;
    int sealed; /* values point into the arena (offsets before) */
} zs_rows;

void zs_rows_init(zs_rows *r);
void zs_rows_dispose(zs_rows *r);
/* Drivers: begin a result of ncols columns, add values row by row, seal. */
void zs_rows_begin(zs_rows *r, size_t ncols);
zf_code zs_rows_add(zs_rows *r, zs_kind kind, int64_t i, const char *p, size_t len);
void zs_rows_seal(zs_rows *r);
/* Readers. */
const zs_val *zs_cell(const zs_rows *r, size_t row, size_t col);
int64_t zs_cell_int(const zs_rows *r, size_t row, size_t col);      /* NULL -> 0 */
const char *zs_cell_text(const zs_rows *r, size_t row, size_t col); /* NULL -> NULL */
zf_date zs_cell_date(const zs_rows *r, size_t row, size_t col);     /* NULL -> NONE */

/* ---- drivers ------------------------------------------------------------ */
typedef struct zs_driver {
    const char *name;
    /* Dialect: replacements of the tokens of the SQL text (see sql.c). */
    const char *t_id;          /* an identity primary key column type */
    const char *t_blob;        /* binary column type */
    const char *t_date;        /* date column type */
    const char *t_now;         /* the database clock in milliseconds since 1970 */
    const char *t_skip_locked; /* row locks for claims, skipping locked rows */
    const char *t_lock_case;   /* lock the case row read for a change */
    const char *t_begin;       /* begin a transaction that will write */
    int numbered_params;       /* $1, $2 ... instead of ? */
    zf_code (*open)(void **out, const char *target, zf_error *err);
    void (*close)(void *conn);
    /* Run statements without parameters or results (DDL, BEGIN, ...). */
    zf_code (*exec)(void *conn, const char *sql, zf_error *err);
    /* Run statement `id` (a slot for a prepared form; -1 = not kept) with the
     * given SQL text and parameters. `rows` (may be NULL) receives the result;
     * `changes` (may be NULL) the number of rows changed. */
    zf_code (*run)(void *conn, int id, const char *sql, const zs_val *params,
                   size_t nparams, zs_rows *rows, int64_t *changes, zf_error *err);
} zs_driver;

extern const zs_driver zs_sqlite_driver;
#ifdef ZF_STORE_HAVE_PQ
extern const zs_driver zs_pg_driver;
#endif

/* ---- SQL statements ------------------------------------------------------ */
#define ZS_SQL_LIST(X)                                                                   \
    X(SCHEMA_VERSION)                                                                    \
    X(DEF_BY_HASH)                                                                       \
    X(DEF_BY_VERSION)                                                                    \
    X(DEF_VERSIONS)                                                                      \
    X(DEF_INSERT)                                                                        \
    X(DEF_UPDATE)                                                                        \
    X(CASE_LOAD)                                                                         \
    X(CASE_LOCK)                                                                         \
    X(CASE_INSERT)                                                                       \
    X(CASE_UPDATE)                                                                       \
    X(CASE_RELEASE)                                                                      \
    X(CASE_EXISTS)                                                                       \
    X(JOURNAL_INSERT)                                                                    \
    X(DUE_DELETE)                                                                        \
    X(DUE_INSERT)                                                                        \
    X(OUTBOX_INSERT)                                                                     \
    X(LIST_CASES)                                                                        \
    X(LIST_JOURNAL)                                                                      \
    X(LIST_DUE)                                                                          \
    X(CLAIM_CASES)                                                                       \
    X(LIST_OUTBOX)                                                                       \
    X(CLAIM_OUTBOX)                                                                      \
    X(OUTBOX_ACK)                                                                        \
    X(OUTBOX_RELEASE)                                                                    \
    X(DEF_ALL)                                                                           \
    X(DEF_DELETE)                                                                        \
    X(CASES_OF_DEF)                                                                      \
    X(CASE_REKEY)                                                                        \
    X(DUE_SET_PARTY)

#define ZS__SQL_ENUM(name) ZS_##name,
typedef enum zs_sql_id { ZS_SQL_LIST(ZS__SQL_ENUM) ZS_SQL_COUNT } zs_sql_id;
#undef ZS__SQL_ENUM

/* The SQL text of a statement, with tokens ({now}, {skip_locked}, ...) and ?. */
const char *zs_sql_text(zs_sql_id id);
/* The schema: the steps from version k-1 to k, k = 1..ZF_STORE_SCHEMA_VERSION. */
const char *zs_schema_step(int version);

/* ---- the store ----------------------------------------------------------- */
typedef struct zs_defcache {
    char hash[65];
    zf_definition *def;
    int retired; /* replaced by the same meaning with another validity: kept for
                    those who borrowed it, no longer found */
} zs_defcache;

#define ZF__STORE_MAGIC 0x7a667374u /* "zfst" */

struct zf_store {
    unsigned int magic;
    const zs_driver *drv;
    void *conn;
    int in_tx;    /* an explicit transaction (zf_store_begin) */
    int op_depth; /* an operation's transaction or savepoint is open */
    int64_t lease_ms;
    char *owner;
    char *sql[ZS_SQL_COUNT]; /* the statements in the driver's dialect */
    zs_defcache *defs;
    size_t ndefs, capdefs;
};

int zs_store_ok(const zf_store *st);
/* The error of a NULL or invalid store argument. */
zf_code zs_bad_store(zf_error *err);
/* Expand the tokens of SQL text for the store's driver (owned by the caller). */
char *zs_sql_expand(const zs_driver *drv, const char *text);
/* Run a statement of the catalogue. */
zf_code zs_run(zf_store *st, zs_sql_id id, const zs_val *params, size_t nparams,
               zs_rows *rows, int64_t *changes, zf_error *err);

/* An operation's transaction: a transaction of its own, or a savepoint inside
 * the caller's. `write` asks for the write lock at once (SQLite). */
zf_code zs_op_begin(zf_store *st, int write, zf_error *err);
zf_code zs_op_commit(zf_store *st, zf_error *err);
void zs_op_rollback(zf_store *st);

/* The column of the XML snapshot in ZS_CASE_LOAD and ZS_CASE_LOCK (after the
   summary columns; the compact form follows it). */
#define ZS_COL_SNAPSHOT 14

/* Restore the case of result row 0: from its compact form (column snap_col + 1)
 * when it has a readable one, else from its XML snapshot (column snap_col). */
zf_code zs_restore(zf_instance **out, const zf_definition *def, const zs_rows *r,
                   size_t snap_col, int journal, zf_error *err);

/* What is stored of a case must read back: its XML snapshot `snap` (of `s`,
   journal off) through the strict snapshot reader (zf_instance_restore()) to the
   very case whose compact form `compact` is stored beside it. So every stored
   case has passed the strict reader, and the compact form a step restores from
   is a faster encoding of exactly what that reader reads; when the compact form
   cannot be read, the reader itself restores the case (zs_restore). ZF_ESNAPSHOT
   when it does not read back. */
zf_code zs_read_back(const zf_buf *snap, const zf_buf *compact, const zf_instance *s,
                     zf_error *err);

/* A stored definition by hash, by "process@version", or by process id when the
   store holds one version of it; compiled and cached. */
zf_code zs_definition(const zf_definition **out, zf_store *st, const char *which,
                      zf_error *err);
/* The version of `process` valid on `date` (as zf_registry_pick()), or, when
   `process` is a hash or "process@version", that definition. */
zf_code zs_pick(const zf_definition **out, zf_store *st, const char *process,
                zf_date date, zf_error *err);

/* ---- journal items as JSON (json.c) --------------------------------------- */
/* Append the items of journal entry i of `inst` as a JSON array. */
zf_code zs_json_items(zf_buf *out, const zf_instance *inst, size_t i);
/* Parse such an array into *out (zs_malloc'd; NULL when empty), items whose
 * strings point into `text` (unescaped in place). @return the count, -1 when
 * malformed, -2 out of memory. */
long zs_json_parse_items(char *text, zf_journal_item **out);
/* Append s as a JSON string literal. */
void zs_json_string(zf_buf *out, const char *s, zf_code *rc);

#ifdef ZF_TESTING
/* Test hook: make the n-th statement run from now fail (n < 0: never). */
void zf__store_test_fail_sql(long n);
/* Test hook: open a store at schema version `version` (for upgrade tests). */
zf_code zf__store_test_open_at(zf_store **out, const char *url, int version,
                               zf_error *err);
/* Test hook: drop the store's tables (PostgreSQL: SQLite drops one table per
 * statement), whatever their schema version. */
zf_code zf__store_test_drop(const char *url, zf_error *err);
/* Test hook: run SQL statements (no parameters, no results). */
zf_code zf__store_test_exec(zf_store *st, const char *sql, zf_error *err);
/* Test hook: every row of every table, in key order, as text (lease times as
 * "set" or "-", so that dumps compare across the clock). */
zf_code zf__store_test_dump(zf_store *st, zf_buf *out, zf_error *err);
#endif

#endif
