/* Case instances: SCXML semantics, terms, roles, atomicity, snapshots, allocation. */
#include "sha256.h"
#include "testhelp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NS "<process xmlns='urn:zaakflow:process:1' id='p' version='1'"

static zf_definition *def;
static zf_instance *inst;
static zf_error err;

#define D(s) th_date(s)
#define load(xml) th_parse(xml)

static void start(const char *xml, const char *date) {
    def = load(xml);
    memset(&err, 0, sizeof err);
    ck_assert_msg(zf_instance_new(&inst, def, D(date), NULL, 0, NULL, &err) == ZF_OK,
                  "new: %s", err.message);
}

static void teardown(void) {
    th_alloc_reset();
    zf_instance_free(inst);
    inst = NULL;
    zf_definition_free(def);
    def = NULL;
}

static char *snap(const zf_instance *in) {
    zf_buf b = ZF_BUF_INIT;
    ck_assert_int_eq(zf_instance_snapshot(&b, in, NULL), ZF_OK);
    char *s = malloc(b.size + 1);
    memcpy(s, b.ptr, b.size + 1);
    zf_buf_dispose(&b);
    return s;
}

static zf_code fire(const char *ev, const char *date) {
    memset(&err, 0, sizeof err);
    return zf_instance_fire(inst, ev, D(date), NULL, NULL, 0, &err);
}

/* The texts of the log actions journaled since entry `from`, joined with '|'. */
static const char *logs(size_t from) {
    static char out[2048];
    out[0] = '\0';
    for (size_t i = from; i < zf_instance_journal_count(inst); i++) {
        zf_journal_entry e;
        zf_instance_journal_entry(&e, inst, i, NULL);
        for (size_t j = 0; j < e.nitems; j++) {
            zf_journal_item it;
            zf_instance_journal_item(&it, inst, i, j, NULL);
            if (it.kind == ZF_JOURNAL_LOG) {
                if (out[0])
                    strcat(out, "|");
                strcat(out, it.text);
            }
        }
    }
    return out;
}

static const char *config(void) {
    static char out[512];
    out[0] = '\0';
    for (size_t i = 0; i < zf_instance_active_count(inst); i++) {
        if (i)
            strcat(out, " ");
        strcat(out, zf_instance_active_id(inst, i));
    }
    return out;
}

static const char *term_end(const char *id) {
    static char buf[ZF_DATE_BUFSIZE];
    zf_term_info ti;
    ck_assert_int_eq(zf_instance_term_by_id(&ti, inst, id, NULL), ZF_OK);
    if (ti.end == ZF_DATE_NONE)
        return "none";
    return zf_date_format(buf, ti.end);
}

static zf_term_status term_status(const char *id) {
    zf_term_info ti;
    ck_assert_int_eq(zf_instance_term_by_id(&ti, inst, id, NULL), ZF_OK);
    return ti.status;
}

/* ---- statechart semantics ---------------------------------------------- */

static const char *ORDER = NS
    " initial='s'>"
    "<events><event id='go'/></events>"
    "<state id='s' initial='s1'>"
    " <onentry><log text='enter s'/></onentry><onexit><log text='exit s'/></onexit>"
    " <state id='s1'><onentry><log text='enter s1'/></onentry><onexit><log text='exit "
    "s1'/></onexit>"
    "  <transition event='go' target='t2'><log text='transition'/></transition></state>"
    "</state>"
    "<state id='t' initial='t1'>"
    " <onentry><log text='enter t'/></onentry><onexit><log text='exit t'/></onexit>"
    " <state id='t1'><onentry><log text='enter t1'/></onentry></state>"
    " <state id='t2'><onentry><log text='enter t2'/></onentry></state>"
    "</state></process>";

START_TEST(test_instance_entry_exit_order) {
    start(ORDER, "2026-01-05");
    ck_assert_str_eq(logs(0), "enter s|enter s1");
    ck_assert_str_eq(config(), "s s1");
    size_t n = zf_instance_journal_count(inst);
    ck_assert_int_eq(fire("go", "2026-01-06"), ZF_OK);
    /* SCXML: exit innermost first, then transition content, then enter outermost first.
     */
    ck_assert_str_eq(logs(n), "exit s1|exit s|transition|enter t|enter t2");
    ck_assert_str_eq(config(), "t t2");
    ck_assert_int_eq(zf_instance_in(inst, "t2"), 1);
    ck_assert_int_eq(zf_instance_in(inst, "s"), 0);
    ck_assert_int_eq(zf_instance_in(inst, "nope"), -1);
}
END_TEST

static const char *PRIORITY =
    NS " initial='pp'>"
       "<data><var id='n' type='int' default='0'/></data>"
       "<events><event id='e'/><event id='f'/></events>"
       "<state id='pp' initial='a'>"
       " <transition event='e' target='parent'/>"
       " <transition event='f' target='parent'/>"
       " <state id='a'>"
       "  <transition event='e' cond='n &gt; 5' target='never'/>"
       "  <transition event='e' target='first'/>"
       "  <transition event='e' target='second'/>"
       " </state>"
       " <state id='first'/><state id='second'/><state id='never'/>"
       "</state><state id='parent'/></process>";

START_TEST(test_instance_document_order_priority) {
    start(PRIORITY, "2026-01-05");
    ck_assert_int_eq(fire("e", "2026-01-05"), ZF_OK);
    /* The first enabled transition in document order of the atomic state wins over later
     * ones and over the ancestor's. */
    ck_assert_str_eq(config(), "pp first");
    /* No transition in 'first' on f: the ancestor's applies. */
    ck_assert_int_eq(fire("f", "2026-01-05"), ZF_OK);
    ck_assert_str_eq(config(), "parent");
}
END_TEST

static const char *PARALLEL =
    NS " initial='beide'>"
       "<events><event id='a_klaar'/><event id='b_klaar'/><event id='x'/></events>"
       "<parallel id='beide'>"
       " <transition event='done.state.beide' target='klaar'><log text='done "
       "beide'/></transition>"
       " <state id='ra' initial='a1'>"
       "  <transition event='done.state.ra'><log text='done ra'/></transition>"
       "  <state id='a1'><transition event='a_klaar' target='af'/>"
       "   <transition event='x'><log text='x in a'/></transition></state>"
       "  <final id='af'/></state>"
       " <state id='rb' initial='b1'>"
       "  <state id='b1'><transition event='b_klaar' target='bf'/>"
       "   <transition event='x'><log text='x in b'/></transition></state>"
       "  <final id='bf'/></state>"
       "</parallel><final id='klaar' outcome='afgerond'/></process>";

START_TEST(test_instance_parallel_done_events) {
    start(PARALLEL, "2026-01-05");
    ck_assert_str_eq(config(), "beide ra a1 rb b1");
    size_t n = zf_instance_journal_count(inst);
    /* Both regions take their targetless transition, in document order. */
    ck_assert_int_eq(fire("x", "2026-01-05"), ZF_OK);
    ck_assert_str_eq(logs(n), "x in a|x in b");
    n = zf_instance_journal_count(inst);
    ck_assert_int_eq(fire("a_klaar", "2026-01-06"), ZF_OK);
    ck_assert_str_eq(logs(n), "done ra");
    ck_assert_str_eq(config(), "beide ra af rb b1");
    ck_assert_int_eq(zf_instance_finished(inst), 0);
    ck_assert_int_eq(fire("b_klaar", "2026-01-07"), ZF_OK);
    ck_assert_str_eq(config(), "klaar");
    ck_assert_int_eq(zf_instance_finished(inst), 1);
    ck_assert_str_eq(zf_instance_outcome(inst), "afgerond");
    ck_assert_int_eq(fire("x", "2026-01-08"), ZF_EREJECTED);
}
END_TEST

/* in(state) in a guard: region rb waits for region ra (the VM asks the engine). */
static const char *IN_GUARD =
    NS " initial='beide'>"
       "<events><event id='a_klaar'/><event id='b_klaar'/></events>"
       "<parallel id='beide'>"
       " <state id='ra' initial='a1'>"
       "  <state id='a1'><transition event='a_klaar' target='af'/></state>"
       "  <final id='af'/></state>"
       " <state id='rb' initial='b1'>"
       "  <state id='b1'><transition event='b_klaar' cond='in(af) and not in(a1)' "
       "target='bf'/></state>"
       "  <final id='bf'/></state>"
       "</parallel></process>";

START_TEST(test_instance_in_guard) {
    start(IN_GUARD, "2026-01-05");
    ck_assert_int_eq(fire("b_klaar", "2026-01-05"), ZF_EREJECTED);
    ck_assert_msg(strstr(err.message, "in(af)") != NULL, "%s", err.message);
    ck_assert_str_eq(config(), "beide ra a1 rb b1");
    ck_assert_int_eq(fire("a_klaar", "2026-01-06"), ZF_OK);
    ck_assert_int_eq(fire("b_klaar", "2026-01-07"), ZF_OK);
    ck_assert_str_eq(config(), "beide ra af rb bf");
}
END_TEST

/* ---- SCXML conflict resolution (removeConflictingTransitions) -------------------
 * Transitions selected in different regions of a parallel state conflict when their
 * exit sets intersect. The set is built from the active atomic states in document
 * order; a later transition whose source is a descendant of an earlier one's source
 * preempts it, otherwise the later one is dropped. Targetless transitions exit nothing
 * and never conflict. */
static const char *CONFLICTS = NS
    " initial='par'>"
    "<data><var id='mode' type='int' default='0'/></data>"
    "<events><event id='weg'/><event id='binnen'/><event id='ouder'/><event id='eigen'/>"
    " <event id='stil'/><event id='half'/></events>"
    "<parallel id='par'>"
    " <transition event='ouder' target='uit_par'><log text='p ouder'/></transition>"
    " <transition event='eigen' target='uit_par'><log text='p eigen'/></transition>"
    " <state id='r1' initial='a1'>"
    "  <state id='a1'>"
    "   <transition event='weg' target='uit_a'><log text='a weg'/></transition>"
    "   <transition event='binnen' target='a2'><log text='a binnen'/></transition>"
    "   <transition event='eigen' target='uit_a'><log text='a eigen'/></transition>"
    "   <transition event='stil'><log text='a stil'/></transition>"
    "   <transition event='half' target='a2'><log text='a half'/></transition>"
    "  </state>"
    "  <state id='a2'/>"
    " </state>"
    " <state id='r2' initial='b1'>"
    "  <state id='b1'>"
    "   <transition event='weg' target='uit_b'><log text='b weg'/></transition>"
    "   <transition event='binnen' target='b2'><log text='b binnen'/></transition>"
    "   <transition event='ouder' target='uit_b'><log text='b ouder'/></transition>"
    "   <transition event='stil' target='uit_b'><log text='b stil'/></transition>"
    "   <transition event='half' target='uit_b'><log text='b half'/></transition>"
    "  </state>"
    "  <state id='b2'/>"
    " </state>"
    "</parallel>"
    "<final id='uit_a'/><final id='uit_b'/><final id='uit_par'/></process>";

static void fire_conflict(const char *ev, const char *want_logs,
                          const char *want_config) {
    size_t n;
    start(CONFLICTS, "2026-01-05");
    ck_assert_str_eq(config(), "par r1 a1 r2 b1");
    n = zf_instance_journal_count(inst);
    ck_assert_int_eq(fire(ev, "2026-01-06"), ZF_OK);
    ck_assert_msg(!strcmp(logs(n), want_logs), "%s: logs '%s', expected '%s'", ev,
                  logs(n), want_logs);
    ck_assert_msg(!strcmp(config(), want_config), "%s: configuration '%s', expected '%s'",
                  ev, config(), want_config);
    teardown();
}

START_TEST(test_instance_conflicts_document_order) {
    /* Both leave p: the region first in document order wins, the other is dropped. */
    fire_conflict("weg", "a weg", "uit_a");
}
END_TEST

START_TEST(test_instance_conflicts_none_within_regions) {
    /* Each stays in its region: the exit sets do not meet, both are taken, their content
     * in document order. */
    fire_conflict("binnen", "a binnen|b binnen", "par r1 a2 r2 b2");
}
END_TEST

START_TEST(test_instance_conflicts_descendant_preempts) {
    /* a1 has nothing on 'ouder', so its chain selects p's transition first; b1's own
     * transition comes later, but its source is a descendant of p: it preempts p's. */
    fire_conflict("ouder", "b ouder", "uit_b");
}
END_TEST

START_TEST(test_instance_conflicts_ancestor_dropped) {
    /* a1's transition comes first; p's, selected through b1, conflicts with it and its
     * source is no descendant of a1: p's is dropped. */
    fire_conflict("eigen", "a eigen", "uit_a");
}
END_TEST

