/*
 * Migration documents (include/zaakflow/migration.h, docs/migration.md):
 * secure parsing and validation against schemas/migration.xsd (load.c), the
 * checks against both definitions with file:line:column, and compilation to
 * index tables (migration_int.h) that zf_instance_migrate() (migrate.c) runs.
 */
#include "migration_int.h"
#include "xml.h"

#include <stdio.h>
#include <string.h>

#include <libxml/tree.h>

/* ---- the checker -------------------------------------------------------- */

typedef struct mck {
    const zf__xml *x;
    zf__diagctx *dc;
    const zf_definition *from, *to;
    zf_migration *m;
    zf__arena arena;
    int oom;
    const xmlNode *root, *states_el, *vars_el, *terms_el;
    uint16_t *expl;                /* per old state: the explicit map, or ZF_NOIDX */
    const xmlNode **map_node;      /* per old state: its <map> */
    const xmlNode **var_node;      /* per new variable: what sets it */
    uint8_t *old_var_carried;      /* per old variable */
    const xmlNode **term_node;     /* per new term: what decides it */
    uint8_t *old_term_carried;     /* per old term */
    const xmlNode **old_term_stop; /* per old term: its <stop> */
} mck;

static int is_el(const xmlNode *n, const char *name) {
    return n && n->type == XML_ELEMENT_NODE && n->ns &&
           !strcmp((const char *)n->ns->href, ZF_MIGRATION_NS) &&
           (!name || !strcmp((const char *)n->name, name));
}

#define FOR_CHILDREN(c, parent)                                                          \
    for (const xmlNode *c = (parent) ? (parent)->children : NULL; c; c = c->next)        \
        if (is_el(c, NULL))

static void diag(mck *c, zf_severity sev, const xmlNode *n, const char *at,
                 const char *check, const char *fmt, ...) ZF__PRINTF(6, 7);
static void diag(mck *c, zf_severity sev, const xmlNode *n, const char *at,
                 const char *check, const char *fmt, ...) {
    char msg[256];
    int line = 0, col = 0;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (n && at) {
        zf__load_attrpos(c->x, n, at, 0, &line, &col);
    } else if (n) {
        zf__elpos p = zf__load_elpos(c->x, n);
        line = p.line;
        col = p.column;
    }
    zf__diag_add(c->dc, sev, ZF_ESEMANTIC, check, line, col, "%s", msg);
    if (c->dc->oom)
        c->oom = 1;
}

#define ERROR(c, n, at, check, ...) diag(c, ZF_SEVERITY_ERROR, n, at, check, __VA_ARGS__)
#define WARNING(c, n, at, check, ...)                                                    \
    diag(c, ZF_SEVERITY_WARNING, n, at, check, __VA_ARGS__)

static void *alloc(mck *c, size_t n) {
    void *p = zf__arena_alloc(&c->arena, n ? n : 1);
    if (!p)
        c->oom = 1;
    return p;
}

static char *sdup(mck *c, const char *s, size_t n) {
    char *r = zf__arena_strndup(&c->arena, s, n);
    if (!r)
        c->oom = 1;
    return r;
}

/* "id@version" into its two parts (the schema guarantees the '@'). */
static void split_pv(mck *c, const char *pv, const char **id, const char **version) {
    const char *at = pv ? strchr(pv, '@') : NULL;
    *id = *version = NULL;
    if (!at)
        return;
    *id = sdup(c, pv, (size_t)(at - pv));
    *version = sdup(c, at + 1, strlen(at + 1));
}

/* The <basis> texts, white space collapsed, joined with "; ". */
static const char *basis_of(mck *c, const xmlNode *n) {
    zf_buf b = ZF_BUF_INIT;
    const char *out = NULL;
    zf_code rc = ZF_OK;
    FOR_CHILDREN(e, n) {
        xmlChar *t;
        size_t start;
        if (!is_el(e, "basis"))
            continue;
        if (b.size && rc == ZF_OK)
            rc = zf_buf_puts(&b, "; ");
        start = b.size;
        t = xmlNodeGetContent(e);
        for (const char *p = t ? (const char *)t : ""; *p && rc == ZF_OK; p++) {
            int sp = *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r';
            if (!sp)
                rc = zf_buf_put(&b, p, 1);
            else if (b.size > start && b.ptr[b.size - 1] != ' ')
                rc = zf_buf_put(&b, " ", 1);
        }
        xmlFree(t);
        while (rc == ZF_OK && b.size > start && b.ptr[b.size - 1] == ' ')
            b.ptr[--b.size] = '\0';
    }
    if (rc != ZF_OK)
        c->oom = 1;
    else if (b.size)
        out = sdup(c, b.ptr, b.size);
    zf_buf_dispose(&b);
    return out;
}

static const char *pv_text(const zf_definition *d, char *buf, size_t cap) {
    snprintf(buf, cap, "%s@%s", d->id, d->version ? d->version : "");
    return buf;
}

