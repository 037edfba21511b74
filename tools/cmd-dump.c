// SPDX-License-Identifier: MIT
/* cmd-dump.c: pfold dump: every record of a perf.data file with its decoded fields, the header, or the counts. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "builtin.h"
#include "parse-options.h"
#include "pfold.h"
#include "reader.h"
#include "usage.h"

static const char *const dump_usage[] = {
	"pfold dump [-i FILE] [--header] [--stats] [--unordered]",
	NULL,
};

static void print_sample_id(FILE *f, const struct pfold_sample *s)
{
	if (!s->type)
		return;
	fputs(" sample_id={", f);
	if (s->type & PERF_SAMPLE_TID)
		fprintf(f, "pid=%d tid=%d ", (int32_t)s->pid, (int32_t)s->tid);
	if (s->type & PERF_SAMPLE_TIME)
		fprintf(f, "time=%" PRIu64 " ", s->time);
	if (s->type & (PERF_SAMPLE_ID | PERF_SAMPLE_IDENTIFIER))
		fprintf(f, "id=%" PRIu64 " ", s->id);
	if (s->type & PERF_SAMPLE_STREAM_ID)
		fprintf(f, "stream_id=%" PRIu64 " ", s->stream_id);
	if (s->type & PERF_SAMPLE_CPU)
		fprintf(f, "cpu=%u ", s->cpu);
	fputs("}", f);
}

static void print_read(FILE *f, const struct pfold_sample_read *rd, uint64_t rf)
{
	uint64_t i;

	fprintf(f, " read={nr=%" PRIu64, rd->nr);
	if (rf & PERF_FORMAT_TOTAL_TIME_ENABLED)
		fprintf(f, " time_enabled=%" PRIu64, rd->time_enabled);
	if (rf & PERF_FORMAT_TOTAL_TIME_RUNNING)
		fprintf(f, " time_running=%" PRIu64, rd->time_running);
	for (i = 0; i < rd->nr; i++) {
		fprintf(f, " [");
		if (rf & PERF_FORMAT_ID)
			fprintf(f, "id=%" PRIu64 " ", rd->values[i].id);
		fprintf(f, "value=%" PRIu64, rd->values[i].value);
		if (rf & PFOLD_FORMAT_LOST)
			fprintf(f, " lost=%" PRIu64, rd->values[i].lost);
		fprintf(f, "]");
	}
	fputs("}", f);
}

static void print_regs(FILE *f, const char *name, const struct pfold_sample_regs *r)
{
	uint32_t i;

	fprintf(f, " %s={abi=%" PRIu64 " mask=0x%" PRIx64, name, r->abi, r->mask);
	for (i = 0; i < r->nr; i++)
		fprintf(f, "%s0x%" PRIx64, i ? "," : " [", r->regs[i]);
	fputs(r->nr ? "]}" : "}", f);
}

static void print_sample(FILE *f, const struct pfold_event *ev)
{
	const struct pfold_sample *s = &ev->sample;
	uint64_t t = s->type, i;

	if (!ev->attr) {
		fputs(" event=? (sample id matches no event)", f);
		return;
	}
	fprintf(f, " event=%s", ev->attr->name);
	if (t & (PERF_SAMPLE_IDENTIFIER | PERF_SAMPLE_ID))
		fprintf(f, " id=%" PRIu64, s->id);
	if (t & PERF_SAMPLE_IP)
		fprintf(f, " ip=0x%" PRIx64, s->ip);
	if (t & PERF_SAMPLE_TID)
		fprintf(f, " pid=%d tid=%d", (int32_t)s->pid, (int32_t)s->tid);
	if (t & PERF_SAMPLE_TIME)
		fprintf(f, " time=%" PRIu64, s->time);
	if (t & PERF_SAMPLE_ADDR)
		fprintf(f, " addr=0x%" PRIx64, s->addr);
	if (t & PERF_SAMPLE_STREAM_ID)
		fprintf(f, " stream_id=%" PRIu64, s->stream_id);
	if (t & PERF_SAMPLE_CPU)
		fprintf(f, " cpu=%u", s->cpu);
	if (t & PERF_SAMPLE_PERIOD)
		fprintf(f, " period=%" PRIu64, s->period);
	if (t & PERF_SAMPLE_READ)
		print_read(f, &s->read, ev->attr->attr.read_format);
	if (t & PERF_SAMPLE_CALLCHAIN) {
		fputs(" callchain=[", f);
		for (i = 0; i < s->callchain_nr; i++)
			fprintf(f, "%s0x%" PRIx64, i ? "," : "", s->callchain[i]);
		fputs("]", f);
	}
	if (t & PERF_SAMPLE_RAW)
		fprintf(f, " raw_size=%u", s->raw_size);
	if (t & PERF_SAMPLE_BRANCH_STACK) {
		fprintf(f, " branch_stack={nr=%" PRIu64, s->branch_nr);
		if (s->branch_has_hw_idx)
			fprintf(f, " hw_idx=%" PRIu64, s->branch_hw_idx);
		for (i = 0; i < s->branch_nr; i++) {
			uint64_t fl = s->branches[i].flags;

			fprintf(f, " [from=0x%" PRIx64 " to=0x%" PRIx64 " mispred=%d predicted=%d in_tx=%d abort=%d cycles=%u type=%u]",
				s->branches[i].from, s->branches[i].to,
				(int)PFOLD_BRANCH_MISPRED(fl), (int)PFOLD_BRANCH_PREDICTED(fl),
				(int)PFOLD_BRANCH_IN_TX(fl), (int)PFOLD_BRANCH_ABORT(fl),
				(unsigned)PFOLD_BRANCH_CYCLES(fl), (unsigned)PFOLD_BRANCH_TYPE(fl));
		}
		fputs("}", f);
	}
	if (t & PERF_SAMPLE_REGS_USER)
		print_regs(f, "user_regs", &s->user_regs);
	if (t & PERF_SAMPLE_STACK_USER)
		fprintf(f, " user_stack={size=%" PRIu64 " dyn_size=%" PRIu64 "}",
			s->user_stack_size, s->user_stack_dyn_size);
	if (t & PERF_SAMPLE_WEIGHT)
		fprintf(f, " weight=%" PRIu64, s->weight);
	if (t & PERF_SAMPLE_WEIGHT_STRUCT)
		fprintf(f, " weight={var1=%u var2=%u var3=%u}", s->weight_var1, s->weight_var2, s->weight_var3);
	if (t & PERF_SAMPLE_DATA_SRC)
		fprintf(f, " data_src=0x%" PRIx64, s->data_src);
	if (t & PERF_SAMPLE_TRANSACTION)
		fprintf(f, " transaction=0x%" PRIx64, s->transaction);
	if (t & PERF_SAMPLE_REGS_INTR)
		print_regs(f, "intr_regs", &s->intr_regs);
	if (t & PERF_SAMPLE_PHYS_ADDR)
		fprintf(f, " phys_addr=0x%" PRIx64, s->phys_addr);
	if (t & PFOLD_SAMPLE_CGROUP)
		fprintf(f, " cgroup=%" PRIu64, s->cgroup);
	if (t & PFOLD_SAMPLE_DATA_PAGE_SIZE)
		fprintf(f, " data_page_size=%" PRIu64, s->data_page_size);
	if (t & PFOLD_SAMPLE_CODE_PAGE_SIZE)
		fprintf(f, " code_page_size=%" PRIu64, s->code_page_size);
	if (t & PFOLD_SAMPLE_AUX)
		fprintf(f, " aux_size=%" PRIu64, s->aux_size);
}

/* a NUL-terminated string of at most MAX bytes at P, printed quoted-free */
static void print_str(FILE *f, const char *key, const char *p, size_t max)
{
	fprintf(f, " %s=%.*s", key, (int)strnlen(p, max), p);
}

