/* zaakflow: the command-line tool. Dispatches to one function per subcommand. */
#include "cli.h"

#include <stdarg.h>
#include <string.h>

const char *cli_progname = "zaakflow";

int cli_usage_error(const char *fmt, ...) {
    va_list ap;
    fprintf(stderr, "%s: ", cli_progname);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return CLI_USAGE;
}

const char *cli_opt_value(int argc, char **argv, int *i, const char *name, int *missing) {
    size_t len = strlen(name);
    const char *arg = argv[*i];
    *missing = 0;
    if (strncmp(arg, name, len) != 0)
        return NULL;
    if (arg[len] == '=')
        return arg + len + 1;
    if (arg[len] != '\0')
        return NULL;
    if (*i + 1 >= argc) {
        *missing = 1;
        return NULL;
    }
    return argv[++*i];
}

int cli_read_file(zf_buf *out, const char *path, size_t max) {
    char chunk[65536];
    size_t total = 0, got;
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    while (total <= max && (got = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (got > max + 1 - total)
            got = max + 1 - total;
        if (zf_buf_put(out, chunk, got) != ZF_OK)
            break;
        total += got;
    }
    if (ferror(f) || (total <= max && !feof(f))) {
        fclose(f);
        return -1;
    }
    fclose(f);
    return 0;
}

void cli_json_string(FILE *out, const char *s) {
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(out, "\\%c", *p);
        else if (*p == '\n')
            fputs("\\n", out);
        else if (*p < 0x20)
            fprintf(out, "\\u%04x", *p);
        else
            fputc(*p, out);
    }
    fputc('"', out);
}

static const struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} commands[] = {
    {"deadline", cmd_deadline, "compute the last day of a statutory term"},
    {"calendar", cmd_calendar, "list the non-working days of a year"},
    {"validate", cmd_validate, "check process definitions (schema and semantics)"},
    {"dot", cmd_dot, "print a process definition as a Graphviz diagram"},
    {"explain", cmd_explain, "describe process definitions in Markdown"},
    {"test", cmd_test, "run scenario tests (--coverage: states and transitions taken)"},
    {"run", cmd_run, "print the timeline of a case driven by a scenario"},
    {"canonical", cmd_canonical, "print the canonical form (or --hash) of a definition"},
    {"migrate", cmd_migrate, "move cases to another version (--plan: show what changes)"},
    {"zgw", cmd_zgw, "ZGW: export zaaktypen, show the Zaak view of a case"},
    {"snapshot", cmd_snapshot, "what a snapshot is of (info), without its definition"},
#ifdef ZF_CLI_STORE
    {"store", cmd_store, "keep process definitions in a case store"},
    {"case", cmd_store_case, "start, fire, advance, show and list stored cases"},
    {"due", cmd_store_due, "the due report: running terms, who must act, by last day"},
    {"worker", cmd_store_worker, "expire every term due by a date, one case at a time"},
    {"outbox", cmd_store_outbox, "list, claim and acknowledge effects for delivery"},
#endif
};

static int help(FILE *out) {
    fprintf(out, "usage: zaakflow COMMAND [OPTIONS]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "  %-10s %s\n", "help", "show this text");
    fprintf(out, "\noptions:\n  --version  print the version\n");
    fprintf(out, "\n`zaakflow COMMAND --help` describes a command.\n");
    return CLI_OK;
}

int main(int argc, char **argv) {
    if (argc < 2)
        return help(stderr), CLI_USAGE;
    if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
        printf("zaakflow %s\n", zf_version());
        return CLI_OK;
    }
    if (!strcmp(argv[1], "help") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
        return help(stdout);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(argv[1], commands[i].name))
            return commands[i].run(argc - 1, argv + 1);
    return cli_usage_error("unknown command '%s' (try 'zaakflow help')", argv[1]);
}
