/* Calendars: the Atw calendar (Atw art 1 and 3), user calendars, and their XML. */
#define _POSIX_C_SOURCE 200809L /* getpid() */
#include "internal.h"
#include "testhelp.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static zf_date D(const char *s) {
    zf_date d = ZF_DATE_NONE;
    ck_assert_msg(zf_date_parse(&d, s, NULL) == ZF_OK, "bad date %s", s);
    return d;
}

/* Check one day of a calendar: working or not, and why. */
static void check_day(const zf_calendar *cal, const char *date, zf_day_kind kind,
                      const char *name, const char *basis) {
    zf_day_info why;
    int w = zf_calendar_is_working_day(cal, D(date), &why);
    ck_assert_msg(w == (kind == ZF_DAY_WORKING), "%s: working=%d", date, w);
    ck_assert_msg(why.kind == kind, "%s: kind %d, want %d", date, why.kind, kind);
    ck_assert_int_eq(why.date, D(date));
    if (name)
        ck_assert_msg(!strcmp(why.name, name), "%s: name '%s', want '%s'", date, why.name,
                      name);
    if (basis)
        ck_assert_msg(!strcmp(why.basis, basis), "%s: basis '%s', want '%s'", date,
                      why.basis, basis);
}

#define ATW zf_calendar_atw()
#define ART31 "Atw art 3 lid 1"

/* Atw art 3 lid 1: the algemeen erkende feestdagen. */
START_TEST(test_calendar_atw_holidays) {
    ck_assert_ptr_nonnull(ATW);
    ck_assert_str_eq(zf_calendar_id(ATW), "atw");
    check_day(ATW, "2026-01-01", ZF_DAY_HOLIDAY, "Nieuwjaarsdag", ART31);
    check_day(ATW, "2025-04-21", ZF_DAY_HOLIDAY, "Tweede Paasdag", ART31);
    check_day(ATW, "2025-05-29", ZF_DAY_HOLIDAY, "Hemelvaartsdag", ART31);
    check_day(ATW, "2024-05-20", ZF_DAY_HOLIDAY, "Tweede Pinksterdag", ART31);
    check_day(ATW, "2024-12-25", ZF_DAY_HOLIDAY, "Eerste Kerstdag", ART31);
    check_day(ATW, "2024-12-26", ZF_DAY_HOLIDAY, "Tweede Kerstdag", ART31);
    /* "De vijfde mei" every year, not only in lustrum years (CSV C08). */
    check_day(ATW, "2026-05-05", ZF_DAY_HOLIDAY, "Bevrijdingsdag", ART31);
    check_day(ATW, "2027-05-05", ZF_DAY_HOLIDAY, "Bevrijdingsdag", ART31);
    check_day(ATW, "2025-05-05", ZF_DAY_HOLIDAY, "Bevrijdingsdag", ART31);
    /* Easter Sunday and Whit Sunday are Sundays, not listed holidays. */
    check_day(ATW, "2026-04-05", ZF_DAY_WEEKEND, "zondag", "Atw art 1");
}
END_TEST

