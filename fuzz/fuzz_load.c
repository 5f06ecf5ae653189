/* libFuzzer target: load a process definition from arbitrary bytes and free it. */
#include <zaakflow.h>

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    zf_definition *def = NULL;
    zf_diagnostics diags = ZF_DIAGNOSTICS_INIT;
    zf_error err;
    zf_buf buf = ZF_BUF_INIT;

    zf_error_clear(&err);
    if (zf_definition_parse(&def, (const char *)data, size, "fuzz.xml", &diags, &err) ==
        ZF_OK) {
        zf_definition_dot(&buf, def, NULL);
        zf_buf_dispose(&buf);
    }
    zf_diagnostics_format(&buf, &diags, NULL);
    zf_buf_dispose(&buf);
    zf_diagnostics_dispose(&diags);
    zf_definition_free(def);
    return 0;
}
