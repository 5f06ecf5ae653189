/*
 * The expression compiler: lexer, recursive-descent parser with static type
 * checking into a small AST, and a code generator for the VM in expr_vm.c.
 * The language is described in docs/expressions.md.
 *
 * Memory: one allocation for the AST (one node per token at most, so its
 * size is known from the length of the source) and one for the program. The
 * code is generated twice, first only to measure it, so the program is a
 * single block of exactly the right size: code, then a copy of the source
 * (for runtime messages), then the string constants.
 */
#include "expr.h"
#include "expr_op.h"

#include <stdio.h>
#include <string.h>

#define MAX_DEPTH 64       /* nesting of parentheses and operators */
#define DURATION_MAX 99999 /* as zf_duration_parse() */

enum tok_kind {
    T_EOF,
    T_INT,
    T_MONEY,
    T_DATE,
    T_DUR,
    T_STR,
    T_NAME,
    T_TRUE,
    T_FALSE,
    T_AND,
    T_OR,
    T_NOT,
    T_TODAY,
    T_EVENT,
    T_LP,
    T_RP,
    T_COMMA,
    T_DOT,
    T_QUEST,
    T_COLON,
    T_PLUS,
    T_MINUS,
    T_STAR,
    T_SLASH,
    T_PERCENT,
    T_EQ,
    T_NE,
    T_LT,
    T_LE,
    T_GT,
    T_GE
};

typedef struct tok {
    int kind;
    uint32_t pos, len; /* bytes in the source; for T_STR the text between the quotes */
    int64_t ival;      /* T_INT, T_MONEY (cents), T_DATE, T_DUR (count) */
    uint8_t unit;      /* T_DUR */
} tok;

enum node_kind {
    N_LIT,
    N_VAR,
    N_PARAM,
    N_EVDATE,
    N_TODAY,
    N_ISSET,
    N_TERM,
    N_IN,
    N_UNARY,
    N_BINARY,
    N_AND,
    N_OR,
    N_COND,
    N_CALL
};

typedef struct node {
    uint8_t kind;
    uint8_t op;      /* opcode of N_UNARY, N_BINARY, N_CALL; query of N_TERM */
    uint8_t promote; /* convert the int result to money (whole euros) */
    uint8_t nkids;
    uint8_t maybe_unset; /* N_VAR, N_PARAM, N_ISSET: the symbol may have no value */
    zf_type type;
    uint16_t enum_id;
    uint16_t sym;   /* var, param, term, state or rate table */
    uint32_t pos;   /* the token that made the node: operator, name, literal */
    uint32_t start; /* first byte of the whole subexpression */
    uint32_t len;   /* names and strings: length in bytes */
    int32_t kid[4];
    int64_t ival;
    uint8_t unit;
} node;

typedef struct comp {
    const char *src;
    size_t len;
    const zf__expr_scope *scope;
    zf__expr_diag *diag;
    zf_code rc;
    /* lexer */
    size_t pos;
    tok t;
    /* parser */
    node *nodes;
    uint32_t nnodes, cap;
    int depth;
    /* code generator; `out` is NULL while measuring */
    uint8_t *out;
    size_t n;       /* bytes of code so far */
    size_t strsize; /* bytes of string constants so far */
    size_t strbase; /* where the strings start in the allocation */
    size_t ins;     /* where the last instruction starts (its opcode byte) */
    int sp, maxsp;
    /* type names for messages (two per message at most) */
    char tbuf[2][96];
    int tsel;
} comp;

/* ---- diagnostics ---------------------------------------------------- */

/* Characters (UTF-8 code points) before byte `pos`: continuation bytes do not count. */
static int char_offset(const char *s, size_t pos) {
    int n = 0;
    for (size_t i = 0; i < pos; i++)
        n += ((unsigned char)s[i] & 0xc0) != 0x80;
    return n;
}

static int fail(comp *c, zf_code code, size_t pos, const char *fmt, ...) ZF__PRINTF(4, 5);

static int fail(comp *c, zf_code code, size_t pos, const char *fmt, ...) {
    va_list ap;
    if (c->rc != ZF_OK)
        return -1;
    c->rc = code;
    if (c->diag) {
        c->diag->code = code;
        c->diag->offset = char_offset(c->src, pos < c->len ? pos : c->len);
        va_start(ap, fmt);
        vsnprintf(c->diag->message, sizeof c->diag->message, fmt, ap);
        va_end(ap);
    }
    return -1;
}

/* A token as text for messages, cut at a character boundary. */
static void tok_text(const comp *c, const tok *t, char *buf, size_t cap) {
    size_t b = t->pos, e = t->pos + t->len;
    if (t->kind == T_EOF) {
        snprintf(buf, cap, "end of expression");
        return;
    }
    if (t->kind == T_STR) { /* include the quotes */
        b--;
        e++;
    }
    if (e - b > 30) {
        e = b + 30;
        while (e > b && ((unsigned char)c->src[e] & 0xc0) == 0x80)
            e--;
    }
    snprintf(buf, cap, "'%.*s'", (int)(e - b), c->src + b);
}

/* ---- lexer ---------------------------------------------------------- */

static int is_name_start(unsigned char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_' ||
           ch >= 0x80;
}

static int is_name_char(unsigned char ch) {
    return is_name_start(ch) || (ch >= '0' && ch <= '9');
}

static int is_digit(unsigned char ch) {
    return ch >= '0' && ch <= '9';
}

static unsigned char at(const comp *c, size_t i) {
    return i < c->len ? (unsigned char)c->src[i] : 0;
}

/* Whether a name or suffix ends at byte i (no name character follows). */
static int ends_at(const comp *c, size_t i) {
    return i >= c->len || !is_name_char(at(c, i));
}

static int lex_number(comp *c, size_t p) {
    tok *t = &c->t;
    size_t q = p;
    uint64_t v = 0;
    int big = 0;

    /* A date is exactly dddd-dd-dd; anything else with dashes is subtraction. */
    if (p + 10 <= c->len && is_digit(at(c, p + 1)) && is_digit(at(c, p + 2)) &&
        is_digit(at(c, p + 3)) && at(c, p + 4) == '-' && is_digit(at(c, p + 5)) &&
        is_digit(at(c, p + 6)) && at(c, p + 7) == '-' && is_digit(at(c, p + 8)) &&
        is_digit(at(c, p + 9)) && ends_at(c, p + 10)) {
        char buf[11];
        zf_date d;
        memcpy(buf, c->src + p, 10);
        buf[10] = '\0';
        if (zf_date_parse(&d, buf, NULL) != ZF_OK)
            return fail(c, ZF_EPARSE, p, "no such date %s", buf);
        t->kind = T_DATE;
        t->ival = d;
        c->pos = p + 10;
        t->len = 10;
        return 0;
    }
    while (q < c->len && is_digit(at(c, q))) {
        unsigned d = at(c, q) - '0';
        if (v > (UINT64_C(9223372036854775807) - d) / 10)
            big = 1;
        else
            v = v * 10 + d;
        q++;
    }
    if (at(c, q) == '.' && is_digit(at(c, q + 1))) {
        /* Money with decimals: 12.5eur, 12.50eur. */
        uint64_t cents = (uint64_t)(at(c, q + 1) - '0') * 10;
        q += 2;
        if (is_digit(at(c, q)))
            cents += at(c, q++) - '0';
        if (is_digit(at(c, q)))
            return fail(c, ZF_EPARSE, p, "money has at most 2 decimals");
        if (!(q + 3 <= c->len && memcmp(c->src + q, "eur", 3) == 0 && ends_at(c, q + 3)))
            return fail(c, ZF_EPARSE, p,
                        "a number with decimals is money and needs the suffix 'eur', "
                        "e.g. 12.50eur");
        if (big || v > (UINT64_C(9223372036854775807) - cents) / 100)
            return fail(c, ZF_EPARSE, p, "money literal is too large");
        t->kind = T_MONEY;
        t->ival = (int64_t)(v * 100 + cents);
        q += 3;
    } else if (q + 3 <= c->len && memcmp(c->src + q, "eur", 3) == 0 &&
               ends_at(c, q + 3)) {
        if (big || v > UINT64_C(9223372036854775807) / 100)
            return fail(c, ZF_EPARSE, p, "money literal is too large");
        t->kind = T_MONEY;
        t->ival = (int64_t)(v * 100);
        q += 3;
    } else if (strchr("dwmy", at(c, q)) && at(c, q) && ends_at(c, q + 1)) {
        static const char units[] = "dwmy";
        if (big || v > DURATION_MAX)
            return fail(c, ZF_EPARSE, p, "duration is too long (at most %d)",
                        DURATION_MAX);
        t->kind = T_DUR;
        t->ival = (int64_t)v;
        t->unit = (uint8_t)(strchr(units, at(c, q)) - units);
        q++;
    } else if (is_name_char(at(c, q)) || at(c, q) == '.') {
        size_t e = q;
        while (e < c->len && (is_name_char(at(c, e)) || at(c, e) == '.'))
            e++;
        if (e - p > 30)
            e = p + 30;
        return fail(c, ZF_EPARSE, p, "invalid number '%.*s'", (int)(e - p), c->src + p);
    } else {
        if (big)
            return fail(c, ZF_EPARSE, p, "integer literal is too large");
        t->kind = T_INT;
        t->ival = (int64_t)v;
    }
    t->len = (uint32_t)(q - p);
    c->pos = q;
    return 0;
}

