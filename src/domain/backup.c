#include "domain/backup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/parse.h"
#include "core/secret.h"
#include "core/text.h"
#include "domain/audit.h"
#include "domain/registry.h"
#include "store/audit_sql.h"
#include "store/backup_sql.h"

#ifndef ZWNET_VERSION
#define ZWNET_VERSION "0.1.0"
#endif

#define MANIFEST_FORMAT "zwnet-backup-1"

/* Size and SHA-256 (hex) of a file. */
static int file_sha256(const char *path, int64_t *bytes, char hex[65], struct zw_err *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return zw_errf(err, ZW_EINVALID, NULL, "无法读取 %s：%s", path, strerror(errno));
	crypto_hash_sha256_state h;
	crypto_hash_sha256_init(&h);
	unsigned char b[65536];
	ssize_t n;
	*bytes = 0;
	while ((n = read(fd, b, sizeof(b))) > 0) {
		crypto_hash_sha256_update(&h, b, (unsigned long long)n);
		*bytes += n;
	}
	int e = errno;
	close(fd);
	if (n < 0)
		return zw_errf(err, ZW_EINVALID, NULL, "读取 %s 出错：%s", path, strerror(e));
	unsigned char d[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_final(&h, d);
	sodium_bin2hex(hex, 65, d, sizeof(d));
	return 0;
}

static int fsync_path(const char *path, bool dir)
{
	int fd = open(path, (dir ? O_RDONLY | O_DIRECTORY : O_RDONLY) | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	close(fd);
	return rc;
}

void backup_dir_of(const char *path, char *out, size_t n)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		snprintf(out, n, ".");
	else if (slash == path)
		snprintf(out, n, "/");
	else
		snprintf(out, n, "%.*s", (int)(slash - path), path);
}

/* Copy a file whole to a new file (mode), flushed to disk; to must not exist. */
static int copy_file(const char *from, const char *to, mode_t mode, struct zw_err *err)
{
	int in = open(from, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return zw_errf(err, ZW_EINVALID, NULL, "无法读取 %s：%s", from, strerror(errno));
	int out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	if (out < 0) {
		int e = errno;
		close(in);
		return zw_errf(err, e == ENOSPC ? ZW_ENOSPACE : ZW_EINTERNAL, NULL,
		               "无法创建 %s：%s", to, strerror(e));
	}
	char b[65536];
	ssize_t n = 0;
	int e = 0;
	while ((n = read(in, b, sizeof(b))) > 0) {
		for (ssize_t off = 0; off < n;) {
			ssize_t w = write(out, b + off, (size_t)(n - off));
			if (w < 0) {
				e = errno;
				break;
			}
			off += w;
		}
		if (e)
			break;
	}
	if (n < 0)
		e = errno;
	if (!e && fsync(out) < 0)
		e = errno;
	close(in);
	if (close(out) < 0 && !e)
		e = errno;
	if (e) {
		unlink(to);
		return zw_errf(err, e == ENOSPC ? ZW_ENOSPACE : ZW_EINTERNAL, NULL,
		               "复制 %s 到 %s 失败：%s", from, to, strerror(e));
	}
	return 0;
}

static int mkdir_p(const char *dir, struct zw_err *err)
{
	char p[BACKUP_PATH];
	if (snprintf(p, sizeof(p), "%s", dir) >= (int)sizeof(p))
		return zw_errf(err, ZW_EINVALID, "backup_dir", "路径过长：%.*s", CUT(dir, 200));
	for (char *s = p + 1; *s; s++)
		if (*s == '/') {
			*s = 0;
			if (mkdir(p, 0750) < 0 && errno != EEXIST)
				return zw_errf(err, ZW_EINVALID, "backup_dir",
				               "无法建立目录 %s：%s", p, strerror(errno));
			*s = '/';
		}
	if (mkdir(p, 0750) < 0 && errno != EEXIST)
		return zw_errf(err, ZW_EINVALID, "backup_dir", "无法建立目录 %s：%s", p,
		               strerror(errno));
	return 0;
}

static void add_count(void *arg, const char *table, int64_t rows)
{
	json_object_set_new(arg, table, json_integer(rows));
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

/* A manifest's name: zwnet-YYYYMMDD-HHMMSS[-N].json */
static bool is_manifest(const char *name)
{
	size_t n = strlen(name);
	if (n < 26 || strncmp(name, "zwnet-", 6) != 0 || strcmp(name + n - 5, ".json") != 0)
		return false;
	for (int i = 6; i < 21; i++)
		if (i == 14 ? name[i] != '-' : (name[i] < '0' || name[i] > '9'))
			return false;
	return true;
}

/* Newest first: by the name without ".json", so that a second set of the same second
 * (zwnet-...-023000-2) comes after the first (zwnet-...-023000), which "-" < "." would
 * reverse. */
static int cmp_desc(const void *a, const void *b)
{
	const char *x = *(char *const *)a, *y = *(char *const *)b;
	size_t xn = strlen(x) - 5, yn = strlen(y) - 5;
	int c = strncmp(y, x, xn < yn ? xn : yn);
	return c ? c : (yn > xn) - (yn < xn);
}

/* The manifests in dir, newest first (names sort by time). */
static int list_sets(const char *dir, char ***out, size_t *n, struct zw_err *err)
{
	*out = NULL;
	*n = 0;
	DIR *d = opendir(dir);
	if (!d)
		return zw_errf(err, ZW_EINVALID, "backup_dir", "无法读取备份目录 %s：%s", dir,
		               strerror(errno));
	size_t cap = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!is_manifest(e->d_name))
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			*out = realloc(*out, cap * sizeof(**out));
			if (!*out)
				abort();
		}
		(*out)[(*n)++] = strdup(e->d_name);
	}
	closedir(d);
	if (*n)
		qsort(*out, *n, sizeof(**out), cmp_desc);
	return 0;
}

