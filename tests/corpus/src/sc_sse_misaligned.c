/* Aligned SSE loads on a pointer that is only 4-byte aligned: movaps on a
 * misaligned address is a general-protection fault (SIGSEGV, SI_KERNEL,
 * si_addr 0), not a NULL access. */
#include <immintrin.h>
#include <stdio.h>
#include <stdlib.h>

__attribute__((noinline)) static float sum4(const float *p)
{
        __m128 v = _mm_load_ps(p);
        v = _mm_add_ps(v, _mm_movehl_ps(v, v));
        v = _mm_add_ss(v, _mm_shuffle_ps(v, v, 1));
        return _mm_cvtss_f32(v);
}

int main(void)
{
        float *a = aligned_alloc(16, 64);
        for (int i = 0; i < 16; i++)
                a[i] = (float)i;
        printf("%f\n", sum4(a + 1));
        free(a);
        return 0;
}
