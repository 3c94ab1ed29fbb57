/* SPDX-License-Identifier: MIT */
/*
 * The client side of doors: the general call entry (door_call itself is
 * inline in doors.h), and thin wrappers for the other door calls.
 *
 * Entry points: door_call_general, door_info, door_revoke,
 * door_dup, door_close, shuttle_info, name_publish, name_lookup, vm_alloc,
 * vm_free.
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

/* len bytes of fresh read-write memory (demand zero), or NULL. */
void *vm_alloc(uint32_t len)
{
	int va = sprig_syscall(SYS_VM_ALLOC, len, 3, 0, 0);
	return va < 0 && va > -SPRIG_ERRNO_MAX ? NULL : (void *)(uintptr_t)(uint32_t)va;
}

int vm_free(void *addr)
{
	return sprig_syscall(SYS_VM_FREE, U32(addr), 0, 0, 0);
}
