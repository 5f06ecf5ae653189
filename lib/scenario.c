/*
 * Scenario runner: executes urn:zaakflow:scenario:1 scripts against case
 * instances and checks their expectations; counts state and transition
 * coverage per definition over every scenario run.
 */
#define _XOPEN_SOURCE 700 /* realpath() */
#include "instance_int.h"
#include "migration_int.h"
#include "registry_int.h"
#include "xml.h"
#include "zaakflow/scenario.h"

#include <dirent.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlreader.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CASES 16
#define MAX_PARAMS 32
#define MAX_ROLES 32

typedef struct loaded {
    char *path;
    zf_definition *def;
    uint32_t *trans;  /* times each transition was taken */
    uint32_t *states; /* times each state was entered */
} loaded;

struct zf_scenario_runner {
    char *base_dir;
    char *process;
    int roundtrip; /* snapshot -> restore -> snapshot after every step */
    int journal;   /* cases keep their journal */
    zf_scenario_case_cb on_case;
    void *payload;
    loaded *defs;
    size_t ndefs, cdefs;
    unsigned long roundtrips; /* round trips made (zf_scenario_runner_roundtrips()) */
};

typedef struct scase {
    char name[64];
    zf_instance *inst;
    zf_instance *next; /* round trip: the restored instance that runs the next step */
    /* Its definition and coverage counters (not the loaded record: the runner's
       array of them moves as it grows). */
    const zf_definition *def;
    uint32_t *cov_trans, *cov_states;
    char parent[64];   /* followed cases: the case that spawned it */
    char relation[16]; /* and the relation (vervolg, deelzaak) */
} scase;

typedef struct sctx {
    zf_scenario_runner *rn;
    const char *path;
    char dir[1024];     /* directory of the scenario file */
    char procdir[1024]; /* directory of the main process file */
    char regdir[1024];  /* registry="DIR": versions are picked from there; else "" */
    zf_scenario_result *res;
    zf_error *err;
    scase cases[MAX_CASES];
    size_t ncases;
    /* The last action step (fire, advance, follow). */
    int pending; /* 1 while its failure has not been claimed by expect-error */
    zf_code last_rc;
    char last_msg[256];
    unsigned last_step;
    int last_line;
    int last_case;
} sctx;

/* ---- runner ------------------------------------------------------------ */

#ifdef ZF_TESTING
void (*zf__scenario_step_hook)(const zf_instance *inst);

static void step_hook(const sctx *c) {
    if (zf__scenario_step_hook)
        for (size_t i = 0; i < c->ncases; i++)
            zf__scenario_step_hook(c->cases[i].inst);
}
#else
#define step_hook(c) ((void)0)
#endif

zf_code zf_scenario_runner_new(zf_scenario_runner **out, const zf_scenario_options *opts,
                               zf_error *err) {
    zf_scenario_runner *r;
    zf_error_clear(err);
    if (!out)
        return zf__error_set(err, ZF_EINVAL, "out is NULL");
    *out = NULL;
    /* Version 1 callers have no on_case and payload, version 2 ones no roundtrip
       and journal: never read them. */
    if (opts && (opts->version < 1 || opts->version > ZF_SCENARIO_OPTIONS_VERSION))
        return zf__error_set(err, ZF_EINVAL, "unknown zf_scenario_options version %u",
                             opts->version);
    r = zf__calloc(1, sizeof *r);
    if (!r)
        return zf__error_set(err, ZF_ENOMEM, NULL);
    r->journal = 1;
    if (opts && opts->version >= 2) {
        r->on_case = opts->on_case;
        r->payload = opts->payload;
    }
    if (opts && opts->version >= 3) {
        r->roundtrip = opts->roundtrip != 0;
        r->journal = opts->journal != 0;
    }
    if (opts && opts->base_dir && !(r->base_dir = zf__strdup(opts->base_dir)))
        goto nomem;
    if (opts && opts->process && !(r->process = zf__strdup(opts->process)))
        goto nomem;
    *out = r;
    return ZF_OK;
nomem:
    zf_scenario_runner_free(r);
    return zf__error_set(err, ZF_ENOMEM, NULL);
}

void zf_scenario_runner_free(zf_scenario_runner *r) {
    if (!r)
        return;
    for (size_t i = 0; i < r->ndefs; i++) {
        zf__free(r->defs[i].path);
        zf_definition_free(r->defs[i].def);
        zf__free(r->defs[i].trans);
        zf__free(r->defs[i].states);
    }
    zf__free(r->defs);
    zf__free(r->base_dir);
    zf__free(r->process);
    zf__free(r);
}

static int file_exists(const char *p) {
    FILE *f = fopen(p, "rb");
    if (!f)
        return 0;
    fclose(f);
    return 1;
}

static void dirname_of(const char *path, char *out, size_t cap) {
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(out, cap, ".");
    else
        snprintf(out, cap, "%.*s", (int)(slash - path), path);
}

/*
 * Resolve a relative path: next to the scenario file first, then in the
 * working directory, then in base_dir, and last in each directory above the
 * scenario (a repository layout).
 */
static int resolve(const sctx *c, const char *rel, char *out, size_t cap) {
    char dir[1024];
    if (rel[0] == '/') {
        snprintf(out, cap, "%s", rel);
        return file_exists(out);
    }
    snprintf(out, cap, "%s/%s", c->dir, rel);
    if (file_exists(out))
        return 1;
    snprintf(out, cap, "%s", rel);
    if (file_exists(out))
        return 1;
    if (c->rn->base_dir) {
        snprintf(out, cap, "%s/%s", c->rn->base_dir, rel);
        if (file_exists(out))
            return 1;
    }
    snprintf(dir, sizeof dir, "%s", c->dir);
    for (int up = 0; up < 8; up++) {
        char *slash = strrchr(dir, '/');
        if (!slash || slash == dir)
            break;
        *slash = '\0';
        snprintf(out, cap, "%s/%s", dir, rel);
        if (file_exists(out))
            return 1;
    }
    snprintf(out, cap, "%s", rel);
    return 0;
}

static zf_code load_def(sctx *c, const char *path, loaded **out) {
    zf_scenario_runner *r = c->rn;
    loaded *ld;
    zf_code rc;
    char canon[PATH_MAX];
    /* One coverage record per file, however the scenarios spell its path. */
    if (realpath(path, canon))
        path = canon;
    for (size_t i = 0; i < r->ndefs; i++)
        if (strcmp(r->defs[i].path, path) == 0) {
            *out = &r->defs[i];
            return ZF_OK;
        }
    if (ZF__GROW(r->defs, r->cdefs, r->ndefs + 1, 4))
        return zf__error_set(c->err, ZF_ENOMEM, NULL);
    ld = &r->defs[r->ndefs];
    memset(ld, 0, sizeof *ld);
    if ((rc = zf_definition_load(&ld->def, path, NULL, c->err)))
        return rc;
    ld->path = zf__strdup(path);
    ld->trans = zf__calloc(ld->def->ntrans + 1, sizeof(uint32_t));
    ld->states = zf__calloc(ld->def->nstates + 1u, sizeof(uint32_t));
    if (!ld->path || !ld->trans || !ld->states) {
        zf__free(ld->path);
        zf__free(ld->trans);
        zf__free(ld->states);
        zf_definition_free(ld->def);
        return zf__error_set(c->err, ZF_ENOMEM, NULL);
    }
    r->ndefs++;
    *out = ld;
    return ZF_OK;
}

