/*
 * The bytecode of the expression VM, shared by the compiler (expr.c), the VM
 * and the disassembler (expr_vm.c). One table, so the three cannot disagree
 * on an opcode's operands.
 *
 * Operand layout letters, in the order the operands follow the opcode byte:
 *   q  int64 constant (8 bytes)      d  date, int32 (4 bytes)
 *   u  duration: int32 n, uint8 unit (5 bytes)
 *   h  uint16 index into a table of the definition (var, param, term, ...)
 *   b  uint8 (a zf_type or a zf_term_query)
 *   j  uint16 jump target: absolute offset in the code
 *   s  uint16 offset of a NUL-terminated string in the program's allocation
 *   n  uint16 byte offset of a name in the source text (for messages)
 * Multi-byte operands are little-endian and unaligned (read with memcpy).
 */
#ifndef ZF_EXPR_OP_H
#define ZF_EXPR_OP_H

#include <stdint.h>
#include <string.h>

/* X(opcode, mnemonic, operand layout, stack effect) */
#define ZF_EXPR_OPS(X)                                                                   \
    X(RET, "ret", "", -1)                                                                \
    X(TRUE, "true", "", 1)                                                               \
    X(FALSE, "false", "", 1)                                                             \
    X(INT, "int", "q", 1)                                                                \
    X(MONEY, "money", "q", 1)                                                            \
    X(DATE, "date", "d", 1)                                                              \
    X(DUR, "dur", "u", 1)                                                                \
    X(STR, "str", "s", 1)                                                                \
    X(ENUM, "enum", "hs", 1)                                                             \
    X(VAR, "var", "hbn", 1)                                                              \
    X(PARAM, "param", "hbn", 1)                                                          \
    X(ISSET_VAR, "isset_var", "h", 1)                                                    \
    X(ISSET_PARAM, "isset_param", "h", 1)                                                \
    X(EVDATE, "evdate", "", 1)                                                           \
    X(TODAY, "today", "", 1)                                                             \
    X(TERM, "term", "bhn", 1)                                                            \
    X(IN, "in", "hn", 1)                                                                 \
    X(NEG, "neg", "", 0)                                                                 \
    X(NOT, "not", "", 0)                                                                 \
    X(TOMONEY, "tomoney", "", 0)                                                         \
    X(ADD, "add", "", -1)                                                                \
    X(SUB, "sub", "", -1)                                                                \
    X(MUL, "mul", "", -1)                                                                \
    X(DIV, "div", "", -1)                                                                \
    X(MOD, "mod", "", -1)                                                                \
    X(DADD, "date_add", "", -1)                                                          \
    X(DSUB, "date_sub", "", -1)                                                          \
    X(DURADD, "dur_add_date", "", -1)                                                    \
    X(DMUL, "dur_mul", "", -1)                                                           \
    X(IMULD, "int_mul_dur", "", -1)                                                      \
    X(EQ, "eq", "", -1)                                                                  \
    X(NE, "ne", "", -1)                                                                  \
    X(LT, "lt", "", -1)                                                                  \
    X(LE, "le", "", -1)                                                                  \
    X(GT, "gt", "", -1)                                                                  \
    X(GE, "ge", "", -1)                                                                  \
    X(JMP, "jmp", "j", 0)                                                                \
    X(JF, "jf", "j", -1)                                                                 \
    X(JFK, "jf_keep", "j", -1)                                                           \
    X(JTK, "jt_keep", "j", -1)                                                           \
    X(DAYS, "days", "", -1)                                                              \
    X(WORKDAYS, "workdays", "", -1)                                                      \
    X(WEEKDAY, "weekday", "", 0)                                                         \
    X(MIN, "min", "", -1)                                                                \
    X(MAX, "max", "", -1)                                                                \
    X(ACCRUED3, "accrued", "hn", -1)                                                     \
    X(ACCRUED4, "accrued_asof", "hn", -2)

#define ZF__OPENUM(op, name, layout, effect) ZF_OP_##op,
enum zf_expr_op { ZF_EXPR_OPS(ZF__OPENUM) ZF_OP__COUNT };
#undef ZF__OPENUM

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
    uint64_t u = 0;
    int64_t v;
    for (int i = 7; i >= 0; i--)
        u = (u << 8) | p[i];
    memcpy(&v, &u, sizeof v);
    return v;
}

/* Bytes taken by the operands of a layout string. */
static inline int zf__op_operand_size(const char *layout) {
    int n = 0;
    for (; *layout; layout++) {
        switch (*layout) {
        case 'q':
            n += 8;
            break;
        case 'd':
            n += 4;
            break;
        case 'u':
            n += 5;
            break;
        case 'b':
            n += 1;
            break;
        default: /* h j s n */
            n += 2;
            break;
        }
    }
    return n;
}

#endif