/* ---- expressions over the old version ------------------------------------ */

static int scope_lookup(void *ctx, zf__sym_kind kind, const char *name, size_t len,
                        zf__sym *out) {
    const zf_definition *d = ((mck *)ctx)->from;
    char buf[256];
    uint16_t i = ZF_NOIDX;
    if (len >= sizeof buf)
        return 0;
    memcpy(buf, name, len);
    buf[len] = '\0';
    switch (kind) {
    case ZF_SYM_VAR:
        if ((i = zf__defn_var(d, buf)) == ZF_NOIDX)
            return 0;
        out->index = i;
        out->type = d->vars[i].type;
        out->enum_id = d->vars[i].enum_id;
        return 1;
    case ZF_SYM_TERM:
        i = zf__defn_term(d, buf);
        break;
    case ZF_SYM_STATE:
        i = zf__defn_state(d, buf);
        break;
    case ZF_SYM_RATES:
        for (uint16_t r = 0; r < d->nrates; r++)
            if (!strcmp(d->rates[r].id, buf))
                i = r;
        break;
    case ZF_SYM_PARAM:
        return 0; /* no event */
    }
    if (i == ZF_NOIDX)
        return 0;
    out->index = i;
    return 1;
}

static int scope_enum_value(void *ctx, uint16_t enum_id, const char *value, size_t len) {
    const zf_definition *d = ((mck *)ctx)->from;
    if (enum_id >= d->nenums)
        return -1;
    for (uint16_t i = 0; i < d->enums[enum_id].nvalues; i++)
        if (!strncmp(d->enums[enum_id].values[i], value, len) &&
            d->enums[enum_id].values[i][len] == '\0')
            return i;
    return -1;
}

static const char *scope_enum_name(void *ctx, uint16_t enum_id, uint16_t value) {
    const zf_definition *d = ((mck *)ctx)->from;
    if (enum_id >= d->nenums || value >= d->enums[enum_id].nvalues)
        return "?";
    return d->enums[enum_id].values[value];
}

static const char *scope_enum_id_name(void *ctx, uint16_t enum_id) {
    const zf_definition *d = ((mck *)ctx)->from;
    return enum_id < d->nenums ? d->enums[enum_id].id : "?";
}

/* Whether every value of old enumeration `oe` is a value of new enumeration `ne`;
 * else the first one that is not. */
static const char *enum_missing(const zf_definition *from, uint16_t oe,
                                const zf_definition *to, uint16_t ne) {
    if (oe >= from->nenums || ne >= to->nenums)
        return NULL;
    for (uint16_t i = 0; i < from->enums[oe].nvalues; i++) {
        int found = 0;
        for (uint16_t k = 0; k < to->enums[ne].nvalues && !found; k++)
            found = !strcmp(from->enums[oe].values[i], to->enums[ne].values[k]);
        if (!found)
            return from->enums[oe].values[i];
    }
    return NULL;
}

/* Whether a value of old type (ot, oe) fits new variable nv; else a finding. */
static int fits(mck *c, const xmlNode *n, const char *at, zf_type ot, uint16_t oe,
                uint16_t nv, const char *what) {
    const zf__var *v = &c->to->vars[nv];
    const char *miss;
    if (v->type == ot && ot != ZF_TYPE_ENUM)
        return 1;
    if (v->type == ZF_TYPE_MONEY && ot == ZF_TYPE_INT)
        return 1;
    if (v->type == ZF_TYPE_ENUM && ot == ZF_TYPE_ENUM) {
        if (!(miss = enum_missing(c->from, oe, c->to, v->enum_id)))
            return 1;
        ERROR(c, n, at, "migration-type",
              "%s: value '%s' of enumeration '%s' is not a value of enumeration '%s' of "
              "variable '%s' of the new version",
              what, miss, c->from->enums[oe].id, c->to->enums[v->enum_id].id, v->id);
        return 0;
    }
    ERROR(c, n, at, "migration-type",
          "%s: variable '%s' of the new version is of type %s, got %s", what, v->id,
          zf_type_name(v->type), zf_type_name(ot));
    return 0;
}

