/*
 * Embedding zaakflow in a case system: load the bezwaar definition, start a
 * case, fire events with their legal dates, and keep the snapshot.
 * Build: cc -std=c11 bezwaar_case.c $(pkg-config --cflags --libs zaakflow)
 * Run:   ./a.out processes/bezwaar.xml
 */
#include <zaakflow.h>
#include <stdio.h>

static zf_date d(const char *iso) {
    zf_date out = ZF_DATE_NONE;
    zf_date_parse(&out, iso, NULL);
    return out;
}

static int fail(const zf_error *err) {
    fprintf(stderr, "%s:%d:%d: %s [%s]\n", err->file, err->line, err->column,
            err->message, zf_code_name(err->code));
    return 1;
}

int main(int argc, char **argv) {
    zf_definition *def = NULL;
    zf_instance *zaak = NULL;
    zf_error err = {0};
    zf_term_info term;
    zf_buf snapshot = ZF_BUF_INIT;
    char buf[ZF_DATE_BUFSIZE];
    const char *behandelaar[] = {"behandelaar"};
    zf_actor jurist = {"j.devries", behandelaar, 1};

    if (zf_definition_load(&def, argc > 1 ? argv[1] : "processes/bezwaar.xml", NULL,
                           &err))
        return fail(&err);

    /* The decision was sent on Friday 3 April 2026 (Goede Vrijdag). */
    zf_param_value vars[] = {{"verzonden", zf_value_date(d("2026-04-03"))},
                             {"commissie_gemeld", zf_value_bool(1)}};
    if (zf_instance_new(&zaak, def, d("2026-05-12"), vars, 2, NULL, &err))
        return fail(&err);

    zf_param_value ontvangst[] = {{"ontvangen", zf_value_date(d("2026-05-12"))},
                                  {"per_post", zf_value_bool(0)}};
    if (zf_instance_fire(zaak, "bezwaarschrift_ontvangen", d("2026-05-12"), &jurist,
                         ontvangst, 2, &err))
        return fail(&err);

    /* The objector's terms stopped when the bezwaarschrift came in (they keep their
       last day); what is due is the body's beslistermijn. */
    for (size_t i = 0; i < zf_instance_term_count(zaak); i++) {
        if (zf_instance_term(&term, zaak, i, &err) == ZF_OK && term.end != ZF_DATE_NONE)
            printf("%-22s %-8s last day %s  %s acts\n", term.id,
                   zf_term_status_name(term.status), zf_date_format(buf, term.end),
                   term.party ? term.party : "nobody says who");
    }
    const char *due_term;
    zf_date due = zf_instance_next_due_for(zaak, "bestuursorgaan", &due_term);
    if (due != ZF_DATE_NONE)
        printf("next due for the bestuursorgaan: %s on %s\n", due_term,
               zf_date_format(buf, due));

    /* Firing an event the procedure does not allow changes nothing. */
    if (zf_instance_fire(zaak, "beslissing_op_bezwaar", d("2026-05-13"), &jurist, NULL, 0,
                         &err) != ZF_OK)
        printf("refused: %s [%s]\n", err.message, zf_code_name(err.code));

    zf_instance_snapshot(&snapshot, zaak, NULL); /* store this in the case system */
    printf("snapshot: %zu bytes, definition hash %.12s...\n", snapshot.size,
           zf_definition_hash(def));

    zf_buf_dispose(&snapshot);
    zf_instance_free(zaak);
    zf_definition_free(def);
    return 0;
}
