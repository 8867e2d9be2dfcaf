package tether.testkit;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Process facts and bounded waits: one copy for the unit tests, the integration tests and bench/. A test
 * asserts a state with {@link #await} (bounded), never after a bare sleep.
 *
 * <p>Where the facts come from is decided once, in {@link #FACTS}: from {@code /proc} where it exists
 * (Linux), read as files, which is exact and costs no process; from {@code ps} where it does not (macOS,
 * whose BSD {@code ps} takes {@code -o pid=,ppid=,pgid=,tpgid=,stat=}). A {@code ps} is a fork and an exec
 * per question, a few milliseconds, which the waits here absorb. The answers agree: a state is the first
 * letter of Linux's {@code /proc/PID/stat} field or of BSD {@code ps}'s {@code stat}, and both say Z for a
 * zombie (exited, not reaped) and T for a stopped process; BSD's other letters (I, R, S, U) are alive.
 * Where the two differ:
 * <ul>
 * <li>{@link #stat} hands out Linux's {@code /proc/PID/stat} fields themselves, for the facts only Linux
 * shows (the session: BSD {@code ps}'s {@code sess} is a kernel address, not an id); without {@code /proc} it
 * throws, and a test that calls it runs on Linux only.
 * <li>{@link #withEnvironment}: macOS has no {@code /proc/PID/environ}; {@code ps -E} shows the environment
 * of this user's own processes after their arguments, separated by spaces (and with unprintable bytes
 * escaped), which is every process a test starts. An entry is found as a whole word of that line, so one
 * that holds a space or an unprintable byte is not found, and an argument that spells the entry counts as
 * well: the printable, spaceless mark a test puts in its processes' environment has neither problem.
 * Another user's processes show no environment there.
 * <li>{@link #cmdline}: on macOS the arguments as {@code ps -ww} prints them, joined by spaces, as here.
 * </ul>
 */
public final class Procs {

    private Procs() {}

    /** The one place that decides where process facts come from. */
    private static final Facts FACTS = Files.isDirectory(Path.of("/proc/self")) ? new ProcFiles() : new Ps();

    /** Running or stopped; a zombie is dead (ProcessHandle would call it alive). */
    public static boolean isAlive(long pid) {
        return FACTS.isAlive(pid);
    }

    public static boolean isStopped(long pid) {
        return FACTS.isStopped(pid);
    }

    /**
     * The fields of /proc/PID/stat after the command name, starting with the state; null if gone. Linux
     * only: see the class comment.
     */
    public static String stat(long pid) {
        return FACTS.stat(pid);
    }

    public static long parentOf(long pid) {
        return FACTS.parentOf(pid);
    }

    public static long groupOf(long pid) {
        return FACTS.groupOf(pid);
    }

    /** The foreground process group of the process's controlling terminal (tpgid). */
    public static long foregroundGroupOf(long pid) {
        return FACTS.foregroundGroupOf(pid);
    }

    /** The processes whose parent is {@code pid}, zombies included. */
    public static List<Long> childrenOf(long pid) {
        return FACTS.childrenOf(pid);
    }

    /** Children of {@code pid} whose state is zombie: exited, not yet reaped. */
    public static List<Long> zombieChildren(long pid) {
        return FACTS.zombieChildren(pid);
    }

    /** The command line, arguments joined by spaces; empty if the process is gone or a zombie. */
    public static String cmdline(long pid) {
        return FACTS.cmdline(pid);
    }

    /** The real user id; -1 if gone. */
    public static long realUid(long pid) {
        return FACTS.realUid(pid);
    }

    /** Every pid. */
    public static List<Long> all() {
        return FACTS.all();
    }

    /** Those of {@code pids} that are alive, in their order. */
    public static List<Long> alive(Collection<Long> pids) {
        return FACTS.alive(pids);
    }

    /** Every process whose environment holds {@code NAME=value}. */
    public static List<Long> withEnvironment(String entry) {
        return FACTS.withEnvironment(entry);
    }

    /** The questions above, answered by one source of process facts. */
    private interface Facts {
        boolean isAlive(long pid);

        boolean isStopped(long pid);

        String stat(long pid);

        long parentOf(long pid);

        long groupOf(long pid);

        long foregroundGroupOf(long pid);

        List<Long> childrenOf(long pid);

        List<Long> zombieChildren(long pid);

        String cmdline(long pid);

        long realUid(long pid);

        List<Long> all();

        List<Long> alive(Collection<Long> pids);

        List<Long> withEnvironment(String entry);
    }

    /** Linux: the files of /proc. */
    private static final class ProcFiles implements Facts {

        @Override
        public boolean isAlive(long pid) {
            String state = stat(pid);
            return state != null && !state.startsWith("Z") && !state.startsWith("X");
        }

        @Override
        public boolean isStopped(long pid) {
            String state = stat(pid);
            return state != null && state.startsWith("T");
        }

        @Override
        public String stat(long pid) {
            try {
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"), UTF_8);
                return stat.substring(stat.lastIndexOf(')') + 2);
            } catch (IOException e) {
                return null;
            }
        }

        @Override
        public long parentOf(long pid) {
            return Long.parseLong(stat(pid).split(" ")[1]);
        }

        @Override
        public long groupOf(long pid) {
            return Long.parseLong(stat(pid).split(" ")[2]);
        }

        @Override
        public long foregroundGroupOf(long pid) {
            return Long.parseLong(stat(pid).split(" ")[5]);
        }

        @Override
        public List<Long> childrenOf(long pid) {
            List<Long> children = new ArrayList<>();
            for (long child : all()) {
                String stat = stat(child);
                if (stat != null && Long.parseLong(stat.split(" ")[1]) == pid) {
                    children.add(child);
                }
            }
            return children;
        }

        @Override
        public List<Long> zombieChildren(long pid) {
            return childrenOf(pid).stream().filter(child -> {
                String stat = stat(child);
                return stat != null && stat.startsWith("Z");
            }).toList();
        }

        @Override
        public String cmdline(long pid) {
            try {
                return new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")), UTF_8).replace('\0', ' ')
                        .strip();
            } catch (IOException e) {
                return "";
            }
        }

        @Override
        public long realUid(long pid) {
            try {
                return Files.readAllLines(Path.of("/proc/" + pid + "/status"), UTF_8).stream()
                        .filter(line -> line.startsWith("Uid:"))
                        .mapToLong(line -> Long.parseLong(line.split("\\s+")[1])).findFirst().orElse(-1);
            } catch (IOException e) {
                return -1;
            }
        }

        @Override
        public List<Long> all() {
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

        @Override
        public List<Long> alive(Collection<Long> pids) {
            return pids.stream().filter(this::isAlive).toList();
        }

        @Override
        public List<Long> withEnvironment(String entry) {
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
    }

    /**
     * Without /proc (macOS): BSD {@code ps}, whose output is read as ISO-8859-1 so that every byte is one
     * char. {@code ps} selects nothing for a pid that is gone, and prints no header for {@code name=}.
     */
    private static final class Ps implements Facts {

        /** pid, parent, group, the terminal's foreground group and the state, of one process. */
        private record Row(long pid, long parent, long group, long foreground, String state) {

            static final String COLUMNS = "pid=,ppid=,pgid=,tpgid=,stat=";

            static Row parse(String line) {
                String[] fields = line.strip().split("\\s+");
                return new Row(Long.parseLong(fields[0]), Long.parseLong(fields[1]), Long.parseLong(fields[2]),
                        Long.parseLong(fields[3]), fields[4]);
            }

            boolean zombie() {
                return state.startsWith("Z");
            }
        }

        private static List<String> ps(String... args) {
            List<String> command = new ArrayList<>(List.of("ps"));
            command.addAll(List.of(args));
            try {
                Process ps = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
                String out = new String(ps.getInputStream().readAllBytes(), ISO_8859_1);
                ps.waitFor();
                return out.lines().filter(line -> !line.isBlank()).toList();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        private static Row row(long pid) {
            return ps("-o", Row.COLUMNS, "-p", String.valueOf(pid)).stream().map(Row::parse).findFirst().orElse(null);
        }

        private static Row existing(long pid) {
            Row row = row(pid);
            if (row == null) {
                throw new IllegalStateException("no process " + pid);
            }
            return row;
        }

        private static List<Row> rows() {
            return ps("-A", "-o", Row.COLUMNS).stream().map(Row::parse).toList();
        }

        @Override
        public boolean isAlive(long pid) {
            Row row = row(pid);
            return row != null && !row.zombie();
        }

        @Override
        public boolean isStopped(long pid) {
            Row row = row(pid);
            return row != null && row.state.startsWith("T");
        }

        @Override
        public String stat(long pid) {
            throw new UnsupportedOperationException("/proc/" + pid + "/stat: there is no /proc here");
        }

        @Override
        public long parentOf(long pid) {
            return existing(pid).parent;
        }

        @Override
        public long groupOf(long pid) {
            return existing(pid).group;
        }

        @Override
        public long foregroundGroupOf(long pid) {
            return existing(pid).foreground;
        }

        @Override
        public List<Long> childrenOf(long pid) {
            return rows().stream().filter(row -> row.parent == pid).map(Row::pid).toList();
        }

        @Override
        public List<Long> zombieChildren(long pid) {
            return rows().stream().filter(row -> row.parent == pid && row.zombie()).map(Row::pid).toList();
        }

        @Override
        public String cmdline(long pid) {
            return ps("-ww", "-o", "stat=,command=", "-p", String.valueOf(pid)).stream().map(String::strip)
                    .filter(line -> !line.startsWith("Z")).map(line -> line.substring(line.indexOf(' ') + 1).strip())
                    .findFirst().orElse("");
        }

        @Override
        public long realUid(long pid) {
            return ps("-o", "ruid=", "-p", String.valueOf(pid)).stream().mapToLong(line -> Long.parseLong(line.strip()))
                    .findFirst().orElse(-1);
        }

        @Override
        public List<Long> all() {
            return ps("-A", "-o", "pid=").stream().map(line -> Long.parseLong(line.strip())).toList();
        }

        /** One {@code ps} for all of them, since a teardown test asks about hundreds at once. */
        @Override
        public List<Long> alive(Collection<Long> pids) {
            if (pids.isEmpty()) {
                return List.of();
            }
            List<String> list = pids.stream().map(String::valueOf).toList();
            Set<Long> alive = ps("-o", Row.COLUMNS, "-p", String.join(",", list)).stream().map(Row::parse)
                    .filter(row -> !row.zombie()).map(Row::pid).collect(Collectors.toSet());
            return pids.stream().filter(alive::contains).toList();
        }

        @Override
        public List<Long> withEnvironment(String entry) {
            String wanted = " " + new String(entry.getBytes(UTF_8), ISO_8859_1);
            List<Long> found = new ArrayList<>();
            for (String line : ps("-A", "-E", "-ww", "-o", "pid=,command=")) {
                String command = line.strip();
                int at = command.indexOf(wanted);
                while (at >= 0) {
                    int end = at + wanted.length();
                    if (end == command.length() || command.charAt(end) == ' ') {
                        found.add(Long.parseLong(command.substring(0, command.indexOf(' '))));
                        break;
                    }
                    at = command.indexOf(wanted, end);
                }
            }
            return found;
        }
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
