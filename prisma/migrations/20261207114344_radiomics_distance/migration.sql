-- CreateTable
CREATE TABLE "RadiomicsDistance" (
    "id" TEXT NOT NULL,
    "poolId" TEXT,
    "checkpointId" TEXT,
    "modality" "Modality" NOT NULL,
    "frd" DOUBLE PRECISION NOT NULL,
    "precision" DOUBLE PRECISION NOT NULL,
    "recall" DOUBLE PRECISION NOT NULL,
    "k" INTEGER NOT NULL,
    "realCount" INTEGER NOT NULL,
    "syntheticCount" INTEGER NOT NULL,
    "featureCount" INTEGER NOT NULL,
    "analysisSide" INTEGER NOT NULL,
    "binWidth" DOUBLE PRECISION NOT NULL,
    "differences" JSONB NOT NULL,
    "jobId" TEXT,
    "computedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RadiomicsDistance_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "RadiomicsDistance_poolId_key" ON "RadiomicsDistance"("poolId");

-- CreateIndex
CREATE UNIQUE INDEX "RadiomicsDistance_checkpointId_key" ON "RadiomicsDistance"("checkpointId");

-- AddForeignKey
ALTER TABLE "RadiomicsDistance" ADD CONSTRAINT "RadiomicsDistance_poolId_fkey" FOREIGN KEY ("poolId") REFERENCES "Pool"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RadiomicsDistance" ADD CONSTRAINT "RadiomicsDistance_checkpointId_fkey" FOREIGN KEY ("checkpointId") REFERENCES "Checkpoint"("id") ON DELETE CASCADE ON UPDATE CASCADE;
