import { ForgotPasswordForm } from '../features/account/forgot-password-form';
import { ResetPasswordForm } from '../features/account/reset-password-form';

/** /forgot-password: ask for a reset link. */
export function ForgotPasswordPage() {
  return (
    <div className="narrow">
      <ForgotPasswordForm />
    </div>
  );
}

/** /reset-password#token=...: choose a new password. */
export function ResetPasswordPage() {
  return (
    <div className="narrow">
      <ResetPasswordForm />
    </div>
  );
}
