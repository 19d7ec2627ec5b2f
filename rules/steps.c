/* Next steps: commands a person can type, with the real paths and values
 * filled in, chosen per class. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "rules-internal.h"
#include "util.h"

/* A path as one shell word (common/escape.c), never an option: a bundle
 * from elsewhere may name its exe "-x..." (gdb -x runs a command file), so
 * a leading '-' gets "./". Malloc'd, "PROGRAM" when unknown; the caller
 * frees. */
static char *q(const char *s)
{
        if (!s)
                return strdup("PROGRAM");
        struct strbuf sb;
        strbuf_init(&sb);
        shell_quote_command(&sb, s, strlen(s));
        return strbuf_steal(&sb, NULL);
}

/* A function name (from the binary: the crashed program chose it) in a
 * step's prose, quoted like a word so that no byte of it acts on a shell or
 * a terminal; fallback when unknown. The caller frees. */
static char *qn(const char *name, const char *fallback)
{
        return name ? shell_quoted(name) : strdup(fallback);
}

/* "gdb EXE CORE"; for a bundle "coreinspect gdb BUNDLE", which puts the core
 * and the bundle's binaries (as gdb's sysroot) into a new private
 * directory, so that it works on a machine without the crashed host's
 * files, and removes it afterwards. */
static void gdb_step(const struct crash_facts *f, struct verdict *v, int ci, const char *extra)
{
        _cleanup_free_ char *e = q(f->exe), *in = q(f->input);
        char frame[32] = "";
        if (!e || !in)
                return;
        if (ci > 0)
                snprintf(frame, sizeof(frame), " -ex 'frame %d'", ci);
        if (f->input_is_bundle)
                v_step(v, "coreinspect gdb %s -- -ex 'bt'%s%s", in, frame, extra ? extra : "");
        else
                v_step(v, "gdb -q %s %s -ex 'bt'%s%s", e, in, frame, extra ? extra : "");
}

/* The command that reruns the program: its executable (the absolute path
 * when known, else argv[0]) and its arguments, each quoted for the shell:
 * they are the crashed process's bytes, and an admin pastes this. When the
 * command line looks overwritten (the verdict says so) only the executable
 * is trusted: its path comes from the kernel, not from the process's
 * memory. */
static char *run_line(const struct crash_facts *f, bool argv_overwritten)
{
        struct strbuf sb;
        strbuf_init(&sb);
        if (argv_overwritten) {
                const char *cmd = f->exe ? f->exe : "PROGRAM";
                shell_quote_command(&sb, cmd, strlen(cmd));
                strbuf_puts(&sb, " ARGS");
                return strbuf_steal(&sb, NULL);
        }
        const char *cmd = f->exe && f->exe[0] == '/' ? f->exe : f->argc > 0 ? f->argv[0] : f->exe;
        if (cmd)
                shell_quote_command(&sb, cmd, strlen(cmd));
        else
                strbuf_puts(&sb, "PROGRAM");
        for (size_t i = 1; i < f->argc; i++) {
                strbuf_append(&sb, " ", 1);
                shell_quote(&sb, f->argv[i], strlen(f->argv[i]));
        }
        return strbuf_steal(&sb, NULL);
}

void steps_null_deref(const struct crash_facts *f, struct verdict *v, int ci, const char *run)
{
        char extra[256];
        if (f->insn.decoded && f->insn.base_reg[0])
                snprintf(extra, sizeof(extra), " -ex 'info locals' -ex 'print $%s'", f->insn.base_reg);
        else
                snprintf(extra, sizeof(extra), " -ex 'info locals'");
        gdb_step(f, v, ci, extra);
        v_step(v, "valgrind --tool=memcheck --track-origins=yes %s", run);
        v_step(v, "ASAN_OPTIONS=abort_on_error=1 %s   # after rebuilding with -g -fsanitize=address,undefined: shows where the NULL came from", run);
}

