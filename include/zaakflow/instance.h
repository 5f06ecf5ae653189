/**
 * @file zaakflow/instance.h
 * Case instances: one running procedure of a compiled process definition.
 *
 * An instance is a functional core: (definition, instance, event, date, actor)
 * -> new instance state + ordered effects. It has no clock, no threads and no
 * I/O: time is an argument (events carry their legal date, zf_instance_advance()
 * lets time pass), effects (notify, spawn) are returned to the host.
 *
 * Semantics follow W3C SCXML (document order, run to completion, done.state
 * events, eventless transitions, internal events); terms (deadlines) are data
 * computed with zf_term_compute().
 *
 * Every mutator is atomic: a failing call leaves the instance exactly as it
 * was (its snapshot is byte-identical). With the journal off, zf_instance_fire()
 * and zf_instance_advance() allocate nothing in steady state.
 *
 * An instance is not thread-safe; the definition it runs may be shared.
 */
#ifndef ZAAKFLOW_INSTANCE_H
#define ZAAKFLOW_INSTANCE_H

#include "zaakflow/common.h"
#include "zaakflow/error.h"
#include "zaakflow/buf.h"
#include "zaakflow/date.h"
#include "zaakflow/term.h"
#include "zaakflow/value.h"
#include "zaakflow/definition.h"

ZF_BEGIN_DECL

/** A running case. Opaque; free with zf_instance_free(). */
typedef struct zf_instance zf_instance;

/** The XML namespace of snapshots (schemas/snapshot.xsd). */
#define ZF_SNAPSHOT_NS "urn:zaakflow:snapshot:1"

/** Suspensions (opschortingen) and extensions (verdagingen) kept per term. */
#define ZF_INSTANCE_MAX_SUSPENSIONS 4
#define ZF_INSTANCE_MAX_EXTENSIONS 4
/** Microsteps (transitions sets taken) one call may run before ZF_ELIMIT. */
#define ZF_INSTANCE_MAX_MICROSTEPS 1000
/** Internal events that may wait in the queue at once. */
#define ZF_INSTANCE_MAX_QUEUE 64

/** Who fires an event. All pointers are borrowed for the duration of the call. */
typedef struct zf_actor {
    const char *id; /**< free text, e.g. an employee number; journaled; may be NULL */
    const char *const *roles; /**< role ids of the definition; unknown ids are ignored */
    size_t nroles;
} zf_actor;

/**
 * A named value: an initial variable or an event parameter. A value of type
 * ZF_TYPE_STRING given for a variable or parameter of another type is parsed
 * as text of that type ("2026-01-05", "6w", "true", "12.50", an enum value).
 * Strings are borrowed for the duration of the call; the instance copies what it keeps.
 */
typedef struct zf_param_value {
    const char *name;
    zf_value value;
} zf_param_value;

/** Default of zf_instance_options.max_snapshot: 16 MiB, as for definition files. */
#define ZF_SNAPSHOT_MAX_BYTES 16777216
/** Default of zf_instance_options.max_journal. */
#define ZF_JOURNAL_MAX_ENTRIES 100000

/**
 * Options of zf_instance_new(), zf_instance_restore() and zf_snapshot_info().
 * Start from ZF_INSTANCE_OPTIONS_INIT. Version 1 callers (without the fields
 * marked version 2) keep working: those fields then take their defaults.
 */
typedef struct zf_instance_options {
    unsigned int version; /**< ZF_INSTANCE_OPTIONS_VERSION */
    int journal; /**< 1: keep the journal (audit trail); 0: off (no allocation in fire) */
    /**
     * Bytes of the per-instance store for the text of string variables,
     * allocated at creation; 0 = 256 bytes per string variable. Assigning
     * text that does not fit (after compaction) fails with ZF_ELIMIT.
     */
    size_t string_capacity;
    /**
     * Version 2. The largest snapshot, in bytes, that zf_instance_restore()
     * and zf_snapshot_info() read and zf_instance_snapshot() writes (ZF_ELIMIT
     * beyond it); 0 = ZF_SNAPSHOT_MAX_BYTES. At most 4 GiB - 1.
     */
    size_t max_snapshot;
    /**
     * Version 2. The most journal entries a case keeps: a step that would add
     * one more fails with ZF_ELIMIT (nothing changed), and a snapshot with more
     * is refused with ZF_ELIMIT; 0 = ZF_JOURNAL_MAX_ENTRIES. At most 4294967295.
     */
    size_t max_journal;
    /**
     * Version 2. The host's secret key for HMAC-SHA-256 (any length; copied,
     * the caller keeps its buffer), or NULL. With a key, every snapshot the
     * instance writes carries a MAC, and zf_instance_restore() and
     * zf_snapshot_info() refuse a snapshot without a valid one (ZF_ESNAPSHOT).
     */
    const unsigned char *key;
    size_t key_len; /**< Version 2. Bytes of `key`. */
} zf_instance_options;

