package tether.testkit;

/**
 * One constant, size or offset the code uses, beside the value the OS header gives it and the header's
 * name: the row of a test that holds a platform the tests cannot run on to its own headers.
 */
public record HeaderFact(String name, long used, long header, String source) {

    public static HeaderFact fact(String name, long used, long header, String source) {
        return new HeaderFact(name, used, header, source);
    }

    @Override
    public String toString() {
        return name + " (" + source + ")";
    }
}
