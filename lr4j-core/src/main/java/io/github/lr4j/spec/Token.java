package io.github.lr4j.spec;

/** One token of the schedule language (a subset of Python's expression syntax). */
record Token(Kind kind, String text, int column) {
    enum Kind { NUMBER, STRING, NAME, OP, END }

    boolean is(String op) {
        return (kind == Kind.OP || kind == Kind.NAME) && text.equals(op);
    }

    String describe() {
        switch (kind) {
            case END:
                return "the end of the expression";
            case STRING:
                return "string " + text;
            default:
                return "'" + text + "'";
        }
    }
}
