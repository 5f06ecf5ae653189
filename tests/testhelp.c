#include "testhelp.h"

#include "instance_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static long fail_at = -1, count, live;
static int failed;

static void *t_malloc(size_t size, void *ctx) {
    (void)ctx;
    if (fail_at >= 0 && count++ == fail_at) {
        failed = 1;
        return NULL;
    }
    void *p = malloc(size);
    if (p)
        live++;
    return p;
}

static void *t_realloc(void *ptr, size_t size, void *ctx) {
    (void)ctx;
    if (fail_at >= 0 && count++ == fail_at) {
        failed = 1;
        return NULL;
    }
    void *p = realloc(ptr, size);
    if (p && !ptr)
        live++;
    return p;
}

static void t_free(void *ptr, void *ctx) {
    (void)ctx;
    if (ptr)
        live--;
    free(ptr);
}

void th_alloc_fail_at(long n) {
    zf_allocator a = {t_malloc, t_realloc, t_free, NULL};
    fail_at = n;
    count = 0;
    live = 0;
    failed = 0;
    zf_set_allocator(&a);
}

void th_alloc_reset(void) {
    fail_at = -1;
    zf_set_allocator(NULL);
}

long th_alloc_count(void) {
    return count;
}
long th_alloc_live(void) {
    return live;
}
int th_alloc_failed(void) {
    return failed;
}

zf_date th_date(const char *iso) {
    zf_date d = ZF_DATE_NONE;
    ck_assert_msg(zf_date_parse(&d, iso, NULL) == ZF_OK, "not a date: %s", iso);
    return d;
}

zf_definition *th_parse(const char *xml) {
    zf_definition *d = NULL;
    zf_diagnostics dg = ZF_DIAGNOSTICS_INIT;
    zf_buf b = ZF_BUF_INIT;
    zf_error err;
    if (zf_definition_parse(&d, xml, strlen(xml), "<string>", &dg, &err) != ZF_OK) {
        zf_diagnostics_format(&b, &dg, NULL);
        ck_abort_msg("definition does not load: %s\n%s", err.message, b.ptr ? b.ptr : "");
    }
    zf_diagnostics_dispose(&dg);
    return d;
}

/* One buffer's failure loop for th_text_failure_loop(). */
static void text_failure_loop(th_text_fn fn, const void *obj, const char *before,
                              const zf_buf *want) {
    for (long n = 0;; n++) {
        zf_buf b = ZF_BUF_INIT;
        zf_error err;
        zf_code rc;
        long leaked;
        int hit;
        zf_buf_puts(&b, before);
        if (!*before)
            zf_buf_dispose(&b); /* no memory */
        th_alloc_fail_at(n);
        zf_error_clear(&err);
        rc = fn(&b, obj, &err);
        hit = th_alloc_failed();
        leaked = th_alloc_live();
        th_alloc_reset();
        if (!hit) {
            ck_assert_int_eq(rc, ZF_OK);
            ck_assert_uint_eq(b.size, strlen(before) + want->size);
            ck_assert_int_eq(memcmp(b.ptr, before, strlen(before)), 0);
            ck_assert_str_eq(b.ptr + strlen(before), want->ptr);
            zf_buf_dispose(&b);
            return;
        }
        ck_assert_msg(rc == ZF_ENOMEM, "n=%ld: rc=%d", n, rc);
        ck_assert_int_eq(err.code, ZF_ENOMEM);
        if (*before) {
            ck_assert_str_eq(b.ptr, before);
            ck_assert_uint_eq(b.size, strlen(before));
        } else {
            ck_assert_ptr_null(b.ptr);
            ck_assert_uint_eq(b.size + b.asize, 0);
        }
        /* The caller's text came from malloc before the hooks: it is not counted. */
        ck_assert_msg(leaked == 0, "n=%ld: %ld blocks leaked", n, leaked);
        zf_buf_dispose(&b);
    }
}

size_t th_text_failure_loop(th_text_fn fn, const void *obj) {
    zf_buf want = ZF_BUF_INIT;
    size_t len;
    ck_assert_int_eq(fn(&want, obj, NULL), ZF_OK);
    text_failure_loop(fn, obj, "", &want);
    text_failure_loop(fn, obj, "text the caller had\n", &want);
    len = want.size;
    zf_buf_dispose(&want);
    return len;
}

const char *th_srcpath(const char *rel) {
    static char buf[4096];
    snprintf(buf, sizeof buf, "%s/%s", ZF_SRCDIR, rel);
    return buf;
}

char *th_reseal(const char *snapshot) {
    zf_buf b = ZF_BUF_INIT;
    char *out;
    if (zf_buf_puts(&b, snapshot) || zf__snapshot_reseal(&b, NULL, 0))
        abort();
    out = malloc(b.size + 1);
    if (!out)
        abort();
    memcpy(out, b.ptr, b.size + 1);
    zf_buf_dispose(&b);
    return out;
}

int th_run(Suite *s) {
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed_n = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed_n == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
