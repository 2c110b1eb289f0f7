package io.github.lr4j.spec;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses the schedule language: Python expression syntax for constructor calls (keyword and
 * positional arguments, numbers, strings, True/False/None, lists, nested calls) and for small
 * lambdas ({@code lambda epoch: 0.95 ** epoch}). The height of the syntax tree is limited so that
 * hostile input fails with a {@link SpecException}, never with a stack overflow: nesting counts one
 * level per bracket, call or unary operator, and a flat chain such as {@code 1 + 1 + ... + 1} (a
 * left-leaning tree as deep as it is long) one level per operator.
 */
public final class Parser {
    static final int MAX_DEPTH = 100;

    private final String src;
    private final List<Token> tokens;
    private int pos;
    private int depth;

    private Parser(String src) {
        this.src = src;
        this.tokens = Lexer.tokens(src);
    }

    /** Parses one whole expression. */
    public static Expr parse(String src) {
        if (src == null || src.isBlank()) {
            throw new SpecException(1, "expected a schedule expression such as StepLR(step_size=30), got nothing");
        }
        Parser p = new Parser(src);
        Expr e = p.expression();
        Token t = p.peek();
        if (t.kind() != Token.Kind.END) {
            throw new SpecException(t.column(), "expected the end of the expression but found " + t.describe());
        }
        return e;
    }

    private Token peek() {
        return tokens.get(pos);
    }

    private Token next() {
        return tokens.get(pos++);
    }

    private boolean accept(String op) {
        if (peek().is(op) && peek().kind() != Token.Kind.STRING) {
            pos++;
            return true;
        }
        return false;
    }

    private Token expect(String op) {
        Token t = peek();
        if (!t.is(op) || t.kind() == Token.Kind.STRING) {
            throw new SpecException(t.column(), "expected '" + op + "' but found " + t.describe());
        }
        return next();
    }

    private void enter() {
        if (++depth > MAX_DEPTH) {
            throw new SpecException(peek().column(), "expression nested more than " + MAX_DEPTH + " levels deep");
        }
    }

    /**
     * One more link of a flat chain ({@code a + b + c}, {@code f(x)(y)}, {@code a.b.c}): each makes the tree one level
     * deeper, so it counts against the same limit; the caller gives the levels back when the chain ends.
     */
    private void link(Token at) {
        if (++depth > MAX_DEPTH) {
            throw new SpecException(at.column(), "expression too deep: more than " + MAX_DEPTH + " levels of nesting and"
                    + " chained operators (each operator of a chain such as 1 + 1 + ... + 1 counts as a level)");
        }
    }

    private Expr expression() {
        enter();
        try {
            if (peek().kind() == Token.Kind.NAME && peek().text().equals("lambda")) {
                return lambda();
            }
            Expr body = or();
            if (peek().kind() == Token.Kind.NAME && peek().text().equals("if")) {
                next();
                Expr test = or();
                Token t = peek();
                if (!(t.kind() == Token.Kind.NAME && t.text().equals("else"))) {
                    throw new SpecException(t.column(), "expected 'else' but found " + t.describe());
                }
                next();
                Expr orElse = expression();
                return new Expr.IfElse(body.column(), body, test, orElse);
            }
            return body;
        } finally {
            depth--;
        }
    }

    private Expr lambda() {
        Token start = next();
        List<String> params = new ArrayList<>();
        while (!peek().is(":")) {
            Token name = peek();
            if (name.kind() != Token.Kind.NAME) {
                throw new SpecException(name.column(), "expected a parameter name or ':' but found " + name.describe());
            }
            params.add(next().text());
            if (!peek().is(":")) {
                expect(",");
            }
        }
        expect(":");
        Expr body = expression();
        int end = peek().column() - 1;
        String source = src.substring(start.column() - 1, Math.min(end, src.length())).strip();
        return new Expr.Lambda(start.column(), params, body, source);
    }

    private boolean keyword(String word) {
        Token t = peek();
        if (t.kind() == Token.Kind.NAME && t.text().equals(word)) {
            pos++;
            return true;
        }
        return false;
    }

