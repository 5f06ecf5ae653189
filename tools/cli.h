/* Shared declarations of the zaakflow command-line tool. */
#ifndef ZF_CLI_H
#define ZF_CLI_H
#include <zaakflow.h>
#include <stdio.h>

/* Exit statuses: 0 fine, 1 findings (failed validation, failed tests), 2 usage or I/O. */
#define CLI_OK 0
#define CLI_FINDINGS 1
#define CLI_USAGE 2

extern const char *cli_progname;
/* Print "zaakflow: message" on stderr and return CLI_USAGE. */
int cli_usage_error(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/* "--name value" or "--name=value" at argv[*i]: the value (advancing *i past
 * it), or NULL when argv[*i] is another option; *missing is set when the
 * value is absent. */
const char *cli_opt_value(int argc, char **argv, int *i, const char *name, int *missing);

/* Append the bytes of file `path` to `out` (it grows as the library's buffers do),
 * at most max + 1 of them: one more than a limit lets the library refuse a file beyond
 * it. 0, or -1 when the file cannot be opened or read or memory runs out. */
int cli_read_file(zf_buf *out, const char *path, size_t max);

/* Write `s` (NULL = "") as a JSON string literal. */
void cli_json_string(FILE *out, const char *s);

int cmd_deadline(int argc, char **argv);
int cmd_calendar(int argc, char **argv);
int cmd_validate(int argc, char **argv);
int cmd_dot(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_test(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_canonical(int argc, char **argv);
int cmd_migrate(int argc, char **argv);
int cmd_snapshot(int argc, char **argv);
int cmd_zgw(int argc, char **argv);
#ifdef ZF_CLI_STORE
/* The case store's commands (cmd_store.c, linked with libzaakflow-store). */
int cmd_store(int argc, char **argv);
int cmd_store_case(int argc, char **argv);
int cmd_store_due(int argc, char **argv);
int cmd_store_worker(int argc, char **argv);
int cmd_store_outbox(int argc, char **argv);
#endif
#endif
