/*
 * ZGW: the zaaktype of a process for the Catalogi API 1.3.1 (VNG-Realisatie,
 * gemma-zaken api-specificatie/ztc/1.3.x/1.3.1/openapi.yaml) and the Zaak
 * view of a case for the Zaken API 1.5.1 (api-specificatie/zrc/1.5.x/1.5.1).
 * docs/zgw.md has the complete mapping and the configuration format.
 *
 * The definition's ZGW declarations are attributes in their own namespace
 * (schemas/zgw.xsd), which the compiled definition does not keep (nor its hash,
 * which is that of the canonical form: docs/versions.md): this module reads the
 * file once, compiles the definition from those bytes and reads the declarations
 * from the very document the loader's secure parser (no network, no DTD, no
 * entities) made of them. Everything else goes through the public API.
 */
#include "internal.h"
#include "load.h"
#include "sha256.h"
#include "zgw_json.h"

#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- small helpers ------------------------------------------------------ */

/* Characters (UTF-8 code points) of a string: the APIs count lengths so. */
static size_t nchars(const char *s) {
    size_t n = 0;
    for (; s && *s; s++)
        if (((unsigned char)*s & 0xc0) != 0x80)
            n++;
    return n;
}

static int is_url(const char *s) {
    return s && (strncmp(s, "https://", 8) == 0 || strncmp(s, "http://", 7) == 0) &&
           strlen(s) > 8 && !strchr(s, ' ');
}

/* An ISO 8601 duration as the ZGW APIs take it: PnYnMnWnD with an optional
 * time part TnHnMnS; at least one component. */
static int is_duration(const char *s) {
    int comps = 0, in_time = 0;
    if (!s || *s++ != 'P')
        return 0;
    while (*s) {
        if (*s == 'T' && !in_time) {
            in_time = 1;
            s++;
            if (!*s)
                return 0;
            continue;
        }
        if (*s < '0' || *s > '9')
            return 0;
        while (*s >= '0' && *s <= '9')
            s++;
        if (!*s || !strchr(in_time ? "HMS" : "YMWD", *s))
            return 0;
        s++;
        comps++;
    }
    return comps > 0;
}

static int is_date(const char *s) {
    zf_date d;
    return s && strlen(s) == 10 && zf_date_parse(&d, s, NULL) == ZF_OK;
}

/* A duration literal of the expression language ("6w") as ISO 8601 and its
 * size in days for comparison (a month as 31 days, a year as 366). */
static int literal_duration(const char *s, size_t n, char iso[32], long *days) {
    size_t i = 0;
    long v = 0;
    while (n && (*s == ' ' || *s == '\t' || *s == '\n'))
        s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n'))
        n--;
    while (i < n && s[i] >= '0' && s[i] <= '9' && v < 100000)
        v = v * 10 + (s[i++] - '0');
    if (i == 0 || i + 1 != n || !strchr("dwmy", s[i]))
        return 0;
    switch (s[i]) {
    case 'd':
        *days = v, snprintf(iso, 32, "P%ldD", v);
        break;
    case 'w':
        *days = v * 7, snprintf(iso, 32, "P%ldW", v);
        break;
    case 'm':
        *days = v * 31, snprintf(iso, 32, "P%ldM", v);
        break;
    default:
        *days = v * 366, snprintf(iso, 32, "P%ldY", v);
        break;
    }
    return 1;
}

/*
 * The longest length a term's length expression can give, when every
 * outcome is a literal: "6w", or "c ? 12w : 6w" (nested conditions too).
 * Returns 1 and sets iso; 0 when some outcome is not a literal.
 */
static int max_length(const char *expr, char iso[32], int *conditional) {
    const char *q = strchr(expr, '?');
    long best = -1, d;
    char tmp[32];
    *conditional = q != NULL;
    if (!q)
        return literal_duration(expr, strlen(expr), iso, &d);
    q++;
    while (*q) {
        const char *e = strchr(q, ':'), *seg = q, *x;
        size_t n = e ? (size_t)(e - q) : strlen(q);
        for (x = seg; x < q + n; x++)
            if (*x == '?')
                seg = x + 1;
        if (!literal_duration(seg, (size_t)(q + n - seg), tmp, &d))
            return 0;
        if (d > best) {
            best = d;
            memcpy(iso, tmp, 32);
        }
        if (!e)
            break;
        q = e + 1;
    }
    return best >= 0;
}

/* A name-based UUID (RFC 9562 version 8) from SHA-256 of `name`: stable. */
static void name_uuid(const char *name, char out[37]) {
    unsigned char h[32];
    zf__sha256 s;
    zf__sha256_init(&s);
    zf__sha256_update(&s, name, strlen(name));
    zf__sha256_final(&s, h);
    h[6] = (unsigned char)((h[6] & 0x0f) | 0x80);
    h[8] = (unsigned char)((h[8] & 0x3f) | 0x80);
    snprintf(out, 37,
             "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", h[0],
             h[1], h[2], h[3], h[4], h[5], h[6], h[7], h[8], h[9], h[10], h[11], h[12],
             h[13], h[14], h[15]);
}

/* ---- the process and its ZGW declarations ------------------------------- */

typedef struct zstatus {
    int nr;
    const char *omschrijving;
    const char *state; /* the first state with this number */
} zstatus;

typedef struct zstatemap {
    const char *state;
    int nr;
} zstatemap;

typedef struct zresult {
    const char *outcome;
    const char
        *omschrijving; /* zgw:resultaat, else the final's title, else the outcome */
    const char *state;
} zresult;

typedef struct zrole {
    const char *id, *title;
} zrole;

typedef struct zvar {
    const char *id, *naam, *title, *basis;
    zf_type type;
    const char *const *values; /* enumeration values */
    size_t nvalues;
} zvar;

typedef struct zspawn {
    const char *process, *relation;
} zspawn;

struct zf_zgw_process {
    unsigned int magic;
    zf__arena arena;
    zf_definition *def;
    const char *file, *id, *version, *title, *basis;
    const char *main_term;   /* zgw:doorlooptijd, or NULL */
    const char *main_length; /* its length expression */
    char doorlooptijd[32];   /* its longest length, "" when not a literal */
    int conditional;
    int suspendable, extendable;
    char verlengingstermijn[32]; /* longest literal extension, or "" */
    long ext_days;               /* its size in days */
    zstatus *statuses;           /* sorted by number, one per number */
    size_t nstatuses;
    zstatemap *states;
    size_t nstates;
    zresult *results;
    size_t nresults;
    zrole *roles;
    size_t nroles;
    zvar *vars;
    size_t nvars;
    zspawn *spawns;
    size_t nspawns;
};
ZF__MAGIC_FIRST(struct zf_zgw_process);

typedef struct penum {
    const char *id;
    const char **values;
    size_t n;
} penum;

typedef struct ploader {
    zf_zgw_process *p;
    zf__xml *x;
    zf__diagctx *dc;
    size_t cap; /* elements in the document: bounds every list */
    penum *enums;
    size_t nenums;
} ploader;

static int is_el(const xmlNode *n, const char *name) {
    return n && n->type == XML_ELEMENT_NODE && n->ns &&
           strcmp((const char *)n->ns->href, ZF_PROCESS_NS) == 0 &&
           strcmp((const char *)n->name, name) == 0;
}

/* An attribute (no namespace) or a zgw: attribute, copied into the arena. */
static const char *attr(ploader *l, const xmlNode *n, const char *name, int zgw) {
    xmlChar *v = zgw ? xmlGetNsProp(n, (const xmlChar *)name, (const xmlChar *)ZF_ZGW_NS)
                     : xmlGetNoNsProp(n, (const xmlChar *)name);
    char *s;
    if (!v)
        return NULL;
    s = zf__arena_strdup(&l->p->arena, (const char *)v);
    xmlFree(v);
    if (!s)
        l->dc->oom = 1;
    return s;
}

/* Text of the first <basis> child, or NULL. */
static const char *basis_of(ploader *l, const xmlNode *n) {
    for (const xmlNode *c = n->children; c; c = c->next)
        if (is_el(c, "basis")) {
            xmlChar *t = xmlNodeGetContent(c);
            char *s = t ? zf__arena_strdup(&l->p->arena, (const char *)t) : NULL;
            if (t && !s)
                l->dc->oom = 1;
            xmlFree(t);
            return s;
        }
    return NULL;
}

static void perr(ploader *l, const xmlNode *n, const char *check, const char *fmt,
                 const char *a, const char *b) {
    zf__elpos pos = zf__load_elpos(l->x, n);
    zf__diag_add(l->dc, ZF_SEVERITY_ERROR, ZF_ESEMANTIC, check, pos.line, pos.column, fmt,
                 a ? a : "", b ? b : "");
}

/* Only the attributes of schemas/zgw.xsd, each where it belongs. */
static void check_zgw_attrs(ploader *l, const xmlNode *n, const char *allowed) {
    for (const xmlAttr *a = n->properties; a; a = a->next) {
        char name[80];
        if (!a->ns || strcmp((const char *)a->ns->href, ZF_ZGW_NS) != 0)
            continue;
        snprintf(name, sizeof name, " %s ", (const char *)a->name);
        if (!strstr(allowed, name))
            perr(l, n, "zgw", "attribute zgw:%s is not allowed on <%s>",
                 (const char *)a->name, (const char *)n->name);
    }
}

static void count_elements(const xmlNode *n, size_t *count) {
    for (; n; n = n->next)
        if (n->type == XML_ELEMENT_NODE) {
            (*count)++;
            count_elements(n->children, count);
        }
}

static const penum *find_enum(ploader *l, const char *id) {
    for (size_t i = 0; i < l->nenums; i++)
        if (strcmp(l->enums[i].id, id) == 0)
            return &l->enums[i];
    return NULL;
}

static void read_data(ploader *l, const xmlNode *data) {
    zf_zgw_process *p = l->p;
    for (const xmlNode *c = data->children; c; c = c->next) {
        if (is_el(c, "enum")) {
            penum *e = &l->enums[l->nenums++];
            e->id = attr(l, c, "id", 0);
            e->values = zf__arena_alloc(&p->arena, l->cap * sizeof *e->values);
            if (!e->values) {
                l->dc->oom = 1;
                return;
            }
            for (const xmlNode *v = c->children; v; v = v->next)
                if (is_el(v, "value"))
                    e->values[e->n++] = attr(l, v, "id", 0);
        } else if (is_el(c, "var")) {
            zvar *v = &p->vars[p->nvars];
            const penum *e;
            check_zgw_attrs(l, c, " eigenschap ");
            v->id = attr(l, c, "id", 0);
            v->title = attr(l, c, "title", 0);
            v->basis = basis_of(l, c);
            v->naam = attr(l, c, "eigenschap", 1);
            if (!v->id)
                return;
            v->type = zf_definition_var_type(p->def, p->nvars);
            if (!v->naam)
                v->naam = v->id;
            if (nchars(v->naam) > 20 || !*v->naam)
                perr(l, c, "zgw-eigenschap",
                     "the eigenschap name of variable '%s' has more than 20 characters "
                     "(Catalogi API 1.3.1 eigenschap.naam); give a shorter one in "
                     "zgw:eigenschap%s",
                     v->id, NULL);
            if (v->type == ZF_TYPE_ENUM) {
                const char *t = attr(l, c, "type", 0);
                if (t && (e = find_enum(l, t))) {
                    v->values = e->values;
                    v->nvalues = e->n;
                }
            }
            p->nvars++;
        }
    }
}

