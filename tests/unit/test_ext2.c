/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for servers/fs/ext2.c against images that e2fsprogs makes and
 * checks: mke2fs -d trees read back (1 and 4 KiB blocks, 128- and 256-byte
 * inodes, revision 0, an htree directory, a sparse file reaching triply
 * indirect blocks); files and directories written, renamed, linked,
 * truncated and removed, then `e2fsck -fn` clean and `debugfs cat` giving
 * the bytes back; every Unix error; a full disk losing nothing; refused
 * features and garbage; and a seeded fuzz run over mutated images whose
 * device callback fails the test on any access outside the image.
 *
 * The images live in build/test/ext2 (EXT2_TEST_DIR); the test runs the
 * e2fsprogs commands with system(). EXT2_FUZZ_SEED and EXT2_FUZZ_ROUNDS
 * change the fuzz run.
 */
#undef vsnprintf
#undef snprintf
#undef format
#define _GNU_SOURCE

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <fcntl.h>
#include <unistd.h>

#include "tests/unit/host.h"
#include "servers/fs/ext2.h"
#include <sprig/errno.h>

#define KiB 1024ull
#define MiB (1024ull * 1024)
#define GiB (1024ull * MiB)

static char dir[256];

/* Failed tests leave their images allocated: no leak reports. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "detect_leaks=0";
}
static char cmd[4096];

/* ---- a device in memory, which checks every access ---- */

struct memdev {
	uint8_t *data;
	uint64_t size;
	long calls, budget;      /* budget: most calls allowed (0: no limit) */
	int fail;                /* reads fail: an I/O error */
	long writes, fail_write; /* write call number fail_write fails (0: none) */
	int failed;              /* writes made to fail */
};

static void memdev_check(struct memdev *m, uint64_t off, uint32_t len, const char *what)
{
	if (off > m->size || len > m->size - off)
		fail_msg("%s of %u bytes at %llu: outside the %llu-byte device", what, len,
		         (unsigned long long)off, (unsigned long long)m->size);
	if (m->budget && ++m->calls > m->budget)
		fail_msg("more than %ld device calls: a hang?", m->budget);
}

static int memdev_read(void *ctx, uint64_t off, void *buf, uint32_t len)
{
	struct memdev *m = ctx;
	memdev_check(m, off, len, "read");
	if (m->fail)
		return -EIO;
	memcpy(buf, m->data + off, len);
	return 0;
}

/* The device's bytes in place, as the block cache gives them: one ext2
 * block at most (a cache block holds whole ones). */
static int memdev_peek(void *ctx, uint64_t off, uint32_t len, const void **at)
{
	struct memdev *m = ctx;
	memdev_check(m, off, len, "peek");
	if (len > 4096 || off / 4096 != (off + len - 1) / 4096)
		fail_msg("peek of %u bytes at %llu: more than a cache block", len,
		         (unsigned long long)off);
	if (m->fail)
		return -EIO;
	*at = m->data + off;
	return 0;
}

static int memdev_write(void *ctx, uint64_t off, const void *buf, uint32_t len)
{
	struct memdev *m = ctx;
	memdev_check(m, off, len, "write");
	if (m->fail_write && ++m->writes == m->fail_write) {
		m->failed++;
		return -EIO;
	}
	memcpy(m->data + off, buf, len);
	return 0;
}

static uint32_t memdev_now(void *ctx)
{
	(void)ctx;
	return (uint32_t)time(NULL);
}

static struct ext2_dev memdev_dev(struct memdev *m)
{
	return (struct ext2_dev){m, m->size, memdev_read, memdev_write, memdev_now, memdev_peek};
}

static char *path_of(const char *name)
{
	static char buf[4][512];
	static int i;
	i = (i + 1) % 4;
	snprintf(buf[i], sizeof buf[i], "%s/%s", dir, name);
	return buf[i];
}

static void memdev_load(struct memdev *m, const char *img)
{
	FILE *f = fopen(path_of(img), "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	m->size = (uint64_t)ftell(f);
	fseek(f, 0, SEEK_SET);
	m->data = malloc(m->size);
	assert_non_null(m->data);
	assert_int_equal(fread(m->data, 1, m->size, f), m->size);
	fclose(f);
	m->calls = m->budget = m->fail = 0;
	m->writes = m->fail_write = m->failed = 0;
}

static void memdev_save(struct memdev *m, const char *img)
{
	FILE *f = fopen(path_of(img), "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(m->data, 1, m->size, f), m->size);
	fclose(f);
}

/* ---- e2fsprogs ---- */

#define E2PATH "PATH=$PATH:/usr/sbin:/sbin "

static int run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int run(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	int st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

/* mke2fs -t ext2 with opts over the tree src (NULL: empty) into img. */
static void mkfs(const char *img, const char *opts, const char *size, const char *src)
{
	int st = run(E2PATH "mke2fs -q -F %s %s %s%s %s %s >%s 2>&1",
	             strstr(opts, "-t ") ? "" : "-t ext2", opts, src ? "-d " : "",
	             src ? path_of(src) : "", path_of(img), size, path_of("mkfs.log"));
	if (st != 0)
		fail_msg("mke2fs %s: status %d (%s)", opts, st, path_of("mkfs.log"));
}

static char fsck_what[128]; /* what led to the image, for a failure's message */

/* e2fsck -fn on img must find nothing; else its report is shown. */
static void fsck_clean(const char *img)
{
	int st = run(E2PATH "e2fsck -fn %s >%s 2>&1", path_of(img), path_of("fsck.log"));
	if (st != 0) {
		run("cat %s", path_of("fsck.log"));
		fail_msg("e2fsck -fn %s: status %d %s", img, st, fsck_what);
	}
}

/* What debugfs's cat gives for path in img (malloc'd, length in *len). */
static uint8_t *debugfs_cat(const char *img, const char *path, size_t *len)
{
	snprintf(cmd, sizeof cmd, E2PATH "debugfs -R 'cat %s' %s 2>/dev/null", path, path_of(img));
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	size_t cap = 1 << 16, n = 0, k;
	uint8_t *buf = malloc(cap);
	while ((k = fread(buf + n, 1, cap - n, p)) > 0) {
		n += k;
		if (n == cap)
			buf = realloc(buf, cap *= 2);
	}
	pclose(p);
	*len = n;
	return buf;
}

/* ---- contents ---- */

/* A seeded generator, the same on every host. */
static uint64_t rng;
static uint32_t rnd(void)
{
	rng = rng * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)(rng >> 33);
}

static uint8_t pattern(uint64_t off, unsigned seed)
{
	return (uint8_t)(off * 131 + seed * 7 + (off >> 10) * 3 + (off >> 20));
}

static void fill(uint8_t *buf, uint64_t off, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		buf[i] = pattern(off + i, seed);
}

static int matches(const uint8_t *buf, uint64_t off, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		if (buf[i] != pattern(off + i, seed))
			return 0;
	return 1;
}

static void host_write(const char *name, uint64_t off, size_t n, unsigned seed)
{
	uint8_t *buf = malloc(n ? n : 1);
	fill(buf, off, n, seed);
	int fd = open(path_of(name), O_WRONLY | O_CREAT, 0644);
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, buf, n, (off_t)off), (ssize_t)n);
	close(fd);
	free(buf);
}

/* ---- paths ---- */

/* The inode of an absolute path; a negative errno. */
static int walk(struct ext2 *fs, const char *path, uint32_t *ino)
{
	uint32_t cur = EXT2_ROOT_INO;
	while (*path) {
		while (*path == '/')
			path++;
		size_t n = strcspn(path, "/");
		if (n) {
			int r = ext2_lookup(fs, cur, path, (uint32_t)n, &cur);
			if (r)
				return r;
		}
		path += n;
	}
	*ino = cur;
	return 0;
}

static uint32_t ino_of(struct ext2 *fs, const char *path)
{
	uint32_t ino = 0;
	int r = walk(fs, path, &ino);
	if (r)
		fail_msg("%s: %d", path, r);
	return ino;
}

/* Splits path into its directory's inode and its last name. */
static uint32_t parent_of(struct ext2 *fs, const char *path, const char **name)
{
	char d[512];
	const char *slash = strrchr(path, '/');
	snprintf(d, sizeof d, "%.*s", (int)(slash - path), path);
	*name = slash + 1;
	return ino_of(fs, d[0] ? d : "/");
}

static uint32_t mk(struct ext2 *fs, const char *path, uint16_t mode)
{
	const char *name;
	uint32_t d = parent_of(fs, path, &name), ino = 0;
	int r = ext2_create(fs, d, name, (uint32_t)strlen(name), mode, &ino);
	if (r)
		fail_msg("create %s: %d", path, r);
	return ino;
}

static int rm(struct ext2 *fs, const char *path)
{
	const char *name;
	uint32_t d = parent_of(fs, path, &name);
	return ext2_unlink(fs, d, name, (uint32_t)strlen(name));
}

