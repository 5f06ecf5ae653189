/* SHA-256 (FIPS 180-4): the content hash of definition files and the digest of
 * snapshots; HMAC-SHA-256 (RFC 2104) for snapshots sealed with a host key. */
#ifndef ZF_SHA256_H
#define ZF_SHA256_H

#include "internal.h"

typedef struct zf__sha256 {
    uint32_t h[8];
    uint64_t len; /* bytes hashed so far */
    unsigned char buf[64];
    size_t nbuf;
} zf__sha256;

ZF__INTERNAL void zf__sha256_init(zf__sha256 *s);
ZF__INTERNAL void zf__sha256_update(zf__sha256 *s, const void *data, size_t len);
ZF__INTERNAL void zf__sha256_final(zf__sha256 *s, unsigned char out[32]);

/* The hash of `len` bytes as 64 lower-case hex digits and a NUL. */
ZF__INTERNAL void zf__sha256_hex(const void *data, size_t len, char out[65]);
/* 32 bytes as 64 lower-case hex digits and a NUL. */
ZF__INTERNAL void zf__hex32(const unsigned char d[32], char out[65]);

/* HMAC-SHA-256 (RFC 2104, FIPS 198-1): the key prepared once as K0 (64 bytes), then
 * the MAC of `len` bytes. */
ZF__INTERNAL void zf__hmac_key(unsigned char k0[64], const void *key, size_t len);
ZF__INTERNAL void zf__hmac_sha256(const unsigned char k0[64], const void *data,
                                  size_t len, unsigned char out[32]);

#endif
