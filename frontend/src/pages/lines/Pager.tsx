/** Previous and next page of a server-paged list; shown above and below the table. */
export function Pager({
  page,
  pages,
  onGo,
  label,
}: {
  page: number;
  pages: number;
  onGo: (page: number) => void;
  label: string;
}) {
  return (
    <nav className="pager" aria-label={label}>
      <button type="button" onClick={() => onGo(page - 1)} disabled={page <= 1}>
        Previous page
      </button>
      <span>
        Page {page} of {pages}
      </span>
      <button type="button" onClick={() => onGo(page + 1)} disabled={page >= pages}>
        Next page
      </button>
    </nav>
  );
}
