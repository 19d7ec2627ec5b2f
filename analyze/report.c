#include "report.h"

#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "escape.h"
#include "json.h"
#include "util.h"

const char *frame_origin_name(enum frame_origin o)
{
        switch (o) {
        case FRAME_CFI: return "cfi";
        case FRAME_LIBUNWIND: return "libunwind";
        case FRAME_SCAN: return "scan";
        }
        return "?";
}

void frame_clear(struct frame *f)
{
        free(f->function);
        free(f->file);
        free(f->module);
        free(f->build_id);
        if (f->source) {
                free(f->source->path);
                for (size_t i = 0; i < f->source->n; i++)
                        free(f->source->lines[i]);
                free(f->source);
        }
        memset(f, 0, sizeof(*f));
}

void report_warn(struct report *r, const char *fmt, ...)
{
        char **w = realloc(r->warnings, (r->n_warnings + 1) * sizeof(*w));
        if (!w)
                return;
        r->warnings = w;
        va_list ap;
        va_start(ap, fmt);
        if (vasprintf(&w[r->n_warnings], fmt, ap) >= 0)
                r->n_warnings++;
        va_end(ap);
}

void report_free(struct report *r)
{
        for (size_t i = 0; i < r->n_threads; i++) {
                struct thread_report *t = &r->threads[i];
                for (size_t k = 0; k < t->n_frames; k++)
                        frame_clear(&t->frames[k]);
                free(t->frames);
                free(t->name);
                free(t->error);
                free(t->disagreement);
        }
        free(r->threads);
        for (size_t i = 0; i < r->n_modules; i++) {
                struct module_report *m = &r->modules[i];
                free(m->name);
                free(m->build_id);
                free(m->elf_where);
                free(m->debug_where);
                free(m->hint);
                free(m->package);
                free(m->package_version);
        }
        free(r->modules);
        for (size_t i = 0; i < r->n_warnings; i++)
                free(r->warnings[i]);
        free(r->warnings);
        free(r->input_path);
        free(r->signal_name);
        free(r->exe);
        free(r->package);
        free(r->package_version);
        free(r->package_arch);
        free(r->comm);
        free(r->cmdline);
        for (size_t i = 0; i < r->argc; i++)
                free(r->argv[i]);
        free(r->argv);
        free(r->host);
        free(r->cgroup);
        free(r->limits);
        free(r->kernel_log);
        free(r->journal_log);
        free(r->truncation_reason);
        free(r->crash_frame);
        r->verdict.crash_frame = NULL;
        verdict_free(&r->verdict);
        memset(r, 0, sizeof(*r));
}

static const char *si_code_name(int signo, int code)
{
        switch (code) {
        case 0: return "SI_USER";
        case -6: return "SI_TKILL";
        case -1: return "SI_QUEUE";
        case 0x80: return "SI_KERNEL";
        default: break;
        }
        if (signo == SIGSEGV)
                return code == 1 ? "SEGV_MAPERR" : code == 2 ? "SEGV_ACCERR" : code == 3 ? "SEGV_BNDERR" : code == 4 ? "SEGV_PKUERR" : NULL;
        if (signo == SIGBUS)
                return code == 1 ? "BUS_ADRALN" : code == 2 ? "BUS_ADRERR" : code == 3 ? "BUS_OBJERR" : NULL;
        if (signo == SIGFPE)
                return code == 1 ? "FPE_INTDIV" : code == 2 ? "FPE_INTOVF" : code == 3 ? "FPE_FLTDIV" : NULL;
        if (signo == SIGILL)
                return code == 1 ? "ILL_ILLOPC" : code == 2 ? "ILL_ILLOPN" : code == 5 ? "ILL_PRVOPC" : NULL;
        return NULL;
}

static bool si_has_addr(const struct core_siginfo *si)
{
        return si->present && si->code > 0 && si->code != 0x80 /* SI_KERNEL: si_addr is 0 */ &&
               (si->signo == SIGSEGV || si->signo == SIGBUS || si->signo == SIGILL || si->signo == SIGFPE);
}

