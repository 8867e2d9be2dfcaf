package tether.cli;

import tether.api.NativePaths;
import tether.api.OwnProcess;
import tether.api.ProcessTree;
import tether.api.ProcessTreeKiller;
import tether.api.SpawnRequest;
import tether.api.Supervision;

/**
 * A provider that starts nothing of the OS's: its spawn hands back the tree it was given, and with none it
 * fails the test, as does any use of the OS's paths or of tether's own process.
 */
final class FakeKiller implements ProcessTreeKiller {

    private final ProcessTree tree;

    /** @param tree what a spawn returns, or {@code null} where nothing may start */
    FakeKiller(ProcessTree tree) {
        this.tree = tree;
    }

    @Override
    public String name() {
        return "fake";
    }

    @Override
    public int priority() {
        return 0;
    }

    @Override
    public boolean isSupported() {
        return true;
    }

    @Override
    public ProcessTree spawn(SpawnRequest request, Supervision supervision) {
        if (tree == null) {
            throw new AssertionError("nothing may start");
        }
        return tree;
    }

    @Override
    public NativePaths paths() {
        throw new AssertionError("no path is looked at");
    }

    @Override
    public OwnProcess ownProcess() {
        throw new AssertionError("tether's own process is not asked");
    }
}
