package tether.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * {@link ArgumentParser} reads a command line as picocli reads the model of {@link Options} that the help,
 * the man page and the completions are made from: what one accepts the other accepts alike, and what picocli
 * refuses tether refuses too. Where tether is stricter on purpose, {@link #deliberatelyStricter} says so.
 */
class ArgumentParserTest {

    static final CommandSpec MODEL = PicocliModel.commandLine(new Options()).getCommandSpec();

    /** Odd forms and values, then every option of the model, alone and with a value it accepts. */
    static final List<String> TOKENS = Stream.concat(Stream.of(
            "-C", "web", "--cwd", "--cwd=web", "-Cweb", "-C=web", "-w", "/tmp", "--watch", "--watch=/w", "-w/x",
            "--no-watch", "--no-watch=true", "--poll", "10ms", "--poll=1.5s", "5ms", "1x", "--grace", "0s",
            "--grace=2m", "-1s", "--signal", "INT", "sigusr1", "KILL", "--signal=hup", "-v", "-vv", "-vvv",
            "--verbose", "--verbose=1", "-q", "--quiet", "-qv", "-vq", "-vC", "-h", "--help", "-V", "--version",
            "--", "-", "@file", "--bogus", "-x", "-", "npm", "run", "dev", "--port", "3000", "", "-C-x", "--detach",
            "--log", "--log=out.log", "out.log", "--list", "--stop", "--json", "--all", "--all=true", "-vh", "--=x",
            "---x", "--ready", "port", "port:5173", "port:0", "--ready=output:Local:", "output:(",
            "http://localhost:5173/", "https://x/", "--ready-timeout", "--ready-timeout=0s", "--keep-unready",
            "--ready-fd", "3", "--ready-fd=+3", "0x3", "--ready-fd=2"),
            modelTokens().stream()).distinct().toList();

    static List<String> modelTokens() {
        List<String> tokens = new ArrayList<>();
        for (OptionSpec option : MODEL.options()) {
            for (String name : option.names()) {
                tokens.add(name);
                if (takesValue(option)) {
                    tokens.add(name + "=" + sample(option));
                    tokens.add(sample(option));
                }
            }
        }
        return tokens;
    }

    static boolean takesValue(OptionSpec option) {
        return option.arity().max() > 0;
    }

    /** A value picocli accepts for {@code option}. */
    static String sample(OptionSpec option) {
        Set<String> candidates = new LinkedHashSet<>();
        if (option.defaultValue() != null) {
            candidates.add(option.defaultValue());
        }
        if (option.completionCandidates() != null) {
            option.completionCandidates().forEach(candidates::add);
        }
        candidates.addAll(List.of("x", "3", "1", "1s", "port"));
        for (String candidate : candidates) {
            if (!picocli(new String[] {option.longestName(), candidate, "cmd"}).equals(ERROR)) {
                return candidate;
            }
        }
        return fail("no sample value for " + option.longestName() + " here: give sample() one it accepts");
    }

    static final String ERROR = "error";
    static final String HELP = "help";

    /** picocli's reading, in the same terms: the options, or the error, or help for help and version. */
    static String picocli(String[] args) {
        Options options = new Options();
        CommandLine commandLine = PicocliModel.commandLine(options);
        try {
            commandLine.parseArgs(args);
        } catch (ParameterException e) {
            return ERROR;
        }
        if (commandLine.isUsageHelpRequested() || commandLine.isVersionHelpRequested()) {
            return HELP;
        }
        return describe(options);
    }

    /** tether's reading in the same terms, or the message of its refusal. */
    static String ours(String[] args) {
        try {
            Options options = ArgumentParser.parse(args);
            return options.help || options.version ? HELP : describe(options);
        } catch (CommandLineParser.UsageException e) {
            return ERROR + ": " + e.getMessage();
        }
    }

    /** Every field of {@link Options}, so that a new option is compared without being named here. */
    static String describe(Options o) {
        List<String> fields = new ArrayList<>();
        for (Field field : Options.class.getDeclaredFields()) {
            if (!Modifier.isStatic(field.getModifiers())) {
                try {
                    fields.add(field.getName() + "=" + text(field.get(o)));
                } catch (IllegalAccessException e) {
                    throw new AssertionError(e);
                }
            }
        }
        return String.join("|", fields);
    }

    static String text(Object value) {
        if (value == null || !value.getClass().isArray()) {
            return String.valueOf(value);
        }
        List<String> elements = new ArrayList<>();
        for (int i = 0; i < Array.getLength(value); i++) {
            elements.add(text(Array.get(value, i)));
        }
        return elements.toString();
    }

    /**
     * Where tether refuses what picocli takes, on purpose: a value given to a flag ({@code --no-watch=true},
     * which picocli reads as a boolean, and {@code --verbose=1}), a --poll or --ready-fd below its floor and a
     * --ready-timeout of nothing, which picocli does not know of.
     */
    static boolean deliberatelyStricter(String message) {
        return message.endsWith(" takes no value") || message.contains(" takes no value;")
                || message.contains("below the minimum") || message.endsWith(": expected more than 0s");
    }

    static void assertAgree(String[] args) {
        String ours = ours(args);
        String picocli = picocli(args);
        String line = Arrays.toString(args);
        if (ours.startsWith(ERROR)) {
            String message = ours.substring(ERROR.length() + 2);
            // picocli overlooks mistakes in a line that asks for help; tether reads in order, as getopt does.
            assertTrue(picocli.equals(ERROR) || picocli.equals(HELP) || deliberatelyStricter(message),
                    () -> "tether refuses " + line + " (" + message + "), picocli reads " + picocli);
            assertFalse(message.isBlank() || message.contains("\n"), message);
        } else if (ours.equals(HELP)) {
            assertTrue(picocli.equals(HELP) || picocli.equals(ERROR), () -> "help for " + line + ", picocli: " + picocli);
        } else {
            assertEquals(picocli, ours, () -> "for " + line);
        }
    }

    @Test
    void agreesWithPicocliOnRandomCommandLines() {
        Random random = new Random(42);
        int accepted = 0;
        for (int round = 0; round < 30_000; round++) {
            String[] args = new String[random.nextInt(7)];
            for (int i = 0; i < args.length; i++) {
                args[i] = TOKENS.get(random.nextInt(TOKENS.size()));
            }
            assertAgree(args);
            accepted += ours(args).startsWith(ERROR) ? 0 : 1;
        }
        assertTrue(accepted > 3_000, "only " + accepted + " of 30000 lines were accepted: the sample says little");
    }

    @Test
    void agreesWithPicocliOnEveryPairOfTokensBeforeACommand() {
        for (String a : TOKENS) {
            for (String b : TOKENS) {
                assertAgree(new String[] {a, b, "npm", "run"});
                assertAgree(new String[] {a, b});
            }
        }
    }

    @Test
    void takesTheCommonCommandLines() {
        for (String line : List.of(
                "npm run dev", "-- npm run dev", "-v -- npm run dev --port 3000", "-C web -w /tmp --poll 1s true",
                "--grace=5s --signal INT -- ./server", "-vv --no-watch make watch", "-q sh -c x",
                "--cwd web --watch ../lock --poll 10ms --grace 0s --signal SIGUSR2 --verbose --quiet x",
                "-C -odd-dir true", "--log ./--detach --detach true", "-C=web true", "--list --all --json wt",
                "--stop --all --grace 2s --signal=INT ../a 1234", "--all --stop --grace=500ms", "-v --all --list",
                "--detach --ready port npm start", "--ready port:5173 --ready output:Local: --ready-timeout 2m npm run dev",
                "--ready=http://localhost:5173/ --keep-unready --ready-fd 3 vite", "--ready-fd=+3 --ready port x")) {
            String[] args = line.split(" ");
            assertFalse(ours(args).startsWith(ERROR), () -> line + ": " + ours(args));
            assertEquals(picocli(args), ours(args), line);
        }
    }

    /** An option added to {@link Options} fails here until it has its row in the parser's table. */
    @Test
    void theTableHoldsPicocliOptionsNamesValuesAndDefaultsAndNothingElse() {
        List<String> model = MODEL.options().stream().map(option -> row(List.of(option.names()),
                takesValue(option) ? option.paramLabel() : null, option.isMultiValue(), option.defaultValue()))
                .sorted().toList();
        List<String> table = ArgumentParser.TABLE.stream().map(row -> row(row.names(), row.label(),
                row.repeatable(), row.defaultValue())).sorted().toList();
        assertEquals(model, table);
    }

    static String row(Collection<String> names, String label, boolean repeatable, String defaultValue) {
        return new TreeSet<>(names) + " value " + label + (repeatable ? " repeatable" : "") + " default " + defaultValue;
    }

    /** Each row stores its option as picocli does, under every name. */
    @Test
    void everyRowStoresItsOptionAsPicocliDoes() {
        assertAgree(new String[] {"cmd"});
        for (OptionSpec option : MODEL.options()) {
            ArgumentParser.Row row = ArgumentParser.TABLE.stream().filter(r -> r.names().contains(option.longestName()))
                    .findFirst().orElseThrow(() -> new AssertionError("no row for " + option.longestName()));
            for (String name : option.names()) {
                List<String> given = takesValue(option) ? List.of(name, sample(option)) : List.of(name);
                List<String> args = new ArrayList<>(given);
                if (row.repeatable()) {
                    args.addAll(given);
                }
                args.add("cmd");
                String[] line = args.toArray(String[]::new);
                assertFalse(ours(line).startsWith(ERROR), () -> args + ": " + ours(line));
                assertEquals(picocli(line), ours(line), args::toString);
            }
        }
    }

    /** A condition is shown as the user wrote it, a control character in it escaped. */
    @Test
    void aConditionIsNamedAsWrittenItsControlCharactersEscaped() {
        assertEquals(ERROR + ": invalid --ready 'a\\nb': expected port, port:N, an http:// URL or output:REGEX",
                ours(new String[] {"--ready", "a\nb", "x"}));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "--bogus true              | unknown option '--bogus'",
        "-vx true                  | unknown option '-x' in '-vx'",
        "--grace                   | missing DURATION after --grace",
        "--cwd --detach true       | missing DIR after --cwd",
        "-C                        | missing DIR after -C",
        "--grace 5x true           | invalid --grace '5x': expected a number and a unit, like 250ms, 1.5s or 2m",
        "--poll=5ms true           | invalid --poll '5ms': below the minimum of 10ms",
        "--signal KILL true        | invalid --signal 'KILL': expected one of TERM, INT, HUP, QUIT, USR1, USR2",
        "--verbose=2 true          | --verbose takes no value; give it again for more, as in -vv",
        "--no-watch=yes true       | --no-watch takes no value",
        "--list --all=yes          | --all takes no value",
        "--stop --all --all        | --all given twice",
        "--grace 1s --grace 2s x   | --grace given twice",
        "-q --quiet x              | --quiet given twice",
        "--ready tcp:80 x          | invalid --ready 'tcp:80': expected port, port:N, an http:// URL or output:REGEX",
        "--ready port:0 x          | invalid --ready 'port:0': expected a port from 1 to 65535",
        "--ready                   | missing CONDITION after --ready",
        "--ready-timeout 0s x      | invalid --ready-timeout '0s': expected more than 0s",
        "--ready-fd 0x3 x          | invalid --ready-fd '0x3': expected a descriptor number",
        "--ready-fd 2 x            | invalid --ready-fd '2': below the minimum of 3 (0, 1 and 2 are COMMAND's stdin, stdout and stderr)",
        "--keep-unready=yes x      | --keep-unready takes no value",
        "--ready-fd 3 --ready-fd 4 | --ready-fd given twice"})
    void mistakesAreNamedAsTheUserWroteThem(String line, String message) {
        assertEquals(ERROR + ": " + message, ours(line.split(" ")));
    }
}