static const struct {
    const char *word;
    int kind;
} keywords[] = {
    {"true", T_TRUE}, {"false", T_FALSE}, {"and", T_AND},     {"or", T_OR},
    {"not", T_NOT},   {"today", T_TODAY}, {"event", T_EVENT},
};

/* Read the next token into c->t. */
static int next(comp *c) {
    size_t p = c->pos;
    unsigned char ch;
    tok *t = &c->t;

    while (p < c->len && (c->src[p] == ' ' || c->src[p] == '\t' || c->src[p] == '\n' ||
                          c->src[p] == '\r'))
        p++;
    memset(t, 0, sizeof *t);
    t->pos = (uint32_t)p;
    if (p >= c->len) {
        t->kind = T_EOF;
        c->pos = p;
        return 0;
    }
    ch = at(c, p);
    if (is_digit(ch))
        return lex_number(c, p);
    if (is_name_start(ch)) {
        size_t q = p;
        while (q < c->len && is_name_char(at(c, q)))
            q++;
        t->kind = T_NAME;
        t->len = (uint32_t)(q - p);
        for (size_t i = 0; i < ZF__ARRAY_SIZE(keywords); i++)
            if (strlen(keywords[i].word) == t->len &&
                memcmp(keywords[i].word, c->src + p, t->len) == 0)
                t->kind = keywords[i].kind;
        c->pos = q;
        return 0;
    }
    if (ch == '\'' || ch == '"') {
        const char *end = memchr(c->src + p + 1, ch, c->len - p - 1);
        if (!end)
            return fail(c, ZF_EPARSE, p, "unterminated string");
        t->kind = T_STR;
        t->pos = (uint32_t)(p + 1);
        t->len = (uint32_t)(end - (c->src + p + 1));
        c->pos = (size_t)(end - c->src) + 1;
        return 0;
    }
    t->len = 1;
    switch (ch) {
    case '(':
        t->kind = T_LP;
        break;
    case ')':
        t->kind = T_RP;
        break;
    case ',':
        t->kind = T_COMMA;
        break;
    case '.':
        t->kind = T_DOT;
        break;
    case '?':
        t->kind = T_QUEST;
        break;
    case ':':
        t->kind = T_COLON;
        break;
    case '+':
        t->kind = T_PLUS;
        break;
    case '-':
        t->kind = T_MINUS;
        break;
    case '*':
        t->kind = T_STAR;
        break;
    case '/':
        t->kind = T_SLASH;
        break;
    case '%':
        t->kind = T_PERCENT;
        break;
    case '=':
        if (at(c, p + 1) != '=')
            return fail(c, ZF_EPARSE, p, "use '==' to compare");
        t->kind = T_EQ;
        t->len = 2;
        break;
    case '!':
        if (at(c, p + 1) != '=')
            return fail(c, ZF_EPARSE, p, "use 'not' instead of '!'");
        t->kind = T_NE;
        t->len = 2;
        break;
    case '<':
    case '>':
        t->kind = ch == '<' ? T_LT : T_GT;
        if (at(c, p + 1) == '=') {
            t->kind = ch == '<' ? T_LE : T_GE;
            t->len = 2;
        }
        break;
    case '&':
        return fail(c, ZF_EPARSE, p, "use 'and' instead of '&'");
    case '|':
        return fail(c, ZF_EPARSE, p, "use 'or' instead of '|'");
    default:
        if (ch < 0x20 || ch == 0x7f)
            return fail(c, ZF_EPARSE, p, "unexpected character 0x%02x", ch);
        return fail(c, ZF_EPARSE, p, "unexpected character '%c'", ch);
    }
    c->pos = p + t->len;
    return 0;
}

/* Whether the next non-blank character after the current token is '('. */
static int lparen_follows(const comp *c) {
    size_t p = c->pos;
    while (p < c->len && (c->src[p] == ' ' || c->src[p] == '\t' || c->src[p] == '\n' ||
                          c->src[p] == '\r'))
        p++;
    return at(c, p) == '(';
}

/* ---- AST -------------------------------------------------------------- */

static int32_t new_node(comp *c, int kind, zf_type type, const tok *t) {
    node *n;
    if (c->nnodes >= c->cap) /* cannot happen: at most one node per token */
        return fail(c, ZF_EPARSE, t->pos, "expression is too complex");
    n = &c->nodes[c->nnodes];
    memset(n, 0, sizeof *n);
    n->kind = (uint8_t)kind;
    n->type = type;
    n->enum_id = ZF_NOIDX;
    n->pos = n->start = t->pos;
    n->len = t->len;
    n->kid[0] = n->kid[1] = n->kid[2] = n->kid[3] = -1;
    return (int32_t)c->nnodes++;
}

#define N(i) (&c->nodes[(i)])

/* A type for messages: an enumeration by its id. */
static const char *type_text(comp *c, zf_type type, uint16_t enum_id) {
    const char *id = NULL;
    char *buf;
    if (type != ZF_TYPE_ENUM || enum_id == ZF_NOIDX || !c->scope->enum_id_name ||
        !(id = c->scope->enum_id_name(c->scope->ctx, enum_id)))
        return zf_type_name(type);
    buf = c->tbuf[c->tsel];
    c->tsel ^= 1;
    snprintf(buf, sizeof c->tbuf[0], "enumeration '%.60s'", id);
    return buf;
}

static const char *tname(comp *c, const node *n) {
    return type_text(c, n->type, n->enum_id);
}

/* A position in the expression for messages: "4:47" from the scope, or "character N". */
static void where(const comp *c, size_t pos, char *buf, size_t cap) {
    int off = char_offset(c->src, pos < c->len ? pos : c->len);
    if (c->scope->where)
        c->scope->where(c->scope->ctx, off, buf, cap);
    else
        snprintf(buf, cap, "character %d", off + 1);
}

/* int where money is needed: converted as whole euros. */
static void promote(comp *c, int32_t i) {
    N(i)->promote = 1;
    N(i)->type = ZF_TYPE_MONEY;
}

/* Whether node i is a string literal, or a conditional whose branches are. */
static int is_str_lit(comp *c, int32_t i) {
    node *n = N(i);
    if (n->kind == N_LIT && n->type == ZF_TYPE_STRING)
        return 1;
    return n->kind == N_COND && n->type == ZF_TYPE_STRING && is_str_lit(c, n->kid[1]) &&
           is_str_lit(c, n->kid[2]);
}

/* Allowed values of an enumeration for a message: 'a', 'b', 'c'. */
static void enum_values(comp *c, uint16_t enum_id, char *buf, size_t cap) {
    size_t n = 0;
    buf[0] = '\0';
    if (!c->scope->enum_name)
        return;
    for (unsigned v = 0; v < ZF_NOIDX; v++) {
        const char *name = c->scope->enum_name(c->scope->ctx, enum_id, (uint16_t)v);
        int w;
        if (!name)
            break;
        w = snprintf(buf + n, cap - n, "%s'%s'", v ? ", " : "", name);
        if (w < 0 || (size_t)w >= cap - n) {
            /* Mark the cut so the reader knows the list goes on. */
            if (cap > 4)
                memcpy(buf + cap - 4, "...", 4);
            return;
        }
        n += (size_t)w;
    }
}

/* Resolve string literals (possibly inside a conditional) against an enumeration. */
static int to_enum(comp *c, int32_t i, uint16_t enum_id) {
    node *n = N(i);
    if (n->kind == N_COND) {
        if (to_enum(c, n->kid[1], enum_id) < 0 || to_enum(c, n->kid[2], enum_id) < 0)
            return -1;
    } else {
        int v = c->scope->enum_value ? c->scope->enum_value(c->scope->ctx, enum_id,
                                                            c->src + n->pos, n->len)
                                     : -1;
        if (v < 0) {
            char allowed[160];
            const char *id = c->scope->enum_id_name
                                 ? c->scope->enum_id_name(c->scope->ctx, enum_id)
                                 : NULL;
            enum_values(c, enum_id, allowed, sizeof allowed);
            if (id)
                return fail(c, ZF_ESEMANTIC, n->pos - 1,
                            "'%.*s' is not a value of enumeration '%.40s': %s",
                            (int)(n->len > 40 ? 40 : n->len), c->src + n->pos, id,
                            allowed);
            return fail(c, ZF_ESEMANTIC, n->pos - 1, "'%.*s' is not one of %s",
                        (int)(n->len > 40 ? 40 : n->len), c->src + n->pos, allowed);
        }
        n->ival = v;
    }
    n->type = ZF_TYPE_ENUM;
    n->enum_id = enum_id;
    return 0;
}

