package tether.cli.ready;

/** An {@code http://} URL, asked once a tick until it answers below 500. */
public final class HttpProbe implements Probe {

    private final Condition.Url url;
    private HttpCheck.Answer last;

    public HttpProbe(Condition.Url url) {
        this.url = url;
    }

    @Override
    public boolean holds(long deadline) {
        last = HttpCheck.ask(url, deadline);
        return last.holds();
    }

    @Override
    public String answered() {
        return url.text() + " " + last;
    }

    @Override
    public String missing() {
        if (last == null) {
            return url.text() + " not asked";
        }
        return url.text() + (last.failure() == null ? " " : ": ") + last;
    }
}
