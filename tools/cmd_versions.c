/*
 * zaakflow canonical / migrate: the canonical form and hash of a definition
 * (docs/versions.md), and migration of running cases to another version of
 * their process (docs/migration.md).
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

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
