/* From crash facts to a verdict: which class, why (evidence a reader can
 * check), and what to do next. Order matters: who sent the signal first,
 * then what the runtime said (abort messages), then what the hardware saw
 * (fault address, instruction, stack). */
#include <fnmatch.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules-internal.h"
#include "util.h"

#define NULL_PAGE_LIMIT 65536 /* faults below this are NULL plus a field offset */
#define STACK_NEAR 65536      /* sp this close to the stack's end: exhausted */

static const char *const signal_names[] = {
        [SIGSEGV] = "SIGSEGV", [SIGBUS] = "SIGBUS",   [SIGFPE] = "SIGFPE",   [SIGILL] = "SIGILL",
        [SIGABRT] = "SIGABRT", [SIGKILL] = "SIGKILL", [SIGTRAP] = "SIGTRAP", [SIGTERM] = "SIGTERM",
        [SIGQUIT] = "SIGQUIT", [SIGSYS] = "SIGSYS",   [SIGXCPU] = "SIGXCPU", [SIGXFSZ] = "SIGXFSZ",
};

static const char *sig_name(int s)
{
        return s > 0 && (size_t)s < sizeof(signal_names) / sizeof(signal_names[0]) && signal_names[s]
                       ? signal_names[s]
                       : "signal";
}

void v_set(struct verdict *v, enum crash_class c, const char *confidence, const char *fmt, ...)
{
        v->klass = c;
        v->class_id = crash_class_info(c)->name;
        v->confidence = confidence;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(v->detail, sizeof(v->detail), fmt, ap);
        va_end(ap);
}

static void v_push(char **arr, size_t *n, size_t max, const char *fmt, va_list ap)
{
        if (*n >= max)
                return;
        char *s = NULL;
        if (vasprintf(&s, fmt, ap) >= 0)
                arr[(*n)++] = s;
}

void v_evidence(struct verdict *v, const char *fmt, ...)
{
        va_list ap;
        va_start(ap, fmt);
        v_push(v->evidence, &v->n_evidence, VERDICT_MAX_EVIDENCE, fmt, ap);
        va_end(ap);
}

void v_step(struct verdict *v, const char *fmt, ...)
{
        va_list ap;
        va_start(ap, fmt);
        v_push(v->next_steps, &v->n_next_steps, VERDICT_MAX_STEPS, fmt, ap);
        va_end(ap);
}

void verdict_free(struct verdict *v)
{
        for (size_t i = 0; i < v->n_evidence; i++)
                free(v->evidence[i]);
        for (size_t i = 0; i < v->n_next_steps; i++)
                free(v->next_steps[i]);
        memset(v, 0, sizeof(*v));
}

bool name_in(const char *name, char *const *patterns, size_t n)
{
        if (!name)
                return false;
        for (size_t i = 0; i < n; i++)
                if (fnmatch(patterns[i], name, 0) == 0)
                        return true;
        return false;
}

const char *human_bytes(uint64_t v, char *buf, size_t size)
{
        static const char *unit[] = { "bytes", "KiB", "MiB", "GiB", "TiB" };
        double d = (double)v;
        int u = 0;
        while (d >= 1024 && u < 4) {
                d /= 1024;
                u++;
        }
        if (u == 0)
                snprintf(buf, size, "%" PRIu64 " bytes", v);
        else
                snprintf(buf, size, "%.1f %s", d, unit[u]);
        return buf;
}

/* Library code inlined into the program: an inline frame whose source file
 * is a system header. (Only inline frames: the file of a real frame is
 * that of its pc's line, which lies in a header whenever the pc is in code
 * inlined from one; libstdc++'s out-of-line templates are std:: by name.) */
static bool library_source(const struct fact_frame *fr, const struct rules_tables *t)
{
        return fr->inlined && fr->file && name_in(fr->file, t->system_headers, t->n_system_headers);
}

/* The first frame that is not the runtime reacting to the crash: not in the
 * skip table, and not library code from a system header (the fortified
 * strcpy of string_fortified.h, std::__new_allocator<T>::allocate): the
 * first frame whose source is the program's own. */
static int crash_frame_index(const struct crash_facts *f, const struct rules_tables *t)
{
        for (size_t i = 0; i < f->n_frames; i++) {
                const struct fact_frame *fr = &f->frames[i];
                if (!fr->function && fr->module_no_elf)
                        return (int)i; /* runtime or not, nobody can tell: never skip past it */
                if (!fr->function)
                        continue;
                char name[256];
                rules_function_base(fr->function, name, sizeof(name));
                if (name_in(name, t->skip_frames, t->n_skip_frames))
                        continue;
                if (library_source(fr, t))
                        continue;
                return (int)i;
        }
        return f->n_frames ? 0 : -1;
}

static const char *frame_name(const struct crash_facts *f, int i)
{
        if (i < 0 || (size_t)i >= f->n_frames)
                return "??";
        if (f->frames[i].function)
                return f->frames[i].function;
        return f->frames[i].label[0] ? f->frames[i].label : "??";
}

static bool has_frame(const struct crash_facts *f, const char *pattern)
{
        for (size_t i = 0; i < f->n_frames; i++)
                if (f->frames[i].function && fnmatch(pattern, f->frames[i].function, 0) == 0)
                        return true;
        return false;
}

static void where(const struct crash_facts *f, int ci, char *buf, size_t size)
{
        if (ci < 0) {
                snprintf(buf, size, "an unknown function");
                return;
        }
        const struct fact_frame *fr = &f->frames[ci];
        if (fr->file && fr->line > 0)
                snprintf(buf, size, "%s (%s:%d)", frame_name(f, ci), path_file_name(fr->file), fr->line);
        else
                snprintf(buf, size, "%s", frame_name(f, ci));
}

static const char *access_word(const struct insn_facts *in)
{
        if (in->is_call)
                return "call";
        switch (in->access) {
        case INSN_READ: return "read from";
        case INSN_WRITE: return "write to";
        case INSN_READ_WRITE: return "read-modify-write of";
        case INSN_EXEC: return "jump to";
        default: return "access to";
        }
}

static void evidence_signal(const struct crash_facts *f, struct verdict *v)
{
        if (f->has_addr)
                v_evidence(v, "%s with si_code %d, fault address 0x%" PRIx64 " (siginfo)", sig_name(f->signo), f->si_code,
                           f->fault_addr);
        else if (f->from_process)
                v_evidence(v, "%s with si_code %d from pid %d uid %u (siginfo)", sig_name(f->signo), f->si_code,
                           (int)f->sender_pid, (unsigned)f->sender_uid);
        else if (f->si_code == 0x80)
                v_evidence(v, "%s with si_code SI_KERNEL (0x80): a general-protection fault, si_addr says nothing (siginfo)",
                           sig_name(f->signo));
        else
                v_evidence(v, "%s with si_code %d (siginfo)", sig_name(f->signo), f->si_code);
}

static void evidence_insn(const struct crash_facts *f, struct verdict *v)
{
        const struct insn_facts *in = &f->insn;
        if (!in->decoded)
                return;
        if (in->has_mem && in->base_reg[0])
                v_evidence(v, "faulting instruction at 0x%" PRIx64 ": %s (%s memory, %s = 0x%" PRIx64 ", address 0x%" PRIx64 ")",
                           f->pc, in->text, in->access == INSN_WRITE ? "writes" : in->access == INSN_READ ? "reads" : "uses",
                           in->base_reg, in->base_value, in->mem_addr);
        else
                v_evidence(v, "faulting instruction at 0x%" PRIx64 ": %s", f->pc, in->text);
}

