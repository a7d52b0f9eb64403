/**
 * Reading Kubernetes YAML (hand-written, `kubectl get -o yaml`, Helm output) into manifests for
 * `analyze`: every document of a multi-document stream, the items of a `List`, with file and line.
 */
import { LineCounter, parseAllDocuments } from 'yaml';
import { ErrorCode, IstioConstructError } from '../core/errors';
import { Manifest } from '../core/manifest';
import { AnalysisInput } from './types';

/**
 * Parses a YAML stream into manifests, skipping empty documents and anything without `kind`;
 * the items of a `List` (`kind: List` or `*List`) become separate manifests. YAML 1.1 is used, as
 * Kubernetes reads it (`on` and `yes` are booleans).
 *
 * @param text the YAML text
 * @param file the name to record as each manifest's source (`-` for standard input)
 * @returns the manifests with their source file and line
 * @throws IstioConstructError (INVALID_PROP) naming the file and line of a document that is not valid YAML
 */
export function parseManifests(text: string, file = '-'): AnalysisInput[] {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { version: '1.1', lineCounter, uniqueKeys: false });
  const out: AnalysisInput[] = [];
  for (const doc of Array.isArray(docs) ? docs : [docs]) {
    if (doc.errors.length) {
      const e = doc.errors[0];
      const line = e.linePos?.[0]?.line;
      throw new IstioConstructError(ErrorCode.INVALID_PROP, `${file}${line ? `:${line}` : ''}`, `is not valid YAML: ${e.message.split('\n')[0]}`, 'fix the YAML syntax at that line', 'parseManifests');
    }
    const value = doc.toJS({ maxAliasCount: 1000 }) as unknown;
    const start = doc.contents?.range?.[0];
    const line = start === undefined ? undefined : lineCounter.linePos(start).line;
    const push = (v: unknown) => {
      if (v && typeof v === 'object' && !Array.isArray(v) && typeof (v as Manifest).kind === 'string') {
        out.push({ manifest: v as Manifest, source: { file, ...(line ? { line } : {}) } });
      }
    };
    if (value && typeof value === 'object' && !Array.isArray(value) && /List$/.test(String((value as Manifest).kind)) && Array.isArray((value as any).items)) {
      for (const item of (value as any).items) push(item);
    } else {
      push(value);
    }
  }
  return out;
}
