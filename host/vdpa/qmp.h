/* qmp: the one QEMU monitor command the bridge needs.  A vhost-user net back-end has no
 * channel to tell QEMU's virtio-net about link changes (QEMU owns that device's config
 * space), so the bridge forwards the device's link state with QMP `set_link`, the way an
 * operator would.  Non-blocking: QEMU may itself be waiting for the bridge (a link change
 * stops or starts its vhost rings), so the conversation advances from the bridge's poll
 * loop and never waits. */
#ifndef VDPA_QMP_H
#define VDPA_QMP_H

#include <stdbool.h>
#include <stddef.h>

struct qmp_link {
    const char *path, *netdev;
    int fd, stage;
    bool pending, want_up;   /* a request not yet sent */
    char buf[4096];
    size_t have;
    unsigned done, failed;   /* set_link commands answered / failed */
};

void qmp_link_init(struct qmp_link *q, const char *path, const char *netdev);
/* Ask for the link to be set; a newer request replaces one not yet sent. */
void qmp_link_request(struct qmp_link *q, bool up);
/* The fd to poll for input, or -1. */
int qmp_link_fd(const struct qmp_link *q);
/* Call when qmp_link_fd is readable (or after a request): advances the conversation. */
void qmp_link_io(struct qmp_link *q);
void qmp_link_close(struct qmp_link *q);

#endif
