package tether.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.WString;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tether.api.SpawnException;

/**
 * The Windows provider's call sequences run for real: the probe ({@code src/test/c/win32probe.c}) makes the
 * calls of spawn, teardown, detach and the watch, and of each rule the stand-in ({@link FakeKernel32})
 * encodes, compiled with mingw-w64 and run under Wine. Each scenario has the answer Windows' documentation
 * gives; the stand-in must give it (always checked), and so must Wine (checked where Wine and mingw-w64 are
 * installed, as {@code .ci/run} installs them). Where Wine answers otherwise, the documentation wins: the
 * stand-in keeps the documented answer, and the scenario names the difference and holds Wine's answer, so a
 * change in Wine is seen too. The command lines and the environment block the probe passes are made by the
 * provider's own classes ({@link CommandLines}, {@link BatchCommandLine}, {@link EnvironmentBlock}).
 *
 * <p>This checks the model the provider's tests stand on, not the provider: no Windows JDK runs here, so the
 * Java code itself cannot run under Wine.
 */
class WineProbeTest {

    static final Path SOURCE = Path.of("src/test/c/win32probe.c");
    static final String COMPILER = "x86_64-w64-mingw32-gcc";
    /** Debian's wine package puts Wine's loader on PATH as wine; other systems name it wine64. */
    static final List<String> WINE = List.of("wine", "wine64");
    static final String TOOLS_MISSING = "needs mingw-w64 (" + COMPILER + ") and Wine (wine) on PATH, which .ci/run"
            + " installs (apt-get install --no-install-recommends gcc-mingw-w64-x86-64 wine64 wine)";
    /** Bounds each Wine step: the prefix made, its server ended, the probe run (together 12 to 32 s beside a build). */
    static final long PROBE_TIMEOUT_SECONDS = 180;

    /** COMMAND's arguments that need the C runtime's quoting: empty, quotes, spaces, backslashes, non-ASCII. */
    static final List<String> ARGUMENTS = List.of("", "a\"b", "c d", "é", "x\\y", "C:\\dir\\", "*.txt",
            "say \"hi\" \\\"", "tab\there");
    /** A batch file's arguments that need cmd.exe's: its operators, quotes, empty, a trailing backslash. */
    static final List<String> BATCH_ARGUMENTS = List.of("batch", "", "a\"b", "c d", "x&y|z<w>v", "^caret", "(p)",
            "C:\\dir\\", "!bang!", "a,b;c=d");
    /** And its variables, which Windows' cmd.exe would expand even inside quotes. */
    static final List<String> PERCENT_ARGUMENTS = List.of("batch_percent", "100%", "%PATH%", "x");
    /**
     * What Wine's cmd.exe hands the batch file for {@link #PERCENT_ARGUMENTS}: it drops each {@code %} of
     * {@code %%cd:~,%} and joins the arguments around them, where Windows' cmd.exe keeps a literal {@code %}
     * (the first finds no variable name, {@code %cd:~,%} is an empty substring, {@code set /?}). The
     * workflow's Windows job passes {@code 100%} and {@code %PATH%} through {@code npm.cmd}'s kind of batch
     * file to a real cmd.exe.
     */
    static final List<String> WINE_PERCENT = List.of("batch_percent", "100PATH", "x");
    static final List<String> SPAWN_ENVIRONMENT = List.of("tether_probe=ok", "Path=C:\\windows\\system32", "=C:=C:\\");

    /**
     * @param documented the answer Windows' documentation gives
     * @param source     where it says so
     * @param standIn    the same calls on the stand-in, or {@code null} where the stand-in has no part (cmd.exe)
     * @param wine       Wine's answer where it differs from the documented one, else {@code null}
     * @param difference what differs, named
     */
    record Scenario(String name, String documented, String source, StandIn standIn, String wine, String difference) {}

    @FunctionalInterface
    interface StandIn {
        String answer(FakeKernel32 kernel32) throws Exception;
    }

    static Scenario scenario(String name, String documented, String source, StandIn standIn) {
        return new Scenario(name, documented, source, standIn, null, null);
    }

    static Scenario differs(String name, String documented, String source, StandIn standIn, String wine,
            String difference) {
        return new Scenario(name, documented, source, standIn, wine, difference);
    }

    /** The stand-in's world, as the probe's: its folder, its work folder, the batch file on a PATH folder. */
    static final String PROBE_FOLDER = "C:\\probe";
    static final String PROBE = PROBE_FOLDER + "\\win32probe.exe";
    static final String WORK = PROBE_FOLDER + "\\work";
    static final String SEARCH = PROBE_FOLDER + "\\search";

    static FakeKernel32 world() {
        FakeKernel32 kernel32 = new FakeKernel32();
        kernel32.directory(PROBE_FOLDER);
        kernel32.directory(WORK);
        kernel32.directory(SEARCH);
        kernel32.file(PROBE);
        kernel32.file(SEARCH + "\\tool.cmd");
        kernel32.applicationDirectory = PROBE_FOLDER;
        kernel32.currentDirectory = WORK;
        kernel32.hasConsole = false;
        return kernel32;
    }

    static int bit(boolean value) {
        return value ? 1 : 0;
    }

