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
 * removal, but the user is told, once each time it starts: where the platform cannot see a removal
 * through what it holds of the path, tether may keep the tree alive after one until the path can be
 * looked at again.
 */
final class Watch {

    private final PathWatch watched;
    private final String path;
    private boolean blind;

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
            case PRESENT -> {
                if (blind) {
                    blind = false;
                    Log.info("'{}' can be checked again", path);
                }
                yield false;
            }
            case GONE -> true;
            case UNKNOWN -> {
                if (!blind) {
                    blind = true;
                    Log.warn("cannot check '{}': {}; not taken for a removal, still watching", path,
                            watched.lastError());
                }
                yield false;
            }
        };
    }
}
