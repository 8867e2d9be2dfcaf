package tether.cli.ready;

import java.util.List;
import tether.api.OutputTap;

/**
 * What the pipes pass on, cut into lines per stream (stdout's and stderr's lines must not be spliced together)
 * and offered to every {@link OutputProbe}.
 */
public final class OutputLines implements OutputTap.Reader {

    private final List<OutputProbe> probes;
    private final Lines stdout = new Lines();
    private final Lines stderr = new Lines();

    public OutputLines(List<OutputProbe> probes) {
        this.probes = probes;
    }

    @Override
    public void read(int stream, byte[] bytes, int length) {
        offer((stream == 2 ? stderr : stdout).add(bytes, length));
    }

    /** Offers each line to every probe. */
    public void offer(List<String> lines) {
        for (String line : lines) {
            for (OutputProbe probe : probes) {
                probe.offer(line);
            }
        }
    }
}
