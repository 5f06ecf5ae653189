/*
 * store_sim: the helper of tests/store-workers.sh (and of bench/), on a real store.
 *
 *   store_sim load URL MANIFEST CASES SEED FIRST-DAY DAYS
 *       keep the processes and start CASES cases (wmo_melding, bezwaar, dwangsom and the
 *       test process herinnering, whose expiry spawns a deelzaak), started on days
 *       spread over DAYS days from FIRST-DAY, 200 per transaction; MANIFEST gets a line
 *       per case: id, process, start date, variables.
 *   store_sim verify URL MANIFEST UNTIL
 *       the proof: replay every case of MANIFEST in memory, advancing day by day up to
 *       UNTIL, and every case it spawns; each stored journal must equal its replay's,
 *       entry by entry and item by item (so every expiration is in it exactly once),
 *       no running term may have a last day before UNTIL, every case must be in the
 *       replay and every outbox item must carry its key CASE/REVISION/N.
 *   store_sim work URL UNTIL BATCH DIE-AFTER LEASE-S
 *       a worker (the library's claim and expire, as zaakflow worker) that claims
 *       BATCH cases for LEASE-S seconds and kills itself with SIGKILL after expiring
 *       DIE-AFTER of them.
 *   store_sim courier URL LOG MAX LEASE-S [die]
 *       deliver the outbox: claim MAX items at a time, append "id key" to LOG, ack each;
 *       with `die`, SIGKILL itself after logging its first batch, before the acks.
 *   store_sim delivered URL LOG
 *       every item is done, every key was delivered at least once, and a key twice only
 *       when its item was claimed more than once.
 */
#define _DEFAULT_SOURCE
#include <zaakflow.h>
#include <zaakflow/store.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *srcdir;
static zf_error err;

static void die(const char *what) {
    fprintf(stderr, "store_sim: %s: %s [%s]\n", what, err.message,
            zf_code_name(err.code));
    exit(2);
}

static zf_store *open_store(const char *url, int64_t lease_ms, const char *owner) {
    zf_store_options o = ZF_STORE_OPTIONS_INIT;
    zf_store *st;
    o.lease_ms = lease_ms;
    o.owner = owner;
    if (zf_store_open(&st, url, &o, &err) != ZF_OK)
        die(url);
    return st;
}

static zf_date date_of(const char *s) {
    zf_date d;
    if (zf_date_parse(&d, s, &err) != ZF_OK)
        die(s);
    return d;
}

