/*
 * Secure loading of process definitions: reading the file, parsing it with
 * libxml2 without network, DTDs or entity expansion, limits on size, depth,
 * element count and attribute length, validation against the schema compiled
 * into the library, and source positions (line and column in characters) for
 * every element and attribute value.
 */
#include "load.h"
#include "xml.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>

/* ------------------------------------------------------------------------ */
/* Diagnostics */

static void one_line(char *s) {
    size_t n;
    for (char *p = s; *p; p++)
        if ((unsigned char)*p < 0x20)
            *p = ' ';
    /* No trailing blanks or period (STYLE.md section 3). */
    n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '.'))
        s[--n] = '\0';
}

void zf__diag_add(zf__diagctx *dc, zf_severity sev, zf_code code, const char *check,
                  int line, int column, const char *fmt, ...) {
    zf_diagnostic d;
    va_list ap;

    memset(&d, 0, sizeof d);
    d.severity = sev;
    d.code = sev == ZF_SEVERITY_ERROR ? code : ZF_OK;
    snprintf(d.check, sizeof d.check, "%s", check ? check : "");
    zf__copy_path(d.file, sizeof d.file, dc->file);
    d.line = line > 0 ? line : 0;
    d.column = line > 0 && column > 0 ? column : 0;
    va_start(ap, fmt);
    vsnprintf(d.message, sizeof d.message, fmt, ap);
    va_end(ap);
    one_line(d.message);

    if (sev == ZF_SEVERITY_ERROR) {
        if (dc->errors++ == 0)
            dc->first = code;
        zf__error_setpos(dc->err, code, dc->file, d.line, d.column, "%s", d.message);
    } else {
        dc->warnings++;
    }
    if (!dc->out)
        return;
    if (sev == ZF_SEVERITY_ERROR)
        dc->out->errors++;
    else
        dc->out->warnings++;
    if (dc->stored >= ZF_LOAD_MAX_DIAGS)
        return;
    if (ZF__GROW(dc->out->items, dc->out->capacity, dc->out->count + 1, 16)) {
        dc->oom = 1;
        return;
    }
    dc->out->items[dc->out->count++] = d;
    dc->stored++;
}

/* ------------------------------------------------------------------------ */
/* Reading the file */

zf_code zf__load_read_file(char **out, size_t *len, zf__diagctx *dc) {
    FILE *f;
    char *buf = NULL;
    size_t n = 0, cap = 0;

    *out = NULL;
    *len = 0;
    f = fopen(dc->file, "rb");
    if (!f) {
        zf__diag_add(dc, ZF_SEVERITY_ERROR, ZF_EIO, "io", 0, 0, "cannot open file: %s",
                     strerror(errno));
        return ZF_EIO;
    }
    for (;;) {
        size_t got;
        if (n == cap) {
            size_t ncap = zf__grow_cap(cap, n + 1, 64 * 1024, 1);
            char *nb;
            if (!ncap || ncap > ZF_LOAD_MAX_FILE + 1)
                ncap = ZF_LOAD_MAX_FILE + 1;
            if (ncap == cap) {
                /* Read one byte more than the limit to know whether it was exceeded. */
                fclose(f);
                zf__free(buf);
                zf__diag_add(dc, ZF_SEVERITY_ERROR, ZF_EPARSE, "limit", 0, 0,
                             "file is larger than 16 MiB");
                return ZF_EPARSE;
            }
            nb = zf__realloc(buf, ncap + 1);
            if (!nb) {
                fclose(f);
                zf__free(buf);
                return ZF_ENOMEM;
            }
            buf = nb;
            cap = ncap;
        }
        got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) {
            if (ferror(f)) {
                int e = errno;
                fclose(f);
                zf__free(buf);
                zf__diag_add(dc, ZF_SEVERITY_ERROR, ZF_EIO, "io", 0, 0,
                             "cannot read file: %s", strerror(e ? e : EIO));
                return ZF_EIO;
            }
            break;
        }
    }
    fclose(f);
    if (n > ZF_LOAD_MAX_FILE) {
        zf__free(buf);
        zf__diag_add(dc, ZF_SEVERITY_ERROR, ZF_EPARSE, "limit", 0, 0,
                     "file is larger than 16 MiB");
        return ZF_EPARSE;
    }
    if (!buf) {
        buf = zf__malloc(1);
        if (!buf)
            return ZF_ENOMEM;
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return ZF_OK;
}

