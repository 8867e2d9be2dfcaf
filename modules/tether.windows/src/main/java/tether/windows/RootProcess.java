package tether.windows;

/** The command's own process, held open so its pid cannot be reused while tether supervises it. */
interface RootProcess {

    long pid();

    /** Blocks until the process exits and returns its exit code. */
    int awaitExitCode() throws InterruptedException;

    /** Lets go of the process handle. */
    void close();
}
