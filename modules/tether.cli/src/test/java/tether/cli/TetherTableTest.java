package tether.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TetherTableTest {

    static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    static final ShortPaths PATHS = new ShortPaths(bytes("/home/ana/src/shop"), bytes("/home/ana"));

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static Sighting sighting(long pid, String watch, List<String> command, int processes, int[] ports, String log,
            Duration up) {
        return new Sighting(TetherJsonTest.running(pid, NOW.minus(up), processes, ports, processes * 45L << 20),
                watch == null ? null : bytes(watch), bytes("/home/ana/src/shop"),
                command.stream().map(TetherTableTest::bytes).toList(), log == null ? null : bytes(log), log != null,
                Duration.ofSeconds(1), List.of());
    }

    @Test
    void noTethersNoLines() {
        assertEquals(List.of(), TetherTable.lines(List.of(), Map.of(), PATHS, NOW, 80));
    }

    @Test
    void columnsAlignAndPathsAreShort() {
        List<String> lines = TetherTable.lines(List.of(
                sighting(812, "/home/ana/src/shop", List.of("npm", "run", "dev"), 5, new int[] {5173}, null,
                        Duration.ofMinutes(12)),
                sighting(40211, "/home/ana/src/shop-checkout", List.of("make", "watch"), 2, new int[] {5174, 6006}, null,
                        Duration.ofHours(3).plusMinutes(5)),
                sighting(77, null, List.of("sleep", "600"), 1, new int[0], null, Duration.ofSeconds(4))), Map.of(), PATHS,
                NOW, 80);
        assertEquals(List.of(
                "  PID  WATCH             COMMAND      PROCS   MEM  CGROUP  PORTS         UP",
                "  812  .                 npm run dev      5  225M  -       5173         12m",
                "40211  ../shop-checkout  make watch       2   90M  -       5174,6006  3h05m",
                "   77  -                 sleep 600        1   45M  -       -             4s"), lines);
    }

    /** CGROUP says "yes" for a tree held in a cgroup of its own, "-" for one held by its process group alone. */
    @Test
    void aTreeInACgroupOfItsOwnSaysSo() {
        Sighting held = new Sighting(TetherJsonTest.running(812, NOW.minus(Duration.ofMinutes(12)), 5,
                new int[] {5173}, 225L << 20, "/sys/fs/cgroup/user.slice/tether-812-4411"), bytes("/home/ana/src/shop"),
                bytes("/home/ana/src/shop"), List.of(bytes("npm"), bytes("run"), bytes("dev")), null, false,
                Duration.ofSeconds(1), List.of());
        List<String> lines = TetherTable.lines(List.of(held,
                sighting(77, null, List.of("sleep", "600"), 1, new int[0], null, Duration.ofSeconds(4))), Map.of(), PATHS,
                NOW, 80);
        assertEquals(List.of(
                "PID  WATCH  COMMAND      PROCS   MEM  CGROUP  PORTS   UP",
                "812  .      npm run dev      5  225M  yes     5173   12m",
                " 77  -      sleep 600        1   45M  -       -       4s"), lines);
    }

    static final String DEEP = "/srv/builds/agents/worktrees/very-long-project-name/feature-with-a-long-branch-name";

    static List<String> longLine(int width) {
        return TetherTable.lines(List.of(sighting(4242, DEEP,
                List.of("node", "node_modules/.bin/vite", "--port", "5173", "--strictPort", "--host", "0.0.0.0"), 12,
                new int[] {5173, 24678}, DEEP + "/.dev-server.log", Duration.ofDays(2).plusHours(4))), Map.of(), PATHS, NOW,
                width);
    }

    static int columns(String line) {
        return line.codePointCount(0, line.length());
    }

    @Test
    void aLongLineIsCutToTheWidthAndThePathKeepsItsEnd() {
        List<String> lines = longLine(80);
        for (String line : lines) {
            assertTrue(columns(line) <= 80, line);
        }
        String row = lines.get(1);
        assertTrue(row.contains("  …with-a-long-branch-name  "), "the path cut at its start to its floor: " + row);
        assertTrue(row.contains("  node node_…  "), "the command cut below its floor, after the log: " + row);
        assertTrue(row.contains("2d04h"), row);
        assertTrue(row.endsWith("  …og"), "the log cut first, to its heading's width: " + row);
        assertEquals(80, columns(row), "cut no more than needed: " + row);
        assertFalse(lines.getFirst().contains("CGROUP"), "left out before the columns are cut to their headings: "
                + lines.getFirst());
    }

    /** Each width is filled exactly, the log given up first; without a limit nothing is cut. */
    @ParameterizedTest
    @CsvSource({"60", "80", "140", "200"})
    void theLineFillsTheWidthItIsGiven(int width) {
        String row = longLine(width).get(1);
        assertEquals(width, columns(row), row);
        String uncut = longLine(Integer.MAX_VALUE).get(1);
        assertFalse(uncut.contains("…"), uncut);
        assertTrue(uncut.contains(DEEP + "  node node_modules/.bin/vite --port 5173 --strictPort --host 0.0.0.0  "), uncut);
    }

    /** Below the columns' headings there is nothing more to cut: the line is as short as it can be. */
    @Test
    void aNarrowTerminalCutsEveryColumnToItsHeading() {
        assertEquals("4242  …name  node n…     12  540M  5173…  2d04h  …og", longLine(20).get(1));
    }

    @Test
    void nonAsciiNamesCountAsOneColumnEach() {
        List<String> lines = TetherTable.lines(List.of(sighting(1, "/home/ana/src/café", List.of("x"), 1, new int[0],
                null, Duration.ZERO)), Map.of(), PATHS, NOW, 80);
        assertEquals(lines.get(0).indexOf("COMMAND"), lines.get(1).indexOf("x  "), String.join("\n", lines));
    }

    /** An escape is cut whole or not at all, wherever the width falls. */
    @Test
    void aCutNeverSplitsAnEscape() {
        String override = "/srv/" + "x".repeat(40) + "/wt-\u202e" + "y".repeat(30);
        for (int extra = 0; extra < 12; extra++) {
            List<String> lines = TetherTable.lines(List.of(sighting(4242, override + "z".repeat(extra),
                    List.of("sh", "-c", "echo \u202e" + "q".repeat(extra) + " && " + "w".repeat(60)), 1, new int[0],
                    null, Duration.ZERO)), Map.of(), PATHS, NOW, 80);
            String row = lines.get(1);
            assertTrue(!row.contains("\u202e"), "no override printed raw: " + row);
            for (int at = row.indexOf('\\'); at >= 0; at = row.indexOf('\\', at + 1)) {
                assertTrue(row.startsWith("\\u202e", at), "a whole escape at " + at + ": " + row);
            }
        }
    }

    /** Memory in the unit that keeps it short: K below a mebibyte, M below a gibibyte, then G with a tenth. */
    @ParameterizedTest
    @CsvSource({"-1, -", "0, 0K", "1, 1K", "1024, 1K", "1025, 2K", "1047552, 1023K", "1048576, 1M", "47185920, 45M",
            "1072693248, 1023M", "1073741824, 1.0G", "1288490189, 1.2G"})
    void memoryInAShortUnit(long bytes, String shown) {
        assertEquals(shown, TetherTable.memory(bytes));
    }

    /** READY appears when a tether has --ready: yes, no, ? when it cannot be told, - for one without. */
    @Test
    void readinessShowsWhenSomeTetherWaitsForIt() {
        Sighting listening = withReady(sighting(1, "/home/ana/src/shop", List.of("vite"), 1, new int[] {5173}, null,
                Duration.ofMinutes(1)), "port:5173");
        Sighting notYet = withReady(sighting(2, "/home/ana/src/shop-b", List.of("vite"), 1, new int[0], null,
                Duration.ofMinutes(1)), "port:5174");
        Sighting printed = withReady(sighting(3, "/home/ana/src/shop-c", List.of("vite"), 1, new int[0], null,
                Duration.ofMinutes(1)), "output:Local:");
        Sighting without = sighting(4, "/home/ana/src/shop-d", List.of("vite"), 1, new int[0], null,
                Duration.ofMinutes(1));
        Map<Sighting, Boolean> ready = new IdentityHashMap<>();
        ready.put(listening, true);
        ready.put(notYet, false);
        ready.put(printed, null);
        assertEquals(List.of(
                "PID  WATCH      COMMAND  PROCS  MEM  CGROUP  PORTS  READY  UP",
                "  1  .          vite         1  45M  -       5173   yes    1m",
                "  2  ../shop-b  vite         1  45M  -       -      no     1m",
                "  3  ../shop-c  vite         1  45M  -       -      ?      1m",
                "  4  ../shop-d  vite         1  45M  -       -      -      1m"),
                TetherTable.lines(List.of(listening, notYet, printed, without), ready, PATHS, NOW, 80));
    }

    /**
     * READY is never cut: on a narrow terminal the other columns give way around it, as around MEM, and CGROUP is
     * left out.
     */
    @Test
    void readinessKeepsItsColumnWhenTheLineIsNarrowed() {
        Sighting waiting = withReady(sighting(4242, DEEP,
                List.of("node", "node_modules/.bin/vite", "--port", "5173", "--strictPort", "--host", "0.0.0.0"), 12,
                new int[] {5173, 24678}, DEEP + "/.dev-server.log", Duration.ofDays(2).plusHours(4)), "port:5173");
        Map<Sighting, Boolean> ready = new IdentityHashMap<>();
        ready.put(waiting, false);
        List<String> lines = TetherTable.lines(List.of(waiting), ready, PATHS, NOW, 60);
        assertEquals(List.of(
                " PID  WATCH   COMMAND  PROCS   MEM  PORTS  READY     UP  LOG",
                "4242  …-name  node n…     12  540M  5173…  no     2d04h  …og"), lines);
        String uncut = TetherTable.lines(List.of(waiting), ready, PATHS, NOW, Integer.MAX_VALUE).get(1);
        assertFalse(uncut.contains("…"), uncut);
    }

    /**
     * CGROUP gives way once the columns that can be cut are at their floors (109 columns for this line), before
     * any is cut to its heading: left out whole, its width goes back to the watched path, the last to give way.
     * READY stays.
     */
    @Test
    void theCgroupColumnIsLeftOutOnceTheCutColumnsAreAtTheirFloors() {
        Sighting held = withReady(new Sighting(TetherJsonTest.running(4242, NOW.minus(Duration.ofDays(2).plusHours(4)),
                12, new int[] {5173, 24678}, 540L << 20, "/sys/fs/cgroup/tether-4242-51"), bytes(DEEP),
                bytes("/home/ana/src/shop"), Stream.of("node", "node_modules/.bin/vite", "--port", "5173", "--strictPort",
                        "--host", "0.0.0.0").map(TetherTableTest::bytes).toList(), bytes(DEEP + "/.dev-server.log"),
                true, Duration.ofSeconds(1), List.of()), "port:5173");
        Map<Sighting, Boolean> ready = new IdentityHashMap<>();
        ready.put(held, true);
        assertEquals(List.of(
                " PID  WATCH                     COMMAND           PROCS   MEM  CGROUP  PORTS       READY     UP  LOG",
                "4242  …with-a-long-branch-name  node node_modul…     12  540M  yes     5173,24678  yes    2d04h  "
                        + "…-server.log"), TetherTable.lines(List.of(held), ready, PATHS, NOW, 109));
        assertEquals(List.of(
                " PID  WATCH                            COMMAND           PROCS   MEM  PORTS       READY     UP  LOG",
                "4242  …eature-with-a-long-branch-name  node node_modul…     12  540M  5173,24678  yes    2d04h  "
                        + "…-server.log"), TetherTable.lines(List.of(held), ready, PATHS, NOW, 108));
    }

    static Sighting withReady(Sighting s, String condition) {
        return new Sighting(s.process(), s.watch(), s.directory(), s.command(), s.log(), s.detached(), s.grace(),
                List.of(tether.cli.ready.Condition.parse(condition)));
    }

    @ParameterizedTest
    @CsvSource({"0, 0s", "59, 59s", "60, 1m", "3599, 59m", "3600, 1h00m", "86399, 23h59m", "86400, 1d00h",
            "1000000, 11d13h", "-5, 0s"})
    void uptimeInTheLargestTwoUnits(long seconds, String shown) {
        assertEquals(shown, TetherTable.uptime(Duration.ofSeconds(seconds)));
    }
}
