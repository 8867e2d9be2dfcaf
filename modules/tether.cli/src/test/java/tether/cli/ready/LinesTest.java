package tether.cli.ready;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LinesTest {

    static List<String> feed(Lines lines, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return lines.add(bytes, bytes.length);
    }

    @Test
    void aLineWaitsForItsEndAcrossChunks() {
        Lines lines = new Lines();
        assertEquals(List.of(), feed(lines, "rea"));
        assertEquals(List.of("ready"), feed(lines, "dy\nnext"));
        assertEquals(List.of("next", ""), feed(lines, "\r\n"));
    }

    @Test
    void aCharacterSplitBetweenChunksIsDecodedWhole() {
        Lines lines = new Lines();
        byte[] arrow = "➜ Local\n".getBytes(StandardCharsets.UTF_8);
        List<String> got = new ArrayList<>(lines.add(new byte[] {arrow[0], arrow[1]}, 2));
        byte[] rest = java.util.Arrays.copyOfRange(arrow, 2, arrow.length);
        got.addAll(lines.add(rest, rest.length));
        assertEquals(List.of("➜ Local"), got);
    }

    @Test
    void onlyTheGivenLengthCounts() {
        assertEquals(List.of("a"), new Lines().add("a\nb\n".getBytes(StandardCharsets.UTF_8), 2));
    }

    @Test
    void escapeSequencesAreNotText() {
        assertEquals("  ➜  Local:   http://localhost:5173/", Lines.plain(
                "  \u001b[32m➜\u001b[39m  \u001b[1mLocal\u001b[22m:   \u001b[36mhttp://localhost:\u001b[1m5173\u001b[22m/\u001b[39m"));
        assertEquals("title gone", Lines.plain("title\u001b]0;window title\u0007 gone"));
        assertEquals("link", Lines.plain("\u001b]8;;http://x\u001b\\link\u001b]8;;\u001b\\"));
        assertEquals("ab", Lines.plain("a\u001b(Bb"));
        assertEquals("cut", Lines.plain("cut\u001b["));
    }

    @Test
    void aLineWithoutEndIsCutAtTheLongest() {
        Lines lines = new Lines();
        List<String> got = feed(lines, "x".repeat(Lines.LONGEST + 10));
        assertEquals(1, got.size());
        assertEquals(Lines.LONGEST, got.getFirst().length());
    }
}
