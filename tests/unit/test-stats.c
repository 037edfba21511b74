// SPDX-License-Identifier: MIT
/* test-stats.c: statistics against values worked out by hand (the arithmetic is in the comments). */
#include <math.h>

#include "error.h"
#include "stats.h"
#include "tap.h"

#define near(got, want, eps, what) \
	tap_ok(fabs((got) - (want)) <= (eps), __FILE__, __LINE__, "%s (got %.9g, want %.9g)", \
	       (what), (double)(got), (double)(want))

static void medians(void)
{
	double odd[] = { 5, 1, 3 }, even[] = { 4, 1, 3, 2 };

	/* sorted 1 3 5: the middle one */
	near(pfold_stats_median(odd, 3), 3, 0, "median of 5,1,3 is 3");
	/* sorted 1 2 3 4: (2 + 3) / 2 */
	near(pfold_stats_median(even, 4), 2.5, 0, "median of 4,1,3,2 is 2.5");
	ok(isnan(pfold_stats_median(even, 0)), "median of nothing is NaN");
	ok(odd[0] == 5 && odd[1] == 1, "median leaves its input in place");
}

static void summary(void)
{
	double v[] = { 2, 4, 4, 4, 5, 5, 7, 9 }, one[] = { 42 };
	struct pfold_summary s;

	ok(!pfold_stats_summarize(&s, v, 8), "summarize 8 values");
	is_int(s.n, 8, "n");
	/* sum 40, 40 / 8 = 5 */
	near(s.mean, 5, 1e-12, "mean 5");
	/* sorted 2 4 4 4 | 5 5 7 9: (4 + 5) / 2 */
	near(s.median, 4.5, 0, "median 4.5");
	near(s.min, 2, 0, "min 2");
	near(s.max, 9, 0, "max 9");
	/* squared deviations 9 1 1 1 0 0 4 16 = 32; 32 / 7 = 4.5714286; sqrt = 2.1380899 */
	near(s.stddev, 2.1380899, 1e-6, "sample stddev sqrt(32/7)");
	/* t(7) = 2.365; 2.365 * 2.1380899 / sqrt(8) = 2.365 * 0.7559289 = 1.7877719 */
	near(s.ci95_lo, 5 - 1.7877719, 1e-6, "CI95 low 3.2122281");
	near(s.ci95_hi, 5 + 1.7877719, 1e-6, "CI95 high 6.7877719");

	ok(!pfold_stats_summarize(&s, one, 1), "summarize one value");
	ok(s.mean == 42 && s.median == 42 && s.stddev == 0 && isnan(s.ci95_lo),
	   "one value: no spread, no interval");

	near(pfold_stats_t95(1), 12.706, 0, "t(1) = 12.706");
	near(pfold_stats_t95(7), 2.365, 0, "t(7) = 2.365");
	/* above the table: 1.96 + 2.4 / 60 = 2.0 (the table says 2.000) */
	near(pfold_stats_t95(60), 2.0, 1e-12, "t(60) = 2.000");
}

static void mann_whitney(void)
{
	/*
	 * Null distribution of U for n = m = 5: C(10,5) = 252 orderings; the
	 * number with U = u is the number of partitions of u into at most 5
	 * parts of at most 5: u = 0,1,2,3 -> 1,1,2,3. P(U <= 2) = 4/252 = 0.0159
	 * <= 0.025 < P(U <= 3) = 7/252 = 0.0278, so C = 3 (tables: critical
	 * U = 2 for 5,5 at 0.05 two-sided, the interval is [D(3), D(23)]).
	 */
	is_int(pfold_stats_mw_c(5, 5), 3, "C(5,5) = 3");
	/* 4,4: 70 orderings; P(U <= 0) = 1/70 = 0.014, P(U <= 1) = 2/70 = 0.029: C = 1 */
	is_int(pfold_stats_mw_c(4, 4), 1, "C(4,4) = 1");
	/* 3,3: 20 orderings; P(U <= 0) = 1/20 = 0.05 > 0.025: no 95% interval */
	is_int(pfold_stats_mw_c(3, 3), 0, "C(3,3) = 0: too few runs");
	is_int(pfold_stats_mw_c(1, 1), 0, "C(1,1) = 0");
	/*
	 * 6,6: 924 orderings; counts for u = 0..6: 1 1 2 3 5 7 11 (all partitions
	 * of u <= 6 fit a 6x6 box), cumulative 1 2 4 7 12 19 30: P(U <= 5) =
	 * 19/924 = 0.0206, P(U <= 6) = 30/924 = 0.0325: C = 6 (table: U = 5).
	 */
	is_int(pfold_stats_mw_c(6, 6), 6, "C(6,6) = 6");
	/* tables: critical U = 23 for 10,10 and 127 for 20,20 */
	is_int(pfold_stats_mw_c(10, 10), 24, "C(10,10) = 24");
	is_int(pfold_stats_mw_c(20, 20), 128, "C(20,20) = 128");
	/*
	 * 21,21 (normal approximation): mu = 441/2 = 220.5, sigma =
	 * sqrt(441 * 43 / 12) = sqrt(1580.25) = 39.7524; 220.5 + 0.5 - 1.959964 *
	 * 39.7524 = 221 - 77.9133 = 143.09 -> 143 (exact tables: 146 - 1 = 145
	 * at most two off at this size).
	 */
	is_int(pfold_stats_mw_c(21, 21), 143, "C(21,21) = 143 (normal approximation)");
}

