package tether.cli;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import tether.api.Printable;
import tether.cli.ready.Condition;

/**
 * Reads tether's arguments into {@link Options} as getopt_long reads a command line, and words every mistake
 * in them the way {@link Fatal} says messages read.
 *
 * <p>By hand rather than with picocli: picocli builds a model of the options on every start, which costs
 * more than the rest of tether's start-up, and its classes are Java 5 class files that the AOT cache cannot
 * hold. picocli still reads {@link Options} at build time, for the help, the man page and the completions,
 * and {@code ArgumentParserTest} holds this parser and {@link #TABLE} to picocli's reading of that model.
 *
 * <p>How a line reads: options first, long ones as {@code --name VALUE} or {@code --name=VALUE}, short ones
 * as {@code -C VALUE} or {@code -CVALUE}, flags clustered ({@code -vq}); the first word that is not an option
 * starts COMMAND, and so does the word after a first {@code --}. A value is any word but one of tether's own
 * options: {@code --log --detach} is a forgotten FILE far more often than a file of that name (which
 * {@code --log ./--detach} names); picocli has the same rule. {@code -C=DIR} is {@code -C DIR}, as for picocli.
 * An option may be given once, except {@code -v}, which counts, and {@code --ready}, each a condition more. {@code --help} and {@code --version} end the
 * reading where they stand.
 */
final class ArgumentParser {

    /** What an option's value goes into: one class for the table, not one lambda per row. */
    enum Field {
        DIRECTORY, WATCH, NO_WATCH, POLL, GRACE, SIGNAL, CGROUP, NO_CGROUP, DETACH, LOG, READY, READY_TIMEOUT,
        KEEP_UNREADY, READY_FD, LIST, JSON, ALL, STOP, VERBOSE, QUIET, HELP, VERSION;

        /** @throws IllegalArgumentException saying what is wrong with {@code value} */
        void set(Options o, String v) {
            switch (this) {
                case DIRECTORY -> o.directory = v;
                case WATCH -> o.watch = v;
                case NO_WATCH -> o.noWatch = true;
                case POLL -> o.poll = poll(v);
                case GRACE -> o.grace = Durations.parse(v);
                case SIGNAL -> o.signal = SignalNames.parse(v);
                case CGROUP -> o.cgroup = true;
                case NO_CGROUP -> o.noCgroup = true;
                case DETACH -> o.detach = true;
                case LOG -> o.log = v;
                case READY -> o.ready.add(Condition.parse(v));
                case READY_TIMEOUT -> o.readyTimeout = readyTimeout(v);
                case KEEP_UNREADY -> o.keepUnready = true;
                case READY_FD -> o.readyFd = readyFd(v);
                case LIST -> o.list = true;
                case JSON -> o.json = true;
                case ALL -> o.all = true;
                case STOP -> o.stop = true;
                case VERBOSE -> {
                    o.verbose = Arrays.copyOf(o.verbose, o.verbose.length + 1);
                    o.verbose[o.verbose.length - 1] = true;
                }
                case QUIET -> o.quiet = true;
                case HELP -> o.help = true;
                case VERSION -> o.version = true;
            }
        }

        private static java.time.Duration poll(String text) {
            java.time.Duration poll = Durations.parse(text);
            if (poll.compareTo(Options.MIN_POLL) < 0) {
                throw new IllegalArgumentException("below the minimum of " + Options.MIN_POLL.toMillis() + "ms");
            }
            return poll;
        }

        /** A timeout of nothing would end every tree before it could start. */
        private static java.time.Duration readyTimeout(String text) {
            java.time.Duration timeout = Durations.parse(text);
            if (timeout.isZero()) {
                throw new IllegalArgumentException("expected more than 0s");
            }
            return timeout;
        }

