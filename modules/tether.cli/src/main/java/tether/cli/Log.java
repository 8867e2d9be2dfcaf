package tether.cli;

import java.util.Map;
import org.tinylog.Logger;
import org.tinylog.configuration.Configuration;

/**
 * Diagnostics on stderr through tinylog, which is configured on the first message that is actually
 * written: its first call costs 8-30 ms, which a run that logs nothing must not pay.
 *
 * <p>That first call loads classes and a native library, and may come when tether is short of what that
 * takes (no descriptor left, memory running out), in the middle of a teardown: a message tinylog cannot
 * write is written plainly instead, in the same form, and never ends tether.
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
        write(LogLevel.WARN, format, args);
    }

    static void info(String format, Object... args) {
        write(LogLevel.INFO, format, args);
    }

    static void debug(String format, Object... args) {
        write(LogLevel.DEBUG, format, args);
    }

    /** A stack trace belongs at trace level only; users get one line. */
    static void trace(Throwable error) {
        if (enabled(LogLevel.TRACE)) {
            try {
                configure();
                Logger.trace(error);
            } catch (RuntimeException | Error e) {
                error.printStackTrace();
            }
        }
    }

    private static void write(LogLevel wanted, String format, Object[] args) {
        if (!enabled(wanted)) {
            return;
        }
        try {
            configure();
            switch (wanted) {
                case WARN -> Logger.warn(format, args);
                case INFO -> Logger.info(format, args);
                default -> Logger.debug(format, args);
            }
        } catch (RuntimeException | Error e) {
            System.err.println("tether: " + wanted + ": " + plain(format, args));
        }
    }

    /** {@code format} with each {} replaced by the next argument, as tinylog does. */
    static String plain(String format, Object[] args) {
        StringBuilder text = new StringBuilder();
        int next = 0;
        int from = 0;
        for (int at = format.indexOf("{}"); at >= 0 && next < args.length; at = format.indexOf("{}", from)) {
            text.append(format, from, at).append(args[next++]);
            from = at + 2;
        }
        return text.append(format.substring(from)).toString();
    }

    private static synchronized void configure() {
        if (configured) {
            return;
        }
        Configuration.replace(Map.of(
                "writer", "console",
                "writer.stream", "err",
                "writer.level", level.name().toLowerCase(java.util.Locale.ROOT),
                "writer.format", "tether: {level}: {message}",
                "autoshutdown", "false"));
        configured = true;
    }
}
