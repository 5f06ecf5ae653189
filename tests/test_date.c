/* Dates: day numbers, ISO text, weekdays, Easter, arithmetic and durations. */
#include "internal.h"
#include "testhelp.h"

#include <string.h>

static zf_date ymd(int y, int m, int d) {
    zf_date out = ZF_DATE_NONE;
    ck_assert_int_eq(zf_date_from_ymd(&out, y, m, d, NULL), ZF_OK);
    return out;
}

static const char *fmt(zf_date d) {
    static char buf[ZF_DATE_BUFSIZE];
    return zf_date_format(buf, d);
}

START_TEST(test_date_epoch_and_known_days) {
    ck_assert_int_eq(ymd(1970, 1, 1), 0);
    ck_assert_int_eq(ymd(2000, 3, 1), 11017);
    ck_assert_int_eq(ymd(1969, 12, 31), -1);
    ck_assert_int_eq(ymd(1, 1, 1), -719162);
    ck_assert_int_eq(ymd(9999, 12, 31), 2932896);
    ck_assert(zf_date_valid(ymd(1, 1, 1)));
    ck_assert(!zf_date_valid(ymd(1, 1, 1) - 1));
    ck_assert(!zf_date_valid(ymd(9999, 12, 31) + 1));
    ck_assert(!zf_date_valid(ZF_DATE_NONE));
}
END_TEST

/* Every day of years 1-9999 against a plain day-by-day counter. */
START_TEST(test_date_roundtrip_every_day) {
    int y = 1, m = 1, d = 1;
    /* Bounds outside the loop: a passing Check assertion is not free. */
    const zf_date first = ymd(1, 1, 1), last = ymd(9999, 12, 31);
    for (zf_date z = first; z <= last; z++) {
        int yy, mm, dd;
        zf_date_to_ymd(&yy, &mm, &dd, z);
        if (yy != y || mm != m || dd != d)
            ck_abort_msg("day %ld: got %d-%d-%d, want %d-%d-%d", (long)z, yy, mm, dd, y,
                         m, d);
        if (++d > zf_days_in_month(y, m)) {
            d = 1;
            if (++m > 12) {
                m = 1;
                y++;
            }
        }
    }
    ck_assert_int_eq(y, 10000);
}
END_TEST

START_TEST(test_date_days_in_month) {
    ck_assert_int_eq(zf_days_in_month(2026, 2), 28);
    ck_assert_int_eq(zf_days_in_month(2024, 2), 29);
    ck_assert_int_eq(zf_days_in_month(1900, 2), 28);
    ck_assert_int_eq(zf_days_in_month(2000, 2), 29);
    ck_assert_int_eq(zf_days_in_month(2026, 4), 30);
    ck_assert_int_eq(zf_days_in_month(2026, 12), 31);
    ck_assert_int_eq(zf_days_in_month(2026, 0), 0);
    ck_assert_int_eq(zf_days_in_month(2026, 13), 0);
}
END_TEST

START_TEST(test_date_parse_strict) {
    zf_date d = 42;
    zf_error err;
    ck_assert_int_eq(zf_date_parse(&d, "2026-05-15", NULL), ZF_OK);
    ck_assert_str_eq(fmt(d), "2026-05-15");
    ck_assert_int_eq(zf_date_parse(&d, "2024-02-29", NULL), ZF_OK);

    d = 42;
    zf_error_clear(&err);
    ck_assert_int_eq(zf_date_parse(&d, "2026-02-30", &err), ZF_ERANGE);
    ck_assert_str_eq(err.message,
                     "'2026-02-30' is not a valid date: February 2026 has 28 days");
    ck_assert_int_eq(d, 42); /* unchanged on failure */

    zf_error_clear(&err);
    ck_assert_int_eq(zf_date_parse(&d, "2026-2-3", &err), ZF_EPARSE);
    ck_assert_str_eq(err.message, "'2026-2-3' is not a date in the form YYYY-MM-DD");

    static const char *const bad_form[] = {
        "",           "2026-05-15 ", " 2026-05-15",      "2026/05/15", "26-05-15",
        "2026-05-1a", "+026-05-15",  "2026-05-15T00:00", "20260515"};
    for (size_t i = 0; i < ZF__ARRAY_SIZE(bad_form); i++)
        ck_assert_msg(zf_date_parse(&d, bad_form[i], NULL) == ZF_EPARSE, "%s",
                      bad_form[i]);
    static const char *const bad_day[] = {"2026-00-10", "2026-13-01", "2026-04-31",
                                          "2025-02-29", "1900-02-29", "0000-01-01",
                                          "2026-01-00"};
    for (size_t i = 0; i < ZF__ARRAY_SIZE(bad_day); i++)
        ck_assert_msg(zf_date_parse(&d, bad_day[i], NULL) == ZF_ERANGE, "%s", bad_day[i]);
    ck_assert_int_eq(d, 42);
    ck_assert_int_eq(zf_date_parse(&d, NULL, NULL), ZF_EINVAL);
}
END_TEST

