// SPDX-License-Identifier: MIT
/* test-demangle.c: C++ Itanium, Rust legacy and Rust v0 demangling (expected forms from c++filt/rustfilt). */
#include <stdlib.h>

#include "demangle.h"
#include "tap.h"

static void check(const char *mangled, int params, const char *want)
{
	char *got = pfold_demangle(mangled, params);

	if (want)
		is_str(got, want, mangled);
	else
		ok(!got, "%s is left alone", mangled);
	free(got);
}

int main(void)
{
	/* C++ (c++filt's output) */
	check("_ZN3foo3barEv", 1, "foo::bar()");
	check("_ZNSt6vectorIiSaIiEE9push_backERKi", 1,
	      "std::vector<int, std::allocator<int> >::push_back(int const&)");
	check("_ZN12_GLOBAL__N_14funcEi", 1, "(anonymous namespace)::func(int)");
	check("_ZN3foo3barEv", 0, "foo::bar");
	/* Rust legacy: the ::h<hash> suffix goes, as perf and rustfilt print it */
	check("_ZN4core3fmt9Formatter3pad17h2fbdd5c1a1a0bd36E", 1, "core::fmt::Formatter::pad");
	check("_ZN3std2rt10lang_start17h0123456789abcdefE", 1, "std::rt::lang_start");
	/* Rust v0 */
	check("_RNvCs15kBYyAo9fc_7mycrate7example", 1, "mycrate::example");
	check("_RNvNtCs1234_7mycrate3foo3bar", 1, "mycrate::foo::bar");
	/* not mangled, or broken */
	check("main", 1, NULL);
	check("_Z", 1, NULL);
	check("_R", 1, NULL);
	check("_ZN3foo", 1, NULL);
	check("", 1, NULL);
	return done_testing();
}
