/**
 * A strict JSON parser for tests (RFC 8259, and an object's names unique, as its section 4 says they SHOULD be and
 * strict consumers require): JSON.parse accepts `{"rank":1,"rank":1}` and keeps the last, this throws.
 */
export function parseStrictJson(text: string): unknown {
  let i = 0;
  const fail = (what: string): never => {
    throw new SyntaxError(
      `${what} at offset ${i} of ${JSON.stringify(text.length > 200 ? text.slice(0, 200) + '...' : text)}`,
    );
  };
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const literal = (word: string, value: unknown): unknown => {
    if (text.startsWith(word, i)) return ((i += word.length), value);
    return fail('unexpected token');
  };
  const string = (): string => {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: JSON forbids raw control characters in strings
    const m = /^"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/.exec(text.slice(i));
    if (!m) return fail('bad string');
    i += m[0].length;
    return JSON.parse(m[0]) as string;
  };
  const number = (): number => {
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i));
    if (!m) return fail('bad number');
    i += m[0].length;
    return Number(m[0]);
  };
  const value = (): unknown => {
    ws();
    const c = text[i];
    let v: unknown;
    if (c === '{') {
      i++;
      const o: Record<string, unknown> = {};
      ws();
      if (text[i] === '}') i++;
      else {
        for (;;) {
          ws();
          const key = string();
          if (Object.hasOwn(o, key)) fail(`duplicate key ${JSON.stringify(key)}`);
          ws();
          if (text[i++] !== ':') fail("expected ':'");
          o[key] = value();
          ws();
          const sep = text[i++];
          if (sep === '}') break;
          if (sep !== ',') fail("expected ',' or '}'");
        }
      }
      v = o;
    } else if (c === '[') {
      i++;
      const a: unknown[] = [];
      ws();
      if (text[i] === ']') i++;
      else {
        for (;;) {
          a.push(value());
          ws();
          const sep = text[i++];
          if (sep === ']') break;
          if (sep !== ',') fail("expected ',' or ']'");
        }
      }
      v = a;
    } else if (c === '"') v = string();
    else if (c === 't') v = literal('true', true);
    else if (c === 'f') v = literal('false', false);
    else if (c === 'n') v = literal('null', null);
    else v = number();
    ws();
    return v;
  };
  const v = value();
  if (i !== text.length) fail('trailing characters');
  return v;
}

/** Every non-empty line of a JSON-lines log, each parsed strictly (the error names the line). */
export function parseJsonLines(log: string): Record<string, unknown>[] {
  return log
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, n) => {
      try {
        const v = parseStrictJson(line);
        if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new SyntaxError('not an object');
        return v as Record<string, unknown>;
      } catch (e) {
        throw new Error(`log line ${n + 1} is not strict JSON (${(e as Error).message}): ${line}`, { cause: e });
      }
    });
}