unsigned long zf_scenario_runner_roundtrips(const zf_scenario_runner *r) {
    return r ? r->roundtrips : 0;
}

size_t zf_scenario_coverage_count(const zf_scenario_runner *r) {
    return r ? r->ndefs : 0;
}

zf_code zf_scenario_coverage_get(zf_scenario_coverage *out, const zf_scenario_runner *r,
                                 size_t i, zf_error *err) {
    zf_error_clear(err);
    if (!r || !out)
        return zf__error_set(err, ZF_EINVAL, "invalid runner or output");
    if (i >= r->ndefs)
        return zf__error_set(err, ZF_ENOTFOUND, "no definition %zu", i);
    const loaded *ld = &r->defs[i];
    const struct zf_definition *d = ld->def;
    memset(out, 0, sizeof *out);
    out->process = d->id;
    out->file = ld->path;
    out->states_total = d->nstates ? d->nstates - 1u : 0;
    for (uint16_t s = 1; s < d->nstates; s++)
        out->states_hit += ld->states[s] > 0;
    out->transitions_total = d->ntrans;
    for (uint32_t t = 0; t < d->ntrans; t++)
        out->transitions_hit += ld->trans[t] > 0;
    return ZF_OK;
}

zf_code zf_scenario_coverage_missed(zf_buf *out, const zf_scenario_runner *r, size_t i,
                                    zf_error *err) {
    zf_error_clear(err);
    if (!r || !out || i >= r->ndefs)
        return zf__error_set(err, ZF_ENOTFOUND, "no definition %zu", i);
    const loaded *ld = &r->defs[i];
    const struct zf_definition *d = ld->def;
    for (uint32_t t = 0; t < d->ntrans; t++) {
        const zf__transition *tr = &d->trans[t];
        if (ld->trans[t])
            continue;
        if (zf_buf_printf(out, "line %d: %s --%s--> %s\n", tr->pos.line,
                          d->states[tr->source].id,
                          tr->event == ZF_NOIDX ? "" : d->events[tr->event].id,
                          tr->target == ZF_NOIDX ? "(none)" : d->states[tr->target].id))
            return zf__error_set(err, ZF_ENOMEM, NULL);
    }
    return ZF_OK;
}

/* ---- scenario parsing helpers ------------------------------------------ */

static int is(const xmlNode *n, const char *name) {
    return n && n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
           strcmp((const char *)n->ns->href, ZF_SCENARIO_NS) == 0 &&
           strcmp((const char *)n->name, name) == 0;
}

static xmlNode *next_elem(xmlNode *n) {
    while (n && n->type != XML_ELEMENT_NODE)
        n = n->next;
    return n;
}

/* A mistake in the scenario itself: ZF_EPARSE with file:line. */
static zf_code serr(sctx *c, xmlNode *n, const char *fmt, const char *arg) {
    char msg[512];
    snprintf(msg, sizeof msg, fmt, arg ? arg : "");
    return zf__error_setpos(c->err, ZF_EPARSE, c->path, n ? (int)xmlGetLineNo(n) : 0, 0,
                            "%s", msg);
}

static zf_code need(sctx *c, xmlNode *n, const char *name, const char **out) {
    char msg[120];
    *out = zf__xml_attr(n, name);
    if (*out)
        return ZF_OK;
    snprintf(msg, sizeof msg, "<%s> needs attribute '%s'", (const char *)n->name, name);
    return serr(c, n, "%s", msg);
}

static zf_code need_date(sctx *c, xmlNode *n, const char *name, zf_date *out) {
    const char *s;
    zf_code rc;
    if ((rc = need(c, n, name, &s)))
        return rc;
    if (zf_date_parse(out, s, NULL) != ZF_OK)
        return serr(c, n, "'%s' is not a date (YYYY-MM-DD)", s);
    return ZF_OK;
}

/* The scenario failed: record the step, line and "expected ... got ..." text. */
static void fail(sctx *c, unsigned step, int line, const char *fmt, ...) ZF__PRINTF(4, 5);
static void fail(sctx *c, unsigned step, int line, const char *fmt, ...) {
    va_list ap;
    if (!c->res->passed)
        return;
    c->res->passed = 0;
    c->res->failed_step = step;
    c->res->line = line;
    va_start(ap, fmt);
    vsnprintf(c->res->message, sizeof c->res->message, fmt, ap);
    va_end(ap);
}

static scase *find_case(sctx *c, xmlNode *n, zf_code *rc) {
    const char *name = zf__xml_attr(n, "case");
    *rc = ZF_OK;
    if (!name || !*name)
        name = "main";
    for (size_t i = 0; i < c->ncases; i++)
        if (strcmp(c->cases[i].name, name) == 0)
            return &c->cases[i];
    *rc = serr(c, n, "no case named '%s' (use <follow as=\"...\"/> first)", name);
    return NULL;
}

/* Claim the failure of the previous action step, or report it unclaimed. */
static void settle(sctx *c) {
    if (c->pending && c->last_rc != ZF_OK)
        fail(c, c->last_step, c->last_line, "expected success, got %s: %s",
             zf_code_name(c->last_rc), c->last_msg);
    c->pending = 0;
}

static void record(sctx *c, unsigned step, xmlNode *n, zf_code rc, const zf_error *e) {
    c->pending = 1;
    c->last_rc = rc;
    c->last_step = step;
    c->last_line = (int)xmlGetLineNo(n);
    snprintf(c->last_msg, sizeof c->last_msg, "%s", rc ? e->message : "");
}

/* ---- the round-trip law ------------------------------------------------ */

/* "line L: <text>" of the first line where a and b differ, into buf. */
static void first_difference(const zf_buf *a, const zf_buf *b, char *buf, size_t cap) {
    size_t i = 0, start = 0, n = a->size < b->size ? a->size : b->size;
    int line = 1;
    while (i < n && a->ptr[i] == b->ptr[i]) {
        if (a->ptr[i] == '\n') {
            line++;
            start = i + 1;
        }
        i++;
    }
    const char *ea = memchr(a->ptr + start, '\n', a->size - start);
    const char *eb = memchr(b->ptr + start, '\n', b->size - start);
    int la = (int)((ea ? ea : a->ptr + a->size) - (a->ptr + start));
    int lb = (int)((eb ? eb : b->ptr + b->size) - (b->ptr + start));
    snprintf(buf, cap, "line %d: '%.*s' became '%.*s'", line, la > 100 ? 100 : la,
             a->ptr + start, lb > 100 ? 100 : lb, b->ptr + start);
}

