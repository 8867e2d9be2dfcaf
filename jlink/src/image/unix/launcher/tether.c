/*
 * tether's launcher on Unix, compiled by ImageBuilder into the runtime image's bin/tether.
 *
 * It runs the image's JVM in its own process, through the JNI invocation API, as the java launcher does
 * (bin/java stays in the image, for the AOT training and the tests). In the launcher's process, because
 * tether's pid must be the JVM's: a signal sent to that pid must reach the JVM, which tears the tree down
 * (jlink's generated launcher runs java as a child, and a SIGTERM to it would end only the launcher). Not
 * by exec'ing bin/java, because then nothing of tether would be left to keep its contract when the JVM
 * cannot start (too little address space, too few processes allowed, a crash): HotSpot prints several
 * lines of its own and exits with 1 or aborts. Here whatever the JVM writes until tether's main runs is
 * kept aside, and HotSpot's exit and abort hooks turn such an end into one line, "tether: the Java
 * runtime could not start: REASON", and status 125, as for any failure of tether's own. JVM options are
 * baked into the image (jlink --add-options), and HotSpot reads them from there itself.
 *
 * The environment the launcher was started with is COMMAND's: tether reads it from the area exec filled
 * (/proc/self/environ on Linux, sysctl KERN_PROCARGS2 on macOS), which nothing done in the process changes. The few variables meant for COMMAND that tether's JVM would
 * act on are removed, and the launcher's own settings are made, in the process's environment only, which
 * is the one the JVM reads.
 */
#define _GNU_SOURCE

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <jni.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#ifdef __linux__
#include <sys/prctl.h>
#include <sys/syscall.h>
#endif
#include <sys/stat.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#ifdef __APPLE__
#include <crt_externs.h>
#include <mach-o/dyld.h>
#endif

/* 125 is tether's status for its own failures, so a hook can tell them from COMMAND's. */
#define OWN_FAILURE 125

/* Where COMMAND's stdout waits for tether (see keep_stdout_from_the_jvm), and the variable that says so. */
#define COMMAND_STDOUT_FD 9
#define COMMAND_STDOUT_VARIABLE "TETHER_STDOUT_FD"

#ifdef __APPLE__
#define LIBJVM "lib/server/libjvm.dylib"
#else
#define LIBJVM "lib/server/libjvm.so"
#endif

#define MAIN_MODULE "tether.cli"
#define MAIN_CLASS MAIN_MODULE "/tether.cli.Main"
/* LauncherHelper's launch mode for java -m MODULE/CLASS. */
#define LM_MODULE 3

/*
 * The main thread's stack: what the java launcher gives it on x86_64, HotSpot's default -Xss there (it asks
 * HotSpot, which says 2 MB on aarch64). 1 MB is kept on every platform: tether's main runs shallow, and it is
 * well above the smallest stack HotSpot accepts for a Java thread anywhere tether runs, 448 KB on aarch64
 * Linux with 64 KB pages (JvmOptionsTest computes it from HotSpot's sources).
 */
#define MAIN_THREAD_STACK_SIZE (1024 * 1024)

#define START_FAILED "tether: the Java runtime could not start: "
/* How much of the end of the JVM's start-up output its reason is looked for in. */
#define REASON_SOURCE_SIZE 8192

/*
 * The variables meant for COMMAND's JVM that tether's JVM would read at start-up, each with what it
 * would do there. The java launcher's own (JDK_JAVA_OPTIONS, _JAVA_LAUNCHER_DEBUG, JDK_ALTERNATE_VM,
 * CLASSPATH) need no hiding: it does not run here.
 */
static const char *const HIDDEN_FROM_THE_JVM[] = {
    /* HotSpot (arguments.cpp) parses it as options of every JVM and prints "Picked up ..." on stderr:
       a collector, agent or debugger meant for COMMAND's JVM would run in tether's, or stop it from
       starting (-XX:+UseG1GC against the serial collector baked into the image). */
    "JAVA_TOOL_OPTIONS",
    /* The same, parsed after the command line, so it even overrides the image's own options. */
    "_JAVA_OPTIONS",
    /* HotSpot (os_linux.cpp) adds it to tether's java.library.path. (The dynamic linker has read it at
       exec, for the launcher's own libraries, as for any program.) */
    "LD_LIBRARY_PATH",
};
/*
 * The signal HotSpot suspends and resumes threads with (signals_posix.cpp, SR_initialize): SIGUSR2 unless
 * _JAVA_SR_SIGNUM names another, which it accepts if above SIGSEGV and SIGBUS and below NSIG. HotSpot installs
 * its own handler for it and unblocks it in every JVM thread (signal_sets_init), -Xrs or not, and ignores one
 * sent from outside: SIGUSR2 would never reach tether's signal thread to be forwarded. So another signal, one
 * tether does not take and that nothing sends to a process in normal use:
 * - Linux: SIGRTMAX, a real-time signal no one else uses.
 * - macOS (no real-time signals, NSIG 32): SIGURG, which the kernel sends only to the owner of a socket that
 *   received out-of-band data, and tether owns no socket. Not SIGWINCH nor SIGINFO, which the terminal sends
 *   to its foreground process group (on a resize, on Ctrl-T), tether's included while it holds the terminal.
 */
