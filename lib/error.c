/* Error codes, messages and the filling of zf_error. */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef ZF_TESTING
void zf__assert_fail(const char *file, int line, const char *cond) {
    fprintf(stderr, "%s:%d: zaakflow internal assertion failed: %s\n", file, line, cond);
    fflush(stderr);
    abort();
}
#endif

const char *zf_version(void) {
    return ZF_VERSION;
}

void zf_error_clear(zf_error *err) {
    if (err)
        memset(err, 0, sizeof *err);
}

const char *zf_strerror(zf_code code) {
    switch (code) {
    case ZF_OK:
        return "no error";
#define ZF__MSG(name, val, msg)                                                          \
    case ZF_##name:                                                                      \
        return msg;
        ZF_ERROR_MAP(ZF__MSG)
#undef ZF__MSG
    default:
        return "unknown error";
    }
}

const char *zf_code_name(zf_code code) {
    switch (code) {
    case ZF_OK:
        return "ZF_OK";
#define ZF__NAME(name, val, msg)                                                         \
    case ZF_##name:                                                                      \
        return "ZF_" #name;
        ZF_ERROR_MAP(ZF__NAME)
#undef ZF__NAME
    default:
        return "ZF_EUNKNOWN";
    }
}

void zf__copy_path(char *dst, size_t cap, const char *path) {
    size_t len;
    if (cap == 0)
        return;
    if (!path) {
        dst[0] = '\0';
        return;
    }
    len = strlen(path);
    if (len < cap) {
        memcpy(dst, path, len + 1);
        return;
    }
    /* Keep the tail, which names the file: "...s/long/path/bezwaar.xml". */
    if (cap < 4) {
        dst[0] = '\0';
        return;
    }
    memcpy(dst, "...", 3);
    memcpy(dst + 3, path + len - (cap - 4), cap - 4);
    dst[cap - 1] = '\0';
}

zf_code zf__error_vset(zf_error *err, zf_code code, const char *fmt, va_list ap) {
    if (!err || err->code != ZF_OK)
        return code;
    err->code = code;
    if (fmt) {
        int n = vsnprintf(err->message, sizeof err->message, fmt, ap);
        if (n < 0)
            snprintf(err->message, sizeof err->message, "%s", zf_strerror(code));
    } else {
        snprintf(err->message, sizeof err->message, "%s", zf_strerror(code));
    }
    /* Messages are one line: replace any control character. */
    for (char *p = err->message; *p; p++)
        if ((unsigned char)*p < 0x20)
            *p = ' ';
    return code;
}

zf_code zf__error_set(zf_error *err, zf_code code, const char *fmt, ...) {
    va_list ap;
    if (!err || err->code != ZF_OK)
        return code;
    va_start(ap, fmt);
    zf__error_vset(err, code, fmt, ap);
    va_end(ap);
    return code;
}

zf_code zf__error_setpos(zf_error *err, zf_code code, const char *file, int line,
                         int column, const char *fmt, ...) {
    va_list ap;
    if (!err || err->code != ZF_OK)
        return code;
    va_start(ap, fmt);
    zf__error_vset(err, code, fmt, ap);
    va_end(ap);
    zf__copy_path(err->file, sizeof err->file, file);
    err->line = line;
    err->column = column;
    return code;
}
