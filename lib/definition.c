/*
 * The public API of process definitions (include/zaakflow/definition.h):
 * loading (load.c -> check.c -> compile.c), diagnostics, introspection, the
 * Graphviz diagram and the Markdown explanation (both through writer.h, from the
 * compiled definition alone). Validating files together is in validate.c.
 */
#include "load.h"
#include "migration_int.h"
#include "registry_int.h"
#include "writer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------ */
/* Diagnostics */

void zf_diagnostics_dispose(zf_diagnostics *diags) {
    if (!diags)
        return;
    zf__free(diags->items);
    memset(diags, 0, sizeof *diags);
}

zf_code zf_diagnostics_format(zf_buf *out, const zf_diagnostics *diags, zf_error *err) {
    size_t before;
    zf_error_clear(err);
    if (!out)
        return zf__error_set(err, ZF_EINVAL, "invalid buffer");
    if (!diags)
        return ZF_OK;
    before = out->size;
    for (size_t i = 0; i < diags->count; i++) {
        const zf_diagnostic *d = &diags->items[i];
        const char *sev = d->severity == ZF_SEVERITY_ERROR ? "error" : "warning";
        const char *tag =
            d->severity == ZF_SEVERITY_ERROR ? zf_code_name(d->code) : d->check;
        zf_code rc;
        if (d->line > 0 && d->column > 0)
            rc = zf_buf_printf(out, "%s:%d:%d: %s: %s [%s]\n", d->file, d->line,
                               d->column, sev, d->message, tag);
        else if (d->line > 0)
            rc = zf_buf_printf(out, "%s:%d: %s: %s [%s]\n", d->file, d->line, sev,
                               d->message, tag);
        else
            rc = zf_buf_printf(out, "%s: %s: %s [%s]\n", d->file, sev, d->message, tag);
        if (rc != ZF_OK) {
            out->size = before;
            if (out->ptr)
                out->ptr[before] = '\0';
            return zf__error_set(err, rc, NULL);
        }
    }
    return ZF_OK;
}

/* Stable sort of items[from..count) by line and column: findings in file order. */
void zf__diags_sort(zf_diagnostics *diags, size_t from) {
    if (!diags)
        return;
    for (size_t i = from + 1; i < diags->count; i++) {
        zf_diagnostic d = diags->items[i];
        size_t j = i;
        while (j > from && (diags->items[j - 1].line > d.line ||
                            (diags->items[j - 1].line == d.line &&
                             diags->items[j - 1].column > d.column))) {
            diags->items[j] = diags->items[j - 1];
            j--;
        }
        diags->items[j] = d;
    }
}

/* Fill err from the first error of items[from..count). */
void zf__diags_first_error(zf_error *err, const zf_diagnostics *diags, size_t from,
                           zf_code rc) {
    if (!err || err->code != ZF_OK)
        return;
    for (size_t i = from; i < diags->count; i++) {
        const zf_diagnostic *d = &diags->items[i];
        if (d->severity == ZF_SEVERITY_ERROR) {
            zf__error_setpos(err, d->code, d->file, d->line, d->column, "%s", d->message);
            return;
        }
    }
    zf__error_set(err, rc, NULL);
}

/* ------------------------------------------------------------------------ */
/* Loading */

/* Parse, check and compile `bytes`. With `keep`, the parsed document is left in
 * it for the caller (who releases it), else it is released here. */
static zf_code load_bytes(zf_definition **out, const char *bytes, size_t len,
                          zf__diagctx *dc, zf__xml *keep) {
    zf__xml local, *x = keep ? keep : &local;
    zf__model *m = NULL;
    zf_code rc;

    memset(x, 0, sizeof *x);
    x->name = dc->file;
    x->bytes = bytes;
    x->len = len;
    rc = zf__load_parse(x, dc);
    if (rc == ZF_OK)
        rc = zf__check_model(&m, x, dc, 0);
    if (rc == ZF_OK)
        rc = zf__compile(out, m, dc->file);
    zf__model_free(m);
    if (!keep)
        zf__load_release(x);
    if (dc->oom && rc == ZF_OK) {
        zf__defn_destroy(*out);
        *out = NULL;
    }
    if (dc->oom)
        rc = ZF_ENOMEM;
    return rc;
}

/* One load with its diagnostics; `path` NULL means parse `bytes` as `name`; `keep`
 * as in load_bytes(). */
static zf_code load_one(zf_definition **out, const char *path, const char *bytes,
                        size_t len, const char *name, zf_diagnostics *diags,
                        zf__xml *keep, zf_error *err) {
    zf_diagnostics local = ZF_DIAGNOSTICS_INIT;
    zf_diagnostics *dl = diags ? diags : &local;
    zf__diagctx dc;
    size_t from = dl->count, errors = dl->errors, warnings = dl->warnings;
    char *buf = NULL;
    zf_code rc;

    memset(&dc, 0, sizeof dc);
    dc.out = dl;
    dc.file = path ? path : (name ? name : "<string>");
    *out = NULL;
    if (path) {
        rc = zf__load_read_file(&buf, &len, &dc);
        if (rc == ZF_OK)
            rc = load_bytes(out, buf, len, &dc, NULL);
        zf__free(buf);
    } else {
        rc = load_bytes(out, bytes, len, &dc, keep);
    }
    if (dc.oom)
        rc = ZF_ENOMEM;
    if (rc == ZF_ENOMEM) {
        /* What was found while memory ran out may be wrong: the list is left as it
           was. */
        dl->count = from;
        dl->errors = errors;
        dl->warnings = warnings;
    }
    zf__diags_sort(dl, from);
    if (rc == ZF_ENOMEM)
        zf__error_set(err, ZF_ENOMEM, NULL);
    else if (rc != ZF_OK)
        zf__diags_first_error(err, dl, from, rc);
    zf_diagnostics_dispose(&local);
    return rc;
}

