/* Migration documents and zf_instance_migrate(): checks with positions, the
 * runtime mapping of states, variables and terms, atomicity and snapshots. */
#include "testhelp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PNS "xmlns='urn:zaakflow:process:1'"
#define MNS "xmlns='urn:zaakflow:migration:1'"

/* The old version: a compound state with a suspendable term, a parallel state. */
static const char *V1 =
    "<process " PNS " id='zaak' version='1' initial='a'>\n"
    "<data><enum id='soort'><value id='x'/><value id='y'/></enum>\n"
    "<var id='n' type='int' default='1'/><var id='tekst' type='string' "
    "default='hallo'/>\n"
    "<var id='e' type='soort' default='y'/><var id='weg' type='date'/>\n"
    "<var id='oud' type='int' default='5'/></data>\n"
    "<events><event id='go'/><event id='susp'/><event id='res'/><event id='fin'/>"
    "<event id='par'/></events>\n"
    "<term id='top' length='26w'><basis>Awb 4:13</basis></term>\n"
    "<state id='a'><transition event='go' target='b'/>"
    "<transition event='par' target='p'/></state>\n"
    "<state id='b' initial='b1'>\n"
    " <term id='t1' length='6w'><basis>Awb 7:10</basis></term>\n"
    " <transition event='susp'><suspend term='t1'/></transition>\n"
    " <transition event='res'><resume term='t1'/></transition>\n"
    " <transition event='expired.t1' target='f'/>\n"
    " <state id='b1'><transition event='go' target='b2'/></state>\n"
    " <state id='b2'><transition event='fin' target='f'/></state>\n"
    "</state>\n"
    "<parallel id='p'><transition event='fin' target='f'/>\n"
    " <state id='r1'><state id='x1'><transition event='go' target='x2'/></state>"
    "<state id='x2'/></state>\n"
    " <state id='r2'><state id='y1'/></state>\n"
    "</parallel>\n"
    "<final id='f' outcome='klaar'/></process>";

/* The new version: b renamed, b2 gone, a new region, a new term, other variables. */
static const char *V2 =
    "<process " PNS " id='zaak' version='2' initial='a'>\n"
    "<data><enum id='soort'><value id='x'/><value id='y'/><value id='z'/></enum>\n"
    "<var id='n' type='money' default='1'/><var id='tekst' type='string'/>\n"
    "<var id='e' type='soort'/><var id='nieuw' type='int'/>\n"
    "<var id='verplicht' type='date' required='true'/><var id='dubbel' "
    "type='int'/></data>\n"
    "<events><event id='go'/><event id='susp'/><event id='res'/><event id='fin'/>"
    "<event id='par'/></events>\n"
    "<term id='top' length='30w'><basis>Awb 4:13</basis></term>\n"
    "<state id='a'><transition event='go' target='behandeling'/>"
    "<transition event='par' target='p'/></state>\n"
    "<state id='behandeling' initial='b1'>\n"
    " <term id='t1' length='6w'><basis>Awb 7:10</basis></term>\n"
    " <term id='t3' from='verplicht' length='2w'><basis>Awb 4:5</basis></term>\n"
    " <transition event='susp'><suspend term='t1'/></transition>\n"
    " <transition event='res'><resume term='t1'/></transition>\n"
    " <transition event='expired.t1' target='f'/>\n"
    " <transition event='expired.t3' target='f'/>\n"
    " <state id='b1'><transition event='go' target='b3'/></state>\n"
    " <state id='b3'><transition event='fin' target='f'/></state>\n"
    "</state>\n"
    "<parallel id='p'><transition event='fin' target='f'/>\n"
    " <state id='r1'><state id='x1'><transition event='go' target='x2'/></state>"
    "<state id='x2'/></state>\n"
    " <state id='r2'><state id='y1'/></state>\n"
    " <state id='r3'><state id='z1'/></state>\n"
    "</parallel>\n"
    "<final id='f' outcome='klaar'/></process>";

static const char *MIG =
    "<migration " MNS " from='zaak@1' to='zaak@2'>\n"
    "  <basis>Testwet art 1</basis>\n"
    "  <states><map from='b' to='behandeling'/></states>\n"
    "  <variables><rename from='oud' to='nieuw'/><drop var='weg'/>\n"
    "    <set var='verplicht' expr='today'/><set var='dubbel' expr='n * "
    "2'/></variables>\n"
    "  <terms><recompute term='top'/><recompute term='t3'/></terms>\n"
    "</migration>";

static zf_definition *v1, *v2;
static zf_migration *mig;
static zf_instance *inst, *out;
static zf_error err;
static zf_diagnostics diags = ZF_DIAGNOSTICS_INIT;

