package tether.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
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
}