static int rmd(struct ext2 *fs, const char *path)
{
	const char *name;
	uint32_t d = parent_of(fs, path, &name);
	return ext2_rmdir(fs, d, name, (uint32_t)strlen(name));
}

static int mv(struct ext2 *fs, const char *from, const char *to)
{
	const char *f, *t;
	uint32_t fd = parent_of(fs, from, &f), td = parent_of(fs, to, &t);
	return ext2_rename(fs, fd, f, (uint32_t)strlen(f), td, t, (uint32_t)strlen(t));
}

/* Writes n pattern bytes at off in chunks of `chunk` (odd sizes cross blocks). */
static void write_pattern(struct ext2 *fs, uint32_t ino, uint64_t off, size_t n, unsigned seed,
                          size_t chunk)
{
	uint8_t *buf = malloc(chunk);
	for (size_t done = 0; done < n;) {
		size_t k = n - done < chunk ? n - done : chunk;
		fill(buf, off + done, k, seed);
		int r = ext2_write(fs, ino, off + done, buf, (uint32_t)k);
		if (r != (int)k)
			fail_msg("write ino %u at %llu: %d", ino, (unsigned long long)(off + done),
			         r);
		done += k;
	}
	free(buf);
}

/* ext2_peek gives [off, off+n) as ext2_read does, a block at a time, and
 * refuses a range across blocks. */
static void check_peek(struct ext2 *fs, uint32_t ino, uint64_t off, size_t n, const uint8_t *want)
{
	for (size_t done = 0; done < n;) {
		uint64_t pos = off + done;
		uint32_t in_block = fs->bsize - (uint32_t)(pos & (fs->bsize - 1));
		uint32_t k = n - done < in_block ? (uint32_t)(n - done) : in_block;
		const void *at = NULL;
		int r = ext2_peek(fs, ino, pos, k, &at);
		if (r != (int)k || memcmp(at, want + done, k))
			fail_msg("peek ino %u at %llu: %d, or other bytes than read's", ino,
			         (unsigned long long)pos, r);
		if (k == in_block && done + k < n)
			assert_int_equal(ext2_peek(fs, ino, pos, k + 1, &at), -ENOSYS);
		done += k;
	}
}

/* The file's bytes [off, off+n) are the pattern (seed < 0: zeros). */
static void check_bytes(struct ext2 *fs, uint32_t ino, uint64_t off, size_t n, int seed)
{
	uint8_t *buf = malloc(n + 1);
	int r = ext2_read(fs, ino, off, buf, (uint32_t)n);
	assert_int_equal(r, (int)n);
	check_peek(fs, ino, off, n, buf);
	for (size_t i = 0; i < n; i++) {
		uint8_t want = seed < 0 ? 0 : pattern(off + i, (unsigned)seed);
		if (buf[i] != want)
			fail_msg("ino %u byte %llu: %#x, not %#x", ino,
			         (unsigned long long)(off + i), buf[i], want);
	}
	free(buf);
}

static uint64_t size_of(struct ext2 *fs, uint32_t ino)
{
	struct ext2_stat st;
	assert_int_equal(ext2_stat(fs, ino, &st), 0);
	return st.size;
}

static uint16_t nlink_of(struct ext2 *fs, const char *path)
{
	struct ext2_stat st;
	assert_int_equal(ext2_stat(fs, ino_of(fs, path), &st), 0);
	return st.nlink;
}

/* ---- the tree mke2fs -d copies ---- */

/* Sparse pieces: direct, then singly, doubly and triply indirect blocks for
 * both 1 KiB blocks (triple past 64.3 MiB) and 4 KiB (past 4 GiB). */
static const uint64_t sparse_at[] = {0, 20 * KiB, 2 * MiB, 70 * MiB, 5 * GiB};
#define SPARSE_PIECE 3000
#define SPARSE_SIZE  (5 * GiB + SPARSE_PIECE)
#define BIG_FILES    300
static const char long_target[] = "a/very/long/symbolic/link/target/that/does/not/fit/in/the/"
                                  "sixty/bytes/of/an/inode/so/it/takes/a/block/of/its/own";

static void make_tree(void)
{
	char name[64];
	run("rm -rf %s && mkdir -p %s/big %s/dir/sub/deep %s/emptydir", path_of("src"),
	    path_of("src"), path_of("src"), path_of("src"));
	FILE *f = fopen(path_of("src/hello.txt"), "w");
	fputs("hello, world\n", f);
	fclose(f);
	host_write("src/small", 0, 5000, 1);
	host_write("src/multi", 0, 300 * KiB, 2);
	host_write("src/dir/sub/deep/file", 0, 70000, 3);
	host_write("src/empty", 0, 0, 0);
	for (size_t i = 0; i < sizeof sparse_at / sizeof *sparse_at; i++)
		host_write("src/sparse", sparse_at[i], SPARSE_PIECE, 4);
	for (int i = 0; i < BIG_FILES; i++) {
		snprintf(name, sizeof name, "src/big/file-%03d", i);
		f = fopen(path_of(name), "w");
		fprintf(f, "content %d\n", i);
		fclose(f);
	}
	assert_int_equal(symlink("hello.txt", path_of("src/short-link")), 0);
	assert_int_equal(symlink(long_target, path_of("src/long-link")), 0);
}

static int group_setup(void **state)
{
	(void)state;
	const char *d = getenv("EXT2_TEST_DIR");
	snprintf(dir, sizeof dir, "%s", d ? d : "build/test/ext2");
	if (run("mkdir -p %s", dir))
		return -1;
	make_tree();
	return 0;
}

static struct ext2 fs; /* 20 KiB: not on the stack */
static struct memdev md;

static void mount_rw(const char *img)
{
	memdev_load(&md, img);
	struct ext2_dev dev = memdev_dev(&md);
	int r = ext2_mount(&fs, &dev, 0);
	if (r)
		fail_msg("mount %s: %d (%s)", img, r, fs.why);
}

static void unmount_save(const char *img)
{
	assert_int_equal(ext2_sync(&fs), 0);
	memdev_save(&md, img);
	free(md.data);
	md.data = NULL;
}

/* ---- reading what mke2fs made ---- */

static void check_tree(struct ext2 *f)
{
	uint8_t buf[64];
	uint32_t ino = ino_of(f, "/hello.txt");
	assert_int_equal(ext2_read(f, ino, 0, buf, sizeof buf), 13);
	assert_memory_equal(buf, "hello, world\n", 13);
	assert_int_equal(ext2_read(f, ino, 13, buf, sizeof buf), 0);
	ino = ino_of(f, "/small");
	assert_int_equal(size_of(f, ino), 5000);
	check_bytes(f, ino, 0, 5000, 1);
	ino = ino_of(f, "/multi");
	check_bytes(f, ino, 0, 300 * KiB, 2);
	check_bytes(f, ino_of(f, "/dir/sub/deep/file"), 0, 70000, 3);
	check_bytes(f, ino_of(f, "dir/sub/../sub/deep/./file"), 69000, 1000, 3);
	assert_int_equal(size_of(f, ino_of(f, "/empty")), 0);
	ino = ino_of(f, "/sparse");
	assert_int_equal(size_of(f, ino), SPARSE_SIZE);
	for (size_t i = 0; i < sizeof sparse_at / sizeof *sparse_at; i++) {
		check_bytes(f, ino, sparse_at[i], SPARSE_PIECE, 4);
		if (i + 1 < sizeof sparse_at / sizeof *sparse_at)
			check_bytes(f, ino, sparse_at[i] + SPARSE_PIECE, 5000, -1); /* a hole */
	}
	char link[256];
	assert_int_equal(ext2_readlink(f, ino_of(f, "/short-link"), link, sizeof link), 9);
	assert_memory_equal(link, "hello.txt", 9);
	int n = ext2_readlink(f, ino_of(f, "/long-link"), link, sizeof link);
	assert_int_equal(n, strlen(long_target));
	assert_memory_equal(link, long_target, n);
	assert_int_equal(ext2_readlink(f, ino_of(f, "/long-link"), link, 10), -ERANGE);
	struct ext2_stat st;
	assert_int_equal(ext2_stat(f, EXT2_ROOT_INO, &st), 0);
	assert_int_equal(st.mode & EXT2_S_IFMT, EXT2_S_IFDIR);
	assert_int_equal(st.nlink, 6); /* ., .., lost+found, big, dir, emptydir */
	assert_int_equal(ext2_stat(f, ino_of(f, "/multi"), &st), 0);
	assert_true(st.blocks >= 300 * 2 && st.mtime != 0);
}

