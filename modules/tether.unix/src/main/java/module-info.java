/**
 * The Unix provider: the command leads a new process group, and the group is what gets signalled, so
 * descendants that reparented to init after their parent died are still reached by one {@code killpg}.
 * Natives are reached through JNA and loaded only when a command is spawned.
 */
module tether.unix {
    requires tether.api;
    requires com.sun.jna;

    provides tether.api.ProcessTreeKiller with tether.unix.UnixProcessTreeKiller;
}
