/* SPDX-License-Identifier: MIT */
/* stats.h: summaries of per-run values and the regression verdict of design.md §6. */
#ifndef PFOLD_STATS_H
#define PFOLD_STATS_H

#include <stddef.h>

/* struct pfold_summary - what report.json says of one metric's runs. */
struct pfold_summary {
	size_t n;
	double median, mean, stddev, min, max;
	double ci95_lo, ci95_hi;	/* 95% interval of the mean (Student t) */
};

/* pfold_stats_median - median of the N values of V (not changed); NAN when N is 0. */
double pfold_stats_median(const double *v, size_t n);

/* pfold_stats_summarize - fill *S from the N values of V. Returns 0 or -PFOLD_E_NOMEM. */
int pfold_stats_summarize(struct pfold_summary *s, const double *v, size_t n);

/* pfold_stats_t95 - two-sided 95% Student t quantile for DF degrees of freedom. */
double pfold_stats_t95(size_t df);

/*
 * pfold_stats_mw_c - the rank C of the Mann-Whitney (Hodges-Lehmann) 95%
 * interval for samples of sizes N and M: the interval for the shift is
 * [D(C), D(N*M+1-C)] of the sorted pairwise differences D, C the largest
 * integer with P(U <= C-1) <= 0.025 under the null hypothesis (exact for
 * N*M <= 400, normal approximation above). 0 means no 95% interval exists
 * (too few runs).
 */
size_t pfold_stats_mw_c(size_t n, size_t m);

/*
 * pfold_stats_shift_ci - Hodges-Lehmann estimate and 95% interval of the
 * shift Y - X from the pairwise differences y_j - x_i. *LO, *HI are -INF, +INF
 * when the sizes allow no interval. Returns 0 or -PFOLD_E_NOMEM / -PFOLD_E_INVAL.
 */
int pfold_stats_shift_ci(const double *x, size_t n, const double *y, size_t m,
			 double *est, double *lo, double *hi);

enum pfold_verdict {
	PFOLD_VERDICT_UNCHANGED,
	PFOLD_VERDICT_IMPROVEMENT,
	PFOLD_VERDICT_NOISY,
	PFOLD_VERDICT_REGRESSION,
	PFOLD_VERDICT_UNKNOWN,		/* nothing to compare (no values) */
};

/* pfold_verdict_name - "regression", "improvement", "unchanged", "noisy" or "unknown". */
const char *pfold_verdict_name(enum pfold_verdict v);

/*
 * struct pfold_compare - one metric, baseline X against current Y.
 * change = median(Y)/median(X) - 1; [lo, hi] is its 95% interval, from the
 * Mann-Whitney interval of the shift of log values (exp(shift) - 1), or of
 * the values divided by median(X) when some value is not positive.
 */
struct pfold_compare {
	double base_median, cur_median;
	double change, lo, hi;
	enum pfold_verdict verdict;
};

/*
 * pfold_stats_compare - compare the runs X (N of them) and Y (M) with
 * THRESHOLD (0.10 for 10%): regression when change > threshold and lo > 0;
 * improvement when change < -threshold and hi < 0; noisy when |change| >
 * threshold but the interval holds zero, or when the interval is wider than
 * 2 * threshold (more runs needed); unchanged otherwise.
 * Returns 0 or -PFOLD_E_NOMEM.
 */
int pfold_stats_compare(struct pfold_compare *c, const double *x, size_t n,
			const double *y, size_t m, double threshold);

#endif
