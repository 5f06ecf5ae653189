/*
 * zaakflow zgw export PROCESS.xml... --config FILE --out DIR
 * zaakflow zgw check PROCESS.xml... --config FILE
 * zaakflow zgw case SNAPSHOT --process PROCESS.xml --config FILE --zaak URL
 *                   [--hoofdzaak URL] [--vervolg-op URL] [--requests [--after SEQ]]
 */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void print_diags(const zf_diagnostics *d, const zf_error *e, const char *path) {
    zf_buf b = ZF_BUF_INIT;
    if (d->count && zf_diagnostics_format(&b, d, NULL) == ZF_OK && b.ptr)
        fputs(b.ptr, stderr);
    else if (e->code) {
        if (e->line)
            fprintf(stderr, "%s:%d:%d: error: %s [%s]\n", e->file[0] ? e->file : path,
                    e->line, e->column, e->message, zf_code_name(e->code));
        else
            fprintf(stderr, "%s: error: %s [%s]\n", e->file[0] ? e->file : path,
                    e->message, zf_code_name(e->code));
    }
    zf_buf_dispose(&b);
}

static int write_file(const char *path, const zf_buf *b) {
    FILE *f = fopen(path, "wb");
    if (!f)
        return cli_usage_error("zgw: cannot write '%s': %s", path, strerror(errno));
    if (b->size && fwrite(b->ptr, 1, b->size, f) != b->size) {
        fclose(f);
        return cli_usage_error("zgw: cannot write '%s'", path);
    }
    if (fclose(f))
        return cli_usage_error("zgw: cannot write '%s'", path);
    return CLI_OK;
}

static void help(void) {
    printf(
        "usage: zaakflow zgw export PROCESS.xml... --config FILE --out DIR\n"
        "       zaakflow zgw check PROCESS.xml... --config FILE\n"
        "       zaakflow zgw case SNAPSHOT --process PROCESS.xml --config FILE --zaak "
        "URL\n"
        "                [--hoofdzaak URL] [--vervolg-op URL] [--requests [--after "
        "SEQ]]\n"
        "\n"
        "ZGW (Catalogi API 1.3.1, Zaken API 1.5.1); docs/zgw.md has the mapping and\n"
        "the configuration format.\n"
        "export  writes DIR/ZaakType.json, StatusType.json, ResultaatType.json,\n"
        "        RolType.json and Eigenschap.json (Open Zaak's catalogus import layout)\n"
        "        and DIR/requests.json (the POST requests in order).\n"
        "check   lists every field the configuration lacks for the processes.\n"
        "case    prints the Zaak view of a case (a snapshot of PROCESS); --requests\n"
        "        prints the Zaken API requests for the journal entries after SEQ.\n");
}

static int load_all(int argc, char **argv, const char **config, const char **outdir,
                    zf_zgw_process ***procs, size_t *n, zf_zgw_config **cfg) {
    zf_diagnostics d = ZF_DIAGNOSTICS_INIT;
    zf_error e;
    *n = 0;
    *procs = calloc((size_t)argc + 1, sizeof **procs);
    if (!*procs)
        return cli_usage_error("zgw: out of memory");
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--config") && i + 1 < argc)
            *config = argv[++i];
        else if (!strcmp(argv[i], "--out") && i + 1 < argc && outdir)
            *outdir = argv[++i];
        else if (argv[i][0] == '-' && argv[i][1])
            return cli_usage_error("zgw: unknown option '%s'", argv[i]);
        else {
            memset(&e, 0, sizeof e);
            if (zf_zgw_process_load(&(*procs)[*n], argv[i], &d, &e) != ZF_OK) {
                print_diags(&d, &e, argv[i]);
                zf_diagnostics_dispose(&d);
                return e.code == ZF_EIO ? CLI_USAGE : CLI_FINDINGS;
            }
            (*n)++;
        }
    }
    if (!*config)
        return cli_usage_error("zgw: --config FILE is required");
    if (!*n)
        return cli_usage_error("zgw: no process files");
    memset(&e, 0, sizeof e);
    if (zf_zgw_config_load(cfg, *config, &d, &e) != ZF_OK) {
        print_diags(&d, &e, *config);
        zf_diagnostics_dispose(&d);
        return e.code == ZF_EIO ? CLI_USAGE : CLI_FINDINGS;
    }
    memset(&e, 0, sizeof e);
    if (zf_zgw_check((const zf_zgw_process *const *)*procs, *n, *cfg, &d, &e) != ZF_OK) {
        print_diags(&d, &e, *config);
        zf_diagnostics_dispose(&d);
        return CLI_FINDINGS;
    }
    zf_diagnostics_dispose(&d);
    return CLI_OK;
}