static void free_list(char **l, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(l[i]);
	free(l);
}

int backup_latest(const char *dir, char *out, size_t n, struct zw_err *err)
{
	char **l;
	size_t k;
	*out = 0;
	int rc = list_sets(dir, &l, &k, err);
	if (!rc && k)
		snprintf(out, n, "%s/%s", dir, l[0]);
	free_list(l, k);
	return rc;
}

/* Remove a set: the files its manifest names in dir, then the manifest. */
static int remove_set(const char *dir, const char *name)
{
	char path[BACKUP_PATH * 2];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	json_t *m = json_load_file(path, 0, NULL);
	const char *files[] = {
	    json_string_value(json_object_get(json_object_get(m, "database"), "file")),
	    json_string_value(json_object_get(json_object_get(m, "key"), "file")),
	};
	for (size_t i = 0; i < 2; i++)
		if (files[i] && !strchr(files[i], '/') && files[i][0] != '.') {
			char f[BACKUP_PATH * 2];
			snprintf(f, sizeof(f), "%s/%s", dir, files[i]);
			unlink(f);
		}
	json_decref(m);
	return unlink(path);
}

int backup_make(struct store *st, const char *keyfile, const char *dir, int keep,
                struct backup_set *out, struct zw_err *err)
{
	memset(out, 0, sizeof(*out));
	int64_t t0 = clock_mono_ms();
	if (strlen(dir) > BACKUP_PATH - 64)
		return zw_errf(err, ZW_EINVALID, "backup_dir", "备份目录的路径过长");
	int rc = mkdir_p(dir, err);
	if (rc)
		return rc;
	/* the name: Beijing time, and a number when two are taken within one second */
	time_t now = (time_t)clock_now();
	time_t local = now + 8 * 3600;
	struct tm tm;
	gmtime_r(&local, &tm);
	char stamp[40], base[BACKUP_PATH - 16];
	strftime(stamp, sizeof(stamp), "zwnet-%Y%m%d-%H%M%S", &tm);
	for (int i = 1;; i++) {
		if (i == 1)
			snprintf(base, sizeof(base), "%s/%s", dir, stamp);
		else
			snprintf(base, sizeof(base), "%s/%s-%d", dir, stamp, i);
		char probe[BACKUP_PATH];
		snprintf(probe, sizeof(probe), "%s.json", base);
		struct stat sb;
		if (stat(probe, &sb) < 0 && errno == ENOENT)
			break;
		if (i > 100)
			return zw_errf(err, ZW_ECONFLICT, "backup_dir", "同一秒内的备份过多");
	}
	char tmp[BACKUP_PATH];
	snprintf(out->db, sizeof(out->db), "%s.db", base);
	snprintf(tmp, sizeof(tmp), "%s.db.tmp", base);
	unlink(tmp); /* left by a backup that was interrupted */
	rc = store_snapshot(st, tmp, err);
	/* it holds the password hashes and everything else: as closed as the database */
	if (!rc && chmod(tmp, 0600) < 0)
		rc = zw_errf(err, ZW_EINTERNAL, NULL, "无法设置备份 %s 的权限：%s", tmp,
		             strerror(errno));
	if (!rc && fsync_path(tmp, false) < 0)
		rc = zw_errf(err, errno == ENOSPC ? ZW_ENOSPACE : ZW_EINTERNAL, NULL,
		             "无法写入备份 %s：%s", tmp, strerror(errno));
	if (!rc && rename(tmp, out->db) < 0)
		rc = zw_errf(err, ZW_EINTERNAL, NULL, "无法写入备份 %s：%s", out->db,
		             strerror(errno));
	if (rc) {
		unlink(tmp);
		return rc;
	}
	json_t *m = json_object(), *counts = json_object();
	struct store_file_info info;
	rc = store_file_inspect(out->db, false, add_count, counts, &info, err);
	char dbhash[65] = "", keyhash[65] = "";
	int64_t keybytes = 0;
	if (!rc)
		rc = file_sha256(out->db, &out->bytes, dbhash, err);
	struct stat ks;
	if (!rc && keyfile && *keyfile && stat(keyfile, &ks) == 0) {
		snprintf(out->key, sizeof(out->key), "%s.db.key", base);
		rc = copy_file(keyfile, out->key, 0600, err);
		if (!rc)
			rc = file_sha256(out->key, &keybytes, keyhash, err);
		if (rc)
			out->key[0] = 0;
	}
	char ts[32];
	format_time((int64_t)now, ts);
	if (!rc) {
		json_object_set_new(m, "format", json_string(MANIFEST_FORMAT));
		json_object_set_new(m, "created", json_string(ts));
		json_object_set_new(m, "zwnet_version", json_string(ZWNET_VERSION));
		json_object_set_new(m, "schema_version", json_integer(info.schema));
		json_object_set_new(m, "profile", json_string(info.profile));
		json_object_set_new(m, "database",
		                    json_pack("{s:s, s:I, s:s}", "file", base_name(out->db),
		                              "bytes", (json_int_t)out->bytes, "sha256", dbhash));
		json_object_set_new(m, "key",
		                    out->key[0] ? json_pack("{s:s, s:I, s:s}", "file",
		                                            base_name(out->key), "bytes",
		                                            (json_int_t)keybytes, "sha256", keyhash)
		                                : json_null());
		json_object_set_new(m, "audit_head",
		                    json_pack("{s:I, s:s}", "id", (json_int_t)info.audit_head_id,
		                              "hash", info.audit_head));
		json_object_set_new(m, "counts", counts);
		counts = NULL;
		out->audit_head_id = info.audit_head_id;
		snprintf(out->audit_head, sizeof(out->audit_head), "%s", info.audit_head);
		snprintf(out->manifest, sizeof(out->manifest), "%s.json", base);
		snprintf(tmp, sizeof(tmp), "%s.json.tmp", base);
		if (json_dump_file(m, tmp, JSON_INDENT(2) | JSON_SORT_KEYS) < 0 ||
		    fsync_path(tmp, false) < 0 || rename(tmp, out->manifest) < 0) {
			int e = errno;
			unlink(tmp);
			rc = zw_errf(err, e == ENOSPC ? ZW_ENOSPACE : ZW_EINTERNAL, NULL,
			             "无法写入备份清单 %s：%s", out->manifest, strerror(e));
		}
	}
	json_decref(counts);
	json_decref(m);
	if (rc) {
		unlink(out->db);
		if (out->key[0])
			unlink(out->key);
		out->manifest[0] = 0;
		return rc;
	}
	fsync_path(dir, true);
	if (keep > 0) {
		char **l;
		size_t k;
		if (list_sets(dir, &l, &k, NULL) == 0)
			for (size_t i = (size_t)keep; i < k; i++)
				if (remove_set(dir, l[i]) == 0)
					out->removed++;
		free_list(l, k);
	}
	out->ms = clock_mono_ms() - t0;
	return 0;
}

