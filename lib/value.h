/*
 * Value constructors shared by the public zf_value_*() (value.c) and the
 * library's own hot paths (the runtime, its fast paths beside the VM), as Lua's
 * setivalue in lobject.h: one definition of what a value of each type holds.
 * Every constructor zeroes the whole value first (padding and the union's unused
 * bytes included), so values compare and copy alike wherever they were made.
 */
#ifndef ZF_VALUE_H
#define ZF_VALUE_H

#include "internal.h"

#include <string.h>

static inline zf_value zf__value_void(void) {
    zf_value v;
    memset(&v, 0, sizeof v);
    v.type = ZF_TYPE_VOID;
    return v;
}

static inline zf_value zf__value_bool(int b) {
    zf_value v = zf__value_void();
    v.type = ZF_TYPE_BOOL;
    v.as.b = b != 0;
    return v;
}

/* ZF_TYPE_INT or ZF_TYPE_MONEY (cents). */
static inline zf_value zf__value_int(zf_type type, int64_t i) {
    zf_value v = zf__value_void();
    v.type = type;
    v.as.i = i;
    return v;
}

static inline zf_value zf__value_date(zf_date d) {
    zf_value v = zf__value_void();
    v.type = ZF_TYPE_DATE;
    v.as.date = d;
    return v;
}

static inline zf_value zf__value_duration(zf_duration d) {
    zf_value v = zf__value_void();
    v.type = ZF_TYPE_DURATION;
    v.as.dur = d;
    return v;
}

/* A string (borrowed). */
static inline zf_value zf__value_string(const char *s) {
    zf_value v = zf__value_void();
    v.type = ZF_TYPE_STRING;
    v.as.s = s;
    return v;
}

#endif
