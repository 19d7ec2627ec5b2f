/* The database a target names: which backend, the default one, and how it
 * may be shown (without its password). */
#include "fleet.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *fleet_default_db(void)
{
        const char *env = getenv("COREINSPECT_DB");
        if (env && *env)
                return strdup(env);
        char *p = NULL;
        const char *xdg = getenv("XDG_DATA_HOME");
        const char *home = getenv("HOME");
        int r;
        if (xdg && *xdg == '/')
                r = asprintf(&p, "%s/coreinspect/index.sqlite", xdg);
        else
                r = asprintf(&p, "%s/.local/share/coreinspect/index.sqlite", home && *home ? home : "/root");
        return r < 0 ? NULL : p;
}

/* Replaces the len bytes at p (inside the string buf) by "***". The caller
 * made sure the string can grow by 3. */
static void mask(char *p, size_t len)
{
        memmove(p + 3, p + len, strlen(p + len) + 1);
        memcpy(p, "***", 3);
}

static bool is_blank(char c)
{
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* The value of a password keyword starting at p ("password", "sslpassword"):
 * libpq allows blanks around '=' (password = x, password= x). NULL when
 * "password" there is not a keyword followed by '='. */
static char *password_value(char *p)
{
        char *q = p + strlen("password");
        while (is_blank(*q))
                q++;
        if (*q != '=')
                return NULL;
        for (q++; is_blank(*q);)
                q++;
        return q;
}

void fleet_redact(const char *target, char *buf, size_t size)
{
        /* Each mask grows the string by at most 3 bytes; a string that does
         * not fit whole could also lose the '@' or the end that marks a
         * password: then nothing of it is shown. */
        size_t n_pw = 1;
        for (const char *p = target; (p = strstr(p, "password")); p++)
                n_pw++;
        if (strlen(target) + 3 * n_pw >= size) {
                if (strstr(target, "://") || n_pw > 1)
                        snprintf(buf, size, "(a %zu-byte connection string)", strlen(target));
                else
                        snprintf(buf, size, "%s", target);
                return;
        }
        snprintf(buf, size, "%s", target);
        /* URI: scheme://user:PASSWORD@host... */
        char *scheme = strstr(buf, "://");
        if (scheme) {
                char *auth = scheme + 3;
                char *at = strchr(auth, '@');
                char *colon = strchr(auth, ':');
                if (at && colon && colon < at && at > colon + 1)
                        mask(colon + 1, (size_t)(at - colon - 1));
        }
        /* key=value: password=PASSWORD (or 'quoted'; blanks around '='
         * allowed), sslpassword=, and ?password= in URIs */
        for (char *p = buf; (p = strstr(p, "password")); ) {
                char *v = password_value(p), *end = v;
                if (!v) {
                        p += strlen("password");
                        continue;
                }
                if (*end == '\'') {
                        end++;
                        while (*end && *end != '\'')
                                end += end[0] == '\\' && end[1] ? 2 : 1;
                        if (*end)
                                end++;
                } else
                        while (*end && !is_blank(*end) && *end != '&')
                                end++;
                if (end > v) {
                        mask(v, (size_t)(end - v));
                        p = v + 3;
                } else
                        p = v;
        }
}

/* A libpq connection string (URI or key=value) rather than a file. */
bool fleet_is_postgres(const char *target)
{
        return strncmp(target, "postgresql://", 13) == 0 || strncmp(target, "postgres://", 11) == 0 ||
               strstr(target, "dbname=") || strstr(target, "host=");
}
