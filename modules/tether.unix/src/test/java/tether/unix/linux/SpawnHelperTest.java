package tether.unix.linux;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What tether says to tether-spawn and reads back, and the systemd-run command that runs it in a scope. */
class SpawnHelperTest {

    static byte[] b(String text) {
        return text.getBytes(UTF_8);
    }

    @Test
    void theOrdersAreNulTerminatedStringsWithTheirCounts() {
        byte[] orders = SpawnHelper.orders(b("/sys/fs/cgroup/tether-1-2"), List.of(b("sh"), b("-c"), b("")),
                List.of(b("A=1"), new byte[] {'B', '=', (byte) 0xe9}));
        byte[] expected = concat(b(String.join("\0", "/sys/fs/cgroup/tether-1-2", "3", "sh", "-c", "", "2", "A=1",
                "B=")), new byte[] {(byte) 0xe9, 0});
        assertArrayEquals(expected, orders);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] both = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    @Test
    void aReportGivesTheCgroupThePidAndAFailure() {
        SpawnHelper.Report started = SpawnHelper.Report.parse(b("cgroup /user.slice/x.scope\npid 4242\n"));
        assertArrayEquals(b("/user.slice/x.scope"), started.cgroup());
        assertEquals(4242, started.pid());
        assertNull(started.failedCall());

        SpawnHelper.Report notFound = SpawnHelper.Report.parse(b("cgroup /\npid 17\nerror exec 2\n"));
        assertEquals(17, notFound.pid());
        assertTrue(notFound.commandFailed());
        assertEquals(2, notFound.errno());

        SpawnHelper.Report refused = SpawnHelper.Report.parse(b("cgroup /\nerror clone3 1\n"));
        assertEquals(0, refused.pid());
        assertEquals("clone3", refused.failedCall());
        assertFalse(refused.commandFailed());

        SpawnHelper.Report unmade = SpawnHelper.Report.parse(
                b("Failed to start transient scope unit: Access denied\nsecond\tline\n"));
        assertNull(unmade.cgroup());
        assertEquals("Failed to start transient scope unit: Access denied; second\\tline", unmade.said());
        assertEquals("", started.said());

        SpawnHelper.Report cut = SpawnHelper.Report.parse(b("cgroup /a b"));
        assertArrayEquals(b("/a b"), cut.cgroup(), "a path with a space, and no newline at the end");
        assertEquals(0, SpawnHelper.Report.parse(new byte[0]).pid());
    }

    @Test
    void theHelperIsInTheImagesLib() {
        assertArrayEquals(b("/usr/lib/tether/lib/tether-spawn"), SpawnHelper.beside(b("/usr/lib/tether/bin/tether")));
    }

    /** systemd-run(1): the options before "--", then the helper alone; COMMAND travels in the orders. */
    @Test
    void systemdRunMakesADelegatedScopeQuietlyAndCollectsIt() {
        List<String> user = SystemdScope.command(b("/usr/bin/systemd-run"), true, b("/opt/tether/lib/tether-spawn"))
                .stream().map(w -> new String(w, UTF_8)).toList();
        assertEquals(List.of("/usr/bin/systemd-run", "--user", "--scope", "--quiet", "--collect", "--no-ask-password",
                "--property=Delegate=yes", "--", "/opt/tether/lib/tether-spawn"), user);
        List<String> system = SystemdScope.command(b("/usr/bin/systemd-run"), false, b("/opt/tether/lib/tether-spawn"))
                .stream().map(w -> new String(w, UTF_8)).toList();
        assertFalse(system.contains("--user"));
        assertThrows(IllegalArgumentException.class,
                () -> SystemdScope.command(b("/usr/bin/systemd-run"), true, b("/opt/$HOME/lib/tether-spawn")));
    }
}
