/* SPDX-License-Identifier: MIT */
/*
 * servers/proc: Sprite's process manager, one domain. The first boot
 * module: it holds the domain manager (and the device manager) and is the
 * only domain that can make or touch other domains. It keeps the process
 * table, starts the console driver and init from the boot image
 * (bootimg.c), and serves each process on a door of its own
 * (include/sprite/proc.h, docs/processes.md §4).
 *
 * Arguments: host=N (this host's number, default 1), init=PROG (the first
 * process, default "init"), and the rest are init's arguments.
 *
 * Locking: one lock over the table; a wait releases it while it sleeps.
 */
#include <sprite/proc.h>
#include <sprite/stream.h>

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/doors/kobj.h"
#include "servers/proc/bootimg.h"
#include "servers/proc/imgcache.h"
#include "servers/proc/table.h"

#define START_BYTES 2048       /* arguments and environment handed to a new process */
#define PROGRAM_MAX (4u << 20) /* bytes of a program file */
#define PORT_RANGES 2          /* I/O port ranges a driver is given (ATA: 0x1f0-7, 0x3f6) */

struct port_range {
	uint32_t first, count;
};

struct process {
	struct pentry e; /* the table's part (table.h): first */
	char name[PROC_NAME_MAX];
	int dom;         /* proc's door to its domain, or -1 */
	uint32_t dom_id; /* the domain's id, as death notices name it */
	int door;        /* the process's own door to proc (served here) */
	struct door_served served;
	int staged[PROC_FD_MAX]; /* doors (proc's ids) for its next child */
	struct proc_start start; /* what its startup call answers */
	char start_bytes[START_BYTES];
	uint32_t start_size;
	uint32_t sig_handler[NSIG];
	int irq_line;                         /* drivers: the line it may bind, or -1 */
	struct port_range ports[PORT_RANGES]; /* drivers: the I/O ports it is given */
};

static struct {
	struct process p[PROC_MAX];
	int lock;
	uint32_t changes; /* bumped on every death and reap: waits watch it */
	int dm, devices;  /* the domain and device managers */
	int watch;        /* the door death notices come to */
	uint32_t host;
	int32_t init_pid;
	uint32_t shutdown; /* set by the shutdown operation: main ends proc */
	int fs_up;         /* programs can be read from the file system */
} pm;

static const struct proc_ops proc_impl;

static void lock(void)
{
	while (__atomic_exchange_n(&pm.lock, 1, __ATOMIC_ACQUIRE))
		yield();
}

static void unlock(void)
{
	__atomic_store_n(&pm.lock, 0, __ATOMIC_RELEASE);
}

static const struct ptable table = {pm.p, PROC_MAX, sizeof(struct process), 0};

/* The table with this host's number (set once, at start). */
static struct ptable tab(void)
{
	struct ptable t = table;
	t.host = pm.host;
	return t;
}

static struct process *find(int32_t pid)
{
	struct ptable t = tab();
	return (struct process *)ptable_find(&t, pid);
}

static struct process *slot_alloc(void)
{
	struct ptable t = tab();
	struct process *p = (struct process *)ptable_alloc(&t);
	if (!p)
		return NULL;
	p->dom = p->door = -1;
	p->irq_line = -1;
	for (int fd = 0; fd < PROC_FD_MAX; fd++)
		p->staged[fd] = p->start.fds[fd] = -1;
	return p;
}

static void unstage(struct process *p)
{
	for (int fd = 0; fd < PROC_FD_MAX; fd++) {
		if (p->staged[fd] >= 0)
			door_close(p->staged[fd]);
		p->staged[fd] = -1;
	}
}

static void slot_free(struct process *p)
{
	unstage(p);
	if (p->dom >= 0)
		door_close(p->dom);
	if (p->door >= 0)
		door_free(p->door);
	p->dom = p->door = -1;
	p->e.used = 0;
}

/* The program's name: argv[0] without its directory. */
static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

/* Gives the new domain dom its doors (its own to proc, and the staged
 * descriptors of `from`), records the start-up block, watches it and
 * starts its thread at eip/esp with eax. Lock held. */
