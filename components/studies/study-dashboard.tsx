import type { DashboardStats } from '@/lib/dashboard/compute';
import type { GroupSummary } from '@/lib/stats';
import { AccuracyByResolution } from '@/components/charts/accuracy-by-resolution';
import { ConfusionMatrix } from '@/components/charts/confusion-matrix';
import { ForestPlot, type ForestRow } from '@/components/charts/forest-plot';
import { RocCurves } from '@/components/charts/roc-curves';
import { fmt } from '@/components/charts/scale';
import type { MachineVerdict } from '@/lib/jobs/kinds/two-sample-test';
import { plural } from '@/components/ui/plural';
import { briefingText } from '@/lib/studies/config';
import { InterimPanel } from './interim-panel';
import { LadderPanel } from './ladder-panel';
import { LiveRefresh } from './live-refresh';
import { MachineVerdictPanel } from './machine-verdict';
import { StudyControls } from './study-controls';

const FOOL_RATE_ROWS = 50;
const pv = (p: number) => (p < 0.0001 ? '< 0.0001' : p.toFixed(4));
const ci = (c: [number, number]) => `[${fmt(c[0])}, ${fmt(c[1])}]`;
const ms = (x: number | null) => (x === null ? '—' : `${(x / 1000).toFixed(1)} s`);

/** TOST wording: "not shown" read as "not displayed", so the verdict names what was (or was not) established. */
function tostWords(equivalent: boolean, margin: number): string {
  return equivalent ? `equivalent within ±${margin}` : 'equivalence not established';
}

function tostVerdict(g: GroupSummary, margin: number): string {
  if (!g.tost) return '—';
  return `${tostWords(g.tost.equivalent, margin)} (p ${pv(g.tost.pValue)})`;
}

