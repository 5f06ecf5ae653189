/*
 * Calendars of non-working days, kept as data. The Atw calendar is the XML
 * file data/atw-calendar.xml compiled into the library; a municipality can
 * load its own file that extends it. A calendar holds rules (a fixed date or
 * an offset from Easter, with a weekday shift and years of validity) and
 * single days. The rule days of 1900-2199 are precomputed into a sorted table
 * (for the names and the bases of the days), and the non-working days of the
 * years that table covers completely into a bit set, so that
 * zf_calendar_is_working_day() is one bit test without allocation.
 */
#include "calendar.h"
#include "xml.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#define CAL_NS "urn:zaakflow:calendar:1"

struct cal_rule {
    const char *name, *basis;
    zf_day_kind kind;
    int month, day;             /* a fixed date when month > 0 */
    int easter;                 /* else: offset in days from Easter Sunday */
    int if_saturday, if_sunday; /* shift in days when the day falls on that weekday */
    int from, until;            /* years in which the rule holds, inclusive */
};

struct cal_entry {
    zf_date date;
    zf_day_kind kind;
    uint32_t order; /* position in the sources: ties keep the order of the file */
    int line;       /* line of a <day> in the file being parsed, 0 for inherited days */
    const char *name, *basis;
};

static const struct zf_calendar none_calendar = {
    .magic = ZF__MAGIC_CALENDAR,
    .builtin = 1,
    .id = "none",
    .title = "every day is a working day",
    .weekend_basis = "",
};

const zf_calendar *zf_calendar_none(void) {
    return &none_calendar;
}

const char *zf_calendar_id(const zf_calendar *cal) {
    return zf__ok_calendar(cal) ? cal->id : "";
}

/* ---- rules and lookups ---------------------------------------------------------- */

static int year_of(zf_date d) {
    int y;
    zf_date_to_ymd(&y, NULL, NULL, d);
    return y;
}

/* The day a rule gives in `year`, or ZF_DATE_NONE when it gives none. */
static zf_date rule_date(const struct cal_rule *r, int year) {
    zf_date d;
    if ((r->from && year < r->from) || (r->until && year > r->until))
        return ZF_DATE_NONE;
    if (r->month > 0) {
        /* 29 February exists only in leap years; the rule then gives no day. */
        if (zf_date_from_ymd(&d, year, r->month, r->day, NULL) != ZF_OK)
            return ZF_DATE_NONE;
    } else {
        d = zf_date_easter(year);
        if (d == ZF_DATE_NONE)
            return ZF_DATE_NONE;
        d += r->easter;
    }
    switch (zf_date_weekday(d)) {
    case ZF_SATURDAY:
        d += r->if_saturday;
        break;
    case ZF_SUNDAY:
        d += r->if_sunday;
        break;
    default:
        break;
    }
    return zf_date_valid(d) ? d : ZF_DATE_NONE;
}

/* Order of preference for one date: holiday, then equated by law, by decree, local. */
static int entry_cmp(const void *pa, const void *pb) {
    const struct cal_entry *a = pa, *b = pb;
    if (a->date != b->date)
        return a->date < b->date ? -1 : 1;
    if (a->kind != b->kind)
        return a->kind < b->kind ? -1 : 1;
    return a->order < b->order ? -1 : a->order > b->order;
}

static const struct cal_entry *entry_find(const struct cal_entry *a, size_t n,
                                          zf_date d) {
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (a[mid].date < d)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && a[lo].date == d ? &a[lo] : NULL;
}

