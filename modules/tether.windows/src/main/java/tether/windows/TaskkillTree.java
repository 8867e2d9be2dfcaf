package tether.windows;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import tether.api.ExitStatus;
import tether.api.ProcessTree;
import tether.api.TreeSignal;

/**
 * The command and its descendants, reached through {@code taskkill /T} from the command's pid. Windows
 * keeps parent-child links only while the parent lives: once the command has exited, a descendant it
 * left behind cannot be found from it, so the tree counts as empty then.
 */
final class TaskkillTree implements ProcessTree {

    private final RootProcess root;
    private final CommandRunner runner;
    private final Taskkill taskkill;

    TaskkillTree(RootProcess root, CommandRunner runner, Taskkill taskkill) {
        this.root = root;
        this.runner = runner;
        this.taskkill = taskkill;
    }

    @Override
    public long pid() {
        return root.pid();
    }

    @Override
    public ExitStatus awaitExit() throws InterruptedException {
        return ExitStatus.exited(root.awaitExitCode());
    }

    @Override
    public int liveMembers() {
        Optional<ProcessHandle> handle = ProcessHandle.of(root.pid()).filter(ProcessHandle::isAlive);
        return handle.map(h -> 1 + (int) h.descendants().filter(ProcessHandle::isAlive).count()).orElse(0);
    }

    /**
     * Every signal but SIGKILL becomes a request to close, SIGKILL becomes termination, and SIGCONT is
     * nothing: Windows has no stopped processes to wake.
     */
    @Override
    public void signal(TreeSignal signal) {
        if (signal == TreeSignal.CONT || liveMembers() == 0) {
            return;
        }
        List<String> command = signal == TreeSignal.KILL ? taskkill.terminate(root.pid())
                : taskkill.askToClose(root.pid());
        try {
            runner.run(command);
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void release() {
        root.close();
    }
}