static int launch(struct process *p, struct process *from, int dom, uint32_t eip, uint32_t esp,
                  uint32_t eax)
{
	struct kobj_info_out info;
	int err = dom_info(dom, &info);
	if (err < 0)
		return err;
	if (p->door < 0) {
		p->served = (struct door_served){&proc_impl, p, NULL};
		p->door = door_create_mixed(proc_fast, proc_dispatch, &p->served, 0);
		if (p->door < 0)
			return p->door;
	}
	int self = dom_give(dom, p->door);
	if (self < 0)
		return self;
	for (int fd = 0; fd < PROC_FD_MAX; fd++) {
		p->start.fds[fd] = -1;
		if (from && from->staged[fd] >= 0) {
			int id = dom_give(dom, from->staged[fd]);
			if (id < 0)
				return id;
			p->start.fds[fd] = id;
		}
	}
	if (from)
		unstage(from);
	for (int i = 0; i < PORT_RANGES && p->ports[i].count; i++) {
		err = kobj_ports(pm.devices, dom, p->ports[i].first, p->ports[i].count);
		if (err < 0)
			return err;
	}
	err = dom_watch(dom, pm.watch);
	if (err < 0)
		return err;
	err = dom_thread(dom, &(struct kobj_thread_in){eip, esp, eax, (uint32_t)self});
	if (err < 0)
		return err;
	if (p->dom >= 0) {
		/* exec: the old domain ends; its notice no longer names p */
		dom_kill(p->dom, 0);
		door_close(p->dom);
	}
	p->dom = dom;
	p->dom_id = info.id;
	p->e.state = PROC_RUNNING;
	return 0;
}

/* The identity a program is cached by (imgcache.h). */
static void program_key(struct imgkey *key, const char *path, const struct stat *st)
{
	memset(key, 0, sizeof *key);
	strlcpy(key->path, path, sizeof key->path);
	if (st) {
		key->dev = st->st_dev;
		key->ino = st->st_ino;
		key->size = (uint32_t)st->st_size;
		key->mtime = st->st_mtime;
	}
}

/* Reads the whole file fd (st says its size) into *owned. 0 or -EIO. */
static int read_program(int fd, const struct stat *st, void **owned)
{
	ssize_t got = 0, n = 1;
	while (got < st->st_size &&
	       (n = read(fd, (char *)*owned + got, (size_t)(st->st_size - got))) > 0)
		got += n;
	if (got == st->st_size)
		return 0;
	free(*owned);
	*owned = NULL;
	return -EIO;
}

/*
 * The program a path names: a file through the file system once it is up
 * (a path with a '/' as it is; a bare name from /bin), else the boot
 * image's program of that name. *img is its cached image door (the
 * cache's), or -1 with the file in *image and *size (in *owned, to free,
 * when it came from a file) and its identity in *key for the cache.
 */
static int find_program(const char *path, int *img, struct imgkey *key, const void **image,
                        uint32_t *size, void **owned)
{
	*owned = NULL;
	*img = -1;
	int slash = strchr(path, '/') != NULL;
	if (pm.fs_up) {
		char full[FS_PATH_MAX + 1];
		snprintf(full, sizeof full, slash ? "%s" : "/bin/%s", path);
		int fd = open(full, O_RDONLY), err = 0;
		struct stat st;
		if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
		    st.st_size <= (off_t)PROGRAM_MAX) {
			program_key(key, full, &st);
			if (strlen(full) >= sizeof key->path || (*img = imgcache_find(key)) < 0) {
				if (!(*owned = malloc((size_t)st.st_size)))
					err = -ENOMEM;
				else if (!(err = read_program(fd, &st, owned))) {
					*image = *owned;
					*size = (uint32_t)st.st_size;
				}
			}
			close(fd);
			return err;
		}
		err = fd < 0 ? -errno : S_ISREG(st.st_mode) ? -ENOEXEC : -EACCES;
		if (fd >= 0)
			close(fd);
		if (slash && strncmp(path, "/bin/", 5))
			return err; /* not a name the boot image could have */
	}
	const struct bootprog *prog = bootimg_find(base_name(path));
	if (!prog)
		return -ENOENT;
	char name[IMGCACHE_PATH];
	snprintf(name, sizeof name, "boot:%s", prog->name);
	struct stat st = {.st_size = (off_t)prog->size};
	program_key(key, name, &st);
	*img = imgcache_find(key);
	*image = prog->image;
	*size = prog->size;
	return 0;
}

