package nl.zaakflow;

/** ZF_ESNAPSHOT: the snapshot does not fit the definition. */
public class SnapshotException extends ZaakflowException {
    private static final long serialVersionUID = 1L;

    public SnapshotException(int code, String message, String file, int line, int column) {
        super(code, message, file, line, column);
    }
}
