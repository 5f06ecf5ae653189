package nl.zaakflow;

import java.lang.ref.Cleaner;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import nl.zaakflow.swig.store.store;
import nl.zaakflow.swig.store.store_args;
import nl.zaakflow.swig.store.store_case;
import nl.zaakflow.swig.store.store_case_info;
import nl.zaakflow.swig.store.store_due_item;
import nl.zaakflow.swig.store.store_journal_entry;
import nl.zaakflow.swig.store.store_list;
import nl.zaakflow.swig.store.store_outbox_item;
import nl.zaakflow.swig.store.store_step;
import nl.zaakflow.swig.store.store_work_result;

/**
 * The case store: cases, their journal, the due report and the effect outbox in
 * SQLite (embedded, the default) or PostgreSQL (several workers on several
 * machines), through libzaakflow-store.
 *
 * <pre>
 * try (Store store = new Store("sqlite:cases.db")) {
 *     store.addDefinition(Path.of("processes/bezwaar.xml"));
 *     Store.Step s = store.start("bezwaar", LocalDate.of(2026, 1, 2),
 *         Map.of("verzonden", LocalDate.of(2026, 1, 2), "commissie_gemeld", true));
 *     try (Store.Transaction tx = store.begin()) {
 *         store.fire(s.caseId, "bezwaarschrift_ontvangen", LocalDate.of(2026, 1, 20), "jan",
 *             List.of("behandelaar"), Map.of("ontvangen", LocalDate.of(2026, 1, 19),
 *             "per_post", false), s.revision);
 *         tx.commit();
 *     }
 * }
 * </pre>
 *
 * Every change is one transaction; a {@link Transaction} joins several (closed
 * without {@link Transaction#commit()}, it rolls them back). A change of a case
 * at another revision than the one given throws {@link ConflictException} and
 * changes nothing. The JNI library {@code libzaakflow_store_jni.so} is found
 * through {@code -Djava.library.path=...} or named with
 * {@code -Dzaakflow.storejni=/path/to/libzaakflow_store_jni.so}. A Store is for one
 * thread at a time.
 */
public final class Store implements AutoCloseable {
    private static boolean loaded;

    /** The native store; freed by close() or, at the latest, when the Store is
     * unreachable (a Cleaner action: holds no reference to the Store). */
    private static final class Handle implements Runnable {
        store h;

        @Override
        public void run() {
            if (h != null) {
                h.delete();
                h = null;
            }
        }
    }

    private final Handle handle = new Handle();
    private final Cleaner.Cleanable cleanable;

    /** Load the JNI library once; called by the generated classes. */
    public static synchronized void loadNative() {
        if (loaded) {
            return;
        }
        Zaakflow.loadNative();
        String path = System.getProperty("zaakflow.storejni");
        if (path != null && !path.isEmpty()) {
            System.load(path);
        } else {
            System.loadLibrary("zaakflow_store_jni");
        }
        loaded = true;
    }

    /** Open by URL: {@code sqlite:PATH} or {@code postgresql://...}. */
    public Store(String url) {
        this(Objects.requireNonNull(url, "url"), Duration.ZERO, null);
    }

    /**
     * Open with the lease of claims (by the database's clock; zero = five minutes)
     * and the name recorded with them (null = "zaakflow").
     */
    public Store(String url, @Nullable Duration lease, @Nullable String owner) {
        Objects.requireNonNull(url, "url");
        handle.h = new store(url, lease == null ? 0 : lease.toMillis(), owner);
        cleanable = Definition.CLEANER.register(this, handle);
    }

    private store h() {
        if (handle.h == null) {
            throw ZaakflowException.invalid("the store is closed");
        }
        return handle.h;
    }

    /** Close the connection (rolling back a transaction left open). */
    @Override
    public void close() {
        cleanable.clean();
    }

    /** "sqlite" or "postgresql". */
    public String driver() {
        return h().driver();
    }

    /** A transaction: changes until {@link #commit()} are stored together. */
    public final class Transaction implements AutoCloseable {
        private boolean open = true;

        private Transaction() {
            h().begin();
        }

