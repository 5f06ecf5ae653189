package nl.zaakflow;

import java.lang.ref.Cleaner;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import nl.zaakflow.swig.core;
import nl.zaakflow.swig.effect;
import nl.zaakflow.swig.effect_kind;
import nl.zaakflow.swig.instance;
import nl.zaakflow.swig.param_list;
import nl.zaakflow.swig.param_value;
import nl.zaakflow.swig.term_info;
import nl.zaakflow.swig.term_status;

/**
 * A running procedure of a {@link Definition}. Time is an argument: every
 * event carries its legal date, {@link #advance(LocalDate)} lets terms
 * expire. A failing call throws a {@link ZaakflowException} and changes
 * nothing.
 *
 * <p>Threads: a case may be used from several threads; its methods are
 * {@code synchronized}, so calls on one case take turns (a reader never sees a
 * call half done). Cases of one definition run in parallel on different threads.
 *
 * <p>Null: every parameter refuses null with a {@link NullPointerException}
 * naming it, except those marked {@link Nullable}.
 */
public final class Case implements AutoCloseable {
    /** Frees the native instance, then releases the definition. */
    private static final class Free implements Runnable {
        private final instance handle;
        private final Definition.Shared definition;

        Free(instance handle, Definition.Shared definition) {
            this.handle = handle;
            this.definition = definition;
        }

        @Override
        public void run() {
            handle.delete();
            definition.release();
        }
    }

    /** The earliest last day among running terms. */
    public static final class Due {
        private final LocalDate date;
        private final String term;

        Due(LocalDate date, String term) {
            this.date = date;
            this.term = term;
        }

        /** The last day; schedule advance() to the day after it. */
        public LocalDate date() {
            return date;
        }

        public String term() {
            return term;
        }

        @Override
        public String toString() {
            return "Due[" + term + " " + date + "]";
        }
    }

    private final Definition definition;
    private final instance handle;
    private final Cleaner.Cleanable cleanable;
    private boolean closed;

    private Case(Definition definition, instance handle, Definition.Shared shared) {
        this.definition = definition;
        this.handle = handle;
        this.cleanable = Definition.CLEANER.register(this, new Free(handle, shared));
    }

    /** Start a case of `definition` on `date` with initial variables (may be null). */
    public static Case start(Definition definition, LocalDate date,
                             @Nullable Map<String, ?> variables, boolean journal) {
        Objects.requireNonNull(definition, "definition");
        Objects.requireNonNull(date, "date");
        Definition.Shared shared = definition.shared;
        nl.zaakflow.swig.definition d = shared.retain();
        param_list pl = null;
        try {
            pl = Values.params(variables);
            instance h = new instance(d, Values.day(date, "date"), pl, journal ? 1 : 0);
            return new Case(definition, h, shared);
        } catch (RuntimeException e) {
            shared.release();
            throw e;
        } finally {
            if (pl != null) {
                pl.delete();
            }
        }
    }

    /**
     * Rebuild a case from snapshot XML made for this very definition (id,
     * version and hash must match, else {@link SnapshotException}).
     */
    public static Case restore(Definition definition, String xml, boolean journal) {
        Objects.requireNonNull(definition, "definition");
        Objects.requireNonNull(xml, "xml");
        return rebuild(definition, d -> core.instance_restore(d, xml, journal ? 1 : 0));
    }

    /**
     * Rebuild a case from its compact form ({@link #pack()}) made for this very
     * definition (its hash must match, else {@link SnapshotException}, as for
     * damaged or inconsistent bytes). With {@code journal} false the journal is
     * skipped unread.
     */
    public static Case unpack(Definition definition, byte[] data, boolean journal) {
        Objects.requireNonNull(definition, "definition");
        Objects.requireNonNull(data, "data");
        return rebuild(definition, d -> core.instance_unpack(d, data, journal ? 1 : 0));
    }

    /** A case made by {@code make} from the definition's handle, kept alive while it is. */
    private static Case rebuild(Definition definition,
                                java.util.function.Function<nl.zaakflow.swig.definition,
                                                            instance> make) {
        Definition.Shared shared = definition.shared;
        nl.zaakflow.swig.definition d = shared.retain();
        try {
            return new Case(definition, make.apply(d), shared);
        } catch (RuntimeException e) {
            shared.release();
            throw e;
        }
    }

    /** A case around `handle`, a new native instance of `definition`. */
    static Case wrap(Definition definition, instance handle) {
        Definition.Shared shared = definition.shared;
        try {
            shared.retain();
        } catch (RuntimeException e) {
            handle.delete();
            throw e;
        }
        return new Case(definition, handle, shared);
    }

    /** The native instance (for Registry, Migration and Zgw). */
    instance handle() {
        return h();
    }

    instance h() {
        if (closed) {
            throw ZaakflowException.invalid("the case is closed");
        }
        return handle;
    }

    public Definition definition() {
        return definition;
    }

    // ---- changing the case

