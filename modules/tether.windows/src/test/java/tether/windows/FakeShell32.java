package tether.windows;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.util.List;

/** shell32 as a script: splits the command line by the C runtime's rules, or fails when told to. */
class FakeShell32 implements Shell32 {

    boolean fails;
    /** Kept so that the words stay allocated while the caller reads them. */
    private final List<Memory> words = new java.util.ArrayList<>();

    @Override
    public Pointer CommandLineToArgvW(Pointer commandLine, int[] argc) {
        if (fails) {
            return null;
        }
        List<String> split = CommandLinesTest.parse(Utf16.read(commandLine));
        Memory array = new Memory((long) Math.max(1, split.size()) * Kernel32.POINTER_SIZE);
        for (int i = 0; i < split.size(); i++) {
            Memory word = FakeKernel32.utf16(split.get(i));
            words.add(word);
            array.setPointer((long) i * Kernel32.POINTER_SIZE, word);
        }
        argc[0] = split.size();
        return array;
    }
}
