/* Next steps: commands a person can type, with the real paths and values
 * filled in, chosen per class. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "rules-internal.h"

/* A shell-safe rendering of a path (single-quoted when needed). */
static const char *q(const char *s, char *buf, size_t size)
{
        if (!s)
                return "PROGRAM";
        bool plain = true;
        for (const char *p = s; *p; p++)
                if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
                      strchr("/._-+=:,@", *p)))
                        plain = false;
        if (plain) {
                snprintf(buf, size, "%s", s);
                return buf;
        }
        size_t o = 0;
        buf[o++] = '\'';
        for (const char *p = s; *p && o + 5 < size; p++) {
                if (*p == '\'') {
                        memcpy(buf + o, "'\\''", 4);
                        o += 4;
                } else
                        buf[o++] = *p;
        }
        buf[o++] = '\'';
        buf[o] = '\0';
        return buf;
}

/* "gdb EXE CORE" with the core extracted from the bundle first. */
static void gdb_step(const struct crash_facts *f, struct verdict *v, int ci, const char *extra)
{
        char e[512], in[512], frame[32] = "";
        if (ci > 0)
                snprintf(frame, sizeof(frame), " -ex 'frame %d'", ci);
        if (f->input_is_bundle)
                v_step(v, "tar --zstd -xOf %s core > /tmp/core.%d && gdb -q %s /tmp/core.%d -ex 'bt'%s%s", q(f->input, in, sizeof(in)),
                       (int)f->pid, q(f->exe, e, sizeof(e)), (int)f->pid, frame, extra ? extra : "");
        else
                v_step(v, "gdb -q %s %s -ex 'bt'%s%s", q(f->exe, e, sizeof(e)), q(f->input, in, sizeof(in)), frame, extra ? extra : "");
}

static const char *run_line(const struct crash_facts *f, char *buf, size_t size)
{
        char e[512];
        if (f->cmdline && *f->cmdline)
                snprintf(buf, size, "%s", f->cmdline);
        else
                snprintf(buf, size, "%s", q(f->exe, e, sizeof(e)));
        return buf;
}

