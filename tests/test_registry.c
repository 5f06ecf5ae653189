/* The registry: versions side by side, picked by date, found by id/version and hash. */
#define _POSIX_C_SOURCE 200809L
#include "testhelp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NS "xmlns='urn:zaakflow:process:1'"

/* Two versions of a child process (amounts changed on 2019-01-01, as Awb 4:17
 * lid 2 did) and a parent that spawns it. */
static const char *CHILD_2018 =
    "<process " NS " id='kind' version='2018.1' initial='a' valid-until='2018-12-31'>"
    "<data><var id='ontvangen' type='date' required='true'/>"
    "<var id='bedrag' type='money' default='20'/></data>"
    "<state id='a'><term id='t' from='ontvangen' length='2w'><basis>Awb 4:17 lid "
    "3</basis>"
    "</term><transition event='expired.t' target='b'/></state>"
    "<final id='b'/></process>";
static const char *CHILD_2019 =
    "<process " NS " id='kind' version='2019.1' initial='a' valid-from='2019-01-01'>"
    "<data><var id='ontvangen' type='date' required='true'/>"
    "<var id='bedrag' type='money' default='23'/></data>"
    "<state id='a'><term id='t' from='ontvangen' length='2w'><basis>Awb 4:17 lid "
    "3</basis>"
    "</term><transition event='expired.t' target='b'/></state>"
    "<final id='b'/></process>";
static const char *PARENT =
    "<process " NS " id='ouder' version='1' initial='a'>"
    "<events><event id='go'/></events>"
    "<state id='a'><transition event='go' target='b'>"
    "<spawn process='kind' relation='deelzaak'><with name='ontvangen' expr='today'/>"
    "</spawn></transition></state><final id='b'/></process>";

static zf_registry *reg;
static zf_error err;

static zf_date D(const char *s) {
    zf_date d;
    ck_assert_int_eq(zf_date_parse(&d, s, NULL), ZF_OK);
    return d;
}

static zf_definition *parse(const char *xml) {
    zf_definition *d = NULL;
    zf_error e;
    zf_error_clear(&e);
    ck_assert_msg(zf_definition_parse(&d, xml, strlen(xml), "<string>", NULL, &e) ==
                      ZF_OK,
                  "%s", e.message);
    return d;
}

static const zf_definition *add(const char *xml) {
    const zf_definition *out = NULL;
    zf_definition *d = parse(xml);
    ck_assert_msg(zf_registry_take(&out, reg, d, &err) == ZF_OK, "%s", err.message);
    return out;
}

static void setup(void) {
    ck_assert_int_eq(zf_registry_new(&reg, &err), ZF_OK);
}

static void teardown(void) {
    th_alloc_reset();
    zf_registry_free(reg);
    reg = NULL;
}

START_TEST(test_registry_pick_by_date) {
    const zf_definition *v18 = add(CHILD_2018), *v19 = add(CHILD_2019), *p = add(PARENT);
    const zf_definition *got = NULL;
    ck_assert_uint_eq(zf_registry_count(reg), 3);
    /* Sorted by id, then by the start of the validity. */
    ck_assert_ptr_eq(zf_registry_get(reg, 0), v18);
    ck_assert_ptr_eq(zf_registry_get(reg, 1), v19);
    ck_assert_ptr_eq(zf_registry_get(reg, 2), p);
    ck_assert_ptr_null(zf_registry_get(reg, 3));
    ck_assert_int_eq(zf_registry_pick(&got, reg, "kind", D("2018-12-31"), &err), ZF_OK);
    ck_assert_ptr_eq(got, v18);
    ck_assert_int_eq(zf_registry_pick(&got, reg, "kind", D("2019-01-01"), &err), ZF_OK);
    ck_assert_ptr_eq(got, v19);
    ck_assert_int_eq(zf_registry_pick(&got, reg, "kind", D("2040-06-30"), &err), ZF_OK);
    ck_assert_ptr_eq(got, v19);
    ck_assert_int_eq(zf_registry_pick(&got, reg, "ouder", D("1990-01-01"), &err), ZF_OK);
    ck_assert_ptr_eq(got, p);
    ck_assert_int_eq(zf_registry_pick(&got, reg, "niets", D("2019-01-01"), &err),
                     ZF_ENOTFOUND);
    ck_assert_ptr_null(got);
    ck_assert_str_eq(err.message, "no process 'niets' in the registry");
    ck_assert_int_eq(zf_registry_find(&got, reg, "kind", "2018.1", &err), ZF_OK);
    ck_assert_ptr_eq(got, v18);
    ck_assert_int_eq(zf_registry_find(&got, reg, "kind", "2017.1", &err), ZF_ENOTFOUND);
    ck_assert_str_eq(err.message, "no process 'kind' version '2017.1' in the registry");
    ck_assert_int_eq(zf_registry_find_hash(&got, reg, zf_definition_hash(v19), &err),
                     ZF_OK);
    ck_assert_ptr_eq(got, v19);
    ck_assert_int_eq(zf_registry_find_hash(&got, reg, "00", &err), ZF_ENOTFOUND);
}
END_TEST

