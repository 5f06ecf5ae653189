package nl.zaakflow;

/** ZF_ESEMANTIC: the definition is inconsistent (a semantic check failed). */
public class ValidationException extends ZaakflowException {
    private static final long serialVersionUID = 1L;

    public ValidationException(int code, String message, String file, int line, int column) {
        super(code, message, file, line, column);
    }
}
