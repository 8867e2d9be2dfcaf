package tether.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProcessTreeKillerTest {

    record Fake(String name, int priority, boolean isSupported) implements ProcessTreeKiller {
        @Override
        public ProcessTree spawn(SpawnRequest request, Supervision supervision) {
            throw new UnsupportedOperationException();
        }

        @Override
        public NativePaths paths() {
            throw new UnsupportedOperationException();
        }

        @Override
        public OwnProcess ownProcess() {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void choosesTheSupportedProviderWithTheHighestPriority() {
        List<ProcessTreeKiller> candidates = List.of(
                new Fake("low", 1, true), new Fake("unsupported", 1000, false), new Fake("high", 50, true));
        assertEquals("high", ProcessTreeKiller.choose(candidates).orElseThrow().name());
    }

    @Test
    void tiesGoToTheFirstProviderFound() {
        List<ProcessTreeKiller> candidates = List.of(new Fake("first", 5, true), new Fake("second", 5, true));
        assertEquals("first", ProcessTreeKiller.choose(candidates).orElseThrow().name());
    }

    @Test
    void noSupportedProviderMeansNone() {
        assertTrue(ProcessTreeKiller.choose(List.of(new Fake("other", 5, false))).isEmpty());
    }
}
