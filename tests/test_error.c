/* Error codes, messages, positions and the allocator hooks. */
#include "internal.h"
#include "testhelp.h"

#include <string.h>

START_TEST(test_error_names_and_messages) {
    ck_assert_str_eq(zf_code_name(ZF_OK), "ZF_OK");
    ck_assert_str_eq(zf_code_name(ZF_ENOMEM), "ZF_ENOMEM");
    ck_assert_str_eq(zf_code_name(ZF_ESNAPSHOT), "ZF_ESNAPSHOT");
    ck_assert_str_eq(zf_strerror(ZF_ENOMEM), "out of memory");
    ck_assert_str_eq(zf_code_name((zf_code)-999), "ZF_EUNKNOWN");
    ck_assert_str_eq(zf_strerror((zf_code)-999), "unknown error");
    ck_assert_int_eq(ZF_ENOMEM, -1);
    /* The case store's codes (libzaakflow-store). */
    ck_assert_str_eq(zf_code_name(ZF_ECONFLICT), "ZF_ECONFLICT");
    ck_assert_str_eq(zf_code_name(ZF_EDATABASE), "ZF_EDATABASE");
    ck_assert_str_eq(zf_strerror(ZF_ECONFLICT), "changed concurrently");
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

int main(void) {
    Suite *s = suite_create("error");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_error_names_and_messages);
    tcase_add_test(tc, test_error_first_error_wins);
    tcase_add_test(tc, test_error_position_and_long_path);
    tcase_add_test(tc, test_error_message_is_one_line);
    tcase_add_test(tc, test_buf_grows_and_fails_cleanly);
    tcase_add_test(tc, test_alloc_hooks_count);
    suite_add_tcase(s, tc);
    return th_run(s);
}
