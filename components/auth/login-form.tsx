'use client';
import { signIn } from 'next-auth/react';
import { useState, type FormEvent } from 'react';
import { safeCallbackPath } from '@/lib/auth/callback-url';

export function LoginForm({ callbackUrl }: { callbackUrl: string | null }) {
  const [error, setError] = useState<string | null>(null);
  const [isBusy, setBusy] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const form = new FormData(event.currentTarget);
    const result = await signIn('credentials', {
      email: String(form.get('email') ?? ''),
      password: String(form.get('password') ?? ''),
      redirect: false,
    });
    if (!result || result.error) {
      setError(result?.error && result.error !== 'CredentialsSignin' ? result.error : 'Wrong e-mail or password.');
      setBusy(false);
      return;
    }
    window.location.assign(safeCallbackPath(callbackUrl));
  }

  return (
    <form className="stack" onSubmit={onSubmit} aria-label="Sign in">
      <label>
        E-mail
        <input name="email" type="email" autoComplete="username" required autoFocus aria-invalid={error ? true : undefined} aria-describedby={error ? 'login-error' : undefined} />
      </label>
      <label>
        Password
        <input name="password" type="password" autoComplete="current-password" required aria-invalid={error ? true : undefined} aria-describedby={error ? 'login-error' : undefined} />
      </label>
      {error ? (
        <p className="error" role="alert" id="login-error">
          {error}
        </p>
      ) : null}
      <button type="submit" disabled={isBusy}>
        {isBusy ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
