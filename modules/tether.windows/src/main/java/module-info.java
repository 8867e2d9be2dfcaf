/**
 * The Windows provider: Windows has no process group that can be signalled as a whole, so the command and
 * everything it starts run in a Job Object that only tether holds, and that Windows ends when tether's
 * handle closes, however tether ended. The command starts in a new console process group, so a Ctrl-C in
 * the console reaches tether only, and tether decides how the tree ends.
 */
module tether.windows {
    requires tether.api;
    requires com.sun.jna;

    provides tether.api.ProcessTreeKiller with tether.windows.WindowsProcessTreeKiller;
}
