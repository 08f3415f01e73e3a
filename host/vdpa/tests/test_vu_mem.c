/* vu_mem tests: guest RAM is a memfd mapped here as the front-end would map it; the
 * table describes it the way QEMU does for a PC (a hole at 0xa0000..0xc0000), so every
 * translation can be checked against bytes written through the front-end's mapping. */
#define _GNU_SOURCE /* memfd_create */

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "check.h"
#include "vu_mem.h"

#define RAM_SIZE 0x200000ull /* 2 MiB of "guest RAM" */
#define HOLE_LO 0xa0000ull
#define HOLE_HI 0xc0000ull
#define FE_UVA 0x7f1200000000ull /* the front-end's (made-up) address of guest RAM */

static int ram_fd;
static uint8_t *fe; /* the front-end's view of guest RAM */

static int new_memfd(const char *name, uint64_t size)
{
    int fd = memfd_create(name, MFD_CLOEXEC);
    if (fd < 0 || ftruncate(fd, (off_t)size) < 0) {
        perror("memfd");
        exit(2);
    }
    return fd;
}

static int dup_fd(int fd)
{
    int d = fcntl(fd, F_DUPFD_CLOEXEC, 0);
    if (d < 0) {
        perror("dup");
        exit(2);
    }
    return d;
}

static bool fd_closed(int fd)
{
    return fcntl(fd, F_GETFD) == -1 && errno == EBADF;
}

/* Mappings of our test memfds in this process (the front-end's own one included). */
static unsigned count_maps(const char *name)
{
    FILE *f = fopen("/proc/self/maps", "r");
    char line[512];
    unsigned n = 0;

    if (!f)
        return 0;
    while (fgets(line, sizeof line, f))
        if (strstr(line, name))
            n++;
    fclose(f);
    return n;
}

/* QEMU's pc.ram split: both regions come from one fd, the second at mmap_offset 0xc0000. */
static struct vu_memory pc_table(void)
{
    struct vu_memory t = {.nregions = 2};
    t.regions[0] = (struct vu_region){.guest_phys_addr = 0, .memory_size = HOLE_LO,
                                      .userspace_addr = FE_UVA, .mmap_offset = 0};
    t.regions[1] = (struct vu_region){.guest_phys_addr = HOLE_HI,
                                      .memory_size = RAM_SIZE - HOLE_HI,
                                      .userspace_addr = FE_UVA + HOLE_HI,
                                      .mmap_offset = HOLE_HI};
    return t;
}

static int set_pc(struct vu_mem *mm)
{
    struct vu_memory t = pc_table();
    int fds[2] = {dup_fd(ram_fd), dup_fd(ram_fd)};
    return vu_mem_set(mm, &t, fds, 2);
}

/* ---- tests -------------------------------------------------------------------------- */