/* ------------------------------------------------------------------------ */
/* Parsing */

typedef struct pstate {
    zf__xml *x;
    zf__diagctx *dc;
    xmlParserCtxtPtr ctxt;
    startElementNsSAX2Func orig_start;
    int stopped;  /* we stopped the parser: later libxml2 errors are consequences */
    zf_code code; /* our own verdict: ZF_EPARSE or ZF_ENOMEM */
    size_t nelements;
    /* Incremental line/column tracking over the original bytes. */
    size_t off;
    int line,
        col; /* of the byte at `off`: 1-based line, characters before it on its line */
} pstate;

static void advance_to(pstate *ps, size_t to) {
    const unsigned char *b = (const unsigned char *)ps->x->bytes;
    if (to < ps->off) {
        ps->off = 0;
        ps->line = 1;
        ps->col = 0;
    }
    for (size_t i = ps->off; i < to; i++) {
        if (b[i] == '\n') {
            ps->line++;
            ps->col = 0;
        } else if ((b[i] & 0xc0) != 0x80) {
            ps->col++;
        }
    }
    ps->off = to;
}

/* Offset of the '<' of the markup the parser is in, or SIZE_MAX when unknown. */
static size_t markup_start(pstate *ps) {
    xmlParserInputPtr in = ps->ctxt->input;
    size_t abs, i;
    if (!in || !in->cur || !in->base || in->cur < in->base)
        return SIZE_MAX;
    abs = (size_t)in->consumed + (size_t)(in->cur - in->base);
    if (abs > ps->x->len)
        return SIZE_MAX;
    i = abs < ps->x->len ? abs : ps->x->len;
    while (i > 0) {
        i--;
        if (ps->x->bytes[i] == '<')
            return i;
    }
    return SIZE_MAX;
}

static void stop(pstate *ps, zf_code code) {
    if (!ps->stopped) {
        ps->stopped = 1;
        ps->code = code;
        xmlStopParser(ps->ctxt);
    }
}

static void parse_error(pstate *ps, int line, int column, const char *fmt, ...)
    ZF__PRINTF(4, 5);
static void parse_error(pstate *ps, int line, int column, const char *fmt, ...) {
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    zf__diag_add(ps->dc, ZF_SEVERITY_ERROR, ZF_EPARSE, "xml", line, column, "%s", msg);
}

static void on_internal_subset(void *ctx, const xmlChar *name, const xmlChar *eid,
                               const xmlChar *sid) {
    xmlParserCtxtPtr ctxt = ctx;
    pstate *ps = ctxt->_private;
    size_t at = markup_start(ps);
    int line = ctxt->input ? ctxt->input->line : 0, col = 0;
    (void)name;
    (void)eid;
    (void)sid;
    if (ps->stopped)
        return;
    if (at != SIZE_MAX) {
        advance_to(ps, at);
        line = ps->line;
        col = ps->col + 1;
    }
    zf__diag_add(ps->dc, ZF_SEVERITY_ERROR, ZF_EPARSE, "doctype", line, col,
                 "document type declarations are not allowed");
    stop(ps, ZF_EPARSE);
}

