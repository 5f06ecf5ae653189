/*
 * The expression language of process definitions (guards, term starts and
 * lengths, assignments, spawn parameters): lexer, parser, static type checker,
 * compiler to compact bytecode, and an allocation-free stack VM.
 * Grammar: docs/expressions.md.
 */
#ifndef ZF_EXPR_H
#define ZF_EXPR_H

#include "internal.h"
#include "zaakflow/value.h"

#define ZF_NOIDX 0xffffu

/* What a name in an expression refers to. */
typedef enum zf__sym_kind {
    ZF_SYM_VAR,   /* a process variable:         name              */
    ZF_SYM_PARAM, /* a parameter of the event:   event.<name>      */
    ZF_SYM_TERM,  /* a term:                     end(t), running(t), ... */
    ZF_SYM_STATE, /* a state:                    in(s)             */
    ZF_SYM_RATES  /* a rate table:               accrued(r, ...)   */
} zf__sym_kind;

/* The answer of a name lookup during compilation. */
typedef struct zf__sym {
    uint16_t index;      /* index in the definition's table of that kind */
    zf_type type;        /* for VAR and PARAM */
    uint16_t enum_id;    /* for ZF_TYPE_ENUM: the enumeration, else ZF_NOIDX */
    uint8_t maybe_unset; /* VAR, PARAM: may have no value (an optional parameter, a
                            variable without default that is not required) */
} zf__sym;

/*
 * What the compiler tells the checker about a compiled expression (the
 * scope's `fact` callback, called only when compilation succeeds). Offsets
 * are characters into the expression.
 */
typedef enum zf__fact_kind {
    ZF_FACT_SET,       /* when true, symbol `sym` has a value (an is_set() test) */
    ZF_FACT_EQ,        /* when true, symbol == value (bool: 0/1; enum: value index) */
    ZF_FACT_NE,        /* when true, symbol != value */
    ZF_FACT_UNGUARDED, /* a read of a maybe-unset symbol that no is_set() test in the
                          expression guards (at `offset`) */
    ZF_FACT_LITERAL,   /* a literal the result can be (through ?: branches): a string
                          (`text`, `len`, not NUL-terminated) or a duration (`value`
                          units of `unit`), at `offset`; `all` says whether every
                          possible result is such a literal */
    ZF_FACT_CONST      /* the expression reads nothing: its value is fixed */
} zf__fact_kind;

typedef struct zf__expr_fact {
    zf__fact_kind kind;
    zf__sym_kind sym_kind; /* SET, EQ, NE, UNGUARDED */
    uint16_t sym;
    int64_t value;
    uint8_t unit; /* LITERAL of type duration: zf_unit */
    uint8_t all;  /* LITERAL */
    zf_type type; /* LITERAL: ZF_TYPE_STRING or ZF_TYPE_DURATION */
    int offset;
    const char *text;
    size_t len;
} zf__expr_fact;

/*
 * Compile-time environment, supplied by the definition loader.
 * lookup() returns 1 and fills `out` when `name` (len bytes, not
 * NUL-terminated) names a symbol of `kind`, else 0.
 * enum_value() returns the index of `value` in enumeration `enum_id`, or -1.
 */
typedef struct zf__expr_scope {
    int (*lookup)(void *ctx, zf__sym_kind kind, const char *name, size_t len,
                  zf__sym *out);
    int (*enum_value)(void *ctx, uint16_t enum_id, const char *value, size_t len);
    const char *(*enum_name)(void *ctx, uint16_t enum_id,
                             uint16_t value); /* for messages */
    void *ctx;
    int event_allowed; /* 1 inside a transition: event.date and event.<param> are allowed
                        */
    /* Optional (NULL: not used). The id of an enumeration, for messages. */
    const char *(*enum_id_name)(void *ctx, uint16_t enum_id);
    /* Optional: receives the facts of a successful compilation (zf__fact_kind). */
    void (*fact)(void *ctx, const zf__expr_fact *f);
    /* Optional: a position in the expression for messages, e.g. "4:47" in the file;
       without it, "character N" (1-based). */
    void (*where)(void *ctx, int offset, char *buf, size_t cap);
} zf__expr_scope;

/* A compiled expression. `code` is owned by the program (free with zf__expr_free). */
typedef struct zf__program {
    uint8_t *code; /* NULL: no expression */
    uint32_t len;
    zf_type type;       /* result type */
    uint16_t enum_id;   /* for ZF_TYPE_ENUM results */
    uint16_t max_stack; /* stack slots the VM needs; <= ZF_EXPR_MAX_STACK */
    const char *source; /* borrowed: the source text, for messages; may be NULL */
} zf__program;

#define ZF_EXPR_MAX_STACK 32
#define ZF_EXPR_MAX_LEN 4096 /* characters in one expression */

