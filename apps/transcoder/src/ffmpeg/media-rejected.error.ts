/**
 * Bad or hostile input. The message is a sentence a person understands; the worker maps this error to
 * BullMQ's UnrecoverableError because retrying the same file cannot succeed.
 */
export class MediaRejectedError extends Error {
  override name = 'MediaRejectedError';
}
