/*
 * The last day of a statutory term: Awb 6:8 counting, suspension, extension
 * and the Algemene termijnenwet (art 1, 2 and 4), with a trace of every step.
 * Nothing here allocates: the result is plain data in the caller's struct.
 */
#include "term.h"

#include "calendar.h"

#include <stddef.h>
#include <string.h>

/* Awb 6:8 lid 1: a term starts on the day after the day of its trigger. */
static const char NOTE_START[] = "Awb 6:8";
static const char NOTE_SUSPEND_EXCL[] =
    "Awb 4:15; the day of resumption is not suspended";
static const char NOTE_SUSPEND_INCL[] =
    "Awb 4:15; the day of resumption is suspended too";
static const char NOTE_EXTEND_FROM_END[] = "a new term from the day after the end";
static const char NOTE_EXTEND_TOTAL[] = "added to the term";
static const char NOTE_OFF[] = "excluded by the statute that sets the term";
static const char NOTE_NOCAL[] = "the calendar has no non-working days";
static const char NOTE_ART2[] = "Atw art 2";
static const char NOTE_ART1[] = "Atw art 1";
static const char NOTE_END[] = "";

/* Atw art 4 lid 1 sub a: why a term is left outside the Atw. */
static const char NOTE_DAYS[] = "term of more than 90 days (Atw art 4 lid 1 sub a)";
static const char NOTE_WEEKS[] = "term of more than twelve weeks (Atw art 4 lid 1 sub a)";
static const char NOTE_MONTHS[] =
    "term of more than three months (Atw art 4 lid 1 sub a)";
static const char NOTE_YEARS[] = "term expressed in years (Atw art 4 lid 1 sub a)";
static const char NOTE_TOTAL_DAYS[] =
    "term and extensions together of more than 90 days (Atw art 4 lid 1 sub a)";
static const char NOTE_TOTAL_WEEKS[] =
    "term and extensions together of more than twelve weeks (Atw art 4 lid 1 sub a)";
static const char NOTE_TOTAL_MONTHS[] =
    "term and extensions together of more than three months (Atw art 4 lid 1 sub a)";
static const char NOTE_TOTAL_YEARS[] =
    "term and extensions together expressed in years (Atw art 4 lid 1 sub a)";

/* Atw art 4 lid 1 sub a, as a note; NULL when the Atw applies. */
static const char *art4_exclusion(zf_duration len) {
    switch (len.unit) {
    case ZF_UNIT_DAY:
        return len.n > 90 ? NOTE_DAYS : NULL;
    case ZF_UNIT_WEEK:
        /* "Meer dan twaalf weken": twelve weeks is still covered. */
        return len.n > 12 ? NOTE_WEEKS : NULL;
    case ZF_UNIT_MONTH:
        return len.n > 3 ? NOTE_MONTHS : NULL;
    case ZF_UNIT_YEAR:
    default:
        /* "Een of meer jaren": any term in years. */
        return NOTE_YEARS;
    }
}

int zf_term_atw_applies(zf_duration length) {
    return art4_exclusion(length) == NULL;
}

const char *zf_suspend_rule_name(zf_suspend_rule rule) {
    switch (rule) {
    case ZF_SUSPEND_EXCLUSIVE:
        return "exclusive";
    case ZF_SUSPEND_INCLUSIVE:
        return "inclusive";
    default:
        return "";
    }
}

const char *zf_extend_rule_name(zf_extend_rule rule) {
    switch (rule) {
    case ZF_EXTEND_FROM_END:
        return "from-end";
    case ZF_EXTEND_TOTAL:
        return "total";
    default:
        return "";
    }
}

/*
 * A computation in progress: the result, whose steps are written as they are
 * recorded (publish() copies only those), and whether to record them at all
 * (zf__term_end() needs only the last day).
 */
struct build {
    zf_term_result r;
    int trace;
};