static int status_number(const char *s, int *out) {
    long v = 0;
    if (!s || !*s)
        return 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || v > 9999)
            return 0;
        v = v * 10 + (*s - '0');
    }
    *out = (int)v;
    return v >= 1 && v <= 9999;
}

static void walk(ploader *l, const xmlNode *n, int top) {
    zf_zgw_process *p = l->p;
    for (const xmlNode *c = n->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (is_el(c, "state") || is_el(c, "parallel") || is_el(c, "final")) {
            int fin = is_el(c, "final");
            const char *id = attr(l, c, "id", 0), *title = attr(l, c, "title", 0);
            const char *st = attr(l, c, "status", 1), *om = attr(l, c, "omschrijving", 1);
            check_zgw_attrs(
                l, c, fin ? " status omschrijving resultaat " : " status omschrijving ");
            if (st) {
                int nr = 0;
                if (!status_number(st, &nr)) {
                    perr(l, c, "zgw-status",
                         "zgw:status '%s' of state '%s' is not a number from 1 to 9999",
                         st, id);
                } else {
                    size_t k;
                    p->states[p->nstates].state = id;
                    p->states[p->nstates++].nr = nr;
                    for (k = 0; k < p->nstatuses && p->statuses[k].nr != nr; k++)
                        ;
                    if (k == p->nstatuses) {
                        zstatus *s = &p->statuses[p->nstatuses++];
                        s->nr = nr;
                        s->state = id;
                        s->omschrijving = om ? om : title ? title : id;
                        if (nchars(s->omschrijving) > 80)
                            perr(l, c, "zgw-status",
                                 "the status omschrijving of state '%s' has more than 80 "
                                 "characters (Catalogi API 1.3.1 "
                                 "statustype.omschrijving); "
                                 "give a shorter one in zgw:omschrijving%s",
                                 id, NULL);
                    } else if (om && strcmp(om, p->statuses[k].omschrijving) != 0) {
                        perr(l, c, "zgw-status",
                             "status %s is already described differently (state '%s')",
                             st, p->statuses[k].state);
                    }
                }
            } else if (om) {
                perr(l, c, "zgw-status",
                     "zgw:omschrijving without zgw:status on state '%s'%s", id, NULL);
            }
            if (fin && top) {
                const char *outcome = attr(l, c, "outcome", 0);
                const char *res = attr(l, c, "resultaat", 1);
                if (outcome) {
                    size_t k;
                    for (k = 0; k < p->nresults && strcmp(p->results[k].outcome, outcome);
                         k++)
                        ;
                    if (k == p->nresults) {
                        zresult *r = &p->results[p->nresults++];
                        r->outcome = outcome;
                        r->state = id;
                        r->omschrijving = res ? res : title ? title : outcome;
                        if (nchars(r->omschrijving) > 30)
                            perr(
                                l, c, "zgw-resultaat",
                                "the resultaat omschrijving of final state '%s' has more "
                                "than 30 characters (Catalogi API 1.3.1 "
                                "resultaattype.omschrijving); give a shorter one in "
                                "zgw:resultaat%s",
                                id, NULL);
                    }
                } else if (res) {
                    perr(l, c, "zgw-resultaat",
                         "zgw:resultaat without an outcome on state '%s'%s", id, NULL);
                }
            } else if (fin && attr(l, c, "resultaat", 1)) {
                perr(l, c, "zgw-resultaat",
                     "zgw:resultaat on final state '%s', which is not a final state of "
                     "the "
                     "process%s",
                     id, NULL);
            }
            walk(l, c, 0);
            continue;
        }
        if (is_el(c, "term")) {
            const char *id = attr(l, c, "id", 0);
            check_zgw_attrs(l, c, " ");
            if (id && p->main_term && strcmp(id, p->main_term) == 0)
                p->main_length = attr(l, c, "length", 0);
        } else if (is_el(c, "suspend") || is_el(c, "extend")) {
            const char *t = attr(l, c, "term", 0);
            if (t && p->main_term && strcmp(t, p->main_term) == 0) {
                if (is_el(c, "suspend")) {
                    p->suspendable = 1;
                } else {
                    const char *by = attr(l, c, "by", 0);
                    char iso[32];
                    long d;
                    p->extendable = 1;
                    /* keep the longest literal extension */
                    if (by && literal_duration(by, strlen(by), iso, &d) &&
                        d > p->ext_days) {
                        p->ext_days = d;
                        memcpy(p->verlengingstermijn, iso, 32);
                    }
                }
            }
        } else if (is_el(c, "spawn")) {
            const char *proc = attr(l, c, "process", 0), *rel = attr(l, c, "relation", 0);
            size_t k;
            if (proc && rel) {
                for (k = 0; k < p->nspawns && (strcmp(p->spawns[k].process, proc) ||
                                               strcmp(p->spawns[k].relation, rel));
                     k++)
                    ;
                if (k == p->nspawns) {
                    p->spawns[p->nspawns].process = proc;
                    p->spawns[p->nspawns++].relation = rel;
                }
            }
        }
        walk(l, c, 0);
    }
}

static int cmp_status(const void *a, const void *b) {
    return ((const zstatus *)a)->nr - ((const zstatus *)b)->nr;
}

static zf_code read_model(ploader *l, const xmlNode *root) {
    zf_zgw_process *p = l->p;
    zf__arena *a = &p->arena;
    size_t cap = 1;
    int top = 0;
    count_elements(root, &cap);
    l->cap = cap;
#define ZF__ALLOC(field) (p->field = zf__arena_alloc(a, cap * sizeof *p->field))
    if (!ZF__ALLOC(statuses) || !ZF__ALLOC(states) || !ZF__ALLOC(results) ||
        !ZF__ALLOC(roles) || !ZF__ALLOC(vars) || !ZF__ALLOC(spawns) ||
        !(l->enums = zf__arena_alloc(a, cap * sizeof *l->enums)))
        return ZF_ENOMEM;
#undef ZF__ALLOC
    check_zgw_attrs(l, root, " doorlooptijd ");
    p->id = attr(l, root, "id", 0);
    p->version = attr(l, root, "version", 0);
    p->title = attr(l, root, "title", 0);
    p->basis = basis_of(l, root);
    p->main_term = attr(l, root, "doorlooptijd", 1);
    for (const xmlNode *c = root->children; c; c = c->next) {
        if (is_el(c, "data"))
            read_data(l, c);
        else if (is_el(c, "roles"))
            for (const xmlNode *r = c->children; r; r = r->next)
                if (is_el(r, "role")) {
                    p->roles[p->nroles].id = attr(l, r, "id", 0);
                    p->roles[p->nroles++].title = attr(l, r, "title", 0);
                }
    }
    walk(l, root, 1);
    if (l->dc->oom)
        return ZF_ENOMEM;
    if (p->main_term && !p->main_length)
        perr(l, root, "zgw-doorlooptijd",
             "zgw:doorlooptijd names term '%s', which is not declared%s", p->main_term,
             NULL);
    else if (p->main_term &&
             !max_length(p->main_length, p->doorlooptijd, &p->conditional))
        p->doorlooptijd[0] = '\0'; /* the configuration must give it */
    if (p->nstatuses == 0)
        perr(l, root, "zgw-status",
             "process '%s' declares no zgw:status: mark the states that are ZGW "
             "statuses%s",
             p->id, NULL);
    qsort(p->statuses, p->nstatuses, sizeof *p->statuses, cmp_status);
    if (p->nstatuses)
        top = p->statuses[p->nstatuses - 1].nr;
    /* The last status is the end status: exactly the process's final states carry it. */
    for (const xmlNode *c = root->children; c; c = c->next) {
        if (is_el(c, "final")) {
            const char *id = attr(l, c, "id", 0), *st = attr(l, c, "status", 1);
            int nr = 0;
            if (p->nstatuses && (!st || !status_number(st, &nr) || nr != top)) {
                char tb[16];
                snprintf(tb, sizeof tb, "%d", top);
                perr(l, c, "zgw-status",
                     "final state '%s' must have the end status (zgw:status=\"%s\")", id,
                     tb);
            }
        }
    }
    for (size_t i = 0; i < p->nstates; i++)
        if (p->states[i].nr == top) {
            int fin = 0;
            for (const xmlNode *c = root->children; c; c = c->next)
                if (is_el(c, "final")) {
                    xmlChar *id = xmlGetNoNsProp(c, (const xmlChar *)"id");
                    if (id && strcmp((const char *)id, p->states[i].state) == 0)
                        fin = 1;
                    xmlFree(id);
                }
            if (!fin)
                perr(l, root, "zgw-status",
                     "state '%s' has the end status but is not a final state of the "
                     "process%s",
                     p->states[i].state, NULL);
        }
    return l->dc->oom ? ZF_ENOMEM : ZF_OK;
}

zf_code zf_zgw_process_load(zf_zgw_process **out, const char *path, zf_diagnostics *diags,
                            zf_error *err) {
    zf_zgw_process *p;
    zf__diagctx dc;
    zf__xml x;
    char *bytes = NULL;
    size_t len = 0;
    zf_code rc;
    ploader l;

    zf_error_clear(err);
    if (!out)
        return zf__error_set(err, ZF_EINVAL, "invalid out");
    *out = NULL;
    if (!path)
        return zf__error_set(err, ZF_EINVAL, "invalid path");
    p = zf__calloc(1, sizeof *p);
    if (!p)
        return zf__error_set(err, ZF_ENOMEM, NULL);
    p->magic = ZF__MAGIC_ZGW_PROCESS;
    memset(&dc, 0, sizeof dc);
    dc.out = diags;
    dc.err = err;
    dc.file = path;
    memset(&x, 0, sizeof x);
    /* One read: the definition and its zgw: declarations come from the same
       bytes, parsed once. */
    rc = zf__load_read_file(&bytes, &len, &dc);
    if (rc == ZF_OK)
        rc = zf__definition_parse_keep(&p->def, &x, bytes, len, path, diags, err);
    if (rc == ZF_OK) {
        memset(&l, 0, sizeof l);
        l.p = p;
        l.x = &x;
        l.dc = &dc;
        p->file = zf__arena_strdup(&p->arena, path);
        rc = p->file ? read_model(&l, xmlDocGetRootElement(x.doc)) : ZF_ENOMEM;
        if (rc == ZF_OK && dc.errors)
            rc = ZF_ESEMANTIC;
    }
    zf__load_release(&x);
    zf__free(bytes);
    if (rc == ZF_ENOMEM || dc.oom) {
        zf_zgw_process_free(p);
        return zf__error_set(err, ZF_ENOMEM, NULL);
    }
    if (rc) {
        zf_zgw_process_free(p);
        return rc;
    }
    *out = p;
    return ZF_OK;
}

