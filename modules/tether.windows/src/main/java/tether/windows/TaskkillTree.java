package tether.windows;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import tether.api.ExitStatus;
import tether.api.Members;
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
    public Members members() {
        Optional<ProcessHandle> handle = ProcessHandle.of(root.pid()).filter(ProcessHandle::isAlive);
        return new Snapshot(handle.map(h -> 1 + (int) h.descendants().filter(ProcessHandle::isAlive).count()).orElse(0));
    }

    @Override
    public void release() {
        root.close();
    }

    /** The tree's size at one moment; every signal goes to the whole tree through the root. */
    private final class Snapshot implements Members {
        private final int count;

        Snapshot(int count) {
            this.count = count;
        }

        @Override
        public int count() {
            return count;
        }

        /**
         * Every signal but SIGKILL becomes a request to close, SIGKILL becomes termination, and SIGCONT is
         * nothing: Windows has no stopped processes to wake.
         */
        @Override
        public List<Unreachable> signal(TreeSignal signal) {
            if (signal == TreeSignal.CONT || count == 0) {
                return List.of();
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
            return List.of();
        }

        /** {@code taskkill /T} reached the whole tree already: nothing is new to it. */
        @Override
        public Members newSince(Members earlier) {
            return new Snapshot(0);
        }

        /** Windows tells tether of no exit here but the root's, so a wait is a plain sleep. */
        @Override
        public void awaitChange(Duration timeout) throws InterruptedException {
            Thread.sleep(timeout);
        }
    }
}
