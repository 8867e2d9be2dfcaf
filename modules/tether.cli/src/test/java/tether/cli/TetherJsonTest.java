package tether.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TetherJsonTest {

    @Test
    void noTethersIsAnEmptyArray() {
        assertEquals("[]\n", TetherJson.of(List.of()));
    }

    @Test
    void everyDocumentedFieldInOrder() {
        Sighting detached = new Sighting(4242, "/w/a b".getBytes(StandardCharsets.UTF_8),
                "/w/a b/web".getBytes(StandardCharsets.UTF_8),
                List.of("sh".getBytes(StandardCharsets.UTF_8), "-c".getBytes(StandardCharsets.UTF_8),
                        "echo \"hi\"\n".getBytes(StandardCharsets.UTF_8)),
                Instant.parse("2026-11-26T08:15:30.123456Z"), 3, new int[] {5173, 24678},
                "/w/a b/dev.log".getBytes(StandardCharsets.UTF_8), true, Duration.ofSeconds(1), null);
        Sighting unwatched = new Sighting(7, null, new byte[] {'/', 'c', 'a', 'f', (byte) 0xe9}, List.of(),
                Instant.parse("2026-11-26T08:00:00Z"), 0, new int[0], null, false, Duration.ofSeconds(1), null);
        assertEquals("""
                [
                  {"pid": 4242, "watch": "/w/a b", "cwd": "/w/a b/web", "command": ["sh", "-c", "echo \\"hi\\"\\\\n"], \
                "started": "2026-11-26T08:15:30.123Z", "processes": 3, "ports": [5173, 24678], "log": "/w/a b/dev.log", \
                "detached": true},
                  {"pid": 7, "watch": null, "cwd": "/caf\\\\xe9", "command": [], "started": "2026-11-26T08:00:00Z", \
                "processes": 0, "ports": [], "log": null, "detached": false}
                ]
                """, TetherJson.of(List.of(detached, unwatched)));
    }

    @Test
    void controlCharactersLeftInATextAreEscaped() {
        assertEquals("\"a\\u0001b\\\\\"", TetherJson.string("a\u0001b\\"));
    }
}
