package io.github.lr4j.spec;

import java.util.List;

/** The syntax tree of a schedule expression. Every node knows its column, for error messages. */
public sealed interface Expr {
    int column();

    /** A number literal; {@code integer} when written without a point or exponent (Python int). */
    record Num(int column, double value, boolean integer) implements Expr { }

    record Str(int column, String value) implements Expr { }

    /** True, False or None. */
    record Const(int column, Object value) implements Expr { }

    record Name(int column, String name) implements Expr { }

    /** {@code target.name}, e.g. {@code math.pi}. */
    record Attr(int column, Expr target, String name) implements Expr { }

    record ListLit(int column, List<Expr> items) implements Expr { }

    /** {@code {'name': value, ...}}: keyword arguments passed on as a whole (Hugging Face's scheduler_specific_kwargs). */
    record DictLit(int column, List<Keyword> entries) implements Expr { }

    /** A keyword argument {@code name=value}. */
    record Keyword(int column, String name, Expr value) implements Expr { }

    /** {@code callee(args..., name=value...)}. */
    record Call(int column, Expr callee, List<Expr> args, List<Keyword> keywords) implements Expr { }

    /** {@code lambda params: body}, with its source text so it can be printed and saved. */
    record Lambda(int column, List<String> params, Expr body, String source) implements Expr { }

    record Unary(int column, String op, Expr operand) implements Expr { }

    record Binary(int column, String op, Expr left, Expr right) implements Expr { }

    /** {@code body if test else orElse}. */
    record IfElse(int column, Expr body, Expr test, Expr orElse) implements Expr { }
}
