#include "tables.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "rules_data.h"

/* Calls fn on each meaningful line (not blank, not a comment). */
static int each_line(const char *text, unsigned *ret_line, int (*fn)(char *line, void *ud), void *ud)
{
        unsigned lineno = 0;
        for (const char *p = text; p && *p;) {
                size_t n = strcspn(p, "\n");
                lineno++;
                const char *q = p;
                p += n;
                if (*p)
                        p++;
                while (n > 0 && (q[n - 1] == '\r' || q[n - 1] == ' '))
                        n--;
                if (n == 0 || q[0] == '#')
                        continue;
                char *line = strndup(q, n);
                if (!line)
                        return -ENOMEM;
                int r = fn(line, ud);
                free(line);
                if (r < 0) {
                        if (ret_line)
                                *ret_line = lineno;
                        return r;
                }
        }
        return 0;
}

static int add_abort(char *line, void *ud)
{
        struct rules_tables *t = ud;
        char *tab1 = strchr(line, '\t');
        char *tab2 = tab1 ? strchr(tab1 + 1, '\t') : NULL;
        if (!tab1 || !tab2 || tab1 == line || tab2 == tab1 + 1 || !tab2[1])
                return -EINVAL;
        *tab1 = *tab2 = '\0';
        struct abort_pattern *a = realloc(t->abort_patterns, (t->n_abort_patterns + 1) * sizeof(*a));
        if (!a)
                return -ENOMEM;
        t->abort_patterns = a;
        a = &a[t->n_abort_patterns];
        a->pattern = strdup(line);
        a->class_id = strdup(tab1 + 1);
        a->detail = strdup(tab2 + 1);
        if (!a->pattern || !a->class_id || !a->detail) {
                free(a->pattern);
                free(a->class_id);
                free(a->detail);
                return -ENOMEM;
        }
        t->n_abort_patterns++;
        return 0;
}

int tables_parse_abort_messages(struct rules_tables *t, const char *text, unsigned *ret_line)
{
        return each_line(text, ret_line, add_abort, t);
}

struct list_ud {
        char ***list;
        size_t *n;
};

static int add_item(char *line, void *ud)
{
        struct list_ud *l = ud;
        char **nl = realloc(*l->list, (*l->n + 1) * sizeof(char *));
        if (!nl)
                return -ENOMEM;
        *l->list = nl;
        nl[*l->n] = strdup(line);
        if (!nl[*l->n])
                return -ENOMEM;
        (*l->n)++;
        return 0;
}

int tables_parse_list(char ***list, size_t *n, const char *text, unsigned *ret_line)
{
        struct list_ud l = { list, n };
        return each_line(text, ret_line, add_item, &l);
}

int tables_load_defaults(struct rules_tables *t)
{
        int r = tables_parse_abort_messages(t, rules_data_abort_messages, NULL);
        if (r == 0)
                r = tables_parse_list(&t->skip_frames, &t->n_skip_frames, rules_data_skip_frames, NULL);
        if (r == 0)
                r = tables_parse_list(&t->allocators, &t->n_allocators, rules_data_allocators, NULL);
        if (r == 0)
                r = tables_parse_list(&t->system_headers, &t->n_system_headers, rules_data_system_headers, NULL);
        return r;
}

static void free_list(char **l, size_t n)
{
        for (size_t i = 0; i < n; i++)
                free(l[i]);
        free(l);
}

void tables_free(struct rules_tables *t)
{
        for (size_t i = 0; i < t->n_abort_patterns; i++) {
                free(t->abort_patterns[i].pattern);
                free(t->abort_patterns[i].class_id);
                free(t->abort_patterns[i].detail);
        }
        free(t->abort_patterns);
        free_list(t->skip_frames, t->n_skip_frames);
        free_list(t->allocators, t->n_allocators);
        free_list(t->system_headers, t->n_system_headers);
        memset(t, 0, sizeof(*t));
}