/* A file the manifest names, beside it, with the size and hash it gives. */
static int check_file(const char *mdir, json_t *entry, const char *what, char *path, size_t pn,
                      struct zw_err *err)
{
	const char *file = json_string_value(json_object_get(entry, "file"));
	const char *sha = json_string_value(json_object_get(entry, "sha256"));
	json_t *jb = json_object_get(entry, "bytes");
	if (!file || !*file || strchr(file, '/') || !sha || !json_is_integer(jb))
		return zw_errf(err, ZW_EINVALID, what, "备份清单中的%s项不完整", what);
	if (snprintf(path, pn, "%s/%s", mdir, file) >= (int)pn)
		return zw_errf(err, ZW_EINVALID, what, "路径过长");
	int64_t bytes;
	char hex[65];
	int rc = file_sha256(path, &bytes, hex, NULL);
	if (rc)
		return zw_errf(err, ZW_EINVALID, what, "备份文件 %s 缺失或不可读", path);
	if (bytes != json_integer_value(jb) || strcmp(hex, sha) != 0)
		return zw_errf(
		    err, ZW_EINVALID, what,
		    "备份文件 %s 与清单不符（大小 %lld，清单为 %lld；或 SHA-256 不同）：文件"
		    "已损坏或被改动",
		    path, (long long)bytes, (long long)json_integer_value(jb));
	return 0;
}

