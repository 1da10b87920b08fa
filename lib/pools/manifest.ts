import { parse } from 'csv-parse/sync';

/**
 * A batch's label file: one row per image file. Columns: `file` and `labels` (pipe-separated; the demo
 * data's `finding_labels` is accepted too), optionally `patient_id`, `resolution`, `source`, `licence`;
 * other columns are ignored. The file must be UTF-8 (a BOM is allowed) and every row must have as many
 * cells as the header. Every problem is reported with its row, so the uploader can fix them all at once.
 */
export type ManifestRow = {
  file: string;
  labels: string[];
  patientId?: string;
  /** From the `resolution` column: the size the uploader says the image has (checked against the image). */
  resolution?: { width: number; height: number };
  source?: string;
  licence?: string;
  /** Where the row is in the file, for messages ("manifest.csv row 7"). */
  line: number;
};
export type ManifestProblem = { file: string; problem: string };

/** Cells a spreadsheet would run as a formula (CSV injection, OWASP): refused, never stored. */
const FORMULA_START = /^[=+\-@\t\r]/;
/** Labels are short words (NIH findings, "hemorrhage", "Pleural_Thickening"); nothing a page could misread. */
const LABEL = /^[\p{L}\p{N}][\p{L}\p{N} _.()/-]{0,63}$/u;
const NO_FINDING = new Set(['No Finding', 'No_Finding']);
const MAX_PROBLEMS_PER_KIND = 20;

/** Bytes from a zip (checked as UTF-8) or text already decoded (a local file read as UTF-8). */
export function parseManifest(input: string | Uint8Array, manifestName = 'manifest.csv'): { rows: Map<string, ManifestRow>; problems: ManifestProblem[] } {
  const problems: ManifestProblem[] = [];
  const rows = new Map<string, ManifestRow>();
  const text = typeof input === 'string' ? input : decodeUtf8(input, manifestName, problems);
  if (text === null) return { rows, problems };

  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(text.replace(/^\uFEFF/, ''), { columns: false, skip_empty_lines: true, trim: true, relax_column_count: true, info: true }) as unknown as typeof records;
  } catch (error) {
    return { rows, problems: [{ file: manifestName, problem: `not a valid CSV file: ${(error as Error).message}` }] };
  }
  if (records.length === 0) return { rows, problems: [{ file: manifestName, problem: 'is empty; it needs a header row (file,labels,…) and one row per image' }] };
  const header = records[0].record.map((h) => h.toLowerCase());
  const column = (name: string) => header.indexOf(name);
  if (column('file') < 0) return { rows, problems: [{ file: manifestName, problem: `has no "file" column (the header row is: ${records[0].record.join(',')})` }] };
  const duplicated = header.filter((h, i) => h && header.indexOf(h) !== i);
  if (duplicated.length) return { rows, problems: [{ file: manifestName, problem: `the header names column(s) ${[...new Set(duplicated)].join(', ')} twice` }] };
  const labelsColumn = column('labels') >= 0 ? column('labels') : column('finding_labels');

  const countByKind = new Map<string, number>();
  const report = (kind: string, file: string, problem: string) => {
    const n = (countByKind.get(kind) ?? 0) + 1;
    countByKind.set(kind, n);
    if (n <= MAX_PROBLEMS_PER_KIND) problems.push({ file, problem });
    else if (n === MAX_PROBLEMS_PER_KIND + 1) problems.push({ file: manifestName, problem: `more rows with the same problem (${kind}) are not listed` });
  };

  for (const { record, info } of records.slice(1)) {
    const where = `${manifestName} row ${info.lines}`;
    if (record.length !== header.length) {
      report('cells', where, `has ${record.length} cells; the header has ${header.length}`);
      continue;
    }
    const cell = (index: number) => (index >= 0 ? record[index] : '');
    const file = cell(column('file'));
    const stored = [file, cell(labelsColumn), cell(column('patient_id')), cell(column('resolution')), cell(column('source')), cell(column('licence'))];
    if (stored.some((value) => FORMULA_START.test(value))) {
      report('formula', where, 'a cell starts with = + - @ or a control character (spreadsheet formula); remove it');
      continue;
    }
    if (!file) {
      report('file', where, 'the file column is empty');
      continue;
    }
    if (rows.has(file)) {
      report('twice', where, `${file} is listed twice`);
      continue;
    }
    const labels = cell(labelsColumn)
      .split('|')
      .map((l) => l.trim())
      .filter((l) => l && !NO_FINDING.has(l));
    const badLabel = labels.find((l) => !LABEL.test(l));
    if (badLabel !== undefined) {
      report('label', where, `label "${badLabel.slice(0, 40)}" is not a plain word (letters, digits, space, _ . ( ) / -; at most 64 characters)`);
      continue;
    }
    let resolution: ManifestRow['resolution'];
    const rawResolution = cell(column('resolution'));
    if (rawResolution) {
      const match = /^(\d{1,5})(?:\s*[x×]\s*(\d{1,5}))?$/i.exec(rawResolution);
      if (!match) {
        report('resolution', where, `resolution "${rawResolution.slice(0, 20)}" must be a size such as 256 or 256x256`);
        continue;
      }
      resolution = { width: Number(match[1]), height: Number(match[2] ?? match[1]) };
    }
    rows.set(file, {
      file,
      labels,
      line: info.lines,
      ...(cell(column('patient_id')) && { patientId: cell(column('patient_id')) }),
      ...(resolution && { resolution }),
      ...(cell(column('source')) && { source: cell(column('source')) }),
      ...(cell(column('licence')) && { licence: cell(column('licence')) }),
    });
  }
  return { rows, problems };
}

/** A pool with a label vocabulary takes only its labels: a typo must not become a new stratum of a study. */
export function labelsOutsideVocabulary(rows: Iterable<ManifestRow>, vocabulary: readonly string[], manifestName = 'manifest.csv'): ManifestProblem[] {
  if (vocabulary.length === 0) return [];
  const known = new Set(vocabulary);
  const problems: ManifestProblem[] = [];
  for (const row of rows) {
    const unknown = row.labels.filter((l) => !known.has(l));
    if (unknown.length) {
      problems.push({
        file: `${manifestName} row ${row.line}`,
        problem: `label(s) ${unknown.map((l) => `"${l}"`).join(', ')} are not in the pool's vocabulary (${vocabulary.join(', ')}); fix the row or add the label to the pool first`,
      });
    }
  }
  return problems;
}

/**
 * Strict UTF-8: a manifest saved as Latin-1 or UTF-16 would otherwise become mojibake labels. Reports the
 * rows that hold invalid bytes, so the uploader can find them.
 */
function decodeUtf8(bytes: Uint8Array, manifestName: string, problems: ManifestProblem[]): string | null {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    problems.push({ file: manifestName, problem: 'is UTF-16 text; save it as UTF-8 (CSV UTF-8 in spreadsheet programs)' });
    return null;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const badLines: number[] = [];
    let start = 0;
    let line = 1;
    for (let i = 0; i <= bytes.length; i++) {
      if (i === bytes.length || bytes[i] === 0x0a) {
        try {
          new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(start, i));
        } catch {
          badLines.push(line);
        }
        start = i + 1;
        line++;
      }
    }
    const shown = badLines.slice(0, 10).join(', ') + (badLines.length > 10 ? ', …' : '');
    problems.push({ file: manifestName, problem: `is not valid UTF-8 (line ${shown}); save it as UTF-8 (CSV UTF-8 in spreadsheet programs)` });
    return null;
  }
}
