/*
 * Memory pressure: an allocation fails, at every allocation in turn, of loading
 * each process in processes/ (libxml2's parse and the schema validation, and the
 * built-in schema itself), of parsing the Atw calendar, of running scenarios and
 * of restoring snapshots. Failures are injected into libxml2 (through xmlMemSetup,
 * process-wide) and into the zaakflow allocator (zf_set_allocator). Each failure
 * must give ZF_ENOMEM in the code and in the error, leak nothing in either
 * allocator, and leave the next call, without a failure, giving the very result
 * of a call that never failed: never a crash, another code, a changed value or a
 * broken later call.
 */
#define _POSIX_C_SOURCE 200809L
#include "testhelp.h"

#include "load.h"

#include <dirent.h>
#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlmemory.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the libxml2 allocator that fails the n-th allocation ------------------ */

static long x_fail_at = -1, x_count, x_live;
static int x_failed;

static void *x_malloc(size_t n) {
    if (x_fail_at >= 0 && x_count++ == x_fail_at) {
        x_failed = 1;
        return NULL;
    }
    void *p = malloc(n);
    if (p)
        x_live++;
    return p;
}

static void *x_realloc(void *p, size_t n) {
    if (x_fail_at >= 0 && x_count++ == x_fail_at) {
        x_failed = 1;
        return NULL;
    }
    void *q = realloc(p, n);
    if (q && !p)
        x_live++;
    return q;
}

static void x_free(void *p) {
    if (p)
        x_live--;
    free(p);
}

static char *x_strdup(const char *s) {
    size_t n = strlen(s) + 1;
    char *p = x_malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

/* Count (n < 0) or fail the n-th libxml2 allocation from now. */
static void x_arm(long n) {
    x_fail_at = n;
    x_count = 0;
    x_failed = 0;
}

/* ---- operations with a comparable result ------------------------------------ */

/* One operation: fills *out (a text to compare with the result of a call that
 * never failed) and returns its code; err describes the call. */
typedef zf_code (*op_fn)(const char *arg, zf_buf *out, zf_error *err);

static zf_code op_load(const char *path, zf_buf *out, zf_error *err) {
    zf_definition *d = NULL;
    zf_diagnostics dg = ZF_DIAGNOSTICS_INIT;
    zf_code rc = zf_definition_load(&d, path, &dg, err);
    if (rc == ZF_OK) {
        /* The compiled tables as the diagram shows them, and the counts. */
        rc = zf_definition_dot(out, d, err);
        if (rc == ZF_OK)
            rc = zf_buf_printf(out, "%s %s %zu %zu %zu %zu\n", zf_definition_id(d),
                               zf_definition_hash(d), zf_definition_state_count(d),
                               zf_definition_event_count(d), zf_definition_term_count(d),
                               zf_definition_var_count(d));
    } else if (dg.count) {
        /* A failing load leaves the diagnostics as they were (empty). */
        ck_abort_msg("%s failed with %s and left %zu diagnostics", path, zf_code_name(rc),
                     dg.count);
    }
    zf_diagnostics_dispose(&dg);
    zf_definition_free(d);
    return rc;
}

static char *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    char *b;
    ck_assert_ptr_nonnull(f);
    fseek(f, 0, SEEK_END);
    *len = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    b = malloc(*len + 1);
    ck_assert_uint_eq(fread(b, 1, *len, f), *len);
    b[*len] = '\0';
    fclose(f);
    return b;
}

static zf_code op_calendar(const char *path, zf_buf *out, zf_error *err) {
    size_t len;
    char *xml = slurp(path, &len);
    zf_calendar *cal = NULL;
    zf_code rc = zf_calendar_parse(&cal, xml, len, path, err);
    free(xml);
    for (int y = 1990; rc == ZF_OK && y <= 2040; y++) {
        zf_day_info days[64];
        size_t n = zf_calendar_year(days, 64, cal, y);
        char buf[ZF_DATE_BUFSIZE];
        for (size_t i = 0; i < n && i < 64 && rc == ZF_OK; i++)
            rc = zf_buf_printf(out, "%s %d %s %s\n", zf_date_format(buf, days[i].date),
                               (int)days[i].kind, days[i].name, days[i].basis);
    }
    zf_calendar_free(cal);
    return rc;
}

/* A scenario, run by a runner that has loaded its definitions already (their load
 * is op_load's): the scenario's parse, the cases and the timeline. */
static zf_scenario_runner *runner;

static zf_code op_scenario(const char *path, zf_buf *out, zf_error *err) {
    zf_scenario_result res;
    zf_code rc = zf_scenario_run_file(&res, out, runner, path, err);
    if (rc == ZF_OK)
        rc = zf_buf_printf(out, "\npassed %d steps %u failed %u: %s\n", res.passed,
                           res.steps, res.failed_step, res.message);
    return rc;
}

static zf_definition *restore_def;
static char *restore_snapshot;

