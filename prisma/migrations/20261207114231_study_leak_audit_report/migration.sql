-- AlterTable
ALTER TABLE "Study" ADD COLUMN     "leakAudit" JSONB;
