/* Terms: Awb 6:8, suspension, extension and Atw art 1, 2 and 4, with their trace. */
#include "internal.h"
#include "term.h"
#include "testhelp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static zf_date D(const char *s) {
    zf_date d = ZF_DATE_NONE;
    ck_assert_msg(zf_date_parse(&d, s, NULL) == ZF_OK, "bad date %s", s);
    return d;
}

static const char *fmt(zf_date d) {
    static char buf[4][ZF_DATE_BUFSIZE];
    static int i;
    i = (i + 1) % 4;
    return zf_date_format(buf[i], d);
}

static zf_duration L(const char *s) {
    zf_duration d = {0, ZF_UNIT_DAY};
    ck_assert_msg(zf_duration_parse(&d, s, NULL) == ZF_OK, "bad length %s", s);
    return d;
}

/* Compute a plain term; fails the test on error. */
static zf_term_result term(const char *trigger, const char *length, zf_atw_mode atw) {
    zf_term_spec spec = ZF_TERM_SPEC_INIT;
    zf_term_result r;
    zf_error err;
    spec.trigger = D(trigger);
    spec.length = L(length);
    spec.atw = atw;
    zf_error_clear(&err);
    ck_assert_msg(zf_term_compute(&r, &spec, &err) == ZF_OK, "%s", err.message);
    return r;
}

static int has_step(const zf_term_result *r, zf_step_kind kind) {
    for (unsigned int i = 0; i < r->nsteps; i++)
        if (r->steps[i].kind == kind)
            return 1;
    return 0;
}

/* ---- the CSV of worked examples
 * ---------------------------------------------------------- */

#define MAXF 16

/* Split one CSV record (RFC 4180 quoting) in place; returns the number of fields. */
static int csv_split(char *line, char **f) {
    int n = 0;
    char *r = line, *w = line;
    for (;;) {
        int quoted = *r == '"';
        f[n++] = w;
        if (quoted) {
            r++;
            for (;;) {
                if (*r == '"' && r[1] == '"') {
                    *w++ = '"';
                    r += 2;
                } else if (*r == '"') {
                    r++;
                    break;
                } else if (!*r) {
                    break;
                } else {
                    *w++ = *r++;
                }
            }
        }
        while (*r && *r != ',' && *r != '\n' && *r != '\r')
            *w++ = *r++;
        if (*r != ',' || n == MAXF) {
            *w = '\0';
            return n;
        }
        *w++ = '\0';
        r++;
    }
}

static int col(char **hdr, int n, const char *name) {
    for (int i = 0; i < n; i++)
        if (!strcmp(hdr[i], name))
            return i;
    ck_abort_msg("no column %s", name);
    return -1;
}

START_TEST(test_term_csv_examples) {
    FILE *f = fopen(th_srcpath("tests/data/deadline_examples.csv"), "r");
    char head[1024], line[4096], *h[MAXF], *v[MAXF];
    int nh, c_case, c_start, c_end, c_len, c_atw, c_susp, c_from, c_expect, rows = 0,
                                                                            bad = 0;
    ck_assert_ptr_nonnull(f);
    ck_assert_ptr_nonnull(fgets(head, sizeof head, f));
    nh = csv_split(head, h);
    c_case = col(h, nh, "case");
    c_start = col(h, nh, "start_date");
    c_end = col(h, nh, "expected_end_date");
    c_len = col(h, nh, "length");
    c_atw = col(h, nh, "atw");
    c_susp = col(h, nh, "suspend");
    c_from = col(h, nh, "count_from");
    c_expect = col(h, nh, "expect");
    while (fgets(line, sizeof line, f)) {
        zf_term_spec spec = ZF_TERM_SPEC_INIT;
        zf_interval iv;
        zf_term_result r;
        zf_error err;
        zf_date got;
        int n = csv_split(line, v);
        if (n < nh)
            continue;
        rows++;
        spec.trigger = D(v[c_start]);
        /* C19: the start date is the first day of the term, not its trigger. */
        if (!strcmp(v[c_from], "first-day"))
            spec.trigger--;
        spec.length = L(v[c_len]);
        spec.atw = !strcmp(v[c_atw], "off") ? ZF_ATW_OFF : ZF_ATW_AUTO;
        if (v[c_susp][0]) {
            ck_assert(strlen(v[c_susp]) == 22);
            v[c_susp][10] = '\0';
            iv.from = D(v[c_susp]);
            iv.to = D(v[c_susp] + 12);
            spec.suspensions = &iv;
            spec.nsuspensions = 1;
        }
        zf_error_clear(&err);
        if (zf_term_compute(&r, &spec, &err) != ZF_OK) {
            fprintf(stderr, "%s: %s\n", v[c_case], err.message);
            bad++;
            continue;
        }
        got = r.end;
        /* C18/C21: the first dwangsom day, the earliest beroep: the day after the term.
         */
        if (!strcmp(v[c_expect], "day-after"))
            got++;
        if (got != D(v[c_end])) {
            fprintf(stderr, "%s: got %s, want %s\n", v[c_case], fmt(got), v[c_end]);
            bad++;
        }
    }
    fclose(f);
    ck_assert_int_eq(rows, 36);
    ck_assert_msg(bad == 0, "%d CSV cases failed (see above)", bad);
}
END_TEST

