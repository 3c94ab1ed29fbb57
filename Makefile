# SPDX-License-Identifier: MIT
# Sprig's one Makefile. Targets: all run test bench bench-linux iso debug format clean.
# Everything it makes goes under build/. `make CROSS=i686-elf-` picks a
# cross compiler; the default is i686-elf- if installed, else Debian's
# i686-linux-gnu- used freestanding.

CROSS ?= $(if $(shell command -v i686-elf-gcc 2>/dev/null),i686-elf-,i686-linux-gnu-)
CC := $(CROSS)gcc
LD := $(CROSS)ld
OBJDUMP := $(CROSS)objdump
NM := $(CROSS)nm
HOSTCC ?= cc
B := build
.SECONDEXPANSION:
V ?= 0
Q := $(if $(filter 1,$(V)),,@)
LDFLAGS := -m elf_i386 -z noexecstack

COMMON_CFLAGS := -std=c11 -O2 -g -Wall -Wextra -Werror -m32 -march=i686 -ffreestanding \
	-fno-pie -fno-stack-protector -fno-omit-frame-pointer -fno-asynchronous-unwind-tables \
	-mgeneral-regs-only -nostdlib -I. -Iinclude -MMD -MP
KCFLAGS := $(COMMON_CFLAGS) -DSPRIG_NUCLEUS
# Programs see only lib/c/include and the compiler's own freestanding
# headers (stdarg.h, stdint.h, ...), never the build machine's C library.
GCC_INCLUDE := $(shell $(CC) -m32 -print-file-name=include 2>/dev/null)
UCFLAGS := $(COMMON_CFLAGS) -nostdinc -isystem $(GCC_INCLUDE) -Ilib/c/include
LIBGCC := $(shell $(CC) -m32 -print-libgcc-file-name 2>/dev/null)

# The nucleus: explicit object lists, one object per concept.
KOBJS := boot/entry.o \
	nucleus/main.o nucleus/console.o nucleus/panic.o nucleus/power.o nucleus/cpu.o \
	nucleus/trapasm.o nucleus/trap.o nucleus/pic.o nucleus/timer.o nucleus/swtch.o \
	nucleus/thread.o nucleus/sched.o nucleus/domain.o nucleus/elf.o nucleus/loader.o \
	nucleus/syscall.o nucleus/door.o nucleus/dtable.o nucleus/shuttle.o nucleus/doorcall.o \
	nucleus/names.o nucleus/fastpath.o nucleus/kobj.o nucleus/domobj.o nucleus/futex.o \
	nucleus/signal.o nucleus/devmgr.o nucleus/irqline.o nucleus/image.o \
	vmm/frame.o vmm/pagetable.o vmm/aspace.o vmm/uaccess.o vmm/share.o vmm/memobj.o vmm/device.o \
	lib/c/string.o lib/c/format.o
KOBJS := $(addprefix $(B)/k/,$(KOBJS))

# The user C library and the programs built on it.
LIBC_OBJS := $(addprefix $(B)/u/lib/c/,crt0.o syscall.o sys.o args.o errno.o stdio.o stdlib.o exit.o \
	qsort.o env.o malloc.o string.o strextra.o ctype.o format.o signal.o sigtramp.o fd.o proc.o \
	fork.o file.o prefix.o)
LIBDOORS_OBJS := $(addprefix $(B)/u/lib/doors/,call.o server.o fast.o kobj.o io.o)
USER_PROGS := hello spin fault badptr threads exiter doortest doorbench demo cpustate domchild hostile attack \
	howto_raw howto_iface domtest fuzz iotest sigchild sigtest libctest devchild devtest \
	sharechild sharetest imgchild imgtest texttest \
	init sh echo true false sleep loop ps kill poweroff proctest noproc procbench blktest \
	cat ls mkdir rmdir rm mv cp ln touch wc head grep df sync stat prefix fstest