START_TEST(test_date_from_ymd_errors) {
    zf_error err;
    zf_date d = 7;
    zf_error_clear(&err);
    ck_assert_int_eq(zf_date_from_ymd(&d, 2026, 2, 30, &err), ZF_ERANGE);
    ck_assert_str_eq(err.message, "2026-02-30 does not exist: February 2026 has 28 days");
    ck_assert_int_eq(zf_date_from_ymd(&d, 0, 1, 1, NULL), ZF_ERANGE);
    ck_assert_int_eq(zf_date_from_ymd(&d, 10000, 1, 1, NULL), ZF_ERANGE);
    ck_assert_int_eq(zf_date_from_ymd(&d, 2026, 13, 1, NULL), ZF_ERANGE);
    ck_assert_int_eq(d, 7);
}
END_TEST

START_TEST(test_date_weekday_and_names) {
    ck_assert_int_eq(zf_date_weekday(ymd(1970, 1, 1)), ZF_THURSDAY);
    ck_assert_int_eq(zf_date_weekday(ymd(2026, 5, 15)), ZF_FRIDAY);
    ck_assert_int_eq(zf_date_weekday(ymd(2026, 5, 18)), ZF_MONDAY);
    ck_assert_int_eq(zf_date_weekday(ymd(2025, 4, 27)), ZF_SUNDAY);
    ck_assert_int_eq(zf_date_weekday(ymd(1, 1, 1)), ZF_MONDAY);
    ck_assert_int_eq(zf_date_weekday(ymd(1969, 12, 28)), ZF_SUNDAY);
    ck_assert_str_eq(zf_weekday_name(ZF_MONDAY), "maandag");
    ck_assert_str_eq(zf_weekday_name(ZF_FRIDAY), "vrijdag");
    ck_assert_str_eq(zf_weekday_name(ZF_SUNDAY), "zondag");
    ck_assert_str_eq(zf_weekday_name((zf_weekday)0), "");
    /* Every day moves the weekday on by one. */
    const zf_date first = ymd(1899, 1, 1), last = ymd(2201, 1, 1);
    for (zf_date d = first; d < last; d++)
        if (zf_date_weekday(d + 1) != zf_date_weekday(d) % 7 + 1)
            ck_abort_msg("weekday jumps after day %ld", (long)d);
}
END_TEST

/* Gauss's Easter formula with its two corrections: independent of Meeus's. */
static zf_date easter_gauss(int y) {
    int a = y % 19, b = y % 4, c = y % 7, k = y / 100;
    int p = (13 + 8 * k) / 25, q = k / 4;
    int m = (15 - p + k - q) % 30, n = (4 + k - q) % 7;
    int d = (19 * a + m) % 30, e = (2 * b + 4 * c + 6 * d + n) % 7;
    if (d == 29 && e == 6)
        return ymd(y, 4, 19);
    if (d == 28 && e == 6 && (11 * m + 11) % 30 < 19)
        return ymd(y, 4, 18);
    if (22 + d + e <= 31)
        return ymd(y, 3, 22 + d + e);
    return ymd(y, 4, d + e - 9);
}

