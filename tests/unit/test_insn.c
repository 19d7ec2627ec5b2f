/* Decoding the faulting instruction: real x86-64 byte sequences, the memory
 * operand and its computed address, call/push/ret stack slots, divisors,
 * ud2/int3, fetch faults and garbage. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "insn.h"
#include "util.h"

#define PC 0x401000ULL

/* Registers with recognisable values: rax = 0x1111...1000 and so on. */
static void init_regs(uint64_t *regs)
{
        memset(regs, 0, CORE_NREGS * sizeof regs[0]);
        regs[CREG_RAX] = 0x00007f0000001000ULL;
        regs[CREG_RBX] = 0x2222;
        regs[CREG_RCX] = 0xdeadbeef00000007ULL; /* ecx = 7 */
        regs[CREG_RDX] = 0x3333;
        regs[CREG_RSI] = 0x5555000;
        regs[CREG_RDI] = 0x7ffc00001230ULL;
        regs[CREG_RBP] = 0x7ffc00002000ULL;
        regs[CREG_RSP] = 0x7ffc00001f00ULL;
        regs[CREG_R8] = 0xffffffff00000000ULL; /* r8d = 0 */
        regs[CREG_RIP] = PC;
        regs[CREG_FS_BASE] = 0x7f1234560740ULL;
        regs[CREG_GS_BASE] = 0;
}

static struct insn_facts decode(const uint8_t *code, size_t len, uint64_t fault, bool has_fault, int want_r)
{
        uint64_t regs[CORE_NREGS];
        struct insn_facts f;

        init_regs(regs);
        int r = insn_decode(code, len, PC, regs, fault, has_fault, &f);
        if (r != want_r)
                fail_msg("insn_decode = %d, want %d (%s)", r, want_r, f.text);
        return f;
}

#define DECODE(fault, has_fault, ...)                                               \
        ({                                                                          \
                static const uint8_t _c[] = { __VA_ARGS__ };                        \
                decode(_c, sizeof _c, (fault), (has_fault), 0);                     \
        })

static void test_store(void **state)
{
        struct insn_facts f = DECODE(0, false, 0xc7, 0x00, 0x01, 0x00, 0x00, 0x00);
        assert_true(f.decoded);
        assert_string_equal(f.text, "mov dword ptr [rax], 1");
        assert_true(f.has_mem);
        assert_int_equal(f.access, INSN_WRITE);
        assert_string_equal(f.base_reg, "rax");
        assert_string_equal(f.index_reg, "");
        assert_int_equal(f.base_value, 0x00007f0000001000ULL);
        assert_int_equal(f.disp, 0);
        assert_int_equal(f.mem_addr, 0x00007f0000001000ULL);
        assert_false(f.is_call || f.is_push || f.is_ret || f.is_div || f.is_ud2 || f.is_int3);

        /* mov byte ptr [rdx + rcx], al: base + index */
        f = DECODE(0, false, 0x88, 0x04, 0x0a);
        assert_int_equal(f.access, INSN_WRITE);
        assert_string_equal(f.base_reg, "rdx");
        assert_string_equal(f.index_reg, "rcx");
        assert_int_equal(f.mem_addr, 0x3333 + 0xdeadbeef00000007ULL);

        /* vmovdqu xmmword ptr [rdi], xmm0: capstone 4 says read; it is a store */
        f = DECODE(0, false, 0xc5, 0xfa, 0x7f, 0x07);
        assert_int_equal(f.access, INSN_WRITE);
        /* lock cmpxchg qword ptr [rdi], rdx: read-modify-write */
        f = DECODE(0, false, 0xf0, 0x48, 0x0f, 0xb1, 0x17);
        assert_int_equal(f.access, INSN_READ_WRITE);
        /* add qword ptr [rdi], rax */
        f = DECODE(0, false, 0x48, 0x01, 0x07);
        assert_int_equal(f.access, INSN_READ_WRITE);
        /* fistp qword ptr [rdi] */
        f = DECODE(0, false, 0xdf, 0x3f);
        assert_int_equal(f.access, INSN_WRITE);
}

