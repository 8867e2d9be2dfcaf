/*
 * tether's launcher on Unix, compiled by ImageBuilder into the runtime image's bin/tether.
 *
 * It execs the image's JVM, so that tether's pid is the JVM's: a signal sent to that pid must reach the
 * JVM, which tears the tree down (jlink's generated launcher runs java as a child, and a SIGTERM to it
 * would end only the launcher). JVM options are baked into the image (jlink --add-options).
 *
 * It is C rather than sh because COMMAND's environment passes through the JVM, and a shell cannot pass
 * it on whole: dash drops every entry whose name is not a shell identifier (exported bash functions,
 * spring.profiles.active), and no shell can hide JAVA_TOOL_OPTIONS and its kind from the JVM without
 * taking them from COMMAND too. Here every entry is copied as bytes, in order; the few that the java
 * launcher or HotSpot would act on are renamed, and tether.cli's ChildEnvironment renames them back for
 * COMMAND, which gets them as the user set them.
 */
#define _GNU_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef __APPLE__
#include <mach-o/dyld.h>
#endif

extern char **environ;

/* 125 is tether's status for its own failures, so a hook can tell them from COMMAND's. */
#define OWN_FAILURE 125

#define STASH_PREFIX "TETHER_STASHED_"
/* Where COMMAND's stdout waits for tether (see keep_stdout_from_the_jvm), and the variable that says so. */
#define COMMAND_STDOUT_FD 9
#define COMMAND_STDOUT_VARIABLE "TETHER_STDOUT_FD"

/*
 * The variables meant for COMMAND's JVM that tether's JVM would read at start-up, each with what it
 * would do there. ChildEnvironment.STASHED in tether.cli holds the same list, in the same order, and
 * its test compares the two.
 */
static const char *const STASHED[] = {
    /* HotSpot (arguments.cpp) parses it as options of every JVM and prints "Picked up ..." on stderr:
       a collector, agent or debugger meant for COMMAND's JVM would run in tether's, or stop it from
       starting (-XX:+UseG1GC against the serial collector baked into the image). */
    "JAVA_TOOL_OPTIONS",
    /* The same, parsed after the command line, so it even overrides the image's own options. */
    "_JAVA_OPTIONS",
    /* The java launcher (args.c) adds it to its command line and prints "NOTE: Picked up ..." */
    "JDK_JAVA_OPTIONS",
    /* The java launcher (jli_util.c) traces its whole start-up on stdout, which is COMMAND's stdout. */
    "_JAVA_LAUNCHER_DEBUG",
    /* HotSpot (signals_posix.cpp) takes its thread suspend/resume signal from it, and warns about a
       value out of range; tether sets its own below, and the user's is for COMMAND's JVM. */
    "_JAVA_SR_SIGNUM",
    /* The java launcher (java.c, CheckJvmType) loads the JVM named by it instead of the image's
       lib/server; the trimmed image has no other, so tether would not start. */
    "JDK_ALTERNATE_VM",
    /* The java launcher (java.c) makes it tether's java.class.path: classes and service providers of
       the user's project would be visible to tether's JVM. */
    "CLASSPATH",
    /* When it names another JDK's lib/server, the java launcher (java_md.c) prepends the image's library
       folders to it and execs itself again, so COMMAND would get a changed value; HotSpot
       (os_linux.cpp) also adds it to tether's java.library.path. */
    "LD_LIBRARY_PATH",
    /* glibc's malloc reads it; tether sets its own below, and the user's is for COMMAND. */
    "MALLOC_ARENA_MAX",
    /* tether's own hand-over of COMMAND's stdout (COMMAND_STDOUT_VARIABLE, see keep_stdout_from_the_jvm);
       a user's own must not be taken for it. */
    "TETHER_STDOUT_FD",
};
/*
 * Left alone, though the JVM reads them: JDK_AOT_VM_OPTIONS (read only while an AOT cache is created,
 * never with -XX:AOTCache), LANG, LC_* and TZ (tether's locale and time zone should be the user's; it
 * passes arguments and environment on as bytes whatever its locale), JAVA_HOME (the launcher finds its
 * runtime from its own path). LD_PRELOAD and its kind are the dynamic linker's, for every process.
 */

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
 * COMMAND's stdout, kept on a descriptor of its own while the JVM's stdout becomes stderr: whatever the
 * JVM itself prints (that it ran out of memory at start, that a signal came during its initialisation)
 * goes to stderr and never into COMMAND's output. tether hands this descriptor to COMMAND as its
 * stdout, and prints --help and --version on it. ChildEnvironment in tether.cli knows the variable.
 */
