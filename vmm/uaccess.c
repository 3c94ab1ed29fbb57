/* SPDX-License-Identifier: MIT */
/*
 * Checked copies between the nucleus and user memory. The range is checked
 * first (no wrap, nothing at or above USER_TOP, nothing below USER_BASE);
 * then each page is found through the page tables, faulted in if its region
 * allows, and copied through the direct map. So a bad pointer is -EFAULT and
 * never a nucleus page fault (a page that cannot be had is -ENOMEM), and the address space need not
 * be current.
 *
 * Entry points: uaccess_range_ok, user_span, copy_in, copy_out, zero_out.
 */
#include "vmm/vmm.h"
#include "lib/c/libc.h"
#include <sprig/errno.h>
#include <sprig/syscall.h>

/* True when [uaddr, uaddr + len) lies inside user space without wrapping.
 * A zero-length range is fine anywhere in user space. */
int uaccess_range_ok(uint32_t uaddr, size_t len)
{
	if (uaddr < USER_BASE || uaddr > USER_TOP)
		return 0;
	return len <= USER_TOP - uaddr;
}

/* The slow part of user_byte: fault the page in (or refuse, with *err
 * -EFAULT or vmm_fault's -ENOMEM). */
static void *user_byte_fault(struct aspace *as, uint32_t va, int write, int *err)
{
	if ((*err = vmm_fault(as, va, write)) < 0)
		return NULL;
	pte_t *pte = pt_lookup(as->pd, va);
	if (!(*pte & PTE_U)) {
		*err = -EFAULT;
		return NULL;
	}
	return (char *)PHYS_TO_VIRT(PTE_ADDR(*pte)) + (va & PAGE_MASK);
}

/* Returns the nucleus address of user byte va, faulting its page in;
 * NULL with *err set when va is not accessible (for writing, if write):
 * -EFAULT, or -ENOMEM when its page cannot be had. */
static inline void *user_byte(struct aspace *as, uint32_t va, int write, int *err)
{
	uint32_t need = PTE_P | PTE_U | (write ? PTE_W : 0);
	pte_t *pte = pt_lookup(as->pd, va);
	if (pte && (*pte & (need | PTE_DEV)) == need)
		return (char *)PHYS_TO_VIRT(PTE_ADDR(*pte)) + (va & PAGE_MASK);
	if (pte && (*pte & PTE_P) && (!(*pte & PTE_U) || (*pte & PTE_DEV))) {
		/* A nucleus page (no fault can make it the user's), or device
		 * memory (no frame the direct map reaches, and reads may have
		 * side effects): the nucleus never copies from or to either. */
		*err = -EFAULT;
		return NULL;
	}
	return user_byte_fault(as, va, write, err);
}

/* Walks [uaddr, uaddr + len) a page at a time, handing each piece to fn. */
static int user_walk(struct aspace *as, uint32_t uaddr, size_t len, int write,
                     void (*fn)(void *user, char *buf, size_t n), char *buf)
{
	if (!uaccess_range_ok(uaddr, len))
		return -EFAULT;
	while (len) {
		size_t n = PAGE_SIZE - (uaddr & PAGE_MASK);
		if (n > len)
			n = len;
		int err;
		void *p = user_byte(as, uaddr, write, &err);
		if (!p)
			return err;
		fn(p, buf, n);
		uaddr += n;
		len -= n;
		if (buf)
			buf += n;
	}
	return 0;
}

static void piece_in(void *user, char *buf, size_t n)
{
	memcpy(buf, user, n);
}

static void piece_out(void *user, char *buf, size_t n)
{
	memcpy(user, buf, n);
}

static void piece_zero(void *user, char *buf, size_t n)
{
	(void)buf;
	memset(user, 0, n);
}

/* The nucleus address of [uaddr, uaddr + len) when it lies in one page
 * already there for this access (the common case of the small structures
 * system calls pass), else NULL: then the walk decides. Valid until the
 * space's mappings next change. */
void *user_span(struct aspace *as, uint32_t uaddr, size_t len, int write)
{
	uint32_t need = PTE_P | PTE_U | (write ? PTE_W : 0);
	if (uaddr < USER_BASE || uaddr >= USER_TOP || len > PAGE_SIZE - (uaddr & PAGE_MASK))
		return NULL;
	pte_t *pte = pt_lookup(as->pd, uaddr);
	if (!pte || (*pte & (need | PTE_DEV)) != need)
		return NULL;
	return (char *)PHYS_TO_VIRT(PTE_ADDR(*pte)) + (uaddr & PAGE_MASK);
}

/* Copies len bytes from user usrc into dst. Returns 0, -EFAULT or -ENOMEM. */
int copy_in(struct aspace *as, void *dst, uint32_t usrc, size_t len)
{
	void *p = user_span(as, usrc, len, 0);
	if (p) {
		memcpy(dst, p, len);
		return 0;
	}
	return user_walk(as, usrc, len, 0, piece_in, dst);
}

/* Copies len bytes from src to user udst. Returns 0, -EFAULT or -ENOMEM. */
int copy_out(struct aspace *as, uint32_t udst, const void *src, size_t len)
{
	void *p = user_span(as, udst, len, 1);
	if (p) {
		memcpy(p, src, len);
		return 0;
	}
	return user_walk(as, udst, len, 1, piece_out, (char *)src);
}

/* Zeroes len user bytes at udst. Returns 0, -EFAULT or -ENOMEM. */
int zero_out(struct aspace *as, uint32_t udst, size_t len)
{
	return user_walk(as, udst, len, 1, piece_zero, NULL);
}

/* Copies into user memory whatever its permissions (the loader filling a
 * read-only text segment). Returns 0, -EFAULT or -ENOMEM. */
int vmm_load(struct aspace *as, uint32_t udst, const void *src, size_t len)
{
	return user_walk(as, udst, len, 0, piece_out, (char *)src);
}

/* Copies len bytes from user src in src_as to user dst in dst_as, once,
 * through the direct map: the door calls' vanilla path. 0, -EFAULT or
 * -ENOMEM (a page of either side over its limit, or memory out). */
int vmm_copy(struct aspace *dst_as, uint32_t dst, struct aspace *src_as, uint32_t src, size_t len)
{
	char *s = NULL, *d = NULL;
	size_t s_left = 0, d_left = 0; /* bytes left in the current page of each */
	int err;
	if (!uaccess_range_ok(dst, len) || !uaccess_range_ok(src, len))
		return -EFAULT;
	while (len) {
		if (!s_left) {
			if (!(s = user_byte(src_as, src, 0, &err)))
				return err;
			s_left = PAGE_SIZE - (src & PAGE_MASK);
		}
		if (!d_left) {
			if (!(d = user_byte(dst_as, dst, 1, &err)))
				return err;
			d_left = PAGE_SIZE - (dst & PAGE_MASK);
		}
		size_t n = s_left < d_left ? s_left : d_left;
		if (n > len)
			n = len;
		memcpy(d, s, n);
		s += n, d += n, src += n, dst += n;
		s_left -= n, d_left -= n, len -= n;
	}
	return 0;
}
