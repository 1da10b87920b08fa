'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useMemo, useRef, useState } from 'react';
import { DEFAULT_BRIEFING, safeParseStudyConfig, type StudyConfigInput } from '@/lib/studies/config';
import type { StudyTemplate } from '@/lib/studies/templates';
import type { DesignPreview, WizardPool, WizardReader } from '@/lib/studies/design';
import type { LeakAuditReport } from '@/lib/privacy/leak-audit/audit';
import { BriefingField } from './briefing-field';
import { LeakAuditPanel } from './leak-audit-panel';
import { PowerPanel } from './power-panel';

type Attribute = 'modality' | 'label' | 'resolution';

type Form = {
  name: string;
  description: string;
  poolIds: string[];
  readerIds: string[];
  strata: Attribute[];
  imagesPerReader: string;
  syntheticPercent: string;
  practiceItems: string;
  repeatedItems: string;
  confidenceMin: string;
  confidenceMax: string;
  maxRunLength: string;
  blockSize: string;
  allowBack: boolean;
  sameImagesForAllReaders: boolean;
  margin: string;
  alpha: string;
  leakAuditMaxAuc: string;
  /** Interim looks as percentages of the planned answers, e.g. "50, 75"; empty: none. */
  interimLooks: string;
  spending: 'obrien-fleming' | 'pocock';
  /** Resolution ladder: display sizes in pixels, e.g. "64, 128, 256"; empty: the pool's size. */
  ladderSizes: string;
  /** What readers are told the study asks; prefilled with the default. */
  briefing: string;
};

/** The form's own label for each setting that the study schema or the server names by its key. */
const FIELD_LABELS: Record<string, string> = {
  name: 'Name',
  description: 'Description',
  poolIds: 'Image pools',
  readerIds: 'Readers to invite',
  imagesPerReader: 'Images per reader',
  syntheticFraction: 'Synthetic share (%)',
  practiceItems: 'Practice items',
  repeatedItems: 'Repeated items',
  repeatMinGap: 'Gap before a repeat',
  confidenceScale: 'Confidence scale',
  'confidenceScale.min': 'Confidence scale from',
  'confidenceScale.max': 'Confidence scale to',
  maxRunLength: 'Longest run of one class',
  blockSize: 'Block size',
  margin: 'Equivalence margin',
  alpha: 'Alpha',
  'leakAudit.maxAuc': 'Leak audit limit',
  'strata.by': 'Strata',
  allowBack: 'Readers may go back',
  sameImagesForAllReaders: 'Same images for every reader',
  briefing: 'Reader briefing',
};

/** "maxRunLength: must be …" (schema and server) → "Longest run of one class: must be …". */
function inFormTerms(line: string): string {
  const match = /^([A-Za-z][\w.]*): ([\s\S]*)$/.exec(line);
  const label = match ? FIELD_LABELS[match[1]] : undefined;
  if (!match || !label) return line;
  // The form asks for a percentage; the schema's bounds are for the fraction.
  if (match[1] === 'syntheticFraction' && match[2] !== 'is required') return `${label}: must be more than 0 and less than 100 (a study needs both classes)`;
  // The schema says "leave it out for the default"; the form has a button for that.
  if (match[1] === 'briefing' && match[2].startsWith('must not be empty')) return `${label}: must not be empty (write what readers are asked, or use the default briefing)`;
  return `${label}: ${match[2]}`;
}

const NAME_MISSING = 'Name: give the study a name';

export type WizardInitial = { id: string; name: string; description: string; config: StudyConfigInput; poolIds: string[]; readerIds: string[] };

