package tether.cli;

import picocli.CommandLine.IVersionProvider;

/** The version compiled into the module descriptor by the build. */
final class Version implements IVersionProvider {

    @Override
    public String[] getVersion() {
        String version = Version.class.getModule().getDescriptor() == null ? "unknown"
                : Version.class.getModule().getDescriptor().rawVersion().orElse("unknown");
        return new String[] {"tether " + version};
    }
}
