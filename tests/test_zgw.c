/* ZGW: configuration reader, declarations, export, Zaak view, allocation failures,
 * misuse. */
#include "testhelp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void teardown(void) {
    th_alloc_reset();
}

static const char *const MIN_CONFIG =
    "{\"catalogus\": \"https://oz.example/catalogi/api/v1/catalogussen/"
    "7c0e6595-7a8a-4f9c-b2f0-f0a2c0a5c1d4\",\n"
    " \"zaken\": \"https://oz.example/zaken/api/v1\", \"rsin\": \"002220647\",\n"
    " \"defaults\": {\"vertrouwelijkheidaanduiding\": \"openbaar\", "
    "\"productenOfDiensten\": "
    "[],\n"
    "  \"verantwoordelijke\": \"Team\", \"referentieproces\": {\"naam\": \"R\"},\n"
    "  \"selectielijstProcestype\": \"https://sl.example/procestypen/1\",\n"
    "  \"beginGeldigheid\": \"2026-01-01\", \"versiedatum\": \"2026-01-01\",\n"
    "  \"roltypen\": {\"behandelaar\": \"behandelaar\"},\n"
    "  \"resultaattypen\": {\"*\": {\"resultaattypeomschrijving\": "
    "\"https://rl.example/1\",\n"
    "   \"selectielijstklasse\": \"https://sl.example/resultaten/1\", "
    "\"archiefnominatie\": \"vernietigen\",\n"
    "   \"archiefactietermijn\": \"P10Y\", \"afleidingswijze\": \"afgehandeld\"}}}}\n";

/* A small process: two statuses, a suspendable and extendable doorlooptijd term. */
static const char *const PROC =
    "<process xmlns=\"urn:zaakflow:process:1\" xmlns:zgw=\"urn:zaakflow:zgw:1\" "
    "id=\"mini\" "
    "version=\"1\" title=\"Mini\" initial=\"open\" zgw:doorlooptijd=\"t\">\n"
    "  <data><var id=\"ontvangen\" type=\"date\" required=\"true\"/>\n"
    "        <var id=\"ok\" type=\"bool\" default=\"false\"/></data>\n"
    "  <roles><role id=\"behandelaar\"/></roles>\n"
    "  <events><event id=\"opschorten\"/><event id=\"hervatten\"/><event "
    "id=\"verdagen\"/>"
    "<event id=\"klaar\"/></events>\n"
    "  <state id=\"open\" zgw:status=\"1\" zgw:omschrijving=\"Open\">\n"
    "    <term id=\"t\" from=\"ontvangen\" length=\"ok ? 8w : 6w\"><basis>Awb "
    "4:13</basis></term>\n"
    "    <transition event=\"opschorten\"><suspend term=\"t\"><basis>Awb "
    "4:15</basis></suspend></transition>\n"
    "    <transition event=\"hervatten\"><resume term=\"t\"/></transition>\n"
    "    <transition event=\"verdagen\"><extend term=\"t\" by=\"4w\"><basis>Awb "
    "4:14</basis></extend></transition>\n"
    "    <transition event=\"klaar\" target=\"klaar\"/>\n"
    "  </state>\n"
    "  <final id=\"klaar\" zgw:status=\"2\" outcome=\"afgehandeld\" "
    "zgw:resultaat=\"Afgehandeld\"/>\n"
    "</process>\n";

static char path_buf[256];

static const char *write_proc(const char *xml) {
    FILE *f;
    snprintf(path_buf, sizeof path_buf, "%s/zgw-test-%ld.xml",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (long)getpid());
    f = fopen(path_buf, "w");
    ck_assert_ptr_nonnull(f);
    fputs(xml, f);
    fclose(f);
    return path_buf;
}

static zf_zgw_config *config(void) {
    zf_zgw_config *c = NULL;
    zf_error err;
    ck_assert_int_eq(
        zf_zgw_config_parse(&c, MIN_CONFIG, strlen(MIN_CONFIG), "c.json", NULL, &err),
        ZF_OK);
    return c;
}

