/*
 * The bytecode of the expression VM, shared by the compiler (expr.c), the VM
 * and the disassembler (expr_vm.c). One table, so the three cannot disagree
 * on an opcode's operands.
 *
 * Operand layout letters, in the order the operands follow the opcode byte:
 *   q  int64 constant (8 bytes)      d  date, int32 (4 bytes)
 *   u  duration: int32 n, uint8 unit (5 bytes)
 *   h  uint16 index into a table of the definition (var, param, term, ...)
 *   b  uint8 (a zf_type or a zf__term_query)
 *   j  uint16 jump target: absolute offset in the code
 *   s  uint16 offset of a NUL-terminated string in the program's allocation
 *   n  uint16 byte offset of a name in the source text (for messages)
 * Multi-byte operands are little-endian and unaligned (read with memcpy).
 *
 * An instruction is its opcode byte and its operands; ZF_OPLEN_<op> is its size.
 * Operands are read by name from a pointer `pc` to the opcode byte with the
 * zf__arg_*() accessors below (as Lua's GETARG_*), the only place that knows
 * their offsets: the VM, the fast paths of the runtime (instance.c) and the
 * disassembler read through them, and the compiler checks in the test build that
 * what it wrote is ZF_OPLEN_<op> long.
 */
#ifndef ZF_EXPR_OP_H
#define ZF_EXPR_OP_H

#include "internal.h"

#include <stdint.h>
#include <string.h>

/* Bytes taken by each kind of operand (the layout letters above). */
#define ZF__Q 8
#define ZF__D 4
#define ZF__U 5
#define ZF__H 2
#define ZF__B 1
#define ZF__J 2
#define ZF__S 2
#define ZF__N 2

/* X(opcode, mnemonic, operand layout, bytes of the operands, stack effect); the
 * bytes are the sum of the layout's letters (tests/test_expr.c checks it). */
#define ZF_EXPR_OPS(X)                                                                   \
    X(RET, "ret", "", 0, -1)                                                             \
    X(TRUE, "true", "", 0, 1)                                                            \
    X(FALSE, "false", "", 0, 1)                                                          \
    X(INT, "int", "q", ZF__Q, 1)                                                         \
    X(MONEY, "money", "q", ZF__Q, 1)                                                     \
    X(DATE, "date", "d", ZF__D, 1)                                                       \
    X(DUR, "dur", "u", ZF__U, 1)                                                         \
    X(STR, "str", "s", ZF__S, 1)                                                         \
    X(ENUM, "enum", "hs", ZF__H + ZF__S, 1)                                              \
    X(VAR, "var", "hbn", ZF__H + ZF__B + ZF__N, 1)                                       \
    X(PARAM, "param", "hbn", ZF__H + ZF__B + ZF__N, 1)                                   \
    X(ISSET_VAR, "isset_var", "h", ZF__H, 1)                                             \
    X(ISSET_PARAM, "isset_param", "h", ZF__H, 1)                                         \
    X(EVDATE, "evdate", "", 0, 1)                                                        \
    X(TODAY, "today", "", 0, 1)                                                          \
    X(TERM, "term", "bhn", ZF__B + ZF__H + ZF__N, 1)                                     \
    X(IN, "in", "hn", ZF__H + ZF__N, 1)                                                  \
    X(NEG, "neg", "", 0, 0)                                                              \
    X(NOT, "not", "", 0, 0)                                                              \
    X(TOMONEY, "tomoney", "", 0, 0)                                                      \
    X(ADD, "add", "", 0, -1)                                                             \
    X(SUB, "sub", "", 0, -1)                                                             \
    X(MUL, "mul", "", 0, -1)                                                             \
    X(DIV, "div", "", 0, -1)                                                             \
    X(MOD, "mod", "", 0, -1)                                                             \
    X(DADD, "date_add", "", 0, -1)                                                       \
    X(DSUB, "date_sub", "", 0, -1)                                                       \
    X(DURADD, "dur_add_date", "", 0, -1)                                                 \
    X(DMUL, "dur_mul", "", 0, -1)                                                        \
    X(IMULD, "int_mul_dur", "", 0, -1)                                                   \
    X(EQ, "eq", "", 0, -1)                                                               \
    X(NE, "ne", "", 0, -1)                                                               \
    X(LT, "lt", "", 0, -1)                                                               \
    X(LE, "le", "", 0, -1)                                                               \
    X(GT, "gt", "", 0, -1)                                                               \
    X(GE, "ge", "", 0, -1)                                                               \
    X(JMP, "jmp", "j", ZF__J, 0)                                                         \
    X(JF, "jf", "j", ZF__J, -1)                                                          \
    X(JFK, "jf_keep", "j", ZF__J, -1)                                                    \
    X(JTK, "jt_keep", "j", ZF__J, -1)                                                    \
    X(DAYS, "days", "", 0, -1)                                                           \
    X(WORKDAYS, "workdays", "", 0, -1)                                                   \
    X(WEEKDAY, "weekday", "", 0, 0)                                                      \
    X(MIN, "min", "", 0, -1)                                                             \
    X(MAX, "max", "", 0, -1)                                                             \
    X(ACCRUED3, "accrued", "hn", ZF__H + ZF__N, -1)                                      \
    X(ACCRUED4, "accrued_asof", "hn", ZF__H + ZF__N, -2)

#define ZF__OPENUM(op, name, layout, size, effect) ZF_OP_##op,
enum zf_expr_op { ZF_EXPR_OPS(ZF__OPENUM) ZF_OP__COUNT };
#undef ZF__OPENUM

