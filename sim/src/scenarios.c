#include <string.h>

#include "scenario.h"

const struct scenario vn_scenarios[] = {
    {"demo", "bring the device up as Linux would, mixed-size traffic on every pair through "
             "the MAC loopback, every frame checked byte for byte (the default)", scen_traffic},
    {"bringup", "bring-up and teardown only: negotiation, queues, control queue", scen_bringup},
    {"queue-reset", "traffic on every pair while each data queue in turn is reset, resized "
                    "(64, 1024, 256) and re-enabled; every frame received once or reclaimed",
     scen_qreset},
    {"queue-reset-random", "--resets N (default 1000) random queue resets and resizes and "
                           "device resets interleaved with traffic", scen_qreset_random},
    {"flash-boot", "firmware update end to end on the RV32 core: boot 0.1 from slot A, flash "
                   "vionic-fw-next.img (0.2) through the mailbox, activate, reboot, boot 0.2 "
                   "from slot B, then the demo traffic (always --firmware core)", scen_flash_boot},
    {"flash-powercut", "power cut at every phase of an update and activation (erase, program, "
                       "header commit, boot record); each time the core must boot a whole "
                       "image, and the update retried must succeed", scen_flash_powercut},
    {"coalesce", "notification coalescing: interrupts of the demo traffic without and with "
                 "RX_SET/TX_SET 32 packets/50 us, a lone frame's interrupt after max_usecs "
                 "(VQ_SET 1000/20 us), VQ_GET, fallback to RX_SET after a queue re-enable",
     scen_coalesce},
    {"rx-filter", "control queue RX mode, MAC table, MAC address and VLAN commands, each seen "
                  "on the RX path: delivered byte for byte or refused and counted", scen_rxfilter},
    {"rss", "--packets N flows (default 400) land on the queue and with the hash the Toeplitz "
            "reference and the indirection table say; the table rewritten under traffic "
            "loses nothing", scen_rss},
    {"csum", "TX checksum offload and RX checksum validation for TCP/UDP over IPv4/IPv6, "
             "checked by the testbench's own arithmetic", scen_csum},
    {"matrix", "negotiation matrix: every offered feature declined in turn (and none), on 1, 4 "
               "and the most queue pairs (--queues caps it); the demo's traffic byte for byte "
               "in each cell", scen_matrix},
    {"event-idx", "EVENT_IDX: an unconsumed frame is announced, used_event 5 ahead holds the "
                  "interrupt until the 6th; avail_event = the avail idx read last",
     scen_evidx},
    {NULL, NULL, NULL},
};

const struct scenario *vn_scenario_find(const char *name)
{
    for (const struct scenario *s = vn_scenarios; s->name; s++)
        if (!strcmp(s->name, name))
            return s;
    return NULL;
}