/* The King's or Queen's birthday and its Sunday rules (RULES.md 2.1). */
START_TEST(test_calendar_atw_kings_day) {
    /* Since 2014: 27 April, 26 April when the 27th is a Sunday (KB 30-01-2013). */
    check_day(ATW, "2026-04-27", ZF_DAY_HOLIDAY, "Koningsdag", ART31);
    check_day(ATW, "2014-04-26", ZF_DAY_HOLIDAY, "Koningsdag", ART31);
    check_day(ATW, "2014-04-27", ZF_DAY_WEEKEND, "zondag", NULL);
    check_day(ATW, "2025-04-26", ZF_DAY_HOLIDAY, "Koningsdag", ART31);
    check_day(ATW, "2025-04-27", ZF_DAY_WEEKEND, "zondag", NULL);
    check_day(ATW, "2025-04-28", ZF_DAY_WORKING, "", ""); /* CSV C05 */
    /* 1980-2013: 30 April, 29 April when the 30th is a Sunday. */
    check_day(ATW, "2013-04-30", ZF_DAY_HOLIDAY, "Koninginnedag", ART31);
    check_day(ATW, "2006-04-29", ZF_DAY_HOLIDAY, "Koninginnedag", ART31);
    check_day(ATW, "2006-04-30", ZF_DAY_WEEKEND, "zondag", NULL);
    check_day(ATW, "2013-05-01", ZF_DAY_WORKING, "", ""); /* CSV C04 */
    /* 1949-1979: the Monday 1 May when 30 April was a Sunday. */
    check_day(ATW, "1967-05-01", ZF_DAY_HOLIDAY, "Koninginnedag", ART31);
    check_day(ATW, "1967-04-30", ZF_DAY_WEEKEND, "zondag", NULL);
    check_day(ATW, "1975-04-30", ZF_DAY_HOLIDAY, "Koninginnedag", ART31);
    /* No Koningsdag before 2014, no Koninginnedag after 2013. */
    check_day(ATW, "2013-04-26", ZF_DAY_WORKING, "", "");
    check_day(ATW, "2014-04-30", ZF_DAY_WORKING, "", "");
}
END_TEST

/* Atw art 3 lid 2 and lid 3: Goede Vrijdag, and the days equated by Royal Decree. */
START_TEST(test_calendar_atw_equated_days) {
    check_day(ATW, "2025-04-18", ZF_DAY_EQUATED_LAW, "Goede Vrijdag", "Atw art 3 lid 2");
    check_day(ATW, "2026-04-03", ZF_DAY_EQUATED_LAW, "Goede Vrijdag", "Atw art 3 lid 2");
    check_day(ATW, "1990-04-13", ZF_DAY_EQUATED_LAW, "Goede Vrijdag", NULL);
    check_day(ATW, "2026-05-15", ZF_DAY_EQUATED_KB, "vrijdag na Hemelvaartsdag",
              "Stcrt. 2025, 24713");
    check_day(ATW, "2024-12-27", ZF_DAY_EQUATED_KB, "vrijdag na Tweede Kerstdag",
              "Stcrt. 2022, 7812");

    /* Every row of the verified decree list (copied from the legal sources). */
    FILE *f = fopen(th_srcpath("tests/data/gelijkgestelde-dagen.csv"), "r");
    char line[512];
    int rows = 0;
    ck_assert_ptr_nonnull(f);
    while (fgets(line, sizeof line, f)) {
        char date[11], *basis, *end;
        zf_day_info why;
        if (line[0] == '#' || !strncmp(line, "date,", 5))
            continue;
        memcpy(date, line, 10);
        date[10] = '\0';
        basis = strchr(line, '"');
        ck_assert_ptr_nonnull(basis);
        end = strchr(++basis, '"');
        ck_assert_ptr_nonnull(end);
        *end = '\0';
        ck_assert_int_eq(zf_calendar_is_working_day(ATW, D(date), &why), 0);
        ck_assert_msg(why.kind == ZF_DAY_EQUATED_KB, "%s: kind %d", date, why.kind);
        ck_assert_msg(!strcmp(why.basis, basis), "%s: basis '%s', want '%s'", date,
                      why.basis, basis);
        rows++;
    }
    fclose(f);
    ck_assert_int_eq(rows, 17);

    /* 2020-2022: the decree could not be verified, so no day of it is guessed. */
    for (zf_date d = D("2020-01-01"); d <= D("2022-12-31"); d++) {
        zf_day_info why;
        zf_calendar_is_working_day(ATW, d, &why);
        ck_assert_int_ne(why.kind, ZF_DAY_EQUATED_KB);
    }
    check_day(ATW, "2022-05-27", ZF_DAY_WORKING, "", "");
}
END_TEST

