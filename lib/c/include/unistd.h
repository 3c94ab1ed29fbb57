/* SPDX-License-Identifier: MIT */
/*
 * POSIX process and descriptor calls (lib/c/fd.c, lib/c/proc.c). They
 * return -1 and set errno on failure. A descriptor is a door to a stream
 * (include/sprite/stream.h); the process calls go to the process manager
 * through this process's own door to it.
 */
#ifndef SPRIG_UNISTD_H
#define SPRIG_UNISTD_H

#include <sys/types.h>

#define STDIN_FILENO  0
#define STDOUT_FILENO 1
#define STDERR_FILENO 2
#define OPEN_MAX      32 /* descriptors per process */

extern char **environ;

ssize_t read(int fd, void *buf, size_t n);
ssize_t write(int fd, const void *buf, size_t n);
int close(int fd);
int dup(int fd);
int dup2(int fd, int to);
int isatty(int fd);
int fd_door(int fd); /* the door id behind fd, or -1 */
off_t lseek(int fd, off_t off, int whence);
int ftruncate(int fd, off_t size);
int truncate(const char *path, off_t size);
int pipe(int fds[2]);
int unlink(const char *path);
int rmdir(const char *path);
int link(const char *from, const char *to);
int symlink(const char *target, const char *path);
ssize_t readlink(const char *path, char *buf, size_t size);
int chdir(const char *path);
char *getcwd(char *buf, size_t size);
int access(const char *path, int mode);
void sync(void);
int fsync(int fd);

#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2
#define F_OK     0
#define X_OK     1
#define W_OK     2
#define R_OK     4
int fd_install(int door); /* a descriptor for a door this process holds */

pid_t getpid(void);
pid_t getppid(void);
pid_t getpgrp(void);
int setpgid(pid_t pid, pid_t pgid);
pid_t tcgetpgrp(int fd);
int tcsetpgrp(int fd, pid_t pgrp);
pid_t fork(void);
/* Sprite's shared fork: the child shares all memory but its stack, and
 * every global with it (its descriptors, stdio, its door to proc are the
 * parent's ids, which its own door table does not hold): it may compute
 * in shared memory and _exit, little else. */
pid_t sfork(void);
int execv(const char *path, char *const argv[]);
int execve(const char *path, char *const argv[], char *const envp[]);
int execvp(const char *file, char *const argv[]);
pid_t spawnv(const char *path, char *const argv[]); /* fork + exec in one call */
pid_t spawnvfd(const char *path, char *const argv[], const int fds[3]); /* 0-2: fds */
void _exit(int status) __attribute__((noreturn));
unsigned sleep(unsigned seconds);
int usleep(useconds_t usec);
int gethostid(void);

#endif
