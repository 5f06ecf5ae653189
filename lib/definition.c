/*
 * The public API of process definitions (include/zaakflow/definition.h):
 * loading (load.c -> check.c -> compile.c), diagnostics, validation of
 * several files together with the cross-file spawn check, introspection and
 * the Graphviz diagram.
 */
#include "load.h"
#include "migration_int.h"
#include "registry_int.h"
#include "sha256.h"

#include <libxml/parser.h>
#include <limits.h>
#include <stdarg.h>
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

static zf_code load_bytes(zf_definition **out, const char *bytes, size_t len,
                          zf__diagctx *dc) {
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
static zf_code load_one(zf_definition **out, const char *path, const char *bytes,
                        size_t len, const char *name, zf_diagnostics *diags,
                        zf_error *err) {
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
    if (!out)
        return zf__error_set(err, ZF_EINVAL, "no output pointer");
    *out = NULL;
    if (!path)
        return zf__error_set(err, ZF_EINVAL, "no path");
    return load_one(out, path, NULL, 0, NULL, diags, err);
}

zf_code zf_definition_parse(zf_definition **out, const char *xml, size_t len,
                            const char *name, zf_diagnostics *diags, zf_error *err) {
    if (!out)
        return zf__error_set(err, ZF_EINVAL, "no output pointer");
    *out = NULL;
    if (!xml && len)
        return zf__error_set(err, ZF_EINVAL, "no input");
    return load_one(out, NULL, xml ? xml : "", len, name, diags, err);
}

static int alive(const zf_definition *d) {
    return d && d->magic == ZF__MAGIC_DEFINITION;
}

void zf_definition_free(zf_definition *def) {
    if (!alive(def))
        return;
    zf__defn_destroy(def);
}

/* ------------------------------------------------------------------------ */
/* Validating several files together */

static int type_fits(zf_type want, zf_type got) {
    if (want == got)
        return 1;
    if (want == ZF_TYPE_MONEY && got == ZF_TYPE_INT)
        return 1;
    if (want == ZF_TYPE_ENUM && got == ZF_TYPE_STRING)
        return 1; /* a value name as a string literal */
    return 0;
}

/*
 * The text of a string literal expression ('x' or "x", nothing else around
 * it but blanks) into buf; 0 when the expression is not a single literal.
 */
static int string_literal(const char *src, char *buf, size_t cap) {
    size_t n = 0;
    char q;
    if (!src)
        return 0;
    while (*src == ' ' || *src == '\t' || *src == '\n' || *src == '\r')
        src++;
    q = *src;
    if (q != '\'' && q != '"')
        return 0;
    for (src++; *src && *src != q; src++) {
        if (n + 1 >= cap)
            return 0;
        buf[n++] = *src;
    }
    if (*src != q)
        return 0;
    for (src++; *src == ' ' || *src == '\t' || *src == '\n' || *src == '\r'; src++)
        ;
    if (*src)
        return 0;
    buf[n] = '\0';
    return 1;
}

static int enum_has(const zf_definition *d, uint16_t e, const char *value) {
    if (e == ZF_NOIDX || e >= d->nenums)
        return 1; /* nothing to check against */
    for (uint16_t i = 0; i < d->enums[e].nvalues; i++)
        if (!strcmp(d->enums[e].values[i], value))
            return 1;
    return 0;
}

/*
 * The spawn `a` checked against `t`, one version of the process it starts;
 * `which` names the version when the set holds several ("" otherwise).
 */
static void check_spawn(zf__diagctx *dc, const zf_action *a, const zf_definition *t,
                        const char *which) {
    for (uint16_t p = 0; p < a->nparams; p++) {
        const zf_spawn_param *sp = &a->params[p];
        uint16_t v = zf__defn_var(t, sp->name);
        if (v == ZF_NOIDX) {
            zf__diag_add(dc, ZF_SEVERITY_ERROR, ZF_ESEMANTIC, "spawn-param", sp->pos.line,
                         sp->pos.column, "process '%s'%s has no variable '%s'", a->text,
                         which, sp->name);
        } else if (sp->value.code && !type_fits(t->vars[v].type, sp->value.type)) {
            zf__diag_add(dc, ZF_SEVERITY_ERROR, ZF_ESEMANTIC, "spawn-param", sp->pos.line,
                         sp->pos.column,
                         "variable '%s' of process '%s'%s is of type %s, got %s",
                         sp->name, a->text, which, zf_type_name(t->vars[v].type),
                         zf_type_name(sp->value.type));
        } else if (t->vars[v].type == ZF_TYPE_ENUM && sp->value.type == ZF_TYPE_STRING) {
            char lit[128];
            if (string_literal(sp->value.source, lit, sizeof lit) &&
                !enum_has(t, t->vars[v].enum_id, lit))
                zf__diag_add(dc, ZF_SEVERITY_ERROR, ZF_ESEMANTIC, "spawn-param",
                             sp->pos.line, sp->pos.column,
                             "'%s' is not a value of enumeration '%s' of variable '%s' "
                             "of process '%s'%s",
                             lit, t->enums[t->vars[v].enum_id].id, sp->name, a->text,
                             which);
        }
    }
    /* Every required variable of the spawned process must be passed. */
    for (uint16_t v = 0; v < t->nvars; v++) {
        int given = 0;
        if (!t->vars[v].required)
            continue;
        for (uint16_t p = 0; p < a->nparams && !given; p++)
            given = a->params[p].name && !strcmp(a->params[p].name, t->vars[v].id);
        if (!given)
            zf__diag_add(dc, ZF_SEVERITY_ERROR, ZF_ESEMANTIC, "spawn-param", a->pos.line,
                         a->pos.column,
                         "spawn of process '%s'%s does not pass its required variable "
                         "'%s'",
                         a->text, which, t->vars[v].id);
    }
}

/* Returns -1 when a finding could not be stored (out of memory). */
static int check_spawns(zf_definition **defs, size_t n, int all_loaded,
                        zf_diagnostics *dl) {
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
            size_t versions = 0;
            if (a->kind != ZF_ACT_SPAWN || !a->text)
                continue;
            for (size_t j = 0; j < n; j++)
                versions += defs[j] && defs[j]->id && !strcmp(defs[j]->id, a->text);
            /* Every version of the process: the spawn's date picks one at run time. */
            for (size_t j = 0; j < n; j++) {
                char which[160] = "";
                if (!defs[j] || !defs[j]->id || strcmp(defs[j]->id, a->text))
                    continue;
                if (versions > 1)
                    snprintf(which, sizeof which, " version '%s'",
                             defs[j]->version ? defs[j]->version : "");
                check_spawn(&dc, a, defs[j], which);
            }
            if (!versions && all_loaded)
                zf__diag_add(&dc, ZF_SEVERITY_ERROR, ZF_ESEMANTIC, "unknown-process",
                             a->pos.line, a->pos.column,
                             "spawn of process '%s', which is not among the definitions "
                             "validated together",
                             a->text);
        }
        if (dc.oom)
            oom = 1;
    }
    return oom ? -1 : 0;
}

