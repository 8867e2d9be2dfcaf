package tether.cli;

import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import tether.api.TreeSignal;

/** The signals {@code --signal} accepts as the first teardown signal, by name with or without SIG. */
final class SignalNames {

    static final String ACCEPTED = "TERM, INT, HUP, QUIT, USR1, USR2";

    private SignalNames() {}

    /** The accepted names, for shell completion. */
    static final class Candidates implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return List.of(ACCEPTED.split(", ")).iterator();
        }
    }

    static TreeSignal parse(String text) {
        String name = text.strip().toUpperCase(Locale.ROOT);
        if (name.startsWith("SIG")) {
            name = name.substring(3);
        }
        return switch (name) {
            case "TERM" -> TreeSignal.TERM;
            case "INT" -> TreeSignal.INT;
            case "HUP" -> TreeSignal.HUP;
            case "QUIT" -> TreeSignal.QUIT;
            case "USR1" -> TreeSignal.USR1;
            case "USR2" -> TreeSignal.USR2;
            default -> throw new IllegalArgumentException("expected one of " + ACCEPTED);
        };
    }
}
