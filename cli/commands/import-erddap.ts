// `steller import erddap FILE`: a hand-kept datasets.xml becomes catalog files, one per dataset,
// under <catalog>/datasets/<server>/, and the file's top-level settings go to steller.yaml.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { Document, parseDocument, type Document as YamlDocument } from 'yaml';
import { DATASETS_DIR, PROJECT_FILE } from '../../core/load.js';
import { importDatasetsXml, type ImportedDataset, type ImportNote, type ImportResult } from '../../generators/erddap/import.js';
import { EXIT_ERRORS, say, type CommonOptions } from '../common.js';
import { projectNameFor, readXmlText, serverKeyFor, writeImportedFile } from '../import-common.js';

interface ImportOptions {
  server?: string;
  into?: string;
  url?: string;
  force?: boolean;
}

/** A placeholder in a new steller.yaml: example.org is reserved for exactly this. */
const PLACEHOLDER_URL = 'https://erddap.example.org/erddap/';

export function registerImportErddap(importCommand: Command): void {
  importCommand
    .command('erddap')
    .description('turn an ERDDAP datasets.xml into catalog files (one per dataset) and server settings')
    .argument('<file>', 'the datasets.xml to import')
    .option('--server <key>', 'ERDDAP server key in steller.yaml (default: its only ERDDAP server, or "erddap")')
    .option('--into <dir>', 'catalog folder to write into (default: --catalog)')
    .option('--url <url>', 'the server\'s public URL, when the server is new to steller.yaml')
    .option('--force', 'overwrite dataset files that exist')
    .action((file: string, options: ImportOptions, command: Command) => {
      const common = command.optsWithGlobals<CommonOptions & ImportOptions>();
      const summary = importErddap(file, { ...options, into: options.into ?? common.catalog });
      if (!summary.ok) {
        say(`${file}:${summary.line}: ${summary.message}`);
        process.exitCode = EXIT_ERRORS;
        return;
      }
      report(file, summary, common.format === 'json');
    });
}

export interface ImportSummary {
  ok: true;
  server: string;
  result: ImportResult;
  written: Written[];
  /** What changed in steller.yaml, or why not. */
  project: string[];
}

/** The whole import: read FILE, write the dataset files and steller.yaml under `into`. Usage problems throw UsageError. */
export function importErddap(file: string, options: ImportOptions & { into: string }): ImportSummary | { ok: false; message: string; line: number } {
  const root = resolve(options.into);
  const projectPath = join(root, PROJECT_FILE);
  const project = existsSync(projectPath) ? parseDocument(readFileSync(projectPath, 'utf8')) : undefined;
  const server = serverKeyFor(project, 'erddap', options.server);
  const outcome = importDatasetsXml(readXmlText(file), server);
  if (!outcome.ok) return outcome;
  const { result } = outcome;
  const written = writeDatasets(root, server, result.datasets, options.force === true);
  return { ok: true, server, result, written, project: writeProject(projectPath, project, server, result, options.url, basename(root)) };
}

export interface Written {
  dataset: ImportedDataset;
  path: string;
  skipped: boolean;
}

function writeDatasets(root: string, server: string, datasets: ImportedDataset[], force: boolean): Written[] {
  const folder = join(root, DATASETS_DIR, server);
  return datasets.map((dataset) => ({ dataset, ...writeImportedFile(folder, dataset.fileStem, () => datasetYaml(dataset), force) }));
}

function datasetYaml(dataset: ImportedDataset): string {
  const doc = new Document(dataset.record);
  const header = [` Imported by \`steller import erddap\` from datasets.xml (line ${dataset.line}).`];
  for (const note of dataset.notes) header.push(` ${note.severity}: ${note.message} (line ${note.line})`);
  if (dataset.comments.length > 0) {
    header.push('', ' Comments in datasets.xml (not written back to it):');
    for (const comment of dataset.comments) for (const line of comment.trim().split('\n')) header.push(` ${line.trimEnd()}`);
  }
  doc.commentBefore = header.join('\n');
  return doc.toString({ lineWidth: 0 });
}

/** Adds the server (new), its settings and what its setup.xml must say, without touching what is there. */
function writeProject(path: string, existing: YamlDocument | undefined, server: string, result: ImportResult, url: string | undefined, folder: string): string[] {
  const notes: string[] = [];
  const doc = existing ?? new Document({ name: projectNameFor(folder), servers: { erddap: {} } });
  const base = ['servers', 'erddap', server];
  let changed = !existing;
  const set = (path: string[], value: unknown) => {
    doc.setIn(path, doc.createNode(value));
    changed = true;
  };
  if (!doc.hasIn(base)) {
    set(base, { url: url ?? PLACEHOLDER_URL });
    notes.push(url ? `added ERDDAP server "${server}" to ${PROJECT_FILE}` : `added ERDDAP server "${server}" to ${PROJECT_FILE} with the placeholder url ${PLACEHOLDER_URL}: set its real url`);
  }
  if (Object.keys(result.settings).length > 0) {
    if (doc.hasIn([...base, 'settings'])) notes.push(`${PROJECT_FILE} already has settings for "${server}"; the ${Object.keys(result.settings).length} top-level tags of the file were not merged into them`);
    else {
      set([...base, 'settings'], result.settings);
      notes.push(`wrote ${Object.keys(result.settings).length} top-level tags to servers.erddap.${server}.settings`);
    }
  }
  for (const [key, value] of Object.entries(result.setup)) {
    if (doc.hasIn([...base, 'setup', key])) continue;
    set([...base, 'setup', key], value);
    notes.push(key === 'use_sax_parser'
      ? `set setup.use_sax_parser: true (the file has a class only ERDDAP's SAX parser loads, so the server's setup.xml must say so)`
      : `set setup.variables_must_have_ioos_category: false (some variables have no ioos_category, so the server's setup.xml must allow that, or their files supply one)`);
  }
  if (changed) writeFileSync(path, doc.toString({ lineWidth: 0, flowCollectionPadding: false }));
  return notes;
}

function report(file: string, { server, result, written, project: projectNotes }: ImportSummary, json: boolean): void {
  const skipped = written.filter((w) => w.skipped);
  if (json) {
    const entry = (n: ImportNote) => ({ severity: n.severity, message: n.message, line: n.line });
    process.stdout.write(`${JSON.stringify({
      file, server,
      datasets: written.map((w) => ({ datasetID: w.dataset.datasetId, file: w.path, written: !w.skipped, notes: w.dataset.notes.map(entry) })),
      notes: result.notes.map(entry),
      project: projectNotes,
    }, null, 2)}\n`);
    return;
  }
  for (const note of result.notes) say(`${file}:${note.line}: ${note.severity}: ${note.message}`);
  for (const w of written) {
    for (const note of w.dataset.notes) say(`${file}:${note.line}: ${note.severity}: ${w.dataset.datasetId}: ${note.message}`);
    if (w.skipped) say(`${w.path} exists: not overwritten (use --force)`);
  }
  for (const note of projectNotes) say(note);
  say(`imported ${written.length - skipped.length} of ${written.length} datasets from ${file} for ERDDAP server "${server}"; run \`steller validate\` next`);
}
