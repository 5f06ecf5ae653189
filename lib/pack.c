/*
 * The compact snapshot: an instance as versioned little-endian bytes, for a
 * host that restores cases often (a case store, a deadline worker). The XML
 * snapshot (snapshot.c) stays the exchange format; this form holds the same
 * state and is read back with the same consistency rules
 * (zf__instance_check(), one call), but without parsing text.
 *
 * Layout, every integer little-endian (docs/compact-snapshot.md has the same table):
 *
 *   offset  size  field
 *   0       4     magic "ZFPK"
 *   4       1     format version (ZF_PACK_VERSION)
 *   5       1     flags: bit 0 = a journal section follows; bit 1 = that section is
 *                 a kept journal (see below)
 *   6       2     0
 *   8       4     S: bytes of the state section
 *   12      4     J: bytes of the journal section (0 without one)
 *   16      32    SHA-256 of the definition (zf_definition_hash(), as bytes)
 *   48      S     state section
 *   48+S    8     checksum of bytes 0 .. 48+S
 *   56+S    J     journal section, then 8 bytes: its checksum (only when J > 0)
 *
 * State section: case date (i32), journal sequence number (u32), final state
 * (u16, 0xffff: none), 0 (u16), the numbers of states, variables, terms and
 * extras records (u16 each: the shape the definition gives, checked), bytes of
 * text (u32); then the configuration bit set and the set-variable bit set (u32
 * words), the variables' 8-byte payloads (i64), the term records (trigger, last
 * day, packed length: i32; status, counts: u8; extras index: u16), the extras
 * records (4 suspensions of two i32, 4 extensions of i32; entries beyond the
 * counts are 0), and the text of the string variables, each NUL-terminated, in
 * variable order (a string variable's payload is the offset of its text).
 *
 * Journal section: the number of entries (u32), then per entry its sequence
 * number (u32), date (i32), event (u16, 0xffff: the start or a migration),
 * flags (u16: 0, or 1 when the event's name follows as text: an event of a
 * version before a migration), actor (text), number of items (u32) and
 * items: kind (u8), value type (u8), ref (u16: state, variable or term index,
 * or 0xffff; up to the last `migrated` item a name may stand for a state,
 * variable or term of an earlier version), date (i32), name and text
 * (text), and the value (bool, int, money, date, duration: i64; string: text;
 * enumeration: index u32 and the value's name as text); then the gaps in the
 * numbering (steps run with the journal off before a restore with it on): their
 * number (u32) and per gap the entry it precedes, its first and its last step
 * (u32 each). A text is its length (u32; 0xffffffff: none) and its bytes, without
 * a NUL.
 *
 * Kept journal (flags bit 1): an instance without a journal of its own that was
 * restored from an XML snapshot with one keeps that journal's text to write it back
 * (snapshot.c); the section holds the last step it covers (u32), the offset of its
 * closing <gap> line (u32; 0xffffffff: none) and that gap's first step (u32), then
 * the text.
 *
 * Unpacking with the journal on a form that has a kept journal, or with it off a
 * form that has a journal, goes through the XML snapshot (the strict reader turns
 * one into the other), so that the case comes back exactly as a restore of its
 * XML snapshot with the same options would give it; the matching cases are direct.
 *
 * The checksums are a 64-bit word hash (zf__pack_checksum()): they catch accidental
 * damage, not tampering, which anyone who can write the bytes can hide by recomputing
 * them. SHA-256 was measured too slow for a restore of a few microseconds.
 */
#include "instance_int.h"

#include <stdio.h>

#define HDR 48
#define SHDR 24
#define MAGIC "ZFPK"
#define FLAG_JOURNAL 1u
#define FLAG_KEPT 2u
#define NOTEXT 0xffffffffu
#define XREC (ZF_INSTANCE_MAX_SUSPENSIONS * 8 + ZF_INSTANCE_MAX_EXTENSIONS * 4)

/* ---- little-endian bytes ------------------------------------------------ */

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define LE_HOST 1
#else
#define LE_HOST 0
#endif

