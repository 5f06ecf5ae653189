/* Private helpers shared by every module: allocation, error filling, magic numbers. */
#ifndef ZF_INTERNAL_H
#define ZF_INTERNAL_H

#include "zaakflow.h"
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>

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

/*
 * Array growth, one rule for every growing array (as libgit2's git_array_alloc):
 * the capacity doubles, from `first` for an empty array, until it holds `need`
 * elements of `elsize` bytes. zf__grow_cap() gives that capacity, or 0 when its
 * bytes do not fit a size_t. zf__grow_array() reallocates `ptr` (capacity *cap) to
 * it through zf__realloc and returns the new array with *cap updated; with room
 * already it returns `ptr`; on failure (out of memory or overflow) it returns `ptr`
 * with *cap unchanged, the array as it was.
 */
ZF__INTERNAL size_t zf__grow_cap(size_t cap, size_t need, size_t first, size_t elsize);
ZF__INTERNAL void *zf__grow_array(void *ptr, size_t *cap, size_t need, size_t first,
                                  size_t elsize);
/* Make room for `need` elements in the array `arr` (an lvalue of type T *) with
 * capacity `cap` (a size_t lvalue): ZF_OK, or ZF_ENOMEM with both unchanged. The
 * array goes to zf__grow_array() and comes back by value, a void * assigned to a
 * T *: never through a T ** cast to void ** (undefined behaviour). `arr`, `cap` and
 * `need` are evaluated more than once. */
#define ZF__GROW(arr, cap, need, first)                                                  \
    ((need) <= (cap)                                                                     \
         ? ZF_OK                                                                         \
         : ((arr) = zf__grow_array((arr), &(cap), (need), (first), sizeof *(arr)),       \
            (cap) >= (need) ? ZF_OK : ZF_ENOMEM))

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

/*
 * The misuse check, one for every handle (as SQLite's sqlite3SafetyCheckOk): every
 * handle struct starts with an `unsigned int magic` (a static assertion beside each
 * says so), set when it is made and overwritten with ZF__MAGIC_DEAD when it is
 * freed. zf__ok_<handle>() is 0 for NULL and for a freed handle; a public call then
 * fails with ZF_EINVAL and the message "invalid <handle>" ("invalid instance"), or,
 * when it returns no code, returns its documented empty answer.
 */
#define ZF__MAGIC_DEFINITION 0x7a664446u  /* "zfDF" */
#define ZF__MAGIC_INSTANCE 0x7a66494eu    /* "zfIN" */
#define ZF__MAGIC_CALENDAR 0x7a66434cu    /* "zfCL" */
#define ZF__MAGIC_ZGW_PROCESS 0x7a665a50u /* "zfZP" */
#define ZF__MAGIC_ZGW_CONFIG 0x7a665a43u  /* "zfZC" */
#define ZF__MAGIC_REGISTRY 0x7a665247u    /* "zfRG" */
#define ZF__MAGIC_MIGRATION 0x7a664d47u   /* "zfMG" */
#define ZF__MAGIC_DEAD 0xdeadbeefu