    /**
     * Fire `event` dated `date` by `actor` holding `roles`, with the event's
     * parameters. Returns the effects of this call.
     *
     * @throws RejectedException        not allowed now
     * @throws ForbiddenException       the actor lacks the role
     * @throws NotFoundException        no such event
     * @throws InvalidArgumentException date before the case date, bad or missing parameter
     */
    public synchronized List<Effect> fire(String event, LocalDate date, @Nullable String actor,
                                          @Nullable Collection<String> roles,
                                          @Nullable Map<String, ?> params) {
        call(event, date, roles, params,
             (h, day, r, pl) -> { h.fire(event, day, actor, r, pl); return 0; });
        return effects();
    }

    /** One library call on the case with the arguments of fire() converted. */
    private interface Call {
        int run(instance h, int day, String roles, param_list params);
    }

    private int call(String event, LocalDate date, Collection<String> roles,
                     Map<String, ?> params, Call body) {
        Objects.requireNonNull(event, "event");
        int day = Values.day(date, "date");
        String r = Values.roles(roles);
        instance h = h();
        param_list pl = Values.params(params);
        try {
            return body.run(h, day, r, pl);
        } finally {
            if (pl != null) {
                pl.delete();
            }
        }
    }

    public List<Effect> fire(String event, LocalDate date, @Nullable String actor,
                             @Nullable Collection<String> roles) {
        return fire(event, date, actor, roles, null);
    }

    /** `roles` as one string: "behandelaar" or "behandelaar jurist". */
    public List<Effect> fire(String event, LocalDate date, @Nullable String actor,
                             @Nullable String roles, @Nullable Map<String, ?> params) {
        return fire(event, date, actor, split(roles), params);
    }

    public List<Effect> fire(String event, LocalDate date, @Nullable String actor,
                             @Nullable String roles) {
        return fire(event, date, actor, roles, null);
    }

    private static List<String> split(String roles) {
        return roles == null || roles.trim().isEmpty() ? Collections.<String>emptyList()
                                                       : Arrays.asList(roles.trim().split("[ ,\t]+"));
    }

    /**
     * Whether {@link #fire} with the same arguments would take the event now, and
     * if not, the exception it would throw ({@link FireCheck#reason()}). The real
     * fire path runs and is undone: the case does not change.
     */
    public synchronized FireCheck canFire(String event, LocalDate date, @Nullable String actor,
                                          @Nullable Collection<String> roles,
                                          @Nullable Map<String, ?> params) {
        StringBuilder message = new StringBuilder();
        int code = call(event, date, roles, params,
                        (h, day, r, pl) -> h.can_fire(event, day, actor, r, pl, message));
        return new FireCheck(code == 0 ? null
                             : ZaakflowException.fromNative(code, message.toString(), "", 0, 0));
    }

    /** {@link #canFire} with `roles` as one string. */
    public FireCheck canFire(String event, LocalDate date, @Nullable String actor,
                             @Nullable String roles, @Nullable Map<String, ?> params) {
        return canFire(event, date, actor, split(roles), params);
    }

    /** Let time pass up to `date`: terms whose last day is before it expire. */
    public synchronized List<Effect> advance(LocalDate date) {
        int day = Values.day(date, "date");
        h().advance(day);
        return effects();
    }

    /**
     * An exact copy (state, variables, terms, journal, the last call's effects)
     * that changes independently from here on: "what if we decide on date X?".
     * It shares the definition; close it like any case.
     */
    public synchronized Case copy() {
        instance h = h();
        Definition.Shared shared = definition.shared;
        shared.retain();
        try {
            return new Case(definition, core.instance_clone(h), shared);
        } catch (RuntimeException e) {
            shared.release();
            throw e;
        }
    }

    // ---- reading the case

    /** The case date: the date of the last event or advance. */
    public synchronized LocalDate date() {
        return Values.date(h().date());
    }

    public synchronized List<String> activeStates() {
        instance h = h();
        List<String> out = new ArrayList<>();
        for (long i = 0; i < h.active_count(); i++) {
            out.add(h.active_id(i));
        }
        return out;
    }

    /** Whether `state` is active ({@link NotFoundException} when there is no such state). */
    public synchronized boolean isActive(String state) {
        Objects.requireNonNull(state, "state");
        return h().is_active(state) == 1;
    }

    /** The events `actor` with `roles` could fire now. */
    public synchronized List<String> enabledEvents(@Nullable String actor,
                                                   @Nullable Collection<String> roles) {
        String r = Values.roles(roles);
        StringBuilder sb = new StringBuilder();
        h().enabled_events(actor, r, sb);
        List<String> out = new ArrayList<>();
        for (String e : sb.toString().split("\n")) {
            if (!e.isEmpty()) {
                out.add(e);
            }
        }
        return out;
    }

    /** A variable: Boolean, Long, BigDecimal, LocalDate, String, or null when unset. */
    public synchronized Object variable(String name) {
        Objects.requireNonNull(name, "name");
        param_value pv = h().var(name);
        try {
            return Values.value(pv);
        } finally {
            pv.delete();
        }
    }

    public synchronized boolean finished() {
        return h().finished() != 0;
    }