static void evidence_stack(const struct crash_facts *f, struct verdict *v)
{
        const struct stack_facts *s = &f->stack;
        char a[32], b[32];
        if (!s->known)
                return;
        v_evidence(v, "%s stack 0x%" PRIx64 "-0x%" PRIx64 " (%s); sp 0x%" PRIx64 " has used %s of it%s%s",
                   s->main_thread ? "main thread" : "thread", s->lo, s->hi, human_bytes(s->hi - s->lo, a, sizeof(a)), s->sp,
                   human_bytes(s->used, b, sizeof(b)), s->rlimit_stack && s->rlimit_stack != UINT64_MAX ? "; RLIMIT_STACK " : "",
                   s->rlimit_stack && s->rlimit_stack != UINT64_MAX ? human_bytes(s->rlimit_stack, a, sizeof(a)) : "");
}

/* --- the classes --- */

static bool stack_exhausted(const struct crash_facts *f)
{
        const struct stack_facts *s = &f->stack;
        if (f->has_addr && s->known) {
                /* in the guard gap or page just below the stack */
                if (f->fault_addr < s->lo && s->lo - f->fault_addr <= (1u << 20) + 4096)
                        return true;
                if (s->guard_hi && f->fault_addr >= s->guard_lo && f->fault_addr < s->guard_hi)
                        return true;
        }
        /* a call/push that faulted writing just below sp */
        if (f->has_addr && (f->insn.is_call || f->insn.is_push) && f->fault_addr + 8 >= f->sp - 8 &&
            f->fault_addr <= f->sp)
                return true;
        if (s->known && s->sp >= s->lo && s->sp - s->lo < 4096 && (f->recursion.found || s->used > (1u << 20)))
                return true;
        return false;
}

static void classify_stack(const struct crash_facts *f, struct verdict *v, int ci)
{
        char buf[32];
        const struct recursion_facts *r = &f->recursion;
        if (r->found && r->cycle_len == 1)
                v_set(v, CLASS_STACK_EXHAUSTION, "high", "stack overflow: infinite recursion in %s (%zu+ frames deep)",
                      r->members[0], r->depth);
        else if (r->found && r->members[1])
                v_set(v, CLASS_STACK_EXHAUSTION, "high", "stack overflow: mutual recursion %s -> %s%s%s%s (cycle of %zu, %zu+ frames deep)",
                      r->members[0], r->members[1], r->members[2] ? " -> " : "", r->members[2] ? r->members[2] : "",
                      r->cycle_len > 3 ? " -> ..." : "", r->cycle_len, r->depth);
        else if (r->found)
                v_set(v, CLASS_STACK_EXHAUSTION, "high", "stack overflow: recursion through %s (a cycle of %zu frames, %zu+ frames deep)",
                      r->members[0], r->cycle_len, r->depth);
        else if (f->big_frame.found)
                v_set(v, CLASS_STACK_EXHAUSTION, "high", "stack overflow: %s has a %s stack frame (alloca or a large local array)",
                      f->big_frame.function ? f->big_frame.function : "??", human_bytes(f->big_frame.size, buf, sizeof(buf)));
        else
                v_set(v, CLASS_STACK_EXHAUSTION, "medium", "stack overflow in %s (%zu frames deep)", frame_name(f, ci), f->n_frames);
        evidence_signal(f, v);
        evidence_stack(f, v);
        if (f->has_addr && f->stack.known && f->fault_addr < f->stack.lo)
                v_evidence(v, "fault address 0x%" PRIx64 " is %s below the stack's lowest mapped address (the guard gap)",
                           f->fault_addr, human_bytes(f->stack.lo - f->fault_addr, buf, sizeof(buf)));
        evidence_insn(f, v);
        if (r->found)
                v_evidence(v, "the frames repeat a cycle of %zu function(s) %zu times in a row; %zu frames unwound%s", r->cycle_len,
                           r->repeats, r->depth, r->frames_capped ? " (frame limit reached)" : "");
        if (f->big_frame.found)
                v_evidence(v, "frame of %s spans %s (sp difference to its caller)", f->big_frame.function ? f->big_frame.function : "??",
                           human_bytes(f->big_frame.size, buf, sizeof(buf)));
}

/* glibc messages about a damaged heap; the double-free ones with
 * "corruption" in them fire for any damage (CRASH-FACTS.md) */
static bool heap_message(const struct abort_pattern *p)
{
        enum crash_class c = crash_class_from_name(p->class_id);
        return c == CLASS_HEAP_CORRUPTION || (c == CLASS_DOUBLE_FREE && strstr(p->pattern, "corruption"));
}

/* Where the bytes of a heap copy came from, as a reader names it. */
static const char *copy_source_words(const struct heap_facts *h, char *buf, size_t size)
{
        const char *n = h->copy_src_name ? h->copy_src_name : "";
        if (strcmp(n, "[heap]") == 0)
                snprintf(buf, size, "the bytes at 0x%" PRIx64 " elsewhere in the heap", h->copy_src);
        else if (strcmp(n, "[stack]") == 0 || strcmp(n, "thread stack") == 0)
                snprintf(buf, size, "the bytes at 0x%" PRIx64 " on the %s", h->copy_src,
                         n[0] == '[' ? "stack" : "thread's stack");
        else if (n[0] == '/')
                snprintf(buf, size, "the bytes at 0x%" PRIx64 " in the %s of %s", h->copy_src,
                         h->copy_src_perms[1] == 'w'   ? "writable data"
                         : h->copy_src_perms[2] == 'x' ? "code"
                                                       : "read-only data",
                         path_file_name(n));
        else
                snprintf(buf, size, "the bytes at 0x%" PRIx64 " in %s", h->copy_src, n[0] ? n : "anonymous memory");
        return buf;
}

static bool abort_message(const struct crash_facts *f, const struct rules_tables *t, struct verdict *v, int ci)
{
        if (!f->abort_msg)
                return false;
        char loc[256];
        where(f, ci, loc, sizeof(loc));
        for (size_t i = 0; i < t->n_abort_patterns; i++) {
                const struct abort_pattern *p = &t->abort_patterns[i];
                if (!strstr(f->abort_msg, p->pattern))
                        continue;
                if (crash_class_from_name(p->class_id) == CLASS_ASSERTION) {
                        /* "prog: file.c:12: func: Assertion `x > 0' failed." */
                        const char *a = strstr(f->abort_msg, "Assertion");
                        size_t n = strcspn(a, "\n");
                        v_set(v, CLASS_ASSERTION, "high", "%.*s (in %s)", (int)n, a, loc);
                } else if (f->heap.overflow && heap_message(p)) {
                        v_set(v, CLASS_BUFFER_OVERFLOW, "high",
                              "heap buffer overflow: at least %" PRIu64 " bytes past the end of the %" PRIu64 "-byte chunk at 0x%" PRIx64
                              ", through the next chunk's header; glibc then said \"%s\" (in %s)",
                              f->heap.overflow_bytes, f->heap.before.usable, f->heap.before.addr + 16, p->pattern, loc);
                } else if (f->heap.copied && heap_message(p)) {
                        char src[160];
                        v_set(v, CLASS_BUFFER_OVERFLOW, "medium",
                              "heap buffer overflow: the %" PRIu64 " bytes at 0x%" PRIx64 "-0x%" PRIx64 " are a copy of %s"
                              " and reach the broken header of the chunk at 0x%" PRIx64
                              " (a memcpy/memmove/strcpy ran past its buffer); glibc then said \"%s\" (in %s)",
                              f->heap.copy_hi - f->heap.copy_lo, f->heap.copy_lo, f->heap.copy_hi,
                              copy_source_words(&f->heap, src, sizeof(src)), f->heap.bad.addr, p->pattern, loc);
                } else if (f->heap.off_by_one) {
                        v_set(v, CLASS_BUFFER_OVERFLOW, "high",
                              "heap off-by-one: a write one byte past a %" PRIu64 "-byte buffer at 0x%" PRIx64
                              " zeroed the low byte of the next chunk's size; glibc then said \"%s\"",
                              f->heap.before.usable, f->heap.before.addr + 16, p->pattern);
                } else {
                        v_set(v, crash_class_from_name(p->class_id), "high", "%s (in %s)", p->detail, loc);
                }
                v_evidence(v, "glibc's last message (__abort_msg): %s", f->abort_msg);
                return true;
        }
        return false;
}

