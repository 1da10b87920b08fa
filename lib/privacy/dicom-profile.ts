import crypto from 'node:crypto';
import type { DataSet } from 'dicom-parser';
import { readDicomHeader } from '@/lib/images';

/**
 * De-identification of DICOM input by the DICOM PS3.15 Annex E Basic Application Level Confidentiality
 * Profile (Table E.1-1). We never store a DICOM file: a pool holds only the canonical PNG of the pixels. So
 * the profile is applied as an allowlist — the output keeps what rendering needs (rows, columns, bits,
 * photometric interpretation, rescale, window, modality, transfer syntax), replaces the study, series,
 * instance and frame-of-reference UIDs consistently (keyed hash, `2.25.<decimal>`), and removes every other
 * attribute, private tags included. The removed values are stored nowhere; only the names of the removed
 * attributes are listed (and only their count is kept with the image).
 *
 * One thing the profile cannot do from the header: text burned into the pixels. Files that say so
 * (BurnedInAnnotation = YES) are refused by the importer; the Clean Pixel Data option is not implemented.
 */
export const PROFILE_NAME = 'DICOM PS3.15 E.1 Basic Application Level Confidentiality Profile';

export type ProfileAction = 'K' | 'U' | 'D' | 'Z' | 'X';
export type RemovedAttribute = { tag: string; name: string; action: Exclude<ProfileAction, 'K' | 'U'> | 'private' | 'not needed' };

export interface RetainedAttributes {
  Modality?: string;
  TransferSyntaxUID?: string;
  Rows?: number;
  Columns?: number;
  SamplesPerPixel?: number;
  PhotometricInterpretation?: string;
  BitsAllocated?: number;
  BitsStored?: number;
  HighBit?: number;
  PixelRepresentation?: number;
  RescaleSlope?: number;
  RescaleIntercept?: number;
  RescaleType?: string;
  WindowCenter?: number;
  WindowWidth?: number;
}

export interface DeidentifiedDicom {
  profile: typeof PROFILE_NAME;
  /** (0012,0062) Patient Identity Removed. */
  patientIdentityRemoved: 'YES';
  retained: RetainedAttributes;
  /** Replaced UIDs, keyed by attribute name: the same input UID and key always give the same replacement. */
  uids: Record<string, string>;
  /** Names of the removed attributes (never their values). */
  removed: RemovedAttribute[];
  /** (0028,0301) Burned In Annotation = YES: identifying text may be in the pixels themselves. */
  hasBurnedInAnnotation: boolean;
}

