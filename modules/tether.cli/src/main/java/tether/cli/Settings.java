package tether.cli;

import java.time.Duration;
import tether.api.TreeSignal;

/**
 * A checked command line.
 *
 * @param commandStart index of COMMAND in tether's arguments; COMMAND and its arguments are the rest
 * @param directory    {@code -C}, or {@code null}
 * @param watch        {@code --watch}, or {@code null} for tether's working directory
 * @param noWatch      {@code --no-watch}
 * @param detach       {@code --detach}
 * @param log          {@code --log}, or {@code null}
 */
record Settings(int commandStart, String directory, String watch, boolean noWatch, Duration poll,
        Duration grace, TreeSignal signal, LogLevel logLevel, boolean detach, String log) {}