        public void commit() {
            if (open) {
                open = false;
                h().commit();
            }
        }

        /** Rolls back unless committed. */
        @Override
        public void close() {
            if (open) {
                open = false;
                if (handle.h != null && handle.h.in_transaction() != 0) {
                    handle.h.rollback();
                }
            }
        }
    }

    public Transaction begin() {
        return new Transaction();
    }

    /** What one change did. */
    public static final class Step {
        public final long caseId;
        public final long revision;
        public final long entries;
        public final long expired;
        public final long effects;
        public final long spawned;

        Step(store_step s) {
            caseId = s.getCase_id();
            revision = s.getRevision();
            entries = s.getEntries();
            expired = s.getExpired();
            effects = s.getEffects();
            spawned = s.getSpawned();
            s.delete();
        }
    }

    /** A stored case's summary. */
    public static final class CaseInfo {
        public final long id;
        public final long revision;
        public final String process;
        public final String version;
        public final String hash;
        public final LocalDate started;
        public final LocalDate date;
        public final List<String> active;
        public final boolean finished;
        public final String outcome;
        public final LocalDate nextDue;
        public final String nextTerm;
        /** 0 when no case spawned it. */
        public final long parent;
        public final String relation;

        CaseInfo(store_case_info r) {
            id = r.getId();
            revision = r.getRevision();
            process = r.getProcess();
            version = r.getVersion();
            hash = r.getHash();
            started = Values.date(r.getStarted());
            date = Values.date(r.getDate());
            String a = r.getActive();
            active = a == null || a.isEmpty() ? List.of() : List.of(a.split(" "));
            finished = r.getFinished() != 0;
            outcome = r.getOutcome();
            nextDue = Values.date(r.getNext_due());
            nextTerm = r.getNext_term();
            parent = r.getParent();
            relation = r.getRelation();
        }
    }

    /** A running term: who must act by which last day. */
    public static final class DueItem {
        public final LocalDate lastDay;
        public final long caseId;
        public final String process;
        public final String term;
        public final String title;
        public final String basis;
        /** Who must act; null when the term does not say. */
        public final String party;

        DueItem(store_due_item d) {
            lastDay = Values.date(d.getLast_day());
            caseId = d.getCase_id();
            process = d.getProcess();
            term = d.getTerm();
            title = d.getTitle();
            basis = d.getBasis();
            party = d.getParty();
        }
    }

    /** An effect for delivery, at least once, with a stable idempotency key. */
    public static final class OutboxItem {
        public final long id;
        public final long caseId;
        public final long revision;
        /** "CASE/REVISION/N", the same on every delivery. */
        public final String key;
        /** "notify" or "spawn". */
        public final String kind;
        public final LocalDate date;
        public final String to;
        public final String text;
        public final String process;
        public final String relation;
        public final long spawned;
        /** The effect as JSON. */
        public final String payload;
        public final String status;
        public final int attempts;
        public final String error;

        OutboxItem(store_outbox_item o) {
            id = o.getId();
            caseId = o.getCase_id();
            revision = o.getRevision();
            key = o.getKey();
            kind = o.getKind() == 1 ? "spawn" : "notify";
            date = Values.date(o.getDate());
            to = o.getTo();
            text = o.getText();
            process = o.getProcess();
            relation = o.getRelation();
            spawned = o.getSpawned();
            payload = o.getPayload();
            status = o.getStatus();
            attempts = o.getAttempts();
            error = o.getError();
        }
    }

    /** A journal item of a stored case. */
    public static final class Item {
        public final String kind;
        public final String name;
        public final String text;
        public final LocalDate date;
        public final Object value;

        Item(String kind, String name, String text, LocalDate date, Object value) {
            this.kind = kind;
            this.name = name;
            this.text = text;
            this.date = date;
            this.value = value;
        }
    }

    /** A journal entry of a stored case. */
    public static final class Entry {
        public final long seq;
        public final long revision;
        public final LocalDate date;
        /** null for the start of the case. */
        public final String event;
        public final String actor;
        public final List<Item> items;

