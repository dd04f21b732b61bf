/*
 * agent: what the processes on the wire (zwnet probe, zwnet enforce) share: the probe token
 * they authenticate with, and one HTTP exchange with the server.
 */
#ifndef ZW_AGENT_AGENT_H
#define ZW_AGENT_AGENT_H

#include <curl/curl.h>
#include <stddef.h>

#include "core/buf.h"

struct agent {
	const char *server, *cmd; /* cmd: the command's name, for messages */
	char token[256];
	CURL *curl;
};

/* The token from token_file, else from $ZWNET_TOKEN; 0, or 2 with a message printed. */
int agent_token(struct agent *a, const char *token_file);
/* One request; the HTTP status, or 0 when the server could not be reached (logged). The
 * answer's first bytes go to answer (if given), up to its maximum; a longer answer leaves it
 * failed (buf_failed), which a caller that reads the whole answer must check. */
long agent_call(struct agent *a, const char *method, const char *path, const char *body, size_t len,
                struct buf *answer);

/* --netns NAME: where the wire is (capture, nftables) while HTTP stays in our own namespace.
 * agent_netns_open fills both descriptors (-1 each when name is NULL); 0, or -1 with a
 * message printed. Entering and leaving with -1 descriptors do nothing. */
int agent_netns_open(const char *cmd, const char *name, int *ns_fd, int *home_fd);
int agent_netns_enter(int ns_fd);
void agent_netns_leave(int home_fd);
void agent_netns_close(int ns_fd, int home_fd);

#endif
