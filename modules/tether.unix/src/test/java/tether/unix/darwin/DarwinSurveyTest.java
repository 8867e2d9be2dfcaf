package tether.unix.darwin;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import tether.unix.Natives;
import tether.api.ProcessSurvey;
import tether.api.Resident;

/**
 * The macOS survey on a recorded process table: every struct laid out field by field in the order of
 * bsd/sys/proc_info.h (not from the offsets the code uses, which DarwinHeadersTest holds to the header), and
 * calls that fail as libproc's do, with 0, for another user's process and for one that ended.
 */
class DarwinSurveyTest {

    static final int ME = 501;
    static final int ROOT = 0;
    static final int SRUN = 2;
    static final int SZOMB = 5;
    static final int NODEV = -1;
    static final Instant BOOT = Instant.parse("2026-11-26T08:00:00Z");

    /** A process as the kernel keeps it. */
    record Proc(int pid, int ppid, int pgid, int status, int uid, int tty, int tpgid, int startSecond, String cwd,
            int nlink, long resident, byte[] execArea) {}

    static ByteBuffer buffer(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.nativeOrder());
    }

    /** struct proc_bsdshortinfo. */
    static byte[] shortInfo(Proc p) {
        ByteBuffer b = buffer(64);
        b.putInt(p.pid()).putInt(p.ppid()).putInt(p.pgid()).putInt(p.status()).put(new byte[16]);
        b.putInt(0).putInt(p.uid()).putInt(20).putInt(p.uid()).putInt(20).putInt(p.uid()).putInt(20).putInt(0);
        return b.array();
    }

    /** struct proc_bsdinfo. */
    static byte[] bsdInfo(Proc p) {
        ByteBuffer b = buffer(136);
        b.putInt(0).putInt(p.status()).putInt(0).putInt(p.pid()).putInt(p.ppid());
        b.putInt(p.uid()).putInt(20).putInt(p.uid()).putInt(20).putInt(p.uid()).putInt(20).putInt(0);
        b.put(new byte[16]).put(new byte[32]);
        b.putInt(0).putInt(p.pgid()).putInt(0).putInt(p.tty()).putInt(p.tpgid()).putInt(0);
        b.putLong(BOOT.getEpochSecond() + p.startSecond()).putLong(250_000);
        return b.array();
    }

    /** struct proc_taskinfo. */
    static byte[] taskInfo(Proc p) {
        ByteBuffer b = buffer(96);
        b.putLong(1L << 32).putLong(p.resident()).putLong(0).putLong(0).putLong(0).putLong(0);
        for (int i = 0; i < 12; i++) {
            b.putInt(0);
        }
        return b.array();
    }

    /** struct vnode_info_path: a struct vnode_info (vinfo_stat, vi_type, vi_pad, vi_fsid), then vip_path. */
    static void vnodeInfoPath(ByteBuffer b, int nlink, String path) {
        b.putInt(0x1000004).putShort((short) 040755).putShort((short) nlink).putLong(4242).putInt(ME).putInt(20);
        for (int i = 0; i < 8; i++) {
            b.putLong(0); // atime, mtime, ctime and birthtime, each with its nanoseconds
        }
        b.putLong(64).putLong(0).putInt(4096).putInt(0).putInt(0).putInt(0).putLong(0).putLong(0); // to vst_qspare
        b.putInt(2).putInt(0).putInt(0x1000004).putInt(0x11); // vi_type VDIR, vi_pad, vi_fsid
        byte[] name = new byte[1024];
        byte[] bytes = path.getBytes(UTF_8);
        System.arraycopy(bytes, 0, name, 0, bytes.length);
        b.put(name);
    }

    /** struct proc_vnodepathinfo: the working directory, then the root directory. */
    static byte[] vnodePathInfo(Proc p) {
        ByteBuffer b = buffer(2352);
        vnodeInfoPath(b, p.nlink(), p.cwd());
        vnodeInfoPath(b, 20, "/");
        return b.array();
    }

    /** A KERN_PROCARGS2 area as xnu lays it out (see DarwinOwnProcessTest). */
    static byte[] area(List<String> arguments, List<String> environment) {
        return DarwinOwnProcessTest.area(arguments.getFirst(), arguments.stream().map(a -> a.getBytes(UTF_8)).toList(),
                environment.stream().map(e -> e.getBytes(UTF_8)).toList()).bytes();
    }

    static final class Recorded implements DarwinSurvey.Calls {
        final Map<Integer, Proc> table = new LinkedHashMap<>();
        final int uid;

        Recorded(int uid) {
            this.uid = uid;
        }

        Recorded with(Proc p) {
            table.put(p.pid(), p);
            return this;
        }

        @Override
        public int listPids(int type, int typeinfo, Pointer buffer, int bufferSize) {
            assertEquals(1, type, "PROC_ALL_PIDS");
            int written = Math.min(table.size(), bufferSize / 4);
            int i = 0;
            for (int pid : table.keySet()) {
                if (i < written) {
                    buffer.setInt(i * 4L, pid);
                }
                i++;
            }
            return written * 4;
        }

        /** As xnu: another user's process is readable through PROC_PIDT_SHORTBSDINFO only; a zombie not at all. */
        @Override
        public int pidInfo(int pid, int flavor, long arg, Pointer buffer, int bufferSize) {
            Proc p = table.get(pid);
            assertEquals(0, arg, "zombies are not asked for");
            if (p == null || p.status() == SZOMB || flavor != 13 && p.uid() != uid && uid != ROOT) {
                return 0;
            }
            byte[] bytes = switch (flavor) {
                case 13 -> shortInfo(p);
                case 3 -> bsdInfo(p);
                case 4 -> taskInfo(p);
                case 9 -> vnodePathInfo(p);
                default -> throw new AssertionError("flavor " + flavor);
            };
            assertTrue(bufferSize >= bytes.length, "a buffer as large as the struct");
            buffer.write(0, bytes, 0, bytes.length);
            return bytes.length;
        }

        @Override
        public byte[] execArea(int pid) {
            Proc p = table.get(pid);
            return p == null || p.uid() != uid && uid != ROOT ? null : p.execArea();
        }

        @Override
        public int uid() {
            return uid;
        }
    }

    static Proc proc(int pid, int ppid, int pgid, int uid, int tty, int tpgid, String cwd) {
        return new Proc(pid, ppid, pgid, SRUN, uid, tty, tpgid, pid, cwd, 2, pid * 4096L,
                area(List.of("/bin/sleep", "600"), List.of("HOME=/Users/ana", "TETHER_TREE=4242:/Users/ana/src/shop")));
    }

    static Recorded table(int uid) {
        return new Recorded(uid)
                .with(proc(1, 0, 1, ROOT, NODEV, 0, "/"))
                .with(proc(300, 1, 300, ME, 0x10000003, 310, "/Users/ana/src/shop"))    // a login shell on ttys003
                .with(proc(310, 300, 310, ROOT, 0x10000003, 310, "/Users/ana/src/shop")) // sudo vim, the foreground
                .with(proc(320, 1, 320, ME, NODEV, 0, "/Users/ana/src/shop"))
                .with(new Proc(330, 320, 320, SZOMB, ME, NODEV, 0, 40, "/", 2, 0, null));
    }

    static Resident find(List<Resident> residents, long pid) {
        return residents.stream().filter(r -> r.pid() == pid).findFirst().orElse(null);
    }

    @Test
    void everyLiveProcessWithItsParentGroupStartAndUser() {
        List<Resident> residents = new DarwinSurvey(table(ME)).residents();
        assertEquals(List.of(1L, 300L, 310L, 320L), residents.stream().map(Resident::pid).toList(), "the zombie is not");
        Resident mine = find(residents, 320);
        assertEquals(1, mine.parent());
        assertEquals(320, mine.group());
        assertEquals(BOOT.plusSeconds(320).plusNanos(250_000_000), mine.started());
        assertTrue(mine.mine());
        assertFalse(mine.foreground());
        Resident roots = find(residents, 310);
        assertFalse(roots.mine());
        assertNull(roots.started(), "macOS shows another user's start to root only");
        assertTrue(roots.foreground(), "its group is the foreground group of the shell's terminal");
        assertFalse(find(residents, 300).foreground(), "the shell waits, in the background of its terminal");
        assertEquals(BOOT.plusSeconds(310).plusNanos(250_000_000), find(new DarwinSurvey(table(ROOT)).residents(), 310)
                .started(), "root sees every start");
    }

    @Test
    void whereaboutsCommandAndMemoryOfOwnProcesses() {
        DarwinSurvey survey = new DarwinSurvey(table(ME));
        Resident mine = find(survey.residents(), 320);
        ProcessSurvey.Whereabouts where = survey.whereabouts(mine);
        assertArrayEquals("/Users/ana/src/shop".getBytes(UTF_8), where.directory());
        assertFalse(where.directoryDeleted());
        assertEquals("TETHER_TREE=4242:/Users/ana/src/shop", new String(where.marker(), UTF_8),
                "found among the strings after the arguments");
        assertEquals(List.of("/bin/sleep", "600"), survey.command(mine).stream().map(w -> new String(w, UTF_8)).toList());
        assertEquals(320 * 4096L, survey.memory(mine));
        assertNull(survey.whereabouts(find(survey.residents(), 310)), "another user's");
        assertEquals(List.of(), survey.command(find(survey.residents(), 310)));
        assertEquals(-1, survey.memory(find(survey.residents(), 310)));
        assertArrayEquals(new int[0], survey.ports(survey.residents()), "ports are not read on macOS");
    }

    @Test
    void aRemovedDirectoryHasNoLinksLeft() {
        Recorded table = table(ME).with(new Proc(340, 1, 340, SRUN, ME, NODEV, 0, 50, "/Users/ana/src/gone/web", 0,
                4096, null));
        DarwinSurvey survey = new DarwinSurvey(table);
        ProcessSurvey.Whereabouts where = survey.whereabouts(find(survey.residents(), 340));
        assertTrue(where.directoryDeleted());
        assertArrayEquals("/Users/ana/src/gone/web".getBytes(UTF_8), where.directory());
        assertNull(where.marker(), "an exec area that cannot be read has no marker to give");
    }

    @Test
    void theStartIsReadAgainBeforeASignalAndAZombieHasNone() {
        DarwinSurvey survey = new DarwinSurvey(table(ME));
        assertEquals(BOOT.plusSeconds(320).plusNanos(250_000_000), survey.startedNow(320));
        assertNull(survey.startedNow(330), "a zombie");
        assertNull(survey.startedNow(999), "gone");
    }

    /** On macOS itself, with libproc's own calls: a child started here, as the survey sees it. */
    @EnabledOnOs(value = OS.MAC, disabledReason = "libproc and KERN_PROCARGS2 are macOS's")
    @Test
    void theRealCallsSeeAChildWithItsDirectoryAndMarker(@TempDir Path directory) throws Exception {
        Natives.configure();
        ProcessBuilder builder = new ProcessBuilder("sleep", "600").directory(directory.toFile());
        builder.environment().put("TETHER_TREE", "4242:/w/shop");
        Process child = builder.start();
        try {
            DarwinSurvey survey = new DarwinSurvey(DarwinSurvey.SYSTEM);
            Resident found = find(survey.residents(), child.pid());
            assertEquals(ProcessHandle.current().pid(), found.parent());
            assertTrue(found.mine());
            assertEquals(ProcessHandle.of(child.pid()).orElseThrow().info().startInstant().orElseThrow().getEpochSecond(),
                    found.started().getEpochSecond());
            ProcessSurvey.Whereabouts where = survey.whereabouts(found);
            assertEquals(directory.toRealPath().toString(), new String(where.directory(), UTF_8));
            assertEquals("TETHER_TREE=4242:/w/shop", new String(where.marker(), UTF_8));
            assertTrue(survey.memory(found) > 0);
            assertEquals(found.started(), survey.startedNow(child.pid()));
        } finally {
            child.destroyForcibly();
        }
    }

    @Test
    void aListingThatFillsItsBufferIsMadeAgainLarger() {
        Recorded many = new Recorded(ME);
        for (int pid = 1; pid <= 3000; pid++) {
            many.with(proc(pid, 1, pid, ME, NODEV, 0, "/"));
        }
        assertEquals(3000, new DarwinSurvey(many).residents().size());
    }
}
