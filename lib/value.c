/* Typed values: constructors, names of types, text form and parsing. */
#include "internal.h"
#include "value.h"

#include <stdio.h>
#include <string.h>

zf_value zf_value_void(void) {
    return zf__value_void();
}

zf_value zf_value_bool(int b) {
    return zf__value_bool(b);
}

zf_value zf_value_int(int64_t i) {
    return zf__value_int(ZF_TYPE_INT, i);
}

zf_value zf_value_money(int64_t cents) {
    return zf__value_int(ZF_TYPE_MONEY, cents);
}

zf_value zf_value_date(zf_date d) {
    return zf__value_date(d);
}

zf_value zf_value_duration(zf_duration d) {
    return zf__value_duration(d);
}

zf_value zf_value_string(const char *s) {
    return zf__value_string(s);
}

const char *zf_type_name(zf_type type) {
    switch (type) {
    case ZF_TYPE_VOID:
        return "void";
    case ZF_TYPE_BOOL:
        return "bool";
    case ZF_TYPE_INT:
        return "int";
    case ZF_TYPE_MONEY:
        return "money";
    case ZF_TYPE_DATE:
        return "date";
    case ZF_TYPE_DURATION:
        return "duration";
    case ZF_TYPE_STRING:
        return "string";
    case ZF_TYPE_ENUM:
        return "enum";
    }
    return "unknown";
}

/* Cents as "-1442.05". The magnitude is taken as unsigned so INT64_MIN formats too. */
static zf_code format_money(zf_buf *out, int64_t cents) {
    uint64_t mag = cents < 0 ? (uint64_t)0 - (uint64_t)cents : (uint64_t)cents;
    return zf_buf_printf(out, "%s%llu.%02u", cents < 0 ? "-" : "",
                         (unsigned long long)(mag / 100), (unsigned)(mag % 100));
}

static zf_code format_value(zf_buf *out, const zf_value *v) {
    char buf[ZF_DATE_BUFSIZE > ZF_DURATION_BUFSIZE ? ZF_DATE_BUFSIZE
                                                   : ZF_DURATION_BUFSIZE];
    if (!out || !v)
        return ZF_EINVAL;
    switch (v->type) {
    case ZF_TYPE_VOID:
        /* An unset value has no text; put nothing but make sure ptr is a string. */
        return zf_buf_put(out, "", 0);
    case ZF_TYPE_BOOL:
        return zf_buf_puts(out, v->as.b ? "true" : "false");
    case ZF_TYPE_INT:
        return zf_buf_printf(out, "%lld", (long long)v->as.i);
    case ZF_TYPE_MONEY:
        return format_money(out, v->as.i);
    case ZF_TYPE_DATE:
        if (!zf_date_valid(v->as.date))
            return zf_buf_puts(out, "(invalid date)");
        return zf_buf_puts(out, zf_date_format(buf, v->as.date));
    case ZF_TYPE_DURATION:
        return zf_buf_puts(out, zf_duration_format(buf, v->as.dur));
    case ZF_TYPE_STRING:
        return zf_buf_puts(out, v->as.s ? v->as.s : "");
    case ZF_TYPE_ENUM:
        if (v->as.s)
            return zf_buf_puts(out, v->as.s);
        return zf_buf_printf(out, "#%lld", (long long)v->enum_index);
    }
    return ZF_EINVAL;
}

zf_code zf_value_format(zf_buf *out, const zf_value *v, zf_error *err) {
    zf_code rc;
    zf_error_clear(err);
    if (!out || !v)
        return zf__error_set(err, ZF_EINVAL, "invalid buffer or value");
    if ((rc = format_value(out, v)) != ZF_OK)
        return zf__error_set(err, rc, NULL);
    return ZF_OK;
}

/* Decimal digits to a magnitude; -1 on no digits, -2 on overflow of INT64_MAX. */
static int parse_digits(const char **pp, uint64_t *out) {
    const char *p = *pp;
    uint64_t n = 0;
    int big = 0;
    if (*p < '0' || *p > '9')
        return -1;
    while (*p >= '0' && *p <= '9') {
        unsigned d = (unsigned)(*p - '0');
        /* Read on past an overflow so the caller can tell "too large" from "not a
         * number". */
        if (n > (UINT64_C(9223372036854775808) - d) / 10)
            big = 1;
        else
            n = n * 10 + d;
        p++;
    }
    *pp = p;
    *out = n;
    return big ? -2 : 0;
}

