/*
 * The public API of process definitions (include/zaakflow/definition.h):
 * loading (load.c -> check.c -> compile.c), diagnostics, validation of
 * several files together with the cross-file spawn check, introspection and
 * the Graphviz diagram.
 */
#include "load.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------ */
/* Diagnostics */

void zf_diagnostics_dispose(zf_diagnostics *diags)
{
    if (!diags)
        return;
    zf__free(diags->items);
    memset(diags, 0, sizeof *diags);
}

zf_code zf_diagnostics_format(zf_buf *out, const zf_diagnostics *diags)
{
    if (!out)
        return ZF_EINVAL;
    if (!diags)
        return ZF_OK;
    for (size_t i = 0; i < diags->count; i++) {
        const zf_diagnostic *d = &diags->items[i];
        const char *sev = d->severity == ZF_SEVERITY_ERROR ? "error" : "warning";
        const char *tag = d->severity == ZF_SEVERITY_ERROR ? zf_code_name(d->code) : d->check;
        zf_code rc;
        if (d->line > 0 && d->column > 0)
            rc = zf_buf_printf(out, "%s:%d:%d: %s: %s [%s]\n", d->file, d->line, d->column, sev,
                               d->message, tag);
        else if (d->line > 0)
            rc = zf_buf_printf(out, "%s:%d: %s: %s [%s]\n", d->file, d->line, sev, d->message,
                               tag);
        else
            rc = zf_buf_printf(out, "%s: %s: %s [%s]\n", d->file, sev, d->message, tag);
        if (rc != ZF_OK)
            return rc;
    }
    return ZF_OK;
}

