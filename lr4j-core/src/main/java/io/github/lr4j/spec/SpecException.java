package io.github.lr4j.spec;

/**
 * A schedule expression that cannot be read or built. The message is one line that says where
 * (1-based column) and what was expected, e.g. {@code column 18: expected ')' but found ','}.
 */
public final class SpecException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final int column;

    public SpecException(int column, String message) {
        super(column > 0 ? "column " + column + ": " + message : message);
        this.column = column;
    }

    /** 1-based column of the problem in the expression; 0 for a schedule given as JSON. */
    public int column() {
        return column;
    }
}
