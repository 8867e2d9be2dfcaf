package tether.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tether.api.Census;
import tether.api.PathException;
import tether.api.Printable;
import tether.api.ProcessSurvey;
import tether.api.ProcessTreeKiller;
import tether.api.Resident;
import tether.api.Teardown;

/**
 * {@code tether --stop --all [PATH|PID...]}: first every tree of processes no tether holds that lives in a PATH
 * ({@link Strays}; the current directory by default), or that a PID names, ended as a teardown ends a tree
 * ({@link Teardown}: the first signal and SIGCONT, SIGKILL at the grace deadline, and the children they fork
 * meanwhile with them); then the tethers of each PATH or PID as {@code --stop} stops them.
 *
 * <p>Nothing found is no failure: a hook that runs it before every removal must not fail for a worktree with
 * nothing left in it. A PATH that holds the home directory (or is the root) is refused: every process of a
 * desktop session lives there.
 */
final class StopAllCommand {

    private StopAllCommand() {}

    static StopCommand.Outcome run(ProcessTreeKiller killer, CommandLineParser.Stopping stopping)
            throws IOException, PathException, InterruptedException, Main.UsageProblem {
        ProcessSurvey survey = killer.survey();
        Census census = ListAllCommand.censusOf(killer);
        Strays.Held held = census == null ? Strays.Held.NONE : Strays.Held.of(census.tethers());
        Set<Long> tethers = held.tethers();
        List<Resident> residents = survey.residents();
        long self = ProcessHandle.current().pid();
        Set<Long> spared = new HashSet<>(Strays.callers(residents, self));
        spared.addAll(tethers);
        byte[] current = killer.paths().workingDirectory();
        ShortPaths paths = census == null ? new ShortPaths(current, null) : ListCommand.shortPaths(killer, census, current);

        List<String> problems = new ArrayList<>();
        List<byte[]> tetherTargets = new ArrayList<>();
        Map<Long, Strays.Group> groups = new LinkedHashMap<>();
        for (byte[] target : stopping.targets().isEmpty() ? List.of(new byte[] {'.'}) : stopping.targets()) {
            if (StopCommand.isPid(target)) {
                long pid = Long.parseLong(new String(target, StandardCharsets.US_ASCII));
                if (tethers.contains(pid)) {
                    tetherTargets.add(target);
                    continue;
                }
                Strays.Group named = spared.contains(pid) ? null : Strays.named(survey, residents, pid, tethers, spared);
                if (named != null) {
                    groups.putIfAbsent(pid, named);
                } else {
                    problems.add(spared.contains(pid) ? "will not end pid " + pid + ": it runs this tether"
                            : exists(residents, pid) ? "will not end pid " + pid + ": it is in a running tether's tree"
                            + " (stop that tether)" : "no process has pid " + pid);
                }
                continue;
            }
            byte[] path = killer.paths().canonical(target);
            byte[] home = home(killer);
            if (isRoot(path) || home != null && survey.isWithin(home, path)) {
                throw new Main.UsageProblem("will not end every process in '" + Printable.of(path)
                        + "': it holds the home directory (name a worktree)");
            }
            tetherTargets.add(target);
            for (Strays.Group group : Strays.find(survey, residents, held, self, path)) {
                if (group.keep() == null) {
                    groups.putIfAbsent(group.root().process().pid(), group);
                } else {
                    Log.info("kept {} ({}): {}", group.root().process().pid(),
                            Commands.describe(survey.command(group.root().process())), group.keep().json);
                }
            }
        }
        List<String> ended = end(survey, new ArrayList<>(groups.values()), spared, stopping, paths, problems);
        removeCgroups(survey, new ArrayList<>(groups.values()), held.cgroups());
        if (census == null || tetherTargets.isEmpty()) {
            return new StopCommand.Outcome(ended, problems, problems.isEmpty() ? 0 : StopCommand.NOTHING_STOPPED);
        }
        StopCommand.Outcome tethersStopped = StopCommand.run(killer, tetherTargets, true);
        ended.addAll(tethersStopped.stopped());
        problems.addAll(tethersStopped.problems());
        return new StopCommand.Outcome(ended, problems, problems.isEmpty() ? 0 : StopCommand.NOTHING_STOPPED);
    }