static bool si_has_sender(const struct core_siginfo *si)
{
        return si->present && si->code <= 0;
}

/* --- text ---
 * Every string that came from the crash (paths, names, arguments, messages
 * quoting them) goes through text_safe: no byte of it reaches the terminal
 * as a control (common/escape.h). */

/* The arguments as one shell command line, each quoted: unambiguous (a
 * space inside an argument is visible) and safe to paste and to show. */
static void print_command_line(FILE *out, const struct report *r)
{
        if (r->argc == 0)
                return;
        struct strbuf sb;
        strbuf_init(&sb);
        for (size_t i = 0; i < r->argc; i++) {
                if (i)
                        strbuf_append(&sb, " ", 1);
                shell_quote(&sb, r->argv[i], strlen(r->argv[i]));
        }
        _cleanup_free_ char *line = strbuf_steal(&sb, NULL);
        if (line)
                fprintf(out, "Command line: %s%s\n", text_safe(line),
                        r->argv_from_psargs ? "   (from the core's psargs: at most 80 bytes, split at spaces)" : "");
}

static void print_frame(FILE *out, const struct frame *f)
{
        fprintf(out, "  #%-2u 0x%016" PRIx64 " %s", f->index, f->pc, f->function ? text_safe(f->function) : "??");
        if (f->function && !f->inlined && f->offset)
                fprintf(out, "+0x%" PRIx64, f->offset);
        if (f->inlined)
                fprintf(out, " (inlined)");
        if (f->file)
                fprintf(out, " at %s:%d", text_safe(f->file), f->line);
        if (!f->function && f->module)
                fprintf(out, " (%s+0x%" PRIx64 ")", text_safe(path_file_name(f->module)), f->module_offset);
        if (f->module_no_elf)
                fprintf(out, " [%s, build-id %s, ELF not found]", text_safe(path_file_name(f->module)),
                        f->build_id ? text_safe(f->build_id) : "unknown");
        else if (f->module)
                fprintf(out, " [%s]", text_safe(path_file_name(f->module)));
        if (f->origin != FRAME_CFI)
                fprintf(out, " (%s)", f->origin == FRAME_SCAN ? "found by stack scan" : "libunwind");
        fputc('\n', out);
        /* the crash frame's source: the file's bytes, escaped */
        for (size_t i = 0; f->source && i < f->source->n; i++) {
                int no = f->source->first + (int)i;
                fprintf(out, "      %s%6d | %s\n", no == f->line ? ">" : " ", no, text_safe(f->source->lines[i]));
        }
}

static bool same_stack(const struct thread_report *a, const struct thread_report *b)
{
        if (a->n_frames != b->n_frames || (a->error == NULL) != (b->error == NULL))
                return false;
        for (size_t i = 0; i < a->n_frames; i++) {
                const char *x = a->frames[i].function, *y = b->frames[i].function;
                if ((x == NULL) != (y == NULL) || (x && strcmp(x, y) != 0))
                        return false;
                if (!x && a->frames[i].pc != b->frames[i].pc)
                        return false;
        }
        return true;
}

/* A hash that equal stacks (same_stack) share. */
static uint64_t stack_hash(const struct thread_report *t)
{
        uint64_t h = 0xcbf29ce484222325ULL;
#define MIX(v) (h = (h ^ (uint64_t)(v)) * 0x100000001b3ULL)
        MIX(t->n_frames);
        MIX(t->error != NULL);
        for (size_t i = 0; i < t->n_frames; i++) {
                const char *fn = t->frames[i].function;
                if (fn) {
                        for (const unsigned char *p = (const unsigned char *)fn; *p; p++)
                                MIX(*p);
                        MIX(0x100);
                } else {
                        MIX(t->frames[i].pc);
                        MIX(t->frames[i].pc >> 32);
                        MIX(0x200);
                }
        }
#undef MIX
        return h;
}

struct fold_key {
        uint64_t hash;
        size_t index;
};