zf_code zf_definition_load(zf_definition **out, const char *path, zf_diagnostics *diags,
                           zf_error *err) {
    zf_error_clear(err);
    if (!out)
        return zf__error_set(err, ZF_EINVAL, "no output pointer");
    *out = NULL;
    if (!path)
        return zf__error_set(err, ZF_EINVAL, "no path");
    return load_one(out, path, NULL, 0, NULL, diags, NULL, err);
}

zf_code zf_definition_parse(zf_definition **out, const char *xml, size_t len,
                            const char *name, zf_diagnostics *diags, zf_error *err) {
    zf_error_clear(err);
    if (!out)
        return zf__error_set(err, ZF_EINVAL, "no output pointer");
    *out = NULL;
    if (!xml && len)
        return zf__error_set(err, ZF_EINVAL, "no input");
    return load_one(out, NULL, xml ? xml : "", len, name, diags, NULL, err);
}

zf_code zf__definition_parse_keep(zf_definition **out, zf__xml *doc, const char *bytes,
                                  size_t len, const char *name, zf_diagnostics *diags,
                                  zf_error *err) {
    *out = NULL;
    return load_one(out, NULL, bytes, len, name, diags, doc, err);
}

void zf_definition_free(zf_definition *def) {
    if (!zf__ok_definition(def))
        return;
    zf__defn_destroy(def);
}

/* ------------------------------------------------------------------------ */
/* Introspection */

const char *zf_definition_id(const zf_definition *def) {
    return zf__ok_definition(def) ? def->id : NULL;
}
const char *zf_definition_version(const zf_definition *def) {
    return zf__ok_definition(def) ? def->version : NULL;
}
const char *zf_definition_title(const zf_definition *def) {
    return zf__ok_definition(def) ? def->title : NULL;
}
const char *zf_definition_basis(const zf_definition *def) {
    return zf__ok_definition(def) ? def->basis : NULL;
}
const char *zf_definition_hash(const zf_definition *def) {
    return zf__ok_definition(def) ? def->hash : NULL;
}
zf_date zf_definition_valid_from(const zf_definition *def) {
    return zf__ok_definition(def) ? def->valid_from : ZF_DATE_NONE;
}
zf_date zf_definition_valid_until(const zf_definition *def) {
    return zf__ok_definition(def) ? def->valid_until : ZF_DATE_NONE;
}
size_t zf_definition_state_count(const zf_definition *def) {
    return zf__ok_definition(def) ? def->nstates : 0;
}
const char *zf_definition_state_id(const zf_definition *def, size_t i) {
    return zf__ok_definition(def) && i < def->nstates ? def->states[i].id : NULL;
}
size_t zf_definition_event_count(const zf_definition *def) {
    return zf__ok_definition(def) ? def->nevents : 0;
}
const char *zf_definition_event_id(const zf_definition *def, size_t i) {
    return zf__ok_definition(def) && i < def->nevents ? def->events[i].id : NULL;
}
size_t zf_definition_transition_count(const zf_definition *def) {
    return zf__ok_definition(def) ? def->ntrans : 0;
}
size_t zf_definition_var_count(const zf_definition *def) {
    return zf__ok_definition(def) ? def->nvars : 0;
}
const char *zf_definition_var_id(const zf_definition *def, size_t i) {
    return zf__ok_definition(def) && i < def->nvars ? def->vars[i].id : NULL;
}
zf_type zf_definition_var_type(const zf_definition *def, size_t i) {
    return zf__ok_definition(def) && i < def->nvars ? def->vars[i].type : ZF_TYPE_VOID;
}
size_t zf_definition_term_count(const zf_definition *def) {
    return zf__ok_definition(def) ? def->nterms : 0;
}
const char *zf_definition_term_id(const zf_definition *def, size_t i) {
    return zf__ok_definition(def) && i < def->nterms ? def->terms[i].id : NULL;
}
const char *zf_definition_term_party(const zf_definition *def, size_t i) {
    return zf__ok_definition(def) && i < def->nterms ? def->terms[i].party : NULL;
}
size_t zf_definition_role_count(const zf_definition *def) {
    return zf__ok_definition(def) ? def->nroles : 0;
}
const char *zf_definition_role_id(const zf_definition *def, size_t i) {
    return zf__ok_definition(def) && i < def->nroles ? def->roles[i].id : NULL;
}

int zf_definition_event_index(const zf_definition *def, const char *id) {
    uint16_t e = zf__ok_definition(def) && id ? zf__defn_event(def, id) : ZF_NOIDX;
    return e == ZF_NOIDX ? -1 : (int)e;
}
size_t zf_definition_param_count(const zf_definition *def, size_t event) {
    return zf__ok_definition(def) && event < def->nevents ? def->events[event].nparams
                                                          : 0;
}
const char *zf_definition_param_id(const zf_definition *def, size_t event, size_t i) {
    return zf__ok_definition(def) && event < def->nevents &&
                   i < def->events[event].nparams
               ? def->events[event].params[i].id
               : NULL;
}
int zf_definition_param_index(const zf_definition *def, size_t event, const char *id) {
    if (!zf__ok_definition(def) || event >= def->nevents || !id)
        return -1;
    for (uint16_t k = 0; k < def->events[event].nparams; k++)
        if (!strcmp(def->events[event].params[k].id, id))
            return k;
    return -1;
}
int zf_definition_role_index(const zf_definition *def, const char *id) {
    uint16_t r = zf__ok_definition(def) ? zf__defn_role(def, id) : ZF_NOIDX;
    return r == ZF_NOIDX ? -1 : (int)r;
}