static size_t entry_lower(const struct cal_entry *a, size_t n, zf_date d) {
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (a[mid].date < d)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static const struct cal_entry *better(const struct cal_entry *a,
                                      const struct cal_entry *b) {
    if (!a)
        return b;
    if (!b)
        return a;
    return entry_cmp(a, b) <= 0 ? a : b;
}

/* Whether the table covers `year`. Its first and last year are left to the rules
 * too, because a weekday shift may move a rule day across the turn of a year. */
static int in_table(int year) {
    return year > ZF__CAL_TABLE_FIRST_YEAR && year < ZF__CAL_TABLE_LAST_YEAR;
}

/* The rule day on `date`, from the table or, outside its years, from the rules. */
static const struct cal_entry *rule_lookup(const zf_calendar *cal, zf_date date,
                                           struct cal_entry *tmp) {
    const struct cal_entry *best = NULL;
    int y;
    /* The bit set spans exactly the years in_table() accepts. */
    if (cal->bits && (uint32_t)date - (uint32_t)cal->bits_first < cal->nbits)
        return entry_find(cal->table, cal->ntable, date);
    if (cal->nrules == 0)
        return NULL;
    y = year_of(date);
    if (in_table(y))
        return entry_find(cal->table, cal->ntable, date);
    for (int yy = y - 1; yy <= y + 1; yy++)
        for (size_t i = 0; i < cal->nrules; i++) {
            const struct cal_rule *r = &cal->rules[i];
            if (rule_date(r, yy) != date || (best && best->kind <= r->kind))
                continue;
            *tmp = (struct cal_entry){date, r->kind, (uint32_t)i, 0, r->name, r->basis};
            best = tmp;
        }
    return best;
}

static void set_info(zf_day_info *why, const struct cal_entry *e) {
    if (why)
        *why = (zf_day_info){e->date, e->kind, e->name, e->basis};
}

int zf_calendar_is_working_day(const zf_calendar *cal, zf_date date, zf_day_info *why) {
    struct cal_entry tmp;
    const struct cal_entry *e;
    zf_weekday wd;
    int bit;
    if (why)
        *why = (zf_day_info){date, ZF_DAY_WORKING, "", ""};
    if (!zf__ok_calendar(cal))
        return -1;
    /* Inside the bit set: a working day needs nothing more; a non-working day
     * is looked up below only when the caller wants to know why. */
    bit = zf__calendar_bit(cal, date);
    if (bit == 1 || (bit == 0 && !why))
        return bit;
    if (!zf_date_valid(date))
        return -1;
    /* A holiday on a Saturday or Sunday is named as the holiday: it says more. */
    e = better(rule_lookup(cal, date, &tmp), entry_find(cal->days, cal->ndays, date));
    if (e) {
        set_info(why, e);
        return 0;
    }
    wd = zf_date_weekday(date);
    if (cal->weekend & (1u << wd)) {
        if (why)
            *why = (zf_day_info){date, ZF_DAY_WEEKEND, zf_weekday_name(wd),
                                 cal->weekend_basis};
        return 0;
    }
    return 1;
}

int zf_calendar_year(zf_day_info *out, size_t cap, const zf_calendar *cal, int year) {
    zf_date first, last;
    size_t n = 0;
    if (!zf__ok_calendar(cal) || year < ZF_DATE_MIN_YEAR || year > ZF_DATE_MAX_YEAR)
        return -1;
    zf_date_from_ymd(&first, year, 1, 1, NULL);
    zf_date_from_ymd(&last, year, 12, 31, NULL);
    if (in_table(year)) {
        /* Merge the two sorted lists; one entry per date. */
        size_t i = entry_lower(cal->table, cal->ntable, first);
        size_t j = entry_lower(cal->days, cal->ndays, first);
        for (;;) {
            const struct cal_entry *a =
                i < cal->ntable && cal->table[i].date <= last ? &cal->table[i] : NULL;
            const struct cal_entry *b =
                j < cal->ndays && cal->days[j].date <= last ? &cal->days[j] : NULL;
            const struct cal_entry *e;
            if (!a && !b)
                break;
            if (a && b && a->date == b->date) {
                e = better(a, b);
                i++, j++;
            } else if (!b || (a && a->date < b->date)) {
                e = a, i++;
            } else {
                e = b, j++;
            }
            if (n < cap)
                set_info(&out[n], e);
            n++;
        }
    } else {
        for (zf_date d = first; d <= last; d++) {
            struct cal_entry tmp;
            const struct cal_entry *e =
                better(rule_lookup(cal, d, &tmp), entry_find(cal->days, cal->ndays, d));
            if (!e)
                continue;
            if (n < cap)
                set_info(&out[n], e);
            n++;
        }
    }
    return n > INT_MAX ? INT_MAX : (int)n;
}

/* Bits set in [lo, hi] of the bit set (lo <= hi < nbits). */
static uint32_t bits_in(const uint64_t *bits, uint32_t lo, uint32_t hi) {
    uint32_t wlo = lo >> 6, whi = hi >> 6, n = 0;
    uint64_t first = ~UINT64_C(0) << (lo & 63);
    uint64_t last = ~UINT64_C(0) >> (63 - (hi & 63));
    if (wlo == whi)
        return zf__popcount64(bits[wlo] & first & last);
    n += zf__popcount64(bits[wlo] & first);
    for (uint32_t w = wlo + 1; w < whi; w++)
        n += zf__popcount64(bits[w]);
    return n + zf__popcount64(bits[whi] & last);
}

int32_t zf_calendar_workdays(const zf_calendar *cal, zf_date from, zf_date to) {
    int32_t n = 0;
    zf_date d = from;
    if (!zf__ok_calendar(cal))
        return 0;
    while (d <= to && d != INT32_MAX) {
        uint32_t i = (uint32_t)d - (uint32_t)cal->bits_first;
        if (cal->bits && i < cal->nbits) {
            /* A run of days inside the bit set: count the non-working ones. */
            uint32_t span = (uint32_t)((int64_t)to - d);
            uint32_t hi = span < cal->nbits - 1 - i ? i + span : cal->nbits - 1;
            n += (int32_t)(hi - i + 1 - bits_in(cal->bits, i, hi));
            d = (zf_date)((int64_t)d + (hi - i) + 1);
            continue;
        }
        if (zf_calendar_is_working_day(cal, d, NULL) == 1)
            n++;
        d++;
    }
    return n;
}

void zf_calendar_free(zf_calendar *cal) {
    if (!zf__ok_calendar(cal) || cal->builtin)
        return;
    cal->magic = ZF__MAGIC_DEAD;
    zf__free(cal->rules);
    zf__free(cal->days);
    zf__free(cal->table);
    zf__free(cal->bits);
    zf__free(cal->pool);
    zf__free(cal);
}

/* ---- the XML format --------------------------------------------------------------- */

/* State of one parse; everything allocated here is owned by `cal` until success. */
struct parser {
    const char *file;
    zf_error *err;
    zf_calendar *cal;
    char *pool_next;
    uint32_t order;
};

static int is_elem(const xmlNode *n, const char *name) {
    return n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
           !strcmp((const char *)n->ns->href, CAL_NS) &&
           !strcmp((const char *)n->name, name);
}

static int line_of(const xmlNode *n) {
    long l = xmlGetLineNo(n);
    return l > 0 && l < INT_MAX ? (int)l : 0;
}

static zf_code schema_error(struct parser *p, const xmlNode *n, const char *fmt, ...)
    ZF__PRINTF(3, 4);
static zf_code schema_error(struct parser *p, const xmlNode *n, const char *fmt, ...) {
    char msg[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return zf__error_setpos(p->err, ZF_ESCHEMA, p->file, line_of(n), 0, "%s", msg);
}

/* Reject attributes the format does not know: a typo must not pass silently. */
static zf_code check_attrs(struct parser *p, const xmlNode *n,
                           const char *const *allowed) {
    for (const xmlAttr *a = n->properties; a; a = a->next) {
        int ok = a->ns != NULL; /* attributes of other namespaces are left alone */
        for (const char *const *q = allowed; !ok && *q; q++)
            ok = !strcmp((const char *)a->name, *q);
        if (!ok)
            return schema_error(p, n, "<%s> has no attribute '%s'", (const char *)n->name,
                                (const char *)a->name);
        if (!a->ns && zf__xml_attr(n, (const char *)a->name) == NULL)
            return schema_error(p, n, "attribute '%s' has unexpected content",
                                (const char *)a->name);
    }
    return ZF_OK;
}

static zf_code need(struct parser *p, const xmlNode *n, const char *name,
                    const char **out) {
    *out = zf__xml_attr(n, name);
    if (!*out || !**out)
        return schema_error(p, n, "<%s> needs the attribute '%s'", (const char *)n->name,
                            name);
    return ZF_OK;
}

/* An optional integer attribute in [lo, hi]: "-2", "+1", "2014". */
static zf_code int_attr(struct parser *p, const xmlNode *n, const char *name, int lo,
                        int hi, int *out) {
    const char *s = zf__xml_attr(n, name), *q;
    long v = 0;
    int neg = 0;
    if (!s)
        return ZF_OK;
    q = s;
    if (*q == '+' || *q == '-')
        neg = *q++ == '-';
    if (!*q)
        goto bad;
    for (; *q; q++) {
        if (*q < '0' || *q > '9' || v > 100000)
            goto bad;
        v = v * 10 + (*q - '0');
    }
    v = neg ? -v : v;
    if (v < lo || v > hi)
        goto bad;
    *out = (int)v;
    return ZF_OK;
bad:
    return schema_error(p, n,
                        "attribute %s=\"%.40s\" is not a whole number from %d to %d",
                        name, s, lo, hi);
}

static zf_code kind_attr(struct parser *p, const xmlNode *n, zf_day_kind dflt,
                         zf_day_kind *out) {
    static const struct {
        const char *name;
        zf_day_kind kind;
    } kinds[] = {{"holiday", ZF_DAY_HOLIDAY},
                 {"equated-law", ZF_DAY_EQUATED_LAW},
                 {"equated-kb", ZF_DAY_EQUATED_KB},
                 {"local", ZF_DAY_LOCAL}};
    const char *s = zf__xml_attr(n, "kind");
    if (!s) {
        *out = dflt;
        return ZF_OK;
    }
    for (size_t i = 0; i < ZF__ARRAY_SIZE(kinds); i++)
        if (!strcmp(s, kinds[i].name)) {
            *out = kinds[i].kind;
            return ZF_OK;
        }
    return schema_error(
        p, n, "kind=\"%.40s\" is not one of holiday, equated-law, equated-kb, local", s);
}

/* Copy a string into the calendar's pool (sized beforehand). */
static const char *keep(struct parser *p, const char *s) {
    char *d = p->pool_next;
    size_t len = strlen(s) + 1;
    memcpy(d, s, len);
    p->pool_next += len;
    return d;
}

static zf_code parse_weekend(struct parser *p, const xmlNode *n) {
    static const char *const allowed[] = {"days", "basis", NULL};
    static const char *const names[7] = {"monday", "tuesday",  "wednesday", "thursday",
                                         "friday", "saturday", "sunday"};
    const char *s, *basis;
    unsigned int mask = 0;
    if (check_attrs(p, n, allowed) != ZF_OK || need(p, n, "days", &s) != ZF_OK)
        return ZF_ESCHEMA;
    while (*s) {
        size_t len;
        int found = 0;
        while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
            s++;
        if (!*s)
            break;
        len = strcspn(s, " \t\r\n");
        for (int i = 0; i < 7; i++)
            if (strlen(names[i]) == len && !strncmp(s, names[i], len)) {
                mask |= 1u << (i + 1);
                found = 1;
            }
        if (!found)
            return schema_error(p, n, "'%.*s' is not a weekday (monday ... sunday)",
                                (int)(len > 40 ? 40 : len), s);
        s += len;
    }
    basis = zf__xml_attr(n, "basis");
    p->cal->weekend = mask;
    p->cal->weekend_basis = keep(p, basis ? basis : "");
    return ZF_OK;
}

static zf_code parse_holiday(struct parser *p, const xmlNode *n, struct cal_rule *r) {
    static const char *const allowed[] = {"name",        "month",     "day",    "easter",
                                          "if-saturday", "if-sunday", "from",   "until",
                                          "kind",        "basis",     "source", NULL};
    const char *name, *basis;
    int has_fixed = zf__xml_attr(n, "month") || zf__xml_attr(n, "day");
    memset(r, 0, sizeof *r);
    if (check_attrs(p, n, allowed) != ZF_OK || need(p, n, "name", &name) != ZF_OK ||
        kind_attr(p, n, ZF_DAY_HOLIDAY, &r->kind) != ZF_OK)
        return ZF_ESCHEMA;
    if (has_fixed == (zf__xml_attr(n, "easter") != NULL))
        return schema_error(p, n, "holiday '%.60s' needs either month and day, or easter",
                            name);
    if (has_fixed) {
        if (!zf__xml_attr(n, "month") || !zf__xml_attr(n, "day"))
            return schema_error(p, n, "holiday '%.60s' needs both month and day", name);
        if (int_attr(p, n, "month", 1, 12, &r->month) != ZF_OK)
            return ZF_ESCHEMA;
        /* 2000 is a leap year: 29 February is allowed and simply absent in other years.
         */
        if (int_attr(p, n, "day", 1, zf_days_in_month(2000, r->month), &r->day) != ZF_OK)
            return ZF_ESCHEMA;
    } else if (int_attr(p, n, "easter", -80, 80, &r->easter) != ZF_OK) {
        return ZF_ESCHEMA;
    }
    if (int_attr(p, n, "if-saturday", -7, 7, &r->if_saturday) != ZF_OK ||
        int_attr(p, n, "if-sunday", -7, 7, &r->if_sunday) != ZF_OK ||
        int_attr(p, n, "from", ZF_DATE_MIN_YEAR, ZF_DATE_MAX_YEAR, &r->from) != ZF_OK ||
        int_attr(p, n, "until", ZF_DATE_MIN_YEAR, ZF_DATE_MAX_YEAR, &r->until) != ZF_OK)
        return ZF_ESCHEMA;
    if (r->from && r->until && r->until < r->from)
        return zf__error_setpos(p->err, ZF_ESEMANTIC, p->file, line_of(n), 0,
                                "holiday '%.60s' ends (%d) before it starts (%d)", name,
                                r->until, r->from);
    basis = zf__xml_attr(n, "basis");
    r->name = keep(p, name);
    r->basis = keep(p, basis ? basis : "");
    return ZF_OK;
}

static zf_code parse_day(struct parser *p, const xmlNode *n, struct cal_entry *e) {
    static const char *const allowed[] = {"date",  "name",   "kind",
                                          "basis", "source", NULL};
    const char *date, *name, *basis;
    zf_error derr;
    memset(e, 0, sizeof *e);
    if (check_attrs(p, n, allowed) != ZF_OK || need(p, n, "date", &date) != ZF_OK ||
        need(p, n, "name", &name) != ZF_OK ||
        kind_attr(p, n, ZF_DAY_LOCAL, &e->kind) != ZF_OK)
        return ZF_ESCHEMA;
    zf_error_clear(&derr);
    if (zf_date_parse(&e->date, date, &derr) != ZF_OK)
        return schema_error(p, n, "%s", derr.message);
    basis = zf__xml_attr(n, "basis");
    e->name = keep(p, name);
    e->basis = keep(p, basis ? basis : "");
    e->line = line_of(n);
    e->order = p->order++;
    return ZF_OK;
}

/* Bytes of the strings a node's attributes contribute to the pool. */
static size_t attr_bytes(const xmlNode *n, const char *const *names) {
    size_t total = 0;
    for (const char *const *q = names; *q; q++) {
        const char *s = zf__xml_attr(n, *q);
        total += (s ? strlen(s) : 0) + 1;
    }
    return total;
}

/* Sort entries and keep one per date, the preferred one. */
static size_t sort_unique(struct cal_entry *a, size_t n) {
    size_t w = 0;
    if (n == 0)
        return 0;
    qsort(a, n, sizeof *a, entry_cmp);
    for (size_t i = 1; i < n; i++)
        if (a[i].date != a[w].date)
            a[++w] = a[i];
    return w + 1;
}

static void set_bit(zf_calendar *cal, zf_date d) {
    uint32_t i = (uint32_t)d - (uint32_t)cal->bits_first;
    if (i < cal->nbits)
        cal->bits[i >> 6] |= UINT64_C(1) << (i & 63);
}

/*
 * The bit set of non-working days over the years in_table() accepts: there
 * the table holds every rule day (the years on either side are in it too),
 * so a day's bit says exactly what the searches of zf_calendar_is_working_day()
 * would say. About 109,000 bits (14 KB).
 */
static zf_code build_bits(zf_calendar *cal) {
    size_t nwords;
    zf_date last;
    zf_date_from_ymd(&cal->bits_first, ZF__CAL_TABLE_FIRST_YEAR + 1, 1, 1, NULL);
    zf_date_from_ymd(&last, ZF__CAL_TABLE_LAST_YEAR - 1, 12, 31, NULL);
    cal->nbits = (uint32_t)(last - cal->bits_first + 1);
    nwords = (cal->nbits + 63) / 64;
    cal->bits = zf__calloc(nwords, sizeof *cal->bits);
    if (!cal->bits)
        return ZF_ENOMEM;
    if (cal->weekend) {
        /* 7 words are 448 days, 64 weeks: the weekend pattern repeats every 7 words. */
        for (uint32_t i = 0; i < 7 * 64 && i < cal->nbits; i++)
            if (cal->weekend & (1u << zf_date_weekday(cal->bits_first + (zf_date)i)))
                cal->bits[i >> 6] |= UINT64_C(1) << (i & 63);
        for (size_t w = 7; w < nwords; w++)
            cal->bits[w] = cal->bits[w - 7];
        if (cal->nbits & 63) /* no bits past the last day */
            cal->bits[nwords - 1] &= ~(~UINT64_C(0) << (cal->nbits & 63));
    }
    for (size_t i = 0; i < cal->ntable; i++)
        set_bit(cal, cal->table[i].date);
    for (size_t i = 0; i < cal->ndays; i++)
        set_bit(cal, cal->days[i].date);
    return ZF_OK;
}

static zf_code build(struct parser *p, const xmlDoc *doc, int builtin,
                     zf_calendar **out) {
    static const char *const root_attrs[] = {"id", "title", "extends", NULL};
    static const char *const str_attrs[] = {"name", "basis", NULL};
    static const char *const cal_strs[] = {"id", "title", NULL};
    static const char *const weekend_strs[] = {"basis", NULL};
    const xmlNode *root = xmlDocGetRootElement(doc), *n;
    const zf_calendar *base;
    const char *id, *extends, *title;
    size_t nhol = 0, nday = 0, nweekend = 0, pool = 0, nrules, ndays;
    zf_calendar *cal;
    zf_code rc;

    if (!root || !is_elem(root, "calendar"))
        return schema_error(p, root ? root : (const xmlNode *)doc,
                            "the root element must be <calendar> in namespace %s",
                            CAL_NS);
    if (check_attrs(p, root, root_attrs) != ZF_OK || need(p, root, "id", &id) != ZF_OK ||
        need(p, root, "extends", &extends) != ZF_OK)
        return ZF_ESCHEMA;
    if (!strcmp(extends, "atw")) {
        base = zf_calendar_atw();
        if (!base)
            return zf__error_set(p->err, ZF_ENOMEM, NULL);
    } else if (!strcmp(extends, "none")) {
        base = &none_calendar;
    } else {
        return schema_error(p, root, "extends=\"%.40s\" must be atw or none", extends);
    }
    title = zf__xml_attr(root, "title");
    pool = attr_bytes(root, cal_strs);

    /* First pass: check the element names and size the arrays and the pool. */
    for (n = root->children; n; n = n->next) {
        if (n->type == XML_COMMENT_NODE || n->type == XML_PI_NODE)
            continue;
        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
            for (const xmlChar *c = n->content; c && *c; c++)
                if (*c != ' ' && *c != '\t' && *c != '\n' && *c != '\r')
                    return schema_error(p, n, "<calendar> may not contain text");
            continue;
        }
        if (is_elem(n, "holiday")) {
            nhol++;
            pool += attr_bytes(n, str_attrs);
        } else if (is_elem(n, "day")) {
            nday++;
            pool += attr_bytes(n, str_attrs);
        } else if (is_elem(n, "weekend")) {
            if (++nweekend > 1)
                return schema_error(p, n, "<calendar> has more than one <weekend>");
            pool += attr_bytes(n, weekend_strs);
        } else {
            return schema_error(p, n, "unexpected element <%s> in <calendar>",
                                (const char *)n->name);
        }
    }

    nrules = base->nrules + nhol;
    ndays = base->ndays + nday;
    cal = zf__calloc(1, sizeof *cal);
    if (!cal)
        return zf__error_set(p->err, ZF_ENOMEM, NULL);
    p->cal = cal;
    cal->magic = ZF__MAGIC_CALENDAR;
    cal->builtin = builtin;
    cal->pool = zf__malloc(pool);
    cal->rules = zf__calloc(nrules ? nrules : 1, sizeof *cal->rules);
    cal->days = zf__calloc(ndays ? ndays : 1, sizeof *cal->days);
    if (!cal->pool || !cal->rules || !cal->days)
        return zf__error_set(p->err, ZF_ENOMEM, NULL);
    p->pool_next = cal->pool;
    cal->id = keep(p, id);
    cal->title = keep(p, title ? title : "");
    cal->weekend = base->weekend;
    cal->weekend_basis = base->weekend_basis;
    /* Inherited rules and days keep their strings in the base (see `pool`). */
    if (base->nrules)
        memcpy(cal->rules, base->rules, base->nrules * sizeof *cal->rules);
    for (size_t i = 0; i < base->ndays; i++) {
        cal->days[i] = base->days[i];
        cal->days[i].line = 0;
    }
    cal->nrules = base->nrules;
    cal->ndays = base->ndays;
    p->order = (uint32_t)base->ndays;

    for (n = root->children; n; n = n->next) {
        if (is_elem(n, "holiday"))
            rc = parse_holiday(p, n, &cal->rules[cal->nrules++]);
        else if (is_elem(n, "day"))
            rc = parse_day(p, n, &cal->days[cal->ndays++]);
        else if (is_elem(n, "weekend"))
            rc = parse_weekend(p, n);
        else
            continue;
        if (rc != ZF_OK)
            return rc;
    }

    /* One file may not name a date twice; an extending file may add a day to one
     * of its base (a closing day on a decree day), and the base then wins. */
    qsort(cal->days, cal->ndays, sizeof *cal->days, entry_cmp);
    for (size_t i = 1; i < cal->ndays; i++)
        if (cal->days[i].line && cal->days[i - 1].line &&
            cal->days[i].date == cal->days[i - 1].date) {
            char buf[ZF_DATE_BUFSIZE];
            return zf__error_setpos(p->err, ZF_ESEMANTIC, p->file, cal->days[i].line, 0,
                                    "day %s is listed twice (first on line %d)",
                                    zf_date_format(buf, cal->days[i].date),
                                    cal->days[i - 1].line);
        }
    cal->ndays = sort_unique(cal->days, cal->ndays);

    /* The table of rule days, one entry per date. */
    {
        size_t years = ZF__CAL_TABLE_LAST_YEAR - ZF__CAL_TABLE_FIRST_YEAR + 1, k = 0;
        cal->table =
            zf__calloc(cal->nrules ? cal->nrules * years : 1, sizeof *cal->table);
        if (!cal->table)
            return zf__error_set(p->err, ZF_ENOMEM, NULL);
        for (int y = ZF__CAL_TABLE_FIRST_YEAR; y <= ZF__CAL_TABLE_LAST_YEAR; y++)
            for (size_t i = 0; i < cal->nrules; i++) {
                const struct cal_rule *r = &cal->rules[i];
                zf_date d = rule_date(r, y);
                if (d != ZF_DATE_NONE)
                    cal->table[k++] =
                        (struct cal_entry){d, r->kind, (uint32_t)i, 0, r->name, r->basis};
            }
        cal->ntable = sort_unique(cal->table, k);
    }
    if (build_bits(cal) != ZF_OK)
        return zf__error_set(p->err, ZF_ENOMEM, NULL);
    *out = cal;
    p->cal = NULL;
    return ZF_OK;
}

/* The first error of a parse: libxml2 goes on after an error and would otherwise
 * report the last one ("premature end of data"), far from the real mistake. */
struct first_error {
    int set, nomem, line, column;
    char message[200];
};
static _Thread_local struct first_error *parse_error;

static void on_xml_error(void *ctx, xmlErrorPtr e) {
    struct first_error *fe = parse_error;
    (void)ctx;
    if (!fe || fe->set || !e || e->level < XML_ERR_ERROR)
        return;
    fe->set = 1;
    fe->nomem = e->code == XML_ERR_NO_MEMORY;
    fe->line = e->line;
    fe->column = e->int2;
    snprintf(fe->message, sizeof fe->message, "%s",
             e->message ? e->message : "not well-formed");
    for (size_t k = strlen(fe->message);
         k > 0 && (fe->message[k - 1] == '\n' || fe->message[k - 1] == ' '); k--)
        fe->message[k - 1] = '\0';
}

/* libxml2's reports without a parser context (memory) stay off stderr. */
static void quiet_generic(void *ctx, const char *msg, ...) {
    (void)ctx;
    (void)msg;
}

/* Line of the first "<!DOCTYPE" in the text, for the message that refuses it. */
static int doctype_line(const char *xml, size_t len) {
    int line = 1;
    for (size_t i = 0; i + 9 <= len; i++) {
        if (xml[i] == '\n')
            line++;
        else if (xml[i] == '<' && !memcmp(xml + i, "<!DOCTYPE", 9))
            return line;
    }
    return 0;
}

static zf_code parse_internal(zf_calendar **out, const char *xml, size_t len,
                              const char *name, int builtin, zf_error *err) {
    struct parser p = {name, err, NULL, NULL, 0};
    struct first_error fe = {0, 0, 0, 0, ""};
    xmlParserCtxtPtr ctxt;
    xmlDocPtr doc;
    zf_code rc;

    if (len > INT_MAX)
        return zf__error_set(err, ZF_EINVAL, "calendar of %zu bytes is too large", len);
    zf__xml_begin();
    xmlGenericErrorFunc gfunc = xmlGenericError;
    void *gctx = xmlGenericErrorContext;
    xmlSetGenericErrorFunc(NULL, quiet_generic);
    ctxt = xmlNewParserCtxt();
    if (!ctxt) {
        xmlSetGenericErrorFunc(gctx, gfunc);
        zf__xml_end();
        return zf__error_set(err, ZF_ENOMEM, NULL);
    }
    ctxt->sax->serror = on_xml_error;
    parse_error = &fe;
    /* No network, no DTD loading, no entity substitution: a calendar is plain data. */
    doc = zf__xml_read(ctxt, xml, len, name,
                       XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    xmlSetGenericErrorFunc(gctx, gfunc);
    zf__xml_end();
    parse_error = NULL;
    /* A failed allocation inside libxml2 may have left content out silently. */
    if (zf__xml_nomem() || ctxt->errNo == XML_ERR_NO_MEMORY)
        fe.nomem = fe.set = 1;
    if (!doc || !ctxt->wellFormed || fe.set) {
        if (fe.nomem)
            rc = zf__error_set(err, ZF_ENOMEM, NULL);
        else
            rc = zf__error_setpos(err, ZF_EPARSE, name, fe.line, fe.column,
                                  "malformed XML: %s",
                                  fe.set ? fe.message : "not well-formed");
        xmlFreeDoc(doc);
        xmlFreeParserCtxt(ctxt);
        return rc;
    }
    if (doc->intSubset || doc->extSubset) {
        /* Refused outright: entity declarations are the way into billion-laughs and
         * external-entity attacks, and a calendar has no use for them. */
        rc = zf__error_setpos(err, ZF_EPARSE, name, doctype_line(xml, len), 0,
                              "a calendar may not contain a document type declaration");
    } else {
        rc = build(&p, doc, builtin, out);
        if (rc != ZF_OK) {
            if (p.cal)
                p.cal->builtin = 0;
            zf_calendar_free(p.cal);
        }
    }
    xmlFreeDoc(doc);
    xmlFreeParserCtxt(ctxt);
    return rc;
}

/*
 * The Atw calendar is parsed once, on first use. A mutex with an atomic fast
 * path rather than pthread_once: a first parse that runs out of memory must be
 * retried by the next caller, which a once-flag cannot do.
 */
static pthread_mutex_t atw_lock = PTHREAD_MUTEX_INITIALIZER;
static _Atomic(zf_calendar *) atw_calendar;

const zf_calendar *zf_calendar_atw(void) {
    zf_calendar *cal = atomic_load_explicit(&atw_calendar, memory_order_acquire);
    if (cal)
        return cal;
    pthread_mutex_lock(&atw_lock);
    cal = atomic_load_explicit(&atw_calendar, memory_order_relaxed);
    if (!cal &&
        parse_internal(&cal, (const char *)zf__atw_calendar_xml, zf__atw_calendar_xml_len,
                       "atw-calendar.xml", 1, NULL) == ZF_OK)
        atomic_store_explicit(&atw_calendar, cal, memory_order_release);
    pthread_mutex_unlock(&atw_lock);
    return cal;
}

zf_code zf_calendar_parse(zf_calendar **out, const char *xml, size_t len,
                          const char *name, zf_error *err) {
    zf_calendar *cal = NULL;
    zf_code rc;
    zf_error_clear(err);
    if (!out || !xml)
        return zf__error_set(err, ZF_EINVAL, "no calendar text given");
    rc = parse_internal(&cal, xml, len, name ? name : "<string>", 0, err);
    if (rc == ZF_OK)
        *out = cal;
    return rc;
}

zf_code zf_calendar_load(zf_calendar **out, const char *path, zf_error *err) {
    FILE *f;
    char *data = NULL;
    size_t len = 0, cap = 0;
    zf_code rc;
    zf_error_clear(err);
    if (!out || !path)
        return zf__error_set(err, ZF_EINVAL, "no calendar file given");
    f = fopen(path, "rb");
    if (!f)
        return zf__error_setpos(err, ZF_EIO, path, 0, 0, "cannot open '%s': %s", path,
                                strerror(errno));
    for (;;) {
        size_t got;
        if (cap - len < 4096) {
            if (cap > (size_t)INT_MAX) {
                fclose(f);
                zf__free(data);
                return zf__error_setpos(err, ZF_EINVAL, path, 0, 0, "'%s' is too large",
                                        path);
            }
            if (ZF__GROW(data, cap, len + 4096, 8192)) {
                fclose(f);
                zf__free(data);
                return zf__error_set(err, ZF_ENOMEM, NULL);
            }
        }
        got = fread(data + len, 1, cap - len, f);
        len += got;
        if (got == 0)
            break;
    }
    if (ferror(f)) {
        fclose(f);
        zf__free(data);
        return zf__error_setpos(err, ZF_EIO, path, 0, 0, "cannot read '%s'", path);
    }
    fclose(f);
    rc = zf_calendar_parse(out, data, len, path, err);
    zf__free(data);
    return rc;
}
