import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.jar.JarFile;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;

/**
 * Builds tether's runtime image for the OS it runs on: {@code java ImageBuilder.java MODULES TEMPLATE IMAGE}.
 *
 * <p>Written in Java rather than shell so the same step runs on Linux, macOS and Windows; it uses the
 * JDK's own jar, javac and jlink tools in-process, and the C compiler for the Unix launcher.
 */
public class ImageBuilder {

    /** Where the launcher looks for the AOT cache, relative to the image. */
    static final String AOT_CACHE = "lib/tether.aot";

    /** tether's modules and the providers the launcher module finds through ServiceLoader. */
    static final String ROOT_MODULES = "tether.cli,tether.unix,tether.windows,org.tinylog.impl";

    /**
     * JNA is published as an automatic module, which jlink refuses. This descriptor makes it explicit;
     * {@code java.desktop} stays optional, because the image must not need AWT (19 MB and X11 libraries).
     */
    static final String JNA_DESCRIPTOR = """
            module com.sun.jna {
                requires java.logging;
                requires static java.desktop;
                exports com.sun.jna;
                exports com.sun.jna.ptr;
                exports com.sun.jna.win32;
            }
            """;

    public static void main(String[] args) throws Exception {
        Path modules = Path.of(args[0]);
        Path template = Path.of(args[1]);
        Path image = Path.of(args[2]);
        Path work = image.resolveSibling("image-work");
        deleteTree(work);
        deleteTree(image);
        Files.createDirectories(work);

        Path jna = single(modules, "jna-");
        Path dispatch = extractDispatchLibrary(jna, work);
        addDescriptor(jna, work);
        run("jlink", "--module-path", modules.toString(), "--add-modules", ROOT_MODULES,
                "--output", image.toString(),
                "--strip-debug", "--no-header-files", "--no-man-pages", "--compress=zip-6",
                "--add-options=" + String.join(" ", jvmOptions()));
        Files.copy(dispatch, image.resolve(isWindows() ? "bin" : "lib").resolve(dispatch.getFileName()));
        // On Windows the launcher is jpackage's tether.exe, made from this image (jlink/packaging/windows):
        // a batch file cannot pass arguments through unchanged, and cmd.exe asks "Terminate batch job?" after
        // every Ctrl-C.
        if (!isWindows()) {
            compileLauncher(template.resolve("unix/launcher/tether.c"), image.resolve("bin/tether"));
        }
        if (isLinux()) {
            compileSpawnHelper(template.resolve("linux/spawn/tether-spawn.c"), image.resolve("lib/tether-spawn"));
        }
        trainAotCache(image, work);
        deleteTree(work);
    }

    /**
     * Runs tether once on the path a supervised server takes (spawn, watch, its directory removed, teardown
     * of the group, the command's exit) and keeps what the JVM loaded, linked and profiled in an AOT cache,
     * which the launcher passes with {@code -XX:AOTCache}. This halves start-up and shortens the first
     * teardown; the cache survives moving the image.
     */
    static void trainAotCache(Path image, Path work) throws IOException, InterruptedException {
        Path cache = image.resolve(AOT_CACHE);
        // The watched folder is not the working directory: the JVM that writes the cache inherits that.
        Path watched = Files.createDirectories(work.resolve("worktree"));
        List<String> command = new ArrayList<>(List.of(image.resolve("bin").resolve("java").toString(),
                "-XX:AOTCacheOutput=" + cache, "-m", "tether.cli/tether.cli.Main", "--poll", "10ms",
                "--watch", watched.toString(), "--"));
        command.addAll(isWindows() ? List.of("cmd.exe", "/c", "rmdir worktree && ping -n 3 127.0.0.1 >nul")
                : List.of("sh", "-c", "sleep 30 & rmdir worktree && wait"));
        // The JVM reports each step of writing the cache; a quiet build shows that only when it failed.
        Path log = work.resolve("training.log");
        Process training = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        int status = training.waitFor();
        if (!Files.exists(cache)) {
            throw new IllegalStateException("AOT cache training wrote no cache; it ended with status " + status
                    + ":\n" + Files.readString(log));
        }
    }

    /**
     * JNA's native library for this OS and CPU, from the folder JNA names after them, under the name JNA
     * looks for in {@code jna.boot.library.path} (on macOS JNA ships a {@code .jnilib}).
     */
    static Path extractDispatchLibrary(Path jna, Path work) throws IOException {
        String name = System.mapLibraryName("jnidispatch").replace(".dylib", ".jnilib");
        String entry = "com/sun/jna/" + jnaPlatformFolder() + "/" + name;
        try (JarFile jar = new JarFile(jna.toFile())) {
            if (jar.getEntry(entry) == null) {
                throw new IllegalStateException(jna + " has no " + entry);
            }
            Path target = work.resolve(name);
            try (InputStream in = jar.getInputStream(jar.getEntry(entry))) {
                Files.copy(in, target);
            }
            return target;
        }
    }

