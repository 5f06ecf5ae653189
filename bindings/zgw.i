/*
 * ZGW (zaakflow/zgw.h) for every language: the configuration and the process
 * as handles, the export and the case view as text (JSON) in a zf_buf. Lists of
 * process files cross the boundary joined by newlines, as validate_files does.
 * %included by zaakflow.i when the header exists (ZFB_HAVE_ZGW).
 */
%ignore zf_zgw_config_load;
%ignore zf_zgw_config_parse;
%ignore zf_zgw_config_free;
%ignore zf_zgw_process_load;
%ignore zf_zgw_process_free;
%ignore zf_zgw_process_definition;
%ignore zf_zgw_check;
%ignore zf_zgw_export;
%ignore zf_zgw_export_requests;
%ignore zf_zgw_case;
%ignore zf_zgw_case_requests;
%ignore zf_zgw_case_options;
%ignore ZF_ZGW_CASE_OPTIONS_INIT;
%ignore ZF_ZGW_CASE_OPTIONS_VERSION;

%nodefaultctor zf_zgw_config;
%nodefaultdtor zf_zgw_config;
struct zf_zgw_config {};
%nodefaultctor zf_zgw_process;
%nodefaultdtor zf_zgw_process;
struct zf_zgw_process {};

%include "zaakflow/zgw.h"

%{
/* The processes of a newline-joined list of paths, loaded; NULL on failure (err set). */
static zf_zgw_process **zfb_zgw_load(const char *paths, size_t *n, zf_diagnostics *diags,
                                     zf_error *err) {
    size_t cap = 1;
    char *copy = strdup(paths ? paths : "");
    zf_zgw_process **v;
    *n = 0;
    if (!copy) {
        err->code = ZF_ENOMEM;
        snprintf(err->message, sizeof err->message, "out of memory");
        return NULL;
    }
    for (const char *p = copy; *p; p++)
        cap += *p == '\n';
    v = (zf_zgw_process **)calloc(cap, sizeof *v);
    if (!v) {
        free(copy);
        err->code = ZF_ENOMEM;
        snprintf(err->message, sizeof err->message, "out of memory");
        return NULL;
    }
    for (char *p = copy, *next; p; p = next) {
        next = strchr(p, '\n');
        if (next)
            *next++ = '\0';
        if (!*p)
            continue;
        if (zf_zgw_process_load(&v[*n], p, diags, err) != ZF_OK) {
            for (size_t i = 0; i < *n; i++)
                zf_zgw_process_free(v[i]);
            free(v);
            free(copy);
            return NULL;
        }
        (*n)++;
    }
    free(copy);
    return v;
}

static void zfb_zgw_free(zf_zgw_process **v, size_t n) {
    for (size_t i = 0; i < n; i++)
        zf_zgw_process_free(v[i]);
    free(v);
}
%}

%extend zf_zgw_config {
    /** Read a ZGW configuration file (strict JSON, docs/zgw.md); findings go to `diags`. */
    zf_zgw_config(const char *path, zf_diagnostic_list *diags, zf_error *err) {
        zf_zgw_config *cfg = NULL;
        zf_zgw_config_load(&cfg, path, diags ? &diags->d : NULL, err);
        return cfg;
    }
    ~zf_zgw_config() { zf_zgw_config_free($self); }
}

%extend zf_zgw_process {
    /** Load a process definition with its ZGW declarations. */
    zf_zgw_process(const char *path, zf_diagnostic_list *diags, zf_error *err) {
        zf_zgw_process *p = NULL;
        zf_zgw_process_load(&p, path, diags ? &diags->d : NULL, err);
        return p;
    }
    ~zf_zgw_process() { zf_zgw_process_free($self); }
    /** The Zaak view of `inst` (a case of this process's definition) as JSON. */
    void case_view(zf_buf *out, const zf_instance *inst, const zf_zgw_config *cfg,
                   const char *zaak, const char *hoofdzaak, const char *vervolg_op,
                   zf_error *err) {
        zf_zgw_case_options o = ZF_ZGW_CASE_OPTIONS_INIT;
        o.zaak = zaak;
        o.hoofdzaak = hoofdzaak;
        o.vervolg_op = vervolg_op;
        zf_zgw_case(out, inst, $self, cfg, &o, err);
    }
    /** The Zaken API requests for the journal entries after `after`, as JSON. */
    void case_requests(zf_buf *out, const zf_instance *inst, const zf_zgw_config *cfg,
                       const char *zaak, const char *hoofdzaak, const char *vervolg_op,
                       unsigned int after, zf_error *err) {
        zf_zgw_case_options o = ZF_ZGW_CASE_OPTIONS_INIT;
        o.zaak = zaak;
        o.hoofdzaak = hoofdzaak;
        o.vervolg_op = vervolg_op;
        o.after = after;
        zf_zgw_case_requests(out, inst, $self, cfg, &o, err);
    }
}

%inline %{
/** Export the processes of `paths` (joined by newlines): resource 0..4 is one file of
 * the import layout (zf_zgw_resource), 5 the ordered requests. Findings of loading and
 * of the configuration check go to `diags`. */
void zgw_export(zf_buf *out, const char *paths, const zf_zgw_config *cfg, int resource,
                zf_diagnostic_list *diags, zf_error *err) {
    size_t n;
    zf_zgw_process **v = zfb_zgw_load(paths, &n, diags ? &diags->d : NULL, err);
    if (!v)
        return;
    if (zf_zgw_check((const zf_zgw_process *const *)v, n, cfg, diags ? &diags->d : NULL,
                     err) == ZF_OK) {
        if (resource == ZF_ZGW_RESOURCE_COUNT)
            zf_zgw_export_requests(out, (const zf_zgw_process *const *)v, n, cfg, err);
        else
            zf_zgw_export(out, (const zf_zgw_process *const *)v, n, cfg,
                          (zf_zgw_resource)resource, err);
    }
    zfb_zgw_free(v, n);
}
%}
