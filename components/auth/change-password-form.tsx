'use client';
import { signIn } from 'next-auth/react';
import { useState, type FormEvent } from 'react';

/** After a change every session of the account ends, this one included; it signs in again with the new password. */
export function ChangePasswordForm({ email }: { email: string }) {
  const [error, setError] = useState<string | null>(null);
  const [isDone, setDone] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(null);
    const form = new FormData(event.currentTarget);
    const newPassword = String(form.get('newPassword') ?? '');
    if (newPassword !== form.get('confirm')) {
      setError('The two new passwords differ.');
      return;
    }
    const response = await fetch('/api/account/password', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ currentPassword: form.get('currentPassword'), newPassword }),
    });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) {
      setError(data.error ?? 'The password could not be changed.');
      return;
    }
    await signIn('credentials', { email, password: newPassword, redirect: false });
    setDone(true);
  }

  if (isDone) return <p role="status">Password changed. Other sessions of your account have been signed out.</p>;
  return (
    <form className="stack" onSubmit={onSubmit} aria-label="Change password">
      <label>
        Current password
        <input name="currentPassword" type="password" autoComplete="current-password" required />
      </label>
      <label>
        New password (at least 10 characters)
        <input name="newPassword" type="password" autoComplete="new-password" required minLength={10} />
      </label>
      <label>
        New password again
        <input name="confirm" type="password" autoComplete="new-password" required minLength={10} />
      </label>
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
      <button type="submit">Change password</button>
    </form>
  );
}
