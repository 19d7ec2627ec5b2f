#include "environ.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "environ_data.h"
#include "escape.h"
#include "util.h"

static int push(char ***arr, size_t *n, const char *s, size_t len, bool upper)
{
        char **a = realloc(*arr, (*n + 1) * sizeof(*a));
        if (!a)
                return -ENOMEM;
        *arr = a;
        char *c = strndup(s, len);
        if (!c)
                return -ENOMEM;
        if (upper)
                for (char *p = c; *p; p++)
                        *p = (char)toupper((unsigned char)*p);
        a[(*n)++] = c;
        return 0;
}

static void free_list(char **a, size_t n)
{
        for (size_t i = 0; i < n; i++)
                free(a[i]);
        free(a);
}

void environ_filter_free(struct environ_filter *f)
{
        if (!f)
                return;
        free_list(f->allow, f->n_allow);
        free_list(f->secret_names, f->n_secret_names);
        free_list(f->secret_values, f->n_secret_values);
        free_list(f->secret_shapes, f->n_secret_shapes);
        free(f);
}

/* One rule: "KIND ARG" with no other blank than the one between. */
static int parse_line(struct environ_filter *f, const char *line, size_t n)
{
        const char *sp = memchr(line, ' ', n);
        if (!sp || sp + 1 == line + n)
                return -EINVAL;
        size_t klen = (size_t)(sp - line);
        const char *arg = sp + 1;
        size_t alen = n - klen - 1;
        if (memchr(arg, ' ', alen) && !(klen == 12 && strncmp(line, "secret-value", 12) == 0))
                return -EINVAL; /* a value pattern may hold a blank ("bearer *") */
#define KIND(k) (klen == strlen(k) && strncmp(line, k, klen) == 0)
        if (KIND("allow"))
                return push(&f->allow, &f->n_allow, arg, alen, false);
        if (KIND("secret-name"))
                return push(&f->secret_names, &f->n_secret_names, arg, alen, true);
        if (KIND("secret-value"))
                return push(&f->secret_values, &f->n_secret_values, arg, alen, false);
        if (KIND("secret-shape"))
                return push(&f->secret_shapes, &f->n_secret_shapes, arg, alen, false);
        if (KIND("token-length")) {
                char num[24];
                uint64_t v;
                if (alen >= sizeof(num))
                        return -EINVAL;
                memcpy(num, arg, alen);
                num[alen] = '\0';
                if (parse_u64(num, &v) < 0 || v > 4096)
                        return -EINVAL;
                f->token_length = (size_t)v;
                return 0;
        }
#undef KIND
        return -EINVAL;
}

int environ_filter_parse(const char *text, struct environ_filter **ret, unsigned *ret_line)
{
        struct environ_filter *f = calloc(1, sizeof(*f));
        if (!f)
                return -ENOMEM;
        unsigned line = 0;
        for (const char *p = text; *p;) {
                size_t n = strcspn(p, "\n");
                line++;
                size_t t = n;
                while (t > 0 && (p[t - 1] == ' ' || p[t - 1] == '\t' || p[t - 1] == '\r'))
                        t--;
                if (t > 0 && p[0] != '#') {
                        int r = parse_line(f, p, t);
                        if (r < 0) {
                                environ_filter_free(f);
                                if (ret_line)
                                        *ret_line = line;
                                return r;
                        }
                }
                p += n;
                if (*p)
                        p++;
        }
        *ret = f;
        return 0;
}

int environ_filter_defaults(struct environ_filter **ret)
{
        return environ_filter_parse(environ_data_filter, ret, NULL);
}

struct environ_filter *environ_filter_load(const char *path)
{
        if (!path)
                path = ENVIRON_FILTER_PATH;
        struct environ_filter *f = NULL;
        _cleanup_free_ char *text = NULL;
        int r = read_file_at(AT_FDCWD, path, 1 << 20, &text, NULL, NULL);
        if (r == 0) {
                unsigned line = 0;
                r = environ_filter_parse(text, &f, &line);
                if (r == 0)
                        return f;
                log_warning("%s:%u: not a rule; using the built-in environment filter", path, line);
        } else if (r != -ENOENT)
                log_warning("cannot read %s (%s); using the built-in environment filter", path, strerror(-r));
        if (environ_filter_defaults(&f) < 0)
                return NULL;
        return f;
}

/* Does c match the pattern element at p ('?', a [...] class, a literal)?
 * *ret_len is the element's length in the pattern. */