#define ZF_INSTANCE_OPTIONS_VERSION 2
#define ZF_INSTANCE_OPTIONS_INIT                                                         \
    { ZF_INSTANCE_OPTIONS_VERSION, 1, 0, 0, 0, NULL, 0 }

/**
 * Start a case: set the variables (defaults, then `vars`), enter the initial
 * configuration (running onentry actions in SCXML order), start the terms
 * declared at the top level and in the entered states, and run eventless
 * transitions and internal events to completion.
 * @param[out] out new instance owned by the caller (free with zf_instance_free()); NULL
 * on failure.
 * @param def      the definition; borrowed, must outlive the instance.
 * @param start    the case date (today) at creation.
 * @param vars     initial variables; every required variable must be given.
 * @param opts     NULL for the defaults.
 * @return ZF_OK; ZF_EINVAL (missing required variable, wrong type, bad date);
 *         ZF_ENOTFOUND (unknown variable); ZF_EEVAL (an expression failed);
 *         ZF_ELIMIT (cycle of eventless transitions, full queue or store); ZF_ENOMEM.
 */
ZF_EXTERN(zf_code)
zf_instance_new(zf_instance **out, const zf_definition *def, zf_date start,
                const zf_param_value *vars, size_t nvars, const zf_instance_options *opts,
                zf_error *err);

/** Free an instance. NULL is allowed. */
ZF_EXTERN(void) zf_instance_free(zf_instance *inst);

/**
 * Copy an instance: the copy has the same definition (borrowed, as by the
 * original), state, variables, terms, journal and effects of the last call,
 * and its snapshot is byte-identical to the original's; from then on the two
 * change independently ("what if we decide on date X?"). Allocates only the
 * copy (as much as the original uses); the original is not changed, also when
 * the call fails.
 * @param[out] out new instance owned by the caller (free with zf_instance_free());
 * NULL on failure.
 * @return ZF_OK; ZF_EINVAL (NULL out, NULL or freed instance); ZF_ENOMEM.
 */
ZF_EXTERN(zf_code)
zf_instance_clone(zf_instance **out, const zf_instance *inst, zf_error *err);

/** The definition the instance runs (borrowed). */
ZF_EXTERN(const zf_definition *) zf_instance_definition(const zf_instance *inst);

/**
 * Fire an external event dated `date`: first advance to `date`
 * (zf_instance_advance()), then take the enabled transitions (a macrostep,
 * run to completion). Effects of this call replace those of the previous one.
 * @param actor    who fires it; NULL = nobody with a role.
 * @param params   the event's parameters; required ones must be given.
 * @return ZF_OK; ZF_EINVAL (date before the case date, bad or missing parameter);
 *         ZF_ENOTFOUND (no such event); ZF_EREJECTED (no enabled transition,
 *         internal event, finished case); ZF_EFORBIDDEN (actor lacks the role);
 *         ZF_EEVAL; ZF_ELIMIT; ZF_ENOMEM. On failure nothing changed.
 */
ZF_EXTERN(zf_code)
zf_instance_fire(zf_instance *inst, const char *event, zf_date date,
                 const zf_actor *actor, const zf_param_value *params, size_t nparams,
                 zf_error *err);

/**
 * A dry run of zf_instance_fire(): whether the event would be taken now, with
 * exactly the result and error zf_instance_fire() would give for the same
 * arguments, but nothing changes (the instance's snapshot, effects and journal
 * stay as they were). It runs the real fire path and then undoes it, so, like
 * zf_instance_fire() and unlike the queries, it needs the instance to itself
 * while it runs: it is not a read-only call for concurrent threads.
 * @return as zf_instance_fire(): ZF_OK when the event would be taken.
 */
