import { UsersAdmin } from '@/components/admin/users-admin';
import { requirePageRole } from '@/lib/auth/guards';
import { listUsers } from '@/lib/users';

export const dynamic = 'force-dynamic';

export default async function UsersPage() {
  const me = await requirePageRole(['ADMIN'], '/admin/users');
  const users = await listUsers();
  return (
    <main className="page">
      <h1>Users</h1>
      <UsersAdmin
        meId={me.id}
        initialUsers={users.map((u) => ({ ...u, createdAt: u.createdAt.toISOString() }))}
      />
    </main>
  );
}
