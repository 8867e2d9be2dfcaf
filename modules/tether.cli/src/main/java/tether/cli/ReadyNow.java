package tether.cli;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import tether.cli.ready.Condition;
import tether.cli.ready.HttpCheck;
import tether.cli.ready.PortProbe;

/**
 * {@code --list}'s answer to whether each tether's {@code --ready} conditions hold now, asked from outside:
 * a port from the ports the census read from its tree's sockets, a URL by asking it. A line of output is
 * something only the tether itself saw go by, so a tether waiting for one is neither ready nor not ready here,
 * unless another of its conditions does not hold.
 */
final class ReadyNow {

    /** How long a URL may take to answer a listing: the listing waits for the slowest. */
    static final long HTTP_TIMEOUT_NANOS = 1_000_000_000L;

    private ReadyNow() {}

    /**
     * For each tether started with {@code --ready}: {@code true} when every condition holds, {@code false}
     * when one does not, {@code null} when that cannot be told from outside. Tethers without are left out.
     * The URLs of all tethers are asked at once.
     */
    static Map<Sighting, Boolean> of(List<Sighting> tethers) throws InterruptedException {
        Map<Sighting, Boolean> answers = new IdentityHashMap<>();
        List<Asking> asking = new ArrayList<>();
        long deadline = System.nanoTime() + HTTP_TIMEOUT_NANOS;
        for (Sighting tether : tethers) {
            if (!tether.ready().isEmpty()) {
                Asking one = new Asking(tether, deadline);
                asking.add(one);
                one.thread.start();
            }
        }
        for (Asking one : asking) {
            one.thread.join();
            answers.put(one.tether, one.answer);
        }
        return answers;
    }

    /** One tether's conditions, asked on a thread of their own. */
    private static final class Asking implements Runnable {
        final Sighting tether;
        final long deadline;
        final Thread thread;
        volatile Boolean answer;

        Asking(Sighting tether, long deadline) {
            this.tether = tether;
            this.deadline = deadline;
            this.thread = new Thread(this, "tether-list-ready");
        }

        @Override
        public void run() {
            boolean unknown = false;
            for (Condition condition : tether.ready()) {
                Boolean holds = switch (condition) {
                    case Condition.Port port -> PortProbe.holds(port, tether.ports());
                    case Condition.Url url -> HttpCheck.ask(url, deadline).holds();
                    case Condition.Output output -> null;
                };
                if (holds == null) {
                    unknown = true;
                } else if (!holds) {
                    answer = false;
                    return;
                }
            }
            answer = unknown ? null : true;
        }
    }
}
