/*
 * Snapshots: an instance as self-describing XML (schemas/snapshot.xsd) and back.
 *
 * Writing is deterministic (fixed element and attribute order, fixed escaping, no
 * timestamps): the bytes are a function of the instance. The last element,
 * <integrity>, holds the SHA-256 of every byte before its line and, when the
 * instance has a host key, their HMAC-SHA-256.
 *
 * Reading accepts what writing produces and nothing else. A snapshot is read
 * with a small strict reader of its own, not a general XML parser: it knows no
 * DTD, entity declaration, namespace prefix, comment, processing instruction or
 * CDATA section (each refused), never touches the network, allocates only
 * through the zaakflow allocator and is linear in the input. It reads in three
 * passes:
 *   1. the document is well-formed and its last element is <integrity>;
 *   2. the digest (and, given a key, the MAC) match the bytes before it;
 *   3. every element and attribute is one the writer writes, and everything the
 *      engine derives is derived again and compared (the configuration is legal,
 *      term ends follow from their data, the journal is numbered without holes,
 *      what the journal says about states, terms and variables holds), each
 *      refusal naming the rule broken.
 * Last, the instance built is written again: the bytes must be the input's
 * (any other spelling of the same content is refused). Entry actions never run.
 */
#include "instance_int.h"
#include "sha256.h"
#include "writer.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define XML_DECL "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"

/* ---- text ---------------------------------------------------------------- */

int zf__xml_text_ok(const unsigned char *p, size_t n) {
    const unsigned char *end = p + n;
    while (p < end) {
        unsigned c = *p;
        if (c < 0x80) {
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
                return 0;
            p++;
            continue;
        }
        uint32_t cp;
        size_t k;
        if (c >= 0xc2 && c <= 0xdf) {
            cp = c & 0x1f;
            k = 1;
        } else if (c >= 0xe0 && c <= 0xef) {
            cp = c & 0x0f;
            k = 2;
        } else if (c >= 0xf0 && c <= 0xf4) {
            cp = c & 0x07;
            k = 3;
        } else {
            return 0;
        }
        if ((size_t)(end - p) <= k)
            return 0;
        for (size_t i = 1; i <= k; i++) {
            if ((p[i] & 0xc0) != 0x80)
                return 0;
            cp = cp << 6 | (p[i] & 0x3f);
        }
        /* Shortest form only; no surrogates; XML 1.0 excludes U+FFFE and U+FFFF. */
        if ((k == 2 && cp < 0x800) || (k == 3 && cp < 0x10000) || cp > 0x10ffff ||
            (cp >= 0xd800 && cp <= 0xdfff) || cp == 0xfffe || cp == 0xffff)
            return 0;
        p += k + 1;
    }
    return 1;
}

/* ---- writing ----------------------------------------------------------- */

/* An attribute ` name="value"`, escaped so that reading gives the value back. The
 * engine holds only text zf__text_ok() accepts, so no other control character
 * reaches here. NULL: nothing. */
static void attr(zf__writer *w, const char *name, const char *value) {
    if (!value)
        return;
    zf__w_putc(w, ' ');
    zf__w_puts(w, name);
    zf__w_put(w, "=\"", 2);
    zf__w_xml_attr(w, value);
    zf__w_putc(w, '"');
}

static void attr_date(zf__writer *w, const char *name, zf_date d) {
    char buf[ZF_DATE_BUFSIZE];
    if (d != ZF_DATE_NONE)
        attr(w, name, zf_date_format(buf, d));
}

static void attr_u(zf__writer *w, const char *name, unsigned long v) {
    char buf[24];
    snprintf(buf, sizeof buf, "%lu", v);
    attr(w, name, buf);
}

static void attr_value(zf__writer *w, const zf_value *v) {
    if (v->type == ZF_TYPE_VOID)
        return;
    if (v->type == ZF_TYPE_ENUM) {
        attr(w, "value", v->as.s ? v->as.s : "");
        return;
    }
    zf__w_puts(w, " value=\"");
    zf__w_value(w, v); /* numbers, dates, durations: nothing to escape ... */
    zf__w_putc(w, '"');
}

static void write_item(zf__writer *w, const zf_journal_item *it) {
    zf__w_puts(w, "      <");
    zf__w_puts(w, zf_journal_kind_name(it->kind));
    attr(w, "name", it->name);
    attr(w, "text", it->text);
    attr_date(w, "date", it->date);
    if (it->value.type != ZF_TYPE_VOID) {
        attr(w, "type", zf_type_name(it->value.type));
        if (it->value.type == ZF_TYPE_ENUM)
            attr_u(w, "index", (unsigned long)it->value.enum_index);
        if (it->value.type == ZF_TYPE_STRING)
            attr(w, "value", it->value.as.s ? it->value.as.s : "");
        else
            attr_value(w, &it->value);
    }
    zf__w_puts(w, "/>\n");
}

static void write_gap(zf__writer *w, uint32_t from, uint32_t to) {
    zf__w_puts(w, "    <gap");
    attr_u(w, "from", from);
    attr_u(w, "to", to);
    zf__w_puts(w, "/>\n");
}

/* The journal a snapshot gets: a log with its gaps (journal on, or a journal read
 * for checking), or the bytes kept by a restore without the journal. */
typedef struct jsrc {
    const zf__log *log;
    const zf__gap *gaps;
    size_t ngaps;
    const zf__aux *kept; /* aux->kept, when log is NULL */
} jsrc;

/* The journal kept by a restore without it (the lines between <journal> and
 * </journal>), with the steps run since up to `seq` as one gap (joined to a gap
 * that ends it). */
static void write_kept(zf__writer *w, const zf__aux *x, uint32_t seq) {
    if (seq <= x->kept_seq) {
        zf__w_put(w, x->kept, x->nkept);
    } else if (x->kept_tail != SIZE_MAX) {
        zf__w_put(w, x->kept, x->kept_tail);
        write_gap(w, x->kept_tail_from, seq);
    } else {
        zf__w_put(w, x->kept, x->nkept);
        write_gap(w, x->kept_seq + 1, seq);
    }
}

/* Entry i of journal `l` of `inst`. */
static void write_entry(zf__writer *w, const zf_instance *inst, const zf__log *l,
                        size_t i) {
    const struct zf_definition *d = inst->def;
    const zf__jentry *e = &l->entries[i];
    zf__w_puts(w, "    <entry");
    attr_u(w, "seq", e->seq);
    attr_date(w, "date", e->date);
    /* An entry before a migration names its event (of an earlier version) by text. */
    attr(w, "event",
         e->event != ZF_NOIDX ? d->events[e->event].id : zf__log_str(l, e->event_name));
    attr(w, "actor", zf__log_str(l, e->actor));
    if (!e->nitems) {
        zf__w_puts(w, "/>\n");
        return;
    }
    zf__w_puts(w, ">\n");
    for (uint32_t k = 0; k < e->nitems; k++) {
        zf_journal_item it;
        zf__log_get_item(inst, l, e->first + k, &it);
        write_item(w, &it);
    }
    zf__w_puts(w, "    </entry>\n");
}

static void write_journal(zf__writer *w, const zf_instance *inst, const jsrc *j) {
    const zf__log *l = j->log;
    size_t g = 0;
    if (!l) {
        /* Journal off: the kept journal, and the steps since as one gap. */
        if (!j->kept || !j->kept->kept)
            return;
        zf__w_puts(w, "  <journal>\n");
        write_kept(w, j->kept, zf__blk_hdr(inst)->seq);
        zf__w_puts(w, "  </journal>\n");
        return;
    }
    /* A journal with no entry (every step ran with the journal off) is not written. */
    if (!l->nentries)
        return;
    zf__w_puts(w, "  <journal>\n");
    for (size_t i = 0; i < l->nentries && !zf__w_failed(w); i++) {
        for (; g < j->ngaps && j->gaps[g].at <= i; g++)
            write_gap(w, j->gaps[g].from, j->gaps[g].to);
        write_entry(w, inst, l, i);
    }
    for (; g < j->ngaps; g++)
        write_gap(w, j->gaps[g].from, j->gaps[g].to);
    zf__w_puts(w, "  </journal>\n");
}

zf_code zf__snapshot_keep_entry(zf_instance *in, const zf_instance *old, const zf__log *l,
                                size_t i) {
    zf_buf b = ZF_BUF_INIT;
    zf__writer w;
    char *kept;
    zf__w_init(&w, &b);
    write_kept(&w, old->aux, zf__blk_hdr(old)->seq);
    write_entry(&w, in, l, i);
    if (zf__w_finish(&w, NULL) != ZF_OK || !(kept = zf__malloc(b.size + 1))) {
        zf_buf_dispose(&b);
        return ZF_ENOMEM;
    }
    memcpy(kept, b.ptr, b.size);
    kept[b.size] = '\0';
    zf__free(in->aux->kept);
    in->aux->kept = kept;
    in->aux->nkept = b.size;
    in->aux->kept_seq = l->entries[i].seq;
    in->aux->kept_tail = SIZE_MAX;
    in->aux->kept_tail_from = 0;
    zf_buf_dispose(&b);
    return ZF_OK;
}

/* Everything before the <integrity> line. */
static void write_body(zf__writer *w, const zf_instance *inst, const jsrc *j) {
    const struct zf_definition *d = inst->def;
    const zf__shdr *h = zf__blk_hdr(inst);
    const uint32_t *cfg = zf__blk_cfg(inst);
    char dbuf[ZF_DURATION_BUFSIZE];

    zf__w_puts(w, XML_DECL "<snapshot xmlns=\"" ZF_SNAPSHOT_NS "\"");
    attr(w, "process", d->id);
    attr(w, "version", d->version);
    attr(w, "hash", d->hash);
    attr_date(w, "date", h->today);
    attr_u(w, "seq", h->seq);
    if (h->final != ZF_NOIDX) {
        attr(w, "final", d->states[h->final].id);
        attr(w, "outcome", d->states[h->final].outcome);
    }
    zf__w_puts(w, ">\n  <configuration>\n");
    for (uint16_t s = 1; s < d->nstates; s++) {
        if (!zf__bit(cfg, s))
            continue;
        zf__w_puts(w, "    <state");
        attr(w, "id", d->states[s].id);
        zf__w_puts(w, "/>\n");
    }
    zf__w_puts(w, "  </configuration>\n  <variables>\n");
    for (uint16_t v = 0; v < d->nvars; v++) {
        zf_value val;
        zf__w_puts(w, "    <var");
        attr(w, "id", d->vars[v].id);
        attr(w, "type", zf_type_name(d->vars[v].type));
        zf__instance_var_get(inst, v, &val);
        if (val.type == ZF_TYPE_STRING)
            attr(w, "value", val.as.s);
        else
            attr_value(w, &val);
        zf__w_puts(w, "/>\n");
    }
    zf__w_puts(w, "  </variables>\n  <terms>\n");
    for (uint16_t t = 0; t < d->nterms; t++) {
        zf__termrec rec;
        zf__instance_term_get(inst, t, &rec);
        zf__w_puts(w, "    <term");
        attr(w, "id", d->terms[t].id);
        attr(w, "status", zf_term_status_name((zf_term_status)rec.status));
        if (rec.status != ZF_TERM_IDLE) {
            attr_date(w, "trigger", rec.trigger);
            attr(w, "length", zf_duration_format(dbuf, zf__dur_unpack(rec.length)));
            attr_date(w, "end", rec.end);
        }
        if (!rec.nsusp && !rec.next) {
            zf__w_puts(w, "/>\n");
            continue;
        }
        zf__w_puts(w, ">\n");
        for (unsigned k = 0; k < rec.nsusp; k++) {
            zf__w_puts(w, "      <suspension");
            attr_date(w, "from", rec.susp[k].from);
            attr_date(w, "to", rec.susp[k].to);
            zf__w_puts(w, "/>\n");
        }
        for (unsigned k = 0; k < rec.next; k++) {
            zf__w_puts(w, "      <extension");
            attr(w, "by", zf_duration_format(dbuf, zf__dur_unpack(rec.ext[k])));
            zf__w_puts(w, "/>\n");
        }
        zf__w_puts(w, "    </term>\n");
    }
    zf__w_puts(w, "  </terms>\n");
    write_journal(w, inst, j);
}

/*
 * The <integrity> line and the end of the document, after the body (the bytes
 * written since the writer's mark): with a key, the HMAC-SHA-256 of the body;
 * then the SHA-256 of every byte before the digest attribute (the body and the
 * MAC).
 */
