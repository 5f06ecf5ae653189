package nl.zaakflow;

/** ZF_EEVAL: an expression cannot be evaluated. */
public class EvaluationException extends ZaakflowException {
    private static final long serialVersionUID = 1L;

    public EvaluationException(int code, String message, String file, int line, int column) {
        super(code, message, file, line, column);
    }
}
