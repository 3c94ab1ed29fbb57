/* SPDX-License-Identifier: MIT */
/*
 * howto_iface ROLE: the same service as howto_raw, declared once with
 * DOOR_INTERFACE (docs/howto.md). One list of operations gives the client
 * stubs, the server's dispatcher and a binding to the server linked in.
 *
 *   server  serves "howto.math" until a client calls quit
 *   client  calls double and add through the door, then through the same
 *           stubs bound to the server code linked into itself
 */
#include "lib/doors/doors.h"

struct math_one {
	int32_t n;
};
struct math_two {
	int32_t a, b;
};

/* op name, its number, what goes in, what comes out */
#define MATH_OPS(OP)                                                                               \
	OP(math, twice, 1, struct math_one, struct math_one)                                       \
	OP(math, add, 2, struct math_two, struct math_one)                                         \
	OP(math, quit, 3, struct math_one, struct math_one)

DOOR_INTERFACE(math, MATH_OPS)

static volatile int quit;

static int twice_impl(void *obj, const struct math_one *in, struct math_one *out)
{
	(void)obj;
	out->n = 2 * in->n;
	return 0;
}

static int add_impl(void *obj, const struct math_two *in, struct math_one *out)
{
	(void)obj;
	out->n = in->a + in->b;
	return 0;
}

static int quit_impl(void *obj, const struct math_one *in, struct math_one *out)
{
	(void)obj, (void)in, (void)out;
	quit = 1;
	return 0;
}

static const struct math_ops math_impl = {twice_impl, add_impl, quit_impl};
static struct door_served served = {&math_impl, NULL, NULL};

static int server(void)
{
	int id = door_create(math_dispatch, &served, 0);
	if (id < 0 || door_pool_start(1) < 0 || name_publish("howto.math", id) < 0)
		return 1;
	while (!quit)
		sleep_ms(10);
	return 0;
}

/* The same calls through any binding: the stubs cannot tell. */
static void use(const char *how, const struct door_binding *b)
{
	struct math_one out = {0};
	int e1 = math_twice(b, &(struct math_one){21}, &out);
	int twice = out.n;
	int e2 = math_add(b, &(struct math_two){40, 2}, &out);
	printf("howto %s: twice(21) = %d, add(40, 2) = %d (%d %d)\n", how, twice, out.n, e1, e2);
}

static int client(void)
{
	struct door_binding remote, local;
	int id = name_lookup("howto.math", 5000);
	if (id < 0)
		return 1;
	door_bind_remote(&remote, id);
	door_bind_local(&local, &math_impl, NULL);
	use("across the door", &remote);
	use("linked in", &local);
	struct math_one none = {0};
	math_quit(&remote, &none, &none);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "server"))
		return server();
	return client();
}
