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
 * The README's recipes, run as the README writes them: the worktrunk line and pipeline, the git hook, the
 * session of its "Many worktrees" block, whose commands run on a terminal 80 columns wide and must print what
 * the README shows (pids, ports, memory and times aside), and the two ways to end what no tether holds before
 * a worktree is removed. The recipes are read from README.md, so that they cannot drift from what works. The
 * session of "Two worktrees, one port" shows a real Vite's words, so {@code ViteIT} runs it, through
 * {@link #session}.
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

    /** The project's end-to-end tests: one GET of the base URL, which must answer 200. */
    static final String E2E = """
            const url = new URL(process.argv[process.argv.indexOf('--base-url') + 1]);
            require('http').get({host: '127.0.0.1', port: url.port, path: url.pathname}, response =>
                process.exit(response.statusCode === 200 ? 0 : 1)).on('error', () => process.exit(2));
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
        Files.writeString(shop.resolve("e2e.js"), E2E);
        Files.writeString(shop.resolve("package.json"), "{\"name\": \"shop\", \"private\": true, \"scripts\": "
                + "{\"dev\": \"node server.js\", \"test:e2e\": \"node e2e.js\"}}\n");
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
        return run(directory, command, environment());
    }

    /** Runs {@code command} in {@code directory} with exactly {@code environment}; its status and output. */
    static Result run(Path directory, List<String> command, Map<String, String> environment) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
            builder.environment().clear();
            builder.environment().putAll(environment);
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

    /**
     * The command of the step named {@code name} of the README's worktrunk pipeline, the TOML string's escaped
     * quotes undone, with the port worktrunk's template would give the branch.
     */
    static String pipelineStep(String name, int port) {
        String toml = block("toml", "[[post-start]]");
        java.util.regex.Matcher step = Pattern.compile("(?m)^" + name + " = \"((?:[^\"\\\\]|\\\\.)*)\"$").matcher(toml);
        assertTrue(step.find(), toml);
        return step.group(1).replace("\\\"", "\"").replace("{{ branch | hash_port }}", String.valueOf(port));
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

    /** The README's worktrunk pre-remove line. */
    static String preRemoveLine() {
        String toml = block("toml", "[pre-remove]");
        java.util.regex.Matcher reap = Pattern.compile("(?m)^reap = \"(.*)\"$").matcher(toml);
        assertTrue(reap.find(), toml);
        return reap.group(1);
    }

    /** {@code npm run dev} started by hand in {@code worktree}, in a session of its own: no tether holds it. */
    TetherRun byHand(Path worktree) {
        Map<String, String> environment = environment();
        return start(worktree, List.of("npm", "run", "dev"), env -> {
            env.clear();
            env.putAll(environment);
        });
    }

    /**
     * "Before a worktree is removed": worktrunk's pre-remove line, run as worktrunk runs it (with sh, in the
     * worktree to be removed), ends a server started there by hand, its whole tree; then the git alias,
     * installed as the README writes it, ends another one's and removes its worktree.
     */
    @Test
    void beforeARemovalTheRecipesEndWhatNoTetherHolds() throws Exception {
        Path shop = project();
        git(shop, "worktree", "add", "-q", "../feature");
        Path feature = home().resolve("src/feature");
        byHand(feature);
        awaitPorts(1);
        Procs.await(() -> markedAlive().size() >= 3, DEADLINE, () -> "npm, sh and node: " + markedAlive());

        Result reaped = run(feature, List.of("sh", "-c", preRemoveLine()));
        assertEquals(0, reaped.status(), reaped.output());
        assertTrue(reaped.output().matches("ended \\d+ \\('npm run dev' in \\., 3 processes\\)\n"), reaped.output());
        Procs.await(() -> markedAlive().isEmpty(), DEADLINE, () -> "the server to have ended: " + markedAlive());
        git(shop, "worktree", "remove", "../feature");

        Result installed = run(shop, List.of("sh", "-c", block("sh", "git config --global alias.wtrm")));
        assertEquals(new Result(0, ""), installed);
        git(shop, "worktree", "add", "-q", "../other");
        byHand(home().resolve("src/other"));
        awaitPorts(2);
        Procs.await(() -> markedAlive().size() >= 3, DEADLINE, () -> "npm, sh and node: " + markedAlive());
        Result removed = run(shop, List.of("git", "wtrm", "../other"));
        assertEquals(0, removed.status(), removed.output());
        assertTrue(removed.output().matches("ended \\d+ \\('npm run dev' in \\.\\./other, 3 processes\\)\n"),
                removed.output());
        assertTrue(!Files.exists(home().resolve("src/other")), "the worktree is removed");
        Procs.await(() -> markedAlive().isEmpty(), DEADLINE, () -> "the server to have ended: " + markedAlive());
    }

    /**
     * The hook returns once its server listens, says on which port, and leaves the worktree clean: its log is
     * in the worktree's own directory in .git, which git worktree remove takes with it.
     */
    @Test
    void theGitHookStartsAServerThatGitWorktreeRemoveStopsWithoutForce() throws Exception {
        Path shop = project();
        installHook(shop);
        Result add = run(shop, List.of("sh", "-c", "git worktree add -q ../feature | cat"));
        assertEquals(0, add.status(), add.output());
        java.util.regex.Matcher ready = Pattern.compile("tether: INFO: ready after [0-9.]+m?s: port ([0-9]+) listening\n")
                .matcher(add.output());
        assertTrue(ready.matches(), add.output());
        int port = Integer.parseInt(ready.group(1));
        assertTrue(ViteIT.listening(port), "the hook returned before its server listened on " + port);
        assertEquals(List.of(port), awaitPorts(1));
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
     * The worktrunk pipeline, each step run as worktrunk runs it (with sh, in the new worktree, in order): the
     * server's step returns once the server listens, so the e2e step finds it answering; the worktree is
     * removed without --force, and the server with it.
     */
    @Test
    void theWorktrunkPipelineRunsItsTestsOnceTheServerListens() throws Exception {
        int port = freePort();
        Path shop = project();
        git(shop, "worktree", "add", "-q", "../feature");
        Path feature = home().resolve("src/feature");

        Result server = run(feature, List.of("sh", "-c", pipelineStep("server", port)));
        assertEquals(0, server.status(), server.output());
        assertTrue(server.output().matches("tether: INFO: ready after [0-9.]+m?s: port " + port + " listening\n"),
                server.output());
        assertTrue(ViteIT.listening(port), "the step returned before its server listened");
        Result e2e = run(feature, List.of("sh", "-c", pipelineStep("e2e", port)));
        assertEquals(0, e2e.status(), e2e.output());
        assertEquals(List.of(port), awaitPorts(1));

        git(shop, "worktree", "remove", "../feature");
        Procs.await(() -> markedAlive().isEmpty(), DEADLINE, () -> "the server to die with the worktree: "
                + markedAlive());
    }

    /**
     * The "Many worktrees" block: each {@code $} line runs on its own terminal, 80 columns wide, from the
     * directory the block has moved to, and prints the lines below it, with any pid, port and time.
     */
    @Test
    void manyWorktreesAsTheReadmeShowsThem() throws Exception {
        Path shop = project();
        installHook(shop);
        int[] servers = {0};
        session(block("text", "$ cd ~/src/shop\n$ git worktree add -q"), home(), this::onATerminal, command -> {
            if (command.startsWith("git worktree add")) {
                servers[0] += (command.length() - command.replace("worktree add", "").length()) / "worktree add".length();
                awaitPorts(servers[0]);
            }
        });
        assertEquals(2, servers[0], "the block adds two worktrees");
    }

    /** {@code command} run by sh on a terminal of its own, 80 columns wide, with the README's environment. */
    Result onATerminal(Path directory, String command) {
        return run(directory, List.of("script", "-qfec", "stty cols 80 rows 24; " + command, "/dev/null"));
    }

    /** How a session's {@code $} line runs: its status, and what it printed. */
    interface Terminal {
        Result run(Path directory, String command);
    }

    /**
     * Runs a session the README shows: each {@code $} line on {@code terminal}, from the directory the block
     * has moved to ({@code cd}, {@code ~} being {@code home}), and then {@code after} with it. Each must print
     * the lines below it (see {@link #pattern}; {@code /home/ana} is {@code home}), and the lines of a
     * {@code tether --list} fit its 80 columns. A line must exit 0, unless the next is {@code echo $?}, which
     * prints the status of the line before it, as in the one shell the README shows.
     */
    static void session(String block, Path home, Terminal terminal, java.util.function.Consumer<String> after) {
        Path directory = home;
        List<String> lines = block.lines().toList();
        Result previous = null;
        for (int i = 0; i < lines.size(); i++) {
            String command = lines.get(i).substring(2);
            List<String> expected = new ArrayList<>();
            while (i + 1 < lines.size() && !lines.get(i + 1).startsWith("$ ")) {
                expected.add(lines.get(++i).replace("/home/ana", home.toString()));
            }
            boolean statusShown = i + 1 < lines.size() && lines.get(i + 1).equals("$ echo $?");
            if (command.startsWith("cd ")) {
                directory = home.resolve(command.substring(3).replace("~/", ""));
                continue;
            }
            Result result = command.equals("echo $?") ? new Result(0, previous.status() + "\n")
                    : terminal.run(directory, command);
            List<String> printed = result.output().replace("\r", "").lines().toList();
            if (!statusShown) {
                assertEquals(0, result.status(), command + ": " + result.output());
            }
            assertEquals(expected.size(), printed.size(), () -> command + " printed\n" + result.output());
            for (int l = 0; l < printed.size(); l++) {
                String line = printed.get(l);
                assertTrue(pattern(expected.get(l)).matcher(line).matches(),
                        "'" + command + "' printed\n" + line + "\nwhere the README shows\n" + expected.get(l));
                if (command.startsWith("tether --list")) {
                    assertTrue(line.codePointCount(0, line.length()) <= 80, line);
                }
            }
            previous = result;
            after.accept(command);
        }
    }

    /**
     * A line the README shows as a pattern: words as they are, with runs of spaces between; a number (a pid,
     * a port, a count, a line of a file), a list of them, an amount of memory, a time or a message's duration (with
     * a colon after it) stands for any; a commit's abbreviated hash for any; a path cut at its
     * start ({@code …}) for any path that ends the same way (its last name, or its last four characters when
     * the cut left no {@code /}); a line of a stack trace ({@code at ...}) for any
     * such line, since where the code lies is the machine's and the version's.
     */
    static Pattern pattern(String line) {
        if (line.stripLeading().startsWith("at ")) {
            return Pattern.compile(" +at \\S.*");
        }
        StringBuilder regex = new StringBuilder(" *");
        String[] words = line.strip().split(" +");
        for (int w = 0; w < words.length; w++) {
            String word = words[w];
            regex.append(w == 0 ? "" : " +");
            if (word.matches("\\d+(\\.\\d+)?(ms|s):")) {
                regex.append("\\d+(\\.\\d+)?(ms|s):");
            } else if (word.matches("[0-9a-f]{7,40}") && word.matches(".*[a-f].*") && word.matches(".*\\d.*")) {
                regex.append("[0-9a-f]{7,40}");
            } else if (word.matches("\\d+(,\\d+)*")) {
                regex.append("\\d+(,\\d+)*");
            } else if (word.matches("\\d+[smhd](\\d\\d[mh])?")) {
                regex.append("\\d+[smhd](\\d\\d[mh])?");
            } else if (word.matches("\\d+(\\.\\d)?[KMG]")) {
                regex.append("(\\d+(\\.\\d)?[KMG]|-)");
            } else if (word.startsWith("…")) {
                String tail = word.contains("/") ? word.substring(word.lastIndexOf('/'))
                        : word.substring(Math.max(1, word.length() - 4));
                regex.append("\\S*").append(Pattern.quote(tail));
            } else {
                regex.append(Pattern.quote(word));
            }
        }
        return Pattern.compile(regex.toString());
    }
}
