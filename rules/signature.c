#include "signature.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "verdict.h"

#define SIGNATURE_FRAMES 4

void rules_function_base(const char *fn, char *buf, size_t size)
{
        snprintf(buf, size, "%s", fn);
        char *clone = strstr(buf, " [clone ");
        if (clone)
                *clone = '\0';
        static const char *const suffixes[] = { ".cold", ".isra", ".constprop", ".part", ".lto_priv" };
        for (size_t i = 0; i < ELEMENTSOF(suffixes); i++) {
                char *p = strstr(buf, suffixes[i]);
                if (p && p != buf)
                        *p = '\0';
        }
}

/* Appends "|token" to text, keeping it NUL-terminated within size. */
static void add(char *text, size_t size, const char *token)
{
        size_t len = strlen(text);
        if (len + 1 < size)
                snprintf(text + len, size - len, "%s%s", len ? "|" : "", token);
}

/* Where every stack ends, whatever the bug: the C runtime's and the thread
 * library's entry points. They say nothing of the bug and change with the
 * libc version, so the frames stop before them. */
static bool is_stack_base(const char *token)
{
        static const char *const bases[] = { "_start", "__libc_start_main", "__libc_start_main_impl",
                                             "__libc_start_call_main", "start_thread", "clone", "clone3",
                                             "__clone", "__clone3" };
        for (size_t i = 0; i < ELEMENTSOF(bases); i++)
                if (strcmp(token, bases[i]) == 0)
                        return true;
        return false;
}

static int cmp_str(const void *a, const void *b)
{
        return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* 64-bit FNV-1a: short, stable, enough to tell apart the signatures of one
 * fleet; the text beside it is what a person reads. */
static uint64_t fnv1a64(const char *s)
{
        uint64_t h = 0xcbf29ce484222325ull;
        for (; *s; s++) {
                h ^= (uint8_t)*s;
                h *= 0x100000001b3ull;
        }
        return h;
}

void rules_signature(const struct crash_facts *f, int ci, struct verdict *v)
{
        char *text = v->signature_text;
        size_t size = sizeof(v->signature_text);
        char tok[256];
        text[0] = '\0';
        add(text, size, "v1");
        add(text, size, v->class_id ? v->class_id : "unknown");
        add(text, size, f->exe ? path_file_name(f->exe) : "?");
        snprintf(tok, sizeof(tok), "sig%d", f->signo);
        add(text, size, tok);

        if (v->klass == CLASS_EXTERNAL_SIGNAL || v->klass == CLASS_OOM || !f->has_core) {
                /* where the signal or the OOM killer found the process is chance */
        } else if (v->klass == CLASS_STACK_EXHAUSTION && f->recursion.found) {
                /* the cycle's functions, sorted: the fault lands anywhere in it */
                const char *m[ELEMENTSOF(f->recursion.members)];
                size_t n = MIN(f->recursion.cycle_len, ELEMENTSOF(m));
                char names[ELEMENTSOF(m)][128];
                for (size_t i = 0; i < n; i++) {
                        if (f->recursion.members[i])
                                rules_function_base(f->recursion.members[i], names[i], sizeof(names[i]));
                        else
                                snprintf(names[i], sizeof(names[i]), "??");
                        m[i] = names[i];
                }
                qsort(m, n, sizeof(m[0]), cmp_str);
                add(text, size, "recursion");
                for (size_t i = 0; i < n; i++)
                        if (i == 0 || strcmp(m[i], m[i - 1]) != 0)
                                add(text, size, m[i]);
        } else if (v->klass == CLASS_STACK_EXHAUSTION && f->big_frame.found && f->big_frame.function) {
                rules_function_base(f->big_frame.function, tok, sizeof(tok));
                add(text, size, "big-frame");
                add(text, size, tok);
        } else if (ci >= 0) {
                /* the crash frame and its named callers down to main or the
                 * thread's start; repeats of one frame count once */
                char prev[256] = "";
                size_t taken = 0;
                for (size_t i = (size_t)ci; i < f->n_frames && taken < SIGNATURE_FRAMES; i++) {
                        const struct fact_frame *fr = &f->frames[i];
                        if (!fr->function && !fr->module)
                                break; /* a pc in no mapping: unwinding went into garbage */
                        if (!fr->function && !fr->label[0])
                                continue; /* named or not depends on the debug info at hand */
                        if (fr->function)
                                rules_function_base(fr->function, tok, sizeof(tok));
                        else
                                snprintf(tok, sizeof(tok), "%s", fr->label); /* MODULE+0xOFFSET: no ELF */
                        if (is_stack_base(tok))
                                break;
                        if (strcmp(tok, prev) == 0)
                                continue;
                        add(text, size, tok);
                        snprintf(prev, sizeof(prev), "%s", tok);
                        taken++;
                        if (strcmp(tok, "main") == 0)
                                break; /* below main is the C runtime */
                }
        }
        snprintf(v->signature, sizeof(v->signature), "%016llx", (unsigned long long)fnv1a64(text));
}
