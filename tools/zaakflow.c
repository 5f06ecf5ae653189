/* zaakflow: the command-line tool. Dispatches to one function per subcommand. */
#include "cli.h"

#include <stdarg.h>
#include <stdlib.h>
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

char *cli_read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0;
    *len = 0;
    if (!f)
        return NULL;
    for (;;) {
        size_t got;
        if (*len + 4096 + 1 > cap) {
            char *nb = (char *)realloc(buf, cap = cap ? cap * 2 : 65536);
            if (!nb) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = nb;
        }
        got = fread(buf + *len, 1, cap - *len - 1, f);
        *len += got;
        if (!got)
            break;
    }
    fclose(f);
    buf[*len] = '\0';
    return buf;
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
