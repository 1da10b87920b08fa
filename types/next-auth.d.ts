import type { DefaultSession } from 'next-auth';

type AppRole = 'READER' | 'COORDINATOR' | 'ADMIN';

declare module 'next-auth' {
  interface User {
    id: string;
    role: AppRole;
    sessionVersion: number;
    mustChangePassword: boolean;
  }
  interface Session {
    user: { id: string; role: AppRole; mustChangePassword: boolean } & DefaultSession['user'];
    sessionVersion: number;
  }
}

declare module 'next-auth/jwt' {
  interface JWT {
    uid: string;
    role: AppRole;
    sessionVersion: number;
    mustChangePassword: boolean;
  }
}
