package tether.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;

class ChildEnvironmentTest {

    static List<String> strings(List<byte[]> entries) {
        return entries.stream().map(e -> new String(e, UTF_8)).toList();
    }

    @Test
    void worktrunkDirectivesAreScrubbedAndNothingElse() {
        List<byte[]> in = List.of("PATH=/bin", "WORKTRUNK_DIRECTIVE_CD_FILE=/tmp/cd",
                "WORKTRUNK_DIRECTIVE_EXEC_FILE=/tmp/exec", "WORKTRUNK_DIRECTIVE_FILE=/tmp/d",
                "WORKTRUNK_SHELL_CWD=/w", "WORKTRUNK_OTHER=kept", "X_WORKTRUNK_SHELL_CWD=kept", "EMPTY=",
                "EQ=a=b").stream().map(s -> s.getBytes(UTF_8)).toList();
        assertEquals(List.of("PATH=/bin", "WORKTRUNK_OTHER=kept", "X_WORKTRUNK_SHELL_CWD=kept", "EMPTY=", "EQ=a=b"),
                strings(ChildEnvironment.scrubbed(in)));
    }

    @Test
    void bytesThatAreNotUtf8SurviveUntouched() {
        byte[] odd = {'K', '=', (byte) 0xff, (byte) 0xc3, 'x'};
        assertTrue(java.util.Arrays.equals(odd, ChildEnvironment.scrubbed(List.of(odd)).getFirst()));
    }

    @Test
    @DisabledOnOs(value = OS.WINDOWS, disabledReason = "Windows spells it Path")
    void currentEnvironmentHasTheJvmsVariables() {
        List<String> current = strings(ChildEnvironment.current());
        assertTrue(current.contains("PATH=" + System.getenv("PATH")), current.toString());
    }

    static List<byte[]> bytes(String... entries) {
        return java.util.Arrays.stream(entries).map(s -> s.getBytes(UTF_8)).toList();
    }

    @Test
    void stashedNamesGetTheirNamesBackInPlaceAndTheLaunchersSignalIsDropped() {
        List<byte[]> jvm = bytes("A=1", "TETHER_STASHED_JAVA_TOOL_OPTIONS=-XX:+UseG1GC", "B=2",
                "TETHER_STASHED__JAVA_SR_SIGNUM=12", "TETHER_STASHED_CLASSPATH=", "TETHER_STASHED_LD_LIBRARY_PATH",
                "_JAVA_SR_SIGNUM=64");
        assertEquals(List.of("A=1", "JAVA_TOOL_OPTIONS=-XX:+UseG1GC", "B=2", "_JAVA_SR_SIGNUM=12", "CLASSPATH=",
                "LD_LIBRARY_PATH"), strings(ChildEnvironment.unstashed(jvm)));
    }

    /** The launcher prefixes the user's own TETHER_STASHED_CLASSPATH once more; one prefix comes off. */
    @Test
    void aUsersOwnStashLookalikeComesBackAsItWas() {
        List<byte[]> jvm = bytes("TETHER_STASHED_TETHER_STASHED_CLASSPATH=mine", "TETHER_STASHED_CLASSPATH=/cp",
                "TETHER_STASHED_X=1", "TETHER_STASHED_=2", "TETHER_STASHED_classpath=3", "XTETHER_STASHED_CLASSPATH=4");
        assertEquals(List.of("TETHER_STASHED_CLASSPATH=mine", "CLASSPATH=/cp", "TETHER_STASHED_X=1",
                "TETHER_STASHED_=2", "TETHER_STASHED_classpath=3", "XTETHER_STASHED_CLASSPATH=4"),
                strings(ChildEnvironment.unstashed(jvm)));
    }

    @Test
    void unstashingKeepsBytesThatAreNotUtf8() {
        byte[] odd = {'T', 'E', 'T', 'H', 'E', 'R', '_', 'S', 'T', 'A', 'S', 'H', 'E', 'D', '_', 'C', 'L', 'A', 'S', 'S',
                'P', 'A', 'T', 'H', '=', (byte) 0xff, (byte) 0xc3};
        byte[] expected = java.util.Arrays.copyOfRange(odd, "TETHER_STASHED_".length(), odd.length);
        assertTrue(java.util.Arrays.equals(expected, ChildEnvironment.unstashed(List.of(odd)).getFirst()));
    }

    @Test
    void theCommandGetsTheUsersEnvironmentMinusTheScrubbedNames() {
        List<byte[]> jvm = bytes("PATH=/bin", "TETHER_STASHED_JDK_JAVA_OPTIONS=-Dx", "WORKTRUNK_SHELL_CWD=/w",
                "TETHER_DETACHED_REPORT_FD=3", "spring.profiles.active=dev", "_JAVA_SR_SIGNUM=64");
        assertEquals(List.of("PATH=/bin", "JDK_JAVA_OPTIONS=-Dx", "spring.profiles.active=dev"),
                strings(ChildEnvironment.forCommand(jvm)));
    }

    /** The launcher's C source holds the same list, in the same order: one is checked against the other. */
    @Test
    void theLaunchersListIsThisList() throws IOException {
        String source = Files.readString(launcherSource(), StandardCharsets.UTF_8)
                .replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\n]*", "");
        Matcher block = Pattern.compile("(?s)STASHED\\[\\]\\s*=\\s*\\{(.*?)\\};").matcher(source);
        assertTrue(block.find(), "no STASHED[] = { ... }; in the launcher");
        Matcher names = Pattern.compile("\"([^\"]*)\"").matcher(block.group(1));
        List<String> launcher = new java.util.ArrayList<>();
        while (names.find()) {
            launcher.add(names.group(1));
        }
        assertEquals(ChildEnvironment.STASHED, launcher);
        Matcher prefix = Pattern.compile("#define STASH_PREFIX \"([^\"]*)\"").matcher(source);
        assertTrue(prefix.find(), "no STASH_PREFIX in the launcher");
        assertEquals(ChildEnvironment.STASH_PREFIX, prefix.group(1));
    }

    /** {@code jlink/src/image/unix/launcher/tether.c}, found from the module's folder up. */
    static Path launcherSource() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path source = dir.resolve("jlink/src/image/unix/launcher/tether.c");
            if (Files.exists(source)) {
                return source;
            }
        }
        throw new AssertionError("jlink/src/image/unix/launcher/tether.c not found above " + Path.of("").toAbsolutePath());
    }
}
