package nl.zaakflow;

import java.lang.ref.Cleaner;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import nl.zaakflow.swig.code;
import nl.zaakflow.swig.core;
import nl.zaakflow.swig.definition;
import nl.zaakflow.swig.diagnostic;
import nl.zaakflow.swig.diagnostic_list;
import nl.zaakflow.swig.event_info;
import nl.zaakflow.swig.event_kind;
import nl.zaakflow.swig.param_info;
import nl.zaakflow.swig.severity;

/**
 * A compiled, immutable process definition; thread-safe, shared by its cases.
 *
 * <pre>
 * Definition d = Definition.load(Path.of("processes/bezwaar.xml"));
 * Case c = d.start(LocalDate.of(2026, 3, 2), Map.of("verzonden", LocalDate.of(2026, 3, 2)));
 * </pre>
 *
 * A failure to load throws {@link ParseException}, {@link SchemaException},
 * {@link ValidationException} or {@link FileException} with the first error's
 * file, line and column. The native definition is freed by {@link #close()}
 * or, at the latest, after the definition and all its cases are unreachable.
 * Every parameter refuses null with a {@link NullPointerException} naming it.
 */
public final class Definition implements AutoCloseable {
    static final Cleaner CLEANER = Cleaner.create();

    /**
     * The native definition with a count of its owners: the Definition and
     * every open Case of it. The last release frees it, so a definition
     * always outlives its cases, whatever order close() or the collector
     * takes. Holds no reference to the Definition (a Cleaner action).
     */
    static final class Shared implements Runnable {
        private final definition handle;
        private final Runnable onLast; /* a Registry's definition: release the registry */
        private int refs = 1;
        private boolean closed; /* the Definition let go of it */

        Shared(definition handle, Runnable onLast) {
            this.handle = handle;
            this.onLast = onLast;
        }

        synchronized definition retain() {
            if (closed) {
                throw ZaakflowException.invalid("the definition is closed");
            }
            refs++;
            return handle;
        }

        synchronized void release() {
            if (refs > 0 && --refs == 0) {
                if (onLast != null) {
                    onLast.run();
                } else {
                    handle.delete();
                }
            }
        }

        synchronized definition get() {
            if (closed) {
                throw ZaakflowException.invalid("the definition is closed");
            }
            return handle;
        }

        @Override
        public synchronized void run() {
            if (!closed) {
                closed = true;
                release();
            }
        }
    }

    final Shared shared;
    private final Cleaner.Cleanable cleanable;
    private final List<Diagnostic> diagnostics;
    private final String path;

    private Definition(definition handle, List<Diagnostic> diagnostics, String path) {
        this(handle, null, diagnostics, path);
    }

    /** A definition owned by someone else (a {@link Registry}): `onLast` lets go of it. */
    Definition(definition handle, Runnable onLast, List<Diagnostic> diagnostics, String path) {
        this.shared = new Shared(handle, onLast);
        this.diagnostics = diagnostics;
        this.path = path;
        this.cleanable = CLEANER.register(this, shared);
    }

    /** Load, validate and compile a definition file. */
    public static Definition load(Path path) {
        String p = Objects.requireNonNull(path, "path").toString();
        diagnostic_list dl = new diagnostic_list();
        try {
            definition h;
            try {
                h = new definition(p, dl);
            } catch (ZaakflowException e) {
                throw withDiagnostics(e, diagnostics(dl));
            }
            return new Definition(h, diagnostics(dl), p);
        } finally {
            dl.delete();
        }
    }

    /** Load, validate and compile a definition from XML text; `name` stands for the file. */
    public static Definition parse(String xml, String name) {
        Objects.requireNonNull(xml, "xml");
        Objects.requireNonNull(name, "name");
        diagnostic_list dl = new diagnostic_list();
        try {
            definition h;
            try {
                h = core.definition_parse(xml, name, dl);
            } catch (ZaakflowException e) {
                throw withDiagnostics(e, diagnostics(dl));
            }
            return new Definition(h, diagnostics(dl), null);
        } finally {
            dl.delete();
        }
    }

    public static Definition parse(String xml) {
        return parse(xml, "<string>");
    }

