package nl.zaakflow;

/** One finding of the definition validator. */
public final class Diagnostic {
    private final boolean warning;
    private final String code;
    private final String check;
    private final String file;
    private final int line;
    private final int column;
    private final String message;

    Diagnostic(boolean warning, String code, String check, String file, int line, int column,
               String message) {
        this.warning = warning;
        this.code = code;
        this.check = check;
        this.file = file;
        this.line = line;
        this.column = column;
        this.message = message;
    }

    public boolean isWarning() {
        return warning;
    }

    /** e.g. "ZF_ESEMANTIC"; "" for warnings. */
    public String code() {
        return code;
    }

    /** e.g. "unknown-target". */
    public String check() {
        return check;
    }

    public String file() {
        return file;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }

    public String message() {
        return message;
    }

    @Override
    public String toString() {
        return file + ":" + line + ":" + column + ": " + (warning ? "warning" : "error") + ": "
            + message + " [" + (code.isEmpty() ? check : code) + "]";
    }
}
