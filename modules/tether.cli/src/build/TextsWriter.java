import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;

/**
 * Writes into tether.cli's classes what tether prints without rendering it at run time (see the module's
 * BuildTexts): {@code help.txt}, picocli's rendering of the help from the options' model, and
 * {@code commit.txt}, the commit the build is made from.
 * {@code java -cp CLASSPATH TextsWriter.java CLASSES BASEDIR}, where CLASSPATH holds tether.cli's classes and
 * picocli.
 */
public class TextsWriter {

    public static void main(String[] args) throws Exception {
        Path out = Files.createDirectories(Path.of(args[0], "tether", "cli"));
        Files.writeString(out.resolve("help.txt"), model().getUsageMessage(), StandardCharsets.UTF_8);
        Files.writeString(out.resolve("commit.txt"), commit(Path.of(args[1])) + "\n", StandardCharsets.UTF_8);
    }

    /** The model tether.cli's PicocliModel sets up, reached through its package-private factory. */
    static CommandLine model() throws ReflectiveOperationException {
        Class<?> options = Class.forName("tether.cli.Options");
        Constructor<?> constructor = options.getDeclaredConstructor();
        constructor.setAccessible(true);
        Method factory = Class.forName("tether.cli.PicocliModel").getDeclaredMethod("commandLine", options);
        factory.setAccessible(true);
        return (CommandLine) factory.invoke(null, constructor.newInstance());
    }

    /**
     * The commit checked out in {@code directory}, abbreviated as git does for humans, with "-modified" when
     * tracked files differ from it; "unknown" outside a git checkout (a source archive) or without git.
     */
    static String commit(Path directory) throws InterruptedException {
        String id = git(directory, "rev-parse", "--short=12", "HEAD");
        if (id == null) {
            return "unknown";
        }
        String changes = git(directory, "status", "--porcelain", "--untracked-files=no");
        return id + (changes == null || changes.isEmpty() ? "" : "-modified");
    }

    /** git's output, stripped, or null if git could not say. */
    static String git(Path directory, String... args) throws InterruptedException {
        String[] command = new String[args.length + 1];
        command[0] = "git";
        System.arraycopy(args, 0, command, 1, args.length);
        try {
            Process git = new ProcessBuilder(command).directory(directory.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String output = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return git.waitFor() == 0 ? output : null;
        } catch (IOException e) {
            return null;
        }
    }
}
