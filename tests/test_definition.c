/* Process definitions: secure loading, schema, semantic checks, compiled tables. */
#define _POSIX_C_SOURCE 200809L
#include "defn.h"
#include "sha256.h"
#include "testhelp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NS "xmlns=\"urn:zaakflow:process:1\""

/* lib/load.h (which needs libxml2's headers): the root element of a file alone. */
int zf__load_root(const char *path, char *id, char *version, size_t cap);

/* State indexes in document pre-order (the process is 0):
 * a=1, b=2, b1=3, b2=4, p=5, r1s=6, x1=7, x2=8, x3=9, r2s=10, y1=11, y2=12, z=13 */
static const char *valid_xml =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<process " NS " id=\"t\" version=\"1\" title=\"Test\" initial=\"a\">\n"
    "  <basis>Awb</basis>\n"
    "  <data><var id=\"n\" type=\"int\" default=\"0\"/></data>\n"
    "  <roles><role id=\"r0\"/><role id=\"r1\"/><role id=\"r2\"/></roles>\n"
    "  <events>\n"
    "    <event id=\"go\" roles=\"r1 r2\"><param id=\"wanneer\" type=\"date\"/></event>\n"
    "    <event id=\"next\"/>\n"
    "    <event id=\"back\" internal=\"true\"/>\n"
    "  </events>\n"
    "  <term id=\"t0\" party=\"bestuursorgaan\" from=\"today\" length=\"6w\">"
    "<basis>Awb 6:7</basis></term>\n"
    "  <state id=\"a\">\n"
    "    <transition event=\"go\" target=\"p\" roles=\"r0\"/>\n"
    "    <transition event=\"next\" target=\"b1\"/>\n"
    "    <transition event=\"expired.t0\" target=\"z\"/>\n"
    "  </state>\n"
    "  <state id=\"b\" initial=\"b2\">\n"
    "    <transition event=\"next\" cond=\"n &gt; 0\" target=\"b1\" type=\"internal\"/>\n"
    "    <state id=\"b1\"><transition event=\"back\" target=\"a\"/>"
    "<transition event=\"go\" target=\"b\"/></state>\n"
    "    <state id=\"b2\"><transition event=\"next\" target=\"b1\">"
    "<assign var=\"n\" expr=\"n + 1\"/><raise event=\"back\"/></transition></state>\n"
    "  </state>\n"
    "  <parallel id=\"p\">\n"
    "    <transition event=\"done.state.p\" target=\"z\"/>\n"
    "    <state id=\"r1s\" initial=\"x2\">\n"
    "      <state id=\"x1\"/>\n"
    "      <state id=\"x2\"><transition event=\"next\" target=\"x3\"/></state>\n"
    "      <final id=\"x3\"/>\n"
    "    </state>\n"
    "    <state id=\"r2s\">\n"
    "      <state id=\"y1\"><transition event=\"next\" target=\"y2\"/>"
    "<transition event=\"go\" target=\"x1\"/></state>\n"
    "      <final id=\"y2\"/>\n"
    "    </state>\n"
    "  </parallel>\n"
    "  <final id=\"z\" outcome=\"klaar\"/>\n"
    "</process>\n";

static zf_definition *load_valid(void) {
    zf_definition *d = NULL;
    zf_diagnostics diags = ZF_DIAGNOSTICS_INIT;
    zf_error err;
    zf_error_clear(&err);
    zf_code rc =
        zf_definition_parse(&d, valid_xml, strlen(valid_xml), "t.xml", &diags, &err);
    if (rc != ZF_OK || diags.count) {
        zf_buf b = ZF_BUF_INIT;
        zf_diagnostics_format(&b, &diags, NULL);
        fprintf(stderr, "%s", b.ptr ? b.ptr : "");
        zf_buf_dispose(&b);
    }
    ck_assert_int_eq(rc, ZF_OK);
    ck_assert_uint_eq(diags.count, 0);
    zf_diagnostics_dispose(&diags);
    ck_assert_ptr_nonnull(d);
    return d;
}

static uint16_t S(const zf_definition *d, const char *id) {
    uint16_t s = zf__defn_state(d, id);
    ck_assert_msg(s != ZF_NOIDX, "state %s", id);
    return s;
}

/* The states of a pool slice as "a b c". */
static const char *pool_str(const zf_definition *d, uint32_t first, uint32_t n) {
    static char buf[512];
    size_t k = 0;
    buf[0] = '\0';
    for (uint32_t i = 0; i < n; i++)
        k += (size_t)snprintf(buf + k, sizeof buf - k, "%s%s", i ? " " : "",
                              d->states[d->state_pool[first + i]].id);
    return buf;
}

static const zf__transition *trans_on(const zf_definition *d, const char *state,
                                      const char *ev) {
    const zf__state *s = &d->states[S(d, state)];
    for (uint32_t i = s->trans_first; i < s->trans_first + s->ntrans; i++)
        if (d->trans[i].event != ZF_NOIDX && !strcmp(d->events[d->trans[i].event].id, ev))
            return &d->trans[i];
    ck_abort_msg("no transition on %s in %s", ev, state);
    return NULL;
}

START_TEST(test_definition_states_in_preorder) {
    zf_definition *d = load_valid();
    static const char *ids[] = {"t",  "a",  "b",  "b1",  "b2", "p",  "r1s",
                                "x1", "x2", "x3", "r2s", "y1", "y2", "z"};
    ck_assert_uint_eq(zf_definition_state_count(d), 14);
    for (size_t i = 0; i < 14; i++) {
        ck_assert_str_eq(zf_definition_state_id(d, i), ids[i]);
        ck_assert_uint_eq(S(d, ids[i]), i);
    }
    ck_assert_int_eq(d->states[0].kind, ZF_STATE_COMPOUND);
    ck_assert_uint_eq(d->states[0].parent, ZF_NOIDX);
    ck_assert_uint_eq(d->states[0].ndesc, 13);
    ck_assert_uint_eq(d->states[0].initial, 1);
    ck_assert_int_eq(d->states[1].kind, ZF_STATE_ATOMIC);
    ck_assert_int_eq(d->states[2].kind, ZF_STATE_COMPOUND);
    ck_assert_uint_eq(d->states[2].ndesc, 2);
    ck_assert_uint_eq(d->states[2].initial, 4);
    ck_assert_int_eq(d->states[5].kind, ZF_STATE_PARALLEL);
    ck_assert_uint_eq(d->states[5].ndesc, 7);
    ck_assert_uint_eq(d->states[5].initial, ZF_NOIDX);
    ck_assert_uint_eq(d->states[6].initial, 8);
    ck_assert_uint_eq(d->states[10].initial, 11);
    ck_assert_int_eq(d->states[9].kind, ZF_STATE_FINAL);
    ck_assert_int_eq(d->states[13].kind, ZF_STATE_FINAL);
    ck_assert_str_eq(d->states[13].outcome, "klaar");
    ck_assert_uint_eq(d->states[11].depth, 3);
    ck_assert_uint_eq(d->states[11].parent, 10);
    ck_assert(zf__defn_within(d, 11, 5));
    ck_assert(!zf__defn_within(d, 13, 5));
    ck_assert_str_eq(zf_definition_id(d), "t");
    ck_assert_str_eq(zf_definition_version(d), "1");
    ck_assert_str_eq(zf_definition_title(d), "Test");
    ck_assert_str_eq(zf_definition_basis(d), "Awb");
    zf_definition_free(d);
}
END_TEST

START_TEST(test_definition_default_entry_lists) {
    zf_definition *d = load_valid();
    const zf__state *st = d->states;
    ck_assert_str_eq(pool_str(d, st[0].init_first, st[0].ninit), "a");
    ck_assert_str_eq(pool_str(d, st[2].init_first, st[2].ninit), "b2");
    ck_assert_str_eq(pool_str(d, st[5].init_first, st[5].ninit), "r1s x2 r2s y1");
    ck_assert_str_eq(pool_str(d, st[6].init_first, st[6].ninit), "x2");
    ck_assert_uint_eq(st[1].ninit, 0);
    ck_assert_uint_eq(st[9].ninit, 0);
    zf_definition_free(d);
}
END_TEST

START_TEST(test_definition_domains_and_entry_sets) {
    zf_definition *d = load_valid();
    const zf__transition *t;

    /* a -> p: the root is the domain; all regions of p enter by default. */
    t = trans_on(d, "a", "go");
    ck_assert_uint_eq(t->source, 1);
    ck_assert_uint_eq(t->target, 5);
    ck_assert_uint_eq(t->domain, 0);
    ck_assert_str_eq(pool_str(d, t->entry_first, t->nentry), "p r1s x2 r2s y1");
    ck_assert_uint_eq(t->roles, 1u); /* r0 */

    /* a -> b1: b is entered on the way, not its initial b2. */
    t = trans_on(d, "a", "next");
    ck_assert_uint_eq(t->domain, 0);
    ck_assert_str_eq(pool_str(d, t->entry_first, t->nentry), "b b1");

    /* b1 -> b (its parent, external): b is exited and entered again, by default. */
    t = trans_on(d, "b1", "go");
    ck_assert_uint_eq(t->domain, 0);
    ck_assert_str_eq(pool_str(d, t->entry_first, t->nentry), "b b2");

    /* internal b -> b1: the domain is b itself, b is not re-entered. */
    t = trans_on(d, "b", "next");
    ck_assert_uint_eq(t->internal, 1);
    ck_assert_uint_eq(t->domain, 2);
    ck_assert_str_eq(pool_str(d, t->entry_first, t->nentry), "b1");
    ck_assert_ptr_nonnull(t->cond.code);
    ck_assert_int_eq(t->cond.type, ZF_TYPE_BOOL);

    /* b2 -> b1 (external, sibling): the domain is the compound parent b. */
    t = trans_on(d, "b2", "next");
    ck_assert_uint_eq(t->domain, 2);
    ck_assert_str_eq(pool_str(d, t->entry_first, t->nentry), "b1");
    ck_assert_uint_eq(t->naction, 2);
    ck_assert_int_eq(d->actions[t->action_first].kind, ZF_ACT_ASSIGN);
    ck_assert_uint_eq(d->actions[t->action_first].target, zf__defn_var(d, "n"));
    ck_assert_int_eq(d->actions[t->action_first + 1].kind, ZF_ACT_RAISE);
    ck_assert_uint_eq(d->actions[t->action_first + 1].target, zf__defn_event(d, "back"));

    /* x2 -> x3 inside region r1s. */
    t = trans_on(d, "x2", "next");
    ck_assert_uint_eq(t->domain, 6);
    ck_assert_str_eq(pool_str(d, t->entry_first, t->nentry), "x3");

    /* y1 -> x1 across regions: parallel states are no domain, the root is;
     * the other region r2s is entered again by default. */
    t = trans_on(d, "y1", "go");
    ck_assert_uint_eq(t->domain, 0);
    ck_assert_str_eq(pool_str(d, t->entry_first, t->nentry), "p r1s x1 r2s y1");

    t = trans_on(d, "p", "done.state.p");
    ck_assert_uint_eq(t->domain, 0);
    ck_assert_str_eq(pool_str(d, t->entry_first, t->nentry), "z");
    zf_definition_free(d);
}
END_TEST

