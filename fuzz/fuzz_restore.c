/*
 * libFuzzer target for snapshots: restore arbitrary bytes against a fixed
 * definition (states in a hierarchy, terms that are suspended, extended and
 * stopped, variables of every kind, effects and a final state), as they are and
 * with their digest written again (so that the checks behind the digest are
 * reached too), with the journal on and off, and read them with
 * zf_snapshot_info(). The properties, besides no crash, leak or sanitizer report:
 *   - a refusal has a code and a message, and the error is that call's;
 *   - an accepted snapshot round-trips: the restored instance writes the very
 *     bytes it was restored from;
 *   - the library's own snapshot of that instance after further events restores,
 *     and writes itself again.
 */
#include "instance_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char PROCESS[] =
    "<process xmlns='urn:zaakflow:process:1' id='fz' version='1' initial='a'>"
    "<data><enum id='kleur'><value id='rood'/><value id='groen'/></enum>"
    "<var id='n' type='int' default='0'/><var id='s' type='string'/>"
    "<var id='k' type='kleur'/><var id='d' type='date'/><var id='m' type='money'/>"
    "<var id='t' type='duration' default='2w'/><var id='b' type='bool'/></data>"
    "<roles><role id='r'/></roles>"
    "<events><event id='go'/><event id='set'><param id='x' type='string'/></event>"
    "<event id='susp'/><event id='res'/><event id='ext'/><event id='stop'/>"
    "<event id='close'/></events>"
    "<term id='top' length='6w'/><term id='lang' length='20w'/>"
    "<state id='a' initial='a1'>"
    " <term id='t1' length='2w'/>"
    " <transition event='expired.t1'><log text='t1 expired'/></transition>"
    " <transition event='set'><assign var='n' expr='n + 1'/>"
    "   <assign var='s' expr='\"tekst &amp; &lt;meer&gt;\"'/>"
    "   <assign var='k' expr='\"groen\"'/>"
    "   <notify to='behandelaar' text='gezet'/>"
    "   <spawn process='ander' relation='deelzaak'><with name='n' expr='n'/></spawn>"
    " </transition>"
    " <transition event='susp'><suspend term='top'/></transition>"
    " <transition event='res'><resume term='top'/></transition>"
    " <transition event='ext'><extend term='top' by='6w'/></transition>"
    " <transition event='stop'><stop term='top'/></transition>"
    " <transition event='close' target='klaar'/>"
    " <state id='a1'><transition event='go' target='a2'><basis>Awb "
    "6:7</basis></transition>"
    " </state><state id='a2'/></state>"
    "<final id='klaar' outcome='afgehandeld'/></process>";

static zf_definition *def;

static void check_error(zf_code rc, const zf_error *e) {
    if (rc != ZF_OK && (e->code != rc || !e->message[0]))
        abort(); /* a refusal without its code or message */
    if (rc == ZF_OK && e->code != ZF_OK)
        abort(); /* a success that keeps an error */
}

/* The instance writes back what it was restored from; then further events, and
 * the library's own snapshot restores and writes itself again. */
static void round_trip(zf_instance *in, const char *xml, size_t len, int journal) {
    zf_buf s = ZF_BUF_INIT, s2 = ZF_BUF_INIT;
    zf_instance_options o = ZF_INSTANCE_OPTIONS_INIT;
    zf_instance *r = NULL;
    zf_error e;
    zf_code rc = zf_instance_snapshot(&s, in, &e);
    check_error(rc, &e);
    if (rc == ZF_OK && (s.size != len || memcmp(s.ptr, xml, len) != 0))
        abort(); /* accepted, but not what the library writes for it */
    static const char *const events[] = {"set", "susp", "res",  "ext",
                                         "go",  "stop", "close"};
    zf_date day = zf_instance_date(in);
    for (size_t i = 0; i < sizeof events / sizeof *events; i++) {
        rc = zf_instance_fire(in, events[i], day + (zf_date)i, NULL, NULL, 0, &e);
        check_error(rc, &e);
    }
    rc = zf_instance_advance(in, day + 400, &e);
    check_error(rc, &e);
    zf_buf_clear(&s);
    rc = zf_instance_snapshot(&s, in, &e);
    check_error(rc, &e);
    if (rc == ZF_OK) {
        o.journal = journal;
        rc = zf_instance_restore(&r, def, s.ptr, s.size, &o, &e);
        check_error(rc, &e);
        if (rc != ZF_OK && rc != ZF_ENOMEM && rc != ZF_ELIMIT)
            abort(); /* the library refuses its own snapshot */
        if (rc == ZF_OK) {
            rc = zf_instance_snapshot(&s2, r, &e);
            check_error(rc, &e);
            if (rc == ZF_OK && (s2.size != s.size || memcmp(s2.ptr, s.ptr, s.size)))
                abort();
        }
    }
    zf_instance_free(r);
    zf_buf_dispose(&s);
    zf_buf_dispose(&s2);
}

static void attempt(const char *xml, size_t len) {
    for (int journal = 0; journal < 2; journal++) {
        zf_instance_options o = ZF_INSTANCE_OPTIONS_INIT;
        zf_instance *in = NULL;
        zf_error e;
        o.journal = journal;
        zf_code rc = zf_instance_restore(&in, def, xml, len, &o, &e);
        check_error(rc, &e);
        if ((rc == ZF_OK) != (in != NULL))
            abort();
        if (in)
            round_trip(in, xml, len, journal);
        zf_instance_free(in);
    }
    zf_snapshot_summary sum;
    zf_error e;
    check_error(zf_snapshot_info(&sum, xml, len, NULL, &e), &e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    zf_buf b = ZF_BUF_INIT;
    if (!def) {
        zf_error e;
        if (zf_definition_parse(&def, PROCESS, strlen(PROCESS), "fz.xml", NULL, &e))
            abort();
    }
    attempt((const char *)data, size);
    /* The same bytes with their digest written again: past the digest. */
    if (zf_buf_put(&b, (const char *)data, size) == ZF_OK &&
        zf__snapshot_reseal(&b, NULL, 0) == ZF_OK)
        attempt(b.ptr, b.size);
    zf_buf_dispose(&b);
    return 0;
}
