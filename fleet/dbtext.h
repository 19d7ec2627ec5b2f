/* Text as the crash database stores it. PostgreSQL's text must be valid
 * UTF-8, but a path, a host name or a function name is any bytes but NUL:
 * valid UTF-8 is stored as it is, except '\' as "\\"; every byte that is not
 * part of valid UTF-8 as "\xHH" (lower-case hex). The same on both backends,
 * so rows and answers compare equal; docs/fleet.md. */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* s encoded for the database; NULL for NULL or out of memory (check s).
 * Caller frees. */
char *fleet_text_encode(const char *s);
/* The bytes fleet_text_encode was given; text not made by it (a row
 * written by hand) comes back as it is, a stray '\' included. Caller
 * frees; NULL for NULL or out of memory. */
char *fleet_text_decode(const char *s);
