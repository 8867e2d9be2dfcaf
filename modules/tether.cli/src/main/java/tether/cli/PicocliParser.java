package tether.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;
import tether.api.TreeSignal;
import tether.cli.ready.Condition;

/** picocli's reading of the command line: help, version, and every command line with an error. */
final class PicocliParser {

    private PicocliParser() {}

    /**
     * Parses {@code args} into {@code options}.
     *
     * @return the text to print for {@code --help} or {@code --version}, or {@code null} when parsed
     * @throws CommandLineParser.UsageException naming the problem, in one line
     */
    static String parseInto(Options options, String[] args) throws CommandLineParser.UsageException {
        CommandLine commandLine = commandLine(options);
        try {
            commandLine.parseArgs(args);
        } catch (ParameterException e) {
            throw new CommandLineParser.UsageException(firstLine(e.getMessage()));
        }
        if (commandLine.isUsageHelpRequested()) {
            return commandLine.getUsageMessage();
        }
        if (commandLine.isVersionHelpRequested()) {
            StringWriter out = new StringWriter();
            commandLine.printVersionHelp(new PrintWriter(out));
            return out.toString();
        }
        return null;
    }

    /** Also the model the man page and the shell completions are generated from. */
    static CommandLine commandLine(Options options) {
        return new CommandLine(options)
                .setStopAtPositional(true)
                .setExpandAtFiles(false)
                .setPosixClusteredShortOptionsAllowed(true)
                .registerConverter(Duration.class, converter(Durations::parse))
                .registerConverter(TreeSignal.class, converter(SignalNames::parse))
                .registerConverter(Condition.class, converter(Condition::parse));
    }

    private static <T> ITypeConverter<T> converter(Function<String, T> parse) {
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