static void test_translate(void)
{
    struct vu_mem mm;
    uint64_t gpa = 0;

    vu_mem_init(&mm);
    CHECK(vu_mem_gpa(&mm, 0x1000, 4) == NULL);
    CHECK_EQ(set_pc(&mm), 0);
    CHECK_EQ(mm.n, 2);

    /* front-end writes, back-end reads through the translation, and back */
    memcpy(fe + 0xc1234, "ring", 4);
    memcpy(fe + 0x1000, "low!", 4);
    memcpy(fe + RAM_SIZE - 4, "end.", 4);
    uint8_t *p = vu_mem_gpa(&mm, 0xc1234, 4);
    CHECK(p && memcmp(p, "ring", 4) == 0);
    p = vu_mem_gpa(&mm, 0x1000, 4);
    CHECK(p && memcmp(p, "low!", 4) == 0);
    p = vu_mem_gpa(&mm, RAM_SIZE - 4, 4);
    CHECK(p && memcmp(p, "end.", 4) == 0);
    p = vu_mem_gpa(&mm, HOLE_HI + 0x100, 3);
    if (p)
        memcpy(p, "dev", 3);
    CHECK(memcmp(fe + HOLE_HI + 0x100, "dev", 3) == 0);
    /* whole regions translate, to one contiguous pointer */
    CHECK(vu_mem_gpa(&mm, 0, HOLE_LO) != NULL);
    CHECK(vu_mem_gpa(&mm, HOLE_HI, RAM_SIZE - HOLE_HI) != NULL);
    CHECK(vu_mem_gpa(&mm, HOLE_HI, 0) != NULL);

    /* straddling a region end, in the hole, past the end, wrapping */
    CHECK(vu_mem_gpa(&mm, HOLE_LO - 2, 4) == NULL);
    CHECK(vu_mem_gpa(&mm, HOLE_LO - 4, 4) != NULL);
    CHECK(vu_mem_gpa(&mm, HOLE_LO, 1) == NULL);
    CHECK(vu_mem_gpa(&mm, 0xb0000, 16) == NULL);
    CHECK(vu_mem_gpa(&mm, 0xb0000, 0) == NULL);
    CHECK(vu_mem_gpa(&mm, HOLE_HI - 1, 2) == NULL);
    CHECK(vu_mem_gpa(&mm, 0, RAM_SIZE) == NULL);
    CHECK(vu_mem_gpa(&mm, RAM_SIZE - 1, 2) == NULL);
    CHECK(vu_mem_gpa(&mm, RAM_SIZE, 1) == NULL);
    CHECK(vu_mem_gpa(&mm, 0x1000, UINT64_MAX) == NULL);
    CHECK(vu_mem_gpa(&mm, UINT64_MAX, 2) == NULL);
    CHECK(vu_mem_gpa(&mm, UINT64_MAX - 1, 4) == NULL);

    /* front-end VAs (ring addresses) to guest physical */
    CHECK_EQ(vu_mem_uva_to_gpa(&mm, FE_UVA + HOLE_HI + 0x10, 64, &gpa), 0);
    CHECK_EQ(gpa, HOLE_HI + 0x10);
    CHECK_EQ(vu_mem_uva_to_gpa(&mm, FE_UVA + 0x40, 16, &gpa), 0);
    CHECK_EQ(gpa, 0x40);
    CHECK_EQ(vu_mem_uva_to_gpa(&mm, FE_UVA + 0xb0000, 16, &gpa), -EFAULT);
    CHECK_EQ(vu_mem_uva_to_gpa(&mm, FE_UVA + HOLE_LO - 8, 16, &gpa), -EFAULT);
    CHECK_EQ(vu_mem_uva_to_gpa(&mm, FE_UVA - 1, 1, &gpa), -EFAULT);
    CHECK_EQ(vu_mem_uva_to_gpa(&mm, FE_UVA + RAM_SIZE - 8, 16, &gpa), -EFAULT);

    vu_mem_clear(&mm);
    CHECK_EQ(mm.n, 0);
    CHECK(vu_mem_gpa(&mm, 0x1000, 4) == NULL);
}

