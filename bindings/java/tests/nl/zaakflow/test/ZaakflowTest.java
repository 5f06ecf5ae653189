package nl.zaakflow.test;

import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import nl.zaakflow.Case;
import nl.zaakflow.Deadline;
import nl.zaakflow.Definition;
import nl.zaakflow.Diagnostic;
import nl.zaakflow.Effect;
import nl.zaakflow.Event;
import nl.zaakflow.FileException;
import nl.zaakflow.FireCheck;
import nl.zaakflow.ForbiddenException;
import nl.zaakflow.InvalidArgumentException;
import nl.zaakflow.Migration;
import nl.zaakflow.NotFoundException;
import nl.zaakflow.Nullable;
import nl.zaakflow.Parameter;
import nl.zaakflow.ParseException;
import nl.zaakflow.SnapshotInfo;
import nl.zaakflow.RangeException;
import nl.zaakflow.Registry;
import nl.zaakflow.RejectedException;
import nl.zaakflow.SnapshotException;
import nl.zaakflow.Term;
import nl.zaakflow.ZaakflowException;
import nl.zaakflow.Zaakflow;
import nl.zaakflow.Zgw;

/**
 * The Java binding's tests, without JUnit: run by make check through
 * tests/run-java-tests.sh; exit status 1 when a check fails.
 *   java -cp zaakflow.jar:test-classes -Djava.library.path=.libs \
 *        -Dzaakflow.srcdir=SRC nl.zaakflow.test.ZaakflowTest
 */
public final class ZaakflowTest {
    private static int failures;
    private static int checks;

    static final String SMALL =
        "<process xmlns=\"urn:zaakflow:process:1\" id=\"klacht\" version=\"1\" initial=\"ontvangen\">\n"
        + "  <data>\n"
        + "    <var id=\"ingediend\" type=\"date\" required=\"true\"/>\n"
        + "    <var id=\"gegrond\" type=\"bool\" default=\"false\"/>\n"
        + "  </data>\n"
        + "  <roles><role id=\"behandelaar\"/></roles>\n"
        + "  <events>\n"
        + "    <event id=\"afgehandeld\" roles=\"behandelaar\"><param id=\"gegrond\" type=\"bool\" required=\"true\"/></event>\n"
        + "  </events>\n"
        + "  <term id=\"afhandeltermijn\" from=\"ingediend\" length=\"6w\"><basis>Awb 9:11 lid 1</basis></term>\n"
        + "  <state id=\"ontvangen\">\n"
        + "    <transition event=\"afgehandeld\" target=\"klaar\">\n"
        + "      <assign var=\"gegrond\" expr=\"event.gegrond\"/>\n"
        + "      <notify to=\"klager\" text=\"Uw klacht is afgehandeld.\"/>\n"
        + "    </transition>\n"
        + "  </state>\n"
        + "  <final id=\"klaar\" outcome=\"afgehandeld\"/>\n"
        + "</process>\n";

    private ZaakflowTest() {
    }

    /** Checks made and failed so far (StoreTest shares these helpers). */
    static int checks() {
        return checks;
    }

    static int failures() {
        return failures;
    }

    static void check(boolean ok, String what) {
        checks++;
        if (!ok) {
            failures++;
            System.out.println("FAIL: " + what);
        }
    }

    static void equal(Object got, Object want, String what) {
        boolean ok = got == null ? want == null : got.equals(want);
        check(ok, what + ": got " + got + ", want " + want);
    }

    interface Body {
        void run();
    }

    static <T extends Throwable> T raises(Class<T> cls, String what, Body body) {
        try {
            body.run();
        } catch (Throwable t) {
            check(cls.isInstance(t), what + ": threw " + t + ", want " + cls.getSimpleName());
            return cls.isInstance(t) ? cls.cast(t) : null;
        }
        check(false, what + ": no " + cls.getSimpleName());
        return null;
    }

    static LocalDate d(int y, int m, int day) {
        return LocalDate.of(y, m, day);
    }

    static void testDeadlines() {
        equal(Deadline.compute(d(2026, 4, 3), "6w").lastDay(), d(2026, 5, 18), "6w from 2026-04-03");
        Deadline dl = Deadline.compute(d(2025, 11, 17), "6w");
        equal(dl.lastDay(), d(2025, 12, 29), "6w from 2025-11-17");
        equal(dl.firstDay(), d(2025, 11, 18), "first day (Awb 6:8)");
        check(dl.explanation().contains("2025-12-29"), "explanation names the last day");
        Deadline ext = Deadline.compute(d(2025, 11, 17), "6w", new Deadline.Options().extend("6w"));
        check(ext.lastDay().isAfter(dl.lastDay()), "an extension moves the end");
        Deadline noAtw = Deadline.compute(d(2026, 4, 3), "6w", new Deadline.Options().atw(false));
        check(!noAtw.lastDay().isAfter(d(2026, 5, 18)), "atw off");
        ParseException pe = raises(ParseException.class, "bad duration",
                                   () -> Deadline.compute(d(2026, 1, 1), "6x"));
        if (pe != null) {
            equal(pe.codeName(), "ZF_EPARSE", "parse code name");
            equal(pe.code(), -3, "parse code");
            check(pe instanceof ZaakflowException, "hierarchy");
        }
        raises(RangeException.class, "year 10000",
               () -> Deadline.compute(LocalDate.of(10000, 1, 1), "6w"));
    }