static void on_start(void *ctx, const xmlChar *localname, const xmlChar *prefix,
                     const xmlChar *uri, int nns, const xmlChar **nss, int nattrs,
                     int ndefaulted, const xmlChar **attrs) {
    xmlParserCtxtPtr ctxt = ctx;
    pstate *ps = ctxt->_private;
    zf__xml *x = ps->x;
    zf__elpos pos = {UINT32_MAX, ctxt->input ? ctxt->input->line : 0, 0};
    size_t at;

    if (ps->stopped)
        return;
    at = markup_start(ps);
    if (at != SIZE_MAX) {
        /* Check that the bytes there are this element's name (they are not
         * when libxml2 converted the document from another encoding). */
        size_t pl = prefix ? strlen((const char *)prefix) : 0;
        size_t ll = strlen((const char *)localname);
        const char *p = x->bytes + at + 1;
        size_t avail = x->len - at - 1;
        int ok = 1;
        if (pl) {
            ok = avail > pl + ll && !memcmp(p, prefix, pl) && p[pl] == ':' &&
                 !memcmp(p + pl + 1, localname, ll);
        } else {
            ok = avail >= ll && !memcmp(p, localname, ll);
        }
        if (ok) {
            advance_to(ps, at);
            pos.offset = (uint32_t)at;
            pos.line = ps->line;
            pos.column = ps->col + 1;
        }
    }
    if (ctxt->nameNr >= ZF_LOAD_MAX_DEPTH) {
        zf__diag_add(ps->dc, ZF_SEVERITY_ERROR, ZF_EPARSE, "limit", pos.line, pos.column,
                     "elements are nested deeper than %d levels", ZF_LOAD_MAX_DEPTH);
        stop(ps, ZF_EPARSE);
        return;
    }
    if (++ps->nelements > ZF_LOAD_MAX_ELEMENTS) {
        zf__diag_add(ps->dc, ZF_SEVERITY_ERROR, ZF_EPARSE, "limit", pos.line, pos.column,
                     "more than %d elements", ZF_LOAD_MAX_ELEMENTS);
        stop(ps, ZF_EPARSE);
        return;
    }
    for (int i = 0; i < nattrs; i++) {
        const xmlChar *v = attrs[i * 5 + 3], *e = attrs[i * 5 + 4];
        if (v && e && (size_t)(e - v) > ZF_LOAD_MAX_ATTR) {
            zf__diag_add(ps->dc, ZF_SEVERITY_ERROR, ZF_EPARSE, "limit", pos.line,
                         pos.column, "value of attribute '%s' is longer than 64 KiB",
                         (const char *)attrs[i * 5]);
            stop(ps, ZF_EPARSE);
            return;
        }
    }
    if (ZF__GROW(x->pos, x->apos, x->npos + 1, 256)) {
        stop(ps, ZF_ENOMEM);
        return;
    }
    x->pos[x->npos++] = pos;
    ps->orig_start(ctx, localname, prefix, uri, nns, nss, nattrs, ndefaulted, attrs);
    if (ctxt->node && ctxt->node->type == XML_ELEMENT_NODE && !ctxt->node->_private)
        ctxt->node->_private = (void *)(uintptr_t)x->npos;
}

static void report_xml_error(pstate *ps, const xmlError *e) {
    char msg[256];
    if (ps->stopped || !e || e->level < XML_ERR_ERROR)
        return;
    snprintf(msg, sizeof msg, "%s", e->message ? e->message : "malformed XML");
    one_line(msg);
    if (msg[0] >= 'A' && msg[0] <= 'Z' && !(msg[1] >= 'A' && msg[1] <= 'Z'))
        msg[0] = (char)(msg[0] - 'A' + 'a');
    parse_error(ps, e->line, e->int2, "%s", msg);
}

static void on_ctxt_error(void *ctx, xmlErrorPtr e) {
    xmlParserCtxtPtr ctxt = ctx;
    report_xml_error(ctxt->_private, e);
}

static void on_global_error(void *ctx, xmlErrorPtr e) {
    report_xml_error(ctx, e);
}

static void on_generic_error(void *ctx, const char *msg, ...) {
    (void)ctx;
    (void)msg;
}

/* libxml2 reports some errors (encoding conversion) without a parser
 * context, through the per-thread handlers: route them to us for the
 * duration of one call, and keep them off stderr. */
typedef struct saved_handlers {
    xmlStructuredErrorFunc serror;
    void *sctx;
    xmlGenericErrorFunc generic;
    void *gctx;
} saved_handlers;

static void handlers_push(saved_handlers *s, xmlStructuredErrorFunc fn, void *ctx) {
    s->serror = xmlStructuredError;
    s->sctx = xmlStructuredErrorContext;
    s->generic = xmlGenericError;
    s->gctx = xmlGenericErrorContext;
    xmlSetStructuredErrorFunc(ctx, fn);
    xmlSetGenericErrorFunc(NULL, on_generic_error);
}

static void handlers_pop(const saved_handlers *s) {
    xmlSetStructuredErrorFunc(s->sctx, s->serror);
    xmlSetGenericErrorFunc(s->gctx, s->generic);
}

/* ------------------------------------------------------------------------ */
/* The schema: parsed once, shared read-only by all validations. */

/*
 * A mutex with an atomic fast path rather than a once-flag: a parse that runs out
 * of memory builds no schema (a schema libxml2 built while an allocation failed
 * may lack parts, and validating with it may crash), and the next load tries
 * again. One per zf__schema_kind.
 */
