/* FST tracing: the traced variant behaves like the plain one and writes its file; a
 * path that cannot be written fails vn_model_new with errno set.  argv[1]: a writable
 * directory for the waveform. */
#include <errno.h>
#include <stdio.h>

#include "model_test.h"

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s DIR\n", argv[0]);
        return 2;
    }
    char path[4096];
    snprintf(path, sizeof(path), "%s/test_model_trace.fst", argv[1]);
    remove(path);

    struct vn_model_cfg cfg = { .fst_path = path };
    vn_model *m = vn_model_new(&cfg);
    CHECK(m != NULL);
    if (!m)
        return t_finish("test_model_trace");
    CHECK_EQ(cfg_rd(m, VN_CFG_VENDOR_ID, 2), VN_PCI_VENDOR_ID);
    t_enable(m, 0);
    CHECK_EQ(bar_rd(m, VN_VENDOR_BASE + VN_VENDOR_VND_MAGIC, 4), VN_FW_ID_MAGIC);
    vn_model_step(m, 1000);
    vn_model_free(m);

    FILE *f = fopen(path, "rb");
    CHECK(f != NULL);
    if (f) {
        fseek(f, 0, SEEK_END);
        CHECK(ftell(f) > 100);
        fclose(f);
    }

    cfg.fst_path = "/nonexistent-dir/x.fst";
    errno = 0;
    m = vn_model_new(&cfg);
    CHECK(m == NULL);
    CHECK(errno != 0);
    if (m)
        vn_model_free(m);
    return t_finish("test_model_trace");
}
