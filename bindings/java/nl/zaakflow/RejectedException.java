package nl.zaakflow;

/** ZF_EREJECTED: the event is not allowed now. */
public class RejectedException extends ZaakflowException {
    private static final long serialVersionUID = 1L;

    public RejectedException(int code, String message, String file, int line, int column) {
        super(code, message, file, line, column);
    }
}