START_TEST(test_instance_conflicts_targetless) {
    /* A targetless transition exits nothing: it never conflicts; its content runs in
     * document order before the other's. */
    fire_conflict("stil", "a stil|b stil", "uit_b");
}
END_TEST

START_TEST(test_instance_conflicts_inner_domain) {
    /* a1 -> a2 exits only within r1, b1 -> uit_b exits all of p: the exit sets meet in
     * a1, so they conflict and a1's, first in document order, wins. */
    fire_conflict("half", "a half", "par r1 a2 r2 b1");
}
END_TEST

/* The validator warns where two such transitions can be enabled together. */
START_TEST(test_instance_conflicts_warned) {
    zf_definition *d = NULL;
    zf_diagnostics dg = ZF_DIAGNOSTICS_INIT;
    size_t conflicts = 0;
    ck_assert_int_eq(
        zf_definition_parse(&d, CONFLICTS, strlen(CONFLICTS), "c.xml", &dg, NULL), ZF_OK);
    for (size_t i = 0; i < dg.count; i++)
        if (!strcmp(dg.items[i].check, "conflicting-transitions")) {
            conflicts++;
            ck_assert(strstr(dg.items[i].message, "transition on 'weg'") ||
                      strstr(dg.items[i].message, "transition on 'half'"));
        }
    /* weg and half: in different regions. Not binnen and stil (no conflict), nor ouder
     * and eigen: a transition of the parallel state itself against one inside it is the
     * ordinary priority of the inner one. */
    ck_assert_uint_eq(conflicts, 2);
    zf_diagnostics_dispose(&dg);
    zf_definition_free(d);
}
END_TEST

static const char *EVENTLESS =
    NS " initial='a'>"
       "<data><var id='n' type='int' default='0'/></data>"
       "<events><event id='go'/><event id='loop'/></events>"
       "<state id='a'><transition event='go' target='b'/><transition event='loop' "
       "target='c'/></state>"
       "<state id='b'><onentry><assign var='n' expr='n + 1'/></onentry>"
       " <transition cond='n &gt;= 1' target='d'/></state>"
       "<state id='c'><transition cond='n &gt;= 0'><assign var='n' expr='n + "
       "1'/></transition>"
       "</state>"
       "<state id='d'/></process>";

START_TEST(test_instance_eventless_and_cycle_bound) {
    start(EVENTLESS, "2026-01-05");
    char *before = snap(inst);
    ck_assert_int_eq(fire("loop", "2026-01-06"), ZF_ELIMIT);
    ck_assert_ptr_nonnull(strstr(err.message, "microsteps"));
    char *after = snap(inst);
    ck_assert_str_eq(before, after);
    free(after);
    ck_assert_int_eq(fire("go", "2026-01-06"), ZF_OK);
    ck_assert_str_eq(config(), "d");
    zf_value v;
    ck_assert_int_eq(zf_instance_var(&v, inst, "n", NULL), ZF_OK);
    ck_assert_int_eq(v.as.i, 1);
    free(before);
}
END_TEST

static const char *INTERNAL =
    NS " initial='a'>"
       "<events><event id='go'/><event id='i1' internal='true'/><event id='i2' "
       "internal='true'/></events>"
       "<state id='a'><transition event='go' target='b'><raise event='i1'/><log "
       "text='t'/></transition></state>"
       "<state id='b'><onentry><raise event='i2'/><log text='enter b'/></onentry>"
       " <transition event='i1'><log text='i1'/></transition>"
       " <transition event='i2'><log text='i2'/></transition></state>"
       "</process>";

START_TEST(test_instance_internal_events_order) {
    start(INTERNAL, "2026-01-05");
    size_t n = zf_instance_journal_count(inst);
    ck_assert_int_eq(fire("go", "2026-01-05"), ZF_OK);
    /* Internal events wait until the microstep is done, then run in the order raised. */
    ck_assert_str_eq(logs(n), "t|enter b|i1|i2");
    ck_assert_int_eq(fire("i1", "2026-01-05"), ZF_EREJECTED);
    ck_assert_int_eq(fire("nope", "2026-01-05"), ZF_ENOTFOUND);
}
END_TEST

/* ---- terms ------------------------------------------------------------- */

static const char *TERMS =
    NS " initial='a'>"
       "<events><event id='go'/><event id='stop'/><event id='susp'/><event "
       "id='res'/><event id='ext'/></events>"
       "<term id='top' length='6w'><basis>Awb 6:7</basis></term>"
       "<state id='a'>"
       " <term id='t1' length='2w'/><term id='t2' length='2w'/>"
       " <transition event='expired.t1'><log text='t1 expired'/></transition>"
       " <transition event='expired.t2'><log text='t2 expired'/></transition>"
       " <transition event='susp'><suspend term='top'/></transition>"
       " <transition event='res'><resume term='top'/></transition>"
       " <transition event='ext'><extend term='top' by='6w'/></transition>"
       " <transition event='go' target='b'/>"
       " <transition event='expired.top' target='c'/></state>"
       "<state id='b'><transition event='expired.top' target='c'/></state>"
       "<state id='c'/></process>";

START_TEST(test_instance_terms_start_stop) {
    start(TERMS, "2026-01-05");
    /* Awb 6:8: a term starts the day after its trigger; 2026-01-05 + 2w = 2026-01-19
     * (Monday). */
    ck_assert_str_eq(term_end("t1"), "2026-01-19");
    ck_assert_int_eq(term_status("t1"), ZF_TERM_RUNNING);
    ck_assert_str_eq(term_end("top"), "2026-02-16");
    const char *due;
    char buf[ZF_DATE_BUFSIZE];
    ck_assert_str_eq(zf_date_format(buf, zf_instance_next_due(inst, &due)), "2026-01-19");
    ck_assert_str_eq(due, "t1"); /* ties: document order */
    ck_assert_int_eq(fire("go", "2026-01-10"), ZF_OK);
    ck_assert_int_eq(term_status("t1"), ZF_TERM_STOPPED);
    ck_assert_int_eq(term_status("t2"), ZF_TERM_STOPPED);
    ck_assert_int_eq(term_status("top"), ZF_TERM_RUNNING);
    ck_assert_str_eq(zf_date_format(buf, zf_instance_next_due(inst, &due)), "2026-02-16");
    ck_assert_str_eq(due, "top");
}
END_TEST

/* A term with start="manual" stops, like the others, when its declaring state is
 * exited (docs/language.md); its expiry then never comes. Started by a transition that
 * leaves that state, it runs on. */
static const char *MANUAL = NS
    " initial='s'>"
    "<events><event id='go'/><event id='uit'/><event id='mee'/></events>"
    "<state id='s'><term id='h' length='2w' start='manual'><basis>Awb 6:6</basis></term>"
    " <transition event='go'><start term='h'/></transition>"
    " <transition event='uit' target='t'/>"
    " <transition event='mee' target='t'><start term='h'/></transition></state>"
    "<state id='t'><transition event='expired.h' target='z'/></state>"
    "<final id='z'/></process>";

START_TEST(test_instance_terms_manual_stop_with_state) {
    start(MANUAL, "2026-01-05");
    ck_assert_int_eq(fire("go", "2026-01-05"), ZF_OK);
    ck_assert_int_eq(term_status("h"), ZF_TERM_RUNNING);
    ck_assert_int_eq(fire("uit", "2026-01-06"), ZF_OK);
    ck_assert_int_eq(term_status("h"), ZF_TERM_STOPPED);
    ck_assert_int_eq(zf_instance_advance(inst, D("2026-02-02"), &err), ZF_OK);
    ck_assert_str_eq(config(), "t");
    teardown();
    /* Started after s is left (transition content runs after the exits): it runs. */
    start(MANUAL, "2026-01-05");
    ck_assert_int_eq(fire("mee", "2026-01-06"), ZF_OK);
    ck_assert_int_eq(term_status("h"), ZF_TERM_RUNNING);
    ck_assert_int_eq(zf_instance_advance(inst, D("2026-02-02"), &err), ZF_OK);
    ck_assert_str_eq(config(), "z");
}
END_TEST

START_TEST(test_instance_terms_expiry_order) {
    start(TERMS, "2026-01-05");
    size_t n = zf_instance_journal_count(inst);
    /* Advance across several expiries: date order, then document order. */
    ck_assert_int_eq(zf_instance_advance(inst, D("2026-03-01"), &err), ZF_OK);
    ck_assert_str_eq(logs(n), "t1 expired|t2 expired");
    ck_assert_int_eq(term_status("t1"), ZF_TERM_EXPIRED);
    ck_assert_int_eq(term_status("top"), ZF_TERM_EXPIRED);
    ck_assert_str_eq(config(), "c");
    /* The expiry events are dated the day after the last day. */
    zf_journal_entry e;
    ck_assert_int_eq(zf_instance_journal_entry(&e, inst, n, NULL), ZF_OK);
    ck_assert_str_eq(e.event, "expired.t1");
    char buf[ZF_DATE_BUFSIZE];
    ck_assert_str_eq(zf_date_format(buf, e.date), "2026-01-20");
    ck_assert_int_eq(zf_instance_journal_entry(&e, inst, n + 2, NULL), ZF_OK);
    ck_assert_str_eq(e.event, "expired.top");
    ck_assert_str_eq(zf_date_format(buf, zf_instance_date(inst)), "2026-03-01");
    /* Advancing back in time is refused. */
    ck_assert_int_eq(zf_instance_advance(inst, D("2026-02-01"), &err), ZF_EINVAL);
}
END_TEST

START_TEST(test_instance_terms_suspend_resume_extend) {
    start(TERMS, "2026-01-05");
    ck_assert_str_eq(term_end("top"), "2026-02-16");
    ck_assert_int_eq(fire("susp", "2026-01-10"), ZF_OK);
    ck_assert_int_eq(term_status("top"), ZF_TERM_SUSPENDED);
    /* A suspended term does not expire. */
    ck_assert_int_eq(zf_instance_advance(inst, D("2026-02-20"), &err), ZF_OK);
    ck_assert_int_eq(term_status("top"), ZF_TERM_SUSPENDED);
    /* Awb 4:15 exclusive: suspended from 01-11 up to, not including, 02-20: 40 days. */
    ck_assert_int_eq(fire("res", "2026-02-20"), ZF_OK);
    ck_assert_int_eq(term_status("top"), ZF_TERM_RUNNING);
    /* 2026-02-16 + 40 = 2026-03-28, a Saturday: Atw art 1 moves it to Monday. */
    ck_assert_str_eq(term_end("top"), "2026-03-30");
    /* Verdaging by six weeks from the end (from-end rule). */
    ck_assert_int_eq(fire("ext", "2026-02-21"), ZF_OK);
    /* Awb 7:10 lid 3, from-end: six weeks from the day after 2026-03-30. */
    ck_assert_str_eq(term_end("top"), "2026-05-11");
    zf_term_info ti;
    ck_assert_int_eq(zf_instance_term_by_id(&ti, inst, "top", NULL), ZF_OK);
    ck_assert_int_eq(ti.nsuspensions, 1);
    ck_assert_int_eq(ti.nextensions, 1);
    ck_assert_int_eq(ti.extensions[0].n, 6);
    zf_buf b = ZF_BUF_INIT;
    ck_assert_int_eq(zf_instance_term_explain(&b, inst, "top", NULL), ZF_OK);
    ck_assert_ptr_nonnull(b.ptr);
    zf_buf_dispose(&b);
    ck_assert_int_eq(zf_instance_term_explain(&b, inst, "nope", NULL), ZF_ENOTFOUND);
}
END_TEST

