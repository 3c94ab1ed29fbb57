/* SPDX-License-Identifier: MIT */
/*
 * fstest: the file system's semantics and its hostile input, run as init
 * under proc (proc init=fstest). Unix errors for every kind of bad path
 * (ENOENT, EEXIST, ENOTDIR, EISDIR, ENOTEMPTY, EXDEV, ENAMETOOLONG, ELOOP,
 * EINVAL), names with every byte value, ".." at the root and across
 * domains, offsets shared by dup and by a child, O_APPEND, truncation,
 * unlinked open files, pipes (EOF, EPIPE, a blocked reader signalled),
 * and malformed requests at the domain and stream doors. Then it kills
 * the fs domain and checks that its callers get errors, not hangs, and
 * powers off.
 *
 * Prints "fstest CHECK: ok" or "... FAILED (detail)" per check and
 * "fstest: N checks, N failed".
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sprite/fs.h>
#include <sprite/proc.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/c/libc.h"
#include "user/check.h"

int sprig_ps(struct proc_entry *e, int max);
int sprig_poweroff(void);

/* The errno of a call that should fail (0 if it did not). */
#define ERR(call) ((call) < 0 ? errno : 0)

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return -1;
	ssize_t n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

static int read_file(const char *path, char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, cap - 1);
	close(fd);
	buf[n > 0 ? n : 0] = 0;
	return (int)n;
}

static void check_errors(void)
{
	mkdir("/tmp/e", 0755);
	write_file("/tmp/e/file", "x");
	mkdir("/tmp/e/full", 0755);
	write_file("/tmp/e/full/inside", "y");
	check("open of a missing file: ENOENT", ERR(open("/tmp/e/none", O_RDONLY)) == ENOENT, "%d",
	      errno);
	check("a missing directory on the way: ENOENT",
	      ERR(open("/tmp/e/none/x", O_RDONLY | O_CREAT, 0644)) == ENOENT, "%d", errno);
	check("O_CREAT|O_EXCL of an existing file: EEXIST",
	      ERR(open("/tmp/e/file", O_WRONLY | O_CREAT | O_EXCL, 0644)) == EEXIST, "%d", errno);
	check("a file used as a directory: ENOTDIR",
	      ERR(open("/tmp/e/file/x", O_RDONLY)) == ENOTDIR, "%d", errno);
	check("a file named with a trailing slash: ENOTDIR",
	      ERR(open("/tmp/e/file/", O_RDONLY)) == ENOTDIR, "%d", errno);
	check("a directory opened for writing: EISDIR", ERR(open("/tmp/e", O_WRONLY)) == EISDIR,
	      "%d", errno);
	check("mkdir of an existing name: EEXIST", ERR(mkdir("/tmp/e/file", 0755)) == EEXIST, "%d",
	      errno);
	check("rmdir of a full directory: ENOTEMPTY", ERR(rmdir("/tmp/e/full")) == ENOTEMPTY, "%d",
	      errno);
	check("rmdir of a file: ENOTDIR", ERR(rmdir("/tmp/e/file")) == ENOTDIR, "%d", errno);
	check("unlink of a directory: EISDIR", ERR(unlink("/tmp/e/full")) == EISDIR, "%d", errno);
	check("rmdir of \".\": EINVAL", ERR(rmdir("/tmp/e/.")) == EINVAL, "%d", errno);
	check("rename across domains: EXDEV", ERR(rename("/tmp/e/file", "/etc/file")) == EXDEV,
	      "%d", errno);
	check("link across domains: EXDEV", ERR(link("/tmp/e/file", "/etc/file")) == EXDEV, "%d",
	      errno);
	check("a directory renamed into itself: EINVAL",
	      ERR(rename("/tmp/e/full", "/tmp/e/full/sub")) == EINVAL, "%d", errno);
	check("a directory renamed over a file: ENOTDIR",
	      ERR(rename("/tmp/e/full", "/tmp/e/file")) == ENOTDIR, "%d", errno);
	check("a file renamed over a full directory: EISDIR",
	      ERR(rename("/tmp/e/file", "/tmp/e/full")) == EISDIR, "%d", errno);
	check("a hard link to a directory: EPERM", ERR(link("/tmp/e/full", "/tmp/e/dl")) == EPERM,
	      "%d", errno);
	check("a device cannot be removed: EACCES", ERR(unlink("/dev/null")) == EACCES, "%d",
	      errno);
	check("nothing can be made in /dev: EACCES",
	      ERR(open("/dev/new", O_WRONLY | O_CREAT, 0644)) == EACCES, "%d", errno);
	check("an empty path: ENOENT", ERR(open("", O_RDONLY)) == ENOENT, "%d", errno);

	char name[300];
	memset(name, 'n', 256);
	strcpy(name + 256, "");
	char path[400];
	snprintf(path, sizeof path, "/tmp/%s", name);
	check("a 256-byte name: ENAMETOOLONG",
	      ERR(open(path, O_WRONLY | O_CREAT, 0644)) == ENAMETOOLONG, "%d", errno);
	name[255] = 0;
	snprintf(path, sizeof path, "/tmp/%s", name);
	int fd = open(path, O_WRONLY | O_CREAT, 0644);
	check("a 255-byte name is fine", fd >= 0 && unlink(path) == 0, "%d", errno);
	close(fd);
	static char longpath[1200];
	memset(longpath, 'a', sizeof longpath - 1);
	for (int i = 0; i < (int)sizeof longpath - 1; i += 10)
		longpath[i] = '/';
	check("a 1199-byte path: ENAMETOOLONG", ERR(open(longpath, O_RDONLY)) == ENAMETOOLONG, "%d",
	      errno);

	symlink("loop2", "/tmp/e/loop1");
	symlink("loop1", "/tmp/e/loop2");
	check("a loop of symbolic links: ELOOP", ERR(open("/tmp/e/loop1", O_RDONLY)) == ELOOP, "%d",
	      errno);
	symlink("/tmp/e/file", "/tmp/e/abs");
	char buf[64];
	check("a link to an absolute path is followed",
	      read_file("/tmp/e/abs", buf, sizeof buf) == 1, "%d", errno);
	symlink("/etc", "/tmp/e/toetc");
	check("a link into another domain is followed there",
	      write_file("/tmp/e/toetc/via-link", "z") == 0 &&
	              read_file("/etc/via-link", buf, sizeof buf) == 1,
	      "%d", errno);
	struct stat st;
	check("lstat does not follow, stat does",
	      lstat("/tmp/e/abs", &st) == 0 && S_ISLNK(st.st_mode) &&
	              stat("/tmp/e/abs", &st) == 0 && S_ISREG(st.st_mode),
	      "%d", errno);
	ssize_t n = readlink("/tmp/e/abs", buf, sizeof buf);
	check("readlink answers the target", n == 11 && !memcmp(buf, "/tmp/e/file", 11), "%d",
	      (int)n);
	check("readlink of a file: EINVAL", ERR(readlink("/tmp/e/file", buf, sizeof buf)) == EINVAL,
	      "%d", errno);
}