static zf_date D(const char *s) {
    zf_date d;
    ck_assert_int_eq(zf_date_parse(&d, s, NULL), ZF_OK);
    return d;
}

static zf_definition *parse(const char *xml) {
    zf_definition *d = NULL;
    zf_error e;
    zf_error_clear(&e);
    ck_assert_msg(zf_definition_parse(&d, xml, strlen(xml), "<string>", NULL, &e) ==
                      ZF_OK,
                  "%s", e.message);
    return d;
}

static zf_code parse_mig(const char *xml) {
    zf_migration_free(mig);
    mig = NULL;
    zf_diagnostics_dispose(&diags);
    return zf_migration_parse(&mig, xml, strlen(xml), "m.xml", v1, v2, &diags, &err);
}

static void setup(void) {
    v1 = parse(V1);
    v2 = parse(V2);
    ck_assert_msg(parse_mig(MIG) == ZF_OK, "%s", err.message);
}

static void teardown(void) {
    th_alloc_reset();
    zf_instance_free(inst);
    zf_instance_free(out);
    inst = out = NULL;
    zf_migration_free(mig);
    mig = NULL;
    zf_diagnostics_dispose(&diags);
    zf_definition_free(v1);
    zf_definition_free(v2);
}

static void start(const char *date) {
    ck_assert_int_eq(zf_instance_new(&inst, v1, D(date), NULL, 0, NULL, &err), ZF_OK);
}

static void fire(zf_instance *in, const char *ev, const char *date) {
    ck_assert_msg(zf_instance_fire(in, ev, D(date), NULL, NULL, 0, &err) == ZF_OK,
                  "%s: %s", ev, err.message);
}

static char *snap(const zf_instance *in) {
    zf_buf b = ZF_BUF_INIT;
    ck_assert_int_eq(zf_instance_snapshot(&b, in, NULL), ZF_OK);
    char *s = malloc(b.size + 1);
    memcpy(s, b.ptr, b.size + 1);
    zf_buf_dispose(&b);
    return s;
}

/* The active states as "a b c". */
static const char *config(const zf_instance *in) {
    static char buf[256];
    buf[0] = '\0';
    for (size_t i = 0; i < zf_instance_active_count(in); i++) {
        if (i)
            strcat(buf, " ");
        strcat(buf, zf_instance_active_id(in, i));
    }
    return buf;
}

static zf_term_info term(const zf_instance *in, const char *id) {
    zf_term_info t;
    ck_assert_int_eq(zf_instance_term_by_id(&t, in, id, &err), ZF_OK);
    return t;
}

static zf_value var(const zf_instance *in, const char *id) {
    zf_value v;
    ck_assert_int_eq(zf_instance_var(&v, in, id, &err), ZF_OK);
    return v;
}

START_TEST(test_migration_document) {
    ck_assert_str_eq(zf_migration_from_id(mig), "zaak");
    ck_assert_str_eq(zf_migration_from_version(mig), "1");
    ck_assert_str_eq(zf_migration_to_version(mig), "2");
    ck_assert_str_eq(zf_migration_from_hash(mig), zf_definition_hash(v1));
    ck_assert_str_eq(zf_migration_to_hash(mig), zf_definition_hash(v2));
    ck_assert_str_eq(zf_migration_basis(mig), "Testwet art 1");
    ck_assert_uint_eq(diags.errors, 0);
    ck_assert_ptr_null(zf_migration_to_id(NULL));
}
END_TEST

