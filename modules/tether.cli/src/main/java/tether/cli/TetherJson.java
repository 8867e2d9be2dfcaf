package tether.cli;

import java.nio.charset.StandardCharsets;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import tether.api.Printable;
import tether.cli.ready.Condition;

/**
 * {@code --list --json}: one array with an object per tether, the interface scripts and agents rely on, so
 * its fields are docs/usage.md's and no other. Paths and words are strings in {@link Printable}'s form: UTF-8
 * as it is, any other byte as {@code \xNN}, so that the output is always valid JSON.
 */
final class TetherJson {

    private TetherJson() {}

    /** @param ready whether each tether's {@code --ready} holds, as {@link ReadyNow} answers */
    static String of(List<Sighting> tethers, Map<Sighting, Boolean> ready) {
        if (tethers.isEmpty()) {
            return "[]\n";
        }
        StringBuilder json = new StringBuilder("[\n");
        for (int i = 0; i < tethers.size(); i++) {
            json.append("  ").append(object(tethers.get(i), ready.get(tethers.get(i))))
                    .append(i + 1 < tethers.size() ? ",\n" : "\n");
        }
        return json.append("]\n").toString();
    }

    static String object(Sighting t, Boolean ready) {
        return "{\"pid\": " + t.pid()
                + ", \"watch\": " + path(t.watch())
                + ", \"cwd\": " + path(t.directory())
                + ", \"command\": " + words(t.command())
                + ", \"started\": " + string(t.started().truncatedTo(ChronoUnit.MILLIS).toString())
                + ", \"processes\": " + t.processes()
                + ", \"ports\": " + numbers(t.ports())
                + ", \"log\": " + path(t.log())
                + ", \"detached\": " + t.detached()
                + ", \"memory\": " + bytes(t.memory())
                + ", \"marker\": " + string(t.marker())
                + ", \"ready_conditions\": " + conditions(t.ready())
                + ", \"ready\": " + ready
                + ", \"cgroup\": " + path(t.cgroup()) + "}";
    }

    /** A size in bytes, or null when it could not be read (-1). */
    static String bytes(long bytes) {
        return bytes < 0 ? "null" : Long.toString(bytes);
    }

    static String words(List<byte[]> words) {
        StringBuilder array = new StringBuilder("[");
        for (byte[] word : words) {
            array.append(array.length() > 1 ? ", " : "").append(string(Printable.of(word)));
        }
        return array.append(']').toString();
    }

    private static String conditions(List<Condition> conditions) {
        StringBuilder array = new StringBuilder("[");
        for (Condition condition : conditions) {
            array.append(array.length() > 1 ? ", " : "")
                    .append(string(Printable.of(condition.text().getBytes(StandardCharsets.UTF_8))));
        }
        return array.append(']').toString();
    }

    static String numbers(int[] numbers) {
        StringBuilder array = new StringBuilder("[");
        for (int number : numbers) {
            array.append(array.length() > 1 ? ", " : "").append(number);
        }
        return array.append(']').toString();
    }

    static String path(byte[] path) {
        return path == null ? "null" : string(Printable.of(path));
    }

    /** A JSON string; Printable has already turned control characters into visible escapes. */
    static String string(String text) {
        StringBuilder json = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        return json.append('"').toString();
    }
}
