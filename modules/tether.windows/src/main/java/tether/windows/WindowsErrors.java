package tether.windows;

/** A Windows error code as the one-line reason users read, worded as the Unix side words the same cause. */
final class WindowsErrors {

    private WindowsErrors() {}

    static String reason(int error) {
        return switch (error) {
            case Kernel32.ERROR_FILE_NOT_FOUND, Kernel32.ERROR_PATH_NOT_FOUND -> "No such file or directory";
            case Kernel32.ERROR_ACCESS_DENIED -> "Permission denied";
            default -> "Windows error " + error;
        };
    }
}