static void test_load(void **state)
{
        struct insn_facts f = DECODE(0, false, 0x8b, 0x07);
        assert_string_equal(f.text, "mov eax, dword ptr [rdi]");
        assert_int_equal(f.access, INSN_READ);
        assert_string_equal(f.base_reg, "rdi");
        assert_int_equal(f.mem_addr, 0x7ffc00001230ULL);

        /* mov rax, qword ptr [rip + 0x10]: from the end of the 7-byte insn */
        f = DECODE(0, false, 0x48, 0x8b, 0x05, 0x10, 0x00, 0x00, 0x00);
        assert_int_equal(f.access, INSN_READ);
        assert_string_equal(f.base_reg, "rip");
        assert_int_equal(f.disp, 0x10);
        assert_int_equal(f.mem_addr, PC + 7 + 0x10);

        /* mov rax, qword ptr fs:[0x28] (the stack protector canary) */
        f = DECODE(0, false, 0x64, 0x48, 0x8b, 0x04, 0x25, 0x28, 0x00, 0x00, 0x00);
        assert_string_equal(f.text, "mov rax, qword ptr fs:[0x28]");
        assert_int_equal(f.access, INSN_READ);
        assert_string_equal(f.base_reg, "");
        assert_int_equal(f.mem_addr, 0x7f1234560740ULL + 0x28);

        /* movzx eax, byte ptr [rcx + rdx*4 - 8] with a negative displacement */
        f = DECODE(0, false, 0x0f, 0xb6, 0x44, 0x91, 0xf8);
        assert_int_equal(f.disp, -8);
        assert_int_equal(f.mem_addr, 0xdeadbeef00000007ULL + 0x3333 * 4 - 8);

        /* mov eax, dword ptr [eax]: 32-bit addressing truncates */
        f = DECODE(0, false, 0x67, 0x8b, 0x00);
        assert_string_equal(f.base_reg, "eax");
        assert_int_equal(f.mem_addr, 0x1000);

        /* lea and nop touch no memory */
        f = DECODE(0, false, 0x48, 0x8d, 0x04, 0x07);
        assert_true(f.decoded);
        assert_false(f.has_mem);
        assert_int_equal(f.access, INSN_NONE);
        f = DECODE(0, false, 0x0f, 0x1f, 0x40, 0x00);
        assert_false(f.has_mem);
}

static void test_stack(void **state)
{
        uint64_t rsp = 0x7ffc00001f00ULL;

        /* call rax */
        struct insn_facts f = DECODE(0, false, 0xff, 0xd0);
        assert_string_equal(f.text, "call rax");
        assert_true(f.is_call);
        assert_int_equal(f.access, INSN_WRITE);
        assert_string_equal(f.base_reg, "rsp");
        assert_int_equal(f.disp, -8);
        assert_int_equal(f.mem_addr, rsp - 8);

        /* call rel32 faulting on the stack slot: stack exhaustion shape */
        f = DECODE(rsp - 8, true, 0xe8, 0x10, 0x00, 0x00, 0x00);
        assert_true(f.is_call);
        assert_true(f.has_mem);
        assert_int_equal(f.access, INSN_WRITE);
        assert_int_equal(f.mem_addr, rsp - 8);

        /* call qword ptr [rax]: without a fault address the explicit load;
         * with fault == rsp - 8 the stack slot */
        f = DECODE(0, false, 0xff, 0x10);
        assert_true(f.is_call);
        assert_int_equal(f.access, INSN_READ);
        assert_string_equal(f.base_reg, "rax");
        f = DECODE(rsp - 8, true, 0xff, 0x10);
        assert_int_equal(f.access, INSN_WRITE);
        assert_string_equal(f.base_reg, "rsp");
        assert_int_equal(f.mem_addr, rsp - 8);
        f = DECODE(0x00007f0000001004ULL, true, 0xff, 0x10); /* inside the 8 bytes at [rax] */
        assert_string_equal(f.base_reg, "rax");

        /* push rbp */
        f = DECODE(0, false, 0x55);
        assert_string_equal(f.text, "push rbp");
        assert_true(f.is_push);
        assert_false(f.is_call);
        assert_int_equal(f.access, INSN_WRITE);
        assert_int_equal(f.mem_addr, rsp - 8);

        /* ret */
        f = DECODE(0, false, 0xc3);
        assert_string_equal(f.text, "ret");
        assert_true(f.is_ret);
        assert_int_equal(f.access, INSN_READ);
        assert_string_equal(f.base_reg, "rsp");
        assert_int_equal(f.mem_addr, rsp);

        /* pop rbp, leave */
        f = DECODE(0, false, 0x5d);
        assert_int_equal(f.access, INSN_READ);
        assert_int_equal(f.mem_addr, rsp);
        f = DECODE(0, false, 0xc9);
        assert_int_equal(f.access, INSN_READ);
        assert_string_equal(f.base_reg, "rbp");
        assert_int_equal(f.mem_addr, 0x7ffc00002000ULL);
}