#if defined(SIGRTMAX)
#define SUSPEND_RESUME_SIGNAL SIGRTMAX
#elif defined(__APPLE__)
#define SUSPEND_RESUME_SIGNAL SIGURG
#else
#error "no signal chosen for HotSpot's thread suspension on this system"
#endif

/*
 * Set for the JVM, over the user's value, which stays COMMAND's: _JAVA_SR_SIGNUM and COMMAND_STDOUT_VARIABLE
 * (see set_jvm_environment). Left alone, though the JVM reads them: JDK_AOT_VM_OPTIONS (read only while an
 * AOT cache is created, never with -XX:AOTCache), LANG, LC_* and TZ (tether's locale and time zone should
 * be the user's; it passes arguments and environment on as bytes whatever its locale). glibc has read
 * MALLOC_ARENA_MAX before main, and mallopt overrides it (see main). LD_PRELOAD and its kind are the
 * dynamic linker's, for every process.
 */

/* The JVM's start-up output, kept aside until tether's main runs (see capture_start_up_output). */
static int start_up_output = -1;
/* stderr, kept aside meanwhile: where tether's one line goes if the JVM does not start. */
static int real_stderr = -1;
/* Set once tether's main is about to run: from then on, how the JVM ends is tether's to decide. */
static atomic_bool tether_runs;
/* Two JVM threads may fail at once; one line is written. */
static atomic_flag start_failure_reported = ATOMIC_FLAG_INIT;

__attribute__((format(printf, 1, 2), noreturn))
static void fail(const char *format, ...) {
    va_list arguments;
    va_start(arguments, format);
    fputs("tether: ", stderr);
    vfprintf(stderr, format, arguments);
    fputc('\n', stderr);
    va_end(arguments);
    exit(OWN_FAILURE);
}

__attribute__((format(printf, 1, 2)))
static char *formatted(const char *format, ...) {
    va_list arguments;
    va_start(arguments, format);
    int length = vsnprintf(NULL, 0, format, arguments);
    va_end(arguments);
    char *text = length < 0 ? NULL : malloc((size_t) length + 1);
    if (text == NULL) {
        fail("out of memory");
    }
    va_start(arguments, format);
    vsnprintf(text, (size_t) length + 1, format, arguments);
    va_end(arguments);
    return text;
}

/*
 * A closed stdin, stdout or stderr would be taken by the first file the JVM opens, and COMMAND would
 * inherit that file in its place: give COMMAND /dev/null there instead.
 */
static void open_missing_standard_streams(void) {
    for (int fd = 0; fd <= 2; fd++) {
        if (fcntl(fd, F_GETFD) != -1 || errno != EBADF) {
            continue;
        }
        /* No dup2: open takes the lowest free descriptor, which is fd, as those below it are open by now. */
        if (open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY) == -1) {
            fail("cannot open /dev/null: %s", strerror(errno));
        }
    }
}

/*
 * COMMAND's stdout, kept on a descriptor of its own while the JVM's stdout becomes stderr (see
 * let_the_jvm_write): whatever the JVM itself prints goes to stderr and never into COMMAND's output.
 * tether hands this descriptor to COMMAND as its stdout, and prints --help and --version on it.
 * ChildEnvironment in tether.cli knows the variable.
 */
static void keep_stdout_from_the_jvm(void) {
    if (dup2(1, COMMAND_STDOUT_FD) == -1) {
        fail("cannot set up stdout: %s", strerror(errno));
    }
}

/*
 * A JVM cannot start in a working directory that was removed, and tether would have nothing to watch:
 * say so in one line rather than let the JVM print a stack trace. The worktree is gone, so nothing
 * starts. Any other failure to read the directory is the JVM's to judge.
 */
static void require_working_directory(void) {
    for (size_t size = 256;; size *= 2) {
        char *buffer = malloc(size);
        if (buffer == NULL) {
            fail("out of memory");
        }
        char *found = getcwd(buffer, size);
        int error = errno;
        free(buffer);
        if (found != NULL || (error != ERANGE && error != ENOENT)) {
            return;
        }
        if (error == ENOENT) {
            fail("cannot determine the working directory: it was removed");
        }
    }
}