static void write_seal(zf__writer *w, const unsigned char *key) {
    char hex[65];
    unsigned char mac[32];
    size_t start = w->mark;
    if (zf__w_failed(w))
        return;
    if (key)
        zf__hmac_sha256(key, w->out->ptr + start, w->out->size - start, mac);
    zf__w_puts(w, "  <integrity");
    if (key) {
        zf__hex32(mac, hex);
        zf__w_puts(w, " hmac-sha256=\"");
        zf__w_puts(w, hex);
        zf__w_putc(w, '"');
    }
    if (zf__w_failed(w))
        return;
    zf__sha256_hex(w->out->ptr + start, w->out->size - start, hex);
    zf__w_puts(w, " sha256=\"");
    zf__w_puts(w, hex);
    zf__w_puts(w, "\"/>\n</snapshot>\n");
}

static jsrc own_journal(const zf_instance *inst) {
    jsrc j;
    memset(&j, 0, sizeof j);
    if (inst->journal_on && inst->aux) {
        j.log = &inst->aux->journal;
        j.gaps = inst->aux->gaps;
        j.ngaps = inst->aux->ngaps;
    } else {
        j.kept = inst->aux;
    }
    return j;
}

zf_code zf_instance_snapshot(zf_buf *out, const zf_instance *inst, zf_error *err) {
    zf__writer w;
    jsrc j;
    zf_error_clear(err);
    if (!out)
        return zf__error_set(err, ZF_EINVAL, "out is NULL");
    if (!zf__ok_instance(inst))
        return zf__error_set(err, ZF_EINVAL, "invalid instance");
    zf__w_init(&w, out);
    j = own_journal(inst);
    write_body(&w, inst, &j);
    write_seal(&w, inst->aux ? inst->aux->key : NULL);
    if (!zf__w_failed(&w) && out->size - w.mark > inst->max_snapshot) {
        zf__error_set(err, ZF_ELIMIT,
                      "the snapshot would have %zu bytes, more than its limit of %lu "
                      "(zf_instance_options.max_snapshot)",
                      out->size - w.mark, (unsigned long)inst->max_snapshot);
        zf__w_fail(&w, ZF_ELIMIT);
    }
    return zf__w_finish(&w, err);
}

/* ---- reading: the tokenizer --------------------------------------------- */

#define XA_MAX 8   /* attributes an element may have (the root: 8) */
#define X_DEPTH 8  /* element nesting (a snapshot has 4 levels) */
#define XT_START 1 /* <name ...> or <name .../> */
#define XT_END 2   /* </name> */
#define XT_EOF 3

typedef struct xattr {
    const char *name;
    size_t nlen;
    size_t voff; /* decoded value: offset into the reader's vals buffer */
} xattr;

typedef struct xel {
    int kind;
    const char *name;
    size_t nlen;
    xattr a[XA_MAX];
    int na;
    int empty;  /* <name/> */
    size_t off; /* of its '<' */
    size_t end; /* just after its '>' */
} xel;

typedef struct xr {
    const char *s;
    size_t len, pos;
    zf_buf vals; /* decoded attribute values of the current element, NUL-separated */
    zf_error *err;
} xr;

/* 1-based line and column (in characters) of byte `off`. */
static void line_col(const char *s, size_t off, int *line, int *col) {
    int l = 1, c = 1;
    for (size_t i = 0; i < off; i++) {
        if (s[i] == '\n') {
            l++;
            c = 1;
        } else if (((unsigned char)s[i] & 0xc0) != 0x80) {
            c++;
        }
    }
    *line = l;
    *col = c;
}

static zf_code xfail(const xr *x, zf_code code, size_t off, const char *fmt, ...)
    ZF__PRINTF(4, 5);
static zf_code xfail(const xr *x, zf_code code, size_t off, const char *fmt, ...) {
    char msg[256];
    int line, col;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    line_col(x->s, off, &line, &col);
    return zf__error_setpos(x->err, code, "<snapshot>", line, col, "%s", msg);
}

static int is_ws(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int name_char(unsigned char c, int first) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' ||
        c >= 0x80)
        return 1;
    return !first && ((c >= '0' && c <= '9') || c == '-' || c == '.');
}

static size_t scan_name(const xr *x, size_t i) {
    size_t j = i;
    while (j < x->len && name_char((unsigned char)x->s[j], j == i))
        j++;
    return j - i;
}

