package tether.windows;

import com.sun.jna.Pointer;
import com.sun.jna.WString;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * kernel32 as a script: every call is recorded by name and its notable arguments, handles are small
 * numbered pointers, and a test makes any call fail with an error of its choosing.
 */
class FakeKernel32 implements Kernel32 {

    static final Pointer JOB = new Pointer(0x10);
    static final Pointer PROCESS = new Pointer(0x20);
    static final Pointer THREAD = new Pointer(0x30);
    static final int PID = 4242;

    final List<String> calls = new ArrayList<>();
    /** A call's name mapped to the error it fails with. */
    final Map<String, Integer> failures = new HashMap<>();
    /** CreateProcessW's creation flags and STARTUPINFO's cb, per call. */
    final List<Integer> creationFlags = new ArrayList<>();
    final List<Integer> startupSizes = new ArrayList<>();
    final List<Pointer> attributeLists = new ArrayList<>();
    final List<String> applicationNames = new ArrayList<>();
    final List<String> commandLines = new ArrayList<>();
    final List<List<Pointer>> stdHandles = new ArrayList<>();
    final List<List<String>> environments = new ArrayList<>();
    /** What CreateFileW finds: a path mapped to its volume serial number and file index. */
    final Map<String, long[]> files = new HashMap<>();
    /** The bytes the report pipe holds for ReadFile, and what WriteFile wrote. */
    byte[] pipeContent = new byte[0];
    final java.io.ByteArrayOutputStream written = new java.io.ByteArrayOutputStream();
    /** The most WriteFile writes in one call. */
    int writeLimit = Integer.MAX_VALUE;
    /** This process's command line, for GetCommandLineW. */
    String commandLine = "";
    private int pipeRead;
    private String openFile;
    int limitFlags;
    long attributeListSize = 48;
    /** The pids QueryInformationJobObject lists. */
    List<Long> jobPids = List.of();
    private int lastError;

    private boolean fails(String call) {
        Integer error = failures.get(call);
        if (error == null) {
            return false;
        }
        lastError = error;
        return true;
    }

    @Override
    public Pointer CreateJobObjectW(Pointer jobAttributes, WString name) {
        calls.add("CreateJobObjectW(" + jobAttributes + ", " + name + ")");
        return fails("CreateJobObjectW") ? null : JOB;
    }

    @Override
    public boolean SetInformationJobObject(Pointer job, int infoClass, Pointer info, int length) {
        calls.add("SetInformationJobObject(" + job + ", " + infoClass + ", " + length + ")");
        limitFlags = info.getInt(Kernel32.LIMIT_FLAGS_OFFSET);
        return !fails("SetInformationJobObject");
    }

    @Override
    public boolean InitializeProcThreadAttributeList(Pointer attributeList, int attributeCount, int flags, long[] size) {
        calls.add("InitializeProcThreadAttributeList(" + (attributeList == null ? "null" : "list") + ", "
                + attributeCount + ")");
        if (attributeList == null) {
            size[0] = fails("InitializeProcThreadAttributeList(null)") ? 0 : attributeListSize;
            lastError = 122;
            return false;
        }
        return !fails("InitializeProcThreadAttributeList");
    }

    @Override
    public boolean UpdateProcThreadAttribute(Pointer attributeList, int flags, long attribute, Pointer value, long size,
            Pointer previousValue, Pointer returnSize) {
        StringBuilder handles = new StringBuilder();
        for (long at = 0; at < size; at += Kernel32.HANDLE_SIZE) {
            handles.append(at == 0 ? "" : " ").append(value.getPointer(at));
        }
        calls.add("UpdateProcThreadAttribute(0x" + Long.toHexString(attribute) + ", " + handles + ", " + size + ")");
        return !fails("UpdateProcThreadAttribute");
    }

    @Override
    public void DeleteProcThreadAttributeList(Pointer attributeList) {
        calls.add("DeleteProcThreadAttributeList");
    }

