// SPDX-License-Identifier: MIT
/* flame-svg.c: the interactive flamegraph SVG: frames, tooltips with counters and ratios, colours, script. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "flame-svg.h"

/* Geometry as flamegraph.pl's defaults. */
#define FONT_SIZE 12
#define FONT_WIDTH 0.59
#define FRAME_HEIGHT 16
#define FRAME_PAD 1
#define SEARCH_COLOR "rgb(230,0,230)"

/* Length of the valid UTF-8 sequence at S (at most N bytes), 0 if invalid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	uint32_t cp;
	size_t len, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;	/* overlong or out of range */
	if ((cp >= 0xd800 && cp <= 0xdfff) || cp == 0xfffe || cp == 0xffff)
		return 0;	/* not allowed in XML */
	return len;
}

int pfold_svg_add_text(struct pfold_buf *b, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, start = 0;

	while (i < len) {
		size_t l = utf8_len(u + i, len - i);

		if (l && (u[i] >= 0x20 || u[i] == '\t' || u[i] == '\n')) {
			i += l;
			continue;
		}
		if (pfold_buf_add_xml(b, s + start, i - start) || pfold_buf_addch(b, '?'))
			return -PFOLD_E_NOMEM;
		i++;
		start = i;
	}
	return pfold_buf_add_xml(b, s + start, len - start);
}

int pfold_utf8_clean(struct pfold_buf *b, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, start = 0;

	while (i < len) {
		size_t l = utf8_len(u + i, len - i);

		if (l) {
			i += l;
			continue;
		}
		if (pfold_buf_add(b, s + start, i - start) || pfold_buf_addch(b, '?'))
			return -PFOLD_E_NOMEM;
		i++;
		start = i;
	}
	return pfold_buf_add(b, s + start, len - start);
}

static int add_texts(struct pfold_buf *b, const char *s)
{
	return pfold_svg_add_text(b, s, strlen(s));
}

/* Append V with thousands separators. */
static int add_count(struct pfold_buf *b, uint64_t v)
{
	char tmp[32], out[48];
	size_t n, i, o = 0;

	n = (size_t)snprintf(tmp, sizeof(tmp), "%" PRIu64, v);
	for (i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = tmp[i];
	}
	out[o] = '\0';
	return pfold_buf_adds(b, out);
}

/* ---- colours ---- */

/* A stable hash of NAME in three values in [0, 1) (not random: graphs stay comparable). */
static void name_hash(const char *name, size_t len, double v[3])
{
	uint64_t h = 1469598103934665603ULL;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)name[i];
		h *= 1099511628211ULL;
	}
	v[0] = (double)(h & 0xffff) / 65536.0;
	v[1] = (double)((h >> 16) & 0xffff) / 65536.0;
	v[2] = (double)((h >> 32) & 0xffff) / 65536.0;
}

static void kind_color(const struct pfold_flame_frame *fr, char *out, size_t n)
{
	double v[3];

	if (fr->narrow || (fr->name && fr->name_len == 1 && fr->name[0] == '-')) {
		snprintf(out, n, "rgb(190,190,190)");
		return;
	}
	name_hash(fr->name ? fr->name : "", fr->name ? fr->name_len : 0, v);
	switch (fr->kind) {
	case PFOLD_FRAME_KERNEL:	/* orange */
		snprintf(out, n, "rgb(%d,%d,0)", 190 + (int)(65 * v[0]), 90 + (int)(65 * v[0]));
		break;
	case PFOLD_FRAME_JIT:		/* green */
		snprintf(out, n, "rgb(%d,%d,%d)", 50 + (int)(60 * v[0]), 200 + (int)(55 * v[0]),
			 50 + (int)(60 * v[0]));
		break;
	case PFOLD_FRAME_INLINED:	/* aqua */
		snprintf(out, n, "rgb(%d,%d,%d)", 50 + (int)(60 * v[0]), 165 + (int)(55 * v[0]),
			 165 + (int)(55 * v[0]));
		break;
	default:			/* user code and the root: "hot" */
		snprintf(out, n, "rgb(%d,%d,%d)", 205 + (int)(50 * v[2]), (int)(230 * v[0]),
			 (int)(55 * v[1]));
	}
}

