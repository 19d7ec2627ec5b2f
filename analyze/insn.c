/* Decoding the faulting instruction with capstone 4 (detail mode).
 *
 * Capstone 4's operand access flags are right for the common integer
 * instructions but wrong or missing for several stores (VEX/EVEX moves,
 * movnti, movlps, pextr*, x87 stores, stmxcsr) and read-modify-write atomics
 * (cmpxchg*): access_fixup() corrects those from the instruction's meaning. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cs.h"
#include "insn.h"
#include "util.h"

bool insn_reg_lookup(const char *name, int *ret_creg, uint64_t *ret_mask, unsigned *ret_shift)
{
        /* rax/rbx/rcx/rdx: rNx, eNx, Nx, Nl, Nh */
        static const struct { char letter; int creg; } abcd[] = {
                { 'a', CREG_RAX }, { 'b', CREG_RBX }, { 'c', CREG_RCX }, { 'd', CREG_RDX },
        };
        /* rsi/rdi/rbp/rsp: rNN, eNN, NN, NNl */
        static const struct { const char *two; int creg; } sidi[] = {
                { "si", CREG_RSI }, { "di", CREG_RDI }, { "bp", CREG_RBP }, { "sp", CREG_RSP },
        };
        /* r8..r15 in CREG order */
        static const int rn[] = { CREG_R8, CREG_R9, CREG_R10, CREG_R11,
                                  CREG_R12, CREG_R13, CREG_R14, CREG_R15 };
        int creg = -1;
        uint64_t mask = UINT64_MAX;
        unsigned shift = 0;

        if (!name)
                return false;
        size_t len = strlen(name);
        if (len < 2 || len > 4)
                return false;

        for (size_t i = 0; i < ELEMENTSOF(abcd) && creg < 0; i++) {
                char l = abcd[i].letter;
                if (len == 3 && name[1] == l && name[2] == 'x' && (name[0] == 'r' || name[0] == 'e')) {
                        creg = abcd[i].creg;
                        mask = name[0] == 'r' ? UINT64_MAX : 0xffffffffULL;
                } else if (len == 2 && name[0] == l && name[1] == 'x') {
                        creg = abcd[i].creg, mask = 0xffff;
                } else if (len == 2 && name[0] == l && name[1] == 'l') {
                        creg = abcd[i].creg, mask = 0xff;
                } else if (len == 2 && name[0] == l && name[1] == 'h') {
                        creg = abcd[i].creg, mask = 0xff, shift = 8;
                }
        }
        for (size_t i = 0; i < ELEMENTSOF(sidi) && creg < 0; i++) {
                const char *t = sidi[i].two;
                if (len == 3 && (name[0] == 'r' || name[0] == 'e') && strncmp(name + 1, t, 2) == 0) {
                        creg = sidi[i].creg;
                        mask = name[0] == 'r' ? UINT64_MAX : 0xffffffffULL;
                } else if (len == 2 && strcmp(name, t) == 0) {
                        creg = sidi[i].creg, mask = 0xffff;
                } else if (len == 3 && strncmp(name, t, 2) == 0 && name[2] == 'l') {
                        creg = sidi[i].creg, mask = 0xff;
                }
        }
        if (creg < 0 && name[0] == 'r' && name[1] >= '0' && name[1] <= '9') {
                char *end = NULL;
                unsigned long n = strtoul(name + 1, &end, 10);
                if (n >= 8 && n <= 15 && end && (end[0] == '\0' || end[1] == '\0')) {
                        creg = rn[n - 8];
                        switch (end[0]) {
                        case '\0': mask = UINT64_MAX; break;
                        case 'd': mask = 0xffffffffULL; break;
                        case 'w': mask = 0xffff; break;
                        case 'b': mask = 0xff; break;
                        default: creg = -1; break;
                        }
                }
        }
        if (creg < 0) {
                if (strcmp(name, "rip") == 0)
                        creg = CREG_RIP, mask = UINT64_MAX;
                else if (strcmp(name, "eip") == 0)
                        creg = CREG_RIP, mask = 0xffffffffULL;
                else if (strcmp(name, "ip") == 0)
                        creg = CREG_RIP, mask = 0xffff;
        }
        if (creg < 0)
                return false;
        if (ret_creg)
                *ret_creg = creg;
        if (ret_mask)
                *ret_mask = mask;
        if (ret_shift)
                *ret_shift = shift;
        return true;
}

/* The value of a register as the instruction sees it. rip reads as the end of
 * the instruction (rip-relative addressing). */
