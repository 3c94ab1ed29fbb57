/* SPDX-License-Identifier: MIT */
/*
 * demo ROLE: what `make run` shows. `demo server` serves a counter (the
 * example interface in user/counter.h) through a door published as
 * "demo.counter"; `demo client` finds it, calls it through the generated
 * stubs, calls the same code linked in locally, times both, and tells the
 * server to stop.
 */
#include "user/counter.h"

static struct counter counter;
static struct door_served served = {&counter_impl, &counter, NULL};
static volatile int stop;

static void stop_proc(void *cookie, const struct door_request *req, struct door_reply *rep)
{
	(void)cookie, (void)req;
	stop = 1;
	rep->size = 0;
}

static int run_server(void)
{
	door_pool_start(1);
	name_publish("demo.counter", door_create(counter_dispatch, &served, 0));
	name_publish("demo.stop", door_create(stop_proc, NULL, 0));
	printf("demo server: serving a counter as demo.counter\n");
	while (!stop)
		sleep_ms(20);
	printf("demo server: asked to stop; the counter ends at %d\n", counter.value);
	return 0;
}

/* TSC ticks per call of the stub bound as b, over n calls. */
static uint32_t time_calls(const struct door_binding *b, int n)
{
	struct counter_none none = {0};
	uint64_t t0 = rdtsc();
	for (int i = 0; i < n; i++)
		counter_null(b, &none, &none);
	return (uint32_t)((rdtsc() - t0) / (uint64_t)n);
}

static int run_client(void)
{
	struct door_binding remote, local;
	struct counter mine = {0};
	struct counter_value v;
	int id = name_lookup("demo.counter", 5000);
	if (id < 0) {
		printf("demo client: no counter: %s\n", strerror(id));
		return 1;
	}
	door_bind_remote(&remote, id);
	door_bind_local(&local, &counter_impl, &mine);
	door_info_t info;
	door_info(id, &info);
	printf("demo client: door %d leads to domain %d (door #%u)\n", id, info.target, info.id);
	for (int i = 1; i <= 3; i++) {
		counter_add(&remote, &(struct counter_add_in){i * 10}, &v);
		printf("demo client: counter_add(%d) across the door -> %d\n", i * 10, v.value);
	}
	counter_add(&local, &(struct counter_add_in){10}, &v);
	printf("demo client: the same stub bound locally -> %d (our own counter)\n", v.value);
	uint32_t across = time_calls(&remote, 2000), linked = time_calls(&local, 2000);
	printf("demo client: per call, %u TSC ticks across domains, %u linked in\n", across,
	       linked);
	printf("demo client: (without -icount the TSC follows the host clock; `make bench`\n"
	       "demo client:  counts instructions instead, see docs/measuring.md)\n");
	door_arg_t a = {NULL, 0, NULL, 0, NULL, 0, NULL, 0};
	door_call(name_lookup("demo.stop", 0), &a);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "server"))
		return run_server();
	return run_client();
}