ZF_EXTERN(zf_code)
zf_instance_can_fire(zf_instance *inst, const char *event, zf_date date,
                     const zf_actor *actor, const zf_param_value *params, size_t nparams,
                     zf_error *err);

/** An event call with its names resolved ahead (zf_definition_event_index()). */
typedef struct zf_event_call {
    size_t event; /**< zf_definition_event_index() */
    zf_date date;
    const char *actor; /**< who fires it, journaled; may be NULL */
    /** The actor's roles as indexes (zf_definition_role_index()); indexes that name
     * no role of the definition are ignored. May be NULL when nroles is 0. */
    const size_t *roles;
    size_t nroles;
    /**
     * zf_definition_param_count() values in declaration order, as for
     * zf_instance_fire(); ZF_TYPE_VOID: not given. NULL: none given.
     */
    const zf_value *params;
} zf_event_call;

/**
 * zf_instance_fire() with the names resolved ahead: the same checks,
 * semantics and errors, without looking up an event, role or parameter name.
 * @return as zf_instance_fire(); ZF_EINVAL also when `call->event` is out of range.
 */
ZF_EXTERN(zf_code)
zf_instance_fire_resolved(zf_instance *inst, const zf_event_call *call, zf_error *err);

/**
 * Let time pass up to `date`: every running term whose last day is before
 * `date` expires, in date order then document order; its expired.<term> event
 * is processed to completion dated the day after the last day. Then the case
 * date becomes `date`. A term with an open suspension (ZF_TERM_SUSPENDED)
 * never expires, however far time passes beyond its end; once resumed, its
 * end is recomputed and it expires as usual.
 * @return ZF_OK; ZF_EINVAL (date before the case date); ZF_EEVAL; ZF_ELIMIT; ZF_ENOMEM.
 */
ZF_EXTERN(zf_code) zf_instance_advance(zf_instance *inst, zf_date date, zf_error *err);

/** @name Queries. Returned strings are borrowed from the definition or the
 * instance and stay valid until the instance is next changed or freed. */
/** @{ */

/** The case date: the date of the last event or advance. */
ZF_EXTERN(zf_date) zf_instance_date(const zf_instance *inst);

/** Number of active states (the configuration, excluding the process itself). */
ZF_EXTERN(size_t) zf_instance_active_count(const zf_instance *inst);
/** Id of the i-th active state in document order, or NULL when i is out of range. */
ZF_EXTERN(const char *) zf_instance_active_id(const zf_instance *inst, size_t i);
/** Whether state `name` is active: 1, 0, or -1 when there is no such state. */
ZF_EXTERN(int) zf_instance_in(const zf_instance *inst, const char *name);

/**
 * The external events `actor` could fire now: at least one transition on the
 * event from an active state whose guard holds and whose roles the actor has.
 * Guards that need the event's parameters (unknown here) count as "maybe" and
 * the event is listed. Names go to out[0..cap) in definition order.
 * @param[out] count receives the number of such events (may exceed cap).
 * @return ZF_OK or ZF_EINVAL.
 */
ZF_EXTERN(zf_code)
zf_instance_enabled_events(const char **out, size_t cap, size_t *count,
                           const zf_instance *inst, const zf_actor *actor, zf_error *err);

/**
 * A variable's value; strings are borrowed.
 * @return ZF_OK or ZF_ENOTFOUND.
 */
ZF_EXTERN(zf_code)
zf_instance_var(zf_value *out, const zf_instance *inst, const char *name, zf_error *err);

/** Status of a term. */
typedef enum zf_term_status {
    ZF_TERM_IDLE = 0, /**< never started */
    ZF_TERM_RUNNING,
    ZF_TERM_SUSPENDED, /**< an opschorting is open */
    ZF_TERM_STOPPED,   /**< stopped by leaving its state or a stop action */
    ZF_TERM_EXPIRED    /**< time passed its last day */
} zf_term_status;

/** Name of a status: "idle", "running", "suspended", "stopped", "expired". */
ZF_EXTERN(const char *) zf_term_status_name(zf_term_status status);

