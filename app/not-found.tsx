import Link from 'next/link';

export default function NotFound() {
  return (
    <main className="page">
      <h1>404 — not found</h1>
      <p className="muted">
        There is nothing at this address. <Link href="/">Go to your start page</Link>.
      </p>
    </main>
  );
}