/*
 * Versions side by side: two definitions of one process in the set must be
 * the same (the same file twice, or a copy) or differ in version with
 * validities that do not overlap. Each pair is reported once, at the
 * <process> of the file whose path sorts last, naming the other: the
 * finding does not depend on the order of the arguments.
 */
static int check_versions(zf_definition **defs, size_t n, zf_diagnostics *dl) {
    int oom = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            const zf_definition *a = defs[i], *b = defs[j];
            char msg[512];
            zf__diagctx dc;
            int order;
            if (i == j || !a || !b)
                continue;
            order = strcmp(a->file, b->file);
            if (order < 0 || (order == 0 && i < j))
                continue;
            if (!zf__versions_conflict(a, b, msg, sizeof msg))
                continue;
            memset(&dc, 0, sizeof dc);
            dc.out = dl;
            dc.file = a->file;
            zf__diag_add(&dc, ZF_SEVERITY_ERROR, ZF_ESEMANTIC, "version-conflict",
                         a->states[0].pos.line, a->states[0].pos.column, "%s", msg);
            if (dc.oom)
                oom = 1;
        }
    return oom ? -1 : 0;
}

zf_code zf_validate_files(const char *const *paths, size_t npaths, zf_diagnostics *diags,
                          zf_error *err) {
    zf_diagnostics local = ZF_DIAGNOSTICS_INIT;
    zf_diagnostics *dl = diags ? diags : &local;
    zf_definition **defs;
    zf_code rc = ZF_OK, first = ZF_OK;
    size_t from = dl->count, errors = dl->errors, cross;
    int all_loaded = 1;
    uint8_t *migration;

    if (!paths && npaths)
        return zf__error_set(err, ZF_EINVAL, "no paths");
    defs = zf__calloc(npaths ? npaths : 1, sizeof *defs);
    migration = zf__calloc(npaths ? npaths : 1, 1);
    if (!defs || !migration) {
        zf__free(defs);
        zf__free(migration);
        return zf__error_set(err, ZF_ENOMEM, NULL);
    }
    for (size_t i = 0; i < npaths; i++) {
        zf_code r;
        /* Migration documents are checked against the definitions, after them. */
        if ((migration[i] = (uint8_t)zf__migration_sniff(paths[i])))
            continue;
        r = load_one(&defs[i], paths[i], NULL, 0, NULL, dl, NULL);
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
        if (check_versions(defs, npaths, dl) < 0 ||
            check_spawns(defs, npaths, all_loaded, dl) < 0)
            rc = ZF_ENOMEM;
        else if (dl->errors != cross && first == ZF_OK)
            first = ZF_ESEMANTIC;
    }
    for (size_t i = 0; i < npaths && rc == ZF_OK; i++) {
        zf_code r;
        if (!migration[i])
            continue;
        r = zf__migration_validate(paths[i], defs, npaths, dl);
        if (r == ZF_ENOMEM)
            rc = ZF_ENOMEM;
        else if (r != ZF_OK && first == ZF_OK)
            first = r;
    }
    zf__free(migration);
    for (size_t i = 0; i < npaths; i++)
        zf_definition_free(defs[i]);
    zf__free(defs);
    if (rc == ZF_ENOMEM) {
        zf__error_set(err, ZF_ENOMEM, NULL);
    } else if (dl->errors != errors) {
        rc = first != ZF_OK ? first : ZF_ESEMANTIC;
        zf__diags_first_error(err, dl, from, rc);
    }
    zf_diagnostics_dispose(&local);
    return rc;
}

