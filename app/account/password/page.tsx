import { ChangePasswordForm } from '@/components/auth/change-password-form';
import { requirePageRole } from '@/lib/auth/guards';

export const dynamic = 'force-dynamic';

export default async function ChangePasswordPage() {
  const me = await requirePageRole(['READER', 'COORDINATOR', 'ADMIN'], '/account/password');
  return (
    <main className="page">
      <div className="card login-box">
        <h1>Change password</h1>
        {me.mustChangePassword ? <p className="notice">Choose your own password before you go on.</p> : null}
        <ChangePasswordForm email={me.email} />
      </div>
    </main>
  );
}
