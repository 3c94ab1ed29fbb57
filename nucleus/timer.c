/* SPDX-License-Identifier: MIT */
/*
 * The periodic timer: PIT channel 0 at TIMER_HZ (100 Hz, a 10 ms tick) on
 * IRQ 0. Each tick advances the tick count and lets the scheduler charge the
 * running thread and wake sleepers.
 *
 * Entry points: timer_init, timer_ticks.
 */
#include "nucleus/nucleus.h"
#include "nucleus/x86.h"

#define PIT_HZ  1193182
#define PIT_CH0 0x40
#define PIT_CMD 0x43

static uint64_t ticks; /* written only by the tick, with interrupts off */

static void timer_tick(void)
{
	ticks++;
	sched_tick();
}

void timer_init(void)
{
	uint32_t divisor = PIT_HZ / TIMER_HZ;
	outb(PIT_CMD, 0x34); /* channel 0, lobyte/hibyte, rate generator */
	outb(PIT_CH0, (uint8_t)divisor);
	outb(PIT_CH0, (uint8_t)(divisor >> 8));
	irq_register(0, timer_tick);
}

uint64_t timer_ticks(void)
{
	return ticks;
}
