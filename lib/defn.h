/*
 * The compiled process definition: immutable dense tables produced by the
 * loader (load.c -> check.c -> compile.c) and read by the runtime
 * (instance.c). After zf_definition_load() returns, nothing here changes, so
 * any number of threads and instances may share one definition.
 *
 * States are indexed in document pre-order with the <process> element itself
 * as state 0 (the root, a compound state). The descendants of state s are
 * exactly the indexes s+1 .. s+ndesc, so "is a descendant of" is a range test.
 */
#ifndef ZF_DEFN_H
#define ZF_DEFN_H

#include "internal.h"
#include "expr.h"

#include <string.h>

#define ZF_MAX_STATES 4096
#define ZF_MAX_ROLES 32 /* roles are a bit mask */

typedef enum zf__state_kind {
    ZF_STATE_ATOMIC,
    ZF_STATE_COMPOUND,
    ZF_STATE_PARALLEL,
    ZF_STATE_FINAL
} zf__state_kind;

/* zf_event_kind (external, internal, expiry, done) is public: definition.h. */

typedef enum zf__action_kind {
    ZF_ACT_ASSIGN, /* var := expr */
    ZF_ACT_RAISE,  /* queue an internal event */
    ZF_ACT_START,  /* start (or restart) a term; optional `from` expression overrides */
    ZF_ACT_STOP,
    ZF_ACT_SUSPEND, /* open a suspension at the event's date */
    ZF_ACT_RESUME,  /* close the open suspension at the event's date */
    ZF_ACT_EXTEND,  /* add `expr` (a duration) as an extension (verdaging) */
    ZF_ACT_NOTIFY,  /* effect: notify `to` with `text` */
    ZF_ACT_SPAWN,   /* effect: start a related case of process `process` */
    ZF_ACT_LOG      /* journal text only */
} zf__action_kind;

typedef enum zf__relation { ZF_REL_VERVOLG, ZF_REL_DEELZAAK } zf__relation;

/* Where something was declared, for diagnostics and explanations. */
typedef struct zf__srcpos {
    int line, column;
} zf__srcpos;

typedef struct zf__enum {
    const char *id;
    uint16_t nvalues;
    const char **values;
    const char *basis;
    const char **value_basis; /* per value; entries may be NULL */
} zf__enum;

typedef struct zf__var {
    const char *id;
    const char *title;
    zf_type type;
    uint16_t enum_id; /* ZF_NOIDX unless enum */
    uint8_t required; /* must be given when a case starts */
    uint8_t has_default;
    zf_value dflt; /* strings point into the definition */
    const char *basis;
    zf__srcpos pos;
} zf__var;

typedef struct zf__param {
    const char *id;
    zf_type type;
    uint16_t enum_id;
    uint8_t required;
    const char *basis;
} zf__param;

typedef struct zf__event {
    const char *id;
    const char *title;
    zf_event_kind kind;
    uint32_t roles; /* bit mask of roles allowed to fire it; 0 = anyone */
    uint16_t nparams;
    const zf__param *params;
    uint16_t source; /* DONE: the state; EXPIRY: the term; else ZF_NOIDX */
    const char *basis;
    zf__srcpos pos;
} zf__event;

typedef struct zf__role {
    const char *id;
    const char *title;
    const char *basis;
} zf__role;

typedef struct zf__termdef {
    const char *id;
    const char *title;
    uint16_t state;   /* started on entry of this state, stopped on its exit; ZF_NOIDX: by
                         actions only */
    uint16_t scope;   /* the declaring state (0 = <process>): the term stops when it is
                         exited,  also with start="manual" (then state == ZF_NOIDX) */
    uint8_t manual;   /* start="manual": only a <start> action starts it */
    zf__program from; /* date: the trigger (the term starts the day after, Awb 6:8);
                        code == NULL: `today` (the date of the step that starts it) */
    zf__program length; /* duration */
    zf_atw_mode atw;
    const zf_calendar *calendar; /* borrowed (built-in) or owned by the definition */
    zf_suspend_rule suspend_rule;
    zf_extend_rule extend_rule;
    uint16_t expiry_event; /* raised when the term expires; ZF_NOIDX = none */
    const char *party; /* who must act before the last day (schemas/process.xsd `party`);
                          NULL: not declared */
    const char *basis;
    zf__srcpos pos;
} zf__termdef;

