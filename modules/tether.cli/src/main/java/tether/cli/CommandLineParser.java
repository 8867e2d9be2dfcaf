package tether.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;
import tether.api.TreeSignal;

/** Reads tether's arguments into {@link Settings}, or into the text of {@code --help} / {@code --version}. */
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

    static Parsed parse(String[] args, String tetherLogVariable) throws UsageException {
        Options options = new Options();
        CommandLine commandLine = commandLine(options);
        try {
            commandLine.parseArgs(args);
        } catch (ParameterException e) {
            throw new UsageException(firstLine(e.getMessage()));
        }
        if (commandLine.isUsageHelpRequested()) {
            return new Print(commandLine.getUsageMessage());
        }
        if (commandLine.isVersionHelpRequested()) {
            StringWriter out = new StringWriter();
            commandLine.printVersionHelp(new PrintWriter(out));
            return new Print(out.toString());
        }
        return new Run(check(options, args.length, tetherLogVariable));
    }

    static CommandLine commandLine(Options options) {
        return new CommandLine(options)
                .setStopAtPositional(true)
                .setPosixClusteredShortOptionsAllowed(true)
                .setCaseInsensitiveEnumValuesAllowed(true)
                .registerConverter(Duration.class, converter(Durations::parse))
                .registerConverter(TreeSignal.class, converter(SignalNames::parse));
    }

    private static Settings check(Options options, int argCount, String tetherLogVariable) throws UsageException {
        if (options.noWatch && options.watch != null) {
            throw new UsageException("--watch and --no-watch cannot be combined");
        }
        if (options.quiet && options.verbose.length > 0) {
            throw new UsageException("--quiet and --verbose cannot be combined");
        }
        if (options.poll.compareTo(MIN_POLL) < 0) {
            throw new UsageException("invalid value for option '--poll': " + options.poll.toMillis()
                    + "ms is below the minimum of 10ms");
        }
        return new Settings(argCount - options.command.size(), options.directory, options.watch,
                options.noWatch, options.poll, options.grace, options.signal,
                logLevel(options, tetherLogVariable));
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

    private static <T> ITypeConverter<T> converter(java.util.function.Function<String, T> parse) {
        return text -> {
            try {
                return parse.apply(text);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        };
    }

    private static String firstLine(String message) {
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
