package tether.cli;

import tether.api.PathWatch;

/**
 * Whether the watched path is gone: removed, or replaced by another file at the same path.
 *
 * <p>Polled, not watched with inotify or kqueue: a poll is portable, cannot miss a removal that happens
 * while a watch is being armed, and registers nothing that could itself leak. Replacement is decided by
 * the platform from the file's identity (device and inode on Unix), because both {@code git worktree
 * remove} followed by a new worktree at the same path and a removal that renames the tree away and leaves
 * an empty placeholder keep the path alive. Any other error reading the path (permission, I/O) is not a
 * removal.
 */
final class Watch {

    private final PathWatch watched;
    private final String path;
    private boolean reportedError;

    /** @param path the watched path, as shown in messages */
    Watch(PathWatch watched, String path) {
        this.watched = watched;
        this.path = path;
    }

    String path() {
        return path;
    }

    boolean gone() {
        return switch (watched.check()) {
            case PRESENT -> false;
            case GONE -> true;
            case UNKNOWN -> {
                if (!reportedError) {
                    reportedError = true;
                    Log.debug("cannot check {} ({}); not a removal, still watching", path, watched.lastError());
                }
                yield false;
            }
        };
    }
}
