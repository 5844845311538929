// What steller prints carries no credential: not the token from the environment, not the
// user:password part of a remote URL (git quotes URLs in its errors).
import { expect, it } from 'vitest';
import { scrub } from '../../core/publish/scrub.js';

it('removes the environment token and URL credentials from a message', () => {
  const env = { GITHUB_TOKEN: 'ghs_0123456789abcdef' };
  const message = "fatal: unable to access 'https://x-access-token:ghs_0123456789abcdef@github.com/neracoos/service-config.git/': The requested URL returned error: 403 (token ghs_0123456789abcdef)";
  const clean = scrub(message, env);
  expect(clean).not.toContain('ghs_0123456789abcdef');
  expect(clean).not.toContain('x-access-token');
  expect(clean).toBe("fatal: unable to access 'https://***@github.com/neracoos/service-config.git/': The requested URL returned error: 403 (token ***)");
  expect(scrub('git@github.com:neracoos/service-config.git (main)', env)).toBe('git@github.com:neracoos/service-config.git (main)');
});