/** A term of an instance: plain data, strings borrowed from the definition. */
typedef struct zf_term_info {
    const char *id;
    const char *title; /**< may be NULL */
    const char *basis; /**< may be NULL */
    /** Who must act before the last day (zf_definition_term_party()); NULL when the
     * term declares none. */
    const char *party;
    zf_term_status status;
    zf_date trigger; /**< the day that started it; ZF_DATE_NONE when idle */
    zf_duration length;
    zf_date first_day;   /**< trigger + 1 (Awb 6:8) */
    zf_date nominal_end; /**< trigger + length */
    /**
     * Computed last day (Atw, suspensions, extensions). While a suspension is
     * open (ZF_TERM_SUSPENDED) it is computed as if the suspension lasted
     * through the instance's current date (zf_instance_date()), i.e. as if it
     * were resumed the day after: it moves on by a day each day the opschorting
     * lasts. end(term) in expressions and zf_instance_term_explain() use the
     * same rule; snapshots store the end without the open suspension.
     */
    zf_date end;
    size_t nsuspensions; /**< the last one is open (to == ZF_DATE_NONE) while suspended */
    zf_interval suspensions[ZF_INSTANCE_MAX_SUSPENSIONS];
    size_t nextensions;
    zf_duration extensions[ZF_INSTANCE_MAX_EXTENSIONS];
} zf_term_info;

/** Number of terms of the definition (each instance has a record for every one). */
ZF_EXTERN(size_t) zf_instance_term_count(const zf_instance *inst);
/** The i-th term in document order. @return ZF_OK or ZF_ENOTFOUND. */
ZF_EXTERN(zf_code)
zf_instance_term(zf_term_info *out, const zf_instance *inst, size_t i, zf_error *err);
/** A term by id. @return ZF_OK or ZF_ENOTFOUND. */
ZF_EXTERN(zf_code)
zf_instance_term_by_id(zf_term_info *out, const zf_instance *inst, const char *id,
                       zf_error *err);
/**
 * Append the explanation of a started term's end (zf_term_explain()) to `out`.
 * @return ZF_OK, ZF_ENOTFOUND (no such term), ZF_EREJECTED (never started) or ZF_ENOMEM.
 */
ZF_EXTERN(zf_code)
zf_instance_term_explain(zf_buf *out, const zf_instance *inst, const char *id,
                         zf_error *err);

/**
 * The earliest last day among running terms (ties: document order): the host
 * schedules zf_instance_advance() to the day after it.
 * @param[out] term optional; the term's id (NULL when none).
 * @return the date, or ZF_DATE_NONE when no term is running.
 */
ZF_EXTERN(zf_date) zf_instance_next_due(const zf_instance *inst, const char **term);

/**
 * zf_instance_next_due() among the running terms that `party` must act on
 * (zf_definition_term_party(), compared as text): e.g. "bestuursorgaan" for
 * the administrative body's own deadlines. A term that declares no party
 * counts only for `party` NULL, which means any term (as zf_instance_next_due()).
 * @param[out] term optional; the term's id (NULL when none).
 * @return the date, or ZF_DATE_NONE when no such term is running (also for a
 *         party no term declares, a finished case or an invalid instance).
 */
ZF_EXTERN(zf_date)
zf_instance_next_due_for(const zf_instance *inst, const char *party, const char **term);

/** 1 when a top-level final state was entered (the case is closed), else 0. */
ZF_EXTERN(int) zf_instance_finished(const zf_instance *inst);
/** The outcome of the top-level final state reached, or NULL. */
ZF_EXTERN(const char *) zf_instance_outcome(const zf_instance *inst);
/** @} */

/** @name Effects of the last successful call (new, fire, advance), in order. */
/** @{ */
typedef enum zf_effect_kind {
    ZF_EFFECT_NOTIFY = 0, /**< send a notice: `to`, `text` */
    ZF_EFFECT_SPAWN = 1   /**< start a related case: `process`, `relation`, params */
} zf_effect_kind;

typedef struct zf_effect {
    zf_effect_kind kind;
    zf_date date;         /**< date of the event that caused it */
    const char *to;       /**< NOTIFY: addressee */
    const char *text;     /**< NOTIFY: text */
    const char *process;  /**< SPAWN: process id */
    const char *relation; /**< SPAWN: "vervolg" or "deelzaak" */
    size_t nparams; /**< SPAWN: evaluated parameters, see zf_instance_effect_param() */
} zf_effect;

