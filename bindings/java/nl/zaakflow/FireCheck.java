package nl.zaakflow;

/**
 * What {@link Case#canFire} found: whether {@code fire()} with the same arguments
 * would take the event now, and if not, the exception it would throw.
 */
public final class FireCheck {
    private final ZaakflowException reason;

    FireCheck(ZaakflowException reason) {
        this.reason = reason;
    }

    /** True when fire() would take the event. */
    public boolean allowed() {
        return reason == null;
    }

    /** The exception fire() would throw (code, message), or null when allowed. */
    public ZaakflowException reason() {
        return reason;
    }

    @Override
    public String toString() {
        return allowed() ? "FireCheck[allowed]" : "FireCheck[" + reason.getMessage() + "]";
    }
}
