package tether.cli;

import java.util.List;
import java.util.stream.Collectors;
import tether.api.Printable;

/** A command as the user would type it, for diagnostics. */
final class Commands {

    private Commands() {}

    static String describe(List<byte[]> command) {
        return command.stream().map(word -> quoted(Printable.of(word)))
                .collect(Collectors.joining(" "));
    }

    private static String quoted(String word) {
        return !word.isEmpty() && word.chars().allMatch(c -> Character.isLetterOrDigit(c) || "-_./=:,+@%".indexOf(c) >= 0)
                ? word
                : "'" + word.replace("'", "'\\''") + "'";
    }
}
