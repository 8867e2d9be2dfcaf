/*
 * tether-spawn, the image's lib/tether-spawn on Linux: starts COMMAND inside a cgroup, from its first
 * instruction, as a child of tether.
 *
 * tether's JVM cannot place a child in a cgroup as it starts it: glibc's posix_spawn learnt that only in 2.39
 * (posix_spawnattr_setcgroup_np), and forking the JVM itself to do it is not safe. Nor can COMMAND move
 * itself in after it started: a write to cgroup.procs waits for an RCU grace period of the kernel's
 * cgroup_threadgroup_rwsem, 5 to 15 ms on a 2-core machine under load, against 30 us for a clone. So tether
 * posix_spawns this small program with COMMAND's attributes (its own new process group, default signals,
 * no descriptors but 0 to 2 and the two below, COMMAND's directory and stdout), and this program makes
 * COMMAND with clone3(CLONE_INTO_CGROUP | CLONE_PARENT) (Linux 5.7): born in the cgroup, so no fork of it
 * can land outside, and the child of tether, not of this program, so that tether waits for it and keeps its
 * zombie as it keeps any COMMAND's. The child makes itself the leader of a new process group and execs
 * COMMAND with execvp, whose search and script fallback (a file without #! is run by /bin/sh) are those
 * of posix_spawnp and tether's own ScriptLookup, which glibc shares with it. Then this program exits.
 *
 * Its stderr is the report pipe, and tether's real stderr waits on STDERR_FD: what systemd-run says when it
 * cannot make the scope reaches tether, which makes it the reason of one line of its own; this program gives
 * COMMAND the real stderr back first thing.
 *
 * The talk with tether, on two pipes:
 *   - on REPORT_FD, first "cgroup PATH", this process's own cgroup as /proc/self/cgroup names it (started
 *     through systemd-run, that is the scope systemd made, where tether makes COMMAND's cgroup);
 *   - on ORDERS_FD, read to its end: the directory of the cgroup COMMAND starts in, COMMAND's argument
 *     count, its arguments, its environment's count and entries, each a NUL-terminated string. They come
 *     through a pipe rather than as arguments and environment, which systemd-run would change (it adds
 *     INVOCATION_ID and expands $VARIABLES in a scope's command line);
 *   - on REPORT_FD, "pid N" once COMMAND's process exists, or "error CALL ERRNO" for the call that failed,
 *     "error exec ERRNO" coming from the child when COMMAND could not be run (tether reports it as 127 or
 *     126, as for posix_spawnp).
 * Both descriptors are closed on exec, so tether's read ends at end-of-file once COMMAND runs or failed.
 */
#define _GNU_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The descriptors tether hands over (tether.unix.linux.SpawnHelper holds the same numbers). */
#define ORDERS_FD 3
#define REPORT_FD 4
#define STDERR_FD 5

/* The status of this program when it could not do its part; tether reads the report, not this. */
#define FAILED 1
/* The status of COMMAND's process when exec failed, as a shell's for a command not found. */
#define NOT_RUN 127

extern char **environ;

static void write_all(const char *text, size_t length) {
    while (length > 0) {
        ssize_t n = write(REPORT_FD, text, length);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return;
        }
        text += n;
        length -= (size_t) n;
    }
}

/* One line, written at once: both processes write to REPORT_FD, and a write under PIPE_BUF is atomic. */
static void report(const char *what, long value) {
    char line[64];
    int length = snprintf(line, sizeof line, "%s %ld\n", what, value);
    write_all(line, (size_t) length);
}

static void fail(const char *call, int error) {
    char what[48];
    snprintf(what, sizeof what, "error %s", call);
    report(what, error);
    _exit(FAILED);
}

/*
 * Whatever the process that started this one left: posix_spawn gives every signal its default and an empty
 * mask, systemd-run does not promise to. COMMAND starts as without a cgroup, with default dispositions (the
 * two signals glibc keeps for itself refuse to be set, and have no handler here anyway) and nothing blocked.
 */
static void reset_signals(void) {
    struct sigaction fallback = {.sa_handler = SIG_DFL};
    sigemptyset(&fallback.sa_mask);
    for (int signal = 1; signal < NSIG; signal++) {
        sigaction(signal, &fallback, NULL);
    }
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
}