START_TEST(test_instance_terms_open_suspension_never_expires) {
    start(TERMS, "2026-01-05");
    ck_assert_str_eq(term_end("top"), "2026-02-16");
    ck_assert_int_eq(fire("susp", "2026-01-10"), ZF_OK);
    size_t n = zf_instance_journal_count(inst);
    /* Time passes well beyond the nominal end during the opschorting: no expiry. */
    ck_assert_int_eq(zf_instance_advance(inst, D("2026-02-24"), &err), ZF_OK);
    ck_assert_int_eq(term_status("top"), ZF_TERM_SUSPENDED);
    for (size_t i = n; i < zf_instance_journal_count(inst); i++) {
        zf_journal_entry e;
        ck_assert_int_eq(zf_instance_journal_entry(&e, inst, i, NULL), ZF_OK);
        ck_assert(!e.event || strcmp(e.event, "expired.top") != 0);
    }
    ck_assert_str_eq(config(), "a");
    /* A suspended term is not due (t1 and t2 expired long ago). */
    const char *due;
    ck_assert_int_eq(zf_instance_next_due(inst, &due), ZF_DATE_NONE);
    ck_assert_int_eq(zf_instance_advance(inst, D("2026-02-24"), &err), ZF_OK);
    /* Reported end while suspended: as if the suspension lasted through today
       (2026-02-24): 01-11 .. 02-24 is 45 days; 2026-02-16 + 45 = 2026-04-02 (Thursday).
     */
    ck_assert_str_eq(term_end("top"), "2026-04-02");
    zf_buf b = ZF_BUF_INIT;
    ck_assert_int_eq(zf_instance_term_explain(&b, inst, "top", NULL), ZF_OK);
    ck_assert_ptr_nonnull(strstr(b.ptr, "2026-04-02"));
    zf_buf_dispose(&b);
    /* The next day it moves on: 2026-04-03 is Good Friday, then Easter (Atw): 04-07. */
    ck_assert_int_eq(zf_instance_advance(inst, D("2026-02-25"), &err), ZF_OK);
    ck_assert_str_eq(term_end("top"), "2026-04-07");
    /* Resuming on 02-25 (exclusive) gives the end reported the day before. */
    ck_assert_int_eq(fire("res", "2026-02-25"), ZF_OK);
    ck_assert_int_eq(term_status("top"), ZF_TERM_RUNNING);
    ck_assert_str_eq(term_end("top"), "2026-04-02");
    /* Suspended snapshots still round-trip (the stored end excludes the open suspension).
     */
    ck_assert_int_eq(fire("susp", "2026-03-02"), ZF_OK);
    char *s1 = snap(inst);
    zf_instance *r = NULL;
    ck_assert_int_eq(zf_instance_restore(&r, def, s1, strlen(s1), NULL, &err), ZF_OK);
    char *s2 = snap(r);
    ck_assert_str_eq(s1, s2);
    free(s1);
    free(s2);
    zf_instance_free(r);
    /* After resumption the term expires normally. */
    ck_assert_int_eq(fire("res", "2026-03-02"), ZF_OK);
    ck_assert_int_eq(zf_instance_advance(inst, D("2026-06-01"), &err), ZF_OK);
    ck_assert_int_eq(term_status("top"), ZF_TERM_EXPIRED);
    ck_assert_str_eq(config(), "c");
}
END_TEST

/* Who must act: parties of terms, the filtered next-due query, and a stopped term that
 * guards and later terms still read (its computed last day is kept). */
static const char *PARTIES = NS
    " initial='a'>"
    "<data><var id='tijdig' type='bool' default='false'/></data>"
    "<events><event id='ingediend'/><event id='herbereken'/></events>"
    "<term id='bezwaartermijn' party='belanghebbende' length='6w'><basis>Awb "
    "6:7</basis></term>"
    "<term id='los' length='1w'/>"
    "<state id='a'>"
    " <transition event='ingediend' target='b'><stop term='bezwaartermijn'/>"
    "  <assign var='tijdig' expr='event.date &lt;= end(bezwaartermijn)'/></transition>"
    " <transition event='expired.los'><log text='los'/></transition></state>"
    "<state id='b'>"
    " <term id='beslistermijn' party='bestuursorgaan' from='end(bezwaartermijn)' "
    "length='6w'/>"
    " <transition event='herbereken' cond='not running(bezwaartermijn)'>"
    "  <start term='beslistermijn'/></transition>"
    " <transition event='expired.bezwaartermijn'><log text='objector late'/></transition>"
    "</state></process>";

START_TEST(test_instance_terms_party) {
    const char *due = "x";
    char buf[ZF_DATE_BUFSIZE];
    zf_term_info ti;
    start(PARTIES, "2026-01-05");
    ck_assert_int_eq(zf_instance_term_by_id(&ti, inst, "bezwaartermijn", &err), ZF_OK);
    ck_assert_str_eq(ti.party, "belanghebbende");
    ck_assert_int_eq(zf_instance_term_by_id(&ti, inst, "los", &err), ZF_OK);
    ck_assert_ptr_null(ti.party);
    ck_assert_int_eq(zf_instance_term_by_id(&ti, inst, "beslistermijn", &err), ZF_OK);
    ck_assert_str_eq(ti.party, "bestuursorgaan");
    /* Any party: the earliest running term (los, 1w); the objector's: 6w (Awb 6:7). */
    ck_assert_str_eq(zf_date_format(buf, zf_instance_next_due_for(inst, NULL, &due)),
                     "2026-01-12");
    ck_assert_str_eq(due, "los");
    ck_assert_str_eq(
        zf_date_format(buf, zf_instance_next_due_for(inst, "belanghebbende", &due)),
        "2026-02-16");
    ck_assert_str_eq(due, "bezwaartermijn");
    /* A term without a party is nobody's in particular; an unknown party has none. */
    ck_assert_int_eq(zf_instance_next_due_for(inst, "bestuursorgaan", &due),
                     ZF_DATE_NONE);
    ck_assert_ptr_null(due);
    ck_assert_int_eq(zf_instance_next_due_for(inst, "college", NULL), ZF_DATE_NONE);
    ck_assert_int_eq(zf_instance_next_due_for(NULL, NULL, &due), ZF_DATE_NONE);
    ck_assert_ptr_null(due);

    /* The objector files on 2026-01-20: the bezwaartermijn stops, keeps its last day
       for the guard and for the beslistermijn that counts from it (Awb 7:10 lid 1). */
    ck_assert_int_eq(fire("ingediend", "2026-01-20"), ZF_OK);
    ck_assert_int_eq(term_status("bezwaartermijn"), ZF_TERM_STOPPED);
    ck_assert_str_eq(term_end("bezwaartermijn"), "2026-02-16");
    zf_value v;
    ck_assert_int_eq(zf_instance_var(&v, inst, "tijdig", &err), ZF_OK);
    ck_assert_int_eq(v.as.b, 1);
    ck_assert_str_eq(term_end("beslistermijn"), "2026-03-30");
    ck_assert_int_eq(zf_instance_next_due_for(inst, "belanghebbende", &due),
                     ZF_DATE_NONE);
    ck_assert_str_eq(
        zf_date_format(buf, zf_instance_next_due_for(inst, "bestuursorgaan", &due)),
        "2026-03-30");
    ck_assert_str_eq(due, "beslistermijn");
    /* Time passing the stopped term's last day expires nothing; restarting a term from
       it later still reads the kept day, also after a snapshot round trip. */
    size_t n = zf_instance_journal_count(inst);
    ck_assert_int_eq(zf_instance_advance(inst, D("2026-02-20"), &err), ZF_OK);
    ck_assert_str_eq(logs(n), "");
    ck_assert_int_eq(term_status("bezwaartermijn"), ZF_TERM_STOPPED);
    char *s1 = snap(inst);
    zf_instance *r = NULL;
    ck_assert_int_eq(zf_instance_restore(&r, def, s1, strlen(s1), NULL, &err), ZF_OK);
    zf_instance_free(inst);
    inst = r;
    ck_assert_int_eq(fire("herbereken", "2026-02-21"), ZF_OK);
    ck_assert_str_eq(term_end("beslistermijn"), "2026-03-30");
    ck_assert_str_eq(term_end("bezwaartermijn"), "2026-02-16");
    free(s1);
}
END_TEST

/* ---- roles, dates, parameters ------------------------------------------ */

static const char *ROLES =
    NS " initial='a'>"
       "<data><var id='ontvangen' type='date'/><var id='naam' type='string'/></data>"
       "<roles><role id='jurist'/><role id='commissie'/></roles>"
       "<events><event id='toets' roles='jurist'/><event id='advies'/>"
       " <event id='ontvang'><param id='op' type='date' required='true'/><param id='wie' "
       "type='string'/></event></events>"
       "<state id='a'>"
       " <transition event='toets' target='b'/>"
       " <transition event='advies' roles='commissie' target='b'/>"
       " <transition event='ontvang' cond='event.op &lt;= today'><assign var='ontvangen' "
       "expr='event.op'/>"
       "  <assign var='naam' expr=\"is_set(event.wie) ? event.wie : ''\"/></transition>"
       "</state><state id='b'/></process>";

START_TEST(test_instance_roles) {
    const char *jr[] = {"jurist"}, *cr[] = {"commissie", "onbekend"};
    zf_actor jurist = {"jan", jr, 1}, comm = {"kim", cr, 2};
    start(ROLES, "2026-01-05");
    char *before = snap(inst);
    ck_assert_int_eq(
        zf_instance_fire(inst, "toets", D("2026-01-06"), &comm, NULL, 0, &err),
        ZF_EFORBIDDEN);
    ck_assert_int_eq(
        zf_instance_fire(inst, "toets", D("2026-01-06"), NULL, NULL, 0, &err),
        ZF_EFORBIDDEN);
    memset(&err, 0, sizeof err);
    ck_assert_int_eq(
        zf_instance_fire(inst, "advies", D("2026-01-06"), &jurist, NULL, 0, &err),
        ZF_EFORBIDDEN);
    char *after = snap(inst);
    ck_assert_str_eq(before, after);
    free(after);
    free(before);

    const char *names[8];
    size_t n;
    ck_assert_int_eq(zf_instance_enabled_events(names, 8, &n, inst, &jurist, NULL),
                     ZF_OK);
    ck_assert_int_eq(n, 2);
    ck_assert_str_eq(names[0], "toets");
    ck_assert_str_eq(names[1], "ontvang"); /* guard needs a parameter: "maybe" */
    ck_assert_int_eq(zf_instance_enabled_events(names, 8, &n, inst, &comm, NULL), ZF_OK);
    ck_assert_int_eq(n, 2);
    ck_assert_str_eq(names[0], "advies");

    ck_assert_int_eq(
        zf_instance_fire(inst, "advies", D("2026-01-06"), &comm, NULL, 0, &err), ZF_OK);
    ck_assert_int_eq(zf_instance_in(inst, "b"), 1);
}
END_TEST

START_TEST(test_instance_dates_and_params) {
    start(ROLES, "2026-02-01");
    memset(&err, 0, sizeof err);
    ck_assert_int_eq(
        zf_instance_fire(inst, "advies", D("2026-01-01"), NULL, NULL, 0, &err),
        ZF_EINVAL);
    ck_assert_str_eq(err.message,
                     "event dated 2026-01-01 is before the case date 2026-02-01");
    /* Missing, unknown and ill-typed parameters. */
    ck_assert_int_eq(
        zf_instance_fire(inst, "ontvang", D("2026-02-02"), NULL, NULL, 0, &err),
        ZF_EINVAL);
    zf_param_value bad[] = {{"op", zf_value_int(3)}};
    ck_assert_int_eq(
        zf_instance_fire(inst, "ontvang", D("2026-02-02"), NULL, bad, 1, &err),
        ZF_EINVAL);
    zf_param_value unk[] = {{"zz", zf_value_string("x")}};
    ck_assert_int_eq(
        zf_instance_fire(inst, "ontvang", D("2026-02-02"), NULL, unk, 1, &err),
        ZF_EINVAL);
    /* Text is parsed by the declared type; strings are copied into the instance. */
    char name[16];
    strcpy(name, "Jansen");
    zf_param_value ok[] = {{"op", zf_value_string("2026-01-30")},
                           {"wie", zf_value_string(name)}};
    memset(&err, 0, sizeof err);
    ck_assert_msg(zf_instance_fire(inst, "ontvang", D("2026-02-02"), NULL, ok, 2, &err) ==
                      ZF_OK,
                  "%s", err.message);
    strcpy(name, "overwritten");
    zf_value v;
    ck_assert_int_eq(zf_instance_var(&v, inst, "naam", NULL), ZF_OK);
    ck_assert_str_eq(v.as.s, "Jansen");
    ck_assert_int_eq(zf_instance_var(&v, inst, "ontvangen", NULL), ZF_OK);
    ck_assert_int_eq(v.as.date, D("2026-01-30"));
    /* The guard event.op <= today is false for a later date: no transition. */
    zf_param_value later[] = {{"op", zf_value_string("2026-03-01")}};
    ck_assert_int_eq(
        zf_instance_fire(inst, "ontvang", D("2026-02-02"), NULL, later, 1, &err),
        ZF_EREJECTED);
}
END_TEST

