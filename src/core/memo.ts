/**
 * Bounded memoisation of pure functions of one key (a host name, a YAML scalar, a CEL rule's
 * scalar input): many objects of one program repeat the same values. @internal
 */

/**
 * The answer for `key`: the one in `answers` if there is one (`undefined` answers count), else
 * `compute(key)`, kept. When `answers` holds `max` entries it is emptied first, so memory stays
 * bounded whatever the program. @internal
 */
export function remembered<K, V>(answers: Map<K, V>, key: K, max: number, compute: (key: K) => V): V {
  const known = answers.get(key);
  if (known !== undefined || answers.has(key)) return known as V;
  const answer = compute(key);
  if (answers.size >= max) answers.clear();
  answers.set(key, answer);
  return answer;
}
