/* Journal items as JSON: written from an instance's journal into the journal
 * table (readable with the database's own JSON functions), read back into
 * zf_journal_item records. The reader takes exactly what the writer writes:
 * an array of flat objects whose values are strings or integers. */
#include "store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void zs_json_string(zf_buf *out, const char *s, zf_code *rc) {
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    const unsigned char *run = p;
    if (*rc)
        return;
    *rc = zf_buf_put(out, "\"", 1);
    for (; *p && *rc == ZF_OK; p++) {
        if (*p >= 0x20 && *p != '"' && *p != '\\')
            continue;
        if (p > run)
            *rc = zf_buf_put(out, (const char *)run, (size_t)(p - run));
        if (*rc)
            break;
        switch (*p) {
        case '"':
            *rc = zf_buf_puts(out, "\\\"");
            break;
        case '\\':
            *rc = zf_buf_puts(out, "\\\\");
            break;
        case '\n':
            *rc = zf_buf_puts(out, "\\n");
            break;
        case '\t':
            *rc = zf_buf_puts(out, "\\t");
            break;
        default:
            *rc = zf_buf_printf(out, "\\u%04x", *p);
        }
        run = p + 1;
    }
    if (*rc == ZF_OK && p > run)
        *rc = zf_buf_put(out, (const char *)run, (size_t)(p - run));
    if (*rc == ZF_OK)
        *rc = zf_buf_put(out, "\"", 1);
}

static void field(zf_buf *out, const char *key, const char *val, zf_code *rc) {
    if (*rc)
        return;
    *rc = zf_buf_printf(out, ",\"%s\":", key);
    zs_json_string(out, val, rc);
}

zf_code zs_json_items(zf_buf *out, const zf_instance *inst, size_t i) {
    zf_journal_entry e;
    zf_buf tmp = ZF_BUF_INIT;
    zf_code rc;
    char dbuf[ZF_DATE_BUFSIZE];
    if ((rc = zf_instance_journal_entry(&e, inst, i, NULL)))
        return rc;
    rc = zf_buf_put(out, "[", 1);
    for (size_t j = 0; j < e.nitems && rc == ZF_OK; j++) {
        zf_journal_item it;
        if ((rc = zf_instance_journal_item(&it, inst, i, j, NULL)))
            break;
        rc = zf_buf_printf(out, "%s{\"kind\":", j ? "," : "");
        zs_json_string(out, zf_journal_kind_name(it.kind), &rc);
        if (it.name)
            field(out, "name", it.name, &rc);
        if (it.text)
            field(out, "text", it.text, &rc);
        if (it.date != ZF_DATE_NONE && zf_date_valid(it.date))
            field(out, "date", zf_date_format(dbuf, it.date), &rc);
        if (it.value.type != ZF_TYPE_VOID && rc == ZF_OK) {
            zf_buf_clear(&tmp);
            field(out, "type", zf_type_name(it.value.type), &rc);
            if (rc == ZF_OK)
                rc = zf_value_format(&tmp, &it.value, NULL);
            field(out, "value", tmp.ptr ? tmp.ptr : "", &rc);
            if (it.value.type == ZF_TYPE_ENUM && rc == ZF_OK)
                rc =
                    zf_buf_printf(out, ",\"index\":%lld", (long long)it.value.enum_index);
        }
        if (rc == ZF_OK)
            rc = zf_buf_put(out, "}", 1);
    }
    if (rc == ZF_OK)
        rc = zf_buf_put(out, "]", 1);
    zf_buf_dispose(&tmp);
    return rc;
}

/* ---- reading ---------------------------------------------------------------------- */

typedef struct jp {
    char *p;
} jp;

static void ws(jp *j) {
    while (*j->p == ' ' || *j->p == '\n' || *j->p == '\t' || *j->p == '\r')
        j->p++;
}

static int hex4(const char *p, unsigned *out) {
    unsigned v = 0;
    for (int k = 0; k < 4; k++) {
        int c = (unsigned char)p[k], d;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (c >= 'a' && c <= 'f')
            d = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            d = c - 'A' + 10;
        else
            return 0;
        v = v * 16 + (unsigned)d;
    }
    *out = v;
    return 1;
}

