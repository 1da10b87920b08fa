-- The dashboard (lib/dashboard/study-data.ts) reads each first answer as a packed DASHBOARD_ANSWER record
-- (lib/dashboard/answer-records.ts). Packing a million records and ranking the study's images by text id at
-- every load cost more than half of the load, so both happen once: each study image keeps its rank (its place
-- among the study's images in id order, the order the dashboard lists them in) and each first answer keeps its
-- record, packed by the answer's own trigger from the rank and the answer's fields.

-- A study's images are written once, in the transaction that opens it (lib/studies/store.ts openStudy), before any
-- answer exists; the ranks are (re)computed per statement for the studies it touched, and a study that already has
-- answers refuses new images (the stored records hold ranks).
ALTER TABLE "StudyImage" ADD COLUMN "rank" INTEGER;

CREATE FUNCTION "study_image_rank"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM "StudyAnswer" a WHERE a."studyId" IN (SELECT "studyId" FROM "added")) THEN
    RAISE EXCEPTION 'a study''s images cannot change once it has answers';
  END IF;
  UPDATE "StudyImage" si SET "rank" = ranked.k
    FROM (SELECT "studyId", "imageId", (row_number() OVER (PARTITION BY "studyId" ORDER BY "imageId") - 1)::int AS k
            FROM "StudyImage" WHERE "studyId" IN (SELECT "studyId" FROM "added")) ranked
   WHERE si."studyId" = ranked."studyId" AND si."imageId" = ranked."imageId" AND si."rank" IS DISTINCT FROM ranked.k;
  RETURN NULL;
END
$$;

CREATE TRIGGER "StudyImage_rank" AFTER INSERT ON "StudyImage"
  REFERENCING NEW TABLE AS "added" FOR EACH STATEMENT EXECUTE FUNCTION "study_image_rank"();

UPDATE "StudyImage" si SET "rank" = ranked.k
  FROM (SELECT "studyId", "imageId", (row_number() OVER (PARTITION BY "studyId" ORDER BY "imageId") - 1)::int AS k FROM "StudyImage") ranked
 WHERE si."studyId" = ranked."studyId" AND si."imageId" = ranked."imageId";

-- NULL only for an answer whose image is not among its study's images (openStudy never makes one); the dashboard
-- leaves such answers out, as its join by image id did before.
ALTER TABLE "StudyAnswer" ADD COLUMN "record" BYTEA;

-- The copy, as in migration study_answer_export, plus the record; still one statement per inserted batch of answers.
CREATE OR REPLACE FUNCTION "study_answer_copy"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "StudyAnswer" ("responseId", "studyId", "assignmentId", "imageId", "phase", "isRepeat", "call", "confidence", "clientMs", "serverMs", "createdAt",
                             "position", "block", "firstServedAt", "telemetry", "record")
  SELECT r.id, a."studyId", i."assignmentId", i."imageId", i.phase, i."isRepeat", r.call, r.confidence, r."clientMs", r."serverMs", r."createdAt",
         i.position, i.block, i."firstServedAt", r.telemetry::text,
         int4send((si."rank")::int4)
          || int4send(((CASE WHEN r.call = 'SYNTHETIC' THEN 1 ELSE 0 END)
                 | (CASE WHEN i.phase = 'PRACTICE' THEN 2 ELSE 0 END)
                 | (CASE WHEN i."isRepeat" THEN 4 ELSE 0 END)
                 | (CASE WHEN r.call IS NULL THEN 0 ELSE 8 END)
                 | (CASE WHEN r.confidence IS NULL THEN 0 ELSE (r.confidence + 65536) << 4 END))::int4)
          || int4send((coalesce(r."clientMs", -1))::int4)
          || int4send((coalesce(r."serverMs", -1))::int4)
          || float8send((r.id)::float8)
    FROM "added" r
    JOIN "AssignmentItem" i ON i.id = r."itemId"
    JOIN "Assignment" a ON a.id = i."assignmentId"
    LEFT JOIN "StudyImage" si ON si."studyId" = a."studyId" AND si."imageId" = i."imageId"
   WHERE r.revision = 0;
  RETURN NULL;
END
$$;

-- Refilled rather than updated in place, so the table is not left with a dead copy of every row.
TRUNCATE "StudyAnswer";
INSERT INTO "StudyAnswer" ("responseId", "studyId", "assignmentId", "imageId", "phase", "isRepeat", "call", "confidence", "clientMs", "serverMs", "createdAt",
                           "position", "block", "firstServedAt", "telemetry", "record")
SELECT r.id, a."studyId", i."assignmentId", i."imageId", i.phase, i."isRepeat", r.call, r.confidence, r."clientMs", r."serverMs", r."createdAt",
       i.position, i.block, i."firstServedAt", r.telemetry::text,
         int4send((si."rank")::int4)
          || int4send(((CASE WHEN r.call = 'SYNTHETIC' THEN 1 ELSE 0 END)
                 | (CASE WHEN i.phase = 'PRACTICE' THEN 2 ELSE 0 END)
                 | (CASE WHEN i."isRepeat" THEN 4 ELSE 0 END)
                 | (CASE WHEN r.call IS NULL THEN 0 ELSE 8 END)
                 | (CASE WHEN r.confidence IS NULL THEN 0 ELSE (r.confidence + 65536) << 4 END))::int4)
          || int4send((coalesce(r."clientMs", -1))::int4)
          || int4send((coalesce(r."serverMs", -1))::int4)
          || float8send((r.id)::float8)
  FROM "Response" r
  JOIN "AssignmentItem" i ON i.id = r."itemId"
  JOIN "Assignment" a ON a.id = i."assignmentId"
  LEFT JOIN "StudyImage" si ON si."studyId" = a."studyId" AND si."imageId" = i."imageId"
 WHERE r.revision = 0
 ORDER BY i."assignmentId", i.position;
