/*
 * Validating definition files together (zf_validate_files, zf_validate_files_ext):
 * every file on its own, then the checks across files on the models of all of
 * them, those with errors too: no two files define the same process id and
 * version; a spawn names a process of the set, or one found beside the file
 * that spawns it; it passes only variables that process declares, each of its
 * type (an enumeration's value of the same enumeration, or a string literal
 * naming one of its values), and every variable it requires. The findings of
 * each file come together, in line order, files in the order given.
 */
#define _XOPEN_SOURCE 700 /* opendir(), stat() */
#include "load.h"
#include "migration_int.h"
#include "xml.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libxml/tree.h>

/* One file: given, or found beside a given one. */
typedef struct unit {
    const char *path; /* the path given, or owned_path */
    char *owned_path;
    char *bytes;
    size_t len;
    zf__xml x;
    zf__model *m;             /* NULL: not read, not well-formed or not schema-valid */
    zf_diagnostics diags;     /* this file's findings */
    zf__diagctx dc;           /* writes to diags (given files) or only counts (found) */
    zf_code rc;               /* of the file on its own */
    const char *id, *version; /* of the root element; NULL when unknown */
    int same_as;              /* an earlier given file with the same bytes, or -1 */
    int given;
    int migration;      /* a migration document (docs/migration.md), checked last */
    zf_definition *def; /* compiled for a migration document that names it, or NULL */
    size_t dir;         /* found beside: the index of its directory scan */
    int have_stat;
    dev_t dev;
    ino_t ino;
} unit;

/* A definition file in a directory, by the id of its root element. */
typedef struct found {
    char *path;
    char id[128], version[64];
} found;

typedef struct dirscan {
    char *dir;
    found *files;
    size_t n;
} dirscan;

typedef struct vset {
    unit **u; /* each allocated alone: a unit's diagnostics context points into it */
    size_t n, cap;
    dirscan *dirs;
    size_t ndirs, cdirs;
    const zf_validate_options *opts;
    int oom;
} vset;

static void unit_free(unit *u) {
    zf_definition_free(u->def);
    zf__model_free(u->m);
    zf__load_release(&u->x);
    zf__free(u->bytes);
    zf__free(u->owned_path);
    zf_diagnostics_dispose(&u->diags);
}

/* Read, parse and check one file into u (path and given set). ZF_ENOMEM or ZF_OK. */
static zf_code unit_load(vset *vs, unit *u) {
    struct stat st;
    zf_code rc;
    memset(&u->dc, 0, sizeof u->dc);
    u->dc.out = u->given ? &u->diags : NULL;
    u->dc.file = u->path;
    u->same_as = -1;
    if (stat(u->path, &st) == 0) {
        u->have_stat = 1;
        u->dev = st.st_dev;
        u->ino = st.st_ino;
    }
    if (u->given && (u->migration = zf__migration_sniff(u->path)) != 0)
        return ZF_OK;
    rc = zf__load_read_file(&u->bytes, &u->len, &u->dc);
    if (rc == ZF_ENOMEM || u->dc.oom)
        return ZF_ENOMEM;
    if (rc != ZF_OK) {
        u->rc = rc;
        return ZF_OK;
    }
    /* The same bytes given twice (the same file, or a copy): checked once. */
    for (size_t i = 0; u->given && i < vs->n; i++) {
        const unit *o = vs->u[i];
        if (o != u && o->given && o->same_as < 0 && o->bytes && o->len == u->len &&
            !memcmp(o->bytes, u->bytes, u->len)) {
            u->same_as = (int)i;
            return ZF_OK;
        }
    }
    u->x.name = u->path;
    u->x.bytes = u->bytes;
    u->x.len = u->len;
    rc = zf__load_parse(&u->x, &u->dc);
    if (rc == ZF_OK)
        rc = zf__check_model(&u->m, &u->x, &u->dc, 1);
    if (rc == ZF_ENOMEM || u->dc.oom)
        return ZF_ENOMEM;
    u->rc = rc;
    if (u->m && u->m->complete) {
        u->id = u->m->id;
        u->version = u->m->version;
    } else if (u->x.doc) {
        /* Not schema-valid: the root element may still say which process it is. */
        const xmlNode *root = xmlDocGetRootElement(u->x.doc);
        const char *id = root ? zf__xml_attr(root, "id") : NULL;
        const char *version = root ? zf__xml_attr(root, "version") : NULL;
        if (id && *id)
            u->id = id;
        if (version && *version)
            u->version = version;
    }
    return ZF_OK;
}

