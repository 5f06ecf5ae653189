/*
 * libFuzzer target for the expression language: compile arbitrary bytes
 * against a fixed scope (every kind of name, two enumerations), evaluate what
 * compiles against fixed values, disassemble it, and free it. Any crash,
 * leak, sanitizer report or an eval that allocates is a bug.
 * Build (the lead wires it into the Makefile):
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Iinclude -Ilib -I<builddir> \
 *     fuzz/fuzz_expr.c lib/{expr,expr_vm,value,error,alloc,buf,date,calendar}.c \
 *     <builddir>/lib/atw_calendar_data.c $(pkg-config --cflags --libs libxml-2.0)
 */
#include "expr.h"

#include <stdlib.h>
#include <string.h>

static const struct {
    const char *name;
    zf_type type;
    uint16_t enum_id;
} vars[] = {
    {"d", ZF_TYPE_DATE, ZF_NOIDX},     {"b", ZF_TYPE_BOOL, ZF_NOIDX},
    {"i", ZF_TYPE_INT, ZF_NOIDX},      {"m", ZF_TYPE_MONEY, ZF_NOIDX},
    {"t", ZF_TYPE_DURATION, ZF_NOIDX}, {"e", ZF_TYPE_ENUM, 0},
    {"s", ZF_TYPE_STRING, ZF_NOIDX},   {"u", ZF_TYPE_DATE, ZF_NOIDX}, /* unset */
    {"big", ZF_TYPE_INT, ZF_NOIDX},    {"f", ZF_TYPE_ENUM, 1},
};
#define NVARS (sizeof vars / sizeof vars[0])

static const char *const enum_values[2][3] = {{"ja", "nee", NULL},
                                              {"rood", "groen", "blauw"}};

static int eq(const char *a, const char *name, size_t len) {
    return strlen(a) == len && memcmp(a, name, len) == 0;
}

static int lookup(void *ctx, zf__sym_kind kind, const char *name, size_t len,
                  zf__sym *out) {
    (void)ctx;
    switch (kind) {
    case ZF_SYM_VAR:
        for (size_t k = 0; k < NVARS; k++)
            if (eq(vars[k].name, name, len)) {
                out->index = (uint16_t)k;
                out->type = vars[k].type;
                out->enum_id = vars[k].enum_id;
                return 1;
            }
        return 0;
    case ZF_SYM_PARAM:
        if (eq("p", name, len) || eq("q", name, len)) {
            out->index = name[0] == 'p' ? 0 : 1;
            out->type = name[0] == 'p' ? ZF_TYPE_DATE : ZF_TYPE_MONEY;
            return 1;
        }
        return 0;
    case ZF_SYM_TERM:
        if (eq("tt", name, len) || eq("tn", name, len)) {
            out->index = name[1] == 't' ? 0 : 1;
            return 1;
        }
        return 0;
    case ZF_SYM_STATE:
        if (eq("st", name, len)) {
            out->index = 0;
            return 1;
        }
        return 0;
    case ZF_SYM_RATES:
        if (eq("r", name, len)) {
            out->index = 0;
            return 1;
        }
        return 0;
    }
    return 0;
}

static int enum_value(void *ctx, uint16_t id, const char *value, size_t len) {
    (void)ctx;
    for (int k = 0; k < 3 && id < 2; k++)
        if (enum_values[id][k] && eq(enum_values[id][k], value, len))
            return k;
    return -1;
}

static const char *enum_name(void *ctx, uint16_t id, uint16_t value) {
    (void)ctx;
    return id < 2 && value < 3 ? enum_values[id][value] : NULL;
}

static int term(void *host, uint16_t t, zf__term_query q, zf_value *out) {
    (void)host;
    if (q == ZF_TQ_END || q == ZF_TQ_START)
        *out = t == 0 ? zf_value_date(20000) : zf_value_void();
    else
        *out = zf_value_bool(t == 0);
    return 0;
}

static int in_state(void *host, uint16_t s) {
    (void)host;
    return s == 0;
}

static const zf__rate_tier tiers[] = {{14, 2300}, {14, 3500}, {14, 4500}};
static const zf__rate_version versions[] = {{17897, 3, tiers, NULL}};
static const zf__rate_table rates[] = {{"r", 1, versions, NULL}};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    zf__expr_scope scope = {lookup, enum_value, enum_name, NULL, 1, NULL, NULL, NULL};
    zf_value vals[NVARS], params[2], out;
    zf__eval_ctx ctx;
    zf__program prog;
    zf__expr_diag diag;
    zf_error err;
    zf_buf buf = ZF_BUF_INIT;
    zf_duration six = {6, ZF_UNIT_WEEK};
    zf_type expect = ZF_TYPE_VOID;

    /* The first byte picks the expected type and whether event.* is allowed. */
    if (size > 0) {
        expect = (zf_type)(data[0] % 8);
        scope.event_allowed = (data[0] >> 3) & 1;
        data++;
        size--;
    }
    memset(&prog, 0, sizeof prog);
    prog.enum_id = expect == ZF_TYPE_ENUM ? 1 : 0;
    if (zf__expr_compile(&prog, (const char *)data, size, &scope, expect, &diag) !=
        ZF_OK) {
        if (prog.code || diag.offset < 0 || diag.offset > (int)size || !diag.message[0])
            abort();
        return 0;
    }
    if (expect != ZF_TYPE_VOID && prog.type != expect)
        abort();
    if (prog.max_stack > ZF_EXPR_MAX_STACK)
        abort();

    vals[0] = zf_value_date(20000);
    vals[1] = zf_value_bool(1);
    vals[2] = zf_value_int(7);
    vals[3] = zf_value_money(144200);
    vals[4] = zf_value_duration(six);
    vals[5] = zf_value_void();
    vals[5].type = ZF_TYPE_ENUM;
    vals[5].as.s = "nee";
    vals[5].enum_index = 1;
    vals[6] = zf_value_string("tekst");
    vals[7] = zf_value_void();
    vals[8] = zf_value_int(INT64_MAX);
    vals[9] = vals[5];
    vals[9].as.s = "blauw";
    vals[9].enum_index = 2;
    params[0] = zf_value_date(20010);
    params[1] = zf_value_void();
    memset(&ctx, 0, sizeof ctx);
    ctx.vars = vals;
    ctx.params = params;
    ctx.event_date = 20005;
    ctx.today = 20006;
    ctx.rates = rates;
    ctx.term = term;
    ctx.in_state = in_state;
    zf_error_clear(&err);
    if (zf__expr_eval(&prog, &ctx, &out, &err) == ZF_OK) {
        if (out.type != prog.type)
            abort();
        if (zf_value_format(&buf, &out, NULL) != ZF_OK)
            abort();
    } else if (err.code != ZF_EEVAL || !err.message[0]) {
        abort();
    }
    if (zf__expr_disasm(&prog, &buf) != ZF_OK)
        abort();
    zf_buf_dispose(&buf);
    zf__expr_free(&prog);
    return 0;
}
