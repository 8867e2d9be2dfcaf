package tether.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tether.testkit.RequiresTools;

/** docs/usage.md and the man page say what {@code tether --help} says. */
class DocsIT extends LauncherTest {

    static final Path USAGE = PackageIT.TARGET.getParent().getParent().resolve("docs/usage.md");

    String help() {
        TetherRun run = start(temp, tether("--help"));
        assertEquals(0, run.awaitExit(DEADLINE), run.stderr());
        return run.stdout();
    }

    /** The first fenced block of docs/usage.md. */
    static String documentedUsage() throws Exception {
        String usage = Files.readString(USAGE);
        int fence = usage.indexOf("```");
        int start = usage.indexOf('\n', fence) + 1;
        int end = usage.indexOf("\n```\n", start);
        assertTrue(fence >= 0 && end > start, "docs/usage.md has no fenced block");
        return usage.substring(start, end + 1);
    }

    @Test
    void theDocumentedUsageIsWhatHelpPrints() throws Exception {
        assertEquals(help(), documentedUsage(), "paste `jlink/target/tether/bin/tether --help` into docs/usage.md");
    }

    /** Paragraphs of the help are paragraphs of the man page, and its examples are the man page's. */
    @Test
    void theManPageSaysWhatHelpSays() throws Exception {
        List<String> man = Files.readAllLines(PackageIT.DOCS.resolve("tether.1")).stream()
                .map(line -> line.replaceFirst("^\\\\&", "").replace("\\-", "-").replace("\\e", "\\")).toList();
        List<String> help = help().lines().toList();
        List<String> examples = help.subList(help.indexOf("Examples:") + 1, help.size()).stream()
                .takeWhile(line -> !line.isBlank()).toList();
        assertFalse(examples.isEmpty());
        for (String example : examples) {
            assertTrue(man.contains(example.strip()), () -> "not in the man page: " + example);
        }
        for (String form : List.of(".B tether --list", ".B tether --stop")) {
            assertTrue(man.contains(form), () -> "the man page's synopsis lacks " + form);
        }
        int usage = help.indexOf(help.stream().filter(line -> line.startsWith("Usage: ")).findFirst().orElseThrow());
        List<String> paragraphs = paragraphs(help.subList(usage + 1, help.indexOf("Options:")));
        assertTrue(paragraphs.size() >= 2, paragraphs.toString());
        for (String paragraph : paragraphs) {
            assertTrue(man.contains(paragraph), () -> "not in the man page: " + paragraph);
        }
    }

    /** As {@code man tether} shows it on an 80-column terminal, whose text man-db sets 78 columns wide. */
    @RequiresTools(value = "groff", why = "renders the man page")
    @Test
    void theManPageFitsEightyColumns() {
        String page = PackageIT.output(temp, "groff", "-man", "-Tascii", "-rLL=78n", "-P-c", "-P-b", "-P-o", "-P-u",
                PackageIT.DOCS.resolve("tether.1").toString());
        for (String line : page.lines().toList()) {
            assertTrue(line.length() <= 80, () -> line.length() + " columns: " + line);
        }
    }

    /** Unindented runs of lines between blank ones, each joined into the one line it was before filling. */
    static List<String> paragraphs(List<String> lines) {
        List<String> paragraphs = new ArrayList<>();
        StringBuilder paragraph = new StringBuilder();
        for (String line : lines) {
            if (line.isBlank() || line.startsWith(" ")) {
                if (!paragraph.isEmpty()) {
                    paragraphs.add(paragraph.toString());
                    paragraph.setLength(0);
                }
            } else {
                paragraph.append(paragraph.isEmpty() ? "" : " ").append(line);
            }
        }
        if (!paragraph.isEmpty()) {
            paragraphs.add(paragraph.toString());
        }
        return paragraphs;
    }
}
