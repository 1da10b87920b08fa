import { redirect } from 'next/navigation';
import { currentUser, LANDING_BY_ROLE } from '@/lib/auth/guards';

export const dynamic = 'force-dynamic';

export default async function Home() {
  const user = await currentUser();
  redirect(user ? LANDING_BY_ROLE[user.role] : '/login');
}
