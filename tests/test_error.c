/* Error codes, messages, positions and the allocator hooks. */
#include "internal.h"
#include "testhelp.h"

#include <stdlib.h>
#include <string.h>

START_TEST(test_error_names_and_messages) {
    ck_assert_str_eq(zf_code_name(ZF_OK), "ZF_OK");
    ck_assert_str_eq(zf_code_name(ZF_ENOMEM), "ZF_ENOMEM");
    ck_assert_str_eq(zf_code_name(ZF_ESNAPSHOT), "ZF_ESNAPSHOT");
    ck_assert_str_eq(zf_strerror(ZF_ENOMEM), "out of memory");
    ck_assert_str_eq(zf_code_name((zf_code)-999), "ZF_EUNKNOWN");
    ck_assert_str_eq(zf_strerror((zf_code)-999), "unknown error");
    ck_assert_int_eq(ZF_ENOMEM, -1);
}
END_TEST

START_TEST(test_error_first_error_wins) {
    zf_error err;
    zf_error_clear(&err);
    ck_assert_int_eq(zf__error_set(&err, ZF_EINVAL, "first %d", 1), ZF_EINVAL);
    ck_assert_int_eq(zf__error_set(&err, ZF_ENOMEM, "second"), ZF_ENOMEM);
    ck_assert_int_eq(err.code, ZF_EINVAL);
    ck_assert_str_eq(err.message, "first 1");
    ck_assert_int_eq(zf__error_set(NULL, ZF_ENOMEM, NULL), ZF_ENOMEM);
}
END_TEST

START_TEST(test_error_position_and_long_path) {
    zf_error err;
    char path[600];
    zf_error_clear(&err);
    memset(path, 'a', sizeof path);
    memcpy(path + sizeof path - 12, "bezwaar.xml", 12);
    zf__error_setpos(&err, ZF_ESEMANTIC, path, 12, 7, "target state '%s' is not defined",
                     "x");
    ck_assert_int_eq(err.line, 12);
    ck_assert_int_eq(err.column, 7);
    ck_assert_int_eq(strlen(err.file), sizeof err.file - 1);
    ck_assert(strncmp(err.file, "...", 3) == 0);
    ck_assert_str_eq(err.file + strlen(err.file) - 11, "bezwaar.xml");
}
END_TEST

START_TEST(test_error_message_is_one_line) {
    zf_error err;
    zf_error_clear(&err);
    zf__error_set(&err, ZF_EPARSE, "bad\nthing");
    ck_assert_str_eq(err.message, "bad thing");
}
END_TEST

START_TEST(test_buf_grows_and_fails_cleanly) {
    zf_buf b = ZF_BUF_INIT;
    ck_assert_int_eq(zf_buf_puts(&b, "hello"), ZF_OK);
    ck_assert_int_eq(zf_buf_printf(&b, " %d", 42), ZF_OK);
    ck_assert_str_eq(b.ptr, "hello 42");
    ck_assert_uint_eq(b.size, 8);
    /* A failing allocation leaves the text as it was. */
    th_alloc_fail_at(0);
    char big[200];
    memset(big, 'x', sizeof big);
    ck_assert_int_eq(zf_buf_put(&b, big, sizeof big), ZF_ENOMEM);
    th_alloc_reset();
    ck_assert_str_eq(b.ptr, "hello 42");
    zf_buf_dispose(&b);
    ck_assert_ptr_null(b.ptr);
    zf_buf_dispose(NULL);
}
END_TEST

START_TEST(test_alloc_hooks_count) {
    th_alloc_fail_at(-1);
    char *s = zf__strdup("abc");
    ck_assert_ptr_nonnull(s);
    ck_assert_int_eq(th_alloc_live(), 1);
    zf__free(s);
    ck_assert_int_eq(th_alloc_live(), 0);
    th_alloc_fail_at(0);
    ck_assert_ptr_null(zf__strdup("abc"));
    ck_assert(th_alloc_failed());
    th_alloc_reset();
}
END_TEST

/* ---- every call leaves err describing that call ------------------------- */

static zf_error e;

static void stale(void) {
    zf_error_clear(&e);
    e.code = ZF_EIO;
    e.line = 99;
    e.column = 7;
    strcpy(e.file, "old.xml");
    strcpy(e.message, "an old error");
}

/* After a call that returned rc: ZF_OK with an empty err, or rc with its message. */
static void fresh(zf_code rc, const char *what) {
    if (rc == ZF_OK)
        ck_assert_msg(
            e.code == ZF_OK && !e.message[0] && !e.file[0] && !e.line && !e.column,
            "%s: succeeded but err keeps %s: %s", what, zf_code_name(e.code), e.message);
    else
        ck_assert_msg(e.code == rc && e.message[0] && strcmp(e.message, "an old error"),
                      "%s: returned %s but err says %s: %s", what, zf_code_name(rc),
                      zf_code_name(e.code), e.message);
}

