/*
 * Snapshots: HMAC-SHA-256 (RFC 4231), the digest and the keyed MAC, strict restore
 * (each inconsistency the engine could never have produced is refused with the
 * rule it breaks), the journal kept by a restore without the journal, limits,
 * zf_snapshot_info(), and a byte-level mutation run.
 */
#define _POSIX_C_SOURCE 200809L /* strdup() */
#include "testhelp.h"

#include "instance_int.h"
#include "sha256.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static zf_definition *def;
static zf_instance *inst;
static zf_error err;

static zf_date D(const char *s) {
    zf_date d;
    ck_assert_int_eq(zf_date_parse(&d, s, NULL), ZF_OK);
    return d;
}

static zf_definition *load(const char *xml) {
    zf_definition *d = NULL;
    zf_error e;
    zf_error_clear(&e);
    ck_assert_msg(zf_definition_parse(&d, xml, strlen(xml), "<string>", NULL, &e) ==
                      ZF_OK,
                  "definition: %s", e.message);
    return d;
}

static void teardown(void) {
    th_alloc_reset();
    zf_instance_free(inst);
    inst = NULL;
    zf_definition_free(def);
    def = NULL;
}

static char *snap_of(const zf_instance *in) {
    zf_buf b = ZF_BUF_INIT;
    zf_error e;
    ck_assert_msg(zf_instance_snapshot(&b, in, &e) == ZF_OK, "snapshot: %s", e.message);
    char *s = strdup(b.ptr);
    zf_buf_dispose(&b);
    return s;
}

static zf_code fire(zf_instance *in, const char *ev, const char *date) {
    zf_error_clear(&err);
    return zf_instance_fire(in, ev, D(date), NULL, NULL, 0, &err);
}

/* ---- HMAC-SHA-256: RFC 4231 section 4 ------------------------------------- */

static void hex_of(const unsigned char *d, size_t n, char *out) {
    for (size_t i = 0; i < n; i++)
        sprintf(out + 2 * i, "%02x", d[i]);
}

static void hmac_case(const unsigned char *key, size_t klen, const void *data, size_t n,
                      const char *want) {
    unsigned char k0[64], mac[32];
    char hex[65];
    zf__hmac_key(k0, key, klen);
    zf__hmac_sha256(k0, data, n, mac);
    hex_of(mac, 32, hex);
    /* Test case 5 is truncated to 128 bits. */
    ck_assert_msg(strncmp(hex, want, strlen(want)) == 0, "got %s want %s", hex, want);
}

