package tether.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import tether.api.PathException;
import tether.api.PathWatch;

/** The watch opens the path sharing deletion and closes it at once, every check, and compares file IDs. */
class FileIdWatchTest {

    static final String PATH = "C:\\work\\feature";
    static final String OPEN = "CreateFileW(C:\\work\\feature, 0x80, 7, null, 3, 0x2200000)";
    static final String QUERY = "GetFileInformationByHandle(native@0x70)";
    static final String CLOSE = "CloseHandle(native@0x70)";

    final FakeKernel32 kernel32 = new FakeKernel32();

    PathWatch watch() throws PathException {
        kernel32.files.put(PATH, new long[] {0x1234, 0x0005_0000_0000_0042L});
        return FileIdWatch.open(kernel32, PATH);
    }

    @Test
    void eachCheckOpensQueriesAndClosesAndNothingIsHeldBetween() throws Exception {
        PathWatch watch = watch();
        assertEquals(PathWatch.State.PRESENT, watch.check());
        assertEquals(List.of(OPEN, QUERY, CLOSE, OPEN, QUERY, CLOSE), kernel32.calls);
    }

    @Test
    void theFlagsShareDeletionAndOpenADirectoryWithoutFollowingALink() {
        assertEquals(0x1 | 0x2 | 0x4, FileIdWatch.SHARING);
        assertEquals(0x02000000 | 0x00200000, FileIdWatch.FLAGS);
    }

    @Test
    void aRemovedPathIsGone() throws Exception {
        PathWatch watch = watch();
        kernel32.failures.put("CreateFileW(" + PATH + ")", Kernel32.ERROR_FILE_NOT_FOUND);
        assertEquals(PathWatch.State.GONE, watch.check());
        kernel32.failures.put("CreateFileW(" + PATH + ")", Kernel32.ERROR_PATH_NOT_FOUND);
        assertEquals(PathWatch.State.GONE, watch.check());
    }

    /** NTFS's sequence number in the index's high word: a directory made again at the path is another. */
    @Test
    void aDirectoryReplacedAtThePathIsGone() throws Exception {
        PathWatch watch = watch();
        kernel32.files.put(PATH, new long[] {0x1234, 0x0006_0000_0000_0042L});
        assertEquals(PathWatch.State.GONE, watch.check());
    }

    @Test
    void theSameIndexOnAnotherVolumeIsGone() throws Exception {
        PathWatch watch = watch();
        kernel32.files.put(PATH, new long[] {0x9999, 0x0005_0000_0000_0042L});
        assertEquals(PathWatch.State.GONE, watch.check());
    }

    @Test
    void anErrorThatIsNotARemovalIsUnknownWithItsReason() throws Exception {
        PathWatch watch = watch();
        kernel32.failures.put("CreateFileW(" + PATH + ")", Kernel32.ERROR_ACCESS_DENIED);
        assertEquals(PathWatch.State.UNKNOWN, watch.check());
        assertEquals("Permission denied", watch.lastError());
        kernel32.failures.put("CreateFileW(" + PATH + ")", 21);
        assertEquals(PathWatch.State.UNKNOWN, watch.check());
        assertEquals("Windows error 21", watch.lastError());
    }

    @Test
    void aFailedQueryIsUnknownAndTheHandleIsClosed() throws Exception {
        PathWatch watch = watch();
        kernel32.calls.clear();
        kernel32.failures.put("GetFileInformationByHandle", 1117);
        assertEquals(PathWatch.State.UNKNOWN, watch.check());
        assertEquals("Windows error 1117", watch.lastError());
        assertEquals(List.of(OPEN, QUERY, CLOSE), kernel32.calls);
    }

    @Test
    void aPathThatCannotBeWatchedSaysWhy() {
        kernel32.failures.put("CreateFileW(" + PATH + ")", Kernel32.ERROR_FILE_NOT_FOUND);
        assertEquals("No such file or directory",
                assertThrows(PathException.class, () -> FileIdWatch.open(kernel32, PATH)).getMessage());
        kernel32.failures.clear();
        kernel32.failures.put("GetFileInformationByHandle", 50);
        kernel32.files.put(PATH, new long[] {1, 1});
        assertEquals("Windows error 50",
                assertThrows(PathException.class, () -> FileIdWatch.open(kernel32, PATH)).getMessage());
        assertEquals(CLOSE, kernel32.calls.getLast());
    }

    @Test
    void theNullDeviceIsNul() {
        assertEquals("NUL", new String(new WindowsPaths(StandardCharsets.UTF_8, kernel32).nullDevice(),
                StandardCharsets.UTF_8));
    }
}