    static List<Scenario> scenarios() {
        return List.of(
                differs("last_error", "closed=0 error=6 then_closed=1 error=6",
                        "GetLastError: a failure sets it; \"some functions set the last-error code to 0 on success and"
                                + " others do not\"",
                        WineProbeTest::lastError, "closed=0 error=6 then_closed=1 error=0",
                        "Wine's CloseHandle sets 0 on success; the stand-in keeps the failure's code, which is what a"
                                + " read after a success must not rely on"),
                scenario("wait_null", "result=-1 error=6", "WaitForSingleObject: WAIT_FAILED for a handle that is not valid",
                        kernel32 -> "result=" + kernel32.WaitForSingleObject(null, 0) + " error=" + kernel32.GetLastError()),
                scenario("open_always", "created=1 error=0 opened=1 error=183",
                        "CreateFileW, OPEN_ALWAYS: 0 when it created the file, ERROR_ALREADY_EXISTS when it opened one",
                        WineProbeTest::openAlways),
                scenario("more_data", "result=0 error=234 assigned=3 listed=1",
                        "JOBOBJECT_BASIC_PROCESS_ID_LIST: as many ids as fit, and ERROR_MORE_DATA", WineProbeTest::moreData),
                scenario("ctrl_event", "result=0 error=12",
                        "GenerateConsoleCtrlEvent reaches processes that share the caller's console; without one it"
                                + " fails (the error is Wine's: the documentation names none)",
                        kernel32 -> "result=" + bit(kernel32.GenerateConsoleCtrlEvent(Kernel32.CTRL_BREAK_EVENT, 42))
                                + " error=" + kernel32.GetLastError()),
                scenario("console_handler", "added=1 removed=1",
                        "SetConsoleCtrlHandler: each process has its own list of handlers, a console or not (HotSpot"
                                + " registers one in services, which have none)", WineProbeTest::consoleHandler),
                scenario("search", "batch_on_path=0 error=2 own_folder=1 error=0",
                        "CreateProcessW without lpApplicationName: .exe appended, the caller's executable's folder"
                                + " searched first", WineProbeTest::search),
                scenario("relative_application", "from_callers_directory=1 from_lpCurrentDirectory=0 error=2",
                        "CreateProcessW: a partial lpApplicationName is completed with the current directory",
                        WineProbeTest::relativeApplication),
                differs("batch_as_application", "created=0 error=193",
                        "CreateProcessW: \"to run a batch file, you must start the command interpreter\"",
                        kernel32 -> created(kernel32, SEARCH + "\\tool.cmd", "tool.cmd", 0, null),
                        "created=1 error=0", "Wine, like Windows, starts cmd.exe for a batch file itself (and parses"
                                + " its arguments by cmd's rules); the stand-in refuses, so no test can rely on it"),
                differs("handle_list", "not_inheritable_listed=0 error=87 created=1",
                        "UpdateProcThreadAttribute, PROC_THREAD_ATTRIBUTE_HANDLE_LIST: the handles \"must be created as"
                                + " inheritable handles\"", WineProbeTest::handleList,
                        "not_inheritable_listed=1 error=0 created=1",
                        "Wine accepts a handle that is not inheritable in the list; the stand-in refuses it"),
                scenario("inherit.child", "listed=open stray=closed",
                        "PROC_THREAD_ATTRIBUTE_HANDLE_LIST: the child inherits the listed handles and no others",
                        WineProbeTest::inherited),
                scenario("spawn", "kill_on_close=1 attributes=1 created=1 error=0 exit_code=3",
                        "JobSpawner's sequence: a kill-on-close job, a job list and a handle list, by full path",
                        WineProbeTest::spawn),
                scenario("batch", "created=1 error=0 exit_code=3",
                        "cmd.exe runs the batch file, which runs the child, whose exit code it returns", null),
                scenario("batch_percent", "created=1 error=0 exit_code=3",
                        "cmd.exe runs the batch file, which runs the child, whose exit code it returns", null),
                scenario("teardown", "listed=2 break=0 error=12 terminated=1 exit_code=1 listed_after=0",
                        "TerminateJobObject ends every process in the job, with its exit code", WineProbeTest::teardown),
                scenario("kill_on_close", "holder=1 grandchild_ended=1",
                        "JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE: the job's processes end when its last handle closes",
                        WineProbeTest::killOnClose),
                scenario("nested", "assigned=1 in_inner=1", "Job objects nest (Windows 8 and later)",
                        WineProbeTest::nested),
                scenario("detach", "log_error=0 breakaway=0 breakaway_error=5 created=1 report=0",
                        "CREATE_BREAKAWAY_FROM_JOB from a job without JOB_OBJECT_LIMIT_BREAKAWAY_OK: ERROR_ACCESS_DENIED",
                        WineProbeTest::detach),
                scenario("watch", "without_backup_semantics=5 opened=1 file_id_info=1 id_nonzero=1 index=1 removed=2"
                        + " parent_removed=3", "CreateFileW (a directory only with FILE_FLAG_BACKUP_SEMANTICS), FILE_ID_INFO,"
                        + " system error codes for a missing file and a missing path", WineProbeTest::watch));
    }

    // ---- the stand-in's side of each scenario: the probe's calls, on FakeKernel32 ----

    static String lastError(FakeKernel32 kernel32) {
        boolean closed = kernel32.CloseHandle(new Pointer(0x7ff0));
        int failed = kernel32.GetLastError();
        boolean closedJob = kernel32.CloseHandle(kernel32.CreateJobObjectW(null, null));
        return "closed=" + bit(closed) + " error=" + failed + " then_closed=" + bit(closedJob) + " error="
                + kernel32.GetLastError();
    }

    static String consoleHandler(FakeKernel32 kernel32) {
        Kernel32.HandlerRoutine handler = type -> true;
        return "added=" + bit(kernel32.SetConsoleCtrlHandler(handler, true)) + " removed="
                + bit(kernel32.SetConsoleCtrlHandler(handler, false));
    }

