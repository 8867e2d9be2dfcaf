package tether.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/** {@link FastParser} must never accept a command line that picocli reads differently or rejects. */
class FastParserTest {

    static final CommandSpec MODEL = PicocliParser.commandLine(new Options()).getCommandSpec();

    /** Odd forms and values, then every option of the model, alone and with a value it accepts. */
    static final List<String> TOKENS = Stream.concat(Stream.of(
            "-C", "web", "--cwd", "--cwd=web", "-Cweb", "-C=web", "-w", "/tmp", "--watch", "--watch=/w", "-w/x",
            "--no-watch", "--no-watch=true", "--poll", "10ms", "--poll=1.5s", "5ms", "1x", "--grace", "0s",
            "--grace=2m", "-1s", "--signal", "INT", "sigusr1", "KILL", "--signal=hup", "-v", "-vv", "-vvv",
            "--verbose", "--verbose=1", "-q", "--quiet", "-qv", "-vq", "-vC", "-h", "--help", "-V", "--version",
            "--", "-", "@file", "--bogus", "-x", "-", "npm", "run", "dev", "--port", "3000", "", "-C-x", "--detach",
            "--log", "--log=out.log", "out.log", "--ready", "port", "port:5173", "port:0", "--ready=output:Local:",
            "output:(", "http://localhost:5173/", "https://x/", "--ready-timeout", "--ready-timeout=0s",
            "--keep-unready", "--ready-fd", "3", "--ready-fd=+3", "0x3"), modelTokens().stream()).distinct().toList();

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
        candidates.addAll(List.of("x", "1", "1s", "port"));
        for (String candidate : candidates) {
            if (!picocli(new String[] {option.longestName(), candidate, "cmd"}).equals("error")) {
                return candidate;
            }
        }
        return fail("no sample value for " + option.longestName() + " here: give sample() one it accepts");
    }

    /** picocli's reading, in the same terms: the options, or the error, or null for help and version. */
    static String picocli(String[] args) {
        Options options = new Options();
        CommandLine commandLine = PicocliParser.commandLine(options);
        try {
            commandLine.parseArgs(args);
        } catch (ParameterException e) {
            return "error";
        }
        if (commandLine.isUsageHelpRequested() || commandLine.isVersionHelpRequested()) {
            return "help";
        }
        return describe(options);
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

    static void assertAgree(String[] args) {
        Options fast = FastParser.parse(args);
        if (fast != null) {
            assertEquals(picocli(args), describe(fast), () -> "for " + Arrays.toString(args));
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
            accepted += FastParser.parse(args) != null ? 1 : 0;
        }
        assertTrue(accepted > 3_000, "the fast path took only " + accepted + " of 30000");
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
                "--cwd web --watch ../lock --poll 10ms --grace 0s --signal SIGUSR2 --verbose --quiet x")) {
            String[] args = line.split(" ");
            Options fast = FastParser.parse(args);
            assertNotNull(fast, line);
            assertEquals(picocli(args), describe(fast), line);
        }
    }

    /** An option added to {@link Options} fails here until it has its row in the fast parser's table. */
    @Test
    void theTableHoldsPicocliOptionsNamesArityAndDefaultsAndNothingElse() {
        List<String> model = MODEL.options().stream().map(option -> row(List.of(option.names()),
                option.arity().toString(), option.isMultiValue(), option.defaultValue())).sorted().toList();
        List<String> table = FastParser.TABLE.stream().map(row -> row(row.names(), row.takesValue() ? "1" : "0",
                row.repeatable(), row.defaultValue())).sorted().toList();
        assertEquals(model, table);
    }

    static String row(Collection<String> names, String arity, boolean repeatable, String defaultValue) {
        return new TreeSet<>(names) + " arity " + arity + (repeatable ? " repeatable" : "") + " default " + defaultValue;
    }

    /** Each row stores its option as picocli does, under every name; a row without a store is picocli's. */
    @Test
    void everyRowStoresItsOptionAsPicocliDoes() {
        assertAgree(new String[] {"cmd"});
        for (OptionSpec option : MODEL.options()) {
            FastParser.Row row = FastParser.TABLE.stream().filter(r -> r.names().contains(option.longestName()))
                    .findFirst().orElseThrow(() -> new AssertionError("no row for " + option.longestName()));
            for (String name : option.names()) {
                List<String> given = takesValue(option) ? List.of(name, sample(option)) : List.of(name);
                List<String> args = new ArrayList<>(given);
                if (row.repeatable()) {
                    args.addAll(given);
                }
                args.add("cmd");
                String[] line = args.toArray(String[]::new);
                Options fast = FastParser.parse(line);
                if (row.store() == null) {
                    assertNull(fast, () -> "left to picocli, but the fast parser took " + args);
                } else {
                    assertNotNull(fast, () -> "the fast parser declines " + args);
                    assertEquals(picocli(line), describe(fast), args::toString);
                }
            }
        }
    }
}
