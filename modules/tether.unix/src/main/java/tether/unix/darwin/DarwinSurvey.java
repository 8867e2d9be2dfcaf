package tether.unix.darwin;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import tether.api.Provenance;
import tether.api.Resident;
import tether.unix.CLibrary;
import tether.unix.UnixSurvey;

/**
 * Every process as macOS shows it, which has no {@code /proc}: libproc and {@code sysctl(KERN_PROCARGS2)}.
 *
 * <p>The pass lists every pid ({@code PROC_ALL_PIDS}) and reads each one's {@code proc_bsdshortinfo}, which
 * every user may read: parent, group, state, user ids. For the processes macOS lets the caller see in full
 * (its own; root: all), {@code proc_bsdinfo} adds the start time and the controlling terminal with its
 * foreground group. A process group belongs to one session, so a process whose group is the foreground group
 * of a terminal some readable process has is in that terminal's foreground, whoever owns it (a {@code sudo vim}
 * under a person's shell); another user's process is otherwise never taken for one in the foreground, and its
 * start stays unknown.
 *
 * <p>A process's working directory comes from {@code PROC_PIDVNODEPATHINFO}: its path as the kernel builds it
 * from its name cache, and its link count, 0 once it has been removed; its command and marker from its exec
 * area, the marker being the one string after the arguments that is a {@link Provenance} entry (the kernel
 * does not say where the environment ends there, and its own strings never start so). The listening ports are
 * not read: a socket's address takes {@code proc_pidfdinfo} per descriptor, not written yet.
 */
public final class DarwinSurvey extends UnixSurvey {

    /** The calls a survey makes, apart so that its decisions can be tested on buffers laid out as xnu writes them. */
    interface Calls {
        /** {@code proc_listpids}: the bytes written, 0 on error. */
        int listPids(int type, int typeinfo, Pointer buffer, int bufferSize);

        /** {@code proc_pidinfo}: the bytes written, 0 on error (another user's process, a process that ended). */
        int pidInfo(int pid, int flavor, long arg, Pointer buffer, int bufferSize);

        /** {@code sysctl(KERN_PROCARGS2)} of {@code pid}, or {@code null}. */
        byte[] execArea(int pid);

        /** This process's real user id. */
        int uid();
    }

    public static final Calls SYSTEM = new Calls() {
        @Override
        public int listPids(int type, int typeinfo, Pointer buffer, int bufferSize) {
            return SystemB.proc_listpids(type, typeinfo, buffer, bufferSize);
        }

        @Override
        public int pidInfo(int pid, int flavor, long arg, Pointer buffer, int bufferSize) {
            return SystemB.proc_pidinfo(pid, flavor, arg, buffer, bufferSize);
        }

        @Override
        public byte[] execArea(int pid) {
            return DarwinOwnProcess.area(pid);
        }

        @Override
        public int uid() {
            return CLibrary.getuid();
        }
    };

    /** The pids a first listing has room for; a listing that fills its buffer is made again, twice as large. */
    private static final int FIRST_CAPACITY = 1024;

    private final Calls calls;

    public DarwinSurvey(Calls calls) {
        this.calls = calls;
    }

    /** What one pass read of a process. */
    private record Seen(ByteBuffer shortInfo, ByteBuffer bsdInfo) {}

    @Override
    public List<Resident> residents() {
        int uid = calls.uid();
        List<Integer> pids = allPids();
        List<Integer> found = new ArrayList<>();
        List<Seen> seen = new ArrayList<>();
        Set<Integer> foregroundGroups = new HashSet<>();
        for (int pid : pids) {
            ByteBuffer shortInfo = info(pid, SystemB.PROC_PIDT_SHORTBSDINFO, SystemB.PROC_BSDSHORTINFO_SIZE);
            if (shortInfo == null || shortInfo.getInt(SystemB.PBSI_STATUS_OFFSET) == SystemB.SZOMB) {
                continue;
            }
            ByteBuffer bsdInfo = info(pid, SystemB.PROC_PIDTBSDINFO, SystemB.PROC_BSDINFO_SIZE);
            if (bsdInfo != null && bsdInfo.getInt(SystemB.E_TDEV_OFFSET) != SystemB.NODEV) {
                foregroundGroups.add(bsdInfo.getInt(SystemB.E_TPGID_OFFSET));
            }
            found.add(pid);
            seen.add(new Seen(shortInfo, bsdInfo));
        }
        List<Resident> residents = new ArrayList<>(found.size());
        for (int i = 0; i < found.size(); i++) {
            ByteBuffer shortInfo = seen.get(i).shortInfo();
            ByteBuffer bsdInfo = seen.get(i).bsdInfo();
            int group = shortInfo.getInt(SystemB.PBSI_PGID_OFFSET);
            boolean mine = shortInfo.getInt(SystemB.PBSI_UID_OFFSET) == uid && shortInfo.getInt(SystemB.PBSI_RUID_OFFSET) == uid;
            residents.add(new Resident(found.get(i), shortInfo.getInt(SystemB.PBSI_PPID_OFFSET), group,
                    bsdInfo == null ? null : started(bsdInfo), mine, foregroundGroups.contains(group)));
        }
        return residents;
    }

