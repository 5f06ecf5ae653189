package nl.zaakflow;

/** ZF_EINVAL: an invalid argument, e.g. a date before the case date or a missing parameter. */
public class InvalidArgumentException extends ZaakflowException {
    private static final long serialVersionUID = 1L;

    public InvalidArgumentException(int code, String message, String file, int line, int column) {
        super(code, message, file, line, column);
    }
}
