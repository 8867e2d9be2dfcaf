package tether.api;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProvenanceTest {

    static byte[] b(String text) {
        return text.getBytes(UTF_8);
    }

    static List<String> text(List<byte[]> entries) {
        return entries.stream().map(e -> new String(e, UTF_8)).toList();
    }

    @Test
    void theMarkerNamesTheTetherAndThePathItsTreeBelongsTo() {
        assertEquals("4242:/home/ana/src/shop", Provenance.value(4242, b("/home/ana/src/shop")));
    }

    @Test
    void commandGetsItsOwnTethersMarkerInPlaceOfAnInheritedOne() {
        List<byte[]> environment = List.of(b("PATH=/bin"), b("TETHER_TREE=7:/outer"), b("TETHER_TREE_X=keep"), b("HOME=/h"));
        assertEquals(List.of("PATH=/bin", "TETHER_TREE_X=keep", "HOME=/h", "TETHER_TREE=42:/w/a"),
                text(Provenance.marked(environment, 42, b("/w/a"))));
    }

    @Test
    void theEntryIsFoundByItsNameOnly() {
        assertNull(Provenance.entryIn(List.of(b("TETHER_TREES=1:/x"), b("XTETHER_TREE=1:/x"))));
        assertEquals("TETHER_TREE=1:/x", new String(Provenance.entryIn(List.of(b("A=b"), b("TETHER_TREE=1:/x"))), UTF_8));
    }

    /** Any path, whatever its bytes, comes back from its marker as it was: the marker is one printable line. */
    @Test
    void aPathWithAnyBytesSurvivesItsMarker() {
        byte[] odd = {'/', 'w', '\n', '\\', 'x', (byte) 0xe9, (byte) 0xc2, (byte) 0x85, ' ', 'c', 'a', 'f', (byte) 0xc3,
                (byte) 0xa9, '\t', '\r', 0x1b};
        byte[] entry = Provenance.marked(List.of(), 123, odd).getFirst();
        for (byte c : entry) {
            assertTrue(c >= 0x20 || c < 0, "no control byte in " + new String(entry, UTF_8));
        }
        Provenance.Marker marker = Provenance.parse(entry);
        assertEquals(123, marker.tether());
        assertArrayEquals(odd, marker.path());
    }

    @ParameterizedTest
    @ValueSource(strings = {"TETHER_TREE=", "TETHER_TREE=/w", "TETHER_TREE=12", "TETHER_TREE=12:", "TETHER_TREE=x1:/w",
            "TETHER_TREE=1:/w\\", "TETHER_TREE=1:/w\\q", "TETHER_TREE=1:/w\\x4", "TETHER_TREE=1:/w\\x+1",
            "PATH=1:/w"})
    void whatTetherCannotHaveWrittenIsNoMarker(String entry) {
        assertNull(Provenance.parse(b(entry)));
    }

    @Test
    void isMarkerLooksAtTheName() {
        assertTrue(Provenance.isMarker(b("TETHER_TREE=1:/")));
        assertFalse(Provenance.isMarker(b("TETHER_TRE")));
    }
}
