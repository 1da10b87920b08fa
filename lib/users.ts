import { z } from 'zod';
import { audit } from '@/lib/audit';
import { getPrisma } from '@/lib/db/client';
import { generatePassword, hashPassword, passwordProblem, verifyPassword } from '@/lib/auth/passwords';
import { ConflictError, InvalidInputError, NotFoundError } from '@/lib/errors';

export const roleSchema = z.enum(['READER', 'COORDINATOR', 'ADMIN']);

export const createUserSchema = z.object({
  email: z.string().trim().toLowerCase().email('Enter a valid e-mail address.'),
  name: z.string().trim().min(1, 'Enter a name.').max(200),
  role: roleSchema,
});

export const updateUserSchema = z.union([
  z.object({ action: z.literal('disable') }),
  z.object({ action: z.literal('enable') }),
  z.object({ action: z.literal('reset-password') }),
]);

export const changePasswordSchema = z.object({
  currentPassword: z.string().min(1, 'Enter your current password.'),
  newPassword: z.string(),
});

const publicFields = {
  id: true,
  email: true,
  name: true,
  role: true,
  isDisabled: true,
  mustChangePassword: true,
  createdAt: true,
} as const;

export function listUsers() {
  return getPrisma().user.findMany({ select: publicFields, orderBy: [{ role: 'asc' }, { email: 'asc' }] });
}

/** Creates an account with a temporary password that the person must change at first login. */
export async function createUser(actorId: string, input: z.infer<typeof createUserSchema>) {
  const prisma = getPrisma();
  const existing = await prisma.user.findUnique({ where: { email: input.email } });
  if (existing) throw new ConflictError(`An account for ${input.email} already exists.`);
  const temporaryPassword = generatePassword();
  const user = await prisma.user.create({
    data: { ...input, passwordHash: await hashPassword(temporaryPassword), mustChangePassword: true },
    select: publicFields,
  });
  await audit({ actorId, action: 'user.create', targetType: 'User', targetId: user.id, after: { email: user.email, role: user.role } });
  return { user, temporaryPassword };
}

/** Disable, enable or reset a password. Disabling and resets end the user's sessions (sessionVersion). */
export async function updateUser(actorId: string, userId: string, change: z.infer<typeof updateUserSchema>) {
  const prisma = getPrisma();
  const user = await prisma.user.findUnique({ where: { id: userId } });
  if (!user) throw new NotFoundError('No such user.');
  if (user.id === actorId && change.action === 'disable') throw new InvalidInputError('You cannot disable your own account.');
  let temporaryPassword: string | undefined;
  const data =
    change.action === 'disable'
      ? { isDisabled: true, sessionVersion: { increment: 1 } }
      : change.action === 'enable'
        ? { isDisabled: false }
        : await (async () => {
            temporaryPassword = generatePassword();
            return {
              passwordHash: await hashPassword(temporaryPassword),
              mustChangePassword: true,
              sessionVersion: { increment: 1 },
            };
          })();
  const updated = await prisma.user.update({ where: { id: userId }, data, select: publicFields });
  await audit({
    actorId,
    action: `user.${change.action}`,
    targetType: 'User',
    targetId: userId,
    before: { isDisabled: user.isDisabled },
    after: { isDisabled: updated.isDisabled },
  });
  return { user: updated, temporaryPassword };
}

/** A user changes their own password; every other session of theirs ends. Returns the new session version. */
export async function changeOwnPassword(userId: string, input: z.infer<typeof changePasswordSchema>) {
  const prisma = getPrisma();
  const user = await prisma.user.findUnique({ where: { id: userId } });
  if (!user) throw new NotFoundError('No such user.');
  if (!(await verifyPassword(input.currentPassword, user.passwordHash))) {
    throw new InvalidInputError('Your current password is not right.');
  }
  const problem = passwordProblem(input.newPassword);
  if (problem) throw new InvalidInputError(problem);
  if (input.newPassword === input.currentPassword) throw new InvalidInputError('Choose a password different from the current one.');
  await prisma.user.update({
    where: { id: userId },
    data: { passwordHash: await hashPassword(input.newPassword), mustChangePassword: false, sessionVersion: { increment: 1 } },
  });
  await audit({ actorId: userId, action: 'user.change-password', targetType: 'User', targetId: userId });
}
