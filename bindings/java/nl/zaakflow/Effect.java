package nl.zaakflow;

import java.time.LocalDate;
import java.util.Collections;
import java.util.Map;

/** Something the host must do after a call: notify someone or start a related case. */
public final class Effect {
    private final String kind;
    private final LocalDate date;
    private final String to;
    private final String text;
    private final String process;
    private final String relation;
    private final Map<String, Object> params;

    Effect(String kind, LocalDate date, String to, String text, String process, String relation,
           Map<String, Object> params) {
        this.kind = kind;
        this.date = date;
        this.to = to;
        this.text = text;
        this.process = process;
        this.relation = relation;
        this.params = Collections.unmodifiableMap(params);
    }

    /** "notify" or "spawn". */
    public String kind() {
        return kind;
    }

    /** The date of the event that caused it. */
    public LocalDate date() {
        return date;
    }

    /** notify: the addressee. */
    public String to() {
        return to;
    }

    /** notify: the notice. */
    public String text() {
        return text;
    }

    /** spawn: the process id. */
    public String process() {
        return process;
    }

    /** spawn: "vervolg" or "deelzaak". */
    public String relation() {
        return relation;
    }

    /** spawn: the evaluated parameters, in order. */
    public Map<String, Object> params() {
        return params;
    }

    @Override
    public String toString() {
        return "spawn".equals(kind)
            ? "Effect[spawn " + process + " (" + relation + ") " + date + " " + params + "]"
            : "Effect[notify " + to + " " + date + ": " + text + "]";
    }
}
