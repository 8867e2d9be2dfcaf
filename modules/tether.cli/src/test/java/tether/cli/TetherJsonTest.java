package tether.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tether.api.RunningTether;
import tether.cli.ready.Condition;

class TetherJsonTest {

    /** What the OS shows of a tether; the JSON takes its pid, start, process count, ports and memory from here. */
    static RunningTether running(long pid, Instant started, int processes, int[] ports, long memory) {
        return running(pid, started, processes, ports, memory, null);
    }

    /** As {@link #running(long, Instant, int, int[], long)}, its tree held in {@code cgroup} (null: none). */
    static RunningTether running(long pid, Instant started, int processes, int[] ports, long memory, String cgroup) {
        return new RunningTether(pid, started, List.of(), List.of(), new byte[] {'/'}, processes, ports, memory,
                cgroup == null ? null : cgroup.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void noTethersIsAnEmptyArray() {
        assertEquals("[]\n", TetherJson.of(List.of(), Map.of()));
    }

    @Test
    void everyDocumentedFieldInOrder() {
        Sighting detached = new Sighting(running(4242, Instant.parse("2026-11-26T08:15:30.123456Z"), 3,
                new int[] {5173, 24678}, 52_428_800, "/sys/fs/cgroup/tether-4242-51"),
                "/w/a b".getBytes(StandardCharsets.UTF_8),
                "/w/a b/web".getBytes(StandardCharsets.UTF_8),
                List.of("sh".getBytes(StandardCharsets.UTF_8), "-c".getBytes(StandardCharsets.UTF_8),
                        "echo \"hi\"\n".getBytes(StandardCharsets.UTF_8)),
                "/w/a b/dev.log".getBytes(StandardCharsets.UTF_8), true, Duration.ofSeconds(1),
                List.of(Condition.parse("port:5173"), Condition.parse("output:Local:")));
        Sighting unwatched = new Sighting(running(7, Instant.parse("2026-11-26T08:00:00Z"), 0, new int[0], -1), null,
                new byte[] {'/', 'c', 'a', 'f', (byte) 0xe9}, List.of(), null, false, Duration.ofSeconds(1), List.of());
        Map<Sighting, Boolean> ready = new IdentityHashMap<>();
        ready.put(detached, false);
        assertEquals("""
                [
                  {"pid": 4242, "watch": "/w/a b", "cwd": "/w/a b/web", "command": ["sh", "-c", "echo \\"hi\\"\\\\n"], \
                "started": "2026-11-26T08:15:30.123Z", "processes": 3, "ports": [5173, 24678], "log": "/w/a b/dev.log", \
                "detached": true, "memory": 52428800, "marker": "4242:/w/a b", \
                "ready_conditions": ["port:5173", "output:Local:"], "ready": false, "cgroup": "/sys/fs/cgroup/tether-4242-51"},
                  {"pid": 7, "watch": null, "cwd": "/caf\\\\xe9", "command": [], "started": "2026-11-26T08:00:00Z", \
                "processes": 0, "ports": [], "log": null, "detached": false, "memory": null, "marker": "7:/caf\\\\xe9", \
                "ready_conditions": [], "ready": null, "cgroup": null}
                ]
                """, TetherJson.of(List.of(detached, unwatched), ready));
    }

    @Test
    void controlCharactersLeftInATextAreEscaped() {
        assertEquals("\"a\\u0001b\\\\\"", TetherJson.string("a\u0001b\\"));
    }

    /** A bidi override in a path is no raw character in the JSON either: it is Printable's escape, as text. */
    @Test
    void charactersThatShowNothingAreEscapedInPaths() {
        Sighting tether = new Sighting(running(7, Instant.parse("2026-11-26T08:00:00Z"), 0, new int[0], -1),
                "/w/wt-\u202egnp".getBytes(StandardCharsets.UTF_8), "/w".getBytes(StandardCharsets.UTF_8),
                List.of("x".getBytes(StandardCharsets.UTF_8)), null, false, Duration.ofSeconds(1), List.of());
        String json = TetherJson.of(List.of(tether), Map.of());
        assertTrue(json.contains("\"watch\": \"/w/wt-\\\\u202egnp\""), json);
        assertTrue(!json.contains("\u202e"), json);
    }
}
