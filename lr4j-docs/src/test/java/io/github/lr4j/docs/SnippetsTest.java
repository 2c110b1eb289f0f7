package io.github.lr4j.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Docs that cannot drift: every {@code ```java} block of the README and of {@code docs/*.md} is
 * compiled (with {@code -Werror}) against the lr4j modules, exactly as a user would paste it, and
 * run. A block is a complete snippet: its leading {@code import} lines are the imports, everything
 * after them is the body of a method that may throw. Local classes and records are allowed.
 */
class SnippetsTest {

    /** The README must keep showing Java: a test over zero snippets would pass vacuously. */
    private static final int MIN_README_SNIPPETS = 4;

    @TempDir
    static Path work;

    record Snippet(Path file, int line, String imports, String body) {
        String className() {
            String stem = file.getFileName().toString().replaceAll("[^A-Za-z0-9]", "_");
            return "Snippet_" + stem + "_L" + line;
        }

        String source() {
            return "package snippets;\n" + imports + "\npublic final class " + className() + " {\n"
                    + "    public static void run() throws Exception {\n" + body + "\n    }\n}\n";
        }

        @Override
        public String toString() {
            return root().relativize(file) + " line " + line;
        }
    }

    static Path root() {
        String configured = System.getProperty("lr4j.docs.root");
        return Path.of(configured != null ? configured : "..").toAbsolutePath().normalize();
    }

    static List<Path> documents() throws IOException {
        List<Path> out = new ArrayList<>();
        out.add(root().resolve("README.md"));
        Path docs = root().resolve("docs");
        if (Files.isDirectory(docs)) {
            try (Stream<Path> s = Files.walk(docs)) {
                out.addAll(s.filter(p -> p.toString().endsWith(".md")).sorted().collect(Collectors.toList()));
            }
        }
        return out;
    }

    /** The {@code ```java} blocks of one Markdown file, split into imports and body. */
    static List<Snippet> snippets(Path markdown) throws IOException {
        List<String> lines = Files.readAllLines(markdown, StandardCharsets.UTF_8);
        List<Snippet> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).strip().equals("```java")) {
                continue;
            }
            int start = i + 1;
            StringBuilder imports = new StringBuilder();
            StringBuilder body = new StringBuilder();
            boolean inImports = true;
            for (i = start; i < lines.size() && !lines.get(i).strip().equals("```"); i++) {
                String l = lines.get(i);
                if (inImports && (l.startsWith("import ") || l.isBlank())) {
                    imports.append(l).append('\n');
                } else {
                    inImports = false;
                    body.append("        ").append(l).append('\n');
                }
            }
            out.add(new Snippet(markdown, start, imports.toString(), body.toString()));
        }
        return out;
    }

    static List<Snippet> all() throws IOException {
        List<Snippet> out = new ArrayList<>();
        for (Path doc : documents()) {
            out.addAll(snippets(doc));
        }
        return out;
    }

    @Test
    void readme_showsJavaSnippets() throws IOException {
        assertThat(snippets(root().resolve("README.md"))).hasSizeGreaterThanOrEqualTo(MIN_README_SNIPPETS);
    }

    @TestFactory
    Stream<DynamicTest> everySnippet_compilesAndRuns() throws IOException {
        List<Snippet> snippets = all();
        return snippets.stream().map(s -> DynamicTest.dynamicTest(s.toString(), () -> compileAndRun(s)));
    }

    /** The Quick start prints the lr the restored scheduler holds (once it printed a scheduler built afterwards). */
    @Test
    void quickStart_printsTheRestoredLr() throws Exception {
        Snippet quickStart = snippets(root().resolve("README.md")).get(0);
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        java.io.PrintStream stdout = System.out;
        System.setOut(new java.io.PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            compileAndRun(quickStart);
        } finally {
            System.setOut(stdout);
        }
        io.github.lr4j.scheduler.LrScheduler expected = io.github.lr4j.scheduler.Schedulers.oneCycleLR(0.1, 0.01)
                .totalSteps(1000).attach(io.github.lr4j.groups.ParamGroups.withMomentum(
                        io.github.lr4j.groups.MomentumKind.MOMENTUM, new double[] {0.1, 0.01}, new double[] {0.9}));
        assertThat(printed.toString(StandardCharsets.UTF_8))
                .startsWith(String.format("lr now %.6f,", expected.lrAt(500, 0)));
    }

    private static void compileAndRun(Snippet s) throws Exception {
        Path dir = Files.createDirectories(work.resolve(s.className()));
        Path src = Files.createDirectories(dir.resolve("src/snippets")).resolve(s.className() + ".java");
        Files.writeString(src, s.source(), StandardCharsets.UTF_8);
        Path classes = Files.createDirectories(dir.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter diagnostics = new StringWriter();
        boolean ok = javac.getTask(diagnostics, null, null,
                List.of("-classpath", classpath(), "-d", classes.toString(), "-Xlint:all", "-Xlint:-processing",
                        "-Werror", "--release", "17"),
                null, javac.getStandardFileManager(null, null, StandardCharsets.UTF_8).getJavaFileObjects(src.toFile()))
                .call();
        assertThat(ok).as("%s does not compile:%n%s%n--- as compiled ---%n%s", s, diagnostics, s.source()).isTrue();

        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
                SnippetsTest.class.getClassLoader())) {
            Method run = loader.loadClass("snippets." + s.className()).getMethod("run");
            assertTimeoutPreemptively(Duration.ofMinutes(3), () -> {
                try {
                    run.invoke(null);
                } catch (InvocationTargetException e) {
                    throw new AssertionError(s + " compiles but fails when run: " + e.getCause(), e.getCause());
                }
            });
        }
    }

    /** Surefire runs tests from a manifest-only jar; the real test classpath is in this property. */
    private static String classpath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null ? cp : System.getProperty("java.class.path");
    }
}
