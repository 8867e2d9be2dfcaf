package tether.unix;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.util.function.IntConsumer;
import tether.unix.darwin.SystemB;
import tether.unix.linux.LinuxLibc;

/**
 * tether's own signals, received on one thread with {@code sigwaitinfo} ({@code sigwait} on macOS, which
 * has no {@code sigwaitinfo}).
 *
 * <p>The launcher blocks, before the JVM starts, every signal tether acts on, and the JVM runs with
 * {@code -Xrs} so that it installs no handler for them and unblocks none in its threads: they stay pending
 * until this thread takes them. So no signal can end tether before it has torn the tree down (the JVM's
 * handlers know only SIGINT, SIGTERM and SIGHUP; SIGALRM, SIGPWR or a real-time signal would simply kill
 * it), none is lost while the JVM starts, and SIGQUIT prints no thread dump.
 *
 * <p>A signal that was ignored when tether started (SIGINT for a background job of a non-interactive
 * shell, SIGHUP under {@code nohup}) stays ignored: Linux never discards a blocked signal, even an ignored
 * one, so this thread leaves such signals out of the set it waits for, and they stay pending unseen.
 *
 * <p>What each one means is decided in {@link #dispatch}. Run without the launcher (the JVM started by
 * hand), nothing is blocked and tether takes no signal.
 */
final class OwnSignals {

    private static final UnixPlatform OS = UnixPlatform.current();

    /** What the signals that are neither a stop request nor forwarded are for. */
    interface Receiver {
        /** SIGCHLD: a child of tether changed state. */
        void childExited();

        /** SIGCONT: tether was continued, by {@code fg} or {@code bg}. */
        void continued();

        /** SIGUSR1 or SIGUSR2, for the command's process group. */
        void forward(int signal);

        /** A signal asked tether to end: from now on nothing may stop tether before its teardown. */
        void ending();
    }

    /** How long {@link #stop} waits for the thread to leave {@code sigwaitinfo}. */
    private static final long STOP_WAIT_MILLIS = 100;

    private static final int SELF = CLibrary.getpid();

    private final Memory blocked;
    private final IntConsumer stopRequested;
    private volatile Receiver receiver;
    private volatile boolean stopped;
    private Thread thread;

    private OwnSignals(Memory blocked, IntConsumer stopRequested) {
        this.blocked = blocked;
        this.stopRequested = stopRequested;
    }

    /** Starts taking the signals the launcher blocked; until {@link #deliverTo} they have no receiver. */
    static OwnSignals start(IntConsumer stopRequested) {
        Memory blocked = new Memory(OS.sigsetSize());
        CLibrary.sigemptyset(blocked);
        CLibrary.pthread_sigmask(OS.sigBlock(), null, blocked);
        Memory action = new Memory(OS.sigactionSize());
        // An ignored SIGCHLD would make the kernel reap tether's children itself, the leader included, so
        // the group id could not be kept reserved. Only an ignored one is reset: on macOS the launcher gives
        // SIGCHLD a handler of its own, without which xnu would never let sigwait see it (see the launcher).
        // (posix_spawn resets it for the command anyway.)
        if (isIgnored(OS.sigchld(), action)) {
            CLibrary.signal(OS.sigchld(), CLibrary.SIG_DFL);
        }
        for (int signal = 1; signal <= OS.highestSignal(); signal++) {
            if (CLibrary.sigismember(blocked, signal) == 1 && isIgnored(signal, action)) {
                CLibrary.sigdelset(blocked, signal);
            }
        }
        OwnSignals signals = new OwnSignals(blocked, stopRequested);
        if (signals.blocksAny()) {
            signals.thread = new Thread(signals.new Receiving(), "tether-signals");
            signals.thread.setDaemon(true);
            signals.thread.start();
        }
        return signals;
    }

