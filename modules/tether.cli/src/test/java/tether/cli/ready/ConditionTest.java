package tether.cli.ready;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ConditionTest {

    /** An argument as the parsers carry it: each byte one character. */
    static String carried(String text) {
        return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    @Test
    void ports() {
        assertEquals(new Condition.Port(0, "port"), Condition.parse("port"));
        assertEquals(new Condition.Port(5173, "port:5173"), Condition.parse("port:5173"));
        assertEquals(new Condition.Port(65535, "port:65535"), Condition.parse("port:65535"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "http://localhost:5173/| localhost| 5173| /",
        "http://localhost:5173| localhost| 5173| /",
        "http://127.0.0.1/health?full=1| 127.0.0.1| 80| /health?full=1",
        "http://[::1]:8080/a%20b| ::1| 8080| /a%20b",
        "HTTP://Example.test:3000/x| Example.test| 3000| /x"})
    void urls(String text, String host, int port, String target) {
        assertEquals(new Condition.Url(text, host, port, target), Condition.parse(text));
    }

    @Test
    void outputPatternsAreUtf8RegularExpressions() {
        Condition.Output output = assertInstanceOf(Condition.Output.class, Condition.parse(carried("output:➜ +Local:")));
        assertEquals("output:➜ +Local:", output.text());
        assertTrue(output.pattern().matcher("  ➜  Local:   http://localhost:5173/").find());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "tcp:80| expected port, port:N, an http:// URL or output:REGEX",
        "port:0| expected a port from 1 to 65535",
        "port:65536| expected a port from 1 to 65535",
        "port:+80| expected a port from 1 to 65535",
        "port:| expected a port from 1 to 65535",
        "ports| expected port, port:N, an http:// URL or output:REGEX",
        "https://localhost/| https is not supported, a dev server's certificate being its own (use port:N or an http:// URL)",
        "http://user@host/| expected http://HOST[:PORT][/PATH]",
        "http://localhost:0/| expected a port from 1 to 65535",
        "http://local host/| expected http://HOST[:PORT][/PATH]",
        "output:(| expected a regular expression: unclosed group near index 1"})
    void refused(String text, String why) {
        assertEquals(why,
                assertThrows(IllegalArgumentException.class, () -> Condition.parse(text)).getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"port", "port:80", "http://localhost/", "output:x"})
    void shownAsWritten(String text) {
        assertEquals(text, Condition.parse(text).toString());
    }
}
