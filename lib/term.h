/* Private interface of the term module. */
#ifndef ZF_TERM_PRIV_H
#define ZF_TERM_PRIV_H

#include "internal.h"

/*
 * The last day of a term, as zf_term_compute() would put in `end`, without
 * recording the trace: for callers that need only the date (an instance
 * recomputing the end of a running term). The same checks and errors.
 * @param[out] out  the last day; unchanged on failure.
 * @return ZF_OK, ZF_EINVAL, ZF_ERANGE or ZF_ENOMEM.
 */
ZF__INTERNAL zf_code zf__term_end(zf_date *out, const zf_term_spec *spec, zf_error *err);

#endif