static unit *add_unit(vset *vs) {
    unit *u;
    if (ZF__GROW(vs->u, vs->cap, vs->n + 1, 8)) {
        vs->oom = 1;
        return NULL;
    }
    if (!(u = zf__calloc(1, sizeof *u))) {
        vs->oom = 1;
        return NULL;
    }
    vs->u[vs->n++] = u;
    return u;
}

/* ------------------------------------------------------------------------ */
/* Looking beside a file */

static int cmp_found(const void *a, const void *b) {
    return strcmp(((const found *)a)->path, ((const found *)b)->path);
}

/* The definitions in directory `dir`, each with the id of its root element (read
 * once per directory, in file-name order). NULL when out of memory. */
static dirscan *scan_dir(vset *vs, const char *dir) {
    dirscan *ds;
    DIR *d;
    struct dirent *e;
    size_t cap = 0;
    for (size_t i = 0; i < vs->ndirs; i++)
        if (!strcmp(vs->dirs[i].dir, dir))
            return &vs->dirs[i];
    if (ZF__GROW(vs->dirs, vs->cdirs, vs->ndirs + 1, 4)) {
        vs->oom = 1;
        return NULL;
    }
    ds = &vs->dirs[vs->ndirs];
    memset(ds, 0, sizeof *ds);
    if (!(ds->dir = zf__strdup(dir))) {
        vs->oom = 1;
        return NULL;
    }
    vs->ndirs++;
    if (!(d = opendir(dir)))
        return ds;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name), dl = strlen(dir);
        found *f;
        if (len < 5 || strcmp(e->d_name + len - 4, ".xml") || e->d_name[0] == '.')
            continue;
        if (ZF__GROW(ds->files, cap, ds->n + 1, 16)) {
            vs->oom = 1;
            break;
        }
        f = &ds->files[ds->n];
        memset(f, 0, sizeof *f);
        if (!(f->path = zf__malloc(dl + len + 2))) {
            vs->oom = 1;
            break;
        }
        memcpy(f->path, dir, dl);
        f->path[dl] = '/';
        memcpy(f->path + dl + 1, e->d_name, len + 1);
        ds->n++;
    }
    closedir(d);
    if (vs->oom)
        return NULL;
    qsort(ds->files, ds->n, sizeof *ds->files, cmp_found);
    for (size_t i = 0; i < ds->n; i++)
        if (zf__load_root(ds->files[i].path, ds->files[i].id, ds->files[i].version,
                          sizeof ds->files[i].version) < 0)
            ds->files[i].id[0] = '\0';
    return ds;
}

/* The directory of a path ("." for a bare name) into buf. */
static void dir_of(const char *path, char *buf, size_t cap) {
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(buf, cap, ".");
    else if (slash == path)
        snprintf(buf, cap, "/");
    else
        snprintf(buf, cap, "%.*s", (int)(slash - path), path);
}

/* Load the definitions of process `id` beside unit `from` that are not loaded yet;
 * returns the index of the directory's scan (those units have it in `dir`). */
static size_t look_beside(vset *vs, size_t from, const char *id) {
    char dir[4096];
    dirscan *ds;
    size_t di;
    dir_of(vs->u[from]->path, dir, sizeof dir);
    if (!(ds = scan_dir(vs, dir)))
        return SIZE_MAX;
    di = (size_t)(ds - vs->dirs);
    for (size_t i = 0; i < ds->n && !vs->oom; i++) {
        const found *f = &ds->files[i];
        struct stat st;
        int known = 0;
        unit *u;
        if (strcmp(f->id, id))
            continue;
        if (stat(f->path, &st) == 0)
            for (size_t k = 0; k < vs->n && !known; k++)
                known = vs->u[k]->have_stat && vs->u[k]->dev == st.st_dev &&
                        vs->u[k]->ino == st.st_ino;
        if (known || !(u = add_unit(vs)))
            continue;
        if (!(u->owned_path = zf__strdup(f->path))) {
            vs->oom = 1;
            zf__free(vs->u[--vs->n]);
            return SIZE_MAX;
        }
        u->path = u->owned_path;
        u->dir = di;
        if (unit_load(vs, u) == ZF_ENOMEM)
            vs->oom = 1;
    }
    return di;
}

