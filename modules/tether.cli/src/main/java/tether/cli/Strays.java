package tether.cli;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tether.api.ProcessSurvey;
import tether.api.Provenance;
import tether.api.Resident;
import tether.api.RunningTether;

/**
 * What {@code --all} finds in PATH besides the tethers: every process of this user that no tether holds and
 * that lives there, grouped into trees, and which of them must never be touched. Decided here, once, from the
 * facts a {@link ProcessSurvey} reads on each OS.
 *
 * <p>A process counts when its working directory is inside PATH, when it was inside PATH and has been
 * removed (a worktree deleted under it), or when it carries a tether's {@link Provenance} marker for a path
 * inside PATH (it {@code cd}'d away, or its tether was SIGKILLed). A process is held, and left to its tether,
 * when it is a running tether or descends from one, or is in a running tether's cgroup (Linux), which holds its
 * tree whatever the tree did with its ancestry. The descendants of a process that counts are ended with it,
 * wherever they live; so are, where a tether's cgroup outlived the tether and its sentinel, the rest of this
 * user's processes in that cgroup, whatever their directory and environment say (the cgroup is asked of the
 * processes that count only, at a read each, and read only for those found in one).
 *
 * <p>Never ended, but listed when they count, as {@linkplain Keep kept}: tether itself, its ancestors (the
 * shell or hook that runs it) and the rest of its process group (the other commands of its pipeline, as in
 * {@code tether --stop --all | tee log}), and every process in the foreground of a terminal together with its ancestors
 * (an interactive shell at its prompt or waiting for the editor it runs, the terminal's multiplexer): ending
 * one of those would take a person's terminal away. Other users' processes are neither listed nor ended, even
 * for root.
 */
final class Strays {

    /** Why a process counts. */
    enum Reason {
        /** Its working directory is inside PATH. */
        CWD("cwd"),
        /** Its working directory was inside PATH and has been removed. */
        DELETED_CWD("deleted-cwd"),
        /** It carries the marker of a tether whose tree belongs inside PATH. */
        MARKER("marker"),
        /** It descends from a process that counts, which it is ended with. */
        DESCENDANT("descendant"),
        /** It is in the cgroup of a tether that is gone, as a process that counts is. */
        CGROUP("cgroup"),
        /** {@code --stop --all PID} named it. */
        NAMED("pid");

        final String json;

        Reason(String json) {
            this.json = json;
        }
    }

    /** Why a process is never ended. */
    enum Keep {
        /** tether itself runs under it, or it shares tether's process group (a pipeline's other commands). */
        CALLER("caller"),
        /** It is in the foreground of a terminal, or waits for a process that is. */
        TERMINAL("terminal");

        final String json;

        Keep(String json) {
            this.json = json;
        }
    }

    /**
     * One process of a tree.
     *
     * @param where  where it lives, as the survey read it ({@code null} for a descendant it could not read)
     * @param marker what its marker says, or {@code null} without one
     * @param cgroup the cgroup a tether made that it is in, or {@code null}
     */
    record Stray(Resident process, ProcessSurvey.Whereabouts where, Provenance.Marker marker, Reason reason,
            ProcessSurvey.TetherCgroup cgroup) {}

    /**
     * A process that counts with its descendants, root first, then each process before its children.
     *
     * @param keep why the whole tree is kept, or {@code null} when it is ended
     */
    record Group(List<Stray> processes, Keep keep) {
        Stray root() {
            return processes.getFirst();
        }

        /** The sum of {@link ProcessSurvey#memory} over the group, -1 if none could be read. */
        long memory(ProcessSurvey survey) {
            long sum = -1;
            for (Stray stray : processes) {
                sum = plusMemory(sum, survey.memory(stray.process()));
            }
            return sum;
        }

        List<Resident> residents() {
            List<Resident> residents = new ArrayList<>(processes.size());
            for (Stray stray : processes) {
                residents.add(stray.process());
            }
            return residents;
        }
    }

    /** {@code sum} with {@code memory} added, where -1 is unknown: a sum is unknown only if every part is. */
    static long plusMemory(long sum, long memory) {
        return memory < 0 ? sum : Math.max(sum, 0) + memory;
    }