/* ---- single rules
 * -------------------------------------------------------------------------- */

/* Awb 6:8 and the trace of CSV P06. */
START_TEST(test_term_trace_p06) {
    zf_term_result r = term("2026-04-03", "6w", ZF_ATW_AUTO);
    ck_assert_str_eq(fmt(r.first_day), "2026-04-04");
    ck_assert_str_eq(fmt(r.nominal_end), "2026-05-15");
    ck_assert_str_eq(fmt(r.end), "2026-05-18");
    ck_assert_int_eq(r.atw_applied, 1);
    ck_assert_int_eq(r.suspended_days, 0);
    ck_assert_int_eq(r.truncated, 0);
    ck_assert_uint_eq(r.nsteps, 6);
    ck_assert_int_eq(r.steps[0].kind, ZF_STEP_START);
    ck_assert_int_eq(r.steps[1].kind, ZF_STEP_NOMINAL);
    ck_assert_int_eq(r.steps[2].kind, ZF_STEP_NONWORKING);
    ck_assert_int_eq(r.steps[2].day.kind, ZF_DAY_EQUATED_KB);
    ck_assert_str_eq(r.steps[2].day.basis, "Stcrt. 2025, 24713");
    ck_assert_int_eq(r.steps[3].day.kind, ZF_DAY_WEEKEND);
    ck_assert_int_eq(r.steps[4].day.kind, ZF_DAY_WEEKEND);
    ck_assert_int_eq(r.steps[5].kind, ZF_STEP_END);
    ck_assert_str_eq(fmt(r.steps[5].date), "2026-05-18");

    zf_buf b = ZF_BUF_INIT;
    ck_assert_int_eq(zf_term_explain(&b, &r, NULL), ZF_OK);
    ck_assert_str_eq(b.ptr, "term of 6w from 2026-04-03: starts 2026-04-04 (Awb 6:8)\n"
                            "nominal last day 2026-05-15 (vrijdag)\n"
                            "2026-05-15 is equated with a public holiday: vrijdag na "
                            "Hemelvaartsdag (Stcrt. 2025, 24713)\n"
                            "2026-05-16 is a Saturday (Atw art 1)\n"
                            "2026-05-17 is a Sunday (Atw art 1)\n"
                            "last day 2026-05-18 (maandag)\n");
    zf_buf_dispose(&b);
}
END_TEST

static void expect_explain_line(const zf_term_result *r, const char *want) {
    zf_buf b = ZF_BUF_INIT;
    ck_assert_int_eq(zf_term_explain(&b, r, NULL), ZF_OK);
    ck_assert_msg(strstr(b.ptr, want) != NULL, "no line '%s' in:\n%s", want, b.ptr);
    zf_buf_dispose(&b);
}