/*
 * Make the types of two operands agree where the language converts: int to
 * money, a string literal to the enumeration on the other side. Returns 0
 * when the types are now equal, 1 when they stay different, -1 on error.
 */
static int unify(comp *c, int32_t l, int32_t r) {
    zf_type a = N(l)->type, b = N(r)->type;
    if (a == ZF_TYPE_INT && b == ZF_TYPE_MONEY) {
        promote(c, l);
        return 0;
    }
    if (a == ZF_TYPE_MONEY && b == ZF_TYPE_INT) {
        promote(c, r);
        return 0;
    }
    if (a == ZF_TYPE_ENUM && is_str_lit(c, r))
        return to_enum(c, r, N(l)->enum_id);
    if (b == ZF_TYPE_ENUM && is_str_lit(c, l))
        return to_enum(c, l, N(r)->enum_id);
    if (a != b)
        return 1;
    if (a == ZF_TYPE_ENUM && N(l)->enum_id != N(r)->enum_id)
        return 1;
    return 0;
}

static const char *op_text(int kind) {
    switch (kind) {
    case T_PLUS:
        return "+";
    case T_MINUS:
        return "-";
    case T_STAR:
        return "*";
    case T_SLASH:
        return "/";
    case T_PERCENT:
        return "%";
    case T_EQ:
        return "==";
    case T_NE:
        return "!=";
    case T_LT:
        return "<";
    case T_LE:
        return "<=";
    case T_GT:
        return ">";
    case T_GE:
        return ">=";
    case T_AND:
        return "and";
    case T_OR:
        return "or";
    }
    return "?";
}

static int cannot_combine(comp *c, const tok *op, int32_t l, int32_t r) {
    if (op->kind == T_MINUS && N(l)->type == ZF_TYPE_DATE && N(r)->type == ZF_TYPE_DATE)
        return fail(c, ZF_ESEMANTIC, op->pos,
                    "operator '-' cannot combine date and date (use days(a, b))");
    return fail(c, ZF_ESEMANTIC, op->pos, "operator '%s' cannot combine %s and %s",
                op_text(op->kind), tname(c, N(l)), tname(c, N(r)));
}

/* Type-check a binary operator and build its node. */
static int32_t binary(comp *c, const tok *op, int32_t l, int32_t r) {
    zf_type a = N(l)->type, b = N(r)->type, res = ZF_TYPE_VOID;
    int opc = -1, u;
    int32_t i;

    switch (op->kind) {
    case T_PLUS:
    case T_MINUS:
        if (a == ZF_TYPE_DATE && b == ZF_TYPE_DURATION) {
            res = ZF_TYPE_DATE;
            opc = op->kind == T_PLUS ? ZF_OP_DADD : ZF_OP_DSUB;
        } else if (op->kind == T_PLUS && a == ZF_TYPE_DURATION && b == ZF_TYPE_DATE) {
            res = ZF_TYPE_DATE;
            opc = ZF_OP_DURADD;
        } else if ((a == ZF_TYPE_INT || a == ZF_TYPE_MONEY) &&
                   (b == ZF_TYPE_INT || b == ZF_TYPE_MONEY)) {
            unify(c, l, r);
            res = N(l)->type;
            opc = op->kind == T_PLUS ? ZF_OP_ADD : ZF_OP_SUB;
        }
        break;
    case T_STAR:
        if (a == ZF_TYPE_INT && b == ZF_TYPE_INT) {
            res = ZF_TYPE_INT;
            opc = ZF_OP_MUL;
        } else if ((a == ZF_TYPE_MONEY && b == ZF_TYPE_INT) ||
                   (a == ZF_TYPE_INT && b == ZF_TYPE_MONEY)) {
            res = ZF_TYPE_MONEY;
            opc = ZF_OP_MUL;
        } else if (a == ZF_TYPE_DURATION && b == ZF_TYPE_INT) {
            res = ZF_TYPE_DURATION;
            opc = ZF_OP_DMUL;
        } else if (a == ZF_TYPE_INT && b == ZF_TYPE_DURATION) {
            res = ZF_TYPE_DURATION;
            opc = ZF_OP_IMULD;
        }
        break;
    case T_SLASH:
        if ((a == ZF_TYPE_INT || a == ZF_TYPE_MONEY) && b == ZF_TYPE_INT) {
            res = a;
            opc = ZF_OP_DIV;
        }
        break;
    case T_PERCENT:
        if (a == ZF_TYPE_INT && b == ZF_TYPE_INT) {
            res = ZF_TYPE_INT;
            opc = ZF_OP_MOD;
        }
        break;
    case T_EQ:
    case T_NE:
        if ((u = unify(c, l, r)) < 0)
            return -1;
        if (u == 0 && N(l)->type != ZF_TYPE_VOID) {
            res = ZF_TYPE_BOOL;
            opc = op->kind == T_EQ ? ZF_OP_EQ : ZF_OP_NE;
        }
        break;
    default: /* < <= > >= */
        if ((a == ZF_TYPE_INT || a == ZF_TYPE_MONEY) &&
            (b == ZF_TYPE_INT || b == ZF_TYPE_MONEY))
            unify(c, l, r);
        if (N(l)->type == N(r)->type &&
            (a == ZF_TYPE_INT || a == ZF_TYPE_MONEY || a == ZF_TYPE_DATE)) {
            res = ZF_TYPE_BOOL;
            opc = op->kind == T_LT   ? ZF_OP_LT
                  : op->kind == T_LE ? ZF_OP_LE
                  : op->kind == T_GT ? ZF_OP_GT
                                     : ZF_OP_GE;
        }
        break;
    }
    if (opc < 0) {
        /* Report the types as written, before any conversion. */
        N(l)->type = a;
        N(r)->type = b;
        return cannot_combine(c, op, l, r);
    }
    if ((i = new_node(c, N_BINARY, res, op)) < 0)
        return -1;
    N(i)->op = (uint8_t)opc;
    N(i)->start = N(l)->start;
    N(i)->kid[0] = l;
    N(i)->kid[1] = r;
    N(i)->nkids = 2;
    return i;
}

/* ---- parser ------------------------------------------------------------- */

static int32_t parse_cond(comp *c);

static int enter(comp *c) {
    if (++c->depth > MAX_DEPTH)
        return fail(c, ZF_EPARSE, c->t.pos, "expression nests too deeply");
    return 0;
}

static int expect_tok(comp *c, int kind, const char *what) {
    char got[48];
    if (c->t.kind == kind)
        return next(c);
    tok_text(c, &c->t, got, sizeof got);
    return fail(c, ZF_EPARSE, c->t.pos, "expected %s, got %s", what, got);
}

enum fn_kind { F_TERM, F_IN, F_ISSET, F_DATES, F_WEEKDAY, F_MINMAX, F_ACCRUED };

static const struct fn {
    const char *name;
    uint8_t kind;
    uint8_t op; /* opcode or term query */
    uint8_t min, max;
} functions[] = {
    {"end", F_TERM, ZF_TQ_END, 1, 1},
    {"start", F_TERM, ZF_TQ_START, 1, 1},
    {"running", F_TERM, ZF_TQ_RUNNING, 1, 1},
    {"expired", F_TERM, ZF_TQ_EXPIRED, 1, 1},
    {"extended", F_TERM, ZF_TQ_EXTENDED, 1, 1},
    {"suspended", F_TERM, ZF_TQ_SUSPENDED, 1, 1},
    {"in", F_IN, 0, 1, 1},
    {"is_set", F_ISSET, 0, 1, 1},
    {"days", F_DATES, ZF_OP_DAYS, 2, 2},
    {"workdays", F_DATES, ZF_OP_WORKDAYS, 2, 2},
    {"weekday", F_WEEKDAY, ZF_OP_WEEKDAY, 1, 1},
    {"min", F_MINMAX, ZF_OP_MIN, 2, 2},
    {"max", F_MINMAX, ZF_OP_MAX, 2, 2},
    {"accrued", F_ACCRUED, ZF_OP_ACCRUED3, 3, 4},
};

/* Look a name up in the scope; 1 when found. */
static int lookup(comp *c, zf__sym_kind kind, const tok *t, zf__sym *out) {
    memset(out, 0, sizeof *out);
    out->enum_id = ZF_NOIDX;
    return c->scope->lookup &&
           c->scope->lookup(c->scope->ctx, kind, c->src + t->pos, t->len, out) == 1;
}