    static String jnaPlatformFolder() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> "x86-64";
            case "aarch64" -> "aarch64";
            default -> System.getProperty("os.arch");
        };
        if (os.startsWith("mac")) {
            return "darwin-" + arch;
        }
        return (os.startsWith("windows") ? "win32-" : "linux-") + arch;
    }

    static void addDescriptor(Path jna, Path work) throws IOException {
        Path source = work.resolve("jna-descriptor/module-info.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, JNA_DESCRIPTOR);
        Path classes = work.resolve("jna-descriptor/classes");
        run("javac", "--release", String.valueOf(Runtime.version().feature()),
                "--patch-module", "com.sun.jna=" + jna, "-d", classes.toString(), source.toString());
        run("jar", "--update", "--file", jna.toString(), "-C", classes.toString(), "module-info.class");
    }

    /**
     * The Unix launcher is a small C program (its header says why), built for the OS and CPU the image is
     * built on, with the C compiler named by {@code CC} (split on spaces, as make does), else {@code cc}. It
     * starts the JVM through JNI, with the headers of the JDK that builds the image, which is the image's.
     */
    static void compileLauncher(Path source, Path target) throws IOException, InterruptedException {
        List<String> command = compiler();
        Path headers = Path.of(System.getProperty("java.home"), "include");
        String platformHeaders = System.getProperty("os.name").startsWith("Mac") ? "darwin" : "linux";
        // -rdynamic exports the launcher's _exit, which takes libc's place for the JVM (see the launcher).
        command.addAll(List.of("-std=c11", "-O2", "-Wall", "-Wextra", "-pthread", "-rdynamic",
                "-I" + headers, "-I" + headers.resolve(platformHeaders),
                "-o", target.toString(), source.toString(), "-ldl"));
        compile(command, target);
    }

    /** The C compiler named by {@code CC} (split on spaces, as make does), else {@code cc}. */
    private static List<String> compiler() {
        String cc = System.getenv("CC");
        return new ArrayList<>(cc == null || cc.isBlank() ? List.of("cc") : List.of(cc.strip().split("\\s+")));
    }

    private static void compile(List<String> command, Path target) throws IOException, InterruptedException {
        Process compiler;
        try {
            compiler = new ProcessBuilder(command).inheritIO().start();
        } catch (IOException e) {
            throw new IllegalStateException("no C compiler to build " + image(target) + ": cannot run '"
                    + command.getFirst() + "' (" + e.getMessage()
                    + "); install one (on Debian: apt-get install gcc) or name it in CC", e);
        }
        int status = compiler.waitFor();
        if (status != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed with status " + status);
        }
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** {@code target} as the image names it, such as bin/tether. */
    private static String image(Path target) {
        return target.getParent().getFileName() + "/" + target.getFileName();
    }

    /**
     * Linux's {@code lib/tether-spawn}, which starts COMMAND inside its cgroup (its header says why), built
     * with the launcher's compiler.
     */
    static void compileSpawnHelper(Path source, Path target) throws IOException, InterruptedException {
        List<String> command = compiler();
        command.addAll(List.of("-std=c11", "-O2", "-Wall", "-Wextra", "-o", target.toString(), source.toString()));
        compile(command, target);
    }

    static Path single(Path folder, String prefix) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            List<Path> matches = files.filter(f -> f.getFileName().toString().startsWith(prefix)).toList();
            if (matches.size() != 1) {
                throw new IllegalStateException("expected one " + prefix + "*.jar in " + folder + ", found " + matches);
            }
            return matches.getFirst();
        }
    }

    static void run(String tool, String... args) {
        ToolProvider provider = ToolProvider.findFirst(tool)
                .orElseThrow(() -> new IllegalStateException("this JDK has no " + tool));
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int status = provider.run(out, err, args);
        if (status != 0) {
            throw new IllegalStateException(tool + " " + String.join(" ", args) + " failed with " + status);
        }
    }

    /**
     * The JVM options for the OS and CPU the image is built on (JvmOptions.java beside this file, which the
     * java launcher compiles with it), baked in so that the launcher passes none.
     */
    static List<String> jvmOptions() {
        return JvmOptions.of(JvmOptions.platform(System.getProperty("os.name"), System.getProperty("os.arch")));
    }

    static boolean isLinux() {
        return System.getProperty("os.name").equals("Linux");
    }

    static boolean isWindows() {
        return System.getProperty("os.name").startsWith("Windows");
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            List<Path> all = new ArrayList<>(paths.toList());
            java.util.Collections.reverse(all);
            for (Path p : all) {
                Files.delete(p);
            }
        }
    }
}
