/* SPDX-License-Identifier: MIT */
/*
 * The client side of doors: the general call entry (door_call itself is
 * inline in doors.h), and thin wrappers for the other door calls.
 *
 * Entry points: door_call_general, door_info, door_revoke,
 * door_dup, door_close, shuttle_info, name_publish, name_lookup.
 */
#include "lib/doors/doors.h"

#define U32(x) ((uint32_t)(uintptr_t)(x))

int door_call_general(int id, door_arg_t *arg)
{
	return sprig_syscall(SYS_DOOR_CALL, (uint32_t)id, U32(arg), 0, 0);
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
