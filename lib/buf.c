/* Caller-owned growable text buffers. */
#include "internal.h"

#include <stdio.h>
#include <string.h>

void zf_buf_dispose(zf_buf *buf) {
    if (!buf)
        return;
    zf__free(buf->ptr);
    buf->ptr = NULL;
    buf->size = buf->asize = 0;
}

void zf_buf_clear(zf_buf *buf) {
    if (!buf)
        return;
    buf->size = 0;
    if (buf->ptr)
        buf->ptr[0] = '\0';
}

zf_code zf__buf_reserve(zf_buf *buf, size_t extra) {
    if (extra > SIZE_MAX - buf->size - 1)
        return ZF_ENOMEM;
    return ZF__GROW(buf->ptr, buf->asize, buf->size + extra + 1, 64);
}

zf_code zf_buf_put(zf_buf *buf, const char *data, size_t len) {
    if (!buf || (!data && len))
        return ZF_EINVAL;
    if (zf__buf_reserve(buf, len) != ZF_OK)
        return ZF_ENOMEM;
    if (len)
        memcpy(buf->ptr + buf->size, data, len);
    buf->size += len;
    buf->ptr[buf->size] = '\0';
    return ZF_OK;
}

zf_code zf_buf_puts(zf_buf *buf, const char *s) {
    return zf_buf_put(buf, s, s ? strlen(s) : 0);
}

zf_code zf_buf_printf(zf_buf *buf, const char *fmt, ...) {
    va_list ap;
    int n;
    if (!buf || !fmt)
        return ZF_EINVAL;
    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return ZF_EINVAL;
    if (zf__buf_reserve(buf, (size_t)n) != ZF_OK)
        return ZF_ENOMEM;
    va_start(ap, fmt);
    vsnprintf(buf->ptr + buf->size, (size_t)n + 1, fmt, ap);
    va_end(ap);
    buf->size += (size_t)n;
    return ZF_OK;
}