static int fold_cmp(const void *a, const void *b)
{
        const struct fold_key *x = a, *y = b;
        if (x->hash != y->hash)
                return x->hash < y->hash ? -1 : 1;
        return x->index < y->index ? -1 : x->index > y->index;
}

static void print_thread_header(FILE *out, const struct thread_report *t)
{
        fprintf(out, "Thread %d%s%s%s%s:\n", (int)t->tid, t->name ? " \"" : "", t->name ? text_safe(t->name) : "",
                t->name ? "\"" : "", t->crashed ? " (crashed)" : "");
}

static void print_thread_body(FILE *out, const struct thread_report *t)
{
        for (size_t k = 0; k < t->n_frames; k++)
                print_frame(out, &t->frames[k]);
        if (t->error)
                fprintf(out, "  (%s)\n", text_safe(t->error));
        if (t->disagreement)
                fprintf(out, "  note: %s\n", text_safe(t->disagreement));
}

/* Mapped files the capture left out of the bundle's files/ (meta.json's
 * "skipped"): analysis elsewhere needs them from another source. */
static void print_skipped_files(FILE *out, const struct report *r)
{
        bool header = false;
        for (size_t i = 0; i < r->n_modules; i++) {
                const struct module_report *m = &r->modules[i];
                if (!m->skipped)
                        continue;
                if (!header) {
                        fprintf(out, "Mapped files left out of the bundle:\n");
                        header = true;
                }
                const char *why = strcmp(m->skipped, "file_max") == 0       ? "larger than file_max"
                                  : strcmp(m->skipped, "files_budget") == 0 ? "past files_budget"
                                  : strcmp(m->skipped, "rlimit") == 0       ? "RLIMIT_CORE allowed no core"
                                                                            : text_safe(m->skipped);
                fprintf(out, "  %s (build-id %s): not in the bundle: %s (%s)\n", text_safe(m->name),
                        m->build_id ? text_safe(m->build_id) : "unknown", why, text_safe(m->skipped));
        }
        if (header)
                fputc('\n', out);
}

/* The modules whose debug info was found, one line each (the others are
 * listed with a hint under "Modules without debug info"). */
static void print_debug_modules(FILE *out, const struct report *r)
{
        bool header = false;
        for (size_t i = 0; i < r->n_modules; i++) {
                const struct module_report *m = &r->modules[i];
                if (!m->debug_where)
                        continue;
                if (!header)
                        fprintf(out, "Modules with debug info:\n");
                header = true;
                fprintf(out, "  %s: %s (%s)\n", text_safe(m->name), text_safe(m->debug_where),
                        m->debug_source ? m->debug_source : "?");
        }
        if (header)
                fputc('\n', out);
}

/* /proc/PID/limits in a few lines: "name soft/hard unit" (one value when
 * soft and hard agree), the table's padding and "Max " left out. A line
 * that is not in the kernel's layout is shown as it is. */
static void print_limits(FILE *out, const char *limits)
{
        if (!limits)
                return;
        enum { NAME_WIDTH = 26, WRAP = 100 };
        size_t col = (size_t)fprintf(out, "Limits (soft/hard):");
        bool first = true;
        for (const char *p = limits; *p;) {
                size_t n = strcspn(p, "\n");
                _cleanup_free_ char *line = strndup(p, n);
                p += n + (p[n] == '\n');
                if (!line || strncmp(line, "Limit ", 6) == 0)
                        continue;
                char soft[32], hard[32], unit[32] = "";
                _cleanup_free_ char *item = NULL;
                if (n > NAME_WIDTH && sscanf(line + NAME_WIDTH, "%31s %31s %31s", soft, hard, unit) >= 2) {
                        size_t name_len = NAME_WIDTH;
                        while (name_len > 0 && line[name_len - 1] == ' ')
                                name_len--;
                        const char *name = strncmp(line, "Max ", 4) == 0 ? line + 4 : line;
                        line[name_len] = '\0';
                        bool same = strcmp(soft, hard) == 0;
                        if (asprintf(&item, "%s %s%s%s%s%s", name, soft, same ? "" : "/", same ? "" : hard,
                                     unit[0] ? " " : "", unit) < 0)
                                item = NULL;
                } else {
                        item = strdup(line);
                }
                if (!item)
                        continue;
                const char *shown = text_safe(item);
                if (!first)
                        col += (size_t)fprintf(out, ";");
                if (col + 1 + strlen(shown) > WRAP && !first) {
                        fputs("\n ", out);
                        col = 1;
                }
                col += (size_t)fprintf(out, " %s", shown);
                first = false;
        }
        fputs("\n\n", out);
}