START_TEST(test_zgw_config_errors) {
    static const struct {
        const char *json;
        zf_code code;
        int line, column;
        const char *msg;
    } cases[] = {
        {"{\"rsin\": 1,}", ZF_EPARSE, 1, 12, "expected a key in double quotes"},
        {"{\"rsin\": \"002220647\", \"rsin\": \"002220647\"}", ZF_EPARSE, 1, 23,
         "duplicate key 'rsin'"},
        {"{\n  \"rsin\": \"12\"\n}", ZF_ESCHEMA, 2, 3,
         "rsin must be an RSIN of 9 digits"},
        {"{\"zaaktypen\": {\"x\": {\"omschrijving\": \"ë\", \"zaak\": 1}}}", ZF_ESCHEMA,
         1, 43, "unknown key 'zaaktypen.x.zaak'"},
        {"{\"defaults\": {\"doorlooptijd\": \"6w\"}}", ZF_ESCHEMA, 1, 15,
         "defaults.doorlooptijd must be an ISO 8601 duration"},
        {"[1, 2", ZF_EPARSE, 1, 6, "expected ',' or ']'"},
        {"\"\\ud800\"", ZF_EPARSE, 1, 8, "lone high surrogate"},
        {"{\"rsin\": \"\xff\"}", ZF_EPARSE, 1, 11, "invalid UTF-8"},
        /* found by fuzz/fuzz_zgwconfig.c: a backslash at the very end */
        {"{\"rsin\": \"x\\", ZF_EPARSE, 1, 13, "unterminated string"},
        /* numbers, literals and escapes are read before the keys are judged */
        {"{\"x\": [1.5e+3, -0, 2E-1, true, false, null, "
         "\"\\u00eb\\u20ac\\ud83d\\ude00\\n\"]}",
         ZF_ESCHEMA, 1, 2, "unknown key 'x'"},
        {"[1.]", ZF_EPARSE, 1, 4, "bad number"},
        {"[1e]", ZF_EPARSE, 1, 4, "bad number"},
        {"[tru]", ZF_EPARSE, 1, 2, ""},
        /* numbers, literals and escapes are read before the keys are judged */
        {"{\"x\": [1.5e+3, -0, 2E-1, true, false, null, "
         "\"\\u00eb\\u20ac\\ud83d\\ude00\\n\"]}",
         ZF_ESCHEMA, 1, 2, "unknown key 'x'"},
        {"[1.]", ZF_EPARSE, 1, 4, "bad number"},
        {"[1e]", ZF_EPARSE, 1, 4, "bad number"},
        {"[tru]", ZF_EPARSE, 1, 2, ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        zf_zgw_config *c = (zf_zgw_config *)1;
        zf_error err;
        zf_code rc = zf_zgw_config_parse(&c, cases[i].json, strlen(cases[i].json),
                                         "c.json", NULL, &err);
        ck_assert_msg(rc == cases[i].code, "case %zu: %d %s", i, rc, err.message);
        ck_assert_ptr_null(c);
        ck_assert_str_eq(err.file, "c.json");
        ck_assert_msg(err.line == cases[i].line && err.column == cases[i].column,
                      "case %zu: %d:%d %s", i, err.line, err.column, err.message);
        ck_assert_msg(strstr(err.message, cases[i].msg), "case %zu: %s", i, err.message);
    }
}
END_TEST

START_TEST(test_zgw_export_mini) {
    zf_zgw_process *p = NULL;
    zf_zgw_config *c = config();
    zf_buf b = ZF_BUF_INIT;
    zf_error err;
    const zf_zgw_process *ps[1];
    ck_assert_int_eq(zf_zgw_process_load(&p, write_proc(PROC), NULL, &err), ZF_OK);
    ps[0] = p;
    ck_assert_int_eq(zf_zgw_check(ps, 1, c, NULL, &err), ZF_OK);
    ck_assert_int_eq(zf_zgw_export(&b, ps, 1, c, ZF_ZGW_ZAAKTYPE, &err), ZF_OK);
    /* the longest branch of the conditional length, said so; Awb 4:14 verdaging */
    ck_assert_ptr_nonnull(strstr(b.ptr, "\"doorlooptijd\": \"P8W\""));
    ck_assert_ptr_nonnull(strstr(b.ptr, "(ok ? 8w : 6w)"));
    ck_assert_ptr_nonnull(strstr(b.ptr, "\"verlengingstermijn\": \"P4W\""));
    ck_assert_ptr_nonnull(strstr(b.ptr, "\"opschortingEnAanhoudingMogelijk\": true"));
    zf_buf_clear(&b);
    ck_assert_int_eq(zf_zgw_export(&b, ps, 1, c, ZF_ZGW_EIGENSCHAP, &err), ZF_OK);
    ck_assert_ptr_nonnull(strstr(b.ptr, "\"formaat\": \"datum\""));
    ck_assert_ptr_nonnull(strstr(b.ptr, "\"true\",\n"));
    ck_assert_str_eq(zf_zgw_resource_name(ZF_ZGW_RESULTAATTYPE), "ResultaatType");
    ck_assert_ptr_null(zf_zgw_resource_name(ZF_ZGW_RESOURCE_COUNT));
    ck_assert_int_eq(zf_zgw_export(&b, ps, 1, c, ZF_ZGW_RESOURCE_COUNT, &err), ZF_EINVAL);
    zf_buf_dispose(&b);
    zf_zgw_config_free(c);
    zf_zgw_process_free(p);
    remove(path_buf);
}
END_TEST

/* The definition and its zgw: declarations come from one read of the file: the
 * definition is the one zf_definition_load() makes of it (the same canonical hash,
 * which is not the SHA-256 of the file, nor changed by a comment or by the
 * declarations), and an error of the definition itself is reported with its
 * position as zf_definition_load() reports it. */
START_TEST(test_zgw_one_read) {
    static const char *const edits[][2] = {
        {"<process ", "<!-- a comment -->\n<process "},
        {"zgw:omschrijving=\"Open\"", "zgw:omschrijving=\"In behandeling\""},
    };
    zf_zgw_process *p = NULL;
    zf_definition *d = NULL;
    zf_error err, err2;
    char hash[65], xml[4096], *at;
    ck_assert_int_eq(zf_zgw_process_load(&p, write_proc(PROC), NULL, &err), ZF_OK);
    ck_assert_int_eq(zf_definition_load(&d, path_buf, NULL, &err), ZF_OK);
    ck_assert_str_eq(zf_definition_hash(zf_zgw_process_definition(p)),
                     zf_definition_hash(d));
    ck_assert_str_eq(zf_definition_id(zf_zgw_process_definition(p)), "mini");
    strcpy(hash, zf_definition_hash(d));
    zf_definition_free(d);
    zf_zgw_process_free(p);
    for (size_t i = 0; i < sizeof edits / sizeof edits[0]; i++) {
        at = strstr(PROC, edits[i][0]);
        ck_assert_ptr_nonnull(at);
        snprintf(xml, sizeof xml, "%.*s%s%s", (int)(at - PROC), PROC, edits[i][1],
                 at + strlen(edits[i][0]));
        ck_assert_int_eq(zf_zgw_process_load(&p, write_proc(xml), NULL, &err), ZF_OK);
        ck_assert_str_eq(zf_definition_hash(zf_zgw_process_definition(p)), hash);
        zf_zgw_process_free(p);
    }
    /* A definition error: the same finding, with file:line:column. */
    at = strstr(PROC, "target=\"klaar\"");
    snprintf(xml, sizeof xml, "%.*starget=\"weg\"%s", (int)(at - PROC), PROC,
             at + strlen("target=\"klaar\""));
    ck_assert_int_eq(zf_zgw_process_load(&p, write_proc(xml), NULL, &err), ZF_ESEMANTIC);
    ck_assert_ptr_null(p);
    ck_assert_int_eq(zf_definition_load(&d, path_buf, NULL, &err2), ZF_ESEMANTIC);
    ck_assert_str_eq(err.message, err2.message);
    ck_assert_str_eq(err.file, path_buf);
    ck_assert_int_eq(err.line, err2.line);
    ck_assert_int_eq(err.column, err2.column);
    ck_assert_int_gt(err.line, 0);
    remove(path_buf);
}
END_TEST

START_TEST(test_zgw_declaration_errors) {
    static const struct {
        const char *from, *to, *msg;
    } cases[] = {
        {"<final id=\"klaar\"", "<final id=\"weg\"/><final id=\"klaar\"",
         "final state 'weg' must have the end status (zgw:status=\"2\")"},
        {"zgw:status=\"1\" zgw:omschrijving", "zgw:status=\"2\" zgw:omschrijving",
         "state 'open' has the end status but is not a final state"},
        {"zgw:doorlooptijd=\"t\"", "zgw:doorlooptijd=\"x\"",
         "zgw:doorlooptijd names term 'x', which is not declared"},
        {"zgw:resultaat=\"Afgehandeld\"",
         "zgw:resultaat=\"Afgehandeld zonder verdere tussenkomst\"",
         "has more than 30 characters"},
        {"<var id=\"ok\"", "<var id=\"ok\" zgw:naam=\"x\"",
         "attribute zgw:naam is not allowed on <var>"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char xml[4096], *at;
        zf_zgw_process *p = NULL;
        zf_error err;
        at = strstr(PROC, cases[i].from);
        ck_assert_ptr_nonnull(at);
        snprintf(xml, sizeof xml, "%.*s%s%s", (int)(at - PROC), PROC, cases[i].to,
                 at + strlen(cases[i].from));
        ck_assert_int_eq(zf_zgw_process_load(&p, write_proc(xml), NULL, &err),
                         ZF_ESEMANTIC);
        ck_assert_ptr_null(p);
        ck_assert_msg(strstr(err.message, cases[i].msg), "case %zu: %s", i, err.message);
        ck_assert_int_gt(err.line, 0);
    }
    remove(path_buf);
}
END_TEST

static zf_instance *run_mini(const zf_zgw_process *p) {
    zf_instance *inst = NULL;
    zf_date d;
    zf_error err;
    zf_param_value v[] = {{"ontvangen", zf_value_string("2026-03-02")}};
    zf_date_parse(&d, "2026-03-02", NULL);
    ck_assert_int_eq(
        zf_instance_new(&inst, zf_zgw_process_definition(p), d, v, 1, NULL, &err), ZF_OK);
    ck_assert_int_eq(zf_instance_fire(inst, "opschorten", d + 7, NULL, NULL, 0, &err),
                     ZF_OK);
    ck_assert_int_eq(zf_instance_fire(inst, "hervatten", d + 14, NULL, NULL, 0, &err),
                     ZF_OK);
    ck_assert_int_eq(zf_instance_fire(inst, "verdagen", d + 14, NULL, NULL, 0, &err),
                     ZF_OK);
    ck_assert_int_eq(zf_instance_advance(inst, d + 20, &err), ZF_OK);
    return inst;
}

START_TEST(test_zgw_case_view) {
    zf_zgw_process *p = NULL;
    zf_zgw_config *c = config();
    zf_instance *inst;
    zf_buf b = ZF_BUF_INIT;
    zf_zgw_case_options o = ZF_ZGW_CASE_OPTIONS_INIT;
    zf_error err;
    ck_assert_int_eq(zf_zgw_process_load(&p, write_proc(PROC), NULL, &err), ZF_OK);
    inst = run_mini(p);
    ck_assert_int_eq(zf_zgw_case(&b, inst, p, c, &o, &err), ZF_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.message, "opts->zaak"));
    ck_assert_ptr_null(b.ptr);
    o.zaak = "https://oz.example/zaken/api/v1/zaken/1";
    ck_assert_int_eq(zf_zgw_case(&b, inst, p, c, &o, &err), ZF_OK);
    /* six weeks from 2026-03-02 is 2026-04-13; suspended 7 days (Awb 4:15, the day of
     * resumption not counted) and extended by four weeks (Awb 4:14 lid 3) */
    ck_assert_ptr_nonnull(strstr(b.ptr, "\"verlenging\": {\n      \"reden\""));
    ck_assert_ptr_nonnull(strstr(b.ptr, "\"duur\": \"P4W\""));
    ck_assert_ptr_nonnull(
        strstr(b.ptr, "\"datumStatusGezet\": \"2026-03-02T00:00:00+01:00\""));
    ck_assert_ptr_nonnull(strstr(b.ptr, "\"resultaat\": null"));
    zf_buf_clear(&b);
    ck_assert_int_eq(zf_zgw_case_requests(&b, inst, p, c, &o, &err), ZF_OK);
    ck_assert_ptr_nonnull(strstr(b.ptr, "\"through\": 4"));
    /* entry 3 (resumed) and 4 (extended) share their date: no cut between them */
    zf_buf_clear(&b);
    o.after = 3;
    ck_assert_int_eq(zf_zgw_case_requests(&b, inst, p, c, &o, &err), ZF_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.message, "synchronise whole dates"));
    o.after = 99;
    ck_assert_int_eq(zf_zgw_case_requests(&b, inst, p, c, &o, &err), ZF_EINVAL);
    o.version = 7;
    o.after = 0;
    ck_assert_int_eq(zf_zgw_case(&b, inst, p, c, &o, &err), ZF_EINVAL);
    ck_assert_uint_eq(b.size, 0);
    zf_buf_dispose(&b);
    zf_instance_free(inst);
    zf_zgw_config_free(c);
    zf_zgw_process_free(p);
    remove(path_buf);
}
END_TEST

