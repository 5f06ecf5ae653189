/*
 * A small strict JSON reader (RFC 8259) with line:column positions, for the
 * ZGW configuration, and the JSON writer of the ZGW documents.
 *
 * The reader accepts exactly RFC 8259: UTF-8 only, no comments, no trailing
 * commas, no duplicate keys (RFC 8259 leaves them open; a configuration with
 * two values for one key is a mistake), nesting at most 64 deep. Columns
 * count characters, like the definition loader's.
 */
#include "zgw_json.h"

#include <stdio.h>
#include <string.h>

#define MAX_DEPTH 64

typedef struct reader {
    const char *p, *end;
    int line, col;
    zf__arena *arena;
    zf__diagctx *dc;
    int failed;
} reader;

static void rerr(reader *r, const char *fmt, const char *arg) {
    if (r->failed)
        return;
    r->failed = 1;
    zf__diag_add(r->dc, ZF_SEVERITY_ERROR, ZF_EPARSE, "json", r->line, r->col, fmt,
                 arg ? arg : "");
}

/* Advance one byte, keeping line and column (in characters). */
static void adv(reader *r) {
    unsigned char c = (unsigned char)*r->p++;
    if (c == '\n') {
        r->line++;
        r->col = 1;
    } else if ((c & 0xc0) != 0x80) {
        r->col++;
    }
}