/* Compile the expression of a <set> for new variable nv. */
static void compile_set(mck *c, const xmlNode *n, uint16_t nv, zf__mvar *mv) {
    const char *src = zf__xml_attr(n, "expr");
    const zf__var *v = &c->to->vars[nv];
    zf__expr_scope scope = {
        scope_lookup, scope_enum_value, scope_enum_name, c, 0, scope_enum_id_name, NULL,
        NULL};
    zf__expr_diag dg;
    zf__program prog;
    zf_type expect = v->type == ZF_TYPE_ENUM ? ZF_TYPE_VOID : v->type;
    zf_code rc;
    memset(&prog, 0, sizeof prog);
    memset(&dg, 0, sizeof dg);
    prog.enum_id = ZF_NOIDX;
    if (!src)
        return;
    rc = zf__expr_compile(&prog, src, strlen(src), &scope, expect, &dg);
    if (rc == ZF_ENOMEM) {
        c->oom = 1;
        return;
    }
    if (rc != ZF_OK) {
        int line, col;
        zf__load_attrpos(c->x, n, "expr", dg.offset, &line, &col);
        zf__diag_add(c->dc, ZF_SEVERITY_ERROR, ZF_ESEMANTIC,
                     rc == ZF_EPARSE ? "expr-syntax" : "expr-type", line, col,
                     "%s in expr (the expression reads the old version)",
                     dg.message[0] ? dg.message : "invalid expression");
        if (c->dc->oom)
            c->oom = 1;
        return;
    }
    if (v->type == ZF_TYPE_ENUM) {
        /* An enumeration of the old version (mapped by value name) or a literal. */
        if (prog.type == ZF_TYPE_STRING) {
            char lit[256];
            size_t len = strlen(src), b = 0, e = len;
            while (b < e && (src[b] == ' ' || src[b] == '\t' || src[b] == '\n'))
                b++;
            while (e > b &&
                   (src[e - 1] == ' ' || src[e - 1] == '\t' || src[e - 1] == '\n'))
                e--;
            if (e - b >= 2 && e - b - 2 < sizeof lit &&
                (src[b] == '\'' || src[b] == '"') && src[e - 1] == src[b]) {
                int found = 0;
                memcpy(lit, src + b + 1, e - b - 2);
                lit[e - b - 2] = '\0';
                for (uint16_t k = 0; k < c->to->enums[v->enum_id].nvalues && !found; k++)
                    found = !strcmp(c->to->enums[v->enum_id].values[k], lit);
                if (!found)
                    ERROR(c, n, "expr", "migration-type",
                          "'%s' is not a value of enumeration '%s' of variable '%s'", lit,
                          c->to->enums[v->enum_id].id, v->id);
            }
        } else if (!fits(c, n, "expr", prog.type, prog.enum_id, nv, "in expr")) {
            zf__expr_free(&prog);
            return;
        }
    }
    mv->kind = ZF__MV_EXPR;
    mv->expr = prog;
    /* Move the code into the arena: the migration is freed at once. */
    mv->expr.code = alloc(c, prog.len);
    if (mv->expr.code) {
        memcpy(mv->expr.code, prog.code, prog.len);
        mv->expr.source =
            (const char *)mv->expr.code + (prog.source - (const char *)prog.code);
    }
    zf__expr_free(&prog);
    if (!mv->expr.code)
        memset(&mv->expr, 0, sizeof mv->expr);
}

/* ---- states --------------------------------------------------------------- */

/* States of `d` a case can be in: default entry and the entry sets of transitions,
 * whatever the guards. */
static uint8_t *reachable(mck *c, const zf_definition *d) {
    uint8_t *r = alloc(c, d->nstates), *done = alloc(c, d->ntrans);
    int changed = 1;
    if (!r || !done)
        return NULL;
    r[0] = 1;
    for (uint32_t k = 0; k < d->states[0].ninit; k++)
        r[d->state_pool[d->states[0].init_first + k]] = 1;
    while (changed) {
        changed = 0;
        for (uint32_t i = 0; i < d->ntrans; i++) {
            const zf__transition *t = &d->trans[i];
            if (done[i] || !r[t->source] || t->target == ZF_NOIDX)
                continue;
            done[i] = 1;
            for (uint32_t k = 0; k < t->nentry; k++)
                if (!r[d->state_pool[t->entry_first + k]]) {
                    r[d->state_pool[t->entry_first + k]] = 1;
                    changed = 1;
                }
        }
    }
    return r;
}

static int is_leaf(const zf__state *s) {
    return s->kind == ZF_STATE_ATOMIC || s->kind == ZF_STATE_FINAL;
}

/* The nearest common ancestor of a and b (a state is its own ancestor). */
static uint16_t lca(const zf_definition *d, uint16_t a, uint16_t b) {
    while (!zf__defn_within(d, b, a))
        a = d->states[a].parent;
    return a;
}

