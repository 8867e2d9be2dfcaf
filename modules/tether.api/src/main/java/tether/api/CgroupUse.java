package tether.api;

/**
 * Whether the tree is held in a cgroup of its own (Linux's cgroup v2), beside its process group. Where a
 * provider has no cgroups (macOS; Windows, whose Job Object holds every tree), only {@link #REQUIRED} matters:
 * it fails the spawn.
 */
public enum CgroupUse {
    /** A cgroup where one can be had, else the process group alone. */
    WHERE_AVAILABLE,
    /** A cgroup, or the spawn fails, saying why none could be had. */
    REQUIRED,
    /** The process group alone, as without cgroups. */
    NEVER
}