/* After `event`: '.' and a name. Fills the node as N_EVDATE or N_PARAM. */
static int32_t parse_event(comp *c) {
    tok ev = c->t, name;
    zf__sym sym;
    int32_t i;
    if (!c->scope->event_allowed)
        return fail(c, ZF_ESEMANTIC, ev.pos, "event.* is not available here");
    if (next(c) < 0 || expect_tok(c, T_DOT, "'.' after 'event'") < 0)
        return -1;
    name = c->t;
    if (name.kind != T_NAME && !(name.kind >= T_TRUE && name.kind <= T_EVENT)) {
        char got[48];
        tok_text(c, &name, got, sizeof got);
        return fail(c, ZF_EPARSE, name.pos, "expected a name after 'event.', got %s",
                    got);
    }
    if (name.len == 4 && memcmp(c->src + name.pos, "date", 4) == 0) {
        if ((i = new_node(c, N_EVDATE, ZF_TYPE_DATE, &ev)) < 0)
            return -1;
    } else {
        if (!lookup(c, ZF_SYM_PARAM, &name, &sym))
            return fail(c, ZF_ESEMANTIC, ev.pos,
                        "'event.%.*s' is not a parameter of this event",
                        (int)(name.len > 60 ? 60 : name.len), c->src + name.pos);
        if ((i = new_node(c, N_PARAM, sym.type, &name)) < 0)
            return -1;
        N(i)->sym = sym.index;
        N(i)->maybe_unset = sym.maybe_unset;
        N(i)->enum_id = sym.enum_id;
        N(i)->start = ev.pos;
    }
    N(i)->len = name.pos + name.len - ev.pos;
    return next(c) < 0 ? -1 : i;
}

static int32_t parse_call(comp *c, const struct fn *f) {
    tok fname = c->t;
    int32_t i, kid[4];
    int nargs = 0;
    char got[48], opener[48];
    size_t lp;

    if ((i = new_node(c, N_CALL, ZF_TYPE_VOID, &fname)) < 0)
        return -1;
    if (next(c) < 0) /* the name */
        return -1;
    lp = c->t.pos; /* the '(' */
    if (next(c) < 0)
        return -1;
    for (;;) {
        if (c->t.kind == T_RP && nargs < f->min)
            return fail(c, ZF_EPARSE, c->t.pos, "'%s' takes %s%d argument%s", f->name,
                        f->min != f->max ? "at least " : "", f->min,
                        f->min == 1 ? "" : "s");
        if (nargs == 0 && f->kind != F_DATES && f->kind != F_WEEKDAY &&
            f->kind != F_MINMAX) {
            /* The first argument names a term, state, variable or rate table. */
            tok t = c->t;
            zf__sym sym;
            if (f->kind == F_ISSET && t.kind == T_EVENT) {
                if ((kid[0] = parse_event(c)) < 0)
                    return -1;
                if (N(kid[0])->kind != N_PARAM)
                    return fail(c, ZF_ESEMANTIC, t.pos, "event.date is always set");
                N(i)->op = 1;
                N(i)->sym = N(kid[0])->sym;
                N(i)->maybe_unset = N(kid[0])->maybe_unset;
            } else {
                static const char *what[] = {"a term", "a state", "a variable",  "",
                                             "",       "",        "a rate table"};
                static const char *unknown[] = {"term", "state", "variable",  "",
                                                "",     "",      "rate table"};
                static const zf__sym_kind kinds[] = {
                    ZF_SYM_TERM, ZF_SYM_STATE, ZF_SYM_VAR, 0, 0, 0, ZF_SYM_RATES};
                if (t.kind != T_NAME) {
                    tok_text(c, &t, got, sizeof got);
                    return fail(c, ZF_EPARSE, t.pos, "'%s' takes the name of %s, got %s",
                                f->name, what[f->kind], got);
                }
                if (!lookup(c, kinds[f->kind], &t, &sym))
                    return fail(c, ZF_ESEMANTIC, t.pos, "unknown %s '%.*s'",
                                unknown[f->kind], (int)(t.len > 60 ? 60 : t.len),
                                c->src + t.pos);
                N(i)->sym = sym.index;
                N(i)->maybe_unset = sym.maybe_unset;
                N(i)->len = t.len;
                N(i)->pos = t.pos; /* the name: runtime messages quote it */
                if (next(c) < 0)
                    return -1;
            }
        } else {
            if ((kid[nargs] = parse_cond(c)) < 0)
                return -1;
            N(i)->kid[nargs] = kid[nargs];
        }
        nargs++;
        if (c->t.kind == T_RP)
            break;
        if (c->t.kind == T_COMMA && nargs < f->max) {
            if (next(c) < 0)
                return -1;
            continue;
        }
        if (c->t.kind == T_COMMA)
            return fail(c, ZF_EPARSE, c->t.pos, "'%s' takes %s%d argument%s", f->name,
                        f->min != f->max ? "at most " : "", f->max,
                        f->max == 1 ? "" : "s");
        tok_text(c, &c->t, got, sizeof got);
        where(c, lp, opener, sizeof opener);
        if (nargs >= f->max)
            return fail(c, ZF_EPARSE, c->t.pos,
                        "expected ')' to close '%s(' at %s, got %s", f->name, opener,
                        got);
        return fail(c, ZF_EPARSE, c->t.pos,
                    "expected ',' or ')' in the arguments of '%s(' at %s, got %s",
                    f->name, opener, got);
    }
    if (nargs < f->min)
        return fail(c, ZF_EPARSE, c->t.pos, "'%s' takes %s%d argument%s", f->name,
                    f->min != f->max ? "at least " : "", f->min, f->min == 1 ? "" : "s");
    if (next(c) < 0)
        return -1;
    N(i)->nkids = (uint8_t)nargs;

    switch (f->kind) {
    case F_TERM:
        N(i)->kind = N_TERM;
        N(i)->op = f->op;
        N(i)->type =
            f->op == ZF_TQ_END || f->op == ZF_TQ_START ? ZF_TYPE_DATE : ZF_TYPE_BOOL;
        N(i)->nkids = 0;
        break;
    case F_IN:
        N(i)->kind = N_IN;
        N(i)->type = ZF_TYPE_BOOL;
        N(i)->nkids = 0;
        break;
    case F_ISSET:
        N(i)->kind = N_ISSET;
        N(i)->type = ZF_TYPE_BOOL;
        N(i)->nkids = 0;
        break;
    case F_DATES:
    case F_WEEKDAY:
        for (int k = 0; k < nargs; k++)
            if (N(kid[k])->type != ZF_TYPE_DATE)
                return fail(c, ZF_ESEMANTIC, N(kid[k])->start,
                            "argument %d of '%s' must be date, got %s", k + 1, f->name,
                            tname(c, N(kid[k])));
        N(i)->op = f->op;
        N(i)->type = ZF_TYPE_INT;
        break;
    case F_MINMAX: {
        zf_type a = N(kid[0])->type;
        int u = unify(c, kid[0], kid[1]);
        if (u < 0)
            return -1;
        if (u ||
            !(N(kid[0])->type == ZF_TYPE_INT || N(kid[0])->type == ZF_TYPE_MONEY ||
              N(kid[0])->type == ZF_TYPE_DATE || N(kid[0])->type == ZF_TYPE_DURATION))
            return fail(c, ZF_ESEMANTIC, fname.pos,
                        "'%s' needs two ints, amounts, dates or durations, got %s and %s",
                        f->name, type_text(c, a, N(kid[0])->enum_id),
                        tname(c, N(kid[1])));
        N(i)->op = f->op;
        N(i)->type = N(kid[0])->type;
        break;
    }
    case F_ACCRUED:
        for (int k = 1; k < nargs; k++)
            if (N(kid[k])->type != ZF_TYPE_DATE)
                return fail(c, ZF_ESEMANTIC, N(kid[k])->start,
                            "argument %d of '%s' must be date, got %s", k + 1, f->name,
                            tname(c, N(kid[k])));
        /* The rate table is not a value: shift the dates into kid[0..]. */
        for (int k = 1; k < nargs; k++)
            N(i)->kid[k - 1] = kid[k];
        N(i)->kid[nargs - 1] = -1;
        N(i)->nkids = (uint8_t)(nargs - 1);
        N(i)->op = nargs == 4 ? ZF_OP_ACCRUED4 : ZF_OP_ACCRUED3;
        N(i)->type = ZF_TYPE_MONEY;
        break;
    }
    return i;
}

