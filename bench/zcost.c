/* The CPU that zstd level 1 itself needs for a file: compresses FILE as one
 * stream on one thread, as `zstd -1 -T1` would, but from memory mapped and
 * populated before the clock starts and into a buffer that is thrown away,
 * so neither reading nor writing is counted. This is the least CPU any
 * handler must spend to store the core as small as zstd -1 does.
 *
 * usage: zcost FILE    prints "CPU_SECONDS COMPRESSED_BYTES"
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zstd.h>

int main(int argc, char **argv)
{
        if (argc != 2) {
                fprintf(stderr, "usage: %s FILE\n", argv[0]);
                return 64;
        }
        int fd = open(argv[1], O_RDONLY);
        struct stat st;
        if (fd < 0 || fstat(fd, &st) < 0 || st.st_size == 0) {
                perror(argv[1]);
                return 1;
        }
        const unsigned char *in = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
        ZSTD_CCtx *cctx = ZSTD_createCCtx();
        size_t cap = ZSTD_CStreamOutSize();
        unsigned char *out = malloc(cap);
        if (in == MAP_FAILED || !cctx || !out) {
                perror("zcost");
                return 1;
        }
        ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, 1);
        ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 1);
        ZSTD_CCtx_setPledgedSrcSize(cctx, (unsigned long long)st.st_size);
        struct timespec t0, t1;
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
        ZSTD_inBuffer ib = { in, (size_t)st.st_size, 0 };
        unsigned long long total = 0;
        size_t left;
        do {
                ZSTD_outBuffer ob = { out, cap, 0 };
                left = ZSTD_compressStream2(cctx, &ob, &ib, ZSTD_e_end);
                if (ZSTD_isError(left)) {
                        fprintf(stderr, "zcost: %s\n", ZSTD_getErrorName(left));
                        return 1;
                }
                total += ob.pos;
        } while (left != 0);
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1);
        printf("%.3f %llu\n", (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9, total);
        return 0;
}