/* Differential: flamegraph.pl's colour scale, red grew, blue shrank. */
static void delta_color(double value, double max, char *out, size_t n)
{
	int r = 255, g = 255, b = 255;

	if (value > 0)
		g = b = (int)(210 * (max - value) / max);
	else if (value < 0)
		r = g = (int)(210 * (max + value) / max);
	snprintf(out, n, "rgb(%d,%d,%d)", r, g, b);
}

/* Ratio scale: pale yellow (low) to dark red (high). */
static void ratio_color(double t, char *out, size_t n)
{
	if (t < 0)
		t = 0;
	if (t > 1)
		t = 1;
	snprintf(out, n, "rgb(%d,%d,%d)", 255 - (int)(75 * t), 245 - (int)(225 * t),
		 170 - (int)(150 * t));
}

/* ---- derived ratios ---- */

/* The slot of the event whose name (before any ':' modifier) is NAME, or -1. */
static int slot_of(const struct pfold_profile *p, const char *name)
{
	size_t i, n = pfold_profile_nr_events(p), l = strlen(name);

	for (i = 0; i < n; i++) {
		const char *e = pfold_profile_event_name(p, i);

		if (!strncmp(e, name, l) && (e[l] == '\0' || e[l] == ':'))
			return (int)i;
	}
	return -1;
}

struct ratios {
	const uint64_t *totals;	/* per event, computed once */
	int cycles, instructions;
	int nmiss;
	int miss[8], miss_den[8];	/* "X-misses" and its "X-references"/"Xs"/"Xes" */
};

static void find_ratios(const struct pfold_profile *p, struct ratios *r)
{
	size_t i, n = pfold_profile_nr_events(p);

	r->cycles = slot_of(p, "cycles");
	if (r->cycles < 0)
		r->cycles = slot_of(p, "cpu-cycles");
	r->instructions = slot_of(p, "instructions");
	r->nmiss = 0;
	for (i = 0; i < n && r->nmiss < 8; i++) {
		const char *e = pfold_profile_event_name(p, i);
		const char *colon = strchr(e, ':');
		size_t l = colon ? (size_t)(colon - e) : strlen(e);
		static const char *const suffixes[] = { "-references", "s", "es", "-accesses" };
		char den[128];
		size_t k;

		if (l < 7 || strncmp(e + l - 7, "-misses", 7))
			continue;
		r->miss[r->nmiss] = (int)i;
		r->miss_den[r->nmiss] = -1;
		for (k = 0; k < 4 && l - 7 + 12 < sizeof(den); k++) {
			snprintf(den, sizeof(den), "%.*s%s", (int)(l - 7), e, suffixes[k]);
			r->miss_den[r->nmiss] = slot_of(p, den);
			if (r->miss_den[r->nmiss] >= 0)
				break;
		}
		r->nmiss++;
	}
}

/* ---- the tooltip ---- */

