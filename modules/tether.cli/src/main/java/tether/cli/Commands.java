package tether.cli;

import java.util.List;
import tether.api.Printable;

/** A command as the user would type it, for diagnostics. */
final class Commands {

    private Commands() {}

    static String describe(List<byte[]> command) {
        StringBuilder text = new StringBuilder();
        for (byte[] word : command) {
            text.append(text.isEmpty() ? "" : " ").append(quoted(Printable.of(word)));
        }
        return text.toString();
    }

    private static String quoted(String word) {
        boolean plain = !word.isEmpty();
        for (int i = 0; i < word.length() && plain; i++) {
            char c = word.charAt(i);
            plain = Character.isLetterOrDigit(c) || "-_./=:,+@%".indexOf(c) >= 0;
        }
        return plain ? word : "'" + word.replace("'", "'\\''") + "'";
    }
}