/* A string, unescaped in place; returns its start or NULL. */
static char *string(jp *j) {
    char *start, *w;
    if (*j->p != '"')
        return NULL;
    start = w = ++j->p;
    for (;;) {
        char c = *j->p++;
        if (c == '\0')
            return NULL;
        if (c == '"')
            break;
        if (c != '\\') {
            *w++ = c;
            continue;
        }
        c = *j->p++;
        switch (c) {
        case 'n':
            *w++ = '\n';
            break;
        case 't':
            *w++ = '\t';
            break;
        case 'r':
            *w++ = '\r';
            break;
        case 'b':
            *w++ = '\b';
            break;
        case 'f':
            *w++ = '\f';
            break;
        case 'u': {
            unsigned u;
            /* The writer escapes only control characters this way. */
            if (!hex4(j->p, &u) || u >= 0x80)
                return NULL;
            *w++ = (char)u;
            j->p += 4;
            break;
        }
        case '"':
        case '\\':
        case '/':
            *w++ = c;
            break;
        default:
            return NULL;
        }
    }
    *w = '\0';
    return start;
}

static int kind_by_name(const char *s, zf_journal_kind *out) {
    /* Every kind the library names (zf_journal_kind_name() says "unknown" past
       the last). */
    for (int k = ZF_JOURNAL_LEFT;
         k < 64 && strcmp(zf_journal_kind_name((zf_journal_kind)k), "unknown") != 0; k++)
        if (strcmp(s, zf_journal_kind_name((zf_journal_kind)k)) == 0) {
            *out = (zf_journal_kind)k;
            return 1;
        }
    return 0;
}

static int type_by_name(const char *s, zf_type *out) {
    for (int t = ZF_TYPE_VOID; t <= ZF_TYPE_ENUM; t++)
        if (strcmp(s, zf_type_name((zf_type)t)) == 0) {
            *out = (zf_type)t;
            return 1;
        }
    return 0;
}

static int object(jp *j, zf_journal_item *it) {
    char *kind = NULL, *type = NULL, *value = NULL;
    long long index = -1;
    memset(it, 0, sizeof *it);
    it->date = ZF_DATE_NONE;
    it->value.type = ZF_TYPE_VOID;
    if (*j->p != '{')
        return 0;
    j->p++;
    ws(j);
    if (*j->p == '}')
        return 0;
    for (;;) {
        char *key, *val = NULL;
        ws(j);
        if (!(key = string(j)))
            return 0;
        ws(j);
        if (*j->p++ != ':')
            return 0;
        ws(j);
        if (*j->p == '"') {
            if (!(val = string(j)))
                return 0;
        } else {
            char *end;
            long long n = strtoll(j->p, &end, 10);
            if (end == j->p || strcmp(key, "index") != 0)
                return 0;
            index = n;
            j->p = end;
        }
        if (val) {
            if (strcmp(key, "kind") == 0)
                kind = val;
            else if (strcmp(key, "name") == 0)
                it->name = val;
            else if (strcmp(key, "text") == 0)
                it->text = val;
            else if (strcmp(key, "date") == 0) {
                if (zf_date_parse(&it->date, val, NULL) != ZF_OK)
                    return 0;
            } else if (strcmp(key, "type") == 0)
                type = val;
            else if (strcmp(key, "value") == 0)
                value = val;
            else
                return 0;
        }
        ws(j);
        if (*j->p == ',') {
            j->p++;
            continue;
        }
        if (*j->p++ != '}')
            return 0;
        break;
    }
    if (!kind || !kind_by_name(kind, &it->kind))
        return 0;
    if (type) {
        zf_type t;
        if (!value || !type_by_name(type, &t))
            return 0;
        if (t == ZF_TYPE_ENUM) {
            it->value.type = ZF_TYPE_ENUM;
            it->value.as.s = value;
            it->value.enum_index = index;
        } else if (zf_value_parse(&it->value, t, value, NULL) != ZF_OK)
            return 0;
    }
    return 1;
}

long zs_json_parse_items(char *text, zf_journal_item **out) {
    jp j = {text};
    long n = 0;
    size_t cap = 0;
    zf_journal_item *items = NULL;
    *out = NULL;
    ws(&j);
    if (*j.p++ != '[')
        return -1;
    ws(&j);
    if (*j.p == ']')
        return 0;
    for (;;) {
        if ((size_t)n == cap) {
            size_t nc = cap ? cap * 2 : 8;
            zf_journal_item *ni = zs_realloc(items, nc * sizeof *ni);
            if (!ni) {
                zs_free(items);
                return -2;
            }
            items = ni;
            cap = nc;
        }
        ws(&j);
        if (!object(&j, &items[n]))
            break;
        n++;
        ws(&j);
        if (*j.p == ',') {
            j.p++;
            continue;
        }
        if (*j.p++ != ']')
            break;
        ws(&j);
        if (*j.p)
            break;
        *out = items;
        return n;
    }
    zs_free(items);
    return -1;
}
