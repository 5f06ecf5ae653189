/**
 * @file zaakflow/error.h
 * Errors as values: every fallible function returns a zf_code and, when the
 * caller passes a zf_error, fills it with the code, a one-line message and,
 * for definition files, the file, line and column.
 */
#ifndef ZAAKFLOW_ERROR_H
#define ZAAKFLOW_ERROR_H

#include "zaakflow/common.h"

ZF_BEGIN_DECL

/** The one table of error codes: enum value, number and default message. */
#define ZF_ERROR_MAP(X)                                                                  \
    X(ENOMEM, -1, "out of memory")                                                       \
    X(EINVAL, -2, "invalid argument")                                                    \
    X(EPARSE, -3, "malformed input")                                                     \
    X(ESCHEMA, -4, "definition violates the schema")                                     \
    X(ESEMANTIC, -5, "inconsistent definition")                                          \
    X(ENOTFOUND, -6, "no such state, event, term, variable or role")                     \
    X(EREJECTED, -7, "event not allowed now")                                            \
    X(ESNAPSHOT, -8, "snapshot does not fit definition")                                 \
    X(ERANGE, -9, "value out of range")                                                  \
    X(EIO, -10, "cannot read or write file")                                             \
    X(EFORBIDDEN, -11, "actor lacks the required role")                                  \
    X(EEVAL, -12, "expression cannot be evaluated")                                      \
    X(ELIMIT, -13, "limit exceeded")                                                     \
    X(ECONFLICT, -14, "changed concurrently")                                            \
    X(EDATABASE, -15, "database error")

#define ZF__ENUM(name, val, msg) ZF_##name = val,
/** Result of every fallible call: ZF_OK or a negative ZF_E* value. */
typedef enum zf_code { ZF_OK = 0, ZF_ERROR_MAP(ZF__ENUM) ZF__CODE_END } zf_code;
#undef ZF__ENUM

/** Details of a failure. Caller-allocated; no allocation on the error path. */
typedef struct zf_error {
    zf_code code;      /**< ZF_OK or a negative ZF_E* */
    int line;          /**< 1-based line in `file`, 0 = unknown */
    int column;        /**< 1-based column in characters (UTF-8 aware), 0 = unknown */
    char file[256];    /**< definition path, "<string>", or "" */
    char message[256]; /**< one line, lower case, no trailing period */
} zf_error;

/** Reset an error to ZF_OK with empty fields. NULL is allowed. */
ZF_EXTERN(void) zf_error_clear(zf_error *err);

/** The default message of a code, e.g. "out of memory"; static storage. */
ZF_EXTERN(const char *) zf_strerror(zf_code code);

/** The symbolic name of a code, e.g. "ZF_ENOMEM"; static storage. */
ZF_EXTERN(const char *) zf_code_name(zf_code code);

ZF_END_DECL

#endif
