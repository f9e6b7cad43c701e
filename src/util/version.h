/* version.h — merit's version, as `merit --version`, GET /healthz and the
 * web server's Server header give it. */
#ifndef MR_VERSION_H
#define MR_VERSION_H

#define MR_VERSION "0.1.0"

#endif