START_TEST(test_definition_events_interned) {
    zf_definition *d = load_valid();
    static const char *ids[] = {
        "go",           "next",         "back",           "expired.t0",
        "done.state.b", "done.state.p", "done.state.r1s", "done.state.r2s"};
    ck_assert_uint_eq(zf_definition_event_count(d), 8);
    for (size_t i = 0; i < 8; i++) {
        ck_assert_str_eq(zf_definition_event_id(d, i), ids[i]);
        ck_assert_uint_eq(zf__defn_event(d, ids[i]), i);
    }
    ck_assert_uint_eq(zf__defn_event(d, "nope"), ZF_NOIDX);
    ck_assert_uint_eq(zf__defn_event(d, NULL), ZF_NOIDX);
    /* Variables, terms and roles in declaration order; NULL and VOID past the end. */
    ck_assert_uint_eq(zf_definition_var_count(d), 1);
    ck_assert_str_eq(zf_definition_var_id(d, 0), "n");
    ck_assert_int_eq(zf_definition_var_type(d, 0), ZF_TYPE_INT);
    ck_assert_ptr_null(zf_definition_var_id(d, 1));
    ck_assert_int_eq(zf_definition_var_type(d, 1), ZF_TYPE_VOID);
    ck_assert_uint_eq(zf_definition_term_count(d), 1);
    ck_assert_str_eq(zf_definition_term_id(d, 0), "t0");
    ck_assert_ptr_null(zf_definition_term_id(d, 1));
    ck_assert_uint_eq(zf_definition_role_count(d), 3);
    ck_assert_str_eq(zf_definition_role_id(d, 2), "r2");
    ck_assert_ptr_null(zf_definition_role_id(d, 3));
    ck_assert_uint_eq(zf_definition_var_count(NULL), 0);
    ck_assert_ptr_null(zf_definition_role_id(NULL, 0));
    ck_assert_int_eq(d->events[0].kind, ZF_EVENT_EXTERNAL);
    ck_assert_uint_eq(d->events[0].roles, 6u); /* r1 r2 */
    ck_assert_uint_eq(d->events[0].nparams, 1);
    ck_assert_str_eq(d->events[0].params[0].id, "wanneer");
    ck_assert_int_eq(d->events[0].params[0].type, ZF_TYPE_DATE);
    ck_assert_int_eq(d->events[2].kind, ZF_EVENT_INTERNAL);
    ck_assert_int_eq(d->events[3].kind, ZF_EVENT_EXPIRY);
    ck_assert_uint_eq(d->events[3].source, 0);
    ck_assert_uint_eq(d->terms[0].expiry_event, 3);
    ck_assert_int_eq(d->events[5].kind, ZF_EVENT_DONE);
    ck_assert_uint_eq(d->events[5].source, 5);
    ck_assert_uint_eq(d->events[1].source, ZF_NOIDX);
    ck_assert_uint_eq(zf__defn_role(d, "r2"), 2);
    ck_assert_uint_eq(zf__defn_role(d, "r9"), ZF_NOIDX);
    ck_assert_uint_eq(zf__defn_term(d, "t0"), 0);
    ck_assert_uint_eq(d->terms[0].state, 0);
    ck_assert_uint_eq(d->terms[0].scope, 0);
    ck_assert_int_eq(d->terms[0].from.type, ZF_TYPE_DATE);
    ck_assert_int_eq(d->terms[0].length.type, ZF_TYPE_DURATION);
    ck_assert_str_eq(d->terms[0].basis, "Awb 6:7");
    ck_assert_ptr_nonnull(d->terms[0].calendar);
    ck_assert_int_eq(d->vars[0].type, ZF_TYPE_INT);
    ck_assert_int_eq(d->vars[0].has_default, 1);
    ck_assert_int_eq(d->vars[0].dflt.as.i, 0);
    ck_assert_uint_eq(zf_definition_transition_count(d), 11);
    zf_definition_free(d);
}
END_TEST

/* Events and parameters as a caller needs them: kind, roles, parameter types,
   required, enumeration values; failures leave `out` alone. */
START_TEST(test_definition_event_and_param_info) {
    static const char *xml =
        "<process " NS " id=\"e\" version=\"1\" initial=\"a\">\n"
        "  <data><enum id=\"uitkomst\"><value id=\"gegrond\"/>"
        "<value id=\"ongegrond\"/></enum></data>\n"
        "  <roles><role id=\"r0\"/><role id=\"r1\"/></roles>\n"
        "  <events>\n"
        "    <event id=\"besluit\" roles=\"r1\" title=\"Besluit\">"
        "<param id=\"uitkomst\" type=\"uitkomst\" required=\"true\"/>"
        "<param id=\"verzonden\" type=\"date\"/></event>\n"
        "    <event id=\"intern\" internal=\"true\"/>\n"
        "  </events>\n"
        "  <term id=\"t\" from=\"today\" length=\"6w\"/>\n"
        "  <state id=\"a\" initial=\"a1\"><transition event=\"done.state.a\" "
        "target=\"z\"/><transition event=\"expired.t\" target=\"z\"/>\n"
        "    <state id=\"a1\"><transition event=\"besluit\" target=\"a2\"/>"
        "<transition event=\"intern\" target=\"a2\"/></state><final id=\"a2\"/></state>\n"
        "  <final id=\"z\"/>\n"
        "</process>\n";
    zf_definition *d = NULL;
    zf_error err;
    zf_event_info ei;
    zf_param_info pi;
    int ev, k;
    ck_assert_int_eq(zf_definition_parse(&d, xml, strlen(xml), "e.xml", NULL, &err),
                     ZF_OK);
    ev = zf_definition_event_index(d, "besluit");
    ck_assert_int_ge(ev, 0);
    ck_assert_int_eq(zf_definition_event_info(&ei, d, (size_t)ev, &err), ZF_OK);
    ck_assert_str_eq(ei.id, "besluit");
    ck_assert_str_eq(ei.title, "Besluit");
    ck_assert_int_eq(ei.kind, ZF_EVENT_EXTERNAL);
    ck_assert_uint_eq(ei.nroles, 1);
    ck_assert_str_eq(zf_definition_event_role(d, (size_t)ev, 0), "r1");
    ck_assert_ptr_null(zf_definition_event_role(d, (size_t)ev, 1));
    ck_assert_ptr_null(zf_definition_event_role(d, 99, 0));
    ck_assert_ptr_null(zf_definition_event_role(NULL, 0, 0));
    ck_assert_uint_eq(ei.nparams, 2);
    ck_assert_int_eq(ei.line, 5);
    ck_assert_int_eq(zf_definition_param_info(&pi, d, (size_t)ev, 0, &err), ZF_OK);
    ck_assert_str_eq(pi.id, "uitkomst");
    ck_assert_int_eq(pi.type, ZF_TYPE_ENUM);
    ck_assert_int_eq(pi.required, 1);
    ck_assert_str_eq(pi.enumeration, "uitkomst");
    ck_assert_uint_eq(pi.nvalues, 2);
    ck_assert_str_eq(zf_definition_param_enum_value(d, (size_t)ev, 0, 0), "gegrond");
    ck_assert_str_eq(zf_definition_param_enum_value(d, (size_t)ev, 0, 1), "ongegrond");
    ck_assert_ptr_null(zf_definition_param_enum_value(d, (size_t)ev, 0, 2));
    ck_assert_ptr_null(zf_definition_param_enum_value(d, (size_t)ev, 1, 0));
    ck_assert_ptr_null(zf_definition_param_enum_value(d, (size_t)ev, 9, 0));
    ck_assert_ptr_null(zf_definition_param_enum_value(NULL, 0, 0, 0));
    ck_assert_int_eq(zf_definition_param_info(&pi, d, (size_t)ev, 1, &err), ZF_OK);
    ck_assert_str_eq(pi.id, "verzonden");
    ck_assert_int_eq(pi.type, ZF_TYPE_DATE);
    ck_assert_int_eq(pi.required, 0);
    ck_assert_ptr_null(pi.enumeration);
    ck_assert_uint_eq(pi.nvalues, 0);
    /* Internal and implicit events are told apart. */
    k = zf_definition_event_index(d, "intern");
    ck_assert_int_eq(zf_definition_event_info(&ei, d, (size_t)k, &err), ZF_OK);
    ck_assert_int_eq(ei.kind, ZF_EVENT_INTERNAL);
    ck_assert_ptr_null(ei.title);
    k = zf_definition_event_index(d, "expired.t");
    ck_assert_int_eq(zf_definition_event_info(&ei, d, (size_t)k, &err), ZF_OK);
    ck_assert_int_eq(ei.kind, ZF_EVENT_EXPIRY);
    ck_assert_int_eq(ei.line, 8); /* the term's */
    ck_assert_uint_eq(ei.nparams, 0);
    k = zf_definition_event_index(d, "done.state.a");
    ck_assert_int_eq(zf_definition_event_info(&ei, d, (size_t)k, &err), ZF_OK);
    ck_assert_int_eq(ei.kind, ZF_EVENT_DONE);
    /* Failures: the code, a message of this call, `out` untouched. */
    memset(&pi, 0x5a, sizeof pi);
    zf_param_info before = pi;
    ck_assert_int_eq(zf_definition_param_info(&pi, d, (size_t)ev, 2, &err), ZF_ENOTFOUND);
    ck_assert_str_eq(err.message, "process 'e' has no event number 0 parameter 2");
    ck_assert_mem_eq(&pi, &before, sizeof pi);
    ck_assert_int_eq(zf_definition_event_info(&ei, d, 99, &err), ZF_ENOTFOUND);
    ck_assert_str_eq(err.message, "process 'e' has no event number 99");
    ck_assert_int_eq(zf_definition_event_info(&ei, NULL, 0, &err), ZF_EINVAL);
    ck_assert_str_eq(err.message, "invalid definition");
    ck_assert_int_eq(zf_definition_event_info(NULL, d, 0, &err), ZF_EINVAL);
    ck_assert_str_eq(err.message, "out is NULL");
    ck_assert_int_eq(zf_definition_param_info(&pi, NULL, 0, 0, NULL), ZF_EINVAL);
    ck_assert_int_eq(zf_definition_event_info(&ei, d, (size_t)ev, &err), ZF_OK);
    ck_assert_int_eq(err.code, ZF_OK); /* a success clears the previous call's error */
    ck_assert_str_eq(err.message, "");
    zf_definition_free(d);
}
END_TEST

