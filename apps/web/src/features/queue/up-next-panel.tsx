import { useId, useState } from 'react';
import type { MediaView, RoomOptions, RoomRole } from '@reelroom/contracts';
import { formatDuration } from './queue-format';
import './up-next.css';
import type { UpNext } from './use-up-next';

export interface UpNextPanelProps {
  upNext: UpNext;
  /** The room's videos: what can be added (those that did not fail). */
  media: MediaView[];
  /** What the room plays now (null: nothing). */
  playingId: string | null;
  myRole: RoomRole | null;
  myUserId: string;
  options: RoomOptions;
  /** Whether I may control playback (and so skip). */
  canControl: boolean;
}

/**
 * "Up next": the list in play order, with move and remove for whoever manages it (host and moderators, or
 * everyone when the room's queue is open; adders may remove their own), an add picker, Skip for those who
 * control playback and a skip vote when the room takes votes.
 */
export function UpNextPanel({ upNext, media, playingId, myRole, myUserId, options, canControl }: UpNextPanelProps) {
  const ids = useId();
  const { queue, error, busy } = upNext;
  const canManage = myRole === 'host' || myRole === 'moderator' || (myRole !== null && options.queueOpen);
  const addable = media.filter((m) => m.status !== 'failed');
  const [picked, setPicked] = useState('');
  const pick = picked && addable.some((m) => m.id === picked) ? picked : (addable[0]?.id ?? '');
  const vote = queue.vote && queue.vote.mediaId === playingId ? queue.vote : null;
  const iVoted = vote?.voterIds.includes(myUserId) ?? false;
  const last = queue.items.length - 1;

  return (
    <section className="up-next" aria-labelledby={`${ids}-h`} data-testid="up-next">
      <div className="row spread">
        <h2 id={`${ids}-h`}>Up next</h2>
        <div className="row">
          {canControl && queue.items.length > 0 && (
            <button type="button" className="small" disabled={busy} onClick={() => upNext.skip(playingId)}>
              {playingId ? 'Skip' : 'Play next'}
            </button>
          )}
          {options.skipVote && playingId && queue.items.length > 0 && (
            <button type="button" className="small" disabled={busy || iVoted} aria-pressed={iVoted} onClick={() => upNext.vote(playingId)}>
              {iVoted ? 'Voted to skip' : 'Vote to skip'}
            </button>
          )}
        </div>
      </div>
      {vote && (
        <p className="muted small" role="status" data-testid="skip-votes">
          {vote.votes} of {vote.needed} votes to skip
        </p>
      )}
      {queue.items.length === 0 ? (
        <p className="muted small">Nothing up next.{canManage ? ' Add a video below: it plays when the current one ends.' : ''}</p>
      ) : (
        <ol className="up-next-list">
          {queue.items.map((item, i) => {
            const canRemove = canManage || item.addedBy?.userId === myUserId;
            return (
              <li key={item.id} data-testid="up-next-item">
                <span className="up-next-name">
                  <span className="up-next-title">{item.name}</span>
                  <span className="muted small">
                    {formatDuration(item.durationSec)}
                    {item.playable ? '' : ' · converting'}
                    {item.addedBy ? ` · added by ${item.addedBy.name}` : ''}
                  </span>
                </span>
                <span className="up-next-actions">
                  {canManage && (
                    <>
                      <button
                        type="button"
                        disabled={busy || i === 0}
                        aria-label={`Move ${item.name} up`}
                        onClick={() => upNext.move(item.id, i - 1)}
                      >
                        ↑
                      </button>
                      <button
                        type="button"
                        className="icon"
                        disabled={busy || i === last}
                        aria-label={`Move ${item.name} down`}
                        onClick={() => upNext.move(item.id, i + 1)}
                      >
                        ↓
                      </button>
                    </>
                  )}
                  {canRemove && (
                    <button
                      type="button"
                      disabled={busy}
                      aria-label={`Remove ${item.name} from Up next`}
                      onClick={() => upNext.remove(item.id)}
                    >
                      ×
                    </button>
                  )}
                </span>
              </li>
            );
          })}
        </ol>
      )}
      {canManage && addable.length > 0 && (
        <form
          className="row up-next-add"
          onSubmit={(e) => {
            e.preventDefault();
            if (pick) upNext.add(pick);
          }}
        >
          <label htmlFor={`${ids}-pick`} className="visually-hidden">
            Video to add to Up next
          </label>
          <select id={`${ids}-pick`} value={pick} onChange={(e) => setPicked(e.target.value)}>
            {addable.map((m) => (
              <option key={m.id} value={m.id}>
                {m.originalName}
              </option>
            ))}
          </select>
          <button type="submit" className="small" disabled={busy || !pick}>
            Add to Up next
          </button>
        </form>
      )}
      {error && (
        <p className="error small" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
