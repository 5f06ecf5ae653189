/*
 * The private helpers of lib/internal.h and lib/xml.h: the portable bodies of the
 * compiler builtins (ZF_NO_BUILTINS selects them here) against the builtins, the
 * growth rule with its overflow checks, the misuse check and the attribute reader.
 */
#define ZF_NO_BUILTINS 1
#include "internal.h"
#include "testhelp.h"
#include "xml.h"

#include <check.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdint.h>
#include <string.h>

#ifdef ZF__BUILTINS
#error "ZF_NO_BUILTINS must select the portable bodies"
#endif

static const int64_t samples[] = {0,
                                  1,
                                  -1,
                                  2,
                                  -2,
                                  3,
                                  -3,
                                  100,
                                  -100,
                                  99999,
                                  INT64_C(3037000499),
                                  -INT64_C(3037000499),
                                  INT64_C(3037000500),
                                  -INT64_C(3037000500),
                                  INT64_C(4294967296),
                                  -INT64_C(4294967296),
                                  INT64_MAX / 2,
                                  INT64_MIN / 2,
                                  INT64_MAX / 3,
                                  INT64_MIN / 3,
                                  INT64_MAX - 1,
                                  INT64_MIN + 1,
                                  INT64_MAX,
                                  INT64_MIN};

/* Every pair of samples: the same verdict as the builtin and, without overflow, the
 * same result. */
START_TEST(test_internal_overflow_portable) {
    size_t n = sizeof samples / sizeof samples[0];
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            int64_t a = samples[i], b = samples[j], r = 0, want = 0;
            int o = zf__add_overflow(a, b, &r);
            ck_assert_int_eq(o, __builtin_add_overflow(a, b, &want));
            if (!o)
                ck_assert(r == want);
            o = zf__sub_overflow(a, b, &r);
            ck_assert_int_eq(o, __builtin_sub_overflow(a, b, &want));
            if (!o)
                ck_assert(r == want);
            o = zf__mul_overflow(a, b, &r);
            ck_assert_msg(o == __builtin_mul_overflow(a, b, &want),
                          "mul %lld * %lld: portable %d", (long long)a, (long long)b, o);
            if (!o)
                ck_assert(r == want);
        }
}
END_TEST

START_TEST(test_internal_bits_portable) {
    uint32_t x = 1;
    for (int k = 0; k < 100000; k++) {
        /* xorshift32: a spread of bit patterns, never 0 */
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        uint64_t y = (uint64_t)x << 32 | (x * 2654435761u);
        ck_assert_uint_eq(zf__ctz32(x), (unsigned)__builtin_ctz(x));
        ck_assert_uint_eq(zf__clz32(x), (unsigned)__builtin_clz(x));
        ck_assert_uint_eq(zf__popcount32(x), (unsigned)__builtin_popcount(x));
        ck_assert_uint_eq(zf__popcount64(y), (unsigned)__builtin_popcountll(y));
    }
    ck_assert_uint_eq(zf__ctz32(0x80000000u), 31);
    ck_assert_uint_eq(zf__clz32(1), 31);
    ck_assert_uint_eq(zf__popcount32(0), 0);
    ck_assert_uint_eq(zf__popcount64(UINT64_MAX), 64);
}
END_TEST

START_TEST(test_internal_grow_cap) {
    ck_assert_uint_eq(zf__grow_cap(0, 1, 16, 8), 16);
    ck_assert_uint_eq(zf__grow_cap(0, 17, 16, 8), 32);
    ck_assert_uint_eq(zf__grow_cap(16, 17, 256, 8), 32);
    ck_assert_uint_eq(zf__grow_cap(16, 100, 256, 8), 128);
    ck_assert_uint_eq(zf__grow_cap(0, 0, 0, 1), 1);
    /* The capacity itself would overflow: doubling past SIZE_MAX. */
    ck_assert_uint_eq(zf__grow_cap(SIZE_MAX / 2 + 1, SIZE_MAX, 16, 1), 0);
    /* Its bytes would: capacity * elsize past SIZE_MAX. */
    ck_assert_uint_eq(zf__grow_cap(0, SIZE_MAX / 16 + 1, 16, 16), 0);
    ck_assert_uint_eq(zf__grow_cap(SIZE_MAX / 32, SIZE_MAX / 32 + 1, 16, 32), 0);
}
END_TEST

typedef struct pair {
    int a;
    double b;
} pair;

/* ZF__GROW: contents kept, capacity doubled; on failure (allocation or overflow)
 * the array and its capacity unchanged. */
START_TEST(test_internal_grow_array) {
    pair *p = NULL;
    size_t cap = 0, n = 0;
    for (int i = 0; i < 100; i++) {
        ck_assert_int_eq(ZF__GROW(p, cap, n + 1, 4), ZF_OK);
        p[n].a = i;
        p[n++].b = i / 2.0;
    }
    ck_assert_uint_eq(cap, 128);
    for (int i = 0; i < 100; i++)
        ck_assert_int_eq(p[i].a, i);
    pair *before = p;
    ck_assert_int_eq(ZF__GROW(p, cap, SIZE_MAX / 2, 4), ZF_ENOMEM);
    ck_assert_ptr_eq(p, before);
    ck_assert_uint_eq(cap, 128);
    th_alloc_fail_at(0);
    ck_assert_int_eq(ZF__GROW(p, cap, 129, 4), ZF_ENOMEM);
    th_alloc_reset();
    ck_assert_ptr_eq(p, before);
    ck_assert_uint_eq(cap, 128);
    ck_assert_int_eq(p[99].a, 99);
    /* Room already: nothing allocated, nothing moved. */
    ck_assert_int_eq(ZF__GROW(p, cap, 128, 4), ZF_OK);
    ck_assert_ptr_eq(p, before);
    zf__free(p);
}
END_TEST

