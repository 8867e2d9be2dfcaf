package tether.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tether.testkit.RequiresTools;

/**
 * docs/usage.md, the man page and {@code tether --help} say the same: usage.md shows the help as it is, and
 * the man page holds the help's synopsis, paragraphs, options and examples and every reference section of
 * usage.md, the JSON fields among them, so that what the .deb installs says all the reference says.
 */
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

    /** The man page's source lines with roff's escapes for '-', '\' and a leading '.' undone. */
    static List<String> manPage() throws Exception {
        return Files.readAllLines(PackageIT.DOCS.resolve("tether.1")).stream()
                .map(line -> line.replaceFirst("^\\\\&", "").replace("\\-", "-").replace("\\e", "\\")).toList();
    }

    @Test
    void theDocumentedUsageIsWhatHelpPrints() throws Exception {
        assertEquals(help(), documentedUsage(), "paste `jlink/target/tether/bin/tether --help` into docs/usage.md");
    }

    /** The help's synopsis, paragraphs, examples and options are the man page's. */
    @Test
    void theManPageSaysWhatHelpSays() throws Exception {
        List<String> man = manPage();
        List<String> help = help().lines().toList();
        List<String> examples = help.subList(help.indexOf("Examples:") + 1, help.size()).stream()
                .takeWhile(line -> !line.isBlank()).toList();
        assertFalse(examples.isEmpty());
        for (String example : examples) {
            assertTrue(man.contains(example.strip()), () -> "not in the man page: " + example);
        }
        for (String form : List.of(".B tether", ".B tether --list", ".B tether --stop")) {
            assertTrue(man.contains(form), () -> "the man page's synopsis lacks " + form);
        }
        List<String> paragraphs = paragraphs(help.subList(0, help.indexOf("Options:")));
        assertTrue(paragraphs.size() >= 2, paragraphs.toString());
        for (String paragraph : paragraphs.subList(1, paragraphs.size())) {
            assertTrue(man.contains(paragraph), () -> "not in the man page: " + paragraph);
        }
        List<String> options = options(help);
        assertTrue(options.size() >= 15, options.toString());
        for (String option : options) {
            assertTrue(man.contains(option), () -> "the man page lacks the option " + option);
        }
    }

    /** Each option of the help as the man page's tag for it: {@code .B -C, --cwd \fIDIR\fR}. */
    static List<String> options(List<String> help) {
        Pattern option = Pattern.compile("^  (-\\S, )?\\s*(--[a-z-]+)(=([A-Z]+))?  .*");
        List<String> tags = new ArrayList<>();
        for (String line : help) {
            Matcher m = option.matcher(line);
            if (m.matches()) {
                tags.add(".B " + (m.group(1) == null ? "" : m.group(1)) + m.group(2)
                        + (m.group(4) == null ? "" : " \\fI" + m.group(4) + "\\fR"));
            }
        }
        return tags;
    }

    /**
     * Every {@code ##} section of docs/usage.md after its Description is a section of the man page, and every
     * field of the JSON table is there: the page promises no document the package does not hold.
     */
    @Test
    void theManPageHoldsTheReferenceSectionsAndTheJsonFields() throws Exception {
        List<String> man = manPage();
        String usage = Files.readString(USAGE);
        List<String> headings = usage.lines().filter(line -> line.startsWith("## ")).map(line -> line.substring(3))
                .toList();
        assertEquals("Description", headings.getFirst());
        for (String heading : headings.subList(1, headings.size())) {
            assertTrue(man.contains(".SH " + heading.toUpperCase(java.util.Locale.ROOT)), () -> "no section " + heading);
        }
        Matcher field = Pattern.compile("(?m)^\\| `([a-z_]+)` \\| ").matcher(usage);
        int fields = 0;
        while (field.find()) {
            String tag = "\\fB" + field.group(1) + "\\fR";
            assertTrue(man.contains(tag), () -> "the man page lacks the JSON field " + tag);
            fields++;
        }
        assertEquals(20, fields, "the JSON tables of docs/usage.md: --list --json's and --list --all --json's trees");
        assertFalse(man.stream().anyMatch(line -> line.contains("README")), "the package holds no README");
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
