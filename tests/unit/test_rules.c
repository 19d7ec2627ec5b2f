/* rules/ from tables of facts: every class, and the near misses that must
 * not be mistaken for it. No core, no I/O: facts are written by hand. */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <errno.h>

#include "verdict.h"

static struct crash_facts *base(int signo, int code)
{
        static struct crash_facts f;
        memset(&f, 0, sizeof(f));
        f.pid = 100;
        f.tid = 100;
        f.exe = "/usr/bin/victim";
        f.input = "/var/lib/corecollect/core.victim.100.zst";
        f.input_is_bundle = true;
        f.has_core = true;
        f.signo = signo;
        f.si_code = code;
        f.pc = 0x555555555150;
        f.sp = 0x7ffffffde000;
        f.stack = (struct stack_facts){ .known = true, .lo = 0x7ffffffde000 - 0x20000, .hi = 0x7ffffffff000,
                                        .main_thread = true, .rlimit_stack = 8 << 20, .sp = 0x7ffffffde000,
                                        .used = 0x21000 };
        f.frames[0] = (struct fact_frame){ .function = "store_field", .file = "victim.c", .line = 12, .pc = f.pc };
        f.frames[1] = (struct fact_frame){ .function = "main", .file = "victim.c", .line = 30, .pc = 0x555555555200 };
        f.n_frames = 2;
        return &f;
}

static void segv_at(struct crash_facts *f, uint64_t addr)
{
        f->has_addr = true;
        f->fault_addr = addr;
}

#define CHECK(f, cls, needle)                                                                   \
        do {                                                                                    \
                struct verdict v_;                                                              \
                rules_classify((f), NULL, &v_);                                                 \
                if (strcmp(v_.class_id, (cls)) != 0 || !strstr(v_.detail, (needle)))             \
                        fail_msg("got %s: %s (want %s with \"%s\")", v_.class_id, v_.detail, (cls), \
                                 (needle));                                                     \
                assert_true(v_.n_next_steps > 0);                                               \
                verdict_free(&v_);                                                              \
        } while (0)

static void null_write(void **state)
{
        struct crash_facts *f = base(SIGSEGV, 1);
        segv_at(f, 0);
        f->insn = (struct insn_facts){ .decoded = true, .text = "mov dword ptr [rax], 1", .access = INSN_WRITE,
                                       .has_mem = true, .base_reg = "rax", .mem_addr = 0 };
        CHECK(f, "null-deref", "write to NULL+0x0 in store_field (victim.c:12) (rax is NULL)");
}

static void null_field_offset(void **state)
{
        struct crash_facts *f = base(SIGSEGV, 1);
        segv_at(f, 0x18);
        f->insn = (struct insn_facts){ .decoded = true, .access = INSN_READ, .has_mem = true, .base_reg = "rdi", .mem_addr = 0x18 };
        CHECK(f, "null-deref", "read from NULL+0x18");
}

/* near miss: 0x10000 and above is not NULL-based */
static void fault_above_null_page(void **state)
{
        struct crash_facts *f = base(SIGSEGV, 1);
        segv_at(f, 0x10000);
        f->fault_map.found = false;
        struct verdict v;
        rules_classify(f, NULL, &v);
        assert_string_not_equal(v.class_id, "null-deref");
        verdict_free(&v);
}

/* near miss: a SIGSEGV sent with kill() is not a NULL dereference */
static void segv_from_kill(void **state)
{
        struct crash_facts *f = base(SIGSEGV, 0 /* SI_USER */);
        f->from_process = true;
        f->sender_pid = 4242;
        f->sender_uid = 1000;
        CHECK(f, "external-signal", "SIGSEGV sent by pid 4242 (uid 1000) with kill()");
}

/* abort() raises SIGABRT on itself with tgkill: not external */
static void abort_self(void **state)
{
        struct crash_facts *f = base(SIGABRT, -6 /* SI_TKILL */);
        f->from_process = true;
        f->sender_pid = 100;
        f->frames[0] = (struct fact_frame){ .function = "raise" };
        f->frames[1] = (struct fact_frame){ .function = "abort" };
        f->frames[2] = (struct fact_frame){ .function = "give_up", .file = "v.c", .line = 4 };
        f->n_frames = 3;
        CHECK(f, "abort", "abort() called by the program in give_up (v.c:4)");
}

static void abort_from_kill(void **state)
{
        struct crash_facts *f = base(SIGABRT, 0);
        f->from_process = true;
        f->sender_pid = 7;
        CHECK(f, "external-signal", "SIGABRT sent by pid 7");
}

/* abort after a failed malloc under RLIMIT_AS vs a plain abort */
static void abort_after_failed_malloc(void **state)
{
        struct crash_facts *f = base(SIGABRT, -6);
        f->from_process = true;
        f->sender_pid = 100;
        f->mem.rlimit_as = 256 << 20;
        f->mem.mapped_total = (256 << 20) - (4 << 20);
        CHECK(f, "oom", "RLIMIT_AS");
        f->mem.rlimit_as = UINT64_MAX;
        CHECK(f, "abort", "abort() called");
}

static void double_free_tcache(void **state)
{
        struct crash_facts *f = base(SIGABRT, -6);
        f->from_process = true;
        f->sender_pid = 100;
        f->abort_msg = "free(): double free detected in tcache 2";
        CHECK(f, "double-free", "double free");
}

static void heap_off_by_one(void **state)
{
        struct crash_facts *f = base(SIGABRT, -6);
        f->from_process = true;
        f->sender_pid = 100;
        f->abort_msg = "free(): invalid size";
        f->heap = (struct heap_facts){ .walked = true, .corrupt = true, .off_by_one = true,
                                       .bad = { 0x5555555592c0, 0x100, 0 }, .before = { 0x5555555592a0, 0x21, 24 },
                                       .expected_size = 0x111 };
        CHECK(f, "buffer-overflow", "off-by-one");
        /* the same message without the off-by-one pattern is heap corruption */
        f->heap.off_by_one = false;
        CHECK(f, "heap-corruption", "free(): invalid size");
}

/* a string that ran through the next chunk's header: the culprit is visible */
static void heap_overflow_text(void **state)
{
        struct crash_facts *f = base(SIGABRT, -6);
        f->from_process = true;
        f->sender_pid = 100;
        f->abort_msg = "double free or corruption (out)";
        f->heap = (struct heap_facts){ .walked = true, .corrupt = true, .overflow = true, .overflow_bytes = 19,
                                       .bad = { 0x5555555592c0, 0x6e6966202c74726fULL, 0 },
                                       .before = { 0x5555555592a0, 0x21, 24 } };
        CHECK(f, "buffer-overflow", "heap buffer overflow: at least 19 bytes past the end of the 24-byte chunk at 0x5555555592b0");
        /* near miss: a tcache double free is a double free, whatever else the heap shows */
        f->abort_msg = "free(): double free detected in tcache 2";
        CHECK(f, "double-free", "double free");
        /* near miss: damage without text running into it stays heap corruption */
        f->abort_msg = "free(): invalid size";
        f->heap.overflow = false;
        CHECK(f, "heap-corruption", "free(): invalid size");
}

/* memcpy with a "negative" length: glibc's memmove copies a bounded window
 * around the destination and returns; the heap walk breaks at the chunk
 * header it overwrote, and the bytes there are the program's read-only data */