/* Every name of /big, by readdir and by lookup. */
static void check_big_dir(struct ext2 *f, int files)
{
	uint32_t d = ino_of(f, "/big");
	static char seen[BIG_FILES];
	memset(seen, 0, sizeof seen);
	struct ext2_dirent e;
	uint64_t pos = 0;
	int n = 0, r, dots = 0;
	while ((r = ext2_readdir(f, d, &pos, &e)) == 1) {
		int i;
		if (!strcmp(e.name, ".") || !strcmp(e.name, "..")) {
			dots++;
			continue;
		}
		assert_int_equal(sscanf(e.name, "file-%d", &i), 1);
		assert_true(i >= 0 && i < BIG_FILES && !seen[i]);
		assert_int_equal(e.type, EXT2_FT_REG);
		seen[i] = 1;
		n++;
		uint32_t ino;
		assert_int_equal(ext2_lookup(f, d, e.name, e.name_len, &ino), 0);
		assert_int_equal(ino, e.ino);
	}
	assert_int_equal(r, 0);
	assert_int_equal(dots, 2);
	assert_int_equal(n, files);
}

static void test_reads_mke2fs_images(void **state)
{
	(void)state;
	static const char *opts[] = {"-b 1024", "-b 1024 -I 128", "-b 4096", "-b 4096 -I 128",
	                             "-b 2048"};
	for (size_t i = 0; i < sizeof opts / sizeof *opts; i++) {
		mkfs("read.img", opts[i], "16M", "src");
		fsck_clean("read.img");
		mount_rw("read.img");
		check_tree(&fs);
		check_big_dir(&fs, BIG_FILES);
		struct ext2_statfs s;
		assert_int_equal(ext2_statfs(&fs, &s), 0);
		assert_true(s.bfree > 0 && s.bfree < s.blocks && s.ifree < s.inodes);
		unmount_save("read.img");
		fsck_clean("read.img"); /* mounting changed nothing */
	}
}

/* mke2fs indexes a 300-entry directory (dir_index): it reads as a linear
 * one, and changing it clears the index flag, which e2fsck accepts. */
static void test_htree_directory(void **state)
{
	(void)state;
	char name[64];
	for (int bs = 1024; bs <= 4096; bs *= 4) {
		snprintf(name, sizeof name, "-b %d", bs);
		mkfs("htree.img", name, "16M", "src");
		assert_true(run(E2PATH "e2fsck -fyD %s >/dev/null 2>&1", path_of("htree.img")) <=
		            1);
		mount_rw("htree.img");
		struct ext2_stat st;
		uint32_t d = ino_of(&fs, "/big");
		assert_int_equal(ext2_stat(&fs, d, &st), 0);
		assert_true(st.flags & EXT2_INDEX_FL);
		check_big_dir(&fs, BIG_FILES);
		for (int i = 0; i < BIG_FILES; i += 2) {
			snprintf(name, sizeof name, "file-%03d", i);
			assert_int_equal(ext2_unlink(&fs, d, name, (uint32_t)strlen(name)), 0);
		}
		for (int i = 0; i < 100; i++) {
			uint32_t ino;
			snprintf(name, sizeof name, "a-new-name-%d", i);
			assert_int_equal(
			        ext2_create(&fs, d, name, (uint32_t)strlen(name), 0644, &ino), 0);
		}
		assert_int_equal(ext2_stat(&fs, d, &st), 0);
		assert_false(st.flags & EXT2_INDEX_FL);
		assert_int_equal(ext2_lookup(&fs, d, "file-001", 8, &d), 0);
		unmount_save("htree.img");
		fsck_clean("htree.img");
	}
}

/* A revision-0 image: no features, 128-byte inodes, no file types. */
static void test_revision_0(void **state)
{
	(void)state;
	mkfs("rev0.img", "-r 0 -b 1024", "8M", NULL);
	mount_rw("rev0.img");
	uint32_t ino = mk(&fs, "/d", EXT2_S_IFDIR | 0755);
	mk(&fs, "/d/f", 0644);
	write_pattern(&fs, ino_of(&fs, "/d/f"), 0, 100 * KiB, 9, 4000);
	struct ext2_dirent e;
	uint64_t pos = 0;
	assert_int_equal(ext2_readdir(&fs, ino, &pos, &e), 1);
	assert_int_equal(e.type, EXT2_FT_UNKNOWN);
	assert_int_equal(ext2_truncate(&fs, ino_of(&fs, "/d/f"), 3 * GiB), -EFBIG);
	unmount_save("rev0.img");
	fsck_clean("rev0.img");
	size_t n;
	uint8_t *got = debugfs_cat("rev0.img", "/d/f", &n);
	assert_int_equal(n, 100 * KiB);
	assert_true(matches(got, 0, n, 9));
	free(got);
}

/* ---- writing ---- */

struct wfile {
	const char *path;
	uint64_t size;
	unsigned seed;
	size_t chunk;
};

static const struct wfile wfiles[] = {
        {"/a/one-byte", 1, 11, 1},
        {"/a/b/block", 1024, 12, 1024},
        {"/a/b/block-plus", 1025, 13, 100},
        {"/a/b/c/twelve", 12 * KiB, 14, 777},
        {"/a/b/c/twelve-plus", 12 * KiB + 1, 15, 4096},
        {"/a/single", 200 * KiB, 16, 3333},
        {"/double", 1300 * KiB, 17, 65536},
        {"/x/y/z", 5000, 18, 5000},
};

