/* gate.c — a request's first look, at libmicrohttpd's first callback:
 * its headers are in, not a byte of its body.  What a request may send
 * is decided here, so nobody makes the server hold a body it would
 * refuse, and no two readings of one request's length are possible.
 *
 * - The length is told once: one Content-Length, or one
 *   Transfer-Encoding that is exactly "chunked" — never both.  Anything
 *   else is how a request is smuggled past a proxy (a proxy and the
 *   server each reading a different body, so the bytes behind become a
 *   second request), or, for an unknown coding, a connection that would
 *   wait for the body's end forever.
 * - Only a POST or PUT under /api/ carries a body: a GET, a HEAD, a
 *   DELETE or a page of the app that announces one is refused before
 *   it is read.
 * - A public route (the login) takes MR_WEB_PUBLIC_BODY bytes; an
 *   upload route up to --max-upload; any other request up to max_body,
 *   and only after its session, CSRF token and role passed (server.c's
 *   admit_first).
 *
 * A refusal is answered with Connection: close, and whatever follows on
 * the connection is never read as a request.
 */
#include "web/web_int.h"

#include <microhttpd.h>
#include <string.h>

#include "util/ascii.h"

struct lengths {
	int cl, te;               /* how many of each header */
	const char *cl_value, *te_value;
};

static enum MHD_Result count(void *payload, enum MHD_ValueKind kind, const char *key,
                             const char *value)
{
	(void)kind;
	struct lengths *n = payload;
	if (!mr_ascii_casecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH)) {
		n->cl++;
		n->cl_value = value ? value : "";
	} else if (!mr_ascii_casecmp(key, MHD_HTTP_HEADER_TRANSFER_ENCODING)) {
		n->te++;
		n->te_value = value ? value : "";
	}
	return MHD_YES;
}

int mr_web_upload_route(const char *url)
{
	return strcmp(url, "/api/import") == 0 || strcmp(url, "/api/import/preview") == 0 ||
	       strcmp(url, "/api/ingest") == 0;
}

int mr_web_checked_route(const char *url)
{
	return strcmp(url, "/api/login") == 0 || strncmp(url, "/api/s/", 7) == 0;
}

static int refuse(mr_gate *out, int status, const char *msg)
{
	out->status = status;
	out->msg = msg;
	return -1;
}

int mr_web_gate(mr_gate *out, const mr_web *w, struct MHD_Connection *con,
                const char *method, const char *url)
{
	struct lengths n = { 0, 0, NULL, NULL };
	memset(out, 0, sizeof *out);
	MHD_get_connection_values(con, MHD_HEADER_KIND, count, &n);
	if (n.cl > 1)
		return refuse(out, 400, "the request has more than one Content-Length header");
	if (n.te > 1)
		return refuse(out, 400, "the request has more than one Transfer-Encoding header");
	if (n.cl && n.te)
		return refuse(out, 400, "the request has both Content-Length and "
		              "Transfer-Encoding; send one of them");
	if (n.te && mr_ascii_casecmp(n.te_value, "chunked"))
		return refuse(out, 400, "Transfer-Encoding must be chunked (no other coding "
		              "is taken)");
	/* libmicrohttpd has checked a lone Content-Length is digits */
	unsigned long long length = n.cl ? strtoull(n.cl_value, NULL, 10) : 0;
	int body = n.te || length > 0;
	int api = strncmp(url, "/api/", 5) == 0;
	if (body && !(api && (!strcmp(method, "POST") || !strcmp(method, "PUT"))))
		return refuse(out, 400, "this request cannot carry a body");
	out->public_route = mr_web_route_public(method, url);
	out->limit = mr_web_upload_route(url) ? w->cfg.max_upload
	           : out->public_route ? MR_WEB_PUBLIC_BODY : w->cfg.max_body;
	if (length > out->limit)
		return refuse(out, 413, "the body is larger than the server takes");
	return 0;
}