static void check_names(void)
{
	mkdir("/tmp/names", 0755);
	int made = 0, listed = 0;
	for (int c = 1; c < 256; c++) {
		if (c == '/')
			continue;
		char path[32], name[4] = {(char)c, 'x', 0};
		snprintf(path, sizeof path, "/tmp/names/%s", name);
		made += write_file(path, name) == 0;
	}
	DIR *d = opendir("/tmp/names");
	struct dirent *e;
	while (d && (e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			listed++;
	if (d)
		closedir(d);
	check("names with every byte value but NUL and '/' are made and listed",
	      made == 254 && listed == 254, "made %d listed %d", made, listed);
	struct stat st;
	check("\"..\" at the root is the root", stat("/../../tmp/names/ax", &st) == 0, "%d", errno);
	check("\"..\" out of /tmp is /",
	      stat("/tmp/../tmp/names/ax", &st) == 0 && stat("/tmp/names/../../etc", &st) == 0 &&
	              S_ISDIR(st.st_mode),
	      "%d", errno);
}

static void check_offsets(void)
{
	write_file("/tmp/off", "0123456789");
	int fd = open("/tmp/off", O_RDWR);
	int fd2 = dup(fd);
	char a[4] = {0}, b[4] = {0};
	read(fd, a, 3);
	read(fd2, b, 3);
	check("dup shares the offset", !memcmp(a, "012", 3) && !memcmp(b, "345", 3), "%s %s", a, b);
	pid_t pid = fork();
	if (pid == 0) {
		char c[4] = {0};
		read(fd, c, 2);
		_exit(!memcmp(c, "67", 2) ? 0 : 1);
	}
	int st;
	waitpid(pid, &st, 0);
	read(fd, a, 2);
	check("a child shares its parent's offset",
	      WIFEXITED(st) && WEXITSTATUS(st) == 0 && !memcmp(a, "89", 2), "status %#x then %.2s",
	      st, a);
	off_t end = lseek(fd, 0, SEEK_END), back = lseek(fd, -4, SEEK_CUR);
	check("lseek: end and back", end == 10 && back == 6, "%ld %ld", (long)end, (long)back);
	check("lseek before the start: EINVAL", ERR(lseek(fd, -100, SEEK_SET)) == EINVAL, "%d",
	      errno);
	lseek(fd, 20, SEEK_SET);
	write(fd, "!", 1);
	struct stat s;
	fstat(fd, &s);
	char hole[4] = {1, 1, 1, 0};
	lseek(fd, 12, SEEK_SET);
	read(fd, hole, 3);
	check("writing past the end leaves a hole of zeros",
	      s.st_size == 21 && hole[0] == 0 && hole[1] == 0 && hole[2] == 0, "size %ld",
	      (long)s.st_size);
	ftruncate(fd, 4);
	fstat(fd, &s);
	check("ftruncate shrinks", s.st_size == 4, "%ld", (long)s.st_size);
	close(fd);
	close(fd2);

	fd = open("/tmp/off", O_WRONLY | O_APPEND);
	write(fd, "AB", 2);
	lseek(fd, 0, SEEK_SET);
	write(fd, "CD", 2);
	close(fd);
	char buf[16];
	read_file("/tmp/off", buf, sizeof buf);
	check("O_APPEND writes at the end whatever the offset", !strcmp(buf, "0123ABCD"), "%s",
	      buf);

	fd = open("/tmp/off", O_RDONLY);
	unlink("/tmp/off");
	int n = (int)read(fd, buf, 4);
	check("an unlinked file stays readable while open", n == 4 && !memcmp(buf, "0123", 4), "%d",
	      n);
	close(fd);
	check("and is gone by name", ERR(open("/tmp/off", O_RDONLY)) == ENOENT, "%d", errno);
	fd = open("/tmp/e/file", O_RDONLY);
	check("a read-only stream refuses writes: EBADF", ERR(write(fd, "x", 1)) == EBADF, "%d",
	      errno);
	close(fd);
}

static volatile int got_usr1;

static void on_usr1(int sig)
{
	got_usr1 = sig;
}

static void check_pipes(void)
{
	int p[2];
	check("pipe", pipe(p) == 0, "%d", errno);
	write(p[1], "abc", 3);
	close(p[1]);
	char buf[8];
	int n1 = (int)read(p[0], buf, sizeof buf), n2 = (int)read(p[0], buf, sizeof buf);
	check("a pipe gives what was written, then end of file when no writer is left",
	      n1 == 3 && n2 == 0, "%d %d", n1, n2);
	close(p[0]);

	pipe(p);
	close(p[0]);
	sleep_ms(50); /* the reader's end goes when fs hears its last reference went */
	check("a write with no reader left: EPIPE", ERR(write(p[1], "x", 1)) == EPIPE, "%d", errno);
	close(p[1]);

	pipe(p);
	pid_t pid = fork();
	if (pid == 0) { /* a big write through a small buffer: the reader drains it */
		close(p[0]);
		static char big[20000];
		memset(big, 'q', sizeof big);
		_exit(write(p[1], big, sizeof big) == (ssize_t)sizeof big ? 0 : 1);
	}
	close(p[1]);
	long total = 0;
	ssize_t n;
	static char in[3000];
	while ((n = read(p[0], in, sizeof in)) > 0)
		total += n;
	int st;
	waitpid(pid, &st, 0);
	check("20000 bytes through a pipe, writer blocked until read",
	      total == 20000 && WIFEXITED(st) && WEXITSTATUS(st) == 0, "%ld status %#x", total, st);
	close(p[0]);

	pipe(p);
	pid = fork();
	if (pid == 0) {
		close(p[1]);
		signal(SIGUSR1, on_usr1);
		ssize_t r = read(p[0], buf, 1); /* blocks: the writer never writes */
		_exit(r < 0 && errno == EINTR ? 40 : 41);
	}
	sleep_ms(200);
	kill(pid, SIGUSR1);
	waitpid(pid, &st, 0);
	check("a caught signal ends a blocked pipe read: EINTR",
	      WIFEXITED(st) && WEXITSTATUS(st) == 40, "status %#x", st);
	pid = fork();
	if (pid == 0) {
		close(p[1]);
		read(p[0], buf, 1);
		_exit(1);
	}
	sleep_ms(200);
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	check("a process blocked in a pipe read is killed",
	      WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "status %#x", st);
	close(p[0]);
	close(p[1]);
}

static void check_hostile(void)
{
	int fs = name_lookup("fs", 1000);
	int32_t rep[16] = {0};
	uint32_t msg[8] = {1, 0, 0, 0xffffffffu, 0, 0, 0, 0};
	door_arg_t a = {msg, 2, NULL, 0, rep, sizeof rep, NULL, 0};
	int err = door_call(fs, &a);
	check("hostile: a 2-byte request to fs is refused", err == 0 && rep[0] == -EINVAL, "%d %d",
	      err, rep[0]);
	/* open with a path that has no NUL and a huge out_cap */
	struct {
		uint32_t op, flags, mode, out_cap;
		char path[8];
	} op = {1, 0, 0, 0xffffffffu, {'t', 'm', 'p', '/', 'x', 'y', 'z', 'w'}};
	a = (door_arg_t){&op, sizeof op, NULL, 0, rep, sizeof rep, NULL, 0};
	err = door_call(fs, &a);
	check("hostile: an unterminated path is taken as it is: redirected to /tmp",
	      err == 0 && rep[0] == FS_REDIRECT && !strcmp((char *)&rep[2], "/tmp/xyzw"), "%d %d",
	      err, rep[0]);
	struct fs_none none = {0};
	struct door_binding b;
	door_bind_remote(&b, fs);
	struct door_io io = {"", 0, NULL, 0, 0, -1, 0, -1, 0, NULL};
	err = fs_open(&b, &(struct fs_open_in){3, 0}, &none, &io);
	check("hostile: open with no path: ENOENT", err == -ENOENT, "%d", err);
	io = (struct door_io){"tmp", 4, NULL, 0, 0, -1, 0, -1, 0, NULL};
	err = fs_open(&b, &(struct fs_open_in){FS_O_ACCMODE, 0}, &none, &io);
	check("hostile: open with access mode 3: EINVAL", err == -EINVAL, "%d", err);
	io = (struct door_io){"tmp", 4, NULL, 0, 0, -1, 0, -1, 0, NULL};
	err = fs_rename(&b, &none, &none, &io);
	check("hostile: rename with one path: EINVAL", err == -EINVAL, "%d", err);
	io = (struct door_io){NULL, 0, NULL, 0, 0, -1, 0, -1, 0, NULL};
	err = fs_prefix(&b, &(struct fs_index_in){99}, &none, &io);
	check("hostile: prefix 99: ENOENT", err == -ENOENT, "%d", err);

	int fd = open("/tmp/e", O_RDONLY);
	int sd = fd_door(fd);
	struct stream_none sn = {0};
	struct door_binding sb;
	door_bind_remote(&sb, sd);
	char small[4];
	io = (struct door_io){NULL, 0, small, sizeof small, 0, -1, 0, -1, 0, NULL};
	err = stream_readdir(&sb, &sn, &sn, &io);
	check("hostile: readdir into 4 bytes answers nothing", err == 0 && io.out_size == 0, "%d",
	      err);
	err = stream_read(&sb, &sn, &sn, &io);
	check("hostile: read of a directory: EISDIR", err == -EISDIR, "%d", err);
	struct stream_pos pos;
	err = stream_lseek(&sb, &(struct stream_seek){0, 7}, &pos);
	check("hostile: lseek with whence 7: EINVAL", err == -EINVAL, "%d", err);
	err = stream_pipe_writer(&sb, &sn, &sn, &io);
	check("hostile: pipe_writer on a directory: EINVAL", err == -EINVAL, "%d", err);
	close(fd);
	door_close(fs);
}

/* Kills fs: its callers get errors, not hangs. */
static void check_fs_death(void)
{
	static struct proc_entry e[PROC_MAX];
	int n = sprig_ps(e, PROC_MAX);
	pid_t fs = 0;
	for (int i = 0; i < n; i++)
		if (!strcmp(e[i].name, "fs"))
			fs = e[i].pid;
	int fd = open("/tmp/e/file", O_RDONLY);
	sync(); /* on a disk, what was written is there for the host's e2fsck */
	int err = kill(fs, SIGKILL);
	sleep_ms(200);
	char buf[4];
	int r = ERR(read(fd, buf, 1));
	int o = ERR(open("/tmp/e/file", O_RDONLY));
	check("fs killed: reads of its streams and opens fail, nothing hangs",
	      fs && err == 0 && r == EBADF && o == EBADF, "kill %d read %d open %d", err, r, o);
}

int main(void)
{
	check_start("fstest", CHECK_PAREN);
	check_errors();
	check_names();
	check_offsets();
	check_pipes();
	check_hostile();
	check_fs_death();
	printf("fstest: %d checks, %d failed\n", checks, failures);
	fflush(stdout);
	sprig_poweroff();
	return failures != 0;
}
