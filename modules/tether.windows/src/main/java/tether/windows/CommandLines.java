package tether.windows;

import java.util.List;

/**
 * Joins arguments into one Windows command line that the Microsoft C runtime's parser (and
 * {@code CommandLineToArgvW}) splits back into the same arguments. Windows passes a process one string,
 * not an argument vector, so quoting is the only way arguments stay verbatim.
 */
final class CommandLines {

    private CommandLines() {}

    static String join(List<String> args) {
        StringBuilder line = new StringBuilder();
        for (String arg : args) {
            if (!line.isEmpty()) {
                line.append(' ');
            }
            appendQuoted(line, arg);
        }
        return line.toString();
    }

    /** {@link #join}ed and NUL-terminated, as CreateProcessW takes its writable command line. */
    static char[] nulTerminated(List<String> args) {
        return (join(args) + '\0').toCharArray();
    }

    /**
     * Backslashes are literal unless they precede a double quote; so before a quote, and before the
     * closing quote, every backslash is doubled, and the quote itself is escaped.
     */
    private static void appendQuoted(StringBuilder line, String arg) {
        if (!arg.isEmpty() && arg.chars().noneMatch(c -> c == ' ' || c == '\t' || c == '\n' || c == '\u000b' || c == '"')) {
            line.append(arg);
            return;
        }
        line.append('"');
        int backslashes = 0;
        for (int i = 0; i < arg.length(); i++) {
            char c = arg.charAt(i);
            if (c == '\\') {
                backslashes++;
                continue;
            }
            if (c == '"') {
                line.append("\\".repeat(2 * backslashes + 1)).append('"');
            } else {
                line.append("\\".repeat(backslashes)).append(c);
            }
            backslashes = 0;
        }
        line.append("\\".repeat(2 * backslashes)).append('"');
    }
}
