package tether.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import tether.api.SpawnException;

/** tether's console handler, called as Windows calls handlers: last-registered first until one returns TRUE. */
class ConsoleEventsTest {

    final FakeKernel32 kernel32 = new FakeKernel32();
    final List<Integer> stops = new CopyOnWriteArrayList<>();
    final List<Integer> earlier = new CopyOnWriteArrayList<>();
    final ConsoleEvents events = new ConsoleEvents(stops::add);

    /** A handler registered before tether's, as HotSpot's is without -Xrs: it must never be reached. */
    ConsoleEventsTest() throws SpawnException {
        kernel32.SetConsoleCtrlHandler(ctrlType -> earlier.add(ctrlType), true);
        events.register(kernel32);
    }

    @Test
    void ctrlCAndCtrlBreakAskForTheTeardownAndStopThere() {
        assertTrue(kernel32.deliver(Kernel32.CTRL_C_EVENT));
        assertTrue(kernel32.deliver(Kernel32.CTRL_BREAK_EVENT));
        assertEquals(List.of(2, 21), stops);
        assertEquals(List.of(), earlier);
    }

    /** A close is held until the tree is let go: Windows ends the process when the handler returns. */
    @Test
    void aCloseIsHeldUntilTheTreeIsLetGo() throws Exception {
        ExecutorService windows = Executors.newSingleThreadExecutor();
        try {
            Future<Boolean> close = windows.submit(() -> kernel32.deliver(Kernel32.CTRL_CLOSE_EVENT));
            assertThrows(TimeoutException.class, () -> close.get(200, TimeUnit.MILLISECONDS));
            assertEquals(List.of(15), stops);
            events.treeLetGo();
            assertTrue(close.get(10, TimeUnit.SECONDS));
            assertEquals(List.of(), earlier);
        } finally {
            events.treeLetGo();
            windows.shutdownNow();
        }
    }

    @Test
    void shutdownIsAClose() throws Exception {
        events.treeLetGo();
        assertTrue(kernel32.deliver(Kernel32.CTRL_SHUTDOWN_EVENT));
        assertEquals(List.of(15), stops);
    }

    /** Only services get a logoff; it goes on to the next handler, and tether keeps running. */
    @Test
    void aLogoffIsLeftToTheNextHandler() {
        assertTrue(kernel32.deliver(Kernel32.CTRL_LOGOFF_EVENT));
        assertEquals(List.of(), stops);
        assertEquals(List.of(Kernel32.CTRL_LOGOFF_EVENT), earlier);
        assertFalse(events.invoke(7));
    }

    @Test
    void aHandlerThatCannotBeRegisteredStartsNothing() {
        FakeKernel32 refusing = new FakeKernel32();
        refusing.failures.put("SetConsoleCtrlHandler", 8);
        SpawnException e = assertThrows(SpawnException.class, () -> new ConsoleEvents(stops::add).register(refusing));
        assertEquals("SetConsoleCtrlHandler: Windows error 8", e.getMessage());
    }
}
