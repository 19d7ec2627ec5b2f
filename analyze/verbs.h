/* The verbs of coreinspect beside the report, each in its own file:
 * `gdb` (gdb.c), `dump` (dump.c). Each takes main's argc/argv with argv[1]
 * the verb and returns the exit code. */
#pragma once

int gdb_main(int argc, char **argv);
int dump_main(int argc, char **argv);