static void test_write_then_e2fsck_and_debugfs(void **state)
{
	(void)state;
	static const char *cfg[][2] = {
	        {"-b 1024", "24M"}, {"-b 4096", "32M"}, {"-b 1024 -I 128", "24M"}};
	for (size_t c = 0; c < 3; c++) {
		mkfs("write.img", cfg[c][0], cfg[c][1], NULL);
		mount_rw("write.img");
		uint32_t ino;
		mk(&fs, "/a", EXT2_S_IFDIR | 0755);
		mk(&fs, "/a/b", EXT2_S_IFDIR | 0700);
		mk(&fs, "/a/b/c", EXT2_S_IFDIR | 0755);
		mk(&fs, "/x", EXT2_S_IFDIR | 0755);
		mk(&fs, "/x/y", EXT2_S_IFDIR | 0755);
		for (size_t i = 0; i < sizeof wfiles / sizeof *wfiles; i++) {
			const struct wfile *w = &wfiles[i];
			ino = mk(&fs, w->path, 0644);
			write_pattern(&fs, ino, 0, w->size, w->seed, w->chunk);
		}
		/* A sparse file with a piece at each level of the map. */
		ino = mk(&fs, "/sparse", 0600);
		for (size_t i = 0; i < sizeof sparse_at / sizeof *sparse_at; i++)
			write_pattern(&fs, ino, sparse_at[i], SPARSE_PIECE, 4, 1000);
		assert_int_equal(size_of(&fs, ino), SPARSE_SIZE);
		for (size_t i = 0; i < sizeof sparse_at / sizeof *sparse_at; i++) {
			check_bytes(&fs, ino, sparse_at[i], SPARSE_PIECE, 4);
			if (i + 1 < sizeof sparse_at / sizeof *sparse_at)
				check_bytes(&fs, ino, sparse_at[i] + SPARSE_PIECE, 3000, -1);
		}
		/* Overwrites in the middle, across block boundaries. */
		ino = ino_of(&fs, "/double");
		write_pattern(&fs, ino, 1000, 50000, 17, 999);
		/* Links. */
		assert_int_equal(ext2_link(&fs, ino_of(&fs, "/x"), "double-again", 12, ino), 0);
		assert_int_equal(nlink_of(&fs, "/double"), 2);
		assert_int_equal(ino_of(&fs, "/x/double-again"), ino);
		/* Symbolic links. */
		uint32_t sl;
		assert_int_equal(ext2_symlink(&fs, ino_of(&fs, "/a"), "fast", 4, "b/block", 7, &sl),
		                 0);
		assert_int_equal(ext2_symlink(&fs, ino_of(&fs, "/a"), "slow", 4, long_target,
		                              (uint32_t)strlen(long_target), &sl),
		                 0);
		/* Many names in one directory: blocks split, merged, reused. */
		uint32_t many = mk(&fs, "/many", EXT2_S_IFDIR | 0755);
		char name[300];
		for (int i = 0; i < 400; i++) {
			snprintf(name, sizeof name, "entry-with-a-longish-name-%d", i);
			assert_int_equal(
			        ext2_create(&fs, many, name, (uint32_t)strlen(name), 0644, &ino),
			        0);
			if (i % 7 == 0)
				write_pattern(&fs, ino, 0, 2000, (unsigned)i, 2000);
		}
		for (int i = 0; i < 400; i += 3) {
			snprintf(name, sizeof name, "entry-with-a-longish-name-%d", i);
			assert_int_equal(ext2_unlink(&fs, many, name, (uint32_t)strlen(name)), 0);
		}
		for (int i = 0; i < 100; i++) {
			snprintf(name, sizeof name, "n%d", i);
			assert_int_equal(
			        ext2_create(&fs, many, name, (uint32_t)strlen(name), 0644, &ino),
			        0);
		}
		memset(name, 'L', 255);
		assert_int_equal(ext2_create(&fs, many, name, 255, 0644, &ino), 0);
		/* Renames: in a directory, across, over a file, a directory moved
		 * (its ".." follows), over an empty directory, hard links. */
		assert_int_equal(mv(&fs, "/a/one-byte", "/a/renamed"), 0);
		assert_int_equal(mv(&fs, "/a/renamed", "/x/y/moved"), 0);
		assert_int_equal(mv(&fs, "/a/b/block", "/x/y/z"), 0); /* replaces z */
		assert_int_equal(size_of(&fs, ino_of(&fs, "/x/y/z")), 1024);
		assert_int_equal(nlink_of(&fs, "/a"), 3);
		assert_int_equal(mv(&fs, "/a/b", "/x/b2"), 0);
		assert_int_equal(nlink_of(&fs, "/a"), 2);
		assert_int_equal(nlink_of(&fs, "/x"), 4);
		assert_int_equal(ino_of(&fs, "/x/b2/c/.."), ino_of(&fs, "/x/b2"));
		assert_int_equal(ino_of(&fs, "/x/b2/.."), ino_of(&fs, "/x"));
		mk(&fs, "/a/empty", EXT2_S_IFDIR | 0755);
		assert_int_equal(mv(&fs, "/x/b2/c", "/a/empty"), 0);
		assert_int_equal(nlink_of(&fs, "/a"), 3);
		assert_int_equal(nlink_of(&fs, "/x/b2"), 2);
		assert_int_equal(mv(&fs, "/double", "/x/double-again"), 0); /* same inode */
		assert_int_equal(nlink_of(&fs, "/double"), 2);
		assert_int_equal(mv(&fs, "/x/y", "/x/y"), 0);
		/* Truncation: down across each level, to zero, and up (a hole). */
		ino = ino_of(&fs, "/sparse");
		assert_int_equal(ext2_truncate(&fs, ino, 70 * MiB + 100), 0);
		check_bytes(&fs, ino, 70 * MiB, 100, 4);
		assert_int_equal(ext2_truncate(&fs, ino, 2 * MiB + 10), 0);
		assert_int_equal(ext2_truncate(&fs, ino, 2 * MiB + 4000), 0);
		check_bytes(&fs, ino, 2 * MiB, 10, 4);
		check_bytes(&fs, ino, 2 * MiB + 10, 3990, -1);
		ino = ino_of(&fs, "/a/single");
		assert_int_equal(ext2_truncate(&fs, ino, 13 * KiB - 5), 0);
		assert_int_equal(ext2_truncate(&fs, ino, 40 * KiB), 0);
		check_bytes(&fs, ino, 0, 13 * KiB - 5, 16);
		check_bytes(&fs, ino, 13 * KiB - 5, 27 * KiB + 5, -1);
		ino = ino_of(&fs, "/x/b2/../b2/block-plus");
		assert_int_equal(ext2_truncate(&fs, ino, 0), 0);
		struct ext2_stat st;
		assert_int_equal(ext2_stat(&fs, ino, &st), 0);
		assert_int_equal(st.blocks, 0);
		/* Removal. */
		assert_int_equal(rm(&fs, "/x/double-again"), 0);
		assert_int_equal(nlink_of(&fs, "/double"), 1);
		assert_int_equal(rmd(&fs, "/a/empty/twelve"), -ENOTDIR);
		assert_int_equal(rm(&fs, "/a/empty/twelve"), 0);
		assert_int_equal(rm(&fs, "/a/empty/twelve-plus"), 0);
		assert_int_equal(rmd(&fs, "/a/empty"), 0);
		assert_int_equal(nlink_of(&fs, "/a"), 2);
		unmount_save("write.img");
		fsck_clean("write.img");

		/* debugfs reads back what was written. */
		static const struct {
			const char *path;
			uint64_t size;
			unsigned seed;
		} back[] = {
		        {"/x/y/moved", 1, 11},       {"/x/y/z", 1024, 12},
		        {"/double", 1300 * KiB, 17}, {"/x/b2/block-plus", 0, 0},
		        {"/a/single", 40 * KiB, 16},
		};
		for (size_t i = 0; i < sizeof back / sizeof *back; i++) {
			size_t n;
			uint8_t *got = debugfs_cat("write.img", back[i].path, &n);
			assert_int_equal(n, back[i].size);
			size_t good = back[i].size == 40 * KiB ? 13 * KiB - 5 : n;
			if (!matches(got, 0, good, back[i].seed))
				fail_msg("debugfs cat %s: other bytes", back[i].path);
			free(got);
		}
		size_t n;
		uint8_t *got = debugfs_cat("write.img", "/a/slow", &n);
		free(got);
		assert_int_equal(
		        run(E2PATH "debugfs -R 'stat /a/slow' %s 2>/dev/null | "
		                   "grep -q 'Fast link dest' && exit 1; debugfs -R 'stat /a/fast' "
		                   "%s 2>/dev/null | grep -q 'Fast link dest: \"b/block\"'",
		            path_of("write.img"), path_of("write.img")),
		        0);

		/* And this code reads it back after a fresh mount. */
		mount_rw("write.img");
		check_bytes(&fs, ino_of(&fs, "/double"), 0, 1300 * KiB, 17);
		check_bytes(&fs, ino_of(&fs, "/sparse"), 0, SPARSE_PIECE, 4);
		char link[256];
		assert_int_equal(ext2_readlink(&fs, ino_of(&fs, "/a/slow"), link, sizeof link),
		                 strlen(long_target));
		assert_int_equal(ext2_readlink(&fs, ino_of(&fs, "/a/fast"), link, sizeof link), 7);
		/* Remove everything: every count back to where mke2fs left it. */
		struct ext2_statfs before, after;
		ext2_statfs(&fs, &before);
		assert_int_equal(rm(&fs, "/sparse"), 0);
		assert_int_equal(rm(&fs, "/double"), 0);
		ext2_statfs(&fs, &after);
		assert_true(after.bfree > before.bfree && after.ifree == before.ifree + 2);
		unmount_save("write.img");
		fsck_clean("write.img");
	}
}

/* ---- errors ---- */

