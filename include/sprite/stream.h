/* SPDX-License-Identifier: MIT */
/*
 * Streams: what a file descriptor names. A stream is an object served
 * behind a door of its own (the console by drivers/uart today; files and
 * pipes by servers/fs later); a process's descriptors are door ids to
 * streams (lib/c/fd.c). Every id for one stream shares its offset, as dup
 * does in Unix. Closing the last id frees the stream (its server learns it
 * from the unreferenced notification).
 *
 * read answers up to io.out_cap bytes (status: how many; 0 at end of
 * file), write takes io.in_size bytes (status: how many). Both may block;
 * a blocked call ends with -EINTR when its caller is signalled or killed.
 */
#ifndef SPRITE_STREAM_H
#define SPRITE_STREAM_H

#include "lib/doors/doors.h"

#define STREAM_CONSOLE 1 /* stream_info.kind: a terminal */
#define STREAM_FILE    2
#define STREAM_PIPE    3
#define STREAM_NULL    4

struct stream_none {
	uint32_t unused;
};

struct stream_info {
	uint32_t kind; /* STREAM_* */
	uint32_t size; /* files: bytes */
	uint32_t pos;  /* the shared offset */
};

/* The foreground process group of a terminal (tcsetpgrp). */
struct stream_pgrp {
	int32_t pgrp;
};

#define STREAM_OPS(OP)                                                                             \
	OP(stream, read, 1, struct stream_none, struct stream_none, DOOR_IO)                       \
	OP(stream, write, 2, struct stream_none, struct stream_none, DOOR_IO)                      \
	OP(stream, info, 3, struct stream_none, struct stream_info)                                \
	OP(stream, setpgrp, 4, struct stream_pgrp, struct stream_none)                             \
	OP(stream, getpgrp, 5, struct stream_none, struct stream_pgrp)

DOOR_INTERFACE(stream, STREAM_OPS)

#endif
