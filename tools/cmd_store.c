/*
 * The case store from the command line (libzaakflow-store):
 *   zaakflow store add FILE...                  keep process definitions
 *   zaakflow case start|fire|advance|show|list   cases
 *   zaakflow due [--until DATE] [--party P]      the due report
 *   zaakflow outbox list|claim|ack|release       effects for delivery
 *   zaakflow worker [--until DATE] [--batch N]   expire what is due
 * Every command takes --store URL (default: $ZAAKFLOW_STORE, else
 * sqlite:zaakflow.db in the current directory) and --json.
 */
#define _DEFAULT_SOURCE /* strdup, localtime_r, gethostname */
#include "cli.h"

#include <zaakflow/store.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ---- options ------------------------------------------------------------------------
 */

enum {
    O_STORE = 1 << 0,
    O_JSON = 1 << 1,
    O_DATE = 1 << 2,
    O_VAR = 1 << 3,
    O_ACTOR = 1 << 4,
    O_ROLE = 1 << 5,
    O_REVISION = 1 << 6,
    O_UNTIL = 1 << 7,
    O_PARTY = 1 << 8,
    O_LIMIT = 1 << 9,
    O_PROCESS = 1 << 10,
    O_STATE = 1 << 11,
    O_AFTER = 1 << 12,
    O_STATUS = 1 << 13,
    O_CASE = 1 << 14,
    O_MAX = 1 << 15,
    O_LEASE = 1 << 16,
    O_BATCH = 1 << 17,
    O_OWNER = 1 << 18,
    O_REASON = 1 << 19,
    O_SNAPSHOT = 1 << 20
};

#define MAX_VALUES 64

typedef struct args {
    const char *store, *date, *until, *party, *process, *status, *actor, *reason, *owner;
    int json, snapshot;
    zf_store_state state;
    long long revision, after, limit, max, lease, batch, case_id;
    const char *names[MAX_VALUES];
    char *texts[MAX_VALUES];
    int nvalues;
    const char *roles[32];
    int nroles;
    const char *pos[MAX_VALUES];
    int npos;
} args;

static void args_dispose(args *a) {
    for (int i = 0; i < a->nvalues; i++)
        free(a->texts[i]);
    a->nvalues = 0;
}

static int number(const char *opt, const char *v, long long min, long long *out) {
    char *end;
    errno = 0;
    *out = strtoll(v, &end, 10);
    if (end == v || *end || errno || *out < min)
        return cli_usage_error("%s wants a whole number of at least %lld, got '%s'", opt,
                               min, v);
    return CLI_OK;
}

/* Parse argv[first..] into `a`, allowing the options in `mask`. */
static int parse(int argc, char **argv, int first, unsigned mask, args *a) {
    static const struct {
        const char *name;
        unsigned bit;
    } opts[] = {
        {"--store", O_STORE},       {"--date", O_DATE},       {"--var", O_VAR},
        {"--param", O_VAR},         {"--actor", O_ACTOR},     {"--role", O_ROLE},
        {"--revision", O_REVISION}, {"--until", O_UNTIL},     {"--party", O_PARTY},
        {"--limit", O_LIMIT},       {"--process", O_PROCESS}, {"--after", O_AFTER},
        {"--status", O_STATUS},     {"--case", O_CASE},       {"--max", O_MAX},
        {"--lease", O_LEASE},       {"--batch", O_BATCH},     {"--owner", O_OWNER},
        {"--reason", O_REASON},
    };
    memset(a, 0, sizeof *a);
    a->store = getenv("ZAAKFLOW_STORE");
    if (!a->store || !*a->store)
        a->store = "sqlite:zaakflow.db";
    a->revision = ZF_STORE_ANY_REVISION;
    a->state = ZF_STORE_ALL;
    for (int i = first; i < argc; i++) {
        const char *arg = argv[i], *v = NULL;
        int missing = 0, rc = CLI_OK;
        size_t k;
        if (!strcmp(arg, "--json") && (mask & O_JSON)) {
            a->json = 1;
            continue;
        }
        if (!strcmp(arg, "--snapshot") && (mask & O_SNAPSHOT)) {
            a->snapshot = 1;
            continue;
        }
        if ((!strcmp(arg, "--open") || !strcmp(arg, "--finished")) && (mask & O_STATE)) {
            a->state = arg[2] == 'o' ? ZF_STORE_OPEN : ZF_STORE_FINISHED;
            continue;
        }
        if (arg[0] != '-' || !arg[1]) {
            if (a->npos == MAX_VALUES)
                return cli_usage_error("too many arguments");
            a->pos[a->npos++] = arg;
            continue;
        }
        for (k = 0; k < sizeof opts / sizeof opts[0]; k++)
            if ((mask & opts[k].bit) &&
                ((v = cli_opt_value(argc, argv, &i, opts[k].name, &missing)) || missing))
                break;
        if (k == sizeof opts / sizeof opts[0])
            return cli_usage_error("unknown option '%s' (try --help)", arg);
        if (missing)
            return cli_usage_error("%s needs a value", opts[k].name);
        switch (opts[k].bit) {
        case O_STORE:
            a->store = v;
            break;
        case O_DATE:
            a->date = v;
            break;
        case O_UNTIL:
            a->until = v;
            break;
        case O_PARTY:
            a->party = v;
            break;
        case O_PROCESS:
            a->process = v;
            break;
        case O_STATUS:
            a->status = v;
            break;
        case O_ACTOR:
            a->actor = v;
            break;
        case O_REASON:
            a->reason = v;
            break;
        case O_OWNER:
            a->owner = v;
            break;
        case O_ROLE:
            if (a->nroles == 32)
                return cli_usage_error("too many roles");
            a->roles[a->nroles++] = v;
            break;
        case O_VAR: {
            const char *eq = strchr(v, '=');
            if (!eq || eq == v)
                return cli_usage_error("%s wants NAME=VALUE, got '%s'", opts[k].name, v);
            if (a->nvalues == MAX_VALUES)
                return cli_usage_error("too many values");
            if (!(a->texts[a->nvalues] = strdup(v)))
                return cli_usage_error("out of memory");
            a->texts[a->nvalues][eq - v] = '\0';
            a->names[a->nvalues] = a->texts[a->nvalues];
            a->nvalues++;
            break;
        }
        case O_REVISION:
            rc = number("--revision", v, 1, &a->revision);
            break;
        case O_LIMIT:
            rc = number("--limit", v, 1, &a->limit);
            break;
        case O_AFTER:
            rc = number("--after", v, 0, &a->after);
            break;
        case O_CASE:
            rc = number("--case", v, 1, &a->case_id);
            break;
        case O_MAX:
            rc = number("--max", v, 1, &a->max);
            break;
        case O_BATCH:
            rc = number("--batch", v, 1, &a->batch);
            break;
        case O_LEASE:
            rc = number("--lease", v, 1, &a->lease);
            break;
        }
        if (rc != CLI_OK)
            return rc;
    }
    return CLI_OK;
}