static int32_t parse_primary(comp *c) {
    tok t = c->t;
    int32_t i;
    zf__sym sym;
    char got[48];

    switch (t.kind) {
    case T_TRUE:
    case T_FALSE:
        if ((i = new_node(c, N_LIT, ZF_TYPE_BOOL, &t)) < 0)
            return -1;
        N(i)->ival = t.kind == T_TRUE;
        break;
    case T_INT:
    case T_MONEY:
    case T_DATE:
    case T_DUR:
    case T_STR: {
        static const zf_type types[] = {ZF_TYPE_INT, ZF_TYPE_MONEY, ZF_TYPE_DATE,
                                        ZF_TYPE_DURATION, ZF_TYPE_STRING};
        if ((i = new_node(c, N_LIT, types[t.kind - T_INT], &t)) < 0)
            return -1;
        N(i)->ival = t.ival;
        N(i)->unit = t.unit;
        if (t.kind == T_STR)
            N(i)->start = t.pos - 1; /* the opening quote */
        break;
    }
    case T_TODAY:
        if ((i = new_node(c, N_TODAY, ZF_TYPE_DATE, &t)) < 0)
            return -1;
        break;
    case T_EVENT:
        return parse_event(c);
    case T_LP:
        if (next(c) < 0 || (i = parse_cond(c)) < 0)
            return -1;
        N(i)->start = t.pos;
        if (c->t.kind != T_RP) {
            char opener[48];
            tok_text(c, &c->t, got, sizeof got);
            where(c, t.pos, opener, sizeof opener);
            return fail(c, ZF_EPARSE, c->t.pos,
                        "expected ')' to close the '(' at %s, got %s", opener, got);
        }
        break;
    case T_NAME:
        if (lparen_follows(c)) {
            for (size_t f = 0; f < ZF__ARRAY_SIZE(functions); f++)
                if (strlen(functions[f].name) == t.len &&
                    memcmp(functions[f].name, c->src + t.pos, t.len) == 0)
                    return parse_call(c, &functions[f]);
            return fail(c, ZF_ESEMANTIC, t.pos, "unknown function '%.*s'",
                        (int)(t.len > 60 ? 60 : t.len), c->src + t.pos);
        }
        if (!lookup(c, ZF_SYM_VAR, &t, &sym))
            return fail(c, ZF_ESEMANTIC, t.pos, "unknown variable '%.*s'",
                        (int)(t.len > 60 ? 60 : t.len), c->src + t.pos);
        if (sym.type == ZF_TYPE_VOID)
            return fail(c, ZF_ESEMANTIC, t.pos, "variable '%.*s' has no type",
                        (int)(t.len > 60 ? 60 : t.len), c->src + t.pos);
        if ((i = new_node(c, N_VAR, sym.type, &t)) < 0)
            return -1;
        N(i)->sym = sym.index;
        N(i)->maybe_unset = sym.maybe_unset;
        N(i)->enum_id = sym.enum_id;
        break;
    default:
        tok_text(c, &t, got, sizeof got);
        return fail(c, ZF_EPARSE, t.pos, "expected a value, got %s", got);
    }
    return next(c) < 0 ? -1 : i;
}

static int32_t parse_unary(comp *c) {
    tok op = c->t;
    int32_t e, i;
    if (op.kind != T_MINUS)
        return parse_primary(c);
    if (enter(c) < 0 || next(c) < 0 || (e = parse_unary(c)) < 0)
        return -1;
    c->depth--;
    if (N(e)->type != ZF_TYPE_INT && N(e)->type != ZF_TYPE_MONEY)
        return fail(c, ZF_ESEMANTIC, op.pos, "operator '-' cannot be applied to %s",
                    tname(c, N(e)));
    if ((i = new_node(c, N_UNARY, N(e)->type, &op)) < 0)
        return -1;
    N(i)->op = ZF_OP_NEG;
    N(i)->kid[0] = e;
    N(i)->nkids = 1;
    return i;
}

static int32_t parse_mul(comp *c) {
    int32_t l, r;
    if ((l = parse_unary(c)) < 0)
        return -1;
    while (c->t.kind == T_STAR || c->t.kind == T_SLASH || c->t.kind == T_PERCENT) {
        tok op = c->t;
        if (next(c) < 0 || (r = parse_unary(c)) < 0 || (l = binary(c, &op, l, r)) < 0)
            return -1;
    }
    return l;
}

static int32_t parse_add(comp *c) {
    int32_t l, r;
    if ((l = parse_mul(c)) < 0)
        return -1;
    while (c->t.kind == T_PLUS || c->t.kind == T_MINUS) {
        tok op = c->t;
        if (next(c) < 0 || (r = parse_mul(c)) < 0 || (l = binary(c, &op, l, r)) < 0)
            return -1;
    }
    return l;
}

static int is_cmp(int kind) {
    return kind >= T_EQ && kind <= T_GE;
}

static int32_t parse_cmp(comp *c) {
    int32_t l, r;
    tok op;
    if ((l = parse_add(c)) < 0)
        return -1;
    if (!is_cmp(c->t.kind))
        return l;
    op = c->t;
    if (next(c) < 0 || (r = parse_add(c)) < 0 || (l = binary(c, &op, l, r)) < 0)
        return -1;
    if (is_cmp(c->t.kind))
        return fail(c, ZF_EPARSE, c->t.pos, "comparisons do not chain; use 'and'");
    return l;
}

static int32_t parse_not(comp *c) {
    tok op = c->t;
    int32_t e, i;
    if (op.kind != T_NOT)
        return parse_cmp(c);
    if (enter(c) < 0 || next(c) < 0 || (e = parse_not(c)) < 0)
        return -1;
    c->depth--;
    if (N(e)->type != ZF_TYPE_BOOL)
        return fail(c, ZF_ESEMANTIC, op.pos, "operator 'not' needs bool, got %s",
                    tname(c, N(e)));
    if ((i = new_node(c, N_UNARY, ZF_TYPE_BOOL, &op)) < 0)
        return -1;
    N(i)->op = ZF_OP_NOT;
    N(i)->kid[0] = e;
    N(i)->nkids = 1;
    return i;
}

static int32_t logic(comp *c, const tok *op, int32_t l, int32_t r) {
    int32_t i;
    if (N(l)->type != ZF_TYPE_BOOL || N(r)->type != ZF_TYPE_BOOL)
        return fail(c, ZF_ESEMANTIC, op->pos,
                    "operator '%s' needs bool and bool, got %s and %s", op_text(op->kind),
                    tname(c, N(l)), tname(c, N(r)));
    if ((i = new_node(c, op->kind == T_AND ? N_AND : N_OR, ZF_TYPE_BOOL, op)) < 0)
        return -1;
    N(i)->start = N(l)->start;
    N(i)->kid[0] = l;
    N(i)->kid[1] = r;
    N(i)->nkids = 2;
    return i;
}

static int32_t parse_and(comp *c) {
    int32_t l, r;
    if ((l = parse_not(c)) < 0)
        return -1;
    while (c->t.kind == T_AND) {
        tok op = c->t;
        if (next(c) < 0 || (r = parse_not(c)) < 0 || (l = logic(c, &op, l, r)) < 0)
            return -1;
    }
    return l;
}

static int32_t parse_or(comp *c) {
    int32_t l, r;
    if ((l = parse_and(c)) < 0)
        return -1;
    while (c->t.kind == T_OR) {
        tok op = c->t;
        if (next(c) < 0 || (r = parse_and(c)) < 0 || (l = logic(c, &op, l, r)) < 0)
            return -1;
    }
    return l;
}

/* cond ? a : b, right-associative; the lowest precedence. */
static int32_t parse_cond(comp *c) {
    int32_t e, a, b, i;
    tok q;
    if (enter(c) < 0 || (e = parse_or(c)) < 0)
        return -1;
    if (c->t.kind != T_QUEST) {
        c->depth--;
        return e;
    }
    q = c->t;
    if (next(c) < 0 || (a = parse_cond(c)) < 0)
        return -1;
    if (expect_tok(c, T_COLON, "':' in 'cond ? a : b'") < 0 || (b = parse_cond(c)) < 0)
        return -1;
    c->depth--;
    if (N(e)->type != ZF_TYPE_BOOL)
        return fail(c, ZF_ESEMANTIC, N(e)->start,
                    "condition before '?' must be bool, got %s", tname(c, N(e)));
    {
        zf_type ta = N(a)->type, tb = N(b)->type;
        int u = unify(c, a, b);
        if (u < 0)
            return -1;
        if (u)
            return fail(c, ZF_ESEMANTIC, q.pos,
                        "the branches of '?' have different types: %s and %s",
                        type_text(c, ta, N(a)->enum_id), type_text(c, tb, N(b)->enum_id));
    }
    if ((i = new_node(c, N_COND, N(a)->type, &q)) < 0)
        return -1;
    N(i)->enum_id = N(a)->enum_id;
    N(i)->start = N(e)->start;
    N(i)->kid[0] = e;
    N(i)->kid[1] = a;
    N(i)->kid[2] = b;
    N(i)->nkids = 3;
    return i;
}

/* ---- code generation -------------------------------------------------- */

static void put(comp *c, const void *p, size_t n) {
    if (c->out)
        memcpy(c->out + c->n, p, n);
    c->n += n;
}

static void put8(comp *c, unsigned v) {
    uint8_t b = (uint8_t)v;
    put(c, &b, 1);
}

