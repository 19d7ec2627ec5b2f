#include "tar.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static void octal(char *field, size_t width, uint64_t v)
{
        /* width includes the terminating NUL; callers keep v in range */
        for (size_t i = width - 1; i-- > 0; v >>= 3)
                field[i] = (char)('0' + (v & 7));
        field[width - 1] = '\0';
}

int tar_header_encode(uint8_t hdr[TAR_BLOCK], const char *name, uint64_t size, time_t mtime,
                      unsigned mode)
{
        size_t nlen = strlen(name);
        if (nlen == 0 || nlen > TAR_NAME_MAX)
                return -ENAMETOOLONG;
        memset(hdr, 0, TAR_BLOCK);
        char *h = (char *)hdr;
        memcpy(h, name, nlen);
        octal(h + 100, 8, mode & 07777);
        octal(h + 108, 8, 0);
        octal(h + 116, 8, 0);
        if (size < 077777777777ULL) {
                octal(h + 124, 12, size);
        } else {
                /* base-256: high bit of the first byte set, big-endian value */
                hdr[124] = 0x80;
                for (int i = 0; i < 8; i++)
                        hdr[135 - i] = (uint8_t)(size >> (8 * i));
        }
        octal(h + 136, 12, mtime < 0 ? 0 : (uint64_t)mtime);
        memset(h + 148, ' ', 8);
        h[156] = '0';
        memcpy(h + 257, "ustar", 6);
        memcpy(h + 263, "00", 2);
        memcpy(h + 265, "root", 4);
        memcpy(h + 297, "root", 4);
        unsigned sum = 0;
        for (int i = 0; i < TAR_BLOCK; i++)
                sum += hdr[i];
        snprintf(h + 148, 8, "%06o", sum);
        h[155] = ' ';
        return 0;
}

static int parse_octal(const uint8_t *f, size_t width, uint64_t *ret)
{
        uint64_t v = 0;
        size_t i = 0;
        while (i < width && f[i] == ' ')
                i++;
        int digits = 0;
        for (; i < width && f[i] >= '0' && f[i] <= '7'; i++) {
                if (v >> 61)
                        return -EBADMSG;
                v = v * 8 + (uint64_t)(f[i] - '0');
                digits++;
        }
        for (; i < width; i++)
                if (f[i] != ' ' && f[i] != '\0')
                        return -EBADMSG;
        if (digits == 0)
                return -EBADMSG;
        *ret = v;
        return 0;
}

int tar_header_decode(const uint8_t hdr[TAR_BLOCK], char *name, uint64_t *ret_size,
                      char *ret_type)
{
        int zero = 1;
        for (int i = 0; i < TAR_BLOCK; i++)
                if (hdr[i]) {
                        zero = 0;
                        break;
                }
        if (zero)
                return 0;

        uint64_t want;
        if (parse_octal(hdr + 148, 8, &want) < 0)
                return -EBADMSG;
        unsigned sum = 0;
        for (int i = 0; i < TAR_BLOCK; i++)
                sum += (i >= 148 && i < 156) ? ' ' : hdr[i];
        if (sum != want)
                return -EBADMSG;

        uint64_t size = 0;
        if (hdr[124] & 0x80) {
                for (int i = 125; i < 136; i++) {
                        if (size >> 56)
                                return -EBADMSG;
                        size = (size << 8) | hdr[i];
                }
                if (hdr[124] & 0x7f)
                        return -EBADMSG;
        } else if (parse_octal(hdr + 124, 12, &size) < 0)
                return -EBADMSG;

        size_t n = strnlen((const char *)hdr, 100);
        if (n == 0 || n > TAR_NAME_MAX)
                return -EBADMSG;
        memcpy(name, hdr, n);
        name[n] = '\0';
        *ret_size = size;
        if (ret_type)
                *ret_type = (char)(hdr[156] ? hdr[156] : '0');
        return 1;
}
