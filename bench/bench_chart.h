/* The bezwaar-like statechart and event cycle of bench_fire and bench_steps (also in
 * bench/xstate/bench.mjs and bench/bench_transitions.py). */
#ifndef ZF_BENCH_CHART_H
#define ZF_BENCH_CHART_H

static const char *const BENCH_CHART =
    "<process xmlns='urn:zaakflow:process:1' id='bench' version='1' "
    "initial='registratie'>"
    "<data><var id='n' type='int' default='0'/><var id='tijdig' type='bool' "
    "default='false'/>"
    " <var id='klaar' type='bool' default='false'/></data>"
    "<roles><role id='behandelaar'/><role id='commissie'/><role id='college'/></roles>"
    "<events><event id='ontvangen' roles='behandelaar'/><event id='ontvankelijk' "
    "roles='behandelaar'/>"
    " <event id='mislukt' roles='behandelaar'/><event id='gehoord' roles='commissie'/>"
    " <event id='advies' roles='commissie'/><event id='besluit' "
    "roles='college'/></events>"
    "<state id='registratie'>"
    " <transition event='ontvangen' cond='not klaar' target='ontvankelijkheid'>"
    "  <assign var='tijdig' expr='true'/><assign var='n' expr='n + "
    "1'/></transition></state>"
    "<state id='procedure' initial='ontvankelijkheid'>"
    " <term id='beslistermijn' length='6w'><basis>Awb 7:10 lid 1</basis></term>"
    " <transition event='expired.beslistermijn'><assign var='klaar' "
    "expr='true'/></transition>"
    " <state id='ontvankelijkheid'><transition event='ontvankelijk' cond='tijdig' "
    "target='bemiddeling'/></state>"
    " <state id='bemiddeling'><transition event='mislukt' cond='n &gt; 0' "
    "target='hoorzitting'/></state>"
    " <state id='hoorzitting'><transition event='gehoord' target='advisering'/></state>"
    " <state id='advisering'><transition event='advies' cond='running(beslistermijn)' "
    "target='besluitvorming'/></state>"
    " <state id='besluitvorming'><transition event='besluit' cond='n &lt; 1000000000' "
    "target='registratie'>"
    "  <assign var='tijdig' expr='false'/></transition></state>"
    "</state></process>";

static const struct bench_step {
    const char *event, *role;
} BENCH_CYCLE[] = {{"ontvangen", "behandelaar"}, {"ontvankelijk", "behandelaar"},
                   {"mislukt", "behandelaar"},   {"gehoord", "commissie"},
                   {"advies", "commissie"},      {"besluit", "college"}};
#define BENCH_NCYCLE (sizeof BENCH_CYCLE / sizeof BENCH_CYCLE[0])

#endif
