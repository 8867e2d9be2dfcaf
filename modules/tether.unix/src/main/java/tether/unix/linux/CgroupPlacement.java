package tether.unix.linux;

import com.sun.jna.Pointer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import tether.api.PathBytes;
import tether.api.Printable;
import tether.unix.CLibrary;
import tether.unix.UnixPaths;

/**
 * Where a tether's tree can have a cgroup of its own, decided once at start, in this order:
 * <ol>
 * <li>inside tether's own cgroup, where tether's user may make one there (root; a container or service the
 * cgroup tree was delegated to). Where systemd manages the tree (it runs as init), only if systemd
 * delegated that cgroup (it marks such a cgroup with the extended attribute {@code trusted.delegate} or
 * {@code user.delegate}), or a tether made it: systemd's documentation ("Control Group APIs and
 * Delegation") gives each cgroup one writer, and cgroups inside one it did not delegate are not allowed;
 * <li>a delegated scope of systemd's own, asked for with {@code systemd-run --scope -p Delegate=yes}: of the
 * user's systemd manager for an ordinary user, of the system's for root;
 * <li>none: the tree is held by its process group, as without cgroups.
 * </ol>
 * The facts come through {@link Facts}, so that the decision is tested on systems this machine is not.
 */
public final class CgroupPlacement {

    /** Where the tree's cgroup goes. */
    public sealed interface Choice {}

    /** Inside {@code parent}, tether's own cgroup, as the file system names it. */
    public record Own(byte[] parent) implements Choice {}

    /** Inside a scope {@code systemdRun} asks systemd for: the user's manager, or the system's for root. */
    public record Scope(byte[] systemdRun, boolean user) implements Choice {}

    /** Nowhere, for {@code reason}: a phrase that completes "no cgroup: ". */
    public record Nowhere(String reason) implements Choice {}

    /** A cgroup2 file system: its root within the hierarchy, and where it is mounted. */
    record Mount(byte[] root, byte[] point) {}

    /** What the decision reads from the running system. */
    interface Facts {
        /** {@code /proc/self/mountinfo}. */
        byte[] mountinfo();

        /** {@code /proc/self/cgroup}. */
        byte[] ownCgroups();

        /** Whether tether's user may make a cgroup in {@code directory} and move processes there. */
        boolean writable(byte[] directory);

        /** Whether {@code directory} carries systemd's mark of a delegated cgroup. */
        boolean markedDelegated(byte[] directory);

        /** Whether systemd runs as init and so manages the cgroup tree ({@code sd_booted}'s test). */
        boolean systemdManages();

        /** The path of {@code systemd-run} on tether's {@code PATH}, or {@code null}. */
        byte[] systemdRun();

        /** Whether the manager a scope would be asked of answers: the user's, or the system's. */
        boolean managerListens(boolean user);

        /** Whether tether runs as root. */
        boolean root();
    }

    private CgroupPlacement() {}

    public static Choice decide(Facts facts) {
        List<Mount> mounts = cgroup2Mounts(facts.mountinfo());
        if (mounts.isEmpty()) {
            return new Nowhere("no cgroup2 file system is mounted");
        }
        byte[] own = ownCgroup(facts.ownCgroups());
        if (own == null) {
            return new Nowhere("tether is in no cgroup of the cgroup2 hierarchy");
        }
        byte[] directory = directory(mounts, own);
        if (directory == null) {
            return new Nowhere("tether's cgroup " + Printable.of(own) + " is outside the cgroup2 file system mounted here");
        }
        boolean systemd = facts.systemdManages();
        if (facts.writable(directory) && (!systemd || isDelegated(facts, directory, mounts))) {
            return new Own(directory);
        }
        String why = "tether's cgroup " + Printable.of(directory) + (systemd
                ? " is systemd's, not delegated" : " is not writable by tether's user");
        if (!systemd) {
            return new Nowhere(why);
        }
        byte[] systemdRun = facts.systemdRun();
        if (systemdRun == null) {
            return new Nowhere(why + ", and systemd-run is not on PATH");
        }
        boolean user = !facts.root();
        if (!facts.managerListens(user)) {
            return new Nowhere(why + ", and no systemd " + (user ? "user" : "system") + " manager answers");
        }
        return new Scope(systemdRun, user);
    }