START_TEST(test_registry_no_version_valid) {
    zf_definition *d = parse(CHILD_2018);
    const zf_definition *got = NULL;
    /* Only the old version: nothing is valid in 2019. */
    ck_assert_int_eq(zf_registry_take(&got, reg, d, &err), ZF_OK);
    ck_assert_int_eq(zf_registry_pick(&got, reg, "kind", D("2019-03-01"), &err),
                     ZF_ENOTFOUND);
    ck_assert_str_eq(err.message, "no version of process 'kind' is valid on 2019-03-01 "
                                  "(2018.1 until 2018-12-31)");
}
END_TEST

START_TEST(test_registry_conflicts) {
    const zf_definition *first = add(CHILD_2018), *got = (const zf_definition *)1;
    zf_definition *same = parse(CHILD_2018);
    char *other = malloc(strlen(CHILD_2018) + strlen(CHILD_2019) + strlen(PARENT)), *p;
    /* The same content again: accepted, the first one stays. */
    ck_assert_int_eq(zf_registry_take(&got, reg, same, &err), ZF_OK);
    ck_assert_ptr_eq(got, first);
    ck_assert_uint_eq(zf_registry_count(reg), 1);
    /* The same id and version with another content. */
    strcpy(other, CHILD_2018);
    p = strstr(other, "default='20'");
    memcpy(p, "default='21'", 12);
    zf_definition *changed = parse(other);
    ck_assert_int_eq(zf_registry_take(&got, reg, changed, &err), ZF_ESEMANTIC);
    ck_assert_ptr_null(got);
    ck_assert_ptr_nonnull(strstr(err.message, "process 'kind' version '2018.1' is also "
                                              "defined in <string> with other content"));
    ck_assert_int_eq(err.line, 1);
    zf_definition_free(changed); /* the caller keeps it on failure */
    /* An overlapping validity: 2019.1 starting in 2018. */
    strcpy(other, CHILD_2019);
    p = strstr(other, "2019-01-01");
    memcpy(p, "2018-12-01", 10);
    zf_definition *overlap = parse(other);
    ck_assert_int_eq(zf_registry_take(&got, reg, overlap, &err), ZF_ESEMANTIC);
    ck_assert_str_eq(
        err.message,
        "the validity of process 'kind' version '2019.1' (from 2018-12-01) "
        "overlaps that of version '2018.1' (until 2018-12-31) in <string>: a "
        "case start date must pick one version");
    zf_definition_free(overlap);
    /* A version without a validity is valid on every day: it overlaps a dated one. */
    strcpy(other, CHILD_2019);
    memcpy(strstr(other, "valid-from='2019-01-01'"), "title='x2019-01-01xxxx'", 23);
    zf_definition *undated = parse(other);
    ck_assert_int_eq(zf_registry_take(&got, reg, undated, &err), ZF_ESEMANTIC);
    ck_assert_ptr_nonnull(strstr(err.message, "(always) overlaps"));
    zf_definition_free(undated);
    /* Two versions without any validity may stand side by side (to restore old
       cases), but no date picks one of them. */
    zf_registry_free(reg);
    ck_assert_int_eq(zf_registry_new(&reg, &err), ZF_OK);
    add(PARENT);
    strcpy(other, PARENT);
    memcpy(strstr(other, "version='1'"), "version='2'", 11);
    zf_definition *v2 = parse(other);
    ck_assert_int_eq(zf_registry_take(&got, reg, v2, &err), ZF_OK);
    ck_assert_uint_eq(zf_registry_count(reg), 2);
    ck_assert_int_eq(zf_registry_pick(&got, reg, "ouder", D("2026-01-01"), &err),
                     ZF_ESEMANTIC);
    ck_assert_ptr_null(got);
    ck_assert_str_eq(err.message,
                     "versions '1' and '2' of process 'ouder' are both valid "
                     "on 2026-01-01: give them a validity (valid-from, "
                     "valid-until)");
    free(other);
}
END_TEST

