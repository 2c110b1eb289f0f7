package io.github.lr4j.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.xml.sax.InputSource;

/** The README's "Add it to your build" is a pom fragment a user pastes: it must build under any Maven 3. */
class ReadmeBuildTest {

    /** The first {@code ```xml} block after "## Add it to your build", wrapped in a project as a user's pom would. */
    static Document buildSnippet() throws Exception {
        List<String> lines = Files.readAllLines(SnippetsTest.root().resolve("README.md"), StandardCharsets.UTF_8);
        int at = lines.indexOf("## Add it to your build");
        assertThat(at).isNotNegative();
        StringBuilder xml = new StringBuilder("<project>");
        int i = at;
        while (!lines.get(i).strip().equals("```xml")) {
            i++;
        }
        for (i++; !lines.get(i).strip().equals("```"); i++) {
            xml.append(lines.get(i)).append('\n');
        }
        xml.append("</project>");
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new InputSource(new StringReader(xml.toString())));
    }

    /** Maven 3.8's compiler plugin defaults to source 5 ("Source option 5 is no longer supported"): the release must be set. */
    @Test
    void addItToYourBuild_setsTheCompilerRelease() throws Exception {
        Document pom = buildSnippet();
        assertThat(pom.getElementsByTagName("maven.compiler.release").getLength()).isEqualTo(1);
        assertThat(pom.getElementsByTagName("maven.compiler.release").item(0).getTextContent().strip()).isEqualTo("17");
        assertThat(pom.getElementsByTagName("properties").item(0).getParentNode().getNodeName()).isEqualTo("project");
    }
}