void steps_stack(const struct crash_facts *f, struct verdict *v, int ci, const char *run)
{
        char b[32];
        gdb_step(f, v, ci, " -ex 'bt -30'");
        _cleanup_free_ char *member = qn(f->recursion.members[0], "the function");
        if (f->recursion.found)
                v_step(v, "find what should end the recursion of %s (%zu frames deep); rerun with a larger stack only to confirm: ulimit -s %" PRIu64 " && %s",
                       member ? member : "?", f->recursion.depth,
                       f->stack.rlimit_stack && f->stack.rlimit_stack != UINT64_MAX ? 4 * f->stack.rlimit_stack / 1024 : 65536, run);
        else
                v_step(v, "ulimit -s   # now %s; for threads the stack size comes from pthread_attr_setstacksize",
                       f->stack.rlimit_stack == UINT64_MAX ? "unlimited" : f->stack.rlimit_stack ? human_bytes(f->stack.rlimit_stack, b, sizeof(b)) : "unknown");
        _cleanup_free_ char *big = qn(f->big_frame.function, "the function");
        if (f->big_frame.found)
                v_step(v, "replace the alloca/VLA in %s by a heap allocation; gcc -Wstack-usage=65536 -Walloca-larger-than=4096 finds others",
                       big ? big : "?");
}

void steps_oom(const struct crash_facts *f, struct verdict *v, int ci, const char *run)
{
        (void)ci;
        v_step(v, "dmesg | grep -iE 'out of memory|oom-kill|killed process'   # or: journalctl -k -g 'Killed process'");
        if (!f->mem.oom_kill && f->mem.rlimit_as && f->mem.rlimit_as != UINT64_MAX)
                v_step(v, "ulimit -v   # was %" PRIu64 " KiB; raise it or reduce the program's peak (VmPeak %" PRIu64 " KiB)",
                       f->mem.rlimit_as / 1024, f->mem.vm_peak / 1024);
        if (f->mem.oom_memcg && f->mem.cgroup) {
                _cleanup_free_ char *v1 = NULL, *v1max = NULL, *v2 = NULL, *v2peak = NULL;
                char *p = NULL;
                if (asprintf(&p, "/sys/fs/cgroup/memory%s/memory.limit_in_bytes", f->mem.cgroup) >= 0)
                        v1 = q(p), free(p);
                if (asprintf(&p, "/sys/fs/cgroup/memory%s/memory.max_usage_in_bytes", f->mem.cgroup) >= 0)
                        v1max = q(p), free(p);
                if (asprintf(&p, "/sys/fs/cgroup%s/memory.max", f->mem.cgroup) >= 0)
                        v2 = q(p), free(p);
                if (asprintf(&p, "/sys/fs/cgroup%s/memory.peak", f->mem.cgroup) >= 0)
                        v2peak = q(p), free(p);
                if (v1 && v1max && v2 && v2peak)
                        v_step(v, "cat %s %s 2>/dev/null || cat %s %s   # the limit that was hit", v1, v1max, v2, v2peak);
        }
        v_step(v, "valgrind --tool=massif %s && ms_print massif.out.*   # where the memory goes", run);
}

void steps_heap(const struct crash_facts *f, struct verdict *v, int ci, const char *run)
{
        v_step(v, "valgrind --tool=memcheck --track-origins=yes %s", run);
        v_step(v, "ASAN_OPTIONS=abort_on_error=1 %s   # after rebuilding with -g -fsanitize=address: names the allocation and the bad access", run);
        v_step(v, "MALLOC_CHECK_=3 MALLOC_PERTURB_=165 %s   # make glibc fail earlier, closer to the cause", run);
        gdb_step(f, v, ci, NULL);
}

void steps_overflow(const struct crash_facts *f, struct verdict *v, int ci, const char *run)
{
        _cleanup_free_ char *fn = qn(v->crash_frame, "the callers");
        if (f->heap.off_by_one)
                v_step(v, "the buffer at 0x%" PRIx64 " holds %" PRIu64 " bytes: look for a write of %" PRIu64 " (a strcpy of a %" PRIu64 "-character string, or <= in a loop) in %s",
                       f->heap.before.addr + 16, f->heap.before.usable, f->heap.before.usable + 1, f->heap.before.usable,
                       fn ? fn : "?");
        else if (f->heap.overflow)
                v_step(v, "the buffer at 0x%" PRIx64 " holds %" PRIu64 " bytes and got at least %" PRIu64 ": look in %s for a strcpy/memcpy/sprintf whose length is not checked against the allocation",
                       f->heap.before.addr + 16, f->heap.before.usable, f->heap.before.usable + f->heap.overflow_bytes,
                       fn ? fn : "?");
        v_step(v, "ASAN_OPTIONS=abort_on_error=1 %s   # after rebuilding with -g -fsanitize=address: stops at the overflowing write", run);
        v_step(v, "valgrind --tool=memcheck %s", run);
        gdb_step(f, v, ci, NULL);
}