zf_code zf_definition_event_info(zf_event_info *out, const zf_definition *def,
                                 size_t event, zf_error *err) {
    const zf__event *e;
    zf_error_clear(err);
    if (!out)
        return zf__error_set(err, ZF_EINVAL, "out is NULL");
    if (!zf__ok_definition(def))
        return zf__error_set(err, ZF_EINVAL, "invalid definition");
    if (event >= def->nevents)
        return zf__error_set(err, ZF_ENOTFOUND, "process '%s' has no event number %zu",
                             def->id, event);
    e = &def->events[event];
    out->id = e->id;
    out->title = e->title;
    out->basis = e->basis;
    out->kind = e->kind;
    out->nroles = (size_t)zf__popcount32(e->roles);
    out->nparams = e->nparams;
    out->line = e->pos.line;
    return ZF_OK;
}

zf_code zf_definition_param_info(zf_param_info *out, const zf_definition *def,
                                 size_t event, size_t i, zf_error *err) {
    const zf__param *p;
    zf_error_clear(err);
    if (!out)
        return zf__error_set(err, ZF_EINVAL, "out is NULL");
    if (!zf__ok_definition(def))
        return zf__error_set(err, ZF_EINVAL, "invalid definition");
    if (event >= def->nevents || i >= def->events[event].nparams)
        return zf__error_set(err, ZF_ENOTFOUND,
                             "process '%s' has no event number %zu parameter %zu",
                             def->id, event, i);
    p = &def->events[event].params[i];
    out->id = p->id;
    out->type = p->type;
    out->required = p->required != 0;
    out->enumeration = NULL;
    out->nvalues = 0;
    if (p->type == ZF_TYPE_ENUM && p->enum_id < def->nenums) {
        out->enumeration = def->enums[p->enum_id].id;
        out->nvalues = def->enums[p->enum_id].nvalues;
    }
    return ZF_OK;
}

const char *zf_definition_event_role(const zf_definition *def, size_t event, size_t k) {
    if (!zf__ok_definition(def) || event >= def->nevents)
        return NULL;
    /* The event's roles are a bit set over the definition's (at most ZF_MAX_ROLES). */
    for (uint32_t m = def->events[event].roles; m; m &= m - 1) {
        unsigned i = zf__ctz32(m);
        if (k-- == 0)
            return i < def->nroles ? def->roles[i].id : NULL;
    }
    return NULL;
}

const char *zf_definition_param_enum_value(const zf_definition *def, size_t event,
                                           size_t i, size_t k) {
    const zf__param *p;
    if (!zf__ok_definition(def) || event >= def->nevents ||
        i >= def->events[event].nparams)
        return NULL;
    p = &def->events[event].params[i];
    if (p->type != ZF_TYPE_ENUM || p->enum_id >= def->nenums ||
        k >= def->enums[p->enum_id].nvalues)
        return NULL;
    return def->enums[p->enum_id].values[k];
}

/* ------------------------------------------------------------------------ */
/* Graphviz */

static int is_cluster(const zf__state *s) {
    return s->kind == ZF_STATE_COMPOUND || s->kind == ZF_STATE_PARALLEL;
}

/* The node an edge attaches to: the state, or the anchor inside its cluster. */
static void dot_node_ref(zf__writer *w, const zf_definition *d, uint16_t s) {
    zf__w_puts(w, is_cluster(&d->states[s]) ? "\"anchor:" : "\"");
    zf__w_dot(w, d->states[s].id);
    zf__w_putc(w, '"');
}

/* The terms that run in state `s`, as lines of its label. */
static void dot_terms(zf__writer *w, const zf_definition *d, uint16_t s) {
    for (uint16_t t = 0; t < d->nterms; t++) {
        const zf__termdef *td = &d->terms[t];
        if (td->scope != s)
            continue;
        zf__w_puts(w, "\\nterm ");
        zf__w_dot(w, td->id);
        if (td->length.source) {
            zf__w_puts(w, ": ");
            zf__w_dot(w, td->length.source);
        }
        if (td->party) /* who must act before the last day */
            zf__w_printf(w, ", %s acts", td->party);
        if (td->basis) {
            zf__w_puts(w, " (");
            zf__w_dot(w, td->basis);
            zf__w_putc(w, ')');
        }
    }
}

static void dot_cluster(zf__writer *w, const zf_definition *d, uint16_t s, int indent);

static void dot_state(zf__writer *w, const zf_definition *d, uint16_t s, int indent) {
    const zf__state *st = &d->states[s];
    if (is_cluster(st)) {
        dot_cluster(w, d, s, indent);
        return;
    }
    zf__w_printf(w, "%*s", indent, "");
    dot_node_ref(w, d, s);
    zf__w_puts(w, st->kind == ZF_STATE_FINAL ? " [shape=doublecircle, label=\""
                                             : " [label=\"");
    zf__w_dot(w, st->id);
    if (st->title && st->kind != ZF_STATE_FINAL) {
        zf__w_puts(w, "\\n");
        zf__w_dot(w, st->title);
    }
    if (st->kind == ZF_STATE_FINAL && st->outcome) {
        zf__w_puts(w, "\\n");
        zf__w_dot(w, st->outcome);
    }
    dot_terms(w, d, s);
    zf__w_puts(w, "\"];\n");
}