static void evidence_heap(const struct crash_facts *f, struct verdict *v)
{
        const struct heap_facts *h = &f->heap;
        if (!h->walked)
                return;
        if (h->off_by_one)
                v_evidence(v, "heap chunk at 0x%" PRIx64 " has size field 0x%" PRIx64 " (expected 0x%" PRIx64
                           "): its low byte is 0x00; the chunk before it at 0x%" PRIx64 " (size field 0x%" PRIx64
                           ", %" PRIu64 " usable bytes) is filled to its last byte",
                           h->bad.addr, h->bad.size_field, h->expected_size, h->before.addr, h->before.size_field, h->before.usable);
        else if (h->overflow)
                v_evidence(v, "heap walk: the chunk at 0x%" PRIx64 " (size field 0x%" PRIx64 ", %" PRIu64
                           " usable bytes, pointer 0x%" PRIx64 ") ends in printable text; the next chunk at 0x%" PRIx64
                           " has the impossible size field 0x%" PRIx64 ", text too: the text runs %" PRIu64 " bytes past the end",
                           h->before.addr, h->before.size_field, h->before.usable, h->before.addr + 16, h->bad.addr,
                           h->bad.size_field, h->overflow_bytes);
        else if (h->corrupt)
                v_evidence(v, "heap walk: chunk at 0x%" PRIx64 " has an impossible size field 0x%" PRIx64
                           " (after the chunk at 0x%" PRIx64 ", %" PRIu64 " usable bytes)",
                           h->bad.addr, h->bad.size_field, h->before.addr, h->before.usable);
        else
                v_evidence(v, "heap walk: %zu chunks from 0x%" PRIx64 " to the top chunk look consistent", h->chunks, h->heap_start);
        if (h->copied) {
                char src[160];
                v_evidence(v, "heap: the %" PRIu64 " bytes at 0x%" PRIx64 "-0x%" PRIx64 " (next to the broken header of the chunk at 0x%" PRIx64
                           ") are an exact copy of %s (%s %s): a copy wrote them there",
                           h->copy_hi - h->copy_lo, h->copy_lo, h->copy_hi, h->bad.addr,
                           copy_source_words(h, src, sizeof(src)), h->copy_src_perms, h->copy_src_name ? h->copy_src_name : "?");
        }
        if (h->note)
                v_evidence(v, "%s", h->note);
}

static bool out_of_memory(const struct crash_facts *f, struct verdict *v, int ci)
{
        const struct memory_facts *m = &f->mem;
        char a[32], b[32];
        if (m->oom_kill) {
                if (m->oom_memcg && m->cgroup_limit)
                        v_set(v, CLASS_OOM, "high", "killed by the kernel's OOM killer: memory cgroup %s reached its limit of %s",
                              m->cgroup ? m->cgroup : "?", human_bytes(m->cgroup_limit, a, sizeof(a)));
                else
                        v_set(v, CLASS_OOM, "high", "killed by the kernel's OOM killer%s",
                              m->oom_memcg ? " (memory cgroup limit)" : " (the system ran out of memory)");
                if (m->oom_line)
                        v_evidence(v, "kernel log: %s", m->oom_line);
                if (m->cgroup_limit)
                        v_evidence(v, "memory cgroup %s: limit %s, peak usage %s", m->cgroup ? m->cgroup : "?",
                                   human_bytes(m->cgroup_limit, a, sizeof(a)), human_bytes(m->cgroup_usage, b, sizeof(b)));
                if (m->vm_size)
                        v_evidence(v, "the process had %s of address space when it was killed", human_bytes(m->vm_size, a, sizeof(a)));
                return true;
        }
        bool bad_alloc = f->exception_type && strstr(f->exception_type, "bad_alloc");
        bool near_as = m->rlimit_as && m->rlimit_as != UINT64_MAX && m->mapped_total + (m->rlimit_as / 16) >= m->rlimit_as;
        bool near_data = m->rlimit_data && m->rlimit_data != UINT64_MAX && m->vm_peak && m->vm_peak + (m->rlimit_data / 16) >= m->rlimit_data;
        if (!bad_alloc && !((near_as || near_data) && f->signo == SIGABRT))
                return false;
        if (near_as)
                v_set(v, CLASS_OOM, "high", "out of memory: the address space reached RLIMIT_AS (%s mapped of %s)%s in %s",
                      human_bytes(m->mapped_total, a, sizeof(a)), human_bytes(m->rlimit_as, b, sizeof(b)),
                      bad_alloc ? ", std::bad_alloc was thrown" : ", then abort()", frame_name(f, ci));
        else if (near_data)
                v_set(v, CLASS_OOM, "high", "out of memory: RLIMIT_DATA %s reached (peak %s) in %s", human_bytes(m->rlimit_data, a, sizeof(a)),
                      human_bytes(m->vm_peak, b, sizeof(b)), frame_name(f, ci));
        else
                v_set(v, CLASS_OOM, "medium", "out of memory: std::bad_alloc was thrown in %s", frame_name(f, ci));
        if (m->rlimit_as && m->rlimit_as != UINT64_MAX)
                v_evidence(v, "RLIMIT_AS %s; mapped %s; VmPeak %s", human_bytes(m->rlimit_as, a, sizeof(a)),
                           human_bytes(m->mapped_total, b, sizeof(b)), m->vm_peak ? human_bytes(m->vm_peak, b, sizeof(b)) : "?");
        if (bad_alloc)
                v_evidence(v, "uncaught C++ exception %s", f->exception_type);
        return true;
}

/* An exception is being thrown or rethrown on this thread. */
static bool throwing(const struct crash_facts *f)
{
        return has_frame(f, "__cxa_throw") || has_frame(f, "__cxa_rethrow") || has_frame(f, "_Unwind_*") ||
               has_frame(f, "__cxa_call_terminate") || has_frame(f, "std::rethrow_exception*");
}

