/*
 * Snapshots: an instance as self-describing XML (schemas/snapshot.xsd) and
 * back. Writing is deterministic (fixed element and attribute order, no
 * timestamps), so snapshot -> restore -> snapshot is byte-identical.
 * Restoring trusts nothing: it parses without network, DTD or entities,
 * checks the definition's id, version and hash, and validates every state,
 * variable, term and journal record against the definition; term ends must
 * follow from their data. Entry actions are never run.
 */
#include "instance_int.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- writing ----------------------------------------------------------- */

typedef struct wr {
    zf_buf *out;
    zf_code rc;
} wr;

static void put(wr *w, const char *s) {
    if (w->rc == ZF_OK)
        w->rc = zf_buf_puts(w->out, s);
}

static void putn(wr *w, const char *s, size_t n) {
    if (w->rc == ZF_OK)
        w->rc = zf_buf_put(w->out, s, n);
}

/* An attribute ` name="value"` with the value escaped so that parsing gives it back
 * exactly. */
static void attr(wr *w, const char *name, const char *value) {
    const char *p, *run;
    if (!value)
        return;
    put(w, " ");
    put(w, name);
    put(w, "=\"");
    for (p = run = value; *p; p++) {
        const char *rep = NULL;
        char num[8];
        switch (*p) {
        case '&':
            rep = "&amp;";
            break;
        case '<':
            rep = "&lt;";
            break;
        case '>':
            rep = "&gt;";
            break;
        case '"':
            rep = "&quot;";
            break;
        case '\t':
            rep = "&#9;";
            break;
        case '\n':
            rep = "&#10;";
            break;
        case '\r':
            rep = "&#13;";
            break;
        default:
            if ((unsigned char)*p < 0x20) {
                snprintf(num, sizeof num, "&#%d;", *p);
                rep = num; /* not valid XML 1.0; restore refuses it */
            }
        }
        if (rep) {
            putn(w, run, (size_t)(p - run));
            put(w, rep);
            run = p + 1;
        }
    }
    putn(w, run, (size_t)(p - run));
    put(w, "\"");
}

static void attr_date(wr *w, const char *name, zf_date d) {
    char buf[ZF_DATE_BUFSIZE];
    if (d != ZF_DATE_NONE)
        attr(w, name, zf_date_format(buf, d));
}

static void attr_u(wr *w, const char *name, unsigned long v) {
    char buf[24];
    snprintf(buf, sizeof buf, "%lu", v);
    attr(w, name, buf);
}

static void attr_value(wr *w, const zf_value *v, zf_buf *tmp) {
    if (v->type == ZF_TYPE_VOID)
        return;
    zf_buf_clear(tmp);
    if (v->type == ZF_TYPE_ENUM) {
        attr(w, "value", v->as.s ? v->as.s : "");
        return;
    }
    if (w->rc == ZF_OK && (w->rc = zf_value_format(tmp, v, NULL)) == ZF_OK)
        attr(w, "value", tmp->ptr ? tmp->ptr : "");
}

static void write_item(wr *w, const zf_journal_item *it, zf_buf *tmp) {
    put(w, "      <");
    put(w, zf_journal_kind_name(it->kind));
    attr(w, "name", it->name);
    attr(w, "text", it->text);
    attr_date(w, "date", it->date);
    if (it->value.type != ZF_TYPE_VOID) {
        attr(w, "type", zf_type_name(it->value.type));
        if (it->value.type == ZF_TYPE_ENUM)
            attr_u(w, "index", (unsigned long)it->value.enum_index);
        attr_value(w, &it->value, tmp);
    }
    put(w, "/>\n");
}

