/* cmd_demo.c — placeholder replaced below */
#include "cli/cli.h"
int mr_cmd_demo(mr_cli *cli, int argc, char **argv) { (void)cli; (void)argc; (void)argv; return 1; }
