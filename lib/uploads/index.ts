// Public face of lib/uploads: batch uploads (multipart → temporary file → safe zip reading → one import).
export { handleBatchUpload, uploadLimitsFromConfig, type UploadAccepted, type UploadLimits } from './batch-upload';
export { UploadError, formatBytes, type UploadProblem } from './errors';
export { discard, receiveUpload, type ReceivedUpload } from './receive';
export { IMAGE_EXTENSIONS, MANIFEST_NAME, RATIO_GRACE_BYTES, readZip, type ZipContents, type ZipLimits } from './zip';
