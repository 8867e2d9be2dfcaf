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
        calls.add("UpdateProcThreadAttribute(0x" + Long.toHexString(attribute) + ", " + value.getPointer(0) + ", "
                + size + ")");
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
        String kind = (creationFlags & Kernel32.CREATE_SUSPENDED) != 0 ? "suspended" : "in job";
        calls.add("CreateProcessW(" + kind + ")");
        this.creationFlags.add(creationFlags);
        startupSizes.add(startupInfo.getInt(0));
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
}