/* ------------------------------------------------------------------------ */
/* Checks across files */

static void add(vset *vs, unit *u, zf_severity sev, const char *check, int line, int col,
                const char *fmt, ...) ZF__PRINTF(7, 8);
static void add(vset *vs, unit *u, zf_severity sev, const char *check, int line, int col,
                const char *fmt, ...) {
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    /* The same finding at the same place once (a spawn checked against two versions). */
    for (size_t i = 0; i < u->diags.count; i++) {
        const zf_diagnostic *d = &u->diags.items[i];
        if (d->line == line && d->column == col && !strcmp(d->message, msg))
            return;
    }
    zf__diag_add(&u->dc, sev, ZF_ESEMANTIC, check, line, col, "%s", msg);
    if (u->dc.oom)
        vs->oom = 1;
}

static int usable(const unit *u) {
    return u->same_as < 0 && u->m && u->m->complete;
}

static int cmp_str(const char *a, const char *b) {
    return strcmp(a ? a : "", b ? b : "");
}

/* Files by (id, version, path): duplicates become neighbours. */
typedef struct key {
    const char *id, *version, *path;
    size_t unit;
} key;

static int cmp_key(const void *a, const void *b) {
    const key *x = a, *y = b;
    int c = cmp_str(x->id, y->id);
    if (!c)
        c = cmp_str(x->version, y->version);
    return c ? c : strcmp(x->path, y->path);
}

/* Two given files with one process id and version: an error in each, naming the other
 * (the result does not depend on the order of the files). */
static void check_duplicates(vset *vs, size_t ngiven) {
    key *idx = zf__calloc(ngiven + 1, sizeof *idx);
    size_t k = 0;
    if (!idx) {
        vs->oom = 1;
        return;
    }
    for (size_t i = 0; i < ngiven; i++)
        if (vs->u[i]->same_as < 0 && vs->u[i]->id) {
            idx[k].id = vs->u[i]->id;
            idx[k].version = vs->u[i]->version;
            idx[k].path = vs->u[i]->path;
            idx[k++].unit = i;
        }
    qsort(idx, k, sizeof *idx, cmp_key);
    for (size_t a = 0; a < k;) {
        size_t b = a + 1;
        while (b < k && !cmp_str(idx[a].id, idx[b].id) &&
               !cmp_str(idx[a].version, idx[b].version))
            b++;
        for (size_t i = a; b - a > 1 && i < b; i++) {
            unit *u = vs->u[idx[i].unit];
            const unit *other = vs->u[idx[i == a ? a + 1 : a].unit];
            const xmlNode *root = u->x.doc ? xmlDocGetRootElement(u->x.doc) : NULL;
            int line = 0, col = 0;
            char more[48] = "";
            if (root)
                zf__load_attrpos(&u->x, root, "id", 0, &line, &col);
            if (b - a > 2)
                snprintf(more, sizeof more, " and %zu more files", b - a - 2);
            if (u->version)
                add(vs, u, ZF_SEVERITY_ERROR, "duplicate-process", line, col,
                    "process '%s' version '%s' is also defined in '%s'%s", u->id,
                    u->version, other->path, more);
            else
                add(vs, u, ZF_SEVERITY_ERROR, "duplicate-process", line, col,
                    "process '%s' (without a version) is also defined in '%s'%s", u->id,
                    other->path, more);
        }
        a = b;
    }
    zf__free(idx);
}

/* The days a version of a process may start on, as text ("from 2019-01-01", ...). */
static void validity_text(const zf__model *m, char *buf, size_t cap) {
    char a[ZF_DATE_BUFSIZE], b[ZF_DATE_BUFSIZE];
    if (m->valid_from == ZF_DATE_NONE && m->valid_until == ZF_DATE_NONE)
        snprintf(buf, cap, "always");
    else if (m->valid_until == ZF_DATE_NONE)
        snprintf(buf, cap, "from %s", zf_date_format(a, m->valid_from));
    else if (m->valid_from == ZF_DATE_NONE)
        snprintf(buf, cap, "until %s", zf_date_format(b, m->valid_until));
    else
        snprintf(buf, cap, "%s to %s", zf_date_format(a, m->valid_from),
                 zf_date_format(b, m->valid_until));
}

