'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';

/**
 * Keeps a server-rendered dashboard live: polls a small version stamp every few seconds and
 * re-renders the page on the server when it moved (an answer was stored, the study changed), so
 * the statistics and SVG plots are recomputed there, never in the browser.
 */
export function LiveRefresh({ studyId, version, intervalMs = 3000 }: { studyId: string; version: string; intervalMs?: number }) {
  const router = useRouter();
  const seen = useRef(version);
  const [checkedAt, setCheckedAt] = useState<string | null>(null);
  useEffect(() => {
    seen.current = version;
  }, [version]);
  useEffect(() => {
    const timer = setInterval(async () => {
      try {
        const response = await fetch(`/api/studies/${studyId}/dashboard?view=progress`, { cache: 'no-store' });
        if (!response.ok) return;
        const { version: latest } = await response.json();
        setCheckedAt(new Date().toLocaleTimeString());
        if (latest !== seen.current) router.refresh();
        seen.current = latest;
      } catch {
        // offline for a moment: try again at the next tick
      }
    }, intervalMs);
    return () => clearInterval(timer);
  }, [studyId, intervalMs, router]);
  return (
    <span className="muted small" data-testid="live">
      Live{checkedAt ? ` · checked ${checkedAt}` : ''}
    </span>
  );
}