static void put16(comp *c, unsigned v) {
    uint8_t b[2] = {(uint8_t)v, (uint8_t)(v >> 8)};
    put(c, b, 2);
}

static void put32(comp *c, int32_t v) {
    uint32_t u = (uint32_t)v;
    uint8_t b[4] = {(uint8_t)u, (uint8_t)(u >> 8), (uint8_t)(u >> 16),
                    (uint8_t)(u >> 24)};
    put(c, b, 4);
}

static void put64(comp *c, int64_t v) {
    uint64_t u = (uint64_t)v;
    for (int i = 0; i < 8; i++)
        put8(c, (unsigned)(u >> (8 * i)) & 0xff);
}

/* The instruction emitted last is as long as expr_op.h says (its operands were
 * written in the order of its layout, through the put*() above). */
static void check_last(const comp *c) {
    ZF_ASSERT(!c->out || c->n == 0 || c->n - c->ins == zf__op_len[c->out[c->ins]]);
    (void)c;
}

/* Emit an opcode and account for its effect on the stack. */
static int op(comp *c, int opc, int effect, const node *n) {
    check_last(c);
    c->ins = c->n;
    put8(c, (unsigned)opc);
    c->sp += effect;
    if (c->sp > c->maxsp) {
        c->maxsp = c->sp;
        if (c->maxsp > ZF_EXPR_MAX_STACK)
            return fail(c, ZF_EPARSE, n->start, "expression is too complex");
    }
    return 0;
}

/* Copy a string constant into the constant area; returns its offset. */
static unsigned put_string(comp *c, const char *s, size_t len) {
    size_t off = c->strbase + c->strsize;
    if (c->out) {
        memcpy(c->out + off, s, len);
        c->out[off + len] = '\0';
    }
    c->strsize += len + 1;
    return (unsigned)off;
}

/* Write a jump target at `at_` (ZF__ARG_JUMP bytes after its jump's opcode). */
static void patch(comp *c, size_t at_, size_t target) {
    if (c->out) {
        c->out[at_] = (uint8_t)target;
        c->out[at_ + 1] = (uint8_t)(target >> 8);
    }
}

static int gen(comp *c, int32_t i) {
    node *n = N(i);
    size_t j1, j2;
    switch (n->kind) {
    case N_LIT:
        switch (n->type) {
        case ZF_TYPE_BOOL:
            if (op(c, n->ival ? ZF_OP_TRUE : ZF_OP_FALSE, 1, n) < 0)
                return -1;
            break;
        case ZF_TYPE_INT:
        case ZF_TYPE_MONEY:
            /* A promoted literal has type money but still holds euros. */
            if (op(c, n->type == ZF_TYPE_MONEY && !n->promote ? ZF_OP_MONEY : ZF_OP_INT,
                   1, n) < 0)
                return -1;
            put64(c, n->ival);
            break;
        case ZF_TYPE_DATE:
            if (op(c, ZF_OP_DATE, 1, n) < 0)
                return -1;
            put32(c, (int32_t)n->ival);
            break;
        case ZF_TYPE_DURATION:
            if (op(c, ZF_OP_DUR, 1, n) < 0)
                return -1;
            put32(c, (int32_t)n->ival);
            put8(c, n->unit);
            break;
        case ZF_TYPE_STRING:
            if (op(c, ZF_OP_STR, 1, n) < 0)
                return -1;
            put16(c, put_string(c, c->src + n->pos, n->len));
            break;
        case ZF_TYPE_ENUM:
            if (op(c, ZF_OP_ENUM, 1, n) < 0)
                return -1;
            put16(c, (unsigned)n->ival);
            put16(c, put_string(c, c->src + n->pos, n->len));
            break;
        default:
            break;
        }
        break;
    case N_VAR:
    case N_PARAM:
        if (op(c, n->kind == N_VAR ? ZF_OP_VAR : ZF_OP_PARAM, 1, n) < 0)
            return -1;
        put16(c, n->sym);
        /* The declared type: a promoted int variable still holds an int. */
        put8(c, n->promote ? ZF_TYPE_INT : n->type);
        put16(c, n->pos);
        break;
    case N_EVDATE:
        if (op(c, ZF_OP_EVDATE, 1, n) < 0)
            return -1;
        break;
    case N_TODAY:
        if (op(c, ZF_OP_TODAY, 1, n) < 0)
            return -1;
        break;
    case N_ISSET:
        if (op(c, n->op ? ZF_OP_ISSET_PARAM : ZF_OP_ISSET_VAR, 1, n) < 0)
            return -1;
        put16(c, n->sym);
        break;
    case N_TERM:
        if (op(c, ZF_OP_TERM, 1, n) < 0)
            return -1;
        put8(c, n->op);
        put16(c, n->sym);
        put16(c, n->pos);
        break;
    case N_IN:
        if (op(c, ZF_OP_IN, 1, n) < 0)
            return -1;
        put16(c, n->sym);
        put16(c, n->pos);
        break;
    case N_UNARY:
        if (gen(c, n->kid[0]) < 0 || op(c, n->op, 0, n) < 0)
            return -1;
        break;
    case N_BINARY:
        if (gen(c, n->kid[0]) < 0 || gen(c, n->kid[1]) < 0 || op(c, n->op, -1, n) < 0)
            return -1;
        break;
    case N_AND:
    case N_OR:
        /* Short circuit: the jump keeps the deciding value, else drops it. */
        if (gen(c, n->kid[0]) < 0 ||
            op(c, n->kind == N_AND ? ZF_OP_JFK : ZF_OP_JTK, -1, n) < 0)
            return -1;
        j1 = c->ins + ZF__ARG_JUMP;
        put16(c, 0);
        if (gen(c, n->kid[1]) < 0)
            return -1;
        patch(c, j1, c->n);
        break;
    case N_COND:
        if (gen(c, n->kid[0]) < 0 || op(c, ZF_OP_JF, -1, n) < 0)
            return -1;
        j1 = c->ins + ZF__ARG_JUMP;
        put16(c, 0);
        if (gen(c, n->kid[1]) < 0 || op(c, ZF_OP_JMP, 0, n) < 0)
            return -1;
        j2 = c->ins + ZF__ARG_JUMP;
        put16(c, 0);
        c->sp--; /* only one branch runs */
        patch(c, j1, c->n);
        if (gen(c, n->kid[2]) < 0)
            return -1;
        patch(c, j2, c->n);
        break;
    case N_CALL:
        for (int k = 0; k < n->nkids; k++)
            if (gen(c, n->kid[k]) < 0)
                return -1;
        if (op(c, n->op, 1 - n->nkids, n) < 0)
            return -1;
        if (n->op == ZF_OP_ACCRUED3 || n->op == ZF_OP_ACCRUED4) {
            put16(c, n->sym);
            put16(c, n->pos);
        }
        break;
    }
    if (n->promote && op(c, ZF_OP_TOMONEY, 0, n) < 0)
        return -1;
    return 0;
}

static int generate(comp *c, int32_t root) {
    c->n = c->ins = 0;
    c->sp = c->maxsp = 0;
    if (gen(c, root) < 0)
        return -1;
    check_last(c);
    c->ins = c->n;
    put8(c, ZF_OP_RET);
    check_last(c);
    return 0;
}

/* ---- facts for the checker ---------------------------------------------- */

/*
 * Definedness (docs/expressions.md, "Values that may be unset"). Every
 * maybe-unset variable or parameter the expression mentions gets a slot (at
 * most 64; reads of further ones are not checked); a mask of slots says which
 * of them a subexpression proves set when it is true or false.
 */
typedef struct slots {
    uint16_t sym[64];
    uint8_t kind[64];
    int n;
} slots;

static int slot_of(slots *sl, zf__sym_kind kind, uint16_t sym) {
    for (int k = 0; k < sl->n; k++)
        if (sl->sym[k] == sym && sl->kind[k] == kind)
            return k;
    if (sl->n == 64)
        return -1;
    sl->sym[sl->n] = sym;
    sl->kind[sl->n] = (uint8_t)kind;
    return sl->n++;
}

/* The slots node i proves set when it evaluates to `when` (short-circuit aware). */
static uint64_t proves(comp *c, slots *sl, int32_t i, int when) {
    const node *n = N(i);
    int k;
    switch (n->kind) {
    case N_ISSET:
        if (!when || !n->maybe_unset)
            return 0;
        k = slot_of(sl, n->op ? ZF_SYM_PARAM : ZF_SYM_VAR, n->sym);
        return k < 0 ? 0 : UINT64_C(1) << k;
    case N_UNARY:
        return n->op == ZF_OP_NOT ? proves(c, sl, n->kid[0], !when) : 0;
    case N_AND:
        return when ? proves(c, sl, n->kid[0], 1) | proves(c, sl, n->kid[1], 1)
                    : proves(c, sl, n->kid[0], 0) & proves(c, sl, n->kid[1], 0);
    case N_OR:
        return when ? proves(c, sl, n->kid[0], 1) & proves(c, sl, n->kid[1], 1)
                    : proves(c, sl, n->kid[0], 0) | proves(c, sl, n->kid[1], 0);
    case N_COND:
        if (n->type != ZF_TYPE_BOOL)
            return 0;
        return (proves(c, sl, n->kid[0], 1) | proves(c, sl, n->kid[1], when)) &
               (proves(c, sl, n->kid[0], 0) | proves(c, sl, n->kid[2], when));
    default:
        return 0;
    }
}

