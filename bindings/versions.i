/*
 * bindings/versions.i -- versions side by side (zf_registry) and migration of
 * running cases (zf_migration), language-neutral. Included by zaakflow.i after
 * instance.i. Definitions a registry returns are borrowed from it (the
 * language keeps the registry alive while they are used); cases and
 * migrations are new objects.
 */

%ignore zf_registry_new;
%ignore zf_registry_free;
%ignore zf_registry_load;
%ignore zf_registry_take;
%ignore zf_registry_count;
%ignore zf_registry_get;
%ignore zf_registry_find;
%ignore zf_registry_find_hash;
%ignore zf_registry_pick;
%ignore zf_registry_start;
%ignore zf_registry_follow;
%ignore zf_registry_restore;
%ignore zf_registry_load_migration;
%ignore zf_migration_load;
%ignore zf_migration_parse;
%ignore zf_migration_free;
%ignore zf_migration_from_id;
%ignore zf_migration_from_version;
%ignore zf_migration_from_hash;
%ignore zf_migration_to_id;
%ignore zf_migration_to_version;
%ignore zf_migration_to_hash;
%ignore zf_migration_basis;
%ignore zf_instance_migrate;
%ignore zf_definition_canonical;
%ignore zf_definition_valid_from;
%ignore zf_definition_valid_until;

%rename(load) zf_registry::load_;
%rename(count) zf_registry::count_;
%rename(get) zf_registry::get_;
%rename(find) zf_registry::find_;
%rename(find_hash) zf_registry::find_hash_;
%rename(pick) zf_registry::pick_;
%rename(restore) zf_registry::restore_;
%rename(follow) zf_registry::follow_;
%rename(from_id) zf_migration::from_id_;
%rename(from_version) zf_migration::from_version_;
%rename(from_hash) zf_migration::from_hash_;
%rename(to_id) zf_migration::to_id_;
%rename(to_version) zf_migration::to_version_;
%rename(to_hash) zf_migration::to_hash_;
%rename(basis) zf_migration::basis_;
%newobject zf_registry::restore_;
%newobject zf_registry::follow_;
%rename(load_migration) zf_registry::load_migration_;
%newobject zf_registry::load_migration_;
%newobject zf_migration::migrate;

%nodefaultctor zf_registry;
%nodefaultdtor zf_registry;
struct zf_registry {};
%nodefaultctor zf_migration;
%nodefaultdtor zf_migration;
struct zf_migration {};

%include "zaakflow/registry.h"
%include "zaakflow/migration.h"

%extend zf_registry {
    zf_registry(zf_error *err) {
        zf_registry *r = NULL;
        zf_registry_new(&r, err);
        return r;
    }
    ~zf_registry() { zf_registry_free($self); }
    /** Load a definition file; the registered definition (borrowed from the registry). */
    const zf_definition *load_(const char *path, zf_diagnostic_list *diags, zf_error *err) {
        const zf_definition *d = NULL;
        zf_registry_load(&d, $self, path, diags ? &diags->d : NULL, err);
        return d;
    }
    size_t count_() { return zf_registry_count($self); }
    const zf_definition *get_(size_t i) { return zf_registry_get($self, i); }
    const zf_definition *find_(const char *id, const char *version, zf_error *err) {
        const zf_definition *d = NULL;
        zf_registry_find(&d, $self, id, version, err);
        return d;
    }
    const zf_definition *find_hash_(const char *hash, zf_error *err) {
        const zf_definition *d = NULL;
        zf_registry_find_hash(&d, $self, hash, err);
        return d;
    }
    /** The version of process `id` valid on `date`. */
    const zf_definition *pick_(const char *id, zf_date date, zf_error *err) {
        const zf_definition *d = NULL;
        zf_registry_pick(&d, $self, id, date, err);
        return d;
    }
    /** Rebuild a case with the definition its snapshot names (found by hash). */
    zf_instance *restore_(const char *xml, int journal, zf_error *err) {
        zf_instance *inst = NULL;
        zf_instance_options opts = ZF_INSTANCE_OPTIONS_INIT;
        opts.journal = journal;
        zf_registry_restore(&inst, $self, xml, strlen(xml), &opts, err);
        return inst;
    }
    /** Start the case that spawn effect `effect` of `parent` asks for. */
    zf_instance *follow_(const zf_instance *parent, size_t effect, int journal,
                         zf_error *err) {
        zf_instance *inst = NULL;
        zf_instance_options opts = ZF_INSTANCE_OPTIONS_INIT;
        opts.journal = journal;
        zf_registry_follow(&inst, $self, parent, effect, &opts, err);
        return inst;
    }
    /** Load a migration document with the versions it names from this registry. */
    zf_migration *load_migration_(const char *path, zf_diagnostic_list *diags, zf_error *err) {
        zf_migration *m = NULL;
        zf_registry_load_migration(&m, $self, path, diags ? &diags->d : NULL, err);
        return m;
    }
}

%extend zf_migration {
    /** Load a migration document and check it against the two definitions it names. */
    zf_migration(const char *path, const zf_definition *from, const zf_definition *to,
                 zf_diagnostic_list *diags, zf_error *err) {
        zf_migration *m = NULL;
        zf_migration_load(&m, path, from, to, diags ? &diags->d : NULL, err);
        return m;
    }
    ~zf_migration() { zf_migration_free($self); }
    const char *from_id_() { return zf_migration_from_id($self); }
    const char *from_version_() { return zf_migration_from_version($self); }
    const char *from_hash_() { return zf_migration_from_hash($self); }
    const char *to_id_() { return zf_migration_to_id($self); }
    const char *to_version_() { return zf_migration_to_version($self); }
    const char *to_hash_() { return zf_migration_to_hash($self); }
    const char *basis_() { return zf_migration_basis($self); }
    /** The case moved to `to` as of `date` (zf_instance_migrate()); `inst` is unchanged. */
    zf_instance *migrate(const zf_instance *inst, const zf_definition *to, zf_date date,
                         const char *actor, zf_error *err) {
        zf_instance *out = NULL;
        zf_instance_migrate(&out, inst, $self, to, date, actor, err);
        return out;
    }
}

%inline %{
/** The definition a case runs on (borrowed). */
const zf_definition *instance_definition_of(const zf_instance *inst) {
    return zf_instance_definition(inst);
}
/** The canonical form of a definition (docs/versions.md). */
void canonical_form(const zf_definition *def, zf_buf *out, zf_error *err) {
    zf_definition_canonical(out, def, err);
}
/** valid-from / valid-until of a definition; ZF_DATE_NONE when open. */
zf_date validity_from(const zf_definition *def) {
    return zf_definition_valid_from(def);
}
zf_date validity_until(const zf_definition *def) {
    return zf_definition_valid_until(def);
}
%}