static void test_unix_errors(void **state)
{
	(void)state;
	char name[300];
	uint32_t ino, root = EXT2_ROOT_INO;
	uint8_t buf[16];
	mkfs("err.img", "-b 1024", "8M", NULL);
	mount_rw("err.img");
	uint32_t d = mk(&fs, "/d", EXT2_S_IFDIR | 0755);
	uint32_t f = mk(&fs, "/d/f", 0644);
	mk(&fs, "/d/sub", EXT2_S_IFDIR | 0755);
	mk(&fs, "/e", EXT2_S_IFDIR | 0755);
	mk(&fs, "/e/x", 0644);
	assert_int_equal(ext2_lookup(&fs, root, "nope", 4, &ino), -ENOENT);
	assert_int_equal(ext2_lookup(&fs, root, "", 0, &ino), -ENOENT);
	assert_int_equal(ext2_lookup(&fs, f, "x", 1, &ino), -ENOTDIR);
	assert_int_equal(ext2_create(&fs, f, "x", 1, 0644, &ino), -ENOTDIR);
	assert_int_equal(ext2_create(&fs, d, "f", 1, 0644, &ino), -EEXIST);
	assert_int_equal(ext2_create(&fs, d, ".", 1, EXT2_S_IFDIR, &ino), -EEXIST);
	assert_int_equal(ext2_create(&fs, d, "a/b", 3, 0644, &ino), -EINVAL);
	assert_int_equal(ext2_create(&fs, d, "dev", 3, EXT2_S_IFCHR | 0600, &ino), -EINVAL);
	memset(name, 'n', sizeof name);
	assert_int_equal(ext2_create(&fs, d, name, 256, 0644, &ino), -ENAMETOOLONG);
	assert_int_equal(ext2_lookup(&fs, d, name, 256, &ino), -ENAMETOOLONG);
	assert_int_equal(ext2_symlink(&fs, d, "l", 1, name, 0, &ino), -ENOENT);
	assert_int_equal(ext2_symlink(&fs, d, "l", 1, name, 1024, &ino), -ENAMETOOLONG);
	assert_int_equal(ext2_unlink(&fs, d, "sub", 3), -EISDIR);
	assert_int_equal(ext2_unlink(&fs, d, "nope", 4), -ENOENT);
	assert_int_equal(ext2_read(&fs, d, 0, buf, sizeof buf), -EISDIR);
	assert_int_equal(ext2_write(&fs, d, 0, buf, sizeof buf), -EISDIR);
	assert_int_equal(ext2_truncate(&fs, d, 0), -EISDIR);
	assert_int_equal(ext2_readlink(&fs, f, name, sizeof name), -EINVAL);
	assert_int_equal(ext2_rmdir(&fs, root, "d", 1), -ENOTEMPTY);
	assert_int_equal(ext2_rmdir(&fs, d, "f", 1), -ENOTDIR);
	assert_int_equal(ext2_rmdir(&fs, d, ".", 1), -EINVAL);
	assert_int_equal(ext2_rmdir(&fs, d, "..", 2), -ENOTEMPTY);
	assert_int_equal(ext2_link(&fs, root, "d2", 2, d), -EPERM);
	assert_int_equal(ext2_link(&fs, d, "sub", 3, f), -EEXIST);
	assert_int_equal(ext2_stat(&fs, 0, &(struct ext2_stat){0}), -EINVAL);
	assert_int_equal(ext2_stat(&fs, 5, &(struct ext2_stat){0}), -EINVAL); /* reserved */
	assert_int_equal(ext2_stat(&fs, 99999, &(struct ext2_stat){0}), -EINVAL);
	assert_int_equal(ext2_stat(&fs, 100, &(struct ext2_stat){0}), -ENOENT); /* free */
	/* rename's rules */
	assert_int_equal(mv(&fs, "/d", "/d/sub/inside"), -EINVAL);
	assert_int_equal(mv(&fs, "/d", "/d/sub"), -EINVAL);
	assert_int_equal(mv(&fs, "/d/sub", "/d/sub/x"), -EINVAL);
	assert_int_equal(mv(&fs, "/d/f", "/d/sub"), -EISDIR);
	assert_int_equal(mv(&fs, "/d/sub", "/d/f"), -ENOTDIR);
	assert_int_equal(mv(&fs, "/d/sub", "/e"), -ENOTEMPTY);
	assert_int_equal(mv(&fs, "/d/nope", "/e/y"), -ENOENT);
	assert_int_equal(ext2_rename(&fs, d, "f", 1, f, "x", 1), -ENOTDIR);
	assert_int_equal(mv(&fs, "/d/f/x", "/e/y"), -ENOTDIR);
	assert_int_equal(ext2_rename(&fs, d, ".", 1, root, "dot", 3), -EINVAL);
	assert_int_equal(ext2_rename(&fs, d, "f", 1, root, "..", 2), -EINVAL);
	assert_int_equal(ext2_rename(&fs, d, "f", 1, root, name, 256), -ENAMETOOLONG);
	/* a name of every byte value but '/' and NUL: 254 bytes */
	char every[256];
	uint32_t k = 0;
	for (int c = 1; c < 256; c++)
		if (c != '/')
			every[k++] = (char)c;
	assert_int_equal(ext2_create(&fs, d, every, k, 0644, &ino), 0);
	uint32_t found;
	assert_int_equal(ext2_lookup(&fs, d, every, k, &found), 0);
	assert_int_equal(found, ino);
	struct ext2_dirent e;
	uint64_t pos = 0;
	int r;
	while ((r = ext2_readdir(&fs, d, &pos, &e)) == 1 && e.ino != ino)
		;
	assert_int_equal(r, 1);
	assert_int_equal(e.name_len, k);
	assert_memory_equal(e.name, every, k);
	/* a file larger than the block map */
	assert_int_equal(ext2_write(&fs, f, fs.max_size, buf, 1), -EFBIG);
	assert_int_equal(ext2_truncate(&fs, f, fs.max_size + 1), -EFBIG);
	unmount_save("err.img");
	fsck_clean("err.img"); /* none of it changed anything that matters */

	/* EMLINK: link counts at the limit, set by debugfs. */
	assert_int_equal(run(E2PATH "debugfs -w -R 'sif /d/f links_count 31999' %s >/dev/null 2>&1",
	                     path_of("err.img")),
	                 0);
	assert_int_equal(run(E2PATH "debugfs -w -R 'sif /e links_count 32000' %s >/dev/null 2>&1",
	                     path_of("err.img")),
	                 0);
	mount_rw("err.img");
	d = ino_of(&fs, "/d");
	f = ino_of(&fs, "/d/f");
	assert_int_equal(ext2_link(&fs, d, "g", 1, f), 0);
	assert_int_equal(ext2_link(&fs, d, "h", 1, f), -EMLINK);
	assert_int_equal(ext2_create(&fs, ino_of(&fs, "/e"), "s", 1, EXT2_S_IFDIR, &ino), -EMLINK);
	assert_int_equal(mv(&fs, "/d/sub", "/e/sub"), -EMLINK);
	assert_int_equal(mv(&fs, "/d/f", "/e/f"), 0); /* a file adds no link to /e */
	free(md.data);

	/* A read-only mount changes nothing. */
	memdev_load(&md, "err.img");
	struct ext2_dev dev = memdev_dev(&md);
	assert_int_equal(ext2_mount(&fs, &dev, EXT2_MOUNT_RDONLY), 0);
	assert_int_equal(ext2_create(&fs, root, "n", 1, 0644, &ino), -EROFS);
	assert_int_equal(ext2_write(&fs, ino_of(&fs, "/d/f"), 0, buf, 1), -EROFS);
	assert_int_equal(mv(&fs, "/d/f", "/d/g2"), -EROFS);
	assert_int_equal(ext2_sync(&fs), 0);
	free(md.data);
}

/* Directory loops made by hand: rename's walk up ".." ends with -EIO. */
static void test_directory_loop(void **state)
{
	(void)state;
	mkfs("loop.img", "-b 1024", "8M", NULL);
	mount_rw("loop.img");
	uint32_t a = mk(&fs, "/a", EXT2_S_IFDIR | 0755);
	uint32_t b = mk(&fs, "/a/b", EXT2_S_IFDIR | 0755);
	mk(&fs, "/m", EXT2_S_IFDIR | 0755);
	/* a's ".." -> b, b's ".." -> a: the entry after "." in each first block */
	uint32_t pos[2] = {a, b}, to[2] = {b, a};
	for (int i = 0; i < 2; i++) {
		/* find the dir's first block: the entry "." names the directory */
		uint8_t *img = md.data;
		uint64_t off = 0;
		for (; off + 12 < md.size; off += 1024) {
			uint32_t ino, ino2;
			memcpy(&ino, img + off, 4);
			memcpy(&ino2, img + off + 12, 4);
			if (ino == pos[i] && !memcmp(img + off + 8, ".\0\0\0", 4) &&
			    !memcmp(img + off + 20, "..", 2))
				break;
		}
		assert_true(off + 12 < md.size);
		memcpy(img + off + 12, &to[i], 4);
	}
	assert_int_equal(mv(&fs, "/m", "/a/b/m"), -EIO);
	free(md.data);
}

/* A full disk: -ENOSPC, and every byte written before it stays. */
static void test_full_disk(void **state)
{
	(void)state;
	static const char *cfg[] = {"-b 1024 -N 64", "-b 4096 -N 64"};
	for (int c = 0; c < 2; c++) {
		mkfs("full.img", cfg[c], "2M", NULL);
		mount_rw("full.img");
		uint32_t f = mk(&fs, "/fill", 0644), ino;
		uint8_t buf[7000];
		uint64_t total = 0;
		for (;;) {
			fill(buf, total, sizeof buf, 21);
			int r = ext2_write(&fs, f, total, buf, sizeof buf);
			if (r < 0) {
				assert_int_equal(r, -ENOSPC);
				break;
			}
			total += (uint64_t)r;
		}
		struct ext2_statfs s;
		ext2_statfs(&fs, &s);
		assert_int_equal(s.bfree, 0);
		assert_int_equal(size_of(&fs, f), total);
		assert_true(total > 1 * MiB);
		/* a directory cannot grow, a file cannot get a block */
		uint32_t d = mk(&fs, "/d", 0644), many = ino_of(&fs, "/");
		int r = 0, i;
		char name[64];
		for (i = 0; i < 60 && r == 0; i++) {
			snprintf(name, sizeof name,
			         "a-name-long-enough-to-fill-a-directory-block-%d", i);
			r = ext2_create(&fs, many, name, (uint32_t)strlen(name), 0644, &ino);
		}
		assert_int_equal(r, -ENOSPC);
		assert_int_equal(ext2_write(&fs, d, 0, buf, 1), -ENOSPC);
		assert_int_equal(ext2_create(&fs, many, "newdir", 6, EXT2_S_IFDIR | 0755, &ino),
		                 -ENOSPC);
		check_bytes(&fs, f, 0, total, 21);
		unmount_save("full.img");
		fsck_clean("full.img");
		size_t n;
		uint8_t *got = debugfs_cat("full.img", "/fill", &n);
		assert_int_equal(n, total);
		assert_true(matches(got, 0, n, 21));
		free(got);
		/* freeing makes room again; the inodes run out too */
		mount_rw("full.img");
		assert_int_equal(ext2_truncate(&fs, ino_of(&fs, "/fill"), 100 * KiB), 0);
		for (i = 0, r = 0; r == 0; i++) {
			snprintf(name, sizeof name, "i%d", i);
			r = ext2_create(&fs, EXT2_ROOT_INO, name, (uint32_t)strlen(name), 0644,
			                &ino);
		}
		assert_int_equal(r, -ENOSPC);
		ext2_statfs(&fs, &s);
		assert_int_equal(s.ifree, 0);
		unmount_save("full.img");
		fsck_clean("full.img");
	}
}

/* The whole of file ino (malloc'd; its size in *n). */
static uint8_t *file_bytes(struct ext2 *f, uint32_t ino, uint64_t *n)
{
	*n = size_of(f, ino);
	uint8_t *buf = malloc(*n + 1);
	assert_int_equal(ext2_read(f, ino, 0, buf, (uint32_t)*n), (int)*n);
	return buf;
}