static int add_tooltip(struct pfold_buf *b, const struct pfold_flame *f,
		       const struct pfold_flame_frame *fr, const struct ratios *ra,
		       const struct pfold_flame_svg_options *o)
{
	const struct pfold_profile *p = f->prof;
	const char *metric = pfold_profile_event_name(p, (size_t)f->metric);
	size_t k;
	int ret = 0;

	if (fr->narrow)
		ret |= pfold_buf_addf(b, "[%u narrow frames]", fr->narrow);
	else
		ret |= pfold_svg_add_text(b, fr->name, fr->name_len);
	ret |= pfold_buf_addch(b, '\n');
	if (f->diff_base >= 0) {
		double base = (double)fr->counts[f->diff_base];

		ret |= add_count(b, fr->counts[f->metric]);
		ret |= pfold_buf_addf(b, " now, %.2f%%; before %.0f%s; change %+.0f (%+.2f%%), self change %+.0f",
				      f->total ? 100.0 * (double)fr->width / (double)f->total : 0.0,
				      base, o->normalized ? " (unscaled)" : "", fr->delta_total,
				      f->total ? 100.0 * fr->delta_total / (double)f->total : 0.0,
				      fr->delta);
		return ret ? -PFOLD_E_NOMEM : 0;
	}
	/* the second line is what the status bar shows: "N metric, P%" */
	ret |= add_count(b, fr->width);
	ret |= pfold_buf_adds(b, " ");
	ret |= add_texts(b, metric);
	ret |= pfold_buf_addf(b, ", %.2f%%", f->total ? 100.0 * (double)fr->width / (double)f->total : 0.0);
	for (k = 0; k < f->nevents; k++) {
		uint64_t tot = ra->totals[k];

		ret |= pfold_buf_addch(b, '\n');
		ret |= add_texts(b, pfold_profile_event_name(p, k));
		ret |= pfold_buf_adds(b, ": ");
		ret |= add_count(b, fr->counts[k]);
		ret |= pfold_buf_addf(b, " (%.2f%%), self ", tot ? 100.0 * (double)fr->counts[k] / (double)tot : 0.0);
		ret |= add_count(b, fr->self[k]);
	}
	if (ra->cycles >= 0 && ra->instructions >= 0) {
		uint64_t c = fr->counts[ra->cycles], i = fr->counts[ra->instructions];

		if (c)
			ret |= pfold_buf_addf(b, "\nIPC: %.3f", (double)i / (double)c);
		if (i)
			ret |= pfold_buf_addf(b, "\nCPI: %.3f", (double)c / (double)i);
	}
	for (k = 0; k < (size_t)ra->nmiss; k++) {
		uint64_t m = fr->counts[ra->miss[k]];
		const char *mn = pfold_profile_event_name(p, (size_t)ra->miss[k]);

		if (ra->instructions >= 0 && fr->counts[ra->instructions]) {
			ret |= pfold_buf_addch(b, '\n');
			ret |= add_texts(b, mn);
			ret |= pfold_buf_addf(b, " per 1000 instructions: %.3f",
					      1000.0 * (double)m / (double)fr->counts[ra->instructions]);
		}
		if (ra->miss_den[k] >= 0 && fr->counts[ra->miss_den[k]]) {
			ret |= pfold_buf_addch(b, '\n');
			ret |= add_texts(b, mn);
			ret |= pfold_buf_addf(b, " rate: %.2f%%",
					      100.0 * (double)m / (double)fr->counts[ra->miss_den[k]]);
		}
	}
	if (o->color_num >= 0) {
		uint64_t d = fr->counts[o->color_den];

		ret |= pfold_buf_addch(b, '\n');
		ret |= add_texts(b, pfold_profile_event_name(p, (size_t)o->color_num));
		ret |= pfold_buf_adds(b, "/");
		ret |= add_texts(b, pfold_profile_event_name(p, (size_t)o->color_den));
		if (d)
			ret |= pfold_buf_addf(b, ": %.4g", (double)fr->counts[o->color_num] / (double)d);
		else
			ret |= pfold_buf_adds(b, ": n/a");
	}
	if (fr->nhidden) {
		ret |= pfold_buf_adds(b, "\n+ ");
		ret |= add_count(b, fr->hidden);
		ret |= pfold_buf_addf(b, " in %u frame%s narrower than %g px", fr->nhidden,
				      fr->nhidden == 1 ? "" : "s", f->minwidth);
	}
	return ret ? -PFOLD_E_NOMEM : 0;
}