static bool match_one(const char *p, unsigned char c, bool fold, size_t *ret_len)
{
        unsigned char x = fold ? (unsigned char)tolower(c) : c;
        if (*p == '?') {
                *ret_len = 1;
                return true;
        }
        if (*p == '[') {
                const char *q = p + 1;
                bool neg = *q == '!' || *q == '^';
                if (neg)
                        q++;
                bool hit = false;
                const char *start = q;
                while (*q && (*q != ']' || q == start)) {
                        unsigned char lo = (unsigned char)*q, hi = lo;
                        if (q[1] == '-' && q[2] && q[2] != ']') {
                                hi = (unsigned char)q[2];
                                q += 2;
                        }
                        if (fold) {
                                lo = (unsigned char)tolower(lo);
                                hi = (unsigned char)tolower(hi);
                        }
                        if (x >= lo && x <= hi)
                                hit = true;
                        q++;
                }
                if (*q == ']') {
                        *ret_len = (size_t)(q + 1 - p);
                        return hit != neg;
                }
                /* no closing ']': a literal '[' */
        }
        *ret_len = 1;
        unsigned char l = (unsigned char)*p;
        return (fold ? (unsigned char)tolower(l) : l) == x;
}

/* fnmatch(3)'s *, ? and [...] without its flags, in O(len(pattern) *
 * len(s)) at worst: fnmatch backtracks exponentially on patterns with many
 * '*', and the value is the crashed process's choice. */
static bool glob_match(const char *pat, const char *s, size_t n, bool fold)
{
        size_t p = 0, i = 0, star_p = SIZE_MAX, star_i = 0, l;
        size_t m = strlen(pat);
        while (i < n) {
                if (p < m && pat[p] == '*') {
                        star_p = p++;
                        star_i = i;
                } else if (p < m && match_one(pat + p, (unsigned char)s[i], fold, &l)) {
                        p += l;
                        i++;
                } else if (star_p != SIZE_MAX) {
                        p = star_p + 1;
                        i = ++star_i;
                } else
                        return false;
        }
        while (p < m && pat[p] == '*')
                p++;
        return p == m;
}

static bool token_char(unsigned char c)
{
        return isalnum(c) || c == '+' || c == '/' || c == '=' || c == '_' || c == '-';
}

/* A run of at least min token characters mixing upper case, lower case and
 * digits, not starting with '/' (a path). */
static bool has_token(const char *v, size_t n, size_t min)
{
        if (min == 0)
                return false;
        size_t i = 0;
        while (i < n) {
                if (!token_char((unsigned char)v[i])) {
                        i++;
                        continue;
                }
                size_t j = i;
                bool up = false, lo = false, dig = false;
                for (; j < n && token_char((unsigned char)v[j]); j++) {
                        unsigned char c = (unsigned char)v[j];
                        up |= isupper(c) != 0;
                        lo |= islower(c) != 0;
                        dig |= isdigit(c) != 0;
                }
                if (j - i >= min && up && lo && dig && v[i] != '/')
                        return true;
                i = j;
        }
        return false;
}

static bool name_allowed(const struct environ_filter *f, const char *name)
{
        for (size_t i = 0; i < f->n_allow; i++)
                if (glob_match(f->allow[i], name, strlen(name), false))
                        return true;
        return false;
}

static bool name_secret(const struct environ_filter *f, const char *name)
{
        char up[256];
        size_t n = strlen(name);
        if (n >= sizeof(up))
                return true;
        for (size_t i = 0; i <= n; i++)
                up[i] = (char)toupper((unsigned char)name[i]);
        for (size_t i = 0; i < f->n_secret_names; i++)
                if (strstr(up, f->secret_names[i]))
                        return true;
        return false;
}

bool environ_keep(const struct environ_filter *f, const char *name, size_t nlen, const char *value, size_t vlen)
{
        char n[256];
        if (!f || nlen == 0 || nlen >= sizeof(n) || vlen > ENVIRON_VALUE_MAX)
                return false;
        memcpy(n, name, nlen);
        n[nlen] = '\0';
        if (memchr(n, '\0', nlen) || memchr(value, '\0', vlen) || memchr(value, '\n', vlen))
                return false;
        if (!name_allowed(f, n) || name_secret(f, n))
                return false;
        for (size_t i = 0; i < f->n_secret_values; i++)
                if (glob_match(f->secret_values[i], value, vlen, true))
                        return false;
        for (size_t i = 0; i < f->n_secret_shapes; i++)
                if (glob_match(f->secret_shapes[i], value, vlen, false))
                        return false;
        return !has_token(value, vlen, f->token_length);
}

void environ_redact(const struct environ_filter *f, const char *env, size_t len, struct strbuf *out)
{
        size_t off = 0;
        while (off < len) {
                const char *var = env + off;
                size_t vlen = strnlen(var, len - off);
                off += vlen + 1;
                const char *eq = memchr(var, '=', vlen);
                if (!eq || eq == var)
                        continue;
                size_t nlen = (size_t)(eq - var);
                text_escape(out, var, nlen);
                if (environ_keep(f, var, nlen, eq + 1, vlen - nlen - 1))
                        strbuf_append(out, eq, vlen - nlen);
                else
                        strbuf_puts(out, "=<redacted>");
                strbuf_append(out, "\n", 1);
        }
}