static void classify_abort(const struct crash_facts *f, const struct rules_tables *t, struct verdict *v, int ci)
{
        char loc[256];
        where(f, ci, loc, sizeof(loc));
        if (out_of_memory(f, v, ci))
                ;
        else if (abort_message(f, t, v, ci)) {
                if (v->klass == CLASS_DOUBLE_FREE || v->klass == CLASS_HEAP_CORRUPTION ||
                    v->klass == CLASS_USE_AFTER_FREE || v->klass == CLASS_BUFFER_OVERFLOW)
                        evidence_heap(f, v);
        } else if (!f->exception_type && !throwing(f) &&
                   (has_frame(f, "std::terminate*") || has_frame(f, "__gnu_cxx::__verbose_terminate_handler*") ||
                    has_frame(f, "__cxa_pure_virtual") || has_frame(f, "__cxa_deleted_virtual"))) {
                /* terminate() with no exception in flight: who called it */
                if (has_frame(f, "__cxa_pure_virtual") || has_frame(f, "__cxa_deleted_virtual"))
                        v_set(v, CLASS_ABORT, "high",
                              "pure virtual method called in %s: std::terminate() called abort() (a virtual call during "
                              "a constructor or destructor, or through a destroyed object)",
                              loc);
                else if (has_frame(f, "std::thread::~thread*"))
                        v_set(v, CLASS_ABORT, "high",
                              "a joinable std::thread was destroyed in %s: std::terminate() called abort() (join() or "
                              "detach() it first)",
                              loc);
                else
                        v_set(v, CLASS_ABORT, "high", "std::terminate() called with no exception in flight, in %s", loc);
                v_evidence(v, "std::terminate on the crashing thread's stack, no __cxa_throw, __cxa_rethrow or _Unwind_* "
                              "frame and no exception object found: terminate was called directly, not for an exception");
        } else if (f->exception_type || has_frame(f, "std::terminate*") || has_frame(f, "__cxa_throw") ||
                   has_frame(f, "__gnu_cxx::__verbose_terminate_handler*")) {
                v_set(v, CLASS_ABORT, "high", "uncaught C++ exception%s%s: std::terminate() called abort() (thrown in %s)",
                      f->exception_type ? " " : "", f->exception_type ? f->exception_type : "", loc);
                v_evidence(v, "std::terminate / __cxa_throw on the crashing thread's stack");
        } else if (has_frame(f, "__malloc_assert")) {
                v_set(v, CLASS_HEAP_CORRUPTION, "high",
                      "glibc's malloc failed one of its own assertions in %s (\"Fatal glibc error: malloc assertion "
                      "failure\", printed to stderr only): the heap's metadata is inconsistent, overwritten",
                      frame_name(f, ci));
                v_evidence(v, "__malloc_assert on the crashing thread's stack: glibc checks its heap state with "
                              "assertions that only fail when chunk headers or the top chunk were overwritten");
                evidence_heap(f, v);
        } else if (f->heap.walked && f->heap.off_by_one) {
                v_set(v, CLASS_BUFFER_OVERFLOW, "medium", "heap off-by-one (no glibc message): abort() called from %s", loc);
                evidence_heap(f, v);
        } else {
                v_set(v, CLASS_ABORT, "high", "abort() called by the program in %s", loc);
        }
        evidence_signal(f, v);
        if (f->from_process && f->sender_pid == f->pid)
                v_evidence(v, "the signal came from the process itself (si_pid %d = pid): raise()/abort(), not kill from outside",
                           (int)f->sender_pid);
}

/* glibc >= 2.32 "safe-links" free lists: a freed chunk's first word is
 * (its address >> 12) ^ next, which is just address >> 12 for the last entry.
 * A fault at such a value (plus a small field offset) means a pointer was
 * read from a freed chunk. Returns the chunk region it points back to. */
static uint64_t safe_linked_chunk(const struct crash_facts *f, uint64_t addr)
{
        if (!f->heap.heap_start || addr < NULL_PAGE_LIMIT || addr >= (1ULL << 36))
                return 0;
        for (uint64_t off = 0; off <= 0x100; off += 8) {
                if (addr < off)
                        break;
                uint64_t back = (addr - off) << 12;
                if (back >= f->heap.heap_start && back < f->heap.heap_end)
                        return back;
        }
        return 0;
}

/* A mapping as a reader names it: "the stack", "the heap", "the read-only
 * data of prog", "anonymous memory (rw-p)". */
static const char *map_words(const struct crash_facts *f, const struct map_facts *m, char *buf, size_t size)
{
        const char *n = m->name ? m->name : "";
        if (!m->found)
                snprintf(buf, size, "unmapped memory");
        else if (strcmp(n, "[stack]") == 0)
                snprintf(buf, size, "the stack");
        else if (f->stack.known && m->start == f->stack.lo && m->end == f->stack.hi)
                snprintf(buf, size, "the thread's stack");
        else if (strcmp(n, "[heap]") == 0)
                snprintf(buf, size, "the heap");
        else if (n[0] == '/')
                snprintf(buf, size, "the %s of %s", m->perms[1] == 'w' ? "writable data" : m->perms[2] == 'x' ? "code" : "read-only data",
                         path_file_name(n));
        else if (n[0])
                snprintf(buf, size, "%s", n);
        else
                snprintf(buf, size, "anonymous memory (%s)", m->perms);
        return buf;
}

/* Where the faulting instruction is, for a fault the CPU raised: the crash
 * frame when that is frame 0; when frame 0 has no name (generated code,
 * data, a function without a symbol) its pc and mapping, and the first
 * named frame only as the next frame, never as the place of the fault. */
static void fault_where(const struct crash_facts *f, int ci, char *buf, size_t size)
{
        char loc[256], m[160];
        if (ci <= 0 || f->n_frames == 0 || f->frames[0].function) {
                where(f, ci, buf, size);
                return;
        }
        where(f, ci, loc, sizeof(loc));
        if (snprintf(buf, size, "code at 0x%" PRIx64 " in %s (no symbol; next frame: %s)", f->pc,
                     map_words(f, &f->pc_map, m, sizeof(m)), loc) >= (int)size)
                return; /* cut: the detail has room for the start */
}

/* The CPU failed to fetch the instruction at pc: pc lies in a mapping
 * without execute permission (or si_addr == pc with SEGV_ACCERR). Whatever
 * the bytes there decode to never ran. */
static bool exec_fault(const struct crash_facts *f)
{
        if (f->pc_map.found)
                return f->pc_map.perms[2] != 'x';
        return f->has_addr && f->pc == f->fault_addr && f->si_code == 2 /* SEGV_ACCERR */;
}

static bool canonical(uint64_t a)
{
        uint64_t top = a >> 47;
        return top == 0 || top == 0x1ffff;
}

/* movaps/movdqa/movntdq...: SSE/AVX moves that need their operand aligned
 * to its size; a misaligned one is a general-protection fault. */
static uint64_t alignment_needed(const struct insn_facts *in)
{
        const char *t = in->text;
        if (t[0] == 'v')
                t++;
        if (strncmp(t, "mova", 4) != 0 && (strncmp(t, "movnt", 5) != 0 || strncmp(t, "movnti", 6) == 0))
                return 0;
        if (strstr(in->text, "zmm"))
                return 64;
        return strstr(in->text, "ymm") ? 32 : 16;
}

static void classify_exec(const struct crash_facts *f, struct verdict *v, int ci)
{
        char loc[256], m[160];
        where(f, ci, loc, sizeof(loc));
        bool popped = f->has_word_below_sp && f->word_below_sp == f->pc;
        map_words(f, &f->pc_map, m, sizeof(m));
        v_set(v, CLASS_WILD_JUMP, "high", "executing %s at 0x%" PRIx64 ": %s; next frame: %s", m, f->pc,
              popped ? "a ret popped an overwritten return address" : "code injected or a corrupted function pointer", loc);
        evidence_signal(f, v);
        if (f->pc_map.found)
                v_evidence(v, "pc 0x%" PRIx64 " lies in the mapping 0x%" PRIx64 "-0x%" PRIx64 " %s %s, which has no execute permission: "
                           "the fault is the instruction fetch itself, the bytes there never ran",
                           f->pc, f->pc_map.start, f->pc_map.end, f->pc_map.perms,
                           f->pc_map.name && f->pc_map.name[0] ? f->pc_map.name : "(anonymous)");
        if (f->has_addr)
                v_evidence(v, "si_addr 0x%" PRIx64 " %s pc", f->fault_addr, f->fault_addr == f->pc ? "=" : "!=");
        if (popped)
                v_evidence(v, "the word just below sp is 0x%" PRIx64 " = pc: a ret popped it", f->word_below_sp);
}

