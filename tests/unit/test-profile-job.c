// SPDX-License-Identifier: MIT
/* test-profile-job.c: a program linking only libpfold runs the job of `pfold profile` (pfold_profile_job_run). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "profile-job.h"
#include "tap.h"

static const struct pfold_report_func *find_func(const struct pfold_report *r, const char *name)
{
	size_t i;

	if (!r->nr_tops)
		return NULL;
	for (i = 0; i < r->tops[0].nr_funcs; i++)
		if (!strcmp(r->tops[0].funcs[i].name, name))
			return &r->tops[0].funcs[i];
	return NULL;
}

int main(int argc, char **argv)
{
	const char *workload = argc > 1 ? argv[1] : "tests/workloads/regress";
	const char *cmd[] = { workload, "300", "1", NULL };
	char dir[] = "/tmp/pfold-test-profile-job.XXXXXX", path[4200], nodir[4200];
	struct pfold_profile_job_opts o;
	struct pfold_profile_job *job = NULL, *job2 = NULL, *bad = NULL;
	const struct pfold_report_func *hot, *cold;
	struct pfold_buf text = { NULL, 0, 0 };
	struct stat st;
	int ret;

	if (access(workload, X_OK)) {
		printf("1..0 # SKIP %s is not built\n", workload);
		return 0;
	}
	if (!mkdtemp(dir)) {
		printf("1..0 # SKIP mkdtemp: %s\n", strerror(errno));
		return 0;
	}

	/* a bad baseline: an error naming it, before anything runs or is created */
	snprintf(nodir, sizeof(nodir), "%s/never", dir);
	memset(&o, 0, sizeof(o));
	o.argv = cmd;
	o.dir = nodir;
	o.compare = "/nonexistent/base.json";
	ret = pfold_profile_job_run(&bad, &o);
	ok(ret < 0 && !bad, "a missing baseline fails (%d)", ret);
	ok(strstr(pfold_errmsg(ret), "/nonexistent/base.json") != NULL, "the message names it: %s",
	   pfold_errmsg(ret));
	ok(stat(nodir, &st) && errno == ENOENT, "nothing was created");

	memset(&o, 0, sizeof(o));
	o.argv = cmd;
	o.dir = dir;
	o.name = "lib";
	o.when = 1700000000;	/* 2023-11-14 22:13:20 UTC */
	o.runs = 2;
	o.freq = 4999;	/* enough samples for the 1:1 split */
	ret = pfold_profile_job_run(&job, &o);
	if (ret == -PFOLD_E_PERM || ret == -PFOLD_E_UNSUPPORTED || ret == -PFOLD_E_NO_PMU) {
		printf("# no perf_event_open here, the rest is skipped: %s\n", pfold_errmsg(ret));
		return done_testing();
	}
	if (ret)
		printf("# %s\n", pfold_errmsg(ret));
	is_int(ret, 0, "pfold_profile_job_run succeeds");
	if (ret)
		return done_testing();

	snprintf(path, sizeof(path), "%s/lib_20231114_221320.json", dir);
	is_str(job->json_path, path, "the report is named DIR/NAME_YYYYmmdd_HHMMSS.json (UTC)");
	snprintf(path, sizeof(path), "%s/lib_20231114_221320.svg", dir);
	is_str(job->svg_path, path, "the flamegraph beside it");
	ok(!stat(job->data_path, &st) && st.st_size > 0, "%s is written", job->data_path);
	ok(!stat(job->folded_path, &st) && st.st_size > 0, "%s is written", job->folded_path);
	ok(!stat(job->svg_path, &st) && st.st_size > 0, "%s is written", job->svg_path);
	ok(!stat(job->json_path, &st) && st.st_size > 0, "%s is written", job->json_path);
	is_int(job->report->runs, 2, "two counting runs");
	ok(job->report->nr_tops >= 1, "the report carries the profile");
	hot = find_func(job->report, "hot");
	cold = find_func(job->report, "cold");
	ok(hot && cold, "hot and cold are among the top functions");
	if (hot && cold)
		ok(hot->self > 0.6 * cold->self && hot->self < 1.6 * cold->self,
		   "regress 300 1 splits hot:cold 1:1 (%.0f, %.0f)", hot->self, cold->self);
	ok(!job->check, "no comparison without a baseline");

	/* the same second again: a suffix, nothing overwritten */
	ret = pfold_profile_job_run(&job2, &o);
	is_int(ret, 0, "a second job in the same second");
	if (!ret) {
		snprintf(path, sizeof(path), "%s/lib_20231114_221320_2.json", dir);
		is_str(job2->json_path, path, "gets the suffix _2");
	}

	ret = pfold_profile_job_write_text(job, &text);
	ok(!ret && text.data && strstr(text.data, job->json_path), "the text report names the files");

	free(text.data);
	pfold_profile_job_free(job);
	pfold_profile_job_free(job2);
	{
		char rm[4300];

		snprintf(rm, sizeof(rm), "rm -rf '%s'", dir);
		if (system(rm))
			fprintf(stderr, "# could not remove %s\n", dir);
	}
	return done_testing();
}