    /** Whether {@code signal}'s action is SIG_IGN; {@code action} is room for a struct sigaction. */
    private static boolean isIgnored(int signal, Memory action) {
        return CLibrary.sigaction(signal, null, action) == 0
                && Pointer.nativeValue(action.getPointer(CLibrary.SIGACTION_HANDLER_OFFSET))
                        == Pointer.nativeValue(CLibrary.SIG_IGN);
    }

    /**
     * From now on SIGCHLD, SIGCONT and the forwarded signals go to {@code receiver}. Before, there is no
     * child to reap but the sentinel, nothing to continue, and no group to forward to.
     */
    void deliverTo(Receiver receiver) {
        this.receiver = receiver;
    }

    /** Whether {@code signal} is one tether takes (the launcher blocked it). */
    private boolean takes(int signal) {
        return CLibrary.sigismember(blocked, signal) == 1;
    }

    private boolean blocksAny() {
        for (int signal = 1; signal <= OS.highestSignal(); signal++) {
            if (takes(signal)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Ends the thread once tether is done. The JVM's exit waits up to 300 ms for any thread that is inside
     * a native call, such as {@code sigwaitinfo}; a SIGCHLD to tether itself wakes it so it can return.
     */
    void stop() {
        if (thread == null) {
            return;
        }
        stopped = true;
        CLibrary.kill(SELF, OS.sigchld());
        try {
            thread.join(STOP_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The thread's work: take each signal and act on it until {@link #stop}. */
    private final class Receiving implements Runnable {
        @Override
        public void run() {
            Memory info = new Memory(OS.siginfoSize());
            int[] taken = new int[1];
            while (!stopped) {
                int signal = take(info, taken);
                if (stopped || signal < 0) {
                    return;
                }
                if (signal > 0) {
                    dispatch(signal);
                }
            }
        }
    }

    /** The next signal; 0 if the wait was interrupted, -1 if it failed. */
    private int take(Memory info, int[] taken) {
        return switch (OS.kernel()) {
            case LINUX -> {
                int signal = LinuxLibc.sigwaitinfo(blocked, info);
                yield signal > 0 ? signal : Native.getLastError() == CLibrary.EINTR ? 0 : -1;
            }
            case DARWIN -> {
                taken[0] = 0;
                yield darwinSignal(SystemB.sigwait(blocked, taken), taken[0]);
            }
        };
    }

    /**
     * What macOS's {@code sigwait} returning {@code error} with {@code written} in its out-parameter (cleared
     * to 0 before the call) means: the signal; 0 for none; -1 if it failed. libpthread turns an interrupted
     * wait (EINTR) into a return of 0 without writing the signal (darwin-libpthread, pthread_cancelable.c),
     * so 0 there is no signal, never a stale one from the last call. The kernel turns ERESTART into 0 as well
     * and then reports the lowest signal of the set (bsd/kern/kern_sig.c, __sigwait_nocancel); that needs a
     * signal of the set pending on this thread by another path than sigwait's, which cannot happen here, as
     * every one of them is blocked in every thread and taken by this one.
     */
    static int darwinSignal(int error, int written) {
        return error == 0 ? written : error == CLibrary.EINTR ? 0 : -1;
    }

    /**
     * SIGUSR1 and SIGUSR2 are passed on to the command's group, as tini and dumb-init do: servers use them
     * to reopen logs or reload, never to stop. Every other signal tether takes would, by default, end it:
     * tether tears the tree down first and exits with 128 + its number.
     */
    private void dispatch(int signal) {
        Receiver current = receiver;
        if (signal == OS.sigchld()) {
            if (current != null) {
                current.childExited();
            }
        } else if (signal == OS.sigcont()) {
            if (current != null) {
                current.continued();
            }
        } else if (signal == OS.sigusr1() || signal == OS.sigusr2()) {
            if (current != null) {
                current.forward(signal);
            }
        } else {
            // Told before the SIGCONT that may come right behind (kill %1 of a stopped job), so that a stop
            // of the command it lets through is not followed by a stop of tether, its teardown pending.
            if (current != null) {
                current.ending();
            }
            stopRequested.accept(signal);
        }
    }
}
