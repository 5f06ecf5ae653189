/*
 * bench_fire: nanoseconds per event on a bezwaar-like statechart with guards,
 * roles, assignments and a term (deadline) restarted every cycle; journal on
 * and off (the best of 5 rounds). Also allocations per event in steady state
 * (counting allocator), bytes per instance and definition load time. Prints
 * figures; asserts nothing.
 *
 *   bench_fire [EVENTS] [path/to/processes/bezwaar.xml]
 *
 * With BENCH_FIRE_OFF_ONLY set in the environment only the journal-off run is
 * made (for instruction counts with callgrind).
 *
 * The same statechart and event sequence are in bench/xstate/bench.mjs and
 * bench/bench_transitions.py.
 */
#define _POSIX_C_SOURCE 199309L
#include <zaakflow.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_chart.h"
#define CHART BENCH_CHART
#define CYCLE BENCH_CYCLE
#define NCYCLE BENCH_NCYCLE
#define ROUNDS 5

static long nalloc;
static void *c_malloc(size_t n, void *ctx) {
    (void)ctx;
    nalloc++;
    return malloc(n);
}
static void *c_realloc(void *p, size_t n, void *ctx) {
    (void)ctx;
    nalloc++;
    return realloc(p, n);
}
static void c_free(void *p, void *ctx) {
    (void)ctx;
    free(p);
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void die(const char *what, const zf_error *e) {
    fprintf(stderr, "bench_fire: %s: %s\n", what, e->message);
    exit(1);
}

/* Fire `n` events of the cycle; returns ns per event and the allocations made. */
static double run(const zf_definition *def, int journal, long n, long *allocs,
                  size_t *mem) {
    zf_instance_options o = ZF_INSTANCE_OPTIONS_INIT;
    zf_instance *in;
    zf_error e;
    zf_date day;
    const char *roles[1];
    zf_actor a = {"bench", roles, 1};
    o.journal = journal;
    /* One case runs a million events here: far beyond the default journal limit. */
    o.max_journal = 0xffffffffu;
    memset(&e, 0, sizeof e);
    zf_date_parse(&day, "2026-01-05", NULL);
    if (zf_instance_new(&in, def, day, NULL, 0, &o, &e))
        die("new", &e);
    /* Warm up: one cycle, so buffers have their steady-state size. */
    for (size_t k = 0; k < NCYCLE; k++) {
        roles[0] = CYCLE[k].role;
        if (zf_instance_fire(in, CYCLE[k].event, day, &a, NULL, 0, &e))
            die(CYCLE[k].event, &e);
    }
    /* The best of ROUNDS rounds of n events (the least disturbed by other load on
       the machine), as the XState and transitions benchmarks measure too. */
    long before = nalloc, k = 0;
    double best = 0;
    for (int round = 0; round < ROUNDS; round++) {
        double t0 = now();
        for (long i = 0; i < n; i++) {
            const struct bench_step *s = &CYCLE[k++ % NCYCLE];
            roles[0] = s->role;
            if (zf_instance_fire(in, s->event, day, &a, NULL, 0, &e))
                die(s->event, &e);
        }
        double t = now() - t0;
        if (round == 0 || t < best)
            best = t;
    }
    *allocs = (nalloc - before) / ROUNDS;
    *mem = zf_instance_memory(in);
    zf_instance_free(in);
    return best / (double)n;
}

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 1200000;
    const char *bezwaar = argc > 2 ? argv[2] : NULL;
    zf_allocator counting = {c_malloc, c_realloc, c_free, NULL};
    zf_definition *def;
    zf_error e;
    long allocs;
    size_t mem;
    int loads = 200;

    zf_set_allocator(&counting);
    memset(&e, 0, sizeof e);
    double t0 = now();
    for (int i = 0; i < loads; i++) {
        if (zf_definition_parse(&def, CHART, strlen(CHART), "bench", NULL, &e))
            die("definition", &e);
        if (i + 1 < loads)
            zf_definition_free(def);
    }
    double load_us = (now() - t0) / loads / 1e3;

    double off = run(def, 0, n, &allocs, &mem);
    size_t mem_off = mem; /* bytes per instance without the journal */
    printf("zaakflow  journal off  %8.1f ns/event  %.3f allocations/event  (best of %d "
           "rounds of %ld events)\n",
           off, (double)allocs / (double)n, ROUNDS, n);
    if (getenv("BENCH_FIRE_OFF_ONLY")) {
        zf_definition_free(def);
        zf_set_allocator(NULL);
        return 0;
    }
    long nj = n / 6 > 0 ? n / 6 : 1;
    size_t mem_on;
    double on = run(def, 1, nj, &allocs, &mem_on);
    printf("zaakflow  journal on   %8.1f ns/event  %.3f allocations/event  (best of %d "
           "rounds of %ld events)\n",
           on, (double)allocs / (double)nj, ROUNDS, nj);
    printf("zaakflow  instance     %8zu bytes (bench chart, no journal)\n", mem_off);
    printf("zaakflow  instance     %8zu bytes (bench chart, journal on: + log headers, "
           "not contents)\n",
           mem_on);
    printf("zaakflow  load         %8.1f us per definition (bench chart, %zu bytes of "
           "XML)\n",
           load_us, strlen(CHART));
    zf_definition_free(def);

    if (bezwaar) {
        zf_definition *bd;
        zf_instance *in;
        zf_instance_options o = ZF_INSTANCE_OPTIONS_INIT;
        zf_param_value v[] = {{"verzonden", zf_value_string("2026-01-02")}};
        zf_date day;
        o.journal = 0;
        zf_date_parse(&day, "2026-01-05", NULL);
        t0 = now();
        for (int i = 0; i < 50; i++) {
            if (zf_definition_load(&bd, bezwaar, NULL, &e))
                die(bezwaar, &e);
            if (i < 49)
                zf_definition_free(bd);
        }
        load_us = (now() - t0) / 50 / 1e3;
        if (zf_instance_new(&in, bd, day, v, 1, &o, &e))
            die("bezwaar instance", &e);
        printf("bezwaar   instance     %8zu bytes (processes/bezwaar.xml, no journal)\n",
               zf_instance_memory(in));
        printf("bezwaar   load         %8.1f us per definition (processes/bezwaar.xml)\n",
               load_us);
        zf_instance_free(in);
        zf_definition_free(bd);
    }
    zf_set_allocator(NULL);
    return 0;
}
