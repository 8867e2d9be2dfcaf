package tether.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import tether.testkit.Procs;
import tether.testkit.RequiresTools;

/**
 * The README's recipes, run as the README writes them: the worktrunk line, the git hook, and the session
 * of its "Many worktrees" block, whose commands run on a terminal 80 columns wide and must print what the
 * README shows (pids, ports and times aside). The recipes are read from README.md, so that they cannot drift
 * from what works.
 *
 * <p>Their project is a small Node server whose {@code dev} script takes {@code --port} as Vite's does, so
 * that {@code npm run dev} runs npm, sh and node as it does in a real project; {@code ViteIT} runs the same
 * line with a real Vite. The server writes the port it listens on into {@link #PORTS}, outside the
 * worktrees, which must stay clean for {@code git worktree remove}.
 */
@EnabledOnOs(value = OS.LINUX, disabledReason = "--list reads /proc, and script -qfec is util-linux's")
@RequiresTools(value = {"npm", "node", "script"}, why = "the recipes run npm run dev on a terminal")
class RecipesIT extends LauncherTest {

    static final Path README = PackageIT.TARGET.getParent().getParent().resolve("README.md");

    static final String SERVER = """
            const http = require('http');
            const at = process.argv.indexOf('--port');
            const server = http.createServer((request, response) => response.end('ok\\n'));
            server.listen(at < 0 ? 0 : Number(process.argv[at + 1]), '127.0.0.1', () =>
                require('fs').appendFileSync(process.env.PORTS, server.address().port + '\\n'));
            """;

    Path home() {
        return temp.resolve("home");
    }

    Path ports() {
        return temp.resolve("ports");
    }

    /**
     * The README's environment: tether on PATH (a link to the built launcher, as the .deb installs it), HOME
     * for {@code ~}, and where the test servers write their ports.
     */
    Map<String, String> environment() {
        Map<String, String> environment = new LinkedHashMap<>(markedEnvironment());
        environment.put("PATH", temp.resolve("bin") + ":" + System.getenv("PATH"));
        environment.put("HOME", home().toString());
        environment.put("PORTS", ports().toString());
        environment.put("SHELL", "/bin/sh");
        return environment;
    }

    /** A repository at ~/src/shop whose one commit holds the server and its {@code dev} script. */
    Path project() throws IOException {
        Files.createDirectories(temp.resolve("bin"));
        Files.createSymbolicLink(temp.resolve("bin/tether"), LAUNCHER.toAbsolutePath());
        Path shop = Files.createDirectories(home().resolve("src/shop"));
        Files.writeString(shop.resolve("server.js"), SERVER);
        Files.writeString(shop.resolve("package.json"),
                "{\"name\": \"shop\", \"private\": true, \"scripts\": {\"dev\": \"node server.js\"}}\n");
        git(shop, "init", "-q", "-b", "main");
        git(shop, "add", ".");
        git(shop, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "shop");
        return shop;
    }

