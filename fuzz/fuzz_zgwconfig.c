/* libFuzzer target: read a ZGW configuration (strict JSON) from arbitrary bytes. */
#include <zaakflow.h>

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    zf_zgw_config *cfg = NULL;
    zf_diagnostics diags = ZF_DIAGNOSTICS_INIT;
    zf_error err;
    zf_buf buf = ZF_BUF_INIT;

    zf_error_clear(&err);
    if (zf_zgw_config_parse(&cfg, (const char *)data, size, "fuzz.json", &diags, &err) ==
        ZF_OK)
        zf_zgw_check(NULL, 0, cfg, &diags, NULL);
    zf_diagnostics_format(&buf, &diags, NULL);
    zf_buf_dispose(&buf);
    zf_diagnostics_dispose(&diags);
    zf_zgw_config_free(cfg);
    return 0;
}
