package tether.api;

import java.io.IOException;
import java.util.List;

/**
 * The tethers running on this machine, found in the OS's process table without any help from them: a
 * tether keeps no pid file and talks to no daemon, so that nothing is left to go stale when one is killed.
 */
public interface Census {

    /** Every running tether the calling user may signal (root: all of them), the calling process excepted. */
    List<RunningTether> tethers() throws IOException;

    /**
     * Sends {@code tether} SIGTERM, which it treats like any request to end: it tears its tree down and exits.
     * Then SIGCONT, as a shell's {@code kill %1} does for a stopped job: a stopped tether (Ctrl-Z,
     * {@code kill -STOP}) would otherwise keep the SIGTERM pending, and its tree, for as long as it stays
     * stopped.
     *
     * @return {@code false} if it had already ended (or its pid now names another process)
     * @throws IOException naming the OS's reason when it cannot be signalled
     */
    boolean askToEnd(RunningTether tether) throws IOException;

    /** Whether {@code tether} still runs: neither gone nor a zombie waiting for its parent. */
    boolean isRunning(RunningTether tether);

    /**
     * Absolute {@code path} with every symbolic link, {@code .} and {@code ..} resolved, so that two names for
     * one directory compare equal. A path that cannot be resolved (it no longer exists) comes back with only
     * {@code .}, {@code ..} and repeated slashes removed.
     */
    byte[] canonical(byte[] path);
}
