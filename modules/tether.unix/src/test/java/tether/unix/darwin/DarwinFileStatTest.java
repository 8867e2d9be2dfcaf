package tether.unix.darwin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.jna.Memory;
import org.junit.jupiter.api.Test;
import tether.unix.CLibrary;

/**
 * macOS's struct stat on buffers laid out as xnu's bsd/sys/stat.h declares __DARWIN_STRUCT_STAT64: dev_t
 * st_dev (int32_t) at 0, mode_t st_mode (uint16_t) at 4, nlink_t st_nlink (uint16_t) at 6, st_ino (uint64_t)
 * at 8, uid_t and gid_t at 16 and 20, st_rdev at 24, four timespecs from 32, st_size at 96, and so on to 144.
 */
class DarwinFileStatTest {

    final DarwinFileStat files = new DarwinFileStat();

    static Memory statRecord(int device, int mode, long inode) {
        Memory buffer = new Memory(144);
        buffer.clear();
        buffer.setInt(0, device);
        buffer.setShort(4, (short) mode);
        buffer.setShort(6, (short) 2);
        buffer.setLong(8, inode);
        buffer.setInt(16, 501);
        buffer.setInt(20, 20);
        buffer.setLong(96, 4096);
        return buffer;
    }

    @Test
    void theBufferIsTheWholeStruct() {
        assertEquals(144, files.size());
    }

    @Test
    void readsTypeDeviceAndInode() {
        Memory directory = statRecord(0x1000010, 0040755, 0x1_2345_6789L);
        assertEquals(CLibrary.S_IFDIR, files.type(directory));
        assertEquals(0x1000010, files.device(directory));
        assertEquals(0x1_2345_6789L, files.inode(directory));
        assertEquals(CLibrary.S_IFREG, files.type(statRecord(1, 0100644, 2)));
        assertEquals(0120000, files.type(statRecord(1, 0120777, 2)), "a symbolic link, its mode above 0x7fff");
    }

    @Test
    void aDeviceNumberIsUnsigned() {
        assertEquals(0xff00_0001L, files.device(statRecord(0xff00_0001, 0040755, 2)));
    }

    @Test
    void x86_64TakesTheInode64SymbolsAndArm64ThePlainOnes() {
        assertEquals("lstat$INODE64", SystemB.inode64Symbol("lstat", "x86_64"));
        assertEquals("stat$INODE64", SystemB.inode64Symbol("stat", "x86_64"));
        assertEquals("lstat", SystemB.inode64Symbol("lstat", "aarch64"));
        assertEquals("stat", SystemB.inode64Symbol("stat", "aarch64"));
    }
}
