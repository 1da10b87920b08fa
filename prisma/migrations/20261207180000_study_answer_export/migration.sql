-- The answers CSV (lib/exports/store.ts) reads a reader's answers in position order from "StudyAnswer" alone:
-- a range of the index below, with no per-answer lookup of "Response" or "AssignmentItem". So the copy also
-- holds the item's position, block and first-served time and the response's telemetry, as the text the CSV
-- writes (jsonb's text form, so no conversion per answer at export time). Items do not change
-- these fields once served (firstServedAt is set when the image is first served, before its answer).

ALTER TABLE "StudyAnswer"
  ADD COLUMN "position" INTEGER NOT NULL DEFAULT 0,
  ADD COLUMN "block" INTEGER NOT NULL DEFAULT 0,
  ADD COLUMN "firstServedAt" TIMESTAMP(3),
  ADD COLUMN "telemetry" TEXT;
ALTER TABLE "StudyAnswer" ALTER COLUMN "position" DROP DEFAULT, ALTER COLUMN "block" DROP DEFAULT;

-- Refilled rather than updated in place, so the table is not left with a dead copy of every row.
TRUNCATE "StudyAnswer";
INSERT INTO "StudyAnswer" ("responseId", "studyId", "assignmentId", "imageId", "phase", "isRepeat", "call", "confidence", "clientMs", "serverMs", "createdAt",
                           "position", "block", "firstServedAt", "telemetry")
SELECT r.id, a."studyId", i."assignmentId", i."imageId", i.phase, i."isRepeat", r.call, r.confidence, r."clientMs", r."serverMs", r."createdAt",
       i.position, i.block, i."firstServedAt", r.telemetry::text
  FROM "Response" r
  JOIN "AssignmentItem" i ON i.id = r."itemId"
  JOIN "Assignment" a ON a.id = i."assignmentId"
 WHERE r.revision = 0
 ORDER BY i."assignmentId", i.position;

-- CreateIndex
CREATE UNIQUE INDEX "StudyAnswer_assignmentId_position_key" ON "StudyAnswer"("assignmentId", "position");

CREATE OR REPLACE FUNCTION "study_answer_copy"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "StudyAnswer" ("responseId", "studyId", "assignmentId", "imageId", "phase", "isRepeat", "call", "confidence", "clientMs", "serverMs", "createdAt",
                             "position", "block", "firstServedAt", "telemetry")
  SELECT r.id, a."studyId", i."assignmentId", i."imageId", i.phase, i."isRepeat", r.call, r.confidence, r."clientMs", r."serverMs", r."createdAt",
         i.position, i.block, i."firstServedAt", r.telemetry::text
    FROM "added" r
    JOIN "AssignmentItem" i ON i.id = r."itemId"
    JOIN "Assignment" a ON a.id = i."assignmentId"
   WHERE r.revision = 0;
  RETURN NULL;
END
$$;
