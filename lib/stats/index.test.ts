import { describe, expect, it } from 'vitest';
import * as stats from './index';

describe('lib/stats public face', () => {
  it('exports every statistic of the module as a function', () => {
    const names = [
      'binomialTest',
      'clopperPearson',
      'wilsonInterval',
      'tostBinomial',
      'holm',
      'benjaminiHochberg',
      'cohenKappa',
      'fleissKappa',
      'rocAuc',
      'rocCurve',
      'cochranArmitageTrend',
      'binomialPower',
      'sampleSizeForPower',
      'tostPower',
      'tostSampleSize',
      'syntheticScore',
      'summarizeStudy',
      'summarizeStudyColumns',
      'mrmcOrHillis',
      'mrmcOrHillisRatings',
      'pairedAucDifference',
    ];
    for (const name of names) expect(typeof (stats as Record<string, unknown>)[name], name).toBe('function');
    expect(Object.keys(stats).sort()).toEqual([...names].sort());
  });
});