static void heap_overflow_copy(void **state)
{
        struct crash_facts *f = base(SIGABRT, -6);
        f->from_process = true;
        f->sender_pid = 100;
        f->abort_msg = "malloc(): corrupted top size";
        f->heap = (struct heap_facts){ .walked = true, .corrupt = true,
                                       .bad = { 0x555555559290, 0x79656b00020001ULL, 0 },
                                       .before = { 0x555555559000, 0x291, 0x288 },
                                       .copied = true, .copy_lo = 0x5555555592a0, .copy_hi = 0x5555555593a0,
                                       .copy_src = 0x555555556008, .copy_src_name = "/usr/bin/victim",
                                       .copy_src_perms = "r--p" };
        struct verdict v;
        rules_classify(f, NULL, &v);
        assert_string_equal(v.class_id, "buffer-overflow");
        assert_string_equal(v.confidence, "medium");
        assert_non_null(strstr(v.detail, "the 256 bytes at 0x5555555592a0-0x5555555593a0 are a copy of the bytes at "
                                         "0x555555556008 in the read-only data of victim"));
        assert_non_null(strstr(v.detail, "glibc then said \"malloc(): corrupted top size\""));
        bool said = false;
        for (size_t i = 0; i < v.n_evidence; i++)
                said |= strstr(v.evidence[i], "are an exact copy of the bytes at 0x555555556008") != NULL;
        assert_true(said);
        verdict_free(&v);
        /* from the stack */
        f->heap.copy_src_name = "[stack]";
        f->heap.copy_src = 0x7ffffffde100;
        CHECK(f, "buffer-overflow", "copy of the bytes at 0x7ffffffde100 on the stack");
        /* near miss: a tcache double free is a double free whatever the heap shows */
        f->abort_msg = "free(): double free detected in tcache 2";
        CHECK(f, "double-free", "double free");
        /* near miss: an assertion's message is not a heap message */
        f->abort_msg = "victim: victim.c:12: check: Assertion `x > 0' failed.";
        CHECK(f, "assertion", "Assertion");
        /* near miss: no copy found: heap corruption, high as before */
        f->abort_msg = "malloc(): corrupted top size";
        f->heap.copied = false;
        rules_classify(f, NULL, &v);
        assert_string_equal(v.class_id, "heap-corruption");
        verdict_free(&v);
}

/* clang -O2 deleted a call through a NULL pointer and everything after it:
 * the function's last instruction is a call, which returned past its end
 * into the padding */
static void fell_off_end(void **state)
{
        struct crash_facts *f = base(SIGSEGV, 1);
        segv_at(f, 0xf);
        f->pc = 0x555555555166;
        f->frames[0] = (struct fact_frame){ .pc = f->pc }; /* no symbol: the padding */
        f->insn = (struct insn_facts){ .decoded = true, .text = "add byte ptr [rax], al", .access = INSN_READ_WRITE,
                                       .has_mem = true, .base_reg = "rax", .base_value = 0xf, .mem_addr = 0xf };
        f->fell_off = (struct fell_off_facts){ .found = true, .function = "unload", .start = 0x555555555150,
                                               .end = 0x555555555166, .call_pc = 0x555555555161,
                                               .call_text = "call 0x555555555030" };
        struct verdict v;
        rules_classify(f, NULL, &v);
        assert_string_equal(v.class_id, "null-deref");
        assert_string_equal(v.confidence, "medium");
        assert_non_null(strstr(v.detail, "execution fell off the end of unload: its last instruction `call 0x555555555030`"));
        assert_non_null(strstr(v.detail, "right at its end (`add byte ptr [rax], al`) faulted: read-modify-write of 0xf"));
        assert_string_equal(v.crash_frame, "unload");
        verdict_free(&v);
        /* int3 padding: SIGTRAP, the same story (base() reuses one struct) */
        struct fell_off_facts fo = f->fell_off;
        struct crash_facts *g = base(SIGTRAP, 128);
        g->pc = 0x555555555167;
        g->frames[0] = (struct fact_frame){ .pc = g->pc };
        g->insn = (struct insn_facts){ .decoded = true, .text = "int3", .is_int3 = true };
        g->fell_off = fo;
        CHECK(g, "null-deref", "1 bytes past its end (`int3`) faulted: SIGTRAP");
        /* near miss: sent with kill(): not a fault, whatever pc is */
        g->from_process = true;
        g->si_code = 0;
        g->sender_pid = 7;
        CHECK(g, "external-signal", "sent by pid 7");
        /* near miss: without the fact, the fault is read as it is */
        f = base(SIGSEGV, 1);
        segv_at(f, 0xf);
        f->insn = (struct insn_facts){ .decoded = true, .text = "add byte ptr [rax], al", .access = INSN_READ_WRITE,
                                       .has_mem = true, .base_reg = "rax", .base_value = 0xf, .mem_addr = 0xf };
        CHECK(f, "null-deref", "read-modify-write of NULL+0xf");
}

/* std::terminate with no exception in flight: a pure virtual call, a
 * joinable std::thread destroyed; near miss: with __cxa_throw on the stack
 * it is an uncaught exception. And glibc's malloc assertions (no
 * __abort_msg: the text went to stderr only). */
static void terminate_without_exception(void **state)
{
        struct crash_facts *f = base(SIGABRT, -6);
        f->from_process = true;
        f->sender_pid = 100;
        f->frames[0] = (struct fact_frame){ .function = "raise" };
        f->frames[1] = (struct fact_frame){ .function = "abort" };
        f->frames[2] = (struct fact_frame){ .function = "std::terminate()" };
        f->frames[3] = (struct fact_frame){ .function = "__cxa_pure_virtual" };
        f->frames[4] = (struct fact_frame){ .function = "Shape::describe() const", .file = "s.cpp", .line = 11 };
        f->frames[5] = (struct fact_frame){ .function = "main", .file = "s.cpp", .line = 21 };
        f->n_frames = 6;
        CHECK(f, "abort", "pure virtual method called in Shape::describe() const (s.cpp:11)");
        f->frames[3] = (struct fact_frame){ .function = "std::thread::~thread()", .inlined = true,
                                            .file = "/usr/include/c++/12/bits/std_thread.h", .line = 151 };
        f->frames[4] = (struct fact_frame){ .function = "start_worker()", .file = "s.cpp", .line = 11 };
        CHECK(f, "abort", "a joinable std::thread was destroyed in start_worker() (s.cpp:11)");
        f->frames[3] = (struct fact_frame){ .function = "my_terminate_on_error()", .file = "s.cpp", .line = 3 };
        CHECK(f, "abort", "std::terminate() called with no exception in flight, in my_terminate_on_error() (s.cpp:3)");
        /* near miss: an exception being thrown */
        f->frames[3] = (struct fact_frame){ .function = "__cxa_throw" };
        CHECK(f, "abort", "uncaught C++ exception: std::terminate() called abort() (thrown in start_worker() (s.cpp:11))");
        /* near miss: the exception's type found on the stack */
        f->frames[3] = (struct fact_frame){ .function = "start_worker()", .file = "s.cpp", .line = 11 };
        f->exception_type = "std::invalid_argument";
        CHECK(f, "abort", "uncaught C++ exception std::invalid_argument");
        /* glibc's malloc assertion */
        f = base(SIGABRT, -6);
        f->from_process = true;
        f->sender_pid = 100;
        f->frames[0] = (struct fact_frame){ .function = "abort" };
        f->frames[1] = (struct fact_frame){ .function = "__malloc_assert" };
        f->frames[2] = (struct fact_frame){ .function = "sysmalloc" };
        f->frames[3] = (struct fact_frame){ .function = "_int_malloc" };
        f->frames[4] = (struct fact_frame){ .function = "main", .file = "s.cpp", .line = 18 };
        f->n_frames = 5;
        CHECK(f, "heap-corruption", "glibc's malloc failed one of its own assertions in sysmalloc");
        /* near miss: abort() from the program */
        f->frames[1] = (struct fact_frame){ .function = "give_up", .file = "s.cpp", .line = 4 };
        f->n_frames = 2;
        CHECK(f, "abort", "abort() called by the program in give_up");
}

