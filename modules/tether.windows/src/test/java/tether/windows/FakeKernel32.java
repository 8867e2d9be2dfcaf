package tether.windows;

import com.sun.jna.Pointer;
import com.sun.jna.WString;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * kernel32 as a script that is as strict as Windows: every call is recorded by name and its notable
 * arguments, handles are small numbered pointers held in a handle table, a test makes any call fail with an
 * error of its choosing, and what Windows' documentation says a call refuses, this refuses too, each rule
 * beside the document it comes from (learn.microsoft.com, Win32 API reference, unless named otherwise).
 * Where the documentation does not say what Windows answers, the answer is Wine's, as the Wine probe
 * ({@code WineProbeTest}) observed it; where the two disagree, the documentation's rule is kept and the
 * probe's test names the difference.
 *
 * <p>The last error is the thread's, as GetLastError documents it: a failure sets it, and a success
 * leaves it as it was, except where a function's documentation says it sets it on success too
 * (CreateFileW with OPEN_ALWAYS). So code that reads it after a success reads a stale value here as there.
 */
class FakeKernel32 implements Kernel32 {

    static final Pointer JOB = new Pointer(0x10);
    static final Pointer PROCESS = new Pointer(0x20);
    static final Pointer THREAD = new Pointer(0x30);
    static final Pointer PIPE_READ = new Pointer(0x40);
    static final Pointer PIPE_WRITE = new Pointer(0x50);
    static final Pointer NUL = new Pointer(0x60);
    static final Pointer FILE = new Pointer(0x70);
    static final Pointer STDIN = new Pointer(0x100 - STD_INPUT_HANDLE);
    static final Pointer STDOUT = new Pointer(0x100 - STD_OUTPUT_HANDLE);
    static final Pointer STDERR = new Pointer(0x100 - STD_ERROR_HANDLE);
    /** Where handle values are handed out once the well-known one is taken; Windows' are multiples of 4. */
    static final long FIRST_FREE_HANDLE = 0x200;
    static final Pointer INVALID = new Pointer(Kernel32.INVALID_HANDLE_VALUE);
    static final int PID = 4242;
    static final String SYSTEM_DIRECTORY = "C:\\Windows\\system32";
    /** What InitializeProcThreadAttributeList asks for per attribute; the real size is Windows' business. */
    static final long ATTRIBUTE_SIZE = 48;
    static final int ERROR_BAD_LENGTH = 24;
    static final int ERROR_INVALID_ACCESS = 12;
    /** What a process of the stand-in exits with on its own. */
    static final int EXIT_CODE = 3;

    enum Kind { JOB, PROCESS, THREAD, FILE, PIPE_READ, PIPE_WRITE, STD }

    /** An open handle: what it is, whether a child may inherit it, and the file or pipe it stands for. */
    record Handle(Kind kind, boolean inheritable, String name) {}

    /** A file or directory of the stand-in's file system and the IDs Windows would report for it. */
    record Entry(boolean directory, long volume, long index, long idHigh, long idLow) {}

    /** A process CreateProcessW started: what it runs, reads and inherits. */
    record Child(long pid, String application, String commandLine, int flags, String directory,
            List<String> environment, Set<Pointer> inherited, List<Pointer> std, boolean stdInherited,
            List<Pointer> jobs) {}

    private record AttributeListState(int capacity, Map<Long, long[]> attributes) {}

    final List<String> calls = new ArrayList<>();
    /** A call's name mapped to the error it fails with. */
    final Map<String, Integer> failures = new HashMap<>();
    /** CreateProcessW's creation flags and STARTUPINFO's cb, per call. */
    final List<Integer> creationFlags = new ArrayList<>();
    final List<Integer> startupSizes = new ArrayList<>();
    final List<String> applicationNames = new ArrayList<>();
    final List<String> commandLines = new ArrayList<>();
    final List<List<Pointer>> stdHandles = new ArrayList<>();
    final List<List<String>> environments = new ArrayList<>();
    final List<Child> children = new ArrayList<>();
    /** GenerateConsoleCtrlEvent's events and groups, as delivered. */
    final List<String> ctrlEvents = new ArrayList<>();
    final List<HandlerRoutine> ctrlHandlers = new ArrayList<>();
    /** CreateProcessW's error per call, 0 where it created the process. */
    final List<Integer> createErrors = new ArrayList<>();
    /** The last error CreateFileW with OPEN_ALWAYS left: 0 when it created the file, else ERROR_ALREADY_EXISTS. */
    int openAlwaysError = -1;
    /** The open handles, by value. */
    final Map<Long, Handle> handles = new LinkedHashMap<>();
    /** The stand-in's file system, case-insensitive as Windows' names are. */
    final Map<String, Entry> files = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    /** What GetStdHandle answers: the three standard handles, or null for one tether was started without. */
    final Pointer[] std = {STDIN, STDOUT, STDERR};
    /** Whether this process has a console: GenerateConsoleCtrlEvent needs one. */
    boolean hasConsole = true;
    /** Whether this process runs in a job, and whether that job allows breakaway; null: in no job. */
    Boolean callerJobAllowsBreakaway;
    /** This process's directories, for CreateProcessW's own search (lpApplicationName NULL). */
    String applicationDirectory = "C:\\t\\bin";
    String currentDirectory = "C:\\work";
    /** This process's PATH, which CreateProcessW's own search reads (never the child's environment). */
    String path = SYSTEM_DIRECTORY;
    /** The bytes the report pipe holds for ReadFile, and what WriteFile wrote. */
    byte[] pipeContent = new byte[0];
    final java.io.ByteArrayOutputStream written = new java.io.ByteArrayOutputStream();
    /** The most WriteFile writes in one call. */
    int writeLimit = Integer.MAX_VALUE;
    /** This process's command line, for GetCommandLineW. */
    String commandLine = "";
    int limitFlags;
    /** The pids QueryInformationJobObject lists for {@link #JOB}. */
    List<Long> jobPids = List.of();
    private final Map<Long, AttributeListState> attributeLists = new HashMap<>();
    private final Map<Long, String> openedFiles = new HashMap<>();
    /** Each process handle's pid, and each pid's exit code once it has one other than {@link #EXIT_CODE}. */
    private final Map<Long, Long> processIds = new HashMap<>();
    private final Map<Long, Integer> exitCodes = new HashMap<>();
    private int pipeRead;
    private long nextHandle = FIRST_FREE_HANDLE;
    private long nextPid = PID;
    private int lastError;