void steps_for(const struct crash_facts *f, struct verdict *v, int ci)
{
        const char *c = v->class_id;
        char run[1024], extra[256], b[32];
        run_line(f, run, sizeof(run));
        if (strcmp(c, "null-deref") == 0) {
                if (f->insn.decoded && f->insn.base_reg[0])
                        snprintf(extra, sizeof(extra), " -ex 'info locals' -ex 'print $%s'", f->insn.base_reg);
                else
                        snprintf(extra, sizeof(extra), " -ex 'info locals'");
                gdb_step(f, v, ci, extra);
                v_step(v, "valgrind --tool=memcheck --track-origins=yes %s", run);
                v_step(v, "ASAN_OPTIONS=abort_on_error=1 %s   # after rebuilding with -g -fsanitize=address,undefined: shows where the NULL came from", run);
        } else if (strcmp(c, "stack-exhaustion") == 0) {
                gdb_step(f, v, ci, " -ex 'bt -30'");
                if (f->recursion.found)
                        v_step(v, "find what should end the recursion of %s (%zu frames deep); rerun with a larger stack only to confirm: ulimit -s %" PRIu64 " && %s",
                               f->recursion.members[0], f->recursion.depth,
                               f->stack.rlimit_stack && f->stack.rlimit_stack != UINT64_MAX ? 4 * f->stack.rlimit_stack / 1024 : 65536, run);
                else
                        v_step(v, "ulimit -s   # now %s; for threads the stack size comes from pthread_attr_setstacksize",
                               f->stack.rlimit_stack == UINT64_MAX ? "unlimited" : f->stack.rlimit_stack ? human_bytes(f->stack.rlimit_stack, b, sizeof(b)) : "unknown");
                if (f->big_frame.found)
                        v_step(v, "replace the alloca/VLA in %s by a heap allocation; gcc -Wstack-usage=65536 -Walloca-larger-than=4096 finds others",
                               f->big_frame.function ? f->big_frame.function : "the function");
        } else if (strcmp(c, "oom") == 0) {
                v_step(v, "dmesg | grep -iE 'out of memory|oom-kill|killed process'   # or: journalctl -k -g 'Killed process'");
                if (!f->mem.oom_kill && f->mem.rlimit_as && f->mem.rlimit_as != UINT64_MAX)
                        v_step(v, "ulimit -v   # was %" PRIu64 " KiB; raise it or reduce the program's peak (VmPeak %" PRIu64 " KiB)",
                               f->mem.rlimit_as / 1024, f->mem.vm_peak / 1024);
                if (f->mem.oom_memcg && f->mem.cgroup)
                        v_step(v, "cat /sys/fs/cgroup/memory%s/memory.limit_in_bytes /sys/fs/cgroup/memory%s/memory.max_usage_in_bytes 2>/dev/null || cat /sys/fs/cgroup%s/memory.max /sys/fs/cgroup%s/memory.peak   # the limit that was hit",
                               f->mem.cgroup, f->mem.cgroup, f->mem.cgroup, f->mem.cgroup);
                v_step(v, "valgrind --tool=massif %s && ms_print massif.out.*   # where the memory goes", run);
        } else if (strcmp(c, "double-free") == 0 || strcmp(c, "use-after-free") == 0 || strcmp(c, "heap-corruption") == 0) {
                v_step(v, "valgrind --tool=memcheck --track-origins=yes %s", run);
                v_step(v, "ASAN_OPTIONS=abort_on_error=1 %s   # after rebuilding with -g -fsanitize=address: names the allocation and the bad access", run);
                v_step(v, "MALLOC_CHECK_=3 MALLOC_PERTURB_=165 %s   # make glibc fail earlier, closer to the cause", run);
                gdb_step(f, v, ci, NULL);
        } else if (strcmp(c, "buffer-overflow") == 0) {
                if (f->heap.off_by_one)
                        v_step(v, "the buffer at 0x%" PRIx64 " holds %" PRIu64 " bytes: look for a write of %" PRIu64 " (a strcpy of a %" PRIu64 "-character string, or <= in a loop) in %s",
                               f->heap.before.addr + 16, f->heap.before.usable, f->heap.before.usable + 1, f->heap.before.usable,
                               v->crash_frame ? v->crash_frame : "the callers");
                v_step(v, "ASAN_OPTIONS=abort_on_error=1 %s   # after rebuilding with -g -fsanitize=address: stops at the overflowing write", run);
                v_step(v, "valgrind --tool=memcheck %s", run);
                gdb_step(f, v, ci, NULL);
        } else if (strcmp(c, "abort") == 0) {
                gdb_step(f, v, ci, " -ex 'info locals'");
                v_step(v, "ltrace -e abort+exit %s   # or: strace -f -e trace=signal %s", run, run);
        } else if (strcmp(c, "assertion") == 0) {
                gdb_step(f, v, ci, " -ex 'info locals' -ex 'info args'");
                v_step(v, "read the condition in the message at its file:line; check the values above in gdb");
        } else if (strcmp(c, "division-by-zero") == 0) {
                if (f->insn.divisor_reg[0])
                        snprintf(extra, sizeof(extra), " -ex 'info locals' -ex 'print $%s'", f->insn.divisor_reg);
                else if (f->insn.has_mem)
                        snprintf(extra, sizeof(extra), " -ex 'info locals' -ex 'x/dw 0x%" PRIx64 "'", f->insn.mem_addr);
                else
                        snprintf(extra, sizeof(extra), " -ex 'info locals'");
                gdb_step(f, v, ci, extra);
                v_step(v, "UBSAN_OPTIONS=print_stacktrace=1 %s   # after rebuilding with -g -fsanitize=undefined: reports the division with its operands", run);
        } else if (strcmp(c, "illegal-instruction") == 0) {
                char e[512];
                v_step(v, "objdump -d %s | less   # look at the instruction at pc 0x%" PRIx64 " in %s", q(f->exe, e, sizeof(e)), f->pc,
                       v->crash_frame ? v->crash_frame : "the crash frame");
                gdb_step(f, v, ci, " -ex 'x/4i $pc'");
        } else if (strcmp(c, "bus-error") == 0) {
                if (f->fault_map.name && f->fault_map.name[0] == '/') {
                        char p[512];
                        v_step(v, "ls -l %s   # smaller than the mapping? it was truncated while mapped", q(f->fault_map.name, p, sizeof(p)));
                        v_step(v, "lsof %s   # who else has it open (and may truncate it)", q(f->fault_map.name, p, sizeof(p)));
                }
                gdb_step(f, v, ci, NULL);
        } else if (strcmp(c, "wild-jump") == 0) {
                gdb_step(f, v, ci, " -ex 'x/16gx $sp-64'");
                v_step(v, "ASAN_OPTIONS=abort_on_error=1 %s   # after rebuilding with -g -fsanitize=address -fstack-protector-strong: catches the overwrite", run);
        } else if (strcmp(c, "external-signal") == 0) {
                v_step(v, "ps -o pid,user,lstart,cmd -p %d   # the sender, if it still runs", (int)f->sender_pid);
                v_step(v, "auditctl -a always,exit -F arch=b64 -S kill -S tkill -S tgkill -F a1=%d -k sig%d   # log the next sender of %s",
                       f->signo, f->signo, "this signal");
                v_step(v, "strace -f -e trace=signal %s   # to see signals it receives", run);
        } else {
                gdb_step(f, v, ci, NULL);
                v_step(v, "valgrind --tool=memcheck %s", run);
        }
}
