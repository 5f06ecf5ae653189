package nl.zaakflow;

/** ZF_EPARSE: malformed input: XML, a date, a duration. */
public class ParseException extends ZaakflowException {
    private static final long serialVersionUID = 1L;

    public ParseException(int code, String message, String file, int line, int column) {
        super(code, message, file, line, column);
    }
}