/* The resolved path takes the same checks and gives the same results as the named one. */
START_TEST(test_instance_fire_resolved) {
    const char *jr[] = {"jurist"};
    zf_actor jurist = {"jan", jr, 1};
    zf_instance *named = NULL;
    def = load(ROLES);
    /* Lookups. */
    ck_assert_int_eq(zf_definition_event_index(def, "toets"), 0);
    ck_assert_int_eq(zf_definition_event_index(def, "ontvang"), 2);
    ck_assert_int_eq(zf_definition_event_index(def, "onbekend"), -1);
    ck_assert_int_eq(zf_definition_event_index(def, NULL), -1);
    ck_assert_int_eq(zf_definition_param_count(def, 2), 2);
    ck_assert_int_eq(zf_definition_param_count(def, 99), 0);
    ck_assert_str_eq(zf_definition_param_id(def, 2, 1), "wie");
    ck_assert_ptr_null(zf_definition_param_id(def, 2, 2));
    ck_assert_int_eq(zf_definition_param_index(def, 2, "wie"), 1);
    ck_assert_int_eq(zf_definition_param_index(def, 2, "zz"), -1);
    ck_assert_int_eq(zf_definition_param_index(def, 99, "op"), -1);
    ck_assert_int_eq(zf_definition_role_index(def, "commissie"), 1);
    ck_assert_int_eq(zf_definition_role_index(def, "onbekend"), -1);
    ck_assert_int_eq(zf_definition_event_index(NULL, "toets"), -1);
    /* Values read ahead as the parameter takes them. */
    zf_value pvv;
    ck_assert_int_eq(zf_definition_param_value(&pvv, def, 2, 0, "2026-01-30", &err),
                     ZF_OK);
    ck_assert_int_eq(pvv.type, ZF_TYPE_DATE);
    ck_assert_int_eq(pvv.as.date, D("2026-01-30"));
    ck_assert_int_eq(zf_definition_param_value(&pvv, def, 2, 1, "Jansen", &err), ZF_OK);
    ck_assert_int_eq(pvv.type, ZF_TYPE_STRING);
    ck_assert_int_eq(zf_definition_param_value(&pvv, def, 2, 0, "gisteren", &err),
                     ZF_EINVAL);
    ck_assert_int_eq(zf_definition_param_value(&pvv, def, 2, 2, "x", &err), ZF_EINVAL);
    ck_assert_int_eq(zf_definition_param_value(&pvv, def, 9, 0, "x", &err), ZF_EINVAL);
    ck_assert_int_eq(zf_definition_param_value(&pvv, def, 2, 0, NULL, &err), ZF_EINVAL);

    ck_assert_int_eq(zf_instance_new(&inst, def, D("2026-02-01"), NULL, 0, NULL, &err),
                     ZF_OK);
    ck_assert_int_eq(zf_instance_new(&named, def, D("2026-02-01"), NULL, 0, NULL, &err),
                     ZF_OK);
    char *before = snap(inst);
    zf_value vals[2] = {zf_value_void(), zf_value_void()};
    zf_event_call call = {2, D("2026-02-02"), "jan", NULL, 0, vals};
    size_t role_ids[3];
    zf_error e2;

    /* Refusals: the named path's codes and messages; nothing changes. */
    ck_assert_int_eq(zf_instance_fire_resolved(inst, &call, &err), ZF_EINVAL);
    ck_assert_str_eq(err.message, "event 'ontvang' needs parameter 'op'");
    call.params = NULL;
    ck_assert_int_eq(zf_instance_fire_resolved(inst, &call, &err), ZF_EINVAL);
    vals[0] = zf_value_int(3);
    call.params = vals;
    ck_assert_int_eq(zf_instance_fire_resolved(inst, &call, &err), ZF_EINVAL);
    zf_param_value bad[] = {{"op", zf_value_int(3)}};
    ck_assert_int_eq(
        zf_instance_fire(named, "ontvang", D("2026-02-02"), &jurist, bad, 1, &e2),
        ZF_EINVAL);
    ck_assert_str_eq(err.message, e2.message);
    call.event = 0;  /* toets needs the role jurist */
    role_ids[0] = 2; /* indexes beyond the definition's two roles name none */
    role_ids[1] = 31;
    role_ids[2] = 1000;
    call.roles = role_ids;
    call.nroles = 3;
    ck_assert_int_eq(zf_instance_fire_resolved(inst, &call, &err), ZF_EFORBIDDEN);
    ck_assert_str_eq(err.message,
                     "event 'toets' needs the role jurist; actor 'jan' lacks it");
    call.event = 3;
    ck_assert_int_eq(zf_instance_fire_resolved(inst, &call, &err), ZF_EINVAL);
    call.event = 0;
    call.date = D("2026-01-01");
    role_ids[0] = (size_t)zf_definition_role_index(def, "jurist");
    call.nroles = 1;
    ck_assert_int_eq(zf_instance_fire_resolved(inst, &call, &err), ZF_EINVAL);
    ck_assert_str_eq(err.message,
                     "event dated 2026-01-01 is before the case date 2026-02-01");
    ck_assert_int_eq(zf_instance_fire_resolved(NULL, &call, &err), ZF_EINVAL);
    ck_assert_int_eq(zf_instance_fire_resolved(inst, NULL, &err), ZF_EINVAL);
    call.roles = NULL; /* nroles without roles */
    ck_assert_int_eq(zf_instance_fire_resolved(inst, &call, &err), ZF_EINVAL);
    call.roles = role_ids;
    char *after = snap(inst);
    ck_assert_str_eq(before, after);
    free(after);
    free(before);

    /* Accepted: text parsed by the declared type, strings copied; the same
       snapshot (journal with actor, parameters and effects) as the named path. */
    char name[16];
    strcpy(name, "Jansen");
    vals[0] = zf_value_string("2026-01-30");
    vals[1] = zf_value_string(name);
    call.event = 2;
    call.date = D("2026-02-02");
    ck_assert_msg(zf_instance_fire_resolved(inst, &call, &err) == ZF_OK, "%s",
                  err.message);
    strcpy(name, "overwritten");
    zf_param_value ok[] = {{"wie", zf_value_string("Jansen")},
                           {"op", zf_value_string("2026-01-30")}};
    ck_assert_int_eq(
        zf_instance_fire(named, "ontvang", D("2026-02-02"), &jurist, ok, 2, &e2), ZF_OK);
    call.event = 0;
    call.params = NULL;
    ck_assert_int_eq(zf_instance_fire_resolved(inst, &call, &err), ZF_OK);
    ck_assert_int_eq(
        zf_instance_fire(named, "toets", D("2026-02-02"), &jurist, NULL, 0, &e2), ZF_OK);
    ck_assert_int_eq(zf_instance_in(inst, "b"), 1);
    char *s1 = snap(inst), *s2 = snap(named);
    ck_assert_str_eq(s1, s2);
    free(s1);
    free(s2);
    zf_instance_free(named);
}
END_TEST

/* An enumeration value read ahead is the definition's own: bound without a lookup. */
START_TEST(test_instance_param_value_enum) {
    def =
        load(NS " initial='a'><data><enum id='uitkomst'><value id='gegrond'/>"
                "<value id='ongegrond'/></enum><var id='u' type='uitkomst'/></data>"
                "<events><event id='besluit'><param id='uitkomst' type='uitkomst' "
                "required='true'/></event></events>"
                "<state id='a'><transition event='besluit' target='b'><assign var='u' "
                "expr='event.uitkomst'/></transition></state><state id='b'/></process>");
    zf_value v, again;
    ck_assert_int_eq(zf_definition_param_value(&v, def, 0, 0, "ongegrond", &err), ZF_OK);
    ck_assert_int_eq(v.type, ZF_TYPE_ENUM);
    ck_assert_int_eq(v.enum_index, 1);
    ck_assert_int_eq(zf_definition_param_value(&again, def, 0, 0, "ongegrond", &err),
                     ZF_OK);
    ck_assert_ptr_eq(v.as.s, again.as.s); /* the definition's string, not a copy */
    ck_assert_int_eq(zf_definition_param_value(&v, def, 0, 0, "deels", &err), ZF_EINVAL);
    ck_assert_str_eq(err.message,
                     "parameter 'uitkomst': 'deels' is not a value of uitkomst");
    ck_assert_int_eq(zf_instance_new(&inst, def, D("2026-02-01"), NULL, 0, NULL, &err),
                     ZF_OK);
    ck_assert_int_eq(zf_definition_param_value(&v, def, 0, 0, "ongegrond", &err), ZF_OK);
    zf_event_call call = {0, D("2026-02-02"), NULL, NULL, 0, &v};
    ck_assert_int_eq(zf_instance_fire_resolved(inst, &call, &err), ZF_OK);
    ck_assert_int_eq(zf_instance_var(&again, inst, "u", NULL), ZF_OK);
    ck_assert_str_eq(again.as.s, "ongegrond");
}
END_TEST

START_TEST(test_instance_required_vars) {
    def = load(NS " initial='a'><data><var id='d' type='date' required='true'/></data>"
                  "<state id='a'/></process>");
    ck_assert_int_eq(zf_instance_new(&inst, def, D("2026-01-05"), NULL, 0, NULL, &err),
                     ZF_EINVAL);
    ck_assert_ptr_null(inst);
    zf_param_value v[] = {{"x", zf_value_date(D("2026-01-01"))}};
    ck_assert_int_eq(zf_instance_new(&inst, def, D("2026-01-05"), v, 1, NULL, &err),
                     ZF_ENOTFOUND);
    zf_param_value w[] = {{"d", zf_value_bool(1)}};
    ck_assert_int_eq(zf_instance_new(&inst, def, D("2026-01-05"), w, 1, NULL, &err),
                     ZF_EINVAL);
    zf_param_value ok[] = {{"d", zf_value_date(D("2026-01-01"))}};
    ck_assert_int_eq(zf_instance_new(&inst, def, D("2026-01-05"), ok, 1, NULL, &err),
                     ZF_OK);
}
END_TEST

/* ---- effects and string store ------------------------------------------ */

static const char *EFFECTS =
    NS " initial='a'>"
       "<data><var id='s' type='string' default='begin'/><var id='t' type='string'/><var "
       "id='d' type='date'/></data>"
       "<events><event id='go'><param id='x' type='string' "
       "required='true'/></event></events>"
       "<state id='a'><transition event='go'>"
       " <assign var='t' expr='s'/><assign var='s' expr='event.x'/><assign var='d' "
       "expr='today'/>"
       " <notify to='behandelaar' text='nieuw bezwaar'/>"
       " <spawn process='beroep' relation='vervolg'><with name='besluit' "
       "expr='today'/></spawn>"
       "</transition></state></process>";

/* A call that compacts the string store and then fails: the store, its offsets and
 * every other part of the state are as before, and later calls still work. */
static const char *STRINGS_FAIL =
    NS " initial='a'>"
       "<data><var id='s' type='string' default='begin'/><var id='t' type='string'/><var "
       "id='n' type='int' default='0'/></data>"
       "<events><event id='go'><param id='x' type='string' required='true'/></event>"
       " <event id='bad'><param id='x' type='string' required='true'/></event></events>"
       "<term id='termijn' length='6w'><basis>Awb 6:7</basis></term>"
       "<state id='a'><transition event='go'>"
       " <assign var='t' expr='s'/><assign var='s' expr='event.x'/></transition>"
       " <transition event='bad' target='b'>"
       " <assign var='t' expr='s'/><assign var='s' expr='event.x'/><assign var='n' "
       "expr='n + 1'/><stop term='termijn'/><assign var='n' expr='n / 0'/></transition>"
       "</state><state id='b'/></process>";

START_TEST(test_instance_failed_call_after_compaction) {
    zf_instance_options o = ZF_INSTANCE_OPTIONS_INIT;
    o.string_capacity = 24;
    def = load(STRINGS_FAIL);
    ck_assert_int_eq(zf_instance_new(&inst, def, D("2026-01-05"), NULL, 0, &o, &err),
                     ZF_OK);
    const char *words[] = {"eenentwint", "tweeentwin"};
    for (int i = 0; i < 2; i++) {
        zf_param_value p[] = {{"x", zf_value_string(words[i])}};
        ck_assert_int_eq(zf_instance_fire(inst, "go", D("2026-01-06"), NULL, p, 1, &err),
                         ZF_OK);
    }
    /* 11 + 11 bytes live in a store of 24: the next assignment must compact first. */
    char *before = snap(inst);
    zf_param_value p[] = {{"x", zf_value_string("drieentwin")}};
    ck_assert_int_eq(zf_instance_fire(inst, "bad", D("2026-01-07"), NULL, p, 1, &err),
                     ZF_EEVAL);
    char *after = snap(inst);
    ck_assert_str_eq(before, after);
    free(before);
    free(after);
    ck_assert_str_eq(config(), "a");
    zf_term_info ti;
    ck_assert_int_eq(zf_instance_term_by_id(&ti, inst, "termijn", NULL), ZF_OK);
    ck_assert_str_eq(zf_term_status_name(ti.status), "running");
    zf_value v;
    zf_instance_var(&v, inst, "s", NULL);
    ck_assert_str_eq(v.as.s, "tweeentwin");
    zf_instance_var(&v, inst, "t", NULL);
    ck_assert_str_eq(v.as.s, "eenentwint");
    zf_instance_var(&v, inst, "n", NULL);
    ck_assert_int_eq(v.as.i, 0);
    /* The same assignment without the failing action goes through. */
    ck_assert_int_eq(zf_instance_fire(inst, "go", D("2026-01-07"), NULL, p, 1, &err),
                     ZF_OK);
    zf_instance_var(&v, inst, "s", NULL);
    ck_assert_str_eq(v.as.s, "drieentwin");
    zf_instance_var(&v, inst, "t", NULL);
    ck_assert_str_eq(v.as.s, "tweeentwin");
}
END_TEST

