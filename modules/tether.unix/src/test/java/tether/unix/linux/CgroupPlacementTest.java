package tether.unix.linux;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** The choice of a cgroup's place on systems laid out as Linux lays them out, this one among them. */
class CgroupPlacementTest {

    /** This machine's kind of layout: systemd's hybrid one, cgroup2 beside the v1 controllers. */
    static final String HYBRID = """
            31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
            32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
            41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
            """;
    /** A systemd distribution of today: cgroup2 alone, with an optional field before the "-". */
    static final String UNIFIED = """
            22 1 253:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw
            35 24 0:30 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw,nsdelegate
            """;
    static final String TERMINAL = "/user.slice/user-1000.slice/user@1000.service/app.slice/vte-spawn-1f.scope";

    static byte[] b(String text) {
        return text.getBytes(UTF_8);
    }

    /** A made-up system: what it holds is given, everything else is absent or refused. */
    static final class Made implements CgroupPlacement.Facts {
        String mountinfo = UNIFIED;
        String cgroups = "0::" + TERMINAL + "\n";
        Set<String> writable = new HashSet<>();
        Set<String> marked = new HashSet<>();
        boolean systemd = true;
        String systemdRun = "/usr/bin/systemd-run";
        boolean userManager = true;
        boolean systemManager = true;
        boolean root;

        @Override
        public byte[] mountinfo() {
            return b(mountinfo);
        }

        @Override
        public byte[] ownCgroups() {
            return b(cgroups);
        }

        @Override
        public boolean writable(byte[] directory) {
            return writable.contains(new String(directory, UTF_8));
        }

        @Override
        public boolean markedDelegated(byte[] directory) {
            return marked.contains(new String(directory, UTF_8));
        }

        @Override
        public boolean systemdManages() {
            return systemd;
        }

        @Override
        public byte[] systemdRun() {
            return systemdRun == null ? null : b(systemdRun);
        }

        @Override
        public boolean managerListens(boolean user) {
            return user ? userManager : systemManager;
        }

        @Override
        public boolean root() {
            return root;
        }
    }

    static String own(CgroupPlacement.Choice choice) {
        return new String(assertInstanceOf(CgroupPlacement.Own.class, choice).parent(), UTF_8);
    }

    static String nowhere(CgroupPlacement.Choice choice) {
        return assertInstanceOf(CgroupPlacement.Nowhere.class, choice).reason();
    }

    @Test
    void rootOnAHybridHostWithoutSystemdMakesItInItsOwnCgroup() {
        Made system = new Made();
        system.mountinfo = HYBRID;
        system.cgroups = "9:name=systemd:/\n1:cpu:/\n0::/\n";
        system.systemd = false;
        system.root = true;
        system.writable.add("/sys/fs/cgroup/unified");
        assertEquals("/sys/fs/cgroup/unified", own(CgroupPlacement.decide(system)));
    }

    @Test
    void aDelegatedSubtreeOfAnotherUserIsUsedWhereNoSystemdManagesTheTree() {
        Made system = new Made();
        system.systemd = false;
        system.cgroups = "0::/delegated\n";
        system.writable.add("/sys/fs/cgroup/delegated");
        assertEquals("/sys/fs/cgroup/delegated", own(CgroupPlacement.decide(system)));
    }

    @Test
    void aWritableCgroupOfSystemdsIsNotUsedUnlessDelegated() {
        Made system = new Made();
        system.writable.add("/sys/fs/cgroup" + TERMINAL);
        CgroupPlacement.Scope scope = assertInstanceOf(CgroupPlacement.Scope.class, CgroupPlacement.decide(system));
        assertTrue(scope.user());
        assertArrayEquals(b("/usr/bin/systemd-run"), scope.systemdRun());

        system.marked.add("/sys/fs/cgroup" + TERMINAL);
        assertEquals("/sys/fs/cgroup" + TERMINAL, own(CgroupPlacement.decide(system)));
    }

    @Test
    void theMarkOfADelegatedCgroupAboveCounts() {
        Made system = new Made();
        system.cgroups = "0::/system.slice/runner.service/payload\n";
        system.writable.add("/sys/fs/cgroup/system.slice/runner.service/payload");
        system.marked.add("/sys/fs/cgroup/system.slice/runner.service");
        assertEquals("/sys/fs/cgroup/system.slice/runner.service/payload", own(CgroupPlacement.decide(system)));
    }

