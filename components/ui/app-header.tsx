import Link from 'next/link';
import { currentUser } from '@/lib/auth/guards';
import { SignOutButton } from '@/components/auth/sign-out-button';

const NAV: Record<string, Array<{ href: string; label: string }>> = {
  READER: [{ href: '/read', label: 'My studies' }],
  COORDINATOR: [{ href: '/studies', label: 'Studies' }],
  ADMIN: [
    { href: '/admin', label: 'Pools' },
    { href: '/admin/quarantine', label: 'Quarantine' },
    { href: '/admin/users', label: 'Users' },
    { href: '/admin/checkpoints', label: 'Checkpoints' },
    { href: '/studies', label: 'Studies' },
  ],
};

/** Server component: the signed-in user's navigation; nothing for anonymous visitors. */
export async function AppHeader() {
  const user = await currentUser().catch(() => null);
  return (
    <header className="app-header">
      <Link className="brand" href="/">
        Reader study
      </Link>
      <nav>
        {(user ? NAV[user.role] : []).map((item) => (
          <Link key={item.href} href={item.href}>
            {item.label}
          </Link>
        ))}
      </nav>
      {user ? (
        <div className="row">
          <span className="who" data-testid="who">
            {user.name} · {user.role.toLowerCase()}
          </span>
          <Link href="/account/password" className="muted">
            Password
          </Link>
          <SignOutButton />
        </div>
      ) : null}
    </header>
  );
}
