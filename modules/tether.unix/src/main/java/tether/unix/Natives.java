package tether.unix;

import com.sun.jna.Native;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads libc through JNA on first use, so that merely choosing the provider costs nothing.
 *
 * <p>The runtime image ships JNA's dispatch library in its {@code lib} folder. Pointing JNA there keeps it
 * from extracting its library to a cache folder and from forking {@code ldconfig -p} on every start,
 * which together cost about 70 ms. libc is opened by its soname, so JNA's fallback search path (which
 * it would otherwise fill from {@code ldconfig -p}) is never consulted and is set to the usual folders.
 */
final class Natives {

    static final LinuxLibc LIBC = load();

    private Natives() {}

    private static LinuxLibc load() {
        Path bundled = Path.of(System.getProperty("java.home"), "lib");
        if (Files.exists(bundled.resolve(System.mapLibraryName("jnidispatch")))) {
            System.setProperty("jna.boot.library.path", bundled.toString());
            System.setProperty("jna.nounpack", "true");
            System.setProperty("jna.nosys", "true");
        }
        if (System.getProperty("jna.platform.library.path") == null) {
            System.setProperty("jna.platform.library.path", "/usr/lib:/lib");
        }
        return Native.load("c", LinuxLibc.class);
    }
}