START_TEST(test_registry_start_and_follow) {
    zf_instance *parent = NULL, *child = NULL;
    zf_value v;
    add(CHILD_2018);
    add(CHILD_2019);
    add(PARENT);
    ck_assert_int_eq(
        zf_registry_start(&parent, reg, "ouder", D("2018-12-20"), NULL, 0, NULL, &err),
        ZF_OK);
    /* The spawn of 2018-12-28 starts the 2018 version ... */
    ck_assert_int_eq(zf_instance_fire(parent, "go", D("2018-12-28"), NULL, NULL, 0, &err),
                     ZF_OK);
    ck_assert_int_eq(zf_registry_follow(&child, reg, parent, 0, NULL, &err), ZF_OK);
    ck_assert_str_eq(zf_definition_version(zf_instance_definition(child)), "2018.1");
    ck_assert_int_eq(zf_instance_var(&v, child, "bedrag", &err), ZF_OK);
    ck_assert_int_eq(v.as.i, 2000);
    ck_assert_int_eq(zf_instance_var(&v, child, "ontvangen", &err), ZF_OK);
    ck_assert_int_eq(v.as.date, D("2018-12-28"));
    ck_assert_int_eq(zf_instance_date(child), D("2018-12-28"));
    zf_instance_free(child);
    zf_instance_free(parent);
    /* ... that of 2019-01-02 the 2019 version. */
    ck_assert_int_eq(
        zf_registry_start(&parent, reg, "ouder", D("2018-12-20"), NULL, 0, NULL, &err),
        ZF_OK);
    ck_assert_int_eq(zf_instance_fire(parent, "go", D("2019-01-02"), NULL, NULL, 0, &err),
                     ZF_OK);
    ck_assert_int_eq(zf_registry_follow(&child, reg, parent, 0, NULL, &err), ZF_OK);
    ck_assert_str_eq(zf_definition_version(zf_instance_definition(child)), "2019.1");
    zf_instance_free(child);
    ck_assert_int_eq(zf_registry_follow(&child, reg, parent, 1, NULL, &err),
                     ZF_ENOTFOUND);
    ck_assert_ptr_null(child);
    zf_instance_free(parent);
    /* A start date no version covers. */
    zf_registry_free(reg);
    ck_assert_int_eq(zf_registry_new(&reg, &err), ZF_OK);
    add(CHILD_2019);
    zf_param_value vars[] = {{"ontvangen", zf_value_date(D("2018-05-01"))}};
    ck_assert_int_eq(
        zf_registry_start(&child, reg, "kind", D("2018-05-01"), vars, 1, NULL, &err),
        ZF_ENOTFOUND);
    ck_assert_ptr_null(child);
}
END_TEST

static char *snap(const zf_instance *in) {
    zf_buf b = ZF_BUF_INIT;
    ck_assert_int_eq(zf_instance_snapshot(&b, in, NULL), ZF_OK);
    char *s = malloc(b.size + 1);
    memcpy(s, b.ptr, b.size + 1);
    zf_buf_dispose(&b);
    return s;
}

