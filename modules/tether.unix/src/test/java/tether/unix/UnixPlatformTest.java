package tether.unix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which platform each os.name gets, passed in as a JVM on that system would report it. */
class UnixPlatformTest {

    @Test
    void macOsGetsTheDarwinFacts() {
        UnixPlatform mac = UnixPlatform.forOsName("Mac OS X").orElseThrow();
        assertSame(UnixPlatform.DARWIN, mac);
        assertEquals(UnixPlatform.Kernel.DARWIN, mac.kernel());
        assertEquals("System", mac.library());
        assertEquals(20, mac.sigchld());
        assertEquals(30, mac.sigusr1());
        assertEquals(0x400, mac.posixSpawnSetsid(), "0x80 would be POSIX_SPAWN_START_SUSPENDED");
        assertEquals(12, mac.siginfoPidOffset());
        assertEquals(4, mac.sigsetSize());
        assertSame(UnixPlatform.DARWIN, UnixPlatform.forOsName("Darwin").orElseThrow());
    }

    @Test
    void linuxGetsTheLinuxFacts() {
        UnixPlatform linux = UnixPlatform.forOsName("Linux").orElseThrow();
        assertSame(UnixPlatform.LINUX, linux);
        assertEquals("c", linux.library());
        assertEquals(17, linux.sigchld());
        assertEquals(0x80, linux.posixSpawnSetsid());
    }

    @Test
    void otherSystemsGetNone() {
        for (String other : new String[] {"Windows 11", "FreeBSD", "SunOS", "AIX", "mac os x", ""}) {
            assertEquals(Optional.empty(), UnixPlatform.forOsName(other), other);
        }
    }

    @Test
    void theProviderIsSupportedOnLinuxAndMacOsOnly() {
        assertTrue(UnixProcessTreeKiller.supports("Linux"));
        assertTrue(UnixProcessTreeKiller.supports("Mac OS X"));
        assertTrue(UnixProcessTreeKiller.supports("Darwin"));
        assertFalse(UnixProcessTreeKiller.supports("Windows 10"));
        assertFalse(UnixProcessTreeKiller.supports("FreeBSD"));
    }

    @Test
    void theRunningSystemIsChosenFromItsOsName() {
        assertSame(UnixPlatform.forOsName(System.getProperty("os.name")).orElseThrow(), UnixPlatform.current());
    }
}
