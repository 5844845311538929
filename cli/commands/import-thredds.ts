// `steller import thredds FILE`: a hand-kept THREDDS catalog (and the local catalogs it
// references) becomes catalog files, one per dataset, under <catalog>/datasets/<folder>/, and
// its services and datasetRoots go to the server's entry in steller.yaml.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { Document, parseDocument, type Document as YamlDocument } from 'yaml';
import { DATASETS_DIR, PROJECT_FILE } from '../../core/load.js';
import { importThreddsCatalog, type ImportedDataset, type ImportNote, type ImportResult } from '../../generators/thredds/import.js';
import { EXIT_ERRORS, say, type CommonOptions } from '../common.js';
import { projectNameFor, readXmlText, serverKeyFor, writeImportedFile } from '../import-common.js';

interface ImportOptions {
  server?: string;
  into?: string;
  url?: string;
  force?: boolean;
}

/** A placeholder in a new steller.yaml: example.org is reserved for exactly this. */
const PLACEHOLDER_URL = 'https://thredds.example.org/thredds/';

export function registerImportThredds(importCommand: Command): void {
  importCommand
    .command('thredds')
    .description('turn a THREDDS catalog (and the local catalogs it references) into catalog files, one per dataset, and server settings')
    .argument('<file>', 'the catalog.xml to import')
    .option('--server <key>', 'THREDDS server key in steller.yaml (default: its only THREDDS server, or "thredds")')
    .option('--into <dir>', 'catalog folder to write into (default: --catalog)')
    .option('--url <url>', 'the server\'s public URL (https://host/thredds/), when the server is new to steller.yaml')
    .option('--force', 'overwrite dataset files that exist')
    .action((file: string, options: ImportOptions, command: Command) => {
      const common = command.optsWithGlobals<CommonOptions & ImportOptions>();
      const root = resolve(options.into ?? common.catalog);
      const projectPath = join(root, PROJECT_FILE);
      const project = existsSync(projectPath) ? parseDocument(readFileSync(projectPath, 'utf8')) : undefined;
      const server = serverKeyFor(project, 'thredds', options.server);
      const knownUrl = options.url ?? stringAt(project, ['servers', 'thredds', server, 'url']);
      const base = dirname(resolve(file));
      const outcome = importThreddsCatalog({ file: basename(file), text: readXmlText(file) }, {
        serverKey: server,
        ...(knownUrl ? { serverUrl: knownUrl } : {}),
        read: (name) => {
          const path = resolve(base, name);
          return existsSync(path) && relative(base, path).split(/[\\/]/)[0] !== '..' ? readXmlText(path) : undefined;
        },
      });
      if (!outcome.ok) {
        say(`${outcome.file}:${outcome.line}: ${outcome.message}`);
        process.exitCode = EXIT_ERRORS;
        return;
      }
      const { result } = outcome;
      const written = writeDatasets(root, result.datasets, options.force === true);
      const projectNotes = writeProject(projectPath, project, server, result, options.url, basename(root));
      report(file, server, result, written, projectNotes, common.format === 'json');
    });
}

function stringAt(doc: YamlDocument | undefined, path: string[]): string | undefined {
  const value = doc?.getIn(path);
  return typeof value === 'string' ? value : undefined;
}

interface Written {
  dataset: ImportedDataset;
  path: string;
  skipped: boolean;
}

function writeDatasets(root: string, datasets: ImportedDataset[], force: boolean): Written[] {
  return datasets.map((dataset) => ({ dataset, ...writeImportedFile(join(root, DATASETS_DIR, dataset.folder), dataset.id, () => datasetYaml(dataset), force) }));
}

function datasetYaml(dataset: ImportedDataset): string {
  const doc = new Document(dataset.record);
  const header = [` Imported by \`steller import thredds\` from ${dataset.file} (line ${dataset.line}).`];
  for (const note of dataset.notes) header.push(` not carried over or changed: ${note.message}`);
  doc.commentBefore = header.join('\n');
  return doc.toString({ lineWidth: 0 });
}

/** Adds the server when it is new, and the services and datasetRoots it lacks, without touching what is there. */
function writeProject(path: string, existing: YamlDocument | undefined, server: string, result: ImportResult, url: string | undefined, folder: string): string[] {
  const notes: string[] = [];
  const doc = existing ?? new Document({ name: projectNameFor(folder), servers: { thredds: {} } });
  const base = ['servers', 'thredds', server];
  if (!doc.hasIn(base)) {
    const serverUrl = url ?? result.server.url;
    doc.setIn(base, doc.createNode({ url: serverUrl ?? PLACEHOLDER_URL }));
    notes.push(serverUrl ? `added THREDDS server "${server}" (${serverUrl}) to ${PROJECT_FILE}`
      : `added THREDDS server "${server}" to ${PROJECT_FILE} with the placeholder url ${PLACEHOLDER_URL}: set its real url`);
  }
  for (const [key, entries] of [['custom_services', result.server.custom_services], ['data_roots', result.server.data_roots]] as const) {
    let added = 0;
    for (const [name, value] of Object.entries(entries)) {
      if (doc.hasIn([...base, key, name])) {
        notes.push(`servers.thredds.${server}.${key}.${name} exists in ${PROJECT_FILE} and was kept; compare it with the imported one`);
        continue;
      }
      doc.setIn([...base, key, name], doc.createNode(value));
      added++;
    }
    if (added > 0) notes.push(`added ${added} ${key === 'custom_services' ? 'services' : 'datasetRoots'} to servers.thredds.${server}.${key}`);
  }
  writeFileSync(path, doc.toString({ lineWidth: 0 }));
  return notes;
}

function report(file: string, server: string, result: ImportResult, written: Written[], projectNotes: string[], json: boolean): void {
  const skipped = written.filter((w) => w.skipped);
  if (json) {
    const entry = (n: ImportNote) => ({ severity: n.severity, message: n.message, file: n.file, line: n.line });
    process.stdout.write(`${JSON.stringify({
      file, server, catalogs: result.files,
      datasets: written.map((w) => ({
        id: w.dataset.id, ID: w.dataset.threddsId ?? null, file: w.path, written: !w.skipped, notes: w.dataset.notes.map(entry),
      })),
      notes: result.notes.map(entry),
      project: projectNotes,
    }, null, 2)}\n`);
    return;
  }
  for (const note of result.notes) say(`${note.file}:${note.line}: ${note.severity}: ${note.message}`);
  for (const w of written) {
    for (const note of w.dataset.notes) say(`${note.file}:${note.line}: ${w.dataset.threddsId ?? w.dataset.id}: ${note.message}`);
    if (w.skipped) say(`${w.path} exists: not overwritten (use --force)`);
  }
  for (const note of projectNotes) say(note);
  say(`imported ${written.length - skipped.length} of ${written.length} datasets from ${result.files.length} catalog file(s) for THREDDS server "${server}"; run \`steller validate\` next`);
}
