/*
 * bench_restore: microseconds to restore one case of processes/bezwaar.xml in the
 * middle of its procedure (received, admissible, mediation failed, a hearing
 * being prepared), from its XML snapshot (zf_instance_restore()) and from its
 * compact form (zf_instance_unpack()), with the journal kept and without; also
 * the sizes and the cost of writing each form. Each figure is the best of 5
 * rounds (the machine's speed comes in phases). Prints figures; asserts nothing.
 *
 *   bench_restore [path/to/processes/bezwaar.xml] [ROUNDS_OF_N]
 */
#define _POSIX_C_SOURCE 199309L
#include <zaakflow.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ROUNDS 5

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void die(const char *what, const zf_error *e) {
    fprintf(stderr, "bench_restore: %s: %s\n", what, e->message);
    exit(1);
}

static zf_date d(const char *s) {
    zf_date v;
    zf_date_parse(&v, s, NULL);
    return v;
}

/* The case: decision sent 2026-03-02 (committee announced), bezwaarschrift received
 * 2026-03-20, admissible on 03-23, mediation failed on 04-01. */
static zf_instance *bezwaar_case(const zf_definition *def, int journal) {
    zf_instance_options o = ZF_INSTANCE_OPTIONS_INIT;
    const char *beh[] = {"behandelaar"}, *bem[] = {"bemiddelaar"};
    zf_actor jan = {"jan", beh, 1}, piet = {"piet", bem, 1};
    zf_param_value vars[] = {{"verzonden", zf_value_date(d("2026-03-02"))},
                             {"commissie_gemeld", zf_value_bool(1)}};
    zf_param_value ontv[] = {{"ontvangen", zf_value_date(d("2026-03-20"))},
                             {"per_post", zf_value_bool(0)}};
    zf_instance *in = NULL;
    zf_error err;
    o.journal = journal;
    if (zf_instance_new(&in, def, d("2026-03-02"), vars, 2, &o, &err) ||
        zf_instance_fire(in, "bezwaarschrift_ontvangen", d("2026-03-20"), &jan, ontv, 2,
                         &err) ||
        zf_instance_fire(in, "ontvankelijk_bevonden", d("2026-03-23"), &jan, NULL, 0,
                         &err) ||
        zf_instance_fire(in, "bemiddeling_mislukt", d("2026-04-01"), &piet, NULL, 0,
                         &err))
        die("case", &err);
    return in;
}

typedef struct form {
    const zf_definition *def;
    const zf_buf *bytes;
    zf_instance_options opts;
    int compact;
} form;

/* The best of ROUNDS rounds of n restores (each freed), in microseconds per restore. */
static double restore_us(const form *f, long n) {
    double best = 0;
    zf_error err;
    for (int r = 0; r < ROUNDS; r++) {
        double t0 = now();
        for (long i = 0; i < n; i++) {
            zf_instance *in = NULL;
            zf_code rc = f->compact ? zf_instance_unpack(&in, f->def, f->bytes->ptr,
                                                         f->bytes->size, &f->opts, &err)
                                    : zf_instance_restore(&in, f->def, f->bytes->ptr,
                                                          f->bytes->size, &f->opts, &err);
            if (rc)
                die("restore", &err);
            zf_instance_free(in);
        }
        double us = (now() - t0) / n / 1000;
        if (r == 0 || us < best)
            best = us;
    }
    return best;
}

/* The best of ROUNDS rounds of n writes of a form, in microseconds per write. */
static double write_us(const zf_instance *in, int compact, long n) {
    double best = 0;
    zf_buf b = ZF_BUF_INIT;
    zf_error err;
    for (int r = 0; r < ROUNDS; r++) {
        double t0 = now();
        for (long i = 0; i < n; i++) {
            zf_buf_clear(&b);
            if (compact ? zf_instance_pack(&b, in, &err)
                        : zf_instance_snapshot(&b, in, &err))
                die("write", &err);
        }
        double us = (now() - t0) / n / 1000;
        if (r == 0 || us < best)
            best = us;
    }
    zf_buf_dispose(&b);
    return best;
}

int main(int argc, char **argv) {
    const char *path = argc > 1 ? argv[1] : "processes/bezwaar.xml";
    long n = argc > 2 ? atol(argv[2]) : 20000;
    zf_definition *def = NULL;
    zf_error err;
    if (n <= 0)
        n = 20000;
    if (zf_definition_load(&def, path, NULL, &err))
        die(path, &err);
    printf(
        "restore one bezwaar case in hoorzitting_voorbereiden (%s), best of %d x %ld\n",
        path, ROUNDS, n);
    printf("%-8s %-8s %8s %12s %12s\n", "journal", "form", "bytes", "restore_us",
           "write_us");
    for (int journal = 1; journal >= 0; journal--) {
        zf_instance *in = bezwaar_case(def, journal);
        zf_buf xml = ZF_BUF_INIT, compact = ZF_BUF_INIT;
        if (zf_instance_snapshot(&xml, in, &err) || zf_instance_pack(&compact, in, &err))
            die("write", &err);
        form fx = {def, &xml, ZF_INSTANCE_OPTIONS_INIT, 0};
        form fc = {def, &compact, ZF_INSTANCE_OPTIONS_INIT, 1};
        fx.opts.journal = fc.opts.journal = journal;
        double x = restore_us(&fx, n / 10 ? n / 10 : 1), c = restore_us(&fc, n);
        printf("%-8s %-8s %8zu %12.2f %12.2f\n", journal ? "on" : "off", "xml", xml.size,
               x, write_us(in, 0, n / 10 ? n / 10 : 1));
        printf("%-8s %-8s %8zu %12.2f %12.2f\n", journal ? "on" : "off", "compact",
               compact.size, c, write_us(in, 1, n));
        printf("%-8s compact restores %.0f times faster than xml\n",
               journal ? "on" : "off", x / c);
        zf_buf_dispose(&xml);
        zf_buf_dispose(&compact);
        zf_instance_free(in);
    }
    zf_definition_free(def);
    return 0;
}
