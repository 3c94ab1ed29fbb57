/* SPDX-License-Identifier: MIT */
/* The counter service's implementation (user/counter.h). */
#include "user/counter.h"

static int counter_add_impl(void *obj, const struct counter_add_in *in, struct counter_value *out)
{
	struct counter *c = obj;
	out->value = __atomic_add_fetch(&c->value, in->delta, __ATOMIC_SEQ_CST);
	return 0;
}

static int counter_get_impl(void *obj, const struct counter_none *in, struct counter_value *out)
{
	(void)in;
	out->value = ((struct counter *)obj)->value;
	return 0;
}

static int counter_null_impl(void *obj, const struct counter_none *in, struct counter_none *out)
{
	(void)obj, (void)in, (void)out;
	return 0;
}

const struct counter_ops counter_impl = {
        .add = counter_add_impl,
        .get = counter_get_impl,
        .null = counter_null_impl,
};
