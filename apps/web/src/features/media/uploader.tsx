import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { MediaView } from '@reelroom/contracts';
import { api, errorMessage } from '../../api/client';
import type { UploadHandle } from '../../api/http';

type State = { status: 'idle' } | { status: 'uploading'; fraction: number; name: string } | { status: 'error'; message: string } | { status: 'done'; name: string };

interface Props {
  roomId: string;
  onUploaded(media: MediaView): void;
}

export function Uploader({ roomId, onUploaded }: Props) {
  const id = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const handleRef = useRef<UploadHandle<MediaView> | null>(null);
  const [state, setState] = useState<State>({ status: 'idle' });

  // Leaving the room cancels an upload in flight rather than letting it finish invisibly.
  useEffect(() => () => handleRef.current?.abort(), []);

  const onSubmit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const file = inputRef.current?.files?.[0];
    if (!file) {
      setState({ status: 'error', message: 'Choose a video file first.' });
      return;
    }
    const handle = api.media.upload(roomId, file, (fraction) => setState({ status: 'uploading', fraction, name: file.name }));
    handleRef.current = handle;
    setState({ status: 'uploading', fraction: 0, name: file.name });
    try {
      const media = await handle.promise;
      onUploaded(media);
      setState({ status: 'done', name: file.name });
      if (inputRef.current) inputRef.current.value = '';
    } catch (err) {
      if (err instanceof DOMException && err.name === 'AbortError') {
        setState({ status: 'idle' });
        return;
      }
      setState({ status: 'error', message: errorMessage(err) });
    } finally {
      if (handleRef.current === handle) handleRef.current = null;
    }
  };

  const uploading = state.status === 'uploading';
  const percent = uploading ? Math.round(state.fraction * 100) : 0;

  return (
    <form className="uploader" onSubmit={onSubmit}>
      <label htmlFor={`${id}-file`}>Video file</label>
      <div className="row">
        <input id={`${id}-file`} ref={inputRef} name="file" type="file" accept="video/*" disabled={uploading} onChange={() => state.status !== 'uploading' && setState({ status: 'idle' })} />
        <button type="submit" className="primary" disabled={uploading}>
          Upload
        </button>
        {uploading && (
          <button type="button" onClick={() => handleRef.current?.abort()}>
            Cancel
          </button>
        )}
      </div>
      {uploading && (
        <div className="upload-progress" role="status">
          <progress max={100} value={percent} aria-label={`Uploading ${state.name}`} />
          <span>{percent < 100 ? `Uploading ${state.name}: ${percent}%` : `Uploaded ${state.name}; checking the file…`}</span>
        </div>
      )}
      {state.status === 'done' && (
        <p className="muted small" role="status">
          Uploaded {state.name}. It will be ready to watch once transcoding finishes.
        </p>
      )}
      {state.status === 'error' && (
        <p className="error" role="alert">
          {state.message}
        </p>
      )}
    </form>
  );
}
