package nl.zaakflow.test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import nl.zaakflow.Case;
import nl.zaakflow.ConflictException;
import nl.zaakflow.Definition;
import nl.zaakflow.InvalidArgumentException;
import nl.zaakflow.NotFoundException;
import nl.zaakflow.RejectedException;
import nl.zaakflow.Store;

import static nl.zaakflow.test.ZaakflowTest.check;
import static nl.zaakflow.test.ZaakflowTest.d;
import static nl.zaakflow.test.ZaakflowTest.equal;
import static nl.zaakflow.test.ZaakflowTest.raises;

/**
 * nl.zaakflow.Store on a SQLite file in a temporary directory, without JUnit: run
 * by tests/run-java-tests.sh when the case store is built, with ZaakflowTest's
 * checks; exit status 1 when a check fails.
 */
public final class StoreTest {
    private StoreTest() {
    }

    static void run(Path src, Path dir) {
        Path bezwaar = src.resolve("processes/bezwaar.xml");
        try (Store store = new Store("sqlite:" + dir.resolve("cases.db"), Duration.ofSeconds(1), "test")) {
            equal(store.driver(), "sqlite", "driver");
            List<String> def = store.addDefinition(bezwaar);
            equal(def.get(0), "bezwaar", "definition's process");
            equal(def.get(2).length(), 64, "definition's hash");

            Store.Step s = store.start("bezwaar", d(2026, 1, 2),
                Map.of("verzonden", d(2026, 1, 2), "commissie_gemeld", true));
            equal(s.revision, 1L, "revision after start");
            Store.StoredCase c = store.read(s.caseId);
            equal(c.info.process, "bezwaar", "process");
            equal(c.info.active, List.of("registratie"), "active states");
            /* Awb 6:7, 6:8: six weeks from 2 January 2026. */
            equal(c.info.nextDue, d(2026, 2, 13), "next due");
            equal(c.info.parent, 0L, "no parent");

            List<Store.DueItem> due = store.due(d(2026, 12, 31), null, 0);
            equal(due.size(), 2, "due terms");
            equal(due.get(0).term, "bezwaartermijn", "first due term");
            equal(due.get(0).lastDay, d(2026, 2, 13), "its last day");

            Map<String, Object> p = Map.of("ontvangen", d(2026, 1, 19), "per_post", false);
            Store.Step f = store.fire(s.caseId, "bezwaarschrift_ontvangen", d(2026, 1, 20), "jan",
                                      List.of("behandelaar"), p, 1);
            equal(f.revision, 2L, "revision after fire");
            check(f.effects >= 1, "the fire wrote outbox items");
            raises(ConflictException.class, "fire at an old revision",
                   () -> store.fire(s.caseId, "ontvankelijk_bevonden", d(2026, 1, 22), "jan",
                                    List.of("behandelaar"), null, 1));
            raises(RejectedException.class, "an event not allowed now",
                   () -> store.fire(s.caseId, "bezwaarschrift_ontvangen", d(2026, 1, 21), "jan",
                                    List.of("behandelaar"), p));
            raises(NotFoundException.class, "no such case", () -> store.read(999));

            List<Store.Entry> journal = store.journal(s.caseId);
            equal(journal.size(), 2, "journal entries");
            equal(journal.get(1).event, "bezwaarschrift_ontvangen", "second entry");
            boolean assigned = false;
            for (Store.Item it : journal.get(1).items) {
                assigned |= "assign".equals(it.kind) && "ontvangen".equals(it.name)
                    && d(2026, 1, 19).equals(it.value);
            }
            check(assigned, "the journal has ontvangen = 2026-01-19 as a date");

            /* A transaction closed without commit rolls back. */
            try (Store.Transaction tx = store.begin()) {
                Store.Step undone = store.start("bezwaar", d(2026, 1, 5),
                    Map.of("verzonden", d(2026, 1, 5), "commissie_gemeld", true));
                check(undone.caseId > s.caseId && tx != null, "started inside the transaction");
            }
            equal(store.cases(null, "all", 0, 0).size(), 1, "rolled back");
            try (Store.Transaction tx = store.begin()) {
                store.start("bezwaar", d(2026, 1, 5),
                    Map.of("verzonden", d(2026, 1, 5), "commissie_gemeld", true));
                tx.commit();
            }
            equal(store.cases(null, "open", 0, 0).size(), 2, "committed");

            /* The worker expires what the due report lists before its date. */
            List<Store.DueItem> before = store.due(d(2026, 2, 17), null, 0);
            check(!before.isEmpty(), "terms due before 18 February");
            Store.WorkResult w = store.work(d(2026, 2, 18), 8);
            equal(w.expired, (long) before.size(), "the worker expired each due term");
            equal(w.failed, 0L, "no failures");
            equal(store.due(d(2026, 2, 17), null, 0).size(), 0, "nothing due before 18 February");
            for (Store.OutboxItem o : store.outboxClaim(100)) {
                check(o.key.startsWith(o.caseId + "/" + o.revision + "/"), "outbox key " + o.key);
                store.outboxAck(o.id);
            }
            equal(store.outbox("pending", 0, 0).size(), 0, "everything delivered");

            try (Definition dfn = Definition.load(bezwaar); Case k = c.restore(dfn)) {
                equal(k.activeStates(), List.of("registratie"), "restored case");
            }
        }
        raises(InvalidArgumentException.class, "an unknown URL", () -> new Store("mysql://x"));
        /* Versions by their validity: dwangsom 2018.1 until 2018-12-31, 2026.1 from
           2019-01-01 (Awb 4:17 lid 2). */
        try (Store store = new Store("sqlite:" + dir.resolve("versions.db"))) {
            store.addDefinition(src.resolve("processes/dwangsom.xml"));
            store.addDefinition(src.resolve("processes/dwangsom_2018.xml"));
            equal(store.pick("dwangsom", d(2018, 12, 31)).get(1), "2018.1", "picked in 2018");
            equal(store.pick("dwangsom", d(2019, 1, 1)).get(1), "2026.1", "picked in 2019");
            raises(NotFoundException.class, "no version valid in 2009",
                   () -> store.pick("dwangsom", d(2009, 1, 1)));
            Store.Step s = store.start("dwangsom", d(2018, 5, 10),
                Map.of("beslistermijn_einde", d(2018, 5, 1), "ontvangen", d(2018, 5, 10)));
            equal(store.read(s.caseId).info.version, "2018.1", "started on the 2018 version");
        }
    }

    public static void main(String[] args) throws Exception {
        Path src = Paths.get(System.getProperty("zaakflow.srcdir", "."));
        Path dir = Files.createTempDirectory("zf-jstore");
        try {
            run(src, dir);
        } catch (Throwable t) {
            t.printStackTrace(System.out);
            check(false, "no exception");
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        System.out.println("store: " + ZaakflowTest.checks() + " checks, "
                           + ZaakflowTest.failures() + " failed");
        System.exit(ZaakflowTest.failures() == 0 ? 0 : 1);
    }
}
