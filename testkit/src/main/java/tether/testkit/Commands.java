package tether.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/** A helper command run to its end: its status and everything it wrote, stdout and stderr together. */
public record Commands(int status, String output) {

    /** Runs {@code command} in {@code directory} and returns what it did, whatever its status. */
    public static Commands run(Path directory, List<String> command) {
        try {
            Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                    .start();
            String output = new String(process.getInputStream().readAllBytes(), UTF_8);
            return new Commands(process.waitFor(), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Runs {@code command}, which must succeed, and returns its output. */
    public static String ok(Path directory, String... command) {
        Commands done = run(directory, List.of(command));
        if (done.status != 0) {
            throw new AssertionError(String.join(" ", command) + " exited with " + done.status + ": " + done.output);
        }
        return done.output;
    }
}
