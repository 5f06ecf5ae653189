/* libxml2's initialisation and allocation failures: see xml.h. */
#include "xml.h"

#include <limits.h>
#include <pthread.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlmemory.h>

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t wrap_lock = PTHREAD_MUTEX_INITIALIZER;

/* The functions the wrappers call: those in place when they were installed. */
static _Atomic(xmlFreeFunc) inner_free;
static _Atomic(xmlMallocFunc) inner_malloc;
static _Atomic(xmlReallocFunc) inner_realloc;

/*
 * The sizes of the blocks allocated while a call tracks them (the schema's
 * parse and validation: libxml2's XSD code does not survive a failed
 * reallocation of its arrays; its parser does) and not freed yet, so that a
 * reallocation that fails can still be served from the reserve (its text
 * moved): a hash set per thread (open addressing, linear probing, deletion by
 * backward shift), grown by the allocator the wrappers call and dropped when the
 * call ends. A block it could not record (the table could not grow) is not
 * known, and a failed reallocation of it reaches libxml2.
 */
typedef struct sizerec {
    void *p; /* NULL: empty */
    size_t n;
} sizerec;

typedef struct sizeset {
    sizerec *t;
    size_t cap, count; /* cap a power of two */
} sizeset;

/* A thread's state, in one thread-local object (reached once per wrapper call). */
typedef struct xstate {
    int nomem;    /* an allocation failed in this call */
    int in_call;  /* between zf__xml_begin() and zf__xml_end() */
    int tracking; /* sizes are recorded (zf__xml_track()) */
    sizeset sizes;
} xstate;

static _Thread_local xstate xs;

static size_t slot_of(const sizeset *z, const void *p) {
    uint64_t h = (uint64_t)(uintptr_t)p * 0x9e3779b97f4a7c15u;
    return (size_t)(h >> 32) & (z->cap - 1);
}

static sizerec *find_size(sizeset *z, const void *p) {
    if (!z->cap)
        return NULL;
    for (size_t i = slot_of(z, p);; i = (i + 1) & (z->cap - 1)) {
        if (z->t[i].p == p)
            return &z->t[i];
        if (!z->t[i].p)
            return NULL;
    }
}

static void put_size(sizeset *z, void *p, size_t n) {
    size_t i = slot_of(z, p);
    while (z->t[i].p && z->t[i].p != p)
        i = (i + 1) & (z->cap - 1);
    if (!z->t[i].p)
        z->count++;
    z->t[i].p = p;
    z->t[i].n = n;
}

static void forget_size(sizeset *z, const void *p) {
    sizerec *r = z->count ? find_size(z, p) : NULL;
    size_t i, j;
    if (!r)
        return;
    /* Backward shift: later entries of the run move up into the hole. */
    i = (size_t)(r - z->t);
    z->t[i].p = NULL;
    z->count--;
    for (j = (i + 1) & (z->cap - 1); z->t[j].p; j = (j + 1) & (z->cap - 1)) {
        size_t k = slot_of(z, z->t[j].p);
        /* An entry whose home lies cyclically in (i, j] stays. */
        int stays = i <= j ? (i < k && k <= j) : (i < k || k <= j);
        if (!stays) {
            z->t[i] = z->t[j];
            z->t[j].p = NULL;
            i = j;
        }
    }
}

/* Record a block allocated while tracking (otherwise its entry, if any, goes: it
 * would be stale). */
static void note_size(xstate *x, void *p, size_t n) {
    sizeset *z = &x->sizes;
    if (!x->tracking) {
        if (z->count)
            forget_size(z, p);
        return;
    }
    if ((z->count + 1) * 2 > z->cap) {
        size_t ncap = zf__grow_cap(z->cap, (z->count + 1) * 2, 1024, sizeof *z->t);
        sizeset nz = {NULL, ncap, 0};
        nz.t = ncap ? atomic_load_explicit(&inner_malloc,
                                           memory_order_acquire)(ncap * sizeof *nz.t)
                    : NULL;
        if (!nz.t) {
            forget_size(z, p); /* not known, rather than known wrong */
            return;
        }
        memset(nz.t, 0, ncap * sizeof *nz.t);
        for (size_t i = 0; i < z->cap; i++)
            if (z->t[i].p)
                put_size(&nz, z->t[i].p, z->t[i].n);
        if (z->t)
            atomic_load_explicit(&inner_free, memory_order_acquire)(z->t);
        *z = nz;
    }
    put_size(z, p, n);
}

