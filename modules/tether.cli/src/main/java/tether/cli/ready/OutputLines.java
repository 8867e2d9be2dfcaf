package tether.cli.ready;

import java.util.List;
import tether.api.OutputTap;

/**
 * What the pipes pass on, cut into lines per stream (stdout's and stderr's lines must not be spliced together)
 * and offered to every {@link OutputProbe}.
 */
public final class OutputLines implements OutputTap.Reader {

    private final List<OutputProbe> probes;
    private final Runnable matched;
    private final Lines stdout = new Lines();
    private final Lines stderr = new Lines();

    /** @param matched told when a probe's condition came to hold, so that the wait need not last a tick more */
    public OutputLines(List<OutputProbe> probes, Runnable matched) {
        this.probes = probes;
        this.matched = matched;
    }

    @Override
    public void read(int stream, byte[] bytes, int length) {
        offer((stream == 2 ? stderr : stdout).add(bytes, length));
    }

    /** Offers each line to every probe. */
    public void offer(List<String> lines) {
        for (String line : lines) {
            for (OutputProbe probe : probes) {
                if (probe.offer(line)) {
                    matched.run();
                }
            }
        }
    }
}
