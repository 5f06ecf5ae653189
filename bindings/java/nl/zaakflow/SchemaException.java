package nl.zaakflow;

/** ZF_ESCHEMA: the definition violates the schema (schemas/process.xsd). */
public class SchemaException extends ZaakflowException {
    private static final long serialVersionUID = 1L;

    public SchemaException(int code, String message, String file, int line, int column) {
        super(code, message, file, line, column);
    }
}