/*
 * Where compilation failed: `offset` is the 0-based character (not byte)
 * offset of the offending token inside the expression text, so the loader can
 * turn it into file:line:column. `code` is ZF_EPARSE for syntax errors and
 * ZF_ESEMANTIC for unknown names and type errors.
 */
typedef struct zf__expr_diag {
    zf_code code;
    int offset;
    char message[256];
} zf__expr_diag;

/*
 * Compile `src` (len bytes of UTF-8). When `expect` is not ZF_TYPE_VOID the
 * result must have that type; int is accepted where money is expected.
 * When `expect` is ZF_TYPE_ENUM, the caller sets out->enum_id to the expected
 * enumeration before the call (ZF_NOIDX: any), so that a string literal such
 * as 'gegrond' can be resolved against it. out->source is set by the compiler
 * to its own NUL-terminated copy of the text.
 * Returns ZF_OK, ZF_EPARSE, ZF_ESEMANTIC (diag filled) or ZF_ENOMEM.
 */
ZF__INTERNAL zf_code zf__expr_compile(zf__program *out, const char *src, size_t len,
                                      const zf__expr_scope *scope, zf_type expect,
                                      zf__expr_diag *diag);

ZF__INTERNAL void zf__expr_free(zf__program *prog);

/* Answers the VM asks the runtime about terms. */
typedef enum zf__term_query {
    ZF_TQ_END,   /* date: computed last day (ZF_TYPE_VOID when the term never started) */
    ZF_TQ_START, /* date: trigger date */
    ZF_TQ_RUNNING,  /* bool */
    ZF_TQ_EXPIRED,  /* bool */
    ZF_TQ_EXTENDED, /* bool: at least one extension */
    ZF_TQ_SUSPENDED /* bool: a suspension is open */
} zf__term_query;

/* A version of a rate table: from `valid_from`, `ntiers` tiers of `days` days at `cents`
 * a day. */
typedef struct zf__rate_tier {
    int32_t days;
    int64_t cents;
} zf__rate_tier;

typedef struct zf__rate_version {
    zf_date valid_from;
    uint16_t ntiers;
    const zf__rate_tier *tiers;
    const char *basis;
} zf__rate_version;

typedef struct zf__rate_table {
    const char *id;
    uint16_t nversions; /* sorted by valid_from */
    const zf__rate_version *versions;
    const char *basis;
} zf__rate_table;

/*
 * Money accrued from `from` to `to` inclusive at the version valid on `asof`,
 * tier by tier; days beyond the last tier accrue nothing (the maximum, e.g.
 * 42 days under Awb 4:17 lid 1). Returns 0 and sets *cents, or -1 when no
 * version is valid on `asof`.
 */
ZF__INTERNAL int zf__rates_accrued(const zf__rate_table *t, zf_date asof, zf_date from,
                                   zf_date to, int64_t *cents);

/* Runtime context of one evaluation. All pointers are borrowed. */
typedef struct zf__eval_ctx {
    const zf_value *vars;   /* process variables by index; NULL: ask var() */
    const zf_value *params; /* parameters of the current event, or NULL */
    zf_date event_date;     /* date of the current event (ZF_DATE_NONE outside one) */
    zf_date today;          /* the instance's current date: `today` */
    const zf_calendar *calendar; /* for workdays(); NULL = Atw */
    const zf__rate_table *rates; /* rate tables by index */
    /* Variables (when vars is NULL), terms and states: answered by the runtime.
       Return 0, or -1 when unknown. */
    int (*var)(void *host, uint16_t var, zf_value *out);
    int (*term)(void *host, uint16_t term, zf__term_query q, zf_value *out);
    int (*in_state)(void *host, uint16_t state);
    void *host;
} zf__eval_ctx;

/*
 * Evaluate a program. Never allocates. Errors (ZF_EEVAL): overflow, division
 * by zero, an unset variable or parameter, a date out of range, a term that
 * has not started. The message names the expression source when known.
 */
ZF__INTERNAL zf_code zf__expr_eval(const zf__program *prog, const zf__eval_ctx *ctx,
                                   zf_value *out, zf_error *err);

/*
 * Append the canonical spelling of an expression to `out`: its tokens with
 * one blank between them (none inside a call or member access, none after
 * a sign), numbers, money, dates and durations in one spelling each
 * (12.50eur, 2026-01-05, 6w), strings in single quotes. Two texts with the
 * same canonical spelling are the same expression. Text that does not lex
 * is appended as it is. ZF_OK or ZF_ENOMEM (out keeps what it had).
 */
ZF__INTERNAL zf_code zf__expr_canon(zf_buf *out, const char *src, size_t len);

/* Disassemble a program into `out`, one instruction a line (tests, debugging). */
ZF__INTERNAL zf_code zf__expr_disasm(const zf__program *prog, zf_buf *out);

#endif