static int want_help(int argc, char **argv, int first) {
    for (int i = first; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
            return 1;
    return 0;
}

/* ---- helpers --------------------------------------------------------------------------
 */

/* Failures of the case (rejected, conflict, not found ...) exit 1; usage, files
   and the database 2. */
static int fail(const zf_error *e) {
    if (e->file[0] && e->line)
        fprintf(stderr, "%s: %s:%d:%d: %s [%s]\n", cli_progname, e->file, e->line,
                e->column, e->message, zf_code_name(e->code));
    else
        fprintf(stderr, "%s: %s [%s]\n", cli_progname,
                e->message[0] ? e->message : zf_strerror(e->code), zf_code_name(e->code));
    switch (e->code) {
    case ZF_EINVAL:
    case ZF_EIO:
    case ZF_EDATABASE:
    case ZF_ENOMEM:
    case ZF_EPARSE:
    case ZF_ESCHEMA:
    case ZF_ESEMANTIC:
        return CLI_USAGE;
    default:
        return CLI_FINDINGS;
    }
}

/* The one place the CLI reads the clock: the default of --until. */
static zf_date today(void) {
    time_t t = time(NULL);
    struct tm tm;
    zf_date d = ZF_DATE_NONE;
    if (localtime_r(&t, &tm))
        zf_date_from_ymd(&d, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, NULL);
    return d;
}

static int get_date(const char *opt, const char *text, zf_date dflt, zf_date *out) {
    zf_error e;
    if (!text) {
        if (dflt == ZF_DATE_NONE)
            return cli_usage_error("%s DATE is required", opt);
        *out = dflt;
        return CLI_OK;
    }
    zf_error_clear(&e);
    if (zf_date_parse(out, text, &e) != ZF_OK)
        return cli_usage_error("%s: %s", opt, e.message);
    return CLI_OK;
}

static int open_store(zf_store **st, const args *a) {
    zf_store_options o = ZF_STORE_OPTIONS_INIT;
    char owner[128];
    zf_error e;
    char host[64] = "";
    if (a->owner)
        snprintf(owner, sizeof owner, "%s", a->owner);
    else {
        gethostname(host, sizeof host - 1);
        snprintf(owner, sizeof owner, "%s:%ld", host, (long)getpid());
    }
    o.owner = owner;
    o.lease_ms = a->lease * 1000;
    zf_error_clear(&e);
    if (zf_store_open(st, a->store, &o, &e) != ZF_OK)
        return fail(&e);
    return CLI_OK;
}

static int case_id_arg(const char *text, int64_t *out) {
    long long v;
    if (number("case id", text, 1, &v) != CLI_OK)
        return CLI_USAGE;
    *out = v;
    return CLI_OK;
}

static void put_date(FILE *out, zf_date d) {
    char buf[ZF_DATE_BUFSIZE];
    fputs(d == ZF_DATE_NONE ? "-" : zf_date_format(buf, d), out);
}

static void json_date(FILE *out, zf_date d) {
    char buf[ZF_DATE_BUFSIZE];
    if (d == ZF_DATE_NONE)
        fputs("null", out);
    else
        fprintf(out, "\"%s\"", zf_date_format(buf, d));
}

static void json_text(FILE *out, const char *s) {
    if (s)
        cli_json_string(out, s);
    else
        fputs("null", out);
}

static void print_step(const zf_store_step *s, int json, const char *what) {
    if (json)
        printf("{\"case\":%lld,\"revision\":%lld,\"entries\":%zu,\"expired\":%zu,"
               "\"effects\":%zu,\"spawned\":%zu}\n",
               (long long)s->case_id, (long long)s->revision, s->entries, s->expired,
               s->effects, s->spawned);
    else
        printf(
            "case %lld %s: revision %lld, %zu journal entr%s, %zu effect%s, %zu case%s "
            "spawned\n",
            (long long)s->case_id, what, (long long)s->revision, s->entries,
            s->entries == 1 ? "y" : "ies", s->effects, s->effects == 1 ? "" : "s",
            s->spawned, s->spawned == 1 ? "" : "s");
}

static void values_of(const args *a, zf_param_value *out) {
    for (int i = 0; i < a->nvalues; i++) {
        out[i].name = a->names[i];
        out[i].value = zf_value_string(a->texts[i] + strlen(a->texts[i]) + 1);
    }
}

/* ---- zaakflow store -------------------------------------------------------------------
 */

int cmd_store(int argc, char **argv) {
    args a;
    zf_store *st;
    zf_error e;
    int rc;
    if (argc < 2 || want_help(argc, argv, 1)) {
        printf(
            "usage: zaakflow store add [--store URL] [--json] PROCESS.xml...\n\n"
            "Keep process definitions in the case store: every version, by its\n"
            "canonical hash (zaakflow canonical --hash), with its validity (valid-from,\n"
            "valid-until). A case starts on the version valid on its start date, a\n"
            "spawned case on the one valid on the day of the spawn (add the processes\n"
            "a definition spawns); running cases keep theirs. As in a registry, one\n"
            "version has one meaning and validities must not overlap: to add a new\n"
            "version, add the old one again with its valid-until (the same meaning:\n"
            "its validity is updated). The store is created on first use.\n\n"
            "--store URL   sqlite:PATH or postgresql://...; default $ZAAKFLOW_STORE,\n"
            "              else sqlite:zaakflow.db\n");
        return argc < 2 ? CLI_USAGE : CLI_OK;
    }
    if (strcmp(argv[1], "add") != 0)
        return cli_usage_error(
            "store: unknown command '%s' (try 'zaakflow store --help')", argv[1]);
    if ((rc = parse(argc, argv, 2, O_STORE | O_JSON, &a)))
        return rc;
    if (!a.npos)
        return cli_usage_error("store add: no definition files");
    if ((rc = open_store(&st, &a)))
        return rc;
    if (a.json)
        printf("[");
    for (int i = 0; i < a.npos; i++) {
        const zf_definition *def;
        zf_error_clear(&e);
        if (zf_store_add_definition_file(&def, st, a.pos[i], &e) != ZF_OK) {
            if (a.json)
                printf("]\n");
            zf_store_free(st);
            return fail(&e);
        }
        if (a.json) {
            printf("%s{\"process\":", i ? "," : "");
            cli_json_string(stdout, zf_definition_id(def));
            printf(",\"version\":");
            json_text(stdout, zf_definition_version(def));
            printf(",\"hash\":\"%s\",\"valid_from\":", zf_definition_hash(def));
            json_date(stdout, zf_definition_valid_from(def));
            printf(",\"valid_until\":");
            json_date(stdout, zf_definition_valid_until(def));
            printf("}");
        } else {
            printf("%s %s (hash %.12s", zf_definition_id(def),
                   zf_definition_version(def) ? zf_definition_version(def) : "-",
                   zf_definition_hash(def));
            if (zf_definition_valid_from(def) != ZF_DATE_NONE) {
                printf(", valid from ");
                put_date(stdout, zf_definition_valid_from(def));
            }
            if (zf_definition_valid_until(def) != ZF_DATE_NONE) {
                printf(", valid until ");
                put_date(stdout, zf_definition_valid_until(def));
            }
            printf(")\n");
        }
    }
    if (a.json)
        printf("]\n");
    zf_store_free(st);
    return CLI_OK;
}

/* ---- zaakflow case --------------------------------------------------------------------
 */

static int case_help(void) {
    fputs(
        "usage: zaakflow case COMMAND [OPTIONS]\n"
        "\n"
        "  start PROCESS --date DATE [--var NAME=VALUE]...\n"
        "        start a case on the version of PROCESS valid on DATE (PROCESS: a\n"
        "        process id; PROCESS@VERSION or a hash for that definition; or a\n"
        "        definition file, which is added first and used)\n"
        "  fire ID EVENT --date DATE [--actor A] [--role R]... [--param NAME=VALUE]...\n"
        "        [--revision N]\n"
        "        fire an event with its legal date; with --revision the case must still\n"
        "        be at that revision (else: a conflict, exit 1, nothing changed)\n"
        "  advance ID --date DATE [--revision N]\n"
        "        let time pass up to DATE: terms whose last day is before it expire\n"
        "  show ID [--snapshot]\n"
        "        the case: summary, terms, journal (or its XML snapshot)\n"
        "  list [--process P] [--open | --finished] [--after ID] [--limit N]\n"
        "        cases by id, from their summary columns\n"
        "\n"
        "Every command takes --store URL (sqlite:PATH or postgresql://...; default\n"
        "$ZAAKFLOW_STORE, else sqlite:zaakflow.db) and --json. Each change is one\n"
        "transaction: the case, its journal, its due rows, its outbox items and the\n"
        "cases its spawn effects start are stored together or not at all.\n",
        stdout);
    return CLI_OK;
}

static int case_start(int argc, char **argv) {
    args a;
    zf_store *st;
    zf_store_step step;
    zf_param_value vals[MAX_VALUES];
    const char *process;
    zf_date date;
    zf_error e;
    int rc;
    if ((rc = parse(argc, argv, 2, O_STORE | O_JSON | O_DATE | O_VAR, &a)))
        return rc;
    if (a.npos != 1)
        return args_dispose(&a), cli_usage_error("case start: one PROCESS please");
    if ((rc = get_date("--date", a.date, ZF_DATE_NONE, &date)) ||
        (rc = open_store(&st, &a)))
        return args_dispose(&a), rc;
    process = a.pos[0];
    zf_error_clear(&e);
    if (strchr(process, '/') || strstr(process, ".xml")) {
        const zf_definition *def;
        if (zf_store_add_definition_file(&def, st, process, &e) != ZF_OK) {
            zf_store_free(st);
            return args_dispose(&a), fail(&e);
        }
        process = zf_definition_hash(def);
    }
    values_of(&a, vals);
    if (zf_store_start(&step, st, process, date, vals, (size_t)a.nvalues, &e) != ZF_OK)
        rc = fail(&e);
    else
        print_step(&step, a.json, "started");
    zf_store_free(st);
    args_dispose(&a);
    return rc;
}

static int case_change(int argc, char **argv, int fire) {
    args a;
    zf_store *st;
    zf_store_step step;
    zf_param_value vals[MAX_VALUES];
    zf_actor actor;
    int64_t id;
    zf_date date;
    zf_error e;
    int rc;
    unsigned mask = O_STORE | O_JSON | O_DATE | O_REVISION;
    if (fire)
        mask |= O_VAR | O_ACTOR | O_ROLE;
    if ((rc = parse(argc, argv, 2, mask, &a)))
        return rc;
    if (a.npos != (fire ? 2 : 1))
        return args_dispose(&a),
               cli_usage_error(
                   fire ? "case fire: usage: zaakflow case fire ID EVENT --date "
                          "DATE"
                        : "case advance: usage: zaakflow case advance ID --date "
                          "DATE");
    if ((rc = case_id_arg(a.pos[0], &id)) ||
        (rc = get_date("--date", a.date, ZF_DATE_NONE, &date)) ||
        (rc = open_store(&st, &a)))
        return args_dispose(&a), rc;
    values_of(&a, vals);
    actor.id = a.actor;
    actor.roles = a.roles;
    actor.nroles = (size_t)a.nroles;
    zf_error_clear(&e);
    if (fire)
        rc = zf_store_fire(&step, st, id, a.revision, a.pos[1], date, &actor, vals,
                           (size_t)a.nvalues, &e);
    else
        rc = zf_store_advance(&step, st, id, a.revision, date, &e);
    if (rc != ZF_OK)
        rc = fail(&e);
    else
        print_step(&step, a.json, fire ? "changed" : "advanced");
    zf_store_free(st);
    args_dispose(&a);
    return rc;
}

/* One journal item as a line of the timeline. */
static void print_item(const zf_journal_item *it) {
    char d[ZF_DATE_BUFSIZE];
    const char *day = it->date != ZF_DATE_NONE ? zf_date_format(d, it->date) : "?";
    zf_buf v = ZF_BUF_INIT;
    printf("            ");
    switch (it->kind) {
    case ZF_JOURNAL_LEFT:
        printf("left %s", it->name);
        break;
    case ZF_JOURNAL_ENTERED:
        printf("entered %s", it->name);
        break;
    case ZF_JOURNAL_TRANSITION:
        printf("basis: %s", it->text ? it->text : "-");
        break;
    case ZF_JOURNAL_TERM_STARTED:
        printf("term %s started, last day %s", it->name, day);
        break;
    case ZF_JOURNAL_TERM_STOPPED:
        printf("term %s stopped", it->name);
        break;
    case ZF_JOURNAL_TERM_EXPIRED:
        printf("term %s expired (last day %s)", it->name, day);
        break;
    case ZF_JOURNAL_TERM_SUSPENDED:
        printf("term %s suspended", it->name);
        break;
    case ZF_JOURNAL_TERM_RESUMED:
        printf("term %s resumed, last day %s", it->name, day);
        break;
    case ZF_JOURNAL_TERM_EXTENDED:
        printf("term %s extended by %s, last day %s", it->name, it->text, day);
        break;
    case ZF_JOURNAL_NOTIFY:
        printf("notify %s: %s", it->name, it->text);
        break;
    case ZF_JOURNAL_SPAWN:
        printf("spawn %s (%s)", it->name, it->text);
        break;
    case ZF_JOURNAL_SPAWN_PARAM:
    case ZF_JOURNAL_ASSIGN:
        zf_value_format(&v, &it->value, NULL);
        printf("%s %s = %s", it->kind == ZF_JOURNAL_ASSIGN ? "set" : "  with", it->name,
               v.ptr ? v.ptr : "");
        break;
    case ZF_JOURNAL_LOG:
        printf("log: %s", it->text);
        break;
    case ZF_JOURNAL_MIGRATED:
        printf("migrated from %s to %s", it->name ? it->name : "?",
               it->value.type == ZF_TYPE_STRING ? it->value.as.s : "?");
        if (it->text)
            printf("\n            basis: %s", it->text);
        break;
    case ZF_JOURNAL_TERM_MOVED:
        zf_value_format(&v, &it->value, NULL);
        printf("term %s moved, last day %s -> %s", it->name, v.ptr ? v.ptr : "-", day);
        break;
    }
    putchar('\n');
    zf_buf_dispose(&v);
}

static void json_case_info(const zf_store_case_info *ci) {
    printf("{\"id\":%lld,\"revision\":%lld,\"process\":", (long long)ci->id,
           (long long)ci->revision);
    cli_json_string(stdout, ci->process);
    printf(",\"version\":");
    json_text(stdout, ci->version);
    printf(",\"hash\":");
    json_text(stdout, ci->hash);
    printf(",\"started\":");
    json_date(stdout, ci->started);
    printf(",\"date\":");
    json_date(stdout, ci->date);
    printf(",\"active\":");
    cli_json_string(stdout, ci->active);
    printf(",\"finished\":%s,\"outcome\":", ci->finished ? "true" : "false");
    json_text(stdout, ci->outcome);
    printf(",\"next_due\":");
    json_date(stdout, ci->next_due);
    printf(",\"next_term\":");
    json_text(stdout, ci->next_term);
    if (ci->parent)
        printf(",\"parent\":%lld", (long long)ci->parent);
    else
        printf(",\"parent\":null");
    printf(",\"relation\":");
    json_text(stdout, ci->relation);
    putchar('}');
}

static int case_show(int argc, char **argv) {
    args a;
    zf_store *st;
    zf_store_case *c;
    zf_store_list *j = NULL;
    const zf_store_case_info *ci;
    const zf_instance *inst;
    int64_t id;
    zf_error e;
    int rc;
    if ((rc = parse(argc, argv, 2, O_STORE | O_JSON | O_SNAPSHOT, &a)))
        return rc;
    if (a.npos != 1)
        return cli_usage_error("case show: usage: zaakflow case show ID");
    if ((rc = case_id_arg(a.pos[0], &id)) || (rc = open_store(&st, &a)))
        return rc;
    zf_error_clear(&e);
    if (zf_store_read(&c, st, id, &e) != ZF_OK ||
        (!a.snapshot && zf_store_journal(&j, st, id, &e) != ZF_OK)) {
        zf_store_free(st);
        return fail(&e);
    }
    ci = zf_store_case_summary(c);
    inst = zf_store_case_instance(c);
    if (a.snapshot) {
        fputs(zf_store_case_snapshot(c), stdout);
    } else if (a.json) {
        printf("{\"case\":");
        json_case_info(ci);
        printf(",\"terms\":[");
        for (size_t i = 0, n = 0; i < zf_instance_term_count(inst); i++) {
            zf_term_info ti;
            if (zf_instance_term(&ti, inst, i, NULL) != ZF_OK ||
                ti.status == ZF_TERM_IDLE)
                continue;
            printf("%s{\"id\":", n++ ? "," : "");
            cli_json_string(stdout, ti.id);
            printf(",\"status\":\"%s\",\"last_day\":", zf_term_status_name(ti.status));
            json_date(stdout, ti.end);
            printf(",\"party\":");
            json_text(stdout, ti.party);
            printf(",\"basis\":");
            json_text(stdout, ti.basis);
            putchar('}');
        }
        printf("],\"journal\":[");
        for (size_t i = 0; i < zf_store_list_count(j); i++) {
            const zf_store_journal_entry *en = zf_store_list_journal(j, i);
            printf("%s{\"seq\":%u,\"revision\":%lld,\"date\":", i ? "," : "", en->seq,
                   (long long)en->revision);
            json_date(stdout, en->date);
            printf(",\"event\":");
            json_text(stdout, en->event);
            printf(",\"actor\":");
            json_text(stdout, en->actor);
            printf(",\"items\":%zu}", en->nitems);
        }
        printf("]}\n");
    } else {
        printf("case %lld: %s %s, revision %lld", (long long)ci->id, ci->process,
               ci->version ? ci->version : "-", (long long)ci->revision);
        if (ci->parent)
            printf(" (%s of case %lld)", ci->relation ? ci->relation : "-",
                   (long long)ci->parent);
        printf("\ndate:      ");
        put_date(stdout, ci->date);
        printf(" (started ");
        put_date(stdout, ci->started);
        printf(")\n%s %s\n", ci->finished ? "outcome:  " : "states:   ",
               ci->finished ? (ci->outcome ? ci->outcome : "-") : ci->active);
        printf("next due:  ");
        put_date(stdout, ci->next_due);
        printf("%s%s\n\nterms:\n", ci->next_term ? " " : "",
               ci->next_term ? ci->next_term : "");
        for (size_t i = 0; i < zf_instance_term_count(inst); i++) {
            zf_term_info ti;
            if (zf_instance_term(&ti, inst, i, NULL) != ZF_OK ||
                ti.status == ZF_TERM_IDLE)
                continue;
            printf("  %-28s %-9s ", ti.id, zf_term_status_name(ti.status));
            put_date(stdout, ti.end);
            printf("  %-16s %s\n", ti.party ? ti.party : "-", ti.basis ? ti.basis : "");
        }
        printf("\njournal:\n");
        for (size_t i = 0; i < zf_store_list_count(j); i++) {
            const zf_store_journal_entry *en = zf_store_list_journal(j, i);
            put_date(stdout, en->date);
            printf("  %s%s%s\n", en->event ? en->event : "(case started)",
                   en->actor ? "  by " : "", en->actor ? en->actor : "");
            for (size_t k = 0; k < en->nitems; k++)
                print_item(zf_store_list_journal_item(j, i, k));
        }
    }
    zf_store_list_free(j);
    zf_store_case_free(c);
    zf_store_free(st);
    return CLI_OK;
}

static int case_list(int argc, char **argv) {
    args a;
    zf_store *st;
    zf_store_list *l;
    zf_error e;
    int rc;
    if ((rc = parse(argc, argv, 2,
                    O_STORE | O_JSON | O_PROCESS | O_STATE | O_AFTER | O_LIMIT, &a)))
        return rc;
    if (a.npos)
        return cli_usage_error("case list: unexpected argument '%s'", a.pos[0]);
    if ((rc = open_store(&st, &a)))
        return rc;
    zf_error_clear(&e);
    if (zf_store_cases(&l, st, a.process, a.state, a.after, (size_t)a.limit, &e) !=
        ZF_OK) {
        zf_store_free(st);
        return fail(&e);
    }
    if (a.json)
        putchar('[');
    else if (zf_store_list_count(l))
        printf("%-6s  %-20s  %4s  %-10s  %-10s  %s\n", "case", "process", "rev", "date",
               "next due", "states / outcome");
    for (size_t i = 0; i < zf_store_list_count(l); i++) {
        const zf_store_case_info *ci = zf_store_list_case(l, i);
        if (a.json) {
            if (i)
                putchar(',');
            json_case_info(ci);
            continue;
        }
        printf("%-6lld  %-20s  %4lld  ", (long long)ci->id, ci->process,
               (long long)ci->revision);
        put_date(stdout, ci->date);
        printf("  ");
        if (ci->next_due == ZF_DATE_NONE)
            printf("%-10s", "-");
        else
            put_date(stdout, ci->next_due);
        printf("  %s%s\n", ci->finished ? "outcome: " : "",
               ci->finished ? (ci->outcome ? ci->outcome : "-") : ci->active);
    }
    if (a.json)
        printf("]\n");
    zf_store_list_free(l);
    zf_store_free(st);
    return CLI_OK;
}

int cmd_store_case(int argc, char **argv) {
    if (argc < 2)
        return case_help(), CLI_USAGE;
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
        !strcmp(argv[1], "help") || want_help(argc, argv, 2))
        return case_help();
    if (!strcmp(argv[1], "start"))
        return case_start(argc, argv);
    if (!strcmp(argv[1], "fire"))
        return case_change(argc, argv, 1);
    if (!strcmp(argv[1], "advance"))
        return case_change(argc, argv, 0);
    if (!strcmp(argv[1], "show"))
        return case_show(argc, argv);
    if (!strcmp(argv[1], "list"))
        return case_list(argc, argv);
    return cli_usage_error("case: unknown command '%s' (try 'zaakflow case --help')",
                           argv[1]);
}

