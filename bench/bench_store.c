/*
 * The case store, measured on a real database (figures only, no assertions):
 *   bench_store URL PROCESSES-DIR [CASES]
 * - start + fire + commit: a bezwaar case started and a bezwaarschrift received in
 *   one transaction, by 1 writer and by 4 writer processes at once;
 * - expirations: CASES cases whose two terms are due, expired by zaakflow's worker
 *   loop (zf_store_work) in 1 process and in 4 at once;
 * - reading a bezwaar case mid-procedure: the query and the restore (from the
 *   compact form), and the restore alone from the XML snapshot and from the
 *   compact form;
 * - the due report over every case (never restores one).
 * The store at URL is emptied first.
 */
#define _DEFAULT_SOURCE
#include <zaakflow.h>
#include <zaakflow/store.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *url, *dir;
static zf_error err;

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what) {
    fprintf(stderr, "bench_store: %s: %s [%s]\n", what, err.message,
            zf_code_name(err.code));
    exit(2);
}

static zf_store *open_store(void) {
    zf_store *st;
    if (zf_store_open(&st, url, NULL, &err) != ZF_OK)
        die(url);
    return st;
}

static zf_date D(const char *s) {
    zf_date d;
    if (zf_date_parse(&d, s, &err) != ZF_OK)
        die(s);
    return d;
}

static void add(zf_store *st, const char *file) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    if (zf_store_add_definition_file(NULL, st, path, &err) != ZF_OK)
        die(path);
}

static const char *const BEHANDELAAR[] = {"behandelaar"};

/* Start a bezwaar case on `day` (a decision sent that day). */
static int64_t start(zf_store *st, zf_date day) {
    char d[ZF_DATE_BUFSIZE];
    zf_param_value v[2] = {{"verzonden", zf_value_string(zf_date_format(d, day))},
                           {"commissie_gemeld", zf_value_bool(1)}};
    zf_store_step step;
    if (zf_store_start(&step, st, "bezwaar", day, v, 2, &err) != ZF_OK)
        die("start");
    return step.case_id;
}

static void receive(zf_store *st, int64_t id, zf_date day) {
    char d[ZF_DATE_BUFSIZE];
    zf_actor jan = {"jan", BEHANDELAAR, 1};
    zf_param_value p[2] = {{"ontvangen", zf_value_string(zf_date_format(d, day))},
                           {"per_post", zf_value_bool(0)}};
    zf_store_step step;
    if (zf_store_fire(&step, st, id, 1, "bezwaarschrift_ontvangen", day, &jan, p, 2,
                      &err) != ZF_OK)
        die("fire");
}

/* Run fn(k, n) in `procs` processes at once; the wall time. */
static double parallel(int procs, long n, void (*fn)(long k, long n, int fd), long *sum) {
    int fds[2];
    double t0;
    long total = 0, v;
    if (pipe(fds) != 0)
        exit(2);
    t0 = now();
    for (int k = 0; k < procs; k++) {
        pid_t pid = fork();
        if (pid == 0) {
            close(fds[0]);
            fn(k, n / procs, fds[1]);
            _exit(0);
        }
    }
    close(fds[1]);
    while (read(fds[0], &v, sizeof v) == (ssize_t)sizeof v)
        total += v;
    close(fds[0]);
    while (wait(NULL) > 0)
        ;
    if (sum)
        *sum = total;
    return now() - t0;
}

static void writer(long k, long n, int fd) {
    zf_store *st = open_store();
    zf_date day = D("2026-01-05") + (zf_date)(k % 7);
    for (long i = 0; i < n; i++) {
        if (zf_store_begin(st, &err) != ZF_OK)
            die("begin");
        receive(st, start(st, day), day + 10);
        if (zf_store_commit(st, &err) != ZF_OK)
            die("commit");
    }
    write(fd, &n, sizeof n);
    zf_store_free(st);
}

static void worker(long k, long n, int fd) {
    zf_store *st = open_store();
    zf_store_work_result res;
    long e;
    (void)k;
    (void)n;
    if (zf_store_work(&res, st, D("2026-06-01"), 32, &err) != ZF_OK)
        die("work");
    e = (long)res.expired;
    write(fd, &e, sizeof e);
    zf_store_free(st);
}

/* A fresh store. */
static void empty(void) {
    zf_store *st = open_store();
    zf_store_list *l;
    if (zf_store_cases(&l, st, NULL, ZF_STORE_ALL, 0, 1, &err) != ZF_OK)
        die("cases");
    if (zf_store_list_count(l)) {
        fprintf(stderr, "bench_store: %s is not empty\n", url);
        exit(2);
    }
    zf_store_list_free(l);
    add(st, "bezwaar.xml");
    add(st, "beroep.xml");
    add(st, "dwangsom.xml");
    zf_store_free(st);
}

