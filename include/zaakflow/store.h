/**
 * @file zaakflow/store.h
 * The case store (libzaakflow-store, `pkg-config zaakflow-store`): cases,
 * their journal, the due index and the effect outbox in a database, so that a
 * host does not have to rebuild that machinery around the library.
 *
 * One schema, two drivers: SQLite (embedded, the default; a file in WAL mode)
 * and PostgreSQL (many workers on many machines). The library creates the
 * schema and upgrades an older one when a store is opened. It is built only on
 * the public API of libzaakflow; this header is not included by <zaakflow.h>,
 * because its functions live in their own library (which links SQLite and
 * libpq) while the core keeps libxml2 as its only dependency.
 *
 * Every operation that changes a case is one database transaction: the case
 * row (snapshot, compact form, summary columns, revision), its new journal
 * entries, its due rows, its outbox items and the cases its `spawn` effects
 * start change together or not at all. A failing call changes nothing, in the
 * database or in memory. Changes of one case are serialised by its revision:
 * a writer that read revision r and finds r moved on gets ZF_ECONFLICT,
 * never a lost update.
 *
 * Time is an argument, as everywhere in zaakflow: legal dates come from the
 * caller. Only leases (of claimed due work and outbox items) use a clock, the
 * database's: they decide who works on what, never a legal outcome.
 *
 * A zf_store is one connection: use it from one thread at a time. Any number
 * of stores (processes, machines) may share one PostgreSQL database; SQLite
 * serialises writers on the file.
 */
#ifndef ZAAKFLOW_STORE_H
#define ZAAKFLOW_STORE_H

#include "zaakflow/common.h"
#include "zaakflow/error.h"
#include "zaakflow/buf.h"
#include "zaakflow/date.h"
#include "zaakflow/value.h"
#include "zaakflow/definition.h"
#include "zaakflow/instance.h"

ZF_BEGIN_DECL

/** A connection to a case store. Opaque; free with zf_store_free(). */
typedef struct zf_store zf_store;

/** The schema version this library creates (and upgrades older stores to). */
#define ZF_STORE_SCHEMA_VERSION 3

/** Options of zf_store_open(). Start from ZF_STORE_OPTIONS_INIT. */
typedef struct zf_store_options {
    unsigned int version; /**< ZF_STORE_OPTIONS_VERSION */
    /**
     * How long a claim (of due work or of an outbox item) lasts, in
     * milliseconds of the database's clock; 0 = 300000 (five minutes). When
     * a claimer dies, others take the work over once its lease has ended.
     */
    int64_t lease_ms;
    /** Recorded with claims, e.g. "host:pid"; NULL = "zaakflow". Borrowed. */
    const char *owner;
} zf_store_options;

#define ZF_STORE_OPTIONS_VERSION 1
#define ZF_STORE_OPTIONS_INIT                                                            \
    { ZF_STORE_OPTIONS_VERSION, 0, NULL }

/**
 * Open a case store, creating its schema or upgrading an older one.
 * @param[out] out new store owned by the caller (free with zf_store_free()); NULL
 * on failure.
 * @param url  `sqlite:PATH` (a file, created when missing; `sqlite::memory:` for
 *             a private in-memory store) or `postgresql://...` / `postgres://...`
 *             (a libpq connection URI; the database must exist).
 * @param opts NULL for the defaults.
 * @return ZF_OK; ZF_EINVAL (NULL or unknown URL scheme, or a driver this build
 *         lacks); ZF_EDATABASE (cannot connect, or the schema is newer than
 *         this library); ZF_ENOMEM.
 */
ZF_EXTERN(zf_code)
zf_store_open(zf_store **out, const char *url, const zf_store_options *opts,
              zf_error *err);

/** Close the connection and free the store (rolling back an open transaction).
 * NULL is allowed. Definitions and lists it returned must not be used afterwards. */
ZF_EXTERN(void) zf_store_free(zf_store *st);

/** "sqlite" or "postgresql"; NULL for an invalid store. */
ZF_EXTERN(const char *) zf_store_driver(const zf_store *st);

/** 1 when the build has the driver ("sqlite", "postgresql"), else 0. */
ZF_EXTERN(int) zf_store_has_driver(const char *name);

/**
 * @name Transactions.
 * Without an explicit transaction every operation is a transaction of its own.
 * Between zf_store_begin() and zf_store_commit() operations join one
 * transaction; each still succeeds or fails as a whole (a savepoint), so a
 * failing operation leaves the others of the transaction in place.
 */
