package tether.cli;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import tether.api.CgroupUse;
import tether.api.TreeSignal;

/**
 * Reads tether's arguments, through {@link ArgumentParser}, into what they ask for: a run with its
 * {@link Settings}, the help or the version, --list or --stop; and refuses what the options cannot mean
 * together. Messages read as {@link Fatal} says.
 */
final class CommandLineParser {

    /** What the arguments asked for. */
    sealed interface Parsed {}

    record Run(Settings settings) implements Parsed {}

    /** {@code --help} or {@code --version}: print {@code text()} on stdout and exit 0. */
    record Print(boolean help) implements Parsed {
        String text() {
            return help ? BuildTexts.help() : Version.text();
        }
    }

    /**
     * {@code --list}: the tethers watching {@code path} or inside it ({@code null}: all), as JSON or a table;
     * with {@code all}, also the processes no tether holds that live in {@code path} (the current directory).
     */
    record Listing(byte[] path, boolean json, boolean all, LogLevel logLevel) implements Parsed {}

    /**
     * {@code --stop}: the tethers named by {@code targets}, each a PATH or a PID; none means this directory.
     * With {@code all}, first the processes no tether holds that live in each PATH, or that a PID names, ended
     * with {@code signal}, and SIGKILL after {@code grace}.
     */
    record Stopping(List<byte[]> targets, boolean all, TreeSignal signal, Duration grace, LogLevel logLevel)
            implements Parsed {}

    /** The only options that go with --list and --stop; the rest shape a run. */
    private static final List<String> QUERY_OPTIONS = List.of("--list", "--stop", "--json", "--all", "--verbose",
            "--quiet");
    /** What --stop --all takes besides: how the processes it ends are ended, as in a teardown. */
    private static final List<String> ENDING_OPTIONS = List.of("--grace", "--signal");
    private static final String QUERY_SHORT_OPTIONS = "vq";

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
        Options options = ArgumentParser.parse(args);
        if (options.help || options.version) {
            return new Print(options.help);
        }
        if (options.list || options.stop) {
            return query(options, args, tetherLogVariable);
        }
        if (options.json) {
            throw new UsageException("--json goes with --list");
        }
        if (options.all) {
            throw new UsageException("--all goes with --list or --stop");
        }
        if (options.command.isEmpty()) {
            throw new UsageException("missing COMMAND");
        }
        return new Run(check(options, args.length, tetherLogVariable));
    }

    private static Parsed query(Options options, String[] args, String tetherLogVariable) throws UsageException {
        String mode = options.list ? "--list" : "--stop";
        if (options.list && options.stop) {
            throw new UsageException("--list and --stop cannot be combined");
        }
        if (options.json && !options.list) {
            throw new UsageException("--json goes with --list");
        }
        int operands = options.command.size();
        for (int i = 0; i < args.length - operands; i++) {
            String ending = endingOption(args[i]);
            if (ending != null && options.stop && options.all) {
                i += args[i].equals(ending) ? 1 : 0; // its value, unless attached with '='
            } else if (!isQueryOption(args[i])) {
                throw new UsageException(mode + " cannot be combined with " + args[i]);
            }
        }
        LogLevel level = logLevel(options, tetherLogVariable);
        List<byte[]> targets = options.command.stream().map(CommandLineParser::bytes).toList();
        if (options.stop) {
            return new Stopping(targets, options.all, options.signal, options.grace, level);
        }
        if (targets.size() > 1) {
            throw new UsageException("--list takes one PATH, not " + targets.size());
        }
        return new Listing(targets.isEmpty() ? null : targets.getFirst(), options.json, options.all, level);
    }

    /**
     * Whether an argument before the operands is one that goes with --list and --stop. None of those takes a
     * value, so every such argument is an option (or the {@code --} that ends them) and can be judged alone.
     */
    private static boolean isQueryOption(String arg) {
        if (arg.equals("--") || QUERY_OPTIONS.contains(arg)) {
            return true;
        }
        if (arg.startsWith("--") || !arg.startsWith("-")) {
            return false;
        }
        return arg.substring(1).chars().allMatch(c -> QUERY_SHORT_OPTIONS.indexOf(c) >= 0);
    }

    /** The option of {@link #ENDING_OPTIONS} that {@code arg} is ({@code --grace} or {@code --grace=1s}), or {@code null}. */
    private static String endingOption(String arg) {
        for (String option : ENDING_OPTIONS) {
            if (arg.equals(option) || arg.startsWith(option + "=")) {
                return option;
            }
        }
        return null;
    }

    private static Settings check(Options options, int argCount, String tetherLogVariable) throws UsageException {
        if (options.noWatch && options.watch != null) {
            throw new UsageException("--watch and --no-watch cannot be combined");
        }
        if (options.cgroup && options.noCgroup) {
            throw new UsageException("--cgroup and --no-cgroup cannot be combined");
        }
        if (options.log != null && !options.detach) {
            throw new UsageException("--log goes with --detach (without it, COMMAND's output goes where tether's does)");
        }
        return new Settings(argCount - options.command.size(), bytes(options.directory), bytes(options.watch),
                options.noWatch, options.poll, options.grace, options.signal,
                logLevel(options, tetherLogVariable), options.detach, bytes(options.log),
                options.cgroup ? CgroupUse.REQUIRED : options.noCgroup ? CgroupUse.NEVER : CgroupUse.WHERE_AVAILABLE,
                ready(options));
    }

    /** Without any of the readiness options, {@link ReadyOptions} is not even loaded: an idle tether pays for every class. */
    private static ReadyOptions ready(Options options) throws UsageException {
        boolean none = options.ready.isEmpty() && options.readyTimeout == null && !options.keepUnready
                && options.readyFd == null;
        return none ? null : ReadyOptions.of(options, ChildEnvironment.commandStdout());
    }

    /** Each byte as one character, a lossless carrier of the OS's bytes through the parsers. */
    static String[] latin1(List<byte[]> raw) {
        String[] args = new String[raw.size()];
        for (int i = 0; i < args.length; i++) {
            args[i] = new String(raw.get(i), StandardCharsets.ISO_8859_1);
        }
        return args;
    }

    /** The JVM's strings in its own charset: all there is of the arguments when no provider can say more. */
    static List<byte[]> jvmBytes(String[] args) {
        List<byte[]> bytes = new ArrayList<>(args.length);
        for (String arg : args) {
            bytes.add(arg.getBytes(NativeCharset.get()));
        }
        return bytes;
    }

    private static byte[] bytes(String latin1) {
        return latin1 == null ? null : latin1.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static LogLevel logLevel(Options options, String tetherLogVariable) throws UsageException {
        if (options.quiet && options.verbose.length > 0) {
            throw new UsageException("--quiet and --verbose cannot be combined");
        }
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
            throw new UsageException("invalid TETHER_LOG '" + tetherLogVariable + "': " + e.getMessage());
        }
    }
}