/* Append the UTF-8 of code point cp. */
static zf_code put_cp(zf_buf *b, uint32_t cp) {
    char u[4];
    size_t n;
    if (cp < 0x80) {
        u[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        u[0] = (char)(0xc0 | cp >> 6);
        u[1] = (char)(0x80 | (cp & 0x3f));
        n = 2;
    } else if (cp < 0x10000) {
        u[0] = (char)(0xe0 | cp >> 12);
        u[1] = (char)(0x80 | (cp >> 6 & 0x3f));
        u[2] = (char)(0x80 | (cp & 0x3f));
        n = 3;
    } else {
        u[0] = (char)(0xf0 | cp >> 18);
        u[1] = (char)(0x80 | (cp >> 12 & 0x3f));
        u[2] = (char)(0x80 | (cp >> 6 & 0x3f));
        u[3] = (char)(0x80 | (cp & 0x3f));
        n = 4;
    }
    return zf_buf_put(b, u, n);
}

/* The code point of the character or entity reference p[0..n) ("&amp;", "&#38;",
 * "&#x26;"), or -1 when it is none or names no XML 1.0 character. */
static long ref_cp(const char *p, size_t n) {
    static const struct {
        const char *ref;
        char c;
    } named[] = {
        {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
    uint32_t cp = 0;
    size_t q;
    int hexa;
    for (size_t m = 0; m < ZF__ARRAY_SIZE(named); m++)
        if (n == strlen(named[m].ref) && !memcmp(p, named[m].ref, n))
            return named[m].c;
    if (n < 4 || p[1] != '#' || p[n - 1] != ';')
        return -1;
    hexa = p[2] == 'x';
    q = 2 + (size_t)hexa;
    if (q == n - 1)
        return -1;
    for (; q < n - 1; q++) {
        char d = p[q];
        int v = d >= '0' && d <= '9'           ? d - '0'
                : hexa && d >= 'a' && d <= 'f' ? d - 'a' + 10
                : hexa && d >= 'A' && d <= 'F' ? d - 'A' + 10
                                               : -1;
        if (v < 0 || cp > 0x10ffff)
            return -1;
        cp = cp * (hexa ? 16u : 10u) + (uint32_t)v;
    }
    /* XML 1.0 Char. */
    if (!(cp == 9 || cp == 10 || cp == 13 || (cp >= 0x20 && cp <= 0xd7ff) ||
          (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff)))
        return -1;
    return (long)cp;
}

/* Decode the attribute value s[i..j) (between its quotes) into x->vals. */
static zf_code decode_value(xr *x, size_t i, size_t j) {
    zf_buf *b = &x->vals;
    size_t run = i;
    if (!zf__xml_text_ok((const unsigned char *)x->s + i, j - i))
        return xfail(x, ZF_EPARSE, i,
                     "an attribute value is not UTF-8 text of XML "
                     "characters");
    for (size_t k = i; k < j; k++) {
        char c = x->s[k];
        if (c == '<')
            return xfail(x, ZF_EPARSE, k, "'<' in an attribute value");
        if (c != '&' && c != '\t' && c != '\n' && c != '\r')
            continue;
        if (zf_buf_put(b, x->s + run, k - run))
            goto nomem;
        if (c != '&') {
            /* XML 1.0 section 3.3.3: a literal white space character is a space. */
            if (zf_buf_put(b, " ", 1))
                goto nomem;
            run = k + 1;
            continue;
        }
        const char *semi = memchr(x->s + k, ';', j - k);
        size_t n = semi ? (size_t)(semi - (x->s + k)) + 1 : 0;
        long cp = n ? ref_cp(x->s + k, n) : -1;
        if (cp < 0)
            return xfail(
                x, ZF_EPARSE, k,
                "a bad character or entity reference in an attribute value "
                "(only &amp; &lt; &gt; &quot; &apos; and &#N; of XML characters)");
        if (put_cp(b, (uint32_t)cp))
            goto nomem;
        k += n - 1;
        run = k + 1;
    }
    if (zf_buf_put(b, x->s + run, j - run) || zf_buf_put(b, "", 1))
        goto nomem;
    return ZF_OK;
nomem:
    return zf__error_set(x->err, ZF_ENOMEM, NULL);
}

/* The next token from x->pos, skipping white space. Text elsewhere than between
 * elements, comments, processing instructions, CDATA and DOCTYPE are refused. */
static zf_code xnext(xr *x, xel *e) {
    const char *s = x->s;
    size_t i = x->pos, n;
    zf_code rc;
    memset(e, 0, sizeof *e);
    while (i < x->len && is_ws(s[i]))
        i++;
    e->off = i;
    if (i == x->len) {
        e->kind = XT_EOF;
        x->pos = i;
        return ZF_OK;
    }
    if (s[i] != '<')
        return xfail(x, ZF_ESNAPSHOT, i, "text is not part of a snapshot");
    if (i + 1 < x->len && s[i + 1] == '!') {
        if (x->len - i >= 9 && !memcmp(s + i, "<!DOCTYPE", 9))
            return xfail(x, ZF_ESNAPSHOT, i, "a snapshot must not have a DOCTYPE");
        if (x->len - i >= 4 && !memcmp(s + i, "<!--", 4))
            return xfail(x, ZF_ESNAPSHOT, i, "comments are not part of a snapshot");
        if (x->len - i >= 9 && !memcmp(s + i, "<![CDATA[", 9))
            return xfail(x, ZF_ESNAPSHOT, i, "CDATA sections are not part of a snapshot");
        return xfail(x, ZF_EPARSE, i, "malformed markup after '<!'");
    }
    if (i + 1 < x->len && s[i + 1] == '?')
        return xfail(x, ZF_ESNAPSHOT, i,
                     "processing instructions are not part of a snapshot (the XML "
                     "declaration comes first, once)");
    if (i + 1 < x->len && s[i + 1] == '/') {
        e->kind = XT_END;
        i += 2;
        if (!(n = scan_name(x, i)))
            return xfail(x, ZF_EPARSE, i, "an end tag without a name");
        e->name = s + i;
        e->nlen = n;
        i += n;
        while (i < x->len && is_ws(s[i]))
            i++;
        if (i == x->len || s[i] != '>')
            return xfail(x, ZF_EPARSE, i, "end tag </%.*s> is not closed", (int)n,
                         e->name);
        x->pos = e->end = i + 1;
        return ZF_OK;
    }
    e->kind = XT_START;
    i++;
    if (!(n = scan_name(x, i)))
        return xfail(x, ZF_EPARSE, i, "'<' not followed by an element name");
    e->name = s + i;
    e->nlen = n;
    i += n;
    zf_buf_clear(&x->vals);
    for (;;) {
        size_t ws = i;
        while (i < x->len && is_ws(s[i]))
            i++;
        if (i == x->len)
            return xfail(x, ZF_EPARSE, e->off, "the tag <%.*s is not closed",
                         (int)e->nlen, e->name);
        if (s[i] == '>' || (s[i] == '/' && i + 1 < x->len && s[i + 1] == '>')) {
            e->empty = s[i] == '/';
            x->pos = e->end = i + 1 + (size_t)e->empty;
            break;
        }
        if (i == ws || !(n = scan_name(x, i)))
            return xfail(x, ZF_EPARSE, i, "malformed attribute in <%.*s>", (int)e->nlen,
                         e->name);
        const char *an = s + i;
        size_t an_len = n;
        i += n;
        while (i < x->len && is_ws(s[i]))
            i++;
        if (i == x->len || s[i] != '=')
            return xfail(x, ZF_EPARSE, i, "attribute '%.*s' has no value", (int)an_len,
                         an);
        i++;
        while (i < x->len && is_ws(s[i]))
            i++;
        if (i == x->len || (s[i] != '"' && s[i] != '\''))
            return xfail(x, ZF_EPARSE, i, "the value of attribute '%.*s' is not quoted",
                         (int)an_len, an);
        char q = s[i++];
        const char *close = memchr(s + i, q, x->len - i);
        if (!close)
            return xfail(x, ZF_EPARSE, i, "the value of attribute '%.*s' is not closed",
                         (int)an_len, an);
        for (int k = 0; k < e->na; k++)
            if (e->a[k].nlen == an_len && !memcmp(e->a[k].name, an, an_len))
                return xfail(x, ZF_EPARSE, (size_t)(an - s),
                             "attribute '%.*s' appears twice", (int)an_len, an);
        if (e->na == XA_MAX)
            return xfail(x, ZF_ESNAPSHOT, (size_t)(an - s),
                         "<%.*s> has more attributes than any element of a snapshot",
                         (int)e->nlen, e->name);
        e->a[e->na].name = an;
        e->a[e->na].nlen = an_len;
        e->a[e->na].voff = x->vals.size;
        e->na++;
        if ((rc = decode_value(x, i, (size_t)(close - s))))
            return rc;
        i = (size_t)(close - s) + 1;
    }
    return ZF_OK;
}

static int el_is(const xel *e, const char *name) {
    size_t n = strlen(name);
    return e->kind == XT_START && e->nlen == n && !memcmp(e->name, name, n);
}

/* The decoded value of attribute `name` of e, or NULL. */
static const char *av(const xr *x, const xel *e, const char *name) {
    size_t n = strlen(name);
    for (int k = 0; k < e->na; k++)
        if (e->a[k].nlen == n && !memcmp(e->a[k].name, name, n))
            return x->vals.ptr + e->a[k].voff;
    return NULL;
}

/* ---- reading: pass 1, well-formedness and the seal ------------------------ */

/* What pass 1 and the seal establish. */
typedef struct sealed {
    size_t body;       /* bytes before the <integrity> line */
    int mac;           /* it carries a MAC */
    const char *after; /* the byte after the XML declaration */
} sealed;

static const char *const A_INTEGRITY[] = {"sha256", "hmac-sha256", NULL};

static int hex64(const char *s) {
    if (!s || strlen(s) != 64)
        return 0;
    for (int i = 0; i < 64; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return 0;
    return 1;
}

/* Constant-time comparison of two 64-digit hex strings (the MAC). */
static int same64(const char *a, const char *b) {
    unsigned d = 0;
    for (int i = 0; i < 64; i++)
        d |= (unsigned)(a[i] ^ b[i]);
    return d == 0;
}

/*
 * The checks before anything is read: the size limit, well-formedness (every
 * start tag closed by its end tag, one root element), the XML declaration, the
 * <integrity> element last in the root, written as the writer writes it, its
 * SHA-256 of the bytes before its line and, when `key` is set, its HMAC.
 */
static zf_code open_sealed(sealed *out, xr *x, size_t max, const unsigned char *key) {
    struct {
        const char *name;
        size_t nlen;
    } stack[X_DEPTH];
    int depth = 0, roots = 0;
    xel e, last;
    size_t decl = strlen(XML_DECL);
    zf_code rc;
    char hex[65], mhex[65];
    unsigned char mac[32];

    memset(out, 0, sizeof *out);
    memset(&last, 0, sizeof last);
    if (x->len == 0)
        return zf__error_set(x->err, ZF_EPARSE, "snapshot is empty");
    if (x->len > max)
        return zf__error_set(x->err, ZF_ELIMIT,
                             "the snapshot has %zu bytes, more than its limit of %zu "
                             "(zf_instance_options.max_snapshot)",
                             x->len, max);
    /* Well-formedness first (a broken document is ZF_EPARSE), then the form. */
    int decl_ok = x->len >= decl && memcmp(x->s, XML_DECL, decl) == 0;
    x->pos = 0;
    if (decl_ok) {
        x->pos = decl;
    } else if (x->len >= 5 && !memcmp(x->s, "<?xml", 5)) {
        const char *q = memchr(x->s, '>', x->len);
        if (!q || q[-1] != '?')
            return xfail(x, ZF_EPARSE, 0, "the XML declaration is not closed");
        x->pos = (size_t)(q - x->s) + 1;
    } else if (x->len >= 3 && !memcmp(x->s, "\xef\xbb\xbf", 3)) {
        x->pos = 3;
    }
    for (;;) {
        if ((rc = xnext(x, &e)))
            return rc;
        if (e.kind == XT_EOF)
            break;
        if (e.kind == XT_START) {
            if (depth == 0 && roots++)
                return xfail(x, ZF_EPARSE, e.off, "content after the root element");
            if (depth == 1)
                last = e; /* a child of the root; its attribute values are not kept */
            if (e.empty)
                continue;
            if (depth == X_DEPTH)
                return xfail(x, ZF_ESNAPSHOT, e.off,
                             "elements are nested deeper than in any snapshot");
            stack[depth].name = e.name;
            stack[depth].nlen = e.nlen;
            depth++;
        } else {
            if (depth == 0 || stack[depth - 1].nlen != e.nlen ||
                memcmp(stack[depth - 1].name, e.name, e.nlen) != 0)
                return xfail(x, ZF_EPARSE, e.off, "end tag </%.*s> does not match",
                             (int)e.nlen, e.name);
            depth--;
        }
    }
    if (!roots)
        return xfail(x, ZF_EPARSE, x->len, "the snapshot has no root element");
    if (depth)
        return xfail(x, ZF_EPARSE, x->len, "the snapshot ends inside <%.*s>",
                     (int)stack[depth - 1].nlen, stack[depth - 1].name);
    if (!decl_ok)
        return xfail(x, ZF_ESNAPSHOT, 0,
                     "a snapshot starts with the line <?xml version=\"1.0\" "
                     "encoding=\"UTF-8\"?> (and no byte order mark)");

    /* The seal: the last child of the root, on its own line. */
    if (!el_is(&last, "integrity") || last.off < decl + 3 ||
        memcmp(x->s + last.off - 3, "\n  ", 3) != 0)
        return xfail(x, ZF_ESNAPSHOT, last.kind ? last.off : 0,
                     "the snapshot has no <integrity> element last (its SHA-256 "
                     "digest): it was not written by this version of zaakflow, or "
                     "it was cut short");
    x->pos = last.off;
    if ((rc = xnext(x, &e)))
        return rc;
    for (int k = 0; k < e.na; k++) {
        int known = 0;
        for (int m = 0; A_INTEGRITY[m]; m++)
            known |= e.a[k].nlen == strlen(A_INTEGRITY[m]) &&
                     !memcmp(e.a[k].name, A_INTEGRITY[m], e.a[k].nlen);
        if (!known)
            return xfail(x, ZF_ESNAPSHOT, e.off,
                         "unknown attribute '%.*s' on <integrity>", (int)e.a[k].nlen,
                         e.a[k].name);
    }
    const char *dig = av(x, &e, "sha256"), *hm = av(x, &e, "hmac-sha256");
    if (!hex64(dig) || (hm && !hex64(hm)))
        return xfail(x, ZF_ESNAPSHOT, e.off,
                     "<integrity> needs sha256 (and may have hmac-sha256) as 64 "
                     "lower-case hex digits");
    out->body = last.off - 2;
    out->mac = hm != NULL;
    out->after = x->s + decl;
    /* The bytes from the seal to the end are exactly those the writer writes. */
    char tail[200];
    int tn =
        snprintf(tail, sizeof tail, "  <integrity%s%s%s sha256=\"%s\"/>\n</snapshot>\n",
                 hm ? " hmac-sha256=\"" : "", hm ? hm : "", hm ? "\"" : "", dig);
    if ((size_t)tn != x->len - out->body ||
        memcmp(tail, x->s + out->body, (size_t)tn) != 0)
        return xfail(x, ZF_ESNAPSHOT, last.off,
                     "the snapshot does not end as zaakflow writes it: "
                     "<integrity .../>, then </snapshot> and a line feed");
    /* The digest covers every byte before its attribute: the body and the MAC. */
    zf__sha256_hex(x->s, out->body + (size_t)(strstr(tail, " sha256=\"") - tail), hex);
    if (memcmp(hex, dig, 64) != 0)
        return xfail(x, ZF_ESNAPSHOT, last.off,
                     "the snapshot is corrupt: the SHA-256 of its content is not the "
                     "digest it carries");
    if (key) {
        if (!hm)
            return xfail(x, ZF_ESNAPSHOT, last.off,
                         "the snapshot is not sealed with a key (no hmac-sha256), but "
                         "a key was given");
        zf__hmac_sha256(key, x->s, out->body, mac);
        zf__hex32(mac, mhex);
        if (!same64(mhex, hm))
            return xfail(x, ZF_ESNAPSHOT, last.off,
                         "the snapshot's HMAC does not match: it was changed after it "
                         "was written, or sealed with another key");
    }
    return ZF_OK;
}

/* ---- reading: pass 3, the content ----------------------------------------- */

typedef struct rd {
    xr x;
    xel el;     /* the current token */
    int peeked; /* el holds a token not yet taken */
    zf_instance *in;
    const struct zf_definition *d;
    zf_error *err;
    /* Where the journal goes: the instance's (journal on) or a scratch log. */
    zf__log *log;
    zf__gap *gaps;
    size_t ngaps, cgaps;
    size_t max_journal;
    /* The journal's place in the input: after its start tag's line, and its end
       tag's line; the last child when it is a gap. */
    int has_journal;
    size_t j_begin, j_end, tail_off;
    int tail_gap;
    uint32_t tail_from, jlast; /* the first step of the last gap; the last step */
    zf_date jmax;              /* the latest date of an entry so far */
    /* Migrations (zf_instance_migrate()): the offset of the last <migrated> record
       (0: none). Records before it name states, variables, terms and events of
       earlier versions, which the reader keeps as text; so does the entry that holds
       it before that record. */
    size_t mig_off;
    int entry_migrated; /* the current entry has had its <migrated> record */
} rd;

static zf_code bad(rd *r, size_t off, const char *fmt, ...) ZF__PRINTF(3, 4);
static zf_code bad(rd *r, size_t off, const char *fmt, ...) {
    char msg[256];
    int line, col;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (!r->x.s) /* a journal checked without its XML (zf__journal_verify()) */
        return zf__error_set(r->err, ZF_ESNAPSHOT, "compact snapshot: %s", msg);
    line_col(r->x.s, off, &line, &col);
    return zf__error_setpos(r->err, ZF_ESNAPSHOT, "<snapshot>", line, col, "%s", msg);
}

static zf_code peek(rd *r) {
    zf_code rc = ZF_OK;
    if (!r->peeked) {
        rc = xnext(&r->x, &r->el);
        r->peeked = rc == ZF_OK;
    }
    return rc;
}

static void take(rd *r) {
    r->peeked = 0;
}

/* The current element's attributes must be among `allowed`. */
static zf_code known_attrs(rd *r, const char *const *allowed) {
    const xel *e = &r->el;
    for (int k = 0; k < e->na; k++) {
        int ok = 0;
        for (int m = 0; allowed[m] && !ok; m++)
            ok = e->a[k].nlen == strlen(allowed[m]) &&
                 !memcmp(e->a[k].name, allowed[m], e->a[k].nlen);
        if (!ok)
            return bad(r, e->off, "unknown attribute '%.*s' on <%.*s>", (int)e->a[k].nlen,
                       e->a[k].name, (int)e->nlen, e->name);
    }
    return ZF_OK;
}

static const char *get(rd *r, const char *name) {
    return av(&r->x, &r->el, name);
}

static zf_code need(rd *r, const char *name, const char **out) {
    *out = get(r, name);
    if (!*out)
        return bad(r, r->el.off, "<%.*s> lacks attribute '%s'", (int)r->el.nlen,
                   r->el.name, name);
    return ZF_OK;
}

/* Take the start tag of element `name` (the next token must be one). */
static zf_code open_el(rd *r, const char *name, const char *const *allowed) {
    zf_code rc;
    if ((rc = peek(r)))
        return rc;
    if (!el_is(&r->el, name))
        return bad(r, r->el.off, "expected <%s>%s", name,
                   r->el.kind == XT_START ? ", found another element" : "");
    take(r);
    return known_attrs(r, allowed);
}

/* Take the end tag of the element just opened (unless it was empty). */
static zf_code close_el(rd *r, int empty, const char *name) {
    zf_code rc;
    if (empty)
        return ZF_OK;
    if ((rc = peek(r)))
        return rc;
    if (r->el.kind != XT_END)
        return bad(r, r->el.off, "unexpected <%.*s> in <%s>", (int)r->el.nlen, r->el.name,
                   name);
    take(r);
    return ZF_OK;
}

static zf_code get_date(rd *r, const char *name, int required, zf_date *out) {
    const char *s = get(r, name);
    *out = ZF_DATE_NONE;
    if (!s)
        return required ? need(r, name, &s) : ZF_OK;
    if (zf_date_parse(out, s, NULL) != ZF_OK)
        return bad(r, r->el.off, "%s '%s' is not a date", name, s);
    return ZF_OK;
}

static zf_code get_dur(rd *r, const char *name, int32_t *out) {
    const char *s;
    zf_duration du;
    zf_code rc;
    if ((rc = need(r, name, &s)))
        return rc;
    if (zf_duration_parse(&du, s, NULL) != ZF_OK || du.n < 0 || du.n > 99999)
        return bad(r, r->el.off, "%s '%s' is not a duration", name, s);
    *out = zf__dur_pack(du);
    return ZF_OK;
}

/* A decimal number 0 .. 4294967295 without sign, space or leading zero. */
static int parse_u32(const char *s, uint32_t *out) {
    uint64_t v = 0;
    if (!*s || (s[0] == '0' && s[1]))
        return 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || (v = v * 10 + (uint64_t)(*s - '0')) > UINT32_MAX)
            return 0;
    }
    *out = (uint32_t)v;
    return 1;
}

static zf_code get_u32(rd *r, const char *name, uint32_t *out) {
    const char *s;
    zf_code rc;
    if ((rc = need(r, name, &s)))
        return rc;
    if (!parse_u32(s, out))
        return bad(r, r->el.off, "%s '%s' is not a number from 0 to 4294967295", name, s);
    return ZF_OK;
}

static int type_by_name(const char *s, zf_type *out) {
    for (int t = ZF_TYPE_BOOL; t <= ZF_TYPE_ENUM; t++)
        if (strcmp(s, zf_type_name((zf_type)t)) == 0) {
            *out = (zf_type)t;
            return 1;
        }
    return 0;
}

static const char *const A_ROOT[] = {"xmlns", "process", "version", "hash", "date",
                                     "seq",   "final",   "outcome", NULL};
static const char *const A_NONE[] = {NULL};
static const char *const A_STATE[] = {"id", NULL};
static const char *const A_VAR[] = {"id", "type", "value", NULL};
static const char *const A_TERM[] = {"id", "status", "trigger", "length", "end", NULL};
static const char *const A_SUSPENSION[] = {"from", "to", NULL};
static const char *const A_EXTENSION[] = {"by", NULL};
static const char *const A_GAP[] = {"from", "to", NULL};
static const char *const A_ENTRY[] = {"seq", "date", "event", "actor", NULL};

static zf_code read_config(rd *r) {
    const struct zf_definition *d = r->d;
    uint32_t *cfg = zf__blk_cfg(r->in);
    size_t sec;
    int empty;
    zf_code rc;
    if ((rc = open_el(r, "configuration", A_NONE)))
        return rc;
    sec = r->el.off;
    empty = r->el.empty;
    while (!empty) {
        const char *id;
        uint16_t s;
        if ((rc = peek(r)))
            return rc;
        if (!el_is(&r->el, "state"))
            break;
        take(r);
        if ((rc = known_attrs(r, A_STATE)) || (rc = need(r, "id", &id)))
            return rc;
        s = zf__defn_state(d, id);
        if (s == ZF_NOIDX || s == 0)
            return bad(r, r->el.off, "the definition has no state '%s'", id);
        if (zf__bit(cfg, s))
            return bad(r, r->el.off, "state '%s' is listed twice", id);
        zf__bit_set(cfg, s);
        if ((rc = close_el(r, r->el.empty, "state")))
            return rc;
    }
    if ((rc = close_el(r, empty, "configuration")))
        return rc;
    /* A legal SCXML configuration; then the leaves are atomic or final states. */
    zf__bit_set(cfg, 0);
    {
        char msg[300];
        if (zf__config_problem(msg, sizeof msg, d, cfg))
            return bad(r, sec, "%s", msg);
    }
    return ZF_OK;
}

/* In a section that lists every variable (or term) once: mark item i seen. */
static zf_code listed_once(rd *r, unsigned char *seen, uint16_t i, const char *what,
                           const char *id) {
    if (seen[i])
        return bad(r, r->el.off, "%s '%s' is listed twice", what, id);
    seen[i] = 1;
    return ZF_OK;
}

/* The end of such a section: its end tag, then *missing is the first item it does
 * not list (ZF_NOIDX: none). */
static zf_code section_close(rd *r, int empty, const char *name,
                             const unsigned char *seen, uint16_t n, uint16_t *missing) {
    zf_code rc = close_el(r, empty, name);
    *missing = ZF_NOIDX;
    for (uint16_t i = 0; i < n && rc == ZF_OK && *missing == ZF_NOIDX; i++)
        if (!seen[i])
            *missing = i;
    return rc;
}

/* Parse `text` as a value of variable v's type. */
static zf_code parse_var_value(rd *r, uint16_t v, const char *text, zf_value *out) {
    const zf__var *vd = &r->d->vars[v];
    if (vd->type == ZF_TYPE_ENUM) {
        const zf__enum *e = vd->enum_id < r->d->nenums ? &r->d->enums[vd->enum_id] : NULL;
        for (uint16_t k = 0; e && k < e->nvalues; k++)
            if (strcmp(e->values[k], text) == 0) {
                *out = zf_value_void();
                out->type = ZF_TYPE_ENUM;
                out->as.s = e->values[k];
                out->enum_index = k;
                return ZF_OK;
            }
        return bad(r, r->el.off, "variable '%s': '%s' is not a value of its enumeration",
                   vd->id, text);
    }
    if (zf_value_parse(out, vd->type, text, NULL) != ZF_OK)
        return bad(r, r->el.off, "variable '%s': '%s' is not a %s", vd->id, text,
                   zf_type_name(vd->type));
    return ZF_OK;
}

static zf_code read_vars(rd *r) {
    const struct zf_definition *d = r->d;
    unsigned char *seen;
    size_t sec;
    int empty;
    zf_code rc;
    if ((rc = open_el(r, "variables", A_NONE)))
        return rc;
    sec = r->el.off;
    empty = r->el.empty;
    if (!(seen = zf__calloc((size_t)d->nvars + 1, 1)))
        return zf__error_set(r->err, ZF_ENOMEM, NULL);
    /* Every variable is listed: start from an empty store (drop the defaults of
       creation). */
    zf__blk_hdr(r->in)->str_used = 0;
    memset(zf__blk_set(r->in), 0, r->in->set_words * sizeof(uint32_t));
    while (!empty) {
        const char *id, *type, *val;
        uint16_t v;
        zf_value nv;
        if ((rc = peek(r)))
            goto done;
        if (!el_is(&r->el, "var"))
            break;
        take(r);
        if ((rc = known_attrs(r, A_VAR)) || (rc = need(r, "id", &id)) ||
            (rc = need(r, "type", &type)))
            goto done;
        v = zf__defn_var(d, id);
        rc = ZF_ESNAPSHOT;
        if (v == ZF_NOIDX) {
            bad(r, r->el.off, "the definition has no variable '%s'", id);
            goto done;
        }
        if ((rc = listed_once(r, seen, v, "variable", id)))
            goto done;
        rc = ZF_ESNAPSHOT;
        if (strcmp(type, zf_type_name(d->vars[v].type)) != 0) {
            bad(r, r->el.off, "variable '%s' is of type %s, not '%s'", id,
                zf_type_name(d->vars[v].type), type);
            goto done;
        }
        val = get(r, "value");
        if (!val) {
            nv = zf_value_void();
            zf__instance_var_put(r->in, v, &nv);
        } else if ((rc = parse_var_value(r, v, val, &nv))) {
            goto done;
        } else if (nv.type == ZF_TYPE_STRING) {
            zf_error e2;
            zf_error_clear(&e2);
            if ((rc = zf__instance_store_string(r->in, v, nv.as.s, &e2))) {
                zf__error_set(r->err, rc, "%s", e2.message);
                goto done;
            }
        } else {
            zf__instance_var_put(r->in, v, &nv);
        }
        if ((rc = close_el(r, r->el.empty, "var")))
            goto done;
    }
    uint16_t missing;
    if ((rc = section_close(r, empty, "variables", seen, d->nvars, &missing)) == ZF_OK &&
        missing != ZF_NOIDX)
        rc = bad(r, sec, "variable '%s' is missing", d->vars[missing].id);
done:
    zf__free(seen);
    return rc;
}

/* One <term>, into rec; status st. */
static zf_code read_term_data(rd *r, const char *id, int st, zf__termrec *rec) {
    zf_date today = zf__blk_hdr(r->in)->today;
    size_t at = r->el.off;
    int empty = r->el.empty;
    zf_code rc;
    char a[ZF_DATE_BUFSIZE], b[ZF_DATE_BUFSIZE];
    if ((rc = get_date(r, "trigger", 1, &rec->trigger)) ||
        (rc = get_dur(r, "length", &rec->length)) ||
        (rc = get_date(r, "end", 1, &rec->end)))
        return rc;
    while (!empty) {
        if ((rc = peek(r)))
            return rc;
        if (el_is(&r->el, "suspension") && !rec->next) {
            zf_interval *iv;
            take(r);
            if ((rc = known_attrs(r, A_SUSPENSION)))
                return rc;
            if (rec->nsusp >= ZF_INSTANCE_MAX_SUSPENSIONS)
                return bad(r, r->el.off, "term '%s' has more than %d suspensions", id,
                           ZF_INSTANCE_MAX_SUSPENSIONS);
            iv = &rec->susp[rec->nsusp++];
            if ((rc = get_date(r, "from", 1, &iv->from)) ||
                (rc = get_date(r, "to", 0, &iv->to)))
                return rc;
            if (iv->to != ZF_DATE_NONE && iv->to < iv->from)
                return bad(r, r->el.off,
                           "a suspension of term '%s' ends before it starts", id);
            /* Suspended and resumed by steps of the case: not after its date. */
            if (iv->from > today || (iv->to != ZF_DATE_NONE && iv->to > today))
                return bad(r, r->el.off,
                           "a suspension of term '%s' is dated after the case date %s",
                           id, zf_date_format(a, today));
        } else if (el_is(&r->el, "extension")) {
            take(r);
            if ((rc = known_attrs(r, A_EXTENSION)))
                return rc;
            if (rec->next >= ZF_INSTANCE_MAX_EXTENSIONS)
                return bad(r, r->el.off, "term '%s' has more than %d extensions", id,
                           ZF_INSTANCE_MAX_EXTENSIONS);
            if ((rc = get_dur(r, "by", &rec->ext[rec->next++])))
                return rc;
        } else {
            break;
        }
        if ((rc = close_el(r, r->el.empty, "term record")))
            return rc;
    }
    if ((rc = close_el(r, empty, "term")))
        return rc;
    /* Only the last suspension may be open, and it is open exactly while the term
       is suspended (a resumption, a stop or an expiry closes it). */
    for (unsigned k = 0; k < rec->nsusp; k++) {
        int open = rec->susp[k].to == ZF_DATE_NONE;
        if (open && !(k + 1 == rec->nsusp && st == ZF_TERM_SUSPENDED))
            return bad(r, at, "term '%s' has an open suspension but is %s", id,
                       k + 1 == rec->nsusp ? zf_term_status_name((zf_term_status)st)
                                           : "suspended again after it");
    }
    if (st == ZF_TERM_SUSPENDED &&
        (rec->nsusp == 0 || rec->susp[rec->nsusp - 1].to != ZF_DATE_NONE))
        return bad(r, at, "term '%s' is suspended but has no open suspension", id);
    /* A term expires the day after its last day: an expired term ended before the
       case date. */
    if (st == ZF_TERM_EXPIRED && rec->end >= today)
        return bad(r, at,
                   "term '%s' is expired but its last day %s is not before the case "
                   "date %s",
                   id, zf_date_format(a, rec->end), zf_date_format(b, today));
    return ZF_OK;
}

static zf_code read_terms(rd *r) {
    const struct zf_definition *d = r->d;
    unsigned char *seen;
    size_t sec;
    int empty;
    zf_code rc;
    if ((rc = open_el(r, "terms", A_NONE)))
        return rc;
    sec = r->el.off;
    empty = r->el.empty;
    if (!(seen = zf__calloc((size_t)d->nterms + 1, 1)))
        return zf__error_set(r->err, ZF_ENOMEM, NULL);
    while (!empty) {
        const char *id, *status;
        uint16_t t;
        int st = -1;
        size_t at;
        zf__termrec rec;
        if ((rc = peek(r)))
            goto done;
        if (!el_is(&r->el, "term"))
            break;
        take(r);
        at = r->el.off;
        if ((rc = known_attrs(r, A_TERM)) || (rc = need(r, "id", &id)) ||
            (rc = need(r, "status", &status)))
            goto done;
        rc = ZF_ESNAPSHOT;
        t = zf__defn_term(d, id);
        if (t == ZF_NOIDX) {
            bad(r, at, "the definition has no term '%s'", id);
            goto done;
        }
        if ((rc = listed_once(r, seen, t, "term", id)))
            goto done;
        rc = ZF_ESNAPSHOT;
        for (int k = 0; k <= ZF_TERM_EXPIRED; k++)
            if (strcmp(status, zf_term_status_name((zf_term_status)k)) == 0)
                st = k;
        if (st < 0) {
            bad(r, at, "term '%s' has the unknown status '%s'", id, status);
            goto done;
        }
        memset(&rec, 0, sizeof rec);
        rec.status = (uint8_t)st;
        rec.trigger = rec.end = ZF_DATE_NONE;
        if (st == ZF_TERM_IDLE) {
            if (get(r, "trigger") || get(r, "end") || get(r, "length") || !r->el.empty) {
                bad(r, at, "term '%s' is idle (never started) but has data", id);
                goto done;
            }
            (void)zf__instance_term_put(r->in, t, &rec);
            continue;
        }
        if ((rc = read_term_data(r, id, st, &rec)))
            goto done;
        rc = ZF_ESNAPSHOT;
        zf_date computed = ZF_DATE_NONE;
        zf_error e2;
        zf_error_clear(&e2);
        if (zf__instance_recompute_end(r->in, t, &rec, NULL, &computed, &e2) != ZF_OK) {
            bad(r, at, "term '%s': its last day cannot be computed: %s", id, e2.message);
            goto done;
        }
        if (computed != rec.end) {
            char a[ZF_DATE_BUFSIZE], b[ZF_DATE_BUFSIZE];
            bad(r, at, "term '%s': last day %s does not follow from its data (%s)", id,
                zf_date_format(a, rec.end), zf_date_format(b, computed));
            goto done;
        }
        if (zf__instance_term_put(r->in, t, &rec)) {
            bad(r, at, "term '%s' cannot be suspended or extended in this definition",
                id);
            goto done;
        }
    }
    uint16_t missing;
    if ((rc = section_close(r, empty, "terms", seen, d->nterms, &missing)) == ZF_OK &&
        missing != ZF_NOIDX)
        rc = bad(r, sec, "term '%s' is missing", d->terms[missing].id);
done:
    zf__free(seen);
    return rc;
}

/* ---- the journal ---------------------------------------------------------- */

static int kind_by_name(const char *s, size_t n) {
    for (int k = 0; k <= ZF_JOURNAL_TERM_MOVED; k++) {
        const char *kn = zf_journal_kind_name((zf_journal_kind)k);
        if (strlen(kn) == n && !memcmp(s, kn, n))
            return k;
    }
    return -1;
}

/* Per kind: the attributes it may have and those it must (a bit each: name, text,
 * date, type, index, value). */
enum { F_NAME = 1, F_TEXT = 2, F_DATE = 4, F_TYPE = 8, F_INDEX = 16, F_VALUE = 32 };
static const struct {
    unsigned may, must;
} item_attrs[] = {
    /* left */ {F_NAME, F_NAME},
    /* entered */ {F_NAME, F_NAME},
    /* transition */ {F_NAME | F_TEXT, F_NAME | F_TEXT},
    /* term-started */ {F_NAME | F_DATE, F_NAME | F_DATE},
    /* term-stopped */ {F_NAME | F_DATE, F_NAME | F_DATE},
    /* term-expired */ {F_NAME | F_DATE, F_NAME | F_DATE},
    /* term-suspended */ {F_NAME | F_DATE, F_NAME | F_DATE},
    /* term-resumed */ {F_NAME | F_DATE, F_NAME | F_DATE},
    /* term-extended */ {F_NAME | F_TEXT | F_DATE, F_NAME | F_TEXT | F_DATE},
    /* notify */ {F_NAME | F_TEXT | F_DATE, F_TEXT | F_DATE},
    /* spawn */ {F_NAME | F_TEXT | F_DATE, F_NAME | F_TEXT | F_DATE},
    /* spawn-param */ {F_NAME | F_DATE | F_TYPE | F_INDEX | F_VALUE, F_NAME | F_DATE},
    /* log */ {F_TEXT, F_TEXT},
    /* assign */ {F_NAME | F_TYPE | F_INDEX | F_VALUE, F_NAME},
    /* migrated */ {F_NAME | F_TEXT | F_TYPE | F_VALUE, F_NAME | F_TYPE | F_VALUE},
    /* term-moved */
    {F_NAME | F_DATE | F_TYPE | F_VALUE, F_NAME | F_DATE | F_TYPE | F_VALUE},
};
static const char *const item_attr_names[] = {"name", "type", "index", "value",
                                              "text", "date", NULL};

/* The attributes a record of `kind` may and must have (`have`: F_* bits). */
static zf_code item_form(rd *r, size_t off, int kind, unsigned have, uint32_t seq) {
    if (have & ~item_attrs[kind].may)
        return bad(r, off, "<%s> has an attribute it never has (entry %lu)",
                   zf_journal_kind_name((zf_journal_kind)kind), (unsigned long)seq);
    if ((have & item_attrs[kind].must) != item_attrs[kind].must)
        return bad(r, off, "<%s> lacks an attribute (entry %lu)",
                   zf_journal_kind_name((zf_journal_kind)kind), (unsigned long)seq);
    return ZF_OK;
}

/*
 * The rules of a journal record beyond its form, for the reader and for a journal
 * checked without its XML (zf__journal_verify(), the compact form). `ref` is the
 * state, variable or term it names (ZF_NOIDX for the others and for an earlier
 * version's record), `tname` the name it has, `v` its value or NULL; `earlier`: it
 * comes before the last migration; `last_mig`: it is the last <migrated>.
 * Refusals go to `off` in the input.
 */
static zf_code item_rules(rd *r, size_t off, int kind, uint16_t ref, const char *name,
                          const char *tname, const char *text, zf_date date,
                          const zf_value *v, zf_date entry_date, uint32_t seq,
                          int entry_event, int earlier, int last_mig) {
    const struct zf_definition *d = r->d;
    if (kind == ZF_JOURNAL_MIGRATED) {
        /* A migration's own entry has no event; the last migration enters this
           version. */
        if (entry_event)
            return bad(r, off, "<migrated> in entry %lu, which is an event's",
                       (unsigned long)seq);
        if (!v || v->type != ZF_TYPE_STRING || !v->as.s)
            return bad(r, off, "<migrated> names the version entered as a string%s", "");
        if (last_mig) {
            size_t il = strlen(d->id);
            const char *dv = d->version ? d->version : "", *val = v->as.s;
            if (strncmp(val, d->id, il) != 0 || val[il] != '@' ||
                strcmp(val + il + 1, dv))
                return bad(r, off,
                           "the last migration enters %s, but the definition is %s@%s",
                           val, d->id, dv);
        }
        r->entry_migrated = 1;
    }
    if (kind == ZF_JOURNAL_TERM_MOVED) {
        if (!r->entry_migrated)
            return bad(r, off,
                       "<term-moved> in entry %lu, which has no <migrated> before it",
                       (unsigned long)seq);
        if (!v || v->type != ZF_TYPE_DATE)
            return bad(r, off, "<term-moved> holds the last day before as a date%s", "");
    }
    /* The term records carry dates of the entry's step: the day of a suspension,
       and the last day of an expiry, which is the day before the entry. */
    if (kind == ZF_JOURNAL_TERM_SUSPENDED && date != entry_date)
        return bad(r, off,
                   "term '%s' is suspended on another day than the step of entry %lu",
                   tname, (unsigned long)seq);
    if ((kind == ZF_JOURNAL_NOTIFY || kind == ZF_JOURNAL_SPAWN ||
         kind == ZF_JOURNAL_SPAWN_PARAM) &&
        date != entry_date)
        return bad(r, off, "an effect of entry %lu is dated another day than its step",
                   (unsigned long)seq);
    /* An extension's text is the duration it adds. */
    if (kind == ZF_JOURNAL_TERM_EXTENDED) {
        zf_duration du;
        if (!text || zf_duration_parse(&du, text, NULL) != ZF_OK || du.n < 0 ||
            du.n > 99999)
            return bad(r, off,
                       "the extension of term '%s' in entry %lu is not a duration", tname,
                       (unsigned long)seq);
    }
    /* Texts of transitions and effects are the definition's (an earlier version's
       before a migration). */
    if (!earlier && (kind == ZF_JOURNAL_TRANSITION || kind == ZF_JOURNAL_NOTIFY ||
                     kind == ZF_JOURNAL_LOG || kind == ZF_JOURNAL_SPAWN ||
                     kind == ZF_JOURNAL_SPAWN_PARAM)) {
        zf__jtext key = {(unsigned)kind, ref, name, text};
        if (kind == ZF_JOURNAL_TRANSITION || kind == ZF_JOURNAL_LOG)
            key.a = NULL, key.b = text;
        if (kind == ZF_JOURNAL_SPAWN_PARAM)
            key.b = NULL;
        if (!bsearch(&key, d->jtexts, d->njtexts, sizeof key, zf__jtext_cmp))
            return bad(r, off, "<%s> in entry %lu has a %s the definition does not give",
                       zf_journal_kind_name((zf_journal_kind)kind), (unsigned long)seq,
                       kind == ZF_JOURNAL_SPAWN_PARAM ? "parameter"
                       : kind == ZF_JOURNAL_SPAWN     ? "process or relation"
                       : kind == ZF_JOURNAL_NOTIFY    ? "text or addressee"
                                                      : "text");
    }
    if (kind == ZF_JOURNAL_TERM_EXPIRED && date + 1 != entry_date)
        return bad(r, off,
                   "term '%s' expires in entry %lu, which is not dated the day after its "
                   "last day",
                   tname, (unsigned long)seq);
    /* An assignment holds a value of the variable's type. */
    if (kind == ZF_JOURNAL_ASSIGN && !earlier && v && ref < d->nvars) {
        const zf__var *vd = &d->vars[ref];
        if (v->type != vd->type)
            return bad(r, off, "variable '%s' is of type %s, not %s", vd->id,
                       zf_type_name(vd->type), zf_type_name(v->type));
        if (v->type == ZF_TYPE_ENUM) {
            const zf__enum *en = vd->enum_id < d->nenums ? &d->enums[vd->enum_id] : NULL;
            if (!en || v->enum_index >= en->nvalues || !v->as.s ||
                strcmp(en->values[v->enum_index], v->as.s) != 0)
                return bad(r, off,
                           "'%s' is not value %lu of the enumeration of variable '%s'",
                           v->as.s ? v->as.s : "", (unsigned long)v->enum_index, vd->id);
        }
    }
    return ZF_OK;
}

static zf_code read_item(rd *r, zf_date entry_date, uint32_t seq, int entry_event) {
    const struct zf_definition *d = r->d;
    const xel *e = &r->el;
    int kind = kind_by_name(e->name, e->nlen);
    const char *name, *text, *type, *val, *tname;
    uint16_t ref = ZF_NOIDX;
    unsigned have = 0;
    zf_date date;
    zf_value v = zf_value_void();
    zf_code rc;
    /* Before the last <migrated> record: a record of an earlier version, whose
       states, variables, terms and texts are not this definition's. */
    int earlier = e->off < r->mig_off;
    if (kind < 0)
        return bad(r, e->off, "unknown journal record <%.*s> in entry %lu", (int)e->nlen,
                   e->name, (unsigned long)seq);
    if ((rc = known_attrs(r, item_attr_names)))
        return rc;
    name = get(r, "name");
    text = get(r, "text");
    type = get(r, "type");
    val = get(r, "value");
    have = (name ? F_NAME : 0) | (text ? F_TEXT : 0) | (get(r, "date") ? F_DATE : 0) |
           (type ? F_TYPE : 0) | (get(r, "index") ? F_INDEX : 0) | (val ? F_VALUE : 0);
    if ((rc = item_form(r, e->off, kind, have, seq)))
        return rc;
    if (!type != !val)
        return bad(r, e->off, "<%s> has a value without a type or a type without a value",
                   zf_journal_kind_name((zf_journal_kind)kind));
    if ((rc = get_date(r, "date", 0, &date)))
        return rc;
    tname = name; /* a term's id, for messages */
    switch (earlier ? ZF_JOURNAL_LOG : kind) {
    case ZF_JOURNAL_LEFT:
    case ZF_JOURNAL_ENTERED:
    case ZF_JOURNAL_TRANSITION:
        if ((ref = zf__defn_state(d, name)) == ZF_NOIDX)
            return bad(r, e->off, "the definition has no state '%s'", name);
        name = NULL;
        break;
    case ZF_JOURNAL_ASSIGN:
        if ((ref = zf__defn_var(d, name)) == ZF_NOIDX)
            return bad(r, e->off, "the definition has no variable '%s'", name);
        name = NULL;
        break;
    case ZF_JOURNAL_NOTIFY:
    case ZF_JOURNAL_SPAWN:
    case ZF_JOURNAL_SPAWN_PARAM:
    case ZF_JOURNAL_LOG:
    case ZF_JOURNAL_MIGRATED:
        break;
    default:
        if ((ref = zf__defn_term(d, name)) == ZF_NOIDX)
            return bad(r, e->off, "the definition has no term '%s'", name);
        name = NULL;
    }
    if (type) {
        zf_type ty;
        if (!type_by_name(type, &ty))
            return bad(r, e->off, "unknown type '%s'", type);
        if (ty == ZF_TYPE_ENUM) {
            uint32_t idx;
            if ((rc = get_u32(r, "index", &idx)))
                return rc;
            v.type = ZF_TYPE_ENUM;
            v.as.s = val;
            v.enum_index = idx;
        } else if (get(r, "index")) {
            return bad(r, e->off, "only an enumeration value has an index%s", "");
        } else if (zf_value_parse(&v, ty, val, NULL) != ZF_OK) {
            return bad(r, e->off, "'%s' is not a %s", val, type);
        }
    }
    if ((rc = item_rules(r, e->off, kind, ref, name, tname, text, date, type ? &v : NULL,
                         entry_date, seq, entry_event, earlier, e->off == r->mig_off)))
        return rc;
    if ((rc = zf__log_put(r->log, (zf_journal_kind)kind, ref, name, text, date,
                          type ? &v : NULL, ZF__TEXT_COPY)))
        return rc == ZF_ENOMEM ? zf__error_set(r->err, ZF_ENOMEM, NULL)
                               : bad(r, e->off, "the journal's text is too large%s", "");
    return ZF_OK;
}

static zf_code add_gap(rd *r, uint32_t from, uint32_t to) {
    if (ZF__GROW(r->gaps, r->cgaps, r->ngaps + 1, 4))
        return zf__error_set(r->err, ZF_ENOMEM, NULL);
    r->gaps[r->ngaps].from = from;
    r->gaps[r->ngaps].to = to;
    r->gaps[r->ngaps].at = (uint32_t)r->log->nentries;
    r->ngaps++;
    return ZF_OK;
}

/* The rules of a journal entry beyond its form (see item_rules()): dated on or
 * before the case date; an event of this version is fired or a term's expiry, and a
 * fired one is dated on or after every step before it. */
static zf_code entry_rules(rd *r, size_t at, uint32_t seq, zf_date date, uint16_t e) {
    const struct zf_definition *d = r->d;
    const zf__shdr *h = zf__blk_hdr(r->in);
    char a[ZF_DATE_BUFSIZE], b[ZF_DATE_BUFSIZE];
    r->entry_migrated = 0;
    if (date > h->today)
        return bad(r, at, "journal entry %lu is dated %s, after the case date %s",
                   (unsigned long)seq, zf_date_format(a, date),
                   zf_date_format(b, h->today));
    if (e == ZF_NOIDX)
        return ZF_OK;
    if (d->events[e].kind == ZF_EVENT_EXTERNAL && date < r->jmax)
        return bad(r, at,
                   "journal entry %lu fires '%s' on %s, before an earlier step (%s)",
                   (unsigned long)seq, d->events[e].id, zf_date_format(a, date),
                   zf_date_format(b, r->jmax));
    if (d->events[e].kind != ZF_EVENT_EXTERNAL && d->events[e].kind != ZF_EVENT_EXPIRY)
        return bad(r, at,
                   "journal entry %lu is of event '%s', which is neither fired nor a "
                   "term's expiry",
                   (unsigned long)seq, d->events[e].id);
    return ZF_OK;
}

/*
 * <journal>: entries (seq, date, event, actor and records) and gaps (steps run
 * with the journal off). Every step 1 .. seq of the case is numbered once, in
 * order: an entry or in one gap. No entry is dated after the case date; an entry
 * may be dated before the one before it (a term that expired before the case
 * was registered is journaled on its own day).
 */
static zf_code read_journal(rd *r) {
    const struct zf_definition *d = r->d;
    const zf__shdr *h = zf__blk_hdr(r->in);
    uint64_t next = 1; /* the step the next entry or gap must begin with */
    size_t sec = r->el.off;
    int empty = r->el.empty, last_gap = 0;
    zf_code rc;
    r->has_journal = 1;
    r->j_begin = r->el.end + 1;
    r->jmax = ZF_DATE_NONE;
    while (!empty) {
        size_t at;
        if ((rc = peek(r)))
            return rc;
        at = r->el.off;
        if (el_is(&r->el, "gap")) {
            uint32_t from, to;
            take(r);
            if ((rc = known_attrs(r, A_GAP)) || (rc = get_u32(r, "from", &from)) ||
                (rc = get_u32(r, "to", &to)))
                return rc;
            if (from != next || to < from)
                return bad(r, at,
                           "journal gap %lu-%lu is out of sequence: the next step is %lu",
                           (unsigned long)from, (unsigned long)to, (unsigned long)next);
            if (last_gap)
                return bad(r, at, "two journal gaps follow each other: they are one%s",
                           "");
            if ((rc = add_gap(r, from, to)))
                return rc;
            if ((rc = close_el(r, r->el.empty, "gap")))
                return rc;
            last_gap = 1;
            r->tail_gap = 1;
            r->tail_off = at - 4;
            r->tail_from = from;
            next = (uint64_t)to + 1;
            r->jlast = to;
            continue;
        }
        if (!el_is(&r->el, "entry"))
            break;
        take(r);
        uint32_t seq;
        zf_date date;
        const char *ev;
        uint16_t e = ZF_NOIDX;
        int eempty = r->el.empty;
        if ((rc = known_attrs(r, A_ENTRY)) || (rc = get_u32(r, "seq", &seq)) ||
            (rc = get_date(r, "date", 1, &date)))
            return rc;
        if (seq != next)
            return bad(r, at,
                       "journal entry %lu is out of sequence: the next step is %lu "
                       "(entries are numbered 1, 2, ... without holes, repeats or "
                       "reordering)",
                       (unsigned long)seq, (unsigned long)next);
        if ((ev = get(r, "event")) && at < r->mig_off) {
            /* An event of an earlier version, kept by name (before a migration). */
        } else if (ev && (e = zf__defn_event(d, ev)) == ZF_NOIDX) {
            return bad(r, at, "the definition has no event '%s'", ev);
        }
        if ((rc = entry_rules(r, at, seq, date, e)))
            return rc;
        if (r->log->nentries >= r->max_journal)
            return zf__error_set(r->err, ZF_ELIMIT,
                                 "the snapshot's journal has more than %zu entries, its "
                                 "limit (zf_instance_options.max_journal)",
                                 r->max_journal);
        rc = ev && e == ZF_NOIDX
                 ? zf__log_entry_named(r->log, seq, date, ev, get(r, "actor"))
                 : zf__log_entry(r->log, seq, date, e, get(r, "actor"));
        if (rc)
            return rc == ZF_ENOMEM ? zf__error_set(r->err, ZF_ENOMEM, NULL)
                                   : bad(r, at, "the journal's text is too large%s", "");
        while (!eempty) {
            if ((rc = peek(r)))
                return rc;
            if (r->el.kind != XT_START)
                break;
            take(r);
            if ((rc = read_item(r, date, seq, ev != NULL)) ||
                (rc = close_el(r, r->el.empty, "record")))
                return rc;
        }
        if ((rc = close_el(r, eempty, "entry")))
            return rc;
        last_gap = 0;
        r->tail_gap = 0;
        r->jlast = seq;
        if (date > r->jmax)
            r->jmax = date;
        next = (uint64_t)seq + 1;
    }
    r->j_end = r->el.off - 2;
    if ((rc = close_el(r, empty, "journal")))
        return rc;
    if (!r->log->nentries)
        return bad(r, sec, "a journal has at least one entry%s", "");
    if (r->jlast != h->seq)
        return bad(r, sec,
                   "the journal ends with step %lu, but the case has run %lu steps (seq)",
                   (unsigned long)r->jlast, (unsigned long)h->seq);
    return ZF_OK;
}

/*
 * What the journal says, derived again and compared with the state read. From
 * its start, or, when the journal has gaps, from the last gap on (what happened
 * in a gap is not known), or from the last migration on, whichever is later:
 * the states entered and not left since are active, and those left and not
 * entered again are not; a term's status, last day, suspensions and extensions
 * follow from its records; a variable holds the value last assigned. A
 * migration's entry lists every state it enters (so all others are not active),
 * the variables it sets and the terms it starts, stops or moves; a term it
 * keeps as it was is not known from the journal until a later record.
 */
typedef struct dterm {
    uint8_t status;     /* zf_term_status + 1; 0: unknown */
    uint8_t end_known;  /* end is the last day journaled */
    uint8_t list_known; /* susp and ext are complete (the term started since) */
    uint8_t nsusp, next;
    zf_date end;
    zf_interval susp[ZF_INSTANCE_MAX_SUSPENSIONS];
    int32_t ext[ZF_INSTANCE_MAX_EXTENSIONS];
} dterm;

/* Whether two values are the same, as their texts (zf_value_format()) would say. */
static int same_value(const zf_value *a, const zf_value *b) {
    if (a->type != b->type)
        return 0;
    switch (a->type) {
    case ZF_TYPE_VOID:
        return 1;
    case ZF_TYPE_BOOL:
        return !a->as.b == !b->as.b;
    case ZF_TYPE_INT:
    case ZF_TYPE_MONEY:
        return a->as.i == b->as.i;
    case ZF_TYPE_DATE:
        return a->as.date == b->as.date;
    case ZF_TYPE_DURATION:
        return a->as.dur.n == b->as.dur.n && a->as.dur.unit == b->as.dur.unit;
    default: /* string; enumeration: by its value's name */
        return a->as.s && b->as.s && strcmp(a->as.s, b->as.s) == 0;
    }
}

static zf_code replay(rd *r, const zf__log *l, const zf__gap *gaps, size_t ngaps,
                      size_t sec) {
    const struct zf_definition *d = r->d;
    const uint32_t *cfg = zf__blk_cfg(r->in);
    size_t first = ngaps ? gaps[ngaps - 1].at : 0, mig = SIZE_MAX;
    int before_mig = 0; /* in the migration's entry, before its <migrated> record */
    uint8_t *st = NULL; /* 0 unknown, 1 inactive, 2 active */
    dterm *tm = NULL;
    uint32_t *assigned = NULL; /* item index + 1 of the last assignment, 0: none */
    zf_buf b1 = ZF_BUF_INIT, b2 = ZF_BUF_INIT;
    zf_code rc = ZF_OK;
    char a[ZF_DATE_BUFSIZE], c[ZF_DATE_BUFSIZE];

    st = zf__calloc((size_t)d->nstates + 1, 1);
    tm = zf__calloc((size_t)d->nterms + 1, sizeof *tm);
    assigned = zf__calloc((size_t)d->nvars + 1, sizeof *assigned);
    if (!st || !tm || !assigned) {
        rc = zf__error_set(r->err, ZF_ENOMEM, NULL);
        goto done;
    }
    for (size_t i = l->nentries; i-- > 0 && mig == SIZE_MAX;)
        if (zf__log_entry_migrated(l, i))
            mig = i;
    if (mig != SIZE_MAX && (!ngaps || mig >= first)) {
        /* From the last migration: what came before named another version. */
        first = mig;
        before_mig = 1;
    } else if (!ngaps) {
        /* The case started from nothing: no state active, every term idle. */
        memset(st, 1, d->nstates);
        for (uint16_t t = 0; t < d->nterms; t++) {
            tm[t].status = ZF_TERM_IDLE + 1;
            tm[t].list_known = 1;
        }
    }
    for (size_t i = first; i < l->nentries; i++) {
        const zf__jentry *e = &l->entries[i];
        for (uint32_t k = 0; k < e->nitems; k++) {
            const zf__jitem *it = &l->items[e->first + k];
            dterm *t = it->ref < d->nterms ? &tm[it->ref] : NULL;
            if (before_mig) {
                if (it->kind == ZF_JOURNAL_MIGRATED) {
                    /* Every state the case is in now is entered after this. */
                    before_mig = 0;
                    memset(st, 1, d->nstates);
                }
                continue;
            }
            if (it->ref == ZF_NOIDX && it->kind != ZF_JOURNAL_NOTIFY &&
                it->kind != ZF_JOURNAL_SPAWN && it->kind != ZF_JOURNAL_SPAWN_PARAM &&
                it->kind != ZF_JOURNAL_LOG && it->kind != ZF_JOURNAL_MIGRATED)
                continue; /* an earlier version's (the reader let none through here) */
            switch (it->kind) {
            case ZF_JOURNAL_LEFT:
                st[it->ref] = 1;
                break;
            case ZF_JOURNAL_ENTERED:
                st[it->ref] = 2;
                break;
            case ZF_JOURNAL_ASSIGN:
                assigned[it->ref] = e->first + k + 1;
                break;
            case ZF_JOURNAL_TERM_MOVED:
                /* Its new last day (status, suspensions and extensions as before). */
                t->end = it->date;
                t->end_known = 1;
                break;
            case ZF_JOURNAL_TERM_STARTED:
                t->status = ZF_TERM_RUNNING + 1;
                t->end = it->date;
                t->end_known = t->list_known = 1;
                t->nsusp = t->next = 0;
                break;
            case ZF_JOURNAL_TERM_STOPPED:
                if (t->status == ZF_TERM_SUSPENDED + 1 || !t->status) {
                    /* Stopped while suspended: the suspension closes that day and the
                       last day moves (it is not journaled). */
                    t->end_known = 0;
                    if (t->list_known && t->nsusp &&
                        t->susp[t->nsusp - 1].to == ZF_DATE_NONE)
                        t->susp[t->nsusp - 1].to = e->date > t->susp[t->nsusp - 1].from
                                                       ? e->date
                                                       : t->susp[t->nsusp - 1].from;
                }
                t->status = ZF_TERM_STOPPED + 1;
                break;
            case ZF_JOURNAL_TERM_EXPIRED:
                /* It expires on the last day it was given. */
                if (t->end_known && t->end != it->date) {
                    rc = bad(r, sec,
                             "term '%s' expires with last day %s, but the journal "
                             "gave it %s",
                             d->terms[it->ref].id, zf_date_format(a, it->date),
                             zf_date_format(c, t->end));
                    goto done;
                }
                t->status = ZF_TERM_EXPIRED + 1;
                t->end = it->date;
                t->end_known = 1;
                break;
            case ZF_JOURNAL_TERM_SUSPENDED:
                t->status = ZF_TERM_SUSPENDED + 1;
                if (t->list_known) {
                    if (t->nsusp == ZF_INSTANCE_MAX_SUSPENSIONS) {
                        t->list_known = 0;
                        break;
                    }
                    t->susp[t->nsusp].from = it->date;
                    t->susp[t->nsusp++].to = ZF_DATE_NONE;
                }
                break;
            case ZF_JOURNAL_TERM_RESUMED:
                t->status = ZF_TERM_RUNNING + 1;
                t->end = it->date;
                t->end_known = 1;
                if (t->list_known && t->nsusp)
                    t->susp[t->nsusp - 1].to = e->date;
                break;
            case ZF_JOURNAL_TERM_EXTENDED: {
                zf_duration du;
                t->end = it->date;
                t->end_known = 1;
                if (t->list_known) {
                    const char *txt = zf__log_str(l, it->text);
                    if (t->next == ZF_INSTANCE_MAX_EXTENSIONS || !txt ||
                        zf_duration_parse(&du, txt, NULL) != ZF_OK) {
                        t->list_known = 0;
                        break;
                    }
                    t->ext[t->next++] = zf__dur_pack(du);
                }
                break;
            }
            default:
                break;
            }
        }
    }
    for (uint16_t s = 1; s < d->nstates && rc == ZF_OK; s++) {
        if (st[s] && (st[s] == 2) != zf__bit(cfg, s))
            rc = bad(r, sec,
                     "the configuration does not follow from the journal: state '%s' is "
                     "%s, but the journal %s it",
                     d->states[s].id, zf__bit(cfg, s) ? "active" : "not active",
                     st[s] == 2 ? "last entered"
                     : ngaps    ? "last left"
                                : "left or never entered");
    }
    for (uint16_t t = 0; t < d->nterms && rc == ZF_OK; t++) {
        zf__termrec rec;
        const dterm *x = &tm[t];
        const char *id = d->terms[t].id;
        zf__instance_term_get(r->in, t, &rec);
        if (!x->status)
            continue;
        if (x->status != rec.status + 1) {
            rc = bad(r, sec, "term '%s' is %s, but the journal says %s", id,
                     zf_term_status_name((zf_term_status)rec.status),
                     zf_term_status_name((zf_term_status)(x->status - 1)));
            break;
        }
        if (x->end_known && x->end != rec.end) {
            rc = bad(r, sec, "term '%s' ends %s, but the journal says %s", id,
                     zf_date_format(a, rec.end), zf_date_format(c, x->end));
            break;
        }
        if (!x->list_known)
            continue;
        if (x->nsusp != rec.nsusp ||
            memcmp(x->susp, rec.susp, x->nsusp * sizeof *x->susp) != 0) {
            rc = bad(r, sec, "the suspensions of term '%s' are not those of the journal",
                     id);
            break;
        }
        if (x->next != rec.next || memcmp(x->ext, rec.ext, x->next * sizeof *x->ext)) {
            rc = bad(r, sec, "the extensions of term '%s' are not those of the journal",
                     id);
            break;
        }
    }
    for (uint16_t v = 0; v < d->nvars && rc == ZF_OK; v++) {
        zf_journal_item it;
        zf_value cur;
        if (!assigned[v])
            continue;
        zf__log_get_item(r->in, l, assigned[v] - 1, &it);
        zf__instance_var_get(r->in, v, &cur);
        if (same_value(&it.value, &cur))
            continue; /* the usual case: no text needed */
        zf_buf_clear(&b1);
        zf_buf_clear(&b2);
        if ((it.value.type != ZF_TYPE_VOID && zf_value_format(&b1, &it.value, NULL)) ||
            (cur.type != ZF_TYPE_VOID && zf_value_format(&b2, &cur, NULL))) {
            rc = zf__error_set(r->err, ZF_ENOMEM, NULL);
            break;
        }
        if (it.value.type != cur.type ||
            strcmp(b1.ptr ? b1.ptr : "", b2.ptr ? b2.ptr : "") != 0)
            rc = bad(r, sec,
                     "variable '%s' is '%s', but the journal last assigned it '%s'",
                     d->vars[v].id,
                     cur.type == ZF_TYPE_VOID ? "(unset)"
                     : b2.ptr                 ? b2.ptr
                                              : "",
                     it.value.type == ZF_TYPE_VOID ? "(unset)"
                     : b1.ptr                      ? b1.ptr
                                                   : "");
    }
done:
    zf_buf_dispose(&b1);
    zf_buf_dispose(&b2);
    zf__free(st);
    zf__free(tm);
    zf__free(assigned);
    return rc;
}

/* ---- a journal without its XML: the compact form -------------------------------- */

zf_code zf__journal_verify(zf_instance *in, const zf__log *l, const zf__gap *gaps,
                           size_t ngaps, zf_error *err) {
    const zf__shdr *h = zf__blk_hdr(in);
    size_t g = 0, mig = SIZE_MAX;
    uint64_t next = 1;
    zf_code rc;
    rd r;
    if (!l->nentries)
        return ZF_OK; /* not written: the XML restore sees no journal either */
    memset(&r, 0, sizeof r);
    r.in = in;
    r.d = in->def;
    r.err = err;
    r.jmax = ZF_DATE_NONE;
    /* The last migration: the records before it are an earlier version's. */
    for (size_t k = l->nitems; k-- > 0 && mig == SIZE_MAX;)
        if (l->items[k].kind == ZF_JOURNAL_MIGRATED)
            mig = k;
    for (size_t i = 0; i < l->nentries; i++) {
        const zf__jentry *e = &l->entries[i];
        for (; g < ngaps && gaps[g].at <= i; g++)
            next = (uint64_t)gaps[g].to + 1;
        if (e->seq != next)
            return bad(&r, 0,
                       "journal entry %lu is out of sequence: the next step is %lu",
                       (unsigned long)e->seq, (unsigned long)next);
        if ((rc = entry_rules(&r, 0, e->seq, e->date, e->event)))
            return rc;
        for (uint32_t k = e->first; k < e->first + e->nitems; k++) {
            const zf__jitem *raw = &l->items[k];
            zf_journal_item it;
            const char *name = zf__log_str(l, raw->name);
            zf__log_get_item(in, l, k, &it);
            /* What the writer would write of it: the attributes it has. */
            if (raw->kind > ZF_JOURNAL_TERM_MOVED)
                return bad(&r, 0, "a journal record of unknown kind %u", raw->kind);
            if ((rc = item_form(
                     &r, 0, raw->kind,
                     (it.name ? F_NAME : 0) | (it.text ? F_TEXT : 0) |
                         (it.date != ZF_DATE_NONE ? F_DATE : 0) |
                         (it.value.type != ZF_TYPE_VOID ? F_TYPE | F_VALUE : 0) |
                         (it.value.type == ZF_TYPE_ENUM ? F_INDEX : 0),
                     e->seq)))
                return rc;
            if ((rc = item_rules(
                     &r, 0, raw->kind, raw->ref, name, it.name, it.text, it.date,
                     it.value.type != ZF_TYPE_VOID ? &it.value : NULL, e->date, e->seq,
                     e->event != ZF_NOIDX || e->event_name != ZF__NONE32,
                     mig != SIZE_MAX && k < mig, k == mig)))
                return rc;
        }
        if (e->date > r.jmax)
            r.jmax = e->date;
        next = (uint64_t)e->seq + 1;
    }
    for (; g < ngaps; g++)
        next = (uint64_t)gaps[g].to + 1;
    if (next - 1 != h->seq)
        return bad(&r, 0,
                   "the journal ends with step %lu, but the case has run %lu steps",
                   (unsigned long)(next - 1), (unsigned long)h->seq);
    return replay(&r, l, gaps, ngaps, 0);
}

/* ---- restore ----------------------------------------------------------------- */

static const char *short_hash(const char *h, char *buf) {
    size_t n = h ? strlen(h) : 0;
    if (n > 8)
        n = 8;
    memcpy(buf, h ? h : "", n);
    buf[n] = '\0';
    return buf;
}

/* The root element: namespace, process, version and hash of `def`, case date,
 * step number, final state and outcome. */
static zf_code read_root(rd *r) {
    const struct zf_definition *d = r->d;
    zf__shdr *h = zf__blk_hdr(r->in);
    const char *ns, *pid, *ver, *hash, *fin, *outcome;
    zf_code rc;
    char a[9], b[9];
    if ((rc = peek(r)))
        return rc;
    if (!el_is(&r->el, "snapshot"))
        return bad(r, r->el.off,
                   "not a snapshot: the root element must be <snapshot> in %s",
                   ZF_SNAPSHOT_NS);
    take(r);
    if ((rc = known_attrs(r, A_ROOT)))
        return rc;
    ns = get(r, "xmlns");
    if (!ns || strcmp(ns, ZF_SNAPSHOT_NS) != 0)
        return bad(r, r->el.off,
                   "not a snapshot: the root element must be <snapshot> in %s",
                   ZF_SNAPSHOT_NS);
    pid = get(r, "process");
    ver = get(r, "version");
    hash = get(r, "hash");
    if (!pid || strcmp(pid, d->id) != 0)
        return bad(r, r->el.off, "snapshot is of process '%s' but the definition is '%s'",
                   pid ? pid : "?", d->id);
    if (!ver || !hash || strcmp(ver, d->version ? d->version : "") != 0 ||
        strcmp(hash, d->hash) != 0)
        return bad(
            r, r->el.off,
            "snapshot is of %s %s (hash %s…) but the definition is %s %s (hash %s…)", pid,
            ver ? ver : "?", short_hash(hash, a), d->id, d->version ? d->version : "?",
            short_hash(d->hash, b));
    if ((rc = get_date(r, "date", 1, &h->today)) || (rc = get_u32(r, "seq", &h->seq)))
        return rc;
    /* zf_instance_new() is step 1. */
    if (h->seq == 0)
        return bad(r, r->el.off, "seq is 0, but starting a case is its first step%s", "");
    fin = get(r, "final");
    outcome = get(r, "outcome");
    h->final = ZF_NOIDX;
    if (fin) {
        uint16_t s = zf__defn_state(d, fin);
        if (s == ZF_NOIDX || d->states[s].kind != ZF_STATE_FINAL ||
            d->states[s].parent != 0)
            return bad(r, r->el.off, "final '%s' is not a top-level final state", fin);
        h->final = s;
        const char *want = d->states[s].outcome;
        if ((want == NULL) != (outcome == NULL) || (want && strcmp(want, outcome) != 0))
            return bad(r, r->el.off, "final state '%s' has the outcome '%s', not '%s'",
                       fin, want ? want : "(none)", outcome ? outcome : "(none)");
    } else if (outcome) {
        return bad(r, r->el.off, "an outcome without a final state%s", "");
    }
    if (r->el.empty)
        return bad(r, r->el.off, "expected <configuration>%s", "");
    return ZF_OK;
}

/* After the sections: the final state agrees with the configuration, a closed case
 * has no running term, and the innermost active state of a flat chart is set. */
static zf_code check_state(rd *r, size_t sec) {
    const struct zf_definition *d = r->d;
    zf__shdr *h = zf__blk_hdr(r->in);
    const uint32_t *cfg = zf__blk_cfg(r->in);
    /* States are numbered in document pre-order: the innermost active state of a
       flat chart has the highest index. */
    for (uint16_t s = 0; s < d->nstates; s++)
        if (zf__bit(cfg, s))
            h->leaf = s;
    for (uint16_t s = 1; s < d->nstates; s++) {
        if (d->states[s].parent != 0 || d->states[s].kind != ZF_STATE_FINAL ||
            !zf__bit(cfg, s))
            continue;
        if (h->final != s)
            return bad(r, sec, "top-level final state '%s' is active but 'final' is %s",
                       d->states[s].id, h->final == ZF_NOIDX ? "not set" : "another");
    }
    if (h->final != ZF_NOIDX && !zf__bit(cfg, h->final))
        return bad(r, sec, "final state '%s' is not active", d->states[h->final].id);
    if (h->final != ZF_NOIDX)
        for (uint16_t t = 0; t < d->nterms; t++) {
            zf__termrec rec;
            zf__instance_term_get(r->in, t, &rec);
            if (rec.status == ZF_TERM_RUNNING || rec.status == ZF_TERM_SUSPENDED)
                return bad(r, sec,
                           "the case is closed, but term '%s' is still %s (closing stops "
                           "every term)",
                           d->terms[t].id,
                           zf_term_status_name((zf_term_status)rec.status));
        }
    return ZF_OK;
}

zf_code zf_instance_restore(zf_instance **out, const zf_definition *def, const char *xml,
                            size_t len, const zf_instance_options *opts, zf_error *err) {
    zf_instance_options o;
    zf_instance *in = NULL;
    zf__log scratch;
    sealed sl;
    rd r;
    zf_buf again = ZF_BUF_INIT;
    zf_code rc;
    zf_error_clear(err);
    memset(&r, 0, sizeof r);
    memset(&scratch, 0, sizeof scratch);
    if (!out)
        return zf__error_set(err, ZF_EINVAL, "out is NULL");
    *out = NULL;
    if (!zf__ok_definition(def))
        return zf__error_set(err, ZF_EINVAL, "invalid definition");
    if (!xml)
        return zf__error_set(err, ZF_EINVAL, "xml is NULL");
    if ((rc = zf__instance_options(&o, opts, err)))
        return rc;
    r.x.s = xml;
    r.x.len = len;
    r.x.err = err;
    r.d = def;
    r.err = err;
    r.max_journal = o.max_journal;
    if ((rc = zf__instance_alloc(&in, def, &o, err)))
        goto done;
    if ((rc = open_sealed(&sl, &r.x, o.max_snapshot, in->aux ? in->aux->key : NULL)))
        goto done;
    r.in = in;
    r.log = in->journal_on ? &in->aux->journal : &scratch;
    r.x.pos = (size_t)(sl.after - xml);
    /* The last migration record ('<' is escaped in attribute values, so the text can
       only be the tag; the rewrite below confirms the reading). */
    for (size_t i = sl.body; i-- > 0;)
        if (xml[i] == '<' && sl.body - i > 10 && !memcmp(xml + i, "<migrated ", 10)) {
            r.mig_off = i;
            break;
        }
    if ((rc = read_root(&r)) || (rc = read_config(&r)) || (rc = read_vars(&r)) ||
        (rc = read_terms(&r)))
        goto done;
    if ((rc = peek(&r)))
        goto done;
    size_t jsec = r.el.off;
    if (el_is(&r.el, "journal")) {
        take(&r);
        if ((rc = known_attrs(&r, A_NONE)) || (rc = read_journal(&r)))
            goto done;
    }
    if ((rc = peek(&r)))
        goto done;
    if (!el_is(&r.el, "integrity")) {
        rc = bad(&r, r.el.off, "unexpected <%.*s> in <snapshot>", (int)r.el.nlen,
                 r.el.name);
        goto done;
    }
    if ((rc = check_state(&r, r.el.off)))
        goto done;
    if (r.has_journal && (rc = replay(&r, r.log, r.gaps, r.ngaps, jsec)))
        goto done;
    if (!r.has_journal && in->journal_on && zf__blk_hdr(in)->seq) {
        /* Every step so far ran with the journal off. */
        if ((rc = add_gap(&r, 1, zf__blk_hdr(in)->seq)))
            goto done;
    }
    /* Nothing else: what the library writes for this instance is the input. */
    {
        zf__writer w;
        jsrc j;
        memset(&j, 0, sizeof j);
        j.log = r.log;
        j.gaps = r.gaps;
        j.ngaps = r.ngaps;
        zf__w_init(&w, &again);
        write_body(&w, in, &j);
        if ((rc = zf__w_finish(&w, err)))
            goto done;
        if (again.size != sl.body || memcmp(again.ptr, xml, sl.body) != 0) {
            size_t i = 0;
            while (i < again.size && i < sl.body && again.ptr[i] == xml[i])
                i++;
            rc = xfail(&r.x, ZF_ESNAPSHOT, i,
                       "the snapshot is not written as zaakflow writes this content "
                       "(attribute order, quoting, escaping, white space or a value's "
                       "spelling)");
            goto done;
        }
    }
    if (in->journal_on) {
        in->aux->gaps = r.gaps;
        in->aux->ngaps = r.ngaps;
        r.gaps = NULL;
    } else if (r.has_journal) {
        /* Journal off: the verified journal is kept as it is, to be written back. */
        zf__aux *x = in->aux;
        if (!x && !(x = in->aux = zf__aux_new())) {
            rc = zf__error_set(err, ZF_ENOMEM, NULL);
            goto done;
        }
        size_t n = r.j_end - r.j_begin;
        if (!(x->kept = zf__malloc(n + 1))) {
            rc = zf__error_set(err, ZF_ENOMEM, NULL);
            goto done;
        }
        memcpy(x->kept, xml + r.j_begin, n);
        x->kept[n] = '\0';
        x->nkept = n;
        x->kept_seq = r.jlast;
        x->kept_tail = r.tail_gap ? r.tail_off - r.j_begin : SIZE_MAX;
        x->kept_tail_from = r.tail_from;
    }
    *out = in;
    in = NULL;
    rc = ZF_OK;
done:
    zf_buf_dispose(&again);
    zf_buf_dispose(&r.x.vals);
    zf__log_dispose(&scratch);
    zf__free(r.gaps);
    zf_instance_free(in);
    return rc;
}

/* ---- reading without the definition -------------------------------------- */

static zf_code copy_field(char *dst, size_t cap, const char *src, const char *what,
                          zf_error *err) {
    size_t n = src ? strlen(src) : 0;
    if (n >= cap)
        return zf__error_set(err, ZF_ELIMIT, "the snapshot's %s is longer than %zu bytes",
                             what, cap - 1);
    memcpy(dst, src ? src : "", n);
    dst[n] = '\0';
    return ZF_OK;
}

zf_code zf_snapshot_info(zf_snapshot_summary *out, const char *xml, size_t len,
                         const zf_instance_options *opts, zf_error *err) {
    zf_instance_options o;
    unsigned char key[64];
    zf_snapshot_summary sum;
    sealed sl;
    rd r;
    zf_code rc;
    int in_terms = 0, depth = 0;
    zf_error_clear(err);
    if (!out)
        return zf__error_set(err, ZF_EINVAL, "out is NULL");
    if (!xml)
        return zf__error_set(err, ZF_EINVAL, "xml is NULL");
    if ((rc = zf__instance_options(&o, opts, err)))
        return rc;
    if (o.key)
        zf__hmac_key(key, o.key, o.key_len);
    memset(&r, 0, sizeof r);
    memset(&sum, 0, sizeof sum);
    r.x.s = xml;
    r.x.len = len;
    r.x.err = err;
    r.err = err;
    if ((rc = open_sealed(&sl, &r.x, o.max_snapshot, o.key ? key : NULL)))
        goto done;
    sum.sealed = sl.mac;
    sum.next_due = ZF_DATE_NONE;
    r.x.pos = (size_t)(sl.after - xml);
    if ((rc = peek(&r)))
        goto done;
    if (!el_is(&r.el, "snapshot") || !get(&r, "xmlns") ||
        strcmp(get(&r, "xmlns"), ZF_SNAPSHOT_NS) != 0) {
        rc =
            bad(&r, r.el.off, "not a snapshot: the root element must be <snapshot> in %s",
                ZF_SNAPSHOT_NS);
        goto done;
    }
    take(&r);
    {
        const char *p, *v, *h, *fin;
        uint32_t seq;
        if ((rc = known_attrs(&r, A_ROOT)) || (rc = need(&r, "process", &p)) ||
            (rc = need(&r, "version", &v)) || (rc = need(&r, "hash", &h)) ||
            (rc = get_date(&r, "date", 1, &sum.date)) || (rc = get_u32(&r, "seq", &seq)))
            goto done;
        if (!hex64(h)) {
            rc = bad(&r, r.el.off, "hash '%s' is not 64 lower-case hex digits", h);
            goto done;
        }
        sum.seq = seq;
        fin = get(&r, "final");
        sum.finished = fin != NULL;
        if ((rc = copy_field(sum.process, sizeof sum.process, p, "process id", err)) ||
            (rc = copy_field(sum.version, sizeof sum.version, v, "version", err)) ||
            (rc = copy_field(sum.hash, sizeof sum.hash, h, "hash", err)) ||
            (rc = copy_field(sum.outcome, sizeof sum.outcome, get(&r, "outcome"),
                             "outcome", err)))
            goto done;
    }
    /* The terms give the next due day; the journal's entries are counted. */
    depth = 1;
    while (depth > 0) {
        if ((rc = peek(&r)))
            goto done;
        take(&r);
        if (r.el.kind == XT_EOF)
            break;
        if (r.el.kind == XT_END) {
            depth--;
            if (depth == 1)
                in_terms = 0;
            continue;
        }
        if (depth == 1 && el_is(&r.el, "terms"))
            in_terms = 1;
        if (depth == 2 && el_is(&r.el, "entry"))
            sum.journal_entries++;
        if (depth == 2 && in_terms && el_is(&r.el, "term")) {
            const char *id, *status;
            zf_date end;
            if ((rc = known_attrs(&r, A_TERM)) || (rc = need(&r, "id", &id)) ||
                (rc = need(&r, "status", &status)) || (rc = get_date(&r, "end", 0, &end)))
                goto done;
            if (!strcmp(status, "running") && !sum.finished &&
                (sum.next_due == ZF_DATE_NONE || end < sum.next_due)) {
                if (end == ZF_DATE_NONE) {
                    rc = bad(&r, r.el.off, "running term '%s' has no end", id);
                    goto done;
                }
                sum.next_due = end;
                if ((rc = copy_field(sum.next_term, sizeof sum.next_term, id, "term id",
                                     err)))
                    goto done;
            }
        }
        if (!r.el.empty)
            depth++;
    }
    *out = sum;
    rc = ZF_OK;
done:
    zf_buf_dispose(&r.x.vals);
    return rc;
}

/* ---- tests and fuzzing ------------------------------------------------------ */

zf_code zf__snapshot_reseal(zf_buf *xml, const unsigned char *key, size_t key_len) {
    static const char end[] = "</snapshot>\n";
    unsigned char k0[64];
    size_t body = SIZE_MAX;
    zf_buf out = ZF_BUF_INIT;
    zf__writer w;
    if (!xml || !xml->ptr)
        return ZF_EINVAL;
    for (size_t i = xml->size; i-- > 0;)
        if (xml->ptr[i] == '\n' && xml->size - i > 13 &&
            !memcmp(xml->ptr + i + 1, "  <integrity ", 13)) {
            body = i + 1;
            break;
        }
    if (body == SIZE_MAX) {
        if (xml->size < sizeof end - 1 ||
            memcmp(xml->ptr + xml->size - (sizeof end - 1), end, sizeof end - 1))
            return ZF_EINVAL;
        body = xml->size - (sizeof end - 1);
    }
    if (key)
        zf__hmac_key(k0, key, key_len);
    zf__w_init(&w, &out);
    zf__w_put(&w, xml->ptr, body);
    write_seal(&w, key ? k0 : NULL);
    if (zf__w_finish(&w, NULL))
        return ZF_ENOMEM;
    zf_buf_dispose(xml);
    *xml = out;
    return ZF_OK;
}