/* Atw art 1: Saturday and Sunday; a holiday on a weekend is named as the holiday. */
START_TEST(test_calendar_atw_weekend) {
    check_day(ATW, "2026-05-16", ZF_DAY_WEEKEND, "zaterdag", "Atw art 1");
    check_day(ATW, "2026-05-17", ZF_DAY_WEEKEND, "zondag", "Atw art 1");
    check_day(ATW, "2026-05-18", ZF_DAY_WORKING, "", "");
    check_day(ATW, "2026-12-26", ZF_DAY_HOLIDAY, "Tweede Kerstdag", ART31);
    check_day(ATW, "2027-12-25", ZF_DAY_HOLIDAY, "Eerste Kerstdag", ART31);
    ck_assert_int_eq(zf_calendar_is_working_day(ATW, ZF_DATE_NONE, NULL), -1);
    ck_assert_int_eq(zf_calendar_is_working_day(NULL, D("2026-05-18"), NULL), -1);
    /* Hemelvaartsdag, the equated Friday and the weekend: 3 working days that week. */
    ck_assert_int_eq(zf_calendar_workdays(ATW, D("2026-05-11"), D("2026-05-17")), 3);
    ck_assert_int_eq(zf_calendar_workdays(ATW, D("2026-05-17"), D("2026-05-11")), 0);
    ck_assert_int_eq(
        zf_calendar_workdays(zf_calendar_none(), D("2026-05-11"), D("2026-05-17")), 7);
}
END_TEST

START_TEST(test_calendar_year_listing) {
    zf_day_info days[32];
    static const char *const want[] = {"2026-01-01", "2026-01-02", "2026-04-03",
                                       "2026-04-06", "2026-04-27", "2026-05-05",
                                       "2026-05-14", "2026-05-15", "2026-05-25",
                                       "2026-12-25", "2026-12-26"};
    char buf[ZF_DATE_BUFSIZE];
    int n = zf_calendar_year(days, 32, ATW, 2026);
    ck_assert_int_eq(n, (int)ZF__ARRAY_SIZE(want));
    for (int i = 0; i < n; i++)
        ck_assert_str_eq(zf_date_format(buf, days[i].date), want[i]);
    ck_assert_int_eq(days[7].kind, ZF_DAY_EQUATED_KB);
    /* A small buffer: the count is still the whole year. */
    ck_assert_int_eq(zf_calendar_year(days, 2, ATW, 2026), n);
    ck_assert_int_eq(zf_calendar_year(NULL, 0, ATW, 2026), n);
    ck_assert_int_eq(zf_calendar_year(days, 32, ATW, 0), -1);
    ck_assert_int_eq(zf_calendar_year(days, 32, ATW, 10000), -1);
    ck_assert_int_eq(zf_calendar_year(days, 32, zf_calendar_none(), 2026), 0);
    /* 2005: Hemelvaartsdag fell on 5 May; one entry for the date. */
    n = zf_calendar_year(days, 32, ATW, 2005);
    for (int i = 1; i < n; i++)
        ck_assert_int_lt(days[i - 1].date, days[i].date);
}
END_TEST

