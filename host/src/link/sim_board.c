/* SPDX-License-Identifier: MIT
 * sim_board.c : starting and stopping the simulated board for `--device sim`.
 * The board prints the pseudo-terminal it listens on; we read that line from its stdout.
 */
#include "transport.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "monotonic.h"

pid_t sim_board_start(const char *const *argv, int timeout_ms, char *pts, size_t pts_len,
                      int *out_fd, char *err, size_t err_len)
{
    int fd[2], status;
    pid_t pid;
    char line[512];
    size_t len = 0;
    long end = monotonic_ms() + timeout_ms;
    if (access(argv[0], X_OK) != 0) {
        snprintf(err, err_len, "simulated board %s: %s (build it with `make sim-board`, or give "
                 "--sim-board PATH)", argv[0], strerror(errno));
        return -1;
    }
    if (pipe2(fd, O_CLOEXEC) < 0) {
        snprintf(err, err_len, "pipe: %s", strerror(errno));
        return -1;
    }
    pid = fork();
    if (pid < 0) {
        snprintf(err, err_len, "fork: %s", strerror(errno));
        close(fd[0]);
        close(fd[1]);
        return -1;
    }
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGTERM);   /* never outlive host/run, however it ends */
        dup2(fd[1], 1);
        execv(argv[0], (char *const *)argv);
        fprintf(stderr, "run: cannot start %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    close(fd[1]);
    for (;;) {
        struct pollfd pfd = { .fd = fd[0], .events = POLLIN };
        long left = end - monotonic_ms();
        ssize_t r;
        char *nl, *p;
        if (left <= 0) {
            snprintf(err, err_len, "simulated board %s printed no /dev/pts/N within %.1f s",
                     argv[0], timeout_ms / 1000.0);
            break;
        }
        if (poll(&pfd, 1, (int)left) <= 0)
            continue;
        r = read(fd[0], line + len, sizeof line - 1 - len);
        if (r <= 0) {
            if (waitpid(pid, &status, 0) == pid && WIFEXITED(status))
                snprintf(err, err_len, "simulated board %s exited with status %d before "
                         "naming its pty", argv[0], WEXITSTATUS(status));
            else
                snprintf(err, err_len, "simulated board %s died before naming its pty", argv[0]);
            close(fd[0]);
            return -1;
        }
        len += (size_t)r;
        line[len] = '\0';
        while ((nl = strchr(line, '\n')) != NULL) {
            *nl = '\0';
            p = strstr(line, "/dev/pts/");
            if (p != NULL) {
                p[strcspn(p, " \t\r")] = '\0';
                snprintf(pts, pts_len, "%s", p);
                /* kept open (drained by the caller) so later board output never hits EPIPE */
                fcntl(fd[0], F_SETFL, O_NONBLOCK);
                *out_fd = fd[0];
                return pid;
            }
            {
                size_t used = (size_t)(nl + 1 - line);
                memmove(line, nl + 1, len - used + 1);
                len -= used;
            }
        }
        if (len >= sizeof line - 1)
            len = 0;
    }
    close(fd[0]);
    sim_board_stop(pid);
    return -1;
}

void sim_board_stop(pid_t pid)
{
    int i, status;
    if (pid <= 0)
        return;
    kill(pid, SIGTERM);
    for (i = 0; i < 200; i++) {
        if (waitpid(pid, &status, WNOHANG) == pid)
            return;
        usleep(10000);
    }
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
}
