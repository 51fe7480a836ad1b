/*
 * fsdir.c - directory creation and directory fsync; see fsdir.h.
 */
#include "util/fsdir.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/util.h"

/* fsdir_mkdirs - see fsdir.h */
int
fsdir_mkdirs(const char *path, mode_t mode)
{
	struct stat st;
	char *p, *s;
	int rc = 0;

	if (*path == '\0') {
		errno = ENOENT;
		return -1;
	}
	p = xstrdup(path);
	for (s = p + 1; rc == 0; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		char c = *s;

		*s = '\0';
		/* parents must stay traversable for the user we become */
		if (mkdir(p, c == '\0' ? mode : 0755) != 0 && errno != EEXIST)
			rc = -1;
		else if (stat(p, &st) != 0 || !S_ISDIR(st.st_mode))
			rc = -1, errno = ENOTDIR;
		*s = c;
		if (c == '\0')
			break;
	}
	free(p);
	return rc;
}

/* fsdir_sync - see fsdir.h */
int
fsdir_sync(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc;

	if (fd < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}
