package nl.zaakflow;

import java.lang.ref.Cleaner;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import nl.zaakflow.swig.core;
import nl.zaakflow.swig.diagnostic_list;
import nl.zaakflow.swig.zgw_config;
import nl.zaakflow.swig.zgw_process;

/**
 * ZGW: the zaaktypen of process definitions for the Catalogi API 1.3.1 and the Zaak
 * view of a case for the Zaken API 1.5.1 (docs/zgw.md). Documents come back as JSON
 * text, which the host parses with its JSON library.
 *
 * <pre>
 * try (Zgw.Config cfg = Zgw.Config.load(Path.of("examples/zgw/config.json"));
 *      Zgw.Process p = Zgw.Process.load(Path.of("processes/bezwaar.xml"))) {
 *     Map&lt;String, String&gt; files = Zgw.export(List.of(Path.of("processes/bezwaar.xml")), cfg);
 *     String view = p.caseView(someCase, cfg, "https://.../zaken/1", null, null);
 * }
 * </pre>
 */
public final class Zgw {
    private Zgw() {}

    /** The files of Open Zaak's catalogus import layout, then "requests". */
    public static final List<String> RESOURCES =
        List.of("ZaakType", "StatusType", "ResultaatType", "RolType", "Eigenschap", "requests");

    /** The host's ZGW configuration (strict JSON). */
    public static final class Config implements AutoCloseable {
        final zgw_config handle;
        private final Cleaner.Cleanable cleanable;

        private Config(zgw_config h) {
            handle = h;
            cleanable = Definition.CLEANER.register(this, h::delete);
        }

        /** Read a configuration file; a bad one throws ParseException or SchemaException. */
        public static Config load(Path path) {
            String p = Objects.requireNonNull(path, "path").toString();
            diagnostic_list dl = new diagnostic_list();
            try {
                return new Config(new zgw_config(p, dl));
            } finally {
                dl.delete();
            }
        }

        @Override
        public void close() {
            cleanable.clean();
        }
    }

    /** A process definition with its ZGW declarations. */
    public static final class Process implements AutoCloseable {
        final zgw_process handle;
        private final Cleaner.Cleanable cleanable;

        private Process(zgw_process h) {
            handle = h;
            cleanable = Definition.CLEANER.register(this, h::delete);
        }

        public static Process load(Path path) {
            String p = Objects.requireNonNull(path, "path").toString();
            diagnostic_list dl = new diagnostic_list();
            try {
                return new Process(new zgw_process(p, dl));
            } finally {
                dl.delete();
            }
        }

        /** The Zaak view of `c` (a case of the same definition file) as JSON. */
        public String caseView(Case c, Config cfg, String zaak, @Nullable String hoofdzaak,
                               @Nullable String vervolgOp) {
            Objects.requireNonNull(c, "c");
            Objects.requireNonNull(cfg, "cfg");
            Objects.requireNonNull(zaak, "zaak");
            StringBuilder sb = new StringBuilder();
            synchronized (c) {   // the case is read: one call on it at a time
                handle.case_view(sb, c.h(), cfg.handle, zaak, hoofdzaak, vervolgOp);
            }
            return sb.toString();
        }

        /** The Zaken API requests for the journal entries after `after`, as JSON. */
        public String caseRequests(Case c, Config cfg, String zaak, @Nullable String hoofdzaak,
                                   @Nullable String vervolgOp, long after) {
            Objects.requireNonNull(c, "c");
            Objects.requireNonNull(cfg, "cfg");
            Objects.requireNonNull(zaak, "zaak");
            if (after < 0 || after > 0xFFFFFFFFL) {
                throw ZaakflowException.invalid("after must be a journal entry number");
            }
            StringBuilder sb = new StringBuilder();
            synchronized (c) {
                handle.case_requests(sb, c.h(), cfg.handle, zaak, hoofdzaak, vervolgOp, after);
            }
            return sb.toString();
        }

        @Override
        public void close() {
            cleanable.clean();
        }
    }

    /**
     * Export the process files: one JSON text per name of {@link #RESOURCES}. A
     * configuration that lacks fields throws ValidationException with every missing
     * field in its diagnostics.
     */
    public static Map<String, String> export(List<Path> processes, Config cfg) {
        Objects.requireNonNull(cfg, "cfg");
        StringBuilder joined = new StringBuilder();
        for (Path p : Objects.requireNonNull(processes, "processes")) {
            String s = Objects.requireNonNull(p, "a path").toString();
            if (s.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("a path with a newline: " + s);
            }
            if (joined.length() > 0) {
                joined.append('\n');
            }
            joined.append(s);
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < RESOURCES.size(); i++) {
            StringBuilder sb = new StringBuilder();
            diagnostic_list dl = new diagnostic_list();
            try {
                core.zgw_export(sb, joined.toString(), cfg.handle, i, dl);
            } finally {
                dl.delete();
            }
            out.put(RESOURCES.get(i), sb.toString());
        }
        return out;
    }
}