static uint64_t rng_state;
static uint64_t rnd(void) {
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* ---- load -----------------------------------------------------------------------------
 */

static const char *const PROCESSES[] = {
    "processes/wmo_melding.xml",  "processes/bezwaar.xml",
    "processes/dwangsom.xml",     "processes/beroep.xml",
    "processes/hoger_beroep.xml", "tests/data/store/herinnering.xml",
};

static void add_processes(zf_store *st) {
    char path[4096];
    for (size_t i = 0; i < sizeof PROCESSES / sizeof PROCESSES[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", srcdir, PROCESSES[i]);
        if (zf_store_add_definition_file(NULL, st, path, &err) != ZF_OK)
            die(path);
    }
}

typedef struct start {
    const char *process;
    zf_date date;
    zf_param_value vars[3];
    size_t nvars;
    char text[3][16];
} start;

/* Case k of the load: its process and variables. */
static void make_case(start *s, long k, zf_date first, long days) {
    zf_date day = first + (zf_date)(rnd() % (uint64_t)days);
    char d0[ZF_DATE_BUFSIZE];
    zf_date_format(d0, day);
    memset(s, 0, sizeof *s);
    s->date = day;
    switch (k % 4) {
    case 0:
        s->process = "wmo_melding";
        snprintf(s->text[0], sizeof s->text[0], "%s", d0);
        s->vars[0] = (zf_param_value){"gemeld", zf_value_string(s->text[0])};
        s->nvars = 1;
        break;
    case 1:
        s->process = "bezwaar";
        snprintf(s->text[0], sizeof s->text[0], "%s", d0);
        s->vars[0] = (zf_param_value){"verzonden", zf_value_string(s->text[0])};
        s->vars[1] =
            (zf_param_value){"commissie_gemeld", zf_value_bool((int)(rnd() % 2))};
        s->nvars = 2;
        break;
    case 2:
        s->process = "dwangsom";
        zf_date_format(s->text[0], day - 10);
        snprintf(s->text[1], sizeof s->text[1], "%s", d0);
        s->vars[0] = (zf_param_value){"beslistermijn_einde", zf_value_string(s->text[0])};
        s->vars[1] = (zf_param_value){"ontvangen", zf_value_string(s->text[1])};
        s->nvars = 2;
        break;
    default:
        s->process = "herinnering";
        snprintf(s->text[0], sizeof s->text[0], "%s", d0);
        snprintf(s->text[1], sizeof s->text[1], "%dw", (int)(1 + rnd() % 8));
        s->vars[0] = (zf_param_value){"vanaf", zf_value_string(s->text[0])};
        s->vars[1] = (zf_param_value){"duur", zf_value_string(s->text[1])};
        s->nvars = 2;
    }
}

static int cmd_load(int argc, char **argv) {
    zf_store *st;
    FILE *man;
    long cases, days;
    zf_date first;
    if (argc != 8)
        return fprintf(stderr,
                       "usage: store_sim load URL MANIFEST CASES SEED DAY DAYS\n"),
               2;
    st = open_store(argv[2], 0, NULL);
    if (!(man = fopen(argv[3], "w")))
        return perror(argv[3]), 2;
    cases = atol(argv[4]);
    rng_state = (uint64_t)atoll(argv[5]) * 2654435761u + 1;
    first = date_of(argv[6]);
    days = atol(argv[7]);
    add_processes(st);
    for (long k = 0; k < cases; k++) {
        start s;
        zf_store_step step;
        char d[ZF_DATE_BUFSIZE];
        if (k % 200 == 0 && zf_store_begin(st, &err) != ZF_OK)
            die("begin");
        make_case(&s, k, first, days);
        if (zf_store_start(&step, st, s.process, s.date, s.vars, s.nvars, &err) != ZF_OK)
            die(s.process);
        fprintf(man, "%lld %s %s", (long long)step.case_id, s.process,
                zf_date_format(d, s.date));
        for (size_t i = 0; i < s.nvars; i++) {
            zf_buf v = ZF_BUF_INIT;
            zf_value_format(&v, &s.vars[i].value, NULL);
            fprintf(man, " %s=%s", s.vars[i].name, v.ptr);
            zf_buf_dispose(&v);
        }
        fputc('\n', man);
        if ((k % 200 == 199 || k == cases - 1) && zf_store_commit(st, &err) != ZF_OK)
            die("commit");
    }
    fclose(man);
    zf_store_free(st);
    return 0;
}

/* ---- verify
 * ---------------------------------------------------------------------------- */

typedef struct vstate {
    zf_store *st;
    zf_date until;
    int64_t *parent;       /* by case id; 0 = a case of the manifest, -1 = none */
    int64_t *first, *next; /* children of a case in id order: first[p], next[c] */
    char *seen;            /* the replay reached it */
    int64_t maxid;
    long cases, spawned, expirations, bad;
} vstate;

static int same_item(const zf_journal_item *a, const zf_journal_item *b) {
    zf_buf x = ZF_BUF_INIT, y = ZF_BUF_INIT;
    int same = a->kind == b->kind && a->date == b->date &&
               !strcmp(a->name ? a->name : "", b->name ? b->name : "") &&
               !strcmp(a->text ? a->text : "", b->text ? b->text : "") &&
               a->value.type == b->value.type;
    if (same) {
        zf_value_format(&x, &a->value, NULL);
        zf_value_format(&y, &b->value, NULL);
        same = !strcmp(x.ptr ? x.ptr : "", y.ptr ? y.ptr : "");
    }
    zf_buf_dispose(&x);
    zf_buf_dispose(&y);
    return same;
}

static void bad(vstate *v, int64_t id, const char *what) {
    if (v->bad++ < 20)
        fprintf(stderr, "case %lld: %s\n", (long long)id, what);
}

/* The stored journal of case `id` must be the replay's. */
static void compare_journal(vstate *v, int64_t id, const zf_instance *inst) {
    zf_store_list *l;
    size_t n = zf_instance_journal_count(inst);
    if (zf_store_journal(&l, v->st, id, &err) != ZF_OK)
        die("journal");
    if (zf_store_list_count(l) != n) {
        char msg[128];
        snprintf(msg, sizeof msg, "%zu journal entries stored, the replay has %zu",
                 zf_store_list_count(l), n);
        bad(v, id, msg);
    }
    for (size_t i = 0; i < n && i < zf_store_list_count(l); i++) {
        zf_journal_entry e;
        const zf_store_journal_entry *se = zf_store_list_journal(l, i);
        zf_instance_journal_entry(&e, inst, i, NULL);
        if (se->seq != e.seq || se->date != e.date || se->nitems != e.nitems ||
            strcmp(se->event ? se->event : "", e.event ? e.event : "")) {
            bad(v, id, "a journal entry differs from the replay's");
            continue;
        }
        if (e.event && !strncmp(e.event, "expired.", 8))
            v->expirations++;
        for (size_t k = 0; k < e.nitems; k++) {
            zf_journal_item it;
            zf_instance_journal_item(&it, inst, i, k, NULL);
            if (!same_item(&it, zf_store_list_journal_item(l, i, k)))
                bad(v, id, "a journal item differs from the replay's");
        }
    }
    zf_store_list_free(l);
}

typedef struct spawn {
    char process[64];
    zf_date date;
    size_t nparams;
    char names[8][64];
    char texts[8][64];
} spawn;

/* Replay case `id` day by day up to v->until, compare its journal, then do the
   same for the cases its spawn effects started (its children, in id order). */
static void verify_case(vstate *v, int64_t id, const char *process, zf_date date,
                        const zf_param_value *vars, size_t nvars) {
    const zf_definition *def;
    zf_instance *inst;
    spawn spawns[8];
    size_t nspawn = 0, k = 0;
    if (id <= 0 || id > v->maxid || v->seen[id]) {
        bad(v, id, "not in the store, or reached twice");
        return;
    }
    v->seen[id] = 1;
    v->cases++;
    if (zf_store_pick(&def, v->st, process, date, &err) != ZF_OK)
        die(process);
    if (zf_instance_new(&inst, def, date, vars, nvars, NULL, &err) != ZF_OK)
        die("replay start");
    for (zf_date d = date + 1; d <= v->until; d++) {
        if (zf_instance_advance(inst, d, &err) != ZF_OK)
            die("replay advance");
        for (size_t i = 0; i < zf_instance_effect_count(inst); i++) {
            zf_effect e;
            spawn *s = &spawns[nspawn];
            zf_instance_effect(&e, inst, i, NULL);
            if (e.kind != ZF_EFFECT_SPAWN)
                continue;
            if (nspawn == 8 || e.nparams > 8)
                die("too many spawns");
            snprintf(s->process, sizeof s->process, "%s", e.process);
            s->date = e.date;
            s->nparams = e.nparams;
            for (size_t p = 0; p < e.nparams; p++) {
                zf_param_value pv;
                zf_buf t = ZF_BUF_INIT;
                zf_instance_effect_param(&pv, inst, i, p, NULL);
                zf_value_format(&t, &pv.value, NULL);
                snprintf(s->names[p], sizeof s->names[p], "%s", pv.name);
                snprintf(s->texts[p], sizeof s->texts[p], "%s", t.ptr ? t.ptr : "");
                zf_buf_dispose(&t);
            }
            nspawn++;
        }
    }
    compare_journal(v, id, inst);
    if (zf_instance_next_due(inst, NULL) != ZF_DATE_NONE &&
        zf_instance_next_due(inst, NULL) < v->until)
        bad(v, id, "the replay itself left a term due");
    zf_instance_free(inst);
    for (int64_t c = v->first[id]; c; c = v->next[c]) {
        zf_param_value pv[8];
        if (k == nspawn) {
            bad(v, c, "a spawned case the replay did not spawn");
            v->seen[c] = 1;
            continue;
        }
        for (size_t p = 0; p < spawns[k].nparams; p++) {
            pv[p].name = spawns[k].names[p];
            pv[p].value = zf_value_string(spawns[k].texts[p]);
        }
        v->spawned++;
        verify_case(v, c, spawns[k].process, spawns[k].date, pv, spawns[k].nparams);
        k++;
    }
    if (k != nspawn)
        bad(v, id, "the replay spawned a case the store does not have");
}

static int cmd_verify(int argc, char **argv) {
    vstate v;
    FILE *man;
    zf_store_list *l;
    char line[1024];
    if (argc != 5)
        return fprintf(stderr, "usage: store_sim verify URL MANIFEST UNTIL\n"), 2;
    memset(&v, 0, sizeof v);
    v.st = open_store(argv[2], 0, NULL);
    v.until = date_of(argv[4]);
    /* Nothing missed: no running term with a last day before `until`. */
    if (zf_store_due(&l, v.st, v.until - 1, NULL, 10, &err) != ZF_OK)
        die("due");
    for (size_t i = 0; i < zf_store_list_count(l); i++) {
        char d[ZF_DATE_BUFSIZE], msg[160];
        snprintf(msg, sizeof msg, "term %s (last day %s) was not expired",
                 zf_store_list_due(l, i)->term,
                 zf_date_format(d, zf_store_list_due(l, i)->last_day));
        bad(&v, zf_store_list_due(l, i)->case_id, msg);
    }
    zf_store_list_free(l);
    /* Every case, with its parent. */
    if (zf_store_cases(&l, v.st, NULL, ZF_STORE_ALL, 0, 0, &err) != ZF_OK)
        die("cases");
    for (size_t i = 0; i < zf_store_list_count(l); i++)
        if (zf_store_list_case(l, i)->id > v.maxid)
            v.maxid = zf_store_list_case(l, i)->id;
    v.parent = calloc((size_t)v.maxid + 1, sizeof *v.parent);
    v.seen = calloc((size_t)v.maxid + 1, 1);
    for (int64_t c = 0; c <= v.maxid; c++)
        v.parent[c] = -1;
    for (size_t i = 0; i < zf_store_list_count(l); i++)
        v.parent[zf_store_list_case(l, i)->id] = zf_store_list_case(l, i)->parent;
    zf_store_list_free(l);
    v.first = calloc((size_t)v.maxid + 1, sizeof *v.first);
    v.next = calloc((size_t)v.maxid + 1, sizeof *v.next);
    {
        int64_t *last = calloc((size_t)v.maxid + 1, sizeof *last);
        for (int64_t c = 1; c <= v.maxid; c++) {
            int64_t p = v.parent[c];
            if (p <= 0 || p > v.maxid)
                continue;
            if (last[p])
                v.next[last[p]] = c;
            else
                v.first[p] = c;
            last[p] = c;
        }
        free(last);
    }
    if (!(man = fopen(argv[3], "r")))
        return perror(argv[3]), 2;
    while (fgets(line, sizeof line, man)) {
        char *save, *tok, *process;
        int64_t id;
        zf_date date;
        zf_param_value vars[8];
        size_t n = 0;
        line[strcspn(line, "\n")] = '\0';
        id = atoll(strtok_r(line, " ", &save));
        process = strtok_r(NULL, " ", &save);
        date = date_of(strtok_r(NULL, " ", &save));
        while ((tok = strtok_r(NULL, " ", &save)) && n < 8) {
            char *eq = strchr(tok, '=');
            *eq = '\0';
            vars[n].name = tok;
            vars[n++].value = zf_value_string(eq + 1);
        }
        if (id > 0 && id <= v.maxid && v.parent[id] != 0)
            bad(&v, id, "a case of the manifest has a parent");
        verify_case(&v, id, process, date, vars, n);
    }
    fclose(man);
    for (int64_t c = 1; c <= v.maxid; c++)
        if (v.parent[c] >= 0 && !v.seen[c])
            bad(&v, c, "in the store but not in the replay");
    /* Outbox keys: CASE/REVISION/N, one item each. */
    if (zf_store_outbox(&l, v.st, NULL, 0, 0, &err) != ZF_OK)
        die("outbox");
    for (size_t i = 0; i < zf_store_list_count(l); i++) {
        const zf_store_outbox_item *o = zf_store_list_outbox(l, i);
        char want[64];
        int n = snprintf(want, sizeof want, "%lld/%lld/", (long long)o->case_id,
                         (long long)o->revision);
        if (strncmp(o->key, want, (size_t)n) != 0)
            bad(&v, o->case_id, "an outbox item without its key");
    }
    printf("verified %ld cases (%ld spawned by the worker), %ld expirations, %zu outbox "
           "items: %ld problems\n",
           v.cases, v.spawned, v.expirations, zf_store_list_count(l), v.bad);
    zf_store_list_free(l);
    free(v.parent);
    free(v.first);
    free(v.next);
    free(v.seen);
    zf_store_free(v.st);
    return v.bad ? 1 : 0;
}

/* ---- a worker that dies
 * ---------------------------------------------------------------- */

static int cmd_work(int argc, char **argv) {
    zf_store *st;
    zf_store_list *l;
    long batch, die_after;
    zf_date until;
    char owner[64];
    if (argc != 7)
        return fprintf(stderr,
                       "usage: store_sim work URL UNTIL BATCH DIE-AFTER LEASE-S\n"),
               2;
    snprintf(owner, sizeof owner, "store_sim:%ld", (long)getpid());
    st = open_store(argv[2], atoll(argv[6]) * 1000, owner);
    until = date_of(argv[3]);
    batch = atol(argv[4]);
    die_after = atol(argv[5]);
    if (zf_store_claim(&l, st, until, (size_t)batch, &err) != ZF_OK)
        die("claim");
    for (size_t i = 0; i < zf_store_list_count(l); i++) {
        zf_store_step step;
        if ((long)i == die_after) {
            printf("store_sim: killed after %ld of %zu claimed cases\n", die_after,
                   zf_store_list_count(l));
            fflush(stdout);
            raise(SIGKILL);
        }
        if (zf_store_expire(&step, st, zf_store_list_case(l, i)->id, until, &err) !=
            ZF_OK)
            die("expire");
    }
    printf("store_sim: %zu claimed cases expired; not killed\n", zf_store_list_count(l));
    zf_store_list_free(l);
    zf_store_free(st);
    return 0;
}

/* ---- outbox delivery
 * -------------------------------------------------------------------- */

static int cmd_courier(int argc, char **argv) {
    zf_store *st;
    FILE *log;
    long max;
    int dies;
    char owner[64];
    if (argc != 6 && argc != 7)
        return fprintf(stderr, "usage: store_sim courier URL LOG MAX LEASE-S [die]\n"), 2;
    snprintf(owner, sizeof owner, "courier:%ld", (long)getpid());
    st = open_store(argv[2], atoll(argv[5]) * 1000, owner);
    if (!(log = fopen(argv[3], "a")))
        return perror(argv[3]), 2;
    max = atol(argv[4]);
    dies = argc == 7 && !strcmp(argv[6], "die");
    for (;;) {
        zf_store_list *l;
        if (zf_store_outbox_claim(&l, st, (size_t)max, &err) != ZF_OK)
            die("claim");
        if (!zf_store_list_count(l)) {
            zf_store_list_free(l);
            break;
        }
        /* Delivered: written down with its key before it is acknowledged. */
        for (size_t i = 0; i < zf_store_list_count(l); i++)
            fprintf(log, "%lld %s\n", (long long)zf_store_list_outbox(l, i)->id,
                    zf_store_list_outbox(l, i)->key);
        fflush(log);
        if (dies)
            raise(SIGKILL);
        for (size_t i = 0; i < zf_store_list_count(l); i++)
            if (zf_store_outbox_ack(st, zf_store_list_outbox(l, i)->id, &err) != ZF_OK)
                die("ack");
        zf_store_list_free(l);
    }
    fclose(log);
    zf_store_free(st);
    return 0;
}

static int cmd_delivered(int argc, char **argv) {
    zf_store *st;
    zf_store_list *l;
    FILE *log;
    char line[256];
    long *times, bad_n = 0, twice = 0;
    const char **keyof;
    int64_t maxid = 0;
    if (argc != 4)
        return fprintf(stderr, "usage: store_sim delivered URL LOG\n"), 2;
    st = open_store(argv[2], 0, NULL);
    if (zf_store_outbox(&l, st, NULL, 0, 0, &err) != ZF_OK)
        die("outbox");
    for (size_t i = 0; i < zf_store_list_count(l); i++)
        if (zf_store_list_outbox(l, i)->id > maxid)
            maxid = zf_store_list_outbox(l, i)->id;
    times = calloc((size_t)maxid + 1, sizeof *times);
    keyof = calloc((size_t)maxid + 1, sizeof *keyof);
    for (size_t i = 0; i < zf_store_list_count(l); i++)
        keyof[zf_store_list_outbox(l, i)->id] = zf_store_list_outbox(l, i)->key;
    if (!(log = fopen(argv[3], "r")))
        return perror(argv[3]), 2;
    while (fgets(line, sizeof line, log)) {
        long long id = atoll(line);
        const char *key = strchr(line, ' ');
        line[strcspn(line, "\n")] = '\0';
        if (id < 1 || id > maxid || !key) {
            bad_n++;
            continue;
        }
        /* The key delivered is the item's own. */
        if (!keyof[id] || strcmp(keyof[id], key + 1) != 0) {
            fprintf(stderr, "item %lld delivered with key %s, not %s\n", id, key + 1,
                    keyof[id] ? keyof[id] : "(none)");
            bad_n++;
        }
        times[id]++;
    }
    fclose(log);
    for (size_t i = 0; i < zf_store_list_count(l); i++) {
        const zf_store_outbox_item *o = zf_store_list_outbox(l, i);
        if (strcmp(o->status, "done") != 0 || times[o->id] == 0) {
            if (bad_n++ < 20)
                fprintf(stderr, "item %lld (%s): %s, delivered %ld times\n",
                        (long long)o->id, o->key, o->status, times[o->id]);
        } else if (times[o->id] > 1) {
            twice++;
            if (o->attempts < 2 && bad_n++ < 20)
                fprintf(stderr, "item %lld delivered twice but claimed once\n",
                        (long long)o->id);
        }
    }
    printf("outbox: %zu items, every one delivered at least once with its key; %ld "
           "delivered again after a courier died: %ld problems\n",
           zf_store_list_count(l), twice, bad_n);
    zf_store_list_free(l);
    free(times);
    free(keyof);
    zf_store_free(st);
    return bad_n ? 1 : 0;
}

int main(int argc, char **argv) {
    srcdir = getenv("ZF_SRCDIR");
    if (!srcdir)
        srcdir = ".";
    zf_error_clear(&err);
    if (argc >= 2 && !strcmp(argv[1], "load"))
        return cmd_load(argc, argv);
    if (argc >= 2 && !strcmp(argv[1], "verify"))
        return cmd_verify(argc, argv);
    if (argc >= 2 && !strcmp(argv[1], "work"))
        return cmd_work(argc, argv);
    if (argc >= 2 && !strcmp(argv[1], "courier"))
        return cmd_courier(argc, argv);
    if (argc >= 2 && !strcmp(argv[1], "delivered"))
        return cmd_delivered(argc, argv);
    fprintf(stderr, "usage: store_sim load|verify|work|courier|delivered ...\n");
    return 2;
}