void zf_zgw_process_free(zf_zgw_process *p) {
    if (!zf__ok_zgw_process(p))
        return;
    zf_definition_free(p->def);
    zf__arena_free(&p->arena);
    p->magic = ZF__MAGIC_DEAD;
    zf__free(p);
}

const zf_definition *zf_zgw_process_definition(const zf_zgw_process *p) {
    return zf__ok_zgw_process(p) ? p->def : NULL;
}

/* ---- the configuration -------------------------------------------------- */

struct zf_zgw_config {
    unsigned int magic;
    zf__arena arena;
    char *file;
    const zf__jv *root, *defaults, *zaaktypen;
};
ZF__MAGIC_FIRST(struct zf_zgw_config);

typedef enum fkind {
    F_STR,
    F_URL,
    F_DATE,
    F_DUR,
    F_BOOL,
    F_ENUM,
    F_STRS,
    F_URLS,
    F_REFPROC,
    F_ROLES,
    F_RESULTS,
    F_RSIN,
    F_ZAAKTYPE,
    F_ZAAKTYPEN
} fkind;

typedef struct field {
    const char *key;
    fkind kind;
    int max; /* characters; 0 = no limit */
    const char *const *values;
} field;

static const char *const vertrouwelijkheid[] = {"openbaar",
                                                "beperkt_openbaar",
                                                "intern",
                                                "zaakvertrouwelijk",
                                                "vertrouwelijk",
                                                "confidentieel",
                                                "geheim",
                                                "zeer_geheim",
                                                NULL};
static const char *const intern_extern[] = {"intern", "extern", NULL};
static const char *const generiek[] = {
    "adviseur",       "behandelaar",     "belanghebbende", "beslisser", "initiator",
    "klantcontacter", "zaakcoordinator", "mede_initiator", NULL};
static const char *const archiefnominatie[] = {"blijvend_bewaren", "vernietigen", NULL};
static const char *const afleidingswijze[] = {"afgehandeld", "ander_datumkenmerk",
                                              "eigenschap",  "gerelateerde_zaak",
                                              "hoofdzaak",   "ingangsdatum_besluit",
                                              "termijn",     "vervaldatum_besluit",
                                              "zaakobject",  NULL};

/* Catalogi API 1.3.1, ZaakTypeCreate: the fields the host supplies. */
static const field zaaktype_fields[] = {
    {"identificatie", F_STR, 50, NULL},
    {"omschrijving", F_STR, 80, NULL},
    {"omschrijvingGeneriek", F_STR, 80, NULL},
    {"vertrouwelijkheidaanduiding", F_ENUM, 0, vertrouwelijkheid},
    {"doel", F_STR, 0, NULL},
    {"aanleiding", F_STR, 0, NULL},
    {"toelichting", F_STR, 0, NULL},
    {"indicatieInternOfExtern", F_ENUM, 0, intern_extern},
    {"handelingInitiator", F_STR, 20, NULL},
    {"onderwerp", F_STR, 80, NULL},
    {"handelingBehandelaar", F_STR, 20, NULL},
    {"doorlooptijd", F_DUR, 0, NULL},
    {"servicenorm", F_DUR, 0, NULL},
    {"verlengingstermijn", F_DUR, 0, NULL},
    {"trefwoorden", F_STRS, 30, NULL},
    {"publicatieIndicatie", F_BOOL, 0, NULL},
    {"publicatietekst", F_STR, 0, NULL},
    {"productenOfDiensten", F_URLS, 1000, NULL},
    {"selectielijstProcestype", F_URL, 200, NULL},
    {"referentieproces", F_REFPROC, 0, NULL},
    {"verantwoordelijke", F_STR, 50, NULL},
    {"besluittypen", F_STRS, 0, NULL},
    {"beginGeldigheid", F_DATE, 0, NULL},
    {"versiedatum", F_DATE, 0, NULL},
    {"roltypen", F_ROLES, 0, NULL},
    {"resultaattypen", F_RESULTS, 0, NULL},
    {NULL, F_STR, 0, NULL}};

/* Catalogi API 1.3.1, ResultaatTypeCreate. */
static const field resultaat_fields[] = {
    {"omschrijving", F_STR, 30, NULL},
    {"resultaattypeomschrijving", F_URL, 1000, NULL},
    {"selectielijstklasse", F_URL, 1000, NULL},
    {"toelichting", F_STR, 0, NULL},
    {"archiefnominatie", F_ENUM, 0, archiefnominatie},
    {"archiefactietermijn", F_DUR, 0, NULL},
    {"afleidingswijze", F_ENUM, 0, afleidingswijze},
    {NULL, F_STR, 0, NULL}};

static const field root_fields[] = {
    {"catalogus", F_URL, 1000, NULL},    {"zaken", F_URL, 1000, NULL},
    {"rsin", F_RSIN, 0, NULL},           {"defaults", F_ZAAKTYPE, 0, NULL},
    {"zaaktypen", F_ZAAKTYPEN, 0, NULL}, {NULL, F_STR, 0, NULL}};

static void cerr(zf__diagctx *dc, const zf__jv *v, const char *fmt, const char *a,
                 const char *b) {
    zf__diag_add(dc, ZF_SEVERITY_ERROR, ZF_ESCHEMA, "config", v->key ? v->kline : v->line,
                 v->key ? v->kcol : v->col, fmt, a ? a : "", b ? b : "");
}

static int in_list(const char *s, const char *const *list) {
    for (; *list; list++)
        if (strcmp(s, *list) == 0)
            return 1;
    return 0;
}

static void check_fields(zf__diagctx *dc, const zf__jv *obj, const field *fields,
                         const char *where);

static void check_string(zf__diagctx *dc, const zf__jv *v, const field *f,
                         const char *what) {
    char max[16];
    if (v->type != ZF__J_STRING) {
        cerr(dc, v, "%s must be a string%s", what, NULL);
        return;
    }
    if (strlen(v->str) != v->len) {
        cerr(dc, v, "%s must not contain NUL%s", what, NULL);
        return;
    }
    snprintf(max, sizeof max, "%d", f->max);
    if (f->max && nchars(v->str) > (size_t)f->max)
        cerr(dc, v, "%s has more than %s characters (Catalogi API 1.3.1)", what, max);
    switch (f->kind) {
    case F_URL:
    case F_URLS:
        if (!is_url(v->str))
            cerr(dc, v, "%s must be an http(s) URL%s", what, NULL);
        break;
    case F_DATE:
        if (!is_date(v->str))
            cerr(dc, v, "%s must be a date YYYY-MM-DD%s", what, NULL);
        break;
    case F_DUR:
        if (!is_duration(v->str))
            cerr(dc, v, "%s must be an ISO 8601 duration such as P6W%s", what, NULL);
        break;
    case F_ENUM:
        if (!in_list(v->str, f->values))
            cerr(dc, v, "%s: '%s' is not one of the values of the API", what, v->str);
        break;
    default:
        break;
    }
}

/* An object whose members are objects of `fields` (`of` says what maps to what). */
static void check_object_map(zf__diagctx *dc, const zf__jv *v, const char *what,
                             const char *of, const field *fields) {
    if (v->type != ZF__J_OBJECT) {
        cerr(dc, v, "%s must be an object of %s", what, of);
        return;
    }
    for (const zf__jv *k = v->kids; k; k = k->next) {
        char w[260];
        snprintf(w, sizeof w, "%s.%s.", what, k->key);
        if (k->type != ZF__J_OBJECT)
            cerr(dc, k, "%s must be an object%s", w, NULL);
        else
            check_fields(dc, k, fields, w);
    }
}

static void check_value(zf__diagctx *dc, const zf__jv *v, const field *f,
                        const char *where) {
    char what[200];
    snprintf(what, sizeof what, "%s%s", where, v->key ? v->key : f->key);
    switch (f->kind) {
    case F_STR:
    case F_URL:
    case F_DATE:
    case F_DUR:
    case F_ENUM:
        check_string(dc, v, f, what);
        break;
    case F_BOOL:
        if (v->type != ZF__J_TRUE && v->type != ZF__J_FALSE)
            cerr(dc, v, "%s must be true or false%s", what, NULL);
        break;
    case F_RSIN: {
        int ok = v->type == ZF__J_STRING && v->len == 9;
        for (size_t i = 0; ok && i < 9; i++)
            ok = v->str[i] >= '0' && v->str[i] <= '9';
        if (!ok)
            cerr(dc, v, "%s must be an RSIN of 9 digits in a string%s", what, NULL);
        break;
    }
    case F_STRS:
    case F_URLS:
        if (v->type != ZF__J_ARRAY) {
            cerr(dc, v, "%s must be an array of strings%s", what, NULL);
            break;
        }
        for (const zf__jv *k = v->kids; k; k = k->next)
            check_string(dc, k, f, what);
        break;
    case F_REFPROC: {
        static const field rp[] = {{"naam", F_STR, 80, NULL},
                                   {"link", F_URL, 200, NULL},
                                   {NULL, F_STR, 0, NULL}};
        char w[220];
        snprintf(w, sizeof w, "%s.", what);
        if (v->type != ZF__J_OBJECT)
            cerr(dc, v, "%s must be an object {\"naam\", \"link\"}%s", what, NULL);
        else if (!zf__json_get(v, "naam"))
            cerr(dc, v, "%s lacks naam%s", what, NULL);
        else
            check_fields(dc, v, rp, w);
        break;
    }
    case F_ROLES:
        if (v->type != ZF__J_OBJECT) {
            cerr(dc, v, "%s must be an object of role -> omschrijvingGeneriek%s", what,
                 NULL);
            break;
        }
        for (const zf__jv *k = v->kids; k; k = k->next) {
            static const field g = {"", F_ENUM, 0, generiek};
            char w[260];
            snprintf(w, sizeof w, "%s.%s", what, k->key);
            check_string(dc, k, &g, w);
        }
        break;
    case F_RESULTS:
        check_object_map(dc, v, what, "outcome -> resultaattype", resultaat_fields);
        break;
    case F_ZAAKTYPE:
        if (v->type != ZF__J_OBJECT) {
            cerr(dc, v, "%s must be an object%s", what, NULL);
            break;
        }
        {
            char w[220];
            snprintf(w, sizeof w, "%s.", what);
            check_fields(dc, v, zaaktype_fields, w);
        }
        break;
    case F_ZAAKTYPEN:
        check_object_map(dc, v, what, "process id -> zaaktype", zaaktype_fields);
        break;
    }
}

static void check_fields(zf__diagctx *dc, const zf__jv *obj, const field *fields,
                         const char *where) {
    for (const zf__jv *k = obj->kids; k; k = k->next) {
        const field *f = fields;
        while (f->key && strcmp(f->key, k->key) != 0)
            f++;
        if (!f->key)
            cerr(dc, k, "unknown key '%s%s'", where, k->key);
        else
            check_value(dc, k, f, where);
    }
}

