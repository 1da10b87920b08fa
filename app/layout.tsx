import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { AppHeader } from '@/components/ui/app-header';
import './globals.css';

export const metadata: Metadata = {
  title: 'Reader study',
  description: 'Visual Turing tests for synthetic medical images',
  referrer: 'no-referrer',
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