static pthread_mutex_t schema_lock = PTHREAD_MUTEX_INITIALIZER;
static _Atomic(xmlSchemaPtr) schemas[2];
static const char *const schema_ns[2] = {ZF_PROCESS_NS, "urn:zaakflow:migration:1"};

static void quiet_error(void *ctx, xmlErrorPtr e) {
    (void)ctx;
    (void)e;
}

/* A built-in schema (process.xsd or migration.xsd), parsed on first use: ZF_OK,
 * ZF_ENOMEM, or ZF_ESCHEMA when it cannot be parsed at all (a broken build). */
static zf_code schema_get(xmlSchemaPtr *out, zf__schema_kind kind) {
    static const unsigned char *const xsd[2] = {zf__process_xsd, zf__migration_xsd};
    const size_t len[2] = {zf__process_xsd_len, zf__migration_xsd_len};
    _Atomic(xmlSchemaPtr) *slot = &schemas[kind & 1];
    saved_handlers saved;
    xmlSchemaParserCtxtPtr pc;
    xmlSchemaPtr sch = atomic_load_explicit(slot, memory_order_acquire);
    zf_code rc = ZF_OK;
    if ((*out = sch) != NULL)
        return ZF_OK;
    pthread_mutex_lock(&schema_lock);
    sch = atomic_load_explicit(slot, memory_order_relaxed);
    if (!sch) {
        handlers_push(&saved, quiet_error, NULL);
        pc = xmlSchemaNewMemParserCtxt((const char *)xsd[kind & 1], (int)len[kind & 1]);
        if (pc) {
            xmlSchemaSetParserStructuredErrors(pc, quiet_error, NULL);
            sch = xmlSchemaParse(pc);
            xmlSchemaFreeParserCtxt(pc);
        }
        handlers_pop(&saved);
        if (zf__xml_nomem() || !pc) {
            xmlSchemaFree(sch);
            sch = NULL;
            rc = ZF_ENOMEM;
        } else if (!sch) {
            rc = ZF_ESCHEMA;
        } else {
            atomic_store_explicit(slot, sch, memory_order_release);
        }
    }
    pthread_mutex_unlock(&schema_lock);
    *out = sch;
    return rc;
}

void zf__load_schema_reset(void) {
    pthread_mutex_lock(&schema_lock);
    for (int k = 0; k < 2; k++)
        xmlSchemaFree(atomic_exchange(&schemas[k], NULL));
    pthread_mutex_unlock(&schema_lock);
}

typedef struct vstate {
    const zf__xml *x;
    zf__diagctx *dc;
} vstate;

/* A growing text of at most cap - 1 bytes; what does not fit is dropped. */
typedef struct text {
    char *p;
    size_t n, cap;
} text;

static void put_n(text *t, const char *s, size_t n) {
    if (n > t->cap - 1 - t->n)
        n = t->cap - 1 - t->n;
    memcpy(t->p + t->n, s, n);
    t->n += n;
    t->p[t->n] = '\0';
}

/* At most `max` bytes of s, cut at a character and marked with "...". */
static void put_cut(text *t, const char *s, size_t n, size_t max) {
    if (n > max) {
        n = max - 3;
        while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
            n--;
        put_n(t, s, n);
        put_n(t, "...", 3);
        return;
    }
    put_n(t, s, n);
}

/* A name from a schema message: our namespace ("{ns}", the only one the schema
 * has) left out, anything else kept as "{namespace}name"; long names cut at a
 * character. */
static void put_name(text *t, const char *s, size_t n, const char *ns) {
    size_t nsl = strlen(ns);
    if (n >= nsl && !memcmp(s, ns, nsl)) {
        s += nsl;
        n -= nsl;
    }
    if (n > 80 && s[0] == '{' && memchr(s, '}', n)) {
        /* {namespace}local: shorten the namespace, keep the name. */
        const char *close = memchr(s, '}', n);
        size_t local = n - (size_t)(close - s) - 1;
        put_n(t, "{", 1);
        put_cut(t, s + 1, (size_t)(close - s) - 1, local < 50 ? 75 - local : 25);
        put_n(t, "}", 1);
        put_cut(t, close + 1, local, 50);
        return;
    }
    put_cut(t, s, n, 80);
}

