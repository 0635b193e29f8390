#!/bin/sh
# Shipped Sigma rules (rules/**/*.yml) against the Sigma 2.x JSON schemas from
# ../shared/data/sigma-spec: every YAML document is checked against the schema
# of its kind (correlation, filter or detection rule), and the cshare
# conventions are checked too: unique UUID v4 ids, author "cshare", a
# cshare_domain from data/domains.tsv on every rule that raises alerts, a test
# folder tests/cases/detect/<stem>/ with positive and negative events.
# Needs node and npm (ajv, js-yaml installed once into build/jsonschema-tools,
# see ../shared/data/schemas/README.md); exits 77 (skipped) without them.
set -u
: "${CS_SRC:?CS_SRC must name the source tree}"
SPEC="${CS_SIGMA_SPEC:-$CS_SRC/../shared/data/sigma-spec}"
[ -d "$SPEC/json-schema" ] || { echo "skip: no Sigma spec at $SPEC"; exit 77; }
command -v node >/dev/null 2>&1 || { echo "skip: node not found"; exit 77; }
T="${CS_BUILD:-$CS_SRC/build}/jsonschema-tools"
if [ ! -d "$T/node_modules/ajv" ] || [ ! -d "$T/node_modules/js-yaml" ]; then
	T="$CS_SRC/build/jsonschema-tools"
fi
if [ ! -d "$T/node_modules/ajv" ] || [ ! -d "$T/node_modules/js-yaml" ]; then
	command -v npm >/dev/null 2>&1 || { echo "skip: npm not found"; exit 77; }
	mkdir -p "$T"
	npm install --prefix "$T" --no-audit --no-fund --save-exact --fetch-timeout=20000 --fetch-retries=1 \
		ajv@8.20.0 ajv-formats@3.0.1 js-yaml@4.1.0 >"$T/npm.log" 2>&1 ||
		{ echo "skip: npm install failed (no registry?)"; tail -5 "$T/npm.log"; exit 77; }
fi
NODE_PATH="$T/node_modules" exec node - "$SPEC/json-schema" "$CS_SRC" <<'JS'
const fs = require("fs"), path = require("path"), yaml = require("js-yaml");
const Ajv2020 = require("ajv/dist/2020"), Ajv = require("ajv"), addFormats = require("ajv-formats");
const [schemaDir, src] = process.argv.slice(2);
function compile(file) {
	const s = JSON.parse(fs.readFileSync(path.join(schemaDir, file), "utf8"));
	const A = /2020-12/.test(String(s.$schema || "")) ? Ajv2020 : Ajv;
	const ajv = new A({ allErrors: true, strict: false });
	addFormats(ajv);
	return ajv.compile(s);
}
const V = {
	rule: compile("sigma-detection-rule-schema.json"),
	correlation: compile("sigma-correlation-rules-schema.json"),
	filter: compile("sigma-filters-schema.json"),
};
const domains = new Set(fs.readFileSync(path.join(src, "data/domains.tsv"), "utf8")
	.split("\n").filter((l) => l && !l.startsWith("#")).map((l) => l.split("\t")[0]));
const uuid4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
let pass = 0, fail = 0;
const ok = (m) => { pass++; console.log("ok   " + m); };
const bad = (m) => { fail++; console.log("FAIL " + m); };
function walk(d) {
	return fs.readdirSync(d, { withFileTypes: true }).flatMap((e) =>
		e.isDirectory() ? walk(path.join(d, e.name)) : /\.ya?ml$/.test(e.name) ? [path.join(d, e.name)] : []);
}
const files = walk(path.join(src, "rules")).sort();
const ids = new Map(), parsed = new Map();
let alerting = 0;
for (const f of files) {
	const rel = path.relative(src, f), stem = path.basename(f).replace(/\.ya?ml$/, "");
	let docs;
	try {
		docs = yaml.loadAll(fs.readFileSync(f, "utf8"), { schema: yaml.CORE_SCHEMA }).filter((x) => x != null);
	} catch (e) { bad(rel + ": YAML: " + e.message.split("\n")[0]); continue; }
	parsed.set(f, docs);
	const names = new Set(docs.filter((d) => d.name).map((d) => d.name));
	docs.forEach((d, i) => {
		const where = rel + (docs.length > 1 ? "#" + i : "");
		const kind = d.correlation ? "correlation" : d.filter ? "filter" : "rule";
		if (V[kind](d)) ok(where + ": valid " + kind);
		else bad(where + ": invalid " + kind + "\n     " + V[kind].errors.map((e) => (e.instancePath || "/") + " " + e.message).join("\n     "));
		if (!uuid4.test(String(d.id))) bad(where + ": id is not a lower-case UUID v4");
		else if (ids.has(d.id)) bad(where + ": id " + d.id + " also in " + ids.get(d.id));
		else ids.set(d.id, where);
		if (d.author !== "cshare") bad(where + ": author is not cshare");
		// Documents that raise alerts: stand-alone rules (no `name` that a
		// correlation of the same file refers to), correlations.
		const referenced = docs.some((c) => c.correlation && (c.correlation.rules || []).includes(d.name));
		if (kind === "filter" || referenced) return;
		alerting++;
		if (!domains.has(d.cshare_domain)) bad(where + ": cshare_domain '" + d.cshare_domain + "' not in data/domains.tsv");
		if (!(d.tags || []).some((t) => /^attack\.t\d{4}(\.\d{3})?$/.test(t))) bad(where + ": no ATT&CK technique tag");
		if (!(d.references || []).length) bad(where + ": no references");
		if (kind === "rule" && !/^(aws|azure|gcp)$/.test(d.logsource.product)) bad(where + ": logsource product");
	});
	for (const c of docs.filter((d) => d.correlation))
		for (const r of c.correlation.rules || [])
			if (!names.has(r) && !ids.has(r)) bad(rel + ": correlation refers to unknown rule " + r);
	const dir = path.join(src, "tests/cases/detect", stem);
	const ev = fs.existsSync(dir) ? fs.readdirSync(dir) : [];
	for (const kind of ["positive", "negative"]) {
		const list = ev.filter((e) => e.startsWith(kind) && e.endsWith(".json"));
		if (!list.length) { bad(rel + ": no tests/cases/detect/" + stem + "/" + kind + "*.json"); continue; }
		for (const e of list) {
			const t = fs.readFileSync(path.join(dir, e), "utf8");
			try {
				if (t.trimStart().startsWith("{\"Records\"") || t.trimStart().startsWith("{\"records\"") || !t.includes("\n{")) JSON.parse(t);
				else t.split("\n").filter((l) => l.trim()).forEach((l) => JSON.parse(l));
				ok(stem + "/" + e + ": JSON");
			} catch (x) { bad(stem + "/" + e + ": not JSON: " + x.message); }
		}
	}
}
// filters must refer to rules that exist
for (const [f, docs] of parsed) {
	for (const d of docs.filter((x) => x.filter))
		for (const r of d.filter.rules || [])
			if (!ids.has(r)) bad(path.relative(src, f) + ": filter names unknown rule " + r);
}
if (alerting >= 40) ok(alerting + " alerting rules (at least 40)"); else bad("only " + alerting + " alerting rules");
console.log(pass + " passed, " + fail + " failed");
process.exit(fail ? 1 : 0);
JS