ZF_EXTERN(size_t) zf_instance_effect_count(const zf_instance *inst);
/** @return ZF_OK or ZF_ENOTFOUND (index out of range). */
ZF_EXTERN(zf_code)
zf_instance_effect(zf_effect *out, const zf_instance *inst, size_t i, zf_error *err);
/** The j-th parameter of spawn effect i. @return ZF_OK or ZF_ENOTFOUND. */
ZF_EXTERN(zf_code)
zf_instance_effect_param(zf_param_value *out, const zf_instance *inst, size_t i, size_t j,
                         zf_error *err);
/** @} */

/** @name The journal (audit trail), when enabled. */
/** @{ */
typedef enum zf_journal_kind {
    ZF_JOURNAL_LEFT = 0,     /**< name: state left */
    ZF_JOURNAL_ENTERED,      /**< name: state entered */
    ZF_JOURNAL_TRANSITION,   /**< name: source state; text: legal basis (or title); date:
                                none */
    ZF_JOURNAL_TERM_STARTED, /**< name: term; date: its last day */
    ZF_JOURNAL_TERM_STOPPED, /**< name: term; date: the stop date */
    ZF_JOURNAL_TERM_EXPIRED, /**< name: term; date: its last day */
    ZF_JOURNAL_TERM_SUSPENDED, /**< name: term; date: the day of the suspending act */
    ZF_JOURNAL_TERM_RESUMED,   /**< name: term; date: the new last day */
    ZF_JOURNAL_TERM_EXTENDED,  /**< name: term; text: the extension ("6w"); date: new last
                                  day */
    ZF_JOURNAL_NOTIFY,         /**< name: addressee; text: the notice */
    ZF_JOURNAL_SPAWN, /**< name: process; text: relation; params follow as SPAWN_PARAM */
    ZF_JOURNAL_SPAWN_PARAM, /**< name: parameter; value: its value */
    ZF_JOURNAL_LOG,         /**< text: the log text */
    ZF_JOURNAL_ASSIGN,      /**< name: variable; value: the new value */
    /**
     * The case moved to another version (zf_instance_migrate()): name: the
     * version left, "process@version"; text: the migration's legal basis;
     * value: the version entered, a string "process@version". Items before it
     * in its entry (states left, variables dropped, terms stopped) and every
     * earlier entry name things of the versions before; items after it, of
     * the version entered.
     */
    ZF_JOURNAL_MIGRATED,
    /** name: term; date: its new last day; value: its last day before (a date) */
    ZF_JOURNAL_TERM_MOVED
} zf_journal_kind;

/** Name of a kind as used in snapshots, e.g. "term-started". */
ZF_EXTERN(const char *) zf_journal_kind_name(zf_journal_kind kind);

typedef struct zf_journal_entry {
    /** 1, 2, ...: the step's number. Steps run with the journal off (before a
     * restore with it on) have no entry: the numbers then jump. */
    uint32_t seq;
    zf_date date; /**< the event's date */
    /** Event id; NULL for the start of the case and for a migration (whose
     * entry holds a ZF_JOURNAL_MIGRATED item). */
    const char *event;
    const char *actor; /**< actor id, or NULL */
    size_t nitems;
} zf_journal_entry;

typedef struct zf_journal_item {
    zf_journal_kind kind;
    const char *name; /**< see zf_journal_kind; may be NULL */
    const char *text; /**< may be NULL */
    zf_date date;     /**< ZF_DATE_NONE when not applicable */
    zf_value value;   /**< SPAWN_PARAM, ASSIGN; else VOID */
} zf_journal_item;

/** Number of journal entries (0 when the journal is off). */
ZF_EXTERN(size_t) zf_instance_journal_count(const zf_instance *inst);
/** @return ZF_OK or ZF_ENOTFOUND. */
ZF_EXTERN(zf_code)
zf_instance_journal_entry(zf_journal_entry *out, const zf_instance *inst, size_t i,
                          zf_error *err);
/** @return ZF_OK or ZF_ENOTFOUND. */
ZF_EXTERN(zf_code)
zf_instance_journal_item(zf_journal_item *out, const zf_instance *inst, size_t i,
                         size_t j, zf_error *err);
/**
 * Append the journal as a readable timeline (one block per entry: date,
 * event, actor, states left and entered, terms, effects) to `out`. On failure
 * `out` holds what it held before.
 * @return ZF_OK, ZF_EINVAL (inst or out NULL, inst freed) or ZF_ENOMEM.
 */
ZF_EXTERN(zf_code)
zf_instance_timeline(zf_buf *out, const zf_instance *inst, zf_error *err);
/** @} */