    static String openAlways(FakeKernel32 kernel32) {
        WString path = new WString(WORK + "\\open-always.log");
        int share = Kernel32.FILE_SHARE_READ | Kernel32.FILE_SHARE_WRITE;
        Pointer created = kernel32.CreateFileW(path, Kernel32.FILE_APPEND_DATA, share, null, Kernel32.OPEN_ALWAYS,
                Kernel32.FILE_ATTRIBUTE_NORMAL, null);
        int createdError = kernel32.GetLastError();
        Pointer opened = kernel32.CreateFileW(path, Kernel32.FILE_APPEND_DATA, share, null, Kernel32.OPEN_ALWAYS,
                Kernel32.FILE_ATTRIBUTE_NORMAL, null);
        return "created=" + bit(!Handles.invalid(created)) + " error=" + createdError + " opened="
                + bit(!Handles.invalid(opened)) + " error=" + kernel32.GetLastError();
    }

    /** The probe's sleeper_in: a copy of the probe started in JOB by the job list. */
    static Pointer sleeperIn(FakeKernel32 kernel32, Pointer job) throws SpawnException {
        try (AttributeList list = AttributeList.of(kernel32,
                List.of(new AttributeList.Attribute(Kernel32.PROC_THREAD_ATTRIBUTE_JOB_LIST, List.of(job))))) {
            Memory startup = new Memory(Kernel32.STARTUPINFOEX_SIZE);
            startup.clear();
            startup.setInt(0, Kernel32.STARTUPINFOEX_SIZE);
            startup.setPointer(Kernel32.STARTUPINFOEX_ATTRIBUTE_LIST_OFFSET, list.address());
            Memory info = new Memory(Kernel32.PROCESS_INFORMATION_SIZE);
            assertTrue(kernel32.CreateProcessW(new WString(PROBE), (PROBE + " sleep\0").toCharArray(), null, null, false,
                    Kernel32.CREATE_NEW_PROCESS_GROUP | Kernel32.EXTENDED_STARTUPINFO_PRESENT, null, null, startup, info),
                    "error " + kernel32.GetLastError());
            return info.getPointer(Kernel32.PROCESS_INFORMATION_PROCESS_OFFSET);
        }
    }

    static Pointer killOnCloseJob(FakeKernel32 kernel32) {
        Pointer job = kernel32.CreateJobObjectW(null, null);
        Memory limits = new Memory(Kernel32.EXTENDED_LIMIT_INFORMATION_SIZE);
        limits.clear();
        limits.setInt(Kernel32.LIMIT_FLAGS_OFFSET, Kernel32.JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE);
        kernel32.SetInformationJobObject(job, Kernel32.JOB_OBJECT_EXTENDED_LIMIT_INFORMATION, limits,
                Kernel32.EXTENDED_LIMIT_INFORMATION_SIZE);
        return job;
    }

    static String moreData(FakeKernel32 kernel32) throws SpawnException {
        Pointer job = killOnCloseJob(kernel32);
        for (int i = 0; i < 3; i++) {
            sleeperIn(kernel32, job);
        }
        Memory one = new Memory(Kernel32.PROCESS_ID_LIST_HEADER_SIZE + Kernel32.PROCESS_ID_SIZE);
        one.clear();
        boolean listed = kernel32.QueryInformationJobObject(job, Kernel32.JOB_OBJECT_BASIC_PROCESS_ID_LIST, one,
                (int) one.size(), null);
        return "result=" + bit(listed) + " error=" + (listed ? 0 : kernel32.GetLastError()) + " assigned="
                + one.getInt(Kernel32.PROCESS_ID_LIST_ASSIGNED_OFFSET) + " listed="
                + one.getInt(Kernel32.PROCESS_ID_LIST_LISTED_OFFSET);
    }

    /** CreateProcessW as the probe makes its plain calls: a STARTUPINFOW of nothing but its size. */
    static String created(FakeKernel32 kernel32, String application, String line, int flags, String directory) {
        Memory startup = new Memory(Kernel32.STARTUPINFO_SIZE);
        startup.clear();
        startup.setInt(0, Kernel32.STARTUPINFO_SIZE);
        boolean created = kernel32.CreateProcessW(application == null ? null : new WString(application),
                (line + "\0").toCharArray(), null, null, false, flags, null,
                directory == null ? null : new WString(directory), startup, new Memory(Kernel32.PROCESS_INFORMATION_SIZE));
        return "created=" + bit(created) + " error=" + (created ? 0 : kernel32.GetLastError());
    }

    static String search(FakeKernel32 kernel32) {
        kernel32.path = SEARCH + ";" + kernel32.path;
        String batch = created(kernel32, null, "tool run", Kernel32.CREATE_NEW_PROCESS_GROUP, null);
        String own = created(kernel32, null, "win32probe child search", Kernel32.CREATE_NEW_PROCESS_GROUP, WORK);
        return batch.replace("created=", "batch_on_path=") + " " + own.replace("created=", "own_folder=");
    }

    static String relativeApplication(FakeKernel32 kernel32) {
        kernel32.currentDirectory = PROBE_FOLDER;
        String fromOwn = created(kernel32, "win32probe.exe", "win32probe sleep", Kernel32.CREATE_SUSPENDED, WORK);
        kernel32.currentDirectory = WORK;
        String fromGiven = created(kernel32, "win32probe.exe", "win32probe sleep", Kernel32.CREATE_SUSPENDED,
                PROBE_FOLDER);
        return "from_callers_directory=" + fromOwn.substring("created=".length(), fromOwn.indexOf(' '))
                + " from_lpCurrentDirectory=" + fromGiven.replace("created=", "");
    }

    static Pointer inheritableCopy(FakeKernel32 kernel32, Pointer handle) {
        Memory copy = new Memory(Kernel32.HANDLE_SIZE);
        Pointer self = new Pointer(Kernel32.CURRENT_PROCESS);
        kernel32.DuplicateHandle(self, handle, self, copy, 0, true, Kernel32.DUPLICATE_SAME_ACCESS);
        return copy.getPointer(0);
    }