/** Attributes that Table E.1-1 lists, by tag (group+element, upper-case hex), with the action we take. */
const TABLE_E1_1: Record<string, [name: string, action: ProfileAction]> = {
  '00020003': ['MediaStorageSOPInstanceUID', 'U'],
  '00080012': ['InstanceCreationDate', 'X'],
  '00080013': ['InstanceCreationTime', 'X'],
  '00080014': ['InstanceCreatorUID', 'U'],
  '00080018': ['SOPInstanceUID', 'U'],
  '00080020': ['StudyDate', 'Z'],
  '00080021': ['SeriesDate', 'X'],
  '00080022': ['AcquisitionDate', 'X'],
  '00080023': ['ContentDate', 'Z'],
  '00080024': ['OverlayDate', 'X'],
  '00080025': ['CurveDate', 'X'],
  '0008002A': ['AcquisitionDateTime', 'X'],
  '00080030': ['StudyTime', 'Z'],
  '00080031': ['SeriesTime', 'X'],
  '00080032': ['AcquisitionTime', 'X'],
  '00080033': ['ContentTime', 'Z'],
  '00080050': ['AccessionNumber', 'Z'],
  '00080080': ['InstitutionName', 'X'],
  '00080081': ['InstitutionAddress', 'X'],
  '00080090': ['ReferringPhysicianName', 'Z'],
  '00080092': ['ReferringPhysicianAddress', 'X'],
  '00080094': ['ReferringPhysicianTelephoneNumbers', 'X'],
  '00080096': ['ReferringPhysicianIdentificationSequence', 'X'],
  '00081010': ['StationName', 'X'],
  '00081030': ['StudyDescription', 'X'],
  '0008103E': ['SeriesDescription', 'X'],
  '00081040': ['InstitutionalDepartmentName', 'X'],
  '00081048': ['PhysiciansOfRecord', 'X'],
  '00081050': ['PerformingPhysicianName', 'X'],
  '00081060': ['NameOfPhysiciansReadingStudy', 'X'],
  '00081070': ['OperatorsName', 'X'],
  '00081080': ['AdmittingDiagnosesDescription', 'X'],
  '00081110': ['ReferencedStudySequence', 'X'],
  '00081111': ['ReferencedPerformedProcedureStepSequence', 'X'],
  '00081120': ['ReferencedPatientSequence', 'X'],
  '00081140': ['ReferencedImageSequence', 'X'],
  '00082111': ['DerivationDescription', 'X'],
  '00100010': ['PatientName', 'Z'],
  '00100020': ['PatientID', 'Z'],
  '00100021': ['IssuerOfPatientID', 'X'],
  '00100030': ['PatientBirthDate', 'Z'],
  '00100032': ['PatientBirthTime', 'X'],
  '00100040': ['PatientSex', 'Z'],
  '00101000': ['OtherPatientIDs', 'X'],
  '00101001': ['OtherPatientNames', 'X'],
  '00101002': ['OtherPatientIDsSequence', 'X'],
  '00101005': ['PatientBirthName', 'X'],
  '00101010': ['PatientAge', 'X'],
  '00101020': ['PatientSize', 'X'],
  '00101030': ['PatientWeight', 'X'],
  '00101040': ['PatientAddress', 'X'],
  '00101060': ['PatientMotherBirthName', 'X'],
  '00101080': ['MilitaryRank', 'X'],
  '00101090': ['MedicalRecordLocator', 'X'],
  '00102150': ['CountryOfResidence', 'X'],
  '00102152': ['RegionOfResidence', 'X'],
  '00102154': ['PatientTelephoneNumbers', 'X'],
  '00102160': ['EthnicGroup', 'X'],
  '00102180': ['Occupation', 'X'],
  '001021B0': ['AdditionalPatientHistory', 'X'],
  '001021F0': ['PatientReligiousPreference', 'X'],
  '00104000': ['PatientComments', 'X'],
  '00181000': ['DeviceSerialNumber', 'X'],
  '00181030': ['ProtocolName', 'X'],
  '0020000D': ['StudyInstanceUID', 'U'],
  '0020000E': ['SeriesInstanceUID', 'U'],
  '00200010': ['StudyID', 'Z'],
  '00200052': ['FrameOfReferenceUID', 'U'],
  '00200200': ['SynchronizationFrameOfReferenceUID', 'U'],
  '00204000': ['ImageComments', 'X'],
  '00321032': ['RequestingPhysician', 'X'],
  '00321060': ['RequestedProcedureDescription', 'X'],
  '00324000': ['StudyComments', 'X'],
  '00400244': ['PerformedProcedureStepStartDate', 'X'],
  '00400245': ['PerformedProcedureStepStartTime', 'X'],
  '00400253': ['PerformedProcedureStepID', 'X'],
  '00400254': ['PerformedProcedureStepDescription', 'X'],
  '0040A124': ['UID', 'U'],
  '00880140': ['StorageMediaFileSetUID', 'U'],
  '30060024': ['ReferencedFrameOfReferenceUID', 'U'],
  '04000561': ['OriginalAttributesSequence', 'X'],
};

type Reader = (ds: DataSet, tag: string) => string | number | undefined;
const text: Reader = (ds, tag) => ds.string(tag)?.trim() || undefined;
const int: Reader = (ds, tag) => ds.uint16(tag);
/** First value of a decimal string, as a number: free text can never pass through a numeric attribute. */
const decimal: Reader = (ds, tag) => {
  const value = ds.floatString(tag, 0);
  return value !== undefined && Number.isFinite(value) ? value : undefined;
};
const enumerated = (allowed: RegExp): Reader => (ds, tag) => {
  const value = text(ds, tag);
  return typeof value === 'string' && allowed.test(value) ? value : undefined;
};