/*
 * Versions side by side (docs/versions.md): two versions of one process must
 * declare validities that do not overlap, so that a start date picks one. Each
 * pair is reported once, at the file whose path sorts last, naming the other:
 * the finding does not depend on the order of the files.
 */
static void check_versions(vset *vs, size_t ngiven) {
    for (size_t i = 0; i < ngiven && !vs->oom; i++)
        for (size_t j = 0; j < ngiven && !vs->oom; j++) {
            unit *a = vs->u[i];
            const unit *b = vs->u[j];
            const xmlNode *root;
            char va[64], vb[64];
            int line = 0, col = 0;
            if (i == j || !usable(a) || !usable(b) || cmp_str(a->id, b->id) ||
                !cmp_str(a->version, b->version) || strcmp(a->path, b->path) < 0 ||
                (!strcmp(a->path, b->path) && i < j))
                continue;
            /* Versions without any validity are not picked by date. */
            if (a->m->valid_from == ZF_DATE_NONE && a->m->valid_until == ZF_DATE_NONE &&
                b->m->valid_from == ZF_DATE_NONE && b->m->valid_until == ZF_DATE_NONE)
                continue;
            if ((a->m->valid_until != ZF_DATE_NONE && b->m->valid_from != ZF_DATE_NONE &&
                 a->m->valid_until < b->m->valid_from) ||
                (b->m->valid_until != ZF_DATE_NONE && a->m->valid_from != ZF_DATE_NONE &&
                 b->m->valid_until < a->m->valid_from))
                continue;
            root = xmlDocGetRootElement(a->x.doc);
            if (root)
                zf__load_attrpos(&a->x, root, "id", 0, &line, &col);
            validity_text(a->m, va, sizeof va);
            validity_text(b->m, vb, sizeof vb);
            add(vs, a, ZF_SEVERITY_ERROR, "version-conflict", line, col,
                "the validity of process '%s' version '%s' (%s) overlaps that of version "
                "'%s' (%s) in %s: a case start date must pick one version",
                a->id, a->version ? a->version : "", va, b->version ? b->version : "", vb,
                b->path);
        }
}

/* A migration document's definitions: the given file of that id and version,
 * compiled once (NULL when there is none, or it has errors). */
static const zf_definition *migration_version(void *ctx, const char *id,
                                              const char *version, int to) {
    vset *vs = ctx;
    (void)to;
    for (size_t i = 0; id && i < vs->n; i++) {
        unit *t = vs->u[i];
        if (!t->given || !usable(t) || cmp_str(t->id, id) || cmp_str(t->version, version))
            continue;
        if (!t->def && zf_definition_parse(&t->def, t->bytes, t->len, t->path, NULL,
                                           NULL) == ZF_ENOMEM)
            vs->oom = 1;
        return t->def;
    }
    return NULL;
}

static void check_migration(vset *vs, unit *u) {
    zf_migration *m = NULL;
    zf_code rc = zf__migration_load_with(&m, u->path, migration_version, vs,
                                         "among the definitions validated together",
                                         &u->diags, NULL);
    zf_migration_free(m);
    if (rc == ZF_ENOMEM)
        vs->oom = 1;
    u->rc = rc;
}

static uint16_t model_var(const zf__model *m, const char *name) {
    for (size_t v = 0; v < m->nvars; v++)
        if (m->vars[v].id && !strcmp(m->vars[v].id, name))
            return (uint16_t)v;
    return ZF_NOIDX;
}

static int enum_has(const zf__model *m, uint16_t e, const char *value) {
    if (e >= m->nenums)
        return 1; /* nothing to check against */
    for (uint16_t i = 0; i < m->enums[e].nvalues; i++)
        if (!strcmp(m->enums[e].values[i], value))
            return 1;
    return 0;
}

