/* Civil dates as day numbers, ISO 8601 text, weekdays, Easter and date arithmetic. */
#include "internal.h"

#include <stdio.h>
#include <string.h>

/*
 * Day numbers use Howard Hinnant's days_from_civil / civil_from_days
 * ("chrono-Compatible Low-Level Date Algorithms"): exact for the proleptic
 * Gregorian calendar, branch-light, and proven over the whole int32 range.
 * Eras are 400-year cycles of 146097 days starting on 1 March, so the leap
 * day is the last day of the shifted year.
 */
static int32_t days_from_civil(int y, int m, int d) {
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const int yoe = y - era * 400;                                   /* [0, 399] */
    const int doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1; /* [0, 365] */
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;           /* [0, 146096] */
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int32_t z, int *yp, int *mp, int *dp) {
    /* 64 bits: a misused (out-of-range) day number must not overflow. */
    int64_t zz = (int64_t)z + 719468;
    const int64_t era = (zz >= 0 ? zz : zz - 146096) / 146097;
    const int doe = (int)(zz - era * 146097); /* [0, 146096] */
    const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* [0, 399] */
    const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);               /* [0, 365] */
    const int mp0 = (5 * doy + 2) / 153;                                   /* [0, 11] */
    const int d = doy - (153 * mp0 + 2) / 5 + 1;
    const int m = mp0 < 10 ? mp0 + 3 : mp0 - 9;
    int y = (int)(yoe + era * 400);
    y += m <= 2;
    if (yp)
        *yp = y;
    if (mp)
        *mp = m;
    if (dp)
        *dp = d;
}

/* The supported range: 0001-01-01 to 9999-12-31. */
#define DATE_FIRST (-719162)
#define DATE_LAST 2932896

static int is_leap(int y) {
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int zf_days_in_month(int year, int month) {
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12)
        return 0;
    return month == 2 && is_leap(year) ? 29 : days[month - 1];
}

static const char *const month_names[12] = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};

zf_code zf_date_from_ymd(zf_date *out, int year, int month, int day, zf_error *err) {
    zf__error_reset(err);
    if (year < ZF_DATE_MIN_YEAR || year > ZF_DATE_MAX_YEAR)
        return zf__error_set(err, ZF_ERANGE, "year %d is outside 1-9999", year);
    if (month < 1 || month > 12)
        return zf__error_set(err, ZF_ERANGE, "month %d does not exist", month);
    if (day < 1 || day > zf_days_in_month(year, month))
        return zf__error_set(
            err, ZF_ERANGE, "%04d-%02d-%02d does not exist: %s %d has %d days", year,
            month, day, month_names[month - 1], year, zf_days_in_month(year, month));
    if (out)
        *out = days_from_civil(year, month, day);
    return ZF_OK;
}

void zf_date_to_ymd(int *year, int *month, int *day, zf_date date) {
    civil_from_days(date, year, month, day);
}

int zf_date_valid(zf_date date) {
    return date >= DATE_FIRST && date <= DATE_LAST;
}