START_TEST(test_term_explain_lines) {
    zf_term_result r = term("2026-03-16", "6w", ZF_ATW_AUTO); /* CSV C03 */
    expect_explain_line(
        &r, "\n2026-04-27 is a public holiday: Koningsdag (Atw art 3 lid 1)\n");
    r = term("2025-03-07", "6w", ZF_ATW_AUTO); /* CSV C07 */
    expect_explain_line(&r, "\n2025-04-18 is equated with a public holiday by the Act: "
                            "Goede Vrijdag (Atw art 3 lid 2)\n");
    r = term("2025-06-13", "13w", ZF_ATW_AUTO);
    expect_explain_line(&r, "\nthe Atw does not apply: term of more than twelve weeks "
                            "(Atw art 4 lid 1 sub a)\n");
    r = term("2025-10-01", "42d", ZF_ATW_OFF); /* CSV C19 */
    expect_explain_line(&r, "\nthe Atw does not apply: excluded by the statute");
}
END_TEST

START_TEST(test_term_explain_enomem_keeps_buffer) {
    zf_term_result r = term("2026-04-03", "6w", ZF_ATW_AUTO);
    zf_buf b = ZF_BUF_INIT;
    zf_error err;
    ck_assert_int_eq(zf_buf_puts(&b, "before\n"), ZF_OK);
    zf_error_clear(&err);
    th_alloc_fail_at(0);
    ck_assert_int_eq(zf_term_explain(&b, &r, &err), ZF_ENOMEM);
    th_alloc_reset();
    ck_assert_int_eq(err.code, ZF_ENOMEM);
    ck_assert_str_eq(b.ptr, "before\n");
    ck_assert_uint_eq(b.size, 7);
    zf_buf_dispose(&b);
}
END_TEST

/* Atw art 4 lid 1 sub a. */
START_TEST(test_term_atw_art4) {
    ck_assert(zf_term_atw_applies((zf_duration){90, ZF_UNIT_DAY}));
    ck_assert(!zf_term_atw_applies((zf_duration){91, ZF_UNIT_DAY}));
    ck_assert(zf_term_atw_applies((zf_duration){12, ZF_UNIT_WEEK})); /* "meer dan" */
    ck_assert(!zf_term_atw_applies((zf_duration){13, ZF_UNIT_WEEK}));
    ck_assert(zf_term_atw_applies((zf_duration){3, ZF_UNIT_MONTH}));
    ck_assert(!zf_term_atw_applies((zf_duration){4, ZF_UNIT_MONTH}));
    ck_assert(!zf_term_atw_applies((zf_duration){1, ZF_UNIT_YEAR}));
    ck_assert(!zf_term_atw_applies((zf_duration){0, ZF_UNIT_YEAR}));
    ck_assert(zf_term_atw_applies((zf_duration){0, ZF_UNIT_DAY}));

    /* CSV C27: one year ends on Saturday 28-02-2026 and stays there. */
    zf_term_result r = term("2025-02-28", "1y", ZF_ATW_AUTO);
    ck_assert_str_eq(fmt(r.end), "2026-02-28");
    ck_assert_int_eq(r.atw_applied, 0);
    ck_assert(has_step(&r, ZF_STEP_ATW_EXCLUDED));
    /* 91 days ending on a Sunday: not extended; 90 days on a Saturday: extended. */
    r = term("2025-10-01", "91d", ZF_ATW_AUTO);
    ck_assert_int_eq(zf_date_weekday(r.end), ZF_WEDNESDAY);
    r = term("2026-02-15", "91d", ZF_ATW_AUTO); /* 2026-05-17, a Sunday */
    ck_assert_str_eq(fmt(r.end), "2026-05-17");
    r = term("2026-02-16", "90d", ZF_ATW_AUTO); /* 2026-05-17 -> Monday */
    ck_assert_str_eq(fmt(r.end), "2026-05-18");
    ck_assert_int_eq(r.atw_applied, 1);
}
END_TEST

