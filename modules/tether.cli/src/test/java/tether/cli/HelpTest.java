package tether.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Model.UsageMessageSpec;

/** {@code tether --help} reads the same on every terminal: 80 columns, filled paragraphs, whole examples. */
class HelpTest {

    static final int WIDTH = Options.HELP_WIDTH;

    /** What --help prints: the text the build rendered into the module. */
    static String help() throws Exception {
        return assertInstanceOf(CommandLineParser.Print.class, CommandLineParser.parse(new String[] {"--help"}, null))
                .text();
    }

    static List<String> lines() throws Exception {
        return help().lines().toList();
    }

    /** The footer's examples: the elements after its first, "Examples:", up to the first blank one. */
    static List<String> examples() {
        List<String> footer = List.of(usage().footer());
        List<String> examples = new ArrayList<>();
        for (String line : footer.subList(footer.indexOf(Options.EXAMPLES_HEADING) + 1, footer.size())) {
            if (line.isBlank()) {
                break;
            }
            examples.add(line);
        }
        return examples;
    }

    static UsageMessageSpec usage() {
        return PicocliModel.commandLine(new Options()).getCommandSpec().usageMessage();
    }

    @Test
    void everyLineFitsEightyColumnsWhateverTheTerminal() throws Exception {
        assertFalse(usage().autoWidth(), "the help would follow the terminal's width");
        assertEquals(WIDTH, usage().width());
        for (String line : lines()) {
            assertTrue(line.length() <= WIDTH, () -> line.length() + " columns: " + line);
        }
    }

    @Test
    void everyExampleIsAWholeLine() throws Exception {
        List<String> lines = lines();
        assertFalse(examples().isEmpty());
        for (String example : examples()) {
            assertTrue(example.startsWith("  tether "), example);
            assertTrue(lines.contains(example), () -> "wrapped: " + example);
        }
    }

    /**
     * A line of prose followed by another of the same paragraph whose first word would have fitted on it was
     * broken by hand, not filled by picocli (which keeps a column for the space after a word). Indented
     * lines are the option list and the examples.
     */
    @Test
    void paragraphsAreFilled() throws Exception {
        List<String> lines = lines();
        for (int i = 0; i + 1 < lines.size(); i++) {
            String line = lines.get(i);
            String next = lines.get(i + 1);
            if (line.isBlank() || next.isBlank() || line.startsWith(" ") || next.startsWith(" ")) {
                continue;
            }
            int firstWord = next.indexOf(' ') < 0 ? next.length() : next.indexOf(' ');
            assertTrue(line.length() + 1 + firstWord + 1 > WIDTH, () -> "a hard line break after: " + line);
        }
    }

    /** The build's text is picocli's rendering of the model, which the man page is made from as well. */
    @Test
    void theHelpIsTheModelsUsage() throws Exception {
        assertEquals(PicocliModel.commandLine(new Options()).getUsageMessage(), help());
    }

    /**
     * Usage first, as the coreutils tools have it; the one-line summary is the man page's NAME. Short: the
     * whole help fits a terminal of 60 lines, the explanations being the man page's.
     */
    @Test
    void theHelpStartsWithItsUsageAndStaysShort() throws Exception {
        assertTrue(help().startsWith("Usage: tether "), help());
        int lines = lines().size();
        assertTrue(lines <= 60, () -> lines + " lines");
    }

    /** stdout is ASCII in the C locale of a git hook, where anything else would print as '?'. */
    @Test
    void theHelpIsAscii() throws Exception {
        assertTrue(help().chars().allMatch(c -> c < 128), help());
    }
}
