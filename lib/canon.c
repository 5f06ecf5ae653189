/*
 * The canonical form of a compiled definition (docs/versions.md): a text
 * that holds what the definition means and nothing else, written from the
 * compiled tables, so that comments, white space, attribute order and
 * quoting, defaults left implicit, the spelling of expressions and numbers,
 * and `title` and `documentation` texts cannot change it. The definition's
 * hash is the SHA-256 of this text.
 *
 * Everything is listed in document order: that order decides priorities
 * (transitions, expiries), the order of effects and snapshots, and every
 * index the compiled tables use, so two definitions with the same form have
 * the same tables. Values are JSON string literals, or `-` when absent.
 */
#include "load.h"
#include "sha256.h"
#include "writer.h"

#include <stdio.h>
#include <string.h>

typedef struct cw {
    zf__writer w;
    const struct zf_definition *d;
} cw;

static void puts_(cw *w, const char *s) {
    zf__w_puts(&w->w, s);
}

static void indent(cw *w, int level) {
    for (int i = 0; i < level; i++)
        zf__w_put(&w->w, "  ", 2);
}

/* ` key="value"` (a JSON string literal), or ` key=-` when value is NULL. */
static void field(cw *w, const char *key, const char *value) {
    zf__w_putc(&w->w, ' ');
    zf__w_puts(&w->w, key);
    zf__w_putc(&w->w, '=');
    if (value)
        zf__w_json(&w->w, value);
    else
        zf__w_putc(&w->w, '-');
}

static void field_bool(cw *w, const char *key, int b) {
    field(w, key, b ? "true" : "false");
}

static void field_date(cw *w, const char *key, zf_date d) {
    char buf[ZF_DATE_BUFSIZE];
    field(w, key, d == ZF_DATE_NONE ? NULL : zf_date_format(buf, d));
}

/* An expression in its canonical spelling; `none` stands for an absent one. */
static void field_expr(cw *w, const char *key, const zf__program *p, const char *none) {
    zf_buf b = ZF_BUF_INIT;
    if (!p->code || !p->source) {
        field(w, key, none);
        return;
    }
    if (zf__expr_canon(&b, p->source, strlen(p->source)) != ZF_OK)
        zf__w_fail(&w->w, ZF_ENOMEM);
    else
        field(w, key, b.ptr ? b.ptr : "");
    zf_buf_dispose(&b);
}

static void line_end(cw *w) {
    zf__w_putc(&w->w, '\n');
}

static void basis(cw *w, int level, const char *text) {
    if (!text)
        return;
    indent(w, level);
    puts_(w, "basis ");
    zf__w_json(&w->w, text);
    line_end(w);
}

static const char *type_name(const struct zf_definition *d, zf_type t, uint16_t enum_id) {
    if (t == ZF_TYPE_ENUM && enum_id < d->nenums)
        return d->enums[enum_id].id;
    return zf_type_name(t);
}

static const char *state_name(const struct zf_definition *d, uint16_t s) {
    return s < d->nstates ? d->states[s].id : NULL;
}

/* A role mask as its role ids in declaration order, blank-separated. */
static void field_roles(cw *w, const char *key, uint32_t mask) {
    zf_buf b = ZF_BUF_INIT;
    zf__writer bw;
    const struct zf_definition *d = w->d;
    zf__w_init(&bw, &b);
    for (uint16_t r = 0; r < d->nroles && r < ZF_MAX_ROLES; r++)
        if (mask & (1u << r)) {
            if (b.size)
                zf__w_putc(&bw, ' ');
            zf__w_puts(&bw, d->roles[r].id);
        }
    if (zf__w_finish(&bw, NULL) != ZF_OK)
        zf__w_fail(&w->w, ZF_ENOMEM);
    else
        field(w, key, mask ? b.ptr : NULL);
    zf_buf_dispose(&b);
}

static void value_field(cw *w, const char *key, const zf_value *v) {
    zf_buf b = ZF_BUF_INIT;
    if (v->type == ZF_TYPE_VOID) {
        field(w, key, NULL);
        return;
    }
    if (zf_value_format(&b, v, NULL) != ZF_OK)
        zf__w_fail(&w->w, ZF_ENOMEM);
    else
        field(w, key, b.ptr ? b.ptr : "");
    zf_buf_dispose(&b);
}

static const char *const action_names[] = {"assign",  "raise",  "start",  "stop",
                                           "suspend", "resume", "extend", "notify",
                                           "spawn",   "log"};

