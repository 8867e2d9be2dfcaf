package tether.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;
import tether.testkit.Procs;

/**
 * The README's Quick start, read from README.md: its two commands are the test command CI runs and a
 * first tethered command, whose run (after the build this test runs in) must do what it shows: COMMAND
 * exits at once, and the {@code sleep} it left behind is gone when tether is.
 */
class QuickStartIT extends LauncherTest {

    static final String TEST_COMMAND = "JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 ./mvnw -B verify";
    static final String IMAGE_LAUNCHER = "jlink/target/tether/bin/tether";

    /** The commands of the README's Quick start block, comments and blank lines left out. */
    static List<String> commands() throws Exception {
        String readme = Files.readString(RecipesIT.README);
        int section = readme.indexOf("\n## Quick start\n");
        assertTrue(section >= 0, "README.md has no ## Quick start");
        int start = readme.indexOf("```sh\n", section) + "```sh\n".length();
        int end = readme.indexOf("```\n", start);
        return readme.substring(start, end).lines().filter(line -> !line.isBlank() && !line.startsWith("#")).toList();
    }

    @Test
    void quickStartHasTheTestCommandAndARun() throws Exception {
        List<String> commands = commands();
        assertEquals(2, commands.size(), commands.toString());
        assertEquals(TEST_COMMAND, commands.getFirst());
        String ci = Files.readString(RecipesIT.README.resolveSibling(".ci/run"));
        assertTrue(ci.contains("./mvnw -B verify"), ".ci/run must run the README's test command");
    }

    @Test
    void quickStartsRunDoesWhatItShows() throws Exception {
        String build = commands().get(1);
        int and = build.indexOf(" && ");
        assertTrue(and > 0 && build.substring(0, and).contains("./mvnw") && build.contains(IMAGE_LAUNCHER), build);
        String run = build.substring(and + " && ".length()).replace(IMAGE_LAUNCHER, quoted(LAUNCHER.toString()));
        TetherRun tether = start(temp, List.of("sh", "-c", run));
        assertEquals(0, tether.awaitExit(DEADLINE), tether.stderr());
        assertEquals("started\n", tether.stdout());
        assertTrue(tether.stderr().contains("spawned"), tether.stderr());
        Procs.await(() -> markedAlive().isEmpty(), DEADLINE, () -> "the sleep outlived tether: " + markedAlive());
    }
}