/* ZF_OPLEN_<op>: the size of an instruction, opcode byte included. */
#define ZF__OPLEN(op, name, layout, size, effect) ZF_OPLEN_##op = 1 + (size),
enum zf_expr_oplen { ZF_EXPR_OPS(ZF__OPLEN) ZF_OPLEN__MAX = 1 + ZF__Q };
#undef ZF__OPLEN

/* By opcode: ZF_OPLEN_<op>, and the operand layout string (expr_vm.c). */
ZF__INTERNAL extern const uint8_t zf__op_len[ZF_OP__COUNT];
ZF__INTERNAL const char *zf__op_layout(unsigned opc);

static inline uint16_t zf__rd16(const uint8_t *p) {
    return (uint16_t)(p[0] | (p[1] << 8));
}

static inline int32_t zf__rd32(const uint8_t *p) {
    uint32_t u = (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
                 ((uint32_t)p[3] << 24);
    int32_t v;
    memcpy(&v, &u, sizeof v);
    return v;
}

static inline int64_t zf__rd64(const uint8_t *p) {
    int64_t v;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    memcpy(&v, p, sizeof v); /* one load instead of the byte loop */
#else
    uint64_t u = 0;
    for (int i = 7; i >= 0; i--)
        u = (u << 8) | p[i];
    memcpy(&v, &u, sizeof v);
#endif
    return v;
}

/* Bytes taken by the operands of a layout string (the disassembler, tests). */
static inline int zf__op_operand_size(const char *layout) {
    int n = 0;
    for (; *layout; layout++)
        n += *layout == 'q'   ? ZF__Q
             : *layout == 'd' ? ZF__D
             : *layout == 'u' ? ZF__U
             : *layout == 'b' ? ZF__B
                              : ZF__H;
    return n;
}

/* ---- Operands by name: `pc` points at the opcode byte of the instruction. ---- */

/* Offsets of the operands after the opcode byte, in layout order. */
enum {
    ZF__ARG1 = 1,                  /* the first operand of every instruction */
    ZF__ARG_SLOT_TYPE = 1 + ZF__H, /* VAR PARAM: "hbn" */
    ZF__ARG_SLOT_NAME = 1 + ZF__H + ZF__B,
    ZF__ARG_TERM_INDEX = 1 + ZF__B, /* TERM: "bhn" */
    ZF__ARG_TERM_NAME = 1 + ZF__B + ZF__H,
    ZF__ARG_HN_NAME = 1 + ZF__H,   /* IN ACCRUED3 ACCRUED4: "hn" */
    ZF__ARG_ENUM_NAME = 1 + ZF__H, /* ENUM: "hs" */
    ZF__ARG_DUR_UNIT = 1 + 4       /* DUR: "u" is an int32 count, then a uint8 unit */
};

/* INT, MONEY: the 64-bit constant (MONEY in cents). */
static inline int64_t zf__arg_int(const uint8_t *pc) {
    return zf__rd64(pc + ZF__ARG1);
}
/* DATE: the date constant (a day number). */
static inline int32_t zf__arg_date(const uint8_t *pc) {
    return zf__rd32(pc + ZF__ARG1);
}
/* DUR: the count and the unit (a zf_unit) of a duration constant. */
static inline int32_t zf__arg_dur_n(const uint8_t *pc) {
    return zf__rd32(pc + ZF__ARG1);
}
static inline unsigned zf__arg_dur_unit(const uint8_t *pc) {
    return pc[ZF__ARG_DUR_UNIT];
}
/* STR: offset of the string constant in the program's allocation. */
static inline unsigned zf__arg_str(const uint8_t *pc) {
    return zf__rd16(pc + ZF__ARG1);
}
/* ENUM: the value's index in its enumeration, and the offset of its name. */
static inline unsigned zf__arg_enum_index(const uint8_t *pc) {
    return zf__rd16(pc + ZF__ARG1);
}
static inline unsigned zf__arg_enum_name(const uint8_t *pc) {
    return zf__rd16(pc + ZF__ARG_ENUM_NAME);
}
/* VAR, PARAM, ISSET_VAR, ISSET_PARAM: the variable's or parameter's index;
 * VAR and PARAM also the declared type (a zf_type) and the name's source offset. */
static inline unsigned zf__arg_slot(const uint8_t *pc) {
    return zf__rd16(pc + ZF__ARG1);
}
static inline unsigned zf__arg_slot_type(const uint8_t *pc) {
    return pc[ZF__ARG_SLOT_TYPE];
}
static inline unsigned zf__arg_slot_name(const uint8_t *pc) {
    return zf__rd16(pc + ZF__ARG_SLOT_NAME);
}
/* TERM: the query (a zf__term_query), the term's index, the name's source offset. */
static inline unsigned zf__arg_term_query(const uint8_t *pc) {
    return pc[ZF__ARG1];
}
static inline unsigned zf__arg_term(const uint8_t *pc) {
    return zf__rd16(pc + ZF__ARG_TERM_INDEX);
}
static inline unsigned zf__arg_term_name(const uint8_t *pc) {
    return zf__rd16(pc + ZF__ARG_TERM_NAME);
}
/* IN: the state's index; ACCRUED3, ACCRUED4: the rate table's index; both with
 * the name's source offset. */
static inline unsigned zf__arg_table(const uint8_t *pc) {
    return zf__rd16(pc + ZF__ARG1);
}
static inline unsigned zf__arg_table_name(const uint8_t *pc) {
    return zf__rd16(pc + ZF__ARG_HN_NAME);
}
/* JMP, JF, JFK, JTK: the target, an absolute offset in the code; the compiler
 * patches it at ZF__ARG_JUMP from the opcode byte. */
#define ZF__ARG_JUMP ZF__ARG1
static inline unsigned zf__arg_jump(const uint8_t *pc) {
    return zf__rd16(pc + ZF__ARG_JUMP);
}

#endif
