import { redirect } from 'next/navigation';
import { LoginForm } from '@/components/auth/login-form';
import { safeCallbackPath } from '@/lib/auth/callback-url';
import { currentUser, LANDING_BY_ROLE } from '@/lib/auth/guards';

export const dynamic = 'force-dynamic';

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  const user = await currentUser();
  if (user) redirect(LANDING_BY_ROLE[user.role]);
  const { callbackUrl } = await searchParams;
  return (
    <main className="page">
      <div className="card login-box">
        <h1>Sign in</h1>
        <LoginForm callbackUrl={safeCallbackPath(callbackUrl)} />
      </div>
    </main>
  );
}
