-- AlterTable
ALTER TABLE "Assignment" ADD COLUMN     "briefedAt" TIMESTAMP(3);
