import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes jpackage's Windows launcher run tether in its own process: {@code java NoRestart.java
 * APP-IMAGE\app\tether.cfg} puts {@code win.norestart=true} into the launcher configuration's
 * {@code [Application]} section; jpackage has no option for it.
 *
 * <p>Without it the launcher, whose PATH does not hold its app folder, starts itself again as a child in a
 * job that kills the child when the parent ends (JDK-8301247, JDK-8325203), and only the child runs the JVM:
 * Ctrl-C ends the parent, whose job then kills tether before it has torn its tree down (JDK-8365790, fixed
 * in JDK 26), tether's pid is not the one a caller holds, and the parent's re-quoting of the command line
 * drops empty arguments and embedded quotes before tether reads {@code GetCommandLineW}. The launcher of
 * JDK 24 and later reads {@code win.norestart} (JDK-8340311: WinLauncher.cpp's needRestartLauncher); with
 * {@code true} it loads the JVM in its own process. tether needs none of what the restart is for: it finds
 * JNA's library by its own path ({@code jna.boot.library.path}), not through PATH.
 */
public class NoRestart {

    static final String SECTION = "[Application]";
    static final String PROPERTY = "win.norestart";

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: java NoRestart.java APP-IMAGE\\app\\tether.cfg");
            System.exit(2);
        }
        Path cfg = Path.of(args[0]);
        Files.write(cfg, withNoRestart(Files.readAllLines(cfg)));
    }

    /** The lines with exactly one {@code win.norestart=true}, first in {@code [Application]}. */
    static List<String> withNoRestart(List<String> lines) {
        int section = lines.indexOf(SECTION);
        if (section < 0) {
            throw new IllegalArgumentException("the launcher configuration has no " + SECTION + " section");
        }
        List<String> result = new ArrayList<>();
        boolean inSection = false;
        for (String line : lines) {
            if (line.startsWith("[")) {
                inSection = line.equals(SECTION);
            } else if (inSection && line.startsWith(PROPERTY + "=")) {
                continue;
            }
            result.add(line);
            if (line.equals(SECTION)) {
                result.add(PROPERTY + "=true");
            }
        }
        return result;
    }
}
