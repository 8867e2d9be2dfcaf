package tether.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Model.UsageMessageSpec;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;
import tether.api.TreeSignal;
import tether.cli.ready.Condition;

/**
 * picocli's model of {@link Options}, set up to read a command line as {@link ArgumentParser} does. The build
 * renders the help, the man page and the shell completions from it, and {@code ArgumentParserTest} holds the
 * parser to it. Never used at run time: the image holds no picocli ({@code requires static} in the module
 * descriptor), and nothing on tether's path refers to this class.
 */
final class PicocliModel {

    private PicocliModel() {}

    static CommandLine commandLine(Options options) {
        CommandLine commandLine = new CommandLine(options)
                .setStopAtPositional(true)
                .setExpandAtFiles(false)
                .setPosixClusteredShortOptionsAllowed(true)
                .registerConverter(Duration.class, converter(Durations::parse))
                .registerConverter(TreeSignal.class, converter(SignalNames::parse))
                .registerConverter(Condition.class, converter(Condition::parse));
        // The help starts with its usage, as the coreutils tools' does; the header is the man page's NAME.
        List<String> sections = new ArrayList<>(commandLine.getHelpSectionKeys());
        sections.remove(UsageMessageSpec.SECTION_KEY_HEADER_HEADING);
        sections.remove(UsageMessageSpec.SECTION_KEY_HEADER);
        return commandLine.setHelpSectionKeys(sections);
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
}
