package tether.unix;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class UnixOwnProcessTest {

    /** The detached tether is started by the launcher beside the running program, by its exact bytes. */
    @Test
    void theLauncherIsBinTetherBesideTheProgram() {
        byte[] program = {'/', 'c', 'a', 'f', (byte) 0xe9, '/', 'b', 'i', 'n', '/', 'j', 'a', 'v', 'a'};
        assertArrayEquals(
                new byte[] {'/', 'c', 'a', 'f', (byte) 0xe9, '/', 'b', 'i', 'n', '/', 't', 'e', 't', 'h', 'e', 'r'},
                UnixOwnProcess.launcher(program));
    }
}
