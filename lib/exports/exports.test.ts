import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseImrmc } from '@/tests/support/imrmc-grammar';
import { ANSWER_COLUMNS, AnswerCsvWriter, answersCsvHeader, imageCells, readerCells, type AnswerCsvAnswer } from './answers-csv';
import { csvCell, csvLine } from './csv';
import { formatImrmc, imrmcTitle } from './imrmc';
import { bundleReadme } from './readme';
import { DEFAULT_BRIEFING, parseStudyConfig } from '@/lib/studies';

/** One row as text, through the export's own writer. */
function answerCsvLine(reader: string, image: string, imageIsSynthetic: boolean, a: AnswerCsvAnswer): string {
  const writer = new AnswerCsvWriter(1024);
  writer.row(Buffer.from(reader, 'utf8'), Buffer.from(image, 'utf8'), imageIsSynthetic, a);
  return Buffer.concat(writer.take()).toString('utf8');
}

describe('csvCell', () => {
  it('prefixes text a spreadsheet would run as a formula, and only text', () => {
    for (const dangerous of ['=1+1', '+1', '-2+3', '@SUM(A1)', '\tx', '\rx', "=HYPERLINK(\"http://evil\",\"click\")"]) {
      expect(csvCell(dangerous).replace(/^"/, '').startsWith("'")).toBe(true);
    }
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell('a-b')).toBe('a-b');
    expect(csvCell(null)).toBe('');
    expect(csvCell(NaN)).toBe('');
  });

  it('quotes by RFC 4180 so a real parser reads the text back', () => {
    const values = ['plain', 'with,comma', 'with "quotes"', 'multi\nline', '=cmd|\' /C calc\'!A0', '', 7, -0.5];
    const [row] = parse(csvLine(values), { relax_column_count: false }) as string[][];
    expect(row).toEqual(['plain', 'with,comma', 'with "quotes"', 'multi\nline', "'=cmd|' /C calc'!A0", '', '7', '-0.5']);
  });
});

describe('answers CSV rows', () => {
  it('line up with the header and parse back, with hostile label and telemetry escaped', () => {
    const reader = readerCells('ab'.repeat(32), 'R01', 'f'.repeat(64));
    const image = imageCells({ caseId: 'C0123456789ab', truthSynthetic: true, modality: 'CXR', label: '=HYPERLINK("x")|nodule', resolution: 256 });
    const line = answerCsvLine(reader, image, true, {
      callSynthetic: false,
      confidence: 4,
      clientMs: 1234,
      serverMs: NaN,
      position: 7,
      isPractice: false,
      block: 1,
      isRepeat: false,
      firstServedAt: Date.UTC(2026, 10, 27, 10, 0, 0),
      answeredAt: Date.UTC(2026, 10, 27, 10, 0, 2, 500),
      telemetry: '{"zoom":2,"presets":["lung"]}',
    });
    const rows = parse(answersCsvHeader() + line, { columns: true }) as Array<Record<string, string>>;
    expect(Object.keys(rows[0])).toEqual([...ANSWER_COLUMNS]);
    expect(rows[0]).toMatchObject({
      reader: 'R01',
      case: 'C0123456789ab',
      truth: 'SYNTHETIC',
      call: 'REAL',
      confidence: '4',
      correct: '0',
      synthetic_score: '-4',
      client_ms: '1234',
      server_ms: '',
      position: '7',
      phase: 'SCORED',
      label: `'=HYPERLINK("x")|nodule`,
      answered_at: '2026-11-27T10:00:02.500Z',
      telemetry: '{"zoom":2,"presets":["lung"]}',
    });
  });
});

describe('answers CSV rows, byte for byte', () => {
  const reader = readerCells('ab'.repeat(32), 'R01', 'f'.repeat(64));
  const image = imageCells({ caseId: 'C0123456789ab', truthSynthetic: false, modality: 'CXR', label: '@SUM(A1)|nodule', resolution: 512 });
  const prefix = `${'ab'.repeat(32)},R01,${'f'.repeat(64)},C0123456789ab,REAL,CXR,'@SUM(A1)|nodule,512`;
  const answer = {
    callSynthetic: true,
    confidence: 3,
    clientMs: 1500,
    serverMs: 1620,
    position: 12,
    isPractice: false,
    block: 2,
    isRepeat: true,
    firstServedAt: Date.UTC(2026, 11, 31, 23, 59, 58, 7),
    answeredAt: Date.UTC(2027, 0, 1, 0, 0, 1, 990),
    telemetry: '{"zoom":2}',
  };
  const line = (changes: Partial<typeof answer>) => answerCsvLine(reader, image, false, { ...answer, ...changes });

  it('writes every column of a full answer', () => {
    expect(line({})).toBe(`${prefix},SYNTHETIC,3,0,3,1500,1620,12,SCORED,2,1,2026-12-31T23:59:58.007Z,2027-01-01T00:00:01.990Z,"{""zoom"":2}"\r\n`);
  });

  it('leaves missing numbers and times empty', () => {
    expect(line({ confidence: NaN, clientMs: NaN, serverMs: NaN, firstServedAt: NaN, telemetry: '' })).toBe(
      `${prefix},SYNTHETIC,,0,,,,12,SCORED,2,1,,2027-01-01T00:00:01.990Z,\r\n`,
    );
  });

  it('writes a zero score of a REAL call as 0, a practice answer and a correct one', () => {
    expect(line({ callSynthetic: false, confidence: 0, isPractice: true, isRepeat: false, position: 0, block: 0 })).toBe(
      `${prefix},REAL,0,1,0,1500,1620,0,PRACTICE,0,0,2026-12-31T23:59:58.007Z,2027-01-01T00:00:01.990Z,"{""zoom"":2}"\r\n`,
    );
  });

  it('quotes telemetry with quotes, commas and line breaks, and prefixes formula starts', () => {
    expect(line({ telemetry: 'say "hi", then\nbye' }).endsWith(`,"say ""hi"", then\nbye"\r\n`)).toBe(true);
    expect(line({ telemetry: '=1+2' }).endsWith(`,'=1+2\r\n`)).toBe(true);
    expect(line({ telemetry: '-1,2' }).endsWith(`,"'-1,2"\r\n`)).toBe(true);
    expect(line({ telemetry: '\t{}' }).endsWith(`,'\t{}\r\n`)).toBe(true);
  });

  it('cuts telemetry over 2000 characters with an ellipsis, in UTF-8', () => {
    const long = `{"gaps":"${'é'.repeat(2500)}"}`;
    const cut = `{"gaps":"${'é'.repeat(2000 - 9)}…`;
    expect(line({ telemetry: long })).toBe(
      `${prefix},SYNTHETIC,3,0,3,1500,1620,12,SCORED,2,1,2026-12-31T23:59:58.007Z,2027-01-01T00:00:01.990Z,"${cut.replace(/"/g, '""')}"\r\n`,
    );
  });

  it('writes times as toISOString does, truncating fractions, outside 1970–9999 too', () => {
    const at = (ms: number) => line({ firstServedAt: ms }).split(',')[18];
    expect(at(Date.UTC(2026, 1, 3, 4, 5, 6, 7) + 0.999)).toBe('2026-02-03T04:05:06.007Z');
    expect(at(0)).toBe('1970-01-01T00:00:00.000Z');
    expect(at(-1)).toBe('1969-12-31T23:59:59.999Z');
    expect(at(Date.UTC(10000, 0, 1))).toBe('+010000-01-01T00:00:00.000Z');
    fc.assert(
      fc.property(fc.integer({ min: -1e13, max: 4e14 }), (ms) => {
        expect(at(ms)).toBe(new Date(ms).toISOString());
      }),
    );
  });

  it('writes numbers as String does', () => {
    const cells = (clientMs: number) => line({ clientMs }).split(',')[12];
    expect([cells(0), cells(-0), cells(7), cells(2147483647), cells(-2147483648), cells(2 ** 40), cells(1.25)]).toEqual(['0', '0', '7', '2147483647', '-2147483648', '1099511627776', '1.25']);
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), fc.double({ noNaN: true, noDefaultInfinity: true })), (x) => {
        expect(cells(x)).toBe(String(x));
      }),
    );
  });

  it('fills many buffers for many rows without losing a byte', () => {
    const writer = new AnswerCsvWriter(4096);
    const readerBytes = Buffer.from(reader);
    const imageBytes = Buffer.from(image);
    const expected: string[] = [];
    for (let k = 0; k < 500; k++) {
      const a = { ...answer, position: k, telemetry: 'x'.repeat(k * 13) };
      writer.row(readerBytes, imageBytes, false, a);
      expected.push(answerCsvLine(reader, image, false, a));
    }
    const chunks = writer.take();
    expect(chunks.length).toBeGreaterThan(10);
    expect(Buffer.concat(chunks).toString('utf8')).toBe(expected.join(''));
  });
});

