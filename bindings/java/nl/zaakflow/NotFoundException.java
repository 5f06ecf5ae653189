package nl.zaakflow;

/** ZF_ENOTFOUND: no such state, event, term, variable or role. */
public class NotFoundException extends ZaakflowException {
    private static final long serialVersionUID = 1L;

    public NotFoundException(int code, String message, String file, int line, int column) {
        super(code, message, file, line, column);
    }
}