/** @name Snapshots (schemas/snapshot.xsd).
 *
 * A snapshot is the whole case as XML: definition id, version and hash, case
 * date, step count, configuration, variables, terms, the journal and, last, an
 * <integrity> element. Hosts store it and restore it for every event.
 *
 * Integrity. Every snapshot carries the SHA-256 of all its bytes before the
 * <integrity> line; restore and zf_snapshot_info() recompute it and refuse a
 * mismatch (ZF_ESNAPSHOT): any accidental change (a flipped bit, a truncated or
 * re-encoded file, an edited byte) is detected. The digest protects nothing
 * against a deliberate change, since anyone can compute it again. For that, give
 * a host key (zf_instance_options.key): the instance then also writes an
 * HMAC-SHA-256 of the same bytes under the key, and a restore given the key
 * refuses a snapshot without a valid MAC: without the key nobody can change a
 * byte, or put together a snapshot, that restores. A restore without a key checks
 * the digest only (a MAC present is not checked) and writes snapshots without a
 * MAC. Neither detects the replay of an older, genuine snapshot of the same case.
 *
 * Strict reading. Restore accepts what zf_instance_snapshot() writes and nothing
 * else: the bytes must be exactly those the library writes for the content read,
 * every element and attribute must be known, and what the engine derives must
 * hold (a legal configuration, term ends that follow from their data, statuses
 * consistent with the case date, the journal numbered 1, 2, ... without holes up
 * to `seq`, no entry dated after the case date, the configuration, terms and
 * assigned variables as the journal says). A refusal names the rule broken.
 */
/** @{ */
/**
 * Append the instance as XML in ZF_SNAPSHOT_NS to `out`: definition id,
 * version and hash, case date, configuration, variables, terms, journal and the
 * digest (and, with a key, the MAC). Deterministic: the same instance gives the
 * same bytes, and snapshot -> restore -> snapshot is byte-identical.
 *
 * An instance restored without the journal from a snapshot with one keeps that
 * journal as it was and writes it back unchanged; steps it runs later are listed
 * in it as a <gap from="" to=""/> (steps not journaled), so the journal never
 * silently loses its history nor claims to be complete when it is not.
 * @return ZF_OK, ZF_EINVAL, ZF_ELIMIT (larger than zf_instance_options.max_snapshot)
 *         or ZF_ENOMEM; on failure the buffer keeps what it had.
 */
ZF_EXTERN(zf_code)
zf_instance_snapshot(zf_buf *out, const zf_instance *inst, zf_error *err);

/**
 * Rebuild an instance from a snapshot (see above). The snapshot's definition id,
 * version and hash must match `def`. Entry actions are not run. With
 * opts->journal off, a journal in the snapshot is checked and then kept as it
 * is (zf_instance_journal_count() is 0); with it on, a snapshot without a journal
 * gives an instance whose journal starts with the next step.
 * @param[out] out new instance owned by the caller; NULL on failure.
 * @param xml      the snapshot's bytes, `len` of them (no NUL needed).
 * @param opts     NULL for the defaults; its key (if any) must have sealed it.
 * @return ZF_OK; ZF_EPARSE (not well-formed XML); ZF_ESNAPSHOT (corrupt, not
 *         sealed with the key given, tampered, inconsistent, or not of `def`;
 *         file "<snapshot>", line and column where it is wrong); ZF_ELIMIT
 *         (larger than max_snapshot, more journal entries than max_journal, text
 *         beyond string_capacity); ZF_EINVAL; ZF_ENOMEM.
 */
ZF_EXTERN(zf_code)
zf_instance_restore(zf_instance **out, const zf_definition *def, const char *xml,
                    size_t len, const zf_instance_options *opts, zf_error *err);

/** What zf_snapshot_info() reads from a snapshot (plain data, owned by the caller). */
typedef struct zf_snapshot_summary {
    char process[256]; /**< the definition's process id */
    char version[256]; /**< the definition's version */
    char hash[65];     /**< the definition's hash (SHA-256, lower-case hex) */
    zf_date date;      /**< the case date */
    unsigned long seq; /**< steps the case has run */
    int finished;      /**< 1 when the case is closed */
    char outcome[256]; /**< the outcome of its final state, or "" */
    /** The earliest last day of a running term (ties: document order), or
     * ZF_DATE_NONE (none running, or the case closed): as zf_instance_next_due(). */
    zf_date next_due;
    char next_term[256];    /**< that term's id, or "" */
    size_t journal_entries; /**< entries in its journal (0: none) */
    int sealed;             /**< 1 when it carries a MAC */
} zf_snapshot_summary;