    /**
     * Validate definition files together: each file on its own and the links between
     * them (no two files with the same process id and version; spawned processes,
     * their parameters and required variables). Only the files given count: a spawn of
     * any other process is an error. Returns every finding, errors and warnings; empty
     * when all is well.
     */
    public static List<Diagnostic> validateFiles(List<Path> paths) {
        return validateFiles(paths, false, false);
    }

    /**
     * Validate definition files together, as `zaakflow validate` does with
     * {@code beside}: a spawned process that is not among the files is looked for
     * beside the file that spawns it (same directory, by the id of its root element);
     * one found nowhere is a warning, or an error when {@code strict}. Without
     * {@code beside}, as {@link #validateFiles(List)}.
     */
    public static List<Diagnostic> validateFiles(List<Path> paths, boolean beside,
                                                 boolean strict) {
        StringBuilder joined = new StringBuilder();
        for (Path p : Objects.requireNonNull(paths, "paths")) {
            String s = Objects.requireNonNull(p, "a path").toString();
            if (s.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("a path with a newline: " + s);
            }
            if (joined.length() > 0) {
                joined.append('\n');
            }
            joined.append(s);
        }
        diagnostic_list dl = new diagnostic_list();
        try {
            core.validate_files_ext(joined.toString(), beside ? 1 : 0, strict ? 1 : 0, dl);
            return diagnostics(dl);
        } finally {
            dl.delete();
        }
    }

    private static ZaakflowException withDiagnostics(ZaakflowException e, List<Diagnostic> d) {
        return e.withDiagnostics(d);
    }

    static List<Diagnostic> diagnostics(diagnostic_list dl) {
        List<Diagnostic> out = new ArrayList<>();
        for (long i = 0; i < dl.count(); i++) {
            diagnostic d = dl.get(i);
            out.add(new Diagnostic(d.getSeverity() == severity.SEVERITY_WARNING,
                                   d.getCode() != 0 ? core.code_name(d.getCode()) : "",
                                   nz(d.getCheck()), nz(d.getFile()), d.getLine(), d.getColumn(),
                                   nz(d.getMessage())));
        }
        return Collections.unmodifiableList(out);
    }

    static String nz(String s) {
        return s == null ? "" : s;
    }

    definition handle() {
        return shared.get();
    }

    /** Warnings of this (valid) definition. */
    public List<Diagnostic> diagnostics() {
        return diagnostics;
    }

    /** The file it was loaded from, or null. */
    public String path() {
        return path;
    }

    public String id() {
        return handle().id();
    }

    public String version() {
        return handle().version();
    }

    public String title() {
        return nz(handle().title());
    }

    public String basis() {
        return nz(handle().basis());
    }

    /** The first day a case may start on this version (valid-from), or null. */
    public LocalDate validFrom() {
        return Values.date(core.validity_from(handle()));
    }

    /** The last day a case may start on this version (valid-until), or null. */
    public LocalDate validUntil() {
        return Values.date(core.validity_until(handle()));
    }

    /** The canonical form: what the hash covers, one statement a line. */
    public String canonical() {
        StringBuilder sb = new StringBuilder();
        core.canonical_form(handle(), sb);
        return sb.toString();
    }

    /** The identity: SHA-256 of the canonical form (docs/versions.md). */
    public String hash() {
        return handle().hash();
    }

    public List<String> states() {
        definition h = handle();
        List<String> out = new ArrayList<>();
        for (long i = 0; i < h.state_count(); i++) {
            out.add(h.state_id(i));
        }
        return out;
    }

    /** The declared events (external and internal), in declaration order. */
    public List<String> events() {
        List<String> out = new ArrayList<>();
        for (Event e : allEvents()) {
            if (!e.implicit()) {
                out.add(e.name());
            }
        }
        return out;
    }

    /** The events the engine raises itself: expired.&lt;term&gt; and done.state.&lt;id&gt;. */
    public List<String> implicitEvents() {
        List<String> out = new ArrayList<>();
        for (Event e : allEvents()) {
            if (e.implicit()) {
                out.add(e.name());
            }
        }
        return out;
    }

    /** Event `name` with its kind, roles and parameters ({@link NotFoundException} if none). */
    public Event event(String name) {
        Objects.requireNonNull(name, "name");
        int i = handle().event_index(name);
        if (i < 0) {
            throw new NotFoundException(-6, "process '" + id() + "' has no event '" + name + "'",
                                        "", 0, 0);
        }
        return allEvents().get(i);
    }

