package tether.cli;

/**
 * {@code tether --version}: what a bug report needs in two lines. tether's version (compiled into the module
 * descriptor) and commit, then the Java runtime of the image and the OS and CPU it runs on, as the JVM
 * reports them.
 */
final class Version {

    private Version() {}

    static String text() {
        String version = Version.class.getModule().getDescriptor() == null ? "unknown"
                : Version.class.getModule().getDescriptor().rawVersion().orElse("unknown");
        String vendor = System.getProperty("java.vendor.version", System.getProperty("java.vm.vendor", ""));
        return "tether " + version + " (commit " + BuildTexts.commit() + ")\n"
                + "Java " + Runtime.version() + (vendor.isEmpty() ? "" : " (" + vendor + ")") + ", "
                + System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch") + "\n";
    }
}
