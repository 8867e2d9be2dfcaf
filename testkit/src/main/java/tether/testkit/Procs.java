package tether.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Process facts read from /proc, and bounded waits: one copy for the unit tests, the integration tests
 * and bench/. A test asserts a state with {@link #await} (bounded), never after a bare sleep.
 */
public final class Procs {

    private Procs() {}

    /** Running or stopped; a zombie is dead (ProcessHandle would call it alive). */
    public static boolean isAlive(long pid) {
        String state = stat(pid);
        return state != null && !state.startsWith("Z") && !state.startsWith("X");
    }

    public static boolean isStopped(long pid) {
        String state = stat(pid);
        return state != null && state.startsWith("T");
    }

    /** The fields of /proc/PID/stat after the command name, starting with the state; null if gone. */
    public static String stat(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"), UTF_8);
            return stat.substring(stat.lastIndexOf(')') + 2);
        } catch (IOException e) {
            return null;
        }
    }

    public static long parentOf(long pid) {
        return Long.parseLong(stat(pid).split(" ")[1]);
    }

    public static long groupOf(long pid) {
        return Long.parseLong(stat(pid).split(" ")[2]);
    }

    /** The foreground process group of the process's controlling terminal (tpgid). */
    public static long foregroundGroupOf(long pid) {
        return Long.parseLong(stat(pid).split(" ")[5]);
    }

    /** The processes whose parent is {@code pid}, zombies included. */
    public static List<Long> childrenOf(long pid) {
        List<Long> children = new ArrayList<>();
        for (long child : all()) {
            String stat = stat(child);
            if (stat != null && Long.parseLong(stat.split(" ")[1]) == pid) {
                children.add(child);
            }
        }
        return children;
    }

    /** Children of {@code pid} whose state is zombie: exited, not yet reaped. */
    public static List<Long> zombieChildren(long pid) {
        return childrenOf(pid).stream().filter(child -> {
            String stat = stat(child);
            return stat != null && stat.startsWith("Z");
        }).toList();
    }

    /** The command line, arguments joined by spaces; empty if the process is gone or a zombie. */
    public static String cmdline(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")), UTF_8).replace('\0', ' ').strip();
        } catch (IOException e) {
            return "";
        }
    }

    /** The real user id, from /proc/PID/status; -1 if gone. */
    public static long realUid(long pid) {
        try {
            return Files.readAllLines(Path.of("/proc/" + pid + "/status"), UTF_8).stream()
                    .filter(line -> line.startsWith("Uid:")).mapToLong(line -> Long.parseLong(line.split("\\s+")[1]))
                    .findFirst().orElse(-1);
        } catch (IOException e) {
            return -1;
        }
    }

    /** Every pid in /proc. */
    public static List<Long> all() {
        List<Long> pids = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(Path.of("/proc"))) {
            for (Path dir : entries) {
                String name = dir.getFileName().toString();
                if (name.chars().allMatch(Character::isDigit)) {
                    pids.add(Long.parseLong(name));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return pids;
    }

    public static List<Long> alive(Collection<Long> pids) {
        return pids.stream().filter(Procs::isAlive).toList();
    }

    /** Every process whose environment holds {@code NAME=value}. */
    public static List<Long> withEnvironment(String entry) {
        byte[] wanted = (entry + "\0").getBytes(UTF_8);
        List<Long> found = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(Path.of("/proc"))) {
            for (Path dir : entries) {
                String name = dir.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    byte[] environ = Files.readAllBytes(dir.resolve("environ"));
                    if (contains(environ, wanted)) {
                        found.add(Long.parseLong(name));
                    }
                } catch (IOException e) {
                    // gone, or a kernel thread
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return found;
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (i > 0 && haystack[i - 1] != 0) {
                continue;
            }
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    public static void kill(long pid, String signal) {
        run("kill", "-" + signal, String.valueOf(pid));
    }

    public static void killGroup(long pgid, String signal) {
        run("kill", "-" + signal, "--", "-" + pgid);
    }

    private static void run(String... command) {
        try {
            new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start().waitFor();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Polls {@code condition} every few milliseconds until it holds, failing after {@code timeout}. */
    public static void await(BooleanSupplier condition, Duration timeout, String what) {
        await(condition, timeout, () -> what);
    }

    /** As above; {@code what} is asked only on failure, so it can describe the state then. */
    public static void await(BooleanSupplier condition, Duration timeout, Supplier<String> what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what.get());
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }

    /**
     * Whether {@code condition} holds at every check for {@code period}: the bounded negative check, for
     * something that must not happen (a process that must not die early).
     */
    public static boolean holdsFor(BooleanSupplier condition, Duration period) {
        long end = System.nanoTime() + period.toNanos();
        while (System.nanoTime() < end) {
            if (!condition.getAsBoolean()) {
                return false;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted checking a condition");
            }
        }
        return condition.getAsBoolean();
    }

    public static void awaitDead(Collection<Long> pids, Duration timeout) {
        await(() -> alive(pids).isEmpty(), timeout, "processes to die, alive: " + pids);
    }
}