/* The last slot is kept for ZF_STEP_END, so a truncated trace still ends. */
static void step(struct build *b, zf_step_kind kind, zf_date date, int32_t days,
                 const zf_day_info *day, const char *note) {
    zf_term_result *r = &b->r;
    zf_term_step *s;
    if (!b->trace)
        return;
    if (kind != ZF_STEP_END && r->nsteps >= ZF_TERM_MAX_STEPS - 1) {
        r->truncated = 1;
        return;
    }
    s = &r->steps[r->nsteps++];
    memset(s, 0, sizeof *s); /* padding too: see publish() */
    s->kind = kind;
    s->date = date;
    s->days = days;
    if (day)
        s->day = *day;
    else
        s->day = (zf_day_info){date, ZF_DAY_WORKING, "", ""};
    s->note = note;
}

/*
 * Copy a finished result to the caller: the scalars, the steps recorded and
 * zeros for the steps not used, byte for byte what a zeroed result that the
 * computation filled would be, without clearing and copying all
 * ZF_TERM_MAX_STEPS steps twice (they are most of the struct, and a term
 * rarely has more than eight).
 */
static void publish(zf_term_result *out, const zf_term_result *r) {
    memcpy(out, r, offsetof(zf_term_result, steps));
    memcpy(out->steps, r->steps, r->nsteps * sizeof *r->steps);
    memset(out->steps + r->nsteps, 0, (ZF_TERM_MAX_STEPS - r->nsteps) * sizeof *r->steps);
    memset((char *)out + offsetof(zf_term_result, length), 0,
           sizeof *out - offsetof(zf_term_result, length));
    out->length = r->length;
}

static zf_code range_error(zf_error *err) {
    return zf__error_set(err, ZF_ERANGE, "the term ends after the year 9999");
}

/* The suspended days of one interval, as a closed range [lo, hi]; empty if hi < lo. */
static void suspended_range(const zf_interval *iv, zf_suspend_rule rule, int64_t *lo,
                            int64_t *hi) {
    /* Awb 4:15 lid 1: from the day after the suspending act ... */
    *lo = (int64_t)iv->from + 1;
    /* ... until the day of resumption: excluded when read literally ("tot"). */
    *hi = rule == ZF_SUSPEND_INCLUSIVE ? (int64_t)iv->to : (int64_t)iv->to - 1;
}

/*
 * Add the suspensions, merging overlapping and adjacent intervals so that no
 * day is counted twice. The intervals come in any order and are not copied
 * (no allocation): each round picks the earliest interval not yet covered and
 * grows it while others overlap it, which is quadratic but n is small.
 */
static zf_code add_suspensions(struct build *b, const zf_term_spec *spec, int64_t *end,
                               zf_error *err) {
    const char *note = spec->suspend_rule == ZF_SUSPEND_INCLUSIVE ? NOTE_SUSPEND_INCL
                                                                  : NOTE_SUSPEND_EXCL;
    int64_t covered = INT64_MIN; /* every suspended day <= covered is counted */
    int64_t total = 0;
    for (;;) {
        int64_t glo = 0, ghi = 0, lo, hi;
        int found = 0, grown;
        for (size_t i = 0; i < spec->nsuspensions; i++) {
            suspended_range(&spec->suspensions[i], spec->suspend_rule, &lo, &hi);
            if (hi < lo || hi <= covered)
                continue;
            if (!found || lo < glo) {
                glo = lo;
                ghi = hi;
                found = 1;
            }
        }
        if (!found)
            break;
        if (glo <= covered)
            glo = covered + 1;
        do {
            grown = 0;
            for (size_t i = 0; i < spec->nsuspensions; i++) {
                suspended_range(&spec->suspensions[i], spec->suspend_rule, &lo, &hi);
                if (hi >= lo && lo <= ghi + 1 && hi > ghi) {
                    ghi = hi;
                    grown = 1;
                }
            }
        } while (grown);
        *end += ghi - glo + 1;
        total += ghi - glo + 1;
        if (!zf_date_valid((zf_date)(*end > INT32_MAX ? INT32_MAX : *end)) ||
            *end > INT32_MAX)
            return range_error(err);
        step(b, ZF_STEP_SUSPEND, (zf_date)*end, (int32_t)(ghi - glo + 1), NULL, note);
        covered = ghi;
    }
    b->r.suspended_days = (int32_t)total;
    return ZF_OK;
}

