package tether.unix.linux;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

@EnabledOnOs(value = OS.LINUX, disabledReason = "reads /proc/self")
class ProcSelfTest {

    static List<String> strings(List<byte[]> parts) {
        return parts.stream().map(p -> new String(p, UTF_8)).toList();
    }

    @Test
    void splitsNulTerminatedStringsKeepingEmptyOnes() {
        assertEquals(List.of("java", "", "a b", "x"), strings(ProcSelf.splitOnNul("java\0\0a b\0x\0".getBytes(UTF_8))));
        assertEquals(List.of("no-terminator"), strings(ProcSelf.splitOnNul("no-terminator".getBytes(UTF_8))));
        assertEquals(List.of(), strings(ProcSelf.splitOnNul(new byte[0])));
    }

    /** Strings the process was not started with are not taken from its command line. */
    @Test
    void argumentsThatAreNotOnTheCommandLineFallBackToTheJvmsStrings() {
        String[] args = {"not-in-this-jvms-cmdline-" + System.nanoTime(), ""};
        assertEquals(List.of(args), strings(new ProcSelf().arguments(args)));
    }

    /** The last entries of this JVM's own command line are its arguments as the OS holds them. */
    @Test
    void theJvmsOwnLastArgumentsComeFromTheCommandLine() {
        List<String> cmdline = ProcessHandle.current().info().arguments().map(List::of).orElseThrow();
        String[] last = {cmdline.getLast()};
        assertEquals(List.of(last), strings(new ProcSelf().arguments(last)));
    }

    @Test
    void theEnvironmentIsTheOneThisProcessStartedWith() {
        assertEquals(true, strings(new ProcSelf().environment()).contains("PATH=" + System.getenv("PATH")));
    }

    /** Under surefire the executable is the JDK's bin/java; under the launcher, bin/tether. */
    @Test
    void theExecutableIsTheProcesssOwn() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java").toRealPath();
        assertEquals(java.toString(), new String(new ProcSelf().executable(), UTF_8));
    }
}
