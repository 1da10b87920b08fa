import { parse } from 'csv-parse/sync';

/**
 * A batch's label file: one row per image file. Columns: `file` and `labels` (pipe-separated; the demo
 * data's `finding_labels` is accepted too), optionally `patient_id`, `resolution`, `source`, `licence`.
 */
export type ManifestRow = { file: string; labels: string[]; patientId?: string; source?: string; licence?: string };
export type ManifestProblem = { file: string; problem: string };

const FORMULA_START = /^[=+\-@\t\r]/;

export function parseManifest(text: string, manifestName = 'manifest.csv'): { rows: Map<string, ManifestRow>; problems: ManifestProblem[] } {
  const problems: ManifestProblem[] = [];
  const rows = new Map<string, ManifestRow>();
  let records: Record<string, string>[];
  try {
    records = parse(text.replace(/^\uFEFF/, ''), { columns: true, skip_empty_lines: true, trim: true, relax_column_count: false });
  } catch (error) {
    return { rows, problems: [{ file: manifestName, problem: `not a valid CSV file: ${(error as Error).message}` }] };
  }
  if (records.length && !('file' in records[0])) {
    return { rows, problems: [{ file: manifestName, problem: 'has no "file" column' }] };
  }
  records.forEach((record, index) => {
    const line = `${manifestName} row ${index + 2}`;
    const file = record.file ?? '';
    const rawLabels = record.labels ?? record.finding_labels ?? '';
    const cells = [file, rawLabels, record.patient_id ?? '', record.source ?? '', record.licence ?? ''];
    if (cells.some((cell) => FORMULA_START.test(cell))) {
      problems.push({ file: line, problem: 'a cell starts with = + - @ or a control character (spreadsheet formula); remove it' });
      return;
    }
    if (!file) {
      problems.push({ file: line, problem: 'the file column is empty' });
      return;
    }
    if (rows.has(file)) {
      problems.push({ file: line, problem: `${file} is listed twice` });
      return;
    }
    const labels = rawLabels
      .split('|')
      .map((l) => l.trim())
      .filter((l) => l && l !== 'No Finding' && l !== 'No_Finding');
    rows.set(file, {
      file,
      labels,
      patientId: record.patient_id || undefined,
      source: record.source || undefined,
      licence: record.licence || undefined,
    });
  });
  return { rows, problems };
}
