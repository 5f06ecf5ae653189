/*
 * zaakflow canonical / migrate: the canonical form and hash of a definition
 * (docs/versions.md), and migration of running cases to another version of
 * their process (docs/migration.md).
 */
#define _XOPEN_SOURCE 700 /* opendir() */
#include "cli.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Load one definition, printing its findings on failure; the exit status or -1. */
static int load_def(zf_definition **out, const char *path) {
    zf_diagnostics diags = ZF_DIAGNOSTICS_INIT;
    zf_buf buf = ZF_BUF_INIT;
    zf_error err;
    zf_code rc;
    zf_error_clear(&err);
    rc = zf_definition_load(out, path, &diags, &err);
    if (rc == ZF_OK) {
        zf_diagnostics_dispose(&diags);
        return -1;
    }
    if (rc == ZF_ENOMEM || zf_diagnostics_format(&buf, &diags, NULL) != ZF_OK)
        cli_usage_error("out of memory");
    else
        fputs(buf.ptr ? buf.ptr : "", stderr);
    zf_buf_dispose(&buf);
    zf_diagnostics_dispose(&diags);
    return rc == ZF_EIO || rc == ZF_ENOMEM ? CLI_USAGE : CLI_FINDINGS;
}

int cmd_canonical(int argc, char **argv) {
    zf_definition *def = NULL;
    zf_buf buf = ZF_BUF_INIT;
    zf_error err;
    const char *file = NULL;
    int hash = 0, status;

    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            printf("usage: zaakflow canonical [--hash] FILE\n\n"
                   "Print the canonical form of a process definition: what its hash\n"
                   "covers, one declaration or statement a line (docs/versions.md).\n"
                   "Diff two versions' forms to see what changed in meaning. --hash\n"
                   "prints only the hash, the SHA-256 of that text.\n");
            return CLI_OK;
        } else if (!strcmp(argv[i], "--hash"))
            hash = 1;
        else if (argv[i][0] == '-' || file)
            return cli_usage_error("usage: zaakflow canonical [--hash] FILE");
        else
            file = argv[i];
    }
    if (!file)
        return cli_usage_error("usage: zaakflow canonical [--hash] FILE");
    if ((status = load_def(&def, file)) >= 0)
        return status;
    zf_error_clear(&err);
    if (hash) {
        printf("%s\n", zf_definition_hash(def));
    } else if (zf_definition_canonical(&buf, def, &err) != ZF_OK) {
        zf_buf_dispose(&buf);
        zf_definition_free(def);
        return cli_usage_error("%s", err.message);
    } else
        fputs(buf.ptr ? buf.ptr : "", stdout);
    zf_buf_dispose(&buf);
    zf_definition_free(def);
    return CLI_OK;
}

/* ---- zaakflow migrate ----------------------------------------------------- */

/* Whether a file's root element is <name> in namespace `ns` (a cheap look at its
 * first bytes: the library parses it properly when it is loaded). */
static int root_is(const char *path, const char *name, const char *ns) {
    char buf[4096];
    size_t n;
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    for (char *p = buf; (p = strchr(p, '<')) != NULL; p++) {
        if (p[1] == '?' || p[1] == '!')
            continue;
        return !strncmp(p + 1, name, strlen(name)) && strstr(p, ns) != NULL;
    }
    return 0;
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Load every process definition in `dir` (in name order) into the registry. */
static int load_dir(zf_registry *reg, const char *dir) {
    DIR *d = opendir(dir);
    struct dirent *de;
    char **names = NULL;
    size_t n = 0, cap = 0;
    int status = CLI_OK;
    if (!d)
        return cli_usage_error("migrate: cannot read directory '%s'", dir);
    while ((de = readdir(d)) != NULL) {
        size_t len = strlen(de->d_name);
        if (len < 5 || strcmp(de->d_name + len - 4, ".xml"))
            continue;
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 16;
            char **p = nc > SIZE_MAX / sizeof *p
                           ? NULL
                           : (char **)realloc(names, nc * sizeof *p);
            if (!p)
                break;
            names = p;
            cap = nc;
        }
        if (!(names[n] = (char *)malloc(strlen(dir) + len + 2)))
            break;
        sprintf(names[n++], "%s/%s", dir, de->d_name);
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = 0; i < n; i++) {
        zf_diagnostics diags = ZF_DIAGNOSTICS_INIT;
        zf_buf buf = ZF_BUF_INIT;
        zf_error err;
        if (status == CLI_OK && root_is(names[i], "process", ZF_PROCESS_NS) &&
            zf_registry_load(NULL, reg, names[i], &diags, &err) != ZF_OK) {
            if (diags.errors && zf_diagnostics_format(&buf, &diags, NULL) == ZF_OK)
                fputs(buf.ptr, stderr);
            else
                fprintf(stderr, "%s: error: %s [%s]\n", names[i], err.message,
                        zf_code_name(err.code));
            status =
                err.code == ZF_EIO || err.code == ZF_ENOMEM ? CLI_USAGE : CLI_FINDINGS;
        }
        zf_buf_dispose(&buf);
        zf_diagnostics_dispose(&diags);
        free(names[i]);
    }
    free(names);
    return status;
}