START_TEST(test_migration_running_case) {
    zf_journal_entry e;
    zf_journal_item it;
    static const struct {
        zf_journal_kind kind;
        const char *name;
    } want[] = {{ZF_JOURNAL_LEFT, "b"},
                {ZF_JOURNAL_LEFT, "b1"},
                {ZF_JOURNAL_ASSIGN, "weg"},
                {ZF_JOURNAL_MIGRATED, "zaak@1"},
                {ZF_JOURNAL_ENTERED, "behandeling"},
                {ZF_JOURNAL_ENTERED, "b1"},
                {ZF_JOURNAL_ASSIGN, "nieuw"},
                {ZF_JOURNAL_ASSIGN, "verplicht"},
                {ZF_JOURNAL_ASSIGN, "dubbel"},
                {ZF_JOURNAL_TERM_MOVED, "top"},
                {ZF_JOURNAL_TERM_STARTED, "t3"}};
    start("2026-01-05");
    fire(inst, "go", "2026-01-06");
    fire(inst, "susp", "2026-01-10");
    char *before = snap(inst);
    ck_assert_int_eq(
        zf_instance_migrate(&out, inst, mig, v2, D("2026-01-20"), "beheerder", &err),
        ZF_OK);
    /* The old case is untouched. */
    char *after_old = snap(inst);
    ck_assert_str_eq(before, after_old);
    ck_assert_ptr_eq(zf_instance_definition(out), v2);
    ck_assert_int_eq(zf_instance_date(out), D("2026-01-20"));
    ck_assert_str_eq(config(out), "behandeling b1");
    /* Variables: int to money in whole euros, text, an enumeration value by name, a
       rename, a new required one and an expression over old values. */
    ck_assert_int_eq(var(out, "n").type, ZF_TYPE_MONEY);
    ck_assert_int_eq(var(out, "n").as.i, 100);
    ck_assert_str_eq(var(out, "tekst").as.s, "hallo");
    ck_assert_str_eq(var(out, "e").as.s, "y");
    ck_assert_int_eq(var(out, "e").enum_index, 1);
    ck_assert_int_eq(var(out, "nieuw").as.i, 5);
    ck_assert_int_eq(var(out, "verplicht").as.date, D("2026-01-20"));
    ck_assert_int_eq(var(out, "dubbel").as.i, 2);
    /* Terms: t1 kept with its open suspension, top recomputed (26w -> 30w from the
       same trigger), t3 started by its rule. */
    zf_term_info t1 = term(out, "t1"), old_t1 = term(inst, "t1");
    ck_assert_int_eq(t1.status, ZF_TERM_SUSPENDED);
    ck_assert_uint_eq(t1.nsuspensions, 1);
    ck_assert_int_eq(t1.suspensions[0].from, D("2026-01-10"));
    ck_assert_int_eq(t1.trigger, old_t1.trigger);
    zf_term_info top = term(out, "top");
    ck_assert_int_eq(top.trigger, D("2026-01-05"));
    ck_assert_int_eq(top.length.n, 30);
    ck_assert_int_eq(top.status, ZF_TERM_RUNNING);
    ck_assert_int_eq(term(inst, "top").end, D("2026-07-06"));
    ck_assert_int_eq(top.end, D("2026-08-03"));
    zf_term_info t3 = term(out, "t3");
    ck_assert_int_eq(t3.status, ZF_TERM_RUNNING);
    ck_assert_int_eq(t3.trigger, D("2026-01-20"));
    ck_assert_int_eq(t3.end, D("2026-02-03"));
    /* One journal entry more: both versions, date, actor, basis, term changes. */
    size_t n = zf_instance_journal_count(out);
    ck_assert_uint_eq(n, zf_instance_journal_count(inst) + 1);
    ck_assert_int_eq(zf_instance_journal_entry(&e, out, n - 1, &err), ZF_OK);
    ck_assert_ptr_null(e.event);
    ck_assert_str_eq(e.actor, "beheerder");
    ck_assert_int_eq(e.date, D("2026-01-20"));
    ck_assert_uint_eq(e.nitems, sizeof want / sizeof want[0]);
    for (size_t j = 0; j < e.nitems; j++) {
        ck_assert_int_eq(zf_instance_journal_item(&it, out, n - 1, j, &err), ZF_OK);
        ck_assert_msg(it.kind == want[j].kind && !strcmp(it.name, want[j].name),
                      "item %zu: %s %s", j, zf_journal_kind_name(it.kind), it.name);
    }
    ck_assert_int_eq(zf_instance_journal_item(&it, out, n - 1, 3, &err), ZF_OK);
    ck_assert_str_eq(it.text, "Testwet art 1");
    ck_assert_str_eq(it.value.as.s, "zaak@2");
    ck_assert_int_eq(zf_instance_journal_item(&it, out, n - 1, 9, &err), ZF_OK);
    ck_assert_int_eq(it.date, D("2026-08-03"));
    ck_assert_int_eq(it.value.as.date, D("2026-07-06"));
    /* Earlier entries keep the old version's names. */
    ck_assert_int_eq(zf_instance_journal_entry(&e, out, 1, &err), ZF_OK);
    ck_assert_str_eq(e.event, "go");
    ck_assert_int_eq(zf_instance_journal_item(&it, out, 1, 1, &err), ZF_OK);
    ck_assert_str_eq(it.name, "b");
    /* The timeline tells it. */
    zf_buf tl = ZF_BUF_INIT;
    ck_assert_int_eq(zf_instance_timeline(&tl, out, &err), ZF_OK);
    ck_assert_ptr_nonnull(strstr(tl.ptr, "(migrated)"));
    ck_assert_ptr_nonnull(strstr(tl.ptr, "b, b1 -> behandeling, b1"));
    ck_assert_ptr_nonnull(strstr(tl.ptr, "migrated from zaak@1 to zaak@2"));
    ck_assert_ptr_nonnull(strstr(tl.ptr, "basis: Testwet art 1"));
    ck_assert_ptr_nonnull(
        strstr(tl.ptr, "term top moved, last day 2026-07-06 -> 2026-08-03"));
    zf_buf_dispose(&tl);
    /* The new version runs on: resume, then the kept term ends later. */
    fire(out, "res", "2026-01-22");
    ck_assert_int_eq(term(out, "t1").status, ZF_TERM_RUNNING);
    ck_assert_int_gt(term(out, "t1").end, old_t1.end);
    free(before);
    free(after_old);
}
END_TEST