void zf_zgw_config_free(zf_zgw_config *cfg) {
    if (!zf__ok_zgw_config(cfg))
        return;
    zf__arena_free(&cfg->arena);
    cfg->magic = ZF__MAGIC_DEAD;
    zf__free(cfg);
}

static zf_code config_parse(zf_zgw_config **out, const char *json, size_t len,
                            const char *name, zf_diagnostics *diags, zf_error *err) {
    zf_zgw_config *c;
    zf__diagctx dc;
    const zf__jv *root = NULL;
    zf_code rc;
    c = zf__calloc(1, sizeof *c);
    if (!c)
        return zf__error_set(err, ZF_ENOMEM, NULL);
    c->magic = ZF__MAGIC_ZGW_CONFIG;
    c->file = zf__arena_strdup(&c->arena, name);
    memset(&dc, 0, sizeof dc);
    dc.out = diags;
    dc.err = err;
    dc.file = name;
    if (!c->file) {
        zf_zgw_config_free(c);
        return zf__error_set(err, ZF_ENOMEM, NULL);
    }
    rc = zf__json_parse((zf__jv **)&root, json, len, &c->arena, &dc);
    if (rc == ZF_OK) {
        if (root->type != ZF__J_OBJECT) {
            cerr(&dc, root, "the configuration must be a JSON object%s%s", NULL, NULL);
        } else {
            check_fields(&dc, root, root_fields, "");
        }
        if (dc.errors)
            rc = ZF_ESCHEMA;
    }
    if (dc.oom || rc == ZF_ENOMEM) {
        zf_zgw_config_free(c);
        return zf__error_set(err, ZF_ENOMEM, NULL);
    }
    if (rc) {
        zf_zgw_config_free(c);
        return rc;
    }
    c->root = root;
    c->defaults = zf__json_get(root, "defaults");
    c->zaaktypen = zf__json_get(root, "zaaktypen");
    *out = c;
    return ZF_OK;
}

zf_code zf_zgw_config_parse(zf_zgw_config **out, const char *json, size_t len,
                            const char *name, zf_diagnostics *diags, zf_error *err) {
    zf_error_clear(err);
    if (!out)
        return zf__error_set(err, ZF_EINVAL, "invalid out");
    *out = NULL;
    if (!json)
        return zf__error_set(err, ZF_EINVAL, "invalid json");
    return config_parse(out, json, len, name ? name : "<string>", diags, err);
}

zf_code zf_zgw_config_load(zf_zgw_config **out, const char *path, zf_diagnostics *diags,
                           zf_error *err) {
    zf__diagctx dc;
    char *bytes = NULL;
    size_t len = 0;
    zf_code rc;
    zf_error_clear(err);
    if (!out)
        return zf__error_set(err, ZF_EINVAL, "invalid out");
    *out = NULL;
    if (!path)
        return zf__error_set(err, ZF_EINVAL, "invalid path");
    memset(&dc, 0, sizeof dc);
    dc.out = diags;
    dc.err = err;
    dc.file = path;
    if ((rc = zf__load_read_file(&bytes, &len, &dc)))
        return dc.oom ? zf__error_set(err, ZF_ENOMEM, NULL) : rc;
    rc = config_parse(out, bytes, len, path, diags, err);
    zf__free(bytes);
    return rc;
}

/* ---- the effective zaaktype: configuration, defaults, definition ---------- */

typedef struct zt {
    const zf_zgw_config *cfg;
    const zf_zgw_process *p;
    const zf__jv *own; /* zaaktypen.<id>, or NULL */
    char uuid[37];
    char url[1100];
    char api[1100]; /* the Catalogi API root: the catalogus URL before /catalogussen/ */
    /* An earlier version of the process (valid-from and valid-until both set,
       docs/versions.md): a version of the zaaktype of its own, begun on valid-from
       and ended on valid-until; "" for the current version, which keeps the
       configured dates (and is the one other zaaktypen link to). */
    char begin[ZF_DATE_BUFSIZE], end[ZF_DATE_BUFSIZE];
    char ref[160]; /* in request refs: the process id, with "@version" for an earlier one
                    */
} zt;

static const zf__jv *cget(const zt *z, const char *key) {
    const zf__jv *v = zf__json_get(z->own, key);
    return v ? v : zf__json_get(z->cfg->defaults, key);
}

static const char *cstr(const zt *z, const char *key) {
    const zf__jv *v = cget(z, key);
    return v && v->type == ZF__J_STRING ? v->str : NULL;
}

static const char *identificatie(const zf_zgw_config *cfg, const zf_zgw_process *p) {
    const zf__jv *v = zf__json_get(zf__json_get(cfg->zaaktypen, p->id), "identificatie");
    return v && v->type == ZF__J_STRING ? v->str : p->id;
}

static const char *versiedatum_of(const zf_zgw_config *cfg, const char *id) {
    const zf__jv *v = zf__json_get(zf__json_get(cfg->zaaktypen, id), "versiedatum");
    if (!v)
        v = zf__json_get(cfg->defaults, "versiedatum");
    return v && v->type == ZF__J_STRING ? v->str : "";
}

/* The URL a zaaktype gets (name-based UUID under the catalogus's API). */
static void zaaktype_url(const zf_zgw_config *cfg, const char *api, const char *ident,
                         const char *versiedatum, char uuid[37], char *url, size_t cap) {
    char name[1400];
    const zf__jv *cat = zf__json_get(cfg->root, "catalogus");
    snprintf(name, sizeof name, "zaaktype\n%s\n%s\n%s", cat ? cat->str : "", ident,
             versiedatum);
    name_uuid(name, uuid);
    snprintf(url, cap, "%s/zaaktypen/%s", api, uuid);
}

static void zt_init(zt *z, const zf_zgw_config *cfg, const zf_zgw_process *p) {
    const zf__jv *cat = zf__json_get(cfg->root, "catalogus");
    const char *s;
    memset(z, 0, sizeof *z);
    z->cfg = cfg;
    z->p = p;
    z->own = zf__json_get(cfg->zaaktypen, p->id);
    snprintf(z->api, sizeof z->api, "%s", cat ? cat->str : "");
    if ((s = strstr(z->api, "/catalogussen/")))
        z->api[s - z->api] = '\0';
    if (zf_definition_valid_from(p->def) != ZF_DATE_NONE &&
        zf_definition_valid_until(p->def) != ZF_DATE_NONE) {
        zf_date_format(z->begin, zf_definition_valid_from(p->def));
        zf_date_format(z->end, zf_definition_valid_until(p->def));
        snprintf(z->ref, sizeof z->ref, "%.100s@%.50s", p->id,
                 p->version ? p->version : "");
    } else
        snprintf(z->ref, sizeof z->ref, "%.150s", p->id);
    zaaktype_url(cfg, z->api, identificatie(cfg, p),
                 z->begin[0] ? z->begin : versiedatum_of(cfg, p->id), z->uuid, z->url,
                 sizeof z->url);
}

static void sub_url(const zt *z, const char *kind, const char *key, char *out,
                    size_t cap) {
    char name[256], uuid[37];
    snprintf(name, sizeof name, "%s\n%s\n%s", kind, z->uuid, key);
    name_uuid(name, uuid);
    snprintf(out, cap, "%s/%s/%s", z->api, kind, uuid);
}

static void status_url(const zt *z, int nr, char *out, size_t cap) {
    char key[16];
    snprintf(key, sizeof key, "%d", nr);
    sub_url(z, "statustypen", key, out, cap);
}

/* A resultaattype field: zaaktype's outcome, its "*", then the defaults'. */
static const zf__jv *rget(const zt *z, const char *outcome, const char *key) {
    const zf__jv *own = zf__json_get(z->own, "resultaattypen");
    const zf__jv *def = zf__json_get(z->cfg->defaults, "resultaattypen");
    const zf__jv *v = zf__json_get(zf__json_get(own, outcome), key);
    if (!v)
        v = zf__json_get(zf__json_get(own, "*"), key);
    if (!v)
        v = zf__json_get(zf__json_get(def, outcome), key);
    if (!v)
        v = zf__json_get(zf__json_get(def, "*"), key);
    return v;
}

static const char *rstr(const zt *z, const char *outcome, const char *key) {
    const zf__jv *v = rget(z, outcome, key);
    return v && v->type == ZF__J_STRING ? v->str : NULL;
}

static const char *role_generiek(const zt *z, const char *role) {
    const zf__jv *v = zf__json_get(zf__json_get(z->own, "roltypen"), role);
    if (!v)
        v = zf__json_get(zf__json_get(z->cfg->defaults, "roltypen"), role);
    return v && v->type == ZF__J_STRING ? v->str : NULL;
}

static const zf_zgw_process *find_proc(const zf_zgw_process *const *procs, size_t n,
                                       const char *id) {
    for (size_t i = 0; i < n; i++)
        if (strcmp(procs[i]->id, id) == 0)
            return procs[i];
    return NULL;
}

static const char *omschrijving(const zt *z) {
    const char *s = cstr(z, "omschrijving");
    return s ? s : z->p->title ? z->p->title : z->p->id;
}

static void doorlooptijd(const zt *z, const char **iso) {
    const char *c = zf__json_get(z->own, "doorlooptijd")
                        ? zf__json_get(z->own, "doorlooptijd")->str
                        : NULL;
    *iso = c ? c : z->p->doorlooptijd[0] ? z->p->doorlooptijd : cstr(z, "doorlooptijd");
}

static const char *verlengingstermijn(const zt *z) {
    const zf__jv *v = zf__json_get(z->own, "verlengingstermijn");
    if (v)
        return v->str;
    if (z->p->verlengingstermijn[0])
        return z->p->verlengingstermijn;
    return cstr(z, "verlengingstermijn");
}

static void zmissing(zf__diagctx *dc, const zt *z, const char *fmt, const char *a) {
    const zf__jv *at = z->own ? z->own : z->cfg->zaaktypen ? z->cfg->zaaktypen : NULL;
    char msg[200];
    snprintf(msg, sizeof msg, fmt, a ? a : "");
    zf__diag_add(dc, ZF_SEVERITY_ERROR, ZF_ESEMANTIC, "zgw-config", at ? at->kline : 0,
                 at ? at->kcol : 0, "zaaktype '%s' (%s): %s", z->p->id, z->p->file, msg);
}

static void check_len(zf__diagctx *dc, const zt *z, const char *what, const char *s,
                      size_t max) {
    char m[64];
    if (s && nchars(s) > max) {
        snprintf(m, sizeof m, "%s has more than %zu characters", what, max);
        zmissing(dc, z, "%s (Catalogi API 1.3.1)", m);
    }
}