/* Writes len bytes at off into /f of partial.img with the device refusing
 * its n-th write; 0 if the write made fewer than n writes (then it must
 * have succeeded). Else the answer is a count with those bytes there (all
 * of them if only the inode's times were refused) or -EIO with the file
 * unchanged, and e2fsck finds the image clean. */
static int write_failing_at(long n, uint64_t off, uint32_t len)
{
	mount_rw("partial.img");
	uint32_t ino = ino_of(&fs, "/f");
	uint64_t old_n;
	uint8_t *old = file_bytes(&fs, ino, &old_n), *buf = malloc(len);
	fill(buf, off, len, 33);
	md.fail_write = n;
	int r = ext2_write(&fs, ino, off, buf, len);
	md.fail_write = 0;
	if (!md.failed)
		assert_int_equal(r, (int)len);
	else if (r != -EIO && (r <= 0 || r > (int)len)) /* all: only the times lost */
		fail_msg("write %u at %llu, write %ld refused: %d", len, (unsigned long long)off, n,
		         r);
	uint64_t end = r > 0 ? off + (uint64_t)r : 0, want_n = end > old_n ? end : old_n, got_n;
	uint8_t *got = file_bytes(&fs, ino, &got_n), *want = calloc(want_n + 1, 1);
	memcpy(want, old, old_n);
	if (r > 0)
		memcpy(want + off, buf, (size_t)r);
	assert_int_equal(got_n, want_n);
	if (memcmp(got, want, want_n))
		fail_msg("write %u at %llu, write %ld refused, answered %d: other bytes", len,
		         (unsigned long long)off, n, r);
	unmount_save("partial-after.img");
	snprintf(fsck_what, sizeof fsck_what, "(write %u at %llu, write %ld refused: %d)", len,
	         (unsigned long long)off, n, r);
	fsck_clean("partial-after.img");
	fsck_what[0] = 0;
	free(old), free(buf), free(got), free(want);
	return md.failed;
}

/* A write over several blocks that fails part way, at each device write
 * it makes in turn: extending the file, filling a hole inside it (its
 * indirect block there already), past the end with a gap, and across
 * into the doubly indirect blocks (two new indirect blocks). Never
 * half-updated metadata: e2fsck clean every time. */
static void test_write_fails_part_way(void **state)
{
	(void)state;
	static const char *cfg[] = {"-b 1024 -N 64", "-b 4096 -N 64"};
	for (int c = 0; c < 2; c++) {
		uint64_t B = c ? 4096 : 1024;
		mkfs("partial.img", cfg[c], "4M", NULL);
		mount_rw("partial.img");
		uint32_t ino = mk(&fs, "/f", 0644);
		write_pattern(&fs, ino, 0, 11 * B + 100, 5, 3000);
		write_pattern(&fs, ino, 14 * B, 10, 6, 10); /* a hole: 12 and 13 */
		unmount_save("partial.img");
		const uint64_t dind = (12 + B / 4) * B; /* the doubly indirect blocks' first */
		const uint64_t at[][2] = {{14 * B + 10, 3 * B},
		                          {11 * B + 50, 2 * B + 300},
		                          {18 * B + 7, 2 * B},
		                          {dind - B - 20, 3 * B}};
		for (int k = 0; k < 4; k++) {
			long n = 1;
			while (write_failing_at(n, at[k][0], (uint32_t)at[k][1]))
				n++;
			assert_true(n > 4);
		}
	}
}

/* Truncating a file that reaches triply indirect blocks to 0 gives back
 * every block, indirect ones too; deleting it gives back its inode. */
static void test_truncate_frees_every_block(void **state)
{
	(void)state;
	static const char *cfg[] = {"-b 1024", "-b 4096"};
	for (int c = 0; c < 2; c++) {
		struct ext2_statfs s0, s1;
		struct ext2_stat st;
		mkfs("trunc.img", cfg[c], "8M", NULL);
		mount_rw("trunc.img");
		ext2_statfs(&fs, &s0);
		uint32_t ino = mk(&fs, "/f", 0644);
		for (size_t i = 0; i < sizeof sparse_at / sizeof *sparse_at; i++)
			write_pattern(&fs, ino, sparse_at[i], SPARSE_PIECE, 4, 1000);
		write_pattern(&fs, ino, 100 * KiB, 300 * KiB, 5, 7000);
		assert_int_equal(ext2_stat(&fs, ino, &st), 0);
		ext2_statfs(&fs, &s1);
		assert_int_equal(st.blocks, (uint64_t)(s0.bfree - s1.bfree) * (s0.bsize / 512));
		/* down in steps: each level's blocks go */
		static const uint64_t steps[] = {5 * GiB,  70 * MiB + 1, 2 * MiB, 150 * KiB,
		                                 20 * KiB, 5000,         0};
		for (size_t i = 0; i < sizeof steps / sizeof *steps; i++) {
			assert_int_equal(ext2_truncate(&fs, ino, steps[i]), 0);
			assert_int_equal(ext2_stat(&fs, ino, &st), 0);
			ext2_statfs(&fs, &s1);
			assert_int_equal(st.blocks,
			                 (uint64_t)(s0.bfree - s1.bfree) * (s0.bsize / 512));
		}
		assert_int_equal(st.blocks, 0);
		assert_int_equal(s1.bfree, s0.bfree);
		assert_int_equal(s1.ifree, s0.ifree - 1);
		assert_int_equal(rm(&fs, "/f"), 0);
		ext2_statfs(&fs, &s1);
		assert_int_equal(s1.ifree, s0.ifree);
		unmount_save("trunc.img");
		fsck_clean("trunc.img");
	}
}

/* A file with an extended attribute block (128-byte inodes keep no
 * attributes inside): deleting it frees that block too. */
static void test_xattr_block_freed(void **state)
{
	(void)state;
	mkfs("xattr.img", "-b 1024 -I 128", "8M", "src");
	assert_int_equal(run(E2PATH "debugfs -w -R 'ea_set /small user.test some-value' %s "
	                            ">/dev/null 2>&1 && debugfs -R 'stat /small' %s 2>/dev/null | "
	                            "grep -q 'File ACL: [1-9]'",
	                     path_of("xattr.img"), path_of("xattr.img")),
	                 0);
	mount_rw("xattr.img");
	struct ext2_statfs s0, s1;
	ext2_statfs(&fs, &s0);
	check_bytes(&fs, ino_of(&fs, "/small"), 0, 5000, 1);
	assert_int_equal(rm(&fs, "/small"), 0);
	ext2_statfs(&fs, &s1);
	assert_int_equal(s1.bfree, s0.bfree + 5 + 1);
	unmount_save("xattr.img");
	fsck_clean("xattr.img");
}

/* ---- random operations against a model ---- */

#define MODEL_DIRS   4
#define MODEL_NAMES  64
#define MODEL_INODES 96
#define MODEL_MAX    (80 * 1024)

struct mnode {
	int used, nlink;
	uint32_t ino;
	uint32_t size;
	uint8_t *data;
};

struct mname {
	int node; /* -1: none */
};

static struct mnode mnodes[MODEL_INODES];
static struct mname mnames[MODEL_DIRS][MODEL_NAMES];
static uint32_t mdirs[MODEL_DIRS];

static void model_name(char *buf, int i)
{
	/* names of several lengths, so entries split and merge unevenly */
	snprintf(buf, 64, "%.*s-%d", 1 + i % 23, "abcdefghijklmnopqrstuvwxyz", i);
}

static int model_free_node(void)
{
	for (int i = 0; i < MODEL_INODES; i++)
		if (!mnodes[i].used)
			return i;
	return -1;
}

static void model_unref(int n)
{
	if (--mnodes[n].nlink == 0) {
		free(mnodes[n].data);
		memset(&mnodes[n], 0, sizeof mnodes[n]);
	}
}

