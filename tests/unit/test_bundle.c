/* Bundle writer and reader: round trip, random access, interop with the zstd
 * and tar command-line tools, and rejection of corrupt input. Everything is
 * small (tens of KiB) and lives in memfds or a private temporary directory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zstd.h>

#include "io.h"
#include "reader.h"
#include "seektable.h"
#include "util.h"
#include "writer.h"

#define SMALL_FRAME 4096
#define BIG_SIZE 50000       /* spans ~13 frames of SMALL_FRAME */
#define CORE_SIZE 20000      /* streamed member, announced size */
#define CORE_WRITTEN 7000    /* bytes actually written before padding */

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

/* Deterministic xorshift so failures reproduce. */
static uint64_t rnd(void)
{
        rng_state ^= rng_state << 13;
        rng_state ^= rng_state >> 7;
        rng_state ^= rng_state << 17;
        return rng_state;
}

static int new_memfd(void)
{
        int fd = memfd_create("test-bundle", MFD_CLOEXEC);
        assert_true(fd >= 0);
        return fd;
}

static int memfd_with(const void *data, size_t len)
{
        int fd = new_memfd();
        if (len > 0)
                assert_int_equal(write_full(fd, data, len), 0);
        return fd;
}

/* Reads the whole of fd into a fresh buffer. */
static uint8_t *slurp_fd(int fd, size_t *ret_len)
{
        struct stat st;
        assert_int_equal(fstat(fd, &st), 0);
        uint8_t *buf = malloc((size_t)st.st_size + 1);
        assert_non_null(buf);
        ssize_t n = pread_full(fd, buf, (size_t)st.st_size, 0);
        assert_int_equal(n, st.st_size);
        *ret_len = (size_t)st.st_size;
        return buf;
}

/* Expected contents of each member of the sample bundle. */
struct sample {
        int fd;                 /* the bundle, in a memfd */
        uint8_t *file;          /* the bundle's bytes */
        size_t file_len;
        uint8_t *tar;           /* the whole tar stream, decompressed by libzstd alone */
        size_t tar_len;
        struct bundle_member members[8];
        size_t n_members;
        const char *names[8];
        uint8_t *data[8];
        size_t sizes[8];
        size_t frame_size;
};

static void sample_add_expected(struct sample *s, const char *name, const void *data, size_t len)
{
        size_t i = s->n_members++;
        assert_true(i < ELEMENTSOF(s->names));
        s->names[i] = name;
        s->data[i] = malloc(len + 1);
        assert_non_null(s->data[i]);
        if (len)
                memcpy(s->data[i], data, len);
        s->data[i][len] = '\0'; /* so text members compare as strings */
        s->sizes[i] = len;
}

/* Builds the sample bundle: a small member, an empty one, one spanning many
 * frames, a streamed one that is padded, and a small one after it. */
static int sample_workers; /* compression threads for sample_build */
static int sample_fd = -1; /* when >= 0, sample_build writes there (then owns it) */

static void sample_build(struct sample *s, size_t frame_size, size_t big_size)
{
        memset(s, 0, sizeof(*s));
        s->frame_size = frame_size;
        s->fd = sample_fd >= 0 ? sample_fd : new_memfd();
        sample_fd = -1;
        struct bundle_writer_options opts = { .frame_size = frame_size, .level = 3,
                                              .workers = sample_workers };
        struct bundle_writer *w = NULL;
        assert_int_equal(bundle_writer_new(s->fd, &opts, &w), 0);

        static const char meta[] = "{\"format\":1,\"pid\":1234,\"signal\":11}\n";
        assert_int_equal(bundle_writer_add(w, "meta.json", meta, strlen(meta), 1700000000), 0);
        sample_add_expected(s, "meta.json", meta, strlen(meta));

        assert_int_equal(bundle_writer_add(w, "proc/empty", "", 0, 0), 0);
        sample_add_expected(s, "proc/empty", "", 0);

        /* Poorly compressible so it really spans many compressed frames. */
        uint8_t *big = malloc(big_size);
        assert_non_null(big);
        for (size_t i = 0; i < big_size; i++)
                big[i] = (uint8_t)(rnd() >> 56);
        assert_int_equal(bundle_writer_add(w, "files/big", big, big_size, 0), 0);
        sample_add_expected(s, "files/big", big, big_size);

        /* Streamed: announce CORE_SIZE, write CORE_WRITTEN in uneven chunks,
         * pad the rest with zeros. */
        uint8_t *core = calloc(1, CORE_SIZE);
        assert_non_null(core);
        for (size_t i = 0; i < CORE_WRITTEN; i++)
                core[i] = (uint8_t)(i * 7 + 1);
        assert_int_equal(bundle_writer_begin(w, "core", CORE_SIZE, 0), 0);
        assert_int_equal(bundle_writer_remaining(w), CORE_SIZE);
        for (size_t off = 0, chunk = 1; off < CORE_WRITTEN; off += chunk, chunk = chunk * 3 + 1) {
                chunk = MIN(chunk, (size_t)CORE_WRITTEN - off);
                assert_int_equal(bundle_writer_write(w, core + off, chunk), 0);
        }
        assert_int_equal(bundle_writer_remaining(w), CORE_SIZE - CORE_WRITTEN);
        assert_int_equal(bundle_writer_pad(w), CORE_SIZE - CORE_WRITTEN);
        assert_int_equal(bundle_writer_remaining(w), 0);
        assert_int_equal(bundle_writer_end(w), 0);
        sample_add_expected(s, "core", core, CORE_SIZE);

        static const char idx[] = "{\"members\":[]}";
        assert_int_equal(bundle_writer_add(w, "index.json", idx, strlen(idx), 0), 0);
        sample_add_expected(s, "index.json", idx, strlen(idx));

        size_t n;
        const struct bundle_member *m = bundle_writer_members(w, &n);
        assert_int_equal(n, s->n_members);
        memcpy(s->members, m, n * sizeof(*m));

        assert_int_equal(bundle_writer_finish(w), 0);
        uint64_t tar_len = bundle_writer_offset(w);
        assert_int_equal(tar_len % TAR_BLOCK, 0);
        uint64_t compressed = bundle_writer_compressed(w);
        bundle_writer_free(w);
        free(big);
        free(core);

        s->file = slurp_fd(s->fd, &s->file_len);
        /* The frames come first, then the seek table. */
        assert_true(s->file_len > compressed);

        /* libzstd alone (skipping the seek table's skippable frame) must
         * reproduce the whole tar stream. */
        s->tar_len = (size_t)tar_len;
        s->tar = malloc(s->tar_len + 1);
        assert_non_null(s->tar);
        size_t got = ZSTD_decompress(s->tar, s->tar_len + 1, s->file, s->file_len);
        assert_false(ZSTD_isError(got));
        assert_int_equal(got, s->tar_len);
}