/** @{ */
/** @return ZF_OK; ZF_EINVAL (a transaction is already open); ZF_EDATABASE. */
ZF_EXTERN(zf_code) zf_store_begin(zf_store *st, zf_error *err);
/** @return ZF_OK; ZF_EINVAL (no transaction open); ZF_ECONFLICT; ZF_EDATABASE. On
 * failure the transaction is rolled back. */
ZF_EXTERN(zf_code) zf_store_commit(zf_store *st, zf_error *err);
/** @return ZF_OK; ZF_EINVAL (no transaction open); ZF_EDATABASE. */
ZF_EXTERN(zf_code) zf_store_rollback(zf_store *st, zf_error *err);
/** 1 while an explicit transaction is open, else 0. */
ZF_EXTERN(int) zf_store_in_transaction(const zf_store *st);
/** @} */

/**
 * @name Definitions: every version, by its canonical hash, with its validity.
 * A definition is stored once per zf_definition_hash() (the canonical hash:
 * its meaning, not its bytes). Several versions of a process stand side by
 * side under the rules of a zf_registry: one version of a process has one
 * meaning, and versions that declare a validity (valid-from, valid-until on
 * <process>) must not overlap. A case starts on the version valid on its start
 * date, as zf_registry_pick() picks it, and a spawned case on the version valid
 * on the day of the spawn (zf_registry_follow()); running cases keep theirs.
 */
/** @{ */
/**
 * Validate a process definition and keep it in the store. Adding one whose
 * canonical hash is stored already changes nothing, unless its validity
 * differs (the hash leaves the validity out): then its text and validity
 * replace the stored ones, so that an old version can be given the
 * valid-until a new version needs.
 * @param[out] out optional; the compiled definition, borrowed from the store
 *             (valid until zf_store_free()).
 * @param xml, len the definition's bytes.
 * @param name     stands for the file in diagnostics; NULL = "<store>".
 * @return ZF_OK; ZF_EINVAL; ZF_EPARSE, ZF_ESCHEMA, ZF_ESEMANTIC (with file:line:column;
 *         also: the store holds the same process and version with other content,
 *         or a version of it whose validity overlaps, as zf_registry_take());
 *         ZF_EDATABASE; ZF_ENOMEM.
 */
ZF_EXTERN(zf_code)
zf_store_add_definition(const zf_definition **out, zf_store *st, const char *xml,
                        size_t len, const char *name, zf_error *err);
/** zf_store_add_definition() of a file's bytes. Also ZF_EIO. */
ZF_EXTERN(zf_code)
zf_store_add_definition_file(const zf_definition **out, zf_store *st, const char *path,
                             zf_error *err);
/**
 * A stored definition, compiled on first use and kept by the store.
 * @param[out] out borrowed from the store (valid until zf_store_free()).
 * @param which    a 64-digit hash, "process@version", or a process id when the
 *                 store holds one version of the process.
 * @return ZF_OK; ZF_EINVAL; ZF_ENOTFOUND; ZF_ESEMANTIC (a process id of which the
 *         store holds several versions: name one, or use zf_store_pick());
 *         ZF_EDATABASE; ZF_ENOMEM.
 */
ZF_EXTERN(zf_code)
zf_store_definition(const zf_definition **out, zf_store *st, const char *which,
                    zf_error *err);
/**
 * The version of `process` valid on `date`, as zf_registry_pick() picks it:
 * the one whose validity (inclusive; a side left open runs to the beginning
 * or end of time) holds the date. The version a case started on that date
 * gets from zf_store_start().
 * @param[out] out borrowed from the store (valid until zf_store_free()).
 * @param process a process id (a hash or "process@version" names the definition
 *                whatever its validity).
 * @return ZF_OK; ZF_EINVAL; ZF_ENOTFOUND (no such process, or no version valid on
 *         that date: the message lists the validities there are); ZF_ESEMANTIC
 *         (two versions are both valid on it: give them a validity);
 *         ZF_EDATABASE; ZF_ENOMEM.
 */
ZF_EXTERN(zf_code)
zf_store_pick(const zf_definition **out, zf_store *st, const char *process, zf_date date,
              zf_error *err);
/** @} */

/** @name Changing cases. */
/** @{ */
/** Pass as `revision` to skip the check: the change applies to the case as it is
 * now (and is retried when another writer gets in between). */
#define ZF_STORE_ANY_REVISION 0

/** What one operation did (all cases it touched together). */
typedef struct zf_store_step {
    int64_t case_id; /**< the case started or changed */
    int64_t
        revision; /**< its revision now (1 after start; unchanged when nothing was due) */
    size_t entries; /**< journal entries written */
    size_t expired; /**< terms expired (journal entries of expired.<term> events) */
    size_t effects; /**< outbox items written */
    size_t spawned; /**< related cases started by spawn effects */
} zf_store_step;

