/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for door objects (nucleus/door.c), per-domain door tables
 * (nucleus/dtable.c) and the boot-time name registry (nucleus/names.c):
 * ids and their generations, the two reference counts, when the
 * unreferenced notification is queued, revocation, and names.
 *
 * The server pools live in doorcall.c, which needs threads and the
 * scheduler; the three pool calls door.c makes are test doubles here that
 * record what they were asked. Teardown ends every domain as the nucleus
 * does (dtable_close_all, then door_server_gone) and checks that every door
 * a test made is free again.
 */
#include "tests/unit/host.h"

#include <string.h>

#include "nucleus/nucleus.h"
#include <sprig/errno.h>

#define SLOT(id) ((uint32_t)(id)&0xff)
#define GEN(id)  ((uint32_t)(id) >> 8)

static struct domain server, client, other;

/* What the pool doubles were asked. */
static struct {
	int unrefs; /* door_pool_notify_unref calls */
	struct domain *unref_server;
	struct door *unref_door;
	int fails; /* door_pool_fail_door calls */
	struct domain *fail_server;
	struct door *fail_door;
	int fail_err;
} pool_log;

/* Every door a test made, to check in teardown that it was freed. */
static struct door *made[MAX_DOORS + 1];
static int nmade;

void door_pool_init(struct door_pool *pool)
{
	pool->idle = NULL;
	list_init(&pool->callers);
	list_init(&pool->upcalls);
	pool->nthreads = 0;
}

/* kobj.c, domobj.c and irqline.c: no nucleus objects in these tests. */
struct domain kobj_nucleus;
void domobj_released(struct door *d)
{
	(void)d;
}

void irqline_released(struct door *d)
{
	(void)d;
}

void irqline_door_revoked(struct door *d)
{
	(void)d;
}

/* As doorcall.c does, less the dispatch to a server thread. */
void door_pool_notify_unref(struct domain *srv, struct door *d)
{
	pool_log.unrefs++;
	pool_log.unref_server = srv;
	pool_log.unref_door = d;
	list_push_back(&srv->pool.upcalls, &d->unref.link);
	srv->fast_off++; /* one piece of work queued, as doorcall.c counts it */
}

void door_pool_fail_door(struct domain *srv, struct door *d, int err)
{
	pool_log.fails++;
	pool_log.fail_server = srv;
	pool_log.fail_door = d;
	pool_log.fail_err = err;
}

/* names.c needs it; the host C library (glibc < 2.38) lacks it. */
size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t n = strlen(src);
	if (size) {
		size_t k = n < size - 1 ? n : size - 1;
		memcpy(dst, src, k);
		dst[k] = '\0';
	}
	return n;
}

static void domain_setup(struct domain *dom, int id)
{
	memset(dom, 0, sizeof *dom);
	dom->id = id;
	dom->live = 1;
	door_pool_init(&dom->pool);
}

static int setup(void **state)
{
	(void)state;
	host_clear_panic();
	domain_setup(&server, 1);
	domain_setup(&client, 2);
	domain_setup(&other, 3);
	memset(&pool_log, 0, sizeof pool_log);
	nmade = 0;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	struct domain *doms[] = {&server, &client, &other};
	for (int i = 0; i < 3; i++)
		dtable_close_all(doms[i]);
	for (int i = 0; i < 3; i++)
		door_server_gone(doms[i]);
	for (int i = 0; i < nmade; i++)
		if (made[i]->live)
			fail_msg("door %d of the test (serial %u) is still live, refs %u", i,
			         made[i]->serial, made[i]->refs);
	return 0;
}

/* A new door served by srv, not yet in any table. */
static struct door *new_door(struct domain *srv, uint32_t flags)
{
	struct door *d = door_alloc(srv, 0x1000, 0xd00d, flags);
	assert_non_null(d);
	made[nmade++] = d;
	return d;
}

/* A new door served by srv, with one id in srv's own table (as door_create). */
static struct door *new_served(struct domain *srv, uint32_t flags, int *id)
{
	struct door *d = new_door(srv, flags);
	int i = dtable_insert(srv, d);
	assert_true(i >= 0);
	if (id)
		*id = i;
	return d;
}

