/*
 * zaakflow test [--coverage] [--roundtrip] [--no-journal] [--base DIR] FILE...
 *                                                    run scenario files
 * zaakflow run PROCESS --scenario FILE [--base DIR]  print a case's timeline
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static void print_error(const char *path, const zf_error *e) {
    if (e->line)
        fprintf(stderr, "%s:%d:%d: error: %s [%s]\n", e->file[0] ? e->file : path,
                e->line, e->column, e->message, zf_code_name(e->code));
    else
        fprintf(stderr, "%s: error: %s [%s]\n", path, e->message, zf_code_name(e->code));
}

int cmd_test(int argc, char **argv) {
    zf_scenario_options o = ZF_SCENARIO_OPTIONS_INIT;
    zf_scenario_runner *r;
    zf_error e;
    int coverage = 0, nfiles = 0, passed = 0, failed = 0, broken = 0, below = 0;
    double min_trans = -1;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            printf(
                "usage: zaakflow test [--coverage] [--min-transitions PCT] "
                "[--roundtrip]\n"
                "                     [--no-journal] [--base DIR] SCENARIO.xml...\n\n"
                "Run scenario files (urn:zaakflow:scenario:1). Prints PASS or FAIL per\n"
                "scenario and a summary; exits 1 when any fails. --coverage prints, per\n"
                "definition, the states and transitions the scenarios took (the initial\n"
                "configuration counts) and the transitions never taken.\n"
                "--min-transitions PCT (implies --coverage) exits 1 when any definition\n"
                "used has fewer than PCT percent of its transitions covered. Relative\n"
                "process paths are looked up next to the scenario, in the working\n"
                "directory, in DIR, and in the directories above the scenario.\n"
                "--roundtrip checks at the start of every case and after every step\n"
                "that its snapshot restores to an instance whose snapshot is the same,\n"
                "byte for byte, and goes on with the restored instance; a difference\n"
                "fails the scenario. --no-journal runs the cases with the journal off\n"
                "(the transitions taken when a case starts are then not counted).\n");
            return CLI_OK;
        }
        if (!strcmp(argv[i], "--coverage"))
            coverage = 1;
        else if (!strcmp(argv[i], "--roundtrip"))
            o.roundtrip = 1;
        else if (!strcmp(argv[i], "--no-journal"))
            o.journal = 0;
        else if (!strcmp(argv[i], "--min-transitions") && i + 1 < argc) {
            char *end;
            min_trans = strtod(argv[++i], &end);
            if (end == argv[i] || *end || min_trans < 0 || min_trans > 100)
                return cli_usage_error(
                    "test: --min-transitions wants a percentage 0..100, "
                    "got '%s'",
                    argv[i]);
            coverage = 1;
        } else if (!strcmp(argv[i], "--base") && i + 1 < argc)
            o.base_dir = argv[++i];
        else if (argv[i][0] == '-' && argv[i][1])
            return cli_usage_error("test: unknown option '%s'", argv[i]);
        else
            nfiles++;
    }
    if (!nfiles)
        return cli_usage_error("test: no scenario files (try 'zaakflow test --help')");
    memset(&e, 0, sizeof e);
    if (zf_scenario_runner_new(&r, &o, &e) != ZF_OK)
        return cli_usage_error("%s", e.message);
    for (int i = 1; i < argc; i++) {
        zf_scenario_result res;
        if (argv[i][0] == '-' && argv[i][1]) {
            if (!strcmp(argv[i], "--base") || !strcmp(argv[i], "--min-transitions"))
                i++;
            continue;
        }
        memset(&e, 0, sizeof e);
        if (zf_scenario_run_file(&res, NULL, r, argv[i], &e) != ZF_OK) {
            print_error(argv[i], &e);
            printf("FAIL %s: %s\n", res.name, e.message);
            failed++;
            broken++;
            continue;
        }
        if (res.passed) {
            printf("PASS %s\n", res.name);
            passed++;
        } else {
            printf("FAIL %s: step %u (line %d): %s\n", res.name, res.failed_step,
                   res.line, res.message);
            failed++;
        }
    }
    printf("%d passed, %d failed\n", passed, failed);
    if (o.roundtrip)
        printf("%lu round trips (journal %s)\n", zf_scenario_runner_roundtrips(r),
               o.journal ? "on, and restored with it off" : "off");
    if (coverage) {
        for (size_t i = 0; i < zf_scenario_coverage_count(r); i++) {
            zf_scenario_coverage c;
            zf_buf missed = ZF_BUF_INIT;
            double pct;
            zf_scenario_coverage_get(&c, r, i, NULL);
            pct = c.transitions_total
                      ? 100.0 * (double)c.transitions_hit / (double)c.transitions_total
                      : 100.0;
            printf("%s (%s): states %zu/%zu, transitions %zu/%zu (%.1f%%)\n", c.process,
                   c.file, c.states_hit, c.states_total, c.transitions_hit,
                   c.transitions_total, pct);
            memset(&e, 0, sizeof e);
            if (zf_scenario_coverage_missed(&missed, r, i, &e) == ZF_OK && missed.ptr) {
                for (char *line = strtok(missed.ptr, "\n"); line;
                     line = strtok(NULL, "\n"))
                    printf("  not taken: %s\n", line);
            }
            zf_buf_dispose(&missed);
            if (min_trans >= 0 && pct + 1e-9 < min_trans) {
                fprintf(stderr, "%s: %s (%s): transition coverage %.1f%% is below %g%%\n",
                        cli_progname, c.process, c.file, pct, min_trans);
                below++;
            }
        }
    }
    zf_scenario_runner_free(r);
    return failed || below ? CLI_FINDINGS : CLI_OK;
}

/* --snapshots DIR: each case's snapshot as DIR/<case>.xml and a line
 * "case process parent relation" in DIR/cases.txt ("-" for none). */
