/**
 * The check each engine entry point runs first: its optional peer dependencies must be installed.
 * Without it, a missing peer surfaces as a bare "Cannot find module" from deep inside the library.
 */

/**
 * Throws unless every package in `peers` can be resolved, with one message naming the entry point,
 * the missing packages and the command that installs them.
 *
 * @param entry the entry point being loaded, e.g. `istio-constructs/pulumi`
 * @param peers the peer packages the entry point requires at load time
 * @param resolve the entry module's own `require.resolve`, so lookup starts where the entry lives
 * @throws Error (with `code` `ISTIO_CONSTRUCTS_MISSING_PEER`) when a peer is not installed;
 *   other resolution errors are rethrown unchanged
 * @internal
 */
export function assertPeersInstalled(entry: string, peers: readonly string[], resolve: (id: string) => string): void {
  const missing: string[] = [];
  let cause: unknown;
  for (const peer of peers) {
    try {
      resolve(peer);
    } catch (e) {
      if ((e as NodeJS.ErrnoException)?.code !== 'MODULE_NOT_FOUND') throw e;
      missing.push(peer);
      cause ??= e;
    }
  }
  if (missing.length === 0) return;
  const error = new Error(
    `${entry} needs ${missing.join(' and ')}, which ${missing.length > 1 ? 'are' : 'is'} not installed. ` +
    `Install ${missing.length > 1 ? 'them' : 'it'} next to istio-constructs: npm install ${missing.join(' ')}`,
    { cause },
  );
  (error as NodeJS.ErrnoException).code = 'ISTIO_CONSTRUCTS_MISSING_PEER';
  throw error;
}