function formFromConfig(config: StudyConfigInput, base: Pick<Form, 'name' | 'description' | 'poolIds' | 'readerIds'>): Form {
  return {
    ...base,
    strata: [...(config.strata?.by ?? [])],
    imagesPerReader: String(config.imagesPerReader ?? 40),
    syntheticPercent: String(Math.round((config.syntheticFraction ?? 0.5) * 1000) / 10),
    practiceItems: String(config.practiceItems ?? 0),
    repeatedItems: String(config.repeatedItems ?? 0),
    confidenceMin: String(config.confidenceScale?.min ?? 1),
    confidenceMax: String(config.confidenceScale?.max ?? 5),
    maxRunLength: String(config.maxRunLength ?? 3),
    blockSize: config.blockSize === undefined ? '' : String(config.blockSize),
    allowBack: config.allowBack ?? false,
    sameImagesForAllReaders: config.sameImagesForAllReaders ?? true,
    margin: String(config.margin ?? 0.1),
    alpha: String(config.alpha ?? 0.05),
    leakAuditMaxAuc: config.leakAudit?.maxAuc === undefined ? '' : String(config.leakAudit.maxAuc),
    interimLooks: (config.interimLooks?.at ?? []).map((f) => String(Math.round(f * 1000) / 10)).join(', '),
    spending: config.interimLooks?.spending ?? 'obrien-fleming',
    ladderSizes: (config.ladder?.sizes ?? []).join(', '),
    briefing: config.briefing ?? DEFAULT_BRIEFING,
  };
}

/** The form as a study configuration; numbers left as typed so the schema names any mistake. */
function configFromForm(f: Form): Record<string, unknown> {
  const num = (s: string) => (s.trim() === '' ? undefined : Number(s));
  const config: Record<string, unknown> = {
    imagesPerReader: num(f.imagesPerReader),
    syntheticFraction: num(f.syntheticPercent) === undefined ? undefined : Number(f.syntheticPercent) / 100,
    practiceItems: num(f.practiceItems),
    repeatedItems: num(f.repeatedItems),
    confidenceScale: { min: num(f.confidenceMin), max: num(f.confidenceMax) },
    maxRunLength: num(f.maxRunLength),
    allowBack: f.allowBack,
    sameImagesForAllReaders: f.sameImagesForAllReaders,
    margin: num(f.margin),
    alpha: num(f.alpha),
  };
  if (f.strata.length) config.strata = { by: f.strata };
  // The default is left out, so the configuration (and its protocol hash) is the one a study without a briefing has.
  if (f.briefing.trim() !== DEFAULT_BRIEFING) config.briefing = f.briefing;
  if (f.blockSize.trim() !== '') config.blockSize = num(f.blockSize);
  const maxAuc = num(f.leakAuditMaxAuc);
  if (maxAuc !== undefined) config.leakAudit = { maxAuc };
  if (f.ladderSizes.trim() !== '') config.ladder = { sizes: f.ladderSizes.split(/[,;\s]+/).filter(Boolean).map(Number) };
  if (f.interimLooks.trim() !== '') {
    config.interimLooks = { at: f.interimLooks.split(/[,;\s]+/).filter(Boolean).map((p) => Number(p.replace('%', '')) / 100), spending: f.spending };
  }
  return config;
}