describe('formatImrmc', () => {
  const input = {
    title: 'Study X, protocol hash abc',
    truths: [
      { caseId: 'C1', truth: 0 as const },
      { caseId: 'C2', truth: 1 as const },
      { caseId: 'C3', truth: 1 as const },
      { caseId: 'C4', truth: 0 as const },
    ],
    scores: [
      { readerId: 'R01', caseId: 'C1', modalityId: 'CXR', score: -3 },
      { readerId: 'R01', caseId: 'C2', modalityId: 'CXR', score: 5 },
      { readerId: 'R02', caseId: 'C3', modalityId: 'CXR', score: 0 },
      { readerId: 'R02', caseId: 'C1', modalityId: 'CXR', score: 2 },
    ],
  };

  it('writes the documented grammar: title, N0/N1/NR/NM, BEGIN DATA:, truth rows, score rows, no trailing blank line', () => {
    const text = formatImrmc(input);
    expect(text.endsWith('\n')).toBe(false);
    const parsed = parseImrmc(text);
    // C4 has no score, so it is not a case of the file.
    expect(parsed.header).toEqual({ N0: 1, N1: 2, NR: 2, NM: 1 });
    expect([...parsed.truth]).toEqual([
      ['C1', 0],
      ['C2', 1],
      ['C3', 1],
    ]);
    expect(parsed.scores).toHaveLength(4);
    expect(text.split('\n').slice(0, 7)).toEqual(['Study X, protocol hash abc', 'N0:1', 'N1:2', 'NR:2', 'NM:1', 'BEGIN DATA:', '-1,C1,0,0']);
  });

  it('refuses ids iMRMC would mangle', () => {
    expect(() => formatImrmc({ ...input, scores: [{ readerId: 'R 1', caseId: 'C1', modalityId: 'CXR', score: 1 }] })).toThrow(/without spaces or commas/);
  });

  it('keeps the title line safe for any study name: iMRMC reads N0:/N1:/NR:/NM: anywhere in a header line', () => {
    const hostile = ['Gen1: chest radiographs', 'GAN n0:12 vs nr:3', 'NM : head CT', 'N 1: spaced', 'begin data: first', 'BEGIN DATA:', 'Study\nN1:5', 'nN1::x', ':', ''];
    for (const name of hostile) {
      const text = formatImrmc({ ...input, title: `Reader study "${name}", protocol hash abc` });
      expect(() => parseImrmc(text), name).not.toThrow();
      expect(parseImrmc(text).header).toEqual({ N0: 1, N1: 2, NR: 2, NM: 1 });
      expect(() => parseImrmc(formatImrmc({ ...input, title: name })), `bare ${name}`).not.toThrow();
    }
    expect(imrmcTitle('Gen1: chest radiographs')).toBe('Gen1 - chest radiographs');
    expect(imrmcTitle('Plain: colons elsewhere stay')).toBe('Plain: colons elsewhere stay');
    const fragment = fc.constantFrom('N0:', 'n1:', 'NR:', 'nm:', 'N', '1', ':', ' ', 'r', 'BEGIN DATA:', '\n', 'x', '12');
    fc.assert(
      fc.property(fc.array(fragment, { maxLength: 12 }).map((parts) => parts.join('')), fc.string({ maxLength: 20 }), (name, noise) => {
        parseImrmc(formatImrmc({ ...input, title: name + noise }));
      }),
      { numRuns: 500 },
    );
  });

  it('the grammar checker itself rejects broken files', () => {
    expect(() => parseImrmc(formatImrmc(input).replace('Study X', 'Gen1: X'))).toThrow(/Found N1: Text following is not an integer/);
    const good = formatImrmc(input);
    expect(() => parseImrmc(`${good}\n`)).toThrow(/blank line/);
    expect(() => parseImrmc(good.replace('-1,C2,0,1', '-1,C2,0,1.0'))).toThrow(/string 0 or 1/);
    expect(() => parseImrmc(good.replace('NR:2', 'NR:3'))).toThrow(/NR/);
  });
});

describe('the bundle README', () => {
  it('is written into the export bundle\'s README', () => {
    const config = parseStudyConfig({ imagesPerReader: 10, briefing: 'Real or generated?' });
    const readme = bundleReadme({ studyId: 's1', studyName: 'S', protocolHash: 'abc', generatedAt: '2026-01-01T00:00:00Z', config });
    expect(readme).toContain('Readers were briefed');
    expect(readme).toContain('  Real or generated?');
    expect(bundleReadme({ studyId: 's1', studyName: 'S', protocolHash: 'abc', generatedAt: 'x', config: parseStudyConfig({ imagesPerReader: 10 }) })).toContain(DEFAULT_BRIEFING);
  });
});