/* The <with> element of spawn action k that passes `name`. */
static const xmlNode *with_node(const zf__model *m, uint32_t k, const char *name) {
    for (const xmlNode *w = m->action_node[k]->children; w; w = w->next)
        if (w->type == XML_ELEMENT_NODE && !strcmp((const char *)w->name, "with")) {
            xmlChar *n = xmlGetNoNsProp((xmlNodePtr)w, (const xmlChar *)"name");
            int match = n && !strcmp((const char *)n, name);
            xmlFree(n);
            if (match)
                return w;
        }
    return NULL;
}

/* One parameter of spawn action k of unit u against variable v of process t. */
static void check_param(vset *vs, unit *u, uint32_t k, uint16_t p, const zf__model *t,
                        uint16_t v) {
    const zf__model *m = u->m;
    const zf__action *a = &m->actions[k];
    const zf__spawn_param *sp = &a->params[p];
    const zf__var *tv = &t->vars[v];
    const xmlNode *w = with_node(m, k, sp->name);
    zf_type got = sp->value.type;
    int line = sp->pos.line, col = sp->pos.column;
    const char *tenum = tv->enum_id < t->nenums ? t->enums[tv->enum_id].id : "?";
    char gotname[96];

    if (!sp->value.code || tv->type == ZF_TYPE_VOID)
        return; /* reported in its own file */
    if (w)
        zf__load_attrpos(&u->x, w, "expr", 0, &line, &col);
    if (tv->type == ZF_TYPE_ENUM && got == ZF_TYPE_ENUM) {
        /* The same enumeration: the same id, and every value it can give is one the
         * spawned process knows. */
        const zf__enum *se =
            sp->value.enum_id < m->nenums ? &m->enums[sp->value.enum_id] : NULL;
        if (!se)
            return;
        if (cmp_str(se->id, tenum)) {
            add(vs, u, ZF_SEVERITY_ERROR, "spawn-param", line, col,
                "variable '%s' of process '%s' is of enumeration '%s', got a value of "
                "enumeration '%s'",
                sp->name, a->text, tenum, se->id);
            return;
        }
        for (uint16_t i = 0; i < se->nvalues; i++)
            if (!enum_has(t, tv->enum_id, se->values[i])) {
                add(vs, u, ZF_SEVERITY_ERROR, "spawn-param", line, col,
                    "enumeration '%s' has value '%s', which enumeration '%s' of process "
                    "'%s' does not have (variable '%s')",
                    se->id, se->values[i], tenum, a->text, sp->name);
                return;
            }
        return;
    }
    if (tv->type == ZF_TYPE_ENUM && got == ZF_TYPE_STRING) {
        /* String literals naming values of the enumeration, and nothing else. */
        int any = 0, all = 0;
        for (size_t i = 0; i < m->nwith_literals; i++) {
            const struct zf__with_literal *l = &m->with_literals[i];
            if (l->action != k || l->param != p)
                continue;
            any = 1;
            all = l->all;
            if (l->all && !enum_has(t, tv->enum_id, l->text))
                add(vs, u, ZF_SEVERITY_ERROR, "spawn-param", l->line, l->column,
                    "'%s' is not a value of enumeration '%s' of variable '%s' of process "
                    "'%s'",
                    l->text, tenum, sp->name, a->text);
        }
        if (!any || !all)
            add(vs, u, ZF_SEVERITY_ERROR, "spawn-param", line, col,
                "variable '%s' of process '%s' is of enumeration '%s', got a string that "
                "is not a literal value name",
                sp->name, a->text, tenum);
        return;
    }
    if (tv->type == got || (tv->type == ZF_TYPE_MONEY && got == ZF_TYPE_INT))
        return;
    if (got == ZF_TYPE_ENUM && sp->value.enum_id < m->nenums)
        snprintf(gotname, sizeof gotname, "enumeration '%s'",
                 m->enums[sp->value.enum_id].id);
    else
        snprintf(gotname, sizeof gotname, "%s", zf_type_name(got));
    if (tv->type == ZF_TYPE_ENUM)
        add(vs, u, ZF_SEVERITY_ERROR, "spawn-param", line, col,
            "variable '%s' of process '%s' is of enumeration '%s', got %s", sp->name,
            a->text, tenum, gotname);
    else
        add(vs, u, ZF_SEVERITY_ERROR, "spawn-param", line, col,
            "variable '%s' of process '%s' is of type %s, got %s", sp->name, a->text,
            zf_type_name(tv->type), gotname);
}

