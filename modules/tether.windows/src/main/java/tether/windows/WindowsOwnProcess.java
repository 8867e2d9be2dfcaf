package tether.windows;

import com.sun.jna.Pointer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import tether.api.OwnProcess;
import tether.api.SpawnException;

/**
 * tether's own process as Windows holds it, handed on as bytes in the provider's carrier (UTF-8), never
 * through the ANSI code page. The arguments are split from the UTF-16 command line (see
 * {@link LauncherWords}); the environment is the JVM's, which reads Windows' UTF-16 block without loss.
 */
final class WindowsOwnProcess implements OwnProcess {

    private final Kernel32 kernel32;
    private final Shell32 shell32;
    private final Charset charset;
    private final boolean packagedLauncher;

    /** @param packagedLauncher whether jpackage's launcher started this process */
    WindowsOwnProcess(Kernel32 kernel32, Shell32 shell32, Charset charset, boolean packagedLauncher) {
        this.kernel32 = kernel32;
        this.shell32 = shell32;
        this.charset = charset;
        this.packagedLauncher = packagedLauncher;
    }

    /** The words after the launcher's, or the JVM's own where the command line does not show where they start. */
    @Override
    public List<byte[]> arguments(String[] decoded) {
        List<String> words = commandLine();
        int start = words == null ? -1 : LauncherWords.argumentsStart(words, packagedLauncher);
        List<String> arguments = start < 0 ? null : words.subList(start, words.size());
        if (arguments == null || !LauncherWords.consistent(arguments, decoded)) {
            arguments = Arrays.asList(decoded);
        }
        return arguments.stream().map(argument -> argument.getBytes(charset)).toList();
    }

    /**
     * How this tether was started: its program as a full path, and the launcher's words that preceded
     * tether's arguments (the JVM's options and module, or none after jpackage's launcher).
     */
    List<String> launcher() throws SpawnException {
        List<String> words = commandLine();
        int start = words == null ? -1 : LauncherWords.argumentsStart(words, packagedLauncher);
        if (start < 0) {
            throw new SpawnException(SpawnException.Reason.FAILED,
                    "--detach cannot start another tether: this one's command line does not show how it was started");
        }
        List<String> launcher = new ArrayList<>(words.subList(0, start));
        byte[] executable = executable();
        if (executable != null) {
            launcher.set(0, new String(executable, charset));
        }
        return launcher;
    }

    @Override
    public List<byte[]> environment() {
        return System.getenv().entrySet().stream()
                .map(entry -> (entry.getKey() + "=" + entry.getValue()).getBytes(charset)).toList();
    }

    /** Windows has no launcher that moves stdout aside: only the JVM's own stdout is ever asked for. */
    @Override
    public void write(int fd, byte[] bytes) throws IOException {
        if (fd != 1) {
            throw new IOException("no descriptor " + fd + " on Windows");
        }
        System.out.write(bytes);
        System.out.flush();
    }

    @Override
    public byte[] executable() {
        return ProcessHandle.current().info().command().map(command -> command.getBytes(charset)).orElse(null);
    }

    /**
     * The report pipe's write end, whose value the variable holds. It is made non-inheritable first:
     * COMMAND inherits every inheritable handle of tether's, and one holding it would keep the waiting
     * tether from seeing the end of a tether that died before reporting.
     */
    @Override
    public OutputStream reportChannel(String name) throws IOException {
        Pointer handle;
        try {
            handle = new Pointer(Long.parseLong(name));
        } catch (NumberFormatException e) {
            throw new IOException("not a handle: " + name);
        }
        if (!kernel32.SetHandleInformation(handle, Kernel32.HANDLE_FLAG_INHERIT, 0)) {
            throw new IOException(WindowsErrors.ofCall("SetHandleInformation", kernel32.GetLastError()));
        }
        return new HandleOutputStream(kernel32, handle);
    }

    /** The process's command line split as Windows splits it, or {@code null} if it would not. */
    private List<String> commandLine() {
        return CommandLineWords.split(shell32, kernel32, kernel32.GetCommandLineW());
    }
}