/* snapshot -> restore -> snapshot is byte-identical after a migration, and the
 * restored case runs on; a second migration stacks on the first. */
START_TEST(test_migration_roundtrip) {
    zf_instance *r = NULL, *again = NULL;
    start("2026-01-05");
    fire(inst, "go", "2026-01-06");
    fire(inst, "susp", "2026-01-10");
    ck_assert_int_eq(
        zf_instance_migrate(&out, inst, mig, v2, D("2026-01-20"), NULL, &err), ZF_OK);
    char *s1 = snap(out);
    ck_assert_ptr_nonnull(strstr(s1, "<migrated name=\"zaak@1\" text=\"Testwet art 1\" "
                                     "type=\"string\" value=\"zaak@2\"/>"));
    ck_assert_ptr_nonnull(strstr(s1, "<left name=\"b\"/>"));
    ck_assert_int_eq(zf_instance_restore(&r, v2, s1, strlen(s1), NULL, &err), ZF_OK);
    char *s2 = snap(r);
    ck_assert_str_eq(s1, s2);
    fire(r, "res", "2026-01-22");
    fire(out, "res", "2026-01-22");
    char *s3 = snap(r), *s4 = snap(out);
    ck_assert_str_eq(s3, s4);
    /* Migrate again (to a relabelled copy of version 2): the old journal stays text. */
    char *v3xml = malloc(strlen(V2) + 1);
    strcpy(v3xml, V2);
    memcpy(strstr(v3xml, "version='2'"), "version='3'", 11);
    zf_definition *v3 = parse(v3xml);
    zf_migration *m23 = NULL;
    const char *doc = "<migration " MNS " from='zaak@2' to='zaak@3'><basis>x</basis>"
                      "</migration>";
    ck_assert_int_eq(
        zf_migration_parse(&m23, doc, strlen(doc), "m23.xml", v2, v3, NULL, &err), ZF_OK);
    ck_assert_int_eq(zf_instance_migrate(&again, r, m23, v3, D("2026-02-01"), NULL, &err),
                     ZF_OK);
    char *s5 = snap(again);
    zf_instance *r3 = NULL;
    ck_assert_int_eq(zf_instance_restore(&r3, v3, s5, strlen(s5), NULL, &err), ZF_OK);
    char *s6 = snap(r3);
    ck_assert_str_eq(s5, s6);
    /* Restoring with the old version is refused: the snapshot names version 3. */
    zf_instance_free(r3);
    r3 = NULL;
    ck_assert_int_eq(zf_instance_restore(&r3, v2, s5, strlen(s5), NULL, &err),
                     ZF_ESNAPSHOT);
    free(s1);
    free(s2);
    free(s3);
    free(s4);
    free(s5);
    free(s6);
    free(v3xml);
    zf_instance_free(r);
    zf_instance_free(again);
    zf_migration_free(m23);
    zf_definition_free(v3);
}
END_TEST

/* `s` restored with `def` and options `o`: the instance (which must restore), whose
 * snapshot must be `s` again (the round-trip law). */
static zf_instance *restore_same(const zf_definition *def, const char *s,
                                 const zf_instance_options *o) {
    zf_instance *r = NULL;
    ck_assert_msg(zf_instance_restore(&r, def, s, strlen(s), o, &err) == ZF_OK, "%s",
                  err.message);
    char *again = snap(r);
    ck_assert_str_eq(again, s);
    free(again);
    return r;
}

/* The journal in its three forms goes with the case: a case restored without its
 * journal keeps it (written back, then the migration's entry), a case restored with
 * the journal from one that had none keeps its gap, and a host key keeps sealing. */
