package tether.unix.darwin;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The exec area as {@code sysctl(KERN_PROCARGS2)} returns it, laid out byte for byte as xnu writes it
 * (bsd/kern/kern_exec.c: exec_save_path writes "executable_path=" and the path; exec_extract_strings pads with
 * NULs to a multiple of 8, copies the arguments and the environment, and pads their end to a multiple of 8;
 * exec_add_apple_strings appends the kernel's own strings and pads them too), then as
 * bsd/kern/kern_sysctl.c's sysctl_procargsx hands it over: argc first, "executable_path=" left out.
 */
class DarwinOwnProcessTest {

    /** The strings exec_add_apple_strings writes on an arm64 Mac, in its order; never the environment. */
    static final List<String> APPLE = List.of("pfz=0x7ffc0000", "stack_guard=0x9c2f1a8e4b7d3100",
            "malloc_entropy=0x5c1a2b3c4d5e6f70,0x1a2b3c4d5e6f7081", "ptr_munge=0x3b7e9d2c4f1a5e60",
            "main_stack=0x16fdff000,0x800000,0x16bdfc000,0x4000000", "executable_file=0x1a01000009,0x2c4e1",
            "dyld_file=0x1a01000009,0x7f3e2", "executable_cdhash=4f1e2d3c4b5a69788796a5b4c3d2e1f001122334",
            "th_port=0x103");

    static final int ALIGNMENT = 8;

    static byte[] bytes(String text) {
        return text.getBytes(UTF_8);
    }

    static List<byte[]> list(String... texts) {
        return Arrays.stream(texts).map(DarwinOwnProcessTest::bytes).toList();
    }

    /** NULs up to the next multiple of 8; returns how many. */
    static int pad(ByteArrayOutputStream strings) {
        int padding = (ALIGNMENT - strings.size() % ALIGNMENT) % ALIGNMENT;
        strings.writeBytes(new byte[padding]);
        return padding;
    }

    static void nulTerminated(ByteArrayOutputStream strings, List<byte[]> each) {
        for (byte[] string : each) {
            strings.writeBytes(string);
            strings.write(0);
        }
    }

    /** An area, and the number of NULs exec put after the path and after the environment. */
    record Area(byte[] bytes, int pathPadding, int environmentPadding) {}

    static Area area(String path, List<byte[]> arguments, List<byte[]> environment) {
        ByteArrayOutputStream strings = new ByteArrayOutputStream();
        strings.writeBytes(bytes("executable_path=" + path));
        strings.write(0);
        int pathPadding = pad(strings);
        nulTerminated(strings, arguments);
        nulTerminated(strings, environment);
        int environmentPadding = pad(strings);
        nulTerminated(strings, list(APPLE.toArray(String[]::new)));
        pad(strings);
        ByteArrayOutputStream returned = new ByteArrayOutputStream();
        returned.writeBytes(ByteBuffer.allocate(Integer.BYTES).order(ByteOrder.nativeOrder())
                .putInt(arguments.size()).array());
        byte[] all = strings.toByteArray();
        returned.writeBytes(Arrays.copyOfRange(all, "executable_path=".length(), all.length));
        return new Area(returned.toByteArray(), pathPadding, environmentPadding);
    }

    static List<String> text(List<byte[]> parts) {
        return parts.stream().map(part -> new String(part, UTF_8)).toList();
    }

    /** Every padding after the path and after the environment, 0 to 7 NULs, with the strings exactly back. */
    @Test
    void theEnvironmentEndsWhereItsCountSaysWhateverThePadding() {
        Set<Integer> pathPaddings = new TreeSet<>();
        Set<Integer> environmentPaddings = new TreeSet<>();
        List<Runnable> checks = new ArrayList<>();
        for (int pathLength = 0; pathLength < ALIGNMENT; pathLength++) {
            for (int valueLength = 0; valueLength < ALIGNMENT; valueLength++) {
                String path = "/opt/tether/bin/tether" + "x".repeat(pathLength);
                List<byte[]> arguments = list(path, "--", "npm", "run", "dev");
                List<byte[]> environment = List.of(bytes("PATH=/usr/bin:/bin"), new byte[] {'X', '=', (byte) 0xe9},
                        bytes("JAVA_TOOL_OPTIONS=-Dx"), bytes("LAST=" + "v".repeat(valueLength)));
                Area area = area(path, arguments, environment);
                pathPaddings.add(area.pathPadding());
                environmentPaddings.add(area.environmentPadding());
                DarwinOwnProcess.ExecArea parsed = DarwinOwnProcess.parse(area.bytes(), environment.size());
                checks.add(() -> {
                    assertEquals(path, new String(parsed.executable(), UTF_8));
                    assertEquals(text(arguments), text(parsed.arguments()));
                    assertEquals(text(environment), text(parsed.environment()), "padding " + area.environmentPadding());
                    assertEquals(0xe9, parsed.environment().get(1)[2] & 0xff, "bytes stay bytes");
                });
            }
        }
        assertEquals(Set.of(0, 1, 2, 3, 4, 5, 6, 7), pathPaddings);
        assertEquals(Set.of(0, 1, 2, 3, 4, 5, 6, 7), environmentPaddings);
        assertAll(checks.stream().map(check -> check::run));
    }

    /** An empty argument or environment entry is a string like any other, not the end of anything. */
    @Test
    void emptyStringsAreKept() {
        List<byte[]> arguments = list("/opt/tether/bin/tether", "", "--", "printf", "");
        List<byte[]> environment = list("", "A=1", "");
        DarwinOwnProcess.ExecArea parsed = DarwinOwnProcess.parse(
                area("/opt/tether/bin/tether", arguments, environment).bytes(), environment.size());
        assertEquals(text(arguments), text(parsed.arguments()));
        assertEquals(text(environment), text(parsed.environment()));
    }

    @Test
    void anEmptyEnvironmentIsEmpty() {
        List<byte[]> arguments = list("tether", "--", "true");
        DarwinOwnProcess.ExecArea parsed = DarwinOwnProcess.parse(area("/bin/t", arguments, List.of()).bytes(), 0);
        assertEquals(List.of(), parsed.environment());
        assertEquals(text(arguments), text(parsed.arguments()));
    }

    /** Without the launcher's count the arguments are read and the environment left to the JVM's view. */
    @Test
    void withoutACountTheEnvironmentIsUnknown() {
        List<byte[]> arguments = list("java", "-m", "tether.cli/tether.cli.Main", "--", "true");
        DarwinOwnProcess.ExecArea parsed = DarwinOwnProcess.parse(
                area("/opt/jdk/bin/java", arguments, list("A=1")).bytes(), -1);
        assertEquals(text(arguments), text(parsed.arguments()));
        assertNull(parsed.environment());
    }

    /** This JVM's own area reads as the JDK reads it for ProcessHandle (ProcessHandleImpl_macosx.c). */
    @EnabledOnOs(value = OS.MAC, disabledReason = "sysctl(KERN_PROCARGS2) is macOS's")
    @Test
    void thisProcesssAreaReadsAsTheJdkReadsIt() {
        DarwinOwnProcess.ExecArea area = DarwinOwnProcess.read();
        List<String> arguments = text(area.arguments());
        assertEquals(List.of(ProcessHandle.current().info().arguments().orElseThrow()),
                arguments.subList(1, arguments.size()));
        assertNull(area.environment(), "no launcher, so no count of its environment");
    }

    @Test
    void anAreaThatDoesNotHoldWhatItsCountsSayIsNotBelieved() {
        byte[] area = area("/bin/x", list("x", "y"), list("A=1", "B=2")).bytes();
        byte[] cutInsideTheEnvironment = Arrays.copyOf(area, new String(area, UTF_8).indexOf("B=") + 2);
        assertNull(DarwinOwnProcess.parse(cutInsideTheEnvironment, 2));
        byte[] moreArgumentsThanThereAre = area.clone();
        ByteBuffer.wrap(moreArgumentsThanThereAre).order(ByteOrder.nativeOrder()).putInt(0, 99);
        assertNull(DarwinOwnProcess.parse(moreArgumentsThanThereAre, 2));
        assertNull(DarwinOwnProcess.parse(new byte[2], 0));
    }
}