START_TEST(test_instance_effects_and_strings) {
    zf_instance_options o = ZF_INSTANCE_OPTIONS_INIT;
    o.string_capacity = 24;
    def = load(EFFECTS);
    ck_assert_int_eq(zf_instance_new(&inst, def, D("2026-01-05"), NULL, 0, &o, &err),
                     ZF_OK);
    ck_assert_int_eq(zf_instance_effect_count(inst), 0);
    /* Strings of at most 11 bytes: two live values fit, the store compacts as it goes. */
    const char *words[] = {"een", "twee", "drie", "vier", "vijfvijfvij", "zes"};
    for (int i = 0; i < 6; i++) {
        zf_param_value p[] = {{"x", zf_value_string(words[i])}};
        memset(&err, 0, sizeof err);
        ck_assert_msg(zf_instance_fire(inst, "go", D("2026-01-06"), NULL, p, 1, &err) ==
                          ZF_OK,
                      "%s", err.message);
        zf_value v;
        zf_instance_var(&v, inst, "s", NULL);
        ck_assert_str_eq(v.as.s, words[i]);
        if (i) {
            zf_instance_var(&v, inst, "t", NULL);
            ck_assert_str_eq(v.as.s, words[i - 1]);
        }
    }
    zf_param_value big[] = {{"x", zf_value_string("much too long for the store")}};
    char *before = snap(inst);
    ck_assert_int_eq(zf_instance_fire(inst, "go", D("2026-01-07"), NULL, big, 1, &err),
                     ZF_ELIMIT);
    char *after = snap(inst);
    ck_assert_str_eq(before, after);
    free(before);
    free(after);

    ck_assert_int_eq(zf_instance_effect_count(inst), 2);
    zf_effect e;
    ck_assert_int_eq(zf_instance_effect(&e, inst, 0, NULL), ZF_OK);
    ck_assert_int_eq(e.kind, ZF_EFFECT_NOTIFY);
    ck_assert_str_eq(e.to, "behandelaar");
    ck_assert_str_eq(e.text, "nieuw bezwaar");
    ck_assert_int_eq(zf_instance_effect(&e, inst, 1, NULL), ZF_OK);
    ck_assert_int_eq(e.kind, ZF_EFFECT_SPAWN);
    ck_assert_str_eq(e.process, "beroep");
    ck_assert_str_eq(e.relation, "vervolg");
    ck_assert_int_eq(e.nparams, 1);
    zf_param_value pv;
    ck_assert_int_eq(zf_instance_effect_param(&pv, inst, 1, 0, NULL), ZF_OK);
    ck_assert_str_eq(pv.name, "besluit");
    ck_assert_int_eq(pv.value.as.date, D("2026-01-06"));
    ck_assert_int_eq(zf_instance_effect(&e, inst, 2, NULL), ZF_ENOTFOUND);
}
END_TEST

/* ---- timeline ---------------------------------------------------------- */

static const char *TIMELINE =
    NS " initial='a'>"
       "<events><event id='susp'/><event id='res'/><event id='ext'/><event id='niets'/>"
       "<event id='besluit_na_heroverweging_verzonden'/></events>"
       "<term id='top' length='6w'><basis>Awb 6:7</basis></term>"
       "<state id='a'>"
       " <term id='t1' length='2w'/><term id='t2' length='10w'/>"
       " <transition event='susp'><suspend term='top'/></transition>"
       " <transition event='res'><resume term='top'/></transition>"
       " <transition event='ext'><extend term='top' by='6w'/></transition>"
       " <transition event='niets'/>"
       " <transition event='besluit_na_heroverweging_verzonden' target='b'>"
       "  <basis>Awb 7:12</basis><notify to='client' text='beslissing op bezwaar'/>"
       "  <spawn process='beroep' relation='vervolg'><with name='besluit' expr='today'/>"
       "  </spawn><log text='naar beroep'/></transition>"
       "</state><state id='b'/></process>";

static zf_code timeline_text(zf_buf *out, const void *in, zf_error *e) {
    return zf_instance_timeline(out, in, e);
}

static void timeline_case(void) {
    const char *roles[] = {"jurist"};
    zf_actor jurist = {"j.devries", roles, 1};
    start(TIMELINE, "2026-01-05");
    ck_assert_int_eq(fire("susp", "2026-01-10"), ZF_OK);
    ck_assert_int_eq(fire("res", "2026-01-15"), ZF_OK);
    ck_assert_int_eq(fire("ext", "2026-01-16"), ZF_OK);
    ck_assert_int_eq(fire("niets", "2026-01-26"), ZF_OK);
    ck_assert_int_eq(zf_instance_fire(inst, "besluit_na_heroverweging_verzonden",
                                      D("2026-01-27"), &jurist, NULL, 0, &err),
                     ZF_OK);
}

/* Every kind of row, the event column as wide as the longest event name. */
START_TEST(test_instance_timeline) {
    zf_buf b = ZF_BUF_INIT;
    timeline_case();
    ck_assert_int_eq(zf_instance_timeline(&b, inst, &err), ZF_OK);
    ck_assert_str_eq(
        b.ptr,
        "date        event                               actor           what happened\n"
        "----------  ----------------------------------  --------------  "
        "----------------------------------------\n"
        "2026-01-05  (case started)                                      enter a\n"
        "                                                                "
        "term top started, last day 2026-02-16\n"
        "                                                                "
        "term t1 started, last day 2026-01-19\n"
        "                                                                "
        "term t2 started, last day 2026-03-16\n"
        "2026-01-10  susp                                                "
        "term top suspended from 2026-01-10\n"
        "2026-01-15  res                                                 "
        "term top resumed, last day 2026-02-20\n"
        "2026-01-16  ext                                                 "
        "term top extended by 6w, last day 2026-04-07\n"
        "2026-01-20  expired.t1                                          "
        "term t1 expired (last day 2026-01-19)\n"
        "2026-01-26  niets                                               (no change)\n"
        "2026-01-27  besluit_na_heroverweging_verzonden  j.devries       a -> b\n"
        "                                                                "
        "term t2 stopped\n"
        "                                                                "
        "basis: Awb 7:12\n"
        "                                                                "
        "notify client: beslissing op bezwaar\n"
        "                                                                "
        "spawn beroep (vervolg)\n"
        "                                                                "
        "  with besluit = 2026-01-27\n"
        "                                                                "
        "log: naar beroep\n");
    zf_buf_dispose(&b);
}
END_TEST

START_TEST(test_instance_timeline_alloc_failures) {
    timeline_case();
    ck_assert_uint_gt(th_text_failure_loop(timeline_text, inst), 500);
    zf_buf b = ZF_BUF_INIT;
    err.code = ZF_EPARSE; /* a stale error: each call describes itself */
    strcpy(err.message, "stale");
    ck_assert_int_eq(zf_instance_timeline(&b, NULL, &err), ZF_EINVAL);
    ck_assert_str_eq(err.message, "invalid instance");
    ck_assert_int_eq(zf_instance_timeline(NULL, inst, &err), ZF_EINVAL);
    ck_assert_str_eq(err.message, "out is NULL");
    ck_assert_ptr_null(b.ptr);
}
END_TEST

/* ---- snapshots --------------------------------------------------------- */

static void busy_case(void) {
    start(TERMS, "2026-01-05");
    ck_assert_int_eq(fire("susp", "2026-01-10"), ZF_OK);
    ck_assert_int_eq(fire("res", "2026-01-15"), ZF_OK);
    ck_assert_int_eq(fire("ext", "2026-01-16"), ZF_OK);
    ck_assert_int_eq(fire("susp", "2026-01-17"), ZF_OK);
    ck_assert_int_eq(zf_instance_advance(inst, D("2026-01-25"), &err), ZF_OK);
}

START_TEST(test_instance_snapshot_round_trip) {
    busy_case();
    char *s1 = snap(inst);
    ck_assert_ptr_nonnull(strstr(s1, "xmlns=\"urn:zaakflow:snapshot:1\""));
    zf_instance *r = NULL;
    memset(&err, 0, sizeof err);
    ck_assert_msg(zf_instance_restore(&r, def, s1, strlen(s1), NULL, &err) == ZF_OK, "%s",
                  err.message);
    char *s2 = snap(r);
    ck_assert_str_eq(s1, s2);
    /* The restored case continues like the original. */
    memset(&err, 0, sizeof err);
    ck_assert_int_eq(zf_instance_fire(r, "res", D("2026-02-01"), NULL, NULL, 0, &err),
                     ZF_OK);
    ck_assert_int_eq(fire("res", "2026-02-01"), ZF_OK);
    char *a = snap(inst), *b = snap(r);
    ck_assert_str_eq(a, b);
    free(a);
    free(b);
    zf_instance_free(r);
    free(s1);
    free(s2);
}
END_TEST

START_TEST(test_instance_snapshot_hash_mismatch) {
    busy_case();
    char *s1 = snap(inst);
    /* Same id and version, another meaning (a term of 7 weeks): a different hash. */
    char *other = malloc(strlen(TERMS) + 1);
    strcpy(other, TERMS);
    memcpy(strstr(other, "'6w'"), "'7w'", 4);
    zf_definition *d2 = load(other);
    zf_instance *r = NULL;
    memset(&err, 0, sizeof err);
    ck_assert_int_eq(zf_instance_restore(&r, d2, s1, strlen(s1), NULL, &err),
                     ZF_ESNAPSHOT);
    ck_assert_ptr_null(r);
    ck_assert_ptr_nonnull(strstr(err.message, "but the definition is p 1 (hash"));
    zf_definition_free(d2);
    free(other);
    free(s1);
}
END_TEST

/* A comment, white space and attribute order keep the hash: old snapshots restore. */
START_TEST(test_instance_snapshot_after_cosmetic_edit) {
    busy_case();
    char *s1 = snap(inst);
    char *other = malloc(strlen(TERMS) + 64);
    const char *at = strstr(TERMS, "<state id='a'>");
    memcpy(other, TERMS, (size_t)(at - TERMS));
    strcpy(other + (at - TERMS), "<!-- changed -->\n  <state id = 'a' title='A'>");
    strcat(other, at + strlen("<state id='a'>"));
    zf_definition *d2 = load(other);
    zf_instance *r = NULL;
    memset(&err, 0, sizeof err);
    ck_assert_str_eq(zf_definition_hash(d2), zf_definition_hash(def));
    ck_assert_int_eq(zf_instance_restore(&r, d2, s1, strlen(s1), NULL, &err), ZF_OK);
    char *s2 = snap(r);
    ck_assert_str_eq(s1, s2);
    zf_instance_free(r);
    zf_definition_free(d2);
    free(other);
    free(s1);
    free(s2);
}
END_TEST

/* Before the canonical hash, a snapshot named the SHA-256 of its definition's file.
 * Such a snapshot (sealed again, so that only the hash it names is off) is refused,
 * naming both hashes: the hash a snapshot names is the canonical one. */
START_TEST(test_instance_snapshot_file_hash_refused) {
    char file_hash[65];
    busy_case();
    char *s1 = snap(inst);
    zf__sha256_hex(TERMS, strlen(TERMS), file_hash);
    ck_assert_str_ne(file_hash, zf_definition_hash(def));
    memcpy(strstr(s1, "hash=\"") + 6, file_hash, 64);
    char *sealed = th_reseal(s1);
    zf_instance *r = NULL;
    memset(&err, 0, sizeof err);
    ck_assert_int_eq(zf_instance_restore(&r, def, sealed, strlen(sealed), NULL, &err),
                     ZF_ESNAPSHOT);
    ck_assert_ptr_null(r);
    ck_assert_msg(strstr(err.message, "(hash ") != NULL, "%s", err.message);
    ck_assert_msg(strncmp(strstr(err.message, "(hash ") + 6, file_hash, 8) == 0, "%s",
                  err.message);
    free(sealed);
    free(s1);
}
END_TEST