/* Fills the empty domain dom with the program: from its cached image,
 * or a new one cached now (its text shared with every process of it),
 * or, when no image can be made, by copying the file (DOM_LOAD). */
static int load_program(const char *path, int dom, struct kobj_load_out *lo)
{
	const void *image = NULL;
	uint32_t size = 0;
	void *owned;
	struct imgkey key;
	int img;
	int err = find_program(path, &img, &key, &image, &size, &owned);
	if (err < 0)
		return err;
	if (img < 0 && strlen(key.path) + 1 < sizeof key.path)
		img = imgcache_add(pm.dm, &key, image, size);
	if (img >= 0)
		err = imgcache_load(dom, img, PROC_START_ARGS, lo);
	else
		err = dom_load(dom, image, size, PROC_START_ARGS, lo);
	free(owned);
	return err;
}

/* A new domain for process p running the program the arguments name. */
static int exec_into(struct process *p, struct process *from, const struct door_io *io)
{
	uint32_t argc, envc;
	if (!ptable_parse_args(io->in, io->in_size, &argc, &envc))
		return -EINVAL;
	if (io->in_size > START_BYTES)
		return -E2BIG;
	const char *path = io->in;
	int dom = dm_create(pm.dm, base_name(path), 0);
	if (dom < 0)
		return dom;
	struct kobj_load_out lo;
	int err = load_program(path, dom, &lo);
	if (err >= 0)
		err = launch(p, from, dom, lo.entry, lo.esp, lo.argp);
	if (err < 0) {
		dom_kill(dom, 0);
		door_close(dom);
		return err;
	}
	uint32_t skip = (uint32_t)strlen(path) + 1; /* the child sees argv and envp */
	memcpy(p->start_bytes, (const char *)io->in + skip, io->in_size - skip);
	p->start_size = io->in_size - skip;
	p->start.argc = argc;
	p->start.envc = envc;
	strlcpy(p->name, base_name(path), sizeof p->name);
	return 0;
}

/* ------------------------------------------------------------ operations */

static int ids_impl(void *obj, const struct proc_none *in, struct proc_ids *out)
{
	(void)in;
	struct process *p = obj;
	/* No lock: the caller is running, so its slot stays its own, and each
	 * field is one aligned word (a reparenting may change ppid as we read). */
	*out = (struct proc_ids){p->e.pid, p->e.ppid, p->e.pgrp};
	return 0;
}

static int startup_impl(void *obj, const struct proc_none *in, struct proc_none *out,
                        struct door_io *io)
{
	(void)in, (void)out;
	struct process *p = obj;
	lock();
	uint32_t need = sizeof p->start + p->start_size;
	if (io->out_cap < need) {
		unlock();
		return -ERANGE;
	}
	memcpy(io->out, &p->start, sizeof p->start);
	memcpy((char *)io->out + sizeof p->start, p->start_bytes, p->start_size);
	io->out_size = need;
	unlock();
	return 0;
}

static int stage_impl(void *obj, const struct proc_stage_in *in, struct proc_none *out,
                      struct door_io *io)
{
	(void)out;
	struct process *p = obj;
	if (in->fd == -1) {
		lock();
		unstage(p);
		unlock();
		return 0;
	}
	if (in->fd < 0 || in->fd >= PROC_FD_MAX)
		return -EBADF;
	if (io->in_door < 0)
		return -EBADF;
	lock();
	if (p->staged[in->fd] >= 0)
		door_close(p->staged[in->fd]);
	p->staged[in->fd] = io->in_door;
	io->in_door = -1; /* kept */
	unlock();
	return 0;
}

/* A new process, parent's child, in its group, with what it does with
 * each signal; NULL when the table is full. Lock held. */
static struct process *child_of(const struct process *parent)
{
	struct process *p = slot_alloc();
	if (p) {
		p->e.ppid = parent->e.pid;
		p->e.pgrp = parent->e.pgrp;
		memcpy(p->e.sig_how, parent->e.sig_how, sizeof p->e.sig_how);
	}
	return p;
}

