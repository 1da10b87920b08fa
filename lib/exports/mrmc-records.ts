import { scoredOrder, scoreOf } from '@/lib/dashboard/first-answers';
import type { StudyData } from '@/lib/dashboard/types';

/** One rating in the MRMC tools' terms: truth 1 = synthetic, rating = confidence it is synthetic. */
export interface MrmcExportRecord {
  reader: string;
  /** The imaging modality (cases are nested in it: an image has one modality). */
  treatment: string;
  case: string;
  truth: 0 | 1;
  rating: number;
}

/** Each reader's first scored answer per image that has a confidence, as MRMC records. */
export function mrmcExportRecords(data: StudyData, caseIdOf: (image: number) => string): MrmcExportRecord[] {
  const { answers, images, readers } = data;
  const { order, firstCount } = scoredOrder(answers);
  const out: MrmcExportRecord[] = [];
  for (let i = 0; i < firstCount; i++) {
    const j = order[i];
    const rating = scoreOf(answers, j);
    if (rating !== rating) continue;
    const g = answers.image[j];
    out.push({
      reader: readers[answers.reader[j]].pseudonym,
      treatment: images.modalities[images.modality[g]],
      case: caseIdOf(g),
      truth: images.truthSynthetic[g] ? 1 : 0,
      rating,
    });
  }
  return out;
}