static void assertion(void **state)
{
        struct crash_facts *f = base(SIGABRT, -6);
        f->from_process = true;
        f->sender_pid = 100;
        f->abort_msg = "victim: victim.c:12: check: Assertion `x > 0' failed.";
        CHECK(f, "assertion", "Assertion `x > 0' failed.");
}

static void stack_smashing(void **state)
{
        struct crash_facts *f = base(SIGABRT, -6);
        f->from_process = true;
        f->sender_pid = 100;
        f->abort_msg = "*** stack smashing detected ***: terminated";
        CHECK(f, "buffer-overflow", "stack smashing");
}

static void recursion(void **state)
{
        struct crash_facts *f = base(SIGSEGV, 1);
        segv_at(f, f->stack.lo - 8);
        f->sp = f->stack.sp = f->stack.lo;
        f->recursion = (struct recursion_facts){ .found = true, .cycle_len = 1, .repeats = 256, .members = { "recurse" }, .depth = 256 };
        CHECK(f, "stack-exhaustion", "infinite recursion in recurse");
        f->recursion = (struct recursion_facts){ .found = true, .cycle_len = 2, .repeats = 128, .members = { "ping", "pong" }, .depth = 256 };
        CHECK(f, "stack-exhaustion", "mutual recursion ping -> pong");
}

/* near miss: deep but finite recursion that crashed for another reason */
static void deep_recursion_null(void **state)
{
        struct crash_facts *f = base(SIGSEGV, 1);
        segv_at(f, 0x8);
        f->stack.used = 300 << 10;
        f->recursion = (struct recursion_facts){ .found = true, .cycle_len = 1, .repeats = 100, .members = { "walk" }, .depth = 102 };
        f->insn = (struct insn_facts){ .decoded = true, .access = INSN_READ, .has_mem = true, .base_reg = "rdi", .mem_addr = 8 };
        CHECK(f, "null-deref", "NULL+0x8");
}

static void big_frame(void **state)
{
        struct crash_facts *f = base(SIGSEGV, 1);
        segv_at(f, f->stack.lo - 4096);
        f->big_frame = (struct big_frame_facts){ .found = true, .function = "make_table", .size = 16 << 20 };
        CHECK(f, "stack-exhaustion", "make_table has a 16.0 MiB stack frame");
}

static void division(void **state)
{
        struct crash_facts *f = base(SIGFPE, 1);
        segv_at(f, 0x555555555150);
        f->insn = (struct insn_facts){ .decoded = true, .is_div = true, .divisor_reg = "ecx", .divisor = 0, .divisor_known = true };
        CHECK(f, "division-by-zero", "division by zero in store_field (victim.c:12) (ecx = 0)");
        f->insn.divisor = 0xffffffff;
        CHECK(f, "division-by-zero", "INT_MIN / -1");
}

static void ud2(void **state)
{
        struct crash_facts *f = base(SIGILL, 2);
        segv_at(f, f->pc);
        f->insn = (struct insn_facts){ .decoded = true, .is_ud2 = true, .text = "ud2" };
        CHECK(f, "illegal-instruction", "ud2");
}

static void bus_truncated_file(void **state)
{
        struct crash_facts *f = base(SIGBUS, 2);
        segv_at(f, 0x7ffff7ff0000);
        f->fault_map = (struct map_facts){ .found = true, .start = 0x7ffff7ff0000, .end = 0x7ffff7ff1000, .perms = "r--s",
                                           .name = "/tmp/data.bin" };
        CHECK(f, "bus-error", "past the end of the mapped file /tmp/data.bin");
}

static void wild_jump(void **state)
{
        struct crash_facts *f = base(SIGSEGV, 1);
        f->pc = 0xdeadbeef000;
        segv_at(f, 0xdeadbeef000);
        CHECK(f, "wild-jump", "jump to unmapped address 0xdeadbeef000");
        f->has_word_below_sp = true;
        f->word_below_sp = 0xdeadbeef000;
        CHECK(f, "wild-jump", "return address overwritten");
}

static void null_function_pointer(void **state)
{
        struct crash_facts *f = base(SIGSEGV, 1);
        f->pc = 0;
        segv_at(f, 0);
        CHECK(f, "null-deref", "NULL function pointer (jumped to 0x0); the caller is main");
        /* a caller that only a stack scan found is a guess, and said so */
        f->frames[1].scanned = true;
        CHECK(f, "null-deref", "the caller is perhaps main");
}

static void general_protection(void **state)
{
        struct crash_facts *f = base(SIGSEGV, 0x80);
        f->insn = (struct insn_facts){ .decoded = true, .access = INSN_READ, .has_mem = true, .base_reg = "rbx",
                                       .mem_addr = 0x4141414141414141ULL };
        struct verdict v;
        rules_classify(f, NULL, &v);
        /* si_addr is 0 for SI_KERNEL: never call it a NULL dereference */
        assert_string_not_equal(v.class_id, "null-deref");
        assert_non_null(strstr(v.detail, "0x4141414141414141"));
        verdict_free(&v);
}

#define NOT_IN(f, needle)                                                                       \
        do {                                                                                    \
                struct verdict v_;                                                              \
                rules_classify((f), NULL, &v_);                                                 \
                if (strstr(v_.detail, (needle)))                                                \
                        fail_msg("%s: %s (must not say \"%s\")", v_.class_id, v_.detail, (needle)); \
                verdict_free(&v_);                                                              \
        } while (0)

/* pc in the stack, no execute permission: the fetch faulted, the `ret`
 * the bytes decode to never ran */
static void exec_stack(void **state)
{
        struct crash_facts *f = base(SIGSEGV, 2 /* SEGV_ACCERR */);
        f->pc = 0x7ffffffde100;
        segv_at(f, f->pc);
        f->pc_map = (struct map_facts){ .found = true, .start = f->stack.lo, .end = f->stack.hi, .perms = "rw-p",
                                        .name = "[stack]" };
        f->insn = (struct insn_facts){ .decoded = true, .text = "ret", .is_ret = true, .access = INSN_EXEC,
                                       .has_mem = true, .base_reg = "rsp", .mem_addr = f->sp };
        f->has_word_below_sp = true;
        f->word_below_sp = 2;
        f->frames[0] = (struct fact_frame){ .pc = f->pc };
        CHECK(f, "wild-jump", "executing the stack at 0x7ffffffde100");
        NOT_IN(f, "return address");
        NOT_IN(f, "0x2");
        /* the heap, a data segment */
        f->pc_map.name = "[heap]";
        f->pc_map.start = 0x555555560000;
        f->pc_map.end = 0x555555581000;
        f->pc = f->fault_addr = 0x555555560100;
        CHECK(f, "wild-jump", "executing the heap");
        f->pc_map.name = "/usr/bin/victim";
        f->pc_map.perms[0] = 'r', f->pc_map.perms[1] = '-';
        CHECK(f, "wild-jump", "executing the read-only data of victim");
}

/* near miss: pc in r-x code that faulted on a data access (a write to
 * read-only memory) is not an instruction fetch */
