package tether.api;

/**
 * What a {@link Teardown} needs of the processes it ends: their live members now. A spawned
 * {@link ProcessTree} is one; so are the processes {@code --stop --all} ends, which no tether started.
 */
public interface Tree {

    /** The live members now. */
    Members members();
}
