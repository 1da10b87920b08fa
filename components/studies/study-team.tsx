'use client';
import { useState, type FormEvent } from 'react';
import type { StudyTeam } from '@/lib/studies/team';

/** The study's owner and team; the owner or an admin adds and removes coordinators by e-mail. */
export function StudyTeamPanel({ studyId, initial }: { studyId: string; initial: StudyTeam }) {
  const [team, setTeam] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const [isBusy, setBusy] = useState(false);

  async function change(method: 'POST' | 'DELETE', email: string): Promise<boolean> {
    setBusy(true);
    setError(null);
    const response = await fetch(`/api/studies/${studyId}/team`, { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email }) });
    const body = await response.json().catch(() => ({}));
    setBusy(false);
    if (!response.ok) {
      setError(body.error ?? `Refused (${response.status}).`);
      return false;
    }
    setTeam(body as StudyTeam);
    return true;
  }

  async function onAdd(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    if (await change('POST', String(new FormData(form).get('email') ?? ''))) form.reset();
  }

  return (
    <section aria-label="Team" className="stack" data-testid="study-team">
      <h2>Team</h2>
      <p className="muted small">Only the owner, the team and admins see this study.</p>
      <ul>
        <li>
          {team.owner ? `${team.owner.name} (${team.owner.email})` : 'No owner (created by the system)'} — owner
        </li>
        {team.members.map((member) => (
          <li key={member.id}>
            {member.name} ({member.email})
            {team.canManage ? (
              <button type="button" className="secondary small" disabled={isBusy} onClick={() => void change('DELETE', member.email)}>
                Remove
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      {team.canManage ? (
        <form className="row" onSubmit={onAdd} aria-label="Add a coordinator">
          <label>
            Coordinator's e-mail
            <input name="email" type="email" required />
          </label>
          <button type="submit" disabled={isBusy}>
            Add to team
          </button>
        </form>
      ) : null}
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
    </section>
  );
}