USER_EXTRA_doortest := $(B)/u/user/counter.o
USER_EXTRA_doorbench := $(B)/u/user/counter.o
USER_EXTRA_demo := $(B)/u/user/counter.o
USER_EXTRA_domtest := $(addprefix $(B)/u/blob/,hello.o fault.o spin.o domchild.o)
USER_EXTRA_sigchild := $(B)/u/user/sigregs.o
# the test programs' checks and death notices (user/check.h)
CHECK := $(B)/u/user/check.o
USER_EXTRA_sigtest := $(B)/u/user/sigregs.o $(B)/u/blob/sigchild.o $(CHECK)
USER_EXTRA_devtest := $(B)/u/blob/devchild.o $(CHECK)
USER_EXTRA_devchild := $(CHECK)
USER_EXTRA_fstest := $(CHECK)
USER_EXTRA_proctest := $(CHECK)
USER_EXTRA_blktest := $(CHECK)
# the fs linked in, for the twin rows; true (read-only: not in the data a fork copies), to spawn
USER_EXTRA_procbench = $(FS_OBJS) $(B)/u/rblob/true.o
USER_EXTRA_sharechild := $(B)/u/user/sharefork.o
USER_EXTRA_sharetest := $(B)/u/blob/sharechild.o $(CHECK)
USER_EXTRA_imgchild := $(CHECK)
USER_EXTRA_imgtest := $(B)/u/blob/imgchild.o $(CHECK)
USER_EXTRA_texttest := $(B)/u/blob/true.o $(B)/u/blob/false.o $(CHECK)
USER_ELFS := $(USER_PROGS:%=$(B)/user/%.elf)

all: $(B)/kernel.elf $(USER_ELFS) $(B)/user/garbage.elf $(B)/user/truncated.elf \
	$(B)/servers/proc.elf

$(B)/k/%.o: %.c
	@mkdir -p $(@D); echo "  CC      $<"
	$(Q)$(CC) $(KCFLAGS) -c $< -o $@

$(B)/k/%.o: %.S
	@mkdir -p $(@D); echo "  AS      $<"
	$(Q)$(CC) $(KCFLAGS) -c $< -o $@

$(B)/u/%.o: %.c
	@mkdir -p $(@D); echo "  CC [u]  $<"
	$(Q)$(CC) $(UCFLAGS) -c $< -o $@

$(B)/u/%.o: %.S
	@mkdir -p $(@D); echo "  AS [u]  $<"
	$(Q)$(CC) $(UCFLAGS) -c $< -o $@

# Two links: the first gives the addresses for the symbol table, the second
# includes it. .ksyms follows all code, so no code address moves (checked).
$(B)/kernel.elf: $(KOBJS) boot/linker.ld tools/ksyms.sh
	@mkdir -p $(B)/k; echo "  LD      $@"
	$(Q)tools/ksyms.sh /dev/null > $(B)/k/ksyms0.S
	$(Q)$(CC) $(KCFLAGS) -c $(B)/k/ksyms0.S -o $(B)/k/ksyms0.o
	$(Q)$(LD) $(LDFLAGS) -T boot/linker.ld -o $(B)/k/pass1.elf $(KOBJS) $(B)/k/ksyms0.o $(LIBGCC)
	$(Q)$(NM) -n $(B)/k/pass1.elf > $(B)/k/pass1.nm
	$(Q)tools/ksyms.sh $(B)/k/pass1.nm > $(B)/k/ksyms.S
	$(Q)$(CC) $(KCFLAGS) -c $(B)/k/ksyms.S -o $(B)/k/ksyms.o
	$(Q)$(LD) $(LDFLAGS) -T boot/linker.ld -o $@ $(KOBJS) $(B)/k/ksyms.o $(LIBGCC)
	$(Q)$(NM) -n $@ > $(B)/kernel.sym
	@grep -i ' t ' $(B)/k/pass1.nm > $(B)/k/t1; grep -i ' t ' $(B)/kernel.sym > $(B)/k/t2; \
	  cmp -s $(B)/k/t1 $(B)/k/t2 || { echo "ksyms: code moved between links"; exit 1; }
	$(Q)$(OBJDUMP) -d -S $@ > $(B)/kernel.asm

$(B)/user/libc.a: $(LIBC_OBJS)
	@mkdir -p $(@D)
	$(Q)rm -f $@ && $(CROSS)ar rcs $@ $^

