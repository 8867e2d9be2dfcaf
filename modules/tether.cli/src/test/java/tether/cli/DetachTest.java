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

    /** The detached tether is started by the launcher beside the running program, by its exact bytes. */
    @Test
    void theLauncherIsBinTetherBesideTheProgram() {
        byte[] program = {'/', 'c', 'a', 'f', (byte) 0xe9, '/', 'b', 'i', 'n', '/', 'j', 'a', 'v', 'a'};
        org.junit.jupiter.api.Assertions.assertArrayEquals(
                new byte[] {'/', 'c', 'a', 'f', (byte) 0xe9, '/', 'b', 'i', 'n', '/', 't', 'e', 't', 'h', 'e', 'r'},
                Detach.launcher(program));
    }
}