static void expect_refused(const char *s1, const char *from, const char *to,
                           zf_code code) {
    char *t = malloc(strlen(s1) + strlen(to) + 1);
    const char *p = strstr(s1, from);
    ck_assert_msg(p != NULL, "'%s' not in snapshot", from);
    memcpy(t, s1, (size_t)(p - s1));
    strcpy(t + (p - s1), to);
    strcat(t, p + strlen(from));
    /* The digest written again: what is refused is the change itself. */
    if (code != ZF_EPARSE) {
        char *sealed = th_reseal(t);
        free(t);
        t = sealed;
    }
    zf_instance *r = NULL;
    memset(&err, 0, sizeof err);
    ck_assert_msg(zf_instance_restore(&r, def, t, strlen(t), NULL, &err) == code,
                  "tampering '%s' -> '%s' gave %s: %s", from, to, zf_code_name(err.code),
                  err.message);
    ck_assert_ptr_null(r);
    free(t);
}

START_TEST(test_instance_snapshot_tampered) {
    busy_case();
    char *s1 = snap(inst);
    if (getenv("ZF_SHOW"))
        fputs(s1, stderr);
    expect_refused(s1, "end=\"2026-04-07\"", "end=\"2026-04-08\"", ZF_ESNAPSHOT);
    expect_refused(s1, "<state id=\"a\"/>", "<state id=\"zz\"/>", ZF_ESNAPSHOT);
    expect_refused(s1, "<state id=\"a\"/>", "<state id=\"a\"/><state id=\"b\"/>",
                   ZF_ESNAPSHOT);
    expect_refused(s1, "status=\"suspended\"", "status=\"running\"", ZF_ESNAPSHOT);
    expect_refused(s1, "id=\"t1\"", "id=\"t9\"", ZF_ESNAPSHOT);
    expect_refused(s1, "<configuration>", "<configuration><bogus/>", ZF_ESNAPSHOT);
    expect_refused(s1, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
                   "<?xml version=\"1.0\"?><!DOCTYPE s [<!ENTITY x \"y\">]>",
                   ZF_ESNAPSHOT);
    expect_refused(s1, "</snapshot>", "</snapshot", ZF_EPARSE);
    expect_refused(s1, "process=\"p\"", "process=\"q\"", ZF_ESNAPSHOT);
    free(s1);
}
END_TEST

/* Every failing restore describes its own input, never the previous call's. */
START_TEST(test_instance_restore_messages) {
    zf_instance *r = NULL;
    def = load(TERMS);
    memset(&err, 0, sizeof err);
    ck_assert_int_eq(zf_instance_restore(&r, def, "<a", 2, NULL, &err), ZF_EPARSE);
    ck_assert_str_eq(err.message, "the tag <a is not closed");
    ck_assert_str_eq(err.file, "<snapshot>");
    ck_assert_int_eq(err.line, 1);
    ck_assert_int_eq(zf_instance_restore(&r, def, "", 0, NULL, &err), ZF_EPARSE);
    ck_assert_str_eq(err.message, "snapshot is empty");
    ck_assert_int_eq(err.line, 0);
    ck_assert_str_eq(err.file, "");
    ck_assert_int_eq(zf_instance_restore(&r, def, "  ", 2, NULL, &err), ZF_EPARSE);
    ck_assert_ptr_null(strstr(err.message, "<a"));
    ck_assert_int_eq(zf_instance_restore(&r, def, "<snapshot/>", 11, NULL, &err),
                     ZF_ESNAPSHOT);
    ck_assert_ptr_nonnull(strstr(err.message, "starts with the line <?xml"));
    ck_assert_int_eq(err.line, 1);
    ck_assert_ptr_null(r);
}
END_TEST

START_TEST(test_instance_restore_runs_no_entry_actions) {
    def = load(NS " initial='a'><data><var id='n' type='int' default='0'/></data>"
                  "<state id='a'><onentry><assign var='n' expr='n + 1'/><log "
                  "text='entered'/></onentry></state>"
                  "</process>");
    ck_assert_int_eq(zf_instance_new(&inst, def, D("2026-01-05"), NULL, 0, NULL, &err),
                     ZF_OK);
    char *s1 = snap(inst);
    zf_instance *r = NULL;
    ck_assert_int_eq(zf_instance_restore(&r, def, s1, strlen(s1), NULL, &err), ZF_OK);
    zf_value v;
    ck_assert_int_eq(zf_instance_var(&v, r, "n", NULL), ZF_OK);
    ck_assert_int_eq(v.as.i, 1);
    ck_assert_int_eq(zf_instance_journal_count(r), zf_instance_journal_count(inst));
    zf_instance_free(r);
    free(s1);
}
END_TEST

/* ---- copies and dry runs ------------------------------------------------ */

static char *effects_text(const zf_instance *in) {
    zf_buf b = ZF_BUF_INIT;
    for (size_t i = 0; i < zf_instance_effect_count(in); i++) {
        zf_effect e;
        ck_assert_int_eq(zf_instance_effect(&e, in, i, NULL), ZF_OK);
        zf_buf_printf(&b, "%d %s %s %s;", (int)e.kind, e.to ? e.to : "-",
                      e.text ? e.text : "-", e.process ? e.process : "-");
    }
    char *s = malloc(b.size + 1);
    memcpy(s, b.ptr ? b.ptr : "", b.size);
    s[b.size] = '\0';
    zf_buf_dispose(&b);
    return s;
}

/* A copy is exact (snapshot, journal, effects) and then goes its own way. */
START_TEST(test_instance_clone) {
    busy_case();
    zf_instance *c = NULL;
    char *s0 = snap(inst);
    memset(&err, 0, sizeof err);
    ck_assert_int_eq(zf_instance_clone(&c, inst, &err), ZF_OK);
    ck_assert_ptr_nonnull(c);
    ck_assert_ptr_eq(zf_instance_definition(c), def);
    char *s1 = snap(c);
    ck_assert_str_eq(s0, s1);
    ck_assert_uint_eq(zf_instance_journal_count(c), zf_instance_journal_count(inst));
    ck_assert_uint_eq(zf_instance_memory(c), zf_instance_memory(inst));
    char *f0 = effects_text(inst), *f1 = effects_text(c);
    ck_assert_str_eq(f0, f1);
    free(f1);
    /* The copy moves on; the original does not. */
    ck_assert_int_eq(zf_instance_fire(c, "res", D("2026-01-28"), NULL, NULL, 0, &err),
                     ZF_OK);
    char *s2 = snap(inst);
    ck_assert_str_eq(s0, s2);
    f1 = effects_text(inst);
    ck_assert_str_eq(f0, f1);
    free(f1);
    free(s2);
    /* The original moves on; the copy does not. */
    s2 = snap(c);
    ck_assert_int_eq(zf_instance_advance(inst, D("2026-06-01"), &err), ZF_OK);
    char *s3 = snap(c);
    ck_assert_str_eq(s2, s3);
    ck_assert_str_ne(s0, s3);
    /* The copy outlives the original. */
    zf_instance_free(inst);
    inst = NULL;
    ck_assert_int_eq(zf_instance_fire(c, "ext", D("2026-02-02"), NULL, NULL, 0, &err),
                     ZF_OK);
    /* Misuse. */
    zf_instance *none = (zf_instance *)&err;
    ck_assert_int_eq(zf_instance_clone(&none, NULL, &err), ZF_EINVAL);
    ck_assert_ptr_null(none);
    ck_assert_str_eq(err.message, "invalid instance");
    ck_assert_int_eq(zf_instance_clone(NULL, c, &err), ZF_EINVAL);
    ck_assert_str_eq(err.message, "out is NULL");
    zf_instance_free(c);
    free(f0);
    free(s0);
    free(s1);
    free(s2);
    free(s3);
}
END_TEST

/* Copies of cases without a journal, with inline effects and a store of strings,
   and of one whose working area is on the heap. */
START_TEST(test_instance_clone_variants) {
    zf_instance_options o = ZF_INSTANCE_OPTIONS_INIT;
    zf_instance *c = NULL;
    o.journal = 0;
    def = load(EFFECTS);
    ck_assert_int_eq(zf_instance_new(&inst, def, D("2026-01-05"), NULL, 0, &o, &err),
                     ZF_OK);
    zf_param_value p[] = {{"x", zf_value_string("een")}};
    ck_assert_int_eq(zf_instance_fire(inst, "go", D("2026-01-06"), NULL, p, 1, &err),
                     ZF_OK);
    ck_assert_int_eq(zf_instance_clone(&c, inst, &err), ZF_OK);
    char *a = snap(inst), *b = snap(c), *fa = effects_text(inst), *fb = effects_text(c);
    ck_assert_str_eq(a, b);
    ck_assert_str_eq(fa, fb);
    ck_assert_uint_eq(zf_instance_effect_count(c), 2);
    ck_assert_uint_eq(zf_instance_journal_count(c), 0);
    zf_param_value q[] = {{"x", zf_value_string("twee")}};
    ck_assert_int_eq(zf_instance_fire(c, "go", D("2026-01-07"), NULL, q, 1, &err), ZF_OK);
    zf_value v;
    ck_assert_int_eq(zf_instance_var(&v, inst, "s", NULL), ZF_OK);
    ck_assert_str_eq(v.as.s, "een");
    ck_assert_int_eq(zf_instance_var(&v, c, "s", NULL), ZF_OK);
    ck_assert_str_eq(v.as.s, "twee");
    free(a);
    free(b);
    free(fa);
    free(fb);
    zf_instance_free(c);
}
END_TEST

START_TEST(test_instance_alloc_fail_clone) {
    busy_case();
    char *s0 = snap(inst);
    for (long n = 0;; n++) {
        zf_instance *c = NULL;
        th_alloc_fail_at(n);
        zf_code rc = zf_instance_clone(&c, inst, &err);
        int failed = th_alloc_failed();
        long live = th_alloc_live();
        th_alloc_reset();
        char *s1 = snap(inst);
        ck_assert_str_eq(s0, s1); /* the original never changes */
        free(s1);
        if (rc == ZF_OK) {
            ck_assert(!failed);
            s1 = snap(c);
            ck_assert_str_eq(s0, s1);
            free(s1);
            zf_instance_free(c);
            break;
        }
        ck_assert_int_eq(rc, ZF_ENOMEM);
        ck_assert_ptr_null(c);
        ck_assert_int_eq(live, 0); /* nothing leaked */
    }
    free(s0);
}
END_TEST

/* The dry run gives what fire gives, code and message, and changes nothing. */
static void dry_same(const char *ev, const char *date, const zf_actor *a,
                     const zf_param_value *p, size_t np, zf_code expect) {
    zf_error e1, e2;
    char *before = snap(inst), *fx = effects_text(inst);
    size_t nj = zf_instance_journal_count(inst);
    memset(&e1, 0x5a, sizeof e1); /* stale text: every error describes this call */
    ck_assert_int_eq(zf_instance_can_fire(inst, ev, D(date), a, p, np, &e1), expect);
    char *after = snap(inst), *fy = effects_text(inst);
    ck_assert_str_eq(before, after);
    ck_assert_str_eq(fx, fy);
    ck_assert_uint_eq(zf_instance_journal_count(inst), nj);
    memset(&e2, 0, sizeof e2);
    ck_assert_int_eq(zf_instance_fire(inst, ev, D(date), a, p, np, &e2), expect);
    ck_assert_int_eq(e1.code, e2.code);
    ck_assert_str_eq(e1.message, e2.message);
    free(before);
    free(after);
    free(fx);
    free(fy);
}