static zf_code op_restore(const char *journal, zf_buf *out, zf_error *err) {
    zf_instance *in = NULL;
    zf_instance_options o = ZF_INSTANCE_OPTIONS_INIT;
    zf_snapshot_summary sum;
    zf_code rc;
    o.journal = journal[0] == '1';
    rc = zf_instance_restore(&in, restore_def, restore_snapshot, strlen(restore_snapshot),
                             &o, err);
    if (rc == ZF_OK)
        rc = zf_instance_snapshot(out, in, err);
    if (rc == ZF_OK)
        rc =
            zf_snapshot_info(&sum, restore_snapshot, strlen(restore_snapshot), NULL, err);
    if (rc == ZF_OK)
        rc = zf_buf_printf(out, "%s %lu\n", sum.process, sum.seq);
    zf_instance_free(in);
    return rc;
}

/* ---- the loops ------------------------------------------------------------------ */

enum { VIA_XML, VIA_ZF };

/*
 * Fail every allocation of op(arg) in turn, through libxml2's allocator or the
 * zaakflow one; `reset` (optional) runs before each call (e.g. drops the schema so
 * that its parse is tested too). Returns the number of allocations.
 */
static long fail_each(int via, op_fn op, const char *arg, void (*reset)(void)) {
    zf_buf want = ZF_BUF_INIT, got = ZF_BUF_INIT;
    zf_error e;
    long n, total = -1;
    if (reset)
        reset();
    ck_assert_msg(op(arg, &want, &e) == ZF_OK, "%s: %s", arg, e.message);
    for (n = 0;; n++) {
        long zlive, xlive0 = x_live;
        int failed;
        zf_code rc;
        if (reset)
            reset();
        xlive0 = x_live;
        zf_buf_clear(&got);
        memset(&e, 0x55, sizeof e); /* a stale error must not survive */
        if (via == VIA_XML)
            x_arm(n);
        else
            th_alloc_fail_at(n);
        rc = op(arg, &got, &e);
        failed = via == VIA_XML ? x_failed : th_alloc_failed();
        zlive = th_alloc_live();
        x_arm(-1);
        th_alloc_reset();
        xmlResetLastError();
        if (!failed) {
            ck_assert_msg(rc == ZF_OK, "%s: no failure, got %s: %s", arg,
                          zf_code_name(rc), e.message);
            ck_assert_str_eq(got.ptr ? got.ptr : "", want.ptr ? want.ptr : "");
            total = n;
            break;
        }
        if (rc == ZF_OK) {
            /* A failure libxml2 recovered from by itself: the result must not change. */
            ck_assert_msg(strcmp(got.ptr ? got.ptr : "", want.ptr ? want.ptr : "") == 0,
                          "%s: allocation %ld failed, the call succeeded with another "
                          "result",
                          arg, n);
        } else {
            ck_assert_msg(rc == ZF_ENOMEM && e.code == ZF_ENOMEM,
                          "%s: allocation %ld failed, got %s (err %s: %s)", arg, n,
                          zf_code_name(rc), zf_code_name(e.code), e.message);
        }
        if (via == VIA_ZF)
            ck_assert_msg(zlive == 0, "%s: allocation %ld failed, %ld blocks leak", arg,
                          n, zlive);
        if (reset)
            reset();
        ck_assert_msg(x_live == xlive0,
                      "%s: allocation %ld failed, %ld libxml2 blocks leak", arg, n,
                      x_live - xlive0);
        /* The next call, without a failure, gives the same result. */
        zf_buf_clear(&got);
        if (reset)
            reset();
        ck_assert_msg(op(arg, &got, &e) == ZF_OK, "%s: after failure %ld: %s", arg, n,
                      e.message);
        ck_assert_str_eq(got.ptr ? got.ptr : "", want.ptr ? want.ptr : "");
    }
    zf_buf_dispose(&want);
    zf_buf_dispose(&got);
    return total;
}

static void setup(void) {
    /* libxml2's allocator is the counting one from the start; libxml2 initialises
       itself (and its per-thread state) before any failure is injected. */
    xmlMemSetup(x_free, x_malloc, x_realloc, x_strdup);
    xmlInitParser();
    zf_buf b = ZF_BUF_INIT;
    zf_error e;
    ck_assert_int_eq(op_load(th_srcpath("processes/klacht.xml"), &b, &e), ZF_OK);
    zf_buf_dispose(&b);
}

static void teardown(void) {
    th_alloc_reset();
    x_arm(-1);
}

static void each_process(int via) {
    DIR *dir = opendir(th_srcpath("processes"));
    struct dirent *de;
    ck_assert_ptr_nonnull(dir);
    while ((de = readdir(dir))) {
        char path[4096];
        size_t l = strlen(de->d_name);
        if (l < 5 || strcmp(de->d_name + l - 4, ".xml"))
            continue;
        snprintf(path, sizeof path, "%s", th_srcpath("processes"));
        strncat(path, "/", sizeof path - strlen(path) - 1);
        strncat(path, de->d_name, sizeof path - strlen(path) - 1);
        long n = fail_each(via, op_load, path, NULL);
        printf("%s: load %s: %ld allocations, each failed once\n",
               via == VIA_XML ? "libxml2" : "zaakflow", de->d_name, n);
    }
    closedir(dir);
}