    /** The probe's handle_list: a handle list with the copy of stdout and one more handle. */
    static boolean createWithHandles(FakeKernel32 kernel32, Pointer out, Pointer other) throws SpawnException {
        try (AttributeList list = AttributeList.of(kernel32, List.of(
                new AttributeList.Attribute(Kernel32.PROC_THREAD_ATTRIBUTE_HANDLE_LIST, List.of(out, other))))) {
            return kernel32.CreateProcessW(new WString(PROBE), (PROBE + " inherit\0").toCharArray(), null, null, true,
                    Kernel32.EXTENDED_STARTUPINFO_PRESENT, null, null, JobSpawner.startupInfo(out, out, out, list),
                    new Memory(Kernel32.PROCESS_INFORMATION_SIZE));
        }
    }

    static final Pointer LISTED = new Pointer(0x900);
    static final Pointer STRAY = new Pointer(0x904);
    static final Pointer PRIVATE = new Pointer(0x908);

    static FakeKernel32 withEvents(FakeKernel32 kernel32) {
        kernel32.adopt(LISTED, FakeKernel32.Kind.FILE, true);
        kernel32.adopt(STRAY, FakeKernel32.Kind.FILE, true);
        kernel32.adopt(PRIVATE, FakeKernel32.Kind.FILE, false);
        return kernel32;
    }

    static String handleList(FakeKernel32 kernel32) throws SpawnException {
        withEvents(kernel32);
        Pointer out = inheritableCopy(kernel32, FakeKernel32.STDOUT);
        boolean notInheritable = createWithHandles(kernel32, out, PRIVATE);
        int error = notInheritable ? 0 : kernel32.GetLastError();
        boolean created = createWithHandles(kernel32, out, LISTED);
        return "not_inheritable_listed=" + bit(notInheritable) + " error=" + error + " created=" + bit(created);
    }

    static String inherited(FakeKernel32 kernel32) throws SpawnException {
        withEvents(kernel32);
        createWithHandles(kernel32, inheritableCopy(kernel32, FakeKernel32.STDOUT), LISTED);
        FakeKernel32.Child child = kernel32.children.getLast();
        return "listed=" + (child.inherited().contains(LISTED) ? "open" : "closed") + " stray="
                + (child.inherited().contains(STRAY) ? "open" : "closed");
    }

    static String spawn(FakeKernel32 kernel32) throws SpawnException {
        JobTree tree = new JobSpawner(kernel32).spawn(new Launch("win32probe", PROBE, spawnCommandLine(PROBE), false),
                Utf16.memory(EnvironmentBlock.of(SPAWN_ENVIRONMENT, "C:\\windows")), new WString(WORK), () -> {});
        int[] code = new int[1];
        kernel32.GetExitCodeProcess(FakeKernel32.PROCESS, code);
        tree.release();
        return "kill_on_close=" + bit(kernel32.limitFlags == Kernel32.JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE)
                + " attributes=" + bit(kernel32.calls.contains("InitializeProcThreadAttributeList(list, 2)"))
                + " created=" + bit(kernel32.children.size() == 1) + " error=" + kernel32.createErrors.getLast()
                + " exit_code=" + code[0];
    }

    static String teardown(FakeKernel32 kernel32) throws SpawnException {
        Pointer job = killOnCloseJob(kernel32);
        List<Pointer> processes = List.of(sleeperIn(kernel32, job), sleeperIn(kernel32, job));
        Memory ids = new Memory(Kernel32.PROCESS_ID_LIST_HEADER_SIZE + 64L * Kernel32.PROCESS_ID_SIZE);
        ids.clear();
        kernel32.QueryInformationJobObject(job, Kernel32.JOB_OBJECT_BASIC_PROCESS_ID_LIST, ids, (int) ids.size(), null);
        int before = ids.getInt(Kernel32.PROCESS_ID_LIST_LISTED_OFFSET);
        boolean broke = kernel32.GenerateConsoleCtrlEvent(Kernel32.CTRL_BREAK_EVENT, FakeKernel32.PID);
        int breakError = broke ? 0 : kernel32.GetLastError();
        boolean terminated = kernel32.TerminateJobObject(job, JobSpawner.KILLED);
        int[] code = new int[1];
        for (Pointer process : processes) {
            kernel32.WaitForSingleObject(process, 10_000);
            kernel32.GetExitCodeProcess(process, code);
        }
        ids.clear();
        kernel32.QueryInformationJobObject(job, Kernel32.JOB_OBJECT_BASIC_PROCESS_ID_LIST, ids, (int) ids.size(), null);
        return "listed=" + before + " break=" + bit(broke) + " error=" + breakError + " terminated=" + bit(terminated)
                + " exit_code=" + code[0] + " listed_after=" + ids.getInt(Kernel32.PROCESS_ID_LIST_LISTED_OFFSET);
    }

    static String killOnClose(FakeKernel32 kernel32) throws SpawnException {
        Pointer job = killOnCloseJob(kernel32);
        sleeperIn(kernel32, job);
        boolean holder = kernel32.children.size() == 1;
        // The holder's TerminateProcess closes its handles, the job's last one among them.
        kernel32.CloseHandle(job);
        return "holder=" + bit(holder) + " grandchild_ended=" + bit(kernel32.jobPids.isEmpty());
    }

    static String nested(FakeKernel32 kernel32) {
        kernel32.adopt(FakeKernel32.PROCESS, FakeKernel32.Kind.PROCESS, false);
        Pointer inner = killOnCloseJob(kernel32);
        boolean assigned = kernel32.AssignProcessToJobObject(inner, FakeKernel32.PROCESS);
        return "assigned=" + bit(assigned) + " in_inner=" + bit(assigned);
    }