/* A compound or parallel state: a cluster with an invisible anchor for edges. */
static void dot_cluster(zf__writer *w, const zf_definition *d, uint16_t s, int indent) {
    const zf__state *st = &d->states[s];
    zf__w_printf(w, "%*ssubgraph \"cluster_", indent, "");
    zf__w_dot(w, st->id);
    zf__w_printf(w, "\" {\n%*slabel=\"", indent + 2, "");
    zf__w_dot(w, st->id);
    if (st->kind == ZF_STATE_PARALLEL)
        zf__w_puts(w, " (parallel)");
    if (st->title) {
        zf__w_puts(w, "\\n");
        zf__w_dot(w, st->title);
    }
    dot_terms(w, d, s);
    zf__w_printf(w, "\";\n%*sstyle=%s;\n%*s", indent + 2, "",
                 st->kind == ZF_STATE_PARALLEL ? "dashed" : "rounded", indent + 2, "");
    dot_node_ref(w, d, s);
    zf__w_puts(w, " [shape=point, style=invis, width=0.01, height=0.01];\n");
    for (uint16_t k = (uint16_t)(s + 1); k <= s + st->ndesc; k += d->states[k].ndesc + 1)
        dot_state(w, d, k, indent + 2);
    zf__w_printf(w, "%*s}\n", indent, "");
}

/* `<attr>="cluster_<id>"`: an edge clipped at the border of state s's cluster. */
static void dot_clip(zf__writer *w, const char *attr, const zf_definition *d,
                     uint16_t s) {
    zf__w_puts(w, attr);
    zf__w_puts(w, "=\"cluster_");
    zf__w_dot(w, d->states[s].id);
    zf__w_putc(w, '"');
}

/* The label of an edge: event, [guard] and / the roles that may fire it. */
static void dot_edge_label(zf__writer *w, const zf_definition *d,
                           const zf__transition *t) {
    uint32_t roles = t->roles;
    int first = 1;
    if (t->event != ZF_NOIDX)
        roles |= d->events[t->event].roles;
    zf__w_dot(w, t->event != ZF_NOIDX ? d->events[t->event].id : "");
    if (t->cond.source) {
        zf__w_puts(w, t->event != ZF_NOIDX ? " [" : "[");
        zf__w_dot(w, t->cond.source);
        zf__w_putc(w, ']');
    }
    for (uint16_t r = 0; r < d->nroles && r < ZF_MAX_ROLES; r++) {
        if (!(roles & (1u << r)))
            continue;
        zf__w_puts(w, first ? " / " : ", ");
        first = 0;
        zf__w_dot(w, d->roles[r].id);
    }
}

static void dot_edge(zf__writer *w, const zf_definition *d, const zf__transition *t) {
    uint16_t to = t->target == ZF_NOIDX ? t->source : t->target;
    zf__w_puts(w, "  ");
    dot_node_ref(w, d, t->source);
    zf__w_puts(w, " -> ");
    dot_node_ref(w, d, to);
    zf__w_puts(w, " [label=\"");
    dot_edge_label(w, d, t);
    zf__w_putc(w, '"');
    if (is_cluster(&d->states[t->source]))
        dot_clip(w, ", ltail", d, t->source);
    if (is_cluster(&d->states[to]) && to != t->source)
        dot_clip(w, ", lhead", d, to);
    if (t->target == ZF_NOIDX)
        zf__w_puts(w, ", style=dotted");
    zf__w_puts(w, "];\n");
}

/* The graph's label and defaults, and the start point. */
static void dot_header(zf__writer *w, const zf_definition *d) {
    zf__w_puts(w, "digraph \"");
    zf__w_dot(w, d->id);
    zf__w_puts(w, "\" {\n  compound=true;\n  rankdir=LR;\n  label=\"");
    zf__w_dot(w, d->title ? d->title : d->id);
    if (d->version) {
        zf__w_puts(w, " (");
        zf__w_dot(w, d->version);
        zf__w_putc(w, ')');
    }
    dot_terms(w, d, 0);
    zf__w_puts(w, "\";\n  labelloc=t;\n"
                  "  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n"
                  "  edge [fontname=\"Helvetica\", fontsize=10];\n"
                  "  \"start:\" [shape=point, width=0.15];\n");
}

zf_code zf_definition_dot(zf_buf *out, const zf_definition *def, zf_error *err) {
    zf__writer w;
    const zf__state *root;

    zf_error_clear(err);
    if (!out)
        return zf__error_set(err, ZF_EINVAL, "out is NULL");
    if (!zf__ok_definition(def))
        return zf__error_set(err, ZF_EINVAL, "invalid definition");
    root = &def->states[0];
    zf__w_init(&w, out);
    dot_header(&w, def);
    for (uint16_t k = 1; k <= root->ndesc; k += def->states[k].ndesc + 1)
        dot_state(&w, def, k, 2);
    if (root->initial != ZF_NOIDX) {
        zf__w_puts(&w, "  \"start:\" -> ");
        dot_node_ref(&w, def, root->initial);
        if (is_cluster(&def->states[root->initial])) {
            dot_clip(&w, " [lhead", def, root->initial);
            zf__w_putc(&w, ']');
        }
        zf__w_puts(&w, ";\n");
    }
    for (uint32_t t = 0; t < def->ntrans; t++)
        dot_edge(&w, def, &def->trans[t]);
    zf__w_puts(&w, "}\n");
    return zf__w_finish(&w, err);
}