/* ---- zaakflow due
 * ----------------------------------------------------------------------- */

int cmd_store_due(int argc, char **argv) {
    args a;
    zf_store *st;
    zf_store_list *l;
    zf_date until;
    zf_error e;
    int rc;
    if (want_help(argc, argv, 1)) {
        printf(
            "usage: zaakflow due [--until DATE] [--party P] [--limit N] [--store URL] "
            "[--json]\n\n"
            "The due report: every running term whose last day is on or before DATE\n"
            "(default: today, by this machine's clock), by last day: the date, the "
            "case,\n"
            "the term, who must act (the term's party) and its legal basis. --party\n"
            "lists only the terms on which P must act. Read from the due index: no case\n"
            "is restored. Suspended terms are not listed (they cannot expire).\n");
        return CLI_OK;
    }
    if ((rc = parse(argc, argv, 1, O_STORE | O_JSON | O_UNTIL | O_PARTY | O_LIMIT, &a)))
        return rc;
    if (a.npos)
        return cli_usage_error("due: unexpected argument '%s'", a.pos[0]);
    if ((rc = get_date("--until", a.until, today(), &until)) ||
        (rc = open_store(&st, &a)))
        return rc;
    zf_error_clear(&e);
    if (zf_store_due(&l, st, until, a.party, (size_t)a.limit, &e) != ZF_OK) {
        zf_store_free(st);
        return fail(&e);
    }
    if (a.json)
        putchar('[');
    else if (zf_store_list_count(l))
        printf("%-10s  %-6s  %-16s  %-28s  %-16s  %s\n", "last day", "case", "process",
               "term", "who must act", "basis");
    for (size_t i = 0; i < zf_store_list_count(l); i++) {
        const zf_store_due_item *d = zf_store_list_due(l, i);
        if (a.json) {
            printf("%s{\"last_day\":", i ? "," : "");
            json_date(stdout, d->last_day);
            printf(",\"case\":%lld,\"process\":", (long long)d->case_id);
            cli_json_string(stdout, d->process);
            printf(",\"term\":");
            cli_json_string(stdout, d->term);
            printf(",\"title\":");
            json_text(stdout, d->title);
            printf(",\"party\":");
            json_text(stdout, d->party);
            printf(",\"basis\":");
            json_text(stdout, d->basis);
            putchar('}');
            continue;
        }
        put_date(stdout, d->last_day);
        printf("  %-6lld  %-16s  %-28s  %-16s  %s\n", (long long)d->case_id, d->process,
               d->term, d->party ? d->party : "-", d->basis ? d->basis : "-");
    }
    if (a.json)
        printf("]\n");
    zf_store_list_free(l);
    zf_store_free(st);
    return CLI_OK;
}

