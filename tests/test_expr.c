/* The expression language: lexer, parser, type rules, code, VM, values. */
#include "expr.h"
#include "expr_op.h"
#include "testhelp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- a small definition: variables, parameters, terms, states, rates ---- */

enum {
    V_BEKEND,
    V_ADVIES,
    V_AANTAL,
    V_BEDRAG,
    V_TERMIJN,
    V_UITKOMST,
    V_OMSCHR,
    V_BEEINDIGD,
    V_KLEUR,
    V_LEEG,
    V_COUNT
};

static const struct {
    const char *name;
    zf_type type;
    uint16_t enum_id;
} vars[V_COUNT] = {
    {"bekendgemaakt", ZF_TYPE_DATE, ZF_NOIDX},
    {"adviescommissie", ZF_TYPE_BOOL, ZF_NOIDX},
    {"aantal", ZF_TYPE_INT, ZF_NOIDX},
    {"bedrag", ZF_TYPE_MONEY, ZF_NOIDX},
    {"termijn", ZF_TYPE_DURATION, ZF_NOIDX},
    {"uitkomst", ZF_TYPE_ENUM, 0},
    {"omschrijving", ZF_TYPE_STRING, ZF_NOIDX},
    {"be\xc3\xabindigd", ZF_TYPE_BOOL, ZF_NOIDX},
    {"kleur", ZF_TYPE_ENUM, 1},
    {"leeg", ZF_TYPE_DATE, ZF_NOIDX},
};

static const struct {
    const char *name;
    zf_type type;
} params[] = {
    {"ontvangen", ZF_TYPE_DATE}, {"reden", ZF_TYPE_STRING}, {"boete", ZF_TYPE_MONEY}};

static const char *terms[] = {"bezwaartermijn", "beslistermijn", "nooit", "vergeten"};
static const char *states[] = {"ontvangen", "behandeling", "vergeten"};
static const char *enum0[] = {"gegrond", "ongegrond", "niet_ontvankelijk", NULL};
static const char *enum1[] = {"rood", "groen", NULL};

static int find(const char *const *names, size_t n, const char *name, size_t len) {
    for (size_t i = 0; i < n; i++)
        if (names[i] && strlen(names[i]) == len && memcmp(names[i], name, len) == 0)
            return (int)i;
    return -1;
}

static int scope_lookup(void *ctx, zf__sym_kind kind, const char *name, size_t len,
                        zf__sym *out) {
    const char *names[16];
    int i;
    (void)ctx;
    switch (kind) {
    case ZF_SYM_VAR:
        for (i = 0; i < V_COUNT; i++)
            names[i] = vars[i].name;
        if ((i = find(names, V_COUNT, name, len)) < 0)
            return 0;
        out->index = (uint16_t)i;
        out->type = vars[i].type;
        out->enum_id = vars[i].enum_id;
        out->maybe_unset = i == V_LEEG;
        return 1;
    case ZF_SYM_PARAM:
        for (i = 0; i < 3; i++)
            names[i] = params[i].name;
        if ((i = find(names, 3, name, len)) < 0)
            return 0;
        out->index = (uint16_t)i;
        out->type = params[i].type;
        out->maybe_unset = i == 1; /* reden is optional */
        return 1;
    case ZF_SYM_TERM:
        i = find(terms, 4, name, len);
        break;
    case ZF_SYM_STATE:
        i = find(states, 3, name, len);
        break;
    case ZF_SYM_RATES:
        i = len == 8 && memcmp(name, "dwangsom", 8) == 0 ? 0 : -1;
        break;
    default:
        i = -1;
    }
    if (i < 0)
        return 0;
    out->index = (uint16_t)i;
    return 1;
}

static int scope_enum_value(void *ctx, uint16_t enum_id, const char *value, size_t len) {
    (void)ctx;
    return enum_id == 0 ? find(enum0, 3, value, len) : find(enum1, 2, value, len);
}

static const char *scope_enum_name(void *ctx, uint16_t enum_id, uint16_t value) {
    (void)ctx;
    if (enum_id == 0)
        return value < 3 ? enum0[value] : NULL;
    return value < 2 ? enum1[value] : NULL;
}

static const char *scope_enum_id_name(void *ctx, uint16_t enum_id) {
    (void)ctx;
    return enum_id == 0 ? "uitkomst_bezwaar" : enum_id == 1 ? "kleur" : NULL;
}

/* The facts of the last compilation, as text: "unguarded var 9 at 0; set param 1". */
static char facts[512];

static void scope_fact(void *ctx, const zf__expr_fact *f) {
    static const char *kinds[] = {"set", "eq", "ne", "unguarded", "literal", "const"};
    size_t n = strlen(facts);
    (void)ctx;
    if (n + 64 >= sizeof facts)
        return; /* a long expression: its facts are not looked at */
    if (n)
        n += (size_t)snprintf(facts + n, sizeof facts - n, "; ");
    if (f->kind == ZF_FACT_LITERAL)
        snprintf(facts + n, sizeof facts - n, "literal%s %.*s at %d",
                 f->all ? "" : " (not all)", (int)f->len, f->text, f->offset);
    else if (f->kind == ZF_FACT_CONST)
        snprintf(facts + n, sizeof facts - n, "const");
    else if (f->kind == ZF_FACT_EQ || f->kind == ZF_FACT_NE)
        snprintf(facts + n, sizeof facts - n, "%s %s %u = %lld", kinds[f->kind],
                 f->sym_kind == ZF_SYM_VAR ? "var" : "param", (unsigned)f->sym,
                 (long long)f->value);
    else
        snprintf(facts + n, sizeof facts - n, "%s %s %u at %d", kinds[f->kind],
                 f->sym_kind == ZF_SYM_VAR ? "var" : "param", (unsigned)f->sym,
                 f->offset);
}

static zf__expr_scope scope = {scope_lookup,
                               scope_enum_value,
                               scope_enum_name,
                               NULL,
                               1,
                               scope_enum_id_name,
                               scope_fact,
                               NULL};

/* Awb 4:17 lid 2: the amounts per day, before and after Stcrt. 2018, 65542. */
static const zf__rate_tier tiers2009[] = {{14, 2000}, {14, 3000}, {14, 4000}};
static const zf__rate_tier tiers2019[] = {{14, 2300}, {14, 3500}, {14, 4500}};
static zf__rate_version versions[2];
static zf__rate_table rates[1];

static zf_value var_values[V_COUNT];
static zf_value param_values[3];
static zf__eval_ctx ctx;

static zf_date D(const char *text) {
    zf_date d = ZF_DATE_NONE;
    ck_assert_int_eq(zf_date_parse(&d, text, NULL), ZF_OK);
    return d;
}

static zf_date end0, end1, start0;

/* Called on every evaluation: no Check assertions in here (they are slow). */
static int term_cb(void *host, uint16_t term, zf__term_query q, zf_value *out) {
    (void)host;
    if (term == 3)
        return -1;   /* unknown to the runtime */
    if (term == 2) { /* never started */
        *out = q == ZF_TQ_END || q == ZF_TQ_START ? zf_value_void() : zf_value_bool(0);
        return 0;
    }
    switch (q) {
    case ZF_TQ_END:
        *out = zf_value_date(term == 0 ? end0 : end1);
        break;
    case ZF_TQ_START:
        *out = zf_value_date(start0);
        break;
    case ZF_TQ_RUNNING:
        *out = zf_value_bool(term == 0);
        break;
    case ZF_TQ_EXPIRED:
        *out = zf_value_bool(0);
        break;
    case ZF_TQ_EXTENDED:
        *out = zf_value_bool(term == 1);
        break;
    case ZF_TQ_SUSPENDED:
        *out = zf_value_bool(term == 1);
        break;
    }
    return 0;
}

static int state_cb(void *host, uint16_t state) {
    (void)host;
    return state == 2 ? -1 : state == 0;
}

