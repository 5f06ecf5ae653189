/* Private interface of the calendar module. */
#ifndef ZF_CALENDAR_PRIV_H
#define ZF_CALENDAR_PRIV_H

#include "internal.h"

/* The Atw calendar XML (data/atw-calendar.xml), compiled in by build-aux/embed.sh. */
extern const unsigned char zf__atw_calendar_xml[];
extern const size_t zf__atw_calendar_xml_len;

/* The years for which a calendar precomputes its rule days; outside them the
 * rules are evaluated on each query (still without allocation). */
#define ZF__CAL_TABLE_FIRST_YEAR 1900
#define ZF__CAL_TABLE_LAST_YEAR 2199

/* Whether `cal` is a live calendar handle (built-in or loaded). */
ZF__INTERNAL int zf__calendar_check(const zf_calendar *cal);

/* Whether the calendar has any non-working day at all (zf_calendar_none() has none). */
ZF__INTERNAL int zf__calendar_is_empty(const zf_calendar *cal);

#endif
