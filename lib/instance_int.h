/*
 * Private layout of a case instance, shared by instance.c (the engine),
 * journal.c (journal and effects logs) and snapshot.c.
 *
 * The mutable state of an instance is one flat block ("state block") of a
 * size fixed at creation:
 *
 *   zf__shdr | config bit set | vars (zf_value[nvars]) | terms (zf__termrec[nterms]) | string store
 *
 * An instance holds two of them: the committed one and a scratch copy. A call
 * copies committed -> scratch, works on the scratch block and swaps the two
 * pointers on success, so a failing call changes nothing and a call allocates
 * nothing. Offsets are the same in both blocks; string variables that point
 * into the store are rebased after the copy.
 */
#ifndef ZF_INSTANCE_INT_H
#define ZF_INSTANCE_INT_H

#include "defn.h"
#include "zaakflow/instance.h"

#define ZF__NONE32 0xffffffffu

typedef struct zf__shdr {
    zf_date today;
    uint32_t seq;       /* journal sequence number of the last entry */
    uint16_t final;     /* top-level final state entered, or ZF_NOIDX */
    uint16_t pad;
    uint32_t str_used;  /* bytes used in the string store */
} zf__shdr;

/* Durations packed in 32 bits: n << 2 | unit (n <= 99999). */
static inline int32_t zf__dur_pack(zf_duration d) { return (int32_t)((uint32_t)d.n << 2 | (d.unit & 3)); }
static inline zf_duration zf__dur_unpack(int32_t p)
{
    zf_duration d;
    d.n = (int32_t)((uint32_t)p >> 2);
    d.unit = (zf_unit)(p & 3);
    return d;
}

typedef struct zf__termrec {
    uint8_t status;  /* zf_term_status */
    uint8_t nsusp;   /* the last is open (to == ZF_DATE_NONE) while SUSPENDED */
    uint8_t next;
    uint8_t pad;
    zf_date trigger; /* ZF_DATE_NONE while idle */
    zf_date end;     /* cached computed last day */
    int32_t length;  /* packed duration */
    zf_interval susp[ZF_INSTANCE_MAX_SUSPENSIONS];
    int32_t ext[ZF_INSTANCE_MAX_EXTENSIONS];
} zf__termrec;

/* One record of a log (the journal or the effects of a call). Strings are offsets into text. */
typedef struct zf__jitem {
    uint8_t kind;    /* zf_journal_kind */
    uint8_t vtype;   /* zf_type of the value */
    uint16_t ref;    /* state, term or var index when the name comes from the definition */
    zf_date date;
    uint32_t name;   /* text offset, or ZF__NONE32 (then ref names it, if any) */
    uint32_t text;   /* text offset or ZF__NONE32 */
    int64_t v;       /* value payload; STRING/ENUM: text offset of the string (ENUM index in date) */
} zf__jitem;

typedef struct zf__jentry {
    uint32_t seq;
    zf_date date;
    uint16_t event;  /* ZF_NOIDX: start of the case */
    uint16_t pad;
    uint32_t actor;  /* text offset or ZF__NONE32 */
    uint32_t first, nitems;
} zf__jentry;

typedef struct zf__log {
    zf__jentry *entries;
    size_t nentries, centries;
    zf__jitem *items;
    size_t nitems, citems;
    char *text;
    size_t ntext, ctext;
} zf__log;

struct zf_instance {
    unsigned int magic;
    const zf_definition *def;
    int journal_on;
    int has_eventless; /* any eventless transition: else skip that selection */
    /* State blocks: cur is committed, tmp is scratch. */
    unsigned char *cur, *tmp;
    size_t block_size, cfg_off, vars_off, terms_off, str_off, str_cap;
    uint16_t *string_vars; /* indexes of string variables */
    size_t nstring_vars;
    size_t cfg_words;
    /* Working memory of a call, sized at creation. */
    zf_value *params;      /* max params of any event */
    size_t max_params;
    uint16_t *queue;       /* internal events */
    uint32_t *seltr;       /* selected transitions */
    size_t total_size;     /* bytes of the one allocation */
    uint32_t *set_exit, *set_enter; /* bit sets */
    /* Logs. */
    zf__log journal;
    zf__log effects[2];
    int effcur;
    /* Coverage hooks (scenario runner): counts of transitions and states taken. */
    uint32_t *cov_trans, *cov_states;
    uint32_t *cov_pending;
    size_t ncov_pending, ccov_pending;
};

/* Accessors into a block. */
static inline zf__shdr *zf__blk_hdr(const zf_instance *in, unsigned char *b) { (void)in; return (zf__shdr *)b; }
static inline uint32_t *zf__blk_cfg(const zf_instance *in, unsigned char *b) { return (uint32_t *)(b + in->cfg_off); }
static inline zf_value *zf__blk_vars(const zf_instance *in, unsigned char *b) { return (zf_value *)(b + in->vars_off); }
static inline zf__termrec *zf__blk_terms(const zf_instance *in, unsigned char *b) { return (zf__termrec *)(b + in->terms_off); }
static inline char *zf__blk_str(const zf_instance *in, unsigned char *b) { return (char *)(b + in->str_off); }

static inline int zf__bit(const uint32_t *set, unsigned i) { return (set[i >> 5] >> (i & 31)) & 1; }
static inline void zf__bit_set(uint32_t *set, unsigned i) { set[i >> 5] |= 1u << (i & 31); }
static inline void zf__bit_clr(uint32_t *set, unsigned i) { set[i >> 5] &= ~(1u << (i & 31)); }

/* instance.c */
ZF__INTERNAL zf_code zf__instance_alloc(zf_instance **out, const zf_definition *def,
                                        const zf_instance_options *opts, zf_error *err);
ZF__INTERNAL zf_code zf__instance_recompute_end(const zf_instance *in, uint16_t term,
                                                const zf__termrec *rec, zf_term_result *res,
                                                zf_error *err);
ZF__INTERNAL zf_code zf__instance_store_string(zf_instance *in, unsigned char *blk, uint16_t var,
                                               const char *s, zf_error *err);
ZF__INTERNAL void zf__instance_set_coverage(zf_instance *in, uint32_t *trans, uint32_t *states);

/* journal.c: logs. Marks let a failing call roll back. */
typedef struct zf__logmark {
    size_t nentries, nitems, ntext;
} zf__logmark;
ZF__INTERNAL void zf__log_mark(const zf__log *l, zf__logmark *m);
ZF__INTERNAL void zf__log_rollback(zf__log *l, const zf__logmark *m);
ZF__INTERNAL void zf__log_clear(zf__log *l);
ZF__INTERNAL void zf__log_dispose(zf__log *l);
ZF__INTERNAL zf_code zf__log_text(zf__log *l, const char *s, uint32_t *off);
ZF__INTERNAL zf_code zf__log_entry(zf__log *l, uint32_t seq, zf_date date, uint16_t event,
                                   const char *actor);
ZF__INTERNAL zf_code zf__log_item(zf__log *l, zf_journal_kind kind, uint16_t ref,
                                  const char *name, const char *text, zf_date date,
                                  const zf_value *v);
ZF__INTERNAL void zf__log_get_item(const zf_instance *in, const zf__log *l, size_t k,
                                   zf_journal_item *out);
ZF__INTERNAL const char *zf__log_str(const zf__log *l, uint32_t off);

#endif
