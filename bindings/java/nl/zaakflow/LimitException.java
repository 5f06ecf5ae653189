package nl.zaakflow;

/** ZF_ELIMIT: a limit was exceeded. */
public class LimitException extends ZaakflowException {
    private static final long serialVersionUID = 1L;

    public LimitException(int code, String message, String file, int line, int column) {
        super(code, message, file, line, column);
    }
}
