// SPDX-License-Identifier: MIT
/* usage.c: error and warning output of the pfold tool, and checked output files. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pfold.h"
#include "usage.h"

static void vreport(const char *prefix, const char *fmt, va_list ap)
{
	fflush(stdout);
	fputs(prefix, stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("pfold: ", fmt, ap);
	va_end(ap);
	exit(2);
}

void die_error(int code, const char *subject)
{
	if (subject)
		die("%s: %s", subject, pfold_errmsg(code));
	die("%s", pfold_errmsg(code));
}

void warning(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("pfold: warning: ", fmt, ap);
	va_end(ap);
}

int error_msg(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("pfold: ", fmt, ap);
	va_end(ap);
	return 2;
}

FILE *open_output(const char *path, int mode)
{
	FILE *f;
	int fd;

	if (!path || !strcmp(path, "-"))
		return stdout;
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0)
		die("cannot open '%s' for writing: %s", path, strerror(errno));
	f = fdopen(fd, "w");
	if (!f)
		die("cannot open '%s' for writing: %s", path, strerror(errno));
	return f;
}

void close_output(FILE *f, const char *path)
{
	const char *name = (!path || !strcmp(path, "-")) ? "standard output" : path;
	int failed;

	if (f == stdout) {
		if (fflush(f) || ferror(f))
			die("write error on %s: %s", name, strerror(errno));
		return;
	}
	failed = ferror(f);
	if (fclose(f) || failed)
		die("write error on '%s': %s", name, strerror(errno ? errno : EIO));
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		die("out of memory");
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		die("out of memory");
	return p;
}

char *xstrdup(const char *s)
{
	char *p = strdup(s);

	if (!p)
		die("out of memory");
	return p;
}
