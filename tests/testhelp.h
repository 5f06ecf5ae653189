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

/* Path of a file below the source tree: th_srcpath("tests/data/x.csv"). Static buffer. */
const char *th_srcpath(const char *rel);

/* A copy (free() it) of snapshot text with its <integrity> digest written again for
 * its bytes as they are: a snapshot changed on purpose, to test what restore checks
 * besides the digest. */
char *th_reseal(const char *snapshot);

/* Run one suite; returns the process exit status. */
int th_run(Suite *s);
#endif
