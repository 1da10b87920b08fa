/**
 * An independent reader of the iMRMC input grammar (../shared/notes/EXPORT-FORMATS.md, from iMRMC's
 * InputFile.java and manual), for tests: it shares no code with lib/exports/imrmc.ts. Returns the
 * parsed file or throws with the rule that was broken.
 */
export interface ParsedImrmc {
  title: string;
  header: Record<'N0' | 'N1' | 'NR' | 'NM', number>;
  truth: Map<string, 0 | 1>;
  scores: Array<{ reader: string; case: string; modality: string; score: number }>;
}

export function parseImrmc(text: string): ParsedImrmc {
  const lines = text.split('\n');
  const title = lines[0];
  if (title === undefined || title.trim() === '') throw new Error('line 1 must be a title');
  const begin = lines.findIndex((l) => /^BEGIN DATA:/i.test(l));
  if (begin < 0) throw new Error('no "BEGIN DATA:" line at column 0');
  if (begin === 0) throw new Error('line 1 is "BEGIN DATA:"; a title must come first');
  // iMRMC 4.0.3 detects the keys anywhere in every header line, the title included, ignoring case, and then
  // wants an integer after them ("Found N1: Text following is not an integer").
  lines.slice(0, begin).forEach((line, i) => {
    for (const variant of [line, line.replace(/\s+/g, '')]) {
      const found = /(N0|N1|NR|NM):/i.exec(variant);
      if (found && (i === 0 || !/^(N0|N1|NR|NM):\d+$/.test(variant))) {
        throw new Error(`line ${i + 1} holds ${found[1].toUpperCase()}: where iMRMC wants a header; Found ${found[1].toUpperCase()}: Text following is not an integer`);
      }
    }
  });
  const header: Partial<Record<'N0' | 'N1' | 'NR' | 'NM', number>> = {};
  for (const line of lines.slice(1, begin)) {
    const m = /^(N0|N1|NR|NM):(\d+)$/.exec(line);
    if (!m) throw new Error(`unexpected header line ${JSON.stringify(line)}`);
    header[m[1] as 'N0'] = Number(m[2]);
  }
  for (const key of ['N0', 'N1', 'NR', 'NM'] as const) if (header[key] === undefined) throw new Error(`header ${key} missing`);
  const truth = new Map<string, 0 | 1>();
  const scores: ParsedImrmc['scores'] = [];
  const seen = new Set<string>();
  lines.slice(begin + 1).forEach((line, i) => {
    if (line === '') throw new Error(`blank line ${begin + 2 + i} after BEGIN DATA: (none allowed, not even at the end)`);
    const fields = line.split(',');
    if (fields.length !== 4) throw new Error(`line ${begin + 2 + i} has ${fields.length} fields, expected 4`);
    if (fields.some((f) => /\s/.test(f) || f === '')) throw new Error(`line ${begin + 2 + i} has an empty field or whitespace`);
    const [a, kase, b, value] = fields;
    if (a === '-1' || a.toLowerCase() === 'truth') {
      if (value !== '0' && value !== '1') throw new Error(`truth of case ${kase} must be the string 0 or 1, got ${value}`);
      if (truth.has(kase)) throw new Error(`case ${kase} has two truth rows`);
      truth.set(kase, value === '1' ? 1 : 0);
      return;
    }
    const score = Number(value);
    if (!Number.isFinite(score)) throw new Error(`score ${value} on line ${begin + 2 + i} is not a number`);
    const key = `${a}|${kase}|${b}`;
    if (seen.has(key)) throw new Error(`duplicate observation reader ${a}, case ${kase}, modality ${b}`);
    seen.add(key);
    scores.push({ reader: a, case: kase, modality: b, score });
  });
  for (const s of scores) if (!truth.has(s.case)) throw new Error(`case ${s.case} has a score but no truth row`);
  const n1 = [...truth.values()].filter((t) => t === 1).length;
  if (header.N1 !== n1 || header.N0 !== truth.size - n1) throw new Error(`N0/N1 ${header.N0}/${header.N1} disagree with the truth rows (${truth.size - n1}/${n1})`);
  if (header.NR !== new Set(scores.map((s) => s.reader)).size) throw new Error('NR disagrees with the data');
  if (header.NM !== new Set(scores.map((s) => s.modality)).size) throw new Error('NM disagrees with the data');
  return { title, header: header as ParsedImrmc['header'], truth, scores };
}
