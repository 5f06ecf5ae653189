package nl.zaakflow;

/**
 * A failure reported by the zaakflow library: one subclass per error code of
 * {@code ZF_ERROR_MAP} (include/zaakflow/error.h). Unchecked. A failing call
 * changes nothing: a case is exactly as it was before.
 */
public class ZaakflowException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int code;
    private final String file;
    private final int line;
    private final int column;
    private final String detail;
    private transient java.util.List<Diagnostic> diagnostics = java.util.Collections.emptyList();

    public ZaakflowException(int code, String message, String file, int line, int column) {
        super(format(code, message, file, line, column));
        this.code = code;
        this.detail = message;
        this.file = file == null ? "" : file;
        this.line = line;
        this.column = column;
    }

    /** The numeric code, e.g. -6 for ZF_ENOTFOUND. */
    public int code() {
        return code;
    }

    /** The symbolic code, e.g. "ZF_ENOTFOUND". */
    public String codeName() {
        return codeName(code);
    }

    /** The one-line message without location or code. */
    public String detail() {
        return detail;
    }

    /** The definition file ("" when not about a file). */
    public String file() {
        return file;
    }

    /** 1-based line in {@link #file()}, 0 when unknown. */
    public int line() {
        return line;
    }

    /** 1-based column, 0 when unknown. */
    public int column() {
        return column;
    }

    /** For a definition that failed to load: every finding of the validator. */
    public java.util.List<Diagnostic> diagnostics() {
        return diagnostics;
    }

    ZaakflowException withDiagnostics(java.util.List<Diagnostic> d) {
        diagnostics = d;
        return this;
    }

    static String codeName(int code) {
        switch (code) {
        case -1: return "ZF_ENOMEM";
        case -2: return "ZF_EINVAL";
        case -3: return "ZF_EPARSE";
        case -4: return "ZF_ESCHEMA";
        case -5: return "ZF_ESEMANTIC";
        case -6: return "ZF_ENOTFOUND";
        case -7: return "ZF_EREJECTED";
        case -8: return "ZF_ESNAPSHOT";
        case -9: return "ZF_ERANGE";
        case -10: return "ZF_EIO";
        case -11: return "ZF_EFORBIDDEN";
        case -12: return "ZF_EEVAL";
        case -13: return "ZF_ELIMIT";
        case -14: return "ZF_ECONFLICT";
        case -15: return "ZF_EDATABASE";
        default: return "ZF_E" + code;
        }
    }

    private static String format(int code, String message, String file, int line, int column) {
        StringBuilder sb = new StringBuilder();
        if (file != null && !file.isEmpty()) {
            sb.append(file);
            if (line > 0) {
                sb.append(':').append(line);
                if (column > 0) {
                    sb.append(':').append(column);
                }
            }
            sb.append(": ");
        } else if (line > 0) {
            sb.append("line ").append(line).append(": ");
        }
        return sb.append(message).append(" [").append(codeName(code)).append(']').toString();
    }

    /** Called from C (zfj_throw) to make the exception for a zf_error. */
    static ZaakflowException fromNative(int code, String message, String file, int line,
                                        int column) {
        switch (code) {
        case -1: return new OutOfMemoryException(code, message, file, line, column);
        case -2: return new InvalidArgumentException(code, message, file, line, column);
        case -3: return new ParseException(code, message, file, line, column);
        case -4: return new SchemaException(code, message, file, line, column);
        case -5: return new ValidationException(code, message, file, line, column);
        case -6: return new NotFoundException(code, message, file, line, column);
        case -7: return new RejectedException(code, message, file, line, column);
        case -8: return new SnapshotException(code, message, file, line, column);
        case -9: return new RangeException(code, message, file, line, column);
        case -10: return new FileException(code, message, file, line, column);
        case -11: return new ForbiddenException(code, message, file, line, column);
        case -12: return new EvaluationException(code, message, file, line, column);
        case -13: return new LimitException(code, message, file, line, column);
        case -14: return new ConflictException(code, message, file, line, column);
        case -15: return new DatabaseException(code, message, file, line, column);
        default: return new ZaakflowException(code, message, file, line, column);
        }
    }

    static ZaakflowException invalid(String message) {
        return new InvalidArgumentException(-2, message, "", 0, 0);
    }
}
