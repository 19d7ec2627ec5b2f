#include "json.h"

#include <inttypes.h>
#include <string.h>

#include "utf8.h"
#include "util.h"

void json_init(struct json *j, bool pretty)
{
        memset(j, 0, sizeof(*j));
        strbuf_init(&j->sb);
        j->pretty = pretty;
}

void json_free(struct json *j) { strbuf_free(&j->sb); }

static void indent(struct json *j)
{
        /* a newline and two spaces a level, in one append (depth stays
         * below JSON_MAX_DEPTH) */
        static const char line[] = "\n                                                                ";
        _Static_assert(sizeof(line) - 1 >= 1 + 2 * JSON_MAX_DEPTH, "indent line too short");
        if (!j->pretty)
                return;
        size_t depth = j->depth > 0 ? (size_t)j->depth : 0;
        strbuf_append(&j->sb, line, 1 + 2 * MIN(depth, (size_t)JSON_MAX_DEPTH));
}

static void key_prefix(struct json *j, const char *key)
{
        if (j->depth > 0) {
                if (j->need_comma[j->depth])
                        strbuf_append(&j->sb, ",", 1);
                j->need_comma[j->depth] = true;
                indent(j);
        }
        if (key) {
                strbuf_append(&j->sb, "\"", 1);
                json_escape(&j->sb, key, strlen(key));
                strbuf_append(&j->sb, j->pretty ? "\": " : "\":", j->pretty ? 3 : 2);
        }
}

static void open_scope(struct json *j, const char *key, char c)
{
        key_prefix(j, key);
        strbuf_append(&j->sb, &c, 1);
        if (j->depth + 1 < JSON_MAX_DEPTH)
                j->depth++;
        j->need_comma[j->depth] = false;
}

static void close_scope(struct json *j, char c)
{
        bool had = j->need_comma[j->depth];
        if (j->depth > 0)
                j->depth--;
        if (had)
                indent(j);
        strbuf_append(&j->sb, &c, 1);
        if (j->depth == 0 && j->pretty)
                strbuf_append(&j->sb, "", 0);
}

void json_object_begin(struct json *j, const char *key) { open_scope(j, key, '{'); }
void json_object_end(struct json *j) { close_scope(j, '}'); }
void json_array_begin(struct json *j, const char *key) { open_scope(j, key, '['); }
void json_array_end(struct json *j) { close_scope(j, ']'); }


/* Plain bytes (printable ASCII but '"' and '\\', and valid UTF-8) are
 * appended a run at a time, not one by one: a report of 257 threads is
 * some 50,000 strings. */
void json_escape(struct strbuf *sb, const char *str, size_t len)
{
        const unsigned char *s = (const unsigned char *)str;
        size_t i = 0, run = 0; /* s[run..i) is plain, not yet appended */
        while (i < len) {
                unsigned char c = s[i];
                if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
                        i++;
                        continue;
                }
                uint32_t cp;
                size_t l = c >= 0x80 ? utf8_decode(s + i, len - i, &cp) : 0;
                if (l > 0) {
                        i += l;
                        continue;
                }
                strbuf_append(sb, s + run, i - run);
                if (c == '"' || c == '\\') {
                        char e[2] = { '\\', (char)c };
                        strbuf_append(sb, e, 2);
                } else if (c == '\n') {
                        strbuf_append(sb, "\\n", 2);
                } else if (c == '\t') {
                        strbuf_append(sb, "\\t", 2);
                } else if (c == '\r') {
                        strbuf_append(sb, "\\r", 2);
                } else if (c < 0x20 || c == 0x7f) {
                        strbuf_printf(sb, "\\u%04x", c);
                } else {
                        /* c >= 0x80 and not UTF-8: the lone low surrogate
                         * U+DC80..U+DCFF names the byte exactly */
                        strbuf_printf(sb, "\\u%04x", 0xdc00 | c);
                }
                i++;
                run = i;
        }
        strbuf_append(sb, s + run, i - run);
}

void json_string_len(struct json *j, const char *key, const char *value, size_t len)
{
        key_prefix(j, key);
        if (!value) {
                strbuf_puts(&j->sb, "null");
                return;
        }
        strbuf_append(&j->sb, "\"", 1);
        json_escape(&j->sb, value, len);
        strbuf_append(&j->sb, "\"", 1);
}

void json_string(struct json *j, const char *key, const char *value)
{
        json_string_len(j, key, value, value ? strlen(value) : 0);
}

/* Decimal digits of v, with a '-' first when negative (what "%" PRId64 and
 * "%" PRIu64 print, without printf's cost: a report has some 15,000
 * numbers). */
static void append_decimal(struct strbuf *sb, uint64_t v, bool negative)
{
        char buf[21];
        size_t at = sizeof(buf);
        do {
                buf[--at] = (char)('0' + v % 10);
                v /= 10;
        } while (v);
        if (negative)
                buf[--at] = '-';
        strbuf_append(sb, buf + at, sizeof(buf) - at);
}

void json_u64(struct json *j, const char *key, uint64_t value)
{
        key_prefix(j, key);
        append_decimal(&j->sb, value, false);
}

void json_i64(struct json *j, const char *key, int64_t value)
{
        key_prefix(j, key);
        append_decimal(&j->sb, value < 0 ? -(uint64_t)value : (uint64_t)value, value < 0);
}

void json_boolean(struct json *j, const char *key, bool value)
{
        key_prefix(j, key);
        strbuf_puts(&j->sb, value ? "true" : "false");
}

void json_null(struct json *j, const char *key)
{
        key_prefix(j, key);
        strbuf_puts(&j->sb, "null");
}

static int hex4(const char *p, unsigned *ret)
{
        unsigned v = 0;
        for (int i = 0; i < 4; i++) {
                char c = p[i];
                int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
                if (d < 0)
                        return -1;
                v = v << 4 | (unsigned)d;
        }
        *ret = v;
        return 0;
}

size_t json_bytes_decode(char *text)
{
        char *w = text;
        const char *r = text;
        bool in_string = false, after_high = false;
        while (*r) {
                if (!in_string) {
                        if (*r == '"')
                                in_string = true;
                        *w++ = *r++;
                        continue;
                }
                if (*r == '"') {
                        in_string = false;
                        after_high = false;
                        *w++ = *r++;
                        continue;
                }
                if (*r != '\\') {
                        after_high = false;
                        *w++ = *r++;
                        continue;
                }
                unsigned u;
                if (r[1] == 'u' && hex4(r + 2, &u) == 0) {
                        if (u >= 0xdc80 && u <= 0xdcff && !after_high) {
                                *w++ = (char)(u & 0xff);
                                r += 6;
                                continue;
                        }
                        after_high = u >= 0xd800 && u <= 0xdbff;
                        memmove(w, r, 6);
                        w += 6;
                        r += 6;
                        continue;
                }
                after_high = false;
                *w++ = *r++;
                if (*r)
                        *w++ = *r++;
        }
        *w = '\0';
        return (size_t)(w - text);
}