    FakeKernel32() {
        handles.put(Pointer.nativeValue(STDIN), new Handle(Kind.STD, false, "stdin"));
        handles.put(Pointer.nativeValue(STDOUT), new Handle(Kind.STD, false, "stdout"));
        handles.put(Pointer.nativeValue(STDERR), new Handle(Kind.STD, false, "stderr"));
        directory("C:\\");
        directory("C:\\work");
        directory(SYSTEM_DIRECTORY);
        file(SYSTEM_DIRECTORY + "\\cmd.exe");
    }

    // ---- the stand-in's world, as tests set it up ----

    void directory(String path) {
        files.put(normal(path), new Entry(true, 0x1234, files.size() + 1, 0, files.size() + 1));
    }

    void file(String path) {
        files.put(normal(path), new Entry(false, 0x1234, files.size() + 1, 0, files.size() + 1));
    }

    void entry(String path, Entry entry) {
        files.put(normal(path), entry);
    }

    /** A handle this process got from elsewhere (inherited at its start), now open here. */
    void adopt(Pointer handle, Kind kind, boolean inheritable) {
        handles.put(Pointer.nativeValue(handle), new Handle(kind, inheritable, kind.name()));
    }

    boolean isOpen(Pointer handle) {
        return handle != null && handles.containsKey(Pointer.nativeValue(handle));
    }

    /** The handles still open that the test's code opened (the three standard ones are this process's own). */
    Set<Pointer> leaked() {
        Set<Pointer> leaked = new LinkedHashSet<>();
        for (Map.Entry<Long, Handle> entry : handles.entrySet()) {
            if (entry.getValue().kind() != Kind.STD) {
                leaked.add(new Pointer(entry.getKey()));
            }
        }
        return leaked;
    }

    int lastError() {
        return lastError;
    }

    private boolean fails(String call) {
        Integer error = failures.get(call);
        if (error == null) {
            return false;
        }
        lastError = error;
        return true;
    }

    private boolean refuse(int error) {
        lastError = error;
        return false;
    }

    private Pointer open(Pointer preferred, Kind kind, boolean inheritable, String name) {
        long value = Pointer.nativeValue(preferred);
        if (handles.containsKey(value)) {
            value = nextHandle;
            nextHandle += 4;
        }
        handles.put(value, new Handle(kind, inheritable, name));
        return new Pointer(value);
    }

    private Handle handle(Pointer handle, Kind kind) {
        Handle open = handle == null ? null : handles.get(Pointer.nativeValue(handle));
        return open != null && (kind == null || open.kind() == kind) ? open : null;
    }

    /** A path as Win32 normalizes it before the file system sees it: "/" is "\\", "." and ".." resolved. */
    static String normal(String path) {
        String[] parts = path.replace('/', '\\').split("\\\\");
        java.util.Deque<String> kept = new java.util.ArrayDeque<>();
        for (String part : parts) {
            if (part.equals("..") && kept.size() > 1) {
                kept.removeLast();
            } else if (!part.equals(".") && !part.isEmpty()) {
                kept.addLast(part);
            }
        }
        String joined = String.join("\\", kept);
        return joined.length() == 2 && joined.charAt(1) == ':' ? joined + "\\" : joined;
    }

    static String parent(String path) {
        int last = normal(path).lastIndexOf('\\');
        return last <= 2 ? normal(path).substring(0, Math.min(normal(path).length(), 3)) : normal(path).substring(0, last);
    }

    // ---- jobs ----

    @Override
    public Pointer CreateJobObjectW(Pointer jobAttributes, WString name) {
        calls.add("CreateJobObjectW(" + jobAttributes + ", " + name + ")");
        return fails("CreateJobObjectW") ? null : open(JOB, Kind.JOB, false, "job");
    }

