package tether.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ShortPathsTest {

    static byte[] b(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @CsvSource({
        "/home/ana/src/shop, .",
        "/home/ana/src/shop/web, web",
        "/home/ana/src/shop-x, ../shop-x",
        "/home/ana/notes, ~/notes",
        "/home/ana, ~",
        "/srv/x, /srv/x",
        "/home/anabel/x, /home/anabel/x"
    })
    void theShortestOfAbsoluteHomeAndRelative(String path, String shown) {
        assertEquals(shown, new ShortPaths(b("/home/ana/src/shop"), b("/home/ana")).of(b(path)));
    }

    @ParameterizedTest
    @CsvSource({"/, /a, a", "/a, /b/c, /b/c"})
    void fromTheRootNoParentForm(String current, String path, String shown) {
        assertEquals(shown, new ShortPaths(b(current), null).of(b(path)));
    }
}
