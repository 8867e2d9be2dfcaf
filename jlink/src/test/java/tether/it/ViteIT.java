package tether.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tether.testkit.Procs;
import tether.testkit.RequiresTools;

/**
 * A real Vite 7 dev server, which starts an {@code esbuild --service} sidecar, in a git worktree, started by
 * the README's worktrunk pipeline. Needs the npm registry: runs in the Maven profile {@code npm}, and is tagged
 * {@code npm}, which {@code .ci/run} runs; installs vite@7 once into {@code ~/.cache/tether-it/vite7}.
 */
@Tag("npm")
@RequiresTools(value = {"npm", "node", "script"}, why = "installs and runs Vite, on a terminal for the README's session")
class ViteIT extends LauncherTest {

    static final Path CACHE = Path.of(System.getProperty("user.home"), ".cache", "tether-it", "vite7");

    @BeforeAll
    static void installVite() throws Exception {
        if (Files.isDirectory(CACHE.resolve("node_modules/vite"))) {
            return;
        }
        Files.createDirectories(CACHE);
        Files.writeString(CACHE.resolve("package.json"), "{\"name\":\"cache\",\"private\":true}\n");
        Process npm = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "vite@7")
                .directory(CACHE.toFile()).inheritIO().start();
        assertEquals(0, npm.waitFor(), "npm install vite@7");
    }

    /** A Vite app's files in {@code dir}; its node_modules, ignored by git, are the cached ones. */
    static void app(Path dir) throws IOException {
        Files.writeString(dir.resolve("package.json"), "{\"name\":\"app\",\"private\":true,\"scripts\":{\"dev\":\"vite\"}}\n");
        Files.writeString(dir.resolve("index.html"), "<!doctype html><script type=\"module\" src=\"/main.js\"></script>\n");
        Files.writeString(dir.resolve("main.js"), "console.log('app')\n");
        Files.writeString(dir.resolve(".gitignore"), "node_modules\n");
        modules(dir);
    }

    static void modules(Path dir) throws IOException {
        Files.createSymbolicLink(dir.resolve("node_modules"), CACHE.resolve("node_modules"));
    }

    static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    List<Long> marked() {
        return Procs.withEnvironment(MARK_VARIABLE + "=" + mark).stream().filter(Procs::isAlive).toList();
    }

    boolean esbuildRunning() {
        return marked().stream().anyMatch(pid -> Procs.cmdline(pid).contains("esbuild"));
    }

    /**
     * The server step of the README's worktrunk pipeline in a worktree of a Vite project: it returns once Vite
     * listens; the worktree is removed without --force.
     */
    @Test
    void theDevServerAndItsEsbuildSidecarDieWithTheWorktree() throws Exception {
        Path repo = Files.createDirectory(temp.resolve("repo"));
        run(repo, "git", "init", "-q", "-b", "main");
        app(repo);
        run(repo, "git", "add", ".");
        run(repo, "git", "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "app");
        Path worktree = temp.resolve("vite");
        run(repo, "git", "worktree", "add", "-q", worktree.toString());
        modules(worktree);
        Path bin = Files.createDirectory(temp.resolve("bin"));
        Files.createSymbolicLink(bin.resolve("tether"), LAUNCHER.toAbsolutePath());
        int port = freePort();
        TetherRun hook = start(worktree, List.of("sh", "-c", RecipesIT.pipelineStep("server", port)),
                env -> env.put("PATH", bin + ":" + env.get("PATH")));
        assertEquals(0, hook.awaitExit(DEADLINE.multipliedBy(3)), hook.stderr());
        assertTrue(listening(port), "the step returned before Vite listened: " + hook.stderr());
        System.out.println("vite " + hook.stderr().strip());
        Procs.await(this::esbuildRunning, DEADLINE, "esbuild to run");
        long removed = System.nanoTime();
        run(repo, "git", "worktree", "remove", worktree.toString());
        Procs.await(() -> marked().isEmpty() && !listening(port), DEADLINE, "every process gone and the port free");
        long millis = (System.nanoTime() - removed) / 1_000_000;
        System.out.println("vite worktree removed: no node, npm, sh or esbuild left and port free after " + millis + " ms");
    }

    /**
     * The README's "Two worktrees, one port", as its session shows it: the README's git hook in ~/src/shop, whose
     * dev script is Vite on one port; the first worktree's hook returns once Vite listens, the second's fails
     * with Vite's own last words and npm's status. Vite's packages are found from ~/src, above every worktree, as
     * npm finds a parent's node_modules.
     */
    @Test
    void twoWorktreesOnePortAsTheReadmeShowsThem() throws Exception {
        Path home = temp.resolve("home");
        Path shop = Files.createDirectories(home.resolve("src/shop"));
        modules(shop.getParent());
        int port = freePort();
        Files.writeString(shop.resolve("package.json"), "{\"name\":\"shop\",\"private\":true,\"scripts\":{\"dev\":"
                + "\"vite --port " + port + " --strictPort\"}}\n");
        Files.writeString(shop.resolve("index.html"), "<!doctype html><script type=\"module\" src=\"/main.js\"></script>\n");
        Files.writeString(shop.resolve("main.js"), "console.log('shop')\n");
        Files.writeString(shop.resolve(".gitignore"), "node_modules\n");
        Path bin = Files.createDirectory(temp.resolve("bin"));
        Files.createSymbolicLink(bin.resolve("tether"), LAUNCHER.toAbsolutePath());
        Map<String, String> environment = markedEnvironment();
        environment.put("PATH", bin + ":" + environment.get("PATH"));
        environment.put("HOME", home.toString());
        RecipesIT.Terminal terminal = (directory, command) -> RecipesIT.run(directory,
                List.of("script", "-qfec", "stty cols 80 rows 24; " + command, "/dev/null"), environment);
        for (List<String> git : List.of(List.of("git", "init", "-q", "-b", "main"), List.of("git", "add", "."),
                List.of("git", "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "shop"))) {
            assertEquals(0, RecipesIT.run(shop, git, environment).status(), git.toString());
        }
        Path hook = shop.resolve(".git/hooks/post-checkout");
        Files.writeString(hook, RecipesIT.block("sh", "#!/bin/sh"));
        Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));

        RecipesIT.session(RecipesIT.block("text", "$ cd ~/src/shop\n$ git worktree add ../shop-checkout"), home,
                terminal, command -> {});
        assertTrue(listening(port), "the first worktree's Vite");
        for (String worktree : List.of("../shop-checkout", "../shop-search")) {
            assertEquals(0, RecipesIT.run(shop, List.of("git", "worktree", "remove", worktree), environment).status(),
                    worktree);
        }
        Procs.await(() -> marked().isEmpty() && !listening(port), DEADLINE, "every process gone and the port free");
    }

    /** What a naive wrapper does: kill npm only. The server and the sidecar live on and hold the port. */
    @Test
    void killingOnlyNpmWouldHaveLeakedThem() throws Exception {
        Path dir = Files.createDirectory(temp.resolve("naive"));
        app(dir);
        int port = freePort();
        TetherRun npm = start(dir, List.of("npm", "run", "dev", "--", "--port", String.valueOf(port), "--strictPort"));
        Procs.await(() -> listening(port) && esbuildRunning(), DEADLINE.multipliedBy(3), "vite and esbuild to run");
        Procs.kill(npm.pid(), "KILL");
        npm.awaitExit(DEADLINE);
        Thread.sleep(1_000); // the time tether would have needed; nothing is expected to happen in it
        assertTrue(listening(port), "the port is still held");
        assertTrue(esbuildRunning(), "esbuild still runs");
        // the leftovers are killed by pid after the test, like any test's
    }
}
