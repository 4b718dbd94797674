// The settings only: the apps' config reads them at start-up without loading the AWS SDK. The client
// factory is `@reelroom/s3/client`, imported lazily where STORAGE=s3 needs it.
export { storageEnvShape, storageSettings, storageSettingsProblems, type S3Settings, type StorageSettings } from './settings.js';