    /**
     * Ends every process of {@code groups} in one teardown; returns a line for each group that is gone, and
     * adds one to {@code problems} for each process that outlived SIGKILL or could not be signalled.
     */
    private static List<String> end(ProcessSurvey survey, List<Strays.Group> groups, Set<Long> spared,
            CommandLineParser.Stopping stopping, ShortPaths paths, List<String> problems) throws InterruptedException {
        List<String> ended = new ArrayList<>();
        if (groups.isEmpty()) {
            return ended;
        }
        Map<Long, Resident> members = new LinkedHashMap<>(); // once each, though two PATHs may both hold one
        List<String> descriptions = new ArrayList<>(); // read now: an ended process has no command to read
        for (Strays.Group group : groups) {
            for (Resident member : group.residents()) {
                members.putIfAbsent(member.pid(), member);
            }
            descriptions.add(describe(survey, group, paths));
        }
        StrayEnding ending = new StrayEnding(survey, new ArrayList<>(members.values()), spared);
        Teardown.Report report = Teardown.run(ending, stopping.signal(), stopping.grace());
        Set<Long> survivors = new HashSet<>();
        if (!report.empty()) {
            for (Resident survivor : ending.alive()) {
                survivors.add(survivor.pid());
                problems.add("cannot end pid " + survivor.pid() + " (" + describe(survey, survivor) + "): "
                        + reason(report, survivor.pid()));
            }
        }
        for (int i = 0; i < groups.size(); i++) {
            if (!intersects(groups.get(i), survivors)) {
                ended.add("ended " + groups.get(i).root().process().pid() + " (" + descriptions.get(i) + ")");
            }
        }
        return ended;
    }

    /**
     * The cgroups the ended processes were in that no running tether's tree has ({@code running}), each left by
     * a tether that is gone with its sentinel: removed where emptied, as the tether or its sentinel would have.
     */
    private static void removeCgroups(ProcessSurvey survey, List<Strays.Group> groups, Set<String> running) {
        Map<String, ProcessSurvey.TetherCgroup> left = new LinkedHashMap<>();
        for (Strays.Group group : groups) {
            for (Strays.Stray stray : group.processes()) {
                String key = stray.cgroup() == null ? null : Strays.key(stray.cgroup().directory());
                if (key != null && !running.contains(key)) {
                    left.putIfAbsent(key, stray.cgroup());
                }
            }
        }
        for (ProcessSurvey.TetherCgroup cgroup : left.values()) {
            survey.remove(cgroup);
        }
    }

    /** Whether {@code path} (canonical) is a file system's root: {@code /}, or a drive's ({@code C:\}). */
    static boolean isRoot(byte[] path) {
        String text = new String(path, StandardCharsets.ISO_8859_1);
        while (text.endsWith("/") || text.endsWith("\\")) {
            text = text.substring(0, text.length() - 1);
        }
        return text.isEmpty() || text.length() == 2 && text.charAt(1) == ':';
    }

    /** The home directory, canonical: {@code HOME}, or on Windows {@code USERPROFILE}; {@code null} without one. */
    private static byte[] home(ProcessTreeKiller killer) throws PathException {
        for (String variable : List.of("HOME", "USERPROFILE")) {
            for (byte[] entry : killer.ownProcess().environment()) {
                if (ChildEnvironment.name(entry).equals(variable) && entry.length > variable.length() + 1) {
                    return killer.paths().canonical(Arrays.copyOfRange(entry, variable.length() + 1, entry.length));
                }
            }
        }
        return null;
    }

    private static boolean exists(List<Resident> residents, long pid) {
        for (Resident resident : residents) {
            if (resident.pid() == pid) {
                return true;
            }
        }
        return false;
    }

    private static boolean intersects(Strays.Group group, Set<Long> pids) {
        for (Resident process : group.residents()) {
            if (pids.contains(process.pid())) {
                return true;
            }
        }
        return false;
    }

    /** Why {@code pid} is still alive: the OS's reason it could not be signalled, else that it outlived SIGKILL. */
    private static String reason(Teardown.Report report, long pid) {
        for (tether.api.Members.Unreachable unreachable : report.unreachable()) {
            if (unreachable.pid() == pid) {
                return unreachable.reason();
            }
        }
        return "it outlived SIGKILL";
    }

    private static String describe(ProcessSurvey survey, Resident process) {
        return TetherTable.cutEnd(Commands.describe(survey.command(process)), StopCommand.COMMAND_SHOWN);
    }

    /** The root's command, where it lived, and how many processes the group had. */
    private static String describe(ProcessSurvey survey, Strays.Group group, ShortPaths paths) {
        Strays.Stray root = group.root();
        String text = describe(survey, root.process());
        if (root.where() != null && root.where().directory() != null) {
            text += " in " + paths.of(root.where().directory());
        }
        int count = group.processes().size();
        return count == 1 ? text : text + ", " + count + " processes";
    }
}
