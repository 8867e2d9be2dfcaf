package tether.windows;

import java.util.List;
import tether.api.SpawnException;

/**
 * The command line that runs a batch file ({@code npm.cmd}): CreateProcessW's documentation says that to
 * run one "you must start the command interpreter", and cmd.exe reads its line by rules of its own, not
 * the C runtime's that {@link CommandLines} follows. Every argument must reach the batch file as one
 * argument with its text unchanged, and nothing in it may be taken as a command, an operator or a variable.
 *
 * <p>{@code cmd.exe /d /e:on /v:off /s /c ""BATCH" ARGS"}, by {@code cmd /?}: {@code /d} runs no AutoRun
 * command from the registry; {@code /e:on} keeps command extensions on, which batch files such as npm's
 * need ({@code %~dp0}, {@code setlocal}) whatever the registry says; {@code /v:off} turns delayed expansion
 * off, so {@code !} is plain text; {@code /s} makes cmd.exe remove exactly the first and the last quote of
 * what follows {@code /c} and keep the rest as it is.
 *
 * <p>Each argument that holds anything but letters, digits and {@code #$*+-./:?@\_}, or is empty, or ends
 * with a backslash, is quoted. Inside quotes cmd.exe takes {@code & | < > ( ) ^} as text, and a quote
 * inside is written twice, which keeps cmd.exe's quoting in step and which the C runtime (2008 and later)
 * reads back as one quote when the batch file hands the argument to a program with {@code %*}. Backslashes
 * before a quote, and before the closing quote, are doubled for that same runtime. cmd.exe expands
 * {@code %NAME%} even inside quotes, so each {@code %} is written {@code %%cd:~,%}: the first {@code %}
 * finds no variable name and stays, and {@code %cd:~,%} is an empty piece of the built-in {@code cd}
 * variable, so the two together are one {@code %} that cannot pair with a later one. A line break cannot be
 * passed at all: cmd.exe ends the command there.
 */
final class BatchCommandLine {

    /** Characters that cmd.exe and the C runtime both read as text outside quotes. */
    static final String PLAIN = "#$*+-./:?@\\_";

    private BatchCommandLine() {}

    /**
     * @param interpreter cmd.exe's full path
     * @param batchFile   the batch file's full path
     * @param arguments   its arguments
     * @return the NUL-terminated command line for CreateProcessW
     */
    static char[] of(String interpreter, String batchFile, List<String> arguments) throws SpawnException {
        StringBuilder line = new StringBuilder(CommandLines.join(List.of(interpreter)))
                .append(" /d /e:on /v:off /s /c \"");
        appendArgument(line, batchFile, batchFile, true);
        for (String argument : arguments) {
            line.append(' ');
            appendArgument(line, argument, batchFile, false);
        }
        return line.append("\"\0").toString().toCharArray();
    }

    private static void appendArgument(StringBuilder line, String argument, String batchFile, boolean quote)
            throws SpawnException {
        if (argument.indexOf('\n') >= 0 || argument.indexOf('\r') >= 0) {
            throw new SpawnException(SpawnException.Reason.FAILED, "cannot pass an argument with a line break to the"
                    + " batch file '" + batchFile + "': cmd.exe ends the command there");
        }
        quote |= needsQuotes(argument);
        if (quote) {
            line.append('"');
        }
        int backslashes = 0;
        for (int i = 0; i < argument.length(); i++) {
            char c = argument.charAt(i);
            if (c == '\\') {
                backslashes++;
                line.append(c);
                continue;
            }
            if (c == '"') {
                line.append("\\".repeat(backslashes)).append("\"\"");
            } else if (c == '%') {
                line.append("%%cd:~,%");
            } else {
                line.append(c);
            }
            backslashes = 0;
        }
        if (quote) {
            line.append("\\".repeat(backslashes)).append('"');
        }
    }

    static boolean needsQuotes(String argument) {
        if (argument.isEmpty() || argument.endsWith("\\")) {
            return true;
        }
        for (int i = 0; i < argument.length(); i++) {
            char c = argument.charAt(i);
            boolean plainAscii = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || PLAIN.indexOf(c) >= 0;
            if ((c < 0x80 && !plainAscii) || Character.isISOControl(c)) {
                return true;
            }
        }
        return false;
    }
}