/* The label drawn in a frame: flamegraph.pl's truncation, on UTF-8 boundaries. */
static int add_label(struct pfold_buf *b, const struct pfold_flame_frame *fr, double w)
{
	char tmp[64];
	const char *name = fr->name;
	size_t len = fr->name_len, chars = (size_t)(w / (FONT_SIZE * FONT_WIDTH)), cut;

	if (chars < 3)
		return 0;
	if (fr->narrow) {
		snprintf(tmp, sizeof(tmp), "[%u narrow frames]", fr->narrow);
		name = tmp;
		len = strlen(tmp);
	}
	if (len <= chars)
		return pfold_svg_add_text(b, name, len);
	cut = chars - 2;
	while (cut > 0 && ((unsigned char)name[cut] & 0xc0) == 0x80)
		cut--;
	if (pfold_svg_add_text(b, name, cut))
		return -PFOLD_E_NOMEM;
	return pfold_buf_adds(b, "..");
}

/* ---- the script: reads every name from the DOM; nothing generated but numbers ---- */

static const char script[] =
"\"use strict\";\n"
"var frames = [], details, matchedtxt, searchbtn, unzoombtn, searching = false, total = 0;\n"
"function init(evt) {\n"
"\tdetails = document.getElementById(\"details\").firstChild;\n"
"\tmatchedtxt = document.getElementById(\"matched\").firstChild;\n"
"\tsearchbtn = document.getElementById(\"search\");\n"
"\tunzoombtn = document.getElementById(\"unzoom\");\n"
"\tvar box = document.getElementById(\"frames\");\n"
"\tvar gs = box.getElementsByTagName(\"g\");\n"
"\tfor (var i = 0; i < gs.length; i++) {\n"
"\t\tvar g = gs[i], r = g.getElementsByTagName(\"rect\")[0];\n"
"\t\tvar title = g.getElementsByTagName(\"title\")[0].textContent.split(\"\\n\");\n"
"\t\tvar f = { g: g, r: r, t: g.getElementsByTagName(\"text\")[0],\n"
"\t\t\ts: +g.getAttribute(\"data-s\"), w: +g.getAttribute(\"data-w\"),\n"
"\t\t\td: +g.getAttribute(\"data-d\"), narrow: g.getAttribute(\"class\") === \"f n\",\n"
"\t\t\tname: title[0], info: title.length > 1 ? title[1] : \"\",\n"
"\t\t\tx: +r.getAttribute(\"x\"), wpx: +r.getAttribute(\"width\"),\n"
"\t\t\tfill: r.getAttribute(\"fill\") };\n"
"\t\tg.pfoldIndex = frames.length;\n"
"\t\tframes.push(f);\n"
"\t\tif (f.d === 0) total = f.w;\n"
"\t}\n"
"\tbox.addEventListener(\"click\", function (e) { var f = frame_of(e.target); if (f) zoom(f); });\n"
"\tbox.addEventListener(\"mouseover\", function (e) {\n"
"\t\tvar f = frame_of(e.target);\n"
"\t\tif (f) details.nodeValue = NAMETYPE + \" \" + f.name + \" (\" + f.info + \")\";\n"
"\t});\n"
"\tbox.addEventListener(\"mouseout\", function () { details.nodeValue = \" \"; });\n"
"\tunzoombtn.addEventListener(\"click\", unzoom);\n"
"\tsearchbtn.addEventListener(\"click\", search_prompt);\n"
"\twindow.addEventListener(\"keydown\", function (e) {\n"
"\t\tif (e.keyCode === 114 || (e.ctrlKey && e.keyCode === 70)) {\n"
"\t\t\te.preventDefault();\n"
"\t\t\tsearch_prompt();\n"
"\t\t}\n"
"\t});\n"
"\tvar params = new URLSearchParams(document.location.search);\n"
"\tif (params.get(\"s\")) search(params.get(\"s\"));\n"
"}\n"
"function frame_of(n) {\n"
"\twhile (n && n.pfoldIndex === undefined) n = n.parentNode;\n"
"\treturn n ? frames[n.pfoldIndex] : null;\n"
"}\n"
"function label(f, w) {\n"
"\tvar chars = Math.floor(w / (FONTSIZE * FONTWIDTH)), txt = f.name;\n"
"\tif (chars < 3) txt = \"\";\n"
"\telse if (txt.length > chars) txt = txt.substring(0, chars - 2) + \"..\";\n"
"\tf.t.textContent = txt;\n"
"}\n"
"function place(f, x, w) {\n"
"\tf.r.setAttribute(\"x\", x.toFixed(1));\n"
"\tf.r.setAttribute(\"width\", w.toFixed(1));\n"
"\tf.t.setAttribute(\"x\", (x + 3).toFixed(2));\n"
"\tlabel(f, w);\n"
"}\n"
"function zoom(z) {\n"
"\tif (z.d === 0) { unzoom(); return; }\n"
"\tvar scale = (WIDTH - 2 * XPAD) / z.w;\n"
"\tunzoombtn.style.opacity = \"1.0\";\n"
"\tfor (var i = 0; i < frames.length; i++) {\n"
"\t\tvar f = frames[i], anc = false, show;\n"
"\t\tif (f.d < z.d) show = anc = f.s <= z.s && f.s + f.w >= z.s + z.w;\n"
"\t\telse show = f.s >= z.s && f.s + f.w <= z.s + z.w;\n"
"\t\tif (!show) { f.g.style.display = \"none\"; continue; }\n"
"\t\tf.g.style.display = \"\";\n"
"\t\tf.g.style.opacity = anc ? \"0.5\" : \"\";\n"
"\t\tif (anc) place(f, XPAD, WIDTH - 2 * XPAD);\n"
"\t\telse place(f, XPAD + (f.s - z.s) * scale, f.w * scale);\n"
"\t}\n"
"}\n"
"function unzoom() {\n"
"\tunzoombtn.style.opacity = \"0.0\";\n"
"\tfor (var i = 0; i < frames.length; i++) {\n"
"\t\tvar f = frames[i];\n"
"\t\tf.g.style.display = \"\";\n"
"\t\tf.g.style.opacity = \"\";\n"
"\t\tplace(f, f.x, f.wpx);\n"
"\t}\n"
"}\n"
"function reset_search() {\n"
"\tfor (var i = 0; i < frames.length; i++) frames[i].r.setAttribute(\"fill\", frames[i].fill);\n"
"\tsearching = false;\n"
"\tsearchbtn.firstChild.nodeValue = \"Search\";\n"
"\tmatchedtxt.nodeValue = \" \";\n"
"}\n"
"function search_prompt() {\n"
"\tif (searching) { reset_search(); return; }\n"
"\tvar term = prompt(\"Enter a search term (regexp allowed, eg: ^ext4_)\", \"\");\n"
"\tif (term != null && term !== \"\") search(term);\n"
"}\n"
"// search: highlight the frames whose name matches; the percentage counts\n"
"// each matched stretch once, however many matched frames sit on top of it\n"
"function search(term) {\n"
"\tvar re, iv = [], sum = 0, end = -Infinity;\n"
"\ttry { re = new RegExp(term); } catch (e) { matchedtxt.nodeValue = \"bad regexp\"; return -1; }\n"
"\treset_search();\n"
"\tfor (var i = 0; i < frames.length; i++) {\n"
"\t\tvar f = frames[i];\n"
"\t\tif (f.narrow || !re.test(f.name)) continue;\n"
"\t\tf.r.setAttribute(\"fill\", SEARCHCOLOR);\n"
"\t\tiv.push([f.s, f.s + f.w]);\n"
"\t}\n"
"\tsearching = true;\n"
"\tsearchbtn.firstChild.nodeValue = \"Reset Search\";\n"
"\tiv.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });\n"
"\tfor (var j = 0; j < iv.length; j++) {\n"
"\t\tif (iv[j][1] <= end) continue;\n"
"\t\tsum += iv[j][1] - Math.max(iv[j][0], end);\n"
"\t\tend = iv[j][1];\n"
"\t}\n"
"\tvar pct = total ? 100 * sum / total : 0;\n"
"\tmatchedtxt.nodeValue = \"Matched: \" + pct.toFixed(2) + \"%\";\n"
"\treturn pct;\n"
"}\n";

