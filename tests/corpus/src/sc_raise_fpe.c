/* A program that reports a "math error" by raising SIGFPE itself: no
 * division happened, the signal came from raise() (SI_TKILL from itself). */
#include <signal.h>
#include <stdio.h>

__attribute__((noinline)) static double checked_sqrt(double x)
{
        if (x < 0) {
                fprintf(stderr, "domain error\n");
                raise(SIGFPE);
        }
        return x;
}

int main(int argc, char **argv)
{
        (void)argv;
        printf("%f\n", checked_sqrt(argc > 5 ? 1.0 : -4.0));
        return 0;
}
