package nl.zaakflow;

import java.time.LocalDate;
import java.util.Collections;
import java.util.List;

/** A term (deadline) of a case. */
public final class Term {
    private final String id;
    private final String title;
    private final String basis;
    private final String status;
    private final LocalDate trigger;
    private final String length;
    private final LocalDate firstDay;
    private final LocalDate nominalEnd;
    private final LocalDate end;
    private final List<LocalDate[]> suspensions;
    private final List<String> extensions;
    private final String explanation;
    private final String party;

    Term(String id, String title, String basis, String status, LocalDate trigger, String length,
         LocalDate firstDay, LocalDate nominalEnd, LocalDate end, List<LocalDate[]> suspensions,
         List<String> extensions, String explanation, String party) {
        this.id = id;
        this.title = title;
        this.basis = basis;
        this.status = status;
        this.trigger = trigger;
        this.length = length;
        this.firstDay = firstDay;
        this.nominalEnd = nominalEnd;
        this.end = end;
        this.suspensions = Collections.unmodifiableList(suspensions);
        this.extensions = Collections.unmodifiableList(extensions);
        this.explanation = explanation;
        this.party = party;
    }

    public String id() {
        return id;
    }

    public String title() {
        return title;
    }

    /** The legal basis, e.g. "Awb 7:10 lid 1". */
    public String basis() {
        return basis;
    }

    /** idle, running, suspended, stopped or expired. */
    public String status() {
        return status;
    }

    /** The day that started it (null when idle). */
    public LocalDate trigger() {
        return trigger;
    }

    /** e.g. "6w" ("" when idle). */
    public String length() {
        return length;
    }

    public LocalDate firstDay() {
        return firstDay;
    }

    public LocalDate nominalEnd() {
        return nominalEnd;
    }

    /** The last day on which the act is in time (null when idle). */
    public LocalDate end() {
        return end;
    }

    /** (from, to) pairs; `to` is null while suspended. */
    public List<LocalDate[]> suspensions() {
        return suspensions;
    }

    public List<String> extensions() {
        return extensions;
    }

    /** The computation of {@link #end()} in words ("" when idle). */
    public String explanation() {
        return explanation;
    }

    /**
     * Who must act before the last day: "bestuursorgaan", "belanghebbende", "partijen",
     * "rechter" or "toezichthouder"; null when the definition does not say.
     */
    public String party() {
        return party;
    }

    @Override
    public String toString() {
        return "Term[" + id + " " + status + (end != null ? " until " + end : "") + "]";
    }
}