static void test_div(void **state)
{
        /* idiv ecx: the low 32 bits of rcx */
        struct insn_facts f = DECODE(0, false, 0xf7, 0xf9);
        assert_string_equal(f.text, "idiv ecx");
        assert_true(f.is_div);
        assert_true(f.divisor_known);
        assert_string_equal(f.divisor_reg, "ecx");
        assert_int_equal(f.divisor, 7);
        assert_false(f.has_mem);

        /* div rcx: all 64 bits */
        f = DECODE(0, false, 0x48, 0xf7, 0xf1);
        assert_true(f.is_div);
        assert_string_equal(f.divisor_reg, "rcx");
        assert_int_equal(f.divisor, 0xdeadbeef00000007ULL);

        /* idiv r8d: zero although r8 is not */
        f = DECODE(0, false, 0x41, 0xf7, 0xf8);
        assert_string_equal(f.divisor_reg, "r8d");
        assert_true(f.divisor_known);
        assert_int_equal(f.divisor, 0);

        /* div cl, div ch */
        f = DECODE(0, false, 0xf6, 0xf1);
        assert_string_equal(f.divisor_reg, "cl");
        assert_int_equal(f.divisor, 7);
        f = DECODE(0, false, 0xf6, 0xf5);
        assert_string_equal(f.divisor_reg, "ch");
        assert_int_equal(f.divisor, 0);

        /* div qword ptr [rsi]: a memory divisor is not in the registers */
        f = DECODE(0, false, 0x48, 0xf7, 0x36);
        assert_true(f.is_div);
        assert_false(f.divisor_known);
        assert_string_equal(f.divisor_reg, "");
        assert_true(f.has_mem);
        assert_int_equal(f.access, INSN_READ);
        assert_int_equal(f.mem_addr, 0x5555000);
}

static void test_traps(void **state)
{
        struct insn_facts f = DECODE(0, false, 0x0f, 0x0b);
        assert_string_equal(f.text, "ud2");
        assert_true(f.is_ud2);
        assert_false(f.has_mem);

        f = DECODE(0, false, 0xcc);
        assert_string_equal(f.text, "int3");
        assert_true(f.is_int3);
}

/* ring-0 instructions: a general-protection fault in user mode, no memory */
static void test_privileged(void **state)
{
        static const struct {
                uint8_t code[4];
                size_t len;
                const char *text;
                bool priv;
        } cases[] = {
                { { 0xf4 }, 1, "hlt", true },
                { { 0xec }, 1, "in al, dx", true },
                { { 0xee }, 1, "out dx, al", true },
                { { 0xfa }, 1, "cli", true },
                { { 0x0f, 0x30 }, 2, "wrmsr", true },
                { { 0x0f, 0x20, 0xd8 }, 3, "mov rax, cr3", true },
                /* near misses: ordinary instructions that look alike */
                { { 0x90 }, 1, "nop", false },
                { { 0x0f, 0x31 }, 2, "rdtsc", false },
                { { 0x48, 0x89, 0xd8 }, 3, "mov rax, rbx", false },
        };
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
                struct insn_facts f = decode(cases[i].code, cases[i].len, 0, false, 0);
                assert_string_equal(f.text, cases[i].text);
                if (f.is_privileged != cases[i].priv)
                        fail_msg("%s: is_privileged %d", f.text, f.is_privileged);
        }
        /* outsd reads [rsi] but is privileged all the same */
        struct insn_facts f = DECODE(0, false, 0x6f);
        assert_true(f.is_privileged);
}

static void test_exec(void **state)
{
        uint64_t regs[CORE_NREGS];
        struct insn_facts f;
        static const uint8_t nx_data[] = { 0x8b, 0x07 };

        init_regs(regs);
        /* The fetch faulted and nothing is readable there. */
        memset(&f, 0x5a, sizeof f);
        assert_int_equal(insn_decode(NULL, 0, PC, regs, PC, true, &f), -ENODATA);
        assert_int_equal(f.access, INSN_EXEC);
        assert_false(f.decoded);
        assert_false(f.has_mem);
        assert_string_equal(f.text, "");

        /* Readable but not executable: still an exec fault. */
        assert_int_equal(insn_decode(nx_data, sizeof nx_data, PC, regs, PC, true, &f), 0);
        assert_true(f.decoded);
        assert_int_equal(f.access, INSN_EXEC);

        /* len 0 without a fetch fault */
        assert_int_equal(insn_decode(nx_data, 0, PC, regs, 0, false, &f), -ENODATA);
        assert_int_equal(f.access, INSN_NONE);
}

