package tether.windows;

import java.nio.charset.Charset;
import java.util.Arrays;
import java.util.List;
import tether.api.OwnProcess;

/**
 * tether's own process as the JVM sees it. Windows keeps a process's arguments and environment as UTF-16,
 * which the JVM decodes without loss, so its strings are the truth here; they are handed on as bytes in
 * the charset the provider decodes them with again.
 */
final class JvmProcess implements OwnProcess {

    private final Charset charset;

    JvmProcess(Charset charset) {
        this.charset = charset;
    }

    @Override
    public List<byte[]> arguments(String[] decoded) {
        return Arrays.stream(decoded).map(argument -> argument.getBytes(charset)).toList();
    }

    @Override
    public List<byte[]> environment() {
        return System.getenv().entrySet().stream()
                .map(entry -> (entry.getKey() + "=" + entry.getValue()).getBytes(charset)).toList();
    }

    @Override
    public byte[] executable() {
        return ProcessHandle.current().info().command().map(command -> command.getBytes(charset)).orElse(null);
    }
}
