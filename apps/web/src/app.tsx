import { AuthProvider } from './features/auth/auth-context';
import { AccountPage } from './pages/account-page';
import { AdminPage } from './pages/admin-page';
import { LoginPage, RegisterPage } from './pages/auth-pages';
import { HomePage } from './pages/home-page';
import { Layout } from './pages/layout';
import { NotFoundPage } from './pages/not-found-page';
import { ForgotPasswordPage, ResetPasswordPage } from './pages/password-pages';
import { RoomPage } from './pages/room-page';
import { matchRoute, useLocation } from './router/router';

function Routes() {
  const { pathname } = useLocation();
  const route = matchRoute(pathname);
  switch (route.name) {
    case 'home':
      return <HomePage />;
    case 'login':
      return <LoginPage />;
    case 'register':
      return <RegisterPage />;
    case 'account':
      return <AccountPage />;
    case 'forgot-password':
      return <ForgotPasswordPage />;
    case 'reset-password':
      return <ResetPasswordPage />;
    case 'admin':
      return <AdminPage />;
    case 'room':
      return <RoomPage key={route.roomId} roomId={route.roomId} />;
    case 'not-found':
      return <NotFoundPage />;
  }
}

export function App() {
  return (
    <AuthProvider>
      <Layout>
        <Routes />
      </Layout>
    </AuthProvider>
  );
}
