// An outside judge of a datasets.xml, written apart from generators/erddap: it parses with saxes
// (a strict XML parser steller's generator does not use) and checks against the tables extracted
// mechanically from ERDDAP's source (fixtures/erddap-rules.json), the way ERDDAP's LoadDatasets
// and the fromXml methods would: the file's prologue, top-level tags, each class's tags, variable
// tags and types, the global attributes ERDDAP cannot load without, and ioos_category.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SaxesParser } from 'saxes';
import { REPO } from '../helpers/cli.js';

interface Rules {
  classes: Record<string, { parser: string; tags: string[] }>;
  topLevelTags: string[];
  ioosCategories: string[];
  cdmTypes: string[];
  dataTypes: string[];
}

export const ERDDAP_RULES: Rules = JSON.parse(readFileSync(join(REPO, 'test/erddap/fixtures/erddap-rules.json'), 'utf8'));

interface Node {
  name: string;
  attributes: Record<string, string>;
  children: Node[];
  text: string;
}

function parse(xml: string): Node {
  const parser = new SaxesParser();
  const stack: Node[] = [];
  let root: Node | undefined;
  parser.on('opentag', (tag) => {
    const node: Node = { name: tag.name, attributes: tag.attributes as Record<string, string>, children: [], text: '' };
    if (stack.length) stack[stack.length - 1].children.push(node);
    else root = node;
    stack.push(node);
  });
  parser.on('text', (text) => { if (stack.length) stack[stack.length - 1].text += text; });
  parser.on('cdata', (text) => { if (stack.length) stack[stack.length - 1].text += text; });
  parser.on('closetag', () => {
    const node = stack.pop() as Node;
    node.text = node.text.trim();
  });
  parser.write(xml).close();
  if (!root) throw new Error('no root element');
  return root;
}

const SPECIAL_NAMES = new Set(['longitude', 'latitude', 'altitude', 'depth', 'time']);
const TIME_UNITS = / since |yyyy|uuuu/i;

/** Every way `xml` breaks ERDDAP's rules; an empty list means ERDDAP would load all of it. */
export function judgeDatasetsXml(xml: string): string[] {
  const problems: string[] = [];
  if (!xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')) problems.push('the file does not start with the XML declaration');
  // eslint-disable-next-line no-control-regex
  if (/[^\x00-\x7f]/.test(xml)) problems.push('the file is not ASCII');
  if (/(^|[^$])\$\{/.test(xml)) problems.push('an unescaped ${ (ERDDAP would substitute it)');
  if (/&(?!amp;|lt;|gt;|quot;|#\d+;)/.test(xml)) problems.push('an entity other than &amp; &lt; &gt; &quot; &#N;');
  const root = parse(xml);
  if (root.name !== 'erddapDatasets') problems.push(`root is <${root.name}>`);
  const ids = new Set<string>();
  for (const child of root.children) {
    if (child.name !== 'dataset') {
      if (!ERDDAP_RULES.topLevelTags.includes(child.name)) problems.push(`unknown top-level <${child.name}>`);
      continue;
    }
    const id = child.attributes.datasetID ?? '';
    if (ids.has(id.toLowerCase())) problems.push(`duplicate datasetID ${id}`);
    ids.add(id.toLowerCase());
    judgeDataset(child, problems);
  }
  return problems;
}

function judgeDataset(ds: Node, problems: string[]): void {
  const id = ds.attributes.datasetID ?? '';
  const type = ds.attributes.type ?? '';
  const at = `${id} (${type})`;
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(id)) problems.push(`${at}: datasetID off the documented rule`);
  const cls = ERDDAP_RULES.classes[type];
  if (!cls) {
    problems.push(`${at}: unknown class`);
    return;
  }
  for (const child of ds.children) if (!cls.tags.includes(child.name)) problems.push(`${at}: <${child.name}> not accepted`);
  for (const nested of ds.children.filter((c) => c.name === 'dataset')) judgeDataset(nested, problems);
  const add = ds.children.find((c) => c.name === 'addAttributes');
  if (!cls.tags.includes('addAttributes')) return;
  const globals = attributes(add);
  const need = ['title', 'summary', 'infoUrl'];
  if (cls.parser === 'EDDTableFromFiles') need.push('sourceUrl');
  for (const name of need) if (!globals.has(name)) problems.push(`${at}: no global ${name}`);
  if (!globals.has('institution') && !globals.has('creator_institution')) problems.push(`${at}: no global institution`);
  const cdm = globals.get('cdm_data_type') ?? globals.get('featureType');
  if (type.startsWith('EDDTable') && cdm === undefined) problems.push(`${at}: no cdm_data_type`);
  if (cdm !== undefined && !ERDDAP_RULES.cdmTypes.some((t) => t.toLowerCase() === cdm.toLowerCase())) problems.push(`${at}: cdm_data_type ${cdm}`);
  const variables = ds.children.filter((c) => c.name === 'dataVariable' || c.name === 'axisVariable');
  if (cls.tags.includes('dataVariable') && !variables.some((v) => v.name === 'dataVariable')) problems.push(`${at}: no dataVariable`);
  for (const v of variables) judgeVariable(v, cls.parser, at, problems);
}

function attributes(block: Node | undefined): Map<string, string> {
  const map = new Map<string, string>();
  for (const att of block?.children ?? []) if (att.text !== '' && att.text !== 'null') map.set(att.attributes.name, att.text);
  return map;
}

function judgeVariable(v: Node, parser: string, at: string, problems: string[]): void {
  const allowed = v.name === 'dataVariable' ? ['sourceName', 'destinationName', 'dataType', 'addAttributes'] : ['sourceName', 'destinationName', 'addAttributes', 'values'];
  for (const c of v.children) if (!allowed.includes(c.name)) problems.push(`${at}: <${c.name}> in <${v.name}>`);
  const text = (name: string) => v.children.find((c) => c.name === name)?.text;
  const name = text('destinationName') || text('sourceName') || '';
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) problems.push(`${at}: destinationName ${name}`);
  const dataType = text('dataType');
  if (dataType !== undefined && !ERDDAP_RULES.dataTypes.includes(dataType)) problems.push(`${at}: ${name} dataType ${dataType}`);
  if (dataType === undefined && parser === 'EDDTableFromFiles' && v.name === 'dataVariable') problems.push(`${at}: ${name} has no dataType`);
  const atts = attributes(v.children.find((c) => c.name === 'addAttributes'));
  const units = atts.get('units') ?? '';
  if (name === 'time' && units && !TIME_UNITS.test(units)) problems.push(`${at}: time units ${units}`);
  const category = atts.get('ioos_category');
  if (category === undefined && !SPECIAL_NAMES.has(name) && !TIME_UNITS.test(units)) problems.push(`${at}: ${name} has no ioos_category`);
  if (category !== undefined && !ERDDAP_RULES.ioosCategories.some((c) => c.toLowerCase() === category.toLowerCase())) problems.push(`${at}: ${name} ioos_category ${category}`);
}