    private final ProcessSurvey survey;
    private final Map<Long, Resident> byPid = new HashMap<>();
    private final Map<Long, List<Resident>> children = new HashMap<>();

    private Strays(ProcessSurvey survey, List<Resident> residents) {
        this.survey = survey;
        List<Resident> byStart = new ArrayList<>(residents);
        byStart.sort(new ResidentsByStart());
        for (Resident resident : byStart) {
            byPid.put(resident.pid(), resident);
        }
        for (Resident resident : byStart) {
            Resident parent = parentOf(resident);
            if (parent != null) {
                List<Resident> siblings = children.get(parent.pid());
                if (siblings == null) {
                    siblings = new ArrayList<>();
                    children.put(parent.pid(), siblings);
                }
                siblings.add(resident);
            }
        }
    }

    /**
     * What the running tethers hold: their pids, whose descendants are theirs, and the directories of their
     * trees' cgroups (Linux), every process in which is theirs.
     */
    record Held(Set<Long> tethers, Set<String> cgroups) {

        /** Where no census tells the tethers: nothing is held. */
        static final Held NONE = new Held(Set.of(), Set.of());

        static Held of(List<RunningTether> running) {
            Set<Long> tethers = new HashSet<>();
            Set<String> cgroups = new HashSet<>();
            for (RunningTether tether : running) {
                tethers.add(tether.pid());
                if (tether.cgroup() != null) {
                    cgroups.add(key(tether.cgroup()));
                }
            }
            return new Held(tethers, cgroups);
        }
    }

    /**
     * The trees of {@code residents} that live in {@code path} (canonical).
     *
     * @param held what the running tethers hold, which is theirs
     * @param self this process, which is never listed
     */
    static List<Group> find(ProcessSurvey survey, List<Resident> residents, Held held, long self, byte[] path) {
        return new Strays(survey, residents).groups(held, self, path);
    }

    /** A cgroup's directory as {@link Held} holds it. */
    static String key(byte[] directory) {
        return new String(directory, StandardCharsets.ISO_8859_1);
    }

    /**
     * The process {@code pid} names, whoever's it is, with its descendants, as a group to end; {@code null} if
     * no process has that pid. What the tethers hold and what {@code spared} names are left out.
     */
    static Group named(ProcessSurvey survey, List<Resident> residents, long pid, Set<Long> tethers, Set<Long> spared) {
        Strays strays = new Strays(survey, residents);
        Resident process = strays.byPid.get(pid);
        if (process == null) {
            return null;
        }
        Set<Long> held = strays.held(tethers);
        Map<Long, Stray> members = new LinkedHashMap<>();
        List<Resident> frontier = new ArrayList<>(List.of(process));
        while (!frontier.isEmpty()) {
            Resident next = frontier.removeLast();
            if (!held.contains(next.pid()) && !spared.contains(next.pid()) && !members.containsKey(next.pid())) {
                members.put(next.pid(), strays.stray(next, survey.whereabouts(next), null,
                        next == process ? Reason.NAMED : Reason.DESCENDANT));
                frontier.addAll(strays.children.getOrDefault(next.pid(), List.of()));
            }
        }
        return members.isEmpty() ? null : new Group(strays.subtree(members.get(pid), members), null);
    }

    /** The running tethers and every descendant of one. */
    private Set<Long> held(Set<Long> tethers) {
        Set<Long> held = new HashSet<>();
        for (long tether : tethers) {
            Resident resident = byPid.get(tether);
            if (resident != null) {
                addTree(resident, held);
            }
        }
        return held;
    }

    /** tether itself ({@code self}), its ancestors, and its process group with theirs: never to be ended. */
    static Set<Long> callers(List<Resident> residents, long self) {
        Map<Long, Keep> kept = new HashMap<>();
        new Strays(null, residents).keepCallers(self, kept);
        Set<Long> callers = new HashSet<>(kept.keySet());
        callers.add(self);
        return callers;
    }