#define REC(type) const struct type *x = (const void *)ev->data
#define HAS(type) (ev->size >= sizeof(struct type))

static void print_attr(FILE *f, const struct pfold_attr *a)
{
	const struct perf_event_attr *p = &a->attr;
	size_t i;

	fprintf(f, " event=%s type=%u size=%u config=0x%llx sample_%s=%llu sample_type=0x%llx read_format=0x%llx"
		" disabled=%u inherit=%u exclude_kernel=%u exclude_user=%u exclude_hv=%u mmap=%u comm=%u"
		" task=%u sample_id_all=%u exclude_guest=%u mmap2=%u comm_exec=%u use_clockid=%u"
		" context_switch=%u precise_ip=%u branch_sample_type=0x%llx sample_regs_user=0x%llx"
		" sample_stack_user=%u sample_regs_intr=0x%llx ids=[",
		a->name, p->type, a->file_attr_size, (unsigned long long)p->config,
		p->freq ? "freq" : "period", (unsigned long long)p->sample_period,
		(unsigned long long)p->sample_type, (unsigned long long)p->read_format,
		p->disabled, p->inherit, p->exclude_kernel, p->exclude_user, p->exclude_hv,
		p->mmap, p->comm, p->task, p->sample_id_all, p->exclude_guest, p->mmap2,
		p->comm_exec, p->use_clockid, p->context_switch, p->precise_ip,
		(unsigned long long)p->branch_sample_type, (unsigned long long)p->sample_regs_user,
		p->sample_stack_user, (unsigned long long)p->sample_regs_intr);
	for (i = 0; i < a->nr_ids; i++)
		fprintf(f, "%s%" PRIu64, i ? "," : "", a->ids[i]);
	fputs("]", f);
}

