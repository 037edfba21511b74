// SPDX-License-Identifier: MIT
/* stats.c: medians, t intervals, Mann-Whitney/Hodges-Lehmann shift intervals, verdicts. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "stats.h"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median_sorted(const double *v, size_t n)
{
	if (!n)
		return NAN;
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

double pfold_stats_median(const double *v, size_t n)
{
	double *tmp, m;

	if (!n)
		return NAN;
	tmp = malloc(n * sizeof(*tmp));
	if (!tmp)
		return NAN;
	memcpy(tmp, v, n * sizeof(*tmp));
	qsort(tmp, n, sizeof(*tmp), cmp_double);
	m = median_sorted(tmp, n);
	free(tmp);
	return m;
}

double pfold_stats_t95(size_t df)
{
	/* two-sided 95% quantiles of Student's t, df = 1..30 */
	static const double t[] = {
		12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
		2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
		2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
	};

	if (df == 0)
		return INFINITY;
	if (df <= 30)
		return t[df - 1];
	/* 40: 2.021, 60: 2.000, 120: 1.980 (tables); this gives 2.020, 2.000, 1.980 */
	return 1.96 + 2.4 / (double)df;
}

int pfold_stats_summarize(struct pfold_summary *s, const double *v, size_t n)
{
	double *tmp, sum = 0, ss = 0, half;
	size_t i;

	memset(s, 0, sizeof(*s));
	s->n = n;
	s->median = s->mean = s->min = s->max = s->ci95_lo = s->ci95_hi = NAN;
	if (!n)
		return 0;
	tmp = malloc(n * sizeof(*tmp));
	if (!tmp)
		return -PFOLD_E_NOMEM;
	memcpy(tmp, v, n * sizeof(*tmp));
	qsort(tmp, n, sizeof(*tmp), cmp_double);
	s->median = median_sorted(tmp, n);
	s->min = tmp[0];
	s->max = tmp[n - 1];
	free(tmp);
	for (i = 0; i < n; i++)
		sum += v[i];
	s->mean = sum / (double)n;
	if (n < 2)
		return 0;
	for (i = 0; i < n; i++)
		ss += (v[i] - s->mean) * (v[i] - s->mean);
	s->stddev = sqrt(ss / (double)(n - 1));
	half = pfold_stats_t95(n - 1) * s->stddev / sqrt((double)n);
	s->ci95_lo = s->mean - half;
	s->ci95_hi = s->mean + half;
	return 0;
}

size_t pfold_stats_mw_c(size_t n, size_t m)
{
	double *f, total = 0, cum = 0;
	size_t nm = n * m, deg, k, u, c;

	if (!n || !m)
		return 0;
	if (nm > 400) {
		double mu = nm / 2.0, sigma = sqrt(nm * (double)(n + m + 1) / 12.0);
		double x = floor(mu + 0.5 - 1.959964 * sigma);

		return x > 0 ? (size_t)x : 0;
	}
	/*
	 * The counts of U = 0..nm under the null hypothesis are the coefficients
	 * of the Gaussian binomial [n+m choose n]_q =
	 * prod_{k=1..n} (1 - q^(m+k)) / (1 - q^k), built one factor at a time.
	 */
	deg = nm + n;
	f = calloc(deg + 1, sizeof(*f));
	if (!f)
		return 0;
	f[0] = 1;
	for (k = 1; k <= n; k++) {
		for (u = deg; u >= m + k; u--)
			f[u] -= f[u - (m + k)];
		for (u = k; u <= deg; u++)
			f[u] += f[u - k];
	}
	for (u = 0; u <= nm; u++)
		total += f[u];
	for (c = 0; c <= nm; c++) {
		if ((cum + f[c]) / total > 0.025)
			break;
		cum += f[c];
	}
	free(f);
	/* cum = P(U <= c-1) <= 0.025 < P(U <= c) */
	return c;
}