static void setup(void) {
    zf_duration six_weeks = {6, ZF_UNIT_WEEK};
    end0 = D("2026-03-02");
    end1 = D("2026-04-13");
    start0 = D("2026-01-19");
    versions[0] = (zf__rate_version){D("2009-10-01"), 3, tiers2009, "Awb 4:17 lid 2"};
    versions[1] = (zf__rate_version){D("2019-01-01"), 3, tiers2019, "Stcrt. 2018, 65542"};
    rates[0] = (zf__rate_table){"dwangsom", 2, versions, "Awb 4:17"};

    var_values[V_BEKEND] = zf_value_date(D("2026-01-18"));
    var_values[V_ADVIES] = zf_value_bool(1);
    var_values[V_AANTAL] = zf_value_int(7);
    var_values[V_BEDRAG] = zf_value_money(144200);
    var_values[V_TERMIJN] = zf_value_duration(six_weeks);
    var_values[V_UITKOMST] = zf_value_void();
    var_values[V_UITKOMST].type = ZF_TYPE_ENUM;
    var_values[V_UITKOMST].as.s = "gegrond";
    var_values[V_UITKOMST].enum_index = 0;
    var_values[V_OMSCHR] = zf_value_string("hoorzitting");
    var_values[V_BEEINDIGD] = zf_value_bool(0);
    var_values[V_KLEUR] = zf_value_void();
    var_values[V_KLEUR].type = ZF_TYPE_ENUM;
    var_values[V_KLEUR].as.s = "groen";
    var_values[V_KLEUR].enum_index = 1;
    var_values[V_LEEG] = zf_value_void();
    param_values[0] = zf_value_date(D("2026-02-20"));
    param_values[1] = zf_value_void();
    param_values[2] = zf_value_money(5000);

    memset(&ctx, 0, sizeof ctx);
    ctx.vars = var_values;
    ctx.params = param_values;
    ctx.event_date = D("2026-02-23");
    ctx.today = D("2026-02-24");
    ctx.calendar = zf_calendar_none();
    ctx.rates = rates;
    ctx.term = term_cb;
    ctx.in_state = state_cb;
    scope.event_allowed = 1;
}

static void teardown(void) {
    th_alloc_reset();
}

/* ---- helpers ---- */

static zf__expr_diag diag;

static zf_code compile(zf__program *p, const char *src, zf_type expect) {
    memset(p, 0, sizeof *p);
    facts[0] = '\0';
    return zf__expr_compile(p, src, strlen(src), &scope, expect, &diag);
}

#define compile_ok(p, src, expect)                                                       \
    do {                                                                                 \
        zf_code rc_ = compile((p), (src), (expect));                                     \
        ck_assert_msg(rc_ == ZF_OK, "'%.60s': %s at %d", (src), diag.message,            \
                      diag.offset);                                                      \
    } while (0)

/* Compile, evaluate, free; the value must not point into the program (no strings). */
static zf_value eval(const char *src) {
    zf__program p;
    zf_value v;
    zf_error err;
    zf_error_clear(&err);
    compile_ok(&p, src, ZF_TYPE_VOID);
    ck_assert_msg(zf__expr_eval(&p, &ctx, &v, &err) == ZF_OK, "'%.60s': %s", src,
                  err.message);
    zf__expr_free(&p);
    return v;
}

static void check_bool(const char *src, int expected) {
    zf_value v = eval(src);
    ck_assert_msg(v.type == ZF_TYPE_BOOL, "'%s' gives %s", src, zf_type_name(v.type));
    ck_assert_msg(v.as.b == expected, "'%s' gives %d", src, v.as.b);
}

static void check_int(const char *src, zf_type type, int64_t expected) {
    zf_value v = eval(src);
    ck_assert_msg(v.type == type, "'%s' gives %s", src, zf_type_name(v.type));
    ck_assert_msg(v.as.i == expected, "'%.60s' gives %lld, not %lld", src,
                  (long long)v.as.i, (long long)expected);
}

static void check_date(const char *src, const char *expected) {
    zf_value v = eval(src);
    char buf[ZF_DATE_BUFSIZE];
    ck_assert_msg(v.type == ZF_TYPE_DATE, "'%s' gives %s", src, zf_type_name(v.type));
    ck_assert_str_eq(zf_date_format(buf, v.as.date), expected);
}

static void check_dur(const char *src, int n, zf_unit unit) {
    zf_value v = eval(src);
    ck_assert_msg(v.type == ZF_TYPE_DURATION, "'%s' gives %s", src, zf_type_name(v.type));
    ck_assert_int_eq(v.as.dur.n, n);
    ck_assert_int_eq(v.as.dur.unit, unit);
}

static void check_compile_err(const char *src, zf_type expect, zf_code code, int offset,
                              const char *msg) {
    zf__program p;
    zf_code rc = compile(&p, src, expect);
    ck_assert_msg(rc == code, "'%.60s' gives %s (%s)", src, zf_code_name(rc),
                  diag.message);
    ck_assert_int_eq(diag.code, code);
    ck_assert_str_eq(diag.message, msg);
    ck_assert_msg(diag.offset == offset, "'%.60s': offset %d, not %d", src, diag.offset,
                  offset);
    ck_assert_ptr_null(p.code);
}

static void check_eval_err(const char *src, const char *msg) {
    zf__program p;
    zf_value v;
    zf_error err;
    zf_error_clear(&err);
    compile_ok(&p, src, ZF_TYPE_VOID);
    ck_assert_int_eq(zf__expr_eval(&p, &ctx, &v, &err), ZF_EEVAL);
    ck_assert_int_eq(err.code, ZF_EEVAL);
    ck_assert_str_eq(err.message, msg);
    zf__expr_free(&p);
}

/* ---- literals and precedence ---- */

START_TEST(test_expr_literals) {
    zf__program p;
    zf_value v;
    check_bool("true", 1);
    check_bool("false", 0);
    check_int("42", ZF_TYPE_INT, 42);
    check_int("9223372036854775807", ZF_TYPE_INT, INT64_MAX);
    check_int("12.50eur", ZF_TYPE_MONEY, 1250);
    check_int("12.5eur", ZF_TYPE_MONEY, 1250);
    check_int("1442eur", ZF_TYPE_MONEY, 144200);
    check_int("0.05eur", ZF_TYPE_MONEY, 5);
    check_date("2019-01-01", "2019-01-01");
    check_dur("6w", 6, ZF_UNIT_WEEK);
    check_dur("14d", 14, ZF_UNIT_DAY);
    check_dur("3m", 3, ZF_UNIT_MONTH);
    check_dur("1y", 1, ZF_UNIT_YEAR);
    check_dur(" \t\n6w\r\n", 6, ZF_UNIT_WEEK);
    /* dddd-dd-dd is a date; other digit-dash runs are subtraction */
    check_int("2019-1-1", ZF_TYPE_INT, 2017);
    check_int("2019 - 01 - 01", ZF_TYPE_INT, 2017);

    compile_ok(&p, "'hoorzitting'", ZF_TYPE_STRING);
    ck_assert_int_eq(zf__expr_eval(&p, &ctx, &v, NULL), ZF_OK);
    ck_assert_int_eq(v.type, ZF_TYPE_STRING);
    ck_assert_str_eq(v.as.s, "hoorzitting");
    zf__expr_free(&p);
    compile_ok(&p, "\"it's\"", ZF_TYPE_STRING);
    ck_assert_int_eq(zf__expr_eval(&p, &ctx, &v, NULL), ZF_OK);
    ck_assert_str_eq(v.as.s, "it's");
    zf__expr_free(&p);
    compile_ok(&p, "''", ZF_TYPE_STRING);
    ck_assert_int_eq(zf__expr_eval(&p, &ctx, &v, NULL), ZF_OK);
    ck_assert_str_eq(v.as.s, "");
    /* the program keeps its own copy of the source, NUL-terminated */
    ck_assert_str_eq(p.source, "''");
    zf__expr_free(&p);
    ck_assert_ptr_null(p.code);
    zf__expr_free(&p); /* twice is harmless */
    zf__expr_free(NULL);
}
END_TEST

START_TEST(test_expr_precedence) {
    check_int("1 + 2 * 3", ZF_TYPE_INT, 7);
    check_int("(1 + 2) * 3", ZF_TYPE_INT, 9);
    check_int("10 - 4 - 3", ZF_TYPE_INT, 3);
    check_int("100 / 10 / 5", ZF_TYPE_INT, 2);
    check_int("7 / 2", ZF_TYPE_INT, 3);
    check_int("-7 / 2", ZF_TYPE_INT, -3);
    check_int("-7 % 3", ZF_TYPE_INT, -1);
    check_int("-2 * 3", ZF_TYPE_INT, -6);
    check_int("--2", ZF_TYPE_INT, 2);
    check_int("2 - -2", ZF_TYPE_INT, 4);
    check_int("1 + 2 * 3 % 4", ZF_TYPE_INT, 3);
    check_bool("not true or true", 1);
    check_bool("not (true or true)", 0);
    check_bool("true or false and false", 1);
    check_bool("(true or false) and false", 0);
    check_bool("not 1 == 2", 1);
    check_bool("not not true", 1);
    check_bool("1 + 1 == 2 and 2 * 2 == 4", 1);
    check_int("false ? 1 : true ? 2 : 3", ZF_TYPE_INT, 2);
    check_int("true ? false ? 1 : 2 : 3", ZF_TYPE_INT, 2);
    check_int("adviescommissie ? 12 : 6", ZF_TYPE_INT, 12);
}
END_TEST

