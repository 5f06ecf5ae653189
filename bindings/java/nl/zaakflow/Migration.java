package nl.zaakflow;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

import nl.zaakflow.swig.diagnostic_list;
import nl.zaakflow.swig.instance;
import nl.zaakflow.swig.migration;

/**
 * A migration document, checked against both versions (docs/migration.md):
 * how running cases move from one version of a process to another.
 * {@link #load(Path, Definition, Definition)} or {@link Registry#loadMigration(Path)};
 * a document with errors throws {@link ValidationException} with every finding
 * (file, line, column) in its diagnostics.
 */
public final class Migration implements AutoCloseable {
    private static final class Free implements Runnable {
        private final migration handle;

        Free(migration handle) {
            this.handle = handle;
        }

        @Override
        public void run() {
            handle.delete();
        }
    }

    private final migration handle;
    private final List<Diagnostic> diagnostics;
    private final java.lang.ref.Cleaner.Cleanable cleanable;
    private boolean closed;

    Migration(migration handle, List<Diagnostic> diagnostics) {
        this.handle = handle;
        this.diagnostics = diagnostics;
        this.cleanable = Definition.CLEANER.register(this, new Free(handle));
    }

    /** Load a migration document and check it against the two versions it names. */
    public static Migration load(Path path, Definition from, Definition to) {
        String p = Objects.requireNonNull(path, "path").toString();
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        diagnostic_list dl = new diagnostic_list();
        try {
            migration m;
            try {
                m = new migration(p, from.handle(), to.handle(), dl);
            } catch (ZaakflowException e) {
                throw e.withDiagnostics(Definition.diagnostics(dl));
            }
            return new Migration(m, Definition.diagnostics(dl));
        } finally {
            dl.delete();
        }
    }

    private migration h() {
        if (closed) {
            throw ZaakflowException.invalid("the migration is closed");
        }
        return handle;
    }

    /** Warnings of this (valid) migration. */
    public List<Diagnostic> diagnostics() {
        return diagnostics;
    }

    public String fromId() {
        return h().from_id();
    }

    public String fromVersion() {
        return h().from_version();
    }

    public String fromHash() {
        return h().from_hash();
    }

    public String toId() {
        return h().to_id();
    }

    public String toVersion() {
        return h().to_version();
    }

    public String toHash() {
        return h().to_hash();
    }

    /** The legal basis, or "". */
    public String basis() {
        return Definition.nz(h().basis());
    }

    /**
     * A new case: `c` moved to `to` as of `date` (atomic and journaled; `c` is
     * unchanged).
     *
     * @throws InvalidArgumentException the wrong versions, or a date before the case date
     * @throws RejectedException        a term ran out before `date`: advance the case first
     */
    public Case migrate(Case c, Definition to, LocalDate date, @Nullable String actor) {
        Objects.requireNonNull(c, "c");
        Objects.requireNonNull(to, "to");
        int day = Values.day(date, "date");
        migration m = h();
        instance h;
        synchronized (c) {   // the case is read: one call on it at a time
            h = m.migrate(c.handle(), to.handle(), day, actor);
        }
        return Case.wrap(to, h);
    }

    @Override
    public void close() {
        closed = true;
        cleanable.clean();
    }

    @Override
    public String toString() {
        return "Migration[" + fromId() + "@" + fromVersion() + " -> " + toId() + "@"
            + toVersion() + "]";
    }
}