    /** Marks tether, its ancestors and the rest of its process group with their ancestors kept as callers. */
    private void keepCallers(long self, Map<Long, Keep> kept) {
        Resident caller = byPid.get(self);
        if (caller == null) {
            return;
        }
        keepWithAncestors(caller, Keep.CALLER, kept);
        for (Resident resident : byPid.values()) {
            if (caller.group() != 0 && resident.group() == caller.group()) {
                keepWithAncestors(resident, Keep.CALLER, kept);
            }
        }
    }

    private List<Group> groups(Held tethers, long self, byte[] path) {
        Set<Long> held = held(tethers.tethers());
        Map<Long, Keep> kept = new HashMap<>();
        keepCallers(self, kept);
        for (Resident resident : byPid.values()) {
            if (resident.foreground()) {
                keepWithAncestors(resident, Keep.TERMINAL, kept);
            }
        }
        Map<Long, Stray> counted = new LinkedHashMap<>();
        for (Resident resident : byPid.values()) {
            if (resident.mine() && resident.pid() != self && !held.contains(resident.pid())) {
                Stray stray = placed(resident, path);
                if (stray != null) {
                    counted.put(resident.pid(), stray);
                }
            }
        }
        byCgroup(counted, held, tethers.cgroups(), self);
        Map<Long, Stray> ended = new LinkedHashMap<>();
        for (Stray stray : counted.values()) {
            if (!kept.containsKey(stray.process().pid())) {
                addEnded(stray, counted, held, kept, self, ended);
            }
        }
        List<Group> groups = new ArrayList<>();
        for (Stray stray : ended.values()) {
            if (!ended.containsKey(parentPid(stray.process()))) {
                groups.add(new Group(subtree(stray, ended), null));
            }
        }
        Map<Long, Stray> keptStrays = new LinkedHashMap<>();
        for (Stray stray : counted.values()) {
            if (kept.containsKey(stray.process().pid())) {
                keptStrays.put(stray.process().pid(), stray);
            }
        }
        for (Stray stray : keptStrays.values()) {
            Keep keep = kept.get(stray.process().pid());
            Stray parent = keptStrays.get(parentPid(stray.process()));
            if (parent == null || kept.get(parent.process().pid()) != keep) {
                groups.add(new Group(keptSubtree(stray, keep, keptStrays, kept), keep));
            }
        }
        groups.sort(new ByStart());
        return groups;
    }

    /** {@code resident} as a process that counts in {@code path}, or {@code null} if it does not. */
    private Stray placed(Resident resident, byte[] path) {
        ProcessSurvey.Whereabouts where = survey.whereabouts(resident);
        if (where == null) {
            return null;
        }
        Provenance.Marker marker = where.marker() == null ? null : Provenance.parse(where.marker());
        Reason reason = null;
        if (where.directory() != null && survey.isWithin(where.directory(), path)) {
            reason = where.directoryDeleted() ? Reason.DELETED_CWD : Reason.CWD;
        } else if (marker != null && survey.isWithin(marker.path(), path)) {
            reason = Reason.MARKER;
        }
        return reason == null ? null : stray(resident, where, marker, reason);
    }

    private Stray stray(Resident resident, ProcessSurvey.Whereabouts where, Provenance.Marker marker, Reason reason) {
        return new Stray(resident, where, marker, reason, survey.tetherCgroup(resident));
    }

    /**
     * What the cgroups tether made say of the processes that count: one in a running tether's cgroup is that
     * tether's, and held; one in the cgroup of a tether that is gone brings the rest of this user's processes
     * in that cgroup, that no tether holds, with it.
     */
    private void byCgroup(Map<Long, Stray> counted, Set<Long> held, Set<String> cgroups, long self) {
        Map<String, ProcessSurvey.TetherCgroup> orphaned = new LinkedHashMap<>();
        for (Stray stray : List.copyOf(counted.values())) {
            ProcessSurvey.TetherCgroup cgroup = stray.cgroup();
            if (cgroup != null && cgroups.contains(key(cgroup.directory()))) {
                counted.remove(stray.process().pid());
                held.add(stray.process().pid());
            } else if (cgroup != null) {
                orphaned.putIfAbsent(key(cgroup.directory()), cgroup);
            }
        }
        for (ProcessSurvey.TetherCgroup cgroup : orphaned.values()) {
            for (long pid : survey.members(cgroup)) {
                Resident mate = byPid.get(pid);
                if (mate != null && mate.mine() && pid != self && !held.contains(pid) && !counted.containsKey(pid)) {
                    counted.put(pid, stray(mate, survey.whereabouts(mate), null, Reason.CGROUP));
                }
            }
        }
    }

