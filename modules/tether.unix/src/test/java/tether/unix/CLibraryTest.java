package tether.unix;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Variadic calls. Only Apple's arm64 ABI puts variadic arguments elsewhere than fixed ones, so what can be
 * shown here is that the call reaches libffi as a variadic call with the fixed arguments counted: libffi
 * refuses a float among the variadic arguments (C would have promoted it to double), and only there. On an
 * arm64 Mac the mode written then shows that the variadic argument went where {@code open} reads it.
 */
@EnabledOnOs({OS.LINUX, OS.MAC})
class CLibraryTest {

    /** asm-generic/fcntl.h; xnu bsd/sys/fcntl.h. */
    static final int F_GETFD = 1;

    @TempDir
    Path temp;

    @Test
    void aVariadicFunctionIsCalledAsOneWithItsFixedArgumentsCounted() {
        Object[] floatThird = {0, F_GETFD, 1.5f};
        IllegalArgumentException variadic = assertThrows(IllegalArgumentException.class,
                () -> CLibrary.variadic("fcntl", 2).invokeInt(floatThird));
        assertTrue(variadic.getMessage().contains("FFI_BAD_ARGTYPE"), variadic.getMessage());
        assertEquals(0, CLibrary.variadic("fcntl", 3).invokeInt(floatThird), "a third fixed argument may be a float");
    }

    @Test
    void openPassesItsModeAsTheVariadicArgument() throws Exception {
        Path file = temp.resolve("created");
        int fd = CLibrary.open(UnixPaths.cString(file.toString().getBytes(UTF_8)),
                CLibrary.O_WRONLY | UnixPlatform.current().oCreat() | UnixPlatform.current().oCloexec(), 0600);
        assertTrue(fd >= 0);
        CLibrary.close(fd);
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(file));
    }
}
