/**
 * The iMRMC input format (FDA/CDRH DIDSR iMRMC; also read by RJafroc), as documented in
 * InputFile.java and the iMRMC manual: a title line, header lines N0/N1/NR/NM (always written:
 * some readers require them), `BEGIN DATA:`, one truth row per case `-1,<case>,0,<0|1>`, then one
 * score row per observation `<reader>,<case>,<modality>,<score>`. No blank line after BEGIN DATA,
 * not even at the end. Truth 1 = synthetic; score = confidence that the image is synthetic.
 */
export interface ImrmcInput {
  title: string;
  /** One per case; cases without a score are left out. */
  truths: Array<{ caseId: string; truth: 0 | 1 }>;
  scores: Array<{ readerId: string; caseId: string; modalityId: string; score: number }>;
}

/** iMRMC deletes whitespace inside fields and splits on commas, so ids must have neither. */
function checkId(kind: string, id: string): string {
  if (!/^[^\s,]+$/.test(id)) throw new Error(`iMRMC ${kind} id ${JSON.stringify(id)} must be non-empty, without spaces or commas`);
  return id;
}

/**
 * iMRMC 4.0.3 looks for `N0:`, `N1:`, `NR:` and `NM:` anywhere in every header line, the title included,
 * ignoring case and (we assume) whitespace, and refuses the file when no integer follows; a title starting
 * with `BEGIN DATA:` would start the data. So the colon after such a key becomes " -" ("Gen1: chest" →
 * "Gen1 - chest"); everything else of the title is kept.
 */
export function imrmcTitle(title: string): string {
  const flat = title.replace(/[\r\n]+/g, ' ').trim();
  const safe = flat.replace(/(n\s*[01rm]|begin\s*data)\s*:/gi, '$1 -');
  return safe || 'reader study';
}

export function formatImrmc(input: ImrmcInput): string {
  const scoredCases = new Set(input.scores.map((s) => s.caseId));
  const truths = input.truths.filter((t) => scoredCases.has(t.caseId));
  const n1 = truths.filter((t) => t.truth === 1).length;
  const readers = new Set(input.scores.map((s) => s.readerId));
  const modalities = new Set(input.scores.map((s) => s.modalityId));
  const lines = [
    imrmcTitle(input.title),
    `N0:${truths.length - n1}`,
    `N1:${n1}`,
    `NR:${readers.size}`,
    `NM:${modalities.size}`,
    'BEGIN DATA:',
    ...truths.map((t) => `-1,${checkId('case', t.caseId)},0,${t.truth === 1 ? '1' : '0'}`),
    ...input.scores.map((s) => {
      if (!Number.isFinite(s.score)) throw new Error(`iMRMC score of reader ${s.readerId} on case ${s.caseId} is not a finite number`);
      return `${checkId('reader', s.readerId)},${checkId('case', s.caseId)},${checkId('modality', s.modalityId)},${s.score}`;
    }),
  ];
  return lines.join('\n');
}