/* A new program keeps what was ignored, not the handlers (Unix's exec). */
static void forget_handlers(struct process *p)
{
	for (int s = 0; s < NSIG; s++)
		if (p->e.sig_how[s] == PROC_SIG_CATCH)
			p->e.sig_how[s] = PROC_SIG_DFL;
}

static int spawn_impl(void *obj, const struct proc_spawn_in *in, struct proc_none *out,
                      struct door_io *io)
{
	(void)in, (void)out;
	struct process *parent = obj;
	lock();
	struct process *p = child_of(parent);
	if (!p) {
		unlock();
		return -EAGAIN;
	}
	forget_handlers(p);
	int err = exec_into(p, parent, io);
	if (err < 0) {
		slot_free(p);
		unlock();
		return err;
	}
	int32_t pid = p->e.pid;
	unlock();
	return pid;
}

static int exec_impl(void *obj, const struct proc_spawn_in *in, struct proc_none *out,
                     struct door_io *io)
{
	(void)in, (void)out;
	struct process *p = obj;
	lock();
	forget_handlers(p);
	int err = exec_into(p, p, io);
	unlock();
	return err; /* on success the caller's domain has ended: nobody reads this */
}

static int fork_impl(void *obj, const struct proc_fork_in *in, struct proc_none *out)
{
	(void)out;
	struct process *parent = obj;
	if (in->shared > 1)
		return -EINVAL;
	if (in->eip >= USER_TOP || in->esp >= USER_TOP)
		return -EFAULT;
	lock();
	struct process *p = child_of(parent);
	if (!p) {
		unlock();
		return -EAGAIN;
	}
	memcpy(p->sig_handler, parent->sig_handler, sizeof p->sig_handler);
	memcpy(p->name, parent->name, sizeof p->name);
	memcpy(p->start_bytes, parent->start_bytes, parent->start_size);
	p->start_size = parent->start_size;
	p->start.argc = parent->start.argc;
	p->start.envc = parent->start.envc;
	int err = in->shared ? dom_clone_shared(parent->dom, p->name)
	                     : dom_clone(parent->dom, p->name);
	if (err >= 0) {
		int dom = err;
		err = launch(p, parent, dom, in->eip, in->esp, 0);
		if (err < 0) {
			dom_kill(dom, 0);
			door_close(dom);
		}
	}
	if (err < 0) {
		slot_free(p);
		unlock();
		return err == -ENOMEM ? -EAGAIN : err;
	}
	int32_t pid = p->e.pid;
	unlock();
	return pid;
}

/* Waits for the table to change after `seen`; -EINTR if the caller went. */
static int wait_change(uint32_t seen)
{
	while (__atomic_load_n(&pm.changes, __ATOMIC_ACQUIRE) == seen) {
		int err = futex_wait(&pm.changes, seen, 0);
		if (err == -EINTR)
			return err; /* the caller was signalled or killed */
	}
	return 0;
}

static int wait_impl(void *obj, const struct proc_wait_in *in, struct proc_wait_out *out)
{
	struct process *p = obj;
	if (in->options & ~(uint32_t)PROC_WNOHANG)
		return -EINVAL;
	for (;;) {
		lock();
		uint32_t seen = pm.changes;
		int children;
		struct ptable t = tab();
		struct process *c =
		        (struct process *)ptable_wait_pick(&t, &p->e, in->pid, &children);
		if (c) {
			*out = (struct proc_wait_out){c->e.pid, c->e.status};
			slot_free(c);
			unlock();
			return out->pid;
		}
		unlock();
		if (!children)
			return -ECHILD;
		if (in->options & PROC_WNOHANG) {
			*out = (struct proc_wait_out){0, 0};
			return 0;
		}
		int err = wait_change(seen);
		if (err < 0)
			return err;
	}
}

/* Acts on signal sig for process p (lock held). */
static void deliver(struct process *p, int sig)
{
	switch (ptable_sig_action(&p->e, sig)) {
	case SIG_ACT_NONE: return;
	case SIG_ACT_CATCH:
		if (kobj_signal(p->dom, p->sig_handler[sig], (uint32_t)sig) == 0)
			return;
		if (sig == SIGCHLD)
			return; /* could not enter the handler: the default, ignoring it */
		break;          /* the default: the process ends */
	case SIG_ACT_KILL: break;
	}
	dom_kill(p->dom, sig);
}

