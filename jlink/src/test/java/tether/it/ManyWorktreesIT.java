package tether.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import tether.testkit.Commands;
import tether.testkit.Procs;
import tether.testkit.RequiresRoot;
import tether.testkit.RequiresTools;

/**
 * docs/usage.md "Many worktrees": {@code --list} and {@code --stop} against real tethers, each serving a TCP port
 * from its own git worktree. Every query names this test's directory, so tethers that other tests run at the
 * same time are never counted or stopped.
 */
@EnabledOnOs(value = OS.LINUX, disabledReason = "--list and --stop read /proc; macOS and Windows say they cannot yet")
@RequiresTools(value = "python3", why = "serves TCP ports from small Python servers")
class ManyWorktreesIT extends LauncherTest {

    /**
     * A server that takes a free port, as a dev server does when its usual one is busy, and writes the port
     * it got (argument 1) once it listens; argument 2 is the address family.
     */
    static final String SERVER = """
            import os, socket, sys, time
            family = socket.AF_INET6 if sys.argv[2] == "6" else socket.AF_INET
            s = socket.socket(family)
            s.bind(("::1" if sys.argv[2] == "6" else "127.0.0.1", 0))
            s.listen()
            with open(sys.argv[1] + ".part", "w") as f:
                f.write(str(s.getsockname()[1]))
            os.rename(sys.argv[1] + ".part", sys.argv[1])
            time.sleep(600)
            """;

    /** One tethered server: where it runs, its tether's pid (a detached tether's is read later), and its port. */
    record Server(Path worktree, TetherRun run, int port) {}

    Path serverScript() throws IOException {
        Path script = temp.resolve("server.py");
        if (!Files.exists(script)) {
            Files.writeString(script, SERVER);
        }
        return script;
    }

    Server serve(Path worktree, String family, String... options) throws Exception {
        Path script = serverScript();
        Path portFile = temp.resolve("port-" + worktree.getFileName().toString().hashCode());
        List<String> args = new ArrayList<>(List.of(options));
        args.addAll(List.of("--", "python3", script.toString(), portFile.toString(), family));
        TetherRun run = start(worktree, tether(args.toArray(String[]::new)));
        Procs.await(() -> Files.exists(portFile), DEADLINE, () -> "the server in " + worktree + " to listen; "
                + run.stderr());
        return new Server(worktree, run, Integer.parseInt(Files.readString(portFile)));
    }

    Commands query(Path directory, String... args) {
        return Commands.run(directory, withoutTerminal(tether(args)));
    }

    /** The objects of {@code --list --json}, each read by Python's own JSON parser into one line of fields. */
    Map<String, List<String>> json(Path directory, String path) {
        Commands listed = Commands.run(directory, List.of("sh", "-c", "\"$@\" > json && python3 -c '"
                + "import json\n"
                + "for t in json.load(open(\"json\", encoding=\"utf-8\")):\n"
                + "    print(\"\\t\".join(map(str, [t[\"watch\"], t[\"pid\"], t[\"cwd\"], json.dumps(t[\"command\"]),"
                + " t[\"started\"], t[\"processes\"], t[\"ports\"], t[\"log\"], t[\"detached\"], t[\"cgroup\"]])))'",
                "sh", LAUNCHER.toAbsolutePath().toString(), "--list", "--json", path));
        assertEquals(0, listed.status(), listed.output());
        Map<String, List<String>> byWatch = new LinkedHashMap<>();
        listed.output().lines().forEach(line -> {
            List<String> fields = List.of(line.split("\t"));
            byWatch.put(fields.getFirst(), fields);
        });
        return byWatch;
    }

