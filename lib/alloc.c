/* The replaceable allocator every allocation of the library goes through. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

static void *std_malloc(size_t size, void *ctx) {
    (void)ctx;
    return malloc(size);
}
static void *std_realloc(void *ptr, size_t size, void *ctx) {
    (void)ctx;
    return realloc(ptr, size);
}
static void std_free(void *ptr, void *ctx) {
    (void)ctx;
    free(ptr);
}

static zf_allocator current = {std_malloc, std_realloc, std_free, NULL};

void zf_set_allocator(const zf_allocator *alloc) {
    if (alloc && alloc->malloc && alloc->realloc && alloc->free)
        current = *alloc;
    else
        current = (zf_allocator){std_malloc, std_realloc, std_free, NULL};
}

void zf_get_allocator(zf_allocator *out) {
    if (out)
        *out = current;
}

void *zf__malloc(size_t size) {
    return current.malloc(size ? size : 1, current.ctx);
}

void *zf__calloc(size_t n, size_t size) {
    void *p;
    if (size && n > SIZE_MAX / size)
        return NULL;
    p = zf__malloc(n * size);
    if (p)
        memset(p, 0, (n * size) != 0 ? n * size : 1);
    return p;
}

void *zf__realloc(void *ptr, size_t size) {
    return current.realloc(ptr, size ? size : 1, current.ctx);
}

void zf__free(void *ptr) {
    if (ptr)
        current.free(ptr, current.ctx);
}

char *zf__strndup(const char *s, size_t n) {
    char *p = zf__malloc(n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

char *zf__strdup(const char *s) {
    return s ? zf__strndup(s, strlen(s)) : NULL;
}

size_t zf__grow_cap(size_t cap, size_t need, size_t first, size_t elsize) {
    size_t ncap = cap ? cap : first ? first : 1;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2)
            return 0;
        ncap *= 2;
    }
    if (elsize && ncap > SIZE_MAX / elsize)
        return 0;
    return ncap;
}

void *zf__grow_array(void *ptr, size_t *cap, size_t need, size_t first, size_t elsize) {
    size_t ncap;
    void *p;
    if (need <= *cap)
        return ptr;
    if (!(ncap = zf__grow_cap(*cap, need, first, elsize)) ||
        !(p = zf__realloc(ptr, ncap * elsize)))
        return ptr;
    *cap = ncap;
    return p;
}
