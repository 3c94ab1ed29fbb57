/* SPDX-License-Identifier: MIT */
/*
 * Sorting and searching arrays: qsort (introsort, never quadratic) and
 * bsearch.
 *
 * Entry points: qsort, bsearch.
 */
#include <stdlib.h>

/* Swaps two elements of size bytes. */
static void swap_elems(char *a, char *b, size_t size)
{
	for (size_t i = 0; i < size; i++) {
		char t = a[i];
		a[i] = b[i];
		b[i] = t;
	}
}

typedef int (*cmp_fn)(const void *, const void *);

static void insertion_sort(char *base, size_t n, size_t size, cmp_fn cmp)
{
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && cmp(base + (j - 1) * size, base + j * size) > 0; j--)
			swap_elems(base + (j - 1) * size, base + j * size, size);
}

/* Restores the max-heap below root in base[0..n). */
static void sift_down(char *base, size_t root, size_t n, size_t size, cmp_fn cmp)
{
	for (size_t child; (child = 2 * root + 1) < n; root = child) {
		if (child + 1 < n && cmp(base + child * size, base + (child + 1) * size) < 0)
			child++;
		if (cmp(base + root * size, base + child * size) >= 0)
			return;
		swap_elems(base + root * size, base + child * size, size);
	}
}

static void heap_sort(char *base, size_t n, size_t size, cmp_fn cmp)
{
	for (size_t i = n / 2; i-- > 0;)
		sift_down(base, i, n, size, cmp);
	for (size_t end = n; end-- > 1;) {
		swap_elems(base, base + end * size, size);
		sift_down(base, 0, end, size, cmp);
	}
}

/* Moves the median of the first, middle and last elements to the front,
 * then partitions base[1..n) around it (Hoare); returns the pivot's final
 * index. Sorted and reversed input split evenly. */
static size_t partition(char *base, size_t n, size_t size, cmp_fn cmp)
{
	char *lo = base, *mid = base + n / 2 * size, *hi = base + (n - 1) * size;
	if (cmp(mid, lo) < 0)
		swap_elems(mid, lo, size);
	if (cmp(hi, mid) < 0) {
		swap_elems(hi, mid, size);
		if (cmp(mid, lo) < 0)
			swap_elems(mid, lo, size);
	}
	swap_elems(base, mid, size);
	size_t i = 0, j = n;
	for (;;) {
		while (++i < n && cmp(base + i * size, base) < 0)
			;
		while (cmp(base + --j * size, base) > 0)
			;
		if (i >= j)
			break;
		swap_elems(base + i * size, base + j * size, size);
	}
	swap_elems(base, base + j * size, size);
	return j;
}

/* Introsort: quicksort on the median of three, recursing into the smaller
 * side only, turning to heapsort when the depth passes 2 log2 n (so never
 * quadratic), and insertion sort for short runs. */
static void intro_sort(char *base, size_t n, size_t size, cmp_fn cmp, int depth)
{
	while (n > 12) {
		if (depth-- == 0) {
			heap_sort(base, n, size, cmp);
			return;
		}
		size_t p = partition(base, n, size, cmp);
		if (p < n - p - 1) {
			intro_sort(base, p, size, cmp, depth);
			base += (p + 1) * size;
			n -= p + 1;
		} else {
			intro_sort(base + (p + 1) * size, n - p - 1, size, cmp, depth);
			n = p;
		}
	}
	insertion_sort(base, n, size, cmp);
}

void qsort(void *base, size_t n, size_t size, cmp_fn cmp)
{
	int depth = 0;
	for (size_t m = n; m > 1; m >>= 1)
		depth += 2;
	if (size)
		intro_sort(base, n, size, cmp, depth);
}

void *bsearch(const void *key, const void *base, size_t n, size_t size, cmp_fn cmp)
{
	const char *lo = base;
	while (n > 0) {
		const char *mid = lo + n / 2 * size;
		int c = cmp(key, mid);
		if (c == 0)
			return (void *)mid;
		if (c > 0) {
			lo = mid + size;
			n -= n / 2 + 1;
		} else {
			n /= 2;
		}
	}
	return NULL;
}
