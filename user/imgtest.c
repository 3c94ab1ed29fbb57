/* SPDX-License-Identifier: MIT */
/*
 * imgtest: program images (sprig/kobj.h: DM_IMAGE, DOM_LOAD_IMAGE,
 * IMG_INFO, DM_FRAMES, DOM_FRAMES; docs/processes.md §2), run as the
 * first boot module, holding the domain manager (tests/system/t_text.sh).
 * Hostile input at every new operation; then an image of imgchild (linked
 * in) loaded into several domains: what each costs against a copying
 * load, who pays, the text shared by clones and read-only, the payer
 * dying first, the image outliving its domains, and every frame back
 * when the last domain and the image door have gone.
 */
#include "user/check.h"

extern const char _binary_imgchild_elf_start[], _binary_imgchild_elf_end[];
#define CHILD      _binary_imgchild_elf_start
#define CHILD_SIZE ((uint32_t)(_binary_imgchild_elf_end - _binary_imgchild_elf_start))

static int dm, watch;

static int make_image(const void *image, uint32_t size)
{
	struct kobj_image_in in = {(uint32_t)(uintptr_t)image, size};
	int door = -1;
	int err = kobj_invoke(dm, DM_IMAGE, &in, sizeof in, NULL, 0, -1, &door);
	return err < 0 ? err : door;
}

static int load_image(int dom, int img, const char *args, struct kobj_load_out *out)
{
	struct kobj_load_image_in in;
	memset(&in, 0, sizeof in);
	strlcpy(in.args, args, sizeof in.args);
	return kobj_invoke(dom, DOM_LOAD_IMAGE, &in, sizeof in, out, sizeof *out, img, NULL);
}

static uint32_t free_frames(void)
{
	struct kobj_frames_out f = {0, 0};
	kobj_invoke(dm, DM_FRAMES, NULL, 0, &f, sizeof f, -1, NULL);
	return f.free;
}

static uint32_t frames_of(int dom)
{
	struct kobj_frames_out f = {0, 0};
	kobj_invoke(dom, DOM_FRAMES, NULL, 0, &f, sizeof f, -1, NULL);
	return f.free; /* DOM_FRAMES: the frames it holds */
}

static struct kobj_image_info info_of(int img)
{
	struct kobj_image_info info = {0, 0, 0, 0};
	kobj_invoke(img, IMG_INFO, NULL, 0, &info, sizeof info, -1, NULL);
	return info;
}

/* A domain called name loaded with args from image img (or by copying
 * the file, img < 0), watched, its start door `give`, started; its door
 * or -errno, its id in *id. */
static int run(const char *name, int img, const char *args, int give, uint32_t *id)
{
	int dom = dm_create(dm, name, 0);
	if (dom < 0)
		return dom;
	*id = domain_id(dom);
	struct kobj_load_out at;
	int err = img >= 0 ? load_image(dom, img, args, &at)
	                   : dom_load(dom, CHILD, CHILD_SIZE, args, &at);
	int sd = err >= 0 && give >= 0 ? dom_give(dom, give) : -1;
	if (err >= 0)
		err = dom_watch(dom, watch);
	if (err >= 0)
		err = dom_thread(dom,
		                 &(struct kobj_thread_in){at.entry, at.esp, at.argp, (uint32_t)sd});
	return err < 0 ? err : dom;
}

/* Kills dom and waits for its end. */
static void end(int dom, uint32_t id)
{
	dom_kill(dom, 9);
	notice_for(id, 5000);
	door_close(dom);
}

/* Waits up to 2 s for the free frame count to come back to want. */
static uint32_t free_back_to(uint32_t want)
{
	uint32_t got = free_frames();
	for (int i = 0; i < 200 && got != want; i++) {
		sleep_ms(10);
		got = free_frames();
	}
	return got;
}