/* Atw art 2: CSV P07a/P07b and a term that needs the art 2 extension itself. */
START_TEST(test_term_atw_art2) {
    zf_term_result r = term("2017-12-19", "3d", ZF_ATW_AUTO);
    ck_assert_str_eq(fmt(r.end), "2017-12-22");
    ck_assert(!has_step(&r, ZF_STEP_ATW_ART2));
    r = term("2017-12-20", "3d", ZF_ATW_AUTO);
    ck_assert_str_eq(fmt(r.end), "2017-12-27");
    /* Thursday 2025-12-25 triggers a 3-day term: Fri 26 (Kerst), Sat, Sun: no
     * working day. Art 2 needs two: Mon 29 and Tue 30. Art 1 alone gives Mon 29. */
    r = term("2025-12-25", "3d", ZF_ATW_AUTO);
    ck_assert_str_eq(fmt(r.end), "2025-12-30");
    ck_assert(has_step(&r, ZF_STEP_ATW_ART2));
    ck_assert_int_eq(r.steps[2].kind, ZF_STEP_ATW_ART2);
    ck_assert_int_eq(r.steps[2].days, 2);
    /* A term of two days is below art 2: only art 1 applies. */
    r = term("2025-12-25", "2d", ZF_ATW_AUTO); /* Sat 27 -> Mon 29 */
    ck_assert_str_eq(fmt(r.end), "2025-12-29");
    ck_assert(!has_step(&r, ZF_STEP_ATW_ART2));
}
END_TEST

START_TEST(test_term_atw_off_and_calendar_none) {
    zf_term_spec spec = ZF_TERM_SPEC_INIT;
    zf_term_result r;
    spec.trigger = D("2026-04-03");
    spec.length = L("6w");
    spec.calendar = zf_calendar_none();
    ck_assert_int_eq(zf_term_compute(&r, &spec, NULL), ZF_OK);
    ck_assert_str_eq(fmt(r.end), "2026-05-15");
    ck_assert_int_eq(r.atw_applied, 0);
    r = term("2026-04-03", "6w", ZF_ATW_OFF);
    ck_assert_str_eq(fmt(r.end), "2026-05-15");
    ck_assert_int_eq(r.atw_applied, 0);
    ck_assert_int_eq(r.steps[2].kind, ZF_STEP_ATW_EXCLUDED);
}
END_TEST

static zf_term_result suspended(const char *trigger, const char *len,
                                const zf_interval *iv, size_t n, zf_suspend_rule rule) {
    zf_term_spec spec = ZF_TERM_SPEC_INIT;
    zf_term_result r;
    zf_error err;
    spec.trigger = D(trigger);
    spec.length = L(len);
    spec.suspensions = iv;
    spec.nsuspensions = n;
    spec.suspend_rule = rule;
    zf_error_clear(&err);
    ck_assert_msg(zf_term_compute(&r, &spec, &err) == ZF_OK, "%s", err.message);
    return r;
}

/* Awb 4:15 and the two conventions of CSV C17. */
START_TEST(test_term_suspension) {
    zf_interval iv = {D("2025-09-08"), D("2025-09-11")};
    zf_term_result r = suspended("2025-09-03", "2w", &iv, 1, ZF_SUSPEND_EXCLUSIVE);
    ck_assert_str_eq(fmt(r.end), "2025-09-19");
    ck_assert_int_eq(r.suspended_days, 2);
    ck_assert_str_eq(fmt(r.nominal_end), "2025-09-17");
    r = suspended("2025-09-03", "2w", &iv, 1, ZF_SUSPEND_INCLUSIVE);
    ck_assert_str_eq(fmt(r.end), "2025-09-22");
    ck_assert_int_eq(r.suspended_days, 3);
    ck_assert_str_eq(zf_suspend_rule_name(ZF_SUSPEND_EXCLUSIVE), "exclusive");
    ck_assert_str_eq(zf_suspend_rule_name(ZF_SUSPEND_INCLUSIVE), "inclusive");

    /* Overlapping, repeated and unordered intervals: no day counts twice. */
    zf_interval many[] = {{D("2025-09-10"), D("2025-09-15")}, /* 11..14 */
                          {D("2025-09-08"), D("2025-09-11")}, /* 9..10 */
                          {D("2025-09-08"), D("2025-09-11")},
                          {D("2025-09-20"), D("2025-09-22")},  /* 21 */
                          {D("2025-09-12"), D("2025-09-13")},  /* none */
                          {D("2025-09-30"), D("2025-09-30")}}; /* none, never negative */
    r = suspended("2025-09-03", "2w", many, ZF__ARRAY_SIZE(many), ZF_SUSPEND_EXCLUSIVE);
    ck_assert_int_eq(r.suspended_days, 7);
    ck_assert_str_eq(fmt(r.end), "2025-09-24");
    ck_assert_int_eq(r.steps[2].kind, ZF_STEP_SUSPEND);
    ck_assert_int_eq(r.steps[2].days, 6);
    ck_assert_int_eq(r.steps[3].kind, ZF_STEP_SUSPEND);
    ck_assert_int_eq(r.steps[3].days, 1);
    /* Inclusive: 9..15 and 21..22; 08-09..08-09 is still empty. */
    r = suspended("2025-09-03", "2w", many, ZF__ARRAY_SIZE(many), ZF_SUSPEND_INCLUSIVE);
    ck_assert_int_eq(r.suspended_days, 7 + 2);
}
END_TEST

