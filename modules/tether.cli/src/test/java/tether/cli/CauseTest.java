package tether.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import tether.api.ExitStatus;

class CauseTest {

    @Test
    void exitStatusFollowsTheCause() {
        assertEquals(7, new Cause.Exited(ExitStatus.exited(7)).exitStatus());
        assertEquals(143, new Cause.Exited(ExitStatus.killedBy(15)).exitStatus());
        assertEquals(0, new Cause.PathGone("/w").exitStatus());
        assertEquals(130, new Cause.Signalled(2).exitStatus());
        assertEquals(143, new Cause.Signalled(15).exitStatus());
        assertEquals(129, new Cause.Signalled(1).exitStatus());
    }
}
