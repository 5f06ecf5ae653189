/* The text writer (writer.h): sticky failure over a caller's zf_buf, and escapes. */
#include "writer.h"

#include <stdio.h>

void zf__w_init(zf__writer *w, zf_buf *out) {
    w->out = out;
    w->mark = out->size;
    w->had_mem = out->asize != 0;
    w->rc = ZF_OK;
}

void zf__w_fail(zf__writer *w, zf_code code) {
    zf_buf *b = w->out;
    if (w->rc != ZF_OK)
        return;
    w->rc = code != ZF_OK ? code : ZF_EINVAL;
    if (!w->had_mem) {
        zf_buf_dispose(b);
    } else {
        b->size = w->mark;
        b->ptr[w->mark] = '\0';
    }
}

zf_code zf__w_finish(zf__writer *w, zf_error *err) {
    if (w->rc == ZF_OK && w->out->asize == 0)
        zf__w_put_slow(w, "", 0); /* an empty text is still a string */
    if (w->rc != ZF_OK)
        return zf__error_set(err, w->rc, NULL);
    w->out->ptr[w->out->size] = '\0';
    return ZF_OK;
}

void zf__w_put_slow(zf__writer *w, const char *s, size_t n) {
    zf_buf *b = w->out;
    if (w->rc != ZF_OK)
        return;
    if (zf__buf_reserve(b, n) != ZF_OK) {
        zf__w_fail(w, ZF_ENOMEM);
        return;
    }
    if (n)
        memcpy(b->ptr + b->size, s, n);
    b->size += n;
}

void zf__w_putc_slow(zf__writer *w, char c) {
    zf__w_put_slow(w, &c, 1);
}

void zf__w_vprintf(zf__writer *w, const char *fmt, va_list ap) {
    zf_buf *b = w->out;
    size_t room;
    va_list again;
    int n;
    if (w->rc != ZF_OK)
        return;
    /* Format into the free space; only text that does not fit is formatted twice. */
    room = b->asize - b->size;
    va_copy(again, ap);
    n = vsnprintf(room ? b->ptr + b->size : NULL, room, fmt, ap);
    if (n >= 0 && (size_t)n >= room) {
        if (zf__buf_reserve(b, (size_t)n) == ZF_OK)
            vsnprintf(b->ptr + b->size, (size_t)n + 1, fmt, again);
        else
            n = -2;
    }
    va_end(again);
    if (n < 0)
        zf__w_fail(w, n == -2 ? ZF_ENOMEM : ZF_EINVAL);
    else
        b->size += (size_t)n;
}

void zf__w_printf(zf__writer *w, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    zf__w_vprintf(w, fmt, ap);
    va_end(ap);
}

void zf__w_value(zf__writer *w, const zf_value *v) {
    zf_code rc;
    if (w->rc != ZF_OK)
        return;
    /* zf_value_format appends to the buffer itself; a failure leaves it as it was. */
    if ((rc = zf_value_format(w->out, v, NULL)) != ZF_OK)
        zf__w_fail(w, rc);
}

/* ---- XML ---------------------------------------------------------------- */

/* Character references for the C0 controls. */
static const char *const c0_ref[32] = {
    "&#0;",  "&#1;",  "&#2;",  "&#3;",  "&#4;",  "&#5;",  "&#6;",  "&#7;",
    "&#8;",  "&#9;",  "&#10;", "&#11;", "&#12;", "&#13;", "&#14;", "&#15;",
    "&#16;", "&#17;", "&#18;", "&#19;", "&#20;", "&#21;", "&#22;", "&#23;",
    "&#24;", "&#25;", "&#26;", "&#27;", "&#28;", "&#29;", "&#30;", "&#31;"};

/* What replaces byte `c` in XML text or an attribute value, or NULL. */
static const char *xml_rep(unsigned char c, int attr) {
    if (c < 0x20)
        return !attr && (c == '\t' || c == '\n') ? NULL : c0_ref[c];
    switch (c) {
    case '&':
        return "&amp;";
    case '<':
        return "&lt;";
    case '>':
        return "&gt;";
    case '"':
        return attr ? "&quot;" : NULL;
    default:
        return NULL;
    }
}

/* Copy runs of plain bytes at once; every byte that needs a reference is <= '>'. */
static void put_xml(zf__writer *w, const char *s, int attr) {
    const char *p, *run;
    if (!s)
        return;
    for (p = run = s; *p; p++) {
        const char *rep;
        if ((unsigned char)*p > '>' || !(rep = xml_rep((unsigned char)*p, attr)))
            continue;
        zf__w_put(w, run, (size_t)(p - run));
        zf__w_puts(w, rep);
        run = p + 1;
    }
    zf__w_put(w, run, (size_t)(p - run));
}