static void exec_near_miss(void **state)
{
        struct crash_facts *f = base(SIGSEGV, 2 /* SEGV_ACCERR */);
        segv_at(f, 0x555555556010);
        f->pc_map = (struct map_facts){ .found = true, .start = 0x555555555000, .end = 0x555555556000, .perms = "r-xp",
                                        .name = "/usr/bin/victim" };
        f->fault_map = (struct map_facts){ .found = true, .start = 0x555555556000, .end = 0x555555557000, .perms = "r--p",
                                           .name = "/usr/bin/victim" };
        f->insn = (struct insn_facts){ .decoded = true, .text = "mov byte ptr [rax], 0", .access = INSN_WRITE,
                                       .has_mem = true, .base_reg = "rax", .base_value = 0x555555556010,
                                       .mem_addr = 0x555555556010 };
        struct verdict v;
        rules_classify(f, NULL, &v);
        assert_string_not_equal(v.class_id, "wild-jump");
        assert_null(strstr(v.detail, "executing"));
        assert_non_null(strstr(v.detail, "write to read-only memory at 0x555555556010 in store_field"));
        verdict_free(&v);
}

/* a fault inside free() called by the program (glibc read the heap_info of
 * a chunk whose header claims a non-main arena: the pointer was a stack
 * object's) is the allocator given a bad pointer, not a wild pointer */
static void fault_in_free(void **state)
{
        struct crash_facts *f = base(SIGSEGV, 1);
        segv_at(f, 0x7ffdf4000000);
        f->insn = (struct insn_facts){ .decoded = true, .text = "mov rax, qword ptr [rax]", .access = INSN_READ,
                                       .has_mem = true, .base_reg = "rax", .base_value = 0x7ffdf4000000,
                                       .mem_addr = 0x7ffdf4000000 };
        f->frames[2] = f->frames[1];
        f->frames[1] = (struct fact_frame){ .function = "release", .file = "victim.c", .line = 7, .pc = 0x555555555180 };
        f->frames[0] = (struct fact_frame){ .function = "free", .pc = 0x7ffff7e4a3a0 };
        f->n_frames = 3;
        CHECK(f, "heap-corruption", "read from 0x7ffdf4000000 inside free called from release: the pointer it was given");
        /* glibc's arena_for_chunk inlined in free: the same */
        f->frames[3] = f->frames[2], f->frames[2] = f->frames[1], f->frames[1] = f->frames[0];
        f->frames[0] = (struct fact_frame){ .function = "arena_for_chunk", .inlined = true, .pc = 0x7ffff7e4a3a0 };
        f->n_frames = 4;
        CHECK(f, "heap-corruption", "inside free called from release");
        f->frames[0] = f->frames[1], f->frames[1] = f->frames[2], f->frames[2] = f->frames[3];
        f->n_frames = 3;
        /* near miss: the same fault in the program's own code stays a wild pointer */
        f->frames[0] = f->frames[1];
        f->frames[1] = f->frames[2];
        f->n_frames = 2;
        CHECK(f, "unknown", "wild pointer");
        /* delete of a stack object whose fake header claims a non-main
         * arena whose heap_info reads as zeros: _int_free follows av = NULL
         * to av->top (rbp = 0, NULL+0x60). The allocator's NULL, not the
         * program's: heap corruption, not a NULL dereference in release */
        f = base(SIGSEGV, 1);
        segv_at(f, 0x60);
        f->insn = (struct insn_facts){ .decoded = true, .text = "mov rax, qword ptr [rbp + 0x60]", .access = INSN_READ,
                                       .has_mem = true, .base_reg = "rbp", .base_value = 0, .mem_addr = 0x60 };
        f->frames[0] = (struct fact_frame){ .function = "_int_free", .pc = 0x7ffff7e4a3a0 };
        f->frames[1] = (struct fact_frame){ .function = "operator delete(void*, unsigned long)", .pc = 0x7ffff7e90000 };
        f->frames[2] = (struct fact_frame){ .function = "release(Node*)", .file = "victim.cpp", .line = 7, .pc = 0x555555555180 };
        f->frames[3] = (struct fact_frame){ .function = "main", .file = "victim.cpp", .line = 14, .pc = 0x555555555200 };
        f->n_frames = 4;
        CHECK(f, "heap-corruption", "read from 0x60 inside operator delete(void*, unsigned long) called from release(Node*)");
        /* near miss: the same NULL read in the program's own code is a NULL dereference */
        f->frames[0] = f->frames[2], f->frames[1] = f->frames[3];
        f->n_frames = 2;
        CHECK(f, "null-deref", "read from NULL+0x60 in release(Node*) (victim.cpp:7) (rbp is NULL)");
}

/* a store to a read-only file mapping (a string literal) says read-only */
static void readonly_write(void **state)
{
        struct crash_facts *f = base(SIGSEGV, 2 /* SEGV_ACCERR */);
        segv_at(f, 0x555555556004);
        f->fault_map = (struct map_facts){ .found = true, .start = 0x555555556000, .end = 0x555555557000, .perms = "r--p",
                                           .name = "/usr/bin/victim" };
        f->insn = (struct insn_facts){ .decoded = true, .text = "mov byte ptr [rax], dl", .access = INSN_WRITE,
                                       .has_mem = true, .base_reg = "rax", .base_value = 0x555555556004,
                                       .mem_addr = 0x555555556004 };
        CHECK(f, "unknown", "write to read-only memory at 0x555555556004 in store_field");
        /* near miss: a read of a ---p mapping names no read-only write */
        f->fault_map.perms[0] = '-';
        f->insn.access = INSN_READ;
        struct verdict v;
        rules_classify(f, NULL, &v);
        assert_null(strstr(v.detail, "read-only"));
        verdict_free(&v);
}

/* hlt/in/out: a general-protection fault with no memory operand */
static void privileged(void **state)
{
        struct crash_facts *f = base(SIGSEGV, 0x80);
        f->pc_map = (struct map_facts){ .found = true, .start = 0x555555555000, .end = 0x555555556000, .perms = "r-xp",
                                        .name = "/usr/bin/victim" };
        f->insn = (struct insn_facts){ .decoded = true, .text = "hlt", .is_privileged = true };
        CHECK(f, "illegal-instruction", "privileged instruction `hlt` in store_field");
        NOT_IN(f, "0x0");
        NOT_IN(f, "address");
        /* in anonymous memory: data jumped into */
        f->pc = 0x7ffff7fc0000;
        f->pc_map = (struct map_facts){ .found = true, .start = 0x7ffff7fc0000, .end = 0x7ffff7fc1000, .perms = "rwxp", .name = "" };
        f->frames[0] = (struct fact_frame){ .pc = f->pc };
        f->insn = (struct insn_facts){ .decoded = true, .text = "in al, dx", .is_privileged = true };
        CHECK(f, "illegal-instruction", "executed in user mode at 0x7ffff7fc0000 in anonymous memory (rwxp)");
        /* near miss: a GP fault on an ordinary instruction without a memory
         * operand is not privileged, and still no memory access */
        f->insn = (struct insn_facts){ .decoded = true, .text = "iretq" };
        struct verdict v;
        rules_classify(f, NULL, &v);
        assert_string_equal(v.class_id, "unknown");
        assert_non_null(strstr(v.detail, "no memory operand"));
        assert_null(strstr(v.detail, "unmapped"));
        verdict_free(&v);
}