static void action(cw *w, int level, const zf__action *a) {
    const struct zf_definition *d = w->d;
    indent(w, level);
    puts_(w,
          (unsigned)a->kind < ZF__ARRAY_SIZE(action_names) ? action_names[a->kind] : "?");
    switch (a->kind) {
    case ZF_ACT_ASSIGN:
        field(w, "var", a->target < d->nvars ? d->vars[a->target].id : NULL);
        field_expr(w, "expr", &a->expr, NULL);
        break;
    case ZF_ACT_RAISE:
        field(w, "event", a->target < d->nevents ? d->events[a->target].id : NULL);
        break;
    case ZF_ACT_START:
        field(w, "term", a->target < d->nterms ? d->terms[a->target].id : NULL);
        field_expr(w, "from", &a->expr, NULL);
        break;
    case ZF_ACT_STOP:
    case ZF_ACT_SUSPEND:
    case ZF_ACT_RESUME:
        field(w, "term", a->target < d->nterms ? d->terms[a->target].id : NULL);
        break;
    case ZF_ACT_EXTEND:
        field(w, "term", a->target < d->nterms ? d->terms[a->target].id : NULL);
        field_expr(w, "by", &a->expr, NULL);
        break;
    case ZF_ACT_NOTIFY:
        field(w, "to", a->to);
        field(w, "text", a->text);
        break;
    case ZF_ACT_SPAWN:
        field(w, "process", a->text);
        field(w, "relation", a->relation == ZF_REL_DEELZAAK ? "deelzaak" : "vervolg");
        break;
    case ZF_ACT_LOG:
        field(w, "text", a->text);
        break;
    }
    line_end(w);
    basis(w, level + 1, a->basis);
    if (a->kind == ZF_ACT_SPAWN)
        for (uint16_t p = 0; p < a->nparams; p++) {
            indent(w, level + 1);
            puts_(w, "with");
            field(w, "name", a->params[p].name);
            field_expr(w, "expr", &a->params[p].value, NULL);
            line_end(w);
        }
}

static void actions(cw *w, int level, const char *head, uint32_t first, uint32_t n) {
    if (!n)
        return;
    indent(w, level);
    puts_(w, head);
    line_end(w);
    for (uint32_t k = first; k < first + n && k < w->d->nactions; k++)
        action(w, level + 1, &w->d->actions[k]);
}

static void declarations(cw *w) {
    const struct zf_definition *d = w->d;
    for (uint16_t e = 0; e < d->nenums; e++) {
        const zf__enum *en = &d->enums[e];
        puts_(w, "enum");
        field(w, "id", en->id);
        line_end(w);
        basis(w, 1, en->basis);
        for (uint16_t v = 0; v < en->nvalues; v++) {
            indent(w, 1);
            puts_(w, "value");
            field(w, "id", en->values[v]);
            line_end(w);
            basis(w, 2, en->value_basis ? en->value_basis[v] : NULL);
        }
    }
    for (uint16_t v = 0; v < d->nvars; v++) {
        const zf__var *va = &d->vars[v];
        zf_value none = {ZF_TYPE_VOID, {0}, 0};
        puts_(w, "var");
        field(w, "id", va->id);
        field(w, "type", type_name(d, va->type, va->enum_id));
        field_bool(w, "required", va->required);
        value_field(w, "default", va->has_default ? &va->dflt : &none);
        line_end(w);
        basis(w, 1, va->basis);
    }
    for (uint16_t r = 0; r < d->nroles; r++) {
        puts_(w, "role");
        field(w, "id", d->roles[r].id);
        line_end(w);
        basis(w, 1, d->roles[r].basis);
    }
    for (uint16_t e = 0; e < d->nevents; e++) {
        const zf__event *ev = &d->events[e];
        if (ev->kind != ZF_EVENT_EXTERNAL && ev->kind != ZF_EVENT_INTERNAL)
            continue; /* expired.<term> and done.state.<id> follow from terms and states
                       */
        puts_(w, "event");
        field(w, "id", ev->id);
        field_bool(w, "internal", ev->kind == ZF_EVENT_INTERNAL);
        field_roles(w, "roles", ev->roles);
        line_end(w);
        basis(w, 1, ev->basis);
        for (uint16_t p = 0; p < ev->nparams; p++) {
            indent(w, 1);
            puts_(w, "param");
            field(w, "id", ev->params[p].id);
            field(w, "type", type_name(d, ev->params[p].type, ev->params[p].enum_id));
            field_bool(w, "required", ev->params[p].required);
            line_end(w);
            basis(w, 2, ev->params[p].basis);
        }
    }
    for (uint16_t r = 0; r < d->nrates; r++) {
        const zf__rate_table *rt = &d->rates[r];
        puts_(w, "rates");
        field(w, "id", rt->id);
        line_end(w);
        basis(w, 1, rt->basis);
        for (uint16_t v = 0; v < rt->nversions; v++) {
            const zf__rate_version *rv = &rt->versions[v];
            indent(w, 1);
            puts_(w, "version");
            field_date(w, "from", rv->valid_from);
            line_end(w);
            basis(w, 2, rv->basis);
            for (uint16_t k = 0; k < rv->ntiers; k++) {
                char days[16];
                zf_value money = zf_value_money(rv->tiers[k].cents);
                snprintf(days, sizeof days, "%d", (int)rv->tiers[k].days);
                indent(w, 2);
                puts_(w, "tier");
                field(w, "days", days);
                value_field(w, "amount", &money);
                line_end(w);
            }
        }
    }
}

