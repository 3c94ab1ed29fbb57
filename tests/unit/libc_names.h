/* SPDX-License-Identifier: MIT */
/*
 * Forced into every translation unit of the C-library unit tests (-include):
 * each public name of lib/c becomes sprig_NAME, so the library under test
 * neither calls nor replaces the host C library that CMocka runs on. The
 * nucleus calls the library makes are faked under those names in
 * tests/unit/libc_fakes.c, which is built without this header.
 */
#ifndef SPRIG_TESTS_UNIT_LIBC_NAMES_H
#define SPRIG_TESTS_UNIT_LIBC_NAMES_H

#define memcpy        sprig_memcpy
#define memmove       sprig_memmove
#define memset        sprig_memset
#define memcmp        sprig_memcmp
#define memchr        sprig_memchr
#define strlen        sprig_strlen
#define strnlen       sprig_strnlen
#define strcmp        sprig_strcmp
#define strncmp       sprig_strncmp
#define strcoll       sprig_strcoll
#define strchr        sprig_strchr
#define strrchr       sprig_strrchr
#define strcpy        sprig_strcpy
#define strncpy       sprig_strncpy
#define strcat        sprig_strcat
#define strncat       sprig_strncat
#define strlcpy       sprig_strlcpy
#define strlcat       sprig_strlcat
#define strdup        sprig_strdup
#define strndup       sprig_strndup
#define strstr        sprig_strstr
#define strspn        sprig_strspn
#define strcspn       sprig_strcspn
#define strpbrk       sprig_strpbrk
#define strtok        sprig_strtok
#define strtok_r      sprig_strtok_r
#define strerror      sprig_strerror
#define strcasecmp    sprig_strcasecmp
#define strncasecmp   sprig_strncasecmp
#define strtol        sprig_strtol
#define strtoul       sprig_strtoul
#define strtoll       sprig_strtoll
#define strtoull      sprig_strtoull
#define atoi          sprig_atoi
#define atol          sprig_atol
#define atoll         sprig_atoll
#define abs           sprig_abs
#define labs          sprig_labs
#define llabs         sprig_llabs
#define rand          sprig_rand
#define srand         sprig_srand
#define qsort         sprig_qsort
#define bsearch       sprig_bsearch
#define getenv        sprig_getenv
#define setenv        sprig_setenv
#define unsetenv      sprig_unsetenv
#define environ       sprig_environ
#define atexit        sprig_atexit
#define exit          sprig_exit
#define _Exit         sprig__Exit
#define _exit         sprig__exit
#define abort         sprig_abort
#define __assert_fail sprig___assert_fail
#define malloc        sprig_malloc
#define free          sprig_free
#define calloc        sprig_calloc
#define realloc       sprig_realloc
#define malloc_check  sprig_malloc_check
#define malloc_stats  sprig_malloc_stats
#define isalnum       sprig_isalnum
#define isalpha       sprig_isalpha
#define isblank       sprig_isblank
#define iscntrl       sprig_iscntrl
#define isdigit       sprig_isdigit
#define isgraph       sprig_isgraph
#define islower       sprig_islower
#define isprint       sprig_isprint
#define ispunct       sprig_ispunct
#define isspace       sprig_isspace
#define isupper       sprig_isupper
#define isxdigit      sprig_isxdigit
#define isascii       sprig_isascii
#define tolower       sprig_tolower
#define toupper       sprig_toupper
#define errno         sprig_errno
#define format        sprig_format
#define vsnprintf     sprig_vsnprintf
#define snprintf      sprig_snprintf
#define printf        sprig_printf
#define fprintf       sprig_fprintf
#define dprintf       sprig_dprintf
#define sprintf       sprig_sprintf
#define vprintf       sprig_vprintf
#define vfprintf      sprig_vfprintf
#define vdprintf      sprig_vdprintf
#define vsprintf      sprig_vsprintf
#define fputc         sprig_fputc
#define putc          sprig_putc
#define putchar       sprig_putchar
#define fputs         sprig_fputs
#define puts          sprig_puts
#define fwrite        sprig_fwrite
#define fgetc         sprig_fgetc
#define getc          sprig_getc
#define getchar       sprig_getchar
#define ungetc        sprig_ungetc
#define fgets         sprig_fgets
#define fread         sprig_fread
#define fflush        sprig_fflush
#define setvbuf       sprig_setvbuf
#define setbuf        sprig_setbuf
#define feof          sprig_feof
#define ferror        sprig_ferror
#define clearerr      sprig_clearerr
#define fileno        sprig_fileno
#define fdopen        sprig_fdopen
#define fclose        sprig_fclose
#define perror        sprig_perror
#define stdin         sprig_stdin
#define stdout        sprig_stdout
#define stderr        sprig_stderr
#define read          sprig_read
#define write         sprig_write
#define close         sprig_close
#define vm_alloc      sprig_vm_alloc
#define vm_free       sprig_vm_free
#define yield         sprig_yield
#define console_write sprig_console_write
#define domain_exit   sprig_domain_exit

#endif
