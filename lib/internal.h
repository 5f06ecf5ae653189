/* Private helpers shared by every module: allocation, error filling, magic numbers. */
#ifndef ZF_INTERNAL_H
#define ZF_INTERNAL_H

#include "zaakflow.h"
#include <stdarg.h>

#if defined(__GNUC__)
#define ZF__PRINTF(a, b) __attribute__((format(printf, a, b)))
#define ZF__INTERNAL __attribute__((visibility("hidden")))
/* A step of the fire path the compiler must inline: each runs once or twice per
 * call, and the calls between them cost more than their bodies (callgrind:
 * about 11% of the instructions of a bezwaar event). */
#define ZF__HOT inline __attribute__((always_inline))
#define ZF__COLD __attribute__((noinline))
#else
#define ZF__PRINTF(a, b)
#define ZF__INTERNAL
#define ZF__HOT inline
#define ZF__COLD
#endif

/* Allocation through the installed zf_allocator. zf__malloc(0) returns a unique pointer.
 */
ZF__INTERNAL void *zf__malloc(size_t size);
ZF__INTERNAL void *zf__calloc(size_t n, size_t size);
ZF__INTERNAL void *zf__realloc(void *ptr, size_t size);
ZF__INTERNAL void zf__free(void *ptr);
ZF__INTERNAL char *zf__strdup(const char *s);
ZF__INTERNAL char *zf__strndup(const char *s, size_t n);

/* Make room in `buf` for `extra` more bytes and a NUL (capacity doubling, overflow
 * checked). On failure the buffer is unchanged. @return ZF_OK or ZF_ENOMEM. */
ZF__INTERNAL zf_code zf__buf_reserve(zf_buf *buf, size_t extra);

/*
 * Fill `err` (when non-NULL and still ZF_OK: the first error wins) and return
 * `code`. A NULL fmt uses zf_strerror(code).
 */
ZF__INTERNAL zf_code zf__error_set(zf_error *err, zf_code code, const char *fmt, ...)
    ZF__PRINTF(3, 4);
ZF__INTERNAL zf_code zf__error_vset(zf_error *err, zf_code code, const char *fmt,
                                    va_list ap);

/* zf_error_clear() without writing all its bytes: a call starts its err afresh
 * (the code, position and the strings' first bytes), cheap enough for every call. */
static inline void zf__error_reset(zf_error *err) {
    if (err) {
        err->code = ZF_OK;
        err->line = err->column = 0;
        err->file[0] = err->message[0] = '\0';
    }
}

/* Same, with a position in a file. `file` is truncated from the left with "...". */
ZF__INTERNAL zf_code zf__error_setpos(zf_error *err, zf_code code, const char *file,
                                      int line, int column, const char *fmt, ...)
    ZF__PRINTF(6, 7);

/* Copy a path into a fixed buffer, truncating from the left with "..." when too long. */
ZF__INTERNAL void zf__copy_path(char *dst, size_t cap, const char *path);
#ifdef ZF_TESTING
/* Test hook (scenario.c): when set, the scenario runner calls it with every case
 * after each step (tests/test_pack.c round-trips each case there). */
extern void (*zf__scenario_step_hook)(const zf_instance *inst);
#endif

/* Handle magic numbers (misuse detection, like sqlite3SafetyCheckOk). */
#define ZF__MAGIC_DEFINITION 0x7a664446u /* "zfDF" */
#define ZF__MAGIC_INSTANCE 0x7a66494eu   /* "zfIN" */
#define ZF__MAGIC_CALENDAR 0x7a66434cu   /* "zfCL" */
#define ZF__MAGIC_DEAD 0xdeadbeefu

#define ZF__ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
