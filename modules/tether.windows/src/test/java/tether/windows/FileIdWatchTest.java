package tether.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tether.api.PathException;
import tether.api.PathWatch;

/** The watch opens the path sharing deletion and closes it at once, every check, and compares file IDs. */
class FileIdWatchTest {

    static final String PATH = "C:\\work\\feature";
    static final String OPEN = "CreateFileW(C:\\work\\feature, 0x80, 7, null, 3, 0x2200000)";
    static final String QUERY_ID = "GetFileInformationByHandleEx(native@0x70, 18, 24)";
    static final String QUERY_INDEX = "GetFileInformationByHandle(native@0x70)";
    static final String CLOSE = "CloseHandle(native@0x70)";

    /** An NTFS directory: its 64-bit ID, sequence number in the high word, is FILE_ID_INFO's low half. */
    static final FakeKernel32.Entry NTFS = new FakeKernel32.Entry(true, 0x1234, 0x0005_0000_0000_0042L, 0,
            0x0005_0000_0000_0042L);

    final FakeKernel32 kernel32 = new FakeKernel32();

    PathWatch watch(FakeKernel32.Entry entry) throws PathException {
        kernel32.entry(PATH, entry);
        return FileIdWatch.open(kernel32, PATH);
    }

    @Test
    void eachCheckOpensQueriesAndClosesAndNothingIsHeldBetween() throws Exception {
        PathWatch watch = watch(NTFS);
        assertEquals(PathWatch.State.PRESENT, watch.check());
        assertEquals(List.of(OPEN, QUERY_ID, CLOSE, OPEN, QUERY_ID, CLOSE), kernel32.calls);
        assertEquals(Set.of(), kernel32.leaked());
    }

    @Test
    void theFlagsShareDeletionAndOpenADirectoryWithoutFollowingALink() {
        assertEquals(0x1 | 0x2 | 0x4, FileIdWatch.SHARING);
        assertEquals(0x02000000 | 0x00200000, FileIdWatch.FLAGS);
    }

    @Test
    void aRemovedPathIsGone() throws Exception {
        PathWatch watch = watch(NTFS);
        kernel32.files.remove(PATH);
        assertEquals(PathWatch.State.GONE, watch.check());
        assertEquals(Kernel32.ERROR_FILE_NOT_FOUND, kernel32.lastError());
        kernel32.files.remove("C:\\work");
        assertEquals(PathWatch.State.GONE, watch.check());
        assertEquals(Kernel32.ERROR_PATH_NOT_FOUND, kernel32.lastError());
    }

    /** NTFS's sequence number in the ID's high word: a directory made again at the path is another. */
    @Test
    void aDirectoryReplacedAtThePathIsGone() throws Exception {
        PathWatch watch = watch(NTFS);
        kernel32.entry(PATH, new FakeKernel32.Entry(true, 0x1234, 0x0006_0000_0000_0042L, 0, 0x0006_0000_0000_0042L));
        assertEquals(PathWatch.State.GONE, watch.check());
    }

    /** ReFS (a Dev Drive): 128-bit IDs that differ only in their high half, which a 64-bit index cannot see. */
    @Test
    void refsIdsAreComparedWhole() throws Exception {
        PathWatch watch = watch(new FakeKernel32.Entry(true, 0x1234, 0x42, 0x7, 0x42));
        assertEquals(PathWatch.State.PRESENT, watch.check());
        kernel32.entry(PATH, new FakeKernel32.Entry(true, 0x1234, 0x42, 0x8, 0x42));
        assertEquals(PathWatch.State.GONE, watch.check());
    }

    @Test
    void theSameIdOnAnotherVolumeIsGone() throws Exception {
        PathWatch watch = watch(NTFS);
        kernel32.entry(PATH, new FakeKernel32.Entry(true, 0x9999, NTFS.index(), 0, NTFS.idLow()));
        assertEquals(PathWatch.State.GONE, watch.check());
    }

    /** FAT and exFAT have no 128-bit IDs: FILE_ID_INFO's is zero, and the 64-bit index stands in. */
    @Test
    void withoutA128BitIdTheIndexIsCompared() throws Exception {
        PathWatch watch = watch(new FakeKernel32.Entry(true, 0x1234, 0x42, 0, 0));
        kernel32.calls.clear();
        assertEquals(PathWatch.State.PRESENT, watch.check());
        assertEquals(List.of(OPEN, QUERY_ID, QUERY_INDEX, CLOSE), kernel32.calls);
        kernel32.entry(PATH, new FakeKernel32.Entry(true, 0x1234, 0x43, 0, 0));
        assertEquals(PathWatch.State.GONE, watch.check());
    }

    /** A file system that refuses FileIdInfo altogether is asked for its index. */
    @Test
    void aFileSystemWithoutFileIdInfoIsAskedForItsIndex() throws Exception {
        kernel32.failures.put("GetFileInformationByHandleEx", Kernel32.ERROR_INVALID_PARAMETER);
        PathWatch watch = watch(NTFS);
        assertEquals(PathWatch.State.PRESENT, watch.check());
        assertEquals(List.of(OPEN, QUERY_ID, QUERY_INDEX, CLOSE), kernel32.calls.subList(4, 8));
    }

    @Test
    void anErrorThatIsNotARemovalIsUnknownWithItsReason() throws Exception {
        PathWatch watch = watch(NTFS);
        kernel32.failures.put("CreateFileW(" + PATH + ")", Kernel32.ERROR_ACCESS_DENIED);
        assertEquals(PathWatch.State.UNKNOWN, watch.check());
        assertEquals("Permission denied", watch.lastError());
        kernel32.failures.put("CreateFileW(" + PATH + ")", 21);
        assertEquals(PathWatch.State.UNKNOWN, watch.check());
        assertEquals("Windows error 21", watch.lastError());
    }

    @Test
    void aFailedQueryIsUnknownAndTheHandleIsClosed() throws Exception {
        kernel32.failures.put("GetFileInformationByHandleEx", Kernel32.ERROR_INVALID_PARAMETER);
        PathWatch watch = watch(NTFS);
        kernel32.calls.clear();
        kernel32.failures.put("GetFileInformationByHandle", 1117);
        assertEquals(PathWatch.State.UNKNOWN, watch.check());
        assertEquals("Windows error 1117", watch.lastError());
        assertEquals(List.of(OPEN, QUERY_ID, QUERY_INDEX, CLOSE), kernel32.calls);
    }

    @Test
    void aPathThatCannotBeWatchedSaysWhy() {
        assertEquals("No such file or directory",
                assertThrows(PathException.class, () -> FileIdWatch.open(kernel32, PATH)).getMessage());
        kernel32.failures.put("GetFileInformationByHandleEx", Kernel32.ERROR_INVALID_PARAMETER);
        kernel32.failures.put("GetFileInformationByHandle", 50);
        kernel32.entry(PATH, NTFS);
        assertEquals("Windows error 50",
                assertThrows(PathException.class, () -> FileIdWatch.open(kernel32, PATH)).getMessage());
        assertEquals(CLOSE, kernel32.calls.getLast());
        assertEquals(Set.of(), kernel32.leaked());
    }

    @Test
    void theNullDeviceIsNul() {
        assertEquals("NUL", new String(new WindowsPaths(StandardCharsets.UTF_8, kernel32).nullDevice(),
                StandardCharsets.UTF_8));
    }
}