static inline void w16(unsigned char *p, uint16_t v) {
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
}
static inline void w32(unsigned char *p, uint32_t v) {
    if (LE_HOST) {
        memcpy(p, &v, 4);
        return;
    }
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}
static inline void w64(unsigned char *p, uint64_t v) {
    if (LE_HOST) {
        memcpy(p, &v, 8);
        return;
    }
    for (int i = 0; i < 8; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}
static inline uint16_t r16(const unsigned char *p) {
    return (uint16_t)(p[0] | p[1] << 8);
}
static inline uint32_t r32(const unsigned char *p) {
    uint32_t v = 0;
    if (LE_HOST) {
        memcpy(&v, p, 4);
        return v;
    }
    for (int i = 3; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}
static inline uint64_t r64(const unsigned char *p) {
    uint64_t v = 0;
    if (LE_HOST) {
        memcpy(&v, p, 8);
        return v;
    }
    for (int i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

/*
 * The checksum: words of 8 bytes folded in with h = (h ^ w) * K; h ^= h >> 29. Each
 * step is a bijection of h for a given word, so a change confined to one word always
 * changes the result; other damage goes unseen with a chance of about 2^-64.
 */
uint64_t zf__pack_checksum(const unsigned char *p, size_t n) {
    const uint64_t k = 0x9e3779b97f4a7c15u;
    uint64_t h = 0x5a46504b31u ^ (uint64_t)n * k, w;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        h = (h ^ r64(p + i)) * k;
        h ^= h >> 29;
    }
    w = 0;
    for (size_t j = 0; i + j < n; j++)
        w |= (uint64_t)p[i + j] << (8 * j);
    h = (h ^ w) * k;
    h ^= h >> 32;
    h *= 0xd6e8feb86659fd93u;
    return h ^ (h >> 32);
}

/* The definition's SHA-256 as 32 bytes (from its hex text). */
static void hash_bytes(const struct zf_definition *d, unsigned char out[32]) {
    for (int i = 0; i < 32; i++) {
        int v = 0;
        for (int k = 0; k < 2; k++) {
            char c = d->hash[2 * i + k];
            v = v << 4 | (c >= 'a' ? c - 'a' + 10 : c >= 'A' ? c - 'A' + 10 : c - '0');
        }
        out[i] = (unsigned char)v;
    }
}

/* ---- writing ------------------------------------------------------------ */

/* Bytes of the text of the set string variables, each with its NUL. */
static size_t strings_size(const zf_instance *in) {
    const struct zf_definition *d = in->def;
    size_t n = 0;
    for (uint16_t v = 0; v < d->nvars; v++)
        if (d->vars[v].type == ZF_TYPE_STRING && zf__bit(zf__blk_set(in), v))
            n += strlen(zf__blk_str(in) + zf__blk_vars(in)[v]) + 1;
    return n;
}

static size_t extras_count(const struct zf_definition *d) {
    size_t n = 0;
    for (uint16_t t = 0; t < d->nterms; t++)
        n += d->term_extra[t];
    return n;
}

static size_t state_size(const zf_instance *in, size_t nstr) {
    const struct zf_definition *d = in->def;
    return SHDR + 4u * in->cfg_words + 4u * in->set_words + 8u * d->nvars +
           16u * d->nterms + XREC * extras_count(d) + nstr;
}

static unsigned char *put_state(const zf_instance *in, unsigned char *p, uint32_t nstr) {
    const struct zf_definition *d = in->def;
    const zf__shdr *h = zf__blk_hdr(in);
    const int64_t *pv = zf__blk_vars(in);
    const zf__tslot *ts = zf__blk_terms(in);
    const char *store = zf__blk_str(in);
    uint32_t at = 0;
    w32(p, (uint32_t)h->today);
    w32(p + 4, h->seq);
    w16(p + 8, h->final);
    w16(p + 10, 0);
    w16(p + 12, d->nstates);
    w16(p + 14, d->nvars);
    w16(p + 16, d->nterms);
    w16(p + 18, (uint16_t)extras_count(d));
    w32(p + 20, nstr);
    p += SHDR;
    for (unsigned i = 0; i < in->cfg_words; i++, p += 4)
        w32(p, zf__blk_cfg(in)[i]);
    for (unsigned i = 0; i < in->set_words; i++, p += 4)
        w32(p, zf__blk_set(in)[i]);
    /* String variables: offsets into the text written last, in variable order. */
    for (uint16_t v = 0; v < d->nvars; v++, p += 8) {
        int64_t x = pv[v];
        if (d->vars[v].type == ZF_TYPE_STRING && zf__bit(zf__blk_set(in), v)) {
            x = at;
            at += (uint32_t)strlen(store + pv[v]) + 1;
        }
        w64(p, (uint64_t)x);
    }
    for (uint16_t t = 0; t < d->nterms; t++, p += 16) {
        w32(p, (uint32_t)ts[t].trigger);
        w32(p + 4, (uint32_t)ts[t].end);
        w32(p + 8, (uint32_t)ts[t].length);
        p[12] = ts[t].status;
        p[13] = ts[t].counts;
        w16(p + 14, ts[t].x);
    }
    for (uint16_t t = 0; t < d->nterms; t++) {
        zf__termrec rec;
        if (ts[t].x == ZF_NOIDX)
            continue;
        /* Only the entries in use: a restarted term keeps old ones in the block. */
        zf__instance_term_get(in, t, &rec);
        memset(p, 0, XREC);
        for (unsigned k = 0; k < rec.nsusp && k < ZF_INSTANCE_MAX_SUSPENSIONS; k++) {
            w32(p + 8 * k, (uint32_t)rec.susp[k].from);
            w32(p + 8 * k + 4, (uint32_t)rec.susp[k].to);
        }
        for (unsigned k = 0; k < rec.next && k < ZF_INSTANCE_MAX_EXTENSIONS; k++)
            w32(p + 8 * ZF_INSTANCE_MAX_SUSPENSIONS + 4 * k, (uint32_t)rec.ext[k]);
        p += XREC;
    }
    for (uint16_t v = 0; v < d->nvars; v++) {
        if (d->vars[v].type == ZF_TYPE_STRING && zf__bit(zf__blk_set(in), v)) {
            size_t n = strlen(store + pv[v]) + 1;
            memcpy(p, store + pv[v], n);
            p += n;
        }
    }
    return p;
}

/* The journal section, appended to `b` (counted first with b->ptr NULL). */
typedef struct jw {
    unsigned char *ptr; /* NULL: only count */
    size_t n;
} jw;

static void jput(jw *b, const void *s, size_t n) {
    if (b->ptr && n)
        memcpy(b->ptr + b->n, s, n);
    b->n += n;
}
static void jput16(jw *b, uint16_t v) {
    unsigned char x[2];
    w16(x, v);
    jput(b, x, 2);
}
static void jput32(jw *b, uint32_t v) {
    unsigned char x[4];
    w32(x, v);
    jput(b, x, 4);
}
static void jput64(jw *b, uint64_t v) {
    unsigned char x[8];
    w64(x, v);
    jput(b, x, 8);
}
static void jtext(jw *b, const char *s) {
    size_t n = s ? strlen(s) : 0;
    jput32(b, s ? (uint32_t)n : NOTEXT);
    jput(b, s, n);
}

static void put_journal(jw *b, const zf__log *l, const zf__aux *aux) {
    jput32(b, (uint32_t)l->nentries);
    for (size_t i = 0; i < l->nentries; i++) {
        const zf__jentry *e = &l->entries[i];
        jput32(b, e->seq);
        jput32(b, (uint32_t)e->date);
        jput16(b, e->event);
        jput16(b, e->event_name != ZF__NONE32);
        if (e->event_name != ZF__NONE32)
            jtext(b, zf__log_str(l, e->event_name));
        jtext(b, zf__log_str(l, e->actor));
        jput32(b, e->nitems);
        for (uint32_t k = e->first; k < e->first + e->nitems; k++) {
            const zf__jitem *it = &l->items[k];
            unsigned char x[2] = {it->kind, it->vtype};
            jput(b, x, 2);
            jput16(b, it->ref);
            jput32(b, (uint32_t)it->date);
            jtext(b, zf__log_str(l, it->name));
            switch (it->vtype) {
            case ZF_TYPE_STRING:
                jtext(b, zf__log_str(l, it->text));
                jtext(b, zf__log_str(l, (uint32_t)it->v));
                break;
            case ZF_TYPE_ENUM: /* the text is the value's name */
                jtext(b, NULL);
                jput32(b, (uint32_t)it->v);
                jtext(b, zf__log_str(l, it->text));
                break;
            case ZF_TYPE_VOID:
                jtext(b, zf__log_str(l, it->text));
                break;
            default:
                jtext(b, zf__log_str(l, it->text));
                jput64(b, (uint64_t)it->v);
            }
        }
    }
    jput32(b, (uint32_t)aux->ngaps);
    for (size_t g = 0; g < aux->ngaps; g++) {
        jput32(b, aux->gaps[g].at);
        jput32(b, aux->gaps[g].from);
        jput32(b, aux->gaps[g].to);
    }
}

static void put_kept(jw *b, const zf__aux *x) {
    jput32(b, x->kept_seq);
    jput32(b, x->kept_tail == SIZE_MAX ? NOTEXT : (uint32_t)x->kept_tail);
    jput32(b, x->kept_tail_from);
    jput32(b, (uint32_t)x->nkept);
    jput(b, x->kept, x->nkept);
}

/* The journal section of `in`: 0 (none), FLAG_JOURNAL or FLAG_JOURNAL|FLAG_KEPT. */
static unsigned put_any(jw *b, const zf_instance *in) {
    const zf__log *l = zf__journal(in);
    if (l) {
        put_journal(b, l, in->aux);
        return FLAG_JOURNAL;
    }
    if (in->aux && in->aux->kept) {
        put_kept(b, in->aux);
        return FLAG_JOURNAL | FLAG_KEPT;
    }
    return 0;
}

zf_code zf_instance_pack(zf_buf *out, const zf_instance *inst, zf_error *err) {
    const struct zf_definition *d;
    unsigned flags;
    size_t nstr, ns, total;
    jw jb = {NULL, 0};
    unsigned char *p, *s;
    zf_code rc;
    zf_error_clear(err);
    if (!out)
        return zf__error_set(err, ZF_EINVAL, "out is NULL");
    if (!zf__ok_instance(inst))
        return zf__error_set(err, ZF_EINVAL, "invalid instance");
    d = inst->def;
    nstr = strings_size(inst);
    ns = state_size(inst, nstr);
    flags = put_any(&jb, inst);
    if (ns > 0x7fffffffu || jb.n > 0x7fffffffu)
        return zf__error_set(err, ZF_ELIMIT, "case too large for the compact form");
    total = HDR + ns + 8 + (flags ? jb.n + 8 : 0);
    if ((rc = zf__buf_reserve(out, total)))
        return zf__error_set(err, rc, NULL);
    p = s = (unsigned char *)out->ptr + out->size;
    memcpy(p, MAGIC, 4);
    p[4] = ZF_PACK_VERSION;
    p[5] = (unsigned char)flags;
    w16(p + 6, 0);
    w32(p + 8, (uint32_t)ns);
    w32(p + 12, flags ? (uint32_t)jb.n : 0);
    hash_bytes(d, p + 16);
    p = put_state(inst, p + HDR, (uint32_t)nstr);
    w64(p, zf__pack_checksum(s, HDR + ns));
    p += 8;
    if (flags) {
        jb.ptr = p;
        jb.n = 0;
        put_any(&jb, inst);
        w64(p + jb.n, zf__pack_checksum(p, jb.n));
    }
    out->size += total;
    out->ptr[out->size] = '\0';
    return ZF_OK;
}

/* ---- reading ------------------------------------------------------------ */

static zf_code bad(zf_error *err, const char *what) {
    return zf__error_set(err, ZF_ESNAPSHOT, "compact snapshot: %s", what);
}

/* The state section into the fresh block of `in`; the consistency rules follow. */
static zf_code get_state(zf_instance *in, const unsigned char *p, size_t n,
                         zf_error *err) {
    const struct zf_definition *d = in->def;
    zf__shdr *h = zf__blk_hdr(in);
    int64_t *pv = zf__blk_vars(in);
    zf__tslot *ts = zf__blk_terms(in);
    size_t nx = extras_count(d), at = 0;
    uint32_t nstr;
    if (n < SHDR)
        return bad(err, "the state section is truncated");
    if (r16(p + 12) != d->nstates || r16(p + 14) != d->nvars ||
        r16(p + 16) != d->nterms || r16(p + 18) != nx || r16(p + 10) != 0)
        return bad(err, "its shape does not fit the definition");
    nstr = r32(p + 20);
    if (n != SHDR + 4u * in->cfg_words + 4u * in->set_words + 8u * d->nvars +
                 16u * d->nterms + XREC * nx + (size_t)nstr)
        return bad(err, "the state section has the wrong size");
    if (nstr > in->str_cap)
        return zf__error_set(
            err, ZF_ESNAPSHOT,
            "compact snapshot: its text does not fit in the string store "
            "(%u bytes; see zf_instance_options.string_capacity)",
            (unsigned)in->str_cap);
    h->today = (zf_date)r32(p);
    h->seq = r32(p + 4);
    h->final = r16(p + 8);
    h->str_used = nstr;
    p += SHDR;
    for (unsigned i = 0; i < in->cfg_words; i++, p += 4)
        zf__blk_cfg(in)[i] = r32(p);
    for (unsigned i = 0; i < in->set_words; i++, p += 4)
        zf__blk_set(in)[i] = r32(p);
    for (uint16_t v = 0; v < d->nvars; v++, p += 8)
        pv[v] = (int64_t)r64(p);
    for (uint16_t t = 0; t < d->nterms; t++, p += 16) {
        ts[t].trigger = (zf_date)r32(p);
        ts[t].end = (zf_date)r32(p + 4);
        ts[t].length = (int32_t)r32(p + 8);
        ts[t].status = p[12];
        ts[t].counts = p[13];
        if (r16(p + 14) != ts[t].x)
            return bad(err, "a term has the extras record of another term");
    }
    for (uint16_t t = 0; t < d->nterms; t++) {
        zf__textra *x;
        unsigned ns, ne;
        if (ts[t].x == ZF_NOIDX)
            continue;
        x = &zf__blk_extra(in)[ts[t].x];
        ns = ts[t].counts & 15;
        ne = ts[t].counts >> 4;
        for (unsigned k = 0; k < ZF_INSTANCE_MAX_SUSPENSIONS; k++) {
            x->susp[k].from = (zf_date)r32(p + 8 * k);
            x->susp[k].to = (zf_date)r32(p + 8 * k + 4);
            if (k >= ns && (x->susp[k].from || x->susp[k].to))
                return bad(err, "a term has data beyond its suspensions");
        }
        for (unsigned k = 0; k < ZF_INSTANCE_MAX_EXTENSIONS; k++) {
            x->ext[k] = (int32_t)r32(p + 8 * ZF_INSTANCE_MAX_SUSPENSIONS + 4 * k);
            if (k >= ne && x->ext[k])
                return bad(err, "a term has data beyond its extensions");
        }
        p += XREC;
    }
    /* The text: each string variable's in variable order, nothing else. */
    memcpy(zf__blk_str(in), p, nstr);
    for (uint16_t v = 0; v < d->nvars; v++) {
        const char *z;
        if (d->vars[v].type != ZF_TYPE_STRING || !zf__bit(zf__blk_set(in), v))
            continue;
        if ((uint64_t)pv[v] != at || at >= nstr ||
            !(z = memchr(zf__blk_str(in) + at, '\0', nstr - at)))
            return bad(err, "the text of a string variable is out of place");
        at = (size_t)(z - zf__blk_str(in)) + 1;
    }
    if (at != nstr)
        return bad(err, "it has text no string variable holds");
    return ZF_OK;
}

/* A reader of the journal section. */
typedef struct jr {
    const unsigned char *p, *end;
    int ok;
} jr;

static const unsigned char *take(jr *r, size_t n) {
    const unsigned char *p = r->p;
    if (!r->ok || (size_t)(r->end - r->p) < n) {
        r->ok = 0;
        return NULL;
    }
    r->p += n;
    return p;
}
static uint16_t t16(jr *r) {
    const unsigned char *p = take(r, 2);
    return p ? r16(p) : 0;
}
static uint32_t t32(jr *r) {
    const unsigned char *p = take(r, 4);
    return p ? r32(p) : 0;
}
static uint64_t t64(jr *r) {
    const unsigned char *p = take(r, 8);
    return p ? r64(p) : 0;
}

/* A text into `buf` (NULL for none); it must not hold a NUL. `buf` grows. */
static zf_code ttext(jr *r, char **buf, size_t *cap, const char **out) {
    uint32_t n = t32(r);
    const unsigned char *p;
    *out = NULL;
    if (!r->ok || n == NOTEXT)
        return ZF_OK;
    if (!(p = take(r, n)) || memchr(p, '\0', n)) {
        r->ok = 0;
        return ZF_OK;
    }
    if ((size_t)n + 1 > *cap) {
        char *nb = zf__realloc(*buf, (size_t)n + 1);
        if (!nb)
            return ZF_ENOMEM;
        *buf = nb;
        *cap = (size_t)n + 1;
    }
    memcpy(*buf, p, n);
    (*buf)[n] = '\0';
    /* Text a snapshot can hold (the XML restore accepts no other). */
    if (!zf__text_ok(*buf)) {
        r->ok = 0;
        return ZF_OK;
    }
    *out = *buf;
    return ZF_OK;
}

/* Whether `ref` names what an item of `kind` refers to (as the XML restore reads). */
static int ref_fits(const struct zf_definition *d, int kind, uint16_t ref) {
    switch (kind) {
    case ZF_JOURNAL_LEFT:
    case ZF_JOURNAL_ENTERED:
    case ZF_JOURNAL_TRANSITION:
        return ref < d->nstates;
    case ZF_JOURNAL_ASSIGN:
        return ref < d->nvars;
    case ZF_JOURNAL_NOTIFY:
    case ZF_JOURNAL_SPAWN:
    case ZF_JOURNAL_SPAWN_PARAM:
    case ZF_JOURNAL_LOG:
    case ZF_JOURNAL_MIGRATED:
        return ref == ZF_NOIDX;
    default:
        return ref < d->nterms;
    }
}

/* Whether an item of `kind` names a state, variable or term. */
static int names_thing(int kind) {
    return kind != ZF_JOURNAL_NOTIFY && kind != ZF_JOURNAL_SPAWN &&
           kind != ZF_JOURNAL_SPAWN_PARAM && kind != ZF_JOURNAL_LOG &&
           kind != ZF_JOURNAL_MIGRATED;
}

/* The gaps after the journal's entries: in order, each before an entry (or at the
 * end), between the steps of the entries around it. */
static zf_code get_gaps(zf_instance *in, jr *r, const char **why) {
    const zf__log *l = &in->aux->journal;
    uint32_t n = t32(r), seq = zf__blk_hdr(in)->seq, after = 0;
    size_t at = 0;
    zf__gap *g;
    if (!r->ok || n == 0)
        return ZF_OK;
    if (n > l->nentries + 1 || (size_t)(r->end - r->p) / 12 < n) {
        *why = "the journal's gaps are malformed";
        return ZF_OK;
    }
    if (!(g = zf__calloc(n, sizeof *g)))
        return ZF_ENOMEM;
    for (uint32_t i = 0; i < n; i++) {
        g[i].at = t32(r);
        g[i].from = t32(r);
        g[i].to = t32(r);
        if (g[i].at < at || g[i].at > l->nentries)
            break;
        at = g[i].at;
        /* Between the entry before it (or the gap before it) and the one after. */
        if (at > 0 && l->entries[at - 1].seq > after)
            after = l->entries[at - 1].seq;
        if (g[i].from != after + 1 || g[i].to < g[i].from || g[i].to > seq ||
            (at < l->nentries && l->entries[at].seq != g[i].to + 1))
            break;
        after = g[i].to;
        if (i + 1 == n) {
            in->aux->gaps = g;
            in->aux->ngaps = n;
            return ZF_OK;
        }
    }
    zf__free(g);
    *why = "the journal's gaps do not fit its entries";
    return ZF_OK;
}

static zf_code get_journal(zf_instance *in, const unsigned char *p, size_t n,
                           zf_error *err) {
    const struct zf_definition *d = in->def;
    zf__log *l = &in->aux->journal;
    jr r = {p, p + n, 1};
    char *b[3] = {NULL, NULL, NULL};
    size_t cap[3] = {0, 0, 0};
    uint32_t ne = t32(&r), last = 0;
    zf_code rc = ZF_OK;
    const char *why = NULL;
    /* Names of earlier versions (the last such record) and the last migration. */
    size_t last_earlier = 0, last_migrated = 0;
    int any_earlier = 0;
    for (uint32_t i = 0; i < ne && r.ok && !rc && !why; i++) {
        uint32_t seq = t32(&r), ni;
        zf_date date = (zf_date)t32(&r);
        uint16_t ev = t16(&r), flags = t16(&r);
        const char *actor, *evname = NULL;
        if (flags > 1 || (flags && ev != ZF_NOIDX)) {
            why = "a journal entry is malformed";
            break;
        }
        if (flags && (rc = ttext(&r, &b[1], &cap[1], &evname)))
            break;
        if (flags && !evname)
            r.ok = 0;
        if ((rc = ttext(&r, &b[0], &cap[0], &actor)))
            break;
        ni = t32(&r);
        if (!r.ok)
            break;
        if (seq <= last || seq > zf__blk_hdr(in)->seq)
            why = "a journal entry is out of sequence";
        else if (!zf_date_valid(date))
            why = "a journal entry has no valid date";
        else if (ev != ZF_NOIDX && ev >= d->nevents)
            why = "a journal entry names no event of the definition";
        else if ((rc = evname ? zf__log_entry_named(l, seq, date, evname, actor)
                              : zf__log_entry(l, seq, date, ev, actor)))
            break;
        if (evname) {
            any_earlier = 1;
            last_earlier = l->nitems;
        }
        last = seq;
        for (uint32_t k = 0; k < ni && r.ok && !rc && !why; k++) {
            const unsigned char *x = take(&r, 2);
            uint16_t ref = t16(&r);
            zf_date idate = (zf_date)t32(&r);
            const char *name, *text = NULL;
            zf_value v = zf_value_void();
            int kind, vt;
            if (!x || (rc = ttext(&r, &b[0], &cap[0], &name)))
                break;
            kind = x[0];
            vt = x[1];
            if (kind > ZF_JOURNAL_TERM_MOVED || vt > ZF_TYPE_ENUM) {
                why = "a journal item has an unknown kind or type";
                break;
            }
            if (vt == ZF_TYPE_ENUM) {
                const char *none;
                if ((rc = ttext(&r, &b[1], &cap[1], &none)))
                    break;
                v.type = ZF_TYPE_ENUM;
                v.enum_index = t32(&r);
                if ((rc = ttext(&r, &b[2], &cap[2], &v.as.s)))
                    break;
                if (none || !v.as.s)
                    r.ok = 0;
            } else {
                if ((rc = ttext(&r, &b[1], &cap[1], &text)))
                    break;
                if (vt == ZF_TYPE_STRING) {
                    v.type = ZF_TYPE_STRING;
                    if ((rc = ttext(&r, &b[2], &cap[2], &v.as.s)))
                        break;
                    if (!v.as.s)
                        r.ok = 0;
                } else if (vt != ZF_TYPE_VOID) {
                    int64_t w = (int64_t)t64(&r);
                    v.type = (zf_type)vt;
                    if (vt == ZF_TYPE_BOOL && w != 0 && w != 1)
                        why = "a journal value is no bool";
                    else if (vt == ZF_TYPE_DATE && (w < INT32_MIN || w > INT32_MAX ||
                                                    !zf_date_valid((zf_date)w)))
                        why = "a journal value is no date";
                    else if (vt == ZF_TYPE_DURATION &&
                             (w < 0 || w > INT32_MAX || (w >> 2) > 99999))
                        why = "a journal value is no duration";
                    else if (vt == ZF_TYPE_BOOL)
                        v.as.b = (int)w;
                    else if (vt == ZF_TYPE_DATE)
                        v.as.date = (zf_date)w;
                    else if (vt == ZF_TYPE_DURATION)
                        v.as.dur = zf__dur_unpack((int32_t)w);
                    else
                        v.as.i = w;
                }
            }
            if (!r.ok || why || rc)
                break;
            if (ref == ZF_NOIDX && name && names_thing(kind)) {
                any_earlier = 1; /* an earlier version's: checked below */
                last_earlier = l->nitems + 1;
            } else if (!ref_fits(d, kind, ref) || (ref != ZF_NOIDX && name))
                why = "a journal item names nothing of the definition";
            if (!why && idate != ZF_DATE_NONE && !zf_date_valid(idate))
                why = "a journal item has no valid date";
            else if (!why)
                rc = zf__log_put(l, (zf_journal_kind)kind, ref, name, text, idate,
                                 vt == ZF_TYPE_VOID ? NULL : &v, ZF__TEXT_COPY);
            if (!why && !rc && kind == ZF_JOURNAL_MIGRATED)
                last_migrated = l->nitems;
        }
    }
    /* Only records up to the last migration name things of earlier versions. */
    if (!why && !rc && any_earlier && last_earlier > last_migrated)
        why = "a journal item names nothing of the definition";
    for (int i = 0; i < 3; i++)
        zf__free(b[i]);
    if (!rc && !why && r.ok)
        rc = get_gaps(in, &r, &why);
    if (rc == ZF_ENOMEM)
        return zf__error_set(err, ZF_ENOMEM, NULL);
    if (rc)
        return bad(err, "the journal is too large");
    if (why)
        return bad(err, why);
    if (!r.ok || r.p != r.end)
        return bad(err, "the journal section is malformed");
    return ZF_OK;
}

/* A journal-on case from a form without a journal: every step so far ran with the
 * journal off, one gap (as the XML restore records it). */
static zf_code no_journal_yet(zf_instance *in, zf_error *err) {
    zf__gap *g = zf__malloc(sizeof *g);
    if (!g)
        return zf__error_set(err, ZF_ENOMEM, NULL);
    g->from = 1;
    g->to = zf__blk_hdr(in)->seq;
    g->at = 0;
    in->aux->gaps = g;
    in->aux->ngaps = 1;
    return ZF_OK;
}

/* A kept journal (an instance without a journal restored from a snapshot with one),
 * back in aux->kept. Its text was checked by the strict reader when it was kept; the
 * checksum stands for it here, and the next restore of a snapshot checks it again. */
static zf_code get_kept(zf_instance *in, const unsigned char *p, size_t n,
                        zf_error *err) {
    jr r = {p, p + n, 1};
    uint32_t seq = t32(&r), tail = t32(&r), from = t32(&r), len = t32(&r);
    zf__aux *x = in->aux;
    if (!r.ok || len != (size_t)(r.end - r.p) || seq > zf__blk_hdr(in)->seq ||
        (tail != NOTEXT && (tail >= len || from == 0 || from > seq)) ||
        memchr(r.p, '\0', len))
        return bad(err, "the kept journal section is malformed");
    if (!x && !(x = in->aux = zf__aux_new()))
        return zf__error_set(err, ZF_ENOMEM, NULL);
    if (!(x->kept = zf__malloc((size_t)len + 1)))
        return zf__error_set(err, ZF_ENOMEM, NULL);
    memcpy(x->kept, r.p, len);
    x->kept[len] = '\0';
    x->nkept = len;
    x->kept_seq = seq;
    x->kept_tail = tail == NOTEXT ? SIZE_MAX : tail;
    x->kept_tail_from = from;
    return ZF_OK;
}

static zf_code unpack(zf_instance **out, const zf_definition *def, const void *data,
                      size_t len, const zf_instance_options *opts, int direct,
                      zf_error *err);

/* The form's journal is kept text (an instance without a journal restored from a
 * snapshot with one), or not of the kind asked for (a journal to be kept as text, or
 * kept text to be read as a journal): unpack it as it is and restore its XML
 * snapshot with the options asked for, which checks the kept text as the strict
 * reader does and converts it as a restore would. */
static zf_code unpack_via_xml(zf_instance **out, const zf_definition *def,
                              const void *data, size_t len,
                              const zf_instance_options *opts, zf_error *err) {
    zf_instance_options o = *opts; /* normalised */
    const unsigned char *p = data;
    zf_instance *in = NULL;
    zf_buf xml = ZF_BUF_INIT;
    zf_code rc;
    o.journal = !(p[5] & FLAG_KEPT);
    if (!(rc = unpack(&in, def, data, len, &o, 1, err)) &&
        !(rc = zf_instance_snapshot(&xml, in, err)))
        rc = zf_instance_restore(out, def, xml.ptr, xml.size, opts, err);
    zf_instance_free(in);
    zf_buf_dispose(&xml);
    return rc;
}

zf_code zf_instance_unpack(zf_instance **out, const zf_definition *def, const void *data,
                           size_t len, const zf_instance_options *opts, zf_error *err) {
    return unpack(out, def, data, len, opts, 0, err);
}

/* `direct`: the form as it is, without going through its XML snapshot. */
static zf_code unpack(zf_instance **out, const zf_definition *def, const void *data,
                      size_t len, const zf_instance_options *opts, int direct,
                      zf_error *err) {
    const unsigned char *p = data;
    unsigned char hash[32];
    zf_instance *in = NULL;
    zf_instance_options o;
    size_t ns, nj;
    zf_code rc;
    zf_error_clear(err);
    if (!out)
        return zf__error_set(err, ZF_EINVAL, "out is NULL");
    *out = NULL;
    if (!zf__ok_definition(def))
        return zf__error_set(err, ZF_EINVAL, "invalid definition");
    if (!data && len)
        return zf__error_set(err, ZF_EINVAL, "data is NULL");
    if (len < HDR + 8 || memcmp(p, MAGIC, 4) != 0)
        return bad(err, "not a compact snapshot (no ZFPK header)");
    if (p[4] != ZF_PACK_VERSION)
        return zf__error_set(
            err, ZF_ESNAPSHOT,
            "compact snapshot: format version %u is not supported (%u is)",
            (unsigned)p[4], (unsigned)ZF_PACK_VERSION);
    ns = r32(p + 8);
    nj = r32(p + 12);
    if ((p[5] & ~(FLAG_JOURNAL | FLAG_KEPT)) || p[5] == FLAG_KEPT || r16(p + 6) != 0 ||
        !(p[5] & FLAG_JOURNAL) != !nj ||
        (uint64_t)len != HDR + (uint64_t)ns + 8 + (nj ? (uint64_t)nj + 8 : 0))
        return bad(err, "its header does not fit its length");
    hash_bytes(def, hash);
    if (memcmp(hash, p + 16, 32) != 0) {
        char h[9];
        static const char hex[] = "0123456789abcdef";
        for (int i = 0; i < 4; i++) {
            h[2 * i] = hex[p[16 + i] >> 4];
            h[2 * i + 1] = hex[p[16 + i] & 15];
        }
        h[8] = '\0';
        return zf__error_set(err, ZF_ESNAPSHOT,
                             "compact snapshot is of definition hash %s… but %s %s has "
                             "hash %.8s…",
                             h, def->id, def->version ? def->version : "?", def->hash);
    }
    if (zf__pack_checksum(p, HDR + ns) != r64(p + HDR + ns))
        return bad(err, "the checksum of the state does not match (damaged)");
    if (nj && zf__pack_checksum(p + HDR + ns + 8, nj) != r64(p + HDR + ns + 8 + nj))
        return bad(err, "the checksum of the journal does not match (damaged)");
    if ((rc = zf__instance_options(&o, opts, err)))
        return rc;
    if (!direct && nj && ((p[5] & FLAG_KEPT) || !o.journal))
        return unpack_via_xml(out, def, data, len, &o, err);
    if ((rc = zf__instance_alloc(&in, def, opts, err)))
        return rc;
    if ((rc = get_state(in, p + HDR, ns, err)) || (rc = zf__instance_check(in, err)))
        goto fail;
    if (nj && (p[5] & FLAG_KEPT))
        rc = get_kept(in, p + HDR + ns + 8, nj, err);
    else if (nj) {
        rc = get_journal(in, p + HDR + ns + 8, nj, err);
        /* The strict reader's rules for the journal, without its XML. */
        if (!rc)
            rc = zf__journal_verify(in, &in->aux->journal, in->aux->gaps, in->aux->ngaps,
                                    err);
    } else if (in->journal_on && zf__blk_hdr(in)->seq)
        rc = no_journal_yet(in, err);
    if (rc)
        goto fail;
    *out = in;
    return ZF_OK;
fail:
    zf_instance_free(in);
    return rc;
}
