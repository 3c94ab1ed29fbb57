/* SPDX-License-Identifier: MIT */
/*
 * Boot: from boot/entry.S to the scheduler. Reads the multiboot information
 * (command line, memory map, modules), sets up the processor, memory and
 * timer, makes a domain of every boot module, and starts the monitor thread,
 * which announces `sprig: ready` and reports when every domain has ended.
 *
 * Kernel command line options: poweroff=idle (power off when all domains
 * have ended; the status says whether every frame came back), log=debug
 * or log=warn (more or fewer messages),
 * selftest=panic (panic once up, to test the panic report), fastpath=c
 * (door fast calls through the C reference, not the assembly), frames=N
 * (the frame limit of every module without one of its own; a module's
 * string may hold its own frames=N word, which it also sees as an
 * argument).
 *
 * Entry point: nucleus_main.
 */
#include "nucleus/nucleus.h"
#include "nucleus/x86.h"
#include "lib/c/libc.h"
#include "boot/layout.h"

#define MULTIBOOT_MAGIC  0x2BADB002
#define MB_INFO_MEM      0x01
#define MB_INFO_CMDLINE  0x04
#define MB_INFO_MODS     0x08
#define MB_INFO_MMAP     0x40
#define MAX_MODULES      16
#define MB_MMAP_RESERVED 2

struct mb_info {
	uint32_t flags, mem_lower, mem_upper, boot_device, cmdline, mods_count, mods_addr;
	uint32_t syms[4];
	uint32_t mmap_length, mmap_addr;
};

struct mb_module {
	uint32_t start, end, string, reserved;
};

struct mb_mmap {
	uint32_t size;
	uint64_t base, length;
	uint32_t type;
} __attribute__((packed));

extern char _kernel_start[], _kernel_end[];

/* What boot learned from the loader, kept after the frames are reused. */
static struct {
	char cmdline[256];
	int nmodules;
	struct {
		paddr_t start, end;
		char string[128];
	} module[MAX_MODULES];
	int poweroff_when_idle;
	uint32_t frames_at_start;
	uint64_t tsc_at_boot;
} boot;

/* True when the kernel command line has the word `opt`. */
static int cmdline_has(const char *opt)
{
	size_t n = strlen(opt);
	for (const char *p = boot.cmdline; (p = strchr(p, opt[0])) != NULL; p++)
		if (strncmp(p, opt, n) == 0 && (p == boot.cmdline || p[-1] == ' ') &&
		    (p[n] == '\0' || p[n] == ' '))
			return 1;
	return 0;
}

/* The number after the word starting with key (say "frames=") in s, or 0
 * when there is no such word or no number after it. */
static uint32_t word_value(const char *s, const char *key)
{
	size_t n = strlen(key);
	for (const char *p = s; (p = strchr(p, key[0])) != NULL; p++)
		if (strncmp(p, key, n) == 0 && (p == s || p[-1] == ' '))
			return (uint32_t)strtoul(p + n, NULL, 10);
	return 0;
}

static void read_modules(const struct mb_info *mb)
{
	const struct mb_module *m = P2V(mb->mods_addr);
	for (uint32_t i = 0; i < mb->mods_count; i++) {
		if (boot.nmodules == MAX_MODULES) {
			klog(LOG_WARN, "nucleus: more than %d modules; the rest are ignored",
			     MAX_MODULES);
			break;
		}
		boot.module[boot.nmodules].start = m[i].start;
		boot.module[boot.nmodules].end = m[i].end;
		strlcpy(boot.module[boot.nmodules].string, m[i].string ? P2V(m[i].string) : "",
		        sizeof boot.module[0].string);
		boot.nmodules++;
	}
}

/* Frees the RAM the memory map reports, then reserves the nucleus and the
 * modules. Without a map, mem_upper gives the RAM above 1 MiB. */
static void init_frames(const struct mb_info *mb)
{
	frame_init(KMAP_LIMIT);
	if (mb->flags & MB_INFO_MMAP) {
		for (uint32_t off = 0; off < mb->mmap_length;) {
			const struct mb_mmap *e = P2V(mb->mmap_addr + off);
			if (e->type != MB_MMAP_RESERVED) /* RAM, ACPI or NVS: no device */
				devmgr_note_ram(e->base, e->base + e->length);
			if (e->type == 1 && e->base < KMAP_LIMIT) {
				uint64_t end = e->base + e->length;
				frame_release_range((paddr_t)e->base,
				                    (paddr_t)(end < KMAP_LIMIT ? end : KMAP_LIMIT));
			}
			off += e->size + 4;
		}
	} else if (mb->flags & MB_INFO_MEM) {
		frame_release_range(0x100000, 0x100000 + mb->mem_upper * 1024);
		devmgr_note_ram(0x100000, 0x100000 + (uint64_t)mb->mem_upper * 1024);
	} else {
		panic("boot loader gave no memory information");
	}
	frame_reserve_range(0, 0x100000); /* BIOS, VGA, and the boot structures */
	frame_reserve_range(V2P(_kernel_start), V2P(_kernel_end));
	for (int i = 0; i < boot.nmodules; i++)
		frame_reserve_range(boot.module[i].start, boot.module[i].end);
}

