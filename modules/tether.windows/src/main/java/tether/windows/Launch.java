package tether.windows;

import java.util.List;
import tether.api.SpawnException;

/**
 * What CreateProcessW is given to start COMMAND: the file it runs, always a full path (lpApplicationName,
 * so that CreateProcessW searches nowhere), and the command line the program reads its arguments from.
 *
 * @param program     COMMAND's program as the user wrote it, for messages
 * @param application the file Windows runs: the program, or cmd.exe for a batch file
 * @param commandLine NUL-terminated, as CreateProcessW takes it
 * @param interpreter whether {@code application} is cmd.exe running a batch file
 */
record Launch(String program, String application, char[] commandLine, boolean interpreter) {

    /**
     * A program is started with its arguments as the C runtime reads them, its first word as the user wrote
     * it (what a shell passes); a batch file through cmd.exe (see {@link BatchCommandLine}).
     *
     * @param command COMMAND and its arguments
     * @param file    the program's full path, as {@link ProgramSearch} found it
     */
    static Launch of(Kernel32 kernel32, List<String> command, String file) throws SpawnException {
        if (ProgramSearch.isBatch(file)) {
            String cmd = interpreter(kernel32);
            return new Launch(command.getFirst(), cmd,
                    BatchCommandLine.of(cmd, file, command.subList(1, command.size())), true);
        }
        return new Launch(command.getFirst(), file, CommandLines.nulTerminated(command), false);
    }

    /**
     * cmd.exe in the system directory, where Windows keeps it: not {@code ComSpec}, which COMMAND's
     * environment may point anywhere, nor a search, which could find a {@code cmd.exe} of the worktree's.
     */
    static String interpreter(Kernel32 kernel32) throws SpawnException {
        char[] directory = new char[Kernel32.MAX_PATH];
        int length = kernel32.GetSystemDirectoryW(directory, directory.length);
        if (length <= 0 || length >= directory.length) {
            throw WindowsErrors.tetherFailure("GetSystemDirectoryW", kernel32.GetLastError());
        }
        return ProgramSearch.join(new String(directory, 0, length), "cmd.exe");
    }
}
