/**
 * @file zaakflow/date.h
 * Civil dates as day numbers, ISO 8601 text, weekdays, Easter, and calendar
 * arithmetic in days, weeks, months and years. Pure functions; no allocation.
 */
#ifndef ZAAKFLOW_DATE_H
#define ZAAKFLOW_DATE_H

#include "zaakflow/common.h"
#include "zaakflow/error.h"

ZF_BEGIN_DECL

#define ZF_DATE_MIN_YEAR 1
#define ZF_DATE_MAX_YEAR 9999

/** Unit of a duration. */
typedef enum zf_unit {
    ZF_UNIT_DAY = 0,
    ZF_UNIT_WEEK = 1,
    ZF_UNIT_MONTH = 2,
    ZF_UNIT_YEAR = 3
} zf_unit;

/** A length of time: `n` units, written "6w", "14d", "3m", "1y". n >= 0. */
typedef struct zf_duration {
    int32_t n;
    zf_unit unit;
} zf_duration;

/** ISO weekday: 1 = Monday ... 7 = Sunday. */
typedef enum zf_weekday {
    ZF_MONDAY = 1,
    ZF_TUESDAY,
    ZF_WEDNESDAY,
    ZF_THURSDAY,
    ZF_FRIDAY,
    ZF_SATURDAY,
    ZF_SUNDAY
} zf_weekday;

/**
 * Make a date from year, month (1-12) and day.
 * @return ZF_OK, or ZF_ERANGE for an impossible date ("2026-02-30 does not exist").
 */
ZF_EXTERN(zf_code)
zf_date_from_ymd(zf_date *out, int year, int month, int day, zf_error *err);

/** Split a valid date into year, month and day; any out pointer may be NULL. */
ZF_EXTERN(void) zf_date_to_ymd(int *year, int *month, int *day, zf_date date);

/**
 * Parse an ISO 8601 calendar date "YYYY-MM-DD" (exactly that form).
 * @param[out] out  the date; unchanged on failure.
 * @return ZF_OK, ZF_EPARSE (not of the form YYYY-MM-DD) or ZF_ERANGE (no such day).
 */
ZF_EXTERN(zf_code) zf_date_parse(zf_date *out, const char *text, zf_error *err);

/** Size of the buffer zf_date_format() needs: "YYYY-MM-DD" plus NUL. */
#define ZF_DATE_BUFSIZE 11

/** Write a valid date as "YYYY-MM-DD" into `buf` and return `buf`. */
ZF_EXTERN(char *) zf_date_format(char buf[ZF_DATE_BUFSIZE], zf_date date);

/** Whether `date` lies in the supported range (years 1-9999). */
ZF_EXTERN(int) zf_date_valid(zf_date date);

/** ISO weekday of a valid date. */
ZF_EXTERN(zf_weekday) zf_date_weekday(zf_date date);

/** Dutch name of a weekday ("maandag" ... "zondag"); static storage. */
ZF_EXTERN(const char *) zf_weekday_name(zf_weekday wd);

/** Number of days in a month of a year (1-12), 0 for a bad month. */
ZF_EXTERN(int) zf_days_in_month(int year, int month);

/** Easter Sunday of a Gregorian year (1583-9999), or ZF_DATE_NONE. */
ZF_EXTERN(zf_date) zf_date_easter(int year);

/**
 * Add a duration (which may be negative when built by hand) to a date.
 * Days and weeks are exact day counts. A month or year step lands on the
 * same day number, or on the last day of the target month when it is
 * shorter (31 January + 1m = 28 or 29 February; 29 February + 1y = 28 February).
 * @return ZF_OK or ZF_ERANGE when the result leaves years 1-9999.
 */
ZF_EXTERN(zf_code)
zf_date_add(zf_date *out, zf_date date, zf_duration dur, zf_error *err);

/**
 * Parse a duration "N" followed by d, w, m or y (e.g. "6w"); N is 0-99999.
 * @return ZF_OK, ZF_EPARSE (syntax, unknown unit, negative) or ZF_ERANGE.
 */
ZF_EXTERN(zf_code) zf_duration_parse(zf_duration *out, const char *text, zf_error *err);

/** Size of the buffer zf_duration_format() needs. */
#define ZF_DURATION_BUFSIZE 16

/** Write a duration as "6w" into `buf` and return `buf`. */
ZF_EXTERN(char *) zf_duration_format(char buf[ZF_DURATION_BUFSIZE], zf_duration dur);

ZF_END_DECL

#endif
