/* strcpy of a user name into a fixed member with _FORTIFY_SOURCE=2: the
 * compiler knows the destination size, the checked copy (__strcpy_chk)
 * calls __chk_fail: "*** buffer overflow detected ***: terminated". */
#include <stdio.h>
#include <string.h>

struct account { char user[12]; int uid; };

__attribute__((noinline)) static void set_user(struct account *a, const char *name)
{
        strcpy(a->user, name);
        a->uid = 1000;
}

int main(int argc, char **argv)
{
        struct account a;
        (void)argv;
        set_user(&a, argc > 5 ? "x" : "administrator-of-everything");
        printf("%s %d\n", a.user, a.uid);
        return 0;
}
