import { Link } from '../../router/router';
import { CLOSED_MESSAGE, KICKED_MESSAGE, type RoomEnd } from './use-room-settings';

/** The room closed, or I was removed: what happened and where to go. */
export function RoomEnded({ end }: { end: NonNullable<RoomEnd> }) {
  const heading = end.reason === 'closed' ? CLOSED_MESSAGE : KICKED_MESSAGE;
  return (
    <section className="card narrow room-ended" role="alert" data-testid="room-ended" data-reason={end.reason}>
      <h1>{heading}</h1>
      {end.message && end.message !== heading && <p>{end.message}</p>}
      <p className="muted">
        {end.reason === 'closed'
          ? 'It cannot be joined unless the host reopens it.'
          : 'You cannot rejoin unless the host lets you back in.'}
      </p>
      <Link href="/" className="button">
        Go to my rooms
      </Link>
    </section>
  );
}