static bool reg_value(const char *name, const uint64_t *regs, uint64_t next_pc, uint64_t *ret)
{
        int creg;
        uint64_t mask;
        unsigned shift;

        if (!insn_reg_lookup(name, &creg, &mask, &shift))
                return false;
        uint64_t v = creg == CREG_RIP ? next_pc : regs[creg];
        *ret = (v >> shift) & mask;
        return true;
}

static bool starts_with(const char *s, const char *prefix)
{
        return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Corrects capstone 4's access flags of an explicit memory operand. */
static uint8_t access_fixup(const cs_insn *insn, int op_index, uint8_t ac)
{
        const cs_x86 *x = &insn->detail->x86;
        const char *m = insn->mnemonic;
        static const char *const stores[] = {
                "fst", "fist", "fnst", "fbstp", "fsave", "fnsave", "fxsave", "xsave",
                "stmxcsr", "vstmxcsr", "sgdt", "sidt", "sldt", "smsw", "str",
        };

        switch (insn->id) {
        case X86_INS_CMPXCHG:
        case X86_INS_CMPXCHG8B:
        case X86_INS_CMPXCHG16B:
        case X86_INS_XADD:
        case X86_INS_XCHG:
                return CS_AC_READ | CS_AC_WRITE;
        default:
                break;
        }
        if (ac & CS_AC_WRITE)
                return ac;
        /* A move (or extract) whose destination, operand 0, is memory. */
        if (op_index == 0 && x->op_count >= 2 &&
            ((strstr(m, "mov") && !starts_with(m, "cmov")) || starts_with(m, "pextr") ||
             starts_with(m, "vpextr") || starts_with(m, "extract") || starts_with(m, "vextract")))
                return CS_AC_WRITE;
        for (size_t i = 0; i < ELEMENTSOF(stores); i++)
                if (starts_with(m, stores[i]) && x->op_count == 1)
                        return CS_AC_WRITE;
        return ac ? ac : CS_AC_READ;
}

static enum insn_access access_of(uint8_t ac)
{
        if ((ac & CS_AC_READ) && (ac & CS_AC_WRITE))
                return INSN_READ_WRITE;
        if (ac & CS_AC_WRITE)
                return INSN_WRITE;
        if (ac & CS_AC_READ)
                return INSN_READ;
        return INSN_NONE;
}

/* One memory access of the instruction, explicit or implied. */
struct mem_access {
        const char *base, *index; /* NULL when absent */
        uint64_t base_value;
        int64_t disp;
        uint64_t addr;
        uint64_t size;            /* bytes accessed, at least 1 */
        enum insn_access access;
};

static bool contains(const struct mem_access *a, uint64_t addr)
{
        return addr >= a->addr && addr - a->addr < a->size;
}

static void explicit_access(csh h, const cs_insn *insn, int op_index, const uint64_t *regs,
                            uint64_t next_pc, struct mem_access *ret)
{
        const cs_x86 *x = &insn->detail->x86;
        const cs_x86_op *op = &x->operands[op_index];
        uint64_t base = 0, index = 0;

        *ret = (struct mem_access) { .disp = op->mem.disp, .size = op->size ? op->size : 1 };
        if (op->mem.base != X86_REG_INVALID) {
                ret->base = cs_reg_name(h, op->mem.base);
                (void) reg_value(ret->base, regs, next_pc, &base);
                ret->base_value = base;
        }
        if (op->mem.index != X86_REG_INVALID) {
                ret->index = cs_reg_name(h, op->mem.index);
                (void) reg_value(ret->index, regs, next_pc, &index);
        }
        uint64_t addr = base + index * (uint64_t) (int64_t) op->mem.scale + (uint64_t) op->mem.disp;
        if (x->addr_size == 4)
                addr &= 0xffffffffULL;
        else if (x->addr_size == 2)
                addr &= 0xffff;
        /* In 64-bit mode only fs and gs have a base; cs/ds/es/ss are flat. */
        if (op->mem.segment == X86_REG_FS)
                addr += regs[CREG_FS_BASE];
        else if (op->mem.segment == X86_REG_GS)
                addr += regs[CREG_GS_BASE];
        ret->addr = addr;
        ret->access = access_of(access_fixup(insn, op_index, op->access));
}

/* The stack slot a push/call writes or a pop/ret reads. */
static void stack_access(const uint64_t *regs, const char *reg, int creg, int64_t disp,
                         enum insn_access access, struct mem_access *ret)
{
        *ret = (struct mem_access) {
                .base = reg,
                .base_value = regs[creg],
                .disp = disp,
                .addr = regs[creg] + (uint64_t) disp,
                .size = 8,
                .access = access,
        };
}

static void fill_divisor(csh h, const cs_insn *insn, const uint64_t *regs, struct insn_facts *out)
{
        const cs_x86 *x = &insn->detail->x86;

        out->is_div = true;
        /* div/idiv have one explicit operand: the divisor. */
        for (int i = 0; i < x->op_count; i++) {
                const cs_x86_op *op = &x->operands[i];
                if (op->type != X86_OP_REG)
                        continue; /* memory divisor: its value is not in the registers */
                const char *name = cs_reg_name(h, op->reg);
                uint64_t v;
                if (name && reg_value(name, regs, 0, &v)) {
                        snprintf(out->divisor_reg, sizeof out->divisor_reg, "%s", name);
                        out->divisor = v;
                        out->divisor_known = true;
                }
                break;
        }
}

/* Instructions user mode may not execute (CPL 3): the CPU raises a
 * general-protection fault (SIGSEGV, SI_KERNEL) without touching memory.
 * Port I/O is allowed only with ioperm()/iopl(), which a crash with this
 * fault did not have; mov to/from control and debug registers is checked
 * separately (operands). */
static bool privileged(const cs_insn *insn)
{
        const cs_x86 *x = &insn->detail->x86;

        switch (insn->id) {
        case X86_INS_HLT: case X86_INS_CLI: case X86_INS_STI: case X86_INS_CLTS:
        case X86_INS_IN: case X86_INS_INSB: case X86_INS_INSW: case X86_INS_INSD:
        case X86_INS_OUT: case X86_INS_OUTSB: case X86_INS_OUTSW: case X86_INS_OUTSD:
        case X86_INS_LGDT: case X86_INS_LIDT: case X86_INS_LLDT: case X86_INS_LTR: case X86_INS_LMSW:
        case X86_INS_INVD: case X86_INS_WBINVD: case X86_INS_INVLPG: case X86_INS_INVPCID:
        case X86_INS_RDMSR: case X86_INS_WRMSR: case X86_INS_SWAPGS: case X86_INS_SYSEXIT:
        case X86_INS_SYSRET: case X86_INS_MONITOR: case X86_INS_MWAIT: case X86_INS_XSETBV:
                return true;
        case X86_INS_MOV:
                for (int i = 0; i < x->op_count; i++)
                        if (x->operands[i].type == X86_OP_REG &&
                            ((x->operands[i].reg >= X86_REG_CR0 && x->operands[i].reg <= X86_REG_CR15) ||
                             (x->operands[i].reg >= X86_REG_DR0 && x->operands[i].reg <= X86_REG_DR15)))
                                return true;
                return false;
        default:
                return false;
        }
}

/* Appends src to the NUL-terminated dst of size bytes, truncating. */
static void append(char *dst, size_t size, const char *src)
{
        size_t used = strnlen(dst, size);
        if (used + 1 >= size)
                return;
        size_t n = MIN(strlen(src), size - used - 1);
        memcpy(dst + used, src, n);
        dst[used + n] = '\0';
}

static void fill(csh h, const cs_insn *insn, uint64_t pc, const uint64_t *regs,
                 uint64_t fault_addr, bool has_fault_addr, struct insn_facts *out)
{
        const cs_x86 *x = &insn->detail->x86;
        uint64_t next_pc = pc + insn->size;
        struct mem_access acc[4];
        size_t n_acc = 0;
        bool accesses_memory = true;

        out->decoded = true;
        append(out->text, sizeof out->text, insn->mnemonic);
        if (insn->op_str[0]) {
                append(out->text, sizeof out->text, " ");
                append(out->text, sizeof out->text, insn->op_str);
        }

        out->is_privileged = privileged(insn);
        switch (insn->id) {
        case X86_INS_CALL:
                out->is_call = true;
                stack_access(regs, "rsp", CREG_RSP, -8, INSN_WRITE, &acc[n_acc++]);
                break;
        case X86_INS_PUSH:
        case X86_INS_PUSHF:
        case X86_INS_PUSHFD:
        case X86_INS_PUSHFQ:
                out->is_push = true;
                stack_access(regs, "rsp", CREG_RSP, -8, INSN_WRITE, &acc[n_acc++]);
                break;
        case X86_INS_RET:
        case X86_INS_RETF:
        case X86_INS_RETFQ:
                out->is_ret = true;
                stack_access(regs, "rsp", CREG_RSP, 0, INSN_READ, &acc[n_acc++]);
                break;
        case X86_INS_POP:
        case X86_INS_POPF:
        case X86_INS_POPFD:
        case X86_INS_POPFQ:
                stack_access(regs, "rsp", CREG_RSP, 0, INSN_READ, &acc[n_acc++]);
                break;
        case X86_INS_LEAVE: /* mov rsp, rbp; pop rbp */
                stack_access(regs, "rbp", CREG_RBP, 0, INSN_READ, &acc[n_acc++]);
                break;
        case X86_INS_DIV:
        case X86_INS_IDIV:
                fill_divisor(h, insn, regs, out);
                break;
        case X86_INS_UD2:
        case X86_INS_UD2B:
                out->is_ud2 = true;
                break;
        case X86_INS_INT3:
                out->is_int3 = true;
                break;
        case X86_INS_LEA:
        case X86_INS_NOP:
        case X86_INS_PREFETCH:
        case X86_INS_PREFETCHNTA:
        case X86_INS_PREFETCHT0:
        case X86_INS_PREFETCHT1:
        case X86_INS_PREFETCHT2:
        case X86_INS_PREFETCHW:
                accesses_memory = false; /* address arithmetic or hints: no access */
                break;
        default:
                break;
        }

        /* Explicit operands come first: without a fault address they win. */
        struct mem_access implicit[1];
        size_t n_implicit = n_acc;
        memcpy(implicit, acc, n_implicit * sizeof acc[0]);
        n_acc = 0;
        if (accesses_memory)
                for (int i = 0; i < x->op_count && n_acc < ELEMENTSOF(acc) - 1; i++)
                        if (x->operands[i].type == X86_OP_MEM)
                                explicit_access(h, insn, i, regs, next_pc, &acc[n_acc++]);
        for (size_t i = 0; i < n_implicit; i++)
                acc[n_acc++] = implicit[i];

        if (n_acc > 0) {
                const struct mem_access *a = &acc[0];
                if (has_fault_addr)
                        for (size_t i = 0; i < n_acc; i++)
                                if (contains(&acc[i], fault_addr)) {
                                        a = &acc[i];
                                        break;
                                }
                out->has_mem = true;
                out->access = a->access;
                if (a->base)
                        snprintf(out->base_reg, sizeof out->base_reg, "%s", a->base);
                if (a->index)
                        snprintf(out->index_reg, sizeof out->index_reg, "%s", a->index);
                out->base_value = a->base_value;
                out->disp = a->disp;
                out->mem_addr = a->addr;
        }
}

int insn_decode(const uint8_t *code, size_t len, uint64_t pc, const uint64_t regs[CORE_NREGS],
                uint64_t fault_addr, bool has_fault_addr, struct insn_facts *out)
{
        bool exec;
        csh h;
        cs_insn *insn = NULL;
        size_t n;

        if (!out)
                return -EINVAL;
        *out = (struct insn_facts) {};
        exec = has_fault_addr && pc == fault_addr;
        if (exec)
                out->access = INSN_EXEC;
        if (!code || len == 0)
                return -ENODATA;
        if (!regs)
                return -EINVAL;

        if (cs_open(CS_ARCH_X86, CS_MODE_64, &h) != CS_ERR_OK)
                return -ENOMEM;
        if (cs_option(h, CS_OPT_DETAIL, CS_OPT_ON) != CS_ERR_OK) {
                cs_close(&h);
                return -ENOMEM;
        }
        n = cs_disasm(h, code, MIN(len, (size_t) 16), pc, 1, &insn);
        if (n == 0) {
                cs_close(&h);
                return -EBADMSG;
        }
        fill(h, insn, pc, regs, fault_addr, has_fault_addr, out);
        if (exec)
                out->access = INSN_EXEC;
        cs_free(insn, n);
        cs_close(&h);
        return 0;
}

int insn_call_ending_at(const uint8_t *code, size_t len, uint64_t end, char *text, size_t text_size,
                        uint64_t *call_pc)
{
        csh h;
        int r = -ENOENT;

        if (!code || !text || !call_pc)
                return -EINVAL;
        if (cs_open(CS_ARCH_X86, CS_MODE_64, &h) != CS_ERR_OK)
                return -ENOMEM;
        for (size_t k = 2; k <= MIN(len, (size_t) 15) && r == -ENOENT; k++) {
                cs_insn *insn = NULL;
                size_t n = cs_disasm(h, code + len - k, k, end - k, 1, &insn);
                if (n == 1 && insn[0].size == k && insn[0].id == X86_INS_CALL) {
                        snprintf(text, text_size, "%s%s%s", insn[0].mnemonic, insn[0].op_str[0] ? " " : "",
                                 insn[0].op_str);
                        *call_pc = end - k;
                        r = 0;
                }
                if (n)
                        cs_free(insn, n);
        }
        cs_close(&h);
        return r;
}
