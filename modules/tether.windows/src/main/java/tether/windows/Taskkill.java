package tether.windows;

import java.nio.file.Path;
import java.util.List;

/**
 * The {@code taskkill} command lines. {@code /T} walks the tree from the given pid through the
 * parent-child links; without {@code /F} it asks the processes to close (windows get WM_CLOSE), with
 * {@code /F} it terminates them. The full path keeps a {@code taskkill.exe} in the worktree from
 * being run instead.
 */
final class Taskkill {

    private final String executable;

    /** @param systemRoot the value of {@code SystemRoot}, or {@code null} to rely on {@code PATH} */
    Taskkill(String systemRoot) {
        this.executable = systemRoot == null ? "taskkill.exe"
                : Path.of(systemRoot, "System32", "taskkill.exe").toString();
    }

    List<String> askToClose(long pid) {
        return List.of(executable, "/T", "/PID", Long.toString(pid));
    }

    List<String> terminate(long pid) {
        return List.of(executable, "/T", "/F", "/PID", Long.toString(pid));
    }
}
