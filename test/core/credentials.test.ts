// Literal credentials are found wherever they are in a record, with the path to each.
import { describe, expect, it } from 'vitest';
import { findCredentials } from '../../core/credentials.js';

describe('findCredentials', () => {
  it('names each literal credential by its path, and passes references and empty values', () => {
    const record = {
      title: 'Buoy B01',
      source: { url: 'ftp://harvest:s3cret@ftp.example.org/', parameters: { api_key: '9f8e7d6c', token: '${env:TOKEN}', password: '  ' } },
      variables: [{ name: 'temp', attributes: { comment: 'ghp_abcdefghijklmnopqrstuvwxyz0123456789', pin: 1234 } }, { name: 'salt', attributes: { secretKey: 42 } }],
      secrets: [{ env: 'API_KEY', key: '/store/api-key' }, { env: 'AWS', key: 'AKIAABCDEFGHIJKLMNOP' }],
      active: true,
      nothing: null,
    };
    expect(findCredentials(record, (path) => path[0] === 'secrets')).toEqual([
      { path: ['source', 'url'], reason: 'looks like a URL with a password in it' },
      { path: ['source', 'parameters', 'api_key'], reason: "'api_key' holds a literal value" },
      { path: ['variables', 0, 'attributes', 'comment'], reason: 'looks like a GitHub token' },
      { path: ['variables', 1, 'attributes', 'secretKey'], reason: "'secretKey' holds a literal value" },
      { path: ['secrets', 1, 'key'], reason: 'looks like an AWS access key id' },
    ]);
  });
});
