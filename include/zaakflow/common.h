/**
 * @file zaakflow/common.h
 * Shared definitions: export macros, the date type and the version.
 */
#ifndef ZAAKFLOW_COMMON_H
#define ZAAKFLOW_COMMON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
#define ZF_BEGIN_DECL extern "C" {
#define ZF_END_DECL }
#else
#define ZF_BEGIN_DECL
#define ZF_END_DECL
#endif

#if defined(__GNUC__) && __GNUC__ >= 4
#define ZF_EXTERN(type) extern __attribute__((visibility("default"))) type
#else
#define ZF_EXTERN(type) extern type
#endif

#define ZF_VERSION_MAJOR 0
#define ZF_VERSION_MINOR 1
#define ZF_VERSION_PATCH 0
#define ZF_VERSION "0.1.0"

ZF_BEGIN_DECL

/**
 * A civil date (proleptic Gregorian calendar) as a day number: the number of
 * days since 1970-01-01. Valid dates lie in the years 1 to 9999.
 * ZF_DATE_NONE marks "no date".
 */
typedef int32_t zf_date;
#define ZF_DATE_NONE INT32_MIN

/** The library version as "MAJOR.MINOR.PATCH"; static storage. */
ZF_EXTERN(const char *) zf_version(void);

ZF_END_DECL

#endif
