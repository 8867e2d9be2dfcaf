package tether.cli;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tether.api.PathBytes;
import tether.api.ProcessSurvey;
import tether.api.Provenance;
import tether.api.Resident;
import tether.api.TreeSignal;

/**
 * A process table written out by a test: each process's parent, user, terminal, directory, marker and the
 * cgroup a tether made that it is in, and the signals sent to it. Signals reach only a process that is still in the table with the same start, as a
 * real survey promises.
 */
class FakeSurvey implements ProcessSurvey {

    static final Instant BOOT = Instant.parse("2026-11-26T08:00:00Z");

    record Entry(Resident resident, Whereabouts where, List<byte[]> command, long memory, int[] ports) {}

    final Map<Long, Entry> table = new HashMap<>();
    final List<String> sent = new ArrayList<>();
    /** Processes whose signals the OS refuses, with its reason. */
    final Map<Long, String> refusing = new HashMap<>();
    /** The cgroup a tether made that each process is in, for those in one. */
    final Map<Long, TetherCgroup> cgroups = new HashMap<>();
    /** The processes whose cgroup was asked, in order. */
    final List<Long> cgroupsAsked = new ArrayList<>();

    /**
     * A process of this user that started {@code second} seconds after boot, in {@code directory}, leading a
     * process group of its own.
     */
    FakeSurvey add(long pid, long parent, int second, String directory) {
        return add(pid, parent, second, true, false, directory, false, null);
    }

    FakeSurvey add(long pid, long parent, int second, boolean mine, boolean foreground, String directory,
            boolean deleted, String marker) {
        return add(new Resident(pid, parent, pid, BOOT.plusSeconds(second), mine, foreground), directory, deleted, marker);
    }

    FakeSurvey add(Resident resident, String directory, boolean deleted, String marker) {
        long pid = resident.pid();
        boolean mine = resident.mine();
        Whereabouts where = new Whereabouts(directory == null ? null : bytes(directory), deleted,
                marker == null ? null : bytes(Provenance.VARIABLE + "=" + marker));
        table.put(pid, new Entry(resident, mine ? where : null, List.of(bytes("proc" + pid)), pid * 1024, new int[0]));
        return this;
    }

    FakeSurvey withPorts(long pid, int... ports) {
        Entry entry = table.get(pid);
        table.put(pid, new Entry(entry.resident(), entry.where(), entry.command(), entry.memory(), ports));
        return this;
    }

    /** {@code pids} in the cgroup tether {@code tether} made, at {@code directory}. */
    FakeSurvey inCgroup(String directory, long tether, long... pids) {
        TetherCgroup cgroup = new TetherCgroup(bytes(directory), tether);
        for (long pid : pids) {
            cgroups.put(pid, cgroup);
        }
        return this;
    }

    void remove(long pid) {
        table.remove(pid);
    }

    Resident resident(long pid) {
        return table.get(pid).resident();
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public List<Resident> residents() {
        List<Resident> residents = new ArrayList<>();
        for (Entry entry : table.values()) {
            residents.add(entry.resident());
        }
        return residents;
    }

    @Override
    public Whereabouts whereabouts(Resident process) {
        Entry entry = table.get(process.pid());
        return entry == null ? null : entry.where();
    }

    @Override
    public TetherCgroup tetherCgroup(Resident process) {
        cgroupsAsked.add(process.pid());
        return cgroups.get(process.pid());
    }

    @Override
    public long[] members(TetherCgroup cgroup) {
        List<Long> members = new ArrayList<>();
        for (Map.Entry<Long, TetherCgroup> entry : cgroups.entrySet()) {
            if (java.util.Arrays.equals(entry.getValue().directory(), cgroup.directory()) && table.containsKey(entry.getKey())) {
                members.add(entry.getKey());
            }
        }
        return members.stream().mapToLong(Long::longValue).toArray();
    }

    @Override
    public List<byte[]> command(Resident process) {
        Entry entry = table.get(process.pid());
        return entry == null ? List.of() : entry.command();
    }

    @Override
    public long memory(Resident process) {
        Entry entry = table.get(process.pid());
        return entry == null ? -1 : entry.memory();
    }

    @Override
    public int[] ports(List<Resident> processes) {
        List<Integer> ports = new ArrayList<>();
        for (Resident process : processes) {
            Entry entry = table.get(process.pid());
            for (int port : entry == null ? new int[0] : entry.ports()) {
                if (!ports.contains(port)) {
                    ports.add(port);
                }
            }
        }
        return ports.stream().sorted().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public String signal(Resident process, TreeSignal signal) {
        Entry entry = table.get(process.pid());
        if (entry == null || !entry.resident().isSameAs(process)) {
            return null;
        }
        if (refusing.containsKey(process.pid())) {
            return refusing.get(process.pid());
        }
        sent.add(signal + " " + process.pid());
        return null;
    }

    @Override
    public boolean isWithin(byte[] path, byte[] directory) {
        return PathBytes.isWithin(path, directory);
    }
}