static size_t known_size(sizeset *z, const void *p) {
    sizerec *r = find_size(z, p);
    return r ? r->n : 0;
}

/* ---- the reserve ----------------------------------------------------------- */

/*
 * libxml2 2.9 does not survive every failed allocation: its XSD validator, for
 * one, frees an attribute record it never initialised, or reads through a NULL
 * it was handed, when a copy of an attribute value or an automaton state cannot
 * be made. So while one of the library's calls runs, an allocation that fails is
 * served from this reserve instead (the call is still marked failed and reports
 * ZF_ENOMEM): libxml2 finishes its work on the normal path and frees what it
 * allocated, the reserve's blocks included. Blocks come in power-of-two sizes
 * from 16 bytes to 64 KiB, each with a header, carved from a static arena (not
 * touched, so not resident, until used) and kept in free lists per size; only
 * when the reserve is spent too does libxml2 see the failure.
 */
#define RESERVE_BYTES (1024 * 1024)
#define MIN_SHIFT 4
#define NCLASSES 13 /* 16 B .. 64 KiB */
#define RESERVE_MAGIC 0x7a665256u

typedef struct rblock {
    uint32_t magic;
    uint32_t cls;
    size_t size;         /* bytes asked for */
    struct rblock *next; /* in its free list, while free */
    alignas(16) char data[];
} rblock;

static alignas(16) unsigned char arena[RESERVE_BYTES];
static size_t arena_used;
static rblock *free_lists[NCLASSES];
static pthread_mutex_t reserve_lock = PTHREAD_MUTEX_INITIALIZER;

static int in_reserve(const void *p) {
    return (const unsigned char *)p >= arena &&
           (const unsigned char *)p < arena + RESERVE_BYTES;
}

static void *reserve_alloc(size_t n) {
    unsigned cls = 0;
    rblock *b = NULL;
    while (cls < NCLASSES && ((size_t)1 << (cls + MIN_SHIFT)) < n)
        cls++;
    if (cls == NCLASSES)
        return NULL;
    pthread_mutex_lock(&reserve_lock);
    if ((b = free_lists[cls]) != NULL) {
        free_lists[cls] = b->next;
    } else {
        size_t need = sizeof(rblock) + ((size_t)1 << (cls + MIN_SHIFT));
        if (RESERVE_BYTES - arena_used >= need) {
            b = (rblock *)(arena + arena_used);
            arena_used += need;
            b->magic = RESERVE_MAGIC;
            b->cls = cls;
        }
    }
    pthread_mutex_unlock(&reserve_lock);
    if (!b)
        return NULL;
    b->size = n;
    b->next = NULL;
    return b->data;
}

static rblock *block_of(void *p) {
    return (rblock *)((char *)p - offsetof(rblock, data));
}

static void reserve_free(void *p) {
    rblock *b = block_of(p);
    pthread_mutex_lock(&reserve_lock);
    b->next = free_lists[b->cls];
    free_lists[b->cls] = b;
    pthread_mutex_unlock(&reserve_lock);
}

/* ---- the wrappers ------------------------------------------------------------ */

static void w_free(void *p) {
    if (p && in_reserve(p)) {
        reserve_free(p);
        return;
    }
    xstate *x = &xs;
    if (x->sizes.count)
        forget_size(&x->sizes, p);
    atomic_load_explicit(&inner_free, memory_order_acquire)(p);
}

static void *w_malloc(size_t n) {
    xstate *x = &xs;
    void *p = atomic_load_explicit(&inner_malloc, memory_order_acquire)(n);
    if (p) {
        if (x->tracking || x->sizes.count)
            note_size(x, p, n);
    } else {
        x->nomem = 1;
        if (x->in_call)
            p = reserve_alloc(n);
    }
    return p;
}

