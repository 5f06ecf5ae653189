/**
 * @file zaakflow/migration.h
 * Migration of running cases from one version of a process to another
 * (docs/migration.md). A migration document (namespace urn:zaakflow:migration:1,
 * schemas/migration.xsd, compiled into the library) names the two versions,
 * the legal basis, and maps states, variables and terms:
 *
 * @code{.xml}
 * <migration xmlns="urn:zaakflow:migration:1" from="dwangsom@2018.1"
 * to="dwangsom@2026.1"> <basis>Regeling indexering van bedragen in de Awb, Stcrt. 2018,
 * 65542</basis> <states><map from="oud" to="nieuw"/></states> <variables><rename from="a"
 * to="b"/><drop var="c"/><set var="d" expr="a * 2"/></variables> <terms><keep
 * term="beslistermijn"/><recompute term="t"/><stop term="u"/></terms>
 * </migration>
 * @endcode
 *
 * Loading checks the document against both definitions, collecting every
 * finding with file:line:column: every reachable state of the old version
 * maps to a state of the new one and the states a case can be in together
 * map to a legal configuration; every old variable and term is carried over
 * or dropped (stopped) explicitly; types fit; every required variable of the
 * new version gets a value. Ids that are the same in both versions map to
 * each other unless the document says otherwise.
 *
 * A compiled migration is immutable and holds no pointer to the definitions:
 * it fits every definition with the same hashes.
 */
#ifndef ZAAKFLOW_MIGRATION_H
#define ZAAKFLOW_MIGRATION_H

#include "zaakflow/common.h"
#include "zaakflow/error.h"
#include "zaakflow/definition.h"
#include "zaakflow/instance.h"
#include "zaakflow/registry.h"

ZF_BEGIN_DECL

/** A compiled migration document. Free with zf_migration_free(). */
typedef struct zf_migration zf_migration;

/** The XML namespace of migration documents. */
#define ZF_MIGRATION_NS "urn:zaakflow:migration:1"

/**
 * Load a migration document and check it against the two definitions it
 * names (`from` and `to` must be their process@version).
 * @param[out] out new migration owned by the caller; NULL on failure.
 * @param diags    optional; every error and warning found.
 * @param err      optional; the first error with file:line:column.
 * @return ZF_OK, ZF_EIO, ZF_EPARSE, ZF_ESCHEMA, ZF_ESEMANTIC, ZF_EINVAL or ZF_ENOMEM.
 */
ZF_EXTERN(zf_code)
zf_migration_load(zf_migration **out, const char *path, const zf_definition *from,
                  const zf_definition *to, zf_diagnostics *diags, zf_error *err);

/** Like zf_migration_load() from memory; `name` stands for the file in diagnostics. */
ZF_EXTERN(zf_code)
zf_migration_parse(zf_migration **out, const char *xml, size_t len, const char *name,
                   const zf_definition *from, const zf_definition *to,
                   zf_diagnostics *diags, zf_error *err);

/**
 * Load a migration document with the definitions it names taken from `reg`
 * (zf_registry_find() on its `from` and `to`).
 * @return as zf_migration_load(); ZF_ESEMANTIC also when a version it names is
 *         not in the registry (positioned at the attribute).
 */
ZF_EXTERN(zf_code)
zf_registry_load_migration(zf_migration **out, const zf_registry *reg, const char *path,
                           zf_diagnostics *diags, zf_error *err);

/** Free a migration. NULL is allowed. */
ZF_EXTERN(void) zf_migration_free(zf_migration *mig);

/** @name Introspection: strings borrowed from the migration; NULL for NULL. */
/** @{ */
ZF_EXTERN(const char *) zf_migration_from_id(const zf_migration *mig);
ZF_EXTERN(const char *) zf_migration_from_version(const zf_migration *mig);
/** zf_definition_hash() of the version migrated from. */
ZF_EXTERN(const char *) zf_migration_from_hash(const zf_migration *mig);
ZF_EXTERN(const char *) zf_migration_to_id(const zf_migration *mig);
ZF_EXTERN(const char *) zf_migration_to_version(const zf_migration *mig);
ZF_EXTERN(const char *) zf_migration_to_hash(const zf_migration *mig);
/** The `<basis>` texts joined with "; ", or NULL. */
ZF_EXTERN(const char *) zf_migration_basis(const zf_migration *mig);
/** @} */

/**
 * Move a case to the new version as of `date`: a new instance of `to` in the
 * states the migration maps the case's states to (completed to a legal
 * configuration by default entry, without running entry actions), with the
 * variables and terms the migration says. A running term that is kept keeps
 * its trigger, length, suspensions and extensions, and its last day follows
 * from them under the new term's calendar and conventions; a recomputed one
 * takes its trigger and length from the new term's rule (evaluated on the
 * migrated variables); a stopped one is stopped on `date`. A term left
 * running in a state the case is no longer in is stopped.
 *
 * The new instance's journal (kept when `inst` keeps one) holds `inst`'s
 * journal and one entry more, dated `date`, by `actor`, with no event: the
 * states left, ZF_JOURNAL_MIGRATED naming both versions and the basis, the
 * states entered, the variables set, and every term started, stopped or
 * moved (ZF_JOURNAL_TERM_MOVED: old and new last day). The case date becomes
 * `date`. `inst` is not changed; the new instance's effects are empty.
 *
 * Deterministic: the same case, migration, definition, date and actor give
 * the same snapshot. A term that ran out before `date` has to expire under
 * the old version first: advance `inst` to `date` before migrating.
 *
 * @param[out] out new instance of `to`, owned by the caller; NULL on failure.
 * @param inst     the case; its definition's hash must be the migration's from-hash.
 * @param to       the new version; its hash must be the migration's to-hash. It
 *                 must outlive the new instance.
 * @param date     the migration date: not before the case date.
 * @param actor    who migrates, journaled; may be NULL.
 * @return ZF_OK; ZF_EINVAL (NULL or freed argument, wrong version, date before
 *         the case date); ZF_EREJECTED (a running term's last day is before
 *         `date`: advance first; a finished case mapped to a state that is not
 *         final); ZF_EEVAL (an expression of the migration or a recomputed term
 *         failed, e.g. an unset variable); ZF_ELIMIT; ZF_ENOMEM.
 */
ZF_EXTERN(zf_code)
zf_instance_migrate(zf_instance **out, const zf_instance *inst, const zf_migration *mig,
                    const zf_definition *to, zf_date date, const char *actor,
                    zf_error *err);

ZF_END_DECL

#endif
