/* qmp.c: see qmp.h.  QMP is line-oriented JSON; the bridge only needs to know whether an
 * answer is a "return", an "error" or the greeting, so it looks for those keys. */
#define _DEFAULT_SOURCE
#include "qmp.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

enum { ST_IDLE, ST_GREETING, ST_CAPS, ST_RESULT };

void qmp_link_init(struct qmp_link *q, const char *path, const char *netdev)
{
    memset(q, 0, sizeof *q);
    q->path = path;
    q->netdev = netdev;
    q->fd = -1;
}

void qmp_link_close(struct qmp_link *q)
{
    if (q->fd >= 0)
        close(q->fd);
    q->fd = -1;
    q->stage = ST_IDLE;
    q->have = 0;
}

int qmp_link_fd(const struct qmp_link *q) { return q->fd; }

static int say(struct qmp_link *q, const char *msg)
{
    size_t len = strlen(msg);
    return send(q->fd, msg, len, MSG_NOSIGNAL) == (ssize_t)len ? 0 : -1;
}

static void fail(struct qmp_link *q, const char *why)
{
    fprintf(stderr, "vionic-vdpa: QMP %s: %s\n", q->path, why);
    q->failed++;
    qmp_link_close(q);
}

static void start(struct qmp_link *q)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    if (strlen(q->path) >= sizeof sa.sun_path || strpbrk(q->netdev, "\"\\")) {
        q->pending = false;
        fail(q, "bad socket path or netdev name");
        return;
    }
    memcpy(sa.sun_path, q->path, strlen(q->path) + 1);
    q->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (q->fd < 0 || connect(q->fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
        q->pending = false;
        fail(q, strerror(errno));
        return;
    }
    q->stage = ST_GREETING;
}

void qmp_link_request(struct qmp_link *q, bool up)
{
    q->pending = true;
    q->want_up = up;
    if (q->fd < 0)
        start(q);
}

/* One answer line: move on. */
static void on_line(struct qmp_link *q, const char *line)
{
    bool err = strstr(line, "\"error\"") != NULL;
    bool ok = strstr(line, "\"return\"") != NULL || strstr(line, "\"QMP\"") != NULL;
    if (!err && !ok)
        return; /* an event */
    if (err) {
        fail(q, line);
        return;
    }
    switch (q->stage) {
    case ST_GREETING:
        q->stage = ST_CAPS;
        if (say(q, "{\"execute\":\"qmp_capabilities\"}\n"))
            fail(q, "send failed");
        return;
    case ST_CAPS:
    case ST_RESULT:
        if (q->stage == ST_RESULT)
            q->done++;
        if (!q->pending) {
            qmp_link_close(q);
            return;
        }
        char cmd[200];
        snprintf(cmd, sizeof cmd,
                 "{\"execute\":\"set_link\",\"arguments\":{\"name\":\"%s\",\"up\":%s}}\n",
                 q->netdev, q->want_up ? "true" : "false");
        q->pending = false;
        q->stage = ST_RESULT;
        if (say(q, cmd))
            fail(q, "send failed");
        return;
    }
}

void qmp_link_io(struct qmp_link *q)
{
    while (q->fd >= 0) {
        ssize_t n = read(q->fd, q->buf + q->have, sizeof q->buf - 1 - q->have);
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        if (n <= 0) {
            fail(q, n == 0 ? "QEMU closed the connection" : strerror(errno));
            return;
        }
        q->have += (size_t)n;
        q->buf[q->have] = '\0';
        char *nl;
        while (q->fd >= 0 && (nl = strchr(q->buf, '\n'))) {
            *nl = '\0';
            on_line(q, q->buf);
            size_t used = (size_t)(nl + 1 - q->buf);
            if (q->fd < 0)
                return;
            memmove(q->buf, nl + 1, q->have - used + 1);
            q->have -= used;
        }
        if (q->have == sizeof q->buf - 1)
            q->have = 0; /* an overlong line (an event): not an answer */
    }
}