/*
 * The round-trip law, when the runner checks it: case sc's snapshot restores
 * (with the runner's journal setting) to an instance whose snapshot is the same,
 * byte for byte; with the journal on, a restore without the journal writes the
 * same bytes too (the journal is kept as it was). The restored instance runs the
 * case's next fire or advance. A refusal or a difference fails the scenario at
 * `step`; only running out of memory is an error.
 */
static zf_code roundtrip(sctx *c, scase *sc, unsigned step, int line) {
    zf_buf s1 = ZF_BUF_INIT, s2 = ZF_BUF_INIT;
    zf_instance_options o = ZF_INSTANCE_OPTIONS_INIT;
    zf_instance *r = NULL;
    zf_error e;
    zf_code rc;
    char diff[300];
    if (!c->rn->roundtrip)
        return ZF_OK;
    zf_error_clear(&e);
    if ((rc = zf_instance_snapshot(&s1, sc->inst, &e))) {
        if (rc != ZF_ENOMEM)
            fail(c, step, line, "round trip of case '%s': no snapshot: %s [%s]", sc->name,
                 e.message, zf_code_name(rc));
        goto done;
    }
    for (int pass = 0; pass < (c->rn->journal ? 2 : 1); pass++) {
        o.journal = pass == 0 ? c->rn->journal : 0;
        rc = zf_instance_restore(&r, sc->def, s1.ptr, s1.size, &o, &e);
        if (rc == ZF_ENOMEM)
            goto done;
        c->rn->roundtrips++;
        if (rc) {
            fail(c, step, line,
                 "round trip of case '%s' (journal %s): its snapshot is refused: %s [%s]",
                 sc->name, o.journal ? "on" : "off", e.message, zf_code_name(rc));
            goto done;
        }
        zf_buf_clear(&s2);
        if ((rc = zf_instance_snapshot(&s2, r, &e))) {
            if (rc != ZF_ENOMEM)
                fail(c, step, line, "round trip of case '%s': no snapshot: %s [%s]",
                     sc->name, e.message, zf_code_name(rc));
            goto done;
        }
        if (s1.size != s2.size || memcmp(s1.ptr, s2.ptr, s1.size) != 0) {
            first_difference(&s1, &s2, diff, sizeof diff);
            fail(c, step, line,
                 "round trip of case '%s' (journal %s): the restored snapshot differs at "
                 "%s",
                 sc->name, o.journal ? "on" : "off", diff);
            rc = ZF_OK;
            goto done;
        }
        if (pass == 0) {
            zf__instance_set_coverage(r, sc->cov_trans, sc->cov_states);
            zf_instance_free(sc->next);
            sc->next = r;
            r = NULL;
        } else {
            zf_instance_free(r);
            r = NULL;
        }
    }
    rc = ZF_OK;
done:
    zf_instance_free(r);
    zf_buf_dispose(&s1);
    zf_buf_dispose(&s2);
    return rc == ZF_ENOMEM ? zf__error_set(c->err, rc, NULL) : ZF_OK;
}

/* Round trip: the instance that runs the case's next fire or advance: the one
 * restored after the previous step, when there is one. */
static zf_instance *step_target(scase *sc) {
    return sc->next ? sc->next : sc->inst;
}

/* After that step: when it succeeded, the restored instance takes over. When it
 * failed, the old one stays, with the effects of its last successful call (a
 * restored instance has none), for <follow>. */
static void step_done(scase *sc, zf_code rc) {
    if (sc->next && rc == ZF_OK) {
        zf_instance_free(sc->inst);
        sc->inst = sc->next;
        sc->next = NULL;
    }
}

/* ---- steps ------------------------------------------------------------- */

static zf_code step_fire(sctx *c, scase *sc, xmlNode *n, unsigned step) {
    const char *event, *actor = zf__xml_attr(n, "actor"),
                       *roles = zf__xml_attr(n, "roles");
    zf_date date;
    zf_param_value params[MAX_PARAMS];
    size_t np = 0, nr = 0;
    char rolebuf[512];
    const char *rolev[MAX_ROLES];
    zf_actor a;
    zf_error e;
    zf_code rc;
    if ((rc = need(c, n, "event", &event)) || (rc = need_date(c, n, "date", &date)))
        return rc;
    for (xmlNode *p = next_elem(n->children); p; p = next_elem(p->next)) {
        const char *name, *value;
        if (!is(p, "param"))
            return serr(c, p, "unexpected <%s> in <fire>", (const char *)p->name);
        if (np == MAX_PARAMS)
            return serr(c, p, "too many parameters%s", "");
        if ((rc = need(c, p, "name", &name)) || (rc = need(c, p, "value", &value)))
            return rc;
        params[np].name = name;
        params[np].value = zf_value_string(value);
        np++;
    }
    if (roles) {
        snprintf(rolebuf, sizeof rolebuf, "%s", roles);
        for (char *tok = strtok(rolebuf, " \t\n"); tok && nr < MAX_ROLES;
             tok = strtok(NULL, " \t\n"))
            rolev[nr++] = tok;
    }
    a.id = actor;
    a.roles = rolev;
    a.nroles = nr;
    zf_error_clear(&e);
    rc = zf_instance_fire(step_target(sc), event, date, actor || roles ? &a : NULL,
                          params, np, &e);
    step_done(sc, rc);
    if (rc == ZF_ENOMEM)
        return zf__error_set(c->err, rc, NULL);
    record(c, step, n, rc, &e);
    return roundtrip(c, sc, step, (int)xmlGetLineNo(n));
}

static zf_code step_advance(sctx *c, scase *sc, xmlNode *n, unsigned step) {
    zf_date date;
    zf_error e;
    zf_code rc;
    if ((rc = need_date(c, n, "to", &date)))
        return rc;
    zf_error_clear(&e);
    rc = zf_instance_advance(step_target(sc), date, &e);
    step_done(sc, rc);
    if (rc == ZF_ENOMEM)
        return zf__error_set(c->err, rc, NULL);
    record(c, step, n, rc, &e);
    return roundtrip(c, sc, step, (int)xmlGetLineNo(n));
}

/* Whether transition t's entry set (its target and default descendants) is within
 * `entered`. */
static int entry_within(const struct zf_definition *d, const zf__transition *t,
                        const uint8_t *entered) {
    if (t->target == ZF_NOIDX || !t->nentry)
        return 0;
    for (uint32_t k = 0; k < t->nentry; k++)
        if (!entered[d->state_pool[t->entry_first + k]])
            return 0;
    return 1;
}