static void check_one(zf__diagctx *dc, const zf_zgw_config *cfg,
                      const zf_zgw_process *const *procs, size_t n,
                      const zf_zgw_process *p) {
    static const char *const required[] = {"vertrouwelijkheidaanduiding",
                                           "productenOfDiensten",
                                           "verantwoordelijke",
                                           "referentieproces",
                                           "selectielijstProcestype",
                                           "beginGeldigheid",
                                           "versiedatum",
                                           NULL};
    static const char *const rrequired[] = {
        "resultaattypeomschrijving", "selectielijstklasse", "archiefnominatie",
        "archiefactietermijn",       "afleidingswijze",     NULL};
    zt z;
    const char *iso;
    zt_init(&z, cfg, p);
    for (const char *const *f = required; *f; f++)
        if (!cget(&z, *f))
            zmissing(dc, &z, "missing %s", *f);
    doorlooptijd(&z, &iso);
    if (!iso)
        zmissing(dc, &z, "missing doorlooptijd: %s",
                 p->main_term
                     ? "the length of the zgw:doorlooptijd term is not a constant"
                     : "the process names no term in zgw:doorlooptijd");
    if (p->extendable && !verlengingstermijn(&z))
        zmissing(dc, &z,
                 "missing verlengingstermijn: term '%s' is extended by a length that is "
                 "not a constant",
                 p->main_term);
    check_len(dc, &z, "identificatie", identificatie(cfg, p), 50);
    check_len(dc, &z, "omschrijving (the process title)", omschrijving(&z), 80);
    if (!cstr(&z, "onderwerp"))
        check_len(dc, &z, "onderwerp (the process title)", omschrijving(&z), 80);
    for (size_t i = 0; i < p->nresults; i++) {
        const char *o = p->results[i].outcome;
        const char *om = rstr(&z, o, "omschrijving");
        for (const char *const *f = rrequired; *f; f++)
            if (!rget(&z, o, *f)) {
                char m[200];
                snprintf(m, sizeof m, "resultaattypen.%s.%s", o, *f);
                zmissing(dc, &z, "missing %s", m);
            }
        check_len(dc, &z, "a resultaattype omschrijving", om, 30);
    }
    for (size_t i = 0; i < p->nroles; i++) {
        if (!role_generiek(&z, p->roles[i].id))
            zmissing(dc, &z, "missing roltypen.%s (its omschrijvingGeneriek)",
                     p->roles[i].id);
        check_len(dc, &z, "a roltype omschrijving", p->roles[i].title, 100);
    }
    for (size_t i = 0; i < p->nvars; i++)
        check_len(dc, &z, "an eigenschap definitie", p->vars[i].title, 255);
    for (size_t i = 0; i < p->nspawns; i++)
        if (!find_proc(procs, n, p->spawns[i].process) &&
            !zf__json_get(cfg->zaaktypen, p->spawns[i].process))
            zmissing(dc, &z,
                     "spawns process '%s', which is neither exported with it nor in "
                     "zaaktypen",
                     p->spawns[i].process);
}

static zf_code check_args(const zf_zgw_config *cfg, const zf_zgw_process *const *procs,
                          size_t n, zf_error *err) {
    if (!zf__ok_zgw_config(cfg))
        return zf__error_set(err, ZF_EINVAL, "invalid zgw configuration (cfg)");
    if (!procs && n)
        return zf__error_set(err, ZF_EINVAL, "procs is NULL");
    for (size_t i = 0; i < n; i++)
        if (!zf__ok_zgw_process(procs[i]))
            return zf__error_set(err, ZF_EINVAL, "invalid zgw process (procs[%zu])", i);
    return ZF_OK;
}

static zf_code run_check(const zf_zgw_config *cfg, const zf_zgw_process *const *procs,
                         size_t n, zf_diagnostics *diags, zf_error *err) {
    zf__diagctx dc;
    memset(&dc, 0, sizeof dc);
    dc.out = diags;
    dc.err = err;
    dc.file = cfg->file;
    if (!zf__json_get(cfg->root, "catalogus"))
        zf__diag_add(&dc, ZF_SEVERITY_ERROR, ZF_ESEMANTIC, "zgw-config", 1, 1,
                     "missing catalogus (the URL of the catalogus)");
    else if (!strstr(zf__json_get(cfg->root, "catalogus")->str, "/catalogussen/"))
        zf__diag_add(&dc, ZF_SEVERITY_ERROR, ZF_ESEMANTIC, "zgw-config",
                     zf__json_get(cfg->root, "catalogus")->kline,
                     zf__json_get(cfg->root, "catalogus")->kcol,
                     "catalogus must be a catalogus URL (.../catalogussen/UUID)");
    if (!zf__json_get(cfg->root, "rsin"))
        zf__diag_add(&dc, ZF_SEVERITY_ERROR, ZF_ESEMANTIC, "zgw-config", 1, 1,
                     "missing rsin (the RSIN of the municipality)");
    for (size_t i = 0; i < n; i++)
        check_one(&dc, cfg, procs, n, procs[i]);
    if (dc.oom)
        return zf__error_set(err, ZF_ENOMEM, NULL);
    if (dc.errors > 1 && err && err->code) {
        size_t l = strlen(err->message);
        snprintf(err->message + l, sizeof err->message - l, " (and %zu more)",
                 dc.errors - 1);
    }
    return dc.errors ? ZF_ESEMANTIC : ZF_OK;
}

zf_code zf_zgw_check(const zf_zgw_process *const *procs, size_t nprocs,
                     const zf_zgw_config *cfg, zf_diagnostics *diags, zf_error *err) {
    zf_code rc;
    zf_error_clear(err);
    if ((rc = check_args(cfg, procs, nprocs, err)))
        return rc;
    return run_check(cfg, procs, nprocs, diags, err);
}

/* ---- export ------------------------------------------------------------- */

static const char *const resource_names[] = {"ZaakType", "StatusType", "ResultaatType",
                                             "RolType", "Eigenschap"};

const char *zf_zgw_resource_name(zf_zgw_resource res) {
    return (unsigned)res < ZF_ZGW_RESOURCE_COUNT ? resource_names[res] : NULL;
}

static void kv(zf__jw *w, const char *k, const char *v) {
    zf__jw_key(w, k);
    zf__jw_str(w, v);
}

static void kopt(zf__jw *w, const char *k, const char *v) {
    if (v)
        kv(w, k, v);
}

static void jstrings(zf__jw *w, const zf__jv *arr) {
    zf__jw_begin(w, 1);
    if (arr && arr->type == ZF__J_ARRAY)
        for (const zf__jv *k = arr->kids; k; k = k->next)
            zf__jw_str(w, k->str);
    zf__jw_end(w, 1);
}

/* The other zaaktype a spawn names: its URL or identificatie. */
static void other_zaaktype(const zt *z, const char *process, int as_url, char *out,
                           size_t cap) {
    const zf__jv *o = zf__json_get(z->cfg->zaaktypen, process);
    const zf__jv *i = zf__json_get(o, "identificatie");
    const char *ident = i && i->type == ZF__J_STRING ? i->str : process;
    char uuid[37];
    if (!as_url) {
        snprintf(out, cap, "%s", ident);
        return;
    }
    zaaktype_url(z->cfg, z->api, ident, versiedatum_of(z->cfg, process), uuid, out, cap);
}

static void write_toelichting(zf__jw *w, const zt *z) {
    const char *t = cstr(z, "toelichting");
    char buf[1024];
    if (z->p->conditional && z->p->doorlooptijd[0] &&
        !zf__json_get(z->own, "doorlooptijd")) {
        snprintf(buf, sizeof buf,
                 "%s%sDe doorlooptijd is de langste lengte van termijn '%s' (%s); de "
                 "lengte hangt af van de zaak.",
                 t ? t : "", t ? " " : "", z->p->main_term, z->p->main_length);
        kv(w, "toelichting", buf);
    } else if (t) {
        kv(w, "toelichting", t);
    } else {
        kv(w, "toelichting", "");
    }
}

/* The key of part i in the name of its UUID (sub_url()). */
typedef const char *(*part_key)(const zf_zgw_process *p, size_t i, char buf[16]);

static const char *status_key(const zf_zgw_process *p, size_t i, char buf[16]) {
    snprintf(buf, 16, "%d", p->statuses[i].nr);
    return buf;
}

static const char *result_key(const zf_zgw_process *p, size_t i, char buf[16]) {
    (void)buf;
    return p->results[i].outcome;
}

static const char *var_key(const zf_zgw_process *p, size_t i, char buf[16]) {
    (void)buf;
    return p->vars[i].id;
}

static const char *role_key(const zf_zgw_process *p, size_t i, char buf[16]) {
    (void)buf;
    return p->roles[i].id;
}

/* "kind": [the URLs of the zaaktype's parts of that kind]. */
static void part_urls(zf__jw *w, const zt *z, const char *kind, size_t n, part_key key) {
    char url[1200], buf[16];
    zf__jw_key(w, kind);
    zf__jw_begin(w, 1);
    for (size_t i = 0; i < n; i++) {
        sub_url(z, kind, key(z->p, i, buf), url, sizeof url);
        zf__jw_str(w, url);
    }
    zf__jw_end(w, 1);
}