    static String detach(FakeKernel32 kernel32) throws SpawnException {
        kernel32.callerJobAllowsBreakaway = false;
        kernel32.pipeContent = "0\n".getBytes(StandardCharsets.UTF_8);
        String report = new DetachedStart(kernel32).start(List.of(PROBE, "report"), List.of(), WORK + "\\detach.log");
        List<Integer> errors = kernel32.createErrors;
        return "log_error=" + kernel32.openAlwaysError + " breakaway=" + bit(errors.getFirst() == 0) + " breakaway_error="
                + errors.getFirst() + " created=" + bit(errors.getLast() == 0) + " report=" + report;
    }

    static String watch(FakeKernel32 kernel32) {
        String parent = WORK + "\\watched-parent";
        WString path = new WString(parent + "\\worktree");
        kernel32.directory(parent);
        kernel32.directory(path.toString());
        Pointer plain = kernel32.CreateFileW(path, FileIdWatch.ACCESS, FileIdWatch.SHARING, null, Kernel32.OPEN_EXISTING,
                0, null);
        int plainError = Handles.invalid(plain) ? kernel32.GetLastError() : 0;
        Pointer file = kernel32.CreateFileW(path, FileIdWatch.ACCESS, FileIdWatch.SHARING, null, Kernel32.OPEN_EXISTING,
                FileIdWatch.FLAGS, null);
        Memory id = new Memory(Kernel32.FILE_ID_INFO_SIZE);
        id.clear();
        boolean hasId = kernel32.GetFileInformationByHandleEx(file, Kernel32.FILE_ID_INFO_CLASS, id,
                Kernel32.FILE_ID_INFO_SIZE);
        boolean nonzero = id.getLong(Kernel32.FILE_ID_INFO_ID_OFFSET) != 0 || id.getLong(Kernel32.FILE_ID_INFO_ID_OFFSET + 8) != 0;
        Memory basic = new Memory(Kernel32.FILE_INFORMATION_SIZE);
        boolean hasIndex = kernel32.GetFileInformationByHandle(file, basic);
        kernel32.CloseHandle(file);
        kernel32.files.remove(path.toString());
        Pointer removed = kernel32.CreateFileW(path, FileIdWatch.ACCESS, FileIdWatch.SHARING, null,
                Kernel32.OPEN_EXISTING, FileIdWatch.FLAGS, null);
        int removedError = Handles.invalid(removed) ? kernel32.GetLastError() : 0;
        kernel32.files.remove(parent);
        Pointer orphaned = kernel32.CreateFileW(path, FileIdWatch.ACCESS, FileIdWatch.SHARING, null,
                Kernel32.OPEN_EXISTING, FileIdWatch.FLAGS, null);
        int orphanedError = Handles.invalid(orphaned) ? kernel32.GetLastError() : 0;
        return "without_backup_semantics=" + plainError + " opened=" + bit(!Handles.invalid(file)) + " file_id_info="
                + bit(hasId) + " id_nonzero=" + bit(nonzero) + " index=" + bit(hasIndex) + " removed=" + removedError
                + " parent_removed=" + orphanedError;
    }

    static char[] spawnCommandLine(String probe) {
        List<String> command = new ArrayList<>(List.of(probe, "child", "spawn"));
        command.addAll(ARGUMENTS);
        return CommandLines.nulTerminated(command);
    }

    /** The probe's escape(): [ ] \ escaped, anything outside printable ASCII as \\uXXXX. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (c == '[' || c == ']' || c == '\\') {
                out.append('\\').append(c);
            } else if (c >= 0x20 && c < 0x7f) {
                out.append(c);
            } else {
                out.append(String.format("\\u%04x", (int) c));
            }
        }
        return out.toString();
    }

    static String unescape(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && text.charAt(i + 1) == 'u') {
                out.append((char) Integer.parseInt(text.substring(i + 2, i + 6), 16));
                i += 5;
            } else if (c == '\\') {
                out.append(text.charAt(++i));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    static String argv(List<String> arguments) {
        StringBuilder out = new StringBuilder();
        for (String argument : arguments) {
            out.append('[').append(escape(argument)).append(']');
        }
        return out.toString();
    }

    /** The C runtime's reading of a command line (CommandLinesTest.parse), after the probe, "child" and its tag. */
    static List<String> childArguments(String escapedLine) {
        List<String> words = CommandLinesTest.parse(unescape(escapedLine));
        return words.subList(Math.min(3, words.size()), words.size());
    }

    // ---- the tests ----

    @Test
    void theStandInAnswersAsTheDocumentationSays() throws Exception {
        for (Scenario scenario : scenarios()) {
            if (scenario.standIn() != null) {
                assertEquals(scenario.documented(), scenario.standIn().answer(world()),
                        scenario.name() + " (" + scenario.source() + ")");
            }
        }
    }

    /** What spawn's child reads of the command line CommandLines made is what the C runtime would. */
    @Test
    void theStandInsChildGetsItsArgumentsBack() throws Exception {
        FakeKernel32 kernel32 = world();
        spawn(kernel32);
        assertEquals(ARGUMENTS, childArguments(escape(kernel32.children.getFirst().commandLine())));
        assertEquals(List.of(FakeKernel32.JOB), kernel32.children.getFirst().jobs());
        assertTrue(kernel32.children.getFirst().stdInherited());
    }

    @Test
    void windowsAnswersUnderWineAsTheDocumentationSaysOrAsTheNamedDifference() throws Exception {
        Map<String, String> answers = probeUnderWine();
        for (Scenario scenario : scenarios()) {
            String expected = scenario.wine() == null ? scenario.documented() : scenario.wine();
            String why = scenario.wine() == null ? scenario.source() : "the named difference: " + scenario.difference();
            assertEquals(expected, answers.get(scenario.name()), scenario.name() + " (" + why + ")");
        }
    }

    @Test
    void theProvidersCommandLineAndEnvironmentBlockReachTheChildUnderWine() throws Exception {
        Map<String, String> answers = probeUnderWine();
        String child = answers.get("spawn.child");
        assertEquals("argv=" + argv(ARGUMENTS) + " job=1 cwd=" + escape(windowsPath(run.work)) + " variable=found"
                + " stdout=open", child);
        assertEquals(ARGUMENTS, childArguments(answers.get("spawn.line")));
    }

