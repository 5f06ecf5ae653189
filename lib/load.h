/*
 * Private interface of the definition loader: secure XML parsing and schema
 * validation (load.c), semantic checks (check.c), compilation (compile.c) and
 * the diagnostics list they share.
 */
#ifndef ZF_LOAD_H
#define ZF_LOAD_H

#include "defn.h"
#include "zaakflow/definition.h"

#include <libxml/tree.h>

/* Limits of the loader (docs/language.md, "Limits"). */
#define ZF_LOAD_MAX_FILE (16u * 1024u * 1024u)
#define ZF_LOAD_MAX_DEPTH 256
#define ZF_LOAD_MAX_ELEMENTS 100000
#define ZF_LOAD_MAX_ATTR (64u * 1024u)
/* Findings kept per file; more are counted but not stored. */
#define ZF_LOAD_MAX_DIAGS 200

/* The embedded schemas (schemas/process.xsd, schemas/migration.xsd), compiled in
 * by build-aux/embed.sh. */
extern const unsigned char zf__process_xsd[];
extern const size_t zf__process_xsd_len;
extern const unsigned char zf__migration_xsd[];
extern const size_t zf__migration_xsd_len;

/* Which schema a document is validated against. */
typedef enum zf__schema_kind {
    ZF__SCHEMA_PROCESS = 0,
    ZF__SCHEMA_MIGRATION = 1
} zf__schema_kind;

/* Where an element starts in the file: byte offset of its '<', line and column. */
typedef struct zf__elpos {
    uint32_t offset;
    int line, column;
} zf__elpos;

/* A parsed, schema-valid document together with the bytes it came from. */
typedef struct zf__xml {
    const char *name;  /* the path or name used in diagnostics */
    const char *bytes; /* the original bytes (borrowed) */
    size_t len;
    xmlDocPtr doc;
    zf__elpos *pos; /* indexed by (uintptr_t)node->_private - 1 */
    size_t npos, apos;
    zf__schema_kind schema; /* ZF__SCHEMA_PROCESS unless set */
} zf__xml;

/*
 * Diagnostics of one load. Errors also fill `err` (first wins). `count`
 * limits what is stored (ZF_LOAD_MAX_DIAGS); `oom` records a failed append,
 * after which the caller returns ZF_ENOMEM.
 */
typedef struct zf__diagctx {
    zf_diagnostics *out; /* may be NULL: only counted */
    zf_error *err;
    const char *file;
    size_t errors, warnings, stored;
    zf_code first; /* code of the first error */
    int oom;
} zf__diagctx;

ZF__INTERNAL void zf__diag_add(zf__diagctx *dc, zf_severity sev, zf_code code,
                               const char *check, int line, int column, const char *fmt,
                               ...) ZF__PRINTF(7, 8);

/* Stable sort of diags->items[from..count) by line and column. */
ZF__INTERNAL void zf__diags_sort(zf_diagnostics *diags, size_t from);
/* Fill err (if still ZF_OK) from the first error of diags->items[from..count), or
 * with code rc and its generic message when there is none. */
ZF__INTERNAL void zf__diags_first_error(zf_error *err, const zf_diagnostics *diags,
                                        size_t from, zf_code rc);

/* Read a file (at most ZF_LOAD_MAX_FILE bytes). ZF_EIO, ZF_EPARSE (too large), ZF_ENOMEM.
 */
ZF__INTERNAL zf_code zf__load_read_file(char **out, size_t *len, zf__diagctx *dc);

/*
 * Parse `x->bytes` securely and validate against the schema. On ZF_OK
 * `x->doc` holds the document; release with zf__load_release() in any case.
 * Returns ZF_OK, ZF_EPARSE, ZF_ESCHEMA or ZF_ENOMEM; findings go to `dc`.
 */
ZF__INTERNAL zf_code zf__load_parse(zf__xml *x, zf__diagctx *dc);
ZF__INTERNAL void zf__load_release(zf__xml *x);
/* Drop the built-in schema: the next load parses it again (tests of allocation
 * failures while it is parsed). */
ZF__INTERNAL void zf__load_schema_reset(void);

/*
 * Read only as much of the file at `path` as it takes to reach its root
 * element (at most 64 KiB), without network, DTD or entities: when it is a
 * <process> of the process namespace with an id, copy its id and version
 * ("" when absent) into the buffers of `cap` bytes and return 0; else -1.
 */
ZF__INTERNAL int zf__load_root(const char *path, char *id, char *version, size_t cap);

/* Position of an element's start tag; {0,0,0} when unknown. */
ZF__INTERNAL zf__elpos zf__load_elpos(const zf__xml *x, const xmlNode *node);

/*
 * Position of the `chars`-th character (0-based, counting an entity or
 * character reference as one) of the value of attribute `attr` of `node`.
 * Falls back to the element's position when the attribute is not found.
 */
