package nl.zaakflow;

/** ZF_ECONFLICT: the case was changed by someone else since it was read
 * (its revision moved on); read it again and retry. Nothing was changed. */
public class ConflictException extends ZaakflowException {
    private static final long serialVersionUID = 1L;

    public ConflictException(int code, String message, String file, int line, int column) {
        super(code, message, file, line, column);
    }
}
