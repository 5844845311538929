// `steller new dataset ID`: a starting record that validates, wired to the project's first
// server of each kind, with the fields a data manager fills in next.
import { stringify } from 'yaml';
import type { Project } from '../schemas/catalog.js';
import { erddapIdFrom } from './normalize.js';

export function scaffoldDataset(id: string, project: Project): string {
  const first = (servers: Record<string, unknown> | undefined) => (servers ? Object.keys(servers).sort()[0] : undefined);
  const erddap = first(project.servers.erddap);
  const thredds = first(project.servers.thredds);
  const ckan = first(project.servers.ckan);
  const record: Record<string, unknown> = {
    title: `TODO: title of ${id}`,
    summary: 'TODO: one paragraph on what is measured, where, and by whom.',
    keywords: [],
    attributes: { cdm_data_type: 'TimeSeries', infoUrl: 'https://example.org/TODO' },
    variables: [
      { name: 'time', type: 'double', units: 'seconds since 1970-01-01T00:00:00Z', attributes: { standard_name: 'time', ioos_category: 'Time' } },
      { name: 'station', type: 'String', attributes: { cf_role: 'timeseries_id', ioos_category: 'Identifier' } },
    ],
    services: {
      ...(erddap ? { erddap: [{ server: erddap, dataset_id: erddapIdFrom(id), type: 'EDDTableFromNcFiles', options: { fileDir: id, fileNameRegex: '.*\\.nc' } }] } : {}),
      ...(thredds ? { thredds: [{ server: thredds }] } : {}),
      ...(ckan ? { ckan: [{ server: ckan }] } : {}),
    },
  };
  if (Object.keys(record.services as object).length === 0) delete record.services;
  const header = [
    `# Dataset ${id}. Reference: README.md ("The catalog") and \`steller schema\`.`,
    '# Add `schedule: "H * * * *"` for a harvest CronJob, and `qc:` for QARTOD tests.',
  ].join('\n');
  return `${header}\nid: ${id}\n${stringify(record, { lineWidth: 0 })}`;
}
