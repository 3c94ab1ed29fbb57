/* SPDX-License-Identifier: MIT */
/*
 * The client side of doors: the general call entry (door_call itself is
 * inline in doors.h), and thin wrappers for the other door calls.
 *
 * Entry points: door_call_general, door_call_pieces, door_call_pull, door_pull, door_words_load,
 * door_words_store, door_info, door_revoke, door_dup, door_close, shuttle_info, name_publish,
 * name_lookup.
 */
#include "lib/doors/doors.h"

#define U32(x) ((uint32_t)(uintptr_t)(x))

int door_call_general(int id, door_arg_t *arg)
{
	return sprig_syscall(SYS_DOOR_CALL, (uint32_t)id, U32(arg), 0, 0);
}

/* n bytes at off of the tail the current call's caller left to pull
 * (DOOR_CALL_PULL), to dst: n, or -errno. */
int door_pull(uint32_t off, void *dst, uint32_t n)
{
	return sprig_syscall(SYS_DOOR_PULL, off, U32(dst), n, 0);
}

/* A call of two pieces each way (sprig/door.h): always the general entry. */
int door_call_pieces(int id, door_pieces_t *p)
{
	return sprig_syscall(SYS_DOOR_CALL, (uint32_t)id, U32(p), DOOR_CALL_PIECES, 0);
}

/* The same, the tail left with the caller for the server to pull
 * (DOOR_CALL_PULL). */
int door_call_pull(int id, door_pieces_t *p)
{
	return sprig_syscall(SYS_DOOR_CALL, (uint32_t)id, U32(p), DOOR_CALL_PIECES | DOOR_CALL_PULL,
	                     0);
}

/* The fast call's words for sizes other than 0 and 16 (door_call). */
struct door_words door_words_load(const void *p, uint32_t n)
{
	struct door_words v = {{0, 0, 0, 0}};
	door_copy_small(v.w, p, n);
	return v;
}

void door_words_store(void *p, const struct door_words *v, uint32_t n)
{
	door_copy_small(p, v->w, n);
}

int door_info(int id, door_info_t *info)
{
	return sprig_syscall(SYS_DOOR_INFO, (uint32_t)id, U32(info), 0, 0);
}

int door_revoke(int id)
{
	return sprig_syscall(SYS_DOOR_REVOKE, (uint32_t)id, 0, 0, 0);
}

int door_dup(int id)
{
	return sprig_syscall(SYS_DOOR_DUP, (uint32_t)id, 0, 0, 0);
}

int door_close(int id)
{
	return sprig_syscall(SYS_DOOR_CLOSE, (uint32_t)id, 0, 0, 0);
}

int shuttle_info(shuttle_info_t *info)
{
	return sprig_syscall(SYS_SHUTTLE_INFO, U32(info), 0, 0, 0);
}

int name_publish(const char *name, int id)
{
	return sprig_syscall(SYS_NAME_PUBLISH, U32(name), (uint32_t)id, 0, 0);
}

int name_lookup(const char *name, unsigned wait_ms)
{
	return sprig_syscall(SYS_NAME_LOOKUP, U32(name), wait_ms, 0, 0);
}