static void classify_gp(const struct crash_facts *f, struct verdict *v, const char *floc)
{
        const struct insn_facts *in = &f->insn;
        char m[160];
        uint64_t align;
        if (!in->decoded) {
                v_set(v, CLASS_UNKNOWN, "low", "general-protection fault in %s; the instruction could not be decoded", floc);
        } else if (in->is_privileged) {
                bool data = !f->pc_map.found || !f->pc_map.name || f->pc_map.name[0] != '/';
                if (data)
                        v_set(v, CLASS_ILLEGAL_INSTRUCTION, "high",
                              "privileged instruction `%s` executed in user mode at 0x%" PRIx64 " in %s: a jump into data or a corrupted code pointer",
                              in->text, f->pc, map_words(f, &f->pc_map, m, sizeof(m)));
                else
                        v_set(v, CLASS_ILLEGAL_INSTRUCTION, "high",
                              "privileged instruction `%s` in %s: user mode may not execute it (inline assembly, or a jump into the middle of an instruction)",
                              in->text, floc);
                v_evidence(v, "`%s` is a privileged instruction: in user mode the CPU raises a general-protection fault; no memory was accessed",
                           in->text);
        } else if (in->is_ret) {
                v_set(v, CLASS_WILD_JUMP, "high", "return address overwritten: ret in %s returns to 0x%" PRIx64, floc,
                      f->has_word_at_sp ? f->word_at_sp : in->mem_addr);
                if (f->has_word_at_sp)
                        v_evidence(v, "the word at sp (what ret pops) is 0x%" PRIx64 "%s", f->word_at_sp,
                                   canonical(f->word_at_sp) ? "" : ", a non-canonical address");
        } else if (in->has_mem && !canonical(in->mem_addr)) {
                v_set(v, CLASS_UNKNOWN, "low", "general protection fault: %s non-canonical address 0x%" PRIx64 " in %s (a garbage pointer in %s)",
                      access_word(in), in->mem_addr, floc, in->base_reg[0] ? in->base_reg : "a register");
        } else if (in->has_mem && (align = alignment_needed(in)) != 0 && in->mem_addr % align != 0) {
                v_set(v, CLASS_UNKNOWN, "medium", "misaligned access: `%s` needs a %" PRIu64 "-byte aligned address, 0x%" PRIx64 " is not (in %s)",
                      in->text, align, in->mem_addr, floc);
        } else if (in->has_mem) {
                v_set(v, CLASS_UNKNOWN, "low", "general protection fault: `%s` in %s, address 0x%" PRIx64 " (canonical; a segment or alignment check failed)",
                      in->text, floc, in->mem_addr);
        } else {
                v_set(v, CLASS_UNKNOWN, "low", "general protection fault on `%s` in %s (no memory operand)", in->text, floc);
        }
}

#define RUNOFF_SLACK 64 /* bytes: the widest store (AVX-512) */

/* A write that faulted on the first bytes past the end of a writable
 * mapping (in a gap, or in a mapping right after it that forbids writing):
 * a sequential write that ran off the end of a buffer in that mapping. A
 * wild pointer lands there only by a rare chance. */
static bool runs_off_end(const struct crash_facts *f)
{
        const struct map_facts *m = &f->fault_map;
        if (!f->has_addr || !m->prev_end || m->prev_perms[1] != 'w' || !f->insn.decoded)
                return false;
        if (f->insn.access != INSN_WRITE && f->insn.access != INSN_READ_WRITE)
                return false;
        if (f->fault_addr < m->prev_end || f->fault_addr - m->prev_end >= RUNOFF_SLACK)
                return false;
        return !m->found || (m->start == m->prev_end && m->perms[1] != 'w');
}

static void classify_runoff(const struct crash_facts *f, struct verdict *v, const char *loc)
{
        const struct map_facts *m = &f->fault_map;
        const struct map_facts *b = &f->base_map;
        const char *name = m->prev_name ? m->prev_name : "";
        char words[160], through[200] = "";
        struct map_facts prev = { .found = true, .start = m->prev_start, .end = m->prev_end, .name = name };
        memcpy(prev.perms, m->prev_perms, sizeof(prev.perms));
        /* The write started where its base register points: when that is an
         * earlier mapping of the unbroken writable run, the buffer is there
         * and the mappings after it were only run through. */
        bool from_base = b->found && b->perms[1] == 'w' && m->run_start && b->start >= m->run_start && b->end <= m->prev_start;
        struct map_facts origin = from_base ? *b : prev;
        const char *oname = origin.name ? origin.name : "";
        bool main_stack = strcmp(oname, "[stack]") == 0;
        bool thread_stack = !main_stack && f->stack.known && origin.start == f->stack.lo && origin.end == f->stack.hi;
        map_words(f, &origin, words, sizeof(words));
        if (from_base) {
                char pw[160];
                snprintf(through, sizeof(through), " through %s (0x%" PRIx64 "-0x%" PRIx64 ")", map_words(f, &prev, pw, sizeof(pw)),
                         prev.start, prev.end);
        }
        const char *kind = main_stack || thread_stack ? "stack" : strcmp(oname, "[heap]") == 0 ? "heap" : oname[0] == '/' ? "global" : NULL;
        char past[48] = "on the first byte past it";
        if (f->fault_addr > m->prev_end)
                snprintf(past, sizeof(past), "%" PRIu64 " bytes past it", f->fault_addr - m->prev_end);
        v_set(v, CLASS_BUFFER_OVERFLOW, "high", "%s%sbuffer overflow: a write in %s ran off the end of %s (0x%" PRIx64 "-0x%" PRIx64 ")%s and faulted %s%s",
              kind ? kind : "", kind ? " " : "", loc, words, origin.start, origin.end, through, past,
              main_stack ? ", after overwriting argv, environ and the auxiliary vector"
              : thread_stack ? ", after overwriting the thread's TLS and control block" : "");
        evidence_signal(f, v);
        evidence_insn(f, v);
        if (m->found)
                v_evidence(v, "0x%" PRIx64 " lies in 0x%" PRIx64 "-0x%" PRIx64 " %s %s, right after 0x%" PRIx64 "-0x%" PRIx64 " %s %s, which allows writing",
                           f->fault_addr, m->start, m->end, m->perms, m->name && m->name[0] ? m->name : "(anonymous)",
                           m->prev_start, m->prev_end, m->prev_perms, name[0] ? name : "(anonymous)");
        else
                v_evidence(v, "0x%" PRIx64 " is not mapped; it is %" PRIu64 " bytes past the end of 0x%" PRIx64 "-0x%" PRIx64 " %s %s",
                           f->fault_addr, f->fault_addr - m->prev_end, m->prev_start, m->prev_end, m->prev_perms,
                           name[0] ? name : "(anonymous)");
        if (from_base)
                v_evidence(v, "the write's base %s = 0x%" PRIx64 " lies in 0x%" PRIx64 "-0x%" PRIx64 " %s %s; every mapping from there up to "
                           "0x%" PRIx64 " allows writing and none leaves a gap",
                           f->insn.base_reg, f->insn.base_value, origin.start, origin.end, origin.perms,
                           oname[0] ? oname : "(anonymous)", m->prev_end);
        v->argv_overwritten = main_stack;
        if (main_stack)
                v_evidence(v, "the top of [stack] holds the arguments and the environment: the command line read from the process may be the overflow's bytes");
}