START_TEST(test_snapshot_hmac_rfc4231) {
    unsigned char k[131], dd[50];
    /* Test Case 1 */
    memset(k, 0x0b, 20);
    hmac_case(k, 20, "Hi There", 8,
              "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    /* Test Case 2: a key shorter than the output */
    hmac_case((const unsigned char *)"Jefe", 4, "what do ya want for nothing?", 28,
              "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    /* Test Case 3 */
    memset(k, 0xaa, 20);
    memset(dd, 0xdd, 50);
    hmac_case(k, 20, dd, 50,
              "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe");
    /* Test Case 4 */
    for (int i = 0; i < 25; i++)
        k[i] = (unsigned char)(i + 1);
    memset(dd, 0xcd, 50);
    hmac_case(k, 25, dd, 50,
              "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b");
    /* Test Case 5: truncation to 128 bits */
    memset(k, 0x0c, 20);
    hmac_case(k, 20, "Test With Truncation", 20, "a3b6167473100ee06e0c796c2955552b");
    /* Test Case 6: a key larger than the block */
    memset(k, 0xaa, 131);
    hmac_case(k, 131, "Test Using Larger Than Block-Size Key - Hash Key First", 54,
              "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
    /* Test Case 7: key and data larger than the block */
    const char *t7 = "This is a test using a larger than block-size key and a larger "
                     "than block-size data. The key needs to be hashed before being "
                     "used by the HMAC algorithm.";
    hmac_case(k, 131, t7, strlen(t7),
              "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
}
END_TEST

/* ---- a case with most kinds of records ------------------------------------ */

#define NS "<process xmlns='urn:zaakflow:process:1' id='p' version='1'"

static const char *CASE =
    NS " initial='a'>"
       "<data><enum id='kleur'><value id='rood'/><value id='groen'/></enum>"
       "<var id='n' type='int' default='0'/><var id='s' type='string'/>"
       "<var id='m' type='int' default='5'/>"
       "<var id='k' type='kleur'/></data>"
       "<events><event id='go'/><event id='set'/><event id='susp'/><event id='res'/>"
       "<event id='ext'/><event id='close'/><event id='stop'/></events>"
       "<term id='top' length='6w'><basis>Awb 6:7</basis></term>"
       "<term id='lang' length='20w'/>"
       "<state id='a'>"
       " <term id='t1' length='2w'/>"
       " <transition event='expired.t1'><log text='t1 expired'/></transition>"
       " <transition event='set'><assign var='n' expr='n + 1'/>"
       "   <assign var='s' expr='\"tekst &amp; &lt;meer&gt;\"'/>"
       "   <assign var='k' expr='\"groen\"'/>"
       "   <notify to='behandelaar' text='gezet'/></transition>"
       " <transition event='susp'><suspend term='top'/></transition>"
       " <transition event='res'><resume term='top'/></transition>"
       " <transition event='ext'><extend term='top' by='6w'/></transition>"
       " <transition event='stop'><stop term='top'/></transition>"
       " <transition event='go' target='b'/>"
       " <transition event='close' target='klaar'/></state>"
       "<state id='b'><transition event='close' target='klaar'/></state>"
       "<final id='klaar' outcome='afgehandeld'/></process>";

/* 2026-01-05 start; set; suspend; resume; extend; suspend again; time passes (t1
 * expires); set again. 8 steps. */
static void busy(const zf_instance_options *o) {
    def = load(CASE);
    zf_error_clear(&err);
    ck_assert_msg(zf_instance_new(&inst, def, D("2026-01-05"), NULL, 0, o, &err) == ZF_OK,
                  "%s", err.message);
    ck_assert_int_eq(fire(inst, "set", "2026-01-06"), ZF_OK);
    ck_assert_int_eq(fire(inst, "susp", "2026-01-10"), ZF_OK);
    ck_assert_int_eq(fire(inst, "res", "2026-01-15"), ZF_OK);
    ck_assert_int_eq(fire(inst, "ext", "2026-01-16"), ZF_OK);
    ck_assert_int_eq(fire(inst, "susp", "2026-01-17"), ZF_OK);
    ck_assert_int_eq(zf_instance_advance(inst, D("2026-01-21"), &err), ZF_OK);
    ck_assert_int_eq(fire(inst, "set", "2026-01-22"), ZF_OK);
}

/* s with `from` replaced by `to` (the first occurrence), and its digest written again
 * (with `key`, also its MAC). */
static char *tamper(const char *s, const char *from, const char *to,
                    const unsigned char *key) {
    const char *p = strstr(s, from);
    zf_buf b = ZF_BUF_INIT;
    ck_assert_msg(p != NULL, "'%s' not in the snapshot:\n%s", from, s);
    ck_assert_int_eq(zf_buf_put(&b, s, (size_t)(p - s)), ZF_OK);
    ck_assert_int_eq(zf_buf_puts(&b, to), ZF_OK);
    ck_assert_int_eq(zf_buf_puts(&b, p + strlen(from)), ZF_OK);
    ck_assert_int_eq(zf__snapshot_reseal(&b, key, key ? strlen((const char *)key) : 0),
                     ZF_OK);
    char *t = strdup(b.ptr);
    zf_buf_dispose(&b);
    return t;
}

static zf_code restore_with(const char *s, int journal, const unsigned char *key,
                            zf_instance **out) {
    zf_instance_options o = ZF_INSTANCE_OPTIONS_INIT;
    o.journal = journal;
    o.key = key;
    o.key_len = key ? strlen((const char *)key) : 0;
    zf_error_clear(&err);
    return zf_instance_restore(out, def, s, strlen(s), &o, &err);
}

/* Restoring the tampered snapshot fails with `code` and a message containing `msg`
 * (journal on and, unless the rule is the journal's, off). */
static void refused(const char *s, const char *from, const char *to, zf_code code,
                    const char *msg) {
    char *t = tamper(s, from, to, NULL);
    for (int journal = 1; journal >= 0; journal--) {
        zf_instance *r = NULL;
        zf_code rc = restore_with(t, journal, NULL, &r);
        ck_assert_msg(rc == code && strstr(err.message, msg),
                      "'%s' -> '%s' (journal %d): got %s: %s (want %s: %s)", from, to,
                      journal, zf_code_name(rc), err.message, zf_code_name(code), msg);
        ck_assert_ptr_null(r);
        ck_assert_str_eq(err.file, "<snapshot>");
        ck_assert_int_gt(err.line, 0);
    }
    free(t);
}

START_TEST(test_snapshot_round_trip_and_format) {
    busy(NULL);
    char *s1 = snap_of(inst);
    if (getenv("ZF_SHOW"))
        fputs(s1, stderr);
    ck_assert_ptr_nonnull(strstr(s1, "<integrity sha256=\""));
    ck_assert_ptr_null(strstr(s1, "hmac-sha256"));
    ck_assert_ptr_nonnull(strstr(s1, "seq=\"8\""));
    for (int journal = 1; journal >= 0; journal--) {
        zf_instance *r = NULL;
        ck_assert_msg(restore_with(s1, journal, NULL, &r) == ZF_OK, "%s", err.message);
        char *s2 = snap_of(r);
        ck_assert_str_eq(s1, s2); /* with the journal off, it is kept as it was */
        free(s2);
        zf_instance_free(r);
    }
    free(s1);
}
END_TEST

/* Each kind of inconsistency of the issue, refused with the rule it breaks. */
START_TEST(test_snapshot_strict_unknown) {
    busy(NULL);
    char *s = snap_of(inst);
    refused(s, "<var id=\"n\" type=\"int\" value=\"2\"/>",
            "<var id=\"n\" type=\"int\" valeu=\"2\"/>", ZF_ESNAPSHOT,
            "unknown attribute 'valeu' on <var>");
    refused(s, "<configuration>", "<configuration><bogus/>", ZF_ESNAPSHOT,
            "unexpected <bogus> in <configuration>");
    refused(s, "  <terms>", "  <extra/>\n  <terms>", ZF_ESNAPSHOT, "expected <terms>");
    refused(s, "<entered name=\"a\"", "<wander name=\"a\"", ZF_ESNAPSHOT,
            "unknown journal record <wander>");
    refused(s, "<assign name=\"n\"", "<assign date=\"2026-01-06\" name=\"n\"",
            ZF_ESNAPSHOT, "<assign> has an attribute it never has");
    refused(s, "<state id=\"a\"/>", "<state id=\"zz\"/>", ZF_ESNAPSHOT,
            "the definition has no state 'zz'");
    refused(s, "  <terms>", "  <!-- x -->\n  <terms>", ZF_ESNAPSHOT, "comments");
    free(s);
}
END_TEST

START_TEST(test_snapshot_strict_dates) {
    busy(NULL);
    char *s = snap_of(inst);
    /* A case date before the journal's last entry. */
    refused(s, "date=\"2026-01-22\" seq", "date=\"2026-01-21\" seq", ZF_ESNAPSHOT,
            "journal entry 8 is dated 2026-01-22, after the case date 2026-01-21");
    /* A term expired whose last day is still ahead. */
    refused(s, "<term id=\"lang\" status=\"running\"",
            "<term id=\"lang\" status=\"expired\"", ZF_ESNAPSHOT,
            "term 'lang' is expired but its last day 2026-05-25 is not before");
    /* A suspension dated after the case date. */
    refused(s, "<suspension from=\"2026-01-17\"/>", "<suspension from=\"2026-01-23\"/>",
            ZF_ESNAPSHOT, "is dated after the case date");
    free(s);
}
END_TEST

START_TEST(test_snapshot_strict_derived) {
    busy(NULL);
    char *s = snap_of(inst);
    char *t;
    zf_instance *r = NULL;
    /* An open suspension from 0001-01-01 (the term would end in 4051): the journal
       says when it was suspended. */
    t = tamper(s, "<suspension from=\"2026-01-17\"/>",
               "<suspension from=\"0001-01-01\"/>", NULL);
    ck_assert_int_eq(restore_with(t, 1, NULL, &r), ZF_ESNAPSHOT);
    ck_assert_msg(
        strstr(err.message, "suspensions of term 'top' are not those of the journal"),
        "%s", err.message);
    free(t);
    /* The active state swapped for another, a legal configuration too. */
    refused(
        s, "<state id=\"a\"/>", "<state id=\"b\"/>", ZF_ESNAPSHOT,
        "the configuration does not follow from the journal: state 'a' is not active");
    /* A variable changed to another valid value. */
    refused(s, "<var id=\"n\" type=\"int\" value=\"2\"/>",
            "<var id=\"n\" type=\"int\" value=\"7\"/>", ZF_ESNAPSHOT,
            "variable 'n' is '7', but the journal last assigned it '2'");
    /* A term's status changed consistently with its data. */
    refused(s, "<term id=\"t1\" status=\"expired\"", "<term id=\"t1\" status=\"stopped\"",
            ZF_ESNAPSHOT, "term 't1' is stopped, but the journal says expired");
    /* An illegal configuration: a compound state without an active child. */
    refused(s, "    <state id=\"a\"/>\n", "", ZF_ESNAPSHOT,
            "has 0 active children: an active compound state has exactly one");
    /* A term end that does not follow from its data. */
    refused(s, "end=\"2026-04-07\"", "end=\"2026-04-08\"", ZF_ESNAPSHOT,
            "does not follow from its data");
    /* A suspended term without its open suspension. */
    refused(s, "<suspension from=\"2026-01-17\"/>",
            "<suspension from=\"2026-01-17\" to=\"2026-01-18\"/>", ZF_ESNAPSHOT,
            "is suspended but has no open suspension");
    free(s);
}
END_TEST

/* The configuration of a chart with a parallel state: every region active, every
 * active state's parent active. */
START_TEST(test_snapshot_strict_parallel) {
    def =
        load(NS " initial='par'><events><event id='x'/></events>"
                "<parallel id='par'>"
                " <state id='r1' initial='r1a'><state id='r1a'><transition event='x' "
                "target='r1b'/></state><state id='r1b'/></state>"
                " <state id='r2' initial='r2a'><state id='r2a'/><state id='r2b'/></state>"
                "</parallel></process>");
    zf_error_clear(&err);
    ck_assert_int_eq(zf_instance_new(&inst, def, D("2026-01-05"), NULL, 0, NULL, &err),
                     ZF_OK);
    char *s = snap_of(inst);
    refused(s, "    <state id=\"r2\"/>\n    <state id=\"r2a\"/>\n", "", ZF_ESNAPSHOT,
            "parallel state 'par' has 1 of its 2 regions active: an active parallel "
            "state has "
            "all");
    refused(s, "    <state id=\"r2\"/>\n", "", ZF_ESNAPSHOT,
            "state 'r2a' is active but its parent 'r2' is not");
    refused(s, "<state id=\"r2a\"/>", "<state id=\"r2a\"/>\n    <state id=\"r2b\"/>",
            ZF_ESNAPSHOT, "compound state 'r2' has 2 active children");
    /* Legal, but not what the journal says. */
    refused(s, "<state id=\"r2a\"/>", "<state id=\"r2b\"/>", ZF_ESNAPSHOT,
            "the configuration does not follow from the journal: state 'r2a'");
    free(s);
}
END_TEST

/* An extension that is not in the journal (the end recomputed to fit it). */
START_TEST(test_snapshot_strict_extension) {
    busy(NULL);
    char *s = snap_of(inst);
    char *t = tamper(s, "      <extension by=\"6w\"/>\n", "", NULL);
    zf_instance *r = NULL;
    /* Without the extension the stored end no longer follows. */
    ck_assert_int_eq(restore_with(t, 1, NULL, &r), ZF_ESNAPSHOT);
    ck_assert_msg(strstr(err.message, "does not follow from its data"), "%s",
                  err.message);
    free(t);
    /* With a second extension and the end that follows from it. */
    zf_term_info ti;
    ck_assert_int_eq(zf_instance_term_by_id(&ti, inst, "top", &err), ZF_OK);
    t = tamper(s, "      <extension by=\"6w\"/>\n",
               "      <extension by=\"6w\"/>\n      <extension by=\"1d\"/>\n", NULL);
    char *t2 = tamper(t, "end=\"2026-04-07\"", "end=\"2026-04-08\"", NULL);
    ck_assert_int_eq(restore_with(t2, 1, NULL, &r), ZF_ESNAPSHOT);
    ck_assert_msg(strstr(err.message, "term 'top'"), "%s", err.message);
    free(t);
    free(t2);
    free(s);
}
END_TEST

/* Lines of s as an array (the entries of the journal are moved around whole). */
static char *swap_entries(const char *s, int a, int b) {
    /* Entry k (1-based) runs from "    <entry seq=\"k\"" to the next "    <entry" or
       "  </journal>". */
    char ka[32], kb[32];
    snprintf(ka, sizeof ka, "    <entry seq=\"%d\"", a);
    snprintf(kb, sizeof kb, "    <entry seq=\"%d\"", b);
    const char *pa = strstr(s, ka), *pb = strstr(s, kb);
    ck_assert(pa && pb && pa < pb);
    const char *ea = strstr(pa + 1, "    <entry");
    const char *eb = strstr(pb + 1, "    <entry");
    if (!eb)
        eb = strstr(pb, "  </journal>");
    zf_buf o = ZF_BUF_INIT;
    zf_buf_put(&o, s, (size_t)(pa - s));
    zf_buf_put(&o, pb, (size_t)(eb - pb));
    zf_buf_put(&o, ea, (size_t)(pb - ea));
    zf_buf_put(&o, pa, (size_t)(ea - pa));
    zf_buf_puts(&o, eb);
    ck_assert_int_eq(zf__snapshot_reseal(&o, NULL, 0), ZF_OK);
    char *t = strdup(o.ptr);
    zf_buf_dispose(&o);
    return t;
}

START_TEST(test_snapshot_strict_journal) {
    busy(NULL);
    char *s = snap_of(inst), *t;
    zf_instance *r = NULL;
    /* Removed: entry 3 taken out. */
    const char *p3 = strstr(s, "    <entry seq=\"3\""),
               *p4 = strstr(s, "    <entry seq=\"4\"");
    char *cut = malloc(strlen(s) + 1);
    memcpy(cut, s, (size_t)(p3 - s));
    strcpy(cut + (p3 - s), p4);
    t = tamper(cut, "<?xml", "<?xml", NULL);
    ck_assert_int_eq(restore_with(t, 1, NULL, &r), ZF_ESNAPSHOT);
    ck_assert_msg(
        strstr(err.message, "journal entry 4 is out of sequence: the next step is 3"),
        "%s", err.message);
    free(t);
    free(cut);
    /* Reordered. */
    t = swap_entries(s, 3, 4);
    ck_assert_int_eq(restore_with(t, 0, NULL, &r), ZF_ESNAPSHOT);
    ck_assert_msg(strstr(err.message, "journal entry 4 is out of sequence"), "%s",
                  err.message);
    free(t);
    /* Duplicated (renumbered to look contiguous: the case's seq then disagrees). */
    refused(s, "seq=\"8\">", "seq=\"9\">", ZF_ESNAPSHOT,
            "the journal ends with step 8, but the case has run 9 steps");
    refused(s, "<entry seq=\"2\"", "<entry seq=\"1\"", ZF_ESNAPSHOT,
            "journal entry 1 is out of sequence: the next step is 2");
    /* A record dated otherwise than its step. */
    refused(s, "<term-suspended name=\"top\" date=\"2026-01-10\"/>",
            "<term-suspended name=\"top\" date=\"2026-01-09\"/>", ZF_ESNAPSHOT,
            "suspended on another day than the step of entry 3");
    /* An extension that is not a duration. */
    refused(s, "<term-extended name=\"top\" text=\"6w\"",
            "<term-extended name=\"top\" text=\"6 weken\"", ZF_ESNAPSHOT,
            "the extension of term 'top' in entry 5 is not a duration");
    /* A gap that does not fit. */
    refused(s, "  </journal>", "    <gap from=\"9\" to=\"9\"/>\n  </journal>",
            ZF_ESNAPSHOT, "the journal ends with step 9, but the case has run 8 steps");
    free(s);
}
END_TEST

/* A changed value that the journal does not cover (a variable set when the case
 * started) is consistent with everything else: only the digest (an accident) or the
 * MAC (with a key) refuses it. */
START_TEST(test_snapshot_self_consistent_change) {
    busy(NULL);
    char *s = snap_of(inst);
    zf_instance *r = NULL;
    const char *from = "<var id=\"m\" type=\"int\" value=\"5\"/>",
               *to = "<var id=\"m\" type=\"int\" value=\"6\"/>";
    /* Without resealing: corrupt. */
    char *t = strdup(s);
    strstr(t, from)[strlen(from) - 4] = '6';
    ck_assert_int_eq(restore_with(t, 1, NULL, &r), ZF_ESNAPSHOT);
    ck_assert_msg(strstr(err.message, "corrupt"), "%s", err.message);
    free(t);
    /* Resealed without a key: accepted (a digest is no secret) ... */
    t = tamper(s, from, to, NULL);
    ck_assert_int_eq(restore_with(t, 1, NULL, &r), ZF_OK);
    zf_instance_free(r);
    r = NULL;
    /* ... but a host with a key refuses it: it has no MAC ... */
    ck_assert_int_eq(restore_with(t, 1, (const unsigned char *)"geheim", &r),
                     ZF_ESNAPSHOT);
    ck_assert_msg(strstr(err.message, "not sealed with a key"), "%s", err.message);
    free(t);
    /* ... or a MAC under another key. */
    t = tamper(s, from, to, (const unsigned char *)"ander");
    ck_assert_int_eq(restore_with(t, 1, (const unsigned char *)"geheim", &r),
                     ZF_ESNAPSHOT);
    ck_assert_msg(strstr(err.message, "HMAC does not match"), "%s", err.message);
    free(t);
    /* A changed journal text is not: the definition gives every text. */
    t = tamper(s, "t1 expired", "T1 expired", NULL);
    ck_assert_int_eq(restore_with(t, 1, NULL, &r), ZF_ESNAPSHOT);
    ck_assert_msg(
        strstr(err.message, "<log> in entry 7 has a text the definition does not give"),
        "%s", err.message);
    free(t);
    free(s);
}
END_TEST

START_TEST(test_snapshot_key_every_byte) {
    static const unsigned char key[] = "sleutel van de gemeente";
    zf_instance_options o = ZF_INSTANCE_OPTIONS_INIT;
    o.key = key;
    o.key_len = strlen((const char *)key);
    busy(&o);
    char *s = snap_of(inst);
    size_t n = strlen(s), refused_n = 0;
    zf_instance *r = NULL;
    ck_assert_ptr_nonnull(strstr(s, " hmac-sha256=\""));
    ck_assert_int_eq(restore_with(s, 1, key, &r), ZF_OK);
    char *s2 = snap_of(r); /* a restored instance seals with the key it was given */
    ck_assert_str_eq(s, s2);
    free(s2);
    zf_instance_free(r);
    r = NULL;
    /* Without the key: the digest is checked, the MAC is not, none is written. */
    ck_assert_int_eq(restore_with(s, 1, NULL, &r), ZF_OK);
    s2 = snap_of(r);
    ck_assert_ptr_null(strstr(s2, "hmac-sha256"));
    free(s2);
    zf_instance_free(r);
    r = NULL;
    /* Any changed byte is refused (with and without the key). */
    char *t = malloc(n + 1);
    for (size_t i = 0; i < n; i++) {
        for (int flip = 0; flip < 2; flip++) {
            memcpy(t, s, n + 1);
            t[i] = (char)(flip ? t[i] ^ 0x01 : (t[i] == ' ' ? '\t' : ' '));
            zf_code rc = restore_with(t, 1, key, &r);
            ck_assert_msg(rc != ZF_OK, "byte %zu changed, accepted", i);
            ck_assert_int_ne(err.message[0], '\0');
            ck_assert_ptr_null(r);
            rc = restore_with(t, 0, NULL, &r);
            ck_assert_msg(rc != ZF_OK, "byte %zu changed, accepted without the key", i);
            refused_n++;
        }
    }
    /* A byte removed, and the snapshot cut at every length. */
    for (size_t i = 0; i < n; i++) {
        memcpy(t, s, i);
        memcpy(t + i, s + i + 1, n - i);
        ck_assert_int_ne(restore_with(t, 1, key, &r), ZF_OK);
        zf_error_clear(&err);
        ck_assert_int_ne(zf_instance_restore(&r, def, s, i, NULL, &err), ZF_OK);
        ck_assert_int_ne(err.code, ZF_OK);
    }
    printf("key: %zu one-byte changes of a %zu-byte snapshot, all refused\n", refused_n,
           n);
    free(t);
    free(s);
}
END_TEST

/* ---- the journal of a restore without it ---------------------------------- */

START_TEST(test_snapshot_journal_kept) {
    busy(NULL);
    char *s = snap_of(inst);
    zf_instance *off = NULL, *on = NULL;
    ck_assert_int_eq(restore_with(s, 0, NULL, &off), ZF_OK);
    ck_assert_int_eq(zf_instance_journal_count(off), 0);
    /* Steps run without the journal are listed as one gap after the kept journal. */
    ck_assert_int_eq(fire(off, "set", "2026-01-23"), ZF_OK);
    ck_assert_int_eq(fire(off, "set", "2026-01-24"), ZF_OK);
    char *s2 = snap_of(off);
    const char *kept_end = strstr(s, "  </journal>");
    ck_assert_ptr_nonnull(
        strstr(s2, "    </entry>\n    <gap from=\"9\" to=\"10\"/>\n  </journal>"));
    /* The journal's entries are written back unchanged. */
    const char *j1 = strstr(s, "  <journal>"), *j2 = strstr(s2, "  <journal>");
    ck_assert_int_eq(memcmp(j1, j2, (size_t)(kept_end - j1)), 0);
    /* Back with the journal: the gap stays where it was, new entries follow it. */
    ck_assert_int_eq(restore_with(s2, 1, NULL, &on), ZF_OK);
    ck_assert_int_eq(zf_instance_journal_count(on), 8);
    ck_assert_int_eq(fire(on, "set", "2026-01-25"), ZF_OK);
    char *s3 = snap_of(on);
    ck_assert_ptr_nonnull(strstr(
        s3,
        "    <gap from=\"9\" to=\"10\"/>\n    <entry seq=\"11\" date=\"2026-01-25\""));
    zf_journal_entry je;
    ck_assert_int_eq(zf_instance_journal_entry(&je, on, 8, NULL), ZF_OK);
    ck_assert_int_eq(je.seq, 11);
    /* And off again: two gaps, the last one grown by the steps since. */
    zf_instance_free(off);
    off = NULL;
    ck_assert_int_eq(restore_with(s3, 0, NULL, &off), ZF_OK);
    ck_assert_int_eq(fire(off, "set", "2026-01-26"), ZF_OK);
    char *s4 = snap_of(off);
    ck_assert_ptr_nonnull(
        strstr(s4, "    </entry>\n    <gap from=\"12\" to=\"12\"/>\n  </journal>"));
    zf_instance_free(on);
    on = NULL;
    ck_assert_int_eq(restore_with(s4, 1, NULL, &on), ZF_OK);
    char *s5 = snap_of(on);
    ck_assert_str_eq(s4, s5);
    /* Copies keep the kept journal, the gaps and the key. */
    const unsigned char *key = (const unsigned char *)"geheim";
    zf_instance *offc = NULL, *onc = NULL, *keyed = NULL, *keyedc = NULL;
    ck_assert_int_eq(zf_instance_clone(&offc, off, &err), ZF_OK);
    ck_assert_int_eq(zf_instance_clone(&onc, on, &err), ZF_OK);
    char *c1 = snap_of(offc), *c2 = snap_of(onc), *c3 = snap_of(off);
    ck_assert_str_eq(c1, c3);
    ck_assert_str_eq(c2, s5);
    ck_assert_int_eq(restore_with(s4, 0, key, &keyed), ZF_ESNAPSHOT); /* not sealed */
    char *sealed = tamper(s4, "<snapshot", "<snapshot", key);
    ck_assert_int_eq(restore_with(sealed, 0, key, &keyed), ZF_OK);
    ck_assert_int_eq(zf_instance_clone(&keyedc, keyed, &err), ZF_OK);
    char *c4 = snap_of(keyedc);
    ck_assert_str_eq(c4, sealed);
    ck_assert_ptr_nonnull(strstr(c4, "hmac-sha256="));
    free(c1);
    free(c2);
    free(c3);
    free(c4);
    free(sealed);
    zf_instance_free(offc);
    zf_instance_free(onc);
    zf_instance_free(keyed);
    zf_instance_free(keyedc);
    free(s);
    free(s2);
    free(s3);
    free(s4);
    free(s5);
    zf_instance_free(on);
    zf_instance_free(off);
}
END_TEST

START_TEST(test_snapshot_journal_never_on) {
    zf_instance_options o = ZF_INSTANCE_OPTIONS_INIT;
    o.journal = 0;
    busy(&o);
    char *s = snap_of(inst);
    zf_instance *on = NULL;
    ck_assert_ptr_null(strstr(s, "<journal>"));
    /* With the journal on: nothing is written until the first step journaled ... */
    ck_assert_int_eq(restore_with(s, 1, NULL, &on), ZF_OK);
    char *s2 = snap_of(on);
    ck_assert_str_eq(s, s2);
    /* ... which follows a gap of every step before it. */
    ck_assert_int_eq(fire(on, "set", "2026-01-23"), ZF_OK);
    char *s3 = snap_of(on);
    ck_assert_ptr_nonnull(
        strstr(s3, "  <journal>\n    <gap from=\"1\" to=\"8\"/>\n    <entry seq=\"9\""));
    zf_instance_free(on);
    on = NULL;
    ck_assert_int_eq(restore_with(s3, 1, NULL, &on), ZF_OK);
    free(s2);
    s2 = snap_of(on);
    ck_assert_str_eq(s3, s2);
    zf_instance_free(on);
    free(s);
    free(s2);
    free(s3);
}
END_TEST

/* ---- counters and limits --------------------------------------------------- */

START_TEST(test_snapshot_seq_never_wraps) {
    zf_instance_options o = ZF_INSTANCE_OPTIONS_INIT;
    o.journal = 0;
    busy(&o);
    char *s = snap_of(inst);
    char *t = tamper(s, "seq=\"8\"", "seq=\"4294967295\"", NULL);
    zf_instance *r = NULL;
    ck_assert_msg(restore_with(t, 0, NULL, &r) == ZF_OK, "%s", err.message);
    char *before = snap_of(r);
    ck_assert_int_eq(fire(r, "set", "2026-01-23"), ZF_ELIMIT);
    ck_assert_msg(strstr(err.message, "no further step can be numbered"), "%s",
                  err.message);
    char *after = snap_of(r);
    ck_assert_str_eq(before, after);
    zf_instance_free(r);
    r = NULL;
    /* The library's own snapshot restores. */
    ck_assert_int_eq(restore_with(after, 0, NULL, &r), ZF_OK);
    zf_instance_free(r);
    r = NULL;
    refused(s, "seq=\"8\"", "seq=\"4294967296\"", ZF_ESNAPSHOT, "is not a number from 0");
    refused(s, "seq=\"8\"", "seq=\"0\"", ZF_ESNAPSHOT, "seq is 0");
    free(s);
    free(t);
    free(before);
    free(after);
}
END_TEST

START_TEST(test_snapshot_limits) {
    zf_instance_options o = ZF_INSTANCE_OPTIONS_INIT;
    zf_buf b = ZF_BUF_INIT;
    zf_instance *r = NULL;
    o.max_journal = 3;
    def = load(CASE);
    ck_assert_int_eq(zf_instance_new(&inst, def, D("2026-01-05"), NULL, 0, &o, &err),
                     ZF_OK);
    ck_assert_int_eq(fire(inst, "set", "2026-01-06"), ZF_OK);
    ck_assert_int_eq(fire(inst, "set", "2026-01-07"), ZF_OK);
    char *s = snap_of(inst);
    ck_assert_int_eq(fire(inst, "set", "2026-01-08"), ZF_ELIMIT);
    ck_assert_msg(strstr(err.message, "max_journal"), "%s", err.message);
    char *s2 = snap_of(inst);
    ck_assert_str_eq(s, s2);
    free(s2);
    /* Restoring more entries than the limit. */
    o.max_journal = 2;
    zf_error_clear(&err);
    ck_assert_int_eq(zf_instance_restore(&r, def, s, strlen(s), &o, &err), ZF_ELIMIT);
    ck_assert_msg(strstr(err.message, "more than 2 entries"), "%s", err.message);
    /* The size limit, for restore, info and writing. */
    o.max_journal = 0;
    o.max_snapshot = strlen(s) - 1;
    zf_error_clear(&err);
    ck_assert_int_eq(zf_instance_restore(&r, def, s, strlen(s), &o, &err), ZF_ELIMIT);
    zf_snapshot_summary sum;
    ck_assert_int_eq(zf_snapshot_info(&sum, s, strlen(s), &o, &err), ZF_ELIMIT);
    zf_instance_free(inst);
    inst = NULL;
    o.max_snapshot = 200;
    ck_assert_int_eq(zf_instance_new(&inst, def, D("2026-01-05"), NULL, 0, &o, &err),
                     ZF_OK);
    zf_buf_puts(&b, "keep");
    ck_assert_int_eq(zf_instance_snapshot(&b, inst, &err), ZF_ELIMIT);
    ck_assert_str_eq(b.ptr, "keep");
    zf_buf_dispose(&b);
    /* A 100 MB snapshot is refused by the default limit before it is read. */
    size_t big = 100u * 1024 * 1024;
    char *huge = malloc(big);
    memset(huge, ' ', big);
    memcpy(huge, s, strlen(s));
    zf_error_clear(&err);
    ck_assert_int_eq(zf_instance_restore(&r, def, huge, big, NULL, &err), ZF_ELIMIT);
    ck_assert_msg(strstr(err.message, "more than its limit of 16777216"), "%s",
                  err.message);
    free(huge);
    /* Options: version 1 callers, and bad values. */
    o = (zf_instance_options)ZF_INSTANCE_OPTIONS_INIT;
    o.version = 1;
    ck_assert_int_eq(zf_instance_restore(&r, def, s, strlen(s), &o, &err), ZF_OK);
    zf_instance_free(r);
    r = NULL;
    o.version = 3;
    ck_assert_int_eq(zf_instance_restore(&r, def, s, strlen(s), &o, &err), ZF_EINVAL);
    o.version = 2;
    o.key_len = 3;
    ck_assert_int_eq(zf_instance_restore(&r, def, s, strlen(s), &o, &err), ZF_EINVAL);
    ck_assert_msg(strstr(err.message, "key is NULL"), "%s", err.message);
    free(s);
}
END_TEST

/* Text a snapshot cannot hold never enters an instance. */
START_TEST(test_snapshot_text_refused) {
    def = load(CASE);
    zf_param_value v[] = {{"s", zf_value_string("tab\tand\nline feed ok")}};
    ck_assert_int_eq(zf_instance_new(&inst, def, D("2026-01-05"), v, 1, NULL, &err),
                     ZF_OK);
    zf_instance_free(inst);
    inst = NULL;
    const char *bad_text[] = {"bell\a", "\xff", "\xc0\xaf", "\xed\xa0\x80",
                              "\xef\xbf\xbf"};
    for (size_t i = 0; i < sizeof bad_text / sizeof *bad_text; i++) {
        v[0].value = zf_value_string(bad_text[i]);
        zf_error_clear(&err);
        ck_assert_int_eq(zf_instance_new(&inst, def, D("2026-01-05"), v, 1, NULL, &err),
                         ZF_EINVAL);
        ck_assert_msg(strstr(err.message, "must be UTF-8"), "%s", err.message);
    }
    ck_assert_int_eq(zf_instance_new(&inst, def, D("2026-01-05"), NULL, 0, NULL, &err),
                     ZF_OK);
    zf_actor a = {"ik\x01", NULL, 0};
    zf_error_clear(&err);
    ck_assert_int_eq(zf_instance_fire(inst, "set", D("2026-01-06"), &a, NULL, 0, &err),
                     ZF_EINVAL);
}
END_TEST

/* A term stopped while suspended keeps no open suspension (the snapshot of a bezwaar
 * received, suspended and withdrawn used to be refused). */
START_TEST(test_snapshot_stop_while_suspended) {
    def = load(CASE);
    ck_assert_int_eq(zf_instance_new(&inst, def, D("2026-01-05"), NULL, 0, NULL, &err),
                     ZF_OK);
    ck_assert_int_eq(fire(inst, "susp", "2026-01-10"), ZF_OK);
    ck_assert_int_eq(fire(inst, "stop", "2026-01-20"), ZF_OK);
    zf_term_info ti;
    ck_assert_int_eq(zf_instance_term_by_id(&ti, inst, "top", &err), ZF_OK);
    ck_assert_int_eq(ti.status, ZF_TERM_STOPPED);
    ck_assert_int_eq(ti.nsuspensions, 1);
    ck_assert_int_eq(ti.suspensions[0].to, D("2026-01-20"));
    /* 2026-02-16 + 9 suspended days (01-11 .. 01-19, Awb 4:15) = 2026-02-25. */
    char buf[ZF_DATE_BUFSIZE];
    ck_assert_str_eq(zf_date_format(buf, ti.end), "2026-02-25");
    char *s = snap_of(inst);
    zf_instance *r = NULL;
    ck_assert_msg(restore_with(s, 1, NULL, &r) == ZF_OK, "%s", err.message);
    zf_instance_free(r);
    free(s);
}
END_TEST

/* ---- zf_snapshot_info ------------------------------------------------------- */

START_TEST(test_snapshot_info) {
    busy(NULL);
    char *s = snap_of(inst);
    zf_snapshot_summary sum;
    char buf[ZF_DATE_BUFSIZE];
    ck_assert_int_eq(zf_snapshot_info(&sum, s, strlen(s), NULL, &err), ZF_OK);
    ck_assert_str_eq(sum.process, "p");
    ck_assert_str_eq(sum.version, "1");
    ck_assert_str_eq(sum.hash, zf_definition_hash(def));
    ck_assert_str_eq(zf_date_format(buf, sum.date), "2026-01-22");
    ck_assert_int_eq(sum.seq, 8);
    ck_assert_int_eq(sum.finished, 0);
    ck_assert_str_eq(sum.outcome, "");
    const char *term;
    ck_assert_int_eq(sum.next_due, zf_instance_next_due(inst, &term));
    ck_assert_str_eq(sum.next_term, term);
    ck_assert_int_eq(sum.journal_entries, 8);
    ck_assert_int_eq(sum.sealed, 0);
    /* A closed case. */
    ck_assert_int_eq(fire(inst, "close", "2026-01-30"), ZF_OK);
    free(s);
    s = snap_of(inst);
    ck_assert_int_eq(zf_snapshot_info(&sum, s, strlen(s), NULL, &err), ZF_OK);
    ck_assert_int_eq(sum.finished, 1);
    ck_assert_str_eq(sum.outcome, "afgehandeld");
    ck_assert_int_eq(sum.next_due, ZF_DATE_NONE);
    ck_assert_str_eq(sum.next_term, "");
    /* Corrupt, keyed, misuse; a failure leaves out as it was. */
    static const unsigned char key[] = "k";
    zf_instance_options o = ZF_INSTANCE_OPTIONS_INIT;
    o.key = key;
    o.key_len = 1;
    ck_assert_int_eq(zf_snapshot_info(&sum, s, strlen(s), &o, &err), ZF_ESNAPSHOT);
    ck_assert_int_eq(sum.finished, 1);
    char *h = strstr(s, "hash=\"") + 6;
    *h = *h == '0' ? '1' : '0';
    ck_assert_int_eq(zf_snapshot_info(&sum, s, strlen(s), NULL, &err), ZF_ESNAPSHOT);
    ck_assert_msg(strstr(err.message, "corrupt"), "%s", err.message);
    ck_assert_int_eq(zf_snapshot_info(NULL, s, strlen(s), NULL, &err), ZF_EINVAL);
    ck_assert_int_eq(zf_snapshot_info(&sum, NULL, 0, NULL, &err), ZF_EINVAL);
    ck_assert_int_eq(zf_snapshot_info(&sum, "<snapshot", 9, NULL, &err), ZF_EPARSE);
    free(s);
}
END_TEST

/* ---- allocation failures ------------------------------------------------------ */

START_TEST(test_snapshot_alloc_fail) {
    busy(NULL);
    char *s = snap_of(inst);
    for (int journal = 1; journal >= 0; journal--) {
        for (long n = 0;; n++) {
            zf_instance *r = NULL;
            th_alloc_fail_at(n);
            zf_code rc = restore_with(s, journal, NULL, &r);
            long live = th_alloc_live();
            int failed = th_alloc_failed();
            th_alloc_reset();
            if (rc == ZF_OK) {
                ck_assert(!failed);
                char *s2 = snap_of(r);
                ck_assert_str_eq(s, s2);
                free(s2);
                zf_instance_free(r);
                break;
            }
            ck_assert_msg(rc == ZF_ENOMEM, "allocation %ld: %s: %s", n, zf_code_name(rc),
                          err.message);
            ck_assert_ptr_null(r);
            ck_assert_int_eq(live, 0);
        }
    }
    for (long n = 0;; n++) {
        zf_snapshot_summary sum;
        memset(&sum, 0x5a, sizeof sum);
        th_alloc_fail_at(n);
        zf_code rc = zf_snapshot_info(&sum, s, strlen(s), NULL, &err);
        long live = th_alloc_live();
        th_alloc_reset();
        if (rc == ZF_OK)
            break;
        ck_assert_int_eq(rc, ZF_ENOMEM);
        ck_assert_int_eq(live, 0);
        ck_assert_int_eq(sum.seq, 0x5a5a5a5a5a5a5a5aul & ULONG_MAX);
    }
    free(s);
}
END_TEST

/* ---- a byte-level mutation run ------------------------------------------------ */

/*
 * Every byte of a real snapshot (the bezwaar of the README, received, heard) is
 * replaced by each of a few other bytes and the digest written again, as a
 * forger without the key could: a mutant is either refused, or accepted, and then
 * it is what the library writes for what it restored (it round-trips, so it has
 * another meaning than the original: a different state of the case, consistent
 * with everything the engine derives). Without resealing, or with a key, every
 * mutant is refused.
 */
START_TEST(test_snapshot_mutation_run) {
    zf_definition *d = NULL;
    zf_error e;
    zf_error_clear(&e);
    ck_assert_int_eq(
        zf_definition_load(&d, th_srcpath("processes/bezwaar.xml"), NULL, &e), ZF_OK);
    def = d;
    zf_param_value vars[] = {{"verzonden", zf_value_date(D("2026-04-03"))},
                             {"commissie_gemeld", zf_value_bool(1)}};
    ck_assert_int_eq(zf_instance_new(&inst, def, D("2026-05-12"), vars, 2, NULL, &e),
                     ZF_OK);
    const char *roles[] = {"behandelaar"};
    zf_actor a = {"j.devries", roles, 1};
    zf_param_value p[] = {{"ontvangen", zf_value_date(D("2026-05-12"))},
                          {"per_post", zf_value_bool(0)}};
    ck_assert_int_eq(
        zf_instance_fire(inst, "bezwaarschrift_ontvangen", D("2026-05-12"), &a, p, 2, &e),
        ZF_OK);
    ck_assert_int_eq(zf_instance_advance(inst, D("2026-06-15"), &e), ZF_OK);
    char *s = snap_of(inst);
    size_t n = strlen(s), mutants = 0, refused_n = 0, accepted = 0;
    const char subst[] = {'0', '1', '9', 'a', 'e', 'z', ' ', '"', '<', '-', 'T'};
    zf_buf m = ZF_BUF_INIT;
    /* Only the body: the seal is written again. */
    size_t body = (size_t)(strstr(s, "  <integrity") - s);
    for (size_t i = 0; i < body; i++) {
        for (size_t k = 0; k < sizeof subst; k++) {
            zf_instance *r = NULL;
            if (s[i] == subst[k])
                continue;
            zf_buf_clear(&m);
            zf_buf_put(&m, s, n);
            m.ptr[i] = subst[k];
            ck_assert_int_eq(zf__snapshot_reseal(&m, NULL, 0), ZF_OK);
            mutants++;
            zf_error_clear(&e);
            zf_code rc = zf_instance_restore(&r, def, m.ptr, m.size, NULL, &e);
            if (rc != ZF_OK) {
                ck_assert_int_ne(e.code, ZF_OK);
                ck_assert_int_ne(e.message[0], '\0');
                refused_n++;
                continue;
            }
            accepted++;
            char *again = snap_of(r);
            ck_assert_str_eq(again, m.ptr); /* round-trips: its own, other meaning */
            if (getenv("ZF_SHOW"))
                fprintf(stderr, "accepted: byte %zu '%c' -> '%c'\n", i, s[i], subst[k]);
            free(again);
            zf_instance_free(r);
        }
    }
    printf("mutation run: %zu-byte snapshot, %zu resealed one-byte mutants: %zu refused "
           "(%.1f%%), %zu accepted with a different meaning (%.1f%%); without resealing "
           "or with a key: all refused\n",
           n, mutants, refused_n, 100.0 * (double)refused_n / (double)mutants, accepted,
           100.0 * (double)accepted / (double)mutants);
    zf_buf_dispose(&m);
    free(s);
}
END_TEST

/* ---- the scenario runner ------------------------------------------------------ */

/* Write `text` to a scenario file next to processes/ and return its path. */
static const char *scenario_file(const char *text) {
    static char path[256];
    snprintf(path, sizeof path, "%s/zf-scenario-%ld.xml", ZF_BUILDDIR, (long)getpid());
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
    return path;
}

/* <expect-effect> with a <param> lacking its name is a mistake of the scenario:
 * ZF_EPARSE, and nothing leaks. */
START_TEST(test_snapshot_scenario_param_without_name) {
    zf_scenario_options o = ZF_SCENARIO_OPTIONS_INIT;
    zf_scenario_runner *rn = NULL;
    zf_scenario_result res;
    char text[1024];
    snprintf(text, sizeof text,
             "<scenario xmlns='urn:zaakflow:scenario:1' process='%s' start='2025-11-17'>"
             "<set var='ontvangen' value='2025-11-17'/>"
             "<expect-effect kind='notify'><param value='x'/></expect-effect>"
             "</scenario>",
             th_srcpath("processes/klacht.xml"));
    const char *path = scenario_file(text);
    ck_assert_ptr_nonnull(zf_calendar_atw()); /* parsed once, kept for the process */
    th_alloc_fail_at(-1);                     /* counts the blocks alive */
    ck_assert_int_eq(zf_scenario_runner_new(&rn, &o, &err), ZF_OK);
    ck_assert_int_eq(zf_scenario_run_file(&res, NULL, rn, path, &err), ZF_EPARSE);
    ck_assert_msg(strstr(err.message, "expected <param name=\"\" value=\"\"/>"), "%s",
                  err.message);
    zf_scenario_runner_free(rn);
    ck_assert_int_eq(th_alloc_live(), 0);
    th_alloc_reset();
    remove(path);
}
END_TEST

/* The runner's round trips over the scenario of the issue (a suspended term
 * stopped: its snapshot used to be refused). */
START_TEST(test_snapshot_scenario_roundtrip) {
    zf_scenario_options o = ZF_SCENARIO_OPTIONS_INIT;
    zf_scenario_runner *rn = NULL;
    zf_scenario_result res;
    o.base_dir = th_srcpath("");
    o.roundtrip = 1;
    ck_assert_int_eq(zf_scenario_runner_new(&rn, &o, &err), ZF_OK);
    ck_assert_int_eq(
        zf_scenario_run_file(
            &res, NULL, rn,
            th_srcpath(
                "tests/scenarios/aanvraag_pw_aanvultermijn_overmacht_ingetrokken.xml"),
            &err),
        ZF_OK);
    ck_assert_msg(res.passed, "%s", res.message);
    /* At the start and after every action step, journal on and restored with it
       off: pairs. */
    ck_assert_uint_gt(zf_scenario_runner_roundtrips(rn), 2);
    ck_assert_uint_eq(zf_scenario_runner_roundtrips(rn) % 2, 0);
    zf_scenario_runner_free(rn);
    /* Version 1 options: no round trips. */
    o.version = 1;
    ck_assert_int_eq(zf_scenario_runner_new(&rn, &o, &err), ZF_OK);
    ck_assert_int_eq(
        zf_scenario_run_file(&res, NULL, rn,
                             th_srcpath("tests/scenarios/bezwaar_te_laat.xml"), &err),
        ZF_OK);
    ck_assert_uint_eq(zf_scenario_runner_roundtrips(rn), 0);
    zf_scenario_runner_free(rn);
    o.version = 4;
    ck_assert_int_eq(zf_scenario_runner_new(&rn, &o, &err), ZF_EINVAL);
}
END_TEST

int main(void) {
    Suite *s = suite_create("snapshot");
    TCase *tc = tcase_create("integrity");
    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_snapshot_hmac_rfc4231);
    tcase_add_test(tc, test_snapshot_round_trip_and_format);
    tcase_add_test(tc, test_snapshot_self_consistent_change);
    tcase_add_test(tc, test_snapshot_key_every_byte);
    suite_add_tcase(s, tc);
    tc = tcase_create("strict");
    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_add_test(tc, test_snapshot_strict_unknown);
    tcase_add_test(tc, test_snapshot_strict_dates);
    tcase_add_test(tc, test_snapshot_strict_derived);
    tcase_add_test(tc, test_snapshot_strict_journal);
    tcase_add_test(tc, test_snapshot_strict_parallel);
    tcase_add_test(tc, test_snapshot_strict_extension);
    tcase_add_test(tc, test_snapshot_seq_never_wraps);
    tcase_add_test(tc, test_snapshot_stop_while_suspended);
    tcase_add_test(tc, test_snapshot_text_refused);
    suite_add_tcase(s, tc);
    tc = tcase_create("journal");
    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_add_test(tc, test_snapshot_journal_kept);
    tcase_add_test(tc, test_snapshot_journal_never_on);
    suite_add_tcase(s, tc);
    tc = tcase_create("limits");
    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_add_test(tc, test_snapshot_limits);
    tcase_add_test(tc, test_snapshot_info);
    tcase_add_test(tc, test_snapshot_alloc_fail);
    suite_add_tcase(s, tc);
    tc = tcase_create("scenario");
    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_add_test(tc, test_snapshot_scenario_param_without_name);
    tcase_add_test(tc, test_snapshot_scenario_roundtrip);
    suite_add_tcase(s, tc);
    tc = tcase_create("mutation");
    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_snapshot_mutation_run);
    suite_add_tcase(s, tc);
    return th_run(s);
}