static void sample_free(struct sample *s)
{
        if (s->fd >= 0)
                close(s->fd);
        free(s->file);
        free(s->tar);
        for (size_t i = 0; i < s->n_members; i++)
                free(s->data[i]);
}

static struct bundle_reader *open_sample(const struct sample *s)
{
        struct bundle_reader *r = NULL;
        int fd = fcntl(s->fd, F_DUPFD_CLOEXEC, 3);
        assert_true(fd >= 0);
        assert_int_equal(bundle_reader_open_fd(fd, &r), 0);
        assert_non_null(r);
        return r;
}

static void test_round_trip(void **state)
{
        struct sample s;
        sample_build(&s, SMALL_FRAME, BIG_SIZE);

        /* The writer's member table agrees with what it was given. */
        uint64_t off = 0;
        for (size_t i = 0; i < s.n_members; i++) {
                assert_string_equal(s.members[i].name, s.names[i]);
                assert_int_equal(s.members[i].size, s.sizes[i]);
                assert_int_equal(s.members[i].header_offset, off);
                assert_int_equal(s.members[i].offset, off + TAR_BLOCK);
                /* and the bytes sit where it says in the real tar stream */
                if (s.sizes[i])
                        assert_memory_equal(s.tar + s.members[i].offset, s.data[i], s.sizes[i]);
                off += TAR_BLOCK + s.sizes[i] + tar_padding(s.sizes[i]);
        }
        /* end of archive: two zero blocks */
        assert_int_equal(s.tar_len, off + 2 * TAR_BLOCK);

        struct bundle_reader *r = open_sample(&s);
        assert_int_equal(bundle_reader_size(r), s.tar_len);
        assert_int_equal(bundle_reader_frames(r), (s.tar_len + SMALL_FRAME - 1) / SMALL_FRAME);
        assert_true(bundle_reader_frames(r) > 10);
        assert_int_equal(bundle_reader_decompressions(r), 0);

        const struct bundle_member *m;
        size_t n;
        assert_int_equal(bundle_reader_members(r, &m, &n), 0);
        assert_int_equal(n, s.n_members);
        for (size_t i = 0; i < n; i++) {
                assert_string_equal(m[i].name, s.members[i].name);
                assert_int_equal(m[i].size, s.members[i].size);
                assert_int_equal(m[i].offset, s.members[i].offset);
                assert_int_equal(m[i].header_offset, s.members[i].header_offset);

                char *buf = NULL;
                size_t len = 12345;
                assert_int_equal(bundle_reader_read_member(r, s.names[i], 1 << 20, &buf, &len), 0);
                assert_int_equal(len, s.sizes[i]);
                if (len)
                        assert_memory_equal(buf, s.data[i], len);
                assert_int_equal(buf[len], '\0');
                free(buf);

                const struct bundle_member *f = NULL;
                assert_int_equal(bundle_reader_find(r, s.names[i], &f), 0);
                assert_ptr_equal(f, &m[i]);
        }

        const struct bundle_member *f = NULL;
        assert_int_equal(bundle_reader_find(r, "nope", &f), -ENOENT);
        char *buf = NULL;
        assert_int_equal(bundle_reader_read_member(r, "files/big", BIG_SIZE - 1, &buf, NULL),
                         -EFBIG);
        assert_null(buf);
        assert_int_equal(bundle_reader_read_member(r, "files/big", BIG_SIZE, &buf, NULL), 0);
        assert_memory_equal(buf, s.data[2], BIG_SIZE);
        free(buf);

        bundle_reader_free(r);
        sample_free(&s);
}

/* Compression threads change nothing in the file: frames are independent and
 * written in order, so the bundle is byte-identical to the inline one, and it
 * reads back the same. */
static void test_workers_identical(void **state)
{
        struct sample a, b;
        uint64_t seed = rng_state;
        sample_workers = 0;
        sample_build(&a, 4096, 100000);
        rng_state = seed; /* the same random member */
        sample_workers = 3;
        sample_build(&b, 4096, 100000);
        sample_workers = 0;
        assert_int_equal(a.file_len, b.file_len);
        assert_memory_equal(a.file, b.file, a.file_len);
        sample_free(&a);
        sample_free(&b);
        sample_workers = 3;
        test_round_trip(state);
        sample_workers = 0;
}

/* A file with O_DIRECT (as the capture writes its bundle) gets the same
 * bytes, written in aligned chunks, with the unaligned tail at the end and
 * O_DIRECT cleared for it; several MiB so that whole chunks go out. Skipped
 * where the file system of TEST_TMPDIR has no O_DIRECT (tmpfs). */
