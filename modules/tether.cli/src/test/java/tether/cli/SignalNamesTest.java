package tether.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tether.api.TreeSignal;

class SignalNamesTest {

    @Test
    void namesWithAndWithoutSigInAnyCase() {
        assertEquals(TreeSignal.TERM, SignalNames.parse("TERM"));
        assertEquals(TreeSignal.TERM, SignalNames.parse("SIGTERM"));
        assertEquals(TreeSignal.INT, SignalNames.parse("int"));
        assertEquals(TreeSignal.HUP, SignalNames.parse("sigHup"));
        assertEquals(TreeSignal.QUIT, SignalNames.parse("QUIT"));
        assertEquals(TreeSignal.USR1, SignalNames.parse("SIGUSR1"));
        assertEquals(TreeSignal.USR2, SignalNames.parse("usr2"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"KILL", "SIGKILL", "CONT", "STOP", "15", "", "SIG", "TERMX"})
    void onlyCatchableTeardownSignalsAreAccepted(String name) {
        assertThrows(IllegalArgumentException.class, () -> SignalNames.parse(name));
    }
}