/* The zaaktype: the read representation (`full`) or the create body. */
static void write_zaaktype(zf__jw *w, const zt *z, int full) {
    const zf_zgw_process *p = z->p;
    const char *dl, *vt = verlengingstermijn(z);
    const zf__jv *v;
    char url[1200];
    doorlooptijd(z, &dl);
    zf__jw_begin(w, 0);
    if (full)
        kv(w, "url", z->url);
    kv(w, "identificatie", identificatie(z->cfg, p));
    kv(w, "omschrijving", omschrijving(z));
    kopt(w, "omschrijvingGeneriek", cstr(z, "omschrijvingGeneriek"));
    kv(w, "vertrouwelijkheidaanduiding", cstr(z, "vertrouwelijkheidaanduiding"));
    kv(w, "doel", cstr(z, "doel") ? cstr(z, "doel") : omschrijving(z));
    kv(w, "aanleiding",
       cstr(z, "aanleiding") ? cstr(z, "aanleiding")
       : p->basis            ? p->basis
                             : omschrijving(z));
    write_toelichting(w, z);
    kv(w, "indicatieInternOfExtern",
       cstr(z, "indicatieInternOfExtern") ? cstr(z, "indicatieInternOfExtern")
                                          : "extern");
    kv(w, "handelingInitiator",
       cstr(z, "handelingInitiator") ? cstr(z, "handelingInitiator") : "indienen");
    kv(w, "onderwerp", cstr(z, "onderwerp") ? cstr(z, "onderwerp") : omschrijving(z));
    kv(w, "handelingBehandelaar",
       cstr(z, "handelingBehandelaar") ? cstr(z, "handelingBehandelaar") : "behandelen");
    kv(w, "doorlooptijd", dl);
    kv(w, "servicenorm", cstr(z, "servicenorm"));
    zf__jw_key(w, "opschortingEnAanhoudingMogelijk");
    zf__jw_bool(w, p->suspendable);
    zf__jw_key(w, "verlengingMogelijk");
    zf__jw_bool(w, p->extendable);
    kv(w, "verlengingstermijn", p->extendable ? vt : NULL);
    zf__jw_key(w, "trefwoorden");
    jstrings(w, cget(z, "trefwoorden"));
    zf__jw_key(w, "publicatieIndicatie");
    v = cget(z, "publicatieIndicatie");
    zf__jw_bool(w, v && v->type == ZF__J_TRUE);
    kopt(w, "publicatietekst", cstr(z, "publicatietekst"));
    zf__jw_key(w, "productenOfDiensten");
    jstrings(w, cget(z, "productenOfDiensten"));
    kv(w, "selectielijstProcestype", cstr(z, "selectielijstProcestype"));
    v = cget(z, "referentieproces");
    zf__jw_key(w, "referentieproces");
    zf__jw_begin(w, 0);
    kv(w, "naam", zf__json_get(v, "naam") ? zf__json_get(v, "naam")->str : "");
    kopt(w, "link", zf__json_get(v, "link") ? zf__json_get(v, "link")->str : NULL);
    zf__jw_end(w, 0);
    kv(w, "verantwoordelijke", cstr(z, "verantwoordelijke"));
    kv(w, "catalogus", zf__json_get(z->cfg->root, "catalogus")->str);
    if (full) {
        zf__jw_key(w, "zaakobjecttypen");
        zf__jw_begin(w, 1);
        zf__jw_end(w, 1);
        part_urls(w, z, "statustypen", p->nstatuses, status_key);
        part_urls(w, z, "resultaattypen", p->nresults, result_key);
        part_urls(w, z, "eigenschappen", p->nvars, var_key);
        /* Catalogi API 1.3.1 types this as a string by mistake; Open Zaak serves a
         * list, as here (schemas/zgw/README.md). */
        zf__jw_key(w, "informatieobjecttypen");
        zf__jw_begin(w, 1);
        zf__jw_end(w, 1);
        part_urls(w, z, "roltypen", p->nroles, role_key);
    }
    zf__jw_key(w, "besluittypen");
    jstrings(w, cget(z, "besluittypen"));
    zf__jw_key(w, "deelzaaktypen");
    zf__jw_begin(w, 1);
    for (size_t i = 0; i < p->nspawns; i++)
        if (strcmp(p->spawns[i].relation, "deelzaak") == 0) {
            other_zaaktype(z, p->spawns[i].process, full, url, sizeof url);
            zf__jw_str(w, url);
        }
    zf__jw_end(w, 1);
    zf__jw_key(w, "gerelateerdeZaaktypen");
    zf__jw_begin(w, 1);
    for (size_t i = 0; i < p->nspawns; i++)
        if (strcmp(p->spawns[i].relation, "vervolg") == 0) {
            char t[256];
            other_zaaktype(z, p->spawns[i].process, full, url, sizeof url);
            zf__jw_begin(w, 0);
            kv(w, "zaaktype", url);
            kv(w, "aardRelatie", "vervolg");
            snprintf(t, sizeof t,
                     "Een zaak van dit type kan een zaak van type %s starten.",
                     p->spawns[i].process);
            kv(w, "toelichting", t);
            zf__jw_end(w, 0);
        }
    zf__jw_end(w, 1);
    kv(w, "beginGeldigheid", z->begin[0] ? z->begin : cstr(z, "beginGeldigheid"));
    kv(w, "eindeGeldigheid", z->end[0] ? z->end : NULL);
    kv(w, "versiedatum", z->begin[0] ? z->begin : cstr(z, "versiedatum"));
    if (full) {
        zf__jw_key(w, "concept");
        zf__jw_bool(w, 1);
    }
    zf__jw_end(w, 0);
}

static void write_common_sub(zf__jw *w, const zt *z, int full, const char *url) {
    if (full)
        kv(w, "url", url);
    kv(w, "zaaktype", z->url);
    if (full) {
        kv(w, "zaaktypeIdentificatie", identificatie(z->cfg, z->p));
        kv(w, "catalogus", zf__json_get(z->cfg->root, "catalogus")->str);
    }
}

static void write_status(zf__jw *w, const zt *z, size_t i, int full) {
    const zf_zgw_process *p = z->p;
    char url[1200];
    status_url(z, p->statuses[i].nr, url, sizeof url);
    zf__jw_begin(w, 0);
    write_common_sub(w, z, full, url);
    kv(w, "omschrijving", p->statuses[i].omschrijving);
    zf__jw_key(w, "volgnummer");
    zf__jw_int(w, p->statuses[i].nr);
    if (full) {
        zf__jw_key(w, "isEindstatus");
        zf__jw_bool(w, i + 1 == p->nstatuses);
    }
    zf__jw_key(w, "informeren");
    zf__jw_bool(w, 0);
    zf__jw_end(w, 0);
}

static void write_result(zf__jw *w, const zt *z, size_t i, int full) {
    const zresult *r = &z->p->results[i];
    const char *om = rstr(z, r->outcome, "omschrijving");
    const char *tl = rstr(z, r->outcome, "toelichting");
    char url[1200];
    sub_url(z, "resultaattypen", r->outcome, url, sizeof url);
    zf__jw_begin(w, 0);
    write_common_sub(w, z, full, url);
    kv(w, "omschrijving", om ? om : r->omschrijving);
    kv(w, "resultaattypeomschrijving", rstr(z, r->outcome, "resultaattypeomschrijving"));
    if (full)
        kv(w, "omschrijvingGeneriek", "");
    kv(w, "selectielijstklasse", rstr(z, r->outcome, "selectielijstklasse"));
    kv(w, "toelichting", tl ? tl : r->outcome);
    kv(w, "archiefnominatie", rstr(z, r->outcome, "archiefnominatie"));
    kv(w, "archiefactietermijn", rstr(z, r->outcome, "archiefactietermijn"));
    zf__jw_key(w, "brondatumArchiefprocedure");
    zf__jw_begin(w, 0);
    kv(w, "afleidingswijze", rstr(z, r->outcome, "afleidingswijze"));
    zf__jw_end(w, 0);
    zf__jw_key(w, "besluittypen");
    zf__jw_begin(w, 1);
    zf__jw_end(w, 1);
    if (full) {
        zf__jw_key(w, "besluittypeOmschrijving");
        zf__jw_begin(w, 1);
        zf__jw_end(w, 1);
        zf__jw_key(w, "informatieobjecttypen");
        zf__jw_begin(w, 1);
        zf__jw_end(w, 1);
        zf__jw_key(w, "informatieobjecttypeOmschrijving");
        zf__jw_begin(w, 1);
        zf__jw_end(w, 1);
    }
    zf__jw_end(w, 0);
}

static void write_role(zf__jw *w, const zt *z, size_t i, int full) {
    const zrole *r = &z->p->roles[i];
    char url[1200];
    sub_url(z, "roltypen", r->id, url, sizeof url);
    zf__jw_begin(w, 0);
    write_common_sub(w, z, full, url);
    kv(w, "omschrijving", r->title ? r->title : r->id);
    kv(w, "omschrijvingGeneriek", role_generiek(z, r->id));
    zf__jw_end(w, 0);
}

static void write_eigenschap(zf__jw *w, const zt *z, size_t i, int full) {
    const zvar *v = &z->p->vars[i];
    const char *formaat = "tekst", *lengte = "255";
    char len[16], url[1200];
    size_t longest = 0;
    static const char *const bools[] = {"true", "false"};
    const char *const *values = NULL;
    size_t nvalues = 0;
    switch (v->type) {
    case ZF_TYPE_DATE:
        formaat = "datum", lengte = "8";
        break;
    case ZF_TYPE_INT:
        formaat = "getal", lengte = "19";
        break;
    case ZF_TYPE_MONEY:
        formaat = "getal", lengte = "17,2";
        break;
    case ZF_TYPE_DURATION:
        lengte = "20";
        break;
    case ZF_TYPE_BOOL:
        values = bools, nvalues = 2;
        break;
    case ZF_TYPE_ENUM:
        values = v->values, nvalues = v->nvalues;
        break;
    default:
        break;
    }
    if (values) {
        for (size_t k = 0; k < nvalues; k++)
            if (nchars(values[k]) > longest)
                longest = nchars(values[k]);
        snprintf(len, sizeof len, "%zu", longest);
        lengte = len;
    }
    sub_url(z, "eigenschappen", v->id, url, sizeof url);
    zf__jw_begin(w, 0);
    if (full)
        kv(w, "url", url);
    kv(w, "naam", v->naam);
    kv(w, "definitie", v->title ? v->title : v->id);
    zf__jw_key(w, "specificatie");
    zf__jw_begin(w, 0);
    kv(w, "formaat", formaat);
    kv(w, "lengte", lengte);
    kv(w, "kardinaliteit", "1");
    zf__jw_key(w, "waardenverzameling");
    zf__jw_begin(w, 1);
    for (size_t k = 0; k < nvalues; k++)
        zf__jw_str(w, values[k]);
    zf__jw_end(w, 1);
    zf__jw_end(w, 0);
    kv(w, "toelichting", v->basis ? v->basis : "");
    kv(w, "zaaktype", z->url);
    if (full) {
        kv(w, "zaaktypeIdentificatie", identificatie(z->cfg, z->p));
        kv(w, "catalogus", zf__json_get(z->cfg->root, "catalogus")->str);
    }
    zf__jw_end(w, 0);
}

zf_code zf_zgw_export(zf_buf *out, const zf_zgw_process *const *procs, size_t nprocs,
                      const zf_zgw_config *cfg, zf_zgw_resource res, zf_error *err) {
    zf__jw w;
    zf_code rc;
    zf_error_clear(err);
    if (!out)
        return zf__error_set(err, ZF_EINVAL, "invalid out");
    if ((unsigned)res >= ZF_ZGW_RESOURCE_COUNT)
        return zf__error_set(err, ZF_EINVAL, "invalid res");
    if ((rc = check_args(cfg, procs, nprocs, err)) ||
        (rc = run_check(cfg, procs, nprocs, NULL, err)))
        return rc;
    zf__jw_init(&w, out);
    zf__jw_begin(&w, 1);
    for (size_t i = 0; i < nprocs; i++) {
        zt z;
        const zf_zgw_process *p = procs[i];
        zt_init(&z, cfg, p);
        switch (res) {
        case ZF_ZGW_ZAAKTYPE:
            write_zaaktype(&w, &z, 1);
            break;
        case ZF_ZGW_STATUSTYPE:
            for (size_t k = 0; k < p->nstatuses; k++)
                write_status(&w, &z, k, 1);
            break;
        case ZF_ZGW_RESULTAATTYPE:
            for (size_t k = 0; k < p->nresults; k++)
                write_result(&w, &z, k, 1);
            break;
        case ZF_ZGW_ROLTYPE:
            for (size_t k = 0; k < p->nroles; k++)
                write_role(&w, &z, k, 1);
            break;
        default:
            for (size_t k = 0; k < p->nvars; k++)
                write_eigenschap(&w, &z, k, 1);
            break;
        }
    }
    zf__jw_end(&w, 1);
    return zf__jw_finish(&w, err);
}

