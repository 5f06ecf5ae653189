/* zaakflow deadline / calendar: to be written. */
#include "cli.h"
int cmd_deadline(int argc, char **argv) { (void)argc; (void)argv; return cli_usage_error("not yet"); }
int cmd_calendar(int argc, char **argv) { (void)argc; (void)argv; return cli_usage_error("not yet"); }