/* ---- types ---- */

START_TEST(test_expr_types_accepted) {
    zf__program p;
    check_int("aantal + bedrag", ZF_TYPE_MONEY, 144900);
    check_int("bedrag + aantal", ZF_TYPE_MONEY, 144900);
    check_int("bedrag - 1eur", ZF_TYPE_MONEY, 144100);
    check_int("bedrag * 2", ZF_TYPE_MONEY, 288400);
    check_int("2 * bedrag", ZF_TYPE_MONEY, 288400);
    check_int("bedrag / 3", ZF_TYPE_MONEY, 48066); /* cents, truncated */
    check_int("-bedrag", ZF_TYPE_MONEY, -144200);
    check_int("aantal * 3 - 1", ZF_TYPE_INT, 20);
    check_date("bekendgemaakt + 6w", "2026-03-01");
    check_date("6w + bekendgemaakt", "2026-03-01");
    check_date("bekendgemaakt - 1m", "2025-12-18");
    check_date("2026-01-31 + 1m", "2026-02-28");
    check_date("bekendgemaakt + termijn", "2026-03-01");
    check_date("bekendgemaakt + (adviescommissie ? 12w : 6w)", "2026-04-12");
    check_dur("termijn * 2", 12, ZF_UNIT_WEEK);
    check_dur("3 * 14d", 42, ZF_UNIT_DAY);
    check_bool("aantal < bedrag", 1);
    check_bool("bedrag > 1441", 1);
    check_bool("bedrag == 1442", 1);
    check_bool("1442.00eur == bedrag", 1);
    check_bool("bekendgemaakt < today", 1);
    check_bool("bekendgemaakt >= 2026-01-18", 1);
    check_bool("adviescommissie == true", 1);
    check_bool("adviescommissie != true", 0);
    check_bool("omschrijving == 'hoorzitting'", 1);
    check_bool("omschrijving != \"hoorzitting\"", 0);
    check_bool("termijn == 6w", 1);
    check_bool("termijn == 42d", 1);
    check_bool("1y == 12m", 1);
    check_bool("1m == 30d", 0);
    check_bool("1m != 30d", 1);
    check_bool("uitkomst == uitkomst", 1);
    /* int is accepted where money is expected: as whole euros */
    compile_ok(&p, "5", ZF_TYPE_MONEY);
    ck_assert_int_eq(p.type, ZF_TYPE_MONEY);
    zf__expr_free(&p);
    {
        zf_value v;
        compile_ok(&p, "aantal", ZF_TYPE_MONEY);
        ck_assert_int_eq(zf__expr_eval(&p, &ctx, &v, NULL), ZF_OK);
        ck_assert_int_eq(v.type, ZF_TYPE_MONEY);
        ck_assert_int_eq(v.as.i, 700);
        zf__expr_free(&p);
    }
    compile_ok(&p, "event.date <= end(bezwaartermijn)", ZF_TYPE_BOOL);
    ck_assert_int_eq(p.type, ZF_TYPE_BOOL);
    zf__expr_free(&p);
}
END_TEST

START_TEST(test_expr_types_rejected) {
    const zf_type V = ZF_TYPE_VOID;
    const zf_code S = ZF_ESEMANTIC;
    check_compile_err("bekendgemaakt + bekendgemaakt", V, S, 14,
                      "operator '+' cannot combine date and date");
    check_compile_err("today - bekendgemaakt", V, S, 6,
                      "operator '-' cannot combine date and date (use days(a, b))");
    check_compile_err("bedrag * bedrag", V, S, 7,
                      "operator '*' cannot combine money and money");
    check_compile_err("aantal / bedrag", V, S, 7,
                      "operator '/' cannot combine int and money");
    check_compile_err("bedrag % 2", V, S, 7, "operator '%' cannot combine money and int");
    check_compile_err("omschrijving + 1", V, S, 13,
                      "operator '+' cannot combine string and int");
    check_compile_err("6w + 1", V, S, 3, "operator '+' cannot combine duration and int");
    check_compile_err("6w - today", V, S, 3,
                      "operator '-' cannot combine duration and date");
    check_compile_err("termijn * termijn", V, S, 8,
                      "operator '*' cannot combine duration and duration");
    check_compile_err("true < false", V, S, 5,
                      "operator '<' cannot combine bool and bool");
    check_compile_err("6w < 7w", V, S, 3,
                      "operator '<' cannot combine duration and duration");
    check_compile_err("'a' < 'b'", V, S, 4,
                      "operator '<' cannot combine string and string");
    check_compile_err("uitkomst < uitkomst", V, S, 9,
                      "operator '<' cannot combine enumeration 'uitkomst_bezwaar' and "
                      "enumeration 'uitkomst_bezwaar'");
    check_compile_err("uitkomst == kleur", V, S, 9,
                      "operator '==' cannot combine enumeration 'uitkomst_bezwaar' and "
                      "enumeration 'kleur'");
    check_compile_err(
        "uitkomst == omschrijving", V, S, 9,
        "operator '==' cannot combine enumeration 'uitkomst_bezwaar' and string");
    check_compile_err("1 == true", V, S, 2, "operator '==' cannot combine int and bool");
    check_compile_err("today == 6w", V, S, 6,
                      "operator '==' cannot combine date and duration");
    check_compile_err("-today", V, S, 0, "operator '-' cannot be applied to date");
    check_compile_err("-6w", V, S, 0, "operator '-' cannot be applied to duration");
    check_compile_err("not aantal", V, S, 0, "operator 'not' needs bool, got int");
    check_compile_err("1 and true", V, S, 2,
                      "operator 'and' needs bool and bool, got int and bool");
    check_compile_err("true or 'x'", V, S, 5,
                      "operator 'or' needs bool and bool, got bool and string");
    check_compile_err("aantal ? 1 : 2", V, S, 0,
                      "condition before '?' must be bool, got int");
    check_compile_err("true ? 1 : today", V, S, 5,
                      "the branches of '?' have different types: int and date");
    check_compile_err(
        "min(aantal, today)", V, S, 0,
        "'min' needs two ints, amounts, dates or durations, got int and date");
    check_compile_err(
        "max(true, false)", V, S, 0,
        "'max' needs two ints, amounts, dates or durations, got bool and bool");
    check_compile_err("days(today, 1)", V, S, 12,
                      "argument 2 of 'days' must be date, got int");
    check_compile_err("weekday(6w)", V, S, 8,
                      "argument 1 of 'weekday' must be date, got duration");
    check_compile_err("accrued(dwangsom, today, 5)", V, S, 25,
                      "argument 3 of 'accrued' must be date, got int");
    /* with `expect` */
    check_compile_err("bekendgemaakt", ZF_TYPE_INT, S, 0, "type int expected, got date");
    check_compile_err("  (1 + 2)", ZF_TYPE_BOOL, S, 2, "type bool expected, got int");
    check_compile_err("bedrag", ZF_TYPE_INT, S, 0, "type int expected, got money");
}
END_TEST

/* What the compiler tells the checker (zf__expr_scope.fact): reads that no is_set()
 * guards, short-circuit aware; what a true cond proves; literal results; constants. */
static void check_facts(const char *src, zf_type expect, const char *want) {
    zf__program p;
    zf_code rc = compile(&p, src, expect);
    ck_assert_msg(rc == ZF_OK, "'%s': %s", src, diag.message);
    zf__expr_free(&p);
    ck_assert_msg(!strcmp(facts, want), "'%s': facts '%s', expected '%s'", src, facts,
                  want);
}