zf_code zf_instance_snapshot(zf_buf *out, const zf_instance *inst, zf_error *err) {
    wr w;
    zf_buf tmp = ZF_BUF_INIT;
    size_t before;
    char dbuf[ZF_DURATION_BUFSIZE];
    zf_error_clear(err);
    if (!inst || inst->magic != ZF__MAGIC_INSTANCE || !out)
        return zf__error_set(err, ZF_EINVAL, "invalid instance or buffer");
    const struct zf_definition *d = inst->def;
    const zf__shdr *h = zf__blk_hdr(inst);
    const uint32_t *cfg = zf__blk_cfg(inst);
    before = out->size;
    w.out = out;
    w.rc = ZF_OK;

    put(&w,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<snapshot xmlns=\"" ZF_SNAPSHOT_NS
        "\"");
    attr(&w, "process", d->id);
    attr(&w, "version", d->version);
    attr(&w, "hash", d->hash);
    attr_date(&w, "date", h->today);
    attr_u(&w, "seq", h->seq);
    if (h->final != ZF_NOIDX)
        attr(&w, "final", d->states[h->final].id);
    put(&w, ">\n  <configuration>\n");
    for (uint16_t s = 1; s < d->nstates; s++) {
        if (!zf__bit(cfg, s))
            continue;
        put(&w, "    <state");
        attr(&w, "id", d->states[s].id);
        put(&w, "/>\n");
    }
    put(&w, "  </configuration>\n  <variables>\n");
    for (uint16_t v = 0; v < d->nvars; v++) {
        put(&w, "    <var");
        attr(&w, "id", d->vars[v].id);
        attr(&w, "type", zf_type_name(d->vars[v].type));
        zf_value val;
        zf__instance_var_get(inst, v, &val);
        attr_value(&w, &val, &tmp);
        put(&w, "/>\n");
    }
    put(&w, "  </variables>\n  <terms>\n");
    for (uint16_t t = 0; t < d->nterms; t++) {
        zf__termrec recv;
        const zf__termrec *rec = &recv;
        zf__instance_term_get(inst, t, &recv);
        put(&w, "    <term");
        attr(&w, "id", d->terms[t].id);
        attr(&w, "status", zf_term_status_name((zf_term_status)rec->status));
        if (rec->status != ZF_TERM_IDLE) {
            attr_date(&w, "trigger", rec->trigger);
            attr(&w, "length", zf_duration_format(dbuf, zf__dur_unpack(rec->length)));
            attr_date(&w, "end", rec->end);
        }
        if (!rec->nsusp && !rec->next) {
            put(&w, "/>\n");
            continue;
        }
        put(&w, ">\n");
        for (unsigned k = 0; k < rec->nsusp; k++) {
            put(&w, "      <suspension");
            attr_date(&w, "from", rec->susp[k].from);
            attr_date(&w, "to", rec->susp[k].to);
            put(&w, "/>\n");
        }
        for (unsigned k = 0; k < rec->next; k++) {
            put(&w, "      <extension");
            attr(&w, "by", zf_duration_format(dbuf, zf__dur_unpack(rec->ext[k])));
            put(&w, "/>\n");
        }
        put(&w, "    </term>\n");
    }
    put(&w, "  </terms>\n");
    if (zf_instance_journal_count(inst)) {
        put(&w, "  <journal>\n");
        for (size_t i = 0; i < zf_instance_journal_count(inst); i++) {
            zf_journal_entry e;
            zf_journal_item it;
            zf_instance_journal_entry(&e, inst, i, NULL);
            put(&w, "    <entry");
            attr_u(&w, "seq", e.seq);
            attr_date(&w, "date", e.date);
            attr(&w, "event", e.event);
            attr(&w, "actor", e.actor);
            if (!e.nitems) {
                put(&w, "/>\n");
                continue;
            }
            put(&w, ">\n");
            for (size_t j = 0; j < e.nitems; j++) {
                zf_instance_journal_item(&it, inst, i, j, NULL);
                write_item(&w, &it, &tmp);
            }
            put(&w, "    </entry>\n");
        }
        put(&w, "  </journal>\n");
    }
    put(&w, "</snapshot>\n");
    zf_buf_dispose(&tmp);
    if (w.rc != ZF_OK) {
        if (out->ptr && before <= out->size) {
            out->size = before;
            out->ptr[before] = '\0';
        }
        return zf__error_set(err, w.rc, NULL);
    }
    return ZF_OK;
}

/* ---- reading ----------------------------------------------------------- */

typedef struct rd {
    zf_instance *in;
    const struct zf_definition *d;
    zf_error *err;
} rd;

