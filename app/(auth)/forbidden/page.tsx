import Link from 'next/link';

export default function ForbiddenPage() {
  return (
    <main className="page">
      <h1>403 — not for your role</h1>
      <p className="muted">Your account cannot open this page. <Link href="/">Go to your start page</Link>.</p>
    </main>
  );
}