/* Spawn action k of unit u against the definition of its process in unit t. */
static void check_spawn(vset *vs, unit *u, uint32_t k, const unit *t) {
    const zf__model *m = u->m, *tm = t->m;
    const zf__action *a = &m->actions[k];
    for (uint16_t p = 0; p < a->nparams; p++) {
        const zf__spawn_param *sp = &a->params[p];
        uint16_t v = model_var(tm, sp->name);
        if (v == ZF_NOIDX) {
            const xmlNode *w = with_node(m, k, sp->name);
            int line = sp->pos.line, col = sp->pos.column;
            if (w)
                zf__load_attrpos(&u->x, w, "name", 0, &line, &col);
            add(vs, u, ZF_SEVERITY_ERROR, "spawn-param", line, col,
                "process '%s' has no variable '%s'", a->text, sp->name);
        } else {
            check_param(vs, u, k, p, tm, v);
        }
    }
    /* Every required variable of the spawned process must be passed. */
    for (size_t v = 0; v < tm->nvars; v++) {
        int given = 0;
        if (!tm->vars[v].required || !tm->vars[v].id)
            continue;
        for (uint16_t p = 0; p < a->nparams && !given; p++)
            given = a->params[p].name && !strcmp(a->params[p].name, tm->vars[v].id);
        if (!given)
            add(vs, u, ZF_SEVERITY_ERROR, "spawn-param", a->pos.line, a->pos.column,
                "spawn of process '%s' does not pass its required variable '%s'", a->text,
                tm->vars[v].id);
    }
}

/* Whether an earlier spawn action of u than k names the same process. */
static int seen_before(const zf__model *m, uint32_t k) {
    for (uint32_t j = 0; j < k; j++)
        if (m->actions[j].kind == ZF_ACT_SPAWN && m->actions[j].text &&
            !strcmp(m->actions[j].text, m->actions[k].text))
            return 1;
    return 0;
}

static void check_spawns(vset *vs, size_t ui) {
    for (uint32_t k = 0; k < vs->u[ui]->m->nactions && !vs->oom; k++) {
        const zf__action *a = &vs->u[ui]->m->actions[k];
        int targets = 0, broken = -1;
        size_t dir = SIZE_MAX;
        if (a->kind != ZF_ACT_SPAWN || !a->text)
            continue;
        for (int pass = 0; pass < 2 && !targets && !vs->oom; pass++) {
            /* First the files given, then (when allowed) those beside this one. */
            if (pass == 1) {
                if (!vs->opts->beside)
                    break;
                dir = look_beside(vs, ui, a->text);
            }
            for (size_t j = 0; j < vs->n; j++) {
                const unit *t = vs->u[j];
                if (t->same_as >= 0 || !t->id || strcmp(t->id, a->text) ||
                    (pass == 0 ? !t->given : t->given || t->dir != dir))
                    continue;
                if (!usable(t)) {
                    broken = (int)j;
                    continue;
                }
                targets++;
                check_spawn(vs, vs->u[ui], k, t);
            }
        }
        if (targets || seen_before(vs->u[ui]->m, k))
            continue;
        if (broken >= 0 && !vs->u[broken]->given)
            add(vs, vs->u[ui], ZF_SEVERITY_WARNING, "unknown-process", a->pos.line,
                a->pos.column,
                "spawn of process '%s': '%s' beside this file defines it but has errors, "
                "so the spawn is not checked",
                a->text, vs->u[broken]->path);
        else if (broken < 0 && !vs->opts->beside)
            add(vs, vs->u[ui], ZF_SEVERITY_ERROR, "unknown-process", a->pos.line,
                a->pos.column,
                "spawn of process '%s', which is not among the definitions validated "
                "together",
                a->text);
        else if (broken < 0)
            add(vs, vs->u[ui], vs->opts->strict ? ZF_SEVERITY_ERROR : ZF_SEVERITY_WARNING,
                "unknown-process", a->pos.line, a->pos.column,
                "spawn of process '%s', which is neither among the files validated nor "
                "beside this file: the spawn is not checked",
                a->text);
    }
}

/* ------------------------------------------------------------------------ */
/* The whole validation */

