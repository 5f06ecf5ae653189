/* Private interface of the calendar module. */
#ifndef ZF_CALENDAR_PRIV_H
#define ZF_CALENDAR_PRIV_H

#include "internal.h"

#include <stdint.h>

/* The Atw calendar XML (data/atw-calendar.xml), compiled in by build-aux/embed.sh. */
extern const unsigned char zf__atw_calendar_xml[];
extern const size_t zf__atw_calendar_xml_len;

/* The years for which a calendar precomputes its rule days; outside them the
 * rules are evaluated on each query (still without allocation). */
#define ZF__CAL_TABLE_FIRST_YEAR 1900
#define ZF__CAL_TABLE_LAST_YEAR 2199

/*
 * A calendar. The struct is here rather than in calendar.c so that the term
 * module can inline zf__calendar_working(), which it calls for every day it
 * counts.
 */
struct cal_rule;
struct cal_entry;
struct zf_calendar {
    unsigned int magic;
    int builtin; /* the static calendars: zf_calendar_free() ignores them */
    const char *id, *title;
    unsigned int weekend; /* bit (1 << zf_weekday) per weekend day */
    const char *weekend_basis;
    struct cal_rule *rules;
    size_t nrules;
    struct cal_entry *days; /* single days: sorted, one entry per date */
    size_t ndays;
    struct cal_entry *table; /* rule days of the table years: sorted, one per date */
    size_t ntable;
    /* The non-working days (rule days, single days and weekend days) of the
     * years the table covers completely, one bit per day from bits_first:
     * answers zf_calendar_is_working_day() without a search. NULL for the
     * calendar "none", which has no non-working days. */
    uint64_t *bits;
    zf_date bits_first;
    uint32_t nbits;
    char *pool; /* the strings this calendar owns; inherited ones are borrowed
                   from the Atw calendar, which lives as long as the process */
};
ZF__MAGIC_FIRST(struct zf_calendar);

/*
 * Whether `d` is a working day of the live calendar `cal` when its bit set
 * covers `d`: 1 or 0; -1 when it does not (then ask zf_calendar_is_working_day()).
 */
static inline int zf__calendar_bit(const zf_calendar *cal, zf_date d) {
    uint32_t i = (uint32_t)d - (uint32_t)cal->bits_first;
    if (!cal->bits || i >= cal->nbits)
        return -1;
    return !((cal->bits[i >> 6] >> (i & 63)) & 1);
}

/* zf_calendar_is_working_day(cal, d, NULL) for a live calendar, inlined for the
 * days inside the bit set. */
static inline int zf__calendar_working(const zf_calendar *cal, zf_date d) {
    int w = zf__calendar_bit(cal, d);
    return w >= 0 ? w : zf_calendar_is_working_day(cal, d, NULL);
}

/* Whether `cal` is a live calendar handle (built-in or loaded). */

/* Whether the calendar has any non-working day at all (zf_calendar_none() has none). */
static inline int zf__calendar_is_empty(const zf_calendar *cal) {
    return cal->weekend == 0 && cal->nrules == 0 && cal->ndays == 0;
}

#endif
