package nl.zaakflow;

/** ZF_EFORBIDDEN: the actor lacks the required role. */
public class ForbiddenException extends ZaakflowException {
    private static final long serialVersionUID = 1L;

    public ForbiddenException(int code, String message, String file, int line, int column) {
        super(code, message, file, line, column);
    }
}