START_TEST(test_expr_definedness) {
    const zf_type B = ZF_TYPE_BOOL, V = ZF_TYPE_VOID;
    /* leeg (var 9) and event.reden (param 1) may be unset */
    check_facts("leeg < today", B, "unguarded var 9 at 0");
    check_facts("is_set(leeg) and leeg < today", B, "set var 9 at 0");
    check_facts("not is_set(leeg) or leeg > today", B, "");
    check_facts("is_set(leeg) or leeg > today", B, "unguarded var 9 at 16");
    check_facts("leeg > today and is_set(leeg)", B,
                "unguarded var 9 at 0; set var 9 at 0");
    check_facts("is_set(leeg) ? leeg : today", V, "");
    check_facts("is_set(leeg) ? today : leeg", V, "unguarded var 9 at 23");
    check_facts("not is_set(leeg) ? today : leeg", V, "");
    check_facts("(is_set(leeg) and aantal > 1) and leeg < today", B, "set var 9 at 0");
    check_facts("is_set(leeg) and (aantal > 1 or leeg < today)", B, "set var 9 at 0");
    check_facts("aantal > 1 and (is_set(leeg) or leeg < today)", B,
                "unguarded var 9 at 32");
    check_facts("not (not is_set(leeg) or leeg > today)", B, "set var 9 at 0");
    check_facts("(adviescommissie ? is_set(leeg) : is_set(leeg) and aantal > 1) and "
                "leeg > today",
                B, "set var 9 at 0");
    check_facts("(adviescommissie ? is_set(leeg) : aantal > 1) and leeg > today", B,
                "unguarded var 9 at 50");
    check_facts("event.reden == 'x'", B, "unguarded param 1 at 0");
    check_facts("is_set(event.reden) and event.reden != ''", B, "set param 1 at 0");
    check_facts("is_set(event.reden)", B, "set param 1 at 0");
    /* a value that is always set needs no guard */
    check_facts("bekendgemaakt < today and event.ontvangen < today", B, "");
    /* comparisons with literals that a true cond implies */
    check_facts("adviescommissie and uitkomst == 'gegrond'", B,
                "eq var 1 = 1; eq var 5 = 0");
    check_facts("not adviescommissie and uitkomst != 'ongegrond'", B,
                "eq var 1 = 0; ne var 5 = 1");
    check_facts("not (adviescommissie or 'rood' == kleur)", B,
                "eq var 1 = 0; ne var 8 = 0");
    check_facts("adviescommissie or kleur == 'rood'", B, "");
    check_facts("adviescommissie == false", B, "eq var 1 = 0");
    /* literal results and constants */
    check_facts("6w", ZF_TYPE_DURATION, "literal 6w at 0; const");
    check_facts("adviescommissie ? 12w : 0w", ZF_TYPE_DURATION,
                "literal 12w at 18; literal 0w at 24");
    check_facts("2 * 3w", ZF_TYPE_DURATION, "const");
    check_facts("'gegrond'", V, "literal gegrond at 0; const");
    check_facts("adviescommissie ? 'a' : omschrijving", V, "literal (not all) a at 18");
}
END_TEST

START_TEST(test_expr_enum) {
    zf__program p;
    zf_value v;
    check_bool("uitkomst == 'gegrond'", 1);
    check_bool("'ongegrond' == uitkomst", 0);
    check_bool("uitkomst != \"niet_ontvankelijk\"", 1);
    check_bool("kleur == 'groen'", 1);
    check_bool("uitkomst == (adviescommissie ? 'gegrond' : 'ongegrond')", 1);
    check_compile_err(
        "uitkomst == 'gegrnd'", ZF_TYPE_VOID, ZF_ESEMANTIC, 12,
        "'gegrnd' is not a value of enumeration 'uitkomst_bezwaar': 'gegrond', "
        "'ongegrond', 'niet_ontvankelijk'");
    check_compile_err("kleur == (true ? 'rood' : 'blauw')", ZF_TYPE_VOID, ZF_ESEMANTIC,
                      26,
                      "'blauw' is not a value of enumeration 'kleur': 'rood', 'groen'");
    check_compile_err("kleur == 'gegrond'", ZF_TYPE_VOID, ZF_ESEMANTIC, 9,
                      "'gegrond' is not a value of enumeration 'kleur': 'rood', 'groen'");

    /* An assignment to an enum variable: the caller names the enumeration in
     * out->enum_id. */
    memset(&p, 0, sizeof p);
    p.enum_id = 0;
    ck_assert_int_eq(zf__expr_compile(&p, "adviescommissie ? 'ongegrond' : 'gegrond'", 41,
                                      &scope, ZF_TYPE_ENUM, &diag),
                     ZF_OK);
    ck_assert_int_eq(p.type, ZF_TYPE_ENUM);
    ck_assert_int_eq(p.enum_id, 0);
    ck_assert_int_eq(zf__expr_eval(&p, &ctx, &v, NULL), ZF_OK);
    ck_assert_int_eq(v.type, ZF_TYPE_ENUM);
    ck_assert_int_eq(v.enum_index, 1);
    ck_assert_str_eq(v.as.s, "ongegrond");
    zf__expr_free(&p);

    memset(&p, 0, sizeof p);
    p.enum_id = 1;
    ck_assert_int_eq(zf__expr_compile(&p, "'paars'", 7, &scope, ZF_TYPE_ENUM, &diag),
                     ZF_ESEMANTIC);
    ck_assert_str_eq(diag.message,
                     "'paars' is not a value of enumeration 'kleur': 'rood', 'groen'");
    p.enum_id = ZF_NOIDX; /* any enumeration; a bare string cannot be resolved */
    ck_assert_int_eq(zf__expr_compile(&p, "'gegrond'", 9, &scope, ZF_TYPE_ENUM, &diag),
                     ZF_ESEMANTIC);
    ck_assert_str_eq(diag.message, "type enum expected, got string");
    p.enum_id = 1;
    ck_assert_int_eq(zf__expr_compile(&p, "uitkomst", 8, &scope, ZF_TYPE_ENUM, &diag),
                     ZF_ESEMANTIC);
    ck_assert_str_eq(
        diag.message,
        "type enumeration 'kleur' expected, got enumeration 'uitkomst_bezwaar'");
    p.enum_id = 1;
    ck_assert_int_eq(zf__expr_compile(&p, "kleur", 5, &scope, ZF_TYPE_ENUM, &diag),
                     ZF_OK);
    ck_assert_int_eq(zf__expr_eval(&p, &ctx, &v, NULL), ZF_OK);
    ck_assert_str_eq(v.as.s, "groen");
    ck_assert_int_eq(v.enum_index, 1);
    zf__expr_free(&p);
}
END_TEST

/* ---- names and functions ---- */

START_TEST(test_expr_names) {
    check_date("today", "2026-02-24");
    check_date("event.date", "2026-02-23");
    check_date("event.ontvangen", "2026-02-20");
    check_int("event.boete * 2", ZF_TYPE_MONEY, 10000);
    check_bool("be\xc3\xabindigd", 0);
    check_bool("is_set(aantal)", 1);
    check_bool("is_set(leeg)", 0);
    check_bool("is_set(event.reden)", 0);
    check_bool("is_set(event.ontvangen)", 1);
    check_bool("is_set(leeg) and leeg < today", 0);
    check_compile_err("is_set(event.date)", ZF_TYPE_VOID, ZF_ESEMANTIC, 7,
                      "event.date is always set");
    check_compile_err("is_set(1)", ZF_TYPE_VOID, ZF_EPARSE, 7,
                      "'is_set' takes the name of a variable, got '1'");
    /* a variable may share its name with a function */
    check_compile_err("end", ZF_TYPE_VOID, ZF_ESEMANTIC, 0, "unknown variable 'end'");
}
END_TEST

START_TEST(test_expr_functions) {
    check_date("end(bezwaartermijn)", "2026-03-02");
    check_date("start( bezwaartermijn )", "2026-01-19");
    check_bool("running(bezwaartermijn)", 1);
    check_bool("running(beslistermijn)", 0);
    check_bool("expired(bezwaartermijn)", 0);
    check_bool("extended(beslistermijn)", 1);
    check_bool("suspended(beslistermijn)", 1);
    check_bool("suspended(bezwaartermijn)", 0);
    check_bool("running(nooit)", 0);
    check_bool("in(ontvangen)", 1);
    check_bool("in(behandeling)", 0);
    check_bool("event.date <= end(bezwaartermijn) and not extended(beslistermijn)", 0);
    check_bool("event.date <= end(bezwaartermijn) and not extended(bezwaartermijn)", 1);
    check_int("days(2026-01-01, 2026-02-01)", ZF_TYPE_INT, 31);
    check_int("days(2026-02-01, 2026-01-01)", ZF_TYPE_INT, -31);
    check_int("days(today, today)", ZF_TYPE_INT, 0);
    check_int("weekday(2026-01-01)", ZF_TYPE_INT, 4); /* a Thursday */
    check_int("weekday(2026-01-04)", ZF_TYPE_INT, 7);
    check_int("min(3, 4)", ZF_TYPE_INT, 3);
    check_int("max(3, 4)", ZF_TYPE_INT, 4);
    check_int("min(bedrag, 2000)", ZF_TYPE_MONEY, 144200);
    check_int("max(1, 0.50eur)", ZF_TYPE_MONEY, 100);
    check_date("min(today, bekendgemaakt)", "2026-01-18");
    check_date("max(today, bekendgemaakt)", "2026-02-24");
    check_dur("min(6w, 41d)", 41, ZF_UNIT_DAY);
    check_dur("max(6w, 41d)", 6, ZF_UNIT_WEEK);
    check_dur("max(1y, 13m)", 13, ZF_UNIT_MONTH);
    check_eval_err("min(termijn, 1m)", "durations 6w and 1m cannot be compared in "
                                       "'min(termijn, 1m)'");
}
END_TEST