static void test_direct_identical(void **state)
{
        const char *dir = getenv("TEST_TMPDIR");
        int fd = open(dir && *dir ? dir : "/var/tmp", O_TMPFILE | O_RDWR | O_CLOEXEC | O_DIRECT, 0600);
        if (fd < 0)
                skip();
        struct sample a, b;
        uint64_t seed = rng_state;
        sample_build(&a, 1 << 20, 5 << 20);
        rng_state = seed;
        sample_fd = fd;
        sample_build(&b, 1 << 20, 5 << 20);
        assert_false(fcntl(b.fd, F_GETFL) & O_DIRECT); /* cleared for the tail */
        assert_true(b.file_len > 5 << 20 && b.file_len % 4096 != 0);
        assert_int_equal(a.file_len, b.file_len);
        assert_memory_equal(a.file, b.file, a.file_len);
        sample_free(&a);
        sample_free(&b);
}

static void test_open_path(void **state)
{
        struct sample s;
        sample_build(&s, SMALL_FRAME, BIG_SIZE);
        char path[64];
        snprintf(path, sizeof(path), "/proc/self/fd/%d", s.fd);
        struct bundle_reader *r = NULL;
        assert_int_equal(bundle_reader_open(path, &r), 0);
        char *buf = NULL;
        assert_int_equal(bundle_reader_read_member(r, "meta.json", 4096, &buf, NULL), 0);
        assert_string_equal(buf, (const char *)s.data[0]);
        free(buf);
        bundle_reader_free(r);

        assert_int_equal(bundle_reader_open("/nonexistent/coreinspect/bundle.zst", &r), -ENOENT);
        sample_free(&s);
}

static void test_default_frame_size(void **state)
{
        /* No options at all: defaults apply and the result reads back. */
        int fd = new_memfd();
        struct bundle_writer *w = NULL;
        assert_int_equal(bundle_writer_new(fd, NULL, &w), 0);
        assert_int_equal(bundle_writer_add(w, "a", "hello", 5, 0), 0);
        assert_int_equal(bundle_writer_finish(w), 0);
        bundle_writer_free(w);

        struct bundle_reader *r = NULL;
        assert_int_equal(bundle_reader_open_fd(fd, &r), 0);
        assert_int_equal(bundle_reader_frames(r), 1);
        char *buf = NULL;
        assert_int_equal(bundle_reader_read_member(r, "a", 100, &buf, NULL), 0);
        assert_string_equal(buf, "hello");
        free(buf);
        bundle_reader_free(r);
}

static void test_empty_bundle(void **state)
{
        int fd = new_memfd();
        struct bundle_writer *w = NULL;
        assert_int_equal(bundle_writer_new(fd, NULL, &w), 0);
        assert_int_equal(bundle_writer_finish(w), 0);
        assert_int_equal(bundle_writer_offset(w), 2 * TAR_BLOCK);
        bundle_writer_free(w);

        struct bundle_reader *r = NULL;
        assert_int_equal(bundle_reader_open_fd(fd, &r), 0);
        const struct bundle_member *m;
        size_t n = 99;
        assert_int_equal(bundle_reader_members(r, &m, &n), 0);
        assert_int_equal(n, 0);
        assert_int_equal(bundle_reader_size(r), 2 * TAR_BLOCK);
        bundle_reader_free(r);
}

static void test_writer_misuse(void **state)
{
        int fd = new_memfd();
        struct bundle_writer_options opts = { .frame_size = 1024 };
        struct bundle_writer *w = NULL;
        assert_int_equal(bundle_writer_new(fd, &opts, &w), 0);

        char name[TAR_NAME_MAX + 2];
        memset(name, 'n', sizeof(name) - 1);
        name[sizeof(name) - 1] = '\0';
        assert_int_equal(bundle_writer_add(w, name, "x", 1, 0), -ENAMETOOLONG);
        name[TAR_NAME_MAX] = '\0'; /* exactly TAR_NAME_MAX fits */
        assert_int_equal(bundle_writer_add(w, name, "x", 1, 0), 0);

        assert_int_equal(bundle_writer_write(w, "x", 1), -EINVAL); /* no open member */
        assert_int_equal(bundle_writer_end(w), -EINVAL);
        assert_int_equal(bundle_writer_pad(w), -EINVAL);
        assert_int_equal(bundle_writer_remaining(w), 0);

        assert_int_equal(bundle_writer_begin(w, "s", 10, 0), 0);
        assert_int_equal(bundle_writer_begin(w, "t", 10, 0), -EBUSY);
        assert_int_equal(bundle_writer_write(w, "0123456789A", 11), -EFBIG);
        assert_int_equal(bundle_writer_write(w, "01234", 5), 0);
        assert_int_equal(bundle_writer_end(w), -EBADFD);
        assert_int_equal(bundle_writer_finish(w), -EBUSY);
        assert_int_equal(bundle_writer_write(w, "56789", 5), 0);
        assert_int_equal(bundle_writer_pad(w), 0);
        assert_int_equal(bundle_writer_end(w), 0);
        assert_int_equal(bundle_writer_finish(w), 0);
        assert_int_equal(bundle_writer_finish(w), -EALREADY);
        assert_int_equal(bundle_writer_begin(w, "late", 1, 0), -EBUSY);
        bundle_writer_free(w);

        /* What was written before the misuse is intact. */
        struct bundle_reader *r = NULL;
        assert_int_equal(bundle_reader_open_fd(fd, &r), 0);
        const struct bundle_member *m;
        size_t n;
        assert_int_equal(bundle_reader_members(r, &m, &n), 0);
        assert_int_equal(n, 2);
        assert_string_equal(m[0].name, name);
        char *buf = NULL;
        assert_int_equal(bundle_reader_read_member(r, "s", 100, &buf, NULL), 0);
        assert_string_equal(buf, "0123456789");
        free(buf);
        bundle_reader_free(r);
}

