-- AlterTable
ALTER TABLE "Checkpoint" ADD COLUMN     "byteSize" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "createdById" TEXT;

-- CreateTable
CREATE TABLE "CheckpointBlob" (
    "storageKey" TEXT NOT NULL,
    "bytes" BYTEA NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CheckpointBlob_pkey" PRIMARY KEY ("storageKey")
);
