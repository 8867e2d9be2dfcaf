package tether.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CommandLinesTest {

    @Test
    void knownCases() {
        assertEquals("npm run dev", CommandLines.join(List.of("npm", "run", "dev")));
        assertEquals("\"\" x", CommandLines.join(List.of("", "x")));
        assertEquals("\"with space\"", CommandLines.join(List.of("with space")));
        assertEquals("\"quote\\\"inside\"", CommandLines.join(List.of("quote\"inside")));
        assertEquals("back\\slash", CommandLines.join(List.of("back\\slash")));
        assertEquals("\"C:\\Program Files\\\\\"", CommandLines.join(List.of("C:\\Program Files\\")));
        assertEquals("\"a\\\\\\\"b\"", CommandLines.join(List.of("a\\\"b")));
    }

    /**
     * The documented rules' edge cases: backslashes are literal unless a quote follows, so a trailing
     * backslash needs doubling only inside quotes; a quote is always escaped, even where no space needs one.
     */
    @Test
    void documentedEdgeCases() {
        assertEquals("C:\\dir\\", CommandLines.join(List.of("C:\\dir\\")));
        assertEquals(List.of("C:\\dir\\"), parse(CommandLines.join(List.of("C:\\dir\\"))));
        assertEquals("\"say \\\"hi\\\"\"", CommandLines.join(List.of("say \"hi\"")));
        assertEquals("\"\\\"\"", CommandLines.join(List.of("\"")));
        assertEquals("\"a\tb\"", CommandLines.join(List.of("a\tb")));
        assertEquals(List.of("\\\\server\\share\\", "x y\\"),
                parse(CommandLines.join(List.of("\\\\server\\share\\", "x y\\"))));
    }

    /** Every argument list survives a round trip through the C runtime's parsing rules. */
    @Test
    void roundTripsThroughTheCRuntimeParser() {
        Random random = new Random(25);
        char[] alphabet = {'a', ' ', '\t', '"', '\\', 'ü'};
        for (int round = 0; round < 5_000; round++) {
            List<String> args = new ArrayList<>();
            int count = 1 + random.nextInt(4);
            for (int i = 0; i < count; i++) {
                StringBuilder arg = new StringBuilder();
                int length = random.nextInt(8);
                for (int j = 0; j < length; j++) {
                    arg.append(alphabet[random.nextInt(alphabet.length)]);
                }
                args.add(arg.toString());
            }
            String line = CommandLines.join(args);
            assertEquals(args, parse(line), line);
        }
    }

    /** The Microsoft C runtime's argument parsing (2008 and later), written from its documentation. */
    static List<String> parse(String line) {
        List<String> args = new ArrayList<>();
        int i = 0;
        int n = line.length();
        while (true) {
            while (i < n && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
                i++;
            }
            if (i >= n) {
                return args;
            }
            StringBuilder arg = new StringBuilder();
            boolean quoted = false;
            while (i < n) {
                char c = line.charAt(i);
                if ((c == ' ' || c == '\t') && !quoted) {
                    break;
                }
                if (c == '\\') {
                    int start = i;
                    while (i < n && line.charAt(i) == '\\') {
                        i++;
                    }
                    int backslashes = i - start;
                    if (i < n && line.charAt(i) == '"') {
                        arg.append("\\".repeat(backslashes / 2));
                        if (backslashes % 2 == 1) {
                            arg.append('"');
                            i++;
                        }
                    } else {
                        arg.append("\\".repeat(backslashes));
                    }
                } else if (c == '"') {
                    if (quoted && i + 1 < n && line.charAt(i + 1) == '"') {
                        arg.append('"');
                        i += 2;
                    } else {
                        quoted = !quoted;
                        i++;
                    }
                } else {
                    arg.append(c);
                    i++;
                }
            }
            args.add(arg.toString());
        }
    }
}