static void terms(cw *w) {
    const struct zf_definition *d = w->d;
    for (uint16_t t = 0; t < d->nterms; t++) {
        const zf__termdef *td = &d->terms[t];
        puts_(w, "term");
        field(w, "id", td->id);
        field(w, "scope", state_name(d, td->scope));
        field(w, "start", td->manual ? "manual" : "entry");
        field_expr(w, "from", &td->from, "today");
        field_expr(w, "length", &td->length, NULL);
        field(w, "atw", td->atw == ZF_ATW_OFF ? "off" : "auto");
        field(w, "calendar", td->calendar ? zf_calendar_id(td->calendar) : NULL);
        field(w, "suspend-rule",
              td->suspend_rule == ZF_SUSPEND_INCLUSIVE ? "inclusive" : "exclusive");
        field(w, "extend-rule",
              td->extend_rule == ZF_EXTEND_TOTAL ? "total" : "from-end");
        field(w, "party", td->party);
        line_end(w);
        basis(w, 1, td->basis);
    }
}

static const char *const kind_names[] = {"atomic", "compound", "parallel", "final"};

static void states(cw *w) {
    const struct zf_definition *d = w->d;
    for (uint16_t s = 1; s < d->nstates; s++) {
        const zf__state *st = &d->states[s];
        puts_(w, "state");
        field(w, "id", st->id);
        field(w, "kind", kind_names[st->kind & 3]);
        field(w, "parent", state_name(d, st->parent));
        field(w, "initial", state_name(d, st->initial));
        field(w, "outcome", st->kind == ZF_STATE_FINAL ? st->outcome : NULL);
        line_end(w);
        basis(w, 1, st->basis);
        actions(w, 1, "onentry", st->entry_first, st->nentry);
        actions(w, 1, "onexit", st->exit_first, st->nexit);
        for (uint32_t k = st->trans_first; k < st->trans_first + st->ntrans; k++) {
            const zf__transition *tr = &d->trans[k];
            indent(w, 1);
            puts_(w, "transition");
            field(w, "event", tr->event < d->nevents ? d->events[tr->event].id : NULL);
            field_expr(w, "cond", &tr->cond, NULL);
            field(w, "target", state_name(d, tr->target));
            field(w, "type", tr->internal ? "internal" : "external");
            field_roles(w, "roles", tr->roles);
            line_end(w);
            basis(w, 2, tr->basis);
            for (uint32_t a = tr->action_first; a < tr->action_first + tr->naction; a++)
                action(w, 2, &d->actions[a]);
        }
    }
}

zf_code zf__defn_canonical(zf_buf *out, const struct zf_definition *d) {
    cw w;
    zf__w_init(&w.w, out);
    w.d = d;
    puts_(&w, "zaakflow-canonical 1\nprocess");
    field(&w, "id", d->id);
    field(&w, "version", d->version);
    field(&w, "initial", state_name(d, d->states[0].initial));
    field(&w, "calendar", d->calendar ? zf_calendar_id(d->calendar) : NULL);
    line_end(&w);
    basis(&w, 1, d->basis);
    declarations(&w);
    terms(&w);
    states(&w);
    return zf__w_finish(&w.w, NULL);
}

zf_code zf__defn_hash(struct zf_definition *d) {
    zf_buf b = ZF_BUF_INIT;
    zf_code rc = zf__defn_canonical(&b, d);
    if (rc == ZF_OK)
        zf__sha256_hex(b.ptr ? b.ptr : "", b.size, d->hash);
    zf_buf_dispose(&b);
    return rc;
}

zf_code zf_definition_canonical(zf_buf *out, const zf_definition *def, zf_error *err) {
    zf_code rc;
    zf_error_clear(err);
    if (!out)
        return zf__error_set(err, ZF_EINVAL, "out is NULL");
    if (!zf__ok_definition(def))
        return zf__error_set(err, ZF_EINVAL, "invalid definition");
    if ((rc = zf__defn_canonical(out, def)) != ZF_OK)
        return zf__error_set(err, rc, NULL);
    return ZF_OK;
}