static void test_random_access(void **state)
{
        struct sample s;
        sample_build(&s, SMALL_FRAME, BIG_SIZE);
        struct bundle_reader *r = open_sample(&s);
        size_t cap = 3 * SMALL_FRAME + 17;
        uint8_t *buf = malloc(cap);
        assert_non_null(buf);

        for (int i = 0; i < 2000; i++) {
                uint64_t off = rnd() % (s.tar_len + 64); /* some past the end */
                size_t len = (size_t)(rnd() % cap);
                if (i % 10 == 0) /* straddle a frame boundary on purpose */
                        off = (rnd() % (s.tar_len / SMALL_FRAME)) * SMALL_FRAME + SMALL_FRAME -
                              (rnd() % 8) - 1;
                ssize_t n = bundle_reader_pread(r, buf, len, off);
                size_t want = off >= s.tar_len ? 0 : (size_t)MIN((uint64_t)len, s.tar_len - off);
                assert_int_equal(n, want);
                if (want)
                        assert_memory_equal(buf, s.tar + off, want);
        }

        /* The whole stream in one read. */
        uint8_t *all = malloc(s.tar_len + 100);
        assert_non_null(all);
        assert_int_equal(bundle_reader_pread(r, all, s.tar_len + 100, 0), s.tar_len);
        assert_memory_equal(all, s.tar, s.tar_len);
        assert_int_equal(bundle_reader_pread(r, all, 10, s.tar_len), 0);
        assert_int_equal(bundle_reader_pread(r, all, 0, 5), 0);
        free(all);
        free(buf);
        bundle_reader_free(r);
        sample_free(&s);
}

static void test_decompresses_only_needed_frames(void **state)
{
        struct sample s;
        sample_build(&s, SMALL_FRAME, BIG_SIZE);
        struct bundle_reader *r = open_sample(&s);
        size_t frames = bundle_reader_frames(r);
        assert_true(frames > 3);

        uint8_t b;
        assert_int_equal(bundle_reader_pread(r, &b, 1, s.tar_len - 1), 1);
        assert_int_equal(b, s.tar[s.tar_len - 1]);
        assert_int_equal(bundle_reader_decompressions(r), 1);
        /* again: served from the cache */
        assert_int_equal(bundle_reader_pread(r, &b, 1, s.tar_len - 2), 1);
        assert_int_equal(bundle_reader_decompressions(r), 1);
        /* a byte in frame 0 costs one more */
        assert_int_equal(bundle_reader_pread(r, &b, 1, 0), 1);
        assert_int_equal(b, s.tar[0]);
        assert_int_equal(bundle_reader_decompressions(r), 2);
        /* straddling frames 1 and 2 decompresses exactly those two */
        uint8_t two[8];
        assert_int_equal(bundle_reader_pread(r, two, 8, 2 * SMALL_FRAME - 4), 8);
        assert_memory_equal(two, s.tar + 2 * SMALL_FRAME - 4, 8);
        assert_int_equal(bundle_reader_decompressions(r), 4);

        /* Reading one member in the middle of the big one touches only its
         * frame, once the member list is known. */
        bundle_reader_free(r);
        r = open_sample(&s);
        const struct bundle_member *m;
        assert_int_equal(bundle_reader_find(r, "index.json", &m), 0);
        uint64_t walked = bundle_reader_decompressions(r);
        /* the walk reads headers only: fewer frames than the whole stream */
        assert_true(walked < frames);
        assert_int_equal(bundle_reader_pread(r, &b, 1, s.members[2].offset + BIG_SIZE / 2), 1);
        assert_int_equal(b, s.data[2][BIG_SIZE / 2]);
        assert_int_equal(bundle_reader_decompressions(r), walked + 1);
        bundle_reader_free(r);
        sample_free(&s);
}

/* Offset in the file of compressed frame k. */
static size_t frame_file_offset(const struct sample *s, size_t k)
{
        size_t off = 0;
        for (size_t i = 0; i < k; i++) {
                size_t n = ZSTD_findFrameCompressedSize(s->file + off, s->file_len - off);
                assert_false(ZSTD_isError(n));
                off += n;
        }
        return off;
}

static void test_cache_after_bad_frame(void **state)
{
        /* A corrupt frame must not make the cache forget good frames: after
         * filling the cache with frames 0..7 and failing on frame 10, frames
         * still cached are served without decompressing again. */
        struct sample s;
        sample_build(&s, SMALL_FRAME, BIG_SIZE);
        uint8_t *buf = malloc(s.file_len);
        assert_non_null(buf);
        memcpy(buf, s.file, s.file_len);
        size_t f10 = frame_file_offset(&s, 10);
        buf[f10 + 100] ^= 0x55;
        struct bundle_reader *r = NULL;
        assert_int_equal(bundle_reader_open_fd(memfd_with(buf, s.file_len), &r), 0);
        uint8_t b;
        for (size_t k = 0; k < 8; k++) {
                assert_int_equal(bundle_reader_pread(r, &b, 1, k * SMALL_FRAME + 1), 1);
                assert_int_equal(b, s.tar[k * SMALL_FRAME + 1]);
        }
        assert_int_equal(bundle_reader_decompressions(r), 8);
        assert_int_equal(bundle_reader_pread(r, &b, 1, 10 * SMALL_FRAME + 1), -EBADMSG);
        /* frame 0 was the least recently used, so it made room for 10 */
        for (size_t k = 1; k < 8; k++) {
                assert_int_equal(bundle_reader_pread(r, &b, 1, k * SMALL_FRAME + 2), 1);
                assert_int_equal(b, s.tar[k * SMALL_FRAME + 2]);
        }
        assert_int_equal(bundle_reader_decompressions(r), 8);
        /* the failure is not cached either: it fails again */
        assert_int_equal(bundle_reader_pread(r, &b, 1, 10 * SMALL_FRAME + 1), -EBADMSG);
        bundle_reader_free(r);
        free(buf);
        sample_free(&s);
}