    @Test
    void listShowsEachWorktreesTetherWithItsPortAndTheDetachedOnesLog() throws Exception {
        Server plain = serve(worktree("plain", "plain"), "4");
        Server spaced = serve(worktree("with space", "spaced"), "6", "--grace", "2s");
        Server detached = serve(worktree("hooked", "hooked"), "4", "--detach", "--log", "dev.log");
        assertEquals(0, detached.run().awaitExit(DEADLINE), detached.run().stderr());

        Map<String, List<String>> json = json(temp, temp.toString());
        assertEquals(3, json.size(), json.toString());
        for (Server server : List.of(plain, spaced)) {
            List<String> fields = json.get(server.worktree().toRealPath().toString());
            assertTrue(fields != null, () -> server.worktree() + " in " + json);
            assertEquals(List.of(String.valueOf(server.run().pid()), server.worktree().toRealPath().toString()),
                    fields.subList(1, 3));
            assertTrue(fields.get(3).startsWith("[\"python3\", "), fields.get(3));
            assertEquals(List.of("1", "[" + server.port() + "]", "None", "False"), fields.subList(5, 9));
        }
        List<String> hooked = json.get(detached.worktree().toRealPath().toString());
        assertEquals(List.of("1", "[" + detached.port() + "]", detached.worktree().toRealPath().resolve("dev.log").toString(),
                "True"), hooked.subList(5, 9));
        assertTrue(hooked.get(4).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z"), hooked.get(4));

        Commands table = query(temp, "--list", ".");
        assertEquals(0, table.status(), table.output());
        List<String> lines = table.output().lines().toList();
        assertEquals(4, lines.size(), table.output());
        assertTrue(lines.getFirst().matches(" *PID +WATCH +COMMAND +PROCS +MEM +CGROUP +PORTS +UP +LOG"), lines.getFirst());
        for (Server server : List.of(plain, spaced)) {
            String name = server.worktree().getFileName().toString();
            assertTrue(lines.stream().anyMatch(line -> line.matches(" *" + server.run().pid() + " +" + name
                    + " +python3 .* 1 +\\d+[KM] +(yes|-) +" + server.port() + " +\\d+s")), () -> name + " in\n" + table.output());
        }
        assertTrue(lines.stream().anyMatch(line -> line.matches(" *" + hooked.get(1) + " +hooked +python3 .* 1 +\\d+[KM] +(yes|-) +"
                + detached.port() + " +\\d+s +(hooked/|…)\\S*dev\\.log")), "the log, cut at its start if need be: " + table.output());
        for (List<String> fields : json.values()) {
            // Whether a tree has a cgroup depends on the machine and the user; the table and the JSON agree on it.
            String cgroup = fields.get(9);
            assertTrue(cgroup.equals("None")
                    || Path.of(cgroup).getFileName().toString().startsWith("tether-" + fields.get(1) + "-"), cgroup);
            assertTrue(lines.stream().anyMatch(line -> line.matches(" *" + fields.get(1) + " .* 1 +\\d+[KM] +"
                    + (cgroup.equals("None") ? "-" : "yes") + " .*")), () -> cgroup + " in\n" + table.output());
        }
        assertTrue(table.output().contains(" " + serverScript() + " "), "piped, nothing is cut: " + table.output());
        assertTrue(!table.output().contains("…"), "piped, nothing is cut: " + table.output());

        Commands one = query(plain.worktree(), "--list", "--json", "../with space");
        assertEquals(0, one.status(), one.output());
        assertTrue(one.output().contains("\"pid\": " + spaced.run().pid() + ","), one.output());
        assertEquals(1, one.output().lines().filter(line -> line.contains("\"pid\"")).count(), one.output());
    }

    /**
     * On a terminal --list fits the terminal's width, whatever it is, as far as the columns' headings allow,
     * and cuts nothing where the line fits; piped it cuts nothing (above), unless COLUMNS sets a width. The terminal is a real pty, from script(1),
     * whose width stty sets.
     */
    @RequiresTools(value = "script", why = "gives --list a real terminal")
    @ParameterizedTest
    @ValueSource(ints = {50, 80, 140})
    void onATerminalListFitsItsWidth(int columns) throws Exception {
        Server server = serve(worktree("wide"), "4");
        String command = "python3 " + serverScript() + " ";
        Commands shown = Commands.run(temp, List.of("script", "-qfec",
                "stty cols " + columns + " rows 24; " + LAUNCHER + " --list .", "/dev/null"));
        assertEquals(0, shown.status(), shown.output());
        List<String> lines = shown.output().replace("\r", "").lines().toList();
        assertEquals(2, lines.size(), shown.output());
        String row = lines.get(1);
        assertTrue(row.matches(" *" + server.run().pid() + " +wide +python3 .*"), row);
        int width = row.codePointCount(0, row.length());
        if (row.contains(command)) {
            assertTrue(width <= columns, () -> "uncut and still " + width + " wide: " + row);
        } else {
            assertEquals(columns, width, () -> "cut, and as wide as the terminal: " + row);
        }
        String uncut = query(temp, "--list", ".").output().lines().toList().get(1);
        assertEquals(uncut.codePointCount(0, uncut.length()) > columns, row.contains("…"),
                () -> "cut only where the uncut line, piped, is wider:\n" + row + "\n" + uncut);

        Commands piped = Commands.run(temp, List.of("sh", "-c", "COLUMNS=60 \"$0\" --list . | cat", LAUNCHER.toString()));
        assertEquals(60, piped.output().lines().toList().get(1).codePointCount(0, piped.output().lines().toList().get(1)
                .length()), "COLUMNS sets the width when the output is no terminal: " + piped.output());
    }

    /**
     * A worktree named café, whose tether runs in the C locale of a git hook: --list shows the name as UTF-8,
     * in the table and in the JSON. The name is made and entered through a shell from its bytes: this JVM
     * may run in the C locale too, where it can name no such directory.
     */
    @Test
    void aWorktreeNamedInUtf8IsListedAsUtf8FromTheCLocale() throws Exception {
        String cafe = "caf\\303\\251";
        Path repo = worktree("plain").resolveSibling("repo");
        run(repo, "sh", "-c", "git worktree add -q -b accented \"../$(printf \"$0\")\"", cafe);
        Path portFile = temp.resolve("port-accented");
        TetherRun run = start(temp, List.of("sh", "-c", "cd \"$(printf \"$0\")\" && shift && exec \"$@\"", cafe, "x",
                LAUNCHER.toString(), "--", "python3", serverScript().toString(), portFile.toString(), "4"), env -> {
                    env.keySet().removeIf(name -> name.equals("LANG") || name.startsWith("LC_"));
                });
        Procs.await(() -> Files.exists(portFile), DEADLINE, () -> "the server in café to listen; " + run.stderr());
        String watched = temp.toRealPath() + "/caf\u00e9";

        Commands json = query(temp, "--list", "--json", ".");
        assertEquals(0, json.status(), json.output());
        assertTrue(json.output().contains("\"pid\": " + run.pid() + ", \"watch\": \"" + watched + "\""), json.output());
        Commands table = query(temp, "--list", ".");
        assertEquals(0, table.status(), table.output());
        assertTrue(table.output().lines().anyMatch(line -> line.matches(" *" + run.pid() + " +café +python3 .*")),
                table.output());
    }

    @Test
    void stopInAWorktreeStopsExactlyItsTreeAndLeavesTheOthers() throws Exception {
        Server first = serve(worktree("first", "first"), "4");
        Server second = serve(worktree("second", "second"), "4");
        long firstServer = onlyChild(first.run().pid());
        long secondServer = onlyChild(second.run().pid());

        Commands stop = query(first.worktree(), "--stop");
        assertEquals(0, stop.status(), stop.output());
        assertTrue(stop.output().startsWith("stopped " + first.run().pid() + " (python3 "), stop.output());
        assertEquals(143, first.run().awaitExit(DEADLINE), first.run().stderr());
        assertEquals(List.of(), Procs.alive(List.of(firstServer)), "the stopped worktree's server");
        assertTrue(Procs.holdsFor(() -> Procs.isAlive(secondServer) && second.run().process.isAlive(),
                java.time.Duration.ofMillis(300)), "the other worktree's tether and server keep running");

        Commands byPid = query(temp, "--stop", String.valueOf(second.run().pid()));
        assertEquals(0, byPid.status(), byPid.output());
        assertEquals(143, second.run().awaitExit(DEADLINE), second.run().stderr());
        assertEquals(List.of(), Procs.alive(List.of(secondServer)));
    }

    @Test
    void stopWithNothingMatchingSaysSoAndExits1() throws Exception {
        Path empty = Files.createDirectory(temp.resolve("empty"));
        Commands stop = query(empty, "--stop");
        assertEquals(1, stop.status(), stop.output());
        assertEquals(List.of("tether: no tether is watching '.' or a path inside it"), stop.output().lines().toList());
        Commands list = query(empty, "--list", ".");
        assertEquals(0, list.status(), list.output());
        assertEquals("", list.output());
        Commands usage = query(empty, "--stop", "--grace", "1s");
        assertEquals(125, usage.status(), usage.output());
    }

    /** Only root sees another user's tether; a user sees their own. */
    @RequiresRoot("starts a tether as a second user, nobody, with setpriv")
    @Test
    void aTetherOfAnotherUserIsNotShownToANonRootUser() throws Exception {
        Path shared = imageOtherUsersCanRun();
        String launcher = shared.resolve("tether/bin/tether").toString();
        Path work = Files.createDirectory(shared.resolve("work"));
        run(temp, "chmod", "777", work.toString());
        List<String> asNobody = List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups");
        TetherRun roots = start(work, List.of(launcher, "--", "sleep", "600"));
        TetherRun nobodys = start(work, Stream.concat(asNobody.stream(), Stream.of(launcher, "--", "sleep", "600")).toList());
        Procs.await(() -> Procs.childrenOf(roots.pid()).size() == 2 && Procs.childrenOf(nobodys.pid()).size() == 2,
                DEADLINE, "both tethers to run their sentinel and COMMAND");

        Commands seenByNobody = Commands.run(work, withoutTerminal(Stream.concat(asNobody.stream(),
                Stream.of(launcher, "--list", "--json", ".")).toList()));
        assertEquals(0, seenByNobody.status(), seenByNobody.output());
        assertTrue(seenByNobody.output().contains("\"pid\": " + nobodys.pid() + ","), seenByNobody.output());
        assertTrue(!seenByNobody.output().contains("\"pid\": " + roots.pid() + ","), seenByNobody.output());

        Commands seenByRoot = Commands.run(work, withoutTerminal(List.of(launcher, "--list", "--json", ".")));
        assertTrue(seenByRoot.output().contains("\"pid\": " + nobodys.pid() + ",")
                && seenByRoot.output().contains("\"pid\": " + roots.pid() + ","), seenByRoot.output());
    }

    /** The one child of tether that is not its sentinel: COMMAND. */
    static long onlyChild(long tether) {
        Procs.await(() -> commandOf(tether) > 0, DEADLINE, "COMMAND of " + tether);
        return commandOf(tether);
    }

    private static long commandOf(long tether) {
        return Procs.childrenOf(tether).stream().filter(child -> !Procs.cmdline(child).startsWith("/bin/sh -c"))
                .findFirst().orElse(-1L);
    }
}