/* The faulting pointer was loaded, just before, from a heap chunk glibc
 * holds as free: glibc reuses a freed chunk's first words for its lists
 * (tcache next and key, bin fd/bk), so the program read a pointer from freed
 * memory. Medium: the load ran in the straight code before the fault, but a
 * core cannot prove the object was not freed after that load by another
 * thread. */
static void classify_freed_pointer(const struct crash_facts *f, struct verdict *v, const char *loc)
{
        const struct ptr_load_facts *pl = &f->ptr_load;
        const struct insn_facts *in = &f->insn;
        uint64_t user = pl->chunk_addr + 16, usable = pl->chunk_size >= 8 ? pl->chunk_size - 8 : 0;
        uint64_t off = pl->src_addr - user;
        v_set(v, CLASS_USE_AFTER_FREE, "medium",
              "likely use after free: the pointer in %s was loaded from offset %" PRIu64 " of the freed %" PRIu64
              "-byte chunk at 0x%" PRIx64 ", then used: %s 0x%" PRIx64 " in %s",
              pl->reg, off, usable, user, access_word(in), in->mem_addr, loc);
        v_evidence(v, "`%s` at 0x%" PRIx64 " loaded %s = 0x%" PRIx64 " from 0x%" PRIx64 " (the word there still holds it), and no "
                   "instruction between it and the fault wrote %s",
                   pl->load_text, pl->load_pc, pl->reg, pl->value, pl->src_addr, pl->reg);
        v_evidence(v, "0x%" PRIx64 " is offset %" PRIu64 " of the heap chunk at 0x%" PRIx64 " (size 0x%" PRIx64
                   ", malloc returned 0x%" PRIx64 "), which is free: %s",
                   pl->src_addr, off, pl->chunk_addr, pl->chunk_size, user, pl->free_how ? pl->free_how : "?");
        if (off < 16)
                v_evidence(v, "glibc reuses the first 16 bytes of a freed chunk for its free lists (tcache next and key, "
                           "or bin fd and bk): the word at offset %" PRIu64 " is glibc's, not the program's",
                           off);
}

/* The fault happened inside the allocator: from frame 0, past inline
 * frames (glibc's arena_for_chunk inlined in free), the real frames are
 * allocator functions (free, _int_free, operator delete, ...) up to the
 * program's caller. Returns the outermost allocator frame's index, its
 * caller's in *caller; -1 when frame 0's function is not the allocator. */
static int allocator_frame(const struct crash_facts *f, const struct rules_tables *t, int *caller)
{
        int found = -1;
        for (size_t i = 0; i < f->n_frames; i++) {
                const struct fact_frame *fr = &f->frames[i];
                if (!fr->function)
                        return -1;
                if (fr->inlined && found < 0)
                        continue;
                char name[256];
                rules_function_base(fr->function, name, sizeof(name));
                if (name_in(name, t->allocators, t->n_allocators)) {
                        found = (int)i;
                        continue;
                }
                if (found >= 0)
                        *caller = (int)i;
                return found;
        }
        return -1;
}

static void classify_segv(const struct crash_facts *f, struct verdict *v, int ci, int alloc, int alloc_caller)
{
        char loc[256], from[256], buf[32];
        fault_where(f, ci, loc, sizeof(loc));
        where(f, ci, from, sizeof(from)); /* where a jump came from */
        const struct insn_facts *in = &f->insn;
        bool gp = f->si_code == 0x80; /* SI_KERNEL: general protection, si_addr says nothing */

        /* the instruction fetch first: no rule may read the bytes at pc as
         * an instruction that ran */
        if (exec_fault(f)) {
                classify_exec(f, v, ci);
                return;
        }
        if (!gp && runs_off_end(f)) {
                classify_runoff(f, v, loc);
                return;
        }
        uint64_t freed_chunk = 0;
        const struct ptr_load_facts *pl = &f->ptr_load;
        if (pl->found && pl->in_chunk && pl->chunk_free && in->decoded && !in->is_privileged &&
            strcmp(pl->reg, in->base_reg) == 0) {
                classify_freed_pointer(f, v, loc);
        } else if (gp) {
                classify_gp(f, v, loc);
        } else if (f->has_addr && (freed_chunk = safe_linked_chunk(f, f->fault_addr)) != 0) {
                v_set(v, CLASS_USE_AFTER_FREE, "medium",
                      "%s 0x%" PRIx64 " in %s: a pointer read from freed memory (glibc's safe-linked free-list link of the chunk near 0x%" PRIx64 ")",
                      f->pc == f->fault_addr ? "jump to" : access_word(in), f->fault_addr,
                      f->pc == f->fault_addr ? from : loc, freed_chunk);
                v_evidence(v, "0x%" PRIx64 " << 12 = 0x%" PRIx64 " lies in the heap 0x%" PRIx64 "-0x%" PRIx64
                           ": glibc >= 2.32 stores (chunk address >> 12) ^ next in a freed chunk's first word, so the program used a freed object's contents as a pointer",
                           f->fault_addr, f->fault_addr << 12, f->heap.heap_start, f->heap.heap_end);
        } else if (alloc >= 0 && alloc_caller >= 0) {
                /* glibc's allocator reads the chunk header before the
                 * pointer it is given (and, for a header that claims a
                 * non-main arena, the heap_info at the pointer rounded down
                 * to 64 MiB): a fault in there is a pointer malloc never
                 * returned, or metadata overwritten. No message, no proof
                 * which: medium. Before the NULL rule: a fault at NULL plus
                 * an offset in there is the allocator following a NULL it
                 * read from a fake header (a non-main arena's heap_info in
                 * zeroed memory gives av = NULL; av->top is NULL+0x60), not
                 * a NULL the program passed (free(NULL) does nothing). */
                v_set(v, CLASS_HEAP_CORRUPTION, "medium",
                      "%s 0x%" PRIx64 " inside %s called from %s: the pointer it was given is not one malloc returned "
                      "(freeing a stack or global object, or an interior pointer), or the heap's metadata is overwritten",
                      access_word(in), f->fault_addr, frame_name(f, alloc), frame_name(f, alloc_caller));
        } else if (f->has_addr && f->pc == f->fault_addr) {
                if (f->pc < NULL_PAGE_LIMIT) {
                        /* the caller: the unwinder's next frame, or a
                         * stack scan's guess (then said so) */
                        bool guess = f->n_frames > 1 && f->frames[1].scanned;
                        v_set(v, CLASS_NULL_DEREF, "high", "call through a NULL function pointer (jumped to 0x%" PRIx64 "); the caller is %s%s",
                              f->pc, guess ? "perhaps " : "", f->n_frames > 1 ? frame_name(f, 1) : "unknown");
                } else if (f->has_word_below_sp && f->word_below_sp == f->pc) {
                        v_set(v, CLASS_WILD_JUMP, "high", "return address overwritten: returned to 0x%" PRIx64 " (the stack slot below sp holds it)",
                              f->pc);
                } else {
                        v_set(v, CLASS_WILD_JUMP, "high", "jump to unmapped address 0x%" PRIx64 " from %s (corrupt function pointer or return address)",
                              f->pc, from);
                }
                if (f->has_word_below_sp)
                        v_evidence(v, "the word just below sp is 0x%" PRIx64 "%s", f->word_below_sp,
                                   f->word_below_sp == f->pc ? " = pc: a ret popped it" : "");
        } else if (f->has_addr && f->fault_addr < NULL_PAGE_LIMIT) {
                char reg[64] = "";
                if (in->decoded && in->base_reg[0] && in->base_value == 0)
                        snprintf(reg, sizeof(reg), " (%s is NULL)", in->base_reg);
                else if (in->decoded && in->base_reg[0] && in->base_value < NULL_PAGE_LIMIT)
                        snprintf(reg, sizeof(reg), " (%s = 0x%" PRIx64 ": NULL + 0x%" PRIx64 ")", in->base_reg, in->base_value,
                                 in->base_value);
                v_set(v, CLASS_NULL_DEREF, "high", "%s NULL+0x%" PRIx64 " in %s%s", access_word(in), f->fault_addr, loc, reg);
        } else if (f->fault_map.found && f->si_code == 2) {
                bool ro_write = (in->access == INSN_WRITE || in->access == INSN_READ_WRITE) && !strchr(f->fault_map.perms, 'w');
                v_set(v, CLASS_UNKNOWN, "medium", "%s%s 0x%" PRIx64 " in %s: the mapping (%s %s) does not allow it", access_word(in),
                      ro_write ? " read-only memory at" : "", f->fault_addr, loc, f->fault_map.perms,
                      f->fault_map.name && f->fault_map.name[0] ? f->fault_map.name : "anonymous");
        } else if (f->heap.walked && f->has_addr && f->fault_addr >= f->heap.heap_start && f->fault_addr < f->heap.heap_end + (1u << 20)) {
                v_set(v, CLASS_USE_AFTER_FREE, "low", "access to freed or unmapped heap memory 0x%" PRIx64 " in %s (suspected use after free)",
                      f->fault_addr, loc);
        } else {
                v_set(v, CLASS_UNKNOWN, "low", "%s unmapped address 0x%" PRIx64 " in %s (wild pointer)", access_word(in),
                      f->fault_addr, loc);
        }
        evidence_signal(f, v);
        evidence_insn(f, v);
        if (f->has_addr && !f->fault_map.found && f->fault_addr >= NULL_PAGE_LIMIT)
                v_evidence(v, "0x%" PRIx64 " is not mapped: it lies between %s (ends 0x%" PRIx64 ") and %s (starts 0x%" PRIx64 ")",
                           f->fault_addr, f->fault_map.below_name ? f->fault_map.below_name : "nothing", f->fault_map.below_end,
                           f->fault_map.above_name ? f->fault_map.above_name : "nothing", f->fault_map.above_start);
        if (f->has_addr && f->fault_addr < NULL_PAGE_LIMIT && !gp)
                v_evidence(v, "0x%" PRIx64 " lies in the first %s of the address space, which is never mapped (vm.mmap_min_addr): a NULL pointer plus an offset",
                           f->fault_addr, human_bytes(NULL_PAGE_LIMIT, buf, sizeof(buf)));
}

