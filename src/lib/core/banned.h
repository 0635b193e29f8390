/*
 * banned.h - functions that must not be used in libcshare or the CLI, turned
 * into compile errors (after git's banned.h).  Included by core/internal.h.
 */
#ifndef CS_BANNED_H
#define CS_BANNED_H

#define CS__BANNED(func) sorry_##func##_is_a_banned_function

#undef strcpy
#define strcpy(x, y) CS__BANNED(strcpy)
#undef strcat
#define strcat(x, y) CS__BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) CS__BANNED(strncpy)
#undef sprintf
#define sprintf(...) CS__BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) CS__BANNED(vsprintf)
#undef strtok
#define strtok(x, y) CS__BANNED(strtok)
#undef atoi
#define atoi(x) CS__BANNED(atoi)
#undef gmtime
#define gmtime(x) CS__BANNED(gmtime)
#undef localtime
#define localtime(x) CS__BANNED(localtime)
#ifndef CS_ALLOC_IMPL
#undef malloc
#define malloc(n) CS__BANNED(malloc)
#undef free
#define free(p) CS__BANNED(free)
#undef realloc
#define realloc(p, n) CS__BANNED(realloc)
#undef calloc
#define calloc(n, s) CS__BANNED(calloc)
#endif

#endif
