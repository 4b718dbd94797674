import { useId, useState, type FormEvent } from 'react';
import type { MediaView } from '@reelroom/contracts';
import { useLinkImport } from './use-link-import';

interface Props {
  roomId: string;
  onAdded: (media: MediaView) => void;
}

/** "Add by link": a URL field, what kinds of links work, and the server's sentence when it refuses one. */
export function LinkImporter({ roomId, onAdded }: Props) {
  const id = useId();
  const [url, setUrl] = useState('');
  const { state, submit, reset, linkKinds } = useLinkImport(roomId, onAdded);

  const onSubmit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (await submit(url)) setUrl('');
  };

  return (
    <form className="uploader link-importer" onSubmit={(e) => void onSubmit(e)}>
      <label htmlFor={`${id}-url`}>Add by link</label>
      <div className="row">
        <input
          id={`${id}-url`}
          name="url"
          type="url"
          inputMode="url"
          placeholder="https://example.com/video.mp4"
          value={url}
          disabled={state.status === 'sending'}
          onChange={(e) => {
            setUrl(e.target.value);
            if (state.status === 'refused') reset();
          }}
        />
        <button type="submit" className="primary" disabled={state.status === 'sending'}>
          Add
        </button>
      </div>
      <p className="muted small">{linkKinds}</p>
      {state.status === 'accepted' && (
        <p className="muted small" role="status">
          Fetching {state.name}; it will be transcoded like an upload.
        </p>
      )}
      {state.status === 'refused' && (
        <p className="error" role="alert">
          {state.message}
        </p>
      )}
    </form>
  );
}
