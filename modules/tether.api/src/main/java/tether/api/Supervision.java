package tether.api;

/**
 * The supervisor's side of a spawned tree: what a provider tells it while the tree runs, from the provider's
 * own threads, possibly before {@link ProcessTreeKiller#spawn} has returned.
 */
public interface Supervision {

    /** A signal that asks tether to end arrived; {@code signal} is its number. */
    void stopRequested(int signal);

    /**
     * Something the user must know that does not end the supervision, such as a safeguard lost (the
     * sentinel was killed): one line, without the {@code tether:} prefix.
     */
    void warn(String message);
}