static void print_event(FILE *f, const struct pfold_event *ev, struct pfold_reader *r)
{
	fprintf(f, "offset=%" PRIu64 "%s type=%s misc=0x%x size=%u", ev->offset,
		ev->compressed ? "(z)" : "", pfold_record_name(ev->type), ev->misc, ev->size);
	switch (ev->type) {
	case PERF_RECORD_SAMPLE:
		print_sample(f, ev);
		break;
	case PERF_RECORD_MMAP:
		if (HAS(pfold_rec_mmap)) {
			REC(pfold_rec_mmap);
			fprintf(f, " pid=%d tid=%d start=0x%" PRIx64 " len=0x%" PRIx64 " pgoff=0x%" PRIx64,
				x->pid, x->tid, x->start, x->len, x->pgoff);
			print_str(f, "filename", x->filename, ev->size - sizeof(*x));
		}
		break;
	case PERF_RECORD_MMAP2:
		if (HAS(pfold_rec_mmap2)) {
			REC(pfold_rec_mmap2);
			fprintf(f, " pid=%d tid=%d start=0x%" PRIx64 " len=0x%" PRIx64 " pgoff=0x%" PRIx64,
				x->pid, x->tid, x->start, x->len, x->pgoff);
			if (ev->misc & PERF_RECORD_MISC_MMAP_BUILD_ID) {
				unsigned i, n = x->build_id_size <= 20 ? x->build_id_size : 20;

				fputs(" build_id=", f);
				for (i = 0; i < n; i++)
					fprintf(f, "%02x", x->build_id[i]);
			} else {
				fprintf(f, " maj=%u min=%u ino=%" PRIu64 " ino_generation=%" PRIu64,
					x->maj, x->min, x->ino, x->ino_generation);
			}
			fprintf(f, " prot=%u flags=0x%x", x->prot, x->flags);
			print_str(f, "filename", x->filename, ev->size - sizeof(*x));
		}
		break;
	case PERF_RECORD_COMM:
		if (HAS(pfold_rec_comm)) {
			REC(pfold_rec_comm);
			fprintf(f, " pid=%u tid=%u exec=%d", x->pid, x->tid,
				!!(ev->misc & PERF_RECORD_MISC_COMM_EXEC));
			print_str(f, "comm", x->comm, ev->size - sizeof(*x));
		}
		break;
	case PERF_RECORD_FORK:
	case PERF_RECORD_EXIT:
		if (HAS(pfold_rec_fork)) {
			REC(pfold_rec_fork);
			fprintf(f, " pid=%u ppid=%u tid=%u ptid=%u time=%" PRIu64,
				x->pid, x->ppid, x->tid, x->ptid, x->time);
		}
		break;
	case PERF_RECORD_LOST:
		if (HAS(pfold_rec_lost)) {
			REC(pfold_rec_lost);
			fprintf(f, " id=%" PRIu64 " lost=%" PRIu64, x->id, x->lost);
		}
		break;
	case PERF_RECORD_THROTTLE:
	case PERF_RECORD_UNTHROTTLE:
		if (HAS(pfold_rec_throttle)) {
			REC(pfold_rec_throttle);
			fprintf(f, " time=%" PRIu64 " id=%" PRIu64 " stream_id=%" PRIu64, x->time, x->id, x->stream_id);
		}
		break;
	case PERF_RECORD_READ:
		if (HAS(pfold_rec_read)) {
			REC(pfold_rec_read);
			fprintf(f, " pid=%u tid=%u", x->pid, x->tid);
			if (ev->attr)
				print_read(f, &ev->sample.read, ev->attr->attr.read_format);
		}
		break;
	case 11:
		if (HAS(pfold_rec_aux)) {
			REC(pfold_rec_aux);
			fprintf(f, " aux_offset=0x%" PRIx64 " aux_size=0x%" PRIx64 " flags=0x%" PRIx64,
				x->aux_offset, x->aux_size, x->flags);
		}
		break;
	case 12:
		if (HAS(pfold_rec_itrace_start)) {
			REC(pfold_rec_itrace_start);
			fprintf(f, " pid=%u tid=%u", x->pid, x->tid);
		}
		break;
	case 13:
		if (HAS(pfold_rec_lost_samples)) {
			REC(pfold_rec_lost_samples);
			fprintf(f, " lost=%" PRIu64, x->lost);
		}
		break;
	case 14:
		fprintf(f, " out=%d preempt=%d", !!(ev->misc & PERF_RECORD_MISC_SWITCH_OUT),
			!!(ev->misc & PERF_RECORD_MISC_SWITCH_OUT_PREEMPT));
		break;
	case 15:
		if (HAS(pfold_rec_switch)) {
			REC(pfold_rec_switch);
			fprintf(f, " out=%d preempt=%d next_prev_pid=%u next_prev_tid=%u",
				!!(ev->misc & PERF_RECORD_MISC_SWITCH_OUT),
				!!(ev->misc & PERF_RECORD_MISC_SWITCH_OUT_PREEMPT),
				x->next_prev_pid, x->next_prev_tid);
		}
		break;
	case 16:
		if (HAS(pfold_rec_namespaces)) {
			REC(pfold_rec_namespaces);
			uint64_t i;

			fprintf(f, " pid=%u tid=%u nr_namespaces=%" PRIu64, x->pid, x->tid, x->nr_namespaces);
			for (i = 0; i < x->nr_namespaces && sizeof(*x) + (i + 1) * 16 <= ev->size; i++)
				fprintf(f, " [dev=%" PRIu64 " ino=%" PRIu64 "]", x->link_info[i].dev, x->link_info[i].ino);
		}
		break;
	case 17:
		if (HAS(pfold_rec_ksymbol)) {
			REC(pfold_rec_ksymbol);
			fprintf(f, " addr=0x%" PRIx64 " len=%u ksym_type=%u flags=%u", x->addr, x->len,
				x->ksym_type, x->flags);
			print_str(f, "name", x->name, ev->size - sizeof(*x));
		}
		break;
	case 18:
		if (HAS(pfold_rec_bpf_event)) {
			REC(pfold_rec_bpf_event);
			unsigned i;

			fprintf(f, " type=%u flags=%u id=%u tag=", x->type, x->flags, x->id);
			for (i = 0; i < 8; i++)
				fprintf(f, "%02x", x->tag[i]);
		}
		break;
	case 19:
		if (HAS(pfold_rec_cgroup)) {
			REC(pfold_rec_cgroup);
			fprintf(f, " id=%" PRIu64, x->id);
			print_str(f, "path", x->path, ev->size - sizeof(*x));
		}
		break;
	case 20:
		if (HAS(pfold_rec_text_poke)) {
			REC(pfold_rec_text_poke);
			fprintf(f, " addr=0x%" PRIx64 " old_len=%u new_len=%u", x->addr, x->old_len, x->new_len);
		}
		break;
	case 21:
		if (HAS(pfold_rec_aux_output_hw_id)) {
			REC(pfold_rec_aux_output_hw_id);
			fprintf(f, " hw_id=%" PRIu64, x->hw_id);
		}
		break;
	case PERF_RECORD_HEADER_ATTR: {
		size_t n = pfold_reader_nr_attrs(r);

		if (n)
			print_attr(f, pfold_reader_attr(r, n - 1));
		break;
	}
	case PERF_RECORD_HEADER_EVENT_TYPE:
		if (ev->size >= 16) {
			REC(pfold_rec_event_type);
			fprintf(f, " event_id=%" PRIu64, x->event_id);
			print_str(f, "name", x->name, ev->size - 16u < sizeof(x->name) ? ev->size - 16u : sizeof(x->name));
		}
		break;
	case PERF_RECORD_HEADER_TRACING_DATA:
		fprintf(f, " data_size=%" PRIu64, ev->payload_size);
		break;
	case PERF_RECORD_HEADER_BUILD_ID:
		if (HAS(pfold_rec_build_id)) {
			REC(pfold_rec_build_id);
			unsigned i;

			fprintf(f, " pid=%d build_id=", x->pid);
			for (i = 0; i < 20; i++)
				fprintf(f, "%02x", x->data[i]);
			print_str(f, "filename", x->filename, ev->size - sizeof(*x));
		}
		break;
	case PERF_RECORD_ID_INDEX:
		if (HAS(pfold_rec_id_index)) {
			REC(pfold_rec_id_index);
			uint64_t i;

			fprintf(f, " nr=%" PRIu64, x->nr);
			for (i = 0; i < x->nr && sizeof(*x) + (i + 1) * sizeof(x->entries[0]) <= ev->size; i++)
				fprintf(f, " [id=%" PRIu64 " idx=%" PRIu64 " cpu=%" PRId64 " tid=%" PRId64 "]",
					x->entries[i].id, x->entries[i].idx, (int64_t)x->entries[i].cpu,
					(int64_t)x->entries[i].tid);
		}
		break;
	case PERF_RECORD_AUXTRACE_INFO:
		if (HAS(pfold_rec_auxtrace_info)) {
			REC(pfold_rec_auxtrace_info);
			fprintf(f, " auxtrace_type=%u", x->type);
		}
		break;
	case PERF_RECORD_AUXTRACE:
		if (HAS(pfold_rec_auxtrace)) {
			REC(pfold_rec_auxtrace);
			fprintf(f, " data_size=%" PRIu64 " data_offset=0x%" PRIx64 " reference=0x%" PRIx64
				" idx=%u tid=%d cpu=%d", x->size, x->offset, x->reference, x->idx,
				(int32_t)x->tid, (int32_t)x->cpu);
		}
		break;
	case PERF_RECORD_AUXTRACE_ERROR:
		if (HAS(pfold_rec_auxtrace_error)) {
			REC(pfold_rec_auxtrace_error);
			fprintf(f, " error_type=%u code=%u cpu=%d pid=%d tid=%d ip=0x%" PRIx64, x->type, x->code,
				(int32_t)x->cpu, (int32_t)x->pid, (int32_t)x->tid, x->ip);
			print_str(f, "msg", x->msg, sizeof(x->msg));
		}
		break;
	case PERF_RECORD_THREAD_MAP:
		if (HAS(pfold_rec_thread_map)) {
			REC(pfold_rec_thread_map);
			fprintf(f, " nr=%" PRIu64, x->nr);
		}
		break;
	case PERF_RECORD_STAT:
		if (HAS(pfold_rec_stat)) {
			REC(pfold_rec_stat);
			fprintf(f, " id=%" PRIu64 " cpu=%d thread=%d val=%" PRIu64 " ena=%" PRIu64 " run=%" PRIu64,
				x->id, (int32_t)x->cpu, (int32_t)x->thread, x->val, x->ena, x->run);
		}
		break;
	case PERF_RECORD_STAT_ROUND:
		if (HAS(pfold_rec_stat_round)) {
			REC(pfold_rec_stat_round);
			fprintf(f, " round_type=%" PRIu64 " time=%" PRIu64, x->type, x->time);
		}
		break;
	case PERF_RECORD_EVENT_UPDATE:
		if (HAS(pfold_rec_event_update)) {
			REC(pfold_rec_event_update);
			fprintf(f, " update_type=%" PRIu64 " id=%" PRIu64, x->type, x->id);
		}
		break;
	case PERF_RECORD_TIME_CONV:
		if (ev->size >= 32) {
			REC(pfold_rec_time_conv);
			fprintf(f, " time_shift=%" PRIu64 " time_mult=%" PRIu64 " time_zero=%" PRIu64,
				x->time_shift, x->time_mult, x->time_zero);
		}
		break;
	case PERF_RECORD_HEADER_FEATURE:
		if (ev->size >= 16) {
			REC(pfold_rec_feature);
			fprintf(f, " feature=%s", pfold_feature_name((unsigned)x->feat_id));
		}
		break;
	case PERF_RECORD_COMPRESSED2:
		if (ev->size >= 16) {
			REC(pfold_rec_compressed2);
			fprintf(f, " data_size=%" PRIu64, x->data_size);
		}
		break;
	default:
		break;
	}
	if (ev->type != PERF_RECORD_SAMPLE && ev->type < PFOLD_RECORD_KERNEL_MAX)
		print_sample_id(f, &ev->sample);
	fputc('\n', f);
}

