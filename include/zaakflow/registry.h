/**
 * @file zaakflow/registry.h
 * Versions side by side: a registry holds any number of process definitions,
 * several versions of one process among them, and finds one by id and
 * version, by hash (zf_definition_hash()) or by the date a case starts
 * (docs/versions.md).
 *
 * A definition may carry a validity (`valid-from`, `valid-until` on
 * `<process>`, inclusive): the days on which a case may start on it. Starting
 * a case on a date picks the version valid on that date, so transitional law
 * ("cases started before 1 January 2019 continue under the old rules") is
 * data. An open side runs to the beginning or end of time, so two versions of
 * one process that declare a validity must declare validities that do not
 * overlap (versions that declare none may stand side by side, e.g. to restore
 * old cases; zf_registry_pick() then cannot choose between them).
 *
 * A registry owns its definitions. Once filled it is only read, so it may be
 * shared by any number of threads and instances; definitions it returns are
 * borrowed and live as long as the registry.
 */
#ifndef ZAAKFLOW_REGISTRY_H
#define ZAAKFLOW_REGISTRY_H

#include "zaakflow/common.h"
#include "zaakflow/error.h"
#include "zaakflow/definition.h"
#include "zaakflow/instance.h"

ZF_BEGIN_DECL

/** A set of definitions by id, version, hash and validity. Free with zf_registry_free().
 */
typedef struct zf_registry zf_registry;

/**
 * @param[out] out new empty registry owned by the caller.
 * @return ZF_OK, ZF_EINVAL (out is NULL) or ZF_ENOMEM.
 */
ZF_EXTERN(zf_code) zf_registry_new(zf_registry **out, zf_error *err);

/** Free a registry and every definition in it. NULL is allowed. */
ZF_EXTERN(void) zf_registry_free(zf_registry *reg);

/**
 * Load a definition file (as zf_definition_load()) into the registry.
 * A definition with the same hash as one already registered is not added
 * twice: *out is then the one registered before.
 * @param[out] out the registered definition, borrowed from the registry; NULL
 *                 on failure. May be NULL.
 * @param diags    optional; receives the file's findings.
 * @return ZF_OK; the codes of zf_definition_load(); ZF_ESEMANTIC when the
 *         registry holds the same id and version with another hash, or a version
 *         of the same id whose validity overlaps (the message names the other's
 *         file); ZF_EINVAL; ZF_ENOMEM. On failure the registry is unchanged.
 */
ZF_EXTERN(zf_code)
zf_registry_load(const zf_definition **out, zf_registry *reg, const char *path,
                 zf_diagnostics *diags, zf_error *err);

/**
 * Add a definition, taking ownership of it on success (then `def` must not be
 * used or freed by the caller: use *out). On failure the caller keeps `def`.
 * @return as zf_registry_load(), without the loading codes.
 */
ZF_EXTERN(zf_code)
zf_registry_take(const zf_definition **out, zf_registry *reg, zf_definition *def,
                 zf_error *err);

/** Number of definitions. 0 for NULL. */
ZF_EXTERN(size_t) zf_registry_count(const zf_registry *reg);

/**
 * The i-th definition, ordered by process id, then by the start of the
 * validity (open first), then by version; NULL when out of range. Borrowed.
 */
ZF_EXTERN(const zf_definition *) zf_registry_get(const zf_registry *reg, size_t i);

/**
 * The definition of process `id` in version `version`.
 * @param[out] out borrowed from the registry; NULL when not found.
 * @return ZF_OK, ZF_ENOTFOUND or ZF_EINVAL.
 */
ZF_EXTERN(zf_code)
zf_registry_find(const zf_definition **out, const zf_registry *reg, const char *id,
                 const char *version, zf_error *err);

/**
 * The definition whose zf_definition_hash() is `hash`.
 * @return ZF_OK, ZF_ENOTFOUND or ZF_EINVAL.
 */
ZF_EXTERN(zf_code)
zf_registry_find_hash(const zf_definition **out, const zf_registry *reg, const char *hash,
                      zf_error *err);

/**
 * The version of process `id` valid on `date`: the one whose validity
 * contains it.
 * @return ZF_OK; ZF_ENOTFOUND (no such process, or no version valid on that
 *         date: the message lists the validities there are); ZF_ESEMANTIC (two
 *         versions without a validity are both valid); ZF_EINVAL.
 */
ZF_EXTERN(zf_code)
zf_registry_pick(const zf_definition **out, const zf_registry *reg, const char *id,
                 zf_date date, zf_error *err);

/**
 * Start a case of process `id` on `start` with the version valid on that day
 * (zf_registry_pick(), then zf_instance_new()).
 * @return as zf_registry_pick() and zf_instance_new().
 */
ZF_EXTERN(zf_code)
zf_registry_start(zf_instance **out, const zf_registry *reg, const char *id,
                  zf_date start, const zf_param_value *vars, size_t nvars,
                  const zf_instance_options *opts, zf_error *err);

/**
 * Start the related case that spawn effect `effect` of `parent` asks for
 * (zf_instance_effect()): the version of its process valid on the effect's
 * date, started on that date with the spawn's parameters as its variables.
 * This is how a spawn resolves to a version: by the registry, on the date of
 * the spawn.
 * @return ZF_OK; ZF_ENOTFOUND (no such effect, or no version valid then);
 *         ZF_EINVAL (not a spawn effect); the codes of zf_instance_new().
 */
ZF_EXTERN(zf_code)
zf_registry_follow(zf_instance **out, const zf_registry *reg, const zf_instance *parent,
                   size_t effect, const zf_instance_options *opts, zf_error *err);

/**
 * Restore a snapshot with the definition it names: found by the snapshot's
 * hash (read with zf_snapshot_info(), which checks its digest and, given
 * opts->key, its MAC), so an old case finds its old version.
 * @return ZF_OK; ZF_ESNAPSHOT (no definition in the registry has the
 *         snapshot's hash: the message says whether its id and version are
 *         there with other content); the codes of zf_snapshot_info() and
 *         zf_instance_restore().
 */
ZF_EXTERN(zf_code)
zf_registry_restore(zf_instance **out, const zf_registry *reg, const char *xml,
                    size_t len, const zf_instance_options *opts, zf_error *err);

ZF_END_DECL

#endif
