import { describe, expect, it } from 'vitest';
import { dicomWithPhi, greyPng, PHI, PRIVATE_PHI, rawDataSet, syntheticDicom } from '@/scripts/make-image-fixtures';
import { readShared } from '@/tests/support/shared-data';
import { deidentificationRecord, deidentifyDicom, PROFILE_NAME, replaceUid } from './dicom-profile';

const KEY = 'k'.repeat(32);

describe('the PS3.15 Basic Application Level Confidentiality Profile', () => {
  const result = deidentifyDicom(dicomWithPhi(), KEY)!;

  it('keeps only what rendering needs, as typed values', () => {
    expect(result.profile).toBe(PROFILE_NAME);
    expect(result.patientIdentityRemoved).toBe('YES');
    expect(result.retained).toEqual({
      TransferSyntaxUID: '1.2.840.10008.1.2.1',
      Modality: 'CT',
      SamplesPerPixel: 1,
      PhotometricInterpretation: 'MONOCHROME2',
      Rows: 64,
      Columns: 64,
      BitsAllocated: 16,
      BitsStored: 16,
      HighBit: 15,
      PixelRepresentation: 1,
      WindowCenter: 40,
      WindowWidth: 80,
      RescaleIntercept: -1024,
      RescaleSlope: 1,
    });
  });

  it('removes every identifying attribute and the private block, naming them without their values', () => {
    const removed = new Map(result.removed.map((r) => [r.name, r.action]));
    for (const name of ['PatientName', 'PatientID', 'PatientBirthDate', 'StudyDate', 'AccessionNumber', 'InstitutionName', 'ReferringPhysicianName', 'DeviceSerialNumber', 'ImageComments', 'OperatorsName']) {
      expect(removed.has(name), name).toBe(true);
    }
    expect(removed.get('PatientName')).toBe('Z');
    expect(result.removed.filter((r) => r.action === 'private').map((r) => r.tag)).toEqual(['(0009,0010)', '(0009,1001)']);
    const everything = JSON.stringify(result);
    for (const value of [...Object.values(PHI).filter((v) => v.length >= 4), PRIVATE_PHI.creator, PRIVATE_PHI.value]) expect(everything.includes(value), value).toBe(false);
  });

  it('replaces UIDs consistently: the same UID and key give the same 2.25 UID, another key another', () => {
    expect(result.uids.StudyInstanceUID).toBe(replaceUid(PHI.StudyInstanceUID, KEY));
    expect(result.uids.SOPInstanceUID).toBe(result.uids.MediaStorageSOPInstanceUID);
    expect(result.uids.StudyInstanceUID).not.toBe(result.uids.SeriesInstanceUID);
    expect(replaceUid(PHI.StudyInstanceUID, 'another key that is long enough!!')).not.toBe(result.uids.StudyInstanceUID);
    for (const uid of Object.values(result.uids)) expect(uid).toMatch(/^2\.25\.\d{1,39}$/);
    expect(deidentifyDicom(dicomWithPhi(), KEY)!.uids).toEqual(result.uids);
  });

  it('keeps with the image a record without the list of removed names', () => {
    const record = deidentificationRecord(result);
    expect(record).toEqual({ profile: PROFILE_NAME, patientIdentityRemoved: 'YES', retained: result.retained, uids: result.uids, removedAttributes: result.removed.length });
  });

  it('flags burned-in annotations', () => {
    expect(result.hasBurnedInAnnotation).toBe(false);
    expect(deidentifyDicom(dicomWithPhi({ burnedInAnnotation: true }), KEY)!.hasBurnedInAnnotation).toBe(true);
  });

  it('lets no free text through a numeric or enumerated attribute', () => {
    const hostile = syntheticDicom({ modality: 'CT', window: { center: 40, width: 80 }, attributes: { RescaleType: 'Jane Doe was here', Modality: 'CT' } });
    expect(deidentifyDicom(hostile, KEY)!.retained.RescaleType).toBeUndefined();
  });

  it('reads real files and bare data sets, and returns null for what is not DICOM', () => {
    const real = deidentifyDicom(readShared('dicom/barre_CT-MONO2-16-brain.dcm'), KEY)!;
    expect(real.retained).toMatchObject({ Rows: 512, Columns: 512, Modality: 'CT' });
    expect(deidentifyDicom(rawDataSet(), KEY)!.retained).toMatchObject({ Rows: 64, Columns: 64 });
    expect(deidentifyDicom(greyPng(), KEY)).toBeNull();
  });
});