    @Override
    public boolean CreateProcessW(WString applicationName, char[] commandLine, Pointer processAttributes,
            Pointer threadAttributes, boolean inheritHandles, int creationFlags, Pointer environment,
            WString currentDirectory, Pointer startupInfo, Pointer processInformation) {
        String kind = (creationFlags & Kernel32.CREATE_NO_WINDOW) != 0
                ? "detached" + ((creationFlags & Kernel32.CREATE_BREAKAWAY_FROM_JOB) != 0 ? ", breakaway" : "")
                : (creationFlags & Kernel32.CREATE_SUSPENDED) != 0 ? "suspended" : "in job";
        calls.add("CreateProcessW(" + kind + ")");
        this.creationFlags.add(creationFlags);
        startupSizes.add(startupInfo.getInt(0));
        applicationNames.add(applicationName == null ? null : applicationName.toString());
        commandLines.add(new String(commandLine, 0, commandLine.length - 1));
        stdHandles.add(List.of(startupInfo.getPointer(Kernel32.STARTUPINFO_STDIN_OFFSET),
                startupInfo.getPointer(Kernel32.STARTUPINFO_STDOUT_OFFSET),
                startupInfo.getPointer(Kernel32.STARTUPINFO_STDERR_OFFSET)));
        environments.add(environment(environment));
        if (startupInfo.getInt(0) == Kernel32.STARTUPINFOEX_SIZE) {
            attributeLists.add(startupInfo.getPointer(Kernel32.STARTUPINFOEX_ATTRIBUTE_LIST_OFFSET));
        }
        if (fails("CreateProcessW(" + kind + ")")) {
            return false;
        }
        processInformation.setPointer(Kernel32.PROCESS_INFORMATION_PROCESS_OFFSET, PROCESS);
        processInformation.setPointer(Kernel32.PROCESS_INFORMATION_THREAD_OFFSET, THREAD);
        processInformation.setInt(Kernel32.PROCESS_INFORMATION_PID_OFFSET, PID);
        return true;
    }

    @Override
    public boolean AssignProcessToJobObject(Pointer job, Pointer process) {
        calls.add("AssignProcessToJobObject(" + job + ", " + process + ")");
        return !fails("AssignProcessToJobObject");
    }

    @Override
    public int ResumeThread(Pointer thread) {
        calls.add("ResumeThread(" + thread + ")");
        return fails("ResumeThread") ? Kernel32.RESUME_THREAD_FAILED : 1;
    }

    @Override
    public boolean TerminateProcess(Pointer process, int exitCode) {
        calls.add("TerminateProcess(" + process + ", " + exitCode + ")");
        return true;
    }

    @Override
    public boolean QueryInformationJobObject(Pointer job, int infoClass, Pointer info, int length, Pointer returnLength) {
        calls.add("QueryInformationJobObject(" + job + ", " + infoClass + ", " + length + ")");
        if (fails("QueryInformationJobObject")) {
            return false;
        }
        int room = (length - Kernel32.PROCESS_ID_LIST_HEADER_SIZE) / Kernel32.PROCESS_ID_SIZE;
        info.setInt(Kernel32.PROCESS_ID_LIST_ASSIGNED_OFFSET, jobPids.size());
        if (room < jobPids.size()) {
            lastError = Kernel32.ERROR_MORE_DATA;
            return false;
        }
        info.setInt(Kernel32.PROCESS_ID_LIST_LISTED_OFFSET, jobPids.size());
        for (int i = 0; i < jobPids.size(); i++) {
            info.setLong(Kernel32.PROCESS_ID_LIST_HEADER_SIZE + (long) i * Kernel32.PROCESS_ID_SIZE, jobPids.get(i));
        }
        return true;
    }

    @Override
    public boolean TerminateJobObject(Pointer job, int exitCode) {
        calls.add("TerminateJobObject(" + job + ", " + exitCode + ")");
        return !fails("TerminateJobObject");
    }

    @Override
    public boolean GenerateConsoleCtrlEvent(int ctrlEvent, int processGroupId) {
        calls.add("GenerateConsoleCtrlEvent(" + ctrlEvent + ", " + processGroupId + ")");
        return !fails("GenerateConsoleCtrlEvent");
    }

