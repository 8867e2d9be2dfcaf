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

    /** A right-to-left override would turn the rest of the line around; invisible characters hide in a name. */
    @Test
    void charactersThatShowNothingOfThemselvesAreEscaped() {
        assertEquals("wt-\\u202egnp.exe", Printable.of("wt-\u202egnp.exe".getBytes(UTF_8)));
        assertEquals("a\\u200bb\\u200dc\\ufeffd\\u2066e", Printable.of("a\u200bb\u200dc\ufeffd\u2066e".getBytes(UTF_8)));
        assertEquals("line\\u2028sep and\\u00a0nbsp", Printable.of("line\u2028sep and\u00a0nbsp".getBytes(UTF_8)));
        assertEquals("tag\\U000e0041", Printable.of("tag\udb40\udc41".getBytes(UTF_8)), "a tag character, beyond the BMP");
        assertEquals("c1\\u0085", Printable.of("c1\u0085".getBytes(UTF_8)));
    }

    @Test
    void visibleCharactersBeyondAsciiStayAsTheyAre() {
        assertEquals("日本語 ümlaut emoji\ud83d\ude00 mark\u0301", Printable.of("日本語 ümlaut emoji\ud83d\ude00 mark\u0301".getBytes(UTF_8)));
    }

    @Test
    void aTokenIsAWholeEscapeOrOneCodePoint() {
        String text = Printable.of("a\u202eb\nc\\".getBytes(UTF_8)) + Printable.of(new byte[] {(byte) 0xff}) + "\ud83d\ude00";
        assertEquals("a\\u202eb\\nc\\\\\\xff\ud83d\ude00", text);
        java.util.List<String> tokens = new java.util.ArrayList<>();
        for (int at = 0; at < text.length(); at = Printable.tokenEnd(text, at)) {
            tokens.add(text.substring(at, Printable.tokenEnd(text, at)));
        }
        assertEquals(java.util.List.of("a", "\\u202e", "b", "\\n", "c", "\\\\", "\\xff", "\ud83d\ude00"), tokens);
    }
}
