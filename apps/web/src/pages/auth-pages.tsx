import { useAuth } from '../features/auth/auth-context';
import { LoginForm, RegisterForm } from '../features/auth/auth-form';
import { Redirect, safeNext, useLocation } from '../router/router';

function useRedirectIfSignedIn(): string | null {
  const { state } = useAuth();
  const { search } = useLocation();
  return state.status === 'signed-in' ? safeNext(search) : null;
}

export function LoginPage() {
  const to = useRedirectIfSignedIn();
  if (to) return <Redirect to={to} />;
  return (
    <div className="narrow">
      <LoginForm />
    </div>
  );
}

export function RegisterPage() {
  const to = useRedirectIfSignedIn();
  if (to) return <Redirect to={to} />;
  return (
    <div className="narrow">
      <RegisterForm />
    </div>
  );
}