/*
 * The image is the parent of the folder that holds the real executable: installed as a symbolic link
 * (/usr/bin/tether), the image is where the link points.
 */
static char *image_home(void) {
#ifdef __APPLE__
    uint32_t size = 0;
    _NSGetExecutablePath(NULL, &size);
    char *path = malloc(size);
    if (path == NULL || _NSGetExecutablePath(path, &size) != 0) {
        fail("cannot locate the launcher");
    }
    char *real = realpath(path, NULL);
    free(path);
#else
    char *real = realpath("/proc/self/exe", NULL);
#endif
    if (real == NULL) {
        fail("cannot locate the launcher: %s", strerror(errno));
    }
    for (int level = 0; level < 2; level++) {
        char *slash = strrchr(real, '/');
        if (slash == NULL) {
            fail("cannot locate the runtime image from %s", real);
        }
        *slash = '\0';
    }
    return real;
}

typedef jint (JNICALL *CreateJavaVM)(JavaVM **vm, void **env, void *arguments);

static CreateJavaVM load_jvm(const char *home) {
    char *path = formatted("%s/%s", home, LIBJVM);
    void *jvm = dlopen(path, RTLD_NOW | RTLD_GLOBAL);
    if (jvm == NULL) {
        fail("the Java runtime could not start: %s", dlerror());
    }
    CreateJavaVM create = (CreateJavaVM) dlsym(jvm, "JNI_CreateJavaVM");
    if (create == NULL) {
        fail("the Java runtime could not start: %s has no JNI_CreateJavaVM", path);
    }
    free(path);
    return create;
}

/*
 * tether's JVM reads the process's environment, changed here; COMMAND gets the one the launcher was
 * started with (see the header).
 */
static void set_jvm_environment(void) {
    for (size_t i = 0; i < sizeof HIDDEN_FROM_THE_JVM / sizeof HIDDEN_FROM_THE_JVM[0]; i++) {
        if (unsetenv(HIDDEN_FROM_THE_JVM[i]) != 0) {
            fail("cannot set up the environment: %s", strerror(errno));
        }
    }
    int failed = 0;
    char *signal = formatted("%d", SUSPEND_RESUME_SIGNAL);
    failed |= setenv("_JAVA_SR_SIGNUM", signal, 1);
    free(signal);
    char *fd = formatted("%d", COMMAND_STDOUT_FD);
    failed |= setenv(COMMAND_STDOUT_VARIABLE, fd, 1);
    free(fd);
    if (failed) {
        fail("cannot set up the environment: %s", strerror(errno));
    }
}

/*
 * Every signal tether acts on is blocked first thing, and the JVM's threads inherit the mask; the JVM
 * runs with -Xrs, so it installs no handler for them and unblocks none in its threads, and tether takes
 * them with sigwaitinfo on one thread (OwnSignals). Without this, any signal the JVM has no handler for
 * (SIGALRM, SIGPWR, a real-time signal) would end tether before its teardown, and SIGQUIT would print a
 * thread dump. Left out: the signals the JVM uses itself (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGPIPE,
 * SIGXFSZ and the suspend/resume signal), the stop signals, which must stop tether as they stop any job,
 * and those whose default is to do nothing (SIGWINCH, SIGURG; on macOS SIGINFO too). The set replaces
 * whatever mask tether inherited; COMMAND starts with an empty one.
 */
static void block_signals(void) {
    static const int taken[] = {
        SIGHUP, SIGINT, SIGQUIT, SIGTRAP, SIGABRT, SIGUSR1, SIGUSR2, SIGALRM, SIGTERM, SIGCHLD, SIGCONT,
        SIGXCPU, SIGVTALRM, SIGPROF, SIGIO, SIGSYS,
#ifdef SIGSTKFLT
        SIGSTKFLT,
#endif
#ifdef SIGPWR
        SIGPWR,
#endif
#ifdef SIGEMT
        /* macOS: its default, as SIGSYS's, is to end the process with a core dump. */
        SIGEMT,
#endif
    };
    sigset_t set;
    sigemptyset(&set);
    for (size_t i = 0; i < sizeof taken / sizeof taken[0]; i++) {
        sigaddset(&set, taken[i]);
    }
#ifdef SIGRTMAX
    /* SIGRTMAX too, though it is the JVM's suspend/resume signal (see set_jvm_environment): HotSpot unblocks
       it in each of its own threads, and blocked here it stays so only in this one, which HotSpot does not
       know. Sent from outside, it then reaches one of HotSpot's threads, whose handler lets it pass in
       silence, rather than this one, for which it prints "received stray SR signal". */
    for (int signal = SIGRTMIN; signal <= SIGRTMAX; signal++) {
        sigaddset(&set, signal);
    }
#endif
    if (sigprocmask(SIG_SETMASK, &set, NULL) != 0) {
        fail("cannot block tether's signals: %s", strerror(errno));
    }
}