/* A log block: its last max lines, saying how many came before. */
#define JOURNAL_TEXT_LINES 20
static void print_log(FILE *out, const char *title, const char *text, size_t max)
{
        if (!text || !*text)
                return;
        size_t lines = 0;
        for (const char *p = text; *p; p += strcspn(p, "\n"), p += *p == '\n')
                lines++;
        if (lines > max)
                fprintf(out, "%s (last %zu of %zu lines; --json has all):\n", title, max, lines);
        else
                fprintf(out, "%s:\n", title);
        size_t k = 0;
        for (const char *p = text; *p; k++) {
                size_t n = strcspn(p, "\n");
                if (lines - k <= max) {
                        _cleanup_free_ char *line = strndup(p, n);
                        fprintf(out, "  %s\n", line ? text_safe(line) : "?");
                }
                p += n + (p[n] == '\n');
        }
        fputc('\n', out);
}

void report_print_text(const struct report *r, FILE *out)
{
        char when[64] = "?";
        if (r->time) {
                struct tm tm;
                time_t t = (time_t)r->time;
                if (gmtime_r(&t, &tm))
                        strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", &tm);
        }
        if (r->classified) {
                const struct verdict *v = &r->verdict;
                fprintf(out, "Verdict: %s (%s confidence)\n  %s\n", v->class_id, v->confidence, text_safe(v->detail));
                if (v->n_evidence)
                        fprintf(out, "Evidence:\n");
                for (size_t i = 0; i < v->n_evidence; i++)
                        fprintf(out, "  - %s\n", text_safe(v->evidence[i]));
                if (v->n_next_steps)
                        fprintf(out, "Next steps:\n");
                for (size_t i = 0; i < v->n_next_steps; i++)
                        fprintf(out, "  $ %s\n", text_safe(v->next_steps[i]));
                if (v->signature[0])
                        fprintf(out, "Signature: %s (%s)\n", v->signature, text_safe(v->signature_text));
                fputc('\n', out);
        }
        fprintf(out, "Process %d (%s)", (int)r->pid, r->exe ? text_safe(r->exe) : r->comm ? text_safe(r->comm) : "?");
        if (r->host)
                fprintf(out, " on %s", text_safe(r->host));
        fprintf(out, ", %s\n", when);
        print_command_line(out, r);
        if (r->package)
                fprintf(out, "Package: %s %s%s%s (recorded on the crashed host)\n", text_safe(r->package),
                        r->package_version ? text_safe(r->package_version) : "(version not known: replaced since)",
                        r->package_arch ? " " : "", r->package_arch ? text_safe(r->package_arch) : "");
        fprintf(out, "Signal: %d (%s)", r->signal, r->signal_name ? r->signal_name : "?");
        if (r->si.present) {
                const char *cn = si_code_name(r->si.signo, r->si.code);
                if (cn)
                        fprintf(out, ", %s", cn);
                else
                        fprintf(out, ", si_code %d", r->si.code);
                if (si_has_addr(&r->si))
                        fprintf(out, ", fault address 0x%" PRIx64, r->si.addr);
                if (si_has_sender(&r->si))
                        fprintf(out, ", sent by pid %d uid %u", (int)r->si.sender_pid, (unsigned)r->si.sender_uid);
        }
        fputc('\n', out);
        if (r->crash_frame)
                fprintf(out, "Crash frame: %s\n", text_safe(r->crash_frame));
        if (r->core_withheld)
                fprintf(out, "No core: the process's RLIMIT_CORE (ulimit -c) was 0; corecollect recorded the crash "
                             "without its memory\n");
        else if (r->no_core)
                fprintf(out, "No core: the kernel killed the process (bundle from corecollect oom-watch)\n");
        if (r->truncated)
                fprintf(out, "Core truncated: %s\n", r->truncation_reason ? text_safe(r->truncation_reason) : "yes");
        for (size_t i = 0; i < r->n_warnings; i++)
                fprintf(out, "Warning: %s\n", text_safe(r->warnings[i]));
        fputc('\n', out);

        /* the crashing thread first, then others with identical stacks
         * folded: threads sorted by (stack hash, index), so that a thread's
         * equals follow it (a core may have 100,000s of threads) */
        size_t n = r->n_threads;
        bool *done = calloc(n ? n : 1, sizeof(bool));
        struct fold_key *keys = calloc(n ? n : 1, sizeof(*keys));
        size_t *pos = calloc(n ? n : 1, sizeof(*pos));
        if (!done || !keys || !pos) {
                free(done);
                free(keys);
                free(pos);
                return;
        }
        for (size_t i = 0; i < n; i++)
                keys[i] = (struct fold_key){ stack_hash(&r->threads[i]), i };
        qsort(keys, n, sizeof(*keys), fold_cmp);
        for (size_t k = 0; k < n; k++)
                pos[keys[k].index] = k;
        for (size_t i = 0; i < n; i++) {
                if (done[i])
                        continue;
                const struct thread_report *t = &r->threads[i];
                size_t same = 0;
                /* i is the first of its stack not yet shown: the others
                 * come after it among the keys of its hash */
                if (!t->crashed)
                        for (size_t k = pos[i] + 1; k < n && keys[k].hash == keys[pos[i]].hash; k++) {
                                size_t x = keys[k].index;
                                if (!done[x] && !r->threads[x].crashed && same_stack(t, &r->threads[x]))
                                        same++;
                        }
                if (same > 0) {
                        fprintf(out, "%zu threads like this: %d", same + 1, (int)t->tid);
                        done[i] = true;
                        for (size_t k = pos[i] + 1; k < n && keys[k].hash == keys[pos[i]].hash; k++) {
                                size_t x = keys[k].index;
                                if (!done[x] && !r->threads[x].crashed && same_stack(t, &r->threads[x])) {
                                        fprintf(out, " %d", (int)r->threads[x].tid);
                                        done[x] = true;
                                }
                        }
                        fputc('\n', out);
                } else {
                        print_thread_header(out, t);
                        done[i] = true;
                }
                print_thread_body(out, t);
                fputc('\n', out);
        }
        free(done);
        free(keys);
        free(pos);

        bool header = false, any_local = false, any_recorded = false;
        for (size_t i = 0; i < r->n_modules; i++) {
                const struct module_report *m = &r->modules[i];
                if (m->debug_where)
                        continue;
                if (!header) {
                        fprintf(out, "Modules without debug info:\n");
                        header = true;
                }
                fprintf(out, "  %s (build-id %s", text_safe(m->name), m->build_id ? text_safe(m->build_id) : "unknown");
                if (m->package)
                        fprintf(out, ", package %s %s", text_safe(m->package),
                                m->package_version ? text_safe(m->package_version) : "(version not known)");
                fprintf(out, ")%s\n", m->elf_where ? "" : " — ELF file not found either");
                if (m->hint)
                        fprintf(out, "    get it: %s\n", text_safe(m->hint));
                any_local |= m->hint && m->hint_local;
                any_recorded |= m->hint && m->hint_recorded;
        }
        if (any_recorded)
                fprintf(out, "  (packages as the crashed host's dpkg recorded them at capture time)\n");
        if (any_local)
                fprintf(out, "  (packages named from this machine's dpkg, whose files have the crash's build-ids;\n"
                             "   the crashed host's packages may differ)\n");
        if (header)
                fputc('\n', out);
        print_debug_modules(out, r);
        print_skipped_files(out, r);
        print_limits(out, r->limits);
        print_log(out, "Kernel log", r->kernel_log, SIZE_MAX);
        print_log(out, "Journal", r->journal_log, JOURNAL_TEXT_LINES);
}