START_TEST(test_date_easter) {
    static const struct {
        int y, m, d;
    } known[] = {{1961, 4, 2},  {1981, 4, 19}, {2000, 4, 23}, {2008, 3, 23},
                 {2011, 4, 24}, {2019, 4, 21}, {2024, 3, 31}, {2025, 4, 20},
                 {2026, 4, 5},  {2038, 4, 25}, {2285, 3, 22}, {1954, 4, 18},
                 {1818, 3, 22}};
    for (size_t i = 0; i < ZF__ARRAY_SIZE(known); i++)
        ck_assert_str_eq(fmt(zf_date_easter(known[i].y)),
                         fmt(ymd(known[i].y, known[i].m, known[i].d)));
    for (int y = 1900; y <= 2199; y++) {
        zf_date e = zf_date_easter(y);
        ck_assert_msg(e == easter_gauss(y), "Easter %d: %s", y, fmt(e));
        ck_assert_int_eq(zf_date_weekday(e), ZF_SUNDAY);
    }
    /* The Gregorian computus holds from 1583. */
    ck_assert_int_eq(zf_date_easter(1582), ZF_DATE_NONE);
    ck_assert_int_eq(zf_date_easter(10000), ZF_DATE_NONE);
    ck_assert_int_ne(zf_date_easter(1583), ZF_DATE_NONE);
}
END_TEST

static zf_date add(zf_date d, int32_t n, zf_unit u) {
    zf_date out = ZF_DATE_NONE;
    ck_assert_int_eq(zf_date_add(&out, d, (zf_duration){n, u}, NULL), ZF_OK);
    return out;
}

START_TEST(test_date_add) {
    ck_assert_str_eq(fmt(add(ymd(2026, 4, 3), 6, ZF_UNIT_WEEK)), "2026-05-15");
    ck_assert_str_eq(fmt(add(ymd(2026, 4, 3), 42, ZF_UNIT_DAY)), "2026-05-15");
    ck_assert_str_eq(fmt(add(ymd(2026, 1, 31), 1, ZF_UNIT_MONTH)), "2026-02-28");
    ck_assert_str_eq(fmt(add(ymd(2024, 1, 31), 1, ZF_UNIT_MONTH)), "2024-02-29");
    ck_assert_str_eq(fmt(add(ymd(2026, 3, 31), 1, ZF_UNIT_MONTH)), "2026-04-30");
    ck_assert_str_eq(fmt(add(ymd(2026, 10, 31), 3, ZF_UNIT_MONTH)), "2027-01-31");
    ck_assert_str_eq(fmt(add(ymd(2024, 2, 29), 1, ZF_UNIT_YEAR)), "2025-02-28");
    ck_assert_str_eq(fmt(add(ymd(2024, 2, 29), 4, ZF_UNIT_YEAR)), "2028-02-29");
    ck_assert_str_eq(fmt(add(ymd(2025, 2, 28), 1, ZF_UNIT_YEAR)), "2026-02-28");
    ck_assert_str_eq(fmt(add(ymd(2026, 3, 31), -1, ZF_UNIT_MONTH)), "2026-02-28");
    ck_assert_str_eq(fmt(add(ymd(2026, 1, 15), -13, ZF_UNIT_MONTH)), "2024-12-15");
    ck_assert_str_eq(fmt(add(ymd(2026, 1, 1), -1, ZF_UNIT_DAY)), "2025-12-31");
    ck_assert_str_eq(fmt(add(ymd(2026, 5, 15), 0, ZF_UNIT_MONTH)), "2026-05-15");

    zf_date out = 5;
    zf_error err;
    zf_error_clear(&err);
    ck_assert_int_eq(
        zf_date_add(&out, ymd(9999, 12, 1), (zf_duration){6, ZF_UNIT_WEEK}, &err),
        ZF_ERANGE);
    ck_assert_int_eq(
        zf_date_add(&out, ymd(9999, 12, 1), (zf_duration){1, ZF_UNIT_MONTH}, NULL),
        ZF_ERANGE);
    ck_assert_int_eq(
        zf_date_add(&out, ymd(1, 1, 1), (zf_duration){-1, ZF_UNIT_YEAR}, NULL),
        ZF_ERANGE);
    ck_assert_int_eq(
        zf_date_add(&out, ymd(2026, 1, 1), (zf_duration){INT32_MAX, ZF_UNIT_WEEK}, NULL),
        ZF_ERANGE);
    ck_assert_int_eq(
        zf_date_add(&out, ymd(2026, 1, 1), (zf_duration){INT32_MAX, ZF_UNIT_YEAR}, NULL),
        ZF_ERANGE);
    ck_assert_int_eq(zf_date_add(&out, ZF_DATE_NONE, (zf_duration){1, ZF_UNIT_DAY}, NULL),
                     ZF_EINVAL);
    ck_assert_int_eq(out, 5);
}
END_TEST