export function StudyWizard({
  pools,
  readers,
  templates,
  initial,
  storedAudit,
}: {
  pools: WizardPool[];
  readers: WizardReader[];
  templates: readonly StudyTemplate[];
  initial?: WizardInitial;
  /** The draft's last leak-audit report, kept with the study. */
  storedAudit?: LeakAuditReport | null;
}) {
  const router = useRouter();
  const [form, setForm] = useState<Form>(() =>
    formFromConfig(initial?.config ?? { imagesPerReader: 40, syntheticFraction: 0.5, maxRunLength: 3 }, {
      name: initial?.name ?? '',
      description: initial?.description ?? '',
      poolIds: initial?.poolIds ?? [],
      readerIds: initial?.readerIds ?? [],
    }),
  );
  const [templateNote, setTemplateNote] = useState<string | null>(null);
  const [preview, setPreview] = useState<(DesignPreview & { key: string }) | null>(null);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [audit, setAudit] = useState<LeakAuditReport | null>(storedAudit ?? null);
  const [isBusy, setBusy] = useState(false);
  // The name is flagged once the field is left (or on saving), and the flag clears as soon as it is filled in.
  const [isNameTouched, setNameTouched] = useState(false);
  const nameInput = useRef<HTMLInputElement>(null);
  const nameProblem = form.name.trim() === '' ? NAME_MISSING : null;

  const config = useMemo(() => configFromForm(form), [form]);
  const designKey = useMemo(() => JSON.stringify([config, form.poolIds, form.readerIds]), [config, form.poolIds, form.readerIds]);
  const parsed = useMemo(() => safeParseStudyConfig(config), [config]);
  const set = <K extends keyof Form>(key: K, value: Form[K]) => setForm((f) => ({ ...f, [key]: value }));
  const toggle = (key: 'poolIds' | 'readerIds' | 'strata', value: string) =>
    setForm((f) => ({ ...f, [key]: (f[key] as string[]).includes(value) ? (f[key] as string[]).filter((v) => v !== value) : [...(f[key] as string[]), value] }));

  // Live counts and problems from the server, a moment after the last change.
  useEffect(() => {
    const controller = new AbortController();
    const timer = setTimeout(async () => {
      try {
        const response = await fetch('/api/studies/design', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ config, poolIds: form.poolIds, readerIds: form.readerIds }),
          signal: controller.signal,
        });
        if (response.ok) setPreview({ ...(await response.json()), key: designKey });
      } catch {
        // aborted or offline: the next change asks again
      }
    }, 300);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [config, form.poolIds, form.readerIds, designKey]);

  function applyTemplate(id: string) {
    const template = templates.find((t) => t.id === id);
    if (!template) return;
    if (template.unsupported) {
      setTemplateNote(`${template.name}: ${template.unsupported}`);
      return;
    }
    setTemplateNote(`${template.name}: ${template.summary}`);
    setForm((f) => ({
      ...formFromConfig(template.config, { name: f.name, description: f.description, poolIds: f.poolIds, readerIds: f.readerIds }),
      briefing: template.config.briefing ?? f.briefing,
    }));
  }

  async function save(): Promise<string | null> {
    const body = { name: form.name, description: form.description, config, poolIds: form.poolIds, readerIds: form.readerIds };
    const response = await fetch(initial ? `/api/studies/${initial.id}` : '/api/studies', {
      method: initial ? 'PATCH' : 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    const result = await response.json().catch(() => ({}));
    if (!response.ok) {
      setMessage({ kind: 'error', text: (result.problems as string[] | undefined)?.map(inFormTerms).join('; ') ?? result.error ?? 'Could not save the study.' });
      return null;
    }
    return initial ? initial.id : result.id;
  }

  async function onSave(event: React.FormEvent) {
    event.preventDefault();
    if (nameProblem) {
      setNameTouched(true);
      nameInput.current?.focus();
      return;
    }
    setBusy(true);
    setMessage(null);
    const id = await save();
    setBusy(false);
    if (!id) return;
    setMessage({ kind: 'ok', text: 'Draft saved.' });
    if (!initial) router.push(`/studies/${id}`);
    else router.refresh();
  }

  async function onAudit() {
    if (!initial) return;
    setBusy(true);
    const id = await save();
    if (id) {
      const response = await fetch(`/api/studies/${id}/leak-audit`, { method: 'POST' });
      const result = await response.json();
      if (response.ok) setAudit(result.leakAudit);
      else setMessage({ kind: 'error', text: result.error });
    }
    setBusy(false);
  }

  async function onOpen() {
    if (!initial) return;
    if (nameProblem) {
      setNameTouched(true);
      nameInput.current?.focus();
      return;
    }
    setBusy(true);
    setMessage(null);
    const id = await save();
    if (!id) {
      setBusy(false);
      return;
    }
    const response = await fetch(`/api/studies/${id}/open`, { method: 'POST' });
    const result = await response.json().catch(() => ({}));
    setBusy(false);
    if (response.ok) {
      router.refresh();
      return;
    }
    if (result.leakAudit) setAudit(result.leakAudit);
    setMessage({ kind: 'error', text: result.error ?? 'The study could not be opened.' });
  }

  const problems = [
    ...(isNameTouched && nameProblem ? [nameProblem] : []),
    ...(parsed.ok ? [] : parsed.issues),
    ...(preview?.problems ?? []).filter((p) => parsed.ok || !parsed.issues.includes(p)),
  ];
  const uniqueProblems = [...new Set(problems.map(inFormTerms))];
  const imagesPerReader = Number(form.imagesPerReader) || 0;
  // Power only for a design that can run: valid settings and images the server confirmed for this very form.
  const designProblems = uniqueProblems.filter((p) => p !== NAME_MISSING && p !== 'Invite at least one reader.');
  const powerBlocked =
    designProblems.length > 0
      ? 'No power for an infeasible design: fix the problems listed first.'
      : preview?.key !== designKey
        ? 'Checking the design…'
        : null;

  return (
    <div className="wizard">
      <form className="stack card" onSubmit={onSave} aria-label="Study design" noValidate>
        <label>
          Template
          <select defaultValue="" onChange={(e) => applyTemplate(e.target.value)} aria-label="Template">
            <option value="">— start from a template —</option>
            {templates.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
                {t.unsupported ? ' (not yet supported)' : ''}
              </option>
            ))}
          </select>
        </label>
        {templateNote ? (
          <p className="notice" data-testid="template-note">
            {templateNote}
          </p>
        ) : null}
        <label>
          Name
          <input
            ref={nameInput}
            value={form.name}
            onChange={(e) => set('name', e.target.value)}
            onBlur={() => setNameTouched(true)}
            required
            maxLength={200}
            aria-invalid={isNameTouched && nameProblem ? true : undefined}
            aria-describedby={isNameTouched && nameProblem ? 'study-name-error' : undefined}
          />
        </label>
        {isNameTouched && nameProblem ? (
          <span className="error small" id="study-name-error" data-testid="name-error">
            Give the study a name.
          </span>
        ) : null}
        <label>
          Description
          <textarea value={form.description} onChange={(e) => set('description', e.target.value)} rows={2} />
        </label>

        <fieldset>
          <legend>Image pools</legend>
          {pools.length === 0 ? <p className="muted">No pools yet: an admin imports images first.</p> : null}
          {pools.map((p) => (
            <label key={p.id} className="check">
              <input type="checkbox" checked={form.poolIds.includes(p.id)} onChange={() => toggle('poolIds', p.id)} aria-label={`Pool ${p.key}`} />
              <span>
                {p.key} <span className="muted">({p.real} real, {p.synthetic} synthetic eligible)</span>
              </span>
            </label>
          ))}
        </fieldset>

        <fieldset>
          <legend>Strata (keep the real:synthetic ratio within each)</legend>
          <div className="row">
            {(['modality', 'label', 'resolution'] as const).map((a) => (
              <label key={a} className="check">
                <input type="checkbox" checked={form.strata.includes(a)} onChange={() => toggle('strata', a)} aria-label={`Stratify by ${a}`} />
                <span>{a}</span>
              </label>
            ))}
          </div>
          {preview && preview.strata.length > 0 ? (
            <table className="compact" data-testid="strata-table">
              <thead>
                <tr>
                  <th>Stratum</th>
                  <th>Eligible real</th>
                  <th>Eligible synthetic</th>
                  <th>Selected (real / synthetic)</th>
                </tr>
              </thead>
              <tbody>
                {preview.strata.map((s) => (
                  <tr key={s.key}>
                    <td>{s.label}</td>
                    <td>{s.real}</td>
                    <td>{s.synthetic}</td>
                    <td>{s.selectedReal === null ? '—' : `${s.selectedReal} / ${s.selectedSynthetic}`}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
          {preview ? (
            <p className="muted" data-testid="eligible-counts">
              Eligible: {preview.eligible.real} real, {preview.eligible.synthetic} synthetic (quarantined and retired images never count).
            </p>
          ) : null}
        </fieldset>

        <div className="grid two">
          <label>
            Images per reader
            <input type="number" min={1} value={form.imagesPerReader} onChange={(e) => set('imagesPerReader', e.target.value)} />
          </label>
          <label>
            Synthetic share (%)
            <input type="number" min={1} max={99} step={0.1} value={form.syntheticPercent} onChange={(e) => set('syntheticPercent', e.target.value)} />
          </label>
          <label>
            Practice items
            <input type="number" min={0} value={form.practiceItems} onChange={(e) => set('practiceItems', e.target.value)} />
          </label>
          <label>
            Repeated items
            <input type="number" min={0} value={form.repeatedItems} onChange={(e) => set('repeatedItems', e.target.value)} />
          </label>
          <label>
            Confidence scale from
            <input type="number" value={form.confidenceMin} onChange={(e) => set('confidenceMin', e.target.value)} />
          </label>
          <label>
            Confidence scale to
            <input type="number" value={form.confidenceMax} onChange={(e) => set('confidenceMax', e.target.value)} />
          </label>
          <label>
            Longest run of one class
            <input type="number" min={1} value={form.maxRunLength} onChange={(e) => set('maxRunLength', e.target.value)} />
          </label>
          <label>
            Block size (empty: one block)
            <input type="number" min={1} value={form.blockSize} onChange={(e) => set('blockSize', e.target.value)} />
          </label>
          <label>
            Equivalence margin (± around 0.5)
            <input type="number" step={0.01} min={0.01} max={0.49} value={form.margin} onChange={(e) => set('margin', e.target.value)} />
          </label>
          <label>
            Alpha
            <input type="number" step={0.005} min={0.001} max={0.5} value={form.alpha} onChange={(e) => set('alpha', e.target.value)} />
          </label>
          <label>
            Resolution ladder (display sizes in px, e.g. 64, 128, 256; empty: pool size)
            <input type="text" inputMode="numeric" placeholder="none" value={form.ladderSizes} onChange={(e) => set('ladderSizes', e.target.value)} />
          </label>
          <label>
            Interim looks (% of planned answers, e.g. 50, 75; empty: none)
            <input type="text" inputMode="decimal" placeholder="none" value={form.interimLooks} onChange={(e) => set('interimLooks', e.target.value)} />
          </label>
          <label>
            Alpha spending
            <select value={form.spending} onChange={(e) => set('spending', e.target.value as Form['spending'])}>
              <option value="obrien-fleming">O&apos;Brien–Fleming type (default)</option>
              <option value="pocock">Pocock type</option>
            </select>
          </label>
          <label>
            Limit on pixel-level AUC (empty: reported only)
            <input type="number" step={0.01} min={0.5} max={1} placeholder="none" value={form.leakAuditMaxAuc} onChange={(e) => set('leakAuditMaxAuc', e.target.value)} />
          </label>
        </div>
        <div className="row">
          <label className="check">
            <input type="checkbox" checked={form.allowBack} onChange={(e) => set('allowBack', e.target.checked)} />
            <span>Readers may go back</span>
          </label>
          <label className="check">
            <input type="checkbox" checked={form.sameImagesForAllReaders} onChange={(e) => set('sameImagesForAllReaders', e.target.checked)} />
            <span>Same images for every reader (needed for kappa and MRMC)</span>
          </label>
        </div>

        <BriefingField value={form.briefing} onChange={(value) => set('briefing', value)} />

        <fieldset>
          <legend>Readers to invite</legend>
          {readers.map((r) => (
            <label key={r.id} className="check">
              <input type="checkbox" checked={form.readerIds.includes(r.id)} onChange={() => toggle('readerIds', r.id)} aria-label={`Invite ${r.email}`} />
              <span>
                {r.name} <span className="muted">{r.email}</span>
              </span>
            </label>
          ))}
        </fieldset>

        {uniqueProblems.length > 0 ? (
          <div className="problems" role="alert" data-testid="problems">
            <strong>Before this study can open:</strong>
            <ul>
              {uniqueProblems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          </div>
        ) : audit && !audit.passed ? (
          <p className="error" data-testid="audit-blocks">
            The design is complete, but the last leak audit blocks opening: see its report below.
          </p>
        ) : (
          <p className="ok" data-testid="no-problems">
            The design is complete and feasible.
          </p>
        )}
        {preview?.warnings.length ? (
          <ul className="muted" data-testid="warnings">
            {preview.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        ) : null}
        {message ? (
          <p className={message.kind === 'ok' ? 'ok' : 'error'} role="status" data-testid="wizard-message">
            {message.text}
          </p>
        ) : null}
        <div className="row">
          <button type="submit" disabled={isBusy}>
            {initial ? 'Save draft' : 'Create draft'}
          </button>
          {initial ? (
            <>
              <button type="button" className="secondary" disabled={isBusy} onClick={onAudit}>
                Run leak audit
              </button>
              <button type="button" disabled={isBusy || uniqueProblems.length > 0} onClick={onOpen}>
                Open study
              </button>
            </>
          ) : null}
        </div>
        {audit ? <LeakAuditPanel report={audit} /> : null}
      </form>
      <PowerPanel imagesPerReader={imagesPerReader} readers={Math.max(1, form.readerIds.length)} alpha={Number(form.alpha)} margin={Number(form.margin)} blocked={powerBlocked} />
    </div>
  );
}