int pfold_flame_svg(const struct pfold_flame *f, const struct pfold_flame_svg_options *o,
		    struct pfold_buf *b)
{
	const struct pfold_profile *p = f->prof;
	struct ratios ra;
	double ypad1 = FONT_SIZE * 3, ypad2 = FONT_SIZE * 2 + 10, ypad3 = FONT_SIZE * 2;
	double height, rmin = INFINITY, rmax = -INFINITY;
	const char *title = o->title;
	uint64_t *totals;
	size_t i, k;
	int ret = 0;

	if (o->color_num >= 0 && ((size_t)o->color_num >= f->nevents || o->color_den < 0 ||
				  (size_t)o->color_den >= f->nevents))
		return pfold_error(PFOLD_E_INVAL, "flamegraph: no such event for --color-by");
	if (!title)
		title = f->diff_base >= 0 ? "Differential Flame Graph" :
			o->icicle ? "Icicle Graph" : "Flame Graph";
	find_ratios(p, &ra);
	totals = calloc(f->nevents + 1, sizeof(*totals));
	if (!totals)
		return -PFOLD_E_NOMEM;
	for (k = 0; k < f->nevents; k++)
		totals[k] = pfold_profile_total(p, k);
	ra.totals = totals;
	ypad1 += ypad3;	/* always a subtitle: events and totals */
	if (o->color_num >= 0)
		ypad1 += 20;	/* the legend row */
	height = (f->max_depth + 1) * FRAME_HEIGHT + ypad1 + ypad2;
	if (o->color_num >= 0) {
		for (i = 0; i < f->nr; i++) {
			uint64_t d = f->frames[i].counts[o->color_den];
			double r;

			if (!d)
				continue;
			r = (double)f->frames[i].counts[o->color_num] / (double)d;
			if (r < rmin)
				rmin = r;
			if (r > rmax)
				rmax = r;
		}
	}

