package tether.windows;

import tether.api.SpawnException;

/**
 * A Windows error code as the one-line reason users read, worded as the Unix side words the same cause, and
 * every message that names a failed call.
 */
final class WindowsErrors {

    private WindowsErrors() {}

    /** {@code CreatePipe: Windows error 8}: a call of tether's own that failed. */
    static String ofCall(String call, int error) {
        return call + ": Windows error " + error;
    }

    /** A call of tether's own failed while it started COMMAND: tether's failure, 125. */
    static SpawnException tetherFailure(String call, int error) {
        return new SpawnException(SpawnException.Reason.FAILED, ofCall(call, error));
    }

    /** CreateProcessW refused {@code program}: 127, 126 or 125, as the Unix side gives for the same cause. */
    static SpawnException cannotRun(String program, int error) {
        return switch (error) {
            case Kernel32.ERROR_FILE_NOT_FOUND, Kernel32.ERROR_PATH_NOT_FOUND -> new SpawnException(
                    SpawnException.Reason.NOT_FOUND, "cannot run '" + program + "': No such file or directory");
            case Kernel32.ERROR_ACCESS_DENIED, Kernel32.ERROR_DIRECTORY -> new SpawnException(
                    SpawnException.Reason.NOT_EXECUTABLE, "cannot run '" + program + "': Permission denied");
            case Kernel32.ERROR_BAD_EXE_FORMAT -> new SpawnException(
                    SpawnException.Reason.NOT_EXECUTABLE, "cannot run '" + program + "': Exec format error");
            default -> tetherFailure("CreateProcessW('" + program + "')", error);
        };
    }

    static String reason(int error) {
        return switch (error) {
            case Kernel32.ERROR_FILE_NOT_FOUND, Kernel32.ERROR_PATH_NOT_FOUND -> "No such file or directory";
            case Kernel32.ERROR_ACCESS_DENIED -> "Permission denied";
            default -> "Windows error " + error;
        };
    }
}