static int kill_impl(void *obj, const struct proc_kill_in *in, struct proc_none *out)
{
	(void)out;
	struct process *caller = obj;
	if (in->sig < 0 || in->sig >= NSIG)
		return -EINVAL;
	lock();
	int found = 0;
	if (in->pid > 0) {
		struct process *p = find(in->pid);
		if (p) {
			found = 1;
			deliver(p, in->sig);
		}
	} else {
		int32_t group = in->pid == 0 ? caller->e.pgrp : -in->pid;
		for (int i = 0; i < PROC_MAX; i++) {
			struct process *p = &pm.p[i];
			if (!p->e.used || p->e.state != PROC_RUNNING)
				continue;
			if (in->pid == -1 ? (p->e.pid == pm.init_pid || p == caller)
			                  : p->e.pgrp != group)
				continue;
			found = 1;
			deliver(p, in->sig);
		}
	}
	unlock();
	return found ? 0 : -ESRCH;
}

static int setpgid_impl(void *obj, const struct proc_pgid_in *in, struct proc_none *out)
{
	(void)out;
	struct process *caller = obj;
	if (in->pgid < 0)
		return -EINVAL;
	lock();
	struct process *p = in->pid == 0 ? caller : find(in->pid);
	int err = 0;
	if (!p || (p != caller && p->e.ppid != caller->e.pid))
		err = -ESRCH;
	else
		p->e.pgrp = in->pgid ? in->pgid : p->e.pid;
	unlock();
	return err;
}

static int sigaction_impl(void *obj, const struct proc_sigaction_in *in, struct proc_none *out)
{
	(void)out;
	struct process *p = obj;
	if (in->sig <= 0 || in->sig >= NSIG || in->sig == SIGKILL || in->how > PROC_SIG_CATCH ||
	    (in->how == PROC_SIG_CATCH && (in->handler == 0 || in->handler >= USER_TOP)))
		return -EINVAL;
	lock();
	int old = p->e.sig_how[in->sig];
	p->e.sig_how[in->sig] = (uint8_t)in->how;
	p->sig_handler[in->sig] = in->handler;
	unlock();
	return old;
}

static int list_impl(void *obj, const struct proc_none *in, struct proc_none *out,
                     struct door_io *io)
{
	(void)obj, (void)in, (void)out;
	struct proc_entry *e = io->out;
	uint32_t n = 0, max = io->out_cap / sizeof *e;
	lock();
	for (int i = 0; i < PROC_MAX && n < max; i++) {
		const struct process *p = &pm.p[i];
		if (!p->e.used)
			continue;
		e[n] = (struct proc_entry){p->e.pid,    p->e.ppid, p->e.pgrp, p->e.state,
		                           p->e.status, pm.host,   pm.host,   {0}};
		memcpy(e[n].name, p->name, sizeof e[n].name);
		n++;
	}
	unlock();
	io->out_size = n * sizeof *e;
	return (int)n;
}

static int irq_impl(void *obj, const struct proc_irq_in *in, struct proc_none *out,
                    struct door_io *io)
{
	(void)out;
	struct process *p = obj;
	if (p->irq_line < 0 || in->line != (uint32_t)p->irq_line)
		return -EPERM;
	if (io->in_door < 0)
		return -EBADF;
	int line = kobj_irq(pm.devices, in->line, io->in_door);
	if (line < 0)
		return line;
	io->out_door = line;
	io->out_flags = DOOR_MOVE;
	return 0;
}

/* Ends every process; main ends proc once they have all gone. */
static int shutdown_impl(void *obj, const struct proc_none *in, struct proc_none *out)
{
	(void)obj, (void)in, (void)out;
	lock();
	pm.shutdown = 1;
	for (int i = 0; i < PROC_MAX; i++)
		if (pm.p[i].e.used && pm.p[i].e.state == PROC_RUNNING)
			dom_kill(pm.p[i].dom, SIGKILL);
	unlock();
	futex_wake(&pm.shutdown, 1);
	return 0;
}