/* Execution ran off the end of a function after its last call: the
 * compiler emitted nothing after that call, having proved the rest
 * unreachable. Clang does that for undefined behaviour it can see, most
 * often a call or access through a pointer it knows is NULL (the deleted
 * code is gone from the binary: the core cannot show it). The fault is
 * whatever the bytes after the function did: medium, and the place named is
 * the function that fell off, not the padding. */
static void classify_fell_off(const struct crash_facts *f, struct verdict *v)
{
        const struct fell_off_facts *fo = &f->fell_off;
        const struct insn_facts *in = &f->insn;
        char what[160];
        if (f->signo == SIGSEGV && f->has_addr)
                snprintf(what, sizeof(what), "%s 0x%" PRIx64, access_word(in), f->fault_addr);
        else if (f->signo == SIGSEGV)
                snprintf(what, sizeof(what), "a general-protection fault");
        else
                snprintf(what, sizeof(what), "%s", sig_name(f->signo));
        char at[48] = "right at its end";
        if (f->pc > fo->end)
                snprintf(at, sizeof(at), "%" PRIu64 " bytes past its end", f->pc - fo->end);
        v_set(v, CLASS_NULL_DEREF, "medium",
              "execution fell off the end of %s: its last instruction `%s` returned past the function, and the bytes "
              "%s (%s%s%s) faulted: %s. The compiler emits nothing after a call when it proves the rest of the "
              "function undefined, most often a call or access through a NULL pointer",
              fo->function, fo->call_text, at, in->decoded ? "`" : "", in->decoded ? in->text : "not code",
              in->decoded ? "`" : "", what);
        v->crash_frame = fo->function;
        evidence_signal(f, v);
        evidence_insn(f, v);
        v_evidence(v, "pc 0x%" PRIx64 " lies in no function: %" PRIu64 " byte(s) past the end of %s (0x%" PRIx64 "-0x%" PRIx64 ")",
                   f->pc, f->pc - fo->end, fo->function, fo->start, fo->end);
        v_evidence(v, "the last instruction of %s is `%s` at 0x%" PRIx64 ": its return address is the function's end, "
                   "so when it returned execution ran on past the function",
                   fo->function, fo->call_text, fo->call_pc);
}

static const char *lower(const char *confidence)
{
        return strcmp(confidence, "high") == 0 ? "medium" : "low";
}

/* Modules whose ELF was not found: say which, and when the crash frame or
 * a frame above it lies in one (its name, the faulting code and the CFI
 * that led there are unknown, so class and crash frame are guesses) lower
 * the confidence one step. Frames below the crash frame (the C runtime
 * under main) change nothing of the verdict. The classes decided by who
 * sent the signal or by the OOM killer do not depend on the frames. */
static void missing_elf(const struct crash_facts *f, struct verdict *v, int ci)
{
        if (!f->n_missing_elf)
                return;
        char list[512] = "";
        size_t len = 0, shown = MIN(f->n_missing_elf, (size_t)FACTS_MAX_MISSING);
        for (size_t i = 0; i < shown && len < sizeof(list); i++) {
                const struct missing_elf_facts *m = &f->missing_elf[i];
                int n = snprintf(list + len, sizeof(list) - len, "%s%s (build-id %s)", i ? ", " : "",
                                 m->path ? m->path : "?", m->build_id ? m->build_id : "unknown");
                if (n < 0)
                        break;
                len += (size_t)n;
        }
        if (len >= sizeof(list))
                memcpy(list + sizeof(list) - 4, "...", 4);
        v_evidence(v, "ELF file not found for %zu module%s: %s%s", f->n_missing_elf, f->n_missing_elf == 1 ? "" : "s",
                   list, f->n_missing_elf > shown ? ", ..." : "");

        char frames[128] = "";
        size_t flen = 0, affected = 0;
        bool above = false; /* at or above the crash frame */
        const char *first = NULL; /* the module of the first such frame */
        for (size_t i = 0; i < f->n_frames; i++) {
                if (!f->frames[i].module_no_elf)
                        continue;
                if ((ci < 0 || i <= (size_t)ci) && !above) {
                        above = true;
                        first = f->frames[i].module;
                }
                if (affected++ < 8 && flen < sizeof(frames)) {
                        int n = snprintf(frames + flen, sizeof(frames) - flen, "%s#%zu", affected > 1 ? ", " : "", i);
                        if (n > 0)
                                flen += (size_t)n;
                }
        }
        if (!affected)
                return;
        bool frame_free = !above || v->klass == CLASS_EXTERNAL_SIGNAL ||
                          (v->klass == CLASS_OOM && !f->has_core) || f->mem.oom_kill;
        if (!frame_free)
                v->confidence = lower(v->confidence ? v->confidence : "high");
        v_evidence(v, "frame%s %s%s of the crashing thread %s in modules without their ELF: shown as module+offset, "
                   "their code and unwind tables unknown%s (give the file with --exe for the executable, or under "
                   "--debug-dir DIR as DIR/.build-id/XX/REST)",
                   affected == 1 ? "" : "s", frames, affected > 8 ? ", ..." : "", affected == 1 ? "is" : "are",
                   frame_free ? "" : "; confidence lowered");
        if (!frame_free) {
                size_t dl = strlen(v->detail);
                if (dl + 1 < sizeof(v->detail))
                        snprintf(v->detail + dl, sizeof(v->detail) - dl, " [ELF missing for %s]",
                                 first ? path_file_name(first) : "a module");
        }
}

