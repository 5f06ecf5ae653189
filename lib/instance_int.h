/*
 * Private layout of a case instance, shared by instance.c (the engine),
 * journal.c (journal and effects logs) and snapshot.c.
 *
 * The committed state of an instance is ONE compact block of a size fixed at
 * creation, stored right after the instance header:
 *
 *   zf__shdr | config bit set | var set bits | var payloads (int64[nvars])
 *            | term slots (zf__tslot[nterms]) | term extras (zf__textra[nx]) | string
 * store
 *
 * Variables are 8-byte payloads whose type comes from the definition, with a
 * bit saying whether they are set. Terms are 16-byte slots; only the terms a
 * <suspend>, <resume> or <extend> action can reach get an extras record for
 * their suspensions and extensions.
 *
 * A call runs on the block in place. It first copies the block's used bytes
 * (all but the free end of the string store) into a working area that lives on
 * the call's stack, or, for definitions whose working area exceeds
 * ZF__STACK_WORK, in one buffer allocated at creation; the working area also
 * holds the call's scratch (event parameters, selected transitions, exit and
 * entry sets, the internal-event queue). A failing call copies the block back,
 * so it leaves the instance as it was, and a call allocates nothing.
 * Expressions read variables through a callback that decodes one payload
 * (bool and int guards are read straight from the block).
 */
#ifndef ZF_INSTANCE_INT_H
#define ZF_INSTANCE_INT_H

#include "defn.h"
#include "zaakflow/instance.h"

#include <string.h>

#define ZF__NONE32 0xffffffffu

typedef struct zf__shdr {
    zf_date today;
    uint32_t seq;      /* journal sequence number of the last entry */
    uint16_t final;    /* top-level final state entered, or ZF_NOIDX */
    uint16_t leaf;     /* charts without parallel states: the innermost active state
                          (kept by entry and exit; in document pre-order, the active
                          state with the highest index) */
    uint32_t str_used; /* bytes used in the string store */
} zf__shdr;

/* Durations packed in 32 bits: n << 2 | unit (n <= 99999). */
static inline int32_t zf__dur_pack(zf_duration d) {
    return (int32_t)((uint32_t)d.n << 2 | (d.unit & 3));
}
static inline zf_duration zf__dur_unpack(int32_t p) {
    zf_duration d;
    d.n = (int32_t)((uint32_t)p >> 2);
    d.unit = (zf_unit)(p & 3);
    return d;
}

typedef struct zf__termrec {
    uint8_t status; /* zf_term_status */
    uint8_t nsusp;  /* the last is open (to == ZF_DATE_NONE) while SUSPENDED */
    uint8_t next;
    uint8_t pad;
    zf_date trigger; /* ZF_DATE_NONE while idle */
    zf_date end;     /* cached computed last day */
    int32_t length;  /* packed duration */
    zf_interval susp[ZF_INSTANCE_MAX_SUSPENSIONS];
    int32_t ext[ZF_INSTANCE_MAX_EXTENSIONS];
} zf__termrec;

/* Compact term slot of the committed block (16 bytes). */
typedef struct zf__tslot {
    zf_date trigger;
    zf_date end;    /* cached last day (open suspension not counted) */
    int32_t length; /* packed duration */
    uint8_t status;
    uint8_t counts; /* nsusp | next << 4 */
    uint16_t x;     /* index of its zf__textra, or ZF_NOIDX */
} zf__tslot;

typedef struct zf__textra {
    zf_interval susp[ZF_INSTANCE_MAX_SUSPENSIONS];
    int32_t ext[ZF_INSTANCE_MAX_EXTENSIONS];
} zf__textra;

/* Working-area bytes a call may keep on its stack. */
#define ZF__STACK_WORK 4096

/* One record of a log (the journal or the effects of a call). Strings are offsets into
 * text. */