    static void testDefinitionErrors() {
        FileException fe = raises(FileException.class, "missing file",
                                  () -> Definition.load(Paths.get("/nonexistent/x.xml")));
        if (fe != null) {
            equal(fe.file(), "/nonexistent/x.xml", "file of FileException");
        }
        ZaakflowException pe = raises(ZaakflowException.class, "bad XML",
                                      () -> Definition.parse("<process", "bad.xml"));
        if (pe != null) {
            equal(pe.file(), "bad.xml", "file of parse error");
            check(pe.line() >= 1, "line of parse error");
            check(pe.getMessage().startsWith("bad.xml:"), "message has location: " + pe.getMessage());
            check(!pe.diagnostics().isEmpty(), "diagnostics of a failed load");
        }
    }

    static void testSmallCase() {
        try (Definition def = Definition.parse(SMALL)) {
            equal(def.id(), "klacht", "definition id");
            check(def.events().contains("afgehandeld"), "events: " + def.events());
            equal(def.variables(), Arrays.asList("ingediend", "gegrond"), "variables");
            equal(def.terms(), Arrays.asList("afhandeltermijn"), "terms");
            equal(def.roles(), Arrays.asList("behandelaar"), "roles");
            Map<String, Object> vars = new HashMap<>();
            vars.put("ingediend", d(2025, 11, 17));
            Case c = def.start(d(2025, 11, 17), vars);
            equal(c.activeStates(), Arrays.asList("ontvangen"), "active states");
            Term t = c.term("afhandeltermijn");
            equal(t.status(), "running", "term status");
            equal(t.end(), d(2025, 12, 29), "term end");
            equal(t.length(), "6w", "term length");
            equal(t.basis(), "Awb 9:11 lid 1", "term basis");
            equal(c.nextDue().get().date(), d(2025, 12, 29), "next due");
            equal(c.terms().size(), 1, "terms");
            equal(c.enabledEvents("ria", Arrays.asList("behandelaar")), Arrays.asList("afgehandeld"),
                  "enabled events");
            equal(c.variable("ingediend"), d(2025, 11, 17), "date variable");
            equal(c.variable("gegrond"), Boolean.FALSE, "bool variable");

            String before = c.snapshot();
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("gegrond", true);
            NotFoundException nf = raises(NotFoundException.class, "bad event",
                () -> c.fire("bestaat_niet", d(2025, 12, 1), "ria", "behandelaar", p));
            if (nf != null) {
                check(nf.detail().contains("bestaat_niet"), "message names the event: " + nf.detail());
            }
            raises(ForbiddenException.class, "forbidden role",
                   () -> c.fire("afgehandeld", d(2025, 12, 1), "ria", "jurist", p));
            raises(InvalidArgumentException.class, "date before case date",
                   () -> c.fire("afgehandeld", d(2025, 1, 1), "ria", "behandelaar", p));
            raises(InvalidArgumentException.class, "missing parameter",
                   () -> c.fire("afgehandeld", d(2025, 12, 1), "ria", "behandelaar"));
            raises(IllegalArgumentException.class, "unsupported value type",
                   () -> c.fire("afgehandeld", d(2025, 12, 1), "ria", "behandelaar",
                                Map.of("gegrond", new Object())));
            equal(c.snapshot(), before, "failing calls change nothing");

            List<Effect> fx = c.fire("afgehandeld", d(2025, 12, 1), "ria", "behandelaar", p);
            equal(fx.size(), 1, "one effect");
            equal(fx.get(0).kind(), "notify", "effect kind");
            equal(fx.get(0).to(), "klager", "effect to");
            equal(fx.get(0).date(), d(2025, 12, 1), "effect date");
            check(c.finished(), "finished");
            equal(c.outcome(), "afgehandeld", "outcome");
            equal(c.variable("gegrond"), Boolean.TRUE, "assigned variable");
            raises(RejectedException.class, "fire on a finished case",
                   () -> c.fire("afgehandeld", d(2025, 12, 2), "ria", "behandelaar", p));
            check(!c.nextDue().isPresent(), "no next due");

            // snapshots
            Case r = def.restore(before);
            equal(r.snapshot(), before, "snapshot -> restore -> snapshot");
            equal(r.date(), d(2025, 11, 17), "restored date");
            r.advance(d(2025, 12, 30));
            equal(r.term("afhandeltermijn").status(), "expired", "advance expires the term");
            r.close();
            raises(InvalidArgumentException.class, "closed case", () -> r.date());
            raises(SnapshotException.class, "tampered snapshot",
                   () -> def.restore(before.replace("id=\"ontvangen\"", "id=\"elders\"")));
            raises(ParseException.class, "broken snapshot", () -> def.restore("<snapshot"));
            c.close();
            c.close();
        }
    }