    @Override
    public Pointer GetStdHandle(int stdHandle) {
        return new Pointer(0x100 - stdHandle);
    }

    @Override
    public int WaitForSingleObject(Pointer handle, int milliseconds) {
        calls.add("WaitForSingleObject(" + handle + ")");
        return 0;
    }

    @Override
    public boolean GetExitCodeProcess(Pointer process, int[] exitCode) {
        exitCode[0] = 3;
        return true;
    }

    @Override
    public boolean CloseHandle(Pointer handle) {
        calls.add("CloseHandle(" + handle + ")");
        return true;
    }

    @Override
    public int GetLastError() {
        return lastError;
    }

    static final Pointer NUL = new Pointer(0x60);
    static final Pointer FILE = new Pointer(0x70);
    static final Pointer PIPE_READ = new Pointer(0x40);
    static final Pointer PIPE_WRITE = new Pointer(0x50);
    static final Pointer INVALID = new Pointer(Kernel32.INVALID_HANDLE_VALUE);

    @Override
    public Pointer CreateFileW(WString fileName, int desiredAccess, int shareMode, Pointer securityAttributes,
            int creationDisposition, int flagsAndAttributes, Pointer templateFile) {
        String name = fileName.toString();
        calls.add("CreateFileW(" + name + ", 0x" + Integer.toHexString(desiredAccess) + ", " + shareMode + ", "
                + inheritable(securityAttributes) + ", " + creationDisposition + ", 0x"
                + Integer.toHexString(flagsAndAttributes) + ")");
        if (fails("CreateFileW(" + name + ")")) {
            return INVALID;
        }
        openFile = name;
        return name.equals("NUL") ? NUL : FILE;
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
    public boolean GetFileInformationByHandle(Pointer file, Pointer fileInformation) {
        calls.add("GetFileInformationByHandle(" + file + ")");
        if (fails("GetFileInformationByHandle")) {
            return false;
        }
        long[] id = files.get(openFile);
        fileInformation.setInt(Kernel32.FILE_INFORMATION_VOLUME_OFFSET, (int) id[0]);
        fileInformation.setInt(Kernel32.FILE_INFORMATION_INDEX_HIGH_OFFSET, (int) (id[1] >>> 32));
        fileInformation.setInt(Kernel32.FILE_INFORMATION_INDEX_LOW_OFFSET, (int) id[1]);
        return true;
    }

    @Override
    public boolean CreatePipe(Pointer readPipe, Pointer writePipe, Pointer pipeAttributes, int size) {
        calls.add("CreatePipe(" + inheritable(pipeAttributes) + ")");
        if (fails("CreatePipe")) {
            return false;
        }
        readPipe.setPointer(0, PIPE_READ);
        writePipe.setPointer(0, PIPE_WRITE);
        return true;
    }

    @Override
    public boolean SetHandleInformation(Pointer handle, int mask, int flags) {
        calls.add("SetHandleInformation(" + handle + ", " + mask + ", " + flags + ")");
        return !fails("SetHandleInformation");
    }

    /** One byte a call, then ERROR_BROKEN_PIPE: the detached side closed its end. */
    @Override
    public boolean ReadFile(Pointer file, byte[] buffer, int toRead, int[] read, Pointer overlapped) {
        if (pipeRead >= pipeContent.length) {
            calls.add("ReadFile(" + file + ") at the end");
            lastError = 109;
            return false;
        }
        buffer[0] = pipeContent[pipeRead++];
        read[0] = 1;
        return true;
    }

    @Override
    public boolean WriteFile(Pointer file, byte[] buffer, int toWrite, int[] written, Pointer overlapped) {
        calls.add("WriteFile(" + file + ", " + toWrite + ")");
        if (fails("WriteFile")) {
            return false;
        }
        written[0] = Math.min(toWrite, writeLimit);
        this.written.write(buffer, 0, written[0]);
        return true;
    }

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
        return Utf16.memory(EnvironmentBlock.of(List.of(entries)));
    }

    /** The entries of a Unicode environment block. */
    private static List<String> environment(Pointer block) {
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