static void check_states(mck *c) {
    const zf_definition *from = c->from, *to = c->to;
    uint16_t *target = alloc(c, from->nstates * sizeof *target);
    const xmlNode *where = c->states_el ? c->states_el : c->root;
    char fv[300];
    uint8_t *r;
    if (!target || !c->expl)
        return;
    FOR_CHILDREN(n, c->states_el) {
        const char *f = zf__xml_attr(n, "from"), *t = zf__xml_attr(n, "to");
        uint16_t fs = f ? zf__defn_state(from, f) : ZF_NOIDX;
        uint16_t ts = t ? zf__defn_state(to, t) : ZF_NOIDX;
        if (fs == ZF_NOIDX || fs == 0) {
            ERROR(c, n, "from", "unknown-state", "the old version has no state '%s'",
                  f ? f : "");
            continue;
        }
        if (ts == ZF_NOIDX || ts == 0) {
            ERROR(c, n, "to", "unknown-state", "the new version has no state '%s'",
                  t ? t : "");
            continue;
        }
        if (c->expl[fs] != ZF_NOIDX) {
            ERROR(c, n, "from", "duplicate-map", "state '%s' is mapped twice", f);
            continue;
        }
        c->expl[fs] = ts;
        c->map_node[fs] = n;
    }
    /* An explicit map, else the state of the same id, else an ancestor's explicit map. */
    target[0] = 0;
    for (uint16_t s = 1; s < from->nstates; s++) {
        uint16_t same = zf__defn_state(to, from->states[s].id);
        if (c->expl[s] != ZF_NOIDX)
            target[s] = c->expl[s];
        else if (same != ZF_NOIDX && same != 0)
            target[s] = same;
        else {
            target[s] = ZF_NOIDX;
            for (uint16_t a = from->states[s].parent; a != 0 && a != ZF_NOIDX;
                 a = from->states[a].parent)
                if (c->expl[a] != ZF_NOIDX) {
                    target[s] = c->expl[a];
                    break;
                }
        }
    }
    c->m->state_target = target;
    pv_text(from, fv, sizeof fv);
    if (!(r = reachable(c, from)))
        return;
    for (uint16_t s = 1; s < from->nstates; s++) {
        const zf__state *st = &from->states[s];
        uint16_t t = target[s];
        if (!r[s] || !is_leaf(st))
            continue;
        if (t == ZF_NOIDX) {
            ERROR(c, where, NULL, "unmapped-state",
                  "state '%s' of %s is reachable but not mapped, and the new version has "
                  "no state '%s': add <map from=\"%s\" to=\"...\"/>",
                  st->id, fv, st->id, st->id);
            continue;
        }
        /* A finished case stays finished. */
        if (st->kind == ZF_STATE_FINAL && st->parent == 0 &&
            !(to->states[t].kind == ZF_STATE_FINAL && to->states[t].parent == 0))
            ERROR(c, c->map_node[s] ? c->map_node[s] : where, NULL, "unmapped-state",
                  "final state '%s' ends the case: it must map to a final state of the "
                  "process, not to '%s'",
                  st->id, to->states[t].id);
    }
    /* States a case can be in together (in parallel regions) must map to states it
       can be in together: the same one, or states in different regions. */
    for (uint16_t a = 1; a < from->nstates; a++) {
        if (!r[a] || !is_leaf(&from->states[a]) || target[a] == ZF_NOIDX)
            continue;
        for (uint16_t b = (uint16_t)(a + 1); b < from->nstates; b++) {
            uint16_t ta = target[a], tb = target[b], l;
            if (!r[b] || !is_leaf(&from->states[b]) || tb == ZF_NOIDX || ta == tb ||
                from->states[lca(from, a, b)].kind != ZF_STATE_PARALLEL)
                continue;
            l = lca(to, ta, tb);
            if (to->states[l].kind == ZF_STATE_PARALLEL && l != ta && l != tb)
                continue;
            ERROR(c,
                  c->map_node[b]   ? c->map_node[b]
                  : c->map_node[a] ? c->map_node[a]
                                   : where,
                  NULL, "illegal-configuration",
                  "states '%s' and '%s' can be active together but map to '%s' and '%s', "
                  "which cannot",
                  from->states[a].id, from->states[b].id, to->states[ta].id,
                  to->states[tb].id);
        }
    }
}

/* ---- variables ------------------------------------------------------------ */

static void set_source(mck *c, const xmlNode *n, const char *at, uint16_t nv) {
    if (c->var_node[nv]) {
        zf__elpos p = zf__load_elpos(c->x, c->var_node[nv]);
        ERROR(c, n, at, "duplicate-source",
              "variable '%s' of the new version already gets its value at line %d",
              c->to->vars[nv].id, p.line);
        return;
    }
    c->var_node[nv] = n;
}