typedef struct zf__spawn_param {
    const char *name;
    zf__program value;
    zf__srcpos pos;
} zf__spawn_param;

typedef struct zf__action {
    zf__action_kind kind;
    uint16_t target;  /* ASSIGN: var; RAISE: event; START..EXTEND: term */
    zf__program expr; /* ASSIGN: value; START: optional trigger date; EXTEND: duration */
    const char *text; /* NOTIFY: message; LOG: message; SPAWN: process id */
    const char *to;   /* NOTIFY: addressee (role id or free text) */
    zf__relation relation;         /* SPAWN */
    uint16_t nparams;              /* SPAWN */
    const zf__spawn_param *params; /* SPAWN */
    const char *basis;
    zf__srcpos pos;
} zf__action;

/* A text a journal record takes from the definition, which a restored journal must
 * match (snapshot.c): a transition's (ZF_JOURNAL_TRANSITION, its source state, NULL,
 * its basis or title), a notify's (NOTIFY, ZF_NOIDX, addressee, text), a log's (LOG,
 * ZF_NOIDX, NULL, text), a spawn's (SPAWN, ZF_NOIDX, process, relation) and a spawn
 * parameter's (SPAWN_PARAM, ZF_NOIDX, name, NULL). */
typedef struct zf__jtext {
    unsigned kind, ref;
    const char *a, *b;
} zf__jtext;
/* Their order (kind, ref, a, b; NULL first), for qsort() and bsearch(). */
ZF__INTERNAL int zf__jtext_cmp(const void *a, const void *b);

typedef struct zf__transition {
    uint16_t source;
    uint16_t event;   /* ZF_NOIDX: eventless */
    uint16_t target;  /* ZF_NOIDX: targetless (actions only, no state change) */
    uint8_t internal; /* type="internal" */
    uint32_t roles;   /* additional role restriction (bit mask); 0 = none */
    zf__program cond; /* guard; code == NULL: always */
    uint32_t action_first, naction; /* into zf_definition.actions */
    uint16_t domain; /* transition domain (SCXML); ZF_NOIDX when targetless */
    uint32_t entry_first, nentry; /* states entered, in entry order, into state_pool;
                                     includes default initial descendants */
    const char *title;
    const char *basis;
    zf__srcpos pos;
} zf__transition;

typedef struct zf__state {
    const char *id;
    const char *title;
    zf__state_kind kind;
    uint16_t parent;              /* ZF_NOIDX for the root */
    uint16_t depth;               /* root = 0 */
    uint16_t ndesc;               /* number of descendants: they are s+1 .. s+ndesc */
    uint16_t initial;             /* COMPOUND: the initial child; else ZF_NOIDX */
    uint32_t init_first, ninit;   /* states entered on default entry of this state
                                     (descendants only, entry order), into state_pool */
    uint32_t trans_first, ntrans; /* its transitions in document order */
    uint32_t entry_first, nentry; /* onentry actions */
    uint32_t exit_first, nexit;   /* onexit actions */
    const char *outcome;          /* FINAL: the outcome (uitkomst); may be NULL */
    const char *basis;
    const char *doc; /* <documentation> as written ("" if empty), or NULL; state 0:
                        the process's */
    zf__srcpos pos;
} zf__state;

struct zf_definition {
    unsigned int magic; /* ZF__MAGIC_DEFINITION */
    const char *id, *version, *title, *basis;
    char hash[65];    /* SHA-256 of the canonical form (canon.c), lower-case hex */
    const char *file; /* path given to the loader, or the name */
    /* Validity (valid-from, valid-until on <process>): the days on which a case
       may start on this definition; ZF_DATE_NONE: open. Not in the hash. */
    zf_date valid_from, valid_until;

    uint16_t nstates;
    const zf__state *states;
    uint16_t nevents;
    const zf__event *events; /* interned: index = event id */
    uint16_t nvars;
    const zf__var *vars;
    uint16_t nterms;
    const zf__termdef *terms;
    uint16_t nroles;
    const zf__role *roles;
    uint16_t nenums;
    const zf__enum *enums;
    uint16_t nrates;
    const zf__rate_table *rates;
    uint32_t ntrans;
    const zf__transition *trans;
    uint32_t nactions;
    const zf__action *actions;
    uint32_t npool;
    const uint16_t *state_pool;
    const zf_calendar *calendar; /* the process's default calendar */