/* CEST from the day after the last Sunday of March to the last Sunday of October. */
START_TEST(test_zgw_amsterdam_offset) {
    static const struct {
        const char *day, *want;
    } cases[] = {{"2026-03-29", "+01:00"}, {"2026-03-30", "+02:00"},
                 {"2026-10-25", "+02:00"}, {"2026-10-26", "+01:00"},
                 {"2025-03-30", "+01:00"}, {"2025-03-31", "+02:00"}};
    zf_zgw_process *p = NULL;
    zf_zgw_config *c = config();
    zf_zgw_case_options o = ZF_ZGW_CASE_OPTIONS_INIT;
    zf_error err;
    o.zaak = "https://oz.example/zaken/api/v1/zaken/1";
    ck_assert_int_eq(zf_zgw_process_load(&p, write_proc(PROC), NULL, &err), ZF_OK);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        zf_instance *inst = NULL;
        zf_buf b = ZF_BUF_INIT;
        zf_date d;
        char want[64];
        zf_param_value v[] = {{"ontvangen", zf_value_string(cases[i].day)}};
        zf_date_parse(&d, cases[i].day, NULL);
        ck_assert_int_eq(
            zf_instance_new(&inst, zf_zgw_process_definition(p), d, v, 1, NULL, &err),
            ZF_OK);
        ck_assert_int_eq(zf_zgw_case(&b, inst, p, c, &o, &err), ZF_OK);
        snprintf(want, sizeof want, "\"%sT00:00:00%s\"", cases[i].day, cases[i].want);
        ck_assert_msg(strstr(b.ptr, want), "%s", cases[i].day);
        zf_buf_dispose(&b);
        zf_instance_free(inst);
    }
    zf_zgw_config_free(c);
    zf_zgw_process_free(p);
    remove(path_buf);
}
END_TEST

