package tether.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
        return new Sighting(TetherJsonTest.running(pid, NOW.minus(up), processes, ports),
                watch == null ? null : bytes(watch), bytes("/home/ana/src/shop"),
                command.stream().map(TetherTableTest::bytes).toList(), log == null ? null : bytes(log), log != null,
                Duration.ofSeconds(1));
    }

    @Test
    void noTethersNoLines() {
        assertEquals(List.of(), TetherTable.lines(List.of(), PATHS, NOW, 80));
    }

    @Test
    void columnsAlignAndPathsAreShort() {
        List<String> lines = TetherTable.lines(List.of(
                sighting(812, "/home/ana/src/shop", List.of("npm", "run", "dev"), 5, new int[] {5173}, null,
                        Duration.ofMinutes(12)),
                sighting(40211, "/home/ana/src/shop-checkout", List.of("make", "watch"), 2, new int[] {5174, 6006}, null,
                        Duration.ofHours(3).plusMinutes(5)),
                sighting(77, null, List.of("sleep", "600"), 1, new int[0], null, Duration.ofSeconds(4))), PATHS, NOW, 80);
        assertEquals(List.of(
                "  PID  WATCH             COMMAND      PROCS  CGROUP  PORTS         UP",
                "  812  .                 npm run dev      5  -       5173         12m",
                "40211  ../shop-checkout  make watch       2  -       5174,6006  3h05m",
                "   77  -                 sleep 600        1  -       -             4s"), lines);
    }

    /** CGROUP says "yes" for a tree held in a cgroup of its own, "-" for one held by its process group alone. */
    @Test
    void aTreeInACgroupOfItsOwnSaysSo() {
        Sighting held = new Sighting(TetherJsonTest.running(812, NOW.minus(Duration.ofMinutes(12)), 5,
                new int[] {5173}, "/sys/fs/cgroup/user.slice/tether-812-4411"), bytes("/home/ana/src/shop"),
                bytes("/home/ana/src/shop"), List.of(bytes("npm"), bytes("run"), bytes("dev")), null, false,
                Duration.ofSeconds(1));
        List<String> lines = TetherTable.lines(List.of(held,
                sighting(77, null, List.of("sleep", "600"), 1, new int[0], null, Duration.ofSeconds(4))), PATHS, NOW, 80);
        assertEquals(List.of(
                "PID  WATCH  COMMAND      PROCS  CGROUP  PORTS   UP",
                "812  .      npm run dev      5  yes     5173   12m",
                " 77  -      sleep 600        1  -       -       4s"), lines);
    }

    static final String DEEP = "/srv/builds/agents/worktrees/very-long-project-name/feature-with-a-long-branch-name";

    static List<String> longLine(int width) {
        return TetherTable.lines(List.of(sighting(4242, DEEP,
                List.of("node", "node_modules/.bin/vite", "--port", "5173", "--strictPort", "--host", "0.0.0.0"), 12,
                new int[] {5173, 24678}, DEEP + "/.dev-server.log", Duration.ofDays(2).plusHours(4))), PATHS, NOW, width);
    }

    static int columns(String line) {
        return line.codePointCount(0, line.length());
    }

    /** 88 columns: each narrowing column at its floor, the log cut further. */
    @Test
    void aLongLineIsCutToTheWidthAndThePathKeepsItsEnd() {
        List<String> lines = longLine(88);
        for (String line : lines) {
            assertTrue(columns(line) <= 88, line);
        }
        String row = lines.get(1);
        assertTrue(row.contains("  …with-a-long-branch-name  "), "the path cut at its start to its floor: " + row);
        assertTrue(row.contains("  node node_modul…  "), "the command cut to its floor: " + row);
        assertTrue(row.contains("2d04h"), row);
        assertTrue(row.endsWith("…log"), row);
        assertEquals(88, columns(row), "cut no more than needed: " + row);
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
        assertEquals("4242  …name  node n…     12  -       5173…  2d04h  …og", longLine(20).get(1));
    }

    @Test
    void nonAsciiNamesCountAsOneColumnEach() {
        List<String> lines = TetherTable.lines(List.of(sighting(1, "/home/ana/src/café", List.of("x"), 1, new int[0],
                null, Duration.ZERO)), PATHS, NOW, 80);
        assertEquals(lines.get(0).indexOf("COMMAND"), lines.get(1).indexOf("x  "), String.join("\n", lines));
    }

    @ParameterizedTest
    @CsvSource({"0, 0s", "59, 59s", "60, 1m", "3599, 59m", "3600, 1h00m", "86399, 23h59m", "86400, 1d00h",
            "1000000, 11d13h", "-5, 0s"})
    void uptimeInTheLargestTwoUnits(long seconds, String shown) {
        assertEquals(shown, TetherTable.uptime(Duration.ofSeconds(seconds)));
    }
}