static void keep_stdout_from_the_jvm(void) {
    if (dup2(1, COMMAND_STDOUT_FD) == -1 || dup2(2, 1) == -1) {
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

/*
 * A listed name, or one already prefixed once or more in front of a listed name: the user's own
 * TETHER_STASHED_CLASSPATH gets one prefix more, so that undoing exactly one prefix gives COMMAND
 * every entry back as it was.
 */
static int stashed(const char *name, size_t length) {
    const size_t prefix = sizeof STASH_PREFIX - 1;
    for (;;) {
        for (size_t i = 0; i < sizeof STASHED / sizeof STASHED[0]; i++) {
            if (strlen(STASHED[i]) == length && memcmp(STASHED[i], name, length) == 0) {
                return 1;
            }
        }
        if (length <= prefix || memcmp(name, STASH_PREFIX, prefix) != 0) {
            return 0;
        }
        name += prefix;
        length -= prefix;
    }
}

/*
 * tether's environment for its JVM: every entry as it came, in order, even one without '=' or with a
 * name no shell accepts, except that the stashed names are prefixed; then tether's own suspend/resume
 * signal for HotSpot, its own malloc arena limit and where COMMAND's stdout is.
 */
static char **jvm_environment(void) {
    size_t count = 0;
    while (environ != NULL && environ[count] != NULL) {
        count++;
    }
    char **environment = calloc(count + 4, sizeof *environment);
    if (environment == NULL) {
        fail("out of memory");
    }
    size_t next = 0;
    for (size_t i = 0; i < count; i++) {
        char *entry = environ[i];
        char *equals = strchr(entry, '=');
        size_t length = equals == NULL ? strlen(entry) : (size_t) (equals - entry);
        environment[next++] = stashed(entry, length) ? formatted("%s%s", STASH_PREFIX, entry) : entry;
    }
#ifdef SIGRTMAX
    /* HotSpot suspends and resumes threads with SIGUSR2 unless told otherwise; SIGRTMAX is used by no
       one else, and leaves SIGUSR2 free to be forwarded to COMMAND. */
    environment[next++] = formatted("_JAVA_SR_SIGNUM=%d", SIGRTMAX);
#endif
#ifdef __GLIBC__
    /* glibc reserves 64 MB of address space for each thread's malloc arena, up to eight per core: a
       gigabyte of tether's 1.3 GB, for a JVM that barely mallocs. One arena lets tether start under an
       address-space limit (ulimit -v) of a few hundred MB. */
    environment[next++] = "MALLOC_ARENA_MAX=1";
#endif
    environment[next++] = formatted("%s=%d", COMMAND_STDOUT_VARIABLE, COMMAND_STDOUT_FD);
    environment[next] = NULL;
    return environment;
}

/*
 * Every signal tether acts on is blocked before the JVM starts; the JVM runs with -Xrs, so it installs no
 * handler for them and unblocks none in its threads, and tether takes them with sigwaitinfo on one thread
 * (OwnSignals). Without this, any signal the JVM has no handler for (SIGALRM, SIGPWR, a real-time signal)
 * would end tether before its teardown, and SIGQUIT would print a thread dump. Left out: the signals the
 * JVM uses itself (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGPIPE, SIGXFSZ and the suspend/resume signal), the
 * stop signals, which must stop tether as they stop any job, and SIGWINCH and SIGURG, which end nothing.
 * The set replaces whatever mask tether inherited; COMMAND starts with an empty one.
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
    };
    sigset_t set;
    sigemptyset(&set);
    for (size_t i = 0; i < sizeof taken / sizeof taken[0]; i++) {
        sigaddset(&set, taken[i]);
    }
#ifdef SIGRTMAX
    /* SIGRTMAX itself is the JVM's suspend/resume signal (see jvm_environment). */
    for (int signal = SIGRTMIN; signal < SIGRTMAX; signal++) {
        sigaddset(&set, signal);
    }
#endif
    if (sigprocmask(SIG_SETMASK, &set, NULL) != 0) {
        fail("cannot block tether's signals: %s", strerror(errno));
    }
}

int main(int argc, char **argv) {
    open_missing_standard_streams();
    require_working_directory();
    keep_stdout_from_the_jvm();
    char *home = image_home();
    char *java = formatted("%s/bin/java", home);

    size_t passed = argc > 1 ? (size_t) argc - 1 : 0;
    char **arguments = calloc(passed + 5, sizeof *arguments);
    if (arguments == NULL) {
        fail("out of memory");
    }
    arguments[0] = java;
    arguments[1] = formatted("-XX:AOTCache=%s/lib/tether.aot", home);
    arguments[2] = "-m";
    arguments[3] = "tether.cli/tether.cli.Main";
    for (size_t i = 0; i < passed; i++) {
        arguments[4 + i] = argv[1 + i];
    }
    arguments[4 + passed] = NULL;

    char **environment = jvm_environment();
    block_signals();
    execve(java, arguments, environment);
    fail("cannot run %s: %s", java, strerror(errno));
}
