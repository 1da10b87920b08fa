-- CreateTable
CREATE TABLE "StudyAnswer" (
    "responseId" BIGINT NOT NULL,
    "studyId" TEXT NOT NULL,
    "assignmentId" TEXT NOT NULL,
    "imageId" TEXT NOT NULL,
    "phase" "Phase" NOT NULL,
    "isRepeat" BOOLEAN NOT NULL,
    "call" "Call",
    "confidence" INTEGER,
    "clientMs" INTEGER,
    "serverMs" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "StudyAnswer_pkey" PRIMARY KEY ("responseId")
);

-- CreateIndex
CREATE INDEX "StudyAnswer_studyId_idx" ON "StudyAnswer"("studyId");

-- AddForeignKey
ALTER TABLE "StudyAnswer" ADD CONSTRAINT "StudyAnswer_responseId_fkey" FOREIGN KEY ("responseId") REFERENCES "Response"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Every first answer (revision 0) is copied, in the answer's own transaction, with its item's image, phase and
-- repeat flag and its assignment's study. Statement-level, so a batch of answers is one insert. Answers are
-- append-only and items do not change these fields once served; a deleted answer takes its copy with it
-- (the foreign key above).
CREATE FUNCTION "study_answer_copy"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "StudyAnswer" ("responseId", "studyId", "assignmentId", "imageId", "phase", "isRepeat", "call", "confidence", "clientMs", "serverMs", "createdAt")
  SELECT r.id, a."studyId", i."assignmentId", i."imageId", i.phase, i."isRepeat", r.call, r.confidence, r."clientMs", r."serverMs", r."createdAt"
    FROM "added" r
    JOIN "AssignmentItem" i ON i.id = r."itemId"
    JOIN "Assignment" a ON a.id = i."assignmentId"
   WHERE r.revision = 0;
  RETURN NULL;
END
$$;

CREATE TRIGGER "Response_copy_answer" AFTER INSERT ON "Response"
  REFERENCING NEW TABLE AS "added" FOR EACH STATEMENT EXECUTE FUNCTION "study_answer_copy"();

INSERT INTO "StudyAnswer" ("responseId", "studyId", "assignmentId", "imageId", "phase", "isRepeat", "call", "confidence", "clientMs", "serverMs", "createdAt")
SELECT r.id, a."studyId", i."assignmentId", i."imageId", i.phase, i."isRepeat", r.call, r.confidence, r."clientMs", r."serverMs", r."createdAt"
  FROM "Response" r
  JOIN "AssignmentItem" i ON i.id = r."itemId"
  JOIN "Assignment" a ON a.id = i."assignmentId"
 WHERE r.revision = 0;
