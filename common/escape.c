#include "escape.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

size_t display_char_len(const unsigned char *s, size_t n)
{
        if (n == 0)
                return 0;
        if (s[0] >= 0x20 && s[0] < 0x7f)
                return 1;
        uint32_t cp;
        size_t len = utf8_decode(s, n, &cp);
        if (len < 2)
                return 0; /* ASCII controls, DEL, invalid bytes */
        if (cp < 0xa0 ||                       /* C1 controls (0x9b is CSI) */
            cp == 0x061c || cp == 0x200e || cp == 0x200f || /* bidi marks */
            (cp >= 0x2028 && cp <= 0x202e) ||  /* separators, embeddings, overrides */
            (cp >= 0x2066 && cp <= 0x2069) ||  /* isolates */
            cp == 0xfeff)                      /* zero-width no-break space */
                return 0;
        return len;
}

/* Bytes that need no quoting in any position of a shell word. */
static bool plain_byte(unsigned char c)
{
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               (c != '\0' && strchr("/._-+=:,@%", c));
}

enum qmode { Q_NONE, Q_SINGLE, Q_DOLLAR };

static void set_mode(struct strbuf *sb, enum qmode *mode, enum qmode want)
{
        if (*mode == want)
                return;
        if (*mode != Q_NONE)
                strbuf_append(sb, "'", 1);
        if (want == Q_SINGLE)
                strbuf_append(sb, "'", 1);
        else if (want == Q_DOLLAR)
                strbuf_append(sb, "$'", 2);
        *mode = want;
}

static void quote_word(struct strbuf *sb, const char *str, size_t len, bool command)
{
        const unsigned char *s = (const unsigned char *)str;
        if (len == 0) {
                strbuf_append(sb, "''", 2);
                return;
        }
        if (command && s[0] == '-')
                strbuf_append(sb, "./", 2);
        /* zsh expands a leading '=' (=cmd is cmd's path), '%' starts a job
         * name as a command; '=' makes a command word an assignment */
        bool plain = s[0] != '=' && !(command && s[0] == '%');
        for (size_t i = 0; i < len && plain; i++)
                if (!plain_byte(s[i]) || (command && s[i] == '='))
                        plain = false;
        if (plain) {
                strbuf_append(sb, s, len);
                return;
        }
        enum qmode mode = Q_NONE;
        size_t i = 0;
        while (i < len) {
                if (s[i] == '\'') {
                        set_mode(sb, &mode, Q_NONE);
                        strbuf_append(sb, "\\'", 2);
                        i++;
                        continue;
                }
                size_t l = display_char_len(s + i, len - i);
                if (l > 0) {
                        set_mode(sb, &mode, Q_SINGLE);
                        strbuf_append(sb, s + i, l);
                        i += l;
                } else {
                        set_mode(sb, &mode, Q_DOLLAR);
                        strbuf_printf(sb, "\\x%02x", s[i]);
                        i++;
                }
        }
        set_mode(sb, &mode, Q_NONE);
}

void shell_quote(struct strbuf *sb, const char *s, size_t len) { quote_word(sb, s, len, false); }
void shell_quote_command(struct strbuf *sb, const char *s, size_t len) { quote_word(sb, s, len, true); }

char *shell_quoted(const char *s)
{
        if (!s)
                return NULL;
        struct strbuf sb;
        strbuf_init(&sb);
        shell_quote(&sb, s, strlen(s));
        return strbuf_steal(&sb, NULL);
}

void text_escape(struct strbuf *sb, const char *str, size_t len)
{
        const unsigned char *s = (const unsigned char *)str;
        size_t i = 0;
        while (i < len) {
                size_t run = i;
                size_t l;
                while (run < len && (l = display_char_len(s + run, len - run)) > 0)
                        run += l;
                if (run > i) {
                        strbuf_append(sb, s + i, run - i);
                        i = run;
                        continue;
                }
                /* one byte to escape; a C1 or bidi character is escaped byte
                 * by byte (its later bytes are not displayable alone) */
                uint32_t cp;
                size_t cl = utf8_decode(s + i, len - i, &cp);
                if (cl < 1)
                        cl = 1;
                for (size_t k = 0; k < cl; k++) {
                        unsigned char c = s[i + k];
                        if (c == '\n')
                                strbuf_append(sb, "\\n", 2);
                        else if (c == '\t')
                                strbuf_append(sb, "\\t", 2);
                        else if (c == '\r')
                                strbuf_append(sb, "\\r", 2);
                        else
                                strbuf_printf(sb, "\\x%02x", c);
                }
                i += cl;
        }
}

void ascii_escape(struct strbuf *sb, const char *str, size_t len, bool keep_backslash)
{
        const unsigned char *s = (const unsigned char *)str;
        for (size_t i = 0; i < len; i++) {
                if (s[i] >= 0x20 && s[i] < 0x7f && (s[i] != '\\' || keep_backslash))
                        strbuf_append(sb, s + i, 1);
                else
                        strbuf_printf(sb, "\\x%02x", s[i]);
        }
}

static _Thread_local char *safe_slots[TEXT_SAFE_SLOTS];
static _Thread_local unsigned safe_next;

const char *text_safe(const char *s)
{
        if (!s)
                return NULL;
        size_t len = strlen(s);
        size_t i = 0, l;
        while (i < len && (l = display_char_len((const unsigned char *)s + i, len - i)) > 0)
                i += l;
        if (i == len)
                return s;
        struct strbuf sb;
        strbuf_init(&sb);
        text_escape(&sb, s, len);
        char *e = strbuf_steal(&sb, NULL);
        if (!e)
                return "?";
        unsigned slot = safe_next++ % TEXT_SAFE_SLOTS;
        free(safe_slots[slot]);
        safe_slots[slot] = e;
        return e;
}

void text_safe_release(void)
{
        for (size_t i = 0; i < TEXT_SAFE_SLOTS; i++) {
                free(safe_slots[i]);
                safe_slots[i] = NULL;
        }
}
