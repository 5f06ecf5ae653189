/* A definition for the compact-snapshot tests (tests/test_pack.c) and fuzzer
 * (fuzz/fuzz_unpack.c): every kind of variable, a suspendable and extendable term, a
 * manual one, parallel regions, and every kind of journal item (spawn parameters of
 * each type). */
#ifndef ZF_PACK_CASE_H
#define ZF_PACK_CASE_H

static const char PACK_CASE_XML[] =
    "<process xmlns='urn:zaakflow:process:1' id='p' version='1' initial='a'>"
    "<data><enum id='kleur'><value id='rood'/><value id='groen'/></enum>"
    " <var id='naam' type='string'/><var id='opmerking' type='string' default='geen'/>"
    " <var id='k' type='kleur' default='rood'/><var id='bedrag' type='money' "
    "default='12.50'/>"
    " <var id='duur' type='duration' default='2w'/><var id='op' type='date'/>"
    " <var id='n' type='int' default='0'/><var id='ja' type='bool' default='false'/>"
    "</data>"
    "<events><event id='go'><param id='wie' type='string' required='true'/><param "
    "id='kl' "
    "type='kleur' required='true'/></event>"
    " <event id='susp'/><event id='res'/><event id='ext'/><event id='restart'/>"
    " <event id='klaar'/></events>"
    "<term id='t' party='bestuursorgaan' length='6w'><basis>Awb 7:10</basis></term>"
    "<term id='u' party='belanghebbende' from='op' length='duur' start='manual'>"
    "<basis>Awb 6:6</basis></term>"
    "<state id='a'><transition event='go' target='par'>"
    " <assign var='naam' expr='event.wie'/><assign var='k' expr='event.kl'/>"
    " <assign var='op' expr='today'/><assign var='n' expr='n + 1'/>"
    " <assign var='ja' expr='true'/><start term='u'/><notify to='x' text='hallo'/>"
    " <spawn process='q' relation='deelzaak'><with name='wie' expr='naam'/>"
    "  <with name='kleur' expr='k'/><with name='op' expr='op'/>"
    "  <with name='bedrag' expr='bedrag'/><with name='duur' expr='duur'/>"
    "  <with name='ja' expr='ja'/><with name='n' expr='n'/></spawn>"
    " <log text='gestart'/></transition></state>"
    "<parallel id='par'>"
    " <transition event='susp'><suspend term='t'/></transition>"
    " <transition event='res'><resume term='t'/></transition>"
    " <transition event='ext'><extend term='t' by='2w'/></transition>"
    " <transition event='restart'><start term='t'/></transition>"
    " <transition event='klaar' target='z'/>"
    " <state id='r1'><state id='r1a'/></state><state id='r2'><state id='r2a'/></state>"
    "</parallel><final id='z' outcome='klaar'/></process>";

#endif
