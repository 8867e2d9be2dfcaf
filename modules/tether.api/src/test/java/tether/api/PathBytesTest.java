package tether.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PathBytesTest {

    static byte[] b(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    static String s(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    @ParameterizedTest
    @CsvSource({
        "/a/b, c, /a/b/c",
        "/a/b, /c, /c",
        "/, c, //c",
        "/a, '', /a/"
    })
    void aRelativePathIsTakenFromTheDirectory(String directory, String path, String resolved) {
        assertEquals(resolved, s(PathBytes.resolve(b(directory), b(path))));
    }

    @ParameterizedTest
    @CsvSource({
        "/a/./b//c/, /a/b/c",
        "/a/b/../c, /a/c",
        "/../../a, /a",
        "/a/.., /",
        "//, /",
        "/a/b/.../c, /a/b/.../c"
    })
    void normalRemovesDotsDotDotsAndRepeatedSlashes(String path, String normal) {
        assertEquals(normal, s(PathBytes.normal(b(path))));
    }

    @Test
    void withinIsByWholeNames() {
        assertTrue(PathBytes.isWithin(b("/w/a"), b("/w/a")));
        assertTrue(PathBytes.isWithin(b("/w/a/src"), b("/w/a")));
        assertFalse(PathBytes.isWithin(b("/w/ab"), b("/w/a")), "a sibling whose name starts alike");
        assertFalse(PathBytes.isWithin(b("/w"), b("/w/a")));
        assertTrue(PathBytes.isWithin(b("/anything"), b("/")));
    }

    @Test
    void belowIsThePathFromTheDirectory() {
        assertEquals("src/x", s(PathBytes.below(b("/w/a/src/x"), b("/w/a"))));
        assertEquals("", s(PathBytes.below(b("/w/a"), b("/w/a"))));
        assertEquals("w", s(PathBytes.below(b("/w"), b("/"))));
    }

    @Test
    void bytesThatAreNotUtf8PassUnchanged() {
        byte[] path = {'/', 'c', 'a', 'f', (byte) 0xe9, '/', '.', '.', '/', 'x'};
        assertArrayEquals(new byte[] {'/', 'x'}, PathBytes.normal(path));
        byte[] name = {'/', 'c', 'a', 'f', (byte) 0xe9};
        assertArrayEquals(name, PathBytes.normal(name));
    }
}