    static void testLifetimes() {
        // The definition is closed before its cases: they keep it alive.
        Definition def = Definition.parse(SMALL);
        Case[] cases = new Case[2000];
        Map<String, Object> vars = Map.of("ingediend", d(2025, 11, 17));
        for (int i = 0; i < cases.length; i++) {
            cases[i] = Case.start(def, d(2025, 11, 17), vars, i % 2 == 0);
        }
        def.close();
        raises(InvalidArgumentException.class, "start on a closed definition",
               () -> def.start(d(2025, 11, 17), vars));
        Map<String, Object> p = Map.of("gegrond", true);
        for (int i = 0; i < cases.length; i += 3) {
            cases[i].fire("afgehandeld", d(2025, 12, 1), "ria", "behandelaar", p);
        }
        int finished = 0;
        for (Case c : cases) {
            finished += c.finished() ? 1 : 0;
        }
        equal(finished, 667, "finished cases");
        for (int i = 0; i < cases.length; i += 2) {
            cases[i].close();
        }
        // The rest is left to the collector.
        cases = null;
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Definition d2 = Definition.parse(SMALL);
        for (int i = 0; i < 5000; i++) {
            Case.start(d2, d(2025, 11, 17), vars, false)
                .fire("afgehandeld", d(2025, 12, 1), "ria", "behandelaar", p);
        }
        System.gc();
    }

    static void testBezwaar(Path src) {
        Path path = src.resolve("processes").resolve("bezwaar.xml");
        if (!Files.exists(path)) {
            System.out.println("skip: " + path + " not present");
            return;
        }
        Definition def = Definition.load(path);
        equal(def.id(), "bezwaar", "bezwaar id");
        Map<String, Object> vars = new HashMap<>();
        vars.put("verzonden", d(2026, 3, 2));
        vars.put("commissie_gemeld", true);
        try (Case c = def.start(d(2026, 3, 2), vars)) {
            equal(c.term("bezwaartermijn").end(), d(2026, 4, 13), "bezwaartermijn");
            Map<String, Object> p = new HashMap<>();
            p.put("ontvangen", d(2026, 3, 20));
            p.put("per_post", false);
            List<Effect> fx = c.fire("bezwaarschrift_ontvangen", d(2026, 3, 20), "jan",
                                     Arrays.asList("behandelaar"), p);
            equal(fx.isEmpty() ? null : fx.get(0).to(), "bezwaarmaker", "ontvangstbevestiging");
            equal(c.variable("tijdig"), Boolean.TRUE, "tijdig");
            equal(c.term("beslistermijn").end(), d(2026, 7, 6), "beslistermijn");
            // Who must act: the objector filed, so only the body's beslistermijn is due.
            equal(def.termParty("bezwaartermijn"), "belanghebbende", "party of bezwaartermijn");
            raises(NotFoundException.class, "termParty of no term", () -> def.termParty("x"));
            equal(c.term("bezwaartermijn").party(), "belanghebbende", "term party");
            equal(c.term("bezwaartermijn").status(), "stopped", "bezwaartermijn stopped");
            check(!c.nextDue("belanghebbende").isPresent(), "nothing due for the objector");
            equal(c.nextDue("bestuursorgaan").get().term(), "beslistermijn", "due for the body");
            equal(c.nextDue("bestuursorgaan").get().date(), d(2026, 7, 6), "due date");
            equal(c.nextDue(null).get().term(), "beslistermijn", "due for anyone");
            // The compact form: the same case back, as the XML snapshot says.
            byte[] packed = c.pack();
            try (Case u = def.unpack(packed); Case v = Case.unpack(def, packed, false)) {
                equal(u.snapshot(), c.snapshot(), "unpacked snapshot");
                check(java.util.Arrays.equals(u.pack(), packed), "pack of unpacked");
                // Without the journal: kept and written back, nothing of it lost.
                try (Case w = def.unpack(v.pack())) {
                    equal(w.snapshot(), c.snapshot(), "journal kept");
                }
            }
            byte[] damaged = packed.clone();
            damaged[60] ^= 1;
            raises(SnapshotException.class, "damaged compact form",
                   () -> Case.unpack(def, damaged, true));
            c.fire("ontvankelijk_bevonden", d(2026, 3, 23), "jan", "behandelaar");
            c.fire("bemiddeling_mislukt", d(2026, 4, 1), "piet", "bemiddelaar");
            c.fire("hoorzitting_gepland", d(2026, 4, 10), "jan", "behandelaar",
                   Map.of("datum", d(2026, 5, 6)));
            raises(ForbiddenException.class, "gehoord by behandelaar",
                   () -> c.fire("gehoord", d(2026, 5, 6), "jan", "behandelaar"));
            c.fire("gehoord", d(2026, 5, 6), "cie", "commissie");
            c.fire("advies_uitgebracht", d(2026, 5, 20), "cie", "commissie",
                   Map.of("advies", "ongegrond"));
            Map<String, Object> b = new HashMap<>();
            b.put("uitkomst", "ongegrond");
            b.put("verzonden", d(2026, 6, 4));
            c.fire("beslissing_op_bezwaar", d(2026, 6, 3), "bw", "college", b);
            equal(c.outcome(), "ongegrond", "bezwaar outcome");
            check(c.timeline().contains("beslissing_op_bezwaar"), "timeline");
        }
    }

