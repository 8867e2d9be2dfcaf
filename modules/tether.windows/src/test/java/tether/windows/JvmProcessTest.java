package tether.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Windows' UTF-16 strings survive the SPI's bytes both ways, whatever the ANSI code page is. */
class JvmProcessTest {

    @Test
    void aCyrillicArgumentComesBackAsItWas() {
        String word = "C:\\Users\\Пётр";
        List<byte[]> bytes = new WindowsProcessTreeKiller().ownProcess().arguments(new String[] {word});
        assertEquals(word, new String(bytes.getFirst(), WindowsProcessTreeKiller.carrier()));
    }

    @Test
    void theEnvironmentIsCarriedTheSameWay() {
        String path = System.getenv("PATH");
        List<String> entries = new WindowsProcessTreeKiller().ownProcess().environment().stream()
                .map(entry -> new String(entry, WindowsProcessTreeKiller.carrier())).toList();
        assertTrue(entries.contains("PATH=" + path) || entries.contains("Path=" + path), entries.toString());
    }
}
