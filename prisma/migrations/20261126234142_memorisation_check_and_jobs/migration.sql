-- AlterTable
ALTER TABLE "Image" ADD COLUMN     "releasedAt" TIMESTAMP(3),
ADD COLUMN     "similarityCheckedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Job" ADD COLUMN     "attempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "batchId" TEXT,
ADD COLUMN     "heartbeatAt" TIMESTAMP(3),
ADD COLUMN     "message" TEXT,
ADD COLUMN     "queueJobId" TEXT,
ADD COLUMN     "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- Edited by hand: give rows that already exist a queue id before the column becomes required.
UPDATE "Job" SET "queueJobId" = gen_random_uuid()::text WHERE "queueJobId" IS NULL;
ALTER TABLE "Job" ALTER COLUMN "queueJobId" SET NOT NULL;

-- CreateTable
CREATE TABLE "SimilarityMatch" (
    "id" TEXT NOT NULL,
    "imageId" TEXT NOT NULL,
    "rank" INTEGER NOT NULL,
    "realImageId" TEXT,
    "trainingSet" TEXT,
    "trainingIndex" INTEGER,
    "pearson" DOUBLE PRECISION NOT NULL,
    "ssim" DOUBLE PRECISION NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SimilarityMatch_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "SimilarityMatch_realImageId_idx" ON "SimilarityMatch"("realImageId");

-- CreateIndex
CREATE UNIQUE INDEX "SimilarityMatch_imageId_rank_key" ON "SimilarityMatch"("imageId", "rank");

-- CreateIndex
CREATE UNIQUE INDEX "Job_queueJobId_key" ON "Job"("queueJobId");

-- CreateIndex
CREATE INDEX "Job_batchId_idx" ON "Job"("batchId");

-- AddForeignKey
ALTER TABLE "SimilarityMatch" ADD CONSTRAINT "SimilarityMatch_imageId_fkey" FOREIGN KEY ("imageId") REFERENCES "Image"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SimilarityMatch" ADD CONSTRAINT "SimilarityMatch_realImageId_fkey" FOREIGN KEY ("realImageId") REFERENCES "Image"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Job" ADD CONSTRAINT "Job_batchId_fkey" FOREIGN KEY ("batchId") REFERENCES "Batch"("id") ON DELETE SET NULL ON UPDATE CASCADE;
