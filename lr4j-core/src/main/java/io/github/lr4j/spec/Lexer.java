package io.github.lr4j.spec;

import java.util.ArrayList;
import java.util.List;

/** Splits a schedule expression into tokens; rejects anything outside the language with its column. */
final class Lexer {
    private static final String[] OPS = {"**", "//", "<=", ">=", "==", "!=", "(", ")", "[", "]", "{", "}", ",", "=", ":", "+", "-",
        "*", "/", "%", "<", ">", "."};

    /** Python 3's decimal literals, underscores removed: integers without leading zeros, point and exponent floats. */
    private static final java.util.regex.Pattern PYTHON_NUMBER = java.util.regex.Pattern.compile(
            "[1-9][0-9]*|0+|(?:[0-9]*\\.[0-9]+|[0-9]+\\.)(?:[eE][+-]?[0-9]+)?|[0-9]+[eE][+-]?[0-9]+");

    /** What Python's {@code float(str)} reads once stripped and its underscores removed (leading zeros allowed). */
    private static final java.util.regex.Pattern PYTHON_FLOAT = java.util.regex.Pattern.compile(
            "[+-]?(?:(?:[0-9]*\\.[0-9]+|[0-9]+\\.?)(?:[eE][+-]?[0-9]+)?|(?i:inf|infinity|nan))");

    /** Whether every '_' of {@code s} stands between two digits (PEP 515): {@code 1_000}, not {@code 1__0} or {@code 10_}. */
    private static boolean underscoresBetweenDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '_' && (i == 0 || i == s.length() - 1 || !Character.isDigit(s.charAt(i - 1))
                    || !Character.isDigit(s.charAt(i + 1)))) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code text} is a Python 3 number literal (linear time: no regex recursion on a 1 MB number). */
    static boolean isPythonNumber(String text) {
        return underscoresBetweenDigits(text) && PYTHON_NUMBER.matcher(text.replace("_", "")).matches();
    }

    /** Whether Python's {@code float()} reads {@code text} (already stripped and lower-cased). */
    static boolean isPythonFloat(String text) {
        return underscoresBetweenDigits(text) && PYTHON_FLOAT.matcher(text.replace("_", "")).matches();
    }

    private Lexer() {
    }

    /**
     * Python's escape at {@code src[at]} (a backslash) appended to {@code sb}; returns the index after it. An escape
     * Python does not know (such as {@code \\i}, which Python keeps as it is with a SyntaxWarning) is refused.
     */
    private static int escape(String src, int at, StringBuilder sb) {
        char e = src.charAt(at + 1);
        switch (e) {
            case '\\': case '\'': case '"': sb.append(e); return at + 2;
            case 'n': sb.append('\n'); return at + 2;
            case 't': sb.append('\t'); return at + 2;
            case 'r': sb.append('\r'); return at + 2;
            case 'a': sb.append('\u0007'); return at + 2;
            case 'b': sb.append('\b'); return at + 2;
            case 'f': sb.append('\f'); return at + 2;
            case 'v': sb.append('\u000b'); return at + 2;
            case '\n': return at + 2; // a backslash at the end of a line continues the string
            case 'x': return hex(src, at, 2, sb);
            case 'u': return hex(src, at, 4, sb);
            case 'U': return hex(src, at, 8, sb);
            default: break;
        }
        if (e >= '0' && e <= '7') {
            int j = at + 1;
            int v = 0;
            while (j < src.length() && j < at + 4 && src.charAt(j) >= '0' && src.charAt(j) <= '7') {
                v = 8 * v + (src.charAt(j) - '0');
                j++;
            }
            sb.appendCodePoint(v);
            return j;
        }
        throw new SpecException(at + 1, "unknown escape '\\" + e + "' in a string (Python keeps it as it is, with a"
                + " SyntaxWarning; lr4j refuses it): write '\\\\" + e + "' for a backslash followed by '" + e + "'");
    }

    private static int hex(String src, int at, int digits, StringBuilder sb) {
        int start = at + 2;
        if (start + digits > src.length() || !src.substring(start, start + digits).matches("[0-9A-Fa-f]+")) {
            throw new SpecException(at + 1, "escape '\\" + src.charAt(at + 1) + "' needs " + digits
                    + " hexadecimal digits after it");
        }
        int cp = (int) Long.parseLong(src.substring(start, start + digits), 16);
        if (!Character.isValidCodePoint(cp)) {
            throw new SpecException(at + 1, "escape '\\" + src.charAt(at + 1) + src.substring(start, start + digits)
                    + "' is not a Unicode character");
        }
        sb.appendCodePoint(cp);
        return start + digits;
    }

    static List<Token> tokens(String src) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        int len = src.length();
        while (i < len) {
            char c = src.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            int col = i + 1;
            if (Character.isDigit(c) || (c == '.' && i + 1 < len && Character.isDigit(src.charAt(i + 1)))) {
                int j = i;
                while (j < len && (Character.isDigit(src.charAt(j)) || src.charAt(j) == '.' || src.charAt(j) == '_')) {
                    j++;
                }
                if (j < len && (src.charAt(j) == 'e' || src.charAt(j) == 'E')) {
                    int k = j + 1;
                    if (k < len && (src.charAt(k) == '+' || src.charAt(k) == '-')) {
                        k++;
                    }
                    if (k < len && Character.isDigit(src.charAt(k))) {
                        while (k < len && Character.isDigit(src.charAt(k))) {
                            k++;
                        }
                        j = k;
                    }
                }
                String text = src.substring(i, j);
                if (!isPythonNumber(text)) {
                    throw new SpecException(col, "malformed number '" + text + "' (Python refuses it too: digits may be"
                            + " grouped by single underscores between digits, e.g. 1_000, and a whole number has no leading"
                            + " zeros)");
                }
                out.add(new Token(Token.Kind.NUMBER, text.replace("_", ""), col));
                i = j;
            } else if (Character.isLetter(c) || c == '_') {
                int j = i;
                while (j < len && (Character.isLetterOrDigit(src.charAt(j)) || src.charAt(j) == '_')) {
                    j++;
                }
                out.add(new Token(Token.Kind.NAME, src.substring(i, j), col));
                i = j;
            } else if (c == '\'' || c == '"') {
                int j = i + 1;
                StringBuilder sb = new StringBuilder();
                while (j < len && src.charAt(j) != c) {
                    if (src.charAt(j) == '\\' && j + 1 < len) {
                        j = escape(src, j, sb);
                        continue;
                    }
                    sb.append(src.charAt(j));
                    j++;
                }
                if (j >= len) {
                    throw new SpecException(col, "string is not closed: expected " + c + " before the end of the expression");
                }
                out.add(new Token(Token.Kind.STRING, sb.toString(), col));
                i = j + 1;
            } else {
                String op = null;
                for (String o : OPS) {
                    if (src.startsWith(o, i)) {
                        op = o;
                        break;
                    }
                }
                if (op == null) {
                    throw new SpecException(col, "unexpected character '" + c + "'");
                }
                out.add(new Token(Token.Kind.OP, op, col));
                i += op.length();
            }
        }
        out.add(new Token(Token.Kind.END, "", len + 1));
        return out;
    }
}
