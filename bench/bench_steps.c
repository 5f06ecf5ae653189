/*
 * bench_steps: a fixed workload for counting instructions per event with
 * callgrind (bench/instructions.sh), not for timing.
 *
 *   bench_steps chart N [journal]         N events of bench_fire's chart
 *   bench_steps bezwaar N FILE [journal]  N bezwaar cases x 7 events (FILE: a
 *                                         bezwaar.xml), by name
 *
 * The journal is off unless the last argument is "journal".
 *
 * Every call is checked; the program exits non-zero on any error, so a count
 * is never taken over a run that went wrong.
 */
#include <zaakflow.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_chart.h"

static void die(const char *what, const zf_error *e) {
    fprintf(stderr, "bench_steps: %s: %s\n", what, e->message);
    exit(1);
}

static zf_date day(const char *s) {
    zf_date d;
    if (zf_date_parse(&d, s, NULL) != ZF_OK)
        exit(1);
    return d;
}

static int chart(long n, int journal) {
    zf_definition *def;
    zf_instance *in;
    zf_error e;
    zf_instance_options o = ZF_INSTANCE_OPTIONS_INIT;
    const char *roles[1];
    zf_actor a = {"bench", roles, 1};
    zf_date d = day("2026-01-05");
    o.journal = journal;
    if (zf_definition_parse(&def, BENCH_CHART, strlen(BENCH_CHART), "bench", NULL, &e))
        die("definition", &e);
    if (zf_instance_new(&in, def, d, NULL, 0, &o, &e))
        die("new", &e);
    for (long i = 0; i < n; i++) {
        const struct bench_step *s = &BENCH_CYCLE[i % BENCH_NCYCLE];
        roles[0] = s->role;
        if (zf_instance_fire(in, s->event, d, &a, NULL, 0, &e))
            die(s->event, &e);
    }
    zf_instance_free(in);
    zf_definition_free(def);
    return 0;
}

/* The scenario of bench/bench_python.py. */
static int bezwaar(long n, const char *path, int journal) {
    zf_definition *def;
    zf_error e;
    zf_instance_options o = ZF_INSTANCE_OPTIONS_INIT;
    o.journal = journal;
    if (zf_definition_load(&def, path, NULL, &e))
        die(path, &e);
    zf_param_value start[] = {{"verzonden", zf_value_date(day("2026-03-02"))},
                              {"commissie_gemeld", zf_value_bool(1)}};
    zf_param_value p0[] = {{"ontvangen", zf_value_date(day("2026-03-20"))},
                           {"per_post", zf_value_bool(0)}};
    zf_param_value p3[] = {{"datum", zf_value_date(day("2026-05-06"))}};
    zf_param_value p5[] = {{"advies", zf_value_string("ongegrond")}};
    zf_param_value p6[] = {{"uitkomst", zf_value_string("ongegrond")},
                           {"verzonden", zf_value_date(day("2026-06-04"))}};
    const struct {
        const char *event, *date, *actor, *role;
        const zf_param_value *p;
        size_t np;
    } steps[] = {
        {"bezwaarschrift_ontvangen", "2026-03-20", "jan", "behandelaar", p0, 2},
        {"ontvankelijk_bevonden", "2026-03-23", "jan", "behandelaar", NULL, 0},
        {"bemiddeling_mislukt", "2026-04-01", "piet", "bemiddelaar", NULL, 0},
        {"hoorzitting_gepland", "2026-04-10", "jan", "behandelaar", p3, 1},
        {"gehoord", "2026-05-06", "cie", "commissie", NULL, 0},
        {"advies_uitgebracht", "2026-05-20", "cie", "commissie", p5, 1},
        {"beslissing_op_bezwaar", "2026-06-03", "bw", "college", p6, 2},
    };
    zf_date dates[7];
    for (int k = 0; k < 7; k++)
        dates[k] = day(steps[k].date);
    for (long i = 0; i < n; i++) {
        zf_instance *in;
        if (zf_instance_new(&in, def, day("2026-03-02"), start, 2, &o, &e))
            die("new", &e);
        for (int k = 0; k < 7; k++) {
            const char *roles[] = {steps[k].role};
            zf_actor a = {steps[k].actor, roles, 1};
            if (zf_instance_fire(in, steps[k].event, dates[k], &a, steps[k].p,
                                 steps[k].np, &e))
                die(steps[k].event, &e);
        }
        if (!zf_instance_finished(in) || strcmp(zf_instance_outcome(in), "ongegrond"))
            die("outcome", &e);
        zf_instance_free(in);
    }
    zf_definition_free(def);
    return 0;
}

int main(int argc, char **argv) {
    int journal = argc >= 4 && !strcmp(argv[argc - 1], "journal");
    if (argc >= 3 && !strcmp(argv[1], "chart"))
        return chart(atol(argv[2]), journal);
    if (argc >= 4 && !strcmp(argv[1], "bezwaar"))
        return bezwaar(atol(argv[2]), argv[3], journal);
    fprintf(stderr, "usage: bench_steps chart N [journal] | bezwaar N FILE [journal]\n");
    return 2;
}