    /** cmd.exe reads BatchCommandLine's line back into the batch file's arguments, passed on with %*. */
    @Test
    void aBatchFileGetsItsArgumentsThroughCmdUnderWine() throws Exception {
        Map<String, String> answers = probeUnderWine();
        assertEquals(BATCH_ARGUMENTS.subList(1, BATCH_ARGUMENTS.size()), childArguments(answers.get("batch.line")));
        assertEquals(WINE_PERCENT.subList(1, WINE_PERCENT.size()), childArguments(answers.get("batch_percent.line")),
                "the named difference: " + "Wine's cmd.exe drops the % that Windows' keeps (see WINE_PERCENT)");
    }

    /** Every constant and layout of Kernel32 as mingw-w64's headers define them, compiled. */
    @Test
    void kernel32sValuesAreTheHeadersUnderWine() throws Exception {
        Map<String, String> answers = probeUnderWine();
        Map<String, Long> values = new LinkedHashMap<>();
        answer(values, answers.get("headers"));
        answer(values, answers.get("layouts"));
        answer(values, answers.get("errors"));
        Map<String, Long> expected = new LinkedHashMap<>();
        expected.put("CREATE_SUSPENDED", (long) Kernel32.CREATE_SUSPENDED);
        expected.put("CREATE_NEW_PROCESS_GROUP", (long) Kernel32.CREATE_NEW_PROCESS_GROUP);
        expected.put("CREATE_UNICODE_ENVIRONMENT", (long) Kernel32.CREATE_UNICODE_ENVIRONMENT);
        expected.put("EXTENDED_STARTUPINFO_PRESENT", (long) Kernel32.EXTENDED_STARTUPINFO_PRESENT);
        expected.put("STARTF_USESTDHANDLES", (long) Kernel32.STARTF_USESTDHANDLES);
        expected.put("CREATE_NO_WINDOW", (long) Kernel32.CREATE_NO_WINDOW);
        expected.put("CREATE_BREAKAWAY_FROM_JOB", (long) Kernel32.CREATE_BREAKAWAY_FROM_JOB);
        expected.put("PROC_THREAD_ATTRIBUTE_HANDLE_LIST", Kernel32.PROC_THREAD_ATTRIBUTE_HANDLE_LIST);
        expected.put("PROC_THREAD_ATTRIBUTE_JOB_LIST", Kernel32.PROC_THREAD_ATTRIBUTE_JOB_LIST);
        expected.put("HANDLE_FLAG_INHERIT", (long) Kernel32.HANDLE_FLAG_INHERIT);
        expected.put("DUPLICATE_SAME_ACCESS", (long) Kernel32.DUPLICATE_SAME_ACCESS);
        expected.put("STD_INPUT_HANDLE", (long) Kernel32.STD_INPUT_HANDLE);
        expected.put("STD_OUTPUT_HANDLE", (long) Kernel32.STD_OUTPUT_HANDLE);
        expected.put("STD_ERROR_HANDLE", (long) Kernel32.STD_ERROR_HANDLE);
        expected.put("CTRL_C_EVENT", (long) Kernel32.CTRL_C_EVENT);
        expected.put("CTRL_BREAK_EVENT", (long) Kernel32.CTRL_BREAK_EVENT);
        expected.put("CTRL_CLOSE_EVENT", (long) Kernel32.CTRL_CLOSE_EVENT);
        expected.put("CTRL_LOGOFF_EVENT", (long) Kernel32.CTRL_LOGOFF_EVENT);
        expected.put("CTRL_SHUTDOWN_EVENT", (long) Kernel32.CTRL_SHUTDOWN_EVENT);
        expected.put("GENERIC_READ", Integer.toUnsignedLong(Kernel32.GENERIC_READ));
        expected.put("GENERIC_WRITE", (long) Kernel32.GENERIC_WRITE);
        expected.put("FILE_APPEND_DATA", (long) Kernel32.FILE_APPEND_DATA);
        expected.put("FILE_READ_ATTRIBUTES", (long) Kernel32.FILE_READ_ATTRIBUTES);
        expected.put("FILE_SHARE_READ", (long) Kernel32.FILE_SHARE_READ);
        expected.put("FILE_SHARE_WRITE", (long) Kernel32.FILE_SHARE_WRITE);
        expected.put("FILE_SHARE_DELETE", (long) Kernel32.FILE_SHARE_DELETE);
        expected.put("OPEN_EXISTING", (long) Kernel32.OPEN_EXISTING);
        expected.put("OPEN_ALWAYS", (long) Kernel32.OPEN_ALWAYS);
        expected.put("FILE_ATTRIBUTE_DIRECTORY", (long) Kernel32.FILE_ATTRIBUTE_DIRECTORY);
        expected.put("FILE_ATTRIBUTE_NORMAL", (long) Kernel32.FILE_ATTRIBUTE_NORMAL);
        expected.put("INVALID_FILE_ATTRIBUTES", Integer.toUnsignedLong(Kernel32.INVALID_FILE_ATTRIBUTES));
        expected.put("FILE_FLAG_BACKUP_SEMANTICS", (long) Kernel32.FILE_FLAG_BACKUP_SEMANTICS);
        expected.put("FILE_FLAG_OPEN_REPARSE_POINT", (long) Kernel32.FILE_FLAG_OPEN_REPARSE_POINT);
        expected.put("JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE", (long) Kernel32.JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE);
        expected.put("JobObjectBasicProcessIdList", (long) Kernel32.JOB_OBJECT_BASIC_PROCESS_ID_LIST);
        expected.put("JobObjectExtendedLimitInformation", (long) Kernel32.JOB_OBJECT_EXTENDED_LIMIT_INFORMATION);
        expected.put("FileIdInfo", (long) Kernel32.FILE_ID_INFO_CLASS);
        expected.put("MAX_PATH", (long) Kernel32.MAX_PATH);
        expected.put("STARTUPINFOW", (long) Kernel32.STARTUPINFO_SIZE);
        expected.put("STARTUPINFOW.dwFlags", (long) Kernel32.STARTUPINFO_FLAGS_OFFSET);
        expected.put("STARTUPINFOW.hStdInput", (long) Kernel32.STARTUPINFO_STDIN_OFFSET);
        expected.put("STARTUPINFOW.hStdOutput", (long) Kernel32.STARTUPINFO_STDOUT_OFFSET);
        expected.put("STARTUPINFOW.hStdError", (long) Kernel32.STARTUPINFO_STDERR_OFFSET);
        expected.put("STARTUPINFOEXW", (long) Kernel32.STARTUPINFOEX_SIZE);
        expected.put("STARTUPINFOEXW.lpAttributeList", (long) Kernel32.STARTUPINFOEX_ATTRIBUTE_LIST_OFFSET);
        expected.put("PROCESS_INFORMATION", (long) Kernel32.PROCESS_INFORMATION_SIZE);
        expected.put("PROCESS_INFORMATION.hThread", (long) Kernel32.PROCESS_INFORMATION_THREAD_OFFSET);
        expected.put("PROCESS_INFORMATION.dwProcessId", (long) Kernel32.PROCESS_INFORMATION_PID_OFFSET);
        expected.put("JOBOBJECT_EXTENDED_LIMIT_INFORMATION", (long) Kernel32.EXTENDED_LIMIT_INFORMATION_SIZE);
        expected.put("JOBOBJECT_BASIC_LIMIT_INFORMATION", (long) Kernel32.BASIC_LIMIT_INFORMATION_SIZE);
        expected.put("IO_COUNTERS", (long) Kernel32.IO_COUNTERS_SIZE);
        expected.put("LimitFlags", (long) Kernel32.LIMIT_FLAGS_OFFSET);
        expected.put("BY_HANDLE_FILE_INFORMATION", (long) Kernel32.FILE_INFORMATION_SIZE);
        expected.put("dwVolumeSerialNumber", (long) Kernel32.FILE_INFORMATION_VOLUME_OFFSET);
        expected.put("nFileIndexHigh", (long) Kernel32.FILE_INFORMATION_INDEX_HIGH_OFFSET);
        expected.put("nFileIndexLow", (long) Kernel32.FILE_INFORMATION_INDEX_LOW_OFFSET);
        expected.put("FILE_ID_INFO", (long) Kernel32.FILE_ID_INFO_SIZE);
        expected.put("FILE_ID_INFO.FileId", (long) Kernel32.FILE_ID_INFO_ID_OFFSET);
        expected.put("SECURITY_ATTRIBUTES", (long) Kernel32.SECURITY_ATTRIBUTES_SIZE);
        expected.put("bInheritHandle", (long) Kernel32.SECURITY_ATTRIBUTES_INHERIT_OFFSET);
        expected.put("NumberOfProcessIdsInList", (long) Kernel32.PROCESS_ID_LIST_LISTED_OFFSET);
        expected.put("ProcessIdList", (long) Kernel32.PROCESS_ID_LIST_HEADER_SIZE);
        expected.put("HANDLE", (long) Kernel32.HANDLE_SIZE);
        expected.put("ERROR_FILE_NOT_FOUND", (long) Kernel32.ERROR_FILE_NOT_FOUND);
        expected.put("ERROR_PATH_NOT_FOUND", (long) Kernel32.ERROR_PATH_NOT_FOUND);
        expected.put("ERROR_ACCESS_DENIED", (long) Kernel32.ERROR_ACCESS_DENIED);
        expected.put("ERROR_INVALID_HANDLE", (long) Kernel32.ERROR_INVALID_HANDLE);
        expected.put("ERROR_NOT_SUPPORTED", (long) Kernel32.ERROR_NOT_SUPPORTED);
        expected.put("ERROR_INVALID_PARAMETER", (long) Kernel32.ERROR_INVALID_PARAMETER);
        expected.put("ERROR_INSUFFICIENT_BUFFER", (long) Kernel32.ERROR_INSUFFICIENT_BUFFER);
        expected.put("ERROR_ALREADY_EXISTS", (long) Kernel32.ERROR_ALREADY_EXISTS);
        expected.put("ERROR_BAD_EXE_FORMAT", (long) Kernel32.ERROR_BAD_EXE_FORMAT);
        expected.put("ERROR_MORE_DATA", (long) Kernel32.ERROR_MORE_DATA);
        expected.put("ERROR_DIRECTORY", (long) Kernel32.ERROR_DIRECTORY);
        expected.put("SIGINT", (long) ConsoleEvents.SIGINT);
        expected.put("SIGTERM", (long) ConsoleEvents.SIGTERM);
        expected.put("SIGBREAK", (long) ConsoleEvents.SIGBREAK);
        assertEquals(expected.keySet(), values.keySet());
        assertEquals(expected, values);
    }

