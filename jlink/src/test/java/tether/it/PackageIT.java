package tether.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import tether.testkit.Commands;
import tether.testkit.Procs;
import tether.testkit.RequiresTools;

/** The .deb, the man page and the shell completions, as the build leaves them in jlink/target. */
class PackageIT extends LauncherTest {

    static final Path TARGET = LAUNCHER.toAbsolutePath().getParent().getParent().getParent();
    static final Path DOCS = TARGET.resolve("docs");

    static String output(Path directory, String... command) {
        return Commands.ok(directory, command);
    }

    static Path deb() throws IOException {
        try (var files = Files.list(TARGET)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".deb")).findFirst()
                    .orElseThrow(() -> new AssertionError("dpkg-deb is here but no .deb was built in " + TARGET));
        }
    }

    @EnabledOnOs(value = OS.LINUX, disabledReason = "dpkg-deb: the .deb is built on Linux")
    @RequiresTools(value = "dpkg-deb", why = "the build makes the .deb only where dpkg-deb is")
    @Test
    void theDebInstallsAnExecLauncherThatRuns() throws Exception {
        Path root = Files.createDirectory(temp.resolve("root"));
        run(temp, "dpkg-deb", "-x", deb().toString(), root.toString());
        Path launcher = root.resolve("usr/bin/tether");
        assertTrue(Files.isSymbolicLink(launcher));
        Path pids = temp.resolve("pids");
        TetherRun run = start(temp, List.of(launcher.toString(), "--", "sh", "-c",
                "sleep 600 & echo $! > " + pids + "; echo packaged; exit 3"));
        assertEquals(3, run.awaitExit(DEADLINE), run.stderr());
        assertEquals("packaged\n", run.stdout());
        assertEquals(List.of(), Procs.alive(lines(pids).stream().map(Long::parseLong).toList()));
        for (String file : List.of("usr/share/man/man1/tether.1.gz", "usr/share/bash-completion/completions/tether",
                "usr/share/zsh/vendor-completions/_tether", "usr/share/fish/vendor_completions.d/tether.fish",
                "usr/share/doc/tether/copyright", "usr/lib/tether/lib/tether.aot")) {
            assertTrue(Files.isRegularFile(root.resolve(file)), file);
        }
    }

    @EnabledOnOs(value = OS.LINUX, disabledReason = "dpkg-deb: the .deb is built on Linux")
    @RequiresTools(value = "dpkg-deb", why = "the build makes the .deb only where dpkg-deb is")
    @Test
    void theDebDependsOnNothingButTheCLibrary() throws Exception {
        assertEquals("libc6 (>= 2.34)\n", output(temp, "dpkg-deb", "-f", deb().toString(), "Depends"));
        // bash loads a package's completion only through bash-completion, which also completes COMMAND's words.
        assertEquals("bash-completion\n", output(temp, "dpkg-deb", "-f", deb().toString(), "Recommends"));
        assertTrue(Files.size(deb()) <= 30L << 20, "the .deb is " + Files.size(deb()) + " bytes");
    }

    @RequiresTools(value = "groff", why = "renders the man page")
    @Test
    void theManPageRendersWithoutWarnings() {
        assertEquals("", output(temp, "groff", "-man", "-ww", "-z", DOCS.resolve("tether.1").toString()));
    }

    @Test
    void bashCompletesOptionsSignalNamesAndThenTheCommandsOwnWords() {
        String script = "source " + DOCS.resolve("tether.bash") + "\n"
                + "_command_offset() { echo \"command at $1\"; }  # bash-completion's, which this stands in for\n"
                + "COMP_WORDS=(tether --sig); COMP_CWORD=1; _tether; echo \"${COMPREPLY[@]}\"\n"
                + "COMP_WORDS=(tether --signal U); COMP_CWORD=2; _tether; echo \"${COMPREPLY[@]}\"\n"
                + "COMP_WORDS=(tether -v --grace 1s npm ru); COMP_CWORD=5; _tether\n"
                + "COMP_WORDS=(tether -- make wa); COMP_CWORD=3; _tether\n";
        assertEquals("--signal\nUSR1 USR2\ncommand at 4\ncommand at 2\n", output(temp, "bash", "-c", script));
    }

    /**
     * Without bash-completion (a bash that sourced the file itself, no {@code _command_offset}): COMMAND's
     * name completes from the commands bash knows, its arguments as file names (readline's, through
     * {@code -o default}), and nothing prints "command not found".
     */
    @Test
    void bashCompletesWithoutTheBashCompletionPackage() {
        String script = "source " + DOCS.resolve("tether.bash") + "\n"
                + "declare -F _command_offset && echo 'bash-completion is loaded'\n"
                + "COMP_WORDS=(tether -v -- ech); COMP_CWORD=3; _tether; printf '%s\\n' \"${COMPREPLY[@]}\" | grep -x -m1 echo\n"
                + "COMP_WORDS=(tether sh /e); COMP_CWORD=2; _tether; echo \"${#COMPREPLY[@]} words\"\n"
                + "complete -p tether\n";
        assertEquals("echo\n0 words\ncomplete -o default -F _tether tether\n",
                output(temp, "bash", "--norc", "--noprofile", "-c", script));
    }

    @RequiresTools(value = "zsh", why = "parses the zsh completion")
    @Test
    void theZshCompletionParses() {
        output(temp, "zsh", "-n", DOCS.resolve("_tether").toString());
    }

    @RequiresTools(value = "fish", why = "parses the fish completion")
    @Test
    void theFishCompletionParses() {
        output(temp, "fish", "--no-execute", DOCS.resolve("tether.fish").toString());
    }

    /** Building without a C compiler ends with one line that says what to do, before Maven starts. */
    @Test
    void theBuildSaysInOneLineThatItNeedsACCompiler() throws Exception {
        Path mvnw = TARGET.getParent().getParent().resolve("mvnw");
        ProcessBuilder builder = new ProcessBuilder(mvnw.toString(), "-B", "-o", "-q", "verify")
                .directory(mvnw.getParent().toFile()).redirectErrorStream(true);
        builder.environment().put("CC", "tether-no-such-cc -O2");
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), UTF_8);
        assertEquals(1, process.waitFor(), output);
        assertEquals(List.of("tether's build compiles its launcher with a C compiler, and there is no "
                + "'tether-no-such-cc' on PATH: install one (Debian, Ubuntu: apt-get install gcc; macOS: "
                + "xcode-select --install) or name it in CC"), output.lines().toList());
    }

    /** Building with an older JDK ends with one line that says what to change, before Maven starts. */
    @Test
    void theBuildSaysInOneLineThatItNeedsJdk25() throws Exception {
        Path mvnw = TARGET.getParent().getParent().resolve("mvnw");
        List<Path> olderJdks = new java.util.ArrayList<>(List.of(Path.of("/nonexistent")));
        Path jdk17 = Path.of("/usr/lib/jvm/java-17-openjdk-amd64");
        if (Files.isExecutable(jdk17.resolve("bin/java"))) {
            olderJdks.add(jdk17);
        }
        for (Path javaHome : olderJdks) {
            ProcessBuilder builder = new ProcessBuilder(mvnw.toString(), "-v").directory(temp.toFile())
                    .redirectErrorStream(true);
            builder.environment().put("JAVA_HOME", javaHome.toString());
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), UTF_8);
            assertEquals(1, process.waitFor(), output);
            assertEquals(1, output.lines().count(), output);
            assertTrue(output.startsWith("tether builds with JDK 25 or later, and " + javaHome + "/bin/java is "), output);
            assertTrue(output.contains("JAVA_HOME="), output);
        }
    }
}
