/*
 * The Win32 probe: the Windows provider's call sequences (spawn, teardown, detach, the watch) and the
 * rules the stand-in for kernel32 (FakeKernel32) encodes, made as real calls, compiled with mingw-w64 and run
 * under Wine by WineProbeTest. No Windows JDK runs here, so the Java provider itself cannot run under Wine:
 * the probe checks the model of Windows that the provider's tests are built on.
 *
 * Usage: win32probe PLAN     runs every scenario and prints "SCENARIO: ANSWER" lines on stdout.
 * PLAN is a UTF-8 file of KEY=VALUE lines that WineProbeTest writes from the provider's own classes: the
 * command lines (CommandLines, BatchCommandLine) and the environment block (EnvironmentBlock) the provider
 * would pass, and the folders the scenarios may use. The other modes are the probe's own children:
 *   child TAG ARGS...          prints "TAG.child: ..." with its arguments as Windows split them, its job,
 *                              its directory and a variable of its environment, then exits 3
 *   sleep                      sleeps until it is ended
 *   inherit A B                prints whether handle values A and B are open in it
 *   holder                     holds a kill-on-close job with a sleeping child, prints the child's pid
 *   detacher PLAN              inside a job without breakaway, starts "report" as --detach starts a tether
 *   report                     writes "0\n" to the handle TETHER_DETACHED_REPORT_FD names, as a detached
 *                              tether reports
 *
 * Every answer is made of values the Windows documentation defines (return values, error codes, counts), so
 * that WineProbeTest can set it beside the documented answer and the stand-in's.
 */
#include <windows.h>
#include <shellapi.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#define CHILD_EXIT_CODE 3
#define KILLED 1
#define MAX_PLAN_LINES 256

static wchar_t self_path[MAX_PATH];
static const char *plan_keys[MAX_PLAN_LINES];
static const wchar_t *plan_values[MAX_PLAN_LINES];
static int plan_size;

/* A line on stdout, flushed at once: children write to the same handle. */
static void say(const char *format, ...) {
    va_list arguments;
    va_start(arguments, format);
    vprintf(format, arguments);
    va_end(arguments);
    printf("\n");
    fflush(stdout);
}

static wchar_t *wide(const char *text) {
    int length = MultiByteToWideChar(CP_UTF8, 0, text, -1, NULL, 0);
    wchar_t *result = calloc((size_t) length, sizeof(wchar_t));
    MultiByteToWideChar(CP_UTF8, 0, text, -1, result, length);
    return result;
}

/* A UTF-16 string as printable ASCII: [ ] and \ escaped, anything else outside 0x20-0x7e as \uXXXX. */
static void escape(const wchar_t *text, char *out, size_t room) {
    size_t at = 0;
    for (; *text && at + 8 < room; text++) {
        if (*text == L'[' || *text == L']' || *text == L'\\') {
            at += (size_t) snprintf(out + at, room - at, "\\%c", (char) *text);
        } else if (*text >= 0x20 && *text < 0x7f) {
            out[at++] = (char) *text;
        } else {
            at += (size_t) snprintf(out + at, room - at, "\\u%04x", (unsigned) *text);
        }
    }
    out[at] = 0;
}

static const wchar_t *plan(const char *key) {
    for (int i = 0; i < plan_size; i++) {
        if (strcmp(plan_keys[i], key) == 0) {
            return plan_values[i];
        }
    }
    say("probe: the plan has no %s", key);
    exit(2);
}

static void read_plan(const char *path) {
    FILE *file = fopen(path, "rb");
    if (file == NULL) {
        say("probe: cannot read the plan %s", path);
        exit(2);
    }
    static char line[65536];
    while (fgets(line, sizeof line, file) != NULL && plan_size < MAX_PLAN_LINES) {
        line[strcspn(line, "\r\n")] = 0;
        char *equals = strchr(line, '=');
        if (equals == NULL) {
            continue;
        }
        *equals = 0;
        plan_keys[plan_size] = strdup(line);
        plan_values[plan_size] = wide(equals + 1);
        plan_size++;
    }
    fclose(file);
}

/* The environment block of every plan line KEY (one entry each), as EnvironmentBlock laid it out. */
static wchar_t *plan_block(const char *key) {
    size_t length = 1;
    for (int i = 0; i < plan_size; i++) {
        if (strcmp(plan_keys[i], key) == 0) {
            length += wcslen(plan_values[i]) + 1;
        }
    }
    wchar_t *block = calloc(length + 1, sizeof(wchar_t));
    wchar_t *at = block;
    for (int i = 0; i < plan_size; i++) {
        if (strcmp(plan_keys[i], key) == 0) {
            wcscpy(at, plan_values[i]);
            at += wcslen(plan_values[i]) + 1;
        }
    }
    return block;
}

static wchar_t *copy(const wchar_t *text) {
    wchar_t *result = calloc(wcslen(text) + 1, sizeof(wchar_t));
    wcscpy(result, text);
    return result;
}

/* The probe started in one of its own modes, its command line made of plain words only. */
static wchar_t *self_command(const wchar_t *words) {
    size_t length = wcslen(self_path) + wcslen(words) + 4;
    wchar_t *line = calloc(length, sizeof(wchar_t));
    swprintf(line, length, L"\"%ls\" %ls", self_path, words);
    return line;
}

/* An attribute list holding the given attributes, each an array of handles; NULL on failure. */
typedef struct {
    DWORD_PTR id;
    HANDLE *handles;
    SIZE_T count;
} Attribute;

