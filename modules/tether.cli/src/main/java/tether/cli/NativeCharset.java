package tether.cli;

import java.nio.charset.Charset;

/** The charset the JVM used to decode arguments, environment and file names from the OS. */
final class NativeCharset {

    private NativeCharset() {}

    static Charset get() {
        try {
            return Charset.forName(System.getProperty("sun.jnu.encoding"));
        } catch (RuntimeException e) {
            return Charset.defaultCharset();
        }
    }
}