typedef struct zf__jitem {
    uint8_t kind;  /* zf_journal_kind */
    uint8_t vtype; /* zf_type of the value */
    uint16_t ref;  /* state, term or var index when the name comes from the definition */
    zf_date date;
    uint32_t name; /* text offset, or ZF__NONE32 (then ref names it, if any) */
    uint32_t text; /* text offset or ZF__NONE32 */
    int64_t v;     /* value by vtype: BOOL, INT, MONEY, DATE itself; DURATION packed
                      (zf__dur_pack); STRING text offset of the string; ENUM the value's
                      index (its name is in `text`) */
} zf__jitem;

/* A text offset with this bit set holds, at the offset, a pointer to a string of the
 * definition (which outlives every log of its instances) instead of a copy of it. */
#define ZF__TEXT_REF 0x80000000u

typedef struct zf__jentry {
    uint32_t seq;
    zf_date date;
    uint16_t event; /* ZF_NOIDX: start of the case, a migration, or see event_name */
    uint16_t pad;
    uint32_t actor;      /* text offset or ZF__NONE32 */
    uint32_t event_name; /* text offset of the event's id when it is an event of an
                            earlier version (before a migration), or ZF__NONE32 */
    uint32_t first, nitems;
} zf__jentry;

typedef struct zf__log {
    zf__jentry *entries;
    size_t nentries, centries;
    zf__jitem *items;
    size_t nitems, citems;
    char *text;
    size_t ntext, ctext;
    int items_inline; /* items and text live inside the zf__aux allocation: never */
    int text_inline;  /* freed, and moved to the heap when they must grow */
} zf__log;

/* Items each effects log holds inside the zf__aux allocation before it needs its own
 * array: most calls have a few effects, so most instances allocate once. */
#define ZF__INLINE_EFFECTS 8

/* Steps not in the journal (numbers from .. to): run with the journal off before the
 * instance was restored with it on. Written as <gap/> before journal entry `at`. */
typedef struct zf__gap {
    uint32_t from, to, at;
} zf__gap;

/* Logs and coverage scratch, allocated on first use (journal on, an effect, coverage,
 * a key), in one allocation with the first items of both effects logs (zf__aux_new). */
typedef struct zf__aux {
    zf__log journal;
    zf__log effects[2];
    uint32_t *cov_pending;
    size_t ncov_pending, ccov_pending;
    /* Journal on: the gaps in its numbering, in order (most instances have none). */
    zf__gap *gaps;
    size_t ngaps;
    /* Journal off, restored from a snapshot with a journal: that journal's content
       (the lines between <journal> and </journal>), verified and kept byte for byte
       so that the instance's snapshots write it back; it covers the steps up to
       kept_seq. kept_tail: offset of its last line when that is a <gap> (from
       kept_tail_from), which a later gap extends; SIZE_MAX otherwise. */
    char *kept;
    size_t nkept, kept_tail;
    uint32_t kept_seq, kept_tail_from;
    /* The host key of zf_instance_options as HMAC-SHA-256 uses it (64 bytes), or
       NULL. */
    unsigned char *key;
} zf__aux;

struct zf_instance {
    unsigned int magic;
    uint8_t journal_on;
    uint8_t effcur;
    uint8_t pad[2];
    const zf_definition *def;
    unsigned char *blk;       /* the committed block (right after this header) */
    unsigned char *heap_work; /* working area (rollback copy + scratch) when larger than
                                 ZF__STACK_WORK, else NULL */
    zf__aux *aux;
    uint32_t *cov_trans, *cov_states; /* coverage hooks (scenario runner) */
    /* Block offsets. */
    uint32_t cfg_off, set_off, vars_off, terms_off, x_off, str_off, str_cap;
    /* Working-area offsets. */
    uint32_t w_backup, w_params, w_seltr, w_sets, w_queue, work_size;
    uint32_t total_size;                /* bytes of the allocation (header + block) */
    uint32_t max_journal, max_snapshot; /* zf_instance_options */
    uint16_t cfg_words, set_words;
};
ZF__MAGIC_FIRST(struct zf_instance);

