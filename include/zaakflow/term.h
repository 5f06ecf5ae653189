/**
 * @file zaakflow/term.h
 * The last day of a statutory term (termijn): Awb 6:8 counting (the term
 * starts the day after its trigger), Algemene termijnenwet art 1, 2 and 4,
 * suspension (opschorting, Awb 4:15, 7:10 lid 2) and extension (verdaging,
 * Awb 7:10 lid 3, 9:11 lid 2). Every result carries the trace of the steps
 * that led to it. No allocation (except in zf_term_explain()).
 */
#ifndef ZAAKFLOW_TERM_H
#define ZAAKFLOW_TERM_H

#include "zaakflow/common.h"
#include "zaakflow/error.h"
#include "zaakflow/buf.h"
#include "zaakflow/date.h"
#include "zaakflow/calendar.h"

ZF_BEGIN_DECL

/** Whether the Algemene termijnenwet may extend the term. */
typedef enum zf_atw_mode {
    /** Apply Atw art 1 and 2 unless art 4 excludes the term by its length. */
    ZF_ATW_AUTO = 0,
    /** A statute excludes the Atw (e.g. the 42 dwangsom days, Awb 4:17 lid 1). */
    ZF_ATW_OFF = 1
} zf_atw_mode;

/** How suspended days are counted (RULES.md 2.5 point 4; CSV case C17). */
typedef enum zf_suspend_rule {
    /**
     * Awb 4:15 read literally: suspended from the day after the suspending act
     * until, not including, the day of resumption: to - from - 1 days.
     */
    ZF_SUSPEND_EXCLUSIVE = 0,
    /** The day of resumption counts as suspended too: to - from days. */
    ZF_SUSPEND_INCLUSIVE = 1
} zf_suspend_rule;

/** How an extension (verdaging) is added (RULES.md 2.5 point 3). */
typedef enum zf_extend_rule {
    /**
     * The extension runs as a term of its own from the day after the
     * (Atw-adjusted) end of the term it extends, and the Atw is judged on the
     * extension's own length (alkmaar.nl, CSV C12/C13).
     */
    ZF_EXTEND_FROM_END = 0,
    /**
     * The extension lengthens the nominal term, and Atw art 4 is judged on
     * the total length (12 + 6 weeks = 18 weeks: no Atw).
     */
    ZF_EXTEND_TOTAL = 1
} zf_extend_rule;

/** A suspension: from the day after `from` up to the day `to` (see zf_suspend_rule). */
typedef struct zf_interval {
    zf_date
        from;   /**< the day of the suspending act (e.g. the invitation to supplement) */
    zf_date to; /**< the day of resumption (e.g. the day the aanvraag was supplemented) */
} zf_interval;

/** What to compute. Start from ZF_TERM_SPEC_INIT. */
typedef struct zf_term_spec {
    unsigned int version; /**< ZF_TERM_SPEC_VERSION */
    zf_date trigger;      /**< the trigger day; the term starts the next day (Awb 6:8) */
    zf_duration length;   /**< length of the term, n >= 0 */
    const zf_calendar *calendar;    /**< NULL means zf_calendar_atw() */
    zf_atw_mode atw;                /**< ZF_ATW_AUTO unless a statute excludes the Atw */
    const zf_interval *suspensions; /**< closed suspensions, any order; may overlap */
    size_t nsuspensions;
    zf_suspend_rule suspend_rule;
    const zf_duration *extensions; /**< extensions (verdaging) in the order granted */
    size_t nextensions;
    zf_extend_rule extend_rule;
} zf_term_spec;

#define ZF_TERM_SPEC_VERSION 1
#define ZF_TERM_SPEC_INIT                                                                \
    {                                                                                    \
        ZF_TERM_SPEC_VERSION, ZF_DATE_NONE, {0, ZF_UNIT_DAY}, NULL, ZF_ATW_AUTO, NULL,   \
            0, ZF_SUSPEND_EXCLUSIVE, NULL, 0, ZF_EXTEND_FROM_END                         \
    }