	ret |= pfold_buf_addf(b,
		"<?xml version=\"1.0\" standalone=\"no\"?>\n"
		"<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">\n"
		"<svg version=\"1.1\" width=\"%g\" height=\"%g\" onload=\"init(evt)\" viewBox=\"0 0 %g %g\" "
		"xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\">\n"
		"<!-- made by pfold: flame graph layout after Brendan Gregg's flamegraph.pl -->\n"
		"<defs>\n"
		"\t<linearGradient id=\"background\" y1=\"0\" y2=\"1\" x1=\"0\" x2=\"0\">\n"
		"\t\t<stop stop-color=\"%s\" offset=\"5%%\"/>\n"
		"\t\t<stop stop-color=\"%s\" offset=\"95%%\"/>\n"
		"\t</linearGradient>\n"
		"\t<linearGradient id=\"legend\" x1=\"0\" x2=\"1\" y1=\"0\" y2=\"0\">\n"
		"\t\t<stop stop-color=\"rgb(255,245,170)\" offset=\"0%%\"/>\n"
		"\t\t<stop stop-color=\"rgb(180,20,20)\" offset=\"100%%\"/>\n"
		"\t</linearGradient>\n"
		"</defs>\n"
		"<style type=\"text/css\">\n"
		"\ttext { font-family: Verdana, sans-serif; font-size: %dpx; fill: rgb(0,0,0); }\n"
		"\t#title { text-anchor: middle; font-size: %dpx; }\n"
		"\t#subtitle { text-anchor: middle; fill: rgb(160,160,160); }\n"
		"\t#search, #unzoom { cursor: pointer; }\n"
		"\t#search { opacity: 0.5; }\n"
		"\t#unzoom { opacity: 0.0; }\n"
		"\t#frames > g:hover { stroke: black; stroke-width: 0.5; cursor: pointer; }\n"
		"\t#frames text { pointer-events: none; }\n"
		"</style>\n"
		"<script type=\"text/ecmascript\">\n<![CDATA[\n"
		"var WIDTH = %g, XPAD = %g, FONTSIZE = %d, FONTWIDTH = %g, SEARCHCOLOR = \"%s\", NAMETYPE = \"Function:\";\n",
		f->width, height, f->width, height,
		f->diff_base >= 0 ? "#eeeeee" : "#eeeeee",
		f->diff_base >= 0 ? "#eeeeee" : "#eeeeb0",
		FONT_SIZE, FONT_SIZE + 5, f->width, f->xpad, FONT_SIZE, FONT_WIDTH, SEARCH_COLOR);
	ret |= pfold_buf_adds(b, script);
	ret |= pfold_buf_adds(b, "]]>\n</script>\n");
	ret |= pfold_buf_addf(b, "<rect x=\"0\" y=\"0\" width=\"%g\" height=\"%g\" fill=\"url(#background)\"/>\n",
			      f->width, height);
	ret |= pfold_buf_addf(b, "<text id=\"title\" x=\"%g\" y=\"%d\">", floor(f->width / 2), FONT_SIZE * 2);
	ret |= add_texts(b, title);
	ret |= pfold_buf_adds(b, "</text>\n");