static void request_head(zf__jw *w, const zt *z, const char *collection,
                         const char *ref) {
    char url[1200];
    snprintf(url, sizeof url, "%s/%s", z->api, collection);
    zf__jw_begin(w, 0);
    kv(w, "method", "POST");
    kv(w, "url", url);
    kv(w, "ref", ref);
    zf__jw_key(w, "refs");
    zf__jw_begin(w, 0);
    if (strcmp(collection, "zaaktypen") != 0) {
        char zref[200];
        snprintf(zref, sizeof zref, "zaaktype:%s", z->ref);
        kv(w, "zaaktype", zref);
    }
    zf__jw_end(w, 0);
    zf__jw_key(w, "body");
}

zf_code zf_zgw_export_requests(zf_buf *out, const zf_zgw_process *const *procs,
                               size_t nprocs, const zf_zgw_config *cfg, zf_error *err) {
    zf__jw w;
    zf_code rc;
    char ref[300];
    zf_error_clear(err);
    if (!out)
        return zf__error_set(err, ZF_EINVAL, "invalid out");
    if ((rc = check_args(cfg, procs, nprocs, err)) ||
        (rc = run_check(cfg, procs, nprocs, NULL, err)))
        return rc;
    zf__jw_init(&w, out);
    zf__jw_begin(&w, 1);
    for (size_t i = 0; i < nprocs; i++) {
        zt z;
        const zf_zgw_process *p = procs[i];
        zt_init(&z, cfg, p);
        snprintf(ref, sizeof ref, "zaaktype:%s", z.ref);
        request_head(&w, &z, "zaaktypen", ref);
        write_zaaktype(&w, &z, 0);
        zf__jw_end(&w, 0);
        for (size_t k = 0; k < p->nstatuses; k++) {
            snprintf(ref, sizeof ref, "statustype:%s:%d", z.ref, p->statuses[k].nr);
            request_head(&w, &z, "statustypen", ref);
            write_status(&w, &z, k, 0);
            zf__jw_end(&w, 0);
        }
        for (size_t k = 0; k < p->nresults; k++) {
            snprintf(ref, sizeof ref, "resultaattype:%s:%s", z.ref,
                     p->results[k].outcome);
            request_head(&w, &z, "resultaattypen", ref);
            write_result(&w, &z, k, 0);
            zf__jw_end(&w, 0);
        }
        for (size_t k = 0; k < p->nroles; k++) {
            snprintf(ref, sizeof ref, "roltype:%s:%s", z.ref, p->roles[k].id);
            request_head(&w, &z, "roltypen", ref);
            write_role(&w, &z, k, 0);
            zf__jw_end(&w, 0);
        }
        for (size_t k = 0; k < p->nvars; k++) {
            snprintf(ref, sizeof ref, "eigenschap:%s:%s", z.ref, p->vars[k].id);
            request_head(&w, &z, "eigenschappen", ref);
            write_eigenschap(&w, &z, k, 0);
            zf__jw_end(&w, 0);
        }
    }
    zf__jw_end(&w, 1);
    return zf__jw_finish(&w, err);
}

/* ---- the Zaak view of a case -------------------------------------------- */

/* What the Zaken API knows of a zaak at some point of its journal. */
typedef struct zstate {
    int status;          /* volgnummer, 0 = none */
    zf_date end;         /* uiterlijkeEinddatumAfdoening, ZF_DATE_NONE = unknown */
    int suspended;       /* opschorting.indicatie */
    long ext_days;       /* verlenging: weeks and days, as days */
    long ext_months;     /* and months (a year is 12) */
    const char *outcome; /* the resultaat, when ended */
    zf_date ended;
} zstate;

static int state_status(const zf_zgw_process *p, const char *state) {
    for (size_t i = 0; i < p->nstates; i++)
        if (strcmp(p->states[i].state, state) == 0)
            return p->states[i].nr;
    return 0;
}

static const zresult *result_of_state(const zf_zgw_process *p, const char *state) {
    for (size_t i = 0; i < p->nresults; i++)
        if (strcmp(p->results[i].state, state) == 0)
            return &p->results[i];
    return NULL;
}

/* Europe/Amsterdam at 00:00 of `d`: CEST (+02:00) from the day after the last
 * Sunday of March to the last Sunday of October (the switches are at 01:00
 * UTC, after local midnight; EU rule, Directive 2000/84/EC), else CET (+01:00). */
static const char *amsterdam_offset(zf_date d) {
    int y;
    zf_date mar, oct;
    zf_date_to_ymd(&y, NULL, NULL, d);
    zf_date_from_ymd(&mar, y, 3, 31, NULL);
    zf_date_from_ymd(&oct, y, 10, 31, NULL);
    while (zf_date_weekday(mar) != ZF_SUNDAY)
        mar--;
    while (zf_date_weekday(oct) != ZF_SUNDAY)
        oct--;
    return d > mar && d <= oct ? "+02:00" : "+01:00";
}

static void date_time(zf_date d, char out[32]) {
    char db[ZF_DATE_BUFSIZE];
    snprintf(out, 32, "%sT00:00:00%s", zf_date_format(db, d), amsterdam_offset(d));
}

static void verlenging_duur(const zstate *s, char out[48]) {
    long y = s->ext_months / 12, m = s->ext_months % 12, d = s->ext_days;
    int n = snprintf(out, 48, "P");
    if (y)
        n += snprintf(out + n, (size_t)(48 - n), "%ldY", y);
    if (m)
        n += snprintf(out + n, (size_t)(48 - n), "%ldM", m);
    if (d && !y && !m && d % 7 == 0)
        n += snprintf(out + n, (size_t)(48 - n), "%ldW", d / 7);
    else if (d || n == 1)
        snprintf(out + n, (size_t)(48 - n), "%ldD", d);
}

typedef struct zcase {
    const zf_instance *inst;
    const zf_zgw_process *p;
    const zf_zgw_config *cfg;
    const zf_zgw_case_options *o;
    zt z;
    char zaken[1100];
    unsigned char *active; /* per state of the definition */
    size_t nstates;
} zcase;

static size_t state_index(const zcase *c, const char *id) {
    for (size_t i = 0; i < c->nstates; i++)
        if (strcmp(zf_definition_state_id(c->p->def, i), id) == 0)
            return i;
    return c->nstates;
}

static void apply_entry(zcase *c, size_t e, zstate *s) {
    zf_journal_entry je;
    zf_journal_item it;
    const char *main = c->p->main_term;
    zf_instance_journal_entry(&je, c->inst, e, NULL);
    for (size_t j = 0; j < je.nitems; j++) {
        zf_instance_journal_item(&it, c->inst, e, j, NULL);
        switch (it.kind) {
        case ZF_JOURNAL_ENTERED:
        case ZF_JOURNAL_LEFT: {
            size_t k = it.name ? state_index(c, it.name) : c->nstates;
            if (k < c->nstates)
                c->active[k] = it.kind == ZF_JOURNAL_ENTERED;
            if (it.kind == ZF_JOURNAL_ENTERED && it.name) {
                const zresult *r = result_of_state(c->p, it.name);
                if (r) {
                    s->outcome = r->outcome;
                    s->ended = je.date;
                }
            }
            break;
        }
        case ZF_JOURNAL_TERM_STARTED:
        case ZF_JOURNAL_TERM_RESUMED:
        case ZF_JOURNAL_TERM_EXTENDED:
        case ZF_JOURNAL_TERM_SUSPENDED:
            if (!main || !it.name || strcmp(it.name, main) != 0)
                break;
            if (it.kind == ZF_JOURNAL_TERM_SUSPENDED) {
                s->suspended = 1;
                break;
            }
            if (it.kind == ZF_JOURNAL_TERM_STARTED) {
                s->ext_days = s->ext_months = 0;
                s->suspended = 0;
            }
            if (it.kind == ZF_JOURNAL_TERM_RESUMED)
                s->suspended = 0;
            if (it.kind == ZF_JOURNAL_TERM_EXTENDED && it.text) {
                zf_duration d;
                if (zf_duration_parse(&d, it.text, NULL) == ZF_OK) {
                    if (d.unit == ZF_UNIT_DAY)
                        s->ext_days += d.n;
                    else if (d.unit == ZF_UNIT_WEEK)
                        s->ext_days += 7L * d.n;
                    else if (d.unit == ZF_UNIT_MONTH)
                        s->ext_months += d.n;
                    else
                        s->ext_months += 12L * d.n;
                }
            }
            s->end = it.date;
            break;
        default:
            break;
        }
    }
    s->status = 0;
    for (size_t k = 0; k < c->nstates; k++)
        if (c->active[k]) {
            int nr = state_status(c->p, zf_definition_state_id(c->p->def, k));
            if (nr > s->status)
                s->status = nr;
        }
}

static zf_code case_init(zcase *c, const zf_instance *inst, const zf_zgw_process *p,
                         const zf_zgw_config *cfg, const zf_zgw_case_options *o,
                         zf_error *err) {
    const zf__jv *zk;
    zf_code rc;
    memset(c, 0, sizeof *c);
    if (!zf__ok_zgw_process(p))
        return zf__error_set(err, ZF_EINVAL, "invalid zgw process (proc)");
    if (!zf__ok_instance(inst))
        return zf__error_set(err, ZF_EINVAL, "invalid instance");
    if (zf_instance_definition(inst) != p->def &&
        strcmp(zf_definition_hash(zf_instance_definition(inst)),
               zf_definition_hash(p->def)))
        return zf__error_set(err, ZF_EINVAL,
                             "inst runs another definition than proc ('%s')", p->id);
    if (!o || o->version != ZF_ZGW_CASE_OPTIONS_VERSION)
        return zf__error_set(err, ZF_EINVAL, "invalid opts (version %u expected)",
                             ZF_ZGW_CASE_OPTIONS_VERSION);
    if (!is_url(o->zaak))
        return zf__error_set(err, ZF_EINVAL, "invalid opts->zaak: the URL of the zaak");
    if ((o->hoofdzaak && !is_url(o->hoofdzaak)) ||
        (o->vervolg_op && !is_url(o->vervolg_op)))
        return zf__error_set(err, ZF_EINVAL,
                             "invalid opts->hoofdzaak or opts->vervolg_op");
    if ((rc = check_args(cfg, &p, 1, err)) || (rc = run_check(cfg, &p, 1, NULL, err)))
        return rc;
    if (zf_instance_journal_count(inst) == 0)
        return zf__error_set(err, ZF_EINVAL, "inst keeps no journal: the zaak needs it");
    zk = zf__json_get(cfg->root, "zaken");
    if (!zk)
        return zf__error_set(err, ZF_ESEMANTIC,
                             "the configuration lacks zaken (the Zaken API root URL)");
    snprintf(c->zaken, sizeof c->zaken, "%s", zk->str);
    c->inst = inst;
    c->p = p;
    c->cfg = cfg;
    c->o = o;
    zt_init(&c->z, cfg, p);
    c->nstates = zf_definition_state_count(p->def);
    c->active = zf__calloc(c->nstates + 1, 1);
    if (!c->active)
        return zf__error_set(err, ZF_ENOMEM, NULL);
    return ZF_OK;
}