static zf_term_result extended(const char *trigger, const char *len,
                               const zf_duration *ext, size_t n, zf_extend_rule rule) {
    zf_term_spec spec = ZF_TERM_SPEC_INIT;
    zf_term_result r;
    zf_error err;
    spec.trigger = D(trigger);
    spec.length = L(len);
    spec.extensions = ext;
    spec.nextensions = n;
    spec.extend_rule = rule;
    zf_error_clear(&err);
    ck_assert_msg(zf_term_compute(&r, &spec, &err) == ZF_OK, "%s", err.message);
    return r;
}

/* Awb 7:10 lid 3: verdaging, and the two readings of RULES.md 2.5 point 3. */
START_TEST(test_term_extension) {
    zf_duration six = {6, ZF_UNIT_WEEK};
    /* CSV C11 + C12: 12 weeks to Fri 2025-09-05, then 6 weeks to Fri 2025-10-17. */
    zf_term_result r = extended("2025-06-13", "12w", &six, 1, ZF_EXTEND_FROM_END);
    ck_assert_str_eq(fmt(r.end), "2025-10-17");
    ck_assert(has_step(&r, ZF_STEP_EXTEND));
    ck_assert_int_eq(r.atw_applied, 1);
    r = extended("2025-06-13", "12w", &six, 1, ZF_EXTEND_TOTAL);
    ck_assert_str_eq(fmt(r.end), "2025-10-17");
    ck_assert_int_eq(r.atw_applied, 0); /* 18 weeks in total */

    /* A 12-week term from Fri 2026-02-20 ends on Fri 2026-05-15 (equated day) and is
     * moved to Mon 2026-05-18; six weeks from there end Mon 2026-06-29. Counted as
     * one term of 18 weeks it ends Fri 2026-06-26 without the Atw. */
    r = extended("2026-02-20", "12w", &six, 1, ZF_EXTEND_FROM_END);
    ck_assert_str_eq(fmt(r.end), "2026-06-29");
    r = extended("2026-02-20", "12w", &six, 1, ZF_EXTEND_TOTAL);
    ck_assert_str_eq(fmt(r.end), "2026-06-26");
    /* Total judged on the total: 6 + 4 weeks is 10 weeks, the Atw applies. */
    zf_duration four = {4, ZF_UNIT_WEEK};
    r = extended("2026-03-06", "6w", &four, 1, ZF_EXTEND_TOTAL); /* Fri 2026-05-15 */
    ck_assert_str_eq(fmt(r.end), "2026-05-18");
    ck_assert_int_eq(r.atw_applied, 1);
    /* Mixed units: 12 weeks and 1 day is more than twelve weeks. */
    zf_duration day = {1, ZF_UNIT_DAY};
    r = extended("2026-02-19", "12w", &day, 1, ZF_EXTEND_TOTAL); /* Fri 2026-05-15 */
    ck_assert_str_eq(fmt(r.end), "2026-05-15");
    ck_assert_int_eq(r.atw_applied, 0);
    ck_assert_str_eq(zf_extend_rule_name(ZF_EXTEND_FROM_END), "from-end");
    ck_assert_str_eq(zf_extend_rule_name(ZF_EXTEND_TOTAL), "total");
}
END_TEST

