/* Helpers shared by the Check suites: a failing allocator and data paths. */
#ifndef ZF_TESTHELP_H
#define ZF_TESTHELP_H
#include <zaakflow.h>
#include <check.h>

/* Install an allocator that fails the n-th allocation from now (0 = the first);
 * n < 0 never fails. Counts allocations and live blocks. */
void th_alloc_fail_at(long n);
/* Restore malloc/free. */
void th_alloc_reset(void);
long th_alloc_count(void); /* allocations made since th_alloc_fail_at() */
long th_alloc_live(void);  /* blocks allocated and not yet freed through the hooks */
int th_alloc_failed(void); /* whether the injected failure happened */

/* A date from ISO text; fails the test when it is none. */
zf_date th_date(const char *iso);
/* A definition from XML text; fails the test (with the diagnostics) when it does not
 * load. Free with zf_definition_free(). */
zf_definition *th_parse(const char *xml);
/* A function that appends text about `obj` to `out` (zf_definition_dot, _explain,
 * zf_instance_timeline through a cast of their object). */
typedef zf_code (*th_text_fn)(zf_buf *out, const void *obj, zf_error *err);

/* Fail allocation N = 0, 1, 2 ... until `fn` succeeds, writing into an empty buffer
 * and into one that holds text: each failure must return ZF_ENOMEM with `err` filled,
 * leave the buffer as it was (the empty one without memory) and leak nothing; the
 * success must append what an undisturbed call writes. Returns that text's length. */
size_t th_text_failure_loop(th_text_fn fn, const void *obj);

/* Path of a file below the source tree: th_srcpath("tests/data/x.csv"). Static buffer. */
const char *th_srcpath(const char *rel);

/* A copy (free() it) of snapshot text with its <integrity> digest written again for
 * its bytes as they are: a snapshot changed on purpose, to test what restore checks
 * besides the digest. */
char *th_reseal(const char *snapshot);

/* Run one suite; returns the process exit status. */
int th_run(Suite *s);
#endif
