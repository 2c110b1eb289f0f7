package io.github.lr4j.spec;

import java.util.ArrayList;
import java.util.List;

/** Splits a schedule expression into tokens; rejects anything outside the language with its column. */
final class Lexer {
    private static final String[] OPS = {"**", "//", "<=", ">=", "==", "!=", "(", ")", "[", "]", "{", "}", ",", "=", ":", "+", "-",
        "*", "/", "%", "<", ">", "."};

    private Lexer() {
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
                out.add(new Token(Token.Kind.NUMBER, src.substring(i, j).replace("_", ""), col));
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
                        j++;
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
