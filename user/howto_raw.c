/* SPDX-License-Identifier: MIT */
/*
 * howto_raw ROLE: the smallest door server and client, with the raw calls
 * only (docs/howto.md walks through it). The server doubles a number.
 *
 *   server  creates a door, publishes it as "howto.double", serves it with
 *           one thread, and stays alive until a client says "quit"
 *   client  looks the door up, calls it, prints the answer, says "quit"
 */
#include "lib/doors/doors.h"

static volatile int quit;

/* Runs on a pool thread for every call: the arguments in req, the answer
 * written to rep (rep->buf is this thread's own scratch space). */
static void double_proc(void *cookie, const struct door_request *req, struct door_reply *rep)
{
	(void)cookie;
	int32_t n;
	if (req->size != sizeof n) { /* "quit", or anything else */
		quit = 1;
		rep->size = 0;
		return;
	}
	memcpy(&n, req->data, sizeof n);
	n *= 2;
	memcpy(rep->buf, &n, sizeof n);
	rep->data = rep->buf;
	rep->size = sizeof n;
}

static int server(void)
{
	int id = door_create(double_proc, NULL, 0);
	/* Threads first, then the name: a client that finds the name before
	 * the pool has a thread gets -EAGAIN. */
	if (id < 0 || door_pool_start(1) < 0 || name_publish("howto.double", id) < 0) {
		printf("howto server: cannot serve: %s\n", strerror(id < 0 ? id : -EINVAL));
		return 1;
	}
	printf("howto server: serving howto.double\n");
	while (!quit) /* the domain ends when main returns: stay until told */
		sleep_ms(10);
	printf("howto server: quitting\n");
	return 0;
}

static int client(void)
{
	int id = name_lookup("howto.double", 5000); /* waits for the server */
	if (id < 0) {
		printf("howto client: lookup: %s\n", strerror(id));
		return 1;
	}
	int32_t n = 21, answer = 0;
	door_arg_t a = {&n, sizeof n, NULL, 0, &answer, sizeof answer, NULL, 0};
	int err = door_call(id, &a);
	printf("howto client: double(21) = %d (%s)\n", answer, strerror(err));
	door_arg_t q = {"quit", 4 + 1, NULL, 0, NULL, 0, NULL, 0};
	door_call(id, &q);
	return err < 0 || answer != 42;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "server"))
		return server();
	return client();
}