static int insert(struct domain *dom, struct door *d)
{
	int id = dtable_insert(dom, d);
	assert_true(id >= 0);
	return id;
}

/* ---- door tables ---- */

static void test_insert_gives_id_that_lookup_finds(void **state)
{
	(void)state;
	struct door *d = new_door(&server, 0);
	int id = insert(&client, d);
	assert_ptr_equal(dtable_lookup(&client, id), d);
	assert_null(dtable_lookup(&server, id)); /* ids are per domain */
	assert_int_equal(client.dtable.used, 1);
}

static void test_ids_are_handed_out_round_robin(void **state)
{
	(void)state;
	struct door *d = new_door(&server, 0);
	int a = insert(&client, d), b = insert(&client, d), c = insert(&client, d);
	assert_int_equal(SLOT(b), SLOT(a) + 1);
	assert_int_equal(SLOT(c), SLOT(b) + 1);
	assert_int_equal(dtable_close(&client, b), 0);
	assert_int_equal(SLOT(insert(&client, d)), SLOT(c) + 1); /* not b's free slot */
}

static void test_closed_id_names_nothing(void **state)
{
	(void)state;
	struct door *d = new_door(&server, 0);
	int id = insert(&client, d);
	assert_int_equal(dtable_close(&client, id), 0);
	assert_null(dtable_lookup(&client, id));
	assert_int_equal(dtable_close(&client, id), -EBADF);
	assert_int_equal(client.dtable.used, 0);
}

/* Fills all slots but one, so that every insert lands in that slot. */
static int fill_all_but_one(struct domain *dom, struct door *d)
{
	int last = -1;
	for (int i = 0; i < DOOR_TABLE_SIZE; i++)
		last = insert(dom, d);
	assert_int_equal(dtable_close(dom, last), 0);
	return last;
}

static void test_closed_id_never_names_later_door_in_its_slot(void **state)
{
	(void)state;
	static int old[2000];
	struct door *d = new_door(&server, 0), *e = new_door(&server, 0);
	old[0] = fill_all_but_one(&client, d);
	for (int i = 1; i < 2000; i++) {
		old[i] = insert(&client, e);
		assert_int_equal(SLOT(old[i]), SLOT(old[0]));
		assert_int_equal(dtable_close(&client, old[i]), 0);
	}
	int now = insert(&client, e);
	for (int i = 0; i < 2000; i++)
		if (old[i] == now || dtable_lookup(&client, old[i]))
			fail_msg("closed id %#x names a door again", old[i]);
}

/* The generation has 16 bits, so it must not come round to an old id after
 * 65536 reuses of one slot (a domain holding 255 ids reuses one slot always). */
static void test_closed_id_stays_invalid_after_65536_reuses_of_its_slot(void **state)
{
	(void)state;
	struct door *d = new_door(&server, 0), *e = new_door(&server, 0);
	int first = fill_all_but_one(&client, d);
	for (uint32_t i = 0; i < 0xffff; i++)
		assert_int_equal(dtable_close(&client, insert(&client, e)), 0);
	int id = dtable_insert(&client, e); /* a new id, or -EMFILE if the slot retired */
	if (id == first || dtable_lookup(&client, first))
		fail_msg("id %#x, closed 65536 reuses ago, names a door again", first);
}

static void test_full_table_is_emfile(void **state)
{
	(void)state;
	struct door *d = new_door(&server, 0);
	for (int i = 0; i < DOOR_TABLE_SIZE; i++)
		insert(&client, d);
	assert_int_equal(dtable_insert(&client, d), -EMFILE);
	assert_int_equal(d->refs, DOOR_TABLE_SIZE);
	assert_int_equal(d->ext_refs, DOOR_TABLE_SIZE);
}