static void free_all(zf_zgw_process **procs, size_t n, zf_zgw_config *cfg) {
    for (size_t i = 0; procs && i < n; i++)
        zf_zgw_process_free(procs[i]);
    free(procs);
    zf_zgw_config_free(cfg);
}

static int cmd_export(int argc, char **argv, int check_only) {
    const char *config = NULL, *outdir = NULL;
    zf_zgw_process **procs = NULL;
    zf_zgw_config *cfg = NULL;
    size_t n = 0;
    int rc = load_all(argc, argv, &config, check_only ? NULL : &outdir, &procs, &n, &cfg);
    if (rc == CLI_OK && check_only)
        printf("%zu process%s: the configuration supplies every field\n", n,
               n == 1 ? "" : "es");
    if (rc == CLI_OK && !check_only) {
        if (!outdir)
            rc = cli_usage_error("zgw export: --out DIR is required");
        else if (mkdir(outdir, 0777) != 0 && errno != EEXIST)
            rc = cli_usage_error("zgw export: cannot create '%s': %s", outdir,
                                 strerror(errno));
    }
    for (int r = 0; rc == CLI_OK && !check_only && r <= ZF_ZGW_RESOURCE_COUNT; r++) {
        zf_buf b = ZF_BUF_INIT;
        zf_error e;
        char path[4096];
        zf_code c;
        memset(&e, 0, sizeof e);
        if (r == ZF_ZGW_RESOURCE_COUNT) {
            snprintf(path, sizeof path, "%s/requests.json", outdir);
            c = zf_zgw_export_requests(&b, (const zf_zgw_process *const *)procs, n, cfg,
                                       &e);
        } else {
            snprintf(path, sizeof path, "%s/%s.json", outdir,
                     zf_zgw_resource_name((zf_zgw_resource)r));
            c = zf_zgw_export(&b, (const zf_zgw_process *const *)procs, n, cfg,
                              (zf_zgw_resource)r, &e);
        }
        if (c != ZF_OK)
            rc = cli_usage_error("zgw export: %s [%s]", e.message, zf_code_name(e.code));
        else
            rc = write_file(path, &b);
        zf_buf_dispose(&b);
    }
    free_all(procs, n, cfg);
    return rc;
}

