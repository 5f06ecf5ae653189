package nl.zaakflow;

/** ZF_ERANGE: a value out of range, such as 2026-02-30. */
public class RangeException extends ZaakflowException {
    private static final long serialVersionUID = 1L;

    public RangeException(int code, String message, String file, int line, int column) {
        super(code, message, file, line, column);
    }
}
