-- CreateTable
CREATE TABLE "StudyTeamMember" (
    "studyId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StudyTeamMember_pkey" PRIMARY KEY ("studyId","userId")
);

-- CreateIndex
CREATE INDEX "StudyTeamMember_userId_idx" ON "StudyTeamMember"("userId");

-- AddForeignKey
ALTER TABLE "StudyTeamMember" ADD CONSTRAINT "StudyTeamMember_studyId_fkey" FOREIGN KEY ("studyId") REFERENCES "Study"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StudyTeamMember" ADD CONSTRAINT "StudyTeamMember_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