START_TEST(test_xmlmem_load_libxml2) {
    each_process(VIA_XML);
}
END_TEST

START_TEST(test_xmlmem_load_zaakflow) {
    each_process(VIA_ZF);
}
END_TEST

/* The built-in schema: parsed on first use; a failure while it is parsed leaves it
 * unparsed, and the next load parses it. */
START_TEST(test_xmlmem_schema) {
    long n = fail_each(VIA_XML, op_load, th_srcpath("processes/klacht.xml"),
                       zf__load_schema_reset);
    printf("libxml2: the schema and a load: %ld allocations, each failed once\n", n);
}
END_TEST

START_TEST(test_xmlmem_calendar) {
    for (int via = VIA_XML; via <= VIA_ZF; via++) {
        long n = fail_each(via, op_calendar, th_srcpath("data/atw-calendar.xml"), NULL);
        printf("%s: calendar parse: %ld allocations, each failed once\n",
               via == VIA_XML ? "libxml2" : "zaakflow", n);
    }
}
END_TEST

START_TEST(test_xmlmem_scenario) {
    static const char *const scenarios[] = {
        "tests/scenarios/bezwaar_te_laat.xml",
        "tests/scenarios/aanvraag_pw_aanvultermijn_overmacht_ingetrokken.xml",
        "tests/scenarios/keten_wmo_tot_hoger_beroep.xml"};
    zf_scenario_options o = ZF_SCENARIO_OPTIONS_INIT;
    zf_error e;
    o.base_dir = th_srcpath("");
    o.roundtrip = 1;
    ck_assert_int_eq(zf_scenario_runner_new(&runner, &o, &e), ZF_OK);
    for (size_t i = 0; i < sizeof scenarios / sizeof *scenarios; i++) {
        char path[4096];
        zf_buf b = ZF_BUF_INIT;
        snprintf(path, sizeof path, "%s", th_srcpath(scenarios[i]));
        /* Its definitions loaded once before. */
        ck_assert_int_eq(op_scenario(path, &b, &e), ZF_OK);
        zf_buf_dispose(&b);
        for (int via = VIA_XML; via <= VIA_ZF; via++) {
            long n = fail_each(via, op_scenario, path, NULL);
            printf(
                "%s: scenario %s (round trips on): %ld allocations, each failed once\n",
                via == VIA_XML ? "libxml2" : "zaakflow", scenarios[i], n);
        }
    }
    zf_scenario_runner_free(runner);
    runner = NULL;
}
END_TEST

START_TEST(test_xmlmem_restore) {
    zf_error e;
    zf_scenario_result res;
    zf_buf tl = ZF_BUF_INIT, s = ZF_BUF_INIT;
    zf_instance *in = NULL;
    ck_assert_int_eq(
        zf_definition_load(&restore_def, th_srcpath("processes/bezwaar.xml"), NULL, &e),
        ZF_OK);
    /* A case with a journal: the bezwaar of the README, received and decided on. */
    zf_date d;
    zf_date_parse(&d, "2026-05-12", NULL);
    zf_param_value vars[] = {{"verzonden", zf_value_string("2026-04-03")},
                             {"commissie_gemeld", zf_value_bool(1)}};
    ck_assert_int_eq(zf_instance_new(&in, restore_def, d, vars, 2, NULL, &e), ZF_OK);
    const char *roles[] = {"behandelaar"};
    zf_actor a = {"j.devries", roles, 1};
    zf_param_value p[] = {{"ontvangen", zf_value_string("2026-05-12")},
                          {"per_post", zf_value_bool(0)}};
    ck_assert_int_eq(zf_instance_fire(in, "bezwaarschrift_ontvangen", d, &a, p, 2, &e),
                     ZF_OK);
    zf_date_parse(&d, "2026-07-01", NULL);
    ck_assert_int_eq(zf_instance_advance(in, d, &e), ZF_OK);
    ck_assert_int_eq(zf_instance_snapshot(&s, in, &e), ZF_OK);
    restore_snapshot = s.ptr;
    (void)res;
    for (int via = VIA_XML; via <= VIA_ZF; via++)
        for (int j = 0; j < 2; j++) {
            long n = fail_each(via, op_restore, j ? "1" : "0", NULL);
            printf(
                "%s: restore and info (journal %s): %ld allocations, each failed once\n",
                via == VIA_XML ? "libxml2" : "zaakflow", j ? "on" : "off", n);
        }
    zf_instance_free(in);
    zf_definition_free(restore_def);
    zf_buf_dispose(&s);
    zf_buf_dispose(&tl);
}
END_TEST

int main(void) {
    Suite *s = suite_create("xmlmem");
    TCase *tc = tcase_create("xmlmem");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 900);
    tcase_add_test(tc, test_xmlmem_schema);
    tcase_add_test(tc, test_xmlmem_load_libxml2);
    tcase_add_test(tc, test_xmlmem_load_zaakflow);
    tcase_add_test(tc, test_xmlmem_calendar);
    tcase_add_test(tc, test_xmlmem_scenario);
    tcase_add_test(tc, test_xmlmem_restore);
    suite_add_tcase(s, tc);
    return th_run(s);
}
