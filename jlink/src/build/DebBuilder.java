import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * Packages the runtime image as a Debian package:
 * {@code java DebBuilder.java IMAGE DOCS PACKAGING VERSION OUTPUT.deb}.
 *
 * <p>{@code usr/bin/tether} is a symbolic link to the image's own launcher, {@code bin/tether}, not jpackage's
 * native launcher, which asks {@code dpkg -S} which package it belongs to on every start (90-120 ms).
 * Skipped, with a message, where {@code dpkg-deb} is missing.
 */
public class DebBuilder {

    public static void main(String[] args) throws Exception {
        Path image = Path.of(args[0]);
        Path docs = Path.of(args[1]);
        Path packaging = Path.of(args[2]);
        String version = args[3];
        Path deb = Path.of(args[4]);
        if (!onPath("dpkg-deb")) {
            System.out.println("DebBuilder: no dpkg-deb on PATH, so no " + deb.getFileName());
            return;
        }
        Path root = deb.resolveSibling("deb-root");
        ImageBuilder.deleteTree(root);
        Path lib = root.resolve("usr/lib/tether");
        copyTree(image, lib);
        Path bin = Files.createDirectories(root.resolve("usr/bin"));
        Files.createSymbolicLink(bin.resolve("tether"), Path.of("../lib/tether/bin/tether"));
        gzip(docs.resolve("tether.1"), root.resolve("usr/share/man/man1/tether.1.gz"));
        copy(docs.resolve("tether.bash"), root.resolve("usr/share/bash-completion/completions/tether"));
        copy(docs.resolve("_tether"), root.resolve("usr/share/zsh/vendor-completions/_tether"));
        copy(docs.resolve("tether.fish"), root.resolve("usr/share/fish/vendor_completions.d/tether.fish"));
        copy(packaging.resolve("copyright"), root.resolve("usr/share/doc/tether/copyright"));

        String control = Files.readString(packaging.resolve("deb/control"))
                .replace("@VERSION@", version)
                .replace("@ARCHITECTURE@", run("dpkg", "--print-architecture").strip())
                .replace("@INSTALLED_SIZE@", String.valueOf(kibibytes(root)));
        Path debian = Files.createDirectories(root.resolve("DEBIAN"));
        Files.writeString(debian.resolve("control"), control);

        Files.deleteIfExists(deb);
        run("dpkg-deb", "--root-owner-group", "-Zxz", "--build", root.toString(), deb.toString());
        ImageBuilder.deleteTree(root);
    }

    static boolean onPath(String command) {
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.of(path.split(":")).anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        Files.copy(from, to);
    }

    static void gzip(Path from, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(to))) {
            Files.copy(from, out);
        }
    }

    static long kibibytes(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            long bytes = 0;
            for (Path path : paths.filter(Files::isRegularFile).toList()) {
                bytes += Files.size(path);
            }
            return (bytes + 1023) / 1024;
        }
    }

    static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
        return output;
    }
}
