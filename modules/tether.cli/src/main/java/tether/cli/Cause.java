package tether.cli;

import tether.api.ExitStatus;

/** Why the supervision ended, and the exit status that follows from it. */
sealed interface Cause {

    int exitStatus();

    /** COMMAND exited on its own: tether passes its status on. */
    record Exited(ExitStatus status) implements Cause {
        @Override
        public int exitStatus() {
            return status.shellStatus();
        }

        @Override
        public String toString() {
            return "command " + status;
        }
    }

    /** The watched path was removed or replaced: the tether did its job, so 0. */
    record PathGone(String path) implements Cause {
        @Override
        public int exitStatus() {
            return 0;
        }

        @Override
        public String toString() {
            return path + " was removed or replaced";
        }
    }

    /** tether got SIGINT, SIGTERM or SIGHUP: the shell's 128 + N. */
    record Signalled(int signal) implements Cause {
        @Override
        public int exitStatus() {
            return 128 + signal;
        }

        @Override
        public String toString() {
            return "tether received signal " + signal;
        }
    }

    /** {@code --ready} did not hold within its timeout: 124, as {@code timeout(1)} ends. */
    record NotReady(String reason) implements Cause {
        @Override
        public int exitStatus() {
            return ReadyOptions.TIMED_OUT;
        }

        @Override
        public String toString() {
            return reason;
        }
    }
}