/* DM_IMAGE as an attacker would call it: every refusal, nothing kept. */
static void hostile_make(void)
{
	char *bad = malloc(CHILD_SIZE); /* before the count: its pages are ours */
	memcpy(bad, CHILD, CHILD_SIZE);
	uint32_t free0 = free_frames();
	struct kobj_image_in in = {(uint32_t)(uintptr_t)CHILD, CHILD_SIZE};
	int door = -1;
	check_err("DM_IMAGE with a short input",
	          kobj_invoke(dm, DM_IMAGE, &in, 4, NULL, 0, -1, &door), -EINVAL);
	check_err("DM_IMAGE of address 0x10", make_image((void *)0x10, 100), -EFAULT);
	check_err("DM_IMAGE across the top of user space", make_image((void *)0xbffff000, 0x2000),
	          -EFAULT);
	check_err("DM_IMAGE of a size that wraps", make_image(CHILD, 0xfffffff0u), -EFAULT);
	check_err("DM_IMAGE of unmapped memory", make_image((void *)0x30000000, 4096), -EFAULT);
	check_err("DM_IMAGE of zero bytes", make_image(CHILD, 0), -ENOEXEC);
	static const char garbage[] = "this is not an ELF file, just text long enough for a header";
	check_err("DM_IMAGE of text", make_image(garbage, sizeof garbage), -ENOEXEC);
	check_err("DM_IMAGE of a truncated file", make_image(CHILD, 300), -ENOEXEC);
	((uint32_t *)bad)[7] = 0x7ffffff0; /* e_phoff */
	check_err("DM_IMAGE with program headers far away", make_image(bad, CHILD_SIZE), -ENOEXEC);
	memcpy(bad, CHILD, CHILD_SIZE);
	uint32_t phoff = ((uint32_t *)bad)[7];
	((uint32_t *)(bad + phoff))[4] = 0x7fffffff; /* the first segment's p_filesz */
	check_err("DM_IMAGE with a segment past the file", make_image(bad, CHILD_SIZE), -ENOEXEC);
	check_err("DM_FRAMES with an input", kobj_invoke(dm, DM_FRAMES, &in, 4, NULL, 0, -1, NULL),
	          -EINVAL);
	check("refused images keep no frame", free_back_to(free0) == free0, "%u, not %u",
	      free_frames(), free0);
	free(bad);
}

/* DOM_LOAD_IMAGE and IMG_INFO as an attacker would call them. */
static void hostile_load(int img)
{
	int dom = dm_create(dm, "hostile", 0);
	struct kobj_load_image_in in;
	struct kobj_load_out out;
	memset(&in, 0, sizeof in);
	check_err("DOM_LOAD_IMAGE with no door",
	          kobj_invoke(dom, DOM_LOAD_IMAGE, &in, sizeof in, &out, sizeof out, -1, NULL),
	          -EINVAL);
	check_err("DOM_LOAD_IMAGE of the domain manager", load_image(dom, dm, "x", &out), -EINVAL);
	check_err("DOM_LOAD_IMAGE of a door this domain serves", load_image(dom, watch, "x", &out),
	          -EINVAL);
	check_err("DOM_LOAD_IMAGE of a domain door", load_image(dom, dom, "x", &out), -EINVAL);
	check_err("DOM_LOAD_IMAGE of a bad door id", load_image(dom, 999, "x", &out), -EBADF);
	check_err("DOM_LOAD_IMAGE with a short input",
	          kobj_invoke(dom, DOM_LOAD_IMAGE, &in, 8, &out, sizeof out, img, NULL), -EINVAL);
	memset(in.args, 'a', sizeof in.args);
	check_err("DOM_LOAD_IMAGE with unterminated arguments",
	          kobj_invoke(dom, DOM_LOAD_IMAGE, &in, sizeof in, &out, sizeof out, img, NULL),
	          -EINVAL);
	check_err("DOM_FRAMES with an input",
	          kobj_invoke(dom, DOM_FRAMES, &in, 4, NULL, 0, -1, NULL), -EINVAL);
	check_err("DOM_LOAD_IMAGE, well formed", load_image(dom, img, "imgchild", &out), 0);
	check_err("DOM_LOAD_IMAGE again: EBUSY", load_image(dom, img, "imgchild", &out), -EBUSY);
	check_err("DOM_LOAD after DOM_LOAD_IMAGE: EBUSY",
	          dom_load(dom, CHILD, CHILD_SIZE, "imgchild", &out), -EBUSY);
	dom_kill(dom, 0);
	check_err("DOM_LOAD_IMAGE of an ended domain", load_image(dom, img, "imgchild", &out),
	          -ESRCH);
	door_close(dom);
	struct kobj_image_info info;
	check_err("IMG_INFO with an input",
	          kobj_invoke(img, IMG_INFO, &in, 4, &info, sizeof info, -1, NULL), -EINVAL);
	check_err("an unknown image operation", kobj_invoke(img, 99, NULL, 0, NULL, 0, -1, NULL),
	          -ENOSYS);
}

/* Clones of a copied domain and of an image-loaded one: the second maps
 * the text object (no frame for it), the first holds each text page. */