START_TEST(test_registry_restore_finds_the_version) {
    zf_instance *a = NULL, *b = NULL, *r = NULL;
    zf_param_value v18[] = {{"ontvangen", zf_value_date(D("2018-12-20"))}};
    zf_param_value v19[] = {{"ontvangen", zf_value_date(D("2019-02-01"))}};
    add(CHILD_2018);
    add(CHILD_2019);
    ck_assert_int_eq(
        zf_registry_start(&a, reg, "kind", D("2018-12-20"), v18, 1, NULL, &err), ZF_OK);
    ck_assert_int_eq(
        zf_registry_start(&b, reg, "kind", D("2019-02-01"), v19, 1, NULL, &err), ZF_OK);
    char *sa = snap(a), *sb = snap(b);
    ck_assert_int_eq(zf_registry_restore(&r, reg, sa, strlen(sa), NULL, &err), ZF_OK);
    ck_assert_ptr_eq(zf_instance_definition(r), zf_instance_definition(a));
    char *again = snap(r);
    ck_assert_str_eq(again, sa);
    free(again);
    zf_instance_free(r);
    ck_assert_int_eq(zf_registry_restore(&r, reg, sb, strlen(sb), NULL, &err), ZF_OK);
    ck_assert_str_eq(zf_definition_version(zf_instance_definition(r)), "2019.1");
    zf_instance_free(r);
    /* A registry without that version. */
    zf_registry_free(reg);
    ck_assert_int_eq(zf_registry_new(&reg, &err), ZF_OK);
    add(CHILD_2019);
    ck_assert_int_eq(zf_registry_restore(&r, reg, sa, strlen(sa), NULL, &err),
                     ZF_ESNAPSHOT);
    ck_assert_ptr_null(r);
    ck_assert_ptr_nonnull(strstr(err.message, "snapshot is of kind 2018.1 (hash "));
    ck_assert_ptr_nonnull(strstr(err.message, "which is not in the registry"));
    /* Not a snapshot. */
    ck_assert_int_eq(zf_registry_restore(&r, reg, "<x/>", 4, NULL, &err), ZF_ESNAPSHOT);
    ck_assert_int_eq(zf_registry_restore(&r, reg, "<x", 2, NULL, &err), ZF_EPARSE);
    ck_assert_int_eq(zf_registry_restore(&r, reg, "<!DOCTYPE x><x/>", 16, NULL, &err),
                     ZF_ESNAPSHOT);
    zf_instance_free(a);
    zf_instance_free(b);
    free(sa);
    free(sb);
}
END_TEST

START_TEST(test_registry_misuse) {
    const zf_definition *got = NULL;
    zf_instance *in = NULL;
    ck_assert_int_eq(zf_registry_new(NULL, &err), ZF_EINVAL);
    ck_assert_int_eq(zf_registry_take(&got, NULL, NULL, &err), ZF_EINVAL);
    ck_assert_str_eq(err.message, "invalid registry");
    ck_assert_int_eq(zf_registry_take(&got, reg, NULL, &err), ZF_EINVAL);
    ck_assert_str_eq(err.message, "invalid definition");
    ck_assert_int_eq(zf_registry_load(&got, reg, NULL, NULL, &err), ZF_EINVAL);
    ck_assert_int_eq(zf_registry_load(&got, reg, "/nonexistent.xml", NULL, &err), ZF_EIO);
    ck_assert_int_eq(zf_registry_find(NULL, reg, "x", "1", &err), ZF_EINVAL);
    ck_assert_int_eq(zf_registry_find(&got, reg, NULL, "1", &err), ZF_EINVAL);
    ck_assert_str_eq(err.message, "id is NULL");
    ck_assert_int_eq(zf_registry_find_hash(&got, NULL, "x", &err), ZF_EINVAL);
    ck_assert_int_eq(zf_registry_pick(&got, reg, "x", ZF_DATE_NONE, &err), ZF_EINVAL);
    ck_assert_int_eq(zf_registry_start(NULL, reg, "x", 0, NULL, 0, NULL, &err),
                     ZF_EINVAL);
    ck_assert_int_eq(zf_registry_follow(&in, reg, NULL, 0, NULL, &err), ZF_EINVAL);
    ck_assert_int_eq(zf_registry_restore(&in, reg, NULL, 0, NULL, &err), ZF_EINVAL);
    ck_assert_uint_eq(zf_registry_count(NULL), 0);
    ck_assert_ptr_null(zf_registry_get(NULL, 0));
    zf_registry_free(NULL);
}
END_TEST

