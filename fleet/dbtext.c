#include "dbtext.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t fleet_utf8_decode(const unsigned char *s, uint32_t *ret_cp)
{
        size_t len;
        uint32_t cp, min;
        if (s[0] < 0x80) {
                *ret_cp = s[0];
                return 1;
        }
        if ((s[0] & 0xe0) == 0xc0)
                len = 2, cp = s[0] & 0x1f, min = 0x80;
        else if ((s[0] & 0xf0) == 0xe0)
                len = 3, cp = s[0] & 0x0f, min = 0x800;
        else if ((s[0] & 0xf8) == 0xf0)
                len = 4, cp = s[0] & 0x07, min = 0x10000;
        else
                return 0;
        for (size_t i = 1; i < len; i++) {
                if ((s[i] & 0xc0) != 0x80)
                        return 0;
                cp = cp << 6 | (s[i] & 0x3f);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
                return 0;
        *ret_cp = cp;
        return len;
}

char *fleet_text_encode(const char *s)
{
        if (!s)
                return NULL;
        size_t n = strlen(s);
        if (n > (SIZE_MAX - 1) / 4)
                return NULL;
        char *out = malloc(4 * n + 1), *o = out; /* "\xHH" per byte at most */
        if (!out)
                return NULL;
        for (const unsigned char *p = (const unsigned char *)s; *p;) {
                uint32_t cp;
                size_t len = fleet_utf8_decode(p, &cp);
                if (len == 0) {
                        snprintf(o, 5, "\\x%02x", *p);
                        o += 4;
                        p++;
                } else if (*p == '\\') {
                        *o++ = '\\';
                        *o++ = '\\';
                        p++;
                } else {
                        memcpy(o, p, len);
                        o += len;
                        p += len;
                }
        }
        *o = '\0';
        return out;
}

static int hex_digit(char c)
{
        if (c >= '0' && c <= '9')
                return c - '0';
        if (c >= 'a' && c <= 'f')
                return c - 'a' + 10;
        return -1;
}

char *fleet_text_decode(const char *s)
{
        if (!s)
                return NULL;
        char *out = malloc(strlen(s) + 1), *o = out;
        if (!out)
                return NULL;
        for (const char *p = s; *p;) {
                int hi, lo;
                if (p[0] == '\\' && p[1] == '\\') {
                        *o++ = '\\';
                        p += 2;
                } else if (p[0] == '\\' && p[1] == 'x' && (hi = hex_digit(p[2])) >= 0 &&
                           (lo = hex_digit(p[3])) >= 0 && (hi || lo)) {
                        *o++ = (char)(hi << 4 | lo);
                        p += 4;
                } else
                        *o++ = *p++;
        }
        *o = '\0';
        return out;
}
