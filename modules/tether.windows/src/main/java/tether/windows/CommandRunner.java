package tether.windows;

import java.io.IOException;
import java.util.List;

/** Runs a helper command such as {@code taskkill} and returns its exit status. */
@FunctionalInterface
interface CommandRunner {

    int run(List<String> command) throws IOException, InterruptedException;

    /** The real one: output discarded, since tether never writes to stdout and taskkill is chatty. */
    static CommandRunner system() {
        return command -> new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start()
                .waitFor();
    }
}
