package io.github.lr4j.peers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a golden case's {@code scheduler} expression, a Python call such as
 * {@code timm.CosineLRScheduler(optimizer, t_initial=10, noise_range_t=[5, 15])}: the callee, the positional
 * arguments (with {@code optimizer} kept as the string "optimizer") and the keyword arguments. Values are Long,
 * Double, String, Boolean, null, List (for lists and tuples) and Map (for dicts).
 */
record PyCall(String callee, List<Object> args, Map<String, Object> kwargs) {

    static PyCall parse(String text) {
        Reader r = new Reader(text);
        PyCall call = r.call();
        r.skipSpace();
        if (r.pos != text.length()) {
            throw new IllegalArgumentException("trailing text at " + r.pos + " in " + text);
        }
        return call;
    }

    private static final class Reader {
        private final String s;
        private int pos;

        Reader(String s) {
            this.s = s;
        }

        PyCall call() {
            String callee = name();
            expect('(');
            List<Object> args = new ArrayList<>();
            Map<String, Object> kwargs = new LinkedHashMap<>();
            while (!peek(')')) {
                int start = pos;
                skipSpace();
                if (Character.isLetter(s.charAt(pos))) {
                    String word = name();
                    skipSpace();
                    if (s.charAt(pos) == '=') {
                        pos++;
                        kwargs.put(word, value());
                    } else if (word.equals("optimizer")) {
                        args.add(word);
                    } else {
                        pos = start;
                        args.add(value());
                    }
                } else {
                    args.add(value());
                }
                if (!peek(')')) {
                    expect(',');
                }
            }
            expect(')');
            return new PyCall(callee, args, kwargs);
        }

        Object value() {
            skipSpace();
            char c = s.charAt(pos);
            if (c == '\'' || c == '"') {
                int end = s.indexOf(c, pos + 1);
                String v = s.substring(pos + 1, end);
                pos = end + 1;
                return v;
            }
            if (c == '[' || c == '(') {
                char close = c == '[' ? ']' : ')';
                pos++;
                List<Object> out = new ArrayList<>();
                while (!peek(close)) {
                    out.add(value());
                    if (!peek(close)) {
                        expect(',');
                    }
                }
                expect(close);
                return out;
            }
            if (c == '{') {
                pos++;
                Map<String, Object> out = new LinkedHashMap<>();
                while (!peek('}')) {
                    String key = (String) value();
                    expect(':');
                    out.put(key, value());
                    if (!peek('}')) {
                        expect(',');
                    }
                }
                expect('}');
                return out;
            }
            if (Character.isLetter(c)) {
                String word = name();
                switch (word) {
                    case "True": return true;
                    case "False": return false;
                    case "None": return null;
                    default: throw new IllegalArgumentException("unknown name " + word + " in " + s);
                }
            }
            int start = pos;
            while (pos < s.length() && "+-0123456789.eE".indexOf(s.charAt(pos)) >= 0) {
                pos++;
            }
            String number = s.substring(start, pos);
            return number.matches("-?\\d+") ? (Object) Long.parseLong(number) : (Object) Double.parseDouble(number);
        }

        String name() {
            skipSpace();
            int start = pos;
            while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_' || s.charAt(pos) == '.')) {
                pos++;
            }
            return s.substring(start, pos);
        }

        boolean peek(char c) {
            skipSpace();
            return pos < s.length() && s.charAt(pos) == c;
        }

        void expect(char c) {
            if (!peek(c)) {
                throw new IllegalArgumentException("expected '" + c + "' at " + pos + " in " + s);
            }
            pos++;
        }

        void skipSpace() {
            while (pos < s.length() && s.charAt(pos) == ' ') {
                pos++;
            }
        }
    }
}
