/*
 * libxml2 as the library uses it: initialised once (one guard for xmlInitParser),
 * and its allocation failures seen and survived.
 *
 * libxml2 does not always report a failed allocation (a text node or an attribute
 * value it cannot copy may simply be left out), so a parse can "succeed" with
 * content missing; and libxml2 2.9 does not survive every failure (its XSD
 * validator crashes in several of them). zf__xml_begin() therefore keeps
 * pass-through wrappers around libxml2's allocation functions (the ones in
 * place, whoever set them: the wrappers call them and change nothing else) that
 * note a failure in a thread-local flag and, during the library's own calls,
 * serve the failed allocation from a reserve (see xml.c), so that libxml2 ends
 * its work on its normal path. A call that uses libxml2 runs between
 * zf__xml_begin() and zf__xml_end() and, when zf__xml_nomem() says so, reports
 * ZF_ENOMEM whatever libxml2 made of it.
 */
#ifndef ZF_XML_H
#define ZF_XML_H

#include "internal.h"

/* Initialise libxml2 (once per process), make sure the allocation wrappers are in
 * place (again, if the host set other functions since), and clear this thread's
 * flag. */
ZF__INTERNAL void zf__xml_begin(void);

/* Record the sizes of libxml2's blocks from now (on) or not (0), so that a failed
 * reallocation of one can be served from the reserve: for libxml2's XSD code,
 * which does not survive one. The parser does: its many blocks are not recorded. */
ZF__INTERNAL void zf__xml_track(int on);

/* The end of the call's use of libxml2 (its documents may be freed later). */
ZF__INTERNAL void zf__xml_end(void);

/* Whether a libxml2 allocation failed in this thread since zf__xml_begin(). */
ZF__INTERNAL int zf__xml_nomem(void);

/*
 * xmlCtxtReadMemory(): `len` bytes parsed with `options`, `url` naming them in
 * messages; but libxml2 2.9's leaks the buffer of its copy of the input when an
 * allocation fails while it is made, and this does not.
 * Returns the document when it is well-formed, else NULL (ctxt says why).
 */
typedef struct _xmlParserCtxt *zf__xmlctxt;
typedef struct _xmlDoc *zf__xmldoc;
ZF__INTERNAL zf__xmldoc zf__xml_read(zf__xmlctxt ctxt, const char *bytes, size_t len,
                                     const char *url, int options);

/*
 * The value of attribute `name` without a namespace on element `n`, borrowed from
 * its document: NULL when the element has no such attribute, "" when it is empty.
 * A value that is not one text node (entity references, which only a DOCTYPE can
 * declare, and every reader refuses a DOCTYPE) is no readable value: NULL too, so
 * a reader that must tell it from an absent attribute looks at n->properties.
 * One rule for every reader of XML (definitions, calendars, scenarios).
 */
struct _xmlNode;
ZF__INTERNAL const char *zf__xml_attr(const struct _xmlNode *n, const char *name);

#endif
