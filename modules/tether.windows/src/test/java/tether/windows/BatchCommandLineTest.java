package tether.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import tether.api.SpawnException;

/**
 * The line cmd.exe gets for a batch file; that cmd.exe and the batch file's program read it back as the same
 * arguments is what the Wine probe checks with a real cmd.exe (WineProbeTest, scenario batch).
 */
class BatchCommandLineTest {

    static final String CMD = "C:\\Windows\\system32\\cmd.exe";
    static final String NPM = "C:\\Program Files\\nodejs\\npm.cmd";

    static String line(String... arguments) throws SpawnException {
        char[] line = BatchCommandLine.of(CMD, NPM, List.of(arguments));
        assertEquals(0, line[line.length - 1]);
        return new String(line, 0, line.length - 1);
    }

    static String argument(String argument) throws SpawnException {
        String line = line(argument);
        String prefix = CMD + " /d /e:on /v:off /s /c \"\"" + NPM + "\" ";
        assertEquals(prefix, line.substring(0, prefix.length()));
        return line.substring(prefix.length(), line.length() - 1);
    }

    @Test
    void cmdRunsTheQuotedBatchFileWithoutAutoRunDelayedExpansionOrQuoteGuessing() throws Exception {
        assertEquals(CMD + " /d /e:on /v:off /s /c \"\"" + NPM + "\" run dev\"", line("run", "dev"));
        assertEquals(CMD + " /d /e:on /v:off /s /c \"\"" + NPM + "\"\"", line());
    }

    @Test
    void plainArgumentsStayAsTheyAre() throws Exception {
        assertEquals("--port", argument("--port"));
        assertEquals("C:\\x\\y.txt", argument("C:\\x\\y.txt"));
        assertEquals("café", argument("café"));
    }

    /** Inside quotes cmd.exe takes its operators as text. */
    @Test
    void operatorsSpacesAndEmptyArgumentsAreQuoted() throws Exception {
        assertEquals("\"\"", argument(""));
        assertEquals("\"a&b|c<d>e^f(g)\"", argument("a&b|c<d>e^f(g)"));
        assertEquals("\"say hi\"", argument("say hi"));
        // cmd.exe splits a batch file's %1, %2... at , ; = as well as at spaces.
        assertEquals("\"a,b;c=d\"", argument("a,b;c=d"));
        assertEquals("\"--port=5173\"", argument("--port=5173"));
        assertEquals("\"!x!\"", argument("!x!"));
    }

    /** A quote is doubled; backslashes before it are doubled for the C runtime that reads it in the end. */
    @Test
    void quotesAreDoubledAndTheBackslashesBeforeThem() throws Exception {
        assertEquals("\"say \"\"hi\"\"\"", argument("say \"hi\""));
        assertEquals("\"a\\\\\"\"b\"", argument("a\\\"b"));
        assertEquals("\"C:\\dir\\\\\"", argument("C:\\dir\\"));
    }

    /** %NAME% would be expanded even inside quotes: each % becomes one that pairs with nothing. */
    @Test
    void percentSignsCannotExpandAVariable() throws Exception {
        assertEquals("\"%%cd:~,%PATH%%cd:~,%\"", argument("%PATH%"));
        assertEquals("\"100%%cd:~,%\"", argument("100%"));
    }

    @Test
    void aLineBreakCannotBePassed() {
        SpawnException e = assertThrows(SpawnException.class, () -> line("a\nb"));
        assertEquals(SpawnException.Reason.FAILED, e.reason());
        assertEquals("cannot pass an argument with a line break to the batch file '" + NPM
                + "': cmd.exe ends the command there", e.getMessage());
        assertThrows(SpawnException.class, () -> line("a\rb"));
    }
}