static void model_step(struct ext2 *f)
{
	char name[64], name2[64];
	int d = (int)(rnd() % MODEL_DIRS), i = (int)(rnd() % MODEL_NAMES);
	int n = mnames[d][i].node, r;
	model_name(name, i);
	uint32_t len = (uint32_t)strlen(name), ino;
	switch (rnd() % 8) {
	case 0: /* create */
	case 1: {
		int m = model_free_node();
		r = ext2_create(f, mdirs[d], name, len, 0644, &ino);
		if (n >= 0 || m < 0) {
			assert_int_equal(r, n >= 0 ? -EEXIST : 0);
			if (r == 0)
				assert_int_equal(ext2_unlink(f, mdirs[d], name, len), 0);
			break;
		}
		assert_int_equal(r, 0);
		mnodes[m] = (struct mnode){1, 1, ino, 0, calloc(1, MODEL_MAX)};
		mnames[d][i].node = m;
		break;
	}
	case 2: /* write */
	case 3: {
		if (n < 0)
			break;
		uint32_t off = rnd() % (MODEL_MAX - 1), k = 1 + rnd() % 9000;
		if (k > MODEL_MAX - off)
			k = MODEL_MAX - off;
		uint8_t *buf = malloc(k);
		fill(buf, off, k, rnd() % 256);
		assert_int_equal(ext2_write(f, mnodes[n].ino, off, buf, k), (int)k);
		memcpy(mnodes[n].data + off, buf, k);
		if (off + k > mnodes[n].size)
			mnodes[n].size = off + k;
		free(buf);
		break;
	}
	case 4: { /* truncate */
		if (n < 0)
			break;
		uint32_t size = rnd() % MODEL_MAX;
		assert_int_equal(ext2_truncate(f, mnodes[n].ino, size), 0);
		if (size < mnodes[n].size)
			memset(mnodes[n].data + size, 0, mnodes[n].size - size);
		mnodes[n].size = size;
		break;
	}
	case 5: /* unlink */
		assert_int_equal(ext2_unlink(f, mdirs[d], name, len), n < 0 ? -ENOENT : 0);
		if (n >= 0) {
			mnames[d][i].node = -1;
			model_unref(n);
		}
		break;
	case 6: { /* link */
		int d2 = (int)(rnd() % MODEL_DIRS), i2 = (int)(rnd() % MODEL_NAMES);
		model_name(name2, i2);
		if (n < 0)
			break;
		r = ext2_link(f, mdirs[d2], name2, (uint32_t)strlen(name2), mnodes[n].ino);
		assert_int_equal(r, mnames[d2][i2].node >= 0 ? -EEXIST : 0);
		if (r == 0) {
			mnames[d2][i2].node = n;
			mnodes[n].nlink++;
		}
		break;
	}
	default: { /* rename, maybe over another file */
		int d2 = (int)(rnd() % MODEL_DIRS), i2 = (int)(rnd() % MODEL_NAMES);
		model_name(name2, i2);
		r = ext2_rename(f, mdirs[d], name, len, mdirs[d2], name2, (uint32_t)strlen(name2));
		assert_int_equal(r, n < 0 ? -ENOENT : 0);
		if (n < 0 || (d == d2 && i == i2))
			break;
		int old = mnames[d2][i2].node;
		if (old == n) /* two names of one inode: nothing happens */
			break;
		mnames[d2][i2].node = n;
		mnames[d][i].node = -1;
		if (old >= 0)
			model_unref(old);
		break;
	}
	}
}

static void model_check(struct ext2 *f)
{
	char name[64];
	struct ext2_stat st;
	uint8_t *buf = malloc(MODEL_MAX + 1);
	for (int d = 0; d < MODEL_DIRS; d++)
		for (int i = 0; i < MODEL_NAMES; i++) {
			int n = mnames[d][i].node;
			uint32_t ino;
			model_name(name, i);
			int r = ext2_lookup(f, mdirs[d], name, (uint32_t)strlen(name), &ino);
			if (n < 0) {
				assert_int_equal(r, -ENOENT);
				continue;
			}
			assert_int_equal(r, 0);
			assert_int_equal(ino, mnodes[n].ino);
			assert_int_equal(ext2_stat(f, ino, &st), 0);
			assert_int_equal(st.size, mnodes[n].size);
			assert_int_equal(st.nlink, mnodes[n].nlink);
			assert_int_equal(ext2_read(f, ino, 0, buf, MODEL_MAX + 1),
			                 (int)mnodes[n].size);
			assert_memory_equal(buf, mnodes[n].data, mnodes[n].size);
		}
	free(buf);
}

static void test_random_operations_against_a_model(void **state)
{
	(void)state;
	static const char *cfg[] = {"-b 1024", "-b 4096", "-b 1024 -I 128"};
	rng = 77;
	for (int c = 0; c < 3; c++) {
		mkfs("model.img", cfg[c], "24M", NULL);
		mount_rw("model.img");
		memset(mnodes, 0, sizeof mnodes);
		memset(mnames, 0xff, sizeof mnames);
		mdirs[0] = EXT2_ROOT_INO;
		mdirs[1] = mk(&fs, "/d1", EXT2_S_IFDIR | 0755);
		mdirs[2] = mk(&fs, "/d1/d2", EXT2_S_IFDIR | 0755);
		mdirs[3] = mk(&fs, "/d3", EXT2_S_IFDIR | 0755);
		for (int step = 0; step < 4000; step++) {
			model_step(&fs);
			if (step % 1000 == 999)
				model_check(&fs);
		}
		int names = 0, nodes = 0;
		for (int i = 0; i < MODEL_DIRS * MODEL_NAMES; i++)
			names += mnames[i / MODEL_NAMES][i % MODEL_NAMES].node >= 0;
		for (int i = 0; i < MODEL_INODES; i++)
			nodes += mnodes[i].used;
		print_message("model %s: %d names of %d inodes\n", cfg[c], names, nodes);
		unmount_save("model.img");
		fsck_clean("model.img");
		mount_rw("model.img");
		model_check(&fs);
		free(md.data);
		for (int i = 0; i < MODEL_INODES; i++)
			free(mnodes[i].data);
	}
}

/* ---- refused images ---- */

static void test_refused_images(void **state)
{
	(void)state;
	struct ext2_dev dev;
	mkfs("ext4.img", "-t ext4", "8M", NULL);
	memdev_load(&md, "ext4.img");
	dev = memdev_dev(&md);
	assert_int_equal(ext2_mount(&fs, &dev, 0), -ENOTSUP);
	assert_non_null(strstr(fs.why, "extent"));
	assert_int_equal(ext2_mount(&fs, &dev, EXT2_MOUNT_RDONLY), -ENOTSUP);
	free(md.data);

	mkfs("csum.img", "-O metadata_csum", "8M", "src");
	memdev_load(&md, "csum.img");
	dev = memdev_dev(&md);
	assert_int_equal(ext2_mount(&fs, &dev, 0), -ENOTSUP);
	assert_non_null(strstr(fs.why, "metadata_csum"));
	assert_int_equal(ext2_mount(&fs, &dev, EXT2_MOUNT_RDONLY), 0);
	check_bytes(&fs, ino_of(&fs, "/small"), 0, 5000, 1);
	uint32_t ino;
	assert_int_equal(ext2_create(&fs, EXT2_ROOT_INO, "n", 1, 0644, &ino), -EROFS);
	ino = ino_of(&fs, "/small");

	/* garbage: the superblock zeroed, a bad magic, a short device, and
	 * a device that fails */
	memset(md.data + 1024, 0, 1024);
	assert_int_equal(ext2_mount(&fs, &dev, 0), -EINVAL);
	free(md.data);
	memdev_load(&md, "csum.img");
	md.data[1024 + 56] ^= 1;
	dev = memdev_dev(&md);
	assert_int_equal(ext2_mount(&fs, &dev, EXT2_MOUNT_RDONLY), -EINVAL);
	md.data[1024 + 56] ^= 1;
	dev.size = md.size / 2;
	assert_int_equal(ext2_mount(&fs, &dev, EXT2_MOUNT_RDONLY), -EINVAL);
	dev.size = 1000;
	assert_int_equal(ext2_mount(&fs, &dev, EXT2_MOUNT_RDONLY), -EINVAL);
	dev = memdev_dev(&md);
	md.fail = 1;
	assert_int_equal(ext2_mount(&fs, &dev, EXT2_MOUNT_RDONLY), -EIO);
	md.fail = 0;
	assert_int_equal(ext2_mount(&fs, &dev, EXT2_MOUNT_RDONLY), 0);
	md.fail = 1;
	uint8_t buf[8];
	assert_int_equal(ext2_read(&fs, ino, 0, buf, 8), -EIO);
	assert_int_equal(ext2_lookup(&fs, EXT2_ROOT_INO, "small", 5, &ino), -EIO);
	free(md.data);
}

/* ---- fuzzing ---- */

/* Blocks worth damaging in an image: metadata and directory/indirect blocks. */
struct targets {
	uint32_t bsize;
	uint32_t blk[256];
	int n;
};

static void add_target(struct targets *t, uint32_t b)
{
	if (b && t->n < 256)
		t->blk[t->n++] = b;
}

/* The pristine image's group 0 bitmaps and used inode table blocks, the
 * blocks of every directory, the indirect blocks of the big files. */
