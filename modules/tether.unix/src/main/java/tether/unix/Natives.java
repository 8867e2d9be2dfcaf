package tether.unix;

import com.sun.jna.NativeLibrary;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Sets JNA up before its first use, which must come after {@link #configure()}: JNA reads its settings
 * once, when its classes initialise (any {@code Memory} or {@code Pointer} does that).
 *
 * <p>The runtime image ships JNA's dispatch library in its {@code lib} folder. Pointing JNA there keeps it
 * from extracting its library to a cache folder and from forking {@code ldconfig -p} on every start,
 * which together cost about 70 ms. Libraries are opened by soname, so JNA's fallback search path (which
 * it would otherwise fill from {@code ldconfig -p}) is never consulted and is set to the usual folders.
 */
public final class Natives {

    private static boolean configured;

    private Natives() {}

    public static synchronized void configure() {
        if (configured) {
            return;
        }
        configured = true;
        Path bundled = Path.of(System.getProperty("java.home"), "lib");
        if (Files.exists(bundled.resolve(dispatchLibrary(System.mapLibraryName("jnidispatch"))))) {
            System.setProperty("jna.boot.library.path", bundled.toString());
            System.setProperty("jna.nounpack", "true");
            System.setProperty("jna.nosys", "true");
        }
        if (System.getProperty("jna.platform.library.path") == null) {
            System.setProperty("jna.platform.library.path", "/usr/lib:/lib");
        }
    }

    /**
     * The file name JNA loads its dispatch library from in {@code jna.boot.library.path}, given the JDK's
     * name for it: JNA's own name on macOS ends in .jnilib, not .dylib (Native.loadNativeDispatchLibrary), and
     * ImageBuilder copies it into the image under that name.
     */
    static String dispatchLibrary(String mappedName) {
        return mappedName.replace(".dylib", ".jnilib");
    }

    static NativeLibrary library(String name) {
        configure();
        return NativeLibrary.getInstance(name);
    }
}