    /** {@code stray} and its descendants that may be ended with it: this user's, not held, not kept, not tether. */
    private void addEnded(Stray stray, Map<Long, Stray> counted, Set<Long> held, Map<Long, Keep> kept, long self,
            Map<Long, Stray> ended) {
        if (ended.putIfAbsent(stray.process().pid(), stray) != null) {
            return;
        }
        for (Resident child : children.getOrDefault(stray.process().pid(), List.of())) {
            long pid = child.pid();
            if (child.mine() && pid != self && !held.contains(pid) && !kept.containsKey(pid)) {
                Stray counts = counted.get(pid);
                addEnded(counts != null ? counts : stray(child, survey.whereabouts(child), null, Reason.DESCENDANT),
                        counted, held, kept, self, ended);
            }
        }
    }

    /** {@code root} and, depth first, its descendants among {@code members}. */
    private List<Stray> subtree(Stray root, Map<Long, Stray> members) {
        List<Stray> tree = new ArrayList<>();
        List<Stray> frontier = new ArrayList<>(List.of(root));
        while (!frontier.isEmpty()) {
            Stray next = frontier.removeLast();
            tree.add(next);
            List<Resident> below = children.getOrDefault(next.process().pid(), List.of());
            for (int i = below.size() - 1; i >= 0; i--) {
                Stray child = members.get(below.get(i).pid());
                if (child != null) {
                    frontier.add(child);
                }
            }
        }
        return tree;
    }

    /** As {@link #subtree}, among the kept processes kept for the same reason. */
    private List<Stray> keptSubtree(Stray root, Keep keep, Map<Long, Stray> keptStrays, Map<Long, Keep> kept) {
        Map<Long, Stray> same = new HashMap<>();
        for (Stray stray : keptStrays.values()) {
            if (kept.get(stray.process().pid()) == keep) {
                same.put(stray.process().pid(), stray);
            }
        }
        return subtree(root, same);
    }

    /** {@code resident} and every descendant. */
    private void addTree(Resident resident, Set<Long> tree) {
        if (tree.add(resident.pid())) {
            for (Resident child : children.getOrDefault(resident.pid(), List.of())) {
                addTree(child, tree);
            }
        }
    }

    /** Marks {@code resident} and its ancestors kept for {@code keep}, unless kept already (the caller first). */
    private void keepWithAncestors(Resident resident, Keep keep, Map<Long, Keep> kept) {
        for (Resident at = resident; at != null && kept.putIfAbsent(at.pid(), keep) == null; at = parentOf(at)) {
            // each ancestor in turn, up to the first already kept
        }
    }

    /**
     * The parent of {@code resident} among the residents, or {@code null}. A parent that started after its
     * child is not its parent: the child's parent died and its pid went to a new process, which Windows, keeping
     * the dead parent's pid as the child's parent id, makes possible.
     */
    private Resident parentOf(Resident resident) {
        Resident parent = resident.parent() == resident.pid() ? null : byPid.get(resident.parent());
        if (parent == null || parent.started() == null || resident.started() == null) {
            return parent;
        }
        return parent.started().isAfter(resident.started()) ? null : parent;
    }

    private long parentPid(Resident resident) {
        Resident parent = parentOf(resident);
        return parent == null ? 0 : parent.pid();
    }

    /** Groups in the order their roots started, as {@code --list} orders tethers. */
    private static final class ByStart implements Comparator<Group> {
        @Override
        public int compare(Group a, Group b) {
            return new ResidentsByStart().compare(a.root().process(), b.root().process());
        }
    }

    /** Processes in the order they started, by pid where the OS does not say when. */
    private static final class ResidentsByStart implements Comparator<Resident> {
        @Override
        public int compare(Resident x, Resident y) {
            if (x.started() != null && y.started() != null && !x.started().equals(y.started())) {
                return x.started().compareTo(y.started());
            }
            return Long.compare(x.pid(), y.pid());
        }
    }
}
