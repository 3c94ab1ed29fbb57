/* SPDX-License-Identifier: MIT */
/*
 * The example service: a counter, declared once. Its operations fit in 16
 * bytes each way, so remote calls take the fast path; counter.c holds the
 * server's side, which a client may also link in and bind locally.
 */
#ifndef SPRIG_USER_COUNTER_H
#define SPRIG_USER_COUNTER_H

#include "lib/doors/doors.h"

struct counter_add_in {
	int32_t delta;
};
struct counter_value {
	int32_t value;
};
struct counter_none {
	uint32_t unused;
};

#define COUNTER_OPS(OP)                                                                            \
	OP(counter, add, 1, struct counter_add_in, struct counter_value)                           \
	OP(counter, get, 2, struct counter_none, struct counter_value)                             \
	OP(counter, null, 3, struct counter_none, struct counter_none)

DOOR_INTERFACE(counter, COUNTER_OPS)

struct counter {
	int32_t value;
};

extern const struct counter_ops counter_impl;

#endif
