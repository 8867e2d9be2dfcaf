package tether.windows;

import java.util.List;

/**
 * Where tether's own arguments start among the words of its process's command line. On Windows a process
 * gets one command line, and the java launcher's {@code main} receives it through the ANSI code page, so
 * tether splits the UTF-16 line itself and must skip the launcher's words.
 *
 * <p>The runtime image's {@code java.exe} runs tether as {@code java.exe [JVM options] -m
 * tether.cli/tether.cli.Main ARGS} (the AOT training, the workflow's check), and the java launcher takes
 * everything after its {@code -m} (or {@code --module}) and the module as the application's arguments:
 * that pair is the marker, and it is the one a JVM option's value cannot be, since the launcher would
 * have taken it as the module already. The {@code .msi}'s launcher is jpackage's {@code tether.exe},
 * which starts the JVM in its own process with the module and options from its configuration file, so
 * its command line is the program and then tether's arguments; jpackage's launchers say so by setting
 * the {@code jpackage.app-path} property. Any other shape (an argument file that holds the {@code -m})
 * is not guessed at: the JVM's own arguments stand.
 */
final class LauncherWords {

    static final String MODULE = "tether.cli";

    private LauncherWords() {}

    /**
     * The index of tether's first argument in {@code words}, or -1 if the launcher's shape is unknown.
     *
     * @param packagedLauncher whether jpackage's launcher started this process
     */
    static int argumentsStart(List<String> words, boolean packagedLauncher) {
        for (int i = 1; i < words.size(); i++) {
            String word = words.get(i);
            if (word.equals("--module=" + MODULE) || word.startsWith("--module=" + MODULE + "/")) {
                return i + 1;
            }
            if ((word.equals("-m") || word.equals("--module")) && i + 1 < words.size() && isTether(words.get(i + 1))) {
                return i + 2;
            }
        }
        return packagedLauncher && !words.isEmpty() ? 1 : -1;
    }

    private static boolean isTether(String module) {
        return module.equals(MODULE) || module.startsWith(MODULE + "/");
    }

    /**
     * Whether {@code arguments}, found from the start above, can be the words the JVM passed as
     * {@code decoded}: as many of them, unless one has a wildcard, which the java launcher on Windows
     * expands into file names where it was not quoted (tether passes it on unexpanded, as the command
     * line had it, and leaves expanding to COMMAND's runtime as Windows programs do).
     */
    static boolean consistent(List<String> arguments, String[] decoded) {
        return arguments.size() == decoded.length
                || arguments.stream().anyMatch(word -> word.indexOf('*') >= 0 || word.indexOf('?') >= 0);
    }
}
