package tether.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ExitStatusTest {

    @Test
    void shellStatusIsTheCodeOr128PlusTheSignal() {
        assertEquals(0, ExitStatus.exited(0).shellStatus());
        assertEquals(7, ExitStatus.exited(7).shellStatus());
        assertEquals(143, ExitStatus.killedBy(15).shellStatus());
        assertEquals(137, ExitStatus.killedBy(9).shellStatus());
    }
}