/* Copy `s` with our namespace ("{ns}") left out of every name. */
static void put_stripped(text *t, const char *s, size_t n, const char *ns) {
    size_t nsl = strlen(ns);
    for (size_t i = 0; i < n;) {
        if (n - i >= nsl && !memcmp(s + i, ns, nsl)) {
            i += nsl;
            continue;
        }
        put_n(t, s + i, 1);
        i++;
    }
}

/*
 * libxml2's schema message, made to fit a diagnostic (256 bytes) without a
 * cut in the middle of a word: the namespace of the process language is left
 * out of every name (an element found in no namespace or in another one says
 * so, and the expected names are then said to be in ours), and a long list of
 * expected elements ends with "and N more".
 */
static void schema_message(const char *msg, const xmlNode *node, const char *uri,
                           char *out, size_t cap) {
    static const char *lists[] = {"Expected is one of ( ", "Expected is ( "};
    text t = {out, 0, cap};
    const char *p = msg, *list = NULL, *end = NULL, *lead = NULL;
    char ns[64], in_ns[80];
    int foreign = 0;

    snprintf(ns, sizeof ns, "{%s}", uri);
    snprintf(in_ns, sizeof in_ns, " in namespace %s", uri);

    out[0] = '\0';
    /* "Element '{ns}name'": say what namespace a stray element is in. */
    if (!strncmp(p, "Element '", 9) && (end = strchr(p + 9, '\'')) != NULL) {
        foreign = node && node->type == XML_ELEMENT_NODE &&
                  (!node->ns || strcmp((const char *)node->ns->href, uri));
        put_n(&t, "element '", 9);
        put_name(&t, p + 9, (size_t)(end - p - 9), ns);
        put_n(&t, "'", 1);
        if (foreign && !node->ns)
            put_n(&t, " (in no namespace)", 18);
        p = end + 1;
    }
    for (size_t k = 0; k < ZF__ARRAY_SIZE(lists) && !list; k++)
        if ((list = strstr(p, lists[k])) != NULL)
            lead = lists[k];
    end = list ? strstr(list, " )") : NULL;
    if (!list || !end) {
        put_stripped(&t, p, strlen(p), ns);
    } else {
        const char *item = list + strlen(lead), *rest = end + 2;
        size_t nitems = 1, shown = 0, tail;
        char more[48];
        for (const char *q = item; q < end; q++)
            nitems += q[0] == ',' && q[1] == ' ';
        put_stripped(&t, p, (size_t)(list - p), ns);
        put_n(&t, lead, strlen(lead));
        /* Room for the names: what follows the list must fit too. */
        tail = strlen(rest) + 2 + (foreign ? strlen(in_ns) + 1 : 0);
        while (item < end) {
            const char *comma = strstr(item, ", ");
            size_t len, before = t.n;
            if (!comma || comma > end)
                comma = end;
            len = (size_t)(comma - item);
            snprintf(more, sizeof more, ", and %zu more", nitems - shown - 1);
            if (t.n + (shown ? 2 : 0) + len + (shown + 1 < nitems ? strlen(more) : 0) +
                    tail >=
                cap - 1)
                break;
            if (shown)
                put_n(&t, ", ", 2);
            put_name(&t, item, len, ns);
            if (t.n == before) /* nothing fitted */
                break;
            shown++;
            item = comma + 2;
        }
        if (shown < nitems) {
            snprintf(more, sizeof more, "%sand %zu more", shown ? ", " : "",
                     nitems - shown);
            put_n(&t, more, strlen(more));
        }
        put_n(&t, " )", 2);
        if (foreign)
            put_n(&t, in_ns, strlen(in_ns));
        put_stripped(&t, rest, strlen(rest), ns);
    }
    one_line(out);
    if (out[0] >= 'A' && out[0] <= 'Z')
        out[0] = (char)(out[0] - 'A' + 'a');
    /* A message that did not fit ends at a word, marked as cut. */
    if (t.n >= cap - 1) {
        size_t n = cap - 5;
        while (n > 0 && out[n] != ' ')
            n--;
        memcpy(out + n, " ...", 5);
    }
}

