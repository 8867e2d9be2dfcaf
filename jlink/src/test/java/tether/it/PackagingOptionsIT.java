package tether.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each {@code jlink/packaging/OS/jpackage.txt} read by JDK 25's own jpackage, here on Linux: the same lines,
 * applied to an app image of the built runtime image, must give the launcher configuration (.cfg) that OS's
 * launcher needs. jpackage's reading of an options file (jdk.internal.opt.CommandLine: quotes, backslash
 * escapes inside them, comments) and its writing of the .cfg are the same code on every OS, so what it makes
 * of the lines here it makes of them there; only the options of another OS ({@code --win-*}, {@code --mac-*})
 * are left out, since jpackage refuses them here, and {@code --type} becomes {@code app-image}.
 *
 * <p>What the .cfg must hold: the main module; each {@code --java-options} line as one JVM option, unsplit and
 * with no control character in it; every {@code $APPDIR} path in them naming a file of the runtime image,
 * where that OS's app image puts the runtime ({@link #LAYOUTS}); and, on Windows, after the folder's
 * NoRestart.java, {@code win.norestart=true} in {@code [Application]}.
 */
@EnabledOnOs(value = OS.LINUX, disabledReason = "reads the .cfg where Linux's app image keeps it (lib/app); on macOS and"
        + " Windows the workflow builds the packages themselves")
class PackagingOptionsIT {

    static final Path IMAGE = Path.of(System.getProperty("tether.launcher", "target/tether/bin/tether"))
            .toAbsolutePath().getParent().getParent();
    static final Path ROOT = IMAGE.getParent().getParent().getParent();
    static final Path PACKAGING = ROOT.resolve("jlink/packaging");
    static final String MAIN = "tether.cli/tether.cli.Main";

    /**
     * Where each OS's app image puts the launcher's folder ($APPDIR) and the runtime's home, and which
     * characters separate a path's names there (jpackage's ApplicationLayout for each OS: Windows
     * {@code app} and {@code runtime}; macOS {@code Contents/app} and {@code Contents/runtime/Contents/Home}).
     */
    record Layout(String appDirectory, String runtimeHome, String separators) {}

    static final Map<String, Layout> LAYOUTS = Map.of(
            "windows", new Layout("app", "runtime", "\\/"),
            "macos", new Layout("Contents/app", "Contents/runtime/Contents/Home", "/"));

    @TempDir
    Path temp;

    @TestFactory
    Stream<DynamicTest> eachOptionsFileGivesTheConfigurationItsLauncherNeeds() throws IOException {
        List<Path> files;
        try (Stream<Path> folders = Files.list(PACKAGING)) {
            files = folders.map(folder -> folder.resolve("jpackage.txt")).filter(Files::isRegularFile).sorted().toList();
        }
        assertFalse(files.isEmpty(), "no jlink/packaging/*/jpackage.txt");
        return files.stream().map(file -> DynamicTest.dynamicTest(PACKAGING.relativize(file).toString(),
                () -> check(file)));
    }