START_TEST(test_term_bad_spec) {
    zf_term_spec spec = ZF_TERM_SPEC_INIT;
    zf_term_result r;
    zf_error err;
    zf_interval back = {D("2026-01-10"), D("2026-01-05")};
    zf_duration neg = {-1, ZF_UNIT_WEEK};
    memset(&r, 0xab, sizeof r);
    zf_term_result before = r;
    spec.trigger = D("2026-04-03");
    spec.length = L("6w");

    spec.version = 2;
    ck_assert_int_eq(zf_term_compute(&r, &spec, NULL), ZF_EINVAL);
    spec.version = ZF_TERM_SPEC_VERSION;
    spec.length.n = -1;
    ck_assert_int_eq(zf_term_compute(&r, &spec, NULL), ZF_EINVAL);
    spec.length = L("6w");
    spec.suspensions = &back;
    spec.nsuspensions = 1;
    zf_error_clear(&err);
    ck_assert_int_eq(zf_term_compute(&r, &spec, &err), ZF_EINVAL);
    ck_assert_str_eq(err.message,
                     "suspension 2026-01-10..2026-01-05 ends before it starts");
    spec.nsuspensions = 0;
    spec.extensions = &neg;
    spec.nextensions = 1;
    ck_assert_int_eq(zf_term_compute(&r, &spec, NULL), ZF_EINVAL);
    spec.nextensions = 0;
    spec.trigger = ZF_DATE_NONE;
    ck_assert_int_eq(zf_term_compute(&r, &spec, NULL), ZF_EINVAL);
    spec.trigger = D("9999-12-01");
    ck_assert_int_eq(zf_term_compute(&r, &spec, NULL), ZF_ERANGE);
    spec.trigger = D("9999-12-01");
    spec.length = L("3w"); /* ends Fri 9999-12-22 */
    ck_assert_int_eq(zf_term_compute(&r, &spec, NULL), ZF_OK);
    before = r;
    /* A calendar without working days: Atw art 1 runs past 9999-12-31. */
    static const char closed[] = "<calendar xmlns='urn:zaakflow:calendar:1' id='closed' "
                                 "extends='none'><weekend days='monday tuesday wednesday "
                                 "thursday friday saturday sunday'/></calendar>";
    zf_calendar *cal = NULL;
    ck_assert_int_eq(zf_calendar_parse(&cal, closed, strlen(closed), NULL, NULL), ZF_OK);
    spec.calendar = cal;
    spec.trigger = D("9999-12-24");
    spec.length = L("1d");
    zf_error_clear(&err);
    ck_assert_int_eq(zf_term_compute(&r, &spec, &err), ZF_ERANGE);
    ck_assert_str_eq(err.message, "the term ends after the year 9999");
    ck_assert(memcmp(&r, &before, sizeof r) == 0); /* untouched on failure */
    zf_calendar_free(cal);
    spec.calendar = NULL;
    ck_assert_int_eq(zf_term_compute(&r, NULL, NULL), ZF_EINVAL);
    ck_assert_int_eq(zf_term_compute(NULL, &spec, NULL), ZF_EINVAL);
}
END_TEST

/* Many suspensions: the trace is cut, but still ends with ZF_STEP_END. */
START_TEST(test_term_trace_truncated) {
    zf_interval iv[100];
    for (int i = 0; i < 100; i++)
        iv[i] = (zf_interval){D("2026-01-01") + 3 * i, D("2026-01-01") + 3 * i + 2};
    zf_term_result r = suspended("2025-12-31", "2w", iv, 100, ZF_SUSPEND_EXCLUSIVE);
    ck_assert_int_eq(r.suspended_days, 100);
    ck_assert_int_eq(r.truncated, 1);
    ck_assert_uint_eq(r.nsteps, ZF_TERM_MAX_STEPS);
    ck_assert_int_eq(r.steps[ZF_TERM_MAX_STEPS - 1].kind, ZF_STEP_END);
    ck_assert_int_eq(r.steps[ZF_TERM_MAX_STEPS - 1].date, r.end);
    expect_explain_line(&r, "(further steps left out)\nlast day ");
}
END_TEST