static void vset_free(vset *vs) {
    for (size_t i = 0; i < vs->n; i++) {
        unit_free(vs->u[i]);
        zf__free(vs->u[i]);
    }
    zf__free(vs->u);
    for (size_t i = 0; i < vs->ndirs; i++) {
        for (size_t j = 0; j < vs->dirs[i].n; j++)
            zf__free(vs->dirs[i].files[j].path);
        zf__free(vs->dirs[i].files);
        zf__free(vs->dirs[i].dir);
    }
    zf__free(vs->dirs);
}

/* Append the findings of the given files to `out` (each file's in line order). */
static zf_code collect(vset *vs, size_t ngiven, zf_diagnostics *out) {
    size_t total = 0;
    for (size_t i = 0; i < ngiven; i++)
        total += vs->u[i]->diags.count;
    if (ZF__GROW(out->items, out->capacity, out->count + total, 16))
        return ZF_ENOMEM;
    for (size_t i = 0; i < ngiven; i++) {
        zf_diagnostics *d = &vs->u[i]->diags;
        zf__diags_sort(d, 0);
        if (d->count)
            memcpy(out->items + out->count, d->items, d->count * sizeof *d->items);
        out->count += d->count;
        out->errors += d->errors;
        out->warnings += d->warnings;
    }
    return ZF_OK;
}

zf_code zf_validate_files_ext(zf_diagnostics *out, const char *const *paths,
                              size_t npaths, const zf_validate_options *opts,
                              zf_error *err) {
    static const zf_validate_options defaults = ZF_VALIDATE_OPTIONS_INIT;
    zf_diagnostics local = ZF_DIAGNOSTICS_INIT;
    zf_diagnostics *dl = out ? out : &local;
    size_t from = dl->count;
    zf_code rc = ZF_OK, first = ZF_OK;
    int errors = 0;
    vset vs;

    zf_error_clear(err);
    if (!paths && npaths)
        return zf__error_set(err, ZF_EINVAL, "no paths");
    for (size_t i = 0; i < npaths; i++)
        if (!paths[i])
            return zf__error_set(err, ZF_EINVAL, "paths[%zu] is NULL", i);
    if (opts && opts->version != ZF_VALIDATE_OPTIONS_VERSION)
        return zf__error_set(err, ZF_EINVAL, "opts: unknown version %u", opts->version);
    memset(&vs, 0, sizeof vs);
    vs.opts = opts ? opts : &defaults;
    for (size_t i = 0; i < npaths && !vs.oom; i++) {
        unit *u = add_unit(&vs);
        if (!u)
            break;
        u->path = paths[i];
        u->given = 1;
        if (unit_load(&vs, u) == ZF_ENOMEM)
            vs.oom = 1;
    }
    if (!vs.oom)
        check_duplicates(&vs, npaths);
    if (!vs.oom)
        check_versions(&vs, npaths);
    for (size_t i = 0; i < npaths && !vs.oom; i++)
        if (usable(vs.u[i]))
            check_spawns(&vs, i);
    for (size_t i = 0; i < npaths && !vs.oom; i++)
        if (vs.u[i]->migration)
            check_migration(&vs, vs.u[i]);
    for (size_t i = 0; i < npaths && !vs.oom; i++) {
        if (vs.u[i]->same_as >= 0)
            continue;
        if (vs.u[i]->diags.errors) {
            errors = 1;
            if (first == ZF_OK)
                first = vs.u[i]->rc != ZF_OK ? vs.u[i]->rc : ZF_ESEMANTIC;
        }
    }
    if (vs.oom || collect(&vs, npaths, dl) != ZF_OK)
        rc = ZF_ENOMEM;
    vset_free(&vs);
    if (rc == ZF_ENOMEM)
        zf__error_set(err, ZF_ENOMEM, NULL);
    else if (errors) {
        rc = first;
        zf__diags_first_error(err, dl, from, rc);
    }
    zf_diagnostics_dispose(&local);
    return rc;
}

zf_code zf_validate_files(const char *const *paths, size_t npaths, zf_diagnostics *diags,
                          zf_error *err) {
    zf_validate_options opts = ZF_VALIDATE_OPTIONS_INIT;
    opts.beside = 0;
    return zf_validate_files_ext(diags, paths, npaths, &opts, err);
}