START_TEST(test_zgw_misuse) {
    zf_zgw_config *c = config();
    zf_buf b = ZF_BUF_INIT;
    zf_error err;
    const zf_zgw_process *bad[1] = {(const zf_zgw_process *)c};
    zf_zgw_case_options o = ZF_ZGW_CASE_OPTIONS_INIT;
    ck_assert_int_eq(zf_zgw_config_parse(NULL, "{}", 2, NULL, NULL, &err), ZF_EINVAL);
    ck_assert_int_eq(zf_zgw_config_load(NULL, "x", NULL, &err), ZF_EINVAL);
    ck_assert_int_eq(zf_zgw_process_load(NULL, "x", NULL, &err), ZF_EINVAL);
    ck_assert_int_eq(zf_zgw_check(NULL, 1, c, NULL, &err), ZF_EINVAL);
    ck_assert_int_eq(zf_zgw_check(bad, 1, c, NULL, &err), ZF_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.message, "procs[0]"));
    ck_assert_int_eq(zf_zgw_export(&b, NULL, 0, NULL, ZF_ZGW_ZAAKTYPE, &err), ZF_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.message, "cfg"));
    ck_assert_int_eq(zf_zgw_export(NULL, NULL, 0, c, ZF_ZGW_ZAAKTYPE, &err), ZF_EINVAL);
    ck_assert_int_eq(zf_zgw_export_requests(&b, bad, 1, c, &err), ZF_EINVAL);
    ck_assert_int_eq(zf_zgw_case(&b, NULL, NULL, c, &o, &err), ZF_EINVAL);
    ck_assert_int_eq(zf_zgw_case_requests(&b, NULL, NULL, c, &o, &err), ZF_EINVAL);
    ck_assert_ptr_null(zf_zgw_process_definition(NULL));
    ck_assert_uint_eq(b.size, 0);
    zf_zgw_process_free(NULL);
    zf_zgw_config_free(NULL);
    zf_zgw_config_free(c);
}
END_TEST

