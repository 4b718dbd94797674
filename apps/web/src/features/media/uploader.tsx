import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { MediaView } from '@reelroom/contracts';
import { api, errorMessage, ResumableUpload } from '../../api/client';

type State =
  | { status: 'idle' }
  | {
      status: 'uploading';
      name: string;
      sent: number;
      total: number;
      paused: boolean;
      resumedFrom: number | null;
      bytesPerSec: number | null;
    }
  | { status: 'checking'; name: string }
  | { status: 'error'; message: string }
  | { status: 'done'; name: string; mediaId: string | null };

interface Props {
  roomId: string;
  onUploaded: (media: MediaView) => void;
  /** Whether an uploaded item has settled (ready or failed): its "progress is in the list" note goes. */
  settled?: (mediaId: string) => boolean;
}

const MB = 1024 * 1024;
const mb = (n: number) => `${(n / MB).toFixed(1)} MB`;

/**
 * Resumable upload (tus): progress with bytes and speed, Pause/Resume, and after a reload or a dropped
 * connection, choosing the same file again continues where it stopped.
 */
export function Uploader({ roomId, onUploaded, settled = () => false }: Props) {
  const id = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const uploadRef = useRef<ResumableUpload | null>(null);
  const [state, setState] = useState<State>({ status: 'idle' });

  // Leaving the room pauses (not deletes) an upload in flight: coming back to it resumes it.
  useEffect(() => () => void uploadRef.current?.pause(), []);

  // A file dropped anywhere on the room is uploaded, instead of the browser opening it in place of the
  // room. Files only: dragged text and links keep their usual behaviour in the chat box.
  const formRef = useRef<HTMLFormElement>(null);
  const [dragging, setDragging] = useState(false);
  const busy = state.status === 'uploading' || state.status === 'checking';
  useEffect(() => {
    const carriesFiles = (e: DragEvent) => e.dataTransfer?.types.includes('Files') ?? false;
    const over = (e: DragEvent) => {
      if (!carriesFiles(e)) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = busy ? 'none' : 'copy';
      setDragging(true);
    };
    const leave = (e: DragEvent) => {
      if (!e.relatedTarget) setDragging(false);
    };
    const drop = (e: DragEvent) => {
      if (!carriesFiles(e)) return;
      e.preventDefault();
      setDragging(false);
      const input = inputRef.current;
      if (busy || !input || !e.dataTransfer?.files.length) return;
      input.files = e.dataTransfer.files;
      formRef.current?.requestSubmit();
    };
    window.addEventListener('dragover', over);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragover', over);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
    };
  }, [busy]);

  const onSubmit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const file = inputRef.current?.files?.[0];
    if (!file) {
      setState({ status: 'error', message: 'Choose a video or audio file first.' });
      return;
    }
    // Speed over a sliding window of recent progress samples.
    const samples: Array<{ t: number; sent: number }> = [];
    let resumedFrom: number | null = null;
    const upload = new ResumableUpload(roomId, file, {
      onProgress: ({ sent, total }) => {
        const t = performance.now();
        samples.push({ t, sent });
        while (samples.length > 2 && t - samples[0].t > 3000) samples.shift();
        const first = samples[0];
        const bytesPerSec = t - first.t > 250 ? ((sent - first.sent) * 1000) / (t - first.t) : null;
        setState((s) => (s.status === 'uploading' ? { ...s, sent, total, bytesPerSec } : s));
      },
      onResume: (offset) => {
        if (offset > 0 && resumedFrom === null) resumedFrom = offset;
        setState((s) => (s.status === 'uploading' ? { ...s, sent: Math.max(s.sent, offset), resumedFrom } : s));
      },
    });
    uploadRef.current = upload;
    setState({ status: 'uploading', name: file.name, sent: 0, total: file.size, paused: false, resumedFrom: null, bytesPerSec: null });
    try {
      await upload.start();
      const { mediaId } = await upload.done;
      setState({ status: 'checking', name: file.name });
      if (mediaId) onUploaded(await api.media.get(mediaId));
      setState({ status: 'done', name: file.name, mediaId: mediaId ?? null });
      if (inputRef.current) inputRef.current.value = '';
    } catch (err) {
      if (uploadRef.current !== upload) return;
      setState(errorMessage(err) === 'Upload cancelled.' ? { status: 'idle' } : { status: 'error', message: errorMessage(err) });
    } finally {
      if (uploadRef.current === upload) uploadRef.current = null;
    }
  };

  const pause = async () => {
    await uploadRef.current?.pause();
    setState((s) => (s.status === 'uploading' ? { ...s, paused: true, bytesPerSec: null } : s));
  };
  const resume = () => {
    uploadRef.current?.resume();
    setState((s) => (s.status === 'uploading' ? { ...s, paused: false } : s));
  };
  const cancel = () => void uploadRef.current?.cancel();

  const percent = state.status === 'uploading' && state.total > 0 ? Math.floor((state.sent / state.total) * 100) : 0;

  return (
    <form ref={formRef} className={dragging ? 'uploader dragging' : 'uploader'} onSubmit={onSubmit} data-testid="uploader">
      <label htmlFor={`${id}-file`}>Video file</label>
      <div className="row">
        <input
          id={`${id}-file`}
          ref={inputRef}
          name="file"
          type="file"
          accept="video/*,audio/*"
          aria-describedby={`${id}-hint`}
          disabled={busy}
          onChange={() => !busy && setState({ status: 'idle' })}
        />
        <button type="submit" className="primary" disabled={busy}>
          Upload
        </button>
        {state.status === 'uploading' &&
          (state.paused ? (
            <button type="button" onClick={resume}>
              Resume
            </button>
          ) : (
            <button type="button" onClick={() => void pause()}>
              Pause
            </button>
          ))}
        {state.status === 'uploading' && (
          <button type="button" onClick={cancel}>
            Cancel
          </button>
        )}
      </div>
      <p className="muted small" id={`${id}-hint`}>
        {dragging
          ? 'Drop the file to upload it to this room.'
          : 'Video or audio (mp4, webm, mov, mkv, mp3, …); or drop a file anywhere on the room.'}
      </p>
      {state.status === 'uploading' && (
        <div className="upload-progress" role="status" data-sent={state.sent} data-resumed-from={state.resumedFrom ?? undefined}>
          <progress max={100} value={percent} aria-label={`Uploading ${state.name}`} />
          <span>
            {state.paused ? 'Paused' : 'Uploading'} {state.name}: {percent}% ({mb(state.sent)} of {mb(state.total)}
            {state.bytesPerSec !== null && !state.paused ? `, ${mb(state.bytesPerSec)}/s` : ''})
          </span>
          {state.resumedFrom !== null && <span className="small"> Resumed at {mb(state.resumedFrom)}.</span>}
        </div>
      )}
      {state.status === 'checking' && (
        <p className="muted small" role="status">
          Uploaded {state.name}; checking the file…
        </p>
      )}
      {state.status === 'done' && !(state.mediaId && settled(state.mediaId)) && (
        <p className="muted small" role="status">
          Uploaded {state.name}: its progress is in the list.
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