    private Expr or() {
        Expr left = and();
        int links = 0;
        try {
            while (true) {
                Token t = peek();
                if (!keyword("or")) {
                    return left;
                }
                link(t);
                links++;
                left = new Expr.Binary(t.column(), "or", left, and());
            }
        } finally {
            depth -= links;
        }
    }

    private Expr and() {
        Expr left = not();
        int links = 0;
        try {
            while (true) {
                Token t = peek();
                if (!keyword("and")) {
                    return left;
                }
                link(t);
                links++;
                left = new Expr.Binary(t.column(), "and", left, not());
            }
        } finally {
            depth -= links;
        }
    }

    private Expr not() {
        int col = peek().column();
        if (keyword("not")) {
            enter();
            try {
                return new Expr.Unary(col, "not", not());
            } finally {
                depth--;
            }
        }
        return comparison();
    }

    private Expr comparison() {
        Expr left = arith();
        int links = 0;
        try {
            while (true) {
                Token t = peek();
                if (t.kind() == Token.Kind.OP && (t.is("<") || t.is(">") || t.is("<=") || t.is(">=") || t.is("==") || t.is("!="))) {
                    next();
                    link(t);
                    links++;
                    left = new Expr.Binary(t.column(), t.text(), left, arith());
                } else {
                    return left;
                }
            }
        } finally {
            depth -= links;
        }
    }

    private Expr arith() {
        Expr left = term();
        int links = 0;
        try {
            while (true) {
                Token t = peek();
                if (t.kind() == Token.Kind.OP && (t.is("+") || t.is("-"))) {
                    next();
                    link(t);
                    links++;
                    left = new Expr.Binary(t.column(), t.text(), left, term());
                } else {
                    return left;
                }
            }
        } finally {
            depth -= links;
        }
    }

    private Expr term() {
        Expr left = factor();
        int links = 0;
        try {
            while (true) {
                Token t = peek();
                if (t.kind() == Token.Kind.OP && (t.is("*") || t.is("/") || t.is("//") || t.is("%"))) {
                    next();
                    link(t);
                    links++;
                    left = new Expr.Binary(t.column(), t.text(), left, factor());
                } else {
                    return left;
                }
            }
        } finally {
            depth -= links;
        }
    }

    private Expr factor() {
        Token t = peek();
        if (t.kind() == Token.Kind.OP && (t.is("-") || t.is("+"))) {
            next();
            enter();
            try {
                return new Expr.Unary(t.column(), t.text(), factor());
            } finally {
                depth--;
            }
        }
        return power();
    }

    private Expr power() {
        Expr base = primary();
        Token t = peek();
        if (t.kind() == Token.Kind.OP && t.is("**")) {
            next();
            enter();
            try {
                return new Expr.Binary(t.column(), "**", base, factor());
            } finally {
                depth--;
            }
        }
        return base;
    }

    private Expr primary() {
        Expr e = atom();
        int links = 0;
        try {
            while (true) {
                Token t = peek();
                if (t.kind() == Token.Kind.OP && t.is("(")) {
                    next();
                    if (links > 0 || !(e instanceof Expr.Name)) { // f(x) is one level (call's own), f(x)(y) one more
                        link(t);
                        links++;
                    }
                    e = call(e, e.column());
                } else if (t.kind() == Token.Kind.OP && t.is(".")) {
                    next();
                    link(t);
                    links++;
                    Token name = next();
                    if (name.kind() != Token.Kind.NAME) {
                        throw new SpecException(name.column(), "expected a name after '.' but found " + name.describe());
                    }
                    e = new Expr.Attr(e.column(), e, name.text());
                } else {
                    return e;
                }
            }
        } finally {
            depth -= links;
        }
    }