static void on_schema_error(void *ctx, xmlErrorPtr e) {
    vstate *vs = ctx;
    char clean[256];
    int line = e ? e->line : 0, col = 0;
    const xmlNode *node;

    if (!e || e->level < XML_ERR_ERROR)
        return;
    schema_message(e->message ? e->message : "schema violation", e->node,
                   schema_ns[vs->x->schema & 1], clean, sizeof clean);
    node = e->node;
    if (node && node->type == XML_ATTRIBUTE_NODE) {
        const xmlAttr *a = (const xmlAttr *)node;
        if (a->parent) {
            zf__load_attrpos(vs->x, a->parent, (const char *)a->name, 0, &line, &col);
            node = NULL;
        }
    }
    if (node && node->type == XML_ELEMENT_NODE) {
        zf__elpos p = zf__load_elpos(vs->x, node);
        const char *m = e->message, *a, *q;
        char name[64];
        if (p.line > 0) {
            line = p.line;
            col = p.column;
        }
        /* "Element 'x', attribute 'y': ...": at the value of y. */
        if (m && (a = strstr(m, "', attribute '")) != NULL &&
            (q = strchr(a + 14, '\'')) != NULL && (size_t)(q - a - 14) < sizeof name) {
            memcpy(name, a + 14, (size_t)(q - a - 14));
            name[q - a - 14] = '\0';
            zf__load_attrpos(vs->x, node, name, 0, &line, &col);
        }
    }
    zf__diag_add(vs->dc, ZF_SEVERITY_ERROR, ZF_ESCHEMA, "schema", line, col, "%s", clean);
}

static zf_code validate(zf__xml *x, zf__diagctx *dc) {
    saved_handlers saved;
    xmlSchemaValidCtxtPtr vc;
    xmlSchemaPtr sch;
    vstate vs = {x, dc};
    size_t before = dc->errors;
    zf_code code;
    int rc;

    zf__xml_track(1); /* libxml2's XSD code: see xml.h */
    code = schema_get(&sch, x->schema);
    if (code == ZF_ENOMEM) {
        zf__xml_track(0);
        return ZF_ENOMEM;
    }
    if (code) {
        zf__xml_track(0);
        zf__diag_add(dc, ZF_SEVERITY_ERROR, ZF_ESCHEMA, "schema", 0, 0,
                     "the built-in schema cannot be loaded");
        return ZF_ESCHEMA;
    }
    handlers_push(&saved, quiet_error, NULL);
    vc = xmlSchemaNewValidCtxt(sch);
    if (!vc) {
        handlers_pop(&saved);
        zf__xml_track(0);
        return ZF_ENOMEM;
    }
    xmlSchemaSetValidStructuredErrors(vc, on_schema_error, &vs);
    rc = xmlSchemaValidateDoc(vc, x->doc);
    xmlSchemaFreeValidCtxt(vc);
    handlers_pop(&saved);
    zf__xml_track(0);
    /* Findings made while memory ran out may be wrong: the caller drops them. */
    if (dc->oom || zf__xml_nomem())
        return ZF_ENOMEM;
    if (rc != 0) {
        if (dc->errors == before)
            zf__diag_add(dc, ZF_SEVERITY_ERROR, ZF_ESCHEMA, "schema", 1, 1,
                         "the document does not match the schema");
        return ZF_ESCHEMA;
    }
    return ZF_OK;
}

