package tether.cli;

import java.time.Duration;
import java.util.Locale;

/**
 * Parses durations written as a number and a unit: {@code 250ms}, {@code 1.5s}, {@code 2m}. By hand
 * rather than with a regular expression, since it runs on every start. A refusal says only what is wrong;
 * the caller names the option and the value (see {@link Fatal}).
 */
final class Durations {

    private static final long NANOS_PER_MILLI = 1_000_000L;

    private Durations() {}

    static Duration parse(String text) {
        String t = text.strip();
        long unit;
        int end;
        if (t.endsWith("ms")) {
            unit = NANOS_PER_MILLI;
            end = t.length() - 2;
        } else if (t.endsWith("s")) {
            unit = 1_000 * NANOS_PER_MILLI;
            end = t.length() - 1;
        } else if (t.endsWith("m")) {
            unit = 60_000 * NANOS_PER_MILLI;
            end = t.length() - 1;
        } else {
            throw invalid();
        }
        String number = t.substring(0, end);
        int dot = number.indexOf('.');
        String whole = dot < 0 ? number : number.substring(0, dot);
        String fraction = dot < 0 ? "" : number.substring(dot + 1);
        if (!digits(whole) || (dot >= 0 && !digits(fraction))) {
            throw invalid();
        }
        try {
            long nanos = Math.multiplyExact(Long.parseLong(whole), unit);
            long scale = unit;
            for (int i = 0; i < fraction.length() && scale > 1; i++) {
                scale /= 10;
                nanos = Math.addExact(nanos, (fraction.charAt(i) - '0') * scale);
            }
            return Duration.ofNanos(nanos);
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("too long");
        }
    }

    private static boolean digits(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static IllegalArgumentException invalid() {
        return new IllegalArgumentException("expected a number and a unit, like 250ms, 1.5s or 2m");
    }

    /** For diagnostics: {@code 12.3ms} below a second, {@code 1.500s} above. */
    static String format(Duration duration) {
        long micros = duration.toNanos() / 1_000;
        return micros < 1_000_000
                ? String.format(Locale.ROOT, "%.1fms", micros / 1_000.0)
                : String.format(Locale.ROOT, "%.3fs", micros / 1_000_000.0);
    }
}