/* "cgroup PATH" from the "0::PATH" line of /proc/self/cgroup: this process's place in the cgroup2 tree. */
static void report_own_cgroup(void) {
    char text[8192];
    int fd = open("/proc/self/cgroup", O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        fail("open(/proc/self/cgroup)", errno);
    }
    ssize_t size = read(fd, text, sizeof text - 1);
    close(fd);
    if (size < 0) {
        fail("read(/proc/self/cgroup)", errno);
    }
    text[size] = '\0';
    char *line = strstr(text, "0::");
    if (line != NULL && line != text && line[-1] != '\n') {
        line = strstr(text, "\n0::");
        line = line == NULL ? NULL : line + 1;
    }
    if (line == NULL) {
        fail("read(/proc/self/cgroup)", ENOENT);
    }
    line += 3;
    char *end = strchr(line, '\n');
    size_t length = end == NULL ? strlen(line) : (size_t) (end - line);
    write_all("cgroup ", 7);
    write_all(line, length);
    write_all("\n", 1);
}

/* Everything tether writes on ORDERS_FD, up to end-of-file. */
static char *read_orders(size_t *size) {
    size_t capacity = 64 * 1024;
    size_t used = 0;
    char *orders = malloc(capacity);
    for (;;) {
        if (orders == NULL) {
            fail("malloc", ENOMEM);
        }
        if (used == capacity) {
            capacity *= 2;
            orders = realloc(orders, capacity);
            continue;
        }
        ssize_t n = read(ORDERS_FD, orders + used, capacity - used);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            fail("read(orders)", errno);
        }
        if (n == 0) {
            *size = used;
            return orders;
        }
        used += (size_t) n;
    }
}

/* The next NUL-terminated string of the orders, from *at on. */
static char *next(char *orders, size_t size, size_t *at) {
    if (*at >= size) {
        fail("read(orders)", EINVAL);
    }
    char *string = orders + *at;
    char *end = memchr(string, '\0', size - *at);
    if (end == NULL) {
        fail("read(orders)", EINVAL);
    }
    *at = (size_t) (end - orders) + 1;
    return string;
}

/* A count, then that many strings, as a NULL-terminated array. */
static char **strings(char *orders, size_t size, size_t *at) {
    char *count_text = next(orders, size, at);
    char *end;
    errno = 0;
    unsigned long count = strtoul(count_text, &end, 10);
    if (errno != 0 || *end != '\0' || count > size) {
        fail("read(orders)", EINVAL);
    }
    char **array = calloc(count + 1, sizeof *array);
    if (array == NULL) {
        fail("malloc", ENOMEM);
    }
    for (unsigned long i = 0; i < count; i++) {
        array[i] = next(orders, size, at);
    }
    return array;
}

int main(void) {
    /* Neither descriptor may reach COMMAND. */
    if (fcntl(REPORT_FD, F_SETFD, FD_CLOEXEC) != 0) {
        return FAILED;
    }
    if (dup2(STDERR_FD, 2) != 2) {
        fail("dup2(stderr)", errno);
    }
    close(STDERR_FD);
    if (fcntl(ORDERS_FD, F_SETFD, FD_CLOEXEC) != 0) {
        fail("fcntl(orders)", errno);
    }
    reset_signals();
    report_own_cgroup();

    size_t size;
    size_t at = 0;
    char *orders = read_orders(&size);
    char *cgroup = next(orders, size, &at);
    char **argv = strings(orders, size, &at);
    char **envp = strings(orders, size, &at);
    if (argv[0] == NULL) {
        fail("read(orders)", EINVAL);
    }
    int directory = open(cgroup, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (directory < 0) {
        fail("open(cgroup)", errno);
    }

    /* exit_signal must be 0 with CLONE_PARENT: COMMAND's is this process's, SIGCHLD, as posix_spawn made it. */
    struct clone_args arguments = {
        .flags = CLONE_INTO_CGROUP | CLONE_PARENT,
        .exit_signal = 0,
        .cgroup = (uint64_t) directory,
    };
    long pid = syscall(SYS_clone3, &arguments, sizeof arguments);
    if (pid < 0) {
        fail("clone3", errno);
    }
    if (pid == 0) {
        if (setpgid(0, 0) != 0) {
            report("error setpgid", errno);
            _exit(NOT_RUN);
        }
        /* execvp searches the PATH of the environment it runs in, which is COMMAND's, as tether's own is. */
        environ = envp;
        execvp(argv[0], argv);
        report("error exec", errno);
        _exit(NOT_RUN);
    }
    report("pid", pid);
    return 0;
}