START_TEST(test_date_format) {
    char buf[ZF_DATE_BUFSIZE];
    ck_assert_str_eq(zf_date_format(buf, ymd(1, 1, 1)), "0001-01-01");
    ck_assert_str_eq(zf_date_format(buf, ymd(9999, 12, 31)), "9999-12-31");
    ck_assert_str_eq(zf_date_format(buf, ZF_DATE_NONE), "0000-00-00");
}
END_TEST

START_TEST(test_duration_parse_and_format) {
    static const struct {
        const char *text;
        int32_t n;
        zf_unit unit;
    } good[] = {{"6w", 6, ZF_UNIT_WEEK},       {"14d", 14, ZF_UNIT_DAY},
                {"3m", 3, ZF_UNIT_MONTH},      {"1y", 1, ZF_UNIT_YEAR},
                {"0d", 0, ZF_UNIT_DAY},        {"042d", 42, ZF_UNIT_DAY},
                {"99999d", 99999, ZF_UNIT_DAY}};
    char buf[ZF_DURATION_BUFSIZE];
    for (size_t i = 0; i < ZF__ARRAY_SIZE(good); i++) {
        zf_duration d = {-1, ZF_UNIT_DAY};
        ck_assert_int_eq(zf_duration_parse(&d, good[i].text, NULL), ZF_OK);
        ck_assert_int_eq(d.n, good[i].n);
        ck_assert_int_eq(d.unit, good[i].unit);
    }
    ck_assert_str_eq(zf_duration_format(buf, (zf_duration){6, ZF_UNIT_WEEK}), "6w");
    ck_assert_str_eq(zf_duration_format(buf, (zf_duration){1, ZF_UNIT_YEAR}), "1y");
    ck_assert_str_eq(zf_duration_format(buf, (zf_duration){14, ZF_UNIT_DAY}), "14d");
    ck_assert_str_eq(zf_duration_format(buf, (zf_duration){3, ZF_UNIT_MONTH}), "3m");

    static const char *const syntax[] = {"",    "-6w", "6x", "6",   "w",    "6ww",
                                         " 6w", "6w ", "6W", "+6w", "6.5w", NULL};
    zf_duration d = {7, ZF_UNIT_MONTH};
    for (size_t i = 0; i < ZF__ARRAY_SIZE(syntax); i++)
        ck_assert_msg(zf_duration_parse(&d, syntax[i], NULL) == ZF_EPARSE, "%s",
                      syntax[i] ? syntax[i] : "NULL");
    ck_assert_int_eq(zf_duration_parse(&d, "100000d", NULL), ZF_ERANGE);
    ck_assert_int_eq(zf_duration_parse(&d, "99999999999999999999999w", NULL), ZF_ERANGE);
    ck_assert_int_eq(d.n, 7); /* unchanged */

    zf_error err;
    zf_error_clear(&err);
    zf_duration_parse(&d, "6x", &err);
    ck_assert_str_eq(err.message, "length '6x' has an unknown unit: use d, w, m or y");
    zf_error_clear(&err);
    zf_duration_parse(&d, "-6w", &err);
    ck_assert_str_eq(err.message, "length '-6w' is negative");
}
END_TEST

int main(void) {
    Suite *s = suite_create("date");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_date_epoch_and_known_days);
    tcase_add_test(tc, test_date_roundtrip_every_day);
    tcase_add_test(tc, test_date_days_in_month);
    tcase_add_test(tc, test_date_parse_strict);
    tcase_add_test(tc, test_date_from_ymd_errors);
    tcase_add_test(tc, test_date_weekday_and_names);
    tcase_add_test(tc, test_date_easter);
    tcase_add_test(tc, test_date_add);
    tcase_add_test(tc, test_date_format);
    tcase_add_test(tc, test_duration_parse_and_format);
    suite_add_tcase(s, tc);
    return th_run(s);
}
