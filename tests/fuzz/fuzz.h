/* SPDX-License-Identifier: MIT */
/* fuzz.h: what every fuzz harness shares: the libFuzzer entry point and small helpers. */
#ifndef PFOLD_FUZZ_H
#define PFOLD_FUZZ_H

#include <stddef.h>
#include <stdint.h>

/*
 * LLVMFuzzerTestOneInput - run one input (DATA[0..SIZE), the caller's)
 * through the harness's parser. libFuzzer calls it; replay.c calls it for
 * each corpus file when the harness is built as a plain program. Returns 0.
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * fuzz_memfd - a memory-backed file (memfd) holding DATA[0..SIZE), rewound
 * to offset 0; the caller closes it. Returns the descriptor or -1.
 */
int fuzz_memfd(const char *name, const uint8_t *data, size_t size);

/*
 * fuzz_pipe - the read end of a pipe that holds DATA[0..SIZE) (cut to what
 * the pipe can buffer, at least 64 KiB, up to 1 MiB) and whose write end is
 * closed, so a reader sees a real non-seekable stream that ends. The caller
 * closes it. Returns the descriptor or -1.
 */
int fuzz_pipe(const uint8_t *data, size_t size);

#endif