int backup_check(const char *manifest, const char *work, bool keep_work, struct backup_info *out,
                 struct zw_err *err)
{
	memset(out, 0, sizeof(*out));
	json_error_t je;
	json_t *m = json_load_file(manifest, 0, &je);
	if (!m)
		return zw_errf(err, ZW_EINVALID, "manifest", "无法读取备份清单 %s：%s", manifest,
		               je.text);
	out->manifest = m;
	const char *fmt = json_string_value(json_object_get(m, "format"));
	if (!fmt || strcmp(fmt, MANIFEST_FORMAT) != 0)
		return zw_errf(err, ZW_EINVALID, "manifest", "%s 不是 zwnet 的备份清单", manifest);
	char mdir[BACKUP_PATH];
	backup_dir_of(manifest, mdir, sizeof(mdir));
	int rc = check_file(mdir, json_object_get(m, "database"), "database", out->db,
	                    sizeof(out->db), err);
	json_t *key = json_object_get(m, "key");
	if (!rc && key && !json_is_null(key))
		rc = check_file(mdir, key, "key", out->key, sizeof(out->key), err);
	if (rc)
		return rc;
	json_t *head = json_object_get(m, "audit_head");
	const char *head_hash = json_string_value(json_object_get(head, "hash"));
	int64_t head_id = json_integer_value(json_object_get(head, "id"));
	if (!head_hash)
		return zw_errf(err, ZW_EINVALID, "audit_head", "备份清单缺少审计日志链头");
	struct store_file_info info;
	rc = store_file_inspect(out->db, true, NULL, NULL, &info, err);
	if (!rc && info.problem[0])
		rc = zw_errf(err, ZW_EINVALID, "database", "备份数据库已损坏：%s", info.problem);
	if (rc)
		return rc;
	/* the chain is verified on a working copy: opening a database may bring its schema up to
	 * this program's (store_migrate), which the backup itself never undergoes */
	unlink(work);
	rc = copy_file(out->db, work, 0600, err);
	struct store *st = NULL;
	if (!rc)
		rc = store_open(work, &st, err);
	struct audit_verify v;
	if (!rc) {
		struct zw_err verr = {0};
		rc = audit_verify_head(st, head_id ? head_hash : NULL, &v, &verr);
		out->audit_entries = v.entries;
		if (rc && !v.bad_id)
			rc = zw_errf(err, verr.code, verr.field, "%s", verr.message);
		else if (rc)
			rc = zw_errf(err, ZW_EINVALID, "audit_head", "备份中的审计日志校验失败：%s",
			             v.reason);
	}
	if (!rc) {
		int64_t id;
		char hash[65];
		struct sconn *c = store_read(st, err);
		rc = c ? store_audit_meta_head(c, &id, hash, err) : -ZW_EINTERNAL;
		if (!rc && (id != head_id || strcmp(hash, head_hash) != 0))
			rc = zw_errf(
			    err, ZW_EINVALID, "audit_head",
			    "备份的审计日志链头为第 %lld 条，清单记录为第 %lld 条：备份与清单不符",
			    (long long)id, (long long)head_id);
	}
	store_close(st);
	if (rc || !keep_work) {
		char side[BACKUP_PATH + 8];
		unlink(work);
		snprintf(side, sizeof(side), "%s-wal", work);
		unlink(side);
		snprintf(side, sizeof(side), "%s-shm", work);
		unlink(side);
	}
	return rc;
}

