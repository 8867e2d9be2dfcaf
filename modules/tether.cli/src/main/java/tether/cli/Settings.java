package tether.cli;

import java.time.Duration;
import tether.api.CgroupUse;
import tether.api.TreeSignal;

/**
 * A checked command line.
 *
 * @param commandStart index of COMMAND in tether's arguments; COMMAND and its arguments are the rest
 * <p>Paths are the bytes of the argument as the OS passed it, so that no locale can change them.
 *
 * @param directory    {@code -C}, or {@code null}
 * @param watch        {@code --watch}, or {@code null} for tether's working directory
 * @param noWatch      {@code --no-watch}
 * @param detach       {@code --detach}
 * @param log          {@code --log}, or {@code null}
 * @param cgroup       {@code --cgroup}, {@code --no-cgroup}, or neither
 * @param ready        {@code --ready} and its options, or {@code null}
 */
record Settings(int commandStart, byte[] directory, byte[] watch, boolean noWatch, Duration poll,
        Duration grace, TreeSignal signal, LogLevel logLevel, boolean detach, byte[] log, CgroupUse cgroup,
        ReadyOptions ready) {}