/* ------------------------------------------------------------------------ */
/* Markdown explanation */

/* Multi-line text (documentation): common indentation removed, blank lines at the ends
 * dropped. */
static void md_block(zf__writer *w, const char *s) {
    size_t indent = (size_t)-1;
    const char *p, *first = NULL, *last = NULL;
    if (!s)
        return;
    for (p = s; *p;) {
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p), k = 0;
        while (k < len && (p[k] == ' ' || p[k] == '\t'))
            k++;
        if (k < len) {
            if (k < indent)
                indent = k;
            if (!first)
                first = p;
            last = p;
        }
        p = e ? e + 1 : p + len;
    }
    for (p = first; p;) {
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        while (len && (p[len - 1] == ' ' || p[len - 1] == '\t' || p[len - 1] == '\r'))
            len--;
        if (len > indent)
            zf__w_put(w, p + indent, len - indent);
        zf__w_putc(w, '\n');
        p = p == last || !e ? NULL : e + 1;
    }
}

/* The roles in `mask` as code, or "anyone". */
static void md_roles(zf__writer *w, const zf_definition *d, uint32_t mask) {
    int first = 1;
    for (uint16_t r = 0; r < d->nroles && r < ZF_MAX_ROLES; r++) {
        if (!(mask & (1u << r)))
            continue;
        zf__w_puts(w, first ? "" : ", ");
        zf__w_md_code(w, d->roles[r].id);
        first = 0;
    }
    if (first)
        zf__w_puts(w, "anyone");
}

/* The values of an enumeration as code, separated by ", ". */
static void md_enum_values(zf__writer *w, const zf__enum *en) {
    for (uint16_t k = 0; k < en->nvalues; k++) {
        zf__w_puts(w, k ? ", " : "");
        zf__w_md_code(w, en->values[k]);
    }
}

static const char *type_label(const zf_definition *d, zf_type t, uint16_t enum_id) {
    if (t == ZF_TYPE_ENUM && enum_id != ZF_NOIDX && enum_id < d->nenums)
        return d->enums[enum_id].id;
    return zf_type_name(t);
}

static const char *kind_label(zf__state_kind k) {
    switch (k) {
    case ZF_STATE_ATOMIC:
        return "atomic";
    case ZF_STATE_COMPOUND:
        return "compound";
    case ZF_STATE_PARALLEL:
        return "parallel";
    case ZF_STATE_FINAL:
        return "final";
    }
    return "?";
}

static void md_money(zf__writer *w, int64_t cents) {
    zf__w_printf(w, "EUR %lld.%02lld", (long long)(cents / 100),
                 (long long)(cents % 100));
}

/* A link to the section of process `id` (in a `zaakflow explain` of several files). */
static void md_process_link(zf__writer *w, const char *id) {
    zf__w_printf(w, "[`%s`](#process-%s)", id ? id : "?", id ? id : "");
}

static const char *relation_label(zf__relation r) {
    return r == ZF_REL_DEELZAAK ? "deelzaak" : "vervolg";
}

/* Describe where an action sits: "`a` on `ev` → `b`", "entry of `s`". */
static void md_action_owner(zf__writer *w, const zf_definition *d, uint32_t k) {
    for (uint32_t t = 0; t < d->ntrans; t++) {
        const zf__transition *tr = &d->trans[t];
        if (k >= tr->action_first && k < tr->action_first + tr->naction) {
            zf__w_md_code(w, d->states[tr->source].id);
            zf__w_puts(w, " on ");
            zf__w_md_code(w, tr->event == ZF_NOIDX ? "(eventless)"
                                                   : d->events[tr->event].id);
            if (tr->target != ZF_NOIDX) {
                zf__w_puts(w, " → ");
                zf__w_md_code(w, d->states[tr->target].id);
            }
            return;
        }
    }
    for (uint16_t s = 0; s < d->nstates; s++) {
        const zf__state *st = &d->states[s];
        if (k >= st->entry_first && k < st->entry_first + st->nentry) {
            zf__w_puts(w, "entry of ");
            zf__w_md_code(w, st->id);
            return;
        }
        if (k >= st->exit_first && k < st->exit_first + st->nexit) {
            zf__w_puts(w, "exit of ");
            zf__w_md_code(w, st->id);
            return;
        }
    }
    zf__w_puts(w, "—");
}

/* The first cells of a table row: "| `id`<tag> | title". */
static void md_row_head(zf__writer *w, const char *id, const char *tag,
                        const char *title) {
    zf__w_puts(w, "| ");
    zf__w_md_code(w, id);
    zf__w_puts(w, tag);
    zf__w_puts(w, " | ");
    zf__w_md_cell(w, title);
}

/* The last cell of a table row, the legal basis: " | basis |". */
static void md_row_end(zf__writer *w, const char *basis) {
    zf__w_puts(w, " | ");
    zf__w_md_cell(w, basis);
    zf__w_puts(w, " |\n");
}

/* The anchor, the title and the table of id, version, validity, hash, calendar and size.
 */
