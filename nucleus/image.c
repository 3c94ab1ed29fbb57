/* SPDX-License-Identifier: MIT */
/*
 * Program images (sprig/kobj.h, docs/processes.md §2): an ELF executable
 * read once from its maker's memory into one memory object per loadable
 * segment (vmm/memobj.c), so that every domain loaded from it maps the
 * same read-only pages (its text and rodata) and copies only its data.
 * An image is a nucleus object: a door names it by its slot here, and it
 * goes when its last door goes (its objects then go with their last
 * mappers).
 *
 * Who pays: an object's first mapper (memobj_map); while nobody maps it,
 * nobody. So the frames held by every image are bounded here
 * (IMAGE_FRAMES_MAX), as its maker bounds how many it keeps.
 *
 * Entry points: image_make (DM_IMAGE), image_load (DOM_LOAD_IMAGE),
 * image_call (the image door), image_released (door.c, via domobj.c).
 */
#include "nucleus/nucleus.h"
#include "lib/c/libc.h"
#include <sprig/errno.h>
#include <sprig/kobj.h>

#define IMAGE_MAX        32
#define IMAGE_FRAMES_MAX 4096 /* 16 MiB: all images' frames, when made */

struct image_seg {
	uint32_t start, end, prot; /* the region: page aligned, VM_* */
	int shared;                /* read-only: mapped, not copied */
	struct memobj *obj;        /* its pages, file bytes in place */
};

struct image {
	int used;
	uint32_t entry;
	int nsegs;
	struct image_seg seg[ELF_MAX_SEGMENTS];
	uint32_t frames; /* what it took when made (counted in images.frames) */
	uint32_t shared_pages, copied_pages;
};

/* Every image; interrupts off. */
static struct {
	struct image img[IMAGE_MAX];
	uint32_t frames; /* sum of img[].frames */
} images;

/* A page for moving file bytes: the nucleus runs one thing at a time. */
static char bounce[PAGE_SIZE];

/* Drops every object of img and frees its slot. */
static void image_free(struct image *img)
{
	for (int i = 0; i < img->nsegs; i++)
		if (img->seg[i].obj)
			memobj_drop(img->seg[i].obj);
	images.frames -= img->frames;
	memset(img, 0, sizeof *img);
}

/* The frames an image of info will take at most: a header and a leaf per
 * 4 MiB for each object, and its pages (a writable one's file bytes). */
static uint32_t frames_needed(const struct elf_info *info)
{
	uint32_t n = 0;
	for (int i = 0; i < info->nsegments; i++) {
		const struct elf_segment *s = &info->seg[i];
		uint32_t lo = PAGE_DOWN(s->vaddr);
		uint32_t hi = (s->prot & VM_WRITE) ? PAGE_UP(s->vaddr + s->filesz)
		                                   : PAGE_UP(s->vaddr + s->memsz);
		n += 1 + ((PAGE_UP(s->vaddr + s->memsz) - lo) >> 22) + 1 +
		     ((hi - lo) >> PAGE_SHIFT);
	}
	return n;
}

/* Fills seg's object with s's file bytes from the caller's image at
 * uaddr. 0, -EFAULT or -ENOMEM. */
static int fill_segment(struct image_seg *seg, const struct elf_segment *s, struct aspace *as,
                        uint32_t uaddr)
{
	for (uint32_t done = 0; done < s->filesz;) {
		uint32_t n = s->filesz - done < PAGE_SIZE ? s->filesz - done : PAGE_SIZE;
		if (copy_in(as, bounce, uaddr + s->offset + done, n) < 0)
			return -EFAULT;
		int err = memobj_write(seg->obj, s->vaddr - seg->start + done, bounce, n);
		if (err < 0)
			return err;
		done += n;
	}
	return 0;
}

/* Makes img's segments from info and the caller's file at uaddr. 0 or
 * -errno with *why; img is then the caller's to free. */
static int build(struct image *img, const struct elf_info *info, struct aspace *as, uint32_t uaddr,
                 const char **why)
{
	for (int i = 0; i < info->nsegments; i++) {
		const struct elf_segment *s = &info->seg[i];
		struct image_seg *seg = &img->seg[img->nsegs];
		int err;
		seg->start = PAGE_DOWN(s->vaddr);
		seg->end = PAGE_UP(s->vaddr + s->memsz);
		seg->prot = s->prot;
		seg->shared = !(s->prot & VM_WRITE);
		seg->obj = memobj_new((seg->end - seg->start) >> PAGE_SHIFT, &err);
		if (!seg->obj) {
			*why = "out of memory";
			return err;
		}
		img->nsegs++;
		if ((err = fill_segment(seg, s, as, uaddr)) < 0) {
			*why = err == -EFAULT ? "the image is not readable at the address given"
			                      : "out of memory";
			return err;
		}
		if (seg->shared)
			img->shared_pages += (seg->end - seg->start) >> PAGE_SHIFT;
		else
			img->copied_pages +=
			        (PAGE_UP(s->vaddr + s->filesz) - seg->start) >> PAGE_SHIFT;
		img->frames += memobj_frames(seg->obj);
		images.frames += memobj_frames(seg->obj);
	}
	img->entry = info->entry;
	return 0;
}