static const char *base_name(const char *path) {
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

typedef struct mopts {
    int plan, json;
    const char *out, *actor;
    zf_date date; /* ZF_DATE_NONE: each case's own date */
    zf_buf key;   /* --key-file: the host key's bytes (size 0: none) */
} mopts;

/* One deadline that moves, read from the migration's journal entry. */
typedef struct moved {
    const char *term;
    zf_date before, after; /* ZF_DATE_NONE: not running */
} moved;

#define MAX_MOVED 64

/* The deadlines that move: the term items of the last journal entry. */
static size_t deadlines(const zf_instance *old, const zf_instance *now, moved *out) {
    size_t last = zf_instance_journal_count(now) - 1, n = 0;
    zf_journal_entry e;
    if (zf_instance_journal_entry(&e, now, last, NULL) != ZF_OK)
        return 0;
    for (size_t j = 0; j < e.nitems && n < MAX_MOVED; j++) {
        zf_journal_item it;
        zf_term_info ti;
        zf_instance_journal_item(&it, now, last, j, NULL);
        if (it.kind == ZF_JOURNAL_TERM_MOVED) {
            out[n].term = it.name;
            out[n].before = it.value.as.date;
            out[n++].after = it.date;
        } else if (it.kind == ZF_JOURNAL_TERM_STARTED) {
            out[n].term = it.name;
            out[n].before = ZF_DATE_NONE;
            out[n++].after = it.date;
        } else if (it.kind == ZF_JOURNAL_TERM_STOPPED) {
            out[n].term = it.name;
            out[n].before = zf_instance_term_by_id(&ti, old, it.name, NULL) == ZF_OK
                                ? ti.end
                                : ZF_DATE_NONE;
            out[n++].after = ZF_DATE_NONE;
        }
    }
    return n;
}

static void print_states(const zf_instance *in, int json) {
    for (size_t i = 0; i < zf_instance_active_count(in); i++) {
        if (json) {
            fputs(i ? ", " : "", stdout);
            cli_json_string(stdout, zf_instance_active_id(in, i));
        } else
            printf("%s%s", i ? ", " : "", zf_instance_active_id(in, i));
    }
}

static const char *day_or(zf_date d, char *buf, const char *none) {
    return d == ZF_DATE_NONE ? none : zf_date_format(buf, d);
}

static void print_plan(const char *file, const zf_instance *old, const zf_instance *now,
                       zf_date date, const char *written, int json, int first) {
    const zf_definition *a = zf_instance_definition(old),
                        *b = zf_instance_definition(now);
    moved m[MAX_MOVED];
    size_t n = deadlines(old, now, m);
    char d1[ZF_DATE_BUFSIZE], d2[ZF_DATE_BUFSIZE];
    if (!json) {
        printf("%s: %s %s -> %s %s on %s\n  states     ", file, zf_definition_id(a),
               zf_definition_version(a), zf_definition_id(b), zf_definition_version(b),
               zf_date_format(d1, date));
        print_states(old, 0);
        fputs(" -> ", stdout);
        print_states(now, 0);
        fputs("\n", stdout);
        if (!n)
            printf("  deadlines  none move\n");
        for (size_t i = 0; i < n; i++)
            printf("  deadline   %s: %s -> %s\n", m[i].term,
                   day_or(m[i].before, d1, "(not running)"),
                   day_or(m[i].after, d2, "(stopped)"));
        if (written)
            printf("  written    %s\n", written);
        return;
    }
    fputs(first ? "\n  {" : ",\n  {", stdout);
    fputs("\"snapshot\": ", stdout);
    cli_json_string(stdout, file);
    fputs(", \"process\": ", stdout);
    cli_json_string(stdout, zf_definition_id(a));
    fputs(", \"from\": ", stdout);
    cli_json_string(stdout, zf_definition_version(a));
    fputs(", \"to\": ", stdout);
    cli_json_string(stdout, zf_definition_version(b));
    printf(", \"date\": \"%s\", \"before\": [", zf_date_format(d1, date));
    print_states(old, 1);
    fputs("], \"after\": [", stdout);
    print_states(now, 1);
    fputs("], \"deadlines\": [", stdout);
    for (size_t i = 0; i < n; i++) {
        fputs(i ? ", {\"term\": " : "{\"term\": ", stdout);
        cli_json_string(stdout, m[i].term);
        fputs(", \"before\": ", stdout);
        if (m[i].before == ZF_DATE_NONE)
            fputs("null", stdout);
        else
            printf("\"%s\"", zf_date_format(d1, m[i].before));
        fputs(", \"after\": ", stdout);
        if (m[i].after == ZF_DATE_NONE)
            fputs("null", stdout);
        else
            printf("\"%s\"", zf_date_format(d2, m[i].after));
        fputs("}", stdout);
    }
    fputs("]", stdout);
    if (written) {
        fputs(", \"written\": ", stdout);
        cli_json_string(stdout, written);
    }
    fputs("}", stdout);
}

static int case_error(const char *file, const zf_error *e) {
    fprintf(stderr, "%s: error: %s [%s]\n", file, e->message, zf_code_name(e->code));
    return e->code == ZF_EIO || e->code == ZF_ENOMEM ? CLI_USAGE : CLI_FINDINGS;
}

/* Migrate one snapshot file; the exit status it asks for. */
static int migrate_one(const char *file, const zf_registry *reg, const zf_migration *mig,
                       const zf_definition *to, const mopts *o, int *first) {
    zf_instance_options io = ZF_INSTANCE_OPTIONS_INIT;
    zf_instance *old = NULL, *now = NULL;
    zf_buf out = ZF_BUF_INIT;
    char written[2048] = "";
    zf_error e;
    zf_date date;
    zf_buf xml = ZF_BUF_INIT;
    int status = CLI_OK;
    zf_error_clear(&e);
    if (cli_read_file(&xml, file, ZF_SNAPSHOT_MAX_BYTES) != 0) {
        zf_buf_dispose(&xml);
        fprintf(stderr, "%s: error: cannot read the snapshot [ZF_EIO]\n", file);
        return CLI_USAGE;
    }
    io.journal = 1; /* the migration is journaled */
    /* With the key the MAC is checked and the migrated case sealed with it again. A
       sealed snapshot is not written back without it: the seal would be lost. */
    io.key = o->key.size ? (const unsigned char *)o->key.ptr : NULL;
    io.key_len = o->key.size;
    if (o->out && !o->key.size) {
        zf_snapshot_summary sum;
        if (zf_snapshot_info(&sum, xml.ptr ? xml.ptr : "", xml.size, NULL, &e) == ZF_OK &&
            sum.sealed) {
            zf_buf_dispose(&xml);
            fprintf(stderr,
                    "%s: error: the snapshot is sealed with a key: give it with "
                    "--key-file, so that the migrated snapshot is sealed too\n",
                    file);
            return CLI_FINDINGS;
        }
    }
    if (zf_registry_restore(&old, reg, xml.ptr ? xml.ptr : "", xml.size, &io, &e) !=
        ZF_OK) {
        zf_buf_dispose(&xml);
        return case_error(file, &e);
    }
    zf_buf_dispose(&xml);
    if (strcmp(zf_definition_hash(zf_instance_definition(old)),
               zf_migration_from_hash(mig))) {
        fprintf(stderr,
                "%s: error: the case runs on %s %s, the migration is from %s %s\n", file,
                zf_definition_id(zf_instance_definition(old)),
                zf_definition_version(zf_instance_definition(old)),
                zf_migration_from_id(mig), zf_migration_from_version(mig));
        zf_instance_free(old);
        return CLI_FINDINGS;
    }
    date = o->date != ZF_DATE_NONE ? o->date : zf_instance_date(old);
    /* Terms that ran out before the migration date expire under the old version. */
    if ((date > zf_instance_date(old) && zf_instance_advance(old, date, &e) != ZF_OK) ||
        zf_instance_migrate(&now, old, mig, to, date, o->actor, &e) != ZF_OK) {
        zf_instance_free(old);
        return case_error(file, &e);
    }
    if (o->out) {
        FILE *f = NULL;
        snprintf(written, sizeof written, "%s/%s", o->out, base_name(file));
        if (zf_instance_snapshot(&out, now, &e) != ZF_OK)
            status = case_error(file, &e);
        else if (!(f = fopen(written, "wb")) ||
                 fwrite(out.ptr, 1, out.size, f) != out.size) {
            fprintf(stderr, "%s: error: cannot write '%s' [ZF_EIO]\n", file, written);
            status = CLI_USAGE;
        }
        if (f && fclose(f) != 0 && status == CLI_OK) {
            fprintf(stderr, "%s: error: cannot write '%s' [ZF_EIO]\n", file, written);
            status = CLI_USAGE;
        }
    }
    if (status == CLI_OK) {
        print_plan(file, old, now, date, o->out ? written : NULL, o->json, *first);
        *first = 0;
    }
    zf_buf_dispose(&out);
    zf_instance_free(now);
    zf_instance_free(old);
    return status;
}

static void migrate_usage(FILE *f) {
    fprintf(
        f,
        "usage: zaakflow migrate --plan [--json] [OPTIONS] MIGRATION SNAPSHOT...\n"
        "       zaakflow migrate --out DIR [--json] [OPTIONS] MIGRATION SNAPSHOT...\n\n"
        "Move running cases to another version of their process (docs/migration.md).\n"
        "--plan prints, per case, the states before and after and every deadline\n"
        "that moves (old last day -> new last day), and changes nothing; --out DIR\n"
        "writes each migrated snapshot to DIR (made when missing) under its own file\n"
        "name.\n\n"
        "options:\n"
        "  --date YYYY-MM-DD  the migration date (default: each case's own date); a\n"
        "                     case is first advanced to it under its old version\n"
        "  --actor ID         who migrates, journaled\n"
        "  --registry DIR     where the definitions are (repeatable; default: the\n"
        "                     migration's directory and the one above it)\n"
        "  --key-file FILE    the host key of sealed snapshots (its bytes): their MAC\n"
        "                     is checked and the migrated snapshots are sealed with\n"
        "                     it (--out refuses a sealed snapshot without it)\n"
        "  --json             one JSON array of cases on stdout\n");
}

int cmd_migrate(int argc, char **argv) {
    mopts o = {0, 0, NULL, NULL, ZF_DATE_NONE, ZF_BUF_INIT};
    const char **dirs = (const char **)calloc((size_t)argc + 2, sizeof *dirs);
    const char **files = (const char **)calloc((size_t)argc + 1, sizeof *files);
    int ndirs = 0, nfiles = 0, status = CLI_OK, first = 1;
    zf_registry *reg = NULL;
    zf_migration *mig = NULL;
    zf_diagnostics diags = ZF_DIAGNOSTICS_INIT;
    const zf_definition *to = NULL;
    char migdir[2048], parent[2056];
    zf_error e;

    if (!dirs || !files) {
        free(dirs);
        free(files);
        zf_buf_dispose(&o.key);
        return cli_usage_error("out of memory");
    }
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            migrate_usage(stdout);
            free(dirs);
            free(files);
            zf_buf_dispose(&o.key);
            return CLI_OK;
        } else if (!strcmp(argv[i], "--plan"))
            o.plan = 1;
        else if (!strcmp(argv[i], "--json"))
            o.json = 1;
        else if (!strcmp(argv[i], "--out") && i + 1 < argc)
            o.out = argv[++i];
        else if (!strcmp(argv[i], "--actor") && i + 1 < argc)
            o.actor = argv[++i];
        else if (!strcmp(argv[i], "--registry") && i + 1 < argc)
            dirs[ndirs++] = argv[++i];
        else if (!strcmp(argv[i], "--key-file") && i + 1 < argc) {
            zf_buf_clear(&o.key);
            if (cli_read_file(&o.key, argv[++i], ZF_SNAPSHOT_MAX_BYTES) != 0 ||
                !o.key.size) {
                free(dirs);
                free(files);
                zf_buf_dispose(&o.key);
                return cli_usage_error("migrate: cannot read a key from '%s'", argv[i]);
            }
        } else if (!strcmp(argv[i], "--date") && i + 1 < argc) {
            if (zf_date_parse(&o.date, argv[++i], NULL) != ZF_OK) {
                free(dirs);
                free(files);
                zf_buf_dispose(&o.key);
                return cli_usage_error("migrate: '%s' is not a date", argv[i]);
            }
        } else if (argv[i][0] == '-' && argv[i][1]) {
            free(dirs);
            free(files);
            zf_buf_dispose(&o.key);
            return cli_usage_error("migrate: unknown option '%s'", argv[i]);
        } else
            files[nfiles++] = argv[i];
    }
    if (nfiles < 2 || o.plan == !!o.out) {
        free(dirs);
        free(files);
        zf_buf_dispose(&o.key);
        return cli_usage_error(
            "migrate: usage: zaakflow migrate --plan|--out DIR MIGRATION "
            "SNAPSHOT... (try 'zaakflow migrate --help')");
    }
    if (!ndirs) {
        const char *slash = strrchr(files[0], '/');
        snprintf(migdir, sizeof migdir, "%.*s", slash ? (int)(slash - files[0]) : 1,
                 slash ? files[0] : ".");
        snprintf(parent, sizeof parent, "%s/..", migdir);
        dirs[ndirs++] = migdir;
        dirs[ndirs++] = parent;
    }
    zf_error_clear(&e);
    if (zf_registry_new(&reg, &e) != ZF_OK)
        status = cli_usage_error("%s", e.message);
    for (int i = 0; i < ndirs && status == CLI_OK; i++)
        status = load_dir(reg, dirs[i]);
    if (status == CLI_OK &&
        zf_registry_load_migration(&mig, reg, files[0], &diags, &e) != ZF_OK) {
        zf_buf buf = ZF_BUF_INIT;
        if (diags.count && zf_diagnostics_format(&buf, &diags, NULL) == ZF_OK)
            fputs(buf.ptr, stderr);
        else
            fprintf(stderr, "%s: error: %s [%s]\n", files[0], e.message,
                    zf_code_name(e.code));
        zf_buf_dispose(&buf);
        status = e.code == ZF_EIO || e.code == ZF_ENOMEM || e.code == ZF_EINVAL
                     ? CLI_USAGE
                     : CLI_FINDINGS;
    }
    if (status == CLI_OK && zf_registry_find(&to, reg, zf_migration_to_id(mig),
                                             zf_migration_to_version(mig), &e) != ZF_OK)
        status = cli_usage_error("%s", e.message);
    if (status == CLI_OK && o.out && mkdir(o.out, 0777) != 0 && errno != EEXIST)
        status = cli_usage_error("migrate: cannot create directory '%s'", o.out);
    if (status == CLI_OK) {
        if (o.json)
            fputs("[", stdout);
        for (int i = 1; i < nfiles; i++) {
            int st = migrate_one(files[i], reg, mig, to, &o, &first);
            if (st > status)
                status = st;
        }
        if (o.json)
            fputs(first ? "]\n" : "\n]\n", stdout);
    }
    zf_diagnostics_dispose(&diags);
    zf_migration_free(mig);
    zf_registry_free(reg);
    free(dirs);
    free(files);
    zf_buf_dispose(&o.key);
    return status;
}
