#define _DEFAULT_SOURCE
/* The case store (libzaakflow-store) on a real database: a SQLite file in a
 * temporary directory, or the PostgreSQL server that tests/test_store_pg.sh
 * starts (ZF_PG_URL). */
#include "testhelp.h"
#include "store_int.h"
#include "sha256.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char url[1024];
static char tmpdir[256];
static zf_error err;

static int on_pg(void) {
    return getenv("ZF_PG_URL") && *getenv("ZF_PG_URL");
}

static zf_date D(const char *s) {
    zf_date d = ZF_DATE_NONE;
    ck_assert_int_eq(zf_date_parse(&d, s, NULL), ZF_OK);
    return d;
}

static zf_store *open_store_with(int64_t lease_ms, const char *owner) {
    zf_store_options o = ZF_STORE_OPTIONS_INIT;
    zf_store *st = NULL;
    o.lease_ms = lease_ms;
    o.owner = owner;
    ck_assert_msg(zf_store_open(&st, url, &o, &err) == ZF_OK, "open %s: %s", url,
                  err.message);
    return st;
}

static zf_store *open_store(void) {
    return open_store_with(0, NULL);
}

static void setup(void) {
    zf_error_clear(&err);
    if (on_pg()) {
        snprintf(url, sizeof url, "%s", getenv("ZF_PG_URL"));
        ck_assert_msg(zf__store_test_drop(url, &err) == ZF_OK, "%s", err.message);
        tmpdir[0] = '\0';
        return;
    }
    snprintf(tmpdir, sizeof tmpdir, "/tmp/zf-store-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
    snprintf(url, sizeof url, "sqlite:%s/cases.db", tmpdir);
}

static void teardown(void) {
    char cmd[400];
    th_alloc_reset();
    zf__store_test_fail_sql(-1);
    if (tmpdir[0]) {
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
        ck_assert_int_eq(system(cmd), 0);
    }
}

static void add_processes(zf_store *st) {
    static const char *const files[] = {
        "processes/bezwaar.xml", "processes/beroep.xml", "processes/hoger_beroep.xml",
        "processes/dwangsom.xml", "processes/wmo_melding.xml"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
        ck_assert_msg(
            zf_store_add_definition_file(NULL, st, th_srcpath(files[i]), &err) == ZF_OK,
            "%s: %s", files[i], err.message);
}

static char *dump(zf_store *st) {
    zf_buf b = ZF_BUF_INIT;
    char *s;
    ck_assert_int_eq(zf__store_test_dump(st, &b, &err), ZF_OK);
    s = strdup(b.ptr ? b.ptr : "");
    zf_buf_dispose(&b);
    return s;
}

/* Start a bezwaar case: the decision was sent on 2 January 2026. */
static int64_t start_bezwaar(zf_store *st, const char *verzonden, zf_code want) {
    zf_param_value vars[2] = {{"verzonden", zf_value_string(verzonden)},
                              {"commissie_gemeld", zf_value_bool(1)}};
    zf_store_step step;
    zf_code rc = zf_store_start(&step, st, "bezwaar", D(verzonden), vars, 2, &err);
    ck_assert_msg(rc == want, "start: %s (%s)", err.message, zf_code_name(rc));
    return rc == ZF_OK ? step.case_id : 0;
}

static const char *const BEHANDELAAR[] = {"behandelaar"};
static const char *const COLLEGE[] = {"college"};

static zf_code ontvangen(zf_store *st, int64_t id, int64_t rev, const char *date,
                         zf_store_step *step) {
    zf_actor jan = {"jan", BEHANDELAAR, 1};
    zf_param_value p[2] = {{"ontvangen", zf_value_string(date)},
                           {"per_post", zf_value_bool(0)}};
    return zf_store_fire(step, st, id, rev, "bezwaarschrift_ontvangen", D(date), &jan, p,
                         2, &err);
}

/* ------------------------------------------------------------------------------------ */

START_TEST(test_store_open_and_urls) {
    zf_store *st = NULL;
    zf_store_options bad = ZF_STORE_OPTIONS_INIT;
    ck_assert_int_eq(zf_store_open(NULL, url, NULL, &err), ZF_EINVAL);
    ck_assert_int_eq(zf_store_open(&st, NULL, NULL, &err), ZF_EINVAL);
    ck_assert_str_eq(err.message, "url is NULL");
    ck_assert_int_eq(zf_store_open(&st, "mysql://x", NULL, &err), ZF_EINVAL);
    ck_assert_ptr_null(st);
    ck_assert_int_eq(zf_store_open(&st, "sqlite:", NULL, &err), ZF_EINVAL);
    ck_assert_int_eq(zf_store_open(&st, "sqlite:/nonexistent/dir/x.db", NULL, &err),
                     ZF_EDATABASE);
    ck_assert_ptr_null(st);
    bad.version = 99;
    ck_assert_int_eq(zf_store_open(&st, url, &bad, &err), ZF_EINVAL);
    st = open_store();
    ck_assert_str_eq(zf_store_driver(st), on_pg() ? "postgresql" : "sqlite");
    ck_assert_int_eq(zf_store_has_driver("sqlite"), 1);
    ck_assert_int_eq(zf_store_has_driver("oracle"), 0);
    ck_assert_int_eq(zf_store_has_driver(NULL), 0);
    zf_store_free(st);
    /* Opened again: the schema is there and current. */
    st = open_store();
    zf_store_free(st);
    zf_store_free(NULL);
    ck_assert_ptr_null(zf_store_driver(NULL));
}
END_TEST

START_TEST(test_store_schema_newer_than_library) {
    zf_store *st = open_store();
    ck_assert_int_eq(zf__store_test_exec(st, "UPDATE zf_schema SET version = 99", &err),
                     ZF_OK);
    zf_store_free(st);
    st = NULL;
    ck_assert_int_eq(zf_store_open(&st, url, NULL, &err), ZF_EDATABASE);
    ck_assert_str_eq(err.message,
                     "the store has schema version 99; this library knows up to 3");
    ck_assert_ptr_null(st);
}
END_TEST

/* A file's bytes (malloc'd, NUL-terminated). */
static char *slurp(const char *rel) {
    FILE *f = fopen(th_srcpath(rel), "rb");
    char *s;
    long n;
    ck_assert_ptr_nonnull(f);
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    rewind(f);
    s = malloc((size_t)n + 1);
    ck_assert_int_eq(fread(s, 1, (size_t)n, f), (size_t)n);
    s[n] = '\0';
    fclose(f);
    return s;
}

/* `text` with its first `from` replaced by `to` (malloc'd). */
static char *edit(const char *text, const char *from, const char *to) {
    const char *at = strstr(text, from);
    char *s;
    ck_assert_msg(at != NULL, "'%s' not found", from);
    s = malloc(strlen(text) + strlen(to) + 1);
    memcpy(s, text, (size_t)(at - text));
    strcpy(s + (at - text), to);
    strcat(s, at + strlen(from));
    return s;
}

/* SQL text literal of s, appended. */
static void sql_text(zf_buf *sql, const char *s) {
    zf_buf_put(sql, "'", 1);
    for (const char *p = s; *p; p++)
        zf_buf_put(sql, *p == '\'' ? "''" : p, *p == '\'' ? 2 : 1);
    zf_buf_put(sql, "'", 1);
}

/* A definition's row as a store of schema version 1 held it: keyed by `hash`
   (the SHA-256 of the text, as libraries before the canonical hash keyed it,
   when NULL), without a validity. */
static void old_definition(zf_store *st, const char *xml, const char *hash) {
    zf_definition *def = th_parse(xml);
    zf_buf sql = ZF_BUF_INIT;
    char file_hash[65];
    zf__sha256_hex(xml, strlen(xml), file_hash);
    zf_buf_puts(&sql, "INSERT INTO zf_definitions (hash, process, version, title, xml) "
                      "VALUES (");
    sql_text(&sql, hash ? hash : file_hash);
    zf_buf_puts(&sql, ", ");
    sql_text(&sql, zf_definition_id(def));
    zf_buf_puts(&sql, ", ");
    sql_text(&sql, zf_definition_version(def));
    zf_buf_puts(&sql, ", 'x', ");
    sql_text(&sql, xml);
    zf_buf_puts(&sql, ")");
    ck_assert_msg(zf__store_test_exec(st, sql.ptr, &err) == ZF_OK, "%s", err.message);
    zf_buf_dispose(&sql);
    zf_definition_free(def);
}

/* A case of the definition `xml` as a store of schema version 1 held it: its
   snapshot (naming `hash`, else the definition's hash) and its first running
   term's due row, without the party (version 2 added it). */
static void old_case(zf_store *st, const char *xml, const char *hash, zf_date date,
                     const zf_param_value *vars, size_t nvars) {
    zf_definition *def = th_parse(xml);
    zf_instance *inst = NULL;
    zf_buf snap = ZF_BUF_INIT, sql = ZF_BUF_INIT;
    const char *term = NULL;
    char d[ZF_DATE_BUFSIZE], due[ZF_DATE_BUFSIZE];
    zf_instance_options o = ZF_INSTANCE_OPTIONS_INIT;
    o.journal = 0;
    ck_assert_int_eq(zf_instance_new(&inst, def, date, vars, nvars, &o, &err), ZF_OK);
    ck_assert_int_eq(zf_instance_snapshot(&snap, inst, &err), ZF_OK);
    if (hash) {
        char *at = strstr(snap.ptr, zf_definition_hash(def));
        ck_assert_ptr_nonnull(at);
        memcpy(at, hash, 64);
    }
    zf_date_format(d, date);
    zf_date_format(due, zf_instance_next_due(inst, &term));
    zf_buf_puts(&sql,
                "INSERT INTO zf_cases (process, hash, revision, started, case_date, "
                "active, finished, next_due, next_term, snapshot) VALUES (");
    sql_text(&sql, zf_definition_id(def));
    zf_buf_printf(&sql, ", '%s', 1, '%s', '%s', ", hash ? hash : zf_definition_hash(def),
                  d, d);
    sql_text(&sql, zf_instance_active_id(inst, 0));
    zf_buf_printf(&sql, ", 0, '%s', '%s', ", due, term);
    sql_text(&sql, snap.ptr);
    zf_buf_printf(&sql,
                  ");"
                  "INSERT INTO zf_due (case_id, term, ord, process, last_day, title) "
                  "SELECT MAX(id), '%s', 0, '%s', '%s', 't' FROM zf_cases;",
                  term, zf_definition_id(def), due);
    ck_assert_msg(zf__store_test_exec(st, sql.ptr, &err) == ZF_OK, "%s", err.message);
    zf_buf_dispose(&sql);
    zf_buf_dispose(&snap);
    zf_instance_free(inst);
    zf_definition_free(def);
}

/* A store made at schema version 1 (before the party of terms, the compact
   form, the canonical hash and the validity) is upgraded on open: two texts of
   one meaning (bezwaar.xml, and the same with a comment), keyed by their
   files' SHA-256, become one definition under the canonical hash; the 2018
   dwangsom gets its validity; its case's due row gets who must act; its case
   is read and changed. */
START_TEST(test_store_upgrade_from_version_1) {
    zf_store *st = NULL;
    zf_store_list *l = NULL;
    zf_store_case *c = NULL;
    zf_store_step step;
    const zf_definition *def, *dw;
    char *xml = slurp("processes/bezwaar.xml"), *after;
    char *xml2 = edit(xml, "<process ", "<!-- the same meaning -->\n<process ");
    char *dwx = slurp("processes/dwangsom_2018.xml");
    zf_param_value vars[2] = {{"beslistermijn_einde", zf_value_string("2018-05-01")},
                              {"ontvangen", zf_value_string("2018-05-10")}};
    ck_assert_int_eq(zf__store_test_open_at(&st, url, 1, &err), ZF_OK);
    ck_assert_int_ne(zf__store_test_exec(st, "SELECT party FROM zf_due", &err), ZF_OK);
    zf_error_clear(&err);
    ck_assert_int_ne(zf__store_test_exec(st, "SELECT compact FROM zf_cases", &err),
                     ZF_OK);
    zf_error_clear(&err);
    ck_assert_int_ne(
        zf__store_test_exec(st, "SELECT valid_from FROM zf_definitions", &err), ZF_OK);
    zf_error_clear(&err);
    old_definition(st, xml, NULL);
    old_definition(st, xml2, NULL);
    {
        zf_definition *d = th_parse(dwx);
        old_definition(st, dwx, zf_definition_hash(d));
        zf_definition_free(d);
    }
    old_case(st, dwx, NULL, D("2018-05-10"), vars, 2);
    zf_store_free(st);
    /* Opened by this library: upgraded to version 3. */
    st = open_store();
    ck_assert_int_eq(zf__store_test_exec(st, "SELECT party FROM zf_due", &err), ZF_OK);
    ck_assert_int_eq(zf__store_test_exec(st, "SELECT compact FROM zf_cases", &err),
                     ZF_OK);
    after = dump(st);
    ck_assert_ptr_nonnull(strstr(after, "SELECT version FROM zf_schema\n3\n"));
    ck_assert_int_eq(zf_store_definition(&def, st, "bezwaar", &err), ZF_OK);
    {
        /* One bezwaar row, under the canonical hash. */
        char row[200];
        snprintf(row, sizeof row, "|%s|bezwaar|2026.1|", zf_definition_hash(def));
        ck_assert_ptr_nonnull(strstr(after, row));
        ck_assert_ptr_null(strstr(strstr(after, row) + strlen(row), "|bezwaar|2026.1|"));
    }
    free(after);
    /* The 2018 dwangsom has its validity, and is picked by it. */
    ck_assert_int_eq(zf_store_pick(&dw, st, "dwangsom", D("2018-05-10"), &err), ZF_OK);
    ck_assert_str_eq(zf_definition_version(dw), "2018.1");
    ck_assert_int_eq(zf_store_pick(&dw, st, "dwangsom", D("2019-01-01"), &err),
                     ZF_ENOTFOUND);
    ck_assert_int_eq(zf_store_due(&l, st, D("2026-12-31"), NULL, 0, &err), ZF_OK);
    ck_assert_uint_eq(zf_store_list_count(l), 1);
    /* The upgrade filled in who must act, from the definition (Awb 4:17 lid 3:
       the administrative body decides within two weeks of the ingebrekestelling). */
    ck_assert_str_eq(zf_store_list_due(l, 0)->party, "bestuursorgaan");
    zf_store_list_free(l);
    ck_assert_int_eq(zf_store_cases(&l, st, NULL, ZF_STORE_ALL, 0, 0, &err), ZF_OK);
    ck_assert_uint_eq(zf_store_list_count(l), 1);
    ck_assert_msg(zf_store_read(&c, st, zf_store_list_case(l, 0)->id, &err) == ZF_OK,
                  "%s", err.message);
    ck_assert_str_eq(zf_store_case_summary(c)->version, "2018.1");
    zf_store_case_free(c);
    /* The upgraded store works. */
    ck_assert_msg(zf_store_expire(&step, st, zf_store_list_case(l, 0)->id,
                                  D("2018-06-01"), &err) == ZF_OK,
                  "%s", err.message);
    ck_assert_int_eq(step.revision, 2);
    zf_store_list_free(l);
    start_bezwaar(st, "2026-01-05", ZF_OK);
    zf_store_free(st);
    free(xml);
    free(xml2);
    free(dwx);
}
END_TEST

/* A case whose snapshot the strict reader refuses (here one naming its
   definition file's SHA-256, as snapshots before the canonical hash did; they
   lacked the digest of the strict reader too) cannot be carried over: the
   upgrade fails, naming it, and the store stays as it was, at version 1. */
START_TEST(test_store_upgrade_refuses_a_case_it_cannot_read) {
    zf_store *st = NULL;
    zf_store_list *l = NULL;
    char *xml = slurp("processes/bezwaar.xml"), file_hash[65];
    zf_param_value vars[2] = {{"verzonden", zf_value_string("2026-01-02")},
                              {"commissie_gemeld", zf_value_bool(1)}};
    zf__sha256_hex(xml, strlen(xml), file_hash);
    ck_assert_int_eq(zf__store_test_open_at(&st, url, 1, &err), ZF_OK);
    old_definition(st, xml, NULL);
    old_case(st, xml, file_hash, D("2026-01-02"), vars, 2);
    zf_store_free(st);
    st = NULL;
    ck_assert_int_eq(zf_store_open(&st, url, NULL, &err), ZF_EDATABASE);
    ck_assert_ptr_null(st);
    ck_assert_msg(strncmp(err.message, "case 1 cannot be carried over: ", 31) == 0, "%s",
                  err.message);
    /* Still version 1, its case under the old key. */
    ck_assert_int_eq(zf__store_test_open_at(&st, url, 1, &err), ZF_OK);
    ck_assert_int_ne(
        zf__store_test_exec(st, "SELECT valid_from FROM zf_definitions", &err), ZF_OK);
    zf_error_clear(&err);
    ck_assert_int_ne(zf__store_test_exec(st, "SELECT party FROM zf_due", &err), ZF_OK);
    zf_error_clear(&err);
    ck_assert_int_eq(zf_store_cases(&l, st, NULL, ZF_STORE_ALL, 0, 0, &err), ZF_OK);
    ck_assert_uint_eq(zf_store_list_count(l), 1);
    ck_assert_str_eq(zf_store_list_case(l, 0)->hash, file_hash);
    zf_store_list_free(l);
    zf_store_free(st);
    free(xml);
}
END_TEST

/* Versions side by side, as a zf_registry holds them: picked by their validity,
   conflicts refused, a validity given to a stored version afterwards. */
START_TEST(test_store_versions) {
    zf_store *st = open_store();
    const zf_definition *d = NULL, *d18 = NULL, *d26 = NULL;
    zf_store_step step;
    zf_store_case *c = NULL;
    zf_param_value vars[3] = {{"beslistermijn_einde", zf_value_string("2018-05-01")},
                              {"ontvangen", zf_value_string("2018-05-10")},
                              {"wet", zf_value_string("overig")}};
    char *dw = slurp("processes/dwangsom.xml"), *bz = slurp("processes/bezwaar.xml");
    char *before, *x;
    ck_assert_int_eq(zf_store_add_definition_file(
                         &d26, st, th_srcpath("processes/dwangsom.xml"), &err),
                     ZF_OK);
    ck_assert_int_eq(zf_store_add_definition_file(
                         &d18, st, th_srcpath("processes/dwangsom_2018.xml"), &err),
                     ZF_OK);
    /* Picked by date (inclusive bounds): 2018.1 until 2018-12-31, 2026.1 from
       2019-01-01 (Awb 4:17 lid 2, the amounts of 1 January 2019). */
    ck_assert_int_eq(zf_store_pick(&d, st, "dwangsom", D("2018-12-31"), &err), ZF_OK);
    ck_assert_ptr_eq(d, d18);
    ck_assert_int_eq(zf_store_pick(&d, st, "dwangsom", D("2019-01-01"), &err), ZF_OK);
    ck_assert_ptr_eq(d, d26);
    ck_assert_int_eq(zf_store_pick(&d, st, "dwangsom", D("2009-09-30"), &err),
                     ZF_ENOTFOUND);
    ck_assert_str_eq(err.message, "no version of process 'dwangsom' is valid on "
                                  "2009-09-30 (2026.1 from 2019-01-01; 2018.1 "
                                  "2009-10-01 to 2018-12-31)");
    ck_assert_ptr_null(d);
    ck_assert_int_eq(zf_store_pick(&d, st, "geen", D("2019-01-01"), &err), ZF_ENOTFOUND);
    ck_assert_int_eq(zf_store_pick(&d, st, "dwangsom@2018.1", D("2026-01-01"), &err),
                     ZF_OK);
    ck_assert_ptr_eq(d, d18);
    /* By name: a process id stands for its only version. */
    ck_assert_int_eq(zf_store_definition(&d, st, "dwangsom", &err), ZF_ESEMANTIC);
    ck_assert_str_eq(err.message, "the store has 2 versions of process 'dwangsom': name "
                                  "one ('dwangsom@2018.1') or pick one by date");
    ck_assert_int_eq(zf_store_definition(&d, st, "dwangsom@2026.1", &err), ZF_OK);
    ck_assert_ptr_eq(d, d26);
    ck_assert_int_eq(zf_store_definition(&d, st, "dwangsom@2020.1", &err), ZF_ENOTFOUND);
    /* A case starts on the version valid on its start date. */
    ck_assert_int_eq(
        zf_store_start(&step, st, "dwangsom", D("2018-05-10"), vars, 3, &err), ZF_OK);
    ck_assert_int_eq(zf_store_read(&c, st, step.case_id, &err), ZF_OK);
    ck_assert_str_eq(zf_store_case_summary(c)->version, "2018.1");
    zf_store_case_free(c);

    /* Refused, nothing changed: an overlapping validity, or one version with
       two meanings (zf_registry_take()). */
    before = dump(st);
    x = edit(dw, "version=\"2026.1\"", "version=\"2027.1\"");
    ck_assert_msg(zf_store_add_definition(NULL, st, x, strlen(x), "x.xml", &err) ==
                      ZF_ESEMANTIC,
                  "%s", err.message);
    ck_assert_ptr_nonnull(strstr(err.message, "overlaps"));
    ck_assert_str_eq(err.file, "x.xml");
    free(x);
    x = edit(dw, "<basis>", "<basis>Een andere betekenis; ");
    ck_assert_int_eq(zf_store_add_definition(NULL, st, x, strlen(x), "y.xml", &err),
                     ZF_ESEMANTIC);
    ck_assert_ptr_nonnull(strstr(err.message, "version '2026.1' is also defined"));
    free(x);
    {
        char *after = dump(st);
        ck_assert_str_eq(before, after);
        free(after);
    }
    free(before);

    /* The same meaning (a comment, another attribute order) is stored once. */
    x = edit(bz, "<process ", "<!-- tekst -->\n<process ");
    ck_assert_int_eq(
        zf_store_add_definition_file(&d, st, th_srcpath("processes/bezwaar.xml"), &err),
        ZF_OK);
    before = dump(st);
    ck_assert_int_eq(zf_store_add_definition(&d18, st, x, strlen(x), "z.xml", &err),
                     ZF_OK);
    ck_assert_ptr_eq(d, d18);
    {
        char *after = dump(st);
        ck_assert_str_eq(before, after);
        free(after);
    }
    free(before);
    free(x);
    /* A new version next to one without a validity: refused until the old one
       is given a valid-until (same meaning, same hash: its validity changes). */
    x = edit(bz, "version=\"2026.1\"", "version=\"2027.1\" valid-from=\"2027-01-01\"");
    ck_assert_int_eq(zf_store_add_definition(NULL, st, x, strlen(x), "n.xml", &err),
                     ZF_ESEMANTIC);
    {
        char *old = edit(bz, "version=\"2026.1\"",
                         "version=\"2026.1\" valid-until=\"2026-12-31\"");
        ck_assert_int_eq(
            zf_store_add_definition(&d18, st, old, strlen(old), "o.xml", &err), ZF_OK);
        ck_assert_str_eq(zf_definition_hash(d18), zf_definition_hash(d));
        ck_assert_int_eq(zf_definition_valid_until(d18), D("2026-12-31"));
        /* The one borrowed before stays valid. */
        ck_assert_str_eq(zf_definition_id(d), "bezwaar");
        free(old);
    }
    ck_assert_int_eq(zf_store_add_definition(&d26, st, x, strlen(x), "n.xml", &err),
                     ZF_OK);
    free(x);
    ck_assert_int_eq(zf_store_pick(&d, st, "bezwaar", D("2026-12-31"), &err), ZF_OK);
    ck_assert_ptr_eq(d, d18);
    ck_assert_int_eq(zf_store_pick(&d, st, "bezwaar", D("2027-01-01"), &err), ZF_OK);
    ck_assert_ptr_eq(d, d26);
    /* A fresh connection finds the validity in the store. */
    zf_store_free(st);
    st = open_store();
    ck_assert_int_eq(zf_store_pick(&d, st, "bezwaar", D("2026-12-31"), &err), ZF_OK);
    ck_assert_str_eq(zf_definition_version(d), "2026.1");
    ck_assert_int_eq(zf_definition_valid_until(d), D("2026-12-31"));
    start_bezwaar(st, "2027-01-04", ZF_OK);
    zf_store_free(st);
    free(dw);
    free(bz);
}
END_TEST

/* Two versions without a validity stand side by side (to restore old cases),
   but a start by process id cannot choose between them; by hash it can. A
   spawned case starts on the version valid on the day of the spawn. */
START_TEST(test_store_versions_ambiguous_and_spawn) {
    zf_store *st = open_store();
    const zf_definition *v1, *v2, *d;
    zf_store_step step;
    zf_store_list *l = NULL;
    zf_param_value vars[1] = {{"vanaf", zf_value_string("2026-01-20")}};
    char *h = slurp("tests/data/store/herinnering.xml");
    char *h1 = edit(h, "version=\"1\"", "version=\"1\" valid-until=\"2026-01-31\"");
    char *h2 = edit(h, "version=\"1\"", "version=\"2\" valid-from=\"2026-02-01\"");
    char *h3 = edit(h, "version=\"1\"", "version=\"3\"");
    ck_assert_int_eq(zf_store_add_definition(&v1, st, h1, strlen(h1), "h1.xml", &err),
                     ZF_OK);
    ck_assert_int_eq(zf_store_add_definition(&v2, st, h2, strlen(h2), "h2.xml", &err),
                     ZF_OK);
    /* Started on 20 January on version 1; its two weeks end on 3 February, the
       expiry on the 4th spawns the deelzaak, on version 2. */
    ck_assert_int_eq(
        zf_store_start(&step, st, "herinnering", D("2026-01-20"), vars, 1, &err), ZF_OK);
    ck_assert_int_eq(zf_store_expire(&step, st, step.case_id, D("2026-02-05"), &err),
                     ZF_OK);
    ck_assert_uint_eq(step.spawned, 1);
    ck_assert_int_eq(zf_store_cases(&l, st, "herinnering", ZF_STORE_ALL, 0, 0, &err),
                     ZF_OK);
    ck_assert_uint_eq(zf_store_list_count(l), 2);
    ck_assert_str_eq(zf_store_list_case(l, 0)->version, "1");
    ck_assert_str_eq(zf_store_list_case(l, 1)->version, "2");
    ck_assert_str_eq(zf_store_list_case(l, 1)->relation, "deelzaak");
    zf_store_list_free(l);
    /* Without validities: both valid. */
    zf_store_free(st);
    teardown();
    setup();
    st = open_store();
    ck_assert_int_eq(zf_store_add_definition(&v1, st, h, strlen(h), "h.xml", &err),
                     ZF_OK);
    ck_assert_int_eq(zf_store_add_definition(&v2, st, h3, strlen(h3), "h3.xml", &err),
                     ZF_OK);
    ck_assert_int_eq(
        zf_store_start(&step, st, "herinnering", D("2026-01-20"), vars, 1, &err),
        ZF_ESEMANTIC);
    ck_assert_str_eq(err.message,
                     "versions '1' and '3' of process 'herinnering' are both valid on "
                     "2026-01-20: give them a validity (valid-from, valid-until)");
    ck_assert_int_eq(
        zf_store_start(&step, st, zf_definition_hash(v2), D("2026-01-20"), vars, 1, &err),
        ZF_OK);
    ck_assert_int_eq(zf_store_definition(&d, st, "herinnering@3", &err), ZF_OK);
    ck_assert_ptr_eq(d, v2);
    zf_store_free(st);
    free(h);
    free(h1);
    free(h2);
    free(h3);
}
END_TEST

START_TEST(test_store_definitions) {
    zf_store *st = open_store();
    const zf_definition *a = NULL, *b = NULL, *c = NULL;
    char *before;
    static const char bad[] = "<process xmlns=\"urn:zaakflow:process:1\" id=\"x\"\n"
                              "  version=\"1\"><nonsense/></process>";
    ck_assert_int_eq(
        zf_store_add_definition_file(&a, st, th_srcpath("processes/bezwaar.xml"), &err),
        ZF_OK);
    ck_assert_str_eq(zf_definition_id(a), "bezwaar");
    /* Once per hash. */
    ck_assert_int_eq(
        zf_store_add_definition_file(&b, st, th_srcpath("processes/bezwaar.xml"), &err),
        ZF_OK);
    ck_assert_ptr_eq(a, b);
    ck_assert_int_eq(zf_store_definition(&c, st, "bezwaar", &err), ZF_OK);
    ck_assert_ptr_eq(a, c);
    ck_assert_int_eq(zf_store_definition(&c, st, zf_definition_hash(a), &err), ZF_OK);
    ck_assert_ptr_eq(a, c);
    ck_assert_int_eq(zf_store_definition(&c, st, "beroep", &err), ZF_ENOTFOUND);
    ck_assert_str_eq(err.message, "the store has no definition of 'beroep'");
    ck_assert_ptr_null(c);
    before = dump(st);
    ck_assert_int_eq(
        zf_store_add_definition(NULL, st, bad, sizeof bad - 1, "x.xml", &err),
        ZF_ESCHEMA);
    ck_assert_str_eq(err.file, "x.xml");
    ck_assert_int_eq(err.line, 2);
    ck_assert_int_eq(zf_store_add_definition_file(NULL, st, "/nonexistent.xml", &err),
                     ZF_EIO);
    {
        char *after = dump(st);
        ck_assert_str_eq(before, after);
        free(after);
    }
    /* A fresh connection compiles the stored text again, to the same hash. */
    zf_store_free(st);
    st = open_store();
    ck_assert_int_eq(zf_store_definition(&c, st, "bezwaar", &err), ZF_OK);
    ck_assert_str_eq(zf_definition_version(c), "2026.1");
    free(before);
    zf_store_free(st);
}
END_TEST

START_TEST(test_store_start_read_due_journal) {
    zf_store *st = open_store();
    zf_store_case *c = NULL;
    zf_store_list *l = NULL;
    const zf_store_case_info *ci;
    zf_buf snap = ZF_BUF_INIT;
    int64_t id;
    add_processes(st);
    id = start_bezwaar(st, "2026-01-02", ZF_OK);
    ck_assert_int_gt(id, 0);
    ck_assert_int_eq(zf_store_read(&c, st, id, &err), ZF_OK);
    ci = zf_store_case_summary(c);
    ck_assert_int_eq(ci->id, id);
    ck_assert_int_eq(ci->revision, 1);
    ck_assert_str_eq(ci->process, "bezwaar");
    ck_assert_str_eq(ci->version, "2026.1");
    ck_assert_int_eq(ci->started, D("2026-01-02"));
    ck_assert_int_eq(ci->date, D("2026-01-02"));
    ck_assert_str_eq(ci->active, "registratie");
    ck_assert_int_eq(ci->finished, 0);
    ck_assert_ptr_null(ci->outcome);
    ck_assert_int_eq(ci->parent, 0);
    ck_assert_ptr_null(ci->relation);
    /* Awb 6:7, 6:8: six weeks from 2 January 2026 end on 13 February. */
    ck_assert_int_eq(ci->next_due, D("2026-02-13"));
    ck_assert_str_eq(ci->next_term, "bezwaartermijn");
    /* The stored snapshot is the instance's, without a journal. */
    ck_assert_int_eq(zf_instance_snapshot(&snap, zf_store_case_instance(c), &err), ZF_OK);
    ck_assert_str_eq(snap.ptr, zf_store_case_snapshot(c));
    ck_assert_ptr_null(strstr(snap.ptr, "<journal>"));
    zf_buf_dispose(&snap);
    zf_store_case_free(c);
    ck_assert_int_eq(zf_store_read(&c, st, id + 100, &err), ZF_ENOTFOUND);
    ck_assert_ptr_null(c);

    /* The due report lists the running terms, by last day. */
    ck_assert_int_eq(zf_store_due(&l, st, D("2026-12-31"), NULL, 0, &err), ZF_OK);
    ck_assert_uint_eq(zf_store_list_count(l), 2);
    ck_assert_str_eq(zf_store_list_due(l, 0)->term, "bezwaartermijn");
    ck_assert_int_eq(zf_store_list_due(l, 0)->last_day, D("2026-02-13"));
    ck_assert_str_eq(zf_store_list_due(l, 0)->process, "bezwaar");
    ck_assert_int_eq(zf_store_list_due(l, 0)->case_id, id);
    ck_assert_ptr_nonnull(zf_store_list_due(l, 0)->basis);
    ck_assert_str_eq(zf_store_list_due(l, 1)->term, "postontvangsttermijn");
    ck_assert_ptr_null(zf_store_list_due(l, 2));
    ck_assert_ptr_null(zf_store_list_case(l, 0));
    zf_store_list_free(l);
    ck_assert_int_eq(zf_store_due(&l, st, D("2026-02-12"), NULL, 0, &err), ZF_OK);
    ck_assert_uint_eq(zf_store_list_count(l), 0);
    zf_store_list_free(l);
    ck_assert_int_eq(zf_store_due(&l, st, D("2026-02-13"), NULL, 1, &err), ZF_OK);
    ck_assert_uint_eq(zf_store_list_count(l), 1);
    zf_store_list_free(l);

    /* The journal: the start of the case. */
    ck_assert_int_eq(zf_store_journal(&l, st, id, &err), ZF_OK);
    ck_assert_uint_eq(zf_store_list_count(l), 1);
    {
        const zf_store_journal_entry *e = zf_store_list_journal(l, 0);
        const zf_journal_item *it;
        ck_assert_int_eq(e->seq, 1);
        ck_assert_int_eq(e->revision, 1);
        ck_assert_ptr_null(e->event);
        ck_assert_int_eq(e->date, D("2026-01-02"));
        ck_assert_uint_gt(e->nitems, 1);
        int entered = 0;
        for (size_t j = 0; j < e->nitems; j++) {
            it = zf_store_list_journal_item(l, 0, j);
            ck_assert_ptr_nonnull(it);
            entered +=
                it->kind == ZF_JOURNAL_ENTERED && strcmp(it->name, "registratie") == 0;
        }
        ck_assert_int_eq(entered, 1);
        ck_assert_ptr_null(zf_store_list_journal_item(l, 0, e->nitems));
    }
    zf_store_list_free(l);
    ck_assert_int_eq(zf_store_journal(&l, st, id + 100, &err), ZF_ENOTFOUND);
    ck_assert_ptr_null(l);

    ck_assert_int_eq(zf_store_cases(&l, st, NULL, ZF_STORE_ALL, 0, 0, &err), ZF_OK);
    ck_assert_uint_eq(zf_store_list_count(l), 1);
    ck_assert_str_eq(zf_store_list_case(l, 0)->active, "registratie");
    zf_store_list_free(l);
    zf_store_free(st);
}
END_TEST

/* The journal of the store holds what the instance's own journal holds. */
START_TEST(test_store_journal_matches_instance) {
    zf_store *st = open_store();
    zf_store_list *l = NULL;
    zf_store_step step;
    const zf_definition *def;
    zf_instance *inst = NULL;
    zf_param_value vars[2] = {{"verzonden", zf_value_string("2026-01-02")},
                              {"commissie_gemeld", zf_value_bool(1)}};
    zf_actor jan = {"jan", BEHANDELAAR, 1};
    zf_param_value p[2] = {{"ontvangen", zf_value_string("2026-01-19")},
                           {"per_post", zf_value_bool(0)}};
    int64_t id;
    add_processes(st);
    id = start_bezwaar(st, "2026-01-02", ZF_OK);
    ck_assert_int_eq(zf_store_fire(&step, st, id, 1, "bezwaarschrift_ontvangen",
                                   D("2026-01-20"), &jan, p, 2, &err),
                     ZF_OK);
    ck_assert_int_eq(zf_store_definition(&def, st, "bezwaar", &err), ZF_OK);
    ck_assert_int_eq(zf_instance_new(&inst, def, D("2026-01-02"), vars, 2, NULL, &err),
                     ZF_OK);
    ck_assert_int_eq(zf_instance_fire(inst, "bezwaarschrift_ontvangen", D("2026-01-20"),
                                      &jan, p, 2, &err),
                     ZF_OK);
    ck_assert_int_eq(zf_store_journal(&l, st, id, &err), ZF_OK);
    ck_assert_uint_eq(zf_store_list_count(l), zf_instance_journal_count(inst));
    for (size_t i = 0; i < zf_instance_journal_count(inst); i++) {
        zf_journal_entry e;
        const zf_store_journal_entry *se = zf_store_list_journal(l, i);
        zf_instance_journal_entry(&e, inst, i, NULL);
        ck_assert_int_eq(se->seq, e.seq);
        ck_assert_int_eq(se->date, e.date);
        ck_assert_uint_eq(se->nitems, e.nitems);
        ck_assert_int_eq(se->revision, (int64_t)i + 1);
        if (e.event)
            ck_assert_str_eq(se->event, e.event);
        for (size_t j = 0; j < e.nitems; j++) {
            zf_journal_item it;
            const zf_journal_item *si = zf_store_list_journal_item(l, i, j);
            zf_buf a = ZF_BUF_INIT, b = ZF_BUF_INIT;
            zf_instance_journal_item(&it, inst, i, j, NULL);
            ck_assert_int_eq(si->kind, it.kind);
            ck_assert_int_eq(si->date, it.date);
            ck_assert_int_eq(si->value.type, it.value.type);
            if (it.name)
                ck_assert_str_eq(si->name, it.name);
            if (it.text)
                ck_assert_str_eq(si->text, it.text);
            zf_value_format(&a, &it.value, NULL);
            zf_value_format(&b, &si->value, NULL);
            ck_assert_str_eq(a.ptr ? a.ptr : "", b.ptr ? b.ptr : "");
            zf_buf_dispose(&a);
            zf_buf_dispose(&b);
        }
    }
    zf_store_list_free(l);
    zf_instance_free(inst);
    zf_store_free(st);
}
END_TEST

/* Who must act: the due report says it per term, filters by it, and lists only
   terms someone still has to act on (the bezwaartermijn stops when the
   bezwaarschrift is received, Awb 6:7). */
START_TEST(test_store_due_party) {
    zf_store *st = open_store();
    zf_store_list *l;
    zf_store_step step;
    int64_t a, b;
    add_processes(st);
    a = start_bezwaar(st, "2026-01-02", ZF_OK);
    b = start_bezwaar(st, "2026-01-05", ZF_OK);
    ck_assert_int_eq(ontvangen(st, b, 1, "2026-01-20", &step), ZF_OK);
    ck_assert_int_eq(zf_store_due(&l, st, D("2026-12-31"), NULL, 0, &err), ZF_OK);
    ck_assert_uint_eq(zf_store_list_count(l), 3);
    for (size_t i = 0; i < zf_store_list_count(l); i++) {
        const zf_store_due_item *d = zf_store_list_due(l, i);
        if (d->case_id == a)
            ck_assert_str_eq(d->party, "belanghebbende");
        else {
            /* Awb 7:10: the decision on the bezwaar is the body's to make. */
            ck_assert_str_eq(d->term, "beslistermijn");
            ck_assert_str_eq(d->party, "bestuursorgaan");
        }
    }
    zf_store_list_free(l);
    ck_assert_int_eq(zf_store_due(&l, st, D("2026-12-31"), "bestuursorgaan", 0, &err),
                     ZF_OK);
    ck_assert_uint_eq(zf_store_list_count(l), 1);
    ck_assert_int_eq(zf_store_list_due(l, 0)->case_id, b);
    zf_store_list_free(l);
    ck_assert_int_eq(zf_store_due(&l, st, D("2026-12-31"), "belanghebbende", 0, &err),
                     ZF_OK);
    ck_assert_uint_eq(zf_store_list_count(l), 2);
    zf_store_list_free(l);
    ck_assert_int_eq(zf_store_due(&l, st, D("2026-12-31"), "rechter", 0, &err), ZF_OK);
    ck_assert_uint_eq(zf_store_list_count(l), 0);
    zf_store_list_free(l);
    zf_store_free(st);
}
END_TEST

/* The compact form beside the snapshot: written at every step, read first; one
   this library cannot read is passed over for the XML snapshot and written anew. */
START_TEST(test_store_compact_form) {
    zf_store *st = open_store();
    zf_store_case *c;
    zf_store_step step;
    zf_buf packed = ZF_BUF_INIT, snap = ZF_BUF_INIT;
    char *d1, *d2;
    int64_t id;
    add_processes(st);
    id = start_bezwaar(st, "2026-01-02", ZF_OK);
    ck_assert_int_eq(ontvangen(st, id, 1, "2026-01-20", &step), ZF_OK);
    ck_assert_int_eq(zf_store_read(&c, st, id, &err), ZF_OK);
    ck_assert_int_eq(zf_instance_pack(&packed, zf_store_case_instance(c), &err), ZF_OK);
    ck_assert_int_eq(zf_instance_snapshot(&snap, zf_store_case_instance(c), &err), ZF_OK);
    ck_assert_str_eq(snap.ptr, zf_store_case_snapshot(c));
    zf_store_case_free(c);
    d1 = dump(st);
    {
        /* The stored compact form is the instance's. */
        zf_buf hex = ZF_BUF_INIT;
        for (size_t i = 0; i < packed.size; i++)
            zf_buf_printf(&hex, "%02x", (unsigned char)packed.ptr[i]);
        ck_assert_ptr_nonnull(strstr(d1, hex.ptr));
        zf_buf_dispose(&hex);
    }
    /* Damaged: read and changed through the XML snapshot all the same. */
    ck_assert_int_eq(zf__store_test_exec(st,
                                         on_pg()
                                             ? "UPDATE zf_cases SET compact = '\\x00ff'"
                                             : "UPDATE zf_cases SET compact = X'00ff'",
                                         &err),
                     ZF_OK);
    ck_assert_int_eq(zf_store_read(&c, st, id, &err), ZF_OK);
    zf_buf_clear(&snap);
    ck_assert_int_eq(zf_instance_snapshot(&snap, zf_store_case_instance(c), &err), ZF_OK);
    ck_assert_str_eq(snap.ptr, zf_store_case_snapshot(c));
    zf_store_case_free(c);
    {
        zf_actor jan = {"jan", BEHANDELAAR, 1};
        ck_assert_int_eq(zf_store_fire(&step, st, id, 2, "ontvankelijk_bevonden",
                                       D("2026-01-22"), &jan, NULL, 0, &err),
                         ZF_OK);
    }
    d2 = dump(st);
    ck_assert_ptr_null(strstr(d2, "|x00ff|"));
    free(d2);
    /* Both forms damaged: the strict reader's refusal is the answer (a byte of
       the snapshot changed: its digest no longer holds), and nothing changes. */
    ck_assert_int_eq(
        zf__store_test_exec(
            st,
            on_pg() ? "UPDATE zf_cases SET compact = '\\x00ff', snapshot = "
                      "REPLACE(snapshot, 'status=\"running\"', 'status=\"stopped\"')"
                    : "UPDATE zf_cases SET compact = X'00ff', snapshot = "
                      "REPLACE(snapshot, 'status=\"running\"', 'status=\"stopped\"')",
            &err),
        ZF_OK);
    d2 = dump(st);
    c = NULL;
    ck_assert_int_eq(zf_store_read(&c, st, id, &err), ZF_ESNAPSHOT);
    ck_assert_ptr_null(c);
    ck_assert_msg(strstr(err.message, "digest") != NULL, "%s", err.message);
    {
        zf_actor jan = {"jan", BEHANDELAAR, 1};
        ck_assert_int_eq(zf_store_fire(&step, st, id, 3, "hoorzitting_gepland",
                                       D("2026-01-23"), &jan, NULL, 0, &err),
                         ZF_ESNAPSHOT);
    }
    ck_assert_int_eq(zf_store_expire(&step, st, id, D("2027-01-01"), &err), ZF_ESNAPSHOT);
    {
        char *d3 = dump(st);
        ck_assert_str_eq(d2, d3);
        free(d3);
    }
    free(d1);
    free(d2);
    zf_buf_dispose(&packed);
    zf_buf_dispose(&snap);
    zf_store_free(st);
}
END_TEST

START_TEST(test_store_fire_revision_conflict) {
    zf_store *st = open_store(), *clerk2 = open_store();
    zf_store_step step;
    zf_store_case *c;
    char *before;
    int64_t id;
    add_processes(st);
    id = start_bezwaar(st, "2026-01-02", ZF_OK);
    /* Two clerks read revision 1; the first one's change is stored ... */
    ck_assert_int_eq(ontvangen(st, id, 1, "2026-01-20", &step), ZF_OK);
    ck_assert_int_eq(step.case_id, id);
    ck_assert_int_eq(step.revision, 2);
    ck_assert_uint_gt(step.entries, 0);
    /* ... the second one's is refused, and changes nothing. */
    before = dump(st);
    {
        zf_actor jan = {"jan", BEHANDELAAR, 1};
        ck_assert_int_eq(zf_store_fire(&step, clerk2, id, 1, "ontvankelijk_bevonden",
                                       D("2026-01-22"), &jan, NULL, 0, &err),
                         ZF_ECONFLICT);
        ck_assert_str_eq(err.message, "case 1 was changed by someone else: it is at "
                                      "revision 2, not 1");
        ck_assert_int_eq(step.revision, 0);
        {
            char *after = dump(st);
            ck_assert_str_eq(before, after);
            free(after);
        }
        /* Read again, retry: fine. */
        ck_assert_int_eq(zf_store_read(&c, clerk2, id, &err), ZF_OK);
        ck_assert_int_eq(
            zf_store_fire(&step, clerk2, id, zf_store_case_summary(c)->revision,
                          "ontvankelijk_bevonden", D("2026-01-22"), &jan, NULL, 0, &err),
            ZF_OK);
        zf_store_case_free(c);
        ck_assert_int_eq(step.revision, 3);
        /* Without a revision: on the case as it is now. */
        ck_assert_int_eq(zf_store_fire(&step, st, id, ZF_STORE_ANY_REVISION,
                                       "bemiddeling_mislukt", D("2026-02-03"), NULL, NULL,
                                       0, &err),
                         ZF_EFORBIDDEN);
    }
    free(before);
    zf_store_free(clerk2);
    zf_store_free(st);
}
END_TEST

START_TEST(test_store_failing_event_changes_nothing) {
    zf_store *st = open_store();
    zf_actor jan = {"jan", BEHANDELAAR, 1};
    zf_store_step step;
    char *before, *after;
    int64_t id;
    add_processes(st);
    id = start_bezwaar(st, "2026-01-02", ZF_OK);
    before = dump(st);
    ck_assert_int_eq(zf_store_fire(&step, st, id, 1, "ontvankelijk_bevonden",
                                   D("2026-01-20"), &jan, NULL, 0, &err),
                     ZF_EREJECTED);
    ck_assert_int_eq(
        zf_store_fire(&step, st, id, 1, "gehoord", D("2026-01-20"), NULL, NULL, 0, &err),
        ZF_EFORBIDDEN);
    ck_assert_int_eq(zf_store_fire(&step, st, id, 1, "no_such_event", D("2026-01-20"),
                                   NULL, NULL, 0, &err),
                     ZF_ENOTFOUND);
    ck_assert_int_eq(ontvangen(st, id, 1, "2025-12-01", &step), ZF_EINVAL);
    ck_assert_int_eq(
        zf_store_fire(&step, st, 999, 1, "gehoord", D("2026-01-20"), NULL, NULL, 0, &err),
        ZF_ENOTFOUND);
    ck_assert_str_eq(err.message, "no case 999");
    ck_assert_int_eq(zf_store_advance(&step, st, id, 1, D("2025-01-01"), &err),
                     ZF_EINVAL);
    after = dump(st);
    ck_assert_str_eq(before, after);
    free(before);
    free(after);
    zf_store_free(st);
}
END_TEST

static void route_to_decision(zf_store *st, int64_t id) {
    zf_store_step step;
    zf_actor jan = {"jan", BEHANDELAAR, 1};
    static const char *const BEMIDDELAAR[] = {"bemiddelaar"};
    static const char *const COMMISSIE[] = {"commissie"};
    zf_actor piet = {"piet", BEMIDDELAAR, 1}, kim = {"kim", COMMISSIE, 1};
    zf_param_value datum = {"datum", zf_value_string("2026-03-10")};
    zf_param_value advies = {"advies", zf_value_string("gegrond")};
    ck_assert_int_eq(ontvangen(st, id, 0, "2026-01-20", &step), ZF_OK);
    ck_assert_int_eq(zf_store_fire(&step, st, id, 0, "ontvankelijk_bevonden",
                                   D("2026-01-22"), &jan, NULL, 0, &err),
                     ZF_OK);
    ck_assert_int_eq(zf_store_fire(&step, st, id, 0, "bemiddeling_mislukt",
                                   D("2026-02-03"), &piet, NULL, 0, &err),
                     ZF_OK);
    ck_assert_int_eq(zf_store_fire(&step, st, id, 0, "hoorzitting_gepland",
                                   D("2026-02-10"), &kim, &datum, 1, &err),
                     ZF_OK);
    ck_assert_int_eq(
        zf_store_fire(&step, st, id, 0, "gehoord", D("2026-03-10"), &kim, NULL, 0, &err),
        ZF_OK);
    ck_assert_int_eq(zf_store_fire(&step, st, id, 0, "advies_uitgebracht",
                                   D("2026-03-24"), &kim, &advies, 1, &err),
                     ZF_OK);
}

/* The whole bezwaar route to a decision: the beroep case is spawned in the
   same transaction, linked to it, and the outbox has every effect. */
START_TEST(test_store_spawn_and_outbox) {
    zf_store *st = open_store();
    zf_store_step step;
    zf_store_list *l = NULL;
    zf_store_case *c = NULL;
    int64_t id, child;
    zf_actor college = {"wethouder", COLLEGE, 1};
    zf_param_value besluit[2] = {{"uitkomst", zf_value_string("gegrond")},
                                 {"verzonden", zf_value_string("2026-04-08")}};
    add_processes(st);
    id = start_bezwaar(st, "2026-01-05", ZF_OK);
    route_to_decision(st, id);
    ck_assert_int_eq(zf_store_fire(&step, st, id, 0, "beslissing_op_bezwaar",
                                   D("2026-04-07"), &college, besluit, 2, &err),
                     ZF_OK);
    ck_assert_uint_eq(step.spawned, 1);
    ck_assert_int_eq(zf_store_read(&c, st, id, &err), ZF_OK);
    ck_assert_int_eq(zf_store_case_summary(c)->finished, 1);
    ck_assert_str_eq(zf_store_case_summary(c)->outcome, "gegrond");
    ck_assert_int_eq(zf_store_case_summary(c)->next_due, ZF_DATE_NONE);
    zf_store_case_free(c);
    /* The beroep case. */
    ck_assert_int_eq(zf_store_cases(&l, st, "beroep", ZF_STORE_ALL, 0, 0, &err), ZF_OK);
    ck_assert_uint_eq(zf_store_list_count(l), 1);
    child = zf_store_list_case(l, 0)->id;
    ck_assert_int_eq(zf_store_list_case(l, 0)->parent, id);
    ck_assert_str_eq(zf_store_list_case(l, 0)->relation, "vervolg");
    ck_assert_int_eq(zf_store_list_case(l, 0)->started, D("2026-04-07"));
    zf_store_list_free(l);
    ck_assert_int_eq(zf_store_cases(&l, st, NULL, ZF_STORE_OPEN, 0, 0, &err), ZF_OK);
    ck_assert_uint_eq(zf_store_list_count(l), 1);
    ck_assert_int_eq(zf_store_list_case(l, 0)->id, child);
    zf_store_list_free(l);
    ck_assert_int_eq(zf_store_cases(&l, st, NULL, ZF_STORE_FINISHED, 0, 0, &err), ZF_OK);
    ck_assert_uint_eq(zf_store_list_count(l), 1);
    zf_store_list_free(l);
    ck_assert_int_eq(zf_store_cases(&l, st, NULL, ZF_STORE_ALL, id, 0, &err), ZF_OK);
    ck_assert_uint_eq(zf_store_list_count(l), 1);
    zf_store_list_free(l);
    /* Its terms are due, the bezwaar's are not any more. */
    ck_assert_int_eq(zf_store_due(&l, st, D("2027-12-31"), NULL, 0, &err), ZF_OK);
    for (size_t i = 0; i < zf_store_list_count(l); i++)
        ck_assert_int_eq(zf_store_list_due(l, i)->case_id, child);
    zf_store_list_free(l);
    /* The outbox: the spawn with the case it started, keys stable and unique. */
    ck_assert_int_eq(zf_store_outbox(&l, st, NULL, id, 0, &err), ZF_OK);
    {
        size_t spawns = 0;
        for (size_t i = 0; i < zf_store_list_count(l); i++) {
            const zf_store_outbox_item *o = zf_store_list_outbox(l, i);
            char key[64];
            snprintf(key, sizeof key, "%lld/%lld/", (long long)o->case_id,
                     (long long)o->revision);
            ck_assert_int_eq(strncmp(o->key, key, strlen(key)), 0);
            ck_assert_str_eq(o->status, "pending");
            ck_assert_int_eq(o->attempts, 0);
            if (o->kind == ZF_EFFECT_SPAWN) {
                spawns++;
                ck_assert_int_eq(o->spawned, child);
                ck_assert_str_eq(o->process, "beroep");
                ck_assert_str_eq(o->relation, "vervolg");
                ck_assert_ptr_nonnull(
                    strstr(o->payload, "\"bekendgemaakt\":\"2026-04-08\""));
            } else
                ck_assert_ptr_nonnull(o->to);
        }
        ck_assert_uint_eq(spawns, 1);
    }
    zf_store_list_free(l);
    zf_store_free(st);
}
END_TEST

/* A spawn of a process the store does not have fails the whole step. */
START_TEST(test_store_spawn_of_unknown_process_changes_nothing) {
    zf_store *st = open_store();
    static const char *const AANVRAGER[] = {"aanvrager"};
    zf_actor aanvrager = {"a", AANVRAGER, 1};
    zf_store_step step;
    zf_param_value vars[2] = {{"beslistermijn_einde", zf_value_string("2026-01-30")},
                              {"ontvangen", zf_value_string("2026-02-02")}};
    char *before, *after;
    int64_t id;
    ck_assert_int_eq(zf_store_add_definition_file(
                         NULL, st, th_srcpath("processes/dwangsom.xml"), &err),
                     ZF_OK);
    ck_assert_int_eq(
        zf_store_start(&step, st, "dwangsom", D("2026-02-02"), vars, 2, &err), ZF_OK);
    id = step.case_id;
    /* Two weeks after the ingebrekestelling the dwangsom runs (Awb 4:17 lid 3). */
    ck_assert_int_eq(zf_store_expire(&step, st, id, D("2026-02-20"), &err), ZF_OK);
    ck_assert_uint_eq(step.expired, 1);
    before = dump(st);
    /* Beroep wegens niet tijdig beslissen spawns a beroep case, and the store has
       no beroep definition. */
    ck_assert_int_eq(zf_store_fire(&step, st, id, 0, "beroep_niet_tijdig",
                                   D("2026-02-23"), &aanvrager, NULL, 0, &err),
                     ZF_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(err.message, "no definition of 'beroep'"));
    after = dump(st);
    ck_assert_str_eq(before, after);
    free(after);
    ck_assert_int_eq(
        zf_store_add_definition_file(NULL, st, th_srcpath("processes/beroep.xml"), &err),
        ZF_OK);
    ck_assert_int_eq(zf_store_fire(&step, st, id, 0, "beroep_niet_tijdig",
                                   D("2026-02-23"), &aanvrager, NULL, 0, &err),
                     ZF_OK);
    ck_assert_uint_eq(step.spawned, 1);
    free(before);
    zf_store_free(st);
}
END_TEST

START_TEST(test_store_expire_moves_only_to_last_expiry) {
    zf_store *st = open_store();
    zf_store_step step;
    zf_store_case *c;
    zf_store_list *l;
    int64_t id;
    add_processes(st);
    id = start_bezwaar(st, "2026-01-02", ZF_OK);
    /* Nothing due before 13 February: nothing written. */
    ck_assert_int_eq(zf_store_expire(&step, st, id, D("2026-02-13"), &err), ZF_OK);
    ck_assert_int_eq(step.revision, 1);
    ck_assert_uint_eq(step.entries, 0);
    /* The bezwaartermijn ends on 13 February and expires on the 14th; the
       postontvangsttermijn (a week later, Awb 6:9 lid 2) on the 21st. */
    ck_assert_int_eq(zf_store_expire(&step, st, id, D("2026-02-16"), &err), ZF_OK);
    ck_assert_int_eq(step.revision, 2);
    ck_assert_uint_eq(step.expired, 1);
    ck_assert_int_eq(zf_store_read(&c, st, id, &err), ZF_OK);
    ck_assert_int_eq(zf_store_case_summary(c)->date, D("2026-02-14"));
    zf_store_case_free(c);
    ck_assert_int_eq(zf_store_journal(&l, st, id, &err), ZF_OK);
    ck_assert_str_eq(zf_store_list_journal(l, 1)->event, "expired.bezwaartermijn");
    ck_assert_int_eq(zf_store_list_journal(l, 1)->date, D("2026-02-14"));
    zf_store_list_free(l);
    /* advance() moves the case date all the way. */
    ck_assert_int_eq(zf_store_advance(&step, st, id, 2, D("2026-03-01"), &err), ZF_OK);
    ck_assert_int_eq(zf_store_read(&c, st, id, &err), ZF_OK);
    ck_assert_int_eq(zf_store_case_summary(c)->date, D("2026-03-01"));
    zf_store_case_free(c);
    zf_store_free(st);
}
END_TEST

START_TEST(test_store_transactions) {
    zf_store *st = open_store();
    zf_store_step step;
    zf_store_list *l;
    int64_t a;
    add_processes(st);
    ck_assert_int_eq(zf_store_commit(st, &err), ZF_EINVAL);
    ck_assert_int_eq(zf_store_rollback(st, &err), ZF_EINVAL);
    ck_assert_int_eq(zf_store_begin(st, &err), ZF_OK);
    ck_assert_int_eq(zf_store_in_transaction(st), 1);
    ck_assert_int_eq(zf_store_begin(st, &err), ZF_EINVAL);
    start_bezwaar(st, "2026-01-02", ZF_OK);
    start_bezwaar(st, "2026-01-03", ZF_OK);
    ck_assert_int_eq(zf_store_rollback(st, &err), ZF_OK);
    ck_assert_int_eq(zf_store_in_transaction(st), 0);
    ck_assert_int_eq(zf_store_cases(&l, st, NULL, ZF_STORE_ALL, 0, 0, &err), ZF_OK);
    ck_assert_uint_eq(zf_store_list_count(l), 0);
    zf_store_list_free(l);
    /* A failing step inside a transaction is undone alone. */
    ck_assert_int_eq(zf_store_begin(st, &err), ZF_OK);
    a = start_bezwaar(st, "2026-01-02", ZF_OK);
    ck_assert_int_eq(
        zf_store_fire(&step, st, a, 1, "gehoord", D("2026-01-20"), NULL, NULL, 0, &err),
        ZF_EFORBIDDEN);
    ck_assert_int_eq(ontvangen(st, a, 1, "2026-01-20", &step), ZF_OK);
    ck_assert_int_eq(zf_store_commit(st, &err), ZF_OK);
    ck_assert_int_eq(zf_store_cases(&l, st, NULL, ZF_STORE_ALL, 0, 0, &err), ZF_OK);
    ck_assert_uint_eq(zf_store_list_count(l), 1);
    ck_assert_int_eq(zf_store_list_case(l, 0)->revision, 2);
    zf_store_list_free(l);
    zf_store_free(st);
}
END_TEST

typedef enum fail_kind { FAIL_SQL, FAIL_ALLOC } fail_kind;

/* Fail the n-th statement (FAIL_SQL) or allocation (FAIL_ALLOC) of a step, for
   n = 0, 1, 2 ... until the step succeeds: each failure must report the
   database's error or ZF_ENOMEM, leak nothing and leave the database as it
   was. Caches (statements, definitions) are warm: the steps run on a store
   that has done one of each kind before, or they allocate nothing for them. */
static void failure_loop(zf_store *st, fail_kind kind,
                         zf_code (*step_fn)(zf_store *, zf_store_step *)) {
    char *before = dump(st);
    zf_store_step step;
    long n;
    for (n = 0;; n++) {
        zf_code rc;
        long live = 0;
        if (kind == FAIL_SQL)
            zf__store_test_fail_sql(n);
        else
            th_alloc_fail_at(n);
        rc = step_fn(st, &step);
        if (kind == FAIL_ALLOC)
            live = th_alloc_live();
        zf__store_test_fail_sql(-1);
        th_alloc_reset();
        if (rc == ZF_OK)
            break;
        ck_assert_msg(rc == (kind == FAIL_SQL ? ZF_EDATABASE : ZF_ENOMEM),
                      "failure %ld: %s (%s)", n, err.message, zf_code_name(rc));
        ck_assert_msg(live == 0, "failure %ld: %ld blocks leaked", n, live);
        {
            char *after = dump(st);
            ck_assert_msg(strcmp(before, after) == 0, "failure %ld changed the store", n);
            free(after);
        }
    }
    ck_assert_int_gt(n, 3);
    free(before);
}

static int64_t fixture_case;

static zf_code do_start(zf_store *st, zf_store_step *step) {
    zf_param_value vars[2] = {{"verzonden", zf_value_string("2026-01-02")},
                              {"commissie_gemeld", zf_value_bool(1)}};
    return zf_store_start(step, st, "bezwaar", D("2026-01-02"), vars, 2, &err);
}

static zf_code do_fire(zf_store *st, zf_store_step *step) {
    return ontvangen(st, fixture_case, 1, "2026-01-20", step);
}

static zf_code do_decide(zf_store *st, zf_store_step *step) {
    zf_actor college = {"wethouder", COLLEGE, 1};
    zf_param_value besluit[2] = {{"uitkomst", zf_value_string("gegrond")},
                                 {"verzonden", zf_value_string("2026-04-08")}};
    return zf_store_fire(step, st, fixture_case, 0, "beslissing_op_bezwaar",
                         D("2026-04-07"), &college, besluit, 2, &err);
}

static zf_code do_expire(zf_store *st, zf_store_step *step) {
    return zf_store_expire(step, st, fixture_case, D("2026-12-31"), &err);
}

/* Start, fire, a step that spawns a case, and the worker's step. */
static void every_step(fail_kind kind) {
    zf_store *st = open_store();
    zf_store_step step;
    add_processes(st);
    ck_assert_int_eq(do_start(st, &step), ZF_OK);
    failure_loop(st, kind, do_start);
    fixture_case = start_bezwaar(st, "2026-01-02", ZF_OK);
    failure_loop(st, kind, do_fire);
    fixture_case = start_bezwaar(st, "2026-01-05", ZF_OK);
    route_to_decision(st, fixture_case);
    failure_loop(st, kind, do_decide);
    fixture_case = start_bezwaar(st, "2026-01-05", ZF_OK);
    failure_loop(st, kind, do_expire);
    zf_store_free(st);
}

START_TEST(test_store_injected_sql_failures) {
    every_step(FAIL_SQL);
}
END_TEST

START_TEST(test_store_allocation_failures) {
    every_step(FAIL_ALLOC);
}
END_TEST

START_TEST(test_store_claims_and_leases) {
    zf_store *a = open_store_with(400, "worker-a"), *b = open_store_with(400, "worker-b");
    zf_store_list *la = NULL, *lb = NULL;
    zf_store_work_result res;
    zf_store_list *l;
    add_processes(a);
    for (int i = 0; i < 5; i++) {
        char d[16];
        snprintf(d, sizeof d, "2026-01-%02d", 5 + i);
        start_bezwaar(a, d, ZF_OK);
    }
    /* Until 19 February: the bezwaartermijnen of the decisions sent on 5, 6 and
       7 January (last days 16, 17 and 18 February; Awb 6:7, 6:8) are due. */
    ck_assert_int_eq(zf_store_claim(&la, a, D("2026-02-19"), 2, &err), ZF_OK);
    ck_assert_uint_eq(zf_store_list_count(la), 2);
    ck_assert_int_le(zf_store_list_case(la, 0)->next_due,
                     zf_store_list_case(la, 1)->next_due);
    ck_assert_int_eq(zf_store_claim(&lb, b, D("2026-02-19"), 10, &err), ZF_OK);
    ck_assert_uint_eq(zf_store_list_count(lb), 1);
    ck_assert_int_ne(zf_store_list_case(lb, 0)->id, zf_store_list_case(la, 0)->id);
    ck_assert_int_ne(zf_store_list_case(lb, 0)->id, zf_store_list_case(la, 1)->id);
    zf_store_list_free(lb);
    ck_assert_int_eq(zf_store_claim(&lb, b, D("2026-02-19"), 10, &err), ZF_OK);
    ck_assert_uint_eq(zf_store_list_count(lb), 0);
    zf_store_list_free(lb);
    /* Worker a dies; once its leases end, b takes its cases over. */
    usleep(600 * 1000);
    ck_assert_int_eq(zf_store_work(&res, b, D("2026-02-19"), 2, &err), ZF_OK);
    ck_assert_uint_eq(res.cases, 3);
    ck_assert_uint_eq(res.expired, 3);
    ck_assert_uint_eq(res.failed, 0);
    /* a comes back and finds them done. */
    for (size_t i = 0; i < zf_store_list_count(la); i++) {
        zf_store_step step;
        ck_assert_int_eq(zf_store_expire(&step, a, zf_store_list_case(la, i)->id,
                                         D("2026-02-19"), &err),
                         ZF_OK);
        ck_assert_uint_eq(step.entries, 0);
    }
    zf_store_list_free(la);
    ck_assert_int_eq(zf_store_work(&res, a, D("2026-02-19"), 2, &err), ZF_OK);
    ck_assert_uint_eq(res.cases, 0);
    /* Each expiry in the journals once. */
    ck_assert_int_eq(zf_store_cases(&l, a, NULL, ZF_STORE_ALL, 0, 0, &err), ZF_OK);
    {
        size_t expiries = 0;
        for (size_t i = 0; i < zf_store_list_count(l); i++) {
            zf_store_list *j;
            ck_assert_int_eq(zf_store_journal(&j, a, zf_store_list_case(l, i)->id, &err),
                             ZF_OK);
            for (size_t k = 0; k < zf_store_list_count(j); k++)
                expiries +=
                    zf_store_list_journal(j, k)->event &&
                    strncmp(zf_store_list_journal(j, k)->event, "expired.", 8) == 0;
            zf_store_list_free(j);
        }
        ck_assert_uint_eq(expiries, 3);
    }
    zf_store_list_free(l);
    zf_store_free(a);
    zf_store_free(b);
}
END_TEST

START_TEST(test_store_outbox_delivery) {
    zf_store *a = open_store_with(300, "courier-a"),
             *b = open_store_with(300, "courier-b");
    zf_store_list *l = NULL, *l2 = NULL;
    zf_store_step step;
    int64_t id, item;
    const char *key;
    char keep[64];
    add_processes(a);
    id = start_bezwaar(a, "2026-01-02", ZF_OK);
    ck_assert_int_eq(ontvangen(a, id, 1, "2026-01-20", &step), ZF_OK);
    ck_assert_uint_ge(step.effects, 1);
    ck_assert_int_eq(zf_store_outbox(&l, a, "pending", 0, 0, &err), ZF_OK);
    ck_assert_uint_ge(zf_store_list_count(l), 1);
    zf_store_list_free(l);
    ck_assert_int_eq(zf_store_outbox_claim(&l, a, 1, &err), ZF_OK);
    ck_assert_uint_eq(zf_store_list_count(l), 1);
    item = zf_store_list_outbox(l, 0)->id;
    key = zf_store_list_outbox(l, 0)->key;
    snprintf(keep, sizeof keep, "%s", key);
    ck_assert_str_eq(zf_store_list_outbox(l, 0)->status, "claimed");
    ck_assert_int_eq(zf_store_list_outbox(l, 0)->attempts, 1);
    zf_store_list_free(l);
    /* b gets the others, not the one a holds. */
    ck_assert_int_eq(zf_store_outbox_claim(&l2, b, 100, &err), ZF_OK);
    for (size_t i = 0; i < zf_store_list_count(l2); i++)
        ck_assert_int_ne(zf_store_list_outbox(l2, i)->id, item);
    for (size_t i = 0; i < zf_store_list_count(l2); i++)
        ck_assert_int_eq(zf_store_outbox_ack(b, zf_store_list_outbox(l2, i)->id, &err),
                         ZF_OK);
    zf_store_list_free(l2);
    /* a dies before acknowledging: the item comes back, with the same key. */
    usleep(500 * 1000);
    ck_assert_int_eq(zf_store_outbox_claim(&l2, b, 100, &err), ZF_OK);
    ck_assert_uint_eq(zf_store_list_count(l2), 1);
    ck_assert_int_eq(zf_store_list_outbox(l2, 0)->id, item);
    ck_assert_str_eq(zf_store_list_outbox(l2, 0)->key, keep);
    ck_assert_int_eq(zf_store_list_outbox(l2, 0)->attempts, 2);
    zf_store_list_free(l2);
    ck_assert_int_eq(zf_store_outbox_release(b, item, "smtp down", &err), ZF_OK);
    ck_assert_int_eq(zf_store_outbox_release(b, item, "again", &err), ZF_ENOTFOUND);
    ck_assert_int_eq(zf_store_outbox(&l2, b, "pending", 0, 0, &err), ZF_OK);
    ck_assert_uint_eq(zf_store_list_count(l2), 1);
    ck_assert_str_eq(zf_store_list_outbox(l2, 0)->error, "smtp down");
    zf_store_list_free(l2);
    ck_assert_int_eq(zf_store_outbox_ack(a, item, &err), ZF_OK);
    ck_assert_int_eq(zf_store_outbox_ack(a, item, &err), ZF_OK);
    ck_assert_int_eq(zf_store_outbox_ack(a, 123456, &err), ZF_ENOTFOUND);
    ck_assert_int_eq(zf_store_outbox(&l2, b, NULL, 0, 0, &err), ZF_OK);
    for (size_t i = 0; i < zf_store_list_count(l2); i++)
        ck_assert_str_eq(zf_store_list_outbox(l2, i)->status, "done");
    zf_store_list_free(l2);
    ck_assert_int_eq(zf_store_outbox_claim(&l2, b, 100, &err), ZF_OK);
    ck_assert_uint_eq(zf_store_list_count(l2), 0);
    zf_store_list_free(l2);
    ck_assert_int_eq(zf_store_outbox(&l2, b, "lost", 0, 0, &err), ZF_EINVAL);
    zf_store_free(a);
    zf_store_free(b);
}
END_TEST

/* No argument crashes: NULL handles and pointers give ZF_EINVAL. */
START_TEST(test_store_null_arguments) {
    zf_store *st = open_store();
    zf_store_step step;
    zf_store_list *l = (zf_store_list *)1;
    zf_store_case *c = (zf_store_case *)1;
    zf_store_work_result res;
    const zf_definition *def;
    int not_a_store = 42;
    zf_store *bogus = (zf_store *)&not_a_store;
    add_processes(st);
    ck_assert_int_eq(zf_store_begin(NULL, &err), ZF_EINVAL);
    ck_assert_str_eq(err.message, "st is NULL or not a store");
    ck_assert_int_eq(zf_store_begin(bogus, &err), ZF_EINVAL);
    ck_assert_int_eq(zf_store_commit(NULL, &err), ZF_EINVAL);
    ck_assert_int_eq(zf_store_rollback(NULL, &err), ZF_EINVAL);
    ck_assert_int_eq(zf_store_in_transaction(NULL), 0);
    ck_assert_int_eq(zf_store_add_definition(NULL, NULL, "x", 1, NULL, &err), ZF_EINVAL);
    ck_assert_int_eq(zf_store_add_definition(NULL, st, NULL, 1, NULL, &err), ZF_EINVAL);
    ck_assert_int_eq(zf_store_add_definition_file(NULL, st, NULL, &err), ZF_EINVAL);
    ck_assert_int_eq(zf_store_definition(NULL, st, "bezwaar", &err), ZF_EINVAL);
    ck_assert_int_eq(zf_store_definition(&def, st, NULL, &err), ZF_EINVAL);
    ck_assert_int_eq(zf_store_definition(&def, NULL, "bezwaar", &err), ZF_EINVAL);
    ck_assert_int_eq(zf_store_start(NULL, st, "bezwaar", D("2026-01-01"), NULL, 0, &err),
                     ZF_EINVAL);
    ck_assert_str_eq(err.message, "out is NULL");
    ck_assert_int_eq(
        zf_store_start(&step, NULL, "bezwaar", D("2026-01-01"), NULL, 0, &err),
        ZF_EINVAL);
    ck_assert_int_eq(zf_store_start(&step, st, NULL, D("2026-01-01"), NULL, 0, &err),
                     ZF_EINVAL);
    ck_assert_int_eq(zf_store_start(&step, st, "bezwaar", D("2026-01-01"), NULL, 2, &err),
                     ZF_EINVAL);
    ck_assert_int_eq(zf_store_start(&step, st, "bezwaar", D("2026-01-01"), NULL, 0, &err),
                     ZF_EINVAL); /* verzonden is required */
    ck_assert_int_eq(
        zf_store_fire(&step, st, 1, 0, NULL, D("2026-01-01"), NULL, NULL, 0, &err),
        ZF_EINVAL);
    ck_assert_int_eq(
        zf_store_fire(&step, st, 1, 0, "x", D("2026-01-01"), NULL, NULL, 1, &err),
        ZF_EINVAL);
    ck_assert_int_eq(
        zf_store_fire(NULL, st, 1, 0, "x", D("2026-01-01"), NULL, NULL, 0, &err),
        ZF_EINVAL);
    ck_assert_int_eq(zf_store_advance(&step, bogus, 1, 0, D("2026-01-01"), &err),
                     ZF_EINVAL);
    ck_assert_int_eq(zf_store_expire(&step, st, 1, ZF_DATE_NONE, &err), ZF_EINVAL);
    ck_assert_int_eq(zf_store_read(NULL, st, 1, &err), ZF_EINVAL);
    ck_assert_int_eq(zf_store_read(&c, NULL, 1, &err), ZF_EINVAL);
    ck_assert_ptr_null(c);
    ck_assert_int_eq(zf_store_cases(&l, NULL, NULL, ZF_STORE_ALL, 0, 0, &err), ZF_EINVAL);
    ck_assert_ptr_null(l);
    ck_assert_int_eq(zf_store_cases(&l, st, NULL, (zf_store_state)7, 0, 0, &err),
                     ZF_EINVAL);
    ck_assert_int_eq(zf_store_cases(NULL, st, NULL, ZF_STORE_ALL, 0, 0, &err), ZF_EINVAL);
    ck_assert_int_eq(zf_store_journal(NULL, st, 1, &err), ZF_EINVAL);
    ck_assert_int_eq(zf_store_due(&l, st, ZF_DATE_NONE, NULL, 0, &err), ZF_EINVAL);
    ck_assert_int_eq(zf_store_due(NULL, st, D("2026-01-01"), NULL, 0, &err), ZF_EINVAL);
    ck_assert_int_eq(zf_store_claim(&l, st, ZF_DATE_NONE, 1, &err), ZF_EINVAL);
    ck_assert_int_eq(zf_store_claim(&l, NULL, D("2026-01-01"), 1, &err), ZF_EINVAL);
    ck_assert_int_eq(zf_store_work(NULL, st, D("2026-01-01"), 1, &err), ZF_EINVAL);
    ck_assert_int_eq(zf_store_work(&res, NULL, D("2026-01-01"), 1, &err), ZF_EINVAL);
    ck_assert_int_eq(zf_store_outbox(&l, NULL, NULL, 0, 0, &err), ZF_EINVAL);
    ck_assert_int_eq(zf_store_outbox_claim(&l, NULL, 1, &err), ZF_EINVAL);
    ck_assert_int_eq(zf_store_outbox_claim(NULL, st, 1, &err), ZF_EINVAL);
    ck_assert_int_eq(zf_store_outbox_ack(NULL, 1, &err), ZF_EINVAL);
    ck_assert_int_eq(zf_store_outbox_release(NULL, 1, NULL, &err), ZF_EINVAL);
    ck_assert_uint_eq(zf_store_list_count(NULL), 0);
    ck_assert_ptr_null(zf_store_list_case(NULL, 0));
    ck_assert_ptr_null(zf_store_list_due(NULL, 0));
    ck_assert_ptr_null(zf_store_list_outbox(NULL, 0));
    ck_assert_ptr_null(zf_store_list_journal(NULL, 0));
    ck_assert_ptr_null(zf_store_list_journal_item(NULL, 0, 0));
    ck_assert_ptr_null(zf_store_case_summary(NULL));
    ck_assert_ptr_null(zf_store_case_instance(NULL));
    ck_assert_ptr_null(zf_store_case_snapshot(NULL));
    zf_store_list_free(NULL);
    zf_store_case_free(NULL);
    zf_store_free(bogus); /* not a store: left alone */
    /* Error arguments are optional. */
    ck_assert_int_eq(zf_store_begin(NULL, NULL), ZF_EINVAL);
    zf_store_free(st);
}
END_TEST

static Suite *suite(void) {
    Suite *s = suite_create(on_pg() ? "store (postgresql)" : "store (sqlite)");
    TCase *tc = tcase_create("store");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_store_open_and_urls);
    tcase_add_test(tc, test_store_schema_newer_than_library);
    tcase_add_test(tc, test_store_upgrade_from_version_1);
    tcase_add_test(tc, test_store_upgrade_refuses_a_case_it_cannot_read);
    tcase_add_test(tc, test_store_definitions);
    tcase_add_test(tc, test_store_versions);
    tcase_add_test(tc, test_store_versions_ambiguous_and_spawn);
    tcase_add_test(tc, test_store_start_read_due_journal);
    tcase_add_test(tc, test_store_journal_matches_instance);
    tcase_add_test(tc, test_store_due_party);
    tcase_add_test(tc, test_store_compact_form);
    tcase_add_test(tc, test_store_fire_revision_conflict);
    tcase_add_test(tc, test_store_failing_event_changes_nothing);
    tcase_add_test(tc, test_store_spawn_and_outbox);
    tcase_add_test(tc, test_store_spawn_of_unknown_process_changes_nothing);
    tcase_add_test(tc, test_store_expire_moves_only_to_last_expiry);
    tcase_add_test(tc, test_store_transactions);
    tcase_add_test(tc, test_store_injected_sql_failures);
    tcase_add_test(tc, test_store_allocation_failures);
    tcase_add_test(tc, test_store_claims_and_leases);
    tcase_add_test(tc, test_store_outbox_delivery);
    tcase_add_test(tc, test_store_null_arguments);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) {
    return th_run(suite());
}