int backup_restore(const char *manifest, const char *db, const char *keyfile, bool force,
                   struct backup_info *out, char *kept, size_t kn, struct zw_err *err)
{
	*kept = 0;
	struct stat sb;
	bool exists = stat(db, &sb) == 0;
	char side[BACKUP_PATH + 16];
	snprintf(side, sizeof(side), "%s-wal", db);
	if (exists && !force) {
		memset(out, 0, sizeof(*out));
		return zw_errf(err, ZW_ECONFLICT, "db",
		               "数据库 %s 已存在：恢复将替换它。请先停止服务，再加 "
		               "--force（原文件将改名保留）",
		               db);
	}
	if (exists && stat(side, &sb) == 0) {
		memset(out, 0, sizeof(*out));
		return zw_errf(
		    err, ZW_ECONFLICT, "db",
		    "%s 存在：服务可能仍在运行（或上次未正常停止）。请先停止服务；若服务已停止，"
		    "启动再停止一次即可",
		    side);
	}
	char work[BACKUP_PATH + 16];
	snprintf(work, sizeof(work), "%s.restoring", db);
	int rc = backup_check(manifest, work, true, out, err);
	if (rc)
		return rc;
	if (exists) {
		time_t local = (time_t)clock_now() + 8 * 3600;
		struct tm tm;
		gmtime_r(&local, &tm);
		char stamp[32];
		strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
		snprintf(kept, kn, "%s.before-restore-%s", db, stamp);
		if (rename(db, kept) < 0) {
			rc = zw_errf(err, ZW_EINTERNAL, "db", "无法保留原数据库 %s：%s", db,
			             strerror(errno));
			unlink(work);
			return rc;
		}
		char k2[BACKUP_PATH + 64];
		snprintf(k2, sizeof(k2), "%s.key", kept);
		if (stat(keyfile, &sb) == 0)
			rename(keyfile, k2);
	}
	if (rename(work, db) < 0) {
		rc = zw_errf(err, ZW_EINTERNAL, "db", "无法写入 %s：%s", db, strerror(errno));
		unlink(work);
		return rc;
	}
	if (out->key[0]) {
		unlink(keyfile);
		rc = copy_file(out->key, keyfile, 0600, err);
	}
	char dir[BACKUP_PATH];
	backup_dir_of(db, dir, sizeof(dir));
	fsync_path(dir, true);
	return rc;
}

/* ---- the key file ---- */

/* Sealed values of every registry kind's write-only fields: how many, and one to try. */
static int sealed_values(struct store *st, int64_t *count, char **one, struct zw_err *err)
{
	*count = 0;
	*one = NULL;
	struct sconn *c = store_read(st, err);
	if (!c)
		return -ZW_EINTERNAL;
	for (const struct registry_entry *e = registry_kinds; e->k; e++) {
		const struct rec_schema *sc = e->k->sc;
		for (size_t i = 0; i < sc->nfields; i++) {
			if (!(sc->fields[i].flags & REC_WRITEONLY))
				continue;
			int64_t n;
			char *v;
			int rc = store_prefixed(c, e->k->table, sc->fields[i].name, SECRET_PREFIX,
			                        &n, &v, err);
			if (rc)
				return rc;
			*count += n;
			if (v && !*one)
				*one = v;
			else
				free(v);
		}
	}
	return 0;
}

int backup_key_open(struct store *st, const char *keyfile, struct zw_err *err)
{
	int64_t n;
	char *one;
	int rc = sealed_values(st, &n, &one, err);
	if (rc)
		return rc;
	struct stat sb;
	if (n && stat(keyfile, &sb) < 0 && errno == ENOENT) {
		free(one);
		return zw_errf(
		    err, ZW_EINVALID, "secret_key_file",
		    "数据库中有 %lld 项加密保存的凭据（SNMP 团体名、密钥），但密钥文件 %s "
		    "不存在。从备份恢复时须一并恢复密钥文件（备份中的 .db.key），或以 "
		    "secret_key_file 指明它的位置；不会新建密钥，新密钥打不开这些凭据",
		    (long long)n, keyfile);
	}
	rc = secret_init(keyfile, err);
	if (!rc && one) {
		char *plain = NULL;
		if (secret_open(one, &plain, NULL) < 0)
			rc = zw_errf(err, ZW_EINVALID, "secret_key_file",
			             "密钥文件 %s 打不开数据库中加密保存的凭据（%lld "
			             "项）：它不是这个数据库的"
			             "密钥。请换用与数据库同一备份中的密钥文件",
			             keyfile, (long long)n);
		if (plain) {
			sodium_memzero(plain, strlen(plain));
			free(plain);
		}
	}
	free(one);
	return rc;
}
