package tether.cli;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses durations written as a number and a unit: {@code 250ms}, {@code 1.5s}, {@code 2m}. */
final class Durations {

    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m)");

    private Durations() {}

    static Duration parse(String text) {
        Matcher m = DURATION.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "invalid duration '" + text + "': expected a number and a unit, like 250ms, 1.5s or 2m");
        }
        BigDecimal unitMillis = switch (m.group(2)) {
            case "ms" -> BigDecimal.ONE;
            case "s" -> BigDecimal.valueOf(1_000);
            default -> BigDecimal.valueOf(60_000);
        };
        BigDecimal nanos = new BigDecimal(m.group(1)).multiply(unitMillis).movePointRight(6);
        if (nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException("invalid duration '" + text + "': too long");
        }
        return Duration.ofNanos(nanos.longValue());
    }

    /** For diagnostics: {@code 12.3ms} below a second, {@code 1.500s} above. */
    static String format(Duration duration) {
        long micros = duration.toNanos() / 1_000;
        return micros < 1_000_000
                ? String.format(java.util.Locale.ROOT, "%.1fms", micros / 1_000.0)
                : String.format(java.util.Locale.ROOT, "%.3fs", micros / 1_000_000.0);
    }
}
