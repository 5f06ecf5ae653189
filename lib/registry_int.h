/* Private helpers of the registry (registry.c), shared with zf_validate_files(). */
#ifndef ZF_REGISTRY_INT_H
#define ZF_REGISTRY_INT_H

#include "defn.h"
#include "zaakflow/registry.h"

/* Whether a case may start on `d` on `date` (its validity holds the date). */
ZF__INTERNAL int zf__valid_on(const zf_definition *d, zf_date date);
/* The validity as text: "2019-01-01 to 2019-12-31", "from 2019-01-01", "always". */
ZF__INTERNAL void zf__validity_text(const zf_definition *d, char *buf, size_t cap);
/*
 * Whether two definitions of one process cannot stand side by side: the same
 * version with other content, or validities that overlap. Fills `msg` (naming
 * b's file) and returns 1; 0 when they can (other ids, or the same hash).
 */
ZF__INTERNAL int zf__versions_conflict(const zf_definition *a, const zf_definition *b,
                                       char *msg, size_t cap);
/* Order of a registry: id, start of validity (open first), version. */
ZF__INTERNAL int zf__registry_cmp(const zf_definition *a, const zf_definition *b);

#endif
