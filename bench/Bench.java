import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import tether.testkit.Procs;

/**
 * Measures tether against tini, dumb-init, coreutils timeout and the JVM floor, from outside, as a user
 * sees them: one at a time, thirty started at once, ten idle at once. Run by {@code bench/run.sh}, which installs the tools and builds what is missing:
 * {@code java bench/Bench.java TETHER FLOOR_CLASSPATH RUNS OUTPUT_PREFIX}.
 *
 * <p>Every figure is a median over RUNS rounds, and in each round every tool runs once, one after the
 * other, so that all see the same machine load ("paired runs"). Liveness is read from /proc every 0.2 ms;
 * a zombie counts as dead.
 */
public class Bench {

    record Tool(String name, List<String> prefix) {
        List<String> run(String... command) {
            List<String> all = new ArrayList<>(prefix);
            all.addAll(List.of(command));
            return all;
        }
    }

    static final Random RANDOM = new Random(1);
    static final long CAP_NANOS = 3_000_000_000L;

    public static void main(String[] args) throws Exception {
        String tether = Path.of(args[0]).toAbsolutePath().toString();
        String floorClasspath = Path.of(args[1]).toAbsolutePath().toString();
        int runs = Integer.parseInt(args[2]);
        Path output = Path.of(args[3]);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Tool> tools = List.of(
                new Tool("tether", List.of(tether, "--")),
                new Tool("tini", List.of("tini", "-s", "--")),
                new Tool("dumb-init", List.of("dumb-init")),
                new Tool("timeout", List.of("timeout", "1h")),
                new Tool("JVM floor", List.of(java, "-cp", floorClasspath, "Wrapper")));

        Map<String, List<Double>> startup = new LinkedHashMap<>();
        Map<String, List<Double>> thirty = new LinkedHashMap<>();
        Map<String, List<Double>> exitAfter = new LinkedHashMap<>();
        Map<String, Integer> grandchildKilled = new LinkedHashMap<>();
        for (Tool tool : tools) {
            startup.put(tool.name(), new ArrayList<>());
            thirty.put(tool.name(), new ArrayList<>());
            exitAfter.put(tool.name(), new ArrayList<>());
            grandchildKilled.put(tool.name(), 0);
        }
        for (int round = 0; round < runs; round++) {
            System.err.println("round " + (round + 1) + " of " + runs);
            for (Tool tool : tools) {
                startup.get(tool.name()).add(startup(tool));
            }
            for (Tool tool : tools) {
                thirty.get(tool.name()).add(startupAtOnce(tool, 30));
            }
            for (Tool tool : tools) {
                ExitSweep sweep = exitSweep(tool);
                exitAfter.get(tool.name()).add(sweep.exitedAfterMillis());
                grandchildKilled.merge(tool.name(), sweep.grandchildKilled() ? 1 : 0, Integer::sum);
            }
        }
        Map<String, double[]> idle = idle(tools, 30);
        Map<String, Double> pss = new LinkedHashMap<>();
        for (Tool tool : tools) {
            pss.put(tool.name(), meanIdlePss(tool, 10, 5));
        }
        List<Double> removal = new ArrayList<>();
        List<Double> sigkill = new ArrayList<>();
        for (int round = 0; round < runs; round++) {
            removal.add(removal(tools.getFirst()));
            sigkill.add(sigkill(tools.getFirst()));
        }

        StringBuilder table = new StringBuilder();
        table.append("| tool | start-up, `TOOL true` (ms) | 30 `TOOL true` at once, all done (ms) "
                + "| idle RSS, `TOOL sleep 600` (MB) | 10 idle at once, mean PSS (MB) | idle CPU (% of a core) "
                + "| COMMAND exited -> tool exited (ms) | lingering grandchild killed | worktree removed -> tree dead (ms) |\n");
        table.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (Tool tool : tools) {
            double[] rssCpu = idle.get(tool.name());
            table.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %.1f | %.3f | %.1f | %d of %d | %s |%n",
                    tool.name(), median(startup.get(tool.name())), median(thirty.get(tool.name())), rssCpu[0],
                    pss.get(tool.name()), rssCpu[1],
                    median(exitAfter.get(tool.name())), grandchildKilled.get(tool.name()), runs,
                    tool == tools.getFirst()
                            ? String.format(Locale.ROOT, "%.1f (max %.1f)", median(removal), Collections.max(removal))
                            : "does not watch"));
        }
        String header = String.format(Locale.ROOT, "Medians of %d paired runs, %s, %d cores.%n%n", runs,
                Instant.now().toString().substring(0, 10), Runtime.getRuntime().availableProcessors());
        table.append(String.format(Locale.ROOT, "%ntether SIGKILLed (`kill -9`) -> its 3-process tree dead: median %.1f ms, "
                + "max %.1f ms (the others leave the tree running).%n", median(sigkill), Collections.max(sigkill)));
        System.out.print(header + table);
        Files.writeString(Path.of(output + ".md"), header + table);
        Files.writeString(Path.of(output + ".svg"), chart(tools, startup, thirty, idle, pss, exitAfter));
    }

    // ---- measurements ----

    static double startup(Tool tool) throws Exception {
        long start = System.nanoTime();
        new ProcessBuilder(tool.run("true")).inheritIO().start().waitFor();
        return millis(System.nanoTime() - start);
    }

    /** From starting {@code count} of {@code TOOL true} at once until the last has exited. */
    static double startupAtOnce(Tool tool, int count) throws Exception {
        long start = System.nanoTime();
        List<Process> processes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            processes.add(new ProcessBuilder(tool.run("true")).inheritIO().start());
        }
        for (Process process : processes) {
            process.waitFor();
        }
        return millis(System.nanoTime() - start);
    }

    /**
     * Mean proportional set size (MB) of {@code count} of the tool, each supervising {@code sleep 600} in a
     * directory of its own, {@code seconds} after the last one started: what they cost together, with the
     * pages they share (the image's files, the AOT cache) counted once. The supervising process only.
     */
    static double meanIdlePss(Tool tool, int count, int seconds) throws Exception {
        List<Path> dirs = new ArrayList<>();
        List<Process> running = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Path dir = Files.createTempDirectory("tether-bench");
            dirs.add(dir);
            running.add(new ProcessBuilder(tool.run("sleep", "600")).directory(dir.toFile()).inheritIO().start());
        }
        Thread.sleep(seconds * 1_000L);
        double total = 0;
        for (Process process : running) {
            total += pssKilobytes(process.pid()) / 1024.0;
        }
        stop(running);
        for (Path dir : dirs) {
            delete(dir);
        }
        return total / count;
    }

    /** SIGTERM to each tool, then SIGKILL to the {@code sleep} that a tool left behind (the JVM floor does). */
    static void stop(List<Process> processes) throws Exception {
        List<ProcessHandle> descendants = new ArrayList<>();
        for (Process process : processes) {
            process.toHandle().descendants().forEach(descendants::add);
            new ProcessBuilder("kill", "-TERM", String.valueOf(process.pid())).start().waitFor();
        }
        for (Process process : processes) {
            process.waitFor();
        }
        for (ProcessHandle descendant : descendants) {
            descendant.destroyForcibly();
        }
    }

    record ExitSweep(double exitedAfterMillis, boolean grandchildKilled) {}

    /** COMMAND leaves a sleeping grandchild that obeys SIGTERM and exits, writing the time last. */
    static ExitSweep exitSweep(Tool tool) throws Exception {
        Path dir = Files.createTempDirectory("tether-bench");
        Path pid = dir.resolve("pid");
        Path exited = dir.resolve("exited");
        Process process = new ProcessBuilder(tool.run("sh", "-c",
                "sleep 600 & echo $! > " + pid + "; date +%s%N > " + exited)).inheritIO().start();
        if (!process.waitFor(CAP_NANOS, java.util.concurrent.TimeUnit.NANOSECONDS)) {
            throw new IllegalStateException(tool.name() + " did not exit after its command did");
        }
        long toolExitedAt = epochNanos();
        long grandchild = Long.parseLong(Files.readString(pid).strip());
        long commandExitedAt = Long.parseLong(Files.readString(exited).strip());
        boolean killed = !Procs.isAlive(grandchild);
        if (!killed) {
            new ProcessBuilder("kill", "-KILL", String.valueOf(grandchild)).start().waitFor();
        }
        delete(dir);
        return new ExitSweep(millis(toolExitedAt - commandExitedAt), killed);
    }

    /** Resident memory (MB) and CPU (% of one core) of each tool supervising {@code sleep 600}. */
    static Map<String, double[]> idle(List<Tool> tools, int seconds) throws Exception {
        Path dir = Files.createTempDirectory("tether-bench");
        Map<String, Process> running = new LinkedHashMap<>();
        for (Tool tool : tools) {
            running.put(tool.name(), new ProcessBuilder(tool.run("sleep", "600")).directory(dir.toFile())
                    .inheritIO().start());
        }
        Thread.sleep(2_000);
        Map<String, Long> before = new LinkedHashMap<>();
        running.forEach((name, process) -> before.put(name, cpuNanos(process.pid())));
        Thread.sleep(seconds * 1_000L);
        Map<String, double[]> result = new LinkedHashMap<>();
        for (Map.Entry<String, Process> entry : running.entrySet()) {
            long pid = entry.getValue().pid();
            double cpu = (cpuNanos(pid) - before.get(entry.getKey())) / (seconds * 1e9) * 100;
            result.put(entry.getKey(), new double[] {rssKilobytes(pid) / 1024.0, cpu});
        }
        stop(new ArrayList<>(running.values()));
        delete(dir);
        return result;
    }

    /**
     * From the removal of tether's (empty) directory, at a random moment in its poll, until the tree is
     * dead. The directory is removed in this process, so the clock starts at the removal itself.
     */
    static double removal(Tool tether) throws Exception {
        Path dir = Files.createTempDirectory("tether-bench");
        Path pids = Files.createTempFile("tether-bench", ".pids");
        Process process = startTree(tether, dir, pids);
        List<Long> tree = awaitPids(pids);
        Thread.sleep(RANDOM.nextInt(250));
        long removedAt = epochNanos();
        Files.delete(dir);
        long deadAt = awaitDead(tree);
        process.waitFor();
        Files.delete(pids);
        return millis(deadAt - removedAt);
    }

    /** From {@code kill -9} of tether until its tree, which obeys SIGTERM, is dead: the sentinel's work. */
    static double sigkill(Tool tether) throws Exception {
        Path dir = Files.createTempDirectory("tether-bench");
        Path pids = Files.createTempFile("tether-bench", ".pids");
        Process process = startTree(tether, dir, pids);
        List<Long> tree = awaitPids(pids);
        long killedAt = epochNanos();
        process.destroyForcibly();
        long deadAt = awaitDead(tree);
        process.waitFor();
        // A kill that lands before tether has handed the group to its sentinel leaves the tree running.
        for (long member : tree) {
            ProcessHandle.of(member).ifPresent(ProcessHandle::destroyForcibly);
        }
        Files.delete(pids);
        delete(dir);
        return millis(deadAt - killedAt);
    }

    /** tether running a shell with two sleeping children in {@code dir}; their pids go to {@code pids}. */
    static Process startTree(Tool tether, Path dir, Path pids) throws IOException {
        return new ProcessBuilder(tether.run("sh", "-c", "sleep 600 & echo $! >> " + pids
                + "; sleep 600 & echo $! >> " + pids + "; echo $$ >> " + pids + "; wait"))
                .directory(dir.toFile()).inheritIO().start();
    }

    static List<Long> awaitPids(Path pids) throws Exception {
        List<Long> tree;
        while ((tree = Files.readAllLines(pids).stream().map(Long::parseLong).toList()).size() < 3) {
            Thread.sleep(1);
        }
        return tree;
    }

    // ---- /proc ----

    /** Checks only the ones still alive, so that watching many processes does not itself load the machine. */
    static long awaitDead(List<Long> pids) throws InterruptedException {
        long deadline = System.nanoTime() + CAP_NANOS;
        List<Long> alive = new ArrayList<>(pids);
        while (System.nanoTime() < deadline) {
            alive.removeIf(pid -> !Procs.isAlive(pid));
            if (alive.isEmpty()) {
                break;
            }
            Thread.sleep(0, 200_000);
        }
        return epochNanos();
    }

    static long cpuNanos(long pid) {
        long total = 0;
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks.toList()) {
                total += Long.parseLong(Files.readString(task.resolve("schedstat")).split(" ")[0]);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return total;
    }

    static long pssKilobytes(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/smaps_rollup"))) {
            if (line.startsWith("Pss:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no Pss for " + pid);
    }

    static long rssKilobytes(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS for " + pid);
    }

    // ---- the chart ----

    static String chart(List<Tool> tools, Map<String, List<Double>> startup, Map<String, List<Double>> thirty,
            Map<String, double[]> idle, Map<String, Double> pss, Map<String, List<Double>> exitAfter) {
        String[] titles = {"start-up (ms)", "30 at once (ms)", "idle RSS (MB)", "10 idle: mean PSS (MB)",
            "COMMAND exit -> tool exit (ms)"};
        int panels = titles.length;
        int panelWidth = 230;
        int barHeight = 22;
        int top = 40;
        int height = top + tools.size() * (barHeight + 8) + 20;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" "
                        + "font-size=\"12\">%n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>%n",
                panelWidth * panels + 100, height));
        for (int panel = 0; panel < panels; panel++) {
            double[] values = new double[tools.size()];
            for (int i = 0; i < tools.size(); i++) {
                String name = tools.get(i).name();
                values[i] = switch (panel) {
                    case 0 -> median(startup.get(name));
                    case 1 -> median(thirty.get(name));
                    case 2 -> idle.get(name)[0];
                    case 3 -> pss.get(name);
                    default -> median(exitAfter.get(name));
                };
            }
            double max = 0;
            for (double value : values) {
                max = Math.max(max, value);
            }
            int x0 = 100 + panel * panelWidth;
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"20\" font-weight=\"bold\">%s</text>%n",
                    x0, titles[panel]));
            for (int i = 0; i < tools.size(); i++) {
                int y = top + i * (barHeight + 8);
                if (panel == 0) {
                    svg.append(String.format(Locale.ROOT, "<text x=\"5\" y=\"%d\">%s</text>%n", y + 15,
                            tools.get(i).name()));
                }
                double width = max == 0 ? 0 : values[i] / max * (panelWidth - 70);
                svg.append(String.format(Locale.ROOT,
                        "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>%n", x0, y, width,
                        barHeight, i == 0 ? "#2a7ab9" : "#9aa5b1"));
                svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">%.1f</text>%n",
                        x0 + width + 4, y + 15, values[i]));
            }
        }
        return svg.append("</svg>\n").toString();
    }

    // ---- helpers ----

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    static long epochNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    static double millis(long nanos) {
        return nanos / 1e6;
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
