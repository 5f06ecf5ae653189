/* zaakflow deadline / calendar: the last day of a term, and the non-working days of a
 * year. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

/* ---- shared helpers ------------------------------------------------------------------
 */

/* "--name value" or "--name=value": the value, or NULL when `arg` is another option. */
static const char *opt_value(int argc, char **argv, int *i, const char *name,
                             int *missing) {
    size_t len = strlen(name);
    const char *arg = argv[*i];
    *missing = 0;
    if (strncmp(arg, name, len) != 0)
        return NULL;
    if (arg[len] == '=')
        return arg + len + 1;
    if (arg[len] != '\0')
        return NULL;
    if (*i + 1 >= argc) {
        *missing = 1;
        return NULL;
    }
    return argv[++*i];
}

static int error_exit(const zf_error *err) {
    if (err->file[0] && err->line > 0)
        return cli_usage_error("%s:%d:%d: %s", err->file, err->line, err->column,
                               err->message);
    if (err->file[0])
        return cli_usage_error("%s: %s", err->file, err->message);
    return cli_usage_error("%s", err->message[0] ? err->message : zf_strerror(err->code));
}

/* Resolve --calendar: "atw", "none" or an XML file. *owned is set for a loaded file. */
static int open_calendar(const char *spec, const zf_calendar **cal, zf_calendar **owned) {
    zf_error err;
    *owned = NULL;
    if (!spec || !strcmp(spec, "atw")) {
        *cal = zf_calendar_atw();
        if (!*cal)
            return cli_usage_error("cannot load the Atw calendar: out of memory");
        return CLI_OK;
    }
    if (!strcmp(spec, "none")) {
        *cal = zf_calendar_none();
        return CLI_OK;
    }
    zf_error_clear(&err);
    if (zf_calendar_load(owned, spec, &err) != ZF_OK)
        return error_exit(&err);
    *cal = *owned;
    return CLI_OK;
}

static const char *day_kind_name(zf_day_kind kind) {
    switch (kind) {
    case ZF_DAY_WORKING:
        return "working";
    case ZF_DAY_WEEKEND:
        return "weekend";
    case ZF_DAY_HOLIDAY:
        return "holiday";
    case ZF_DAY_EQUATED_LAW:
        return "equated-law";
    case ZF_DAY_EQUATED_KB:
        return "equated-kb";
    case ZF_DAY_LOCAL:
        return "local";
    }
    return "unknown";
}

static const char *step_kind_name(zf_step_kind kind) {
    switch (kind) {
    case ZF_STEP_START:
        return "start";
    case ZF_STEP_NOMINAL:
        return "nominal";
    case ZF_STEP_SUSPEND:
        return "suspend";
    case ZF_STEP_EXTEND:
        return "extend";
    case ZF_STEP_ATW_EXCLUDED:
        return "atw-excluded";
    case ZF_STEP_ATW_ART2:
        return "atw-art2";
    case ZF_STEP_NONWORKING:
        return "nonworking";
    case ZF_STEP_END:
        return "end";
    }
    return "unknown";
}

/* ---- zaakflow deadline ------------------------------------------------------------- */

static int deadline_help(void) {
    fputs(
        "usage: zaakflow deadline --from DATE --length N{d,w,m,y} [OPTIONS]\n"
        "\n"
        "Print the last day of a statutory term (YYYY-MM-DD) on the first line.\n"
        "The term starts on the day after DATE (Awb 6:8); the Algemene termijnenwet\n"
        "(art 1, 2 and 4) extends it past weekends and public holidays.\n"
        "\n"
        "options:\n"
        "  --from DATE            the trigger day, YYYY-MM-DD (e.g. the day of "
        "bekendmaking)\n"
        "  --first-day DATE       instead of --from: the term's first day (the trigger\n"
        "                         is the day before), e.g. the first dwangsom day\n"
        "  --length N{d,w,m,y}    length of the term: 14d, 6w, 3m, 1y\n"
        "  --calendar C           atw (default), none, or a calendar XML file\n"
        "  --suspend FROM..TO     a suspension (Awb 4:15): from the day after FROM\n"
        "                         until TO; may be repeated\n"
        "  --suspend-rule R       exclusive (default: TO is not suspended) or inclusive\n"
        "  --extend N{d,w,m}      an extension (verdaging); may be repeated\n"
        "  --extend-rule R        from-end (default: a new term after the end) or total\n"
        "  --no-atw               a statute excludes the Atw (e.g. Awb 4:17 lid 1)\n"
        "  --explain              explain each step after the date\n"
        "  --json                 print one JSON object instead\n"
        "  --help                 show this text\n",
        stdout);
    return CLI_OK;
}

