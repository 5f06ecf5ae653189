/*
 * The registry of definitions (include/zaakflow/registry.h): versions of a
 * process side by side, found by id and version, hash, or the date a case
 * starts. A sorted array of owned definitions; filled once, then only read.
 */
#include "registry_int.h"

#include <stdio.h>
#include <string.h>

struct zf_registry {
    unsigned int magic;
    zf_definition **defs; /* owned; sorted by zf__registry_cmp() */
    size_t n, cap;
};
ZF__MAGIC_FIRST(struct zf_registry);

zf_code zf_registry_new(zf_registry **out, zf_error *err) {
    zf_registry *r;
    zf_error_clear(err);
    if (!out)
        return zf__error_set(err, ZF_EINVAL, "out is NULL");
    *out = NULL;
    if (!(r = zf__calloc(1, sizeof *r)))
        return zf__error_set(err, ZF_ENOMEM, NULL);
    r->magic = ZF__MAGIC_REGISTRY;
    *out = r;
    return ZF_OK;
}

void zf_registry_free(zf_registry *reg) {
    if (!zf__ok_registry(reg))
        return;
    for (size_t i = 0; i < reg->n; i++)
        zf_definition_free(reg->defs[i]);
    zf__free(reg->defs);
    reg->magic = ZF__MAGIC_DEAD;
    zf__free(reg);
}

/* Dates of a validity for messages: "2019-01-01 to 2019-12-31", "from 2019-01-01". */
void zf__validity_text(const zf_definition *d, char *buf, size_t cap) {
    char a[ZF_DATE_BUFSIZE], b[ZF_DATE_BUFSIZE];
    if (d->valid_from == ZF_DATE_NONE && d->valid_until == ZF_DATE_NONE)
        snprintf(buf, cap, "always");
    else if (d->valid_until == ZF_DATE_NONE)
        snprintf(buf, cap, "from %s", zf_date_format(a, d->valid_from));
    else if (d->valid_from == ZF_DATE_NONE)
        snprintf(buf, cap, "until %s", zf_date_format(b, d->valid_until));
    else
        snprintf(buf, cap, "%s to %s", zf_date_format(a, d->valid_from),
                 zf_date_format(b, d->valid_until));
}

int zf__valid_on(const zf_definition *d, zf_date date) {
    return (d->valid_from == ZF_DATE_NONE || date >= d->valid_from) &&
           (d->valid_until == ZF_DATE_NONE || date <= d->valid_until);
}

static int same(const char *a, const char *b) {
    return !strcmp(a ? a : "", b ? b : "");
}

int zf__versions_conflict(const zf_definition *a, const zf_definition *b, char *msg,
                          size_t cap) {
    char va[64], vb[64];
    if (!same(a->id, b->id) || !strcmp(a->hash, b->hash))
        return 0;
    if (same(a->version, b->version)) {
        snprintf(msg, cap,
                 "process '%s' version '%s' is also defined in %s with other content "
                 "(hash %.8s… against %.8s…)",
                 a->id, a->version ? a->version : "", b->file, a->hash, b->hash);
        return 1;
    }
    /* Versions without any validity are not picked by date: they may stand side by
       side (to restore old cases), and zf_registry_pick() says which date is ambiguous.
     */
    if (a->valid_from == ZF_DATE_NONE && a->valid_until == ZF_DATE_NONE &&
        b->valid_from == ZF_DATE_NONE && b->valid_until == ZF_DATE_NONE)
        return 0;
    /* Two closed-or-open intervals overlap unless one ends before the other starts. */
    if ((a->valid_until != ZF_DATE_NONE && b->valid_from != ZF_DATE_NONE &&
         a->valid_until < b->valid_from) ||
        (b->valid_until != ZF_DATE_NONE && a->valid_from != ZF_DATE_NONE &&
         b->valid_until < a->valid_from))
        return 0;
    zf__validity_text(a, va, sizeof va);
    zf__validity_text(b, vb, sizeof vb);
    snprintf(msg, cap,
             "the validity of process '%s' version '%s' (%s) overlaps that of version "
             "'%s' (%s) in %s: a case start date must pick one version",
             a->id, a->version ? a->version : "", va, b->version ? b->version : "", vb,
             b->file);
    return 1;
}

int zf__registry_cmp(const zf_definition *a, const zf_definition *b) {
    int c = strcmp(a->id ? a->id : "", b->id ? b->id : "");
    if (c)
        return c;
    if (a->valid_from != b->valid_from)
        return a->valid_from < b->valid_from ? -1 : 1; /* ZF_DATE_NONE is INT32_MIN */
    return strcmp(a->version ? a->version : "", b->version ? b->version : "");
}

