package tether.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tether.api.Resident;

/** Which processes {@code --all} finds in a worktree, how they group, and which are never ended. */
class StraysTest {

    static final byte[] WORKTREE = FakeSurvey.bytes("/w/shop");
    static final long SELF = 900;

    /** Each group as "pid,pid,... reason-of-root [kept]", in the order found. */
    static List<String> found(FakeSurvey survey, Set<Long> tethers) {
        return found(survey, tethers, Set.of());
    }

    /** As {@link #found(FakeSurvey, Set)}, the running tethers' trees in {@code cgroups}. */
    static List<String> found(FakeSurvey survey, Set<Long> tethers, Set<String> cgroups) {
        List<String> groups = new ArrayList<>();
        for (Strays.Group group : Strays.find(survey, survey.residents(), new Strays.Held(tethers, cgroups), SELF, WORKTREE)) {
            StringBuilder text = new StringBuilder();
            for (Strays.Stray stray : group.processes()) {
                text.append(text.isEmpty() ? "" : ",").append(stray.process().pid());
            }
            text.append(' ').append(group.root().reason().json);
            if (group.keep() != null) {
                text.append(" kept:").append(group.keep().json);
            }
            groups.add(text.toString());
        }
        return groups;
    }

    /** A login shell (1 is init) from which the test's processes hang. */
    static FakeSurvey table() {
        return new FakeSurvey().add(1, 0, 0, false, false, "/", false, null).add(10, 1, 1, "/home/ana");
    }

    @Test
    void aProcessCountsByItsDirectoryItsRemovedDirectoryOrItsMarker() {
        FakeSurvey survey = table()
                .add(20, 1, 5, "/w/shop")
                .add(21, 1, 6, true, false, "/w/shop/web", true, null)
                .add(22, 1, 7, true, false, "/", false, "4242:/w/shop")
                .add(23, 1, 8, "/w/shop-checkout")
                .add(24, 1, 9, true, false, "/", false, "4242:/w/shop-checkout")
                .add(25, 1, 10, true, false, "/w", false, "not a marker");
        assertEquals(List.of("20 cwd", "21 deleted-cwd", "22 marker"), found(survey, Set.of()),
                "a sibling worktree whose name starts alike is another worktree");
    }

    @Test
    void descendantsAreEndedWithTheirRootWhereverTheyLiveButOtherUsersAreNeverTouched() {
        FakeSurvey survey = table()
                .add(20, 1, 5, "/w/shop")
                .add(21, 20, 6, "/tmp")
                .add(22, 21, 7, "/w/shop/sub")
                .add(23, 20, 8, false, false, "/w/shop", false, null)
                .add(24, 23, 9, "/tmp");
        assertEquals(List.of("20,21,22 cwd"), found(survey, Set.of()),
                "root's process under sudo (23) is another user's, and so is what it runs");
    }

    @Test
    void whatARunningTetherHoldsIsItsOwn() {
        FakeSurvey survey = table()
                .add(30, 10, 5, "/w/shop")
                .add(31, 30, 6, "/w/shop")
                .add(32, 31, 7, "/w/shop")
                .add(33, 30, 8, "/w/shop");
        assertEquals(List.of(), found(survey, Set.of(30L)), "the tether, COMMAND, its child and the sentinel");
        assertEquals(List.of("30,31,32,33 cwd"), found(survey, Set.of()),
                "where tethers cannot be told apart, a tether is a process like any other, its tree with it");
    }

    /**
     * A tether's cgroup holds its tree whatever the tree did with its ancestry: a process that counts but is in
     * a running tether's cgroup is that tether's. Its ancestry is cut here (its parent is init), as after a
     * subreaper between the tether and it died.
     */
    @Test
    void aProcessInARunningTethersCgroupIsHeld() {
        FakeSurvey survey = table()
                .add(30, 10, 5, "/w/shop")
                .add(31, 1, 6, "/w/shop")
                .add(32, 31, 7, "/tmp")
                .inCgroup("/sys/fs/cgroup/tether-30-77", 30, 31, 32);
        assertEquals(List.of(), found(survey, Set.of(30L), Set.of("/sys/fs/cgroup/tether-30-77")));
        assertEquals(List.of("31,32 cwd"), found(survey, Set.of(30L), Set.of()),
                "without the cgroup, ancestry alone decides");
    }

