/**
 * @file zaakflow/buf.h
 * Text returned by the library: a caller-owned, growable, NUL-terminated buffer.
 */
#ifndef ZAAKFLOW_BUF_H
#define ZAAKFLOW_BUF_H

#include "zaakflow/common.h"
#include "zaakflow/error.h"

ZF_BEGIN_DECL

/** A text buffer. Start with ZF_BUF_INIT; release with zf_buf_dispose(). */
typedef struct zf_buf {
    char *ptr;    /**< NUL-terminated text, or NULL while empty */
    size_t size;  /**< length of the text, without the NUL */
    size_t asize; /**< allocated bytes */
} zf_buf;

#define ZF_BUF_INIT                                                                      \
    { NULL, 0, 0 }

/** Free the buffer's memory and reset it to ZF_BUF_INIT. NULL is allowed. */
ZF_EXTERN(void) zf_buf_dispose(zf_buf *buf);

/** Empty the text but keep the memory for reuse. */
ZF_EXTERN(void) zf_buf_clear(zf_buf *buf);

/**
 * Append text. On failure the buffer is unchanged.
 * @return ZF_OK or ZF_ENOMEM.
 */
ZF_EXTERN(zf_code) zf_buf_put(zf_buf *buf, const char *data, size_t len);

/** Append a NUL-terminated string. @return ZF_OK or ZF_ENOMEM. */
ZF_EXTERN(zf_code) zf_buf_puts(zf_buf *buf, const char *s);

/** Append printf-style formatted text. @return ZF_OK or ZF_ENOMEM. */
ZF_EXTERN(zf_code)
zf_buf_printf(zf_buf *buf, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

ZF_END_DECL

#endif