/* ------------------------------------------------------------------------ */
/* Introspection */

const char *zf_definition_id(const zf_definition *def) {
    return alive(def) ? def->id : NULL;
}
const char *zf_definition_version(const zf_definition *def) {
    return alive(def) ? def->version : NULL;
}
const char *zf_definition_title(const zf_definition *def) {
    return alive(def) ? def->title : NULL;
}
const char *zf_definition_basis(const zf_definition *def) {
    return alive(def) ? def->basis : NULL;
}
const char *zf_definition_hash(const zf_definition *def) {
    return alive(def) ? def->hash : NULL;
}
zf_date zf_definition_valid_from(const zf_definition *def) {
    return alive(def) ? def->valid_from : ZF_DATE_NONE;
}
zf_date zf_definition_valid_until(const zf_definition *def) {
    return alive(def) ? def->valid_until : ZF_DATE_NONE;
}
size_t zf_definition_state_count(const zf_definition *def) {
    return alive(def) ? def->nstates : 0;
}
const char *zf_definition_state_id(const zf_definition *def, size_t i) {
    return alive(def) && i < def->nstates ? def->states[i].id : NULL;
}
size_t zf_definition_event_count(const zf_definition *def) {
    return alive(def) ? def->nevents : 0;
}
const char *zf_definition_event_id(const zf_definition *def, size_t i) {
    return alive(def) && i < def->nevents ? def->events[i].id : NULL;
}
size_t zf_definition_transition_count(const zf_definition *def) {
    return alive(def) ? def->ntrans : 0;
}
size_t zf_definition_var_count(const zf_definition *def) {
    return alive(def) ? def->nvars : 0;
}
const char *zf_definition_var_id(const zf_definition *def, size_t i) {
    return alive(def) && i < def->nvars ? def->vars[i].id : NULL;
}
zf_type zf_definition_var_type(const zf_definition *def, size_t i) {
    return alive(def) && i < def->nvars ? def->vars[i].type : ZF_TYPE_VOID;
}
size_t zf_definition_term_count(const zf_definition *def) {
    return alive(def) ? def->nterms : 0;
}
const char *zf_definition_term_id(const zf_definition *def, size_t i) {
    return alive(def) && i < def->nterms ? def->terms[i].id : NULL;
}
size_t zf_definition_role_count(const zf_definition *def) {
    return alive(def) ? def->nroles : 0;
}
const char *zf_definition_role_id(const zf_definition *def, size_t i) {
    return alive(def) && i < def->nroles ? def->roles[i].id : NULL;
}

int zf_definition_event_index(const zf_definition *def, const char *id) {
    uint16_t e = alive(def) && id ? zf__defn_event(def, id) : ZF_NOIDX;
    return e == ZF_NOIDX ? -1 : (int)e;
}
size_t zf_definition_param_count(const zf_definition *def, size_t event) {
    return alive(def) && event < def->nevents ? def->events[event].nparams : 0;
}
const char *zf_definition_param_id(const zf_definition *def, size_t event, size_t i) {
    return alive(def) && event < def->nevents && i < def->events[event].nparams
               ? def->events[event].params[i].id
               : NULL;
}
int zf_definition_param_index(const zf_definition *def, size_t event, const char *id) {
    if (!alive(def) || event >= def->nevents || !id)
        return -1;
    for (uint16_t k = 0; k < def->events[event].nparams; k++)
        if (!strcmp(def->events[event].params[k].id, id))
            return k;
    return -1;
}
int zf_definition_role_index(const zf_definition *def, const char *id) {
    uint16_t r = alive(def) ? zf__defn_role(def, id) : ZF_NOIDX;
    return r == ZF_NOIDX ? -1 : (int)r;
}

/* ------------------------------------------------------------------------ */
/* Graphviz */