START_TEST(test_migration_journal_forms) {
    static const unsigned char key[] = "sleutel van de gemeente";
    zf_instance_options off = ZF_INSTANCE_OPTIONS_INIT, on = ZF_INSTANCE_OPTIONS_INIT;
    zf_instance *kept = NULL, *r = NULL;
    off.journal = 0;
    start("2026-01-05");
    fire(inst, "go", "2026-01-06");
    char *s0 = snap(inst);
    /* 1. Journal off, the journal kept by the restore. */
    kept = restore_same(v1, s0, &off);
    fire(kept, "susp", "2026-01-10");
    ck_assert_int_eq(zf_instance_migrate(&out, kept, mig, v2, D("2026-01-20"), "b", &err),
                     ZF_OK);
    ck_assert_uint_eq(zf_instance_journal_count(out), 0);
    char *s1 = snap(out);
    /* The old entries, the step run without the journal, the migration. */
    ck_assert_ptr_nonnull(
        strstr(s1, "<entry seq=\"2\" date=\"2026-01-06\" event=\"go\""));
    ck_assert_ptr_nonnull(strstr(s1, "<gap from=\"3\" to=\"3\"/>"));
    ck_assert_ptr_nonnull(
        strstr(s1, "<entry seq=\"4\" date=\"2026-01-20\" actor=\"b\">"));
    ck_assert_ptr_nonnull(strstr(s1, "<migrated name=\"zaak@1\""));
    zf_instance_free(restore_same(v2, s1, &off));
    r = restore_same(v2, s1, &on);
    ck_assert_uint_eq(zf_instance_journal_count(r), 3);
    zf_instance_free(r);
    /* A later step without the journal: one more gap after the migration. */
    fire(out, "res", "2026-01-22");
    char *s2 = snap(out);
    ck_assert_ptr_nonnull(strstr(s2, "<gap from=\"5\" to=\"5\"/>"));
    zf_instance_free(restore_same(v2, s2, &on));
    zf_instance_free(out);
    out = NULL;
    zf_instance_free(kept);
    /* 2. Journal on, restored from a snapshot without one: the gap goes along. */
    zf_instance *nojournal = NULL;
    ck_assert_int_eq(
        zf_instance_new(&nojournal, v1, D("2026-01-05"), NULL, 0, &off, &err), ZF_OK);
    fire(nojournal, "go", "2026-01-06");
    char *s3 = snap(nojournal);
    zf_instance_free(nojournal);
    kept = restore_same(v1, s3, &on);
    fire(kept, "susp", "2026-01-10");
    ck_assert_int_eq(
        zf_instance_migrate(&out, kept, mig, v2, D("2026-01-20"), NULL, &err), ZF_OK);
    char *s4 = snap(out);
    ck_assert_ptr_nonnull(strstr(s4, "<gap from=\"1\" to=\"2\"/>"));
    zf_instance_free(restore_same(v2, s4, &on));
    zf_instance_free(restore_same(v2, s4, &off));
    zf_instance_free(out);
    out = NULL;
    zf_instance_free(kept);
    /* 3. A host key: the migrated case's snapshots are sealed with it. */
    on.key = key;
    on.key_len = sizeof key - 1;
    zf_instance *sealed = NULL;
    ck_assert_int_eq(zf_instance_new(&sealed, v1, D("2026-01-05"), NULL, 0, &on, &err),
                     ZF_OK);
    fire(sealed, "go", "2026-01-06");
    ck_assert_int_eq(
        zf_instance_migrate(&out, sealed, mig, v2, D("2026-01-20"), NULL, &err), ZF_OK);
    char *s5 = snap(out);
    ck_assert_ptr_nonnull(strstr(s5, "hmac-sha256="));
    zf_instance_free(restore_same(v2, s5, &on));
    ck_assert_int_eq(zf_instance_restore(&r, v2, s5, strlen(s5), NULL, &err), ZF_OK);
    zf_instance_free(r);
    r = NULL;
    on.key = (const unsigned char *)"een andere sleutel";
    on.key_len = 18;
    ck_assert_int_eq(zf_instance_restore(&r, v2, s5, strlen(s5), &on, &err),
                     ZF_ESNAPSHOT);
    zf_instance_free(sealed);
    free(s0);
    free(s1);
    free(s2);
    free(s3);
    free(s4);
    free(s5);
}
END_TEST

/* The journal's limit holds for the migration's entry too. */
START_TEST(test_migration_journal_limit) {
    zf_instance_options o = ZF_INSTANCE_OPTIONS_INIT;
    o.max_journal = 2;
    ck_assert_int_eq(zf_instance_new(&inst, v1, D("2026-01-05"), NULL, 0, &o, &err),
                     ZF_OK);
    fire(inst, "go", "2026-01-06");
    ck_assert_int_eq(
        zf_instance_migrate(&out, inst, mig, v2, D("2026-01-20"), NULL, &err), ZF_ELIMIT);
    ck_assert_ptr_null(out);
    ck_assert_ptr_nonnull(strstr(err.message, "max_journal"));
}
END_TEST

START_TEST(test_migration_deterministic) {
    zf_instance *other = NULL;
    start("2026-01-05");
    fire(inst, "go", "2026-01-06");
    ck_assert_int_eq(zf_instance_migrate(&out, inst, mig, v2, D("2026-01-20"), "x", &err),
                     ZF_OK);
    ck_assert_int_eq(
        zf_instance_migrate(&other, inst, mig, v2, D("2026-01-20"), "x", &err), ZF_OK);
    char *a = snap(out), *b = snap(other);
    ck_assert_str_eq(a, b);
    free(a);
    free(b);
    zf_instance_free(other);
}
END_TEST

