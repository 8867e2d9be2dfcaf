/**
 * The Windows provider: Windows has no process group that can be signalled as a whole, so the tree is
 * torn down with {@code taskkill /T}, which follows parent-child links from the command down. The command
 * starts in a new console process group, so a Ctrl-C in the console reaches tether only, and tether
 * decides how the tree ends.
 */
module tether.windows {
    requires tether.api;
    requires com.sun.jna;
    requires jdk.unsupported;

    provides tether.api.ProcessTreeKiller with tether.windows.WindowsProcessTreeKiller;
}