typedef struct snapdir {
    const char *dir;
    FILE *list;
} snapdir;

static zf_code save_case(const char *name, const zf_instance *inst, const char *parent,
                         const char *relation, void *payload) {
    snapdir *sd = payload;
    zf_buf b = ZF_BUF_INIT;
    zf_error e;
    char path[4096];
    FILE *f;
    zf_code rc;
    memset(&e, 0, sizeof e);
    if ((rc = zf_instance_snapshot(&b, inst, &e)) != ZF_OK)
        return rc;
    snprintf(path, sizeof path, "%s/%s.xml", sd->dir, name);
    f = fopen(path, "wb");
    rc = f && fwrite(b.ptr, 1, b.size, f) == b.size ? ZF_OK : ZF_EIO;
    if (f && fclose(f))
        rc = ZF_EIO;
    zf_buf_dispose(&b);
    if (rc == ZF_OK)
        fprintf(sd->list, "%s %s %s %s\n", name,
                zf_definition_id(zf_instance_definition(inst)), parent ? parent : "-",
                relation ? relation : "-");
    return rc;
}

int cmd_run(int argc, char **argv) {
    zf_scenario_options o = ZF_SCENARIO_OPTIONS_INIT;
    snapdir sd = {NULL, NULL};
    zf_scenario_runner *r;
    zf_scenario_result res;
    zf_buf tl = ZF_BUF_INIT;
    zf_error e;
    const char *scenario = NULL;
    int rc;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            printf(
                "usage: zaakflow run [PROCESS.xml] --scenario SCENARIO.xml [--base DIR]\n"
                "                    [--snapshots DIR]\n\n"
                "Run the scenario's steps against PROCESS (default: the scenario's\n"
                "own process, or the version its registry picks) and print the case's\n"
                "timeline: each date, event, actor, states left and entered, terms\n"
                "started, expired, suspended and extended with their last days,\n"
                "migrations, and effects.\n"
                "--snapshots DIR writes each case's snapshot to DIR/CASE.xml and the\n"
                "cases with their process, parent case and relation to DIR/cases.txt.\n");
            return CLI_OK;
        }
        if (!strcmp(argv[i], "--scenario") && i + 1 < argc)
            scenario = argv[++i];
        else if (!strcmp(argv[i], "--base") && i + 1 < argc)
            o.base_dir = argv[++i];
        else if (!strcmp(argv[i], "--snapshots") && i + 1 < argc)
            sd.dir = argv[++i];
        else if (argv[i][0] == '-' && argv[i][1])
            return cli_usage_error("run: unknown option '%s'", argv[i]);
        else if (!o.process)
            o.process = argv[i];
        else
            return cli_usage_error("run: one process file only");
    }
    if (!scenario)
        return cli_usage_error("run: usage: zaakflow run [PROCESS] --scenario FILE");
    if (sd.dir) {
        char path[4096];
        snprintf(path, sizeof path, "%s/cases.txt", sd.dir);
        if (!(sd.list = fopen(path, "w")))
            return cli_usage_error("run: cannot write '%s'", path);
        o.on_case = save_case;
        o.payload = &sd;
    }
    memset(&e, 0, sizeof e);
    if (zf_scenario_runner_new(&r, &o, &e) != ZF_OK) {
        if (sd.list)
            fclose(sd.list);
        return cli_usage_error("%s", e.message);
    }
    rc = zf_scenario_run_file(&res, &tl, r, scenario, &e);
    if (sd.list && fclose(sd.list) && rc == ZF_OK)
        rc = cli_usage_error("run: cannot write the case list in '%s'", sd.dir);
    if (rc != ZF_OK) {
        print_error(scenario, &e);
        zf_scenario_runner_free(r);
        zf_buf_dispose(&tl);
        return e.code == ZF_EIO ? CLI_USAGE : CLI_FINDINGS;
    }
    fputs(tl.ptr ? tl.ptr : "", stdout);
    rc = CLI_OK;
    if (!res.passed) {
        printf("\nscenario failed at step %u (line %d): %s\n", res.failed_step, res.line,
               res.message);
        rc = CLI_FINDINGS;
    }
    zf_buf_dispose(&tl);
    zf_scenario_runner_free(r);
    return rc;
}