static int digits(const char *s, int n) {
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

zf_code zf_date_parse(zf_date *out, const char *text, zf_error *err) {
    int y, m, d;
    zf__error_reset(err);
    if (!text)
        return zf__error_set(err, ZF_EINVAL, "no date given");
    /* Exactly ten characters: a lenient parser would accept "2026-2-3" or a
     * trailing time, and a deadline must never rest on a guess. */
    if (strlen(text) != 10 || text[4] != '-' || text[7] != '-' ||
        (y = digits(text, 4)) < 0 || (m = digits(text + 5, 2)) < 0 ||
        (d = digits(text + 8, 2)) < 0)
        return zf__error_set(err, ZF_EPARSE,
                             "'%.40s' is not a date in the form YYYY-MM-DD", text);
    if (y < ZF_DATE_MIN_YEAR)
        return zf__error_set(err, ZF_ERANGE,
                             "'%s' is not a valid date: year 0 does not exist", text);
    if (m < 1 || m > 12)
        return zf__error_set(err, ZF_ERANGE,
                             "'%s' is not a valid date: there is no month %d", text, m);
    if (d < 1 || d > zf_days_in_month(y, m))
        return zf__error_set(err, ZF_ERANGE,
                             "'%s' is not a valid date: %s %d has %d days", text,
                             month_names[m - 1], y, zf_days_in_month(y, m));
    if (out)
        *out = days_from_civil(y, m, d);
    return ZF_OK;
}

char *zf_date_format(char buf[ZF_DATE_BUFSIZE], zf_date date) {
    int y, m, d;
    if (!zf_date_valid(date)) {
        /* Keep the buffer a string even for misuse; "0000-00-00" is not a date. */
        memcpy(buf, "0000-00-00", ZF_DATE_BUFSIZE);
        return buf;
    }
    civil_from_days(date, &y, &m, &d);
    snprintf(buf, ZF_DATE_BUFSIZE, "%04d-%02d-%02d", y, m, d);
    return buf;
}

zf_weekday zf_date_weekday(zf_date date) {
    /* 1970-01-01 was a Thursday (ISO 4). */
    int32_t r = (int32_t)(((int64_t)date + 3) % 7);
    if (r < 0)
        r += 7;
    return (zf_weekday)(r + 1);
}

const char *zf_weekday_name(zf_weekday wd) {
    static const char *const names[7] = {"maandag", "dinsdag",  "woensdag", "donderdag",
                                         "vrijdag", "zaterdag", "zondag"};
    if (wd < ZF_MONDAY || wd > ZF_SUNDAY)
        return "";
    return names[wd - 1];
}

zf_date zf_date_easter(int year) {
    /* Anonymous Gregorian algorithm (Meeus, Astronomical Algorithms, ch. 8;
     * also known as Meeus/Jones/Butcher). Valid for every Gregorian year. */
    if (year < 1583 || year > ZF_DATE_MAX_YEAR)
        return ZF_DATE_NONE;
    int a = year % 19;
    int b = year / 100, c = year % 100;
    int d = b / 4, e = b % 4;
    int f = (b + 8) / 25;
    int g = (b - f + 1) / 3;
    int h = (19 * a + b - d - g + 15) % 30;
    int i = c / 4, k = c % 4;
    int l = (32 + 2 * e + 2 * i - h - k) % 7;
    int m = (a + 11 * h + 22 * l) / 451;
    int month = (h + l - 7 * m + 114) / 31;
    int day = (h + l - 7 * m + 114) % 31 + 1;
    return days_from_civil(year, month, day);
}

static zf_code add_months(zf_date *out, zf_date date, int64_t months, zf_error *err) {
    int y, m, d;
    civil_from_days(date, &y, &m, &d);
    int64_t idx = (int64_t)y * 12 + (m - 1) + months;
    int64_t ny = idx >= 0 ? idx / 12 : -((-idx + 11) / 12);
    int nm = (int)(idx - ny * 12) + 1;
    if (ny < ZF_DATE_MIN_YEAR || ny > ZF_DATE_MAX_YEAR)
        return zf__error_set(err, ZF_ERANGE, "date arithmetic leaves the years 1-9999");
    /* Awb/BW practice: a month from 31 January ends on the last day of February. */
    int dim = zf_days_in_month((int)ny, nm);
    *out = days_from_civil((int)ny, nm, d < dim ? d : dim);
    return ZF_OK;
}

zf_code zf_date_add(zf_date *out, zf_date date, zf_duration dur, zf_error *err) {
    int64_t r;
    zf_date res;
    zf__error_reset(err);
    if (!zf_date_valid(date))
        return zf__error_set(err, ZF_EINVAL, "not a valid date");
    switch (dur.unit) {
    case ZF_UNIT_DAY:
        r = (int64_t)date + dur.n;
        break;
    case ZF_UNIT_WEEK:
        r = (int64_t)date + (int64_t)dur.n * 7;
        break;
    case ZF_UNIT_MONTH:
        if (add_months(&res, date, dur.n, err) != ZF_OK)
            return ZF_ERANGE;
        r = res;
        break;
    case ZF_UNIT_YEAR:
        if (add_months(&res, date, (int64_t)dur.n * 12, err) != ZF_OK)
            return ZF_ERANGE;
        r = res;
        break;
    default:
        return zf__error_set(err, ZF_EINVAL, "unknown unit of time %d", (int)dur.unit);
    }
    if (r < DATE_FIRST || r > DATE_LAST)
        return zf__error_set(err, ZF_ERANGE, "date arithmetic leaves the years 1-9999");
    if (out)
        *out = (zf_date)r;
    return ZF_OK;
}

#define DURATION_MAX 99999

zf_code zf_duration_parse(zf_duration *out, const char *text, zf_error *err) {
    const char *p = text;
    int64_t n = 0;
    zf_unit unit;
    zf__error_reset(err);
    if (!text || !*text)
        return zf__error_set(err, ZF_EPARSE,
                             "empty length: expected e.g. 6w, 14d, 3m or 1y");
    if (*p == '-')
        return zf__error_set(err, ZF_EPARSE, "length '%.40s' is negative", text);
    if (*p < '0' || *p > '9')
        return zf__error_set(err, ZF_EPARSE,
                             "'%.40s' is not a length: expected e.g. 6w, 14d, 3m or 1y",
                             text);
    while (*p >= '0' && *p <= '9') {
        /* Stop counting long before int64 overflow; the range check follows. */
        if (n <= DURATION_MAX)
            n = n * 10 + (*p - '0');
        p++;
    }
    switch (*p) {
    case 'd':
        unit = ZF_UNIT_DAY;
        break;
    case 'w':
        unit = ZF_UNIT_WEEK;
        break;
    case 'm':
        unit = ZF_UNIT_MONTH;
        break;
    case 'y':
        unit = ZF_UNIT_YEAR;
        break;
    case '\0':
        return zf__error_set(err, ZF_EPARSE,
                             "length '%.40s' has no unit: add d, w, m or y", text);
    default:
        return zf__error_set(
            err, ZF_EPARSE, "length '%.40s' has an unknown unit: use d, w, m or y", text);
    }
    if (p[1] != '\0')
        return zf__error_set(err, ZF_EPARSE,
                             "'%.40s' is not a length: expected e.g. 6w, 14d, 3m or 1y",
                             text);
    if (n > DURATION_MAX)
        return zf__error_set(err, ZF_ERANGE, "length '%.40s' is too long (at most %d)",
                             text, DURATION_MAX);
    if (out) {
        out->n = (int32_t)n;
        out->unit = unit;
    }
    return ZF_OK;
}

char *zf_duration_format(char buf[ZF_DURATION_BUFSIZE], zf_duration dur) {
    static const char units[4] = {'d', 'w', 'm', 'y'};
    char u = dur.unit >= ZF_UNIT_DAY && dur.unit <= ZF_UNIT_YEAR ? units[dur.unit] : '?';
    snprintf(buf, ZF_DURATION_BUFSIZE, "%ld%c", (long)dur.n, u);
    return buf;
}