/* ---- zaakflow outbox
 * -------------------------------------------------------------------- */

static void print_outbox(const zf_store_list *l, int json) {
    if (json)
        putchar('[');
    else if (zf_store_list_count(l))
        printf("%-6s  %-6s  %-12s  %-7s  %-10s  %-7s  %s\n", "item", "case", "key",
               "kind", "date", "status", "what");
    for (size_t i = 0; i < zf_store_list_count(l); i++) {
        const zf_store_outbox_item *o = zf_store_list_outbox(l, i);
        if (json) {
            printf("%s{\"id\":%lld,\"status\":", i ? "," : "", (long long)o->id);
            cli_json_string(stdout, o->status);
            printf(",\"attempts\":%d,\"error\":", o->attempts);
            json_text(stdout, o->error);
            printf(",\"effect\":%s}", o->payload);
            continue;
        }
        printf("%-6lld  %-6lld  %-12s  %-7s  ", (long long)o->id, (long long)o->case_id,
               o->key, o->kind == ZF_EFFECT_SPAWN ? "spawn" : "notify");
        put_date(stdout, o->date);
        if (o->kind == ZF_EFFECT_SPAWN)
            printf("  %-7s  %s %s: case %lld\n", o->status, o->relation, o->process,
                   (long long)o->spawned);
        else
            printf("  %-7s  to %s: %s\n", o->status, o->to, o->text);
    }
    if (json)
        printf("]\n");
}