    /** The outcome of the final state reached, or null. */
    public synchronized String outcome() {
        return h().outcome();
    }

    /** Every term of the definition, in document order, with its status. */
    public synchronized List<Term> terms() {
        instance h = h();
        List<Term> out = new ArrayList<>();
        for (long i = 0; i < h.term_count(); i++) {
            term_info t = h.term_at(i);
            try {
                out.add(term(h, t));
            } finally {
                t.delete();
            }
        }
        return out;
    }

    /** One term by id ({@link NotFoundException} when there is none). */
    public synchronized Term term(String id) {
        Objects.requireNonNull(id, "id");
        instance h = h();
        term_info t = h.term_named(id);
        try {
            return term(h, t);
        } finally {
            t.delete();
        }
    }

    private static Term term(instance h, term_info t) {
        List<LocalDate[]> susp = new ArrayList<>();
        for (long k = 0; k < t.suspension_count(); k++) {
            susp.add(new LocalDate[] {Values.date(t.suspension_from(k)),
                                      Values.date(t.suspension_to(k))});
        }
        List<String> ext = new ArrayList<>();
        for (long k = 0; k < t.extension_count(); k++) {
            ext.add(t.extension(k));
        }
        boolean idle = t.getStatus() == term_status.TERM_IDLE;
        String explanation = "";
        if (!idle) {
            StringBuilder sb = new StringBuilder();
            try {
                h.term_explain(t.getId(), sb);
                explanation = sb.toString();
            } catch (RejectedException e) {
                explanation = "";
            }
        }
        return new Term(t.getId(), Definition.nz(t.getTitle()), Definition.nz(t.getBasis()),
                        core.term_status_name(t.getStatus()), Values.date(t.getTrigger()),
                        idle ? "" : t.term_length(), Values.date(t.getFirst_day()),
                        Values.date(t.getNominal_end()), Values.date(t.getEnd()), susp, ext,
                        explanation, t.getParty());
    }

    /** The earliest last day among running terms. */
    public synchronized Optional<Due> nextDue() {
        instance h = h();
        LocalDate d = Values.date(h.next_due());
        return d == null ? Optional.empty() : Optional.of(new Due(d, h.next_due_term()));
    }

    /**
     * The earliest last day among the running terms {@code party} must act on (e.g.
     * "bestuursorgaan"); {@code party} null: any term, as {@link #nextDue()}.
     */
    public synchronized Optional<Due> nextDue(@Nullable String party) {
        if (party == null) {
            return nextDue();
        }
        instance h = h();
        LocalDate d = Values.date(h.due_for(party));
        return d == null ? Optional.empty() : Optional.of(new Due(d, h.due_term_for(party)));
    }

    /** The effects of the last successful call (start, fire, advance), in order. */
    public synchronized List<Effect> effects() {
        instance h = h();
        long n = h.effect_count();
        if (n == 0) {
            return Collections.emptyList();
        }
        List<Effect> out = new ArrayList<>();
        for (long i = 0; i < n; i++) {
            effect e = h.effect_at(i);
            try {
                Map<String, Object> params = new LinkedHashMap<>();
                if (e.getKind() == effect_kind.EFFECT_SPAWN) {
                    for (long j = 0; j < e.getNparams(); j++) {
                        param_value pv = h.effect_param_at(i, j);
                        try {
                            params.put(pv.getName(), Values.value(pv));
                        } finally {
                            pv.delete();
                        }
                    }
                    out.add(new Effect("spawn", Values.date(e.getDate()), "", "",
                                       Definition.nz(e.getProcess()),
                                       Definition.nz(e.getRelation()), params));
                } else {
                    out.add(new Effect("notify", Values.date(e.getDate()),
                                       Definition.nz(e.getTo()), Definition.nz(e.getText()), "",
                                       "", params));
                }
            } finally {
                e.delete();
            }
        }
        return Collections.unmodifiableList(out);
    }

    /** The journal as a readable timeline. */
    public synchronized String timeline() {
        StringBuilder sb = new StringBuilder();
        h().timeline(sb);
        return sb.toString();
    }

    /** The case as snapshot XML (deterministic; see {@link #restore}). */
    public synchronized String snapshot() {
        StringBuilder sb = new StringBuilder();
        h().snapshot(sb);
        return sb.toString();
    }

    /**
     * The case in its compact binary form, for the host's own storage: the state
     * of the snapshot bound to the definition's hash, restored with
     * {@link #unpack} far faster than XML (the XML snapshot stays the exchange
     * format). Holds the journal when the case keeps one.
     */
    public synchronized byte[] pack() {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        h().pack(out);
        return out.toByteArray();
    }

    /** Free the case now (it is freed anyway once unreachable). */
    @Override
    public synchronized void close() {
        closed = true;
        cleanable.clean();
    }

    @Override
    public synchronized String toString() {
        if (closed) {
            return "Case[closed]";
        }
        return "Case[" + definition.id() + " " + date() + " "
            + (finished() ? "finished: " + outcome() : String.join(", ", activeStates())) + "]";
    }
}
