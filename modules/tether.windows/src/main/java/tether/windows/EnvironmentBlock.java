package tether.windows;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A Unicode environment block for {@code CreateProcessW}: {@code NAME=value} entries, each ended by NUL,
 * and one more NUL after the last. An empty environment is two NULs.
 *
 * <p>Windows' documentation ("Changing Environment Variables") asks for the entries sorted by name,
 * case-insensitively, in Unicode order without regard to locale, as Windows compares names: the JDK's
 * {@code ProcessEnvironment} sorts them the same way, comparing each UTF-16 unit upper-cased, so that
 * {@code _} sorts after {@code Z}. The drives' current directories ({@code =C:=C:\work}) are entries whose
 * name starts with {@code =}; they are kept and sort first. {@code SystemRoot} is added when COMMAND's
 * environment lacks it, from tether's own, as the JDK does: some of Windows' own DLLs fail without it.
 */
final class EnvironmentBlock {

    static final String SYSTEM_ROOT = "SystemRoot";

    /** Windows' order of names: each UTF-16 unit compared upper-cased. */
    static final Comparator<String> NAME_ORDER = EnvironmentBlock::compareNames;

    private EnvironmentBlock() {}

    /**
     * @param entries    COMMAND's environment, each {@code NAME=value}
     * @param systemRoot tether's own {@code SystemRoot}, added when {@code entries} has none; may be null
     */
    static char[] of(List<String> entries, String systemRoot) {
        List<String> sorted = new ArrayList<>(entries);
        if (systemRoot != null && ProgramSearch.variable(entries, SYSTEM_ROOT) == null) {
            sorted.add(SYSTEM_ROOT + "=" + systemRoot);
        }
        sorted.sort(Comparator.comparing(EnvironmentBlock::name, NAME_ORDER));
        StringBuilder block = new StringBuilder();
        for (String entry : sorted) {
            block.append(entry).append('\0');
        }
        if (sorted.isEmpty()) {
            block.append('\0');
        }
        block.append('\0');
        return block.toString().toCharArray();
    }

    /** Up to the first {@code =} after the first character, which may itself be one ({@code =C:}). */
    static String name(String entry) {
        int equals = entry.indexOf('=', 1);
        return equals < 0 ? entry : entry.substring(0, equals);
    }

    static int compareNames(String a, String b) {
        int common = Math.min(a.length(), b.length());
        for (int i = 0; i < common; i++) {
            char x = Character.toUpperCase(a.charAt(i));
            char y = Character.toUpperCase(b.charAt(i));
            if (x != y) {
                return x - y;
            }
        }
        return a.length() - b.length();
    }
}