static void md_header(zf__writer *w, const zf_definition *d) {
    unsigned ndeclared = 0;
    for (uint16_t e = 0; e < d->nevents; e++)
        ndeclared += d->events[e].kind == ZF_EVENT_EXTERNAL ||
                     d->events[e].kind == ZF_EVENT_INTERNAL;
    zf__w_printf(w, "<a id=\"process-%s\"></a>\n\n## ", d->id);
    zf__w_md_cell(w, d->title ? d->title : d->id);
    zf__w_puts(w, "\n\n| | |\n|---|---|\n| id | ");
    zf__w_md_code(w, d->id);
    zf__w_puts(w, " |\n| version | ");
    zf__w_md_cell(w, d->version);
    if (d->valid_from != ZF_DATE_NONE || d->valid_until != ZF_DATE_NONE) {
        char valid[64];
        zf__validity_text(d, valid, sizeof valid);
        zf__w_printf(w, " |\n| valid | cases starting %s", valid);
    }
    zf__w_puts(w, " |\n| SHA-256 | ");
    zf__w_md_code(w, d->hash);
    zf__w_puts(w, " |\n| calendar | ");
    zf__w_md_code(w, d->calendar ? zf_calendar_id(d->calendar) : NULL);
    zf__w_printf(
        w, " |\n| size | %u states, %u declared events, %u terms, %u transitions |\n",
        (unsigned)(d->nstates ? d->nstates - 1 : 0), ndeclared, (unsigned)d->nterms,
        (unsigned)d->ntrans);
}

/* The process's documentation and legal basis. */
static void md_purpose(zf__writer *w, const zf_definition *d) {
    zf__w_puts(w, "\n### Purpose\n\n");
    if (d->states[0].doc)
        md_block(w, d->states[0].doc);
    else
        zf__w_puts(w, "(no documentation)\n");
    zf__w_puts(w, "\n### Legal basis\n\n");
    if (d->basis)
        md_block(w, d->basis);
    else
        zf__w_puts(w, "(none given)\n");
}

static void md_state_row(zf__writer *w, const zf_definition *d, uint16_t s) {
    const zf__state *st = &d->states[s];
    md_row_head(w, st->id, s == d->states[0].initial ? " (initial)" : "", st->title);
    zf__w_printf(w, " | %s | ", kind_label(st->kind));
    zf__w_md_code(
        w, st->parent == 0 || st->parent == ZF_NOIDX ? NULL : d->states[st->parent].id);
    zf__w_puts(w, " | ");
    zf__w_md_code(w, st->kind == ZF_STATE_FINAL ? st->outcome : NULL);
    md_row_end(w, st->basis);
}

/* The states, then their documentation as a list in document order. */
static void md_states(zf__writer *w, const zf_definition *d) {
    int notes = 0;
    zf__w_puts(w, "\n### States\n\n| state | title | kind | parent | outcome | basis |\n"
                  "|---|---|---|---|---|---|\n");
    for (uint16_t s = 1; s < d->nstates; s++)
        md_state_row(w, d, s);
    for (uint16_t s = 1; s < d->nstates; s++) {
        if (!d->states[s].doc)
            continue;
        if (!notes++)
            zf__w_puts(w, "\nNotes on the states:\n\n");
        zf__w_puts(w, "- ");
        zf__w_md_code(w, d->states[s].id);
        zf__w_puts(w, ": ");
        zf__w_md_cell(w, d->states[s].doc);
        zf__w_putc(w, '\n');
    }
}

static void md_event_row(zf__writer *w, const zf_definition *d, const zf__event *ev) {
    md_row_head(w, ev->id, ev->kind == ZF_EVENT_INTERNAL ? " (internal)" : "", ev->title);
    zf__w_puts(w, " | ");
    if (!ev->nparams)
        zf__w_puts(w, "—");
    for (uint16_t p = 0; p < ev->nparams; p++) {
        const zf__param *pa = &ev->params[p];
        zf__w_puts(w, p ? "; " : "");
        zf__w_md_code(w, pa->id);
        zf__w_printf(w, ": %s%s", type_label(d, pa->type, pa->enum_id),
                     pa->required ? ", required" : "");
    }
    zf__w_puts(w, " | ");
    if (ev->kind == ZF_EVENT_INTERNAL)
        zf__w_puts(w, "(raised by the process)");
    else
        md_roles(w, d, ev->roles);
    md_row_end(w, ev->basis);
}

/* The declared events (the implicit ones are named after the table). */
static void md_events(zf__writer *w, const zf_definition *d) {
    zf__w_puts(w, "\n### Events\n\n| event | title | parameters | roles | basis |\n"
                  "|---|---|---|---|---|\n");
    for (uint16_t e = 0; e < d->nevents; e++)
        if (d->events[e].kind == ZF_EVENT_EXTERNAL ||
            d->events[e].kind == ZF_EVENT_INTERNAL)
            md_event_row(w, d, &d->events[e]);
    zf__w_puts(w, "\nImplicit events: `expired.<term>` when a term expires, "
                  "`done.state.<state>` when "
                  "a compound or parallel state completes.\n");
}

static void md_var_row(zf__writer *w, const zf_definition *d, const zf__var *va) {
    md_row_head(w, va->id, "", va->title);
    zf__w_puts(w, " | ");
    zf__w_md_cell(w, type_label(d, va->type, va->enum_id));
    if (va->type == ZF_TYPE_ENUM && va->enum_id < d->nenums) {
        zf__w_puts(w, " (");
        md_enum_values(w, &d->enums[va->enum_id]);
        zf__w_putc(w, ')');
    }
    zf__w_printf(w, " | %s | ", va->required ? "yes" : "no");
    if (va->has_default) {
        /* The value as code: formatted first, then escaped. */
        zf_buf vb = ZF_BUF_INIT;
        zf_code rc = zf_value_format(&vb, &va->dflt, NULL);
        if (rc == ZF_OK)
            zf__w_md_code(w, vb.ptr);
        else
            zf__w_fail(w, rc);
        zf_buf_dispose(&vb);
    } else
        zf__w_puts(w, "—");
    md_row_end(w, va->basis);
}