static void emit(comp *c, const zf__expr_fact *f) {
    c->scope->fact(c->scope->ctx, f);
}

/* Report the reads of maybe-unset symbols that `guard` (slots known set) does not cover:
 * `b` in `a and b` is guarded by what a proves true, in `a or b` by what a proves false,
 * the branches of `c ? x : y` by what c proves true and false. */
static void unguarded(comp *c, slots *sl, int32_t i, uint64_t guard) {
    const node *n = N(i);
    switch (n->kind) {
    case N_VAR:
    case N_PARAM:
        if (n->maybe_unset) {
            zf__sym_kind kind = n->kind == N_VAR ? ZF_SYM_VAR : ZF_SYM_PARAM;
            int k = slot_of(sl, kind, n->sym);
            if (k >= 0 && !(guard & (UINT64_C(1) << k))) {
                zf__expr_fact f;
                memset(&f, 0, sizeof f);
                f.kind = ZF_FACT_UNGUARDED;
                f.sym_kind = kind;
                f.sym = n->sym;
                f.offset = char_offset(c->src, n->start);
                emit(c, &f);
            }
        }
        return;
    case N_AND:
        unguarded(c, sl, n->kid[0], guard);
        unguarded(c, sl, n->kid[1], guard | proves(c, sl, n->kid[0], 1));
        return;
    case N_OR:
        unguarded(c, sl, n->kid[0], guard);
        unguarded(c, sl, n->kid[1], guard | proves(c, sl, n->kid[0], 0));
        return;
    case N_COND:
        unguarded(c, sl, n->kid[0], guard);
        unguarded(c, sl, n->kid[1], guard | proves(c, sl, n->kid[0], 1));
        unguarded(c, sl, n->kid[2], guard | proves(c, sl, n->kid[0], 0));
        return;
    default:
        for (int k = 0; k < n->nkids; k++)
            if (n->kid[k] >= 0)
                unguarded(c, sl, n->kid[k], guard);
    }
}

static int is_sym(const node *n) {
    return n->kind == N_VAR || n->kind == N_PARAM;
}

/* The comparisons of a bool or enumeration symbol with a literal that node i implies
 * when it is `positive` (true), through 'and', 'not' and a negated 'or'. */
static void atoms(comp *c, int32_t i, int positive) {
    const node *n = N(i), *sym = NULL, *lit = NULL;
    zf__expr_fact f;
    memset(&f, 0, sizeof f);
    if ((n->kind == N_AND && positive) || (n->kind == N_OR && !positive)) {
        atoms(c, n->kid[0], positive);
        atoms(c, n->kid[1], positive);
        return;
    }
    if (n->kind == N_UNARY && n->op == ZF_OP_NOT) {
        atoms(c, n->kid[0], !positive);
        return;
    }
    if (is_sym(n) && n->type == ZF_TYPE_BOOL) {
        sym = n;
        f.kind = ZF_FACT_EQ;
        f.value = positive;
    } else if (n->kind == N_BINARY && (n->op == ZF_OP_EQ || n->op == ZF_OP_NE)) {
        const node *l = N(n->kid[0]), *r = N(n->kid[1]);
        if (is_sym(l) && r->kind == N_LIT) {
            sym = l;
            lit = r;
        } else if (is_sym(r) && l->kind == N_LIT) {
            sym = r;
            lit = l;
        }
        if (!sym || (lit->type != ZF_TYPE_BOOL && lit->type != ZF_TYPE_ENUM))
            return;
        f.kind = (n->op == ZF_OP_EQ) == positive ? ZF_FACT_EQ : ZF_FACT_NE;
        f.value = lit->ival;
    } else {
        return;
    }
    f.sym_kind = sym->kind == N_VAR ? ZF_SYM_VAR : ZF_SYM_PARAM;
    f.sym = sym->sym;
    f.offset = char_offset(c->src, n->start);
    emit(c, &f);
}

/* Whether every result of node i is a string or duration literal (through ?:);
 * with `all` >= 0, report each such literal. */
static int literals(comp *c, int32_t i, int all) {
    const node *n = N(i);
    if (n->kind == N_COND) {
        int a = literals(c, n->kid[1], all), b = literals(c, n->kid[2], all);
        return a && b;
    }
    if (n->kind != N_LIT || (n->type != ZF_TYPE_STRING && n->type != ZF_TYPE_DURATION))
        return 0;
    if (all >= 0) {
        zf__expr_fact f;
        memset(&f, 0, sizeof f);
        f.kind = ZF_FACT_LITERAL;
        f.type = n->type;
        f.value = n->ival;
        f.unit = n->unit;
        f.all = (uint8_t)all;
        f.offset = char_offset(c->src, n->start);
        f.text = c->src + n->pos;
        f.len = n->len;
        emit(c, &f);
    }
    return 1;
}

/* Whether the expression reads nothing outside itself. */
static int is_const(const comp *c) {
    for (uint32_t i = 0; i < c->nnodes; i++) {
        const node *n = &c->nodes[i];
        if (n->kind != N_LIT && n->kind != N_UNARY && n->kind != N_BINARY &&
            n->kind != N_AND && n->kind != N_OR && n->kind != N_COND &&
            !(n->kind == N_CALL && n->op != ZF_OP_ACCRUED3 && n->op != ZF_OP_ACCRUED4))
            return 0;
    }
    return 1;
}

static void report_facts(comp *c, int32_t root) {
    slots sl;
    zf__expr_fact f;
    uint64_t set;
    if (!c->scope->fact)
        return;
    memset(&sl, 0, sizeof sl);
    unguarded(c, &sl, root, 0);
    if (N(root)->type == ZF_TYPE_BOOL) {
        set = proves(c, &sl, root, 1);
        for (int k = 0; k < sl.n; k++) {
            if (!(set & (UINT64_C(1) << k)))
                continue;
            memset(&f, 0, sizeof f);
            f.kind = ZF_FACT_SET;
            f.sym_kind = (zf__sym_kind)sl.kind[k];
            f.sym = sl.sym[k];
            emit(c, &f);
        }
        atoms(c, root, 1);
    }
    literals(c, root, literals(c, root, -1));
    if (is_const(c)) {
        memset(&f, 0, sizeof f);
        f.kind = ZF_FACT_CONST;
        emit(c, &f);
    }
}

/* ---- entry points ---------------------------------------------------- */

/* Offset of the first byte that is not valid UTF-8, or len. */
static size_t utf8_check(const unsigned char *s, size_t len) {
    size_t i = 0;
    while (i < len) {
        unsigned char b = s[i];
        size_t n;
        uint32_t cp;
        if (b < 0x80) {
            i++;
            continue;
        }
        if (b >= 0xc2 && b <= 0xdf) {
            n = 1;
            cp = b & 0x1f;
        } else if (b >= 0xe0 && b <= 0xef) {
            n = 2;
            cp = b & 0x0f;
        } else if (b >= 0xf0 && b <= 0xf4) {
            n = 3;
            cp = b & 0x07;
        } else {
            return i;
        }
        if (n >= len - i)
            return i;
        for (size_t k = 1; k <= n; k++) {
            if ((s[i + k] & 0xc0) != 0x80)
                return i;
            cp = (cp << 6) | (s[i + k] & 0x3f);
        }
        /* Overlong forms and UTF-16 surrogates. */
        if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
            (cp >= 0xd800 && cp <= 0xdfff))
            return i;
        i += n + 1;
    }
    return len;
}

