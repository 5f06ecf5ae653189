/*
 * The expression VM: a switch over one-byte opcodes with a fixed stack of
 * values on the C stack. Types were checked when the expression was compiled,
 * so the VM only checks what can go wrong at run time: overflow, division by
 * zero, unset values, dates out of range and terms that have not started.
 * It never allocates: a guard runs on every event.
 */
#include "expr.h"
#include "expr_op.h"

#include <stdio.h>
#include <string.h>

/* Copy the name that starts at byte `off` of the source, for messages. */
static const char *name_at(const zf__program *p, unsigned off, unsigned idx, char *buf,
                           size_t cap) {
    size_t n = 0;
    if (!p->source) {
        snprintf(buf, cap, "#%u", idx);
        return buf;
    }
    const unsigned char *s = (const unsigned char *)p->source + off;
    while (n + 1 < cap && n < 60 &&
           ((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= 'A' && s[n] <= 'Z') ||
            (s[n] >= '0' && s[n] <= '9') || s[n] == '_' || s[n] >= 0x80)) {
        buf[n] = (char)s[n];
        n++;
    }
    buf[n] = '\0';
    return buf;
}

/* Fill err with "<what> in '<expression>'"; the expression is cut when long. */
static zf_code fail(const zf__program *p, zf_error *err, const char *fmt, ...)
    ZF__PRINTF(3, 4);

static zf_code fail(const zf__program *p, zf_error *err, const char *fmt, ...) {
    char what[128];
    size_t n;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    if (!p->source)
        return zf__error_set(err, ZF_EEVAL, "%s", what);
    n = strlen(p->source);
    if (n <= 100)
        return zf__error_set(err, ZF_EEVAL, "%s in '%s'", what, p->source);
    n = 97;
    while (n > 0 && ((unsigned char)p->source[n] & 0xc0) == 0x80)
        n--; /* do not cut a character in two */
    return zf__error_set(err, ZF_EEVAL, "%s in '%.*s...'", what, (int)n, p->source);
}

/* Durations compare as days (d, w) or as months (m, y); 6w == 42d, 1y == 12m. */
static int dur_key(zf_duration d, int64_t *count) {
    switch (d.unit) {
    case ZF_UNIT_DAY:
        *count = d.n;
        return 0;
    case ZF_UNIT_WEEK:
        *count = (int64_t)d.n * 7;
        return 0;
    case ZF_UNIT_MONTH:
        *count = d.n;
        return 1;
    case ZF_UNIT_YEAR:
        *count = (int64_t)d.n * 12;
        return 1;
    }
    *count = d.n;
    return 2;
}

static int equal(const zf_value *a, const zf_value *b) {
    int64_t x, y;
    switch (a->type) {
    case ZF_TYPE_BOOL:
        return !a->as.b == !b->as.b;
    case ZF_TYPE_INT:
    case ZF_TYPE_MONEY:
        return a->as.i == b->as.i;
    case ZF_TYPE_DATE:
        return a->as.date == b->as.date;
    case ZF_TYPE_DURATION:
        return dur_key(a->as.dur, &x) == dur_key(b->as.dur, &y) && x == y;
    case ZF_TYPE_STRING:
        if (!a->as.s || !b->as.s)
            return a->as.s == b->as.s;
        return strcmp(a->as.s, b->as.s) == 0;
    case ZF_TYPE_ENUM:
        return a->enum_index == b->enum_index;
    default:
        return 1;
    }
}

/* The ordering key of an int, amount or date. */
static int64_t key(const zf_value *v) {
    return v->type == ZF_TYPE_DATE ? (int64_t)v->as.date : v->as.i;
}

#define PUSH_BOOL(x)                                                                     \
    do {                                                                                 \
        sp->type = ZF_TYPE_BOOL;                                                         \
        sp->as.b = (x);                                                                  \
        sp++;                                                                            \
    } while (0)

#define PUSH_INT(t, x)                                                                   \
    do {                                                                                 \
        sp->type = (t);                                                                  \
        sp->as.i = (x);                                                                  \
        sp++;                                                                            \
    } while (0)

#define PUSH_DATE(x)                                                                     \
    do {                                                                                 \
        sp->type = ZF_TYPE_DATE;                                                         \
        sp->as.date = (x);                                                               \
        sp++;                                                                            \
    } while (0)

