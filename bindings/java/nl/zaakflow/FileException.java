package nl.zaakflow;

/** ZF_EIO: a file cannot be read or written. */
public class FileException extends ZaakflowException {
    private static final long serialVersionUID = 1L;

    public FileException(int code, String message, String file, int line, int column) {
        super(code, message, file, line, column);
    }
}