zf_code zf_registry_take(const zf_definition **out, zf_registry *reg, zf_definition *def,
                         zf_error *err) {
    char msg[512];
    size_t at;
    zf_error_clear(err);
    if (out)
        *out = NULL;
    if (!zf__ok_registry(reg))
        return zf__error_set(err, ZF_EINVAL, "invalid registry");
    if (!zf__ok_definition(def))
        return zf__error_set(err, ZF_EINVAL, "invalid definition");
    for (size_t i = 0; i < reg->n; i++) {
        if (reg->defs[i] == def || !strcmp(reg->defs[i]->hash, def->hash)) {
            /* The same definition again: keep the first. */
            if (reg->defs[i] != def)
                zf_definition_free(def);
            if (out)
                *out = reg->defs[i];
            return ZF_OK;
        }
        if (zf__versions_conflict(def, reg->defs[i], msg, sizeof msg))
            return zf__error_setpos(err, ZF_ESEMANTIC, def->file, def->states[0].pos.line,
                                    def->states[0].pos.column, "%s", msg);
    }
    if (ZF__GROW(reg->defs, reg->cap, reg->n + 1, 8) != ZF_OK)
        return zf__error_set(err, ZF_ENOMEM, NULL);
    for (at = reg->n; at > 0 && zf__registry_cmp(reg->defs[at - 1], def) > 0; at--)
        reg->defs[at] = reg->defs[at - 1];
    reg->defs[at] = def;
    reg->n++;
    if (out)
        *out = def;
    return ZF_OK;
}

zf_code zf_registry_load(const zf_definition **out, zf_registry *reg, const char *path,
                         zf_diagnostics *diags, zf_error *err) {
    zf_definition *def = NULL;
    zf_code rc;
    zf_error_clear(err);
    if (out)
        *out = NULL;
    if (!zf__ok_registry(reg))
        return zf__error_set(err, ZF_EINVAL, "invalid registry");
    if ((rc = zf_definition_load(&def, path, diags, err)) != ZF_OK)
        return rc;
    if ((rc = zf_registry_take(out, reg, def, err)) != ZF_OK)
        zf_definition_free(def);
    return rc;
}

size_t zf_registry_count(const zf_registry *reg) {
    return zf__ok_registry(reg) ? reg->n : 0;
}

const zf_definition *zf_registry_get(const zf_registry *reg, size_t i) {
    return zf__ok_registry(reg) && i < reg->n ? reg->defs[i] : NULL;
}

static zf_code lookup_args(const zf_definition **out, const zf_registry *reg,
                           const char *key, const char *what, zf_error *err) {
    zf_error_clear(err);
    if (!out)
        return zf__error_set(err, ZF_EINVAL, "out is NULL");
    *out = NULL;
    if (!zf__ok_registry(reg))
        return zf__error_set(err, ZF_EINVAL, "invalid registry");
    if (!key)
        return zf__error_set(err, ZF_EINVAL, "%s is NULL", what);
    return ZF_OK;
}

zf_code zf_registry_find(const zf_definition **out, const zf_registry *reg,
                         const char *id, const char *version, zf_error *err) {
    zf_code rc = lookup_args(out, reg, id, "id", err);
    if (rc != ZF_OK)
        return rc;
    for (size_t i = 0; i < reg->n; i++)
        if (same(reg->defs[i]->id, id) && same(reg->defs[i]->version, version)) {
            *out = reg->defs[i];
            return ZF_OK;
        }
    return zf__error_set(err, ZF_ENOTFOUND,
                         "no process '%s' version '%s' in the registry", id,
                         version ? version : "");
}

zf_code zf_registry_find_hash(const zf_definition **out, const zf_registry *reg,
                              const char *hash, zf_error *err) {
    zf_code rc = lookup_args(out, reg, hash, "hash", err);
    if (rc != ZF_OK)
        return rc;
    for (size_t i = 0; i < reg->n; i++)
        if (!strcmp(reg->defs[i]->hash, hash)) {
            *out = reg->defs[i];
            return ZF_OK;
        }
    return zf__error_set(err, ZF_ENOTFOUND,
                         "no definition with hash %.16s… in the registry", hash);
}