#define CALL(expr)                                                                       \
    do {                                                                                 \
        stale();                                                                         \
        fresh((expr), #expr);                                                            \
    } while (0)

START_TEST(test_error_every_call_describes_itself) {
    zf_date d;
    zf_duration du;
    zf_value v;
    zf_buf b = ZF_BUF_INIT;
    zf_term_spec spec = ZF_TERM_SPEC_INIT;
    zf_term_result res;
    zf_calendar *cal = NULL;
    zf_definition *def = NULL;
    zf_diagnostics dg = ZF_DIAGNOSTICS_INIT;
    zf_instance *in = NULL, *r = NULL;
    zf_term_info ti;
    zf_journal_entry je;
    zf_journal_item ji;
    zf_snapshot_summary sum;
    const char *names[8];
    size_t n;
    static const char cal_xml[] =
        "<calendar xmlns='urn:zaakflow:calendar:1' id='c' extends='atw'/>";
    static const char proc[] =
        "<process xmlns='urn:zaakflow:process:1' id='p' version='1' initial='a'>"
        "<events><event id='go'/></events><term id='t' length='2w'/>"
        "<state id='a'><transition event='go' target='b'/></state><final id='b'/>"
        "</process>";
    const char *path = th_srcpath("processes/klacht.xml");

    CALL(zf_date_parse(&d, "2026-01-05", &e));
    CALL(zf_date_parse(&d, "5 januari", &e));
    CALL(zf_date_from_ymd(&d, 2026, 2, 30, &e));
    CALL(zf_date_from_ymd(&d, 2026, 2, 28, &e));
    CALL(zf_date_add(&d, d, du = (zf_duration){6, ZF_UNIT_WEEK}, &e));
    CALL(zf_date_add(&d, ZF_DATE_NONE, du, &e));
    CALL(zf_duration_parse(&du, "6w", &e));
    CALL(zf_duration_parse(&du, "6x", &e));
    CALL(zf_value_parse(&v, ZF_TYPE_INT, "12", &e));
    CALL(zf_value_parse(&v, ZF_TYPE_INT, "twaalf", &e));
    CALL(zf_value_format(&b, &v, &e));
    spec.trigger = d;
    spec.length = du;
    CALL(zf_term_compute(&res, &spec, &e));
    CALL(zf_term_explain(&b, &res, &e));
    spec.trigger = ZF_DATE_NONE;
    CALL(zf_term_compute(&res, &spec, &e));
    CALL(zf_calendar_parse(&cal, cal_xml, strlen(cal_xml), "c.xml", &e));
    zf_calendar_free(cal);
    CALL(zf_calendar_parse(&cal, "<calendar", 9, "c.xml", &e));
    CALL(zf_calendar_load(&cal, "/nonexistent/calendar.xml", &e));
    /* The example: a parse error after an I/O error is ZF_EPARSE in err too. */
    CALL(zf_definition_load(&def, "/nonexistent/process.xml", NULL, &e));
    CALL(zf_definition_parse(&def, "<process", 8, "p.xml", NULL, &e));
    CALL(zf_definition_parse(&def, proc, strlen(proc), "p.xml", NULL, &e));
    zf_definition_free(def);
    CALL(zf_definition_load(&def, path, NULL, &e));
    CALL(zf_definition_dot(&b, def, &e));
    CALL(zf_definition_explain(&b, def, &e));
    CALL(zf_validate_files(&path, 1, &dg, &e));
    CALL(zf_diagnostics_format(&b, &dg, &e));
    zf_diagnostics_dispose(&dg);
    zf_definition_free(def);
    CALL(zf_definition_parse(&def, proc, strlen(proc), "p.xml", NULL, &e));
    CALL(zf_instance_new(&in, def, d, NULL, 0, NULL, &e));
    CALL(zf_instance_var(&v, in, "nothing", &e));
    CALL(zf_instance_term(&ti, in, 0, &e));
    CALL(zf_instance_term(&ti, in, 9, &e));
    CALL(zf_instance_term_by_id(&ti, in, "t", &e));
    CALL(zf_instance_term_by_id(&ti, in, "u", &e));
    CALL(zf_instance_term_explain(&b, in, "t", &e));
    CALL(zf_instance_enabled_events(names, 8, &n, in, NULL, &e));
    CALL(zf_instance_journal_entry(&je, in, 0, &e));
    CALL(zf_instance_journal_item(&ji, in, 0, 0, &e));
    CALL(zf_instance_journal_item(&ji, in, 0, 99, &e));
    CALL(zf_instance_timeline(&b, in, &e));
    CALL(zf_instance_fire(in, "gone", d, NULL, NULL, 0, &e));
    CALL(zf_instance_advance(in, d - 1, &e));
    CALL(zf_instance_advance(in, d, &e));
    zf_buf_clear(&b);
    CALL(zf_instance_snapshot(&b, in, &e));
    CALL(zf_snapshot_info(&sum, b.ptr, b.size, NULL, &e));
    CALL(zf_instance_restore(&r, def, b.ptr, b.size, NULL, &e));
    zf_instance_free(r);
    CALL(zf_instance_restore(&r, def, b.ptr, b.size - 1, NULL, &e));
    CALL(zf_instance_fire(in, "go", d + 1, NULL, NULL, 0, &e));
    CALL(zf_instance_effect(NULL, in, 0, &e));
    zf_instance_free(in);
    zf_definition_free(def);
    zf_buf_dispose(&b);
}
END_TEST

int main(void) {
    Suite *s = suite_create("error");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_error_names_and_messages);
    tcase_add_test(tc, test_error_first_error_wins);
    tcase_add_test(tc, test_error_position_and_long_path);
    tcase_add_test(tc, test_error_message_is_one_line);
    tcase_add_test(tc, test_buf_grows_and_fails_cleanly);
    tcase_add_test(tc, test_alloc_hooks_count);
    tcase_add_test(tc, test_error_every_call_describes_itself);
    suite_add_tcase(s, tc);
    return th_run(s);
}