/** Kind of one step in the trace of a computation. */
typedef enum zf_step_kind {
    ZF_STEP_START,        /**< date = first day of the term (Awb 6:8) */
    ZF_STEP_NOMINAL,      /**< date = nominal last day (trigger + length) */
    ZF_STEP_SUSPEND,      /**< days = suspended days of one interval; date = new end */
    ZF_STEP_EXTEND,       /**< days = extension in days; date = new end */
    ZF_STEP_ATW_EXCLUDED, /**< the Atw does not apply (art 4, excluded by statute, or a
                               calendar without non-working days); `note` says why */
    ZF_STEP_ATW_ART2, /**< art 2: extended to contain two working days; date = new end */
    ZF_STEP_NONWORKING, /**< art 1: `day` is not a working day; date = that day */
    ZF_STEP_END         /**< date = the last day on which the act is in time */
} zf_step_kind;

/** One step of the trace. */
typedef struct zf_term_step {
    zf_step_kind kind;
    zf_date date;
    int32_t days;     /**< a count of days where the kind says so, else 0 */
    zf_day_info day;  /**< for ZF_STEP_NONWORKING: the day and why */
    const char *note; /**< static text: the rule applied, e.g. "Atw art 4 lid 1 sub a" */
} zf_term_step;

#define ZF_TERM_MAX_STEPS 64

/** The result of zf_term_compute(). Plain data; copy freely. */
typedef struct zf_term_result {
    zf_date first_day;      /**< trigger + 1 */
    zf_date nominal_end;    /**< trigger + length, before suspension, extension and Atw */
    zf_date end;            /**< last day on which the act is still in time */
    int32_t suspended_days; /**< total days added by suspensions */
    int atw_applied;        /**< 1 when Atw art 1/2 were applied to the final end */
    unsigned int nsteps;    /**< steps recorded in `steps` */
    int truncated;          /**< 1 when the trace was longer than ZF_TERM_MAX_STEPS */
    zf_term_step steps[ZF_TERM_MAX_STEPS]; /**< the last one is always ZF_STEP_END */
    zf_duration length; /**< the term's length as given (for the explanation) */
} zf_term_result;

/**
 * Compute the last day of a term.
 * @param[out] out the result; left untouched on failure.
 * Order: Awb 6:8 start, nominal end, suspensions (merged, so no day counts
 * twice), extensions, then Atw art 4 (exclusion), art 2 and art 1, in that
 * order (RULES.md 2.4). Allocates nothing, except that the first use of the
 * Atw calendar (spec->calendar NULL) loads it.
 * @return ZF_OK, ZF_EINVAL (bad spec: negative length, a suspension ending
 *         before it starts, unknown version, a freed calendar), ZF_ERANGE (date
 *         overflow) or ZF_ENOMEM (the Atw calendar could not be loaded).
 */
ZF_EXTERN(zf_code)
zf_term_compute(zf_term_result *out, const zf_term_spec *spec, zf_error *err);

/**
 * Whether Atw art 4 lid 1 sub a leaves a term of this length to the Atw:
 * not for more than 90 days, more than 12 weeks, more than 3 months, or years.
 * @return 1 if the Atw applies, 0 if excluded.
 */
ZF_EXTERN(int) zf_term_atw_applies(zf_duration length);

/**
 * Append a human-readable explanation of `res` to `out`, one step a line, each
 * ending in a newline, e.g. "2026-05-15 is equated with a public holiday:
 * vrijdag na Hemelvaartsdag (Stcrt. 2025, 24713)".
 * @return ZF_OK or ZF_ENOMEM (the buffer keeps what it had).
 */
ZF_EXTERN(zf_code) zf_term_explain(zf_buf *out, const zf_term_result *res, zf_error *err);

/** Name of a convention, e.g. "exclusive"; static storage. */
ZF_EXTERN(const char *) zf_suspend_rule_name(zf_suspend_rule rule);
ZF_EXTERN(const char *) zf_extend_rule_name(zf_extend_rule rule);

ZF_END_DECL

#endif
