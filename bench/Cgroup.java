import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import tether.testkit.Procs;

/**
 * What a cgroup of the tree's own costs and gives, from outside: {@code java bench/Cgroup.java TETHER RUNS
 * OUTPUT}, run by {@code bench/cgroup.sh}. Uses {@link Bench}'s helpers (the launcher compiles both files).
 *
 * <p>Each round runs every measurement twice, with a cgroup and with {@code --no-cgroup}, one right after the
 * other, so that both see the same load (paired runs); the ratio of each pair is taken before the median.
 * 1. Start-up, {@code tether -- true}. 2. The teardown of a 300-process tree that obeys SIGTERM: from SIGTERM
 * to tether until tether has exited, which it does once the tree is empty. 3. {@code kill -9} of tether whose
 * tree is a shell, a child and a {@code setsid} escapee that dropped its environment, and with it the marker
 * the sentinel also looks for: until all three are dead (the escapee outlives a tether without a cgroup).
 */
public class Cgroup {

    static final int TREE = 300;

    public static void main(String[] args) throws Exception {
        String tether = Path.of(args[0]).toAbsolutePath().toString();
        int runs = Integer.parseInt(args[1]);
        Path output = Path.of(args[2]);
        String loadBefore = load();
        String refused = refusal(tether);
        StringBuilder out = new StringBuilder();
        if (refused != null) {
            out.append("No cgroup can be had here (").append(refused).append("): no cgroup rows.\n");
            System.out.print(out);
            Files.writeString(output, out);
            return;
        }
        List<Double> startWith = new ArrayList<>();
        List<Double> startWithout = new ArrayList<>();
        List<Double> downWith = new ArrayList<>();
        List<Double> downWithout = new ArrayList<>();
        List<Double> killWith = new ArrayList<>();
        int escapeesLeft = 0;
        for (int round = 0; round < runs; round++) {
            System.err.println("round " + (round + 1) + " of " + runs);
            // Which of the pair runs first alternates: the first start after a round's teardowns and kills
            // otherwise pays for them.
            if (round % 2 == 0) {
                startWith.add(Bench.startup(tool(tether, true)));
                startWithout.add(Bench.startup(tool(tether, false)));
            } else {
                startWithout.add(Bench.startup(tool(tether, false)));
                startWith.add(Bench.startup(tool(tether, true)));
            }
            downWith.add(teardown(tether, true));
            downWithout.add(teardown(tether, false));
            killWith.add(sigkill(tether, true));
            if (sigkill(tether, false) < 0) {
                escapeesLeft++;
            }
        }
        out.append(String.format(Locale.ROOT, "`bench/cgroup.sh %d` on %d cores, %s, as %s; load average %s at the start "
                + "and %s at the end. Medians of %d rounds, each running both, one right after the other (for start-up, "
                + "which first alternates); the ratio is the median of the rounds' ratios.%n%n", runs, Runtime.getRuntime().availableProcessors(),
                java.time.LocalDate.now(), System.getProperty("user.name"), loadBefore, load(), runs));
        out.append("| | with a cgroup | `--no-cgroup` | ratio |\n| --- | ---: | ---: | ---: |\n");
        out.append(row("start-up, `tether -- true` (ms)", startWith, startWithout));
        out.append(row("teardown of a " + TREE + "-process tree, SIGTERM to tether exited (ms)", downWith, downWithout));
        out.append(String.format(Locale.ROOT, "| tether SIGKILLed -> its tree (a shell, a child, a `setsid env -i` "
                + "escapee) dead (ms) | %.1f (max %.1f) | the escapee left running in %d of %d | |%n",
                Bench.median(killWith), Collections.max(killWith), escapeesLeft, runs));
        System.out.print(out);
        Files.writeString(output, out);
    }

    static Bench.Tool tool(String tether, boolean cgroup) {
        return new Bench.Tool(cgroup ? "cgroup" : "no cgroup", cgroup ? List.of(tether, "--no-watch", "--")
                : List.of(tether, "--no-watch", "--no-cgroup", "--"));
    }

    /** Why {@code tether --cgroup} refuses here, or {@code null} when it can have one. */
    static String refusal(String tether) throws Exception {
        Process process = new ProcessBuilder(tether, "--cgroup", "--no-watch", "--", "true").redirectErrorStream(true)
                .start();
        String said = new String(process.getInputStream().readAllBytes()).strip();
        return process.waitFor() == 0 ? null : said;
    }

    static String load() throws IOException {
        return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    }

    static String row(String what, List<Double> with, List<Double> without) {
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < with.size(); i++) {
            ratios.add(with.get(i) / without.get(i));
        }
        return String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.3f |%n", what, Bench.median(with),
                Bench.median(without), Bench.median(ratios));
    }

    /** From SIGTERM to tether, whose tree of {@link #TREE} processes obeys it, until tether has exited. */
    static double teardown(String tether, boolean cgroup) throws Exception {
        Path dir = Files.createTempDirectory("tether-bench");
        Path pids = dir.resolve("pids");
        Process run = start(tether, cgroup, dir, "i=1; while [ $i -lt " + TREE + " ]; do sleep 600 & echo $! >> "
                + pids + "; i=$((i+1)); done; echo $$ >> " + pids + "; wait");
        List<Long> tree;
        while ((tree = Files.readAllLines(pids).stream().map(Long::parseLong).toList()).size() < TREE) {
            Thread.sleep(5);
        }
        long start = System.nanoTime();
        new ProcessBuilder("kill", "-TERM", String.valueOf(run.pid())).start().waitFor();
        run.waitFor();
        double millis = Bench.millis(System.nanoTime() - start);
        if (!Procs.alive(tree).isEmpty()) {
            throw new IllegalStateException("tether exited with processes of its tree alive: " + Procs.alive(tree));
        }
        Bench.delete(dir);
        return millis;
    }

    /** tether running {@code sh -c script} in {@code dir}, whose (empty) file {@code pids} the script fills. */
    static Process start(String tether, boolean cgroup, Path dir, String script) throws IOException {
        Files.createFile(dir.resolve("pids"));
        return new ProcessBuilder(tool(tether, cgroup).run("sh", "-c", script)).directory(dir.toFile()).inheritIO()
                .start();
    }

    /**
     * From {@code kill -9} of tether until its tree is dead: the sentinel's work. Returns -1 when a process
     * outlived it (the escapee, without a cgroup), which is then killed here.
     */
    static double sigkill(String tether, boolean cgroup) throws Exception {
        Path dir = Files.createTempDirectory("tether-bench");
        Path pids = dir.resolve("pids");
        // The escapee writes its pid once it has left the session and dropped its environment, never before.
        Process run = start(tether, cgroup, dir, "setsid env -i /bin/sh -c 'echo $$ >> " + pids
                + "; exec /bin/sleep 600' & sleep 600 & echo $! >> " + pids + "; echo $$ >> " + pids + "; wait");
        List<Long> tree = Bench.awaitPids(pids);
        long killedAt = Bench.epochNanos();
        run.destroyForcibly();
        long deadAt = Bench.awaitDead(tree);
        run.waitFor();
        boolean left = !Procs.alive(tree).isEmpty();
        for (long member : tree) {
            ProcessHandle.of(member).ifPresent(ProcessHandle::destroyForcibly);
        }
        Bench.delete(dir);
        return left ? -1 : Bench.millis(deadAt - killedAt);
    }
}