static void check_variables(mck *c) {
    const zf_definition *from = c->from, *to = c->to;
    zf__mvar *vars = alloc(c, to->nvars * sizeof *vars);
    uint8_t *dropped = alloc(c, from->nvars);
    const xmlNode *where = c->vars_el ? c->vars_el : c->root;
    char fv[300], tv[300];
    if (!vars || !dropped)
        return;
    pv_text(from, fv, sizeof fv);
    pv_text(to, tv, sizeof tv);
    FOR_CHILDREN(n, c->vars_el) {
        if (is_el(n, "rename")) {
            const char *f = zf__xml_attr(n, "from"), *t = zf__xml_attr(n, "to");
            uint16_t o = zf__defn_var(from, f), nv = zf__defn_var(to, t);
            if (o == ZF_NOIDX)
                ERROR(c, n, "from", "unknown-variable",
                      "the old version has no variable '%s'", f);
            if (nv == ZF_NOIDX)
                ERROR(c, n, "to", "unknown-variable",
                      "the new version has no variable '%s'", t);
            if (o == ZF_NOIDX || nv == ZF_NOIDX)
                continue;
            set_source(c, n, "to", nv);
            c->old_var_carried[o] = 1;
            if (!fits(c, n, "to", from->vars[o].type, from->vars[o].enum_id, nv,
                      "in rename"))
                continue;
            vars[nv].kind = ZF__MV_COPY;
            vars[nv].old = o;
            vars[nv].journaled = 1;
        } else if (is_el(n, "drop")) {
            const char *v = zf__xml_attr(n, "var");
            uint16_t o = zf__defn_var(from, v);
            if (o == ZF_NOIDX) {
                ERROR(c, n, "var", "unknown-variable",
                      "the old version has no variable '%s'", v);
                continue;
            }
            dropped[o] = 1;
        } else if (is_el(n, "set")) {
            const char *v = zf__xml_attr(n, "var");
            uint16_t nv = zf__defn_var(to, v);
            if (nv == ZF_NOIDX) {
                ERROR(c, n, "var", "unknown-variable",
                      "the new version has no variable '%s'", v);
                continue;
            }
            set_source(c, n, "var", nv);
            compile_set(c, n, nv, &vars[nv]);
            vars[nv].journaled = 1;
        }
    }
    /* The same id carries over unless the old one is dropped or the new one set. */
    for (uint16_t nv = 0; nv < to->nvars; nv++) {
        uint16_t o = zf__defn_var(from, to->vars[nv].id);
        if (c->var_node[nv] || o == ZF_NOIDX || dropped[o])
            continue;
        if (!fits(
                c, where, NULL, from->vars[o].type, from->vars[o].enum_id, nv,
                "the variable of the same id cannot carry over (drop the old one or set "
                "the new one)"))
            continue;
        vars[nv].kind = ZF__MV_COPY;
        vars[nv].old = o;
        c->old_var_carried[o] = 1;
    }
    for (uint16_t nv = 0; nv < to->nvars; nv++) {
        const zf__var *v = &to->vars[nv];
        if (vars[nv].kind == ZF__MV_NONE && !c->var_node[nv] && v->required &&
            !v->has_default)
            ERROR(c, where, NULL, "missing-variable",
                  "required variable '%s' of %s gets no value: add <set var=\"%s\" "
                  "expr=\"...\"/>",
                  v->id, tv, v->id);
        else if (vars[nv].kind == ZF__MV_COPY && v->required && !v->has_default &&
                 !from->vars[vars[nv].old].required &&
                 !from->vars[vars[nv].old].has_default)
            WARNING(c, c->var_node[nv] ? c->var_node[nv] : where, NULL, "maybe-unset",
                    "required variable '%s' of %s comes from '%s', which may be unset: "
                    "such cases cannot be migrated",
                    v->id, tv, from->vars[vars[nv].old].id);
    }
    for (uint16_t o = 0; o < from->nvars; o++) {
        if (c->old_var_carried[o] && dropped[o])
            ERROR(c, where, NULL, "dropped-and-kept",
                  "variable '%s' of %s is both dropped and carried over",
                  from->vars[o].id, fv);
        else if (!c->old_var_carried[o] && !dropped[o])
            ERROR(c, where, NULL, "unmapped-variable",
                  "variable '%s' of %s is not carried over: rename it, or drop it with "
                  "<drop var=\"%s\"/>",
                  from->vars[o].id, fv, from->vars[o].id);
    }
    c->m->vars = vars;
    c->m->old_var_dropped = dropped;
}

/* ---- terms ---------------------------------------------------------------- */

static void term_decision(mck *c, const xmlNode *n, uint16_t nt, zf__mterm_kind kind,
                          uint16_t o, zf__mterm *terms) {
    if (c->term_node[nt]) {
        zf__elpos p = zf__load_elpos(c->x, c->term_node[nt]);
        ERROR(c, n, "term", "duplicate-source",
              "term '%s' of the new version is already decided at line %d",
              c->to->terms[nt].id, p.line);
        return;
    }
    c->term_node[nt] = n;
    terms[nt].kind = (uint8_t)kind;
    terms[nt].old = o;
    if (o == ZF_NOIDX)
        return;
    c->old_term_carried[o] = 1;
    /* Suspensions and extensions go along: the new term must have room for them. */
    if (kind != ZF__MT_STOP && c->from->term_extra[o] && !c->to->term_extra[nt])
        ERROR(c, n, "term", "migration-term",
              "term '%s' of the old version can be suspended or extended, but term '%s' "
              "of the new version cannot hold suspensions or extensions",
              c->from->terms[o].id, c->to->terms[nt].id);
}

