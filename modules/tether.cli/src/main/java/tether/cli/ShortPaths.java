package tether.cli;

import java.util.ArrayList;
import java.util.List;
import tether.api.PathBytes;
import tether.api.Printable;

/**
 * Paths for a person to read in a narrow column: the shortest of the absolute path, the path from the home
 * directory ({@code ~/...}), and the path from the current directory ({@code wt/a}) or from its parent
 * ({@code ../feature-x}), where worktrees usually sit side by side.
 */
final class ShortPaths {

    private final byte[] current;
    private final byte[] home;

    /**
     * @param current the current directory, canonical, or {@code null} if unknown
     * @param home    the home directory, canonical, or {@code null} if unknown
     */
    ShortPaths(byte[] current, byte[] home) {
        this.current = current;
        this.home = home;
    }

    String of(byte[] path) {
        List<String> forms = new ArrayList<>();
        forms.add(Printable.of(path));
        if (home != null && home.length > 1 && PathBytes.isWithin(path, home)) {
            byte[] below = PathBytes.below(path, home);
            forms.add(below.length == 0 ? "~" : "~/" + Printable.of(below));
        }
        if (current != null) {
            if (PathBytes.isWithin(path, current)) {
                byte[] below = PathBytes.below(path, current);
                forms.add(below.length == 0 ? "." : Printable.of(below));
            } else {
                byte[] parent = PathBytes.normal(PathBytes.resolve(current, new byte[] {'.', '.'}));
                if (parent.length > 1 && PathBytes.isWithin(path, parent)) {
                    forms.add("../" + Printable.of(PathBytes.below(path, parent)));
                }
            }
        }
        String shortest = forms.getFirst();
        for (String form : forms) {
            if (form.length() < shortest.length()) {
                shortest = form;
            }
        }
        return shortest;
    }
}