        /** A descriptor number as picocli reads an int; 0, 1 and 2 are COMMAND's own streams. */
        private static int readyFd(String text) {
            int fd;
            try {
                fd = Integer.parseInt(text);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected a descriptor number");
            }
            if (fd < ReadyOptions.FIRST_FREE_FD) {
                throw new IllegalArgumentException("below the minimum of " + ReadyOptions.FIRST_FREE_FD
                        + " (0, 1 and 2 are COMMAND's stdin, stdout and stderr)");
            }
            return fd;
        }
    }

    /**
     * One option: its names, the label of its value ({@code null} for a flag), whether it may be given more
     * than once, and its default, stored when it is absent.
     */
    record Row(List<String> names, String label, boolean repeatable, String defaultValue, Field field) {

        boolean takesValue() {
            return label != null;
        }
    }

    /** Every option of {@link Options}, one row each, in the order of the help. */
    static final List<Row> TABLE = List.of(
            value("-C --cwd", "DIR", null, Field.DIRECTORY),
            value("-w --watch", "PATH", null, Field.WATCH),
            flag("--no-watch", Field.NO_WATCH),
            value("--poll", "DURATION", Options.DEFAULT_POLL, Field.POLL),
            value("--grace", "DURATION", Options.DEFAULT_GRACE, Field.GRACE),
            value("--signal", "NAME", Options.DEFAULT_SIGNAL, Field.SIGNAL),
            flag("--cgroup", Field.CGROUP),
            flag("--no-cgroup", Field.NO_CGROUP),
            flag("--detach", Field.DETACH),
            value("--log", "FILE", null, Field.LOG),
            new Row(List.of("--ready"), "CONDITION", true, null, Field.READY),
            value("--ready-timeout", "DURATION", null, Field.READY_TIMEOUT),
            flag("--keep-unready", Field.KEEP_UNREADY),
            value("--ready-fd", "N", null, Field.READY_FD),
            flag("--list", Field.LIST),
            flag("--json", Field.JSON),
            flag("--all", Field.ALL),
            flag("--stop", Field.STOP),
            new Row(List.of("-v", "--verbose"), null, true, null, Field.VERBOSE),
            flag("-q --quiet", Field.QUIET),
            flag("-h --help", Field.HELP),
            flag("-V --version", Field.VERSION));

    private static Row flag(String names, Field field) {
        return new Row(List.of(names.split(" ")), null, false, null, field);
    }

    private static Row value(String names, String label, String defaultValue, Field field) {
        return new Row(List.of(names.split(" ")), label, false, defaultValue, field);
    }

    private ArgumentParser() {}

    /**
     * The options, with {@link Options#command} holding COMMAND (or the operands of --list and --stop); for
     * --help and --version, the options read up to there.
     *
     * @param args each byte of the OS's argument as one character (ISO-8859-1)
     */
    static Options parse(String[] args) throws CommandLineParser.UsageException {
        Options options = new Options();
        boolean[] seen = new boolean[TABLE.size()];
        int i = 0;
        while (i < args.length) {
            String arg = args[i];
            if (arg.equals("--")) {
                i++;
                break;
            }
            if (arg.equals("-") || !arg.startsWith("-")) {
                break;
            }
            if (arg.startsWith("--")) {
                int eq = arg.indexOf('=');
                String name = eq < 0 ? arg : arg.substring(0, eq);
                Row row = row(name, arg);
                String value = null;
                if (!row.takesValue() && eq >= 0) {
                    throw new CommandLineParser.UsageException(takesNoValue(row, name));
                } else if (row.takesValue()) {
                    value = eq >= 0 ? attached(arg.substring(eq + 1), row, name) : valueAfter(args, ++i, row, name);
                }
                i++;
                if (store(options, seen, row, name, value)) {
                    return options;
                }
                continue;
            }
            for (int c = 1; c < arg.length(); c++) {
                String name = "-" + arg.charAt(c);
                Row row = row(name, arg);
                if (!row.takesValue()) {
                    if (store(options, seen, row, name, null)) {
                        return options;
                    }
                    continue;
                }
                String rest = arg.startsWith("=", c + 1) ? arg.substring(c + 2) : arg.substring(c + 1);
                String value = arg.length() > c + 1 ? attached(rest, row, name) : valueAfter(args, ++i, row, name);
                if (store(options, seen, row, name, value)) {
                    return options;
                }
                break;
            }
            i++;
        }
        for (int r = 0; r < TABLE.size(); r++) {
            Row row = TABLE.get(r);
            if (!seen[r] && row.defaultValue() != null) {
                row.field().set(options, row.defaultValue());
            }
        }
        options.command = new ArrayList<>(Arrays.asList(args).subList(i, args.length));
        return options;
    }

