package tether.api;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PrintableTest {

    @Test
    void validUtf8IsShownAsItIs() {
        assertEquals("/tmp/café", Printable.of("/tmp/café".getBytes(UTF_8)));
    }

    @Test
    void bytesThatAreNotUtf8AreEscapedOneByOne() {
        assertEquals("caf\\xe9/x\\xff\\xfe", Printable.of(new byte[] {'c', 'a', 'f', (byte) 0xe9, '/', 'x', (byte) 0xff, (byte) 0xfe}));
    }

    @Test
    void controlCharactersCannotBreakTheLine() {
        assertEquals("a\\nb\\tc\\x1b[0m\\\\", Printable.of("a\nb\tc\u001b[0m\\".getBytes(UTF_8)));
    }
}
