/* double-free: the same pointer freed twice; glibc's tcache check aborts:
 * "free(): double free detected in tcache 2". (-O0) */
#include <stdlib.h>
#include <string.h>

struct session {
        char *token;
};

__attribute__((noinline)) static void close_session(struct session *s)
{
        free(s->token); /* token is not set to NULL */
}

int main(void)
{
        struct session s = { .token = strdup("secret-token") };
        close_session(&s);
        close_session(&s); /* closed twice on an error path */
        return 0;
}