START_TEST(test_expr_workdays) {
    /* (a, b]: the day of the act does not count; calendar none: every day works */
    check_int("workdays(2026-01-02, 2026-01-09)", ZF_TYPE_INT, 7);
    check_int("workdays(2026-01-09, 2026-01-02)", ZF_TYPE_INT, -7);
    check_int("workdays(today, today)", ZF_TYPE_INT, 0);
    ctx.calendar = NULL; /* the Atw calendar: weekends and Nieuwjaarsdag */
    check_int("workdays(2026-01-02, 2026-01-09)", ZF_TYPE_INT, 5);
    /* 2 January 2026 is equated to a holiday (Atw art 3 lid 3, Stcrt. 2025, 24713) */
    check_int("workdays(2025-12-31, 2026-01-02)", ZF_TYPE_INT, 0);
    check_int("workdays(2025-12-30, 2026-01-05)", ZF_TYPE_INT, 2);
    check_int("workdays(2026-01-05, 2025-12-30)", ZF_TYPE_INT, -2);
}
END_TEST

/* Awb 4:17: 14 days at each of three amounts, at most 42 days. */
START_TEST(test_expr_accrued) {
    int64_t cents = -1;
    ck_assert_int_eq(zf__rates_accrued(&rates[0], D("2019-01-01"), D("2019-01-01"),
                                       D("2019-02-11"), &cents),
                     0);
    ck_assert_int_eq(cents, 144200);
    ck_assert_int_eq(zf__rates_accrued(&rates[0], D("2018-06-01"), D("2018-06-01"),
                                       D("2018-07-12"), &cents),
                     0);
    ck_assert_int_eq(cents, 126000);
    ck_assert_int_eq(zf__rates_accrued(&rates[0], D("2009-09-30"), D("2009-09-30"),
                                       D("2009-10-30"), &cents),
                     -1);
    ck_assert_int_eq(zf__rates_accrued(&rates[0], D("2019-01-01"), D("2019-01-02"),
                                       D("2019-01-01"), &cents),
                     0);
    ck_assert_int_eq(cents, 0);

    check_int("accrued(dwangsom, 2019-01-01, 2019-02-11)", ZF_TYPE_MONEY, 144200);
    check_int("accrued(dwangsom, 2018-06-01, 2018-07-12)", ZF_TYPE_MONEY, 126000);
    check_int("accrued(dwangsom, 2019-03-01, 2019-03-10)", ZF_TYPE_MONEY, 23000);
    check_int("accrued(dwangsom, 2019-03-01, 2019-03-20)", ZF_TYPE_MONEY, 53200);
    check_int("accrued(dwangsom, 2019-03-01, 2019-12-31)", ZF_TYPE_MONEY, 144200);
    check_int("accrued(dwangsom, 2019-03-01, 2019-03-01)", ZF_TYPE_MONEY, 2300);
    /* the version in force on `asof` applies, not the one of the days counted */
    check_int("accrued(dwangsom, 2019-01-01, 2019-01-10, 2018-12-31)", ZF_TYPE_MONEY,
              20000);
    check_int("accrued(dwangsom, 2018-12-25, 2019-01-03)", ZF_TYPE_MONEY, 20000);
    check_int("accrued(dwangsom, event.ontvangen, event.date)", ZF_TYPE_MONEY, 4 * 2300);
    check_eval_err("accrued(dwangsom, 2000-01-01, 2000-02-01)",
                   "no rate of 'dwangsom' applies on 2000-01-01 in "
                   "'accrued(dwangsom, 2000-01-01, 2000-02-01)'");
}
END_TEST

/* ---- evaluation ---- */

START_TEST(test_expr_short_circuit) {
    check_bool("false and 1 / 0 == 1", 0);
    check_bool("true or 1 / 0 == 1", 1);
    check_int("true ? 1 : 1 / 0", ZF_TYPE_INT, 1);
    check_int("false ? 1 / 0 : 2", ZF_TYPE_INT, 2);
    check_bool("is_set(leeg) and leeg > today", 0);
    check_bool("not is_set(leeg) or leeg > today", 1);
    check_bool("false and false or true", 1);
    check_bool("true and (false or true) and true", 1);
    check_eval_err("true and 1 / 0 == 1", "division by zero in 'true and 1 / 0 == 1'");
    check_eval_err("false or 1 / 0 == 1", "division by zero in 'false or 1 / 0 == 1'");
}
END_TEST

START_TEST(test_expr_runtime_errors) {
    char src[400];
    check_eval_err("9223372036854775807 + 1", "overflow in '9223372036854775807 + 1'");
    check_eval_err("-9223372036854775807 - 2", "overflow in '-9223372036854775807 - 2'");
    check_eval_err("-(-9223372036854775807 - 1)",
                   "overflow in '-(-9223372036854775807 - 1)'");
    check_eval_err("4611686018427387904 * 2", "overflow in '4611686018427387904 * 2'");
    check_eval_err("(-9223372036854775807 - 1) / -1",
                   "overflow in '(-9223372036854775807 - 1) / -1'");
    check_int("(-9223372036854775807 - 1) % -1", ZF_TYPE_INT, 0);
    check_eval_err("92233720368547759 + 0eur", "overflow in '92233720368547759 + 0eur'");
    check_eval_err("aantal / 0", "division by zero in 'aantal / 0'");
    check_eval_err("aantal % (aantal - 7)",
                   "division by zero in 'aantal % (aantal - 7)'");
    check_eval_err("bedrag / 0", "division by zero in 'bedrag / 0'");
    check_eval_err("leeg <= today", "variable 'leeg' is not set in 'leeg <= today'");
    check_eval_err("event.reden == 'x'", "parameter 'event.reden' is not set in "
                                         "'event.reden == 'x''");
    check_eval_err("end(nooit) < today",
                   "term 'nooit' has not started in 'end(nooit) < today'");
    check_eval_err("start(nooit)", "term 'nooit' has not started in 'start(nooit)'");
    check_eval_err("running(vergeten)", "term 'vergeten' is not known here in "
                                        "'running(vergeten)'");
    check_eval_err("in(vergeten)",
                   "state 'vergeten' is not known here in 'in(vergeten)'");
    check_eval_err("9999-12-31 + 1d", "date out of range in '9999-12-31 + 1d'");
    check_eval_err("0001-01-01 - 1y", "date out of range in '0001-01-01 - 1y'");
    check_eval_err("6w * 100000", "duration out of range in '6w * 100000'");
    check_eval_err("-1 * 6w", "duration out of range in '-1 * 6w'");
    check_eval_err("weekday(today - 1d) + 1 / 0", "division by zero in "
                                                  "'weekday(today - 1d) + 1 / 0'");

    /* the host stored a value of the wrong type */
    var_values[V_AANTAL] = zf_value_date(D("2026-01-01"));
    check_eval_err("aantal + 1", "variable 'aantal' holds date, not int in 'aantal + 1'");
    setup();

    /* no event: event.date and parameters are unavailable */
    ctx.event_date = ZF_DATE_NONE;
    check_eval_err("event.date < today", "event.date is not set in 'event.date < today'");
    ctx.params = NULL;
    check_eval_err(
        "event.ontvangen < today",
        "parameter 'event.ontvangen' is not available in 'event.ontvangen < today'");
    check_bool("is_set(event.ontvangen)", 0);
    ctx.term = NULL;
    check_eval_err("running(bezwaartermijn)",
                   "term 'bezwaartermijn' is not known here in "
                   "'running(bezwaartermijn)'");
    ctx.rates = NULL;
    check_eval_err("accrued(dwangsom, today, today)",
                   "rate tables are not available in 'accrued(dwangsom, today, today)'");
    ctx.today = ZF_DATE_NONE;
    check_eval_err("today", "today is not set in 'today'");

    /* a long expression is cut in the message */
    memset(src, 0, sizeof src);
    strcpy(src, "aantal / 0");
    for (int i = 0; i < 30; i++)
        strcat(src, " + 1234");
    check_eval_err(src,
                   "division by zero in 'aantal / 0 + 1234 + 1234 + 1234 + 1234 + 1234 + "
                   "1234 + 1234 + 1234 + 1234 + 1234 + 1234 + 1234 + ...'");
}
END_TEST

/* ---- compile errors ---- */

