#include "core/secret.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/xalloc.h"

static unsigned char key[crypto_secretbox_KEYBYTES];
static bool ready;

int secret_init(const char *path, struct zw_err *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) {
		randombytes_buf(key, sizeof(key));
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd < 0 || write(fd, key, sizeof(key)) != (ssize_t)sizeof(key) ||
		    fsync(fd) < 0) {
			int e = errno;
			if (fd >= 0)
				close(fd);
			sodium_memzero(key, sizeof(key));
			return zw_errf(err, ZW_EINTERNAL, "secret_key_file",
			               "无法创建密钥文件 %s：%s", path, strerror(e));
		}
		close(fd);
		ready = true;
		return 0;
	}
	if (fd < 0)
		return zw_errf(err, ZW_EINTERNAL, "secret_key_file", "无法读取密钥文件 %s：%s",
		               path, strerror(errno));
	struct stat stt;
	ssize_t n = fstat(fd, &stt) == 0 ? read(fd, key, sizeof(key)) : -1;
	close(fd);
	if (n != (ssize_t)sizeof(key))
		return zw_errf(err, ZW_EINTERNAL, "secret_key_file", "密钥文件 %s 已损坏", path);
	if (stt.st_mode & 077)
		fprintf(stderr, "zwnet: warning: key file %s is readable by others (chmod 600)\n",
		        path);
	ready = true;
	return 0;
}

bool secret_ready(void)
{
	return ready;
}

int secret_seal(const char *plain, char **out, struct zw_err *err)
{
	if (!ready)
		return zw_errf(err, ZW_EINTERNAL, NULL, "未配置密钥文件，不能保存密码类字段");
	size_t n = strlen(plain);
	size_t blen = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + n;
	unsigned char *box = xmalloc(blen);
	size_t tlen =
	    strlen(SECRET_PREFIX) + sodium_base64_ENCODED_LEN(blen, sodium_base64_VARIANT_ORIGINAL);
	char *text = xmalloc(tlen);
	randombytes_buf(box, crypto_secretbox_NONCEBYTES);
	crypto_secretbox_easy(box + crypto_secretbox_NONCEBYTES, (const unsigned char *)plain, n,
	                      box, key);
	strcpy(text, SECRET_PREFIX);
	sodium_bin2base64(text + strlen(SECRET_PREFIX), tlen - strlen(SECRET_PREFIX), box, blen,
	                  sodium_base64_VARIANT_ORIGINAL);
	free(box);
	*out = text;
	return 0;
}

int secret_open(const char *sealed, char **plain, struct zw_err *err)
{
	size_t pl = strlen(SECRET_PREFIX);
	if (!ready)
		return zw_errf(err, ZW_EINTERNAL, NULL, "未配置密钥文件");
	if (strncmp(sealed, SECRET_PREFIX, pl) != 0)
		return zw_errf(err, ZW_EINTERNAL, NULL, "不是加密保存的值");
	size_t tl = strlen(sealed + pl), blen = 0;
	unsigned char *box = xmalloc(tl + 1);
	if (sodium_base642bin(box, tl + 1, sealed + pl, tl, NULL, &blen, NULL,
	                      sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    blen < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) {
		free(box);
		return zw_errf(err, ZW_EINTERNAL, NULL, "加密值已损坏");
	}
	size_t n = blen - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES;
	char *p = xmalloc(n + 1);
	if (crypto_secretbox_open_easy((unsigned char *)p, box + crypto_secretbox_NONCEBYTES,
	                               blen - crypto_secretbox_NONCEBYTES, box, key) != 0) {
		free(p);
		free(box);
		return zw_errf(err, ZW_EINTERNAL, NULL, "加密值无法用当前密钥解开");
	}
	p[n] = 0;
	free(box);
	*plain = p;
	return 0;
}