/* Runs cmd through sh; returns its exit status or -1. */
static int run(const char *cmd)
{
        int st = system(cmd);
        if (st == -1 || !WIFEXITED(st))
                return -1;
        return WEXITSTATUS(st);
}

static void test_interop_cli(void **state)
{
        if (run("command -v zstd >/dev/null 2>&1 && command -v tar >/dev/null 2>&1") != 0)
                skip();
        struct sample s;
        sample_build(&s, SMALL_FRAME, BIG_SIZE);

        const char *tmp = getenv("TMPDIR");
        char dir[256];
        snprintf(dir, sizeof(dir), "%s/coreinspect-test-XXXXXX", tmp && *tmp ? tmp : "/tmp");
        assert_non_null(mkdtemp(dir));
        char path[512], cmd[2048];
        snprintf(path, sizeof(path), "%s/bundle.zst", dir);
        int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        assert_true(fd >= 0);
        assert_int_equal(write_full(fd, s.file, s.file_len), 0);
        close(fd);

        /* zstd -d gives back exactly the tar stream (the seek table is a
         * skippable frame it ignores). */
        snprintf(cmd, sizeof(cmd), "zstd -q -d -c '%s' > '%s/out.tar'", path, dir);
        assert_int_equal(run(cmd), 0);
        snprintf(path, sizeof(path), "%s/out.tar", dir);
        fd = open(path, O_RDONLY | O_CLOEXEC);
        assert_true(fd >= 0);
        size_t len;
        uint8_t *out = slurp_fd(fd, &len);
        close(fd);
        assert_int_equal(len, s.tar_len);
        assert_memory_equal(out, s.tar, len);
        free(out);

        /* tar lists the members in order */
        snprintf(cmd, sizeof(cmd), "tar --zstd -tf '%s/bundle.zst' > '%s/list'", dir, dir);
        assert_int_equal(run(cmd), 0);
        snprintf(path, sizeof(path), "%s/list", dir);
        fd = open(path, O_RDONLY | O_CLOEXEC);
        assert_true(fd >= 0);
        char *list = (char *)slurp_fd(fd, &len);
        close(fd);
        list[len] = '\0';
        struct strbuf want;
        strbuf_init(&want);
        for (size_t i = 0; i < s.n_members; i++)
                strbuf_printf(&want, "%s\n", s.names[i]);
        assert_string_equal(list, want.data);
        strbuf_free(&want);
        free(list);

        /* tar extracts a padded streamed member and a multi-frame one intact */
        snprintf(cmd, sizeof(cmd),
                 "mkdir '%s/x' && tar --zstd -xf '%s/bundle.zst' -C '%s/x'", dir, dir, dir);
        assert_int_equal(run(cmd), 0);
        for (size_t i = 2; i < 4; i++) {
                snprintf(path, sizeof(path), "%s/x/%s", dir, s.names[i]);
                fd = open(path, O_RDONLY | O_CLOEXEC);
                assert_true(fd >= 0);
                out = slurp_fd(fd, &len);
                close(fd);
                assert_int_equal(len, s.sizes[i]);
                assert_memory_equal(out, s.data[i], len);
                free(out);
        }

        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
        assert_int_equal(run(cmd), 0);
        sample_free(&s);
}

/* Opens data as a bundle, walks the members and reads each one whole. Returns
 * 0 and sets *ret_same when everything worked (and whether the contents are
 * those of s), or the first error. Never leaks. */
static int try_bundle(const void *data, size_t len, const struct sample *s, bool *ret_same)
{
        struct bundle_reader *r = NULL;
        int e = bundle_reader_open_fd(memfd_with(data, len), &r);
        if (e < 0)
                return e;
        const struct bundle_member *m;
        size_t n;
        bool same = true;
        e = bundle_reader_members(r, &m, &n);
        if (e >= 0 && s && n != s->n_members)
                same = false;
        for (size_t i = 0; e >= 0 && i < n; i++) {
                char *buf = NULL;
                size_t blen = 0;
                e = bundle_reader_read_member(r, m[i].name, 1 << 20, &buf, &blen);
                if (e >= 0 && s && same &&
                    (strcmp(m[i].name, s->names[i]) != 0 || blen != s->sizes[i] ||
                     memcmp(buf, s->data[i], blen) != 0))
                        same = false;
                free(buf);
        }
        /* and the rest of the stream (padding, end blocks) */
        if (e >= 0) {
                uint8_t tmp[4096];
                for (uint64_t off = 0; off < bundle_reader_size(r); off += sizeof(tmp)) {
                        ssize_t k = bundle_reader_pread(r, tmp, sizeof(tmp), off);
                        if (k < 0) {
                                e = (int)k;
                                break;
                        }
                        if (s && (off >= s->tar_len ||
                                  memcmp(tmp, s->tar + off, (size_t)k) != 0))
                                same = false;
                }
                if (s && bundle_reader_size(r) != s->tar_len)
                        same = false;
        }
        bundle_reader_free(r);
        if (e < 0)
                return e;
        if (ret_same)
                *ret_same = same;
        return 0;
}

static void test_truncated(void **state)
{
        struct sample s;
        sample_build(&s, 1024, 3000);
        bool same;
        assert_int_equal(try_bundle(s.file, s.file_len, &s, &same), 0);
        assert_true(same);
        /* every strict prefix of the file is rejected */
        for (size_t len = 0; len < s.file_len; len += (len < 64 || s.file_len - len < 256) ? 1 : 37)
                assert_int_equal(try_bundle(s.file, len, &s, NULL), -EBADMSG);
        sample_free(&s);
}

/* A bundle whose seek table footer sits right at the end, and where a chunk
 * in the middle (here: the whole seek table) has been dropped or appended. */