/* details say what the registers hold */
static void details_match_evidence(void **state)
{
        struct crash_facts *f = base(SIGSEGV, 1);
        segv_at(f, 0x1);
        f->insn = (struct insn_facts){ .decoded = true, .access = INSN_READ, .has_mem = true, .base_reg = "rdi",
                                       .base_value = 1, .mem_addr = 1 };
        CHECK(f, "null-deref", "(rdi = 0x1: NULL + 0x1)");
        NOT_IN(f, "is NULL");
        /* a canonical address under a GP fault is not "non-canonical" */
        f = base(SIGSEGV, 0x80);
        f->insn = (struct insn_facts){ .decoded = true, .text = "movaps xmmword ptr [rsp + 8], xmm0", .access = INSN_WRITE,
                                       .has_mem = true, .base_reg = "rsp", .mem_addr = 0x7ffffffde008 };
        CHECK(f, "unknown", "needs a 16-byte aligned address, 0x7ffffffde008 is not");
        NOT_IN(f, "non-canonical");
        f->insn.mem_addr = 0x4141414141414141ULL;
        CHECK(f, "unknown", "non-canonical address 0x4141414141414141");
        /* frame 0 without a name: the fault is not "in" its caller */
        f = base(SIGSEGV, 1);
        segv_at(f, 0x10);
        f->pc = 0x7ffff7fc0010;
        f->pc_map = (struct map_facts){ .found = true, .start = 0x7ffff7fc0000, .end = 0x7ffff7fc1000, .perms = "r-xp", .name = "" };
        f->frames[0] = (struct fact_frame){ .pc = f->pc };
        f->frames[1] = (struct fact_frame){ .function = "main", .file = "victim.c", .line = 30 };
        f->insn = (struct insn_facts){ .decoded = true, .access = INSN_READ, .has_mem = true, .base_reg = "rax", .mem_addr = 0x10 };
        CHECK(f, "null-deref", "read from NULL+0x10 in code at 0x7ffff7fc0010 in anonymous memory (r-xp) (no symbol; next frame: main");
        /* a faulting ret: the target is the word at sp, not below it */
        f = base(SIGSEGV, 0x80);
        f->insn = (struct insn_facts){ .decoded = true, .text = "ret", .is_ret = true, .access = INSN_READ, .has_mem = true,
                                       .base_reg = "rsp", .mem_addr = f->sp };
        f->has_word_at_sp = true;
        f->word_at_sp = 0x4141414141414141ULL;
        f->has_word_below_sp = true;
        f->word_below_sp = 0x1234;
        CHECK(f, "wild-jump", "returns to 0x4141414141414141");
}

/* a write faulting on the first byte past [stack]: a stack buffer overflow;
 * near misses: a page further, a read, a gap after a read-only mapping */
static void runoff_stack(void **state)
{
        struct crash_facts *f = base(SIGSEGV, 1);
        segv_at(f, f->stack.hi);
        f->fault_map = (struct map_facts){ .prev_start = f->stack.lo, .prev_end = f->stack.hi, .prev_perms = "rw-p",
                                           .prev_name = "[stack]", .below_end = f->stack.hi, .below_name = "[stack]" };
        f->insn = (struct insn_facts){ .decoded = true, .text = "mov byte ptr [rax], dl", .access = INSN_WRITE,
                                       .has_mem = true, .base_reg = "rax", .base_value = f->stack.hi, .mem_addr = f->stack.hi };
        CHECK(f, "buffer-overflow", "stack buffer overflow: a write in store_field (victim.c:12) ran off the end of the stack");
        struct verdict v;
        rules_classify(f, NULL, &v);
        assert_true(v.argv_overwritten);
        verdict_free(&v);

        f->fault_addr = f->stack.hi + 4096; /* a page further: not a run off the end */
        rules_classify(f, NULL, &v);
        assert_string_not_equal(v.class_id, "buffer-overflow");
        assert_false(v.argv_overwritten);
        verdict_free(&v);

        f->fault_addr = f->stack.hi;
        f->insn.access = INSN_READ; /* an over-read is not this rule */
        rules_classify(f, NULL, &v);
        assert_string_not_equal(v.class_id, "buffer-overflow");
        verdict_free(&v);

        f->insn.access = INSN_WRITE;
        memcpy(f->fault_map.prev_perms, "r--p", 5); /* nothing was writable below */
        rules_classify(f, NULL, &v);
        assert_string_not_equal(v.class_id, "buffer-overflow");
        verdict_free(&v);
}

/* the heap, a global, a thread's stack followed by a guard page */
static void runoff_heap_global_thread(void **state)
{
        struct crash_facts *f = base(SIGSEGV, 1);
        segv_at(f, 0x555555581000);
        f->fault_map = (struct map_facts){ .prev_start = 0x555555560000, .prev_end = 0x555555581000, .prev_perms = "rw-p",
                                           .prev_name = "[heap]" };
        f->insn = (struct insn_facts){ .decoded = true, .access = INSN_WRITE, .has_mem = true, .mem_addr = 0x555555581000 };
        CHECK(f, "buffer-overflow", "heap buffer overflow");
        f->fault_map.prev_name = "/usr/bin/victim";
        CHECK(f, "buffer-overflow", "global buffer overflow: a write in store_field (victim.c:12) ran off the end of the writable data of victim");
        /* a thread stack, then the guard page of the thread above */
        f->stack.main_thread = false;
        f->stack.lo = 0x7ffff6000000;
        f->stack.hi = 0x7ffff6800000;
        f->sp = f->stack.sp = 0x7ffff67ff000;
        segv_at(f, f->stack.hi);
        f->si_code = 2;
        f->fault_map = (struct map_facts){ .found = true, .start = f->stack.hi, .end = f->stack.hi + 4096, .perms = "---p", .name = "",
                                           .prev_start = f->stack.lo, .prev_end = f->stack.hi, .prev_perms = "rw-p", .prev_name = "" };
        CHECK(f, "buffer-overflow", "stack buffer overflow: a write in store_field (victim.c:12) ran off the end of the thread's stack");
        /* near miss: the next mapping allows writing: not a fault of running off */
        memcpy(f->fault_map.perms, "rw-p", 5);
        struct verdict v;
        rules_classify(f, NULL, &v);
        assert_string_not_equal(v.class_id, "buffer-overflow");
        verdict_free(&v);

        /* the thread's stack, then another writable mapping the kernel did
         * not merge with it, then libc: the write started in the stack (its
         * base register points there) and ran through the other one */
        uint64_t next_end = f->stack.hi + 0x4000;
        segv_at(f, next_end);
        f->si_code = 2;
        f->fault_map = (struct map_facts){ .found = true, .start = next_end, .end = next_end + 0x26000, .perms = "r--p",
                                           .name = "/usr/lib/x86_64-linux-gnu/libc.so.6", .prev_start = f->stack.hi,
                                           .prev_end = next_end, .prev_perms = "rw-p", .prev_name = "", .run_start = f->stack.lo };
        f->insn = (struct insn_facts){ .decoded = true, .text = "mov byte ptr [rdi + rcx], al", .access = INSN_WRITE,
                                       .has_mem = true, .base_reg = "rdi", .base_value = f->stack.hi - 0x11b0, .mem_addr = next_end };
        f->base_map = (struct map_facts){ .found = true, .start = f->stack.lo, .end = f->stack.hi, .perms = "rw-p", .name = "" };
        CHECK(f, "buffer-overflow", "stack buffer overflow: a write in store_field (victim.c:12) ran off the end of the thread's stack "
                                    "(0x7ffff6000000-0x7ffff6800000) through anonymous memory (rw-p) (0x7ffff6800000-0x7ffff6804000)");
        CHECK(f, "buffer-overflow", "TLS and control block");
        /* a gap between them: the run is broken, the base is not where the write ran from */
        f->fault_map.run_start = f->fault_map.prev_start;
        NOT_IN(f, "thread's stack");
        CHECK(f, "buffer-overflow", "ran off the end of anonymous memory (rw-p) (0x7ffff6800000-0x7ffff6804000)");
}

/* library code compiled into the program is not the crash frame: inline
 * wrappers and templates from system headers (clang's paths are not
 * normalised); the program's own headers are */