#if defined(__linux__) && defined(__GLIBC__)
/*
 * Signal 32 is glibc's SIGCANCEL. glibc refuses it to sigaction, sigaddset and sigprocmask, unblocks it in
 * every thread pthread_create starts, and installs its own handler only on the first pthread_cancel, which
 * nothing in tether calls: until then its action is the default, which ends the process, so `kill -32`
 * would end tether before its teardown, and no thread can wait for it. It is ignored through the kernel's
 * own rt_sigaction, which glibc's refusal does not reach. COMMAND gets it at its default action again
 * (posix_spawn resets every signal, 32 included; see GroupSpawner). Signal 33, glibc's SIGSETXID, needs
 * nothing: glibc installs its handler at start, and that handler ignores what another process sends.
 */
static void ignore_glibc_cancel_signal(void) {
    /* The kernel's struct sigaction (asm-generic/signal.h; x86_64 and arm64 alike, both with sa_restorer). */
    struct {
        void (*handler)(int);
        unsigned long flags;
        void (*restorer)(void);
        uint64_t mask;
    } ignore = {.handler = SIG_IGN};
    if (syscall(SYS_rt_sigaction, __SIGRTMIN, &ignore, NULL, sizeof ignore.mask) != 0) {
        fail("cannot ignore signal %d: %s", __SIGRTMIN, strerror(errno));
    }
}
#endif

#ifdef __linux__
/*
 * Stopping tether's job when its command stopped for the terminal while the job is in the background
 * (JobControl in tether.unix) must not race the shell's fg: a tether that looked at the terminal's
 * foreground, found the shell there, and stopped its group just after an fg had given it the terminal
 * would stay stopped, the fg spent. The kernel makes that decision atomically for a read of the terminal:
 * from a background group it sends the group SIGTTIN, from the foreground it reads (here, nothing). So
 * tether stops itself that way; and so that the read is not restarted once tether is continued (after bg,
 * it would stop the job again at once, where tether decides what bg means; after `kill %1`, before tether
 * could see the SIGTERM), SIGCONT is let in during it only, to a handler that swaps the descriptor being
 * read for /dev/null's.
 */

/* The descriptor tether_stop_if_background reads, and /dev/null's, for on_continue; -1 outside a call. */
static volatile int stopping_on = -1;
static volatile int null_device = -1;
static volatile sig_atomic_t continued_while_stopping;

/* SIGCONT is blocked in every thread but during tether_stop_if_background, so this runs only then. */
static void on_continue(int signal) {
    (void) signal;
    int fd = stopping_on;
    if (fd >= 0) {
        dup2(null_device, fd);
        continued_while_stopping = 1;
    }
}

/*
 * Called by tether (through JNA) on the thread that takes its signals. Stops tether's process group with
 * SIGTTIN (SIGTTOU: by way of a tcsetpgrp to its own group) if, and only if, the group is in the terminal's
 * background. Returns 1 if it stopped and was continued (or a SIGCONT came meanwhile), 0 if the group
 * holds the terminal, -errno otherwise: EIO when the group is orphaned (no job-control shell would ever
 * continue it).
 */
int tether_stop_if_background(int tty, int signal) {
    int fd = fcntl(tty, F_DUPFD_CLOEXEC, 0);
    if (fd == -1) {
        return -errno;
    }
    int none = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (none == -1) {
        int error = errno;
        close(fd);
        return -error;
    }
    null_device = none;
    continued_while_stopping = 0;
    stopping_on = fd;
    sigset_t cont;
    sigemptyset(&cont);
    sigaddset(&cont, SIGCONT);
    pthread_sigmask(SIG_UNBLOCK, &cont, NULL);
    char nothing;
    int result = signal == SIGTTIN ? (int) read(fd, &nothing, 0) : tcsetpgrp(fd, getpgrp());
    int error = errno;
    pthread_sigmask(SIG_BLOCK, &cont, NULL);
    stopping_on = -1;
    close(fd);
    close(none);
    if (continued_while_stopping) {
        return 1;
    }
    return result == -1 && error != EINTR ? -error : 0;
}

/* Without SA_RESTART: a read that stopped tether returns once it is continued. */
static void handle_continue(void) {
    struct sigaction action = {.sa_handler = on_continue};
    sigemptyset(&action.sa_mask);
    if (sigaction(SIGCONT, &action, NULL) != 0) {
        fail("cannot handle SIGCONT: %s", strerror(errno));
    }
}
#endif