function GroupRows({ label, rows, margin }: { label: string; rows: Array<GroupSummary & { name: string }>; margin: number }) {
  if (rows.length === 0) return null;
  return (
    <>
      <h3>By {label}</h3>
      <table className="compact" data-testid={`by-${label}`}>
        <thead>
          <tr>
            <th>{label}</th>
            <th>n</th>
            <th>Accuracy</th>
            <th>CI</th>
            <th>p (binomial)</th>
            <th>Sensitivity</th>
            <th>Specificity</th>
            <th>TOST</th>
            <th>AUC</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((g) => (
            <tr key={g.name}>
              <td>{g.name}</td>
              <td>{g.n}</td>
              <td>{fmt(g.accuracy, 3)}</td>
              <td>{ci(g.ci)}</td>
              <td>{pv(g.pValue)}</td>
              <td>{g.sensitivity ? fmt(g.sensitivity.estimate, 3) : '—'}</td>
              <td>{g.specificity ? fmt(g.specificity.estimate, 3) : '—'}</td>
              <td>{tostVerdict(g, margin)}</td>
              <td>{g.auc ? fmt(g.auc.auc, 3) : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

/** The readers' MRMC AUC over all images, for the plot beside the machine's. */
function readersAuc(stats: DashboardStats) {
  const all = stats.mrmc.analyses.find((a) => a.scope === 'all');
  const t = all?.result?.tests[0];
  return all && t ? { auc: t.auc, ci: t.ci as [number, number], readers: all.readers.length, cases: all.cases.real + all.cases.synthetic } : null;
}

/**
 * The live dashboard of an open or closed study (server component): progress, the statistics of
 * lib/stats, server-rendered SVG plots, MRMC, the fool-rate table and the exports. A small client
 * component re-renders it when new answers arrive.
 */
export function StudyDashboard({
  stats,
  leakAudit,
  version,
  machine,
}: {
  stats: DashboardStats;
  leakAudit: { passed: boolean; auc: number | null; maxAuc: number | null } | null;
  version: string;
  /** "Can a machine tell?": the latest finished result and the latest job (maybe still running). */
  machine: { verdict: MachineVerdict | null; job: { status: string; progress: number; message: string | null; error: string | null } | null };
}) {
  const { study, summary, progress } = stats;
  const margin = study.config.margin;
  const confPct = `${Math.round((1 - study.config.alpha) * 100)}%`;
  const forest: ForestRow[] = summary
    ? [
        ...summary.readers.map((r) => ({ label: r.readerId, estimate: r.accuracy, ci: r.ci, n: r.n })),
        { label: 'Pooled', estimate: summary.pooled.accuracy, ci: summary.pooled.ci, n: summary.pooled.n, isPooled: true },
      ]
    : [];
  const names = new Map(progress.readers.map((r) => [r.pseudonym, r.name]));
  // The headline AUC is the one iMRMC and OR–Hillis report: readers' AUCs averaged over the crossed answers.
  const overallMrmc = stats.mrmc.analyses.find((a) => a.scope === 'all') ?? null;
  const readerAveraged = overallMrmc?.result?.tests[0] ?? null;
  return (
    <div className="dashboard">
      <div className="row spread">
        <h1>{study.name}</h1>
        <div className="row">
          <span className={`status ${study.status.toLowerCase()}`} data-testid="study-status">
            {study.status.toLowerCase()}
          </span>
          <LiveRefresh studyId={study.id} version={version} />
          <StudyControls studyId={study.id} status={study.status} />
        </div>
      </div>
      {study.description ? <p className="muted">{study.description}</p> : null}
      <p>
        Protocol hash{' '}
        <code className="mono" data-testid="protocol-hash">
          {study.configHash}
        </code>
        <br />
        <span className="muted small">
          sha256 of the frozen configuration and image set, recorded when the study opened{study.openedAt ? ` (${new Date(study.openedAt).toUTCString()})` : ''}; every export carries it.
          {leakAudit
            ? ` Leak audit at opening: ${leakAudit.passed ? 'passed' : 'failed'}; pixel-level classifier AUC ${fmt(leakAudit.auc, 3)} (${leakAudit.maxAuc === null ? 'reported, not a gate' : `limit ${fmt(leakAudit.maxAuc)}`}).`
            : ''}
        </span>
      </p>
      <figure className="briefing-frozen" data-testid="protocol-briefing">
        <figcaption className="muted small">Reader briefing, frozen with the protocol (readers confirm it once before their first image):</figcaption>
        <blockquote>{briefingText(study.config)}</blockquote>
      </figure>

      {stats.ladder ? <LadderPanel ladder={stats.ladder} /> : null}

      <section aria-label="Exports" className="row">
        <strong>Exports:</strong>
        <a href={`/api/studies/${study.id}/export/csv`} data-testid="export-csv" download>
          answers (CSV)
        </a>
        <a href={`/api/studies/${study.id}/export/json`} data-testid="export-json" download>
          summary (JSON)
        </a>
        <a href={`/api/studies/${study.id}/export/imrmc`} data-testid="export-imrmc" download>
          iMRMC
        </a>
        <a href={`/api/studies/${study.id}/export/mrmcaov`} data-testid="export-mrmcaov" download>
          MRMCaov (CSV)
        </a>
        <a href={`/api/studies/${study.id}/export/bundle`} data-testid="export-bundle" download>
          everything (zip)
        </a>
      </section>

      <h2>Progress</h2>
      <p data-testid="progress-total">
        {progress.done} of {progress.assigned} items answered
      </p>
      <table className="compact" data-testid="progress">
        <thead>
          <tr>
            <th>Reader</th>
            <th>Name</th>
            <th>Done / assigned</th>
            <th>Last activity</th>
            <th>Median answer time</th>
          </tr>
        </thead>
        <tbody>
          {progress.readers.map((r) => (
            <tr key={r.pseudonym} data-testid="progress-row">
              <td>{r.pseudonym}</td>
              <td>
                {r.name} <span className="muted">{r.email}</span>
              </td>
              <td>
                {r.done} / {r.assigned}
                {r.isComplete ? ' ✓' : ''}
                <div className="progress">
                  <div style={{ width: `${r.assigned ? (100 * r.done) / r.assigned : 0}%` }} />
                </div>
              </td>
              <td>{r.lastActivity ? new Date(r.lastActivity).toUTCString() : '—'}</td>
              <td>{ms(r.medianClientMs)}</td>
            </tr>
          ))}
        </tbody>
      </table>

      {stats.interim ? <InterimPanel report={stats.interim} studyId={study.id} isOpen={study.status === 'OPEN'} /> : null}

      {summary === null ? (
        <p className="notice" data-testid="no-answers">
          No scored answers yet. Statistics appear with the first one.
        </p>
      ) : (
        <>
          <h2>Can readers tell real from synthetic?</h2>
          <div className="grid">
            <div className="card">
              <div className="muted">Reader-averaged AUC (MRMC, Obuchowski–Rockette–Hillis)</div>
              <div className="stat" data-testid="reader-averaged-auc">
                {readerAveraged ? fmt(readerAveraged.auc, 3) : '—'}
              </div>
              <div className="muted small">
                {readerAveraged && overallMrmc
                  ? `${confPct} CI ${ci(readerAveraged.ci)} · p vs 0.5 ${pv(readerAveraged.pValueVsNull)} · ${plural(overallMrmc.readers.length, 'reader')}, ${plural(overallMrmc.cases.real + overallMrmc.cases.synthetic, 'image')}`
                  : (overallMrmc?.note ?? stats.mrmc.note ?? 'needs readers who rated the same images')}
              </div>
            </div>
            <div className="card">
              <div className="muted">Pooled accuracy</div>
              <div className="stat" data-testid="pooled-accuracy">
                {fmt(summary.pooled.accuracy, 3)}
              </div>
              <div className="muted small">
                {confPct} CI {ci(summary.pooled.ci)} · p {pv(summary.pooled.pValue)} · n {summary.pooled.n}
              </div>
            </div>
            <div className="card">
              <div className="muted">Equivalence to chance (TOST, ±{margin})</div>
              <div className="stat" data-testid="tost-verdict">
                {summary.pooled.tost ? tostWords(summary.pooled.tost.equivalent, margin) : '—'}
              </div>
              <div className="muted small">p {summary.pooled.tost ? pv(summary.pooled.tost.pValue) : '—'}</div>
            </div>
            <div className="card">
              <div className="muted">Fleiss κ (agreement between readers)</div>
              <div className="stat" data-testid="fleiss-kappa">
                {summary.fleiss ? fmt(summary.fleiss.kappa, 3) : '—'}
              </div>
              <div className="muted small">{summary.fleiss ? `${plural(summary.fleiss.images, 'image')} read by all ${plural(summary.fleiss.readers, 'reader')}` : 'needs two readers on the same images'}</div>
            </div>
            <div className="card">
              <div className="muted">AUC of pooled answers (every reader's ratings in one ROC; no MRMC tool reports it)</div>
              <div className="stat" data-testid="pooled-auc">
                {summary.pooled.auc ? fmt(summary.pooled.auc.auc, 3) : '—'}
              </div>
              <div className="muted small">{summary.pooled.auc ? `CI ${ci(summary.pooled.auc.ci)}` : ''}</div>
            </div>
          </div>

          <h3>Per reader</h3>
          <table className="compact" data-testid="reader-stats">
            <thead>
              <tr>
                <th>Reader</th>
                <th>n</th>
                <th>Accuracy</th>
                <th>{confPct} CI (Clopper–Pearson)</th>
                <th>p</th>
                <th>p (Holm)</th>
                <th>Sensitivity</th>
                <th>Specificity</th>
                <th>TOST</th>
                <th>AUC</th>
                <th>Repeat κ</th>
              </tr>
            </thead>
            <tbody>
              {summary.readers.map((r) => (
                <tr key={r.readerId}>
                  <td title={names.get(r.readerId)}>{r.readerId}</td>
                  <td>{r.n}</td>
                  <td>{fmt(r.accuracy, 3)}</td>
                  <td>{ci(r.ci)}</td>
                  <td>{pv(r.pValue)}</td>
                  <td>{pv(r.pValueHolm)}</td>
                  <td>{r.sensitivity ? `${fmt(r.sensitivity.estimate, 3)} ${ci(r.sensitivity.ci)}` : '—'}</td>
                  <td>{r.specificity ? `${fmt(r.specificity.estimate, 3)} ${ci(r.specificity.ci)}` : '—'}</td>
                  <td>{tostVerdict(r, margin)}</td>
                  <td>{r.auc ? fmt(r.auc.auc, 3) : '—'}</td>
                  <td>{r.repeatAgreement ? fmt(r.repeatAgreement.kappa, 2) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>

          <div className="charts">
            <figure>
              <ForestPlot rows={forest} margin={margin} title={`Accuracy with ${confPct} CI`} />
              <figcaption>Accuracy per reader and pooled, against chance (line) and the equivalence band 0.5 ± {margin} (shaded).</figcaption>
            </figure>
            <figure>
              <ConfusionMatrix counts={stats.confusion} />
              <figcaption>Truth × call, scored first answers, all readers.</figcaption>
            </figure>
            <figure>
              <RocCurves series={stats.roc.map((r) => ({ label: r.reader, auc: r.auc, points: r.points }))} />
              <figcaption>ROC per reader from call × confidence (synthetic = positive).</figcaption>
            </figure>
            <figure>
              <AccuracyByResolution
                points={summary.byResolution.map((r) => ({ resolution: r.resolution, accuracy: r.accuracy, ci: r.ci, n: r.n }))}
                trendP={summary.resolutionTrend ? summary.resolutionTrend.pValue : null}
              />
              <figcaption>Accuracy by image resolution with the Cochran–Armitage trend test.</figcaption>
            </figure>
          </div>

          <GroupRows margin={margin} label="modality" rows={summary.byModality.map((g) => ({ ...g, name: g.modality }))} />
          <GroupRows margin={margin} label="label" rows={summary.byLabel.map((g) => ({ ...g, name: g.label }))} />
          <GroupRows margin={margin} label="resolution" rows={summary.byResolution.map((g) => ({ ...g, name: `${g.resolution} px` }))} />
        </>
      )}

      <MachineVerdictPanel studyId={study.id} readers={readersAuc(stats)} verdict={machine.verdict} job={machine.job} margin={margin} />

      <h2>MRMC: reader-averaged AUC (Obuchowski–Rockette–Hillis)</h2>
      <p className="notice" data-testid="guidance">
        {stats.guidance}
      </p>
      {stats.mrmc.note ? <p className="muted">{stats.mrmc.note}</p> : null}
      {stats.mrmc.analyses.length ? (
        <table className="compact" data-testid="mrmc">
          <thead>
            <tr>
              <th>Test</th>
              <th>Readers</th>
              <th>Cases (real / synthetic)</th>
              <th>AUC</th>
              <th>{confPct} CI</th>
              <th>SE</th>
              <th>df (Hillis)</th>
              <th>p vs 0.5</th>
            </tr>
          </thead>
          <tbody>
            {stats.mrmc.analyses.map((a) => {
              const t = a.result?.tests[0];
              return (
                <tr key={`${a.scope}:${a.test}`} data-testid="mrmc-row">
                  <td>
                    {a.scope === 'all' ? 'all images' : a.scope === 'modality' ? `modality ${a.test}` : `generator ${a.test}`}
                  </td>
                  <td title={a.excludedReaders.length ? `left out (not crossed): ${a.excludedReaders.join(', ')}` : undefined}>{a.readers.length}</td>
                  <td>
                    {a.cases.real} / {a.cases.synthetic}
                  </td>
                  {t ? (
                    <>
                      <td>{fmt(t.auc, 3)}</td>
                      <td>{ci(t.ci)}</td>
                      <td>{fmt(t.se, 4)}</td>
                      <td>{fmt(t.df, 1)}</td>
                      <td>{pv(t.pValueVsNull)}</td>
                    </>
                  ) : (
                    <td colSpan={5} className="muted">
                      {a.note}
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
      <p className="muted small">
        Each analysis uses the largest fully crossed part of the answers (every included reader rated every included image). Generators are analysed each against the real images of their modality; comparing two generators formally needs the same cases under both, which a real-vs-synthetic study does not have.
      </p>

      <h2>Fool rate per synthetic image</h2>
      {stats.foolRate.length === 0 ? (
        <p className="muted">No synthetic image has a scored answer yet.</p>
      ) : (
        <table className="compact" data-testid="fool-rate">
          <thead>
            <tr>
              <th>Case</th>
              <th>Modality</th>
              <th>Label</th>
              <th>Resolution</th>
              <th>Generator</th>
              <th>Called real</th>
              <th>Fool rate</th>
            </tr>
          </thead>
          <tbody>
            {stats.foolRate.slice(0, FOOL_RATE_ROWS).map((f) => (
              <tr key={f.caseId} data-testid="fool-rate-row">
                <td>
                  <a href={`/api/studies/${study.id}/images/${f.imageId}`} target="_blank" rel="noreferrer">
                    {f.caseId}
                  </a>
                </td>
                <td>{f.modality}</td>
                <td>{f.label || '—'}</td>
                <td>{f.resolution}</td>
                <td>{f.checkpoint ?? '—'}</td>
                <td>
                  {f.calledReal} of {f.readers}
                </td>
                <td>{(100 * f.foolRate).toFixed(0)} %</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {stats.foolRate.length > FOOL_RATE_ROWS ? <p className="muted small">The {FOOL_RATE_ROWS} most convincing of {stats.foolRate.length}; the JSON export lists all.</p> : null}
      <p className="muted small">Computed {new Date(stats.generatedAt).toUTCString()}.</p>
    </div>
  );
}