zf_code zf_registry_pick(const zf_definition **out, const zf_registry *reg,
                         const char *id, zf_date date, zf_error *err) {
    char list[160] = "", v[64];
    size_t nlist = 0, versions = 0;
    zf_code rc = lookup_args(out, reg, id, "id", err);
    if (rc != ZF_OK)
        return rc;
    if (!zf_date_valid(date))
        return zf__error_set(err, ZF_EINVAL, "invalid date");
    for (size_t i = 0; i < reg->n; i++) {
        const zf_definition *d = reg->defs[i];
        if (!same(d->id, id))
            continue;
        if (zf__valid_on(d, date)) {
            if (*out) {
                char dbuf[ZF_DATE_BUFSIZE];
                const char *v1 = (*out)->version, *v2 = d->version;
                *out = NULL;
                return zf__error_set(
                    err, ZF_ESEMANTIC,
                    "versions '%s' and '%s' of process '%s' are both valid "
                    "on %s: give them a validity (valid-from, valid-until)",
                    v1 ? v1 : "", v2 ? v2 : "", id, zf_date_format(dbuf, date));
            }
            *out = d;
            continue;
        }
        zf__validity_text(d, v, sizeof v);
        if (nlist < sizeof list)
            nlist +=
                (size_t)snprintf(list + nlist, sizeof list - nlist, "%s%s %s",
                                 versions ? "; " : "", d->version ? d->version : "", v);
        versions++;
    }
    if (*out)
        return ZF_OK;
    if (!versions)
        return zf__error_set(err, ZF_ENOTFOUND, "no process '%s' in the registry", id);
    {
        char dbuf[ZF_DATE_BUFSIZE];
        return zf__error_set(err, ZF_ENOTFOUND,
                             "no version of process '%s' is valid on %s (%s)", id,
                             zf_date_format(dbuf, date), list);
    }
}

zf_code zf_registry_start(zf_instance **out, const zf_registry *reg, const char *id,
                          zf_date start, const zf_param_value *vars, size_t nvars,
                          const zf_instance_options *opts, zf_error *err) {
    const zf_definition *def;
    zf_code rc;
    if (out)
        *out = NULL;
    if (!out)
        return zf__error_set(err, ZF_EINVAL, "out is NULL");
    if ((rc = zf_registry_pick(&def, reg, id, start, err)) != ZF_OK)
        return rc;
    return zf_instance_new(out, def, start, vars, nvars, opts, err);
}

zf_code zf_registry_follow(zf_instance **out, const zf_registry *reg,
                           const zf_instance *parent, size_t effect,
                           const zf_instance_options *opts, zf_error *err) {
    zf_effect e;
    zf_param_value *vars;
    zf_code rc;
    zf_error_clear(err);
    if (!out)
        return zf__error_set(err, ZF_EINVAL, "out is NULL");
    *out = NULL;
    if (!zf__ok_registry(reg))
        return zf__error_set(err, ZF_EINVAL, "invalid registry");
    if (!parent || zf_instance_definition(parent) == NULL)
        return zf__error_set(err, ZF_EINVAL, "invalid instance");
    if (zf_instance_effect(&e, parent, effect, NULL) != ZF_OK)
        return zf__error_set(err, ZF_ENOTFOUND, "the case has no effect %zu", effect);
    if (e.kind != ZF_EFFECT_SPAWN)
        return zf__error_set(err, ZF_EINVAL, "effect %zu is not a spawn", effect);
    vars = zf__calloc(e.nparams ? e.nparams : 1, sizeof *vars);
    if (!vars)
        return zf__error_set(err, ZF_ENOMEM, NULL);
    for (size_t j = 0; j < e.nparams; j++)
        zf_instance_effect_param(&vars[j], parent, effect, j, NULL);
    rc = zf_registry_start(out, reg, e.process, e.date, vars, e.nparams, opts, err);
    zf__free(vars);
    return rc;
}

/* ---- restore ----------------------------------------------------------- */

zf_code zf_registry_restore(zf_instance **out, const zf_registry *reg, const char *xml,
                            size_t len, const zf_instance_options *opts, zf_error *err) {
    zf_snapshot_summary sum;
    const zf_definition *def = NULL;
    zf_code rc;
    zf_error_clear(err);
    if (!out)
        return zf__error_set(err, ZF_EINVAL, "out is NULL");
    *out = NULL;
    if (!zf__ok_registry(reg))
        return zf__error_set(err, ZF_EINVAL, "invalid registry");
    if (!xml)
        return zf__error_set(err, ZF_EINVAL, "xml is NULL");
    /* The definition it names, read without one (the digest, and the MAC with the
       options' key, checked on the way). */
    if ((rc = zf_snapshot_info(&sum, xml, len, opts, err)))
        return rc;
    for (size_t i = 0; i < reg->n && !def; i++)
        if (!strcmp(reg->defs[i]->hash, sum.hash))
            def = reg->defs[i];
    if (!def) {
        for (size_t i = 0; i < reg->n; i++)
            if (same(reg->defs[i]->id, sum.process) &&
                same(reg->defs[i]->version, sum.version))
                return zf__error_set(
                    err, ZF_ESNAPSHOT,
                    "snapshot is of %s %s (hash %.8s…) but the registry holds %s %s with "
                    "hash %.8s…",
                    sum.process, sum.version, sum.hash, sum.process, sum.version,
                    reg->defs[i]->hash);
        return zf__error_set(err, ZF_ESNAPSHOT,
                             "snapshot is of %s %s (hash %.8s…), which is not in the "
                             "registry",
                             sum.process, sum.version, sum.hash);
    }
    return zf_instance_restore(out, def, xml, len, opts, err);
}
