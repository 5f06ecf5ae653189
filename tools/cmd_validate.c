/*
 * zaakflow validate / dot / explain: check process definitions, draw one as a
 * Graphviz diagram, describe them in Markdown.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static void print_json(const zf_diagnostics *diags) {
    fputs("[", stdout);
    for (size_t i = 0; i < diags->count; i++) {
        const zf_diagnostic *d = &diags->items[i];
        fputs(i ? ",\n  {" : "\n  {", stdout);
        fputs("\"file\": ", stdout);
        cli_json_string(stdout, d->file);
        printf(
            ", \"line\": %d, \"column\": %d, \"severity\": \"%s\", \"code\": ", d->line,
            d->column, d->severity == ZF_SEVERITY_ERROR ? "error" : "warning");
        cli_json_string(stdout, d->severity == ZF_SEVERITY_ERROR ? zf_code_name(d->code)
                                                                 : "ZF_OK");
        fputs(", \"check\": ", stdout);
        cli_json_string(stdout, d->check);
        fputs(", \"message\": ", stdout);
        cli_json_string(stdout, d->message);
        fputs("}", stdout);
    }
    fputs(diags->count ? "\n]\n" : "]\n", stdout);
}

static int print_text(const zf_diagnostics *diags) {
    zf_buf buf = ZF_BUF_INIT;
    if (zf_diagnostics_format(&buf, diags, NULL) != ZF_OK) {
        zf_buf_dispose(&buf);
        return cli_usage_error("out of memory");
    }
    if (buf.ptr)
        fputs(buf.ptr, stderr);
    zf_buf_dispose(&buf);
    return CLI_OK;
}

static int any_io_error(const zf_diagnostics *diags) {
    for (size_t i = 0; i < diags->count; i++)
        if (diags->items[i].severity == ZF_SEVERITY_ERROR &&
            diags->items[i].code == ZF_EIO)
            return 1;
    return 0;
}

static void validate_usage(FILE *out) {
    fprintf(
        out,
        "usage: zaakflow validate [--json] [--werror] [--strict] [--no-beside] "
        "FILE...\n\n"
        "Check process definitions against the schema and the semantic rules, and\n"
        "together: no two files define the same process id and version, and a spawn\n"
        "names a process of the files, or one found beside the file that spawns it\n"
        "(same directory, by the id of its root element), passing what it declares.\n"
        "A spawned process found nowhere is a warning; --strict makes it an error.\n"
        "--no-beside looks only at the files given (a process not among them is an\n"
        "error). Findings go to stderr as FILE:LINE:COL: error|warning: message\n"
        "[code], or with --json as one JSON array on stdout. Exit status: 0 no errors,\n"
        "1 errors (or warnings with --werror), 2 a file cannot be read or the usage is\n"
        "wrong.\n");
}

int cmd_validate(int argc, char **argv) {
    int json = 0, werror = 0, nfiles = 0, status;
    const char **files;
    zf_diagnostics diags = ZF_DIAGNOSTICS_INIT;
    zf_validate_options opts = ZF_VALIDATE_OPTIONS_INIT;
    zf_error err;
    zf_code rc;

    files = (const char **)calloc((size_t)argc + 1, sizeof *files);
    if (!files)
        return cli_usage_error("out of memory");
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--json"))
            json = 1;
        else if (!strcmp(argv[i], "--werror"))
            werror = 1;
        else if (!strcmp(argv[i], "--strict"))
            opts.strict = 1;
        else if (!strcmp(argv[i], "--no-beside"))
            opts.beside = 0;
        else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            free(files);
            validate_usage(stdout);
            return CLI_OK;
        } else if (!strcmp(argv[i], "--")) {
            for (i++; i < argc; i++)
                files[nfiles++] = argv[i];
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            free(files);
            return cli_usage_error("validate: unknown option '%s'", argv[i]);
        } else
            files[nfiles++] = argv[i];
    }
    if (nfiles == 0) {
        free(files);
        validate_usage(stderr);
        return CLI_USAGE;
    }
    zf_error_clear(&err);
    rc = zf_validate_files_ext(&diags, files, (size_t)nfiles, &opts, &err);
    free(files);
    if (rc == ZF_ENOMEM || rc == ZF_EINVAL) {
        zf_diagnostics_dispose(&diags);
        return cli_usage_error("%s", err.message);
    }
    if (json)
        print_json(&diags);
    else if (print_text(&diags) != CLI_OK) {
        zf_diagnostics_dispose(&diags);
        return CLI_USAGE;
    }
    if (any_io_error(&diags))
        status = CLI_USAGE;
    else if (diags.errors > 0 || (werror && diags.warnings > 0))
        status = CLI_FINDINGS;
    else
        status = CLI_OK;
    zf_diagnostics_dispose(&diags);
    return status;
}

int cmd_dot(int argc, char **argv) {
    zf_diagnostics diags = ZF_DIAGNOSTICS_INIT;
    zf_definition *def = NULL;
    zf_buf buf = ZF_BUF_INIT;
    zf_error err;
    zf_code rc;

    if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        printf("usage: zaakflow dot FILE\n\nPrint the process as a Graphviz digraph "
               "(render with `dot -Tsvg`).\n");
        return CLI_OK;
    }
    if (argc != 2 || argv[1][0] == '-')
        return cli_usage_error("usage: zaakflow dot FILE");
    zf_error_clear(&err);
    rc = zf_definition_load(&def, argv[1], &diags, &err);
    if (rc != ZF_OK) {
        int io = rc == ZF_EIO || any_io_error(&diags);
        if (rc == ZF_ENOMEM)
            cli_usage_error("out of memory");
        else
            print_text(&diags);
        zf_diagnostics_dispose(&diags);
        return io || rc == ZF_ENOMEM ? CLI_USAGE : CLI_FINDINGS;
    }
    zf_diagnostics_dispose(&diags);
    zf_error_clear(&err);
    rc = zf_definition_dot(&buf, def, &err);
    zf_definition_free(def);
    if (rc != ZF_OK) {
        zf_buf_dispose(&buf);
        return cli_usage_error("%s", err.message);
    }
    fputs(buf.ptr ? buf.ptr : "", stdout);
    zf_buf_dispose(&buf);
    return CLI_OK;
}

/* The file name without directories: the output must not depend on where it runs. */
static const char *base_name(const char *path) {
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

static void explain_usage(FILE *out) {
    fprintf(
        out,
        "usage: zaakflow explain [--title TEXT] [--intro TEXT] FILE...\n\n"
        "Write a Markdown summary of each process definition to stdout: purpose, legal\n"
        "basis, states, events with parameters and roles, variables, terms with their\n"
        "articles, rate tables, transitions per state and links to other processes.\n"
        "Several files give one document with a table of contents, in the order given.\n"
        "--title starts the document with a level-1 heading and a note that it is\n"
        "generated; --intro adds a paragraph after it. The output depends only on the\n"
        "files' contents and names, so it can be checked in and compared.\n");
}

int cmd_explain(int argc, char **argv) {
    const char *title = NULL, *intro = NULL;
    const char **files;
    zf_definition **defs;
    int nfiles = 0, status = CLI_OK;
    zf_buf buf = ZF_BUF_INIT;

    files = (const char **)calloc((size_t)argc + 1, sizeof *files);
    defs = (zf_definition **)calloc((size_t)argc + 1, sizeof *defs);
    if (!files || !defs) {
        free(files);
        free(defs);
        return cli_usage_error("out of memory");
    }
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            explain_usage(stdout);
            free(files);
            free(defs);
            return CLI_OK;
        } else if (!strcmp(argv[i], "--title") && i + 1 < argc)
            title = argv[++i];
        else if (!strcmp(argv[i], "--intro") && i + 1 < argc)
            intro = argv[++i];
        else if (!strcmp(argv[i], "--")) {
            for (i++; i < argc; i++)
                files[nfiles++] = argv[i];
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            free(files);
            free(defs);
            return cli_usage_error("explain: unknown option '%s'", argv[i]);
        } else
            files[nfiles++] = argv[i];
    }
    if (nfiles == 0) {
        free(files);
        free(defs);
        explain_usage(stderr);
        return CLI_USAGE;
    }
    for (int i = 0; i < nfiles; i++) {
        zf_diagnostics diags = ZF_DIAGNOSTICS_INIT;
        zf_error err;
        zf_code rc;
        zf_error_clear(&err);
        rc = zf_definition_load(&defs[i], files[i], &diags, &err);
        if (rc != ZF_OK) {
            if (rc == ZF_ENOMEM)
                cli_usage_error("out of memory");
            else
                print_text(&diags);
            status = rc == ZF_EIO || rc == ZF_ENOMEM || any_io_error(&diags)
                         ? CLI_USAGE
                         : CLI_FINDINGS;
        }
        zf_diagnostics_dispose(&diags);
        if (status != CLI_OK)
            break;
    }
    if (status == CLI_OK) {
        zf_error err;
        zf_code rc = ZF_OK;
        zf_error_clear(&err);
        if (title) {
            rc = zf_buf_printf(&buf, "# %s\n\n", title);
            if (rc == ZF_OK)
                rc = zf_buf_puts(&buf,
                                 "<!-- Generated by `zaakflow explain`; do not edit by "
                                 "hand. -->\n\n");
            if (rc == ZF_OK && intro)
                rc = zf_buf_printf(&buf, "%s\n\n", intro);
        } else if (intro)
            rc = zf_buf_printf(&buf, "%s\n\n", intro);
        if (rc == ZF_OK && nfiles > 1) {
            rc = zf_buf_puts(
                &buf, "## Contents\n\n| process | title | file |\n|---|---|---|\n");
            for (int i = 0; i < nfiles && rc == ZF_OK; i++) {
                const char *id = zf_definition_id(defs[i]);
                const char *t = zf_definition_title(defs[i]);
                rc = zf_buf_printf(&buf, "| [`%s`](#process-%s) | %s | `%s` |\n", id, id,
                                   t ? t : "", base_name(files[i]));
            }
            if (rc == ZF_OK)
                rc = zf_buf_puts(&buf, "\n");
        }
        for (int i = 0; i < nfiles && rc == ZF_OK; i++) {
            if (i)
                rc = zf_buf_puts(&buf, "\n---\n\n");
            if (rc == ZF_OK)
                rc = zf_definition_explain(&buf, defs[i], &err);
        }
        if (rc != ZF_OK)
            status =
                cli_usage_error("%s", err.message[0] ? err.message : "out of memory");
        else
            fputs(buf.ptr ? buf.ptr : "", stdout);
    }
    for (int i = 0; i < nfiles; i++)
        zf_definition_free(defs[i]);
    zf_buf_dispose(&buf);
    free(files);
    free(defs);
    return status;
}
