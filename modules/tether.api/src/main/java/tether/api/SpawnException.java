package tether.api;

/** A command could not be started; {@link #reason()} says which shell convention applies. */
public final class SpawnException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why the start failed, in the terms of the shell's exit statuses. */
    public enum Reason {
        /** No such program: the shell's 127. */
        NOT_FOUND(127),
        /** The program exists but cannot be executed (permission, a directory, a bad format): 126. */
        NOT_EXECUTABLE(126),
        /** Anything else, a failure of tether rather than of the command: 125. */
        FAILED(125);

        private final int exitStatus;

        Reason(int exitStatus) {
            this.exitStatus = exitStatus;
        }

        public int exitStatus() {
            return exitStatus;
        }
    }

    private final Reason reason;

    /** @param message the whole user-facing line, such as {@code cannot run 'x': No such file or directory} */
    public SpawnException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
