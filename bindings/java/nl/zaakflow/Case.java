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
 * nothing. Not thread-safe (one case, one thread at a time); cases of one
 * definition may run on different threads.
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
    public static Case start(Definition definition, LocalDate date, Map<String, ?> variables,
                             boolean journal) {
        Definition.Shared shared = definition.shared;
        nl.zaakflow.swig.definition d = shared.retain();
        param_list pl = null;
        try {
            pl = Values.params(variables);
            instance h = new instance(d, Values.day(date), pl, journal ? 1 : 0);
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
        Definition.Shared shared = definition.shared;
        nl.zaakflow.swig.definition d = shared.retain();
        try {
            return new Case(definition, core.instance_restore(d, xml, journal ? 1 : 0), shared);
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
    public List<Effect> fire(String event, LocalDate date, String actor,
                             Collection<String> roles, Map<String, ?> params) {
        instance h = h();
        param_list pl = Values.params(params);
        try {
            h.fire(event, Values.day(date), actor, Values.roles(roles), pl);
        } finally {
            if (pl != null) {
                pl.delete();
            }
        }
        return effects();
    }

    public List<Effect> fire(String event, LocalDate date, String actor, Collection<String> roles) {
        return fire(event, date, actor, roles, null);
    }

    /** `roles` as one string: "behandelaar" or "behandelaar jurist". */
    public List<Effect> fire(String event, LocalDate date, String actor, String roles,
                             Map<String, ?> params) {
        return fire(event, date, actor,
                    roles == null || roles.isEmpty() ? Collections.<String>emptyList()
                                                     : Arrays.asList(roles.trim().split("[ ,\t]+")),
                    params);
    }

    public List<Effect> fire(String event, LocalDate date, String actor, String roles) {
        return fire(event, date, actor, roles, null);
    }

    /** Let time pass up to `date`: terms whose last day is before it expire. */
    public List<Effect> advance(LocalDate date) {
        h().advance(Values.day(date));
        return effects();
    }

    // ---- reading the case

    /** The case date: the date of the last event or advance. */
    public LocalDate date() {
        return Values.date(h().date());
    }

    public List<String> activeStates() {
        instance h = h();
        List<String> out = new ArrayList<>();
        for (long i = 0; i < h.active_count(); i++) {
            out.add(h.active_id(i));
        }
        return out;
    }

    /** Whether `state` is active ({@link NotFoundException} when there is no such state). */
    public boolean isActive(String state) {
        return h().is_active(state) == 1;
    }

    /** The events `actor` with `roles` could fire now. */
    public List<String> enabledEvents(String actor, Collection<String> roles) {
        StringBuilder sb = new StringBuilder();
        h().enabled_events(actor, Values.roles(roles), sb);
        List<String> out = new ArrayList<>();
        for (String e : sb.toString().split("\n")) {
            if (!e.isEmpty()) {
                out.add(e);
            }
        }
        return out;
    }

    /** A variable: Boolean, Long, BigDecimal, LocalDate, String, or null when unset. */
    public Object variable(String name) {
        param_value pv = h().var(name);
        try {
            return Values.value(pv);
        } finally {
            pv.delete();
        }
    }

    public boolean finished() {
        return h().finished() != 0;
    }

    /** The outcome of the final state reached, or null. */
    public String outcome() {
        return h().outcome();
    }

    /** Every term of the definition, in document order, with its status. */
    public List<Term> terms() {
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
    public Term term(String id) {
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
                        explanation);
    }

    /** The earliest last day among running terms. */
    public Optional<Due> nextDue() {
        instance h = h();
        LocalDate d = Values.date(h.next_due());
        return d == null ? Optional.empty() : Optional.of(new Due(d, h.next_due_term()));
    }

    /** The effects of the last successful call (start, fire, advance), in order. */
    public List<Effect> effects() {
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
    public String timeline() {
        StringBuilder sb = new StringBuilder();
        h().timeline(sb);
        return sb.toString();
    }

    /** The case as snapshot XML (deterministic; see {@link #restore}). */
    public String snapshot() {
        StringBuilder sb = new StringBuilder();
        h().snapshot(sb);
        return sb.toString();
    }

    /** Free the case now (it is freed anyway once unreachable). */
    @Override
    public void close() {
        closed = true;
        cleanable.clean();
    }

    @Override
    public String toString() {
        if (closed) {
            return "Case[closed]";
        }
        return "Case[" + definition.id() + " " + date() + " "
            + (finished() ? "finished: " + outcome() : String.join(", ", activeStates())) + "]";
    }
}