static void test_garbage(void **state)
{
        uint64_t regs[CORE_NREGS];
        struct insn_facts f;
        static const uint8_t bad[] = { 0xff, 0xff, 0xff, 0xff };
        static const uint8_t truncated[] = { 0xc7, 0x00, 0x01 }; /* mov [rax], imm32 cut short */

        init_regs(regs);
        assert_int_equal(insn_decode(bad, sizeof bad, PC, regs, 0, false, &f), -EBADMSG);
        assert_false(f.decoded);
        assert_int_equal(insn_decode(truncated, sizeof truncated, PC, regs, 0, false, &f), -EBADMSG);
        assert_int_equal(insn_decode(bad, sizeof bad, PC, NULL, 0, false, &f), -EINVAL);
        assert_int_equal(insn_decode(bad, sizeof bad, PC, regs, 0, false, NULL), -EINVAL);

        /* Random bytes at every offset: decoded or refused, never a crash, and
         * text always terminated. */
        uint8_t buf[64];
        uint64_t x = 0x9e3779b97f4a7c15ULL;
        for (int round = 0; round < 2000; round++) {
                for (size_t i = 0; i < sizeof buf; i++) {
                        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
                        buf[i] = (uint8_t) x;
                        regs[i % CORE_NREGS] = x;
                }
                size_t len = (size_t) (x % 17);
                int r = insn_decode(buf, len, x, regs, x >> 3, (x & 1) != 0, &f);
                assert_true(r == 0 || r == -EBADMSG || r == -ENODATA);
                assert_true(memchr(f.text, '\0', sizeof f.text) != NULL);
                assert_true(memchr(f.base_reg, '\0', sizeof f.base_reg) != NULL);
        }
}

static void test_reg_lookup(void **state)
{
        static const struct {
                const char *name;
                int creg;
                uint64_t mask;
                unsigned shift;
        } ok[] = {
                { "rax", CREG_RAX, UINT64_MAX, 0 }, { "eax", CREG_RAX, 0xffffffff, 0 },
                { "ax", CREG_RAX, 0xffff, 0 },      { "al", CREG_RAX, 0xff, 0 },
                { "ah", CREG_RAX, 0xff, 8 },        { "dh", CREG_RDX, 0xff, 8 },
                { "rsi", CREG_RSI, UINT64_MAX, 0 }, { "sil", CREG_RSI, 0xff, 0 },
                { "edi", CREG_RDI, 0xffffffff, 0 }, { "bpl", CREG_RBP, 0xff, 0 },
                { "sp", CREG_RSP, 0xffff, 0 },      { "r8", CREG_R8, UINT64_MAX, 0 },
                { "r9d", CREG_R9, 0xffffffff, 0 },  { "r12w", CREG_R12, 0xffff, 0 },
                { "r15b", CREG_R15, 0xff, 0 },      { "rip", CREG_RIP, UINT64_MAX, 0 },
        };
        static const char *const bad[] = { "xmm0", "fs", "r16", "r7", "r8x", "", "rflags", "cr0" };

        for (size_t i = 0; i < ELEMENTSOF(ok); i++) {
                int creg = -1;
                uint64_t mask = 0;
                unsigned shift = 99;
                if (!insn_reg_lookup(ok[i].name, &creg, &mask, &shift))
                        fail_msg("%s not found", ok[i].name);
                if (creg != ok[i].creg || mask != ok[i].mask || shift != ok[i].shift)
                        fail_msg("%s: creg %d mask %#llx shift %u", ok[i].name, creg,
                                 (unsigned long long) mask, shift);
        }
        for (size_t i = 0; i < ELEMENTSOF(bad); i++)
                if (insn_reg_lookup(bad[i], NULL, NULL, NULL))
                        fail_msg("%s should not map", bad[i]);
}

/* insn_pointer_load: memory is a few 8-byte cells */
struct cells {
        uint64_t addr[4], val[4];
        size_t n;
};

static ssize_t cells_read(void *ctx, uint64_t addr, void *buf, size_t len)
{
        struct cells *c = ctx;
        for (size_t i = 0; i < c->n; i++)
                if (c->addr[i] == addr && len == 8) {
                        memcpy(buf, &c->val[i], 8);
                        return 8;
                }
        return 0;
}

