package nl.zaakflow;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import nl.zaakflow.swig.definition;
import nl.zaakflow.swig.diagnostic_list;
import nl.zaakflow.swig.instance;
import nl.zaakflow.swig.migration;
import nl.zaakflow.swig.registry;

/**
 * Versions side by side (docs/versions.md): several versions of a process,
 * found by id and version, by hash, or by the date a case starts
 * ({@code valid-from}, {@code valid-until}).
 *
 * <pre>
 * try (Registry reg = new Registry()) {
 *     reg.load(Path.of("processes/dwangsom_2018.xml"));
 *     reg.load(Path.of("processes/dwangsom.xml"));
 *     Case c = reg.start("dwangsom", LocalDate.of(2018, 12, 20), vars, true); // 2018.1
 *     Case again = reg.restore(c.snapshot(), true);  // by the snapshot's hash
 * }
 * </pre>
 *
 * The registry owns its definitions; a Definition or Case it gave out keeps
 * the native registry alive after {@link #close()}. Threads may share a
 * registry: its methods are {@code synchronized} (a load never runs beside a
 * lookup), and the definitions it gives out are immutable.
 */
public final class Registry implements AutoCloseable {
    /** The native registry with a count of its users: this Registry and every
     * Definition it gave out. Holds no reference to the Registry (a Cleaner action). */
    static final class Shared implements Runnable {
        private final registry handle;
        private int refs = 1;
        private boolean closed;

        Shared(registry handle) {
            this.handle = handle;
        }

        synchronized registry get() {
            if (closed) {
                throw ZaakflowException.invalid("the registry is closed");
            }
            return handle;
        }

        synchronized void retain() {
            refs++;
        }

        synchronized void release() {
            if (refs > 0 && --refs == 0) {
                handle.delete();
            }
        }

        @Override
        public synchronized void run() {
            if (!closed) {
                closed = true;
                release();
            }
        }
    }

    private final Shared shared;
    private final java.lang.ref.Cleaner.Cleanable cleanable;
    private final Map<Long, Definition> views = new HashMap<>();

    public Registry() {
        this.shared = new Shared(new registry());
        this.cleanable = Definition.CLEANER.register(this, shared);
    }

    /** A Definition for a definition of this registry (one per native definition). */
    synchronized Definition view(definition h, List<Diagnostic> diagnostics, String path) {
        long key = definition.getCPtr(h);
        Definition d = views.get(key);
        if (d == null) {
            shared.retain();
            d = new Definition(h, shared::release, diagnostics, path);
            views.put(key, d);
        }
        return d;
    }

    /**
     * Load a definition file into the registry; the same definition twice is
     * registered once. Throws {@link ValidationException} when the registry holds the
     * same version with other content, or a version whose validity overlaps.
     */
    public synchronized Definition load(Path path) {
        String p = Objects.requireNonNull(path, "path").toString();
        diagnostic_list dl = new diagnostic_list();
        try {
            definition h;
            try {
                h = shared.get().load(p, dl);
            } catch (ZaakflowException e) {
                throw e.withDiagnostics(Definition.diagnostics(dl));
            }
            return view(h, Definition.diagnostics(dl), p);
        } finally {
            dl.delete();
        }
    }

    /** The definitions, by id, then validity, then version. */
    public synchronized List<Definition> definitions() {
        registry r = shared.get();
        List<Definition> out = new ArrayList<>();
        for (long i = 0; i < r.count(); i++) {
            out.add(view(r.get(i), Collections.emptyList(), null));
        }
        return Collections.unmodifiableList(out);
    }

    /** The definition of process `id` in `version` ({@link NotFoundException}). */
    public synchronized Definition find(String id, String version) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(version, "version");
        return view(shared.get().find(id, version), Collections.emptyList(), null);
    }

    /** The definition with this hash ({@link NotFoundException}). */
    public synchronized Definition findHash(String hash) {
        Objects.requireNonNull(hash, "hash");
        return view(shared.get().find_hash(hash), Collections.emptyList(), null);
    }

    /** The version of process `id` valid on `date` ({@link NotFoundException} when none is). */
    public synchronized Definition pick(String id, LocalDate date) {
        Objects.requireNonNull(id, "id");
        return view(shared.get().pick(id, Values.day(date, "date")), Collections.emptyList(), null);
    }

    /** Start a case of `id` on `date` with the version valid on that day. */
    public Case start(String id, LocalDate date, @Nullable Map<String, ?> variables,
                      boolean journal) {
        return Case.start(pick(id, date), date, variables, journal);
    }

    /**
     * Start the related case that spawn effect `effect` of `parent` (its last call's
     * effects) asks for, with the version valid on the spawn's date.
     */
    public synchronized Case follow(Case parent, long effect, boolean journal) {
        Objects.requireNonNull(parent, "parent");
        registry r = shared.get();
        instance h;
        synchronized (parent) {   // the case is read: one call on it at a time
            h = r.follow(parent.handle(), effect, journal ? 1 : 0);
        }
        return wrap(h);
    }

    /** A Case around `h`, a new instance of one of this registry's definitions. */
    private Case wrap(instance h) {
        return Case.wrap(view(nl.zaakflow.swig.core.instance_definition_of(h),
                              Collections.emptyList(), null), h);
    }

    /**
     * Rebuild a case with the definition its snapshot names (found by hash), so an
     * old case finds its old version ({@link SnapshotException} when it is not here).
     */
    public synchronized Case restore(String xml, boolean journal) {
        Objects.requireNonNull(xml, "xml");
        return wrap(shared.get().restore(xml, journal ? 1 : 0));
    }

    /** Load a migration document with the versions it names from this registry. */
    public synchronized Migration loadMigration(Path path) {
        String p = Objects.requireNonNull(path, "path").toString();
        diagnostic_list dl = new diagnostic_list();
        try {
            migration m;
            try {
                m = shared.get().load_migration(p, dl);
            } catch (ZaakflowException e) {
                throw e.withDiagnostics(Definition.diagnostics(dl));
            }
            return new Migration(m, Definition.diagnostics(dl));
        } finally {
            dl.delete();
        }
    }

    /** Let go of the registry; definitions and cases it gave out keep it alive. */
    @Override
    public void close() {
        cleanable.clean();
    }
}
