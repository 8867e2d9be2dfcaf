package tether.it;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A started process (tether, or a wrapper running it) whose stdout and stderr go to files. */
final class TetherRun {

    final Process process;
    final Path stdout;
    final Path stderr;

    TetherRun(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    long pid() {
        return process.pid();
    }

    /** Waits for the exit and returns the status; fails if it takes longer than {@code timeout}. */
    int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("still running after " + timeout.toMillis() + " ms; stderr: " + stderr());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return process.exitValue();
    }

    String stdout() {
        return new String(stdoutBytes(), UTF_8);
    }

    byte[] stdoutBytes() {
        return read(stdout);
    }

    String stderr() {
        return new String(read(stderr), UTF_8);
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