#define NODE 0x5555555592c0ULL
#define KEY 0xa35e80cd85280277ULL

static int pload(const uint8_t *code, size_t len, size_t pc_off, const uint64_t *regs, struct cells *mem,
                 const char *reg, struct ptr_load_facts *out)
{
        memset(out, 0, sizeof(*out));
        return insn_pointer_load(code, len, PC, PC + pc_off, regs, reg, cells_read, mem, out);
}

/* gcc -O0: mov rax,[rbp-8]; mov rax,[rax+8]; mov eax,[rax]. The load
 * overwrote rax, its address comes from the stack slot the core holds. */
static void test_pointer_load_O0(void **state)
{
        static const uint8_t code[] = {
                0x55, 0x48, 0x89, 0xe5,             /* push rbp; mov rbp, rsp */
                0x48, 0x89, 0x7d, 0xf8,             /* mov [rbp-8], rdi */
                0x48, 0x8b, 0x45, 0xf8,             /* mov rax, [rbp-8] */
                0x48, 0x8b, 0x40, 0x08,             /* mov rax, [rax+8] */
                0x8b, 0x00,                         /* mov eax, [rax]  <- pc */
        };
        uint64_t regs[CORE_NREGS];
        struct ptr_load_facts pl;
        init_regs(regs);
        regs[CREG_RAX] = KEY;
        struct cells mem = { { regs[CREG_RBP] - 8, NODE + 8 }, { NODE, KEY }, 2 };
        assert_int_equal(pload(code, sizeof code, 16, regs, &mem, "rax", &pl), 0);
        assert_true(pl.found);
        assert_int_equal(pl.src_addr, NODE + 8);
        assert_int_equal(pl.value, KEY);
        assert_int_equal(pl.load_pc, PC + 12);
        assert_string_equal(pl.reg, "rax");
        assert_non_null(strstr(pl.load_text, "[rax + 8]"));

        /* the word at the source no longer holds the register: say nothing */
        mem.val[1] = KEY + 1;
        assert_int_equal(pload(code, sizeof code, 16, regs, &mem, "rax", &pl), -ENOENT);
        assert_false(pl.found);
        /* the stack slot is not in the core: rax's old value is unknown */
        mem.val[1] = KEY;
        mem.addr[0] = 0;
        assert_int_equal(pload(code, sizeof code, 16, regs, &mem, "rax", &pl), -ENOENT);
        assert_false(pl.found);
        /* another register was the base: nothing loaded it */
        mem.addr[0] = regs[CREG_RBP] - 8;
        assert_int_equal(pload(code, sizeof code, 16, regs, &mem, "rdx", &pl), -ENOENT);
}

/* -O2: mov rax,[rdi+8]; mov eax,[rax]: rdi was not written since */
static void test_pointer_load_O2(void **state)
{
        static const uint8_t code[] = { 0x48, 0x8b, 0x47, 0x08, 0x8b, 0x00 };
        uint64_t regs[CORE_NREGS];
        struct ptr_load_facts pl;
        init_regs(regs);
        regs[CREG_RAX] = KEY;
        regs[CREG_RDI] = NODE;
        struct cells mem = { { NODE + 8 }, { KEY }, 1 };
        assert_int_equal(pload(code, sizeof code, 4, regs, &mem, "rax", &pl), 0);
        assert_int_equal(pl.src_addr, NODE + 8);
}

/* near misses: the register clobbered by its own load with no way back,
 * a store in between, a jump target between load and fault, a call */
