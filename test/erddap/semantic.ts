// What a datasets.xml means to ERDDAP, as plain data, so two files can be compared for the
// round trip: datasets by id (order aside), their class, tags and values, global and variable
// attributes (order aside, ERDDAP's defaults applied: destinationName = sourceName, no type =
// string, an empty value and "null" both delete), nested datasets, and the top-level settings.
import { readXml, type XmlElement } from '../../generators/erddap/xml.js';

type Tag = string;

export interface Meaning {
  settings: Tag[];
  datasets: Map<string, DatasetMeaning>;
}

interface DatasetMeaning {
  type: string;
  active: boolean;
  tags: Tag[];
  attributes: Record<string, string>;
  variables: string[];
  children: DatasetMeaning[];
}

const attr = (el: XmlElement, name: string) => el.attributes.find(([n]) => n === name)?.[1];

function tag(el: XmlElement): Tag {
  const attributes = [...el.attributes].sort(([a], [b]) => (a < b ? -1 : 1)).map(([n, v]) => ` ${n}=${JSON.stringify(v)}`).join('');
  return `<${el.name}${attributes}>${JSON.stringify(el.text)}`;
}

function attributes(block: XmlElement | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const att of block?.children ?? []) {
    const name = attr(att, 'name') ?? '';
    const lang = attr(att, 'xml:lang');
    const raw = attr(att, 'type');
    const type = raw === undefined || raw === 'String' ? 'string' : raw === 'stringList' ? 'StringList' : raw;
    const deleted = att.text === '' || (att.text === 'null' && type === 'string');
    out[lang ? `${name}@${lang}` : name] = deleted ? '(delete)' : `${type}:${att.text}`;
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function variable(el: XmlElement): string {
  const text = (name: string) => el.children.find((c) => c.name === name)?.text;
  const source = text('sourceName') ?? '';
  const atts = attributes(el.children.filter((c) => c.name === 'addAttributes').at(-1));
  const sorted = Object.entries(atts).map(([k, v]) => `${k}=${v}`);
  const values = el.children.filter((c) => c.name === 'values').map(tag);
  return JSON.stringify([el.name, source, text('destinationName') || source, text('dataType') ?? '', sorted, values]);
}

function dataset(el: XmlElement): DatasetMeaning {
  const structural = new Set(['addAttributes', 'dataVariable', 'axisVariable', 'dataset']);
  // Same-name tags keep their order (a stable sort by name); different names may come in any order.
  const tags = el.children.filter((c) => !structural.has(c.name)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map(tag);
  return {
    type: attr(el, 'type') ?? '',
    active: attr(el, 'active') !== 'false',
    tags,
    attributes: attributes(el.children.filter((c) => c.name === 'addAttributes').at(-1)),
    variables: el.children.filter((c) => c.name === 'dataVariable' || c.name === 'axisVariable').map(variable),
    children: el.children.filter((c) => c.name === 'dataset').map(dataset),
  };
}

/** First datasets with a datasetID win, as in ERDDAP. */
export function meaningOf(xml: string): Meaning {
  const read = readXml(xml, 'erddap');
  if (!read.ok) throw new Error(`line ${read.line}: ${read.message}`);
  const datasets = new Map<string, DatasetMeaning>();
  const settings: Tag[] = [];
  const { root } = read.document;
  // A bare <dataset> (a datasets.d fragment) stands for a file with just that dataset.
  for (const child of root.name === 'dataset' ? [root] : root.children) {
    if (child.name === 'dataset') {
      const id = attr(child, 'datasetID') ?? '';
      if (!datasets.has(id)) datasets.set(id, dataset(child));
    } else {
      settings.push(tag(child));
    }
  }
  return { settings: settings.sort(), datasets };
}