/*
 * Apply the Atw to one term that runs from the day after `trigger` to `end`
 * and whose nominal length is `len_days` days. `exclusion` is the art 4 note
 * when the term is excluded by its length. Returns the new end in *end.
 */
static zf_code apply_atw(struct build *b, const zf_term_spec *spec,
                         const zf_calendar *cal, zf_date trigger, int64_t len_days,
                         const char *exclusion, int report_off, zf_date *end,
                         zf_error *err) {
    zf_day_info why;
    zf_date e = *end;
    b->r.atw_applied = 0;
    if (spec->atw == ZF_ATW_OFF) {
        if (report_off)
            step(b, ZF_STEP_ATW_EXCLUDED, e, 0, NULL, NOTE_OFF);
        return ZF_OK;
    }
    if (zf__calendar_is_empty(cal)) {
        if (report_off)
            step(b, ZF_STEP_ATW_EXCLUDED, e, 0, NULL, NOTE_NOCAL);
        return ZF_OK;
    }
    if (exclusion) {
        step(b, ZF_STEP_ATW_EXCLUDED, e, 0, NULL, exclusion);
        return ZF_OK;
    }
    b->r.atw_applied = 1;

    /* Atw art 2: a term of at least three days is extended, if need be, until it
     * contains two days that are not a Saturday, Sunday or holiday. Checked
     * before art 1 (RULES.md 2.4); counting backwards stops at two. */
    if (len_days >= 3) {
        int count = 0;
        for (zf_date d = e; d > trigger && count < 2; d--)
            if (zf__calendar_working(cal, d) == 1)
                count++;
        if (count < 2) {
            zf_date d = e;
            while (count < 2) {
                if (d >= INT32_MAX - 1 || !zf_date_valid(d + 1))
                    return range_error(err);
                d++;
                if (zf__calendar_working(cal, d) == 1)
                    count++;
            }
            step(b, ZF_STEP_ATW_ART2, d, d - e, NULL, NOTE_ART2);
            e = d;
        }
    }

    /* Atw art 1 lid 1: a term ending on a Saturday, Sunday or holiday runs on to
     * and including the next day that is none of these. The reason is looked up
     * only for the days that are not working days. */
    while (zf__calendar_working(cal, e) == 0) {
        if (b->trace) {
            zf_calendar_is_working_day(cal, e, &why);
            step(b, ZF_STEP_NONWORKING, e, 0, &why, NOTE_ART1);
        }
        if (!zf_date_valid(e + 1))
            return range_error(err);
        e++;
    }
    *end = e;
    return ZF_OK;
}

/* Atw art 4 judged on a term plus its extensions (ZF_EXTEND_TOTAL). */
static const char *total_exclusion(const zf_term_spec *spec, zf_date trigger,
                                   zf_date end) {
    unsigned int units = 1u << spec->length.unit;
    int64_t sum = spec->length.n;
    int64_t span = (int64_t)end - trigger;
    zf_date three_months;
    for (size_t i = 0; i < spec->nextensions; i++) {
        units |= 1u << spec->extensions[i].unit;
        sum += spec->extensions[i].n;
    }
    if (units & (1u << ZF_UNIT_YEAR))
        return NOTE_TOTAL_YEARS;
    if (units == (1u << spec->length.unit)) {
        /* One unit: add up, so that 12 + 6 weeks is judged as 18 weeks. */
        zf_duration total = {(int32_t)(sum > 99999 ? 99999 : sum), spec->length.unit};
        if (!art4_exclusion(total))
            return NULL;
        return spec->length.unit == ZF_UNIT_DAY    ? NOTE_TOTAL_DAYS
               : spec->length.unit == ZF_UNIT_WEEK ? NOTE_TOTAL_WEEKS
                                                   : NOTE_TOTAL_MONTHS;
    }
    /* Mixed units: more than any limit whose unit occurs is too long. */
    if ((units & (1u << ZF_UNIT_WEEK)) && span > 12 * 7)
        return NOTE_TOTAL_WEEKS;
    if ((units & (1u << ZF_UNIT_DAY)) && span > 90)
        return NOTE_TOTAL_DAYS;
    if ((units & (1u << ZF_UNIT_MONTH)) &&
        zf_date_add(&three_months, trigger, (zf_duration){3, ZF_UNIT_MONTH}, NULL) ==
            ZF_OK &&
        end > three_months)
        return NOTE_TOTAL_MONTHS;
    return NULL;
}