static void check_terms(mck *c) {
    const zf_definition *from = c->from, *to = c->to;
    zf__mterm *terms = alloc(c, to->nterms * sizeof *terms);
    uint8_t *stopped = alloc(c, from->nterms);
    const xmlNode *where = c->terms_el ? c->terms_el : c->root;
    char fv[300];
    if (!terms || !stopped)
        return;
    pv_text(from, fv, sizeof fv);
    FOR_CHILDREN(n, c->terms_el) {
        const char *t = zf__xml_attr(n, "term"), *f = zf__xml_attr(n, "from");
        if (is_el(n, "stop")) {
            uint16_t o = zf__defn_term(from, t), nt;
            if (o == ZF_NOIDX) {
                ERROR(c, n, "term", "unknown-term", "the old version has no term '%s'",
                      t);
                continue;
            }
            if (c->old_term_stop[o]) {
                ERROR(c, n, "term", "duplicate-source", "term '%s' is stopped twice", t);
                continue;
            }
            c->old_term_stop[o] = n;
            if ((nt = zf__defn_term(to, t)) != ZF_NOIDX)
                term_decision(c, n, nt, ZF__MT_STOP, o, terms);
            else
                stopped[o] = 1;
            continue;
        }
        uint16_t nt = zf__defn_term(to, t);
        uint16_t o = zf__defn_term(from, f ? f : t);
        if (nt == ZF_NOIDX) {
            ERROR(c, n, "term", "unknown-term", "the new version has no term '%s'", t);
            continue;
        }
        if (f && o == ZF_NOIDX) {
            ERROR(c, n, "from", "unknown-term", "the old version has no term '%s'", f);
            continue;
        }
        if (is_el(n, "keep") && o == ZF_NOIDX) {
            ERROR(c, n, "term", "unknown-term",
                  "the old version has no term '%s' to keep (name it with from=\"...\")",
                  t);
            continue;
        }
        term_decision(c, n, nt, is_el(n, "keep") ? ZF__MT_KEEP : ZF__MT_RECOMPUTE, o,
                      terms);
    }
    for (uint16_t nt = 0; nt < to->nterms; nt++) {
        uint16_t o = zf__defn_term(from, to->terms[nt].id);
        if (c->term_node[nt] || o == ZF_NOIDX || c->old_term_stop[o])
            continue;
        terms[nt].kind = ZF__MT_KEEP;
        terms[nt].old = o;
        c->old_term_carried[o] = 1;
        if (from->term_extra[o] && !to->term_extra[nt])
            ERROR(c, where, NULL, "migration-term",
                  "term '%s' of the old version can be suspended or extended, but the "
                  "term of that id in the new version cannot hold suspensions or "
                  "extensions: recompute or stop it",
                  to->terms[nt].id);
    }
    for (uint16_t o = 0; o < from->nterms; o++) {
        if (c->old_term_carried[o] && c->old_term_stop[o] && stopped[o])
            ERROR(c, c->old_term_stop[o], "term", "dropped-and-kept",
                  "term '%s' is both stopped and carried over", from->terms[o].id);
        else if (!c->old_term_carried[o] && !c->old_term_stop[o])
            ERROR(c, where, NULL, "unmapped-term",
                  "term '%s' of %s is not carried over: keep it as a term of the new "
                  "version (<keep term=\"...\" from=\"%s\"/>) or <stop term=\"%s\"/>",
                  from->terms[o].id, fv, from->terms[o].id, from->terms[o].id);
    }
    c->m->terms = terms;
    c->m->old_term_stopped = stopped;
}

/* ---- the whole document ----------------------------------------------------- */

static int tables(mck *c) {
    c->expl = alloc(c, c->from->nstates * sizeof *c->expl);
    c->map_node = alloc(c, c->from->nstates * sizeof *c->map_node);
    c->var_node = alloc(c, c->to->nvars * sizeof *c->var_node);
    c->old_var_carried = alloc(c, c->from->nvars);
    c->term_node = alloc(c, c->to->nterms * sizeof *c->term_node);
    c->old_term_carried = alloc(c, c->from->nterms);
    c->old_term_stop = alloc(c, c->from->nterms * sizeof *c->old_term_stop);
    if (c->oom)
        return -1;
    for (uint16_t s = 0; s < c->from->nstates; s++)
        c->expl[s] = ZF_NOIDX;
    return 0;
}

/* The definition a `from` or `to` attribute names, checked against the one given. */
static int check_end(mck *c, const char *at, const zf_definition *d, const char *id,
                     const char *version, const char *missing) {
    if (!d) {
        ERROR(c, c->root, at, "unknown-process", "process '%s' version '%s' is not %s",
              id ? id : "", version ? version : "", missing ? missing : "given");
        return -1;
    }
    if (!id || strcmp(id, d->id) || strcmp(version, d->version ? d->version : "")) {
        char buf[300];
        ERROR(
            c, c->root, at, "wrong-process",
            "the migration is %s process '%s' version '%s', but the definition given is "
            "%s",
            !strcmp(at, "from") ? "from" : "to", id ? id : "", version ? version : "",
            pv_text(d, buf, sizeof buf));
        return -1;
    }
    return 0;
}