static void library_frames(void **state)
{
        struct crash_facts *f = base(SIGSEGV, 1);
        segv_at(f, 0x10);
        f->insn = (struct insn_facts){ .decoded = true, .access = INSN_READ, .has_mem = true, .base_reg = "rdi", .mem_addr = 0x10 };
        f->frames[0] = (struct fact_frame){ .function = "std::vector<double>::push_back(double const&)", .inlined = true,
                .file = "/usr/bin/../lib/gcc/x86_64-linux-gnu/12/../../../../include/c++/12/bits/stl_vector.h", .line = 1278 };
        f->frames[1] = (struct fact_frame){ .function = "std::vector<double>::_M_realloc_insert(double const&)",
                .file = "/usr/include/c++/12/bits/vector.tcc", .line = 440 };
        f->frames[2] = (struct fact_frame){ .function = "add_sample", .file = "/src/app/series.c", .line = 24 };
        f->frames[3] = (struct fact_frame){ .function = "main", .file = "/src/app/main.c", .line = 9 };
        f->n_frames = 4;
        struct verdict v;
        rules_classify(f, NULL, &v);
        assert_string_equal(v.crash_frame, "add_sample");
        assert_non_null(strstr(v.detail, "in add_sample (series.c:24)"));
        assert_non_null(strstr(v.signature_text, "|add_sample|main"));
        verdict_free(&v);
        /* near miss: the program's own inline header is its code */
        f->frames[0].function = "ring_push";
        f->frames[0].file = "/src/app/include/ring.h";
        rules_classify(f, NULL, &v);
        assert_string_equal(v.crash_frame, "ring_push");
        verdict_free(&v);
        /* the fortify wrapper */
        f->frames[0] = (struct fact_frame){ .function = "strcpy", .inlined = true,
                .file = "/usr/include/x86_64-linux-gnu/bits/string_fortified.h", .line = 79 };
        rules_classify(f, NULL, &v);
        assert_string_equal(v.crash_frame, "add_sample");
        verdict_free(&v);
}

static void uncaught_exception(void **state)
{
        struct crash_facts *f = base(SIGABRT, -6);
        f->from_process = true;
        f->sender_pid = 100;
        f->frames[0] = (struct fact_frame){ .function = "std::terminate()" };
        f->frames[1] = (struct fact_frame){ .function = "__cxa_throw" };
        f->frames[2] = (struct fact_frame){ .function = "parse_config", .file = "c.cc", .line = 9 };
        f->n_frames = 3;
        f->exception_type = "std::runtime_error";
        CHECK(f, "abort", "uncaught C++ exception std::runtime_error");
        f->exception_type = "std::bad_alloc";
        CHECK(f, "oom", "bad_alloc");
}

static void oom_kill(void **state)
{
        struct crash_facts *f = base(SIGKILL, 0);
        f->has_core = false;
        f->mem.oom_kill = true;
        f->mem.oom_memcg = true;
        f->mem.oom_line = "Memory cgroup out of memory: Killed process 100 (victim) total-vm:...";
        CHECK(f, "oom", "OOM killer (memory cgroup limit)");
}

/* Every next step of every class, for a crash whose exe path, arguments,
 * function names, mapped file and cgroup are hostile: no control byte, the
 * exe never an option (gdb -x would run a command file), hostile names only
 * inside quotes. (tests/cli/hostile.sh runs the steps through a shell.) */
/* Whether needle occurs in the shell text st outside single quotes and
 * $'...' (the only quoting in which nothing expands). */
static bool unquoted(const char *st, const char *needle)
{
        enum { NONE, SINGLE, DOLLAR } q = NONE;
        for (const char *p = st; *p; p++) {
                if (q == SINGLE) {
                        if (*p == '\'')
                                q = NONE;
                } else if (q == DOLLAR) {
                        if (*p == '\\' && p[1])
                                p++;
                        else if (*p == '\'')
                                q = NONE;
                } else if (strncmp(p, needle, strlen(needle)) == 0)
                        return true;
                else if (*p == '\\' && p[1])
                        p++;
                else if (p[0] == '$' && p[1] == '\'') {
                        q = DOLLAR;
                        p++;
                } else if (*p == '\'')
                        q = SINGLE;
        }
        return false;
}

static void check_hostile_steps(struct crash_facts *f, const char *cls)
{
        static const char *const argv[] = { "victim", "x; touch PWNED #", "$(touch PWNED)", "a\nb\x1b[2J", "" };
        f->exe = "-x/evil;id";
        f->argv = argv;
        f->argc = sizeof(argv) / sizeof(argv[0]);
        f->cmdline = "victim x; touch PWNED # $(touch PWNED) a\nb\x1b[2J ";
        struct verdict v;
        rules_classify(f, NULL, &v);
        if (strcmp(v.class_id, cls) != 0)
                fail_msg("got %s, want %s", v.class_id, cls);
        assert_true(v.n_next_steps > 0);
        bool run_seen = false;
        for (size_t i = 0; i < v.n_next_steps; i++) {
                const char *st = v.next_steps[i];
                for (const unsigned char *p = (const unsigned char *)st; *p; p++)
                        if (*p < 0x20 || *p == 0x7f)
                                fail_msg("%s: control byte 0x%02x in step: %s", cls, *p, st);
                if (strstr(st, " -x/evil") || strstr(st, " '-x/evil"))
                        fail_msg("%s: exe may be read as an option: %s", cls, st);
                if (unquoted(st, "touch PWNED") || unquoted(st, "rm -rf") || unquoted(st, "\\x1b"))
                        fail_msg("%s: argument, function or path not quoted: %s", cls, st);
                if (strstr(st, "'x; touch PWNED #' '$(touch PWNED)' 'a'$'\\x0a''b'$'\\x1b''[2J' ''"))
                        run_seen = true;
        }
        if (!run_seen && strcmp(cls, "illegal-instruction") != 0 && strcmp(cls, "bus-error") != 0 &&
            strcmp(cls, "assertion") != 0)
                fail_msg("%s: no step reruns the program with its quoted arguments", cls);
        verdict_free(&v);
}

static void hostile_steps(void **state)
{
        struct crash_facts *f = base(SIGSEGV, 1);
        f->frames[0].function = "$(rm -rf ~)";
        segv_at(f, 0);
        f->insn = (struct insn_facts){ .decoded = true, .access = INSN_WRITE, .has_mem = true, .base_reg = "rax" };
        check_hostile_steps(f, "null-deref");

        f = base(SIGSEGV, 1);
        segv_at(f, f->stack.lo - 8);
        f->sp = f->stack.sp = f->stack.lo;
        f->recursion = (struct recursion_facts){ .found = true, .cycle_len = 1, .repeats = 256, .members = { "`rm -rf ~`" }, .depth = 256 };
        f->big_frame = (struct big_frame_facts){ .found = true, .function = "$(rm -rf ~)", .size = 16 << 20 };
        check_hostile_steps(f, "stack-exhaustion");

        f = base(SIGILL, 2);
        f->frames[0].function = "$(rm -rf ~)";
        segv_at(f, f->pc);
        f->insn = (struct insn_facts){ .decoded = true, .is_ud2 = true, .text = "ud2" };
        check_hostile_steps(f, "illegal-instruction");

        f = base(SIGBUS, 2);
        segv_at(f, 0x7ffff7ff0000);
        f->fault_map = (struct map_facts){ .found = true, .start = 0x7ffff7ff0000, .end = 0x7ffff7ff1000, .perms = "r--s",
                                           .name = "/tmp/$(rm -rf ~)\n" };
        check_hostile_steps(f, "bus-error");

        f = base(SIGKILL, 0x80);
        f->has_core = false;
        f->mem.oom_kill = true;
        f->mem.oom_memcg = true;
        f->mem.cgroup = "/user/`rm -rf ~`";
        f->mem.oom_line = "Out of memory: Killed process 100 (victim)";
        check_hostile_steps(f, "oom");

        f = base(SIGABRT, -6);
        f->abort_msg = "free(): double free detected in tcache 2";
        check_hostile_steps(f, "double-free");
}