static void test_bad_ids_name_nothing(void **state)
{
	(void)state;
	struct door *d = new_door(&server, 0);
	int id = insert(&client, d);
	const int bad[] = {
	        -1,
	        -0x7fffffff - 1,
	        (int)(DOOR_FAST_ID_MASK + 1),
	        (int)((DOOR_FAST_ID_MASK + 1) | (uint32_t)id), /* the id, with high bits */
	        (int)(0x80000000u | (uint32_t)id),
	        id + (1 << 8),                    /* the next generation of its slot */
	        (int)(SLOT(id) + 1),              /* a slot never used */
	        (int)((0xffffu << 8) | SLOT(id)), /* the last generation */
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (dtable_lookup(&client, bad[i]))
			fail_msg("id %#x should name nothing", (uint32_t)bad[i]);
		assert_int_equal(dtable_close(&client, bad[i]), -EBADF);
	}
	assert_ptr_equal(dtable_lookup(&client, id), d);
}

static void test_close_all_drops_every_reference(void **state)
{
	(void)state;
	int sid;
	struct door *d = new_served(&server, 0, &sid);
	struct door *e = new_door(&other, 0);
	int ids[] = {insert(&client, d), insert(&client, d), insert(&client, e)};
	dtable_close_all(&client);
	assert_int_equal(client.dtable.used, 0);
	for (int i = 0; i < 3; i++)
		assert_null(dtable_lookup(&client, ids[i]));
	assert_int_equal(d->refs, 1);
	assert_int_equal(d->ext_refs, 0);
	assert_false(e->live);
	assert_ptr_equal(dtable_lookup(&server, sid), d);
}

/* ---- reference counts ---- */

static void test_refs_count_every_table_entry(void **state)
{
	(void)state;
	struct door *d = new_served(&server, 0, NULL);
	insert(&server, d);
	insert(&client, d);
	insert(&client, d);
	insert(&other, d);
	assert_int_equal(d->refs, 5);
	assert_int_equal(d->ext_refs, 3);
}

static void test_ext_refs_ignore_the_servers_entries(void **state)
{
	(void)state;
	int a, b;
	struct door *d = new_served(&server, 0, &a);
	b = insert(&server, d);
	assert_int_equal(d->ext_refs, 0);
	int c = insert(&client, d);
	assert_int_equal(dtable_close(&server, a), 0);
	assert_int_equal(dtable_close(&server, b), 0);
	assert_int_equal(d->ext_refs, 1);
	assert_int_equal(dtable_close(&client, c), 0);
	assert_int_equal(d->ext_refs, 0);
}

static void test_put_of_last_hold_frees_the_door(void **state)
{
	(void)state;
	int id;
	struct door *d = new_served(&server, 0, &id);
	door_get(d);
	assert_int_equal(dtable_close(&server, id), 0);
	assert_true(d->live); /* the nucleus hold keeps it */
	door_put(d);
	assert_false(d->live);
}

static void test_alloc_fails_when_every_door_is_live(void **state)
{
	(void)state;
	for (int i = 0; i < MAX_DOORS; i++)
		new_door(&server, 0);
	assert_null(door_alloc(&server, 0, 0, 0));
	/* Teardown's door_server_gone frees them: revoking takes and drops a hold. */
}

/* ---- unreferenced notifications ---- */

static void test_unref_not_sent_before_any_outside_reference(void **state)
{
	(void)state;
	int id;
	struct door *d = new_served(&server, DOOR_UNREF, &id);
	int id2 = insert(&server, d);
	assert_int_equal(dtable_close(&server, id2), 0);
	assert_int_equal(dtable_close(&server, id), 0);
	assert_int_equal(pool_log.unrefs, 0);
	assert_false(d->live);
}

static void test_unref_sent_once_when_last_outside_ref_closes(void **state)
{
	(void)state;
	struct door *d = new_served(&server, DOOR_UNREF, NULL);
	int a = insert(&client, d), b = insert(&other, d);
	assert_int_equal(dtable_close(&client, a), 0);
	assert_int_equal(pool_log.unrefs, 0);
	assert_int_equal(dtable_close(&other, b), 0);
	assert_int_equal(pool_log.unrefs, 1);
	assert_ptr_equal(pool_log.unref_door, d);
	assert_ptr_equal(pool_log.unref_server, &server);
	assert_true(d->unref_queued);
	assert_int_equal(d->refs, 2); /* the server's id and the queue's hold */
}