static int parse_date_arg(zf_date *out, const char *opt, const char *text) {
    zf_error err;
    zf_error_clear(&err);
    if (zf_date_parse(out, text, &err) != ZF_OK)
        return cli_usage_error("%s: %s", opt, err.message);
    return CLI_OK;
}

static int parse_duration_arg(zf_duration *out, const char *opt, const char *text) {
    zf_error err;
    zf_error_clear(&err);
    if (zf_duration_parse(out, text, &err) != ZF_OK)
        return cli_usage_error("%s: %s", opt, err.message);
    return CLI_OK;
}

static int parse_interval(zf_interval *out, const char *text) {
    const char *dots = strstr(text, "..");
    char from[32];
    size_t len;
    if (!dots || (len = (size_t)(dots - text)) >= sizeof from)
        return cli_usage_error(
            "--suspend: '%s' is not of the form YYYY-MM-DD..YYYY-MM-DD", text);
    memcpy(from, text, len);
    from[len] = '\0';
    if (parse_date_arg(&out->from, "--suspend", from) != CLI_OK ||
        parse_date_arg(&out->to, "--suspend", dots + 2) != CLI_OK)
        return CLI_USAGE;
    if (out->to < out->from)
        return cli_usage_error("--suspend: '%s' ends before it starts", text);
    return CLI_OK;
}

static int print_json(const zf_term_result *res) {
    char d[ZF_DATE_BUFSIZE];
    printf("{\"last_day\": \"%s\", ", zf_date_format(d, res->end));
    printf("\"first_day\": \"%s\", ", zf_date_format(d, res->first_day));
    printf("\"nominal_end\": \"%s\", ", zf_date_format(d, res->nominal_end));
    printf("\"atw_applied\": %s, ", res->atw_applied ? "true" : "false");
    printf("\"suspended_days\": %ld, ", (long)res->suspended_days);
    printf("\"truncated\": %s, \"steps\": [", res->truncated ? "true" : "false");
    for (unsigned int i = 0; i < res->nsteps; i++) {
        /* Explain one step at a time: a copy of the result that holds just that step. */
        static zf_term_result one;
        zf_buf text = ZF_BUF_INIT;
        const zf_term_step *s = &res->steps[i];
        one = *res;
        one.steps[0] = *s;
        one.nsteps = 1;
        one.truncated = 0;
        if (zf_term_explain(&text, &one, NULL) != ZF_OK) {
            zf_buf_dispose(&text);
            return cli_usage_error("out of memory");
        }
        if (text.size && text.ptr[text.size - 1] == '\n')
            text.ptr[--text.size] = '\0';
        printf("%s{\"kind\": \"%s\", \"date\": \"%s\", \"days\": %ld, ", i ? ", " : "",
               step_kind_name(s->kind), zf_date_format(d, s->date), (long)s->days);
        if (s->kind == ZF_STEP_NONWORKING) {
            printf("\"day_kind\": \"%s\", \"name\": ", day_kind_name(s->day.kind));
            cli_json_string(stdout, s->day.name);
            printf(", \"basis\": ");
            cli_json_string(stdout, s->day.basis);
            printf(", ");
        }
        printf("\"text\": ");
        cli_json_string(stdout, text.ptr);
        printf("}");
        zf_buf_dispose(&text);
    }
    printf("]}\n");
    return CLI_OK;
}