static void tables_parse(void **state)
{
        struct rules_tables t = { 0 };
        unsigned line = 0;
        assert_int_equal(tables_parse_abort_messages(&t, "# c\nfoo\tabort\tbar\n", &line), 0);
        assert_int_equal(t.n_abort_patterns, 1);
        assert_int_equal(tables_parse_abort_messages(&t, "ok\tabort\tx\nbroken line\n", &line), -EINVAL);
        assert_int_equal(line, 2);
        tables_free(&t);
        assert_int_equal(tables_load_defaults(&t), 0);
        assert_true(t.n_abort_patterns > 20 && t.n_skip_frames > 10 && t.n_allocators > 5);
        tables_free(&t);
}


/* Signatures: one value per bug. */
static void sig_of(struct crash_facts *f, char out[17], char *text, size_t text_size)
{
        struct verdict v;
        rules_classify(f, NULL, &v);
        snprintf(out, 17, "%s", v.signature);
        if (text)
                snprintf(text, text_size, "%s", v.signature_text);
        verdict_free(&v);
}

static struct crash_facts *null_crash(void)
{
        struct crash_facts *f = base(SIGSEGV, 1);
        segv_at(f, 0);
        f->insn = (struct insn_facts){ .decoded = true, .access = INSN_WRITE, .has_mem = true, .base_reg = "rax" };
        return f;
}

/* The value is part of the fleet database: it must not drift silently. */
static void signature_golden(void **state)
{
        char a[17], text[512];
        sig_of(null_crash(), a, text, sizeof(text));
        assert_string_equal(text, "v1|null-deref|victim|sig11|store_field|main");
        assert_string_equal(a, "2b4c1356cbae8e5e"); /* FNV-1a 64 of the text, computed apart in Python */
}

/* Another run: other pid, other addresses (ASLR), other bundle name, the
 * libc's entry frames below main, a clone suffix on the crash frame. */
static void signature_stable(void **state)
{
        char a[17], b[17];
        sig_of(null_crash(), a, NULL, 0);
        struct crash_facts *f = null_crash();
        f->pid = f->tid = 4711;
        f->input = "/var/lib/corecollect/core.victim.4711.zst";
        f->pc = f->frames[0].pc = 0x5600deadb150;
        f->frames[0].function = "store_field.constprop.0";
        f->frames[1].pc = 0x5600deadb200;
        f->frames[2] = (struct fact_frame){ .function = "__libc_start_call_main", .module = "/usr/lib/libc.so.6" };
        f->frames[3] = (struct fact_frame){ .function = "__libc_start_main_impl", .module = "/usr/lib/libc.so.6" };
        f->frames[4] = (struct fact_frame){ .function = "_start" };
        f->n_frames = 5;
        sig_of(f, b, NULL, 0);
        assert_string_equal(a, b);
        f->frames[2] = f->frames[3]; /* glibc before 2.34: no __libc_start_call_main */
        f->frames[3] = f->frames[4];
        f->n_frames = 4;
        sig_of(f, b, NULL, 0);
        assert_string_equal(a, b);

        /* a frame without a name (a library without its debug info here,
         * with it on another machine) counts for nothing */
        f = null_crash();
        f->frames[2] = f->frames[1];
        f->frames[1] = (struct fact_frame){ .module = "/usr/lib/libc.so.6", .pc = 0x7f0000012345 };
        f->n_frames = 3;
        sig_of(f, b, NULL, 0);
        assert_string_equal(a, b);

        char cxx1[17], cxx2[17];
        f = null_crash();
        f->frames[0].function = "Parser::field(int) [clone .isra.0]";
        sig_of(f, cxx1, NULL, 0);
        f = null_crash();
        f->frames[0].function = "Parser::field(int)";
        sig_of(f, cxx2, NULL, 0);
        assert_string_equal(cxx1, cxx2);
}

/* Another bug: another crash function, caller, class or program. */
static void signature_differs(void **state)
{
        char a[17], b[17];
        sig_of(null_crash(), a, NULL, 0);
        struct crash_facts *f = null_crash();
        f->frames[0].function = "store_name";
        sig_of(f, b, NULL, 0);
        assert_string_not_equal(a, b);
        f = null_crash();
        f->frames[1].function = "reload";
        sig_of(f, b, NULL, 0);
        assert_string_not_equal(a, b);
        f = null_crash();
        f->exe = "/usr/bin/other";
        sig_of(f, b, NULL, 0);
        assert_string_not_equal(a, b);
        f = null_crash();
        segv_at(f, 0x7f0000001000); /* a wild pointer, not NULL: another class */
        f->insn.mem_addr = 0x7f0000001000;
        sig_of(f, b, NULL, 0);
        assert_string_not_equal(a, b);
}

/* Stack exhaustion: the fault lands anywhere in the cycle; external
 * signals: where the process was is chance. */
static void signature_position_free(void **state)
{
        char a[17], b[17], text[512];
        struct crash_facts *f = base(SIGSEGV, 1);
        segv_at(f, f->stack.lo - 8);
        f->sp = f->stack.sp = f->stack.lo;
        f->recursion = (struct recursion_facts){ .found = true, .cycle_len = 2, .repeats = 128, .members = { "ping", "pong" }, .depth = 256 };
        sig_of(f, a, text, sizeof(text));
        assert_string_equal(text, "v1|stack-exhaustion|victim|sig11|recursion|ping|pong");
        f->recursion.members[0] = "pong";
        f->recursion.members[1] = "ping";
        f->frames[0].function = "pong";
        sig_of(f, b, NULL, 0);
        assert_string_equal(a, b);

        f = base(SIGTERM, 0);
        f->from_process = true;
        f->sender_pid = 1;
        sig_of(f, a, text, sizeof(text));
        assert_string_equal(text, "v1|external-signal|victim|sig15");
        f->frames[0].function = "poll";
        sig_of(f, b, NULL, 0);
        assert_string_equal(a, b);
}

/* A smashed stack unwinds into pcs in no mapping: they end the frames. */
static void signature_stops_at_garbage(void **state)
{
        char text[512], a[17];
        struct crash_facts *f = null_crash();
        f->frames[1] = (struct fact_frame){ .pc = 0x4141414141414141 };
        f->frames[2] = (struct fact_frame){ .function = "main" };
        f->n_frames = 3;
        sig_of(f, a, text, sizeof(text));
        assert_string_equal(text, "v1|null-deref|victim|sig11|store_field");
}

/* Frames in modules whose ELF was not found: the crash frame stops at the
 * first of them (an unnamed libc frame is not skipped for a named caller),
 * the evidence names the files and the confidence drops one step; a
 * missing library below the crash frame only adds the evidence. */