    static void testValidateFiles(Path src) {
        Path bad = src.resolve("tests/defs/invalid/spawn-unknown-process/input.xml");
        if (!Files.exists(bad)) {
            System.out.println("skip: " + bad + " not present");
            return;
        }
        List<Diagnostic> found = Definition.validateFiles(Arrays.asList(bad));
        equal(found.size(), 1, "one finding: " + found);
        equal(found.get(0).line(), 3, "finding line");
        equal(found.get(0).column(), 51, "finding column");
        check(found.get(0).message().contains("beroep"), "finding names the process");
        List<Diagnostic> lenient = Definition.validateFiles(Arrays.asList(bad), true, false);
        equal(lenient.size(), 1, "beside: one finding: " + lenient);
        check(lenient.get(0).isWarning(), "beside: a process found nowhere is a warning");
        List<Diagnostic> strict = Definition.validateFiles(Arrays.asList(bad), true, true);
        equal(strict.size(), 1, "strict: one finding: " + strict);
        check(!strict.get(0).isWarning(), "strict: an error");
        List<Diagnostic> alone = Definition.validateFiles(
            Arrays.asList(src.resolve("processes/bezwaar.xml")), true, false);
        equal(alone.size(), 0, "bezwaar alone finds what it spawns beside it: " + alone);
        List<Path> all = new java.util.ArrayList<>();
        try (java.util.stream.Stream<Path> s = Files.list(src.resolve("processes"))) {
            s.filter(p -> p.toString().endsWith(".xml")).sorted().forEach(all::add);
        } catch (java.io.IOException e) {
            throw new RuntimeException(e);
        }
        int errors = 0;
        for (Diagnostic d : Definition.validateFiles(all)) {
            errors += d.isWarning() ? 0 : 1;
        }
        check(all.size() > 1, "processes found");
        equal(errors, 0, "the shipped processes validate together");
    }

    /** Versions side by side and migration (docs/versions.md, docs/migration.md). */
    static void testVersions(Path src) {
        Path old = src.resolve("processes/dwangsom_2018.xml");
        Path now = src.resolve("processes/dwangsom.xml");
        if (!Files.exists(old)) {
            System.out.println("skip: " + old + " not present");
            return;
        }
        Case moved;
        Registry reg = new Registry();
        try {
            Definition v2018 = reg.load(old);
            Definition v2026 = reg.load(now);
            equal(reg.definitions().size(), 2, "two versions");
            equal(reg.pick("dwangsom", d(2018, 12, 31)).version(), "2018.1", "picked 2018.1");
            equal(reg.pick("dwangsom", d(2019, 1, 1)).version(), "2026.1", "picked 2026.1");
            check(reg.pick("dwangsom", d(2019, 1, 1)) == v2026, "one Definition per version");
            equal(v2018.validUntil(), d(2018, 12, 31), "valid until");
            equal(v2026.validFrom(), d(2019, 1, 1), "valid from");
            equal(v2026.validUntil(), null, "open validity");
            equal(reg.findHash(v2018.hash()).version(), "2018.1", "find by hash");
            check(v2026.canonical().startsWith("zaakflow-canonical 1\n"), "canonical form");
            raises(NotFoundException.class, "no version in 2008",
                   () -> reg.pick("dwangsom", d(2008, 1, 1)));
            Map<String, Object> vars = new HashMap<>();
            vars.put("beslistermijn_einde", d(2018, 12, 14));
            vars.put("ontvangen", d(2018, 12, 20));
            Case c = reg.start("dwangsom", d(2018, 12, 20), vars, true);
            equal(c.definition().version(), "2018.1", "the case runs on 2018.1");
            String before = c.snapshot();
            Case again = reg.restore(before, true);
            equal(again.snapshot(), before, "restored by hash");
            again.close();
            Migration mig = reg.loadMigration(
                src.resolve("processes/migrations/dwangsom_2018.1-2026.1.xml"));
            equal(mig.fromVersion(), "2018.1", "migration from");
            equal(mig.toVersion(), "2026.1", "migration to");
            moved = mig.migrate(c, v2026, d(2019, 1, 2), "beheer");
            equal(c.snapshot(), before, "the old case is unchanged");
            equal(moved.definition().version(), "2026.1", "migrated");
            equal(moved.term("termijn_na_ingebrekestelling").end(), d(2019, 1, 3),
                  "the deadline stays");
            raises(InvalidArgumentException.class, "a case of the wrong version",
                   () -> mig.migrate(moved, v2026, d(2019, 1, 3), null));
            mig.close();
            c.close();
        } finally {
            reg.close();
        }
        /* The migrated case keeps the registry's definitions alive. */
        System.gc();
        moved.advance(d(2019, 2, 15));
        equal(moved.variable("bedrag").toString(), "1260.00", "transitional rule: 2009 amounts");
        Case restored;
        try (Registry r2 = new Registry()) {
            r2.load(old);
            r2.load(now);
            restored = r2.restore(moved.snapshot(), true);
        }
        equal(restored.definition().version(), "2026.1", "a migrated snapshot restores");
        equal(restored.snapshot(), moved.snapshot(), "round trip");
        restored.close();
        moved.close();
    }

    // ---- null everywhere, by reflection -------------------------------------

    /** Fresh objects for each call, so no call depends on another's effects. */
    static final class World {
        final Definition def = Definition.parse(SMALL);

        Case aCase() {
            return def.start(d(2025, 11, 17), Map.of("ingediend", d(2025, 11, 17)));
        }

