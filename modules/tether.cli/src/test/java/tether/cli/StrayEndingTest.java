package tether.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tether.api.Members;
import tether.api.Teardown;
import tether.api.TreeSignal;

/** The processes {@code --stop --all} ends, scanned and signalled as a teardown does it. */
class StrayEndingTest {

    /** A table in which a process that gets SIGTERM or SIGKILL is gone at the next scan, unless it ignores TERM. */
    static final class Obedient extends FakeSurvey {
        final Set<Long> ignoringTerm;

        Obedient(Set<Long> ignoringTerm) {
            this.ignoringTerm = ignoringTerm;
        }

        @Override
        public String signal(tether.api.Resident process, TreeSignal signal) {
            String refused = super.signal(process, signal);
            if (refused == null && table.containsKey(process.pid()) && table.get(process.pid()).resident().isSameAs(process)
                    && (signal == TreeSignal.KILL || signal == TreeSignal.TERM && !ignoringTerm.contains(process.pid()))) {
                remove(process.pid());
            }
            return refused;
        }
    }

    @Test
    void theSameProcessesAndWhatTheyForkSinceAreTheMembers() {
        FakeSurvey survey = new FakeSurvey().add(1, 0, 0, "/").add(20, 1, 5, "/w").add(21, 20, 6, "/w");
        StrayEnding ending = new StrayEnding(survey, List.of(survey.resident(20), survey.resident(21)), Set.of(30L));
        Members first = ending.members();
        assertEquals(2, first.count());

        survey.remove(21);
        survey.add(21, 1, 9, "/w");                                       // the pid went to a stranger
        survey.add(22, 20, 10, "/w");                                     // a child forked since
        survey.add(30, 20, 11, "/w");                                     // spared: tether itself, say
        survey.add(31, 20, 12, true, true, "/w", false, null);            // an editor it opened in a terminal
        survey.add(32, 20, 13, false, false, "/w", false, null);          // another user's
        Members later = ending.members();
        assertEquals(2, later.count(), "20 and its new child 22");
        later.newSince(first).signal(TreeSignal.TERM);
        assertEquals(List.of("TERM 22"), survey.sent, "only the newcomer gets the first signal");
    }

    @Test
    void aTeardownEndsThemAndKillsWhatIgnoresTheFirstSignalAtTheDeadline() throws Exception {
        Obedient survey = new Obedient(Set.of(21L));
        survey.add(1, 0, 0, "/").add(20, 1, 5, "/w").add(21, 20, 6, "/w");
        StrayEnding ending = new StrayEnding(survey, List.of(survey.resident(20), survey.resident(21)), Set.of());
        Teardown.Report report = Teardown.run(ending, TreeSignal.TERM, Duration.ofMillis(50));
        assertTrue(report.empty());
        assertEquals(List.of("TERM 20", "TERM 21", "CONT 21", "KILL 21"), survey.sent,
                "20 was gone by the time of SIGCONT; 21 got SIGKILL at the deadline");
        assertEquals(List.of(), ending.alive());
    }

    @Test
    void aProcessThatCannotBeSignalledIsReported() throws Exception {
        FakeSurvey survey = new FakeSurvey().add(1, 0, 0, "/").add(20, 1, 5, "/w");
        survey.refusing.put(20L, "Operation not permitted");
        Teardown.Report report = Teardown.run(new StrayEnding(survey, List.of(survey.resident(20)), Set.of()),
                TreeSignal.TERM, Duration.ofMillis(20));
        assertEquals(false, report.empty());
        assertEquals("pid 20 (Operation not permitted)", report.unreachable().getFirst().toString());
    }
}