/*
 * Coverage of the start of a case. The coverage hooks are attached after
 * zf_instance_new(), so the initial configuration and the transitions run to
 * completion at the start (eventless ones, internal and done.state events)
 * are read back from the journal's first entry: every state entered counts,
 * and each microstep (states left, transitions, states entered) is matched
 * against the transitions that can fire without an external event: the first
 * one in document order per source state whose source was left (or, for an
 * internal transition, stayed active), whose entry set was entered and, when
 * it has a basis or title, whose journal record is in the microstep.
 * Targetless transitions taken at the start are not seen.
 */
static zf_code count_start(loaded *ld, const zf_instance *inst) {
    const struct zf_definition *d = ld->def;
    zf_journal_entry je;
    uint8_t *left, *entered, *used;
    size_t j = 0;
    if (zf_instance_journal_count(inst) == 0 ||
        zf_instance_journal_entry(&je, inst, 0, NULL) || je.event)
        return ZF_OK;
    left = zf__calloc(3u * d->nstates + 1u, 1);
    if (!left)
        return ZF_ENOMEM; /* never a pass that counted less */
    entered = left + d->nstates;
    used = entered + d->nstates;
    while (j < je.nitems) {
        int any_entered = 0, any_left = 0;
        const char *tsrc[64], *ttext[64];
        size_t ntr = 0, j0 = j;
        memset(left, 0, 3u * d->nstates);
        /* One microstep: LEFT* ... ENTERED*, up to the next LEFT after an ENTERED. */
        for (; j < je.nitems; j++) {
            zf_journal_item it;
            uint16_t s;
            if (zf_instance_journal_item(&it, inst, 0, j, NULL))
                break;
            if ((it.kind == ZF_JOURNAL_LEFT || it.kind == ZF_JOURNAL_TRANSITION) &&
                any_entered)
                break;
            if (it.kind == ZF_JOURNAL_TRANSITION && it.name && ntr < 64) {
                tsrc[ntr] = it.name;
                ttext[ntr++] = it.text;
                continue;
            }
            if ((it.kind != ZF_JOURNAL_LEFT && it.kind != ZF_JOURNAL_ENTERED) || !it.name)
                continue;
            s = zf__defn_state(d, it.name);
            if (s == ZF_NOIDX)
                continue;
            if (it.kind == ZF_JOURNAL_LEFT) {
                left[s] = 1;
                any_left = 1;
            } else {
                entered[s] = 1;
                any_entered = 1;
                if (s > 0)
                    ld->states[s]++;
            }
        }
        if (j == j0)
            break; /* an item could not be read */
        if (!any_left)
            continue; /* the initial configuration, or a step without a state change */
        for (uint32_t t = 0; t < d->ntrans; t++) {
            const zf__transition *tr = &d->trans[t];
            if (tr->event != ZF_NOIDX && d->events[tr->event].kind == ZF_EVENT_EXTERNAL)
                continue;
            if (used[tr->source] || !entry_within(d, tr, entered))
                continue;
            if (!left[tr->source] && !tr->internal)
                continue;
            if (tr->basis || tr->title) {
                /* Journaled with its basis (or title): that record must be there. */
                const char *want = tr->basis ? tr->basis : tr->title;
                size_t k;
                for (k = 0; k < ntr; k++)
                    if (!strcmp(tsrc[k], d->states[tr->source].id) && ttext[k] &&
                        !strcmp(ttext[k], want))
                        break;
                if (k == ntr)
                    continue;
            }
            used[tr->source] = 1;
            ld->trans[t]++;
        }
    }
    zf__free(left);
    return ZF_OK;
}

/* Start a case; *rc_out is zf_instance_new()'s code (e its error), the return value an
 * error of the runner. Step and line name the step for a failed round trip. */
static zf_code new_case(sctx *c, const char *name, loaded *ld, zf_date start,
                        const zf_param_value *vars, size_t nvars, zf_code *rc_out,
                        zf_error *e, unsigned step, int line) {
    zf_instance_options o = ZF_INSTANCE_OPTIONS_INIT;
    scase *sc;
    *rc_out = ZF_OK;
    if (c->ncases == MAX_CASES)
        return zf__error_set(c->err, ZF_ELIMIT, "more than %d cases in one scenario",
                             MAX_CASES);
    sc = &c->cases[c->ncases];
    memset(sc, 0, sizeof *sc);
    snprintf(sc->name, sizeof sc->name, "%s", name);
    sc->def = ld->def;
    sc->cov_trans = ld->trans;
    sc->cov_states = ld->states;
    o.journal = c->rn->journal;
    *rc_out = zf_instance_new(&sc->inst, ld->def, start, vars, nvars, &o, e);
    if (*rc_out != ZF_OK)
        return ZF_OK;
    if (count_start(ld, sc->inst) != ZF_OK) {
        zf_instance_free(sc->inst);
        sc->inst = NULL;
        return zf__error_set(c->err, ZF_ENOMEM, NULL);
    }
    zf__instance_set_coverage(sc->inst, ld->trans, ld->states);
    c->ncases++;
    return roundtrip(c, sc, step, line);
}

/* ---- versions: a registry directory ---------------------------------- */

