package tether.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tether.api.Census;
import tether.api.PathBytes;
import tether.api.RunningTether;

/** A running tether's arguments read as it read them; paths taken from its own directory. */
class SightingTest {

    /** Every path canonical as it is, after the lexical clean-up a real census falls back to. */
    static final Census CENSUS = new Census() {
        @Override
        public List<RunningTether> tethers() {
            return List.of();
        }

        @Override
        public boolean askToEnd(RunningTether tether) {
            return false;
        }

        @Override
        public boolean isRunning(RunningTether tether) {
            return false;
        }

        @Override
        public byte[] canonical(byte[] path) {
            return PathBytes.normal(path);
        }
    };

    static byte[] b(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String s(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    static Optional<Sighting> sighting(List<String> environment, String... args) {
        return Sighting.of(new RunningTether(99, Instant.EPOCH, List.of(args).stream().map(SightingTest::b).toList(),
                environment.stream().map(SightingTest::b).toList(), b("/w/shop"), 2, new int[] {5173}, 1 << 20, null), CENSUS);
    }

    @Test
    void aPlainRunWatchesItsDirectory() {
        Sighting t = sighting(List.of(), "npm", "run", "dev").orElseThrow();
        assertEquals("/w/shop", s(t.watch()));
        assertEquals("/w/shop", s(t.directory()));
        assertEquals(List.of("npm", "run", "dev"), t.command().stream().map(SightingTest::s).toList());
        assertNull(t.log());
        assertFalse(t.detached());
        assertEquals(Duration.ofSeconds(1), t.grace());
    }

    @Test
    void relativeOptionsAreTakenFromTheTethersOwnDirectory() {
        Sighting t = sighting(List.of(), "-C", "web", "-w", "../x.lock", "--grace", "5s", "--", "make").orElseThrow();
        assertEquals("/w/x.lock", s(t.watch()));
        assertEquals("/w/shop/web", s(t.directory()));
        assertEquals(Duration.ofSeconds(5), t.grace());
        assertTrue(t.isWithin(b("/w")));
        assertFalse(t.isWithin(b("/w/shop")), "it watches ../x.lock, not its directory");
    }

    @Test
    void withoutAWatchATetherBelongsWhereItsCommandRuns() {
        Sighting t = sighting(List.of(), "--no-watch", "-C", "web", "sleep", "600").orElseThrow();
        assertNull(t.watch());
        assertTrue(t.isWithin(b("/w/shop")));
        assertTrue(t.isWithin(b("/w/shop/web")));
        assertFalse(t.isWithin(b("/w/shop/api")));
    }

    @Test
    void theDetachedSupervisorIsListedAndTheTetherThatStartsItIsNot() {
        List<String> reporting = List.of("HOME=/root", Detach.REPORT_VARIABLE + "=3");
        Sighting supervisor = sighting(reporting, "--detach", "--log", "dev.log", "npm", "start").orElseThrow();
        assertTrue(supervisor.detached());
        assertEquals("/w/shop/dev.log", s(supervisor.log()));
        assertTrue(sighting(List.of("HOME=/root"), "--detach", "npm", "start").isEmpty());
    }

    @Test
    void tethersThatSuperviseNoTreeAreNotSightings() {
        assertTrue(sighting(List.of(), "--list").isEmpty());
        assertTrue(sighting(List.of(), "--stop", "1234").isEmpty());
        assertTrue(sighting(List.of(), "--help").isEmpty());
        assertTrue(sighting(List.of(), "--grace", "nonsense", "x").isEmpty());
    }

    @Test
    void aPidIsDigitsOnly() {
        assertTrue(StopCommand.isPid(b("1234")));
        assertFalse(StopCommand.isPid(b("./1234")));
        assertFalse(StopCommand.isPid(b("12a")));
        assertFalse(StopCommand.isPid(b("")));
    }
}
