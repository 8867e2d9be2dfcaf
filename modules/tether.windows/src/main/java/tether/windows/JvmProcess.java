package tether.windows;

import java.io.IOException;
import java.nio.charset.Charset;
import java.util.Arrays;
import java.util.List;
import tether.api.OwnProcess;

/**
 * tether's own process as the JVM sees it. Windows keeps a process's environment as UTF-16, which the JVM
 * reads without loss, so its strings are the truth here; they are handed on as bytes in the carrier the
 * provider decodes them with again (UTF-8), never through the ANSI code page. (The arguments are what
 * the java launcher made of them.)
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

    /** Windows has no launcher that moves stdout aside: only the JVM's own stdout is ever asked for. */
    @Override
    public void write(int fd, byte[] bytes) throws IOException {
        if (fd != 1) {
            throw new IOException("no descriptor " + fd + " on Windows");
        }
        System.out.write(bytes);
        System.out.flush();
    }

    @Override
    public byte[] executable() {
        return ProcessHandle.current().info().command().map(command -> command.getBytes(charset)).orElse(null);
    }
}
