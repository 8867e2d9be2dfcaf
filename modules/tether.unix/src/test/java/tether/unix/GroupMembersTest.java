package tether.unix;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GroupMembersTest {

    static boolean member(String stat, int pgid) {
        byte[] bytes = stat.getBytes(UTF_8);
        return GroupMembers.isLiveMember(bytes, bytes.length, pgid);
    }

    @Test
    void readsStateAndProcessGroupAfterTheCommandName() {
        assertTrue(member("123 (sleep) S 1 4242 4242 0 -1 4194560 96 0", 4242));
        assertFalse(member("123 (sleep) S 1 4242 4242 0 -1 4194560 96 0", 424));
        assertFalse(member("123 (sleep) S 1 42420 4242 0 -1", 4242));
    }

    @Test
    void commandNamesWithSpacesAndParenthesesDoNotShiftTheFields() {
        assertTrue(member("123 (a) S 9 9 (b) R 1 4242 4242 0", 4242));
        assertFalse(member("123 (a) S 1 4242 b) R 1 77 77 0", 4242));
    }

    @Test
    void zombiesAndDeadProcessesAreNotLive() {
        assertFalse(member("123 (sh) Z 1 4242 4242 0", 4242));
        assertFalse(member("123 (sh) X 1 4242 4242 0", 4242));
        assertTrue(member("123 (sh) T 1 4242 4242 0", 4242), "a stopped member is live");
        assertTrue(member("123 (sh) D 1 4242 4242 0", 4242));
    }

    @Test
    void onlyTheBytesReadCount() {
        byte[] buffer = "123 (sleep) S 1 4242 4242 0 -1 9 (stale) Z 1 77 77".getBytes(UTF_8);
        assertTrue(GroupMembers.isLiveMember(buffer, 31, 4242));
        assertFalse(GroupMembers.isLiveMember(buffer, 0, 4242));
    }

    @Test
    void malformedLinesAreNotMembers() {
        assertFalse(member("", 1));
        assertFalse(member("123 (sh", 1));
        assertFalse(member("123 (sh)", 1));
    }
}