static void write_opschorting(zf__jw *w, const zcase *c, int suspended) {
    char reden[200];
    zf__jw_key(w, "opschorting");
    zf__jw_begin(w, 0);
    zf__jw_key(w, "indicatie");
    zf__jw_bool(w, suspended);
    if (suspended)
        snprintf(reden, sizeof reden, "De %s is opgeschort.", c->p->main_term);
    else
        reden[0] = '\0';
    kv(w, "reden", reden);
    zf__jw_end(w, 0);
}

static void write_verlenging(zf__jw *w, const zcase *c, const zstate *s) {
    char duur[48], reden[200];
    zf__jw_key(w, "verlenging");
    if (!s->ext_days && !s->ext_months) {
        zf__jw_null(w);
        return;
    }
    verlenging_duur(s, duur);
    snprintf(reden, sizeof reden, "De %s is verlengd.", c->p->main_term);
    zf__jw_begin(w, 0);
    kv(w, "reden", reden);
    kv(w, "duur", duur);
    zf__jw_end(w, 0);
}

static void write_date(zf__jw *w, const char *key, zf_date d) {
    char db[ZF_DATE_BUFSIZE];
    zf__jw_key(w, key);
    if (d == ZF_DATE_NONE)
        zf__jw_null(w);
    else
        zf__jw_str(w, zf_date_format(db, d));
}

static void write_relations(zf__jw *w, const zcase *c) {
    kv(w, "hoofdzaak", c->o->hoofdzaak);
    zf__jw_key(w, "relevanteAndereZaken");
    zf__jw_begin(w, 1);
    if (c->o->vervolg_op) {
        zf__jw_begin(w, 0);
        kv(w, "url", c->o->vervolg_op);
        kv(w, "aardRelatie", "vervolg");
        zf__jw_end(w, 0);
    }
    zf__jw_end(w, 1);
}

static void zaak_identity(zf__jw *w, const zcase *c) {
    const char *rsin = zf__json_get(c->cfg->root, "rsin")->str;
    kv(w, "zaaktype", c->z.url);
    kv(w, "bronorganisatie", rsin);
    kv(w, "verantwoordelijkeOrganisatie", rsin);
    kv(w, "omschrijving", omschrijving(&c->z));
}

static void write_status_body(zf__jw *w, const zcase *c, int nr, zf_date when) {
    char url[1200], dt[32];
    const char *om = "";
    status_url(&c->z, nr, url, sizeof url);
    for (size_t i = 0; i < c->p->nstatuses; i++)
        if (c->p->statuses[i].nr == nr)
            om = c->p->statuses[i].omschrijving;
    date_time(when, dt);
    zf__jw_begin(w, 0);
    kv(w, "zaak", c->o->zaak);
    kv(w, "statustype", url);
    kv(w, "datumStatusGezet", dt);
    kv(w, "statustoelichting", om);
    zf__jw_end(w, 0);
}

static void write_result_body(zf__jw *w, const zcase *c, const char *outcome) {
    char url[1200];
    sub_url(&c->z, "resultaattypen", outcome, url, sizeof url);
    zf__jw_begin(w, 0);
    kv(w, "zaak", c->o->zaak);
    kv(w, "resultaattype", url);
    kv(w, "toelichting", outcome);
    zf__jw_end(w, 0);
}

zf_code zf_zgw_case(zf_buf *out, const zf_instance *inst, const zf_zgw_process *proc,
                    const zf_zgw_config *cfg, const zf_zgw_case_options *opts,
                    zf_error *err) {
    zcase c;
    zstate s, prev;
    zf__jw w;
    zf_term_info ti;
    zf_journal_entry first;
    zf_date status_since = ZF_DATE_NONE, end = ZF_DATE_NONE;
    size_t n;
    zf_code rc;
    zf_error_clear(err);
    if (!out)
        return zf__error_set(err, ZF_EINVAL, "invalid out");
    if ((rc = case_init(&c, inst, proc, cfg, opts, err)))
        return rc;
    memset(&s, 0, sizeof s);
    s.end = ZF_DATE_NONE;
    s.ended = ZF_DATE_NONE;
    n = zf_instance_journal_count(inst);
    /* The status and the day it was set: the last date whose entries changed it. */
    for (size_t e = 0; e < n; e++) {
        zf_journal_entry je;
        prev = s;
        apply_entry(&c, e, &s);
        zf_instance_journal_entry(&je, inst, e, NULL);
        if (s.status != prev.status && s.status)
            status_since = je.date;
    }
    zf_instance_journal_entry(&first, inst, 0, NULL);
    /* The computed last day of the doorlooptijd term: the engine's own answer. */
    if (proc->main_term &&
        zf_instance_term_by_id(&ti, inst, proc->main_term, NULL) == ZF_OK &&
        ti.status != ZF_TERM_IDLE) {
        end = ti.end;
        s.suspended = ti.status == ZF_TERM_SUSPENDED;
    }
    zf__jw_init(&w, out);
    zf__jw_begin(&w, 0);
    zf__jw_key(&w, "zaak");
    zf__jw_begin(&w, 0);
    kv(&w, "url", opts->zaak);
    zaak_identity(&w, &c);
    write_date(&w, "startdatum", first.date);
    write_date(&w, "einddatum", s.outcome ? s.ended : ZF_DATE_NONE);
    write_date(&w, "uiterlijkeEinddatumAfdoening", end);
    write_opschorting(&w, &c, s.suspended);
    write_verlenging(&w, &c, &s);
    write_relations(&w, &c);
    zf__jw_end(&w, 0);
    zf__jw_key(&w, "status");
    if (s.status)
        write_status_body(&w, &c, s.status, status_since);
    else
        zf__jw_null(&w);
    zf__jw_key(&w, "resultaat");
    if (s.outcome)
        write_result_body(&w, &c, s.outcome);
    else
        zf__jw_null(&w);
    zf__jw_end(&w, 0);
    zf__free(c.active);
    return zf__jw_finish(&w, err);
}

static void req(zf__jw *w, const char *method, const char *url, const char *ref) {
    zf__jw_begin(w, 0);
    kv(w, "method", method);
    kv(w, "url", url);
    if (ref)
        kv(w, "ref", ref);
    zf__jw_key(w, "body");
}

zf_code zf_zgw_case_requests(zf_buf *out, const zf_instance *inst,
                             const zf_zgw_process *proc, const zf_zgw_config *cfg,
                             const zf_zgw_case_options *opts, zf_error *err) {
    zcase c;
    zstate s, sent;
    zf__jw w;
    size_t n, e;
    uint32_t through;
    int finished;
    zf_date today;
    char url[1200];
    zf_code rc;
    zf_error_clear(err);
    if (!out)
        return zf__error_set(err, ZF_EINVAL, "invalid out");
    if ((rc = case_init(&c, inst, proc, cfg, opts, err)))
        return rc;
    n = zf_instance_journal_count(inst);
    finished = zf_instance_finished(inst);
    today = zf_instance_date(inst);
    through = opts->after;
    if (opts->after > n) {
        zf__free(c.active);
        return zf__error_set(err, ZF_EINVAL, "after: the journal has no entry %u",
                             opts->after);
    }
    memset(&s, 0, sizeof s);
    s.end = ZF_DATE_NONE;
    s.ended = ZF_DATE_NONE;
    /* What the previous synchronisations sent: the state after entry `after`. */
    for (e = 0; e < opts->after; e++)
        apply_entry(&c, e, &s);
    if (opts->after > 0 && opts->after < n) {
        zf_journal_entry a, b;
        zf_instance_journal_entry(&a, inst, opts->after - 1, NULL);
        zf_instance_journal_entry(&b, inst, opts->after, NULL);
        if (a.date == b.date) {
            char db[ZF_DATE_BUFSIZE];
            zf__free(c.active);
            return zf__error_set(
                err, ZF_EINVAL,
                "after: entry %u is not the last of %s; synchronise whole "
                "dates",
                opts->after, zf_date_format(db, a.date));
        }
    }
    sent = s;
    zf__jw_init(&w, out);
    zf__jw_begin(&w, 0);
    zf__jw_key(&w, "after");
    zf__jw_int(&w, opts->after);
    zf__jw_key(&w, "requests");
    zf__jw_begin(&w, 1);
    e = opts->after;
    if (opts->after == 0 && n > 0) {
        /* The zaak as it starts (entry 1), sent with the start date's requests. */
        zf_journal_entry je;
        zf_instance_journal_entry(&je, inst, 0, NULL);
        if (je.date < today || finished) {
            zstate s0 = s;
            apply_entry(&c, 0, &s0);
            memset(c.active, 0, c.nstates);
            snprintf(url, sizeof url, "%s/zaken", c.zaken);
            req(&w, "POST", url, "zaak");
            zf__jw_begin(&w, 0);
            zaak_identity(&w, &c);
            write_date(&w, "startdatum", je.date);
            write_date(&w, "uiterlijkeEinddatumAfdoening", s0.end);
            write_opschorting(&w, &c, s0.suspended);
            write_verlenging(&w, &c, &s0);
            write_relations(&w, &c);
            zf__jw_end(&w, 0);
            zf__jw_end(&w, 0);
            sent.end = s0.end;
            sent.suspended = s0.suspended;
            sent.ext_days = s0.ext_days;
            sent.ext_months = s0.ext_months;
        }
    }
    while (e < n) {
        zf_journal_entry je;
        zf_date day;
        size_t last = e;
        zf_instance_journal_entry(&je, inst, e, NULL);
        day = je.date;
        /* Only completed dates: the case has moved past them, or it has ended. */
        if (!(day < today || finished))
            break;
        for (; last < n; last++) {
            zf_journal_entry x;
            zf_instance_journal_entry(&x, inst, last, NULL);
            if (x.date != day)
                break;
            apply_entry(&c, last, &s);
        }
        if (s.end != sent.end || s.suspended != sent.suspended ||
            s.ext_days != sent.ext_days || s.ext_months != sent.ext_months) {
            req(&w, "PATCH", opts->zaak, NULL);
            zf__jw_begin(&w, 0);
            if (s.end != sent.end)
                write_date(&w, "uiterlijkeEinddatumAfdoening", s.end);
            if (s.suspended != sent.suspended)
                write_opschorting(&w, &c, s.suspended);
            if (s.ext_days != sent.ext_days || s.ext_months != sent.ext_months)
                write_verlenging(&w, &c, &s);
            zf__jw_end(&w, 0);
            zf__jw_end(&w, 0);
        }
        if (s.outcome && !sent.outcome) {
            snprintf(url, sizeof url, "%s/resultaten", c.zaken);
            req(&w, "POST", url, NULL);
            write_result_body(&w, &c, s.outcome);
            zf__jw_end(&w, 0);
        }
        if (s.status && s.status != sent.status) {
            snprintf(url, sizeof url, "%s/statussen", c.zaken);
            req(&w, "POST", url, NULL);
            write_status_body(&w, &c, s.status, day);
            zf__jw_end(&w, 0);
        }
        sent = s;
        e = last;
        through = (uint32_t)last;
    }
    zf__jw_end(&w, 1);
    zf__jw_key(&w, "through");
    zf__jw_int(&w, through);
    zf__jw_end(&w, 0);
    zf__free(c.active);
    return zf__jw_finish(&w, err);
}