    /** The row named {@code name}, an option of tether's written as {@code word}. */
    private static Row row(String name, String word) throws CommandLineParser.UsageException {
        for (Row row : TABLE) {
            if (row.names().contains(name)) {
                return row;
            }
        }
        throw new CommandLineParser.UsageException("unknown option '" + shown(name) + "'"
                + (word.equals(name) || word.startsWith("--") ? "" : " in '" + shown(word) + "'"));
    }

    /** The word after an option that takes a value: there must be one, and not one of tether's options. */
    private static String valueAfter(String[] args, int i, Row row, String name) throws CommandLineParser.UsageException {
        if (i >= args.length || isOption(args[i])) {
            throw new CommandLineParser.UsageException("missing " + row.label() + " after " + name);
        }
        return args[i];
    }

    /** A value written in the same word as its option, which may not be one of tether's options either. */
    private static String attached(String value, Row row, String name) throws CommandLineParser.UsageException {
        if (isOption(value)) {
            throw new CommandLineParser.UsageException("invalid " + name + " '" + shown(value) + "': expected a "
                    + row.label() + ", not an option");
        }
        return value;
    }

    /** Whether {@code word} would be read as one of tether's options (or the {@code --} that ends them). */
    static boolean isOption(String word) {
        if (word.equals("--")) {
            return true;
        }
        if (word.length() < 2 || word.charAt(0) != '-') {
            return false;
        }
        int eq = word.indexOf('=');
        String name = word.startsWith("--") ? (eq < 0 ? word : word.substring(0, eq)) : word.substring(0, 2);
        for (Row row : TABLE) {
            if (row.names().contains(name)) {
                return true;
            }
        }
        return false;
    }

    /** Stores one occurrence; {@code true} when it asks for the help or the version, which ends the reading. */
    private static boolean store(Options options, boolean[] seen, Row row, String name, String value)
            throws CommandLineParser.UsageException {
        int r = indexOf(row);
        if (seen[r] && !row.repeatable()) {
            throw new CommandLineParser.UsageException(name + " given twice");
        }
        seen[r] = true;
        try {
            row.field().set(options, value);
        } catch (IllegalArgumentException e) {
            throw new CommandLineParser.UsageException("invalid " + name + " '" + shown(value) + "': " + e.getMessage());
        }
        return row.field() == Field.HELP || row.field() == Field.VERSION;
    }

    /**
     * The row's place in {@link #TABLE}, found by identity: {@code List.indexOf} would call the record's
     * {@code equals}, whose first call spins nine method-handle classes, and their compilation took 5 MB of
     * native memory on every start.
     */
    private static int indexOf(Row row) {
        for (int r = 0; r < TABLE.size(); r++) {
            if (TABLE.get(r) == row) {
                return r;
            }
        }
        throw new IllegalArgumentException("not a row of the table");
    }

    private static String takesNoValue(Row row, String name) {
        return name + " takes no value" + (row.repeatable() ? "; give it again for more, as in -vv" : "");
    }

    /** A word of the command line as a message shows it: the OS's bytes as UTF-8, escaped where they are not. */
    private static String shown(String latin1) {
        return Printable.of(latin1.getBytes(StandardCharsets.ISO_8859_1));
    }
}
