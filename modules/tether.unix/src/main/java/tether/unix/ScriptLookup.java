package tether.unix;

import com.sun.jna.Pointer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import tether.api.PathBytes;

/**
 * The file {@code posix_spawnp} refused with "Exec format error": an executable text file without a
 * {@code #!} line. {@code execvp}, {@code env}, {@code timeout} and every shell run such a file with
 * {@code /bin/sh}, so tether does too; glibc's {@code posix_spawnp} stopped doing it in 2.15.
 *
 * <p>The file is found as {@code posix_spawnp} found it: a name with a slash as it is, relative to the
 * command's directory; otherwise the first executable regular file of that name in the directories of
 * tether's own {@code PATH} (the one {@code posix_spawnp} searched).
 */
final class ScriptLookup {

    /** The search path an empty or unset PATH means to glibc. */
    private static final byte[] DEFAULT_PATH = "/bin:/usr/bin".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private ScriptLookup() {}

    /** The script's path, as the command would name it, or {@code null} if it cannot be found again. */
    static byte[] find(byte[] program, byte[] directory) {
        if (indexOf(program, (byte) '/') >= 0) {
            return isExecutableFile(program, directory) ? program : null;
        }
        Pointer path = CLibrary.getenv("PATH");
        byte[] search = path == null ? DEFAULT_PATH : path.getByteArray(0, (int) path.indexOf(0, (byte) 0));
        for (byte[] entry : split(search)) {
            byte[] candidate = entry.length == 0 ? program : PathBytes.resolve(entry, program);
            if (isExecutableFile(candidate, directory)) {
                return candidate;
            }
        }
        return null;
    }

    /** {@code /bin/sh SCRIPT ARG...}: the shell reads the script, and the arguments follow as $1... */
    static List<byte[]> shellCommand(byte[] script, List<byte[]> argv) {
        List<byte[]> command = new ArrayList<>();
        command.add("/bin/sh".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        command.add(script);
        command.addAll(argv.subList(1, argv.size()));
        return command;
    }

    private static boolean isExecutableFile(byte[] path, byte[] directory) {
        byte[] seen = directory == null ? path : PathBytes.resolve(directory, path);
        return UnixPaths.isRegularFile(seen) && CLibrary.access(UnixPaths.cString(seen), CLibrary.X_OK) == 0;
    }

    private static List<byte[]> split(byte[] search) {
        List<byte[]> entries = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= search.length; i++) {
            if (i == search.length || search[i] == ':') {
                entries.add(Arrays.copyOfRange(search, start, i));
                start = i + 1;
            }
        }
        return entries;
    }

    private static int indexOf(byte[] bytes, byte wanted) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        return -1;
    }
}