void zf__w_xml_text(zf__writer *w, const char *s) {
    put_xml(w, s, 0);
}

void zf__w_xml_attr(zf__writer *w, const char *s) {
    put_xml(w, s, 1);
}

/* ---- JSON --------------------------------------------------------------- */

/* Length of the valid UTF-8 sequence (RFC 3629) starting at p, 0 if there is none.
 * Stops at a NUL: no byte after it is read. */
static size_t utf8_len(const unsigned char *p) {
    unsigned c = p[0];
    if (c < 0x80)
        return 1;
    if (c < 0xc2) /* a continuation byte, or an overlong 2-byte form */
        return 0;
    if (c < 0xe0)
        return (p[1] & 0xc0) == 0x80 ? 2 : 0;
    if ((p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80)
        return 0;
    if (c < 0xf0) /* no overlong forms, no surrogates */
        return (c == 0xe0 && p[1] < 0xa0) || (c == 0xed && p[1] > 0x9f) ? 0 : 3;
    if (c > 0xf4 || (p[3] & 0xc0) != 0x80) /* nothing above U+10FFFF */
        return 0;
    return (c == 0xf0 && p[1] < 0x90) || (c == 0xf4 && p[1] > 0x8f) ? 0 : 4;
}

/* What replaces byte `c` (an ASCII control, " or \, or a byte >= 0x80 that starts
 * no UTF-8 sequence) in a JSON string; `esc` holds a \u00XX form. */
static const char *json_rep(unsigned char c, char esc[7]) {
    static const char hex[] = "0123456789abcdef";
    switch (c) {
    case '"':
        return "\\\"";
    case '\\':
        return "\\\\";
    case '\b':
        return "\\b";
    case '\f':
        return "\\f";
    case '\n':
        return "\\n";
    case '\r':
        return "\\r";
    case '\t':
        return "\\t";
    default:
        if (c >= 0x80) /* not UTF-8: U+FFFD REPLACEMENT CHARACTER */
            return "\\ufffd";
        memcpy(esc, "\\u00", 4);
        esc[4] = hex[c >> 4];
        esc[5] = hex[c & 15];
        esc[6] = '\0';
        return esc;
    }
}

void zf__w_json(zf__writer *w, const char *s) {
    const unsigned char *p, *run;
    char esc[7];
    if (!s) {
        zf__w_put(w, "null", 4);
        return;
    }
    zf__w_putc(w, '"');
    for (p = run = (const unsigned char *)s; *p;) {
        size_t n = utf8_len(p);
        if (n > 1 || (n == 1 && *p >= 0x20 && *p != '"' && *p != '\\')) {
            p += n;
            continue;
        }
        zf__w_put(w, (const char *)run, (size_t)(p - run));
        zf__w_puts(w, json_rep(*p, esc));
        run = ++p;
    }
    zf__w_put(w, (const char *)run, (size_t)(p - run));
    zf__w_putc(w, '"');
}

/* ---- Markdown and Graphviz ---------------------------------------------- */

static int blank(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

void zf__w_md_cell(zf__writer *w, const char *s) {
    int space = 0, any = 0;
    if (!s || !*s) {
        zf__w_puts(w, "—");
        return;
    }
    for (; *s; s++) {
        if (blank(*s)) {
            space = any;
            continue;
        }
        if (space)
            zf__w_putc(w, ' ');
        space = 0;
        any = 1;
        if (*s == '|')
            zf__w_put(w, "\\|", 2);
        else if (*s == '<')
            zf__w_put(w, "&lt;", 4);
        else
            zf__w_putc(w, *s);
    }
}

void zf__w_md_code(zf__writer *w, const char *s) {
    if (!s || !*s) {
        zf__w_puts(w, "—");
        return;
    }
    zf__w_putc(w, '`');
    for (; *s; s++) {
        if (*s == '|')
            zf__w_put(w, "\\|", 2);
        else if (blank(*s))
            zf__w_putc(w, ' ');
        else if (*s == '`')
            zf__w_putc(w, '\'');
        else
            zf__w_putc(w, *s);
    }
    zf__w_putc(w, '`');
}

void zf__w_dot(zf__writer *w, const char *s) {
    for (; s && *s; s++) {
        if (*s == '"' || *s == '\\')
            zf__w_putc(w, '\\');
        zf__w_putc(w, blank(*s) && *s != ' ' ? ' ' : *s);
    }
}