static void test_unref_is_one_shot(void **state)
{
	(void)state;
	struct door *d = new_served(&server, DOOR_UNREF, NULL);
	assert_int_equal(dtable_close(&client, insert(&client, d)), 0);
	door_unref_delivered(d);
	for (int round = 0; round < 3; round++)
		assert_int_equal(dtable_close(&client, insert(&client, d)), 0);
	assert_int_equal(pool_log.unrefs, 1);
}

static void test_unref_multi_is_sent_every_round(void **state)
{
	(void)state;
	struct door *d = new_served(&server, DOOR_UNREF_MULTI, NULL);
	for (int round = 1; round <= 3; round++) {
		assert_int_equal(dtable_close(&client, insert(&client, d)), 0);
		assert_int_equal(pool_log.unrefs, round);
		door_unref_delivered(d);
	}
	assert_int_equal(d->refs, 1);
}

static void test_unref_multi_is_queued_once_until_delivered(void **state)
{
	(void)state;
	struct door *d = new_served(&server, DOOR_UNREF_MULTI, NULL);
	assert_int_equal(dtable_close(&client, insert(&client, d)), 0);
	assert_int_equal(dtable_close(&client, insert(&client, d)), 0);
	assert_int_equal(pool_log.unrefs, 1);
	assert_int_equal(d->refs, 2);
	door_unref_delivered(d);
	assert_true(list_empty(&server.pool.upcalls));
}

static void test_door_without_unref_flags_never_notifies(void **state)
{
	(void)state;
	struct door *d = new_served(&server, 0, NULL);
	for (int round = 0; round < 3; round++)
		assert_int_equal(dtable_close(&client, insert(&client, d)), 0);
	assert_int_equal(pool_log.unrefs, 0);
	assert_int_equal(d->refs, 1);
}

static void test_servers_own_ids_do_not_count(void **state)
{
	(void)state;
	int own;
	struct door *d = new_served(&server, DOOR_UNREF, &own);
	int c = insert(&client, d);
	int own2 = insert(&server, d);
	assert_int_equal(dtable_close(&server, own2), 0);
	assert_int_equal(dtable_close(&server, own), 0);
	assert_int_equal(pool_log.unrefs, 0);
	assert_int_equal(dtable_close(&client, c), 0);
	assert_int_equal(pool_log.unrefs, 1); /* the client's close is the one */
	door_unref_delivered(d);
	assert_false(d->live);
}

static void test_revoked_door_does_not_notify(void **state)
{
	(void)state;
	struct door *d = new_served(&server, DOOR_UNREF_MULTI, NULL);
	int c = insert(&client, d);
	door_revoke_object(d);
	assert_int_equal(dtable_close(&client, c), 0);
	assert_int_equal(pool_log.unrefs, 0);
	assert_false(d->unref_queued);
}

static void test_unref_delivered_drops_the_queue_hold(void **state)
{
	(void)state;
	int own;
	struct door *d = new_served(&server, DOOR_UNREF, &own);
	assert_int_equal(dtable_close(&client, insert(&client, d)), 0);
	assert_int_equal(dtable_close(&server, own), 0);
	assert_true(d->live); /* held by the queue alone */
	assert_false(list_empty(&server.pool.upcalls));
	door_unref_delivered(d);
	assert_true(list_empty(&server.pool.upcalls));
	assert_false(d->live);
}

static void test_revoke_drops_a_queued_notification(void **state)
{
	(void)state;
	struct door *d = new_served(&server, DOOR_UNREF, NULL);
	assert_int_equal(dtable_close(&client, insert(&client, d)), 0);
	assert_int_equal(d->refs, 2);
	door_revoke_object(d);
	assert_false(d->unref_queued);
	assert_true(list_empty(&server.pool.upcalls));
	assert_int_equal(d->refs, 1);
}

