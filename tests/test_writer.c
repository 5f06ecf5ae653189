/* The text writer: appends, sticky failure with the caller's buffer put back, escapes. */
#include "testhelp.h"
#include "writer.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void teardown(void) {
    th_alloc_reset();
}

/* The text `fn` writes for `s` into an empty buffer (static storage). */
static const char *esc(void (*fn)(zf__writer *, const char *), const char *s) {
    static char text[4096];
    zf_buf b = ZF_BUF_INIT;
    zf__writer w;
    zf__w_init(&w, &b);
    fn(&w, s);
    ck_assert_int_eq(zf__w_finish(&w, NULL), ZF_OK);
    ck_assert_uint_eq(strlen(b.ptr), b.size);
    ck_assert_uint_lt(b.size, sizeof text);
    memcpy(text, b.ptr, b.size + 1);
    zf_buf_dispose(&b);
    return text;
}

START_TEST(test_writer_appends) {
    zf_buf b = ZF_BUF_INIT;
    zf__writer w;
    zf_error err;
    zf_buf_puts(&b, "before|");
    zf__w_init(&w, &b);
    zf__w_puts(&w, "abc");
    zf__w_puts(&w, NULL);
    zf__w_put(&w, "defgh", 2);
    zf__w_putc(&w, '!');
    zf__w_printf(&w, "[%5s|%-3d|%.2s]", "x", 7, "long");
    zf__w_put(&w, "", 0);
    zf_error_clear(&err);
    ck_assert_int_eq(zf__w_finish(&w, &err), ZF_OK);
    ck_assert_int_eq(err.code, ZF_OK);
    ck_assert_str_eq(b.ptr, "before|abcde![    x|7  |lo]");
    ck_assert_uint_eq(b.size, strlen(b.ptr));
    zf_buf_dispose(&b);
}
END_TEST

/* Nothing written into an empty buffer still gives a string. */
START_TEST(test_writer_empty_is_a_string) {
    zf_buf b = ZF_BUF_INIT;
    zf__writer w;
    zf__w_init(&w, &b);
    ck_assert_int_eq(zf__w_finish(&w, NULL), ZF_OK);
    ck_assert_ptr_nonnull(b.ptr);
    ck_assert_str_eq(b.ptr, "");
    ck_assert_uint_eq(b.size, 0);
    zf_buf_dispose(&b);
}
END_TEST

/* Many small appends, and formatted text longer than the free space, grow the
 * buffer; the result equals the same text built by zf_buf. */
