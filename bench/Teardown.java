import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tether.testkit.Procs;

/**
 * What a teardown costs under load, from outside: {@code java bench/Teardown.java TETHER OUTPUT}, run by
 * {@code bench/teardown.sh}. Uses {@link Bench}'s helpers (the launcher compiles both files).
 *
 * <p>1. CPU of one tether waiting out {@code --grace 10s} on a tree that ignores SIGTERM, with no and with
 * several hundred unrelated processes on the machine: a teardown should cost what its own tree costs.
 * 2. A hundred tethers in a hundred directories, removed in one {@code rm -rf}: time until all 300
 * processes of their trees are dead.
 */
public class Teardown {

    static final int GRACE_SECONDS = 10;
    static final int MEASURED_SECONDS = 8;
    static final int WORKTREES = 100;

    public static void main(String[] args) throws Exception {
        Bench.Tool tether = new Bench.Tool("tether", List.of(Path.of(args[0]).toAbsolutePath().toString()));
        StringBuilder out = new StringBuilder();
        out.append("| unrelated processes on the machine | tether's CPU while it waits out a 10 s grace (% of a core) |\n");
        out.append("| ---: | ---: |\n");
        for (int extra : new int[] {0, 400}) {
            out.append(String.format(Locale.ROOT, "| %d (%d in all) | %.2f |%n", extra, Procs.all().size() + extra,
                    graceCpu(tether, extra)));
        }
        out.append(String.format(Locale.ROOT, "%n%d worktrees removed in one `rm -rf`: all %d processes dead after %.0f ms%n",
                WORKTREES, 3 * WORKTREES, removeAll(tether)));
        System.out.print(out);
        Files.writeString(Path.of(args[1]), out);
    }

    static double graceCpu(Bench.Tool tether, int extra) throws Exception {
        Process others = new ProcessBuilder("sh", "-c", "i=0; while [ $i -lt " + extra
                + " ]; do sleep 600 & i=$((i+1)); done; wait").start();
        Path dir = Files.createTempDirectory("tether-bench");
        Path pids = Files.createFile(dir.resolve("pids"));
        Process run = new ProcessBuilder(tether.run("--grace", GRACE_SECONDS + "s", "--no-watch", "--", "sh", "-c",
                "trap '' TERM; sleep 600 & echo $! >> " + pids + "; sleep 600 & echo $! >> " + pids + "; echo $$ >> "
                        + pids + "; wait")).inheritIO().start();
        Bench.awaitPids(pids);
        while (Procs.all().size() < extra) {
            Thread.sleep(10);
        }
        new ProcessBuilder("kill", "-TERM", String.valueOf(run.pid())).start().waitFor();
        Thread.sleep(500);
        long before = Bench.cpuNanos(run.pid());
        Thread.sleep(MEASURED_SECONDS * 1000L);
        long after = Bench.cpuNanos(run.pid());
        run.waitFor();
        others.descendants().forEach(ProcessHandle::destroyForcibly);
        others.destroyForcibly().waitFor();
        Bench.delete(dir);
        return 100.0 * (after - before) / (MEASURED_SECONDS * 1e9);
    }

    static double removeAll(Bench.Tool tether) throws Exception {
        Path root = Files.createTempDirectory("tether-bench");
        Path worktrees = Files.createDirectory(root.resolve("worktrees"));
        List<Process> runs = new ArrayList<>();
        List<Path> pidFiles = new ArrayList<>();
        for (int i = 0; i < WORKTREES; i++) {
            Path pids = Files.createFile(root.resolve("pids" + i));
            pidFiles.add(pids);
            runs.add(Bench.startTree(new Bench.Tool("tether", List.of(tether.prefix().getFirst(), "--")),
                    Files.createDirectory(worktrees.resolve("wt" + i)), pids));
        }
        List<Long> trees = new ArrayList<>();
        for (Path pids : pidFiles) {
            trees.addAll(Bench.awaitPids(pids));
        }
        long removedAt = Bench.epochNanos();
        new ProcessBuilder("rm", "-rf", worktrees.toString()).start().waitFor();
        long deadAt = Bench.awaitDead(trees);
        for (Process run : runs) {
            run.waitFor();
        }
        Bench.delete(root);
        return Bench.millis(deadAt - removedAt);
    }
}