    private Expr call(Expr callee, int column) {
        enter();
        try {
            List<Expr> args = new ArrayList<>();
            List<Expr.Keyword> keywords = new ArrayList<>();
            while (!peek().is(")") || peek().kind() == Token.Kind.STRING) {
                Token t = peek();
                if (t.kind() == Token.Kind.NAME && tokens.get(pos + 1).is("=") && tokens.get(pos + 1).kind() == Token.Kind.OP) {
                    next();
                    next();
                    for (Expr.Keyword k : keywords) {
                        if (k.name().equals(t.text())) {
                            throw new SpecException(t.column(), "keyword argument " + t.text() + " is given twice");
                        }
                    }
                    keywords.add(new Expr.Keyword(t.column(), t.text(), expression()));
                } else {
                    if (t.kind() == Token.Kind.END) {
                        throw new SpecException(t.column(), "expected ')' but found the end of the expression");
                    }
                    boolean startsValue = t.kind() != Token.Kind.OP || t.is("(") || t.is("[") || t.is("-") || t.is("+");
                    if (!startsValue) {
                        throw new SpecException(t.column(), "expected an argument or ')' but found " + t.describe());
                    }
                    if (!keywords.isEmpty()) {
                        throw new SpecException(t.column(), "expected a keyword argument (name=value): positional arguments"
                                + " must come before keyword arguments");
                    }
                    args.add(expression());
                }
                if (!peek().is(")")) {
                    expect(",");
                }
            }
            expect(")");
            return new Expr.Call(column, callee, args, keywords);
        } finally {
            depth--;
        }
    }

    private Expr atom() {
        Token t = next();
        switch (t.kind()) {
            case NUMBER:
                try {
                    boolean integer = !t.text().contains(".") && !t.text().toLowerCase().contains("e");
                    return new Expr.Num(t.column(), Double.parseDouble(t.text()), integer);
                } catch (NumberFormatException e) {
                    throw new SpecException(t.column(), "malformed number '" + t.text() + "'");
                }
            case STRING:
                return new Expr.Str(t.column(), t.text());
            case NAME:
                switch (t.text()) {
                    case "True":
                        return new Expr.Const(t.column(), Boolean.TRUE);
                    case "False":
                        return new Expr.Const(t.column(), Boolean.FALSE);
                    case "None":
                        return new Expr.Const(t.column(), null);
                    case "lambda": case "if": case "else": case "and": case "or": case "not":
                        throw new SpecException(t.column(), "expected a value but found '" + t.text() + "'");
                    default:
                        return new Expr.Name(t.column(), t.text());
                }
            case OP:
                if (t.is("(")) {
                    enter();
                    try {
                        Expr first = expression();
                        if (accept(",")) {
                            List<Expr> items = new ArrayList<>();
                            items.add(first);
                            while (!peek().is(")")) {
                                items.add(expression());
                                if (!peek().is(")")) {
                                    expect(",");
                                }
                            }
                            expect(")");
                            return new Expr.ListLit(t.column(), items);
                        }
                        expect(")");
                        return first;
                    } finally {
                        depth--;
                    }
                }
                if (t.is("[")) {
                    enter();
                    try {
                        List<Expr> items = new ArrayList<>();
                        while (!peek().is("]") || peek().kind() == Token.Kind.STRING) {
                            if (peek().kind() == Token.Kind.END) {
                                throw new SpecException(peek().column(), "expected ']' but found the end of the expression");
                            }
                            items.add(expression());
                            if (!peek().is("]")) {
                                expect(",");
                            }
                        }
                        expect("]");
                        return new Expr.ListLit(t.column(), items);
                    } finally {
                        depth--;
                    }
                }
                if (t.is("{")) {
                    return dict(t);
                }
                throw new SpecException(t.column(), "expected a value but found " + t.describe());
            default:
                throw new SpecException(t.column(), "expected a value but found " + t.describe());
        }
    }

    /** {@code {'key': value, ...}}, keys are strings (Python's dict literal as Hugging Face users write it). */
    private Expr dict(Token open) {
        enter();
        try {
            List<Expr.Keyword> entries = new ArrayList<>();
            while (!peek().is("}") || peek().kind() == Token.Kind.STRING) {
                Token key = next();
                if (key.kind() != Token.Kind.STRING) {
                    throw new SpecException(key.column(), "expected a string key such as 'min_lr' but found " + key.describe());
                }
                for (Expr.Keyword e : entries) {
                    if (e.name().equals(key.text())) {
                        throw new SpecException(key.column(), "key '" + key.text() + "' appears twice");
                    }
                }
                expect(":");
                entries.add(new Expr.Keyword(key.column(), key.text(), expression()));
                if (!peek().is("}")) {
                    expect(",");
                }
            }
            expect("}");
            return new Expr.DictLit(open.column(), entries);
        } finally {
            depth--;
        }
    }
}