/* Outside the precomputed years the rules are evaluated directly: same answers. */
START_TEST(test_calendar_outside_table) {
    zf_day_info a[32], b[32];
    check_day(ATW, "2250-01-01", ZF_DAY_HOLIDAY, "Nieuwjaarsdag", ART31);
    check_day(ATW, "1850-12-25", ZF_DAY_HOLIDAY, "Eerste Kerstdag", ART31);
    check_day(ATW, "2300-04-27", ZF_DAY_HOLIDAY, "Koningsdag", ART31);
    /* 2199 and 2200 both have the full set of yearly days. */
    int n1 = zf_calendar_year(a, 32, ATW, 2199), n2 = zf_calendar_year(b, 32, ATW, 2200);
    ck_assert_int_eq(n1, 9);
    ck_assert_int_eq(n2, 9);
    ck_assert_str_eq(a[0].name, "Nieuwjaarsdag");
    ck_assert_str_eq(b[0].name, "Nieuwjaarsdag");
    ck_assert_str_eq(a[8].name, "Tweede Kerstdag");
    ck_assert_str_eq(b[8].name, "Tweede Kerstdag");
    /* Day by day agrees with the year list for a year in the table and one outside. */
    for (int y = 2025; y <= 2250; y += 225) {
        zf_date first, last;
        int k = 0, n = zf_calendar_year(a, 32, ATW, y);
        zf_date_from_ymd(&first, y, 1, 1, NULL);
        zf_date_from_ymd(&last, y, 12, 31, NULL);
        for (zf_date d = first; d <= last; d++) {
            zf_day_info why;
            if (zf_calendar_is_working_day(ATW, d, &why) == 0 &&
                why.kind != ZF_DAY_WEEKEND) {
                ck_assert_int_lt(k, n);
                ck_assert_int_eq(a[k].date, d);
                ck_assert_str_eq(a[k].name, why.name);
                k++;
            }
        }
        ck_assert_int_eq(k, n);
    }
}
END_TEST

START_TEST(test_calendar_none) {
    const zf_calendar *none = zf_calendar_none();
    ck_assert_str_eq(zf_calendar_id(none), "none");
    for (zf_date d = D("2025-01-01"); d <= D("2026-12-31"); d++)
        ck_assert_int_eq(zf_calendar_is_working_day(none, d, NULL), 1);
    zf_calendar_free((zf_calendar *)none); /* ignored */
    zf_calendar_free((zf_calendar *)ATW);  /* ignored */
    zf_calendar_free(NULL);
    check_day(ATW, "2026-01-01", ZF_DAY_HOLIDAY, "Nieuwjaarsdag", ART31);
}
END_TEST

