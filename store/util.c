/* Memory through libzaakflow's installable allocator, errors, values and
 * materialised result rows. */
#include "store_int.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *zs_malloc(size_t size) {
    zf_allocator a;
    zf_get_allocator(&a);
    return a.malloc(size ? size : 1, a.ctx);
}

void *zs_calloc(size_t n, size_t size) {
    void *p;
    if (size && n > SIZE_MAX / size)
        return NULL;
    p = zs_malloc(n * size);
    if (p)
        memset(p, 0, (n * size) != 0 ? n * size : 1);
    return p;
}

void *zs_realloc(void *p, size_t size) {
    zf_allocator a;
    zf_get_allocator(&a);
    return a.realloc(p, size ? size : 1, a.ctx);
}

void zs_free(void *p) {
    zf_allocator a;
    if (!p)
        return;
    zf_get_allocator(&a);
    a.free(p, a.ctx);
}

char *zs_strndup(const char *s, size_t n) {
    char *p = zs_malloc(n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

char *zs_strdup(const char *s) {
    return s ? zs_strndup(s, strlen(s)) : NULL;
}

zf_code zs_error(zf_error *err, zf_code code, const char *fmt, ...) {
    if (err && err->code == ZF_OK) {
        va_list ap;
        err->code = code;
        err->line = err->column = 0;
        err->file[0] = '\0';
        if (fmt) {
            va_start(ap, fmt);
            vsnprintf(err->message, sizeof err->message, fmt, ap);
            va_end(ap);
        } else
            snprintf(err->message, sizeof err->message, "%s", zf_strerror(code));
        /* One line: database messages may span several. */
        for (char *p = err->message; *p; p++)
            if (*p == '\n' || *p == '\r' || *p == '\t')
                *p = ' ';
        for (size_t n = strlen(err->message); n && err->message[n - 1] == ' ';)
            err->message[--n] = '\0';
    }
    return code;
}

zs_val zs_int(int64_t i) {
    zs_val v = {ZS_INT, i, NULL, 0};
    return v;
}

zs_val zs_text(const char *s) {
    zs_val v = {s ? ZS_TEXT : ZS_NULL, 0, s, s ? strlen(s) : 0};
    return v;
}

zs_val zs_blob(const void *p, size_t len) {
    zs_val v = {p ? ZS_BLOB : ZS_NULL, 0, p, len};
    return v;
}

zs_val zs_null(void) {
    zs_val v = {ZS_NULL, 0, NULL, 0};
    return v;
}

zs_val zs_date(zf_date d, char buf[ZF_DATE_BUFSIZE]) {
    if (d == ZF_DATE_NONE || !zf_date_valid(d))
        return zs_null();
    return zs_text(zf_date_format(buf, d));
}

/* ---- rows ----------------------------------------------------------------- */

void zs_rows_init(zs_rows *r) {
    memset(r, 0, sizeof *r);
}

void zs_rows_dispose(zs_rows *r) {
    if (!r)
        return;
    zs_free(r->v);
    zs_free(r->arena);
    zs_rows_init(r);
}

void zs_rows_begin(zs_rows *r, size_t ncols) {
    zs_rows_dispose(r);
    r->ncols = ncols;
}

zf_code zs_rows_add(zs_rows *r, zs_kind kind, int64_t i, const char *p, size_t len) {
    zs_val *v;
    if (r->nv == r->vcap) {
        size_t cap = r->vcap ? r->vcap * 2 : 64;
        zs_val *nvp = zs_realloc(r->v, cap * sizeof *nvp);
        if (!nvp)
            return ZF_ENOMEM;
        r->v = nvp;
        r->vcap = cap;
    }
    v = &r->v[r->nv];
    v->kind = kind;
    v->i = i;
    v->p = NULL;
    v->len = 0;
    if (kind == ZS_TEXT || kind == ZS_BLOB) {
        if (len + 1 > r->acap - r->alen) {
            size_t cap = r->acap ? r->acap : 256;
            char *na;
            while (len + 1 > cap - r->alen) {
                if (cap > SIZE_MAX / 2)
                    return ZF_ENOMEM;
                cap *= 2;
            }
            if (!(na = zs_realloc(r->arena, cap)))
                return ZF_ENOMEM;
            r->arena = na;
            r->acap = cap;
        }
        if (len)
            memcpy(r->arena + r->alen, p, len);
        r->arena[r->alen + len] = '\0';
        v->i = (int64_t)r->alen; /* an offset until the rows are sealed */
        v->len = len;
        r->alen += len + 1;
    }
    r->nv++;
    return ZF_OK;
}

void zs_rows_seal(zs_rows *r) {
    for (size_t k = 0; k < r->nv; k++)
        if (r->v[k].kind == ZS_TEXT || r->v[k].kind == ZS_BLOB) {
            r->v[k].p = r->arena + r->v[k].i;
            r->v[k].i = 0;
        }
    r->nrows = r->ncols ? r->nv / r->ncols : 0;
    r->sealed = 1;
}

const zs_val *zs_cell(const zs_rows *r, size_t row, size_t col) {
    static const zs_val null_val = {ZS_NULL, 0, NULL, 0};
    if (!r || row >= r->nrows || col >= r->ncols)
        return &null_val;
    return &r->v[row * r->ncols + col];
}

int64_t zs_cell_int(const zs_rows *r, size_t row, size_t col) {
    const zs_val *v = zs_cell(r, row, col);
    if (v->kind == ZS_INT)
        return v->i;
    if (v->kind == ZS_TEXT)
        return strtoll(v->p, NULL, 10);
    return 0;
}

const char *zs_cell_text(const zs_rows *r, size_t row, size_t col) {
    const zs_val *v = zs_cell(r, row, col);
    return v->kind == ZS_TEXT || v->kind == ZS_BLOB ? v->p : NULL;
}

zf_date zs_cell_date(const zs_rows *r, size_t row, size_t col) {
    const char *s = zs_cell_text(r, row, col);
    zf_date d;
    if (!s || zf_date_parse(&d, s, NULL) != ZF_OK)
        return ZF_DATE_NONE;
    return d;
}
