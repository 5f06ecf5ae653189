/*
 * Private layout of a compiled migration (migration.c builds it from a
 * document, migrate.c runs it on a case). Everything is resolved to indexes
 * of the two definitions; since a definition's hash covers every index its
 * tables use (canon.c), it fits any definitions with the same hashes.
 */
#ifndef ZF_MIGRATION_INT_H
#define ZF_MIGRATION_INT_H

#include "load.h"
#include "zaakflow/migration.h"

/* Where a variable of the new version gets its value. */
typedef enum zf__mvar_kind {
    ZF__MV_NONE = 0, /* its default, or unset */
    ZF__MV_COPY,     /* the value of old variable `old` (renamed or of the same id) */
    ZF__MV_EXPR      /* `expr`, evaluated on the old case */
} zf__mvar_kind;

typedef struct zf__mvar {
    uint8_t kind;      /* zf__mvar_kind */
    uint8_t journaled; /* set explicitly (rename, set): journaled as an assignment */
    uint16_t old;      /* ZF__MV_COPY: the old variable */
    zf__program expr;  /* ZF__MV_EXPR: compiled in the old version's scope */
} zf__mvar;

/* What happens to a term of the new version. */
typedef enum zf__mterm_kind {
    ZF__MT_IDLE = 0,  /* nothing carried over: idle */
    ZF__MT_KEEP,      /* the old term `old` as it is */
    ZF__MT_RECOMPUTE, /* trigger and length from the new rule (old may be ZF_NOIDX) */
    ZF__MT_STOP       /* the old term `old`, stopped on the migration date */
} zf__mterm_kind;

typedef struct zf__mterm {
    uint8_t kind; /* zf__mterm_kind */
    uint16_t old; /* the old term, or ZF_NOIDX */
} zf__mterm;

struct zf_migration {
    unsigned int magic;
    const char *from_id, *from_version, *to_id, *to_version, *basis;
    char from_hash[65], to_hash[65];
    uint16_t nold_states, nold_vars, nold_terms, nnew_vars, nnew_terms;
    const uint16_t *state_target;    /* per old state: the new state, or ZF_NOIDX */
    const uint8_t *old_var_dropped;  /* per old variable: 1 when not carried over */
    const uint8_t *old_term_stopped; /* per old term: stopped, with no new term for it */
    const zf__mvar *vars;            /* per new variable */
    const zf__mterm *terms;          /* per new term */
    void *arena;                     /* everything above lives here */
};
ZF__MAGIC_FIRST(struct zf_migration);

/* Finds the definition a migration's `from` or `to` names (`to` 0 or 1); NULL when
 * there is none. */
typedef const zf_definition *(*resolve_fn)(void *ctx, const char *id, const char *version,
                                           int to);

/* zf_migration_load() with the definitions found by `resolve` (`missing` says where
 * it looks, for the message when it finds none). */
ZF__INTERNAL zf_code zf__migration_load_with(zf_migration **out, const char *path,
                                             resolve_fn resolve, void *ctx,
                                             const char *missing, zf_diagnostics *diags,
                                             zf_error *err);
/* Whether the file at `path` looks like a migration document (its root element). */
ZF__INTERNAL int zf__migration_sniff(const char *path);

#endif