static void test_trailing_and_missing(void **state)
{
        struct sample s;
        sample_build(&s, 1024, 3000);
        uint8_t *buf = malloc(s.file_len + 16);
        assert_non_null(buf);
        memcpy(buf, s.file, s.file_len);
        memset(buf + s.file_len, 0, 16);
        /* junk appended after the footer */
        assert_int_equal(try_bundle(buf, s.file_len + 16, &s, NULL), -EBADMSG);
        /* a frame dropped from the front: sizes no longer add up */
        size_t first = ZSTD_findFrameCompressedSize(s.file, s.file_len);
        assert_false(ZSTD_isError(first));
        assert_int_equal(try_bundle(s.file + first, s.file_len - first, &s, NULL), -EBADMSG);
        free(buf);
        sample_free(&s);
}

/* Offset of the seek table's skippable frame in the file. */
static size_t seektable_start(const struct sample *s)
{
        size_t off = 0;
        for (;;) {
                size_t n = ZSTD_findFrameCompressedSize(s->file + off, s->file_len - off);
                assert_false(ZSTD_isError(n));
                if ((s->file[off] & 0xf0) == 0x50 && s->file[off + 1] == 0x2a &&
                    s->file[off + 2] == 0x4d && s->file[off + 3] == 0x18)
                        return off;
                off += n;
                assert_true(off < s->file_len);
        }
}

static void flip_each(const struct sample *s, size_t from, size_t to, uint8_t mask,
                      size_t *ret_detected, size_t *ret_total)
{
        uint8_t *buf = malloc(s->file_len);
        assert_non_null(buf);
        size_t detected = 0, total = 0;
        for (size_t i = from; i < to; i++) {
                memcpy(buf, s->file, s->file_len);
                buf[i] ^= mask;
                bool same = false;
                int e = try_bundle(buf, s->file_len, s, &same);
                /* Corruption is reported as -EBADMSG, or is harmless: the
                 * reader never hands out different bytes silently. */
                if (e < 0) {
                        if (e != -EBADMSG)
                                fail_msg("flip at %zu: %d (%s)", i, e, strerror(-e));
                        detected++;
                } else if (!same) {
                        fail_msg("flip at %zu: wrong contents returned without error", i);
                }
                total++;
        }
        free(buf);
        *ret_detected = detected;
        *ret_total = total;
}

static void test_flipped_frame_bytes(void **state)
{
        struct sample s;
        sample_build(&s, 1024, 3000);
        size_t table = seektable_start(&s);
        size_t detected, total;
        flip_each(&s, 0, table, 0xff, &detected, &total);
        /* nearly every byte of the compressed data matters (zstd checksums) */
        assert_true(detected * 100 >= total * 95);
        flip_each(&s, 0, table, 0x01, &detected, &total);
        assert_true(detected * 100 >= total * 90);

        /* a flip in the middle of the second frame, specifically */
        size_t first = ZSTD_findFrameCompressedSize(s.file, s.file_len);
        size_t second = ZSTD_findFrameCompressedSize(s.file + first, s.file_len - first);
        uint8_t *buf = malloc(s.file_len);
        assert_non_null(buf);
        memcpy(buf, s.file, s.file_len);
        buf[first + second / 2] ^= 0x40;
        assert_int_equal(try_bundle(buf, s.file_len, &s, NULL), -EBADMSG);
        free(buf);
        sample_free(&s);
}

static void test_flipped_seektable_bytes(void **state)
{
        struct sample s;
        sample_build(&s, 1024, 3000);
        size_t table = seektable_start(&s);
        size_t detected, total;
        flip_each(&s, table, s.file_len, 0xff, &detected, &total);
        assert_int_equal(detected, total);
        flip_each(&s, table, s.file_len, 0x01, &detected, &total);
        /* low bit of the descriptor's unused bits is the one harmless flip */
        assert_true(detected + 1 >= total);

        /* the footer's magic, specifically, fails at open */
        uint8_t *buf = malloc(s.file_len);
        assert_non_null(buf);
        memcpy(buf, s.file, s.file_len);
        buf[s.file_len - 1] ^= 0x10;
        struct bundle_reader *r = NULL;
        assert_int_equal(bundle_reader_open_fd(memfd_with(buf, s.file_len), &r), -EBADMSG);
        assert_null(r);
        free(buf);
        sample_free(&s);
}

/* Compresses a raw tar stream into a bundle (frames of frame_size and a seek
 * table), independently of bundle_writer, so tests can feed the reader tar
 * streams the writer would never produce. */
static int bundle_from_tar(const uint8_t *tar, size_t len, size_t frame_size, bool plain)
{
        int fd = new_memfd();
        struct seek_table t = { 0 };
        size_t cap = ZSTD_compressBound(frame_size);
        uint8_t *out = malloc(cap);
        assert_non_null(out);
        for (size_t off = 0; off < len; off += frame_size) {
                size_t in = MIN(frame_size, len - off);
                size_t n = ZSTD_compress(out, cap, tar + off, in, 1);
                assert_false(ZSTD_isError(n));
                assert_int_equal(write_full(fd, out, n), 0);
                assert_int_equal(seektable_add(&t, (uint32_t)n, (uint32_t)in), 0);
        }
        free(out);
        if (!plain) {
                struct strbuf sb;
                strbuf_init(&sb);
                assert_int_equal(seektable_encode(&t, &sb), 0);
                assert_int_equal(write_full(fd, sb.data, sb.len), 0);
                strbuf_free(&sb);
        }
        seektable_free(&t);
        return fd;
}

static int try_fd(int fd)
{
        size_t len;
        uint8_t *data = slurp_fd(fd, &len);
        close(fd);
        int e = try_bundle(data, len, NULL, NULL);
        free(data);
        return e;
}