/**
 * Start a case on the version of `process` valid on `date` (zf_store_pick();
 * a hash or "process@version" names the definition), as zf_instance_new()
 * does, and store it: revision 1, its journal, due rows, outbox items and the
 * cases its spawn effects start (each on the version of its process valid on
 * the day of the spawn, linked to it as `vervolg` or `deelzaak`), in one
 * transaction.
 * @param[out] out what was done; `case_id` is the new case's id.
 * @return ZF_OK; the codes of zf_instance_new(); the codes of zf_store_pick() (also
 *         for a spawned process); ZF_EDATABASE; ZF_ENOMEM.
 */
ZF_EXTERN(zf_code)
zf_store_start(zf_store_step *out, zf_store *st, const char *process, zf_date date,
               const zf_param_value *vars, size_t nvars, zf_error *err);

/**
 * Fire an event on case `id` (zf_instance_fire()) and store the result in one
 * transaction.
 * @param revision the revision the caller read, or ZF_STORE_ANY_REVISION.
 * @return ZF_OK; the codes of zf_instance_fire(); ZF_ENOTFOUND (no such case);
 *         ZF_ECONFLICT (the case is no longer at `revision`); ZF_EDATABASE; ZF_ENOMEM.
 */
ZF_EXTERN(zf_code)
zf_store_fire(zf_store_step *out, zf_store *st, int64_t id, int64_t revision,
              const char *event, zf_date date, const zf_actor *actor,
              const zf_param_value *params, size_t nparams, zf_error *err);

/**
 * Let time pass on case `id` up to `date` (zf_instance_advance(): terms whose
 * last day is before `date` expire; the case date becomes `date`).
 * @return as zf_store_fire().
 */
ZF_EXTERN(zf_code)
zf_store_advance(zf_store_step *out, zf_store *st, int64_t id, int64_t revision,
                 zf_date date, zf_error *err);

/**
 * The worker's step on one case: expire every term of case `id` whose last day
 * is before `until`, each on the day after its last day, and nothing more (the
 * case date moves to the day of the last expiry, not to `until`, so events
 * dated between them are still accepted). Works on the case as it is now,
 * retrying when another writer gets in between; releases the case's lease.
 * When nothing is due, nothing is written and `revision` is the current one.
 * @return ZF_OK; ZF_ENOTFOUND; the codes of zf_instance_advance(); ZF_ECONFLICT
 *         (still changing after retries); ZF_EDATABASE; ZF_ENOMEM.
 */
ZF_EXTERN(zf_code)
zf_store_expire(zf_store_step *out, zf_store *st, int64_t id, zf_date until,
                zf_error *err);
/** @} */

/**
 * @name Lists: query results.
 * A list holds rows of one kind; the accessor of another kind returns NULL.
 * Strings are borrowed from the list (valid until zf_store_list_free()).
 */
/** @{ */
typedef struct zf_store_list zf_store_list;

/** A case: its summary columns (a list of cases never restores one). */
typedef struct zf_store_case_info {
    int64_t id;
    int64_t revision;
    const char *process;
    const char *version;
    const char *hash;   /**< of its definition */
    zf_date started;    /**< the date it was started */
    zf_date date;       /**< the case date (zf_instance_date()) */
    const char *active; /**< active state ids, document order, separated by spaces */
    int finished;
    const char *outcome;   /**< NULL unless finished */
    zf_date next_due;      /**< zf_instance_next_due(), or ZF_DATE_NONE */
    const char *next_term; /**< that term, or NULL */
    int64_t parent;        /**< the case whose spawn started it, or 0 */
    const char *relation;  /**< "vervolg" or "deelzaak" when parent != 0, else NULL */
} zf_store_case_info;

/** A running term of a case: who must act by which last day. */
typedef struct zf_store_due_item {
    int64_t case_id;
    const char *process;
    const char *term;
    const char *title; /**< may be NULL */
    const char *basis; /**< the term's legal basis; may be NULL */
    const char *party; /**< who must act before the last day; NULL when undeclared */
    zf_date last_day;
} zf_store_due_item;