static void test_pointer_load_near_miss(void **state)
{
        uint64_t regs[CORE_NREGS];
        struct ptr_load_facts pl;
        init_regs(regs);
        regs[CREG_RAX] = KEY;
        struct cells mem = { { regs[CREG_RBP] - 8, NODE + 8 }, { NODE, KEY }, 2 };
        {
                /* mov rax,[rax+8]; mov eax,[rax]: rax's old value is gone */
                static const uint8_t code[] = { 0x48, 0x8b, 0x40, 0x08, 0x8b, 0x00 };
                assert_int_equal(pload(code, sizeof code, 4, regs, &mem, "rax", &pl), -ENOENT);
                assert_false(pl.found);
        }
        {
                /* mov rax,[rbp-8]; mov qword [rbp-8],0; mov rax,[rax+8]; mov eax,[rax] */
                static const uint8_t code[] = { 0x48, 0x8b, 0x45, 0xf8, 0x48, 0xc7, 0x45, 0xf8, 0, 0, 0, 0,
                                                0x48, 0x8b, 0x40, 0x08, 0x8b, 0x00 };
                assert_int_equal(pload(code, sizeof code, 16, regs, &mem, "rax", &pl), -ENOENT);
        }
        {
                /* mov rax,[rbp-8]; call; mov rax,[rax+8]; mov eax,[rax]: the run starts after the call */
                static const uint8_t code[] = { 0x48, 0x8b, 0x45, 0xf8, 0xe8, 0, 0, 0, 0,
                                                0x48, 0x8b, 0x40, 0x08, 0x8b, 0x00 };
                assert_int_equal(pload(code, sizeof code, 13, regs, &mem, "rax", &pl), -ENOENT);
        }
        {
                /* je pc; mov rax,[rdi+8]; mov eax,[rax]: pc is reached without the load too */
                static const uint8_t code[] = { 0x74, 0x04, 0x48, 0x8b, 0x47, 0x08, 0x8b, 0x00 };
                regs[CREG_RDI] = NODE;
                struct cells m2 = { { NODE + 8 }, { KEY }, 1 };
                assert_int_equal(pload(code, sizeof code, 6, regs, &m2, "rax", &pl), -ENOENT);
                /* without the jump it is found */
                assert_int_equal(pload(code + 2, sizeof code - 2, 4, regs, &m2, "rax", &pl), 0);
        }
        {
                /* pc in the middle of an instruction: linear decoding never meets it */
                static const uint8_t code[] = { 0x48, 0x8b, 0x47, 0x08, 0x8b, 0x00 };
                assert_int_equal(pload(code, sizeof code, 2, regs, &mem, "rax", &pl), -ENOENT);
        }
}

/* the last instruction of a function: clang's unload() ends in a call to
 * printf (e8 rel32); near misses end in ret, or in bytes that only decode as
 * a call from a start that is not where an instruction is that long */
static void test_call_ending_at(void **state)
{
        char text[96];
        uint64_t at = 0;
        /* 48 8d 35 a5 0e 00 00  lea rsi, [rip + 0xea5]; 31 c0 xor eax, eax; e8 ca fe ff ff call */
        const uint8_t clang_end[] = { 0x48, 0x8d, 0x35, 0xa5, 0x0e, 0x00, 0x00, 0x31, 0xc0, 0xe8, 0xca, 0xfe, 0xff, 0xff };
        assert_int_equal(insn_call_ending_at(clang_end, sizeof(clang_end), 0x1166, text, sizeof(text), &at), 0);
        assert_int_equal(at, 0x1161);
        assert_string_equal(text, "call 0x1030");
        /* call rax (ff d0) */
        const uint8_t reg_call[] = { 0x48, 0x89, 0xc7, 0xff, 0xd0 };
        assert_int_equal(insn_call_ending_at(reg_call, sizeof(reg_call), 0x2005, text, sizeof(text), &at), 0);
        assert_int_equal(at, 0x2003);
        assert_string_equal(text, "call rax");
        /* near miss: add rsp, 8; ret */
        const uint8_t ret_end[] = { 0x48, 0x83, 0xc4, 0x08, 0xc3 };
        assert_int_equal(insn_call_ending_at(ret_end, sizeof(ret_end), 0x3005, text, sizeof(text), &at), -ENOENT);
        /* near miss: jmp rel32 (a tail call) is not a call that returns */
        const uint8_t tail[] = { 0x31, 0xc0, 0xe9, 0x10, 0x00, 0x00, 0x00 };
        assert_int_equal(insn_call_ending_at(tail, sizeof(tail), 0x4007, text, sizeof(text), &at), -ENOENT);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_store),
                cmocka_unit_test(test_load),
                cmocka_unit_test(test_stack),
                cmocka_unit_test(test_div),
                cmocka_unit_test(test_traps),
                cmocka_unit_test(test_privileged),
                cmocka_unit_test(test_exec),
                cmocka_unit_test(test_garbage),
                cmocka_unit_test(test_reg_lookup),
                cmocka_unit_test(test_pointer_load_O0),
                cmocka_unit_test(test_pointer_load_O2),
                cmocka_unit_test(test_pointer_load_near_miss),
                cmocka_unit_test(test_call_ending_at),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
