/* Benchmark handler wrapper, started by the kernel from core_pattern (or by
 * systemd-socket-activate). It notes CLOCK_REALTIME at start, runs the real
 * handler as a child with the same stdin (the kernel's pipe) and fds, waits
 * for it, and appends "START_NS END_NS MAXRSS_KIB EXIT" to the result file.
 *
 * usage: hwrap CONF [ARG]...
 * CONF lines:  result PATH      where to append the result line
 *              stdout PATH      the child's stdout (O_CREAT|O_TRUNC); default /dev/null
 *              listen_pid       set LISTEN_PID to the child's pid (socket activation)
 *              arg WORD         one argv word of the child; "arg %ARGS" is replaced by
 *                               hwrap's own arguments after CONF (the kernel's %P ...)
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void)
{
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv)
{
        long long start = now_ns();
        if (argc < 2)
                return 64;
        /* the kernel starts us with only stdin (the pipe): make 1 and 2 valid */
        for (int fd = open("/dev/null", O_RDWR); fd >= 0 && fd <= 2; fd = open("/dev/null", O_RDWR))
                ;
        FILE *f = fopen(argv[1], "r");
        if (!f)
                return 1;
        char line[4096], result[4096] = "", out[4096] = "/dev/null";
        char *av[256];
        int ac = 0, listen_pid = 0;
        while (fgets(line, sizeof(line), f) && ac < 200) {
                line[strcspn(line, "\n")] = '\0';
                if (strncmp(line, "result ", 7) == 0)
                        snprintf(result, sizeof(result), "%s", line + 7);
                else if (strncmp(line, "stdout ", 7) == 0)
                        snprintf(out, sizeof(out), "%s", line + 7);
                else if (strcmp(line, "listen_pid") == 0)
                        listen_pid = 1;
                else if (strcmp(line, "arg %ARGS") == 0)
                        for (int i = 2; i < argc && ac < 250; i++)
                                av[ac++] = argv[i];
                else if (strncmp(line, "arg ", 4) == 0)
                        av[ac++] = strdup(line + 4);
        }
        fclose(f);
        av[ac] = NULL;
        if (ac == 0)
                return 64;
        pid_t pid = fork();
        if (pid < 0)
                return 1;
        if (pid == 0) {
                int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
                if (fd < 0 || dup2(fd, 1) < 0) /* fd > 2: see above */
                        _exit(126);
                if (listen_pid) {
                        char p[32];
                        snprintf(p, sizeof(p), "%d", (int)getpid());
                        setenv("LISTEN_PID", p, 1);
                }
                execv(av[0], av);
                _exit(127);
        }
        /* The pipe is the child's: the kernel releases the crashed process
         * when every reader has closed it, which must not wait for us. */
        int nul = open("/dev/null", O_RDONLY);
        if (nul >= 0 && nul != 0) {
                dup2(nul, 0);
                close(nul);
        }
        int status = 0;
        struct rusage ru;
        while (wait4(pid, &status, 0, &ru) < 0)
                ;
        long long end = now_ns();
        int fd = open(result, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
        if (fd >= 0) {
                long long cpu_us = (long long)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000 +
                                   ru.ru_utime.tv_usec + ru.ru_stime.tv_usec;
                dprintf(fd, "%lld %lld %ld %d %lld\n", start, end, ru.ru_maxrss,
                        WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status), cpu_us);
                close(fd);
        }
        return 0;
}
