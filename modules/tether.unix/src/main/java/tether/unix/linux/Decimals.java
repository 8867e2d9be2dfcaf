package tether.unix.linux;

import java.util.function.IntConsumer;

/**
 * The decimal numbers of a file that lists pids, read in chunks: {@code /proc/PID/task/TID/children} (separated
 * by spaces) and {@code cgroup.procs} (one a line). Each run of digits is one number, whatever separates them.
 */
final class Decimals {

    private final IntConsumer numbers;
    private int value;
    private boolean inNumber;

    /** Each number read goes to {@code numbers}, in the file's order. */
    Decimals(IntConsumer numbers) {
        this.numbers = numbers;
    }

    /** The next {@code length} bytes of the file. */
    void feed(byte[] chunk, int length) {
        for (int i = 0; i < length; i++) {
            byte b = chunk[i];
            if (b >= '0' && b <= '9') {
                value = value * 10 + (b - '0');
                inNumber = true;
            } else if (inNumber) {
                numbers.accept(value);
                value = 0;
                inNumber = false;
            }
        }
    }

    /** The file ended: a number it ended on counts too. */
    void end() {
        if (inNumber) {
            numbers.accept(value);
            value = 0;
            inNumber = false;
        }
    }
}
