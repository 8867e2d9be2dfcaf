package tether.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

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

    /** A link's target keeps the bytes it was made with, which no charset need decode; its path gives them back. */
    @Test
    @EnabledOnOs(OS.LINUX)
    void aPathGivesBackTheBytesItWasMadeOf(@TempDir Path temp) throws Exception {
        Path link = temp.resolve("link");
        Process ln = new ProcessBuilder("sh", "-c", "ln -s \"$(printf '/x/\\377\\303\\251 %%41')\" \"$0\"", link.toString())
                .inheritIO().start();
        assertEquals(0, ln.waitFor());
        assertArrayEquals(new byte[] {'/', 'x', '/', (byte) 0xff, (byte) 0xc3, (byte) 0xa9, ' ', '%', '4', '1'},
                RawArguments.bytes(Files.readSymbolicLink(link)));
    }

    /** Under surefire the executable is the JDK's bin/java; under the launcher, bin/tether. */
    @Test
    @EnabledOnOs(OS.LINUX)
    void theExecutableIsTheProcesssOwn() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java").toRealPath();
        assertEquals(java.toString(), new String(RawArguments.executable(), UTF_8));
        assertEquals(java.resolveSibling("tether").toString(), new String(Detach.launcher(), UTF_8));
    }
}