int cmd_store_outbox(int argc, char **argv) {
    args a;
    zf_store *st;
    zf_store_list *l = NULL;
    zf_error e;
    int rc = CLI_OK;
    if (argc < 2 || want_help(argc, argv, 1)) {
        printf(
            "usage: zaakflow outbox COMMAND [--store URL] [--json]\n\n"
            "  list [--status pending|claimed|done] [--case ID] [--limit N]\n"
            "        the effects (notify, spawn) the cases produced, by id\n"
            "  claim [--max N] [--lease SECONDS]\n"
            "        take items for delivery (pending ones, and claimed ones whose "
            "lease\n"
            "        ended); deliver each with its key, then ack it\n"
            "  ack ID...            mark items delivered\n"
            "  release ID [--reason TEXT]\n"
            "        give a claimed item back (delivery failed)\n\n"
            "Items are delivered at least once: one not acknowledged before its lease\n"
            "ends (default 300 s) is claimed again, with the same key "
            "(CASE/REVISION/N).\n");
        return argc < 2 ? CLI_USAGE : CLI_OK;
    }
    if (!strcmp(argv[1], "list"))
        rc = parse(argc, argv, 2, O_STORE | O_JSON | O_STATUS | O_CASE | O_LIMIT, &a);
    else if (!strcmp(argv[1], "claim"))
        rc = parse(argc, argv, 2, O_STORE | O_JSON | O_MAX | O_LEASE | O_OWNER, &a);
    else if (!strcmp(argv[1], "ack"))
        rc = parse(argc, argv, 2, O_STORE, &a);
    else if (!strcmp(argv[1], "release"))
        rc = parse(argc, argv, 2, O_STORE | O_REASON, &a);
    else
        return cli_usage_error(
            "outbox: unknown command '%s' (try 'zaakflow outbox --help')", argv[1]);
    if (rc)
        return rc;
    if ((!strcmp(argv[1], "ack") || !strcmp(argv[1], "release")) && !a.npos)
        return cli_usage_error("outbox %s: which item?", argv[1]);
    if ((strcmp(argv[1], "ack") && strcmp(argv[1], "release") && a.npos) ||
        (!strcmp(argv[1], "release") && a.npos > 1))
        return cli_usage_error("outbox %s: unexpected argument '%s'", argv[1],
                               a.pos[a.npos - 1]);
    if ((rc = open_store(&st, &a)))
        return rc;
    zf_error_clear(&e);
    if (!strcmp(argv[1], "list") || !strcmp(argv[1], "claim")) {
        zf_code c =
            argv[1][0] == 'l'
                ? zf_store_outbox(&l, st, a.status, a.case_id, (size_t)a.limit, &e)
                : zf_store_outbox_claim(&l, st, (size_t)(a.max ? a.max : 10), &e);
        if (c != ZF_OK)
            rc = fail(&e);
        else
            print_outbox(l, a.json);
        zf_store_list_free(l);
    } else {
        for (int i = 0; i < a.npos && rc == CLI_OK; i++) {
            int64_t id;
            if ((rc = case_id_arg(a.pos[i], &id)))
                break;
            if ((argv[1][0] == 'a'
                     ? zf_store_outbox_ack(st, id, &e)
                     : zf_store_outbox_release(st, id, a.reason, &e)) != ZF_OK)
                rc = fail(&e);
        }
    }
    zf_store_free(st);
    return rc;
}