    /** JOBOBJECT_EXTENDED_LIMIT_INFORMATION's size must be cbJobObjectInformationLength (SetInformationJobObject). */
    @Override
    public boolean SetInformationJobObject(Pointer job, int infoClass, Pointer info, int length) {
        calls.add("SetInformationJobObject(" + job + ", " + infoClass + ", " + length + ")");
        if (handle(job, Kind.JOB) == null) {
            return refuse(ERROR_INVALID_HANDLE);
        }
        if (infoClass == JOB_OBJECT_EXTENDED_LIMIT_INFORMATION && length != EXTENDED_LIMIT_INFORMATION_SIZE) {
            return refuse(ERROR_BAD_LENGTH);
        }
        limitFlags = info.getInt(Kernel32.LIMIT_FLAGS_OFFSET);
        return !fails("SetInformationJobObject");
    }

    @Override
    public boolean AssignProcessToJobObject(Pointer job, Pointer process) {
        calls.add("AssignProcessToJobObject(" + job + ", " + process + ")");
        if (handle(job, Kind.JOB) == null || handle(process, Kind.PROCESS) == null) {
            return refuse(ERROR_INVALID_HANDLE);
        }
        return !fails("AssignProcessToJobObject");
    }

    /**
     * JOBOBJECT_BASIC_PROCESS_ID_LIST: when the buffer is too small Windows fills as many ids as fit, says how
     * many it listed and how many the job has, and fails with ERROR_MORE_DATA.
     */
    @Override
    public boolean QueryInformationJobObject(Pointer job, int infoClass, Pointer info, int length, Pointer returnLength) {
        calls.add("QueryInformationJobObject(" + job + ", " + infoClass + ", " + length + ")");
        if (handle(job, Kind.JOB) == null) {
            return refuse(ERROR_INVALID_HANDLE);
        }
        if (fails("QueryInformationJobObject")) {
            return false;
        }
        if (length < Kernel32.PROCESS_ID_LIST_HEADER_SIZE) {
            return refuse(ERROR_BAD_LENGTH);
        }
        int room = (length - Kernel32.PROCESS_ID_LIST_HEADER_SIZE) / Kernel32.PROCESS_ID_SIZE;
        int listed = Math.min(room, jobPids.size());
        info.setInt(Kernel32.PROCESS_ID_LIST_ASSIGNED_OFFSET, jobPids.size());
        info.setInt(Kernel32.PROCESS_ID_LIST_LISTED_OFFSET, listed);
        for (int i = 0; i < listed; i++) {
            info.setLong(Kernel32.PROCESS_ID_LIST_HEADER_SIZE + (long) i * Kernel32.PROCESS_ID_SIZE, jobPids.get(i));
        }
        return listed == jobPids.size() || refuse(ERROR_MORE_DATA);
    }

    /** Ends every process in the job (TerminateJobObject). */
    @Override
    public boolean TerminateJobObject(Pointer job, int exitCode) {
        calls.add("TerminateJobObject(" + job + ", " + exitCode + ")");
        if (handle(job, Kind.JOB) == null) {
            return refuse(ERROR_INVALID_HANDLE);
        }
        if (fails("TerminateJobObject")) {
            return false;
        }
        for (long pid : jobPids) {
            exitCodes.put(pid, exitCode);
        }
        jobPids = List.of();
        return true;
    }

    // ---- attribute lists ----

    /** dwFlags is reserved and must be zero; the first call with no list only measures and fails with ERROR_INSUFFICIENT_BUFFER. */
    @Override
    public boolean InitializeProcThreadAttributeList(Pointer attributeList, int attributeCount, int flags, long[] size) {
        calls.add("InitializeProcThreadAttributeList(" + (attributeList == null ? "null" : "list") + ", "
                + attributeCount + ")");
        long needed = ATTRIBUTE_SIZE * attributeCount;
        if (flags != 0) {
            return refuse(ERROR_INVALID_PARAMETER);
        }
        if (attributeList == null) {
            if (fails("InitializeProcThreadAttributeList(null)")) {
                size[0] = 0;
                return false;
            }
            size[0] = needed;
            return refuse(ERROR_INSUFFICIENT_BUFFER);
        }
        if (size[0] < needed) {
            size[0] = needed;
            return refuse(ERROR_INSUFFICIENT_BUFFER);
        }
        if (fails("InitializeProcThreadAttributeList")) {
            return false;
        }
        attributeLists.put(Pointer.nativeValue(attributeList), new AttributeListState(attributeCount, new LinkedHashMap<>()));
        return true;
    }

    /**
     * The value must stay valid until the list is deleted (UpdateProcThreadAttribute: "lpValue ... must
     * persist until the attribute list is destroyed"), so it is read here for the record and kept as an
     * address, which CreateProcessW reads again.
     */
    @Override
    public boolean UpdateProcThreadAttribute(Pointer attributeList, int flags, long attribute, Pointer value, long size,
            Pointer previousValue, Pointer returnSize) {
        StringBuilder listed = new StringBuilder();
        for (long at = 0; at < size; at += Kernel32.HANDLE_SIZE) {
            listed.append(at == 0 ? "" : " ").append(value.getPointer(at));
        }
        calls.add("UpdateProcThreadAttribute(0x" + Long.toHexString(attribute) + ", " + listed + ", " + size + ")");
        AttributeListState list = attributeLists.get(Pointer.nativeValue(attributeList));
        boolean known = attribute == PROC_THREAD_ATTRIBUTE_HANDLE_LIST || attribute == PROC_THREAD_ATTRIBUTE_JOB_LIST;
        if (list == null || flags != 0 || !known || size <= 0 || size % HANDLE_SIZE != 0
                || (!list.attributes().containsKey(attribute) && list.attributes().size() >= list.capacity())) {
            return refuse(ERROR_INVALID_PARAMETER);
        }
        if (fails("UpdateProcThreadAttribute") || fails("UpdateProcThreadAttribute(0x" + Long.toHexString(attribute) + ")")) {
            return false;
        }
        list.attributes().put(attribute, new long[] {Pointer.nativeValue(value), size});
        return true;
    }

