/*
 * Loading large generated definitions: figures only (no assertion on time).
 *
 *   bench_load [TRANSITIONS]
 *
 * Three shapes of about TRANSITIONS transitions each (default 98000: with the other
 * elements, the most the limit of 100000 elements allows), within every limit, loaded
 * (parsed, validated against the schema, checked and compiled) from memory, best of
 * three: one-event  one state with all its transitions guarded, on one event (the shape
 *              that made the shadowed-transition check compare every pair);
 *   chain      a chain of 2000 states, each reachable only from the one before
 *              (the reachability check), each with its share of guarded ones;
 *   fan        many events over many states.
 * And the refusal of a 100 MB snapshot by the size limit, before it is read.
 */
#define _POSIX_C_SOURCE 200809L
#include <zaakflow.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void gen(zf_buf *b, const char *shape, long n) {
    zf_buf_clear(b);
    zf_buf_puts(
        b,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<process xmlns=\"urn:zaakflow:process:1\" id=\"groot\" version=\"1\" "
        "initial=\"s0\">\n  <data><var id=\"n\" type=\"int\" default=\"0\"/></data>\n");
    if (!strcmp(shape, "one-event")) {
        zf_buf_puts(b, "  <events><event id=\"e\"/></events>\n  <state id=\"s0\">\n");
        for (long i = 0; i < n - 1; i++)
            zf_buf_printf(
                b, "    <transition event=\"e\" cond=\"n == %ld\" target=\"s1\"/>\n", i);
        zf_buf_puts(b, "    <transition event=\"e\" target=\"s1\"/>\n  </state>\n"
                       "  <final id=\"s1\"/>\n");
    } else if (!strcmp(shape, "chain")) {
        /* 2000 states (the limit is 4095), the rest transitions. */
        long states = n / 4 < 2000 ? n / 4 : 2000, per = n / states - 2;
        zf_buf_puts(b, "  <events><event id=\"e\"/><event id=\"f\"/></events>\n");
        for (long s = 0; s < states; s++) {
            zf_buf_printf(b, "  <state id=\"s%ld\">\n", s);
            for (long k = 0; k < per; k++)
                zf_buf_printf(b, "    <transition event=\"f\" cond=\"n == %ld\"/>\n", k);
            zf_buf_printf(b,
                          "    <transition event=\"e\" target=\"%s%ld\"/>\n  </state>\n",
                          s + 1 < states ? "s" : "end", s + 1 < states ? s + 1 : 0);
        }
        zf_buf_puts(b, "  <final id=\"end0\"/>\n");
    } else {
        long events = 980, states = n / events;
        zf_buf_puts(b, "  <events>");
        for (long e = 0; e < events; e++)
            zf_buf_printf(b, "<event id=\"e%ld\"/>", e);
        zf_buf_puts(b, "</events>\n");
        for (long s = 0; s < states; s++) {
            zf_buf_printf(b, "  <state id=\"s%ld\">\n", s);
            for (long e = 0; e < events; e++)
                zf_buf_printf(b, "    <transition event=\"e%ld\" target=\"s%ld\"/>\n", e,
                              (s + e + 1) % states);
            zf_buf_puts(b, "  </state>\n");
        }
    }
    zf_buf_puts(b, "</process>\n");
}

int main(int argc, char **argv) {
    /* 98000: with the other elements, within the limit of 100000 elements. */
    long n = argc > 1 ? atol(argv[1]) : 98000;
    static const char *const shapes[] = {"one-event", "chain", "fan"};
    zf_buf b = ZF_BUF_INIT;
    const char *only = getenv("BENCH_SHAPE"); /* one shape only (profiling) */
    for (size_t k = 0; k < sizeof shapes / sizeof *shapes; k++) {
        double best = -1;
        if (only && strcmp(only, shapes[k]))
            continue;
        size_t ntrans = 0;
        gen(&b, shapes[k], n);
        for (int round = 0; round < 3; round++) {
            zf_definition *d = NULL;
            zf_diagnostics dg = ZF_DIAGNOSTICS_INIT;
            zf_error err;
            double t0 = now();
            zf_code rc = zf_definition_parse(&d, b.ptr, b.size, "groot.xml", &dg, &err);
            double t = now() - t0;
            if (rc != ZF_OK) {
                fprintf(stderr, "bench_load: %s: %s\n", shapes[k], err.message);
                return 1;
            }
            ntrans = zf_definition_transition_count(d);
            zf_diagnostics_dispose(&dg);
            zf_definition_free(d);
            if (best < 0 || t < best)
                best = t;
        }
        printf("definition load, %s: %zu transitions, %.1f MB: %.0f ms\n", shapes[k],
               ntrans, (double)b.size / 1e6, best * 1e3);
    }
    zf_buf_dispose(&b);
    {
        size_t big = 100u * 1024 * 1024;
        char *huge = malloc(big);
        zf_definition *d = NULL;
        zf_instance *in = NULL;
        zf_error err;
        static const char proc[] =
            "<process xmlns='urn:zaakflow:process:1' id='p' version='1' initial='a'>"
            "<state id='a'/></process>";
        if (!huge || zf_definition_parse(&d, proc, strlen(proc), "p.xml", NULL, &err))
            return 1;
        memset(huge, ' ', big);
        double t0 = now();
        zf_code rc = zf_instance_restore(&in, d, huge, big, NULL, &err);
        printf("snapshot of 100 MB: %s in %.3f ms (%s)\n", zf_code_name(rc),
               (now() - t0) * 1e3, err.message);
        zf_definition_free(d);
        free(huge);
    }
    return 0;
}
