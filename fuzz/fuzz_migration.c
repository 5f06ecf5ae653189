/* libFuzzer target: load a migration document from arbitrary bytes against two
 * fixed versions of a process (tests/data/versions, inlined), and when it loads,
 * migrate a running case with it and restore the result from its snapshot. */
#include <zaakflow.h>

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char V1[] =
    "<process xmlns='urn:zaakflow:process:1' id='zaak' version='1' initial='a'>"
    "<data><var id='n' type='int' default='1'/><var id='weg' type='date'/>"
    "<var id='oud' type='int' default='5'/></data>"
    "<events><event id='go'/><event id='susp'/><event id='res'/><event "
    "id='fin'/></events>"
    "<term id='top' length='26w'><basis>Awb 4:13</basis></term>"
    "<state id='a'><transition event='go' target='b'/></state>"
    "<state id='b' initial='b1'><term id='t1' length='6w'><basis>Awb 7:10</basis></term>"
    "<transition event='susp'><suspend term='t1'/></transition>"
    "<transition event='res'><resume term='t1'/></transition>"
    "<transition event='expired.t1' target='f'/><transition event='expired.top' "
    "target='f'/>"
    "<state id='b1'><transition event='go' target='b2'/></state>"
    "<state id='b2'><transition event='fin' target='f'/></state></state>"
    "<final id='f' outcome='klaar'/></process>";
static const char V2[] =
    "<process xmlns='urn:zaakflow:process:1' id='zaak' version='2' initial='a'>"
    "<data><var id='n' type='money' default='1'/><var id='nieuw' type='int'/>"
    "<var id='verplicht' type='date' required='true'/></data>"
    "<events><event id='go'/><event id='susp'/><event id='res'/><event "
    "id='fin'/></events>"
    "<term id='top' length='30w'><basis>Awb 4:13</basis></term>"
    "<state id='a'><transition event='go' target='behandeling'/></state>"
    "<state id='behandeling' initial='b1'><term id='t1' length='6w'><basis>Awb "
    "7:10</basis>"
    "</term><term id='t3' from='verplicht' length='2w'><basis>Awb 4:5</basis></term>"
    "<transition event='susp'><suspend term='t1'/></transition>"
    "<transition event='res'><resume term='t1'/></transition>"
    "<transition event='expired.t1' target='f'/><transition event='expired.t3' "
    "target='f'/>"
    "<transition event='expired.top' target='f'/>"
    "<state id='b1'><transition event='fin' target='f'/></state></state>"
    "<final id='f' outcome='klaar'/></process>";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static zf_definition *v1, *v2;
    zf_migration *mig = NULL;
    zf_diagnostics diags = ZF_DIAGNOSTICS_INIT;
    zf_buf buf = ZF_BUF_INIT;
    zf_date d;

    if (!v1 && (zf_definition_parse(&v1, V1, strlen(V1), "v1", NULL, NULL) ||
                zf_definition_parse(&v2, V2, strlen(V2), "v2", NULL, NULL)))
        abort();
    if (zf_migration_parse(&mig, (const char *)data, size, "fuzz.xml", v1, v2, &diags,
                           NULL) == ZF_OK) {
        zf_instance *old = NULL, *now = NULL, *back = NULL;
        zf_date_parse(&d, "2025-11-03", NULL);
        if (zf_instance_new(&old, v1, d, NULL, 0, NULL, NULL) == ZF_OK) {
            zf_date_parse(&d, "2025-11-04", NULL);
            zf_instance_fire(old, "go", d, NULL, NULL, 0, NULL);
            zf_date_parse(&d, "2025-11-10", NULL);
            zf_instance_fire(old, "susp", d, NULL, NULL, 0, NULL);
            zf_date_parse(&d, "2026-01-05", NULL);
            if (zf_instance_migrate(&now, old, mig, v2, d, "fuzz", NULL) == ZF_OK) {
                /* Property: a migrated case round-trips through its snapshot. */
                zf_buf again = ZF_BUF_INIT;
                if (zf_instance_snapshot(&buf, now, NULL) != ZF_OK ||
                    zf_instance_restore(&back, v2, buf.ptr, buf.size, NULL, NULL) !=
                        ZF_OK ||
                    zf_instance_snapshot(&again, back, NULL) != ZF_OK ||
                    again.size != buf.size || memcmp(again.ptr, buf.ptr, buf.size))
                    abort();
                zf_buf_dispose(&again);
            }
        }
        zf_instance_free(back);
        zf_instance_free(now);
        zf_instance_free(old);
    }
    zf_buf_dispose(&buf);
    zf_diagnostics_format(&buf, &diags, NULL);
    zf_buf_dispose(&buf);
    zf_diagnostics_dispose(&diags);
    zf_migration_free(mig);
    return 0;
}
