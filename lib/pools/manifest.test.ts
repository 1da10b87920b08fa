import { describe, expect, it } from 'vitest';
import { labelsOutsideVocabulary, parseManifest } from './manifest';

const bytes = (text: string, encoding: BufferEncoding = 'utf8') => Uint8Array.from(Buffer.from(text, encoding));

describe('parseManifest', () => {
  it('reads file, labels (pipe-separated), patient id, resolution, source and licence; drops "No Finding"', () => {
    const { rows, problems } = parseManifest(bytes('\uFEFFfile,labels,patient_id,resolution,source,licence\na.png,Effusion|Nodule,P1,256,NIH,CC0\nb.png,No Finding,P2,128x96,,\n'));
    expect(problems).toEqual([]);
    expect(rows.get('a.png')).toEqual({ file: 'a.png', labels: ['Effusion', 'Nodule'], patientId: 'P1', resolution: { width: 256, height: 256 }, source: 'NIH', licence: 'CC0', line: 2 });
    expect(rows.get('b.png')).toEqual({ file: 'b.png', labels: [], patientId: 'P2', resolution: { width: 128, height: 96 }, line: 3 });
  });

  it('accepts the demo data label file (finding_labels, extra columns)', () => {
    const { rows, problems } = parseManifest('file,source_image,finding_labels,Atelectasis,patient_id,age\ncxr_1.png,1.png,Cardiomegaly|Edema,0,7833,37\n');
    expect(problems).toEqual([]);
    expect(rows.get('cxr_1.png')).toMatchObject({ labels: ['Cardiomegaly', 'Edema'], patientId: '7833' });
  });

  it('refuses formula cells, naming the row', () => {
    const { problems } = parseManifest('file,labels\na.png,=1+1\nb.png,@SUM(A1)\nc.png,ok\n');
    expect(problems.map((p) => p.file)).toEqual(['manifest.csv row 2', 'manifest.csv row 3']);
    expect(problems[0].problem).toMatch(/formula/);
  });

  it('refuses invalid UTF-8 and says on which lines', () => {
    const { problems } = parseManifest(bytes('file,labels\na.png,ok\nb.png,épanchement\nc.png,ok\nd.png,café\n', 'latin1'));
    expect(problems).toEqual([{ file: 'manifest.csv', problem: expect.stringMatching(/not valid UTF-8 \(line 3, 5\)/) }]);
  });

  it('refuses UTF-16', () => {
    const { problems } = parseManifest(Uint8Array.from(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('file,labels\n', 'utf16le')])));
    expect(problems[0].problem).toMatch(/UTF-16/);
  });

  it('names every row whose cell count differs from the header', () => {
    const { rows, problems } = parseManifest('file,labels\na.png\nb.png,x,y\nc.png,z\n');
    expect(problems).toEqual([
      { file: 'manifest.csv row 2', problem: 'has 1 cells; the header has 2' },
      { file: 'manifest.csv row 3', problem: 'has 3 cells; the header has 2' },
    ]);
    expect([...rows.keys()]).toEqual(['c.png']);
  });

  it('needs a file column, unique column names, unique files, plain labels and sizes', () => {
    expect(parseManifest('name,labels\na.png,x\n').problems[0].problem).toMatch(/no "file" column/);
    expect(parseManifest('file,labels,labels\na.png,x,y\n').problems[0].problem).toMatch(/twice/);
    expect(parseManifest('file,labels\na.png,x\na.png,y\n').problems[0].problem).toBe('a.png is listed twice');
    expect(parseManifest('file,labels\na.png,<script>\n').problems[0].problem).toMatch(/not a plain word/);
    expect(parseManifest('file,labels,resolution\na.png,x,big\n').problems[0].problem).toMatch(/must be a size/);
    expect(parseManifest('').problems[0].problem).toMatch(/empty/);
  });

  it('lists at most 20 rows per kind of problem', () => {
    const lines = ['file,labels', ...Array.from({ length: 30 }, (_, i) => `f${i}.png,=x`)];
    const { problems } = parseManifest(lines.join('\n'));
    expect(problems).toHaveLength(21);
    expect(problems[20].problem).toMatch(/not listed/);
  });
});

describe('labelsOutsideVocabulary', () => {
  const { rows } = parseManifest('file,labels\na.png,effusion\nb.png,effusion|pneumothorax\n');
  it('names the rows with labels the pool does not have', () => {
    expect(labelsOutsideVocabulary(rows.values(), ['effusion', 'nodule'])).toEqual([
      { file: 'manifest.csv row 3', problem: expect.stringMatching(/"pneumothorax" are not in the pool's vocabulary \(effusion, nodule\)/) },
    ]);
  });
  it('accepts anything while the pool has no vocabulary', () => {
    expect(labelsOutsideVocabulary(rows.values(), [])).toEqual([]);
  });
});