ZF__INTERNAL void zf__load_attrpos(const zf__xml *x, const xmlNode *node,
                                   const char *attr, int chars, int *line, int *column);

/* A bump allocator: a list of chunks, freed at once. Owns all definition memory. */
typedef struct zf__chunk zf__chunk;
typedef struct zf__arena {
    zf__chunk *head;
} zf__arena;

ZF__INTERNAL void *zf__arena_alloc(zf__arena *a,
                                   size_t n); /* zeroed, 8-aligned; NULL: no memory */
ZF__INTERNAL char *zf__arena_strndup(zf__arena *a, const char *s, size_t n);
ZF__INTERNAL char *zf__arena_strdup(zf__arena *a, const char *s); /* NULL stays NULL */
ZF__INTERNAL void zf__arena_free(zf__arena *a);

/*
 * The semantic model built by check.c: the final tables, allocated in the
 * arena with their exact sizes (counted before the walk), plus the DOM nodes
 * they came from for diagnostics. compile.c adds the name indexes and hash.
 */
typedef struct zf__model {
    const zf__xml *x;
    zf__diagctx *dc;
    zf__arena arena;
    int oom;
    int complete; /* every check ran: the tables are built (perhaps with errors) */

    const char *id, *version, *title, *basis;
    const zf_calendar *calendar;
    zf_date valid_from, valid_until; /* ZF_DATE_NONE: open */

    zf__state *states;
    size_t nstates;
    const xmlNode **state_node;
    zf__event *events;
    size_t nevents;
    const xmlNode **event_node; /* NULL: implicit */
    size_t
        ndeclared_events; /* events[0 .. ndeclared_events-1] are declared in <events> */
    zf__var *vars;
    size_t nvars;
    const xmlNode **var_node;
    zf__termdef *terms;
    size_t nterms;
    const xmlNode **term_node;
    zf__role *roles;
    size_t nroles;
    const xmlNode **role_node;
    zf__enum *enums;
    size_t nenums;
    const xmlNode **enum_node;
    zf__rate_table *rates;
    size_t nrates;
    const xmlNode **rate_node;
    zf__transition *trans;
    size_t ntrans;
    const xmlNode **trans_node;
    zf__action *actions;
    size_t nactions;
    const xmlNode **action_node;

    /* Entry sets and default-entry lists (growable, zf__malloc'd). */
    uint16_t *pool;
    size_t npool, apool;

    /* What the checks saw used, for the unused-* warnings. */
    uint8_t *var_used, *event_used, *term_mentioned, *rates_used;

    /* The string literals a spawn's <with> can pass (each possible result of its
       expression, through ?:), for the checks across files (growable). */
    struct zf__with_literal {
        uint32_t action;
        uint16_t param;
        uint8_t all; /* every possible value of the expression is a literal */
        const char *text;
        int line, column;
    } * with_literals;
    size_t nwith_literals, awith_literals;
} zf__model;

/*
 * Check a parsed, schema-valid document. On ZF_OK *out is the model. On
 * ZF_ESEMANTIC the model is freed, unless `keep` is set: then *out is the
 * model with its errors (tables partly resolved: unresolved references are
 * ZF_NOIDX, failed expressions have no code), for the checks across files.
 */
ZF__INTERNAL zf_code zf__check_model(zf__model **out, const zf__xml *x, zf__diagctx *dc,
                                     int keep);
ZF__INTERNAL void zf__model_free(zf__model *m);

/*
 * Fill init_first/ninit of every state, and domain/entry_first/nentry of
 * every transition whose target is resolved, appending to m->pool.
 * ZF_OK or ZF_ENOMEM.
 */
ZF__INTERNAL zf_code zf__compile_entry_sets(zf__model *m);

/* Compile a checked model into a definition; the model's arena moves into it. */
ZF__INTERNAL zf_code zf__compile(struct zf_definition **out, zf__model *m,
                                 const char *file);

/* canon.c: the canonical form of a compiled definition (docs/versions.md), and
 * d->hash set to its SHA-256. ZF_OK or ZF_ENOMEM. */
ZF__INTERNAL zf_code zf__defn_canonical(zf_buf *out, const struct zf_definition *d);
ZF__INTERNAL zf_code zf__defn_hash(struct zf_definition *d);

/*
 * As zf_definition_parse() of `bytes` under `name`, keeping the parsed document
 * in `doc` for the caller, who reads more from the very bytes the definition was
 * compiled from (zgw.c: the zgw: annotations) and releases it with
 * zf__load_release() whatever the result (doc->doc is NULL when parsing failed).
 */
ZF__INTERNAL zf_code zf__definition_parse_keep(struct zf_definition **out, zf__xml *doc,
                                               const char *bytes, size_t len,
                                               const char *name, zf_diagnostics *diags,
                                               zf_error *err);

/* Free a definition's memory (no magic check). */
ZF__INTERNAL void zf__defn_destroy(struct zf_definition *d);

#endif
