// What loads no AWS SDK: the settings (the apps' config reads them at start-up) and readWhole (the API's
// HLS module reads playlists with it on any storage). The client factory is `@reelroom/s3/client`,
// imported lazily where STORAGE=s3 needs it.
export { storageEnvShape, storageSettings, storageSettingsProblems, type S3Settings, type StorageSettings } from './settings.js';
export { BODY_READ_ATTEMPTS, readWhole } from './read-whole.js';