/* ---- revocation and the server's death ---- */

static void test_revoke_flags_unnames_and_fails_callers(void **state)
{
	(void)state;
	int id;
	struct door *d = new_served(&server, 0, &id);
	assert_int_equal(names_publish(&server, "revokee", id), 0);
	door_revoke_object(d);
	assert_true(d->flags & DOOR_REVOKED);
	assert_int_equal(names_lookup(&client, "revokee"), -ENOENT);
	assert_int_equal(d->refs, 1); /* the registry's hold is gone */
	assert_int_equal(pool_log.fails, 1);
	assert_ptr_equal(pool_log.fail_server, &server);
	assert_ptr_equal(pool_log.fail_door, d);
	assert_int_equal(pool_log.fail_err, -EBADF);
	door_revoke_object(d); /* a second revoke does nothing */
	assert_int_equal(pool_log.fails, 1);
	assert_ptr_equal(dtable_lookup(&server, id), d); /* ids stay until closed */
}

static void test_server_gone_orphans_and_revokes_its_doors(void **state)
{
	(void)state;
	struct door *d = new_served(&server, 0, NULL), *e = new_served(&server, 0, NULL);
	struct door *f = new_served(&other, 0, NULL);
	insert(&client, d);
	door_server_gone(&server);
	door_info_t info;
	for (int i = 0; i < 2; i++) {
		struct door *x = i ? e : d;
		assert_null(x->server);
		assert_true(x->flags & DOOR_REVOKED);
		door_fill_info(x, &client, &info);
		assert_int_equal(info.target, -1);
		assert_true(info.flags & DOOR_REVOKED);
	}
	assert_int_equal(pool_log.fails, 2);
	assert_ptr_equal(f->server, &other);
	assert_false(f->flags & DOOR_REVOKED);
}

static void test_fill_info_reports_the_door(void **state)
{
	(void)state;
	struct door *d = new_served(&server, DOOR_UNREF, NULL), *e = new_door(&server, 0);
	door_info_t info;
	door_fill_info(d, &server, &info);
	assert_int_equal(info.target, server.id);
	assert_int_equal(info.entry, 0x1000);
	assert_int_equal(info.datum, 0xd00d);
	assert_int_equal(info.flags, DOOR_UNREF | DOOR_LOCAL | DOOR_IS_UNREF);
	assert_int_equal(info.refs, 1);
	assert_int_equal(info.id, d->serial);
	assert_int_not_equal(d->serial, e->serial);
	insert(&client, d);
	door_fill_info(d, &client, &info);
	assert_int_equal(info.flags, DOOR_UNREF);
	assert_int_equal(info.refs, 2);
}

/* ---- names ---- */

static void test_lookup_gives_a_new_id_in_the_looking_domain(void **state)
{
	(void)state;
	int id;
	struct door *d = new_served(&server, 0, &id);
	assert_int_equal(names_publish(&server, "fs", id), 0);
	int cid = names_lookup(&client, "fs");
	assert_true(cid >= 0);
	assert_ptr_equal(dtable_lookup(&client, cid), d);
	int sid = names_lookup(&server, "fs");
	assert_true(sid >= 0 && sid != id);
	assert_int_equal(d->refs, 4); /* two server ids, the client's, the registry */
	assert_int_equal(d->ext_refs, 1);
}

static void test_lookup_of_unknown_name_is_enoent(void **state)
{
	(void)state;
	assert_int_equal(names_lookup(&client, "no such name"), -ENOENT);
	assert_int_equal(names_lookup(&client, ""), -ENOENT);
	assert_int_equal(client.dtable.used, 0);
}

