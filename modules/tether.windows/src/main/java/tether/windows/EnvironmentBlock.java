package tether.windows;

import java.util.List;

/**
 * A Unicode environment block for {@code CreateProcessW}: {@code NAME=value} entries, each ended by NUL,
 * and one more NUL after the last. An empty environment is two NULs.
 */
final class EnvironmentBlock {

    private EnvironmentBlock() {}

    static char[] of(List<String> entries) {
        StringBuilder block = new StringBuilder();
        for (String entry : entries) {
            block.append(entry).append('\0');
        }
        if (entries.isEmpty()) {
            block.append('\0');
        }
        block.append('\0');
        return block.toString().toCharArray();
    }
}
