import type { ReactNode } from "react";
import { useIsAdmin } from "../auth/session";

/** Admin pages for admins; an operator who follows a link is told why there is nothing here.
 * The API refuses the same requests with 403 whatever the page shows. */
export function RequireAdmin({ children }: { children: ReactNode }) {
  if (useIsAdmin()) return <>{children}</>;
  return (
    <section aria-labelledby="forbidden-title">
      <h1 id="forbidden-title">Admins only</h1>
      <p role="alert" className="message message-error">
        This page needs the admin role. Ask an admin if you need it.
      </p>
    </section>
  );
}
