package tether.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tether.api.Members;
import tether.api.ProcessSurvey;
import tether.api.Resident;
import tether.api.Tree;
import tether.api.TreeSignal;

/**
 * The processes {@code --stop --all} ends, as a {@link tether.api.Teardown} sees a tree: whatever of them is
 * still alive (the same pid with the same start) at each scan, and the children they forked since, which get
 * the first signal too. Nothing here is tether's child, so there is no exit to wait for: a scan is a new pass
 * over the process table, at the teardown's growing intervals.
 */
final class StrayEnding implements Tree {

    private final ProcessSurvey survey;
    private final List<Resident> first;
    private final Set<Long> spared;

    /**
     * @param first  the processes to end
     * @param spared the pids never to signal, whatever forks them: the tethers, tether itself and its ancestors
     */
    StrayEnding(ProcessSurvey survey, List<Resident> first, Set<Long> spared) {
        this.survey = survey;
        this.first = List.copyOf(first);
        this.spared = spared;
    }

    @Override
    public Members members() {
        return new Snapshot(alive());
    }

    /** What is alive of the processes to end now, and the children they forked since. */
    List<Resident> alive() {
        List<Resident> now;
        try {
            now = survey.residents();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<Long, Resident> byPid = new HashMap<>();
        for (Resident resident : now) {
            byPid.put(resident.pid(), resident);
        }
        List<Resident> alive = new ArrayList<>();
        for (Resident process : first) {
            Resident current = byPid.get(process.pid());
            if (current != null && current.isSameAs(process)) {
                alive.add(current);
            }
        }
        for (int i = 0; i < alive.size(); i++) {
            for (Resident resident : now) {
                if (isChild(resident, alive.get(i)) && resident.mine() && !resident.foreground()
                        && !spared.contains(resident.pid()) && !contains(alive, resident)) {
                    alive.add(resident);
                }
            }
        }
        return alive;
    }

    /** Whether {@code child} names {@code parent} as its parent and did not start before it (a reused pid). */
    private static boolean isChild(Resident child, Resident parent) {
        return child.parent() == parent.pid() && (child.started() == null || parent.started() == null
                || !child.started().isBefore(parent.started()));
    }

    private static boolean contains(List<Resident> processes, Resident process) {
        for (Resident member : processes) {
            if (member.isSameAs(process)) {
                return true;
            }
        }
        return false;
    }

    /** One scan's live processes. */
    private final class Snapshot implements Members {

        final List<Resident> processes;

        Snapshot(List<Resident> processes) {
            this.processes = processes;
        }

        @Override
        public int count() {
            return processes.size();
        }

        @Override
        public List<Unreachable> signal(TreeSignal signal) {
            List<Unreachable> unreachable = new ArrayList<>();
            for (Resident process : processes) {
                String reason = survey.signal(process, signal);
                if (reason != null) {
                    unreachable.add(new Unreachable(process.pid(), reason));
                }
            }
            return unreachable;
        }

        @Override
        public Members newSince(Members earlier) {
            List<Resident> before = ((Snapshot) earlier).processes;
            List<Resident> newcomers = new ArrayList<>();
            for (Resident process : processes) {
                if (!contains(before, process)) {
                    newcomers.add(process);
                }
            }
            return new Snapshot(newcomers);
        }

        /** None of these is tether's child, so no exit wakes it: it sleeps until the next scan. */
        @Override
        public void awaitChange(Duration timeout) throws InterruptedException {
            Thread.sleep(timeout);
        }
    }
}