/* The module's name: the base name of the first word of its string. */
static void module_name(const char *string, char *name, size_t size)
{
	const char *end = strchr(string, ' ');
	size_t len = end ? (size_t)(end - string) : strlen(string);
	const char *base = string;
	for (size_t i = 0; i < len; i++)
		if (string[i] == '/')
			base = string + i + 1;
	len -= (size_t)(base - string);
	if (len > 4 && strncmp(base + len - 4, ".elf", 4) == 0)
		len -= 4;
	if (len == 0)
		base = "module", len = 6;
	strlcpy(name, base, len + 1 < size ? len + 1 : size);
}

/* Sets ebx of d's first thread: the id of a door it starts with, or -1. */
static void give_start_door(struct domain *d, int id)
{
	struct thread *t = list_entry(d->threads.next, struct thread, dom_link);
	thread_trapframe(t)->ebx = (uint32_t)id;
}

/* The first module gets the domain manager (sprig/kobj.h); nobody else
 * gets anything. */
static void hand_out_start_doors(struct domain *d, int first)
{
	struct door *dm = first ? kobj_door(KOBJ_DOMAIN_MANAGER, 0) : NULL;
	int id = dm ? dtable_insert(d, dm) : -1;
	give_start_door(d, id);
	if (dm)
		klog(LOG_INFO, "nucleus: %s#%d holds the domain manager (door %d)", d->name, d->id,
		     id);
}

static void start_modules(void)
{
	for (int i = 0; i < boot.nmodules; i++) {
		char name[32];
		const char *why;
		module_name(boot.module[i].string, name, sizeof name);
		size_t size = boot.module[i].end - boot.module[i].start;
		uint32_t frames = word_value(boot.module[i].string, "frames=");
		struct domain *d = elf_load_domain(name, P2V(boot.module[i].start), size,
		                                   boot.module[i].string, frames, &why);
		if (d) {
			klog(LOG_INFO, "nucleus: started domain %s#%d (%u bytes)", name, d->id,
			     (unsigned)size);
			hand_out_start_doors(d, i == 0);
		} else
			klog(LOG_ERR, "nucleus: module %s refused: %s", name, why);
	}
}

/* The first thread: says the system is up, then waits for every domain to
 * end and reports whether their frames all came back. */
static void monitor(void *arg)
{
	(void)arg;
	uint64_t cycles = rdtsc() - boot.tsc_at_boot;
	kprintf("sprig: ready (%d domains, %u of %u frames free, boot took %u kcycles)\n",
	        domain_count(), frame_free_count(), frame_total_count(), (unsigned)(cycles / 1000));
	if (cmdline_has("selftest=panic"))
		panic("self test requested on the command line");
	while (domain_count() > 0)
		waitq_sleep(&domains_ended);
	uint32_t now = frame_free_count();
	kprintf("nucleus: all domains ended; frames free %u (at start %u)\n", now,
	        boot.frames_at_start);
	if (boot.poweroff_when_idle)
		poweroff(now == boot.frames_at_start ? POWEROFF_OK : POWEROFF_FAIL);
}

void nucleus_main(uint32_t magic, paddr_t info)
{
	boot.tsc_at_boot = rdtsc();
	console_init();
	kprintf("Sprig nucleus\n");
	if (magic != MULTIBOOT_MAGIC)
		panic("not started by a multiboot loader (magic %#x)", magic);
	cpu_init();
	vmm_init(KMAP_LIMIT);
	const struct mb_info *mb = P2V(info);
	if (mb->flags & MB_INFO_CMDLINE)
		strlcpy(boot.cmdline, P2V(mb->cmdline), sizeof boot.cmdline);
	if (mb->flags & MB_INFO_MODS)
		read_modules(mb);
	init_frames(mb);
	boot.poweroff_when_idle = cmdline_has("poweroff=idle");
	if (cmdline_has("log=debug"))
		log_set_level(LOG_DEBUG);
	if (cmdline_has("log=warn"))
		log_set_level(LOG_WARN);
	if (cmdline_has("fastpath=c"))
		door_fast_use_c();
	domain_set_default_frame_limit(word_value(boot.cmdline, "frames="));
	klog(LOG_INFO, "nucleus: %u KiB free memory, %d modules, sysenter %s, command line '%s'",
	     frame_free_count() * 4, boot.nmodules, cpu_has_sysenter() ? "yes" : "no",
	     boot.cmdline);
	if (cmdline_has("fastpath=c"))
		klog(LOG_INFO, "nucleus: door fast path: the C reference");
	pic_init();
	timer_init();
	thread_init();
	sched_init();
	boot.frames_at_start = frame_free_count();
	start_modules();
	thread_create_kernel("monitor", monitor, NULL, NPRIO - 1);
	sched_start();
}