static const struct proc_ops proc_impl = {
        ids_impl,  startup_impl, stage_impl,     spawn_impl, exec_impl, fork_impl,    wait_impl,
        kill_impl, setpgid_impl, sigaction_impl, list_impl,  irq_impl,  shutdown_impl};

/* ------------------------------------------------------------- deaths */

/* A domain ended: its process becomes a zombie for its parent to reap
 * (or is reaped now if nobody will), its children go to init. */
static void notice_proc(void *cookie, const struct door_request *req, struct door_reply *rep)
{
	(void)cookie, (void)rep;
	if (!(req->flags & DOOR_ENTRY_NOTICE) || req->size != sizeof(struct kobj_notice))
		return;
	struct kobj_notice n;
	memcpy(&n, req->data, sizeof n);
	lock();
	struct process *p = NULL;
	for (int i = 0; i < PROC_MAX && !p; i++)
		if (pm.p[i].e.used && pm.p[i].e.state == PROC_RUNNING && pm.p[i].dom_id == n.domain)
			p = &pm.p[i];
	if (!p) {
		unlock();
		return; /* a domain exec left behind, or one that never ran */
	}
	p->e.status = ptable_end_status(n.cause, n.status);
	p->e.state = PROC_ZOMBIE;
	if (n.cause == KOBJ_END_FAULT)
		printf("proc: %s (pid %d) faulted: vector %d at %#x\n", p->name, p->e.pid, n.status,
		       n.addr);
	door_close(p->dom);
	p->dom = -1;
	if (p->door >= 0)
		door_free(p->door); /* its door answers EBADF from now on */
	p->door = -1;
	unstage(p);
	struct ptable t = tab();
	ptable_reparent(&t, p->e.pid, pm.init_pid);
	struct process *parent = find(p->e.ppid);
	if (parent)
		deliver(parent, SIGCHLD);
	else if (p->e.pid == pm.init_pid && !pm.shutdown)
		printf("proc: init (pid %d) ended with status %#x\n", p->e.pid, p->e.status);
	if (!parent)
		slot_free(p); /* nobody will wait for it */
	pm.changes++;
	unlock();
	futex_wake(&pm.changes, 1000);
}

/* ------------------------------------------------------------- boot */

/* Starts a boot-image program with no parent; descriptors 0-2 are `fd`
 * when it is not -1. A driver gets the interrupt line irq (else -1) and
 * the port ranges in ports (up to PORT_RANGES; NULL for none). */
static struct process *boot_spawn(const char *args, uint32_t size, int fd, int irq,
                                  const struct port_range *ports, int nports)
{
	lock();
	struct process *p = slot_alloc();
	if (!p) {
		unlock();
		return NULL;
	}
	p->e.pgrp = p->e.pid;
	p->irq_line = irq;
	for (int i = 0; i < nports && i < PORT_RANGES; i++)
		p->ports[i] = ports[i];
	if (fd >= 0)
		for (int i = 0; i < 3; i++)
			p->staged[i] = door_dup(fd);
	struct door_io io = {args, size, NULL, 0, 0, -1, 0, -1, 0, NULL};
	int err = exec_into(p, p, &io);
	if (err < 0) {
		printf("proc: cannot start %s: %s\n", args, strerror(-err));
		slot_free(p);
		p = NULL;
	}
	unlock();
	return p;
}

/* Packs "prog a b c" into spawn's strings: the path (prog), then each
 * word, then an empty environment. Returns the size. */
static uint32_t pack_args(char *out, uint32_t cap, const char *line)
{
	uint32_t n = 0;
	while (*line == ' ')
		line++;
	while (line[n] && line[n] != ' ' && n + 1 < cap / 2) {
		out[n] = line[n];
		n++;
	}
	out[n++] = 0;
	while (*line && n + 3 < cap) {
		while (*line == ' ')
			line++;
		if (!*line)
			break;
		while (*line && *line != ' ' && n + 3 < cap)
			out[n++] = *line++;
		out[n++] = 0;
	}
	out[n++] = 0; /* end of arguments */
	out[n++] = 0; /* no environment */
	return n;
}