static void skip_ws(reader *r) {
    while (r->p < r->end &&
           (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r'))
        adv(r);
}

static zf__jv *node(reader *r, zf__jtype t) {
    zf__jv *v = zf__arena_alloc(r->arena, sizeof *v);
    if (!v) {
        r->dc->oom = 1;
        r->failed = 1;
        return NULL;
    }
    v->type = t;
    v->line = r->line;
    v->col = r->col;
    return v;
}

/* Length of a valid UTF-8 sequence at p, or 0. */
static size_t utf8_len(const unsigned char *p, const unsigned char *end) {
    size_t n;
    uint32_t cp;
    if (p[0] < 0x80)
        return 1;
    if (p[0] >= 0xc2 && p[0] <= 0xdf)
        n = 2, cp = p[0] & 0x1f;
    else if (p[0] >= 0xe0 && p[0] <= 0xef)
        n = 3, cp = p[0] & 0x0f;
    else if (p[0] >= 0xf0 && p[0] <= 0xf4)
        n = 4, cp = p[0] & 0x07;
    else
        return 0;
    if ((size_t)(end - p) < n)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (p[i] & 0x3f);
    }
    if ((n == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
        (n == 4 && (cp < 0x10000 || cp > 0x10ffff)))
        return 0;
    return n;
}

static size_t put_utf8(char *o, uint32_t cp) {
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xc0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xe0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        o[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    o[0] = (char)(0xf0 | (cp >> 18));
    o[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
    o[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}

static int hex4(reader *r, uint32_t *out) {
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) {
        char c = r->p < r->end ? *r->p : '\0';
        int d = c >= '0' && c <= '9'   ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                       : -1;
        if (d < 0) {
            rerr(r, "bad \\u escape in a string%s", NULL);
            return 0;
        }
        v = v * 16 + (uint32_t)d;
        adv(r);
    }
    *out = v;
    return 1;
}

/* A string at r->p (the opening quote); the text is decoded into the arena. */
static char *read_string(reader *r, size_t *len) {
    const char *start;
    char *buf, *o;
    adv(r); /* '"' */
    start = r->p;
    /* The decoded text is never longer than the source. */
    {
        const char *q = start;
        while (q < r->end && *q != '"') {
            if (*q == '\\' && q + 1 < r->end)
                q++;
            q++;
        }
        buf = zf__arena_alloc(r->arena, (size_t)(q - start) + 1);
    }
    if (!buf) {
        r->dc->oom = 1;
        r->failed = 1;
        return NULL;
    }
    o = buf;
    for (;;) {
        unsigned char c;
        if (r->p >= r->end) {
            rerr(r, "unterminated string%s", NULL);
            return NULL;
        }
        c = (unsigned char)*r->p;
        if (c == '"') {
            adv(r);
            break;
        }
        if (c < 0x20) {
            rerr(r, "control character in a string (write it as \\u%s)", "00XX");
            return NULL;
        }
        if (c == '\\') {
            adv(r);
            if (r->p >= r->end) {
                rerr(r, "unterminated string%s", NULL);
                return NULL;
            }
            c = (unsigned char)*r->p;
            adv(r);
            switch (c) {
            case '"':
                *o++ = '"';
                break;
            case '\\':
                *o++ = '\\';
                break;
            case '/':
                *o++ = '/';
                break;
            case 'b':
                *o++ = '\b';
                break;
            case 'f':
                *o++ = '\f';
                break;
            case 'n':
                *o++ = '\n';
                break;
            case 'r':
                *o++ = '\r';
                break;
            case 't':
                *o++ = '\t';
                break;
            case 'u': {
                uint32_t cp, lo;
                if (!hex4(r, &cp))
                    return NULL;
                if (cp >= 0xdc00 && cp <= 0xdfff) {
                    rerr(r, "lone low surrogate in a \\u escape%s", NULL);
                    return NULL;
                }
                if (cp >= 0xd800 && cp <= 0xdbff) {
                    if (r->end - r->p < 2 || r->p[0] != '\\' || r->p[1] != 'u') {
                        rerr(r, "lone high surrogate in a \\u escape%s", NULL);
                        return NULL;
                    }
                    adv(r);
                    adv(r);
                    if (!hex4(r, &lo))
                        return NULL;
                    if (lo < 0xdc00 || lo > 0xdfff) {
                        rerr(r, "bad surrogate pair in a \\u escape%s", NULL);
                        return NULL;
                    }
                    cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
                }
                if (cp == 0) {
                    rerr(r, "\\u0000 is not allowed in a string%s", NULL);
                    return NULL;
                }
                o += put_utf8(o, cp);
                break;
            }
            default:
                rerr(r, "bad escape in a string%s", NULL);
                return NULL;
            }
            continue;
        }
        {
            size_t n =
                utf8_len((const unsigned char *)r->p, (const unsigned char *)r->end);
            if (!n) {
                rerr(r, "invalid UTF-8 in a string%s", NULL);
                return NULL;
            }
            memcpy(o, r->p, n);
            o += n;
            for (size_t i = 0; i < n; i++)
                adv(r);
        }
    }
    *o = '\0';
    *len = (size_t)(o - buf);
    return buf;
}

static int is_digit(char c) {
    return c >= '0' && c <= '9';
}

static zf__jv *read_value(reader *r, int depth);

/* One or more digits (the fraction or exponent of a number). */
static int digits(reader *r) {
    if (r->p >= r->end || !is_digit(*r->p)) {
        rerr(r, "bad number%s", NULL);
        return 0;
    }
    while (r->p < r->end && is_digit(*r->p))
        adv(r);
    return 1;
}

static zf__jv *read_number(reader *r) {
    zf__jv *v = node(r, ZF__J_NUMBER);
    const char *s = r->p;
    if (!v)
        return NULL;
    if (r->p < r->end && *r->p == '-')
        adv(r);
    if (r->p < r->end && *r->p == '0') {
        adv(r);
    } else if (r->p < r->end && is_digit(*r->p)) {
        while (r->p < r->end && is_digit(*r->p))
            adv(r);
    } else {
        rerr(r, "bad number%s", NULL);
        return NULL;
    }
    if (r->p < r->end && *r->p == '.') {
        adv(r);
        if (!digits(r))
            return NULL;
    }
    if (r->p < r->end && (*r->p == 'e' || *r->p == 'E')) {
        adv(r);
        if (r->p < r->end && (*r->p == '+' || *r->p == '-'))
            adv(r);
        if (!digits(r))
            return NULL;
    }
    v->str = zf__arena_strndup(r->arena, s, (size_t)(r->p - s));
    if (!v->str) {
        r->dc->oom = 1;
        r->failed = 1;
        return NULL;
    }
    v->len = (size_t)(r->p - s);
    return v;
}

static int literal(reader *r, const char *word) {
    size_t n = strlen(word);
    if ((size_t)(r->end - r->p) < n || memcmp(r->p, word, n) != 0)
        return 0;
    for (size_t i = 0; i < n; i++)
        adv(r);
    return 1;
}

static zf__jv *read_container(reader *r, int depth, int obj) {
    zf__jv *v = node(r, obj ? ZF__J_OBJECT : ZF__J_ARRAY), **tail;
    char close = obj ? '}' : ']';
    if (!v)
        return NULL;
    if (depth >= MAX_DEPTH) {
        rerr(r, "nesting deeper than 64 levels%s", NULL);
        return NULL;
    }
    tail = &v->kids;
    adv(r);
    skip_ws(r);
    if (r->p < r->end && *r->p == close) {
        adv(r);
        return v;
    }
    for (;;) {
        zf__jv *kid;
        char *key = NULL;
        size_t klen = 0;
        int kline = 0, kcol = 0;
        skip_ws(r);
        if (obj) {
            if (r->p >= r->end || *r->p != '"') {
                rerr(r, "expected a key in double quotes%s", NULL);
                return NULL;
            }
            kline = r->line;
            kcol = r->col;
            if (!(key = read_string(r, &klen)))
                return NULL;
            for (zf__jv *k = v->kids; k; k = k->next)
                if (strcmp(k->key, key) == 0) {
                    r->line = kline;
                    r->col = kcol;
                    rerr(r, "duplicate key '%s'", key);
                    return NULL;
                }
            skip_ws(r);
            if (r->p >= r->end || *r->p != ':') {
                rerr(r, "expected ':' after a key%s", NULL);
                return NULL;
            }
            adv(r);
            skip_ws(r);
        }
        if (!(kid = read_value(r, depth + 1)))
            return NULL;
        if (obj) {
            kid->key = key;
            kid->kline = kline;
            kid->kcol = kcol;
        }
        *tail = kid;
        tail = &kid->next;
        v->nkids++;
        skip_ws(r);
        if (r->p < r->end && *r->p == ',') {
            adv(r);
            continue;
        }
        if (r->p < r->end && *r->p == close) {
            adv(r);
            return v;
        }
        rerr(r, obj ? "expected ',' or '}'%s" : "expected ',' or ']'%s", NULL);
        return NULL;
    }
}

static zf__jv *read_value(reader *r, int depth) {
    zf__jv *v;
    skip_ws(r);
    if (r->p >= r->end) {
        rerr(r, "unexpected end of input%s", NULL);
        return NULL;
    }
    switch (*r->p) {
    case '{':
        return read_container(r, depth, 1);
    case '[':
        return read_container(r, depth, 0);
    case '"':
        if (!(v = node(r, ZF__J_STRING)))
            return NULL;
        v->str = read_string(r, &v->len);
        return v->str ? v : NULL;
    case 't':
    case 'f':
    case 'n':
        if (!(v = node(r, ZF__J_NULL)))
            return NULL;
        if (literal(r, "true"))
            v->type = ZF__J_TRUE;
        else if (literal(r, "false"))
            v->type = ZF__J_FALSE;
        else if (!literal(r, "null")) {
            rerr(r, "unexpected text (a JSON value is expected)%s", NULL);
            return NULL;
        }
        return v;
    default:
        if (*r->p == '-' || is_digit(*r->p))
            return read_number(r);
        rerr(r, "unexpected character (a JSON value is expected)%s", NULL);
        return NULL;
    }
}

zf_code zf__json_parse(zf__jv **out, const char *text, size_t len, zf__arena *arena,
                       zf__diagctx *dc) {
    reader r;
    zf__jv *v;
    memset(&r, 0, sizeof r);
    r.p = text;
    r.end = text + len;
    r.line = 1;
    r.col = 1;
    r.arena = arena;
    r.dc = dc;
    *out = NULL;
    /* A UTF-8 byte order mark is not JSON (RFC 8259 section 8.1). */
    v = read_value(&r, 0);
    if (v) {
        skip_ws(&r);
        if (r.p < r.end)
            rerr(&r, "text after the JSON value%s", NULL);
    }
    if (dc->oom)
        return ZF_ENOMEM;
    if (r.failed)
        return ZF_EPARSE;
    *out = v;
    return ZF_OK;
}

const zf__jv *zf__json_get(const zf__jv *obj, const char *key) {
    if (!obj || obj->type != ZF__J_OBJECT)
        return NULL;
    for (const zf__jv *k = obj->kids; k; k = k->next)
        if (strcmp(k->key, key) == 0)
            return k;
    return NULL;
}

/* ---- writer ------------------------------------------------------------ */

void zf__jw_init(zf__jw *w, zf_buf *out) {
    memset(w, 0, sizeof *w);
    zf__w_init(&w->w, out);
}

zf_code zf__jw_finish(zf__jw *w, zf_error *err) {
    return zf__w_finish(&w->w, err);
}

static void jw_indent(zf__jw *w) {
    zf__w_putc(&w->w, '\n');
    for (int i = 0; i < w->depth; i++)
        zf__w_put(&w->w, "  ", 2);
}

/* Before a value or key: the comma and the line break of its container. */
static void jw_sep(zf__jw *w) {
    if (w->after_key) {
        w->after_key = 0;
        return;
    }
    if (w->depth == 0)
        return;
    if (w->count[w->depth]++)
        zf__w_putc(&w->w, ',');
    jw_indent(w);
}

void zf__jw_begin(zf__jw *w, int array) {
    jw_sep(w);
    zf__w_putc(&w->w, array ? '[' : '{');
    if (w->depth + 1 < ZF__JW_MAX_DEPTH)
        w->depth++;
    w->count[w->depth] = 0;
}

void zf__jw_end(zf__jw *w, int array) {
    int had = w->count[w->depth] != 0;
    w->depth--;
    if (had)
        jw_indent(w);
    zf__w_putc(&w->w, array ? ']' : '}');
    if (w->depth == 0)
        zf__w_putc(&w->w, '\n');
}

void zf__jw_key(zf__jw *w, const char *key) {
    jw_sep(w);
    zf__w_json(&w->w, key);
    zf__w_put(&w->w, ": ", 2);
    w->after_key = 1;
}

void zf__jw_str(zf__jw *w, const char *s) {
    jw_sep(w);
    zf__w_json(&w->w, s);
}

void zf__jw_bool(zf__jw *w, int b) {
    jw_sep(w);
    zf__w_puts(&w->w, b ? "true" : "false");
}

void zf__jw_int(zf__jw *w, long long v) {
    jw_sep(w);
    zf__w_printf(&w->w, "%lld", v);
}

void zf__jw_null(zf__jw *w) {
    jw_sep(w);
    zf__w_put(&w->w, "null", 4);
}