static void print_header(FILE *f, struct pfold_reader *r)
{
	const struct pfold_file_header *h = pfold_reader_file_header(r);
	const struct pfold_header_info *info = pfold_reader_header(r);
	struct pfold_buf b = PFOLD_BUF_INIT;
	size_t i;

	fprintf(f, "# mode : %s\n# byte order : %s\n", pfold_reader_is_pipe(r) ? "pipe" : "file",
		pfold_reader_needs_swap(r) ? "other (swapped)" : "host");
	if (!pfold_reader_is_pipe(r))
		fprintf(f, "# header size : %" PRIu64 "\n# attr size : %" PRIu64 "\n"
			"# attrs : offset=%" PRIu64 " size=%" PRIu64 "\n# data : offset=%" PRIu64 " size=%" PRIu64 "\n",
			h->size, h->attr_size, h->attrs.offset, h->attrs.size, h->data.offset, h->data.size);
	for (i = 0; i < pfold_reader_nr_attrs(r); i++) {
		fprintf(f, "# attr %zu :", i);
		print_attr(f, pfold_reader_attr(r, i));
		fputc('\n', f);
	}
	fputs("# features :", f);
	for (i = 0; i < HEADER_FEAT_BITS; i++)
		if (pfold_header_has(info, (unsigned)i))
			fprintf(f, " %s", pfold_feature_name((unsigned)i));
	fputc('\n', f);
	for (i = 0; i < HEADER_FEAT_BITS; i++) {
		if (!pfold_header_has(info, (unsigned)i))
			continue;
		pfold_buf_reset(&b);
		if (pfold_feature_print(&b, (unsigned)i, info))
			die("out of memory");
		if (b.len)
			fwrite(b.data, 1, b.len, f);
	}
	pfold_buf_release(&b);
}