static void fix_checksum(uint8_t *hdr)
{
        memset(hdr + 148, ' ', 8);
        unsigned sum = 0;
        for (int i = 0; i < TAR_BLOCK; i++)
                sum += hdr[i];
        snprintf((char *)hdr + 148, 8, "%06o", sum);
        hdr[155] = ' ';
}

static void test_corrupt_tar(void **state)
{
        struct sample s;
        sample_build(&s, 1024, 3000);
        uint8_t *tar = malloc(s.tar_len);
        assert_non_null(tar);

        /* the untouched stream, recompressed independently, reads fine */
        memcpy(tar, s.tar, s.tar_len);
        assert_int_equal(try_fd(bundle_from_tar(tar, s.tar_len, 777, false)), 0);

        /* every byte of the second member's header, flipped */
        size_t h = (size_t)s.members[1].header_offset;
        for (size_t i = 0; i < TAR_BLOCK; i++) {
                memcpy(tar, s.tar, s.tar_len);
                tar[h + i] ^= 0x01;
                int e = try_fd(bundle_from_tar(tar, s.tar_len, 4096, false));
                /* All header bytes are covered by the checksum. */
                assert_int_equal(e, -EBADMSG);
        }

        /* a size (with a good checksum) running past the end of the stream */
        memcpy(tar, s.tar, s.tar_len);
        h = (size_t)s.members[4].header_offset;
        snprintf((char *)tar + h + 124, 12, "%011o", 0777777u);
        fix_checksum(tar + h);
        assert_int_equal(try_fd(bundle_from_tar(tar, s.tar_len, 4096, false)), -EBADMSG);

        /* a size in base-256 that is absurdly large */
        memcpy(tar, s.tar, s.tar_len);
        memset(tar + h + 124, 0xff, 12);
        tar[h + 124] = 0x80;
        fix_checksum(tar + h);
        assert_int_equal(try_fd(bundle_from_tar(tar, s.tar_len, 4096, false)), -EBADMSG);

        /* no end-of-archive blocks */
        memcpy(tar, s.tar, s.tar_len);
        assert_int_equal(try_fd(bundle_from_tar(tar, s.tar_len - 2 * TAR_BLOCK, 4096, false)),
                         -EBADMSG);
        /* a stream cut in the middle of a member (a bundle that is otherwise
         * well formed) */
        assert_int_equal(try_fd(bundle_from_tar(tar, (size_t)s.members[2].offset + 100, 4096,
                                                false)),
                         -EBADMSG);
        free(tar);
        sample_free(&s);
}

static void test_garbage(void **state)
{
        struct bundle_reader *r = NULL;

        /* empty file */
        assert_int_equal(bundle_reader_open_fd(new_memfd(), &r), -EBADMSG);
        /* tiny files */
        for (size_t len = 1; len < 40; len++) {
                uint8_t junk[40];
                for (size_t i = 0; i < len; i++)
                        junk[i] = (uint8_t)rnd();
                assert_int_equal(try_bundle(junk, len, NULL, NULL), -EBADMSG);
        }
        /* random garbage, with and without a valid-looking footer */
        uint8_t *junk = malloc(8192);
        assert_non_null(junk);
        for (int round = 0; round < 50; round++) {
                for (size_t i = 0; i < 8192; i++)
                        junk[i] = (uint8_t)rnd();
                assert_int_equal(try_bundle(junk, 8192, NULL, NULL), -EBADMSG);
                /* footer claiming one frame, a correct skippable header, and
                 * a frame covering the rest of the file, full of garbage */
                uint32_t frames = 1, content = 8 * frames + SEEKTABLE_FOOTER_SIZE;
                size_t table = content + 8, foot = 8192 - SEEKTABLE_FOOTER_SIZE;
                uint8_t *t = junk + 8192 - table;
                memcpy(t, "\x5e\x2a\x4d\x18", 4);
                memcpy(t + 4, &content, 4); /* little-endian host assumed */
                uint32_t csize = (uint32_t)(8192 - table), dsize = 4096;
                memcpy(t + 8, &csize, 4);
                memcpy(t + 12, &dsize, 4);
                memcpy(junk + foot, &frames, 4);
                junk[foot + 4] = 0;
                memcpy(junk + foot + 5, "\xb1\xea\x92\x8f", 4);
                r = NULL;
                assert_int_equal(bundle_reader_open_fd(memfd_with(junk, 8192), &r), 0);
                const struct bundle_member *m;
                size_t n;
                assert_int_equal(bundle_reader_members(r, &m, &n), -EBADMSG);
                uint8_t b;
                assert_int_equal(bundle_reader_pread(r, &b, 1, 100), -EBADMSG);
                bundle_reader_free(r);
        }
        free(junk);

        /* a valid seek table with zero frames: opens, but is no tar stream */
        struct seek_table empty = { 0 };
        struct strbuf sb;
        strbuf_init(&sb);
        assert_int_equal(seektable_encode(&empty, &sb), 0);
        r = NULL;
        assert_int_equal(bundle_reader_open_fd(memfd_with(sb.data, sb.len), &r), 0);
        assert_int_equal(bundle_reader_size(r), 0);
        const struct bundle_member *m;
        size_t n;
        assert_int_equal(bundle_reader_members(r, &m, &n), -EBADMSG);
        bundle_reader_free(r);
        strbuf_free(&sb);

        /* not a regular file */
        int p[2];
        assert_int_equal(pipe2(p, O_CLOEXEC), 0);
        close(p[1]);
        assert_int_equal(bundle_reader_open_fd(p[0], &r), -EBADMSG);
        /* a bad fd */
        assert_int_equal(bundle_reader_open_fd(-1, &r), -EBADF);
}

