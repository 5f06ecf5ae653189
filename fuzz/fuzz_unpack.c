/*
 * libFuzzer target: zf_instance_unpack() on arbitrary bytes, for a definition
 * with every kind of variable, suspendable and extendable terms, parallel
 * regions and every kind of journal item.
 *
 * The first byte chooses: bit 0, fix the checksums of the rest first (so that
 * mutations reach the decoding and the consistency rules instead of stopping
 * at a checksum); bit 1, read the journal back. Properties, beyond "never
 * crashes, never leaks":
 *  - an accepted form packs to a form that unpacks again and packs the same
 *    (a fixed point);
 *  - the XML restore accepts the accepted case's XML snapshot: the consistency
 *    rules of the two agree (text the XML form cannot carry, such as control
 *    characters in a string, may still fail to parse there: ZF_EPARSE).
 * The definition is tests/pack_case.h; seeds: fuzz/corpus/unpack (packs of its cases).
 */
#include <zaakflow.h>

#include "instance_int.h"
#include "../tests/pack_case.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static zf_definition *def;

static uint32_t rd32(const unsigned char *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static void wr64(unsigned char *p, uint64_t v) {
    for (int i = 0; i < 8; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

/* Fix the checksums where the header's lengths allow. */
static void reseal(unsigned char *p, size_t n) {
    size_t ns, nj;
    if (n < 56)
        return;
    ns = rd32(p + 8);
    nj = rd32(p + 12);
    if (ns > n - 56)
        return;
    wr64(p + 48 + ns, zf__pack_checksum(p, 48 + ns));
    if (nj && nj <= n - 56 - ns && 8 <= n - 56 - ns - nj)
        wr64(p + 56 + ns + nj, zf__pack_checksum(p + 56 + ns, nj));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    zf_instance_options o = ZF_INSTANCE_OPTIONS_INIT;
    zf_instance *in = NULL, *again = NULL, *x = NULL;
    zf_buf b = ZF_BUF_INIT, b2 = ZF_BUF_INIT, s = ZF_BUF_INIT;
    unsigned char *copy;
    zf_error err;
    if (!def && zf_definition_parse(&def, PACK_CASE_XML, sizeof PACK_CASE_XML - 1,
                                    "fuzz.xml", NULL, &err))
        abort();
    if (size < 1)
        return 0;
    o.journal = (data[0] & 2) != 0;
    /* An exact-size copy, so that ASan sees any read beyond the bytes. */
    copy = malloc(size - 1 ? size - 1 : 1);
    if (!copy)
        return 0;
    memcpy(copy, data + 1, size - 1);
    if (data[0] & 1)
        reseal(copy, size - 1);
    if (zf_instance_unpack(&in, def, copy, size - 1, &o, &err) != ZF_OK) {
        if (in || err.code == ZF_OK || !err.message[0])
            abort();
        free(copy);
        return 0;
    }
    if (zf_instance_pack(&b, in, &err) != ZF_OK ||
        zf_instance_unpack(&again, def, b.ptr, b.size, &o, &err) != ZF_OK ||
        zf_instance_pack(&b2, again, &err) != ZF_OK || b.size != b2.size ||
        memcmp(b.ptr, b2.ptr, b.size) != 0)
        abort();
    if (zf_instance_snapshot(&s, in, &err) != ZF_OK)
        abort();
    if (zf_instance_restore(&x, def, s.ptr, s.size, &o, &err) == ZF_ESNAPSHOT)
        abort(); /* the compact form accepted what the XML restore refuses */
    zf_instance_free(x);
    zf_instance_free(again);
    zf_instance_free(in);
    zf_buf_dispose(&b);
    zf_buf_dispose(&b2);
    zf_buf_dispose(&s);
    free(copy);
    return 0;
}
