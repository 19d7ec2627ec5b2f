/* ustar header encoding and decoding, including GNU base-256 sizes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "tar.h"
#include "util.h"

#define OCTAL_SIZE_MAX 077777777777ULL /* largest size the 11-digit field holds */

static void fix_checksum(uint8_t *hdr)
{
        memset(hdr + 148, ' ', 8);
        unsigned sum = 0;
        for (int i = 0; i < TAR_BLOCK; i++)
                sum += hdr[i];
        snprintf((char *)hdr + 148, 8, "%06o", sum);
        hdr[155] = ' ';
}

static void round_trip(const char *name, uint64_t size)
{
        uint8_t hdr[TAR_BLOCK];
        assert_int_equal(tar_header_encode(hdr, name, size, 1700000000, 0644), 0);
        char got[TAR_NAME_MAX + 1];
        uint64_t got_size = 0;
        char type = 0;
        assert_int_equal(tar_header_decode(hdr, got, &got_size, &type), 1);
        assert_string_equal(got, name);
        assert_true(got_size == size);
        assert_int_equal(type, '0');
        /* type may be omitted */
        assert_int_equal(tar_header_decode(hdr, got, &got_size, NULL), 1);
}

static void test_round_trip_sizes(void **state)
{
        static const uint64_t sizes[] = {
                0, 1, 511, 512, 513, 1 << 20, 01234567,
                OCTAL_SIZE_MAX - 1, OCTAL_SIZE_MAX, OCTAL_SIZE_MAX + 1,
                8ULL << 30, (8ULL << 30) + 1, 1ULL << 40, 0x0123456789abcdefULL, UINT64_MAX,
        };
        for (size_t i = 0; i < ELEMENTSOF(sizes); i++)
                round_trip("core", sizes[i]);
        round_trip("files/0123456789abcdef0123456789abcdef01234567", 42);
}

static void test_layout(void **state)
{
        /* Fields where tar(1) expects them: readers other than ours rely on it. */
        uint8_t hdr[TAR_BLOCK];
        assert_int_equal(tar_header_encode(hdr, "proc/maps", 1000, 0, 0600), 0);
        assert_string_equal((char *)hdr, "proc/maps");
        assert_string_equal((char *)hdr + 100, "0000600");
        assert_string_equal((char *)hdr + 124, "00000001750");
        assert_int_equal(hdr[156], '0');
        assert_memory_equal(hdr + 257, "ustar\0" "00", 8);

        /* below 8 GiB: octal; from 8 GiB on: base-256, big-endian */
        assert_int_equal(tar_header_encode(hdr, "core", OCTAL_SIZE_MAX - 1, 0, 0600), 0);
        assert_string_equal((char *)hdr + 124, "77777777776");
        assert_int_equal(tar_header_encode(hdr, "core", 9ULL << 30, 0, 0600), 0);
        assert_int_equal(hdr[124], 0x80);
        static const uint8_t be[11] = { 0, 0, 0, 0, 0, 0, 0x02, 0x40, 0, 0, 0 };
        assert_memory_equal(hdr + 125, be, sizeof(be));

        assert_int_equal(tar_padding(0), 0);
        assert_int_equal(tar_padding(1), 511);
        assert_int_equal(tar_padding(512), 0);
        assert_int_equal(tar_padding(1000), 24);
        assert_int_equal(tar_padding((8ULL << 30) + 3), 509);
}

static void test_names(void **state)
{
        uint8_t hdr[TAR_BLOCK];
        char name[TAR_NAME_MAX + 2];
        memset(name, 'a', sizeof(name));
        name[TAR_NAME_MAX] = '\0';
        round_trip(name, 7); /* 99 bytes: fits */
        name[TAR_NAME_MAX] = 'a';
        name[TAR_NAME_MAX + 1] = '\0';
        assert_int_equal(tar_header_encode(hdr, name, 7, 0, 0600), -ENAMETOOLONG);
        assert_int_equal(tar_header_encode(hdr, "", 7, 0, 0600), -ENAMETOOLONG);

        /* a 100-byte name with no NUL, valid checksum: refused on decode */
        assert_int_equal(tar_header_encode(hdr, "x", 7, 0, 0600), 0);
        memset(hdr, 'b', 100);
        fix_checksum(hdr);
        char got[TAR_NAME_MAX + 1];
        uint64_t size;
        assert_int_equal(tar_header_decode(hdr, got, &size, NULL), -EBADMSG);
        /* an empty name */
        memset(hdr, 0, 100);
        fix_checksum(hdr);
        assert_int_equal(tar_header_decode(hdr, got, &size, NULL), -EBADMSG);
}