    /* The texts journal records may take from it, sorted by zf__jtext_cmp(). */
    const zf__jtext *jtexts;
    size_t njtexts;

    /* Sorted (by strcmp) index arrays for name lookup by binary search. */
    const uint16_t *events_by_name;
    const uint16_t *states_by_name;
    const uint16_t *vars_by_name;
    const uint16_t *terms_by_name;

    /* For each event e, a bit set over the states ((nstates + 31) / 32 words from
       e * state_words) of the states with a transition on e. */
    uint16_t state_words;
    const uint32_t *event_states;
    /* The states that are some term's `scope` (state_words words): entering one starts
       its terms (but the manual ones), exiting one stops them. The tables below are
       all built by every zf__compile(): the runtime has no fallback for a missing
       one. */
    const uint32_t *term_states;
    /* By the first byte c of a name (unsigned): events_by_name[event_first[c] ..
       event_first[c + 1]) are the events whose id (NULL as "") starts with c (257
       entries); role_first[c]: bit mask of the roles whose id starts with c (256
       entries). Both always built by zf__compile(). */
    const uint16_t *event_first;
    const uint32_t *role_first;

    /* Instance layout facts, so that creating an instance scans nothing. term_extra
       has a byte per term: 1 when a <suspend>, <resume> or <extend> action names it
       (its instances keep room for those). */
    const uint8_t *term_extra;
    uint16_t max_params;   /* most parameters of any event */
    uint16_t natomic;      /* atomic and final states (at least 1) */
    uint8_t has_eventless; /* some transition has no event */
    uint8_t flat;          /* no parallel state */

    void *arena;           /* all of the above lives here; one free */
    void *owned_calendars; /* calendars loaded for this definition */
};
ZF__MAGIC_FIRST(struct zf_definition);

/* Lookups by name; ZF_NOIDX when absent. */
ZF__INTERNAL uint16_t zf__defn_state(const struct zf_definition *d, const char *name);
ZF__INTERNAL uint16_t zf__defn_var(const struct zf_definition *d, const char *name);
ZF__INTERNAL uint16_t zf__defn_term(const struct zf_definition *d, const char *name);

/* strcmp() with the first byte compared inline: most probes differ there. The rest
 * goes to the C library's vector strcmp, which long ids with shared prefixes
 * ("bezwaarschrift_ontvangen", "bezwaar_ingetrokken") need; a byte loop here was as
 * fast for short ids and slower for long ones. */
static inline int zf__name_cmp(const char *a, const char *b) {
    if (a[0] != b[0])
        return (unsigned char)a[0] - (unsigned char)b[0];
    return a[0] ? strcmp(a + 1, b + 1) : 0;
}

/* Event by name (fire's hot path, so inline): a binary search of events_by_name
 * among the events whose id starts with the name's first byte (event_first; both
 * tables are built by every zf__compile()). */
static inline uint16_t zf__defn_event(const struct zf_definition *d, const char *name) {
    size_t lo, hi;
    if (!name)
        return ZF_NOIDX;
    lo = d->event_first[(unsigned char)name[0]];
    hi = d->event_first[(unsigned char)name[0] + 1];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *id = d->events[d->events_by_name[mid]].id;
        int c = zf__name_cmp(id ? id : "", name);
        if (c == 0)
            return d->events_by_name[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return ZF_NOIDX;
}

/* Role by name: the roles whose id starts with the name's first byte, in index
 * order (role_first; a compiled definition has at most ZF_MAX_ROLES roles). */
static inline uint16_t zf__defn_role(const struct zf_definition *d, const char *name) {
    if (!name)
        return ZF_NOIDX;
    ZF_ASSERT(d->nroles <= ZF_MAX_ROLES);
    for (uint32_t m = d->role_first[(unsigned char)name[0]]; m; m &= m - 1) {
        unsigned i = zf__ctz32(m);
        if (!zf__name_cmp(d->roles[i].id, name))
            return (uint16_t)i;
    }
    return ZF_NOIDX;
}

/* Whether state a is b or a descendant of b. */
static inline int zf__defn_within(const struct zf_definition *d, uint16_t a, uint16_t b) {
    return a >= b && a <= b + d->states[b].ndesc;
}

#endif
