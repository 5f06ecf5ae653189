/**
 * @file zaakflow/calendar.h
 * Calendars of non-working days. The Algemene termijnenwet (Atw) calendar
 * ships with the library as data: Saturdays and Sundays, the algemeen erkende
 * feestdagen of Atw art 3 lid 1 with their history, Goede Vrijdag (art 3
 * lid 2) and the days equated by Royal Decree (art 3 lid 3) with their
 * Staatscourant reference. A municipality can load its own calendar (an XML
 * file) that extends the Atw calendar with closing days, without touching C.
 */
#ifndef ZAAKFLOW_CALENDAR_H
#define ZAAKFLOW_CALENDAR_H

#include "zaakflow/common.h"
#include "zaakflow/error.h"
#include "zaakflow/date.h"

ZF_BEGIN_DECL

/** An immutable calendar; may be shared between threads. */
typedef struct zf_calendar zf_calendar;

/** Why a day is or is not a working day. */
typedef enum zf_day_kind {
    ZF_DAY_WORKING = 0, /**< an ordinary working day */
    ZF_DAY_WEEKEND,     /**< Saturday or Sunday (Atw art 1) */
    ZF_DAY_HOLIDAY,     /**< algemeen erkende feestdag (Atw art 3 lid 1) */
    ZF_DAY_EQUATED_LAW, /**< equated by the Act itself: Goede Vrijdag (Atw art 3 lid 2) */
    ZF_DAY_EQUATED_KB,  /**< equated by Royal Decree (Atw art 3 lid 3) */
    ZF_DAY_LOCAL        /**< a closing day added by a loaded calendar */
} zf_day_kind;

/** The explanation of one day. Strings are static or owned by the calendar. */
typedef struct zf_day_info {
    zf_date date;
    zf_day_kind kind;
    const char *name;  /**< e.g. "Tweede Paasdag", "zaterdag"; "" for working days */
    const char *basis; /**< e.g. "Atw art 3 lid 1", "Stcrt. 2025, 24713"; "" if none */
} zf_day_info;

/**
 * The built-in Atw calendar (data/atw-calendar.xml), parsed on first use in a
 * thread-safe way and never freed. Its memory comes from the allocator in
 * force at that first use. Returns NULL only when that first parse runs out of
 * memory; the next call tries again.
 */
ZF_EXTERN(const zf_calendar *) zf_calendar_atw(void);

/** A calendar in which every day is a working day: static, never freed. */
ZF_EXTERN(const zf_calendar *) zf_calendar_none(void);

/** The calendar's identifier, e.g. "atw"; borrowed from the calendar. */
ZF_EXTERN(const char *) zf_calendar_id(const zf_calendar *cal);

/**
 * Load a calendar from an XML file (schemas/calendar.xsd). A calendar may
 * extend "atw" or "none" and add rules and single days. A document type
 * declaration is refused (ZF_EPARSE); no network access, no entity expansion.
 * @param[out] out new calendar owned by the caller; free with zf_calendar_free().
 * @return ZF_OK, ZF_EIO, ZF_EPARSE, ZF_ESCHEMA, ZF_ESEMANTIC or ZF_ENOMEM.
 */
ZF_EXTERN(zf_code) zf_calendar_load(zf_calendar **out, const char *path, zf_error *err);

/** Like zf_calendar_load() from memory; `name` is used in diagnostics. */
ZF_EXTERN(zf_code)
zf_calendar_parse(zf_calendar **out, const char *xml, size_t len, const char *name,
                  zf_error *err);

/** Free a loaded calendar. NULL and the built-in calendars are ignored. */
ZF_EXTERN(void) zf_calendar_free(zf_calendar *cal);

/**
 * Whether `date` is a working day. When `why` is non-NULL it receives the
 * reason (kind, name, basis) for the day; a holiday on a Saturday or Sunday is
 * reported as the holiday. Allocation-free: a binary search for the years
 * 1901-2198, the calendar's rules evaluated directly for other years.
 * @return 1 for a working day, 0 for a non-working day, -1 for an invalid date.
 */
ZF_EXTERN(int)
zf_calendar_is_working_day(const zf_calendar *cal, zf_date date, zf_day_info *why);

/**
 * The non-working days of a year other than plain weekends (holidays, equated
 * days, local closing days), in date order. A holiday on a Saturday or
 * Sunday is listed too. Writes at most `cap` entries.
 * @return the number of such days in the year (may exceed `cap`), or -1 for a bad year.
 */
ZF_EXTERN(int)
zf_calendar_year(zf_day_info *out, size_t cap, const zf_calendar *cal, int year);

/** Number of working days in the closed interval [from, to]; 0 when to < from. */
ZF_EXTERN(int32_t) zf_calendar_workdays(const zf_calendar *cal, zf_date from, zf_date to);

ZF_END_DECL

#endif
