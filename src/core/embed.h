/* embed: files the binary carries (profiles, demo data, OpenAPI document); see tools/embed.py. */
#ifndef ZW_CORE_EMBED_H
#define ZW_CORE_EMBED_H

#include <stddef.h>

struct embed_file {
	const char *name; /* path relative to the source tree */
	const char *data; /* NUL-terminated */
	size_t size;
};

extern const struct embed_file embed_files[];

/* The embedded file of that name, or NULL. */
static inline const struct embed_file *embed_find(const char *name)
{
	for (const struct embed_file *f = embed_files; f->name; f++) {
		const char *a = f->name, *b = name;
		while (*a && *a == *b)
			a++, b++;
		if (*a == 0 && *b == 0)
			return f;
	}
	return NULL;
}

#endif
