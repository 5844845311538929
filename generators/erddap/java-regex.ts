// ERDDAP compiles fileNameRegex, pathRegex and friends with java.util.regex.Pattern; a pattern
// Java rejects fails the dataset. JavaScript's RegExp is close but not the same, so the pattern
// is first rewritten: Java-only constructs with a JavaScript equivalent are translated, escapes
// and repetitions Java rejects are reported, and what is left is compiled by RegExp.

const JAVA_ESCAPE_LETTERS = new Set('tnrfaecdDsSwWbBAGZzQEpPhHvVRXNkux'.split(''));

/** Why Pattern.compile(pattern) would throw, or undefined when it compiles. */
export function javaRegexProblem(pattern: string): string | undefined {
  let translated: string;
  try {
    translated = toJavaScript(pattern);
  } catch (error) {
    return (error as Error).message;
  }
  try {
    new RegExp(translated);
    return undefined;
  } catch (error) {
    return (error as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '');
  }
}

function toJavaScript(p: string): string {
  let out = '';
  let classDepth = 0;
  let afterQuantifier = false;
  for (let i = 0; i < p.length; i++) {
    const ch = p[i];
    const quantified: boolean = afterQuantifier;
    afterQuantifier = false;
    if (ch === '\\') {
      const next = p[i + 1];
      if (next === undefined) throw new Error('the pattern ends with a lone backslash');
      if (next === 'Q') {
        const end = p.indexOf('\\E', i + 2);
        const literal = p.slice(i + 2, end < 0 ? p.length : end);
        out += literal.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
        i = end < 0 ? p.length : end + 1;
        continue;
      }
      out += translateEscape(p, i, classDepth > 0);
      i += escapeLength(p, i) - 1;
      continue;
    }
    if (classDepth > 0) {
      if (ch === '[') classDepth++; // Java class union [a-z[A-Z]]: flattened
      else if (ch === ']') {
        classDepth--;
        if (classDepth === 0) out += ']';
      } else if (ch === '&' && p[i + 1] === '&') i++; // Java class intersection: no JS form, leniently dropped
      else out += ch;
      continue;
    }
    if (ch === '[') {
      classDepth = 1;
      out += '[';
      if (p[i + 1] === '^') {
        out += '^';
        i++;
      }
      continue;
    }
    if (ch === '+' && quantified) continue; // possessive quantifier (x*+): JS has none, same matches here
    if (ch === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(p.slice(i));
      if (!m) throw new Error(`illegal repetition at "${p.slice(i, i + 10)}" (Java needs {n}, {n,} or {n,m}; write \\{ for a literal brace)`);
      out += m[0];
      i += m[0].length - 1;
      afterQuantifier = true;
      continue;
    }
    if (ch === '*' || ch === '+' || ch === '?') {
      out += ch;
      afterQuantifier = !(ch === '?' && quantified);
      continue;
    }
    if (ch === '(' && p[i + 1] === '?') {
      const group = /^\(\?([a-zA-Z-]*)([:)])/.exec(p.slice(i));
      if (p[i + 2] === '>') {
        out += '(?:'; // atomic group
        i += 2;
        continue;
      }
      if (group && group[1] !== '' && /^[idmsuxU]*(-[idmsuxU]*)?$/.test(group[1])) {
        if (group[2] === ':') out += '(?:'; // inline flags: JS (Node 20) has none
        i += group[0].length - 1;
        continue;
      }
    }
    out += ch;
  }
  if (classDepth > 0) throw new Error('unclosed character class');
  return out;
}

function escapeLength(p: string, i: number): number {
  const next = p[i + 1];
  if ((next === 'p' || next === 'P' || next === 'N') && p[i + 2] === '{') return p.indexOf('}', i) < 0 ? 2 : p.indexOf('}', i) - i + 1;
  if (next === 'x' && p[i + 2] === '{') return p.indexOf('}', i) < 0 ? 2 : p.indexOf('}', i) - i + 1;
  return 2;
}

function translateEscape(p: string, i: number, inClass: boolean): string {
  const next = p[i + 1];
  if (/[0-9]/.test(next)) {
    if (next === '0' && !/[0-7]/.test(p[i + 2] ?? '')) throw new Error('\\0 must be followed by an octal digit in Java');
    return `\\${next}`;
  }
  if (!/[A-Za-z]/.test(next)) return `\\${next}`;
  if (!JAVA_ESCAPE_LETTERS.has(next)) throw new Error(`\\${next} is not an escape Java knows`);
  switch (next) {
    case 'a': return '\\x07';
    case 'e': return '\\x1b';
    case 'A': return inClass ? 'A' : '^';
    case 'Z': case 'z': return inClass ? 'z' : '$';
    case 'G': return inClass ? 'G' : '(?:)';
    case 'h': case 'v': return '\\s';
    case 'H': case 'V': return '\\S';
    case 'R': return inClass ? '\\s' : '(?:\\r\\n|\\s)';
    case 'X': return inClass ? 'x' : '.';
    case 'p': case 'P': case 'N': {
      if (p[i + 2] !== '{' && !/[A-Za-z]/.test(p[i + 2] ?? '')) throw new Error(`\\${next} needs a property name`);
      if (p[i + 2] === '{' && p.indexOf('}', i) < 0) throw new Error(`\\${next}{ is never closed`);
      return 'a'; // a character class; which one does not matter for whether the pattern compiles
    }
    case 'x':
      if (p[i + 2] === '{') return 'a';
      if (!/^[0-9A-Fa-f]{2}/.test(p.slice(i + 2))) throw new Error('\\x needs two hex digits in Java');
      return '\\x';
    case 'u':
      if (!/^[0-9A-Fa-f]{4}/.test(p.slice(i + 2))) throw new Error('\\u needs four hex digits in Java');
      return '\\u';
    default: return `\\${next}`;
  }
}