    /** The README's post-checkout hook, installed as it says. */
    void installHook(Path repository) throws IOException {
        Path hook = repository.resolve(".git/hooks/post-checkout");
        Files.writeString(hook, block("sh", "#!/bin/sh"));
        Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** Runs {@code command} in {@code directory} with the README's environment; its status and output. */
    Result run(Path directory, List<String> command) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
            builder.environment().clear();
            builder.environment().putAll(environment());
            Process process = builder.start();
            process.getOutputStream().close();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(command + " still running after " + DEADLINE);
            }
            return new Result(process.exitValue(), new String(output, UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    record Result(int status, String output) {}

    void git(Path directory, String... args) {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        Result result = run(directory, command);
        assertEquals(0, result.status(), () -> command + ": " + result.output());
    }

    /** Waits until the servers have written {@code count} ports, and returns them. */
    List<Integer> awaitPorts(int count) {
        Procs.await(() -> lines(ports()).size() >= count, DEADLINE, () -> count + " servers to listen; ports: "
                + lines(ports()) + ", processes: " + markedAlive());
        return lines(ports()).stream().map(Integer::parseInt).toList();
    }

    /** The fenced block of README.md in {@code language} whose text starts with {@code start}. */
    static String block(String language, String start) {
        try {
            String readme = Files.readString(README);
            String fence = "```" + language + "\n";
            for (int at = readme.indexOf(fence); at >= 0; at = readme.indexOf(fence, at + 1)) {
                int body = at + fence.length();
                if (readme.startsWith(start, body)) {
                    return readme.substring(body, readme.indexOf("```\n", body));
                }
            }
            throw new AssertionError("README.md has no ```" + language + " block starting " + start);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The README's worktrunk hook line, with the port worktrunk's template would give the branch. */
    static String worktrunkLine(int port) {
        String toml = block("toml", "[post-start]");
        java.util.regex.Matcher server = Pattern.compile("(?m)^server = \"(.*)\"$").matcher(toml);
        assertTrue(server.find(), toml);
        assertTrue(server.group(1).contains("{{ branch | hash_port }}"), server.group(1));
        return server.group(1).replace("{{ branch | hash_port }}", String.valueOf(port));
    }

    @Test
    void theWorktrunkLineRunsAServerThatEndsWithItsWorktree() throws Exception {
        int port = freePort();
        String line = worktrunkLine(port);
        Path shop = project();
        git(shop, "worktree", "add", "-q", "../feature");
        Path feature = home().resolve("src/feature");

        // worktrunk runs the hook with sh in the new worktree, in the background, its output in a log.
        Map<String, String> environment = environment();
        TetherRun hook = start(feature, List.of("sh", "-c", line), env -> {
            env.clear();
            env.putAll(environment);
        });
        assertEquals(List.of(port), awaitPorts(1));

        git(shop, "worktree", "remove", "../feature");
        assertEquals(0, hook.awaitExit(DEADLINE), hook.stderr());
        Procs.await(() -> markedAlive().isEmpty(), DEADLINE, () -> "the server to die with the worktree: "
                + markedAlive());
    }

    @Test
    void theGitHookStartsAServerThatGitWorktreeRemoveStopsWithoutForce() throws Exception {
        Path shop = project();
        installHook(shop);
        Result add = run(shop, List.of("sh", "-c", "git worktree add -q ../feature | cat"));
        assertEquals(0, add.status(), add.output());
        assertEquals("", add.output());
        awaitPorts(1);
        Path log = shop.resolve(".git/worktrees/feature/dev-server.log");
        assertTrue(Files.isRegularFile(log), "the log in the worktree's own directory in .git");
        Result status = run(home().resolve("src/feature"), List.of("git", "status", "--porcelain"));
        assertEquals(new Result(0, ""), status, "the worktree stays clean");

        git(shop, "worktree", "remove", "../feature");
        Procs.await(() -> markedAlive().isEmpty(), DEADLINE, () -> "the server and its tether to end: "
                + markedAlive());
        assertTrue(!Files.exists(log.getParent()), "git worktree remove took the log with the worktree");
    }

    /**
     * The "Many worktrees" block: each {@code $} line runs on its own terminal, 80 columns wide, from the
     * directory the block has moved to, and prints the lines below it, with any pid, port and time.
     */
    @Test
    void manyWorktreesAsTheReadmeShowsThem() throws Exception {
        Path shop = project();
        installHook(shop);
        Path directory = home();
        String session = block("text", "$ cd ~/src/shop");
        List<String> lines = session.lines().toList();
        int servers = 0;
        for (int i = 0; i < lines.size(); i++) {
            String command = lines.get(i).substring(2);
            List<String> expected = new ArrayList<>();
            while (i + 1 < lines.size() && !lines.get(i + 1).startsWith("$ ")) {
                expected.add(lines.get(++i));
            }
            if (command.startsWith("cd ")) {
                directory = home().resolve(command.substring(3).replace("~/", ""));
                continue;
            }
            Result result = run(directory, List.of("script", "-qfec", "stty cols 80 rows 24; " + command, "/dev/null"));
            List<String> printed = result.output().replace("\r", "").lines().toList();
            assertEquals(0, result.status(), command + ": " + result.output());
            assertEquals(expected.size(), printed.size(), () -> command + " printed\n" + result.output());
            for (int l = 0; l < printed.size(); l++) {
                String line = printed.get(l);
                assertTrue(pattern(expected.get(l)).matcher(line).matches(),
                        "'" + command + "' printed\n" + line + "\nwhere the README shows\n" + expected.get(l));
                assertTrue(line.codePointCount(0, line.length()) <= 80, line);
            }
            if (command.startsWith("git worktree add")) {
                servers += (command.length() - command.replace("worktree add", "").length()) / "worktree add".length();
                awaitPorts(servers);
            }
        }
        assertEquals(2, servers, "the block adds two worktrees");
    }

    /**
     * A line the README shows as a pattern: words as they are, with runs of spaces between; a number (a pid,
     * a port, a count), a list of them or a time stands for any; a path cut at its start ({@code …}) for any
     * path that ends the same way; the CGROUP column's {@code yes} for {@code -} too, since whether a tree
     * gets a cgroup depends on the machine and the user (docs/usage.md).
     */
    static Pattern pattern(String line) {
        StringBuilder regex = new StringBuilder(" *");
        String[] words = line.strip().split(" +");
        for (int w = 0; w < words.length; w++) {
            String word = words[w];
            regex.append(w == 0 ? "" : " +");
            if (word.matches("\\d+(,\\d+)*")) {
                regex.append("\\d+(,\\d+)*");
            } else if (word.matches("\\d+[smhd](\\d\\d[mh])?")) {
                regex.append("\\d+[smhd](\\d\\d[mh])?");
            } else if (word.equals("yes")) {
                regex.append("(yes|-)");
            } else if (word.startsWith("…")) {
                regex.append("\\S*").append(Pattern.quote(word.substring(word.lastIndexOf('/'))));
            } else {
                regex.append(Pattern.quote(word));
            }
        }
        return Pattern.compile(regex.toString());
    }
}