	/* subtitle: events, totals, what the width is, what happened */
	ret |= pfold_buf_addf(b, "<text id=\"subtitle\" x=\"%g\" y=\"%d\">", floor(f->width / 2), FONT_SIZE * 4);
	if (f->diff_base >= 0) {
		ret |= pfold_buf_adds(b, "width: ");
		if (o->diff_event) {
			ret |= add_texts(b, o->diff_event);
			ret |= pfold_buf_adds(b, " ");
		}
		ret |= pfold_buf_adds(b, "now, total ");
		ret |= add_count(b, f->total);
		ret |= pfold_buf_adds(b, "; colour: self change (red grew, blue shrank)");
		if (o->normalized)
			ret |= pfold_buf_adds(b, "; base normalized to the current total");
	} else {
		ret |= pfold_buf_adds(b, "width: ");
		ret |= add_texts(b, pfold_profile_event_name(p, (size_t)f->metric));
		ret |= pfold_buf_adds(b, "; totals:");
		for (k = 0; k < f->nevents; k++) {
			ret |= pfold_buf_adds(b, k ? ", " : " ");
			ret |= add_texts(b, pfold_profile_event_name(p, k));
			ret |= pfold_buf_adds(b, " ");
			ret |= add_count(b, pfold_profile_total(p, k));
		}
		if (o->color_num >= 0) {
			ret |= pfold_buf_adds(b, "; colour: ");
			ret |= add_texts(b, pfold_profile_event_name(p, (size_t)o->color_num));
			ret |= pfold_buf_adds(b, "/");
			ret |= add_texts(b, pfold_profile_event_name(p, (size_t)o->color_den));
		}
	}
	if (f->narrow_frames)
		ret |= pfold_buf_addf(b, "; %lu frames narrower than %g px merged", f->narrow_frames, f->minwidth);
	if (o->note && *o->note) {
		ret |= pfold_buf_adds(b, "; ");
		ret |= add_texts(b, o->note);
	}
	ret |= pfold_buf_adds(b, "</text>\n");

