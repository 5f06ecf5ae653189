/**
 * @file zaakflow/alloc.h
 * Replaceable memory hooks. Every allocation the library makes goes through
 * them (libxml2's own parser buffers excepted), so a host can account for
 * memory and tests can fail the N-th allocation.
 */
#ifndef ZAAKFLOW_ALLOC_H
#define ZAAKFLOW_ALLOC_H

#include "zaakflow/common.h"

ZF_BEGIN_DECL

/** Allocation hooks; `ctx` is passed back to each hook as its last argument. */
typedef struct zf_allocator {
    void *(*malloc)(size_t size, void *ctx);
    void *(*realloc)(void *ptr, size_t size, void *ctx);
    void (*free)(void *ptr, void *ctx);
    void *ctx;
} zf_allocator;

/**
 * Install allocation hooks for the whole process; NULL restores malloc/free.
 * Call it before creating any object: memory must be freed by the hooks that
 * allocated it. Not thread-safe with respect to concurrent allocation.
 */
ZF_EXTERN(void) zf_set_allocator(const zf_allocator *alloc);

/** Copy the hooks in force into `out`. */
ZF_EXTERN(void) zf_get_allocator(zf_allocator *out);

ZF_END_DECL

#endif