START_TEST(test_migration_configurations) {
    /* b2 is gone: it follows the explicit map of b and enters behandeling by default. */
    start("2026-01-05");
    fire(inst, "go", "2026-01-06");
    fire(inst, "go", "2026-01-07");
    ck_assert_str_eq(config(inst), "b b2");
    ck_assert_int_eq(
        zf_instance_migrate(&out, inst, mig, v2, D("2026-01-20"), NULL, &err), ZF_OK);
    ck_assert_str_eq(config(out), "behandeling b1");
    zf_instance_free(out);
    zf_instance_free(inst);
    out = inst = NULL;
    /* A parallel state: the same regions, and the new region entered by default. */
    start("2026-01-05");
    fire(inst, "par", "2026-01-06");
    fire(inst, "go", "2026-01-07");
    ck_assert_str_eq(config(inst), "p r1 x2 r2 y1");
    ck_assert_int_eq(
        zf_instance_migrate(&out, inst, mig, v2, D("2026-01-20"), NULL, &err), ZF_OK);
    ck_assert_str_eq(config(out), "p r1 x2 r2 y1 r3 z1");
    /* No term runs there: top stays, t1 idle. */
    ck_assert_int_eq(term(out, "t1").status, ZF_TERM_IDLE);
    ck_assert_int_eq(term(out, "t3").status, ZF_TERM_IDLE);
    zf_instance_free(out);
    zf_instance_free(inst);
    out = inst = NULL;
    /* A finished case stays finished. */
    start("2026-01-05");
    fire(inst, "par", "2026-01-06");
    fire(inst, "fin", "2026-01-07");
    ck_assert_int_eq(zf_instance_finished(inst), 1);
    ck_assert_int_eq(
        zf_instance_migrate(&out, inst, mig, v2, D("2026-01-20"), NULL, &err), ZF_OK);
    ck_assert_int_eq(zf_instance_finished(out), 1);
    ck_assert_str_eq(zf_instance_outcome(out), "klaar");
}
END_TEST

START_TEST(test_migration_refused_at_run_time) {
    zf_instance *wrong = NULL;
    start("2026-01-05");
    fire(inst, "go", "2026-01-06");
    /* Before the case date. */
    ck_assert_int_eq(
        zf_instance_migrate(&out, inst, mig, v2, D("2026-01-05"), NULL, &err), ZF_EINVAL);
    ck_assert_str_eq(err.message,
                     "migration date 2026-01-05 is before the case date 2026-01-06");
    ck_assert_ptr_null(out);
    /* A term that ran out must expire under the old version first. */
    ck_assert_int_eq(
        zf_instance_migrate(&out, inst, mig, v2, D("2026-03-01"), NULL, &err),
        ZF_EREJECTED);
    ck_assert_str_eq(err.message, "term 't1' ran out on 2026-02-17, before the migration "
                                  "date: advance the case to 2026-03-01 first");
    /* The wrong versions. */
    ck_assert_int_eq(
        zf_instance_migrate(&out, inst, mig, v1, D("2026-01-20"), NULL, &err), ZF_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.message, "but the migration is to zaak 2"));
    ck_assert_int_eq(zf_instance_new(&wrong, v2, D("2026-01-05"), NULL, 0, NULL, &err),
                     ZF_EINVAL); /* verplicht is required */
    /* Misuse. */
    ck_assert_int_eq(
        zf_instance_migrate(NULL, inst, mig, v2, D("2026-01-20"), NULL, &err), ZF_EINVAL);
    ck_assert_int_eq(
        zf_instance_migrate(&out, NULL, mig, v2, D("2026-01-20"), NULL, &err), ZF_EINVAL);
    ck_assert_str_eq(err.message, "invalid instance");
    ck_assert_int_eq(
        zf_instance_migrate(&out, inst, NULL, v2, D("2026-01-20"), NULL, &err),
        ZF_EINVAL);
    ck_assert_str_eq(err.message, "invalid migration");
    ck_assert_int_eq(
        zf_instance_migrate(&out, inst, mig, NULL, D("2026-01-20"), NULL, &err),
        ZF_EINVAL);
    ck_assert_str_eq(err.message, "invalid definition");
    ck_assert_int_eq(zf_instance_migrate(&out, inst, mig, v2, ZF_DATE_NONE, NULL, &err),
                     ZF_EINVAL);
}
END_TEST

/* Every allocation failure: ZF_ENOMEM, nothing leaked, the case unchanged. */
/* Loop 0: journal on; 1: journal off but kept (restored without it), with a host
 * key. */
