package tether.cli.ready;

/**
 * {@code output:REGEX}: a line of COMMAND's output in which the pattern finds a match. Lines are offered as
 * they are read, from the log or from the pipes (see {@link OutputLines}); the first match is kept.
 */
public final class OutputProbe implements Probe {

    /** How much of the matching line the ready line shows. */
    private static final int SHOWN = 60;

    private final Condition.Output condition;
    private volatile String matched;

    public OutputProbe(Condition.Output condition) {
        this.condition = condition;
    }

    /**
     * A line COMMAND wrote; the first one the pattern finds a match in makes the condition hold.
     *
     * @return whether this line did
     */
    public boolean offer(String line) {
        if (matched == null && condition.pattern().matcher(line).find()) {
            matched = line;
            return true;
        }
        return false;
    }

    @Override
    public boolean holds(long deadline) {
        return matched != null;
    }

    @Override
    public String answered() {
        String line = matched.strip();
        return "printed '" + (line.length() > SHOWN ? line.substring(0, SHOWN) + "…" : line) + "'";
    }

    @Override
    public String missing() {
        return "no line matched '" + condition.pattern().pattern() + "'";
    }
}