static LPPROC_THREAD_ATTRIBUTE_LIST attribute_list(const Attribute *attributes, DWORD count, DWORD *error) {
    SIZE_T size = 0;
    InitializeProcThreadAttributeList(NULL, count, 0, &size);
    LPPROC_THREAD_ATTRIBUTE_LIST list = malloc(size);
    if (!InitializeProcThreadAttributeList(list, count, 0, &size)) {
        *error = GetLastError();
        return NULL;
    }
    for (DWORD i = 0; i < count; i++) {
        if (!UpdateProcThreadAttribute(list, 0, attributes[i].id, attributes[i].handles,
                attributes[i].count * sizeof(HANDLE), NULL, NULL)) {
            *error = GetLastError();
            DeleteProcThreadAttributeList(list);
            return NULL;
        }
    }
    return list;
}

static STARTUPINFOEXW startup_info(HANDLE in, HANDLE out, HANDLE err, LPPROC_THREAD_ATTRIBUTE_LIST list) {
    STARTUPINFOEXW startup;
    ZeroMemory(&startup, sizeof startup);
    startup.StartupInfo.cb = sizeof startup;
    startup.StartupInfo.dwFlags = STARTF_USESTDHANDLES;
    startup.StartupInfo.hStdInput = in;
    startup.StartupInfo.hStdOutput = out;
    startup.StartupInfo.hStdError = err;
    startup.lpAttributeList = list;
    return startup;
}

static HANDLE inheritable_copy(HANDLE handle) {
    HANDLE copy = NULL;
    if (!DuplicateHandle(GetCurrentProcess(), handle, GetCurrentProcess(), &copy, 0, TRUE, DUPLICATE_SAME_ACCESS)) {
        return NULL;
    }
    return copy;
}

static HANDLE kill_on_close_job(void) {
    HANDLE job = CreateJobObjectW(NULL, NULL);
    JOBOBJECT_EXTENDED_LIMIT_INFORMATION limits;
    ZeroMemory(&limits, sizeof limits);
    limits.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE;
    SetInformationJobObject(job, JobObjectExtendedLimitInformation, &limits, sizeof limits);
    return job;
}

/* Waits for a started process to end (at most WAIT_MS), closes its handles, and returns its exit code. */
#define WAIT_MS 20000
static DWORD reap(PROCESS_INFORMATION *info) {
    DWORD exit_code = 0;
    WaitForSingleObject(info->hProcess, WAIT_MS);
    GetExitCodeProcess(info->hProcess, &exit_code);
    CloseHandle(info->hProcess);
    CloseHandle(info->hThread);
    return exit_code;
}

/* Ends a process the probe started only to see that it could be started. */
static void end(PROCESS_INFORMATION *info) {
    TerminateProcess(info->hProcess, KILLED);
    reap(info);
}

/* A sleeping copy of the probe in JOB, started as the provider starts COMMAND; its pid, or 0. */
static DWORD sleeper_in(HANDLE job, PROCESS_INFORMATION *info) {
    HANDLE jobs[1] = {job};
    Attribute attributes[1] = {{PROC_THREAD_ATTRIBUTE_JOB_LIST, jobs, 1}};
    DWORD error = 0;
    LPPROC_THREAD_ATTRIBUTE_LIST list = attribute_list(attributes, 1, &error);
    STARTUPINFOEXW startup = startup_info(NULL, NULL, NULL, list);
    startup.StartupInfo.dwFlags = 0;
    wchar_t *line = self_command(L"sleep");
    BOOL created = CreateProcessW(self_path, line, NULL, NULL, FALSE,
            CREATE_NEW_PROCESS_GROUP | EXTENDED_STARTUPINFO_PRESENT, NULL, NULL, &startup.StartupInfo, info);
    DeleteProcThreadAttributeList(list);
    return created ? info->dwProcessId : 0;
}

/* ---- the probe's own children ---- */

static int child(int argc, wchar_t **argv) {
    static char out[65536];
    static char word[8192];
    size_t at = 0;
    int count = 0;
    wchar_t **words = CommandLineToArgvW(GetCommandLineW(), &count);
    for (int i = 3; i < count && at + sizeof word < sizeof out; i++) {
        escape(words[i], word, sizeof word);
        at += (size_t) snprintf(out + at, sizeof out - at, "[%s]", word);
    }
    out[at] = 0;
    BOOL in_job = FALSE;
    IsProcessInJob(GetCurrentProcess(), NULL, &in_job);
    wchar_t directory[MAX_PATH];
    GetCurrentDirectoryW(MAX_PATH, directory);
    char escaped_directory[MAX_PATH * 8];
    escape(directory, escaped_directory, sizeof escaped_directory);
    wchar_t value[64] = L"";
    DWORD found = GetEnvironmentVariableW(L"TETHER_PROBE", value, 64);
    char tag[64];
    WideCharToMultiByte(CP_UTF8, 0, argc > 2 ? argv[2] : L"?", -1, tag, sizeof tag, NULL, NULL);
    static char line[65536];
    escape(GetCommandLineW(), line, sizeof line);
    say("%s.child: argv=%s job=%d cwd=%s variable=%s stdout=%s", tag, out, in_job, escaped_directory,
            found ? "found" : "missing",
            GetFileType(GetStdHandle(STD_OUTPUT_HANDLE)) == FILE_TYPE_UNKNOWN ? "closed" : "open");
    say("%s.line: %s", tag, line);
    return CHILD_EXIT_CODE;
}

static int inherit(wchar_t **argv) {
    DWORD flags;
    HANDLE listed = (HANDLE) (ULONG_PTR) wcstoull(argv[2], NULL, 10);
    HANDLE stray = (HANDLE) (ULONG_PTR) wcstoull(argv[3], NULL, 10);
    say("inherit.child: listed=%s stray=%s", GetHandleInformation(listed, &flags) ? "open" : "closed",
            GetHandleInformation(stray, &flags) ? "open" : "closed");
    return 0;
}

static int holder(void) {
    HANDLE job = kill_on_close_job();
    PROCESS_INFORMATION info;
    DWORD pid = sleeper_in(job, &info);
    say("%lu", pid);
    Sleep(INFINITE);
    return 0;
}