static void shift(void)
{
	double x[] = { 1, 2, 3, 4, 5 }, y[] = { 3, 4, 5, 6, 7 }, est, lo, hi;

	/*
	 * y_j - x_i: x=1: 2..6, x=2: 1..5, x=3: 0..4, x=4: -1..3, x=5: -2..2.
	 * Sorted: -2 -1 -1 0 0 0 1 1 1 1 2 2 2 2 2 3 3 3 3 4 4 4 5 5 6.
	 * Estimate = D(13) = 2; C = 3: D(3) = -1, D(23) = 5.
	 */
	ok(!pfold_stats_shift_ci(x, 5, y, 5, &est, &lo, &hi), "shift interval");
	near(est, 2, 0, "Hodges-Lehmann estimate 2");
	near(lo, -1, 0, "interval low D(3) = -1");
	near(hi, 5, 0, "interval high D(23) = 5");
	ok(!pfold_stats_shift_ci(x, 3, y, 3, &est, &lo, &hi), "3 against 3");
	ok(isinf(lo) && lo < 0 && isinf(hi) && hi > 0, "3 against 3: no interval");
}

static void verdicts(void)
{
	double base[] = { 100, 100, 100, 100, 100 };
	double up15[] = { 115, 115, 115, 115, 115 }, up5[] = { 105, 105, 105, 105, 105 };
	double down15[] = { 85, 85, 85, 85, 85 }, wide[] = { 70, 80, 100, 120, 140 };
	double one_low[] = { 95, 120, 120, 120, 120 };
	double zeros[] = { 0, 0, 0, 0, 0 }, ten[] = { 10, 10, 10, 10, 10 };
	double zero_then_20[] = { 0, 20, 20, 20, 20 };
	struct pfold_compare c;

	/* every log ratio is log(1.15): the interval is [0.15, 0.15] */
	ok(!pfold_stats_compare(&c, base, 5, up15, 5, 0.10), "compare +15%%");
	near(c.change, 0.15, 1e-12, "+15%: change 0.15");
	near(c.lo, 0.15, 1e-12, "+15%: interval low 0.15");
	is_str(pfold_verdict_name(c.verdict), "regression", "+15% over 10% is a regression");

	ok(!pfold_stats_compare(&c, base, 5, up5, 5, 0.10), "compare +5%%");
	is_str(pfold_verdict_name(c.verdict), "unchanged", "+5% within 10% is unchanged");

	ok(!pfold_stats_compare(&c, base, 5, down15, 5, 0.10), "compare -15%%");
	near(c.hi, -0.15, 1e-12, "-15%: interval high -0.15");
	is_str(pfold_verdict_name(c.verdict), "improvement", "-15% is an improvement");

	/*
	 * log ratios: log .7, .8, 1, 1.2, 1.4, five of each; D(3) = log .7, D(23)
	 * = log 1.4: interval [-0.30, +0.40], 0.70 wide > 2 * 0.10; the medians
	 * are equal (change 0) but the runs cannot tell: noisy.
	 */
	ok(!pfold_stats_compare(&c, base, 5, wide, 5, 0.10), "compare a wide spread");
	near(c.change, 0, 1e-12, "wide: change 0");
	near(c.lo, -0.3, 1e-12, "wide: low -0.30");
	near(c.hi, 0.4, 1e-12, "wide: high +0.40");
	is_str(pfold_verdict_name(c.verdict), "noisy", "a wide interval is noisy");

	/* median 120: change +20%, but D(3) = log .95: the interval holds zero */
	ok(!pfold_stats_compare(&c, base, 5, one_low, 5, 0.10), "compare +20%% with a low run");
	near(c.change, 0.2, 1e-12, "change +20%");
	near(c.lo, -0.05, 1e-12, "interval low -5%");
	is_str(pfold_verdict_name(c.verdict), "noisy", "over the threshold but not sure: noisy");

	/* zeros: linear path, all differences 0 */
	ok(!pfold_stats_compare(&c, zeros, 5, zeros, 5, 0.10), "compare zeros");
	is_str(pfold_verdict_name(c.verdict), "unchanged", "zeros against zeros: unchanged");
	/* 10s against 0,20,20,20,20 over 10: y-x = -1 (5 times), +1 (20 times): [-1, +1] */
	ok(!pfold_stats_compare(&c, ten, 5, zero_then_20, 5, 0.10), "compare with a zero");
	near(c.change, 1, 1e-12, "change +100%");
	near(c.lo, -1, 1e-12, "low -1");
	is_str(pfold_verdict_name(c.verdict), "noisy", "a zero run makes it noisy");

	/* one run each: no interval at all */
	ok(!pfold_stats_compare(&c, base, 1, up15, 1, 0.10), "compare single runs");
	is_str(pfold_verdict_name(c.verdict), "noisy", "single runs cannot decide");
	ok(!pfold_stats_compare(&c, base, 0, up15, 1, 0.10), "compare with no runs");
	is_str(pfold_verdict_name(c.verdict), "unknown", "no baseline runs: unknown");
}

int main(void)
{
	medians();
	summary();
	mann_whitney();
	shift();
	verdicts();
	return done_testing();
}