        Object receiver(Class<?> cls) {
            if (cls == Definition.class) {
                return Definition.parse(SMALL);
            }
            if (cls == Case.class) {
                return aCase();
            }
            if (cls == Deadline.class) {
                return Deadline.compute(d(2026, 4, 3), "6w");
            }
            if (cls == Deadline.Options.class) {
                return new Deadline.Options();
            }
            if (cls == Term.class) {
                return aCase().term("afhandeltermijn");
            }
            if (cls == Effect.class) {
                return aCase().fire("afgehandeld", d(2025, 12, 1), "ria", "behandelaar",
                                    Map.of("gegrond", true)).get(0);
            }
            if (cls == Diagnostic.class) {
                return Definition.parse(SMALL.replace("</process>",
                    "<state id=\"los\"/></process>")).diagnostics().get(0);
            }
            if (cls == Event.class) {
                return def.event("afgehandeld");
            }
            if (cls == Parameter.class) {
                return def.event("afgehandeld").parameters().get(0);
            }
            if (cls == FireCheck.class) {
                return aCase().canFire("afgehandeld", d(2025, 12, 1), "ria", "behandelaar", null);
            }
            if (cls == Case.Due.class) {
                return aCase().nextDue().get();
            }
            if (cls == Zgw.Config.class) {
                return zgwConfig();
            }
            if (cls == Zgw.Process.class) {
                return Zgw.Process.load(src.resolve("processes/bezwaar.xml"));
            }
            if (cls == Registry.class) {
                return registry();
            }
            if (cls == Migration.class) {
                return registry().loadMigration(src.resolve("tests/data/versions/zaak_1-2.xml"));
            }
            if (cls.getName().startsWith("nl.zaakflow.Store")) {
                return storeReceiver(cls);
            }
            return null;   // static methods only
        }

        /* The case store's classes, when the jar has them (a build with the store):
           made by reflection, so that this test compiles without them. */
        Object storeReceiver(Class<?> cls) {
            try {
                Class<?> st = Class.forName("nl.zaakflow.Store");
                Object store = st.getConstructor(String.class).newInstance("sqlite::memory:");
                if (cls == st) {
                    return store;
                }
                if (cls.getSimpleName().equals("StoredCase")) {
                    st.getMethod("addDefinition", String.class, String.class)
                        .invoke(store, SMALL, "small.xml");
                    Object step = st.getMethod("start", String.class, LocalDate.class, Map.class)
                        .invoke(store, "klacht", d(2025, 11, 17), Map.of("ingediend", d(2025, 11, 17)));
                    long id = step.getClass().getField("caseId").getLong(step);
                    return st.getMethod("read", long.class).invoke(store, id);
                }
                return null;
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }

        final Path src = Paths.get(System.getProperty("zaakflow.srcdir", "."));

        /** Two versions of one process (tests/data/versions). */
        Registry registry() {
            Registry r = new Registry();
            r.load(src.resolve("tests/data/versions/zaak_1.xml"));
            r.load(src.resolve("tests/data/versions/zaak_2.xml"));
            return r;
        }

        Zgw.Config zgwConfig() {
            return Zgw.Config.load(src.resolve("examples/zgw/config.json"));
        }

        Object sample(Class<?> t) {
            if (t == String.class || t == Object.class || t == CharSequence.class) {
                return "afgehandeld";
            }
            if (t == LocalDate.class) {
                return d(2025, 12, 1);
            }
            if (t == Path.class) {
                return Paths.get("/nonexistent/zaakflow.xml");
            }
            if (t == Map.class) {
                return Map.of("gegrond", true);
            }
            if (t == Collection.class || t == List.class) {
                return List.of("behandelaar");
            }
            if (t == Definition.class) {
                return def;
            }
            if (t == Deadline.Options.class) {
                return new Deadline.Options();
            }
            if (t == Zgw.Config.class) {
                return zgwConfig();
            }
            if (t == Case.class) {
                return aCase();
            }
            if (t == byte[].class) {
                return new byte[] {'Z', 'F', 'P', 'K'}; /* too short: a SnapshotException */
            }
            if (t == boolean.class) {
                return true;
            }
            if (t == int.class) {
                return 0;
            }
            if (t == long.class) {
                return 0L;
            }
            if (t == java.time.Duration.class) {
                return java.time.Duration.ofSeconds(1);
            }
            throw new IllegalStateException("no sample of " + t + ": add one to World.sample()");
        }
    }

