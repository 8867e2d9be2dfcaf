package tether.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * That tether's JVM sees none of the variables the launcher hides from it, and COMMAND gets them, is shown
 * by LauncherIT against the built launcher: only the launcher's process has both environments.
 */
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

    /** The detached tether's report descriptor is its own; the variables the launcher sets for its JVM are the user's. */
    @Test
    void theCommandGetsTheUsersEnvironmentMinusTheScrubbedNames() {
        List<byte[]> started = java.util.Arrays.stream(new String[] {"PATH=/bin", "JDK_JAVA_OPTIONS=-Dx",
                "WORKTRUNK_SHELL_CWD=/w", "TETHER_DETACHED_REPORT_FD=3", "spring.profiles.active=dev",
                "_JAVA_SR_SIGNUM=12", "TETHER_STDOUT_FD=7"}).map(s -> s.getBytes(UTF_8)).toList();
        assertEquals(List.of("PATH=/bin", "JDK_JAVA_OPTIONS=-Dx", "spring.profiles.active=dev", "_JAVA_SR_SIGNUM=12",
                "TETHER_STDOUT_FD=7"), strings(ChildEnvironment.scrubbed(started)));
    }
}