    @Override
    public Whereabouts whereabouts(Resident process) {
        ByteBuffer paths = info((int) process.pid(), SystemB.PROC_PIDVNODEPATHINFO, SystemB.PROC_VNODEPATHINFO_SIZE);
        if (paths == null) {
            return null;
        }
        byte[] directory = cString(paths, SystemB.PVI_CDIR_PATH_OFFSET, SystemB.PATH_MAX);
        boolean deleted = paths.getShort(SystemB.PVI_CDIR_NLINK_OFFSET) == 0;
        DarwinOwnProcess.ExecArea area = execArea(process);
        byte[] marker = area == null ? null : Provenance.entryIn(area.rest());
        return new Whereabouts(directory.length == 0 ? null : directory, deleted, marker);
    }

    @Override
    public List<byte[]> command(Resident process) {
        DarwinOwnProcess.ExecArea area = execArea(process);
        return area == null ? List.of() : area.arguments();
    }

    /** The resident size: macOS has no proportional one to give. */
    @Override
    public long memory(Resident process) {
        ByteBuffer task = info((int) process.pid(), SystemB.PROC_PIDTASKINFO, SystemB.PROC_TASKINFO_SIZE);
        return task == null ? -1 : task.getLong(SystemB.PTI_RESIDENT_SIZE_OFFSET);
    }

    @Override
    public int[] ports(List<Resident> processes) {
        return new int[0];
    }

    @Override
    protected Instant startedNow(long pid) {
        ByteBuffer bsdInfo = info((int) pid, SystemB.PROC_PIDTBSDINFO, SystemB.PROC_BSDINFO_SIZE);
        return bsdInfo == null || bsdInfo.getInt(SystemB.PBI_STATUS_OFFSET) == SystemB.SZOMB ? null : started(bsdInfo);
    }

    private DarwinOwnProcess.ExecArea execArea(Resident process) {
        byte[] area = calls.execArea((int) process.pid());
        return area == null ? null : DarwinOwnProcess.parse(area, -1);
    }

    /** pbi_start_tvsec and pbi_start_tvusec, a timeval. */
    private static Instant started(ByteBuffer bsdInfo) {
        return Instant.ofEpochSecond(bsdInfo.getLong(SystemB.PBI_START_TVSEC_OFFSET),
                bsdInfo.getLong(SystemB.PBI_START_TVUSEC_OFFSET) * 1000);
    }

    /** {@code flavor} of {@code pid}, read whole into a native-order buffer, or {@code null}. */
    private ByteBuffer info(int pid, int flavor, int size) {
        Memory buffer = new Memory(size);
        int bytes = calls.pidInfo(pid, flavor, 0, buffer, size);
        return bytes < size ? null : ByteBuffer.wrap(buffer.getByteArray(0, size)).order(ByteOrder.nativeOrder());
    }

    private List<Integer> allPids() {
        for (long capacity = FIRST_CAPACITY; ; capacity *= 2) {
            Memory buffer = new Memory(capacity * Integer.BYTES);
            int bytes = calls.listPids(SystemB.PROC_ALL_PIDS, 0, buffer, (int) buffer.size());
            if (bytes < buffer.size()) {
                List<Integer> pids = new ArrayList<>();
                for (int pid : DarwinProcessTable.pids(buffer.getByteBuffer(0, buffer.size()), bytes)) {
                    pids.add(pid);
                }
                return pids;
            }
        }
    }

    /** The NUL-terminated string at {@code offset}, at most {@code length} bytes. */
    private static byte[] cString(ByteBuffer buffer, int offset, int length) {
        int end = offset;
        while (end < offset + length && buffer.get(end) != 0) {
            end++;
        }
        byte[] text = new byte[end - offset];
        buffer.get(offset, text);
        return text;
    }
}