#ifdef __APPLE__
/*
 * Never runs: SIGCHLD stays blocked in every thread, and tether's signal thread takes it with sigwait. It is
 * there because xnu drops a signal whose action is to be ignored before it looks at any thread, a thread in
 * sigwait included, and SIGCHLD's default action is to be ignored: setsigvec (bsd/kern/kern_sig.c) puts such a
 * SIG_DFL signal in p_sigignore, and psignal_internal discards whatever p_sigignore holds. With a handler, the
 * kernel keeps SIGCHLD pending for sigwait, as Linux does for a blocked one at SIG_DFL. It also replaces an
 * inherited SIG_IGN, under which xnu would reap tether's children itself (P_NOCLDWAIT), the group's leader
 * included. exec (execsigs) and POSIX_SPAWN_SETSIGDEF give COMMAND the default action back.
 *
 * kqueue's EVFILT_SIGNAL would see SIGCHLD too (psignal_internal notes a signal to kqueue before it drops
 * it), but as a second way of waiting beside sigwait, with a struct of its own to lay out: not chosen.
 */
static void child_changed(int signal) {
    (void) signal;
}

/*
 * Also called by tether (through JNA), once its JVM has started: the JDK's process support, loaded by the first
 * System.getenv, sets SIGCHLD back to SIG_DFL with SA_NOCLDSTOP (ProcessImpl_md.c, setSIGCHLDHandler), which
 * would undo this. Without SA_NOCLDSTOP, a child's stop is reported as its exit is. Returns 0, or -errno.
 */
int tether_keep_sigchld_for_sigwait(void) {
    struct sigaction action = {.sa_handler = child_changed, .sa_flags = SA_RESTART};
    sigemptyset(&action.sa_mask);
    return sigaction(SIGCHLD, &action, NULL) == 0 ? 0 : -errno;
}

/*
 * How many environment entries exec gave the launcher, as "-Dtether.exec.envc=N", counted before
 * set_jvm_environment changes anything. sysctl(KERN_PROCARGS2) returns the environment and, after it and 0 to 7
 * NUL bytes of padding, the strings the kernel adds for libSystem (bsd/kern/kern_exec.c, exec_extract_strings
 * and exec_add_apple_strings), with nothing that says where one ends and the other begins; this count does
 * (DarwinOwnProcess reads it).
 */
static char *exec_environment_count(void) {
    size_t count = 0;
    for (char **entry = *_NSGetEnviron(); *entry != NULL; entry++) {
        count++;
    }
    return formatted("-Dtether.exec.envc=%zu", count);
}
#endif

/*
 * Until tether's main runs, the JVM's stdout and stderr go to an anonymous file: what it prints when it
 * cannot start (an error, an AOT cache that cannot be mapped, the header of a crash report, which HotSpot
 * writes to descriptor 1 itself) becomes the reason on tether's one line instead of lines of its own.
 */
static void capture_start_up_output(void) {
#ifdef __linux__
    start_up_output = memfd_create("tether-jvm-start-up", MFD_CLOEXEC);
#else
    char name[] = "/tmp/tether-jvm-start-up.XXXXXX";
    start_up_output = mkstemp(name);
    if (start_up_output != -1) {
        unlink(name);
    }
#endif
    if (start_up_output == -1) {
        fail("the Java runtime could not start: cannot keep its output: %s", strerror(errno));
    }
    real_stderr = fcntl(2, F_DUPFD_CLOEXEC, COMMAND_STDOUT_FD + 1);
    if (real_stderr == -1 || dup2(start_up_output, 1) == -1 || dup2(start_up_output, 2) == -1) {
        int error = errno;
        if (real_stderr != -1) {
            dup2(real_stderr, 1);
            dup2(real_stderr, 2);
        }
        fail("the Java runtime could not start: cannot keep its output: %s", strerror(error));
    }
}

static size_t append(char *to, size_t used, size_t capacity, const char *text, size_t length) {
    for (size_t i = 0; i < length && used < capacity; i++) {
        /* A control character would break the one line. */
        to[used++] = (unsigned char) text[i] < ' ' ? ' ' : text[i];
    }
    return used;
}

static bool starts_with(const char *text, const char *end, const char *prefix) {
    size_t length = strlen(prefix);
    return (size_t) (end - text) >= length && memcmp(text, prefix, length) == 0;
}

/*
 * The JVM's reason, from the end of what it wrote while it started, as one line: its lines joined as
 * sentences, without the '#' frame of a crash report, the decorations of its log lines and the frames of
 * a Java stack trace. After "Error occurred during initialization of VM" (or "of boot layer") comes
 * HotSpot's own account of the failure; what came before is left out then, such as the AOT cache that
 * could not be mapped for want of the same memory. Async-signal-safe, as start_failed.
 */