/* Apply the sign to a magnitude of at most 2^63; 0 or -1 when it does not fit. */
static int signed_value(int neg, uint64_t mag, int64_t *out) {
    if (neg) {
        if (mag > UINT64_C(9223372036854775808))
            return -1;
        *out = mag == UINT64_C(9223372036854775808) ? INT64_MIN : -(int64_t)mag;
    } else {
        if (mag > (uint64_t)INT64_MAX)
            return -1;
        *out = (int64_t)mag;
    }
    return 0;
}

static zf_code parse_int(zf_value *out, const char *text, zf_error *err) {
    const char *p = text;
    uint64_t mag;
    int64_t i;
    int neg = *p == '-', rc;
    p += neg;
    rc = parse_digits(&p, &mag);
    if (rc == -1 || *p)
        return zf__error_set(err, ZF_EPARSE, "'%.40s' is not an integer", text);
    if (rc == -2 || signed_value(neg, mag, &i) < 0)
        return zf__error_set(err, ZF_ERANGE, "integer '%.40s' is too large", text);
    *out = zf_value_int(i);
    return ZF_OK;
}

/* Money as text: "12", "12.5", "12.50", "-3.00"; at most two decimals. */
static zf_code parse_money(zf_value *out, const char *text, zf_error *err) {
    const char *p = text;
    uint64_t euros, cents = 0;
    int64_t v;
    int neg = *p == '-', rc;
    p += neg;
    rc = parse_digits(&p, &euros);
    if (rc == -1)
        return zf__error_set(err, ZF_EPARSE,
                             "'%.40s' is not an amount: expected e.g. 12.50", text);
    if (*p == '.') {
        p++;
        if (*p < '0' || *p > '9')
            return zf__error_set(err, ZF_EPARSE,
                                 "'%.40s' is not an amount: expected e.g. 12.50", text);
        cents = (uint64_t)(*p++ - '0') * 10;
        if (*p >= '0' && *p <= '9')
            cents += (uint64_t)(*p++ - '0');
        if (*p >= '0' && *p <= '9')
            return zf__error_set(err, ZF_EPARSE,
                                 "amount '%.40s' has more than 2 decimals", text);
    }
    if (*p)
        return zf__error_set(err, ZF_EPARSE,
                             "'%.40s' is not an amount: expected e.g. 12.50", text);
    if (rc == -2 || euros > (UINT64_C(9223372036854775808) - cents) / 100 ||
        signed_value(neg, euros * 100 + cents, &v) < 0)
        return zf__error_set(err, ZF_ERANGE, "amount '%.40s' is too large", text);
    *out = zf_value_money(v);
    return ZF_OK;
}

zf_code zf_value_parse(zf_value *out, zf_type type, const char *text, zf_error *err) {
    zf_value v = zf_value_void();
    zf_code rc;
    zf__error_reset(err);
    if (!out || !text)
        return zf__error_set(err, ZF_EINVAL, NULL);
    switch (type) {
    case ZF_TYPE_BOOL:
        if (strcmp(text, "true") == 0)
            v = zf_value_bool(1);
        else if (strcmp(text, "false") == 0)
            v = zf_value_bool(0);
        else
            return zf__error_set(err, ZF_EPARSE,
                                 "'%.40s' is not a bool: use true or false", text);
        break;
    case ZF_TYPE_INT:
        if ((rc = parse_int(&v, text, err)) != ZF_OK)
            return rc;
        break;
    case ZF_TYPE_MONEY:
        if ((rc = parse_money(&v, text, err)) != ZF_OK)
            return rc;
        break;
    case ZF_TYPE_DATE:
        v.type = ZF_TYPE_DATE;
        if ((rc = zf_date_parse(&v.as.date, text, err)) != ZF_OK)
            return rc;
        break;
    case ZF_TYPE_DURATION:
        v.type = ZF_TYPE_DURATION;
        if ((rc = zf_duration_parse(&v.as.dur, text, err)) != ZF_OK)
            return rc;
        break;
    case ZF_TYPE_STRING:
        v = zf_value_string(text);
        break;
    case ZF_TYPE_ENUM:
        /* Only the caller knows the enumeration; it fills in enum_index. */
        v.type = ZF_TYPE_ENUM;
        v.as.s = text;
        v.enum_index = -1;
        break;
    default:
        return zf__error_set(err, ZF_EINVAL, "cannot parse a value of type %s",
                             zf_type_name(type));
    }
    *out = v;
    return ZF_OK;
}