/* Stable sort of items[from..count) by line and column: findings in file order. */
static void sort_diags(zf_diagnostics *diags, size_t from)
{
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
static void first_error(zf_error *err, const zf_diagnostics *diags, size_t from, zf_code rc)
{
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

static zf_code load_bytes(zf_definition **out, const char *bytes, size_t len, zf__diagctx *dc)
{
    zf__xml x;
    zf__model *m = NULL;
    zf_code rc;

    memset(&x, 0, sizeof x);
    x.name = dc->file;
    x.bytes = bytes;
    x.len = len;
    rc = zf__load_parse(&x, dc);
    if (rc == ZF_OK)
        rc = zf__check_model(&m, &x, dc);
    if (rc == ZF_OK)
        rc = zf__compile(out, m, bytes, len, dc->file);
    zf__model_free(m);
    zf__load_release(&x);
    if (dc->oom && rc == ZF_OK) {
        zf__defn_destroy(*out);
        *out = NULL;
    }
    if (dc->oom)
        rc = ZF_ENOMEM;
    return rc;
}

/* One load with its diagnostics; `path` NULL means parse `bytes` as `name`. */
static zf_code load_one(zf_definition **out, const char *path, const char *bytes, size_t len,
                        const char *name, zf_diagnostics *diags, zf_error *err)
{
    zf_diagnostics local = ZF_DIAGNOSTICS_INIT;
    zf_diagnostics *dl = diags ? diags : &local;
    zf__diagctx dc;
    size_t from = dl->count;
    char *buf = NULL;
    zf_code rc;

    memset(&dc, 0, sizeof dc);
    dc.out = dl;
    dc.file = path ? path : (name ? name : "<string>");
    *out = NULL;
    if (path) {
        rc = zf__load_read_file(&buf, &len, &dc);
        if (rc == ZF_OK)
            rc = load_bytes(out, buf, len, &dc);
        zf__free(buf);
    } else {
        rc = load_bytes(out, bytes, len, &dc);
    }
    if (dc.oom)
        rc = ZF_ENOMEM;
    sort_diags(dl, from);
    if (rc == ZF_ENOMEM)
        zf__error_set(err, ZF_ENOMEM, NULL);
    else if (rc != ZF_OK)
        first_error(err, dl, from, rc);
    zf_diagnostics_dispose(&local);
    return rc;
}

zf_code zf_definition_load(zf_definition **out, const char *path, zf_diagnostics *diags,
                           zf_error *err)
{
    if (!out)
        return zf__error_set(err, ZF_EINVAL, "no output pointer");
    *out = NULL;
    if (!path)
        return zf__error_set(err, ZF_EINVAL, "no path");
    return load_one(out, path, NULL, 0, NULL, diags, err);
}

zf_code zf_definition_parse(zf_definition **out, const char *xml, size_t len, const char *name,
                            zf_diagnostics *diags, zf_error *err)
{
    if (!out)
        return zf__error_set(err, ZF_EINVAL, "no output pointer");
    *out = NULL;
    if (!xml && len)
        return zf__error_set(err, ZF_EINVAL, "no input");
    return load_one(out, NULL, xml ? xml : "", len, name, diags, err);
}

static int alive(const zf_definition *d) { return d && d->magic == ZF__MAGIC_DEFINITION; }

void zf_definition_free(zf_definition *def)
{
    if (!alive(def))
        return;
    zf__defn_destroy(def);
}

/* ------------------------------------------------------------------------ */
/* Validating several files together */

static int type_fits(zf_type want, zf_type got)
{
    if (want == got)
        return 1;
    if (want == ZF_TYPE_MONEY && got == ZF_TYPE_INT)
        return 1;
    if (want == ZF_TYPE_ENUM && got == ZF_TYPE_STRING)
        return 1; /* a value name as a string literal */
    return 0;
}

/* Returns -1 when a finding could not be stored (out of memory). */
static int check_spawns(zf_definition **defs, size_t n, int all_loaded, zf_diagnostics *dl)
{
    int oom = 0;
    for (size_t i = 0; i < n; i++) {
        const zf_definition *d = defs[i];
        zf__diagctx dc;
        if (!d)
            continue;
        memset(&dc, 0, sizeof dc);
        dc.out = dl;
        dc.file = d->file;
        for (uint32_t k = 0; k < d->nactions; k++) {
            const zf_action *a = &d->actions[k];
            const zf_definition *t = NULL;
            if (a->kind != ZF_ACT_SPAWN || !a->text)
                continue;
            for (size_t j = 0; j < n && !t; j++)
                if (defs[j] && defs[j]->id && !strcmp(defs[j]->id, a->text))
                    t = defs[j];
            if (!t) {
                if (all_loaded)
                    zf__diag_add(&dc, ZF_SEVERITY_ERROR, ZF_ESEMANTIC, "unknown-process",
                                 a->pos.line, a->pos.column,
                                 "spawn of process '%s', which is not among the definitions "
                                 "validated together",
                                 a->text);
                continue;
            }
            for (uint16_t p = 0; p < a->nparams; p++) {
                const zf_spawn_param *sp = &a->params[p];
                uint16_t v = zf__defn_var(t, sp->name);
                if (v == ZF_NOIDX) {
                    zf__diag_add(&dc, ZF_SEVERITY_ERROR, ZF_ESEMANTIC, "spawn-param",
                                 sp->pos.line, sp->pos.column,
                                 "process '%s' has no variable '%s'", a->text, sp->name);
                } else if (sp->value.code && !type_fits(t->vars[v].type, sp->value.type)) {
                    zf__diag_add(&dc, ZF_SEVERITY_ERROR, ZF_ESEMANTIC, "spawn-param",
                                 sp->pos.line, sp->pos.column,
                                 "variable '%s' of process '%s' is of type %s, got %s", sp->name,
                                 a->text, zf_type_name(t->vars[v].type),
                                 zf_type_name(sp->value.type));
                }
            }
        }
        if (dc.oom)
            oom = 1;
    }
    return oom ? -1 : 0;
}

zf_code zf_validate_files(const char *const *paths, size_t npaths, zf_diagnostics *diags,
                          zf_error *err)
{
    zf_diagnostics local = ZF_DIAGNOSTICS_INIT;
    zf_diagnostics *dl = diags ? diags : &local;
    zf_definition **defs;
    zf_code rc = ZF_OK, first = ZF_OK;
    size_t from = dl->count, errors = dl->errors, cross;
    int all_loaded = 1;

    if (!paths && npaths)
        return zf__error_set(err, ZF_EINVAL, "no paths");
    defs = zf__calloc(npaths ? npaths : 1, sizeof *defs);
    if (!defs)
        return zf__error_set(err, ZF_ENOMEM, NULL);
    for (size_t i = 0; i < npaths; i++) {
        zf_code r = load_one(&defs[i], paths[i], NULL, 0, NULL, dl, NULL);
        if (r == ZF_ENOMEM) {
            rc = ZF_ENOMEM;
            break;
        }
        if (r != ZF_OK) {
            all_loaded = 0;
            if (first == ZF_OK)
                first = r;
        }
    }
    if (rc == ZF_OK) {
        cross = dl->errors;
        if (check_spawns(defs, npaths, all_loaded, dl) < 0)
            rc = ZF_ENOMEM;
        else if (dl->errors != cross && first == ZF_OK)
            first = ZF_ESEMANTIC;
    }
    for (size_t i = 0; i < npaths; i++)
        zf_definition_free(defs[i]);
    zf__free(defs);
    if (rc == ZF_ENOMEM) {
        zf__error_set(err, ZF_ENOMEM, NULL);
    } else if (dl->errors != errors) {
        rc = first != ZF_OK ? first : ZF_ESEMANTIC;
        first_error(err, dl, from, rc);
    }
    zf_diagnostics_dispose(&local);
    return rc;
}

/* ------------------------------------------------------------------------ */
/* Introspection */

const char *zf_definition_id(const zf_definition *def) { return alive(def) ? def->id : NULL; }
const char *zf_definition_version(const zf_definition *def)
{
    return alive(def) ? def->version : NULL;
}
const char *zf_definition_title(const zf_definition *def)
{
    return alive(def) ? def->title : NULL;
}
const char *zf_definition_basis(const zf_definition *def)
{
    return alive(def) ? def->basis : NULL;
}
const char *zf_definition_hash(const zf_definition *def)
{
    return alive(def) ? def->hash : NULL;
}
size_t zf_definition_state_count(const zf_definition *def)
{
    return alive(def) ? def->nstates : 0;
}
const char *zf_definition_state_id(const zf_definition *def, size_t i)
{
    return alive(def) && i < def->nstates ? def->states[i].id : NULL;
}
size_t zf_definition_event_count(const zf_definition *def)
{
    return alive(def) ? def->nevents : 0;
}
const char *zf_definition_event_id(const zf_definition *def, size_t i)
{
    return alive(def) && i < def->nevents ? def->events[i].id : NULL;
}
size_t zf_definition_transition_count(const zf_definition *def)
{
    return alive(def) ? def->ntrans : 0;
}

/* ------------------------------------------------------------------------ */
/* Graphviz */

/* Append text for a double-quoted dot string. */
static zf_code dot_str(zf_buf *b, const char *s)
{
    zf_code rc = ZF_OK;
    for (; s && *s && rc == ZF_OK; s++) {
        if (*s == '"' || *s == '\\')
            rc = zf_buf_printf(b, "\\%c", *s);
        else if (*s == '\n' || *s == '\r' || *s == '\t')
            rc = zf_buf_put(b, " ", 1);
        else
            rc = zf_buf_put(b, s, 1);
    }
    return rc;
}

static int is_cluster(const zf_state *s)
{
    return s->kind == ZF_STATE_COMPOUND || s->kind == ZF_STATE_PARALLEL;
}

/* The node an edge attaches to: the state, or the anchor inside its cluster. */
static zf_code dot_node_ref(zf_buf *b, const zf_definition *d, uint16_t s)
{
    zf_code rc = zf_buf_puts(b, is_cluster(&d->states[s]) ? "\"anchor:" : "\"");
    if (rc == ZF_OK)
        rc = dot_str(b, d->states[s].id);
    return rc == ZF_OK ? zf_buf_puts(b, "\"") : rc;
}

static zf_code dot_terms(zf_buf *b, const zf_definition *d, uint16_t s)
{
    zf_code rc = ZF_OK;
    for (uint16_t t = 0; t < d->nterms && rc == ZF_OK; t++) {
        const zf_termdef *td = &d->terms[t];
        if (td->scope != s)
            continue;
        rc = zf_buf_puts(b, "\\nterm ");
        if (rc == ZF_OK)
            rc = dot_str(b, td->id);
        if (rc == ZF_OK && td->length.source) {
            rc = zf_buf_puts(b, ": ");
            if (rc == ZF_OK)
                rc = dot_str(b, td->length.source);
        }
        if (rc == ZF_OK && td->basis) {
            rc = zf_buf_puts(b, " (");
            if (rc == ZF_OK)
                rc = dot_str(b, td->basis);
            if (rc == ZF_OK)
                rc = zf_buf_puts(b, ")");
        }
    }
    return rc;
}

static zf_code dot_state(zf_buf *b, const zf_definition *d, uint16_t s, int indent)
{
    const zf_state *st = &d->states[s];
    zf_code rc;
    if (is_cluster(st)) {
        rc = zf_buf_printf(b, "%*ssubgraph \"cluster_", indent, "");
        if (rc == ZF_OK)
            rc = dot_str(b, st->id);
        if (rc == ZF_OK)
            rc = zf_buf_printf(b, "\" {\n%*slabel=\"", indent + 2, "");
        if (rc == ZF_OK)
            rc = dot_str(b, st->id);
        if (rc == ZF_OK && st->kind == ZF_STATE_PARALLEL)
            rc = zf_buf_puts(b, " (parallel)");
        if (rc == ZF_OK && st->title) {
            rc = zf_buf_puts(b, "\\n");
            if (rc == ZF_OK)
                rc = dot_str(b, st->title);
        }
        if (rc == ZF_OK)
            rc = dot_terms(b, d, s);
        if (rc == ZF_OK)
            rc = zf_buf_printf(b, "\";\n%*sstyle=%s;\n%*s", indent + 2, "",
                               st->kind == ZF_STATE_PARALLEL ? "dashed" : "rounded", indent + 2,
                               "");
        if (rc == ZF_OK)
            rc = dot_node_ref(b, d, s);
        if (rc == ZF_OK)
            rc = zf_buf_puts(b, " [shape=point, style=invis, width=0.01, height=0.01];\n");
        for (uint16_t k = (uint16_t)(s + 1); rc == ZF_OK && k <= s + st->ndesc;
             k += d->states[k].ndesc + 1)
            rc = dot_state(b, d, k, indent + 2);
        if (rc == ZF_OK)
            rc = zf_buf_printf(b, "%*s}\n", indent, "");
        return rc;
    }
    rc = zf_buf_printf(b, "%*s", indent, "");
    if (rc == ZF_OK)
        rc = dot_node_ref(b, d, s);
    if (rc == ZF_OK)
        rc = zf_buf_puts(b, st->kind == ZF_STATE_FINAL ? " [shape=doublecircle, label=\""
                                                       : " [label=\"");
    if (rc == ZF_OK)
        rc = dot_str(b, st->id);
    if (rc == ZF_OK && st->title && st->kind != ZF_STATE_FINAL) {
        rc = zf_buf_puts(b, "\\n");
        if (rc == ZF_OK)
            rc = dot_str(b, st->title);
    }
    if (rc == ZF_OK && st->kind == ZF_STATE_FINAL && st->outcome) {
        rc = zf_buf_puts(b, "\\n");
        if (rc == ZF_OK)
            rc = dot_str(b, st->outcome);
    }
    if (rc == ZF_OK)
        rc = dot_terms(b, d, s);
    if (rc == ZF_OK)
        rc = zf_buf_puts(b, "\"];\n");
    return rc;
}

static zf_code dot_edge(zf_buf *b, const zf_definition *d, const zf_transition *t)
{
    uint16_t to = t->target == ZF_NOIDX ? t->source : t->target;
    uint32_t roles = t->roles;
    zf_code rc;
    int first = 1;

    if (t->event != ZF_NOIDX)
        roles |= d->events[t->event].roles;
    rc = zf_buf_puts(b, "  ");
    if (rc == ZF_OK)
        rc = dot_node_ref(b, d, t->source);
    if (rc == ZF_OK)
        rc = zf_buf_puts(b, " -> ");
    if (rc == ZF_OK)
        rc = dot_node_ref(b, d, to);
    if (rc == ZF_OK)
        rc = zf_buf_puts(b, " [label=\"");
    if (rc == ZF_OK)
        rc = dot_str(b, t->event != ZF_NOIDX ? d->events[t->event].id : "");
    if (rc == ZF_OK && t->cond.source) {
        rc = zf_buf_puts(b, t->event != ZF_NOIDX ? " [" : "[");
        if (rc == ZF_OK)
            rc = dot_str(b, t->cond.source);
        if (rc == ZF_OK)
            rc = zf_buf_puts(b, "]");
    }
    for (uint16_t r = 0; rc == ZF_OK && r < d->nroles && r < ZF_MAX_ROLES; r++) {
        if (!(roles & (1u << r)))
            continue;
        rc = zf_buf_puts(b, first ? " / " : ", ");
        first = 0;
        if (rc == ZF_OK)
            rc = dot_str(b, d->roles[r].id);
    }
    if (rc == ZF_OK)
        rc = zf_buf_puts(b, "\"");
    if (rc == ZF_OK && is_cluster(&d->states[t->source])) {
        rc = zf_buf_puts(b, ", ltail=\"cluster_");
        if (rc == ZF_OK)
            rc = dot_str(b, d->states[t->source].id);
        if (rc == ZF_OK)
            rc = zf_buf_puts(b, "\"");
    }
    if (rc == ZF_OK && is_cluster(&d->states[to]) && to != t->source) {
        rc = zf_buf_puts(b, ", lhead=\"cluster_");
        if (rc == ZF_OK)
            rc = dot_str(b, d->states[to].id);
        if (rc == ZF_OK)
            rc = zf_buf_puts(b, "\"");
    }
    if (rc == ZF_OK && t->target == ZF_NOIDX)
        rc = zf_buf_puts(b, ", style=dotted");
    if (rc == ZF_OK)
        rc = zf_buf_puts(b, "];\n");
    return rc;
}

zf_code zf_definition_dot(zf_buf *out, const zf_definition *def, zf_error *err)
{
    zf_buf b = ZF_BUF_INIT;
    zf_code rc;
    const zf_state *root;

    if (!out || !alive(def))
        return zf__error_set(err, ZF_EINVAL, "no definition or buffer");
    root = &def->states[0];
    rc = zf_buf_puts(&b, "digraph \"");
    if (rc == ZF_OK)
        rc = dot_str(&b, def->id);
    if (rc == ZF_OK)
        rc = zf_buf_puts(&b, "\" {\n  compound=true;\n  rankdir=LR;\n  label=\"");
    if (rc == ZF_OK)
        rc = dot_str(&b, def->title ? def->title : def->id);
    if (rc == ZF_OK && def->version) {
        rc = zf_buf_puts(&b, " (");
        if (rc == ZF_OK)
            rc = dot_str(&b, def->version);
        if (rc == ZF_OK)
            rc = zf_buf_puts(&b, ")");
    }
    if (rc == ZF_OK)
        rc = dot_terms(&b, def, 0);
    if (rc == ZF_OK)
        rc = zf_buf_puts(&b, "\";\n  labelloc=t;\n"
                             "  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n"
                             "  edge [fontname=\"Helvetica\", fontsize=10];\n"
                             "  \"start:\" [shape=point, width=0.15];\n");
    for (uint16_t k = 1; rc == ZF_OK && k <= root->ndesc; k += def->states[k].ndesc + 1)
        rc = dot_state(&b, def, k, 2);
    if (rc == ZF_OK && root->initial != ZF_NOIDX) {
        rc = zf_buf_puts(&b, "  \"start:\" -> ");
        if (rc == ZF_OK)
            rc = dot_node_ref(&b, def, root->initial);
        if (rc == ZF_OK && is_cluster(&def->states[root->initial])) {
            rc = zf_buf_puts(&b, " [lhead=\"cluster_");
            if (rc == ZF_OK)
                rc = dot_str(&b, def->states[root->initial].id);
            if (rc == ZF_OK)
                rc = zf_buf_puts(&b, "\"]");
        }
        if (rc == ZF_OK)
            rc = zf_buf_puts(&b, ";\n");
    }
    for (uint32_t t = 0; rc == ZF_OK && t < def->ntrans; t++)
        rc = dot_edge(&b, def, &def->trans[t]);
    if (rc == ZF_OK)
        rc = zf_buf_puts(&b, "}\n");
    if (rc == ZF_OK)
        rc = zf_buf_put(out, b.ptr ? b.ptr : "", b.size);
    zf_buf_dispose(&b);
    if (rc != ZF_OK)
        return zf__error_set(err, rc, NULL);
    return ZF_OK;
}
