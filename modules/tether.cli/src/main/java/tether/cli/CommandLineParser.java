package tether.cli;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * Reads tether's arguments into {@link Settings}, or into the text of {@code --help} / {@code --version}:
 * through {@link FastParser} when it accepts them, otherwise through {@link PicocliParser}. This class
 * refers to no picocli type, so the common path never loads one.
 */
final class CommandLineParser {

    /** The poll interval's floor: below it the watch costs more CPU than it is worth. */
    static final Duration MIN_POLL = Duration.ofMillis(10);

    /** What the arguments asked for. */
    sealed interface Parsed {}

    record Run(Settings settings) implements Parsed {}

    /** {@code --help} or {@code --version}: print {@code text} on stdout and exit 0. */
    record Print(String text) implements Parsed {}

    /** A usage error; the message names the problem. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    private CommandLineParser() {}

    /**
     * @param args tether's arguments with each byte as one character (ISO-8859-1), so that a path's bytes
     *             come back unchanged whatever the locale; options, durations and signal names are ASCII
     */
    static Parsed parse(String[] args, String tetherLogVariable) throws UsageException {
        Options options = FastParser.parse(args);
        if (options == null) {
            options = new Options();
            String text = PicocliParser.parseInto(options, args);
            if (text != null) {
                return new Print(text);
            }
        }
        return new Run(check(options, args.length, tetherLogVariable));
    }

    private static Settings check(Options options, int argCount, String tetherLogVariable) throws UsageException {
        if (options.noWatch && options.watch != null) {
            throw new UsageException("--watch and --no-watch cannot be combined");
        }
        if (options.log != null && !options.detach) {
            throw new UsageException("--log goes with --detach: without it, output goes where tether's does");
        }
        if (options.quiet && options.verbose.length > 0) {
            throw new UsageException("--quiet and --verbose cannot be combined");
        }
        if (options.poll.compareTo(MIN_POLL) < 0) {
            throw new UsageException("invalid value for option '--poll': " + options.poll.toMillis()
                    + "ms is below the minimum of 10ms");
        }
        return new Settings(argCount - options.command.size(), bytes(options.directory), bytes(options.watch),
                options.noWatch, options.poll, options.grace, options.signal,
                logLevel(options, tetherLogVariable), options.detach, bytes(options.log));
    }

    /** Each byte as one character, a lossless carrier of the OS's bytes through the parsers. */
    static String[] latin1(List<byte[]> raw) {
        return raw.stream().map(arg -> new String(arg, StandardCharsets.ISO_8859_1)).toArray(String[]::new);
    }

    /** The JVM's strings in its own charset: all there is of the arguments when no provider can say more. */
    static List<byte[]> jvmBytes(String[] args) {
        return java.util.Arrays.stream(args).map(arg -> arg.getBytes(NativeCharset.get())).toList();
    }

    private static byte[] bytes(String latin1) {
        return latin1 == null ? null : latin1.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static LogLevel logLevel(Options options, String tetherLogVariable) throws UsageException {
        if (options.quiet) {
            return LogLevel.OFF;
        }
        if (options.verbose.length > 0) {
            return LogLevel.ofVerbosity(options.verbose.length);
        }
        if (tetherLogVariable == null || tetherLogVariable.isBlank()) {
            return LogLevel.WARN;
        }
        try {
            return LogLevel.parse(tetherLogVariable);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