static int unit_ok(zf_unit u) {
    return u >= ZF_UNIT_DAY && u <= ZF_UNIT_YEAR;
}

static zf_code check_spec(const zf_term_spec *spec, zf_error *err) {
    if (!spec)
        return zf__error_set(err, ZF_EINVAL, "no term given");
    if (spec->version != ZF_TERM_SPEC_VERSION)
        return zf__error_set(err, ZF_EINVAL, "unknown zf_term_spec version %u",
                             spec->version);
    if (!zf_date_valid(spec->trigger))
        return zf__error_set(err, ZF_EINVAL, "the term has no valid trigger date");
    if (spec->length.n < 0 || !unit_ok(spec->length.unit))
        return zf__error_set(err, ZF_EINVAL, "the length of a term cannot be negative");
    if (spec->calendar && !zf__ok_calendar(spec->calendar))
        return zf__error_set(err, ZF_EINVAL, "invalid calendar");
    if (spec->atw != ZF_ATW_AUTO && spec->atw != ZF_ATW_OFF)
        return zf__error_set(err, ZF_EINVAL, "unknown Atw mode %d", (int)spec->atw);
    if (spec->suspend_rule != ZF_SUSPEND_EXCLUSIVE &&
        spec->suspend_rule != ZF_SUSPEND_INCLUSIVE)
        return zf__error_set(err, ZF_EINVAL, "unknown suspension rule %d",
                             (int)spec->suspend_rule);
    if (spec->extend_rule != ZF_EXTEND_FROM_END && spec->extend_rule != ZF_EXTEND_TOTAL)
        return zf__error_set(err, ZF_EINVAL, "unknown extension rule %d",
                             (int)spec->extend_rule);
    if (spec->nsuspensions && !spec->suspensions)
        return zf__error_set(err, ZF_EINVAL, "suspensions are missing");
    for (size_t i = 0; i < spec->nsuspensions; i++) {
        const zf_interval *iv = &spec->suspensions[i];
        char a[ZF_DATE_BUFSIZE], b[ZF_DATE_BUFSIZE];
        if (!zf_date_valid(iv->from) || !zf_date_valid(iv->to))
            return zf__error_set(err, ZF_EINVAL, "suspension %zu has no valid dates",
                                 i + 1);
        if (iv->to < iv->from)
            return zf__error_set(err, ZF_EINVAL,
                                 "suspension %s..%s ends before it starts",
                                 zf_date_format(a, iv->from), zf_date_format(b, iv->to));
    }
    if (spec->nextensions && !spec->extensions)
        return zf__error_set(err, ZF_EINVAL, "extensions are missing");
    for (size_t i = 0; i < spec->nextensions; i++)
        if (spec->extensions[i].n < 0 || !unit_ok(spec->extensions[i].unit))
            return zf__error_set(err, ZF_EINVAL, "extension %zu is negative", i + 1);
    return ZF_OK;
}