START_TEST(test_definition_hash_of_canonical_form) {
    zf_definition *d = load_valid();
    zf_buf b = ZF_BUF_INIT;
    zf_error err;
    char hex[65];
    ck_assert_int_eq(zf_definition_canonical(&b, d, &err), ZF_OK);
    ck_assert_int_eq(err.code, ZF_OK);
    zf__sha256_hex(b.ptr, b.size, hex);
    ck_assert_str_eq(zf_definition_hash(d), hex);
    ck_assert_uint_eq(strlen(zf_definition_hash(d)), 64);
    ck_assert(!strncmp(b.ptr,
                       "zaakflow-canonical 1\nprocess id=\"t\" version=\"1\" "
                       "initial=\"a\" calendar=\"atw\"\n",
                       strlen("zaakflow-canonical 1\nprocess id=\"t\" version=\"1\" "
                              "initial=\"a\" calendar=\"atw\"\n")));
    /* Titles are not in it; expressions are in their canonical spelling. */
    ck_assert_ptr_null(strstr(b.ptr, "Test"));
    ck_assert_ptr_nonnull(strstr(b.ptr, "cond=\"n > 0\""));
    ck_assert_ptr_nonnull(strstr(b.ptr, "term id=\"t0\" scope=\"t\" start=\"entry\" "
                                        "from=\"today\" length=\"6w\" atw=\"auto\""));
    /* The file's own bytes have another hash. */
    zf__sha256_hex(valid_xml, strlen(valid_xml), hex);
    ck_assert_str_ne(zf_definition_hash(d), hex);
    /* Misuse. */
    ck_assert_int_eq(zf_definition_canonical(NULL, d, &err), ZF_EINVAL);
    ck_assert_int_eq(zf_definition_canonical(&b, NULL, &err), ZF_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.message, "def"));
    zf_buf_dispose(&b);
    zf_definition_free(d);
}
END_TEST

/* `xml` with the first occurrence of `from` replaced by `to` (malloc'd). */
static char *edit(const char *xml, const char *from, const char *to) {
    const char *at = strstr(xml, from);
    char *out;
    ck_assert_msg(at != NULL, "'%s' not in the text", from);
    out = malloc(strlen(xml) - strlen(from) + strlen(to) + 1);
    memcpy(out, xml, (size_t)(at - xml));
    strcpy(out + (at - xml), to);
    strcat(out, at + strlen(from));
    return out;
}

/* The hash of `xml`, which must load. */
static void hash_of(const char *xml, char out[65]) {
    zf_definition *d = NULL;
    zf_error err;
    zf_error_clear(&err);
    ck_assert_msg(zf_definition_parse(&d, xml, strlen(xml), "e.xml", NULL, &err) == ZF_OK,
                  "%s", err.message);
    strcpy(out, zf_definition_hash(d));
    zf_definition_free(d);
}

/* One edit of valid_xml (or of RATES_XML) per kind, and whether it keeps the hash. */
static const char *const RATES_XML =
    "<process " NS " id=\"r\" version=\"1\" initial=\"a\">"
    "<data><var id=\"x\" type=\"money\" default=\"0\"/></data>"
    "<rates id=\"ds\"><basis>Awb 4:17 lid 2</basis>"
    "<version from=\"2009-10-01\"><tier days=\"14\" amount=\"20.00\"/></version>"
    "</rates>"
    "<state id=\"a\"><transition cond=\"true\" target=\"b\">"
    "<assign var=\"x\" expr=\"accrued(ds, today, today, today)\"/></transition></state>"
    "<final id=\"b\"/></process>";

static const struct hash_edit {
    const char *kind;
    int rates; /* edit RATES_XML instead of valid_xml */
    const char *from, *to;
    int keeps;
} hash_edits[] = {
    /* Kept: nothing the engine runs on changes. */
    {"comment", 0, "  <basis>Awb</basis>\n",
     "  <!-- a comment -->\n  <basis>Awb</basis>\n", 1},
    {"white space between elements", 0, "\n  <state id=\"a\">\n",
     "\n\n\t<state id=\"a\">\n\n", 1},
    {"white space inside an element", 0, "<state id=\"a\">", "<state\n     id = \"a\" >",
     1},
    {"white space in a basis", 0, "<basis>Awb 6:7</basis>",
     "<basis>\n  Awb   6:7\n</basis>", 1},
    {"white space in an expression", 0, "cond=\"n &gt; 0\"", "cond=\"  n&gt;0 \"", 1},
    {"attribute order", 0, "<event id=\"go\" roles=\"r1 r2\">",
     "<event roles=\"r1 r2\" id=\"go\">", 1},
    {"quotes", 0, "<var id=\"n\" type=\"int\" default=\"0\"/>",
     "<var id='n' type='int' default='0'/>", 1},
    {"a character reference", 0, "cond=\"n &gt; 0\"", "cond=\"n &#62; 0\"", 1},
    {"documentation added", 0, "  <basis>Awb</basis>\n",
     "  <basis>Awb</basis>\n  <documentation>Waarom</documentation>\n", 1},
    {"title changed", 0, "title=\"Test\"", "title=\"Een andere titel\"", 1},
    {"title added", 0, "<state id=\"a\">", "<state id=\"a\" title=\"A\">", 1},
    {"defaults written out", 0, "length=\"6w\">",
     "length=\"6w\" atw=\"auto\" start=\"entry\" suspend-rule=\"exclusive\" "
     "extend-rule=\"from-end\">",
     1},
    {"a transition title added", 0, "target=\"b1\" type=\"internal\"",
     "target=\"b1\" type=\"internal\" title=\"t\"", 1},
    {"default transition type written out", 0, "target=\"p\" roles=\"r0\"",
     "target=\"p\" type=\"external\" roles=\"r0\"", 1},
    {"required=false written out", 0, "<param id=\"wanneer\" type=\"date\"/>",
     "<param id=\"wanneer\" type=\"date\" required=\"false\"/>", 1},
    {"process calendar written out", 0, "initial=\"a\">",
     "initial=\"a\" calendar=\"atw\">", 1},
    {"validity added", 0, "initial=\"a\">",
     "initial=\"a\" valid-from=\"2026-01-01\" valid-until=\"2026-12-31\">", 1},
    {"expression spelling", 0, "expr=\"n + 1\"", "expr=\"n+1\"", 1},
    {"money spelling", 1, "amount=\"20.00\"", "amount=\"20\"", 1},
    {"default spelling", 1, "default=\"0\"", "default=\"0.00\"", 1},
    /* Changed: the meaning. */
    {"a cond", 0, "cond=\"n &gt; 0\"", "cond=\"n &gt;= 0\"", 0},
    {"a target", 0, "<transition event=\"next\" target=\"b1\"/>",
     "<transition event=\"next\" target=\"b2\"/>", 0},
    {"a term length", 0, "length=\"6w\"", "length=\"7w\"", 0},
    {"a term's Atw mode", 0, "length=\"6w\"", "length=\"6w\" atw=\"off\"", 0},
    {"a basis", 0, "<basis>Awb 6:7</basis>", "<basis>Awb 6:8</basis>", 0},
    {"a basis added", 0, "<state id=\"a\">", "<state id=\"a\"><basis>Awb 7:1</basis>", 0},
    {"a rate", 1, "amount=\"20.00\"", "amount=\"23.00\"", 0},
    {"a rate's date", 1, "from=\"2009-10-01\"", "from=\"2009-10-02\"", 0},
    {"a role of a transition", 0, "roles=\"r0\"", "roles=\"r1\"", 0},
    {"a role declared", 0, "<role id=\"r2\"/>", "<role id=\"r2\"/><role id=\"r3\"/>", 0},
    {"a variable default", 0, "default=\"0\"", "default=\"1\"", 0},
    {"a variable required", 0, "<param id=\"wanneer\" type=\"date\"/>",
     "<param id=\"wanneer\" type=\"date\" required=\"true\"/>", 0},
    {"an action removed", 0, "<raise event=\"back\"/>", "", 0},
    {"an expression", 0, "expr=\"n + 1\"", "expr=\"n + 2\"", 0},
    {"an outcome", 0, "outcome=\"klaar\"", "outcome=\"gereed\"", 0},
    {"the version", 0, "version=\"1\"", "version=\"2\"", 0},
    {"an event made internal", 0, "<event id=\"next\"/>",
     "<event id=\"next\" internal=\"true\"/>", 0},
    {"the order of two roles", 0, "<role id=\"r0\"/><role id=\"r1\"/>",
     "<role id=\"r1\"/><role id=\"r0\"/>", 0},
};

START_TEST(test_definition_hash_edits) {
    const struct hash_edit *e = &hash_edits[_i];
    const char *base = e->rates ? RATES_XML : valid_xml;
    char *edited = edit(base, e->from, e->to);
    char before[65], after[65];
    hash_of(base, before);
    hash_of(edited, after);
    if (e->keeps)
        ck_assert_msg(!strcmp(before, after), "%s changed the hash", e->kind);
    else
        ck_assert_msg(strcmp(before, after) != 0, "%s kept the hash", e->kind);
    free(edited);
}
END_TEST

