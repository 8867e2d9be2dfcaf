package tether.windows;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tether.api.ProcessSurvey;
import tether.api.Resident;
import tether.api.TreeSignal;

/** The Windows survey against a stand-in process table as strict as Windows (see {@link FakeProcessTable}). */
class WindowsSurveyTest {

    static final byte[] ANA = FakeProcessTable.sid(21, 1001);
    static final byte[] BOB = FakeProcessTable.sid(21, 1002);
    /** 2026-11-26T08:00:00Z as a FILETIME: 100 ns units since 1601. */
    static final long BOOT = (Instant.parse("2026-11-26T08:00:00Z").getEpochSecond() + 11_644_473_600L) * 10_000_000L;

    final FakeProcessTable table = new FakeProcessTable()
            .add(FakeProcessTable.SELF, 4, BOOT, ANA, "C:\\Users\\ana", "java -m tether.cli", List.of("A=b"))
            .add(2000, 1000, BOOT + 10_000_000, ANA, "C:\\Users\\ana\\src\\Shop\\", "node \"server.js\" --port 5173",
                    List.of("PATH=C:\\Windows", "TETHER_TREE=4242:C:\\Users\\ana\\src\\shop", "USERNAME=ana"))
            .add(3000, 2000, BOOT + 20_000_000, BOB, "C:\\Users\\bob", "cmd", List.of("B=c"))
            .addDenied(4, 0, BOOT - 10_000_000);
    final WindowsSurvey survey = new WindowsSurvey(table, table, table, new FakeShell32(), new FakeKernel32(), UTF_8);

    @AfterEach
    void everyHandleWasClosed() {
        assertEquals(List.of(), table.openHandles());
    }

    static Resident find(List<Resident> residents, long pid) {
        return residents.stream().filter(r -> r.pid() == pid).findFirst().orElseThrow();
    }

    @Test
    void everyProcessWithItsParentStartAndWhetherItIsThisUsers() throws Exception {
        List<Resident> residents = survey.residents();
        assertEquals(List.of(1000L, 2000L, 3000L, 4L), residents.stream().map(Resident::pid).toList());
        Resident node = find(residents, 2000);
        assertEquals(1000, node.parent());
        assertEquals(Instant.parse("2026-11-26T08:00:01Z"), node.started());
        assertTrue(node.mine());
        assertFalse(node.foreground(), "Windows has no terminal foreground");
        assertEquals(0, node.group(), "nor process groups");
        assertFalse(find(residents, 3000).mine(), "another user's token");
        assertNull(find(residents, 4).started(), "a process that cannot be opened");
        assertFalse(find(residents, 4).mine());
    }

    @Test
    void theDirectoryCommandLineAndMarkerComeFromThePeb() throws Exception {
        Resident node = find(survey.residents(), 2000);
        ProcessSurvey.Whereabouts where = survey.whereabouts(node);
        assertEquals("C:\\Users\\ana\\src\\Shop", new String(where.directory(), UTF_8), "without its trailing separator");
        assertFalse(where.directoryDeleted());
        assertEquals("TETHER_TREE=4242:C:\\Users\\ana\\src\\shop", new String(where.marker(), UTF_8));
        assertEquals(List.of("node", "server.js", "--port", "5173"),
                survey.command(node).stream().map(word -> new String(word, UTF_8)).toList());
        assertEquals(2000 * 4096L, survey.memory(node));
        assertArrayEquals(new int[0], survey.ports(List.of(node)));
    }

    @Test
    void aProcessThatCannotBeOpenedOrIsAnotherNowHasNothingToRead() throws Exception {
        assertNull(survey.whereabouts(find(survey.residents(), 4)));
        assertEquals(List.of(), survey.command(find(survey.residents(), 4)));
        assertEquals(-1, survey.memory(find(survey.residents(), 4)));
        Resident node = find(survey.residents(), 2000);
        Resident earlier = new Resident(2000, 1000, 0, node.started().minusSeconds(1), true, false);
        assertNull(survey.whereabouts(earlier), "the pid now names a process that started later");
    }

    @Test
    void pathsCompareWithoutRegardToCaseOrSeparators() {
        assertTrue(survey.isWithin("C:\\Users\\ana\\src\\Shop\\web".getBytes(UTF_8), "c:/users/ANA/src/shop/".getBytes(UTF_8)));
        assertTrue(survey.isWithin("C:\\Users\\ana\\src\\shop".getBytes(UTF_8), "C:\\Users\\ana\\src\\shop".getBytes(UTF_8)));
        assertFalse(survey.isWithin("C:\\Users\\ana\\src\\shop-b".getBytes(UTF_8), "C:\\Users\\ana\\src\\shop".getBytes(UTF_8)));
        assertTrue(survey.isWithin("D:\\x".getBytes(UTF_8), "D:\\".getBytes(UTF_8)));
    }

    @Test
    void endingIsTerminateProcessOfTheSameProcessOnly() throws Exception {
        Resident node = find(survey.residents(), 2000);
        assertNull(survey.signal(node, TreeSignal.CONT), "nothing to continue on Windows");
        assertEquals(List.of(), table.terminated);
        Resident earlier = new Resident(2000, 1000, 0, node.started().minusSeconds(1), true, false);
        assertNull(survey.signal(earlier, TreeSignal.TERM));
        assertEquals(List.of(), table.terminated, "the pid names another process now");
        assertNull(survey.signal(node, TreeSignal.TERM));
        assertEquals(List.of("2000 1"), table.terminated);
        assertNull(survey.signal(node, TreeSignal.KILL), "gone is no error");
        Resident system = new Resident(4, 0, 0, Instant.EPOCH, false, false);
        assertEquals("Permission denied", survey.signal(system, TreeSignal.KILL));
    }
}
