import { useState, type ReactNode } from 'react';
import { errorMessage } from '../api/client';
import { useAuth } from '../features/auth/auth-context';
import { useIsAdmin } from '../features/admin/use-is-admin';
import { Link, navigate } from '../router/router';

export function Layout({ children }: { children: ReactNode }) {
  const { state, logout } = useAuth();
  const [signOutError, setSignOutError] = useState<string | null>(null);
  const isAdmin = useIsAdmin(state.status === 'signed-in' ? state.user.id : null);

  const onSignOut = async () => {
    setSignOutError(null);
    try {
      await logout();
    } catch (err) {
      setSignOutError(errorMessage(err));
    }
    navigate('/login');
  };

  return (
    <div className="app">
      <header className="app-header">
        <Link href="/" className="brand">
          <span aria-hidden="true">▶</span> Reelroom
        </Link>
        <nav aria-label="Account">
          {state.status === 'signed-in' && (
            <>
              {isAdmin && (
                <Link href="/admin" data-testid="admin-link">
                  Admin
                </Link>
              )}
              <Link href="/account" className="user-name" data-testid="current-user">
                {state.user.displayName}
              </Link>
              <button type="button" onClick={onSignOut}>
                Sign out
              </button>
            </>
          )}
          {state.status === 'signed-out' && (
            <>
              <Link href="/login">Sign in</Link>
              <Link href="/register" className="button primary">
                Create account
              </Link>
            </>
          )}
        </nav>
      </header>
      {state.status === 'signed-out' && state.error && (
        <div className="banner error" role="alert">
          {state.error}
        </div>
      )}
      {signOutError && (
        <div className="banner error" role="alert">
          Signing out on the server failed ({signOutError}); you are signed out in this tab.
        </div>
      )}
      <main className="app-main">{children}</main>
    </div>
  );
}