/* Fail allocation n = 0, 1, 2, ... : every failure is ZF_ENOMEM, leaks nothing and
 * leaves the output buffer as it was. */
START_TEST(test_zgw_alloc_fail) {
    const char *path = write_proc(PROC);
    zf_zgw_process *p = NULL;
    zf_zgw_config *c = NULL;
    zf_instance *inst;
    zf_zgw_case_options o = ZF_ZGW_CASE_OPTIONS_INIT;
    zf_error err;
    long n;
    o.zaak = "https://oz.example/zaken/api/v1/zaken/1";
    for (n = 0;; n++) {
        zf_code rc;
        th_alloc_fail_at(n);
        rc =
            zf_zgw_config_parse(&c, MIN_CONFIG, strlen(MIN_CONFIG), "c.json", NULL, &err);
        if (!th_alloc_failed()) {
            ck_assert_int_eq(rc, ZF_OK);
            break;
        }
        ck_assert_int_eq(rc, ZF_ENOMEM);
        ck_assert_ptr_null(c);
        ck_assert_int_eq(th_alloc_live(), 0);
    }
    th_alloc_reset();
    /* The loader compiles its schema once per process: not a leak of one load. */
    ck_assert_int_eq(zf_zgw_process_load(&p, path, NULL, &err), ZF_OK);
    zf_zgw_process_free(p);
    p = NULL;
    for (n = 0;; n++) {
        zf_code rc;
        th_alloc_fail_at(n);
        rc = zf_zgw_process_load(&p, path, NULL, &err);
        if (!th_alloc_failed()) {
            ck_assert_int_eq(rc, ZF_OK);
            break;
        }
        ck_assert_int_eq(rc, ZF_ENOMEM);
        ck_assert_ptr_null(p);
        ck_assert_msg(th_alloc_live() == 0, "n=%ld: %ld blocks leaked", n,
                      th_alloc_live());
    }
    th_alloc_reset();
    inst = run_mini(p);
    for (int which = 0; which < 4; which++) {
        for (n = 0;; n++) {
            zf_buf b = ZF_BUF_INIT;
            const zf_zgw_process *ps[1] = {p};
            zf_code rc;
            zf_buf_puts(&b, "kept");
            th_alloc_fail_at(n);
            rc = which == 0   ? zf_zgw_export(&b, ps, 1, c, ZF_ZGW_ZAAKTYPE, &err)
                 : which == 1 ? zf_zgw_export_requests(&b, ps, 1, c, &err)
                 : which == 2 ? zf_zgw_case(&b, inst, p, c, &o, &err)
                              : zf_zgw_case_requests(&b, inst, p, c, &o, &err);
            if (!th_alloc_failed()) {
                th_alloc_reset();
                ck_assert_int_eq(rc, ZF_OK);
                zf_buf_dispose(&b);
                break;
            }
            th_alloc_reset();
            ck_assert_int_eq(rc, ZF_ENOMEM);
            ck_assert_str_eq(b.ptr, "kept");
            zf_buf_dispose(&b);
        }
    }
    zf_instance_free(inst);
    zf_zgw_process_free(p);
    zf_zgw_config_free(c);
    remove(path);
}
END_TEST

static Suite *zgw_suite(void) {
    Suite *s = suite_create("zgw");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_zgw_config_errors);
    tcase_add_test(tc, test_zgw_export_mini);
    tcase_add_test(tc, test_zgw_one_read);
    tcase_add_test(tc, test_zgw_declaration_errors);
    tcase_add_test(tc, test_zgw_case_view);
    tcase_add_test(tc, test_zgw_amsterdam_offset);
    tcase_add_test(tc, test_zgw_misuse);
    tcase_add_test(tc, test_zgw_alloc_fail);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) {
    return th_run(zgw_suite());
}
