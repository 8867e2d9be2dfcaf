package tether.api;

/**
 * How a process ended: with an exit code, or killed by a signal.
 *
 * @param code   the exit code, meaningful when {@code signal} is 0
 * @param signal the number of the signal that killed it, or 0
 */
public record ExitStatus(int code, int signal) {

    public static ExitStatus exited(int code) {
        return new ExitStatus(code, 0);
    }

    public static ExitStatus killedBy(int signal) {
        return new ExitStatus(0, signal);
    }

    /** The status a shell would report: the code, or 128 + the signal number. */
    public int shellStatus() {
        return signal == 0 ? code : 128 + signal;
    }

    @Override
    public String toString() {
        return signal == 0 ? "exited with status " + code : "killed by signal " + signal;
    }
}