void steps_abort(const struct crash_facts *f, struct verdict *v, int ci, const char *run)
{
        gdb_step(f, v, ci, " -ex 'info locals'");
        v_step(v, "ltrace -e abort+exit %s   # or: strace -f -e trace=signal %s", run, run);
}

void steps_assertion(const struct crash_facts *f, struct verdict *v, int ci, const char *run)
{
        (void)run;
        gdb_step(f, v, ci, " -ex 'info locals' -ex 'info args'");
        v_step(v, "read the condition in the message at its file:line; check the values above in gdb");
}

void steps_division(const struct crash_facts *f, struct verdict *v, int ci, const char *run)
{
        char extra[256];
        if (f->insn.divisor_reg[0])
                snprintf(extra, sizeof(extra), " -ex 'info locals' -ex 'print $%s'", f->insn.divisor_reg);
        else if (f->insn.has_mem)
                snprintf(extra, sizeof(extra), " -ex 'info locals' -ex 'x/dw 0x%" PRIx64 "'", f->insn.mem_addr);
        else
                snprintf(extra, sizeof(extra), " -ex 'info locals'");
        gdb_step(f, v, ci, extra);
        v_step(v, "UBSAN_OPTIONS=print_stacktrace=1 %s   # after rebuilding with -g -fsanitize=undefined: reports the division with its operands", run);
}

void steps_illegal(const struct crash_facts *f, struct verdict *v, int ci, const char *run)
{
        (void)run;
        _cleanup_free_ char *e = q(f->exe), *fn = qn(v->crash_frame, "the crash frame");
        if (e && fn)
                v_step(v, "objdump -d %s | less   # look at the instruction at pc 0x%" PRIx64 " in %s", e, f->pc, fn);
        gdb_step(f, v, ci, " -ex 'x/4i $pc'");
}

void steps_bus(const struct crash_facts *f, struct verdict *v, int ci, const char *run)
{
        (void)run;
        if (f->fault_map.name && f->fault_map.name[0] == '/') {
                _cleanup_free_ char *p = q(f->fault_map.name);
                if (p) {
                        v_step(v, "ls -l %s   # smaller than the mapping? it was truncated while mapped", p);
                        v_step(v, "lsof %s   # who else has it open (and may truncate it)", p);
                }
        }
        gdb_step(f, v, ci, NULL);
}

void steps_wild_jump(const struct crash_facts *f, struct verdict *v, int ci, const char *run)
{
        gdb_step(f, v, ci, " -ex 'x/16gx $sp-64'");
        v_step(v, "ASAN_OPTIONS=abort_on_error=1 %s   # after rebuilding with -g -fsanitize=address -fstack-protector-strong: catches the overwrite", run);
}

static void steps_no_core(const struct crash_facts *f, struct verdict *v, int ci, const char *run)
{
        (void)ci;
        v_step(v, "(ulimit -c unlimited; %s)   # run it again with cores allowed (RLIMIT_CORE was 0)", run);
        v_step(v, "dmesg | grep -F '[%d]'   # the kernel's line for the fault: address and instruction pointer",
               (int)f->pid);
}

void steps_external(const struct crash_facts *f, struct verdict *v, int ci, const char *run)
{
        (void)ci;
        v_step(v, "ps -o pid,user,lstart,cmd -p %d   # the sender, if it still runs", (int)f->sender_pid);
        v_step(v, "auditctl -a always,exit -F arch=b64 -S kill -S tkill -S tgkill -F a1=%d -k sig%d   # log the next sender of %s",
               f->signo, f->signo, "this signal");
        v_step(v, "strace -f -e trace=signal %s   # to see signals it receives", run);
}

void steps_default(const struct crash_facts *f, struct verdict *v, int ci, const char *run)
{
        gdb_step(f, v, ci, NULL);
        v_step(v, "valgrind --tool=memcheck %s", run);
}

void steps_for(const struct crash_facts *f, struct verdict *v, int ci)
{
        _cleanup_free_ char *run = run_line(f, v->argv_overwritten);
        if (!run)
                return;
        if (v->argv_overwritten)
                v_step(v, "# the command line in this core looks overwritten: replace ARGS below by the arguments the program was started with");
        /* without a core only the classes that need none have their steps */
        if (!f->has_core && f->core_withheld && (v->klass == CLASS_EXTERNAL_SIGNAL || v->klass == CLASS_UNKNOWN))
                steps_no_core(f, v, ci, run);
        else
                crash_class_info(v->klass)->steps(f, v, ci, run);
}
