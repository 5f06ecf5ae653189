/**
 * @file zaakflow/value.h
 * Typed values: process variables, event parameters and expression results.
 */
#ifndef ZAAKFLOW_VALUE_H
#define ZAAKFLOW_VALUE_H

#include "zaakflow/common.h"
#include "zaakflow/error.h"
#include "zaakflow/buf.h"
#include "zaakflow/date.h"

ZF_BEGIN_DECL

/** The types of the definition language. */
typedef enum zf_type {
    ZF_TYPE_VOID = 0, /**< no value (an unset optional variable) */
    ZF_TYPE_BOOL,
    ZF_TYPE_INT,   /**< 64-bit signed integer */
    ZF_TYPE_MONEY, /**< euro amount in cents, 64-bit */
    ZF_TYPE_DATE,
    ZF_TYPE_DURATION, /**< "6w", "14d", "3m", "1y" */
    ZF_TYPE_STRING,
    ZF_TYPE_ENUM /**< one of the values of a declared enumeration */
} zf_type;

/**
 * A typed value. Strings are borrowed: a value returned by the library points
 * into memory owned by the definition or instance it came from, valid until
 * that object is next changed or freed.
 */
typedef struct zf_value {
    zf_type type;
    union {
        int b;           /**< ZF_TYPE_BOOL: 0 or 1 */
        int64_t i;       /**< ZF_TYPE_INT; ZF_TYPE_MONEY in cents */
        zf_date date;    /**< ZF_TYPE_DATE */
        zf_duration dur; /**< ZF_TYPE_DURATION */
        const char
            *s; /**< ZF_TYPE_STRING (NUL-terminated); ZF_TYPE_ENUM: the value's name */
    } as;
    int64_t enum_index; /**< ZF_TYPE_ENUM: index of the value in its enumeration */
} zf_value;

/** Constructors for values passed into the library (strings are borrowed). */
ZF_EXTERN(zf_value) zf_value_void(void);
ZF_EXTERN(zf_value) zf_value_bool(int b);
ZF_EXTERN(zf_value) zf_value_int(int64_t i);
ZF_EXTERN(zf_value) zf_value_money(int64_t cents);
ZF_EXTERN(zf_value) zf_value_date(zf_date d);
ZF_EXTERN(zf_value) zf_value_duration(zf_duration d);
ZF_EXTERN(zf_value) zf_value_string(const char *s);

/** Name of a type: "bool", "int", "money", "date", "duration", "string", "enum". */
ZF_EXTERN(const char *) zf_type_name(zf_type type);

/**
 * Append the value as text to `out`: true/false, 42, 1442.00, 2026-05-18, 6w,
 * the string itself, the enum value's name.
 * @return ZF_OK or ZF_ENOMEM.
 */
ZF_EXTERN(zf_code) zf_value_format(zf_buf *out, const zf_value *v, zf_error *err);

/**
 * Parse text as a value of `type` (bool: true/false; money: 12.50 or 12;
 * date: YYYY-MM-DD; duration: 6w). Strings are borrowed from `text`.
 * Enumeration values are checked by the caller that knows the enumeration.
 * @return ZF_OK, ZF_EPARSE or ZF_ERANGE.
 */
ZF_EXTERN(zf_code)
zf_value_parse(zf_value *out, zf_type type, const char *text, zf_error *err);

ZF_END_DECL

#endif