        Entry(store_journal_entry e, List<Item> items) {
            seq = e.getSeq();
            revision = e.getRevision();
            date = Values.date(e.getDate());
            event = e.getEvent();
            actor = e.getActor();
            this.items = Collections.unmodifiableList(items);
        }
    }

    /** What {@link #work} did. */
    public static final class WorkResult {
        public final long cases;
        public final long expired;
        public final long skipped;
        public final long failed;
        public final long batches;

        WorkResult(store_work_result r) {
            cases = r.getCases();
            expired = r.getExpired();
            skipped = r.getSkipped();
            failed = r.getFailed();
            batches = r.getBatches();
            r.delete();
        }
    }

    /** A case read from the store: its summary and XML snapshot (no journal). */
    public static final class StoredCase {
        public final CaseInfo info;
        public final String snapshot;

        StoredCase(CaseInfo info, String snapshot) {
            this.info = info;
            this.snapshot = snapshot;
        }

        /** The case as a {@link Case} of its very definition (same hash). */
        public Case restore(Definition definition) {
            Objects.requireNonNull(definition, "definition");
            return Case.restore(definition, snapshot, false);
        }
    }

    /** Keep a definition file; returns {process, version, hash}. */
    public List<String> addDefinition(Path path) {
        Objects.requireNonNull(path, "path");
        return Arrays.asList(h().add_definition_file(path.toString()).split(" "));
    }

    /** Keep a definition given as XML text; returns {process, version, hash}. */
    public List<String> addDefinition(String xml, @Nullable String name) {
        Objects.requireNonNull(xml, "xml");
        return Arrays.asList(h().add_definition(xml, name).split(" "));
    }

    /**
     * The version of a process valid on a date (by its validity, as a registry
     * picks it), on which a case started that day starts; returns {process,
     * version, hash}. Throws NotFoundException when no version is valid then,
     * ValidationException when two are.
     */
    public List<String> pick(String process, LocalDate date) {
        Objects.requireNonNull(process, "process");
        int day = Values.day(date, "date");
        return Arrays.asList(h().pick(process, day).split(" "));
    }

    private static store_args args(@Nullable Map<String, ?> values, @Nullable String actor,
                                   @Nullable Collection<String> roles) {
        store_args a = new store_args();
        try {
            if (values != null) {
                for (Map.Entry<String, ?> e : values.entrySet()) {
                    Objects.requireNonNull(e.getKey(), "a variable or parameter name");
                    if (e.getValue() != null) {
                        a.add(e.getKey(), Values.text(e.getValue(), e.getKey()));
                    }
                }
            }
            if (actor != null) {
                a.set_actor(actor);
            }
            if (roles != null) {
                for (String r : roles) {
                    a.add_role(Objects.requireNonNull(r, "a role"));
                }
            }
        } catch (RuntimeException ex) {
            a.delete();
            throw ex;
        }
        return a;
    }

    /** Start a case on the current version of {@code process} (or that hash). */
    public Step start(String process, LocalDate date, @Nullable Map<String, ?> variables) {
        Objects.requireNonNull(process, "process");
        int day = Values.day(date, "date");
        store_args a = args(variables, null, null);
        try {
            return new Step(h().start(process, day, a));
        } finally {
            a.delete();
        }
    }

    /** Fire an event; with a revision (not 0) the case must still be at it. */
    public Step fire(long caseId, String event, LocalDate date, @Nullable String actor,
                     @Nullable Collection<String> roles, @Nullable Map<String, ?> params,
                     long revision) {
        Objects.requireNonNull(event, "event");
        int day = Values.day(date, "date");
        store_args a = args(params, actor, roles);
        try {
            return new Step(h().fire(caseId, revision, event, day, a));
        } finally {
            a.delete();
        }
    }

    public Step fire(long caseId, String event, LocalDate date, @Nullable String actor,
                     @Nullable Collection<String> roles, @Nullable Map<String, ?> params) {
        return fire(caseId, event, date, actor, roles, params, 0);
    }

    /** Let time pass on a case up to {@code date}. */
    public Step advance(long caseId, LocalDate date, long revision) {
        return new Step(h().advance(caseId, revision, Values.day(date, "date")));
    }

