/*
 * Semantic checks of a schema-valid process definition (docs/language.md,
 * "Semantic checks"). Builds the model -- the definition's tables in their
 * final layout, allocated in the arena the definition will own -- and
 * collects every finding, errors and warnings, with file:line:column.
 */
#include "load.h"
#include "xml.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

/* ------------------------------------------------------------------------ */
/* Name tables: open addressing, keys borrowed. */

typedef struct symtab {
    const char **keys;
    uint16_t *idx;
    size_t cap;
} symtab;

static uint32_t hash(const char *s, size_t len) {
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

static int symtab_init(symtab *t, size_t n) {
    size_t cap = 16;
    while (cap < 2 * n + 2)
        cap *= 2;
    t->keys = zf__calloc(cap, sizeof *t->keys);
    t->idx = zf__calloc(cap, sizeof *t->idx);
    t->cap = cap;
    return t->keys && t->idx ? 0 : -1;
}

static void symtab_free(symtab *t) {
    zf__free(t->keys);
    zf__free(t->idx);
    t->keys = NULL;
    t->idx = NULL;
}

static uint16_t symtab_find(const symtab *t, const char *s, size_t len) {
    size_t i;
    if (!t->keys)
        return ZF_NOIDX;
    for (i = hash(s, len) & (t->cap - 1); t->keys[i]; i = (i + 1) & (t->cap - 1))
        if (!strncmp(t->keys[i], s, len) && t->keys[i][len] == '\0')
            return t->idx[i];
    return ZF_NOIDX;
}

/* Add key -> idx; returns the index already there (a duplicate), else ZF_NOIDX. */
static uint16_t symtab_add(symtab *t, const char *key, uint16_t idx) {
    size_t len = strlen(key), i;
    for (i = hash(key, len) & (t->cap - 1); t->keys[i]; i = (i + 1) & (t->cap - 1))
        if (!strcmp(t->keys[i], key))
            return t->idx[i];
    t->keys[i] = key;
    t->idx[i] = idx;
    return ZF_NOIDX;
}

/* A list of names (enumeration values, parameters) checked for repeats in linear
 * time: `names` sized for n at first use; 1 when `id` was added before. On a failed
 * allocation the model is marked out of memory and no repeat is reported. */
typedef struct nameset {
    symtab t;
    int ready;
} nameset;

static int nameset_repeat(nameset *ns, size_t n, const char *id, int *oom) {
    if (!ns->ready) {
        if (symtab_init(&ns->t, n) != 0) {
            symtab_free(&ns->t);
            *oom = 1;
            return 0;
        }
        ns->ready = 1;
    }
    return symtab_add(&ns->t, id, 0) != ZF_NOIDX;
}

static void nameset_free(nameset *ns) {
    symtab_free(&ns->t);
}

/* ------------------------------------------------------------------------ */
/* The checker */

/* Where an expression runs, for the definedness analysis. */
typedef enum cx_kind {
    CX_NONE,   /* not checked */
    CX_COND,   /* the cond of transition `index` */
    CX_ACTION, /* action `index` (in a transition, onentry or onexit) */
    CX_TERM    /* the from (`from` set) or length of term `index` */
} cx_kind;

/* A read of a maybe-unset variable or parameter that its expression does not guard:
 * an error unless the context guarantees a value (resolved after the flow analysis). */
typedef struct pending {
    uint8_t cx, sym_kind, from;
    uint16_t sym;
    uint32_t index;
    int line, column;
    const char *attr; /* static string */
} pending;

/* What a transition's cond proves when true (ZF_FACT_SET, _EQ, _NE). */
typedef struct cfact {
    uint8_t kind, sym_kind;
    uint16_t sym;
    int64_t value;
} cfact;

typedef struct ck {
    zf__model *m;
    const zf__xml *x;
    zf__diagctx *dc;
    symtab st_states, st_events, st_vars, st_terms, st_roles, st_enums, st_rates;
    uint16_t cur_event;        /* parameters visible to event.<name>, or ZF_NOIDX */
    uint8_t *trans_bad_event;  /* the event attribute did not resolve */
    uint8_t *trans_has_target; /* a target attribute is present */
    size_t nvals_total;

    /* The expression being compiled: its attribute (for positions) and context. */
    const xmlNode *expr_node;
    const char *expr_attr;
    uint8_t cx;
    uint32_t cx_index;
    uint8_t expr_const;   /* ZF_FACT_CONST seen */
    uint8_t length_bad;   /* a term length literal was reported */
    uint16_t length_term; /* compiling the length of this term, else ZF_NOIDX */
    uint32_t with_action; /* compiling a spawn's with of this action, else UINT32_MAX */
    uint16_t with_param;
    pending *pend; /* growable */
    size_t npend, apend;
    cfact *facts; /* growable; transition t's are facts[fact_first[t] ..] */
    size_t nfacts, afacts;
    uint32_t *fact_first, *fact_count;
    int cond_trans; /* collecting the facts of this transition's cond, else -1 */
} ck;

static int is_el(const xmlNode *n, const char *name) {
    return n && n->type == XML_ELEMENT_NODE && n->ns &&
           !strcmp((const char *)n->ns->href, ZF_PROCESS_NS) &&
           (!name || !strcmp((const char *)n->name, name));
}

static const xmlNode *first_el(const xmlNode *n) {
    for (n = n ? n->children : NULL; n; n = n->next)
        if (is_el(n, NULL))
            return n;
    return NULL;
}

static const xmlNode *next_el(const xmlNode *n) {
    for (n = n->next; n; n = n->next)
        if (is_el(n, NULL))
            return n;
    return NULL;
}

#define FOR_CHILDREN(c, parent)                                                          \
    for (const xmlNode *c = first_el(parent); c; c = next_el(c))

static int is_state_el(const xmlNode *n) {
    return is_el(n, "state") || is_el(n, "parallel") || is_el(n, "final");
}

static int is_action_el(const xmlNode *n) {
    static const char *names[] = {"assign", "raise",  "start",  "stop",  "suspend",
                                  "resume", "extend", "notify", "spawn", "log"};
    if (!is_el(n, NULL))
        return 0;
    for (size_t i = 0; i < ZF__ARRAY_SIZE(names); i++)
        if (!strcmp((const char *)n->name, names[i]))
            return 1;
    return 0;
}

static zf__srcpos posof(ck *c, const xmlNode *n) {
    zf__elpos p = zf__load_elpos(c->x, n);
    zf__srcpos s = {p.line, p.column};
    return s;
}

static int line_of(ck *c, const xmlNode *n) {
    return posof(c, n).line;
}

static void vdiag(ck *c, zf_severity sev, const xmlNode *n, const char *at, int chars,
                  const char *check, const char *fmt, va_list ap) {
    char msg[256];
    int line = 0, col = 0;
    vsnprintf(msg, sizeof msg, fmt, ap);
    if (n) {
        if (at) {
            zf__load_attrpos(c->x, n, at, chars, &line, &col);
        } else {
            zf__srcpos p = posof(c, n);
            line = p.line;
            col = p.column;
        }
    }
    zf__diag_add(c->dc, sev, ZF_ESEMANTIC, check, line, col, "%s", msg);
    if (c->dc->oom)
        c->m->oom = 1;
}

/* An error at attribute `at` of `n` (or at the element when at is NULL). */
static void error(ck *c, const xmlNode *n, const char *at, const char *check,
                  const char *fmt, ...) ZF__PRINTF(5, 6);
static void error(ck *c, const xmlNode *n, const char *at, const char *check,
                  const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vdiag(c, ZF_SEVERITY_ERROR, n, at, 0, check, fmt, ap);
    va_end(ap);
}

static void warning(ck *c, const xmlNode *n, const char *at, const char *check,
                    const char *fmt, ...) ZF__PRINTF(5, 6);
static void warning(ck *c, const xmlNode *n, const char *at, const char *check,
                    const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vdiag(c, ZF_SEVERITY_WARNING, n, at, 0, check, fmt, ap);
    va_end(ap);
}

static char *sdup(ck *c, const char *s) {
    char *r;
    if (!s)
        return NULL;
    r = zf__arena_strdup(&c->m->arena, s);
    if (!r)
        c->m->oom = 1;
    return r;
}

static void *alloc(ck *c, size_t n) {
    void *p = zf__arena_alloc(&c->m->arena, n);
    if (!p)
        c->m->oom = 1;
    return p;
}

/* The texts of the leading <basis> children, joined with "; ". */
static const char *basis_of(ck *c, const xmlNode *n) {
    size_t total = 0, k = 0;
    char *out;
    FOR_CHILDREN(b, n) {
        if (!is_el(b, "basis"))
            continue;
        for (const xmlNode *t = b->children; t; t = t->next)
            if ((t->type == XML_TEXT_NODE || t->type == XML_CDATA_SECTION_NODE) &&
                t->content)
                total += strlen((const char *)t->content);
        total += 2;
    }
    if (total == 0)
        return NULL;
    out = alloc(c, total + 1);
    if (!out)
        return NULL;
    FOR_CHILDREN(b, n) {
        size_t start;
        if (!is_el(b, "basis"))
            continue;
        if (k > 0) {
            memcpy(out + k, "; ", 2);
            k += 2;
        }
        start = k;
        for (const xmlNode *t = b->children; t; t = t->next) {
            if ((t->type == XML_TEXT_NODE || t->type == XML_CDATA_SECTION_NODE) &&
                t->content) {
                /* Collapse white space: basis texts are one line. */
                for (const char *p = (const char *)t->content; *p; p++) {
                    int sp = *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r';
                    if (sp) {
                        if (k > start && out[k - 1] != ' ')
                            out[k++] = ' ';
                    } else {
                        out[k++] = *p;
                    }
                }
            }
        }
        while (k > start && out[k - 1] == ' ')
            k--;
        if (k == start && start >= 2) /* an empty basis adds nothing */
            k -= 2;
    }
    out[k] = '\0';
    return k ? out : NULL;
}

/* The text of the <documentation> child as written (explain lays it out), "" when
 * empty, NULL when there is none: kept so that explaining needs no file. */
static const char *doc_of(ck *c, const xmlNode *n) {
    size_t total = 0;
    char *out;
    FOR_CHILDREN(d, n) {
        if (!is_el(d, "documentation"))
            continue;
        for (const xmlNode *t = d->children; t; t = t->next)
            if ((t->type == XML_TEXT_NODE || t->type == XML_CDATA_SECTION_NODE) &&
                t->content)
                total += strlen((const char *)t->content);
        if (!(out = alloc(c, total + 1)))
            return NULL;
        total = 0;
        for (const xmlNode *t = d->children; t; t = t->next)
            if ((t->type == XML_TEXT_NODE || t->type == XML_CDATA_SECTION_NODE) &&
                t->content) {
                size_t len = strlen((const char *)t->content);
                memcpy(out + total, t->content, len);
                total += len;
            }
        out[total] = '\0';
        return out;
    }
    return NULL;
}

static int is_true(const char *v) {
    return v && (!strcmp(v, "true") || !strcmp(v, "1"));
}

/* ------------------------------------------------------------------------ */
/* Expressions */

static int scope_lookup(void *ctx, zf__sym_kind kind, const char *name, size_t len,
                        zf__sym *out) {
    ck *c = ctx;
    zf__model *m = c->m;
    uint16_t i;
    switch (kind) {
    case ZF_SYM_VAR:
        if ((i = symtab_find(&c->st_vars, name, len)) == ZF_NOIDX)
            return 0;
        out->index = i;
        out->type = m->vars[i].type;
        out->enum_id = m->vars[i].enum_id;
        /* A default that does not parse is reported already: no second finding. */
        out->maybe_unset = !m->vars[i].required && !m->vars[i].has_default &&
                           !zf__xml_attr(m->var_node[i], "default");
        m->var_used[i] = 1;
        return 1;
    case ZF_SYM_PARAM:
        if (c->cur_event == ZF_NOIDX)
            return 0;
        for (uint16_t p = 0; p < m->events[c->cur_event].nparams; p++) {
            const zf__param *pa = &m->events[c->cur_event].params[p];
            if (!strncmp(pa->id, name, len) && pa->id[len] == '\0') {
                out->index = p;
                out->type = pa->type;
                out->enum_id = pa->enum_id;
                out->maybe_unset = !pa->required;
                return 1;
            }
        }
        return 0;
    case ZF_SYM_TERM:
        if ((i = symtab_find(&c->st_terms, name, len)) == ZF_NOIDX)
            return 0;
        out->index = i;
        m->term_mentioned[i] = 1;
        return 1;
    case ZF_SYM_STATE:
        if ((i = symtab_find(&c->st_states, name, len)) == ZF_NOIDX)
            return 0;
        out->index = i;
        return 1;
    case ZF_SYM_RATES:
        if ((i = symtab_find(&c->st_rates, name, len)) == ZF_NOIDX)
            return 0;
        out->index = i;
        m->rates_used[i] = 1;
        return 1;
    }
    return 0;
}

static int scope_enum_value(void *ctx, uint16_t enum_id, const char *value, size_t len) {
    ck *c = ctx;
    const zf__enum *e;
    if (enum_id >= c->m->nenums)
        return -1;
    e = &c->m->enums[enum_id];
    for (uint16_t i = 0; i < e->nvalues; i++)
        if (!strncmp(e->values[i], value, len) && e->values[i][len] == '\0')
            return i;
    return -1;
}

/* The value names of an enumeration, in order; NULL after the last. */
static const char *scope_enum_name(void *ctx, uint16_t enum_id, uint16_t value) {
    ck *c = ctx;
    if (enum_id >= c->m->nenums || value >= c->m->enums[enum_id].nvalues)
        return NULL;
    return c->m->enums[enum_id].values[value];
}

static const char *scope_enum_id_name(void *ctx, uint16_t enum_id) {
    ck *c = ctx;
    return enum_id < c->m->nenums ? c->m->enums[enum_id].id : NULL;
}

/* "line:column" of a character of the expression being compiled. */
static void scope_where(void *ctx, int offset, char *buf, size_t cap) {
    ck *c = ctx;
    int line, col;
    zf__load_attrpos(c->x, c->expr_node, c->expr_attr, offset, &line, &col);
    snprintf(buf, cap, "%d:%d", line, col);
}

static void with_literal(ck *c, const zf__expr_fact *f);
static void length_literal(ck *c, const zf__expr_fact *f);

static void scope_fact(void *ctx, const zf__expr_fact *f) {
    ck *c = ctx;
    switch (f->kind) {
    case ZF_FACT_UNGUARDED: {
        pending *p;
        if (c->cx == CX_NONE)
            return;
        if (ZF__GROW(c->pend, c->apend, c->npend + 1, 16)) {
            c->m->oom = 1;
            return;
        }
        p = &c->pend[c->npend++];
        memset(p, 0, sizeof *p);
        p->cx = c->cx;
        p->index = c->cx_index;
        p->sym_kind = (uint8_t)f->sym_kind;
        p->sym = f->sym;
        p->attr = c->expr_attr;
        p->from = c->expr_attr && !strcmp(c->expr_attr, "from");
        zf__load_attrpos(c->x, c->expr_node, c->expr_attr, f->offset, &p->line,
                         &p->column);
        return;
    }
    case ZF_FACT_SET:
    case ZF_FACT_EQ:
    case ZF_FACT_NE: {
        cfact *cf;
        if (c->cond_trans < 0)
            return;
        if (ZF__GROW(c->facts, c->afacts, c->nfacts + 1, 16)) {
            c->m->oom = 1;
            return;
        }
        cf = &c->facts[c->nfacts++];
        cf->kind = (uint8_t)f->kind;
        cf->sym_kind = (uint8_t)f->sym_kind;
        cf->sym = f->sym;
        cf->value = f->value;
        c->fact_count[c->cond_trans]++;
        return;
    }
    case ZF_FACT_LITERAL:
        if (c->with_action != UINT32_MAX && f->type == ZF_TYPE_STRING)
            with_literal(c, f);
        else if (c->length_term != ZF_NOIDX && f->type == ZF_TYPE_DURATION)
            length_literal(c, f);
        return;
    case ZF_FACT_CONST:
        c->expr_const = 1;
        return;
    }
}

static int name_char(unsigned char ch, int first) {
    return ch == '_' || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
           ch >= 0x80 || (!first && ch >= '0' && ch <= '9');
}

/* Mark the names of an expression that failed to compile as used, so that a
 * variable, term or rate table read only there is not also reported unused. */
static void mark_names(ck *c, const char *src) {
    const unsigned char *p = (const unsigned char *)src;
    while (*p) {
        const unsigned char *q;
        uint16_t i;
        if (*p == '\'' || *p == '"') {
            const unsigned char *e =
                (const unsigned char *)strchr((const char *)p + 1, *p);
            p = e ? e + 1 : p + strlen((const char *)p);
            continue;
        }
        if (!name_char(*p, 1)) {
            /* A number and its suffix (6w, 12eur) is not a name. */
            while (name_char(*p, 0))
                p++;
            if (*p && !name_char(*p, 1))
                p++;
            continue;
        }
        for (q = p; name_char(*q, 0); q++)
            ;
        if ((i = symtab_find(&c->st_vars, (const char *)p, (size_t)(q - p))) != ZF_NOIDX)
            c->m->var_used[i] = 1;
        if ((i = symtab_find(&c->st_terms, (const char *)p, (size_t)(q - p))) != ZF_NOIDX)
            c->m->term_mentioned[i] = 1;
        if ((i = symtab_find(&c->st_rates, (const char *)p, (size_t)(q - p))) != ZF_NOIDX)
            c->m->rates_used[i] = 1;
        p = q;
    }
}

/*
 * Compile attribute `at` of `n` into `out` (code == NULL when absent).
 * A failure becomes a diagnostic positioned inside the attribute value.
 */
static void compile_expr(ck *c, zf__program *out, const xmlNode *n, const char *at,
                         zf_type expect, uint16_t enum_id, int event_allowed) {
    const char *src = zf__xml_attr(n, at);
    zf__expr_scope scope = {
        scope_lookup,  scope_enum_value,   scope_enum_name, c,
        event_allowed, scope_enum_id_name, scope_fact,      scope_where};
    zf__expr_diag diag;
    zf__program prog;
    zf_code rc;

    memset(out, 0, sizeof *out);
    out->enum_id = ZF_NOIDX;
    if (!src)
        return;
    memset(&prog, 0, sizeof prog);
    prog.enum_id = enum_id;
    memset(&diag, 0, sizeof diag);
    c->expr_node = n;
    c->expr_attr = at;
    c->expr_const = 0;
    rc = zf__expr_compile(&prog, src, strlen(src), &scope, expect, &diag);
    if (rc == ZF_ENOMEM) {
        c->m->oom = 1;
        return;
    }
    if (rc != ZF_OK) {
        const char *check = "expr-type";
        if (rc == ZF_EPARSE)
            check = "expr-syntax";
        else if (!strncmp(diag.message, "unknown ", 8))
            check = "unknown-name";
        zf__expr_free(&prog);
        mark_names(c, src);
        {
            int line, col;
            zf__load_attrpos(c->x, n, at, diag.offset, &line, &col);
            zf__diag_add(c->dc, ZF_SEVERITY_ERROR, ZF_ESEMANTIC, check, line, col,
                         "%s in %s",
                         diag.message[0] ? diag.message : "invalid expression", at);
            if (c->dc->oom)
                c->m->oom = 1;
        }
        return;
    }
    /* Move the code into the arena: the definition is freed at once. */
    *out = prog;
    out->code = alloc(c, prog.len ? prog.len : 1);
    if (out->code) {
        memcpy(out->code, prog.code, prog.len);
        if (prog.source && prog.source >= (const char *)prog.code &&
            prog.source < (const char *)prog.code + prog.len)
            out->source =
                (const char *)out->code + (prog.source - (const char *)prog.code);
        else
            out->source = sdup(c, src);
    }
    zf__expr_free(&prog);
    if (!out->code)
        memset(out, 0, sizeof *out);
}

/* ------------------------------------------------------------------------ */
/* Declarations */

static const struct {
    const char *name;
    zf_type type;
} builtin_types[] = {
    {"bool", ZF_TYPE_BOOL}, {"int", ZF_TYPE_INT},           {"money", ZF_TYPE_MONEY},
    {"date", ZF_TYPE_DATE}, {"duration", ZF_TYPE_DURATION}, {"string", ZF_TYPE_STRING},
};

/* Resolve a type name; 0 on success. */
static int resolve_type(ck *c, const xmlNode *n, const char *name, zf_type *type,
                        uint16_t *enum_id) {
    uint16_t e;
    *enum_id = ZF_NOIDX;
    *type = ZF_TYPE_VOID;
    if (!name)
        return -1;
    for (size_t i = 0; i < ZF__ARRAY_SIZE(builtin_types); i++)
        if (!strcmp(name, builtin_types[i].name)) {
            *type = builtin_types[i].type;
            return 0;
        }
    e = symtab_find(&c->st_enums, name, strlen(name));
    if (e != ZF_NOIDX) {
        *type = ZF_TYPE_ENUM;
        *enum_id = e;
        return 0;
    }
    error(c, n, "type", "unknown-type",
          "unknown type '%s' (not a built-in type or a declared enumeration)", name);
    return -1;
}

static void dup_error(ck *c, const xmlNode *n, const char *what, const char *id,
                      const xmlNode *first) {
    error(c, n, "id", "duplicate-id", "duplicate %s id '%s' (first declared at line %d)",
          what, id, line_of(c, first));
}

static void declare_enum(ck *c, const xmlNode *n) {
    zf__model *m = c->m;
    uint16_t idx = (uint16_t)m->nenums, dup;
    zf__enum *e = &m->enums[idx];
    size_t nv = 0, k = 0;
    const char **values;

    e->id = sdup(c, zf__xml_attr(n, "id"));
    m->enum_node[idx] = n;
    m->nenums++;
    if (!e->id)
        return;
    if ((dup = symtab_add(&c->st_enums, e->id, idx)) != ZF_NOIDX)
        dup_error(c, n, "enumeration", e->id, m->enum_node[dup]);
    e->basis = basis_of(c, n);
    FOR_CHILDREN(v, n) if (is_el(v, "value")) nv++;
    values = alloc(c, (nv ? nv : 1) * sizeof *values);
    e->value_basis = alloc(c, (nv ? nv : 1) * sizeof *e->value_basis);
    if (!values || !e->value_basis)
        return;
    nameset seen = {{NULL, NULL, 0}, 0};
    FOR_CHILDREN(v, n) {
        const char *id = zf__xml_attr(v, "id");
        if (!is_el(v, "value") || !id)
            continue;
        if (nameset_repeat(&seen, nv, id, &c->m->oom)) {
            error(c, v, "id", "duplicate-id", "duplicate value '%s' in enumeration '%s'",
                  id, e->id);
            continue;
        }
        if (!(values[k] = sdup(c, id))) {
            nameset_free(&seen);
            return;
        }
        e->value_basis[k] = basis_of(c, v);
        k++;
    }
    nameset_free(&seen);
    e->values = values;
    e->nvalues = (uint16_t)k;
}

static zf_code parse_value(ck *c, const xmlNode *n, const char *at, const char *text,
                           zf_type type, uint16_t enum_id, zf_value *out) {
    zf_error err;
    const char *check = "invalid-value";
    zf_error_clear(&err);
    if (type == ZF_TYPE_ENUM) {
        int v = scope_enum_value(c, enum_id, text, strlen(text));
        if (v < 0) {
            error(c, n, at, "unknown-enum-value",
                  "'%s' is not a value of enumeration '%s'", text,
                  c->m->enums[enum_id].id);
            return ZF_ESEMANTIC;
        }
        out->type = ZF_TYPE_ENUM;
        out->as.s = c->m->enums[enum_id].values[v];
        out->enum_index = v;
        return ZF_OK;
    }
    if (zf_value_parse(out, type, text, &err) == ZF_OK)
        return ZF_OK;
    if (type == ZF_TYPE_DATE)
        check = "invalid-date";
    else if (type == ZF_TYPE_DURATION)
        check = "invalid-duration";
    error(c, n, at, check, "in %s: %s", at, err.message);
    return ZF_ESEMANTIC;
}

static void declare_var(ck *c, const xmlNode *n) {
    zf__model *m = c->m;
    uint16_t idx = (uint16_t)m->nvars, dup;
    zf__var *v = &m->vars[idx];
    const char *dflt;

    m->var_node[idx] = n;
    m->nvars++;
    v->id = sdup(c, zf__xml_attr(n, "id"));
    v->title = sdup(c, zf__xml_attr(n, "title"));
    v->required = is_true(zf__xml_attr(n, "required"));
    v->basis = basis_of(c, n);
    v->pos = posof(c, n);
    v->enum_id = ZF_NOIDX;
    if (!v->id)
        return;
    if ((dup = symtab_add(&c->st_vars, v->id, idx)) != ZF_NOIDX)
        dup_error(c, n, "variable", v->id, m->var_node[dup]);
    if (resolve_type(c, n, zf__xml_attr(n, "type"), &v->type, &v->enum_id) < 0)
        return;
    if ((dflt = zf__xml_attr(n, "default")) != NULL) {
        const char *copy = sdup(c, dflt);
        if (copy &&
            parse_value(c, n, "default", copy, v->type, v->enum_id, &v->dflt) == ZF_OK)
            v->has_default = 1;
    }
}

static void declare_role(ck *c, const xmlNode *n) {
    zf__model *m = c->m;
    uint16_t idx = (uint16_t)m->nroles, dup;
    zf__role *r = &m->roles[idx];
    m->role_node[idx] = n;
    m->nroles++;
    r->id = sdup(c, zf__xml_attr(n, "id"));
    r->title = sdup(c, zf__xml_attr(n, "title"));
    r->basis = basis_of(c, n);
    if (r->id && (dup = symtab_add(&c->st_roles, r->id, idx)) != ZF_NOIDX)
        dup_error(c, n, "role", r->id, m->role_node[dup]);
}

/* A space-separated role list as a mask; unknown roles are errors. */
static uint32_t role_mask(ck *c, const xmlNode *n, const char *at) {
    const char *s = zf__xml_attr(n, at), *p;
    uint32_t mask = 0;
    if (!s)
        return 0;
    for (p = s; *p;) {
        size_t len;
        uint16_t r;
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
            p++;
        if (!*p)
            break;
        for (len = 0; p[len] && p[len] != ' ' && p[len] != '\t' && p[len] != '\n' &&
                      p[len] != '\r';
             len++)
            ;
        r = symtab_find(&c->st_roles, p, len);
        if (r == ZF_NOIDX) {
            int line, col, chars = 0;
            /* At the token: its offset in characters (code points) into the value. */
            for (const char *q = s; q < p; q++)
                chars += ((unsigned char)*q & 0xc0) != 0x80;
            zf__load_attrpos(c->x, n, at, chars, &line, &col);
            zf__diag_add(c->dc, ZF_SEVERITY_ERROR, ZF_ESEMANTIC, "unknown-role", line,
                         col, "role '%.*s' is not declared", (int)(len > 100 ? 100 : len),
                         p);
        } else if (r < ZF_MAX_ROLES) {
            mask |= 1u << r;
        }
        p += len;
    }
    return mask;
}

static int reserved_event(const char *id) {
    return !strncmp(id, "expired.", 8) || !strncmp(id, "done.", 5);
}

static void declare_event(ck *c, const xmlNode *n) {
    zf__model *m = c->m;
    uint16_t idx = (uint16_t)m->nevents, dup;
    zf__event *e = &m->events[idx];
    size_t np = 0, k = 0;
    zf__param *params;

    m->event_node[idx] = n;
    m->nevents++;
    e->id = sdup(c, zf__xml_attr(n, "id"));
    e->title = sdup(c, zf__xml_attr(n, "title"));
    e->kind =
        is_true(zf__xml_attr(n, "internal")) ? ZF_EVENT_INTERNAL : ZF_EVENT_EXTERNAL;
    e->roles = role_mask(c, n, "roles");
    e->source = ZF_NOIDX;
    e->basis = basis_of(c, n);
    e->pos = posof(c, n);
    if (!e->id)
        return;
    if (reserved_event(e->id))
        error(c, n, "id", "reserved-event",
              "event id '%s' is reserved: 'expired.' and 'done.' name implicit events",
              e->id);
    if ((dup = symtab_add(&c->st_events, e->id, idx)) != ZF_NOIDX)
        dup_error(c, n, "event", e->id, m->event_node[dup]);
    FOR_CHILDREN(p, n) if (is_el(p, "param")) np++;
    params = alloc(c, (np ? np : 1) * sizeof *params);
    if (!params)
        return;
    nameset seen = {{NULL, NULL, 0}, 0};
    FOR_CHILDREN(p, n) {
        zf__param *pa;
        if (!is_el(p, "param") || !zf__xml_attr(p, "id"))
            continue;
        if (nameset_repeat(&seen, np, zf__xml_attr(p, "id"), &c->m->oom)) {
            error(c, p, "id", "duplicate-id", "duplicate parameter '%s' of event '%s'",
                  zf__xml_attr(p, "id"), e->id);
            continue;
        }
        pa = &params[k];
        if (!(pa->id = sdup(c, zf__xml_attr(p, "id")))) {
            nameset_free(&seen);
            return;
        }
        pa->required = is_true(zf__xml_attr(p, "required"));
        pa->basis = basis_of(c, p);
        resolve_type(c, p, zf__xml_attr(p, "type"), &pa->type, &pa->enum_id);
        k++;
    }
    nameset_free(&seen);
    e->params = params;
    e->nparams = (uint16_t)k;
}

/* "12.50" -> 1250; the schema guarantees the shape. */
static int64_t parse_cents(const char *s) {
    int64_t v = 0;
    int frac = -1;
    for (; *s; s++) {
        if (*s == '.') {
            frac = 0;
            continue;
        }
        if (*s < '0' || *s > '9')
            break;
        if (frac >= 0) {
            if (frac == 2)
                break;
            frac++;
        }
        v = v * 10 + (*s - '0');
    }
    if (frac < 0)
        frac = 0;
    while (frac++ < 2)
        v *= 10;
    return v;
}

/* A version of a rate table with its place in the document, for sorting. */
typedef struct version_at {
    zf__rate_version rv;
    const xmlNode *node;
    const char *from;
    size_t pos;
} version_at;

static int version_cmp(const void *pa, const void *pb) {
    const version_at *a = pa, *b = pb;
    if (a->rv.valid_from != b->rv.valid_from)
        return a->rv.valid_from < b->rv.valid_from ? -1 : 1;
    return a->pos < b->pos ? -1 : a->pos > b->pos;
}

static void declare_rates(ck *c, const xmlNode *n) {
    zf__model *m = c->m;
    uint16_t idx = (uint16_t)m->nrates, dup;
    zf__rate_table *t = &m->rates[idx];
    size_t nv = 0, k = 0;
    zf__rate_version *versions;
    version_at *order;

    m->rate_node[idx] = n;
    m->nrates++;
    t->id = sdup(c, zf__xml_attr(n, "id"));
    t->basis = basis_of(c, n);
    if (t->id && (dup = symtab_add(&c->st_rates, t->id, idx)) != ZF_NOIDX)
        dup_error(c, n, "rate table", t->id, m->rate_node[dup]);
    FOR_CHILDREN(v, n) if (is_el(v, "version")) nv++;
    versions = alloc(c, (nv ? nv : 1) * sizeof *versions);
    order = zf__malloc((nv ? nv : 1) * sizeof *order);
    if (!versions || !order) {
        zf__free(order);
        m->oom |= !order;
        return;
    }
    FOR_CHILDREN(v, n) {
        zf__rate_version rv;
        zf__rate_tier *tiers;
        size_t nt = 0, j = 0;
        const char *from = zf__xml_attr(v, "from");
        zf_error err;
        if (!is_el(v, "version") || !from)
            continue;
        memset(&rv, 0, sizeof rv);
        zf_error_clear(&err);
        if (zf_date_parse(&rv.valid_from, from, &err) != ZF_OK) {
            error(c, v, "from", "invalid-date", "in from: %s", err.message);
            continue;
        }
        rv.basis = basis_of(c, v);
        FOR_CHILDREN(tr, v) if (is_el(tr, "tier")) nt++;
        tiers = alloc(c, (nt ? nt : 1) * sizeof *tiers);
        if (!tiers) {
            zf__free(order);
            return;
        }
        FOR_CHILDREN(tr, v) {
            const char *days = zf__xml_attr(tr, "days"),
                       *amount = zf__xml_attr(tr, "amount");
            if (!is_el(tr, "tier") || !days || !amount)
                continue;
            tiers[j].days = (int32_t)strtol(days, NULL, 10);
            tiers[j].cents = parse_cents(amount);
            j++;
        }
        rv.tiers = tiers;
        rv.ntiers = (uint16_t)j;
        order[k].rv = rv;
        order[k].node = v;
        order[k].from = from;
        order[k].pos = k;
        k++;
    }
    /* Sorted by date (then document order); the same date again is an error. */
    qsort(order, k, sizeof *order, version_cmp);
    nv = 0;
    for (size_t i = 0; i < k; i++) {
        if (nv && versions[nv - 1].valid_from == order[i].rv.valid_from) {
            error(c, order[i].node, "from", "duplicate-id",
                  "duplicate version from %s in rate table '%s'", order[i].from,
                  t->id ? t->id : "?");
            continue;
        }
        versions[nv++] = order[i].rv;
    }
    k = nv;
    zf__free(order);
    t->versions = versions;
    t->nversions = (uint16_t)k;
}

/* The party of a term as the definition keeps it: one of the schema's values
 * (schemas/process.xsd `party`, xs:token: surrounding white space allowed) as a
 * string of the library, so that equal parties are the same pointer. */
static const char *term_party(ck *c, const char *v) {
    static const char *const parties[] = {"bestuursorgaan", "belanghebbende", "partijen",
                                          "rechter", "toezichthouder"};
    size_t n;
    if (!v)
        return NULL;
    while (*v == ' ' || *v == '\t' || *v == '\n' || *v == '\r')
        v++;
    for (n = strlen(v); n && (v[n - 1] == ' ' || v[n - 1] == '\t' || v[n - 1] == '\n' ||
                              v[n - 1] == '\r');
         n--)
        ;
    for (size_t i = 0; i < ZF__ARRAY_SIZE(parties); i++)
        if (strlen(parties[i]) == n && !strncmp(parties[i], v, n))
            return parties[i];
    return sdup(c, v); /* not reached after schema validation */
}

/* A term: its declaration now, its expressions once every name is known. */
static void declare_term(ck *c, const xmlNode *n, uint16_t scope) {
    zf__model *m = c->m;
    uint16_t idx = (uint16_t)m->nterms, dup;
    zf__termdef *t = &m->terms[idx];
    const char *v;

    m->term_node[idx] = n;
    m->nterms++;
    t->id = sdup(c, zf__xml_attr(n, "id"));
    t->title = sdup(c, zf__xml_attr(n, "title"));
    t->scope = scope;
    t->manual = (v = zf__xml_attr(n, "start")) && !strcmp(v, "manual");
    t->state = t->manual ? ZF_NOIDX : scope;
    t->atw = (v = zf__xml_attr(n, "atw")) && !strcmp(v, "off") ? ZF_ATW_OFF : ZF_ATW_AUTO;
    t->suspend_rule = (v = zf__xml_attr(n, "suspend-rule")) && !strcmp(v, "inclusive")
                          ? ZF_SUSPEND_INCLUSIVE
                          : ZF_SUSPEND_EXCLUSIVE;
    t->extend_rule = (v = zf__xml_attr(n, "extend-rule")) && !strcmp(v, "total")
                         ? ZF_EXTEND_TOTAL
                         : ZF_EXTEND_FROM_END;
    v = zf__xml_attr(n, "calendar");
    t->calendar =
        v ? (!strcmp(v, "none") ? zf_calendar_none() : zf_calendar_atw()) : m->calendar;
    if (!t->calendar)
        m->oom = 1;
    t->expiry_event = ZF_NOIDX;
    t->party = term_party(c, zf__xml_attr(n, "party"));
    t->basis = basis_of(c, n);
    t->pos = posof(c, n);
    if (t->id && (dup = symtab_add(&c->st_terms, t->id, idx)) != ZF_NOIDX)
        dup_error(c, n, "term", t->id, m->term_node[dup]);
}

/* ------------------------------------------------------------------------ */
/* States */

static zf__action_kind action_kind(const xmlNode *n) {
    static const struct {
        const char *name;
        zf__action_kind kind;
    } k[] = {{"assign", ZF_ACT_ASSIGN},   {"raise", ZF_ACT_RAISE},
             {"start", ZF_ACT_START},     {"stop", ZF_ACT_STOP},
             {"suspend", ZF_ACT_SUSPEND}, {"resume", ZF_ACT_RESUME},
             {"extend", ZF_ACT_EXTEND},   {"notify", ZF_ACT_NOTIFY},
             {"spawn", ZF_ACT_SPAWN},     {"log", ZF_ACT_LOG}};
    for (size_t i = 0; i < ZF__ARRAY_SIZE(k); i++)
        if (!strcmp((const char *)n->name, k[i].name))
            return k[i].kind;
    return ZF_ACT_LOG;
}

/* Append the actions below `parent` (an onentry, onexit or transition). */
static void add_actions(ck *c, const xmlNode *parent) {
    FOR_CHILDREN(a, parent) {
        if (!is_action_el(a))
            continue;
        c->m->actions[c->m->nactions].kind = action_kind(a);
        c->m->actions[c->m->nactions].pos = posof(c, a);
        c->m->action_node[c->m->nactions] = a;
        c->m->nactions++;
    }
}

static void add_state(ck *c, const xmlNode *n, uint16_t parent, uint16_t depth) {
    zf__model *m = c->m;
    uint16_t idx = (uint16_t)m->nstates, dup;
    zf__state *s = &m->states[idx];
    int has_children = 0;

    m->state_node[idx] = n;
    m->nstates++;
    s->parent = parent;
    s->depth = depth;
    s->initial = ZF_NOIDX;
    s->pos = posof(c, n);
    s->doc = doc_of(c, n);
    FOR_CHILDREN(k, n) if (is_state_el(k)) has_children = 1;
    if (parent == ZF_NOIDX) {
        s->id = m->id;
        s->title = m->title;
        s->basis = m->basis;
        s->kind = ZF_STATE_COMPOUND;
    } else {
        s->id = sdup(c, zf__xml_attr(n, "id"));
        s->title = sdup(c, zf__xml_attr(n, "title"));
        s->basis = basis_of(c, n);
        s->outcome = sdup(c, zf__xml_attr(n, "outcome"));
        if (is_el(n, "final"))
            s->kind = ZF_STATE_FINAL;
        else if (is_el(n, "parallel"))
            s->kind = ZF_STATE_PARALLEL;
        else
            s->kind = has_children ? ZF_STATE_COMPOUND : ZF_STATE_ATOMIC;
    }
    if (s->id && (dup = symtab_add(&c->st_states, s->id, idx)) != ZF_NOIDX) {
        if (dup == 0)
            error(c, n, "id", "duplicate-id", "state id '%s' is the id of the process",
                  s->id);
        else
            dup_error(c, n, "state", s->id, m->state_node[dup]);
    }

    if (parent != ZF_NOIDX) {
        FOR_CHILDREN(k, n) if (is_el(k, "term")) declare_term(c, k, idx);
        s->entry_first = (uint32_t)m->nactions;
        FOR_CHILDREN(k, n) if (is_el(k, "onentry")) add_actions(c, k);
        s->nentry = (uint32_t)m->nactions - s->entry_first;
        s->exit_first = (uint32_t)m->nactions;
        FOR_CHILDREN(k, n) if (is_el(k, "onexit")) add_actions(c, k);
        s->nexit = (uint32_t)m->nactions - s->exit_first;
        s->trans_first = (uint32_t)m->ntrans;
        FOR_CHILDREN(k, n) {
            zf__transition *t;
            if (!is_el(k, "transition"))
                continue;
            t = &m->trans[m->ntrans];
            m->trans_node[m->ntrans] = k;
            m->ntrans++;
            t->source = idx;
            t->event = ZF_NOIDX;
            t->target = ZF_NOIDX;
            t->domain = ZF_NOIDX;
            t->pos = posof(c, k);
            t->action_first = (uint32_t)m->nactions;
            add_actions(c, k);
            t->naction = (uint32_t)m->nactions - t->action_first;
        }
        s->ntrans = (uint32_t)m->ntrans - s->trans_first;
    } else {
        s->entry_first = s->exit_first = s->trans_first = (uint32_t)m->nactions;
    }
    FOR_CHILDREN(k, n) {
        if (!is_state_el(k))
            continue;
        if (m->nstates >= ZF_MAX_STATES)
            break; /* reported by the caller */
        add_state(c, k, idx, (uint16_t)(depth + 1));
    }
    m->states[idx].ndesc = (uint16_t)(m->nstates - idx - 1);
}

static void resolve_initial(ck *c, uint16_t idx) {
    zf__model *m = c->m;
    zf__state *s = &m->states[idx];
    const xmlNode *n = m->state_node[idx];
    const char *init =
        is_el(n, "parallel") || is_el(n, "final") ? NULL : zf__xml_attr(n, "initial");
    uint16_t first = ZF_NOIDX, found = ZF_NOIDX, any;

    for (uint16_t k = (uint16_t)(idx + 1); k <= idx + s->ndesc;
         k += m->states[k].ndesc + 1) {
        if (first == ZF_NOIDX)
            first = k;
        if (init && m->states[k].id && !strcmp(m->states[k].id, init))
            found = k;
    }
    if (!init) {
        if (s->kind == ZF_STATE_COMPOUND)
            s->initial = first;
        return;
    }
    if (found != ZF_NOIDX) {
        s->initial = found;
        return;
    }
    any = symtab_find(&c->st_states, init, strlen(init));
    if (any == ZF_NOIDX || any == 0)
        error(c, n, "initial", "unknown-initial", "initial state '%s' is not defined",
              init);
    else if (idx == 0)
        error(c, n, "initial", "initial-not-child",
              "initial state '%s' is not a top-level state of the process", init);
    else
        error(c, n, "initial", "initial-not-child",
              "initial state '%s' is not a child of state '%s'", init, s->id);
    s->initial = s->kind == ZF_STATE_COMPOUND ? first : ZF_NOIDX;
}

/* ------------------------------------------------------------------------ */
/* Transitions and actions */

static void trans_context(ck *c, size_t t, char *buf, size_t cap) {
    const char *ev = zf__xml_attr(c->m->trans_node[t], "event");
    if (ev)
        snprintf(buf, cap, "in transition on '%s' (line %d): ", ev,
                 c->m->trans[t].pos.line);
    else
        snprintf(buf, cap,
                 "in eventless transition (line %d): ", c->m->trans[t].pos.line);
}

/* Resolve an event name to its interned index, reporting unknown ones. */
static uint16_t resolve_event(ck *c, const xmlNode *n, const char *at, const char *ctx) {
    const char *name = zf__xml_attr(n, at);
    uint16_t e;
    if (!name)
        return ZF_NOIDX;
    e = symtab_find(&c->st_events, name, strlen(name));
    if (e != ZF_NOIDX) {
        c->m->event_used[e] = 1;
        return e;
    }
    if (!strncmp(name, "expired.", 8))
        error(c, n, at, "undeclared-event",
              "%sevent '%s' is not declared: there is no term '%s'", ctx, name, name + 8);
    else if (!strncmp(name, "done.state.", 11)) {
        uint16_t s = symtab_find(&c->st_states, name + 11, strlen(name + 11));
        if (s == ZF_NOIDX)
            error(c, n, at, "undeclared-event",
                  "%sevent '%s' is not declared: there is no state '%s'", ctx, name,
                  name + 11);
        else
            error(c, n, at, "undeclared-event",
                  "%sevent '%s' is not declared: state '%s' is not compound or parallel",
                  ctx, name, name + 11);
    } else
        error(c, n, at, "undeclared-event", "%sevent '%s' is not declared", ctx, name);
    return ZF_NOIDX;
}

static uint16_t resolve_term(ck *c, const xmlNode *n) {
    const char *name = zf__xml_attr(n, "term");
    uint16_t t;
    if (!name)
        return ZF_NOIDX;
    t = symtab_find(&c->st_terms, name, strlen(name));
    if (t == ZF_NOIDX)
        error(c, n, "term", "unknown-term", "term '%s' is not declared", name);
    return t;
}

static void resolve_action(ck *c, size_t i, int in_transition) {
    zf__model *m = c->m;
    zf__action *a = &m->actions[i];
    const xmlNode *n = m->action_node[i];
    const char *v;

    a->target = ZF_NOIDX;
    a->expr.enum_id = ZF_NOIDX;
    a->basis = basis_of(c, n);
    c->cx = CX_ACTION;
    c->cx_index = (uint32_t)i;
    switch (a->kind) {
    case ZF_ACT_ASSIGN: {
        uint16_t var = ZF_NOIDX;
        zf_type type = ZF_TYPE_VOID;
        uint16_t enum_id = ZF_NOIDX;
        if ((v = zf__xml_attr(n, "var")) != NULL) {
            var = symtab_find(&c->st_vars, v, strlen(v));
            if (var == ZF_NOIDX) {
                error(c, n, "var", "unknown-variable", "unknown variable '%s' in assign",
                      v);
            } else {
                m->var_used[var] = 1;
                type = m->vars[var].type;
                enum_id = m->vars[var].enum_id;
            }
        }
        a->target = var;
        compile_expr(c, &a->expr, n, "expr", type, enum_id, in_transition);
        break;
    }
    case ZF_ACT_RAISE:
        a->target = resolve_event(c, n, "event", "");
        break;
    case ZF_ACT_START:
        a->target = resolve_term(c, n);
        compile_expr(c, &a->expr, n, "from", ZF_TYPE_DATE, ZF_NOIDX, in_transition);
        break;
    case ZF_ACT_STOP:
    case ZF_ACT_SUSPEND:
    case ZF_ACT_RESUME:
        a->target = resolve_term(c, n);
        break;
    case ZF_ACT_EXTEND:
        a->target = resolve_term(c, n);
        compile_expr(c, &a->expr, n, "by", ZF_TYPE_DURATION, ZF_NOIDX, in_transition);
        break;
    case ZF_ACT_NOTIFY:
        a->to = sdup(c, zf__xml_attr(n, "to"));
        a->text = sdup(c, zf__xml_attr(n, "text"));
        break;
    case ZF_ACT_LOG:
        a->text = sdup(c, zf__xml_attr(n, "text"));
        break;
    case ZF_ACT_SPAWN: {
        size_t np = 0, k = 0;
        zf__spawn_param *params;
        a->text = sdup(c, zf__xml_attr(n, "process"));
        a->relation = (v = zf__xml_attr(n, "relation")) && !strcmp(v, "deelzaak")
                          ? ZF_REL_DEELZAAK
                          : ZF_REL_VERVOLG;
        FOR_CHILDREN(w, n) if (is_el(w, "with")) np++;
        params = alloc(c, (np ? np : 1) * sizeof *params);
        if (!params)
            return;
        nameset seen = {{NULL, NULL, 0}, 0};
        FOR_CHILDREN(w, n) {
            const char *name = zf__xml_attr(w, "name");
            if (!is_el(w, "with") || !name)
                continue;
            if (nameset_repeat(&seen, np, name, &c->m->oom)) {
                error(c, w, "name", "duplicate-id", "parameter '%s' is passed twice",
                      name);
                continue;
            }
            params[k].name = sdup(c, name);
            params[k].pos = posof(c, w);
            c->with_action = (uint32_t)i;
            c->with_param = (uint16_t)k;
            compile_expr(c, &params[k].value, w, "expr", ZF_TYPE_VOID, ZF_NOIDX,
                         in_transition);
            c->with_action = UINT32_MAX;
            k++;
        }
        nameset_free(&seen);
        a->params = params;
        a->nparams = (uint16_t)k;
        break;
    }
    }
}

static void resolve_transition(ck *c, size_t i) {
    zf__model *m = c->m;
    zf__transition *t = &m->trans[i];
    const xmlNode *n = m->trans_node[i];
    const char *target = zf__xml_attr(n, "target"), *type = zf__xml_attr(n, "type");
    char ctx[160];

    trans_context(c, i, ctx, sizeof ctx);
    if (m->states[t->source].kind == ZF_STATE_FINAL)
        error(c, n, NULL, "final-transition", "final state '%s' cannot have transitions",
              m->states[t->source].id ? m->states[t->source].id : "?");
    if (zf__xml_attr(n, "event")) {
        t->event = resolve_event(c, n, "event", ctx);
        if (t->event == ZF_NOIDX)
            c->trans_bad_event[i] = 1;
    }
    t->internal = type && !strcmp(type, "internal");
    t->roles = role_mask(c, n, "roles");
    t->title = sdup(c, zf__xml_attr(n, "title"));
    t->basis = basis_of(c, n);
    if (target) {
        c->trans_has_target[i] = 1;
        t->target = symtab_find(&c->st_states, target, strlen(target));
        if (t->target == 0)
            t->target = ZF_NOIDX; /* the process itself is not a target */
        if (t->target == ZF_NOIDX)
            error(c, n, "target", "unknown-target", "%starget state '%s' is not defined",
                  ctx, target);
    }
    c->cur_event = t->event;
    c->cx = CX_COND;
    c->cx_index = (uint32_t)i;
    c->cond_trans = (int)i;
    c->fact_first[i] = (uint32_t)c->nfacts;
    c->fact_count[i] = 0;
    compile_expr(c, &t->cond, n, "cond", ZF_TYPE_BOOL, ZF_NOIDX, 1);
    c->cond_trans = -1;
    for (uint32_t k = t->action_first; k < t->action_first + t->naction; k++)
        resolve_action(c, k, 1);
    c->cur_event = ZF_NOIDX;
    c->cx = CX_NONE;
}

/* A string literal a spawn's <with> can pass: kept for the checks across files. */
static void with_literal(ck *c, const zf__expr_fact *f) {
    zf__model *m = c->m;
    struct zf__with_literal *w;
    if (ZF__GROW(m->with_literals, m->awith_literals, m->nwith_literals + 1, 16)) {
        m->oom = 1;
        return;
    }
    w = &m->with_literals[m->nwith_literals];
    w->action = c->with_action;
    w->param = c->with_param;
    w->all = f->all;
    w->text = zf__arena_strndup(&m->arena, f->text, f->len);
    if (!w->text) {
        m->oom = 1;
        return;
    }
    zf__load_attrpos(c->x, c->expr_node, "expr", f->offset, &w->line, &w->column);
    m->nwith_literals++;
}

/* A duration literal the length of a term can be: it must be positive. */
static void length_literal(ck *c, const zf__expr_fact *f) {
    const zf__termdef *t = &c->m->terms[c->length_term];
    int line, col;
    if (f->value > 0)
        return;
    zf__load_attrpos(c->x, c->expr_node, "length", f->offset, &line, &col);
    zf__diag_add(c->dc, ZF_SEVERITY_ERROR, ZF_ESEMANTIC, "term-length", line, col,
                 "term '%s' would have length %.*s: a term must last at least a day, "
                 "or its last day comes before it starts",
                 t->id ? t->id : "?", (int)(f->len > 20 ? 20 : f->len), f->text);
    c->length_bad = 1;
}

static void resolve_term_exprs(ck *c, size_t i) {
    zf__termdef *t = &c->m->terms[i];
    const xmlNode *n = c->m->term_node[i];
    c->cx = CX_TERM;
    c->cx_index = (uint32_t)i;
    compile_expr(c, &t->from, n, "from", ZF_TYPE_DATE, ZF_NOIDX, 0);
    c->length_term = (uint16_t)i;
    c->length_bad = 0;
    compile_expr(c, &t->length, n, "length", ZF_TYPE_DURATION, ZF_NOIDX, 0);
    c->length_term = ZF_NOIDX;
    c->cx = CX_NONE;
    if (c->expr_const && !c->length_bad && t->length.code) {
        /* A length that reads nothing has one value: it must be positive too. */
        zf__eval_ctx ec;
        zf_value v;
        zf_error err;
        memset(&ec, 0, sizeof ec);
        ec.event_date = ZF_DATE_NONE;
        ec.today = ZF_DATE_NONE;
        zf_error_clear(&err);
        if (zf__expr_eval(&t->length, &ec, &v, &err) != ZF_OK)
            error(c, n, "length", "term-length", "term '%s': %s", t->id ? t->id : "?",
                  err.message);
        else if (v.type == ZF_TYPE_DURATION && v.as.dur.n <= 0)
            error(c, n, "length", "term-length",
                  "term '%s' would have length %s: a term must last at least a day, or "
                  "its last day comes before it starts",
                  t->id ? t->id : "?", t->length.source ? t->length.source : "0");
    }
}

/* Intern expired.<term> and done.state.<id> after the declared events. */
static void intern_implicit_events(ck *c) {
    zf__model *m = c->m;
    for (size_t i = 0; i < m->nterms; i++) {
        zf__event *e = &m->events[m->nevents];
        char *name;
        size_t len;
        if (!m->terms[i].id)
            continue;
        len = strlen(m->terms[i].id);
        if (!(name = alloc(c, len + 9)))
            return;
        memcpy(name, "expired.", 8);
        memcpy(name + 8, m->terms[i].id, len + 1);
        e->id = name;
        e->kind = ZF_EVENT_EXPIRY;
        e->source = (uint16_t)i;
        e->pos = m->terms[i].pos;
        if (symtab_add(&c->st_events, name, (uint16_t)m->nevents) != ZF_NOIDX)
            continue; /* a duplicate term: the first one has the event */
        m->terms[i].expiry_event = (uint16_t)m->nevents;
        m->nevents++;
    }
    for (size_t i = 1; i < m->nstates; i++) {
        zf__event *e = &m->events[m->nevents];
        char *name;
        size_t len;
        if (!m->states[i].id || (m->states[i].kind != ZF_STATE_COMPOUND &&
                                 m->states[i].kind != ZF_STATE_PARALLEL))
            continue;
        len = strlen(m->states[i].id);
        if (!(name = alloc(c, len + 12)))
            return;
        memcpy(name, "done.state.", 11);
        memcpy(name + 11, m->states[i].id, len + 1);
        e->id = name;
        e->kind = ZF_EVENT_DONE;
        e->source = (uint16_t)i;
        e->pos = m->states[i].pos;
        if (symtab_add(&c->st_events, name, (uint16_t)m->nevents) != ZF_NOIDX)
            continue;
        m->nevents++;
    }
}

/* ------------------------------------------------------------------------ */
/* Warnings */

/* Whether `i` holds the first declaration of `id`: duplicates get no warnings. */
static int canonical(const symtab *t, const char *id, size_t i) {
    return id && symtab_find(t, id, strlen(id)) == i;
}

/* States reachable from the initial configuration: a worklist over states, each
 * state's transitions visited once (linear in states, transitions and entry sets). */
static void warn_unreachable(ck *c) {
    zf__model *m = c->m;
    uint8_t *r = zf__calloc(m->nstates, 1);
    uint16_t *work = zf__malloc((m->nstates ? m->nstates : 1) * sizeof *work);
    size_t nwork = 0;
    if (!r || !work) {
        zf__free(r);
        zf__free(work);
        m->oom = 1;
        return;
    }
#define REACH(s)                                                                         \
    do {                                                                                 \
        if (!r[s]) {                                                                     \
            r[s] = 1;                                                                    \
            work[nwork++] = (s);                                                         \
        }                                                                                \
    } while (0)
    REACH(0);
    for (uint32_t k = 0; k < m->states[0].ninit; k++)
        REACH(m->pool[m->states[0].init_first + k]);
    while (nwork) {
        const zf__state *st = &m->states[work[--nwork]];
        for (uint32_t i = st->trans_first; i < st->trans_first + st->ntrans; i++) {
            const zf__transition *t = &m->trans[i];
            if (t->target == ZF_NOIDX)
                continue;
            for (uint32_t k = 0; k < t->nentry; k++)
                REACH(m->pool[t->entry_first + k]);
        }
    }
#undef REACH
    for (size_t i = 1; i < m->nstates; i++)
        if (!r[i] && r[m->states[i].parent] &&
            canonical(&c->st_states, m->states[i].id, i))
            warning(c, m->state_node[i], "id", "unreachable-state",
                    "state '%s' is unreachable", m->states[i].id);
    zf__free(r);
    zf__free(work);
}

/* An atomic state has a way out when it or an ancestor has a transition with a
 * target: computed once per state from its parent (states are in pre-order). */
static void warn_no_way_out(ck *c) {
    zf__model *m = c->m;
    uint8_t *out = zf__calloc(m->nstates ? m->nstates : 1, 1);
    if (!out) {
        m->oom = 1;
        return;
    }
    for (size_t i = 0; i < m->nstates; i++) {
        const zf__state *st = &m->states[i];
        if (i && st->parent != ZF_NOIDX && st->parent < i)
            out[i] = out[st->parent];
        for (uint32_t k = 0; k < st->ntrans && !out[i]; k++)
            if (c->trans_has_target[st->trans_first + k])
                out[i] = 1;
    }
    for (size_t i = 1; i < m->nstates; i++)
        if (m->states[i].kind == ZF_STATE_ATOMIC && !out[i] &&
            canonical(&c->st_states, m->states[i].id, i))
            warning(c, m->state_node[i], "id", "no-way-out",
                    "state '%s' is not final but no transition leaves it",
                    m->states[i].id);
    zf__free(out);
}

/* A transition after one on the same event in the same state without cond or
 * roles can never fire. One pass per state: `first[e]` is the first such
 * transition on event e so far (index + 1; the last slot is for eventless ones),
 * and `seen` lists the slots set, to clear them for the next state. */
static void warn_shadowed(ck *c) {
    zf__model *m = c->m;
    size_t nslots = (size_t)m->nevents + 1;
    uint32_t *first = zf__calloc(nslots, sizeof *first);
    size_t *seen = zf__malloc(nslots * sizeof *seen), nseen;
    if (!first || !seen) {
        zf__free(first);
        zf__free(seen);
        m->oom = 1;
        return;
    }
    for (size_t s = 1; s < m->nstates; s++) {
        const zf__state *st = &m->states[s];
        nseen = 0;
        for (uint32_t j = st->trans_first; j < st->trans_first + st->ntrans; j++) {
            const zf__transition *t = &m->trans[j];
            size_t slot;
            if (c->trans_bad_event[j])
                continue;
            slot = t->event == ZF_NOIDX ? nslots - 1 : t->event;
            if (slot >= nslots)
                continue;
            if (first[slot]) {
                const zf__transition *a = &m->trans[first[slot] - 1];
                if (t->event == ZF_NOIDX)
                    warning(c, m->trans_node[j], NULL, "shadowed-transition",
                            "eventless transition can never fire: the eventless "
                            "transition at "
                            "line %d in the same state has no cond",
                            a->pos.line);
                else
                    warning(c, m->trans_node[j], NULL, "shadowed-transition",
                            "transition on '%s' can never fire: the transition on it at "
                            "line %d "
                            "in the same state has no cond",
                            m->events[a->event].id, a->pos.line);
            } else if (!zf__xml_attr(m->trans_node[j], "cond") && !t->roles) {
                first[slot] = j + 1;
                seen[nseen++] = slot;
            }
        }
        for (size_t k = 0; k < nseen; k++)
            first[seen[k]] = 0;
    }
    zf__free(first);
    zf__free(seen);
}

static void check_expiry_handlers(ck *c, uint8_t *live);

static void warn_unused_and_basis(ck *c) {
    zf__model *m = c->m;
    uint8_t *live = zf__calloc(m->nterms + 1, 1);
    if (!live) {
        m->oom = 1;
        return;
    }
    check_expiry_handlers(c, live);
    for (size_t i = 0; i < m->ndeclared_events; i++)
        if (!m->event_used[i] && canonical(&c->st_events, m->events[i].id, i))
            warning(c, m->event_node[i], "id", "unused-event",
                    "event '%s' is declared but never used", m->events[i].id);
    for (size_t i = 0; i < m->nvars; i++)
        if (!m->var_used[i] && canonical(&c->st_vars, m->vars[i].id, i))
            warning(c, m->var_node[i], "id", "unused-variable",
                    "variable '%s' is declared but never used", m->vars[i].id);
    for (size_t i = 0; i < m->nterms; i++) {
        const zf__termdef *t = &m->terms[i];
        if (!canonical(&c->st_terms, t->id, i))
            continue;
        if (!t->basis)
            warning(c, m->term_node[i], "id", "missing-basis",
                    "term '%s' has no legal basis", t->id);
        if (!t->party)
            warning(c, m->term_node[i], "id", "missing-party",
                    "term '%s' does not say who must act (party)", t->id);
        if (!m->term_mentioned[i] && !live[i])
            warning(
                c, m->term_node[i], "id", "unhandled-expiry",
                "nothing handles the expiry of term '%s': no transition on 'expired.%s' "
                "and no expression mentions it",
                t->id, t->id);
    }
    for (size_t i = 0; i < m->nrates; i++)
        if (!m->rates[i].basis && canonical(&c->st_rates, m->rates[i].id, i))
            warning(c, m->rate_node[i], "id", "missing-basis",
                    "rate table '%s' has no legal basis", m->rates[i].id);
    zf__free(live);
}

/* ------------------------------------------------------------------------ */
/* Definedness across the statechart (docs/expressions.md, "Values that may be unset") */

/*
 * Variables are never unset again once assigned. For every state, the
 * variables certainly assigned whenever it is entered: the intersection over
 * every way in, from the initial configuration, computed to a fixed point.
 * An expression may then read a variable that has neither a default nor
 * required="true" only where it is certainly assigned, or under is_set().
 */
typedef struct flow {
    ck *c;
    size_t w;          /* 64-bit words per set */
    uint64_t *in;      /* in[s * w ..]: certainly assigned when s is entered */
    uint64_t *entry;   /* entry[s * w ..]: assigned by the onentry actions of s */
    uint8_t *reached;  /* s is entered on some path */
    uint8_t *own_kind; /* per action: 0 transition, 1 onentry, 2 onexit */
    uint32_t *owner;   /* per action: the transition or state */
} flow;

#define BIT_SET(set, i) ((set)[(i) / 64] |= UINT64_C(1) << ((i) % 64))
#define BIT_HAS(set, i) (((set)[(i) / 64] >> ((i) % 64)) & 1)

static void set_or(uint64_t *a, const uint64_t *b, size_t w) {
    for (size_t i = 0; i < w; i++)
        a[i] |= b[i];
}

/* The variables assigned by actions [first, first + n). */
static void assigns(const zf__model *m, uint32_t first, uint32_t n, uint64_t *set) {
    for (uint32_t k = first; k < first + n; k++)
        if (m->actions[k].kind == ZF_ACT_ASSIGN && m->actions[k].target < m->nvars)
            BIT_SET(set, m->actions[k].target);
}

/* Whether the cond of transition t proves symbol (kind, sym) set. */
static int cond_sets(const ck *c, uint32_t t, uint8_t kind, uint16_t sym) {
    for (uint32_t k = c->fact_first[t]; k < c->fact_first[t] + c->fact_count[t]; k++)
        if (c->facts[k].kind == ZF_FACT_SET && c->facts[k].sym_kind == kind &&
            c->facts[k].sym == sym)
            return 1;
    return 0;
}

static void cond_set_vars(const ck *c, uint32_t t, uint64_t *set) {
    for (uint32_t k = c->fact_first[t]; k < c->fact_first[t] + c->fact_count[t]; k++)
        if (c->facts[k].kind == ZF_FACT_SET && c->facts[k].sym_kind == ZF_SYM_VAR &&
            c->facts[k].sym < c->m->nvars)
            BIT_SET(set, c->facts[k].sym);
}

/* Certainly assigned while s is active (0 when s is never entered). */
static int state_ctx(const flow *f, uint16_t s, uint64_t *out) {
    const zf__model *m = f->c->m;
    memset(out, 0, f->w * sizeof *out);
    if (!f->reached[s])
        return 0;
    for (uint16_t a = s; a != ZF_NOIDX; a = m->states[a].parent) {
        set_or(out, f->in + a * f->w, f->w);
        set_or(out, f->entry + a * f->w, f->w);
    }
    return 1;
}

/* What the onexit actions of the states a targeted transition certainly exits assign: its
 * source and the source's ancestors below the transition domain (they run before the
 * transition's own actions). */
static void exit_assigns(const zf__model *m, const zf__transition *t, uint64_t *set) {
    if (t->target == ZF_NOIDX || t->domain == ZF_NOIDX)
        return;
    for (uint16_t s = t->source; s != ZF_NOIDX && s != t->domain; s = m->states[s].parent)
        assigns(m, m->states[s].exit_first, m->states[s].nexit, set);
}

/* Certainly assigned when action k runs (0 when it never runs). */
static int action_ctx(const flow *f, uint32_t k, uint64_t *out) {
    const zf__model *m = f->c->m;
    uint32_t o = f->owner[k];
    if (f->own_kind[k] == 0) {
        const zf__transition *t = &m->trans[o];
        if (!state_ctx(f, t->source, out))
            return 0;
        cond_set_vars(f->c, o, out);
        exit_assigns(m, t, out);
        assigns(m, t->action_first, k - t->action_first, out);
    } else if (f->own_kind[k] == 1) {
        uint16_t p = m->states[o].parent;
        if (!f->reached[o])
            return 0;
        if (p != ZF_NOIDX)
            state_ctx(f, p, out);
        else
            memset(out, 0, f->w * sizeof *out);
        set_or(out, f->in + o * f->w, f->w);
        assigns(m, m->states[o].entry_first, k - m->states[o].entry_first, out);
    } else if (!state_ctx(f, (uint16_t)o, out)) {
        return 0;
    }
    return 1;
}

/* Certainly assigned wherever term t's `from` (from = 1) or length is evaluated:
 * on entry of its state (before the onentry actions), and at every <start> of it. */
static int term_ctx(const flow *f, uint16_t t, int from, uint64_t *out, uint64_t *tmp) {
    const zf__model *m = f->c->m;
    const zf__termdef *td = &m->terms[t];
    int any = 0;
    if (td->state != ZF_NOIDX && f->reached[td->state]) {
        uint16_t p = m->states[td->state].parent;
        if (p != ZF_NOIDX)
            state_ctx(f, p, out);
        else
            memset(out, 0, f->w * sizeof *out);
        set_or(out, f->in + td->state * f->w, f->w);
        any = 1;
    }
    for (uint32_t k = 0; k < m->nactions; k++) {
        const zf__action *a = &m->actions[k];
        if (a->kind != ZF_ACT_START || a->target != t || (from && a->expr.code) ||
            !action_ctx(f, k, tmp))
            continue;
        if (!any)
            memcpy(out, tmp, f->w * sizeof *out);
        else
            for (size_t i = 0; i < f->w; i++)
                out[i] &= tmp[i];
        any = 1;
    }
    return any;
}

/* in[e] := in[e] ∩ r (r itself on the first way in); whether it changed. */
static int meet(flow *f, uint16_t e, const uint64_t *r) {
    uint64_t *in = f->in + e * f->w;
    int changed = 0;
    if (!f->reached[e]) {
        memcpy(in, r, f->w * sizeof *in);
        f->reached[e] = 1;
        return 1;
    }
    for (size_t i = 0; i < f->w; i++)
        if ((in[i] & r[i]) != in[i]) {
            in[i] &= r[i];
            changed = 1;
        }
    return changed;
}

/* Enter states pool[first .. first + n) in order with r assigned; whether any changed. */
static int enter_all(flow *f, uint32_t first, uint32_t n, uint64_t *r) {
    const zf__model *m = f->c->m;
    int changed = 0;
    for (uint32_t k = first; k < first + n; k++) {
        uint16_t e = m->pool[k];
        changed |= meet(f, e, r);
        set_or(r, f->entry + e * f->w, f->w);
    }
    return changed;
}

static void unset_error(ck *c, const pending *p) {
    const zf__model *m = c->m;
    if (p->sym_kind == ZF_SYM_PARAM) {
        const char *name = "?";
        uint16_t ev = ZF_NOIDX;
        if (p->cx == CX_COND)
            ev = m->trans[p->index].event;
        else if (p->cx == CX_ACTION)
            for (uint32_t t = 0; t < m->ntrans && ev == ZF_NOIDX; t++)
                if (p->index >= m->trans[t].action_first &&
                    p->index < m->trans[t].action_first + m->trans[t].naction)
                    ev = m->trans[t].event;
        if (ev < m->nevents && p->sym < m->events[ev].nparams)
            name = m->events[ev].params[p->sym].id;
        zf__diag_add(c->dc, ZF_SEVERITY_ERROR, ZF_ESEMANTIC, "maybe-unset", p->line,
                     p->column,
                     "parameter 'event.%s' is optional and may be unset here: guard "
                     "the read with is_set(event.%s) in %s",
                     name, name, p->attr);
    } else {
        const char *name = p->sym < m->nvars ? m->vars[p->sym].id : "?";
        zf__diag_add(c->dc, ZF_SEVERITY_ERROR, ZF_ESEMANTIC, "maybe-unset", p->line,
                     p->column,
                     "variable '%s' may be unset here (no default, not required, not "
                     "assigned on every way to this point): guard the read with "
                     "is_set(%s) in %s",
                     name, name, p->attr);
    }
    if (c->dc->oom)
        c->m->oom = 1;
}

static void check_definedness(ck *c) {
    zf__model *m = c->m;
    flow f;
    uint64_t *r, *tmp;
    int changed = 1;

    if (c->npend == 0)
        return;
    memset(&f, 0, sizeof f);
    f.c = c;
    f.w = (m->nvars + 63) / 64 + 1;
    f.in = zf__calloc(m->nstates * f.w, sizeof *f.in);
    f.entry = zf__calloc(m->nstates * f.w, sizeof *f.entry);
    f.reached = zf__calloc(m->nstates, 1);
    f.own_kind = zf__calloc(m->nactions + 1, 1);
    f.owner = zf__calloc(m->nactions + 1, sizeof *f.owner);
    r = zf__calloc(2 * f.w, sizeof *r);
    if (!f.in || !f.entry || !f.reached || !f.own_kind || !f.owner || !r) {
        m->oom = 1;
        goto done;
    }
    tmp = r + f.w;
    for (size_t s = 0; s < m->nstates; s++) {
        const zf__state *st = &m->states[s];
        assigns(m, st->entry_first, st->nentry, f.entry + s * f.w);
        for (uint32_t k = st->entry_first; k < st->entry_first + st->nentry; k++) {
            f.own_kind[k] = 1;
            f.owner[k] = (uint32_t)s;
        }
        for (uint32_t k = st->exit_first; k < st->exit_first + st->nexit; k++) {
            f.own_kind[k] = 2;
            f.owner[k] = (uint32_t)s;
        }
    }
    for (size_t t = 0; t < m->ntrans; t++)
        for (uint32_t k = m->trans[t].action_first;
             k < m->trans[t].action_first + m->trans[t].naction; k++) {
            f.own_kind[k] = 0;
            f.owner[k] = (uint32_t)t;
        }

    /* The initial configuration: nothing is assigned yet. */
    f.reached[0] = 1;
    enter_all(&f, m->states[0].init_first, m->states[0].ninit, r);
    while (changed) {
        changed = 0;
        for (uint32_t t = 0; t < m->ntrans; t++) {
            const zf__transition *tr = &m->trans[t];
            if (tr->target == ZF_NOIDX || !state_ctx(&f, tr->source, r))
                continue;
            cond_set_vars(c, t, r);
            exit_assigns(m, tr, r);
            assigns(m, tr->action_first, tr->naction, r);
            changed |= enter_all(&f, tr->entry_first, tr->nentry, r);
        }
    }

    for (size_t i = 0; i < c->npend; i++) {
        const pending *p = &c->pend[i];
        int ok;
        if (p->sym_kind == ZF_SYM_PARAM) {
            ok = p->cx == CX_ACTION && f.own_kind[p->index] == 0 &&
                 cond_sets(c, f.owner[p->index], ZF_SYM_PARAM, p->sym);
        } else if (p->sym >= m->nvars) {
            ok = 1;
        } else if (p->cx == CX_COND) {
            ok = !state_ctx(&f, m->trans[p->index].source, r) || BIT_HAS(r, p->sym);
        } else if (p->cx == CX_ACTION) {
            ok = !action_ctx(&f, p->index, r) || BIT_HAS(r, p->sym);
        } else {
            ok = !term_ctx(&f, (uint16_t)p->index, p->from, r, tmp) || BIT_HAS(r, p->sym);
        }
        if (!ok)
            unset_error(c, p);
    }
done:
    zf__free(f.in);
    zf__free(f.entry);
    zf__free(f.reached);
    zf__free(f.own_kind);
    zf__free(f.owner);
    zf__free(r);
}

/* ------------------------------------------------------------------------ */
/* Where terms run: expiry handlers */

/* Whether state a is b or a descendant of b. */
static int within(const zf__model *m, uint16_t a, uint16_t b) {
    return a >= b && a <= b + m->states[b].ndesc;
}

/* Whether states a and b can be active at the same time: one contains the other, or
 * they lie in different regions of a parallel state. */
static int together(const zf__model *m, uint16_t a, uint16_t b) {
    uint16_t x;
    if (within(m, a, b) || within(m, b, a))
        return 1;
    for (x = m->states[a].parent; x != ZF_NOIDX && !within(m, b, x);
         x = m->states[x].parent)
        ;
    return x != ZF_NOIDX && m->states[x].kind == ZF_STATE_PARALLEL;
}

/* The owner of action k: *kind 0 transition, 1 onentry, 2 onexit. */
static uint32_t action_owner(const zf__model *m, uint32_t k, int *kind) {
    for (uint32_t t = 0; t < m->ntrans; t++)
        if (k >= m->trans[t].action_first &&
            k < m->trans[t].action_first + m->trans[t].naction) {
            *kind = 0;
            return t;
        }
    for (uint32_t s = 0; s < m->nstates; s++) {
        const zf__state *st = &m->states[s];
        if (k >= st->entry_first && k < st->entry_first + st->nentry) {
            *kind = 1;
            return s;
        }
        if (k >= st->exit_first && k < st->exit_first + st->nexit) {
            *kind = 2;
            return s;
        }
    }
    *kind = -1;
    return 0;
}

/*
 * A term declared in state S runs only while S is active: it starts on entry
 * of S (or by a <start> inside S) and stops when S is exited. A <start> that
 * runs while S is not active (in a transition that leaves S, or in an action
 * outside S) lets it run anywhere: then nothing is concluded. A handler of
 * expired.<term> in a state that is never active together with S never runs.
 * Returns in live[t] whether some handler of term t's expiry can run.
 */
static void check_expiry_handlers(ck *c, uint8_t *live) {
    zf__model *m = c->m;
    uint8_t *escapes = zf__calloc(m->nterms + 1, 1);
    if (!escapes) {
        m->oom = 1;
        return;
    }
    for (uint32_t k = 0; k < m->nactions; k++) {
        const zf__action *a = &m->actions[k];
        uint16_t sc;
        uint32_t o;
        int kind, inside = 0;
        if ((a->kind != ZF_ACT_START && a->kind != ZF_ACT_RAISE) || a->target == ZF_NOIDX)
            continue;
        if (a->kind == ZF_ACT_RAISE) {
            /* Raising expired.<term> by hand handles it as much as a transition. */
            if (a->target < m->nevents && m->events[a->target].kind == ZF_EVENT_EXPIRY &&
                m->events[a->target].source < m->nterms)
                live[m->events[a->target].source] = 1;
            continue;
        }
        if (a->target >= m->nterms)
            continue;
        sc = m->terms[a->target].scope;
        o = action_owner(m, k, &kind);
        if (kind == 0) {
            const zf__transition *t = &m->trans[o];
            inside = within(m, t->source, sc) &&
                     (t->target == ZF_NOIDX ||
                      (t->domain != ZF_NOIDX && within(m, t->domain, sc)));
        } else if (kind > 0) {
            inside = within(m, (uint16_t)o, sc);
        }
        if (!inside)
            escapes[a->target] = 1;
    }
    for (uint32_t i = 0; i < m->ntrans; i++) {
        const zf__transition *t = &m->trans[i];
        const zf__event *e;
        uint16_t term, sc;
        if (t->event == ZF_NOIDX || t->event >= m->nevents)
            continue;
        e = &m->events[t->event];
        if (e->kind != ZF_EVENT_EXPIRY || (term = e->source) >= m->nterms)
            continue;
        sc = m->terms[term].scope;
        if (sc == 0 || escapes[term] || together(m, t->source, sc)) {
            live[term] = 1;
            continue;
        }
        warning(c, m->trans_node[i], "event", "dead-expiry-handler",
                "transition on '%s' can never fire: term '%s' runs only while state "
                "'%s' (line %d) is active, and state '%s' is never active then",
                e->id, m->terms[term].id, m->states[sc].id ? m->states[sc].id : "?",
                m->states[sc].pos.line,
                m->states[t->source].id ? m->states[t->source].id : "?");
    }
    zf__free(escapes);
}

/* ------------------------------------------------------------------------ */
/* Eventless cycles and conflicting transitions */

/* Whether the conds of transitions a and b contradict each other on one variable or
 * parameter (x and not x; e == 'p' and e == 'q'; e == 'p' and e != 'p'), leaving out
 * the variables in `unstable` (may be NULL). */
static int exclusive(const ck *c, uint32_t a, uint32_t b, const uint64_t *unstable) {
    for (uint32_t i = c->fact_first[a]; i < c->fact_first[a] + c->fact_count[a]; i++) {
        const cfact *x = &c->facts[i];
        if (x->kind == ZF_FACT_SET)
            continue;
        if (unstable && x->sym_kind == ZF_SYM_VAR && BIT_HAS(unstable, x->sym))
            continue;
        for (uint32_t j = c->fact_first[b]; j < c->fact_first[b] + c->fact_count[b];
             j++) {
            const cfact *y = &c->facts[j];
            if (y->kind == ZF_FACT_SET || y->sym_kind != x->sym_kind || y->sym != x->sym)
                continue;
            if ((x->kind == ZF_FACT_EQ && y->kind == ZF_FACT_EQ &&
                 x->value != y->value) ||
                (x->kind != y->kind && x->value == y->value))
                return 1;
        }
    }
    return 0;
}

/* The eventless transitions (an event attribute that did not resolve is not one, nor is
 * a transition whose target did not resolve: reported already, it goes nowhere known). */
static int is_eventless(const ck *c, uint32_t t) {
    return c->m->trans[t].event == ZF_NOIDX &&
           !zf__xml_attr(c->m->trans_node[t], "event") &&
           !(c->trans_has_target[t] && c->m->trans[t].target == ZF_NOIDX);
}

/* A graph over the states for Tarjan's algorithm: an edge from each state to its parent
 * (the parent's transitions are enabled while the state is active) and from the source
 * of each included eventless transition to every state it enters (to itself when it
 * has no target). */
typedef struct graph {
    const ck *c;
    const uint8_t *incl; /* per transition */
    uint16_t *index, *low, *stack, *comp;
    uint8_t *on;
    uint16_t next, sp, ncomp;
} graph;

static void strongconnect(graph *g, uint16_t v);

static void visit_edge(graph *g, uint16_t v, uint16_t w) {
    if (g->index[w] == ZF_NOIDX) {
        strongconnect(g, w);
        if (g->low[w] < g->low[v])
            g->low[v] = g->low[w];
    } else if (g->on[w] && g->index[w] < g->low[v]) {
        g->low[v] = g->index[w];
    }
}

static void strongconnect(graph *g, uint16_t v) {
    const zf__model *m = g->c->m;
    const zf__state *st = &m->states[v];
    g->index[v] = g->low[v] = g->next++;
    g->stack[g->sp++] = v;
    g->on[v] = 1;
    if (st->parent != ZF_NOIDX)
        visit_edge(g, v, st->parent);
    for (uint32_t t = st->trans_first; t < st->trans_first + st->ntrans; t++) {
        const zf__transition *tr = &m->trans[t];
        if (!g->incl[t])
            continue;
        if (tr->target == ZF_NOIDX)
            visit_edge(g, v, v);
        for (uint32_t k = tr->entry_first; k < tr->entry_first + tr->nentry; k++)
            visit_edge(g, v, m->pool[k]);
    }
    if (g->low[v] == g->index[v]) {
        uint16_t w;
        do {
            w = g->stack[--g->sp];
            g->on[w] = 0;
            g->comp[w] = g->ncomp;
        } while (w != v);
        g->ncomp++;
    }
}

/* Strongly connected components into g->comp. */
static void components(graph *g) {
    size_t n = g->c->m->nstates;
    for (size_t s = 0; s < n; s++) {
        g->index[s] = ZF_NOIDX;
        g->on[s] = 0;
    }
    g->next = g->sp = g->ncomp = 0;
    for (size_t s = 0; s < n; s++)
        if (g->index[s] == ZF_NOIDX)
            strongconnect(g, (uint16_t)s);
}

/* Whether included transition t lies on a cycle: it enters (or, targetless, stays in)
 * a state of its source's component. */
static int on_cycle(const graph *g, uint32_t t) {
    const zf__model *m = g->c->m;
    const zf__transition *tr = &m->trans[t];
    if (!g->incl[t])
        return 0;
    if (tr->target == ZF_NOIDX)
        return 1;
    for (uint32_t k = tr->entry_first; k < tr->entry_first + tr->nentry; k++)
        if (g->comp[m->pool[k]] == g->comp[tr->source])
            return 1;
    return 0;
}

/* "'a', 'b', 'c' and 2 more": the states of component `comp`, in document order. */
static void comp_states(const graph *g, uint16_t comp, char *buf, size_t cap) {
    const zf__model *m = g->c->m;
    size_t n = 0, shown = 0, more = 0;
    buf[0] = '\0';
    for (size_t s = 0; s < m->nstates; s++) {
        if (g->comp[s] != comp || s == 0)
            continue;
        if (shown == 4) {
            more++;
            continue;
        }
        n += (size_t)snprintf(buf + n, cap - n, "%s'%s'", shown ? ", " : "",
                              m->states[s].id ? m->states[s].id : "?");
        if (n >= cap)
            n = cap - 1;
        shown++;
    }
    if (more)
        snprintf(buf + n, cap - n, " and %zu more", more);
}

/* Variables an iteration of the cycle through component `comp` may assign. */
static void cycle_assigns(const graph *g, uint16_t comp, uint64_t *set) {
    const zf__model *m = g->c->m;
    for (uint32_t t = 0; t < m->ntrans; t++) {
        const zf__transition *tr = &m->trans[t];
        if (!on_cycle(g, t) || g->comp[tr->source] != comp)
            continue;
        assigns(m, tr->action_first, tr->naction, set);
        for (uint32_t k = tr->entry_first; k < tr->entry_first + tr->nentry; k++) {
            const zf__state *e = &m->states[m->pool[k]];
            assigns(m, e->entry_first, e->nentry, set);
            assigns(m, e->exit_first, e->nexit, set);
        }
    }
    for (size_t s = 0; s < m->nstates; s++)
        if (g->comp[s] == comp) {
            assigns(m, m->states[s].entry_first, m->states[s].nentry, set);
            assigns(m, m->states[s].exit_first, m->states[s].nexit, set);
        }
}

/* Whether the cycle through component `comp` survives when every stable variable
 * compared in a cond takes some value: each transition whose cond contradicts the
 * choice is left out. Tries every choice (at most 256); 1 when one keeps a cycle. */
static int cycle_possible(ck *c, graph *g, uint16_t comp, const uint64_t *unstable,
                          uint8_t *incl) {
    const zf__model *m = c->m;
    uint16_t keys[8];
    int64_t vals[8][9];
    int nvals[8], nkeys = 0, result = 0;
    size_t combos = 1;
    uint32_t *members;
    size_t nmem = 0;
    uint16_t *saved_comp;

    members = zf__calloc(m->ntrans + 1, sizeof *members);
    saved_comp = zf__calloc(m->nstates, sizeof *saved_comp);
    if (!members || !saved_comp) {
        zf__free(members);
        zf__free(saved_comp);
        c->m->oom = 1;
        return 1;
    }
    memcpy(saved_comp, g->comp, m->nstates * sizeof *saved_comp);
    for (uint32_t t = 0; t < m->ntrans; t++)
        if (on_cycle(g, t) && g->comp[m->trans[t].source] == comp)
            members[nmem++] = t;
    /* The stable variables the members compare, with the values worth trying. */
    for (size_t i = 0; i < nmem && result == 0; i++) {
        uint32_t t = members[i];
        for (uint32_t k = c->fact_first[t]; k < c->fact_first[t] + c->fact_count[t];
             k++) {
            const cfact *f = &c->facts[k];
            int ki, vi;
            if (f->kind == ZF_FACT_SET || f->sym_kind != ZF_SYM_VAR ||
                f->sym >= m->nvars || BIT_HAS(unstable, f->sym))
                continue;
            for (ki = 0; ki < nkeys && keys[ki] != f->sym; ki++)
                ;
            if (ki == nkeys) {
                if (nkeys == 8) {
                    result = 1; /* too many to try: not provable */
                    break;
                }
                keys[nkeys] = f->sym;
                nvals[nkeys++] = 0;
            }
            for (vi = 0; vi < nvals[ki] && vals[ki][vi] != f->value; vi++)
                ;
            if (vi == nvals[ki]) {
                if (nvals[ki] == 8) {
                    result = 1;
                    break;
                }
                vals[ki][nvals[ki]++] = f->value;
            }
        }
    }
    for (int ki = 0; ki < nkeys && result == 0; ki++) {
        const zf__var *v = &m->vars[keys[ki]];
        size_t card = v->type == ZF_TYPE_BOOL ? 2
                      : v->type == ZF_TYPE_ENUM && v->enum_id < m->nenums
                          ? m->enums[v->enum_id].nvalues
                          : SIZE_MAX;
        if ((size_t)nvals[ki] < card)
            vals[ki][nvals[ki]++] = INT64_MIN; /* some other value */
        combos *= (size_t)nvals[ki];
        if (combos > 256)
            result = 1;
    }
    for (size_t combo = 0; combo < combos && result == 0; combo++) {
        size_t rest = combo;
        int64_t choice[8];
        for (int ki = 0; ki < nkeys; ki++) {
            choice[ki] = vals[ki][rest % (size_t)nvals[ki]];
            rest /= (size_t)nvals[ki];
        }
        memset(incl, 0, m->ntrans);
        for (size_t i = 0; i < nmem; i++) {
            uint32_t t = members[i];
            int ok = 1;
            for (uint32_t k = c->fact_first[t];
                 ok && k < c->fact_first[t] + c->fact_count[t]; k++) {
                const cfact *f = &c->facts[k];
                for (int ki = 0; ki < nkeys; ki++)
                    if (f->kind != ZF_FACT_SET && f->sym_kind == ZF_SYM_VAR &&
                        f->sym == keys[ki] &&
                        (f->kind == ZF_FACT_EQ) != (f->value == choice[ki]))
                        ok = 0;
            }
            incl[t] = (uint8_t)ok;
        }
        g->incl = incl;
        components(g);
        for (size_t i = 0; i < nmem && !result; i++)
            result = on_cycle(g, members[i]);
    }
    memcpy(g->comp, saved_comp, m->nstates * sizeof *saved_comp);
    zf__free(members);
    zf__free(saved_comp);
    return result;
}

/*
 * Eventless transitions that can take each other forever (the engine stops a
 * call after 1000 microsteps): the strongly connected components of the graph
 * above. A cycle of transitions without cond, from states where no eventless
 * transition with a cond could lead elsewhere, always loops: an error. A cycle
 * with conds is a warning, unless the conds are provably exclusive (see
 * docs/language.md, "Semantic checks").
 */
static void check_eventless_cycles(ck *c) {
    zf__model *m = c->m;
    graph g;
    uint8_t *uncond, *all, *incl, *reported;
    uint64_t *unstable;
    size_t w = (m->nvars + 63) / 64 + 1;
    int any = 0;

    for (uint32_t t = 0; t < m->ntrans && !any; t++)
        any = is_eventless(c, t);
    if (!any)
        return;
    memset(&g, 0, sizeof g);
    g.c = c;
    g.index = zf__calloc(m->nstates, sizeof *g.index);
    g.low = zf__calloc(m->nstates, sizeof *g.low);
    g.stack = zf__calloc(m->nstates, sizeof *g.stack);
    g.comp = zf__calloc(m->nstates, sizeof *g.comp);
    g.on = zf__calloc(m->nstates, 1);
    uncond = zf__calloc(m->ntrans, 1);
    all = zf__calloc(m->ntrans, 1);
    incl = zf__calloc(m->ntrans, 1);
    reported = zf__calloc(m->nstates, 1);
    unstable = zf__calloc(w, sizeof *unstable);
    if (!g.index || !g.low || !g.stack || !g.comp || !g.on || !uncond || !all || !incl ||
        !reported || !unstable) {
        m->oom = 1;
        goto done;
    }
    for (uint32_t t = 0; t < m->ntrans; t++) {
        all[t] = (uint8_t)is_eventless(c, t);
        uncond[t] = all[t] && !zf__xml_attr(m->trans_node[t], "cond");
    }

    /* Without conds. */
    g.incl = uncond;
    components(&g);
    for (uint32_t t = 0; t < m->ntrans; t++) {
        uint16_t comp = g.comp[m->trans[t].source];
        int escape = 0;
        char states[160];
        if (!on_cycle(&g, t) || reported[m->trans[t].source])
            continue;
        /* An eventless transition with a cond in a state of the cycle, or an ancestor,
         * may lead elsewhere first. */
        for (uint32_t u = 0; u < m->ntrans && !escape; u++) {
            uint16_t s = m->trans[u].source;
            if (!all[u] || uncond[u])
                continue;
            for (size_t x = 0; x < m->nstates && !escape; x++)
                escape = g.comp[x] == comp && within(m, (uint16_t)x, s);
        }
        if (escape)
            continue;
        comp_states(&g, comp, states, sizeof states);
        error(c, m->trans_node[t], NULL, "eventless-cycle",
              "eventless transitions without cond loop forever through %s: a case that "
              "comes here fails (more than %d microsteps)",
              states, 1000);
        for (size_t x = 0; x < m->nstates; x++)
            if (g.comp[x] == comp)
                reported[x] = 1;
    }

    /* With conds. */
    g.incl = all;
    components(&g);
    for (uint32_t t = 0; t < m->ntrans && !m->oom; t++) {
        uint16_t comp = g.comp[m->trans[t].source];
        char states[160];
        int done_before = 0, possible;
        if (!on_cycle(&g, t))
            continue;
        for (size_t x = 0; x < m->nstates; x++)
            if (g.comp[x] == comp) {
                done_before |= reported[x];
                reported[x] = 1;
            }
        if (done_before)
            continue;
        memset(unstable, 0, w * sizeof *unstable);
        cycle_assigns(&g, comp, unstable);
        possible = cycle_possible(c, &g, comp, unstable, incl);
        g.incl = all;
        if (!possible)
            continue;
        comp_states(&g, comp, states, sizeof states);
        warning(c, m->trans_node[t], NULL, "eventless-cycle",
                "eventless transitions may loop through %s: their conds are not "
                "provably exclusive, and a loop fails the case (more than %d "
                "microsteps)",
                states, 1000);
    }
done:
    zf__free(g.index);
    zf__free(g.low);
    zf__free(g.stack);
    zf__free(g.comp);
    zf__free(g.on);
    zf__free(uncond);
    zf__free(all);
    zf__free(incl);
    zf__free(reported);
    zf__free(unstable);
}

/*
 * Two transitions on the same event in different regions of a parallel state
 * whose exit sets intersect (one transition domain contains the other) cannot
 * both be taken: SCXML's removeConflictingTransitions keeps the one found
 * first, in document order. Warned about when both can be enabled at once:
 * their conds are not exclusive.
 */
static int cmp_by_event(const void *x, const void *y) {
    const uint32_t *a = x, *b = y;
    return a[0] != b[0] ? (a[0] > b[0]) - (a[0] < b[0]) : (a[1] > b[1]) - (a[1] < b[1]);
}

static void warn_conflicts(ck *c) {
    zf__model *m = c->m;
    uint32_t *by_event; /* (event, transition) pairs, sorted */
    int flat = 1;
    for (size_t s = 0; s < m->nstates && flat; s++)
        flat = m->states[s].kind != ZF_STATE_PARALLEL;
    if (flat || m->ntrans < 2)
        return;
    by_event = zf__calloc(2 * m->ntrans, sizeof *by_event);
    if (!by_event) {
        m->oom = 1;
        return;
    }
    for (uint32_t t = 0; t < m->ntrans; t++) {
        by_event[2 * t] = m->trans[t].event;
        by_event[2 * t + 1] = t;
    }
    qsort(by_event, m->ntrans, 2 * sizeof *by_event, cmp_by_event);
    for (uint32_t jj = 0; jj < m->ntrans; jj++) {
        uint32_t j = by_event[2 * jj + 1];
        const zf__transition *b = &m->trans[j];
        if (b->target == ZF_NOIDX || b->domain == ZF_NOIDX || c->trans_bad_event[j])
            continue;
        for (uint32_t ii = jj; ii-- > 0 && by_event[2 * ii] == b->event;) {
            uint32_t i = by_event[2 * ii + 1];
            const zf__transition *a = &m->trans[i];
            uint16_t outer, left = a->source;
            char what[96];
            if (a->target == ZF_NOIDX || a->domain == ZF_NOIDX || c->trans_bad_event[i] ||
                a->source == b->source || within(m, a->source, b->source) ||
                within(m, b->source, a->source) || !together(m, a->source, b->source))
                continue;
            if (within(m, a->domain, b->domain))
                outer = b->domain;
            else if (within(m, b->domain, a->domain))
                outer = a->domain;
            else
                continue;
            if (exclusive(c, i, j, NULL) || exclusive(c, j, i, NULL))
                continue;
            /* The outermost state both leave: the child of the larger domain that holds
             * the sources (the domain is a compound state, so they share it). */
            while (m->states[left].parent != outer && m->states[left].parent != ZF_NOIDX)
                left = m->states[left].parent;
            if (b->event == ZF_NOIDX)
                snprintf(what, sizeof what, "eventless transition");
            else
                snprintf(what, sizeof what, "transition on '%s'", m->events[b->event].id);
            warning(c, m->trans_node[j], NULL, "conflicting-transitions",
                    "%s conflicts with the one at line %d in another region: both can be "
                    "enabled and both leave state '%s'; only the one at line %d is taken "
                    "(SCXML document order)",
                    what, a->pos.line, m->states[left].id ? m->states[left].id : "?",
                    a->pos.line);
            break;
        }
    }
    zf__free(by_event);
}

/* ------------------------------------------------------------------------ */
/* Counting, allocation and the whole check */

/* valid-from and valid-until: calendar dates, the second not before the first. */
static void check_validity(ck *c, const xmlNode *root) {
    static const char *const names[2] = {"valid-from", "valid-until"};
    zf_date *dates[2] = {&c->m->valid_from, &c->m->valid_until};
    for (int i = 0; i < 2; i++) {
        const char *v = zf__xml_attr(root, names[i]);
        zf_error err;
        *dates[i] = ZF_DATE_NONE;
        zf_error_clear(&err);
        if (v && zf_date_parse(dates[i], v, &err) != ZF_OK) {
            *dates[i] = ZF_DATE_NONE;
            error(c, root, names[i], "invalid-date", "in %s: %s", names[i], err.message);
        }
    }
    if (c->m->valid_from != ZF_DATE_NONE && c->m->valid_until != ZF_DATE_NONE &&
        c->m->valid_until < c->m->valid_from)
        error(c, root, "valid-until", "invalid-validity",
              "valid-until %s is before valid-from %s", zf__xml_attr(root, "valid-until"),
              zf__xml_attr(root, "valid-from"));
}

typedef struct counts {
    size_t states, trans, actions, events, vars, terms, roles, enums, rates;
} counts;

static void count(const xmlNode *n, counts *k) {
    for (const xmlNode *c = first_el(n); c; c = next_el(c)) {
        const char *name = (const char *)c->name;
        if (is_state_el(c))
            k->states++;
        else if (!strcmp(name, "transition"))
            k->trans++;
        else if (is_action_el(c))
            k->actions++;
        else if (!strcmp(name, "event"))
            k->events++;
        else if (!strcmp(name, "var"))
            k->vars++;
        else if (!strcmp(name, "term"))
            k->terms++;
        else if (!strcmp(name, "role"))
            k->roles++;
        else if (!strcmp(name, "enum"))
            k->enums++;
        else if (!strcmp(name, "rates"))
            k->rates++;
        count(c, k);
    }
}

void zf__model_free(zf__model *m) {
    if (!m)
        return;
    zf__arena_free(&m->arena);
    zf__free(m->state_node);
    zf__free(m->event_node);
    zf__free(m->var_node);
    zf__free(m->term_node);
    zf__free(m->role_node);
    zf__free(m->enum_node);
    zf__free(m->rate_node);
    zf__free(m->trans_node);
    zf__free(m->action_node);
    zf__free(m->pool);
    zf__free(m->var_used);
    zf__free(m->event_used);
    zf__free(m->term_mentioned);
    zf__free(m->rates_used);
    zf__free(m->with_literals);
    zf__free(m);
}

static int alloc_tables(ck *c, const counts *k) {
    zf__model *m = c->m;
    size_t nev = k->events + k->terms + k->states + 1;
#define TABLE(field, nodes, n)                                                           \
    do {                                                                                 \
        m->field = zf__arena_alloc(&m->arena, ((n) ? (n) : 1) * sizeof *m->field);       \
        m->nodes = zf__calloc((n) ? (n) : 1, sizeof *m->nodes);                          \
        if (!m->field || !m->nodes)                                                      \
            return -1;                                                                   \
    } while (0)
    TABLE(states, state_node, k->states + 1);
    TABLE(events, event_node, nev);
    TABLE(vars, var_node, k->vars);
    TABLE(terms, term_node, k->terms);
    TABLE(roles, role_node, k->roles);
    TABLE(enums, enum_node, k->enums);
    TABLE(rates, rate_node, k->rates);
    TABLE(trans, trans_node, k->trans);
    TABLE(actions, action_node, k->actions);
#undef TABLE
    m->var_used = zf__calloc(k->vars + 1, 1);
    m->event_used = zf__calloc(nev, 1);
    m->term_mentioned = zf__calloc(k->terms + 1, 1);
    m->rates_used = zf__calloc(k->rates + 1, 1);
    c->trans_bad_event = zf__calloc(k->trans + 1, 1);
    c->trans_has_target = zf__calloc(k->trans + 1, 1);
    c->fact_first = zf__calloc(k->trans + 1, sizeof *c->fact_first);
    c->fact_count = zf__calloc(k->trans + 1, sizeof *c->fact_count);
    if (!m->var_used || !m->event_used || !m->term_mentioned || !m->rates_used ||
        !c->trans_bad_event || !c->trans_has_target || !c->fact_first || !c->fact_count)
        return -1;
    if (symtab_init(&c->st_states, k->states + 1) || symtab_init(&c->st_events, nev) ||
        symtab_init(&c->st_vars, k->vars) || symtab_init(&c->st_terms, k->terms) ||
        symtab_init(&c->st_roles, k->roles) || symtab_init(&c->st_enums, k->enums) ||
        symtab_init(&c->st_rates, k->rates))
        return -1;
    return 0;
}

static void ck_free(ck *c) {
    symtab_free(&c->st_states);
    symtab_free(&c->st_events);
    symtab_free(&c->st_vars);
    symtab_free(&c->st_terms);
    symtab_free(&c->st_roles);
    symtab_free(&c->st_enums);
    symtab_free(&c->st_rates);
    zf__free(c->trans_bad_event);
    zf__free(c->trans_has_target);
    zf__free(c->fact_first);
    zf__free(c->fact_count);
    zf__free(c->pend);
    zf__free(c->facts);
}

static void run_checks(ck *c, const xmlNode *root) {
    zf__model *m = c->m;
    const char *cal = zf__xml_attr(root, "calendar");
    counts k;

    memset(&k, 0, sizeof k);
    count(root, &k);
    if (k.states + 1 > ZF_MAX_STATES) {
        error(c, root, NULL, "limit", "more than %d states", ZF_MAX_STATES - 1);
        return;
    }
    if (k.events + k.terms + k.states + 1 >= ZF_NOIDX || k.vars >= ZF_NOIDX ||
        k.terms >= ZF_NOIDX || k.roles >= ZF_NOIDX || k.enums >= ZF_NOIDX ||
        k.rates >= ZF_NOIDX) {
        error(c, root, NULL, "limit", "too many declarations");
        return;
    }
    if (alloc_tables(c, &k) < 0) {
        m->oom = 1;
        return;
    }

    m->id = sdup(c, zf__xml_attr(root, "id"));
    m->version = sdup(c, zf__xml_attr(root, "version"));
    m->title = sdup(c, zf__xml_attr(root, "title"));
    m->basis = basis_of(c, root);
    check_validity(c, root);
    m->calendar = cal && !strcmp(cal, "none") ? zf_calendar_none() : zf_calendar_atw();
    if (!m->calendar)
        m->oom = 1; /* the Atw calendar is built on first use */
    if (m->oom)
        return;

    /* Declarations: enumerations before variables, which may use them. */
    FOR_CHILDREN(d, root)
    if (is_el(d, "data"))
        FOR_CHILDREN(e, d) if (is_el(e, "enum")) declare_enum(c, e);
    FOR_CHILDREN(d, root)
    if (is_el(d, "data"))
        FOR_CHILDREN(v, d) if (is_el(v, "var")) declare_var(c, v);
    FOR_CHILDREN(d, root)
    if (is_el(d, "roles"))
        FOR_CHILDREN(r, d) if (is_el(r, "role")) declare_role(c, r);
    if (m->nroles > ZF_MAX_ROLES)
        error(c, m->role_node[ZF_MAX_ROLES], "id", "too-many-roles",
              "more than %d roles: roles are a bit mask", ZF_MAX_ROLES);
    FOR_CHILDREN(d, root)
    if (is_el(d, "events"))
        FOR_CHILDREN(e, d) if (is_el(e, "event")) declare_event(c, e);
    m->ndeclared_events = m->nevents;
    FOR_CHILDREN(r, root) if (is_el(r, "rates")) declare_rates(c, r);
    FOR_CHILDREN(t, root) if (is_el(t, "term")) declare_term(c, t, 0);
    if (m->oom)
        return;

    /* States in document pre-order, the process itself first. */
    add_state(c, root, ZF_NOIDX, 0);
    if (m->oom)
        return;
    intern_implicit_events(c);
    for (size_t i = 0; i < m->nstates && !m->oom; i++)
        if (m->states[i].kind == ZF_STATE_COMPOUND || is_el(m->state_node[i], "state") ||
            i == 0)
            resolve_initial(c, (uint16_t)i);
    for (size_t i = 0; i < m->nterms && !m->oom; i++)
        resolve_term_exprs(c, i);
    for (size_t i = 0; i < m->nstates && !m->oom; i++) {
        const zf__state *s = &m->states[i];
        for (uint32_t a = s->entry_first; a < s->entry_first + s->nentry; a++)
            resolve_action(c, a, 0);
        for (uint32_t a = s->exit_first; a < s->exit_first + s->nexit; a++)
            resolve_action(c, a, 0);
    }
    for (size_t i = 0; i < m->ntrans && !m->oom; i++)
        resolve_transition(c, i);
    if (m->oom)
        return;

    if (zf__compile_entry_sets(m) != ZF_OK) {
        m->oom = 1;
        return;
    }
    check_definedness(c);
    check_eventless_cycles(c);
    warn_conflicts(c);
    warn_unreachable(c);
    warn_no_way_out(c);
    warn_shadowed(c);
    warn_unused_and_basis(c);
    m->complete = !m->oom;
}

zf_code zf__check_model(zf__model **out, const zf__xml *x, zf__diagctx *dc, int keep) {
    ck c;
    zf__model *m;
    const xmlNode *root = xmlDocGetRootElement(x->doc);
    size_t errors = dc->errors;

    *out = NULL;
    m = zf__calloc(1, sizeof *m);
    if (!m)
        return ZF_ENOMEM;
    memset(&c, 0, sizeof c);
    m->x = x;
    m->dc = dc;
    c.m = m;
    c.x = x;
    c.dc = dc;
    c.cur_event = ZF_NOIDX;
    c.length_term = ZF_NOIDX;
    c.with_action = UINT32_MAX;
    c.cond_trans = -1;
    if (root)
        run_checks(&c, root);
    ck_free(&c);
    if (m->oom || dc->oom) {
        zf__model_free(m);
        return ZF_ENOMEM;
    }
    if (dc->errors != errors) {
        if (keep)
            *out = m;
        else
            zf__model_free(m);
        return ZF_ESEMANTIC;
    }
    *out = m;
    return ZF_OK;
}
