import type { Prisma } from '@/lib/generated/prisma/client';
import { getPrisma } from '@/lib/db/client';

type Db = Pick<ReturnType<typeof getPrisma>, 'auditEvent'>;

/** Who did what to which object, with the state before and after; written for every coordinator and admin action. */
export async function audit(
  event: {
    actorId: string | null;
    action: string;
    targetType?: string;
    targetId?: string;
    before?: Prisma.InputJsonValue;
    after?: Prisma.InputJsonValue;
  },
  db: Db = getPrisma(),
): Promise<void> {
  await db.auditEvent.create({ data: event });
}