/* The computation shared by zf_term_compute() and zf__term_end(): fills b->r. */
static zf_code compute(struct build *b, const zf_term_spec *spec, zf_error *err) {
    zf_term_result *r = &b->r;
    const zf_calendar *cal;
    zf_date nominal, end;
    int64_t end64;
    zf_code rc;

    if ((rc = check_spec(spec, err)) != ZF_OK)
        return rc;
    cal = spec->calendar ? spec->calendar : zf_calendar_atw();
    if (!cal)
        return zf__error_set(err, ZF_ENOMEM, "the Atw calendar could not be loaded");

    /* The scalars only: the steps are written as they are recorded. */
    memset(r, 0, offsetof(zf_term_result, steps));
    r->length = spec->length;
    if (!zf_date_valid(spec->trigger + 1))
        return range_error(err);
    r->first_day = spec->trigger + 1;
    if (zf_date_add(&nominal, spec->trigger, spec->length, NULL) != ZF_OK)
        return range_error(err);
    r->nominal_end = nominal;
    step(b, ZF_STEP_START, r->first_day, 0, NULL, NOTE_START);
    step(b, ZF_STEP_NOMINAL, nominal, 0, NULL, NOTE_END);

    end64 = nominal;
    if ((rc = add_suspensions(b, spec, &end64, err)) != ZF_OK)
        return rc;
    end = (zf_date)end64;

    if (spec->extend_rule == ZF_EXTEND_TOTAL && spec->nextensions > 0) {
        /* The extensions lengthen the term; the Atw is judged on the whole. */
        zf_date plain = nominal; /* trigger + length + extensions, without suspension */
        for (size_t i = 0; i < spec->nextensions; i++) {
            zf_date next;
            if (zf_date_add(&next, end, spec->extensions[i], NULL) != ZF_OK ||
                zf_date_add(&plain, plain, spec->extensions[i], NULL) != ZF_OK)
                return range_error(err);
            step(b, ZF_STEP_EXTEND, next, next - end, NULL, NOTE_EXTEND_TOTAL);
            end = next;
        }
        rc = apply_atw(b, spec, cal, spec->trigger, (int64_t)plain - spec->trigger,
                       total_exclusion(spec, spec->trigger, plain), 1, &end, err);
        if (rc != ZF_OK)
            return rc;
    } else {
        /* The term itself, then each extension as a term of its own that starts
         * on the day after the (Atw-adjusted) end of the one before. */
        rc = apply_atw(b, spec, cal, spec->trigger, (int64_t)nominal - spec->trigger,
                       art4_exclusion(spec->length), 1, &end, err);
        if (rc != ZF_OK)
            return rc;
        for (size_t i = 0; i < spec->nextensions; i++) {
            zf_date from = end, next;
            if (zf_date_add(&next, from, spec->extensions[i], NULL) != ZF_OK)
                return range_error(err);
            step(b, ZF_STEP_EXTEND, next, next - from, NULL, NOTE_EXTEND_FROM_END);
            end = next;
            rc = apply_atw(b, spec, cal, from, (int64_t)next - from,
                           art4_exclusion(spec->extensions[i]), 0, &end, err);
            if (rc != ZF_OK)
                return rc;
        }
    }
    r->end = end;
    step(b, ZF_STEP_END, end, 0, NULL, NOTE_END);
    return ZF_OK;
}

zf_code zf_term_compute(zf_term_result *out, const zf_term_spec *spec, zf_error *err) {
    struct build b;
    zf_code rc;
    zf__error_reset(err);
    if (!out)
        return zf__error_set(err, ZF_EINVAL, "no result given");
    b.trace = 1;
    if ((rc = compute(&b, spec, err)) != ZF_OK)
        return rc;
    publish(out, &b.r);
    return ZF_OK;
}

zf_code zf__term_end(zf_date *out, const zf_term_spec *spec, zf_error *err) {
    struct build b;
    zf_code rc;
    if (!out)
        return zf__error_set(err, ZF_EINVAL, "no result given");
    b.trace = 0;
    if ((rc = compute(&b, spec, err)) != ZF_OK)
        return rc;
    *out = b.r.end;
    return ZF_OK;
}

/* ---- explanation ------------------------------------------------------------------ */

static const char *weekday_of(zf_date d) {
    return zf_weekday_name(zf_date_weekday(d));
}

