package nl.zaakflow;

import java.util.Collections;
import java.util.List;

/** An event of a definition with what fire() needs: see {@link Definition#event(String)}. */
public final class Event {
    /** The kind of an event; only EXTERNAL events are fired by the host. */
    public enum Kind {
        /** Declared in the definition's events, fired with Case.fire(). */
        EXTERNAL,
        /** Declared internal: raised by the process itself. */
        INTERNAL,
        /** Implicit expired.&lt;term&gt;: a term expired. */
        EXPIRY,
        /** Implicit done.state.&lt;id&gt;: a state reached its final state. */
        DONE
    }

    private final String name;
    private final Kind kind;
    private final String title;
    private final String basis;
    private final List<String> roles;
    private final List<Parameter> parameters;
    private final int line;

    Event(String name, Kind kind, String title, String basis, List<String> roles,
          List<Parameter> parameters, int line) {
        this.name = name;
        this.kind = kind;
        this.title = title;
        this.basis = basis;
        this.roles = Collections.unmodifiableList(roles);
        this.parameters = Collections.unmodifiableList(parameters);
        this.line = line;
    }

    public String name() {
        return name;
    }

    public Kind kind() {
        return kind;
    }

    /** Raised by the engine itself (expired.*, done.state.*). */
    public boolean implicit() {
        return kind == Kind.EXPIRY || kind == Kind.DONE;
    }

    public String title() {
        return title;
    }

    /** The legal basis, "" when none. */
    public String basis() {
        return basis;
    }

    /** Roles that may fire it; empty: anyone (a transition may still require one). */
    public List<String> roles() {
        return roles;
    }

    /** Parameters in declaration order. */
    public List<Parameter> parameters() {
        return parameters;
    }

    /** Where it is declared (an implicit event: its term or state). */
    public int line() {
        return line;
    }

    @Override
    public String toString() {
        return "Event[" + name + " " + kind + " roles=" + roles + " " + parameters + "]";
    }
}
