import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Times tether's teardown scenarios from outside, as a user would see them:
 * {@code java bench/Scenarios.java [LAUNCHER] [RUNS]}. Prints the median and maximum of each, in ms.
 *
 * <ul>
 *   <li>start-up: wall time of {@code tether -- true};
 *   <li>exit sweep: from COMMAND's exit (it writes a timestamp last) until its lingering grandchild is dead;
 *   <li>removal: from {@code rm -rf} of the worktree until the 3-process tree is dead (default 250 ms poll);
 *   <li>SIGTERM: from {@code kill -TERM} of tether until the 3-process tree is dead.
 * </ul>
 * Liveness is read from /proc every 0.2 ms; a zombie counts as dead.
 */
public class Scenarios {

    static final java.util.Random RANDOM = new java.util.Random(1);
    static String launcher;

    public static void main(String[] args) throws Exception {
        launcher = Path.of(args.length > 0 ? args[0] : "jlink/target/tether/bin/tether").toAbsolutePath().toString();
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        List<Double> startup = new ArrayList<>();
        List<Double> exitSweep = new ArrayList<>();
        List<Double> removal = new ArrayList<>();
        List<Double> sigterm = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            startup.add(startup());
            exitSweep.add(exitSweep());
            removal.add(removal());
            sigterm.add(sigterm());
        }
        System.out.println("| scenario (" + runs + " runs) | median ms | max ms |");
        System.out.println("| --- | ---: | ---: |");
        row("start-up, `tether -- true`", startup);
        row("COMMAND exited -> lingering grandchild dead", exitSweep);
        row("worktree removed -> tree dead (poll 250ms)", removal);
        row("SIGTERM to tether -> tree dead", sigterm);
    }

    static void row(String name, List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        System.out.printf("| %s | %.1f | %.1f |%n", name, sorted.get(sorted.size() / 2), sorted.getLast());
    }

    static double startup() throws Exception {
        long start = System.nanoTime();
        new ProcessBuilder(launcher, "--", "true").inheritIO().start().waitFor();
        return ms(System.nanoTime() - start);
    }

    static double exitSweep() throws Exception {
        Path dir = Files.createTempDirectory("tether-bench");
        Path pid = dir.resolve("pid");
        Path exited = dir.resolve("exited");
        Process tether = new ProcessBuilder(launcher, "--no-watch", "--", "sh", "-c",
                "sleep 600 & echo $! > " + pid + "; date +%s%N > " + exited).inheritIO().start();
        tether.waitFor();
        long grandchild = Long.parseLong(Files.readString(pid).strip());
        long deadAt = awaitDead(List.of(grandchild));
        long exitedAt = Long.parseLong(Files.readString(exited).strip());
        delete(dir);
        return ms(deadAt - exitedAt);
    }

    static double removal() throws Exception {
        Path dir = Files.createTempDirectory("tether-bench");
        Path pids = Files.createTempFile("tether-bench", ".pids");
        Process tether = startTree(dir, pids);
        List<Long> tree = awaitPids(pids);
        // A removal lands anywhere in the poll interval, not just after tether's first check.
        Thread.sleep(RANDOM.nextInt(250));
        long removedAt = epochNanos();
        new ProcessBuilder("rm", "-rf", dir.toString()).start().waitFor();
        long deadAt = awaitDead(tree);
        tether.waitFor();
        Files.delete(pids);
        return ms(deadAt - removedAt);
    }

    static double sigterm() throws Exception {
        Path dir = Files.createTempDirectory("tether-bench");
        Path pids = Files.createTempFile("tether-bench", ".pids");
        Process tether = startTree(dir, pids);
        List<Long> tree = awaitPids(pids);
        long signalledAt = epochNanos();
        new ProcessBuilder("kill", "-TERM", String.valueOf(tether.pid())).start().waitFor();
        long deadAt = awaitDead(tree);
        tether.waitFor();
        Files.delete(pids);
        delete(dir);
        return ms(deadAt - signalledAt);
    }

    static Process startTree(Path dir, Path pids) throws IOException {
        return new ProcessBuilder(launcher, "--", "sh", "-c",
                "sleep 600 & echo $! >> " + pids + "; sleep 600 & echo $! >> " + pids + "; echo $$ >> " + pids + "; wait")
                .directory(dir.toFile()).inheritIO().start();
    }

    static List<Long> awaitPids(Path file) throws Exception {
        while (true) {
            List<String> lines = Files.readAllLines(file);
            if (lines.size() == 3) {
                return lines.stream().map(Long::parseLong).toList();
            }
            Thread.sleep(1);
        }
    }

    /** Polls until none of {@code pids} is alive and returns the time, in epoch nanoseconds. */
    static long awaitDead(List<Long> pids) throws InterruptedException {
        while (pids.stream().anyMatch(Scenarios::alive)) {
            Thread.sleep(0, 200_000);
        }
        return epochNanos();
    }

    static boolean alive(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException e) {
            return false;
        }
    }

    static long epochNanos() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    static double ms(long nanos) {
        return nanos / 1_000_000.0;
    }

    static void delete(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(dir);
    }
}