static void print_stats(FILE *f, struct pfold_reader *r)
{
	const struct pfold_reader_stats *st = pfold_reader_stats(r);
	uint64_t total = 0;
	unsigned t;

	for (t = 0; t < PFOLD_RECORD_TYPE_MAX; t++)
		total += st->nr[t];
	fprintf(f, "%20s events: %10" PRIu64 "\n", "TOTAL", total);
	for (t = 0; t < PFOLD_RECORD_TYPE_MAX; t++) {
		if (!st->nr[t])
			continue;
		if (!strcmp(pfold_record_name(t), "UNKNOWN"))
			continue;
		fprintf(f, "%20s events: %10" PRIu64 "\n", pfold_record_name(t), st->nr[t]);
	}
	if (st->nr_unknown)
		fprintf(f, "%20s events: %10" PRIu64 "\n", "UNKNOWN", st->nr_unknown);
	if (st->nr_unknown_id)
		fprintf(f, "%20s samples: %9" PRIu64 "\n", "UNKNOWN_ID", st->nr_unknown_id);
	if (st->total_lost)
		fprintf(f, "%20s samples: %9" PRIu64 "\n", "LOST", st->total_lost);
	if (st->total_lost_samples)
		fprintf(f, "%20s samples: %9" PRIu64 "\n", "LOST_SAMPLES", st->total_lost_samples);
	if (st->in_file_order)
		fprintf(f, "%20s: file order already was (the queue changed nothing)\n", "time order");
}

