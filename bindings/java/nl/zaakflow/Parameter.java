package nl.zaakflow;

import java.util.Collections;
import java.util.List;

/** A parameter of an event: see {@link Definition#event(String)}. */
public final class Parameter {
    private final String name;
    private final String type;
    private final boolean required;
    private final String enumeration;
    private final List<String> values;

    Parameter(String name, String type, boolean required, String enumeration,
              List<String> values) {
        this.name = name;
        this.type = type;
        this.required = required;
        this.enumeration = enumeration;
        this.values = Collections.unmodifiableList(values);
    }

    public String name() {
        return name;
    }

    /** bool, int, money, date, duration, string or enum. */
    public String type() {
        return type;
    }

    /** Whether fire() refuses the event without it. */
    public boolean required() {
        return required;
    }

    /** For type "enum": the enumeration's id; else null. */
    public String enumeration() {
        return enumeration;
    }

    /** For type "enum": its values in declaration order; else empty. */
    public List<String> values() {
        return values;
    }

    @Override
    public String toString() {
        return "Parameter[" + name + " " + (enumeration != null ? enumeration : type)
            + (required ? " required" : "") + "]";
    }
}
