package tether.unix;

import java.io.IOException;
import tether.api.OwnProcess;

/** What Linux and macOS share of tether's own process: its descriptors are written to by number alike. */
abstract class UnixOwnProcess implements OwnProcess {

    @Override
    public void write(int fd, byte[] bytes) throws IOException {
        Descriptors.writeFully(fd, bytes);
    }
}