static void test_refused_keeps_old(void)
{
    struct vu_mem mm;
    struct vu_memory t;
    int fds[VU_MAX_REGIONS];

    vu_mem_init(&mm);
    CHECK_EQ(set_pc(&mm), 0);
    uint8_t *before = vu_mem_gpa(&mm, 0xc1234, 4);
    CHECK(before != NULL);

    struct {
        const char *what;
        struct vu_region a, b;
        int want;
    } bad[] = {
        {"overlap", {0, 0x2000, FE_UVA, 0}, {0x1000, 0x2000, FE_UVA + 0x1000, 0x1000}, -EINVAL},
        {"same start", {0, 0x1000, FE_UVA, 0}, {0, 0x2000, FE_UVA, 0}, -EINVAL},
        {"zero size", {0, 0x1000, FE_UVA, 0}, {0x10000, 0, FE_UVA, 0}, -EINVAL},
        {"gpa wraps", {0, 0x1000, FE_UVA, 0}, {UINT64_MAX - 0xfff, 0x2000, FE_UVA, 0}, -EINVAL},
        {"uva wraps", {0, 0x1000, FE_UVA, 0}, {0x10000, 0x1000, UINT64_MAX - 0x10, 0}, -EINVAL},
        {"offset wraps", {0, 0x1000, FE_UVA, 0}, {0x10000, 0x1000, FE_UVA, UINT64_MAX}, -EINVAL},
        {"past file end", {0, 0x1000, FE_UVA, 0}, {0x10000, 0x1000, FE_UVA, RAM_SIZE}, -EINVAL},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        t = (struct vu_memory){.nregions = 2};
        t.regions[0] = bad[i].a;
        t.regions[1] = bad[i].b;
        fds[0] = dup_fd(ram_fd);
        fds[1] = dup_fd(ram_fd);
        int rc = vu_mem_set(&mm, &t, fds, 2);
        if (rc != bad[i].want)
            fprintf(stderr, "case %s: %d\n", bad[i].what, rc);
        CHECK_EQ(rc, bad[i].want);
        CHECK(fd_closed(fds[0]) && fd_closed(fds[1]));
        CHECK_EQ(mm.n, 2);
        CHECK(vu_mem_gpa(&mm, 0xc1234, 4) == before);
    }

    /* fd count mismatch, too many regions, a bad fd mid-table */
    t = pc_table();
    fds[0] = dup_fd(ram_fd);
    CHECK_EQ(vu_mem_set(&mm, &t, fds, 1), -EINVAL);
    CHECK(fd_closed(fds[0]));
    t.nregions = VU_MAX_REGIONS + 1;
    CHECK_EQ(vu_mem_set(&mm, &t, fds, 0), -EINVAL);
    t = pc_table();
    t.nregions = 3;
    t.regions[2] = (struct vu_region){0x400000, 0x1000, FE_UVA + 0x400000, 0};
    fds[0] = dup_fd(ram_fd);
    fds[1] = open("/dev/null", O_RDONLY | O_CLOEXEC); /* cannot be mapped shared RW */
    fds[2] = dup_fd(ram_fd);
    CHECK(vu_mem_set(&mm, &t, fds, 3) < 0);
    CHECK(fd_closed(fds[0]) && fd_closed(fds[1]) && fd_closed(fds[2]));
    CHECK_EQ(mm.n, 2);
    CHECK(vu_mem_gpa(&mm, 0xc1234, 4) == before);
    CHECK(vu_mem_gpa(&mm, 0x400000, 1) == NULL);

    /* a good replacement drops the old table */
    t = (struct vu_memory){.nregions = 1};
    t.regions[0] = (struct vu_region){0x100000000ull, RAM_SIZE, FE_UVA, 0};
    fds[0] = dup_fd(ram_fd);
    CHECK_EQ(vu_mem_set(&mm, &t, fds, 1), 0);
    CHECK(fd_closed(fds[0]));
    CHECK(vu_mem_gpa(&mm, 0xc1234, 4) == NULL);
    uint8_t *p = vu_mem_gpa(&mm, 0x100000000ull + 0xc1234, 4);
    CHECK(p && memcmp(p, "ring", 4) == 0);
    vu_mem_clear(&mm);
}