	/* legend of the ratio colours: a row under the subtitle */
	if (o->color_num >= 0 && rmin <= rmax) {
		double lx = floor(f->width / 2) - 60;
		int ly = FONT_SIZE * 4 + 8;

		ret |= pfold_buf_addf(b, "<g id=\"legend-scale\"><text x=\"%g\" y=\"%d\" style=\"text-anchor:end\">%.4g</text>"
				      "<rect x=\"%g\" y=\"%d\" width=\"120\" height=\"10\" fill=\"url(#legend)\"/>"
				      "<text x=\"%g\" y=\"%d\">%.4g ",
				      lx - 4, ly + 10, rmin, lx, ly + 1, lx + 124, ly + 10, rmax);
		ret |= add_texts(b, pfold_profile_event_name(p, (size_t)o->color_num));
		ret |= pfold_buf_adds(b, "/");
		ret |= add_texts(b, pfold_profile_event_name(p, (size_t)o->color_den));
		ret |= pfold_buf_adds(b, "</text></g>\n");
	}
	ret |= pfold_buf_addf(b, "<text id=\"details\" x=\"%g\" y=\"%g\"> </text>\n", f->xpad, height - ypad2 / 2);
	ret |= pfold_buf_addf(b, "<text id=\"unzoom\" x=\"%g\" y=\"%d\">Reset Zoom</text>\n", f->xpad, FONT_SIZE * 2);
	ret |= pfold_buf_addf(b, "<text id=\"search\" x=\"%g\" y=\"%d\">Search</text>\n",
			      f->width - f->xpad - 100, FONT_SIZE * 2);
	ret |= pfold_buf_addf(b, "<text id=\"matched\" x=\"%g\" y=\"%g\"> </text>\n",
			      f->width - f->xpad - 100, height - ypad2 / 2);
	if (ret) {
		free(totals);
		return -PFOLD_E_NOMEM;
	}

	ret |= pfold_buf_adds(b, "<g id=\"frames\">\n");
	for (i = 0; i < f->nr; i++) {
		const struct pfold_flame_frame *fr = &f->frames[i];
		double x, w, y1, y2;
		char color[64];

		pfold_flame_x(f, i, &x, &w);
		if (o->icicle) {
			y1 = ypad1 + fr->depth * FRAME_HEIGHT;
			y2 = ypad1 + (fr->depth + 1) * FRAME_HEIGHT - FRAME_PAD;
		} else {
			y1 = height - ypad2 - (fr->depth + 1) * FRAME_HEIGHT + FRAME_PAD;
			y2 = height - ypad2 - fr->depth * FRAME_HEIGHT;
		}
		if (f->diff_base >= 0) {
			delta_color(fr->narrow ? fr->delta_total : fr->delta, f->max_delta, color, sizeof(color));
		} else if (o->color_num >= 0) {
			uint64_t d = fr->counts[o->color_den];

			if (!d)
				snprintf(color, sizeof(color), "rgb(200,200,200)");
			else
				ratio_color(rmax > rmin ? ((double)fr->counts[o->color_num] / (double)d - rmin) /
					    (rmax - rmin) : 0.5, color, sizeof(color));
		} else {
			kind_color(fr, color, sizeof(color));
		}
		ret |= pfold_buf_addf(b, "<g class=\"%s\" data-s=\"%" PRIu64 "\" data-w=\"%" PRIu64 "\" data-d=\"%u\"><title>",
				      fr->narrow ? "f n" : "f", fr->start, fr->width, fr->depth);
		ret |= add_tooltip(b, f, fr, &ra, o);
		ret |= pfold_buf_addf(b, "</title><rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\" rx=\"2\" ry=\"2\"/>"
				      "<text x=\"%.2f\" y=\"%.1f\">",
				      x, y1, w, y2 - y1, color, x + 3, 3 + (y1 + y2) / 2);
		ret |= add_label(b, fr, w);
		ret |= pfold_buf_adds(b, "</text></g>\n");
		if (ret)
			break;
	}
	ret |= pfold_buf_adds(b, "</g>\n</svg>\n");
	free(totals);
	return ret ? -PFOLD_E_NOMEM : 0;
}