int main(int argc, char **argv)
{
	const char *init = "init";
	char init_line[256] = "";
	pm.host = 1;
	pm.dm = sprig_start_door;
	for (int i = 1; i < argc; i++) {
		if (!strncmp(argv[i], "host=", 5))
			pm.host = (uint32_t)atoi(argv[i] + 5) & 0xff;
		else if (!strncmp(argv[i], "init=", 5))
			init = argv[i] + 5;
		else {
			strlcpy(init_line + strlen(init_line), " ",
			        sizeof init_line - strlen(init_line));
			strlcpy(init_line + strlen(init_line), argv[i],
			        sizeof init_line - strlen(init_line));
		}
	}
	if (pm.dm < 0) {
		printf("proc: no domain manager: proc must be the first boot module\n");
		return 1;
	}
	pm.devices = kobj_devices(pm.dm);
	pm.watch = door_create(notice_proc, NULL, 0);
	if (pm.devices < 0 || pm.watch < 0 || door_pool_start(4) < 0) {
		printf("proc: cannot start (%d %d)\n", pm.devices, pm.watch);
		return 1;
	}
	printf("proc: host %u, %d programs in the boot image\n", pm.host, bootimg_count());

	char args[300];
	uint32_t n = pack_args(args, sizeof args, "uart");
	static const struct port_range com1[] = {{0x3f8, 8}};
	struct process *uart = boot_spawn(args, n, -1, 4, com1, 1);
	if (!uart) {
		printf("proc: no console driver\n");
		return 1;
	}
	int console = name_lookup("console", 5000);
	if (console < 0) {
		printf("proc: the console driver did not publish \"console\": %s\n",
		       strerror(-console));
		return 1;
	}
	/* The disk driver: it ends by itself when there is no disk. */
	static const struct port_range ide0[] = {{0x1f0, 8}, {0x3f6, 1}};
	n = pack_args(args, sizeof args, "ata");
	struct process *ata = boot_spawn(args, n, console, 14, ide0, 2);
	if (!ata)
		printf("proc: no disk driver; going on without one\n");
	/* The file system mounts the disk if the driver finds one: wait for
	 * it to publish "disk" or to end. */
	int disk = 0;
	for (int tries = 0; ata && tries < 100 && !disk; tries++) {
		int id = name_lookup("disk", 50);
		if (id >= 0) {
			door_close(id);
			disk = 1;
		}
		lock();
		int running = ata->e.used && ata->e.state == PROC_RUNNING;
		unlock();
		if (!running)
			break;
	}
	n = pack_args(args, sizeof args, disk ? "fs disk" : "fs");
	if (!boot_spawn(args, n, console, -1, NULL, 0)) {
		printf("proc: no file system\n");
	} else {
		int fs = name_lookup("fs", 5000);
		pm.fs_up = fs >= 0;
		if (fs >= 0)
			door_close(fs);
	}
	char line[300];
	snprintf(line, sizeof line, "%s%s", init, init_line);
	n = pack_args(args, sizeof args, line);
	struct process *first = boot_spawn(args, n, console, -1, NULL, 0);
	if (!first) {
		shutdown_impl(NULL, NULL, NULL); /* nothing to run: end, not idle */
		pm.init_pid = -1;
	} else {
		pm.init_pid = first->e.pid;
	}
	while (!__atomic_load_n(&pm.shutdown, __ATOMIC_ACQUIRE))
		futex_wait(&pm.shutdown, 0, 0);
	for (;;) { /* until every process has gone */
		lock();
		uint32_t seen = pm.changes;
		int running = 0;
		for (int i = 0; i < PROC_MAX; i++) {
			if (pm.p[i].e.used && pm.p[i].e.state == PROC_RUNNING)
				running++;
			else if (pm.p[i].e.used)
				slot_free(&pm.p[i]);
		}
		unlock();
		if (!running)
			break;
		wait_change(seen);
	}
	uint32_t entries, hits, misses;
	imgcache_stats(&entries, &hits, &misses);
	printf("proc: program images: %u cached, %u loads from the cache, %u misses\n", entries,
	       hits, misses);
	printf("proc: every process has ended; proc ends\n");
	return first ? 0 : 1;
}