    /** The worker's step: expire the terms of a case due before {@code until}. */
    public Step expire(long caseId, LocalDate until) {
        return new Step(h().expire(caseId, Values.day(until, "until")));
    }

    /** The worker: expire every term due before {@code until}, a case at a time. */
    public WorkResult work(LocalDate until, int batch) {
        return new WorkResult(h().work(Values.day(until, "until"), batch));
    }

    public StoredCase read(long caseId) {
        store_case c = h().read(caseId);
        try {
            return new StoredCase(new CaseInfo(c.summary()), c.snapshot());
        } finally {
            c.delete();
        }
    }

    private static List<CaseInfo> cases(store_list l) {
        try {
            List<CaseInfo> out = new ArrayList<>();
            for (long i = 0; i < l.count(); i++) {
                out.add(new CaseInfo(l.case_at(i)));
            }
            return Collections.unmodifiableList(out);
        } finally {
            l.delete();
        }
    }

    private static List<OutboxItem> outbox(store_list l) {
        try {
            List<OutboxItem> out = new ArrayList<>();
            for (long i = 0; i < l.count(); i++) {
                out.add(new OutboxItem(l.outbox_at(i)));
            }
            return Collections.unmodifiableList(out);
        } finally {
            l.delete();
        }
    }

    /** Cases by id; {@code state} is "all", "open" or "finished"; limit 0: all. */
    public List<CaseInfo> cases(@Nullable String process, String state, long after,
                                int limit) {
        Objects.requireNonNull(state, "state");
        int which = "all".equals(state) ? 0 : "open".equals(state) ? 1
            : "finished".equals(state) ? 2 : -1;
        if (which < 0) {
            throw ZaakflowException.invalid("state " + state + " is not all, open or finished");
        }
        return cases(h().cases(process, which, after, limit));
    }

    public List<Entry> journal(long caseId) {
        store_list l = h().journal(caseId);
        try {
            List<Entry> out = new ArrayList<>();
            for (long i = 0; i < l.count(); i++) {
                store_journal_entry e = l.journal_at(i);
                List<Item> items = new ArrayList<>();
                for (long j = 0; j < e.getNitems(); j++) {
                    String vt = l.item_value_type(i, j);
                    Object v = vt.isEmpty() ? null : value(vt, l.item_value_text(i, j));
                    items.add(new Item(l.item_kind(i, j), l.item_name(i, j), l.item_text(i, j),
                                       Values.date(l.item_date(i, j)), v));
                }
                out.add(new Entry(e, items));
            }
            return Collections.unmodifiableList(out);
        } finally {
            l.delete();
        }
    }

    private static Object value(String type, String text) {
        switch (type) {
        case "bool":
            return "true".equals(text);
        case "int":
            return Long.valueOf(text);
        case "money":
            return new java.math.BigDecimal(text);
        case "date":
            return LocalDate.parse(text);
        default:
            return text;
        }
    }

    /** The due report: running terms whose last day is on or before {@code until}. */
    public List<DueItem> due(LocalDate until, @Nullable String party, int limit) {
        store_list l = h().due(Values.day(until, "until"), party, limit);
        try {
            List<DueItem> out = new ArrayList<>();
            for (long i = 0; i < l.count(); i++) {
                out.add(new DueItem(l.due_at(i)));
            }
            return Collections.unmodifiableList(out);
        } finally {
            l.delete();
        }
    }

    /** Claim cases with a term to expire before {@code until}, for the lease. */
    public List<CaseInfo> claim(LocalDate until, int max) {
        return cases(h().claim(Values.day(until, "until"), max));
    }

    public List<OutboxItem> outbox(@Nullable String status, long caseId, int limit) {
        return outbox(h().outbox(status, caseId, limit));
    }

    public List<OutboxItem> outboxClaim(int max) {
        return outbox(h().outbox_claim(max));
    }

    public void outboxAck(long item) {
        h().outbox_ack(item);
    }

    public void outboxRelease(long item, @Nullable String reason) {
        h().outbox_release(item, reason);
    }
}
