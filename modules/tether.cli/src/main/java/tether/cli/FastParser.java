package tether.cli;

import java.util.HashSet;
import java.util.Set;

/**
 * Reads well-formed command lines into {@link Options} without picocli, and gives up on anything else.
 *
 * <p>picocli's classes are Java 5 class files, which the AOT cache cannot hold, and building its model
 * costs about 100 ms per start: more than the rest of tether's start-up. Every start of a hook pays for
 * it, so the common case skips it. Whatever this parser does not accept with certainty — help, version,
 * an unknown option, a bad value, a repeated option, an odd form — it declines by returning
 * {@code null}, and picocli parses it and words the error. {@code FastParserTest} holds it to
 * picocli's results.
 */
final class FastParser {

    private FastParser() {}

    /** The parsed options with {@link Options#command} filled, or {@code null} to let picocli decide. */
    static Options parse(String[] args) {
        Options options = new Options();
        Set<String> seen = new HashSet<>();
        int verbose = 0;
        int i = 0;
        while (i < args.length) {
            String arg = args[i];
            if (arg.equals("--")) {
                i++;
                break;
            }
            if (arg.equals("-")) {
                return null;
            }
            if (!arg.startsWith("-")) {
                break;
            }
            if (arg.startsWith("--")) {
                int eq = arg.indexOf('=');
                String name = eq < 0 ? arg : arg.substring(0, eq);
                String attached = eq < 0 ? null : arg.substring(eq + 1);
                if (name.equals("--verbose")) {
                    if (attached != null) {
                        return null;
                    }
                    verbose++;
                    i++;
                    continue;
                }
                if (!seen.add(name) || !isLong(name)) {
                    return null;
                }
                if (takesValue(name)) {
                    String value = attached != null ? attached : i + 1 < args.length ? args[++i] : null;
                    if (value == null || (attached == null && value.startsWith("-")) || !set(options, name, value)) {
                        return null;
                    }
                } else if (attached != null || !set(options, name, null)) {
                    return null;
                }
                i++;
                continue;
            }
            for (int c = 1; c < arg.length(); c++) {
                char flag = arg.charAt(c);
                if (flag == 'v') {
                    verbose++;
                    continue;
                }
                String name = switch (flag) {
                    case 'q' -> "--quiet";
                    case 'C' -> "--cwd";
                    case 'w' -> "--watch";
                    default -> null;
                };
                if (name == null || !seen.add(name)) {
                    return null;
                }
                if (!takesValue(name)) {
                    set(options, name, null);
                    continue;
                }
                String rest = arg.substring(c + 1);
                String value = !rest.isEmpty() ? rest : i + 1 < args.length ? args[++i] : null;
                if (value == null || value.startsWith("-") || value.startsWith("=") || !set(options, name, value)) {
                    return null;
                }
                break;
            }
            i++;
        }
        if (i >= args.length) {
            return null;
        }
        options.verbose = new boolean[verbose];
        for (int c = 0; c < verbose; c++) {
            options.verbose[c] = true;
        }
        options.command = new java.util.ArrayList<>(java.util.Arrays.asList(args).subList(i, args.length));
        applyDefaults(options, seen);
        return options;
    }

    private static boolean isLong(String name) {
        return switch (name) {
            case "--cwd", "--watch", "--no-watch", "--poll", "--grace", "--signal", "--quiet", "--detach", "--log" -> true;
            default -> false;
        };
    }

    private static boolean takesValue(String name) {
        return switch (name) {
            case "--cwd", "--watch", "--poll", "--grace", "--signal", "--log" -> true;
            default -> false;
        };
    }

    /** Sets one option; {@code false} if the value is not valid, so that picocli can word the error. */
    private static boolean set(Options options, String name, String value) {
        try {
            switch (name) {
                case "--cwd" -> options.directory = value;
                case "--watch" -> options.watch = value;
                case "--no-watch" -> options.noWatch = true;
                case "--quiet" -> options.quiet = true;
                case "--detach" -> options.detach = true;
                case "--log" -> options.log = value;
                case "--poll" -> options.poll = Durations.parse(value);
                case "--grace" -> options.grace = Durations.parse(value);
                case "--signal" -> options.signal = SignalNames.parse(value);
                default -> {
                    return false;
                }
            }
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static void applyDefaults(Options options, Set<String> seen) {
        if (!seen.contains("--poll")) {
            options.poll = Durations.parse(Options.DEFAULT_POLL);
        }
        if (!seen.contains("--grace")) {
            options.grace = Durations.parse(Options.DEFAULT_GRACE);
        }
        if (!seen.contains("--signal")) {
            options.signal = SignalNames.parse(Options.DEFAULT_SIGNAL);
        }
    }
}
