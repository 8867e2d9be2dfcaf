package tether.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code --list --all}'s second table and its JSON. */
class StrayTableTest {

    static final ShortPaths PATHS = new ShortPaths(FakeSurvey.bytes("/w/shop"), FakeSurvey.bytes("/home/ana"));
    static final Instant NOW = FakeSurvey.BOOT.plusSeconds(600);

    static FakeSurvey table() {
        return new FakeSurvey().add(1, 0, 0, false, false, "/", false, null)
                .add(20, 1, 5, "/w/shop").add(21, 20, 6, "/tmp").withPorts(21, 8000, 5173)
                .add(30, 1, 60, true, false, "/w/shop/web", true, null)
                .add(40, 1, 120, true, false, "/", false, "4242:/w/shop")
                .add(50, 1, 180, true, true, "/w/shop", false, null)
                .inCgroup("/sys/fs/cgroup/tether-4242-81", 4242, 40);
    }

    static List<Strays.Group> groups(FakeSurvey survey) {
        return Strays.find(survey, survey.residents(), Strays.Held.NONE, 900, FakeSurvey.bytes("/w/shop"));
    }

    @Test
    void oneLinePerTreeWithTheTreesProcessesMemoryAndPorts() {
        FakeSurvey survey = table();
        assertEquals(List.of(
                "PID  CWD            COMMAND  PROCS  MEM  PORTS      UP  WHY",
                " 20  .              proc20       2  41K  5173,8000  9m  cwd",
                " 30  web (deleted)  proc30       1  30K  -          9m  cwd deleted",
                " 40  /              proc40       1  40K  -          8m  from tether 4242",
                " 50  .              proc50       1  50K  -          7m  kept: terminal"),
                StrayTable.lines(groups(survey), survey, PATHS, NOW, 80));
    }

    /**
     * Within the width it is given, as the tethers' table: the command gives way first, then the reason, the
     * ports and the directory; without a limit (piped) nothing is cut.
     */
    @Test
    void theTreesFitTheWidthAndPipedNothingIsCut() {
        FakeSurvey survey = table();
        assertEquals(List.of(
                "PID  CWD            COMMAND  PROCS  MEM  PORTS      UP  WHY",
                " 20  .              proc20       2  41K  5173,8000  9m  cwd",
                " 30  web (deleted)  proc30       1  30K  -          9m  cwd del…",
                " 40  /              proc40       1  40K  -          8m  from te…",
                " 50  .              proc50       1  50K  -          7m  kept: t…"),
                StrayTable.lines(groups(survey), survey, PATHS, NOW, 64));
        assertEquals(StrayTable.lines(groups(survey), survey, PATHS, NOW, 80),
                StrayTable.lines(groups(survey), survey, PATHS, NOW, Integer.MAX_VALUE));
    }

    @Test
    void theJsonHasEveryProcessOfEveryTree() {
        FakeSurvey survey = table();
        List<Strays.Group> all = groups(survey);
        assertEquals("""
                {"tethers": [], "untethered": [
                  {"pid": 20, "processes": 2, "memory": 41984, "ports": [5173, 8000], "kept": null, "members": [
                    {"pid": 20, "parent": 1, "command": ["proc20"], "cwd": "/w/shop", "cwd_deleted": false, \
                "started": "2026-11-26T08:00:05Z", "memory": 20480, "ports": [], "why": "cwd", "marker": null, "cgroup": null},
                    {"pid": 21, "parent": 20, "command": ["proc21"], "cwd": "/tmp", "cwd_deleted": false, \
                "started": "2026-11-26T08:00:06Z", "memory": 21504, "ports": [5173, 8000], "why": "descendant", "marker": null, "cgroup": null}
                  ]},
                  {"pid": 40, "processes": 1, "memory": 40960, "ports": [], "kept": null, "members": [
                    {"pid": 40, "parent": 1, "command": ["proc40"], "cwd": "/", "cwd_deleted": false, \
                "started": "2026-11-26T08:02:00Z", "memory": 40960, "ports": [], "why": "marker", "marker": "4242:/w/shop", \
                "cgroup": "/sys/fs/cgroup/tether-4242-81"}
                  ]}
                ]}
                """, StrayJson.of(List.of(), Map.of(), List.of(all.get(0), all.get(2)), survey));
    }

    /** The tethers of --list --all --json are --list --json's objects, their readiness and cgroup included. */
    @Test
    void theTethersAreAsListJsonShowsThem() {
        Sighting tether = TetherTableTest.withReady(TetherTableTest.sighting(7, "/w/shop", List.of("vite"), 1,
                new int[] {5173}, null, java.time.Duration.ofMinutes(1)), "port:5173");
        Map<Sighting, Boolean> ready = new java.util.IdentityHashMap<>();
        ready.put(tether, true);
        String json = StrayJson.of(List.of(tether), ready, List.of(), new FakeSurvey());
        assertEquals("{\"tethers\": [\n  " + TetherJson.object(tether, true) + "\n], \"untethered\": []}\n", json);
        assertEquals(true, json.contains("\"ready_conditions\": [\"port:5173\"], \"ready\": true, \"cgroup\": null}"), json);
    }

    @Test
    void nothingFoundIsTwoEmptyArrays() {
        assertEquals("{\"tethers\": [], \"untethered\": []}\n", StrayJson.of(List.of(), Map.of(), List.of(), new FakeSurvey()));
        assertEquals(List.of(), StrayTable.lines(List.of(), new FakeSurvey(), PATHS, NOW, 80));
    }
}
