import { useAuth } from '../features/auth/auth-context';
import { SessionsPanel } from '../features/auth/sessions-panel';
import { PasswordForm } from '../features/account/password-form';
import { ProfileForm } from '../features/account/profile-form';
import { Redirect } from '../router/router';

/** The account: who you are, your name and password, where you are signed in, and "sign out everywhere". */
export function AccountPage() {
  const { state } = useAuth();
  if (state.status === 'loading') return null;
  if (state.status === 'signed-out') return <Redirect to="/login?next=%2Faccount" />;
  return (
    <div className="narrow account-page">
      <section className="card">
        <h1>Your account</h1>
        <p>
          {state.user.displayName}
          {state.user.email ? ` · ${state.user.email}` : ' · guest'}
        </p>
      </section>
      <section className="card">
        <ProfileForm />
      </section>
      {state.user.email && (
        <section className="card">
          <PasswordForm />
        </section>
      )}
      <SessionsPanel />
    </div>
  );
}
