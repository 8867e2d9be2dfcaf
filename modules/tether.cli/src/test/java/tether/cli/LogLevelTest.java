package tether.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LogLevelTest {

    @Test
    void verbosityCounts() {
        assertEquals(LogLevel.WARN, LogLevel.ofVerbosity(0));
        assertEquals(LogLevel.INFO, LogLevel.ofVerbosity(1));
        assertEquals(LogLevel.DEBUG, LogLevel.ofVerbosity(2));
        assertEquals(LogLevel.TRACE, LogLevel.ofVerbosity(3));
        assertEquals(LogLevel.TRACE, LogLevel.ofVerbosity(7));
    }

    @Test
    void environmentNames() {
        assertEquals(LogLevel.WARN, LogLevel.parse("warn"));
        assertEquals(LogLevel.TRACE, LogLevel.parse("TRACE"));
        assertThrows(IllegalArgumentException.class, () -> LogLevel.parse("verbose"));
    }
}