/* --- JSON --- */

static void json_frame(struct json *j, const struct frame *f)
{
        char pc[24];
        json_object_begin(j, NULL);
        json_u64(j, "index", f->index);
        snprintf(pc, sizeof(pc), "0x%" PRIx64, f->pc);
        json_string(j, "pc", pc);
        json_string(j, "module", f->module);
        json_string(j, "build_id", f->build_id);
        if (f->module) {
                snprintf(pc, sizeof(pc), "0x%" PRIx64, f->module_offset);
                json_string(j, "module_offset", pc);
        } else {
                json_null(j, "module_offset");
        }
        json_boolean(j, "module_elf", f->module && !f->module_no_elf);
        json_string(j, "function", f->function);
        json_u64(j, "offset", f->offset);
        json_string(j, "file", f->file);
        if (f->line > 0)
                json_i64(j, "line", f->line);
        else
                json_null(j, "line");
        json_boolean(j, "inline", f->inlined);
        json_string(j, "origin", frame_origin_name(f->origin));
        if (f->source) {
                json_object_begin(j, "source");
                json_string(j, "path", f->source->path);
                json_i64(j, "first_line", f->source->first);
                json_array_begin(j, "lines");
                for (size_t i = 0; i < f->source->n; i++)
                        json_string(j, NULL, f->source->lines[i]);
                json_array_end(j);
                json_object_end(j);
        }
        json_object_end(j);
}

