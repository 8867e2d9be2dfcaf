package tether.build;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import tether.unix.darwin.DarwinOwnProcess;

/**
 * What the launcher hands the JVM on macOS, where it cannot be run here, is what the provider reads: the
 * launcher's source names the same system property as DarwinOwnProcess, so COMMAND gets the environment from
 * the exec area and not the JVM's view.
 */
class LauncherToProviderTest {

    @Test
    void theLauncherPassesTheEnvironmentCountUnderTheNameTheProviderReads() throws Exception {
        String launcher = Files.readString(Path.of("src/image/unix/launcher/tether.c"));
        assertTrue(launcher.contains("\"-D" + DarwinOwnProcess.ENVIRONMENT_COUNT + "=%zu\""),
                "tether.c must pass -D" + DarwinOwnProcess.ENVIRONMENT_COUNT);
    }
}
