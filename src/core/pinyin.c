/* The pinyin initials table, read from data/pinyin/initials.tsv (embedded) into one byte per
 * code point of U+3400-U+9FFF. */
#include "core/pinyin.h"

#include <pthread.h>
#include <stdbool.h>
#include <utf8proc.h>

#include "core/embed.h"
#include "core/log.h"

#define FIRST 0x3400u
#define LAST  0x9FFFu

static char letters[LAST - FIRST + 1]; /* 0: none */
static pthread_once_t once = PTHREAD_ONCE_INIT;

static int hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* "<hex>\t<letters>" lines; a line that is not is skipped (and logged once): the file is ours
 * and checked by the unit test, so this only guards against a broken build. */
static void load(void)
{
	const struct embed_file *f = embed_find("data/pinyin/initials.tsv");
	if (!f) {
		log_warnx("pinyin: data/pinyin/initials.tsv is not embedded");
		return;
	}
	bool warned = false;
	const char *p = f->data, *end = f->data + f->size;
	while (p < end) {
		const char *eol = p;
		while (eol < end && *eol != '\n')
			eol++;
		if (*p != '#' && eol > p) {
			uint32_t cp = 0;
			const char *q = p;
			int d;
			while (q < eol && (d = hex(*q)) >= 0)
				cp = cp * 16 + (uint32_t)d, q++;
			if (q == p || q >= eol || *q != '\t' || cp < FIRST || cp > LAST) {
				if (!warned)
					log_warnx("pinyin: a malformed line in initials.tsv");
				warned = true;
			} else {
				for (q++; q < eol && cp <= LAST; q++, cp++)
					letters[cp - FIRST] = *q >= 'a' && *q <= 'z' ? *q : 0;
			}
		}
		p = eol + 1;
	}
}

char pinyin_initial(uint32_t cp)
{
	if (cp < FIRST || cp > LAST)
		return 0;
	pthread_once(&once, load);
	return letters[cp - FIRST];
}

size_t pinyin_initials(const char *utf8, char *out, size_t n)
{
	size_t k = 0;
	const utf8proc_uint8_t *s = (const utf8proc_uint8_t *)utf8;
	while (*s && k + 1 < n) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t len = utf8proc_iterate(s, -1, &cp);
		s += len > 0 ? len : 1; /* a byte that starts no valid sequence is skipped alone */
		char c = 0;
		if (cp >= 'A' && cp <= 'Z')
			c = (char)(cp - 'A' + 'a');
		else if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9'))
			c = (char)cp;
		else if (cp > 0)
			c = pinyin_initial((uint32_t)cp);
		if (c)
			out[k++] = c;
	}
	if (n)
		out[k] = 0;
	return k;
}