    @Test
    void aTetherRunByATetherUsesTheCgroupItIsIn() {
        Made system = new Made();
        system.cgroups = "0::" + TERMINAL + "/tether-4242-981234\n";
        system.writable.add("/sys/fs/cgroup" + TERMINAL + "/tether-4242-981234");
        assertEquals("/sys/fs/cgroup" + TERMINAL + "/tether-4242-981234", own(CgroupPlacement.decide(system)));
        system.cgroups = "0::" + TERMINAL + "/tether-4242-x\n";
        system.writable.add("/sys/fs/cgroup" + TERMINAL + "/tether-4242-x");
        assertInstanceOf(CgroupPlacement.Scope.class, CgroupPlacement.decide(system), "not a tether's name");
    }

    @Test
    void rootAsksTheSystemManager() {
        Made system = new Made();
        system.root = true;
        system.cgroups = "0::/user.slice/user-0.slice/session-3.scope\n";
        system.writable.add("/sys/fs/cgroup/user.slice/user-0.slice/session-3.scope");
        CgroupPlacement.Scope scope = assertInstanceOf(CgroupPlacement.Scope.class, CgroupPlacement.decide(system));
        assertEquals(false, scope.user());
        system.systemManager = false;
        assertEquals("tether's cgroup /sys/fs/cgroup/user.slice/user-0.slice/session-3.scope is systemd's, not "
                + "delegated, and no systemd system manager answers", nowhere(CgroupPlacement.decide(system)));
    }

    @Test
    void withoutSystemdRunOrAManagerThereIsNone() {
        Made system = new Made();
        system.systemdRun = null;
        assertEquals("tether's cgroup /sys/fs/cgroup" + TERMINAL + " is systemd's, not delegated, and systemd-run is "
                + "not on PATH", nowhere(CgroupPlacement.decide(system)));
        system.systemdRun = "/usr/bin/systemd-run";
        system.userManager = false;
        assertEquals("tether's cgroup /sys/fs/cgroup" + TERMINAL + " is systemd's, not delegated, and no systemd user "
                + "manager answers", nowhere(CgroupPlacement.decide(system)));
    }

    @Test
    void anUnwritableCgroupWithoutSystemdIsNone() {
        Made system = new Made();
        system.systemd = false;
        system.cgroups = "0::/\n";
        assertEquals("tether's cgroup /sys/fs/cgroup is not writable by tether's user",
                nowhere(CgroupPlacement.decide(system)));
    }

    @Test
    void withoutCgroup2ThereIsNone() {
        Made system = new Made();
        system.mountinfo = "32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu\n";
        assertEquals("no cgroup2 file system is mounted", nowhere(CgroupPlacement.decide(system)));
        system.mountinfo = UNIFIED;
        system.cgroups = "1:cpu:/\n";
        assertEquals("tether is in no cgroup of the cgroup2 hierarchy", nowhere(CgroupPlacement.decide(system)));
    }

    /** A container without a cgroup namespace sees its own subtree mounted, and the host's path for itself. */
    @Test
    void aMountOfASubtreeShowsWhatIsBelowItsRoot() {
        List<CgroupPlacement.Mount> mounts = CgroupPlacement.cgroup2Mounts(
                b("40 30 0:40 /docker/abc /sys/fs/cgroup ro,nosuid - cgroup2 cgroup rw\n"));
        assertEquals("/sys/fs/cgroup/web", new String(CgroupPlacement.directory(mounts, b("/docker/abc/web")), UTF_8));
        assertEquals("/sys/fs/cgroup", new String(CgroupPlacement.directory(mounts, b("/docker/abc")), UTF_8));
        assertNull(CgroupPlacement.directory(mounts, b("/docker/abcd")));
        assertNull(CgroupPlacement.directory(mounts, b("/")));
    }

    @Test
    void mountPointsAreUnescaped() {
        List<CgroupPlacement.Mount> mounts = CgroupPlacement.cgroup2Mounts(
                b("40 30 0:40 / /mnt/my\\040cgroups rw - cgroup2 none rw\n"));
        assertEquals("/mnt/my cgroups", new String(mounts.getFirst().point(), UTF_8));
        assertArrayEquals(b("a\\07b\\"), CgroupPlacement.unescape(b("a\\07b\\")), "not three octal digits");
    }

    @EnabledOnOs(value = OS.LINUX, disabledReason = "reads this machine's /proc")
    @Test
    void thisMachinesCgroupIsFound() {
        CgroupPlacement.Running running = new CgroupPlacement.Running();
        List<CgroupPlacement.Mount> mounts = CgroupPlacement.cgroup2Mounts(running.mountinfo());
        byte[] own = CgroupPlacement.ownCgroup(running.ownCgroups());
        if (mounts.isEmpty() || own == null) {
            assertInstanceOf(CgroupPlacement.Nowhere.class, CgroupPlacement.decide(running));
            return;
        }
        byte[] directory = CgroupPlacement.directory(mounts, own);
        assertTrue(directory == null || tether.unix.UnixPaths.isDirectory(directory),
                new String(directory == null ? new byte[0] : directory, UTF_8));
    }
}
