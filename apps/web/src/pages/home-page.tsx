import { useAuth } from '../features/auth/auth-context';
import { CreateRoomForm } from '../features/rooms/create-room-form';
import { JoinByCode } from '../features/rooms/join-by-code';
import { MyRooms } from '../features/rooms/my-rooms';
import { Link } from '../router/router';

export function HomePage() {
  const { state } = useAuth();
  if (state.status === 'loading') return <p className="muted">Loading…</p>;
  if (state.status === 'signed-out') {
    return (
      <section className="hero">
        <h1>Watch together, in sync.</h1>
        <p className="muted">Create a room, upload a video, and share the link. Everyone watches the same stream.</p>
        <div className="row">
          <Link href="/register" className="button primary">
            Create account
          </Link>
          <Link href="/login" className="button">
            Sign in
          </Link>
        </div>
        <JoinByCode />
      </section>
    );
  }
  return (
    <div className="home-grid">
      <CreateRoomForm />
      <JoinByCode />
      <MyRooms />
    </div>
  );
}
