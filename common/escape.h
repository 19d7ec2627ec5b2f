/* Bytes the crashed process chose (its arguments, exe path, comm, thread
 * and function names, log lines) on their way to a shell or a terminal.
 * Only libc and strbuf. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "io.h"

/* Length of the character at s (at most n bytes) when it is safe to show on
 * a terminal as is: printable ASCII, or valid UTF-8 that is not a C1
 * control, a bidirectional override/isolate or a line/paragraph separator.
 * 0 when it must be escaped. */
size_t display_char_len(const unsigned char *s, size_t n);

/* Appends s as one shell word that bash, zsh, ksh and a POSIX.1-2024 sh
 * read back as exactly the bytes of s and never expand: plain words as
 * they are, others in single quotes, a quote as \', and every byte that
 * would not show as itself on a terminal (controls, newlines, invalid
 * UTF-8) as $'\xNN'. The output is printable ASCII or displayable UTF-8.
 * An empty s gives ''. */
void shell_quote(struct strbuf *sb, const char *s, size_t len);
/* The same for the command word (the first word, or the one after VAR=x
 * prefixes): also quotes a word with '=' (it would be an assignment) and
 * puts "./" before one starting with '-' (it would be an option). */
void shell_quote_command(struct strbuf *sb, const char *s, size_t len);
/* A malloc'd shell_quote of s; NULL for NULL or out of memory. */
char *shell_quoted(const char *s);

/* Appends s for a terminal: displayable characters as they are, \n \t \r,
 * and every other byte (ESC and other controls, DEL, invalid UTF-8, the
 * bytes of a C1 or bidi control) as \xNN. */
void text_escape(struct strbuf *sb, const char *s, size_t len);
/* Appends s as the kernel writes /dev/kmsg text: printable ASCII as it is,
 * every other byte as \xNN, and '\' as \x5c too unless keep_backslash
 * (for text that already is the kernel's, whose \xNN must stay as they
 * are). One line of plain ASCII whatever s holds. */
void ascii_escape(struct strbuf *sb, const char *s, size_t len, bool keep_backslash);
/* s ready for printf("%s"): s itself when nothing needs escaping, else an
 * escaped copy that stays valid for the next TEXT_SAFE_SLOTS calls in this
 * thread. NULL gives NULL; out of memory gives "?". */
#define TEXT_SAFE_SLOTS 16
const char *text_safe(const char *s);
/* Frees the copies text_safe holds (for leak checkers at exit). */
void text_safe_release(void);
