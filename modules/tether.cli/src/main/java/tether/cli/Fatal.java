package tether.cli;

/**
 * Failures that end tether, printed whatever the log level, as one line on stderr.
 *
 * <p>Every message tether writes, here, through {@link Log} and in a usage error, reads one way, so that a
 * user learns it once and a script can match it:
 * <ul>
 * <li>one line, after {@code tether: }, starting in lower case, without a full stop; a warning or a lifecycle
 * message has its level after the prefix ({@code tether: WARN: ...}), an error has none;
 * <li>first what could not be done or what is wrong, then after {@code ": "} the reason: the OS's own words
 * for an OS error ({@code cannot use -C '/x': Permission denied}), or what was expected
 * ({@code invalid --grace '5x': expected a number and a unit, ...});
 * <li>what the user gave is quoted as given, in single quotes, paths through {@code Printable} (so a control
 * character cannot break the line); tether's own option names and words (--grace, COMMAND, DURATION) are
 * not quoted;
 * <li>what to do about it, where there is something, in parentheses at the end; a usage error ends with
 * {@code (see 'tether --help')}, which {@link Main} adds.
 * </ul>
 * No library words a message: a parser's or logger's own wording would read otherwise.
 */
final class Fatal {

    private Fatal() {}

    static void print(String message) {
        System.err.println("tether: " + message);
        System.err.flush();
    }
}