START_TEST(test_migration_alloc_failures) {
    zf_code rc = ZF_ENOMEM;
    long n;
    start("2026-01-05");
    fire(inst, "go", "2026-01-06");
    fire(inst, "susp", "2026-01-10");
    if (_i == 1) {
        /* The same case sealed with a key, restored without its journal. */
        zf_instance_options o = ZF_INSTANCE_OPTIONS_INIT;
        zf_instance *keyed = NULL;
        o.key = (const unsigned char *)"k";
        o.key_len = 1;
        ck_assert_int_eq(zf_instance_new(&keyed, v1, D("2026-01-05"), NULL, 0, &o, &err),
                         ZF_OK);
        fire(keyed, "go", "2026-01-06");
        fire(keyed, "susp", "2026-01-10");
        char *s = snap(keyed);
        zf_instance_free(keyed);
        zf_instance_free(inst);
        inst = NULL;
        o.journal = 0;
        ck_assert_int_eq(zf_instance_restore(&inst, v1, s, strlen(s), &o, &err), ZF_OK);
        free(s);
    }
    char *before = snap(inst);
    for (n = 0; rc == ZF_ENOMEM; n++) {
        long live;
        th_alloc_fail_at(n);
        live = th_alloc_live();
        rc = zf_instance_migrate(&out, inst, mig, v2, D("2026-01-20"), "a", &err);
        if (rc == ZF_ENOMEM) {
            ck_assert_ptr_null(out);
            ck_assert_int_eq(err.code, ZF_ENOMEM);
            ck_assert_int_eq(th_alloc_live(), live);
        }
        th_alloc_reset();
        char *now = snap(inst);
        ck_assert_str_eq(now, before);
        free(now);
        ck_assert_msg(n < 10000, "no end");
    }
    ck_assert_int_eq(rc, ZF_OK);
    ck_assert_int_gt(n, 3);
    free(before);
}
END_TEST

START_TEST(test_migration_load_alloc_failures) {
    zf_code rc = ZF_ENOMEM;
    zf_migration_free(mig);
    mig = NULL;
    for (long n = 0; rc == ZF_ENOMEM; n++) {
        long live;
        th_alloc_fail_at(n);
        live = th_alloc_live();
        rc = zf_migration_parse(&mig, MIG, strlen(MIG), "m.xml", v1, v2, NULL, &err);
        if (rc == ZF_ENOMEM) {
            ck_assert_ptr_null(mig);
            ck_assert_int_eq(th_alloc_live(), live);
        }
        th_alloc_reset();
        ck_assert_msg(n < 100000, "no end");
    }
    ck_assert_int_eq(rc, ZF_OK);
}
END_TEST