START_TEST(test_expr_compile_errors) {
    const zf_type V = ZF_TYPE_VOID;
    const zf_code P = ZF_EPARSE, S = ZF_ESEMANTIC;
    check_compile_err("bekendmaakt <= today", V, S, 0, "unknown variable 'bekendmaakt'");
    /* offsets count characters: ë is two bytes but one character */
    check_compile_err("be\xc3\xabindigd and bekendmaakt", V, S, 14,
                      "unknown variable 'bekendmaakt'");
    check_compile_err("'be\xc3\xabindiging ' == bekendmaakt", V, S, 18,
                      "unknown variable 'bekendmaakt'");
    check_compile_err(
        "end(bezwaartermijn", V, P, 18,
        "expected ')' to close 'end(' at character 4, got end of expression");
    check_compile_err("end(bezwaartermijn x", V, P, 19,
                      "expected ')' to close 'end(' at character 4, got 'x'");
    check_compile_err("end(bezwaartermijn, 1)", V, P, 18, "'end' takes 1 argument");
    check_compile_err("end()", V, P, 4, "'end' takes 1 argument");
    check_compile_err("end(1)", V, P, 4, "'end' takes the name of a term, got '1'");
    check_compile_err("end(onbekend)", V, S, 4, "unknown term 'onbekend'");
    check_compile_err("in(nergens)", V, S, 3, "unknown state 'nergens'");
    check_compile_err("accrued(boete, today, today)", V, S, 8,
                      "unknown rate table 'boete'");
    check_compile_err("accrued(dwangsom, today)", V, P, 23,
                      "'accrued' takes at least 3 arguments");
    check_compile_err("accrued(dwangsom)", V, P, 16,
                      "'accrued' takes at least 3 arguments");
    check_compile_err("accrued(dwangsom, today, today, today, today)", V, P, 37,
                      "'accrued' takes at most 4 arguments");
    check_compile_err("days(today)", V, P, 10, "'days' takes 2 arguments");
    check_compile_err(
        "days(today today)", V, P, 11,
        "expected ',' or ')' in the arguments of 'days(' at character 5, got "
        "'today'");
    check_compile_err("foo(1)", V, S, 0, "unknown function 'foo'");
    check_compile_err("event.ontvangst < today", V, S, 0,
                      "'event.ontvangst' is not a parameter of this event");
    check_compile_err("event", V, P, 5,
                      "expected '.' after 'event', got end of expression");
    check_compile_err("event.1", V, P, 6, "expected a name after 'event.', got '1'");
    scope.event_allowed = 0;
    check_compile_err("today < event.date", V, S, 8, "event.* is not available here");
    check_compile_err("is_set(event.ontvangen)", V, S, 7,
                      "event.* is not available here");
    scope.event_allowed = 1;
    check_compile_err("", V, P, 0, "expression is empty");
    check_compile_err("   ", V, P, 0, "expression is empty");
    check_compile_err("1 +", V, P, 3, "expected a value, got end of expression");
    check_compile_err(
        "(1 + 2", V, P, 6,
        "expected ')' to close the '(' at character 1, got end of expression");
    check_compile_err("a(b", V, S, 0, "unknown function 'a'");
    check_compile_err(
        "aantal > (1 + (2 * 3)", V, P, 21,
        "expected ')' to close the '(' at character 10, got end of expression");
    check_compile_err("(1 + 2))", V, P, 7, "expected end of expression, got ')'");
    check_compile_err("1 2", V, P, 2, "expected end of expression, got '2'");
    check_compile_err("aantal omschrijving", V, P, 7,
                      "expected end of expression, got 'omschrijving'");
    check_compile_err("true ? 1", V, P, 8,
                      "expected ':' in 'cond ? a : b', got end of expression");
    check_compile_err("1 = 2", V, P, 2, "use '==' to compare");
    check_compile_err("!adviescommissie", V, P, 0, "use 'not' instead of '!'");
    check_compile_err("true && true", V, P, 5, "use 'and' instead of '&'");
    check_compile_err("true || true", V, P, 5, "use 'or' instead of '|'");
    check_compile_err("1 < 2 < 3", V, P, 6, "comparisons do not chain; use 'and'");
    check_compile_err("1 < 2 == true", V, P, 6, "comparisons do not chain; use 'and'");
    check_compile_err(
        "12.50", V, P, 0,
        "a number with decimals is money and needs the suffix 'eur', e.g. 12.50eur");
    check_compile_err("12.505eur", V, P, 0, "money has at most 2 decimals");
    check_compile_err("92233720368547758.08eur", V, P, 0, "money literal is too large");
    check_compile_err("92233720368547759eur", V, P, 0, "money literal is too large");
    check_compile_err("1 + 12x", V, P, 4, "invalid number '12x'");
    check_compile_err("12 eur", V, P, 3, "expected end of expression, got 'eur'");
    check_compile_err("2026-02-30", V, P, 0, "no such date 2026-02-30");
    check_compile_err("100000d", V, P, 0, "duration is too long (at most 99999)");
    check_compile_err("9223372036854775808", V, P, 0, "integer literal is too large");
    check_compile_err("'abc", V, P, 0, "unterminated string");
    check_compile_err("1 # 2", V, P, 2, "unexpected character '#'");
    check_compile_err("1 \x01", V, P, 2, "unexpected character 0x01");
    check_compile_err("a\xff", V, P, 1, "expression is not valid utf-8");
    check_compile_err("'\xc3\xab' == \xe2\x82", V, P, 7, "expression is not valid utf-8");
    check_compile_err("'\xc0\x80'", V, P, 1, "expression is not valid utf-8");
    check_compile_err("'\xed\xa0\x80'", V, P, 1, "expression is not valid utf-8");

    /* an embedded NUL byte is an error, not the end of the text */
    {
        zf__program p;
        ck_assert_int_eq(zf__expr_compile(&p, "1\0002", 3, &scope, V, &diag), ZF_EPARSE);
        ck_assert_str_eq(diag.message, "unexpected character 0x00");
        ck_assert_int_eq(diag.offset, 1);
        /* only `len` bytes are read: the text need not be NUL-terminated */
        ck_assert_int_eq(zf__expr_compile(&p, "1 + 2 junk", 5, &scope, V, &diag), ZF_OK);
        ck_assert_int_eq(p.type, ZF_TYPE_INT);
        ck_assert_str_eq(p.source, "1 + 2");
        zf__expr_free(&p);
        ck_assert_int_eq(zf__expr_compile(NULL, "1", 1, &scope, V, &diag), ZF_EINVAL);
        ck_assert_int_eq(zf__expr_compile(&p, "1", 1, NULL, V, &diag), ZF_EINVAL);
        ck_assert_int_eq(zf__expr_compile(&p, "1", 1, &scope, V, NULL), ZF_OK);
        zf__expr_free(&p);
        ck_assert_int_eq(zf__expr_compile(&p, "1 +", 3, &scope, V, NULL), ZF_EPARSE);
    }
}
END_TEST

START_TEST(test_expr_limits) {
    static char src[100001];
    zf__program p;
    size_t i;

    /* too long: counted in characters, not bytes */
    strcpy(src, " 1");
    for (i = 0; i < (ZF_EXPR_MAX_LEN - 2) / 2; i++)
        strcat(src + 2 * i, "+1");
    ck_assert_int_eq(strlen(src), ZF_EXPR_MAX_LEN);
    check_int(src, ZF_TYPE_INT, ZF_EXPR_MAX_LEN / 2);
    strcat(src, " ");
    check_compile_err(src, ZF_TYPE_VOID, ZF_EPARSE, ZF_EXPR_MAX_LEN,
                      "expression is too long");
    memset(src, '(', 100000);
    src[100000] = '\0';
    check_compile_err(src, ZF_TYPE_VOID, ZF_EPARSE, ZF_EXPR_MAX_LEN,
                      "expression is too long");
    strcpy(src, "'");
    for (i = 0; i < ZF_EXPR_MAX_LEN - 2; i++)
        strcat(src + 2 * i, "\xc3\xab"); /* 4094 characters, 8188 bytes */
    strcat(src, "'");
    compile_ok(&p, src, ZF_TYPE_STRING);
    zf__expr_free(&p);

    /* nesting is capped long before the C stack is at risk */
    memset(src, 0, sizeof src);
    for (i = 0; i < 100; i++)
        src[i] = '(';
    src[i++] = '1';
    for (; i < 201; i++)
        src[i] = ')';
    check_compile_err(src, ZF_TYPE_VOID, ZF_EPARSE, 64, "expression nests too deeply");
    memset(src, 0, sizeof src);
    for (i = 0; i < 2000; i++)
        strcat(src, "-");
    strcat(src, "1");
    check_compile_err(src, ZF_TYPE_VOID, ZF_EPARSE, 63, "expression nests too deeply");
    memset(src, 0, sizeof src);
    for (i = 0; i < 1000; i++)
        strcat(src, "not ");
    strcat(src, "true");
    check_compile_err(src, ZF_TYPE_VOID, ZF_EPARSE, 252, "expression nests too deeply");
    memset(src, 0, sizeof src);
    for (i = 0; i < 200; i++)
        strcat(src, "true?");
    check_compile_err(src, ZF_TYPE_VOID, ZF_EPARSE, 320, "expression nests too deeply");
    /* 60 levels of parentheses are fine */
    memset(src, 0, sizeof src);
    for (i = 0; i < 60; i++)
        strcat(src, "(");
    strcat(src, "1");
    for (i = 0; i < 60; i++)
        strcat(src, ")");
    check_int(src, ZF_TYPE_INT, 1);

    /* the VM stack: 1 + (1 + (1 + ...)) needs one slot per level */
    memset(src, 0, sizeof src);
    for (i = 0; i < 31; i++)
        strcat(src, "1 + (");
    strcat(src, "1");
    for (i = 0; i < 31; i++)
        strcat(src, ")");
    check_int(src, ZF_TYPE_INT, 32);
    compile_ok(&p, src, ZF_TYPE_INT);
    ck_assert_int_eq(p.max_stack, ZF_EXPR_MAX_STACK);
    zf__expr_free(&p);
    memset(src, 0, sizeof src);
    for (i = 0; i < 32; i++)
        strcat(src, "1 + (");
    strcat(src, "1");
    for (i = 0; i < 32; i++)
        strcat(src, ")");
    check_compile_err(src, ZF_TYPE_VOID, ZF_EPARSE, 159, "expression is too complex");
    /* a long flat chain needs little stack */
    memset(src, 0, sizeof src);
    strcat(src, "0");
    for (i = 0; i < 800; i++)
        strcat(src, " + 1");
    check_int(src, ZF_TYPE_INT, 800);
}
END_TEST

