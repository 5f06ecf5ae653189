/**
 * @file zaakflow/zgw.h
 * Speaking ZGW (Zaakgericht Werken): the zaaktype of a process for the
 * Catalogi API 1.3.1 and the Zaak view of a case for the Zaken API 1.5.1.
 *
 * A process declares its ZGW statuses and its doorlooptijd in the namespace
 * ZF_ZGW_NS (schemas/zgw.xsd, docs/zgw.md):
 * @code
 * <process xmlns="urn:zaakflow:process:1" xmlns:zgw="urn:zaakflow:zgw:1"
 *          id="bezwaar" zgw:doorlooptijd="beslistermijn" ...>
 *   <state id="ontvankelijkheid" zgw:status="2" zgw:omschrijving="In behandeling"> ...
 * @endcode
 * What only the host knows (catalogus, RSIN, archiving, the generic role of
 * each role, ...) comes from a JSON configuration (zf_zgw_config_load()).
 *
 * Output is JSON, UTF-8, with a fixed key order and no floating point: the
 * same inputs give the same bytes. The library performs no HTTP: it writes
 * the documents and requests; the host sends them.
 */
#ifndef ZAAKFLOW_ZGW_H
#define ZAAKFLOW_ZGW_H

#include "zaakflow/common.h"
#include "zaakflow/error.h"
#include "zaakflow/buf.h"
#include "zaakflow/definition.h"
#include "zaakflow/instance.h"

ZF_BEGIN_DECL

/** The XML namespace of the ZGW declarations in a process definition. */
#define ZF_ZGW_NS "urn:zaakflow:zgw:1"

/** The host's ZGW configuration (JSON). Opaque; free with zf_zgw_config_free(). */
typedef struct zf_zgw_config zf_zgw_config;

/** A process definition together with its ZGW declarations. Opaque. */
typedef struct zf_zgw_process zf_zgw_process;

/**
 * Read a configuration file: strict JSON (RFC 8259, UTF-8, no comments, no
 * duplicate keys) in the format of docs/zgw.md. Unknown keys are errors.
 * @param[out] out new configuration owned by the caller; NULL on failure.
 * @param diags    optional; receives every finding with file:line:column.
 * @param err      optional; the first error with file:line:column.
 * @return ZF_OK, ZF_EIO, ZF_EPARSE (not JSON), ZF_ESCHEMA (a wrong key, type or
 *         value) or ZF_ENOMEM.
 */
ZF_EXTERN(zf_code)
zf_zgw_config_load(zf_zgw_config **out, const char *path, zf_diagnostics *diags,
                   zf_error *err);

/** Like zf_zgw_config_load() from memory; `name` stands for the file in diagnostics. */
ZF_EXTERN(zf_code)
zf_zgw_config_parse(zf_zgw_config **out, const char *json, size_t len, const char *name,
                    zf_diagnostics *diags, zf_error *err);

/** Free a configuration. NULL is allowed. */
ZF_EXTERN(void) zf_zgw_config_free(zf_zgw_config *cfg);

/**
 * Load a process definition (zf_definition_load()) and read its ZGW
 * declarations: zgw:status and zgw:omschrijving on states, zgw:doorlooptijd on
 * the process, zgw:eigenschap on variables. They are checked (a status number
 * from 1 to 9999, at least one, the named term exists, lengths) with file:line:column.
 * @param[out] out new process owned by the caller; NULL on failure.
 * @return ZF_OK, ZF_EIO, ZF_EPARSE, ZF_ESCHEMA, ZF_ESEMANTIC or ZF_ENOMEM.
 */
ZF_EXTERN(zf_code)
zf_zgw_process_load(zf_zgw_process **out, const char *path, zf_diagnostics *diags,
                    zf_error *err);

/** Free a process. NULL is allowed. Instances of its definition must be freed first. */
ZF_EXTERN(void) zf_zgw_process_free(zf_zgw_process *proc);

/** The compiled definition of a process (borrowed; lives as long as `proc`). */
ZF_EXTERN(const zf_definition *) zf_zgw_process_definition(const zf_zgw_process *proc);

/**
 * Check that `cfg` supplies everything the zaaktypen of `procs` need: every
 * missing or invalid field is one diagnostic naming the zaaktype and the
 * field (at the position of its zaaktype entry in the configuration file), and
 * every mapped text is checked against the length limits of Catalogi API 1.3.1.
 * @return ZF_OK; ZF_ESEMANTIC when anything is missing or too long; ZF_EINVAL; ZF_ENOMEM.
 */
ZF_EXTERN(zf_code)
zf_zgw_check(const zf_zgw_process *const *procs, size_t nprocs, const zf_zgw_config *cfg,
             zf_diagnostics *diags, zf_error *err);