/* A pointer to a struct is a pointer to its first member (C11 6.7.2.1): the magic. */
static inline int zf__ok_handle(const void *h, unsigned int magic) {
    return h != NULL && *(const unsigned int *)h == magic;
}
static inline int zf__ok_definition(const zf_definition *def) {
    return zf__ok_handle(def, ZF__MAGIC_DEFINITION);
}
static inline int zf__ok_instance(const zf_instance *inst) {
    return zf__ok_handle(inst, ZF__MAGIC_INSTANCE);
}
static inline int zf__ok_calendar(const zf_calendar *cal) {
    return zf__ok_handle(cal, ZF__MAGIC_CALENDAR);
}
static inline int zf__ok_zgw_process(const zf_zgw_process *proc) {
    return zf__ok_handle(proc, ZF__MAGIC_ZGW_PROCESS);
}
static inline int zf__ok_zgw_config(const zf_zgw_config *cfg) {
    return zf__ok_handle(cfg, ZF__MAGIC_ZGW_CONFIG);
}
static inline int zf__ok_registry(const zf_registry *reg) {
    return zf__ok_handle(reg, ZF__MAGIC_REGISTRY);
}
static inline int zf__ok_migration(const zf_migration *mig) {
    return zf__ok_handle(mig, ZF__MAGIC_MIGRATION);
}
/* Beside each handle struct: its magic is its first member. */
#define ZF__MAGIC_FIRST(type)                                                            \
    _Static_assert(offsetof(type, magic) == 0 &&                                         \
                       _Generic(((type *)0)->magic, unsigned int : 1, default : 0),      \
                   #type " starts with its unsigned int magic")

/* ZF_ASSERT(cond): an invariant that holds whatever the caller does (Lua's
 * lua_assert). In the test build (ZF_TESTING) a false one aborts with its file,
 * line and condition; otherwise it costs nothing and `cond` is not evaluated. */
#ifdef ZF_TESTING
ZF__INTERNAL ZF__COLD _Noreturn void zf__assert_fail(const char *file, int line,
                                                     const char *cond);
#define ZF_ASSERT(cond) ((cond) ? (void)0 : zf__assert_fail(__FILE__, __LINE__, #cond))
#else
#define ZF_ASSERT(cond) ((void)0)
#endif

#define ZF__ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Compiler builtins behind one compiler test, each with a portable body (as SQLite's
 * sqlite3AddInt64 in util.c): the library calls no __builtin_* but here. Defining
 * ZF_NO_BUILTINS selects the portable bodies (tests/test_internal.c checks them
 * against the builtins).
 */
#if (defined(__GNUC__) || defined(__clang__)) && !defined(ZF_NO_BUILTINS)
#define ZF__BUILTINS 1
#endif

/* *out = a + b, a - b, a * b; 1 when the result does not fit an int64_t (*out is
 * then unspecified), else 0. */
static inline int zf__add_overflow(int64_t a, int64_t b, int64_t *out) {
#ifdef ZF__BUILTINS
    return __builtin_add_overflow(a, b, out);
#else
    if ((b > 0 && a > INT64_MAX - b) || (b < 0 && a < INT64_MIN - b))
        return 1;
    *out = a + b;
    return 0;
#endif
}
static inline int zf__sub_overflow(int64_t a, int64_t b, int64_t *out) {
#ifdef ZF__BUILTINS
    return __builtin_sub_overflow(a, b, out);
#else
    if ((b < 0 && a > INT64_MAX + b) || (b > 0 && a < INT64_MIN + b))
        return 1;
    *out = a - b;
    return 0;
#endif
}
static inline int zf__mul_overflow(int64_t a, int64_t b, int64_t *out) {
#ifdef ZF__BUILTINS
    return __builtin_mul_overflow(a, b, out);
#else
    /* CERT INT32-C: compare against the limit divided by one factor. */
    if (a > 0 ? (b > 0 ? a > INT64_MAX / b : b < INT64_MIN / a)
              : (b > 0 ? a < INT64_MIN / b : a != 0 && b < INT64_MAX / a))
        return 1;
    *out = a * b;
    return 0;
#endif
}

/* Trailing and leading zero bits of x, which must not be 0. */
static inline unsigned zf__ctz32(uint32_t x) {
#ifdef ZF__BUILTINS
    return (unsigned)__builtin_ctz(x);
#else
    unsigned n = 0;
    for (; !(x & 1); x >>= 1)
        n++;
    return n;
#endif
}
static inline unsigned zf__clz32(uint32_t x) {
#ifdef ZF__BUILTINS
    return (unsigned)__builtin_clz(x);
#else
    unsigned n = 0;
    for (; !(x & 0x80000000u); x <<= 1)
        n++;
    return n;
#endif
}

/* Bits set in x. */
static inline unsigned zf__popcount32(uint32_t x) {
#ifdef ZF__BUILTINS
    return (unsigned)__builtin_popcount(x);
#else
    unsigned n = 0;
    for (; x; x &= x - 1)
        n++;
    return n;
#endif
}
static inline unsigned zf__popcount64(uint64_t x) {
#ifdef ZF__BUILTINS
    return (unsigned)__builtin_popcountll(x);
#else
    unsigned n = 0;
    for (; x; x &= x - 1)
        n++;
    return n;
#endif
}

#endif