/* ---- zaakflow worker
 * ------------------------------------------------------------------------ */

int cmd_store_worker(int argc, char **argv) {
    args a;
    zf_store *st;
    zf_store_work_result res;
    zf_date until;
    zf_error e;
    char buf[ZF_DATE_BUFSIZE];
    int rc;
    if (want_help(argc, argv, 1)) {
        printf(
            "usage: zaakflow worker [--until DATE] [--batch N] [--lease SECONDS]\n"
            "                       [--owner NAME] [--store URL] [--json]\n\n"
            "Expire every term whose last day is before DATE (default: today, by this\n"
            "machine's clock; the library itself never reads a clock), each on the day\n"
            "after its last day, one transaction per case, and exit. Cases are claimed\n"
            "--batch at a time (default 32) for --lease seconds (default 300, by the\n"
            "database's clock). Any number of workers on any number of machines may run\n"
            "against one PostgreSQL store: a case is expired by one of them, and the\n"
            "cases of a worker that dies are taken over once its leases end. Exits 1 "
            "when\n"
            "a case could not be expired (it is reported and left for a later run).\n");
        return CLI_OK;
    }
    if ((rc = parse(argc, argv, 1,
                    O_STORE | O_JSON | O_UNTIL | O_BATCH | O_LEASE | O_OWNER, &a)))
        return rc;
    if (a.npos)
        return cli_usage_error("worker: unexpected argument '%s'", a.pos[0]);
    if ((rc = get_date("--until", a.until, today(), &until)) ||
        (rc = open_store(&st, &a)))
        return rc;
    zf_error_clear(&e);
    if (zf_store_work(&res, st, until, (size_t)a.batch, &e) != ZF_OK) {
        if (res.failed)
            fprintf(stderr, "%s: worker: %zu case%s failed; the first: %s [%s]\n",
                    cli_progname, res.failed, res.failed == 1 ? "" : "s", e.message,
                    zf_code_name(e.code));
        else
            rc = fail(&e);
    }
    if (rc == CLI_OK && res.failed)
        rc = CLI_FINDINGS;
    if (a.json)
        printf("{\"until\":\"%s\",\"cases\":%zu,\"expired\":%zu,\"skipped\":%zu,"
               "\"failed\":%zu,\"batches\":%zu}\n",
               zf_date_format(buf, until), res.cases, res.expired, res.skipped,
               res.failed, res.batches);
    else
        printf("worker until %s: %zu case%s, %zu expiration%s, %zu skipped, %zu failed\n",
               zf_date_format(buf, until), res.cases, res.cases == 1 ? "" : "s",
               res.expired, res.expired == 1 ? "" : "s", res.skipped, res.failed);
    zf_store_free(st);
    return rc;
}
