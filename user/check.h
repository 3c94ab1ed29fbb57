/* SPDX-License-Identifier: MIT */
/*
 * What the test programs share (user/check.c): one line per check, in one
 * of the two forms their scenarios in tests/system read, and the death
 * notices of watched domains.
 *
 *   CHECK_COLON  "PROG: WHAT: ok"   and "PROG: WHAT: FAIL: WHY"
 *   CHECK_PAREN  "PROG WHAT: ok"    and "PROG WHAT: FAILED (WHY)"
 */
#ifndef SPRIG_USER_CHECK_H
#define SPRIG_USER_CHECK_H

#include "lib/doors/kobj.h"

#define CHECK_COLON 0
#define CHECK_PAREN 1

extern int checks, failures; /* made so far, and how many failed */

void check_start(const char *prog, int form);
void check(const char *what, int ok, const char *fmt, ...)
        __attribute__((__format__(__printf__, 3, 4)));
void check_err(const char *what, int got, int want); /* ok if got == want */

/* A door_proc_t for a watch door (DOM_WATCH): keeps the notices it gets. */
void notice_proc(void *cookie, const struct door_request *req, struct door_reply *rep);
/* Waits up to ms for the notice of domain id; NULL if none came. */
const struct kobj_notice *notice_for(uint32_t id, unsigned ms);
/* The id the notices name for the domain behind door dom (0 if it ended). */
uint32_t domain_id(int dom);
/* Waits for process pid (through signals); its wait status, or -1. */
int reap(int pid);

#endif