static zf_code parse(zf__xml *x, zf__diagctx *dc) {
    pstate ps;
    saved_handlers saved;
    xmlParserCtxtPtr ctxt;
    xmlDocPtr doc;
    size_t before = dc->errors;
    /* Never XML_PARSE_NOENT, DTDLOAD, DTDATTR, XINCLUDE or HUGE: no entity
     * expansion, no external resources, libxml2's own limits stay in force
     * (nesting depth 256, text nodes and attribute values 10 MB). */
    const int options = XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_NOWARNING;

    x->doc = NULL;
    if (x->len == 0) {
        zf__diag_add(dc, ZF_SEVERITY_ERROR, ZF_EPARSE, "xml", 1, 1,
                     "the document is empty");
        return ZF_EPARSE;
    }
    if (x->len > ZF_LOAD_MAX_FILE) {
        zf__diag_add(dc, ZF_SEVERITY_ERROR, ZF_EPARSE, "limit", 0, 0,
                     "file is larger than 16 MiB");
        return ZF_EPARSE;
    }
    handlers_push(&saved, quiet_error, NULL);
    ctxt = xmlNewParserCtxt();
    handlers_pop(&saved);
    if (!ctxt)
        return ZF_ENOMEM;
    memset(&ps, 0, sizeof ps);
    ps.x = x;
    ps.dc = dc;
    ps.ctxt = ctxt;
    ps.line = 1;
    ps.orig_start = ctxt->sax->startElementNs;
    ctxt->_private = &ps;
    ctxt->sax->startElementNs = on_start;
    ctxt->sax->internalSubset = on_internal_subset;
    ctxt->sax->externalSubset = NULL;
    ctxt->sax->serror = on_ctxt_error;
    ctxt->sax->initialized = XML_SAX2_MAGIC;

    handlers_push(&saved, on_global_error, &ps);
    doc = zf__xml_read(ctxt, x->bytes, x->len, x->name, options);
    handlers_pop(&saved);

    /* A failed allocation inside libxml2 may have left content out silently. */
    if (ps.code == ZF_ENOMEM || dc->oom || zf__xml_nomem() ||
        ctxt->errNo == XML_ERR_NO_MEMORY) {
        xmlFreeDoc(doc);
        xmlFreeParserCtxt(ctxt);
        return ZF_ENOMEM;
    }
    if (!doc || ps.stopped || !ctxt->wellFormed || dc->errors != before) {
        if (dc->errors == before)
            parse_error(&ps, ctxt->input ? ctxt->input->line : 0, 0, "malformed XML");
        xmlFreeDoc(doc);
        xmlFreeParserCtxt(ctxt);
        return dc->oom ? ZF_ENOMEM : ZF_EPARSE;
    }
    xmlFreeParserCtxt(ctxt);
    /* A DOCTYPE is refused by on_internal_subset; this is belt and braces. */
    if (doc->intSubset || doc->extSubset) {
        zf__diag_add(dc, ZF_SEVERITY_ERROR, ZF_EPARSE, "doctype", 1, 1,
                     "document type declarations are not allowed");
        xmlFreeDoc(doc);
        return ZF_EPARSE;
    }
    x->doc = doc;
    return validate(x, dc);
}

zf_code zf__load_parse(zf__xml *x, zf__diagctx *dc) {
    zf_code rc;
    zf__xml_begin();
    rc = parse(x, dc);
    zf__xml_end();
    return rc;
}

void zf__load_release(zf__xml *x) {
    if (!x)
        return;
    if (x->doc)
        xmlFreeDoc(x->doc);
    x->doc = NULL;
    zf__free(x->pos);
    x->pos = NULL;
    x->npos = x->apos = 0;
}

/* ------------------------------------------------------------------------ */
/* The root element alone */

typedef struct rootread {
    xmlParserCtxtPtr ctxt;
    char *id, *version;
    size_t cap;
    int done, found;
} rootread;

/* Copy an attribute value (value .. end) when it fits. */
static void copy_attr(char *dst, size_t cap, const xmlChar *v, const xmlChar *e) {
    size_t n = (size_t)(e - v);
    if (n < cap) {
        memcpy(dst, v, n);
        dst[n] = '\0';
    }
}

static void root_start(void *ctx, const xmlChar *localname, const xmlChar *prefix,
                       const xmlChar *uri, int nns, const xmlChar **nss, int nattrs,
                       int ndefaulted, const xmlChar **attrs) {
    rootread *r = ctx;
    (void)prefix;
    (void)nns;
    (void)nss;
    (void)ndefaulted;
    if (r->done)
        return;
    r->done = 1;
    if (uri && !strcmp((const char *)uri, ZF_PROCESS_NS) &&
        !strcmp((const char *)localname, "process")) {
        for (int i = 0; i < nattrs; i++) {
            const xmlChar **a = attrs + 5 * i;
            if (a[2]) /* an attribute in a namespace is not ours */
                continue;
            if (!strcmp((const char *)a[0], "id"))
                copy_attr(r->id, r->cap, a[3], a[4]);
            else if (!strcmp((const char *)a[0], "version"))
                copy_attr(r->version, r->cap, a[3], a[4]);
        }
        r->found = r->id[0] != '\0';
    }
    xmlStopParser(r->ctxt);
}

/* A document type declaration: not a file the loader accepts. */
static void root_subset(void *ctx, const xmlChar *name, const xmlChar *eid,
                        const xmlChar *sid) {
    rootread *r = ctx;
    (void)name;
    (void)eid;
    (void)sid;
    r->done = 1;
    xmlStopParser(r->ctxt);
}