static void test_zero_block(void **state)
{
        uint8_t hdr[TAR_BLOCK] = { 0 };
        char got[TAR_NAME_MAX + 1];
        uint64_t size = 99;
        assert_int_equal(tar_header_decode(hdr, got, &size, NULL), 0);
        /* one nonzero byte anywhere makes it a (bad) header, not the end */
        hdr[511] = 1;
        assert_int_equal(tar_header_decode(hdr, got, &size, NULL), -EBADMSG);
}

static void test_bad_headers(void **state)
{
        uint8_t good[TAR_BLOCK], hdr[TAR_BLOCK];
        char got[TAR_NAME_MAX + 1];
        uint64_t size;
        assert_int_equal(tar_header_encode(good, "meta.json", 1234, 5, 0600), 0);

        /* Any single bit flipped outside the checksum field is caught. Inside
         * it, a flip is caught or harmless ('0' -> ' ' is a leading space). */
        for (int i = 0; i < TAR_BLOCK; i++)
                for (int bit = 0; bit < 8; bit++) {
                        memcpy(hdr, good, TAR_BLOCK);
                        hdr[i] ^= (uint8_t)(1u << bit);
                        size = 0;
                        int r = tar_header_decode(hdr, got, &size, NULL);
                        bool in_sum = i >= 148 && i < 156;
                        if (r == -EBADMSG)
                                continue;
                        if (!in_sum || r != 1 || size != 1234 || strcmp(got, "meta.json") != 0)
                                fail_msg("byte %d bit %d: %d", i, bit, r);
                }

        /* non-octal size, with a correct checksum */
        memcpy(hdr, good, TAR_BLOCK);
        hdr[130] = '9';
        fix_checksum(hdr);
        assert_int_equal(tar_header_decode(hdr, got, &size, NULL), -EBADMSG);
        /* empty size field */
        memcpy(hdr, good, TAR_BLOCK);
        memset(hdr + 124, ' ', 12);
        fix_checksum(hdr);
        assert_int_equal(tar_header_decode(hdr, got, &size, NULL), -EBADMSG);
        /* negative base-256 (0xff lead byte) */
        memcpy(hdr, good, TAR_BLOCK);
        memset(hdr + 124, 0xff, 12);
        fix_checksum(hdr);
        assert_int_equal(tar_header_decode(hdr, got, &size, NULL), -EBADMSG);
        /* base-256 larger than 64 bits */
        memcpy(hdr, good, TAR_BLOCK);
        memset(hdr + 124, 0, 12);
        hdr[124] = 0x80;
        hdr[127] = 1;
        fix_checksum(hdr);
        assert_int_equal(tar_header_decode(hdr, got, &size, NULL), -EBADMSG);
        /* the largest octal size, written without a terminator */
        memcpy(hdr, good, TAR_BLOCK);
        memcpy(hdr + 124, "077777777777", 12);
        fix_checksum(hdr);
        assert_int_equal(tar_header_decode(hdr, got, &size, NULL), 1);
        assert_true(size == OCTAL_SIZE_MAX);

        /* leading spaces and a space terminator, as old tars write */
        memcpy(hdr, good, TAR_BLOCK);
        memcpy(hdr + 124, "  2322     ", 12);
        fix_checksum(hdr);
        assert_int_equal(tar_header_decode(hdr, got, &size, NULL), 1);
        assert_true(size == 1234);

        /* other types are reported as such */
        memcpy(hdr, good, TAR_BLOCK);
        hdr[156] = '5';
        fix_checksum(hdr);
        char type = 0;
        assert_int_equal(tar_header_decode(hdr, got, &size, &type), 1);
        assert_int_equal(type, '5');
        hdr[156] = '\0'; /* old-style regular file */
        fix_checksum(hdr);
        assert_int_equal(tar_header_decode(hdr, got, &size, &type), 1);
        assert_int_equal(type, '0');
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_round_trip_sizes),
                cmocka_unit_test(test_layout),
                cmocka_unit_test(test_names),
                cmocka_unit_test(test_zero_block),
                cmocka_unit_test(test_bad_headers),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