zf_code zf__expr_compile(zf__program *out, const char *src, size_t len,
                         const zf__expr_scope *scope, zf_type expect,
                         zf__expr_diag *diag) {
    comp c;
    int32_t root;
    size_t nchars = 0, bad, total;
    uint16_t want_enum;

    if (diag) {
        diag->code = ZF_OK;
        diag->offset = 0;
        diag->message[0] = '\0';
    }
    if (!out || (!src && len) || !scope)
        return ZF_EINVAL;
    /* The caller names the enumeration an enum result must belong to. */
    want_enum = expect == ZF_TYPE_ENUM ? out->enum_id : ZF_NOIDX;
    memset(out, 0, sizeof *out);
    memset(&c, 0, sizeof c);
    c.src = src ? src : "";
    c.len = len;
    c.scope = scope;
    c.diag = diag;

    for (size_t i = 0; i < len; i++)
        if (((unsigned char)src[i] & 0xc0) != 0x80 && ++nchars > ZF_EXPR_MAX_LEN)
            return fail(&c, ZF_EPARSE, i, "expression is too long"), c.rc;
    if ((bad = utf8_check((const unsigned char *)c.src, len)) < len)
        return fail(&c, ZF_EPARSE, bad, "expression is not valid utf-8"), c.rc;

    /* Every node comes from a distinct token and a token is at least one character. */
    c.cap = (uint32_t)nchars + 1;
    c.nodes = zf__malloc(c.cap * sizeof *c.nodes);
    if (!c.nodes)
        return ZF_ENOMEM;

    if (next(&c) < 0)
        goto done;
    if (c.t.kind == T_EOF) {
        fail(&c, ZF_EPARSE, 0, "expression is empty");
        goto done;
    }
    if ((root = parse_cond(&c)) < 0)
        goto done;
    if (c.t.kind != T_EOF) {
        char got[48];
        tok_text(&c, &c.t, got, sizeof got);
        fail(&c, ZF_EPARSE, c.t.pos, "expected end of expression, got %s", got);
        goto done;
    }
    if (expect == ZF_TYPE_MONEY && c.nodes[root].type == ZF_TYPE_INT)
        promote(&c, root);
    if (expect == ZF_TYPE_ENUM && want_enum != ZF_NOIDX && is_str_lit(&c, root) &&
        to_enum(&c, root, want_enum) < 0)
        goto done;
    if (expect != ZF_TYPE_VOID && (c.nodes[root].type != expect ||
                                   (expect == ZF_TYPE_ENUM && want_enum != ZF_NOIDX &&
                                    c.nodes[root].enum_id != want_enum))) {
        if (expect == ZF_TYPE_ENUM && c.nodes[root].type == ZF_TYPE_ENUM &&
            scope->enum_id_name)
            fail(&c, ZF_ESEMANTIC, c.nodes[root].start, "type %s expected, got %s",
                 type_text(&c, expect, want_enum), tname(&c, &c.nodes[root]));
        else if (expect == ZF_TYPE_ENUM && c.nodes[root].type == ZF_TYPE_ENUM)
            fail(&c, ZF_ESEMANTIC, c.nodes[root].start,
                 "type enum expected, got a value of another enumeration");
        else
            fail(&c, ZF_ESEMANTIC, c.nodes[root].start, "type %s expected, got %s",
                 type_text(&c, expect, want_enum), tname(&c, &c.nodes[root]));
        goto done;
    }

    /* Measure, allocate once, then write: code, source copy, strings. */
    if (generate(&c, root) < 0)
        goto done;
    c.strbase = c.n + len + 1;
    total = c.strbase + c.strsize;
    if (total > 0xffff) {
        fail(&c, ZF_EPARSE, 0, "expression is too long");
        goto done;
    }
    c.out = zf__malloc(total);
    if (!c.out) {
        c.rc = ZF_ENOMEM;
        goto done;
    }
    c.strsize = 0;
    generate(&c, root);
    memcpy(c.out + c.n, c.src, len);
    c.out[c.n + len] = '\0';
    report_facts(&c, root);

    out->code = c.out;
    out->len = (uint32_t)total;
    out->type = c.nodes[root].type;
    out->enum_id = c.nodes[root].enum_id;
    out->max_stack = (uint16_t)c.maxsp;
    out->source = (const char *)c.out + c.n;
done:
    zf__free(c.nodes);
    return c.rc;
}

void zf__expr_free(zf__program *prog) {
    if (!prog)
        return;
    zf__free(prog->code);
    prog->code = NULL;
    prog->len = 0;
    prog->source = NULL;
}

/*
 * Money accrued day by day: Awb 4:17 lid 1 and 2 fix the amount per day in
 * tiers and cap the total at 42 days; the amounts changed on 2019-01-01, and
 * the version that applies is the one in force on `asof` (the day the
 * dwangsom started to run), not the days it covers.
 */
int zf__rates_accrued(const zf__rate_table *t, zf_date asof, zf_date from, zf_date to,
                      int64_t *cents) {
    const zf__rate_version *v = NULL;
    int64_t days, total = 0;
    if (!t || !cents)
        return -1;
    for (uint16_t i = 0; i < t->nversions; i++)
        if (t->versions[i].valid_from <= asof)
            v = &t->versions[i];
    if (!v)
        return -1;
    days = to >= from ? (int64_t)to - from + 1 : 0;
    for (uint16_t i = 0; i < v->ntiers && days > 0; i++) {
        int64_t take = days < v->tiers[i].days ? days : v->tiers[i].days, part;
        if (take <= 0)
            continue;
        if (zf__mul_overflow(take, v->tiers[i].cents, &part) ||
            zf__add_overflow(total, part, &total))
            return -1;
        days -= take;
    }
    *cents = total;
    return 0;
}

/* ---- canonical spelling ------------------------------------------------ */

/* Whether a token kind ends an operand, so that a '-' after it is binary. */
static int ends_operand(int kind) {
    switch (kind) {
    case T_INT:
    case T_MONEY:
    case T_DATE:
    case T_DUR:
    case T_STR:
    case T_NAME:
    case T_TRUE:
    case T_FALSE:
    case T_TODAY:
    case T_EVENT:
    case T_RP:
        return 1;
    default:
        return 0;
    }
}

static const char *const tok_spelling[] = {
    [T_AND] = "and",     [T_OR] = "or",     [T_NOT] = "not",     [T_TODAY] = "today",
    [T_EVENT] = "event", [T_TRUE] = "true", [T_FALSE] = "false", [T_LP] = "(",
    [T_RP] = ")",        [T_COMMA] = ",",   [T_DOT] = ".",       [T_QUEST] = "?",
    [T_COLON] = ":",     [T_PLUS] = "+",    [T_MINUS] = "-",     [T_STAR] = "*",
    [T_SLASH] = "/",     [T_PERCENT] = "%", [T_EQ] = "==",       [T_NE] = "!=",
    [T_LT] = "<",        [T_LE] = "<=",     [T_GT] = ">",        [T_GE] = ">="};

zf_code zf__expr_canon(zf_buf *out, const char *src, size_t len) {
    comp c;
    zf__expr_diag diag;
    int prev = T_EOF, unary = 0;
    size_t before = out->size;
    zf_code rc = ZF_OK;

    memset(&c, 0, sizeof c);
    c.src = src ? src : "";
    c.len = src ? len : 0;
    c.diag = &diag;
    for (;;) {
        char buf[48];
        const char *text = buf;
        size_t tlen;
        int space;
        if (next(&c) < 0) {
            /* Not an expression of the language: keep the text as it is. */
            if (out->ptr)
                out->ptr[out->size = before] = '\0';
            return zf_buf_put(out, c.src, c.len);
        }
        if (c.t.kind == T_EOF)
            break;
        switch (c.t.kind) {
        case T_INT:
            snprintf(buf, sizeof buf, "%lld", (long long)c.t.ival);
            break;
        case T_MONEY:
            snprintf(buf, sizeof buf, "%lld.%02lldeur", (long long)(c.t.ival / 100),
                     (long long)(c.t.ival % 100));
            break;
        case T_DATE:
            zf_date_format(buf, (zf_date)c.t.ival);
            break;
        case T_DUR:
            snprintf(buf, sizeof buf, "%lld%c", (long long)c.t.ival,
                     "dwmy"[c.t.unit & 3]);
            break;
        case T_STR:
        case T_NAME:
            text = NULL;
            break;
        default:
            text = tok_spelling[c.t.kind];
        }
        /* One blank between tokens, none inside a call, a member access or
           after a sign: `end(t) + 6w`, `event.date`, `-1d`. */
        space = prev != T_EOF && prev != T_LP && prev != T_DOT && !unary &&
                c.t.kind != T_RP && c.t.kind != T_COMMA && c.t.kind != T_DOT &&
                !(c.t.kind == T_LP && (prev == T_NAME || prev == T_EVENT));
        unary = c.t.kind == T_MINUS && !ends_operand(prev);
        if (space && (rc = zf_buf_put(out, " ", 1)))
            break;
        if (c.t.kind == T_STR) {
            /* The same quote always, unless the text holds it. */
            const char *q = memchr(c.src + c.t.pos, '\'', c.t.len) ? "\"" : "'";
            if ((rc = zf_buf_puts(out, q)) ||
                (rc = zf_buf_put(out, c.src + c.t.pos, c.t.len)) ||
                (rc = zf_buf_puts(out, q)))
                break;
        } else if (!text) {
            if ((rc = zf_buf_put(out, c.src + c.t.pos, c.t.len)))
                break;
        } else {
            tlen = strlen(text);
            if ((rc = zf_buf_put(out, text, tlen)))
                break;
        }
        prev = c.t.kind;
    }
    if (rc != ZF_OK && out->ptr && before <= out->size)
        out->ptr[out->size = before] = '\0';
    return rc;
}