static size_t start_up_reason(char *reason, size_t capacity) {
    static char output[REASON_SOURCE_SIZE];
    struct stat status;
    if (start_up_output == -1 || fstat(start_up_output, &status) != 0) {
        return 0;
    }
    off_t from = status.st_size > REASON_SOURCE_SIZE ? status.st_size - REASON_SOURCE_SIZE : 0;
    ssize_t size = pread(start_up_output, output, REASON_SOURCE_SIZE, from);
    if (size <= 0) {
        return 0;
    }
    char *text = output;
    char *end = output + size;
    if (from > 0) {
        /* The first line is cut. */
        char *newline = memchr(text, '\n', (size_t) (end - text));
        text = newline == NULL ? end : newline + 1;
    }
    for (char *line = text; line < end;) {
        char *newline = memchr(line, '\n', (size_t) (end - line));
        char *next = newline == NULL ? end : newline + 1;
        if (starts_with(line, end, "Error occurred during initialization of ")) {
            text = next;
        }
        line = next;
    }
    size_t used = 0;
    for (char *line = text; line < end;) {
        char *newline = memchr(line, '\n', (size_t) (end - line));
        char *next = newline == NULL ? end : newline + 1;
        char *last = newline == NULL ? end : newline;
        while (line < last && (*line == '#' || *line == ' ' || *line == '\t')) {
            line++;
        }
        while (line < last && *line == '[') {
            char *closing = memchr(line, ']', (size_t) (last - line));
            if (closing == NULL) {
                break;
            }
            line = closing + 1;
        }
        while (line < last && *line == ' ') {
            line++;
        }
        while (last > line && (last[-1] == ' ' || last[-1] == '\r' || last[-1] == '\t')) {
            last--;
        }
        if (line < last && !starts_with(line, last, "at ") && !starts_with(line, last, "... ")) {
            if (used > 0) {
                bool sentence = strchr(".:;!?", reason[used - 1]) != NULL;
                used = append(reason, used, capacity, sentence ? " " : ". ", sentence ? 1 : 2);
            }
            used = append(reason, used, capacity, line, (size_t) (last - line));
        }
        line = next;
    }
    return used;
}

/*
 * Ends tether when its JVM could not start: one line with the JVM's reason, else detail; detail in
 * parentheses after the reason too if always is set. Async-signal-safe (no stdio, no malloc): HotSpot
 * calls the abort hook from its crash handler.
 */
__attribute__((noreturn))
static void start_failed(const char *detail, bool always) {
    if (atomic_flag_test_and_set(&start_failure_reported)) {
        /* Another thread is writing the line and ends the process. */
        for (;;) {
            pause();
        }
    }
    static char line[REASON_SOURCE_SIZE + 256];
    size_t capacity = sizeof line - 1;
    size_t used = append(line, 0, capacity, START_FAILED, strlen(START_FAILED));
    size_t reason = start_up_reason(line + used, capacity - used);
    if (reason == 0) {
        used = append(line, used, capacity, detail, strlen(detail));
    } else {
        used += reason;
        if (always) {
            used = append(line, used, capacity, " (", 2);
            used = append(line, used, capacity, detail, strlen(detail));
            used = append(line, used, capacity, ")", 1);
        }
    }
    line[used++] = '\n';
    int fd = real_stderr == -1 ? 2 : real_stderr;
    for (size_t written = 0; written < used;) {
        ssize_t n = write(fd, line + written, used - written);
        if (n <= 0 && errno != EINTR) {
            break;
        }
        written += n > 0 ? (size_t) n : 0;
    }
    /* Not _exit, which is the launcher's own (below). */
    _Exit(OWN_FAILURE);
}

/*
 * HotSpot ends with _exit(1), calling no hook, when it fails before it has read its options, the hooks
 * among them: when it cannot load libjimage to read the options baked into the image (under an
 * address-space limit of a few tens of MB). ImageBuilder links the launcher with -rdynamic, so that this
 * definition, not libc's, is the one libjvm calls: such an end is one line and 125 too. (On macOS,
 * libraries bind to libc's own, and such an end stays HotSpot's.) Async-signal-safe, as start_failed.
 */
void _exit(int status) {
    if (!atomic_load(&tether_runs)) {
        char detail[] = "it exited with status -2147483648";
        char *digits = detail + sizeof "it exited with status " - 1;
        unsigned magnitude = status < 0 ? 0u - (unsigned) status : (unsigned) status;
        char reversed[12];
        size_t count = 0;
        do {
            reversed[count++] = (char) ('0' + magnitude % 10);
            magnitude /= 10;
        } while (magnitude > 0);
        if (status < 0) {
            *digits++ = '-';
        }
        while (count > 0) {
            *digits++ = reversed[--count];
        }
        *digits = '\0';
        start_failed(detail, false);
    }
    _Exit(status);
}