$(B)/user/libdoors.a: $(LIBDOORS_OBJS)
	@mkdir -p $(@D)
	$(Q)rm -f $@ && $(CROSS)ar rcs $@ $^

# Links a program from its objects ($^ less the libraries and the script).
USER_LIBS := $(B)/user/libdoors.a $(B)/user/libc.a user/user.ld
define link_program
	@mkdir -p $(@D); echo "  LD [u]  $@"
	$(Q)$(LD) $(LDFLAGS) -T user/user.ld -o $@ $(B)/u/lib/c/crt0.o $(filter-out $(USER_LIBS),$^) \
		--start-group $(B)/user/libdoors.a $(B)/user/libc.a --end-group $(LIBGCC)
	$(Q)$(OBJDUMP) -d -S $@ > $(@:.elf=.asm)
	$(Q)$(NM) -n $@ > $(@:.elf=.sym)
endef

$(B)/user/%.elf: $(B)/u/user/%.o $$(USER_EXTRA_$$*) $(USER_LIBS)
	$(link_program)

# The Sprite services, one domain each: the process manager (the first
# boot module; it carries the boot image: the programs it can start before
# there is a file system), the console driver and the disk driver.
BOOT_PROGS := init sh echo true false sleep loop ps kill poweroff fault hello proctest \
	procbench blktest texttest cat ls mkdir rmdir rm mv cp ln touch wc head grep df sync stat prefix fstest
DRIVERS := uart ata
BOOT_IMAGE := $(BOOT_PROGS:%=$(B)/bootimg/%.elf) $(DRIVERS:%=$(B)/bootimg/%.elf) $(B)/bootimg/fs.elf
$(B)/drivers/%.elf: $(B)/u/drivers/%/$$*.o $(USER_LIBS)
	$(link_program)
# ext2's times: the build's time plus the time since boot
$(B)/u/servers/fs/ext2vfs.o: UCFLAGS += -DSPRIG_BUILD_TIME=$(shell date +%s)
FS_OBJS := $(addprefix $(B)/u/servers/fs/,fs.o walk.o memfs.o devfs.o ext2vfs.o cache.o ext2.o)
$(B)/servers/fs.elf: $(B)/u/servers/fs/main.o $(FS_OBJS) \
		$(USER_LIBS)
	$(link_program)
$(B)/servers/proc.elf: $(addprefix $(B)/u/servers/proc/,proc.o table.o bootimg.o imgcache.o image.o) $(USER_LIBS)
	$(link_program)
$(B)/bootimg/%.elf: $(B)/user/%.elf
	@mkdir -p $(@D)
	$(Q)$(CROSS)strip -o $@ $<
$(DRIVERS:%=$(B)/bootimg/%.elf): $(B)/bootimg/%.elf: $(B)/drivers/%.elf
	@mkdir -p $(@D)
	$(Q)$(CROSS)strip -o $@ $<
$(B)/bootimg/fs.elf: $(B)/servers/fs.elf
	@mkdir -p $(@D)
	$(Q)$(CROSS)strip -o $@ $<
$(B)/u/servers/proc/image.S: $(BOOT_IMAGE) tools/bootimg.sh
	@mkdir -p $(@D)
	$(Q)tools/bootimg.sh $(BOOT_IMAGE) > $@
$(B)/u/servers/proc/image.o: $(B)/u/servers/proc/image.S
	$(Q)$(CC) $(UCFLAGS) -c $< -o $@

# A program's ELF file as data linked into another (domtest loads them
# through domain objects): symbols _binary_NAME_elf_start and _end.
$(B)/u/blob/%.o: $(B)/user/%.elf
	@mkdir -p $(@D)
	$(Q)cd $(B)/user && $(LD) -m elf_i386 -r -b binary -o ../u/blob/$*.o $*.elf

# A stripped program as read-only data (.rodata: text a fork maps rather
# than data it copies), for procbench to write to a file and spawn.
$(B)/u/rblob/%.o: $(B)/bootimg/%.elf
	@mkdir -p $(@D)
	$(Q)cd $(B)/bootimg && $(LD) -m elf_i386 -r -b binary -o ../u/rblob/$*.tmp.o $*.elf
	$(Q)$(CROSS)objcopy --rename-section .data=.rodata,alloc,load,readonly,data,contents \
		$(@:.o=.tmp.o) $@

