package tether.unix;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The dispatch library is looked for under the name ImageBuilder gives it, which is JNA's own. */
class NativesTest {

    @Test
    void macOsLooksForJnasJnilib() {
        assertEquals("libjnidispatch.jnilib", Natives.dispatchLibrary("libjnidispatch.dylib"));
    }

    @Test
    void linuxLooksForTheSharedObject() {
        assertEquals("libjnidispatch.so", Natives.dispatchLibrary("libjnidispatch.so"));
    }
}
