/* SPDX-License-Identifier: MIT */
/*
 * The client side of doors: door_call, which uses the register entry when
 * everything fits in 16 bytes and the general entry otherwise (the results
 * are the same either way), and thin wrappers for the other door calls.
 *
 * Entry points: door_call, door_call_general, door_info, door_revoke,
 * door_dup, door_close, shuttle_info, name_publish, name_lookup, vm_alloc,
 * vm_free.
 */
#include "lib/doors/doors.h"

#define U32(x) ((uint32_t)(uintptr_t)(x))

int door_call_general(int id, door_arg_t *arg)
{
	return sprig_syscall(SYS_DOOR_CALL, (uint32_t)id, U32(arg), 0, 0);
}

/* Arguments and results of 16 bytes or less, and no doors either way: the
 * fast entry. The caller's buffers decide, never the server's answer, so the
 * choice cannot change what the call returns. */
int door_call(int id, door_arg_t *arg)
{
	if (!arg || arg->data_size > DOOR_FAST_MAX || arg->desc_num || arg->rdesc_num ||
	    arg->rsize > DOOR_FAST_MAX || id < 0 || (uint32_t)id > DOOR_FAST_ID_MASK)
		return door_call_general(id, arg);
	uint32_t w[4];
	door_copy_small(w, arg->data_ptr, arg->data_size);
	int n = door_fast_call(DOOR_FAST | arg->data_size << DOOR_FAST_SIZE_SHIFT | (uint32_t)id,
	                       w);
	if (n < 0)
		return n;
	arg->data_size = (uint32_t)n;
	if ((uint32_t)n > arg->rsize)
		return -ERANGE; /* data_size says how much was needed */
	arg->data_ptr = arg->rbuf;
	door_copy_small(arg->rbuf, w, (uint32_t)n);
	return 0;
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
