/* fw_mbox.h: the firmware mailbox (VND_MBOX_* / FW_MBOX_*): firmware info and flash
 * update commands, one EVT_KIND_VENDOR event each (docs/firmware-update.md). */
#ifndef VN_FW_MBOX_H
#define VN_FW_MBOX_H

#include <stdbool.h>
#include <stdint.h>

void fw_mbox_init(void);
/* Runs MBOX_CMD_* cmd to completion and writes FW_MBOX_STATUS.  Returns false when the
 * command popped its own event (REBOOT: the core restarts before it could). */
bool fw_mbox_command(uint32_t cmd);

#endif