/* zf_term_compute allocates nothing once the Atw calendar is loaded. */
START_TEST(test_term_no_allocation) {
    zf_term_result r;
    ck_assert_ptr_nonnull(zf_calendar_atw());
    th_alloc_fail_at(0);
    r = term("2026-04-03", "6w", ZF_ATW_AUTO);
    ck_assert_int_eq(th_alloc_count(), 0);
    th_alloc_reset();
    ck_assert_str_eq(fmt(r.end), "2026-05-18");
}
END_TEST

/* ---- properties over random terms
 * ------------------------------------------------------------ */

static uint64_t rng_state = 0x5eed2026u;
static uint32_t rnd(uint32_t n) /* splitmix64, fixed seed: the same terms every run */
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return (uint32_t)((z ^ (z >> 31)) % n);
}

START_TEST(test_term_properties) {
    const zf_calendar *atw = zf_calendar_atw();
    zf_date lo = D("1990-01-01");
    for (int i = 0; i < 20000; i++) {
        zf_term_spec spec = ZF_TERM_SPEC_INIT;
        zf_term_result r, rs;
        zf_interval iv;
        static const int32_t maxn[4] = {120, 16, 5, 2};
        spec.trigger = lo + (zf_date)rnd(365 * 50);
        spec.length.unit = (zf_unit)rnd(4);
        spec.length.n = (int32_t)rnd((uint32_t)maxn[spec.length.unit] + 1);
        ck_assert_int_eq(zf_term_compute(&r, &spec, NULL), ZF_OK);
        int applies = zf_term_atw_applies(spec.length);
        /* Awb 6:8 and the nominal end. */
        ck_assert_int_eq(r.first_day, spec.trigger + 1);
        ck_assert_int_ge(r.end, r.nominal_end);
        ck_assert_int_eq(r.atw_applied, applies);
        ck_assert_int_eq(r.steps[r.nsteps - 1].kind, ZF_STEP_END);
        if (applies) {
            /* Atw art 1: the last day is a working day. */
            ck_assert_int_eq(zf_calendar_is_working_day(atw, r.end, NULL), 1);
            /* Atw art 2: a term of three days or more holds two working days. */
            if (r.nominal_end - spec.trigger >= 3)
                ck_assert_int_ge(zf_calendar_workdays(atw, r.first_day, r.end), 2);
            /* Only as far as needed: without art 2, every day skipped was non-working. */
            if (!has_step(&r, ZF_STEP_ATW_ART2))
                for (zf_date d = r.nominal_end; d < r.end; d++)
                    ck_assert_int_eq(zf_calendar_is_working_day(atw, d, NULL), 0);
        } else {
            ck_assert_int_eq(r.end, r.nominal_end);
        }
        /* A suspension never makes the term end earlier. */
        iv.from = spec.trigger + (zf_date)rnd(60);
        iv.to = iv.from + (zf_date)rnd(30);
        spec.suspensions = &iv;
        spec.nsuspensions = 1;
        spec.suspend_rule = (zf_suspend_rule)rnd(2);
        ck_assert_int_eq(zf_term_compute(&rs, &spec, NULL), ZF_OK);
        ck_assert_int_ge(rs.end, r.end);
        ck_assert_int_ge(rs.suspended_days, 0);
        ck_assert_int_eq(rs.suspended_days,
                         iv.to - iv.from - (spec.suspend_rule == ZF_SUSPEND_EXCLUSIVE) > 0
                             ? iv.to - iv.from -
                                   (spec.suspend_rule == ZF_SUSPEND_EXCLUSIVE)
                             : 0);
    }
}
END_TEST

/* zf__term_end() gives the end zf_term_compute() gives, and the same errors, for
 * random terms with suspensions and extensions under every rule and calendar. */