/** What rendering needs, and nothing else (the K rows of our profile), each read as a typed value. */
const RETAINED: Record<string, [keyof RetainedAttributes, Reader]> = {
  '00020010': ['TransferSyntaxUID', enumerated(/^[0-9.]{1,64}$/)],
  '00080060': ['Modality', enumerated(/^[A-Z]{2,4}$/)],
  '00280002': ['SamplesPerPixel', int],
  '00280004': ['PhotometricInterpretation', enumerated(/^(MONOCHROME1|MONOCHROME2|RGB|YBR_[A-Z0-9_]+|PALETTE COLOR)$/)],
  '00280010': ['Rows', int],
  '00280011': ['Columns', int],
  '00280100': ['BitsAllocated', int],
  '00280101': ['BitsStored', int],
  '00280102': ['HighBit', int],
  '00280103': ['PixelRepresentation', int],
  '00281050': ['WindowCenter', decimal],
  '00281051': ['WindowWidth', decimal],
  '00281052': ['RescaleIntercept', decimal],
  '00281053': ['RescaleSlope', decimal],
  '00281054': ['RescaleType', enumerated(/^[A-Z]{1,16}$/)],
};

/** Structural elements that carry no data of their own (group lengths, the pixels the pipeline decodes). */
const STRUCTURAL = new Set(['7FE00010', '00020000', '00020001', '00020002', '00020012', '00020013']);

/** Consistent UID replacement: a keyed hash, written as a `2.25.` UUID-derived UID (PS3.5 B.2). */
export function replaceUid(uid: string, key: string): string {
  const digest = crypto.createHmac('sha256', key).update(uid).digest('hex').slice(0, 32);
  return `2.25.${BigInt(`0x${digest}`).toString(10)}`;
}

/** Applies the profile to a DICOM file's header; null when the bytes are not DICOM. */
export function deidentifyDicom(bytes: Uint8Array, uidKey: string): DeidentifiedDicom | null {
  const ds = readDicomHeader(bytes);
  return ds ? deidentifyDataSet(ds, uidKey) : null;
}

export function deidentifyDataSet(ds: DataSet, uidKey: string): DeidentifiedDicom {
  const result: DeidentifiedDicom = {
    profile: PROFILE_NAME,
    patientIdentityRemoved: 'YES',
    retained: {},
    uids: {},
    removed: [],
    hasBurnedInAnnotation: text(ds, 'x00280301')?.toString().toUpperCase() === 'YES',
  };
  for (const key of Object.keys(ds.elements).sort()) {
    const tag = key.slice(1).toUpperCase();
    if (STRUCTURAL.has(tag)) continue;
    const keep = RETAINED[tag];
    if (keep) {
      const value = keep[1](ds, key);
      if (value !== undefined) (result.retained as Record<string, string | number>)[keep[0]] = value;
      continue;
    }
    const group = parseInt(tag.slice(0, 4), 16);
    const listed = TABLE_E1_1[tag];
    if (group % 2 === 1) {
      result.removed.push({ tag: formatTag(tag), name: 'private attribute', action: 'private' });
    } else if (listed?.[1] === 'U') {
      const uid = text(ds, key);
      if (typeof uid === 'string') result.uids[listed[0]] = replaceUid(uid.replace(/\0/g, ''), uidKey);
    } else if (listed) {
      result.removed.push({ tag: formatTag(tag), name: listed[0], action: listed[1] as RemovedAttribute['action'] });
    } else {
      // Not in Table E.1-1 and not needed to render: removed too (an allowlist cannot miss a new PHI attribute).
      result.removed.push({ tag: formatTag(tag), name: 'other attribute', action: 'not needed' });
    }
  }
  return result;
}

/** What is kept with the image: the profile's output without the list of removed attribute names. */
export function deidentificationRecord(d: DeidentifiedDicom): Record<string, unknown> {
  return { profile: d.profile, patientIdentityRemoved: d.patientIdentityRemoved, retained: d.retained, uids: d.uids, removedAttributes: d.removed.length };
}

function formatTag(tag: string): string {
  return `(${tag.slice(0, 4)},${tag.slice(4)})`;
}
