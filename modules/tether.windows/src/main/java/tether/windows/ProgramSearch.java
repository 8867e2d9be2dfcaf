package tether.windows;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tether.api.SpawnException;

/**
 * Which file COMMAND's program is, found by tether, so that CreateProcessW is handed a full path
 * (lpApplicationName) and does no search of its own. Its own search (CreateProcessW's documentation, for a
 * program named only in lpCommandLine) starts in the directory tether's executable was loaded from, the
 * runtime image's {@code bin}, whose stripped {@code java.exe} would win over the user's; continues in
 * tether's current directory, not COMMAND's ({@code -C}); and tries {@code .exe} only, so {@code npm}, which
 * is {@code npm.cmd}, is never found.
 *
 * <p>The rules, as cmd.exe's where they differ from nothing else (docs/platforms.md says the same):
 * <ul>
 * <li>A name with a path separator or a drive ({@code .\server}, {@code bin/vite}, {@code C:\x\y}) is a
 * path, taken from COMMAND's directory, as on Unix a name with a slash is.</li>
 * <li>Any other name is looked for in each directory of COMMAND's {@code PATH} in order (cmd.exe's
 * {@code PATH} syntax: entries split at {@code ;}, surrounding quotes removed, empty entries skipped; a
 * relative entry is taken from COMMAND's directory).</li>
 * <li>The current directory is not searched first, as cmd.exe does and as PowerShell and every Unix shell do
 * not: a {@code npm.cmd} checked into a worktree does not replace the one on {@code PATH}; {@code .\npm}
 * names it.</li>
 * <li>In each place, a name that has an extension is tried as written, then with each extension of
 * {@code PATHEXT} appended; a name without one only with {@code PATHEXT}'s, so the extensionless {@code npm}
 * shell script that Node.js installs beside {@code npm.cmd} is not taken for a program. {@code PATHEXT}
 * comes from COMMAND's environment, and is cmd.exe's default when it is unset.</li>
 * </ul>
 */
final class ProgramSearch {

    /** cmd.exe's PATHEXT when the variable is unset. */
    static final String DEFAULT_PATHEXT = ".COM;.EXE;.BAT;.CMD";

    private final Kernel32 kernel32;

    ProgramSearch(Kernel32 kernel32) {
        this.kernel32 = kernel32;
    }

    /**
     * @param name        COMMAND's program as the user wrote it
     * @param directory   COMMAND's working directory, absolute
     * @param environment COMMAND's environment, whose {@code PATH} and {@code PATHEXT} are used
     * @return the program's full path
     * @throws SpawnException 127 when no file matches
     */
    String find(String name, String directory, List<String> environment) throws SpawnException {
        List<String> extensions = extensions(variable(environment, "PATHEXT"));
        List<String> places = new ArrayList<>();
        if (isPath(name)) {
            places.add(resolve(directory, name));
        } else if (!name.isEmpty()) {
            for (String entry : pathEntries(variable(environment, "PATH"))) {
                places.add(join(resolve(directory, entry), name));
            }
        }
        for (String place : places) {
            for (String candidate : candidates(place, extensions)) {
                if (isFile(candidate)) {
                    return candidate;
                }
            }
        }
        throw new SpawnException(SpawnException.Reason.NOT_FOUND, "cannot run '" + name + "': No such file or directory");
    }

    /** The name as written when it has an extension, then with each of {@code extensions} appended. */
    static List<String> candidates(String place, List<String> extensions) {
        List<String> candidates = new ArrayList<>();
        if (hasExtension(place)) {
            candidates.add(place);
        }
        for (String extension : extensions) {
            candidates.add(place + extension);
        }
        return candidates;
    }

    /** Whether {@code path} is a batch file, which only cmd.exe can run. */
    static boolean isBatch(String path) {
        String lower = path.toLowerCase(Locale.ROOT);
        return lower.endsWith(".bat") || lower.endsWith(".cmd");
    }

    private boolean isFile(String path) {
        int attributes = kernel32.GetFileAttributesW(new com.sun.jna.WString(path));
        return attributes != Kernel32.INVALID_FILE_ATTRIBUTES && (attributes & Kernel32.FILE_ATTRIBUTE_DIRECTORY) == 0;
    }

    static List<String> extensions(String pathext) {
        List<String> extensions = new ArrayList<>();
        for (String extension : (pathext == null ? DEFAULT_PATHEXT : pathext).split(";")) {
            if (extension.startsWith(".") && extension.length() > 1) {
                extensions.add(extension);
            }
        }
        return extensions;
    }

    static List<String> pathEntries(String path) {
        List<String> entries = new ArrayList<>();
        if (path == null) {
            return entries;
        }
        for (String entry : path.split(";")) {
            String unquoted = entry.replace("\"", "");
            if (!unquoted.isBlank()) {
                entries.add(unquoted);
            }
        }
        return entries;
    }

    /** A variable of a Windows environment, whose names are case-insensitive; {@code null} when unset. */
    static String variable(List<String> environment, String name) {
        for (String entry : environment) {
            int equals = entry.indexOf('=', 1);
            if (equals == name.length() && entry.regionMatches(true, 0, name, 0, name.length())) {
                return entry.substring(equals + 1);
            }
        }
        return null;
    }

    /** A name that says where it is, rather than one to look for. */
    static boolean isPath(String name) {
        return name.indexOf('\\') >= 0 || name.indexOf('/') >= 0 || name.indexOf(':') >= 0;
    }

    /**
     * {@code path} taken from {@code directory}: as it is when absolute ({@code C:\x}, {@code \\server\share})
     * or drive-relative ({@code C:x}, which Windows takes from that drive's current directory); from
     * {@code directory}'s drive or share when rooted ({@code \x}); else appended to {@code directory}.
     */
    static String resolve(String directory, String path) {
        if (isAbsolute(path) || (path.length() >= 2 && path.charAt(1) == ':')) {
            return path;
        }
        if (isSeparator(path, 0)) {
            return root(directory) + path;
        }
        return join(directory, path);
    }

    static boolean isAbsolute(String path) {
        boolean unc = isSeparator(path, 0) && isSeparator(path, 1);
        boolean drive = path.length() >= 3 && Character.isLetter(path.charAt(0)) && path.charAt(1) == ':'
                && isSeparator(path, 2);
        return unc || drive;
    }

    static String join(String directory, String name) {
        return isSeparator(directory, directory.length() - 1) ? directory + name : directory + '\\' + name;
    }

    /** {@code C:} of {@code C:\x}, {@code \\server\share} of {@code \\server\share\x}. */
    private static String root(String directory) {
        if (directory.length() >= 2 && directory.charAt(1) == ':') {
            return directory.substring(0, 2);
        }
        int separators = 0;
        for (int i = 0; i < directory.length(); i++) {
            if (isSeparator(directory, i) && ++separators == 4) {
                return directory.substring(0, i);
            }
        }
        return directory;
    }

    /** Whether the last component has a dot after its first character (so {@code .bin} has none). */
    static boolean hasExtension(String path) {
        int start = Math.max(Math.max(path.lastIndexOf('\\'), path.lastIndexOf('/')), path.lastIndexOf(':')) + 1;
        return path.indexOf('.', start + 1) > 0 && path.lastIndexOf('.') < path.length() - 1;
    }

    private static boolean isSeparator(String path, int index) {
        return index >= 0 && index < path.length() && (path.charAt(index) == '\\' || path.charAt(index) == '/');
    }
}
