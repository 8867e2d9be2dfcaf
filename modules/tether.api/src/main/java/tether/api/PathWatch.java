package tether.api;

/**
 * A watched path, held so that its identity cannot pass to a new file at the same path (a filesystem
 * hands a freed inode number to the next file created), and checked on demand.
 */
public interface PathWatch {

    /** What a check found. */
    enum State {
        /** The same file or directory is still at the path. */
        PRESENT,
        /** Nothing is at the path any more, a parent is no longer a directory, or another file took its place. */
        GONE,
        /** The OS would not say (permission, I/O error, a symbolic-link loop): not a removal. */
        UNKNOWN
    }

    State check();

    /** The OS's reason for the last {@link State#UNKNOWN}, for diagnostics. */
    String lastError();
}
