package tether.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import tether.testkit.Commands;

/**
 * jlink/packaging/macos/build-pkg.sh and the postinstall script it packages, run here with a stand-in for
 * macOS's pkgbuild, so that what the package holds and the links the script makes are checked on every
 * build; the workflow installs the real package on macOS.
 *
 * <p>The stand-in is as strict as pkgbuild(1) on what this script uses: a component package from
 * {@code --root} (an existing folder) to an absolute {@code --install-location}, with {@code --scripts} (a
 * folder whose postinstall is executable), {@code --identifier}, {@code --version}, {@code --ownership}
 * (recommended, preserve or preserve-other), each once, and the output path last. It "builds" by copying the
 * root and the scripts beside the output, and writing what it was told into the output.
 */
class MacPackageIT extends LauncherTest {

    static final Path PACKAGING = Path.of("packaging/macos").toAbsolutePath();
    static final Path IMAGE = LAUNCHER.toAbsolutePath().getParent().getParent();
    static final Path DOCS = IMAGE.getParent().resolve("docs");

    static final String STAND_IN = """
            #!/bin/sh
            set -eu
            fail() { echo "pkgbuild: $*" >&2; exit 1; }
            root= location= scripts= identifier= version= ownership=
            while [ $# -gt 1 ]; do
                case $1 in
                    --root) [ -z "$root" ] || fail "--root twice"; root=$2 ;;
                    --install-location) [ -z "$location" ] || fail "--install-location twice"; location=$2 ;;
                    --scripts) [ -z "$scripts" ] || fail "--scripts twice"; scripts=$2 ;;
                    --identifier) [ -z "$identifier" ] || fail "--identifier twice"; identifier=$2 ;;
                    --version) [ -z "$version" ] || fail "--version twice"; version=$2 ;;
                    --ownership) [ -z "$ownership" ] || fail "--ownership twice"; ownership=$2 ;;
                    *) fail "unknown option $1" ;;
                esac
                shift 2
            done
            [ $# -eq 1 ] || fail "no output path"
            output=$1
            [ -d "$root" ] || fail "--root $root is no folder"
            case $location in /*) ;; *) fail "--install-location $location is not absolute" ;; esac
            [ -x "$scripts/postinstall" ] || fail "no executable postinstall in --scripts $scripts"
            [ -n "$identifier" ] && [ -n "$version" ] || fail "no identifier or version"
            case $ownership in recommended|preserve|preserve-other) ;; *) fail "--ownership $ownership" ;; esac
            cp -RPp "$root" "$output.payload"
            cp -RPp "$scripts" "$output.scripts"
            printf '%s\\n' "$identifier" "$version" "$location" > "$output"
            """;

    @Test
    void thePackageHoldsTheImageAndItsPostinstallLinksItIntoUsrLocal() throws Exception {
        Path bin = Files.createDirectory(temp.resolve("bin"));
        Path pkgbuild = Files.writeString(bin.resolve("pkgbuild"), STAND_IN);
        Files.setPosixFilePermissions(pkgbuild, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path pkg = temp.resolve("tether-0.1.0.pkg");
        Commands.ok(temp, "env", "PATH=" + bin + ":" + System.getenv("PATH"), "sh",
                PACKAGING.resolve("build-pkg.sh").toString(), IMAGE.toString(), DOCS.toString(), "0.1.0", pkg.toString());
        assertEquals(List.of("dev.tether", "0.1.0", "/usr/local/lib/tether"), Files.readAllLines(pkg));

        // Installer puts the payload at the install location on the target volume, then runs postinstall
        // with the package, the install location and the volume.
        Path volume = Files.createDirectory(temp.resolve("volume"));
        Path lib = volume.resolve("usr/local/lib/tether");
        Files.createDirectories(lib.getParent());
        run(temp, "cp", "-RPp", pkg + ".payload", lib.toString());
        run(temp, pkg + ".scripts/postinstall", pkg.toString(), "/usr/local/lib/tether", volume + "/");

        for (String line : Files.readAllLines(PACKAGING.resolve("links"))) {
            String[] fileAndLink = line.split(" ");
            Path link = volume.resolve(fileAndLink[1].substring(1));
            assertTrue(Files.isSymbolicLink(link), link.toString());
            assertEquals("/usr/local/lib/tether/" + fileAndLink[0], Files.readSymbolicLink(link).toString());
            assertTrue(Files.isRegularFile(lib.resolve(fileAndLink[0])), fileAndLink[0] + " is in the package");
        }
        assertTrue(Files.isExecutable(lib.resolve("share/tether/uninstall")));
        assertTrue(Files.isRegularFile(lib.resolve("lib/tether.aot")));

        // The copied image still runs: modes and the image's own links survived the staging.
        TetherRun installed = start(temp, List.of(lib.resolve("bin/tether").toString(), "--", "sh", "-c", "exit 3"));
        assertEquals(3, installed.awaitExit(DEADLINE), installed.stderr());
    }

    @Test
    void theScriptsAreValidShell() throws IOException {
        for (Path script : List.of(PACKAGING.resolve("build-pkg.sh"), PACKAGING.resolve("scripts/postinstall"),
                PACKAGING.resolve("uninstall"))) {
            assertTrue(Files.isExecutable(script), script.toString());
            run(temp, "sh", "-n", script.toString());
        }
    }
}
