-- AlterTable
ALTER TABLE "Study" ADD COLUMN     "poolIds" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "readerIds" TEXT[] DEFAULT ARRAY[]::TEXT[];
