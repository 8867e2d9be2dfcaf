package tether.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @Test
    void unitsAndFractions() {
        assertEquals(Duration.ofMillis(250), Durations.parse("250ms"));
        assertEquals(Duration.ofMillis(1500), Durations.parse("1.5s"));
        assertEquals(Duration.ofMinutes(2), Durations.parse("2m"));
        assertEquals(Duration.ZERO, Durations.parse("0s"));
        assertEquals(Duration.ofNanos(1_500_000), Durations.parse("1.5ms"));
        assertEquals(Duration.ofSeconds(90), Durations.parse("1.5m"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "250", "ms", "-1s", "1h", "1.s", ".5s", "1 s", "1e3ms", "1,5s", "99999999999999999999m"})
    void rejected(String text) {
        assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));
    }

    @Test
    void formatted() {
        assertEquals("12.3ms", Durations.format(Duration.ofNanos(12_345_000)));
        assertEquals("1.500s", Durations.format(Duration.ofMillis(1500)));
    }
}