    /** Deleting a list that was never initialized, or twice, is undefined: a test that does it fails here. */
    @Override
    public void DeleteProcThreadAttributeList(Pointer attributeList) {
        calls.add("DeleteProcThreadAttributeList");
        if (attributeLists.remove(Pointer.nativeValue(attributeList)) == null) {
            throw new AssertionError("DeleteProcThreadAttributeList of a list that is not initialized");
        }
    }

    private List<Pointer> attribute(AttributeListState list, long attribute) {
        long[] value = list.attributes().get(attribute);
        if (value == null) {
            return null;
        }
        List<Pointer> listed = new ArrayList<>();
        for (long at = 0; at < value[1]; at += HANDLE_SIZE) {
            listed.add(new Pointer(value[0]).getPointer(at));
        }
        return listed;
    }

    // ---- processes ----

    /**
     * CreateProcessW, with the rules its documentation and STARTUPINFOW's give:
     * <ul>
     * <li>lpApplicationName "must include the file name extension; no default extension is assumed" and
     * is not searched for; a relative one is taken from this process's current directory, not from
     * lpCurrentDirectory.</li>
     * <li>With no lpApplicationName the first word of the command line is searched for in the documented
     * order: the directory the caller's executable was loaded from, the caller's current directory, the
     * system directory, the Windows directory, the caller's PATH; ".exe" is appended to a name without an
     * extension.</li>
     * <li>"To run a batch file, you must start the command interpreter": Windows starts cmd.exe itself when
     * handed one (and parses its arguments by cmd's rules); the stand-in refuses it, so no test passes on
     * it. A file that is no executable fails with ERROR_BAD_EXE_FORMAT.</li>
     * <li>A current directory that is not a directory fails with ERROR_DIRECTORY.</li>
     * <li>EXTENDED_STARTUPINFO_PRESENT needs a STARTUPINFOEXW whose attribute list is initialized.</li>
     * <li>PROC_THREAD_ATTRIBUTE_HANDLE_LIST (UpdateProcThreadAttribute): its handles "must be created as
     * inheritable handles and must not include pseudo handles", and bInheritHandles must be TRUE; then
     * the child inherits those and no others. Without the list, bInheritHandles TRUE hands the child every
     * inheritable handle the caller has.</li>
     * <li>STARTF_USESTDHANDLES: "the handles must be inheritable and the function's bInheritHandles parameter
     * must be set to TRUE"; whether the child really has them is recorded.</li>
     * <li>CREATE_BREAKAWAY_FROM_JOB from inside a job that does not allow breakaway fails with
     * ERROR_ACCESS_DENIED.</li>
     * <li>The environment block must be sorted by name, case-insensitively ("Changing Environment
     * Variables"); Windows takes an unsorted one and then may not find its names, the stand-in refuses it.
     * A Unicode block needs CREATE_UNICODE_ENVIRONMENT.</li>
     * </ul>
     */
    @Override
    public boolean CreateProcessW(WString applicationName, char[] commandLine, Pointer processAttributes,
            Pointer threadAttributes, boolean inheritHandles, int creationFlags, Pointer environment,
            WString currentDirectory, Pointer startupInfo, Pointer processInformation) {
        String kind = kind(creationFlags);
        calls.add("CreateProcessW(" + kind + ")");
        int cb = startupInfo.getInt(0);
        String line = new String(commandLine, 0, commandLine.length - 1);
        this.creationFlags.add(creationFlags);
        startupSizes.add(cb);
        applicationNames.add(applicationName == null ? null : applicationName.toString());
        commandLines.add(line);
        List<Pointer> stdGiven = java.util.Arrays.asList(startupInfo.getPointer(STARTUPINFO_STDIN_OFFSET),
                startupInfo.getPointer(STARTUPINFO_STDOUT_OFFSET), startupInfo.getPointer(STARTUPINFO_STDERR_OFFSET));
        stdHandles.add(stdGiven);
        List<String> entries = environment(environment);
        environments.add(entries);

        boolean created = create(applicationName, line, inheritHandles, creationFlags, environment, entries,
                currentDirectory, startupInfo, stdGiven, processInformation);
        createErrors.add(created ? 0 : lastError);
        return created;
    }

    /** How the provider's CreateProcessW calls are told apart in the record and in {@link #failures}. */
    private static String kind(int creationFlags) {
        if ((creationFlags & CREATE_NO_WINDOW) != 0) {
            return "detached" + ((creationFlags & CREATE_BREAKAWAY_FROM_JOB) != 0 ? ", breakaway" : "");
        }
        return (creationFlags & CREATE_SUSPENDED) != 0 ? "suspended" : "in job";
    }

