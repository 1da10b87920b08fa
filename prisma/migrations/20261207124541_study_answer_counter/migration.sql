-- CreateTable
CREATE TABLE "StudyAnswerCounter" (
    "studyId" TEXT NOT NULL,
    "slot" SMALLINT NOT NULL,
    "changes" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "StudyAnswerCounter_pkey" PRIMARY KEY ("studyId","slot")
);

-- AddForeignKey
ALTER TABLE "StudyAnswerCounter" ADD CONSTRAINT "StudyAnswerCounter_studyId_fkey" FOREIGN KEY ("studyId") REFERENCES "Study"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Every stored or deleted answer adds to its study's counter, in the answer's own transaction, so the
-- sum over a study's slots moves exactly when that study's answers change (whatever order concurrent
-- transactions commit in). The slot follows the connection: concurrent answers rarely wait on one row.
-- Statement-level, so a batch of answers adds once per study.
CREATE FUNCTION "study_answer_counter_bump"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "StudyAnswerCounter" ("studyId", "slot", "changes")
  SELECT a."studyId", (pg_backend_pid() % 16)::smallint, count(*)
    FROM "changed" c
    JOIN "AssignmentItem" i ON i.id = c."itemId"
    JOIN "Assignment" a ON a.id = i."assignmentId"
    JOIN "Study" s ON s.id = a."studyId"
   GROUP BY a."studyId"
   ORDER BY a."studyId"
  ON CONFLICT ("studyId", "slot") DO UPDATE SET "changes" = "StudyAnswerCounter"."changes" + EXCLUDED."changes";
  RETURN NULL;
END
$$;

CREATE TRIGGER "Response_count_insert" AFTER INSERT ON "Response"
  REFERENCING NEW TABLE AS "changed" FOR EACH STATEMENT EXECUTE FUNCTION "study_answer_counter_bump"();
CREATE TRIGGER "Response_count_delete" AFTER DELETE ON "Response"
  REFERENCING OLD TABLE AS "changed" FOR EACH STATEMENT EXECUTE FUNCTION "study_answer_counter_bump"();

INSERT INTO "StudyAnswerCounter" ("studyId", "slot", "changes")
SELECT a."studyId", 0, count(*)
  FROM "Response" r JOIN "AssignmentItem" i ON i.id = r."itemId" JOIN "Assignment" a ON a.id = i."assignmentId"
 GROUP BY a."studyId";