static void test_publish_checks_name_and_id(void **state)
{
	(void)state;
	int id;
	new_served(&server, 0, &id);
	char longest[32], too_long[33];
	memset(longest, 'n', sizeof longest - 1);
	longest[sizeof longest - 1] = '\0';
	memset(too_long, 'n', sizeof too_long - 1);
	too_long[sizeof too_long - 1] = '\0';
	assert_int_equal(names_publish(&server, "", id), -EINVAL);
	assert_int_equal(names_publish(&server, too_long, id), -EINVAL);
	assert_int_equal(names_publish(&server, "ok", id + (1 << 8)), -EBADF);
	assert_int_equal(names_publish(&client, "ok", id), -EBADF); /* not client's id */
	assert_int_equal(names_publish(&server, longest, id), 0);
	assert_true(names_lookup(&client, longest) >= 0);
	assert_int_equal(names_lookup(&client, too_long), -ENOENT);
}

static void test_republish_replaces_the_door(void **state)
{
	(void)state;
	int a, b;
	struct door *d = new_served(&server, 0, &a), *e = new_served(&server, 0, &b);
	assert_int_equal(names_publish(&server, "svc", a), 0);
	assert_int_equal(names_publish(&server, "svc", b), 0);
	assert_int_equal(d->refs, 1); /* the registry let go of the first */
	assert_int_equal(e->refs, 2);
	assert_ptr_equal(dtable_lookup(&client, names_lookup(&client, "svc")), e);
}

static void test_another_domain_cannot_republish(void **state)
{
	(void)state;
	int a, b;
	struct door *d = new_served(&server, 0, &a);
	new_served(&client, 0, &b);
	assert_int_equal(names_publish(&server, "mine", a), 0);
	assert_int_equal(names_publish(&client, "mine", b), -EPERM);
	assert_ptr_equal(dtable_lookup(&client, names_lookup(&client, "mine")), d);
	server.live = 0; /* the owner has ended: the name is free again */
	assert_int_equal(names_publish(&client, "mine", b), 0);
}

static void test_revoke_drops_the_name(void **state)
{
	(void)state;
	int a, b;
	new_served(&server, 0, &a);
	struct door *e = new_served(&server, 0, &b);
	assert_int_equal(names_publish(&server, "one", a), 0);
	assert_int_equal(names_publish(&server, "two", b), 0);
	door_revoke_object(e);
	assert_int_equal(names_lookup(&client, "two"), -ENOENT);
	assert_true(names_lookup(&client, "one") >= 0); /* others stay */
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	        T(test_insert_gives_id_that_lookup_finds),
	        T(test_ids_are_handed_out_round_robin),
	        T(test_closed_id_names_nothing),
	        T(test_closed_id_never_names_later_door_in_its_slot),
	        T(test_closed_id_stays_invalid_after_65536_reuses_of_its_slot),
	        T(test_full_table_is_emfile),
	        T(test_bad_ids_name_nothing),
	        T(test_close_all_drops_every_reference),
	        T(test_refs_count_every_table_entry),
	        T(test_ext_refs_ignore_the_servers_entries),
	        T(test_put_of_last_hold_frees_the_door),
	        T(test_alloc_fails_when_every_door_is_live),
	        T(test_unref_not_sent_before_any_outside_reference),
	        T(test_unref_sent_once_when_last_outside_ref_closes),
	        T(test_unref_is_one_shot),
	        T(test_unref_multi_is_sent_every_round),
	        T(test_unref_multi_is_queued_once_until_delivered),
	        T(test_door_without_unref_flags_never_notifies),
	        T(test_servers_own_ids_do_not_count),
	        T(test_revoked_door_does_not_notify),
	        T(test_unref_delivered_drops_the_queue_hold),
	        T(test_revoke_drops_a_queued_notification),
	        T(test_revoke_flags_unnames_and_fails_callers),
	        T(test_server_gone_orphans_and_revokes_its_doors),
	        T(test_fill_info_reports_the_door),
	        T(test_lookup_gives_a_new_id_in_the_looking_domain),
	        T(test_lookup_of_unknown_name_is_enoent),
	        T(test_publish_checks_name_and_id),
	        T(test_republish_replaces_the_door),
	        T(test_another_domain_cannot_republish),
	        T(test_revoke_drops_the_name),
	};
	return cmocka_run_group_tests_name("dtable", tests, NULL, NULL);
}