    private boolean create(WString applicationName, String line, boolean inheritHandles, int creationFlags,
            Pointer environment, List<String> entries, WString currentDirectory, Pointer startupInfo,
            List<Pointer> stdGiven, Pointer processInformation) {
        String kind = kind(creationFlags);
        int cb = startupInfo.getInt(0);
        boolean extended = (creationFlags & EXTENDED_STARTUPINFO_PRESENT) != 0;
        if (cb != (extended ? STARTUPINFOEX_SIZE : STARTUPINFO_SIZE)) {
            return refuse(ERROR_INVALID_PARAMETER);
        }
        List<Pointer> handleList = null;
        List<Pointer> jobList = List.of();
        if (extended) {
            AttributeListState list = attributeLists.get(
                    Pointer.nativeValue(startupInfo.getPointer(STARTUPINFOEX_ATTRIBUTE_LIST_OFFSET)));
            if (list == null) {
                return refuse(ERROR_INVALID_PARAMETER);
            }
            handleList = attribute(list, PROC_THREAD_ATTRIBUTE_HANDLE_LIST);
            List<Pointer> jobs = attribute(list, PROC_THREAD_ATTRIBUTE_JOB_LIST);
            jobList = jobs == null ? List.of() : jobs;
        }
        if (handleList != null) {
            if (!inheritHandles) {
                return refuse(ERROR_INVALID_PARAMETER);
            }
            for (Pointer listed : handleList) {
                Handle open = handle(listed, null);
                if (open == null || !open.inheritable() || Pointer.nativeValue(listed) == CURRENT_PROCESS) {
                    return refuse(ERROR_INVALID_PARAMETER);
                }
            }
        }
        for (Pointer job : jobList) {
            if (handle(job, Kind.JOB) == null) {
                return refuse(ERROR_INVALID_HANDLE);
            }
        }
        if ((creationFlags & CREATE_BREAKAWAY_FROM_JOB) != 0 && Boolean.FALSE.equals(callerJobAllowsBreakaway)) {
            return refuse(ERROR_ACCESS_DENIED);
        }
        if (environment != null && ((creationFlags & CREATE_UNICODE_ENVIRONMENT) == 0 || !sorted(entries))) {
            return refuse(ERROR_INVALID_PARAMETER);
        }
        String directory = currentDirectory == null ? this.currentDirectory : currentDirectory.toString();
        Entry cwd = files.get(normal(directory));
        if (cwd == null || !cwd.directory()) {
            return refuse(ERROR_DIRECTORY);
        }
        String program = applicationName == null ? search(firstWord(line)) : resolved(applicationName.toString());
        Entry file = program == null ? null : files.get(normal(program));
        if (file == null) {
            return refuse(program == null || files.containsKey(parent(program)) ? ERROR_FILE_NOT_FOUND : ERROR_PATH_NOT_FOUND);
        }
        if (file.directory()) {
            return refuse(ERROR_ACCESS_DENIED);
        }
        String lower = program.toLowerCase(Locale.ROOT);
        if (!lower.endsWith(".exe") && !lower.endsWith(".com")) {
            return refuse(ERROR_BAD_EXE_FORMAT);
        }
        if (fails("CreateProcessW(" + kind + ")")) {
            return false;
        }
        Set<Pointer> inherited = new LinkedHashSet<>();
        if (handleList != null) {
            inherited.addAll(handleList);
        } else if (inheritHandles) {
            for (Map.Entry<Long, Handle> open : handles.entrySet()) {
                if (open.getValue().inheritable()) {
                    inherited.add(new Pointer(open.getKey()));
                }
            }
        }
        boolean usesStd = (startupInfo.getInt(STARTUPINFO_FLAGS_OFFSET) & STARTF_USESTDHANDLES) != 0;
        boolean stdInherited = usesStd && inheritHandles && inherited.containsAll(stdGiven);
        long pid = nextPid++;
        Pointer process = open(PROCESS, Kind.PROCESS, false, "process " + pid);
        processIds.put(Pointer.nativeValue(process), pid);
        Pointer thread = open(THREAD, Kind.THREAD, false, "thread " + pid);
        processInformation.setPointer(Kernel32.PROCESS_INFORMATION_PROCESS_OFFSET, process);
        processInformation.setPointer(Kernel32.PROCESS_INFORMATION_THREAD_OFFSET, thread);
        processInformation.setInt(Kernel32.PROCESS_INFORMATION_PID_OFFSET, (int) pid);
        if (jobList.contains(JOB)) {
            List<Long> members = new ArrayList<>(jobPids);
            members.add(pid);
            jobPids = members;
        }
        children.add(new Child(pid, program, line, creationFlags, directory, entries, inherited, stdGiven,
                stdInherited, jobList));
        return true;
    }

    private String resolved(String application) {
        return ProgramSearch.isAbsolute(application) ? application : ProgramSearch.resolve(currentDirectory, application);
    }