void rules_classify(const struct crash_facts *f, const struct rules_tables *tables, struct verdict *v)
{
        memset(v, 0, sizeof(*v));
        struct rules_tables defaults = { 0 };
        if (!tables) {
                tables_load_defaults(&defaults);
                tables = &defaults;
        }
        int ci = crash_frame_index(f, tables);
        v->crash_frame = ci >= 0 && (f->frames[ci].function || f->frames[ci].label[0]) ? frame_name(f, ci) : NULL;
        char loc[256], floc[256];
        where(f, ci, loc, sizeof(loc));
        fault_where(f, ci, floc, sizeof(floc));

        if (!f->has_core || f->mem.oom_kill) {
                if (!out_of_memory(f, v, ci)) {
                        if (f->core_withheld)
                                v_set(v, CLASS_UNKNOWN, "low",
                                      "%s, but no core to tell why: the process's RLIMIT_CORE (ulimit -c) was 0, so "
                                      "none was kept",
                                      sig_name(f->signo));
                        else
                                v_set(v, CLASS_UNKNOWN, "low", "no core and no kernel OOM line for this pid");
                }
        } else if (f->from_process && f->signo != SIGABRT) {
                const char *how = f->si_code == -6 ? "tgkill()" : f->si_code == -1 ? "sigqueue()" : "kill()";
                if (f->sender_pid == f->pid)
                        v_set(v, CLASS_EXTERNAL_SIGNAL, "high", "%s sent by the process itself (pid %d) with %s: a deliberate signal, not a fault",
                              sig_name(f->signo), (int)f->sender_pid, how);
                else
                        v_set(v, CLASS_EXTERNAL_SIGNAL, "high", "%s sent by pid %d (uid %u) with %s: not a fault of the program",
                              sig_name(f->signo), (int)f->sender_pid, (unsigned)f->sender_uid, how);
                evidence_signal(f, v);
                v_evidence(v, "si_code %d is a signal sent by a process, not by the CPU (a fault has si_code > 0)", f->si_code);
        } else if (f->from_process && f->signo == SIGABRT && f->sender_pid != f->pid) {
                v_set(v, CLASS_EXTERNAL_SIGNAL, "high", "SIGABRT sent by pid %d (uid %u) with kill(): not an abort() of the program",
                      (int)f->sender_pid, (unsigned)f->sender_uid);
                evidence_signal(f, v);
        } else if ((f->signo == SIGSEGV || f->signo == SIGBUS || f->signo == SIGABRT) && stack_exhausted(f)) {
                classify_stack(f, v, ci);
        } else if ((f->signo == SIGSEGV || f->signo == SIGILL || f->signo == SIGTRAP || f->signo == SIGBUS) &&
                   f->fell_off.found) {
                classify_fell_off(f, v);
        } else if (f->signo == SIGABRT) {
                classify_abort(f, tables, v, ci);
        } else if (f->signo == SIGSEGV) {
                int alloc_caller = -1, alloc = allocator_frame(f, tables, &alloc_caller);
                classify_segv(f, v, ci, alloc, alloc_caller);
        } else if (f->signo == SIGBUS) {
                if (f->fault_map.found && f->fault_map.name && f->fault_map.name[0] == '/')
                        v_set(v, CLASS_BUS_ERROR, "high", "SIGBUS: %s 0x%" PRIx64 " in %s, past the end of the mapped file %s (truncated while mapped?)",
                              access_word(&f->insn), f->fault_addr, floc, f->fault_map.name);
                else
                        v_set(v, CLASS_BUS_ERROR, "medium", "SIGBUS (si_code %d) at 0x%" PRIx64 " in %s", f->si_code, f->fault_addr, floc);
                evidence_signal(f, v);
                evidence_insn(f, v);
                if (f->fault_map.found)
                        v_evidence(v, "0x%" PRIx64 " is inside the mapping 0x%" PRIx64 "-0x%" PRIx64 " %s %s", f->fault_addr, f->fault_map.start,
                                   f->fault_map.end, f->fault_map.perms, f->fault_map.name ? f->fault_map.name : "");
        } else if (f->signo == SIGFPE) {
                const struct insn_facts *in = &f->insn;
                /* the divisor as the instruction sees it: -1 at its width */
                char divisor[64];
                if (in->divisor_reg[0])
                        snprintf(divisor, sizeof(divisor), "%s", in->divisor_reg);
                else
                        snprintf(divisor, sizeof(divisor), "the divisor at 0x%" PRIx64, in->mem_addr);
                if (in->is_div && in->divisor_known && in->divisor != 0)
                        v_set(v, CLASS_DIVISION_BY_ZERO, "high", "integer overflow in division: INT_MIN / -1 in %s (%s = -1)", floc, divisor);
                else if (in->is_div && in->divisor_known)
                        v_set(v, CLASS_DIVISION_BY_ZERO, "high", "integer division by zero in %s (%s = 0)", floc, divisor);
                else
                        v_set(v, CLASS_DIVISION_BY_ZERO, f->si_code == 1 ? "high" : "medium", "arithmetic exception (division) in %s", floc);
                evidence_signal(f, v);
                evidence_insn(f, v);
        } else if (f->signo == SIGILL) {
                if (f->insn.is_ud2)
                        v_set(v, CLASS_ILLEGAL_INSTRUCTION, "high", "ud2 trap in %s (__builtin_trap, an unreachable point, or a sanitizer trap)", floc);
                else if (f->pc_map.found && f->pc_map.name && f->pc_map.name[0] != '/')
                        v_set(v, CLASS_ILLEGAL_INSTRUCTION, "high", "illegal instruction at 0x%" PRIx64 " in %s memory (executing data?)", f->pc,
                              f->pc_map.name[0] ? f->pc_map.name : "anonymous");
                else
                        v_set(v, CLASS_ILLEGAL_INSTRUCTION, "medium", "illegal instruction in %s (wrong CPU features, or a corrupt jump)", floc);
                evidence_signal(f, v);
                evidence_insn(f, v);
        } else if (f->signo == SIGKILL) {
                v_set(v, CLASS_UNKNOWN, "low", "SIGKILL without a kernel OOM line for this pid");
        } else {
                v_set(v, CLASS_UNKNOWN, "low", "%s in %s", sig_name(f->signo), loc);
                evidence_signal(f, v);
        }
        missing_elf(f, v, ci);
        steps_for(f, v, ci);
        rules_signature(f, ci, v);
        if (tables == &defaults)
                tables_free(&defaults);
}