static int cmp_names(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Load the definitions of process `id` in the registry directory (every
 * version; version `version` only when not NULL); their indexes in the
 * runner's list go to `found` (at most cap: a later load may move the list).
 * Files are read in name order, so the result does not depend on the directory.
 */
static zf_code load_versions(sctx *c, const char *id, const char *version, size_t *found,
                             size_t cap, size_t *n) {
    DIR *dir = opendir(c->regdir);
    struct dirent *de;
    char **names = NULL;
    size_t nn = 0, cn = 0;
    zf_code rc = ZF_OK;
    *n = 0;
    if (!dir)
        return zf__error_setpos(c->err, ZF_EIO, c->path, 0, 0,
                                "cannot read the registry directory '%s'", c->regdir);
    while ((de = readdir(dir)) != NULL) {
        size_t len = strlen(de->d_name);
        char *copy;
        if (len < 5 || strcmp(de->d_name + len - 4, ".xml"))
            continue;
        if (ZF__GROW(names, cn, nn + 1, 16) != ZF_OK) {
            rc = zf__error_set(c->err, ZF_ENOMEM, NULL);
            break;
        }
        if (!(copy = zf__strdup(de->d_name))) {
            rc = zf__error_set(c->err, ZF_ENOMEM, NULL);
            break;
        }
        names[nn++] = copy;
    }
    closedir(dir);
    if (nn)
        qsort(names, nn, sizeof *names, cmp_names);
    for (size_t i = 0; i < nn && rc == ZF_OK; i++) {
        char path[2048], pid[256], pver[256];
        snprintf(path, sizeof path, "%s/%s", c->regdir, names[i]);
        if (zf__load_root(path, pid, pver, sizeof pid) != 0 || strcmp(pid, id) ||
            (version && strcmp(pver, version)))
            continue;
        if (*n == cap) {
            rc =
                zf__error_set(c->err, ZF_ELIMIT, "too many versions of process '%s'", id);
            break;
        }
        loaded *ld;
        if ((rc = load_def(c, path, &ld)) == ZF_OK)
            found[(*n)++] = (size_t)(ld - c->rn->defs);
    }
    for (size_t i = 0; i < nn; i++)
        zf__free(names[i]);
    zf__free(names);
    return rc;
}

#define MAX_VERSIONS 16

/* The version of process `id` valid on `date` from the registry directory. */
static zf_code pick(sctx *c, xmlNode *n, const char *id, zf_date date, loaded **out) {
    size_t v[MAX_VERSIONS], nv;
    loaded *defs;
    char msg[512], d1[ZF_DATE_BUFSIZE];
    zf_code rc;
    *out = NULL;
    if ((rc = load_versions(c, id, NULL, v, MAX_VERSIONS, &nv)))
        return rc;
    defs = c->rn->defs;
    for (size_t i = 0; i < nv; i++)
        for (size_t j = i + 1; j < nv; j++)
            if (zf__versions_conflict(defs[v[i]].def, defs[v[j]].def, msg, sizeof msg))
                return serr(c, n, "%s", msg);
    for (size_t i = 0; i < nv; i++)
        if (zf__valid_on(defs[v[i]].def, date))
            *out = &defs[v[i]];
    if (!*out) {
        snprintf(msg, sizeof msg,
                 "no version of process '%s' in the registry is valid on %s", id,
                 zf_date_format(d1, date));
        return serr(c, n, "%s", msg);
    }
    return ZF_OK;
}

static const zf_definition *resolve_version(void *ctx, const char *id,
                                            const char *version, int to) {
    sctx *c = ctx;
    size_t v[1], nv = 0;
    zf_error e;
    zf_error *saved = c->err;
    (void)to;
    if (!id || !c->regdir[0])
        return NULL;
    c->err = &e;
    zf_error_clear(&e);
    if (load_versions(c, id, version, v, 1, &nv) != ZF_OK)
        nv = 0;
    c->err = saved;
    return nv ? c->rn->defs[v[0]].def : NULL;
}

/* <migrate migration="FILE" date="..." actor="..."/>: the case moves to the version
 * the migration names (found in the registry directory). */
static zf_code step_migrate(sctx *c, scase *sc, xmlNode *n, unsigned step) {
    const char *file, *actor = zf__xml_attr(n, "actor");
    char path[2048];
    zf_migration *mig = NULL;
    zf_instance *moved = NULL;
    zf_date date;
    loaded *to = NULL;
    zf_error e;
    zf_code rc;
    if ((rc = need(c, n, "migration", &file)) || (rc = need_date(c, n, "date", &date)))
        return rc;
    if (!c->regdir[0])
        return serr(c, n, "<migrate> needs a scenario with a registry%s", "");
    if (!resolve(c, file, path, sizeof path))
        return serr(c, n, "migration file '%s' not found", file);
    zf_error_clear(&e);
    rc = zf__migration_load_with(&mig, path, resolve_version, c, "in the registry", NULL,
                                 &e);
    if (rc != ZF_OK) {
        if (rc == ZF_ENOMEM)
            return zf__error_set(c->err, rc, NULL);
        return zf__error_setpos(c->err, rc, e.file, e.line, e.column, "%s", e.message);
    }
    for (size_t i = 0; i < c->rn->ndefs && !to; i++)
        if (!strcmp(c->rn->defs[i].def->hash, zf_migration_to_hash(mig)))
            to = &c->rn->defs[i];
    /* Round trip: the instance restored after the previous step is the one migrated. */
    rc = zf_instance_migrate(&moved, step_target(sc), mig, to ? to->def : NULL, date,
                             actor, &e);
    zf_migration_free(mig);
    if (rc == ZF_ENOMEM)
        return zf__error_set(c->err, rc, NULL);
    if (rc == ZF_OK) {
        zf_instance_free(sc->next);
        sc->next = NULL;
        zf_instance_free(sc->inst);
        sc->inst = moved;
        sc->def = to->def;
        sc->cov_trans = to->trans;
        sc->cov_states = to->states;
        for (uint16_t s = 1; s < to->def->nstates; s++)
            if (zf__bit(zf__blk_cfg(moved), s))
                to->states[s]++;
        zf__instance_set_coverage(moved, to->trans, to->states);
    }
    record(c, step, n, rc, &e);
    return rc == ZF_OK ? roundtrip(c, sc, step, (int)xmlGetLineNo(n)) : ZF_OK;
}

static zf_code step_follow(sctx *c, scase *sc, xmlNode *n, unsigned step) {
    const char *spawn, *as, *proc = zf__xml_attr(n, "process");
    char path[2048];
    zf_param_value vars[MAX_PARAMS];
    size_t nv = 0, ne = zf_instance_effect_count(sc->inst);
    zf_effect eff;
    loaded *ld;
    zf_error e;
    zf_code rc, rc2;
    long found = -1;
    if ((rc = need(c, n, "spawn", &spawn)) || (rc = need(c, n, "as", &as)))
        return rc;
    for (size_t i = 0; i < ne; i++) {
        zf_instance_effect(&eff, sc->inst, i, NULL);
        if (eff.kind == ZF_EFFECT_SPAWN && eff.process &&
            strcmp(eff.process, spawn) == 0) {
            found = (long)i;
            break;
        }
    }
    zf_error_clear(&e);
    if (found < 0) {
        snprintf(e.message, sizeof e.message,
                 "the last step of case '%s' spawned no '%s'", sc->name, spawn);
        record(c, step, n, ZF_ENOTFOUND, &e);
        return ZF_OK;
    }
    /* The spawned process: an explicit file, the version valid on the spawn's date
       in the registry, or <id>.xml next to the main process. */
    if (proc) {
        if (!resolve(c, proc, path, sizeof path))
            return serr(c, n, "process file '%s' not found", proc);
    } else if (c->regdir[0]) {
        if ((rc = pick(c, n, spawn, eff.date, &ld)))
            return rc;
    } else {
        snprintf(path, sizeof path, "%s/%s.xml", c->procdir, spawn);
        if (!file_exists(path))
            return serr(c, n, "no process file for '%s' next to the main process", spawn);
    }
    if ((proc || !c->regdir[0]) && (rc = load_def(c, path, &ld)))
        return rc;
    for (size_t j = 0; j < eff.nparams && nv < MAX_PARAMS; j++)
        if (zf_instance_effect_param(&vars[nv], sc->inst, (size_t)found, j, NULL) ==
            ZF_OK)
            nv++;
    if ((rc = new_case(c, as, ld, eff.date, vars, nv, &rc2, &e, step,
                       (int)xmlGetLineNo(n))))
        return rc;
    if (rc2 == ZF_OK) {
        scase *child = &c->cases[c->ncases - 1];
        snprintf(child->parent, sizeof child->parent, "%s", sc->name);
        snprintf(child->relation, sizeof child->relation, "%s",
                 eff.relation ? eff.relation : "");
    }
    if (rc2 == ZF_ENOMEM)
        return zf__error_set(c->err, rc2, NULL);
    record(c, step, n, rc2, &e);
    return ZF_OK;
}

static zf_code step_expect(sctx *c, scase *sc, xmlNode *n, unsigned step) {
    int line = (int)xmlGetLineNo(n);
    const char *name = (const char *)n->name;
    zf_buf b = ZF_BUF_INIT;
    zf_code rc = ZF_OK;
    char d1[ZF_DATE_BUFSIZE];

    if (!strcmp(name, "expect-state") || !strcmp(name, "expect-not-state")) {
        const char *s;
        int want = !strcmp(name, "expect-state");
        if ((rc = need(c, n, "in", &s)))
            return rc;
        int got = zf_instance_in(sc->inst, s);
        if (got < 0)
            return serr(c, n, "the process has no state '%s'", s);
        if (got != want) {
            for (size_t i = 0; i < zf_instance_active_count(sc->inst); i++)
                if (zf_buf_printf(&b, "%s%s", i ? " " : "",
                                  zf_instance_active_id(sc->inst, i)))
                    goto nomem;
            fail(c, step, line, "expected %sstate '%s', got configuration [%s]",
                 want ? "" : "not in ", s, b.ptr ? b.ptr : "");
        }
    } else if (!strcmp(name, "expect-var")) {
        const char *v, *want;
        zf_value val;
        zf_error e;
        zf_error_clear(&e);
        if ((rc = need(c, n, "name", &v)) || (rc = need(c, n, "value", &want)))
            return rc;
        if (zf_instance_var(&val, sc->inst, v, &e))
            return serr(c, n, "the process has no variable '%s'", v);
        if (zf_value_format(&b, &val, NULL))
            goto nomem;
        if (strcmp(b.ptr ? b.ptr : "", want) != 0)
            fail(c, step, line, "expected %s = '%s', got '%s'", v, want,
                 b.ptr ? b.ptr : "");
    } else if (!strcmp(name, "expect-term")) {
        const char *id, *end = zf__xml_attr(n, "end"),
                        *status = zf__xml_attr(n, "status"),
                        *party = zf__xml_attr(n, "party");
        zf_term_info ti;
        zf_error e;
        zf_error_clear(&e);
        if ((rc = need(c, n, "id", &id)))
            return rc;
        if (zf_instance_term_by_id(&ti, sc->inst, id, &e))
            return serr(c, n, "the process has no term '%s'", id);
        if (end) {
            const char *got =
                ti.end == ZF_DATE_NONE ? "(none)" : zf_date_format(d1, ti.end);
            if (strcmp(end, got) != 0)
                fail(c, step, line, "expected term %s to end %s, got %s", id, end, got);
        }
        if (status && strcmp(status, zf_term_status_name(ti.status)) != 0)
            fail(c, step, line, "expected term %s %s, got %s", id, status,
                 zf_term_status_name(ti.status));
        if (party && (!ti.party || strcmp(party, ti.party) != 0))
            fail(c, step, line, "expected term %s to be for %s to act on, got %s", id,
                 party, ti.party ? ti.party : "(no party)");
    } else if (!strcmp(name, "expect-effect")) {
        const char *kind = zf__xml_attr(n, "kind"), *to = zf__xml_attr(n, "to"),
                   *text = zf__xml_attr(n, "text"), *process = zf__xml_attr(n, "process"),
                   *relation = zf__xml_attr(n, "relation");
        size_t ne = zf_instance_effect_count(sc->inst), i;
        int match = 0;
        /* The expected parameters are checked before any effect is compared. */
        for (xmlNode *p = next_elem(n->children); p; p = next_elem(p->next))
            if (!is(p, "param") || !zf__xml_attr(p, "name") || !zf__xml_attr(p, "value"))
                return serr(c, p, "expected <param name=\"\" value=\"\"/>%s", "");
        for (i = 0; i < ne && !match; i++) {
            zf_effect eff;
            zf_instance_effect(&eff, sc->inst, i, NULL);
            if (kind &&
                strcmp(kind, eff.kind == ZF_EFFECT_NOTIFY ? "notify" : "spawn") != 0)
                continue;
            if ((to && (!eff.to || strcmp(to, eff.to))) ||
                (text && (!eff.text || strcmp(text, eff.text))) ||
                (process && (!eff.process || strcmp(process, eff.process))) ||
                (relation && (!eff.relation || strcmp(relation, eff.relation))))
                continue;
            match = 1;
            /* <param name value/> children must match the spawn's parameters. */
            for (xmlNode *p = next_elem(n->children); p && match;
                 p = next_elem(p->next)) {
                const char *pn = zf__xml_attr(p, "name"), *pv = zf__xml_attr(p, "value");
                int ok = 0;
                for (size_t j = 0; j < eff.nparams; j++) {
                    zf_param_value pvv;
                    zf_instance_effect_param(&pvv, sc->inst, i, j, NULL);
                    zf_buf_clear(&b);
                    if (zf_value_format(&b, &pvv.value, NULL))
                        goto nomem;
                    if (!strcmp(pvv.name, pn) && !strcmp(b.ptr ? b.ptr : "", pv))
                        ok = 1;
                }
                match = ok;
            }
        }
        if (!match) {
            zf_buf_clear(&b);
            for (i = 0; i < ne; i++) {
                zf_effect eff;
                zf_instance_effect(&eff, sc->inst, i, NULL);
                if (zf_buf_printf(&b, "%s%s %s", i ? "; " : "",
                                  eff.kind == ZF_EFFECT_NOTIFY ? "notify" : "spawn",
                                  eff.kind == ZF_EFFECT_NOTIFY ? (eff.to ? eff.to : "")
                                                               : eff.process))
                    goto nomem;
            }
            fail(c, step, line, "expected effect %s %s, got [%s]", kind ? kind : "",
                 to        ? to
                 : process ? process
                 : text    ? text
                           : "",
                 b.ptr ? b.ptr : "");
        }
    } else if (!strcmp(name, "expect-outcome")) {
        const char *want, *got;
        if ((rc = need(c, n, "value", &want)))
            return rc;
        got = zf_instance_finished(sc->inst) ? zf_instance_outcome(sc->inst) : NULL;
        if (!zf_instance_finished(sc->inst))
            fail(c, step, line, "expected outcome '%s', got a case still open", want);
        else if (strcmp(want, got ? got : "") != 0)
            fail(c, step, line, "expected outcome '%s', got '%s'", want, got ? got : "");
    } else if (!strcmp(name, "expect-version")) {
        const char *want, *got = zf_definition_version(zf_instance_definition(sc->inst));
        if ((rc = need(c, n, "value", &want)))
            return rc;
        if (strcmp(want, got ? got : "") != 0)
            fail(c, step, line, "expected version '%s', got '%s'", want, got ? got : "");
    } else if (!strcmp(name, "expect-next-due")) {
        const char *want = zf__xml_attr(n, "date"), *term = zf__xml_attr(n, "term"),
                   *gt = NULL, *party = zf__xml_attr(n, "party");
        zf_date due = zf_instance_next_due_for(sc->inst, party, &gt);
        const char *got = due == ZF_DATE_NONE ? "none" : zf_date_format(d1, due);
        if (!want)
            want = "none";
        if (strcmp(want, got) != 0 || (term && (!gt || strcmp(term, gt) != 0)))
            fail(c, step, line, "expected next due%s%s %s%s%s, got %s%s%s",
                 party ? " for " : "", party ? party : "", want, term ? " of " : "",
                 term ? term : "", got, gt ? " of " : "", gt ? gt : "");
    } else
        return serr(c, n, "unknown step <%s>", name);
    zf_buf_dispose(&b);
    return ZF_OK;
nomem:
    zf_buf_dispose(&b);
    return zf__error_set(c->err, ZF_ENOMEM, NULL);
}

static zf_code step_expect_error(sctx *c, xmlNode *n, unsigned step) {
    const char *code, *msg = zf__xml_attr(n, "message");
    int line = (int)xmlGetLineNo(n);
    zf_code rc;
    if ((rc = need(c, n, "code", &code)))
        return rc;
    if (!c->pending)
        return serr(
            c, n,
            "<expect-error> must follow a <fire>, <advance>, <follow> or <migrate>%s",
            "");
    c->pending = 0;
    if (c->last_rc == ZF_OK)
        fail(c, step, line, "expected %s from step %u, got success", code, c->last_step);
    else if (strcmp(code, zf_code_name(c->last_rc)) != 0)
        fail(c, step, line, "expected %s, got %s: %s", code, zf_code_name(c->last_rc),
             c->last_msg);
    else if (msg && !strstr(c->last_msg, msg))
        fail(c, step, line, "expected a message containing '%s', got '%s'", msg,
             c->last_msg);
    return ZF_OK;
}

/* ---- running ----------------------------------------------------------- */

static zf_code run_doc(sctx *c, xmlNode *root) {
    const char *proc, *title = zf__xml_attr(root, "title");
    char path[2048];
    zf_date start;
    zf_param_value vars[MAX_PARAMS];
    size_t nvars = 0;
    unsigned step = 0;
    loaded *ld;
    zf_code rc;
    xmlNode *n;
    int started = 0;

    if (title && *title)
        snprintf(c->res->name, sizeof c->res->name, "%s", title);
    proc = c->rn->process;
    if (!proc && (rc = need(c, root, "process", &proc)))
        return rc;
    if ((rc = need_date(c, root, "start", &start)))
        return rc;
    if (zf__xml_attr(root, "registry") && !c->rn->process) {
        /* `process` is a process id: the version valid on the start date. */
        const char *reg = zf__xml_attr(root, "registry");
        if (!resolve(c, reg, c->regdir, sizeof c->regdir))
            return serr(c, root, "registry directory '%s' not found", reg);
        snprintf(c->procdir, sizeof c->procdir, "%s", c->regdir);
        if ((rc = pick(c, root, proc, start, &ld)))
            return rc;
    } else {
        if (c->rn->process)
            snprintf(path, sizeof path, "%s", proc);
        else if (!resolve(c, proc, path, sizeof path))
            return serr(c, root, "process file '%s' not found", proc);
        dirname_of(path, c->procdir, sizeof c->procdir);
        if ((rc = load_def(c, path, &ld)))
            return rc;
    }

    for (n = next_elem(root->children);; n = next_elem(n->next)) {
        if (n && is(n, "set")) {
            const char *var, *value;
            if (started)
                return serr(c, n, "<set> must come before the first step%s", "");
            if (nvars == MAX_PARAMS)
                return serr(c, n, "too many <set>%s", "");
            if ((rc = need(c, n, "var", &var)) || (rc = need(c, n, "value", &value)))
                return rc;
            vars[nvars].name = var;
            vars[nvars].value = zf_value_string(value);
            nvars++;
            continue;
        }
        if (!started) {
            zf_error e;
            zf_code rc2;
            started = 1;
            zf_error_clear(&e);
            if ((rc = new_case(c, "main", ld, start, vars, nvars, &rc2, &e, 0,
                               (int)xmlGetLineNo(root))))
                return rc;
            if (rc2 == ZF_ENOMEM)
                return zf__error_set(c->err, rc2, NULL);
            if (rc2) {
                fail(c, 0, (int)xmlGetLineNo(root),
                     "expected the case to start, got %s: %s", zf_code_name(rc2),
                     e.message);
                return ZF_OK;
            }
            if (!c->res->passed)
                return ZF_OK; /* its round trip failed */
        }
        if (!n)
            break;
        if (n->ns == NULL || !n->ns->href ||
            strcmp((const char *)n->ns->href, ZF_SCENARIO_NS) != 0)
            return serr(c, n, "element <%s> is not in " ZF_SCENARIO_NS,
                        (const char *)n->name);
        step++;
        c->res->steps = step;
        if (is(n, "expect-error")) {
            if ((rc = step_expect_error(c, n, step)))
                return rc;
            continue;
        }
        settle(c);
        if (!c->res->passed)
            return ZF_OK;
        scase *sc = find_case(c, n, &rc);
        if (!sc)
            return rc;
        if (is(n, "fire"))
            rc = step_fire(c, sc, n, step);
        else if (is(n, "advance"))
            rc = step_advance(c, sc, n, step);
        else if (is(n, "follow"))
            rc = step_follow(c, sc, n, step);
        else if (is(n, "migrate"))
            rc = step_migrate(c, sc, n, step);
        else
            rc = step_expect(c, sc, n, step);
        if (rc)
            return rc;
        step_hook(c);
        if (!c->res->passed)
            return ZF_OK;
    }
    settle(c);
    return ZF_OK;
}

/* libxml2's reports of a scenario's parse stay in its context: not on stderr. */
static void quiet(void *ctx, xmlErrorPtr e) {
    (void)ctx;
    (void)e;
}

static void quiet_generic(void *ctx, const char *msg, ...) {
    (void)ctx;
    (void)msg;
}

/* A scenario file (at most 16 MiB, like a definition). */
static zf_code read_file(const char *path, char **out, size_t *len, zf_error *err) {
    FILE *f = fopen(path, "rb");
    char *b = NULL;
    size_t n = 0, cap = 0;
    *out = NULL;
    if (!f)
        return zf__error_setpos(err, ZF_EIO, path, 0, 0, "cannot read scenario '%s'",
                                path);
    for (;;) {
        if (n == cap) {
            char *nb;
            if (cap >= 16u * 1024 * 1024) {
                fclose(f);
                zf__free(b);
                return zf__error_setpos(err, ZF_EPARSE, path, 0, 0,
                                        "scenario is larger than 16 MiB");
            }
            cap = zf__grow_cap(cap, n + 1, 16384, 1); /* no overflow below 16 MiB */
            if (!(nb = zf__realloc(b, cap + 1))) {
                fclose(f);
                zf__free(b);
                return zf__error_set(err, ZF_ENOMEM, NULL);
            }
            b = nb;
        }
        size_t got = fread(b + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    if (ferror(f)) {
        fclose(f);
        zf__free(b);
        return zf__error_setpos(err, ZF_EIO, path, 0, 0, "cannot read scenario '%s'",
                                path);
    }
    fclose(f);
    b[n] = '\0';
    *out = b;
    *len = n;
    return ZF_OK;
}

zf_code zf_scenario_run_file(zf_scenario_result *result, zf_buf *timeline,
                             zf_scenario_runner *runner, const char *path,
                             zf_error *err) {
    sctx *c;
    xmlParserCtxtPtr ctxt;
    xmlDoc *doc = NULL;
    char *bytes = NULL;
    size_t len = 0;
    xmlNode *root;
    zf_code rc;
    const char *base;
    zf_error_clear(err);
    if (!runner || !path || !result)
        return zf__error_set(err, ZF_EINVAL, "invalid runner, path or result");
    memset(result, 0, sizeof *result);
    result->passed = 1;
    base = strrchr(path, '/');
    snprintf(result->name, sizeof result->name, "%s", base ? base + 1 : path);
    if (!file_exists(path))
        return zf__error_setpos(err, ZF_EIO, path, 0, 0, "cannot read scenario '%s'",
                                path);
    if ((rc = read_file(path, &bytes, &len, err)))
        return rc;
    zf__xml_begin();
    /* Errors go into ctxt->lastError, not to stderr. */
    xmlGenericErrorFunc gfunc = xmlGenericError;
    void *gctx = xmlGenericErrorContext;
    xmlSetGenericErrorFunc(NULL, quiet_generic);
    if ((ctxt = xmlNewParserCtxt())) {
        ctxt->sax->serror = quiet;
        doc = zf__xml_read(ctxt, bytes, len, path,
                           XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                               XML_PARSE_NOCDATA);
    }
    xmlSetGenericErrorFunc(gctx, gfunc);
    zf__xml_end();
    if (!ctxt) {
        zf__free(bytes);
        return zf__error_set(err, ZF_ENOMEM, NULL);
    }
    zf__free(bytes);
    /* A failed allocation inside libxml2 may have left content out silently. */
    if (zf__xml_nomem() || ctxt->errNo == XML_ERR_NO_MEMORY) {
        xmlFreeDoc(doc);
        xmlFreeParserCtxt(ctxt);
        return zf__error_set(err, ZF_ENOMEM, NULL);
    }
    if (!doc) {
        const xmlError *xe = &ctxt->lastError;
        rc = zf__error_setpos(err, ZF_EPARSE, path, xe->line, xe->int2,
                              "malformed scenario: %s", xe->message ? xe->message : "?");
        xmlFreeParserCtxt(ctxt);
        return rc;
    }
    xmlFreeParserCtxt(ctxt);
    if (doc->intSubset || doc->extSubset) {
        xmlFreeDoc(doc);
        return zf__error_setpos(err, ZF_EPARSE, path, 1, 0,
                                "a scenario must not have a DOCTYPE");
    }
    root = xmlDocGetRootElement(doc);
    c = zf__calloc(1, sizeof *c);
    if (!c) {
        xmlFreeDoc(doc);
        return zf__error_set(err, ZF_ENOMEM, NULL);
    }
    c->rn = runner;
    c->path = path;
    c->res = result;
    c->err = err;
    dirname_of(path, c->dir, sizeof c->dir);
    if (!is(root, "scenario"))
        rc = serr(c, root, "the root element must be <scenario> in " ZF_SCENARIO_NS "%s",
                  "");
    else
        rc = run_doc(c, root);
    /* Strip the trailing newline libxml2 puts in messages. */
    if (err && err->code == ZF_EPARSE) {
        size_t l = strlen(err->message);
        while (l && (err->message[l - 1] == '\n' || err->message[l - 1] == ' '))
            err->message[--l] = '\0';
    }
    if (rc == ZF_OK && timeline) {
        for (size_t i = 0; i < c->ncases && rc == ZF_OK; i++) {
            const zf_definition *d = zf_instance_definition(c->cases[i].inst);
            const scase *sc = &c->cases[i];
            rc = zf_buf_printf(timeline, "%scase %s: %s %s", i ? "\n" : "", sc->name,
                               zf_definition_id(d), zf_definition_version(d));
            if (rc == ZF_OK && sc->parent[0])
                rc =
                    zf_buf_printf(timeline, " (%s of case %s)",
                                  sc->relation[0] ? sc->relation : "spawned", sc->parent);
            if (rc == ZF_OK)
                rc = zf_buf_puts(timeline, "\n\n");
            if (rc == ZF_OK)
                rc = zf_instance_timeline(timeline, sc->inst, err);
            if (rc == ZF_OK && zf_instance_finished(sc->inst)) {
                const char *o = zf_instance_outcome(sc->inst);
                rc = zf_buf_printf(timeline, "\noutcome: %s\n", o ? o : "(closed)");
            } else if (rc == ZF_OK) {
                const char *gt = NULL;
                zf_date due = zf_instance_next_due(sc->inst, &gt);
                char db[ZF_DATE_BUFSIZE];
                rc = zf_buf_puts(timeline, "\nstill open in:");
                for (size_t k = 0; rc == ZF_OK && k < zf_instance_active_count(sc->inst);
                     k++)
                    rc = zf_buf_printf(timeline, " %s",
                                       zf_instance_active_id(sc->inst, k));
                if (rc == ZF_OK && due != ZF_DATE_NONE)
                    rc = zf_buf_printf(timeline, "; next due %s (%s)",
                                       zf_date_format(db, due), gt ? gt : "?");
                if (rc == ZF_OK)
                    rc = zf_buf_puts(timeline, "\n");
            }
        }
        if (rc)
            zf__error_set(err, rc, NULL);
    }
    for (size_t i = 0; rc == ZF_OK && runner->on_case && i < c->ncases; i++) {
        const scase *sc = &c->cases[i];
        rc = runner->on_case(sc->name, sc->inst, sc->parent[0] ? sc->parent : NULL,
                             sc->relation[0] ? sc->relation : NULL, runner->payload);
        if (rc && (!err || err->code == ZF_OK))
            zf__error_set(err, rc, "the case callback stopped the run at case '%s'",
                          sc->name);
    }
    for (size_t i = 0; i < c->ncases; i++) {
        zf_instance_free(c->cases[i].inst);
        zf_instance_free(c->cases[i].next);
    }
    zf__free(c);
    xmlFreeDoc(doc);
    return rc;
}
