package nl.zaakflow;

/** ZF_ENOMEM: out of memory. */
public class OutOfMemoryException extends ZaakflowException {
    private static final long serialVersionUID = 1L;

    public OutOfMemoryException(int code, String message, String file, int line, int column) {
        super(code, message, file, line, column);
    }
}