static void *w_realloc(void *p, size_t n) {
    void *q;
    if (p && in_reserve(p)) {
        /* A block of the reserve moves back to the allocator when it can. */
        size_t old = block_of(p)->size;
        if (!(q = w_malloc(n)))
            return NULL;
        memcpy(q, p, old < n ? old : n);
        reserve_free(p);
        return q;
    }
    xstate *x = &xs;
    size_t old = p && x->sizes.count ? known_size(&x->sizes, p) : 0;
    q = atomic_load_explicit(&inner_realloc, memory_order_acquire)(p, n);
    if (q) {
        if (q != p && p && x->sizes.count)
            forget_size(&x->sizes, p);
        if (x->tracking || x->sizes.count)
            note_size(x, q, n);
        return q;
    }
    x->nomem = 1;
    if (!x->in_call || (p && !old))
        return NULL; /* a block whose size is not known cannot be moved */
    if ((q = reserve_alloc(n)) && p) {
        memcpy(q, p, old < n ? old : n);
        forget_size(&x->sizes, p);
        atomic_load_explicit(&inner_free, memory_order_acquire)(p);
    }
    return q;
}

/* Through w_malloc(): its size is noted, and a failure served like any other. */
static char *w_strdup(const char *s) {
    size_t n;
    char *q;
    if (!s)
        return NULL;
    n = strlen(s) + 1;
    if ((q = w_malloc(n)))
        memcpy(q, s, n);
    return q;
}

static void init(void) {
    xmlInitParser();
}

void zf__xml_begin(void) {
    xmlFreeFunc f;
    xmlMallocFunc m;
    xmlReallocFunc r;
    xmlStrdupFunc s;
    pthread_once(&init_once, init);
    if (xmlMemGet(&f, &m, &r, &s) == 0 && m != w_malloc) {
        /* First call, or the host set its own functions since: wrap those. */
        pthread_mutex_lock(&wrap_lock);
        if (xmlMemGet(&f, &m, &r, &s) == 0 && m != w_malloc && f && m && r && s) {
            atomic_store_explicit(&inner_free, f, memory_order_release);
            atomic_store_explicit(&inner_malloc, m, memory_order_release);
            atomic_store_explicit(&inner_realloc, r, memory_order_release);
            xmlMemSetup(w_free, w_malloc, w_realloc, w_strdup);
        }
        pthread_mutex_unlock(&wrap_lock);
    }
    xs.nomem = 0;
    xs.in_call = 1;
}

void zf__xml_track(int on) {
    xs.tracking = on && xs.in_call;
}

void zf__xml_end(void) {
    xstate *x = &xs;
    x->in_call = 0;
    x->tracking = 0;
    if (x->sizes.t)
        atomic_load_explicit(&inner_free, memory_order_acquire)(x->sizes.t);
    memset(&x->sizes, 0, sizeof x->sizes);
}

int zf__xml_nomem(void) {
    return xs.nomem;
}

xmlDocPtr zf__xml_read(xmlParserCtxtPtr ctxt, const char *bytes, size_t len,
                       const char *url, int options) {
    xmlParserInputBufferPtr buf;
    xmlParserInputPtr in;
    xmlDocPtr doc;
    if (len > INT_MAX)
        return NULL;
    /* xmlParserInputBufferCreateMem() without its leak: the buffer freed whole when
       the copy fails. */
    buf = xmlAllocParserInputBuffer(XML_CHAR_ENCODING_NONE);
    if (!buf)
        return NULL;
    if (xmlParserInputBufferPush(buf, (int)len, bytes) < 0) {
        xmlFreeParserInputBuffer(buf);
        return NULL;
    }
    in = xmlNewIOInputStream(ctxt, buf, XML_CHAR_ENCODING_NONE);
    if (!in) {
        xmlFreeParserInputBuffer(buf);
        return NULL;
    }
    if (inputPush(ctxt, in) < 0) {
        xmlFreeInputStream(in);
        return NULL;
    }
    xmlCtxtUseOptions(ctxt, options);
    if (url && !ctxt->input->filename)
        ctxt->input->filename = (char *)xmlStrdup((const xmlChar *)url);
    xmlParseDocument(ctxt);
    doc = ctxt->myDoc;
    ctxt->myDoc = NULL;
    if (!ctxt->wellFormed) {
        xmlFreeDoc(doc);
        doc = NULL;
    }
    return doc;
}

const char *zf__xml_attr(const xmlNode *n, const char *name) {
    for (const xmlAttr *a = n->properties; a; a = a->next) {
        if (a->ns || strcmp((const char *)a->name, name))
            continue;
        if (!a->children)
            return "";
        /* Without entity substitution a value is a single text node. */
        if (a->children->type == XML_TEXT_NODE && !a->children->next)
            return a->children->content ? (const char *)a->children->content : "";
        return NULL;
    }
    return NULL;
}
