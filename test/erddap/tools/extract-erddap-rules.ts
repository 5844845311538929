// Extracts, mechanically, the rules the tests judge steller's datasets.xml by, straight from an
// ERDDAP source tree (not from steller's own tables): the child tags each dataset class's
// `fromXml` accepts, the top-level tags LoadDatasets accepts, and ERDDAP's vocabularies.
//   node dist/test/erddap/tools/extract-erddap-rules.js <erddap checkout> <repository> <commit> > test/erddap/fixtures/erddap-rules.json
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const [root, repository = 'unknown', commit = 'unknown'] = process.argv.slice(2);
if (!root) throw new Error('usage: extract-erddap-rules <erddap checkout> [repository] [commit]');
const classes = join(root, 'WEB-INF/classes');
const datasetDir = join(classes, 'gov/noaa/pfel/erddap/dataset');
const read = (path: string) => readFileSync(join(classes, path), 'utf8');

const sources = new Map(readdirSync(datasetDir).filter((f) => f.endsWith('.java')).map((f) => [f.slice(0, -5), readFileSync(join(datasetDir, f), 'utf8')]));

/** `class X extends Y`, for the EDD classes that are not abstract. */
function hierarchy(): Map<string, { parent: string; concrete: boolean }> {
  const map = new Map<string, { parent: string; concrete: boolean }>();
  for (const [name, text] of sources) {
    const m = new RegExp(`public\\s+(abstract\\s+)?class\\s+${name}\\s+extends\\s+(\\w+)`).exec(text);
    if (m) map.set(name, { parent: m[2], concrete: !m[1] });
  }
  return map;
}

/** The body of the `@EDDFromXmlMethod` method of a class, when it declares one. */
function fromXmlBody(name: string): string | undefined {
  const text = sources.get(name) ?? '';
  const at = text.indexOf('@EDDFromXmlMethod');
  if (at < 0) return undefined;
  const end = text.indexOf('\n  }\n', at);
  let body = text.slice(at, end);
  // EDDTableFromDatabase.fromXml delegates to lowFromXml.
  const delegate = /return (\w+)\(erddap, xmlReader/.exec(body);
  if (delegate && delegate[1] !== 'fromXml') {
    const start = text.indexOf(`${delegate[1]}(`, text.indexOf(`static ${name} ${delegate[1]}`) - 200);
    body = text.slice(start, text.indexOf('\n  }\n', start));
  }
  return body;
}

/** Tags a fromXml switch accepts; a case that only throws ("stop using ...") is not acceptance. */
function acceptedTags(body: string): string[] {
  const tags = new Set<string>();
  for (const m of body.matchAll(/"<\/?([A-Za-z_][A-Za-z0-9_]*)>"(\s*->\s*throw)?/g)) if (!m[2]) tags.add(m[1]);
  for (const m of body.matchAll(/"<\/?([A-Za-z_][A-Za-z0-9_]*)>"\s*->\s*throw/g)) tags.delete(m[1]);
  return [...tags].sort();
}

function parserOf(name: string, tree: Map<string, { parent: string }>): string | undefined {
  for (let c: string | undefined = name; c; c = tree.get(c)?.parent) if (fromXmlBody(c)) return c;
  return undefined;
}

function isEdd(name: string, tree: Map<string, { parent: string }>): boolean {
  for (let c: string | undefined = name; c; c = tree.get(c)?.parent) if (c === 'EDD') return true;
  return false;
}

/** A quoted-string list literal (`ImmutableList.of("a", "b")`) after `marker`. */
function stringList(text: string, marker: string): string[] {
  const at = text.indexOf(marker);
  const end = text.indexOf(');', at);
  const body = text.slice(at, end).replace(/\/\/[^\n]*/g, '');
  return [...body.matchAll(/"([^"]*)"/g)].map((m) => m[1]);
}

const tree = hierarchy();
const result: Record<string, { parser: string; tags: string[] }> = {};
for (const [name, info] of [...tree].sort(([a], [b]) => (a < b ? -1 : 1))) {
  if (!info.concrete || !isEdd(name, tree) || name === 'EDDTableFromAllDatasets') continue;
  const parser = parserOf(name, tree);
  if (parser) result[name] = { parser, tags: acceptedTags(fromXmlBody(parser) ?? '') };
}

const loadDatasets = read('gov/noaa/pfel/erddap/LoadDatasets.java');
const topLevel = [...new Set([...loadDatasets.matchAll(/"<erddapDatasets><\/?([A-Za-z][A-Za-z0-9_]*)>"/g)].map((m) => m[1]))].filter((t) => t !== 'dataset').sort();
const edv = read('gov/noaa/pfel/erddap/variable/EDV.java');
const edd = read('gov/noaa/pfel/erddap/dataset/EDD.java');
// Declared as one chained `String CDM_GRID = "Grid", CDM_MOVINGGRID = "MovingGrid", ...;`.
const cdmConstants = new Map([...edd.matchAll(/\b(CDM_[A-Z]+)\s*=\s*"([^"]+)"/g)].map((m) => [m[1], m[2]]));
const cdmBlock = edd.slice(edd.indexOf('CDM_TYPES ='), edd.indexOf(');', edd.indexOf('CDM_TYPES ='))).replace(/\/\/[^\n]*/g, '');
const cdmTypes = [...cdmBlock.matchAll(/CDM_[A-Z]+/g)].map((m) => m[0]).filter((c) => c !== 'CDM_TYPES').map((c) => cdmConstants.get(c) ?? c);
const categories = stringList(edv, 'IOOS_CATEGORIES =').concat(['Location', 'Time']).sort();
const paType = read('com/cohort/array/PAType.java');
const switchBody = paType.slice(paType.indexOf('safeFromCohortString('), paType.indexOf('default -> null', paType.indexOf('safeFromCohortString(')));
const dataTypes = [...switchBody.matchAll(/"([A-Za-z]+)"/g)].map((m) => m[1]);

process.stdout.write(`${JSON.stringify({
  source: { repository, commit, extractedBy: 'test/erddap/tools/extract-erddap-rules.ts' },
  classes: result,
  topLevelTags: topLevel,
  ioosCategories: [...new Set(categories)],
  cdmTypes,
  dataTypes,
}, null, 2)}\n`);