zf_code zf__expr_eval(const zf__program *prog, const zf__eval_ctx *ctx, zf_value *out,
                      zf_error *err) {
    zf_value st[ZF_EXPR_MAX_STACK];
    zf_value *sp = st;
    const uint8_t *base, *pc;
    char name[64];

    if (!prog || !prog->code || !ctx || !out || prog->max_stack > ZF_EXPR_MAX_STACK)
        return zf__error_set(err, ZF_EINVAL, NULL);
    base = pc = prog->code;
    for (;;) {
        /* i: the instruction; pc moves past its opcode here and past its operands
           (ZF_OPLEN_*) in its case. */
        const uint8_t *i = pc++;
        switch (*i) {
        case ZF_OP_RET:
            *out = sp[-1];
            if (out->type != ZF_TYPE_ENUM)
                out->enum_index = 0;
            return ZF_OK;
        case ZF_OP_TRUE:
            PUSH_BOOL(1);
            break;
        case ZF_OP_FALSE:
            PUSH_BOOL(0);
            break;
        case ZF_OP_INT:
            PUSH_INT(ZF_TYPE_INT, zf__arg_int(i));
            pc = i + ZF_OPLEN_INT;
            break;
        case ZF_OP_MONEY:
            PUSH_INT(ZF_TYPE_MONEY, zf__arg_int(i));
            pc = i + ZF_OPLEN_MONEY;
            break;
        case ZF_OP_DATE:
            PUSH_DATE(zf__arg_date(i));
            pc = i + ZF_OPLEN_DATE;
            break;
        case ZF_OP_DUR:
            sp->type = ZF_TYPE_DURATION;
            sp->as.dur.n = zf__arg_dur_n(i);
            sp->as.dur.unit = (zf_unit)zf__arg_dur_unit(i);
            sp++;
            pc = i + ZF_OPLEN_DUR;
            break;
        case ZF_OP_STR:
            sp->type = ZF_TYPE_STRING;
            sp->as.s = (const char *)base + zf__arg_str(i);
            sp++;
            pc = i + ZF_OPLEN_STR;
            break;
        case ZF_OP_ENUM:
            sp->type = ZF_TYPE_ENUM;
            sp->enum_index = zf__arg_enum_index(i);
            sp->as.s = (const char *)base + zf__arg_enum_name(i);
            sp++;
            pc = i + ZF_OPLEN_ENUM;
            break;
        case ZF_OP_VAR:
        case ZF_OP_PARAM: {
            int is_var = i[0] == ZF_OP_VAR;
            unsigned idx = zf__arg_slot(i), off = zf__arg_slot_name(i);
            zf_type want = (zf_type)zf__arg_slot_type(i);
            const zf_value *tab = is_var ? ctx->vars : ctx->params;
            const zf_value *val = tab ? &tab[idx] : NULL;
            zf_value one;
            pc = i + ZF_OPLEN_VAR; /* as long as ZF_OPLEN_PARAM */
            if (is_var && !tab && ctx->var &&
                ctx->var(ctx->host, (uint16_t)idx, &one) == 0)
                val = &one; /* the runtime's variable, decoded from its state */
            if (!val || val->type != want) {
                /* Only the error path spends time on the name. */
                char who[96];
                snprintf(who, sizeof who, "%s '%s%s'", is_var ? "variable" : "parameter",
                         is_var ? "" : "event.",
                         name_at(prog, off, idx, name, sizeof name));
                if (!val)
                    return fail(prog, err, "%s is not available", who);
                if (val->type == ZF_TYPE_VOID)
                    return fail(prog, err, "%s is not set", who);
                return fail(prog, err, "%s holds %s, not %s", who,
                            zf_type_name(val->type), zf_type_name(want));
            }
            *sp++ = *val;
            break;
        }
        case ZF_OP_ISSET_VAR:
            if (ctx->vars) {
                PUSH_BOOL(ctx->vars[zf__arg_slot(i)].type != ZF_TYPE_VOID);
            } else {
                zf_value one;
                PUSH_BOOL(ctx->var &&
                          ctx->var(ctx->host, (uint16_t)zf__arg_slot(i), &one) == 0 &&
                          one.type != ZF_TYPE_VOID);
            }
            pc = i + ZF_OPLEN_ISSET_VAR;
            break;
        case ZF_OP_ISSET_PARAM:
            PUSH_BOOL(ctx->params && ctx->params[zf__arg_slot(i)].type != ZF_TYPE_VOID);
            pc = i + ZF_OPLEN_ISSET_PARAM;
            break;
        case ZF_OP_EVDATE:
            if (!zf_date_valid(ctx->event_date))
                return fail(prog, err, "event.date is not set");
            PUSH_DATE(ctx->event_date);
            break;
        case ZF_OP_TODAY:
            if (!zf_date_valid(ctx->today))
                return fail(prog, err, "today is not set");
            PUSH_DATE(ctx->today);
            break;
        case ZF_OP_TERM: {
            zf__term_query q = (zf__term_query)zf__arg_term_query(i);
            unsigned idx = zf__arg_term(i), off = zf__arg_term_name(i);
            zf_value v;
            zf_type want =
                q == ZF_TQ_END || q == ZF_TQ_START ? ZF_TYPE_DATE : ZF_TYPE_BOOL;
            pc = i + ZF_OPLEN_TERM;
            v.type = ZF_TYPE_VOID;
            if (!ctx->term || ctx->term(ctx->host, (uint16_t)idx, q, &v) < 0)
                return fail(prog, err, "term '%s' is not known here",
                            name_at(prog, off, idx, name, sizeof name));
            if (v.type != want) {
                if (v.type == ZF_TYPE_VOID)
                    return fail(prog, err, "term '%s' has not started",
                                name_at(prog, off, idx, name, sizeof name));
                return fail(prog, err, "term '%s' gave %s, not %s",
                            name_at(prog, off, idx, name, sizeof name),
                            zf_type_name(v.type), zf_type_name(want));
            }
            *sp++ = v;
            break;
        }
        case ZF_OP_IN: {
            unsigned idx = zf__arg_table(i), off = zf__arg_table_name(i);
            int r = ctx->in_state ? ctx->in_state(ctx->host, (uint16_t)idx) : -1;
            pc = i + ZF_OPLEN_IN;
            if (r < 0)
                return fail(prog, err, "state '%s' is not known here",
                            name_at(prog, off, idx, name, sizeof name));
            PUSH_BOOL(r > 0);
            break;
        }
        case ZF_OP_NEG:
            if (sp[-1].as.i == INT64_MIN)
                return fail(prog, err, "overflow");
            sp[-1].as.i = -sp[-1].as.i;
            break;
        case ZF_OP_NOT:
            sp[-1].as.b = !sp[-1].as.b;
            break;
        case ZF_OP_TOMONEY:
            if (zf__mul_overflow(sp[-1].as.i, 100, &sp[-1].as.i))
                return fail(prog, err, "overflow");
            sp[-1].type = ZF_TYPE_MONEY;
            break;
        case ZF_OP_ADD:
            sp--;
            if (zf__add_overflow(sp[-1].as.i, sp[0].as.i, &sp[-1].as.i))
                return fail(prog, err, "overflow");
            break;
        case ZF_OP_SUB:
            sp--;
            if (zf__sub_overflow(sp[-1].as.i, sp[0].as.i, &sp[-1].as.i))
                return fail(prog, err, "overflow");
            break;
        case ZF_OP_MUL:
            sp--;
            if (zf__mul_overflow(sp[-1].as.i, sp[0].as.i, &sp[-1].as.i))
                return fail(prog, err, "overflow");
            if (sp[0].type == ZF_TYPE_MONEY)
                sp[-1].type = ZF_TYPE_MONEY;
            break;
        case ZF_OP_DIV:
        case ZF_OP_MOD: {
            int64_t a = sp[-2].as.i, b = sp[-1].as.i;
            sp--;
            if (b == 0)
                return fail(prog, err, "division by zero");
            if (a == INT64_MIN && b == -1) {
                if (i[0] == ZF_OP_DIV)
                    return fail(prog, err, "overflow");
                sp[-1].as.i = 0; /* INT64_MIN % -1 is undefined in C; the answer is 0 */
                break;
            }
            sp[-1].as.i = i[0] == ZF_OP_DIV ? a / b : a % b;
            break;
        }
        case ZF_OP_DADD:
        case ZF_OP_DSUB:
        case ZF_OP_DURADD: {
            zf_date d = i[0] == ZF_OP_DURADD ? sp[-1].as.date : sp[-2].as.date;
            zf_duration u = i[0] == ZF_OP_DURADD ? sp[-2].as.dur : sp[-1].as.dur;
            if (i[0] == ZF_OP_DSUB) {
                if (u.n == INT32_MIN)
                    return fail(prog, err, "date out of range");
                u.n = -u.n;
            }
            sp--;
            if (zf_date_add(&sp[-1].as.date, d, u, NULL) != ZF_OK)
                return fail(prog, err, "date out of range");
            sp[-1].type = ZF_TYPE_DATE;
            break;
        }
        case ZF_OP_DMUL:
        case ZF_OP_IMULD: {
            int dm = i[0] == ZF_OP_DMUL;
            zf_duration u = dm ? sp[-2].as.dur : sp[-1].as.dur;
            int64_t k = dm ? sp[-1].as.i : sp[-2].as.i, r;
            sp--;
            if (zf__mul_overflow((int64_t)u.n, k, &r) || r < 0 || r > 99999)
                return fail(prog, err, "duration out of range");
            u.n = (int32_t)r;
            sp[-1].type = ZF_TYPE_DURATION;
            sp[-1].as.dur = u;
            break;
        }
        case ZF_OP_EQ:
            sp--;
            sp[-1].as.b = equal(&sp[-1], &sp[0]);
            sp[-1].type = ZF_TYPE_BOOL;
            break;
        case ZF_OP_NE:
            sp--;
            sp[-1].as.b = !equal(&sp[-1], &sp[0]);
            sp[-1].type = ZF_TYPE_BOOL;
            break;
        case ZF_OP_LT:
            sp--;
            sp[-1].as.b = key(&sp[-1]) < key(&sp[0]);
            sp[-1].type = ZF_TYPE_BOOL;
            break;
        case ZF_OP_LE:
            sp--;
            sp[-1].as.b = key(&sp[-1]) <= key(&sp[0]);
            sp[-1].type = ZF_TYPE_BOOL;
            break;
        case ZF_OP_GT:
            sp--;
            sp[-1].as.b = key(&sp[-1]) > key(&sp[0]);
            sp[-1].type = ZF_TYPE_BOOL;
            break;
        case ZF_OP_GE:
            sp--;
            sp[-1].as.b = key(&sp[-1]) >= key(&sp[0]);
            sp[-1].type = ZF_TYPE_BOOL;
            break;
        case ZF_OP_JMP:
            pc = base + zf__arg_jump(i);
            break;
        case ZF_OP_JF:
            sp--;
            pc = sp->as.b ? i + ZF_OPLEN_JF : base + zf__arg_jump(i);
            break;
        case ZF_OP_JFK: /* and: a false left side is the answer */
            if (!sp[-1].as.b) {
                pc = base + zf__arg_jump(i);
            } else {
                sp--;
                pc = i + ZF_OPLEN_JFK;
            }
            break;
        case ZF_OP_JTK: /* or: a true left side is the answer */
            if (sp[-1].as.b) {
                pc = base + zf__arg_jump(i);
            } else {
                sp--;
                pc = i + ZF_OPLEN_JTK;
            }
            break;
        case ZF_OP_DAYS:
            sp--;
            sp[-1].as.i = (int64_t)sp[0].as.date - sp[-1].as.date;
            sp[-1].type = ZF_TYPE_INT;
            break;
        case ZF_OP_WORKDAYS: {
            /* Working days in (a, b]: the day of the act itself does not count. */
            zf_date a = sp[-2].as.date, b = sp[-1].as.date;
            const zf_calendar *cal = ctx->calendar ? ctx->calendar : zf_calendar_atw();
            int64_t n = 0;
            sp--;
            if (!zf_date_valid(a) || !zf_date_valid(b))
                return fail(prog, err, "date out of range");
            if (b > a)
                n = zf_calendar_workdays(cal, a + 1, b);
            else if (a > b)
                n = -(int64_t)zf_calendar_workdays(cal, b + 1, a);
            sp[-1].as.i = n;
            sp[-1].type = ZF_TYPE_INT;
            break;
        }
        case ZF_OP_WEEKDAY:
            if (!zf_date_valid(sp[-1].as.date))
                return fail(prog, err, "date out of range");
            sp[-1].as.i = zf_date_weekday(sp[-1].as.date);
            sp[-1].type = ZF_TYPE_INT;
            break;
        case ZF_OP_MIN:
        case ZF_OP_MAX: {
            int want_min = i[0] == ZF_OP_MIN, less;
            sp--;
            if (sp[0].type == ZF_TYPE_DURATION) {
                int64_t x, y;
                if (dur_key(sp[-1].as.dur, &x) != dur_key(sp[0].as.dur, &y)) {
                    char b1[ZF_DURATION_BUFSIZE], b2[ZF_DURATION_BUFSIZE];
                    return fail(prog, err, "durations %s and %s cannot be compared",
                                zf_duration_format(b1, sp[-1].as.dur),
                                zf_duration_format(b2, sp[0].as.dur));
                }
                less = y < x;
            } else {
                less = key(&sp[0]) < key(&sp[-1]);
            }
            /* less: the right operand is smaller */
            if (less == want_min)
                sp[-1] = sp[0];
            break;
        }
        case ZF_OP_ACCRUED3:
        case ZF_OP_ACCRUED4: {
            unsigned idx = zf__arg_table(i);
            int four = i[0] == ZF_OP_ACCRUED4;
            zf_date asof = four ? sp[-1].as.date : sp[-2].as.date;
            zf_date from = four ? sp[-3].as.date : sp[-2].as.date;
            zf_date to = four ? sp[-2].as.date : sp[-1].as.date;
            const zf__rate_table *t;
            int64_t cents;
            pc = i + ZF_OPLEN_ACCRUED3; /* as long as ZF_OPLEN_ACCRUED4 */
            if (!ctx->rates)
                return fail(prog, err, "rate tables are not available");
            t = &ctx->rates[idx];
            sp -= four ? 2 : 1;
            if (zf__rates_accrued(t, asof, from, to, &cents) < 0) {
                char b[ZF_DATE_BUFSIZE];
                if (t->nversions == 0 || t->versions[0].valid_from > asof)
                    return fail(prog, err, "no rate of '%s' applies on %s",
                                t->id ? t->id : "?",
                                zf_date_valid(asof) ? zf_date_format(b, asof) : "?");
                return fail(prog, err, "overflow");
            }
            sp[-1].type = ZF_TYPE_MONEY;
            sp[-1].as.i = cents;
            break;
        }
        default:
            return zf__error_set(err, ZF_EINVAL, "corrupt expression code at %ld",
                                 (long)(i - base));
        }
    }
}