static void md_variables(zf__writer *w, const zf_definition *d) {
    zf__w_puts(w, "\n### Variables\n\n");
    if (!d->nvars)
        zf__w_puts(w, "(none)\n");
    else
        zf__w_puts(w, "| variable | title | type | required | default | basis |\n"
                      "|---|---|---|---|---|---|\n");
    for (uint16_t v = 0; v < d->nvars; v++)
        md_var_row(w, d, &d->vars[v]);
}

static void md_enums(zf__writer *w, const zf_definition *d) {
    if (!d->nenums)
        return;
    zf__w_puts(w, "\n### Enumerations\n\n| enumeration | values |\n|---|---|\n");
    for (uint16_t e = 0; e < d->nenums; e++) {
        zf__w_puts(w, "| ");
        zf__w_md_code(w, d->enums[e].id);
        zf__w_puts(w, " | ");
        md_enum_values(w, &d->enums[e]);
        zf__w_puts(w, " |\n");
    }
}

static void md_role_table(zf__writer *w, const zf_definition *d) {
    zf__w_puts(w, "\n### Roles\n\n");
    if (!d->nroles)
        zf__w_puts(w, "(none: anyone may fire every event)\n");
    else
        zf__w_puts(w, "| role | title |\n|---|---|\n");
    for (uint16_t r = 0; r < d->nroles; r++) {
        md_row_head(w, d->roles[r].id, "", d->roles[r].title);
        zf__w_puts(w, " |\n");
    }
}

static void md_term_row(zf__writer *w, const zf_definition *d, const zf__termdef *td) {
    md_row_head(w, td->id, "", td->title);
    zf__w_puts(w, " | ");
    zf__w_md_cell(w, td->party);
    zf__w_puts(w, " | ");
    if (td->scope == 0 || td->scope == ZF_NOIDX)
        zf__w_puts(w, "the whole case");
    else
        zf__w_md_code(w, d->states[td->scope].id);
    if (td->manual)
        zf__w_puts(w, ", started by `start`");
    zf__w_puts(w, " | ");
    zf__w_md_code(w, td->from.source ? td->from.source : "today");
    zf__w_puts(w, " | ");
    zf__w_md_code(w, td->length.source);
    zf__w_printf(w, " | %s | suspend %s, extend %s",
                 td->atw == ZF_ATW_OFF ? "off" : "auto",
                 td->suspend_rule == ZF_SUSPEND_EXCLUSIVE ? "exclusive" : "inclusive",
                 td->extend_rule == ZF_EXTEND_FROM_END ? "from-end" : "total");
    if (td->calendar && td->calendar != d->calendar)
        zf__w_printf(w, ", calendar %s", zf_calendar_id(td->calendar));
    md_row_end(w, td->basis);
}

static void md_terms(zf__writer *w, const zf_definition *d) {
    zf__w_puts(w, "\n### Terms\n\n");
    if (!d->nterms)
        zf__w_puts(w, "(none)\n");
    else
        zf__w_puts(
            w, "| term | title | who must act | runs in | trigger (`from`) | length | "
               "Atw | conventions | basis |\n|---|---|---|---|---|---|---|---|---|\n");
    for (uint16_t t = 0; t < d->nterms; t++)
        md_term_row(w, d, &d->terms[t]);
}

/* One version of a rate table: its tiers and their total, the maximum. */
static void md_rate_row(zf__writer *w, const zf__rate_table *rt,
                        const zf__rate_version *rv) {
    char db[ZF_DATE_BUFSIZE];
    int64_t total = 0;
    zf__w_puts(w, "| ");
    zf__w_md_code(w, rt->id);
    zf__w_printf(w, " | %s | ", zf_date_format(db, rv->valid_from));
    for (uint16_t k = 0; k < rv->ntiers; k++) {
        zf__w_printf(w, "%s%d × ", k ? ", " : "", (int)rv->tiers[k].days);
        md_money(w, rv->tiers[k].cents);
        total += rv->tiers[k].days * rv->tiers[k].cents;
    }
    zf__w_puts(w, " | ");
    md_money(w, total);
    md_row_end(w, rv->basis ? rv->basis : rt->basis);
}

static void md_rates(zf__writer *w, const zf_definition *d) {
    if (!d->nrates)
        return;
    zf__w_puts(w, "\n### Rate tables\n\n| table | valid from | tiers (days × per day) | "
                  "maximum | basis |\n|---|---|---|---|---|\n");
    for (uint16_t r = 0; r < d->nrates; r++)
        for (uint16_t v = 0; v < d->rates[r].nversions; v++)
            md_rate_row(w, &d->rates[r], &d->rates[r].versions[v]);
}

static void md_transition_row(zf__writer *w, const zf_definition *d,
                              const zf__transition *tr) {
    int external =
        tr->event != ZF_NOIDX && d->events[tr->event].kind == ZF_EVENT_EXTERNAL;
    uint32_t roles = tr->roles | (external ? d->events[tr->event].roles : 0);
    zf__w_puts(w, "| ");
    zf__w_md_code(w, d->states[tr->source].id);
    zf__w_puts(w, " | ");
    zf__w_md_code(w, tr->event == ZF_NOIDX ? "(eventless)" : d->events[tr->event].id);
    zf__w_puts(w, " | ");
    zf__w_md_code(w, tr->cond.source);
    zf__w_puts(w, " | ");
    zf__w_md_code(w, tr->target == ZF_NOIDX ? "(stays)" : d->states[tr->target].id);
    zf__w_puts(w, " | ");
    /* Nobody fires an eventless, internal or implicit event's transition. */
    if (!external && !roles)
        zf__w_puts(w, "(automatic)");
    else
        md_roles(w, d, roles);
    md_row_end(w, tr->basis ? tr->basis : tr->title);
}