/*
 * HotSpot's exit hook, called as the JVM exits (System.exit, Runtime.halt). Before tether's main runs,
 * only the JVM or the java launcher's helper exits, because the JVM could not start. Once tether runs,
 * the status is tether's: returning lets HotSpot exit with it, as without a hook.
 */
static void JNICALL jvm_exits(jint status) {
    if (!atomic_load(&tether_runs)) {
        char detail[64];
        snprintf(detail, sizeof detail, "it exited with status %d", (int) status);
        start_failed(detail, false);
    }
}

/*
 * HotSpot's abort hook, called before it aborts: after an error during its initialisation, when it
 * runs out of memory, when it crashes. Once tether runs, the abort goes on as usual (the crash report
 * is in /tmp, see ImageBuilder); the sentinel then tears the group down as for a killed tether.
 */
static void JNICALL jvm_aborts(void) {
    if (!atomic_load(&tether_runs)) {
        start_failed("it aborted", false);
    }
}

/* The JVM's stdout is stderr from here on (see keep_stdout_from_the_jvm), and its failures its own. */
static void let_the_jvm_write(void) {
    fflush(stdout);
    fflush(stderr);
    if (dup2(real_stderr, 1) == -1 || dup2(real_stderr, 2) == -1) {
        char detail[128];
        snprintf(detail, sizeof detail, "cannot restore stderr: %s", strerror(errno));
        start_failed(detail, true);
    }
    atomic_store(&tether_runs, true);
    close(real_stderr);
    close(start_up_output);
}

struct jvm_start {
    CreateJavaVM create;
    const char *home;
    int argc;
    char **argv;
#ifdef __APPLE__
    char *exec_environment;
#endif
};

/*
 * A JNI call that failed left an exception: the JVM could not run tether's main. The exception's
 * description goes to the start-up output, where start_failed finds the reason.
 */
static void check(JNIEnv *env, const void *result) {
    if (result == NULL || (*env)->ExceptionCheck(env)) {
        (*env)->ExceptionDescribe(env);
        start_failed("it could not load tether's main class", false);
    }
}

/*
 * What bin/java -XX:AOTCache=HOME/lib/tether.aot -m tether.cli/tether.cli.Main ARGS does (java.c,
 * JavaMain): the same options, so that the AOT cache trained with bin/java applies; the main class
 * loaded by LauncherHelper and the arguments decoded by it, as there.
 */
