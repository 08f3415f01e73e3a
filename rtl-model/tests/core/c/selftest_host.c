/* the host build of selftest(): prints the signature the core must produce */
#include <stdio.h>
#include <string.h>
#include "selftest.h"

int main(int argc, char **argv)
{
    if (argc > 1) {
        int help = strcmp(argv[1], "--help") == 0;
        fprintf(help ? stdout : stderr, "usage: core_selftest_ref\n"
                "Prints the signature of selftest() built for the host, in hex.\n");
        return help ? 0 : 2;
    }
    printf("0x%08x\n", (unsigned)selftest());
    return 0;
}