static const char user_xml[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<calendar xmlns=\"urn:zaakflow:calendar:1\" id=\"gemeente-x\" title=\"Gemeente X\"\n"
    "          extends=\"atw\">\n"
    "  <!-- closing days decided by the college -->\n"
    "  <day date=\"2026-12-31\" name=\"oudejaarsdag\" basis=\"collegebesluit "
    "2025-11\"/>\n"
    "  <day date=\"2026-05-15\" name=\"brugdag\"/>\n"
    "  <holiday name=\"Kerstavond\" month=\"12\" day=\"24\" kind=\"local\" "
    "from=\"2027\"/>\n"
    "  <holiday name=\"Witte Donderdag\" easter=\"-3\" kind=\"local\" basis=\"cao\"/>\n"
    "</calendar>\n";

START_TEST(test_calendar_user_extends_atw) {
    zf_calendar *cal = NULL;
    zf_error err;
    zf_error_clear(&err);
    ck_assert_int_eq(zf_calendar_parse(&cal, user_xml, strlen(user_xml), NULL, &err),
                     ZF_OK);
    ck_assert_str_eq(zf_calendar_id(cal), "gemeente-x");
    check_day(cal, "2026-12-31", ZF_DAY_LOCAL, "oudejaarsdag", "collegebesluit 2025-11");
    check_day(cal, "2027-12-24", ZF_DAY_LOCAL, "Kerstavond", "");
    check_day(cal, "2026-12-24", ZF_DAY_WORKING, "", "");
    check_day(cal, "2026-04-02", ZF_DAY_LOCAL, "Witte Donderdag", "cao");
    /* Inherited from the Atw, which wins over a local day on the same date. */
    check_day(cal, "2026-05-15", ZF_DAY_EQUATED_KB, "vrijdag na Hemelvaartsdag", NULL);
    check_day(cal, "2026-04-27", ZF_DAY_HOLIDAY, "Koningsdag", ART31);
    check_day(cal, "2026-05-16", ZF_DAY_WEEKEND, "zaterdag", "Atw art 1");
    /* The Atw calendar itself is unchanged. */
    check_day(ATW, "2026-12-31", ZF_DAY_WORKING, "", "");
    zf_day_info days[32];
    ck_assert_int_eq(zf_calendar_year(days, 32, cal, 2026), 13);
    zf_calendar_free(cal);
}
END_TEST

START_TEST(test_calendar_user_extends_none) {
    static const char xml[] =
        "<calendar xmlns='urn:zaakflow:calendar:1' id='kantoor' extends='none'>"
        "<weekend days='friday saturday' basis='huisregel'/>"
        "<day date='2026-03-02' name='verhuizing' kind='local'/>"
        "</calendar>";
    zf_calendar *cal = NULL;
    ck_assert_int_eq(zf_calendar_parse(&cal, xml, strlen(xml), "kantoor.xml", NULL),
                     ZF_OK);
    check_day(cal, "2026-05-15", ZF_DAY_WEEKEND, "vrijdag", "huisregel");
    check_day(cal, "2026-05-17", ZF_DAY_WORKING, "", "");
    check_day(cal, "2026-01-01", ZF_DAY_WORKING, "", "");
    check_day(cal, "2026-03-02", ZF_DAY_LOCAL, "verhuizing", "");
    zf_calendar_free(cal);
}
END_TEST

/*
 * Every day of 1899-2201 (the table years, their edges and beyond) agrees with
 * the year listing: a day is not a working day exactly when it is listed or
 * falls on a weekend day, and it is then named as listed. The listing merges
 * the sorted tables (or evaluates the rules), so this checks the bit set that
 * answers zf_calendar_is_working_day(cal, d, NULL) against them. The counts of
 * zf_calendar_workdays() agree with counting day by day, over runs that cross
 * the edges of the bit set.
 */
static void check_against_listing(const zf_calendar *cal, unsigned int weekend) {
    /* Plain comparisons in the loops: a ck_assert per day would dominate the time. */
    zf_day_info list[64];
    for (int y = 1899; y <= 2201; y++) {
        zf_date first, last;
        int k = 0, n = zf_calendar_year(list, 64, cal, y);
        ck_assert_int_le(n, 64);
        zf_date_from_ymd(&first, y, 1, 1, NULL);
        zf_date_from_ymd(&last, y, 12, 31, NULL);
        for (zf_date d = first; d <= last; d++) {
            zf_day_info why;
            int listed = k < n && list[k].date == d;
            int weekend_day = (weekend >> zf_date_weekday(d)) & 1;
            int w = zf_calendar_is_working_day(cal, d, NULL);
            int ww = zf_calendar_is_working_day(cal, d, &why);
            zf_day_kind kind = listed        ? list[k].kind
                               : weekend_day ? ZF_DAY_WEEKEND
                                             : ZF_DAY_WORKING;
            if (w != !(listed || weekend_day) || ww != w || why.kind != kind ||
                why.date != d ||
                (listed &&
                 (strcmp(why.name, list[k].name) || strcmp(why.basis, list[k].basis)))) {
                char buf[ZF_DATE_BUFSIZE];
                ck_abort_msg("%s %s: working %d/%d, kind %d '%s', want %d",
                             zf_calendar_id(cal), zf_date_format(buf, d), w, ww,
                             (int)why.kind, why.name, (int)kind);
            }
            k += listed;
        }
        ck_assert_int_eq(k, n);
    }
}

static void check_workdays(const zf_calendar *cal, zf_date from, zf_date to) {
    int32_t n = 0;
    for (zf_date d = from; d <= to; d++)
        n += zf_calendar_is_working_day(cal, d, NULL) == 1;
    ck_assert_msg(zf_calendar_workdays(cal, from, to) == n, "%s %d..%d: %d, want %d",
                  zf_calendar_id(cal), (int)from, (int)to,
                  (int)zf_calendar_workdays(cal, from, to), (int)n);
}

static void check_workday_runs(const zf_calendar *cal) {
    static const char *const edges[] = {"1900-12-25", "1901-01-01", "1901-01-07",
                                        "2026-05-04", "2198-12-25", "2198-12-31",
                                        "2199-01-01", "2199-01-09"};
    static const int spans[] = {0, 1, 5, 63, 64, 65, 400, 3000};
    for (size_t i = 0; i < ZF__ARRAY_SIZE(edges); i++)
        for (size_t j = 0; j < ZF__ARRAY_SIZE(spans); j++) {
            check_workdays(cal, D(edges[i]) - spans[j], D(edges[i]));
            check_workdays(cal, D(edges[i]), D(edges[i]) + spans[j]);
        }
    check_workdays(cal, D("1899-01-01"), D("2201-12-31"));
    ck_assert_int_eq(zf_calendar_workdays(cal, D("2026-05-04"), D("2026-05-03")), 0);
    ck_assert_int_eq(zf_calendar_workdays(cal, INT32_MAX - 3, INT32_MAX), 0);
    ck_assert_int_eq(zf_calendar_workdays(cal, INT32_MIN, INT32_MIN + 3), 0);
}

START_TEST(test_calendar_bits_agree) {
    /* Rules whose weekday shifts cross a turn of the year, single days on the
     * first and last day of the bit set and just outside it, a Friday weekend. */
    static const char xml[] =
        "<calendar xmlns='urn:zaakflow:calendar:1' id='randen' extends='none'>"
        "<weekend days='friday sunday'/>"
        "<holiday name='oudjaar' month='12' day='31' if-saturday='2' if-sunday='1'/>"
        "<holiday name='nieuwjaar' month='1' day='1' if-saturday='-1' if-sunday='-2'/>"
        "<holiday name='schrikkel' month='2' day='29' kind='local'/>"
        "<holiday name='pasen+' easter='1' until='2000'/>"
        "<day date='1900-12-31' name='a'/><day date='1901-01-01' name='b'/>"
        "<day date='2198-12-31' name='c'/><day date='2199-01-01' name='d'/>"
        "</calendar>";
    const unsigned int sat_sun = 1u << ZF_SATURDAY | 1u << ZF_SUNDAY;
    zf_calendar *user = NULL, *edges = NULL;
    ck_assert_int_eq(zf_calendar_parse(&user, user_xml, strlen(user_xml), NULL, NULL),
                     ZF_OK);
    ck_assert_int_eq(zf_calendar_parse(&edges, xml, strlen(xml), NULL, NULL), ZF_OK);
    check_against_listing(ATW, sat_sun);
    check_against_listing(user, sat_sun);
    check_against_listing(edges, 1u << ZF_FRIDAY | 1u << ZF_SUNDAY);
    check_against_listing(zf_calendar_none(), 0);
    check_workday_runs(ATW);
    check_workday_runs(user);
    check_workday_runs(edges);
    check_workday_runs(zf_calendar_none());
    ck_assert_int_eq(zf_calendar_workdays(NULL, D("2026-01-01"), D("2026-12-31")), 0);
    zf_calendar_free(user);
    zf_calendar_free(edges);
}
END_TEST

/* Parse `xml` and expect failure with `code` at `line` (0 = do not check). */
static void expect_fail(const char *xml, zf_code code, int line, const char *msg_part) {
    zf_calendar *cal = (zf_calendar *)(uintptr_t)1;
    zf_error err;
    zf_error_clear(&err);
    ck_assert_int_eq(zf_calendar_parse(&cal, xml, strlen(xml), "bad.xml", &err), code);
    ck_assert_int_eq(err.code, code);
    ck_assert_msg(cal == (zf_calendar *)(uintptr_t)1, "out changed on failure");
    if (line)
        ck_assert_msg(err.line == line, "line %d, want %d (%s)", err.line, line,
                      err.message);
    ck_assert_str_eq(err.file, "bad.xml");
    if (msg_part)
        ck_assert_msg(strstr(err.message, msg_part) != NULL, "message: %s", err.message);
}

START_TEST(test_calendar_doctype_refused) {
    expect_fail("<?xml version='1.0'?>\n<!DOCTYPE calendar [\n<!ENTITY x 'boom'>\n]>\n"
                "<calendar xmlns='urn:zaakflow:calendar:1' id='x' extends='none'>"
                "<day date='2026-01-05' name='&x;'/></calendar>",
                ZF_EPARSE, 2, "document type declaration");
    expect_fail("<?xml version='1.0'?>\n<!DOCTYPE calendar SYSTEM 'file:///etc/passwd'>\n"
                "<calendar xmlns='urn:zaakflow:calendar:1' id='x' extends='none'/>",
                ZF_EPARSE, 0, "document type declaration");
}
END_TEST

START_TEST(test_calendar_malformed) {
    expect_fail("<calendar xmlns='urn:zaakflow:calendar:1' id='x' extends='none'>\n"
                "  <day date='2026-01-05' name='a'>\n"
                "</calendar>\n",
                ZF_EPARSE, 3, "Opening and ending tag mismatch");
    expect_fail("", ZF_EPARSE, 0, NULL);
    expect_fail("not xml at all", ZF_EPARSE, 1, NULL);
}
END_TEST

START_TEST(test_calendar_schema_errors) {
#define HEAD "<calendar xmlns='urn:zaakflow:calendar:1' id='x' extends='atw'>\n"
    expect_fail("<calendar id='x' extends='atw'/>", ZF_ESCHEMA, 1, "root element");
    expect_fail("<calendar xmlns='urn:zaakflow:calendar:1' id='x'/>", ZF_ESCHEMA, 1,
                "'extends'");
    expect_fail("<calendar xmlns='urn:zaakflow:calendar:1' extends='atw'/>", ZF_ESCHEMA,
                1, "'id'");
    expect_fail("<calendar xmlns='urn:zaakflow:calendar:1' id='x' extends='nl'/>",
                ZF_ESCHEMA, 1, "extends");
    expect_fail(HEAD "\n<feestdag name='x'/></calendar>", ZF_ESCHEMA, 3, "<feestdag>");
    expect_fail(HEAD "<day date='2026-02-30' name='x'/></calendar>", ZF_ESCHEMA, 2,
                "February 2026 has 28 days");
    expect_fail(HEAD "<day date='2026-03-02'/></calendar>", ZF_ESCHEMA, 2, "'name'");
    expect_fail(HEAD "<day date='2026-03-02' name='x' kind='feest'/></calendar>",
                ZF_ESCHEMA, 2, "kind");
    expect_fail(HEAD "<day date='2026-03-02' name='x' colour='red'/></calendar>",
                ZF_ESCHEMA, 2, "colour");
    expect_fail(HEAD "<holiday name='x' month='1' day='1' easter='2'/></calendar>",
                ZF_ESCHEMA, 2, "either");
    expect_fail(HEAD "<holiday name='x' month='2' day='30'/></calendar>", ZF_ESCHEMA, 2,
                "day");
    expect_fail(HEAD "<holiday name='x' month='1'/></calendar>", ZF_ESCHEMA, 2, "both");
    expect_fail(HEAD "<holiday name='x' easter='1x'/></calendar>", ZF_ESCHEMA, 2,
                "easter");
    expect_fail(HEAD "<holiday name='x' easter='1' from='2020' until='2010'/></calendar>",
                ZF_ESEMANTIC, 2, "before");
    expect_fail(HEAD "<weekend days='sunday funday'/></calendar>", ZF_ESCHEMA, 2,
                "funday");
    expect_fail(HEAD "<weekend days='sunday'/><weekend days='sunday'/></calendar>",
                ZF_ESCHEMA, 2, "more than one");
    expect_fail(HEAD "text</calendar>", ZF_ESCHEMA, 0, "text");
    expect_fail(HEAD
                "<day date='2026-03-02' name='a'/>\n<day date='2026-03-02' name='b'/>"
                "</calendar>",
                ZF_ESEMANTIC, 3, "twice");
#undef HEAD
}
END_TEST

START_TEST(test_calendar_load_file) {
    char path[256];
    zf_calendar *cal = NULL;
    zf_error err;
    FILE *f;
    snprintf(path, sizeof path, "/tmp/zf-test-calendar-%ld.xml", (long)getpid());
    f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(user_xml, f);
    fclose(f);
    ck_assert_int_eq(zf_calendar_load(&cal, path, NULL), ZF_OK);
    check_day(cal, "2026-12-31", ZF_DAY_LOCAL, "oudejaarsdag", NULL);
    zf_calendar_free(cal);
    remove(path);
    zf_error_clear(&err);
    ck_assert_int_eq(zf_calendar_load(&cal, path, &err), ZF_EIO);
    ck_assert_str_eq(err.file, path);
}
END_TEST

/* Failure injection: every allocation of a parse may fail; nothing may leak. */
START_TEST(test_calendar_parse_enomem) {
    long n;
    ck_assert_ptr_nonnull(ATW); /* the built-in calendar lives for the whole process */
    for (n = 0;; n++) {
        zf_calendar *cal = NULL;
        zf_error err;
        zf_code rc;
        zf_error_clear(&err);
        th_alloc_fail_at(n);
        rc = zf_calendar_parse(&cal, user_xml, strlen(user_xml), NULL, &err);
        if (!th_alloc_failed()) {
            ck_assert_int_eq(rc, ZF_OK);
            zf_calendar_free(cal);
            ck_assert_int_eq(th_alloc_live(), 0);
            break;
        }
        ck_assert_msg(rc == ZF_ENOMEM, "n=%ld: %s", n, err.message);
        ck_assert_int_eq(err.code, ZF_ENOMEM);
        ck_assert_ptr_null(cal);
        ck_assert_msg(th_alloc_live() == 0, "n=%ld: %ld blocks leaked", n,
                      th_alloc_live());
    }
    th_alloc_reset();
    ck_assert_int_gt(n, 3);
}
END_TEST

/* The first use of the Atw calendar from many threads at once yields one calendar. */
static void *get_atw(void *arg) {
    (void)arg;
    return (void *)zf_calendar_atw();
}

START_TEST(test_calendar_atw_threads) {
    pthread_t t[8];
    void *r[8];
    for (int i = 0; i < 8; i++)
        ck_assert_int_eq(pthread_create(&t[i], NULL, get_atw, NULL), 0);
    for (int i = 0; i < 8; i++)
        ck_assert_int_eq(pthread_join(t[i], &r[i]), 0);
    for (int i = 0; i < 8; i++) {
        ck_assert_ptr_nonnull(r[i]);
        ck_assert_ptr_eq(r[i], r[0]);
    }
    ck_assert_ptr_eq(r[0], ATW);
}
END_TEST

int main(void) {
    Suite *s = suite_create("calendar");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_calendar_atw_threads);
    tcase_add_test(tc, test_calendar_atw_holidays);
    tcase_add_test(tc, test_calendar_atw_kings_day);
    tcase_add_test(tc, test_calendar_atw_equated_days);
    tcase_add_test(tc, test_calendar_atw_weekend);
    tcase_add_test(tc, test_calendar_year_listing);
    tcase_add_test(tc, test_calendar_outside_table);
    tcase_add_test(tc, test_calendar_none);
    tcase_add_test(tc, test_calendar_user_extends_atw);
    tcase_add_test(tc, test_calendar_user_extends_none);
    tcase_add_test(tc, test_calendar_bits_agree);
    tcase_add_test(tc, test_calendar_doctype_refused);
    tcase_add_test(tc, test_calendar_malformed);
    tcase_add_test(tc, test_calendar_schema_errors);
    tcase_add_test(tc, test_calendar_load_file);
    tcase_add_test(tc, test_calendar_parse_enomem);
    suite_add_tcase(s, tc);
    return th_run(s);
}
