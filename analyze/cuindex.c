#include "cuindex.h"

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "util.h"

/* A hostile or huge debug file cannot make the table grow without bound:
 * past this many ranges the rest of the module's CUs are not indexed. */
#define CU_INDEX_MAX_RANGES (1u << 20)

struct cu_range {
        Dwarf_Addr lo, hi; /* DWARF addresses (without the load bias) */
        Dwarf_Off die;     /* the CU DIE's offset in .debug_info */
};

struct cu_table {
        Dwfl_Module *dm;
        Dwarf *dw;
        Dwarf_Addr bias;
        struct cu_range *v;
        size_t n;
};

struct cu_index {
        struct cu_table *t;
        size_t n, cap;
};

struct cu_index *cu_index_new(void)
{
        return calloc(1, sizeof(struct cu_index));
}

void cu_index_free(struct cu_index *ix)
{
        if (!ix)
                return;
        for (size_t i = 0; i < ix->n; i++)
                free(ix->t[i].v);
        free(ix->t);
        free(ix);
}

static int range_cmp(const void *a, const void *b)
{
        const struct cu_range *x = a, *y = b;
        return x->lo < y->lo ? -1 : x->lo > y->lo;
}

static bool push_range(struct cu_table *t, size_t *cap, Dwarf_Addr lo, Dwarf_Addr hi, Dwarf_Off die)
{
        if (t->n == *cap) {
                size_t nc = *cap ? 2 * *cap : 64;
                struct cu_range *nv = realloc(t->v, nc * sizeof(*nv));
                if (!nv)
                        return false;
                t->v = nv;
                *cap = nc;
        }
        t->v[t->n++] = (struct cu_range){ lo, hi, die };
        return true;
}

static int off_cmp(const void *a, const void *b)
{
        const Dwarf_Off *x = a, *y = b;
        return *x < *y ? -1 : *x > *y;
}

/* The sorted CU DIE offsets that .debug_aranges covers (*n 0: none). */
static Dwarf_Off *aranges_cus(Dwarf *dw, size_t *n)
{
        *n = 0;
        Dwarf_Aranges *ar;
        size_t nar;
        if (dwarf_getaranges(dw, &ar, &nar) != 0 || nar == 0)
                return NULL;
        Dwarf_Off *v = malloc(nar * sizeof(*v));
        if (!v)
                return NULL;
        for (size_t i = 0; i < nar; i++) {
                Dwarf_Addr a;
                Dwarf_Word len;
                Dwarf_Off off;
                if (dwarf_getarangeinfo(dwarf_onearange(ar, i), &a, &len, &off) == 0)
                        v[(*n)++] = off;
        }
        qsort(v, *n, sizeof(*v), off_cmp);
        return v;
}

/* The address ranges (DW_AT_low_pc/high_pc or DW_AT_ranges, which
 * dwarf_ranges reads both ways) of every CU that .debug_aranges leaves
 * out, sorted by start: for a module whose aranges are complete (gcc's)
 * the table stays empty and costs one pass over the CU headers. */
static void build(struct cu_table *t)
{
        t->dw = dwfl_module_getdwarf(t->dm, &t->bias);
        if (!t->dw)
                return;
        size_t ncovered, cap = 0;
        Dwarf_Off *covered = aranges_cus(t->dw, &ncovered);
        Dwarf_CU *cu = NULL;
        Dwarf_Die cudie;
        Dwarf_Half version;
        uint8_t unit_type;
        while (t->n < CU_INDEX_MAX_RANGES && dwarf_get_units(t->dw, cu, &cu, &version, &unit_type, &cudie, NULL) == 0) {
                if (unit_type != DW_UT_compile && unit_type != DW_UT_partial)
                        continue;
                Dwarf_Off die = dwarf_dieoffset(&cudie);
                if (ncovered && bsearch(&die, covered, ncovered, sizeof(*covered), off_cmp))
                        continue;
                Dwarf_Addr base, lo, hi;
                ptrdiff_t off = 0;
                while (t->n < CU_INDEX_MAX_RANGES && (off = dwarf_ranges(&cudie, off, &base, &lo, &hi)) > 0)
                        if (hi > lo && !push_range(t, &cap, lo, hi, die))
                                goto out;
        }
out:
        free(covered);
        if (t->n > 1)
                qsort(t->v, t->n, sizeof(*t->v), range_cmp);
}

static struct cu_table *table_of(struct cu_index *ix, Dwfl_Module *dm)
{
        for (size_t i = 0; i < ix->n; i++)
                if (ix->t[i].dm == dm)
                        return &ix->t[i];
        if (ix->n == ix->cap) {
                size_t nc = ix->cap ? 2 * ix->cap : 8;
                struct cu_table *nt = realloc(ix->t, nc * sizeof(*nt));
                if (!nt)
                        return NULL;
                ix->t = nt;
                ix->cap = nc;
        }
        struct cu_table *t = &ix->t[ix->n++];
        *t = (struct cu_table){ .dm = dm };
        build(t);
        return t;
}

Dwarf_Die *cu_index_find(struct cu_index *ix, Dwfl_Module *dm, Dwarf_Addr addr, Dwarf_Die *out, Dwarf_Addr *bias)
{
        struct cu_table *t = ix && dm ? table_of(ix, dm) : NULL;
        if (!t || t->n == 0 || addr < t->bias)
                return NULL;
        Dwarf_Addr a = addr - t->bias;
        /* the last range starting at or below a, then back over ranges that
         * start earlier and may still cover a (CUs rarely overlap) */
        size_t lo = SORTED_COUNT(t->v, t->n, lo, a, true);
        for (size_t i = lo, steps = 0; i > 0 && steps < 64; i--, steps++) {
                const struct cu_range *r = &t->v[i - 1];
                if (a < r->hi) {
                        if (!dwarf_offdie(t->dw, r->die, out))
                                return NULL;
                        *bias = t->bias;
                        return out;
                }
        }
        return NULL;
}
