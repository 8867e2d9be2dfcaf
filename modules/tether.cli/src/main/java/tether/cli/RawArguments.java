package tether.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * tether's arguments as the bytes the OS handed over.
 *
 * <p>The JVM decodes {@code main}'s arguments with the locale's charset, and in the C locale every
 * non-ASCII byte becomes '?'. On Linux the original bytes are in {@code /proc/self/cmdline}, where
 * {@code main}'s arguments are the last entries; they are used when they decode to exactly what the JVM
 * passed, which guards against a launcher that rewrote its command line.
 */
final class RawArguments {

    private RawArguments() {}

    static List<byte[]> of(String[] args) {
        List<byte[]> fromProc = fromProcCmdline(args.length);
        return fromProc != null && decodesTo(fromProc, args) ? fromProc : encoded(args);
    }

    /** Each byte as one character, a lossless carrier for the parser (see {@link CommandLineParser#parse}). */
    static String[] asLatin1(List<byte[]> raw) {
        return raw.stream().map(arg -> new String(arg, StandardCharsets.ISO_8859_1)).toArray(String[]::new);
    }

    static List<byte[]> encoded(String[] args) {
        Charset charset = NativeCharset.get();
        return Arrays.stream(args).map(arg -> arg.getBytes(charset)).toList();
    }

    /**
     * The path of the process's executable ({@code /proc/self/exe}), as bytes, where {@code java.home} would
     * have been decoded with the locale's charset. {@code null} if unknown.
     */
    static byte[] executable() {
        try {
            return bytes(Files.readSymbolicLink(Path.of("/proc/self/exe")));
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    /**
     * An absolute path's bytes as the OS gave them: its URI escapes every byte that is not plain ASCII,
     * where {@code toString} would decode them with the locale's charset (in the C locale, to '?').
     */
    static byte[] bytes(Path absolute) {
        String raw = absolute.toUri().getRawPath();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            if (raw.charAt(i) == '%') {
                bytes.write(HexFormat.fromHexDigits(raw, i + 1, i + 3));
                i += 2;
            } else {
                bytes.write(raw.charAt(i));
            }
        }
        return bytes.toByteArray();
    }

    private static List<byte[]> fromProcCmdline(int count) {
        byte[] cmdline;
        try {
            cmdline = Files.readAllBytes(Path.of("/proc/self/cmdline"));
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
        List<byte[]> all = splitOnNul(cmdline);
        return all.size() < count ? null : all.subList(all.size() - count, all.size());
    }

    /** Splits NUL-terminated strings, as in {@code /proc/PID/cmdline} and {@code /proc/PID/environ}. */
    static List<byte[]> splitOnNul(byte[] bytes) {
        List<byte[]> parts = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                parts.add(Arrays.copyOfRange(bytes, start, i));
                start = i + 1;
            }
        }
        if (start < bytes.length) {
            parts.add(Arrays.copyOfRange(bytes, start, bytes.length));
        }
        return parts;
    }

    private static boolean decodesTo(List<byte[]> raw, String[] args) {
        Charset charset = NativeCharset.get();
        for (int i = 0; i < args.length; i++) {
            if (!new String(raw.get(i), charset).equals(args[i])) {
                return false;
            }
        }
        return true;
    }
}
