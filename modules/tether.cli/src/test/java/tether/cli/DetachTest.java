package tether.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The one line a detached tether reports on, as the waiting tether reads it. */
class DetachTest {

    @Test
    void startedIsZero() {
        assertEquals(0, Detach.statusOf("0"));
    }

    @Test
    void aFailureCarriesItsStatusAndMessage() {
        assertEquals(127, Detach.statusOf("127 cannot run 'x': No such file or directory"));
    }

    @Test
    void aLineWithoutAMessageOrAStatusIsStillAnAnswer() {
        assertEquals(126, Detach.statusOf("126"));
        assertEquals(Main.OWN_FAILURE, Detach.statusOf("garbage"));
        assertEquals(Main.OWN_FAILURE, Detach.statusOf(""));
    }

    @Test
    void readinessReportsAreTheirOwnKind() {
        assertEquals("ready after 1.02s: port 8000 listening", ReadyReport.ready("ready after 1.02s: port 8000 listening")
                .substring("ready ".length()));
        String unready = ReadyReport.unready(124, 4096, "not ready after 60s: port 5173 not listening");
        assertEquals("unready 124 4096 not ready after 60s: port 5173 not listening", unready);
        assertEquals(true, ReadyReport.isReadiness(unready));
        assertEquals(false, ReadyReport.isReadiness("0"));
        assertEquals(false, ReadyReport.isReadiness("127 cannot run 'x': No such file or directory"));
    }

    @Test
    void anUnreadyReportWithoutALogGivesItsStatus() {
        assertEquals(1, ReadyReport.status(ReadyReport.unready(1, -1, "python3 exited with status 1 before it was ready"),
                null, null));
        assertEquals(124, ReadyReport.status(ReadyReport.unready(124, -1, "not ready after 1s: no port listening"),
                null, null));
        assertEquals(Main.OWN_FAILURE, ReadyReport.status("unready x", null, null));
        assertEquals(0, ReadyReport.status(ReadyReport.ready("ready after 5ms: port 1 listening"), null, null));
    }

    @Test
    void waitsAreShownInThePrecisionAPersonReads() {
        assertEquals("812ms", ReadyWatch.seconds(java.time.Duration.ofMillis(812)));
        assertEquals("1.02s", ReadyWatch.seconds(java.time.Duration.ofMillis(1021)));
        assertEquals("1.5s", ReadyWatch.seconds(java.time.Duration.ofMillis(1500)));
        assertEquals("60s", ReadyWatch.seconds(java.time.Duration.ofSeconds(60)));
        assertEquals("2s", ReadyWatch.seconds(java.time.Duration.ofMillis(1999)));
    }
}