    /** CreateProcessW's own search for a program named only on the command line. */
    private String search(String name) {
        String withExtension = ProgramSearch.hasExtension(name) ? name : name + ".exe";
        if (ProgramSearch.isPath(withExtension)) {
            return resolved(withExtension);
        }
        List<String> places = new ArrayList<>(List.of(applicationDirectory, currentDirectory, SYSTEM_DIRECTORY,
                parent(SYSTEM_DIRECTORY)));
        places.addAll(ProgramSearch.pathEntries(path));
        for (String place : places) {
            String candidate = ProgramSearch.join(place, withExtension);
            if (files.containsKey(normal(candidate))) {
                return candidate;
            }
        }
        return null;
    }

    private static String firstWord(String line) {
        List<String> words = CommandLinesTest.parse(line);
        return words.isEmpty() ? "" : words.getFirst();
    }

    private static boolean sorted(List<String> entries) {
        for (int i = 1; i < entries.size(); i++) {
            if (EnvironmentBlock.compareNames(EnvironmentBlock.name(entries.get(i - 1)),
                    EnvironmentBlock.name(entries.get(i))) > 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int ResumeThread(Pointer thread) {
        calls.add("ResumeThread(" + thread + ")");
        if (handle(thread, Kind.THREAD) == null) {
            refuse(ERROR_INVALID_HANDLE);
            return RESUME_THREAD_FAILED;
        }
        return fails("ResumeThread") ? Kernel32.RESUME_THREAD_FAILED : 1;
    }

    @Override
    public boolean TerminateProcess(Pointer process, int exitCode) {
        calls.add("TerminateProcess(" + process + ", " + exitCode + ")");
        return handle(process, Kind.PROCESS) != null || refuse(ERROR_INVALID_HANDLE);
    }

    /** A handle that is not open, NULL included, fails with WAIT_FAILED and ERROR_INVALID_HANDLE. */
    @Override
    public int WaitForSingleObject(Pointer handle, int milliseconds) {
        calls.add("WaitForSingleObject(" + handle + ")");
        if (handle(handle, null) == null) {
            refuse(ERROR_INVALID_HANDLE);
            return WAIT_FAILED;
        }
        return 0;
    }

    /** The stand-in's processes have all exited: with {@link #EXIT_CODE}, or with what ended their job. */
    @Override
    public boolean GetExitCodeProcess(Pointer process, int[] exitCode) {
        if (handle(process, Kind.PROCESS) == null) {
            return refuse(ERROR_INVALID_HANDLE);
        }
        exitCode[0] = exitCodes.getOrDefault(processIds.get(Pointer.nativeValue(process)), EXIT_CODE);
        return true;
    }

    // ---- handles ----

    @Override
    public Pointer GetStdHandle(int stdHandle) {
        return std[-10 - stdHandle];
    }

    /** Only this process's own handles, through its pseudo handle, are duplicated here. */
    @Override
    public boolean DuplicateHandle(Pointer sourceProcess, Pointer sourceHandle, Pointer targetProcess,
            Pointer targetHandle, int desiredAccess, boolean inheritHandle, int options) {
        calls.add("DuplicateHandle(" + sourceHandle + ", " + (inheritHandle ? "inheritable" : "not inheritable") + ")");
        Handle source = handle(sourceHandle, null);
        if (Pointer.nativeValue(sourceProcess) != CURRENT_PROCESS || Pointer.nativeValue(targetProcess) != CURRENT_PROCESS
                || source == null) {
            return refuse(ERROR_INVALID_HANDLE);
        }
        if (fails("DuplicateHandle")) {
            return false;
        }
        long value = nextHandle;
        nextHandle += 4;
        handles.put(value, new Handle(source.kind() == Kind.STD ? Kind.FILE : source.kind(), inheritHandle,
                source.name()));
        targetHandle.setPointer(0, new Pointer(value));
        return true;
    }

    /**
     * Closing a handle that is not open fails with ERROR_INVALID_HANDLE. Closing the last handle of a job
     * with JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE ends its processes (JOBOBJECT_BASIC_LIMIT_INFORMATION).
     */
    @Override
    public boolean CloseHandle(Pointer handle) {
        calls.add("CloseHandle(" + handle + ")");
        Handle closed = handle == null ? null : handles.remove(Pointer.nativeValue(handle));
        if (closed == null) {
            return refuse(ERROR_INVALID_HANDLE);
        }
        openedFiles.remove(Pointer.nativeValue(handle));
        if (closed.kind() == Kind.JOB && handle.equals(JOB) && (limitFlags & JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE) != 0) {
            for (long pid : jobPids) {
                exitCodes.put(pid, 0);
            }
            jobPids = List.of();
        }
        return true;
    }

    @Override
    public boolean SetHandleInformation(Pointer handle, int mask, int flags) {
        calls.add("SetHandleInformation(" + handle + ", " + mask + ", " + flags + ")");
        Handle open = handle(handle, null);
        if (open == null) {
            return refuse(ERROR_INVALID_HANDLE);
        }
        if (fails("SetHandleInformation")) {
            return false;
        }
        if ((mask & HANDLE_FLAG_INHERIT) != 0) {
            handles.put(Pointer.nativeValue(handle),
                    new Handle(open.kind(), (flags & HANDLE_FLAG_INHERIT) != 0, open.name()));
        }
        return true;
    }

    @Override
    public int GetLastError() {
        return lastError;
    }

    // ---- the console ----

    /**
     * GenerateConsoleCtrlEvent reaches the processes of the group that share the caller's console, so without
     * a console it fails (the documentation names no error; this is Wine's, ERROR_INVALID_ACCESS). A
     * CTRL_C_EVENT "cannot be limited to a specific process group": to a non-zero group it succeeds and
     * reaches nobody.
     */
    @Override
    public boolean GenerateConsoleCtrlEvent(int ctrlEvent, int processGroupId) {
        calls.add("GenerateConsoleCtrlEvent(" + ctrlEvent + ", " + processGroupId + ")");
        if (!hasConsole) {
            return refuse(ERROR_INVALID_ACCESS);
        }
        if (fails("GenerateConsoleCtrlEvent")) {
            return false;
        }
        ctrlEvents.add(ctrlEvent == CTRL_C_EVENT && processGroupId != 0 ? "nobody" : ctrlEvent + " to " + processGroupId);
        return true;
    }

    @Override
    public boolean SetConsoleCtrlHandler(HandlerRoutine handler, boolean add) {
        calls.add("SetConsoleCtrlHandler(" + (add ? "add" : "remove") + ")");
        if (fails("SetConsoleCtrlHandler")) {
            return false;
        }
        if (add) {
            ctrlHandlers.add(handler);
        } else if (!ctrlHandlers.remove(handler)) {
            return refuse(ERROR_INVALID_PARAMETER);
        }
        return true;
    }

    /** Delivers a console event as Windows does: the handlers last-registered first, until one returns TRUE. */
    boolean deliver(int ctrlType) {
        for (int i = ctrlHandlers.size() - 1; i >= 0; i--) {
            if (ctrlHandlers.get(i).invoke(ctrlType)) {
                return true;
            }
        }
        return false;
    }

    // ---- files ----

    /**
     * CreateFileW on the stand-in's file system: NUL is the null device; a missing file is
     * ERROR_FILE_NOT_FOUND, or ERROR_PATH_NOT_FOUND when its directory is missing too; a directory opens only
     * with FILE_FLAG_BACKUP_SEMANTICS ("You must set this flag to obtain a handle to a directory"); OPEN_ALWAYS
     * creates a missing file and sets the last error to 0, or opens an existing one and sets it to
     * ERROR_ALREADY_EXISTS, though it succeeds either way.
     */
    @Override
    public Pointer CreateFileW(WString fileName, int desiredAccess, int shareMode, Pointer securityAttributes,
            int creationDisposition, int flagsAndAttributes, Pointer templateFile) {
        String name = fileName.toString();
        boolean inheritable = inheritable(securityAttributes).equals("inheritable");
        calls.add("CreateFileW(" + name + ", 0x" + Integer.toHexString(desiredAccess) + ", " + shareMode + ", "
                + inheritable(securityAttributes) + ", " + creationDisposition + ", 0x"
                + Integer.toHexString(flagsAndAttributes) + ")");
        if (fails("CreateFileW(" + name + ")")) {
            return INVALID;
        }
        if (name.equals(WindowsPaths.NUL)) {
            return open(NUL, Kind.FILE, inheritable, name);
        }
        Entry entry = files.get(normal(name));
        if (entry == null) {
            if (!files.containsKey(parent(name))) {
                lastError = ERROR_PATH_NOT_FOUND;
                return INVALID;
            }
            if (creationDisposition != OPEN_ALWAYS) {
                lastError = ERROR_FILE_NOT_FOUND;
                return INVALID;
            }
            file(name);
            lastError = 0;
        } else if (entry.directory() && (flagsAndAttributes & FILE_FLAG_BACKUP_SEMANTICS) == 0) {
            lastError = ERROR_ACCESS_DENIED;
            return INVALID;
        } else if (creationDisposition == OPEN_ALWAYS) {
            lastError = ERROR_ALREADY_EXISTS;
        }
        if (creationDisposition == OPEN_ALWAYS) {
            openAlwaysError = lastError;
        }
        Pointer file = open(FILE, Kind.FILE, inheritable, name);
        openedFiles.put(Pointer.nativeValue(file), normal(name));
        return file;
    }

    private static String inheritable(Pointer securityAttributes) {
        if (securityAttributes == null) {
            return "null";
        }
        boolean whole = securityAttributes.getInt(0) == Kernel32.SECURITY_ATTRIBUTES_SIZE;
        return whole && securityAttributes.getInt(Kernel32.SECURITY_ATTRIBUTES_INHERIT_OFFSET) == 1
                ? "inheritable" : "not inheritable";
    }

    @Override
    public int GetFileAttributesW(WString fileName) {
        calls.add("GetFileAttributesW(" + fileName + ")");
        Entry entry = files.get(normal(fileName.toString()));
        if (entry == null) {
            lastError = files.containsKey(parent(fileName.toString())) ? ERROR_FILE_NOT_FOUND : ERROR_PATH_NOT_FOUND;
            return INVALID_FILE_ATTRIBUTES;
        }
        return entry.directory() ? FILE_ATTRIBUTE_DIRECTORY : FILE_ATTRIBUTE_NORMAL;
    }

    private Entry openedEntry(Pointer file) {
        String name = file == null ? null : openedFiles.get(Pointer.nativeValue(file));
        return name == null ? null : files.get(name);
    }

    @Override
    public boolean GetFileInformationByHandle(Pointer file, Pointer fileInformation) {
        calls.add("GetFileInformationByHandle(" + file + ")");
        Entry entry = openedEntry(file);
        if (entry == null) {
            return refuse(ERROR_INVALID_HANDLE);
        }
        if (fails("GetFileInformationByHandle")) {
            return false;
        }
        fileInformation.setInt(Kernel32.FILE_INFORMATION_VOLUME_OFFSET, (int) entry.volume());
        fileInformation.setInt(Kernel32.FILE_INFORMATION_INDEX_HIGH_OFFSET, (int) (entry.index() >>> 32));
        fileInformation.setInt(Kernel32.FILE_INFORMATION_INDEX_LOW_OFFSET, (int) entry.index());
        return true;
    }

    /**
     * FileIdInfo: the buffer must hold a FILE_ID_INFO; a file system without 128-bit IDs reports zero
     * ("must be set to 0, and must be ignored"); an unknown class is ERROR_INVALID_PARAMETER.
     */
    @Override
    public boolean GetFileInformationByHandleEx(Pointer file, int infoClass, Pointer info, int size) {
        calls.add("GetFileInformationByHandleEx(" + file + ", " + infoClass + ", " + size + ")");
        Entry entry = openedEntry(file);
        if (entry == null) {
            return refuse(ERROR_INVALID_HANDLE);
        }
        if (infoClass != FILE_ID_INFO_CLASS) {
            return refuse(ERROR_INVALID_PARAMETER);
        }
        if (size < FILE_ID_INFO_SIZE) {
            return refuse(ERROR_BAD_LENGTH);
        }
        if (fails("GetFileInformationByHandleEx")) {
            return false;
        }
        info.setLong(FILE_ID_INFO_VOLUME_OFFSET, entry.volume());
        info.setLong(FILE_ID_INFO_ID_OFFSET, entry.idLow());
        info.setLong(FILE_ID_INFO_ID_OFFSET + 8, entry.idHigh());
        return true;
    }

    @Override
    public int GetSystemDirectoryW(char[] buffer, int size) {
        calls.add("GetSystemDirectoryW");
        if (fails("GetSystemDirectoryW")) {
            return 0;
        }
        if (size <= SYSTEM_DIRECTORY.length()) {
            return SYSTEM_DIRECTORY.length() + 1;
        }
        SYSTEM_DIRECTORY.getChars(0, SYSTEM_DIRECTORY.length(), buffer, 0);
        buffer[SYSTEM_DIRECTORY.length()] = 0;
        return SYSTEM_DIRECTORY.length();
    }

    // ---- pipes ----

    @Override
    public boolean CreatePipe(Pointer readPipe, Pointer writePipe, Pointer pipeAttributes, int size) {
        calls.add("CreatePipe(" + inheritable(pipeAttributes) + ")");
        if (fails("CreatePipe")) {
            return false;
        }
        boolean inheritable = inheritable(pipeAttributes).equals("inheritable");
        readPipe.setPointer(0, open(PIPE_READ, Kind.PIPE_READ, inheritable, "pipe"));
        writePipe.setPointer(0, open(PIPE_WRITE, Kind.PIPE_WRITE, inheritable, "pipe"));
        return true;
    }

    /** One byte a call, then ERROR_BROKEN_PIPE: the detached side closed its end. */
    @Override
    public boolean ReadFile(Pointer file, byte[] buffer, int toRead, int[] read, Pointer overlapped) {
        if (handle(file, null) == null) {
            return refuse(ERROR_INVALID_HANDLE);
        }
        if (pipeRead >= pipeContent.length) {
            calls.add("ReadFile(" + file + ") at the end");
            return refuse(109);
        }
        buffer[0] = pipeContent[pipeRead++];
        read[0] = 1;
        return true;
    }

    @Override
    public boolean WriteFile(Pointer file, byte[] buffer, int toWrite, int[] written, Pointer overlapped) {
        calls.add("WriteFile(" + file + ", " + toWrite + ")");
        if (handle(file, null) == null) {
            return refuse(ERROR_INVALID_HANDLE);
        }
        if (fails("WriteFile")) {
            return false;
        }
        written[0] = Math.min(toWrite, writeLimit);
        this.written.write(buffer, 0, written[0]);
        return true;
    }

    // ---- the command line ----

    @Override
    public Pointer GetCommandLineW() {
        calls.add("GetCommandLineW");
        return utf16(commandLine);
    }

    @Override
    public Pointer LocalFree(Pointer memory) {
        calls.add("LocalFree");
        return null;
    }

    static com.sun.jna.Memory utf16(String text) {
        return Utf16.memory((text + '\0').toCharArray());
    }

    /** A Unicode environment block of {@code entries}. */
    static com.sun.jna.Memory block(String... entries) {
        return Utf16.memory(EnvironmentBlock.of(List.of(entries), null));
    }

    /** The entries of a Unicode environment block. */
    static List<String> environment(Pointer block) {
        List<String> entries = new ArrayList<>();
        if (block == null) {
            return entries;
        }
        long offset = 0;
        while (true) {
            String entry = Utf16.read(block.share(offset));
            if (entry.isEmpty()) {
                return entries;
            }
            entries.add(entry);
            offset += (entry.length() + 1L) * Character.BYTES;
        }
    }
}
