// SPDX-License-Identifier: MIT
/* pfm-load.c: open libpfm4 with dlopen at its first use and initialize it once. */
#include <dlfcn.h>
#include <stddef.h>
#include <stdlib.h>

#include "error.h"
#include "pfm-load.h"

#ifndef PFOLD_PFM_SONAME
#define PFOLD_PFM_SONAME "libpfm.so.4"
#endif

static struct pfold_pfm pfm;
static __typeof__(pfm_initialize) *initialize;
static int loaded;

static void *symbol(void *lib, const char *name, int *missing)
{
	void *p = dlsym(lib, name);

	if (!p)
		*missing = 1;
	return p;
}

/* PFOLD_LIBPFM names another build of the library (a path or a soname) */
static int load(void)
{
	const char *name = getenv("PFOLD_LIBPFM");
	void *lib;
	int missing = 0;

	if (!name || !*name)
		name = PFOLD_PFM_SONAME;
	lib = dlopen(name, RTLD_NOW | RTLD_LOCAL);
	if (!lib)
		return pfold_error(PFOLD_E_PFM,
				   "libpfm4: cannot load %s: %s; hardware events need it (Debian package 'libpfm4')",
				   name, dlerror());
	initialize = (__typeof__(pfm_initialize) *)symbol(lib, "pfm_initialize", &missing);
	pfm.get_os_event_encoding = (__typeof__(pfm.get_os_event_encoding))
		symbol(lib, "pfm_get_os_event_encoding", &missing);
	pfm.strerror = (__typeof__(pfm.strerror))symbol(lib, "pfm_strerror", &missing);
	pfm.get_pmu_info = (__typeof__(pfm.get_pmu_info))symbol(lib, "pfm_get_pmu_info", &missing);
	pfm.get_event_next = (__typeof__(pfm.get_event_next))symbol(lib, "pfm_get_event_next", &missing);
	pfm.get_event_info = (__typeof__(pfm.get_event_info))symbol(lib, "pfm_get_event_info", &missing);
	if (missing) {
		dlclose(lib);
		return pfold_error(PFOLD_E_PFM, "libpfm4: %s lacks a function pfold needs (too old?)",
				   name);
	}
	return 0;
}

const struct pfold_pfm *pfold_pfm(int *err)
{
	int ret;

	if (!loaded) {
		ret = load();
		if (ret) {
			if (err)
				*err = ret;
			return NULL;
		}
		loaded = 1;
	}
	/* idempotent in libpfm4: a second call returns the first result (and
	 * initializes again after a pfm_terminate()) */
	ret = initialize();
	if (ret != PFM_SUCCESS) {
		ret = pfold_error(PFOLD_E_PFM, "libpfm4: cannot initialize: %s", pfm.strerror(ret));
		if (err)
			*err = ret;
		return NULL;
	}
	return &pfm;
}
