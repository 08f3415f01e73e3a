#include <string.h>

#include "scenario.h"

const struct scenario vn_scenarios[] = {
    {"demo", "bring the device up as Linux would, mixed-size traffic on every pair through "
             "the MAC loopback, every frame checked byte for byte (the default)", scen_traffic},
    {"bringup", "bring-up and teardown only: negotiation, queues, control queue", scen_bringup},
    {NULL, NULL, NULL},
};

const struct scenario *vn_scenario_find(const char *name)
{
    for (const struct scenario *s = vn_scenarios; s->name; s++)
        if (!strcmp(s->name, name))
            return s;
    return NULL;
}