static int is(const xmlNode *n, const char *name) {
    return n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
           strcmp((const char *)n->ns->href, ZF_SNAPSHOT_NS) == 0 &&
           strcmp((const char *)n->name, name) == 0;
}

/* The next element sibling from n (inclusive); text must be whitespace. */
static xmlNode *elem(xmlNode *n, int *bad) {
    for (; n; n = n->next) {
        if (n->type == XML_ELEMENT_NODE)
            return n;
        if (n->type == XML_TEXT_NODE && n->content) {
            for (const xmlChar *c = n->content; *c; c++)
                if (*c != ' ' && *c != '\t' && *c != '\n' && *c != '\r')
                    *bad = 1;
        } else if (n->type != XML_COMMENT_NODE && n->type != XML_TEXT_NODE)
            *bad = 1;
    }
    return NULL;
}

/* Attribute value or NULL; the pointer stays valid while the document lives. */
static const char *get(xmlNode *n, const char *name) {
    for (xmlAttr *a = n->properties; a; a = a->next) {
        if (a->ns || strcmp((const char *)a->name, name) != 0)
            continue;
        if (a->children && a->children->type == XML_TEXT_NODE && !a->children->next)
            return (const char *)a->children->content;
        if (!a->children)
            return "";
        return NULL;
    }
    return NULL;
}

static zf_code bad(rd *r, xmlNode *n, const char *fmt, const char *arg) {
    char msg[512];
    snprintf(msg, sizeof msg, fmt, arg ? arg : "");
    return zf__error_setpos(r->err, ZF_ESNAPSHOT, "<snapshot>",
                            n ? (int)xmlGetLineNo(n) : 0, 0, "%s", msg);
}

static zf_code need(rd *r, xmlNode *n, const char *name, const char **out) {
    *out = get(n, name);
    if (!*out) {
        char msg[120];
        snprintf(msg, sizeof msg, "<%s> lacks attribute '%s'", (const char *)n->name,
                 name);
        return bad(r, n, "%s", msg);
    }
    return ZF_OK;
}

static zf_code get_date(rd *r, xmlNode *n, const char *name, int required, zf_date *out) {
    const char *s = get(n, name);
    *out = ZF_DATE_NONE;
    if (!s)
        return required ? need(r, n, name, &s) : ZF_OK;
    if (zf_date_parse(out, s, NULL) != ZF_OK)
        return bad(r, n, "'%s' is not a date", s);
    return ZF_OK;
}

static zf_code get_dur(rd *r, xmlNode *n, const char *name, int32_t *out) {
    const char *s;
    zf_duration du;
    zf_code rc;
    if ((rc = need(r, n, name, &s)))
        return rc;
    if (zf_duration_parse(&du, s, NULL) != ZF_OK)
        return bad(r, n, "'%s' is not a duration", s);
    *out = zf__dur_pack(du);
    return ZF_OK;
}