int cmd_dump(int argc, const char **argv)
{
	const char *input = "perf.data";
	int header = 0, stats = 0, unordered = 0;
	struct option_def opts[] = {
		OPT_STRING('i', "input", &input, "FILE", "perf.data file to read (- for stdin; default perf.data)"),
		OPT_BOOL(0, "header", &header, "print the file header, attributes and features instead of records"),
		OPT_BOOL(0, "stats", &stats, "print the number of records per type instead of records"),
		OPT_BOOL(0, "unordered", &unordered, "print records in file order, not time order"),
		OPT_END(),
	};
	struct pfold_reader_options ropts = { 0 };
	const struct pfold_event *ev;
	struct pfold_reader *r;
	int ret;

	argc = parse_options(argc, argv, opts, dump_usage, 0);
	if (argc)
		usage_with_options(dump_usage, opts, 1);
	ropts.unordered = unordered;
	ret = pfold_reader_open(&r, input, &ropts);
	if (ret)
		die("%s", pfold_errmsg(ret));
	/* file mode has every feature at open; a pipe carries them in the stream */
	if (header && !stats && !pfold_reader_is_pipe(r)) {
		print_header(stdout, r);
		pfold_reader_close(r);
		return 0;
	}
	while ((ret = pfold_reader_next(r, &ev)) > 0) {
		if (!header && !stats)
			print_event(stdout, ev, r);
	}
	if (ret < 0) {
		fflush(stdout);
		die("%s", pfold_errmsg(ret));
	}
	if (header)
		print_header(stdout, r);
	if (stats)
		print_stats(stdout, r);
	pfold_reader_close(r);
	return 0;
}