START_TEST(test_term_end_only) {
    static const char closed[] = "<calendar xmlns='urn:zaakflow:calendar:1' id='closed' "
                                 "extends='none'><weekend days='monday tuesday wednesday "
                                 "thursday friday saturday sunday'/></calendar>";
    static const char fri[] = "<calendar xmlns='urn:zaakflow:calendar:1' id='fri' "
                              "extends='atw'><weekend days='friday saturday sunday'/>"
                              "<day date='2026-05-18' name='x'/></calendar>";
    zf_calendar *cal_closed = NULL, *cal_fri = NULL;
    ck_assert_int_eq(zf_calendar_parse(&cal_closed, closed, strlen(closed), NULL, NULL),
                     ZF_OK);
    ck_assert_int_eq(zf_calendar_parse(&cal_fri, fri, strlen(fri), NULL, NULL), ZF_OK);
    const zf_calendar *cals[4] = {NULL, zf_calendar_none(), cal_fri, cal_closed};
    zf_date lo = D("2024-01-01");
    for (int i = 0; i < 20000; i++) {
        zf_term_spec spec = ZF_TERM_SPEC_INIT;
        zf_term_result r;
        zf_interval iv[3];
        zf_duration ext[2];
        zf_error e1, e2;
        zf_date end = 12345;
        zf_code rc1, rc2;
        static const int32_t maxn[4] = {120, 16, 5, 2};
        spec.trigger =
            i % 97 == 0 ? D("9999-10-01") + (zf_date)rnd(90) : lo + (zf_date)rnd(365 * 4);
        spec.length.unit = (zf_unit)rnd(4);
        spec.length.n = (int32_t)rnd((uint32_t)maxn[spec.length.unit] + 1);
        /* The closed calendar runs to the year 9999: only near its end. */
        spec.calendar = cals[rnd(spec.trigger > D("9999-01-01") ? 4 : 3)];
        spec.atw = (zf_atw_mode)rnd(2);
        spec.nsuspensions = rnd(4);
        for (size_t k = 0; k < spec.nsuspensions; k++) {
            iv[k].from = spec.trigger + (zf_date)rnd(60);
            iv[k].to = iv[k].from + (zf_date)rnd(30);
        }
        spec.suspensions = iv;
        spec.suspend_rule = (zf_suspend_rule)rnd(2);
        spec.nextensions = rnd(3);
        for (size_t k = 0; k < spec.nextensions; k++)
            ext[k] = (zf_duration){(int32_t)rnd(8), (zf_unit)rnd(3)};
        spec.extensions = ext;
        spec.extend_rule = (zf_extend_rule)rnd(2);
        zf_error_clear(&e1);
        zf_error_clear(&e2);
        rc1 = zf_term_compute(&r, &spec, &e1);
        rc2 = zf__term_end(&end, &spec, &e2);
        ck_assert_int_eq(rc2, rc1);
        ck_assert_str_eq(e2.message, e1.message);
        if (rc1 == ZF_OK)
            ck_assert_int_eq(end, r.end);
        else
            ck_assert_int_eq(end, 12345); /* untouched on failure */
    }
    ck_assert_int_eq(zf__term_end(NULL, NULL, NULL), ZF_EINVAL);
    zf_calendar_free(cal_closed);
    zf_calendar_free(cal_fri);
}
END_TEST

int main(void) {
    Suite *s = suite_create("term");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_term_csv_examples);
    tcase_add_test(tc, test_term_trace_p06);
    tcase_add_test(tc, test_term_explain_lines);
    tcase_add_test(tc, test_term_explain_enomem_keeps_buffer);
    tcase_add_test(tc, test_term_atw_art4);
    tcase_add_test(tc, test_term_atw_art2);
    tcase_add_test(tc, test_term_atw_off_and_calendar_none);
    tcase_add_test(tc, test_term_suspension);
    tcase_add_test(tc, test_term_extension);
    tcase_add_test(tc, test_term_bad_spec);
    tcase_add_test(tc, test_term_trace_truncated);
    tcase_add_test(tc, test_term_no_allocation);
    tcase_add_test(tc, test_term_properties);
    tcase_add_test(tc, test_term_end_only);
    suite_add_tcase(s, tc);
    return th_run(s);
}