START_TEST(test_instance_can_fire) {
    const char *jr[] = {"jurist"}, *cr[] = {"commissie"};
    zf_actor jurist = {"jan", jr, 1}, comm = {"kim", cr, 1};
    start(ROLES, "2026-02-01");
    zf_param_value later[] = {{"op", zf_value_string("2026-03-01")}};
    zf_param_value bad[] = {{"op", zf_value_int(3)}};
    zf_param_value ok[] = {{"op", zf_value_string("2026-01-30")},
                           {"wie", zf_value_string("Jansen")}};
    dry_same("toets", "2026-02-02", &comm, NULL, 0, ZF_EFORBIDDEN);
    dry_same("advies", "2026-02-02", &jurist, NULL, 0, ZF_EFORBIDDEN);
    dry_same("zz", "2026-02-02", &jurist, NULL, 0, ZF_ENOTFOUND);
    dry_same("toets", "2026-01-02", &jurist, NULL, 0, ZF_EINVAL);
    dry_same("ontvang", "2026-02-02", NULL, NULL, 0, ZF_EINVAL);
    dry_same("ontvang", "2026-02-02", NULL, bad, 1, ZF_EINVAL);
    dry_same("ontvang", "2026-02-02", NULL, later, 1, ZF_EREJECTED);
    /* Allowed: the dry run says so and changes nothing; fire then takes it. */
    dry_same("ontvang", "2026-02-02", NULL, ok, 2, ZF_OK);
    dry_same("toets", "2026-02-03", &jurist, NULL, 0, ZF_OK);
    dry_same("toets", "2026-02-03", &jurist, NULL, 0, ZF_EREJECTED);
    ck_assert_int_eq(
        zf_instance_can_fire(NULL, "toets", D("2026-02-03"), NULL, NULL, 0, &err),
        ZF_EINVAL);
}
END_TEST

/* A dry run that expires terms, journals and makes effects still changes nothing:
   the effects of the last real call stay. */
START_TEST(test_instance_can_fire_rolls_back_everything) {
    busy_case();
    ck_assert_int_eq(fire("res", "2026-01-26"), ZF_OK);
    /* Time passes in the dry run: 'top' expires, the case moves to c, where 'go'
       has no transition. */
    dry_same("go", "2026-06-01", NULL, NULL, 0, ZF_EREJECTED);
    zf_instance_free(inst);
    zf_definition_free(def);
    inst = NULL;
    def = load(EFFECTS);
    ck_assert_int_eq(zf_instance_new(&inst, def, D("2026-01-05"), NULL, 0, NULL, &err),
                     ZF_OK);
    zf_param_value een[] = {{"x", zf_value_string("een")}};
    zf_param_value twee[] = {{"x", zf_value_string("twee")}};
    ck_assert_int_eq(zf_instance_fire(inst, "go", D("2026-01-06"), NULL, een, 1, &err),
                     ZF_OK);
    size_t mem = zf_instance_memory(inst);
    for (int i = 0; i < 3; i++) {
        char *s0 = snap(inst), *f0 = effects_text(inst);
        ck_assert_int_eq(
            zf_instance_can_fire(inst, "go", D("2026-01-07"), NULL, twee, 1, &err),
            ZF_OK);
        char *s1 = snap(inst), *f1 = effects_text(inst);
        ck_assert_str_eq(s0, s1);
        ck_assert_str_eq(f0, f1);
        ck_assert_uint_eq(zf_instance_memory(inst), mem);
        free(s0);
        free(s1);
        free(f0);
        free(f1);
    }
    zf_value v;
    ck_assert_int_eq(zf_instance_var(&v, inst, "s", NULL), ZF_OK);
    ck_assert_str_eq(v.as.s, "een");
    dry_same("go", "2026-01-07", NULL, twee, 1, ZF_OK);
    ck_assert_int_eq(zf_instance_var(&v, inst, "s", NULL), ZF_OK);
    ck_assert_str_eq(v.as.s, "twee");
}
END_TEST

/* Every shape the runtime evaluates without the VM (instance.c fast_shapes): the
 * test build checks each answer against the VM, these pin some of them too. */
START_TEST(test_instance_fast_shapes) {
    zf_value v;
    def =
        load(NS " initial='a'><data><enum id='kleur'><value id='rood'/>"
                "<value id='groen'/></enum>"
                "<var id='n' type='int' default='2'/><var id='b' type='bool' "
                "default='true'/><var id='k' type='kleur' default='groen'/>"
                "<var id='i' type='int' default='0'/><var id='j' type='int' "
                "default='0'/><var id='r1' type='bool' default='false'/>"
                "<var id='r2' type='bool' default='false'/><var id='r3' type='bool' "
                "default='false'/><var id='r4' type='bool' default='false'/>"
                "<var id='d' type='date' default='2026-01-01'/><var id='e' "
                "type='date' default='2026-01-01'/><var id='u' type='duration' "
                "default='1d'/><var id='q' type='kleur' default='rood'/></data>"
                "<events><event id='go'><param id='p' type='int' required='true'/>"
                "<param id='c' type='kleur' required='true'/></event>"
                "<event id='cmp'/><event id='terms'/><event id='susp'/>"
                "<event id='ext'/><event id='ovf'/></events>"
                "<state id='a'><term id='t' length='6w'/>"
                " <transition event='go' cond='false' target='a'/>"
                " <transition event='go' cond='true'>"
                "  <assign var='b' expr='not b'/><assign var='i' expr='n'/>"
                "  <assign var='j' expr='event.p'/><assign var='q' expr='event.c'/>"
                "  <assign var='r1' expr=\"k == 'groen'\"/>"
                "  <assign var='r2' expr=\"k != 'groen'\"/>"
                "  <assign var='r3' expr=\"event.c == 'rood'\"/>"
                "  <assign var='r4' expr=\"event.c != 'rood'\"/>"
                "  <assign var='d' expr='2026-03-01'/><assign var='u' expr='6w'/>"
                " </transition>"
                " <transition event='cmp' cond='b'>"
                "  <assign var='r1' expr='n &lt; 3'/><assign var='r2' expr='n &lt;= 1'/>"
                "  <assign var='r3' expr='n &gt; 1'/><assign var='r4' expr='n &gt;= 3'/>"
                "  <assign var='n' expr='n + 40'/></transition>"
                " <transition event='cmp' cond='not b'><assign var='b' expr='b'/>"
                " </transition>"
                " <transition event='terms'><assign var='r1' expr='running(t)'/>"
                "  <assign var='r2' expr='expired(t)'/>"
                "  <assign var='r3' expr='extended(t)'/>"
                "  <assign var='r4' expr='suspended(t)'/>"
                "  <assign var='d' expr='start(t)'/><assign var='e' expr='end(t)'/>"
                " </transition>"
                " <transition event='ext'><extend term='t' by='1w'/></transition>"
                " <transition event='susp'><suspend term='t'/></transition>"
                " <transition event='ovf'><assign var='n' "
                "expr='n + 9223372036854775807'/></transition>"
                "</state></process>");
    ck_assert_int_eq(zf_instance_new(&inst, def, D("2026-01-05"), NULL, 0, NULL, &err),
                     ZF_OK);
    zf_param_value p[] = {{"p", zf_value_int(7)}, {"c", zf_value_void()}};
    ck_assert_int_eq(zf_definition_param_value(&p[1].value, def, 0, 1, "rood", &err),
                     ZF_OK);
    ck_assert_int_eq(zf_instance_fire(inst, "go", D("2026-01-06"), NULL, p, 2, &err),
                     ZF_OK);
    ck_assert_int_eq(zf_instance_var(&v, inst, "b", NULL), ZF_OK);
    ck_assert_int_eq(v.as.b, 0);
    ck_assert_int_eq(zf_instance_var(&v, inst, "i", NULL), ZF_OK);
    ck_assert_int_eq(v.as.i, 2);
    ck_assert_int_eq(zf_instance_var(&v, inst, "j", NULL), ZF_OK);
    ck_assert_int_eq(v.as.i, 7);
    ck_assert_int_eq(zf_instance_var(&v, inst, "q", NULL), ZF_OK);
    ck_assert_str_eq(v.as.s, "rood");
    ck_assert_int_eq(zf_instance_var(&v, inst, "r1", NULL), ZF_OK);
    ck_assert_int_eq(v.as.b, 1);
    ck_assert_int_eq(zf_instance_var(&v, inst, "r4", NULL), ZF_OK);
    ck_assert_int_eq(v.as.b, 0);
    ck_assert_int_eq(zf_instance_var(&v, inst, "u", NULL), ZF_OK);
    ck_assert_int_eq(v.as.dur.n, 6);
    /* b is false now: `cmp` takes its second transition, then its first. */
    ck_assert_int_eq(fire("cmp", "2026-01-07"), ZF_OK);
    ck_assert_int_eq(zf_instance_var(&v, inst, "b", NULL), ZF_OK);
    ck_assert_int_eq(v.as.b, 0);
    ck_assert_int_eq(fire("go", "2026-01-07") == ZF_OK, 0); /* parameters missing */
    ck_assert_int_eq(zf_instance_fire(inst, "go", D("2026-01-07"), NULL, p, 2, &err),
                     ZF_OK);
    ck_assert_int_eq(fire("cmp", "2026-01-07"), ZF_OK);
    ck_assert_int_eq(zf_instance_var(&v, inst, "n", NULL), ZF_OK);
    ck_assert_int_eq(v.as.i, 42);
    ck_assert_int_eq(zf_instance_var(&v, inst, "r3", NULL), ZF_OK);
    ck_assert_int_eq(v.as.b, 1);
    ck_assert_int_eq(fire("terms", "2026-01-08"), ZF_OK);
    ck_assert_int_eq(zf_instance_var(&v, inst, "r1", NULL), ZF_OK);
    ck_assert_int_eq(v.as.b, 1);
    ck_assert_int_eq(fire("ext", "2026-01-09"), ZF_OK);
    ck_assert_int_eq(fire("susp", "2026-01-10"), ZF_OK);
    ck_assert_int_eq(fire("terms", "2026-01-12"), ZF_OK);
    ck_assert_int_eq(zf_instance_var(&v, inst, "r3", NULL), ZF_OK);
    ck_assert_int_eq(v.as.b, 1);
    ck_assert_int_eq(zf_instance_var(&v, inst, "r4", NULL), ZF_OK);
    ck_assert_int_eq(v.as.b, 1);
    /* An overflow is not the fast path's: the VM refuses it with its message. */
    ck_assert_int_eq(fire("ovf", "2026-01-12"), ZF_EEVAL);
    ck_assert_ptr_nonnull(strstr(err.message, "overflow"));
}
END_TEST

/* A refused event names the conditions that are false, as written, with their lines. */
START_TEST(test_instance_refused_names_condition) {
    def = load(NS " initial='a'>\n"
                  "<data><var id='n' type='int' default='0'/></data>\n"
                  "<events><event id='go'/><event id='stop'/></events>\n"
                  "<state id='a' initial='a1'>\n"
                  " <transition event='stop' cond='n &gt; 5' target='b'/>\n"
                  " <state id='a1'>\n"
                  "  <transition event='go' cond='n &gt; 2' target='b'/>\n"
                  "  <transition event='go' cond='n &lt; 0 and n != -1' target='b'/>\n"
                  "  <transition event='stop' cond='n == 1' target='b'/>\n"
                  " </state>\n"
                  "</state><state id='b'/></process>");
    ck_assert_int_eq(zf_instance_new(&inst, def, D("2026-01-05"), NULL, 0, NULL, &err),
                     ZF_OK);
    ck_assert_int_eq(fire("go", "2026-01-06"), ZF_EREJECTED);
    ck_assert_str_eq(
        err.message,
        "event 'go' is not allowed in state 'a1': conditions 'n > 2' (line 7), "
        "'n < 0 and n != -1' (line 8) are false");
    ck_assert_int_eq(fire("stop", "2026-01-06"), ZF_EREJECTED);
    ck_assert_str_eq(err.message, "event 'stop' is not allowed in state 'a1': conditions "
                                  "'n > 5' (line 5), 'n == 1' (line 9) are false");
    zf_instance_free(inst);
    zf_definition_free(def);
    def =
        load(NS " initial='a'>\n"
                "<data><var id='n' type='int' default='0'/></data>\n"
                "<events><event id='go'/><event id='other'/></events>\n"
                "<state id='a'><transition event='go' cond='n &gt;= 1' target='b'/>"
                "</state>\n"
                "<state id='b'><transition event='other' target='a'/></state></process>");
    ck_assert_int_eq(zf_instance_new(&inst, def, D("2026-01-05"), NULL, 0, NULL, &err),
                     ZF_OK);
    ck_assert_int_eq(fire("go", "2026-01-06"), ZF_EREJECTED);
    ck_assert_str_eq(err.message, "event 'go' is not allowed in state 'a': condition "
                                  "'n >= 1' (line 4) is false");
    /* No transition on the event at all: no condition to name. */
    ck_assert_int_eq(fire("other", "2026-01-06"), ZF_EREJECTED);
    ck_assert_str_eq(err.message, "event 'other' is not allowed in state 'a'");
}
END_TEST

/* ---- allocation failures ----------------------------------------------- */