    private List<Event> events;

    private synchronized List<Event> allEvents() {
        if (events == null) {
            definition h = handle();
            List<Event> out = new ArrayList<>();
            for (long i = 0; i < h.event_count(); i++) {
                out.add(event(h, i));
            }
            events = Collections.unmodifiableList(out);
        }
        return events;
    }

    private static Event event(definition h, long i) {
        event_info e = h.event_info(i);
        try {
            List<String> roles = new ArrayList<>();
            for (long k = 0; k < e.getNroles(); k++) {
                roles.add(h.event_role(i, k));
            }
            List<Parameter> params = new ArrayList<>();
            for (long k = 0; k < e.getNparams(); k++) {
                param_info p = h.param_info(i, k);
                try {
                    List<String> values = new ArrayList<>();
                    for (long v = 0; v < p.getNvalues(); v++) {
                        values.add(h.param_enum_value(i, k, v));
                    }
                    params.add(new Parameter(p.getId(), core.type_name(p.getType()),
                                             p.getRequired() != 0, p.getEnumeration(), values));
                } finally {
                    p.delete();
                }
            }
            Event.Kind kind = e.getKind() == event_kind.EVENT_INTERNAL ? Event.Kind.INTERNAL
                : e.getKind() == event_kind.EVENT_EXPIRY ? Event.Kind.EXPIRY
                : e.getKind() == event_kind.EVENT_DONE ? Event.Kind.DONE
                : Event.Kind.EXTERNAL;
            return new Event(e.getId(), kind, nz(e.getTitle()), nz(e.getBasis()), roles, params,
                             e.getLine());
        } finally {
            e.delete();
        }
    }

    /** The process variables, in declaration order. */
    public List<String> variables() {
        definition h = handle();
        List<String> out = new ArrayList<>();
        for (long i = 0; i < h.var_count(); i++) {
            out.add(h.var_id(i));
        }
        return out;
    }

    /** The terms (deadlines), in declaration order. */
    public List<String> terms() {
        definition h = handle();
        List<String> out = new ArrayList<>();
        for (long i = 0; i < h.term_count(); i++) {
            out.add(h.term_id(i));
        }
        return out;
    }

    /**
     * Who must act before the last day of term {@code termId} ("bestuursorgaan",
     * "belanghebbende", "partijen", "rechter" or "toezichthouder"); null when the term
     * declares none; {@link NotFoundException} when there is no such term.
     */
    public String termParty(String termId) {
        Objects.requireNonNull(termId, "termId");
        definition h = handle();
        for (long i = 0; i < h.term_count(); i++) {
            if (h.term_id(i).equals(termId)) {
                return h.term_party(i);
            }
        }
        throw new NotFoundException(code.ENOTFOUND,
                                    "process '" + id() + "' has no term '" + termId + "'", "", 0,
                                    0);
    }

    /** The roles, in declaration order. */
    public List<String> roles() {
        definition h = handle();
        List<String> out = new ArrayList<>();
        for (long i = 0; i < h.role_count(); i++) {
            out.add(h.role_id(i));
        }
        return out;
    }

    /** The statechart as a Graphviz (dot) diagram. */
    public String dot() {
        StringBuilder sb = new StringBuilder();
        handle().dot(sb);
        return sb.toString();
    }

    /** Start a case on `date` with initial variables (Boolean, Long, BigDecimal, LocalDate, String). */
    public Case start(LocalDate date, @Nullable Map<String, ?> variables) {
        return Case.start(this, date, variables, true);
    }

    public Case start(LocalDate date) {
        return Case.start(this, date, null, true);
    }

    /** Rebuild a case of this definition from snapshot XML. */
    public Case restore(String xml) {
        return Case.restore(this, xml, true);
    }

    /** Rebuild a case of this definition from its compact form ({@link Case#pack()}). */
    public Case unpack(byte[] data) {
        Objects.requireNonNull(data, "data");
        return Case.unpack(this, data, true);
    }

    /**
     * Release the native definition. Cases started from it keep it alive: it
     * is freed when the last of them is closed or collected. After close()
     * the definition cannot be used or start cases.
     */
    @Override
    public void close() {
        cleanable.clean();
    }

    @Override
    public String toString() {
        return "Definition[" + id() + " " + version() + "]";
    }
}
