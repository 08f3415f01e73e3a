/* main_core.c: the firmware's main loop on the embedded core.  fw_poll handles every
 * pending event; with nothing to do the core spins on it, since the event FIFO is polled
 * through the CSR window and the core has no interrupt wired to it yet. */
#include "fw.h"

int main(void)
{
    fw_init();
    for (;;)
        (void)fw_poll();
}
