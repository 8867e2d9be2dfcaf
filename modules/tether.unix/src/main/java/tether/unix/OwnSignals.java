package tether.unix;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.util.function.IntConsumer;
import tether.unix.darwin.SigchldHandler;
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

    /** SIGUSR1 and SIGUSR2, each held at most once, as the kernel holds a pending signal. */
    private static final int FORWARDED = 2;

    private final Memory blocked;
    private final Memory ending;
    private final IntConsumer stopRequested;
    private volatile Receiver receiver;
    /** Forwarded signals taken before there was a receiver, in the order they came; guarded by this. */
    private final int[] held = new int[FORWARDED];
    private int heldCount;
    private volatile boolean stopped;
    private Thread thread;

    /** {@code blocked}: the signals tether takes; the thread that takes them is started by {@link #start}. */
    OwnSignals(Memory blocked, IntConsumer stopRequested) {
        this.blocked = blocked;
        this.ending = ending(blocked);
        this.stopRequested = stopRequested;
    }

    /** Starts taking the signals the launcher blocked; until {@link #deliverTo} they have no receiver. */
    static OwnSignals start(IntConsumer stopRequested) {
        Memory blocked = new Memory(OS.sigsetSize());
        CLibrary.sigemptyset(blocked);
        CLibrary.pthread_sigmask(OS.sigBlock(), null, blocked);
        Memory action = new Memory(OS.sigactionSize());
        reportChildren(action);
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

    /**
     * Sets SIGCHLD up as tether needs it: an ignored one would make the kernel reap tether's children itself,
     * the leader included, so the group id could not be kept reserved; SA_NOCLDSTOP would hide a stop of
     * COMMAND, which job control follows through SIGCHLD; and on macOS only a handler, the launcher's, lets
     * sigwait see it at all (see the launcher). The JDK's process support sets SIG_DFL with SA_NOCLDSTOP
     * when it first loads, which the first {@code System.getenv} does, long before this: so it is done again
     * here, where tether starts taking its signals. (posix_spawn resets it for the command anyway.)
     */
    private static void reportChildren(Memory action) {
        switch (OS.kernel()) {
            // glibc's signal() installs with SA_RESTART alone.
            case LINUX -> CLibrary.signal(OS.sigchld(), CLibrary.SIG_DFL);
            case DARWIN -> {
                if (!SigchldHandler.install() && isIgnored(OS.sigchld(), action)) {
                    CLibrary.signal(OS.sigchld(), CLibrary.SIG_DFL);
                }
            }
        }
    }

    /** Whether {@code signal}'s action is SIG_IGN; {@code action} is room for a struct sigaction. */
    private static boolean isIgnored(int signal, Memory action) {
        return CLibrary.sigaction(signal, null, action) == 0
                && Pointer.nativeValue(action.getPointer(CLibrary.SIGACTION_HANDLER_OFFSET))
                        == Pointer.nativeValue(CLibrary.SIG_IGN);
    }

    /**
     * From now on SIGCHLD, SIGCONT and the forwarded signals go to {@code receiver}; a forwarded signal
     * taken before, which had nowhere to go, is passed on now (see {@link #dispatch} for the others).
     */
    synchronized void deliverTo(Receiver receiver) {
        this.receiver = receiver;
        for (int i = 0; i < heldCount; i++) {
            receiver.forward(held[i]);
        }
        heldCount = 0;
    }

    /**
     * The receiver a forwarded signal goes to; with none yet, {@code null}, and the signal is held for
     * {@link #deliverTo}, under the same lock, so a signal tether took is never lost between the two.
     */
    private synchronized Receiver receiverOrHold(int signal) {
        if (receiver == null) {
            for (int i = 0; i < heldCount; i++) {
                if (held[i] == signal) {
                    return null;
                }
            }
            held[heldCount++] = signal;
        }
        return receiver;
    }

    /**
     * Whether a signal that asks tether to end is waiting to be taken: tether must not stop itself then,
     * since its stop could outlast the SIGCONT that came with it ({@code kill %1} sends SIGTERM, then
     * SIGCONT) and leave the request unseen.
     */
    boolean endRequested() {
        Memory pending = new Memory(OS.sigsetSize());
        CLibrary.sigemptyset(pending);
        if (CLibrary.sigpending(pending) != 0) {
            return false;
        }
        for (int signal = 1; signal <= OS.highestSignal(); signal++) {
            if (CLibrary.sigismember(ending, signal) == 1 && CLibrary.sigismember(pending, signal) == 1) {
                return true;
            }
        }
        return false;
    }

    /** The signals that ask tether to end: every one it takes but the four {@link #dispatch} hands elsewhere. */
    private static Memory ending(Memory blocked) {
        Memory ending = new Memory(OS.sigsetSize());
        CLibrary.sigemptyset(ending);
        for (int signal = 1; signal <= OS.highestSignal(); signal++) {
            if (CLibrary.sigismember(blocked, signal) == 1 && signal != OS.sigchld() && signal != OS.sigcont()
                    && signal != OS.sigusr1() && signal != OS.sigusr2()) {
                CLibrary.sigaddset(ending, signal);
            }
        }
        return ending;
    }

    /**
     * Has the receiver's {@link Receiver#childExited} run on the signal thread, as for a SIGCHLD (or here,
     * where there is no such thread): for SIGCHLDs taken before {@link #deliverTo}, which had no receiver,
     * and for job control, whose decisions are all taken there.
     */
    void wakeReceiver() {
        if (thread != null) {
            CLibrary.kill(SELF, OS.sigchld());
        } else if (receiver != null) {
            receiver.childExited();
        }
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
     *
     * <p>Before {@link #deliverTo} the command may already run (it reports itself started; a caller sends
     * it SIGUSR1): a forwarded signal is held until then. A SIGCHLD or a SIGCONT taken then is not: the
     * receiver is woken as for a SIGCHLD once it is set, and its job control, which starts by reading the
     * terminal's foreground, finds tether continued and the terminal where the shell's {@code fg} or
     * {@code bg} left it, which is all a SIGCONT would have told it.
     */
    void dispatch(int signal) {
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
            current = receiverOrHold(signal);
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