static void run_checks(mck *c, resolve_fn resolve, void *ctx, const char *missing) {
    zf_migration *m = c->m;
    int bad = 0;
    FOR_CHILDREN(n, c->root) {
        if (is_el(n, "states"))
            c->states_el = n;
        else if (is_el(n, "variables"))
            c->vars_el = n;
        else if (is_el(n, "terms"))
            c->terms_el = n;
    }
    split_pv(c, zf__xml_attr(c->root, "from"), &m->from_id, &m->from_version);
    split_pv(c, zf__xml_attr(c->root, "to"), &m->to_id, &m->to_version);
    m->basis = basis_of(c, c->root);
    if (c->oom)
        return;
    c->from = resolve(ctx, m->from_id, m->from_version, 0);
    c->to = resolve(ctx, m->to_id, m->to_version, 1);
    bad |= check_end(c, "from", c->from, m->from_id, m->from_version, missing);
    bad |= check_end(c, "to", c->to, m->to_id, m->to_version, missing);
    if (!m->basis)
        WARNING(c, c->root, NULL, "missing-basis", "the migration has no legal basis");
    if (bad || tables(c) < 0)
        return;
    memcpy(m->from_hash, c->from->hash, sizeof m->from_hash);
    memcpy(m->to_hash, c->to->hash, sizeof m->to_hash);
    m->nold_states = c->from->nstates;
    m->nold_vars = c->from->nvars;
    m->nold_terms = c->from->nterms;
    m->nnew_vars = c->to->nvars;
    m->nnew_terms = c->to->nterms;
    check_states(c);
    if (!c->oom)
        check_variables(c);
    if (!c->oom)
        check_terms(c);
}

/*
 * Parse, validate and check the document in `x` (bytes set) with the
 * definitions `resolve` finds (`missing` says where it looked, for the
 * message when it finds none). *out is NULL unless the document has no errors.
 */
static zf_code load_doc(zf_migration **out, zf__xml *x, zf__diagctx *dc,
                        resolve_fn resolve, void *ctx, const char *missing) {
    mck c;
    size_t errors = dc->errors;
    zf_code rc;
    *out = NULL;
    x->schema = ZF__SCHEMA_MIGRATION;
    if ((rc = zf__load_parse(x, dc)) != ZF_OK)
        return rc;
    memset(&c, 0, sizeof c);
    c.x = x;
    c.dc = dc;
    c.root = xmlDocGetRootElement(x->doc);
    c.m = zf__arena_alloc(&c.arena, sizeof *c.m);
    if (!c.m)
        return ZF_ENOMEM;
    run_checks(&c, resolve, ctx, missing);
    if (c.oom || dc->oom) {
        zf__arena_free(&c.arena);
        return ZF_ENOMEM;
    }
    if (dc->errors != errors) {
        zf__arena_free(&c.arena);
        return ZF_ESEMANTIC;
    }
    c.m->magic = ZF__MAGIC_MIGRATION;
    c.m->arena = c.arena.head;
    *out = c.m;
    return ZF_OK;
}

/*
 * One document with its diagnostics: read from `path`, or `bytes` named `name`.
 * Fills `err` with the first error (or ZF_ENOMEM).
 */
static zf_code load_one(zf_migration **out, const char *path, const char *bytes,
                        size_t len, const char *name, resolve_fn resolve, void *ctx,
                        const char *missing, zf_diagnostics *diags, zf_error *err) {
    zf_diagnostics local = ZF_DIAGNOSTICS_INIT;
    zf_diagnostics *dl = diags ? diags : &local;
    zf__diagctx dc;
    zf__xml x;
    size_t from = dl->count;
    char *buf = NULL;
    zf_code rc;
    memset(&dc, 0, sizeof dc);
    memset(&x, 0, sizeof x);
    dc.out = dl;
    dc.file = path ? path : (name ? name : "<string>");
    x.name = dc.file;
    *out = NULL;
    if (path && (rc = zf__load_read_file(&buf, &len, &dc)) != ZF_OK)
        goto done;
    x.bytes = path ? buf : bytes;
    x.len = len;
    rc = load_doc(out, &x, &dc, resolve, ctx, missing);
    zf__load_release(&x);
done:
    zf__free(buf);
    if (dc.oom)
        rc = ZF_ENOMEM;
    if (rc == ZF_ENOMEM && *out) {
        zf_migration_free(*out);
        *out = NULL;
    }
    zf__diags_sort(dl, from);
    if (rc == ZF_ENOMEM)
        zf__error_set(err, ZF_ENOMEM, NULL);
    else if (rc != ZF_OK)
        zf__diags_first_error(err, dl, from, rc);
    zf_diagnostics_dispose(&local);
    return rc;
}