    static void answer(Map<String, Long> values, String answer) {
        for (String pair : answer.split(" ")) {
            String[] parts = pair.split("=", 2);
            values.put(parts[0], Long.parseLong(parts[1]));
        }
    }

    // ---- running the probe ----

    /** The probe's one run for all the tests of this class, its folders, and its answers. */
    record Run(Path folder, Path work, Map<String, String> answers) {}

    static Run run;

    @TempDir
    static Path temporary;

    static synchronized Map<String, String> probeUnderWine() throws Exception {
        String wine = WINE.stream().filter(WineProbeTest::onPath).findFirst().orElse(null);
        Assumptions.assumeTrue(onPath(COMPILER) && wine != null, TOOLS_MISSING);
        if (run == null) {
            run = probe(wine);
        }
        return run.answers();
    }

    static Run probe(String wine) throws Exception {
        Path folder = Files.createDirectories(temporary.resolve("probe"));
        Path work = Files.createDirectories(folder.resolve("work"));
        Path search = Files.createDirectories(folder.resolve("search"));
        Path exe = folder.resolve("win32probe.exe");
        String compiled = runTool(List.of(COMPILER, "-std=c11", "-O2", "-Wall", "-Wextra", "-Werror", "-municode", "-o",
                exe.toString(), SOURCE.toAbsolutePath().toString()), folder, Map.of());
        assertTrue(Files.exists(exe), "mingw-w64 built no probe: " + compiled);
        Files.writeString(search.resolve("tool.cmd"), "@exit /b 0\r\n");
        Files.writeString(work.resolve("echo.cmd"), "@\"" + windowsPath(exe) + "\" child %*\r\n");
        String probe = windowsPath(exe);
        List<String> plan = new ArrayList<>();
        plan.add("folder=" + windowsPath(work));
        plan.add("search.folder=" + windowsPath(search));
        plan.add("search.batch=" + windowsPath(search.resolve("tool.cmd")));
        plan.add("spawn.application=" + probe);
        char[] line = spawnCommandLine(probe);
        plan.add("spawn.commandline=" + new String(line, 0, line.length - 1));
        plan.add("spawn.directory=" + windowsPath(work));
        String block = new String(EnvironmentBlock.of(SPAWN_ENVIRONMENT, "C:\\windows"));
        for (String entry : block.substring(0, block.length() - 2).split("\0")) {
            plan.add("spawn.environment=" + entry);
        }
        plan.add("batch.commandline=" + batchLine(work, BATCH_ARGUMENTS));
        plan.add("batch_percent.commandline=" + batchLine(work, PERCENT_ARGUMENTS));
        plan.add("detach.log=" + windowsPath(work.resolve("detach.log")));
        Path planFile = folder.resolve("plan.txt");
        Files.write(planFile, plan, StandardCharsets.UTF_8);
        preparePrefix(wine, folder);
        String output = runTool(List.of(wine, exe.toString(), windowsPath(planFile)), work, wineEnvironment());
        Map<String, String> answers = new LinkedHashMap<>();
        // The probe's C runtime writes its stdout in text mode: each line ends with CR LF.
        for (String answerLine : output.split("\r?\n")) {
            int colon = answerLine.indexOf(": ");
            if (colon > 0) {
                answers.put(answerLine.substring(0, colon), answerLine.substring(colon + 2));
            }
        }
        assertTrue(answers.containsKey("watch") && output.contains("\ndone\r\n"), "the probe did not finish:\n" + output);
        return new Run(folder, work, answers);
    }

