package tether.cli;

import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import tether.api.ProcessSurvey;
import tether.api.Provenance;
import tether.api.Resident;

/**
 * {@code --list --all --json}: one object, {@code {"tethers": [...], "untethered": [...]}}, the tethers as
 * {@code --list --json} gives them and every tree of processes no tether holds with each of its processes;
 * the fields are docs/usage.md's. Strings are in {@link tether.api.Printable}'s form, as in {@link TetherJson}.
 */
final class StrayJson {

    private StrayJson() {}

    /** @param ready whether each tether's {@code --ready} holds, as {@link ReadyNow} answers */
    static String of(List<Sighting> tethers, Map<Sighting, Boolean> ready, List<Strays.Group> groups,
            ProcessSurvey survey) {
        StringBuilder json = new StringBuilder("{\"tethers\": [");
        for (int i = 0; i < tethers.size(); i++) {
            json.append(i == 0 ? "\n" : ",\n").append("  ").append(TetherJson.object(tethers.get(i), ready.get(tethers.get(i))));
        }
        json.append(tethers.isEmpty() ? "" : "\n").append("], \"untethered\": [");
        for (int i = 0; i < groups.size(); i++) {
            json.append(i == 0 ? "\n" : ",\n").append(group(groups.get(i), survey));
        }
        return json.append(groups.isEmpty() ? "" : "\n").append("]}\n").toString();
    }

    private static String group(Strays.Group group, ProcessSurvey survey) {
        List<String> members = new ArrayList<>();
        TreeSet<Integer> ports = new TreeSet<>();
        long memory = -1;
        for (Strays.Stray stray : group.processes()) {
            long used = survey.memory(stray.process());
            int[] own = survey.ports(List.of(stray.process()));
            for (int port : own) {
                ports.add(port);
            }
            memory = Strays.plusMemory(memory, used);
            members.add(member(stray, survey, used, own));
        }
        int[] all = new int[ports.size()];
        int n = 0;
        for (int port : ports) {
            all[n++] = port;
        }
        return "  {\"pid\": " + group.root().process().pid()
                + ", \"processes\": " + group.processes().size()
                + ", \"memory\": " + TetherJson.bytes(memory)
                + ", \"ports\": " + TetherJson.numbers(all)
                + ", \"kept\": " + (group.keep() == null ? "null" : TetherJson.string(group.keep().json))
                + ", \"members\": [\n    " + String.join(",\n    ", members) + "\n  ]}";
    }

    private static String member(Strays.Stray stray, ProcessSurvey survey, long memory, int[] ports) {
        Resident process = stray.process();
        ProcessSurvey.Whereabouts where = stray.where();
        Provenance.Marker marker = stray.marker();
        return "{\"pid\": " + process.pid()
                + ", \"parent\": " + process.parent()
                + ", \"command\": " + TetherJson.words(survey.command(process))
                + ", \"cwd\": " + TetherJson.path(where == null ? null : where.directory())
                + ", \"cwd_deleted\": " + (where != null && where.directoryDeleted())
                + ", \"started\": " + (process.started() == null ? "null"
                        : TetherJson.string(process.started().truncatedTo(ChronoUnit.MILLIS).toString()))
                + ", \"memory\": " + TetherJson.bytes(memory)
                + ", \"ports\": " + TetherJson.numbers(ports)
                + ", \"why\": " + TetherJson.string(stray.reason().json)
                + ", \"marker\": " + (marker == null ? "null" : TetherJson.string(Provenance.value(marker.tether(), marker.path())))
                + ", \"cgroup\": " + TetherJson.path(stray.cgroup() == null ? null : stray.cgroup().directory())
                + "}";
    }
}