START_TEST(test_instance_alloc_fail_new) {
    def = load(TERMS);
    for (long n = 0;; n++) {
        zf_instance *in = NULL;
        th_alloc_fail_at(n);
        zf_code rc = zf_instance_new(&in, def, D("2026-01-05"), NULL, 0, NULL, &err);
        int failed = th_alloc_failed();
        long live = th_alloc_live();
        if (rc == ZF_OK) {
            ck_assert(!failed);
            zf_instance_free(in);
            ck_assert_int_eq(th_alloc_live(), 0);
            th_alloc_reset();
            break;
        }
        th_alloc_reset();
        ck_assert_int_eq(rc, ZF_ENOMEM);
        ck_assert_ptr_null(in);
        ck_assert_int_eq(live, 0);
    }
}
END_TEST

typedef zf_code (*mutator)(zf_instance *);
static zf_code m_fire(zf_instance *in) {
    return zf_instance_fire(in, "ext", D("2026-01-26"), NULL, NULL, 0, &err);
}
static zf_code m_advance(zf_instance *in) {
    return zf_instance_advance(in, D("2026-03-01"), &err);
}

static void fail_loop(mutator m) {
    busy_case();
    for (long n = 0;; n++) {
        char *before = snap(inst);
        th_alloc_fail_at(n);
        zf_code rc = m(inst);
        int failed = th_alloc_failed();
        th_alloc_reset();
        if (rc == ZF_OK) {
            ck_assert(!failed);
            free(before);
            break;
        }
        ck_assert_int_eq(rc, ZF_ENOMEM);
        char *after = snap(inst);
        ck_assert_str_eq(before, after);
        free(before);
        free(after);
    }
}

START_TEST(test_instance_alloc_fail_fire) {
    fail_loop(m_fire);
}
END_TEST

START_TEST(test_instance_alloc_fail_advance) {
    fail_loop(m_advance);
}
END_TEST

START_TEST(test_instance_alloc_fail_snapshot_restore) {
    busy_case();
    char *s1 = snap(inst);
    for (long n = 0;; n++) {
        zf_buf b = ZF_BUF_INIT;
        th_alloc_fail_at(n);
        zf_code rc = zf_instance_snapshot(&b, inst, &err);
        th_alloc_reset();
        if (rc == ZF_OK) {
            ck_assert_str_eq(b.ptr, s1);
            zf_buf_dispose(&b);
            break;
        }
        ck_assert_int_eq(rc, ZF_ENOMEM);
        zf_buf_dispose(&b);
    }
    for (long n = 0;; n++) {
        zf_instance *r = NULL;
        th_alloc_fail_at(n);
        zf_code rc = zf_instance_restore(&r, def, s1, strlen(s1), NULL, &err);
        long live = th_alloc_live();
        th_alloc_reset();
        if (rc == ZF_OK) {
            char *s2 = snap(r);
            ck_assert_str_eq(s1, s2);
            free(s2);
            zf_instance_free(r);
            break;
        }
        ck_assert_int_eq(rc, ZF_ENOMEM);
        ck_assert_ptr_null(r);
        ck_assert_int_eq(live, 0);
    }
    char *s3 = snap(inst);
    ck_assert_str_eq(s1, s3);
    free(s3);
    free(s1);
}
END_TEST

static const char *STEADY =
    NS " initial='a'>"
       "<data><var id='n' type='int' default='0'/><var id='klaar' type='bool' "
       "default='false'/></data>"
       "<roles><role id='jurist'/></roles>"
       "<events><event id='heen' roles='jurist'/><event id='terug'/></events>"
       "<state id='a'><term id='ta' length='6w'/>"
       " <transition event='heen' cond='n &lt; 1000000 and not klaar' target='b'><assign "
       "var='n' expr='n + 1'/></transition></state>"
       "<state id='b'><transition event='terug' cond='running(ta) or n &gt; 0' "
       "target='a'/></state>"
       "</process>";

START_TEST(test_instance_zero_alloc_steady_state) {
    zf_instance_options o = ZF_INSTANCE_OPTIONS_INIT;
    const char *roles[] = {"jurist"};
    zf_actor a = {"jan", roles, 1};
    o.journal = 0;
    def = load(STEADY);
    ck_assert_int_eq(zf_instance_new(&inst, def, D("2026-01-05"), NULL, 0, &o, &err),
                     ZF_OK);
    ck_assert_int_eq(zf_instance_fire(inst, "heen", D("2026-01-05"), &a, NULL, 0, &err),
                     ZF_OK);
    ck_assert_int_eq(zf_instance_fire(inst, "terug", D("2026-01-05"), &a, NULL, 0, &err),
                     ZF_OK);
    th_alloc_fail_at(0); /* any allocation now fails the call */
    for (int i = 0; i < 100; i++) {
        zf_date day = D("2026-01-06") + i;
        memset(&err, 0, sizeof err);
        ck_assert_msg(zf_instance_fire(inst, "heen", day, &a, NULL, 0, &err) == ZF_OK,
                      "%s", err.message);
        ck_assert_int_eq(zf_instance_fire(inst, "terug", day, &a, NULL, 0, &err), ZF_OK);
        ck_assert_int_eq(zf_instance_advance(inst, day, &err), ZF_OK);
        static const size_t role0[] = {0};
        zf_event_call heen = {0, day, "jan", role0, 1, NULL},
                      terug = {1, day, "jan", NULL, 0, NULL};
        ck_assert_int_eq(zf_instance_fire_resolved(inst, &heen, &err), ZF_OK);
        ck_assert_int_eq(zf_instance_fire_resolved(inst, &terug, &err), ZF_OK);
    }
    ck_assert_int_eq(th_alloc_failed(), 0);
    th_alloc_reset();
    ck_assert_int_eq(zf_instance_journal_count(inst), 0);
    ck_assert_uint_lt(zf_instance_memory(inst), 1024);
}
END_TEST

/* One state block per instance; small charts stay within 512 bytes. */
START_TEST(test_instance_memory_compact) {
    zf_instance_options o = ZF_INSTANCE_OPTIONS_INIT;
    o.journal = 0;
    def = load(STEADY);
    ck_assert_int_eq(zf_instance_new(&inst, def, D("2026-01-05"), NULL, 0, &o, &err),
                     ZF_OK);
    ck_assert_uint_le(zf_instance_memory(inst), 512);
}
END_TEST

/* A definition whose working area exceeds the stack buffer: one heap buffer made at
   creation, steady state still allocation-free, failing calls still atomic. */
START_TEST(test_instance_large_working_area) {
    zf_instance_options o = ZF_INSTANCE_OPTIONS_INIT;
    zf_buf x = ZF_BUF_INIT;
    ck_assert_int_eq(zf_buf_puts(&x, NS " initial='a'><data>"), ZF_OK);
    for (int i = 0; i < 300; i++)
        ck_assert_int_eq(
            zf_buf_printf(&x, "<var id='v%d' type='int' default='%d'/>", i, i), ZF_OK);
    const char *rest =
        "<var id='s' type='string' default='x'/></data>"
        "<events><event id='go'/><event id='back'/><event id='bad'/></events>"
        "<state id='a'><transition event='go' cond='v299 &gt; 0' target='b'>"
        " <assign var='v0' expr='v0 + v299'/><assign var='s' "
        "expr=\"'abc'\"/></transition>"
        " <transition event='bad' target='b'><assign var='v1' expr='v1 / "
        "0'/></transition></state>"
        "<state id='b'><transition event='back' target='a'/></state></process>";
    ck_assert_int_eq(zf_buf_puts(&x, rest), ZF_OK);
    def = load(x.ptr);
    zf_buf_dispose(&x);
    o.journal = 0;
    ck_assert_int_eq(zf_instance_new(&inst, def, D("2026-01-05"), NULL, 0, &o, &err),
                     ZF_OK);
    ck_assert_int_eq(fire("go", "2026-01-05"), ZF_OK);
    ck_assert_int_eq(fire("back", "2026-01-05"), ZF_OK);
    char *before = snap(inst);
    ck_assert_int_eq(fire("bad", "2026-01-06"), ZF_EEVAL);
    char *after = snap(inst);
    ck_assert_str_eq(before, after);
    free(before);
    free(after);
    th_alloc_fail_at(0);
    for (int i = 0; i < 20; i++) {
        ck_assert_int_eq(fire("go", "2026-01-07"), ZF_OK);
        ck_assert_int_eq(fire("back", "2026-01-07"), ZF_OK);
    }
    ck_assert_int_eq(th_alloc_failed(), 0);
    th_alloc_reset();
    zf_value v;
    ck_assert_int_eq(zf_instance_var(&v, inst, "v0", NULL), ZF_OK);
    ck_assert_int_eq(v.type, ZF_TYPE_INT);
    ck_assert_int_eq(v.as.i, 21 * 299);
    ck_assert_int_eq(zf_instance_var(&v, inst, "s", NULL), ZF_OK);
    ck_assert_str_eq(v.as.s, "abc");
}
END_TEST

static Suite *suite(void) {
    Suite *s = suite_create("instance");
    TCase *tc = tcase_create("statechart");
    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_add_test(tc, test_instance_entry_exit_order);
    tcase_add_test(tc, test_instance_document_order_priority);
    tcase_add_test(tc, test_instance_parallel_done_events);
    tcase_add_test(tc, test_instance_in_guard);
    tcase_add_test(tc, test_instance_eventless_and_cycle_bound);
    tcase_add_test(tc, test_instance_conflicts_document_order);
    tcase_add_test(tc, test_instance_conflicts_none_within_regions);
    tcase_add_test(tc, test_instance_conflicts_descendant_preempts);
    tcase_add_test(tc, test_instance_conflicts_ancestor_dropped);
    tcase_add_test(tc, test_instance_conflicts_targetless);
    tcase_add_test(tc, test_instance_conflicts_inner_domain);
    tcase_add_test(tc, test_instance_conflicts_warned);
    tcase_add_test(tc, test_instance_internal_events_order);
    suite_add_tcase(s, tc);
    tc = tcase_create("terms");
    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_add_test(tc, test_instance_terms_start_stop);
    tcase_add_test(tc, test_instance_terms_manual_stop_with_state);
    tcase_add_test(tc, test_instance_terms_expiry_order);
    tcase_add_test(tc, test_instance_terms_suspend_resume_extend);
    tcase_add_test(tc, test_instance_terms_open_suspension_never_expires);
    tcase_add_test(tc, test_instance_terms_party);
    suite_add_tcase(s, tc);
    tc = tcase_create("calls");
    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_add_test(tc, test_instance_roles);
    tcase_add_test(tc, test_instance_dates_and_params);
    tcase_add_test(tc, test_instance_fire_resolved);
    tcase_add_test(tc, test_instance_param_value_enum);
    tcase_add_test(tc, test_instance_required_vars);
    tcase_add_test(tc, test_instance_effects_and_strings);
    tcase_add_test(tc, test_instance_failed_call_after_compaction);
    suite_add_tcase(s, tc);
    tc = tcase_create("snapshot");
    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_add_test(tc, test_instance_snapshot_round_trip);
    tcase_add_test(tc, test_instance_snapshot_hash_mismatch);
    tcase_add_test(tc, test_instance_snapshot_after_cosmetic_edit);
    tcase_add_test(tc, test_instance_snapshot_file_hash_refused);
    tcase_add_test(tc, test_instance_snapshot_tampered);
    tcase_add_test(tc, test_instance_restore_runs_no_entry_actions);
    tcase_add_test(tc, test_instance_timeline);
    tcase_add_test(tc, test_instance_restore_messages);
    suite_add_tcase(s, tc);
    tc = tcase_create("copies");
    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_add_test(tc, test_instance_clone);
    tcase_add_test(tc, test_instance_clone_variants);
    tcase_add_test(tc, test_instance_can_fire);
    tcase_add_test(tc, test_instance_can_fire_rolls_back_everything);
    tcase_add_test(tc, test_instance_refused_names_condition);
    tcase_add_test(tc, test_instance_fast_shapes);
    suite_add_tcase(s, tc);
    tc = tcase_create("memory");
    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_instance_alloc_fail_new);
    tcase_add_test(tc, test_instance_alloc_fail_fire);
    tcase_add_test(tc, test_instance_alloc_fail_advance);
    tcase_add_test(tc, test_instance_alloc_fail_snapshot_restore);
    tcase_add_test(tc, test_instance_alloc_fail_clone);
    tcase_add_test(tc, test_instance_timeline_alloc_failures);
    tcase_add_test(tc, test_instance_zero_alloc_steady_state);
    tcase_add_test(tc, test_instance_memory_compact);
    tcase_add_test(tc, test_instance_large_working_area);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) {
    return th_run(suite());
}
