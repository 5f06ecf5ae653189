/*
 * libFuzzer target for scenario files: arbitrary bytes run as a scenario (with
 * the round-trip law checked after every step) against a fixed process, whatever
 * process the scenario names. Besides no crash, leak or sanitizer report: a run
 * that fails has a code and a message in err, and a scenario that does not pass
 * says why.
 */
#include <zaakflow.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char PROCESS[] =
    "<process xmlns='urn:zaakflow:process:1' id='fz' version='1' initial='a'>"
    "<data><var id='n' type='int' default='0'/><var id='ontvangen' type='date'/></data>"
    "<roles><role id='r'/></roles>"
    "<events><event id='go' roles='r'/><event id='set'><param id='x' type='int'/></event>"
    "<event id='susp'/><event id='res'/><event id='close'/></events>"
    "<term id='top' length='6w'/>"
    "<state id='a' initial='a1'>"
    " <term id='t1' length='2w'/>"
    " <transition event='expired.t1'><log text='t1 expired'/></transition>"
    " <transition event='set'><assign var='n' expr='n + 1'/>"
    "   <notify to='behandelaar' text='gezet'/>"
    "   <spawn process='fz' relation='vervolg'><with name='n' expr='n'/></spawn>"
    " </transition>"
    " <transition event='susp'><suspend term='top'/></transition>"
    " <transition event='res'><resume term='top'/></transition>"
    " <transition event='close' target='klaar'/>"
    " <state id='a1'><transition event='go' target='a2'/></state><state id='a2'/>"
    "</state><final id='klaar' outcome='afgehandeld'/></process>";

static char dir[64], process_path[96], scenario_path[96];

static void cleanup(void) {
    remove(process_path);
    remove(scenario_path);
}

static void setup(void) {
    FILE *f;
    snprintf(dir, sizeof dir, "/tmp/zf-fuzz-scenario-%ld", (long)getpid());
    snprintf(process_path, sizeof process_path, "%s-fz.xml", dir);
    snprintf(scenario_path, sizeof scenario_path, "%s-scenario.xml", dir);
    if (!(f = fopen(process_path, "w")))
        abort();
    fputs(PROCESS, f);
    fclose(f);
    atexit(cleanup);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    zf_scenario_options o = ZF_SCENARIO_OPTIONS_INIT;
    zf_scenario_runner *rn = NULL;
    zf_scenario_result res;
    zf_buf tl = ZF_BUF_INIT;
    zf_error e;
    FILE *f;
    zf_code rc;
    if (!process_path[0])
        setup();
    if (!(f = fopen(scenario_path, "wb")))
        abort();
    fwrite(data, 1, size, f);
    fclose(f);
    o.process = process_path;
    o.roundtrip = 1;
    if (zf_scenario_runner_new(&rn, &o, &e) != ZF_OK)
        abort();
    rc = zf_scenario_run_file(&res, &tl, rn, scenario_path, &e);
    if (rc != ZF_OK && (e.code != rc || !e.message[0]))
        abort(); /* a failure without its code or message */
    if (rc == ZF_OK && e.code != ZF_OK)
        abort();
    if (rc == ZF_OK && !res.passed && !res.message[0])
        abort(); /* a scenario that fails without saying why */
    zf_buf_dispose(&tl);
    zf_scenario_runner_free(rn);
    return 0;
}
