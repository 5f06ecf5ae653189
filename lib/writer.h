/*
 * The one text writer of the library: dot, Markdown, timelines, JSON and XML are
 * written through it into a caller's zf_buf. Modelled on libgit2's git_str
 * (src/util/str.h, git_str_oom()): write without checking, test once at the end.
 *
 *     zf__writer w;
 *     zf__w_init(&w, out);
 *     zf__w_puts(&w, "digraph \"");
 *     zf__w_dot(&w, def->id);
 *     zf__w_printf(&w, "\" {\n%*s", indent, "");
 *     ...
 *     return zf__w_finish(&w, err);
 *
 * The first failure sticks: later writes do nothing, and the caller's buffer is
 * put back at once to what it held before zf__w_init: its text truncated to the
 * mark (its memory may have moved or grown meanwhile), or, if it had no memory,
 * freed back to ZF_BUF_INIT. So a failing writer changes no text the caller can
 * see. zf__w_finish() reports the failure
 * in `err`. While writing, the buffer's text is not NUL-terminated; zf__w_finish()
 * terminates it.
 *
 * Appends that fit the buffer's free space are inline (two tests and a copy; only
 * growth and the failed state take a call): snapshot writing may go through here
 * and may be hot.
 */
#ifndef ZF_WRITER_H
#define ZF_WRITER_H

#include "internal.h"

#include <string.h>

typedef struct zf__writer {
    zf_buf *out; /* the caller's buffer, written in place */
    size_t mark; /* out->size when writing began */
    int had_mem; /* whether out had memory then (else a failure frees it) */
    zf_code rc;  /* ZF_OK, or the first failure */
} zf__writer;

/* Start writing at the end of `out` (not NULL; text already in it stays). */
ZF__INTERNAL void zf__w_init(zf__writer *w, zf_buf *out);

/*
 * End writing: on success terminate the text (out->ptr is then a string even when
 * nothing was written) and return ZF_OK; after a failure fill `err` (optional;
 * first error wins) and return the failure's code (ZF_ENOMEM, or what was given
 * to zf__w_fail()). The buffer was already put back.
 */
ZF__INTERNAL zf_code zf__w_finish(zf__writer *w, zf_error *err);

/* Fail with `code` (not ZF_OK) unless already failed, and put the buffer back. */
ZF__INTERNAL void zf__w_fail(zf__writer *w, zf_code code);

/* Whether a write has failed (writing on is harmless; this lets long loops stop). */
static inline int zf__w_failed(const zf__writer *w) {
    return w->rc != ZF_OK;
}

/* The slow halves of zf__w_put/zf__w_putc: grow the buffer, or do nothing after a
 * failure. */
ZF__INTERNAL void zf__w_put_slow(zf__writer *w, const char *s, size_t n);
ZF__INTERNAL void zf__w_putc_slow(zf__writer *w, char c);

/* Append `n` bytes. The test `n < free space` keeps room for the final NUL. */
static inline void zf__w_put(zf__writer *w, const char *s, size_t n) {
    zf_buf *b = w->out;
    if (w->rc == ZF_OK && n < b->asize - b->size) {
        memcpy(b->ptr + b->size, s, n);
        b->size += n;
    } else
        zf__w_put_slow(w, s, n);
}

static inline void zf__w_putc(zf__writer *w, char c) {
    zf_buf *b = w->out;
    if (w->rc == ZF_OK && 1 < b->asize - b->size)
        b->ptr[b->size++] = c;
    else
        zf__w_putc_slow(w, c);
}

/* Append a NUL-terminated string; NULL appends nothing. */
static inline void zf__w_puts(zf__writer *w, const char *s) {
    if (s)
        zf__w_put(w, s, strlen(s));
}

/* Append printf-formatted text (formatted once when it fits the free space). */
ZF__INTERNAL void zf__w_printf(zf__writer *w, const char *fmt, ...) ZF__PRINTF(2, 3);
ZF__INTERNAL void zf__w_vprintf(zf__writer *w, const char *fmt, va_list ap);

/* Append a value as zf_value_format() writes it. */
ZF__INTERNAL void zf__w_value(zf__writer *w, const zf_value *v);

/*
 * Escapes. Each appends `s` (NULL as noted) escaped for one context.
 *  - zf__w_xml_text: element content: & < > as entities, CR as &#13; (so parsing
 *    gives it back), other C0 controls but TAB and LF as &#N; (not XML 1.0: a
 *    reader refuses them). NULL: nothing.
 *  - zf__w_xml_attr: an attribute value between double quotes (the quotes are
 *    the caller's): as xml_text, and " TAB LF CR as &quot; &#9; &#10; &#13;
 *    (attribute-value normalisation would turn blanks into spaces).
 *  - zf__w_json: a JSON string with its quotes: " \ as \" \\, BS FF LF CR TAB as
 *    \b \f \n \r \t, other controls as \u00XX (RFC 8259 section 7), invalid UTF-8
 *    bytes as \ufffd, so the output is always valid JSON. NULL: null.
 *  - zf__w_md_cell: text in a Markdown table cell: runs of blanks and line
 *    breaks become one space (none at the ends), | as \|, < as &lt;. NULL or "":
 *    an em dash "—".
 *  - zf__w_md_code: code in a Markdown table cell, `text`: | as \|, blanks TAB
 *    LF CR as a space, ` as '. NULL or "": "—".
 *  - zf__w_dot: the inside of a double-quoted Graphviz string: " \ as \" \\, TAB
 *    LF CR as a space. NULL: nothing.
 */
ZF__INTERNAL void zf__w_xml_text(zf__writer *w, const char *s);
ZF__INTERNAL void zf__w_xml_attr(zf__writer *w, const char *s);
ZF__INTERNAL void zf__w_json(zf__writer *w, const char *s);
ZF__INTERNAL void zf__w_md_cell(zf__writer *w, const char *s);
ZF__INTERNAL void zf__w_md_code(zf__writer *w, const char *s);
ZF__INTERNAL void zf__w_dot(zf__writer *w, const char *s);

#endif
