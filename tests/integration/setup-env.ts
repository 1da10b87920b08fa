import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

process.env.DATABASE_URL = inject('databaseUrl');
process.env.DATA_DIR ??= '.data/test';