int cmd_deadline(int argc, char **argv) {
    zf_term_spec spec = ZF_TERM_SPEC_INIT;
    zf_interval *susp = NULL;
    zf_duration *ext = NULL;
    size_t nsusp = 0, next = 0;
    const char *calname = NULL;
    int have_from = 0, have_len = 0, explain = 0, json = 0, rc = CLI_USAGE;
    zf_calendar *owned = NULL;
    zf_term_result res;
    zf_error err;

    susp = calloc((size_t)argc + 1, sizeof *susp);
    ext = calloc((size_t)argc + 1, sizeof *ext);
    if (!susp || !ext) {
        rc = cli_usage_error("out of memory");
        goto done;
    }
    for (int i = 1; i < argc; i++) {
        const char *v, *arg = argv[i];
        int missing;
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            rc = deadline_help();
            goto done;
        } else if ((v = opt_value(argc, argv, &i, "--from", &missing)) || missing) {
            if (missing)
                goto missing_value;
            if (have_from++)
                goto twice;
            if (parse_date_arg(&spec.trigger, "--from", v))
                goto done;
        } else if ((v = opt_value(argc, argv, &i, "--first-day", &missing)) || missing) {
            zf_date first;
            if (missing)
                goto missing_value;
            if (have_from++)
                goto twice;
            if (parse_date_arg(&first, "--first-day", v))
                goto done;
            if (!zf_date_valid(first - 1)) {
                cli_usage_error("--first-day: %s has no day before it", v);
                goto done;
            }
            spec.trigger = first - 1;
        } else if ((v = opt_value(argc, argv, &i, "--length", &missing)) || missing) {
            if (missing)
                goto missing_value;
            if (have_len++)
                goto twice;
            if (parse_duration_arg(&spec.length, "--length", v))
                goto done;
        } else if ((v = opt_value(argc, argv, &i, "--calendar", &missing)) || missing) {
            if (missing)
                goto missing_value;
            if (calname)
                goto twice;
            calname = v;
        } else if ((v = opt_value(argc, argv, &i, "--suspend-rule", &missing)) ||
                   missing) {
            if (missing)
                goto missing_value;
            if (!strcmp(v, "exclusive"))
                spec.suspend_rule = ZF_SUSPEND_EXCLUSIVE;
            else if (!strcmp(v, "inclusive"))
                spec.suspend_rule = ZF_SUSPEND_INCLUSIVE;
            else {
                cli_usage_error("--suspend-rule: '%s' is not exclusive or inclusive", v);
                goto done;
            }
        } else if ((v = opt_value(argc, argv, &i, "--suspend", &missing)) || missing) {
            if (missing)
                goto missing_value;
            if (parse_interval(&susp[nsusp++], v))
                goto done;
        } else if ((v = opt_value(argc, argv, &i, "--extend-rule", &missing)) ||
                   missing) {
            if (missing)
                goto missing_value;
            if (!strcmp(v, "from-end"))
                spec.extend_rule = ZF_EXTEND_FROM_END;
            else if (!strcmp(v, "total"))
                spec.extend_rule = ZF_EXTEND_TOTAL;
            else {
                cli_usage_error("--extend-rule: '%s' is not from-end or total", v);
                goto done;
            }
        } else if ((v = opt_value(argc, argv, &i, "--extend", &missing)) || missing) {
            if (missing)
                goto missing_value;
            if (parse_duration_arg(&ext[next], "--extend", v))
                goto done;
            if (ext[next].unit == ZF_UNIT_YEAR) {
                cli_usage_error("--extend: give an extension in days, weeks or months");
                goto done;
            }
            next++;
        } else if (!strcmp(argv[i], "--no-atw")) {
            spec.atw = ZF_ATW_OFF;
        } else if (!strcmp(argv[i], "--explain")) {
            explain = 1;
        } else if (!strcmp(argv[i], "--json")) {
            json = 1;
        } else {
            cli_usage_error("deadline: unknown option '%s' (try --help)", argv[i]);
            goto done;
        }
        continue;
    missing_value:
        cli_usage_error("deadline: %s needs a value", argv[i]);
        goto done;
    twice:
        cli_usage_error("deadline: %.*s is given twice", (int)strcspn(arg, "="), arg);
        goto done;
    }
    if (!have_from || !have_len) {
        cli_usage_error("deadline: %s is required (try --help)",
                        !have_from ? "--from" : "--length");
        goto done;
    }
    if ((rc = open_calendar(calname, &spec.calendar, &owned)) != CLI_OK)
        goto done;
    spec.suspensions = susp;
    spec.nsuspensions = nsusp;
    spec.extensions = ext;
    spec.nextensions = next;
    zf_error_clear(&err);
    if (zf_term_compute(&res, &spec, &err) != ZF_OK) {
        rc = error_exit(&err);
        goto done;
    }
    if (json) {
        rc = print_json(&res);
    } else {
        char d[ZF_DATE_BUFSIZE];
        printf("%s\n", zf_date_format(d, res.end));
        rc = CLI_OK;
        if (explain) {
            zf_buf text = ZF_BUF_INIT;
            if (zf_term_explain(&text, &res, NULL) != ZF_OK)
                rc = cli_usage_error("out of memory");
            else
                fputs(text.ptr ? text.ptr : "", stdout);
            zf_buf_dispose(&text);
        }
    }
