package tether.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads well-formed command lines into {@link Options} without picocli, and gives up on anything else.
 *
 * <p>picocli's classes are Java 5 class files, which the AOT cache cannot hold, and building its model
 * costs about 100 ms per start: more than the rest of tether's start-up. Every start of a hook pays for
 * it, so the common case skips it. Whatever this parser does not accept with certainty — help, version,
 * an unknown option, a bad value, a repeated option, an odd form — it declines by returning
 * {@code null}, and picocli parses it and words the error. {@code FastParserTest} holds it to
 * picocli's results, and {@link #TABLE} to picocli's model of {@link Options}.
 */
final class FastParser {

    /** Stores one occurrence of an option in {@link Options}, as picocli would. */
    @FunctionalInterface
    interface Store {
        /**
         * @param value the option's value, {@code null} for an option that takes none
         * @throws IllegalArgumentException for a value picocli rejects, so that picocli words the error
         */
        void set(Options options, String value);
    }

    /**
     * One option: its names, whether it takes a value, whether it may be given more than once, picocli's
     * default (stored when the option is absent), and how it is stored; without a store, the option is
     * left to picocli.
     */
    record Row(List<String> names, boolean takesValue, boolean repeatable, String defaultValue, Store store) {}

    /** Every option of {@link Options}, one row each: a new option needs its row here, or FastParserTest fails. */
    static final List<Row> TABLE = List.of(
            value("-C --cwd", null, Field.DIRECTORY),
            value("-w --watch", null, Field.WATCH),
            flag("--no-watch", Field.NO_WATCH),
            value("--poll", Options.DEFAULT_POLL, Field.POLL),
            value("--grace", Options.DEFAULT_GRACE, Field.GRACE),
            value("--signal", Options.DEFAULT_SIGNAL, Field.SIGNAL),
            flag("--detach", Field.DETACH),
            value("--log", null, Field.LOG),
            repeatable("-v --verbose", Field.VERBOSE),
            flag("-q --quiet", Field.QUIET),
            flag("--list", Field.LIST),
            flag("--json", Field.JSON),
            flag("--all", Field.ALL),
            flag("--stop", Field.STOP),
            picocli("-h --help"),
            picocli("-V --version"));

    /** The field of {@link Options} each row stores into: one class for the table, not one lambda per row. */
    private enum Field implements Store {
        DIRECTORY, WATCH, NO_WATCH, POLL, GRACE, SIGNAL, DETACH, LOG, VERBOSE, QUIET, LIST, JSON, ALL, STOP;

        @Override
        public void set(Options o, String v) {
            switch (this) {
                case DIRECTORY -> o.directory = v;
                case WATCH -> o.watch = v;
                case NO_WATCH -> o.noWatch = true;
                case POLL -> o.poll = Durations.parse(v);
                case GRACE -> o.grace = Durations.parse(v);
                case SIGNAL -> o.signal = SignalNames.parse(v);
                case DETACH -> o.detach = true;
                case LOG -> o.log = v;
                case VERBOSE -> {
                    o.verbose = Arrays.copyOf(o.verbose, o.verbose.length + 1);
                    o.verbose[o.verbose.length - 1] = true;
                }
                case QUIET -> o.quiet = true;
                case LIST -> o.list = true;
                case JSON -> o.json = true;
                case ALL -> o.all = true;
                case STOP -> o.stop = true;
            }
        }
    }

    private static Row flag(String names, Store store) {
        return new Row(List.of(names.split(" ")), false, false, null, store);
    }

    private static Row repeatable(String names, Store store) {
        return new Row(List.of(names.split(" ")), false, true, null, store);
    }

    private static Row value(String names, String defaultValue, Store store) {
        return new Row(List.of(names.split(" ")), true, false, defaultValue, store);
    }

    /** An option this parser leaves to picocli: help and version are rare, and picocli writes their text. */
    private static Row picocli(String names) {
        return new Row(List.of(names.split(" ")), false, false, null, null);
    }

    private FastParser() {}

    /** The parsed options with {@link Options#command} filled, or {@code null} to let picocli decide. */
    static Options parse(String[] args) {
        Options options = new Options();
        boolean[] seen = new boolean[TABLE.size()];
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
                Row row = take(eq < 0 ? arg : arg.substring(0, eq), seen);
                String attached = eq < 0 ? null : arg.substring(eq + 1);
                if (row == null || (!row.takesValue() && attached != null)) {
                    return null;
                }
                String value = attached;
                if (row.takesValue() && attached == null) {
                    value = i + 1 < args.length ? args[++i] : null;
                    if (value == null || value.startsWith("-")) {
                        return null;
                    }
                }
                if (!store(row, options, value)) {
                    return null;
                }
                i++;
                continue;
            }
            for (int c = 1; c < arg.length(); c++) {
                Row row = take("-" + arg.charAt(c), seen);
                if (row == null) {
                    return null;
                }
                if (!row.takesValue()) {
                    if (!store(row, options, null)) {
                        return null;
                    }
                    continue;
                }
                String rest = arg.substring(c + 1);
                String value = !rest.isEmpty() ? rest : i + 1 < args.length ? args[++i] : null;
                if (value == null || value.startsWith("-") || value.startsWith("=") || !store(row, options, value)) {
                    return null;
                }
                break;
            }
            i++;
        }
        for (int r = 0; r < TABLE.size(); r++) {
            Row row = TABLE.get(r);
            if (!seen[r] && row.defaultValue() != null) {
                row.store().set(options, row.defaultValue());
            }
        }
        options.command = new ArrayList<>(Arrays.asList(args).subList(i, args.length));
        return options;
    }

    /**
     * The row named {@code name}, marked as given; {@code null} when picocli should decide: an unknown
     * option, one left to picocli, or a second occurrence of one that picocli refuses to see twice.
     */
    private static Row take(String name, boolean[] seen) {
        for (int r = 0; r < TABLE.size(); r++) {
            Row row = TABLE.get(r);
            if (row.names().contains(name)) {
                if (row.store() == null || (seen[r] && !row.repeatable())) {
                    return null;
                }
                seen[r] = true;
                return row;
            }
        }
        return null;
    }

    /** {@code false} for a value picocli would reject, so that picocli can word the error. */
    private static boolean store(Row row, Options options, String value) {
        try {
            row.store().set(options, value);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
