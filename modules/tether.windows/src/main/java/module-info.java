/**
 * The Windows provider: Windows has no process group that can be signalled as a whole, so the command
 * starts in a new console process group (so tether's Ctrl-C handling is its own) and the tree is torn
 * down with {@code taskkill /T}, which walks the parent-child links.
 */
module tether.windows {
    requires tether.api;
    requires com.sun.jna;
}