START_TEST(test_registry_load_alloc_failures) {
    const char *path = th_srcpath("processes/dwangsom.xml");
    const zf_definition *got = NULL;
    zf_code rc = ZF_ENOMEM;
    add(PARENT);
    for (long n = 0; rc == ZF_ENOMEM; n++) {
        th_alloc_fail_at(n);
        rc = zf_registry_load(&got, reg, path, NULL, &err);
        th_alloc_reset();
        if (rc == ZF_ENOMEM) {
            ck_assert_uint_eq(zf_registry_count(reg), 1);
            ck_assert_ptr_null(got);
        }
        ck_assert_msg(n < 100000, "no end");
    }
    ck_assert_int_eq(rc, ZF_OK);
    ck_assert_uint_eq(zf_registry_count(reg), 2);
    ck_assert_str_eq(zf_definition_id(got), "dwangsom");
}
END_TEST

/* zf_validate_files: two versions side by side are fine, overlapping ones are not. */
static char *tmpfile_with(const char *xml) {
    char *path = malloc(64);
    strcpy(path, "/tmp/zf_registry_XXXXXX");
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, xml, strlen(xml)), (ssize_t)strlen(xml));
    close(fd);
    return path;
}

START_TEST(test_registry_validate_files_versions) {
    char *p18 = tmpfile_with(CHILD_2018), *p19 = tmpfile_with(CHILD_2019),
         *pp = tmpfile_with(PARENT);
    char *bad = malloc(strlen(CHILD_2019) + 1);
    strcpy(bad, CHILD_2019);
    memcpy(strstr(bad, "2019-01-01"), "2018-12-01", 10);
    char *pbad = tmpfile_with(bad);
    zf_diagnostics dg = ZF_DIAGNOSTICS_INIT;
    const char *ok[] = {pp, p18, p19};
    ck_assert_int_eq(zf_validate_files(ok, 3, &dg, &err), ZF_OK);
    ck_assert_uint_eq(dg.errors, 0);
    zf_diagnostics_dispose(&dg);
    /* The overlap is reported once, whatever the order of the files. */
    for (int order = 0; order < 2; order++) {
        const char *files[] = {order ? pbad : p18, order ? p18 : pbad};
        ck_assert_int_eq(zf_validate_files(files, 2, &dg, &err), ZF_ESEMANTIC);
        const zf_diagnostic *e = NULL;
        ck_assert_uint_eq(dg.errors, 1);
        for (size_t i = 0; i < dg.count; i++)
            if (dg.items[i].severity == ZF_SEVERITY_ERROR)
                e = &dg.items[i];
        ck_assert_str_eq(e->check, "version-conflict");
        ck_assert_int_eq(e->line, 1);
        ck_assert_int_eq(e->column, 45); /* the id */
        ck_assert_str_eq(e->file, strcmp(pbad, p18) > 0 ? pbad : p18);
        zf_diagnostics_dispose(&dg);
    }
    /* The same file twice is the same definition. */
    const char *twice[] = {p18, p18};
    ck_assert_int_eq(zf_validate_files(twice, 2, &dg, &err), ZF_OK);
    zf_diagnostics_dispose(&dg);
    unlink(p18);
    unlink(p19);
    unlink(pp);
    unlink(pbad);
    free(p18);
    free(p19);
    free(pp);
    free(pbad);
    free(bad);
}
END_TEST

/* ---- the snapshot fixtures of tests/data ------------------------------------ */

/* The contents of a file below the source tree (malloc'd), or NULL. */
static char *slurp(const char *rel) {
    FILE *f = fopen(th_srcpath(rel), "rb");
    char *s;
    long n;
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    rewind(f);
    s = malloc((size_t)n + 1);
    ck_assert_uint_eq(fread(s, 1, (size_t)n, f), (size_t)n);
    s[n] = '\0';
    fclose(f);
    return s;
}

/* The snapshot of the bezwaar case of examples/c/bezwaar_case.c (decision sent on
 * Friday 3 April 2026, Goede Vrijdag; the bezwaarschrift received on 12 May), with
 * the options' key if any. */