static void find_targets(struct targets *t)
{
	const struct ext2_super_disk *sb = (void *)(md.data + 1024);
	t->bsize = 1024u << sb->s_log_block_size;
	t->n = 0;
	const struct ext2_group_disk *gd =
	        (void *)(md.data + (uint64_t)(sb->s_first_data_block + 1) * t->bsize);
	if (t->bsize == 1024)
		add_target(t, 1); /* the superblock; with 4 KiB blocks it is in block 0 */
	add_target(t, sb->s_first_data_block + 1); /* the group descriptors */
	add_target(t, gd->bg_block_bitmap);
	add_target(t, gd->bg_inode_bitmap);
	for (uint32_t i = 0; i < 8; i++)
		add_target(t, gd->bg_inode_table + i);
	static const char *paths[] = {"/",        "/big",          "/dir",
	                              "/dir/sub", "/dir/sub/deep", "/multi",
	                              "/sparse",  "/emptydir",     "/long-link"};
	for (size_t p = 0; p < sizeof paths / sizeof *paths; p++) {
		uint32_t ino = ino_of(&fs, paths[p]);
		const struct ext2_inode_disk *in =
		        (void *)(md.data + (uint64_t)gd->bg_inode_table * t->bsize +
		                 (uint64_t)(ino - 1) * sb->s_inode_size);
		for (int i = 0; i < EXT2_NBLOCKS; i++)
			add_target(t, in->i_block[i]);
		for (int i = EXT2_IND; i <= EXT2_TIND; i++) {
			uint32_t b = in->i_block[i];
			for (int level = i - EXT2_IND; b && level > 0; level--) {
				const uint32_t *p = (void *)(md.data + (uint64_t)b * t->bsize);
				uint32_t next = 0;
				for (uint32_t k = 0; k < t->bsize / 4 && !next; k++)
					next = p[k];
				add_target(t, next);
				b = next;
			}
		}
	}
}

static void mutate(uint8_t *img, uint64_t size, const struct targets *t)
{
	int n = 1 + (int)(rnd() % 6);
	for (int i = 0; i < n; i++) {
		uint64_t base = (uint64_t)t->blk[rnd() % (uint32_t)t->n] * t->bsize;
		uint32_t off = rnd() % t->bsize & ~3u;
		if (base + t->bsize > size)
			continue;
		uint32_t v;
		switch (rnd() % 5) {
		case 0: img[base + rnd() % t->bsize] = (uint8_t)rnd(); continue;
		case 1: v = rnd(); break;
		case 2: v = rnd() % 4096; break;
		case 3: v = rnd() % 2 ? 0 : 0xffffffff; break;
		default: v = (uint32_t)(size / t->bsize) - rnd() % 4; break;
		}
		memcpy(img + base + off, &v, 4);
	}
}

static long fuzz_calls, fuzz_errors;

static int fuzz_ok(int r)
{
	fuzz_calls++;
	fuzz_errors += r < 0;
	switch (-r) {
	case EIO:
	case ENOENT:
	case ENOTDIR:
	case EISDIR:
	case EEXIST:
	case ENOSPC:
	case ENOTEMPTY:
	case EINVAL:
	case EFBIG:
	case EMLINK:
	case EPERM:
	case ERANGE: return 1;
	}
	return r >= 0;
}

#define FUZZ_CHECK(expr)                                                                           \
	do {                                                                                       \
		int r_ = (expr);                                                                   \
		if (!fuzz_ok(r_))                                                                  \
			fail_msg("round %d: %s gave %d", round, #expr, r_);                        \
	} while (0)

/* Lookup, stat, read, readlink of everything reachable (bounded); then
 * some changes. */
static void fuzz_walk(struct ext2 *f, int round)
{
	uint32_t queue[64], nq = 0, done = 0;
	static uint8_t buf[16384];
	struct ext2_dirent e;
	struct ext2_stat st;
	queue[nq++] = EXT2_ROOT_INO;
	while (done < nq) {
		uint32_t d = queue[done++];
		uint64_t pos = 0;
		int r, entries = 0;
		while (entries++ < 2000 && (r = ext2_readdir(f, d, &pos, &e)) == 1) {
			uint32_t ino;
			FUZZ_CHECK(ext2_lookup(f, d, e.name, e.name_len, &ino));
			if (ext2_stat(f, e.ino, &st))
				continue;
			if ((st.mode & EXT2_S_IFMT) == EXT2_S_IFDIR && nq < 64 &&
			    e.name[0] != '.') {
				int seen = 0;
				for (uint32_t i = 0; i < nq; i++)
					seen |= queue[i] == e.ino;
				if (!seen)
					queue[nq++] = e.ino;
			}
			FUZZ_CHECK(ext2_read(f, e.ino, 0, buf, sizeof buf));
			FUZZ_CHECK(ext2_read(f, e.ino, rnd() % (st.size + 1), buf, sizeof buf));
			FUZZ_CHECK(ext2_read(f, e.ino, sparse_at[rnd() % 5], buf, 4000));
			FUZZ_CHECK(ext2_readlink(f, e.ino, (char *)buf, sizeof buf));
		}
		FUZZ_CHECK(r);
	}
	uint32_t ino = 0, any = queue[rnd() % nq], d2 = 0;
	FUZZ_CHECK(ext2_create(f, EXT2_ROOT_INO, "fuzz-new", 8, 0644, &ino));
	if (ino) {
		FUZZ_CHECK(ext2_write(f, ino, 0, buf, sizeof buf));
		FUZZ_CHECK(ext2_write(f, ino, 300 * KiB, buf, 100));
		FUZZ_CHECK(ext2_truncate(f, ino, 3000));
	}
	FUZZ_CHECK(ext2_create(f, any, "fuzz-dir", 8, EXT2_S_IFDIR | 0755, &d2));
	FUZZ_CHECK(ext2_rename(f, EXT2_ROOT_INO, "small", 5, any, "moved", 5));
	FUZZ_CHECK(ext2_rename(f, EXT2_ROOT_INO, "dir", 3, any, "dir2", 4));
	FUZZ_CHECK(ext2_unlink(f, EXT2_ROOT_INO, "multi", 5));
	FUZZ_CHECK(ext2_unlink(f, EXT2_ROOT_INO, "sparse", 6));
	FUZZ_CHECK(ext2_rmdir(f, EXT2_ROOT_INO, "emptydir", 8));
	FUZZ_CHECK(ext2_link(f, any, "hard", 4, 1 + rnd() % f->sb.s_inodes_count));
	FUZZ_CHECK(ext2_symlink(f, any, "sym", 3, long_target, 100, &ino));
	if (ext2_lookup(f, EXT2_ROOT_INO, "big", 3, &d2) == 0)
		for (int i = 0; i < 20; i++) {
			char name[32];
			snprintf(name, sizeof name, "file-%03u", rnd() % BIG_FILES);
			FUZZ_CHECK(ext2_unlink(f, d2, name, (uint32_t)strlen(name)));
			FUZZ_CHECK(ext2_create(f, d2, name + 2, (uint32_t)strlen(name) - 2, 0644,
			                       &ino));
		}
	FUZZ_CHECK(ext2_sync(f));
}

static void test_fuzz_mutated_images(void **state)
{
	(void)state;
	const char *s = getenv("EXT2_FUZZ_SEED"), *n = getenv("EXT2_FUZZ_ROUNDS");
	uint64_t seed = s ? strtoull(s, NULL, 0) : 20240601;
	int rounds = n ? atoi(n) : 300;
	static const char *cfg[] = {"-b 1024", "-b 4096 -I 128"};
	for (int c = 0; c < 2; c++) {
		mkfs("fuzz.img", cfg[c], "16M", "src");
		mount_rw("fuzz.img");
		struct targets t;
		find_targets(&t);
		uint8_t *pristine = md.data;
		rng = seed + (uint64_t)c;
		md.data = malloc(md.size);
		int mounted = 0;
		fuzz_calls = fuzz_errors = 0;
		for (int round = 0; round < rounds; round++) {
			memcpy(md.data, pristine, md.size);
			mutate(md.data, md.size, &t);
			md.calls = 0;
			md.budget = 3000000;
			struct ext2_dev dev = memdev_dev(&md);
			int r = ext2_mount(&fs, &dev, 0);
			if (r) {
				assert_true(r == -EINVAL || r == -EIO || r == -ENOTSUP);
				continue;
			}
			mounted++;
			fuzz_walk(&fs, round);
		}
		print_message(
		        "fuzz %s: seed %llu, %d rounds, %d mounted, %ld of %ld calls failed\n",
		        cfg[c], (unsigned long long)seed, rounds, mounted, fuzz_errors, fuzz_calls);
		assert_true(mounted > rounds / 2);
		free(md.data);
		free(pristine);
		md.data = NULL;
		md.budget = 0;
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_reads_mke2fs_images),
	        cmocka_unit_test(test_htree_directory),
	        cmocka_unit_test(test_revision_0),
	        cmocka_unit_test(test_write_then_e2fsck_and_debugfs),
	        cmocka_unit_test(test_unix_errors),
	        cmocka_unit_test(test_directory_loop),
	        cmocka_unit_test(test_full_disk),
	        cmocka_unit_test(test_write_fails_part_way),
	        cmocka_unit_test(test_truncate_frees_every_block),
	        cmocka_unit_test(test_xattr_block_freed),
	        cmocka_unit_test(test_random_operations_against_a_model),
	        cmocka_unit_test(test_refused_images),
	        cmocka_unit_test(test_fuzz_mutated_images),
	};
	return cmocka_run_group_tests(tests, group_setup, NULL);
}