/* Accessors into the committed block. */
static inline zf__shdr *zf__blk_hdr(const zf_instance *in) {
    return (zf__shdr *)in->blk;
}
static inline uint32_t *zf__blk_cfg(const zf_instance *in) {
    return (uint32_t *)(in->blk + in->cfg_off);
}
static inline uint32_t *zf__blk_set(const zf_instance *in) {
    return (uint32_t *)(in->blk + in->set_off);
}
static inline int64_t *zf__blk_vars(const zf_instance *in) {
    return (int64_t *)(in->blk + in->vars_off);
}
static inline zf__tslot *zf__blk_terms(const zf_instance *in) {
    return (zf__tslot *)(in->blk + in->terms_off);
}
static inline zf__textra *zf__blk_extra(const zf_instance *in) {
    return (zf__textra *)(in->blk + in->x_off);
}
static inline char *zf__blk_str(const zf_instance *in) {
    return (char *)(in->blk + in->str_off);
}

static inline int zf__bit(const uint32_t *set, unsigned i) {
    return (set[i >> 5] >> (i & 31)) & 1;
}
static inline void zf__bit_set(uint32_t *set, unsigned i) {
    set[i >> 5] |= 1u << (i & 31);
}
static inline void zf__bit_clr(uint32_t *set, unsigned i) {
    set[i >> 5] &= ~(1u << (i & 31));
}

static inline const zf__log *zf__journal(const zf_instance *in) {
    return in->aux && in->journal_on ? &in->aux->journal : NULL;
}

/* instance.c */
/* The options in effect: `opts` (NULL, version 1 or 2) with the defaults filled in. */
ZF__INTERNAL zf_code zf__instance_options(zf_instance_options *o,
                                          const zf_instance_options *opts, zf_error *err);
ZF__INTERNAL zf_code zf__instance_alloc(zf_instance **out, const zf_definition *def,
                                        const zf_instance_options *opts, zf_error *err);
/* The computed end of a term from its record: the whole trace into *res, or, with
 * res NULL, only the last day into *end (cheaper: no trace). */
ZF__INTERNAL zf_code zf__instance_recompute_end(const zf_instance *in, uint16_t term,
                                                const zf__termrec *rec,
                                                zf_term_result *res, zf_date *end,
                                                zf_error *err);
/* Committed-block access for snapshots (restore writes a fresh instance). */
ZF__INTERNAL zf_code zf__instance_store_string(zf_instance *in, uint16_t var,
                                               const char *s, zf_error *err);
ZF__INTERNAL void zf__instance_var_get(const zf_instance *in, uint16_t var,
                                       zf_value *out);
ZF__INTERNAL void zf__instance_var_put(zf_instance *in, uint16_t var, const zf_value *v);
ZF__INTERNAL void zf__instance_term_get(const zf_instance *in, uint16_t term,
                                        zf__termrec *out);
/* Returns -1 when the term has no room for its suspensions or extensions. */
ZF__INTERNAL int zf__instance_term_put(zf_instance *in, uint16_t term,
                                       const zf__termrec *rec);
/* Evaluate `p` (of the instance's definition) on the committed state, outside any
 * event, with `today` and `event.date` as `date`. */
ZF__INTERNAL zf_code zf__instance_eval(zf_value *out, const zf_instance *in,
                                       const zf__program *p, zf_date date, zf_error *err);
ZF__INTERNAL void zf__instance_set_coverage(zf_instance *in, uint32_t *trans,
                                            uint32_t *states);
/* instance_check.c: the consistency rules of a restored block against its definition
 * (configuration, final state, variables, terms), in one call; sets the derived
 * fields. ZF_OK or ZF_ESNAPSHOT naming the rule broken. */
ZF__INTERNAL zf_code zf__instance_check(zf_instance *in, zf_error *err);
/* The same rules without setting anything: the test build asserts them after every
 * successful call (instance.c). */
ZF__INTERNAL zf_code zf__instance_consistent(const zf_instance *in, zf_error *err);
/* instance_check.c: whether `cfg` breaks a rule of a legal SCXML configuration
 * (ancestors active, one active child of an active compound state, every region of
 * an active parallel state): 1 with the first rule broken described in msg, 0 when
 * legal. The XML restore and zf__instance_check() both ask it. */