/**
 * Read a snapshot without its definition, e.g. to find the definition to restore
 * it with. The digest is checked (and, given opts->key, the MAC), as by
 * zf_instance_restore(); the content is not checked against a definition.
 * @param[out] out  receives the summary; unchanged on failure.
 * @param opts      NULL for the defaults; max_snapshot and key are used.
 * @return ZF_OK; ZF_EPARSE; ZF_ESNAPSHOT (not a snapshot, corrupt, not sealed with
 *         the key); ZF_ELIMIT (too large, or a name longer than its field);
 *         ZF_EINVAL; ZF_ENOMEM.
 */
ZF_EXTERN(zf_code)
zf_snapshot_info(zf_snapshot_summary *out, const char *xml, size_t len,
                 const zf_instance_options *opts, zf_error *err);

/** The version of the compact form zf_instance_pack() writes. */
#define ZF_PACK_VERSION 1

/**
 * Append the instance in its compact binary form to `out`, for a host that
 * restores cases often (a case store, a deadline worker): the state of the XML
 * snapshot as versioned little-endian bytes, bound to the definition's hash,
 * with checksums. The XML snapshot stays the exchange format; this form is
 * for the host's own storage (docs/compact-snapshot.md has the layout).
 * Deterministic: equal cases give equal bytes, and pack -> unpack -> pack is
 * byte-identical. The journal is in it when the instance keeps one (an
 * instance made with opts->journal = 0 packs smaller and restores fastest;
 * a store that keeps the journal in its own table packs that way).
 * `out` holds binary data (NUL bytes included): use out->size, not strlen.
 * @return ZF_OK, ZF_EINVAL, ZF_ELIMIT (larger than 2 GiB) or ZF_ENOMEM (the
 *         buffer keeps what it had).
 */
ZF_EXTERN(zf_code) zf_instance_pack(zf_buf *out, const zf_instance *inst, zf_error *err);

/**
 * Rebuild an instance from the compact form of zf_instance_pack(). The bytes
 * are checked as the XML restore checks a snapshot: the format version, the
 * definition's hash, the checksums (accidental damage; not tampering, which
 * whoever can write the bytes can hide), and the same consistency rules (a
 * legal configuration, values of the variables' types, term records whose
 * last day follows from their data). Entry actions are not run. The journal
 * comes back as zf_instance_restore() of the case's XML snapshot with the same
 * options would give it: with opts->journal the journal is read back (with its
 * gaps; a form without one gives an empty journal whose first gap covers the
 * steps so far); without, a journal in the form is kept and written back by
 * the case's snapshots and packs, so nothing of the audit trail is lost. When
 * the form's journal is not of the kind asked for (a journal unpacked without
 * the journal, or a kept one with it), the case goes through its XML snapshot:
 * slower, and the only unpacks that allocate more than the instance. A host
 * that keeps the journal in its own table (a case store) packs instances made
 * without one, which unpack fastest.
 * @param[out] out new instance owned by the caller; NULL on failure.
 * @param def      the definition the form was packed with; borrowed, must
 *                 outlive the instance.
 * @param data     the bytes (any bytes: never read beyond `len`).
 * @param opts     NULL for the defaults.
 * @return ZF_OK, ZF_EINVAL (NULL argument, bad options), ZF_ESNAPSHOT (not a
 *         compact snapshot, another format version or definition, damaged, or
 *         inconsistent) or ZF_ENOMEM.
 */
ZF_EXTERN(zf_code)
zf_instance_unpack(zf_instance **out, const zf_definition *def, const void *data,
                   size_t len, const zf_instance_options *opts, zf_error *err);

/**
 * Bytes the instance occupies: its header and its one compact state block
 * (configuration bit set, 8-byte variable payloads, 16-byte term records,
 * suspension/extension records only for terms that can be suspended or
 * extended, string store), plus the working buffer for definitions too large
 * for a call's stack and the log headers once the journal or effects are used.
 * Not the contents of the journal or of the effects.
 */
ZF_EXTERN(size_t) zf_instance_memory(const zf_instance *inst);
/** @} */

ZF_END_DECL

#endif
