// Nothing steller prints may carry a credential: not the token from the environment, not the
// user:password part of a remote URL. Every message from git, GitHub or a thrown error that
// reaches the user passes through here.

const TOKEN_VARIABLES = ['GITHUB_TOKEN', 'GH_TOKEN', 'STELLER_GIT_TOKEN'];

export function scrub(text: string, env: NodeJS.ProcessEnv = process.env): string {
  let out = text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^/@\s]+@/gi, '$1***@');
  for (const name of TOKEN_VARIABLES) {
    const value = env[name];
    if (value && value.length >= 4) out = out.split(value).join('***');
  }
  return out;
}

/** An error whose message is already safe to print. */
export class PublishError extends Error {
  constructor(message: string) {
    super(scrub(message));
  }
}