/* ---- the public functions -------------------------------------------------- */

typedef struct pair {
    const zf_definition *from, *to;
} pair;

static const zf_definition *from_pair(void *ctx, const char *id, const char *version,
                                      int to) {
    (void)id;
    (void)version;
    return to ? ((pair *)ctx)->to : ((pair *)ctx)->from;
}

zf_code zf_migration_load(zf_migration **out, const char *path, const zf_definition *from,
                          const zf_definition *to, zf_diagnostics *diags, zf_error *err) {
    pair p = {from, to};
    zf_error_clear(err);
    if (!out)
        return zf__error_set(err, ZF_EINVAL, "out is NULL");
    *out = NULL;
    if (!path)
        return zf__error_set(err, ZF_EINVAL, "path is NULL");
    if (!zf__ok_definition(from) || !zf__ok_definition(to))
        return zf__error_set(err, ZF_EINVAL, "invalid definition");
    return load_one(out, path, NULL, 0, NULL, from_pair, &p, NULL, diags, err);
}

zf_code zf_migration_parse(zf_migration **out, const char *xml, size_t len,
                           const char *name, const zf_definition *from,
                           const zf_definition *to, zf_diagnostics *diags,
                           zf_error *err) {
    pair p = {from, to};
    zf_error_clear(err);
    if (!out)
        return zf__error_set(err, ZF_EINVAL, "out is NULL");
    *out = NULL;
    if (!xml && len)
        return zf__error_set(err, ZF_EINVAL, "xml is NULL");
    if (!zf__ok_definition(from) || !zf__ok_definition(to))
        return zf__error_set(err, ZF_EINVAL, "invalid definition");
    return load_one(out, NULL, xml ? xml : "", len, name, from_pair, &p, NULL, diags,
                    err);
}

static const zf_definition *from_registry(void *ctx, const char *id, const char *version,
                                          int to) {
    const zf_definition *d = NULL;
    (void)to;
    if (!id || zf_registry_find(&d, ctx, id, version, NULL) != ZF_OK)
        return NULL;
    return d;
}

zf_code zf_registry_load_migration(zf_migration **out, const zf_registry *reg,
                                   const char *path, zf_diagnostics *diags,
                                   zf_error *err) {
    zf_error_clear(err);
    if (!out)
        return zf__error_set(err, ZF_EINVAL, "out is NULL");
    *out = NULL;
    if (!path)
        return zf__error_set(err, ZF_EINVAL, "path is NULL");
    if (!zf__ok_registry(reg))
        return zf__error_set(err, ZF_EINVAL, "invalid registry");
    return load_one(out, path, NULL, 0, NULL, from_registry, (void *)reg,
                    "in the registry", diags, err);
}

zf_code zf__migration_load_with(zf_migration **out, const char *path, resolve_fn resolve,
                                void *ctx, const char *missing, zf_diagnostics *diags,
                                zf_error *err) {
    zf_error_clear(err);
    *out = NULL;
    return load_one(out, path, NULL, 0, NULL, resolve, ctx, missing, diags, err);
}

int zf__migration_sniff(const char *path) {
    char buf[4096];
    size_t n;
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    /* The root element is <migration> in the migration namespace (a prefix-free
       default namespace, as the schema's documents are written). */
    for (char *p = buf; (p = strchr(p, '<')) != NULL; p++) {
        if (p[1] == '?' || p[1] == '!')
            continue;
        return !strncmp(p + 1, "migration", 9) && strstr(p, ZF_MIGRATION_NS) != NULL;
    }
    return 0;
}

void zf_migration_free(zf_migration *mig) {
    zf__arena a;
    if (!zf__ok_migration(mig))
        return;
    mig->magic = ZF__MAGIC_DEAD;
    a.head = mig->arena;
    zf__arena_free(&a); /* mig itself lives in the arena */
}

const char *zf_migration_from_id(const zf_migration *mig) {
    return zf__ok_migration(mig) ? mig->from_id : NULL;
}
const char *zf_migration_from_version(const zf_migration *mig) {
    return zf__ok_migration(mig) ? mig->from_version : NULL;
}
const char *zf_migration_from_hash(const zf_migration *mig) {
    return zf__ok_migration(mig) ? mig->from_hash : NULL;
}
const char *zf_migration_to_id(const zf_migration *mig) {
    return zf__ok_migration(mig) ? mig->to_id : NULL;
}
const char *zf_migration_to_version(const zf_migration *mig) {
    return zf__ok_migration(mig) ? mig->to_version : NULL;
}
const char *zf_migration_to_hash(const zf_migration *mig) {
    return zf__ok_migration(mig) ? mig->to_hash : NULL;
}
const char *zf_migration_basis(const zf_migration *mig) {
    return zf__ok_migration(mig) ? mig->basis : NULL;
}