static void *run_jvm(void *start_argument) {
    struct jvm_start *start = start_argument;
    capture_start_up_output();

    static const char command_start[] = "-Dsun.java.command=" MAIN_CLASS;
    size_t command_length = sizeof command_start;
    for (int i = 0; i < start->argc; i++) {
        command_length += 1 + strlen(start->argv[i]);
    }
    char *command = malloc(command_length);
    if (command == NULL) {
        start_failed("out of memory", true);
    }
    char *end = stpcpy(command, command_start);
    for (int i = 0; i < start->argc; i++) {
        end = stpcpy(stpcpy(end, " "), start->argv[i]);
    }
    JavaVMOption options[] = {
        {.optionString = formatted("-XX:AOTCache=%s/lib/tether.aot", start->home)},
        {.optionString = "-Djdk.module.main=" MAIN_MODULE},
        /* For crash reports and jcmd, as the java launcher passes it. */
        {.optionString = command},
        /* Any value but "generic" tells HotSpot that, as under the java launcher, it was not started on
           the process's primordial thread. */
        {.optionString = "-Dsun.java.launcher=SUN_STANDARD"},
        {.optionString = "exit", .extraInfo = (void *) jvm_exits},
        {.optionString = "abort", .extraInfo = (void *) jvm_aborts},
#ifdef __APPLE__
        {.optionString = start->exec_environment},
#endif
    };
    JavaVMInitArgs arguments = {
        .version = JNI_VERSION_1_2,
        .nOptions = sizeof options / sizeof options[0],
        .options = options,
        .ignoreUnrecognized = JNI_FALSE,
    };
    JavaVM *vm;
    JNIEnv *env;
    jint created = start->create(&vm, (void **) &env, &arguments);
    if (created != JNI_OK) {
        char detail[64];
        snprintf(detail, sizeof detail, "JNI_CreateJavaVM returned %d", (int) created);
        start_failed(detail, true);
    }
    free(command);

    jclass helper = (*env)->FindClass(env, "sun/launcher/LauncherHelper");
    check(env, helper);
    jmethodID load = (*env)->GetStaticMethodID(env, helper, "checkAndLoadMain",
            "(ZILjava/lang/String;)Ljava/lang/Class;");
    check(env, load);
    jstring what = (*env)->NewStringUTF(env, MAIN_CLASS);
    check(env, what);
    jclass main_class = (jclass) (*env)->CallStaticObjectMethod(env, helper, load, JNI_TRUE, LM_MODULE, what);
    check(env, main_class);
    jmethodID main = (*env)->GetStaticMethodID(env, main_class, "main", "([Ljava/lang/String;)V");
    check(env, main);

    jmethodID decode = (*env)->GetStaticMethodID(env, helper, "makePlatformString", "(Z[B)Ljava/lang/String;");
    check(env, decode);
    jclass string = (*env)->FindClass(env, "java/lang/String");
    check(env, string);
    jobjectArray args = (*env)->NewObjectArray(env, start->argc, string, NULL);
    check(env, args);
    for (int i = 0; i < start->argc; i++) {
        jsize length = (jsize) strlen(start->argv[i]);
        jbyteArray bytes = (*env)->NewByteArray(env, length);
        check(env, bytes);
        (*env)->SetByteArrayRegion(env, bytes, 0, length, (const jbyte *) start->argv[i]);
        jstring arg = (jstring) (*env)->CallStaticObjectMethod(env, helper, decode, JNI_TRUE, bytes);
        check(env, arg);
        (*env)->SetObjectArrayElement(env, args, i, arg);
        (*env)->DeleteLocalRef(env, arg);
        (*env)->DeleteLocalRef(env, bytes);
    }

    let_the_jvm_write();
    (*env)->CallStaticVoidMethod(env, main_class, main, args);
    /* tether's main halts the JVM; a main that threw ends in tether's uncaught-exception handler, which
       the detach runs, as under the java launcher. */
    intptr_t status = (*env)->ExceptionCheck(env) ? OWN_FAILURE : 0;
    (*vm)->DetachCurrentThread(vm);
    (*vm)->DestroyJavaVM(vm);
    return (void *) status;
}

int main(int argc, char **argv) {
#ifdef __GLIBC__
    /* glibc reserves 64 MB of address space for each thread's malloc arena, up to eight per core: a
       gigabyte of tether's 1.3 GB, for a JVM that barely mallocs. One arena lets tether start under an
       address-space limit (ulimit -v) of a few hundred MB. Set before the JVM's threads exist, which is
       when glibc fixes the limit; MALLOC_ARENA_MAX in the environment is the user's, for COMMAND. */
    mallopt(M_ARENA_MAX, 1);
#endif
#ifdef __linux__
    /* The process's name is the file name it was started by, which a symbolic link may change; tether
       --list looks for tethers by this name before it reads which program each one runs. */
    prctl(PR_SET_NAME, "tether", 0, 0, 0);
#endif
    block_signals();
#if defined(__linux__) && defined(__GLIBC__)
    ignore_glibc_cancel_signal();
#endif
#ifdef __linux__
    handle_continue();
#endif
#ifdef __APPLE__
    int sigchld = tether_keep_sigchld_for_sigwait();
    if (sigchld != 0) {
        fail("cannot set up SIGCHLD: %s", strerror(-sigchld));
    }
#endif
    open_missing_standard_streams();
    require_working_directory();
    keep_stdout_from_the_jvm();
    char *home = image_home();
    struct jvm_start start = {
        .create = load_jvm(home),
        .home = home,
        .argc = argc > 1 ? argc - 1 : 0,
        .argv = argv + 1,
#ifdef __APPLE__
        .exec_environment = exec_environment_count(),
#endif
    };
    set_jvm_environment();

    /* Not on the primordial thread, as the java launcher does (java_md.c): its stack has no guard pages
       HotSpot could rely on, and its size is whatever ulimit -s says. */
    pthread_attr_t attributes;
    pthread_t thread;
    void *status;
    int error = pthread_attr_init(&attributes);
    if (error == 0) {
        error = pthread_attr_setstacksize(&attributes, MAIN_THREAD_STACK_SIZE);
    }
    /* HotSpot adds its own guard zones to a Java thread's stack. */
    if (error == 0) {
        error = pthread_attr_setguardsize(&attributes, 0);
    }
    if (error == 0) {
        error = pthread_create(&thread, &attributes, run_jvm, &start);
    }
    if (error != 0) {
        fail("the Java runtime could not start: cannot create its main thread: %s", strerror(error));
    }
    pthread_join(thread, &status);
    return (int) (intptr_t) status;
}