/* A free slot, or NULL. */
static struct image *image_alloc(void)
{
	for (int id = 0; id < IMAGE_MAX; id++)
		if (!images.img[id].used) {
			images.img[id].used = 1;
			return &images.img[id];
		}
	return NULL;
}

/* Makes an image of the ELF file at user address uaddr (size bytes) of
 * as, in *out. 0, or -errno with *why. */
static int image_create(struct aspace *as, uint32_t uaddr, uint32_t size, struct image **out,
                        const char **why)
{
	struct elf_info info;
	int err = elf_parse_user(as, uaddr, size, &info, why);
	if (err < 0)
		return err;
	if (images.frames + frames_needed(&info) > IMAGE_FRAMES_MAX) {
		*why = "all images would hold too many frames";
		return -ENOMEM;
	}
	struct image *img = image_alloc();
	if (!img) {
		*why = "no room for another image";
		return -EAGAIN;
	}
	if ((err = build(img, &info, as, uaddr, why)) < 0) {
		image_free(img);
		return err;
	}
	*out = img;
	return 0;
}

/* DM_IMAGE: an image of the ELF file in the caller's memory, and a door
 * to it in the reply. */
int image_make(const struct kobj_request *rq, struct kobj_reply *rp)
{
	struct kobj_image_in in;
	if (rq->in_size != sizeof in)
		return -EINVAL;
	memcpy(&in, rq->in, sizeof in);
	struct image *img;
	const char *why;
	int err = image_create(&rq->caller->dom->as, in.image, in.size, &img, &why);
	if (err < 0) {
		klog(LOG_WARN, "nucleus: image for %s#%d: %s", rq->caller->dom->name,
		     rq->caller->dom->id, why);
		return err;
	}
	struct door *door = kobj_door(KOBJ_IMAGE, (uint32_t)(img - images.img));
	if (!door) {
		image_free(img);
		return -ENFILE;
	}
	door_get(door); /* the reply's hold */
	rp->door_out = door;
	return 0;
}

/* Loads the empty domain d from image id: its read-only segments map the
 * image's objects (every page at once: they are all there), its writable
 * ones get copies of the file's pages, then the stack holding args.
 * 0, or -ENOMEM / -ENOEXEC with *why (d is then the caller's to empty). */
int image_load(struct domain *d, uint32_t id, const char *args, struct elf_start *start,
               const char **why)
{
	const struct image *img = &images.img[id];
	assert(id < IMAGE_MAX && img->used);
	for (int i = 0; i < img->nsegs; i++) {
		const struct image_seg *s = &img->seg[i];
		struct region r = {s->start, s->end, s->prot, s->obj};
		int err = s->shared ? aspace_add_shared(&d->as, &r)
		                    : aspace_add_region(&d->as, s->start, s->end, s->prot);
		if (err == -ENOMEM) {
			*why = "the domain's frame limit, or the image's mappers";
			return -ENOMEM;
		}
		if (err < 0) {
			*why = "too many segments for one address space";
			return -ENOEXEC;
		}
		err = s->shared ? vmm_populate(&d->as, s->start, s->end)
		                : memobj_copy_pages(s->obj, &d->as, s->start, s->prot);
		if (err < 0) {
			*why = "out of memory";
			return -ENOMEM;
		}
	}
	return elf_add_stack(d, img->entry, args, start, why);
}

/* IMG_INFO: what the image holds, and how many domains map it. */
static int image_info(const struct image *img, const struct kobj_request *rq, struct kobj_reply *rp)
{
	if (rq->in_size != 0)
		return -EINVAL;
	struct kobj_image_info out = {img->shared_pages, img->copied_pages, 0, 0};
	for (int i = 0; i < img->nsegs; i++) {
		out.frames += memobj_frames(img->seg[i].obj);
		if (img->seg[i].shared && memobj_refs(img->seg[i].obj) > out.mappers)
			out.mappers = memobj_refs(img->seg[i].obj);
	}
	memcpy(rp->out, &out, sizeof out);
	rp->out_size = sizeof out;
	return 0;
}

void image_call(uint32_t id, const struct kobj_request *rq, struct kobj_reply *rp)
{
	assert(id < IMAGE_MAX && images.img[id].used);
	switch (rq->op) {
	case IMG_INFO: rp->status = image_info(&images.img[id], rq, rp); break;
	default: rp->status = -ENOSYS; break;
	}
}

/* The last door to image id is gone: it goes (its objects with their last
 * mappers). */
void image_released(uint32_t id)
{
	assert(id < IMAGE_MAX && images.img[id].used);
	image_free(&images.img[id]);
}
