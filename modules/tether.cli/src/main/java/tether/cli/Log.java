package tether.cli;

import java.util.Map;
import org.tinylog.Logger;
import org.tinylog.configuration.Configuration;

/**
 * Diagnostics on stderr through tinylog, which is configured on the first message that is actually
 * written: its first call costs 8-30 ms, which a run that logs nothing must not pay.
 */
final class Log {

    private static LogLevel level = LogLevel.WARN;
    private static boolean configured;

    private Log() {}

    static void setLevel(LogLevel newLevel) {
        level = newLevel;
    }

    static boolean enabled(LogLevel wanted) {
        return wanted != LogLevel.OFF && level.compareTo(wanted) >= 0;
    }

    static void warn(String format, Object... args) {
        if (enabled(LogLevel.WARN)) {
            configure();
            Logger.warn(format, args);
        }
    }

    static void info(String format, Object... args) {
        if (enabled(LogLevel.INFO)) {
            configure();
            Logger.info(format, args);
        }
    }

    static void debug(String format, Object... args) {
        if (enabled(LogLevel.DEBUG)) {
            configure();
            Logger.debug(format, args);
        }
    }

    /** A stack trace belongs at trace level only; users get one line. */
    static void trace(Throwable error) {
        if (enabled(LogLevel.TRACE)) {
            configure();
            Logger.trace(error);
        }
    }

    private static synchronized void configure() {
        if (configured) {
            return;
        }
        configured = true;
        Configuration.replace(Map.of(
                "writer", "console",
                "writer.stream", "err",
                "writer.level", level.name().toLowerCase(java.util.Locale.ROOT),
                "writer.format", "tether: {level}: {message}",
                "autoshutdown", "false"));
    }
}
