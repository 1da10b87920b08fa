'use client';
import { useState, type FormEvent } from 'react';

type UserRow = { id: string; email: string; name: string; role: string; isDisabled: boolean; mustChangePassword: boolean };

async function call(url: string, method: string, body: unknown) {
  const response = await fetch(url, { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(data.error ?? `Request failed (${response.status})`);
  return data;
}

export function UsersAdmin({ meId, initialUsers }: { meId: string; initialUsers: UserRow[] }) {
  const [users, setUsers] = useState(initialUsers);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  function replace(user: UserRow) {
    setUsers((list) => list.map((u) => (u.id === user.id ? user : u)));
  }

  async function onCreate(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    setError(null);
    try {
      const data = await call('/api/admin/users', 'POST', {
        email: form.get('email'),
        name: form.get('name'),
        role: form.get('role'),
      });
      setUsers((list) => [...list, data.user]);
      setMessage(`Created ${data.user.email}. Temporary password: ${data.temporaryPassword}`);
      formElement.reset();
    } catch (e) {
      setError((e as Error).message);
    }
  }

  async function act(user: UserRow, action: 'disable' | 'enable' | 'reset-password') {
    setError(null);
    try {
      const data = await call(`/api/admin/users/${user.id}`, 'PATCH', { action });
      replace(data.user);
      setMessage(
        action === 'reset-password'
          ? `Temporary password for ${user.email}: ${data.temporaryPassword}`
          : `${user.email} ${action === 'disable' ? 'disabled' : 're-enabled'}.`,
      );
    } catch (e) {
      setError((e as Error).message);
    }
  }

  return (
    <>
      {message ? (
        <p className="notice" role="status" data-testid="admin-message">
          {message}
        </p>
      ) : null}
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
      <table>
        <thead>
          <tr>
            <th>E-mail</th>
            <th>Name</th>
            <th>Role</th>
            <th>State</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {users.map((user) => (
            <tr key={user.id} data-email={user.email}>
              <td>{user.email}</td>
              <td>{user.name}</td>
              <td>{user.role.toLowerCase()}</td>
              <td>{user.isDisabled ? 'disabled' : user.mustChangePassword ? 'must change password' : 'active'}</td>
              <td className="row">
                {user.id === meId ? null : user.isDisabled ? (
                  <button type="button" className="secondary" onClick={() => act(user, 'enable')}>
                    Enable
                  </button>
                ) : (
                  <button type="button" className="danger" onClick={() => act(user, 'disable')}>
                    Disable
                  </button>
                )}
                <button type="button" className="secondary" onClick={() => act(user, 'reset-password')}>
                  Temporary password
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>New account</h2>
      <form className="stack card" onSubmit={onCreate} aria-label="New account">
        <label>
          E-mail
          <input name="email" type="email" required />
        </label>
        <label>
          Name
          <input name="name" required />
        </label>
        <label>
          Role
          <select name="role" defaultValue="READER">
            <option value="READER">Reader</option>
            <option value="COORDINATOR">Coordinator</option>
            <option value="ADMIN">Admin</option>
          </select>
        </label>
        <button type="submit">Create account</button>
      </form>
    </>
  );
}