ZF__INTERNAL int zf__config_problem(char *msg, size_t cap, const struct zf_definition *d,
                                    const uint32_t *cfg);
/* pack.c: the checksum of the compact form over `n` bytes (tests and the fuzzer forge
 * forms with it). */
ZF__INTERNAL uint64_t zf__pack_checksum(const unsigned char *p, size_t n);

/* journal.c: the aux block with its inline effect items, or NULL; its disposal. */
ZF__INTERNAL zf__aux *zf__aux_new(void);
ZF__INTERNAL void zf__aux_free(zf__aux *x);
/* A copy of the journal (when `journal`) and of effects log `effcur` of `src`, in a new
 * aux block; NULL when out of memory. */
ZF__INTERNAL zf__aux *zf__aux_clone(const zf__aux *src, int journal, int effcur);

/* journal.c: logs. Marks let a failing call roll back. */
typedef struct zf__logmark {
    size_t nentries, nitems, ntext;
} zf__logmark;
ZF__INTERNAL void zf__log_mark(const zf__log *l, zf__logmark *m);
ZF__INTERNAL void zf__log_rollback(zf__log *l, const zf__logmark *m);
static inline void zf__log_clear(zf__log *l) {
    l->nentries = l->nitems = l->ntext = 0;
}
ZF__INTERNAL void zf__log_dispose(zf__log *l);
/*
 * How a log keeps the strings of an item it is given (as SQLite's SQLITE_STATIC and
 * SQLITE_TRANSIENT): ZF__TEXT_STATIC for strings of the definition, which outlives
 * every log of its instances, kept by reference (a pointer in the text, ZF__TEXT_REF);
 * ZF__TEXT_COPY for any other string (the caller's, formatted ones), copied into the
 * log's text. The string of a STRING value is copied either way: it may be the
 * caller's (an event parameter).
 */
typedef enum zf__text_kind { ZF__TEXT_COPY, ZF__TEXT_STATIC } zf__text_kind;

ZF__INTERNAL zf_code zf__log_entry(zf__log *l, uint32_t seq, zf_date date, uint16_t event,
                                   const char *actor);
/* snapshot.c: make `in`'s kept journal (journal off) that of `old` (aux->kept, with
 * the steps since as a gap) followed by entry i of `l`, written as a snapshot
 * writes it; in->aux must exist. For a migration of a case whose journal is off but
 * kept (migrate.c). ZF_OK or ZF_ENOMEM (in unchanged). */
ZF__INTERNAL zf_code zf__snapshot_keep_entry(zf_instance *in, const zf_instance *old,
                                             const zf__log *l, size_t i);
/* snapshot.c: the rules the strict reader applies to a journal, applied to one
 * already in memory (the compact form, pack.c): entries numbered with the gaps
 * without holes up to the case's seq, each entry's and record's rules, and the
 * state derived from the journal again (in->blk holds the state read). ZF_OK,
 * ZF_ESNAPSHOT ("compact snapshot: ..." naming the rule) or ZF_ENOMEM. */
ZF__INTERNAL zf_code zf__journal_verify(zf_instance *in, const zf__log *l,
                                        const zf__gap *gaps, size_t ngaps, zf_error *err);
/* An entry whose event is named by text: an event of a version before a migration. */
ZF__INTERNAL zf_code zf__log_entry_named(zf__log *l, uint32_t seq, zf_date date,
                                         const char *event, const char *actor);
/* Whether entry i holds a ZF_JOURNAL_MIGRATED item. */
ZF__INTERNAL int zf__log_entry_migrated(const zf__log *l, size_t i);
/* Append an item to the last entry of `l` (if any): `name` and `text` (either may be
 * NULL) kept as `how` says, and `v` (NULL: no value). On failure the log may hold
 * unused text (a zf__log_rollback() to a mark drops it) but no new item.
 * @return ZF_OK, ZF_ENOMEM, or ZF_ELIMIT when the log's text would reach 2 GiB. */
static inline zf_code zf__log_put(zf__log *l, zf_journal_kind kind, uint16_t ref,
                                  const char *name, const char *text, zf_date date,
                                  const zf_value *v, zf__text_kind how);