    void check(Path file) throws Exception {
        String os = file.getParent().getFileName().toString();
        Layout layout = LAYOUTS.get(os);
        assertNotNull(layout, "no app image layout known for jlink/packaging/" + os + ": add it to LAYOUTS");
        Path jpackage = Path.of(System.getProperty("java.home"), "bin", "jpackage");
        assumeTrue(Files.isExecutable(jpackage), "this JDK has no jpackage");
        List<String> lines = Files.readAllLines(file);
        Path dest = temp.resolve(os);
        Path here = temp.resolve(os + "-here.txt");
        Files.write(here, forThisOs(lines));
        run(List.of(jpackage.toString(), "@" + here, "--dest", dest.toString()));
        String name = value(lines, "--name");
        Path cfg = dest.resolve(name).resolve("lib/app").resolve(name + ".cfg");
        Map<String, List<String>> sections = sections(Files.readAllLines(cfg));

        assertEquals(List.of("app.mainmodule=" + MAIN), sections.get("[Application]"), cfg.toString());
        List<String> options = new ArrayList<>();
        for (String line : sections.get("[JavaOptions]")) {
            String option = line.substring("java-options=".length());
            if (!option.startsWith("-Djpackage.app-version=")) {
                options.add(option);
            }
        }
        long written = lines.stream().filter(line -> line.startsWith("--java-options ")).count();
        assertEquals(written, options.size(), "each --java-options line must stay one JVM option: " + options);
        for (String option : options) {
            assertTrue(option.startsWith("-") && option.chars().noneMatch(c -> c < 0x20 || c == ' '),
                    "one JVM option, no space or control character: " + option.replace("\r", "\\r").replace("\t", "\\t"));
            int appdir = option.indexOf("$APPDIR");
            if (appdir >= 0) {
                Path inImage = runtimeFile(option.substring(appdir + "$APPDIR".length()), layout);
                assertTrue(Files.isRegularFile(inImage), option + " names " + inImage + ", which the runtime image lacks");
            }
        }
        if (os.equals("windows")) {
            run(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    file.resolveSibling("NoRestart.java").toString(), cfg.toString()));
            sections = sections(Files.readAllLines(cfg));
            assertEquals(List.of("win.norestart=true", "app.mainmodule=" + MAIN), sections.get("[Application]"));
            Path msi = file.resolveSibling("msi.txt");
            List<String> msiLines = Files.readAllLines(msi);
            assertEquals(value(lines, "--dest") + "/" + name, value(msiLines, "--app-image"),
                    "msi.txt packages the app image jpackage.txt makes");
            assertTrue(msiLines.contains("--win-per-user-install"));
        }
    }

    /**
     * The file's lines without the options jpackage takes only on another OS, with {@code --type app-image}
     * and without {@code --dest}, which the test gives. Each line of these files is one option and its value.
     */
    static List<String> forThisOs(List<String> lines) {
        List<String> kept = new ArrayList<>();
        for (String line : lines) {
            String option = line.strip().split("\\s+", 2)[0];
            if (option.startsWith("--win-") || option.startsWith("--mac-") || option.startsWith("--linux-")
                    || option.equals("--dest")) {
                continue;
            }
            kept.add(option.equals("--type") ? "--type app-image" : line);
        }
        return kept;
    }

    /** The value of an option written plainly on its own line, as --name, --dest and --app-image are. */
    static String value(List<String> lines, String option) {
        for (String line : lines) {
            if (line.startsWith(option + " ")) {
                return line.substring(option.length() + 1).strip();
            }
        }
        throw new AssertionError("no " + option + " line");
    }

    /** {@code $APPDIR} followed by {@code rest}, in that OS's app image, as a file of the runtime image here. */
    static Path runtimeFile(String rest, Layout layout) {
        List<String> names = new ArrayList<>(List.of(layout.appDirectory().split("/")));
        for (String name : rest.split("[" + java.util.regex.Pattern.quote(layout.separators()) + "]")) {
            if (name.equals("..")) {
                names.removeLast();
            } else if (!name.isEmpty() && !name.equals(".")) {
                names.add(name);
            }
        }
        List<String> home = List.of(layout.runtimeHome().split("/"));
        assertEquals(home, names.subList(0, Math.min(home.size(), names.size())),
                "$APPDIR" + rest + " is not inside the runtime (" + layout.runtimeHome() + ")");
        return IMAGE.resolve(String.join(File.separator, names.subList(home.size(), names.size())));
    }

    static Map<String, List<String>> sections(List<String> lines) {
        Map<String, List<String>> sections = new LinkedHashMap<>();
        List<String> current = null;
        for (String line : lines) {
            if (line.startsWith("[")) {
                current = new ArrayList<>();
                sections.put(line, current);
            } else if (current != null && !line.isBlank()) {
                current.add(line);
            }
        }
        return sections;
    }

    void run(List<String> command) throws Exception {
        Path output = temp.resolve("output.txt");
        Process process = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
        try {
            assertTrue(process.waitFor(120, TimeUnit.SECONDS), String.join(" ", command) + " did not end");
            assertEquals(0, process.exitValue(), String.join(" ", command) + ":\n"
                    + Files.readString(output, StandardCharsets.UTF_8));
        } finally {
            process.destroyForcibly();
        }
    }
}
