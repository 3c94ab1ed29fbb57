/* SPDX-License-Identifier: MIT */
/*
 * Memory layout constants shared by the boot code, the linker script and C.
 * The nucleus is linked at KERNBASE + 1 MiB and loaded at 1 MiB; physical
 * memory below KMAP_LIMIT is mapped at KERNBASE in every address space.
 */
#ifndef SPRIG_BOOT_LAYOUT_H
#define SPRIG_BOOT_LAYOUT_H

#define KERNBASE        0xC0000000
#define KERNLOAD        0x00100000
#define KMAP_LIMIT      0x38000000 /* 896 MiB of physical memory directly mapped */
#define BOOT_STACK_SIZE 16384

#ifdef __ASSEMBLER__
#define V2P(x) ((x)-KERNBASE)
#else
#define V2P(x) ((uint32_t)(x)-KERNBASE)
#define P2V(x) ((void *)((uint32_t)(x) + KERNBASE))
#endif

#endif