    /**
     * Whether the cgroup tether runs in is one it may make cgroups in under systemd: systemd delegated it or a
     * cgroup above it, or a tether made it or one above it (a tether run by a tether).
     */
    private static boolean isDelegated(Facts facts, byte[] directory, List<Mount> mounts) {
        byte[] point = mountOf(mounts, directory).point();
        for (byte[] at = directory; at != null && PathBytes.isWithin(at, point); at = parent(at)) {
            if (facts.markedDelegated(at) || Cgroup.isTethers(lastName(at))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The cgroup2 file systems of {@code /proc/self/mountinfo} (proc(5)): the root is the 4th field, the mount
     * point the 5th, the type the first after the "-" that ends the optional fields; spaces and other odd bytes
     * in the two paths are octal escapes ({@code \040}).
     */
    static List<Mount> cgroup2Mounts(byte[] mountinfo) {
        List<Mount> mounts = new ArrayList<>();
        for (byte[] line : split(mountinfo, (byte) '\n')) {
            List<byte[]> fields = split(line, (byte) ' ');
            int dash = -1;
            for (int i = 6; i < fields.size(); i++) {
                if (Arrays.equals(fields.get(i), bytes("-"))) {
                    dash = i;
                    break;
                }
            }
            if (dash > 0 && dash + 1 < fields.size() && Arrays.equals(fields.get(dash + 1), bytes("cgroup2"))) {
                mounts.add(new Mount(unescape(fields.get(3)), unescape(fields.get(4))));
            }
        }
        return mounts;
    }

    /** tether's cgroup in the cgroup2 hierarchy: the "0::PATH" line of {@code /proc/self/cgroup} (cgroups(7)). */
    public static byte[] ownCgroup(byte[] cgroups) {
        for (byte[] line : split(cgroups, (byte) '\n')) {
            if (line.length > 3 && line[0] == '0' && line[1] == ':' && line[2] == ':') {
                return Arrays.copyOfRange(line, 3, line.length);
            }
        }
        return null;
    }

    /**
     * Where the file system shows cgroup {@code cgroup}: under the mount whose root holds it. A cgroup2 mount
     * of a subtree (a container's, without a cgroup namespace) shows only what lies below its root.
     */
    static byte[] directory(List<Mount> mounts, byte[] cgroup) {
        for (Mount mount : mounts) {
            if (PathBytes.isWithin(cgroup, mount.root())) {
                byte[] rest = PathBytes.below(cgroup, mount.root());
                return rest.length == 0 ? mount.point() : PathBytes.resolve(mount.point(), rest);
            }
        }
        return null;
    }

    /** A path reported by a process in the hierarchy (tether-spawn's, inside systemd's scope) as a directory. */
    public static byte[] directory(byte[] mountinfo, byte[] cgroup) {
        return directory(cgroup2Mounts(mountinfo), cgroup);
    }

    /** The mount whose point holds {@code directory}, which {@link #directory} found under one. */
    private static Mount mountOf(List<Mount> mounts, byte[] directory) {
        for (Mount mount : mounts) {
            if (PathBytes.isWithin(directory, mount.point())) {
                return mount;
            }
        }
        throw new IllegalArgumentException("not under a cgroup2 mount: " + Printable.of(directory));
    }

    private static byte[] parent(byte[] path) {
        for (int i = path.length - 1; i > 0; i--) {
            if (path[i] == '/') {
                return Arrays.copyOf(path, i);
            }
        }
        return null;
    }

    private static byte[] lastName(byte[] path) {
        for (int i = path.length - 1; i >= 0; i--) {
            if (path[i] == '/') {
                return Arrays.copyOfRange(path, i + 1, path.length);
            }
        }
        return path;
    }

    /** {@code \ooo}, three octal digits, is the byte they give; anything else stays as it is. */
    static byte[] unescape(byte[] field) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(field.length);
        for (int i = 0; i < field.length; i++) {
            if (field[i] == '\\' && i + 3 < field.length && isOctal(field[i + 1]) && isOctal(field[i + 2])
                    && isOctal(field[i + 3])) {
                out.write(((field[i + 1] - '0') << 6) | ((field[i + 2] - '0') << 3) | (field[i + 3] - '0'));
                i += 3;
            } else {
                out.write(field[i]);
            }
        }
        return out.toByteArray();
    }

    private static boolean isOctal(byte b) {
        return b >= '0' && b <= '7';
    }

    private static List<byte[]> split(byte[] text, byte separator) {
        List<byte[]> parts = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= text.length; i++) {
            if (i == text.length || text[i] == separator) {
                if (i > start) {
                    parts.add(Arrays.copyOfRange(text, start, i));
                }
                start = i + 1;
            }
        }
        return parts;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** This machine, read through {@code /proc}, libc and the file system. */
    public static final class Running implements Facts {

        /** sd_booted(3): systemd creates this directory when it starts as init. */
        private static final byte[] SYSTEMD_BOOTED = bytes("/run/systemd/system");
        /** The system manager's private socket, which systemd-run reaches as root. */
        private static final byte[] SYSTEM_MANAGER = bytes("/run/systemd/private");
        /** Where the user manager listens under XDG_RUNTIME_DIR: its private socket, or the user's bus. */
        private static final List<byte[]> USER_MANAGER = List.of(bytes("systemd/private"), bytes("bus"));
        private static final List<String> DELEGATE_MARKS = List.of("trusted.delegate", "user.delegate");

        @Override
        public byte[] mountinfo() {
            return read("/proc/self/mountinfo");
        }

        @Override
        public byte[] ownCgroups() {
            return read("/proc/self/cgroup");
        }

        @Override
        public boolean writable(byte[] directory) {
            return CLibrary.access(UnixPaths.cString(directory), LinuxLibc.W_OK) == 0
                    && CLibrary.access(UnixPaths.cString(PathBytes.resolve(directory, bytes("cgroup.procs"))),
                            LinuxLibc.W_OK) == 0;
        }

        /** systemd writes "1" (systemd's cgroup-util.c, cg_is_delegated); the trusted one needs root to read. */
        @Override
        public boolean markedDelegated(byte[] directory) {
            byte[] value = new byte[8];
            for (String mark : DELEGATE_MARKS) {
                long n = LinuxLibc.getxattr(UnixPaths.cString(directory), mark, value, value.length);
                if (n == 1 && value[0] == '1') {
                    return true;
                }
            }
            return false;
        }

        @Override
        public boolean systemdManages() {
            return UnixPaths.isDirectory(SYSTEMD_BOOTED);
        }

        @Override
        public byte[] systemdRun() {
            Pointer path = CLibrary.getenv("PATH");
            byte[] search = path == null ? bytes("/usr/bin:/bin") : path.getByteArray(0, (int) path.indexOf(0, (byte) 0));
            for (byte[] entry : split(search, (byte) ':')) {
                byte[] candidate = PathBytes.resolve(entry, bytes("systemd-run"));
                if (entry.length > 0 && entry[0] == '/' && UnixPaths.isRegularFile(candidate)
                        && CLibrary.access(UnixPaths.cString(candidate), CLibrary.X_OK) == 0) {
                    return candidate;
                }
            }
            return null;
        }

        @Override
        public boolean managerListens(boolean user) {
            if (!user) {
                return exists(SYSTEM_MANAGER);
            }
            Pointer runtime = CLibrary.getenv("XDG_RUNTIME_DIR");
            if (runtime == null) {
                return false;
            }
            byte[] directory = runtime.getByteArray(0, (int) runtime.indexOf(0, (byte) 0));
            for (byte[] socket : USER_MANAGER) {
                if (directory.length > 0 && exists(PathBytes.resolve(directory, socket))) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public boolean root() {
            return CLibrary.getuid() == 0;
        }

        private static boolean exists(byte[] path) {
            return CLibrary.access(UnixPaths.cString(path), CLibrary.F_OK) == 0;
        }

        private static byte[] read(String file) {
            try {
                return Files.readAllBytes(Path.of(file));
            } catch (IOException e) {
                return new byte[0];
            }
        }
    }
}
