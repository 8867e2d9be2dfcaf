package tether.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The one line a detached tether reports on, as the waiting tether reads it. */
class DetachTest {

    @Test
    void startedIsZero() {
        assertEquals(0, Detach.statusOf("0"));
    }

    @Test
    void aFailureCarriesItsStatusAndMessage() {
        assertEquals(127, Detach.statusOf("127 cannot run 'x': No such file or directory"));
    }

    @Test
    void aLineWithoutAMessageOrAStatusIsStillAnAnswer() {
        assertEquals(126, Detach.statusOf("126"));
        assertEquals(Main.OWN_FAILURE, Detach.statusOf("garbage"));
        assertEquals(Main.OWN_FAILURE, Detach.statusOf(""));
    }
}
