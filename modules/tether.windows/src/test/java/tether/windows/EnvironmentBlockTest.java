package tether.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class EnvironmentBlockTest {

    @Test
    void entriesEndWithNulAndTheBlockWithOneMore() {
        assertEquals("A=1\0PATH=C:\\x\0\0", new String(EnvironmentBlock.of(List.of("A=1", "PATH=C:\\x"), null)));
    }

    @Test
    void anEmptyEnvironmentIsTwoNuls() {
        assertEquals("\0\0", new String(EnvironmentBlock.of(List.of(), null)));
    }

    /**
     * Sorted by name as Windows compares names, upper-cased: "_" (0x5F) after "Z" (0x5A), which a lower-casing
     * sort would put before "a" (0x61); the drives' "=C:" entries first; a value's "=" is no part of the name.
     */
    @Test
    void entriesAreSortedByNameCaseInsensitivelyAsWindowsComparesThem() {
        List<String> unsorted = List.of("zeta=1", "_under=2", "Path=C:\\bin", "=C:=C:\\work", "PATHEXT=.EXE",
                "a=x=y", "Zed=3");
        assertEquals("=C:=C:\\work\0a=x=y\0Path=C:\\bin\0PATHEXT=.EXE\0Zed=3\0zeta=1\0_under=2\0\0",
                new String(EnvironmentBlock.of(unsorted, null)));
    }

    /** The JDK adds SystemRoot from tether's own environment when COMMAND's lacks it, and so does tether. */
    @Test
    void systemRootIsAddedWhenMissingAndKeptWhenPresent() {
        assertEquals("A=1\0SystemRoot=C:\\Windows\0Z=2\0\0",
                new String(EnvironmentBlock.of(List.of("Z=2", "A=1"), "C:\\Windows")));
        assertEquals("SYSTEMROOT=D:\\Win\0\0",
                new String(EnvironmentBlock.of(List.of("SYSTEMROOT=D:\\Win"), "C:\\Windows")));
    }

    @Test
    void namesCompareAsTheirUpperCase() {
        assertEquals(0, EnvironmentBlock.compareNames("Path", "PATH"));
        assertTrue(EnvironmentBlock.compareNames("Z", "_") < 0);
        assertTrue(EnvironmentBlock.compareNames("PATH", "PATHEXT") < 0);
        assertEquals("=C:", EnvironmentBlock.name("=C:=C:\\work"));
    }
}
