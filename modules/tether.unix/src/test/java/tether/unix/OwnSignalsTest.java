package tether.unix;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** What macOS's sigwait returns, read as libpthread and xnu return it (see OwnSignals.darwinSignal). */
class OwnSignalsTest {

    static final int EINVAL = 22;

    @Test
    void aSignalIsWhatSigwaitWrote() {
        assertEquals(UnixPlatform.DARWIN.sigchld(), OwnSignals.darwinSignal(0, UnixPlatform.DARWIN.sigchld()));
    }

    /** libpthread turns EINTR into 0 and leaves the out-parameter alone, which tether cleared to 0. */
    @Test
    void anInterruptedWaitThatReturnedZeroIsNoSignal() {
        assertEquals(0, OwnSignals.darwinSignal(0, 0));
    }

    @Test
    void anInterruptedWaitIsNoSignalAndAFailureEndsTheWaiting() {
        assertEquals(0, OwnSignals.darwinSignal(CLibrary.EINTR, 0));
        assertEquals(-1, OwnSignals.darwinSignal(EINVAL, 0));
    }
}
