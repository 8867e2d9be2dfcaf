package tether.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class LauncherWordsTest {

    /** What the runtime image's java.exe is started with: the AOT training, the workflow's check. */
    @Test
    void afterTheJavaLaunchersModule() {
        List<String> words = List.of("C:\\t\\bin\\java.exe", "-XX:AOTCache=C:\\t\\bin\\..\\lib\\tether.aot", "-m",
                "tether.cli/tether.cli.Main", "--", "npm", "run", "dev");
        assertEquals(4, LauncherWords.argumentsStart(words, false));
        assertEquals(4, LauncherWords.argumentsStart(words, true));
    }

    @Test
    void theLongFormsOfTheModuleOption() {
        assertEquals(3, LauncherWords.argumentsStart(List.of("java", "--module", "tether.cli", "-v"), false));
        assertEquals(2, LauncherWords.argumentsStart(List.of("java", "--module=tether.cli/tether.cli.Main", "-v"), false));
        assertEquals(2, LauncherWords.argumentsStart(List.of("java", "--module=tether.cli", "-v"), false));
    }

    /** tether's own arguments may hold the same words; the launcher's come first. */
    @Test
    void theFirstMarkerCounts() {
        List<String> words = List.of("java", "-m", "tether.cli/tether.cli.Main", "--", "java", "-m",
                "tether.cli/tether.cli.Main");
        assertEquals(3, LauncherWords.argumentsStart(words, false));
    }

    @Test
    void anotherModuleOrAnOptionValueIsNoMarker() {
        assertEquals(-1, LauncherWords.argumentsStart(List.of("java", "-m", "other/x.Main", "--", "tether.cli"), false));
        assertEquals(-1, LauncherWords.argumentsStart(List.of("java", "-m"), false));
        assertEquals(-1, LauncherWords.argumentsStart(List.of("java", "-mtether.cli", "x"), false));
        assertEquals(-1, LauncherWords.argumentsStart(List.of("java", "--module=tether.client", "x"), false));
    }

    /** jpackage's tether.exe: its configuration, not its command line, holds the module. */
    @Test
    void afterThePackagedLaunchersProgram() {
        assertEquals(1, LauncherWords.argumentsStart(List.of("tether", "--", "cmd", "/c", "exit 3"), true));
        assertEquals(1, LauncherWords.argumentsStart(List.of("tether"), true));
        assertEquals(-1, LauncherWords.argumentsStart(List.of("tether", "--", "cmd"), false));
        assertEquals(-1, LauncherWords.argumentsStart(List.of(), true));
    }

    @Test
    void theJvmsArgumentsMustBeAsMany() {
        String[] decoded = {"--", "npm"};
        assertTrue(LauncherWords.consistent(List.of("--", "npm"), decoded));
        assertFalse(LauncherWords.consistent(List.of("tether.cli/tether.cli.Main", "--", "npm"), decoded));
        assertFalse(LauncherWords.consistent(List.of("npm"), decoded));
    }

    /** The java launcher expands an unquoted {@code *.txt} into the files it matches; tether does not. */
    @Test
    void unlessTheJavaLauncherExpandedAWildcard() {
        String[] decoded = {"--", "type", "a.txt", "b.txt"};
        assertTrue(LauncherWords.consistent(List.of("--", "type", "*.txt"), decoded));
        assertTrue(LauncherWords.consistent(List.of("--", "type", "?.txt"), decoded));
    }
}
