/**
 * The parser-free shortcut of `isYamlAmbiguous` (src/cdk8s/yaml.ts `isPlainSafe`) against the
 * parser: a string the shortcut calls safe must be one the parser-based answer calls unambiguous,
 * so the shortcut changes how fast the answer comes, never the answer.
 */
import * as fc from 'fast-check';
import { isPlainSafe, isYamlAmbiguous, parsedAmbiguous } from '../src/cdk8s/yaml';

/** The characters the shortcut accepts, and characters that matter to YAML readers. */
const SAFE_CHARS = 'abcyYnNoOtTfFeEsSlLuUxXbBAZz0123456789._/-';
const SPECIAL_CHARS = ' \t\n:#,[]{}&*!|>\'"%@`?~=<+';

/** Every case variant of a word (`on`, `On`, `oN`, `ON`). */
function caseVariants(word: string): string[] {
  if (!word) return [''];
  return caseVariants(word.slice(1)).flatMap((rest) => [word[0].toLowerCase() + rest, word[0].toUpperCase() + rest]);
}

function agrees(s: string): void {
  if (isPlainSafe(s)) expect({ s, ambiguous: parsedAmbiguous(s) }).toEqual({ s, ambiguous: false });
  expect(isYamlAmbiguous(s)).toBe(parsedAmbiguous(s));
}

describe('isPlainSafe agrees with the YAML parser', () => {
  test('every string of up to two characters over the safe and special characters', () => {
    const chars = [...new Set(SAFE_CHARS + SPECIAL_CHARS)];
    const strings = [''];
    for (const a of chars) {
      strings.push(a);
      for (const b of chars) strings.push(a + b);
    }
    for (const s of strings) agrees(s);
  });

  test('every string of three characters over letters, digits and signs that start numbers', () => {
    const chars = [...'eEyn0._-+/:'];
    for (const a of chars) for (const b of chars) for (const c of chars) agrees(a + b + c);
  });

  test('the YAML 1.1 and 1.2 words for booleans, null and special floats, in every case, alone and extended', () => {
    const words = ['y', 'n', 'yes', 'no', 'true', 'false', 'on', 'off', 'null', 'inf', 'nan', '.inf', '.nan', 'x', 'o', 'b'];
    for (const w of words) {
      for (const v of caseVariants(w)) {
        for (const s of [v, `${v}s`, `${v}-`, `${v}.`, `_${v}`, `/${v}`, `${v}0`]) agrees(s);
      }
    }
  });

  test('manifest-like strings (names, DNS names, label values, paths, numbers, dates, durations)', () => {
    for (const s of [
      'reviews', 'v1', 'v2', 'bookinfo.example.com', 'reviews.bookinfo.svc.cluster.local', 'istio-system', '/', '/api/v1',
      'networking.istio.io/v1', 'app.kubernetes.io/name', 'a1e3', '1e3', '0o674', '0x1F', '2001-12-14', '5s', '1.5', '.5',
      '_http', 'ISTIO_MUTUAL', 'Y', 'On', 'NULL', '~', '=', '<<', 'a:b', 'a: b', 'a #b', '- a', '-a', 'a-', '0b1', '190:20:30',
      'e5', 'E-7', 'e+1', 'e-x', 'eks', 'e_1', 'e.5',
    ]) agrees(s);
  });

  test('random strings over the safe and special characters', () => {
    const alphabet = fc.constantFrom(...SAFE_CHARS + SPECIAL_CHARS);
    fc.assert(fc.property(fc.array(alphabet, { maxLength: 12 }).map((cs) => cs.join('')), agrees), { numRuns: 3000 });
  });

  test('random strings over the safe characters only (the shortcut decides most of them)', () => {
    const alphabet = fc.constantFrom(...SAFE_CHARS);
    fc.assert(fc.property(fc.array(alphabet, { minLength: 1, maxLength: 8 }).map((cs) => cs.join('')), agrees), { numRuns: 3000 });
  });

  test('random unicode strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 10 }), agrees), { numRuns: 1000 });
  });
});
