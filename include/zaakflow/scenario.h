/**
 * @file zaakflow/scenario.h
 * Scenario tests: an XML script (namespace urn:zaakflow:scenario:1,
 * schemas/scenario.xsd) that starts a case, fires events, lets time pass and
 * states what must hold, and follows spawned cases. A runner keeps the
 * definitions it loaded and counts which states and transitions the
 * scenarios took (coverage).
 *
 * @code{.xml}
 * <scenario xmlns="urn:zaakflow:scenario:1" process="processes/bezwaar.xml"
 *           start="2026-01-05" title="bezwaar gegrond">
 *   <set var="bekendgemaakt" value="2026-01-02"/>
 *   <fire event="ontvankelijk" date="2026-01-20" actor="jan" roles="behandelaar"/>
 *   <expect-state in="behandeling"/>
 *   <fire event="ingetrokken" date="2026-01-10"/>
 *   <expect-error code="ZF_EINVAL"/>
 *   <advance to="2026-06-01"/>
 *   <expect-term id="beslistermijn" status="expired"/>
 * </scenario>
 * @endcode
 */
#ifndef ZAAKFLOW_SCENARIO_H
#define ZAAKFLOW_SCENARIO_H

#include "zaakflow/common.h"
#include "zaakflow/error.h"
#include "zaakflow/buf.h"
#include "zaakflow/instance.h"

ZF_BEGIN_DECL

/** The XML namespace of scenarios. */
#define ZF_SCENARIO_NS "urn:zaakflow:scenario:1"

/** Runs scenarios; caches definitions by path and counts coverage. */
typedef struct zf_scenario_runner zf_scenario_runner;

/**
 * Called by zf_scenario_run_file() for every case of a scenario that ran, in
 * the order the cases were started, before they are freed.
 * @param name     the case's name in the scenario ("main" for the first).
 * @param inst     the case at the end of the scenario (borrowed for the call).
 * @param parent   the case that spawned it, or NULL for the main case.
 * @param relation "vervolg" or "deelzaak" when spawned, else NULL.
 * @return ZF_OK to go on; any other code stops the run and is returned.
 */
typedef zf_code (*zf_scenario_case_cb)(const char *name, const zf_instance *inst,
                                       const char *parent, const char *relation,
                                       void *payload);

/** Options of zf_scenario_runner_new(). Start from ZF_SCENARIO_OPTIONS_INIT. */
typedef struct zf_scenario_options {
    unsigned int version; /**< ZF_SCENARIO_OPTIONS_VERSION (1, 2 or 3) */
    /**
     * Directory against which a relative `process` path is resolved when it
     * is not found next to the scenario file; NULL = the working directory.
     */
    const char *base_dir;
    /** When set, run this process file instead of each scenario's `process`. */
    const char *process;
    /** Version 2: called with every case when a run ends (NULL: not called). */
    zf_scenario_case_cb on_case;
    void *payload; /**< version 2: passed to on_case */
    /**
     * Version 3. 1: check the round-trip law at the start of every case and
     * after every fire, advance and follow: the case's snapshot restores, and
     * the restored instance's snapshot is the same, byte for byte (with the
     * journal on, also when restored without the journal); the restored
     * instance then runs the case's next step. A refusal or a difference fails
     * the scenario. zf_scenario_runner_roundtrips() counts them.
     */
    int roundtrip;
    /**
     * Version 3. 1 (the default): cases keep their journal; 0: they run with
     * the journal off. Coverage of the transitions taken when a case starts
     * is read from its journal, so with the journal off it is not counted.
     */
    int journal;
} zf_scenario_options;

#define ZF_SCENARIO_OPTIONS_VERSION 3
#define ZF_SCENARIO_OPTIONS_INIT                                                         \
    { ZF_SCENARIO_OPTIONS_VERSION, NULL, NULL, NULL, NULL, 0, 1 }

/** The outcome of one scenario. */
typedef struct zf_scenario_result {
    int passed;           /**< 1 when every step and expectation held */
    char name[256];       /**< the title, or the file name */
    unsigned steps;       /**< steps executed */
    unsigned failed_step; /**< 1-based number of the failing step, 0 when passed */
    int line;             /**< line of the failing step in the scenario file */
    char message[512];    /**< "expected ... got ..." */
} zf_scenario_result;

/** Coverage of one definition over every scenario the runner ran. */
typedef struct zf_scenario_coverage {
    const char *process; /**< process id (borrowed from the runner) */
    const char *file;    /**< the definition's path */
    size_t states_hit,
        states_total; /**< states entered at least once (the process itself excluded) */
    size_t transitions_hit, transitions_total; /**< transitions taken at least once */
} zf_scenario_coverage;

/**
 * @param[out] out new runner owned by the caller; free with zf_scenario_runner_free().
 * @param opts NULL for the defaults (strings are copied).
 * @return ZF_OK, ZF_EINVAL or ZF_ENOMEM.
 */
ZF_EXTERN(zf_code)
zf_scenario_runner_new(zf_scenario_runner **out, const zf_scenario_options *opts,
                       zf_error *err);

/** Free a runner and the definitions it loaded. NULL is allowed. */
ZF_EXTERN(void) zf_scenario_runner_free(zf_scenario_runner *runner);

/**
 * Run the scenario in file `path`. A scenario that fails an expectation is
 * not an error: the call returns ZF_OK with result->passed == 0.
 * @param timeline optional; receives the timeline of every case (zf_instance_timeline()).
 * @return ZF_OK; ZF_EIO (cannot read); ZF_EPARSE (malformed XML, unknown step,
 *         missing attribute: the scenario itself is wrong, line in err);
 *         a definition loading error (ZF_ESCHEMA, ZF_ESEMANTIC, ...); ZF_ENOMEM.
 */
ZF_EXTERN(zf_code)
zf_scenario_run_file(zf_scenario_result *result, zf_buf *timeline,
                     zf_scenario_runner *runner, const char *path, zf_error *err);

/** Round trips (snapshot -> restore -> snapshot) the runner has checked. */
ZF_EXTERN(unsigned long) zf_scenario_runner_roundtrips(const zf_scenario_runner *runner);

/** Number of definitions the runner has loaded. */
ZF_EXTERN(size_t) zf_scenario_coverage_count(const zf_scenario_runner *runner);
/** Coverage of the i-th definition (in load order). @return ZF_OK or ZF_ENOTFOUND. */
ZF_EXTERN(zf_code)
zf_scenario_coverage_get(zf_scenario_coverage *out, const zf_scenario_runner *runner,
                         size_t i, zf_error *err);
/**
 * Append the transitions of definition i never taken, one a line
 * ("line 12: ontvangen --ingetrokken--> ingetrokken"), to `out`.
 * @return ZF_OK, ZF_ENOTFOUND or ZF_ENOMEM.
 */
ZF_EXTERN(zf_code)
zf_scenario_coverage_missed(zf_buf *out, const zf_scenario_runner *runner, size_t i,
                            zf_error *err);

ZF_END_DECL

#endif