static void test_add_remove(void)
{
    struct vu_mem mm;
    int extra = new_memfd("vu_mem_test_extra", 0x10000);
    struct vu_region r = {.guest_phys_addr = 0x100000000ull, .memory_size = 0x8000,
                          .userspace_addr = 0x7f5500000000ull, .mmap_offset = 0x8000};
    uint64_t gpa;

    vu_mem_init(&mm);
    CHECK_EQ(set_pc(&mm), 0);
    CHECK(pwrite(extra, "hi", 2, 0x8010) == 2);
    int fd = dup_fd(extra);
    CHECK_EQ(vu_mem_add(&mm, &r, fd), 0);
    CHECK(fd_closed(fd));
    CHECK_EQ(mm.n, 3);
    uint8_t *p = vu_mem_gpa(&mm, 0x100000010ull, 2);
    CHECK(p && memcmp(p, "hi", 2) == 0);
    CHECK_EQ(vu_mem_uva_to_gpa(&mm, 0x7f5500000010ull, 2, &gpa), 0);
    CHECK_EQ(gpa, 0x100000010ull);
    p = vu_mem_gpa(&mm, 0xc1234, 4);
    CHECK(p && memcmp(p, "ring", 4) == 0);

    /* overlapping, and a bad region, are refused; the fd is closed regardless */
    struct vu_region ov = r;
    ov.guest_phys_addr = 0x100000000ull + 0x7000;
    fd = dup_fd(extra);
    CHECK_EQ(vu_mem_add(&mm, &ov, fd), -EINVAL);
    CHECK(fd_closed(fd));
    ov.guest_phys_addr = 0x90000;
    fd = dup_fd(extra);
    CHECK_EQ(vu_mem_add(&mm, &ov, fd), -EINVAL);
    CHECK(fd_closed(fd));
    ov = r;
    ov.guest_phys_addr = 0x200000000ull;
    ov.memory_size = 0;
    fd = dup_fd(extra);
    CHECK_EQ(vu_mem_add(&mm, &ov, fd), -EINVAL);
    CHECK(fd_closed(fd));
    CHECK_EQ(mm.n, 3);

    /* fill the table */
    for (unsigned i = 0; mm.n < VU_MAX_REGIONS; i++) {
        ov = r;
        ov.guest_phys_addr = 0x200000000ull + i * 0x100000ull;
        ov.userspace_addr = 0x7f6600000000ull + i * 0x100000ull;
        CHECK_EQ(vu_mem_add(&mm, &ov, dup_fd(extra)), 0);
    }
    ov.guest_phys_addr = 0x300000000ull;
    fd = dup_fd(extra);
    CHECK_EQ(vu_mem_add(&mm, &ov, fd), -ENOSPC);
    CHECK(fd_closed(fd));

    /* remove: by gpa and size */
    struct vu_region rm = r;
    rm.memory_size = 0x4000;
    CHECK_EQ(vu_mem_remove(&mm, &rm), -ENOENT);
    CHECK_EQ(vu_mem_remove(&mm, &r), 0);
    CHECK_EQ(mm.n, VU_MAX_REGIONS - 1);
    CHECK(vu_mem_gpa(&mm, 0x100000010ull, 2) == NULL);
    CHECK_EQ(vu_mem_uva_to_gpa(&mm, 0x7f5500000010ull, 2, &gpa), -EFAULT);
    CHECK_EQ(vu_mem_remove(&mm, &r), -ENOENT);
    p = vu_mem_gpa(&mm, 0xc1234, 4);
    CHECK(p && memcmp(p, "ring", 4) == 0);
    p = vu_mem_gpa(&mm, 0x200000010ull, 2);
    CHECK(p && memcmp(p, "hi", 2) == 0);

    /* every mapping goes away again */
    vu_mem_clear(&mm);
    CHECK_EQ(count_maps("vu_mem_test_extra"), 0);
    close(extra);
}

int main(void)
{
    ram_fd = new_memfd("vu_mem_test_ram", RAM_SIZE);
    fe = mmap(NULL, RAM_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, ram_fd, 0);
    if (fe == MAP_FAILED) {
        perror("mmap");
        return 2;
    }
    unsigned base_maps = count_maps("vu_mem_test_ram");

    test_translate();
    test_refused_keeps_old();
    test_add_remove();
    CHECK_EQ(count_maps("vu_mem_test_ram"), base_maps); /* nothing leaked */
    munmap(fe, RAM_SIZE);
    close(ram_fd);
    return check_report();
}
