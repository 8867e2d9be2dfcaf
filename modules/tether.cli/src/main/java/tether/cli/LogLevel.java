package tether.cli;

import java.util.Locale;

/** How much tether says on stderr. Fatal errors are printed at every level, OFF included. */
enum LogLevel {
    OFF, WARN, INFO, DEBUG, TRACE;

    /** {@code -v} once is INFO, twice DEBUG, three times or more TRACE. */
    static LogLevel ofVerbosity(int count) {
        return values()[Math.min(WARN.ordinal() + count, TRACE.ordinal())];
    }

    /** The value of {@code TETHER_LOG}: warn, info, debug or trace; a refusal says only what is wrong. */
    static LogLevel parse(String text) {
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "warn" -> WARN;
            case "info" -> INFO;
            case "debug" -> DEBUG;
            case "trace" -> TRACE;
            default -> throw new IllegalArgumentException("expected warn, info, debug or trace");
        };
    }
}
