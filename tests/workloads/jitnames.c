// SPDX-License-Identifier: MIT
/* jitnames.c: JIT code with hostile names in its perf map (/tmp/perf-PID.map), for escaping tests. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/*
 * Two copies of a counting loop are placed in an anonymous executable
 * mapping and named in the perf map "<script>alert(1)</script>" and "\"&'",
 * as a JIT would name them; main runs each for about 0.15 s. Prints the pid
 * (the test removes the map afterwards). x86-64 only: elsewhere it exits 77.
 */
#if defined(__x86_64__)
static const unsigned char loop_code[] = {
	0x48, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0,	/* mov rax, imm64 */
	0x48, 0xff, 0xc8,			/* dec rax */
	0x75, 0xfb,				/* jnz dec */
	0xc3,					/* ret */
};

int main(int argc, char **argv)
{
	static const char *const names[] = { "<script>alert(1)</script>", "\"&'" };
	uint64_t iters = argc > 1 ? strtoull(argv[1], NULL, 0) : 400000000ULL;
	unsigned char *mem;
	char path[64];
	FILE *map;
	int i;

	mem = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		return 1;
	for (i = 0; i < 2; i++) {
		memcpy(mem + 256 * i, loop_code, sizeof(loop_code));
		memcpy(mem + 256 * i + 2, &iters, sizeof(iters));
	}
	if (mprotect(mem, 8192, PROT_READ | PROT_EXEC))
		return 1;
	snprintf(path, sizeof(path), "/tmp/perf-%d.map", (int)getpid());
	map = fopen(path, "w");
	if (!map)
		return 1;
	for (i = 0; i < 2; i++)
		fprintf(map, "%lx %zx %s\n", (unsigned long)(uintptr_t)(mem + 256 * i),
			sizeof(loop_code), names[i]);
	fclose(map);
	printf("%d\n", (int)getpid());
	fflush(stdout);
	for (i = 0; i < 2; i++)
		((void (*)(void))(uintptr_t)(mem + 256 * i))();
	return 0;
}
#else
int main(void)
{
	return 77;
}
#endif
