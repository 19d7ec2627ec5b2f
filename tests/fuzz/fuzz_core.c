/* Fuzz target: the ELF core parsers, the analyzer's (analyze/core.c: program
 * headers, notes, memory reads) and the capture's (corecollect/elfinfo.c:
 * the head of the kernel's stream). Promise: no crash, no hang, only the
 * documented errors. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core.h"
#include "elfinfo.h"
#include "input.h"
#include "io.h"

static void capture_head(const uint8_t *data, size_t size)
{
        uint64_t need;
        int r = core_head_need(data, size, &need);
        if (r < 0) {
                if (r != -EAGAIN && r != -EBADMSG)
                        abort();
                return;
        }
        struct core_head h;
        r = core_head_parse(data, size, &h);
        if (r == 0) {
                for (size_t i = 1; i < h.n_segs; i++)
                        if (h.segs[i - 1].offset > h.segs[i].offset)
                                abort(); /* promised sorted */
                core_head_free(&h);
        } else if (r != -EAGAIN && r != -EBADMSG && r != -ENOMEM) {
                abort();
        }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        capture_head(data, size);

        int fd = memfd_create("fuzz-core", MFD_CLOEXEC);
        if (fd < 0 || write_full(fd, data, size) < 0) {
                if (fd >= 0)
                        close(fd);
                return 0;
        }
        char path[64];
        snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
        struct input *in = NULL;
        const char *why = NULL;
        int r = input_open(path, 1 << 20, &in, &why);
        close(fd);
        if (r < 0) {
                if (r != -EBADMSG && r != -ENOMEM && r != -EFBIG)
                        abort();
                return 0;
        }
        struct core *c = NULL;
        r = core_load(in, &c, &why);
        if (r == 0) {
                uint8_t buf[256];
                for (size_t i = 0; i < c->n_segs && i < 64; i++) {
                        ssize_t n = core_read_mem(c, c->segs[i].vaddr, buf, sizeof(buf));
                        if (n < 0 || (size_t)n > sizeof(buf))
                                abort();
                        (void)core_segment_at(c, c->segs[i].vaddr + c->segs[i].memsz / 2);
                }
                for (size_t i = 0; i < c->n_maps; i++)
                        if (!c->maps[i].path || strlen(c->maps[i].path) > size)
                                abort();
                (void)core_auxv(c, 9, NULL);
                core_free(c);
        } else if (r != -EBADMSG && r != -ENOMEM) {
                abort();
        }
        input_free(in);
        return 0;
}
