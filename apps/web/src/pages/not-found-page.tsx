import { Link } from '../router/router';

export function NotFoundPage() {
  return (
    <section className="card narrow">
      <h1>Page not found</h1>
      <p>There is nothing at this address.</p>
      <Link href="/">Go to the home page</Link>
    </section>
  );
}