/* The transitions grouped by their source state. */
static void md_transitions(zf__writer *w, const zf_definition *d) {
    zf__w_puts(w,
               "\n### Transitions\n\n| state | event | guard | target | roles | basis |\n"
               "|---|---|---|---|---|---|\n");
    for (uint16_t s = 0; s < d->nstates; s++)
        for (uint32_t k = 0; k < d->states[s].ntrans; k++)
            md_transition_row(w, d, &d->trans[d->states[s].trans_first + k]);
}

/* The action's target and expression, addressee and text, or process. */
static void md_action_details(zf__writer *w, const zf_definition *d,
                              const zf__action *a) {
    switch (a->kind) {
    case ZF_ACT_ASSIGN:
        zf__w_md_code(w, a->target < d->nvars ? d->vars[a->target].id : "?");
        zf__w_puts(w, " := ");
        zf__w_md_code(w, a->expr.source);
        break;
    case ZF_ACT_RAISE:
        zf__w_md_code(w, a->target < d->nevents ? d->events[a->target].id : "?");
        break;
    case ZF_ACT_START:
    case ZF_ACT_STOP:
    case ZF_ACT_SUSPEND:
    case ZF_ACT_RESUME:
    case ZF_ACT_EXTEND:
        zf__w_md_code(w, a->target < d->nterms ? d->terms[a->target].id : "?");
        if (a->expr.source) {
            zf__w_puts(w, a->kind == ZF_ACT_EXTEND ? " by " : " from ");
            zf__w_md_code(w, a->expr.source);
        }
        break;
    case ZF_ACT_NOTIFY:
        zf__w_puts(w, "to ");
        zf__w_md_code(w, a->to);
        zf__w_puts(w, ": ");
        zf__w_md_cell(w, a->text);
        break;
    case ZF_ACT_SPAWN:
        md_process_link(w, a->text);
        zf__w_printf(w, " (%s)", relation_label(a->relation));
        break;
    case ZF_ACT_LOG:
        zf__w_md_cell(w, a->text);
        break;
    }
}

/* Every action in document order: effects for the host, changes to variables and
 * terms. */
static void md_actions(zf__writer *w, const zf_definition *d) {
    static const char *const names[] = {"assign", "raise",  "start",  "stop",  "suspend",
                                        "resume", "extend", "notify", "spawn", "log"};
    zf__w_puts(w, "\n### Actions\n\nIn document order; `notify` and `spawn` are effects "
                  "for the host.\n\n");
    if (!d->nactions)
        zf__w_puts(w, "(none)\n");
    else
        zf__w_puts(w, "| where | action | details |\n|---|---|---|\n");
    for (uint32_t k = 0; k < d->nactions; k++) {
        const zf__action *a = &d->actions[k];
        zf__w_puts(w, "| ");
        md_action_owner(w, d, k);
        zf__w_printf(w, " | %s | ",
                     (unsigned)a->kind < ZF__ARRAY_SIZE(names) ? names[a->kind] : "?");
        md_action_details(w, d, a);
        zf__w_puts(w, " |\n");
    }
}

static void md_link_row(zf__writer *w, const zf_definition *d, uint32_t k) {
    const zf__action *a = &d->actions[k];
    zf__w_puts(w, "| ");
    md_process_link(w, a->text);
    zf__w_printf(w, " | %s | ", relation_label(a->relation));
    md_action_owner(w, d, k);
    zf__w_puts(w, " | ");
    if (!a->nparams)
        zf__w_puts(w, "—");
    for (uint16_t p = 0; p < a->nparams; p++) {
        zf__w_puts(w, p ? "; " : "");
        zf__w_md_code(w, a->params[p].name);
        zf__w_puts(w, " = ");
        zf__w_md_code(w, a->params[p].value.source);
    }
    md_row_end(w, a->basis);
}

/* The related cases this process starts (spawn actions). */
static void md_links(zf__writer *w, const zf_definition *d) {
    uint32_t nspawn = 0;
    zf__w_puts(w, "\n### Links to other processes\n\n");
    for (uint32_t k = 0; k < d->nactions; k++) {
        if (d->actions[k].kind != ZF_ACT_SPAWN)
            continue;
        if (!nspawn++)
            zf__w_puts(w, "| process | relation | started by | parameters | basis |\n"
                          "|---|---|---|---|---|\n");
        md_link_row(w, d, k);
    }
    if (!nspawn)
        zf__w_puts(w, "(none: this process starts no related case)\n");
}

zf_code zf_definition_explain(zf_buf *out, const zf_definition *def, zf_error *err) {
    zf__writer w;
    zf_error_clear(err);
    if (!out)
        return zf__error_set(err, ZF_EINVAL, "out is NULL");
    if (!zf__ok_definition(def))
        return zf__error_set(err, ZF_EINVAL, "invalid definition");
    zf__w_init(&w, out);
    md_header(&w, def);
    md_purpose(&w, def);
    md_states(&w, def);
    md_events(&w, def);
    md_variables(&w, def);
    md_enums(&w, def);
    md_role_table(&w, def);
    md_terms(&w, def);
    md_rates(&w, def);
    md_transitions(&w, def);
    md_actions(&w, def);
    md_links(&w, def);
    return zf__w_finish(&w, err);
}