static zf_code explain_day(zf_buf *out, const zf_term_step *s) {
    char d[ZF_DATE_BUFSIZE];
    const zf_day_info *day = &s->day;
    const char *basis = day->basis && *day->basis ? day->basis : NULL;
    zf_date_format(d, s->date);
    switch (day->kind) {
    case ZF_DAY_WEEKEND:
        return zf_buf_printf(out, "%s is a %s (Atw art 1)\n", d,
                             zf_date_weekday(s->date) == ZF_SATURDAY ? "Saturday"
                             : zf_date_weekday(s->date) == ZF_SUNDAY ? "Sunday"
                                                                     : "weekend day");
    case ZF_DAY_HOLIDAY:
        return zf_buf_printf(out, "%s is a public holiday: %s (%s)\n", d, day->name,
                             basis ? basis : "Atw art 3 lid 1");
    case ZF_DAY_EQUATED_LAW:
        return zf_buf_printf(out,
                             "%s is equated with a public holiday by the Act: %s (%s)\n",
                             d, day->name, basis ? basis : "Atw art 3 lid 2");
    case ZF_DAY_EQUATED_KB:
        return zf_buf_printf(out, "%s is equated with a public holiday: %s (%s)\n", d,
                             day->name, basis ? basis : "Atw art 3 lid 3");
    case ZF_DAY_LOCAL:
        if (basis)
            return zf_buf_printf(out, "%s is a closing day: %s (%s)\n", d, day->name,
                                 basis);
        return zf_buf_printf(out, "%s is a closing day: %s\n", d, day->name);
    case ZF_DAY_WORKING:
    default:
        return zf_buf_printf(out, "%s is not a working day\n", d);
    }
}

static zf_code explain_step(zf_buf *out, const zf_term_result *res,
                            const zf_term_step *s) {
    char d[ZF_DATE_BUFSIZE], t[ZF_DATE_BUFSIZE], len[ZF_DURATION_BUFSIZE];
    zf_date_format(d, s->date);
    switch (s->kind) {
    case ZF_STEP_START:
        return zf_buf_printf(out, "term of %s from %s: starts %s (%s)\n",
                             zf_duration_format(len, res->length),
                             zf_date_format(t, s->date - 1), d, s->note);
    case ZF_STEP_NOMINAL:
        return zf_buf_printf(out, "nominal last day %s (%s)\n", d, weekday_of(s->date));
    case ZF_STEP_SUSPEND:
        return zf_buf_printf(out, "suspended for %ld day%s (%s): last day %s (%s)\n",
                             (long)s->days, s->days == 1 ? "" : "s", s->note, d,
                             weekday_of(s->date));
    case ZF_STEP_EXTEND:
        return zf_buf_printf(out, "extended by %ld day%s (%s): last day %s (%s)\n",
                             (long)s->days, s->days == 1 ? "" : "s", s->note, d,
                             weekday_of(s->date));
    case ZF_STEP_ATW_EXCLUDED:
        return zf_buf_printf(out, "the Atw does not apply: %s\n", s->note);
    case ZF_STEP_ATW_ART2:
        return zf_buf_printf(out,
                             "the term must contain two working days (Atw art 2): "
                             "extended by %ld day%s to %s (%s)\n",
                             (long)s->days, s->days == 1 ? "" : "s", d,
                             weekday_of(s->date));
    case ZF_STEP_NONWORKING:
        return explain_day(out, s);
    case ZF_STEP_END:
        return zf_buf_printf(out, "last day %s (%s)\n", d, weekday_of(s->date));
    default:
        return ZF_OK;
    }
}

zf_code zf_term_explain(zf_buf *out, const zf_term_result *res, zf_error *err) {
    size_t keep;
    zf__error_reset(err);
    if (!out || !res)
        return zf__error_set(err, ZF_EINVAL, "no buffer or result given");
    keep = out->size;
    for (unsigned int i = 0; i < res->nsteps && i < ZF_TERM_MAX_STEPS; i++) {
        zf_code rc = explain_step(out, res, &res->steps[i]);
        if (rc == ZF_OK && res->truncated && i + 2 == res->nsteps)
            rc = zf_buf_puts(out, "(further steps left out)\n");
        if (rc != ZF_OK) {
            /* Leave the buffer as it was. */
            out->size = keep;
            if (out->ptr)
                out->ptr[keep] = '\0';
            return zf__error_set(err, rc, NULL);
        }
    }
    return ZF_OK;
}
