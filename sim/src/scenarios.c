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
    {NULL, NULL, NULL},
};

const struct scenario *vn_scenario_find(const char *name)
{
    for (const struct scenario *s = vn_scenarios; s->name; s++)
        if (!strcmp(s->name, name))
            return s;
    return NULL;
}
