package tether.cli.ready;

/**
 * One {@link Condition} being checked while tether waits for readiness. A probe is asked until it holds once;
 * from then on its condition counts as met, and it is not asked again.
 */
public interface Probe {

    /** Whether the condition holds now; may take until {@code deadline} ({@code System.nanoTime}) to find out. */
    boolean holds(long deadline);

    /** What answered, once {@link #holds} said so: {@code port 8000 listening}. */
    String answered();

    /** Why the condition does not hold, after the last {@link #holds}: {@code port 5173 not listening}. */
    String missing();
}
