/* Private: the strict JSON reader and the JSON writer of the ZGW module. */
#ifndef ZF_ZGW_JSON_H
#define ZF_ZGW_JSON_H

#include "internal.h"
#include "load.h"
#include "writer.h"

typedef enum zf__jtype {
    ZF__J_NULL = 0,
    ZF__J_FALSE,
    ZF__J_TRUE,
    ZF__J_NUMBER,
    ZF__J_STRING,
    ZF__J_ARRAY,
    ZF__J_OBJECT
} zf__jtype;

/* A JSON value; every part lives in the arena it was parsed into. */
typedef struct zf__jv {
    zf__jtype type;
    int line, col; /* where the value starts */
    char *key;     /* member of an object: its key, at kline:kcol */
    int kline, kcol;
    char *str; /* STRING: decoded UTF-8; NUMBER: its text */
    size_t len;
    struct zf__jv *kids; /* ARRAY, OBJECT: the elements or members in order */
    size_t nkids;
    struct zf__jv *next;
} zf__jv;

/* Parse `len` bytes; findings (ZF_EPARSE) go to `dc` with line:column. */
ZF__INTERNAL zf_code zf__json_parse(zf__jv **out, const char *text, size_t len,
                                    zf__arena *arena, zf__diagctx *dc);

/* Member `key` of an object, or NULL. */
ZF__INTERNAL const zf__jv *zf__json_get(const zf__jv *obj, const char *key);

/*
 * JSON on the library's text writer (writer.h: write freely, the first failure
 * sticks and puts the buffer back): two-space indentation, members in the
 * order written, strings escaped by zf__w_json().
 */
#define ZF__JW_MAX_DEPTH 32
typedef struct zf__jw {
    zf__writer w;
    int depth;
    int after_key;
    unsigned count[ZF__JW_MAX_DEPTH];
} zf__jw;

/* Start writing at the end of `out`; zf__jw_finish() as zf__w_finish(). */
ZF__INTERNAL void zf__jw_init(zf__jw *w, zf_buf *out);
ZF__INTERNAL zf_code zf__jw_finish(zf__jw *w, zf_error *err);
ZF__INTERNAL void zf__jw_begin(zf__jw *w, int array);
ZF__INTERNAL void zf__jw_end(zf__jw *w, int array);
ZF__INTERNAL void zf__jw_key(zf__jw *w, const char *key);
ZF__INTERNAL void zf__jw_str(zf__jw *w, const char *s); /* NULL writes null */
ZF__INTERNAL void zf__jw_bool(zf__jw *w, int b);
ZF__INTERNAL void zf__jw_int(zf__jw *w, long long v);
ZF__INTERNAL void zf__jw_null(zf__jw *w);

#endif
