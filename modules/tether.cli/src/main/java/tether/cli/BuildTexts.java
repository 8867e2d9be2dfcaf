package tether.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * What the build wrote into this module for tether to print: the text of {@code --help}, rendered by picocli
 * from {@link Options} ({@code modules/tether.cli/src/build/BuildTexts.java}), and the commit the build was
 * made from. Read from the module rather than rendered at run time, so that --help starts as fast as a run.
 */
final class BuildTexts {

    static final String HELP = "help.txt";
    static final String COMMIT = "commit.txt";

    private BuildTexts() {}

    static String help() {
        return read(HELP);
    }

    /** The commit's id, with "-modified" if the tree had changes, or "unknown" outside a git checkout. */
    static String commit() {
        return read(COMMIT).strip();
    }

    private static String read(String name) {
        try (InputStream in = BuildTexts.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the build wrote no " + name + " into tether.cli");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