/* zf__log_put() out of line: every case. */
ZF__INTERNAL zf_code zf__log_put_slow(zf__log *l, zf_journal_kind kind, uint16_t ref,
                                      const char *name, const char *text, zf_date date,
                                      const zf_value *v, zf__text_kind how);

/* Record a reference to `s`, a string of the definition, in the text of `l`, which
 * has room for it: the pointer's bytes (read back with memcpy, so unaligned is
 * fine), not the string's. Its text offset. */
static inline uint32_t zf__log_ref_at(zf__log *l, const char *s) {
    uint32_t off = (uint32_t)l->ntext | ZF__TEXT_REF;
    memcpy(l->text + l->ntext, &s, sizeof s);
    l->ntext += sizeof s;
    return off;
}

/* The payload of a value whose payload is not text (neither STRING nor ENUM). */
static inline int64_t zf__log_scalar(const zf_value *v) {
    switch (v->type) {
    case ZF_TYPE_BOOL:
        return v->as.b;
    case ZF_TYPE_INT:
    case ZF_TYPE_MONEY:
        return v->as.i;
    case ZF_TYPE_DATE:
        return v->as.date;
    case ZF_TYPE_DURATION:
        return zf__dur_pack(v->as.dur);
    default:
        return 0;
    }
}

/* The common case inline, since effects are logged on nearly every fire and each
 * step journals several items (callgrind: out of line, a bezwaar event costs 6% more
 * with the journal off, 15% with it on): the definition's strings, room for the
 * item and both references, a value without text. The rest goes out of line. */
static inline zf_code zf__log_put(zf__log *l, zf_journal_kind kind, uint16_t ref,
                                  const char *name, const char *text, zf_date date,
                                  const zf_value *v, zf__text_kind how) {
    zf__jitem *it;
    if (how != ZF__TEXT_STATIC || l->nitems == l->citems ||
        l->ctext - l->ntext < (size_t)(!!name + !!text) * sizeof name ||
        (v && (v->type == ZF_TYPE_STRING || v->type == ZF_TYPE_ENUM)))
        return zf__log_put_slow(l, kind, ref, name, text, date, v, how);
    it = &l->items[l->nitems++];
    it->kind = (uint8_t)kind;
    it->vtype = v ? (uint8_t)v->type : 0;
    it->ref = ref;
    it->date = date;
    it->name = name ? zf__log_ref_at(l, name) : ZF__NONE32;
    it->text = text ? zf__log_ref_at(l, text) : ZF__NONE32;
    it->v = v ? zf__log_scalar(v) : 0;
    if (l->nentries)
        l->entries[l->nentries - 1].nitems++;
    return ZF_OK;
}

/* snapshot.c: whether n bytes are text an XML snapshot can hold: UTF-8 (shortest
 * form, no surrogates, at most U+10FFFF) of XML 1.0 characters only (no NUL, no
 * control characters but tab, line feed and carriage return, no U+FFFE or U+FFFF). */
ZF__INTERNAL int zf__xml_text_ok(const unsigned char *p, size_t n);

/* The same for a string; the ASCII prefix inline (names, dates, most text). */
static inline int zf__text_ok(const char *s) {
    const unsigned char *p = (const unsigned char *)s;
    while (*p >= 0x20 && *p < 0x80)
        p++;
    return *p == 0 || zf__xml_text_ok(p, strlen((const char *)p));
}

/* snapshot.c, for tests and fuzzing: write the <integrity> line of a snapshot
 * again (after its last "  <integrity " line, or before its "</snapshot>" line),
 * for its bytes as they are now; with `key`, also the MAC. */
ZF__INTERNAL zf_code zf__snapshot_reseal(zf_buf *xml, const unsigned char *key,
                                         size_t key_len);

ZF__INTERNAL void zf__log_get_item(const zf_instance *in, const zf__log *l, size_t k,
                                   zf_journal_item *out);
ZF__INTERNAL const char *zf__log_str(const zf__log *l, uint32_t off);

#endif
