package tether.cli;

/** Failures that end tether, printed whatever the log level, as one line on stderr. */
final class Fatal {

    private Fatal() {}

    static void print(String message) {
        System.err.println("tether: " + message);
        System.err.flush();
    }
}