/* Append text for a double-quoted dot string. */
static zf_code dot_str(zf_buf *b, const char *s) {
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

static int is_cluster(const zf_state *s) {
    return s->kind == ZF_STATE_COMPOUND || s->kind == ZF_STATE_PARALLEL;
}

/* The node an edge attaches to: the state, or the anchor inside its cluster. */
static zf_code dot_node_ref(zf_buf *b, const zf_definition *d, uint16_t s) {
    zf_code rc = zf_buf_puts(b, is_cluster(&d->states[s]) ? "\"anchor:" : "\"");
    if (rc == ZF_OK)
        rc = dot_str(b, d->states[s].id);
    return rc == ZF_OK ? zf_buf_puts(b, "\"") : rc;
}

static zf_code dot_terms(zf_buf *b, const zf_definition *d, uint16_t s) {
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

static zf_code dot_state(zf_buf *b, const zf_definition *d, uint16_t s, int indent) {
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
                               st->kind == ZF_STATE_PARALLEL ? "dashed" : "rounded",
                               indent + 2, "");
        if (rc == ZF_OK)
            rc = dot_node_ref(b, d, s);
        if (rc == ZF_OK)
            rc =
                zf_buf_puts(b, " [shape=point, style=invis, width=0.01, height=0.01];\n");
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

static zf_code dot_edge(zf_buf *b, const zf_definition *d, const zf_transition *t) {
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

zf_code zf_definition_dot(zf_buf *out, const zf_definition *def, zf_error *err) {
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
        rc =
            zf_buf_puts(&b, "\";\n  labelloc=t;\n"
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

/* ------------------------------------------------------------------------ */
/* Markdown explanation */

/* Output helper: the first failure sticks, later calls do nothing. */
typedef struct md {
    zf_buf *b;
    zf_code rc;
} md;

static void md_puts(md *m, const char *s) {
    if (m->rc == ZF_OK && s)
        m->rc = zf_buf_puts(m->b, s);
}

static void md_printf(md *m, const char *fmt, ...) ZF__PRINTF(2, 3);
static void md_printf(md *m, const char *fmt, ...) {
    char tmp[512];
    va_list ap;
    int n;
    if (m->rc != ZF_OK)
        return;
    va_start(ap, fmt);
    n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof tmp) {
        m->rc = zf_buf_put(m->b, tmp, (size_t)n);
        return;
    }
    {
        char *big = zf__malloc((size_t)n + 1);
        if (!big) {
            m->rc = ZF_ENOMEM;
            return;
        }
        va_start(ap, fmt);
        vsnprintf(big, (size_t)n + 1, fmt, ap);
        va_end(ap);
        m->rc = zf_buf_put(m->b, big, (size_t)n);
        zf__free(big);
    }
}

/* Text for a table cell: blanks collapsed, '|' escaped; "—" for none. */
static void md_cell(md *m, const char *s) {
    int space = 0, any = 0;
    if (!s || !*s) {
        md_puts(m, "—");
        return;
    }
    for (; *s && m->rc == ZF_OK; s++) {
        if (*s == ' ' || *s == '\n' || *s == '\r' || *s == '\t') {
            space = any;
            continue;
        }
        if (space)
            md_puts(m, " ");
        space = 0;
        any = 1;
        if (*s == '|')
            md_puts(m, "\\|");
        else if (*s == '<')
            md_puts(m, "&lt;");
        else
            m->rc = zf_buf_put(m->b, s, 1);
    }
}

/* Code in a table cell: `text`, or "—". */
static void md_code(md *m, const char *s) {
    if (!s || !*s) {
        md_puts(m, "—");
        return;
    }
    md_puts(m, "`");
    for (; *s && m->rc == ZF_OK; s++) {
        if (*s == '|')
            md_puts(m, "\\|");
        else if (*s == '\n' || *s == '\r' || *s == '\t')
            md_puts(m, " ");
        else if (*s == '`')
            md_puts(m, "'");
        else
            m->rc = zf_buf_put(m->b, s, 1);
    }
    md_puts(m, "`");
}

/* Multi-line text (documentation): common indentation removed, blank lines at the ends
 * dropped. */
static void md_block(md *m, const char *s) {
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
    if (!first)
        return;
    for (p = first; p && m->rc == ZF_OK;) {
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        while (len && (p[len - 1] == ' ' || p[len - 1] == '\t' || p[len - 1] == '\r'))
            len--;
        if (len > indent)
            m->rc = zf_buf_put(m->b, p + indent, len - indent);
        md_puts(m, "\n");
        if (p == last)
            break;
        p = e ? e + 1 : NULL;
    }
}

static void md_roles(md *m, const zf_definition *d, uint32_t mask) {
    int first = 1;
    for (uint16_t r = 0; r < d->nroles && r < ZF_MAX_ROLES; r++) {
        if (!(mask & (1u << r)))
            continue;
        md_puts(m, first ? "" : ", ");
        md_code(m, d->roles[r].id);
        first = 0;
    }
    if (first)
        md_puts(m, "anyone");
}

static const char *type_label(const zf_definition *d, zf_type t, uint16_t enum_id) {
    if (t == ZF_TYPE_ENUM && enum_id != ZF_NOIDX && enum_id < d->nenums)
        return d->enums[enum_id].id;
    return zf_type_name(t);
}

static const char *kind_label(zf_state_kind k) {
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

static void md_money(md *m, int64_t cents) {
    md_printf(m, "EUR %lld.%02lld", (long long)(cents / 100), (long long)(cents % 100));
}

/*
 * The <documentation> texts of the definition's file: read again and
 * parsed only when its SHA-256 still matches the definition's hash, so the
 * text belongs to exactly this definition. NULL when unavailable.
 */
static xmlDocPtr explain_doc(const zf_definition *d) {
    zf__diagctx dc;
    char *bytes = NULL, hex[65];
    size_t len = 0;
    xmlDocPtr doc = NULL;
    if (!d->file)
        return NULL;
    memset(&dc, 0, sizeof dc);
    dc.file = d->file;
    if (zf__load_read_file(&bytes, &len, &dc) != ZF_OK)
        return NULL;
    zf__sha256_hex(bytes, len, hex);
    if (!strcmp(hex, d->file_hash) && len <= (size_t)INT_MAX)
        doc = xmlReadMemory(bytes, (int)len, d->file, NULL,
                            XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    zf__free(bytes);
    if (doc && (doc->intSubset || doc->extSubset)) {
        xmlFreeDoc(doc);
        doc = NULL;
    }
    return doc;
}

static int zf_el(const xmlNode *n, const char *name) {
    return n && n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
           !strcmp((const char *)n->ns->href, ZF_PROCESS_NS) &&
           !strcmp((const char *)n->name, name);
}

/* The documentation child of `n`, as a new string (xmlFree), or NULL. */
static xmlChar *doc_text(const xmlNode *n) {
    for (const xmlNode *c = n ? n->children : NULL; c; c = c->next)
        if (zf_el(c, "documentation"))
            return xmlNodeGetContent(c);
    return NULL;
}

/* Collect documentation of states in document order into `m` as a list. */
static void md_state_docs(md *m, const xmlNode *n, int *any) {
    for (const xmlNode *c = n ? n->children : NULL; c && m->rc == ZF_OK; c = c->next) {
        if (!(zf_el(c, "state") || zf_el(c, "parallel") || zf_el(c, "final")))
            continue;
        xmlChar *t = doc_text(c);
        xmlChar *id = xmlGetProp(c, (const xmlChar *)"id");
        if (t) {
            if (!*any)
                md_puts(m, "\nNotes on the states:\n\n");
            *any = 1;
            md_puts(m, "- ");
            md_code(m, id ? (const char *)id : "?");
            md_puts(m, ": ");
            md_cell(m, (const char *)t);
            md_puts(m, "\n");
        }
        xmlFree(t);
        xmlFree(id);
        md_state_docs(m, c, any);
    }
}

/* Describe where an action sits: "transition `a` --ev--> `b`", "entry of `s`". */
static void md_action_owner(md *m, const zf_definition *d, uint32_t k) {
    for (uint32_t t = 0; t < d->ntrans; t++) {
        const zf_transition *tr = &d->trans[t];
        if (k >= tr->action_first && k < tr->action_first + tr->naction) {
            md_code(m, d->states[tr->source].id);
            md_puts(m, " on ");
            md_code(m, tr->event == ZF_NOIDX ? "(eventless)" : d->events[tr->event].id);
            if (tr->target != ZF_NOIDX) {
                md_puts(m, " → ");
                md_code(m, d->states[tr->target].id);
            }
            return;
        }
    }
    for (uint16_t s = 0; s < d->nstates; s++) {
        const zf_state *st = &d->states[s];
        if (k >= st->entry_first && k < st->entry_first + st->nentry) {
            md_puts(m, "entry of ");
            md_code(m, st->id);
            return;
        }
        if (k >= st->exit_first && k < st->exit_first + st->nexit) {
            md_puts(m, "exit of ");
            md_code(m, st->id);
            return;
        }
    }
    md_puts(m, "—");
}

static void md_definition(md *m, const zf_definition *d) {
    char db[ZF_DATE_BUFSIZE];
    xmlDocPtr doc = explain_doc(d);
    xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
    xmlChar *purpose = doc_text(root);
    uint32_t nspawn = 0;
    unsigned ndeclared = 0;

    md_printf(m, "<a id=\"process-%s\"></a>\n\n## ", d->id);
    md_cell(m, d->title ? d->title : d->id);
    md_puts(m, "\n\n| | |\n|---|---|\n| id | ");
    md_code(m, d->id);
    md_puts(m, " |\n| version | ");
    md_cell(m, d->version);
    md_puts(m, " |\n| SHA-256 | ");
    md_code(m, d->hash);
    md_puts(m, " |\n| calendar | ");
    md_code(m, d->calendar ? zf_calendar_id(d->calendar) : NULL);
    for (uint16_t e = 0; e < d->nevents; e++)
        ndeclared += d->events[e].kind == ZF_EVENT_EXTERNAL ||
                     d->events[e].kind == ZF_EVENT_INTERNAL;
    md_printf(m,
              " |\n| size | %u states, %u declared events, %u terms, %u transitions |\n",
              (unsigned)(d->nstates ? d->nstates - 1 : 0), ndeclared, (unsigned)d->nterms,
              (unsigned)d->ntrans);

    md_puts(m, "\n### Purpose\n\n");
    if (purpose)
        md_block(m, (const char *)purpose);
    else
        md_puts(m, "(no documentation)\n");
    xmlFree(purpose);

    md_puts(m, "\n### Legal basis\n\n");
    if (d->basis)
        md_block(m, d->basis);
    else
        md_puts(m, "(none given)\n");

    /* States */
    md_puts(m, "\n### States\n\n| state | title | kind | parent | outcome | basis |\n"
               "|---|---|---|---|---|---|\n");
    for (uint16_t s = 1; s < d->nstates; s++) {
        const zf_state *st = &d->states[s];
        md_puts(m, "| ");
        md_code(m, st->id);
        if (s == d->states[0].initial)
            md_puts(m, " (initial)");
        md_puts(m, " | ");
        md_cell(m, st->title);
        md_printf(m, " | %s | ", kind_label(st->kind));
        md_code(m, st->parent == 0 || st->parent == ZF_NOIDX ? NULL
                                                             : d->states[st->parent].id);
        md_puts(m, " | ");
        if (st->kind == ZF_STATE_FINAL)
            md_code(m, st->outcome);
        else
            md_puts(m, "—");
        md_puts(m, " | ");
        md_cell(m, st->basis);
        md_puts(m, " |\n");
    }
    if (root) {
        int any = 0;
        md_state_docs(m, root, &any);
    }

    /* Events */
    md_puts(m, "\n### Events\n\n| event | title | parameters | roles | basis |\n"
               "|---|---|---|---|---|\n");
    for (uint16_t e = 0; e < d->nevents; e++) {
        const zf_event *ev = &d->events[e];
        if (ev->kind != ZF_EVENT_EXTERNAL && ev->kind != ZF_EVENT_INTERNAL)
            continue;
        md_puts(m, "| ");
        md_code(m, ev->id);
        if (ev->kind == ZF_EVENT_INTERNAL)
            md_puts(m, " (internal)");
        md_puts(m, " | ");
        md_cell(m, ev->title);
        md_puts(m, " | ");
        if (!ev->nparams)
            md_puts(m, "—");
        for (uint16_t p = 0; p < ev->nparams; p++) {
            const zf_param *pa = &ev->params[p];
            md_puts(m, p ? "; " : "");
            md_code(m, pa->id);
            md_printf(m, ": %s%s", type_label(d, pa->type, pa->enum_id),
                      pa->required ? ", required" : "");
        }
        md_puts(m, " | ");
        if (ev->kind == ZF_EVENT_INTERNAL)
            md_puts(m, "(raised by the process)");
        else
            md_roles(m, d, ev->roles);
        md_puts(m, " | ");
        md_cell(m, ev->basis);
        md_puts(m, " |\n");
    }
    md_puts(m, "\nImplicit events: `expired.<term>` when a term expires, "
               "`done.state.<state>` when "
               "a compound or parallel state completes.\n");

    /* Variables */
    md_puts(m, "\n### Variables\n\n");
    if (!d->nvars)
        md_puts(m, "(none)\n");
    else
        md_puts(m, "| variable | title | type | required | default | basis |\n"
                   "|---|---|---|---|---|---|\n");
    for (uint16_t v = 0; v < d->nvars; v++) {
        const zf_var *va = &d->vars[v];
        md_puts(m, "| ");
        md_code(m, va->id);
        md_puts(m, " | ");
        md_cell(m, va->title);
        md_puts(m, " | ");
        md_cell(m, type_label(d, va->type, va->enum_id));
        if (va->type == ZF_TYPE_ENUM && va->enum_id < d->nenums) {
            const zf_enum *en = &d->enums[va->enum_id];
            md_puts(m, " (");
            for (uint16_t k = 0; k < en->nvalues; k++) {
                md_puts(m, k ? ", " : "");
                md_code(m, en->values[k]);
            }
            md_puts(m, ")");
        }
        md_printf(m, " | %s | ", va->required ? "yes" : "no");
        if (va->has_default) {
            zf_buf vb = ZF_BUF_INIT;
            if (zf_value_format(&vb, &va->dflt, NULL) != ZF_OK)
                m->rc = ZF_ENOMEM;
            else
                md_code(m, vb.ptr ? vb.ptr : "");
            zf_buf_dispose(&vb);
        } else
            md_puts(m, "—");
        md_puts(m, " | ");
        md_cell(m, va->basis);
        md_puts(m, " |\n");
    }

    /* Enumerations */
    if (d->nenums) {
        md_puts(m, "\n### Enumerations\n\n| enumeration | values |\n|---|---|\n");
        for (uint16_t e = 0; e < d->nenums; e++) {
            md_puts(m, "| ");
            md_code(m, d->enums[e].id);
            md_puts(m, " | ");
            for (uint16_t k = 0; k < d->enums[e].nvalues; k++) {
                md_puts(m, k ? ", " : "");
                md_code(m, d->enums[e].values[k]);
            }
            md_puts(m, " |\n");
        }
    }

    /* Roles */
    md_puts(m, "\n### Roles\n\n");
    if (!d->nroles)
        md_puts(m, "(none: anyone may fire every event)\n");
    else
        md_puts(m, "| role | title |\n|---|---|\n");
    for (uint16_t r = 0; r < d->nroles; r++) {
        md_puts(m, "| ");
        md_code(m, d->roles[r].id);
        md_puts(m, " | ");
        md_cell(m, d->roles[r].title);
        md_puts(m, " |\n");
    }

    /* Terms */
    md_puts(m, "\n### Terms\n\n");
    if (!d->nterms)
        md_puts(m, "(none)\n");
    else
        md_puts(
            m,
            "| term | title | runs in | trigger (`from`) | length | Atw | conventions | "
            "basis |\n|---|---|---|---|---|---|---|---|\n");
    for (uint16_t t = 0; t < d->nterms; t++) {
        const zf_termdef *td = &d->terms[t];
        md_puts(m, "| ");
        md_code(m, td->id);
        md_puts(m, " | ");
        md_cell(m, td->title);
        md_puts(m, " | ");
        if (td->scope == 0 || td->scope == ZF_NOIDX)
            md_puts(m, "the whole case");
        else
            md_code(m, d->states[td->scope].id);
        if (td->manual)
            md_puts(m, ", started by `start`");
        md_puts(m, " | ");
        md_code(m, td->from.source ? td->from.source : "today");
        md_puts(m, " | ");
        md_code(m, td->length.source);
        md_printf(m, " | %s | ", td->atw == ZF_ATW_OFF ? "off" : "auto");
        md_printf(m, "suspend %s, extend %s",
                  td->suspend_rule == ZF_SUSPEND_EXCLUSIVE ? "exclusive" : "inclusive",
                  td->extend_rule == ZF_EXTEND_FROM_END ? "from-end" : "total");
        if (td->calendar && td->calendar != d->calendar)
            md_printf(m, ", calendar %s", zf_calendar_id(td->calendar));
        md_puts(m, " | ");
        md_cell(m, td->basis);
        md_puts(m, " |\n");
    }

    /* Rate tables */
    if (d->nrates) {
        md_puts(m, "\n### Rate tables\n\n| table | valid from | tiers (days × per day) | "
                   "maximum | basis |\n|---|---|---|---|---|\n");
        for (uint16_t r = 0; r < d->nrates; r++) {
            const zf_rate_table *rt = &d->rates[r];
            for (uint16_t v = 0; v < rt->nversions; v++) {
                const zf_rate_version *rv = &rt->versions[v];
                int64_t total = 0;
                md_puts(m, "| ");
                md_code(m, rt->id);
                md_printf(m, " | %s | ", zf_date_format(db, rv->valid_from));
                for (uint16_t k = 0; k < rv->ntiers; k++) {
                    md_printf(m, "%s%d × ", k ? ", " : "", (int)rv->tiers[k].days);
                    md_money(m, rv->tiers[k].cents);
                    total += rv->tiers[k].days * rv->tiers[k].cents;
                }
                md_puts(m, " | ");
                md_money(m, total);
                md_puts(m, " | ");
                md_cell(m, rv->basis ? rv->basis : rt->basis);
                md_puts(m, " |\n");
            }
        }
    }

    /* Transitions per state */
    md_puts(m, "\n### Transitions\n\n| state | event | guard | target | roles | basis |\n"
               "|---|---|---|---|---|---|\n");
    for (uint16_t s = 0; s < d->nstates; s++) {
        const zf_state *st = &d->states[s];
        for (uint32_t k = 0; k < st->ntrans; k++) {
            const zf_transition *tr = &d->trans[st->trans_first + k];
            uint32_t roles = tr->roles;
            md_puts(m, "| ");
            md_code(m, st->id);
            md_puts(m, " | ");
            md_code(m, tr->event == ZF_NOIDX ? "(eventless)" : d->events[tr->event].id);
            md_puts(m, " | ");
            md_code(m, tr->cond.source);
            md_puts(m, " | ");
            md_code(m, tr->target == ZF_NOIDX ? "(stays)" : d->states[tr->target].id);
            md_puts(m, " | ");
            if (tr->event != ZF_NOIDX && d->events[tr->event].kind == ZF_EVENT_EXTERNAL)
                roles |= d->events[tr->event].roles;
            if (tr->event == ZF_NOIDX || d->events[tr->event].kind != ZF_EVENT_EXTERNAL) {
                if (roles)
                    md_roles(m, d, roles);
                else
                    md_puts(m, "(automatic)");
            } else
                md_roles(m, d, roles);
            md_puts(m, " | ");
            md_cell(m, tr->basis ? tr->basis : tr->title);
            md_puts(m, " |\n");
        }
    }

    /* Actions: effects for the host and changes to variables and terms */
    md_puts(m, "\n### Actions\n\nIn document order; `notify` and `spawn` are effects for "
               "the host.\n\n");
    if (!d->nactions)
        md_puts(m, "(none)\n");
    else
        md_puts(m, "| where | action | details |\n|---|---|---|\n");
    for (uint32_t k = 0; k < d->nactions; k++) {
        const zf_action *a = &d->actions[k];
        static const char *const names[] = {"assign",  "raise",  "start",  "stop",
                                            "suspend", "resume", "extend", "notify",
                                            "spawn",   "log"};
        md_puts(m, "| ");
        md_action_owner(m, d, k);
        md_printf(m, " | %s | ", (unsigned)a->kind < 10 ? names[a->kind] : "?");
        switch (a->kind) {
        case ZF_ACT_ASSIGN:
            md_code(m, a->target < d->nvars ? d->vars[a->target].id : "?");
            md_puts(m, " := ");
            md_code(m, a->expr.source);
            break;
        case ZF_ACT_RAISE:
            md_code(m, a->target < d->nevents ? d->events[a->target].id : "?");
            break;
        case ZF_ACT_START:
        case ZF_ACT_STOP:
        case ZF_ACT_SUSPEND:
        case ZF_ACT_RESUME:
        case ZF_ACT_EXTEND:
            md_code(m, a->target < d->nterms ? d->terms[a->target].id : "?");
            if (a->expr.source) {
                md_puts(m, a->kind == ZF_ACT_EXTEND ? " by " : " from ");
                md_code(m, a->expr.source);
            }
            break;
        case ZF_ACT_NOTIFY:
            md_puts(m, "to ");
            md_code(m, a->to);
            md_puts(m, ": ");
            md_cell(m, a->text);
            break;
        case ZF_ACT_SPAWN:
            md_printf(m, "[`%s`](#process-%s) (%s)", a->text ? a->text : "?",
                      a->text ? a->text : "",
                      a->relation == ZF_REL_DEELZAAK ? "deelzaak" : "vervolg");
            break;
        case ZF_ACT_LOG:
            md_cell(m, a->text);
            break;
        }
        md_puts(m, " |\n");
    }

    /* Links to other processes */
    md_puts(m, "\n### Links to other processes\n\n");
    for (uint32_t k = 0; k < d->nactions; k++) {
        const zf_action *a = &d->actions[k];
        if (a->kind != ZF_ACT_SPAWN)
            continue;
        if (!nspawn++)
            md_puts(m, "| process | relation | started by | parameters | basis |\n"
                       "|---|---|---|---|---|\n");
        md_printf(m, "| [`%s`](#process-%s) | %s | ", a->text ? a->text : "?",
                  a->text ? a->text : "",
                  a->relation == ZF_REL_DEELZAAK ? "deelzaak" : "vervolg");
        md_action_owner(m, d, k);
        md_puts(m, " | ");
        if (!a->nparams)
            md_puts(m, "—");
        for (uint16_t p = 0; p < a->nparams; p++) {
            md_puts(m, p ? "; " : "");
            md_code(m, a->params[p].name);
            md_puts(m, " = ");
            md_code(m, a->params[p].value.source);
        }
        md_puts(m, " | ");
        md_cell(m, a->basis);
        md_puts(m, " |\n");
    }
    if (!nspawn)
        md_puts(m, "(none: this process starts no related case)\n");
    if (doc)
        xmlFreeDoc(doc);
}

zf_code zf_definition_explain(zf_buf *out, const zf_definition *def, zf_error *err) {
    zf_buf b = ZF_BUF_INIT;
    md m;
    if (!out || !alive(def))
        return zf__error_set(err, ZF_EINVAL, "no definition or buffer");
    m.b = &b;
    m.rc = ZF_OK;
    md_definition(&m, def);
    if (m.rc == ZF_OK)
        m.rc = zf_buf_put(out, b.ptr ? b.ptr : "", b.size);
    zf_buf_dispose(&b);
    if (m.rc != ZF_OK)
        return zf__error_set(err, m.rc, NULL);
    return ZF_OK;
}
