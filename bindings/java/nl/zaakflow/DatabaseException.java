package nl.zaakflow;

/** ZF_EDATABASE: the case store's database failed (connection, SQL,
 * schema version). */
public class DatabaseException extends ZaakflowException {
    private static final long serialVersionUID = 1L;

    public DatabaseException(int code, String message, String file, int line, int column) {
        super(code, message, file, line, column);
    }
}