/* One misuse check: NULL, a live handle, a freed one. */
START_TEST(test_internal_ok_handles) {
    zf_definition *def = th_parse(
        "<process xmlns='urn:zaakflow:process:1' id='p' version='1' initial='a'>"
        "<events><event id='go'/></events>"
        "<state id='a'><transition event='go' target='b'/></state><final id='b'/>"
        "</process>");
    zf_instance *in;
    ck_assert_ptr_nonnull(def);
    ck_assert(!zf__ok_definition(NULL));
    ck_assert(zf__ok_definition(def));
    ck_assert_int_eq(
        zf_instance_new(&in, def, th_date("2026-01-05"), NULL, 0, NULL, NULL), ZF_OK);
    ck_assert(zf__ok_instance(in));
    ck_assert(!zf__ok_instance((const zf_instance *)def));
    ck_assert(!zf__ok_definition((const zf_definition *)in));
    ck_assert(zf__ok_calendar(zf_calendar_none()));
    ck_assert(!zf__ok_calendar(NULL));
    zf_instance_free(in);
    zf_definition_free(def);
}
END_TEST

/* The one message style of the misuse check, through the public API: a bad handle is
 * "invalid <handle>", another NULL argument "<name> is NULL". */
START_TEST(test_internal_misuse_messages) {
    zf_definition *def = th_parse(
        "<process xmlns='urn:zaakflow:process:1' id='p' version='1' initial='a'>"
        "<events><event id='go'/></events>"
        "<state id='a'><transition event='go' target='b'/></state><final id='b'/>"
        "</process>");
    zf_date d = th_date("2026-01-05");
    zf_instance *in;
    zf_journal_entry je;
    zf_term_spec spec = ZF_TERM_SPEC_INIT;
    zf_term_result res;
    zf_buf b = ZF_BUF_INIT;
    zf_error e;
    ck_assert_int_eq(zf_instance_new(&in, def, d, NULL, 0, NULL, &e), ZF_OK);
    ck_assert_int_eq(zf_instance_fire(NULL, "go", d, NULL, NULL, 0, &e), ZF_EINVAL);
    ck_assert_str_eq(e.message, "invalid instance");
    ck_assert_int_eq(zf_instance_fire(in, NULL, d, NULL, NULL, 0, &e), ZF_EINVAL);
    ck_assert_str_eq(e.message, "event is NULL");
    ck_assert_int_eq(zf_instance_journal_entry(NULL, in, 0, &e), ZF_EINVAL);
    ck_assert_str_eq(e.message, "out is NULL");
    ck_assert_int_eq(zf_instance_journal_entry(&je, NULL, 0, &e), ZF_EINVAL);
    ck_assert_str_eq(e.message, "invalid instance");
    ck_assert_int_eq(zf_definition_dot(&b, NULL, &e), ZF_EINVAL);
    ck_assert_str_eq(e.message, "invalid definition");
    ck_assert_int_eq(zf_instance_timeline(&b, NULL, &e), ZF_EINVAL);
    ck_assert_str_eq(e.message, "invalid instance");
    /* A handle of another kind is no handle. */
    spec.trigger = d;
    spec.length.n = 6;
    spec.length.unit = ZF_UNIT_WEEK;
    spec.calendar = (const zf_calendar *)def;
    ck_assert_int_eq(zf_term_compute(&res, &spec, &e), ZF_EINVAL);
    ck_assert_str_eq(e.message, "invalid calendar");
    zf_instance_free(in);
    zf_definition_free(def);
    ck_assert_uint_eq(b.size, 0);
    zf_buf_dispose(&b);
}
END_TEST

/* One attribute reader: absent NULL, empty "", a namespaced attribute not read. */
START_TEST(test_internal_xml_attr) {
    static const char xml[] = "<a xmlns:q=\"urn:q\" x=\"1 &amp; 2\" y=\"\" q:z=\"3\"/>";
    xmlDocPtr doc = xmlReadMemory(xml, (int)strlen(xml), "t.xml", NULL, XML_PARSE_NONET);
    const xmlNode *root;
    ck_assert_ptr_nonnull(doc);
    root = xmlDocGetRootElement(doc);
    ck_assert_str_eq(zf__xml_attr(root, "x"), "1 & 2");
    ck_assert_str_eq(zf__xml_attr(root, "y"), "");
    ck_assert_ptr_null(zf__xml_attr(root, "z"));
    ck_assert_ptr_null(zf__xml_attr(root, "w"));
    xmlFreeDoc(doc);
}
END_TEST

int main(void) {
    Suite *s = suite_create("internal");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_internal_overflow_portable);
    tcase_add_test(tc, test_internal_bits_portable);
    tcase_add_test(tc, test_internal_grow_cap);
    tcase_add_test(tc, test_internal_grow_array);
    tcase_add_test(tc, test_internal_ok_handles);
    tcase_add_test(tc, test_internal_misuse_messages);
    tcase_add_test(tc, test_internal_xml_attr);
    suite_add_tcase(s, tc);
    return th_run(s);
}