/** The resource files of Open Zaak's catalogus import (one JSON array each). */
typedef enum zf_zgw_resource {
    ZF_ZGW_ZAAKTYPE = 0,  /**< "ZaakType" */
    ZF_ZGW_STATUSTYPE,    /**< "StatusType" */
    ZF_ZGW_RESULTAATTYPE, /**< "ResultaatType" */
    ZF_ZGW_ROLTYPE,       /**< "RolType" */
    ZF_ZGW_EIGENSCHAP,    /**< "Eigenschap" */
    ZF_ZGW_RESOURCE_COUNT
} zf_zgw_resource;

/** "ZaakType", "StatusType", ...: the file is the name + ".json". NULL when out of range.
 */
ZF_EXTERN(const char *) zf_zgw_resource_name(zf_zgw_resource res);

/**
 * Write one resource file of the import layout: a JSON array with the
 * resources of that kind of every process in `procs`, as the Catalogi API
 * 1.3.1 serves them (with `url`; URLs of resources not yet created are
 * name-based UUIDs under the configured catalogus, stable across runs).
 * Runs zf_zgw_check() first; nothing is written when it fails.
 * @return ZF_OK, ZF_ESEMANTIC (see zf_zgw_check()), ZF_EINVAL or ZF_ENOMEM.
 */
ZF_EXTERN(zf_code)
zf_zgw_export(zf_buf *out, const zf_zgw_process *const *procs, size_t nprocs,
              const zf_zgw_config *cfg, zf_zgw_resource res, zf_error *err);

/**
 * Write the requests a client would send to create the zaaktypen of `procs`:
 * a JSON array of {"method", "url", "body", "ref", "refs"} in order, per
 * process the zaaktype first, then its statustypen, resultaattypen,
 * roltypen and eigenschappen. `ref` names what a request creates
 * ("zaaktype:bezwaar"); `refs` maps a body field to the `ref` whose created
 * URL the client puts there.
 * @return as zf_zgw_export().
 */
ZF_EXTERN(zf_code)
zf_zgw_export_requests(zf_buf *out, const zf_zgw_process *const *procs, size_t nprocs,
                       const zf_zgw_config *cfg, zf_error *err);

/** Where a case stands among zaken: the URLs only the host knows. */
typedef struct zf_zgw_case_options {
    unsigned int version;   /**< ZF_ZGW_CASE_OPTIONS_VERSION */
    const char *zaak;       /**< URL of this zaak; required */
    const char *hoofdzaak;  /**< a deelzaak: URL of its hoofdzaak, else NULL */
    const char *vervolg_op; /**< a vervolgzaak: URL of the zaak it follows, else NULL */
    /**
     * Journal entries up to and including this sequence number are already
     * synchronised (zf_zgw_case_requests()); 0 = none.
     */
    uint32_t after;
} zf_zgw_case_options;

#define ZF_ZGW_CASE_OPTIONS_VERSION 1
#define ZF_ZGW_CASE_OPTIONS_INIT                                                         \
    { ZF_ZGW_CASE_OPTIONS_VERSION, NULL, NULL, NULL, 0 }

/**
 * Write the Zaak view of a case as JSON: {"zaak", "status", "resultaat"}
 * with the Zaken API 1.5.1 fields the engine knows: zaaktype, startdatum,
 * einddatum, uiterlijkeEinddatumAfdoening (the computed last day of the
 * doorlooptijd term: Awb, Atw, opschortingen and verlengingen included),
 * opschorting, verlenging (duur as ISO 8601), hoofdzaak,
 * relevanteAndereZaken; the current status (statustype, datumStatusGezet) and
 * the resultaat of a finished case. The journal must be on.
 * @param inst an instance of zf_zgw_process_definition(proc).
 * @return ZF_OK; ZF_EINVAL (NULL argument, another definition, no zaak URL,
 *         journal off); ZF_ESEMANTIC (zf_zgw_check() fails); ZF_ENOMEM.
 */
ZF_EXTERN(zf_code)
zf_zgw_case(zf_buf *out, const zf_instance *inst, const zf_zgw_process *proc,
            const zf_zgw_config *cfg, const zf_zgw_case_options *opts, zf_error *err);

/**
 * Write the Zaken API requests a synchronising adapter sends for the journal
 * entries after `opts->after`, as a JSON object {"after", "through",
 * "requests"}: POST zaak (when after is 0), then per completed date a PATCH
 * of the zaak when opschorting, verlenging or uiterlijkeEinddatumAfdoening
 * changed, a POST resultaat when the case ended that day and a POST status
 * when the status changed. A date is completed once the case date has passed
 * it or the case is finished: one status per date, datumStatusGezet is that
 * date at 00:00 Europe/Amsterdam (docs/zgw.md), never in the future. `through`
 * is the `after` of the next synchronisation. The same inputs give the same
 * requests; a synchronisation from `through` gives none until the journal grows.
 * @return as zf_zgw_case(); ZF_EINVAL also when `after` ends inside a date
 *         that later entries continue (synchronise whole dates).
 */
ZF_EXTERN(zf_code)
zf_zgw_case_requests(zf_buf *out, const zf_instance *inst, const zf_zgw_process *proc,
                     const zf_zgw_config *cfg, const zf_zgw_case_options *opts,
                     zf_error *err);

ZF_END_DECL

#endif
