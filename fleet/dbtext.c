#include "dbtext.h"

#include "utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


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
                size_t len = utf8_decode(p, strnlen((const char *)p, 4), &cp);
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
