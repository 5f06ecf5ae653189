/*
 * zaakflow snapshot info [--json] [--key-file FILE] SNAPSHOT...
 *   what a snapshot is of, without its definition: process, version and hash (to
 *   find the definition), case date, steps, closed or open, next due day.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

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
    zf_buf key = ZF_BUF_INIT;
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
            zf_buf_clear(&key);
            if (cli_read_file(&key, argv[++i], ZF_SNAPSHOT_MAX_BYTES) != 0 || !key.size) {
                zf_buf_dispose(&key);
                return cli_usage_error("snapshot: cannot read a key from '%s'", argv[i]);
            }
        } else if (argv[i][0] == '-' && argv[i][1]) {
            zf_buf_dispose(&key);
            return cli_usage_error("snapshot: unknown option '%s'", argv[i]);
        } else
            nfiles++;
    }
    if (!nfiles) {
        zf_buf_dispose(&key);
        return cli_usage_error(
            "snapshot: no snapshot files (try 'zaakflow snapshot --help')");
    }
    o.key = (const unsigned char *)key.ptr;
    o.key_len = key.size;
    for (int i = 2; i < argc; i++) {
        zf_snapshot_summary s;
        zf_error e;
        zf_buf xml = ZF_BUF_INIT;
        if (!strcmp(argv[i], "--key-file")) {
            i++;
            continue;
        }
        if (argv[i][0] == '-' && argv[i][1])
            continue;
        if (cli_read_file(&xml, argv[i], ZF_SNAPSHOT_MAX_BYTES) != 0) {
            zf_buf_dispose(&xml);
            fprintf(stderr, "%s: cannot read '%s'\n", cli_progname, argv[i]);
            status = CLI_USAGE;
            continue;
        }
        if (zf_snapshot_info(&s, xml.ptr ? xml.ptr : "", xml.size, &o, &e) != ZF_OK) {
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
        zf_buf_dispose(&xml);
    }
    zf_buf_dispose(&key);
    return status;
}
