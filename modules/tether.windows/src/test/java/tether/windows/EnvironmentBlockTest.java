package tether.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class EnvironmentBlockTest {

    @Test
    void entriesEndWithNulAndTheBlockWithOneMore() {
        assertEquals("A=1\0PATH=C:\\x\0\0", new String(EnvironmentBlock.of(List.of("A=1", "PATH=C:\\x"))));
    }

    @Test
    void anEmptyEnvironmentIsTwoNuls() {
        assertEquals("\0\0", new String(EnvironmentBlock.of(List.of())));
    }
}