/* A document and a finding it must give: "line:column: message". */
static const struct refusal {
    const char *what, *doc, *first;
} refusals[] = {
    {"an unmapped reachable state",
     "<migration " MNS " from='zaak@1' to='zaak@2'><basis>b</basis>\n"
     "<variables><rename from='oud' to='nieuw'/><drop var='weg'/>"
     "<set var='verplicht' expr='today'/></variables></migration>",
     "1:1: state 'b2' of zaak@1 is reachable but not mapped, and the new version has no "
     "state 'b2': add <map from=\"b2\" to=\"...\"/>"},
    {"an unknown target",
     "<migration " MNS " from='zaak@1' to='zaak@2'><basis>b</basis>\n"
     "<states><map from='b' to='bb'/></states>\n"
     "<variables><rename from='oud' to='nieuw'/><drop var='weg'/>"
     "<set var='verplicht' expr='today'/></variables></migration>",
     "2:27: the new version has no state 'bb'"},
    {"a required variable without a value",
     "<migration " MNS " from='zaak@1' to='zaak@2'><basis>b</basis>\n"
     "<states><map from='b' to='behandeling'/></states>\n"
     "<variables><rename from='oud' to='nieuw'/><drop "
     "var='weg'/></variables></migration>",
     "3:1: required variable 'verplicht' of zaak@2 gets no value: add <set "
     "var=\"verplicht\" expr=\"...\"/>"},
    {"an ill-typed expression",
     "<migration " MNS " from='zaak@1' to='zaak@2'><basis>b</basis>\n"
     "<states><map from='b' to='behandeling'/></states>\n"
     "<variables><rename from='oud' to='nieuw'/><drop var='weg'/>\n"
     "  <set var='verplicht' expr='n + 1'/></variables></migration>",
     "4:30: type date expected, got int in expr (the expression reads the old version)"},
    {"an ill-typed rename",
     "<migration " MNS " from='zaak@1' to='zaak@2'><basis>b</basis>\n"
     "<states><map from='b' to='behandeling'/></states>\n"
     "<variables><rename from='weg' to='nieuw'/><drop var='oud'/>"
     "<set var='verplicht' expr='today'/></variables></migration>",
     "3:35: in rename: variable 'nieuw' of the new version is of type int, got date"},
    {"an old variable neither carried nor dropped",
     "<migration " MNS " from='zaak@1' to='zaak@2'><basis>b</basis>\n"
     "<states><map from='b' to='behandeling'/></states>\n"
     "<variables><rename from='oud' to='nieuw'/>"
     "<set var='verplicht' expr='today'/></variables></migration>",
     "3:1: variable 'weg' of zaak@1 is not carried over: rename it, or drop it with "
     "<drop "
     "var=\"weg\"/>"},
    {"an old term neither carried nor stopped",
     "<migration " MNS " from='zaak@1' to='zaak@2'><basis>b</basis>\n"
     "<states><map from='b' to='behandeling'/></states>\n"
     "<variables><rename from='oud' to='nieuw'/><drop var='weg'/>"
     "<set var='verplicht' expr='today'/></variables>\n"
     "<terms><keep term='t1' from='top'/></terms></migration>",
     "4:1: term 't1' of zaak@1 is not carried over: keep it as a term of the new version "
     "(<keep term=\"...\" from=\"t1\"/>) or <stop term=\"t1\"/>"},
    {"states of parallel regions mapped into one compound state",
     "<migration " MNS " from='zaak@1' to='zaak@2'><basis>b</basis>\n"
     "<states><map from='b' to='behandeling'/><map from='x1' to='b1'/>"
     "<map from='y1' to='b3'/></states>\n"
     "<variables><rename from='oud' to='nieuw'/><drop var='weg'/>"
     "<set var='verplicht' expr='today'/></variables></migration>",
     "2:65: states 'x1' and 'y1' can be active together but map to 'b1' and 'b3', which "
     "cannot"},
    {"a finished case reopened",
     "<migration " MNS " from='zaak@1' to='zaak@2'><basis>b</basis>\n"
     "<states><map from='b' to='behandeling'/><map from='f' to='a'/></states>\n"
     "<variables><rename from='oud' to='nieuw'/><drop var='weg'/>"
     "<set var='verplicht' expr='today'/></variables></migration>",
     "2:41: final state 'f' ends the case: it must map to a final state of the process, "
     "not to 'a'"},
    {"the wrong definitions",
     "<migration " MNS " from='zaak@1' to='zaak@3'><basis>b</basis></migration>",
     "1:63: the migration is to process 'zaak' version '3', but the definition given is "
     "zaak@2"},
    {"a schema violation", "<migration " MNS " from='zaak1' to='zaak@2'/>",
     "1:51: element 'migration', attribute 'from': [facet 'pattern'] The value 'zaak1' "
     "is "
     "not accepted by the pattern"},
};

START_TEST(test_migration_refused_with_positions) {
    const struct refusal *t = &refusals[_i];
    char got[600];
    int found = 0;
    ck_assert_int_ne(parse_mig(t->doc), ZF_OK);
    ck_assert_ptr_null(mig);
    ck_assert_uint_gt(diags.errors, 0);
    ck_assert_int_gt(err.line, 0);
    ck_assert_str_eq(err.file, "m.xml");
    for (size_t i = 0; i < diags.count && !found; i++) {
        const zf_diagnostic *d = &diags.items[i];
        snprintf(got, sizeof got, "%d:%d: %s", d->line, d->column, d->message);
        found =
            d->severity == ZF_SEVERITY_ERROR && !strncmp(got, t->first, strlen(t->first));
    }
    if (!found) {
        zf_buf b = ZF_BUF_INIT;
        zf_diagnostics_format(&b, &diags, NULL);
        ck_abort_msg("%s: wanted\n  %s\ngot\n%s", t->what, t->first, b.ptr);
    }
}
END_TEST

static Suite *suite(void) {
    Suite *s = suite_create("migration");
    TCase *tc = tcase_create("migrate");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_migration_document);
    tcase_add_test(tc, test_migration_running_case);
    tcase_add_test(tc, test_migration_roundtrip);
    tcase_add_test(tc, test_migration_journal_forms);
    tcase_add_test(tc, test_migration_journal_limit);
    tcase_add_test(tc, test_migration_deterministic);
    tcase_add_test(tc, test_migration_configurations);
    tcase_add_test(tc, test_migration_refused_at_run_time);
    tcase_add_loop_test(tc, test_migration_alloc_failures, 0, 2);
    tcase_add_test(tc, test_migration_load_alloc_failures);
    tcase_add_loop_test(tc, test_migration_refused_with_positions, 0,
                        (int)(sizeof refusals / sizeof refusals[0]));
    suite_add_tcase(s, tc);
    return s;
}

int main(void) {
    return th_run(suite());
}