static void json_hex(struct json *j, const char *key, uint64_t v)
{
        char buf[24];
        snprintf(buf, sizeof(buf), "0x%" PRIx64, v);
        json_string(j, key, buf);
}

/* Splits text into an array of lines. */
static void json_lines(struct json *j, const char *key, const char *text)
{
        json_array_begin(j, key);
        for (const char *p = text; p && *p;) {
                size_t n = strcspn(p, "\n");
                json_string_len(j, NULL, p, n);
                p += n;
                if (*p)
                        p++;
        }
        json_array_end(j);
}

void report_print_json(const struct report *r, FILE *out)
{
        struct json j;
        json_init(&j, true);
        json_object_begin(&j, NULL);
        json_string(&j, "schema", REPORT_SCHEMA);
        json_object_begin(&j, "bundle");
        json_string(&j, "path", r->input_path);
        json_string(&j, "kind", r->input_kind);
        json_boolean(&j, "core", !r->no_core);
        json_boolean(&j, "core_withheld", r->core_withheld);
        json_object_end(&j);

        json_object_begin(&j, "process");
        json_i64(&j, "pid", r->pid);
        json_i64(&j, "tid", r->tid);
        json_string(&j, "exe", r->exe);
        json_string(&j, "comm", r->comm);
        json_string(&j, "cmdline", r->cmdline);
        if (r->argc) {
                json_array_begin(&j, "argv");
                for (size_t i = 0; i < r->argc; i++)
                        json_string(&j, NULL, r->argv[i]);
                json_array_end(&j);
        } else
                json_null(&j, "argv");
        json_i64(&j, "uid", r->uid);
        json_i64(&j, "gid", r->gid);
        json_string(&j, "host", r->host);
        json_i64(&j, "time", r->time);
        json_i64(&j, "signal", r->signal);
        json_string(&j, "signal_name", r->signal_name);
        if (r->package) {
                json_object_begin(&j, "package");
                json_string(&j, "name", r->package);
                json_string(&j, "version", r->package_version);
                json_string(&j, "architecture", r->package_arch);
                json_object_end(&j);
        }
        if (r->si.present) {
                json_object_begin(&j, "siginfo");
                json_i64(&j, "signo", r->si.signo);
                json_i64(&j, "code", r->si.code);
                json_string(&j, "code_name", si_code_name(r->si.signo, r->si.code));
                json_i64(&j, "errno", r->si.err);
                if (si_has_addr(&r->si))
                        json_hex(&j, "addr", r->si.addr);
                else
                        json_null(&j, "addr");
                if (si_has_sender(&r->si)) {
                        json_i64(&j, "sender_pid", r->si.sender_pid);
                        json_i64(&j, "sender_uid", r->si.sender_uid);
                }
                json_object_end(&j);
        } else
                json_null(&j, "siginfo");
        json_object_end(&j);

        json_object_begin(&j, "classification");
        if (r->classified) {
                const struct verdict *v = &r->verdict;
                json_string(&j, "class", v->class_id);
                json_string(&j, "detail", v->detail);
                json_string(&j, "confidence", v->confidence);
                json_string(&j, "crash_frame", v->crash_frame);
                json_array_begin(&j, "evidence");
                for (size_t i = 0; i < v->n_evidence; i++)
                        json_string(&j, NULL, v->evidence[i]);
                json_array_end(&j);
                json_array_begin(&j, "next_steps");
                for (size_t i = 0; i < v->n_next_steps; i++)
                        json_string(&j, NULL, v->next_steps[i]);
                json_array_end(&j);
        } else
                json_string(&j, "class", "unknown");
        json_object_end(&j);
        if (r->classified && r->verdict.signature[0]) {
                json_string(&j, "signature", r->verdict.signature);
                json_string(&j, "signature_text", r->verdict.signature_text);
        } else {
                json_null(&j, "signature");
                json_null(&j, "signature_text");
        }

        json_array_begin(&j, "threads");
        for (size_t i = 0; i < r->n_threads; i++) {
                const struct thread_report *t = &r->threads[i];
                json_object_begin(&j, NULL);
                json_i64(&j, "tid", t->tid);
                json_boolean(&j, "crashed", t->crashed);
                json_string(&j, "name", t->name);
                json_string(&j, "unwinder", t->unwinder);
                json_string(&j, "error", t->error);
                if (t->disagreement)
                        json_string(&j, "disagreement", t->disagreement);
                json_hex(&j, "sp", t->sp);
                json_array_begin(&j, "frames");
                for (size_t k = 0; k < t->n_frames; k++)
                        json_frame(&j, &t->frames[k]);
                json_array_end(&j);
                json_object_end(&j);
        }
        json_array_end(&j);

        json_array_begin(&j, "modules");
        for (size_t i = 0; i < r->n_modules; i++) {
                const struct module_report *m = &r->modules[i];
                json_object_begin(&j, NULL);
                json_string(&j, "name", m->name);
                json_string(&j, "build_id", m->build_id);
                json_hex(&j, "start", m->start);
                json_hex(&j, "end", m->end);
                json_string(&j, "elf", m->elf_where);
                json_string(&j, "elf_source", m->elf_source);
                json_string(&j, "debuginfo", m->debug_where);
                json_string(&j, "debuginfo_source", m->debug_source);
                json_string(&j, "hint", m->hint);
                if (m->skipped)
                        json_string(&j, "skipped", m->skipped);
                if (m->package) {
                        json_string(&j, "package", m->package);
                        json_string(&j, "package_version", m->package_version);
                }
                if (m->hint && (m->hint_recorded || m->hint_local))
                        json_string(&j, "hint_source", m->hint_recorded ? "crashed-host" : "this-machine");
                json_object_end(&j);
        }
        json_array_end(&j);

        if (r->limits)
                json_lines(&j, "limits", r->limits);
        else
                json_null(&j, "limits");
        json_object_begin(&j, "logs");
        json_lines(&j, "kernel", r->kernel_log);
        json_lines(&j, "journal", r->journal_log);
        json_object_end(&j);
        json_object_begin(&j, "truncation");
        json_boolean(&j, "truncated", r->truncated);
        json_string(&j, "reason", r->truncation_reason);
        json_object_end(&j);
        json_array_begin(&j, "warnings");
        for (size_t i = 0; i < r->n_warnings; i++)
                json_string(&j, NULL, r->warnings[i]);
        json_array_end(&j);
        json_object_end(&j);
        fprintf(out, "%s\n", j.sb.data ? j.sb.data : "{}");
        json_free(&j);
}
