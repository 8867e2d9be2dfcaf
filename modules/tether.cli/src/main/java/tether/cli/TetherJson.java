package tether.cli;

import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import tether.api.Printable;

/**
 * {@code --list --json}: one array with an object per tether, the interface scripts and agents rely on, so
 * its fields are the README's and no other. Paths and words are strings in {@link Printable}'s form: UTF-8
 * as it is, any other byte as {@code \xNN}, so that the output is always valid JSON.
 */
final class TetherJson {

    private TetherJson() {}

    static String of(List<Sighting> tethers) {
        if (tethers.isEmpty()) {
            return "[]\n";
        }
        return tethers.stream().map(TetherJson::object).collect(Collectors.joining(",\n  ", "[\n  ", "\n]\n"));
    }

    private static String object(Sighting t) {
        return "{\"pid\": " + t.pid()
                + ", \"watch\": " + path(t.watch())
                + ", \"cwd\": " + path(t.directory())
                + ", \"command\": " + t.command().stream().map(word -> string(Printable.of(word)))
                        .collect(Collectors.joining(", ", "[", "]"))
                + ", \"started\": " + string(t.started().truncatedTo(ChronoUnit.MILLIS).toString())
                + ", \"processes\": " + t.processes()
                + ", \"ports\": " + IntStream.of(t.ports()).mapToObj(String::valueOf)
                        .collect(Collectors.joining(", ", "[", "]"))
                + ", \"log\": " + path(t.log())
                + ", \"detached\": " + t.detached() + "}";
    }

    private static String path(byte[] path) {
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