int zf__load_root(const char *path, char *id, char *version, size_t cap) {
    xmlSAXHandler sax;
    saved_handlers saved;
    rootread r;
    char buf[4096];
    size_t total = 0, n;
    FILE *f;

    if (cap == 0)
        return -1;
    id[0] = version[0] = '\0';
    f = fopen(path, "rb");
    if (!f)
        return -1;
    memset(&sax, 0, sizeof sax);
    sax.initialized = XML_SAX2_MAGIC;
    sax.startElementNs = root_start;
    sax.internalSubset = root_subset;
    sax.serror = quiet_error;
    memset(&r, 0, sizeof r);
    r.id = id;
    r.version = version;
    r.cap = cap;
    zf__xml_begin();
    handlers_push(&saved, quiet_error, NULL);
    n = fread(buf, 1, sizeof buf, f);
    r.ctxt = xmlCreatePushParserCtxt(&sax, &r, buf, (int)n, path);
    if (r.ctxt) {
        /* No network, no DTD, no entities; the root element comes early or not at
         * all: at most 64 KiB are read. */
        xmlCtxtUseOptions(r.ctxt,
                          XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_NOERROR);
        total = n;
        while (!r.done && r.ctxt->wellFormed && n > 0 && total < 64 * 1024) {
            n = fread(buf, 1, sizeof buf, f);
            total += n;
            xmlParseChunk(r.ctxt, buf, (int)n, n == 0);
        }
        xmlFreeParserCtxt(r.ctxt);
    }
    handlers_pop(&saved);
    zf__xml_end();
    fclose(f);
    return r.found && !zf__xml_nomem() ? 0 : -1;
}

/* ------------------------------------------------------------------------ */
/* Positions */

zf__elpos zf__load_elpos(const zf__xml *x, const xmlNode *node) {
    zf__elpos none = {UINT32_MAX, 0, 0};
    uintptr_t i;
    if (!node || node->type != XML_ELEMENT_NODE)
        return none;
    i = (uintptr_t)node->_private;
    if (i == 0 || i > x->npos) {
        none.line = (int)xmlGetLineNo(node);
        if (none.line < 0)
            none.line = 0;
        return none;
    }
    return x->pos[i - 1];
}

static int is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

void zf__load_attrpos(const zf__xml *x, const xmlNode *node, const char *attr, int chars,
                      int *line, int *column) {
    zf__elpos ep = zf__load_elpos(x, node);
    const unsigned char *b = (const unsigned char *)x->bytes;
    size_t i, n = x->len, alen = strlen(attr), target = SIZE_MAX;
    int l, c;

    *line = ep.line;
    *column = ep.column;
    if (ep.offset == UINT32_MAX || ep.offset >= n)
        return;
    i = ep.offset + 1;
    while (i < n && !is_space((char)b[i]) && b[i] != '>' && b[i] != '/')
        i++;
    for (;;) {
        size_t name, namelen;
        unsigned char q;
        while (i < n && is_space((char)b[i]))
            i++;
        if (i >= n || b[i] == '>' || b[i] == '/')
            return;
        name = i;
        while (i < n && b[i] != '=' && !is_space((char)b[i]) && b[i] != '>')
            i++;
        namelen = i - name;
        while (i < n && is_space((char)b[i]))
            i++;
        if (i >= n || b[i] != '=')
            return;
        i++;
        while (i < n && is_space((char)b[i]))
            i++;
        if (i >= n || (b[i] != '"' && b[i] != '\''))
            return;
        q = b[i++];
        if (namelen == alen && !memcmp(b + name, attr, alen)) {
            /* Walk `chars` characters of the raw value; a reference is one. */
            size_t j = i;
            for (int k = 0; k < chars && j < n && b[j] != q; k++) {
                if (b[j] == '&') {
                    while (j < n && b[j] != ';' && b[j] != q)
                        j++;
                    if (j < n && b[j] == ';')
                        j++;
                } else {
                    j++;
                    while (j < n && (b[j] & 0xc0) == 0x80)
                        j++;
                }
            }
            target = j;
            break;
        }
        while (i < n && b[i] != q)
            i++;
        if (i >= n)
            return;
        i++;
    }
    l = ep.line;
    c = ep.column;
    for (i = ep.offset; i < target && i < n; i++) {
        if (b[i] == '\n') {
            l++;
            c = 1;
        } else if ((b[i] & 0xc0) != 0x80) {
            c++;
        }
    }
    *line = l;
    *column = c;
}