/** An effect waiting for (or done with) delivery to the host. */
typedef struct zf_store_outbox_item {
    int64_t id;
    int64_t case_id;
    int64_t revision; /**< the case revision whose step caused it */
    /** Idempotency key, the same on every delivery: "CASE/REVISION/N". */
    const char *key;
    zf_effect_kind kind;
    zf_date date;         /**< the date of the event that caused it */
    const char *to;       /**< NOTIFY: addressee */
    const char *text;     /**< NOTIFY: text */
    const char *process;  /**< SPAWN: process id */
    const char *relation; /**< SPAWN: "vervolg" or "deelzaak" */
    int64_t spawned;      /**< SPAWN: the case it started */
    /** The whole effect as a JSON object: kind, key, case, date, to, text,
     * process, relation, spawned, params (spawn parameters, name -> text). */
    const char *payload;
    const char *status; /**< "pending", "claimed" or "done" */
    int attempts;       /**< claims so far */
    const char *error;  /**< the last failure reported, or NULL */
} zf_store_outbox_item;

/** A journal entry of a case; its items via zf_store_list_journal_item(). */
typedef struct zf_store_journal_entry {
    int64_t case_id;
    int64_t revision; /**< the case revision its step made */
    uint32_t seq;     /**< 1, 2, ... per case */
    zf_date date;
    const char *event; /**< NULL for the start of the case */
    const char *actor; /**< NULL when none */
    size_t nitems;
} zf_store_journal_entry;

/** Number of rows. 0 for NULL. */
ZF_EXTERN(size_t) zf_store_list_count(const zf_store_list *l);
/** Row i of a list of cases (zf_store_cases(), zf_store_claim()), or NULL. */
ZF_EXTERN(const zf_store_case_info *)
zf_store_list_case(const zf_store_list *l, size_t i);
/** Row i of a due list (zf_store_due()), or NULL. */
ZF_EXTERN(const zf_store_due_item *) zf_store_list_due(const zf_store_list *l, size_t i);
/** Row i of an outbox list (zf_store_outbox(), zf_store_outbox_claim()), or NULL. */
ZF_EXTERN(const zf_store_outbox_item *)
zf_store_list_outbox(const zf_store_list *l, size_t i);
/** Entry i of a journal list (zf_store_journal()), or NULL. */
ZF_EXTERN(const zf_store_journal_entry *)
zf_store_list_journal(const zf_store_list *l, size_t i);
/** Item j of entry i of a journal list, or NULL. Strings borrowed from the list. */
ZF_EXTERN(const zf_journal_item *)
zf_store_list_journal_item(const zf_store_list *l, size_t i, size_t j);
/** Free a list. NULL is allowed. */
ZF_EXTERN(void) zf_store_list_free(zf_store_list *l);
/** @} */

/** @name Reading cases. */
/** @{ */
/** A case read from the store: its summary, snapshot and restored instance. */
typedef struct zf_store_case zf_store_case;

/**
 * Read case `id` and restore its instance (journal off: the journal is in the
 * store, see zf_store_journal()).
 * @param[out] out new case owned by the caller (zf_store_case_free()).
 * @return ZF_OK; ZF_EINVAL; ZF_ENOTFOUND; ZF_ESNAPSHOT; ZF_EDATABASE; ZF_ENOMEM.
 */
ZF_EXTERN(zf_code)
zf_store_read(zf_store_case **out, zf_store *st, int64_t id, zf_error *err);
/** The case's summary; strings borrowed from the case. NULL for NULL. */
ZF_EXTERN(const zf_store_case_info *) zf_store_case_summary(const zf_store_case *c);
/** The restored instance, owned by the case (its definition by the store). */
ZF_EXTERN(const zf_instance *) zf_store_case_instance(const zf_store_case *c);
/** The stored XML snapshot (schemas/snapshot.xsd) without the journal. */
ZF_EXTERN(const char *) zf_store_case_snapshot(const zf_store_case *c);
/** Free a case read. NULL is allowed. */
ZF_EXTERN(void) zf_store_case_free(zf_store_case *c);

/** Which cases zf_store_cases() lists. */
typedef enum zf_store_state {
    ZF_STORE_ALL = 0,      /**< open and finished */
    ZF_STORE_OPEN = 1,     /**< not finished */
    ZF_STORE_FINISHED = 2, /**< a top-level final state was reached */
} zf_store_state;

/**
 * List cases by id, from their summary columns.
 * @param process  NULL for every process.
 * @param after    list ids greater than this (0 = from the start: paging).
 * @param limit    at most this many rows; 0 = no limit.
 * @return ZF_OK; ZF_EINVAL; ZF_EDATABASE; ZF_ENOMEM.
 */
ZF_EXTERN(zf_code)
zf_store_cases(zf_store_list **out, zf_store *st, const char *process,
               zf_store_state which, int64_t after, size_t limit, zf_error *err);

