package tether.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class RawArgumentsTest {

    static List<String> strings(List<byte[]> parts) {
        return parts.stream().map(p -> new String(p, UTF_8)).toList();
    }

    @Test
    void splitsNulTerminatedStringsKeepingEmptyOnes() {
        assertEquals(List.of("java", "", "a b", "x"), strings(RawArguments.splitOnNul("java\0\0a b\0x\0".getBytes(UTF_8))));
        assertEquals(List.of("no-terminator"), strings(RawArguments.splitOnNul("no-terminator".getBytes(UTF_8))));
        assertEquals(List.of(), strings(RawArguments.splitOnNul(new byte[0])));
    }

    @Test
    void argumentsThatAreNotOnTheCommandLineFallBackToTheJvmsStrings() {
        String[] args = {"not-in-this-jvms-cmdline-" + System.nanoTime(), ""};
        assertEquals(List.of(args), strings(RawArguments.of(args)));
    }
}