static const char *const op_names[] = {
#define ZF__OPNAME(op, name, layout, size, effect) name,
    ZF_EXPR_OPS(ZF__OPNAME)
#undef ZF__OPNAME
};

static const char *const op_layouts[] = {
#define ZF__OPLAYOUT(op, name, layout, size, effect) layout,
    ZF_EXPR_OPS(ZF__OPLAYOUT)
#undef ZF__OPLAYOUT
};

const uint8_t zf__op_len[ZF_OP__COUNT] = {
#define ZF__OPLENGTH(op, name, layout, size, effect) ZF_OPLEN_##op,
    ZF_EXPR_OPS(ZF__OPLENGTH)
#undef ZF__OPLENGTH
};

const char *zf__op_layout(unsigned opc) {
    return opc < ZF_OP__COUNT ? op_layouts[opc] : NULL;
}

zf_code zf__expr_disasm(const zf__program *prog, zf_buf *out) {
    const uint8_t *base, *pc;
    zf_code rc = ZF_OK;
    if (!prog || !prog->code || !out)
        return ZF_EINVAL;
    base = pc = prog->code;
    for (;;) {
        unsigned opc = *pc;
        const char *l;
        char name[64];
        if (opc >= ZF_OP__COUNT)
            return ZF_EINVAL;
        rc = zf_buf_printf(out, "%04u %s", (unsigned)(pc - base), op_names[opc]);
        pc++;
        for (l = op_layouts[opc]; rc == ZF_OK && *l; l++) {
            switch (*l) {
            case 'q':
                rc = zf_buf_printf(out, " %lld", (long long)zf__rd64(pc));
                pc += ZF__Q;
                break;
            case 'd': {
                char b[ZF_DATE_BUFSIZE];
                zf_date d = zf__rd32(pc);
                rc = zf_buf_printf(out, " %s",
                                   zf_date_valid(d) ? zf_date_format(b, d) : "?");
                pc += ZF__D;
                break;
            }
            case 'u': {
                char b[ZF_DURATION_BUFSIZE];
                zf_duration u = {zf__rd32(pc), (zf_unit)pc[4]};
                rc = zf_buf_printf(out, " %s", zf_duration_format(b, u));
                pc += ZF__U;
                break;
            }
            case 'b':
                rc = zf_buf_printf(out, " %u", pc[0]);
                pc += ZF__B;
                break;
            case 's':
                rc = zf_buf_printf(out, " \"%s\"", (const char *)base + zf__rd16(pc));
                pc += ZF__S;
                break;
            case 'n':
                rc = zf_buf_printf(out, " ; %s",
                                   name_at(prog, zf__rd16(pc), 0, name, sizeof name));
                pc += ZF__N;
                break;
            default: /* h j */
                rc = zf_buf_printf(out, " %u", zf__rd16(pc));
                pc += ZF__H;
                break;
            }
        }
        if (rc == ZF_OK)
            rc = zf_buf_put(out, "\n", 1);
        if (rc != ZF_OK || opc == ZF_OP_RET)
            return rc;
    }
}
