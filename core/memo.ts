/** Caches a pure function of a string: catalog keys and time zones repeat across thousands of records. */
export function memoizeByString<T>(judge: (key: string) => T): (key: string) => T {
  const verdicts = new Map<string, T>();
  return (key) => {
    let verdict = verdicts.get(key);
    if (verdict === undefined) {
      verdict = judge(key);
      verdicts.set(key, verdict);
    }
    return verdict;
  };
}