static void clones(int img, int copied, int loaded, uint32_t text)
{
	int cc = dom_clone(copied, "cloneofcopy");
	int cl = dom_clone(loaded, "cloneofimage");
	uint32_t fcc = frames_of(cc), fcl = frames_of(cl);
	printf("imgtest: frames held by a clone: of a copy %u, of an image's domain %u\n", fcc,
	       fcl);
	check("a clone keeps sharing the text (maps the object)",
	      cc >= 0 && cl >= 0 && fcc >= fcl + text, "%u vs %u", fcc, fcl);
	check_err("the clone is one more mapper", (int)info_of(img).mappers, 3);
	door_close(cc); /* never started: they go with their doors */
	door_close(cl);
	check_err("a discarded clone maps it no more", (int)info_of(img).mappers, 2);
}

/* A domain writing its text, and one holding the image door. */
static void faults_and_holders(int img, uint32_t *ids)
{
	int w = run("imgwrite", img, "imgchild write", -1, &ids[0]);
	const struct kobj_notice *n = notice_for(ids[0], 5000);
	check("a write to shared text is a page fault",
	      w >= 0 && n && n->cause == KOBJ_END_FAULT && n->status == 14, "cause %d status %d",
	      n ? (int)n->cause : -1, n ? n->status : 0);
	door_close(w);
	int h = run("imgholder", img, "imgchild holder", img, &ids[1]);
	n = notice_for(ids[1], 5000);
	check("a domain given the image door can only read its info",
	      h >= 0 && n && n->cause == KOBJ_END_EXIT && n->status == 0, "cause %d status %d",
	      n ? (int)n->cause : -1, n ? n->status : 0);
	door_close(h);
}

static void sharing(void)
{
	uint32_t free_before = free_frames(), id[6];
	int img = make_image(CHILD, CHILD_SIZE);
	struct kobj_image_info info = info_of(img);
	check("an image of imgchild", img >= 0 && info.shared_pages > 0 && info.mappers == 0,
	      "%d, %u shared pages", img, info.shared_pages);
	hostile_load(img);
	uint32_t f0 = free_frames();
	int c = run("imgcopy", -1, "imgchild wait", -1, &id[0]);
	sleep_ms(100);
	uint32_t f1 = free_frames();
	int a = run("imgfirst", img, "imgchild wait", -1, &id[1]);
	sleep_ms(100);
	uint32_t f2 = free_frames();
	int b = run("imgsecond", img, "imgchild wait", -1, &id[2]);
	sleep_ms(100);
	uint32_t f3 = free_frames(), fa = frames_of(a), fb = frames_of(b), text = info.shared_pages;
	printf("imgtest: text %u pages; frames taken: copied %u, from the image %u then %u; "
	       "held: first %u, second %u\n",
	       text, f0 - f1, f1 - f2, f2 - f3, fa, fb);
	check("a domain from the image takes the text's frames fewer than a copy",
	      f0 - f1 >= f1 - f2 + text && f0 - f1 >= f2 - f3 + text, "%u %u %u", f0 - f1, f1 - f2,
	      f2 - f3);
	check("the first mapper pays for the text, the second does not", fa >= fb + text,
	      "%u vs %u", fa, fb);
	check_err("two mappers", (int)info_of(img).mappers, 2);
	clones(img, c, b, text);
	faults_and_holders(img, &id[3]);
	end(a, id[1]); /* the payer goes first: the second pays now */
	check("the payer's death moves the charge to the other mapper", frames_of(b) >= fb + text,
	      "%u, was %u", frames_of(b), fb);
	end(b, id[2]);
	end(c, id[0]);
	check_err("no mappers left", (int)info_of(img).mappers, 0);
	check("the image keeps its frames with no mapper", info_of(img).frames == info.frames,
	      "%u, was %u", info_of(img).frames, info.frames);
	int d = run("imghello", img, "imgchild hello", -1, &id[5]);
	const struct kobj_notice *n = notice_for(id[5], 5000);
	check("the image outlives its domains: one more runs from it", n && n->status == 0, "%d",
	      n ? n->status : -1);
	door_close(d);
	uint32_t held = free_frames(), frames = info_of(img).frames;
	door_close(img);
	uint32_t back = free_back_to(held + frames);
	check("closing the image door gives back every frame it held", back == held + frames,
	      "%u, want %u + %u", back, held, frames);
	/* The rest of imgtest's own growth aside; t_text.sh checks every frame
	 * comes back at the end. */
	printf("imgtest: free frames before the image %u, after %u\n", free_before, back);
}

int main(void)
{
	check_start("imgtest", CHECK_COLON);
	dm = sprig_start_door;
	watch = door_create(notice_proc, NULL, 0);
	if (dm < 0 || watch < 0 || door_pool_start(2) < 0) {
		printf("imgtest: FAIL: no domain manager (%d) or watch door (%d)\n", dm, watch);
		return 1;
	}
	hostile_make();
	sharing();
	printf("imgtest: %d of %d checks passed\n", checks - failures, checks);
	return failures ? 1 : 0;
}
