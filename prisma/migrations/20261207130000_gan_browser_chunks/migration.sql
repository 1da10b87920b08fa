-- CreateEnum
CREATE TYPE "GenerationChunkStatus" AS ENUM ('LEASED', 'DONE');

-- CreateTable
CREATE TABLE "GenerationChunk" (
    "id" TEXT NOT NULL,
    "jobId" TEXT NOT NULL,
    "start" INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    "status" "GenerationChunkStatus" NOT NULL DEFAULT 'LEASED',
    "leaseToken" TEXT,
    "leaseExpiresAt" TIMESTAMP(3),
    "leasedById" TEXT,
    "pixels" BYTEA,
    "backend" TEXT,
    "checkedBy" TEXT,
    "checkedIndices" INTEGER[],
    "maxDelta" INTEGER,
    "meanDelta" DOUBLE PRECISION,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "GenerationChunk_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "GenerationChunk_jobId_start_key" ON "GenerationChunk"("jobId", "start");
