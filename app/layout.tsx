import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { AppHeader } from '@/components/ui/app-header';
import './globals.css';

export const metadata: Metadata = {
  title: 'Reader study',
  description: 'Visual Turing tests for synthetic medical images',
  referrer: 'no-referrer',
  // A study app is not for search engines (public/robots.txt says the same to crawlers).
  robots: { index: false, follow: false },
  icons: { icon: [{ url: '/favicon.ico', sizes: '16x16 32x32 48x48' }, { url: '/icon.svg', type: 'image/svg+xml' }], apple: '/apple-touch-icon.png' },
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <AppHeader />
        {children}
      </body>
    </html>
  );
}