# Malformed boot modules for the loader tests.
$(B)/user/garbage.elf:
	@mkdir -p $(@D)
	$(Q)printf 'this is not an ELF file, just text long enough to have a header\n' > $@
$(B)/user/truncated.elf: $(B)/user/hello.elf
	$(Q)head -c 300 $< > $@

ISO_MODULES := $(B)/user/hello.elf $(B)/user/badptr.elf
iso: $(B)/sprig.iso
$(B)/sprig.iso: $(B)/kernel.elf $(ISO_MODULES) boot/grub.cfg tools/mkiso.sh
	$(Q)tools/mkiso.sh $@ $(B)/kernel.elf $(ISO_MODULES)
	@echo "  ISO     $@ (boot it: tools/qemu.sh --iso $@)"
$(B)/test/sprig-test.iso: $(B)/kernel.elf $(ISO_MODULES) boot/grub.cfg tools/mkiso.sh
	@mkdir -p $(@D)
	$(Q)ISO_APPEND=poweroff=idle tools/mkiso.sh $@ $(B)/kernel.elf $(ISO_MODULES)

deps:
	@tools/deps.sh

# The disk: an ext2 image of the programs (tools/mkdisk.sh). make run uses
# build/disk.img and keeps it, with what was written to it, until make
# clean (make disk makes it anew); tests make their own.
DISK_PROGS := $(filter-out proctest procbench fstest blktest texttest,$(BOOT_PROGS))
DISK_IMAGE := $(DISK_PROGS:%=$(B)/bootimg/%.elf)
$(B)/disk.img: | $(DISK_IMAGE) tools/mkdisk.sh
	$(Q)tools/mkdisk.sh $@ 32 $(DISK_IMAGE)
	@echo "  DISK    $@"
disk: deps all $(DISK_IMAGE)
	$(Q)tools/mkdisk.sh $(B)/disk.img 32 $(DISK_IMAGE)
	@echo "  DISK    $(B)/disk.img (made anew)"

# make run boots the process manager, which starts the console driver,
# init and the shell; poweroff (the program) then ends the run.
RUN_MODULES := $(B)/servers/proc.elf
# APPEND: the nucleus command line (docs/nucleus.md): by default power off
# once every domain has ended, and log only warnings (log=debug for more)
APPEND ?= poweroff=idle log=warn
run: deps all $(B)/disk.img
	@tools/qemu.sh --modules "$(RUN_MODULES)" --append "$(APPEND)" --disk $(B)/disk.img || \
		test $$? = 1

debug: deps all
	@echo "QEMU waits for gdb on :1234; in another terminal: gdb -x tools/gdbinit"
	tools/qemu.sh --debug --modules "$(RUN_MODULES)" --append "$(APPEND)"

fuzz: deps all
	@tools/fuzz.sh

bench: deps all
	@tools/bench.sh
	@echo; tools/profile.sh

# The same rows on Linux, on the same emulated CPU (docs/measuring.md). It
# downloads a Debian kernel the first time, so make test never runs it.
bench-linux:
	@tools/linuxbench.sh

