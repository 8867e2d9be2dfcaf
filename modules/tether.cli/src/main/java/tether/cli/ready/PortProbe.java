package tether.cli.ready;

import tether.api.ProcessTree;

/** {@code port} and {@code port:N}: the tree's own sockets, as the platform reads them. */
public final class PortProbe implements Probe {

    private final Condition.Port condition;
    private final ProcessTree tree;
    private int[] seen = new int[0];

    public PortProbe(Condition.Port condition, ProcessTree tree) {
        this.condition = condition;
        this.tree = tree;
    }

    @Override
    public boolean holds(long deadline) {
        seen = tree.listeningPorts();
        return holds(condition, seen);
    }

    /** Whether {@code listening}, the tree's ports, meet {@code condition}. */
    public static boolean holds(Condition.Port condition, int[] listening) {
        if (condition.number() == 0) {
            return listening.length > 0;
        }
        for (int port : listening) {
            if (port == condition.number()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String answered() {
        if (condition.number() != 0) {
            return "port " + condition.number() + " listening";
        }
        return (seen.length == 1 ? "port " : "ports ") + list(seen) + " listening";
    }

    @Override
    public String missing() {
        if (condition.number() == 0) {
            return "no port listening";
        }
        return "port " + condition.number() + " not listening"
                + (seen.length == 0 ? "" : " (the tree listens on " + list(seen) + ")");
    }

    private static String list(int[] ports) {
        StringBuilder text = new StringBuilder();
        for (int port : ports) {
            text.append(text.isEmpty() ? "" : ", ").append(port);
        }
        return text.toString();
    }
}