static void missing_elf(void **state)
{
        struct crash_facts *f = base(SIGSEGV, 1);
        segv_at(f, 0);
        f->frames[2] = f->frames[1];
        f->frames[1] = (struct fact_frame){ .module = "/usr/bin/victim", .pc = 0x555555555190, .module_no_elf = true,
                                            .label = "victim+0x1190" };
        f->frames[0] = (struct fact_frame){ .module = "/usr/lib/libc.so.6", .pc = 0x7ffff7e00123, .module_no_elf = true,
                                            .label = "libc.so.6+0x123" };
        f->n_frames = 3;
        f->missing_elf[0] = (struct missing_elf_facts){ "/usr/lib/libc.so.6", "93ac61ec" };
        f->missing_elf[1] = (struct missing_elf_facts){ "/usr/bin/victim", NULL };
        f->n_missing_elf = 2;
        struct verdict v;
        rules_classify(f, NULL, &v);
        assert_string_equal(v.class_id, "null-deref");
        assert_string_equal(v.crash_frame, "libc.so.6+0x123");
        assert_string_equal(v.confidence, "medium");
        assert_non_null(strstr(v.detail, "in libc.so.6+0x123 [ELF missing for libc.so.6]"));
        bool listed = false;
        for (size_t i = 0; i < v.n_evidence; i++)
                listed |= strstr(v.evidence[i], "ELF file not found for 2 modules: /usr/lib/libc.so.6 (build-id 93ac61ec), "
                                                "/usr/bin/victim (build-id unknown)") != NULL;
        assert_true(listed);
        assert_non_null(strstr(v.signature_text, "|libc.so.6+0x123|victim+0x1190|main"));
        verdict_free(&v);

        /* only below the crash frame: the verdict stands, the evidence says it */
        f = base(SIGSEGV, 1);
        segv_at(f, 0);
        f->frames[2] = (struct fact_frame){ .module = "/usr/lib/libc.so.6", .pc = 0x7ffff7e00123, .module_no_elf = true,
                                            .label = "libc.so.6+0x123" };
        f->n_frames = 3;
        f->missing_elf[0] = (struct missing_elf_facts){ "/usr/lib/libc.so.6", "93ac61ec" };
        f->n_missing_elf = 1;
        rules_classify(f, NULL, &v);
        assert_string_equal(v.crash_frame, "store_field");
        assert_string_equal(v.confidence, "high");
        assert_null(strstr(v.detail, "ELF missing"));
        listed = false;
        for (size_t i = 0; i < v.n_evidence; i++)
                listed |= strncmp(v.evidence[i], "ELF file not found for 1 module: /usr/lib/libc.so.6", 51) == 0;
        assert_true(listed);
        verdict_free(&v);
}

/* pattern 5: the faulting pointer was just loaded from a heap chunk */
static void freed_pointer_facts(struct crash_facts *f, bool chunk_free)
{
        f->heap.walked = true;
        f->heap.heap_start = 0x555555559000;
        f->heap.heap_end = 0x55555557a000;
        f->ptr_load = (struct ptr_load_facts){ .found = true, .reg = "rax", .load_text = "mov rax, qword ptr [rax + 8]",
                                               .load_pc = 0x555555555165, .src_addr = 0x5555555592c8,
                                               .value = f->insn.base_value, .in_chunk = true,
                                               .chunk_addr = 0x5555555592b0, .chunk_size = 0x20,
                                               .chunk_free = chunk_free,
                                               .free_how = chunk_free ? "on the main thread's tcache list" : NULL };
}

static void freed_pointer(void **state)
{
        /* the tcache key (non-canonical): a general-protection fault */
        struct crash_facts *f = base(SIGSEGV, 0x80);
        f->insn = (struct insn_facts){ .decoded = true, .access = INSN_READ, .has_mem = true, .base_reg = "rax",
                                       .base_value = 0xa35e80cd85280277ULL, .mem_addr = 0xa35e80cd85280277ULL };
        freed_pointer_facts(f, true);
        struct verdict v;
        rules_classify(f, NULL, &v);
        assert_string_equal(v.class_id, "use-after-free");
        assert_string_equal(v.confidence, "medium");
        assert_non_null(strstr(v.detail, "likely use after free: the pointer in rax was loaded from offset 8 of the freed "
                                         "24-byte chunk at 0x5555555592c0"));
        bool chunk = false;
        for (size_t i = 0; i < v.n_evidence; i++)
                chunk |= strstr(v.evidence[i], "heap chunk at 0x5555555592b0") && strstr(v.evidence[i], "tcache list");
        assert_true(chunk);
        verdict_free(&v);

        /* a NULL loaded from a freed chunk: not a confident null-deref */
        f = base(SIGSEGV, 1);
        segv_at(f, 0x10);
        f->insn = (struct insn_facts){ .decoded = true, .access = INSN_READ, .has_mem = true, .base_reg = "rax",
                                       .base_value = 0, .disp = 0x10, .mem_addr = 0x10 };
        freed_pointer_facts(f, true);
        CHECK(f, "use-after-free", "offset 8 of the freed 24-byte chunk");
}

static void freed_pointer_near_miss(void **state)
{
        /* loaded from a chunk in use: the verdict stays */
        struct crash_facts *f = base(SIGSEGV, 1);
        segv_at(f, 0x10);
        f->insn = (struct insn_facts){ .decoded = true, .access = INSN_READ, .has_mem = true, .base_reg = "rax",
                                       .base_value = 0, .disp = 0x10, .mem_addr = 0x10 };
        freed_pointer_facts(f, false);
        CHECK(f, "null-deref", "(rax is NULL)");
        NOT_IN(f, "freed");

        /* the load was not found (rax clobbered, no way back): say nothing of it */
        freed_pointer_facts(f, true);
        f->ptr_load = (struct ptr_load_facts){ 0 };
        CHECK(f, "null-deref", "NULL");
        NOT_IN(f, "loaded from");

        /* the load filled another register than the fault's base */
        f = base(SIGSEGV, 0x80);
        f->insn = (struct insn_facts){ .decoded = true, .access = INSN_READ, .has_mem = true, .base_reg = "rdx",
                                       .mem_addr = 0xa35e80cd85280277ULL };
        freed_pointer_facts(f, true);
        struct verdict v;
        rules_classify(f, NULL, &v);
        assert_string_not_equal(v.class_id, "use-after-free");
        verdict_free(&v);

        /* a privileged instruction has no pointer to speak of */
        f->insn = (struct insn_facts){ .decoded = true, .is_privileged = true, .text = "hlt", .base_reg = "rax" };
        CHECK(f, "illegal-instruction", "hlt");
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(null_write),       cmocka_unit_test(null_field_offset),
                cmocka_unit_test(fault_above_null_page), cmocka_unit_test(segv_from_kill),
                cmocka_unit_test(abort_self),       cmocka_unit_test(abort_from_kill),
                cmocka_unit_test(abort_after_failed_malloc), cmocka_unit_test(double_free_tcache),
                cmocka_unit_test(heap_off_by_one),  cmocka_unit_test(assertion),
                cmocka_unit_test(stack_smashing),   cmocka_unit_test(recursion),
                cmocka_unit_test(signature_golden), cmocka_unit_test(signature_stable),
                cmocka_unit_test(signature_differs), cmocka_unit_test(signature_position_free),
                cmocka_unit_test(signature_stops_at_garbage),
                cmocka_unit_test(deep_recursion_null), cmocka_unit_test(big_frame),
                cmocka_unit_test(division),         cmocka_unit_test(ud2),
                cmocka_unit_test(bus_truncated_file), cmocka_unit_test(wild_jump),
                cmocka_unit_test(null_function_pointer), cmocka_unit_test(general_protection),
                cmocka_unit_test(uncaught_exception), cmocka_unit_test(oom_kill),
                cmocka_unit_test(exec_stack), cmocka_unit_test(exec_near_miss),
                cmocka_unit_test(privileged), cmocka_unit_test(details_match_evidence),
                cmocka_unit_test(runoff_stack), cmocka_unit_test(runoff_heap_global_thread),
                cmocka_unit_test(library_frames), cmocka_unit_test(heap_overflow_text),
                cmocka_unit_test(heap_overflow_copy), cmocka_unit_test(fell_off_end),
                cmocka_unit_test(terminate_without_exception),
                cmocka_unit_test(tables_parse), cmocka_unit_test(hostile_steps), cmocka_unit_test(missing_elf),
                cmocka_unit_test(freed_pointer), cmocka_unit_test(freed_pointer_near_miss),
                cmocka_unit_test(fault_in_free), cmocka_unit_test(readonly_write),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