START_TEST(test_writer_grows) {
    zf_buf b = ZF_BUF_INIT, want = ZF_BUF_INIT;
    zf__writer w;
    char big[3000];
    memset(big, 'q', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    zf__w_init(&w, &b);
    for (int i = 0; i < 2000; i++) {
        zf__w_putc(&w, (char)('a' + i % 26));
        zf_buf_put(&want, &(char){(char)('a' + i % 26)}, 1);
        zf__w_printf(&w, "%d,", i);
        zf_buf_printf(&want, "%d,", i);
        if (i % 500 == 0) {
            zf__w_printf(&w, "<%s>", big);
            zf_buf_printf(&want, "<%s>", big);
            zf__w_puts(&w, big);
            zf_buf_puts(&want, big);
        }
    }
    ck_assert_int_eq(zf__w_finish(&w, NULL), ZF_OK);
    ck_assert_uint_eq(b.size, want.size);
    ck_assert_int_eq(memcmp(b.ptr, want.ptr, b.size + 1), 0);
    ck_assert_uint_gt(b.asize, b.size);
    zf_buf_dispose(&b);
    zf_buf_dispose(&want);
}
END_TEST

/* After a failure every write is a no-op, the buffer is back as it was at once, and
 * finish reports the failure. */
START_TEST(test_writer_failure_sticks) {
    zf_buf b = ZF_BUF_INIT;
    zf__writer w;
    zf_error err;
    zf_buf_puts(&b, "kept");
    zf__w_init(&w, &b);
    zf__w_puts(&w, "gone");
    ck_assert(!zf__w_failed(&w));
    zf__w_fail(&w, ZF_ELIMIT);
    ck_assert(zf__w_failed(&w));
    ck_assert_str_eq(b.ptr, "kept");
    zf__w_fail(&w, ZF_ENOMEM); /* the first failure wins */
    zf__w_puts(&w, "x");
    zf__w_putc(&w, 'y');
    zf__w_printf(&w, "%s", "z");
    zf__w_json(&w, "j");
    zf__w_md_cell(&w, NULL);
    zf_value v = zf_value_int(5);
    zf__w_value(&w, &v);
    ck_assert_str_eq(b.ptr, "kept");
    ck_assert_uint_eq(b.size, 4);
    zf_error_clear(&err);
    ck_assert_int_eq(zf__w_finish(&w, &err), ZF_ELIMIT);
    ck_assert_int_eq(err.code, ZF_ELIMIT);
    ck_assert_str_eq(b.ptr, "kept");
    zf_buf_dispose(&b);
}
END_TEST

/* A buffer that had no memory is freed back to ZF_BUF_INIT. */
START_TEST(test_writer_failure_frees_new_memory) {
    zf_buf b = ZF_BUF_INIT;
    zf__writer w;
    zf_error err;
    zf__w_init(&w, &b);
    zf__w_puts(&w, "some text");
    ck_assert_ptr_nonnull(b.ptr);
    zf__w_fail(&w, ZF_EINVAL);
    ck_assert_ptr_null(b.ptr);
    ck_assert_uint_eq(b.size, 0);
    ck_assert_uint_eq(b.asize, 0);
    zf_error_clear(&err);
    ck_assert_int_eq(zf__w_finish(&w, &err), ZF_EINVAL);
    ck_assert_ptr_null(b.ptr);
}
END_TEST

/* Writes everything the writer can write: each helper and a long formatted text. */
static void write_all(zf__writer *w) {
    static const char *const samples[] = {NULL,
                                          "",
                                          "plain",
                                          "a<b & \"c\" > d\te\nf\rg|`h`",
                                          "  beëindiging  van\n\n de  zaak  ",
                                          "\x01\x1f\x7f"};
    char big[700];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    for (size_t k = 0; k < ZF__ARRAY_SIZE(samples); k++) {
        zf__w_xml_text(w, samples[k]);
        zf__w_xml_attr(w, samples[k]);
        zf__w_json(w, samples[k]);
        zf__w_md_cell(w, samples[k]);
        zf__w_md_code(w, samples[k]);
        zf__w_dot(w, samples[k]);
        zf__w_putc(w, '\n');
    }
    zf__w_printf(w, "%s %d\n", big, 42);
    zf__w_puts(w, big);
    zf_value vals[] = {zf_value_int(-7), zf_value_money(12345), zf_value_string(big)};
    for (size_t k = 0; k < ZF__ARRAY_SIZE(vals); k++)
        zf__w_value(w, &vals[k]);
}

/* Fail allocation N = 0, 1, 2 ... until writing succeeds: each failure gives
 * ZF_ENOMEM and leaves the buffer as it was (freed if it had no memory, its text
 * otherwise), and nothing leaks. */
static void failure_loop(const char *before) {
    zf_buf want = ZF_BUF_INIT;
    zf__writer w;
    long n;
    zf_buf_puts(&want, before ? before : "");
    zf__w_init(&w, &want);
    write_all(&w);
    ck_assert_int_eq(zf__w_finish(&w, NULL), ZF_OK);

    for (n = 0;; n++) {
        zf_buf b = ZF_BUF_INIT;
        zf_error err;
        zf_code rc;
        if (before)
            zf_buf_puts(&b, before);
        th_alloc_fail_at(n);
        zf_error_clear(&err);
        zf__w_init(&w, &b);
        write_all(&w);
        rc = zf__w_finish(&w, &err);
        if (!th_alloc_failed()) {
            ck_assert_int_eq(rc, ZF_OK);
            ck_assert_uint_eq(b.size, want.size);
            ck_assert_int_eq(memcmp(b.ptr, want.ptr, b.size + 1), 0);
            zf_buf_dispose(&b);
            th_alloc_reset();
            break;
        }
        ck_assert_msg(rc == ZF_ENOMEM, "n=%ld: rc=%d", n, rc);
        ck_assert_int_eq(err.code, ZF_ENOMEM);
        ck_assert_str_eq(err.message, "out of memory");
        if (before) {
            ck_assert_str_eq(b.ptr, before);
            ck_assert_uint_eq(b.size, strlen(before));
        } else {
            ck_assert_ptr_null(b.ptr);
            ck_assert_uint_eq(b.size, 0);
            ck_assert_uint_eq(b.asize, 0);
        }
        /* The caller's text (malloc'ed before the hooks went in) is not counted. */
        ck_assert_msg(th_alloc_live() == 0, "n=%ld: %ld blocks leaked", n,
                      th_alloc_live());
        th_alloc_reset();
        zf_buf_dispose(&b);
    }
    ck_assert_int_gt(n, 2);
    zf_buf_dispose(&want);
}

START_TEST(test_writer_alloc_failures_empty) {
    failure_loop(NULL);
}
END_TEST

START_TEST(test_writer_alloc_failures_after_text) {
    failure_loop("text the caller had|");
}
END_TEST

START_TEST(test_writer_xml) {
    ck_assert_str_eq(esc(zf__w_xml_text, "a<b & c>d \"q\" 'a'"),
                     "a&lt;b &amp; c&gt;d \"q\" 'a'");
    ck_assert_str_eq(esc(zf__w_xml_text, "t\tn\nr\r\x01"), "t\tn\nr&#13;&#1;");
    ck_assert_str_eq(esc(zf__w_xml_attr, "a<b & c>d \"q\" 'a'"),
                     "a&lt;b &amp; c&gt;d &quot;q&quot; 'a'");
    ck_assert_str_eq(esc(zf__w_xml_attr, "t\tn\nr\r\x01\x1f"),
                     "t&#9;n&#10;r&#13;&#1;&#31;");
    ck_assert_str_eq(esc(zf__w_xml_attr, "beëindiging ✓"), "beëindiging ✓");
    ck_assert_str_eq(esc(zf__w_xml_attr, NULL), "");
    ck_assert_str_eq(esc(zf__w_xml_text, NULL), "");
}
END_TEST

/* Parsing what the XML escapes write gives the text back exactly (blanks and line
 * ends included, which a parser would otherwise normalise). */
START_TEST(test_writer_xml_round_trip) {
    const char *value = "  a<b & c>d \"q\" 'a'\t\r\n\r  x  ";
    zf_buf b = ZF_BUF_INIT;
    zf__writer w;
    zf__w_init(&w, &b);
    zf__w_puts(&w, "<r a=\"");
    zf__w_xml_attr(&w, value);
    zf__w_puts(&w, "\">");
    zf__w_xml_text(&w, value);
    zf__w_puts(&w, "</r>");
    ck_assert_int_eq(zf__w_finish(&w, NULL), ZF_OK);
    xmlDocPtr doc =
        xmlReadMemory(b.ptr, (int)b.size, "r.xml", NULL,
                      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    ck_assert_ptr_nonnull(doc);
    xmlNodePtr root = xmlDocGetRootElement(doc);
    xmlChar *a = xmlGetProp(root, (const xmlChar *)"a");
    xmlChar *t = xmlNodeGetContent(root);
    ck_assert_str_eq((const char *)a, value);
    ck_assert_str_eq((const char *)t, value);
    xmlFree(a);
    xmlFree(t);
    xmlFreeDoc(doc);
    zf_buf_dispose(&b);
}
END_TEST

/* RFC 8259 section 7; invalid UTF-8 (RFC 3629 section 3) becomes U+FFFD. */
START_TEST(test_writer_json) {
    ck_assert_str_eq(esc(zf__w_json, NULL), "null");
    ck_assert_str_eq(esc(zf__w_json, ""), "\"\"");
    ck_assert_str_eq(esc(zf__w_json, "say \"hi\" \\ /"), "\"say \\\"hi\\\" \\\\ /\"");
    ck_assert_str_eq(esc(zf__w_json, "\b\f\n\r\t"), "\"\\b\\f\\n\\r\\t\"");
    ck_assert_str_eq(esc(zf__w_json, "\x01\x1f\x7f"), "\"\\u0001\\u001f\x7f\"");
    ck_assert_str_eq(esc(zf__w_json, "ë € 😀"), "\"ë € 😀\"");
    ck_assert_str_eq(esc(zf__w_json, "\xc3\xab\xef\xbf\xbf\xf4\x8f\xbf\xbf"),
                     "\"\xc3\xab\xef\xbf\xbf\xf4\x8f\xbf\xbf\"");
    /* a lone continuation byte, an overlong '/', a surrogate, above U+10FFFF, 0xff */
    ck_assert_str_eq(esc(zf__w_json, "a\x80z"), "\"a\\ufffdz\"");
    ck_assert_str_eq(esc(zf__w_json, "\xc0\xaf"), "\"\\ufffd\\ufffd\"");
    ck_assert_str_eq(esc(zf__w_json, "\xe0\x80\xaf"), "\"\\ufffd\\ufffd\\ufffd\"");
    ck_assert_str_eq(esc(zf__w_json, "\xed\xa0\x80"), "\"\\ufffd\\ufffd\\ufffd\"");
    ck_assert_str_eq(esc(zf__w_json, "\xf4\x90\x80\x80"),
                     "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");
    ck_assert_str_eq(esc(zf__w_json, "\xf0\x80\x80\x80"),
                     "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");
    ck_assert_str_eq(esc(zf__w_json, "\xf5\x80"), "\"\\ufffd\\ufffd\"");
    ck_assert_str_eq(esc(zf__w_json, "\xff"), "\"\\ufffd\"");
    /* sequences cut short, also by the end of the string */
    ck_assert_str_eq(esc(zf__w_json, "\xe2\x82z"), "\"\\ufffd\\ufffdz\"");
    ck_assert_str_eq(esc(zf__w_json, "x\xf0\x9f\x98"), "\"x\\ufffd\\ufffd\\ufffd\"");
    ck_assert_str_eq(esc(zf__w_json, "\xc3"), "\"\\ufffd\"");
}
END_TEST

START_TEST(test_writer_markdown) {
    ck_assert_str_eq(esc(zf__w_md_cell, NULL), "—");
    ck_assert_str_eq(esc(zf__w_md_cell, ""), "—");
    ck_assert_str_eq(esc(zf__w_md_cell, " \n "), "");
    ck_assert_str_eq(esc(zf__w_md_cell, "\n  Awb  6:7\n\tlid 1 | <b>  "),
                     "Awb 6:7 lid 1 \\| &lt;b>");
    ck_assert_str_eq(esc(zf__w_md_code, NULL), "—");
    ck_assert_str_eq(esc(zf__w_md_code, ""), "—");
    ck_assert_str_eq(esc(zf__w_md_code, "a | `b`\n\tc  <d>"), "`a \\| 'b'  c  <d>`");
}
END_TEST

START_TEST(test_writer_dot) {
    ck_assert_str_eq(esc(zf__w_dot, NULL), "");
    ck_assert_str_eq(esc(zf__w_dot, "a \"b\" \\c\n\t\rd <e>"),
                     "a \\\"b\\\" \\\\c   d <e>");
}
END_TEST

START_TEST(test_writer_value) {
    zf_buf b = ZF_BUF_INIT;
    zf__writer w;
    zf_date day;
    ck_assert_int_eq(zf_date_from_ymd(&day, 2026, 5, 18, NULL), ZF_OK);
    zf_value vals[] = {zf_value_bool(1), zf_value_int(-12), zf_value_money(150005),
                       zf_value_date(day)};
    zf__w_init(&w, &b);
    for (size_t k = 0; k < ZF__ARRAY_SIZE(vals); k++) {
        zf__w_value(&w, &vals[k]);
        zf__w_putc(&w, ';');
    }
    ck_assert_int_eq(zf__w_finish(&w, NULL), ZF_OK);
    ck_assert_str_eq(b.ptr, "true;-12;1500.05;2026-05-18;");
    zf_buf_dispose(&b);
}
END_TEST

static Suite *suite(void) {
    Suite *s = suite_create("writer");
    TCase *tc = tcase_create("writing");
    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_add_test(tc, test_writer_appends);
    tcase_add_test(tc, test_writer_empty_is_a_string);
    tcase_add_test(tc, test_writer_grows);
    tcase_add_test(tc, test_writer_failure_sticks);
    tcase_add_test(tc, test_writer_failure_frees_new_memory);
    tcase_add_test(tc, test_writer_alloc_failures_empty);
    tcase_add_test(tc, test_writer_alloc_failures_after_text);
    tcase_add_test(tc, test_writer_value);
    suite_add_tcase(s, tc);

    tc = tcase_create("escapes");
    tcase_add_test(tc, test_writer_xml);
    tcase_add_test(tc, test_writer_xml_round_trip);
    tcase_add_test(tc, test_writer_json);
    tcase_add_test(tc, test_writer_markdown);
    tcase_add_test(tc, test_writer_dot);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) {
    return th_run(suite());
}