static void test_plain_zstd(void **state)
{
        /* A valid tar stream compressed by zstd, but with no seek table. */
        struct sample s;
        sample_build(&s, SMALL_FRAME, BIG_SIZE);
        assert_int_equal(try_fd(bundle_from_tar(s.tar, s.tar_len, 1 << 20, true)), -EBADMSG);
        assert_int_equal(try_fd(bundle_from_tar(s.tar, s.tar_len, 4096, true)), -EBADMSG);
        sample_free(&s);
}

/* Opens the bundle in fd (the reader takes fd) and checks that member
 * `name` reads back as exactly `size` bytes of `data`. */
static void assert_member_is(int fd, const char *name, const uint8_t *data, size_t size)
{
        struct bundle_reader *r;
        assert_int_equal(bundle_reader_open_fd(fd, &r), 0);
        char *back;
        size_t len;
        assert_int_equal(bundle_reader_read_member(r, name, size, &back, &len), 0);
        assert_int_equal(len, size);
        assert_memory_equal(back, data, size);
        free(back);
        bundle_reader_free(r);
}

/* reserve/commit (the capture's zero-copy path) writes the same bundle as
 * bundle_writer_write, across frame boundaries, with small frames and
 * workers. */
static void test_reserve_commit(void **state)
{
        enum { SIZE = 50000 };
        uint8_t *data = malloc(SIZE);
        assert_non_null(data);
        for (size_t i = 0; i < SIZE; i++)
                data[i] = (uint8_t)(i * 131 + (i >> 7));
        struct bundle_writer_options o = { .frame_size = 4096, .workers = 2 };
        int fd = new_memfd();
        struct bundle_writer *w;
        assert_int_equal(bundle_writer_new(fd, &o, &w), 0);
        assert_int_equal(bundle_writer_begin(w, "core", SIZE, 0), 0);
        size_t off = 0, step = 1;
        while (off < SIZE) {
                void *dst;
                size_t room;
                assert_int_equal(bundle_writer_reserve(w, &dst, &room), 0);
                assert_true(room > 0 && room <= 4096 && room <= SIZE - off);
                size_t n = MIN(room, step);
                memcpy(dst, data + off, n);
                assert_int_equal(bundle_writer_commit(w, n), 0);
                off += n;
                step = step * 3 + 1; /* odd sizes, some larger than a frame */
                if (step > 9000)
                        step = 7;
        }
        assert_int_equal(bundle_writer_commit(w, 1), -EINVAL); /* nothing left */
        assert_int_equal(bundle_writer_end(w), 0);
        assert_int_equal(bundle_writer_finish(w), 0);
        bundle_writer_free(w);
        assert_member_is(fd, "core", data, SIZE);
        free(data);
}

/* Frames of zeros take a shortcut in the writer (one frame compressed at
 * start, reused): a single non-zero byte anywhere in a frame, at the edges of
 * the 64-byte head check included, must still reach the bundle, inline and
 * with workers alike; whole zero frames must come out small. */
static uint8_t *zeros_bundle(int workers, const uint8_t *data, size_t size, size_t *ret_len,
                             uint64_t *ret_compressed)
{
        struct bundle_writer_options o = { .frame_size = 4096, .workers = workers };
        int fd = new_memfd();
        struct bundle_writer *w;
        assert_int_equal(bundle_writer_new(fd, &o, &w), 0);
        assert_int_equal(bundle_writer_add(w, "core", data, size, 0), 0);
        assert_int_equal(bundle_writer_finish(w), 0);
        *ret_compressed = bundle_writer_compressed(w);
        bundle_writer_free(w);
        uint8_t *file = slurp_fd(fd, ret_len);

        assert_member_is(fd, "core", data, size);
        return file;
}

static void test_zero_frames(void **state)
{
        enum { FRAMES = 40, SIZE = FRAMES * 4096 };
        uint8_t *data = calloc(1, SIZE);
        assert_non_null(data);
        /* The member's data starts after its 512-byte tar header: mark bytes
         * at these offsets within stream frames 1, 3, 5, ...; the even
         * frames stay all zero. */
        static const size_t at[] = { 0, 1, 62, 63, 64, 65, 127, 2048, 4094, 4095 };
        size_t frame = 1;
        for (size_t i = 0; i < ELEMENTSOF(at); i++, frame += 2)
                data[frame * 4096 + at[i] - 512] = (uint8_t)(0x80 | i);

        size_t len0, len2;
        uint64_t c0, c2;
        uint8_t *inline_file = zeros_bundle(0, data, SIZE, &len0, &c0);
        uint8_t *pool_file = zeros_bundle(2, data, SIZE, &len2, &c2);
        assert_int_equal(len0, len2);
        assert_memory_equal(inline_file, pool_file, len0);
        /* 41 frames of 4 KiB, each a few dozen bytes: far below the data */
        assert_true(c0 < 41 * 64);
        free(inline_file);
        free(pool_file);
        free(data);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_round_trip),
                cmocka_unit_test(test_reserve_commit),
                cmocka_unit_test(test_zero_frames),
                cmocka_unit_test(test_workers_identical),
                cmocka_unit_test(test_direct_identical),
                cmocka_unit_test(test_open_path),
                cmocka_unit_test(test_default_frame_size),
                cmocka_unit_test(test_empty_bundle),
                cmocka_unit_test(test_writer_misuse),
                cmocka_unit_test(test_random_access),
                cmocka_unit_test(test_decompresses_only_needed_frames),
                cmocka_unit_test(test_cache_after_bad_frame),
                cmocka_unit_test(test_interop_cli),
                cmocka_unit_test(test_truncated),
                cmocka_unit_test(test_trailing_and_missing),
                cmocka_unit_test(test_flipped_frame_bytes),
                cmocka_unit_test(test_flipped_seektable_bytes),
                cmocka_unit_test(test_corrupt_tar),
                cmocka_unit_test(test_garbage),
                cmocka_unit_test(test_plain_zstd),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