int pfold_stats_shift_ci(const double *x, size_t n, const double *y, size_t m,
			 double *est, double *lo, double *hi)
{
	double *d;
	size_t i, j, c, nm;

	if (!n || !m)
		return -PFOLD_E_INVAL;
	if (n > 100000 / m)
		return pfold_error(PFOLD_E_LIMIT, "too many runs to compare (%zu x %zu)", n, m);
	nm = n * m;
	d = malloc(nm * sizeof(*d));
	if (!d)
		return -PFOLD_E_NOMEM;
	for (i = 0; i < n; i++)
		for (j = 0; j < m; j++)
			d[i * m + j] = y[j] - x[i];
	qsort(d, nm, sizeof(*d), cmp_double);
	*est = median_sorted(d, nm);
	c = pfold_stats_mw_c(n, m);
	if (c == 0) {
		*lo = -INFINITY;
		*hi = INFINITY;
	} else {
		*lo = d[c - 1];
		*hi = d[nm - c];
	}
	free(d);
	return 0;
}

const char *pfold_verdict_name(enum pfold_verdict v)
{
	switch (v) {
	case PFOLD_VERDICT_UNCHANGED: return "unchanged";
	case PFOLD_VERDICT_IMPROVEMENT: return "improvement";
	case PFOLD_VERDICT_NOISY: return "noisy";
	case PFOLD_VERDICT_REGRESSION: return "regression";
	default: return "unknown";
	}
}

static int all_positive(const double *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!(v[i] > 0))
			return 0;
	return 1;
}

int pfold_stats_compare(struct pfold_compare *c, const double *x, size_t n,
			const double *y, size_t m, double threshold)
{
	double *lx = NULL, *ly = NULL, est, lo, hi, scale;
	size_t i;
	int ret;

	memset(c, 0, sizeof(*c));
	c->verdict = PFOLD_VERDICT_UNKNOWN;
	c->change = c->lo = c->hi = NAN;
	if (!n || !m)
		return 0;
	c->base_median = pfold_stats_median(x, n);
	c->cur_median = pfold_stats_median(y, m);
	lx = malloc(n * sizeof(*lx));
	ly = malloc(m * sizeof(*ly));
	if (!lx || !ly) {
		ret = -PFOLD_E_NOMEM;
		goto out_free;
	}
	if (all_positive(x, n) && all_positive(y, m)) {
		/* multiplicative: a shift of log values is a ratio */
		for (i = 0; i < n; i++)
			lx[i] = log(x[i]);
		for (i = 0; i < m; i++)
			ly[i] = log(y[i]);
		ret = pfold_stats_shift_ci(lx, n, ly, m, &est, &lo, &hi);
		if (ret)
			goto out_free;
		c->change = c->cur_median / c->base_median - 1;
		c->lo = expm1(lo);
		c->hi = expm1(hi);
	} else {
		scale = c->base_median > 0 ? c->base_median : 1;
		for (i = 0; i < n; i++)
			lx[i] = x[i] / scale;
		for (i = 0; i < m; i++)
			ly[i] = y[i] / scale;
		ret = pfold_stats_shift_ci(lx, n, ly, m, &est, &lo, &hi);
		if (ret)
			goto out_free;
		if (c->base_median > 0)
			c->change = c->cur_median / c->base_median - 1;
		else
			c->change = c->cur_median > c->base_median ? INFINITY :
				    c->cur_median < c->base_median ? -INFINITY : 0;
		c->lo = lo;
		c->hi = hi;
	}
	if (c->change > threshold)
		c->verdict = c->lo > 0 ? PFOLD_VERDICT_REGRESSION : PFOLD_VERDICT_NOISY;
	else if (c->change < -threshold)
		c->verdict = c->hi < 0 ? PFOLD_VERDICT_IMPROVEMENT : PFOLD_VERDICT_NOISY;
	else if (!(c->hi - c->lo <= 2 * threshold))
		c->verdict = PFOLD_VERDICT_NOISY;
	else
		c->verdict = PFOLD_VERDICT_UNCHANGED;
	ret = 0;
out_free:
	free(lx);
	free(ly);
	return ret;
}
