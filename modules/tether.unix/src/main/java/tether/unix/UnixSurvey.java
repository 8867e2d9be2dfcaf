package tether.unix;

import com.sun.jna.Native;
import java.time.Instant;
import tether.api.PathBytes;
import tether.api.ProcessSurvey;
import tether.api.Resident;
import tether.api.TreeSignal;

/**
 * What Linux and macOS share in a {@link ProcessSurvey}: a process is signalled with {@code kill} by pid, and
 * only after its start time has been read again and found unchanged, so that a pid given to another process
 * since the survey is never signalled; paths compare byte for byte.
 */
public abstract class UnixSurvey implements ProcessSurvey {

    /** When {@code pid} started, read now; {@code null} if it is gone or a zombie. */
    protected abstract Instant startedNow(long pid);

    @Override
    public final String signal(Resident process, TreeSignal signal) {
        Instant now = startedNow(process.pid());
        if (now == null || !now.equals(process.started())) {
            return null;
        }
        if (CLibrary.kill((int) process.pid(), ProcessGroup.number(signal)) == 0) {
            return null;
        }
        int errno = Native.getLastError();
        return errno == CLibrary.ESRCH ? null : CLibrary.strerror(errno);
    }

    @Override
    public final boolean isWithin(byte[] path, byte[] directory) {
        return PathBytes.isWithin(path, directory);
    }
}