START_TEST(test_definition_sha256_vectors) {
    char hex[65];
    static char million[1000000];
    zf__sha256_hex("abc", 3, hex);
    ck_assert_str_eq(hex,
                     "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    zf__sha256_hex("", 0, hex);
    ck_assert_str_eq(hex,
                     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    zf__sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, hex);
    ck_assert_str_eq(hex,
                     "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    memset(million, 'a', sizeof million);
    zf__sha256_hex(million, sizeof million, hex);
    ck_assert_str_eq(hex,
                     "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}
END_TEST

START_TEST(test_definition_dot) {
    zf_definition *d = load_valid();
    zf_buf b = ZF_BUF_INIT;
    ck_assert_int_eq(zf_definition_dot(&b, d, NULL), ZF_OK);
    ck_assert_ptr_nonnull(strstr(b.ptr, "digraph \"t\" {"));
    ck_assert_ptr_nonnull(strstr(b.ptr, "subgraph \"cluster_p\""));
    ck_assert_ptr_nonnull(strstr(b.ptr, "\"z\" [shape=doublecircle"));
    ck_assert_ptr_nonnull(strstr(b.ptr, "label=\"next [n > 0]\""));
    ck_assert_ptr_nonnull(strstr(b.ptr, "label=\"go / r0, r1, r2\""));
    ck_assert_ptr_nonnull(strstr(b.ptr, "term t0: 6w, bestuursorgaan acts"));
    zf_buf_dispose(&b);
    ck_assert_int_eq(zf_definition_dot(&b, NULL, NULL), ZF_EINVAL);
    zf_definition_free(d);
}
END_TEST

/* Who must act on a term: the party of the shipped bezwaar, the schema's closed set,
 * white space around a value, and the accessors' answers for bad arguments. */
START_TEST(test_definition_term_party) {
    zf_definition *d = NULL, *d2 = NULL;
    zf_error err;
    zf_buf b = ZF_BUF_INIT;
    size_t n;
    ck_assert_int_eq(
        zf_definition_load(&d, th_srcpath("processes/bezwaar.xml"), NULL, &err), ZF_OK);
    n = zf_definition_term_count(d);
    ck_assert_uint_eq(n, 4);
    for (size_t i = 0; i < n; i++) {
        const char *id = zf_definition_term_id(d, i), *p = zf_definition_term_party(d, i);
        ck_assert_ptr_nonnull(p);
        /* Awb 6:7 and 6:9: the objector files; 7:10: the body decides; 6:6: the objector
           repairs the omission. */
        if (!strcmp(id, "beslistermijn"))
            ck_assert_str_eq(p, "bestuursorgaan");
        else
            ck_assert_str_eq(p, "belanghebbende");
    }
    ck_assert_ptr_null(zf_definition_term_party(d, n));
    ck_assert_ptr_null(zf_definition_term_party(NULL, 0));
    ck_assert_int_eq(zf_definition_explain(&b, d, NULL), ZF_OK);
    ck_assert_ptr_nonnull(strstr(b.ptr, "| who must act |"));
    ck_assert_ptr_nonnull(strstr(b.ptr, "| Bezwaartermijn | belanghebbende |"));
    zf_buf_dispose(&b);

    /* xs:token: white space around the value is no part of it; equal parties are one
       pointer, across definitions too. A term without a party: NULL. */
    const char *xml = "<process " NS " id=\"p\">\n"
                      "  <term id=\"t\" length=\"6w\" party=\" bestuursorgaan\n\">"
                      "<basis>Awb 7:10</basis></term>\n"
                      "  <term id=\"u\" length=\"6w\"><basis>Awb 7:10</basis></term>\n"
                      "  <state id=\"a\"><transition event=\"expired.t\" target=\"z\"/>"
                      "<transition event=\"expired.u\" target=\"z\"/></state>\n"
                      "  <final id=\"z\"/>\n"
                      "</process>\n";
    ck_assert_int_eq(zf_definition_parse(&d2, xml, strlen(xml), "p.xml", NULL, &err),
                     ZF_OK);
    ck_assert_str_eq(zf_definition_term_party(d2, 0), "bestuursorgaan");
    ck_assert_ptr_eq(zf_definition_term_party(d2, 0),
                     zf_definition_term_party(d, zf_definition_term_count(d) - 2));
    ck_assert_ptr_null(zf_definition_term_party(d2, 1));
    zf_definition_free(d2);
    zf_definition_free(d);

    /* Only the schema's values: anything else is a schema error at the term. */
    const char *bad = "<process " NS " id=\"p\">\n"
                      "  <term id=\"t\" length=\"6w\" party=\"college\"/>\n"
                      "  <state id=\"a\"/>\n"
                      "</process>\n";
    d2 = (zf_definition *)1;
    ck_assert_int_eq(zf_definition_parse(&d2, bad, strlen(bad), "b.xml", NULL, &err),
                     ZF_ESCHEMA);
    ck_assert_ptr_null(d2);
    ck_assert_int_eq(err.line, 2);
    ck_assert_ptr_nonnull(strstr(err.message, "'college'"));
}
END_TEST

static char *write_temp(const char *content);

/* The text writers take the output buffer first and the definition second. */
static zf_code dot_text(zf_buf *out, const void *d, zf_error *err) {
    return zf_definition_dot(out, d, err);
}
static zf_code explain_text(zf_buf *out, const void *d, zf_error *err) {
    return zf_definition_explain(out, d, err);
}

START_TEST(test_definition_text_bad_arguments) {
    zf_definition *d = load_valid();
    zf_buf b = ZF_BUF_INIT;
    zf_error err;
    th_text_fn fns[] = {dot_text, explain_text};
    for (size_t k = 0; k < 2; k++) {
        zf__error_set(&err, ZF_EPARSE, "stale");
        ck_assert_int_eq(fns[k](NULL, d, &err), ZF_EINVAL);
        ck_assert_str_eq(err.message, "out is NULL");
        ck_assert_int_eq(fns[k](&b, NULL, &err), ZF_EINVAL);
        ck_assert_str_eq(err.message, "invalid definition");
        ck_assert_ptr_null(b.ptr);
        ck_assert_int_eq(fns[k](&b, d, &err), ZF_OK);
        ck_assert_int_eq(err.code, ZF_OK); /* the error describes this call */
        zf_buf_dispose(&b);
    }
    zf_definition_free(d);
}
END_TEST

/* A definition's documentation is kept when it is loaded: explaining reads no file,
 * so it shows the same text after the file is gone, and for a definition parsed from
 * memory. */
START_TEST(test_definition_explain_needs_no_file) {
    zf_definition *d1 = NULL, *d2 = NULL, *d3 = NULL;
    zf_buf b1 = ZF_BUF_INIT, b2 = ZF_BUF_INIT, b3 = ZF_BUF_INIT, xml = ZF_BUF_INIT;
    char line[4096];
    FILE *f = fopen(th_srcpath("tests/defs/valid/legal.xml"), "rb");
    ck_assert_ptr_nonnull(f);
    while (fgets(line, sizeof line, f))
        zf_buf_puts(&xml, line);
    fclose(f);
    char *path = write_temp(xml.ptr);

    ck_assert_int_eq(
        zf_definition_load(&d1, th_srcpath("tests/defs/valid/legal.xml"), NULL, NULL),
        ZF_OK);
    ck_assert_int_eq(zf_definition_load(&d2, path, NULL, NULL), ZF_OK);
    ck_assert_int_eq(unlink(path), 0);
    ck_assert_int_eq(
        zf_definition_parse(&d3, xml.ptr, xml.size, "elders.xml", NULL, NULL), ZF_OK);
    ck_assert_int_eq(zf_definition_explain(&b1, d1, NULL), ZF_OK);
    ck_assert_int_eq(zf_definition_explain(&b2, d2, NULL), ZF_OK);
    ck_assert_int_eq(zf_definition_explain(&b3, d3, NULL), ZF_OK);
    ck_assert_ptr_nonnull(strstr(b1.ptr,
                                 "### Purpose\n\nEen definitie die elke constructie "
                                 "gebruikt: beëindiging, opschorting, verdaging.\n"));
    ck_assert_ptr_nonnull(
        strstr(b1.ptr, "\nNotes on the states:\n\n- `ontvangen`: Wacht op de toets.\n"));
    ck_assert_str_eq(b1.ptr, b2.ptr);
    ck_assert_str_eq(b1.ptr, b3.ptr);
    zf_buf_dispose(&b1);
    zf_buf_dispose(&b2);
    zf_buf_dispose(&b3);
    zf_buf_dispose(&xml);
    zf_definition_free(d1);
    zf_definition_free(d2);
    zf_definition_free(d3);
    free(path);
}
END_TEST

/* Documentation is laid out: common indentation and blank lines at the ends go;
 * CDATA, character references and an empty element count as text. */
START_TEST(test_definition_explain_documentation_layout) {
    static const char xml[] =
        "<process " NS " id=\"doc\" initial=\"a\">\n"
        "  <documentation>\n\n      Eerste regel,\n        ingesprongen &amp; "
        "<![CDATA[<cdata>]]>.\n\n      Laatste.   \n   </documentation>\n"
        "  <events><event id=\"x\"/></events>\n"
        "  <state id=\"a\"><documentation>  twee\n  regels | één </documentation>"
        "<transition event=\"x\" target=\"b\"/></state>\n"
        "  <state id=\"b\"><documentation/><transition event=\"x\" target=\"c\"/>"
        "</state>\n"
        "  <final id=\"c\"/>\n"
        "</process>\n";
    zf_definition *d = NULL;
    zf_buf b = ZF_BUF_INIT;
    ck_assert_int_eq(zf_definition_parse(&d, xml, strlen(xml), "doc.xml", NULL, NULL),
                     ZF_OK);
    ck_assert_int_eq(zf_definition_explain(&b, d, NULL), ZF_OK);
    ck_assert_ptr_nonnull(strstr(b.ptr, "### Purpose\n\nEerste regel,\n  ingesprongen & "
                                        "<cdata>.\n\nLaatste.\n\n### Legal basis"));
    ck_assert_ptr_nonnull(strstr(b.ptr,
                                 "\nNotes on the states:\n\n- `a`: twee regels \\| "
                                 "één\n- `b`: —\n\n### Events"));
    zf_buf_dispose(&b);
    zf_definition_free(d);
}
END_TEST

/* Allocation failures while writing: ZF_ENOMEM, the buffer as it was, no leak. */
START_TEST(test_definition_text_alloc_failures) {
    zf_definition *d = NULL;
    ck_assert_int_eq(
        zf_definition_load(&d, th_srcpath("tests/defs/valid/legal.xml"), NULL, NULL),
        ZF_OK);
    ck_assert_uint_gt(th_text_failure_loop(dot_text, d), 1000);
    ck_assert_uint_gt(th_text_failure_loop(explain_text, d), 4000);
    zf_definition_free(d);
}
END_TEST

/* ---- hostile and broken input ---------------------------------------------------------
 */

/* Parse `xml`, expect `code`, a diagnostic naming the file, no definition. */
static void expect_failure(const char *xml, size_t len, zf_code code,
                           const char *needle) {
    zf_definition *d = (zf_definition *)1;
    zf_diagnostics diags = ZF_DIAGNOSTICS_INIT;
    zf_error err;
    zf_error_clear(&err);
    zf_code rc = zf_definition_parse(&d, xml, len, "hostile.xml", &diags, &err);
    ck_assert_int_eq(rc, code);
    ck_assert_ptr_null(d);
    ck_assert_int_eq(err.code, code);
    ck_assert_str_eq(err.file, "hostile.xml");
    ck_assert_uint_ge(diags.count, 1);
    ck_assert_uint_ge(diags.errors, 1);
    ck_assert_str_eq(diags.items[0].file, "hostile.xml");
    if (needle)
        ck_assert_msg(strstr(diags.items[0].message, needle) != NULL, "'%s' not in '%s'",
                      needle, diags.items[0].message);
    zf_diagnostics_dispose(&diags);
}

static void expect_failure_s(const char *xml, zf_code code, const char *needle) {
    expect_failure(xml, strlen(xml), code, needle);
}

START_TEST(test_definition_malformed_xml) {
    expect_failure_s("<process " NS " id=\"p\"><state id=\"x\"></process>", ZF_EPARSE,
                     NULL);
    expect_failure_s("<process", ZF_EPARSE, NULL);
    expect_failure_s("<process " NS " id=\"p\"><state id=\"x\"/></process>&undefined;",
                     ZF_EPARSE, NULL);
}
END_TEST

START_TEST(test_definition_refuses_doctype) {
    expect_failure_s("<?xml version=\"1.0\"?>\n"
                     "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>\n"
                     "<process " NS " id=\"p\">&e;<state id=\"x\"/></process>",
                     ZF_EPARSE, "document type declarations are not allowed");
    expect_failure_s("<!DOCTYPE process SYSTEM \"http://127.0.0.1:1/x.dtd\">\n"
                     "<process " NS " id=\"p\"><state id=\"x\"/></process>",
                     ZF_EPARSE, "document type declarations are not allowed");
    expect_failure_s(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n"
        " <!ENTITY lol \"lol\">\n"
        " <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
        " <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
        " <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
        " <!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"
        " <!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">\n"
        " <!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">\n"
        " <!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">\n"
        " <!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">\n"
        " <!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">\n"
        "]>\n<process " NS " id=\"p\" title=\"&lol9;\"><state id=\"x\"/></process>",
        ZF_EPARSE, "document type declarations are not allowed");
}
END_TEST

START_TEST(test_definition_deep_nesting) {
    const char *open = "<state id=\"x\">", *close = "</state>";
    size_t n = 200000, ol = strlen(open), cl = strlen(close), k = 0;
    const char *head = "<process " NS " id=\"p\">", *tail = "</process>";
    char *xml = malloc(strlen(head) + n * (ol + cl) + strlen(tail) + 1);
    ck_assert_ptr_nonnull(xml);
    k += (size_t)sprintf(xml + k, "%s", head);
    for (size_t i = 0; i < n; i++, k += ol)
        memcpy(xml + k, open, ol);
    for (size_t i = 0; i < n; i++, k += cl)
        memcpy(xml + k, close, cl);
    k += (size_t)sprintf(xml + k, "%s", tail);
    expect_failure(xml, k, ZF_EPARSE, "nested deeper than 256");
    free(xml);
}
END_TEST

static char *big_attribute(size_t n, size_t *len) {
    const char *head = "<process " NS " id=\"p\" title=\"",
               *tail = "\"><state id=\"x\"/></process>";
    char *xml = malloc(strlen(head) + n + strlen(tail) + 1);
    size_t k = 0;
    ck_assert_ptr_nonnull(xml);
    k += (size_t)sprintf(xml, "%s", head);
    memset(xml + k, 'a', n);
    k += n;
    k += (size_t)sprintf(xml + k, "%s", tail);
    *len = k;
    return xml;
}

START_TEST(test_definition_huge_attributes) {
    size_t len;
    char *xml = big_attribute(30u * 1000u * 1000u, &len); /* 30 MB */
    expect_failure(xml, len, ZF_EPARSE, "larger than 16 MiB");
    free(xml);
    xml = big_attribute(15u * 1000u * 1000u, &len); /* past libxml2's own 10 MB limit */
    expect_failure(xml, len, ZF_EPARSE, NULL);
    free(xml);
    xml = big_attribute(100u * 1024u, &len);
    expect_failure(xml, len, ZF_EPARSE, "longer than 64 KiB");
    free(xml);
}
END_TEST

START_TEST(test_definition_too_many_elements) {
    const char *head = "<process " NS " id=\"p\">", *tail = "<state id=\"x\"/></process>";
    size_t n = 100001, k = 0;
    char *xml = malloc(strlen(head) + n * 8 + strlen(tail) + 1);
    ck_assert_ptr_nonnull(xml);
    k += (size_t)sprintf(xml, "%s", head);
    for (size_t i = 0; i < n; i++, k += 8)
        memcpy(xml + k, "<basis/>", 8);
    k += (size_t)sprintf(xml + k, "%s", tail);
    expect_failure(xml, k, ZF_EPARSE, "more than 100000 elements");
    free(xml);
}
END_TEST

START_TEST(test_definition_bad_bytes) {
    static const unsigned char garbage[] = {0x00, 0xff, 0xfe, 0x13, 0x37, 0x80,
                                            0x81, 0x0a, 0x3c, 0x00, 0x9f, 0xc3,
                                            0x28, 0xde, 0xad, 0xbe};
    const char *badutf = "<process " NS " id=\"a\xc3\x28\"><state id=\"x\"/></process>";
    expect_failure_s(badutf, ZF_EPARSE, "UTF-8");
    expect_failure((const char *)garbage, sizeof garbage, ZF_EPARSE, NULL);
    expect_failure("", 0, ZF_EPARSE, "empty");
    expect_failure_s("   \n  ", ZF_EPARSE, NULL);
}
END_TEST

START_TEST(test_definition_missing_file) {
    zf_definition *d = NULL;
    zf_diagnostics diags = ZF_DIAGNOSTICS_INIT;
    zf_error err;
    zf_error_clear(&err);
    ck_assert_int_eq(zf_definition_load(&d, "/nonexistent/x.xml", &diags, &err), ZF_EIO);
    ck_assert_ptr_null(d);
    ck_assert_int_eq(err.code, ZF_EIO);
    ck_assert_str_eq(err.file, "/nonexistent/x.xml");
    ck_assert_uint_eq(diags.count, 1);
    ck_assert_int_eq(diags.items[0].code, ZF_EIO);
    zf_diagnostics_dispose(&diags);
    /* A directory cannot be read either; no diagnostics list is fine. */
    zf_error_clear(&err);
    ck_assert_int_eq(zf_definition_load(&d, "/", NULL, &err), ZF_EIO);
    ck_assert_int_eq(zf_definition_load(NULL, "/", NULL, NULL), ZF_EINVAL);
}
END_TEST

START_TEST(test_definition_schema_error) {
    zf_definition *d = NULL;
    zf_diagnostics diags = ZF_DIAGNOSTICS_INIT;
    zf_error err;
    const char *xml =
        "<process " NS " id=\"p\">\n  <state id=\"x\" colour=\"red\"/>\n</process>";
    zf_error_clear(&err);
    ck_assert_int_eq(zf_definition_parse(&d, xml, strlen(xml), "s.xml", &diags, &err),
                     ZF_ESCHEMA);
    /* At the attribute's value. */
    ck_assert_int_eq(err.line, 2);
    ck_assert_int_eq(err.column, 25);
    ck_assert_ptr_nonnull(strstr(err.message, "colour"));
    zf_diagnostics_dispose(&diags);
    /* Another namespace is not a process definition. */
    xml = "<process id=\"p\"><state id=\"x\"/></process>";
    zf_error_clear(&err);
    ck_assert_int_eq(zf_definition_parse(&d, xml, strlen(xml), "s.xml", NULL, &err),
                     ZF_ESCHEMA);
    /* An element in no namespace where one of ours is expected: said so, and the
     * expected names are said to be in the process namespace; a long name is cut
     * (the namespace first), the list ends with "and N more", and nothing is cut in
     * the middle of a word. */
    xml = "<process " NS " id=\"p\"><state id=\"x\"><basis xmlns=\"\">b</basis>"
          "</state></process>";
    zf_error_clear(&err);
    ck_assert_int_eq(zf_definition_parse(&d, xml, strlen(xml), "s.xml", NULL, &err),
                     ZF_ESCHEMA);
    ck_assert_str_eq(err.message,
                     "element 'basis' (in no namespace): This element is not expected. "
                     "Expected is one of ( basis, documentation, term, onentry, onexit, "
                     "transition, state, parallel, final ) in namespace "
                     "urn:zaakflow:process:1");
    {
        char big[1024];
        snprintf(
            big, sizeof big,
            "<process " NS " id=\"p\"><state id=\"x\"><y:%s xmlns:y=\"urn:%s\"/>"
            "</state></process>",
            "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
            "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn"
            "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn");
        zf_error_clear(&err);
        ck_assert_int_eq(zf_definition_parse(&d, big, strlen(big), "s.xml", NULL, &err),
                         ZF_ESCHEMA);
        ck_assert_str_eq(
            err.message,
            "element '{urn:nnnnnnnnnnnnnnnnnn...}bbbbbbbbbbbbbbbbbbbbbbbbbbbb"
            "bbbbbbbbbbbbbbbbbbb...': This element is not expected. Expected "
            "is one of ( basis, documentation, term, onentry, and 5 more ) in "
            "namespace urn:zaakflow:process:1");
    }
}
END_TEST

/* Columns count characters: the ë of "beëindiging" is two bytes and one column. */
START_TEST(test_definition_column_in_characters) {
    zf_definition *d = NULL;
    zf_diagnostics diags = ZF_DIAGNOSTICS_INIT;
    zf_error err;
    const char *xml = "<process " NS " id=\"p\" initial=\"a\">\n"
                      "  <data><var id=\"n\" type=\"int\"/></data>\n"
                      "  <events><event id=\"go\"/></events>\n"
                      "  <state id=\"a\" title=\"beëindiging\"><transition event=\"go\" "
                      "target=\"nergens\"/></state>\n"
                      "  <state id=\"b\" title=\"beëindiging\"><transition event=\"go\" "
                      "cond=\"n &gt; onbekend\" target=\"a\"/></state>\n"
                      "</process>\n";
    zf_error_clear(&err);
    ck_assert_int_eq(zf_definition_parse(&d, xml, strlen(xml), "c.xml", &diags, &err),
                     ZF_ESEMANTIC);
    ck_assert_int_eq(err.line, 4);
    ck_assert_int_eq(err.column, 68);
    ck_assert_str_eq(
        err.message,
        "in transition on 'go' (line 4): target state 'nergens' is not defined");
    ck_assert_uint_ge(diags.count, 2);
    ck_assert_int_eq(diags.items[2].line, 5);
    ck_assert_int_eq(diags.items[2].column,
                     73); /* "&gt;" is one character of the value */
    ck_assert_str_eq(diags.items[2].message, "unknown variable 'onbekend' in cond");
    zf_diagnostics_dispose(&diags);
}
END_TEST

START_TEST(test_definition_collects_all_findings) {
    zf_definition *d = NULL;
    zf_diagnostics diags = ZF_DIAGNOSTICS_INIT;
    zf_buf b = ZF_BUF_INIT;
    const char *xml = "<process " NS " id=\"p\">\n"
                      "  <term id=\"t\" length=\"6w\"/>\n"
                      "  <state id=\"a\"><transition event=\"x\" target=\"a\"/></state>\n"
                      "  <state id=\"a\"/>\n"
                      "  <state id=\"b\"/>\n"
                      "</process>\n";
    ck_assert_int_eq(zf_definition_parse(&d, xml, strlen(xml), "m.xml", &diags, NULL),
                     ZF_ESEMANTIC);
    ck_assert_int_eq(zf_diagnostics_format(&b, &diags, NULL), ZF_OK);
    ck_assert_str_eq(
        b.ptr,
        "m.xml:2:13: warning: term 't' has no legal basis [missing-basis]\n"
        "m.xml:2:13: warning: term 't' does not say who must act (party) "
        "[missing-party]\n"
        "m.xml:2:13: warning: nothing handles the expiry of term 't': no transition on "
        "'expired.t' and no expression mentions it [unhandled-expiry]\n"
        "m.xml:3:36: error: in transition on 'x' (line 3): event 'x' is not declared "
        "[ZF_ESEMANTIC]\n"
        "m.xml:4:14: error: duplicate state id 'a' (first declared at line 3) "
        "[ZF_ESEMANTIC]\n"
        "m.xml:5:14: warning: state 'b' is unreachable [unreachable-state]\n"
        "m.xml:5:14: warning: state 'b' is not final but no transition leaves it "
        "[no-way-out]\n");
    ck_assert_uint_eq(diags.errors, 2);
    ck_assert_uint_eq(diags.warnings, 5);
    zf_buf_dispose(&b);
    zf_diagnostics_dispose(&diags);
}
END_TEST

/* ---- several files
 * --------------------------------------------------------------------- */

static char *write_temp(const char *content) {
    char *path = strdup("/tmp/zf-defXXXXXX");
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, content, strlen(content)), (int)strlen(content));
    close(fd);
    return path;
}

static const char *parent_xml =
    "<process " NS " id=\"ouder\">\n"
    "  <events><event id=\"klaar\"/></events>\n"
    "  <state id=\"a\"><transition event=\"klaar\" target=\"z\">\n"
    "    <spawn process=\"kind\" relation=\"deelzaak\">\n"
    "      <with name=\"datum\" expr=\"event.date\"/>\n"
    "      <with name=\"bedrag\" expr=\"12\"/>\n"
    "      <with name=\"onbekend\" expr=\"1\"/>\n"
    "      <with name=\"naam\" expr=\"3\"/>\n"
    "    </spawn>\n"
    "    <spawn process=\"niemand\" relation=\"vervolg\"/>\n"
    "  </transition></state>\n"
    "  <final id=\"z\"/>\n"
    "</process>\n";

static const char *child_xml =
    "<process " NS " id=\"kind\">\n"
    "  <data><var id=\"datum\" type=\"date\" required=\"true\"/>"
    "<var id=\"bedrag\" type=\"money\"/><var id=\"naam\" type=\"string\"/></data>\n"
    "  <state id=\"a\"><transition cond=\"days(datum, today) &gt; 0 and is_set(bedrag) "
    "and bedrag &gt; 0 and is_set(naam) and naam == 'x'\" target=\"z\"/></state>\n"
    "  <final id=\"z\"/>\n"
    "</process>\n";

START_TEST(test_definition_validate_files_spawn) {
    char *p1 = write_temp(parent_xml), *p2 = write_temp(child_xml);
    const char *paths[2] = {p1, p2};
    zf_diagnostics diags = ZF_DIAGNOSTICS_INIT;
    zf_error err;
    zf_buf b = ZF_BUF_INIT;
    char expect[2048];

    zf_error_clear(&err);
    ck_assert_int_eq(zf_validate_files(paths, 2, &diags, &err), ZF_ESEMANTIC);
    zf_diagnostics_format(&b, &diags, NULL);
    snprintf(
        expect, sizeof expect,
        "%s:7:19: error: process 'kind' has no variable 'onbekend' [ZF_ESEMANTIC]\n"
        "%s:8:31: error: variable 'naam' of process 'kind' is of type string, got int "
        "[ZF_ESEMANTIC]\n"
        "%s:10:5: error: spawn of process 'niemand', which is not among the definitions "
        "validated together [ZF_ESEMANTIC]\n",
        p1, p1, p1);
    ck_assert_str_eq(b.ptr, expect);
    ck_assert_int_eq(err.line, 7);
    zf_buf_dispose(&b);
    zf_diagnostics_dispose(&diags);

    /* Alone, the parent cannot know process 'kind'. */
    ck_assert_int_eq(zf_validate_files(paths, 1, &diags, NULL), ZF_ESEMANTIC);
    ck_assert_uint_eq(diags.errors, 2);
    zf_diagnostics_dispose(&diags);
    /* The child alone is fine. */
    ck_assert_int_eq(zf_validate_files(paths + 1, 1, &diags, NULL), ZF_OK);
    ck_assert_uint_eq(diags.errors, 0);
    zf_diagnostics_dispose(&diags);
    /* A missing file: ZF_EIO. */
    paths[1] = "/nonexistent.xml";
    ck_assert_int_eq(zf_validate_files(paths + 1, 1, &diags, NULL), ZF_EIO);
    zf_diagnostics_dispose(&diags);
    unlink(p1);
    unlink(p2);
    free(p1);
    free(p2);
}
END_TEST

/* A directory of definition files for the checks across files; removed by rm_dir(). */
static char tmpdir[64];

static const char *in_dir(const char *name) {
    static char path[4][128];
    static int k;
    k = (k + 1) % 4;
    snprintf(path[k], sizeof path[k], "%s/%s", tmpdir, name);
    return path[k];
}

static void put_file(const char *name, const char *content) {
    FILE *f = fopen(in_dir(name), "w");
    ck_assert_ptr_nonnull(f);
    fputs(content, f);
    fclose(f);
}

static void make_dir(void) {
    snprintf(tmpdir, sizeof tmpdir, "/tmp/zf-setXXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void rm_dir(void) {
    static const char *names[] = {"ouder.xml", "kind.xml", "kind-oud.xml", "kopie.xml",
                                  "fout.xml",  "leeg.xml", "andere.xml"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        unlink(in_dir(names[i]));
    rmdir(tmpdir);
}

/* Validate with options; the findings as text, file names without the directory. */
static zf_code validate(const char *const *names, size_t n, int beside, int strict,
                        char *out, size_t cap) {
    zf_validate_options o = ZF_VALIDATE_OPTIONS_INIT;
    zf_diagnostics diags = ZF_DIAGNOSTICS_INIT;
    const char *paths[8];
    zf_buf b = ZF_BUF_INIT;
    zf_error err;
    zf_code rc;
    size_t k = 0;
    char *dup = strdup(tmpdir), *p;
    for (size_t i = 0; i < n; i++)
        paths[i] = strdup(in_dir(names[i]));
    o.beside = beside;
    o.strict = strict;
    rc = zf_validate_files_ext(&diags, paths, n, &o, &err);
    ck_assert_int_eq(zf_diagnostics_format(&b, &diags, NULL), ZF_OK);
    /* Drop "<tmpdir>/" everywhere. */
    for (p = b.ptr; p && *p;) {
        if (!strncmp(p, dup, strlen(dup)) && p[strlen(dup)] == '/') {
            p += strlen(dup) + 1;
            continue;
        }
        if (k + 1 < cap)
            out[k++] = *p;
        p++;
    }
    out[k] = '\0';
    ck_assert_uint_eq(diags.count, diags.errors + diags.warnings);
    if (rc == ZF_OK)
        ck_assert_uint_eq(diags.errors, 0);
    else
        ck_assert_int_eq(err.code, rc);
    for (size_t i = 0; i < n; i++)
        free((char *)paths[i]);
    free(dup);
    zf_buf_dispose(&b);
    zf_diagnostics_dispose(&diags);
    return rc;
}

static const char *set_parent =
    "<process " NS " id=\"ouder\" version=\"1\">\n"
    "  <data><enum id=\"wet\"><value id=\"wmo\"/><value id=\"jw\"/></enum>\n"
    "    <enum id=\"kleur\"><value id=\"wmo\"/></enum>\n"
    "    <var id=\"w\" type=\"wet\" default=\"wmo\"/><var id=\"k\" type=\"kleur\" "
    "default=\"wmo\"/><var id=\"s\" type=\"string\" default=\"wmo\"/></data>\n"
    "  <events><event id=\"klaar\"/></events>\n"
    "  <state id=\"a\"><transition event=\"klaar\" target=\"z\">\n"
    "    <spawn process=\"kind\" relation=\"vervolg\">\n"
    "      <with name=\"wet\" expr=\"w\"/><with name=\"datum\" expr=\"event.date\"/>\n"
    "    </spawn>\n"
    "    <spawn process=\"kind\" relation=\"vervolg\">\n"
    "      <with name=\"wet\" expr=\"k\"/><with name=\"datum\" expr=\"today\"/>\n"
    "    </spawn>\n"
    "    <spawn process=\"kind\" relation=\"vervolg\">\n"
    "      <with name=\"wet\" expr=\"s\"/><with name=\"datum\" expr=\"today\"/>\n"
    "    </spawn>\n"
    "    <spawn process=\"kind\" relation=\"vervolg\">\n"
    "      <with name=\"wet\" expr=\"w == 'wmo' ? 'jw' : 'pv'\"/>"
    "<with name=\"datum\" expr=\"today\"/>\n"
    "    </spawn>\n"
    "    <spawn process=\"niemand\" relation=\"vervolg\"/>\n"
    "    <spawn process=\"niemand\" relation=\"deelzaak\"/>\n"
    "  </transition></state>\n"
    "  <final id=\"z\"/>\n"
    "</process>\n";

static const char *set_child =
    "<process " NS " id=\"kind\" version=\"2\">\n"
    "  <data><enum id=\"wet\"><value id=\"wmo\"/><value id=\"jw\"/><value id=\"pw\"/>"
    "</enum>\n"
    "    <var id=\"wet\" type=\"wet\" default=\"wmo\"/><var id=\"datum\" type=\"date\" "
    "required=\"true\"/></data>\n"
    "  <state id=\"a\"><transition cond=\"wet == 'wmo' and datum &lt; today\" "
    "target=\"z\"/></state>\n"
    "  <final id=\"z\"/>\n"
    "</process>\n";

/* Every check across files runs, also for a file with other errors; a value of
 * another enumeration is an error even where the value names coincide. */
START_TEST(test_definition_validate_set) {
    const char *both[] = {"ouder.xml", "kind.xml"}, *alone[] = {"ouder.xml"};
    char out[4096];
    make_dir();
    put_file("ouder.xml", set_parent);
    put_file("kind.xml", set_child);
    ck_assert_int_eq(validate(both, 2, 0, 0, out, sizeof out), ZF_ESEMANTIC);
    ck_assert_str_eq(
        out,
        "ouder.xml:11:30: error: variable 'wet' of process 'kind' is of enumeration "
        "'wet', got a value of enumeration 'kleur' [ZF_ESEMANTIC]\n"
        "ouder.xml:14:30: error: variable 'wet' of process 'kind' is of enumeration "
        "'wet', got a string that is not a literal value name [ZF_ESEMANTIC]\n"
        "ouder.xml:17:50: error: 'pv' is not a value of enumeration 'wet' of variable "
        "'wet' of process 'kind' [ZF_ESEMANTIC]\n"
        "ouder.xml:19:5: error: spawn of process 'niemand', which is not among the "
        "definitions validated together [ZF_ESEMANTIC]\n");
    /* The child's enumeration lacks a value of the parent's: an error. */
    put_file("kind.xml",
             "<process " NS " id=\"kind\" version=\"2\"><data><enum id=\"wet\">"
             "<value id=\"jw\"/><value id=\"pw\"/></enum><var id=\"wet\" "
             "type=\"wet\" default=\"jw\"/><var id=\"datum\" type=\"date\"/>"
             "</data><state id=\"a\"><transition cond=\"wet == 'jw'\" "
             "target=\"z\"/></state><final id=\"z\"/></process>");
    validate(both, 2, 0, 0, out, sizeof out);
    ck_assert_ptr_nonnull(strstr(out,
                                 "ouder.xml:8:30: error: enumeration 'wet' has value "
                                 "'wmo', which enumeration 'wet' of process 'kind' "
                                 "does not have (variable 'wet') [ZF_ESEMANTIC]\n"));
    put_file("kind.xml", set_child);

    /* Alone: the child is found beside the parent by its id (not its file name). */
    rename(in_dir("kind.xml"), in_dir("andere.xml"));
    validate(alone, 1, 1, 0, out, sizeof out);
    ck_assert_ptr_nonnull(strstr(out, "ouder.xml:11:30: error: variable 'wet' of process "
                                      "'kind' is of enumeration 'wet', got a value of "
                                      "enumeration 'kleur'"));
    ck_assert_ptr_nonnull(strstr(
        out, "ouder.xml:19:5: warning: spawn of process 'niemand', which is neither "
             "among the files validated nor beside this file: the spawn is not "
             "checked [unknown-process]\n"));
    ck_assert_ptr_null(strstr(out, "andere.xml")); /* not reported on */
    ck_assert_ptr_null(strstr(out, ":20:"));       /* one finding per process */
    /* --strict: an error. */
    validate(alone, 1, 1, 1, out, sizeof out);
    ck_assert_ptr_nonnull(
        strstr(out, "ouder.xml:19:5: error: spawn of process 'niemand'"));
    /* A file beside it with that id that does not load: a warning, nothing checked. */
    put_file("andere.xml", "<process " NS " id=\"kind\"><state/></process>");
    validate(alone, 1, 1, 0, out, sizeof out);
    ck_assert_ptr_nonnull(strstr(out, "ouder.xml:7:5: warning: spawn of process 'kind': "
                                      "'andere.xml' beside this file defines it but has "
                                      "errors, so the spawn is not checked "
                                      "[unknown-process]\n"));
    unlink(in_dir("andere.xml"));

    /* A parent with an error of its own is still checked against the child. */
    put_file("kind.xml", set_child);
    put_file("fout.xml", "<process " NS " id=\"fout\"><events><event id=\"e\"/></events>"
                         "<state id=\"a\"><transition event=\"e\" target=\"nergens\">"
                         "<spawn process=\"kind\" relation=\"vervolg\"><with name=\"x\" "
                         "expr=\"1\"/></spawn></transition></state></process>");
    {
        const char *f[] = {"fout.xml", "kind.xml"};
        ck_assert_int_eq(validate(f, 2, 1, 0, out, sizeof out), ZF_ESEMANTIC);
        ck_assert_ptr_nonnull(strstr(out, "target state 'nergens' is not defined"));
        ck_assert_ptr_nonnull(strstr(out, "process 'kind' has no variable 'x'"));
        ck_assert_ptr_nonnull(strstr(out, "does not pass its required variable 'datum'"));
    }
    rm_dir();
}
END_TEST

/* Two files with one process id and version: an error in each, whatever the order; two
 * versions are fine; the same bytes twice are checked once. */
START_TEST(test_definition_validate_duplicates) {
    const char *ab[] = {"kind.xml", "kind-oud.xml"}, *ba[] = {"kind-oud.xml", "kind.xml"};
    const char *twice[] = {"kind.xml", "kopie.xml", "kind.xml"};
    char out1[2048], out2[2048];
    make_dir();
    put_file("kind.xml", set_child);
    put_file("kopie.xml", set_child);
    /* The same process and version, other bytes (an old copy). */
    {
        char old[2048];
        snprintf(old, sizeof old, "<!-- oud -->\n%s", set_child);
        put_file("kind-oud.xml", old);
    }
    ck_assert_int_eq(validate(ab, 2, 1, 0, out1, sizeof out1), ZF_ESEMANTIC);
    ck_assert_int_eq(validate(ba, 2, 1, 0, out2, sizeof out2), ZF_ESEMANTIC);
    ck_assert_str_eq(out1, "kind.xml:1:45: error: process 'kind' version '2' is also "
                           "defined in 'kind-oud.xml' [ZF_ESEMANTIC]\n"
                           "kind-oud.xml:2:45: error: process 'kind' version '2' is also "
                           "defined in 'kind.xml' [ZF_ESEMANTIC]\n");
    /* The other order: the same findings, in the order of the files. */
    ck_assert_str_eq(out2, "kind-oud.xml:2:45: error: process 'kind' version '2' is also "
                           "defined in 'kind.xml' [ZF_ESEMANTIC]\n"
                           "kind.xml:1:45: error: process 'kind' version '2' is also "
                           "defined in 'kind-oud.xml' [ZF_ESEMANTIC]\n");
    /* Another version of the process: fine. */
    {
        char v3[2048];
        snprintf(v3, sizeof v3, "<!-- nieuw -->\n%s", set_child);
        memcpy(strstr(v3, "version=\"2\"") + 9, "3", 1);
        put_file("kind-oud.xml", v3);
        ck_assert_int_eq(validate(ab, 2, 1, 0, out1, sizeof out1), ZF_OK);
        ck_assert_str_eq(out1, "");
    }
    /* One file named twice and an identical copy: checked once, no duplicate. */
    ck_assert_int_eq(validate(twice, 3, 1, 0, out1, sizeof out1), ZF_OK);
    ck_assert_str_eq(out1, "");
    /* Many files of one process (more than the first allocation of the set holds):
     * each says so, naming the first other and how many more. */
    {
        const char *many[12];
        char names[12][96];
        zf_validate_options o = ZF_VALIDATE_OPTIONS_INIT;
        zf_diagnostics diags = ZF_DIAGNOSTICS_INIT;
        for (int i = 0; i < 12; i++) {
            char body[2048];
            snprintf(names[i], sizeof names[i], "%s/kopie%02d.xml", tmpdir, i);
            snprintf(body, sizeof body, "<!-- %d -->\n%s", i, set_child);
            FILE *f = fopen(names[i], "w");
            ck_assert_ptr_nonnull(f);
            fputs(body, f);
            fclose(f);
            many[i] = names[i];
        }
        ck_assert_int_eq(zf_validate_files_ext(&diags, many, 12, &o, NULL), ZF_ESEMANTIC);
        ck_assert_uint_eq(diags.errors, 12);
        ck_assert_ptr_nonnull(strstr(diags.items[11].message, "and 10 more files"));
        zf_diagnostics_dispose(&diags);
        for (int i = 0; i < 12; i++)
            unlink(names[i]);
    }
    rm_dir();
}
END_TEST

/* The look beside reads only the root element: its id and version, securely. */
START_TEST(test_definition_root_attributes) {
    char id[64], version[64];
    make_dir();
    put_file("kind.xml", set_child);
    ck_assert_int_eq(zf__load_root(in_dir("kind.xml"), id, version, sizeof id), 0);
    ck_assert_str_eq(id, "kind");
    ck_assert_str_eq(version, "2");
    /* A comment and a declaration first; attributes in another namespace are not ours. */
    put_file("kopie.xml",
             "<?xml version=\"1.0\"?>\n<!-- x -->\n<process " NS
             " xmlns:o=\"urn:o\" o:id=\"vals\" id=\"echt\"><state/></process>");
    ck_assert_int_eq(zf__load_root(in_dir("kopie.xml"), id, version, sizeof id), 0);
    ck_assert_str_eq(id, "echt");
    ck_assert_str_eq(version, "");
    /* Not a definition: another root, another namespace, a DOCTYPE, no id, not XML. */
    put_file("fout.xml", "<scenario xmlns=\"urn:zaakflow:scenario:1\" id=\"x\"/>");
    ck_assert_int_eq(zf__load_root(in_dir("fout.xml"), id, version, sizeof id), -1);
    put_file("fout.xml", "<process id=\"x\"/>");
    ck_assert_int_eq(zf__load_root(in_dir("fout.xml"), id, version, sizeof id), -1);
    put_file("fout.xml",
             "<!DOCTYPE p [<!ENTITY e \"kind\">]><process " NS " id=\"&e;\"/>");
    ck_assert_int_eq(zf__load_root(in_dir("fout.xml"), id, version, sizeof id), -1);
    put_file("fout.xml", "<process " NS " id=\"&e;\"/>");
    ck_assert_int_eq(zf__load_root(in_dir("fout.xml"), id, version, sizeof id), -1);
    put_file("fout.xml", "<process " NS "/>");
    ck_assert_int_eq(zf__load_root(in_dir("fout.xml"), id, version, sizeof id), -1);
    put_file("fout.xml", "\x01\x02 no xml");
    ck_assert_int_eq(zf__load_root(in_dir("fout.xml"), id, version, sizeof id), -1);
    ck_assert_int_eq(zf__load_root(in_dir("leeg.xml"), id, version, sizeof id), -1);
    rm_dir();
}
END_TEST

START_TEST(test_definition_validate_arguments) {
    zf_validate_options o = ZF_VALIDATE_OPTIONS_INIT;
    zf_diagnostics diags = ZF_DIAGNOSTICS_INIT;
    const char *paths[] = {"a.xml", NULL};
    zf_error err;
    ck_assert_int_eq(zf_validate_files_ext(&diags, NULL, 1, NULL, &err), ZF_EINVAL);
    ck_assert_int_eq(zf_validate_files_ext(&diags, paths, 2, NULL, &err), ZF_EINVAL);
    ck_assert_str_eq(err.message, "paths[1] is NULL");
    o.version = 99;
    ck_assert_int_eq(zf_validate_files_ext(&diags, paths, 1, &o, &err), ZF_EINVAL);
    ck_assert_str_eq(err.message, "opts: unknown version 99");
    ck_assert_uint_eq(diags.count, 0);
    /* No files: nothing to say. */
    ck_assert_int_eq(zf_validate_files_ext(&diags, paths, 0, NULL, &err), ZF_OK);
    ck_assert_int_eq(err.code, ZF_OK);
    /* No output list: the return code and err tell. */
    ck_assert_int_eq(zf_validate_files_ext(NULL, paths, 1, NULL, &err), ZF_EIO);
    ck_assert_int_eq(err.code, ZF_EIO);
}
END_TEST

/* ---- allocation failures --------------------------------------------------------------
 */

static void alloc_loop(const char *xml, zf_code success, long min_allocs) {
    long n;
    zf_calendar_atw(); /* built once, on first use: not a leak of the loader */
    for (n = 0;; n++) {
        zf_definition *d = NULL;
        zf_diagnostics diags = ZF_DIAGNOSTICS_INIT;
        zf_error err;
        zf_code rc;
        zf_error_clear(&err);
        th_alloc_fail_at(n);
        rc = zf_definition_parse(&d, xml, strlen(xml), "a.xml", &diags, &err);
        if (th_alloc_failed()) {
            ck_assert_msg(rc == ZF_ENOMEM, "n=%ld: rc=%d", n, rc);
            ck_assert_ptr_null(d);
            ck_assert_int_eq(err.code, ZF_ENOMEM);
        } else {
            ck_assert_int_eq(rc, success);
        }
        zf_definition_free(d);
        zf_diagnostics_dispose(&diags);
        ck_assert_msg(th_alloc_live() == 0, "n=%ld: %ld blocks leaked", n,
                      th_alloc_live());
        if (!th_alloc_failed())
            break;
    }
    th_alloc_reset();
    ck_assert_int_ge(n, min_allocs);
}

START_TEST(test_definition_alloc_failures_valid) {
    alloc_loop(valid_xml, ZF_OK, 20);
}
END_TEST

START_TEST(test_definition_alloc_failures_invalid) {
    alloc_loop(
        "<process " NS " id=\"p\">\n"
        "  <data><var id=\"n\" type=\"int\"/></data>\n"
        "  <state id=\"a\"><transition event=\"x\" cond=\"n + \" target=\"b\"/></state>\n"
        "  <state id=\"a\"/>\n"
        "</process>\n",
        ZF_ESEMANTIC, 10);
}
END_TEST

/* Validating a set, with a process found beside: every allocation failure is ZF_ENOMEM,
 * leaks nothing and leaves the output list as it was. */
START_TEST(test_definition_alloc_failures_validate) {
    const char *names[] = {"ouder.xml", "kind-oud.xml"};
    char paths[2][128];
    const char *p[2];
    long n;
    make_dir();
    put_file("ouder.xml", set_parent);
    put_file("kind.xml", set_child);
    put_file("kind-oud.xml", set_child);
    for (int i = 0; i < 2; i++) {
        snprintf(paths[i], sizeof paths[i], "%s", in_dir(names[i]));
        p[i] = paths[i];
    }
    zf_calendar_atw();
    for (n = 0;; n++) {
        zf_diagnostics diags = ZF_DIAGNOSTICS_INIT;
        zf_error err;
        zf_code rc;
        th_alloc_fail_at(n);
        rc = zf_validate_files_ext(&diags, p, 2, NULL, &err);
        if (th_alloc_failed()) {
            ck_assert_msg(rc == ZF_ENOMEM, "n=%ld: rc=%d", n, rc);
            ck_assert_uint_eq(diags.count, 0);
            ck_assert_int_eq(err.code, ZF_ENOMEM);
        } else {
            ck_assert_int_eq(rc, ZF_ESEMANTIC);
        }
        zf_diagnostics_dispose(&diags);
        ck_assert_msg(th_alloc_live() == 0, "n=%ld: %ld blocks leaked", n,
                      th_alloc_live());
        if (!th_alloc_failed())
            break;
    }
    th_alloc_reset();
    ck_assert_int_ge(n, 30);
    rm_dir();
}
END_TEST

START_TEST(test_definition_alloc_failures_parse_error) {
    alloc_loop("<process " NS " id=\"p\"><state id=\"x\"></process>", ZF_EPARSE, 1);
}
END_TEST

static Suite *suite(void) {
    Suite *s = suite_create("definition");
    TCase *tc = tcase_create("tables");
    tcase_add_test(tc, test_definition_states_in_preorder);
    tcase_add_test(tc, test_definition_default_entry_lists);
    tcase_add_test(tc, test_definition_domains_and_entry_sets);
    tcase_add_test(tc, test_definition_events_interned);
    tcase_add_test(tc, test_definition_event_and_param_info);
    tcase_add_test(tc, test_definition_hash_of_canonical_form);
    tcase_add_loop_test(tc, test_definition_hash_edits, 0,
                        (int)(sizeof hash_edits / sizeof hash_edits[0]));
    tcase_add_test(tc, test_definition_sha256_vectors);
    tcase_add_test(tc, test_definition_dot);
    tcase_add_test(tc, test_definition_term_party);
    tcase_add_test(tc, test_definition_text_bad_arguments);
    tcase_add_test(tc, test_definition_explain_needs_no_file);
    tcase_add_test(tc, test_definition_explain_documentation_layout);
    suite_add_tcase(s, tc);

    tc = tcase_create("hostile");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_definition_malformed_xml);
    tcase_add_test(tc, test_definition_refuses_doctype);
    tcase_add_test(tc, test_definition_deep_nesting);
    tcase_add_test(tc, test_definition_huge_attributes);
    tcase_add_test(tc, test_definition_too_many_elements);
    tcase_add_test(tc, test_definition_bad_bytes);
    tcase_add_test(tc, test_definition_missing_file);
    suite_add_tcase(s, tc);

    tc = tcase_create("diagnostics");
    tcase_add_test(tc, test_definition_schema_error);
    tcase_add_test(tc, test_definition_column_in_characters);
    tcase_add_test(tc, test_definition_collects_all_findings);
    tcase_add_test(tc, test_definition_validate_files_spawn);
    tcase_add_test(tc, test_definition_validate_set);
    tcase_add_test(tc, test_definition_validate_duplicates);
    tcase_add_test(tc, test_definition_validate_arguments);
    tcase_add_test(tc, test_definition_root_attributes);
    suite_add_tcase(s, tc);

    tc = tcase_create("alloc");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_definition_alloc_failures_valid);
    tcase_add_test(tc, test_definition_alloc_failures_invalid);
    tcase_add_test(tc, test_definition_alloc_failures_parse_error);
    tcase_add_test(tc, test_definition_alloc_failures_validate);
    tcase_add_test(tc, test_definition_text_alloc_failures);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) {
    return th_run(suite());
}