    /** The public classes of the facade (nl.zaakflow, not its swig package), from the jar. */
    static List<Class<?>> publicApi() throws Exception {
        Path jar = Paths.get(Definition.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Class<?>> out = new ArrayList<>();
        try (JarFile jf = new JarFile(jar.toFile())) {
            for (Enumeration<JarEntry> e = jf.entries(); e.hasMoreElements();) {
                String n = e.nextElement().getName();
                if (!n.startsWith("nl/zaakflow/") || n.startsWith("nl/zaakflow/swig/")
                    || !n.endsWith(".class")) {
                    continue;
                }
                Class<?> c = Class.forName(n.substring(0, n.length() - 6).replace('/', '.'));
                if (Modifier.isPublic(c.getModifiers()) && !Throwable.class.isAssignableFrom(c)
                    && !c.isAnnotation() && !c.isEnum()) {
                    out.add(c);
                }
            }
        }
        return out;
    }

    static Object invoke(Executable x, Object target, Object[] args) throws Throwable {
        try {
            if (x instanceof Constructor) {
                return ((Constructor<?>) x).newInstance(args);
            }
            return ((Method) x).invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    static List<Executable> executables(Class<?> c) {
        List<Executable> out = new ArrayList<>();
        for (Constructor<?> k : c.getConstructors()) {
            out.add(k);
        }
        for (Method m : c.getDeclaredMethods()) {
            if (Modifier.isPublic(m.getModifiers()) && !m.isSynthetic()) {
                out.add(m);
            }
        }
        return out;
    }

    static void testNullEverywhere() throws Exception {
        World w = new World();
        int calls = 0;
        List<Class<?>> api = publicApi();
        check(api.size() >= 10, "public classes found: " + api);
        for (Class<?> c : api) {
            for (Executable x : executables(c)) {
                java.lang.reflect.Parameter[] ps = x.getParameters();
                for (int i = 0; i < ps.length; i++) {
                    if (ps[i].getType().isPrimitive()) {
                        continue;
                    }
                    Object[] args = new Object[ps.length];
                    for (int k = 0; k < ps.length; k++) {
                        args[k] = k == i ? null : w.sample(ps[k].getType());
                    }
                    Object target = Modifier.isStatic(x.getModifiers()) || x instanceof Constructor
                        ? null : w.receiver(c);
                    String what = c.getSimpleName() + "." + x.getName() + " " + ps[i].getName() + "=null";
                    calls++;
                    try {
                        invoke(x, target, args);
                        check(ps[i].isAnnotationPresent(Nullable.class), what + ": no exception");
                    } catch (NullPointerException | IllegalArgumentException e) {
                        check(!ps[i].isAnnotationPresent(Nullable.class) || e instanceof ZaakflowException,
                              what + ": " + e);
                        check(e instanceof ZaakflowException || String.valueOf(e.getMessage()).contains(ps[i].getName()),
                              what + ": the message names the parameter: " + e.getMessage());
                    } catch (ZaakflowException e) {
                        check(ps[i].isAnnotationPresent(Nullable.class), what + ": " + e);
                    } catch (Throwable t) {
                        check(false, what + ": " + t);
                    }
                }
            }
        }
        check(calls > 40, "null calls: " + calls);
    }

    static void testOddValues() throws Exception {
        World w = new World();
        Object[] strings = {"", "\u0000", "x".repeat(100000), "beëindiging"};
        Object[] dates = {LocalDate.MIN, LocalDate.MAX, LocalDate.of(1, 1, 1), LocalDate.of(9999, 12, 31)};
        Object[] maps = {Map.of("gegrond", LocalDateTime.of(2026, 4, 13, 23, 30)),
                         Map.of("gegrond", new Object()), Map.of("x", "y"), Map.of("gegrond", "misschien")};
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            many.add("r" + i);
        }
        Object[] lists = {many, List.of(""), Arrays.asList("a", null)};
        for (Class<?> c : publicApi()) {
            for (Executable x : executables(c)) {
                java.lang.reflect.Parameter[] ps = x.getParameters();
                for (int i = 0; i < ps.length; i++) {
                    Class<?> t = ps[i].getType();
                    Object[] odd = t == String.class ? strings : t == LocalDate.class ? dates
                        : t == Map.class ? maps : (t == Collection.class || t == List.class) ? lists
                        : new Object[0];
                    for (Object o : odd) {
                        Object[] args = new Object[ps.length];
                        for (int k = 0; k < ps.length; k++) {
                            args[k] = k == i ? o : w.sample(ps[k].getType());
                        }
                        Object target = Modifier.isStatic(x.getModifiers()) || x instanceof Constructor
                            ? null : w.receiver(c);
                        try {
                            invoke(x, target, args);
                        } catch (RuntimeException e) {
                            checks++;   // an exception is fine; a crash would end the JVM
                        } catch (Throwable t2) {
                            check(false, c.getSimpleName() + "." + x.getName() + ": " + t2);
                        }
                    }
                }
            }
        }
    }

    static void testClosed() throws Exception {
        World w = new World();
        Case c = w.aCase();
        c.close();
        Definition def = Definition.parse(SMALL);
        def.close();
        for (Object closed : new Object[] {c, def}) {
            for (Executable x : executables(closed.getClass())) {
                if (x instanceof Constructor || Modifier.isStatic(x.getModifiers())
                    || Arrays.asList("close", "toString", "definition", "diagnostics", "path")
                          .contains(x.getName())) {
                    continue;
                }
                Object[] args = new Object[x.getParameterCount()];
                for (int k = 0; k < args.length; k++) {
                    args[k] = w.sample(x.getParameters()[k].getType());
                }
                String what = closed.getClass().getSimpleName() + "." + x.getName() + " when closed";
                try {
                    invoke(x, closed, args);
                    check(false, what + ": no exception");
                } catch (InvalidArgumentException e) {
                    check(e.detail().contains("closed"), what + ": " + e.detail());
                } catch (Throwable t) {
                    check(false, what + ": " + t);
                }
            }
        }
    }

    // ---- threads, copies, dry runs, dates, events --------------------------

    static final String COUNTER =
        "<process xmlns=\"urn:zaakflow:process:1\" id=\"teller\" version=\"1\" initial=\"a\">\n"
        + "  <data><var id=\"n\" type=\"int\" default=\"0\"/><var id=\"op\" type=\"date\"/></data>\n"
        + "  <events><event id=\"tel\"/><event id=\"zet\"><param id=\"op\" type=\"date\" required=\"true\"/></event>\n"
        + "    <event id=\"verder\"/></events>\n"
        + "  <state id=\"a\">\n"
        + "    <transition event=\"tel\"><assign var=\"n\" expr=\"n + 1\"/><notify to=\"x\" text=\"geteld\"/></transition>\n"
        + "    <transition event=\"zet\"><assign var=\"op\" expr=\"event.op\"/></transition>\n"
        + "    <transition event=\"verder\" cond=\"n &gt; 2\" target=\"b\"/>\n"
        + "  </state>\n"
        + "  <state id=\"b\"/>\n"
        + "</process>\n";

    static void testThreads() throws Exception {
        Definition def = Definition.parse(COUNTER);
        Case c = def.start(d(2026, 1, 5));
        int fires = 3000;
        AtomicReference<Throwable> error = new AtomicReference<>();
        Runnable firer = () -> {
            try {
                for (int i = 0; i < fires; i++) {
                    List<Effect> fx = c.fire("tel", d(2026, 1, 6), "ria", "");
                    if (fx.size() != 1) {
                        throw new IllegalStateException("effects " + fx);
                    }
                }
            } catch (Throwable t) {
                error.compareAndSet(null, t);
            }
        };
        Thread a = new Thread(firer);
        Thread b = new Thread(firer);
        Thread reader = new Thread(() -> {
            try {
                while (a.isAlive() || b.isAlive()) {
                    c.snapshot();
                    c.effects();
                    c.terms();
                    c.variable("n");
                }
            } catch (Throwable t) {
                error.compareAndSet(null, t);
            }
        });
        a.start();
        b.start();
        reader.start();
        a.join();
        b.join();
        reader.join();
        equal(error.get(), null, "no thread failed");
        equal(c.variable("n"), (long) (2 * fires), "every fire counted once");
        c.close();
    }

    static void testCopyAndCanFire() {
        Definition def = Definition.parse(COUNTER);
        Case c = def.start(d(2026, 1, 5));
        c.fire("tel", d(2026, 1, 6), null, "");
        Case k = c.copy();
        equal(k.snapshot(), c.snapshot(), "the copy's snapshot");
        equal(k.effects().size(), 1, "the copy has the last call's effects");
        k.fire("tel", d(2026, 1, 7), null, "");
        equal(c.variable("n"), 1L, "the original did not move");
        equal(k.variable("n"), 2L, "the copy moved");
        String before = c.snapshot();
        FireCheck no = c.canFire("verder", d(2026, 1, 8), null, "", null);
        check(!no.allowed(), "verder not allowed with n = 1");
        check(no.reason() instanceof RejectedException, "reason: " + no.reason());
        equal(no.reason().detail(),
              "event 'verder' is not allowed in state 'a': condition 'n > 2' (line 8) is false",
              "the refused condition, as written");
        RejectedException fired = raises(RejectedException.class, "fire says the same",
                                         () -> c.fire("verder", d(2026, 1, 8), null, ""));
        equal(fired == null ? null : fired.detail(), no.reason().detail(), "same message as fire");
        FireCheck missing = c.canFire("zet", d(2026, 1, 8), null, "", null);
        check(missing.reason() instanceof InvalidArgumentException, "missing parameter: " + missing);
        check(c.canFire("tel", d(2026, 1, 8), null, "", null).allowed(), "tel allowed");
        equal(c.snapshot(), before, "canFire changes nothing");
        k.close();
        raises(InvalidArgumentException.class, "copy of a closed case", () -> k.copy());
        c.close();
    }

    static void testDates() {
        Definition def = Definition.parse(COUNTER);
        Case c = def.start(d(2026, 1, 5));
        // 23:30 UTC on 13 April 2026 is 14 April in the Netherlands (CEST).
        c.fire("zet", d(2026, 1, 6), null, "", Map.of("op", ZonedDateTime.of(2026, 4, 13, 23, 30, 0, 0, ZoneOffset.UTC)));
        equal(c.variable("op"), d(2026, 4, 14), "ZonedDateTime: its Amsterdam date");
        c.fire("zet", d(2026, 1, 6), null, "", Map.of("op", OffsetDateTime.of(2026, 1, 15, 22, 59, 0, 0, ZoneOffset.UTC)));
        equal(c.variable("op"), d(2026, 1, 15), "22:59 UTC in winter is still the 15th");
        c.fire("zet", d(2026, 1, 6), null, "", Map.of("op", Instant.parse("2026-10-24T22:00:00Z")));
        equal(c.variable("op"), d(2026, 10, 25), "midnight CEST before the change to winter time");
        c.fire("zet", d(2026, 1, 6), null, "",
               Map.of("op", ZonedDateTime.of(2026, 3, 29, 0, 30, 0, 0, ZoneId.of("Europe/Amsterdam"))));
        equal(c.variable("op"), d(2026, 3, 29), "an Amsterdam time is its own date");
        IllegalArgumentException e = raises(IllegalArgumentException.class, "LocalDateTime refused",
            () -> c.fire("zet", d(2026, 1, 6), null, "", Map.of("op", LocalDateTime.of(2026, 4, 13, 23, 30))));
        check(e != null && e.getMessage().contains("LocalDateTime") && e.getMessage().contains("LocalDate"),
              "the message says how to pass a date: " + (e == null ? null : e.getMessage()));
        c.close();
    }

    static void testEvents(Path src) {
        Path path = src.resolve("processes").resolve("bezwaar.xml");
        if (!Files.exists(path)) {
            System.out.println("skip: " + path + " not present");
            return;
        }
        try (Definition def = Definition.load(path)) {
            Event e = def.event("beslissing_op_bezwaar");
            equal(e.kind(), Event.Kind.EXTERNAL, "kind");
            equal(e.roles(), List.of("college"), "roles");
            equal(e.parameters().get(0).name(), "uitkomst", "first parameter");
            equal(e.parameters().get(0).type(), "enum", "its type");
            check(e.parameters().get(0).required(), "required");
            equal(e.parameters().get(0).values(),
                  List.of("gegrond", "deels_gegrond", "ongegrond", "niet_ontvankelijk"), "values");
            check(def.implicitEvents().contains("expired.bezwaartermijn"), "implicit events");
            check(!def.events().contains("expired.bezwaartermijn"), "declared events only");
            check(def.event("expired.bezwaartermijn").implicit(), "flagged implicit");
            raises(NotFoundException.class, "no such event", () -> def.event("bestaat_niet"));
        }
    }

    static void testZgw(Path src) {
        Path bezwaar = src.resolve("processes/bezwaar.xml");
        try (Zgw.Config cfg = Zgw.Config.load(src.resolve("examples/zgw/config.json"));
             Zgw.Process p = Zgw.Process.load(bezwaar);
             Definition d = Definition.load(bezwaar);
             Case c = d.start(LocalDate.of(2026, 3, 2),
                              Map.of("verzonden", LocalDate.of(2026, 3, 2),
                                     "commissie_gemeld", true))) {
            Map<String, String> files = Zgw.export(List.of(bezwaar), cfg);
            equal(files.keySet().toString(),
                  "[ZaakType, StatusType, ResultaatType, RolType, Eigenschap, requests]",
                  "zgw export: the files");
            check(files.get("ZaakType").contains("\"doorlooptijd\": \"P12W\""),
                  "zgw export: doorlooptijd of the beslistermijn");
            c.fire("bezwaarschrift_ontvangen", LocalDate.of(2026, 3, 20), "jan", "behandelaar",
                   Map.of("ontvangen", LocalDate.of(2026, 3, 20), "per_post", false));
            String view = p.caseView(c, cfg, "https://oz.example/zaken/api/v1/zaken/1", null, null);
            check(view.contains("\"uiterlijkeEinddatumAfdoening\": \""
                                + c.term("beslistermijn").end() + "\""),
                  "zgw case: uiterlijkeEinddatumAfdoening is the beslistermijn's end");
            check(view.contains("\"datumStatusGezet\": \"2026-03-20T00:00:00+01:00\""),
                  "zgw case: datumStatusGezet");
            String reqs = p.caseRequests(c, cfg, "https://oz.example/zaken/api/v1/zaken/1",
                                         null, null, 0);
            check(reqs.contains("\"through\": 1"), "zgw case requests: through the start date");
            boolean threw = false;
            try {
                p.caseView(c, cfg, "not a url", null, null);
            } catch (InvalidArgumentException e) {
                threw = true;
            }
            check(threw, "zgw case: a zaak that is not a URL is refused");
        }
    }

    static void testSnapshotInfo(Path src) throws java.io.IOException {
        Path data = src.resolve("tests").resolve("data");
        Path plain = data.resolve("snapshot-bezwaar.xml");
        if (!Files.exists(plain)) {
            System.out.println("skip: " + plain + " not present");
            return;
        }
        String xml = new String(Files.readAllBytes(plain), java.nio.charset.StandardCharsets.UTF_8);
        SnapshotInfo info = SnapshotInfo.of(xml);
        equal(info.process(), "bezwaar", "snapshot info process");
        equal(info.version(), "2026.1", "snapshot info version");
        equal(info.hash().length(), 64, "snapshot info hash");
        equal(info.date(), d(2026, 5, 12), "snapshot info date");
        equal(info.steps(), 2L, "snapshot info steps");
        check(!info.finished() && info.outcome() == null, "snapshot info open");
        equal(info.nextDue(), d(2026, 8, 10), "snapshot info next due");
        equal(info.nextTerm(), "beslistermijn", "snapshot info next term");
        equal(info.journalEntries(), 2L, "snapshot info journal");
        check(!info.sealed(), "snapshot info not sealed");
        String key = new String(Files.readAllBytes(data.resolve("snapshot.key")),
                                java.nio.charset.StandardCharsets.UTF_8);
        String sealed = new String(Files.readAllBytes(data.resolve("snapshot-bezwaar-sealed.xml")),
                                   java.nio.charset.StandardCharsets.UTF_8);
        check(SnapshotInfo.of(sealed, key).sealed(), "snapshot info sealed");
        raises(SnapshotException.class, "snapshot info without the key's seal",
               () -> SnapshotInfo.of(xml, key));
        raises(SnapshotException.class, "snapshot info corrupt",
               () -> SnapshotInfo.of(xml.replace("seq=\"2\"", "seq=\"3\"")));
        raises(ParseException.class, "snapshot info not XML", () -> SnapshotInfo.of("<snapshot"));
    }

    public static void main(String[] args) {
        Path src = Paths.get(System.getProperty("zaakflow.srcdir", "."));
        System.out.println("zaakflow " + Zaakflow.version() + " (Java " + System.getProperty("java.version") + ")");
        try {
            testDeadlines();
            testDefinitionErrors();
            testSmallCase();
            testLifetimes();
            testBezwaar(src);
            testValidateFiles(src);
            testNullEverywhere();
            testOddValues();
            testClosed();
            testThreads();
            testCopyAndCanFire();
            testDates();
            testEvents(src);
            testVersions(src);
            testZgw(src);
            testSnapshotInfo(src);
        } catch (Throwable t) {
            t.printStackTrace(System.out);
            failures++;
        }
        System.out.println(checks + " checks, " + failures + " failed");
        System.exit(failures == 0 ? 0 : 1);
    }
}