/**
 * The journal of case `id`, in order (entries are appended, never changed).
 * @return ZF_OK; ZF_EINVAL; ZF_ENOTFOUND (no such case); ZF_EDATABASE; ZF_ENOMEM.
 */
ZF_EXTERN(zf_code)
zf_store_journal(zf_store_list **out, zf_store *st, int64_t id, zf_error *err);
/** @} */

/** @name Due work (read from the due index: nothing is restored). */
/** @{ */
/**
 * The due report: running terms whose last day is on or before `until`, by
 * last day, then case, then term; suspended terms (which cannot expire) are
 * not listed.
 * @param party NULL for every party; else only terms on which `party` must act.
 * @param limit 0 = no limit.
 * @return ZF_OK; ZF_EINVAL; ZF_EDATABASE; ZF_ENOMEM.
 */
ZF_EXTERN(zf_code)
zf_store_due(zf_store_list **out, zf_store *st, zf_date until, const char *party,
             size_t limit, zf_error *err);

/**
 * Claim up to `max` cases that have a term to expire before `until`, by
 * earliest last day, for the lease time of the store's options: other
 * claimers skip them until the lease ends (PostgreSQL: FOR UPDATE SKIP LOCKED;
 * SQLite: BEGIN IMMEDIATE). Expire each with zf_store_expire(). A claim only
 * shares out the work: the revision check keeps an expiry from being stored
 * twice even when a lease ran out while its holder was still at work.
 * @param[out] out a list of cases (their summaries).
 * @return ZF_OK; ZF_EINVAL; ZF_EDATABASE; ZF_ENOMEM.
 */
ZF_EXTERN(zf_code)
zf_store_claim(zf_store_list **out, zf_store *st, zf_date until, size_t max,
               zf_error *err);

/** What zf_store_work() did. */
typedef struct zf_store_work_result {
    size_t cases;   /**< cases whose terms expired */
    size_t expired; /**< expirations stored */
    size_t
        skipped; /**< cases claimed that another writer had already brought up to date */
    size_t failed;  /**< cases whose expiry failed; left claimed until their lease ends */
    size_t batches; /**< claims made */
} zf_store_work_result;

/**
 * The worker: claim batches of due cases and expire each in its own
 * transaction until no unclaimed case has a term to expire before `until`.
 * A case that fails is counted, reported in `err` (the first one) and left
 * claimed, so this run does not take it again.
 * @param batch cases per claim; 0 = 32.
 * @return ZF_OK when every case claimed was brought up to date; else the first
 *         failure's code (the others were still processed); ZF_EDATABASE.
 */
ZF_EXTERN(zf_code)
zf_store_work(zf_store_work_result *out, zf_store *st, zf_date until, size_t batch,
              zf_error *err);
/** @} */

/** @name The outbox: effects delivered at least once, each with a stable key. */
/** @{ */
/**
 * List outbox items by id.
 * @param status "pending", "claimed", "done" or NULL for all.
 * @param case_id 0 for every case.
 * @param limit 0 = no limit.
 * @return ZF_OK; ZF_EINVAL; ZF_EDATABASE; ZF_ENOMEM.
 */
ZF_EXTERN(zf_code)
zf_store_outbox(zf_store_list **out, zf_store *st, const char *status, int64_t case_id,
                size_t limit, zf_error *err);
/**
 * Claim up to `max` items for delivery: pending ones and claimed ones whose
 * lease has ended, oldest first. Each claim counts an attempt. Deliver each
 * (passing its key along, so that the receiver can drop a repeat), then
 * acknowledge it; an item not acknowledged before its lease ends is claimed
 * again.
 * @return ZF_OK; ZF_EINVAL; ZF_EDATABASE; ZF_ENOMEM.
 */
ZF_EXTERN(zf_code)
zf_store_outbox_claim(zf_store_list **out, zf_store *st, size_t max, zf_error *err);
/**
 * Mark item `id` delivered (done). Acknowledging a done item again is fine.
 * @return ZF_OK; ZF_EINVAL; ZF_ENOTFOUND; ZF_EDATABASE.
 */
ZF_EXTERN(zf_code) zf_store_outbox_ack(zf_store *st, int64_t id, zf_error *err);
/**
 * Give a claimed item back (delivery failed): pending again, `reason` kept.
 * @return ZF_OK; ZF_EINVAL; ZF_ENOTFOUND (no such item, or not claimed); ZF_EDATABASE.
 */
ZF_EXTERN(zf_code)
zf_store_outbox_release(zf_store *st, int64_t id, const char *reason, zf_error *err);
/** @} */

ZF_END_DECL

#endif