static int cmd_case(int argc, char **argv) {
    const char *config = NULL, *process = NULL, *snapshot = NULL;
    zf_zgw_case_options o = ZF_ZGW_CASE_OPTIONS_INIT;
    zf_diagnostics d = ZF_DIAGNOSTICS_INIT;
    zf_zgw_process *proc = NULL;
    zf_zgw_config *cfg = NULL;
    zf_instance *inst = NULL;
    zf_buf b = ZF_BUF_INIT;
    zf_error e;
    zf_buf xml = ZF_BUF_INIT;
    int requests = 0, rc = CLI_OK;
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--config") && i + 1 < argc)
            config = argv[++i];
        else if (!strcmp(argv[i], "--process") && i + 1 < argc)
            process = argv[++i];
        else if (!strcmp(argv[i], "--zaak") && i + 1 < argc)
            o.zaak = argv[++i];
        else if (!strcmp(argv[i], "--hoofdzaak") && i + 1 < argc)
            o.hoofdzaak = argv[++i];
        else if (!strcmp(argv[i], "--vervolg-op") && i + 1 < argc)
            o.vervolg_op = argv[++i];
        else if (!strcmp(argv[i], "--requests"))
            requests = 1;
        else if (!strcmp(argv[i], "--after") && i + 1 < argc) {
            char *end;
            unsigned long v = strtoul(argv[++i], &end, 10);
            if (end == argv[i] || *end || v > 0xffffffffUL)
                return cli_usage_error("zgw case: --after wants a journal entry number");
            o.after = (uint32_t)v;
        } else if (argv[i][0] == '-' && argv[i][1])
            return cli_usage_error("zgw case: unknown option '%s'", argv[i]);
        else if (!snapshot)
            snapshot = argv[i];
        else
            return cli_usage_error("zgw case: one snapshot only");
    }
    if (!snapshot || !config || !process || !o.zaak)
        return cli_usage_error(
            "zgw case: usage: zaakflow zgw case SNAPSHOT --process FILE "
            "--config FILE --zaak URL");
    memset(&e, 0, sizeof e);
    if (zf_zgw_process_load(&proc, process, &d, &e) != ZF_OK) {
        print_diags(&d, &e, process);
        zf_diagnostics_dispose(&d);
        return e.code == ZF_EIO ? CLI_USAGE : CLI_FINDINGS;
    }
    memset(&e, 0, sizeof e);
    if (zf_zgw_config_load(&cfg, config, &d, &e) != ZF_OK) {
        print_diags(&d, &e, config);
        zf_diagnostics_dispose(&d);
        zf_zgw_process_free(proc);
        return e.code == ZF_EIO ? CLI_USAGE : CLI_FINDINGS;
    }
    if (cli_read_file(&xml, snapshot, ZF_SNAPSHOT_MAX_BYTES) != 0) {
        rc = cli_usage_error("zgw case: cannot read '%s'", snapshot);
    } else {
        memset(&e, 0, sizeof e);
        if (zf_instance_restore(&inst, zf_zgw_process_definition(proc),
                                xml.ptr ? xml.ptr : "", xml.size, NULL, &e) != ZF_OK) {
            fprintf(stderr, "%s: error: %s [%s]\n", snapshot, e.message,
                    zf_code_name(e.code));
            rc = CLI_FINDINGS;
        }
    }
    zf_buf_dispose(&xml);
    if (rc == CLI_OK) {
        memset(&e, 0, sizeof e);
        if ((requests ? zf_zgw_case_requests(&b, inst, proc, cfg, &o, &e)
                      : zf_zgw_case(&b, inst, proc, cfg, &o, &e)) != ZF_OK) {
            fprintf(stderr, "%s: error: %s [%s]\n", e.file[0] ? e.file : snapshot,
                    e.message, zf_code_name(e.code));
            rc = e.code == ZF_EINVAL ? CLI_USAGE : CLI_FINDINGS;
        } else {
            fputs(b.ptr ? b.ptr : "", stdout);
        }
    }
    zf_buf_dispose(&b);
    zf_diagnostics_dispose(&d);
    zf_instance_free(inst);
    zf_zgw_config_free(cfg);
    zf_zgw_process_free(proc);
    return rc;
}

int cmd_zgw(int argc, char **argv) {
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        help();
        return argc < 2 ? CLI_USAGE : CLI_OK;
    }
    for (int i = 2; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            help();
            return CLI_OK;
        }
    if (!strcmp(argv[1], "export"))
        return cmd_export(argc, argv, 0);
    if (!strcmp(argv[1], "check"))
        return cmd_export(argc, argv, 1);
    if (!strcmp(argv[1], "case"))
        return cmd_case(argc, argv);
    return cli_usage_error("zgw: unknown subcommand '%s' (export, check or case)",
                           argv[1]);
}
