import { Link } from "react-router";
import { useTitle } from "../components/useTitle";

export function NotFoundPage() {
  useTitle("Page not found");
  return (
    <section aria-labelledby="nf-title">
      <h1 id="nf-title">Page not found</h1>
      <p>
        There is no page here. Go to the <Link to="/">overview</Link>.
      </p>
    </section>
  );
}