static int report(void) {
    wchar_t value[32];
    if (!GetEnvironmentVariableW(L"TETHER_DETACHED_REPORT_FD", value, 32)) {
        return 2;
    }
    HANDLE channel = (HANDLE) (ULONG_PTR) wcstoull(value, NULL, 10);
    DWORD written;
    return WriteFile(channel, "0\n", 2, &written, NULL) ? 0 : 1;
}

/*
 * DetachedStart's sequence, from inside a job that allows no breakaway (as a CI step's job may): NUL, the
 * log and the report pipe, inheritable; a handle list of exactly those; CREATE_BREAKAWAY_FROM_JOB refused
 * with ERROR_ACCESS_DENIED, then created in the job; the report line read from the pipe.
 */
static int detacher(void) {
    SECURITY_ATTRIBUTES inheritable = {sizeof inheritable, NULL, TRUE};
    HANDLE nul = CreateFileW(L"NUL", GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, &inheritable,
            OPEN_EXISTING, 0, NULL);
    HANDLE log = CreateFileW(plan("detach.log"), FILE_APPEND_DATA, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
            &inheritable, OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    DWORD log_error = GetLastError();
    HANDLE read_end, write_end;
    CreatePipe(&read_end, &write_end, &inheritable, 0);
    HANDLE handles[3] = {nul, log, write_end};
    Attribute attributes[1] = {{PROC_THREAD_ATTRIBUTE_HANDLE_LIST, handles, 3}};
    DWORD error = 0;
    LPPROC_THREAD_ATTRIBUTE_LIST list = attribute_list(attributes, 1, &error);
    STARTUPINFOEXW startup = startup_info(nul, log, log, list);
    wchar_t environment[64];
    swprintf(environment, 64, L"TETHER_DETACHED_REPORT_FD=%llu%lc%lc", (unsigned long long) (ULONG_PTR) write_end,
            L'\0', L'\0');
    DWORD flags = CREATE_NO_WINDOW | CREATE_NEW_PROCESS_GROUP | CREATE_UNICODE_ENVIRONMENT | EXTENDED_STARTUPINFO_PRESENT;
    PROCESS_INFORMATION info;
    wchar_t *line = self_command(L"report");
    BOOL broke_away = CreateProcessW(self_path, line, NULL, NULL, TRUE, flags | CREATE_BREAKAWAY_FROM_JOB, environment,
            NULL, &startup.StartupInfo, &info);
    DWORD breakaway_error = broke_away ? 0 : GetLastError();
    BOOL created = broke_away || CreateProcessW(self_path, line, NULL, NULL, TRUE, flags, environment, NULL,
            &startup.StartupInfo, &info);
    DeleteProcThreadAttributeList(list);
    CloseHandle(write_end);
    char received[16] = "";
    DWORD read = 0;
    if (created) {
        CloseHandle(info.hThread);
        CloseHandle(info.hProcess);
        ReadFile(read_end, received, sizeof received - 1, &read, NULL);
        received[read] = 0;
        received[strcspn(received, "\n")] = 0;
    }
    say("detach: log_error=%lu breakaway=%d breakaway_error=%lu created=%d report=%s", log_error, broke_away,
            breakaway_error, created, received);
    return 0;
}

/* ---- scenarios ---- */

/* Every constant and layout the provider's Kernel32 uses, as these headers define them. */
static void headers(void) {
    say("headers: CREATE_SUSPENDED=%d CREATE_NEW_PROCESS_GROUP=%d CREATE_UNICODE_ENVIRONMENT=%d"
        " EXTENDED_STARTUPINFO_PRESENT=%d STARTF_USESTDHANDLES=%d CREATE_NO_WINDOW=%d CREATE_BREAKAWAY_FROM_JOB=%d"
        " PROC_THREAD_ATTRIBUTE_HANDLE_LIST=%lld PROC_THREAD_ATTRIBUTE_JOB_LIST=%lld HANDLE_FLAG_INHERIT=%d"
        " DUPLICATE_SAME_ACCESS=%d STD_INPUT_HANDLE=%d STD_OUTPUT_HANDLE=%d STD_ERROR_HANDLE=%d"
        " CTRL_C_EVENT=%d CTRL_BREAK_EVENT=%d CTRL_CLOSE_EVENT=%d CTRL_LOGOFF_EVENT=%d CTRL_SHUTDOWN_EVENT=%d"
        " GENERIC_READ=%u GENERIC_WRITE=%u FILE_APPEND_DATA=%d FILE_READ_ATTRIBUTES=%d FILE_SHARE_READ=%d"
        " FILE_SHARE_WRITE=%d FILE_SHARE_DELETE=%d OPEN_EXISTING=%d OPEN_ALWAYS=%d FILE_ATTRIBUTE_DIRECTORY=%d"
        " FILE_ATTRIBUTE_NORMAL=%d INVALID_FILE_ATTRIBUTES=%u FILE_FLAG_BACKUP_SEMANTICS=%d"
        " FILE_FLAG_OPEN_REPARSE_POINT=%d JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE=%d JobObjectBasicProcessIdList=%d"
        " JobObjectExtendedLimitInformation=%d FileIdInfo=%d MAX_PATH=%d",
        CREATE_SUSPENDED, CREATE_NEW_PROCESS_GROUP, CREATE_UNICODE_ENVIRONMENT, EXTENDED_STARTUPINFO_PRESENT,
        STARTF_USESTDHANDLES, CREATE_NO_WINDOW, CREATE_BREAKAWAY_FROM_JOB,
        (long long) PROC_THREAD_ATTRIBUTE_HANDLE_LIST, (long long) PROC_THREAD_ATTRIBUTE_JOB_LIST, HANDLE_FLAG_INHERIT,
        DUPLICATE_SAME_ACCESS, (int) STD_INPUT_HANDLE, (int) STD_OUTPUT_HANDLE, (int) STD_ERROR_HANDLE,
        CTRL_C_EVENT, CTRL_BREAK_EVENT, CTRL_CLOSE_EVENT, CTRL_LOGOFF_EVENT, CTRL_SHUTDOWN_EVENT,
        (unsigned) GENERIC_READ, (unsigned) GENERIC_WRITE, FILE_APPEND_DATA, FILE_READ_ATTRIBUTES, FILE_SHARE_READ,
        FILE_SHARE_WRITE, FILE_SHARE_DELETE, OPEN_EXISTING, OPEN_ALWAYS, FILE_ATTRIBUTE_DIRECTORY,
        FILE_ATTRIBUTE_NORMAL, (unsigned) INVALID_FILE_ATTRIBUTES, FILE_FLAG_BACKUP_SEMANTICS,
        FILE_FLAG_OPEN_REPARSE_POINT, JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE, JobObjectBasicProcessIdList,
        JobObjectExtendedLimitInformation, FileIdInfo, MAX_PATH);
    say("layouts: STARTUPINFOW=%zu STARTUPINFOW.dwFlags=%zu STARTUPINFOW.hStdInput=%zu STARTUPINFOW.hStdOutput=%zu"
        " STARTUPINFOW.hStdError=%zu STARTUPINFOEXW=%zu STARTUPINFOEXW.lpAttributeList=%zu PROCESS_INFORMATION=%zu"
        " PROCESS_INFORMATION.hThread=%zu PROCESS_INFORMATION.dwProcessId=%zu JOBOBJECT_EXTENDED_LIMIT_INFORMATION=%zu"
        " JOBOBJECT_BASIC_LIMIT_INFORMATION=%zu IO_COUNTERS=%zu LimitFlags=%zu BY_HANDLE_FILE_INFORMATION=%zu"
        " dwVolumeSerialNumber=%zu nFileIndexHigh=%zu nFileIndexLow=%zu FILE_ID_INFO=%zu FILE_ID_INFO.FileId=%zu"
        " SECURITY_ATTRIBUTES=%zu bInheritHandle=%zu NumberOfProcessIdsInList=%zu ProcessIdList=%zu HANDLE=%zu",
        sizeof(STARTUPINFOW), offsetof(STARTUPINFOW, dwFlags), offsetof(STARTUPINFOW, hStdInput),
        offsetof(STARTUPINFOW, hStdOutput), offsetof(STARTUPINFOW, hStdError), sizeof(STARTUPINFOEXW),
        offsetof(STARTUPINFOEXW, lpAttributeList), sizeof(PROCESS_INFORMATION), offsetof(PROCESS_INFORMATION, hThread),
        offsetof(PROCESS_INFORMATION, dwProcessId), sizeof(JOBOBJECT_EXTENDED_LIMIT_INFORMATION),
        sizeof(JOBOBJECT_BASIC_LIMIT_INFORMATION), sizeof(IO_COUNTERS),
        offsetof(JOBOBJECT_EXTENDED_LIMIT_INFORMATION, BasicLimitInformation.LimitFlags),
        sizeof(BY_HANDLE_FILE_INFORMATION), offsetof(BY_HANDLE_FILE_INFORMATION, dwVolumeSerialNumber),
        offsetof(BY_HANDLE_FILE_INFORMATION, nFileIndexHigh), offsetof(BY_HANDLE_FILE_INFORMATION, nFileIndexLow),
        sizeof(FILE_ID_INFO), offsetof(FILE_ID_INFO, FileId), sizeof(SECURITY_ATTRIBUTES),
        offsetof(SECURITY_ATTRIBUTES, bInheritHandle), offsetof(JOBOBJECT_BASIC_PROCESS_ID_LIST, NumberOfProcessIdsInList),
        offsetof(JOBOBJECT_BASIC_PROCESS_ID_LIST, ProcessIdList), sizeof(HANDLE));
    say("errors: ERROR_FILE_NOT_FOUND=%d ERROR_PATH_NOT_FOUND=%d ERROR_ACCESS_DENIED=%d ERROR_INVALID_HANDLE=%d"
        " ERROR_NOT_SUPPORTED=%d ERROR_INVALID_PARAMETER=%d ERROR_INSUFFICIENT_BUFFER=%d ERROR_ALREADY_EXISTS=%d"
        " ERROR_BAD_EXE_FORMAT=%d ERROR_MORE_DATA=%d ERROR_DIRECTORY=%d SIGINT=%d SIGTERM=%d SIGBREAK=%d",
        ERROR_FILE_NOT_FOUND, ERROR_PATH_NOT_FOUND, ERROR_ACCESS_DENIED, ERROR_INVALID_HANDLE, ERROR_NOT_SUPPORTED,
        ERROR_INVALID_PARAMETER, ERROR_INSUFFICIENT_BUFFER, ERROR_ALREADY_EXISTS, ERROR_BAD_EXE_FORMAT,
        ERROR_MORE_DATA, ERROR_DIRECTORY, SIGINT, SIGTERM, SIGBREAK);
}

/* A failure sets the thread's last error; a success after it leaves it as it was. */
static void last_error(void) {
    BOOL closed = CloseHandle((HANDLE) (ULONG_PTR) 0x7ff0);
    DWORD failed = GetLastError();
    HANDLE job = CreateJobObjectW(NULL, NULL);
    BOOL closed_job = CloseHandle(job);
    say("last_error: closed=%d error=%lu then_closed=%d error=%lu", closed, failed, closed_job, GetLastError());
}

static void wait_null(void) {
    DWORD result = WaitForSingleObject(NULL, 0);
    say("wait_null: result=%ld error=%lu", (long) result, GetLastError());
}

/* OPEN_ALWAYS succeeds either way, and says in the last error which way it went. */
static void open_always(void) {
    wchar_t path[MAX_PATH];
    swprintf(path, MAX_PATH, L"%ls\\open-always.log", plan("folder"));
    DeleteFileW(path);
    DWORD share = FILE_SHARE_READ | FILE_SHARE_WRITE;
    HANDLE created = CreateFileW(path, FILE_APPEND_DATA, share, NULL, OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    DWORD created_error = GetLastError();
    HANDLE opened = CreateFileW(path, FILE_APPEND_DATA, share, NULL, OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    DWORD opened_error = GetLastError();
    say("open_always: created=%d error=%lu opened=%d error=%lu", created != INVALID_HANDLE_VALUE, created_error,
            opened != INVALID_HANDLE_VALUE, opened_error);
    CloseHandle(created);
    CloseHandle(opened);
    DeleteFileW(path);
}

/* The id list of a job with three processes, with room for one. */
static void more_data(void) {
    HANDLE job = kill_on_close_job();
    PROCESS_INFORMATION infos[3];
    for (int i = 0; i < 3; i++) {
        sleeper_in(job, &infos[i]);
    }
    union {
        JOBOBJECT_BASIC_PROCESS_ID_LIST list;
        char room[sizeof(JOBOBJECT_BASIC_PROCESS_ID_LIST)];
    } one;
    ZeroMemory(&one, sizeof one);
    BOOL listed = QueryInformationJobObject(job, JobObjectBasicProcessIdList, &one, sizeof one, NULL);
    DWORD error = GetLastError();
    say("more_data: result=%d error=%lu assigned=%lu listed=%lu", listed, listed ? 0 : error,
            one.list.NumberOfAssignedProcesses, one.list.NumberOfProcessIdsInList);
    TerminateJobObject(job, KILLED);
    for (int i = 0; i < 3; i++) {
        reap(&infos[i]);
    }
    CloseHandle(job);
}

/* GenerateConsoleCtrlEvent reaches processes that share the caller's console; the probe has none here. */
static void ctrl_event(void) {
    BOOL sent = GenerateConsoleCtrlEvent(CTRL_BREAK_EVENT, GetCurrentProcessId());
    say("ctrl_event: result=%d error=%lu", sent, sent ? 0 : GetLastError());
}

static BOOL WINAPI ignore_event(DWORD type) {
    (void) type;
    return TRUE;
}

/*
 * tether registers its console handler before it starts COMMAND, also where it has no console (started
 * detached, or by a service): the handler list is the process's own.
 */
static void console_handler(void) {
    BOOL added = SetConsoleCtrlHandler(ignore_event, TRUE);
    BOOL removed = SetConsoleCtrlHandler(ignore_event, FALSE);
    say("console_handler: added=%d removed=%d", added, removed);
}

/* CreateProcessW's own search: ".exe" only, and the caller's directories first. */
static void search(void) {
    wchar_t path[4096];
    GetEnvironmentVariableW(L"PATH", path, 4096);
    wchar_t with_folder[8192];
    swprintf(with_folder, 8192, L"%ls;%ls", plan("search.folder"), path);
    SetEnvironmentVariableW(L"PATH", with_folder);
    STARTUPINFOW startup;
    ZeroMemory(&startup, sizeof startup);
    startup.cb = sizeof startup;
    PROCESS_INFORMATION info;
    wchar_t *batch = copy(L"tool run");
    BOOL batch_found = CreateProcessW(NULL, batch, NULL, NULL, FALSE, CREATE_NEW_PROCESS_GROUP, NULL, NULL, &startup, &info);
    DWORD batch_error = batch_found ? 0 : GetLastError();
    if (batch_found) {
        reap(&info);
    }
    SetEnvironmentVariableW(L"PATH", path);
    /* The probe's own folder is searched before the current one and PATH: the image's bin, for tether. */
    wchar_t *own = copy(L"win32probe child search");
    BOOL own_found = CreateProcessW(NULL, own, NULL, NULL, TRUE, CREATE_NEW_PROCESS_GROUP, NULL,
            plan("folder"), &startup, &info);
    DWORD own_error = own_found ? 0 : GetLastError();
    if (own_found) {
        reap(&info);
    }
    say("search: batch_on_path=%d error=%lu own_folder=%d error=%lu", batch_found, batch_error, own_found, own_error);
}

/* A relative lpApplicationName is the caller's current directory's, whatever lpCurrentDirectory says. */
static void relative_application(void) {
    wchar_t previous[MAX_PATH];
    GetCurrentDirectoryW(MAX_PATH, previous);
    wchar_t folder[MAX_PATH];
    wcscpy(folder, self_path);
    *wcsrchr(folder, L'\\') = 0;
    STARTUPINFOW startup;
    ZeroMemory(&startup, sizeof startup);
    startup.cb = sizeof startup;
    PROCESS_INFORMATION info;
    SetCurrentDirectoryW(folder);
    wchar_t *line = copy(L"win32probe sleep");
    BOOL from_own = CreateProcessW(L"win32probe.exe", line, NULL, NULL, FALSE, CREATE_SUSPENDED, NULL, plan("folder"),
            &startup, &info);
    if (from_own) {
        end(&info);
    }
    SetCurrentDirectoryW(plan("folder"));
    BOOL from_given = CreateProcessW(L"win32probe.exe", line, NULL, NULL, FALSE, CREATE_SUSPENDED, NULL, folder,
            &startup, &info);
    DWORD error = from_given ? 0 : GetLastError();
    if (from_given) {
        end(&info);
    }
    SetCurrentDirectoryW(previous);
    say("relative_application: from_callers_directory=%d from_lpCurrentDirectory=%d error=%lu", from_own, from_given,
            error);
}

/* "To run a batch file, you must start the command interpreter": what CreateProcessW does when handed one. */
static void batch_as_application(void) {
    STARTUPINFOW startup;
    ZeroMemory(&startup, sizeof startup);
    startup.cb = sizeof startup;
    PROCESS_INFORMATION info;
    wchar_t *line = copy(L"tool.cmd");
    BOOL created = CreateProcessW(plan("search.batch"), line, NULL, NULL, FALSE, CREATE_NEW_PROCESS_GROUP, NULL, NULL,
            &startup, &info);
    DWORD error = created ? 0 : GetLastError();
    if (created) {
        reap(&info);
    }
    say("batch_as_application: created=%d error=%lu", created, error);
}

/* The handle list: its handles must be inheritable, and the child inherits those and no others. */
static void handle_list(void) {
    SECURITY_ATTRIBUTES inheritable = {sizeof inheritable, NULL, TRUE};
    /* Handle values the child's own handles are unlikely to take, so an open stray value means inherited. */
    HANDLE filler[32];
    for (int i = 0; i < 32; i++) {
        filler[i] = CreateEventW(NULL, TRUE, FALSE, NULL);
    }
    HANDLE listed = CreateEventW(&inheritable, TRUE, FALSE, NULL);
    HANDLE stray = CreateEventW(&inheritable, TRUE, FALSE, NULL);
    for (int i = 0; i < 32; i++) {
        CloseHandle(filler[i]);
    }
    HANDLE private = CreateEventW(NULL, TRUE, FALSE, NULL);
    PROCESS_INFORMATION info;
    HANDLE out = inheritable_copy(GetStdHandle(STD_OUTPUT_HANDLE));

    HANDLE refused[2] = {out, private};
    Attribute refused_attribute[1] = {{PROC_THREAD_ATTRIBUTE_HANDLE_LIST, refused, 2}};
    DWORD error = 0;
    LPPROC_THREAD_ATTRIBUTE_LIST list = attribute_list(refused_attribute, 1, &error);
    STARTUPINFOEXW startup = startup_info(out, out, out, list);
    wchar_t *line = self_command(L"sleep");
    BOOL not_inheritable = CreateProcessW(self_path, line, NULL, NULL, TRUE,
            EXTENDED_STARTUPINFO_PRESENT | CREATE_SUSPENDED, NULL, NULL, &startup.StartupInfo, &info);
    DWORD not_inheritable_error = not_inheritable ? 0 : GetLastError();
    if (not_inheritable) {
        end(&info);
    }
    DeleteProcThreadAttributeList(list);

    HANDLE handles[2] = {out, listed};
    Attribute attribute[1] = {{PROC_THREAD_ATTRIBUTE_HANDLE_LIST, handles, 2}};
    list = attribute_list(attribute, 1, &error);
    startup = startup_info(out, out, out, list);
    wchar_t words[128];
    swprintf(words, 128, L"inherit %llu %llu", (unsigned long long) (ULONG_PTR) listed,
            (unsigned long long) (ULONG_PTR) stray);
    line = self_command(words);
    BOOL created = CreateProcessW(self_path, line, NULL, NULL, TRUE, EXTENDED_STARTUPINFO_PRESENT, NULL, NULL,
            &startup.StartupInfo, &info);
    if (created) {
        reap(&info);
    }
    DeleteProcThreadAttributeList(list);
    say("handle_list: not_inheritable_listed=%d error=%lu created=%d", not_inheritable, not_inheritable_error, created);
    CloseHandle(listed);
    CloseHandle(stray);
    CloseHandle(private);
    CloseHandle(out);
}

/*
 * JobSpawner's sequence with the command line and environment block the provider made (the plan): a job
 * that kills on close, inheritable copies of the standard handles, a job list and a handle list, the program
 * by full path, in a new process group, in COMMAND's directory.
 */
static void spawn(void) {
    HANDLE job = CreateJobObjectW(NULL, NULL);
    JOBOBJECT_EXTENDED_LIMIT_INFORMATION limits;
    ZeroMemory(&limits, sizeof limits);
    limits.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE;
    BOOL limited = SetInformationJobObject(job, JobObjectExtendedLimitInformation, &limits, sizeof limits);
    HANDLE std[3] = {inheritable_copy(GetStdHandle(STD_INPUT_HANDLE)), inheritable_copy(GetStdHandle(STD_OUTPUT_HANDLE)),
            inheritable_copy(GetStdHandle(STD_ERROR_HANDLE))};
    HANDLE std_listed[3];
    SIZE_T std_count = 0;
    for (int i = 0; i < 3; i++) {
        if (std[i] != NULL) {
            std_listed[std_count++] = std[i];
        }
    }
    HANDLE jobs[1] = {job};
    Attribute attributes[2] = {{PROC_THREAD_ATTRIBUTE_JOB_LIST, jobs, 1}, {PROC_THREAD_ATTRIBUTE_HANDLE_LIST, std_listed,
            std_count}};
    DWORD error = 0;
    LPPROC_THREAD_ATTRIBUTE_LIST list = attribute_list(attributes, 2, &error);
    STARTUPINFOEXW startup = startup_info(std[0], std[1], std[2], list);
    wchar_t *line = copy(plan("spawn.commandline"));
    wchar_t *environment = plan_block("spawn.environment");
    PROCESS_INFORMATION info;
    BOOL created = CreateProcessW(plan("spawn.application"), line, NULL, NULL, TRUE,
            CREATE_NEW_PROCESS_GROUP | CREATE_UNICODE_ENVIRONMENT | EXTENDED_STARTUPINFO_PRESENT, environment,
            plan("spawn.directory"), &startup.StartupInfo, &info);
    DWORD create_error = created ? 0 : GetLastError();
    DeleteProcThreadAttributeList(list);
    DWORD exit_code = created ? reap(&info) : 0;
    for (int i = 0; i < 3; i++) {
        CloseHandle(std[i]);
    }
    CloseHandle(job);
    say("spawn: kill_on_close=%d attributes=%d created=%d error=%lu exit_code=%lu", limited, list != NULL, created,
            create_error, exit_code);
}

/*
 * A batch file through cmd.exe, with the command line BatchCommandLine made (plan line KEY.commandline);
 * the batch file hands its arguments to the child with %*, and the child prints the line it got.
 */
static void batch(const char *key) {
    wchar_t interpreter[MAX_PATH];
    GetSystemDirectoryW(interpreter, MAX_PATH);
    wcscat(interpreter, L"\\cmd.exe");
    HANDLE out = inheritable_copy(GetStdHandle(STD_OUTPUT_HANDLE));
    HANDLE handles[1] = {out};
    Attribute attribute[1] = {{PROC_THREAD_ATTRIBUTE_HANDLE_LIST, handles, 1}};
    DWORD error = 0;
    LPPROC_THREAD_ATTRIBUTE_LIST list = attribute_list(attribute, 1, &error);
    STARTUPINFOEXW startup = startup_info(out, out, out, list);
    char plan_key[64];
    snprintf(plan_key, sizeof plan_key, "%s.commandline", key);
    wchar_t *line = copy(plan(plan_key));
    PROCESS_INFORMATION info;
    BOOL created = CreateProcessW(interpreter, line, NULL, NULL, TRUE,
            CREATE_NEW_PROCESS_GROUP | EXTENDED_STARTUPINFO_PRESENT, NULL, plan("folder"), &startup.StartupInfo, &info);
    DWORD create_error = created ? 0 : GetLastError();
    DWORD exit_code = created ? reap(&info) : 0;
    DeleteProcThreadAttributeList(list);
    CloseHandle(out);
    say("%s: created=%d error=%lu exit_code=%lu", key, created, create_error, exit_code);
}

/*
 * The teardown's calls on a job of two processes: listed, Ctrl-Break to the group (no console here), the
 * job terminated, the members' exit code TerminateJobObject's, the job empty after.
 */
static void teardown(void) {
    HANDLE job = kill_on_close_job();
    PROCESS_INFORMATION infos[2];
    for (int i = 0; i < 2; i++) {
        sleeper_in(job, &infos[i]);
    }
    struct {
        JOBOBJECT_BASIC_PROCESS_ID_LIST list;
        ULONG_PTR more[63];
    } ids;
    ZeroMemory(&ids, sizeof ids);
    QueryInformationJobObject(job, JobObjectBasicProcessIdList, &ids, sizeof ids, NULL);
    DWORD before = ids.list.NumberOfProcessIdsInList;
    BOOL broke = GenerateConsoleCtrlEvent(CTRL_BREAK_EVENT, infos[0].dwProcessId);
    DWORD break_error = broke ? 0 : GetLastError();
    BOOL terminated = TerminateJobObject(job, KILLED);
    DWORD exit_code = 0;
    for (int i = 0; i < 2; i++) {
        exit_code = reap(&infos[i]);
    }
    ZeroMemory(&ids, sizeof ids);
    QueryInformationJobObject(job, JobObjectBasicProcessIdList, &ids, sizeof ids, NULL);
    say("teardown: listed=%lu break=%d error=%lu terminated=%d exit_code=%lu listed_after=%lu", before, broke,
            break_error, terminated, exit_code, ids.list.NumberOfProcessIdsInList);
    CloseHandle(job);
}

/* tether killed with TerminateProcess: its job's last handle closes, and the job's processes end. */
static void kill_on_close(void) {
    SECURITY_ATTRIBUTES inheritable = {sizeof inheritable, NULL, TRUE};
    HANDLE read_end, write_end;
    CreatePipe(&read_end, &write_end, &inheritable, 0);
    HANDLE handles[1] = {write_end};
    Attribute attribute[1] = {{PROC_THREAD_ATTRIBUTE_HANDLE_LIST, handles, 1}};
    DWORD error = 0;
    LPPROC_THREAD_ATTRIBUTE_LIST list = attribute_list(attribute, 1, &error);
    STARTUPINFOEXW startup = startup_info(NULL, write_end, NULL, list);
    PROCESS_INFORMATION info;
    wchar_t *line = self_command(L"holder");
    BOOL created = CreateProcessW(self_path, line, NULL, NULL, TRUE, EXTENDED_STARTUPINFO_PRESENT | CREATE_NEW_PROCESS_GROUP,
            NULL, NULL, &startup.StartupInfo, &info);
    DeleteProcThreadAttributeList(list);
    CloseHandle(write_end);
    char pid_text[32] = "";
    DWORD read = 0;
    ReadFile(read_end, pid_text, sizeof pid_text - 1, &read, NULL);
    pid_text[read] = 0;
    DWORD grandchild = (DWORD) strtoul(pid_text, NULL, 10);
    HANDLE sleeping = OpenProcess(SYNCHRONIZE, FALSE, grandchild);
    end(&info);
    DWORD ended = sleeping == NULL ? WAIT_FAILED : WaitForSingleObject(sleeping, WAIT_MS);
    say("kill_on_close: holder=%d grandchild_ended=%d", created, ended == WAIT_OBJECT_0);
    CloseHandle(sleeping);
    CloseHandle(read_end);
}

/* tether inside a job (a CI step's): COMMAND's job nests in it (Windows 8 and later). */
static void nested(void) {
    HANDLE outer = kill_on_close_job();
    PROCESS_INFORMATION info;
    sleeper_in(outer, &info);
    HANDLE inner = kill_on_close_job();
    BOOL assigned = AssignProcessToJobObject(inner, info.hProcess);
    BOOL in_inner = FALSE;
    IsProcessInJob(info.hProcess, inner, &in_inner);
    TerminateJobObject(outer, KILLED);
    reap(&info);
    CloseHandle(inner);
    CloseHandle(outer);
    say("nested: assigned=%d in_inner=%d", assigned, in_inner);
}

/* --detach's sequence, run by a copy of the probe inside a job that allows no breakaway. */
static void detach(const char *plan_path) {
    HANDLE job = CreateJobObjectW(NULL, NULL);
    HANDLE jobs[1] = {job};
    HANDLE out = inheritable_copy(GetStdHandle(STD_OUTPUT_HANDLE));
    HANDLE handles[1] = {out};
    Attribute attributes[2] = {{PROC_THREAD_ATTRIBUTE_JOB_LIST, jobs, 1}, {PROC_THREAD_ATTRIBUTE_HANDLE_LIST, handles, 1}};
    DWORD error = 0;
    LPPROC_THREAD_ATTRIBUTE_LIST list = attribute_list(attributes, 2, &error);
    STARTUPINFOEXW startup = startup_info(NULL, out, out, list);
    wchar_t words[MAX_PATH * 2];
    swprintf(words, MAX_PATH * 2, L"detacher \"%hs\"", plan_path);
    wchar_t *line = self_command(words);
    PROCESS_INFORMATION info;
    BOOL created = CreateProcessW(self_path, line, NULL, NULL, TRUE, EXTENDED_STARTUPINFO_PRESENT, NULL, NULL,
            &startup.StartupInfo, &info);
    if (created) {
        reap(&info);
    } else {
        say("detach: detacher=0 error=%lu", GetLastError());
    }
    DeleteProcThreadAttributeList(list);
    CloseHandle(out);
    TerminateJobObject(job, KILLED);
    CloseHandle(job);
}

/*
 * The watch's calls: the path opened sharing read, write and delete, without following a link, with backup
 * semantics (a directory opens only so), FILE_ID_INFO asked for; then the path removed, then its parent.
 */
static void watch(void) {
    wchar_t parent[MAX_PATH], path[MAX_PATH];
    swprintf(parent, MAX_PATH, L"%ls\\watched-parent", plan("folder"));
    swprintf(path, MAX_PATH, L"%ls\\worktree", parent);
    CreateDirectoryW(parent, NULL);
    CreateDirectoryW(path, NULL);
    DWORD share = FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE;
    DWORD flags = FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_OPEN_REPARSE_POINT;
    HANDLE plain = CreateFileW(path, FILE_READ_ATTRIBUTES, share, NULL, OPEN_EXISTING, 0, NULL);
    DWORD plain_error = plain == INVALID_HANDLE_VALUE ? GetLastError() : 0;
    if (plain != INVALID_HANDLE_VALUE) {
        CloseHandle(plain);
    }
    HANDLE file = CreateFileW(path, FILE_READ_ATTRIBUTES, share, NULL, OPEN_EXISTING, flags, NULL);
    FILE_ID_INFO id;
    ZeroMemory(&id, sizeof id);
    BOOL has_id = file != INVALID_HANDLE_VALUE && GetFileInformationByHandleEx(file, FileIdInfo, &id, sizeof id);
    BOOL nonzero = FALSE;
    for (size_t i = 0; i < sizeof id.FileId.Identifier; i++) {
        nonzero |= id.FileId.Identifier[i] != 0;
    }
    BY_HANDLE_FILE_INFORMATION basic;
    BOOL has_index = file != INVALID_HANDLE_VALUE && GetFileInformationByHandle(file, &basic);
    CloseHandle(file);
    RemoveDirectoryW(path);
    HANDLE removed = CreateFileW(path, FILE_READ_ATTRIBUTES, share, NULL, OPEN_EXISTING, flags, NULL);
    DWORD removed_error = removed == INVALID_HANDLE_VALUE ? GetLastError() : 0;
    RemoveDirectoryW(parent);
    HANDLE orphaned = CreateFileW(path, FILE_READ_ATTRIBUTES, share, NULL, OPEN_EXISTING, flags, NULL);
    DWORD orphaned_error = orphaned == INVALID_HANDLE_VALUE ? GetLastError() : 0;
    say("watch: without_backup_semantics=%lu opened=%d file_id_info=%d id_nonzero=%d index=%d removed=%lu"
        " parent_removed=%lu", plain_error, file != INVALID_HANDLE_VALUE, has_id, nonzero, has_index, removed_error,
        orphaned_error);
}

int wmain(int argc, wchar_t **argv) {
    GetModuleFileNameW(NULL, self_path, MAX_PATH);
    if (argc >= 2 && wcscmp(argv[1], L"child") == 0) {
        return child(argc, argv);
    }
    if (argc >= 2 && wcscmp(argv[1], L"sleep") == 0) {
        Sleep(INFINITE);
        return 0;
    }
    if (argc >= 4 && wcscmp(argv[1], L"inherit") == 0) {
        return inherit(argv);
    }
    if (argc >= 2 && wcscmp(argv[1], L"holder") == 0) {
        return holder();
    }
    if (argc >= 2 && wcscmp(argv[1], L"report") == 0) {
        return report();
    }
    char plan_path[MAX_PATH * 4];
    if (argc < 2 || !WideCharToMultiByte(CP_UTF8, 0, argv[argc - 1], -1, plan_path, sizeof plan_path, NULL, NULL)) {
        say("usage: win32probe PLAN");
        return 2;
    }
    read_plan(plan_path);
    if (wcscmp(argv[1], L"detacher") == 0) {
        return detacher();
    }
    headers();
    last_error();
    wait_null();
    open_always();
    more_data();
    ctrl_event();
    console_handler();
    search();
    relative_application();
    batch_as_application();
    handle_list();
    spawn();
    batch("batch");
    batch("batch_percent");
    teardown();
    kill_on_close();
    nested();
    detach(plan_path);
    watch();
    say("done");
    return 0;
}
