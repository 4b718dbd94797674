import { AdminConsole } from '../features/admin/admin-console';
import { useAuth } from '../features/auth/auth-context';
import { Redirect } from '../router/router';

/** /admin: the operators' console; the server decides who may see it (403 for everyone but administrators). */
export function AdminPage() {
  const { state } = useAuth();
  if (state.status === 'loading') return null;
  if (state.status === 'signed-out') return <Redirect to="/login?next=%2Fadmin" />;
  return <AdminConsole />;
}