static char *bezwaar_snapshot(const zf_definition *def, const zf_instance_options *o) {
    const char *behandelaar[] = {"behandelaar"};
    zf_actor jurist = {"j.devries", behandelaar, 1};
    zf_param_value vars[] = {{"verzonden", zf_value_date(D("2026-04-03"))},
                             {"commissie_gemeld", zf_value_bool(1)}};
    zf_param_value ontvangst[] = {{"ontvangen", zf_value_date(D("2026-05-12"))},
                                  {"per_post", zf_value_bool(0)}};
    zf_instance *zaak = NULL;
    zf_buf b = ZF_BUF_INIT;
    char *s;
    ck_assert_int_eq(zf_instance_new(&zaak, def, D("2026-05-12"), vars, 2, o, &err),
                     ZF_OK);
    ck_assert_msg(zf_instance_fire(zaak, "bezwaarschrift_ontvangen", D("2026-05-12"),
                                   &jurist, ontvangst, 2, &err) == ZF_OK,
                  "%s", err.message);
    ck_assert_int_eq(zf_instance_snapshot(&b, zaak, &err), ZF_OK);
    s = strdup(b.ptr);
    zf_buf_dispose(&b);
    zf_instance_free(zaak);
    return s;
}

/*
 * tests/data/snapshot-bezwaar.xml and snapshot-bezwaar-sealed.xml (sealed with
 * tests/data/snapshot.key) are what the library writes for that case with
 * processes/bezwaar.xml, and restore through a registry: found by the canonical
 * hash they name. When processes/bezwaar.xml changes in meaning (its hash), or the
 * snapshot format does, make them again with the library:
 *   ZF_WRITE_TEST_DATA=1 make -C tests check TESTS=test_registry
 */
START_TEST(test_registry_restores_the_fixtures) {
    static const char *const names[2] = {"tests/data/snapshot-bezwaar.xml",
                                         "tests/data/snapshot-bezwaar-sealed.xml"};
    const zf_definition *def = NULL;
    char *key = slurp("tests/data/snapshot.key");
    ck_assert_ptr_nonnull(key);
    ck_assert_int_eq(
        zf_registry_load(&def, reg, th_srcpath("processes/bezwaar.xml"), NULL, &err),
        ZF_OK);
    for (int sealed = 0; sealed < 2; sealed++) {
        zf_instance_options o = ZF_INSTANCE_OPTIONS_INIT;
        zf_instance *r = NULL;
        zf_buf again = ZF_BUF_INIT;
        if (sealed) {
            o.key = (const unsigned char *)key;
            o.key_len = strlen(key);
        }
        char *want = bezwaar_snapshot(def, &o);
        if (getenv("ZF_WRITE_TEST_DATA")) {
            FILE *f = fopen(th_srcpath(names[sealed]), "wb");
            ck_assert_ptr_nonnull(f);
            fputs(want, f);
            fclose(f);
        }
        char *have = slurp(names[sealed]);
        ck_assert_ptr_nonnull(have);
        ck_assert_msg(!strcmp(have, want),
                      "%s is not what the library writes for its case with "
                      "processes/bezwaar.xml (hash %.12s...): make it again (see the "
                      "comment of this test)",
                      names[sealed], zf_definition_hash(def));
        ck_assert_msg(zf_registry_restore(&r, reg, have, strlen(have), &o, &err) == ZF_OK,
                      "%s", err.message);
        ck_assert_ptr_eq(zf_instance_definition(r), def);
        ck_assert_int_eq(zf_instance_snapshot(&again, r, &err), ZF_OK);
        ck_assert_str_eq(again.ptr, have);
        zf_buf_dispose(&again);
        zf_instance_free(r);
        free(have);
        free(want);
    }
    free(key);
}
END_TEST

static Suite *suite(void) {
    Suite *s = suite_create("registry");
    TCase *tc = tcase_create("versions");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_registry_pick_by_date);
    tcase_add_test(tc, test_registry_no_version_valid);
    tcase_add_test(tc, test_registry_conflicts);
    tcase_add_test(tc, test_registry_start_and_follow);
    tcase_add_test(tc, test_registry_restore_finds_the_version);
    tcase_add_test(tc, test_registry_misuse);
    tcase_add_test(tc, test_registry_load_alloc_failures);
    tcase_add_test(tc, test_registry_validate_files_versions);
    tcase_add_test(tc, test_registry_restores_the_fixtures);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) {
    return th_run(suite());
}