    static String batchLine(Path work, List<String> arguments) throws SpawnException {
        char[] line = BatchCommandLine.of("C:\\windows\\system32\\cmd.exe", windowsPath(work.resolve("echo.cmd")),
                arguments);
        return new String(line, 0, line.length - 1);
    }

    /**
     * Wine's own prefix for this user in target/, so only the first run pays for creating it; no Mono, Gecko or
     * menu entries; no debug output.
     */
    static Map<String, String> wineEnvironment() throws IOException {
        Path prefix = Path.of("target", "wine-prefix-" + System.getProperty("user.name")).toAbsolutePath();
        Files.createDirectories(prefix.getParent());
        return Map.of("WINEPREFIX", prefix.toString(), "WINEDEBUG", "-all",
                "WINEDLLOVERRIDES", "mscoree=d;mshtml=d;winemenubuilder.exe=d");
    }

    /**
     * Creates the prefix, if it is new, before the probe runs, and waits until its wineserver has ended. The
     * first Wine process in a new prefix runs wineboot, which installs the prefix (wine.inf) and starts
     * services.exe, winedevice.exe, plugplay.exe and svchost.exe; the first process is let go while those
     * are still starting, so the probe's CreateProcessW calls would run beside the prefix's creation.
     * {@code wineserver -w} returns only once every process of the prefix has ended, so the probe always
     * starts on a finished prefix, as it does on every run after the first.
     */
    static void preparePrefix(String wine, Path directory) throws Exception {
        runTool(List.of(wine, "wineboot", "--init"), directory, wineEnvironment());
        runTool(List.of("wineserver", "-w"), directory, wineEnvironment());
    }

    /** Ends the wineserver of this run's prefix and every Windows process it still holds. */
    @AfterAll
    static void stopWine() throws Exception {
        if (run != null && onPath("wineserver")) {
            runTool(List.of("wineserver", "-k"), run.folder(), wineEnvironment());
        }
    }

    /** Wine names the Linux root Z:. */
    static String windowsPath(Path path) {
        return "Z:" + path.toAbsolutePath().toString().replace('/', '\\');
    }

    static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        return path != null && Arrays.stream(path.split(File.pathSeparator))
                .anyMatch(directory -> Files.isExecutable(Path.of(directory, tool)));
    }

    /**
     * Runs a tool with its output in a file, not a pipe: a process the tool leaves behind (Wine's server) would
     * hold a pipe open past the tool's end.
     */
    static String runTool(List<String> command, Path directory, Map<String, String> environment) throws Exception {
        Path output = Files.createTempFile(temporary, "output", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(output.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        try {
            assertTrue(process.waitFor(PROBE_TIMEOUT_SECONDS, TimeUnit.SECONDS), String.join(" ", command)
                    + " did not end within " + PROBE_TIMEOUT_SECONDS + " s:\n" + Files.readString(output));
            return Files.readString(output);
        } finally {
            process.destroyForcibly();
        }
    }
}
