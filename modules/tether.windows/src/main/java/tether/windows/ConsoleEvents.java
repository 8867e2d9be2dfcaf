package tether.windows;

import java.util.concurrent.CountDownLatch;
import java.util.function.IntConsumer;
import tether.api.SpawnException;

/**
 * tether's console control handler: Windows' Ctrl-C, Ctrl-Break and close of the console are tether's
 * SIGINT and SIGTERM. Windows calls the handlers a process registered last-registered first until one
 * returns TRUE (HandlerRoutine's documentation), on a thread it creates for the event. The image runs the
 * JVM with {@code -Xrs}, with which HotSpot registers no handler of its own (os_windows.cpp, "completely
 * disable the VM's usage of these console events"), and the JDK's Terminator none through the C runtime's
 * {@code signal}; without it HotSpot's handler would give Ctrl-Break to its thread dump and return TRUE for
 * a close, after which Windows ends the process at once. tether registers this one before it starts
 * COMMAND, so it runs first either way.
 *
 * <ul>
 * <li>Ctrl-C and Ctrl-Break ask for the teardown and return TRUE, so no later handler runs and the default
 * one (ExitProcess) never does. They are passed on as signals 2 (SIGINT) and 21 (SIGBREAK), the Microsoft C
 * runtime's numbers in signal.h, so tether exits 130 and 149 by the same 128 + N as on Unix.</li>
 * <li>Closing the console (CTRL_CLOSE_EVENT) and shutdown (CTRL_SHUTDOWN_EVENT) ask for the teardown as
 * SIGTERM, 15, and hold the handler until the tree has been let go: Windows ends the process as soon as the
 * handler returns, or after its timeout (about 5 s for a close), whichever comes first. A grace period
 * longer than that is cut short, and Windows' end of tether closes the job, which ends what is left.</li>
 * <li>CTRL_LOGOFF_EVENT and anything newer go to the next handler: only services get a logoff, and another
 * user's logoff is no reason for a service's tether to stop (HotSpot declines it there too).</li>
 * </ul>
 *
 * <p>A tether started with Ctrl-C disabled (CREATE_NEW_PROCESS_GROUP, as {@code --detach} starts it) keeps
 * it disabled: Windows then calls no handler for Ctrl-C, as a signal ignored at start stays ignored on Unix.
 */
final class ConsoleEvents implements Kernel32.HandlerRoutine {

    /** signal.h of the Microsoft C runtime. */
    static final int SIGINT = 2;
    static final int SIGTERM = 15;
    static final int SIGBREAK = 21;

    private final IntConsumer stopRequested;
    private final CountDownLatch letGo = new CountDownLatch(1);

    ConsoleEvents(IntConsumer stopRequested) {
        this.stopRequested = stopRequested;
    }

    /** Registers this handler; the caller keeps it reachable for as long as the process runs. */
    void register(Kernel32 kernel32) throws SpawnException {
        if (!kernel32.SetConsoleCtrlHandler(this, true)) {
            throw WindowsErrors.tetherFailure("SetConsoleCtrlHandler", kernel32.GetLastError());
        }
    }

    @Override
    public boolean invoke(int ctrlType) {
        switch (ctrlType) {
            case Kernel32.CTRL_C_EVENT -> stopRequested.accept(SIGINT);
            case Kernel32.CTRL_BREAK_EVENT -> stopRequested.accept(SIGBREAK);
            case Kernel32.CTRL_CLOSE_EVENT, Kernel32.CTRL_SHUTDOWN_EVENT -> {
                stopRequested.accept(SIGTERM);
                awaitLetGo();
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    /** The tree has been torn down and let go: a held close may end the process now. */
    void treeLetGo() {
        letGo.countDown();
    }

    private void awaitLetGo() {
        try {
            letGo.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
