package tether.api;

/** A path the OS would not let tether use; the message is the OS's reason, such as {@code Permission denied}. */
public final class PathException extends Exception {

    private static final long serialVersionUID = 1L;

    public PathException(String reason) {
        super(reason);
    }
}