done:
    zf_calendar_free(owned);
    free(susp);
    free(ext);
    return rc;
}

/* ---- zaakflow calendar ------------------------------------------------------------- */

static int calendar_help(void) {
    fputs("usage: zaakflow calendar --year YYYY [--calendar atw|none|FILE.xml] [--json]\n"
          "\n"
          "List the non-working days of a year other than plain weekends, one a line:\n"
          "  YYYY-MM-DD  weekday  name  (basis)\n"
          "A holiday that falls on a Saturday or Sunday is listed too.\n",
          stdout);
    return CLI_OK;
}

int cmd_calendar(int argc, char **argv) {
    const char *calname = NULL, *yeartext = NULL;
    const zf_calendar *cal;
    zf_calendar *owned = NULL;
    zf_day_info days[512];
    int json = 0, year = 0, n, rc;

    for (int i = 1; i < argc; i++) {
        const char *v;
        int missing;
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
            return calendar_help();
        if ((v = opt_value(argc, argv, &i, "--year", &missing)) || missing) {
            if (missing)
                return cli_usage_error("calendar: --year needs a value");
            yeartext = v;
        } else if ((v = opt_value(argc, argv, &i, "--calendar", &missing)) || missing) {
            if (missing)
                return cli_usage_error("calendar: --calendar needs a value");
            calname = v;
        } else if (!strcmp(argv[i], "--json")) {
            json = 1;
        } else {
            return cli_usage_error("calendar: unknown option '%s' (try --help)", argv[i]);
        }
    }
    if (!yeartext)
        return cli_usage_error("calendar: --year is required (try --help)");
    for (const char *p = yeartext; *p; p++) {
        if (*p < '0' || *p > '9' || p - yeartext >= 4)
            return cli_usage_error("calendar: '%s' is not a year from 1 to 9999",
                                   yeartext);
        year = year * 10 + (*p - '0');
    }
    if (year < 1)
        return cli_usage_error("calendar: '%s' is not a year from 1 to 9999", yeartext);
    if ((rc = open_calendar(calname, &cal, &owned)) != CLI_OK)
        return rc;
    n = zf_calendar_year(days, sizeof days / sizeof days[0], cal, year);
    if (n < 0) {
        zf_calendar_free(owned);
        return cli_usage_error("calendar: cannot list the year %d", year);
    }
    if (n > (int)(sizeof days / sizeof days[0]))
        n = (int)(sizeof days / sizeof days[0]);
    if (json) {
        printf("{\"calendar\": ");
        cli_json_string(stdout, zf_calendar_id(cal));
        printf(", \"year\": %d, \"days\": [", year);
    }
    for (int i = 0; i < n; i++) {
        char d[ZF_DATE_BUFSIZE];
        const char *wd = zf_weekday_name(zf_date_weekday(days[i].date));
        zf_date_format(d, days[i].date);
        if (json) {
            printf(
                "%s{\"date\": \"%s\", \"weekday\": \"%s\", \"kind\": \"%s\", \"name\": ",
                i ? ", " : "", d, wd, day_kind_name(days[i].kind));
            cli_json_string(stdout, days[i].name);
            printf(", \"basis\": ");
            cli_json_string(stdout, days[i].basis);
            printf("}");
        } else if (days[i].basis && days[i].basis[0]) {
            printf("%s  %-9s  %s  (%s)\n", d, wd, days[i].name, days[i].basis);
        } else {
            printf("%s  %-9s  %s\n", d, wd, days[i].name);
        }
    }
    if (json)
        printf("]}\n");
    zf_calendar_free(owned);
    return CLI_OK;
}
