package tether.unix;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.jna.Memory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What tether makes of the signals it takes: which are held until there is a receiver, and what macOS's
 * sigwait returns, read as libpthread and xnu return it (see OwnSignals.darwinSignal).
 */
class OwnSignalsTest {

    private static final UnixPlatform OS = UnixPlatform.current();
    static final int EINVAL = 22;

    private final List<String> received = new ArrayList<>();
    private final List<Integer> stopRequests = new ArrayList<>();
    private final OwnSignals signals = new OwnSignals(emptySet(), stopRequests::add);

    /**
     * A SIGUSR1 sent to tether as soon as its command reports itself started may be taken before the
     * command's group receives signals: it is held, and passed on once there is a receiver, as often as the
     * kernel would have kept it pending (once), in the order the signals came.
     */
    @Test
    void forwardedSignalsTakenBeforeThereIsAReceiverArePassedOnWhenThereIsOne() {
        signals.dispatch(OS.sigusr2());
        signals.dispatch(OS.sigusr1());
        signals.dispatch(OS.sigusr2());
        assertEquals(List.of(), received);

        signals.deliverTo(new Recorder());
        assertEquals(List.of("forward " + OS.sigusr2(), "forward " + OS.sigusr1()), received);

        signals.dispatch(OS.sigusr1());
        assertEquals(List.of("forward " + OS.sigusr2(), "forward " + OS.sigusr1(), "forward " + OS.sigusr1()),
                received);
    }

    /**
     * A SIGCHLD or SIGCONT before there is a receiver is not held (the receiver reads the children and the
     * terminal when it starts), and a request to end needs none: it is handed on at once.
     */
    @Test
    void onlyForwardedSignalsAreHeld() {
        signals.dispatch(OS.sigchld());
        signals.dispatch(OS.sigcont());
        signals.dispatch(CLibrary.SIGTERM);
        assertEquals(List.of(CLibrary.SIGTERM), stopRequests);

        signals.deliverTo(new Recorder());
        assertEquals(List.of(), received);
    }

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

    private static Memory emptySet() {
        Memory set = new Memory(OS.sigsetSize());
        CLibrary.sigemptyset(set);
        return set;
    }

    private final class Recorder implements OwnSignals.Receiver {
        @Override
        public void childExited() {
            received.add("childExited");
        }

        @Override
        public void continued() {
            received.add("continued");
        }

        @Override
        public void forward(int signal) {
            received.add("forward " + signal);
        }

        @Override
        public void ending() {
            received.add("ending");
        }
    }
}