static zf_code get_u32(rd *r, xmlNode *n, const char *name, uint32_t *out) {
    const char *s;
    char *end;
    zf_code rc;
    if ((rc = need(r, n, name, &s)))
        return rc;
    unsigned long v = strtoul(s, &end, 10);
    if (!*s || *end || v > 0xfffffffful || s[0] == '-' || s[0] == '+' || s[0] == ' ')
        return bad(r, n, "'%s' is not a number", s);
    *out = (uint32_t)v;
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

/* Parse `text` as a value of a variable's type. */
static zf_code parse_var_value(rd *r, xmlNode *n, uint16_t v, const char *text,
                               zf_value *out) {
    const zf_var *vd = &r->d->vars[v];
    if (vd->type == ZF_TYPE_ENUM) {
        const zf_enum *e = vd->enum_id < r->d->nenums ? &r->d->enums[vd->enum_id] : NULL;
        for (uint16_t k = 0; e && k < e->nvalues; k++)
            if (strcmp(e->values[k], text) == 0) {
                *out = zf_value_void();
                out->type = ZF_TYPE_ENUM;
                out->as.s = e->values[k];
                out->enum_index = k;
                return ZF_OK;
            }
        return bad(r, n, "'%s' is not a value of the variable's enumeration", text);
    }
    if (zf_value_parse(out, vd->type, text, NULL) != ZF_OK)
        return bad(r, n, "'%s' does not fit the variable's type", text);
    return ZF_OK;
}

static zf_code read_config(rd *r, xmlNode *sec, uint32_t *cfg) {
    const struct zf_definition *d = r->d;
    int junk = 0;
    zf_code rc;
    for (xmlNode *n = elem(sec->children, &junk); n; n = elem(n->next, &junk)) {
        const char *id;
        uint16_t s;
        if (!is(n, "state"))
            return bad(r, n, "unexpected <%s> in <configuration>", (const char *)n->name);
        if ((rc = need(r, n, "id", &id)))
            return rc;
        s = zf__defn_state(d, id);
        if (s == ZF_NOIDX || s == 0)
            return bad(r, n, "the definition has no state '%s'", id);
        if (zf__bit(cfg, s))
            return bad(r, n, "state '%s' is listed twice", id);
        zf__bit_set(cfg, s);
    }
    if (junk)
        return bad(r, sec, "stray text in <%s>", "configuration");
    /* A legal SCXML configuration: ancestors active, one child of an active
     * compound state, every child of an active parallel state. */
    zf__bit_set(cfg, 0);
    {
        const char *who = NULL, *rule = zf__config_problem(d, cfg, &who);
        if (rule)
            return bad(r, sec, rule, who);
    }
    return ZF_OK;
}

static zf_code read_vars(rd *r, xmlNode *sec) {
    const struct zf_definition *d = r->d;
    unsigned char seen[8192 / 8];
    int junk = 0;
    zf_code rc;
    memset(seen, 0, sizeof seen);
    /* Every variable is listed: start from an empty store (drop the defaults of
     * creation). */
    zf__blk_hdr(r->in)->str_used = 0;
    memset(zf__blk_set(r->in), 0, r->in->set_words * sizeof(uint32_t));
    for (xmlNode *n = elem(sec->children, &junk); n; n = elem(n->next, &junk)) {
        const char *id, *type, *val;
        uint16_t v;
        zf_value nv;
        if (!is(n, "var"))
            return bad(r, n, "unexpected <%s> in <variables>", (const char *)n->name);
        if ((rc = need(r, n, "id", &id)) || (rc = need(r, n, "type", &type)))
            return rc;
        v = zf__defn_var(d, id);
        if (v == ZF_NOIDX)
            return bad(r, n, "the definition has no variable '%s'", id);
        if (seen[v / 8] & (1u << (v % 8)))
            return bad(r, n, "variable '%s' is listed twice", id);
        seen[v / 8] |= (unsigned char)(1u << (v % 8));
        if (strcmp(type, zf_type_name(d->vars[v].type)) != 0)
            return bad(r, n, "variable has the wrong type '%s'", type);
        val = get(n, "value");
        if (!val) {
            nv = zf_value_void();
            zf__instance_var_put(r->in, v, &nv);
            continue;
        }
        if ((rc = parse_var_value(r, n, v, val, &nv)))
            return rc;
        if (nv.type == ZF_TYPE_STRING) {
            zf_error e2;
            zf_error_clear(&e2);
            if ((rc = zf__instance_store_string(r->in, v, nv.as.s, &e2)))
                return rc == ZF_ENOMEM ? zf__error_set(r->err, rc, NULL)
                                       : bad(r, n, "%s", e2.message);
        } else
            zf__instance_var_put(r->in, v, &nv);
    }
    if (junk)
        return bad(r, sec, "stray text in <%s>", "variables");
    for (uint16_t v = 0; v < d->nvars; v++)
        if (!(seen[v / 8] & (1u << (v % 8))))
            return bad(r, sec, "variable '%s' is missing", d->vars[v].id);
    return ZF_OK;
}

static zf_code read_terms(rd *r, xmlNode *sec) {
    const struct zf_definition *d = r->d;
    unsigned char seen[8192 / 8];
    int junk = 0;
    zf_code rc;
    memset(seen, 0, sizeof seen);
    for (xmlNode *n = elem(sec->children, &junk); n; n = elem(n->next, &junk)) {
        const char *id, *status;
        uint16_t t;
        int st = -1;
        if (!is(n, "term"))
            return bad(r, n, "unexpected <%s> in <terms>", (const char *)n->name);
        if ((rc = need(r, n, "id", &id)) || (rc = need(r, n, "status", &status)))
            return rc;
        t = zf__defn_term(d, id);
        if (t == ZF_NOIDX)
            return bad(r, n, "the definition has no term '%s'", id);
        if (seen[t / 8] & (1u << (t % 8)))
            return bad(r, n, "term '%s' is listed twice", id);
        seen[t / 8] |= (unsigned char)(1u << (t % 8));
        for (int k = 0; k < 5; k++)
            if (strcmp(status, zf_term_status_name((zf_term_status)k)) == 0)
                st = k;
        if (st < 0)
            return bad(r, n, "unknown term status '%s'", status);
        zf__termrec recv, *rec = &recv;
        memset(rec, 0, sizeof *rec);
        rec->status = (uint8_t)st;
        rec->trigger = rec->end = ZF_DATE_NONE;
        if (st == ZF_TERM_IDLE) {
            if (get(n, "trigger") || get(n, "end") || get(n, "length") || n->children)
                return bad(r, n, "idle term '%s' has data", id);
            (void)zf__instance_term_put(r->in, t, rec);
            continue;
        }
        zf_date end;
        if ((rc = get_date(r, n, "trigger", 1, &rec->trigger)) ||
            (rc = get_dur(r, n, "length", &rec->length)) ||
            (rc = get_date(r, n, "end", 1, &end)))
            return rc;
        for (xmlNode *c = elem(n->children, &junk); c; c = elem(c->next, &junk)) {
            if (is(c, "suspension")) {
                if (rec->nsusp >= ZF_INSTANCE_MAX_SUSPENSIONS)
                    return bad(r, c, "too many suspensions of term '%s'", id);
                zf_interval *iv = &rec->susp[rec->nsusp++];
                if ((rc = get_date(r, c, "from", 1, &iv->from)) ||
                    (rc = get_date(r, c, "to", 0, &iv->to)))
                    return rc;
                if (iv->to != ZF_DATE_NONE && iv->to < iv->from)
                    return bad(r, c, "suspension of term '%s' ends before it starts", id);
            } else if (is(c, "extension")) {
                if (rec->next >= ZF_INSTANCE_MAX_EXTENSIONS)
                    return bad(r, c, "too many extensions of term '%s'", id);
                if ((rc = get_dur(r, c, "by", &rec->ext[rec->next++])))
                    return rc;
            } else
                return bad(r, c, "unexpected <%s> in <term>", (const char *)c->name);
        }
        /* Only the last suspension may be open, and only while suspended. */
        for (unsigned k = 0; k < rec->nsusp; k++) {
            int open = rec->susp[k].to == ZF_DATE_NONE;
            int last = k + 1 == rec->nsusp;
            if (open && !(last && st == ZF_TERM_SUSPENDED))
                return bad(r, n, "term '%s' has an open suspension but is not suspended",
                           id);
            if (last && st == ZF_TERM_SUSPENDED && !open)
                return bad(r, n, "suspended term '%s' has no open suspension", id);
        }
        if (st == ZF_TERM_SUSPENDED && rec->nsusp == 0)
            return bad(r, n, "suspended term '%s' has no open suspension", id);
        zf_date computed = ZF_DATE_NONE;
        zf_error e2;
        zf_error_clear(&e2);
        if (zf__instance_recompute_end(r->in, t, rec, NULL, &computed, &e2) != ZF_OK)
            return bad(r, n, "term data cannot be computed: %s", e2.message);
        if (computed != end) {
            char a[ZF_DATE_BUFSIZE], b[ZF_DATE_BUFSIZE], msg[160];
            snprintf(msg, sizeof msg,
                     "term '%s': end %s does not follow from its data (%s)", id,
                     zf_date_format(a, end), zf_date_format(b, computed));
            return bad(r, n, "%s", msg);
        }
        rec->end = end;
        if (zf__instance_term_put(r->in, t, rec))
            return bad(
                r, n, "term '%s' cannot be suspended or extended in this definition", id);
    }
    if (junk)
        return bad(r, sec, "stray text in <%s>", "terms");
    for (uint16_t t = 0; t < d->nterms; t++)
        if (!(seen[t / 8] & (1u << (t % 8))))
            return bad(r, sec, "term '%s' is missing", d->terms[t].id);
    return ZF_OK;
}

static int kind_by_name(const char *s) {
    for (int k = 0; k <= ZF_JOURNAL_TERM_MOVED; k++)
        if (strcmp(s, zf_journal_kind_name((zf_journal_kind)k)) == 0)
            return k;
    return -1;
}

static zf_code oom(rd *r, zf_code rc) {
    if (rc == ZF_ENOMEM)
        return zf__error_set(r->err, ZF_ENOMEM, NULL);
    return zf__error_set(r->err, ZF_ESNAPSHOT, "journal too large");
}

/* A journal record; `earlier`: it names things of a version before a migration,
 * kept as text. */
static zf_code read_item(rd *r, xmlNode *n, zf__log *l, int earlier) {
    const struct zf_definition *d = r->d;
    int kind = kind_by_name((const char *)n->name);
    const char *name = get(n, "name"), *text = get(n, "text"), *type = get(n, "type");
    uint16_t ref = ZF_NOIDX;
    zf_date date;
    zf_value v = zf_value_void();
    zf_code rc;
    if (kind < 0 || !n->ns || strcmp((const char *)n->ns->href, ZF_SNAPSHOT_NS) != 0)
        return bad(r, n, "unknown journal record <%s>", (const char *)n->name);
    if ((rc = get_date(r, n, "date", 0, &date)))
        return rc;
    switch (earlier ? ZF_JOURNAL_LOG : kind) {
    case ZF_JOURNAL_LEFT:
    case ZF_JOURNAL_ENTERED:
    case ZF_JOURNAL_TRANSITION:
        if (!name || (ref = zf__defn_state(d, name)) == ZF_NOIDX)
            return bad(r, n, "the definition has no state '%s'", name);
        name = NULL;
        break;
    case ZF_JOURNAL_ASSIGN:
        if (!name || (ref = zf__defn_var(d, name)) == ZF_NOIDX)
            return bad(r, n, "the definition has no variable '%s'", name);
        name = NULL;
        break;
    case ZF_JOURNAL_NOTIFY:
    case ZF_JOURNAL_SPAWN:
    case ZF_JOURNAL_SPAWN_PARAM:
    case ZF_JOURNAL_LOG:
    case ZF_JOURNAL_MIGRATED:
        break;
    default:
        if (!name || (ref = zf__defn_term(d, name)) == ZF_NOIDX)
            return bad(r, n, "the definition has no term '%s'", name);
        name = NULL;
    }
    if (type) {
        zf_type ty;
        const char *val = get(n, "value");
        if (!type_by_name(type, &ty) || !val)
            return bad(r, n, "bad value of type '%s'", type);
        if (ty == ZF_TYPE_ENUM) {
            uint32_t idx;
            if ((rc = get_u32(r, n, "index", &idx)))
                return rc;
            v.type = ZF_TYPE_ENUM;
            v.as.s = val;
            v.enum_index = idx;
            if (text)
                return bad(r, n, "record has both text and an enum value%s", "");
        } else if (zf_value_parse(&v, ty, val, NULL) != ZF_OK)
            return bad(r, n, "'%s' does not fit its type", val);
    }
    if ((rc = zf__log_item(l, (zf_journal_kind)kind, ref, name, text, date,
                           type ? &v : NULL)))
        return oom(r, rc);
    return ZF_OK;
}

static zf_code read_journal(rd *r, xmlNode *sec, zf__log *l, uint32_t seq_max) {
    const struct zf_definition *d = r->d;
    int junk = 0;
    uint32_t last = 0;
    zf_code rc;
    xmlNode *boundary = NULL;
    /* Records up to the last <migrated> name things of earlier versions. */
    for (xmlNode *n = sec->children; n; n = n->next)
        for (xmlNode *c = n->type == XML_ELEMENT_NODE ? n->children : NULL; c;
             c = c->next)
            if (c->type == XML_ELEMENT_NODE && is(c, "migrated"))
                boundary = c;
    for (xmlNode *n = elem(sec->children, &junk); n; n = elem(n->next, &junk)) {
        uint32_t seq;
        zf_date date;
        const char *ev = get(n, "event");
        uint16_t e = ZF_NOIDX;
        if (!is(n, "entry"))
            return bad(r, n, "unexpected <%s> in <journal>", (const char *)n->name);
        if ((rc = get_u32(r, n, "seq", &seq)) || (rc = get_date(r, n, "date", 1, &date)))
            return rc;
        if (seq <= last || seq > seq_max)
            return bad(r, n, "journal entry %s is out of sequence", get(n, "seq"));
        last = seq;
        if (ev && boundary)
            rc = zf__log_entry_named(l, seq, date, ev, get(n, "actor"));
        else if (ev && (e = zf__defn_event(d, ev)) == ZF_NOIDX)
            return bad(r, n, "the definition has no event '%s'", ev);
        else
            rc = zf__log_entry(l, seq, date, e, get(n, "actor"));
        if (rc)
            return oom(r, rc);
        for (xmlNode *c = elem(n->children, &junk); c; c = elem(c->next, &junk)) {
            if ((rc = read_item(r, c, l, boundary != NULL)))
                return rc;
            if (c == boundary)
                boundary = NULL;
        }
    }
    if (junk)
        return bad(r, sec, "stray text in <%s>", "journal");
    return ZF_OK;
}

static const char *short_hash(const char *h, char *buf) {
    size_t n = h ? strlen(h) : 0;
    if (n > 8)
        n = 8;
    memcpy(buf, h ? h : "", n);
    buf[n] = '\0';
    return buf;
}

zf_code zf_instance_restore(zf_instance **out, const zf_definition *def, const char *xml,
                            size_t len, const zf_instance_options *opts, zf_error *err) {
    xmlDoc *doc = NULL;
    xmlNode *root, *n;
    zf_instance *in = NULL;
    rd r;
    zf_code rc;
    int junk = 0;
    zf_error_clear(err);
    if (!out)
        return zf__error_set(err, ZF_EINVAL, "out is NULL");
    *out = NULL;
    if (!def || def->magic != ZF__MAGIC_DEFINITION || !xml)
        return zf__error_set(err, ZF_EINVAL, "invalid definition or snapshot");
    if (len > INT_MAX)
        return zf__error_set(err, ZF_ESNAPSHOT, "snapshot too large");
    /* Refuse a DOCTYPE before libxml2 sees it: no DTD, no entities. */
    for (size_t i = 0; i + 9 <= len; i++)
        if (xml[i] == '<' && xml[i + 1] == '!' && memcmp(xml + i, "<!DOCTYPE", 9) == 0)
            return zf__error_set(err, ZF_ESNAPSHOT, "a snapshot must not have a DOCTYPE");
    if (len == 0)
        return zf__error_set(err, ZF_EPARSE, "snapshot is empty");
    /* libxml2 keeps the last error of the thread: forget an earlier call's, so the
       message below is this call's. */
    xmlResetLastError();
    doc = xmlReadMemory(xml, (int)len, "snapshot.xml", NULL,
                        XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                            XML_PARSE_NOCDATA);
    if (!doc) {
        const xmlError *xe = xmlGetLastError();
        char why[200];
        size_t k;
        snprintf(why, sizeof why, "%s",
                 xe && xe->message ? xe->message : "no document element");
        for (k = strlen(why); k && (why[k - 1] == '\n' || why[k - 1] == ' '); k--)
            why[k - 1] = '\0'; /* libxml2 ends its messages with a newline */
        return zf__error_setpos(err, ZF_EPARSE, "<snapshot>", xe ? xe->line : 0,
                                xe ? xe->int2 : 0, "snapshot is not well-formed XML: %s",
                                why);
    }
    if (doc->intSubset || doc->extSubset) {
        rc = zf__error_set(err, ZF_ESNAPSHOT, "a snapshot must not have a DOCTYPE");
        goto done;
    }
    root = xmlDocGetRootElement(doc);
    if (!root || !is(root, "snapshot")) {
        rc = zf__error_set(err, ZF_ESNAPSHOT,
                           "not a snapshot: the root must be <snapshot> in %s",
                           ZF_SNAPSHOT_NS);
        goto done;
    }
    {
        const char *pid = get(root, "process"), *ver = get(root, "version"),
                   *hash = get(root, "hash");
        char a[9], b[9];
        if (!pid || strcmp(pid, def->id) != 0) {
            rc = zf__error_set(err, ZF_ESNAPSHOT,
                               "snapshot is of process '%s' but the definition is '%s'",
                               pid ? pid : "?", def->id);
            goto done;
        }
        /* The hash of the canonical form, or that of the very file (what zaakflow
           0.1 wrote: docs/versions.md). */
        if (!ver || !hash || strcmp(ver, def->version ? def->version : "") != 0 ||
            (strcmp(hash, def->hash) != 0 && strcmp(hash, def->file_hash) != 0)) {
            rc = zf__error_set(
                err, ZF_ESNAPSHOT,
                "snapshot is of %s %s (hash %s…) but the definition is %s %s "
                "(hash %s…)",
                pid, ver ? ver : "?", short_hash(hash, a), def->id,
                def->version ? def->version : "?", short_hash(def->hash, b));
            goto done;
        }
    }
    if ((rc = zf__instance_alloc(&in, def, opts, err)))
        goto done;
    r.in = in;
    r.d = def;
    r.err = err;
    {
        zf__shdr *h = zf__blk_hdr(in);
        const char *fin = get(root, "final");
        if ((rc = get_date(&r, root, "date", 1, &h->today)) ||
            (rc = get_u32(&r, root, "seq", &h->seq)))
            goto done;
        n = elem(root->children, &junk);
        if (!n || !is(n, "configuration")) {
            rc = bad(&r, n ? n : root, "expected <configuration>%s", "");
            goto done;
        }
        if ((rc = read_config(&r, n, zf__blk_cfg(in))))
            goto done;
        /* The innermost active state of a flat chart: states are numbered in
           document pre-order, so it has the highest index. */
        for (uint16_t s = 0; s < def->nstates; s++)
            if (zf__bit(zf__blk_cfg(in), s))
                h->leaf = s;
        if (fin) {
            uint16_t s = zf__defn_state(def, fin);
            if (s == ZF_NOIDX || def->states[s].kind != ZF_STATE_FINAL ||
                def->states[s].parent != 0 || !zf__bit(zf__blk_cfg(in), s)) {
                rc = bad(&r, root, "'%s' is not an active top-level final state", fin);
                goto done;
            }
            h->final = s;
        } else {
            for (uint16_t s = 1; s < def->nstates; s++)
                if (def->states[s].parent == 0 && def->states[s].kind == ZF_STATE_FINAL &&
                    zf__bit(zf__blk_cfg(in), s)) {
                    rc =
                        bad(&r, root, "final state '%s' is active but 'final' is not set",
                            def->states[s].id);
                    goto done;
                }
        }
        n = elem(n->next, &junk);
        if (!n || !is(n, "variables")) {
            rc = bad(&r, n ? n : root, "expected <variables>%s", "");
            goto done;
        }
        if ((rc = read_vars(&r, n)))
            goto done;
        n = elem(n->next, &junk);
        if (!n || !is(n, "terms")) {
            rc = bad(&r, n ? n : root, "expected <terms>%s", "");
            goto done;
        }
        if ((rc = read_terms(&r, n)))
            goto done;
        n = elem(n->next, &junk);
        if (n && is(n, "journal")) {
            if (in->journal_on && (rc = read_journal(&r, n, &in->aux->journal, h->seq)))
                goto done;
            n = elem(n->next, &junk);
        }
        if (n || junk) {
            rc = bad(&r, n ? n : root, "unexpected content in <snapshot>%s", "");
            goto done;
        }
    }
    *out = in;
    in = NULL;
    rc = ZF_OK;
done:
    zf_instance_free(in);
    xmlFreeDoc(doc);
    return rc;
}
