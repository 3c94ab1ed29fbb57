/* SPDX-License-Identifier: MIT */
/*
 * Client stubs for the nucleus objects: each builds {op; IN}, calls the
 * door and unpacks {status; OUT} (lib/doors/kobj.h).
 *
 * Entry points: kobj_invoke, dm_create, dom_load, dom_thread, dom_give,
 * dom_kill, dom_watch, dom_info, dom_clone, dom_clone_shared, kobj_signal,
 * kobj_devices, kobj_ports, kobj_irq, kobj_irq_ack, kobj_map.
 */
#include "lib/doors/kobj.h"

int kobj_invoke(int id, uint32_t op, const void *in, uint32_t in_size, void *out, uint32_t out_size,
                int door_in, int *door_out)
{
	struct {
		uint32_t op;
		uint8_t in[KOBJ_MSG_MAX - 4];
	} msg;
	struct {
		int32_t status;
		uint8_t out[64];
	} rep;
	if (in_size > sizeof msg.in || out_size > sizeof rep.out)
		return -E2BIG;
	msg.op = op;
	memcpy(msg.in, in, in_size);
	door_desc_t din = {door_in, 0}, dout = {-1, 0};
	door_arg_t a = {&msg, 4 + in_size,  door_in >= 0 ? &din : NULL, door_in >= 0 ? 1 : 0,
	                &rep, 4 + out_size, door_out ? &dout : NULL,    door_out ? 1 : 0};
	int err = door_call(id, &a);
	if (err < 0)
		return err;
	if (a.data_size < 4)
		return -EIO;
	if (rep.status < 0)
		return rep.status;
	if (a.data_size != 4 + out_size)
		return -EIO;
	memcpy(out, rep.out, out_size);
	if (door_out)
		*door_out = a.rdesc_num == 1 ? dout.id : -1;
	return rep.status;
}

/* A new empty domain called name; returns the id of a door to it. */
int dm_create(int dm, const char *name, uint32_t frames)
{
	struct kobj_create_in in = {{0}, frames};
	strlcpy(in.name, name, sizeof in.name);
	int door = -1;
	int err = kobj_invoke(dm, DM_CREATE, &in, sizeof in, NULL, 0, -1, &door);
	return err < 0 ? err : door;
}

int dom_load(int dom, const void *image, uint32_t size, const char *args, struct kobj_load_out *out)
{
	struct kobj_load_in in = {(uint32_t)(uintptr_t)image, size, {0}};
	strlcpy(in.args, args, sizeof in.args);
	return kobj_invoke(dom, DOM_LOAD, &in, sizeof in, out, sizeof *out, -1, NULL);
}

int dom_thread(int dom, const struct kobj_thread_in *in)
{
	return kobj_invoke(dom, DOM_THREAD, in, sizeof *in, NULL, 0, -1, NULL);
}

int dom_give(int dom, int door)
{
	return kobj_invoke(dom, DOM_GIVE, NULL, 0, NULL, 0, door, NULL);
}

int dom_kill(int dom, int32_t status)
{
	return kobj_invoke(dom, DOM_KILL, &status, sizeof status, NULL, 0, -1, NULL);
}

int dom_watch(int dom, int door)
{
	return kobj_invoke(dom, DOM_WATCH, NULL, 0, NULL, 0, door, NULL);
}

int dom_info(int dom, struct kobj_info_out *out)
{
	return kobj_invoke(dom, DOM_INFO, NULL, 0, out, sizeof *out, -1, NULL);
}

/* A copy-on-write copy of the domain, called name; returns a door to it. */
int dom_clone(int dom, const char *name)
{
	char in[KOBJ_NAME_MAX] = {0};
	strlcpy(in, name, sizeof in);
	int door = -1;
	int err = kobj_invoke(dom, DOM_CLONE, in, sizeof in, NULL, 0, -1, &door);
	return err < 0 ? err : door;
}

/* A shared clone (Sprite's shared fork): every region but the main stack
 * is the same memory in both; returns a door to the new domain. */
int dom_clone_shared(int dom, const char *name)
{
	struct kobj_clone_in in = {{0}, KOBJ_CLONE_SHARED};
	strlcpy(in.name, name, sizeof in.name);
	int door = -1;
	int err = kobj_invoke(dom, DOM_CLONE, &in, sizeof in, NULL, 0, -1, &door);
	return err < 0 ? err : door;
}

/* An upcall at eip with arg in the domain's main thread (sprig/signal.h;
 * eip is usually sprig_sigtramp, arg the signal number). */
int kobj_signal(int dom, uint32_t eip, uint32_t arg)
{
	struct kobj_signal_in in = {eip, arg};
	return kobj_invoke(dom, DOM_SIGNAL, &in, sizeof in, NULL, 0, -1, NULL);
}

/* A door to the device manager; dm is the domain manager's. */
int kobj_devices(int dm)
{
	int door = -1;
	int err = kobj_invoke(dm, DM_DEVICES, NULL, 0, NULL, 0, -1, &door);
	return err < 0 ? err : door;
}

/* Ports [first, first + count) to the domain behind door dom. */
int kobj_ports(int dev, int dom, uint32_t first, uint32_t count)
{
	struct kobj_ports_in in = {first, count};
	return kobj_invoke(dev, DEV_PORTS, &in, sizeof in, NULL, 0, dom, NULL);
}

/* Binds interrupt line to door (one we serve); returns the line's door. */
int kobj_irq(int dev, uint32_t line, int door)
{
	struct kobj_irq_in in = {line};
	int ld = -1;
	int err = kobj_invoke(dev, DEV_IRQ, &in, sizeof in, NULL, 0, door, &ld);
	return err < 0 ? err : ld;
}

/* Unmasks the line, for its next interrupt. */
int kobj_irq_ack(int line_door)
{
	return kobj_invoke(line_door, IRQ_ACK, NULL, 0, NULL, 0, -1, NULL);
}

/* Maps physical [phys, phys + size) into the domain behind door dom;
 * *addr: where phys is there. */
int kobj_map(int dev, int dom, uint32_t phys, uint32_t size, uint32_t *addr)
{
	struct kobj_map_in in = {phys, size};
	struct kobj_map_out out = {0};
	int err = kobj_invoke(dev, DEV_MAP, &in, sizeof in, &out, sizeof out, dom, NULL);
	if (err >= 0 && addr)
		*addr = out.addr;
	return err;
}