static void load_due(long cases) {
    zf_store *st = open_store();
    for (long i = 0; i < cases; i++) {
        if (i % 500 == 0 && zf_store_begin(st, &err) != ZF_OK)
            die("begin");
        start(st, D("2026-01-05") + (zf_date)(i % 60));
        if ((i % 500 == 499 || i == cases - 1) && zf_store_commit(st, &err) != ZF_OK)
            die("commit");
    }
    zf_store_free(st);
}

int main(int argc, char **argv) {
    long cases, n, sum;
    double t;
    zf_store *st;
    if (argc < 3) {
        fprintf(stderr, "usage: bench_store URL PROCESSES-DIR [CASES]\n");
        return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    url = argv[1];
    dir = argv[2];
    cases = argc > 3 ? atol(argv[3]) : 4000;
    empty();
    printf("store %s\n", url);

    n = cases / 8 > 200 ? cases / 8 : 200;
    t = parallel(1, n, writer, NULL);
    printf("  start + fire + commit, 1 writer:     %8.0f cases/s (%ld cases, one "
           "transaction each)\n",
           (double)n / t, n);
    t = parallel(4, n, writer, &sum);
    printf("  start + fire + commit, 4 writers:    %8.0f cases/s\n", (double)sum / t);

    /* Every case below has its bezwaartermijn and postontvangsttermijn due. */
    load_due(cases);
    st = open_store();
    {
        zf_store_list *l;
        t = now();
        if (zf_store_due(&l, st, D("2027-12-31"), NULL, 0, &err) != ZF_OK)
            die("due");
        printf("  due report over every case:          %8.1f ms (%zu terms)\n",
               (now() - t) * 1e3, zf_store_list_count(l));
        zf_store_list_free(l);
    }
    zf_store_free(st);
    t = parallel(1, 0, worker, &sum);
    printf("  expirations, 1 worker:               %8.0f /s (%ld, one transaction per "
           "case)\n",
           (double)sum / t, sum);
    load_due(cases);
    t = parallel(4, 0, worker, &sum);
    printf("  expirations, 4 workers:              %8.0f /s (%ld)\n", (double)sum / t,
           sum);

    /* A bezwaar case mid-procedure, read back. */
    st = open_store();
    {
        zf_date day = D("2026-01-05");
        int64_t id = start(st, day);
        zf_store_case *c;
        const zf_definition *def;
        zf_buf snap = ZF_BUF_INIT;
        zf_instance_options o = ZF_INSTANCE_OPTIONS_INIT;
        long reps = 2000;
        receive(st, id, day + 14);
        if (zf_store_read(&c, st, id, &err) != ZF_OK)
            die("read");
        zf_buf_puts(&snap, zf_store_case_snapshot(c));
        def = zf_instance_definition(zf_store_case_instance(c));
        zf_store_case_free(c);
        t = now();
        for (long i = 0; i < reps; i++) {
            if (zf_store_read(&c, st, id, &err) != ZF_OK)
                die("read");
            zf_store_case_free(c);
        }
        printf("  read a bezwaar case (query + restore): %6.1f us\n",
               (now() - t) / (double)reps * 1e6);
        o.journal = 0;
        t = now();
        for (long i = 0; i < reps * 5; i++) {
            zf_instance *inst;
            if (zf_instance_restore(&inst, def, snap.ptr, snap.size, &o, &err) != ZF_OK)
                die("restore");
            zf_instance_free(inst);
        }
        printf("  restore alone, XML snapshot (%zu bytes): %6.1f us\n", snap.size,
               (now() - t) / (double)(reps * 5) * 1e6);
        {
            /* The form the store reads first (zf_cases.compact): journal off. */
            zf_buf packed = ZF_BUF_INIT;
            zf_instance *inst;
            if (zf_instance_restore(&inst, def, snap.ptr, snap.size, &o, &err) != ZF_OK ||
                zf_instance_pack(&packed, inst, &err) != ZF_OK)
                die("pack");
            zf_instance_free(inst);
            t = now();
            for (long i = 0; i < reps * 50; i++) {
                if (zf_instance_unpack(&inst, def, packed.ptr, packed.size, &o, &err) !=
                    ZF_OK)
                    die("unpack");
                zf_instance_free(inst);
            }
            printf("  restore alone, compact form (%zu bytes): %6.2f us\n", packed.size,
                   (now() - t) / (double)(reps * 50) * 1e6);
            zf_buf_dispose(&packed);
        }
        zf_buf_dispose(&snap);
    }
    zf_store_free(st);
    return 0;
}
