/*
 * zaakflow snapshot info [--json] [--key-file FILE] SNAPSHOT...
 *   what a snapshot is of, without its definition: process, version and hash (to
 *   find the definition), case date, steps, closed or open, next due day.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

/* A whole file into *out (free() it). 0, or -1 with errno-style text in msg. */
static int read_all(const char *path, char **out, size_t *len) {
    FILE *f = fopen(path, "rb");
    char *b = NULL;
    size_t n = 0, cap = 0;
    if (!f)
        return -1;
    for (;;) {
        if (n == cap) {
            char *nb;
            /* Beyond the library's limit it refuses the snapshot itself: one
               byte more than the limit is read to let it. */
            if (cap > ZF_SNAPSHOT_MAX_BYTES)
                break;
            cap = cap ? cap * 2 : 65536;
            if (!(nb = realloc(b, cap))) {
                free(b);
                fclose(f);
                return -1;
            }
            b = nb;
        }
        size_t got = fread(b + n, 1, cap - n, f);
        n += got;
        if (!got)
            break;
    }
    if (ferror(f)) {
        free(b);
        fclose(f);
        return -1;
    }
    fclose(f);
    *out = b;
    *len = n;
    return 0;
}

static void print_text(const char *path, const zf_snapshot_summary *s, int many) {
    char d[ZF_DATE_BUFSIZE];
    if (many)
        printf("%s:\n", path);
    printf("process   %s\nversion   %s\nhash      %s\n", s->process, s->version, s->hash);
    printf("date      %s\nsteps     %lu\n", zf_date_format(d, s->date), s->seq);
    if (s->finished)
        printf("case      closed%s%s\n", s->outcome[0] ? ", outcome " : "", s->outcome);
    else
        printf("case      open\n");
    if (s->next_due != ZF_DATE_NONE)
        printf("next due  %s (%s)\n", zf_date_format(d, s->next_due), s->next_term);
    else
        printf("next due  none\n");
    printf("journal   %zu entries\n", s->journal_entries);
    printf("sealed    %s\n", s->sealed ? "yes (hmac-sha256)" : "no (sha256 digest only)");
}

static void print_json(const char *path, const zf_snapshot_summary *s) {
    char d[ZF_DATE_BUFSIZE];
    printf("{\"file\": ");
    cli_json_string(stdout, path);
    printf(", \"process\": ");
    cli_json_string(stdout, s->process);
    printf(", \"version\": ");
    cli_json_string(stdout, s->version);
    printf(", \"hash\": \"%s\", \"date\": \"%s\", \"steps\": %lu, \"finished\": %s",
           s->hash, zf_date_format(d, s->date), s->seq, s->finished ? "true" : "false");
    printf(", \"outcome\": ");
    if (s->outcome[0])
        cli_json_string(stdout, s->outcome);
    else
        printf("null");
    if (s->next_due != ZF_DATE_NONE) {
        printf(", \"next_due\": \"%s\", \"next_term\": ", zf_date_format(d, s->next_due));
        cli_json_string(stdout, s->next_term);
    } else {
        printf(", \"next_due\": null, \"next_term\": null");
    }
    printf(", \"journal_entries\": %zu, \"sealed\": %s}\n", s->journal_entries,
           s->sealed ? "true" : "false");
}

int cmd_snapshot(int argc, char **argv) {
    zf_instance_options o = ZF_INSTANCE_OPTIONS_INIT;
    char *key = NULL;
    size_t key_len = 0;
    int json = 0, nfiles = 0, status = CLI_OK;
    if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        printf("usage: zaakflow snapshot info [--json] [--key-file FILE] SNAPSHOT...\n\n"
               "What a snapshot is of, read without its definition: process id,\n"
               "version and hash (the definition to restore it with), case date, steps\n"
               "run, closed (with the outcome) or open, the next due day and its term,\n"
               "journal entries, and whether it is sealed with a key. The SHA-256\n"
               "digest is checked; with --key-file (the key's bytes) the HMAC too, and\n"
               "a snapshot not sealed with that key is refused. Exit status 1 when a\n"
               "snapshot is refused (corrupt, not a snapshot, not sealed).\n");
        return CLI_OK;
    }
    if (argc < 2 || strcmp(argv[1], "info"))
        return cli_usage_error("snapshot: usage: zaakflow snapshot info [--json] "
                               "[--key-file FILE] SNAPSHOT...");
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--json"))
            json = 1;
        else if (!strcmp(argv[i], "--key-file") && i + 1 < argc) {
            free(key);
            if (read_all(argv[++i], &key, &key_len) != 0 || !key_len) {
                free(key);
                return cli_usage_error("snapshot: cannot read a key from '%s'", argv[i]);
            }
        } else if (argv[i][0] == '-' && argv[i][1]) {
            free(key);
            return cli_usage_error("snapshot: unknown option '%s'", argv[i]);
        } else
            nfiles++;
    }
    if (!nfiles) {
        free(key);
        return cli_usage_error(
            "snapshot: no snapshot files (try 'zaakflow snapshot --help')");
    }
    o.key = (const unsigned char *)key;
    o.key_len = key_len;
    for (int i = 2; i < argc; i++) {
        zf_snapshot_summary s;
        zf_error e;
        char *xml;
        size_t len;
        if (!strcmp(argv[i], "--key-file")) {
            i++;
            continue;
        }
        if (argv[i][0] == '-' && argv[i][1])
            continue;
        if (read_all(argv[i], &xml, &len) != 0) {
            fprintf(stderr, "%s: cannot read '%s'\n", cli_progname, argv[i]);
            status = CLI_USAGE;
            continue;
        }
        if (zf_snapshot_info(&s, xml, len, &o, &e) != ZF_OK) {
            if (e.line)
                fprintf(stderr, "%s:%d:%d: error: %s [%s]\n", argv[i], e.line, e.column,
                        e.message, zf_code_name(e.code));
            else
                fprintf(stderr, "%s: error: %s [%s]\n", argv[i], e.message,
                        zf_code_name(e.code));
            if (status == CLI_OK)
                status = CLI_FINDINGS;
        } else if (json) {
            print_json(argv[i], &s);
        } else {
            print_text(argv[i], &s, nfiles > 1);
        }
        free(xml);
    }
    free(key);
    return status;
}
