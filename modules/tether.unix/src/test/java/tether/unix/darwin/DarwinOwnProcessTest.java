package tether.unix.darwin;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The exec area as {@code sysctl(KERN_PROCARGS2)} returns it (xnu bsd/kern/kern_sysctl.c, sysctl_procargsx):
 * an int argc, the executable path, NUL padding to a word, the arguments, the environment, then Apple's
 * own strings after an empty one.
 */
class DarwinOwnProcessTest {

    static byte[] area(int argc, String executable, int padding, List<byte[]> strings) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(argc).array());
        out.writeBytes(executable.getBytes(UTF_8));
        out.writeBytes(new byte[1 + padding]);
        for (byte[] string : strings) {
            out.writeBytes(string);
            out.write(0);
        }
        return out.toByteArray();
    }

    static List<String> text(List<byte[]> parts) {
        return parts.stream().map(part -> new String(part, UTF_8)).toList();
    }

    @Test
    void argumentsAndEnvironmentAreSplitAtArgcAndEndAtTheFirstEmptyString() {
        byte[] notUtf8 = {'X', '=', (byte) 0xe9};
        DarwinOwnProcess.ExecArea area = DarwinOwnProcess.parse(area(3, "/opt/tether/bin/tether", 5, List.of(
                "tether".getBytes(UTF_8), "--".getBytes(UTF_8), "true".getBytes(UTF_8),
                "PATH=/bin".getBytes(UTF_8), notUtf8, "JAVA_TOOL_OPTIONS=-Dx".getBytes(UTF_8), new byte[0],
                "executable_path=/opt/tether/bin/tether".getBytes(UTF_8))));
        assertEquals("/opt/tether/bin/tether", new String(area.executable(), UTF_8));
        assertEquals(List.of("tether", "--", "true"), text(area.arguments()));
        assertEquals(3, area.environment().size());
        assertEquals("PATH=/bin", text(area.environment()).getFirst());
        assertArrayEquals(notUtf8, area.environment().get(1));
        assertEquals("JAVA_TOOL_OPTIONS=-Dx", text(area.environment()).get(2));
    }

    @Test
    void anAreaShorterThanItsArgcSaysIsNotBelieved() {
        assertNull(DarwinOwnProcess.parse(area(4, "/bin/x", 0, List.of("only".getBytes(UTF_8)))));
        assertNull(DarwinOwnProcess.parse(new byte[2]));
    }
}