    /**
     * The cgroup of a tether that is gone with its sentinel still holds its tree: a process that counts brings
     * this user's others in that cgroup, whatever their directory, environment and parent (one that replaced its
     * environment and left for /tmp included), but not another user's, nor what a running tether holds.
     */
    @Test
    void aDeadTethersCgroupBringsTheRestOfItsTree() {
        FakeSurvey survey = table()
                .add(40, 1, 5, "/w/shop")
                .add(41, 1, 6, "/tmp")
                .add(42, 41, 7, "/")
                .add(43, 1, 8, false, false, "/tmp", false, null)
                .add(44, 1, 9, "/tmp")
                .add(45, 1, 10, "/tmp")
                .add(46, 1, 11, "/tmp")
                .add(47, 46, 12, "/tmp")
                .inCgroup("/sys/fs/cgroup/tether-4242-9", 4242, 40, 41, 42, 43, 47)
                .inCgroup("/sys/fs/cgroup/tether-4343-9", 4343, 44);
        List<Strays.Group> groups = Strays.find(survey, survey.residents(), new Strays.Held(Set.of(46L), Set.of()),
                SELF, WORKTREE);
        assertEquals(List.of("40 cwd", "41,42 cgroup"), found(survey, Set.of(46L)),
                "43 is another user's; 44 is in another cgroup, 45 in none; 47 is tether 46's");
        assertEquals("cgroup of tether 4242", StrayTable.why(groups.get(1)));
        assertEquals(List.of(40L, 41L, 42L), survey.cgroupsAsked.stream().distinct().sorted().toList(),
                "asked of what counts and what it brings only");
    }

    @Test
    void tetherAndWhatRunsItAreKept() {
        FakeSurvey survey = table()
                .add(40, 10, 5, "/w/shop")
                .add(41, 40, 6, "/w/shop")
                .add(SELF, 41, 7, "/w/shop")
                .add(42, 40, 8, "/w/shop")
                .add(43, 42, 9, "/tmp");
        assertEquals(List.of("40,41 cwd kept:caller", "42,43 cwd"), found(survey, Set.of()),
                "the hook's shell and its sh -c are kept; the server it left running is not; tether is not listed");
    }

    @Test
    void theForegroundOfATerminalAndWhatWaitsForItAreKept() {
        FakeSurvey survey = table()
                .add(50, 1, 5, "/w/shop")                               // tmux server
                .add(51, 50, 6, true, false, "/w/shop", false, null)    // a pane's shell running vim
                .add(52, 51, 7, true, true, "/w/shop", false, null)     // vim, in the foreground
                .add(53, 51, 8, "/w/shop")                              // a background job of that shell
                .add(54, 50, 9, true, true, "/tmp", false, null);       // another pane, at its prompt elsewhere
        assertEquals(List.of("50,51,52 cwd kept:terminal", "53 cwd"), found(survey, Set.of()));
    }

    @Test
    void aParentThatStartedAfterItsChildIsAnotherProcessWithTheDeadParentsPid() {
        FakeSurvey survey = table()
                .add(60, 1, 5, "/w/shop")
                .add(61, 70, 6, "/w/shop")
                .add(70, 1, 9, "/w/shop");
        assertEquals(List.of("60 cwd", "61 cwd", "70 cwd"), found(survey, Set.of()));
    }

    @Test
    void aNamedPidIsEndedWithItsDescendantsWhoeverItBelongsTo() {
        FakeSurvey survey = table()
                .add(80, 1, 5, false, false, "/srv", false, null)
                .add(81, 80, 6, false, false, "/srv", false, null)
                .add(82, 81, 7, "/srv")
                .add(83, 80, 8, "/srv")
                .add(84, 83, 9, "/srv");
        Strays.Group group = Strays.named(survey, survey.residents(), 80, Set.of(83L), Set.of(81L));
        assertEquals(List.of(80L), group.residents().stream().map(r -> r.pid()).toList(),
                "81 is spared, 83 a tether, so are their trees");
        assertEquals(Strays.Reason.NAMED, group.root().reason());
        assertNull(Strays.named(survey, survey.residents(), 99, Set.of(), Set.of()));
    }

    @Test
    void theCallersAreTetherItsAncestorsAndItsPipeline() {
        FakeSurvey survey = table().add(40, 10, 5, "/w/shop").add(new Resident(SELF, 40, SELF,
                FakeSurvey.BOOT.plusSeconds(6), true, false), "/w/shop", false, null).add(new Resident(41, 40, SELF,
                FakeSurvey.BOOT.plusSeconds(7), true, false), "/w/shop", false, null).add(42, 40, 8, "/w/shop");
        assertEquals(Set.of(SELF, 41L, 40L, 10L, 1L), Strays.callers(survey.residents(), SELF),
                "41 shares tether's group (tether --stop --all | tee log); 42, its sibling, does not");
        assertEquals(List.of("40,41 cwd kept:caller", "42 cwd"), found(survey, Set.of()));
    }
}
