// SPDX-License-Identifier: MIT
// check-export.mjs: independent decoders for pfold export: pprof (pprof-format) and speedscope (its JSON schema, ajv).
//
// usage: node check-export.mjs pprof FILE.pb.gz      -> "type=total ..." then one folded line per sample
//        node check-export.mjs speedscope FILE.json  -> schema verdict, then "profile-name total" lines
//        node check-export.mjs pprof-where FILE.pb.gz -> "mapping ID FILE BUILDID" and
//                                                        "location ID MAPPING FUNCTION FILE LINE" lines
import { createRequire } from 'module';
import fs from 'fs';
import zlib from 'zlib';
const require = createRequire(process.env.NODE_PATH + '/');

const [what, file] = process.argv.slice(2);
if (what === 'pprof') {
	const { Profile } = require('pprof-format');
	const p = Profile.decode(zlib.gunzipSync(fs.readFileSync(file)));
	const st = p.stringTable.strings;
	const types = p.sampleType.map(t => st[Number(t.type)] + '/' + st[Number(t.unit)]);
	const tot = types.map(() => 0n);
	for (const s of p.sample)
		s.value.forEach((v, i) => { tot[i] += BigInt(v); });
	console.log(types.map((t, i) => t + '=' + tot[i]).join(' '));
	console.log('default=' + st[Number(p.defaultSampleType)]);
	const fn = new Map(p.function.map(f => [String(f.id), st[Number(f.name)]]));
	const loc = new Map(p.location.map(l => [String(l.id), l.line.map(x => fn.get(String(x.functionId)))]));
	for (const s of p.sample)
		console.log(s.locationId.map(i => loc.get(String(i)).join('|')).reverse().join(';') + ' ' +
			    s.value.join(' '));
} else if (what === 'pprof-where') {
	const { Profile } = require('pprof-format');
	const p = Profile.decode(zlib.gunzipSync(fs.readFileSync(file)));
	const st = p.stringTable.strings;
	for (const m of p.mapping)
		console.log(['mapping', m.id, st[Number(m.filename)] || '-', st[Number(m.buildId)] || '-'].join(' '));
	const fn = new Map(p.function.map(f => [String(f.id), f]));
	for (const l of p.location)
		for (const x of l.line) {
			const f = fn.get(String(x.functionId));
			console.log(['location', l.id, l.mappingId, st[Number(f.name)],
				     st[Number(f.filename)] || '-', x.line].join(' '));
		}
} else if (what === 'speedscope') {
	const Ajv = require('ajv');
	const schema = JSON.parse(fs.readFileSync(process.env.NODE_PATH +
		'/speedscope/dist/release/file-format-schema.json', 'utf8'));
	const data = JSON.parse(fs.readFileSync(file, 'utf8'));
	const ajv = new Ajv({ allErrors: true, strict: false });
	const valid = ajv.validate(schema, data);
	console.log(valid ? 'valid' : 'invalid ' + JSON.stringify(ajv.errors));
	for (const prof of data.profiles) {
		const sum = prof.weights.reduce((a, b) => a + b, 0);
		console.log(prof.name + ' ' + sum + ' ' + prof.endValue + ' ' + prof.unit);
		prof.samples.forEach((s, i) =>
			console.log('  ' + s.map(f => data.shared.frames[f].name).join(';') + ' ' + prof.weights[i]));
	}
	process.exit(valid ? 0 : 1);
}