/* ---- memory ---- */

static const char *const guards[] = {
    "event.date <= end(bezwaartermijn) and not extended(beslistermijn)",
    "uitkomst == 'gegrond' or omschrijving == 'x'",
    "accrued(dwangsom, bekendgemaakt, event.date) > 100eur",
};

START_TEST(test_expr_alloc_failure) {
    for (size_t g = 0; g < ZF__ARRAY_SIZE(guards); g++) {
        long n;
        for (n = 0;; n++) {
            zf__program p;
            zf_code rc;
            th_alloc_fail_at(n);
            rc = compile(&p, guards[g], ZF_TYPE_BOOL);
            if (!th_alloc_failed()) {
                ck_assert_int_eq(rc, ZF_OK);
                zf__expr_free(&p);
                ck_assert_int_eq(th_alloc_live(), 0);
                break;
            }
            ck_assert_int_eq(rc, ZF_ENOMEM);
            ck_assert_ptr_null(p.code);
            ck_assert_int_eq(th_alloc_live(), 0);
        }
        ck_assert_int_eq(n, 2); /* the AST and the program */
        th_alloc_reset();
    }
    /* a syntax error frees the AST too */
    {
        zf__program p;
        th_alloc_fail_at(-1);
        ck_assert_int_eq(compile(&p, "1 + (", ZF_TYPE_VOID), ZF_EPARSE);
        ck_assert_int_eq(th_alloc_live(), 0);
        th_alloc_reset();
    }
}
END_TEST

START_TEST(test_expr_eval_no_alloc) {
    zf__program p;
    zf_value v;
    zf_error err;
    for (size_t g = 0; g < ZF__ARRAY_SIZE(guards); g++) {
        compile_ok(&p, guards[g], ZF_TYPE_BOOL);
        th_alloc_fail_at(0);
        ck_assert_int_eq(zf__expr_eval(&p, &ctx, &v, NULL), ZF_OK);
        ck_assert_int_eq(th_alloc_count(), 0);
        th_alloc_reset();
        zf__expr_free(&p);
    }
    /* the error path does not allocate either */
    compile_ok(&p, "aantal / 0 == 1", ZF_TYPE_BOOL);
    zf_error_clear(&err);
    th_alloc_fail_at(0);
    ck_assert_int_eq(zf__expr_eval(&p, &ctx, &v, &err), ZF_EEVAL);
    ck_assert_int_eq(th_alloc_count(), 0);
    th_alloc_reset();
    zf__expr_free(&p);
    ck_assert_int_eq(zf__expr_eval(&p, &ctx, &v, &err), ZF_EINVAL);
}
END_TEST

/* The size column of expr_op.h's table is the sum of each layout's letters, and the
 * named operand offsets fall inside their instructions. */
START_TEST(test_expr_op_layout) {
    for (unsigned opc = 0; opc < ZF_OP__COUNT; opc++) {
        const char *layout = zf__op_layout(opc);
        ck_assert_ptr_nonnull(layout);
        ck_assert_int_eq(zf__op_len[opc], 1 + zf__op_operand_size(layout));
    }
    ck_assert_ptr_null(zf__op_layout(ZF_OP__COUNT));
    ck_assert_int_eq(ZF__ARG_SLOT_NAME + ZF__N, ZF_OPLEN_VAR);
    ck_assert_int_eq(ZF__ARG_SLOT_NAME + ZF__N, ZF_OPLEN_PARAM);
    ck_assert_int_eq(ZF__ARG_TERM_NAME + ZF__N, ZF_OPLEN_TERM);
    ck_assert_int_eq(ZF__ARG_HN_NAME + ZF__N, ZF_OPLEN_IN);
    ck_assert_int_eq(ZF__ARG_HN_NAME + ZF__N, ZF_OPLEN_ACCRUED4);
    ck_assert_int_eq(ZF__ARG_ENUM_NAME + ZF__S, ZF_OPLEN_ENUM);
    ck_assert_int_eq(ZF__ARG_DUR_UNIT + 1, ZF_OPLEN_DUR);
    ck_assert_int_eq(ZF__ARG_JUMP + ZF__J, ZF_OPLEN_JMP);
}
END_TEST

START_TEST(test_expr_disasm) {
    zf__program p;
    zf_buf buf = ZF_BUF_INIT;
    compile_ok(&p, "1 + 2", ZF_TYPE_INT);
    ck_assert_int_eq(zf__expr_disasm(&p, &buf), ZF_OK);
    ck_assert_str_eq(buf.ptr, "0000 int 1\n0009 int 2\n0018 add\n0019 ret\n");
    ck_assert_int_eq(p.max_stack, 2);
    zf__expr_free(&p);
    zf_buf_clear(&buf);

    compile_ok(&p, "event.date <= end(bezwaartermijn) and not extended(beslistermijn)",
               ZF_TYPE_BOOL);
    ck_assert_int_eq(zf__expr_disasm(&p, &buf), ZF_OK);
    ck_assert_str_eq(buf.ptr, "0000 evdate\n"
                              "0001 term 0 0 ; bezwaartermijn\n"
                              "0007 le\n"
                              "0008 jf_keep 18\n"
                              "0011 term 4 1 ; beslistermijn\n"
                              "0017 not\n"
                              "0018 ret\n");
    zf__expr_free(&p);
    zf_buf_clear(&buf);

    compile_ok(&p, "uitkomst == 'gegrond' and today + 6w > 2019-01-01 and aantal > 1eur",
               ZF_TYPE_BOOL);
    ck_assert_int_eq(zf__expr_disasm(&p, &buf), ZF_OK);
    ck_assert_ptr_nonnull(strstr(buf.ptr, "enum 0 \"gegrond\""));
    ck_assert_ptr_nonnull(strstr(buf.ptr, "dur 6w"));
    ck_assert_ptr_nonnull(strstr(buf.ptr, "date 2019-01-01"));
    ck_assert_ptr_nonnull(strstr(buf.ptr, "var 2 2 ; aantal\n"));
    ck_assert_ptr_nonnull(strstr(buf.ptr, "tomoney"));
    zf__expr_free(&p);
    zf_buf_dispose(&buf);
}
END_TEST

/* ---- values ---- */

static void check_format(zf_value v, const char *expected) {
    zf_buf buf = ZF_BUF_INIT;
    ck_assert_int_eq(zf_value_format(&buf, &v, NULL), ZF_OK);
    ck_assert_str_eq(buf.ptr, expected);
    zf_buf_dispose(&buf);
}

static void check_parse(zf_type type, const char *text, zf_code code, int64_t cents) {
    zf_value v;
    zf_error err;
    zf_error_clear(&err);
    ck_assert_msg(zf_value_parse(&v, type, text, &err) == code, "'%s': %s", text,
                  err.message);
    if (code == ZF_OK && (type == ZF_TYPE_MONEY || type == ZF_TYPE_INT)) {
        ck_assert_int_eq(v.type, type);
        ck_assert_int_eq(v.as.i, cents);
    }
    if (code != ZF_OK)
        ck_assert_int_eq(err.code, code);
}