# Unit tests: CMocka, for the host, from the same sources as the nucleus.
UNIT_TESTS := frame elf pagetable uaccess format share memobj dtable ptable ext2 walk cache
UNIT_SRCS_frame := vmm/frame.c
UNIT_SRCS_elf := nucleus/elf.c
UNIT_SRCS_pagetable := vmm/pagetable.c vmm/aspace.c vmm/frame.c vmm/share.c vmm/memobj.c vmm/uaccess.c
UNIT_SRCS_uaccess := vmm/uaccess.c vmm/aspace.c vmm/pagetable.c vmm/frame.c vmm/share.c vmm/memobj.c
UNIT_SRCS_format := lib/c/format.c
UNIT_SRCS_share := vmm/share.c vmm/aspace.c vmm/pagetable.c vmm/frame.c vmm/uaccess.c vmm/device.c vmm/memobj.c
UNIT_SRCS_memobj := $(UNIT_SRCS_share)
UNIT_SRCS_dtable := nucleus/door.c nucleus/dtable.c nucleus/names.c
UNIT_SRCS_ptable := servers/proc/table.c
UNIT_SRCS_ext2 := servers/fs/ext2.c
# ext2 reads hostile images: its test runs under the address and
# undefined-behaviour sanitizers.
UNIT_CFLAGS_ext2 := -fsanitize=address,undefined -fno-sanitize-recover=all
# The path walk over memfs, on the host's malloc and string functions (but
# strlcpy, which the test gives).
UNIT_SRCS_walk := servers/fs/walk.c servers/fs/memfs.c lib/c/format.c
UNIT_CFLAGS_walk := $(UNIT_CFLAGS_ext2) -Dstrlcpy=host_strlcpy
# The block cache over a memory disk, its malloc the test's (which fails
# when told).
UNIT_SRCS_cache := servers/fs/cache.c lib/c/format.c
UNIT_CFLAGS_cache := $(UNIT_CFLAGS_ext2) -Dmalloc=fake_malloc -Dcalloc=fake_calloc -Dfree=fake_free
HOST_CFLAGS := -std=c11 -g -O1 -Wall -Wextra -Werror -I. -Iinclude -DSPRIG_HOST -DSPRIG_NUCLEUS \
	-Dvsnprintf=sprig_vsnprintf -Dsnprintf=sprig_snprintf -Dformat=sprig_format
$(B)/unit/%: tests/unit/test_%.c tests/unit/host.c tests/unit/host.h $$(UNIT_SRCS_%)
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) $(UNIT_CFLAGS_$*) -o $@ $< tests/unit/host.c $(UNIT_SRCS_$*) \
		-lcmocka

# The user C library's unit tests: its sources built for the host with every
# public name made sprig_NAME (tests/unit/libc_names.h), so they neither call
# nor replace the host's C library; what they need from the nucleus and the
# descriptors is faked in tests/unit/libc_fakes.c.
LIBC_UNIT_TESTS := malloc stdio stdlib string prefix
LIBC_UNIT_SRCS := lib/c/malloc.c lib/c/stdio.c lib/c/stdlib.c lib/c/exit.c lib/c/qsort.c lib/c/env.c \
	lib/c/string.c lib/c/strextra.c lib/c/ctype.c lib/c/errno.c lib/c/format.c lib/c/args.c \
	lib/c/prefix.c
LIBC_HOST_CFLAGS := -std=c11 -g -O1 -Wall -Wextra -Werror -fno-builtin -I. -Iinclude \
	-Ilib/c/include -DSPRIG_HOST -include tests/unit/libc_names.h
$(LIBC_UNIT_TESTS:%=$(B)/unit/%): $(B)/unit/%: tests/unit/test_%.c tests/unit/libc_fakes.c \
		tests/unit/libc_fakes.h tests/unit/libc_names.h $(LIBC_UNIT_SRCS) $(wildcard lib/c/*.h lib/c/include/*.h)
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) -std=c11 -g -O1 -Wall -Wextra -Werror -I. -c tests/unit/libc_fakes.c -o $@-fakes.o
	$(Q)$(HOSTCC) $(LIBC_HOST_CFLAGS) -o $@ $< $(LIBC_UNIT_SRCS) $@-fakes.o -lcmocka

unit: $(UNIT_TESTS:%=$(B)/unit/%) $(LIBC_UNIT_TESTS:%=$(B)/unit/%)
	@tools/run-unit.sh $^

SOURCES = $(shell git ls-files --cached --others --exclude-standard '*.c' '*.h' 2>/dev/null || find . -name '*.[ch]' -not -path './build/*')
format:
	clang-format -i $(SOURCES)
format-check:
	@clang-format --dry-run --Werror $(SOURCES) && echo "PASS format"

test: deps
	@tools/test.sh

clean:
	rm -rf $(B)

.PHONY: all run test bench bench-linux fuzz iso debug clean deps unit format format-check disk
.SUFFIXES:
# Keep the objects that chains of rules make (user .o files, blobs): else
# the next make rebuilds every program.
.SECONDARY:
-include $(shell find $(B) -name '*.d' 2>/dev/null)
