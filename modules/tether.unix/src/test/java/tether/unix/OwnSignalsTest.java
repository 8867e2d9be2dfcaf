package tether.unix;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.jna.Memory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OwnSignalsTest {

    private static final UnixPlatform OS = UnixPlatform.current();

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