START_TEST(test_value_format) {
    zf_duration six = {6, ZF_UNIT_WEEK};
    zf_value e = zf_value_void();
    check_format(zf_value_bool(1), "true");
    check_format(zf_value_bool(0), "false");
    check_format(zf_value_int(-42), "-42");
    check_format(zf_value_money(144200), "1442.00");
    check_format(zf_value_money(5), "0.05");
    check_format(zf_value_money(-50), "-0.50");
    check_format(zf_value_money(-300), "-3.00");
    check_format(zf_value_money(INT64_MIN), "-92233720368547758.08");
    check_format(zf_value_money(INT64_MAX), "92233720368547758.07");
    check_format(zf_value_date(D("2026-05-18")), "2026-05-18");
    check_format(zf_value_date(ZF_DATE_NONE), "(invalid date)");
    check_format(zf_value_duration(six), "6w");
    check_format(zf_value_string("bezwaar"), "bezwaar");
    check_format(zf_value_string(NULL), "");
    check_format(zf_value_void(), "");
    e.type = ZF_TYPE_ENUM;
    e.as.s = "gegrond";
    check_format(e, "gegrond");
    e.as.s = NULL;
    e.enum_index = 2;
    check_format(e, "#2");
    ck_assert_int_eq(zf_value_format(NULL, &e, NULL), ZF_EINVAL);
    ck_assert_str_eq(zf_type_name(ZF_TYPE_VOID), "void");
    ck_assert_str_eq(zf_type_name(ZF_TYPE_BOOL), "bool");
    ck_assert_str_eq(zf_type_name(ZF_TYPE_INT), "int");
    ck_assert_str_eq(zf_type_name(ZF_TYPE_MONEY), "money");
    ck_assert_str_eq(zf_type_name(ZF_TYPE_DATE), "date");
    ck_assert_str_eq(zf_type_name(ZF_TYPE_DURATION), "duration");
    ck_assert_str_eq(zf_type_name(ZF_TYPE_STRING), "string");
    ck_assert_str_eq(zf_type_name(ZF_TYPE_ENUM), "enum");
    ck_assert_str_eq(zf_type_name((zf_type)99), "unknown");
}
END_TEST

START_TEST(test_value_parse) {
    zf_value v;
    zf_error err;
    check_parse(ZF_TYPE_MONEY, "1442.00", ZF_OK, 144200);
    check_parse(ZF_TYPE_MONEY, "12", ZF_OK, 1200);
    check_parse(ZF_TYPE_MONEY, "12.5", ZF_OK, 1250);
    check_parse(ZF_TYPE_MONEY, "12.50", ZF_OK, 1250);
    check_parse(ZF_TYPE_MONEY, "-3.00", ZF_OK, -300);
    check_parse(ZF_TYPE_MONEY, "-0.50", ZF_OK, -50);
    check_parse(ZF_TYPE_MONEY, "0.05", ZF_OK, 5);
    check_parse(ZF_TYPE_MONEY, "92233720368547758.07", ZF_OK, INT64_MAX);
    check_parse(ZF_TYPE_MONEY, "-92233720368547758.08", ZF_OK, INT64_MIN);
    check_parse(ZF_TYPE_MONEY, "92233720368547758.08", ZF_ERANGE, 0);
    check_parse(ZF_TYPE_MONEY, "99999999999999999999", ZF_ERANGE, 0);
    check_parse(ZF_TYPE_MONEY, "12.505", ZF_EPARSE, 0);
    check_parse(ZF_TYPE_MONEY, "12.", ZF_EPARSE, 0);
    check_parse(ZF_TYPE_MONEY, ".5", ZF_EPARSE, 0);
    check_parse(ZF_TYPE_MONEY, "", ZF_EPARSE, 0);
    check_parse(ZF_TYPE_MONEY, "-", ZF_EPARSE, 0);
    check_parse(ZF_TYPE_MONEY, "12,50", ZF_EPARSE, 0);
    check_parse(ZF_TYPE_MONEY, " 12", ZF_EPARSE, 0);
    check_parse(ZF_TYPE_INT, "-42", ZF_OK, -42);
    check_parse(ZF_TYPE_INT, "9223372036854775807", ZF_OK, INT64_MAX);
    check_parse(ZF_TYPE_INT, "-9223372036854775808", ZF_OK, INT64_MIN);
    check_parse(ZF_TYPE_INT, "9223372036854775808", ZF_ERANGE, 0);
    check_parse(ZF_TYPE_INT, "4x", ZF_EPARSE, 0);
    check_parse(ZF_TYPE_INT, "", ZF_EPARSE, 0);
    check_parse(ZF_TYPE_BOOL, "maybe", ZF_EPARSE, 0);
    check_parse(ZF_TYPE_DATE, "2026-02-30", ZF_ERANGE, 0);
    check_parse(ZF_TYPE_DURATION, "6x", ZF_EPARSE, 0);
    zf_error_clear(&err);
    ck_assert_int_eq(zf_value_parse(&v, ZF_TYPE_MONEY, "12.505", &err), ZF_EPARSE);
    ck_assert_str_eq(err.message, "amount '12.505' has more than 2 decimals");
    ck_assert_int_eq(zf_value_parse(&v, ZF_TYPE_BOOL, "true", NULL), ZF_OK);
    ck_assert_int_eq(v.type, ZF_TYPE_BOOL);
    ck_assert_int_eq(v.as.b, 1);
    ck_assert_int_eq(zf_value_parse(&v, ZF_TYPE_BOOL, "false", NULL), ZF_OK);
    ck_assert_int_eq(v.as.b, 0);
    ck_assert_int_eq(zf_value_parse(&v, ZF_TYPE_DATE, "2026-05-18", NULL), ZF_OK);
    ck_assert_int_eq(v.type, ZF_TYPE_DATE);
    ck_assert_int_eq(v.as.date, D("2026-05-18"));
    ck_assert_int_eq(zf_value_parse(&v, ZF_TYPE_DURATION, "14d", NULL), ZF_OK);
    ck_assert_int_eq(v.as.dur.n, 14);
    ck_assert_int_eq(v.as.dur.unit, ZF_UNIT_DAY);
    ck_assert_int_eq(zf_value_parse(&v, ZF_TYPE_STRING, "vrij", NULL), ZF_OK);
    ck_assert_str_eq(v.as.s, "vrij");
    ck_assert_int_eq(zf_value_parse(&v, ZF_TYPE_ENUM, "gegrond", NULL), ZF_OK);
    ck_assert_int_eq(v.type, ZF_TYPE_ENUM);
    ck_assert_str_eq(v.as.s, "gegrond");
    ck_assert_int_eq(zf_value_parse(&v, ZF_TYPE_VOID, "x", NULL), ZF_EINVAL);
    ck_assert_int_eq(zf_value_parse(NULL, ZF_TYPE_INT, "1", NULL), ZF_EINVAL);
    ck_assert_int_eq(zf_value_parse(&v, ZF_TYPE_INT, NULL, NULL), ZF_EINVAL);
    /* round trip */
    {
        zf_buf buf = ZF_BUF_INIT;
        ck_assert_int_eq(zf_value_parse(&v, ZF_TYPE_MONEY, "-1442.05", NULL), ZF_OK);
        ck_assert_int_eq(zf_value_format(&buf, &v, NULL), ZF_OK);
        ck_assert_str_eq(buf.ptr, "-1442.05");
        zf_buf_dispose(&buf);
    }
}
END_TEST

static Suite *expr_suite(void) {
    Suite *s = suite_create("expr");
    TCase *tc = tcase_create("lang");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_expr_literals);
    tcase_add_test(tc, test_expr_precedence);
    tcase_add_test(tc, test_expr_types_accepted);
    tcase_add_test(tc, test_expr_types_rejected);
    tcase_add_test(tc, test_expr_enum);
    tcase_add_test(tc, test_expr_definedness);
    tcase_add_test(tc, test_expr_names);
    tcase_add_test(tc, test_expr_functions);
    tcase_add_test(tc, test_expr_workdays);
    tcase_add_test(tc, test_expr_accrued);
    tcase_add_test(tc, test_expr_short_circuit);
    tcase_add_test(tc, test_expr_runtime_errors);
    tcase_add_test(tc, test_expr_compile_errors);
    tcase_add_test(tc, test_expr_limits);
    tcase_add_test(tc, test_expr_alloc_failure);
    tcase_add_test(tc, test_expr_eval_no_alloc);
    tcase_add_test(tc, test_expr_disasm);
    tcase_add_test(tc, test_expr_op_layout);
    suite_add_tcase(s, tc);
    tc = tcase_create("value");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_value_format);
    tcase_add_test(tc, test_value_parse);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) {
    return th_run(expr_suite());
}
